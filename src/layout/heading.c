/* heading.c — the title, the subtitle and headings 1–6: their roles, their numbers, their
 * outline anchors and their keeps.
 *
 * A heading of level N is set in the role hN (h4–h6 step down in size and tone: CJK faces
 * have no italic to fall back on). When the style numbers headings ([headings]
 * numbering=decimal) each heading gets "1.", "1.1", "1.1.1" ..., counted from the
 * shallowest level the document's headings use (a document whose sections are all "##"
 * starts at "1.", not "0.1"); a heading that carries its own number
 * (IMP_BLOCK_FLAG_NUMBERED: "1.2 Scope" found in plain text) and the title get none. The
 * number stands at the measure's left edge and the heading's lines hang beside it, so a
 * heading of two lines keeps its text aligned; it is added text, an IMP_ITEM_MARKER item (a
 * tagged PDF's Lbl).
 *
 * Every title and heading gets an anchor (IMP_ITEM_ANCHOR): an outline entry at the
 * heading's level (the title at level 1, like a level-1 heading; the subtitle none),
 * labelled with its number and text, whose block's id is where "#id" links lead. A
 * heading's lines keep together and with at least [headings] keep-with-next lines of what
 * follows (at least one), so a heading never ends a page.
 *
 * Invariants:
 *  1. The plan pass and the add pass give a heading the same measure (plan.width, less its
 *     number's width, which is shaped once in the plan pass).
 *  2. Numbers depend only on the document's headings before this one.
 */
#include "blocks.h"

#include <string.h>

/* The deepest level numbered and counted. */
#define MAX_LEVEL 6

/* The role of a heading of level `level`; see blocks.h. */
ImpRole imp__heading_role(guint level)
{
    static const ImpRole roles[] = { IMP_ROLE_H1, IMP_ROLE_H2, IMP_ROLE_H3,
                                     IMP_ROLE_H4, IMP_ROLE_H5, IMP_ROLE_H6 };
    return roles[CLAMP(level, 1, MAX_LEVEL) - 1];
}

/* Whether heading b gets a number from the style. */
static gboolean numbered(const ImpBlock *b)
{
    return imp_block_get_kind(b) == IMP_BLOCK_HEADING &&
           !(imp_block_get_flags(b) & IMP_BLOCK_FLAG_NUMBERED);
}

/* The room between a heading's number and its text: half an em of the heading's size. */
static double number_gap(const ImpRoleStyle *rs)
{
    return 0.5 * rs->size;
}

/* Numbers the document's headings when the style asks (the plan pass); see blocks.h.
 * Each numbered heading's plan.aux is 1 + the index of its number in f->numbers. */
void imp__headings_plan(ImpFlow *f)
{
    ImpLayout *lay = f->lay;
    if (imp_style_get_headings(lay->style)->numbering != IMP_NUMBERING_DECIMAL)
        return;
    guint top = MAX_LEVEL;
    for (guint bi = 0; bi < f->n_blocks; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        if (numbered(b))
            top = MIN(top, CLAMP(imp_block_get_level(b), 1, MAX_LEVEL));
    }
    guint count[MAX_LEVEL + 1] = { 0 };
    GString *s = g_string_new(NULL);
    for (guint bi = 0; bi < f->n_blocks; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        if (!numbered(b))
            continue;
        guint level = MAX(CLAMP(imp_block_get_level(b), 1, MAX_LEVEL), top);
        count[level]++;
        for (guint l = level + 1; l <= MAX_LEVEL; l++)
            count[l] = 0;
        g_string_truncate(s, 0);
        for (guint l = top; l <= level; l++)
            g_string_append_printf(s, l > top ? ".%u" : "%u", count[l]);
        if (level == top)
            g_string_append_c(s, '.'); /* "1." for a section, "1.1" below it */
        PangoLayout *pl = imp__shape_short(lay, imp__heading_role(level), s->str,
                                           imp_block_get_language(b));
        g_ptr_array_add(f->numbers, pl);
        f->plans[bi].aux = f->numbers->len;
    }
    g_string_free(s, TRUE);
}

/* Plans a title or heading: its role, and its measure beside its number; see blocks.h.
 * (The frame, from list.c, is already in the plan.) */
