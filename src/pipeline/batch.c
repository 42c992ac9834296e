/* batch.c — ImpBatch: many documents in one run, set in parallel, with their results
 * delivered in order.
 *
 * A run: every name is worked out and checked (names.c); the shard's documents are kept;
 * the output or kit folder is made; then worker threads take tasks in order — a task is a
 * document, or with --pages and a single document, a share of its pages — each worker with
 * its own ImpContext (worker 0 uses the caller's), since a context and its fonts are used by
 * one thread at a time. The styles are loaded once per run and shared (work.c). The
 * calling thread waits, and as each document in order is finished it passes on the
 * document's held findings and calls the done function; ten times a second it reports
 * progress from the counters the stages add to.
 *
 * Threads per document: with several documents, each is set by one worker and its layout
 * uses the jobs left over (one each when there are more documents than jobs); a single
 * document is set by one worker whose layout uses every job (paragraphs in parallel), or
 * with --pages by every worker, each laying it out and drawing its share of the pages.
 *
 * Invariants:
 *  1. Nothing is written before every name is checked (names.c); a run refused there
 *     changes nothing.
 *  2. Callbacks run on the calling thread, in the batch's order, whatever the jobs: the
 *     messages of a run are the same for any --jobs.
 *  3. Each output is the one-call path's bytes for its document (work.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "../util/error.h"

/* ---- items ---- */

static void item_free(gpointer data)
{
    ImpBatchItem *item = data;
    g_free(item->input);
    g_free(item->output_asked);
    imp_options_free(item->options);
    g_free(item->output);
    g_free(item->stem);
    g_free(item->kit_name);
    g_clear_error(&item->error);
    g_array_free(item->written, TRUE);
    g_array_free(item->findings, TRUE);
    if (item->kit_json != NULL)
        json_object_unref(item->kit_json);
    g_free(item);
}

ImpBatch *imp_batch_new(ImpContext *ctx, const ImpOptions *options)
{
    g_return_val_if_fail(ctx != NULL, NULL);
    ImpBatch *batch = g_new0(ImpBatch, 1);
    batch->ctx = ctx;
    batch->options = options != NULL ? imp_options_copy(options) : imp_options_new();
    batch->items = g_ptr_array_new();
    batch->all = g_ptr_array_new_with_free_func(item_free);
    batch->shard_k = batch->shard_n = 1;
    return batch;
}

void imp_batch_free(ImpBatch *batch)
{
    if (batch == NULL)
        return;
    g_ptr_array_free(batch->items, TRUE);
    g_ptr_array_free(batch->all, TRUE);
    imp_options_free(batch->options);
    g_free(batch->output_dir);
    g_free(batch->kit_dir);
    if (batch->ranges != NULL)
        g_array_free(batch->ranges, TRUE);
    g_free(batch);
}

gboolean imp_batch_add(ImpBatch *batch, const char *input, const char *output,
                       const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(batch != NULL && input != NULL && !batch->ran, FALSE);
    if (*input == '\0' || strcmp(input, "-") == 0 ||
        (output != NULL && (*output == '\0' || strcmp(output, "-") == 0))) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s: a batch reads and writes files: name them (not '-' or '')",
                    *input != '\0' ? input : "''");
        return FALSE;
    }
    ImpBatchItem *item = g_new0(ImpBatchItem, 1);
    item->position = batch->all->len;
    item->input = g_strdup(input);
    item->output_asked = g_strdup(output);
    item->options = options != NULL ? imp_options_copy(options) : NULL;
    item->written = g_array_new(FALSE, TRUE, sizeof(ImpWritten));
    g_array_set_clear_func(item->written, imp__written_clear);
    item->findings = g_array_new(FALSE, TRUE, sizeof(ImpFinding));
    g_array_set_clear_func(item->findings, imp__finding_clear);
    g_ptr_array_add(batch->all, item);
    g_ptr_array_add(batch->items, item);
    return TRUE;
}

