/* para.c — one paragraph, shaped once and set into lines by imprint's own rules.
 *
 * Pango itemises and shapes the paragraph and gives the break opportunities (UAX #14 via
 * its log attributes); everything after that is ours, in this order:
 *
 *  - shaping in pieces where the input is hostile: an item over 64 KiB is cut (at a space
 *    where it can be), and a run of more than 30 combining marks after every 30 (UAX #15's
 *    stream-safe limit), which keeps HarfBuzz's buffers and time in bounds (split_item);
 *  - break opportunities, tailored for CJK text and technical tokens (breaks.c);
 *  - punctuation compression and the item list for the breaker (justify.c);
 *  - hyphenation as in TeX: the paragraph is first broken without hyphens; only when that
 *    fails within the tolerance are hyphenation points found (flagged penalties) and the
 *    paragraph broken again, so most paragraphs never consult a dictionary; a paragraph
 *    with CJK letters is not hyphenated at all (unless cjk-hyphens=auto): it can break
 *    between them;
 *  - Knuth–Plass breaking (breaker.c) and then justification (justify.c);
 *  - compact lines: each line is packed into one allocation (glyphline.c) whose runs share
 *    the paragraph's run styles by reference, and the paragraph's Pango items and glyph
 *    strings are freed before returning.
 *
 * Invariants:
 *  1. The lines' byte ranges tile [0, len): no character is lost or repeated. Spaces at a
 *     break stay at the end of the line before it, hanging past the measure.
 *  2. Breaks fall only on cluster boundaries, so a glyph never straddles two lines (a run
 *     of marks cut into pieces has a cluster boundary between pieces).
 *  3. No state outside the arguments is touched but the PangoContext's caches, so
 *     paragraphs may be set on several threads with one context per thread.
 *  4. Cost is linear in the paragraph's length: shaping, the node list and the breaker are
 *     all single passes (at most two breaker runs), and lines copy their glyphs out once.
 */
#include "para.h"

#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Shaping                                                                              */
/* ------------------------------------------------------------------------------------ */

/* The most combining marks in a row that are shaped together: UAX #15's stream-safe limit,
 * which no text in any language reaches. HarfBuzz's time grows with the square of a
 * cluster's length (each mark looks back past the ones before it for its base), so a letter
 * carrying 100,000 accents took 40 s; cut into pieces of 30, it takes a blink. */
#define MAX_MARK_RUN 30

/* The longest item shaped in one piece, in bytes. Pango keeps the HarfBuzz buffer of the
 * longest text it has shaped (about 40 bytes a character) for the life of the thread, and
 * a 10 MB line needed 400 MB of it, so longer items are cut, at a space where there is one
 * in the last CHUNK_SLACK bytes. No real paragraph has an item this long, so ordinary text
 * is shaped exactly as before. */
#define CHUNK_BYTES 65536
#define CHUNK_SLACK 4096

/* Whether c continues a cluster as a mark: a non-starter (combining class > 0, the marks of
 * UAX #15) or a mark of class 0 (Indic vowel signs, which HarfBuzz treats alike). */
static gboolean is_mark(gunichar c)
{
    return g_unichar_combining_class(c) != 0 || g_unichar_ismark(c);
}

/* Whether c joins the characters around it into one cluster or one ligature: a mark, a
 * joiner, a variation selector, an emoji modifier, a tag, a regional indicator or a Hangul
 * jamo. An item is cut before a character only when neither it nor the one before is such. */
static gboolean is_joining(gunichar c)
{
    return is_mark(c) || c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
           (c >= 0xE0000 && c <= 0xE01EF) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           (c >= 0x1F1E6 && c <= 0x1F1FF) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF);
}

/* Cuts the first `ci - first` characters (starting at character `first`) off `*item` as a
 * new item appended to `out`; *item keeps the rest. */
