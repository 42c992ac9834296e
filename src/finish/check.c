/* check.c — what PDF/A-2, PDF/A-3 and PDF/UA-1 forbid, checked on the whole document.
 *
 * Two passes. The object walk visits every object the file has (by object number, so
 * nothing reachable is missed) and, inside each, every direct dictionary, and applies the
 * rules that are about dictionaries: stream keys and filters, images, form and PostScript
 * XObjects, graphics states, actions, the catalogue. The content scan reads every page's
 * content streams (and the form XObjects they paint) with a small tokenizer and applies
 * the rules that are about what is drawn: fonts used are embedded, no glyph is .notdef,
 * under level U and PDF/UA every glyph shown has a Unicode value, inline images, CMYK
 * colour, and under PDF/UA that all content is tagged or an artifact.
 *
 * The clauses cited are those of ISO 19005-2 (PDF/A-3 has the same numbers) and ISO
 * 14289-1. Transparency (soft masks, transparency groups, constant alpha) is allowed by
 * both PDF/A-2 and PDF/A-3 (§6.2.10 asks only for standard blend modes, and a blending
 * colour space where there is no output intent, which this stage always writes); only
 * PDF/A-1 (ISO 19005-1 §6.4), which imprint does not write, forbids it.
 *
 * A reading stricter than the letter, under level U and PDF/UA: a glyph whose ToUnicode
 * value is U+FFFD stands for no character (cairo writes U+FFFD for a glyph it found no
 * text for: the .notdef box drawn for a character no font has), so it is refused as a
 * glyph without a Unicode value. Under level B such a glyph is an ordinary glyph of the
 * subset font (cairo re-encodes the font's .notdef as a glyph of its own), and the
 * character itself is in the text layer through /ActualText.
 *
 * Under PDF/UA, content outside any marked content must be an artifact (§7.1). cairo 1.16
 * cannot mark artifacts; the render stage draws each page's furniture (running heads,
 * rules, tints) as one form XObject painted outside the structure, which the content scan
 * marks here: a form painted outside marked content that holds no tagged content gets
 * "/Artifact BMC … EMC" around its content. Nothing else is rewritten: content left
 * untagged in a page's own stream is refused.
 *
 * Invariants:
 *  1. Repairs only where invariant 3 of finish.h allows: /CIDToGIDMap /Identity, and
 *     furniture forms marked as artifacts under PDF/UA.
 *  2. The first rule broken stops the pass; its message names the page or object.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/error.h"
#include "finish-private.h"

#define MAX_NESTING 64

typedef struct Font Font;

typedef struct {
    qpdf_data q;
    ImpPdfStandards set;
    gboolean pdfa;       /* a PDF/A part is asked for */
    gboolean unicode;    /* every glyph needs a Unicode value (level U or PDF/UA) */
    gboolean ua;
    GHashTable *fonts;   /* object number → Font */
    GPtrArray *direct_fonts; /* Fonts of font dictionaries that are not objects of their own */
    GHashTable *forms;   /* object number * 2 + covered → TRUE: form XObjects scanned */
    ImpFlate *flate;     /* compresses the streams changed */
    GError **error;
} Check;

/* ------------------------------------------------------------------------------------
 * Refusals
 * ------------------------------------------------------------------------------------ */

/* Refuses under the PDF/A part in the set when there is one, else under PDF/UA-1 with
 * `ua_clause` (NULL: the rule is PDF/A's alone, and nothing is refused). */
static gboolean refuse2(Check *c, const char *a_clause, const char *ua_clause,
                        const char *format, ...) G_GNUC_PRINTF(4, 5);

static gboolean refuse2(Check *c, const char *a_clause, const char *ua_clause,
                        const char *format, ...)
{
    if (!c->pdfa && (ua_clause == NULL || !c->ua))
        return TRUE;
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    if (c->pdfa)
        imp__refuse(c->error, c->set, IMP_RULE_PDFA, a_clause, "%s", msg);
    else
        imp__refuse(c->error, c->set, IMP_RULE_PDFUA, ua_clause, "%s", msg);
    g_free(msg);
    return FALSE;
}

/* ------------------------------------------------------------------------------------
 * The object walk
 * ------------------------------------------------------------------------------------ */

/* Keys whose values hold no dictionary the rules look at (numbers, rectangles, page and
 * structure lists): skipped to keep the walk fast on long documents. Their indirect
 * objects are visited by number anyway. */
static const char *const skipped_keys[] = {
    "/Widths", "/W", "/W2", "/Nums", "/Kids", "/K", "/MediaBox", "/CropBox", "/BleedBox",
    "/TrimBox", "/ArtBox", "/Rect", "/QuadPoints", "/Matrix", "/BBox", "/Decode", "/Domain",
    "/Range", "/FontBBox", "/ID", "/Border", "/Annots", "/Contents", "/Length", "/P",
    "/Parent", "/Pg", "/Obj", "/Dest", "/ParentTree", "/First", "/Last", "/Next", "/Prev",
    NULL
};

static gboolean skipped(const char *key)
{
    for (int i = 0; skipped_keys[i] != NULL; i++)
        if (strcmp(key, skipped_keys[i]) == 0)
            return TRUE;
    return FALSE;
}

