/* pool.c — worker threads that do numbered jobs ahead while the caller takes the results in
 * job order.
 *
 * The layout sets paragraphs on workers and merges them in document order; this file knows
 * nothing of paragraphs: a job is an index, a worker has a state it made on its own thread
 * (a Pango context, for the layout), and a result is a pointer. Workers claim batches of
 * consecutive jobs, never more than a window ahead of the job the caller takes next, and
 * slot each result by its index; the caller waits for the result it needs.
 *
 * When a thread cannot be started (a process at its thread limit), the pool goes on with the
 * workers it has; with none, imp__pool_take() runs each job on the caller's thread. Results
 * depend only on the job, never on the thread, so the caller sees the same results either
 * way.
 *
 * Invariants:
 *  1. Results are taken in job order, each once.
 *  2. A worker is at most `window` jobs ahead of the caller's next take, which bounds the
 *     memory held by finished results waiting for an earlier, longer job.
 *  3. Everything shared is under `lock`; a worker runs its jobs outside it, on its own state.
 *  4. The workers' states are freed by the caller after the workers are joined
 *     (imp__pool_free returns them), since results may point into them.
 */
#include "layout-private.h"

#include <pthread.h>
#include <string.h>

/* Jobs a worker may be ahead of the take, per worker: bounds the memory held by finished
 * results that wait for an earlier, longer one. */
#define WINDOW_PER_WORKER 128

/* A worker claims consecutive jobs up to this many, or this much cost (bytes of text), at a
 * time: one wake-up of the caller per batch, not per job (waking it per paragraph preempted
 * the workers tens of thousands of times on a 1,000-page text). */
#define BATCH_JOBS 32
#define BATCH_COST 16384

typedef struct {
    gpointer result;
    gboolean done;
} Slot;

struct ImpPool {
    ImpPoolSpec spec;
    guint n_jobs;
    Slot *slots;            /* by job index */
    guint window;
    /* POSIX, not GMutex/GCond: GLib's are futexes on Linux, invisible to ThreadSanitizer,
       which then reports every hand-over as a race and hides real ones */
    pthread_mutex_t lock;
    pthread_cond_t done_cond; /* the result the caller waits for is done */
    pthread_cond_t room_cond; /* the window has room again */
    guint next_claim;       /* under lock */
    guint next_take;        /* under lock (written by the caller only) */
    gboolean caller_waiting;/* under lock: the caller waits for slots[next_take] */
    guint workers_waiting;  /* under lock: workers waiting for room */
    GPtrArray *threads;     /* GThread* */
};

/* The cost of job i. */
static gsize job_cost(const ImpPool *pool, guint i)
{
    return pool->spec.cost != NULL ? pool->spec.cost[i] : 1;
}

/* A worker: makes its state, then runs claimed batches until none are left. Returns its
 * state (transfer full). */
static gpointer worker_main(gpointer data)
{
    ImpPool *pool = data;
    gpointer state = pool->spec.start != NULL ? pool->spec.start(pool->spec.data) : NULL;
    gpointer *batch = g_new0(gpointer, BATCH_JOBS);
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
        gsize cost = 0;
        while (end < pool->n_jobs && end - first < BATCH_JOBS &&
               end < pool->next_take + pool->window && cost < BATCH_COST) {
            cost += job_cost(pool, end);
            end++;
        }
        pool->next_claim = end;
        pthread_mutex_unlock(&pool->lock);
        for (guint i = first; i < end; i++)
            batch[i - first] = pool->spec.run(state, i, pool->spec.data);
        pthread_mutex_lock(&pool->lock);
        for (guint i = first; i < end; i++) {
            pool->slots[i].result = batch[i - first];
            pool->slots[i].done = TRUE;
        }
        if (pool->caller_waiting && pool->slots[pool->next_take].done)
            pthread_cond_signal(&pool->done_cond);
    }
    pthread_mutex_unlock(&pool->lock);
    g_free(batch);
    return state;
}

