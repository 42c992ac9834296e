/* inline.c — inline spans: how emphasis, strong, code, links, strikethrough and language
 * spans are set, and what is drawn over the set lines.
 *
 * Attributes (imp__inline_add_spans, from shape.c's attributes of a paragraph):
 *   emphasis       italic (roman inside an italic role, as a book sets emphasis in
 *                  italics); over CJK text, which has no italic, emphasis dots (below);
 *   strong         bold (black in a bold role);
 *   code           [code]'s monospace families per script, at [code] inline-font-size
 *                  times the text around it;
 *   link           [link] colour, underlined when [link] underline says; a link always
 *                  starts and ends a glyph run of its own (its colour is an attribute of its
 *                  exact range, and Pango starts a run at every attribute boundary), so a
 *                  tagged PDF can mark its glyphs as Link content;
 *   language       the range's language (glyph forms of Han text, line-breaking rules).
 *
 * Drawn over set lines (imp__inline_decorate), each an item of the line's entry:
 *   a link         an IMP_ITEM_LINK area over each line's fragment of it (the line box's
 *                  height; a hyphen that ends the fragment is in it), href in `label`;
 *   strikethrough  a rule through each run of it at its font's strikethrough position
 *                  (furniture: the struck text itself is content);
 *   emphasised CJK a dot per Han, kana or hangul character (not punctuation): below it in
 *                  Chinese (GB/T 15834 着重号), above it in Japanese (圏点) and Korean
 *                  (드러냄표), by the block's language (else the document's, else the
 *                  run's); furniture.
 *
 * Invariants:
 *  1. A block without spans costs nothing here: no attribute, no look at its lines.
 *  2. Decorating a paragraph costs its lines once plus, per span, the lines it covers:
 *     spans are matched to lines by bisection, never each span against every line.
 */
#include "blocks.h"

#include <string.h>

/* The size of an emphasis dot, and where its centre stands from the baseline (below) or
 * the em box's top (above), in em. */
#define DOT_SIZE 0.15
#define DOT_BELOW 0.30
#define DOT_ABOVE 0.16

/* ------------------------------------------------------------------------------------ */
/* Attributes                                                                           */
/* ------------------------------------------------------------------------------------ */

/* Inserts attribute a (taking it) over bytes [start, end). */
static void insert_range(PangoAttrList *attrs, PangoAttribute *a, guint start, guint end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(attrs, a);
}

/* Replaces the attributes of a's type over [start, end) by a (taking it). */
static void change_range(PangoAttrList *attrs, PangoAttribute *a, guint start, guint end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_change(attrs, a);
}

/* The family chain of [code] for character class cls. */
static const char *code_family(const ImpRoleStyle *code, ImpCharClass cls)
{
    switch (cls) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_CJK_PUNCT:
        return code->family_chain[IMP_SCRIPT_HAN];
    case IMP__CLASS_KANA:
        return code->family_chain[IMP_SCRIPT_KANA];
    case IMP__CLASS_HANGUL:
        return code->family_chain[IMP_SCRIPT_HANGUL];
    case IMP__CLASS_OTHER:
        return code->family_chain[IMP_SCRIPT_FALLBACK];
    default:
        return code->family_chain[IMP_SCRIPT_LATIN];
    }
}

/* Sets inline code [start, end) in [code]'s families, one run per script class as
 * shape.c splits a paragraph (neutral characters join the run they stand in). */
static void add_code(PangoAttrList *attrs, const ImpRoleStyle *code, const char *text,
                     guint start, guint end)
{
    ImpCharClass run = IMP__CLASS_NEUTRAL;
    guint run_start = start;
    for (const char *p = text + start; p < text + end; p = g_utf8_next_char(p)) {
        ImpCharClass cls = imp__char_class(g_utf8_get_char(p));
        if (cls == IMP__CLASS_CJK_PUNCT)
            cls = run == IMP__CLASS_KANA || run == IMP__CLASS_HANGUL ? run : IMP__CLASS_HAN;
        if (cls == IMP__CLASS_NEUTRAL || cls == run)
            continue;
        guint off = (guint)(p - text);
        if (run != IMP__CLASS_NEUTRAL && off > run_start) {
            change_range(attrs, pango_attr_family_new(code_family(code, run)), run_start, off);
            run_start = off;
        }
        run = cls;
    }
    if (end > run_start)
        change_range(attrs, pango_attr_family_new(code_family(code, run)), run_start, end);
}