static gboolean in_list(const char *name, const char *const *list)
{
    for (int i = 0; name != NULL && list[i] != NULL; i++)
        if (strcmp(name, list[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Actions PDF/A forbids (§6.5.1), with the deprecated set-state and no-op actions. */
static const char *const forbidden_actions[] = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript", "/SetState", "/NOP", NULL
};
static const char *const allowed_named_actions[] = {
    "/NextPage", "/PrevPage", "/FirstPage", "/LastPage", NULL
};
/* The blend modes of ISO 32000-1 §11.3.5 (§6.2.10). */
static const char *const blend_modes[] = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
    "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
    "/Hue", "/Saturation", "/Color", "/Luminosity", NULL
};
static const char *const rendering_intents[] = {
    "/RelativeColorimetric", "/AbsoluteColorimetric", "/Perceptual", "/Saturation", NULL
};

/* Where a dictionary is, for messages: "object 12 0" or "a dictionary inside object 12 0". */
static char *where(int id, int depth)
{
    return g_strdup_printf("%sobject %d 0", depth > 0 ? "a dictionary inside " : "", id);
}

/* Whether value (a name or an array of names) holds a name of `list`; *which is set to it. */
static gboolean holds_name(qpdf_data q, qpdf_oh value, const char *const *list, char **which)
{
    if (qpdf_oh_is_name(q, value)) {
        const char *n = qpdf_oh_get_name(q, value);
        if (in_list(n, list)) {
            *which = g_strdup(n);
            return TRUE;
        }
        return FALSE;
    }
    int n = qpdf_oh_is_array(q, value) ? qpdf_oh_get_array_n_items(q, value) : 0;
    gboolean found = FALSE;
    for (int i = 0; !found && i < n; i++) {
        qpdf_oh item = qpdf_oh_get_array_item(q, value, i);
        found = holds_name(q, item, list, which);
        qpdf_oh_release(q, item);
    }
    return found;
}

/* Whether dict[key] is the boolean true. */
static gboolean is_true(qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh v = imp__qpdf_get(q, dict, key);
    gboolean t = qpdf_oh_is_bool(q, v) && qpdf_oh_get_bool_value(q, v);
    qpdf_oh_release(q, v);
    return t;
}

static gboolean has(char **keys, const char *key)
{
    for (int i = 0; keys[i] != NULL; i++)
        if (strcmp(keys[i], key) == 0)
            return TRUE;
    return FALSE;
}

/* The rules about a stream's dictionary (§6.1.7, §6.2.8, §6.2.9; PDF/UA §7.20). */
static gboolean check_stream_dict(Check *c, qpdf_oh d, char **keys, int id)
{
    qpdf_data q = c->q;
    const char *const lzw[] = { "/LZWDecode", "/Crypt", NULL };
    char *which = NULL;
    gboolean ok = TRUE;
    if (has(keys, "/F") || has(keys, "/FFilter") || has(keys, "/FDecodeParms")) {
        ok = refuse2(c, "6.1.7.1", NULL,
                     "object %d 0 is a stream whose data is in an external file (/F)", id);
    } else if (has(keys, "/Filter")) {
        qpdf_oh f = imp__qpdf_get(q, d, "/Filter");
        if (holds_name(q, f, lzw, &which))
            ok = refuse2(c, "6.1.7.2", NULL, "object %d 0 is a stream compressed with %s", id,
                         which + 1);
        qpdf_oh_release(q, f);
    }
    char *subtype = ok ? imp__qpdf_get_name(q, d, "/Subtype") : NULL;
    if (subtype != NULL && strcmp(subtype, "/Image") == 0) {
        if (is_true(q, d, "/Interpolate"))
            ok = refuse2(c, "6.2.8", NULL,
                         "image object %d 0 has /Interpolate true (the render stage must draw "
                         "images with CAIRO_FILTER_FAST or NEAREST for PDF/A)",
                         id);
        else if (has(keys, "/Alternates") || has(keys, "/OPI"))
            ok = refuse2(c, "6.2.8", NULL, "image object %d 0 has %s", id,
                         has(keys, "/OPI") ? "/OPI" : "/Alternates");
    } else if (subtype != NULL && strcmp(subtype, "/Form") == 0) {
        if (has(keys, "/Ref"))
            ok = refuse2(c, "6.2.9", "7.20", "object %d 0 is a reference XObject", id);
        else if (has(keys, "/OPI") || has(keys, "/PS") || imp__qpdf_name_is(q, d, "/Subtype2", "/PS"))
            ok = refuse2(c, "6.2.9", NULL, "form XObject %d 0 carries PostScript or OPI", id);
    } else if (subtype != NULL && strcmp(subtype, "/PS") == 0) {
        ok = refuse2(c, "6.2.9", NULL, "object %d 0 is a PostScript XObject", id);
    }
    g_free(subtype);
    g_free(which);
    return ok;
}

/* The rules about any dictionary (§6.2.5, §6.2.6, §6.2.10, §6.5), and the one repair:
 * a Type 2 CIDFont without /CIDToGIDMap gets /Identity, the value a reader assumes when
 * the key is absent (ISO 32000-1 Table 117) and which §6.2.11.3.2 / PDF/UA §7.21.3.2 ask
 * to be written out. */
static gboolean check_dict(Check *c, qpdf_oh d, char **keys, int id, int depth)
{
    qpdf_data q = c->q;
    char *w = where(id, depth);
    char *which = NULL;
    gboolean ok = TRUE;
    if (has(keys, "/S") && !has(keys, "/P")) { /* an action (a structure element has /P) */
        char *s = imp__qpdf_get_name(q, d, "/S");
        char *type = imp__qpdf_get_name(q, d, "/Type");
        gboolean action = type == NULL || strcmp(type, "/Action") == 0;
        if (action && in_list(s, forbidden_actions))
            ok = refuse2(c, "6.5.1", NULL, "%s is a %s action", w, s + 1);
        else if (action && s != NULL && strcmp(s, "/Named") == 0) {
            char *n = imp__qpdf_get_name(q, d, "/N");
            if (!in_list(n, allowed_named_actions))
                ok = refuse2(c, "6.5.1", NULL, "%s is the named action %s", w,
                             n != NULL ? n + 1 : "(none)");
            g_free(n);
        }
        g_free(type);
        g_free(s);
    }
    if (ok && has(keys, "/JS"))
        ok = refuse2(c, "6.5.1", NULL, "%s holds JavaScript (/JS)", w);
    if (ok && has(keys, "/AA"))
        ok = refuse2(c, "6.5.2", NULL, "%s has additional actions (/AA)", w);
    if (ok && has(keys, "/TR"))
        ok = refuse2(c, "6.2.5", NULL, "%s is a graphics state with a transfer function (/TR)",
                     w);
    if (ok && has(keys, "/TR2") && !imp__qpdf_name_is(q, d, "/TR2", "/Default"))
        ok = refuse2(c, "6.2.5", NULL, "%s has a transfer function (/TR2)", w);
    if (ok && has(keys, "/HTP"))
        ok = refuse2(c, "6.2.5", NULL, "%s has /HTP", w);
    if (ok && has(keys, "/HalftoneType")) {
        qpdf_oh t = imp__qpdf_get(q, d, "/HalftoneType");
        long long v = qpdf_oh_is_integer(q, t) ? qpdf_oh_get_int_value(q, t) : 0;
        qpdf_oh_release(q, t);
        if ((v != 1 && v != 5) || has(keys, "/HalftoneName"))
            ok = refuse2(c, "6.2.5", NULL, "%s is a halftone of type %lld or with a name", w, v);
    }
    if (ok && has(keys, "/BM")) {
        qpdf_oh bm = imp__qpdf_get(q, d, "/BM");
        gboolean standard = qpdf_oh_is_name(q, bm) ? in_list(qpdf_oh_get_name(q, bm), blend_modes)
                                                   : qpdf_oh_is_array(q, bm);
        if (qpdf_oh_is_array(q, bm)) { /* an array: every entry standard */
            int n = qpdf_oh_get_array_n_items(q, bm);
            for (int i = 0; standard && i < n; i++) {
                qpdf_oh m = qpdf_oh_get_array_item(q, bm, i);
                standard = qpdf_oh_is_name(q, m) && in_list(qpdf_oh_get_name(q, m), blend_modes);
                qpdf_oh_release(q, m);
            }
        }
        qpdf_oh_release(q, bm);
        if (!standard)
            ok = refuse2(c, "6.2.10", NULL, "%s uses a blend mode ISO 32000-1 does not define", w);
    }
    for (int k = 0; ok && k < 2; k++) {
        const char *key = k == 0 ? "/RI" : "/Intent";
        char *ri = has(keys, key) ? imp__qpdf_get_name(q, d, key) : NULL;
        if (ri != NULL && !in_list(ri, rendering_intents))
            ok = refuse2(c, "6.2.6", NULL, "%s has the rendering intent %s", w, ri + 1);
        g_free(ri);
    }
    if (ok && has(keys, "/Subtype") && imp__qpdf_name_is(q, d, "/Subtype", "/CIDFontType2") &&
        !has(keys, "/CIDToGIDMap") && (c->pdfa || c->ua)) {
        qpdf_oh v = qpdf_oh_new_name(q, "/Identity");
        qpdf_oh_replace_key(q, d, "/CIDToGIDMap", v);
        qpdf_oh_release(q, v);
    }
    g_free(which);
    g_free(w);
    return ok;
}

static gboolean check_value(Check *c, qpdf_oh v, int id, int depth);

/* Applies the dictionary rules to d and walks its direct values. */
static gboolean check_dict_and_values(Check *c, qpdf_oh d, int id, int depth, gboolean stream)
{
    qpdf_data q = c->q;
    qpdf_oh dict = stream ? qpdf_oh_get_dict(q, d) : d;
    char **keys = imp__qpdf_keys(q, dict);
    gboolean ok = (!stream || check_stream_dict(c, dict, keys, id)) &&
                  check_dict(c, dict, keys, id, depth);
    for (int i = 0; ok && keys[i] != NULL; i++) {
        if (skipped(keys[i]))
            continue;
        qpdf_oh v = imp__qpdf_get(q, dict, keys[i]);
        ok = check_value(c, v, id, depth + 1);
        qpdf_oh_release(q, v);
    }
    g_strfreev(keys);
    if (stream)
        qpdf_oh_release(q, dict);
    return ok;
}

/* Walks a direct value: dictionaries get the rules, arrays are walked, the name
 * /DeviceCMYK is refused (the output intent is RGB, §6.2.4.3). Indirect values are left
 * to the walk by number. */
static gboolean check_value(Check *c, qpdf_oh v, int id, int depth)
{
    qpdf_data q = c->q;
    if (depth > 0 && qpdf_oh_is_indirect(q, v))
        return TRUE;
    if (depth > MAX_NESTING)
        return TRUE;
    if (qpdf_oh_is_name(q, v)) {
        if (qpdf_oh_is_name_and_equals(q, v, "/DeviceCMYK"))
            return refuse2(c, "6.2.4.3", NULL,
                           "object %d 0 uses DeviceCMYK, but the output intent is sRGB", id);
        return TRUE;
    }
    if (qpdf_oh_is_dictionary(q, v))
        return check_dict_and_values(c, v, id, depth, FALSE);
    if (qpdf_oh_is_array(q, v)) {
        int n = qpdf_oh_get_array_n_items(q, v);
        gboolean ok = TRUE;
        for (int i = 0; ok && i < n; i++) {
            qpdf_oh item = qpdf_oh_get_array_item(q, v, i);
            ok = check_value(c, item, id, depth + 1);
            qpdf_oh_release(q, item);
        }
        return ok;
    }
    return TRUE;
}

/* Visits every object by number (1 .. /Size - 1). */
static gboolean walk_objects(Check *c)
{
    qpdf_data q = c->q;
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh size = imp__qpdf_get(q, trailer, "/Size");
    long long n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value(q, size) : 0;
    qpdf_oh_release(q, size);
    qpdf_oh_release(q, trailer);
    gboolean ok = TRUE;
    for (long long id = 1; ok && id < n; id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, (int)id, 0);
        /* structure elements hold nothing these rules look at (structure.c reads them) */
        gboolean elem = qpdf_oh_is_dictionary(q, o) &&
                        imp__qpdf_name_is(q, o, "/Type", "/StructElem");
        if (!elem && qpdf_oh_is_stream(q, o))
            ok = check_dict_and_values(c, o, (int)id, 0, TRUE);
        else if (!elem)
            ok = check_value(c, o, (int)id, 0);
        qpdf_oh_release(q, o);
        if ((id & 1023) == 0)
            ok = ok && imp__qpdf_ok(q, c->error);
    }
    return ok && imp__qpdf_ok(q, c->error);
}

/* The catalogue's rules (§6.1.12, §6.4, §6.5.1, §6.9, §6.10, §6.11). */
static gboolean check_catalogue(Check *c)
{
    qpdf_data q = c->q;
    qpdf_oh root = qpdf_get_root(q);
    gboolean ok = TRUE;
    if (imp__qpdf_has(q, root, "/NeedsRendering"))
        ok = refuse2(c, "6.4.2", NULL, "the catalogue has /NeedsRendering");
    if (ok && imp__qpdf_has(q, root, "/Requirements"))
        ok = refuse2(c, "6.11", NULL, "the catalogue has /Requirements");
    qpdf_oh form = imp__qpdf_get(q, root, "/AcroForm");
    if (ok && imp__qpdf_has(q, form, "/XFA"))
        ok = refuse2(c, "6.4.2", "7.15", "the interactive form is an XFA form");
    if (ok && is_true(q, form, "/NeedAppearances"))
        ok = refuse2(c, "6.4.1", NULL, "the interactive form has /NeedAppearances true");
    qpdf_oh_release(q, form);
    qpdf_oh names = imp__qpdf_get(q, root, "/Names");
    if (ok && imp__qpdf_has(q, names, "/JavaScript"))
        ok = refuse2(c, "6.5.1", NULL, "the document holds JavaScript (/Names /JavaScript)");
    if (ok && imp__qpdf_has(q, names, "/AlternatePresentations"))
        ok = refuse2(c, "6.10", NULL, "the document has /AlternatePresentations");
    qpdf_oh_release(q, names);
    qpdf_oh perms = imp__qpdf_get(q, root, "/Perms");
    char **keys = imp__qpdf_keys(q, perms);
    for (int i = 0; ok && keys[i] != NULL; i++)
        if (strcmp(keys[i], "/UR3") != 0 && strcmp(keys[i], "/DocMDP") != 0)
            ok = refuse2(c, "6.1.12", NULL, "the permissions dictionary has %s", keys[i]);
    g_strfreev(keys);
    qpdf_oh_release(q, perms);
    qpdf_oh oc = imp__qpdf_get(q, root, "/OCProperties");
    if (ok && qpdf_oh_is_dictionary(q, oc)) {
        qpdf_oh configs = imp__qpdf_get(q, oc, "/Configs");
        int n = qpdf_oh_is_array(q, configs) ? qpdf_oh_get_array_n_items(q, configs) : 0;
        for (int i = -1; ok && i < n; i++) {
            qpdf_oh cfg = i < 0 ? imp__qpdf_get(q, oc, "/D")
                                : qpdf_oh_get_array_item(q, configs, i);
            if (!imp__qpdf_has(q, cfg, "/Name") || imp__qpdf_has(q, cfg, "/AS"))
                ok = refuse2(c, "6.9", "7.10",
                             "an optional content configuration has no /Name or has /AS");
            qpdf_oh_release(q, cfg);
        }
        qpdf_oh_release(q, configs);
    }
    qpdf_oh_release(q, oc);
    qpdf_oh_release(q, root);
    return ok;
}

/* ------------------------------------------------------------------------------------
 * Fonts
 * ------------------------------------------------------------------------------------ */

/* What a code's ToUnicode value is worth. */
enum { UNMAPPED = 0, MAPPED, INVALID /* U+0000, U+FEFF, U+FFFE, empty */, REPLACEMENT };

struct Font {
    char *name;          /* BaseFont, without the leading slash */
    gboolean embedded;
    gboolean two_byte;   /* a Type 0 font with Identity-H or Identity-V: codes of 2 bytes */
    gboolean checkable;  /* the codes' widths are known (simple fonts and Identity CMaps) */
    guint8 *unicode;     /* per code: UNMAPPED ... REPLACEMENT; NULL: no /ToUnicode */
    guint8 *notdef;      /* simple fonts: per code, whether /Differences names .notdef */
    gboolean first_use_checked;
};

static void font_free(gpointer p)
{
    Font *f = p;
    g_free(f->name);
    g_free(f->unicode);
    g_free(f->notdef);
    g_free(f);
}

/* Whether a font descriptor has a font program. */
static gboolean descriptor_embeds(qpdf_data q, qpdf_oh font)
{
    qpdf_oh fd = imp__qpdf_get(q, font, "/FontDescriptor");
    gboolean e = imp__qpdf_has(q, fd, "/FontFile") || imp__qpdf_has(q, fd, "/FontFile2") ||
                 imp__qpdf_has(q, fd, "/FontFile3");
    qpdf_oh_release(q, fd);
    return e;
}

/* Reads hex digits from a CMap's <...> at *p (end e) into bytes; returns the count, or -1. */
static int cmap_hex(const char **p, const char *e, guint8 *out, int max)
{
    const char *s = *p;
    if (s >= e || *s != '<')
        return -1;
    s++;
    int n = 0, half = -1;
    for (; s < e && *s != '>'; s++) {
        if (g_ascii_isspace(*s))
            continue;
        int v = g_ascii_xdigit_value(*s);
        if (v < 0)
            return -1;
        if (half < 0) {
            half = v;
        } else {
            if (n < max)
                out[n] = (guint8)(half << 4 | v);
            n++;
            half = -1;
        }
    }
    if (s >= e)
        return -1;
    if (half >= 0) {
        if (n < max)
            out[n] = (guint8)(half << 4);
        n++;
    }
    *p = s + 1;
    return MIN(n, max);
}

/* The worth of a UTF-16BE value (ISO 19005-2 §6.2.11.7.2). */
static guint8 value_worth(const guint8 *v, int n)
{
    if (n < 2)
        return INVALID;
    guint unit = (guint)v[0] << 8 | v[1];
    if (unit == 0 || unit == 0xFEFF || unit == 0xFFFE)
        return INVALID;
    return unit == 0xFFFD ? REPLACEMENT : MAPPED;
}

static void skip_space(const char **p, const char *e)
{
    while (*p < e && (g_ascii_isspace(**p) || **p == '\0'))
        (*p)++;
}

/* Reads a ToUnicode CMap's bfchar and bfrange sections into f->unicode (codes up to
 * `n_codes`). Anything else in the CMap is ignored; a section it cannot read leaves its
 * codes unmapped, which refuses the glyphs rather than passing them. */
static void read_to_unicode(Font *f, const char *data, gsize len, guint n_codes)
{
    f->unicode = g_malloc0(n_codes);
    const char *e = data + len;
    for (const char *p = data; p < e;) {
        const char *bfchar = g_strstr_len(p, e - p, "beginbfchar");
        const char *bfrange = g_strstr_len(p, e - p, "beginbfrange");
        if (bfchar == NULL && bfrange == NULL)
            break;
        gboolean range = bfchar == NULL || (bfrange != NULL && bfrange < bfchar);
        p = (range ? bfrange : bfchar) + (range ? 12 : 11);
        const char *end = g_strstr_len(p, e - p, range ? "endbfrange" : "endbfchar");
        if (end == NULL)
            break;
        for (;;) {
            guint8 lo[4], hi[4], dst[64];
            skip_space(&p, end);
            int nl = cmap_hex(&p, end, lo, 4);
            if (nl <= 0)
                break;
            guint code_lo = 0, code_hi;
            for (int i = 0; i < nl; i++)
                code_lo = code_lo << 8 | lo[i];
            code_hi = code_lo;
            if (range) {
                skip_space(&p, end);
                int nh = cmap_hex(&p, end, hi, 4);
                if (nh <= 0)
                    break;
                code_hi = 0;
                for (int i = 0; i < nh; i++)
                    code_hi = code_hi << 8 | hi[i];
            }
            skip_space(&p, end);
            if (p < end && *p == '[') { /* bfrange with one value per code */
                p++;
                for (guint code = code_lo;; code++) {
                    skip_space(&p, end);
                    if (p >= end || *p == ']')
                        break;
                    int nd = cmap_hex(&p, end, dst, sizeof dst);
                    if (nd < 0)
                        break;
                    if (code < n_codes && code <= code_hi)
                        f->unicode[code] = value_worth(dst, nd);
                }
                if (p < end && *p == ']')
                    p++;
                continue;
            }
            int nd = cmap_hex(&p, end, dst, sizeof dst);
            if (nd < 0)
                break;
            for (guint code = code_lo; code <= code_hi && code < n_codes; code++) {
                /* the value's last byte counts up with the code (ISO 32000-1 §9.10.3) */
                guint8 v[64];
                memcpy(v, dst, (gsize)nd);
                if (nd > 0)
                    v[nd - 1] = (guint8)(dst[nd - 1] + (code - code_lo));
                f->unicode[code] = value_worth(v, nd);
            }
        }
        p = end;
    }
}

/* The codes of a simple font's /Encoding /Differences that name .notdef. */
static void read_differences(qpdf_data q, qpdf_oh font, Font *f)
{
    qpdf_oh enc = imp__qpdf_get(q, font, "/Encoding");
    qpdf_oh diffs = imp__qpdf_get(q, enc, "/Differences");
    int n = qpdf_oh_is_array(q, diffs) ? qpdf_oh_get_array_n_items(q, diffs) : 0;
    long long code = 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh item = qpdf_oh_get_array_item(q, diffs, i);
        if (qpdf_oh_is_integer(q, item)) {
            code = qpdf_oh_get_int_value(q, item);
        } else if (qpdf_oh_is_name(q, item)) {
            if (code >= 0 && code < 256 && strcmp(qpdf_oh_get_name(q, item), "/.notdef") == 0) {
                if (f->notdef == NULL)
                    f->notdef = g_malloc0(256);
                f->notdef[code] = 1;
            }
            code++;
        }
        qpdf_oh_release(q, item);
    }
    qpdf_oh_release(q, diffs);
    qpdf_oh_release(q, enc);
}