static void cut_item(const ImpPara *p, PangoItem *item, guint first, guint ci, GPtrArray *out)
{
    int bytes = (int)(p->chars[ci].off - p->chars[first].off);
    g_ptr_array_add(out, pango_item_split(item, bytes, (int)(ci - first)));
}

/* Splits item (taking it), whose characters start at index *ci, into the items that are
 * shaped apart, appended to `out`, and advances *ci past it: a run of more than MAX_MARK_RUN
 * marks is cut after every MAX_MARK_RUN of them, as if UAX #15's Stream-Safe Text Format had
 * put a CGJ there, but without adding a character, so the text and the PDF text layer stay
 * the input (the marks of a later piece lose their attachment to the base and sit where the
 * pen is); and an item longer than CHUNK_BYTES is cut into pieces about that long. */
static void split_item(const ImpPara *p, PangoItem *item, guint *ci, GPtrArray *out)
{
    guint32 end = (guint32)(item->offset + item->length);
    guint first = *ci;        /* first character of what is left of item */
    guint space = 0, safe = 0; /* the latest cuts after a space, between plain characters */
    guint marks = 0;
    gunichar prev = 0;
    guint i = *ci;
    for (; i < p->n && p->chars[i].off < end; i++) {
        gunichar c = g_utf8_get_char(p->text + p->chars[i].off);
        marks = is_mark(c) ? marks + 1 : 0;
        if (marks > MAX_MARK_RUN) {
            cut_item(p, item, first, i, out);
            first = i;
            marks = 1;
        } else if (p->chars[i].off - p->chars[first].off >= CHUNK_BYTES) {
            guint at = space > first && p->chars[i].off - p->chars[space].off < CHUNK_SLACK
                           ? space
                           : safe > first ? safe : 0;
            if (at == 0 && p->chars[i].off - p->chars[first].off >= 2 * CHUNK_BYTES)
                at = i; /* nothing but joining characters: cut anyway */
            if (at != 0) {
                cut_item(p, item, first, at, out);
                first = at;
            }
        }
        if (i > first && !is_joining(c) && !is_joining(prev))
            safe = i;
        if (i > first && prev == ' ' && c != ' ')
            space = i;
        prev = c;
    }
    g_ptr_array_add(out, item);
    *ci = i;
}

/* Gives the glyphs of gs that no font has (imp_glyph_is_missing) the advance of
 * font's .notdef glyph, which render draws in their place (with the character in the text
 * layer), instead of the width of the hex box Pango measured them as: drawn in a wider
 * space, the boxes would stand apart and text extraction would see a space between them. */
