/* structure.c — the structure tree cairo wrote: languages of elements, alternative texts,
 * table scopes, notes' IDs, PDF/UA's checks.
 *
 * The elements are visited depth first, a parent before its children, children in the
 * order of their /K array: the order in which the render stage opened them with
 * cairo_tag_begin(), which is how ImpFinishOptions.elements is indexed. An
 * element's language is inherited from its parent (the root's from the catalogue's /Lang,
 * ISO 32000-1 §14.9.2.1); /Lang is written only where it changes. Under PDF/UA-1 a Note
 * without an /ID gets one ("note-N", N its position; §7.9), listed in the tree's /IDTree.
 *
 * Invariants:
 *  1. Each element is visited once, even if the tree (wrongly) reaches it twice.
 *  2. The walk is bounded: a tree deeper than MAX_DEPTH is refused, not followed.
 */
#include <string.h>

#include "../util/error.h"
#include "finish-private.h"

#define MAX_DEPTH 200

/* The standard structure types of ISO 32000-1 §14.8.4. */
static const char *const standard_types[] = {
    "/Document", "/Part", "/Art", "/Sect", "/Div", "/BlockQuote", "/Caption", "/TOC",
    "/TOCI", "/Index", "/NonStruct", "/Private", "/P", "/H", "/H1", "/H2", "/H3", "/H4",
    "/H5", "/H6", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD", "/THead",
    "/TBody", "/TFoot", "/Span", "/Quote", "/Note", "/Reference", "/BibEntry", "/Code",
    "/Link", "/Annot", "/Ruby", "/RB", "/RT", "/RP", "/Warichu", "/WT", "/WP", "/Figure",
    "/Formula", "/Form", NULL
};

static gboolean is_standard(const char *type)
{
    for (int i = 0; standard_types[i] != NULL; i++)
        if (strcmp(type, standard_types[i]) == 0)
            return TRUE;
    return FALSE;
}

typedef struct {
    qpdf_data q;
    const ImpFinishOptions *o;
    qpdf_oh role_map;   /* the tree's /RoleMap, or a null handle */
    GHashTable *seen;   /* object numbers of the elements visited */
    guint index;        /* the next element's position in document order */
    GPtrArray *ids;     /* of NoteId: the notes given an /ID */
    GError **error;
} Walk;

/* A Note element given an /ID, for the /IDTree. */
typedef struct {
    char *id;
    qpdf_oh elem;
} NoteId;

static gint compare_note_id(gconstpointer a, gconstpointer b)
{
    const NoteId *x = *(NoteId *const *)a, *y = *(NoteId *const *)b;
    return strcmp(x->id, y->id);
}

/* The standard type `type` maps to through the role map, or NULL (transfer full). PDF/UA
 * requires every type to reach a standard one (§7.1) without a cycle. */
static char *standard_type(Walk *w, const char *type)
{
    char *t = g_strdup(type);
    for (int steps = 0; steps < 16; steps++) {
        if (is_standard(t))
            return t;
        char *next = imp__qpdf_get_name(w->q, w->role_map, t);
        g_free(t);
        if (next == NULL)
            return NULL;
        t = next;
    }
    g_free(t);
    return NULL;
}

/* The page number (1-based) of an element's /Pg, or 0 when it has none. */
static int element_page(Walk *w, qpdf_oh elem)
{
    qpdf_oh pg = imp__qpdf_get(w->q, elem, "/Pg");
    int n = qpdf_oh_is_dictionary(w->q, pg) ? qpdf_find_page_by_oh(w->q, pg) : -1;
    if (n < 0 && qpdf_has_error(w->q))
        qpdf_get_error(w->q); /* not a page: no page to name */
    qpdf_oh_release(w->q, pg);
    return n + 1;
}

/* Whether the element dict has a non-empty text entry `key`. */
static gboolean has_text(qpdf_data q, qpdf_oh elem, const char *key)
{
    char *s = imp__qpdf_get_text(q, elem, key);
    gboolean has = s != NULL && s[0] != '\0';
    g_free(s);
    return has;
}

static gboolean visit(Walk *w, qpdf_oh node, const char *inherited, int depth);

/* Visits the children held by a /K value (an element, an array of them, or content
 * items, which are skipped). */
