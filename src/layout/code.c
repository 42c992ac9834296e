/* code.c — code blocks and preformatted text, set line for line as typed.
 *
 * A code block (fenced or indented Markdown, <pre>, a shell session or a table of aligned
 * columns found in plain text) is set in [code]'s monospace faces, left-aligned, never
 * justified nor hyphenated, each of its lines a line on the page; tabs go to the next stop
 * every [code] tab-width columns. A block that holds CJK text is set wholly in the CJK
 * monospace face of its language (Noto Sans Mono CJK SC, JP or KR), Latin included: that
 * face's Latin is exactly half as wide as its Han, so columns a terminal aligned (an
 * `ls -l` of Chinese file names) stay aligned, which Noto Sans Mono's wider Latin would
 * break.
 *
 * A line longer than the measure wraps (at a word boundary where there is one, else
 * anywhere) and its continuation lines hang by [code] wrap-indent, each starting with
 * [code] wrap-mark (↪) in that indent: a mark of the page, not of the text, so it is
 * furniture (IMP_ITEM_ARTIFACT) and never enters the text layer as content. Nothing
 * overflows the measure.
 *
 * The block stands on a tint ([code] background: a BOX under each line, overlapping the
 * next by half a point so that no seam shows between them, with [code] padding above
 * and below) or beside a rule down its left edge ([code] rule-thickness), its text
 * [code] padding from the tint's or rule's edge; both are furniture. A page breaks a block
 * only between two of its source lines (never inside a wrapped one), with at least two
 * lines on each side.
 *
 * Invariants:
 *  1. Every character of the block is in one line (Pango's lines tile the text; a tab
 *     stays a tab, drawn as the space to its stop).
 *  2. No line is wider than the measure left by the tint or rule.
 */
#include "blocks.h"

#include <string.h>

/* How far a piece of tint or rule reaches into the next one's box, points. */
#define SEAM_OVERLAP 0.5

/* The script whose face a block holding CJK text is set in: kana for Japanese (or text
 * with kana), hangul for Korean (or hangul without Han), else Han; IMP_SCRIPT_LATIN when
 * the block holds no CJK text. */
static ImpScript cjk_face(const char *text, gsize len, const char *lang)
{
    gboolean han = FALSE, kana = FALSE, hangul = FALSE;
    for (const char *p = text, *end = text + len; p < end; p = g_utf8_next_char(p)) {
        if ((guchar)*p < 0x80)
            continue;
        switch (imp__char_class(g_utf8_get_char(p))) {
        case IMP__CLASS_HAN:
            han = TRUE;
            break;
        case IMP__CLASS_KANA:
            kana = TRUE;
            break;
        case IMP__CLASS_HANGUL:
            hangul = TRUE;
            break;
        default:
            break;
        }
    }
    if (!han && !kana && !hangul)
        return IMP_SCRIPT_LATIN;
    if (lang != NULL && g_ascii_strncasecmp(lang, "ja", 2) == 0)
        return IMP_SCRIPT_KANA;
    if (lang != NULL && g_ascii_strncasecmp(lang, "ko", 2) == 0)
        return IMP_SCRIPT_HANGUL;
    if (lang != NULL && g_ascii_strncasecmp(lang, "zh", 2) == 0)
        return IMP_SCRIPT_HAN;
    return kana ? IMP_SCRIPT_KANA : hangul && !han ? IMP_SCRIPT_HANGUL : IMP_SCRIPT_HAN;
}

/* The most bytes Pango shapes as one item of a code block. Pango's line wrapping works
 * over the whole item a line ends in, for every line, so a code line of a million tabs (one
 * item) took minutes; cut into items of this size it takes a second. */
#define ITEM_BYTES 2048
/* Source lines set in one PangoLayout: Pango's cost for each of a layout's paragraphs
 * grows with the text before it (a block of 100,000 lines in one layout took a minute). */
#define GROUP_LINES 64

/* Cuts the text of a code block into items of at most about ITEM_BYTES (a boundary of an
 * attribute that bears on itemising makes Pango start an item: a rise of 0, which moves
 * nothing, over each piece), at a
 * space or tab where there is one in the piece's last quarter, else before a character
 * that joins none (a mark, a joiner), so no cluster is cut. */