static void fit_unknown_glyphs(PangoGlyphString *gs, PangoFont *font)
{
    int notdef = -1;
    for (int g = 0; g < gs->num_glyphs; g++) {
        /* the flag first: the call is for the rare glyph that has it */
        if (!(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
            !imp_glyph_is_missing(gs->glyphs[g].glyph) || font == NULL)
            continue;
        if (notdef < 0) {
            PangoRectangle logical;
            pango_font_get_glyph_extents(font, 0, NULL, &logical);
            notdef = MAX(logical.width, 0);
        }
        gs->glyphs[g].geometry.width = notdef;
    }
}

/* Itemises and shapes the paragraph, filling the runs and each character's advance,
 * run and last glyph. */
static void shape(ImpPara *p, PangoContext *ctx, PangoAttrList *attrs)
{
    GList *list = pango_itemize(ctx, p->text, 0, (int)p->len, attrs, NULL);
    GPtrArray *items = g_ptr_array_new();
    guint ci = 0;
    for (GList *l = list; l != NULL; l = l->next)
        split_item(p, l->data, &ci, items);
    g_list_free(list);
    ci = 0; /* character index at the start of the current item */
    for (guint k = 0; k < items->len; k++) {
        PangoItem *item = items->pdata[k];
        PangoGlyphString *gs = pango_glyph_string_new();
        pango_shape_with_flags(p->text + item->offset, item->length, p->text, (int)p->len,
                               &item->analysis, gs, PANGO_SHAPE_NONE);
        fit_unknown_glyphs(gs, item->analysis.font);
        PangoGlyphItem *gi = g_slice_new(PangoGlyphItem);
        gi->item = item;
        gi->glyphs = gs;
        gi->y_offset = 0;
        gi->start_x_offset = 0;
        gi->end_x_offset = 0;
        guint32 run = p->runs->len;
        g_assert(run < 1u << 24); /* fits ImpChar.run */
        g_ptr_array_add(p->runs, gi);
        g_ptr_array_add(p->styles, imp__run_style_new(item));
        /* characters of this item: their offsets are already filled */
        guint first = ci;
        while (ci < p->n && p->chars[ci].off < (guint32)(item->offset + item->length)) {
            p->chars[ci].run = run;
            ci++;
        }
        /* glyphs to characters: a glyph's cluster starts at byte log_clusters[g] */
        for (int g = 0; g < gs->num_glyphs; g++) {
            guint32 off = (guint32)(item->offset + gs->log_clusters[g]);
            /* binary search the character at off within [first, ci) */
            guint lo = first, hi = ci;
            while (lo + 1 < hi) {
                guint mid = (lo + hi) / 2;
                if (p->chars[mid].off <= off)
                    lo = mid;
                else
                    hi = mid;
            }
            ImpChar *c = &p->chars[lo];
            c->cluster_start = TRUE;
            c->adv += (float)gs->glyphs[g].geometry.width / PANGO_SCALE;
            if (c->glyph < 0 || !(item->analysis.level & 1))
                c->glyph = g; /* LTR: the last glyph of the cluster; RTL: the first */
        }
    }
    g_ptr_array_free(items, TRUE); /* the items now belong to the runs */
}

/* ------------------------------------------------------------------------------------ */
/* Lines                                                                                */
/* ------------------------------------------------------------------------------------ */

/* Fills sl with the glyphs of run gi (drawn in `style`) whose clusters lie in bytes
 * [start, end) of the text. Clusters are monotonic in a run, so they are one slice; it is
 * found by bisection, since a linear scan would be quadratic over many lines of one run. */
static void find_slice(ImpGlyphSlice *sl, const PangoGlyphItem *gi, const ImpRunStyle *style,
                       gsize start, gsize end)
{
    const PangoGlyphString *gs = gi->glyphs;
    int rel_start = (int)start - gi->item->offset, rel_end = (int)end - gi->item->offset;
    gboolean rtl = gi->item->analysis.level & 1;
    int bound[2];
    int want[2] = { rel_start, rel_end };
    for (int w = 0; w < 2; w++) {
        int lo = 0, hi = gs->num_glyphs; /* first glyph (logical order) with cluster >= x */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            int lc = gs->log_clusters[rtl ? gs->num_glyphs - 1 - mid : mid];
            if (lc < want[w])
                lo = mid + 1;
            else
                hi = mid;
        }
        bound[w] = lo;
    }
    sl->gi = gi;
    sl->style = style;
    sl->from = start;
    sl->to = end;
    sl->g0 = bound[0];
    sl->g1 = MAX(bound[1], bound[0]);
}

/* Frees a shaped run (a GDestroyNotify). */
static void glyph_item_free(gpointer gi)
{
    pango_glyph_item_free(gi);
}

/* Applies the breaker's lines (justify.c), then copies the glyphs out per line, positioned
 * for the alignment and indent. */
