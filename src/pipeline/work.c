/* work.c — one document of a batch, on a worker thread: its style (from the batch's
 * cache), the stages with the worker's own context, and its outputs — one file, a file per
 * page, or a press kit's four — each hashed (SHA-256) as it is written.
 *
 * The steps are the one-call path's (typeset.c), in its order and with its policy, so each
 * output is byte-identical to what imp_typeset_file() writes for that document: only the
 * number of layout threads differs, which changes nothing in the output.
 *
 * Invariants:
 *  1. All or nothing per document: a document's files are written to temporary files and
 *     renamed into place only when all of them are complete; a document that fails leaves
 *     none of its files (with pages in parallel, page files already renamed by another part
 *     are removed when a part fails).
 *  2. Findings are held in the item, not reported from the worker; the batch passes them on
 *     from the calling thread in the batch's order (batch.c).
 *  3. A style is loaded once per run for a name and set of overrides, and shared: styles
 *     never change once loaded (imprint.h), so workers read one at once.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <nettle/sha2.h>
#include <string.h>

#include "batch.h"
#include "../util/error.h"
#include "../util/file.h"

void imp__written_clear(gpointer data)
{
    ImpWritten *w = data;
    g_free(w->path);
}

void imp__finding_clear(gpointer data)
{
    ImpFinding *f = data;
    g_free(f->file);
    g_free(f->message);
}

/* ---- findings ---- */

/* What a document's findings go to: its item, and the run's warning count. */
typedef struct {
    ImpBatchItem *item;      /* NULL: dropped (a part other than the first) */
    guint warnings;
} Held;

static void hold(ImpDiagLevel level, const char *file, guint line, const char *message,
                 gpointer user_data)
{
    Held *held = user_data;
    if (held->item == NULL)
        return;
    ImpFinding f = { level, g_strdup(file), line, g_strdup(message) };
    g_array_append_val(held->item->findings, f);
}

/* ---- styles ---- */

/* The style for this document: the options' style, else the detected site style, else
 * "default" (as imp__step_style), loaded once per run for a name and set of overrides
 * (transfer none: the batch's). */
static const ImpStyle *cached_style(ImpWorker *w, const char *data, gsize len,
                                    const char *name_of_input, ImpRun *run, GError **error)
{
    ImpBatch *batch = w->batch;
    const ImpOptions *o = run->options;
    /* detection once per run, with the detector every worker shares; reading does not
       detect again */
    imp__step_detect_site(w->ctx, data, len, name_of_input, run);
    const char *name = o->style;
    if (name == NULL)
        name = run->site;
    if (name == NULL)
        name = "default";
    GString *key = g_string_new(name);
    if (o->overrides != NULL)
        for (guint i = 0; i + 1 < o->overrides->len; i++)
            g_string_append_printf(key, "\n%s", (const char *)o->overrides->pdata[i]);
    pthread_mutex_lock(&batch->style_lock);
    ImpStyle *style = g_hash_table_lookup(batch->styles, key->str);
    if (style == NULL) {
        /* loaded with no diagnostics function: the finding is reported below, held */
        ImpOptions quiet = *o;
        quiet.diag_func = NULL;
        style = imp_style_new(w->ctx, name, &quiet, error);
        if (style != NULL)
            g_hash_table_insert(batch->styles, g_strdup(key->str), style);
    }
    pthread_mutex_unlock(&batch->style_lock);
    g_string_free(key, TRUE);
    if (style != NULL)
        imp_diag_report(&run->diag, IMP_DIAG_INFO, NULL, 0, "style: %s (%s)",
                        imp_style_get_name(style), imp_style_get_path(style));
    return style;
}

/* ---- outputs ---- */

/* An output being written, and its hash (nettle's SHA-256, which uses the processor's SHA
 * instructions where it has them: 0.23 ms for a press kit's 400 KB of files here, GLib's
 * 0.76 ms). */
typedef struct {
    ImpOutput *out;
    struct sha256_ctx sum;
    guint64 bytes;
    char *path;
    guint page;
} Sink;

static gboolean sink_write(gpointer data, const guchar *bytes, gsize len)
{
    Sink *s = data;
    imp_output_write(s->out, bytes, len);
    sha256_update(&s->sum, len, bytes);
    s->bytes += len;
    return TRUE;
}

static Sink *sink_open(const char *path, guint page, const ImpOptions *o, GError **error)
{
    ImpOutput *out = imp_output_open_full(path, imp__output_flags(o), error);
    if (out == NULL)
        return NULL;
    Sink *s = g_new0(Sink, 1);
    s->out = out;
    sha256_init(&s->sum);
    s->path = g_strdup(path);
    s->page = page;
    return s;
}

