/* test-batch.c — ImpBatch as a program uses it: linked to libimprint.so, including
 * <imprint/imprint.h> only.
 *
 * What is checked: a batch's outputs are imp_typeset_file()'s bytes, for one job and two;
 * its callbacks (findings, done, progress) come on the calling thread, in the batch's order,
 * the same for any jobs; a failed document does not stop the others and says why; the
 * report names every output with its SHA-256; names that collide are refused before
 * anything is written; a shard keeps its share; a manifest's per-document settings apply;
 * a kit's index can be written again from its folder.
 *
 * Text: examples/speech.txt, and a Chinese sentence from the zh_CN ls(1) manual page in
 * Debian's manpages-zh (as test-api.c), with U+E000, which no font has, for a warning.
 */
#include <glib/gstdio.h>
#include <string.h>

#include <imprint/imprint.h>

#define CREATED 1700000000

static const char mixed[] = "Mixed text\n\n"
                            "The ls command (列出目录内容) lists files \xee\x80\x80: 列出 FILE 的信息。\n";

static ImpContext *context(void)
{
    GError *error = NULL;
    ImpContext *ctx = imp_context_new(IMP_SOURCE_DIR, &error);
    g_assert_no_error(error);
    return ctx;
}

/* What the callbacks saw. */
typedef struct {
    GThread *thread;
    GString *log;            /* "diag:LEVEL:FILE:MESSAGE\n" and "done:INPUT:STATUS\n" */
    guint progress_calls;
    gboolean finished_seen;
    guint last_done;
} Seen;

static void on_diag(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    Seen *seen = user_data;
    g_assert_true(g_thread_self() == seen->thread);
    if (level == IMP_DIAG_WARNING)
        g_string_append_printf(seen->log, "diag:%s:%u:%s\n", file != NULL ? file : "", line,
                               message);
}

static void on_done(const ImpBatchItem *item, gpointer user_data)
{
    Seen *seen = user_data;
    g_assert_true(g_thread_self() == seen->thread);
    g_string_append_printf(seen->log, "done:%s:%d\n", imp_batch_item_get_input(item),
                           imp_batch_item_get_status(item));
}

static void on_progress(const ImpProgress *p, gpointer user_data)
{
    Seen *seen = user_data;
    g_assert_true(g_thread_self() == seen->thread);
    g_assert_false(seen->finished_seen);
    g_assert_cmpuint(p->documents_done, <=, p->documents_total);
    g_assert_cmpuint(p->documents_done, >=, seen->last_done);
    seen->last_done = p->documents_done;
    seen->progress_calls++;
    if (p->finished) {
        seen->finished_seen = TRUE;
        g_assert_cmpuint(p->documents_done, ==, p->documents_total);
    }
}

static char *write_file(const char *dir, const char *name, const char *text, gssize len)
{
    char *path = g_build_filename(dir, name, NULL);
    GError *error = NULL;
    g_assert_true(g_file_set_contents(path, text, len, &error));
    g_assert_no_error(error);
    return path;
}

static GBytes *read_bytes(const char *path)
{
    char *data;
    gsize len;
    GError *error = NULL;
    g_assert_true(g_file_get_contents(path, &data, &len, &error));
    g_assert_no_error(error);
    return g_bytes_new_take(data, len);
}

static ImpOptions *options_new(Seen *seen, int jobs)
{
    GError *error = NULL;
    ImpOptions *o = imp_options_new();
    g_assert_true(imp_options_set_creation_time(o, CREATED, &error));
    g_assert_true(imp_options_set_jobs(o, jobs, &error));
    g_assert_no_error(error);
    imp_options_set_diag_func(o, on_diag, seen);
    imp_options_set_progress_func(o, on_progress, seen);
    return o;
}

/* Three inputs (the speech, the mixed text, a missing file) in `dir`. */
static char **inputs(const char *dir)
{
    char *speech;
    gsize len;
    g_assert_true(g_file_get_contents(IMP_SOURCE_DIR "/examples/speech.txt", &speech, &len, NULL));
    char **in = g_new0(char *, 4);
    in[0] = write_file(dir, "speech.txt", speech, (gssize)len);
    in[1] = write_file(dir, "mixed.txt", mixed, -1);
    in[2] = g_build_filename(dir, "missing.txt", NULL);
    g_free(speech);
    return in;
}

