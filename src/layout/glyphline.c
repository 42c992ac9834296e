/* glyphline.c — the compact form of a set line (ImpGlyphLine, layout.h): packing a line's
 * shaped runs into it, and turning a run back into Pango's form for drawing.
 *
 * A long document holds every line until its page is drawn, so a line is one allocation
 * of about 6 bytes a glyph: a 16-bit glyph id and advance, a 16-bit cluster offset (32-bit
 * when a run is 64 KiB or longer), and the rare glyph that does not fit (an id or advance
 * beyond 16 bits, an offset, a colour glyph, an unusual cluster start) as an ImpGlyphExtra
 * beside it. Its runs share run styles by reference (runstyle.c).
 *
 * Invariants:
 *  1. Filling a run (imp_glyph_line_fill_run) reproduces the glyphs, advances, offsets,
 *     flags and log clusters of the packed slice exactly, so drawing from the compact form
 *     changes no output byte.
 *  2. A line's extras are sorted by glyph index.
 *  3. A line holds one reference on each of its runs' styles and on its hyphen's.
 */
#include "layout-private.h"

/* Whether glyph info gi needs an ImpGlyphExtra: an id or advance that 16 bits do not hold,
 * an offset, a colour glyph, or a cluster start other than the one implied by the
 * clusters. */
static gboolean needs_extra(const PangoGlyphInfo *gi, gboolean implied_start)
{
    return gi->glyph >= IMP_GLYPH_IN_EXTRA || gi->geometry.width <= IMP_WIDTH_IN_EXTRA ||
           gi->geometry.width > G_MAXINT16 || gi->geometry.x_offset != 0 ||
           gi->geometry.y_offset != 0 || gi->attr.is_color ||
           (gboolean)gi->attr.is_cluster_start != implied_start;
}

#define ALIGN8(n) (((n) + 7) & ~(gsize)7)

/* Packs the slices of one line of `text` into a new ImpParaLine (one allocation; see
 * layout.h and layout-private.h). */
ImpParaLine *imp__glyph_line_pack(const char *text, const ImpGlyphSlice *sl, guint n_slices)
{
    guint n_glyphs = 0, n_extra = 0;
    gboolean wide = FALSE;
    for (guint k = 0; k < n_slices; k++) {
        const PangoGlyphItem *gi = sl[k].gi;
        const PangoGlyphString *gs = gi->glyphs;
        gboolean rtl = gi->item->analysis.level & 1;
        int n = sl[k].g1 - sl[k].g0;
        int prev = -1;
        for (int j = 0; j < n; j++) {
            int src = rtl ? gs->num_glyphs - sl[k].g1 + j : sl[k].g0 + j;
            if (needs_extra(&gs->glyphs[src], gs->log_clusters[src] != prev))
                n_extra++;
            prev = gs->log_clusters[src];
        }
        n_glyphs += (guint)n;
        wide = wide || sl[k].to - sl[k].from > G_MAXUINT16;
    }
    gsize off_runs = ALIGN8(sizeof(ImpParaLine));
    gsize off_glyphs = off_runs + ALIGN8(n_slices * sizeof(ImpGlyphRun));
    gsize off_extra = off_glyphs + ALIGN8(n_glyphs * sizeof(ImpGlyph));
    gsize off_clusters = off_extra + ALIGN8(n_extra * sizeof(ImpGlyphExtra));
    gsize size = off_clusters + n_glyphs * (wide ? sizeof(guint32) : sizeof(guint16));
    char *block = g_malloc0(size);
    ImpParaLine *pl = (ImpParaLine *)(gpointer)block;
    ImpGlyphRun *runs = (ImpGlyphRun *)(gpointer)(block + off_runs);
    ImpGlyph *glyphs = (ImpGlyph *)(gpointer)(block + off_glyphs);
    ImpGlyphExtra *extra = (ImpGlyphExtra *)(gpointer)(block + off_extra);
    guint16 *c16 = wide ? NULL : (guint16 *)(gpointer)(block + off_clusters);
    guint32 *c32 = wide ? (guint32 *)(gpointer)(block + off_clusters) : NULL;
    pl->line.text = text;
    pl->line.n_runs = n_slices;
    pl->line.runs = runs;
    pl->line.glyphs = glyphs;
    pl->line.clusters16 = c16;
    pl->line.clusters32 = c32;
    pl->line.n_extra = n_extra;
    pl->line.extra = extra;
    guint g = 0, e = 0;
    for (guint k = 0; k < n_slices; k++) {
        const PangoGlyphItem *gi = sl[k].gi;
        const PangoGlyphString *gs = gi->glyphs;
        gboolean rtl = gi->item->analysis.level & 1;
        int rel_start = (int)sl[k].from - gi->item->offset;
        int n = sl[k].g1 - sl[k].g0;
        ImpGlyphRun *r = &runs[k];
        r->style = imp__run_style_ref(sl[k].style);
        r->offset = (guint32)sl[k].from;
        r->length = (guint32)(sl[k].to - sl[k].from);
        r->num_chars = (guint32)g_utf8_strlen(text + sl[k].from, (gssize)r->length);
        r->first_glyph = g;
        r->n_glyphs = (guint32)n;
        int prev = -1;
        for (int j = 0; j < n; j++, g++) {
            int src = rtl ? gs->num_glyphs - sl[k].g1 + j : sl[k].g0 + j;
            const PangoGlyphInfo *info = &gs->glyphs[src];
            guint32 cl = (guint32)(gs->log_clusters[src] - rel_start);
            if (wide)
                c32[g] = cl;
            else
                c16[g] = (guint16)cl;
            if (needs_extra(info, gs->log_clusters[src] != prev)) {
                glyphs[g].glyph = IMP_GLYPH_IN_EXTRA;
                glyphs[g].width = IMP_WIDTH_IN_EXTRA;
                extra[e].index = g;
                extra[e].glyph = info->glyph;
                extra[e].width = info->geometry.width;
                extra[e].x_offset = info->geometry.x_offset;
                extra[e].y_offset = info->geometry.y_offset;
                extra[e].attr = info->attr;
                e++;
            }
            else {
                glyphs[g].glyph = (guint16)info->glyph;
                glyphs[g].width = (gint16)info->geometry.width;
            }
            prev = gs->log_clusters[src];
        }
    }
    return pl;
}

