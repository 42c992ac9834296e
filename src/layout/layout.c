/* layout.c — blocks → entries → pages.
 *
 * The document is turned into a flat list of entries, one per line of text (or per
 * masthead, rule or anchor), each with its height, the space above it (dropped at the top of
 * a page), and whether a page may break after it. Keeping a heading with what follows, a
 * paragraph's widows and orphans, and the notice together are all said with that one
 * "keep with next" flag, and a single pass puts entries on pages, moving back to the last
 * allowed break when an entry does not fit. Headers, footers and the every-page notice are
 * added last, once the number of pages is known.
 *
 * Invariants:
 *  1. Every entry lands on exactly one page, in order.
 *  2. An entry taller than the text area still lands (alone on its page) rather than loop.
 *  3. Items are stored with absolute page coordinates in points.
 *  4. Every run of a set line points at the layout's one copy of its style (run_styles),
 *     so memory per line is its glyphs; the entries are freed once the pages hold the
 *     items.
 */
#include "layout-private.h"

#include <math.h>
#include <string.h>

#include "../util/error.h"

/* Where the baseline of a line sits in its line box, as a fraction of the font size above
 * the centre of the leading: the em box's ascent (0.88 em for CJK fonts, close to the Latin
 * fonts' cap height + half their descent) centred in the box. */
#define EM_ASCENT 0.88

/* Where libhyphen's dictionaries are (Debian's hyphen-* packages). */
#define IMP_HYPHEN_DIR "/usr/share/hyphen"

typedef struct {
    double height;          /* advance of this entry */
    double space_before;    /* dropped at the top of a page */
    gboolean keep_with_next;
    gboolean break_before;  /* forced page break before this entry */
    guint first_item, n_items; /* in Layout.entry_items, y relative to the entry's top */
} Entry;

struct ImpLayout {
    const ImpDocument *doc;
    const ImpStyle *style;
    ImpFonts *fonts;
    const ImpDiag *diag;
    double page_w, page_h;
    double text_x, text_w, text_top, text_bottom;
    GPtrArray *layouts;     /* PangoLayout*: every layout whose lines items point to */
    GPtrArray *para_lines;  /* ImpParaLine*: every line of our own that items point to */
    ImpHyphenator *hyphenator; /* dictionaries by language, loaded on first use */
    GPtrArray *labels;      /* char*: anchor labels */
    GArray *entries;        /* Entry */
    GArray *entry_items;    /* ImpItem */
    GArray *notice_items;   /* ImpItem: the every-page notice, y relative to its top */
    double notice_height;
    GPtrArray *pages;       /* GArray of ImpItem per page */
    GHashTable *font_seen;  /* PangoFont* → family name, for fonts_used */
    GHashTable *run_styles; /* ImpRunStyle* (a reference each): one per distinct style */
    char *fonts_used;
};

/* ------------------------------------------------------------------------------------ */
/* Entries                                                                              */
/* ------------------------------------------------------------------------------------ */

static Entry *entry_new(ImpLayout *lay, double height, double space_before)
{
    Entry e = { height, space_before, FALSE, FALSE, lay->entry_items->len, 0 };
    g_array_append_val(lay->entries, e);
    return &g_array_index(lay->entries, Entry, lay->entries->len - 1);
}

static void entry_add_item(ImpLayout *lay, Entry *e, const ImpItem *item)
{
    g_assert(e->first_item + e->n_items == lay->entry_items->len);
    g_array_append_val(lay->entry_items, *item);
    e->n_items++;
}

/* Baseline offset inside a line box of height `leading` for a font of `size`. */
static double baseline_in_box(double leading, double size)
{
    return (leading - size) / 2 + EM_ASCENT * size;
}

/* Reports characters of one shaped run that no font could show, with their source line,
 * and records the run's font family. */