/* A batch's outputs and messages are one-document runs', for one job and two. */
static void test_batch_is_single(void)
{
    char *dir = g_dir_make_tmp("imp-batch-XXXXXX", NULL);
    char **in = inputs(dir);
    ImpContext *ctx = context();
    GString *logs[2];
    for (int jobs = 1; jobs <= 2; jobs++) {
        Seen seen = { g_thread_self(), g_string_new(NULL), 0, FALSE, 0 };
        ImpOptions *o = options_new(&seen, jobs);
        ImpBatch *batch = imp_batch_new(ctx, o);
        char *out_dir = g_strdup_printf("%s/out%d", dir, jobs);
        imp_batch_set_output_dir(batch, out_dir);
        imp_batch_set_done_func(batch, on_done, &seen);
        GError *error = NULL;
        for (int i = 0; i < 3; i++)
            g_assert_true(imp_batch_add(batch, in[i], NULL, NULL, &error));
        g_assert_cmpuint(imp_batch_get_n_items(batch), ==, 3);
        g_assert_true(imp_batch_run(batch, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(imp_batch_get_n_failed(batch), ==, 1);
        g_assert_true(seen.finished_seen);

        const ImpBatchItem *missing = imp_batch_get_item(batch, 2);
        g_assert_cmpint(imp_batch_item_get_status(missing), ==, IMP_BATCH_FAILED);
        g_assert_error(imp_batch_item_get_error(missing), IMP_ERROR, IMP_ERROR_INPUT);
        g_assert_nonnull(strstr(imp_batch_item_get_error(missing)->message, "missing.txt"));
        g_assert_cmpuint(imp_batch_item_get_n_outputs(missing), ==, 0);

        for (int i = 0; i < 2; i++) {
            const ImpBatchItem *item = imp_batch_get_item(batch, (guint)i);
            g_assert_cmpint(imp_batch_item_get_status(item), ==, IMP_BATCH_WRITTEN);
            g_assert_cmpuint(imp_batch_item_get_position(item), ==, (guint)i);
            g_assert_cmpuint(imp_batch_item_get_n_outputs(item), ==, 1);
            const char *sha;
            const char *path = imp_batch_item_get_output(item, 0, &sha);
            /* the one-call path's bytes, written with the same options */
            char *single = g_strdup_printf("%s/single%d.pdf", dir, i);
            ImpOptions *plain = imp_options_new();
            g_assert_true(imp_options_set_creation_time(plain, CREATED, NULL));
            g_assert_true(imp_typeset_file(ctx, in[i], single, plain, &error));
            g_assert_no_error(error);
            GBytes *a = read_bytes(path), *b = read_bytes(single);
            g_assert_true(g_bytes_equal(a, b));
            char *hex = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, a);
            g_assert_cmpstr(hex, ==, sha);
            g_free(hex);
            g_bytes_unref(a);
            g_bytes_unref(b);
            imp_options_free(plain);
            g_free(single);
        }
        g_assert_cmpuint(imp_batch_item_get_n_warnings(imp_batch_get_item(batch, 1)), >=, 1);

        /* the report: every document, the hash of each output */
        char *report = imp_batch_dup_report(batch);
        const char *sha;
        imp_batch_item_get_output(imp_batch_get_item(batch, 0), 0, &sha);
        g_assert_nonnull(strstr(report, sha));
        g_assert_nonnull(strstr(report, "\"failed\": 1"));
        g_assert_nonnull(strstr(report, "missing.txt"));
        g_free(report);

        logs[jobs - 1] = seen.log;
        imp_batch_free(batch);
        imp_options_free(o);
        g_free(out_dir);
    }
    /* findings and done calls in the batch's order, the same for any jobs */
    g_assert_cmpstr(logs[0]->str, ==, logs[1]->str);
    const char *warn = strstr(logs[0]->str, "diag:");
    const char *done_mixed = strstr(logs[0]->str, "mixed.txt:1\n");
    const char *done_speech = strstr(logs[0]->str, "speech.txt:1\n");
    g_assert_nonnull(warn);
    g_assert_true(done_speech < warn && warn < done_mixed);
    g_string_free(logs[0], TRUE);
    g_string_free(logs[1], TRUE);
    imp_context_free(ctx);
    g_strfreev(in);
    g_free(dir);
}

/* Names: two documents with one output, and an empty or "-" input, are refused. */
static void test_batch_names(void)
{
    char *dir = g_dir_make_tmp("imp-batch-XXXXXX", NULL);
    char **in = inputs(dir);
    ImpContext *ctx = context();
    ImpBatch *batch = imp_batch_new(ctx, NULL);
    GError *error = NULL;
    char *out = g_build_filename(dir, "same.pdf", NULL);
    g_assert_true(imp_batch_add(batch, in[0], out, NULL, &error));
    g_assert_true(imp_batch_add(batch, in[1], out, NULL, &error));
    g_assert_false(imp_batch_run(batch, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_assert_nonnull(strstr(error->message, "would both be written to"));
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    g_clear_error(&error);
    imp_batch_free(batch);

    batch = imp_batch_new(ctx, NULL);
    g_assert_false(imp_batch_add(batch, "-", NULL, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_false(imp_batch_add(batch, "", NULL, NULL, &error));
    g_clear_error(&error);
    g_assert_false(imp_batch_set_shard(batch, 3, 2, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_false(imp_batch_set_pages(batch, "3-1", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    imp_batch_free(batch);

    imp_context_free(ctx);
    g_free(out);
    g_strfreev(in);
    g_free(dir);
}

/* A shard keeps the documents whose position modulo N is K - 1; a manifest's settings
 * apply per document. */
static void test_batch_shard_manifest(void)
{
    char *dir = g_dir_make_tmp("imp-batch-XXXXXX", NULL);
    char **in = inputs(dir);
    GString *m = g_string_new(NULL);
    for (int i = 0; i < 5; i++)
        g_string_append_printf(m, "{\"input\": \"%s\", \"output\": \"%s/m%d.pdf\"%s}\n", in[i % 2],
                               dir, i, i == 3 ? ", \"metadata\": {\"title\": \"Three\"}" : "");
    char *manifest = write_file(dir, "m.jsonl", m->str, -1);
    ImpContext *ctx = context();
    for (guint k = 1; k <= 2; k++) {
        ImpBatch *batch = imp_batch_new(ctx, NULL);
        GError *error = NULL;
        g_assert_true(imp_batch_add_manifest(batch, manifest, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(imp_batch_get_n_items(batch), ==, 5);
        g_assert_true(imp_batch_set_shard(batch, k, 2, &error));
        g_assert_true(imp_batch_run(batch, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(imp_batch_get_n_items(batch), ==, k == 1 ? 3 : 2);
        for (guint i = 0; i < imp_batch_get_n_items(batch); i++) {
            const ImpBatchItem *item = imp_batch_get_item(batch, i);
            g_assert_cmpuint(imp_batch_item_get_position(item) % 2, ==, k - 1);
            g_assert_cmpint(imp_batch_item_get_status(item), ==, IMP_BATCH_WRITTEN);
        }
        imp_batch_free(batch);
    }
    for (int i = 0; i < 5; i++) {
        char *path = g_strdup_printf("%s/m%d.pdf", dir, i);
        g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
        g_free(path);
    }
    /* a manifest with an error adds nothing and names the line */
    char *bad = write_file(dir, "bad.jsonl", "{\"input\": \"a.txt\"}\n{\"input\": \"b.txt\", \"x\": 1}\n", -1);
    ImpBatch *batch = imp_batch_new(ctx, NULL);
    GError *error = NULL;
    g_assert_false(imp_batch_add_manifest(batch, bad, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_assert_nonnull(strstr(error->message, "bad.jsonl:2: unknown key \"x\""));
    g_assert_cmpuint(imp_batch_get_n_items(batch), ==, 0);
    g_clear_error(&error);
    imp_batch_free(batch);

    imp_context_free(ctx);
    g_free(bad);
    g_free(manifest);
    g_string_free(m, TRUE);
    g_strfreev(in);
    g_free(dir);
}

/* A kit, and its index written again from the folder. */
static void test_batch_kit(void)
{
    char *dir = g_dir_make_tmp("imp-batch-XXXXXX", NULL);
    char **in = inputs(dir);
    char *kit = g_build_filename(dir, "kit", NULL);
    ImpContext *ctx = context();
    ImpOptions *o = imp_options_new();
    g_assert_true(imp_options_set_creation_time(o, CREATED, NULL));
    ImpBatch *batch = imp_batch_new(ctx, o);
    imp_batch_set_kit_dir(batch, kit);
    GError *error = NULL;
    g_assert_true(imp_batch_add(batch, in[0], NULL, NULL, &error));
    g_assert_true(imp_batch_add(batch, in[1], NULL, NULL, &error));
    g_assert_true(imp_batch_run(batch, &error));
    g_assert_no_error(error);
    const ImpBatchItem *item = imp_batch_get_item(batch, 0);
    g_assert_cmpuint(imp_batch_item_get_n_outputs(item), ==, 4);
    g_assert_true(g_str_has_suffix(imp_batch_item_get_output(item, 0, NULL), "/speech.pdf"));
    g_assert_true(g_str_has_suffix(imp_batch_item_get_output(item, 3, NULL), "/speech.json"));
    char *index = g_build_filename(kit, "index.json", NULL);
    GBytes *before = read_bytes(index);
    g_unlink(index);
    g_assert_true(imp_kit_write_index(kit, CREATED, &error));
    g_assert_no_error(error);
    GBytes *after = read_bytes(index);
    g_assert_true(g_bytes_equal(before, after));
    g_bytes_unref(before);
    g_bytes_unref(after);
    g_free(index);
    imp_batch_free(batch);
    imp_options_free(o);
    imp_context_free(ctx);
    g_free(kit);
    g_strfreev(in);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/batch/is-single", test_batch_is_single);
    g_test_add_func("/batch/names", test_batch_names);
    g_test_add_func("/batch/shard-manifest", test_batch_shard_manifest);
    g_test_add_func("/batch/kit", test_batch_kit);
    return g_test_run();
}