/* Adds the attributes of block's inline spans; see layout-private.h. */
void imp__inline_add_spans(PangoAttrList *attrs, const ImpStyle *style, ImpRole role,
                           const char *text, gsize len, const ImpBlock *block)
{
    imp__inline_add_spans_at(attrs, style, role, text, 0, len, block);
}

/* Adds the attributes of block's spans over a part of its text; see blocks.h. */
void imp__inline_add_spans_at(PangoAttrList *attrs, const ImpStyle *style, ImpRole role,
                              const char *text, gsize base, gsize len, const ImpBlock *block)
{
    guint n = imp_block_get_n_spans(block);
    if (n == 0)
        return;
    const ImpRoleStyle *rs = imp_style_get_role(style, role);
    const ImpLinkStyle *link = imp_style_get_link(style);
    text += base;
    for (guint i = 0; i < n; i++) {
        const ImpSpan *s = imp_block_get_span(block, i);
        if (s->start >= s->end || s->end <= base || s->start >= base + len)
            continue;
        guint start = (guint)(MAX(s->start, base) - base);
        guint end = (guint)(MIN(s->end, base + len) - base);
        if (s->flags & IMP_SPAN_EMPHASIS)
            insert_range(attrs,
                         pango_attr_style_new(rs->italic ? PANGO_STYLE_NORMAL
                                                         : PANGO_STYLE_ITALIC),
                         start, end);
        if (s->flags & IMP_SPAN_STRONG)
            insert_range(attrs,
                         pango_attr_weight_new(rs->weight >= 600 ? PANGO_WEIGHT_HEAVY
                                                                 : PANGO_WEIGHT_BOLD),
                         start, end);
        if (s->flags & IMP_SPAN_CODE) {
            const ImpRoleStyle *code = imp_style_get_role(style, IMP_ROLE_CODE);
            add_code(attrs, code, text, start, end);
            double size = rs->size * imp_style_get_code(style)->inline_size;
            insert_range(attrs, pango_attr_size_new((int)(size * PANGO_SCALE + 0.5)), start,
                         end);
        }
        if (s->flags & IMP_SPAN_LINK) {
            guint32 c = link->color;
            insert_range(attrs,
                         pango_attr_foreground_new((guint16)(((c >> 16) & 0xff) * 257),
                                                   (guint16)(((c >> 8) & 0xff) * 257),
                                                   (guint16)((c & 0xff) * 257)),
                         start, end);
            if (link->underline)
                insert_range(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start,
                             end);
        }
        if ((s->flags & IMP_SPAN_LANG) && s->lang != NULL)
            change_range(attrs, pango_attr_language_new(pango_language_from_string(s->lang)),
                         start, end);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Set lines                                                                            */
/* ------------------------------------------------------------------------------------ */

/* One run of a set line, as Pango has it, for the walks below. */
typedef struct {
    const char *text;       /* what item->offset indexes */
    const PangoItem *item;
    const PangoGlyphString *gs;
    double x;               /* its left end, from the line item's x */
    guint32 color;
} LineRun;

typedef void (*RunFunc)(const LineRun *run, gpointer data);

/* The colour a PangoLayout run is drawn in (its foreground attribute; else black). */
static guint32 run_color(const PangoItem *item)
{
    for (GSList *l = item->analysis.extra_attrs; l != NULL; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((const PangoAttrColor *)a)->color;
            return (guint32)(c->red >> 8) << 16 | (guint32)(c->green >> 8) << 8 |
                   (guint32)(c->blue >> 8);
        }
    }
    return 0;
}

/* Calls fn for each run of a set line, left to right; returns the x after the last. */
static double each_run(const ImpItem *line, RunFunc fn, gpointer data)
{
    double x = 0;
    if (line->kind == IMP_ITEM_GLYPHS) {
        const ImpGlyphLine *gl = line->glyphs;
        PangoItem item = { 0 };
        PangoGlyphString *gs = pango_glyph_string_new();
        for (guint k = 0; k < gl->n_runs; k++) {
            imp_glyph_line_fill_run(gl, k, &item, gs);
            LineRun r = { gl->text, &item, gs, x, gl->runs[k].style->color };
            if (fn != NULL)
                fn(&r, data);
            x += pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
        }
        pango_glyph_string_free(gs);
    } else if (line->kind == IMP_ITEM_TEXT) {
        const char *text = pango_layout_get_text(line->line->layout);
        for (GSList *l = line->line->runs; l != NULL; l = l->next) {
            const PangoGlyphItem *gi = l->data;
            LineRun r = { text, gi->item, gi->glyphs, x, run_color(gi->item) };
            if (fn != NULL)
                fn(&r, data);
            x += pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
        }
    }
    return x;
}

/* The byte range of a set line; see blocks.h. */
void imp__line_bytes(const ImpItem *line, gsize *start, gsize *end)
{
    *start = *end = 0;
    if (line->kind == IMP_ITEM_GLYPHS) {
        const ImpGlyphLine *gl = line->glyphs;
        gsize a = G_MAXSIZE, b = 0;
        for (guint k = 0; k < gl->n_runs; k++) {
            a = MIN(a, gl->runs[k].offset);
            b = MAX(b, (gsize)gl->runs[k].offset + gl->runs[k].length);
        }
        if (gl->n_runs > 0)
            *start = a, *end = b;
    } else if (line->kind == IMP_ITEM_TEXT) {
        *start = (gsize)line->line->start_index;
        *end = *start + (gsize)line->line->length;
    }
}

/* What a walk over a line's glyphs looks for: bytes [from, to), and what it found. */
typedef struct {
    gsize from, to;
    double x0, x1;
    gboolean found;
} RangeWalk;

static void range_run(const LineRun *r, gpointer data)
{
    RangeWalk *w = data;
    gsize a = (gsize)r->item->offset, b = a + (gsize)r->item->length;
    if (b <= w->from || a >= w->to)
        return;
    double gx = r->x;
    for (int g = 0; g < r->gs->num_glyphs; g++) {
        double gw = r->gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        gsize cl = a + (gsize)r->gs->log_clusters[g];
        if (cl >= w->from && cl < w->to) {
            w->x0 = w->found ? MIN(w->x0, gx) : gx;
            w->x1 = w->found ? MAX(w->x1, gx + gw) : gx + gw;
            w->found = TRUE;
        }
        gx += gw;
    }
}

/* The x extent of bytes [from, to) of a set line; see blocks.h. */
gboolean imp__line_range_x(const ImpItem *line, gsize from, gsize to, double *x0, double *x1)
{
    RangeWalk w = { from, to, 0, 0, FALSE };
    double end = each_run(line, range_run, &w);
    if (!w.found)
        return FALSE;
    gsize ls, le;
    imp__line_bytes(line, &ls, &le);
    if (line->kind == IMP_ITEM_GLYPHS && line->glyphs->hyphen != NULL && to >= le)
        w.x1 = end + pango_glyph_string_get_width(line->glyphs->hyphen) / (double)PANGO_SCALE;
    *x0 = w.x0;
    *x1 = w.x1;
    return TRUE;
}

/* What a decoration walk over one line needs and makes. */
typedef struct {
    const ImpLinePlace *lp;
    const ImpItem *line;
    guint index;            /* the line's entry, from the block's first */
    const ImpSpan *span;
    GArray *extras;         /* ImpExtraItem */
    gboolean dots_above;    /* the block is Japanese or Korean */
} DecoWalk;

/* The size of a run's font, points (its role's when it has none). */
static double run_size(const LineRun *r, double fallback)
{
    if (r->item->analysis.font == NULL)
        return fallback;
    PangoFontDescription *fd = pango_font_describe_with_absolute_size(r->item->analysis.font);
    double size = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
    pango_font_description_free(fd);
    return size > 0 ? size : fallback;
}

/* A rule through the span's part of one run, at the run's font's strikethrough position. */
static void strike_run(const LineRun *r, gpointer data)
{
    DecoWalk *d = data;
    RangeWalk w = { d->span->start, d->span->end, 0, 0, FALSE };
    range_run(r, &w);
    if (!w.found || r->item->analysis.font == NULL)
        return;
    PangoFontMetrics *m = pango_font_get_metrics(r->item->analysis.font,
                                                 r->item->analysis.language);
    double pos = pango_font_metrics_get_strikethrough_position(m) / (double)PANGO_SCALE;
    double th = pango_font_metrics_get_strikethrough_thickness(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
    ImpItem rule = { 0 };
    rule.kind = IMP_ITEM_RULE;
    rule.flags = IMP_ITEM_ARTIFACT;
    rule.cell = d->lp->cell;
    rule.block = d->lp->block;
    rule.x = d->line->x + w.x0;
    rule.width = w.x1 - w.x0;
    rule.y = d->line->y - pos;
    rule.thickness = MAX(th, 0.4);
    rule.color = r->color;
    imp__extra_add(d->extras, d->index, FALSE, &rule);
}

/* Whether character c takes an emphasis dot: Han, kana, hangul (not punctuation). */
static gboolean takes_dot(gunichar c)
{
    ImpCharClass cls = imp__char_class(c);
    return cls == IMP__CLASS_HAN || cls == IMP__CLASS_KANA || cls == IMP__CLASS_HANGUL;
}

/* The emphasis dots of the span's CJK characters in one run. */
static void dot_run(const LineRun *r, gpointer data)
{
    DecoWalk *d = data;
    gsize a = (gsize)r->item->offset, b = a + (gsize)r->item->length;
    if (b <= d->span->start || a >= d->span->end)
        return;
    const char *lang = pango_language_to_string(r->item->analysis.language);
    gboolean above = d->dots_above ||
                     (lang != NULL && (g_ascii_strncasecmp(lang, "ja", 2) == 0 ||
                                       g_ascii_strncasecmp(lang, "ko", 2) == 0));
    double em = run_size(r, d->lp->size), gx = r->x;
    int prev = -1;
    for (int g = 0; g < r->gs->num_glyphs; g++) {
        double gw = r->gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        int lc = r->gs->log_clusters[g];
        gsize cl = a + (gsize)lc;
        if (lc != prev && cl >= d->span->start && cl < d->span->end &&
            takes_dot(g_utf8_get_char(r->text + cl))) {
            ImpItem dot = { 0 };
            dot.kind = IMP_ITEM_BOX;
            dot.flags = IMP_ITEM_ARTIFACT;
            dot.cell = d->lp->cell;
            dot.block = d->lp->block;
            dot.width = dot.thickness = DOT_SIZE * em;
            /* the centre of the character's em box (its advance may carry justification) */
            dot.x = d->line->x + gx + MIN(gw, em) / 2 - dot.width / 2;
            double cy = above ? d->line->y - (IMP__EM_ASCENT + DOT_ABOVE) * em
                              : d->line->y + DOT_BELOW * em;
            dot.y = cy - dot.thickness / 2;
            dot.color = r->color;
            imp__extra_add(d->extras, d->index, FALSE, &dot);
        }
        prev = lc;
        gx += gw;
    }
}

/* Whether [start, end) of text holds a character that takes an emphasis dot. */
static gboolean has_dots(const char *text, gsize start, gsize end)
{
    for (const char *p = text + start; p < text + end; p = g_utf8_next_char(p))
        if ((guchar)*p >= 0xE1 && takes_dot(g_utf8_get_char(p)))
            return TRUE;
    return FALSE;
}

/* Whether a span is drawn over the lines it covers. */
static gboolean decorating(const ImpBlock *b, const ImpSpan *s, const char *text, gsize len)
{
    if (s->start >= s->end || s->end > len)
        return FALSE;
    return (s->flags & (IMP_SPAN_LINK | IMP_SPAN_STRIKE)) ||
           ((s->flags & IMP_SPAN_EMPHASIS) && has_dots(text, s->start, s->end));
    (void)b;
}

/* Whether block b has spans drawn over its lines; see blocks.h. */
gboolean imp__inline_decorates(const ImpBlock *b)
{
    guint n = imp_block_get_n_spans(b);
    if (n == 0)
        return FALSE;
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    for (guint i = 0; i < n; i++)
        if (decorating(b, imp_block_get_span(b, i), text, len))
            return TRUE;
    return FALSE;
}

/* Adds the decorations of lp->b's spans to its last n entries; see blocks.h. */
void imp__inline_decorate(ImpLayout *lay, const ImpLinePlace *lp, guint first, guint n)
{
    const ImpBlock *b = lp->b;
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    /* each entry's line and its bytes, in order (lines tile the text) */
    const ImpItem **lines = g_new(const ImpItem *, n);
    gsize *starts = g_new(gsize, n), *ends = g_new(gsize, n);
    for (guint i = 0; i < n; i++) {
        const ImpEntry *e = imp__entry_at(lay, first + i);
        lines[i] = &g_array_index(lay->entry_items, ImpItem, e->first_item);
        imp__line_bytes(lines[i], &starts[i], &ends[i]);
        starts[i] += lp->base, ends[i] += lp->base; /* in the block's text */
    }
    GArray *extras = g_array_new(FALSE, FALSE, sizeof(ImpExtraItem));
    guint n_spans = imp_block_get_n_spans(b);
    /* Japanese and Korean set emphasis dots above, Chinese below: by the block's language
       (a Han run's own is the style's lang-han, Chinese, even in Japanese text), else the
       run's (kana, hangul) */
    const char *lang = imp_block_get_language(b);
    if (lang == NULL)
        lang = imp_document_get_meta(lay->doc, IMP_META_LANGUAGE);
    if (lang == NULL)
        lang = imp_style_get_document(lay->style)->language;
    gboolean above = g_ascii_strncasecmp(lang, "ja", 2) == 0 ||
                     g_ascii_strncasecmp(lang, "ko", 2) == 0;
    for (guint si = 0; si < n_spans; si++) {
        const ImpSpan *s = imp_block_get_span(b, si);
        if (!decorating(b, s, text, len))
            continue;
        /* the first line that ends after the span starts */
        guint lo = 0, hi = n;
        while (lo < hi) {
            guint mid = lo + (hi - lo) / 2;
            if (ends[mid] <= s->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (guint i = lo; i < n && starts[i] < s->end; i++) {
            /* the span in the line's own text (a part of the block's: lp->base) */
            ImpSpan local = *s;
            local.start = s->start > lp->base ? s->start - lp->base : 0;
            local.end = s->end - lp->base;
            DecoWalk d = { lp, lines[i], i, &local, extras, above };
            double x0, x1;
            if ((s->flags & IMP_SPAN_LINK) && s->href != NULL &&
                imp__line_range_x(lines[i], local.start, local.end, &x0, &x1)) {
                ImpItem link = { 0 };
                link.kind = IMP_ITEM_LINK;
                link.cell = lp->cell;
                link.block = lp->block;
                link.x = lines[i]->x + x0;
                link.y = lp->top;
                link.width = x1 - x0;
                link.thickness = lp->leading;
                link.label = s->href; /* the document's, which outlives the layout */
                imp__extra_add(extras, i, FALSE, &link);
            }
            if (s->flags & IMP_SPAN_STRIKE)
                each_run(lines[i], strike_run, &d);
            if (s->flags & IMP_SPAN_EMPHASIS)
                each_run(lines[i], dot_run, &d);
        }
    }
    imp__entries_add_extras(lay, first, n, extras);
    g_array_free(extras, TRUE);
    g_free(lines);
    g_free(starts);
    g_free(ends);
}
