/* names.c — where a batch's documents are written, decided and checked before anything
 * is: one output beside the input or in the output folder, one file per page
 * (NAME-001.png ...), or a press kit's NAME.pdf, NAME.png, NAME.txt and NAME.json; and the
 * page ranges of --pages.
 *
 * Invariants:
 *  1. No two documents write one file, and no document writes over an input (its own or
 *     another's): both are refused for the whole run before any document is set, so that a
 *     typo in a manifest cannot silently replace the output of another document. Paths are
 *     compared after making them absolute and removing "." and ".." (a file reached by two
 *     spellings through symbolic links is caught for inputs by their inode).
 *  2. Every item is checked, whatever the shard, so that the N runs of a job array agree
 *     that the batch is sound; a run that checked only its own share would let two shards
 *     write one file on shared storage.
 */
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "../util/error.h"

/* ---- page ranges ---- */

/* A page number: digits only, 1 or more, below a million. */
static gboolean page_number(const char *s, gsize len, guint *page)
{
    if (len == 0 || len > 6)
        return FALSE;
    guint v = 0;
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isdigit(s[i]))
            return FALSE;
        v = v * 10 + (guint)(s[i] - '0');
    }
    *page = v;
    return v >= 1;
}

static gint compare_ranges(gconstpointer a, gconstpointer b)
{
    const ImpPageRange *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

gboolean imp__pages_parse(const char *spec, GArray *ranges, GError **error)
{
    g_array_set_size(ranges, 0);
    if (g_ascii_strcasecmp(spec, "all") == 0) {
        ImpPageRange all = { 1, 0 };
        g_array_append_val(ranges, all);
        return TRUE;
    }
    char **parts = g_strsplit(spec, ",", -1);
    gboolean ok = parts[0] != NULL;
    for (guint i = 0; ok && parts[i] != NULL; i++) {
        const char *p = parts[i];
        const char *dash = strchr(p, '-');
        ImpPageRange r = { 0, 0 };
        if (dash == NULL) {
            ok = page_number(p, strlen(p), &r.first);
            r.last = r.first;
        } else {
            ok = page_number(p, (gsize)(dash - p), &r.first) &&
                 (dash[1] == '\0' || (page_number(dash + 1, strlen(dash + 1), &r.last) &&
                                      r.last >= r.first));
        }
        if (ok)
            g_array_append_val(ranges, r);
    }
    g_strfreev(parts);
    if (!ok) {
        char *shown = g_utf8_make_valid(spec, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "--pages '%s': expected 'all' or pages and ranges such as 1-3,7,9- "
                    "(from page 1)", shown);
        g_free(shown);
        return FALSE;
    }
    g_array_sort(ranges, compare_ranges);
    for (guint i = 1; i < ranges->len; i++) {
        const ImpPageRange *a = &g_array_index(ranges, ImpPageRange, i - 1);
        const ImpPageRange *b = &g_array_index(ranges, ImpPageRange, i);
        if (a->last == 0 || a->last >= b->first) {
            char *shown = g_utf8_make_valid(spec, -1);
            g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                        "--pages '%s': page %u is asked for twice", shown, b->first);
            g_free(shown);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean imp__pages_expand(const GArray *ranges, guint n_pages, const char *name,
                           GArray *pages, GError **error)
{
    g_array_set_size(pages, 0);
    for (guint i = 0; i < ranges->len; i++) {
        const ImpPageRange *r = &g_array_index(ranges, ImpPageRange, i);
        guint last = r->last == 0 ? n_pages : r->last;
        if (r->first > n_pages || last > n_pages) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "%s: page %u requested, but the document has %u page%s", name,
                        r->first > n_pages ? r->first : last, n_pages, n_pages == 1 ? "" : "s");
            return FALSE;
        }
        for (guint p = r->first; p <= last; p++)
            g_array_append_val(pages, p);
    }
    return TRUE;
}

char *imp__pages_file(const char *stem, ImpFormat format, guint page, guint n_pages)
{
    int digits = 3;
    for (guint n = n_pages; n >= 1000; n /= 10)
        digits++;
    return g_strdup_printf("%s-%0*u.%s", stem, digits, page, imp_format_name(format));
}

/* ---- output names ---- */

/* `path` without the extension of its last component (transfer full). */
static char *strip_extension(const char *path)
{
    char *base = g_strdup(path);
    char *slash = strrchr(base, '/');
    char *dot = strrchr(slash != NULL ? slash : base, '.');
    if (dot != NULL && dot != (slash != NULL ? slash + 1 : base))
        *dot = '\0';
    return base;
}

/* The default output of `input` in `format`: its name with the extension replaced (or
 * added, if the name already has the format's), beside it or in `dir` (transfer full). */
static char *default_output(const char *input, ImpFormat format, const char *dir)
{
    char *stem = strip_extension(input);
    char *out = g_strconcat(stem, ".", imp_format_name(format), NULL);
    if (strcmp(out, input) == 0) {
        g_free(out);
        out = g_strconcat(input, ".", imp_format_name(format), NULL);
    }
    g_free(stem);
    if (dir != NULL) {
        char *base = g_path_get_basename(out);
        g_free(out);
        out = g_build_filename(dir, base, NULL);
        g_free(base);
    }
    return out;
}

/* The output asked for, taken from `dir` when it is relative (transfer full). */
static char *asked_output(const char *output, const char *dir)
{
    if (dir == NULL || g_path_is_absolute(output))
        return g_strdup(output);
    return g_build_filename(dir, output, NULL);
}

char *imp__kit_file(const ImpBatch *batch, const ImpBatchItem *item, const char *ext)
{
    char *file = g_strconcat(item->kit_name, ".", ext, NULL);
    char *path = g_build_filename(batch->kit_dir, file, NULL);
    g_free(file);
    return path;
}

/* The options that hold for `item`. */
static const ImpOptions *item_options(const ImpBatch *batch, const ImpBatchItem *item)
{
    return item->options != NULL ? item->options : batch->options;
}

/* Works out one item's format and names. */
static gboolean name_item(ImpBatch *batch, ImpBatchItem *item, GError **error)
{
    const ImpOptions *o = item_options(batch, item);
    if (batch->kit_dir != NULL) {
        /* NAME: the output's name (asked for, else the input's) without folder or
           extension */
        char *from = g_path_get_basename(item->output_asked != NULL ? item->output_asked
                                                                    : item->input);
        item->kit_name = strip_extension(from);
        g_free(from);
        item->format = IMP_FORMAT_PDF;
        if (*item->kit_name == '\0' || strcmp(item->kit_name, ".") == 0 ||
            strcmp(item->kit_name, "..") == 0) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                        "%s: no name for its press kit files; give it an output name in a "
                        "manifest", item->input);
            return FALSE;
        }
        return TRUE;
    }
    item->output = item->output_asked != NULL
                       ? asked_output(item->output_asked, batch->output_dir)
                       : default_output(item->input, o->format_set ? o->format : IMP_FORMAT_PDF,
                                        batch->output_dir);
    if (strcmp(item->output, "-") == 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s: a batch writes files, not standard output", item->input);
        return FALSE;
    }
    return TRUE;
}

