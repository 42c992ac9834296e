/* justify.c — how the space in a paragraph may stretch and shrink, and spreading each
 * line's slack once its breaks are chosen.
 *
 * The paragraph becomes the breaker's list of boxes, glue and penalties (breaker.h):
 *  - word spaces are glue that stretches to max-stretch em (at the tolerance, 3) and
 *    shrinks by a third of the space; further spaces in a row keep their width; a space
 *    beside full-width punctuation, whose em box holds the space already, takes no width
 *    (the space stays in the text);
 *  - between two Han, kana or CJK punctuation characters, zero-width glue that stretches
 *    half as far (inter-character justification, CLReq 3.8), with no break where kinsoku
 *    forbids one; it is flagged, so the breaker keeps it under cjk-max-stretch where it
 *    can; Hangul has none (KLREQ: Korean lines stretch at their word spaces);
 *  - at a Han–Latin boundary (Han or kana; never Hangul), a gap of han_latin_gap em that
 *    may shrink to an eighth of an em (a space in the source there becomes that gap, not
 *    gap + space);
 *  - hyphenation points are flagged penalties as wide as a hyphen in the run's font;
 *    breaks in paths, URLs and compounds of CJK paragraphs small penalties of no width;
 *    emergency breaks are boxes that may be broken before, at a high cost.
 * Before that, full-width punctuation in a run of marks loses its blank half (CLReq
 * 3.1.6.1, JLReq 3.1.4) where its glyph's ink leaves that half blank. Once the breaker has
 * chosen the lines, each line's adjustment ratio turns every glue into a final width, and
 * the difference is added to the advance of the glyph before it, so the text itself (and
 * the PDF text layer) gains no characters.
 *
 * Invariants:
 *  1. A node's offset is the index of the character it starts at; a glue's is the
 *     character whose glyph takes its adjustment.
 *  2. The list ends with \parfillskip and a forced break (breaker.h, invariant 1).
 *  3. Only glyph advances (and the x offset of an opening mark that loses its left half)
 *     change; glyph ids, clusters and the text do not.
 */
#include "para.h"

#include <math.h>

/* Closing marks whose glyph may have a blank right half (in Simplified Chinese and
 * Japanese fonts 。，、 do, in Traditional ones they are centred: the ink decides). */
static gboolean is_closing_half(gunichar c)
{
    return c == 0x3002 || c == 0xFF0C || c == 0x3001 || c == 0xFF0E || c == 0xFF09 ||
           c == 0x300D || c == 0x300F || c == 0x300B || c == 0x3009 || c == 0x3011 ||
           c == 0x3015 || c == 0x3017 || c == 0x201D || c == 0x2019 || c == 0xFF1B ||
           c == 0xFF1A;
}

/* Opening marks whose glyph may have a blank left half. */
static gboolean is_opening_half(gunichar c)
{
    return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x300A || c == 0x3008 ||
           c == 0x3010 || c == 0x3014 || c == 0x3016 || c == 0x201C || c == 0x2018;
}

/* The blank of the glyph of character c on its right (or left) side, in points: the room
 * between its ink and its advance in the font (not as compressed), from the glyph's ink
 * rectangle, which Pango caches per font. The position of a mark in its em box depends on
 * the language (CLReq: 。，、 sit in the lower left in mainland China and Japan, centred in
 * Taiwan), so no list of characters can say it; the glyph can. */
static double glyph_blank(const ImpPara *p, const ImpChar *c, gboolean right)
{
    const PangoGlyphItem *gi = p->runs->pdata[c->run];
    PangoFont *font = gi->item->analysis.font;
    if (font == NULL || c->glyph < 0)
        return 0;
    PangoGlyph glyph = gi->glyphs->glyphs[c->glyph].glyph;
    if (glyph & PANGO_GLYPH_UNKNOWN_FLAG)
        return 0;
    PangoRectangle ink, logical;
    pango_font_get_glyph_extents(font, glyph, &ink, &logical);
    if (ink.width <= 0)
        return 0;
    int blank = right ? logical.x + logical.width - (ink.x + ink.width) : ink.x - logical.x;
    return (double)MAX(blank, 0) / PANGO_SCALE;
}

/* Whether character c is full-width punctuation: a CJK punctuation mark, or a quotation
 * mark set full-width by a CJK font (not a full-width letter or digit). Its em box holds
 * the space around it already, so a space in the source beside it is not set. */