/* The Font record of a font dictionary, read on first use (transfer none). */
static Font *font_get(Check *c, qpdf_oh font)
{
    qpdf_data q = c->q;
    int id = qpdf_oh_is_indirect(q, font) ? qpdf_oh_get_object_id(q, font) : 0;
    Font *f = id > 0 ? g_hash_table_lookup(c->fonts, GINT_TO_POINTER(id)) : NULL;
    if (f != NULL)
        return f;
    f = g_new0(Font, 1);
    char *base = imp__qpdf_get_name(q, font, "/BaseFont");
    f->name = g_strdup(base != NULL ? base + 1 : "(unnamed)");
    g_free(base);
    char *subtype = imp__qpdf_get_name(q, font, "/Subtype");
    if (subtype != NULL && strcmp(subtype, "/Type0") == 0) {
        char *enc = imp__qpdf_get_name(q, font, "/Encoding");
        f->two_byte = f->checkable =
            enc != NULL && (strcmp(enc, "/Identity-H") == 0 || strcmp(enc, "/Identity-V") == 0);
        g_free(enc);
        qpdf_oh descendants = imp__qpdf_get(q, font, "/DescendantFonts");
        qpdf_oh cid = qpdf_oh_is_array(q, descendants) && qpdf_oh_get_array_n_items(q, descendants) > 0
                          ? qpdf_oh_get_array_item(q, descendants, 0)
                          : qpdf_oh_new_null(q);
        f->embedded = descriptor_embeds(q, cid);
        qpdf_oh_release(q, cid);
        qpdf_oh_release(q, descendants);
    } else {
        f->checkable = TRUE;
        f->embedded = (subtype != NULL && strcmp(subtype, "/Type3") == 0) ||
                      descriptor_embeds(q, font);
        read_differences(q, font, f);
    }
    g_free(subtype);
    qpdf_oh tu = imp__qpdf_get(q, font, "/ToUnicode");
    if (qpdf_oh_is_stream(q, tu)) {
        unsigned char *buf = NULL;
        size_t len = 0;
        QPDF_BOOL filtered = QPDF_FALSE;
        qpdf_oh_get_stream_data(q, tu, qpdf_dl_generalized, &filtered, &buf, &len);
        if (buf != NULL && filtered)
            read_to_unicode(f, (const char *)buf, len, f->two_byte ? 65536 : 256);
        free(buf);
    }
    qpdf_oh_release(q, tu);
    if (id > 0)
        g_hash_table_insert(c->fonts, GINT_TO_POINTER(id), f);
    else
        g_ptr_array_add(c->direct_fonts, f);
    return f;
}

