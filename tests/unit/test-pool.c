/* test-pool.c — unit tests of the layout's worker pool (pool.c), without fonts: results come
 * back in job order whatever the threads; a pool without threads runs each job on the
 * caller's thread; when threads cannot be started it goes on with fewer (issue 15) or none,
 * with the same results; workers stay within their window; a pool freed early frees the
 * results never taken.
 */
#include <string.h>

#include "layout/layout-private.h"

typedef struct {
    gint ran;               /* jobs run (atomic) */
    gint freed;             /* results freed by the pool (atomic) */
    gint taken;             /* jobs the test has started to take, +1 (atomic) */
    guint window;           /* how far a worker may be ahead of the take */
    gint too_far;           /* jobs run further ahead than the window (atomic) */
    GRand *rand;            /* per test; read under `lock` */
    GMutex lock;
} Counters;

/* A worker's state: the thread it runs on. */
static gpointer start(gpointer data)
{
    (void)data;
    return g_thread_self();
}

/* A job's result: its number squared plus one, computed after a short random pause so that
 * jobs finish out of order. */
static gpointer run(gpointer state, guint job, gpointer data)
{
    Counters *c = data;
    g_atomic_int_inc(&c->ran);
    if (c->window > 0 && job >= (guint)g_atomic_int_get(&c->taken) + c->window)
        g_atomic_int_inc(&c->too_far);
    g_mutex_lock(&c->lock);
    gulong pause = (gulong)g_rand_int_range(c->rand, 0, 200);
    g_mutex_unlock(&c->lock);
    g_usleep(pause);
    guint64 *r = g_new(guint64, 2);
    r[0] = (guint64)job * job + 1;
    r[1] = GPOINTER_TO_SIZE(state);
    return r;
}

static void free_result(gpointer r)
{
    g_free(r);
}

static Counters *counters_new(void)
{
    Counters *c = g_new0(Counters, 1);
    c->rand = g_rand_new_with_seed(5);
    g_mutex_init(&c->lock);
    return c;
}

static void counters_free(Counters *c)
{
    g_rand_free(c->rand);
    g_mutex_clear(&c->lock);
    g_free(c);
}

/* Counts free_result calls. */
static Counters *freeing;
static void count_free(gpointer r)
{
    g_atomic_int_inc(&freeing->freed);
    g_free(r);
}

static ImpPoolSpec spec_for(Counters *c)
{
    ImpPoolSpec spec = { 0 };
    spec.start = start;
    spec.run = run;
    spec.free_result = free_result;
    spec.data = c;
    return spec;
}

/* Takes every result of `pool` in order and checks each; returns how many a worker ran. */
static guint take_all(ImpPool *pool, Counters *c, guint n_jobs, gpointer main_state)
{
    guint by_workers = 0;
    for (guint i = 0; i < n_jobs; i++) {
        g_atomic_int_set(&c->taken, (gint)i + 1);
        gboolean by_worker = FALSE;
        guint64 *r = imp__pool_take(pool, main_state, &by_worker);
        g_assert_nonnull(r);
        g_assert_cmpuint(r[0], ==, (guint64)i * i + 1);
        if (by_worker) {
            by_workers++;
            g_assert_cmpuint(r[1], !=, GPOINTER_TO_SIZE(g_thread_self()));
        } else {
            g_assert_cmpuint(r[1], ==, GPOINTER_TO_SIZE(main_state));
        }
        g_free(r);
    }
    return by_workers;
}