static gboolean visit_kids(Walk *w, qpdf_oh kids, const char *lang, int depth)
{
    if (qpdf_oh_is_array(w->q, kids)) {
        int n = qpdf_oh_get_array_n_items(w->q, kids);
        gboolean ok = TRUE;
        for (int i = 0; ok && i < n; i++) {
            qpdf_oh kid = qpdf_oh_get_array_item(w->q, kids, i);
            ok = visit(w, kid, lang, depth);
            qpdf_oh_release(w->q, kid);
        }
        return ok;
    }
    return visit(w, kids, lang, depth);
}

/* Visits one node: a structure element (with /S) gets its language and checks, then its
 * children; marked-content and object references are not elements. */
static gboolean visit(Walk *w, qpdf_oh node, const char *inherited, int depth)
{
    qpdf_data q = w->q;
    /* marked-content and object references (/MCR, /OBJR) have no /S */
    char *type = qpdf_oh_is_dictionary(q, node) ? imp__qpdf_get_name(q, node, "/S") : NULL;
    if (type == NULL)
        return TRUE;
    if (depth > MAX_DEPTH) {
        g_free(type);
        g_set_error(w->error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "cannot finish the PDF: its structure tree is deeper than %d levels",
                    MAX_DEPTH);
        return FALSE;
    }
    if (qpdf_oh_is_indirect(q, node)) {
        int id = qpdf_oh_get_object_id(q, node);
        if (g_hash_table_contains(w->seen, GINT_TO_POINTER(id))) {
            g_free(type);
            return TRUE;
        }
        g_hash_table_add(w->seen, GINT_TO_POINTER(id));
    }
    guint index = w->index++;
    ImpPdfStandards set = w->o->standards;

    const ImpFinishElement *want = index < w->o->n_elements ? &w->o->elements[index] : NULL;
    if (want != NULL && want->alt != NULL && want->alt[0] != '\0') {
        char *alt = imp__xml_clean(want->alt);
        qpdf_oh v = qpdf_oh_new_unicode_string(q, alt);
        qpdf_oh_replace_key(q, node, "/Alt", v);
        qpdf_oh_release(q, v);
        g_free(alt);
    }

    /* language: the element's own, else the one asked for, else inherited (its own is
       looked up only when one is asked for: cairo writes none, and a tree of thousands of
       paragraphs asks for few) */
    char *lang = want != NULL && want->language != NULL ? imp__qpdf_get_text(q, node, "/Lang")
                                                        : NULL;
    if (lang == NULL && want != NULL && want->language != NULL) {
        if (!imp__language_tag_valid(want->language)) {
            g_set_error(w->error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "language '%s' of structure element %u is not a BCP 47 language tag",
                        want->language, index);
            g_free(type);
            return FALSE;
        }
        if (inherited == NULL || g_ascii_strcasecmp(want->language, inherited) != 0) {
            qpdf_oh v = qpdf_oh_new_unicode_string(q, want->language);
            qpdf_oh_replace_key(q, node, "/Lang", v);
            qpdf_oh_release(q, v);
        }
        lang = g_strdup(want->language);
    }
    if (lang == NULL && inherited != NULL)
        lang = g_strdup(inherited);

    if (want != NULL && want->scope != NULL && !imp__qpdf_has(q, node, "/A")) {
        qpdf_oh a = qpdf_oh_new_dictionary(q), v;
        qpdf_oh_replace_key(q, a, "/O", v = qpdf_oh_new_name(q, "/Table"));
        qpdf_oh_release(q, v);
        char *name = g_strconcat("/", want->scope, NULL);
        qpdf_oh_replace_key(q, a, "/Scope", v = qpdf_oh_new_name(q, name));
        qpdf_oh_release(q, v);
        g_free(name);
        qpdf_oh_replace_key(q, node, "/A", a);
        qpdf_oh_release(q, a);
    }

    gboolean ok = TRUE;
    if (set & IMP_PDF_UA_1) {
        char *std = standard_type(w, type);
        if (std == NULL) {
            imp__refuse(w->error, set, IMP_RULE_PDFUA, "7.1",
                        "structure element %u has type %s, which the role map does not take "
                        "to a standard type",
                        index, type);
            ok = FALSE;
        } else if (strcmp(std, "/Note") == 0 && !imp__qpdf_has(q, node, "/ID") &&
                   qpdf_oh_is_indirect(q, node)) {
            NoteId *id = g_new(NoteId, 1);
            id->id = g_strdup_printf("note-%u", index);
            id->elem = qpdf_oh_new_object(q, node);
            qpdf_oh v = qpdf_oh_new_string(q, id->id);
            qpdf_oh_replace_key(q, node, "/ID", v);
            qpdf_oh_release(q, v);
            g_ptr_array_add(w->ids, id);
        } else if ((strcmp(std, "/Figure") == 0 || strcmp(std, "/Formula") == 0) &&
                   !has_text(q, node, "/Alt") && !has_text(q, node, "/ActualText")) {
            int page = element_page(w, node);
            char *where = page > 0 ? g_strdup_printf(" on page %d", page) : g_strdup("");
            imp__refuse(w->error, set, IMP_RULE_PDFUA,
                        strcmp(std, "/Figure") == 0 ? "7.3" : "7.7",
                        "a %s (structure element %u)%s has no alternative text (/Alt)",
                        std + 1, index, where);
            g_free(where);
            ok = FALSE;
        }
        g_free(std);
    }
    g_free(type);
    if (ok) {
        qpdf_oh kids = imp__qpdf_get(q, node, "/K");
        ok = visit_kids(w, kids, lang, depth + 1);
        qpdf_oh_release(q, kids);
    }
    g_free(lang);
    return ok;
}