gboolean imp_batch_add_manifest(ImpBatch *batch, const char *path, GError **error)
{
    g_return_val_if_fail(batch != NULL && path != NULL && !batch->ran, FALSE);
    return imp__manifest_add(batch, path, error);
}

void imp_batch_set_output_dir(ImpBatch *batch, const char *dir)
{
    g_return_if_fail(batch != NULL);
    g_free(batch->output_dir);
    batch->output_dir = g_strdup(dir);
}

void imp_batch_set_kit_dir(ImpBatch *batch, const char *dir)
{
    g_return_if_fail(batch != NULL);
    g_free(batch->kit_dir);
    batch->kit_dir = g_strdup(dir);
}

gboolean imp_batch_set_pages(ImpBatch *batch, const char *range, GError **error)
{
    g_return_val_if_fail(batch != NULL, FALSE);
    if (range == NULL) {
        if (batch->ranges != NULL)
            g_array_free(batch->ranges, TRUE);
        batch->ranges = NULL;
        return TRUE;
    }
    GArray *ranges = g_array_new(FALSE, FALSE, sizeof(ImpPageRange));
    if (!imp__pages_parse(range, ranges, error)) {
        g_array_free(ranges, TRUE);
        return FALSE;
    }
    if (batch->ranges != NULL)
        g_array_free(batch->ranges, TRUE);
    batch->ranges = ranges;
    return TRUE;
}

gboolean imp_batch_set_shard(ImpBatch *batch, guint k, guint n, GError **error)
{
    g_return_val_if_fail(batch != NULL, FALSE);
    if (n < 1 || k < 1 || k > n) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "--shard %u/%u: expected K/N with 1 <= K <= N, such as 2/8", k, n);
        return FALSE;
    }
    batch->shard_k = k;
    batch->shard_n = n;
    return TRUE;
}

void imp_batch_set_done_func(ImpBatch *batch, ImpBatchDoneFunc func, gpointer user_data)
{
    g_return_if_fail(batch != NULL);
    batch->done_func = func;
    batch->done_data = user_data;
}

/* ---- the run ---- */

/* A document, or a share of its pages. */
typedef struct {
    ImpBatchItem *item;
    guint part, parts;
} Task;

typedef struct {
    ImpBatch *batch;
    Task *tasks;
    guint n_tasks;
    gint next;               /* atomic: the next task to take */
    guint n_done, n_failed;  /* under the batch's lock */
    gint64 start;
} Pool;

typedef struct {
    ImpWorker w;
    Pool *pool;
    GThread *thread;
    const ImpStyleDetector *detector; /* the caller's context's, shared */
} Worker;

/* A worker: its context, then tasks in order until none are left. */
static gpointer worker_main(gpointer data)
{
    Worker *wk = data;
    ImpBatch *batch = wk->pool->batch;
    GError *error = NULL;
    if (wk->w.ctx == NULL) {
        wk->w.ctx = imp_context_new(imp_context_get_data_dir(batch->ctx), &error);
        wk->w.own_ctx = TRUE;
        /* the same font setup as the caller's context: its added folders too */
        const GPtrArray *dirs = batch->ctx->font_dirs;
        for (guint i = 0; wk->w.ctx != NULL && i + 1 < dirs->len; i++)
            if (!imp_context_add_font_dir(wk->w.ctx, dirs->pdata[i], &error))
                g_clear_pointer(&wk->w.ctx, imp_context_free);
        if (wk->w.ctx != NULL)
            wk->w.ctx->detector = wk->detector; /* the caller's context outlives this one */
    }
    for (;;) {
        gint t = g_atomic_int_add(&wk->pool->next, 1);
        if (t >= (gint)wk->pool->n_tasks)
            break;
        Task *task = &wk->pool->tasks[t];
        if (wk->w.ctx != NULL) {
            imp__work_run(&wk->w, task->item, task->part, task->parts);
            continue;
        }
        /* no context (its folder went away): the task fails with the reason */
        pthread_mutex_lock(&batch->lock);
        if (task->item->error == NULL)
            task->item->error = g_error_copy(error);
        if (--task->item->parts_left == 0) {
            task->item->status = IMP_BATCH_FAILED;
            task->item->finished = TRUE;
            batch->n_finished++;
            batch->n_finished_failed++;
            pthread_cond_broadcast(&batch->cond);
        }
        pthread_mutex_unlock(&batch->lock);
    }
    g_clear_error(&error);
    if (wk->w.own_ctx)
        imp_context_free(wk->w.ctx);
    imp__render_scratch_free(wk->w.scratch);
    wk->w.scratch = NULL;
    return NULL;
}