/* Checks an item's output name against its format; for --pages, turns it into the stem of
 * the page files. */
static gboolean check_format(ImpBatch *batch, ImpBatchItem *item, GError **error)
{
    const ImpOptions *o = item_options(batch, item);
    if (item->kit_name != NULL)
        return TRUE;
    if (!imp__output_format(item->output, o, &item->format, error))
        return FALSE;
    if (batch->ranges != NULL) {
        if (item->format == IMP_FORMAT_PDF) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                        "%s: --pages writes PNG or SVG files, one per page; a PDF holds "
                        "them all (ask for --format png or svg)", item->output);
            return FALSE;
        }
        item->stem = strip_extension(item->output);
        g_clear_pointer(&item->output, g_free);
    }
    return TRUE;
}

/* An absolute, "."- and ".."-free form of `path` for comparing (transfer full). */
static char *canonical(const char *path)
{
    return g_canonicalize_filename(path, NULL);
}

/* Records that `item` writes `path` (`shown`: how to name it); refuses a file another item
 * writes or an input. `inputs` maps canonical inputs to their items, `outputs` outputs. */
static gboolean claim(GHashTable *outputs, GHashTable *inputs, ImpBatchItem *item,
                      const char *path, const char *shown, GError **error)
{
    char *key = canonical(path);
    const ImpBatchItem *other = g_hash_table_lookup(outputs, key);
    const ImpBatchItem *input = g_hash_table_lookup(inputs, key);
    gboolean ok = other == NULL && input == NULL;
    if (other != NULL)
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s and %s would both be written to %s: give one of them another name "
                    "(an \"output\" in a JSON Lines manifest)", other->input, item->input, shown);
    else if (input != NULL)
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s: the output of %s would be written over %s, an input", shown,
                    item->input, input == item ? "its own" : "another");
    if (ok)
        g_hash_table_insert(outputs, key, item);
    else
        g_free(key);
    return ok;
}