/* Removes a sink's temporary file, if it is still open. */
static void sink_free(gpointer data)
{
    Sink *s = data;
    imp_output_abort(s->out);
    g_free(s->path);
    g_free(s);
}

/* Renames a sink's file into place and records it in `written`. */
static gboolean sink_commit(Sink *s, GArray *written, GError **error)
{
    ImpOutput *out = s->out;
    s->out = NULL;
    if (!imp_output_commit(out, error))
        return FALSE;
    ImpWritten w = { g_strdup(s->path), "", s->bytes, s->page };
    guint8 digest[SHA256_DIGEST_SIZE];
    sha256_digest(&s->sum, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (gsize i = 0; i < sizeof digest; i++) {
        w.sha256[2 * i] = hex[digest[i] >> 4];
        w.sha256[2 * i + 1] = hex[digest[i] & 15];
    }
    w.sha256[2 * sizeof digest] = '\0';
    g_array_append_val(written, w);
    return TRUE;
}

/* Writes `text` into a new sink. */
static Sink *sink_text(const char *path, const char *text, const ImpOptions *o, GError **error)
{
    Sink *s = sink_open(path, 0, o, error);
    if (s != NULL)
        sink_write(s, (const guchar *)text, strlen(text));
    return s;
}

/* ---- one document ---- */

/* What a part makes, freed at its end. */
typedef struct {
    char *data;              /* the input, kept only when a PDF/A-3 embeds it */
    gsize len;
    const char *input;       /* its name */
    const ImpStyle *style;   /* the batch's */
    ImpDocument *doc;
    ImpLayout *layout;
    GPtrArray *sinks;        /* of Sink*, open until all are complete */
    GArray *written;         /* of ImpWritten: this part's files renamed into place */
} Part;

/* The strict-mode failure, as typeset.c words it. */
static gboolean check_strict(const ImpRun *run, const char *name, GError **error)
{
    if (!run->options->strict || run->warnings == 0)
        return TRUE;
    g_set_error(error, IMP_ERROR, IMP_ERROR_STRICT,
                "%s: %u problem%s reported; --strict writes no output", name, run->warnings,
                run->warnings == 1 ? "" : "s");
    return FALSE;
}

/* One output file of the options' format (whole document; typeset.c's finish()). */
static gboolean write_one(ImpWorker *w, ImpBatchItem *item, ImpRun *run, Part *p,
                          GError **error)
{
    (void)w;
    Sink *s = sink_open(item->output, 0, run->options, error);
    if (s == NULL)
        return FALSE;
    g_ptr_array_add(p->sinks, s);
    ImpArchiveSource source = { p->data, p->len, p->input };
    return imp__archive_render(p->layout, p->style, item->format, item->output, TRUE, run,
                               &source, sink_write, s, error);
}

/* Pages mode: this part's pages, one file each, renamed as each is complete. */
static gboolean write_pages(ImpWorker *w, ImpBatchItem *item, ImpRun *run, ImpOptions *o,
                            guint part, guint parts, Part *p, GError **error)
{
    guint n = imp_layout_get_n_pages(p->layout);
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(guint));
    gboolean ok = imp__pages_expand(w->batch->ranges, n, item->input, pages, error);
    for (guint i = part; ok && i < pages->len; i += parts) {
        guint page = g_array_index(pages, guint, i);
        char *path = imp__pages_file(item->stem, item->format, page, n);
        Sink *s = sink_open(path, page, o, error);
        g_free(path);
        o->first_page = page - 1;
        o->n_pages = 1;
        ok = s != NULL &&
             imp__step_render(p->layout, item->format, s->path, TRUE, run, sink_write, s,
                              error) &&
             check_strict(run, item->input, error) && sink_commit(s, p->written, error);
        if (s != NULL)
            sink_free(s);
    }
    g_array_free(pages, TRUE);
    return ok;
}

/* The resolution that makes a page `width` points wide IMP_KIT_PREVIEW_WIDTH pixels wide. */
static double preview_dpi(double width)
{
    return IMP_KIT_PREVIEW_WIDTH * 72.0 / width;
}

/* NAME.png of a kit: page 1, IMP_KIT_PREVIEW_WIDTH pixels wide, its colours rounded to fit
 * a palette where they can be. */
