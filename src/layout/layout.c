/* layout.c — blocks → entries → pages.
 *
 * The document is turned into a flat list of entries, one per line of text (or per
 * masthead, rule or anchor), each with its height, the space above it (dropped at the top of
 * a page), and whether a page may break after it. Keeping a heading with what follows, a
 * paragraph's widows and orphans, and the notice together are all said with that one
 * "keep with next" flag, and a single pass puts entries on pages, moving back to the last
 * allowed break when an entry does not fit. Headers, footers and the every-page notice are
 * added to a page when it is asked for (imp_layout_get_items), once the number of pages is
 * known, and a drawn page is freed (imp_layout_release_page): only the body lines of pages
 * not yet drawn are held, and no page holds a set of Pango layouts for its running heads.
 *
 * Invariants:
 *  1. Every entry lands on exactly one page, in order.
 *  2. An entry taller than the text area still lands (alone on its page) rather than loop.
 *  3. Items are stored with absolute page coordinates in points.
 *  4. Every run of a set line points at the layout's one copy of its style (run_styles),
 *     so memory per line is its glyphs; the entries are freed once the pages hold the
 *     items, and each line of our own belongs to the one page (or the every-page notice)
 *     whose items hold it.
 *
 * Threads (--jobs): the paragraphs our breaker sets are listed before the entries are
 * built, and worker threads shape and break them ahead (set_para) while the main thread
 * merges them in document order (add_para_lines). Everything else (entries, pagination,
 * running heads, diagnostics, drawing) stays on the main thread.
 *  5. A Pango object is used by one thread only: each worker has its own context and font
 *     map (imp__fonts_new_worker_context) and describes its own fonts (FontInfo); a set
 *     paragraph passes to the main thread whole, through the pool's lock.
 *  6. Only the main context's fonts are drawn: at the merge every run's font is replaced by
 *     its main-context equivalent (canonical_font: same face file and index, size and
 *     rendering options), and a worker's paragraph in a font with none is set again on the
 *     main thread. Paragraphs set on the main thread are mapped the same way, so the PDF
 *     is byte-identical for any number of jobs.
 *  7. No worker's font is finalised while workers run (the mapping cache holds them), and
 *     the workers' contexts are freed on the main thread after they are joined.
 *  8. Diagnostics are reported at the merge, so in document order, whatever the jobs.
 *  9. A worker is at most a window of paragraphs ahead of the merge, which bounds the
 *     memory held by finished paragraphs waiting for an earlier one.
 */
#include "layout-private.h"

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangofc-font.h>
#include <pthread.h>
#include <string.h>

#include "../util/error.h"

/* Where the baseline of a line sits in its line box, as a fraction of the font size above
 * the centre of the leading: the em box's ascent (0.88 em for CJK fonts, close to the Latin
 * fonts' cap height + half their descent) centred in the box. */
#define EM_ASCENT 0.88

/* Where libhyphen's dictionaries are (Debian's hyphen-* packages). */
#define IMP_HYPHEN_DIR "/usr/share/hyphen"

/* A paragraph to be set with our own breaker: what add_block() would set it with. */
typedef struct {
    const ImpBlock *block;
    ImpRole role;
    gboolean bold;
    double width;           /* the measure */
} ParaJob;

/* What one thread knows of one of its fonts, computed on that thread so that no other
 * thread calls into its Pango objects: the description to load the main context's
 * equivalent with, and the pattern properties that decide which glyphs cairo draws. */
typedef struct {
    PangoFontDescription *desc; /* absolute size */
    FcPattern *key;             /* NULL: not a fontconfig font */
} FontInfo;

typedef struct {
    PangoFont *font;        /* borrowed: the lines hold it */
    const FontInfo *info;   /* owned by the Shaper that set the paragraph */
} FontRef;

/* A set paragraph, waiting to be merged into the entries. */
typedef struct {
    GPtrArray *lines;       /* ImpParaLine*, owned */
    GArray *fonts;          /* FontRef: every distinct font the lines use */
    gboolean from_worker;   /* set with a worker's context */
    gboolean done;          /* under ParaPool.lock */
} ParaResult;

/* One thread's shaping state. */
typedef struct {
    PangoContext *ctx;
    gboolean owns_ctx;
    GHashTable *info;       /* PangoFont* (a ref) → FontInfo*: ctx's fonts, described once */
} Shaper;

typedef struct ParaPool ParaPool;

typedef struct {
    double height;          /* advance of this entry */
    double space_before;    /* dropped at the top of a page */
    gboolean keep_with_next;
    gboolean break_before;  /* forced page break before this entry */
    guint first_item, n_items; /* in Layout.entry_items, y relative to the entry's top */
} Entry;

/* The last layout set for a running-head slot, with what it was set for. */
typedef struct {
    PangoLayout *layout;
    char *text;
    double width;
} RunningSlot;

static void running_slot_clear(RunningSlot *slot)
{
    g_clear_object(&slot->layout);
    g_clear_pointer(&slot->text, g_free);
}