static GPtrArray *make_lines(ImpPara *p, GArray *brk)
{
    const ImpParaSpec *s = p->spec;
    GPtrArray *out = g_ptr_array_new_with_free_func(imp__para_line_free);
    gsize *starts = g_new(gsize, brk->len + 1);
    double *widths = g_new(double, brk->len);
    double *stretch = g_new0(double, brk->len);
    double *cjk_stretch = g_new0(double, brk->len);
    imp__para_justify(p, brk, starts, widths, stretch, cjk_stretch);
    /* the characters and nodes are done with: free them before the lines are made */
    g_array_unref(p->nodes);
    p->nodes = NULL;
    g_clear_pointer(&p->chars, g_free);

    guint run = 0;
    ImpGlyphSlice *slices = g_new(ImpGlyphSlice, MAX(p->runs->len, 1));
    for (guint k = 0; k < brk->len; k++) {
        const ImpBrkLine *bl = &g_array_index(brk, ImpBrkLine, k);
        gsize start = starts[k], end = starts[k + 1];
        guint n_slices = 0;
        while (run < p->runs->len) {
            PangoGlyphItem *gi = p->runs->pdata[run];
            gsize a = (gsize)gi->item->offset, b = a + (gsize)gi->item->length;
            gsize from = MAX(a, start), to = MIN(b, end);
            if (from < to) {
                find_slice(&slices[n_slices], gi, p->styles->pdata[run], from, to);
                n_slices++;
            }
            if (b <= end)
                run++;
            else
                break;
        }
        ImpParaLine *pl = imp__glyph_line_pack(p->text, slices, n_slices);
        pl->start = start;
        pl->end = end;
        pl->overfull = bl->overfull;
        pl->stretch_em = stretch[k];
        pl->cjk_stretch_em = cjk_stretch[k];
        if (bl->hyphen && n_slices > 0) {
            const ImpRunStyle *hs = slices[n_slices - 1].style;
            pl->line.hyphen = pango_glyph_string_new();
            pango_shape_with_flags("-", 1, "-", 1, &hs->analysis, pl->line.hyphen,
                                   PANGO_SHAPE_NONE);
            pl->line.hyphen_style = imp__run_style_ref(hs);
        }
        double measure = s->width;
        double x = 0;
        if (k == 0 && s->indent > 0)
            x = s->indent, measure -= s->indent;
        else if (k > 0 && s->indent < 0)
            x = -s->indent, measure += s->indent;
        if (s->align == IMP_ALIGN_RIGHT)
            x += measure - widths[k];
        else if (s->align == IMP_ALIGN_CENTER)
            x += (measure - widths[k]) / 2;
        pl->x = x;
        g_ptr_array_add(out, pl);
    }
    g_free(slices);
    g_free(starts);
    g_free(widths);
    g_free(stretch);
    g_free(cjk_stretch);
    return out;
}

/* ------------------------------------------------------------------------------------ */
/* Entry point                                                                          */
/* ------------------------------------------------------------------------------------ */

/* The largest adjustment ratio accepted when a paragraph is first tried without hyphens
 * (TeX's \pretolerance of 100, badness 100 being a ratio of 1): a paragraph whose spaces
 * would stretch further than that is set again with hyphenation points, which gives evener
 * spacing. A looser first pass (3, the full tolerance) spared loading the dictionary for
 * the speech (38 M instructions) but left visibly loose, rivered paragraphs. */
#define PRETOLERANCE 1.0

/* The document's settings of a paragraph; see layout-private.h. */
void imp__para_spec_set_document(ImpParaSpec *spec, const ImpDocumentStyle *ds)
{
    g_return_if_fail(spec != NULL && ds != NULL);
    spec->han_latin_gap = ds->han_latin_gap;
    spec->max_stretch = ds->max_stretch;
    spec->line_break = ds->line_break;
    spec->hangul_words = ds->hangul_breaks == IMP_HANGUL_BREAK_WORDS;
    spec->cjk_no_hyphens = !ds->cjk_hyphenate;
    spec->cjk_max_stretch = ds->cjk_max_stretch;
}

