/* report.c — the JSON report of a batch (--report FILE): per document its input, outputs
 * with size and SHA-256, pages, status, error, warnings and seconds.
 *
 * The report is for the person or program that runs a batch: which documents failed and
 * why, what was written and how to check it (the hashes), how long each took. Shards of a
 * job array each write one; docs/scale.md shows how to merge them (their "documents" lists
 * concatenated and sorted by "position").
 *
 * Invariant: only "seconds" depends on the machine and the moment; everything else is the
 * same for two runs of the same batch, and the outputs never depend on the report.
 */
#include <string.h>

#include "batch.h"
#include "../util/error.h"
#include "../util/file.h"

/* Appends `text` as a JSON string literal (json-glib's escaping). */
static void append_string(GString *out, const char *text)
{
    if (text == NULL) {
        g_string_append(out, "null");
        return;
    }
    JsonNode *node = json_node_init_string(json_node_alloc(), text);
    char *literal = json_to_string(node, FALSE);
    g_string_append(out, literal);
    g_free(literal);
    json_node_unref(node);
}

/* One document's entry. The report is written here rather than by JsonGenerator, which
 * prints 0.097 as 0.097000000000000003: "seconds" has three decimals. */
static void append_item(GString *out, const ImpBatchItem *item)
{
    g_string_append_printf(out, "    {\n      \"position\": %u,\n      \"input\": ",
                           item->position);
    append_string(out, item->input);
    g_string_append_printf(out, ",\n      \"status\": \"%s\",\n      \"error\": ",
                           item->status == IMP_BATCH_WRITTEN ? "written"
                           : item->status == IMP_BATCH_FAILED ? "failed" : "pending");
    append_string(out, item->error != NULL ? item->error->message : NULL);
    char seconds[32];
    g_ascii_formatd(seconds, sizeof seconds, "%.3f", item->seconds);
    g_string_append_printf(out, ",\n      \"pages\": %u,\n      \"warnings\": %u,\n"
                           "      \"seconds\": %s,\n      \"outputs\": [", item->n_pages,
                           item->n_warnings, seconds);
    for (guint i = 0; i < item->written->len; i++) {
        const ImpWritten *w = &g_array_index(item->written, ImpWritten, i);
        g_string_append(out, i > 0 ? ",\n        { \"path\": " : "\n        { \"path\": ");
        append_string(out, w->path);
        g_string_append_printf(out, ", \"bytes\": %" G_GUINT64_FORMAT ", \"sha256\": \"%s\" }",
                               w->bytes, w->sha256);
    }
    g_string_append(out, item->written->len > 0 ? "\n      ]\n    }" : "]\n    }");
}

char *imp_batch_dup_report(const ImpBatch *batch)
{
    g_return_val_if_fail(batch != NULL, NULL);
    guint written = 0, failed = 0;
    for (guint i = 0; i < batch->items->len; i++) {
        const ImpBatchItem *item = batch->items->pdata[i];
        written += item->status == IMP_BATCH_WRITTEN;
        failed += item->status == IMP_BATCH_FAILED;
    }
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "{\n  \"imprint\": \"%s\",\n  \"shard\": \"%u/%u\",\n"
                           "  \"written\": %u,\n  \"failed\": %u,\n  \"documents\": [",
                           IMP_VERSION, batch->shard_k, batch->shard_n, written, failed);
    for (guint i = 0; i < batch->items->len; i++) {
        g_string_append(out, i > 0 ? ",\n" : "\n");
        append_item(out, batch->items->pdata[i]);
    }
    g_string_append(out, batch->items->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
    return g_string_free(out, FALSE);
}

gboolean imp_batch_write_report(const ImpBatch *batch, const char *path, GError **error)
{
    g_return_val_if_fail(batch != NULL && path != NULL, FALSE);
    char *text = imp_batch_dup_report(batch);
    ImpOutput *out = imp_output_open(path, error);
    gboolean ok = out != NULL;
    if (ok) {
        imp_output_write(out, text, strlen(text));
        ok = imp_output_commit(out, error);
    }
    g_free(text);
    return ok;
}