static gboolean write_preview(ImpRun *run, ImpOptions *o, Part *p, const char *png, Sink *s,
                              GError **error)
{
    double width, height;
    imp_layout_get_page_size(p->layout, &width, &height);
    o->first_page = 0;
    o->n_pages = 1;
    o->dpi = preview_dpi(width);
    run->png_round_bits = IMP_KIT_PREVIEW_ROUND_BITS;
    gboolean ok = imp__step_render(p->layout, IMP_FORMAT_PNG, png, FALSE, run, sink_write, s,
                                   error);
    run->png_round_bits = 0;
    return ok;
}

/* A press kit: NAME.png, NAME.pdf, NAME.txt, NAME.json.
 *
 * cairo 1.16 composites the glyphs of an image under one lock for the whole process (its
 * glyph cache), so two workers drawing previews at once wait for each other: a worker
 * that finds another drawing one writes its PDF first, keeping page 1 for the preview
 * (the PDF releases each page once drawn), and draws the preview after. The files are the
 * same either way. */
static gboolean write_kit(ImpWorker *w, ImpBatchItem *item, ImpRun *run, ImpOptions *o,
                          Part *p, GError **error)
{
    ImpBatch *batch = w->batch;
    double width, height;
    imp_layout_get_page_size(p->layout, &width, &height);
    char *png = imp__kit_file(batch, item, "png");
    char *pdf = imp__kit_file(batch, item, "pdf");
    char *txt = imp__kit_file(batch, item, "txt");
    char *json = imp__kit_file(batch, item, "json");
    gboolean ok = FALSE;
    Sink *s_png = NULL, *s_pdf = NULL, *s_txt = NULL, *s_json = NULL;
    guint64 n_chars = 0;
    char *text = NULL;

    if ((s_png = sink_open(png, 0, o, error)) == NULL)
        goto done;
    g_ptr_array_add(p->sinks, s_png);
    if ((s_pdf = sink_open(pdf, 0, o, error)) == NULL)
        goto done;
    g_ptr_array_add(p->sinks, s_pdf);
    gboolean preview_first = g_atomic_int_compare_and_exchange(&batch->previewing, 0, 1);
    if (preview_first) {
        gboolean drawn = write_preview(run, o, p, png, s_png, error);
        g_atomic_int_set(&batch->previewing, 0);
        if (!drawn)
            goto done;
    }
    run->keep_first_page = !preview_first;
    o->first_page = 0;
    o->n_pages = 0;
    ImpArchiveSource source = { p->data, p->len, p->input };
    gboolean written = imp__archive_render(p->layout, p->style, IMP_FORMAT_PDF, pdf, TRUE, run,
                                           &source, sink_write, s_pdf, error);
    run->keep_first_page = FALSE;
    if (!written || (!preview_first && !write_preview(run, o, p, png, s_png, error)))
        goto done;
    text = imp__kit_text(p->doc, &n_chars);
    if ((s_txt = sink_text(txt, text, o, error)) == NULL)
        goto done;
    g_ptr_array_add(p->sinks, s_txt);
    if (!check_strict(run, item->input, error))
        goto done;
    /* NAME.json names the other three with their hashes: rename them first */
    GArray *files = p->written;
    if (!sink_commit(s_pdf, files, error) || !sink_commit(s_png, files, error) ||
        !sink_commit(s_txt, files, error))
        goto done;
    double scale = preview_dpi(width) / 72.0; /* as the render stage sizes the image */
    JsonObject *meta = imp__kit_document_json(p->doc, item->kit_name, item->position,
                                              imp_layout_get_n_pages(p->layout), n_chars, files,
                                              (guint)(width * scale + 0.5),
                                              (guint)(height * scale + 0.5),
                                              imp_style_get_document(p->style)->language);
    JsonNode *node = json_node_init_object(json_node_alloc(), meta);
    char *meta_text = imp__json_to_string(node);
    json_node_unref(node);
    s_json = sink_text(json, meta_text, o, error);
    g_free(meta_text);
    if (s_json != NULL) {
        g_ptr_array_add(p->sinks, s_json);
        ok = sink_commit(s_json, files, error);
    }
    if (ok)
        item->kit_json = meta;
    else
        json_object_unref(meta);
done:
    g_free(text);
    g_free(png);
    g_free(pdf);
    g_free(txt);
    g_free(json);
    return ok;
}

/* Removes the files a failed document already renamed into place (invariant 1). */
static void remove_written(GArray *written)
{
    for (guint i = 0; i < written->len; i++)
        g_unlink(g_array_index(written, ImpWritten, i).path);
    g_array_set_size(written, 0);
}

static gint compare_written(gconstpointer a, gconstpointer b)
{
    const ImpWritten *x = a, *y = b;
    return x->page < y->page ? -1 : x->page > y->page;
}