/* Checks the codes of one string shown in font f on page `page`. */
static gboolean check_codes(Check *c, Font *f, const guint8 *s, gsize len, int page)
{
    if (!f->first_use_checked) {
        f->first_use_checked = TRUE;
        if (!f->embedded)
            return refuse2(c, "6.2.11.4.1", "7.21.4.1",
                           "page %d uses the font %s, which is not embedded", page, f->name);
        if (c->unicode && f->unicode == NULL)
            return refuse2(c, "6.2.11.7.2", "7.21.7",
                           "the font %s (page %d) has no /ToUnicode map", f->name, page);
        if (c->unicode && !f->checkable)
            return refuse2(c, "6.2.11.7.2", "7.21.7",
                           "the font %s (page %d) has an encoding whose codes this check "
                           "cannot read",
                           f->name, page);
    }
    if (!f->checkable)
        return TRUE;
    gsize step = f->two_byte ? 2 : 1;
    for (gsize i = 0; i + step <= len; i += step) {
        guint code = f->two_byte ? (guint)s[i] << 8 | s[i + 1] : s[i];
        gboolean notdef = (f->two_byte && code == 0) || (f->notdef != NULL && f->notdef[code]);
        guint8 worth = c->unicode ? f->unicode[code] : MAPPED;
        if (!notdef && worth == MAPPED)
            continue;
        char hex[8];
        g_snprintf(hex, sizeof hex, f->two_byte ? "%04X" : "%02X", code);
        if (notdef)
            return refuse2(c, "6.2.11.8", "7.21.8",
                           "page %d shows the .notdef glyph of the font %s (code <%s>)", page,
                           f->name, hex);
        if (worth == UNMAPPED)
            return refuse2(c, "6.2.11.7.2", "7.21.7",
                           "page %d shows a glyph of the font %s (code <%s>) that has no "
                           "Unicode value in its /ToUnicode map",
                           page, f->name, hex);
        if (worth == INVALID)
            return refuse2(c, "6.2.11.7.2", "7.21.7",
                           "page %d shows a glyph of the font %s (code <%s>) whose Unicode "
                           "value is U+0000, U+FEFF or U+FFFE",
                           page, f->name, hex);
        if (worth == REPLACEMENT)
            return refuse2(c, "6.2.11.7.2", "7.21.7",
                           "page %d shows a glyph of the font %s (code <%s>) that stands for "
                           "no character: its Unicode value is U+FFFD (a character no font "
                           "has, drawn as the font's .notdef box)",
                           page, f->name, hex);
    }
    return TRUE;
}

