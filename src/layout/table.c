/* table.c — tables: column widths from their content, rows of cells set by the paragraph
 * engine, rules, and the header row set again at the top of each page the table runs on.
 *
 * Widths as CSS's automatic table layout gives them: each column's narrowest (its longest
 * word, or CJK character with what may not be parted from it) and widest (each cell on one
 * line) content, measured on the cell as our breaker sets it, with [table] cell-padding-x on both sides of every cell. A table whose
 * columns fit at their widest is set at that width (flush left, like the text); otherwise
 * the measure is shared out, each column getting its narrowest width and a share of the
 * rest in proportion to how much more it would take; when even the narrowest widths do not
 * fit, they are scaled down and the cells break inside words (the engine's emergency
 * breaks), so a table never overflows the measure.
 *
 * Cells are paragraphs (each a block of its own) set by the same engine as the text, with
 * its CJK rules, in [table] or, in a header row, [table-header], aligned as their column
 * says (else as the role says), top-aligned in their row with [table] cell-padding-y above
 * and below. Rules as in a book ([table] rule-thickness, rule-color): above the table,
 * under its header and below it, across the table's width; no vertical rules.
 *
 * Pages: each line of a row is an entry; the lines of a row keep together, so a row moves
 * whole to the next page unless it is taller than a page, and then splits between lines;
 * body rows keep [document] orphans and widows as a paragraph's lines do, so no row
 * stands alone at a page's foot or head.
 * The header row keeps with the first body row, and every body entry names the header as
 * what a page starting there sets above it (ImpEntry.repeat): the copies are made when the
 * pages are (imp__blocks_place_repeat), each owned by its page, marked
 * IMP_ITEM_REPEATED | IMP_ITEM_ARTIFACT (a tagged PDF keeps the header once, as TH cells).
 *
 * A table of more columns than the measure holds at an em each (50 at the default style's
 * sizes) cannot be set as columns: it is reported, and its cells are set one under another,
 * row by row, each in the whole measure, so no text is lost or overlaps. One that nearly
 * fits gives up its cells' padding first.
 *
 * Every item of a cell, its repeats included, carries ImpItem.cell = 1 + row * columns +
 * column (0xFFFF when that does not fit), so a tagged PDF can group items into TR and
 * TD/TH; the rules carry 0.
 *
 * Invariants:
 *  1. The cells listed for merge.c in the plan pass are those the add pass takes, row by
 *     row, left to right, missing cells skipped.
 *  2. Column widths add up to at most the measure, and each is at least its padding and a
 *     point.
 */
#include "blocks.h"

#include <string.h>

struct ImpTablePlan {
    guint n_cols, n_rows;
    double *col_x;     /* each column's left edge from the table's, and the table's
                          width at [n_cols] */
    double pad_x;      /* [table] cell-padding-x, or less for a table of many columns */
    gboolean stacked;  /* too many columns for the measure: cells one under another */
};

void imp__table_plan_free(gpointer data)
{
    ImpTablePlan *t = data;
    if (t == NULL)
        return;
    g_free(t->col_x);
    g_free(t);
}

/* The role of row r's cells. */
static ImpRole row_role(const ImpBlock *table, guint r)
{
    return imp_table_row_is_header(table, r) ? IMP_ROLE_TABLE_HEADER : IMP_ROLE_TABLE;
}

/* The paragraph alignment of column c, or -1 for the role's. */
static int column_align(const ImpBlock *table, guint c)
{
    switch (imp_table_get_align(table, c)) {
    case IMP_CELL_ALIGN_LEFT: return IMP_ALIGN_LEFT;
    case IMP_CELL_ALIGN_CENTER: return IMP_ALIGN_CENTER;
    case IMP_CELL_ALIGN_RIGHT: return IMP_ALIGN_RIGHT;
    default: return -1;
    }
}