static void cut_items(PangoAttrList *attrs, const char *text, gsize len)
{
    gsize start = 0;
    while (len - start > ITEM_BYTES) {
        const char *lim = text + start + ITEM_BYTES;
        const char *cut = NULL;
        for (const char *p = lim; p > text + start + ITEM_BYTES * 3 / 4; p--)
            if (*p == ' ' || *p == '\t' || *p == '\n') {
                cut = p + 1;
                break;
            }
        if (cut == NULL) {
            cut = g_utf8_find_prev_char(text, lim + 1);
            while (cut > text + start + 1 &&
                   (g_unichar_ismark(g_utf8_get_char(cut)) ||
                    g_utf8_get_char(cut) == 0x200D || g_utf8_get_char(cut) == 0x200C))
                cut = g_utf8_find_prev_char(text, cut);
            if (cut <= text + start)
                cut = g_utf8_next_char(text + start + ITEM_BYTES - 1);
        }
        PangoAttribute *a = pango_attr_rise_new(0);
        a->start_index = (guint)start;
        a->end_index = (guint)(cut - text);
        pango_attr_list_insert(attrs, a);
        start = (gsize)(cut - text);
    }
}

/* The advance of one column: the width of "0" in the face Latin text is set in (the CJK
 * face's for a block with CJK text). */
static double column_width(PangoContext *ctx, const ImpStyle *style, ImpScript face)
{
    const ImpRoleStyle *rs = imp_style_get_role(style, IMP_ROLE_CODE);
    PangoLayout *zero = imp__shape(ctx, style, IMP_ROLE_CODE, "0", 1, NULL, -1, NULL);
    if (face != IMP_SCRIPT_LATIN) {
        PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(zero));
        pango_attr_list_change(attrs, pango_attr_family_new(rs->family_chain[face]));
        pango_layout_set_attributes(zero, attrs);
        pango_attr_list_unref(attrs);
    }
    double w = imp__pango_width(zero);
    g_object_unref(zero);
    return w;
}

/* A PangoLayout of bytes [base, base + len) of code block b's text (transfer full): its
 * spans, the CJK face over all of it (face not IMP_SCRIPT_LATIN), items cut to size,
 * wrapped at `width` under the hanging indent, tab stops every tab-width columns of
 * `col` points. */
static PangoLayout *code_layout(ImpLayout *lay, const ImpBlock *b, gsize base, gsize len,
                                double width, ImpScript face, double col)
{
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, IMP_ROLE_CODE);
    const ImpCodeStyle *cs = imp_style_get_code(lay->style);
    const char *text = imp_block_get_text(b, NULL);
    PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style, IMP_ROLE_CODE,
                                 text + base, len, imp_block_get_language(b), width, NULL);
    pango_layout_set_alignment(pl, PANGO_ALIGN_LEFT);
    pango_layout_set_justify(pl, FALSE);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_indent(pl, -(int)(cs->wrap_indent * PANGO_SCALE));
    if (face != IMP_SCRIPT_LATIN || len > ITEM_BYTES || imp_block_get_n_spans(b) > 0) {
        PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(pl));
        imp__inline_add_spans_at(attrs, lay->style, IMP_ROLE_CODE, text, base, len, b);
        if (face != IMP_SCRIPT_LATIN)
            pango_attr_list_change(attrs, pango_attr_family_new(rs->family_chain[face]));
        cut_items(attrs, text + base, len);
        pango_layout_set_attributes(pl, attrs);
        pango_attr_list_unref(attrs);
    }
    if (col > 0) {
        PangoTabArray *tabs = pango_tab_array_new(2, FALSE);
        int stop = (int)(cs->tab_width * col * PANGO_SCALE + 0.5);
        pango_tab_array_set_tab(tabs, 0, PANGO_TAB_LEFT, stop);
        pango_tab_array_set_tab(tabs, 1, PANGO_TAB_LEFT, 2 * stop);
        pango_layout_set_tabs(pl, tabs);
        pango_tab_array_free(tabs);
    }
    return pl;
}

/* The continuation mark, shaped once (transfer none: the layout keeps it), or NULL when the
 * style has none. */
static PangoLayout *wrap_mark(ImpFlow *f)
{
    if (!f->wrap_mark_done) {
        f->wrap_mark_done = TRUE;
        const char *mark = imp_style_get_code(f->lay->style)->wrap_mark;
        if (mark[0] != '\0') {
            PangoLayout *pl = imp__shape_short(f->lay, IMP_ROLE_CODE, mark, NULL);
            ImpItem item = imp__text_item(f->lay, pl, NULL); /* checked and kept once */
            (void)item;
            f->wrap_mark = pl;
        }
    }
    return f->wrap_mark;
}

/* A furniture box of the block (tint or rule piece) in entry e. */
static void add_box(ImpLayout *lay, ImpEntry *e, guint bi, double x, double y, double w,
                    double h, guint32 color)
{
    ImpItem box = { 0 };
    box.kind = IMP_ITEM_BOX;
    box.flags = IMP_ITEM_ARTIFACT;
    box.block = bi;
    box.x = x;
    box.y = y;
    box.width = w;
    box.thickness = h;
    box.color = color;
    imp__entry_add(lay, e, &box);
}