/* The (device, inode) of a file as a key, or NULL when it does not exist. */
static char *inode_key(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    return g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
}

gboolean imp__names_check(ImpBatch *batch, GError **error)
{
    GHashTable *outputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *inputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *inodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = TRUE;
    for (guint i = 0; i < batch->items->len; i++) {
        ImpBatchItem *item = batch->items->pdata[i];
        g_hash_table_insert(inputs, canonical(item->input), item);
        char *ino = inode_key(item->input);
        if (ino != NULL)
            g_hash_table_insert(inodes, ino, item);
    }
    if (batch->kit_dir != NULL) {
        /* the index is the kit's own */
        static ImpBatchItem index = { .input = "the kit's index" };
        const char *own[] = { "index.html", "index.json" };
        for (guint k = 0; k < G_N_ELEMENTS(own); k++) {
            char *path = g_build_filename(batch->kit_dir, own[k], NULL);
            g_hash_table_insert(outputs, canonical(path), &index);
            g_free(path);
        }
    }
    for (guint i = 0; ok && i < batch->items->len; i++) {
        ImpBatchItem *item = batch->items->pdata[i];
        ok = name_item(batch, item, error);
        if (!ok)
            break;
        /* the output that is an input first: it says more than the name's extension */
        if (item->output != NULL && batch->ranges == NULL)
            ok = claim(outputs, inputs, item, item->output, item->output, error) &&
                 check_format(batch, item, error);
        else
            ok = check_format(batch, item, error);
        if (!ok)
            break;
        if (item->kit_name != NULL) {
            static const char *const exts[] = { "pdf", "png", "txt", "json" };
            for (guint k = 0; ok && k < G_N_ELEMENTS(exts); k++) {
                char *path = imp__kit_file(batch, item, exts[k]);
                ok = claim(outputs, inputs, item, path, path, error);
                g_free(path);
            }
        } else if (item->stem != NULL) {
            /* every page file of a stem; "NAME-*.png" stands for them */
            char *pattern = g_strconcat(item->stem, "-*.", imp_format_name(item->format), NULL);
            ok = claim(outputs, inputs, item, pattern, pattern, error);
            g_free(pattern);
        } else {
            char *ino = inode_key(item->output);
            const ImpBatchItem *input = ino != NULL ? g_hash_table_lookup(inodes, ino) : NULL;
            if (input != NULL) {
                g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                            "%s: the output of %s is %s, an input (a link to it)", item->output,
                            item->input, input->input);
                ok = FALSE;
            }
            g_free(ino);
        }
    }
    g_hash_table_destroy(inodes);
    g_hash_table_destroy(inputs);
    g_hash_table_destroy(outputs);
    return ok;
}