/* Three workers, jobs finishing out of order: results are taken in job order. */
static void test_order(void)
{
    Counters *c = counters_new();
    c->window = 128 * 3;
    ImpPoolSpec spec = spec_for(c);
    GError *error = NULL;
    ImpPool *pool = imp__pool_new(&spec, 2000, 3, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(imp__pool_get_n_threads(pool), ==, 3);
    g_assert_cmpuint(take_all(pool, c, 2000, NULL), ==, 2000);
    GPtrArray *states = imp__pool_free(pool);
    g_assert_cmpuint(states->len, ==, 3);
    g_ptr_array_free(states, TRUE);
    g_assert_cmpint(c->ran, ==, 2000);
    g_assert_cmpint(c->too_far, ==, 0);
    counters_free(c);
}

/* No threads: each job runs on the caller's thread, with the state the caller gives. */
static void test_no_threads(void)
{
    Counters *c = counters_new();
    ImpPoolSpec spec = spec_for(c);
    ImpPool *pool = imp__pool_new(&spec, 50, 0, NULL);
    g_assert_cmpuint(imp__pool_get_n_threads(pool), ==, 0);
    g_assert_cmpuint(take_all(pool, c, 50, g_thread_self()), ==, 0);
    GPtrArray *states = imp__pool_free(pool);
    g_assert_cmpuint(states->len, ==, 0);
    g_ptr_array_free(states, TRUE);
    counters_free(c);
}

/* A thread starter that fails from its `limit`-th call on, as a process at its limit of
 * threads would. */
static guint spawn_calls, spawn_limit;
static GThread *spawn_limited(const char *name, GThreadFunc func, gpointer data,
                              GError **error)
{
    if (++spawn_calls > spawn_limit) {
        g_set_error(error, G_THREAD_ERROR, G_THREAD_ERROR_AGAIN,
                    "Error creating thread: Resource temporarily unavailable");
        return NULL;
    }
    return g_thread_try_new(name, func, data, error);
}

/* When the second of three threads cannot be started, the pool works with one, says why,
 * and gives the same results; when none can, the caller's thread does every job. */
static void test_spawn_fails(void)
{
    for (guint limit = 0; limit <= 2; limit++) {
        Counters *c = counters_new();
        ImpPoolSpec spec = spec_for(c);
        spec.spawn = spawn_limited;
        spawn_calls = 0;
        spawn_limit = limit;
        GError *error = NULL;
        ImpPool *pool = imp__pool_new(&spec, 300, 3, &error);
        g_assert_error(error, G_THREAD_ERROR, G_THREAD_ERROR_AGAIN);
        char *want = g_strdup_printf("worker thread %u of 3 not started", limit + 1);
        g_assert_nonnull(strstr(error->message, want));
        g_free(want);
        g_error_free(error);
        g_assert_cmpuint(imp__pool_get_n_threads(pool), ==, limit);
        guint by_workers = take_all(pool, c, 300, g_thread_self());
        g_assert_cmpuint(by_workers, ==, limit > 0 ? 300 : 0);
        GPtrArray *states = imp__pool_free(pool);
        g_assert_cmpuint(states->len, ==, limit);
        g_ptr_array_free(states, TRUE);
        g_assert_cmpint(c->ran, ==, 300);
        counters_free(c);
    }
}

/* A pool freed after a few takes stops its workers and frees the results not taken;
 * workers never ran further ahead than the window. */
static void test_early_free(void)
{
    Counters *c = counters_new();
    c->window = 128 * 2;
    freeing = c;
    ImpPoolSpec spec = spec_for(c);
    spec.free_result = count_free;
    ImpPool *pool = imp__pool_new(&spec, 100000, 2, NULL);
    g_assert_cmpuint(imp__pool_get_n_threads(pool), ==, 2);
    take_all(pool, c, 10, NULL);
    GPtrArray *states = imp__pool_free(pool);
    g_ptr_array_free(states, TRUE);
    g_assert_cmpint(c->too_far, ==, 0);
    g_assert_cmpint(c->ran, <=, 10 + 128 * 2);
    g_assert_cmpint(c->freed, ==, c->ran - 10);
    freeing = NULL;
    counters_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pool/order", test_order);
    g_test_add_func("/pool/no-threads", test_no_threads);
    g_test_add_func("/pool/spawn-fails", test_spawn_fails);
    g_test_add_func("/pool/early-free", test_early_free);
    return g_test_run();
}