/* Starts the workers; see layout-private.h. */
ImpPool *imp__pool_new(const ImpPoolSpec *spec, guint n_jobs, guint n_threads,
                       GError **error)
{
    g_return_val_if_fail(spec != NULL && spec->run != NULL, NULL);
    ImpPool *pool = g_new0(ImpPool, 1);
    pool->spec = *spec;
    pool->n_jobs = n_jobs;
    pool->slots = g_new0(Slot, MAX(n_jobs, 1));
    pool->window = WINDOW_PER_WORKER * MAX(n_threads, 1);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->done_cond, NULL);
    pthread_cond_init(&pool->room_cond, NULL);
    pool->threads = g_ptr_array_new();
    for (guint t = 0; t < n_threads; t++) {
        GError *err = NULL;
        GThread *thread = spec->spawn != NULL
                              ? spec->spawn("imprint-layout", worker_main, pool, &err)
                              : g_thread_try_new("imprint-layout", worker_main, pool, &err);
        if (thread == NULL) {
            /* go on with fewer workers: the results are the same */
            if (err == NULL)
                g_set_error(&err, G_THREAD_ERROR, G_THREAD_ERROR_AGAIN,
                            "cannot start a thread");
            g_propagate_prefixed_error(error, err,
                                       "worker thread %u of %u not started: ", t + 1,
                                       n_threads);
            break;
        }
        g_ptr_array_add(pool->threads, thread);
    }
    return pool;
}

guint imp__pool_get_n_threads(const ImpPool *pool)
{
    g_return_val_if_fail(pool != NULL, 0);
    return pool->threads->len;
}

/* The next result in job order; see layout-private.h. Waiting workers are woken once half
 * the window is free, not at every result taken. */
gpointer imp__pool_take(ImpPool *pool, gpointer main_state, gboolean *by_worker)
{
    g_return_val_if_fail(pool != NULL && pool->next_take < pool->n_jobs, NULL);
    guint i = pool->next_take; /* only this thread writes it */
    if (pool->threads->len == 0) {
        pool->next_take = i + 1;
        if (by_worker != NULL)
            *by_worker = FALSE;
        return pool->spec.run(main_state, i, pool->spec.data);
    }
    pthread_mutex_lock(&pool->lock);
    pool->caller_waiting = TRUE;
    while (!pool->slots[i].done)
        pthread_cond_wait(&pool->done_cond, &pool->lock);
    pool->caller_waiting = FALSE;
    gpointer result = pool->slots[i].result;
    pool->slots[i].result = NULL;
    pool->next_take = i + 1;
    if (pool->workers_waiting > 0 &&
        (pool->next_claim < pool->next_take + pool->window / 2 ||
         pool->next_take == pool->next_claim))
        pthread_cond_broadcast(&pool->room_cond);
    pthread_mutex_unlock(&pool->lock);
    if (by_worker != NULL)
        *by_worker = TRUE;
    return result;
}

/* Stops and joins the workers; see layout-private.h. Jobs not yet claimed are never run. */
GPtrArray *imp__pool_free(ImpPool *pool)
{
    GPtrArray *states = g_ptr_array_new();
    if (pool == NULL)
        return states;
    pthread_mutex_lock(&pool->lock);
    pool->n_jobs = MIN(pool->n_jobs, pool->next_claim); /* no more claims */
    pthread_cond_broadcast(&pool->room_cond);
    pthread_mutex_unlock(&pool->lock);
    for (guint t = 0; t < pool->threads->len; t++)
        g_ptr_array_add(states, g_thread_join(pool->threads->pdata[t]));
    GDestroyNotify free_result = pool->spec.free_result ? pool->spec.free_result : g_free;
    for (guint i = pool->next_take; i < pool->n_jobs; i++)
        if (pool->slots[i].result != NULL)
            free_result(pool->slots[i].result);
    g_ptr_array_free(pool->threads, TRUE);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->done_cond);
    pthread_cond_destroy(&pool->room_cond);
    g_free(pool->slots);
    g_free(pool);
    return states;
}