/* The options that hold for `item`. */
static const ImpOptions *item_options(const ImpBatch *batch, const ImpBatchItem *item)
{
    return item->options != NULL ? item->options : batch->options;
}

/* Passes on a finished document's findings and calls the done function. */
static void deliver(ImpBatch *batch, ImpBatchItem *item)
{
    const ImpOptions *o = item_options(batch, item);
    for (guint i = 0; i < item->findings->len; i++) {
        const ImpFinding *f = &g_array_index(item->findings, ImpFinding, i);
        if (o->diag_func != NULL)
            o->diag_func(f->level, f->file, f->line, f->message, o->diag_data);
    }
    g_array_set_size(item->findings, 0);
    if (item->status == IMP_BATCH_FAILED)
        batch->n_failed++;
    if (batch->done_func != NULL)
        batch->done_func(item, batch->done_data);
}

/* Reports progress (the caller holds no lock). */
static void report_progress(Pool *pool, guint done, guint failed, gboolean finished)
{
    ImpBatch *batch = pool->batch;
    if (batch->options->progress_func == NULL)
        return;
    ImpProgress p = { .documents_total = batch->items->len };
    imp__progress_fill(&batch->sink, &p);
    p.documents_done = done;
    p.documents_failed = failed;
    p.finished = finished;
    batch->options->progress_func(&p, batch->options->progress_data);
}

/* The number of jobs the batch's options ask for (0: one per core). */
static guint jobs_of(const ImpOptions *o)
{
    int jobs = imp_options_get_jobs(o);
    return jobs > 0 ? (guint)jobs : MIN(MAX(g_get_num_processors(), 1u), (guint)IMP_JOBS_MAX);
}

/* The tasks: one per document, or with --pages and one document, `jobs` shares of its pages
 * (no more than the pages asked for, when the ranges say how many). */
static Task *make_tasks(ImpBatch *batch, guint jobs, guint *n_tasks)
{
    guint parts = 1;
    if (batch->items->len == 1 && batch->ranges != NULL && jobs > 1) {
        guint64 asked = 0;
        gboolean open = FALSE;
        for (guint i = 0; i < batch->ranges->len; i++) {
            const ImpPageRange *r = &g_array_index(batch->ranges, ImpPageRange, i);
            open = open || r->last == 0;
            asked += r->last == 0 ? 0 : r->last - r->first + 1;
        }
        parts = open ? jobs : (guint)MIN((guint64)jobs, MAX(asked, 1));
    }
    *n_tasks = batch->items->len * parts;
    Task *tasks = g_new0(Task, MAX(*n_tasks, 1));
    for (guint i = 0, t = 0; i < batch->items->len; i++) {
        ImpBatchItem *item = batch->items->pdata[i];
        item->parts = item->parts_left = parts;
        for (guint k = 0; k < parts; k++, t++)
            tasks[t] = (Task){ item, k, parts };
    }
    return tasks;
}