/* Sets a paragraph; see layout-private.h. */
GPtrArray *imp__para_set(PangoContext *ctx, const char *text, gsize len, PangoAttrList *attrs,
                         const ImpParaSpec *spec)
{
    g_return_val_if_fail(ctx != NULL && text != NULL && spec != NULL, NULL);
    ImpPara p = { 0 };
    p.text = text;
    p.len = len;
    p.spec = spec;
    p.n = (guint)g_utf8_strlen(text, (gssize)len);
    p.chars = g_new0(ImpChar, p.n + 1);
    guint i = 0;
    gboolean cjk = FALSE; /* the paragraph holds CJK letters */
    for (const char *q = text; q < text + len; q = g_utf8_next_char(q), i++) {
        p.chars[i].off = (guint32)(q - text);
        p.chars[i].glyph = -1;
        ImpCharKind kind = imp__char_kind(g_utf8_get_char(q));
        p.chars[i].kind = (guint8)kind;
        cjk |= imp__is_cjk_letter(kind);
    }
    p.runs = g_ptr_array_new_with_free_func(glyph_item_free);
    p.styles = g_ptr_array_new_with_free_func((GDestroyNotify)imp__run_style_unref);
    shape(&p, ctx, attrs);

    double first = spec->width - MAX(spec->indent, 0);
    double rest = spec->width + MIN(spec->indent, 0);
    imp__para_find_breaks(&p, spec->lang);
    imp__para_compress_punctuation(&p);
    imp__para_find_emergency_breaks(&p, MIN(first, rest));
    p.hyphen_w = g_new(double, MAX(p.runs->len, 1));
    for (guint r = 0; r < p.runs->len; r++)
        p.hyphen_w[r] = -1;
    imp__para_build_nodes(&p);

    ImpBrkParams bp;
    imp__break_params_init(&bp, first, rest);
    bp.tolerance = PRETOLERANCE;
    bp.emergency_tolerance = 10;
    /* the space between two CJK characters stretches max_stretch / 6 em per unit of
       ratio (justify.c): cap it at cjk_max_stretch wherever another set of breaks can */
    if (spec->cjk_max_stretch > 0 && spec->max_stretch > 0)
        bp.cjk_max_ratio = spec->cjk_max_stretch / (spec->max_stretch / 6);
    GArray *brk = NULL;
    /* a paragraph with CJK letters breaks between them: hyphenating its Latin words buys
       nothing and costs the word ("De-bian", "unsta-ble") */
    gboolean hyphenate = spec->hyphenate && spec->hyphenator != NULL &&
                         !(cjk && spec->cjk_no_hyphens);
    if (hyphenate) {
        /* TeX's first pass: without hyphens, within a tighter tolerance */
        bp.first_pass_only = TRUE;
        brk = imp__break_paragraph((const ImpBrkNode *)(gpointer)p.nodes->data,
                                   p.nodes->len, &bp);
        bp.first_pass_only = FALSE;
    }
    bp.tolerance = 3;
    if (brk == NULL && hyphenate) {
        /* the second: hyphenation points, and emergency breaks found again around them
           (the nodes stay as they are when no word has a point) */
        for (guint k = 0; k < p.n; k++)
            if (p.chars[k].brk == IMP__BREAK_EMERGENCY)
                p.chars[k].brk = IMP__BREAK_NONE;
        guint found = imp__para_find_hyphens(&p);
        imp__para_find_emergency_breaks(&p, MIN(first, rest));
        if (found > 0) {
            g_array_unref(p.nodes);
            imp__para_build_nodes(&p);
        }
    }
    if (brk == NULL)
        brk = imp__break_paragraph((const ImpBrkNode *)(gpointer)p.nodes->data,
                                   p.nodes->len, &bp);
    GPtrArray *lines = make_lines(&p, brk);

    g_array_unref(brk);
    g_ptr_array_free(p.runs, TRUE);
    g_ptr_array_free(p.styles, TRUE);
    g_free(p.chars);
    g_free(p.hyphen_w);
    return lines;
}