/* Fills a Pango item and glyph string from run k of a line; see layout.h. */
void imp_glyph_line_fill_run(const ImpGlyphLine *line, guint k, PangoItem *item,
                             PangoGlyphString *glyphs)
{
    g_return_if_fail(line != NULL && k < line->n_runs && item != NULL && glyphs != NULL);
    const ImpGlyphRun *r = &line->runs[k];
    item->offset = (int)r->offset;
    item->length = (int)r->length;
    item->num_chars = (int)r->num_chars;
    item->analysis = r->style->analysis;
    pango_glyph_string_set_size(glyphs, (gint)r->n_glyphs);
    /* the extras are sorted: bisect for the first one of this run (a scan from the start
       was quadratic on a line of many runs with offsets, such as pieces of marks) */
    guint e = 0, hi = line->n_extra;
    while (e < hi) {
        guint mid = e + (hi - e) / 2;
        if (line->extra[mid].index < r->first_glyph)
            e = mid + 1;
        else
            hi = mid;
    }
    guint32 prev = G_MAXUINT32;
    for (guint j = 0; j < r->n_glyphs; j++) {
        guint g = r->first_glyph + j;
        guint32 cl = line->clusters16 ? line->clusters16[g] : line->clusters32[g];
        PangoGlyphInfo *info = &glyphs->glyphs[j];
        info->glyph = line->glyphs[g].glyph;
        info->geometry.width = line->glyphs[g].width;
        info->geometry.x_offset = 0;
        info->geometry.y_offset = 0;
        info->attr.is_cluster_start = cl != prev;
        info->attr.is_color = 0;
        if (e < line->n_extra && line->extra[e].index == g) {
            info->glyph = line->extra[e].glyph;
            info->geometry.width = line->extra[e].width;
            info->geometry.x_offset = line->extra[e].x_offset;
            info->geometry.y_offset = line->extra[e].y_offset;
            info->attr = line->extra[e].attr;
            e++;
        }
        glyphs->log_clusters[j] = (int)cl;
        prev = cl;
    }
}

/* Run k as a new glyph item; see layout.h. */
PangoGlyphItem *imp_glyph_line_dup_run(const ImpGlyphLine *line, guint k)
{
    g_return_val_if_fail(line != NULL && k < line->n_runs, NULL);
    PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);
    gi->item = pango_item_new();
    gi->glyphs = pango_glyph_string_new();
    imp_glyph_line_fill_run(line, k, gi->item, gi->glyphs);
    if (gi->item->analysis.font != NULL)
        g_object_ref(gi->item->analysis.font);
    return gi;
}

/* A copy of a set line, in one allocation like the original; see layout-private.h. */
ImpParaLine *imp__para_line_copy(const ImpParaLine *pl)
{
    const ImpGlyphLine *l = &pl->line;
    guint n_glyphs = 0;
    for (guint k = 0; k < l->n_runs; k++)
        n_glyphs += l->runs[k].n_glyphs;
    gboolean wide = l->clusters32 != NULL;
    gsize off_runs = ALIGN8(sizeof(ImpParaLine));
    gsize off_glyphs = off_runs + ALIGN8(l->n_runs * sizeof(ImpGlyphRun));
    gsize off_extra = off_glyphs + ALIGN8(n_glyphs * sizeof(ImpGlyph));
    gsize off_clusters = off_extra + ALIGN8(l->n_extra * sizeof(ImpGlyphExtra));
    gsize size = off_clusters + n_glyphs * (wide ? sizeof(guint32) : sizeof(guint16));
    char *block = g_memdup2(pl, size);
    ImpParaLine *copy = (ImpParaLine *)(gpointer)block;
    copy->line.runs = (const ImpGlyphRun *)(gpointer)(block + off_runs);
    copy->line.glyphs = (const ImpGlyph *)(gpointer)(block + off_glyphs);
    copy->line.extra = (const ImpGlyphExtra *)(gpointer)(block + off_extra);
    copy->line.clusters16 = wide ? NULL : (const guint16 *)(gpointer)(block + off_clusters);
    copy->line.clusters32 = wide ? (const guint32 *)(gpointer)(block + off_clusters) : NULL;
    for (guint k = 0; k < l->n_runs; k++)
        imp__run_style_ref(l->runs[k].style);
    if (l->hyphen != NULL)
        copy->line.hyphen = pango_glyph_string_copy(l->hyphen);
    if (l->hyphen_style != NULL)
        imp__run_style_ref(l->hyphen_style);
    return copy;
}

/* Frees one set line and the references it holds; see layout-private.h. */
void imp__para_line_free(gpointer data)
{
    ImpParaLine *pl = data;
    if (pl == NULL)
        return;
    for (guint k = 0; k < pl->line.n_runs; k++)
        imp__run_style_unref(pl->line.runs[k].style);
    if (pl->line.hyphen != NULL)
        pango_glyph_string_free(pl->line.hyphen);
    imp__run_style_unref(pl->line.hyphen_style);
    g_free(pl);
}

