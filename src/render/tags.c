/* tags.c — the tagged structure of a PDF: which structure element each thing drawn belongs
 * to, opened and closed with cairo's tag API as the pages are drawn.
 *
 * The tree (ISO 32000-1 §14.8.4's standard types, so no role map is needed):
 *
 *   Document
 *     H1 … H6          the title and headings, by their depth under the title (a level
 *                      skipped is not skipped in the tags, and the first heading is H1)
 *     P                paragraphs, the subtitle, a list item's and a definition's text,
 *                      an image's alt text set where the image could not be
 *     Code             code blocks
 *     BlockQuote       around the blocks of a quotation
 *     L / LI / Lbl / LBody (/ P …)   lists, nested in the LBody of their item, the marker
 *                      the Lbl; a term and its definition are an LI of an L, the term its
 *                      Lbl
 *     Table / TR / TH|TD   from the items' cell indices; header rows give TH
 *     Figure           an image, its alternative text passed on for the finish stage
 *     Caption          a figure's or table's caption
 *     Note / P         the notice (the attribution is its text)
 *     Span, Link       inside an element that holds a link or a run in another language
 *
 * Furniture — running heads and footers, rules, tints, the masthead, table header rows
 * repeated after a break, the every-page notice but for one copy — is in no element: each
 * page draws its tints and leading furniture first and the rest last, outside every
 * element (and, with `mark_artifacts`, each part as one group, which cairo writes as a
 * form XObject that the finish stage marks as an artifact), and between them its content
 * in reading order, a list item's marker before its text.
 *
 * What cairo 1.16 can and cannot do decides the shape of the tree:
 *  - it marks content (BDC … EMC with an MCID) only inside a leaf element; text drawn in an
 *    element that also has children drops out of the tree. So an element either holds
 *    content (a leaf) or children, never both: a paragraph with a link is a P of Spans
 *    and Links, every run of its text in one of them;
 *  - a leaf element open at the end of a page is reopened by cairo on the next page before
 *    anything is drawn there, which would put that page's furniture inside it. So a leaf
 *    is never left open over a page break: an element whose content is interrupted (by a
 *    page break, or by another element's content on its page) holds one Span per stretch
 *    of its content, and its container element stays open over the break (cairo marks
 *    nothing for it);
 *  - a Link outside any structure element damages the file, and so does a tag cairo does
 *    not know ("Artifact"): links are always inside the Document, furniture is untagged.
 * Each element is a leaf unless it must not be (a link, a language of its own, an
 * interruption), which keeps the tree small: one element a paragraph.
 *
 * Invariants:
 *  1. Every glyph of a content item is drawn inside exactly one leaf element; every
 *     furniture item inside none.
 *  2. Tags are balanced: every element begun is ended, in reverse order, and all are
 *     ended before the last page is shown.
 *  3. Structure elements are begun in document order, and `options->elements` gets one
 *     record per element begun, in that order (what the finish stage indexes by).
 */
#include <cairo-pdf.h>
#include <string.h>

#include "render-private.h"

typedef enum {
    T_DOCUMENT, T_P, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_L, T_LI, T_LBL, T_LBODY,
    T_BLOCKQUOTE, T_CODE, T_TABLE, T_TR, T_TH, T_TD, T_FIGURE, T_CAPTION, T_NOTE, T_SPAN,
    T_LINK, T_NONE
} Type;

static const char *const type_names[] = {
    [T_DOCUMENT] = "Document", [T_P] = "P", [T_H1] = "H1", [T_H2] = "H2", [T_H3] = "H3",
    [T_H4] = "H4", [T_H5] = "H5", [T_H6] = "H6", [T_L] = "L", [T_LI] = "LI",
    [T_LBL] = "Lbl", [T_LBODY] = "LBody", [T_BLOCKQUOTE] = "BlockQuote", [T_CODE] = "Code",
    [T_TABLE] = "Table", [T_TR] = "TR", [T_TH] = "TH", [T_TD] = "TD", [T_FIGURE] = "Figure",
    [T_CAPTION] = "Caption", [T_NOTE] = "Note", [T_SPAN] = "Span", [T_LINK] = CAIRO_TAG_LINK,
};

/* What an element stands for: its type, the block (or container's first block) and, for
 * table rows and cells, the row or cell. Two nodes are one element when all three agree. */
