/* merge.c — the paragraphs imprint's own breaker sets, set ahead on worker threads (or on
 * this one) and taken in document order.
 *
 * blocks.c lists the paragraphs before it builds any entry; worker threads (pool.c) shape
 * and break them ahead, each with a context and font map of its own, while the main thread
 * takes them in order (imp__merge_take) and makes them the layout's: every run's font is
 * replaced by its main-context equivalent (ImpFontCanon), every run style by the layout's
 * one copy of it, and the lines' findings (missing glyphs, overfull and loose lines) are
 * reported.
 *
 * Invariants:
 *  1. A Pango object is used by one thread only: each worker describes its own fonts
 *     (ImpShaper); a set paragraph passes to the main thread whole, through the pool.
 *  2. Only the main context's fonts are drawn: a worker's paragraph in a font with no
 *     equivalent is set again on the main thread, and paragraphs set on the main thread are
 *     mapped the same way, so the PDF is byte-identical for any number of jobs.
 *  3. No worker's font is finalised while workers run (the canonical map holds them), and
 *     the workers' shapers are freed on the main thread after they are joined.
 *  4. Findings are reported at the take, so in document order, whatever the jobs.
 */
#include "layout-private.h"

/* Below this much paragraph text, worker threads cost more (each loads its own fonts) than
 * they save: the speech (17 KB) took 1.33x the floor's wall time with two jobs, 1.08x with
 * one. The output is the same either way (invariant 2). */
#define PARALLEL_MIN_BYTES (64 * 1024)

/* A font of a set paragraph and its description by the thread that set it. */
typedef struct {
    PangoFont *font;        /* borrowed: the lines hold it */
    const ImpFontInfo *info;/* owned by the shaper that set the paragraph */
} FontRef;

/* A set paragraph, waiting to be taken. */
typedef struct {
    GPtrArray *lines;       /* ImpParaLine*, owned */
    GArray *fonts;          /* FontRef: every distinct font the lines use */
} ParaResult;

struct ImpMerge {
    ImpParaJob *jobs;       /* in the order they are taken */
    guint n_jobs;
    gsize *cost;            /* per job: its text's length, for the pool's batches */
    ImpPool *pool;
    ImpShaper *main;        /* the main context, for paragraphs set on this thread */
    ImpFontCanon *canon;
    guint next;             /* the job taken next */
    guint loose_cjk;        /* lines whose CJK characters are spaced beyond the cap */
    const ImpLayout *lay;   /* what the workers read: style, hyphenator */
};

/* Adds font to the result's list of fonts unless it is there. */
static void note_font(ImpShaper *sh, ParaResult *r, PangoFont *font)
{
    if (font == NULL)
        return;
    for (guint i = 0; i < r->fonts->len; i++)
        if (g_array_index(r->fonts, FontRef, i).font == font)
            return;
    FontRef fr = { font, imp__shaper_describe(sh, font) };
    g_array_append_val(r->fonts, fr);
}

/* Sets one paragraph with sh's context (transfer full). Reads only the layout's style and
 * hyphenator, which no thread changes while paragraphs are set, so it may run on any
 * thread with a shaper of its own. */
static ParaResult *set_para(const ImpLayout *lay, ImpShaper *sh, const ImpParaJob *job)
{
    const ImpBlock *b = job->block;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    gsize len = job->len;
    const char *text = job->text != NULL ? job->text : imp_block_get_text(b, &len);
    const char *lang = imp_block_get_language(b);
    if (lang == NULL)
        lang = ds->language;
    PangoAttrList *attrs = imp__shape_attrs(lay->style, job->role, text, len, lang,
                                            job->text != NULL ? NULL : b);
    if (job->bold)
        pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
    ImpParaSpec spec = { 0 };
    spec.width = job->width;
    spec.indent = rs->indent;
    spec.size = rs->size;
    spec.align = job->align >= 0 ? (ImpAlign)job->align : rs->align;
    spec.hyphenate = rs->hyphenate;
    spec.lang = lang;
    imp__para_spec_set_document(&spec, ds);
    spec.hyphenator = lay->hyphenator;
    ParaResult *r = g_new0(ParaResult, 1);
    r->lines = imp__para_set(imp__shaper_get_context(sh), text, len, attrs, &spec);
    pango_attr_list_unref(attrs);
    r->fonts = g_array_new(FALSE, FALSE, sizeof(FontRef));
    for (guint i = 0; i < r->lines->len; i++) {
        const ImpParaLine *pl = r->lines->pdata[i];
        for (guint k = 0; k < pl->line.n_runs; k++)
            note_font(sh, r, pl->line.runs[k].style->analysis.font);
        if (pl->line.hyphen_style != NULL)
            note_font(sh, r, pl->line.hyphen_style->analysis.font);
    }
    return r;
}