/* ------------------------------------------------------------------------------------
 * The content scan
 * ------------------------------------------------------------------------------------ */

typedef enum { T_NONE, T_NUMBER, T_NAME, T_STRING, T_DICT, T_TRUE, T_FALSE, T_OTHER } TokKind;

typedef struct {
    TokKind kind;
    gsize start, len;   /* T_NAME: in the content */
    gboolean mcid;      /* T_DICT: holds the key /MCID */
} Tok;

/* The operands an operator looks at: its first few (the rest are counted only). */
#define MAX_OPERANDS 4

/* What a marked-content sequence says about the content inside it (PDF/UA §7.1). */
enum { MC_OTHER, MC_TAGGED, MC_ARTIFACT };

typedef struct {
    Check *c;
    const char *s;
    gsize len, pos;
    int page;
    qpdf_oh resources;
    Tok ops[MAX_OPERANDS]; /* the first operands since the last operator */
    guint n_ops;           /* how many operands there were */
    guint n_strings;       /* how many of them strings (shown text) */
    guint8 *buf;           /* a decoded string; as long as the stream, so never full */
    gsize buf_len;
    GArray *marks;         /* MC_* of the open marked-content sequences */
    gboolean covered;      /* the stream is painted inside tagged or artifact content */
    Font *font;
    GHashTable *font_names; /* resource name → Font (transfer none) */
} Scan;

static gboolean is_white(char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f' || ch == '\0';
}

