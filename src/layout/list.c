/* list.c — lists, quotations, terms and definitions: where each block's measure starts,
 * and the markers of list items.
 *
 * A block's frame comes from its depths (the model says nesting by depth, not by a tree):
 * each quotation it is in indents it by [list] indent on the left (and the innermost by as
 * much on the right, as a book sets a quotation apart); each list by that list's indent,
 * which is [list] indent or, when the list's widest marker needs more ("100." at 10.5pt),
 * that marker's width and a gap. A list item's marker hangs in the indent, right-aligned
 * half an em before the item's text, so numbers align on their period ("9." under "10.")
 * and the item's text, its continuation paragraphs and what it holds (code, a nested list)
 * align with each other. A definition is indented once more under its term.
 *
 * Markers: an ordered item's number as the reader made it ("3.", "3)", "iv."); an unordered
 * item's bullet by its depth from [list] bullets (•, ◦, ▪, cycling), whatever the input
 * used, since the reader's bullet is markup; a task's box, ☐ or ☑ (Noto Sans Symbols2, in
 * every shipped style's fallback faces), in place of the bullet (after an ordered item's
 * number). A list found in plain text keeps the markers as typed ("-", "*", "(a)"): they
 * are characters of the input, and the signals change none. A marker is added text: an
 * IMP_ITEM_MARKER item (a tagged PDF's Lbl) before its item's first line.
 *
 * Roles: a list item and the paragraphs that continue it are set in [list]; a paragraph
 * in a quotation in [quote]; a term in [term]; a definition in [body] (or [quote]).
 *
 * Invariants:
 *  1. Frames depend only on the blocks before and (for a list's widest marker) in the same
 *     list; deeper than IMP__MAX_INDENT_DEPTH levels nothing indents further, and no frame
 *     leaves less than an inch of measure.
 *  2. Each list is scanned once for its widest marker, so planning is linear in the
 *     blocks times the nesting depth.
 */
#include "blocks.h"

#include <string.h>

/* The least measure a frame leaves, points. */
#define MIN_MEASURE 72.0

/* The list depth of block b: a list item is in at least one list (HTML's <li> outside
 * any list, which a reader passes on as it stands, is one). */
static guint depth_of(const ImpBlock *b)
{
    guint d = imp_block_get_list_depth(b);
    return d == 0 && imp_block_get_kind(b) == IMP_BLOCK_LIST_ITEM ? 1 : d;
}

/* The box of a task item. */
static const char *task_box(const ImpBlock *b)
{
    return imp_block_get_flags(b) & IMP_BLOCK_FLAG_TASK_DONE ? "☑" : "☐";
}

/* The marker list item b at list depth `depth` shows (transfer full). */
static char *display_marker(const ImpStyle *style, const ImpBlock *b, guint depth)
{
    ImpBlockFlags flags = imp_block_get_flags(b);
    const char *m = imp_block_get_marker(b);
    gboolean ordered = (flags & IMP_BLOCK_FLAG_ORDERED) && m != NULL;
    if (flags & IMP_BLOCK_FLAG_TASK)
        return ordered ? g_strdup_printf("%s %s", m, task_box(b)) : g_strdup(task_box(b));
    if (ordered || ((flags & IMP_BLOCK_FLAG_FOUND) && m != NULL))
        return g_strdup(m);
    const char *const *bullets = imp_style_get_list(style)->bullets;
    guint n = g_strv_length((char **)bullets);
    return g_strdup(bullets[(MAX(depth, 1) - 1) % n]);
}

/* The gap between a marker and its item's text: half an em of the list role. */
static double label_gap(const ImpStyle *style)
{
    return 0.5 * imp_style_get_role(style, IMP_ROLE_LIST)->size;
}

/* The indent of the list whose first item is block `first`, at depth `depth`: [list]
 * indent, or its widest marker and the gap when that is wider. The marker with the most
 * characters is taken as the widest (they differ in digits, not in faces). */