/* A page's body items, in one allocation. */
typedef struct {
    guint n_items;
    ImpItem items[];
} Page;

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
    GPtrArray *pages;       /* Page*: each page's body; NULL once released */
    GArray *scratch;        /* ImpItem: a page being placed */
    GArray *view;           /* ImpItem: the page imp_layout_get_items() last returned, with
                               its running heads and every-page notice */
    GPtrArray *view_layouts;/* PangoLayout*: that page's running heads */
    guint view_page;        /* which page `view` holds; G_MAXUINT: none */
    RunningSlot running[2][IMP_N_SLOTS]; /* header, footer: see running_layout() */
    GHashTable *font_seen;  /* PangoFont* → family name, for fonts_used */
    GHashTable *missing;    /* code points no font can show, already reported */
    guint missing_more;     /* further occurrences of them, summed up at the end */
    GHashTable *run_styles; /* ImpRunStyle* (a reference each): one per distinct style */
    char *fonts_used;
    int jobs;               /* worker threads asked for (>= 1) */
    Shaper main_shaper;     /* the main context, for paragraphs set on the main thread */
    GHashTable *canon;      /* PangoFont* (a ref) → its main-context equivalent (a ref), or
                               NULL when it has none; see canonical_font() */
    ParaPool *pool;         /* while build_entries() runs */
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

/* Reports the character at byte `off` of `text`, which no font could show, with its code
 * point and source line: each code point once, at its first place, and the number of its
 * further occurrences in one summary at the end (report_missing_summary), so a page of an
 * uncovered script does not flood the messages. Control characters and tabs are not
 * drawn, so not reported. */
static void report_missing(ImpLayout *lay, const char *text, gsize off, const ImpBlock *block)
{
    gunichar c = g_utf8_get_char(text + off);
    if (g_unichar_iscntrl(c) || c == '\t')
        return;
    if (!g_hash_table_add(lay->missing, GUINT_TO_POINTER(c))) {
        lay->missing_more++;
        return;
    }
    char utf8[8] = { 0 };
    g_unichar_to_utf8(c, utf8);
    imp_diag_report(lay->diag, IMP_DIAG_WARNING,
                    imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE),
                    block ? imp_block_get_line_at(block, off) : 0,
                    "no font can show U+%04X '%s'", c, utf8);
}

/* The closing count of characters no font can show beyond their first report. */
static void report_missing_summary(ImpLayout *lay)
{
    if (lay->missing_more > 0)
        imp_diag_report(lay->diag, IMP_DIAG_WARNING,
                        imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE), 0,
                        "%u more occurrence%s of the %u character%s above that no font "
                        "can show", lay->missing_more, lay->missing_more == 1 ? "" : "s",
                        g_hash_table_size(lay->missing),
                        g_hash_table_size(lay->missing) == 1 ? "" : "s");
}

/* Reports characters of one shaped run that no font could show, with their source line,
 * and records the run's font family. */