typedef struct {
    guint32 type, id, sub;
} Node;

#define NO_SUB G_MAXUINT32

static gboolean node_eq(const Node *a, const Node *b)
{
    return a->type == b->type && a->id == b->id && a->sub == b->sub;
}

/* An open element. */
typedef struct {
    Node node;
    gboolean leaf;    /* content is drawn into it directly */
    gboolean split;   /* a block's element whose content is in Span and Link children */
    const char *lang; /* its language, its own or inherited (NULL: the document's) */
} Open;

/* Containers deeper than this are flattened into the deepest (a hostile input's nesting). */
#define MAX_DEPTH 16

/* Block flags of the pass over the document and the pages. */
enum { B_FIGURE = 1 << 0 };

struct ImpTags {
    cairo_t *cr;
    const ImpLayout *layout;
    const ImpDocument *doc;
    const char *doc_lang;       /* the document's language (NULL: not known) */
    guint first, last, n_blocks;
    gboolean tagged;            /* structure elements (else links alone) */
    GArray *elements;           /* ImpRenderElement records, or NULL */
    ImpLinks *links;

    /* the document's structure, block by block */
    guint32 *path_at;           /* n_blocks + 1: block b's containers are paths[path_at[b]..] */
    GArray *paths;              /* of Node */
    guint8 *element;            /* the block's own element type (Type), T_NONE: furniture */
    guint8 *flags;              /* B_* */
    guint notice_page;          /* the page whose copy of the every-page notice is tagged */

    /* the page being drawn */
    guint page;
    const ImpItem *items;
    guint n_items;
    GArray *order;              /* of guint: drawing order */
    guint n_content_end;        /* the end of the content in order */
    guint pos;                  /* position in order of the last content item seen */
    GArray *areas;              /* of guint: the page's link areas (items) */

    /* open elements, the Document at the bottom */
    GArray *open;               /* of Open */
    const ImpBlock *text_block; /* the block whose text the open block element holds */
    const char *elem_lang;      /* its language */
    gint child_area;            /* the open child: its link area (index into items), -1 */
    gint child_lang;            /* its language span (index into text_block's spans), -1 */
    gboolean child_open;
    const char *delta_text;     /* the last line text whose offset was found ... */
    gssize delta;               /* ... and where the block's text starts in it (-1: not) */
};

/* ------------------------------------------------------------------------------------
 * The document's structure
 * ------------------------------------------------------------------------------------ */

/* A container open while the blocks are walked, with the block it opened at (containers
 * opened earlier enclose those opened later). */
typedef struct {
    guint32 start;
    Node nodes[3];
    guint n_nodes;
} Box;

/* A list open while the blocks are walked: its L, its current LI, and the quotation depth
 * it began at. */
typedef struct {
    guint32 l, li, quote_depth;
} ListOpen;