static void check_run(ImpLayout *lay, const char *text, const PangoGlyphItem *run,
                      const ImpBlock *block)
{
    const char *file = imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE);
    PangoFont *font = run->item->analysis.font;
    if (font != NULL && !g_hash_table_contains(lay->font_seen, font)) {
        PangoFontDescription *d = pango_font_describe(font);
        g_hash_table_insert(lay->font_seen, g_object_ref(font),
                            g_strdup(pango_font_description_get_family(d)));
        pango_font_description_free(d);
    }
    PangoGlyphString *gs = run->glyphs;
    for (int g = 0; g < gs->num_glyphs; g++) {
        if (!(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            continue;
        gsize off = (gsize)run->item->offset + (gsize)gs->log_clusters[g];
        gunichar c = g_utf8_get_char(text + off);
        if (g_unichar_iscntrl(c) || c == '\t')
            continue;
        char utf8[8] = { 0 };
        g_unichar_to_utf8(c, utf8);
        imp_diag_report(lay->diag, IMP_DIAG_WARNING, file,
                        block ? imp_block_get_line_at(block, off) : 0,
                        "no font can show U+%04X '%s'", c, utf8);
    }
}

/* check_run for every run of a PangoLayout. */
static void check_glyphs(ImpLayout *lay, PangoLayout *pl, const ImpBlock *block)
{
    const char *text = pango_layout_get_text(pl);
    for (GSList *l = pango_layout_get_lines_readonly(pl); l != NULL; l = l->next) {
        PangoLayoutLine *line = l->data;
        for (GSList *r = line->runs; r != NULL; r = r->next)
            check_run(lay, text, r->data, block);
    }
}

/* Reports characters of run k of a set line that no font could show (as check_run). */
static void check_glyph_run(ImpLayout *lay, const ImpGlyphLine *line, guint k,
                            const ImpBlock *block)
{
    const ImpGlyphRun *r = &line->runs[k];
    const char *file = imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE);
    for (guint j = 0; j < r->n_glyphs; j++) {
        guint g = r->first_glyph + j;
        if (!(line->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            continue;
        gsize off = r->offset + (line->clusters16 ? line->clusters16[g] : line->clusters32[g]);
        gunichar c = g_utf8_get_char(line->text + off);
        if (g_unichar_iscntrl(c) || c == '\t')
            continue;
        char utf8[8] = { 0 };
        g_unichar_to_utf8(c, utf8);
        imp_diag_report(lay->diag, IMP_DIAG_WARNING, file,
                        block ? imp_block_get_line_at(block, off) : 0,
                        "no font can show U+%04X '%s'", c, utf8);
    }
}

/* The layout's one copy of a run style equal to rs, added (and its font's family recorded
 * for fonts_used) when new (transfer none). */
static const ImpRunStyle *intern_style(ImpLayout *lay, const ImpRunStyle *rs)
{
    const ImpRunStyle *found = g_hash_table_lookup(lay->run_styles, rs);
    if (found != NULL)
        return found;
    g_hash_table_add(lay->run_styles, (gpointer)imp__run_style_ref(rs));
    PangoFont *font = rs->analysis.font;
    if (font != NULL && !g_hash_table_contains(lay->font_seen, font)) {
        PangoFontDescription *d = pango_font_describe(font);
        g_hash_table_insert(lay->font_seen, g_object_ref(font),
                            g_strdup(pango_font_description_get_family(d)));
        pango_font_description_free(d);
    }
    return rs;
}

/* Points a line's runs at the layout's shared styles, so that the paragraph's own copies
 * are freed with it. */
static void share_styles(ImpLayout *lay, ImpGlyphLine *line)
{
    ImpGlyphRun *runs = (ImpGlyphRun *)line->runs; /* the line is ours */
    for (guint k = 0; k < line->n_runs; k++) {
        const ImpRunStyle *canon = intern_style(lay, runs[k].style);
        if (canon != runs[k].style) {
            imp__run_style_ref(canon);
            imp__run_style_unref(runs[k].style);
            runs[k].style = canon;
        }
    }
    if (line->hyphen_style != NULL) {
        const ImpRunStyle *canon = intern_style(lay, line->hyphen_style);
        if (canon != line->hyphen_style) {
            imp__run_style_ref(canon);
            imp__run_style_unref(line->hyphen_style);
            line->hyphen_style = canon;
        }
    }
}

/* Adds one entry per line of pl, x at `x`; lines get `leading` each. The first line gets
 * `space_before`. Widows and orphans are kept by the keep flags. Returns the number of
 * lines. */
static guint add_lines(ImpLayout *lay, PangoLayout *pl, double x, double leading, double size,
                       double space_before, gboolean keep_all, int widows, int orphans)
{
    g_ptr_array_add(lay->layouts, g_object_ref(pl));
    guint n = (guint)pango_layout_get_line_count(pl);
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    guint i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        Entry *e = entry_new(lay, leading, i == 0 ? space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_TEXT;
        item.x = x + (double)logical.x / PANGO_SCALE;
        item.y = baseline_in_box(leading, size);
        item.line = pango_layout_iter_get_line_readonly(it);
        entry_add_item(lay, e, &item);
        /* break after line i leaves i+1 lines above and n-i-1 below */
        e->keep_with_next = keep_all || (i + 1 < n && ((int)i + 1 < orphans ||
                                                       (int)(n - i - 1) < widows));
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return n;
}

/* Sets a block with our own breaker and adds one entry per line, like add_lines(); the
 * layout takes the lines. Reports missing glyphs, overfull lines (warnings) and lines
 * stretched beyond max-stretch (information). */
static void add_para_lines(ImpLayout *lay, const ImpBlock *b, ImpRole role, gboolean bold,
                           double x, double width, double space_before, gboolean keep_all)
{
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    const char *file = imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    const char *lang = imp_block_get_language(b);
    if (lang == NULL)
        lang = ds->language;
    PangoAttrList *attrs = imp__shape_attrs(lay->style, role, text, len, lang, b);
    if (bold)
        pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
    ImpParaSpec spec = { 0 };
    spec.width = width;
    spec.indent = rs->indent;
    spec.size = rs->size;
    spec.align = rs->align;
    spec.hyphenate = rs->hyphenate;
    spec.lang = lang;
    spec.han_latin_gap = ds->han_latin_gap;
    spec.max_stretch = ds->max_stretch;
    spec.hyphenator = lay->hyphenator;
    GPtrArray *lines = imp__para_set(ctx, text, len, attrs, &spec);
    pango_attr_list_unref(attrs);

    guint n = lines->len;
    for (guint i = 0; i < n; i++) {
        ImpParaLine *pl = lines->pdata[i];
        share_styles(lay, &pl->line);
        for (guint k = 0; k < pl->line.n_runs; k++)
            check_glyph_run(lay, &pl->line, k, b);
        if (pl->overfull)
            imp_diag_report(lay->diag, IMP_DIAG_WARNING, file,
                            imp_block_get_line_at(b, pl->start),
                            "overfull line: nothing fits the measure of %.1fpt", width);
        else if (pl->stretch_em > ds->max_stretch + 1e-6)
            imp_diag_report(lay->diag, IMP_DIAG_INFO, file,
                            imp_block_get_line_at(b, pl->start),
                            "loose line: word spaces stretched by %.2fem (max-stretch %.2fem)",
                            pl->stretch_em, ds->max_stretch);
        Entry *e = entry_new(lay, rs->leading, i == 0 ? space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_GLYPHS;
        item.x = x + pl->x;
        item.y = baseline_in_box(rs->leading, rs->size);
        item.glyphs = &pl->line;
        entry_add_item(lay, e, &item);
        e->keep_with_next = keep_all || (i + 1 < n && ((int)i + 1 < ds->orphans ||
                                                       (int)(n - i - 1) < ds->widows));
    }
    /* the items point into the lines: hand them to the layout */
    g_ptr_array_set_free_func(lines, NULL);
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(lay->para_lines, lines->pdata[i]);
    g_ptr_array_free(lines, TRUE);
}

static ImpRole role_of(const ImpBlock *b)
{
    switch (imp_block_get_kind(b)) {
    case IMP_BLOCK_TITLE: return IMP_ROLE_TITLE;
    case IMP_BLOCK_SUBTITLE: return IMP_ROLE_SUBTITLE;
    case IMP_BLOCK_HEADING:
        return imp_block_get_level(b) <= 1 ? IMP_ROLE_H1
             : imp_block_get_level(b) == 2 ? IMP_ROLE_H2 : IMP_ROLE_H3;
    case IMP_BLOCK_LIST_ITEM: return IMP_ROLE_LIST;
    case IMP_BLOCK_QUOTE: return IMP_ROLE_QUOTE;
    case IMP_BLOCK_CODE: return IMP_ROLE_CODE;
    case IMP_BLOCK_NOTICE: return IMP_ROLE_NOTICE;
    default: return IMP_ROLE_BODY;
    }
}

static gboolean is_heading_role(ImpRole r)
{
    return r == IMP_ROLE_TITLE || r == IMP_ROLE_SUBTITLE || r == IMP_ROLE_H1 ||
           r == IMP_ROLE_H2 || r == IMP_ROLE_H3;
}

/* The masthead: the site's name at the left and the rest (a language link) at the right
 * of one line, with a rule under it. */
static void add_masthead(ImpLayout *lay, PangoContext *ctx)
{
    const char *site = imp_document_get_meta(lay->doc, IMP_META_SITE);
    const char *extra = imp_document_get_meta(lay->doc, IMP_META_SITE_EXTRA);
    if (site == NULL && extra == NULL)
        return;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, IMP_ROLE_MASTHEAD);
    Entry *e = entry_new(lay, rs->leading + rs->space_after, 0);
    ImpItem item = { 0 };
    item.kind = IMP_ITEM_TEXT;
    item.y = baseline_in_box(rs->leading, rs->size);
    if (site != NULL) {
        PangoLayout *pl = imp__shape(ctx, lay->style, IMP_ROLE_MASTHEAD, site, strlen(site),
                                     NULL, -1, NULL);
        check_glyphs(lay, pl, NULL);
        g_ptr_array_add(lay->layouts, pl);
        item.x = lay->text_x;
        item.line = pango_layout_get_line_readonly(pl, 0);
        entry_add_item(lay, e, &item);
    }
    if (extra != NULL) {
        PangoLayout *pl = imp__shape(ctx, lay->style, IMP_ROLE_MASTHEAD, extra, strlen(extra),
                                     NULL, -1, NULL);
        check_glyphs(lay, pl, NULL);
        g_ptr_array_add(lay->layouts, pl);
        PangoRectangle logical;
        pango_layout_get_extents(pl, NULL, &logical);
        item.x = lay->text_x + lay->text_w - (double)logical.width / PANGO_SCALE;
        item.line = pango_layout_get_line_readonly(pl, 0);
        entry_add_item(lay, e, &item);
    }
    const ImpRuleStyle *rule = &imp_style_get_header(lay->style)->rule;
    if (rule->thickness > 0) {
        ImpItem r = { 0 };
        r.kind = IMP_ITEM_RULE;
        r.x = lay->text_x;
        r.width = lay->text_w;
        r.y = rs->leading + rs->space_after / 2;
        r.thickness = rule->thickness;
        r.color = rs->color;
        entry_add_item(lay, e, &r);
    }
    e->keep_with_next = TRUE;
}

/* An outline destination for a heading or title, kept with the heading's first line. */
static void add_anchor(ImpLayout *lay, const char *text, gsize len, int level,
                       double space_before)
{
    char *label = g_strndup(text, len);
    g_ptr_array_add(lay->labels, label);
    Entry *e = entry_new(lay, 0, space_before);
    ImpItem a = { 0 };
    a.kind = IMP_ITEM_ANCHOR;
    a.label = label;
    a.level = level;
    entry_add_item(lay, e, &a);
    e->keep_with_next = TRUE;
}

static double place_entries(ImpLayout *lay, guint from, guint to, double y, GArray *out);

/* What the blocks laid out so far leave for the next one. */
typedef struct {
    double pending_after;   /* space_after of the previous block */
    gboolean pending_break; /* a page break came before this block */
    gboolean prev_heading;  /* the previous block was a heading: keep with this one */
    gboolean in_notice;     /* the notice has begun (its rule is set) */
} BlockState;

/* Adds the entries of one block: its lines, an outline anchor for a heading, a list marker,
 * the rule that opens the notice, and the keeps between blocks. */
static void add_block(ImpLayout *lay, const ImpBlock *b, BlockState *st)
{
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpBlockKind kind = imp_block_get_kind(b);
    ImpRole role = role_of(b);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    double space = MAX(st->pending_after, rs->space_before);
    guint first_entry = lay->entries->len;

    if (kind == IMP_BLOCK_NOTICE && !st->in_notice) {
        /* the notice starts with a rule and stays together when it fits on a page */
        st->in_notice = TRUE;
        if (ds->notice_rule.thickness > 0) {
            Entry *e = entry_new(lay, rs->space_before, MAX(st->pending_after, 2 * rs->leading));
            ImpItem r = { 0 };
            r.kind = IMP_ITEM_RULE;
            r.x = lay->text_x;
            r.width = lay->text_w;
            r.thickness = ds->notice_rule.thickness;
            r.color = ds->notice_rule.color;
            entry_add_item(lay, e, &r);
            space = 0;
        }
    }
    if (is_heading_role(role) && len > 0)
        add_anchor(lay, text, len, role == IMP_ROLE_TITLE ? 1
                                   : role == IMP_ROLE_H1 || role == IMP_ROLE_SUBTITLE ? 2
                                   : role == IMP_ROLE_H2 ? 3 : 4,
                   space);

    /* notice heading lines are set bold */
    gboolean bold = kind == IMP_BLOCK_NOTICE && imp_block_get_level(b) > 0;
    double indent_x = 0;
    if (kind == IMP_BLOCK_LIST_ITEM || kind == IMP_BLOCK_QUOTE)
        indent_x = 1.5 * rs->size * MAX(1u, imp_block_get_level(b));
    gboolean keep_all = is_heading_role(role) || kind == IMP_BLOCK_NOTICE;
    double first_space = lay->entries->len > first_entry ? 0 : space;
    if (ds->line_breaking == IMP_BREAK_OPTIMAL && kind != IMP_BLOCK_CODE) {
        /* our own breaking and justification; code keeps its lines as they are */
        add_para_lines(lay, b, role, bold, lay->text_x + indent_x,
                       lay->text_w - indent_x, first_space, keep_all);
    } else {
        /* the baseline: Pango's greedy filling and justification */
        PangoLayout *pl = imp__shape(ctx, lay->style, role, text, len,
                                     imp_block_get_language(b), lay->text_w - indent_x, b);
        if (bold) {
            PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(pl));
            pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
            pango_layout_set_attributes(pl, attrs);
            pango_attr_list_unref(attrs);
        }
        check_glyphs(lay, pl, b);
        add_lines(lay, pl, lay->text_x + indent_x, rs->leading, rs->size, first_space,
                  keep_all, ds->widows, ds->orphans);
        g_object_unref(pl);
    }

    if (kind == IMP_BLOCK_LIST_ITEM && imp_block_get_marker(b) != NULL) {
        const char *m = imp_block_get_marker(b);
        PangoLayout *ml = imp__shape(ctx, lay->style, role, m, strlen(m), NULL, -1, NULL);
        g_ptr_array_add(lay->layouts, ml);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_TEXT;
        item.x = lay->text_x + indent_x - 1.2 * rs->size;
        item.y = baseline_in_box(rs->leading, rs->size);
        item.line = pango_layout_get_line_readonly(ml, 0);
        /* append to the first line entry of this block (the last entry added before
           its lines is first_entry or first_entry + anchor) */
        Entry *first = &g_array_index(lay->entries, Entry, lay->entries->len - 1);
        if (first->first_item + first->n_items == lay->entry_items->len)
            entry_add_item(lay, first, &item);
    }

    if (st->pending_break) {
        g_array_index(lay->entries, Entry, first_entry).break_before = TRUE;
        st->pending_break = FALSE;
    }
    /* a heading keeps with the first two lines of what follows */
    if (st->prev_heading && !is_heading_role(role)) {
        guint last = MIN(first_entry + 1, lay->entries->len - 1);
        for (guint k = first_entry; k < last; k++)
            g_array_index(lay->entries, Entry, k).keep_with_next = TRUE;
    }
    st->prev_heading = is_heading_role(role);
    st->pending_after = rs->space_after;
}

/* Turns the document's blocks into entries. A notice placed on every page is laid out the
 * same way, then taken out of the entries into lay->notice_items, y from its top. */
static void build_entries(ImpLayout *lay)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    gboolean every_page = ds->notice_placement == IMP_NOTICE_EVERY_PAGE;
    GPtrArray *notice = g_ptr_array_new();

    if (ds->masthead)
        add_masthead(lay, imp_fonts_get_context(lay->fonts));

    BlockState st = { 0 };
    guint n = imp_document_get_n_blocks(lay->doc);
    for (guint bi = 0; bi < n; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        ImpBlockKind kind = imp_block_get_kind(b);
        if (kind == IMP_BLOCK_PAGE_BREAK) {
            st.pending_break = TRUE;
            st.pending_after = 0;
        } else if (kind == IMP_BLOCK_NOTICE && every_page) {
            g_ptr_array_add(notice, (gpointer)b);
        } else {
            add_block(lay, b, &st);
        }
    }
    /* the last entry need not keep with anything after it */
    if (lay->entries->len > 0)
        g_array_index(lay->entries, Entry, lay->entries->len - 1).keep_with_next = FALSE;

    if (notice->len > 0) {
        guint first = lay->entries->len, first_item = lay->entry_items->len;
        BlockState nst = { 0 };
        for (guint i = 0; i < notice->len; i++)
            add_block(lay, notice->pdata[i], &nst);
        lay->notice_height = place_entries(lay, first, lay->entries->len, 0,
                                           lay->notice_items);
        g_array_set_size(lay->entries, first);
        g_array_set_size(lay->entry_items, first_item);
    }
    g_ptr_array_free(notice, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Pages                                                                                */
/* ------------------------------------------------------------------------------------ */

static GArray *page_new(ImpLayout *lay)
{
    GArray *items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    g_ptr_array_add(lay->pages, items);
    return items;
}

/* Places entries [from, to) from y down: appends their items to `out` with absolute y (the
 * first entry's space above is dropped, as at the top of a page). Returns the y below. */
static double place_entries(ImpLayout *lay, guint from, guint to, double y, GArray *out)
{
    for (guint i = from; i < to; i++) {
        const Entry *e = &g_array_index(lay->entries, Entry, i);
        if (i > from)
            y += e->space_before;
        for (guint k = 0; k < e->n_items; k++) {
            ImpItem item = g_array_index(lay->entry_items, ImpItem, e->first_item + k);
            item.y += y;
            g_array_append_val(out, item);
        }
        y += e->height;
    }
    return y;
}

/* Places entries [from, to) on a new page, top to bottom. */
static void place_page(ImpLayout *lay, guint from, guint to)
{
    place_entries(lay, from, to, lay->text_top, page_new(lay));
}

/* Puts entries on pages: fill while they fit, then break at the last place a break is
 * allowed; a run of kept entries longer than a page breaks where it overflows. */
static void paginate(ImpLayout *lay)
{
    double avail = lay->text_bottom - lay->text_top;
    if (lay->notice_height > 0)
        avail -= lay->notice_height + imp_style_get_role(lay->style, IMP_ROLE_BODY)->leading;
    guint n = lay->entries->len, start = 0, i = 0;
    double y = 0;
    const double eps = 1e-6;
    while (i < n) {
        const Entry *e = &g_array_index(lay->entries, Entry, i);
        if (i > start && e->break_before) {
            place_page(lay, start, i);
            start = i;
            y = 0;
            continue;
        }
        double need = (i > start ? e->space_before : 0) + e->height;
        if (i == start || y + need <= avail + eps) {
            y += need;
            i++;
            continue;
        }
        guint j = i;
        while (j > start && g_array_index(lay->entries, Entry, j - 1).keep_with_next)
            j--;
        if (j == start)
            j = i; /* nothing allowed: the kept run is taller than a page */
        place_page(lay, start, j);
        start = i = j;
        y = 0;
    }
    if (start < n || lay->pages->len == 0)
        place_page(lay, start, n);
}

/* Expands a header/footer template: {page} {pages} and the document's metadata. Unknown
 * fields cannot occur: the style rejects them. */
static char *expand_template(const ImpLayout *lay, const char *tpl, guint page, guint pages)
{
    GString *s = g_string_new(NULL);
    for (const char *p = tpl; *p != '\0'; p++) {
        if (p[0] == '{' && p[1] == '{') {
            g_string_append_c(s, '{');
            p++;
            continue;
        }
        if (p[0] == '}' && p[1] == '}') {
            g_string_append_c(s, '}');
            p++;
            continue;
        }
        const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
        if (close == NULL) {
            g_string_append_c(s, *p);
            continue;
        }
        char *field = g_strndup(p + 1, (gsize)(close - p - 1));
        if (strcmp(field, "page") == 0) {
            g_string_append_printf(s, "%u", page);
        } else if (strcmp(field, "pages") == 0) {
            g_string_append_printf(s, "%u", pages);
        } else {
            for (int k = 0; k < IMP_N_META; k++)
                if (strcmp(field, imp_meta_key_name((ImpMetaKey)k)) == 0) {
                    const char *v = imp_document_get_meta(lay->doc, (ImpMetaKey)k);
                    if (v != NULL)
                        g_string_append(s, v);
                }
        }
        g_free(field);
        p = close;
    }
    return g_string_free(s, FALSE);
}

/* Sets one running header or footer on page `page` (1-based), its text baseline at
 * `baseline`, a rule at `rule_y`. Slot widths: a third of the text width each when the
 * centre is used, else half; a slot too long is ellipsized. */
static void add_running(ImpLayout *lay, GArray *items, const ImpRunningStyle *rs, ImpRole role,
                        guint page, guint pages, double baseline, double rule_y)
{
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    const char *const *slots = page == 1 ? rs->first_slot : rs->slot;
    char *text[IMP_N_SLOTS];
    gboolean any = FALSE;
    for (int k = 0; k < IMP_N_SLOTS; k++) {
        text[k] = expand_template(lay, slots[k] ? slots[k] : "", page, pages);
        any = any || text[k][0] != '\0';
    }
    if (any && rs->rule.thickness > 0) {
        ImpItem r = { 0 };
        r.kind = IMP_ITEM_RULE;
        r.x = lay->text_x;
        r.y = rule_y;
        r.width = lay->text_w;
        r.thickness = rs->rule.thickness;
        r.color = rs->rule.color;
        g_array_append_val(items, r);
    }
    const ImpRoleStyle *role_style = imp_style_get_role(lay->style, role);
    double gap = role_style->size;
    double slot_w = text[IMP_SLOT_CENTER][0] != '\0' ? (lay->text_w - 2 * gap) / 3
                                                      : (lay->text_w - gap) / 2;
    /* decided before the loop frees the slots' texts */
    gboolean empty[IMP_N_SLOTS];
    for (int k = 0; k < IMP_N_SLOTS; k++)
        empty[k] = text[k][0] == '\0';
    for (int k = 0; k < IMP_N_SLOTS; k++) {
        if (empty[k]) {
            g_free(text[k]);
            continue;
        }
        gboolean alone = k != IMP_SLOT_CENTER && empty[IMP_SLOT_CENTER] && empty[2 - k];
        double w = alone ? lay->text_w : slot_w;
        PangoLayout *pl = imp__shape(ctx, lay->style, role, text[k], strlen(text[k]), NULL,
                                     -1, NULL);
        pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
        pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
        pango_layout_set_alignment(pl, PANGO_ALIGN_LEFT);
        pango_layout_set_justify(pl, FALSE);
        check_glyphs(lay, pl, NULL);
        g_ptr_array_add(lay->layouts, pl);
        PangoRectangle logical;
        pango_layout_get_extents(pl, NULL, &logical);
        double tw = (double)logical.width / PANGO_SCALE;
        ImpItem t = { 0 };
        t.kind = IMP_ITEM_TEXT;
        t.y = baseline;
        t.x = k == IMP_SLOT_LEFT ? lay->text_x
            : k == IMP_SLOT_CENTER ? lay->text_x + (lay->text_w - tw) / 2
            : lay->text_x + lay->text_w - tw;
        t.line = pango_layout_get_line_readonly(pl, 0);
        g_array_append_val(items, t);
        g_free(text[k]);
    }
}

/* Adds headers, footers and the every-page notice to every page. */
static void add_page_furniture(ImpLayout *lay)
{
    const ImpPageStyle *ps = imp_style_get_page(lay->style);
    const ImpRoleStyle *hs = imp_style_get_role(lay->style, IMP_ROLE_HEADER);
    const ImpRoleStyle *fs = imp_style_get_role(lay->style, IMP_ROLE_FOOTER);
    guint pages = lay->pages->len;
    /* header: the rule well clear of the text area's first line, the text just above it */
    double head_rule = ps->margin_top - MAX(ps->header_height * 0.4, 6.0);
    double head_base = head_rule - MAX(hs->size * 0.45, 3.0);
    /* footer: rule at the band's top, text below it */
    double foot_rule = lay->text_bottom + MIN(ps->footer_height * 0.25, 6.0);
    double foot_base = foot_rule + 3.0 + EM_ASCENT * fs->size;
    for (guint p = 0; p < pages; p++) {
        GArray *items = g_ptr_array_index(lay->pages, p);
        add_running(lay, items, imp_style_get_header(lay->style), IMP_ROLE_HEADER, p + 1,
                    pages, head_base, head_rule);
        add_running(lay, items, imp_style_get_footer(lay->style), IMP_ROLE_FOOTER, p + 1,
                    pages, foot_base, foot_rule);
        if (lay->notice_items->len > 0) {
            double top = lay->text_bottom - lay->notice_height;
            for (guint k = 0; k < lay->notice_items->len; k++) {
                ImpItem item = g_array_index(lay->notice_items, ImpItem, k);
                item.y += top;
                g_array_append_val(items, item);
            }
        }
    }
}

static int compare_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted, distinct family names of the fonts used. */
static char *fonts_used(GHashTable *seen)
{
    GPtrArray *names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key, value;
    GHashTable *dedup = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_iter_init(&iter, seen);
    while (g_hash_table_iter_next(&iter, &key, &value))
        if (value != NULL && g_hash_table_add(dedup, value))
            g_ptr_array_add(names, value);
    g_ptr_array_sort(names, compare_str);
    g_ptr_array_add(names, NULL);
    char *s = g_strjoinv(", ", (char **)names->pdata);
    g_ptr_array_free(names, TRUE);
    g_hash_table_destroy(dedup);
    return s;
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */
/* ------------------------------------------------------------------------------------ */

/* Lays the document out; see layout.h. */
ImpLayout *imp_layout_new(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                          const ImpLayoutOptions *options, GError **error)
{
    g_return_val_if_fail(doc != NULL && style != NULL && fonts != NULL, NULL);
    (void)error;
    ImpLayout *lay = g_new0(ImpLayout, 1);
    lay->doc = doc;
    lay->style = style;
    lay->fonts = fonts;
    lay->diag = options ? options->diag : NULL;
    const ImpPageStyle *ps = imp_style_get_page(style);
    lay->page_w = ps->width;
    lay->page_h = ps->height;
    lay->text_x = ps->margin_left;
    lay->text_w = ps->width - ps->margin_left - ps->margin_right;
    lay->text_top = ps->margin_top;
    lay->text_bottom = ps->height - ps->margin_bottom;
    lay->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    lay->para_lines = g_ptr_array_new_with_free_func(imp__para_line_free);
    lay->hyphenator = imp__hyphenator_new(IMP_HYPHEN_DIR);
    lay->labels = g_ptr_array_new_with_free_func(g_free);
    lay->entries = g_array_new(FALSE, FALSE, sizeof(Entry));
    lay->entry_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->notice_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->pages = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    lay->font_seen = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                           g_free);
    lay->run_styles = g_hash_table_new_full(imp__run_style_hash, imp__run_style_equal,
                                            (GDestroyNotify)imp__run_style_unref, NULL);

    build_entries(lay);
    paginate(lay);
    add_page_furniture(lay);
    /* the pages hold copies of the items: the entries are no longer needed */
    g_array_free(lay->entries, TRUE);
    g_array_free(lay->entry_items, TRUE);
    lay->entries = lay->entry_items = NULL;
    lay->fonts_used = fonts_used(lay->font_seen);
    return lay;
}

/* Frees the pages and every Pango object the layout holds. */
void imp_layout_free(ImpLayout *layout)
{
    if (layout == NULL)
        return;
    g_ptr_array_free(layout->pages, TRUE);
    if (layout->entries != NULL)
        g_array_free(layout->entries, TRUE);
    if (layout->entry_items != NULL)
        g_array_free(layout->entry_items, TRUE);
    g_array_free(layout->notice_items, TRUE);
    g_ptr_array_free(layout->labels, TRUE);
    g_ptr_array_free(layout->layouts, TRUE);
    g_ptr_array_free(layout->para_lines, TRUE);
    imp__hyphenator_free(layout->hyphenator);
    g_hash_table_destroy(layout->font_seen);
    g_hash_table_destroy(layout->run_styles);
    g_free(layout->fonts_used);
    g_free(layout);
}

guint imp_layout_get_n_pages(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, 0);
    return layout->pages->len;
}

void imp_layout_get_page_size(const ImpLayout *layout, double *width, double *height)
{
    g_return_if_fail(layout != NULL);
    if (width)
        *width = layout->page_w;
    if (height)
        *height = layout->page_h;
}

const ImpItem *imp_layout_get_items(const ImpLayout *layout, guint page, guint *n_items)
{
    g_return_val_if_fail(layout != NULL && page < layout->pages->len, NULL);
    GArray *items = g_ptr_array_index(layout->pages, page);
    if (n_items)
        *n_items = items->len;
    return (const ImpItem *)(gpointer)items->data;
}

const ImpDocument *imp_layout_get_document(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, NULL);
    return layout->doc;
}

const char *imp_layout_get_fonts_used(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, NULL);
    return layout->fonts_used;
}