/* Makes `dir` and its parents; IMP_ERROR_OUTPUT naming it when it cannot. */
static gboolean make_dir(const char *dir, GError **error)
{
    if (dir == NULL || g_mkdir_with_parents(dir, 0777) == 0)
        return TRUE;
    int e = errno;
    g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s: cannot make the folder: %s", dir,
                g_strerror(e));
    return FALSE;
}

/* Keeps the shard's items. */
static void keep_shard(ImpBatch *batch)
{
    g_ptr_array_set_size(batch->items, 0);
    for (guint i = 0; i < batch->all->len; i++) {
        ImpBatchItem *item = batch->all->pdata[i];
        if (item->position % batch->shard_n == batch->shard_k - 1)
            g_ptr_array_add(batch->items, item);
    }
}

/* Waits for the documents in order, delivering each and reporting progress. */
static void deliver_all(Pool *pool)
{
    ImpBatch *batch = pool->batch;
    gint64 last = g_get_monotonic_time();
    guint next = 0;
    pthread_mutex_lock(&batch->lock);
    while (next < batch->items->len) {
        ImpBatchItem *item = batch->items->pdata[next];
        gboolean ready = item->finished;
        if (!ready) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_nsec += 100 * 1000 * 1000;
            if (ts.tv_nsec >= 1000 * 1000 * 1000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000 * 1000 * 1000;
            }
            pthread_cond_timedwait(&batch->cond, &batch->lock, &ts);
        }
        guint done = batch->n_finished, failed = batch->n_finished_failed;
        pthread_mutex_unlock(&batch->lock);
        if (ready) {
            deliver(batch, item);
            next++;
        }
        gint64 now = g_get_monotonic_time();
        if (now - last >= G_USEC_PER_SEC / 10) {
            report_progress(pool, done, failed, FALSE);
            last = now;
        }
        pthread_mutex_lock(&batch->lock);
    }
    pthread_mutex_unlock(&batch->lock);
}

/* Writes the kit's index for the documents written (a shard leaves it to
 * imp_kit_write_index()). */
static gboolean write_index(ImpBatch *batch, GError **error)
{
    if (batch->kit_dir == NULL || batch->shard_n > 1)
        return TRUE;
    GPtrArray *docs = g_ptr_array_new();
    for (guint i = 0; i < batch->items->len; i++) {
        ImpBatchItem *item = batch->items->pdata[i];
        if (item->status == IMP_BATCH_WRITTEN && item->kit_json != NULL)
            g_ptr_array_add(docs, item->kit_json);
    }
    const ImpOptions *o = batch->options;
    gint64 created = o->creation_time_set ? o->creation_time
                                          : g_get_real_time() / G_USEC_PER_SEC;
    gboolean ok = imp__kit_write_index(batch->kit_dir, docs, created, error);
    g_ptr_array_free(docs, TRUE);
    return ok;
}