/* Frees a result (on the main thread, once its fonts are in the canonical map). */
static void para_result_free(gpointer data)
{
    ParaResult *r = data;
    if (r == NULL)
        return;
    if (r->lines != NULL)
        g_ptr_array_free(r->lines, TRUE);
    if (r->fonts != NULL)
        g_array_free(r->fonts, TRUE);
    g_free(r);
}

/* The pool's functions: a worker makes its own context and shaper. */
static gpointer worker_start(gpointer data)
{
    const ImpMerge *m = data;
    return imp__shaper_new(imp__fonts_new_worker_context(m->lay->fonts), TRUE);
}

static gpointer worker_run(gpointer state, guint job, gpointer data)
{
    const ImpMerge *m = data;
    return set_para(m->lay, state, &m->jobs[job]);
}

/* Starts setting the paragraphs; see layout-private.h. A short document is set faster on
 * the main thread than a worker's fonts can load. */
void imp__merge_start(ImpLayout *lay, GArray *jobs)
{
    ImpMerge *m = g_new0(ImpMerge, 1);
    m->lay = lay;
    m->n_jobs = jobs->len;
    m->jobs = (ImpParaJob *)(gpointer)g_array_free(jobs, FALSE);
    m->cost = g_new(gsize, MAX(m->n_jobs, 1));
    gsize text_bytes = 0;
    for (guint i = 0; i < m->n_jobs; i++) {
        if (m->jobs[i].text != NULL)
            m->cost[i] = m->jobs[i].len;
        else
            imp_block_get_text(m->jobs[i].block, &m->cost[i]);
        text_bytes += m->cost[i];
    }
    m->main = imp__shaper_new(imp_fonts_get_context(lay->fonts), FALSE);
    m->canon = imp__font_canon_new(m->main);
    guint n_threads = lay->jobs > 1 && text_bytes >= PARALLEL_MIN_BYTES
                          ? MIN((guint)lay->jobs, m->n_jobs) : 0;
    ImpPoolSpec spec = { 0 };
    spec.start = worker_start;
    spec.run = worker_run;
    spec.free_result = para_result_free;
    spec.data = m;
    spec.cost = m->cost;
    GError *error = NULL;
    m->pool = imp__pool_new(&spec, m->n_jobs, n_threads, &error);
    if (error != NULL) {
        imp_diag_report(lay->diag, IMP_DIAG_INFO, NULL, 0,
                        "%s; setting paragraphs on %u worker thread%s", error->message,
                        imp__pool_get_n_threads(m->pool),
                        imp__pool_get_n_threads(m->pool) == 1 ? "" : "s");
        g_error_free(error);
    }
    lay->merge = m;
}

/* Finds the main context's equivalent of every font of r; FALSE if one has none. Every
 * font is looked up (no early return), so the map holds a reference on all of them before
 * the result may be freed. */
static gboolean canonical_fonts(ImpMerge *m, const ParaResult *r)
{
    gboolean all = TRUE;
    for (guint i = 0; i < r->fonts->len; i++) {
        const FontRef *fr = &g_array_index(r->fonts, FontRef, i);
        if (imp__font_canon_get(m->canon, fr->font, fr->info) == NULL)
            all = FALSE;
    }
    return all;
}

/* The layout's copy of run style rs, in the main context's font. */
static const ImpRunStyle *share_style(ImpLayout *lay, const ImpRunStyle *rs)
{
    PangoFont *font = rs->analysis.font;
    PangoFont *canon = font != NULL ? imp__font_canon_lookup(lay->merge->canon, font) : NULL;
    return imp__layout_intern_style(lay, rs, canon != font ? canon : NULL);
}