static gboolean is_delim(char ch)
{
    return ch == '(' || ch == ')' || ch == '<' || ch == '>' || ch == '[' || ch == ']' ||
           ch == '{' || ch == '}' || ch == '/' || ch == '%';
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = (char)(ch | 0x20);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static void skip_white(Scan *sc)
{
    while (sc->pos < sc->len) {
        char ch = sc->s[sc->pos];
        if (ch == '%') {
            while (sc->pos < sc->len && sc->s[sc->pos] != '\n' && sc->s[sc->pos] != '\r')
                sc->pos++;
        } else if (is_white(ch)) {
            sc->pos++;
        } else {
            break;
        }
    }
}

/* Decodes a literal string at pos (just after '(') into sc->buf. */
static void read_literal(Scan *sc)
{
    int depth = 1;
    sc->buf_len = 0;
    while (sc->pos < sc->len) {
        guint8 ch = (guint8)sc->s[sc->pos++];
        if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (--depth == 0)
                return;
        } else if (ch == '\\' && sc->pos < sc->len) {
            guint8 e = (guint8)sc->s[sc->pos++];
            switch (e) {
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case '\r':
                if (sc->pos < sc->len && sc->s[sc->pos] == '\n')
                    sc->pos++;
                continue;
            case '\n':
                continue;
            default:
                if (e >= '0' && e <= '7') {
                    guint v = e - '0';
                    for (int k = 0; k < 2 && sc->pos < sc->len && sc->s[sc->pos] >= '0' &&
                                    sc->s[sc->pos] <= '7';
                         k++)
                        v = v * 8 + (guint)(sc->s[sc->pos++] - '0');
                    ch = (guint8)v;
                } else {
                    ch = e;
                }
            }
        }
        sc->buf[sc->buf_len++] = ch;
    }
}

/* Decodes a hex string at pos (just after '<') into sc->buf. */
static void read_hex(Scan *sc)
{
    int half = -1;
    sc->buf_len = 0;
    while (sc->pos < sc->len) {
        char ch = sc->s[sc->pos++];
        if (ch == '>')
            break;
        int v = hex_value(ch);
        if (v < 0)
            continue;
        if (half < 0) {
            half = v;
        } else {
            sc->buf[sc->buf_len++] = (guint8)(half << 4 | v);
            half = -1;
        }
    }
    if (half >= 0)
        sc->buf[sc->buf_len++] = (guint8)(half << 4);
}

/* Reads a run of regular characters at pos; returns its start and sets *n. */
static gsize read_word(Scan *sc, gsize *n)
{
    gsize start = sc->pos;
    while (sc->pos < sc->len && !is_white(sc->s[sc->pos]) && !is_delim(sc->s[sc->pos]))
        sc->pos++;
    *n = sc->pos - start;
    return start;
}

/* Skips a dictionary at pos (just after "<<"), noting whether it holds /MCID. */
static gboolean skip_dict(Scan *sc)
{
    int depth = 1;
    gboolean mcid = FALSE;
    while (sc->pos < sc->len && depth > 0) {
        skip_white(sc);
        if (sc->pos >= sc->len)
            break;
        char ch = sc->s[sc->pos];
        if (ch == '<' && sc->pos + 1 < sc->len && sc->s[sc->pos + 1] == '<') {
            depth++;
            sc->pos += 2;
        } else if (ch == '>' && sc->pos + 1 < sc->len && sc->s[sc->pos + 1] == '>') {
            depth--;
            sc->pos += 2;
        } else if (ch == '(') {
            sc->pos++;
            read_literal(sc);
        } else if (ch == '<') {
            sc->pos++;
            read_hex(sc);
        } else if (ch == '/') {
            gsize n;
            sc->pos++;
            gsize start = read_word(sc, &n);
            if (n == 4 && memcmp(sc->s + start, "MCID", 4) == 0)
                mcid = TRUE;
        } else if (is_delim(ch)) {
            sc->pos++;
        } else {
            gsize n;
            read_word(sc, &n);
        }
    }
    return mcid;
}

/* Whether a name token equals `name` (without the slash). */
static gboolean tok_is(Scan *sc, const Tok *t, const char *name)
{
    return t->kind == T_NAME && t->len == strlen(name) && memcmp(sc->s + t->start, name, t->len) == 0;
}

/* A name token as a key for the C API ("/Name"; #xx escapes decoded) (transfer full). */
static char *tok_key(Scan *sc, const Tok *t)
{
    GString *k = g_string_new("/");
    for (gsize i = 0; i < t->len; i++) {
        char ch = sc->s[t->start + i];
        if (ch == '#' && i + 2 < t->len && g_ascii_isxdigit(sc->s[t->start + i + 1]) &&
            g_ascii_isxdigit(sc->s[t->start + i + 2])) {
            g_string_append_c(k, (char)(g_ascii_xdigit_value(sc->s[t->start + i + 1]) << 4 |
                                        g_ascii_xdigit_value(sc->s[t->start + i + 2])));
            i += 2;
        } else {
            g_string_append_c(k, ch);
        }
    }
    return g_string_free(k, FALSE);
}

/* resources[category][name] (transfer: a handle the caller releases). */
static qpdf_oh lookup(Scan *sc, const char *category, const Tok *name)
{
    qpdf_data q = sc->c->q;
    qpdf_oh cat = imp__qpdf_get(q, sc->resources, category);
    char *key = tok_key(sc, name);
    qpdf_oh v = imp__qpdf_get(q, cat, key);
    g_free(key);
    qpdf_oh_release(q, cat);
    return v;
}

/* Whether what is painted now lies in tagged or artifact content. */
static gboolean covered(Scan *sc)
{
    if (sc->covered)
        return TRUE;
    for (guint i = 0; i < sc->marks->len; i++)
        if (g_array_index(sc->marks, int, i) != MC_OTHER)
            return TRUE;
    return FALSE;
}

/* PDF/UA §7.1: content shall be tagged or marked as an artifact. */
static gboolean check_covered(Scan *sc, const char *what)
{
    if (!sc->c->ua || covered(sc))
        return TRUE;
    imp__refuse(sc->c->error, sc->c->set, IMP_RULE_PDFUA, "7.1",
                "page %d has %s that is neither tagged nor marked as an artifact", sc->page,
                what);
    return FALSE;
}

static gboolean scan_stream(Check *c, const char *data, gsize len, qpdf_oh resources,
                            int page, gboolean covered_in);

/* Whether decoded content `data` holds tagged content: a marked-content sequence with an
 * MCID, which an artifact must not enclose. (Other marked content, such as cairo's
 * /ActualText spans, may be inside an artifact.) */
static gboolean has_tagged_content(const unsigned char *data, size_t n)
{
    static const char key[] = "/MCID";
    for (size_t i = 0; i + sizeof key - 1 <= n; i++)
        if (data[i] == '/' && memcmp(data + i, key, sizeof key - 1) == 0)
            return TRUE;
    return FALSE;
}

/* Marks form XObject x, whose content `*buf` (decoded, *n bytes; replaced) holds no tagged
 * content and is painted outside any marked content, as an artifact (PDF/UA-1 §7.1): its content becomes
 * "/Artifact BMC … EMC". (Two operators in a content stream: libqpdf's C API has no
 * constructor for operators, and its content-stream writers are C++.) The render stage
 * draws each page's furniture as one such form (render.h: mark_artifacts); what is shown
 * does not change. */
