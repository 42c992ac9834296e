/* progress.c — how far a call has come: pages set by the layout, pages drawn by the render,
 * counted for whoever asked (imp_options_set_progress_func()).
 *
 * The stages report into an ImpProgressSink through the run: the layout as it finishes
 * pages, the render after each page drawn (its page_drawn callback). The counters are
 * atomic, because in a batch the stages run on worker threads while the batch's own
 * thread reads them (batch.c). A one-document call has no other thread: its sink calls the
 * options' function itself, from the calling thread, when a tenth of a second has passed
 * since the last call.
 *
 * Invariant: reporting changes nothing in the output; a run nobody watches has no sink
 * (run->progress is NULL) and pays one test per page.
 */
#include <string.h>

#include "pipeline.h"

/* At most this many calls a second (microseconds between two). */
#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 10)

void imp__progress_fill(ImpProgressSink *sink, ImpProgress *p)
{
    p->pages_set = (guint)g_atomic_int_get(&sink->pages_set);
    p->pages_drawn = (guint)g_atomic_int_get(&sink->pages_drawn);
    p->pages_to_draw = (guint)g_atomic_int_get(&sink->pages_to_draw);
    p->documents_set = (guint)g_atomic_int_get(&sink->documents_set);
    p->seconds = (double)(g_get_monotonic_time() - sink->start) / G_USEC_PER_SEC;
}

/* Calls a one-document call's function: when `force`, or when the interval has passed. */
static void call(ImpProgressSink *sink, gboolean force, gboolean finished, gboolean failed)
{
    if (sink == NULL || sink->func == NULL)
        return;
    gint64 now = g_get_monotonic_time();
    if (!force && now - sink->last < PROGRESS_INTERVAL)
        return;
    sink->last = now;
    ImpProgress p = { .documents_total = 1 };
    imp__progress_fill(sink, &p);
    p.documents_done = finished ? 1 : 0;
    p.documents_failed = finished && failed ? 1 : 0;
    p.finished = finished;
    sink->func(&p, sink->data);
}

void imp__progress_start(ImpRun *run)
{
    if (run->options->progress_func == NULL) {
        run->progress = NULL;
        return;
    }
    ImpProgressSink *sink = &run->own_progress;
    memset(sink, 0, sizeof *sink);
    sink->func = run->options->progress_func;
    sink->data = run->options->progress_data;
    sink->start = sink->last = g_get_monotonic_time();
    run->progress = sink;
}

void imp__progress_finish(ImpRun *run, gboolean failed)
{
    call(run->progress, TRUE, TRUE, failed);
}

void imp__progress_pages_set(ImpRun *run, guint n, gboolean done)
{
    if (run->progress == NULL)
        return;
    g_atomic_int_add(&run->progress->pages_set, (gint)n);
    if (done)
        g_atomic_int_inc(&run->progress->documents_set);
    call(run->progress, FALSE, FALSE, FALSE);
}

void imp__progress_pages_to_draw(ImpRun *run, guint n)
{
    for (ImpProgressSink *s = run->progress; s != NULL; s = s->drawn_to)
        g_atomic_int_add(&s->pages_to_draw, (gint)n);
}

void imp__progress_page_drawn(gpointer data)
{
    ImpRun *run = data;
    for (ImpProgressSink *s = run->progress; s != NULL; s = s->drawn_to)
        g_atomic_int_inc(&s->pages_drawn);
    call(run->progress, FALSE, FALSE, FALSE);
}

void imp__progress_layout_pages(gpointer data, guint pages_finished)
{
    ImpRun *run = data;
    if (pages_finished > run->layout_pages) {
        imp__progress_pages_set(run, pages_finished - run->layout_pages, FALSE);
        run->layout_pages = pages_finished;
    }
}