static void check_run(ImpLayout *lay, const char *text, const PangoGlyphItem *run,
                      const ImpBlock *block)
{
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
        report_missing(lay, text, (gsize)run->item->offset + (gsize)gs->log_clusters[g],
                       block);
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

/* Reports characters of a set line that no font could show (as check_run). A missing
 * glyph's id does not fit 16 bits, so it is among the extras; one pass over them, with the
 * runs (in glyph order) followed alongside, costs the same for a line of many runs. */
static void check_glyph_line(ImpLayout *lay, const ImpGlyphLine *line, const ImpBlock *block)
{
    guint k = 0;
    for (guint e = 0; e < line->n_extra; e++) {
        guint g = line->extra[e].index;
        if (!(line->extra[e].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            continue;
        while (k < line->n_runs && g >= line->runs[k].first_glyph + line->runs[k].n_glyphs)
            k++;
        if (k == line->n_runs)
            break;
        report_missing(lay, line->text,
                       line->runs[k].offset + (line->clusters16 ? line->clusters16[g]
                                                                : line->clusters32[g]),
                       block);
    }
}

/* The layout's one copy of run style rs with its font replaced by the main context's
 * equivalent (when it has one: see canonical_font()), added (and its font's family
 * recorded for fonts_used) when new (transfer none). */
static const ImpRunStyle *intern_style(ImpLayout *lay, const ImpRunStyle *rs)
{
    ImpRunStyle key = *rs;
    gpointer canon = NULL;
    if (rs->analysis.font != NULL &&
        g_hash_table_lookup_extended(lay->canon, rs->analysis.font, NULL, &canon) &&
        canon != NULL)
        key.analysis.font = canon;
    const ImpRunStyle *found = g_hash_table_lookup(lay->run_styles, &key);
    if (found != NULL)
        return found;
    ImpRunStyle *copy = g_new(ImpRunStyle, 1);
    *copy = key;
    copy->ref = 1; /* the table's */
    PangoFont *font = copy->analysis.font;
    if (font != NULL)
        g_object_ref(font);
    g_hash_table_add(lay->run_styles, copy);
    if (font != NULL && !g_hash_table_contains(lay->font_seen, font)) {
        PangoFontDescription *d = pango_font_describe(font);
        g_hash_table_insert(lay->font_seen, g_object_ref(font),
                            g_strdup(pango_font_description_get_family(d)));
        pango_font_description_free(d);
    }
    return copy;
}

/* Points a line's runs at the layout's shared styles, so that the paragraph's own copies
 * (and with them any reference to a worker's fonts) are freed with it. */
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

/* ------------------------------------------------------------------------------------ */
/* Setting paragraphs (any thread)                                                      */
/* ------------------------------------------------------------------------------------ */

/* Drops a reference on a font that may be NULL (a GDestroyNotify). */
static void font_unref0(gpointer font)
{
    if (font != NULL)
        g_object_unref(font);
}

/* Frees a FontInfo (a GDestroyNotify). */
static void font_info_free(gpointer data)
{
    FontInfo *fi = data;
    pango_font_description_free(fi->desc);
    if (fi->key != NULL)
        FcPatternDestroy(fi->key);
    g_free(fi);
}

/* A shaper over ctx; owns_ctx: the shaper frees it. */
static void shaper_init(Shaper *sh, PangoContext *ctx, gboolean owns_ctx)
{
    sh->ctx = ctx;
    sh->owns_ctx = owns_ctx;
    sh->info = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                     font_info_free);
}

/* Releases what the shaper holds; call on a thread that no longer shapes with it. */
static void shaper_clear(Shaper *sh)
{
    if (sh->info != NULL)
        g_hash_table_destroy(sh->info);
    if (sh->owns_ctx)
        g_object_unref(sh->ctx);
    sh->info = NULL;
    sh->ctx = NULL;
}

/* What `font` (one of sh's context's fonts) is, described once per shaper (transfer none:
 * valid while the shaper is). The key holds every pattern property that changes the
 * glyphs cairo draws or embeds: the face, its size and transform, synthesis, variations. */
static const FontInfo *font_info(Shaper *sh, PangoFont *font)
{
    FontInfo *fi = g_hash_table_lookup(sh->info, font);
    if (fi != NULL)
        return fi;
    fi = g_new0(FontInfo, 1);
    fi->desc = pango_font_describe_with_absolute_size(font);
    if (PANGO_IS_FC_FONT(font)) {
        FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_PIXEL_SIZE, FC_MATRIX,
                                           FC_EMBOLDEN, FC_ANTIALIAS, FC_HINTING,
                                           FC_HINT_STYLE, FC_AUTOHINT, FC_RGBA, FC_LCD_FILTER,
                                           FC_VERTICAL_LAYOUT, FC_FONT_VARIATIONS,
                                           FC_FONT_FEATURES, (char *)NULL);
        fi->key = FcPatternFilter(pango_fc_font_get_pattern(PANGO_FC_FONT(font)), os);
        FcObjectSetDestroy(os);
    }
    g_hash_table_insert(sh->info, g_object_ref(font), fi);
    return fi;
}

/* Adds font to the result's list of fonts unless it is there. */
static void note_font(Shaper *sh, ParaResult *r, PangoFont *font)
{
    if (font == NULL)
        return;
    for (guint i = 0; i < r->fonts->len; i++)
        if (g_array_index(r->fonts, FontRef, i).font == font)
            return;
    FontRef fr = { font, font_info(sh, font) };
    g_array_append_val(r->fonts, fr);
}

/* Sets one paragraph with sh's context into r (which it fills; see ParaResult). Reads
 * only the layout's style, document and hyphenator, which no thread changes while
 * paragraphs are set, so it may run on any thread with a shaper of its own. */
static void set_para(const ImpLayout *lay, Shaper *sh, const ParaJob *job, ParaResult *r)
{
    const ImpBlock *b = job->block;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    const char *lang = imp_block_get_language(b);
    if (lang == NULL)
        lang = ds->language;
    PangoAttrList *attrs = imp__shape_attrs(lay->style, job->role, text, len, lang, b);
    if (job->bold)
        pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
    ImpParaSpec spec = { 0 };
    spec.width = job->width;
    spec.indent = rs->indent;
    spec.size = rs->size;
    spec.align = rs->align;
    spec.hyphenate = rs->hyphenate;
    spec.lang = lang;
    spec.han_latin_gap = ds->han_latin_gap;
    spec.max_stretch = ds->max_stretch;
    spec.hyphenator = lay->hyphenator;
    r->lines = imp__para_set(sh->ctx, text, len, attrs, &spec);
    pango_attr_list_unref(attrs);
    r->fonts = g_array_new(FALSE, FALSE, sizeof(FontRef));
    for (guint i = 0; i < r->lines->len; i++) {
        const ImpParaLine *pl = r->lines->pdata[i];
        for (guint k = 0; k < pl->line.n_runs; k++)
            note_font(sh, r, pl->line.runs[k].style->analysis.font);
        if (pl->line.hyphen_style != NULL)
            note_font(sh, r, pl->line.hyphen_style->analysis.font);
    }
}

/* Frees what a result holds (on the main thread: see canonical_fonts()). */
static void para_result_clear(ParaResult *r)
{
    if (r->lines != NULL)
        g_ptr_array_free(r->lines, TRUE);
    if (r->fonts != NULL)
        g_array_free(r->fonts, TRUE);
    r->lines = NULL;
    r->fonts = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* The work queue                                                                       */
/* ------------------------------------------------------------------------------------ */

/* Paragraphs a worker may be ahead of the merge, per worker: bounds the memory held by
 * finished paragraphs that wait for an earlier, longer one. */
#define WINDOW_PER_WORKER 128

/* A worker claims consecutive paragraphs up to this many, or this much text, at a time:
 * one wake-up of the main thread per batch, not per paragraph (waking it per paragraph
 * preempted the workers tens of thousands of times on a 1,000-page text). */
#define BATCH_JOBS 32
#define BATCH_BYTES 16384

/* Paragraphs set by worker threads, merged by the main thread in document order.
 * Workers claim batches of jobs in index order, never more than `window` ahead of the next
 * one the main thread takes; results are slotted by job index. */
struct ParaPool {
    const ImpLayout *lay;
    ImpFonts *fonts;
    ParaJob *jobs;          /* in the order add_para_lines() takes them */
    guint n_jobs;
    ParaResult *results;    /* by job index */
    guint window;
    /* POSIX, not GMutex/GCond: GLib's are futexes on Linux, invisible to ThreadSanitizer,
       which then reports every hand-over as a race and hides real ones */
    pthread_mutex_t lock;
    pthread_cond_t done_cond; /* the result the main thread waits for is done */
    pthread_cond_t room_cond; /* the window has room again */
    guint next_claim;       /* under lock */
    guint next_take;        /* under lock (written by the main thread only) */
    gboolean main_waiting;  /* under lock: the main thread waits for results[next_take] */
    guint workers_waiting;  /* under lock: workers waiting for room */
    GPtrArray *threads;     /* GThread* */
};

/* A worker: makes its own context, then sets claimed batches until none are left.
 * Returns its Shaper (transfer full), which the main thread frees after the merge, since
 * the results' FontInfo point into it. */
static gpointer pool_worker(gpointer data)
{
    ParaPool *pool = data;
    Shaper *sh = g_new0(Shaper, 1);
    shaper_init(sh, imp__fonts_new_worker_context(pool->fonts), TRUE);
    ParaResult *batch = g_new0(ParaResult, BATCH_JOBS);
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (pool->next_claim < pool->n_jobs &&
               pool->next_claim >= pool->next_take + pool->window) {
            pool->workers_waiting++;
            pthread_cond_wait(&pool->room_cond, &pool->lock);
            pool->workers_waiting--;
        }
        if (pool->next_claim >= pool->n_jobs)
            break;
        guint first = pool->next_claim, end = first;
        gsize bytes = 0;
        while (end < pool->n_jobs && end - first < BATCH_JOBS &&
               end < pool->next_take + pool->window && bytes < BATCH_BYTES) {
            gsize len;
            imp_block_get_text(pool->jobs[end].block, &len);
            bytes += len;
            end++;
        }
        pool->next_claim = end;
        pthread_mutex_unlock(&pool->lock);
        for (guint i = first; i < end; i++) {
            memset(&batch[i - first], 0, sizeof(ParaResult));
            set_para(pool->lay, sh, &pool->jobs[i], &batch[i - first]);
            batch[i - first].from_worker = TRUE;
            batch[i - first].done = TRUE;
        }
        pthread_mutex_lock(&pool->lock);
        memcpy(&pool->results[first], batch, (end - first) * sizeof(ParaResult));
        if (pool->main_waiting && pool->results[pool->next_take].done)
            pthread_cond_signal(&pool->done_cond);
    }
    pthread_mutex_unlock(&pool->lock);
    g_free(batch);
    return sh;
}

/* Starts `n_threads` workers on `jobs` (the pool takes the array). n_threads 0: the main
 * thread sets each paragraph when it is taken. */
static ParaPool *pool_new(ImpLayout *lay, GArray *jobs, guint n_threads)
{
    ParaPool *pool = g_new0(ParaPool, 1);
    pool->lay = lay;
    pool->fonts = lay->fonts;
    pool->n_jobs = jobs->len;
    pool->jobs = (ParaJob *)(gpointer)g_array_free(jobs, FALSE);
    pool->results = g_new0(ParaResult, MAX(pool->n_jobs, 1));
    pool->window = WINDOW_PER_WORKER * MAX(n_threads, 1);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->done_cond, NULL);
    pthread_cond_init(&pool->room_cond, NULL);
    pool->threads = g_ptr_array_new();
    for (guint t = 0; t < n_threads; t++)
        g_ptr_array_add(pool->threads, g_thread_new("imprint-layout", pool_worker, pool));
    return pool;
}