static void mark_artifact_form(Check *c, qpdf_oh x, unsigned char **buf, size_t *n)
{
    static const char before[] = "/Artifact BMC\n", after[] = "\nEMC\n";
    size_t lb = sizeof before - 1, la = sizeof after - 1, len = lb + *n + la;
    unsigned char *data = malloc(len); /* free()d by the caller, as qpdf's buffer is */
    memcpy(data, before, lb);
    if (*n > 0)
        memcpy(data + lb, *buf, *n);
    memcpy(data + lb + *n, after, la);
    imp__flate_set_stream(c->flate, c->q, x, data, len);
    free(*buf);
    *buf = data;
    *n = len;
}

/* Paints the XObject named by t: images count as content (PDF/UA), forms are scanned with
 * their own resources (once per object and coverage). Under PDF/UA a form painted outside
 * marked content that holds none itself is furniture, and is marked as an artifact. */
static gboolean do_xobject(Scan *sc, const Tok *t)
{
    Check *c = sc->c;
    qpdf_data q = c->q;
    qpdf_oh x = lookup(sc, "/XObject", t);
    gboolean ok = TRUE;
    if (qpdf_oh_is_stream(q, x)) {
        qpdf_oh d = qpdf_oh_get_dict(q, x);
        if (imp__qpdf_name_is(q, d, "/Subtype", "/Image")) {
            ok = check_covered(sc, "an image");
        } else if (imp__qpdf_name_is(q, d, "/Subtype", "/Form")) {
            gboolean cov = covered(sc);
            int id = qpdf_oh_get_object_id(q, x);
            gpointer key = GINT_TO_POINTER(id * 2 + (cov ? 1 : 0));
            if (!g_hash_table_contains(c->forms, key)) {
                g_hash_table_add(c->forms, key);
                unsigned char *buf = NULL;
                size_t n = 0;
                QPDF_BOOL filtered = QPDF_FALSE;
                qpdf_oh_get_stream_data(q, x, qpdf_dl_generalized, &filtered, &buf, &n);
                ok = imp__qpdf_ok(q, c->error);
                if (ok && !filtered) {
                    g_set_error(c->error, IMP_ERROR, IMP_ERROR_OUTPUT,
                                "cannot finish the PDF: form XObject %d 0 has a filter that "
                                "cannot be decoded",
                                id);
                    ok = FALSE;
                }
                if (ok && c->ua && !cov && !has_tagged_content(buf, n)) {
                    mark_artifact_form(c, x, &buf, &n);
                    cov = TRUE;
                    g_hash_table_add(c->forms, GINT_TO_POINTER(id * 2 + 1));
                }
                qpdf_oh res = imp__qpdf_get(q, d, "/Resources");
                if (ok)
                    ok = scan_stream(c, (const char *)buf, n,
                                     qpdf_oh_is_dictionary(q, res) ? res : sc->resources,
                                     sc->page, cov);
                qpdf_oh_release(q, res);
                free(buf);
            }
        }
        qpdf_oh_release(q, d);
    }
    qpdf_oh_release(q, x);
    return ok;
}

/* Reads an inline image's dictionary (after BI) up to ID, checks it (§6.2.8, §6.1.10),
 * and skips its data to just after EI. */
static gboolean inline_image(Scan *sc)
{
    gboolean interpolate = FALSE, lzw = FALSE, after_interpolate = FALSE;
    for (;;) {
        skip_white(sc);
        if (sc->pos >= sc->len)
            return TRUE;
        char ch = sc->s[sc->pos];
        gsize n;
        if (ch == '/') {
            sc->pos++;
            gsize start = read_word(sc, &n);
            Tok name = { T_NAME, start, n, FALSE };
            /* these names mean LZW wherever they stand in an image dictionary */
            lzw = lzw || tok_is(sc, &name, "LZW") || tok_is(sc, &name, "LZWDecode");
            after_interpolate = tok_is(sc, &name, "I") || tok_is(sc, &name, "Interpolate");
            continue;
        }
        if (ch == '(' || ch == '<') {
            sc->pos++;
            if (ch == '(')
                read_literal(sc);
            else
                read_hex(sc);
        } else if (is_delim(ch)) {
            sc->pos++;
        } else {
            gsize start = read_word(sc, &n);
            if (n == 2 && memcmp(sc->s + start, "ID", 2) == 0)
                break;
            if (after_interpolate && n == 4 && memcmp(sc->s + start, "true", 4) == 0)
                interpolate = TRUE;
        }
        after_interpolate = FALSE;
    }
    /* data: from after the white-space character that follows ID to white space + EI */
    sc->pos++;
    while (sc->pos + 2 <= sc->len) {
        if (sc->s[sc->pos] == 'E' && sc->s[sc->pos + 1] == 'I' && sc->pos > 0 &&
            is_white(sc->s[sc->pos - 1]) &&
            (sc->pos + 2 == sc->len || is_white(sc->s[sc->pos + 2]) || is_delim(sc->s[sc->pos + 2])))
            break;
        sc->pos++;
    }
    sc->pos = MIN(sc->pos + 2, sc->len);
    if (interpolate)
        return refuse2(sc->c, "6.2.8", NULL, "page %d has an inline image with /Interpolate true",
                       sc->page);
    if (lzw)
        return refuse2(sc->c, "6.1.10", NULL, "page %d has an inline image compressed with LZW",
                       sc->page);
    return check_covered(sc, "an inline image");
}

/* The font named by a Tf operand, from the resources (transfer none). */
static Font *font_by_name(Scan *sc, const Tok *t)
{
    char *key = tok_key(sc, t);
    Font *f = g_hash_table_lookup(sc->font_names, key);
    if (f == NULL) {
        qpdf_oh font = lookup(sc, "/Font", t);
        if (qpdf_oh_is_dictionary(sc->c->q, font))
            f = font_get(sc->c, font);
        qpdf_oh_release(sc->c->q, font);
        if (f != NULL)
            g_hash_table_insert(sc->font_names, key, f);
        else
            g_free(key);
    } else {
        g_free(key);
    }
    return f;
}