static double list_indent(ImpFlow *f, guint first, guint depth)
{
    const ImpDocument *doc = f->lay->doc;
    const ImpStyle *style = f->lay->style;
    char *widest = NULL;
    glong widest_n = -1;
    const char *lang = NULL;
    for (guint j = first; j < f->n_blocks; j++) {
        const ImpBlock *b = imp_document_get_block(doc, j);
        guint d = depth_of(b);
        if (d < depth)
            break;
        if (d != depth || imp_block_get_kind(b) != IMP_BLOCK_LIST_ITEM)
            continue;
        if (j > first && (imp_block_get_flags(b) & IMP_BLOCK_FLAG_LIST_START))
            break;
        char *m = display_marker(style, b, depth);
        glong n = g_utf8_strlen(m, -1);
        if (n > widest_n) {
            g_free(widest);
            widest = m;
            widest_n = n;
            lang = imp_block_get_language(b);
        } else {
            g_free(m);
        }
    }
    double indent = imp_style_get_list(style)->indent;
    if (widest != NULL) {
        PangoLayout *pl = imp__shape_short(f->lay, IMP_ROLE_LIST, widest, lang);
        indent = MAX(indent, imp__pango_width(pl) + label_gap(style));
        g_object_unref(pl);
        g_free(widest);
    }
    return indent;
}

/* Plans block bi's frame and role; see blocks.h. */
void imp__list_plan_block(ImpFlow *f, guint bi, ImpRole *role)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    ImpBlockKind kind = imp_block_get_kind(b);
    guint depth = depth_of(b), quote = imp_block_get_quote_depth(b);
    p->x = 0;
    p->width = lay->text_w;
    *role = quote > 0 ? IMP_ROLE_QUOTE : IMP_ROLE_BODY;
    if (depth == 0 && quote == 0 && kind != IMP_BLOCK_DEFINITION) {
        if (f->list_set[1]) /* a list that comes next starts afresh */
            memset(f->list_set, 0, sizeof f->list_set);
        return; /* the plain paragraph: nothing to work out */
    }
    double indent = imp_style_get_list(lay->style)->indent;
    guint dd = MIN(depth, IMP__MAX_INDENT_DEPTH);
    if (kind == IMP_BLOCK_LIST_ITEM && depth > 0) {
        if ((imp_block_get_flags(b) & IMP_BLOCK_FLAG_LIST_START) || !f->list_set[dd]) {
            if (depth <= IMP__MAX_INDENT_DEPTH) {
                double prev = dd > 1 && f->list_set[dd - 1] ? f->list_x[dd - 1]
                                                            : (dd - 1) * indent;
                f->list_x[dd] = prev + list_indent(f, bi, depth);
            } else if (!f->list_set[dd]) {
                f->list_x[dd] = dd * indent;
            }
            f->list_set[dd] = TRUE;
        }
    }
    for (guint k = dd + 1; k <= IMP__MAX_INDENT_DEPTH; k++)
        f->list_set[k] = FALSE;
    double x = MIN(quote, IMP__MAX_INDENT_DEPTH) * indent;
    if (depth > 0)
        x += f->list_set[dd] ? f->list_x[dd] : dd * indent;
    if (kind == IMP_BLOCK_DEFINITION)
        x += indent;
    double right = quote > 0 ? indent : 0;
    if (lay->text_w - x - right < MIN_MEASURE) { /* keep an inch of measure */
        right = 0;
        x = MAX(0, MIN(x, lay->text_w - MIN_MEASURE));
    }
    p->x = x;
    p->width = lay->text_w - x - right;
    if (depth > 0 && kind != IMP_BLOCK_DEFINITION)
        *role = IMP_ROLE_LIST;
}

/* Adds list item bi's marker; see blocks.h. */
void imp__list_add_marker(ImpFlow *f, guint bi, guint entry, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, (ImpRole)p->role);
    char *m = display_marker(lay->style, b, depth_of(b));
    /* the marker's offsets are its own, but it stands on the block's first line, which
       the first bytes of the block's text come from */
    PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style,
                                 (ImpRole)p->role, m, strlen(m), imp_block_get_language(b), -1,
                                 NULL);
    g_free(m);
    ImpItem item = imp__text_item(lay, pl, b);
    item.flags = IMP_ITEM_MARKER;
    item.block = bi;
    item.x = lay->text_x + p->x - label_gap(lay->style) - imp__pango_width(pl);
    item.x = MAX(item.x, lay->text_x);
    item.y = imp__baseline_in_box(rs->leading, rs->size);
    if (entry != G_MAXUINT)
        imp__entry_insert(lay, entry, 0, &item);
    else
        imp__entry_add(lay, imp__entry_new(lay, rs->leading, space), &item);
}