/* Adds code block bi; see blocks.h. */
void imp__code_add(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, IMP_ROLE_CODE);
    const ImpCodeStyle *cs = imp_style_get_code(lay->style);
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    const char *lang = imp_block_get_language(b);

    gboolean tint = cs->has_background, rule = cs->rule.thickness > 0;
    double frame_x = lay->text_x + p->x;
    double inset = tint || rule ? cs->padding : 0;
    double width = MAX(p->width - inset - (tint ? cs->padding : 0), rs->size);

    ImpScript face = cjk_face(text, len, lang);
    double col = column_width(ctx, lay->style, face);
    guint first = lay->entries->len;
    if (tint && cs->padding > 0) {
        ImpEntry *e = imp__entry_new(lay, cs->padding, space);
        add_box(lay, e, bi, frame_x, 0, p->width, cs->padding + SEAM_OVERLAP, cs->background);
        space = 0;
    }
    ImpLinePlace lp = { 0 };
    lp.block = bi;
    lp.b = b;
    lp.x = frame_x + inset;
    lp.leading = rs->leading;
    lp.size = rs->size;
    lp.decorate = imp__inline_decorates(b);
    guint lines_from = lay->entries->len, n = 0;
    /* a PangoLayout for each GROUP_LINES source lines (the '\n' between two groups is in
       neither: it ends a line, as the others do) */
    for (gsize g0 = 0, g1; g0 < len || n == 0; g0 = g1 + 1) {
        guint k = 0;
        for (g1 = g0; g1 < len; g1++)
            if (text[g1] == '\n' && ++k == GROUP_LINES)
                break;
        PangoLayout *pl = code_layout(lay, b, g0, g1 - g0, width, face, col);
        imp__missing_check_layout(&lay->missing, pl, b);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        lp.base = g0;
        lp.space_before = n == 0 ? space : 0;
        n += imp__add_pango_lines(lay, pl, &lp);
        g_object_unref(pl);
        if (g1 >= len)
            break;
    }

    /* the marks, tint and rule of each line: a piece of tint or rule reaches half a
       point into the next one's box, so no seam shows, and is drawn before the text it
       lies under */
    PangoLayout *mark = wrap_mark(f);
    GArray *extras = g_array_new(FALSE, FALSE, sizeof(ImpExtraItem));
    gboolean pad_below = tint && cs->padding > 0;
    gboolean *source_line = g_new(gboolean, n); /* line i starts a source line */
    for (guint i = 0; i < n; i++) {
        const ImpEntry *e = imp__entry_at(lay, lines_from + i);
        const ImpItem *line = &g_array_index(lay->entry_items, ImpItem, e->first_item);
        source_line[i] = line->line->is_paragraph_start;
        if (!source_line[i] && mark != NULL) {
            ImpItem m = { 0 };
            m.kind = IMP_ITEM_TEXT;
            m.flags = IMP_ITEM_ARTIFACT;
            m.block = bi;
            m.x = lp.x;
            m.y = line->y;
            m.line = pango_layout_get_line_readonly(mark, 0);
            imp__extra_add(extras, i, FALSE, &m);
        }
        double over = i + 1 < n || pad_below ? SEAM_OVERLAP : 0;
        if (tint)
            imp__extra_add(extras, i, TRUE, &(ImpItem){ .kind = IMP_ITEM_BOX,
                .flags = IMP_ITEM_ARTIFACT, .block = bi, .x = frame_x, .y = 0,
                .color = cs->background, .width = p->width, .thickness = rs->leading + over });
        if (rule)
            imp__extra_add(extras, i, TRUE, &(ImpItem){ .kind = IMP_ITEM_BOX,
                .flags = IMP_ITEM_ARTIFACT, .block = bi, .x = frame_x, .y = 0,
                .color = cs->rule.color, .width = cs->rule.thickness,
                .thickness = rs->leading + (i + 1 < n ? SEAM_OVERLAP : 0) });
    }
    imp__entries_add_extras(lay, lines_from, n, extras);
    g_array_free(extras, TRUE);
    if (pad_below) {
        ImpEntry *e = imp__entry_new(lay, cs->padding, 0);
        add_box(lay, e, bi, frame_x, 0, p->width, cs->padding, cs->background);
    }
    /* a break after line i: only before a source line, two lines on each side */
    for (guint i = 0; i < n; i++) {
        ImpEntry *e = imp__entry_at(lay, lines_from + i);
        gboolean ok = i + 1 < n && i + 1 >= 2 && n - i - 1 >= 2 && source_line[i + 1];
        e->keep_with_next = !ok && i + 1 < n;
    }
    g_free(source_line);
    if (first < lines_from) /* the padding above keeps with the first line */
        imp__entry_at(lay, first)->keep_with_next = TRUE;
    if (lay->entries->len > lines_from + n) /* the last line with the padding below */
        imp__entry_at(lay, lines_from + n - 1)->keep_with_next = TRUE;
    f->pending_after = rs->space_after;
}