/* Lists the notes given an /ID in the tree's /IDTree (a name tree of one leaf, sorted as
 * a name tree must be), adding to none the tree has already. */
static void write_id_tree(qpdf_data q, qpdf_oh tree, GPtrArray *ids)
{
    if (ids->len > 0 && !imp__qpdf_has(q, tree, "/IDTree")) {
        g_ptr_array_sort(ids, compare_note_id);
        qpdf_oh names = qpdf_oh_new_array(q);
        for (guint i = 0; i < ids->len; i++) {
            NoteId *id = ids->pdata[i];
            qpdf_oh key = qpdf_oh_new_string(q, id->id);
            qpdf_oh_append_item(q, names, key);
            qpdf_oh_append_item(q, names, id->elem);
            qpdf_oh_release(q, key);
        }
        qpdf_oh leaf = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, leaf, "/Names", names);
        qpdf_oh_replace_key(q, tree, "/IDTree", leaf);
        qpdf_oh_release(q, leaf);
        qpdf_oh_release(q, names);
    }
    for (guint i = 0; i < ids->len; i++) {
        NoteId *id = ids->pdata[i];
        qpdf_oh_release(q, id->elem);
        g_free(id->id);
        g_free(id);
    }
}

/* Walks the structure tree; see finish-private.h. */
gboolean imp__finish_structure(qpdf_data q, const ImpFinishOptions *options,
                               const char *doc_language, GError **error)
{
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh tree = imp__qpdf_get(q, root, "/StructTreeRoot");
    gboolean ok = TRUE;
    if (!(options->standards & IMP_PDF_UA_1) && options->n_elements == 0) {
        /* nothing to add and nothing to check: the tree is not read */
    } else if (qpdf_oh_is_dictionary(q, tree)) {
        Walk w = { q, options, imp__qpdf_get(q, tree, "/RoleMap"),
                   g_hash_table_new(NULL, NULL), 0, g_ptr_array_new(), error };
        qpdf_oh kids = imp__qpdf_get(q, tree, "/K");
        ok = visit_kids(&w, kids, doc_language, 0);
        qpdf_oh_release(q, kids);
        write_id_tree(q, tree, w.ids);
        g_ptr_array_free(w.ids, TRUE);
        qpdf_oh_release(q, w.role_map);
        g_hash_table_destroy(w.seen);
        if (ok && options->n_elements > w.index) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "attributes were given for %u structure elements, but the document "
                        "has %u",
                        options->n_elements, w.index);
            ok = FALSE;
        }
    } else if (options->n_elements > 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "attributes were given for structure elements, but the document has no "
                    "structure tree");
        ok = FALSE;
    }
    qpdf_oh_release(q, tree);
    qpdf_oh_release(q, root);
    return ok && imp__qpdf_ok(q, error);
}