static gboolean is_full_width_mark(const ImpPara *p, const ImpChar *c, double em)
{
    if (c->glyph < 0 || c->adv < 0.9 * em)
        return FALSE;
    gunichar ch = g_utf8_get_char(p->text + c->off);
    if (c->kind != IMP__KIND_CJK_PUNCT && ch != 0x201C && ch != 0x201D && ch != 0x2018 &&
        ch != 0x2019)
        return FALSE;
    return g_unichar_ispunct(ch);
}

/* Removes the blank half of full-width marks in runs of CJK punctuation (CLReq 3.1.6.1,
 * JLReq 3.1.4): a closing mark followed by another mark loses its right half, an opening
 * mark preceded by another mark loses its left half, when its glyph has that half blank
 * (a centred Taiwanese 。 or a Japanese ： keeps its width: halving it would cut its ink).
 * Glyph advances and the characters' widths change. */
void imp__para_compress_punctuation(ImpPara *p)
{
    double em = p->spec->size;
    for (guint i = 1; i < p->n; i++) {
        ImpChar *a = &p->chars[i - 1], *b = &p->chars[i];
        if (a->glyph < 0 || b->glyph < 0 || a->adv < 0.9 * em || b->adv < 0.9 * em)
            continue;
        gunichar ca = g_utf8_get_char(p->text + a->off);
        gunichar cb = g_utf8_get_char(p->text + b->off);
        gboolean a_close = is_closing_half(ca), b_close = is_closing_half(cb);
        gboolean a_open = is_opening_half(ca), b_open = is_opening_half(cb);
        int half = (int)(em / 2 * PANGO_SCALE);
        if (a_close && (b_close || b_open) && glyph_blank(p, a, TRUE) >= 0.45 * em) {
            PangoGlyphItem *gi = p->runs->pdata[a->run];
            gi->glyphs->glyphs[a->glyph].geometry.width -= half;
            a->adv -= (float)(em / 2);
        } else if (a_open && b_open && glyph_blank(p, b, FALSE) >= 0.45 * em) {
            PangoGlyphItem *gi = p->runs->pdata[b->run];
            gi->glyphs->glyphs[b->glyph].geometry.width -= half;
            gi->glyphs->glyphs[b->glyph].geometry.x_offset -= half;
            b->adv -= (float)(em / 2);
        }
    }
}


/* Appends a node at character ch: a box or glue (width, stretch, shrink) or a penalty
 * (width, penalty); the values a type has no use for are ignored (they share memory). */
static void push(ImpPara *p, ImpBrkType type, double width, double stretch, double shrink,
                 double penalty, guint ch)
{
    ImpBrkNode nd = { 0 };
    nd.type = (guint8)type;
    nd.width = width;
    if (type == IMP__BRK_PENALTY) {
        nd.penalty = penalty;
    } else {
        nd.stretch = stretch;
        nd.shrink = shrink;
    }
    nd.offset = ch;
    g_array_append_val(p->nodes, nd);
}

static ImpBrkNode *last_node(ImpPara *p)
{
    return p->nodes->len ? &g_array_index(p->nodes, ImpBrkNode, p->nodes->len - 1) : NULL;
}

/* The width of a hyphen in the font of run `run`, shaped once per run. */
static double hyphen_width(ImpPara *p, guint32 run)
{
    if (p->hyphen_w[run] < 0) {
        PangoGlyphItem *gi = p->runs->pdata[run];
        PangoGlyphString *gs = pango_glyph_string_new();
        pango_shape_with_flags("-", 1, "-", 1, &gi->item->analysis, gs, PANGO_SHAPE_NONE);
        p->hyphen_w[run] = pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
        pango_glyph_string_free(gs);
    }
    return p->hyphen_w[run];
}


/* Whether characters of kinds a and b meet at a Han–Latin boundary (Han or kana against
 * Latin letters or digits; never Hangul, which Korean spaces with its own word spaces). */
static gboolean han_latin(ImpCharKind a, ImpCharKind b)
{
    return (a == IMP__KIND_CJK && b == IMP__KIND_LATIN) ||
           (a == IMP__KIND_LATIN && b == IMP__KIND_CJK);
}