gboolean imp_batch_run(ImpBatch *batch, GError **error)
{
    g_return_val_if_fail(batch != NULL && !batch->ran, FALSE);
    batch->ran = TRUE;
    if (!imp__names_check(batch, error))
        return FALSE;
    keep_shard(batch);
    if (!make_dir(batch->output_dir, error) || !make_dir(batch->kit_dir, error))
        return FALSE;
    /* the folders of outputs a manifest names */
    for (guint i = 0; i < batch->items->len; i++) {
        const ImpBatchItem *item = batch->items->pdata[i];
        const char *out = item->output != NULL ? item->output : item->stem;
        char *dir = out != NULL ? g_path_get_dirname(out) : NULL;
        gboolean made = dir == NULL || make_dir(dir, error);
        g_free(dir);
        if (!made)
            return FALSE;
    }
    if (batch->items->len > 0 && imp__context_get_fonts(batch->ctx, error) == NULL)
        return FALSE;

    guint jobs = jobs_of(batch->options);
    Pool pool = { .batch = batch };
    pool.tasks = make_tasks(batch, jobs, &pool.n_tasks);
    guint n_workers = MIN(jobs, pool.n_tasks);
    pthread_mutex_init(&batch->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&batch->cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&batch->style_lock, NULL);
    batch->styles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)imp_style_free);
    /* the site styles' detect rules, loaded once here and read by every worker */
    const ImpStyleDetector *detector = imp__context_get_detector(batch->ctx);
    memset(&batch->sink, 0, sizeof batch->sink);
    batch->n_finished = batch->n_finished_failed = 0;
    batch->sink.start = g_get_monotonic_time();

    Worker *workers = g_new0(Worker, MAX(n_workers, 1));
    for (guint i = 0; i < n_workers; i++) {
        Worker *wk = &workers[i];
        wk->pool = &pool;
        wk->w.batch = batch;
        wk->w.ctx = i == 0 ? batch->ctx : NULL;
        wk->w.scratch = imp__render_scratch_new();
        wk->detector = detector;
        /* a single document's layout gets every job; pages in parallel, one each */
        wk->w.layout_jobs = pool.n_tasks == 1 ? (int)jobs
                            : (int)MAX(1u, jobs / MAX(batch->items->len, 1u));
        if (pool.n_tasks > batch->items->len)
            wk->w.layout_jobs = 1;
        /* a thread that cannot be made (a process limit, no memory) leaves its share to
           the others; with none at all, the calling thread does the work itself */
        wk->thread = g_thread_try_new("imprint-batch", worker_main, wk, NULL);
    }
    guint started = 0;
    for (guint i = 0; i < n_workers; i++)
        started += workers[i].thread != NULL;
    if (started == 0 && n_workers > 0)
        worker_main(&workers[0]);
    deliver_all(&pool);
    for (guint i = 0; i < n_workers; i++)
        if (workers[i].thread != NULL)
            g_thread_join(workers[i].thread);
    g_free(workers);
    g_free(pool.tasks);
    g_hash_table_destroy(batch->styles);
    batch->styles = NULL;
    pthread_mutex_destroy(&batch->style_lock);
    pthread_cond_destroy(&batch->cond);
    pthread_mutex_destroy(&batch->lock);

    gboolean ok = write_index(batch, error);
    report_progress(&pool, batch->items->len, batch->n_failed, TRUE);
    return ok;
}

/* ---- results ---- */

guint imp_batch_get_n_items(const ImpBatch *batch)
{
    g_return_val_if_fail(batch != NULL, 0);
    return batch->items->len;
}

const ImpBatchItem *imp_batch_get_item(const ImpBatch *batch, guint index)
{
    g_return_val_if_fail(batch != NULL && index < batch->items->len, NULL);
    return batch->items->pdata[index];
}

guint imp_batch_get_n_failed(const ImpBatch *batch)
{
    g_return_val_if_fail(batch != NULL, 0);
    return batch->n_failed;
}

const char *imp_batch_item_get_input(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, NULL);
    return item->input;
}

guint imp_batch_item_get_position(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, 0);
    return item->position;
}

ImpBatchStatus imp_batch_item_get_status(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, IMP_BATCH_PENDING);
    return item->status;
}

const GError *imp_batch_item_get_error(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, NULL);
    return item->error;
}

guint imp_batch_item_get_n_pages(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, 0);
    return item->n_pages;
}

guint imp_batch_item_get_n_warnings(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, 0);
    return item->n_warnings;
}

double imp_batch_item_get_seconds(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, 0);
    return item->seconds;
}

guint imp_batch_item_get_n_outputs(const ImpBatchItem *item)
{
    g_return_val_if_fail(item != NULL, 0);
    return item->written->len;
}

const char *imp_batch_item_get_output(const ImpBatchItem *item, guint index,
                                      const char **sha256)
{
    g_return_val_if_fail(item != NULL && index < item->written->len, NULL);
    const ImpWritten *w = &g_array_index(item->written, ImpWritten, index);
    if (sha256 != NULL)
        *sha256 = w->sha256;
    return w->path;
}