/* Takes the next paragraph in order into r, waiting for its worker (or setting it on the
 * main thread when there are no workers). Waiting workers are woken once half the window
 * is free, not at every paragraph taken. */
static void pool_take(ImpLayout *lay, ParaPool *pool, const ImpBlock *b, ParaResult *r)
{
    guint i = pool->next_take; /* only this thread writes it */
    g_assert(i < pool->n_jobs && pool->jobs[i].block == b);
    if (pool->threads->len == 0) {
        pool->next_take = i + 1;
        memset(r, 0, sizeof(ParaResult));
        set_para(lay, &lay->main_shaper, &pool->jobs[i], r);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->main_waiting = TRUE;
    while (!pool->results[i].done)
        pthread_cond_wait(&pool->done_cond, &pool->lock);
    pool->main_waiting = FALSE;
    *r = pool->results[i];
    memset(&pool->results[i], 0, sizeof(ParaResult));
    pool->next_take = i + 1;
    if (pool->workers_waiting > 0 &&
        (pool->next_claim < pool->next_take + pool->window / 2 ||
         pool->next_take == pool->next_claim))
        pthread_cond_broadcast(&pool->room_cond);
    pthread_mutex_unlock(&pool->lock);
}

/* The job of the paragraph taken last. */
static const ParaJob *pool_last_job(const ParaPool *pool)
{
    return &pool->jobs[pool->next_take - 1];
}

/* Joins the workers once every paragraph is taken, then frees their fonts' mapping and
 * their contexts: only now, with no worker left, may a worker's font be finalised (that
 * changes its font map's caches). */
static void pool_free(ImpLayout *lay, ParaPool *pool)
{
    if (pool == NULL)
        return;
    g_assert(pool->next_take == pool->n_jobs);
    GPtrArray *shapers = g_ptr_array_new();
    for (guint t = 0; t < pool->threads->len; t++)
        g_ptr_array_add(shapers, g_thread_join(pool->threads->pdata[t]));
    g_hash_table_remove_all(lay->canon);
    for (guint t = 0; t < shapers->len; t++) {
        shaper_clear(shapers->pdata[t]);
        g_free(shapers->pdata[t]);
    }
    g_ptr_array_free(shapers, TRUE);
    g_ptr_array_free(pool->threads, TRUE);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->done_cond);
    pthread_cond_destroy(&pool->room_cond);
    g_free(pool->results);
    g_free(pool->jobs);
    g_free(pool);
}