/* Carries out one operator on the operands read since the last one. */
static gboolean operator(Scan *sc, const char *op, gsize n)
{
    Check *c = sc->c;
    Tok *first = sc->n_ops > 0 ? &sc->ops[0] : NULL;
#define OP(name) (n == sizeof(name) - 1 && memcmp(op, name, n) == 0)
    if (OP("Tf")) {
        sc->font = first != NULL && first->kind == T_NAME ? font_by_name(sc, first) : NULL;
        return TRUE;
    }
    if (OP("Tj") || OP("'") || OP("\"") || OP("TJ")) /* codes checked as read */
        return check_covered(sc, "text");
    if (OP("BDC") || OP("BMC")) {
        int kind = MC_OTHER;
        if (first != NULL && tok_is(sc, first, "Artifact"))
            kind = MC_ARTIFACT;
        else if (OP("BDC") && sc->n_ops >= 2) {
            Tok *props = &sc->ops[1];
            if ((props->kind == T_DICT && props->mcid) || props->kind == T_NAME)
                kind = MC_TAGGED; /* a named property list: taken as tagged */
        }
        g_array_append_val(sc->marks, kind);
        return TRUE;
    }
    if (OP("EMC")) {
        if (sc->marks->len > 0)
            g_array_set_size(sc->marks, sc->marks->len - 1);
        return TRUE;
    }
    if (OP("Do"))
        return first == NULL || first->kind != T_NAME || do_xobject(sc, first);
    if (OP("BI"))
        return inline_image(sc);
    if (OP("k") || OP("K"))
        return refuse2(c, "6.2.4.3", NULL, "page %d paints in DeviceCMYK, but the output intent "
                       "is sRGB", sc->page);
    if ((OP("cs") || OP("CS")) && first != NULL && tok_is(sc, first, "DeviceCMYK"))
        return refuse2(c, "6.2.4.3", NULL, "page %d paints in DeviceCMYK, but the output intent "
                       "is sRGB", sc->page);
    if (OP("ri") && first != NULL && first->kind == T_NAME) {
        char *key = tok_key(sc, first);
        gboolean ok = in_list(key, rendering_intents) ||
                      refuse2(c, "6.2.6", NULL, "page %d sets the rendering intent %s", sc->page,
                              key + 1);
        g_free(key);
        return ok;
    }
    if (OP("S") || OP("s") || OP("f") || OP("F") || OP("f*") || OP("B") || OP("B*") ||
        OP("b") || OP("b*"))
        return check_covered(sc, "a painted path");
    if (OP("sh"))
        return check_covered(sc, "a shading");
#undef OP
    return TRUE;
}

/* Scans one content stream; see the file comment. A string operand is shown text (only
 * the text operators take strings; dictionaries and inline images are read apart), so its
 * codes are checked as soon as it is read, in the font of the last Tf. */
static gboolean scan_stream(Check *c, const char *data, gsize len, qpdf_oh resources,
                            int page, gboolean covered_in)
{
    Scan sc = { c, data, len, 0, page, resources, { { 0 } }, 0, 0, g_malloc(len + 1), 0,
                g_array_new(FALSE, FALSE, sizeof(int)), covered_in, NULL,
                g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    gboolean ok = TRUE;
    int array_depth = 0;
    while (ok) {
        skip_white(&sc);
        if (sc.pos >= sc.len)
            break;
        char ch = sc.s[sc.pos];
        Tok t = { T_OTHER, 0, 0, FALSE };
        gsize n;
        if (ch == '/') {
            sc.pos++;
            t.start = read_word(&sc, &n);
            t.kind = T_NAME;
            t.len = n;
        } else if (ch == '(' || (ch == '<' && (sc.pos + 1 >= sc.len || sc.s[sc.pos + 1] != '<'))) {
            sc.pos++;
            t.kind = T_STRING;
            if (ch == '(')
                read_literal(&sc);
            else
                read_hex(&sc);
            sc.n_strings++;
            if (sc.font != NULL)
                ok = check_codes(c, sc.font, sc.buf, sc.buf_len, sc.page);
        } else if (ch == '<') {
            sc.pos += 2;
            t.kind = T_DICT;
            t.mcid = skip_dict(&sc);
        } else if (ch == '[') {
            sc.pos++;
            array_depth++;
            continue;
        } else if (ch == ']') {
            sc.pos++;
            array_depth = MAX(array_depth - 1, 0);
            continue;
        } else if (is_delim(ch)) {
            sc.pos++; /* a stray delimiter: '>' '{' '}' ')' */
            continue;
        } else {
            gsize start = read_word(&sc, &n);
            char first = sc.s[start];
            if (g_ascii_isdigit(first) || first == '-' || first == '+' || first == '.') {
                t.kind = T_NUMBER;
            } else if ((n == 4 && memcmp(sc.s + start, "true", 4) == 0) ||
                       (n == 5 && memcmp(sc.s + start, "false", 5) == 0) ||
                       (n == 4 && memcmp(sc.s + start, "null", 4) == 0)) {
                t.kind = T_OTHER;
            } else {
                if (array_depth == 0) {
                    ok = operator(&sc, sc.s + start, n);
                    sc.n_ops = 0;
                    sc.n_strings = 0;
                }
                continue;
            }
        }
        if (sc.n_ops < MAX_OPERANDS)
            sc.ops[sc.n_ops] = t;
        sc.n_ops++;
    }
    g_free(sc.buf);
    g_array_free(sc.marks, TRUE);
    g_hash_table_destroy(sc.font_names);
    return ok;
}

/* A page's /Resources, inherited from the page tree when the page has none (transfer: a
 * handle the caller releases). */
static qpdf_oh page_resources(qpdf_data q, qpdf_oh page)
{
    qpdf_oh node = qpdf_oh_new_object(q, page);
    for (int depth = 0; depth < MAX_NESTING; depth++) {
        qpdf_oh r = imp__qpdf_get(q, node, "/Resources");
        if (qpdf_oh_is_dictionary(q, r)) {
            qpdf_oh_release(q, node);
            return r;
        }
        qpdf_oh_release(q, r);
        qpdf_oh parent = imp__qpdf_get(q, node, "/Parent");
        qpdf_oh_release(q, node);
        node = parent;
        if (!qpdf_oh_is_dictionary(q, node))
            break;
    }
    return node; /* not a dictionary: lookups in it find nothing */
}

/* Scans the content of every page. */
static gboolean scan_pages(Check *c)
{
    qpdf_data q = c->q;
    int n = qpdf_get_num_pages(q);
    gboolean ok = imp__qpdf_ok(q, c->error);
    for (int p = 0; ok && p < n; p++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
        unsigned char *buf = NULL;
        size_t len = 0;
        qpdf_oh_get_page_content_data(q, page, &buf, &len);
        ok = imp__qpdf_ok(q, c->error);
        qpdf_oh res = page_resources(q, page);
        if (ok)
            ok = scan_stream(c, (const char *)buf, len, res, p + 1, FALSE);
        if (ok && imp__qpdf_has(q, page, "/PresSteps"))
            ok = refuse2(c, "6.10", NULL, "page %d has /PresSteps", p + 1);
        qpdf_oh_release(q, res);
        free(buf);
        qpdf_oh_release(q, page);
    }
    return ok;
}

/* Runs both passes; see finish-private.h. */
gboolean imp__finish_check(qpdf_data q, ImpPdfStandards set, ImpFlate *flate, GError **error)
{
    Check c = { q, set, (set & IMP_PDF_A) != 0, (set & (IMP_PDF_A_U | IMP_PDF_UA_1)) != 0,
                (set & IMP_PDF_UA_1) != 0, g_hash_table_new_full(NULL, NULL, NULL, font_free),
                g_ptr_array_new_with_free_func(font_free), g_hash_table_new(NULL, NULL), flate,
                error };
    gboolean ok = TRUE;
    if (c.pdfa || c.ua)
        ok = walk_objects(&c) && (!c.pdfa || check_catalogue(&c)) && scan_pages(&c) &&
             imp__qpdf_ok(q, error);
    g_hash_table_destroy(c.fonts);
    g_ptr_array_free(c.direct_fonts, TRUE);
    g_hash_table_destroy(c.forms);
    return ok;
}