/* Points a line's runs at the layout's shared styles, so that the paragraph's own copies
 * (and with them any reference to a worker's fonts) are freed with it. */
static void share_styles(ImpLayout *lay, ImpGlyphLine *line)
{
    ImpGlyphRun *runs = (ImpGlyphRun *)line->runs; /* the line is ours */
    for (guint k = 0; k < line->n_runs; k++) {
        const ImpRunStyle *canon = share_style(lay, runs[k].style);
        if (canon != runs[k].style) {
            imp__run_style_ref(canon);
            imp__run_style_unref(runs[k].style);
            runs[k].style = canon;
        }
    }
    if (line->hyphen_style != NULL) {
        const ImpRunStyle *canon = share_style(lay, line->hyphen_style);
        if (canon != line->hyphen_style) {
            imp__run_style_ref(canon);
            imp__run_style_unref(line->hyphen_style);
            line->hyphen_style = canon;
        }
    }
}

/* The next paragraph's lines; see layout-private.h. */
GPtrArray *imp__merge_take(ImpLayout *lay, const ImpBlock *b, const ImpParaJob **job_out)
{
    ImpMerge *m = lay->merge;
    g_assert(m->next < m->n_jobs && m->jobs[m->next].block == b);
    const ImpParaJob *job = &m->jobs[m->next++];
    gboolean by_worker;
    ParaResult *r = imp__pool_take(m->pool, m->main, &by_worker);
    if (!canonical_fonts(m, r) && by_worker) {
        para_result_free(r);
        r = set_para(lay, m->main, job);
        canonical_fonts(m, r);
    }
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    const char *file = imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE);
    for (guint i = 0; i < r->lines->len; i++) {
        ImpParaLine *pl = r->lines->pdata[i];
        share_styles(lay, &pl->line);
        imp__missing_check_line(&lay->missing, &pl->line, b);
        if (pl->overfull)
            imp_diag_report(lay->diag, IMP_DIAG_WARNING, file,
                            imp_block_get_line_at(b, pl->start),
                            "overfull line: nothing fits the measure of %.1fpt", job->width);
        else if (pl->stretch_em > ds->max_stretch + 1e-6)
            imp_diag_report(lay->diag, IMP_DIAG_INFO, file,
                            imp_block_get_line_at(b, pl->start),
                            "loose line: word spaces stretched by %.2fem (max-stretch %.2fem)",
                            pl->stretch_em, ds->max_stretch);
        if (!pl->overfull && pl->cjk_stretch_em > ds->cjk_max_stretch + 1e-6) {
            m->loose_cjk++;
            imp_diag_report(lay->diag, IMP_DIAG_INFO, file,
                            imp_block_get_line_at(b, pl->start),
                            "loose CJK line: characters spaced by %.2fem "
                            "(cjk-max-stretch %.2fem)", pl->cjk_stretch_em,
                            ds->cjk_max_stretch);
        }
    }
    GPtrArray *lines = r->lines;
    r->lines = NULL;
    para_result_free(r);
    *job_out = job;
    return lines;
}

/* Joins the workers, then frees their fonts' mapping and their contexts: only now, with no
 * worker left, may a worker's font be finalised (that changes its font map's caches). */
void imp__merge_finish(ImpLayout *lay)
{
    ImpMerge *m = lay->merge;
    if (m == NULL)
        return;
    if (m->loose_cjk > 0)
        imp_diag_report(lay->diag, IMP_DIAG_INFO, imp_document_get_meta(lay->doc,
                                                                        IMP_META_SOURCE_FILE),
                        0, "%u loose CJK line%s (characters spaced beyond cjk-max-stretch "
                        "%.2fem where no other breaks fit)", m->loose_cjk,
                        m->loose_cjk == 1 ? "" : "s",
                        imp_style_get_document(lay->style)->cjk_max_stretch);
    GPtrArray *shapers = imp__pool_free(m->pool);
    imp__font_canon_forget(m->canon);
    g_ptr_array_set_free_func(shapers, (GDestroyNotify)imp__shaper_free);
    g_ptr_array_free(shapers, TRUE);
    imp__font_canon_free(m->canon);
    imp__shaper_free(m->main);
    g_free(m->jobs);
    g_free(m->cost);
    g_free(m);
    lay->merge = NULL;
}