/* ------------------------------------------------------------------------------------ */
/* Merging paragraphs (main thread)                                                     */
/* ------------------------------------------------------------------------------------ */

/* The main context's font equivalent to `font` (a font of any thread, described by fi),
 * or NULL when it has none: loaded from the font's description, and equivalent only if it
 * is described alike and its key (face file and index, size, transform, synthesis and
 * rendering options) is equal, so the same glyph ids draw the same glyphs from the same
 * embedded subset. Cached by font; the cache holds a reference on each font, so that no
 * worker's font is finalised on this thread while its worker runs (see pool_free()). */
static PangoFont *canonical_font(ImpLayout *lay, PangoFont *font, const FontInfo *fi)
{
    gpointer canon = NULL;
    if (g_hash_table_lookup_extended(lay->canon, font, NULL, &canon))
        return canon;
    PangoContext *ctx = lay->main_shaper.ctx;
    PangoFont *cf = fi->key != NULL ? pango_font_map_load_font(pango_context_get_font_map(ctx),
                                                                ctx, fi->desc)
                                    : NULL;
    if (cf != NULL) {
        const FontInfo *ci = font_info(&lay->main_shaper, cf);
        if (ci->key == NULL || !pango_font_description_equal(ci->desc, fi->desc) ||
            !FcPatternEqual(ci->key, fi->key))
            g_clear_object(&cf);
    }
    g_hash_table_insert(lay->canon, g_object_ref(font), cf);
    return cf;
}

/* Finds the main context's equivalent of every font of r; FALSE if one has none. Every
 * font is looked up (no early return), so the cache holds a reference on all of them
 * before the result may be freed. */