void imp__work_run(ImpWorker *w, ImpBatchItem *item, guint part, guint parts)
{
    ImpBatch *batch = w->batch;
    gint64 start = g_get_monotonic_time();
    const ImpOptions *given = item->options != NULL ? item->options : batch->options;
    /* a shallow copy: this part's findings are held, its layout uses the worker's share of
       the threads, and the pages drawn are set per output */
    ImpOptions o = *given;
    Held held = { part == 0 ? item : NULL, 0 };
    o.diag_func = hold;
    o.diag_data = &held;
    o.jobs = w->layout_jobs;
    ImpRun run;
    imp__run_init(&run, &o);
    run.scratch = w->scratch;
    /* a share of a document's pages counts the pages it draws, not those it sets again */
    ImpProgressSink share = { .drawn_to = &batch->sink };
    run.progress = part == 0 ? &batch->sink : &share;
    Part p = { 0 };
    p.sinks = g_ptr_array_new_with_free_func(sink_free);
    p.written = g_array_new(FALSE, TRUE, sizeof(ImpWritten));
    g_array_set_clear_func(p.written, imp__written_clear);
    GError *error = NULL;
    gsize len = 0;
    p.input = item->input;

    gboolean ok = (item->output == NULL ||
                   imp__output_is_not_input(item->input, item->output, &error)) &&
                  imp_file_load(item->input, &p.data, &len, &error) &&
                  (p.style = cached_style(w, p.data, len, item->input, &run, &error)) != NULL;
    p.len = len;
    if (ok && item->format == IMP_FORMAT_PNG && item->kit_name == NULL) {
        const ImpPageStyle *page = imp_style_get_page(p.style);
        ok = imp__check_png_size(page->width, page->height, o.dpi,
                                 item->output != NULL ? item->output : item->stem, &error);
    }
    ok = ok && (p.doc = imp__step_read(w->ctx, p.data, len, item->input, p.style, &run,
                                       &error)) != NULL;
    /* the document holds what it needs, but for a PDF/A-3, which embeds the input (as
       the one-document path, typeset.c) */
    if (p.style == NULL ||
        !imp__archive_embeds_input(&o, p.style,
                                   item->kit_name != NULL ? IMP_FORMAT_PDF : item->format))
        g_clear_pointer(&p.data, g_free);
    ok = ok && (p.layout = imp__step_layout(w->ctx, p.doc, p.style, &run, &error)) != NULL &&
         check_strict(&run, item->input, &error);
    if (ok) {
        if (item->kit_name != NULL)
            ok = write_kit(w, item, &run, &o, &p, &error);
        else if (item->stem != NULL)
            ok = write_pages(w, item, &run, &o, part, parts, &p, &error);
        else
            ok = write_one(w, item, &run, &p, &error) && check_strict(&run, item->input, &error) &&
                 sink_commit(p.sinks->pdata[0], p.written, &error);
    }
    if (!ok)
        remove_written(p.written);
    g_ptr_array_free(p.sinks, TRUE); /* removes what was not renamed */

    pthread_mutex_lock(&batch->lock);
    if (part == 0) {
        item->n_pages = p.layout != NULL ? imp_layout_get_n_pages(p.layout) : 0;
        item->n_warnings = run.warnings;
    }
    item->seconds = MAX(item->seconds, (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC);
    if (ok) {
        g_array_append_vals(item->written, p.written->data, p.written->len);
        g_array_set_clear_func(p.written, NULL); /* the item has the strings now */
    } else if (item->error == NULL || part < item->error_part) {
        /* of parts that fail, the first part's error is reported, whatever the timing */
        g_clear_error(&item->error);
        item->error = error;
        item->error_part = part;
        error = NULL;
    }
    item->parts_left--;
    if (item->parts_left == 0) {
        if (item->error != NULL) {
            remove_written(item->written); /* a failed part fails the document */
            item->status = IMP_BATCH_FAILED;
            if (item->kit_json != NULL)
                g_clear_pointer(&item->kit_json, json_object_unref);
        } else {
            g_array_sort(item->written, compare_written);
            item->status = IMP_BATCH_WRITTEN;
        }
        item->finished = TRUE;
        batch->n_finished++;
        batch->n_finished_failed += item->status == IMP_BATCH_FAILED;
        pthread_cond_broadcast(&batch->cond);
    }
    pthread_mutex_unlock(&batch->lock);

    g_clear_error(&error);
    g_array_free(p.written, TRUE);
    imp_layout_free(p.layout);
    imp_document_free(p.doc);
    g_free(p.data);
    imp__run_clear(&run);
}