static int compare_box(const void *a, const void *b)
{
    const Box *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Fills path_at, paths and element from the blocks' kinds and depths: quotations and lists
 * nest by the order they opened in; a definition list sits inside the lists; the notice's
 * blocks share one Note. */
static void build_model(ImpTags *t)
{
    guint n = t->n_blocks;
    t->path_at = g_new(guint32, n + 1);
    t->element = g_new(guint8, n);
    t->flags = g_new0(guint8, n);
    t->paths = g_array_new(FALSE, FALSE, sizeof(Node));
    guint32 quotes[MAX_DEPTH];
    guint n_quotes = 0;
    ListOpen lists[MAX_DEPTH];
    guint n_lists = 0;
    gboolean dl_open = FALSE, note_open = FALSE;
    guint32 dl_l = 0, dl_li = 0, note = 0;
    guint ranks[8], n_ranks = 0;
    for (guint b = 0; b < n; b++) {
        const ImpBlock *blk = imp_document_get_block(t->doc, b);
        ImpBlockKind kind = imp_block_get_kind(blk);
        guint qd = MIN(imp_block_get_quote_depth(blk), MAX_DEPTH);
        guint ld = MIN(imp_block_get_list_depth(blk), MAX_DEPTH - 1);
        t->path_at[b] = t->paths->len;
        if (kind == IMP_BLOCK_PAGE_BREAK) {
            t->element[b] = T_NONE;
            continue;
        }
        /* quotations */
        n_quotes = MIN(n_quotes, qd);
        while (n_quotes < qd)
            quotes[n_quotes++] = b;
        /* lists: a quotation's end ends the lists begun inside it */
        while (n_lists > 0 && lists[n_lists - 1].quote_depth > qd)
            n_lists--;
        if (kind == IMP_BLOCK_LIST_ITEM) {
            guint d = MIN(MAX(ld, 1u), n_lists + 1);
            n_lists = MIN(n_lists, d);
            if (n_lists == d && (imp_block_get_flags(blk) & IMP_BLOCK_FLAG_LIST_START))
                n_lists = d - 1;
            if (n_lists < d)
                lists[n_lists++] = (ListOpen){ b, b, qd };
            else
                lists[d - 1].li = b;
        } else {
            n_lists = MIN(n_lists, ld);
        }
        /* definition lists */
        if (kind == IMP_BLOCK_TERM || kind == IMP_BLOCK_DEFINITION) {
            if (!dl_open) {
                dl_open = TRUE;
                dl_l = b;
                dl_li = b;
            }
            if (kind == IMP_BLOCK_TERM)
                dl_li = b;
        } else {
            dl_open = FALSE;
        }
        if (kind == IMP_BLOCK_NOTICE) {
            if (!note_open)
                note = b;
            note_open = TRUE;
        } else {
            note_open = FALSE;
        }

        /* the containers, outermost first */
        Box boxes[2 * MAX_DEPTH + 2];
        guint n_boxes = 0;
        for (guint k = 0; k < n_quotes; k++)
            boxes[n_boxes++] = (Box){ quotes[k], { { T_BLOCKQUOTE, quotes[k], NO_SUB } }, 1 };
        for (guint k = 0; k < n_lists; k++)
            boxes[n_boxes++] = (Box){ lists[k].l,
                                      { { T_L, lists[k].l, NO_SUB },
                                        { T_LI, lists[k].li, NO_SUB },
                                        { T_LBODY, lists[k].li, NO_SUB } },
                                      3 };
        qsort(boxes, n_boxes, sizeof(Box), compare_box);
        for (guint k = 0; k < n_boxes; k++)
            g_array_append_vals(t->paths, boxes[k].nodes, boxes[k].n_nodes);
        if (dl_open) {
            Node dl[3] = { { T_L, dl_l, NO_SUB }, { T_LI, dl_li, NO_SUB },
                           { T_LBODY, dl_li, NO_SUB } };
            g_array_append_vals(t->paths, dl, kind == IMP_BLOCK_TERM ? 2 : 3);
        }
        if (note_open) {
            Node nn = { T_NOTE, note, NO_SUB };
            g_array_append_val(t->paths, nn);
        }

        /* the block's own element */
        switch (kind) {
        case IMP_BLOCK_TITLE:
        case IMP_BLOCK_HEADING: {
            guint rank = kind == IMP_BLOCK_TITLE ? 0 : CLAMP(imp_block_get_level(blk), 1u, 6u);
            while (n_ranks > 0 && ranks[n_ranks - 1] >= rank)
                n_ranks--;
            ranks[n_ranks++] = rank;
            t->element[b] = (guint8)(T_H1 + MIN(n_ranks, 6u) - 1);
            break;
        }
        case IMP_BLOCK_CODE:
            t->element[b] = T_CODE;
            break;
        case IMP_BLOCK_TERM:
            t->element[b] = T_LBL;
            break;
        case IMP_BLOCK_IMAGE:
            t->element[b] = T_FIGURE;
            break;
        case IMP_BLOCK_TABLE:
            t->element[b] = T_TABLE;
            break;
        case IMP_BLOCK_RULE:
        case IMP_BLOCK_PAGE_BREAK:
            t->element[b] = T_NONE;
            break;
        default:
            t->element[b] = T_P;
            break;
        }
    }
    t->path_at[n] = t->paths->len;
}

/* Whether item `it` on page `page` is furniture (drawn first, in no element). Items that
 * draw nothing (anchors, link areas) are not. */
static gboolean is_artifact(const ImpTags *t, const ImpItem *it, guint page)
{
    if (it->kind == IMP_ITEM_ANCHOR || it->kind == IMP_ITEM_LINK)
        return FALSE;
    if (it->block == IMP_ITEM_NO_BLOCK || it->block >= t->n_blocks ||
        it->kind == IMP_ITEM_RULE || it->kind == IMP_ITEM_BOX || t->element[it->block] == T_NONE)
        return TRUE;
    /* one copy of the every-page notice is its text; the others, and table header rows
       repeated after a break, are furniture */
    if (it->flags & IMP_ITEM_REPEATED)
        return page != t->notice_page ||
               imp_block_get_kind(imp_document_get_block(t->doc, it->block)) != IMP_BLOCK_NOTICE;
    return (it->flags & IMP_ITEM_ARTIFACT) != 0;
}

/* The leaf-level element of content item `it`: the block's element (a heading's number,
 * a marker too, is part of the heading's text), or for a list item's marker its Lbl, for a
 * table's cell its TH or TD, for an image's text its Caption (or a P when no image is
 * drawn). */
static Node item_node(const ImpTags *t, const ImpItem *it)
{
    guint b = it->block;
    Node n = { t->element[b], b, NO_SUB };
    if ((it->flags & IMP_ITEM_MARKER) &&
        imp_block_get_kind(imp_document_get_block(t->doc, b)) == IMP_BLOCK_LIST_ITEM) {
        n.type = T_LBL;
        n.sub = 1; /* not the P the item's text is in */
    } else if (n.type == T_FIGURE) {
        if (it->kind != IMP_ITEM_IMAGE)
            n.type = (t->flags[b] & B_FIGURE) ? T_CAPTION : T_P;
    } else if (n.type == T_TABLE) {
        const ImpBlock *table = imp_document_get_block(t->doc, b);
        guint cols = imp_table_get_n_columns(table);
        guint row = cols > 0 && it->cell > 0 ? (it->cell - 1u) / cols : 0;
        if (it->cell == 0 || it->cell == 0xFFFF || cols == 0 ||
            row >= imp_table_get_n_rows(table)) {
            n.type = T_CAPTION; /* a table's own text, or a cell the table does not have */
        } else {
            n.type = imp_table_row_is_header(table, row) ? T_TH : T_TD;
            n.sub = it->cell;
        }
    }
    return n;
}

/* The block whose text and spans item `it` shows: a table's cell, else the block. */
static const ImpBlock *item_text_block(const ImpTags *t, const ImpItem *it)
{
    const ImpBlock *b = imp_document_get_block(t->doc, it->block);
    if (imp_block_get_kind(b) == IMP_BLOCK_TABLE && it->cell != 0 && it->cell != 0xFFFF) {
        guint cols = imp_table_get_n_columns(b);
        if (cols > 0 && (it->cell - 1u) / cols < imp_table_get_n_rows(b)) {
            const ImpBlock *cell = imp_table_get_cell(b, (it->cell - 1u) / cols,
                                                      (it->cell - 1u) % cols);
            if (cell != NULL)
                return cell;
        }
    }
    return b;
}

/* The full path of content item `it` into `out` (Document, containers, its element);
 * returns its length. */
static guint item_path(const ImpTags *t, const ImpItem *it, Node *out, guint max)
{
    guint n = 0;
    out[n++] = (Node){ T_DOCUMENT, 0, NO_SUB };
    guint b = it->block;
    Node leaf = item_node(t, it);
    for (guint k = t->path_at[b]; k < t->path_at[b + 1] && n + 3 < max; k++) {
        const Node *c = &g_array_index(t->paths, Node, k);
        /* a marker's Lbl stands in its LI, beside the LBody */
        if (leaf.type == T_LBL && c->type == T_LBODY && k + 1 == t->path_at[b + 1])
            break;
        out[n++] = *c;
    }
    if (leaf.type == T_TH || leaf.type == T_TD) {
        guint cols = imp_table_get_n_columns(imp_document_get_block(t->doc, b));
        out[n++] = (Node){ T_TABLE, b, NO_SUB };
        out[n++] = (Node){ T_TR, b, (leaf.sub - 1u) / cols };
    } else if (leaf.type == T_CAPTION && t->element[b] == T_TABLE) {
        out[n++] = (Node){ T_TABLE, b, NO_SUB };
    }
    out[n++] = leaf;
    return n;
}

/* ------------------------------------------------------------------------------------
 * Elements
 * ------------------------------------------------------------------------------------ */

/* Whether a language differs from another (case aside); NULL differs from nothing. */
static gboolean lang_differs(const char *a, const char *b)
{
    return a != NULL && (b == NULL || g_ascii_strcasecmp(a, b) != 0);
}

/* Begins element `type` with cairo's tag (attrs: a Link's), to be pushed as `o`, and
 * records what the finish stage is to add to it: its language where it differs from the
 * one it inherits (the finish stage writes /Lang there), its alternative text, its scope. */
static void begin(ImpTags *t, Type type, const char *attrs, const char *lang, const char *alt,
                  const char *scope, Open *o)
{
    const char *inherited = t->open->len > 0
                          ? g_array_index(t->open, Open, t->open->len - 1).lang
                          : t->doc_lang;
    gboolean own = lang_differs(lang, inherited);
    o->lang = own ? lang : inherited;
    cairo_tag_begin(t->cr, type_names[type], attrs);
    if (t->elements != NULL) {
        ImpRenderElement e = { own ? lang : NULL, alt, scope };
        g_array_append_val(t->elements, e);
    }
    g_array_append_val(t->open, *o);
}

/* Ends the innermost open element. */
static void end_top(ImpTags *t)
{
    Open *o = &g_array_index(t->open, Open, t->open->len - 1);
    cairo_tag_end(t->cr, type_names[o->node.type]);
    if (o->node.type == T_SPAN || o->node.type == T_LINK)
        t->child_open = FALSE;
    else if (o->split || o->leaf)
        t->text_block = NULL;
    g_array_set_size(t->open, t->open->len - 1);
}

/* Ends the open child of a split element, if any. */
static void end_child(ImpTags *t)
{
    if (t->child_open)
        end_top(t);
}

/* Whether the block `b`'s text holds a link or a span in a language other than `lang`,
 * which its element's content must be split around. */
static gboolean has_inline(const ImpBlock *b, const char *lang)
{
    guint n = imp_block_get_n_spans(b);
    for (guint i = 0; i < n; i++) {
        const ImpSpan *s = imp_block_get_span(b, i);
        if ((s->flags & IMP_SPAN_LINK) ||
            ((s->flags & IMP_SPAN_LANG) && lang_differs(s->lang, lang)))
            return TRUE;
    }
    return FALSE;
}

/* Whether the element `node` of the item at drawing position `pos` is interrupted: its
 * content goes on after another element's on this page, or on the next page. */
static gboolean interrupted(const ImpTags *t, const Node *node, guint pos)
{
    const guint *order = (const guint *)(gpointer)t->order->data;
    guint q = pos + 1, block = node->id, end = t->n_content_end;
    /* its own run of items */
    for (; q < end; q++) {
        const ImpItem *it = &t->items[order[q]];
        if (it->kind == IMP_ITEM_ANCHOR || it->kind == IMP_ITEM_LINK)
            continue;
        Node n = item_node(t, it);
        if (!node_eq(&n, node))
            break;
    }
    if (q < end) {
        for (; q < end; q++) {
            const ImpItem *it = &t->items[order[q]];
            if (it->block == block && it->kind != IMP_ITEM_ANCHOR && it->kind != IMP_ITEM_LINK) {
                Node n = item_node(t, it);
                if (node_eq(&n, node))
                    return TRUE;
            }
        }
        return FALSE;
    }
    /* it ends the page: does it go on on the next? */
    if (t->page + 1 >= t->last)
        return FALSE;
    guint n_next;
    const ImpItem *next = imp_layout_get_items(t->layout, t->page + 1, &n_next);
    for (guint i = 0; next != NULL && i < n_next; i++)
        if (next[i].block == block && next[i].kind != IMP_ITEM_ANCHOR &&
            next[i].kind != IMP_ITEM_LINK && !is_artifact(t, &next[i], t->page + 1)) {
            Node n = item_node(t, &next[i]);
            if (node_eq(&n, node))
                return TRUE;
        }
    return FALSE;
}

/* Begins the element of node `n` (a container, or the item's own element). */
static void open_node(ImpTags *t, const Node *n, const ImpItem *it, gboolean is_leaf_level)
{
    Open o = { *n, FALSE, FALSE, NULL };
    const char *lang = NULL, *alt = NULL, *scope = NULL;
    if (is_leaf_level) {
        const ImpBlock *tb = item_text_block(t, it);
        lang = imp_block_get_language(tb);
        if (n->type == T_FIGURE) {
            gsize len;
            const char *text = imp_block_get_text(tb, &len);
            alt = len > 0 ? text : NULL;
        } else if (n->type == T_TH) {
            scope = "Column";
        }
        t->text_block = tb;
        t->elem_lang = lang;
        t->delta_text = NULL;
        o.split = has_inline(tb, lang) || interrupted(t, n, t->pos);
        o.leaf = !o.split;
    } else if (n->type == T_NOTE || n->type == T_BLOCKQUOTE || n->type == T_LI) {
        /* a container takes the language of the block it began with */
        lang = imp_block_get_language(imp_document_get_block(t->doc, n->id));
    }
    begin(t, (Type)n->type, NULL, lang, alt, scope, &o);
}

/* The position of item `it` in the drawing order, from the last one on. */
static guint find_pos(ImpTags *t, const ImpItem *it)
{
    guint index = (guint)(it - t->items);
    const guint *order = (const guint *)(gpointer)t->order->data;
    for (guint q = t->pos; q < t->n_content_end; q++)
        if (order[q] == index)
            return q;
    for (guint q = 0; q < t->pos; q++)
        if (order[q] == index)
            return q;
    return t->pos;
}

/* The top of item `it` for a destination: a line's ascent above its baseline. */
static double item_top(const ImpItem *it)
{
    const PangoFont *font = NULL;
    if (it->kind == IMP_ITEM_GLYPHS && it->glyphs->n_runs > 0) {
        font = it->glyphs->runs[0].style->analysis.font;
    } else if (it->kind == IMP_ITEM_TEXT) {
        PangoRectangle logical;
        pango_layout_line_get_extents(it->line, NULL, &logical);
        return it->y + logical.y / (double)PANGO_SCALE;
    }
    if (font == NULL)
        return it->y;
    PangoFontMetrics *m = pango_font_get_metrics((PangoFont *)font, NULL);
    double ascent = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
    return it->y - ascent;
}

/* ------------------------------------------------------------------------------------
 * The page loop's calls
 * ------------------------------------------------------------------------------------ */

/* The structure of a PDF; see render-private.h. Reads every page to be drawn once: the
 * blocks drawn (for "#id" links), which images are drawn, where the notice is. */
ImpTags *imp__tags_new(cairo_t *cr, const ImpLayout *layout, guint first, guint last,
                       const ImpRenderOptions *options)
{
    ImpTags *t = g_new0(ImpTags, 1);
    t->cr = cr;
    t->layout = layout;
    t->doc = imp_layout_get_document(layout);
    t->doc_lang = imp_document_get_meta(t->doc, IMP_META_LANGUAGE);
    t->first = first;
    t->last = last;
    t->n_blocks = imp_document_get_n_blocks(t->doc);
    t->tagged = options->tagged;
    t->elements = options->elements;
    t->links = imp__links_new(cr, t->doc);
    t->order = g_array_new(FALSE, FALSE, sizeof(guint));
    t->areas = g_array_new(FALSE, FALSE, sizeof(guint));
    t->open = g_array_new(FALSE, FALSE, sizeof(Open));
    t->child_area = t->child_lang = -1;
    build_model(t);

    guint notice = G_MAXUINT, body_min = G_MAXUINT;
    for (guint p = first; p < last; p++) {
        guint n;
        const ImpItem *items = imp_layout_get_items(layout, p, &n);
        for (guint i = 0; items != NULL && i < n; i++) {
            const ImpItem *it = &items[i];
            if (it->block >= t->n_blocks)
                continue;
            imp__links_note_block(t->links, it->block);
            if (it->kind == IMP_ITEM_IMAGE)
                t->flags[it->block] |= B_FIGURE;
            if ((it->flags & IMP_ITEM_REPEATED) &&
                imp_block_get_kind(imp_document_get_block(t->doc, it->block)) == IMP_BLOCK_NOTICE)
                notice = MIN(notice, it->block);
            else if (!(it->flags & (IMP_ITEM_ARTIFACT | IMP_ITEM_REPEATED)))
                body_min = MIN(body_min, it->block);
        }
    }
    /* the every-page notice is tagged once: on the last page when text comes before it in
       the document, else on the first */
    t->notice_page = notice == G_MAXUINT ? G_MAXUINT : body_min < notice ? last - 1 : first;
    return t;
}

void imp__tags_free(ImpTags *tags)
{
    if (tags == NULL)
        return;
    imp__links_free(tags->links);
    g_free(tags->path_at);
    g_free(tags->element);
    g_free(tags->flags);
    g_array_free(tags->paths, TRUE);
    g_array_free(tags->order, TRUE);
    g_array_free(tags->areas, TRUE);
    g_array_free(tags->open, TRUE);
    g_free(tags);
}

/* The drawing order of a page; see render-private.h. Furniture that comes before all
 * content in the layout's order (the masthead) and tints (which lie under text) are drawn
 * first; the rest of it (running heads, rules, the notice) last, as the layout orders a
 * page: body, then header, footer and notice. */
const guint *imp__tags_page_begin(ImpTags *tags, guint page, const ImpItem *items, guint n,
                                  guint *n_under, guint *n_over)
{
    ImpTags *t = tags;
    t->page = page;
    t->items = items;
    t->n_items = n;
    g_array_set_size(t->order, 0);
    g_array_set_size(t->areas, 0);
    guint first_content = n;
    for (guint i = 0; i < n && first_content == n; i++)
        if (!is_artifact(t, &items[i], page))
            first_content = i;
    for (guint i = 0; i < n; i++)
        if (is_artifact(t, &items[i], page) &&
            (i < first_content || items[i].kind == IMP_ITEM_BOX))
            g_array_append_val(t->order, i);
    *n_under = t->order->len;
    for (guint i = 0; i < n; i++) {
        if (is_artifact(t, &items[i], page))
            continue;
        if (items[i].kind == IMP_ITEM_LINK)
            g_array_append_val(t->areas, i);
        /* a list item's marker goes before the first item of its block on the page */
        guint at = t->order->len;
        if (items[i].flags & IMP_ITEM_MARKER)
            for (guint q = *n_under; q < t->order->len; q++) {
                const ImpItem *o = &items[g_array_index(t->order, guint, q)];
                if (o->block == items[i].block && o->kind != IMP_ITEM_ANCHOR) {
                    at = q;
                    break;
                }
            }
        g_array_insert_val(t->order, at, i);
    }
    t->n_content_end = t->order->len;
    for (guint i = first_content; i < n; i++)
        if (is_artifact(t, &items[i], page) && items[i].kind != IMP_ITEM_BOX)
            g_array_append_val(t->order, i);
    *n_over = t->order->len - t->n_content_end;
    t->pos = *n_under;
    return (const guint *)(gpointer)t->order->data;
}

/* Before a content item; see render-private.h. */
gboolean imp__tags_item(ImpTags *tags, const ImpItem *it)
{
    ImpTags *t = tags;
    t->pos = find_pos(t, it);
    if (it->kind == IMP_ITEM_ANCHOR) {
        imp__links_add_outline(t->links, it, t->page - t->first + 1);
        imp__links_place_dest(t->links, it, it->y);
        return FALSE;
    }
    if (it->kind == IMP_ITEM_LINK || it->block >= t->n_blocks)
        return FALSE;
    if (imp__links_needs_dest(t->links, it->block))
        imp__links_place_dest(t->links, it, item_top(it));
    gboolean text = it->kind == IMP_ITEM_GLYPHS || it->kind == IMP_ITEM_TEXT;
    if (!t->tagged) /* links alone: each link's runs in a Link tag (imp__tags_run) */
        return text && t->areas->len > 0;

    Node path[4 * MAX_DEPTH + 8];
    guint n = item_path(t, it, path, G_N_ELEMENTS(path));
    guint common = 0;
    while (common < t->open->len && common < n &&
           node_eq(&g_array_index(t->open, Open, common).node, &path[common]))
        common++;
    /* the item's element is open: go on in it (and in its open child) */
    if (!(common == n && t->open->len <= n + 1)) {
        while (t->open->len > common)
            end_top(t);
        for (guint k = common; k < n; k++)
            open_node(t, &path[k], it, k + 1 == n);
    }
    gboolean split = g_array_index(t->open, Open, n - 1).split;
    if (split && !text && (!t->child_open || t->child_area >= 0 || t->child_lang >= 0)) {
        /* an item drawn whole (not run by run) in a split element: in a plain Span */
        end_child(t);
        Open c = { { T_SPAN, 0, NO_SUB }, TRUE, FALSE, NULL };
        begin(t, T_SPAN, NULL, NULL, NULL, NULL, &c);
        t->child_open = TRUE;
        t->child_area = t->child_lang = -1;
    }
    return split && text;
}

/* The link area of the page that a run from x0 to x1 on baseline y of item `it` lies in,
 * as an index into the page's items; -1 for none. */
static gint find_area(const ImpTags *t, const ImpItem *it, double x0, double x1, double y)
{
    for (guint k = 0; k < t->areas->len; k++) {
        guint i = g_array_index(t->areas, guint, k);
        const ImpItem *a = &t->items[i];
        if (a->block != it->block || a->cell != it->cell)
            continue;
        if (y < a->y - 0.5 || y > a->y + a->thickness + 0.5)
            continue;
        double mid = (x0 + x1) / 2;
        if (mid >= a->x - 0.5 && mid <= a->x + a->width + 0.5)
            return (gint)i;
    }
    return -1;
}

/* The span in another language than the element's that byte `offset` of line text `text`
 * lies in, as an index into the text block's spans; -1 for none. */
static gint find_lang(ImpTags *t, const char *text, guint offset)
{
    const ImpBlock *tb = t->text_block;
    if (tb == NULL)
        return -1;
    gsize len;
    const char *btext = imp_block_get_text(tb, &len);
    if (text != t->delta_text) {
        /* the line's text is the block's, or the block's after a prefix (a number) */
        t->delta_text = text;
        gsize tl = text == btext ? len : strlen(text);
        t->delta = text == btext ? 0
                 : tl >= len && memcmp(text + (tl - len), btext, len) == 0 ? (gssize)(tl - len)
                 : -1;
    }
    if (t->delta < 0 || (gssize)offset < t->delta)
        return -1;
    gsize o = offset - (gsize)t->delta;
    guint n = imp_block_get_n_spans(tb);
    for (guint i = 0; i < n; i++) {
        const ImpSpan *s = imp_block_get_span(tb, i);
        if ((s->flags & IMP_SPAN_LANG) && o >= s->start && o < s->end &&
            lang_differs(s->lang, t->elem_lang))
            return (gint)i;
    }
    return -1;
}

/* Before a run; see render-private.h. */
void imp__tags_run(ImpTags *tags, const ImpItem *it, const char *text, guint offset,
                   double x0, double x1, double y)
{
    ImpTags *t = tags;
    gint area = find_area(t, it, x0, x1, y);
    char *attrs = area >= 0 ? imp__links_attributes(t->links, &t->items[area]) : NULL;
    if (attrs == NULL)
        area = -1;
    if (!t->tagged) {
        if (t->child_open && t->child_area == area) {
            g_free(attrs);
            return;
        }
        if (t->child_open) {
            cairo_tag_end(t->cr, CAIRO_TAG_LINK);
            t->child_open = FALSE;
        }
        if (area >= 0) {
            cairo_tag_begin(t->cr, CAIRO_TAG_LINK, attrs);
            t->child_open = TRUE;
            t->child_area = area;
        }
        g_free(attrs);
        return;
    }
    gint lang = find_lang(t, text, offset);
    if (t->child_open && t->child_area == area && t->child_lang == lang) {
        g_free(attrs);
        return;
    }
    end_child(t);
    const char *l = lang >= 0 ? imp_block_get_span(t->text_block, (guint)lang)->lang : NULL;
    Type type = area >= 0 ? T_LINK : T_SPAN;
    Open c = { { type, 0, NO_SUB }, TRUE, FALSE, NULL };
    begin(t, type, attrs, l, NULL, NULL, &c);
    t->child_open = TRUE;
    t->child_area = area;
    t->child_lang = lang;
    g_free(attrs);
}

/* After a page; see render-private.h. */
void imp__tags_page_end(ImpTags *tags, gboolean last)
{
    ImpTags *t = tags;
    if (!t->tagged) {
        if (t->child_open)
            cairo_tag_end(t->cr, CAIRO_TAG_LINK);
        t->child_open = FALSE;
        t->text_block = NULL;
        return;
    }
    end_child(t);
    if (t->open->len > 0 && g_array_index(t->open, Open, t->open->len - 1).leaf)
        end_top(t);
    if (last)
        while (t->open->len > 0)
            end_top(t);
}