static gboolean canonical_fonts(ImpLayout *lay, const ParaResult *r)
{
    gboolean all = TRUE;
    for (guint i = 0; i < r->fonts->len; i++) {
        const FontRef *fr = &g_array_index(r->fonts, FontRef, i);
        if (canonical_font(lay, fr->font, fr->info) == NULL)
            all = FALSE;
    }
    return all;
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

/* Adds one entry per line of block b, set with our own breaker (on a worker thread, or
 * on this one), like add_lines(); the layout takes the lines. The lines' fonts are
 * replaced by the main context's equivalents; a paragraph a worker set in a font with no
 * equivalent is set again here, so the fonts drawn never depend on the number of threads.
 * Reports missing glyphs, overfull lines (warnings) and lines stretched beyond max-stretch
 * (information), here and so in document order. */
static void add_para_lines(ImpLayout *lay, const ImpBlock *b, double x, double space_before,
                           gboolean keep_all)
{
    ParaResult r;
    pool_take(lay, lay->pool, b, &r);
    const ParaJob *job = pool_last_job(lay->pool);
    if (!canonical_fonts(lay, &r) && r.from_worker) {
        para_result_clear(&r);
        set_para(lay, &lay->main_shaper, job, &r);
        canonical_fonts(lay, &r);
    }
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    const char *file = imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE);
    double width = job->width;
    GPtrArray *lines = r.lines;
    guint n = lines->len;
    for (guint i = 0; i < n; i++) {
        ImpParaLine *pl = lines->pdata[i];
        share_styles(lay, &pl->line);
        check_glyph_line(lay, &pl->line, b);
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
    g_array_free(r.fonts, TRUE);
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

/* How block b is set: fills job (and its indent from the text area's left edge) and says
 * whether our own breaker sets it (line-breaking=optimal; code keeps its lines as they
 * are), which build_entries() must know before add_block() runs. */
static gboolean para_job_for(const ImpLayout *lay, const ImpBlock *b, ParaJob *job,
                             double *indent_x)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpBlockKind kind = imp_block_get_kind(b);
    job->block = b;
    job->role = role_of(b);
    /* notice heading lines are set bold */
    job->bold = kind == IMP_BLOCK_NOTICE && imp_block_get_level(b) > 0;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    *indent_x = 0;
    if (kind == IMP_BLOCK_LIST_ITEM || imp_block_get_quote_depth(b) > 0)
        *indent_x = 1.5 * rs->size * MAX(1u, imp_block_get_level(b));
    job->width = lay->text_w - *indent_x;
    return ds->line_breaking == IMP_BREAK_OPTIMAL && kind != IMP_BLOCK_CODE;
}

/* Below this much paragraph text, worker threads cost more (each loads its own fonts) than
 * they save: the speech (17 KB) took 1.33x the floor's wall time with two jobs, 1.08x with
 * one. The output is the same either way (invariant 6). */
#define PARALLEL_MIN_BYTES (64 * 1024)

/* What the blocks laid out so far leave for the next one. */
typedef struct {
    double pending_after;   /* space_after of the previous block */
    gboolean pending_break; /* a page break came before this block */
    gboolean prev_heading;  /* the previous block was a heading: keep with this one */
    gboolean in_notice;     /* a notice has begun (its rule is set) and not yet ended */
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

    if (kind != IMP_BLOCK_NOTICE)
        st->in_notice = FALSE; /* body text again: a later notice gets its own rule */
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

    ParaJob job;
    double indent_x;
    gboolean own_breaker = para_job_for(lay, b, &job, &indent_x);
    gboolean bold = job.bold;
    gboolean keep_all = is_heading_role(role) || kind == IMP_BLOCK_NOTICE;
    double first_space = lay->entries->len > first_entry ? 0 : space;
    if (own_breaker) {
        add_para_lines(lay, b, lay->text_x + indent_x, first_space, keep_all);
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

/* The blocks [*from, *to) of the document's first notice (consecutive notice blocks);
 * empty when there is none. */
static void first_notice(const ImpDocument *doc, guint *from, guint *to)
{
    guint n = imp_document_get_n_blocks(doc), i = 0;
    while (i < n && imp_block_get_kind(imp_document_get_block(doc, i)) != IMP_BLOCK_NOTICE)
        i++;
    *from = i;
    while (i < n && imp_block_get_kind(imp_document_get_block(doc, i)) == IMP_BLOCK_NOTICE)
        i++;
    *to = i;
}

/* Turns the document's blocks into entries. A notice placed on every page (the first notice
 * of the text: a later one is set where it stands) is laid out the same way, then taken out
 * of the entries into lay->notice_items, y from its top. */
static void build_entries(ImpLayout *lay)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    gboolean every_page = ds->notice_placement == IMP_NOTICE_EVERY_PAGE;
    GPtrArray *notice = g_ptr_array_new();
    guint foot_from = 0, foot_to = 0;
    if (every_page)
        first_notice(lay->doc, &foot_from, &foot_to);

    if (ds->masthead)
        add_masthead(lay, imp_fonts_get_context(lay->fonts));

    /* the paragraphs our breaker sets, in the order add_block() will take them: the body,
       then an every-page notice; they are set ahead on the workers */
    guint n = imp_document_get_n_blocks(lay->doc);
    GArray *jobs = g_array_new(FALSE, FALSE, sizeof(ParaJob));
    gsize text_bytes = 0;
    for (int pass = 0; pass < 2; pass++)
        for (guint bi = 0; bi < n; bi++) {
            const ImpBlock *b = imp_document_get_block(lay->doc, bi);
            ImpBlockKind kind = imp_block_get_kind(b);
            gboolean deferred = bi >= foot_from && bi < foot_to;
            ParaJob job;
            double indent_x;
            if (kind != IMP_BLOCK_PAGE_BREAK && deferred == (pass == 1) &&
                para_job_for(lay, b, &job, &indent_x)) {
                gsize len;
                imp_block_get_text(b, &len);
                text_bytes += len;
                g_array_append_val(jobs, job);
            }
        }
    /* a short document is set faster on the main thread than a worker's fonts can load */
    guint n_threads = lay->jobs > 1 && text_bytes >= PARALLEL_MIN_BYTES
                          ? MIN((guint)lay->jobs, jobs->len) : 0;
    lay->pool = pool_new(lay, jobs, n_threads);

    BlockState st = { 0 };
    for (guint bi = 0; bi < n; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        ImpBlockKind kind = imp_block_get_kind(b);
        if (kind == IMP_BLOCK_PAGE_BREAK) {
            st.pending_break = TRUE;
            st.pending_after = 0;
        } else if (bi >= foot_from && bi < foot_to) {
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
    pool_free(lay, lay->pool);
    lay->pool = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Pages                                                                                */
/* ------------------------------------------------------------------------------------ */

/* Frees the line of an IMP_ITEM_GLYPHS item (a GArray clear function): each line of our
 * own is on one page, or in the every-page notice, and that array owns it. */
static void item_clear(gpointer data)
{
    ImpItem *item = data;
    if (item->kind == IMP_ITEM_GLYPHS)
        imp__para_line_free((char *)item->glyphs - G_STRUCT_OFFSET(ImpParaLine, line));
}

/* Frees a page and the lines of our own on it (each line is on one page only). */
static void page_free(gpointer data)
{
    Page *pg = data;
    if (pg == NULL)
        return;
    for (guint i = 0; i < pg->n_items; i++)
        item_clear(&pg->items[i]);
    g_free(pg);
}

/* A new page holding a copy of `items`, in one allocation of just that size. */
static void page_add(ImpLayout *lay, const GArray *items)
{
    Page *pg = g_malloc(sizeof(Page) + items->len * sizeof(ImpItem));
    pg->n_items = items->len;
    memcpy(pg->items, items->data, items->len * sizeof(ImpItem));
    g_ptr_array_add(lay->pages, pg);
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
    g_array_set_size(lay->scratch, 0);
    place_entries(lay, from, to, lay->text_top, lay->scratch);
    page_add(lay, lay->scratch);
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
/* The layout of one running-head slot's text `text` at width `w` (transfer full). The last
 * one made for each slot is kept: most slots read the same on every page, and setting
 * them anew for each of a thousand pages cost 6% of the run. */
static PangoLayout *running_layout(ImpLayout *lay, ImpRole role, int k, const char *text,
                                   double w)
{
    RunningSlot *slot = &lay->running[role == IMP_ROLE_FOOTER][k];
    if (slot->layout != NULL && slot->width == w && strcmp(slot->text, text) == 0)
        return g_object_ref(slot->layout);
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    PangoLayout *pl = imp__shape(ctx, lay->style, role, text, strlen(text), NULL, -1, NULL);
    pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(pl, PANGO_ALIGN_LEFT);
    pango_layout_set_justify(pl, FALSE);
    check_glyphs(lay, pl, NULL);
    running_slot_clear(slot);
    slot->layout = g_object_ref(pl);
    slot->text = g_strdup(text);
    slot->width = w;
    return pl;
}

static void add_running(ImpLayout *lay, GArray *items, GPtrArray *owner,
                        const ImpRunningStyle *rs, ImpRole role, guint page, guint pages,
                        double baseline, double rule_y)
{
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
        PangoLayout *pl = running_layout(lay, role, k, text[k], w);
        g_ptr_array_add(owner, pl);
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

/* Appends the header, footer and every-page notice of page `p` (0-based) to `items`; the
 * running heads' layouts go to `owner`. Made when the page is drawn, so that a long document
 * does not hold a set of Pango layouts for every page. */
static void add_page_furniture(ImpLayout *lay, guint p, GArray *items, GPtrArray *owner)
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
    add_running(lay, items, owner, imp_style_get_header(lay->style), IMP_ROLE_HEADER, p + 1,
                pages, head_base, head_rule);
    add_running(lay, items, owner, imp_style_get_footer(lay->style), IMP_ROLE_FOOTER, p + 1,
                pages, foot_base, foot_rule);
    double top = lay->text_bottom - lay->notice_height;
    for (guint k = 0; k < lay->notice_items->len; k++) {
        ImpItem item = g_array_index(lay->notice_items, ImpItem, k);
        item.y += top;
        g_array_append_val(items, item);
    }
}

/* Sets the running heads of the first page and of the last (the longest page numbers) once
 * now, for their diagnostics and fonts: the others differ from these only in digits. */
static void check_page_furniture(ImpLayout *lay)
{
    GArray *items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    GPtrArray *owner = g_ptr_array_new_with_free_func(g_object_unref);
    add_page_furniture(lay, 0, items, owner);
    if (lay->pages->len > 1)
        add_page_furniture(lay, lay->pages->len - 1, items, owner);
    g_array_free(items, TRUE);
    g_ptr_array_free(owner, TRUE);
}


/* Hands every line from lay->para_lines to the page (or notice) array that holds its item,
 * so that a page's lines can be freed when it has been drawn. */
static void give_lines_to_pages(ImpLayout *lay)
{
    g_ptr_array_set_free_func(lay->pages, page_free);
    g_array_set_clear_func(lay->notice_items, item_clear);
    g_ptr_array_set_free_func(lay->para_lines, NULL);
    g_ptr_array_set_size(lay->para_lines, 0);
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
ImpLayout *imp__layout_new(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                          const ImpLayoutOptions *options, GError **error)
{
    g_return_val_if_fail(doc != NULL && style != NULL && fonts != NULL, NULL);
    (void)error;
    ImpLayout *lay = g_new0(ImpLayout, 1);
    lay->doc = doc;
    lay->style = style;
    lay->fonts = fonts;
    lay->diag = options ? options->diag : NULL;
    lay->jobs = options != NULL && options->jobs > 0 ? options->jobs
                                                     : (int)g_get_num_processors();
    const ImpPageStyle *ps = imp_style_get_page(style);
    lay->page_w = ps->width;
    lay->page_h = ps->height;
    lay->text_x = ps->margin_left;
    lay->text_w = ps->width - ps->margin_left - ps->margin_right;
    lay->text_top = ps->margin_top;
    lay->text_bottom = ps->height - ps->margin_bottom;
    lay->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    lay->para_lines = g_ptr_array_new_with_free_func(imp__para_line_free);
    lay->hyphenator = imp__fonts_get_hyphenator(fonts, IMP_HYPHEN_DIR);
    /* body text of more than a few lines will want its dictionary: load it meanwhile */
    if (imp_style_get_role(style, IMP_ROLE_BODY)->hyphenate &&
        imp_style_get_document(style)->line_breaking == IMP_BREAK_OPTIMAL)
        imp__hyphenator_prefetch(lay->hyphenator,
                                 imp__hyphen_language(imp_style_get_document(style)->language));
    lay->labels = g_ptr_array_new_with_free_func(g_free);
    lay->entries = g_array_new(FALSE, FALSE, sizeof(Entry));
    lay->entry_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->notice_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->pages = g_ptr_array_new_with_free_func(g_free); /* page_free once they own lines */
    lay->scratch = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->view = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->view_layouts = g_ptr_array_new_with_free_func(g_object_unref);
    lay->view_page = G_MAXUINT;
    lay->missing = g_hash_table_new(g_direct_hash, g_direct_equal);
    lay->font_seen = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                           g_free);
    lay->run_styles = g_hash_table_new_full(imp__run_style_hash, imp__run_style_equal,
                                            (GDestroyNotify)imp__run_style_unref, NULL);
    lay->canon = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                       font_unref0);
    shaper_init(&lay->main_shaper, imp_fonts_get_context(fonts), FALSE);

    build_entries(lay);
    shaper_clear(&lay->main_shaper);
    g_hash_table_destroy(lay->canon);
    lay->canon = NULL;
    paginate(lay);
    give_lines_to_pages(lay);
    check_page_furniture(lay);
    /* the pages hold copies of the items: the entries are no longer needed */
    g_array_free(lay->entries, TRUE);
    g_array_free(lay->entry_items, TRUE);
    lay->entries = lay->entry_items = NULL;
    report_missing_summary(lay);
    lay->fonts_used = fonts_used(lay->font_seen);
    return lay;
}

/* Frees the pages and every Pango object the layout holds. */
void imp_layout_free(ImpLayout *layout)
{
    if (layout == NULL)
        return;
    g_ptr_array_free(layout->pages, TRUE);
    g_array_free(layout->scratch, TRUE);
    g_array_free(layout->view, TRUE);
    for (int r = 0; r < 2; r++)
        for (int k = 0; k < IMP_N_SLOTS; k++)
            running_slot_clear(&layout->running[r][k]);
    g_ptr_array_free(layout->view_layouts, TRUE);
    if (layout->entries != NULL)
        g_array_free(layout->entries, TRUE);
    if (layout->entry_items != NULL)
        g_array_free(layout->entry_items, TRUE);
    g_array_free(layout->notice_items, TRUE);
    g_ptr_array_free(layout->labels, TRUE);
    g_ptr_array_free(layout->layouts, TRUE);
    g_ptr_array_free(layout->para_lines, TRUE);
    g_hash_table_destroy(layout->font_seen);
    g_hash_table_destroy(layout->missing);
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

const ImpItem *imp_layout_get_items(ImpLayout *layout, guint page, guint *n_items)
{
    g_return_val_if_fail(layout != NULL && page < layout->pages->len, NULL);
    const Page *body = g_ptr_array_index(layout->pages, page);
    g_return_val_if_fail(body != NULL, NULL); /* released */
    if (layout->view_page != page) {
        g_array_set_size(layout->view, 0);
        g_ptr_array_set_size(layout->view_layouts, 0);
        g_array_append_vals(layout->view, body->items, body->n_items);
        add_page_furniture(layout, page, layout->view, layout->view_layouts);
        layout->view_page = page;
    }
    if (n_items != NULL)
        *n_items = layout->view->len;
    return (const ImpItem *)(void *)layout->view->data;
}

/* Frees page `page`'s lines and running heads. */
void imp_layout_release_page(ImpLayout *layout, guint page)
{
    g_return_if_fail(layout != NULL && page < layout->pages->len);
    if (layout->view_page == page) {
        g_array_set_size(layout->view, 0);
        g_ptr_array_set_size(layout->view_layouts, 0);
        layout->view_page = G_MAXUINT;
    }
    page_free(g_ptr_array_index(layout->pages, page));
    layout->pages->pdata[page] = NULL;
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