/* Whether two characters of kinds a and b are spaced apart by inter-character glue when
 * a line is justified (CLReq 3.8): Han, kana and CJK punctuation; not Hangul, whose lines
 * stretch at their word spaces (KLREQ). */
static gboolean inter_character(ImpCharKind a, ImpCharKind b)
{
    return (a == IMP__KIND_CJK || a == IMP__KIND_CJK_PUNCT) &&
           (b == IMP__KIND_CJK || b == IMP__KIND_CJK_PUNCT);
}

/* The cost of a break inside a path or URL (IMP__BREAK_TECH): a space or a CJK break is
 * taken first when the spacing is about as good. */
#define TECH_PENALTY 50

/* Builds the box/glue/penalty list (see the file comment). A node's offset is the index of
 * the character it starts at; for glue, the character whose advance gets its adjustment. */
void imp__para_build_nodes(ImpPara *p)
{
    const ImpParaSpec *s = p->spec;
    double em = s->size;
    double gap = s->han_latin_gap * em;
    double gap_shrink = MAX(0, gap - em / 8);
    double space_stretch = s->max_stretch * em / 3; /* tolerance 3 = max_stretch */
    double cjk_stretch = s->max_stretch * em / 6;
    p->nodes = g_array_sized_new(FALSE, FALSE, sizeof(ImpBrkNode), p->n + 2);
    int prev_solid = -1; /* last non-space character */
    gboolean beside_mark = FALSE; /* the current run of spaces is beside a full-width mark */
    for (guint i = 0; i < p->n; i++) {
        ImpChar *c = &p->chars[i];
        if (i > 0 && c->brk == IMP__BREAK_FORCED) {
            ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1, .offset = i - 1 };
            g_array_append_val(p->nodes, fil);
            push(p, IMP__BRK_PENALTY, 0, 0, 0, -IMP__BRK_INF, i);
            prev_solid = -1;
        }
        if (c->kind == IMP__KIND_SPACE) {
            gboolean first = i == 0 || p->chars[i - 1].kind != IMP__KIND_SPACE;
            guint j = i;
            while (j < p->n && p->chars[j].kind == IMP__KIND_SPACE)
                j++;
            gboolean legal = j == p->n || p->chars[j].brk == IMP__BREAK_LINE;
            if (first && !legal)
                push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
            ImpCharKind before = prev_solid >= 0 ? p->chars[prev_solid].kind : IMP__KIND_OTHER;
            ImpCharKind after = j < p->n ? p->chars[j].kind : IMP__KIND_OTHER;
            gunichar ch = g_utf8_get_char(p->text + c->off);
            if (first)
                /* beside full-width punctuation, whose blank half is the space already */
                beside_mark = (prev_solid >= 0 && prev_solid + 1 == (int)i &&
                               is_full_width_mark(p, &p->chars[prev_solid], em)) ||
                              (j < p->n && is_full_width_mark(p, &p->chars[j], em));
            if (beside_mark && ch != 0x3000)
                push(p, IMP__BRK_GLUE, 0, 0, 0, 0, i); /* no width; still in the text */
            else if (first && han_latin(before, after))
                push(p, IMP__BRK_GLUE, gap, gap, gap_shrink, 0, i);
            else if (ch == 0x3000)
                push(p, IMP__BRK_GLUE, c->adv, cjk_stretch, 0, 0, i);
            else if (first)
                push(p, IMP__BRK_GLUE, c->adv, space_stretch, c->adv / 3, 0, i);
            else
                push(p, IMP__BRK_GLUE, c->adv, 0, 0, 0, i); /* more spaces: kept as they are */
            continue;
        }
        if (i > 0 && p->chars[i - 1].kind != IMP__KIND_SPACE && c->brk != IMP__BREAK_FORCED) {
            ImpCharKind a = p->chars[i - 1].kind;
            gboolean legal = imp__is_text_break((ImpBreakKind)c->brk) ||
                             c->brk == IMP__BREAK_EMERGENCY;
            if (han_latin(a, c->kind)) {
                if (!legal)
                    push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
                push(p, IMP__BRK_GLUE, gap, gap, gap_shrink, 0, i - 1);
            } else if (inter_character(a, c->kind) && c->cluster_start) {
                if (!legal)
                    push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
                push(p, IMP__BRK_GLUE, 0, cjk_stretch, 0, 0, i - 1);
                last_node(p)->flagged = TRUE; /* inter-character: its stretch is capped */
            } else if (c->brk == IMP__BREAK_LINE) {
                push(p, IMP__BRK_PENALTY, 0, 0, 0, 0, i);
            } else if (c->brk == IMP__BREAK_TECH) {
                push(p, IMP__BRK_PENALTY, 0, 0, 0, TECH_PENALTY, i);
            } else if (c->brk == IMP__BREAK_HYPHEN) {
                push(p, IMP__BRK_PENALTY, hyphen_width(p, p->chars[i - 1].run), 0, 0, 50, i);
                last_node(p)->flagged = TRUE;
            } else if (c->brk == IMP__BREAK_EMERGENCY) {
                /* a box with a break before it: one node where a penalty and a box were
                   two, for every character of a word longer than the line */
                push(p, IMP__BRK_BOX, c->adv, 0, 0, 0, i);
                last_node(p)->break_before = TRUE;
                last_node(p)->penalty = 5000;
                prev_solid = (int)i;
                continue;
            }
        }
        ImpBrkNode *ln = last_node(p);
        if (ln != NULL && ln->type == IMP__BRK_BOX)
            ln->width += c->adv;
        else
            push(p, IMP__BRK_BOX, c->adv, 0, 0, 0, i);
        prev_solid = (int)i;
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1, .offset = p->n ? p->n - 1 : 0 };
    g_array_append_val(p->nodes, fil);
    push(p, IMP__BRK_PENALTY, 0, 0, 0, -IMP__BRK_INF, p->n);
}