void imp__heading_plan_block(ImpFlow *f, guint bi)
{
    const ImpBlock *b = imp_document_get_block(f->lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    ImpRole role = imp_block_get_kind(b) == IMP_BLOCK_TITLE ? IMP_ROLE_TITLE
                 : imp_block_get_kind(b) == IMP_BLOCK_SUBTITLE ? IMP_ROLE_SUBTITLE
                 : imp__heading_role(imp_block_get_level(b));
    p->role = (guint8)role;
    if (p->aux > 0) {
        const ImpRoleStyle *rs = imp_style_get_role(f->lay->style, role);
        double w = imp__pango_width(f->numbers->pdata[p->aux - 1]) + number_gap(rs);
        /* a number that leaves less than an inch of measure (a hostile one) goes on a
           line of its own above the heading */
        if (w <= p->width - 72) {
            p->x += w;
            p->width -= w;
            p->hang = TRUE;
        }
    }
}

/* The outline label of a heading: its number and text, white space runs as one space
 * (transfer full). */
static char *anchor_label(const char *number, const char *text, gsize len)
{
    GString *s = g_string_new(number);
    if (number != NULL && number[0] != '\0')
        g_string_append_c(s, ' ');
    gboolean space = FALSE; /* a line break or tab in the heading: one space */
    for (gsize i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            space = TRUE;
            continue;
        }
        if (space && s->len > 0 && s->str[s->len - 1] != ' ')
            g_string_append_c(s, ' ');
        space = FALSE;
        g_string_append_c(s, c);
    }
    return g_string_free(s, FALSE);
}

/* Adds a title or heading; see blocks.h. */
void imp__heading_add(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    ImpRole role = (ImpRole)p->role;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    PangoLayout *number = p->aux > 0 ? f->numbers->pdata[p->aux - 1] : NULL;
    guint first = lay->entries->len;

    ImpBlockKind kind = imp_block_get_kind(b);
    if (kind != IMP_BLOCK_SUBTITLE && len > 0) {
        /* the outline destination, kept with the heading's first line; x 0 keeps the
           page's left edge in view */
        char *label = anchor_label(number != NULL ? pango_layout_get_text(number) : NULL,
                                   text, len);
        g_ptr_array_add(lay->labels, label);
        ImpEntry *e = imp__entry_new(lay, 0, space);
        ImpItem a = { 0 };
        a.kind = IMP_ITEM_ANCHOR;
        a.block = bi;
        a.label = label;
        a.level = kind == IMP_BLOCK_TITLE ? 1 : (int)CLAMP(imp_block_get_level(b), 1, 6);
        imp__entry_add(lay, e, &a);
        e->keep_with_next = TRUE;
        space = 0;
    }

    ImpItem num = { 0 };
    if (number != NULL) {
        num = imp__text_item(lay, g_object_ref(number), b);
        num.flags = IMP_ITEM_MARKER;
        num.block = bi;
        num.x = lay->text_x + p->x - (p->hang ? imp__pango_width(number) + number_gap(rs) : 0);
        num.y = imp__baseline_in_box(rs->leading, rs->size);
        if (!p->hang) { /* on a line of its own, above */
            imp__entry_add(lay, imp__entry_new(lay, rs->leading, space), &num);
            space = 0;
        }
    }
    ImpLinePlace lp = { 0 };
    lp.block = bi;
    lp.b = b;
    lp.x = lay->text_x + p->x;
    lp.leading = rs->leading;
    lp.size = rs->size;
    lp.space_before = space;
    lp.decorate = imp__inline_decorates(b);
    guint lines_from = lay->entries->len, n;
    if (p->own) {
        n = imp__add_para_lines(lay, &lp);
    } else {
        PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style, role,
                                     text, len, imp_block_get_language(b), p->width, b);
        imp__missing_check_layout(&lay->missing, pl, b);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        n = imp__add_pango_lines(lay, pl, &lp);
        g_object_unref(pl);
    }
    if (number != NULL && p->hang) {
        if (n > 0)
            imp__entry_insert(lay, lines_from, 0, &num); /* before its text */
        else
            imp__entry_add(lay, imp__entry_new(lay, rs->leading, space), &num);
    }
    /* its lines, and its anchor and number, keep together and with what follows */
    for (guint k = first; k < lay->entries->len; k++)
        imp__entry_at(lay, k)->keep_with_next = TRUE;
    int keep = imp_style_get_headings(lay->style)->keep_with_next;
    f->keep_lines = MAX(keep, 1) - 1;
    f->pending_after = rs->space_after;
}