/* The width of a set line: its glyphs and its hyphen. */
static double para_line_width(const ImpParaLine *pl)
{
    PangoItem item = { 0 };
    PangoGlyphString *gs = pango_glyph_string_new();
    double w = 0;
    for (guint k = 0; k < pl->line.n_runs; k++) {
        imp_glyph_line_fill_run(&pl->line, k, &item, gs);
        w += pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
    }
    pango_glyph_string_free(gs);
    if (pl->line.hyphen != NULL)
        w += pango_glyph_string_get_width(pl->line.hyphen) / (double)PANGO_SCALE;
    return w;
}

/* What a walk over a set line finds: its widest piece between break opportunities. */
typedef struct {
    const char *text;
    const PangoLogAttr *attrs; /* per character: may a line break before it */
    const guint32 *chars;      /* each character's byte offset */
    guint n_chars;
    double widest;
} PieceWalk;

/* The index of the character at byte `off` (bisection over walk->chars). */
static guint char_at(const PieceWalk *w, guint32 off)
{
    guint lo = 0, hi = w->n_chars;
    while (lo + 1 < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (w->chars[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Finds the widest piece of a set line between break opportunities, white space at a
 * piece's end left out (it hangs at a line's end). */
static void widest_piece(PieceWalk *w, const ImpParaLine *pl)
{
    PangoItem item = { 0 };
    PangoGlyphString *gs = pango_glyph_string_new();
    double x = 0, start = 0, ink = 0;
    gboolean first = TRUE;
    for (guint k = 0; k < pl->line.n_runs; k++) {
        imp_glyph_line_fill_run(&pl->line, k, &item, gs);
        for (int g = 0; g < gs->num_glyphs; g++) {
            double gw = gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
            guint32 off = (guint32)(item.offset + gs->log_clusters[g]);
            if (gs->glyphs[g].attr.is_cluster_start) {
                guint ci = char_at(w, off);
                if (!first && w->attrs[ci].is_line_break) {
                    w->widest = MAX(w->widest, ink - start);
                    start = ink = x;
                }
                first = FALSE;
                if (!g_unichar_isspace(g_utf8_get_char(w->text + off)))
                    ink = x + gw;
            } else {
                ink = MAX(ink, x + gw);
            }
            x += gw;
        }
    }
    w->widest = MAX(w->widest, ink - start);
    pango_glyph_string_free(gs);
}

/* A cell's narrowest and widest content, points, as our breaker sets it (with its CJK
 * spacing): its text set on lines as long as need be, the widest of them, and the widest
 * piece between two break opportunities (Pango's, UAX #14's). One shaping, linear in the
 * text (a PangoLayout broken at every opportunity costs Pango the square of its lines). */
static void measure_cell(ImpLayout *lay, const ImpBlock *cell, ImpRole role, double *min,
                         double *max)
{
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    gsize len;
    const char *text = imp_block_get_text(cell, &len);
    const char *lang = imp_block_get_language(cell);
    if (lang == NULL)
        lang = ds->language;
    *min = *max = 0;
    if (len == 0)
        return;
    PangoAttrList *attrs = imp__shape_attrs(lay->style, role, text, len, lang, cell);
    ImpParaSpec spec = { 0 };
    spec.width = 1e6;
    spec.size = rs->size;
    spec.align = IMP_ALIGN_LEFT;
    spec.lang = lang;
    spec.han_latin_gap = ds->han_latin_gap;
    spec.max_stretch = ds->max_stretch;
    GPtrArray *lines = imp__para_set(ctx, text, len, attrs, &spec);
    pango_attr_list_unref(attrs);
    PieceWalk w = { text, NULL, NULL, 0, 0 };
    w.n_chars = (guint)g_utf8_strlen(text, (gssize)len);
    guint32 *chars = g_new(guint32, w.n_chars + 1);
    guint i = 0;
    for (const char *p = text; p < text + len; p = g_utf8_next_char(p))
        chars[i++] = (guint32)(p - text);
    PangoLogAttr *la = g_new0(PangoLogAttr, w.n_chars + 1);
    pango_get_log_attrs(text, (int)len, -1, pango_language_from_string(lang), la,
                        (int)w.n_chars + 1);
    w.chars = chars;
    w.attrs = la;
    for (i = 0; i < lines->len; i++) {
        *max = MAX(*max, para_line_width(lines->pdata[i]));
        widest_piece(&w, lines->pdata[i]);
    }
    *min = MIN(w.widest, *max);
    g_ptr_array_unref(lines);
    g_free(chars);
    g_free(la);
}

/* Plans a table; see blocks.h. */
void imp__table_plan(ImpFlow *f, guint bi)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *t = imp_document_get_block(lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    const ImpTableStyle *ts = imp_style_get_table(lay->style);
    ImpTablePlan *tp = g_new0(ImpTablePlan, 1);
    tp->n_rows = imp_table_get_n_rows(t);
    tp->n_cols = imp_table_get_n_columns(t);
    for (guint r = 0; r < tp->n_rows; r++)
        tp->n_cols = MAX(tp->n_cols, imp_table_get_n_cells(t, r));
    g_ptr_array_add(f->tables, tp);
    p->aux = f->tables->len;
    tp->col_x = g_new0(double, tp->n_cols + 1);
    if (tp->n_cols == 0)
        return;

    /* a table of more columns than the measure holds at an em each is set a row at a
       time, its cells one under another; one that nearly fits gives up padding first */
    double em = imp_style_get_role(lay->style, IMP_ROLE_TABLE)->size;
    tp->pad_x = ts->cell_padding_x;
    if (tp->n_cols * (em + 2 * tp->pad_x) > p->width)
        tp->pad_x = MAX(0, (p->width / tp->n_cols - em) / 2);
    if (tp->n_cols * em > p->width) {
        tp->stacked = TRUE;
        imp_diag_report(lay->diag, IMP_DIAG_WARNING,
                        imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE),
                        imp_block_get_line(t),
                        "a table of %u columns is too wide for the measure of %.1fpt; its "
                        "cells are set one under another, row by row", tp->n_cols, p->width);
        tp->col_x[tp->n_cols] = p->width;
        if (imp__own_breaker(lay))
            for (guint r = 0; r < tp->n_rows; r++)
                for (guint c = 0; c < imp_table_get_n_cells(t, r); c++)
                    imp__flow_job(f, imp_table_get_cell(t, r, c), row_role(t, r), p->width,
                                  -1, NULL, 0);
        return;
    }
    /* each column's narrowest and widest content, padding included */
    double pad = 2 * tp->pad_x;
    double *lo = g_new0(double, tp->n_cols), *hi = g_new0(double, tp->n_cols);
    for (guint c = 0; c < tp->n_cols; c++)
        lo[c] = hi[c] = pad + 1;
    for (guint r = 0; r < tp->n_rows; r++)
        for (guint c = 0; c < imp_table_get_n_cells(t, r); c++) {
            double mn, mx;
            measure_cell(lay, imp_table_get_cell(t, r, c), row_role(t, r), &mn, &mx);
            lo[c] = MAX(lo[c], mn + pad + 1); /* a point to spare: rounding */
            hi[c] = MAX(hi[c], mx + pad + 1);
        }
    double sum_lo = 0, sum_hi = 0, avail = p->width;
    for (guint c = 0; c < tp->n_cols; c++)
        sum_lo += lo[c], sum_hi += hi[c];
    double x = 0;
    for (guint c = 0; c < tp->n_cols; c++) {
        double w;
        if (sum_hi <= avail)
            w = hi[c];
        else if (sum_lo >= avail)
            w = avail * lo[c] / sum_lo;
        else
            w = lo[c] + (hi[c] - lo[c]) * (avail - sum_lo) / (sum_hi - sum_lo);
        tp->col_x[c] = x;
        x += w;
    }
    tp->col_x[tp->n_cols] = MIN(x, avail);
    g_free(lo);
    g_free(hi);

    if (!imp__own_breaker(lay))
        return;
    for (guint r = 0; r < tp->n_rows; r++)
        for (guint c = 0; c < imp_table_get_n_cells(t, r); c++) {
            double w = tp->col_x[c + 1] - tp->col_x[c] - pad;
            imp__flow_job(f, imp_table_get_cell(t, r, c), row_role(t, r), MAX(w, 1),
                          column_align(t, c), NULL, 0);
        }
}

/* A cell's set lines: each line's items (its line, then what is drawn over it), y from the
 * line box's top. */
typedef struct {
    GArray *items;      /* ImpItem */
    GArray *starts;     /* guint: where each line's items start in `items`; and the end */
} CellLines;

/* Sets cell (r, c) of table bi at x (absolute, its padding included) in entries of its
 * own at the end of the flow, then takes their items into `out` and removes the entries. */
static void set_cell(ImpFlow *f, guint bi, const ImpBlock *t, guint r, guint c, double x,
                     double width, CellLines *out)
{
    ImpLayout *lay = f->lay;
    const ImpTablePlan *tp = f->tables->pdata[f->plans[bi].aux - 1];
    const ImpBlock *cell = imp_table_get_cell(t, r, c);
    ImpRole role = row_role(t, r);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    guint index = 1 + r * tp->n_cols + c;
    ImpLinePlace lp = { 0 };
    lp.block = bi;
    lp.b = cell;
    lp.x = x;
    lp.leading = rs->leading;
    lp.size = rs->size;
    lp.cell = (guint16)MIN(index, 0xFFFFu);
    lp.decorate = imp__inline_decorates(cell);
    guint first = lay->entries->len, first_item = lay->entry_items->len;
    guint n;
    if (imp__own_breaker(lay)) {
        n = imp__add_para_lines(lay, &lp);
    } else {
        gsize len;
        const char *text = imp_block_get_text(cell, &len);
        PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style, role, text,
                                     len, imp_block_get_language(cell), width, cell);
        int align = column_align(t, c);
        pango_layout_set_justify(pl, FALSE);
        pango_layout_set_alignment(pl, align == IMP_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                       : align == IMP_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                       : PANGO_ALIGN_LEFT);
        imp__missing_check_layout(&lay->missing, pl, cell);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        n = len > 0 ? imp__add_pango_lines(lay, pl, &lp) : 0;
        g_object_unref(pl);
    }
    for (guint i = 0; i < n; i++) {
        const ImpEntry *e = imp__entry_at(lay, first + i);
        guint at = out->items->len;
        g_array_append_val(out->starts, at);
        g_array_append_vals(out->items, &g_array_index(lay->entry_items, ImpItem, e->first_item),
                            e->n_items);
    }
    guint end = out->items->len;
    g_array_append_val(out->starts, end);
    g_array_set_size(lay->entries, first);
    g_array_set_size(lay->entry_items, first_item);
}

/* A rule of the table across its width at y in entry e. */
static void add_rule(ImpLayout *lay, ImpEntry *e, guint bi, double x, double w, double y)
{
    const ImpTableStyle *ts = imp_style_get_table(lay->style);
    if (ts->rule.thickness <= 0)
        return;
    ImpItem rule = { 0 };
    rule.kind = IMP_ITEM_RULE;
    rule.flags = IMP_ITEM_ARTIFACT;
    rule.block = bi;
    rule.x = x;
    rule.width = w;
    rule.y = y;
    rule.thickness = ts->rule.thickness;
    rule.color = ts->rule.color;
    imp__entry_add(lay, e, &rule);
}

/* Adds a table too wide for the measure: each row's cells one under another, each in the
 * measure, a rule above each row and below the last. */
static void add_stacked(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *t = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpTablePlan *tp = f->tables->pdata[p->aux - 1];
    const ImpTableStyle *ts = imp_style_get_table(lay->style);
    double x0 = lay->text_x + p->x;
    CellLines cl = { g_array_new(FALSE, FALSE, sizeof(ImpItem)),
                     g_array_new(FALSE, FALSE, sizeof(guint)) };
    for (guint r = 0; r < tp->n_rows; r++) {
        const ImpRoleStyle *rs = imp_style_get_role(lay->style, row_role(t, r));
        gboolean first = TRUE;
        for (guint c = 0; c < imp_table_get_n_cells(t, r); c++) {
            g_array_set_size(cl.items, 0);
            g_array_set_size(cl.starts, 0);
            set_cell(f, bi, t, r, c, x0, p->width, &cl);
            for (guint k = 0; k + 1 < cl.starts->len; k++) {
                double top = first ? ts->cell_padding_y : 0;
                ImpEntry *e = imp__entry_new(lay, rs->leading + top,
                                             r == 0 && first ? space : 0);
                if (first)
                    add_rule(lay, e, bi, x0, p->width, 0);
                first = FALSE;
                guint from = g_array_index(cl.starts, guint, k);
                guint to = g_array_index(cl.starts, guint, k + 1);
                for (guint i = from; i < to; i++) {
                    ImpItem item = g_array_index(cl.items, ImpItem, i);
                    item.y += top;
                    imp__entry_add(lay, e, &item);
                }
            }
        }
    }
    ImpEntry *e = imp__entry_new(lay, ts->cell_padding_y, 0);
    add_rule(lay, e, bi, x0, p->width, ts->cell_padding_y);
    g_array_free(cl.items, TRUE);
    g_array_free(cl.starts, TRUE);
    f->pending_after = MAX(imp_style_get_role(lay->style, IMP_ROLE_TABLE)->space_after,
                           imp_style_get_role(lay->style, IMP_ROLE_BODY)->space_after);
}

/* Adds a table; see blocks.h. */
void imp__table_add(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *t = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpTablePlan *tp = f->tables->pdata[p->aux - 1];
    const ImpTableStyle *ts = imp_style_get_table(lay->style);
    const ImpRoleStyle *body = imp_style_get_role(lay->style, IMP_ROLE_BODY);
    double x0 = lay->text_x + p->x, width = tp->col_x[tp->n_cols];
    double pad_y = ts->cell_padding_y;
    if (tp->n_cols == 0 || tp->n_rows == 0)
        return;
    space = MAX(space, body->space_after);
    if (tp->stacked) {
        add_stacked(f, bi, space);
        return;
    }
    guint header_first = G_MAXUINT, header_n = 0, repeat = 0;
    double header_h = 0;
    gboolean had_body = FALSE;
    GArray *row_ends = g_array_new(FALSE, FALSE, sizeof(guint)); /* each body row's last
                                                                     entry */
    CellLines *cells = g_new0(CellLines, tp->n_cols);
    for (guint c = 0; c < tp->n_cols; c++) {
        cells[c].items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
        cells[c].starts = g_array_new(FALSE, FALSE, sizeof(guint));
    }
    for (guint r = 0; r < tp->n_rows; r++) {
        gboolean header = imp_table_row_is_header(t, r);
        const ImpRoleStyle *rs = imp_style_get_role(lay->style, row_role(t, r));
        guint n_cells = imp_table_get_n_cells(t, r), slots = 1;
        for (guint c = 0; c < n_cells; c++) {
            g_array_set_size(cells[c].items, 0);
            g_array_set_size(cells[c].starts, 0);
            double cx = x0 + tp->col_x[c] + tp->pad_x;
            double cw = tp->col_x[c + 1] - tp->col_x[c] - 2 * tp->pad_x;
            set_cell(f, bi, t, r, c, cx, MAX(cw, 1), &cells[c]);
            slots = MAX(slots, cells[c].starts->len - 1);
        }
        if (header && had_body)
            header = FALSE; /* a header row below body rows is not repeated */
        /* one entry per line of the row */
        guint row_first = lay->entries->len;
        for (guint k = 0; k < slots; k++) {
            double top = k == 0 ? pad_y : 0;
            double h = rs->leading + top + (k + 1 == slots ? pad_y : 0);
            ImpEntry *e = imp__entry_new(lay, h, r == 0 && k == 0 ? space : 0);
            if (r == 0 && k == 0)
                add_rule(lay, e, bi, x0, width, 0);
            for (guint c = 0; c < n_cells; c++) {
                const CellLines *cl = &cells[c];
                if (k + 1 >= cl->starts->len)
                    continue;
                guint from = g_array_index(cl->starts, guint, k);
                guint to = g_array_index(cl->starts, guint, k + 1);
                for (guint i = from; i < to; i++) {
                    ImpItem item = g_array_index(cl->items, ImpItem, i);
                    item.y += top;
                    imp__entry_add(lay, e, &item);
                }
            }
            if (k + 1 == slots && (r + 1 == tp->n_rows || (header &&
                                   !imp_table_row_is_header(t, r + 1))))
                add_rule(lay, e, bi, x0, width, h);
            e->keep_with_next = k + 1 < slots; /* a row stays whole when it can */
            if (header)
                header_h += h;
            else if (repeat > 0) {
                e->repeat = repeat;
                e->repeat_height = (float)header_h;
            }
        }
        if (header) {
            if (header_first == G_MAXUINT)
                header_first = row_first;
            header_n += slots;
            imp__entry_at(lay, lay->entries->len - 1)->keep_with_next = TRUE;
        } else {
            had_body = TRUE;
            guint last = lay->entries->len - 1;
            g_array_append_val(row_ends, last);
            if (repeat == 0 && header_n > 0) {
                ImpRepeat rp = { header_first, header_n };
                g_array_append_val(lay->repeats, rp);
                repeat = lay->repeats->len;
                /* the first body row: set its entries' repeat now that it is known */
                for (guint k = row_first; k < lay->entries->len; k++) {
                    imp__entry_at(lay, k)->repeat = repeat;
                    imp__entry_at(lay, k)->repeat_height = (float)header_h;
                }
            }
        }
    }
    /* body rows as a paragraph's lines: no fewer than [document] orphans rows at the foot
       of a page, nor widows at its head */
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    guint n_body = row_ends->len;
    for (guint j = 0; j + 1 < n_body; j++)
        if ((int)j + 1 < ds->orphans || (int)(n_body - j - 1) < ds->widows)
            imp__entry_at(lay, g_array_index(row_ends, guint, j))->keep_with_next = TRUE;
    g_array_free(row_ends, TRUE);
    for (guint c = 0; c < tp->n_cols; c++) {
        g_array_free(cells[c].items, TRUE);
        g_array_free(cells[c].starts, TRUE);
    }
    g_free(cells);
    f->pending_after = MAX(imp_style_get_role(lay->style, IMP_ROLE_TABLE)->space_after,
                           body->space_after);
}

/* Places the entries set again above entry `from`; see layout-private.h. */
double imp__blocks_place_repeat(const ImpLayout *lay, guint from, double y, GArray *out)
{
    if (from >= lay->entries->len)
        return y;
    const ImpEntry *start = &g_array_index(lay->entries, ImpEntry, from);
    if (start->repeat == 0)
        return y;
    const ImpRepeat *rp = &g_array_index(lay->repeats, ImpRepeat, start->repeat - 1);
    guint first = out->len;
    y = imp__layout_place(lay, rp->first, rp->first + rp->n, y, out);
    for (guint i = first; i < out->len; i++) {
        ImpItem *it = &g_array_index(out, ImpItem, i);
        it->flags |= IMP_ITEM_REPEATED | IMP_ITEM_ARTIFACT;
        if (it->kind == IMP_ITEM_GLYPHS) /* the page owns its copy */
            it->glyphs = &imp__para_line_copy((const ImpParaLine *)(gconstpointer)(
                              (const char *)it->glyphs - G_STRUCT_OFFSET(ImpParaLine, line)))
                              ->line;
    }
    return y;
}