/* The final width of glue nd in a line set with ratio r. */
static double glue_width(const ImpBrkNode *nd, double r)
{
    return nd->width + (r > 0 ? r * nd->stretch : r * nd->shrink);
}

/* Spreads each line's slack; see para.h. A line's ratio is clamped to [-1, ...): an
 * overfull line is set at its tightest, and the last line of a paragraph (or one ended by
 * a forced break) and lines not justified are never stretched. */
void imp__para_justify(ImpPara *p, GArray *brk, gsize *starts, double *widths,
                       double *stretch, double *cjk_stretch)
{
    const ImpParaSpec *s = p->spec;
    const ImpBrkNode *nodes = (const ImpBrkNode *)(gpointer)p->nodes->data;
    for (guint k = 0; k < brk->len; k++) {
        const ImpBrkLine *bl = &g_array_index(brk, ImpBrkLine, k);
        starts[k] = k == 0 ? 0 : p->chars[MIN(nodes[bl->start].offset, p->n - 1)].off;
        if (k > 0 && nodes[bl->start].offset >= p->n)
            starts[k] = p->len;
        gboolean last = bl->forced;
        double r = bl->ratio;
        if (!isfinite(r))
            r = r < 0 ? -1 : 0;
        if (r < -1)
            r = -1;
        if (last || s->align != IMP_ALIGN_JUSTIFY)
            r = MIN(r, 0);
        double w = 0;
        stretch[k] = 0;
        cjk_stretch[k] = 0;
        for (guint i = bl->start; i < bl->end; i++) {
            const ImpBrkNode *nd = &nodes[i];
            if (nd->type == IMP__BRK_BOX) {
                w += nd->width;
            } else if (nd->type == IMP__BRK_GLUE && nd->fil == 0) {
                double fw = glue_width(nd, r);
                w += fw;
                ImpChar *c = &p->chars[nd->offset];
                double delta = fw - (c->kind == IMP__KIND_SPACE ? c->adv : 0);
                if (delta != 0 && c->glyph >= 0) {
                    PangoGlyphItem *gi = p->runs->pdata[c->run];
                    gi->glyphs->glyphs[c->glyph].geometry.width +=
                        (int)lround(delta * PANGO_SCALE);
                }
                if (c->kind == IMP__KIND_SPACE && r > 0 && nd->stretch > 0)
                    stretch[k] = MAX(stretch[k], (fw - nd->width) / s->size);
                else if (nd->flagged)
                    cjk_stretch[k] = MAX(cjk_stretch[k], fw / s->size);
            }
        }
        if (bl->hyphen)
            w += nodes[bl->end].width;
        widths[k] = w;
    }
    starts[brk->len] = p->len;
}
