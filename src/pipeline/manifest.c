/* manifest.c — --manifest FILE: the documents of a batch listed in a file, one a line.
 *
 * Two forms, told apart by the first line that is not empty:
 *  - a list: each line is an input path (as written: spaces kept, a final CR dropped);
 *    empty lines and lines starting with '#' are skipped;
 *  - JSON Lines (the first line starts with '{'): each non-empty line is one JSON object,
 *    {"input": ..., "output": ..., "style": ..., "from": ..., "encoding": ..., "set":
 *    [...], "metadata": {...}}, parsed with json-glib. Only "input" is required; the others
 *    apply over the batch's options for that document. An unknown key is an error, so a
 *    misspelt "ouptut" is not silently ignored.
 * Relative paths are taken from the current directory, as the command line's are.
 *
 * Invariant: a manifest with any error adds nothing (the documents are added only once
 * every line has been read), and the error names the file and line.
 */
#include <string.h>

#include "batch.h"
#include "../util/error.h"
#include "../util/file.h"

/* One document read from a line. */
typedef struct {
    char *input, *output;
    ImpOptions *options;     /* NULL: the batch's */
    guint line;
} Entry;

static void entry_clear(gpointer data)
{
    Entry *e = data;
    g_free(e->input);
    g_free(e->output);
    imp_options_free(e->options);
}

/* "FILE:LINE: " + message, as IMP_ERROR_INPUT. */
static gboolean line_error(GError **error, const char *file, guint line, const char *format,
                           ...) G_GNUC_PRINTF(4, 5);
static gboolean line_error(GError **error, const char *file, guint line, const char *format,
                           ...)
{
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s:%u: %s", file, line, msg);
    g_free(msg);
    return FALSE;
}

/* The string member `key` of `obj` into *value (NULL when absent); FALSE when it is there
 * but not a non-empty string. */
static gboolean string_member(JsonObject *obj, const char *key, const char **value)
{
    *value = NULL;
    if (!json_object_has_member(obj, key))
        return TRUE;
    JsonNode *node = json_object_get_member(obj, key);
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return FALSE;
    *value = json_node_get_string(node);
    return **value != '\0';
}

/* Applies one JSON object's settings over a copy of the batch's options. */
static gboolean read_object(ImpBatch *batch, JsonObject *obj, const char *file, guint line,
                            Entry *e, GError **error)
{
    static const char *const known[] = { "input", "output", "style", "from", "encoding",
                                         "set", "metadata", NULL };
    GList *members = json_object_get_members(obj);
    for (GList *m = members; m != NULL; m = m->next)
        if (!g_strv_contains(known, m->data)) {
            line_error(error, file, line, "unknown key \"%s\" (known: input, output, style, "
                       "from, encoding, set, metadata)", (const char *)m->data);
            g_list_free(members);
            return FALSE;
        }
    g_list_free(members);
    const char *input, *output, *style, *from, *encoding;
    if (!string_member(obj, "input", &input) || input == NULL)
        return line_error(error, file, line, "\"input\" must be given, a file name");
    if (!string_member(obj, "output", &output))
        return line_error(error, file, line, "\"output\" must be a file name");
    if (!string_member(obj, "style", &style))
        return line_error(error, file, line, "\"style\" must be a style name or file");
    if (!string_member(obj, "from", &from))
        return line_error(error, file, line, "\"from\" must be text, markdown or html");
    if (!string_member(obj, "encoding", &encoding))
        return line_error(error, file, line, "\"encoding\" must be an encoding's name");
    e->input = g_strdup(input);
    e->output = g_strdup(output);
    if (json_object_get_size(obj) == 1 + (output != NULL))
        return TRUE; /* nothing of its own: the batch's options */

    ImpOptions *o = e->options = imp_options_copy(batch->options);
    GError *local = NULL;
    if (style != NULL)
        imp_options_set_style(o, style);
    if (from != NULL) {
        ImpInputFormat format;
        if (!imp_input_format_from_name(from, &format))
            return line_error(error, file, line, "\"from\": '%s' is not text, markdown or html",
                              from);
        imp_options_set_input_format(o, format);
    }
    if (encoding != NULL && !imp_options_set_encoding(o, encoding, &local)) {
        line_error(error, file, line, "%s", local->message);
        g_error_free(local);
        return FALSE;
    }
    if (json_object_has_member(obj, "set")) {
        JsonNode *node = json_object_get_member(obj, "set");
        JsonArray *set = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
        if (set == NULL)
            return line_error(error, file, line, "\"set\" must be a list of \"group.key=value\"");
        for (guint i = 0; i < json_array_get_length(set); i++) {
            JsonNode *item = json_array_get_element(set, i);
            if (!JSON_NODE_HOLDS_VALUE(item) || json_node_get_value_type(item) != G_TYPE_STRING)
                return line_error(error, file, line, "\"set\" must be a list of "
                                  "\"group.key=value\"");
            if (!imp_options_add_style_override(o, json_node_get_string(item), &local)) {
                line_error(error, file, line, "%s", local->message);
                g_error_free(local);
                return FALSE;
            }
        }
    }
    if (json_object_has_member(obj, "metadata")) {
        JsonNode *node = json_object_get_member(obj, "metadata");
        JsonObject *meta = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
        if (meta == NULL)
            return line_error(error, file, line, "\"metadata\" must be an object such as "
                              "{\"title\": \"...\"}");
        GList *keys = json_object_get_members(meta);
        gboolean ok = TRUE;
        for (GList *k = keys; ok && k != NULL; k = k->next) {
            ImpMetaKey key;
            JsonNode *value = json_object_get_member(meta, k->data);
            gboolean is_string = JSON_NODE_HOLDS_VALUE(value) &&
                                 json_node_get_value_type(value) == G_TYPE_STRING;
            if (!imp_meta_key_from_name(k->data, &key))
                ok = line_error(error, file, line, "\"metadata\": unknown key \"%s\"",
                                (const char *)k->data);
            else if (!is_string && !JSON_NODE_HOLDS_NULL(value))
                ok = line_error(error, file, line, "\"metadata\": \"%s\" must be a string "
                                "(\"\" or null removes it)", (const char *)k->data);
            else /* null or "" removes what the reader found, as -M KEY= */
                imp_options_set_metadata(o, key, is_string ? json_node_get_string(value) : "");
        }
        g_list_free(keys);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* Reads one JSON Lines line. */
static gboolean read_json_line(ImpBatch *batch, JsonParser *parser, const char *text,
                               gsize len, const char *file, guint line, Entry *e,
                               GError **error)
{
    GError *local = NULL;
    if (!json_parser_load_from_data(parser, text, (gssize)len, &local)) {
        line_error(error, file, line, "not JSON: %s", local->message);
        g_error_free(local);
        return FALSE;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
        return line_error(error, file, line, "expected one JSON object, such as "
                          "{\"input\": \"a.txt\"}");
    return read_object(batch, json_node_get_object(root), file, line, e, error);
}

gboolean imp__manifest_add(ImpBatch *batch, const char *path, GError **error)
{
    char *data;
    gsize len;
    if (!imp_file_load(path, &data, &len, error))
        return FALSE;
    const char *file = strcmp(path, "-") == 0 ? "<stdin>" : path;
    GArray *entries = g_array_new(FALSE, TRUE, sizeof(Entry));
    g_array_set_clear_func(entries, entry_clear);
    JsonParser *parser = NULL;
    gboolean ok = TRUE;
    int json = -1; /* unknown until the first line that is not empty */
    guint line = 0;
    for (const char *p = data, *end = data + len; ok && p < end; line++) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *eol = nl != NULL ? nl : end;
        gsize n = (gsize)(eol - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        const char *text = p;
        p = nl != NULL ? nl + 1 : end;
        gboolean blank = TRUE;
        for (gsize i = 0; i < n && blank; i++)
            blank = g_ascii_isspace(text[i]);
        if (blank)
            continue;
        if (memchr(text, '\0', n) != NULL) {
            ok = line_error(error, file, line + 1, "a NUL byte: not a list of file names");
            break;
        }
        if (json < 0)
            json = text[0] == '{' || g_str_has_prefix(text, "\xef\xbb\xbf{");
        Entry e = { .line = line + 1 };
        if (json) {
            if (parser == NULL)
                parser = json_parser_new();
            ok = read_json_line(batch, parser, text, n, file, line + 1, &e, error);
        } else if (text[0] == '#') {
            continue;
        } else {
            e.input = g_strndup(text, n);
        }
        g_array_append_val(entries, e);
    }
    if (ok && entries->len == 0)
        ok = line_error(error, file, MAX(line, 1u), "no inputs listed");
    for (guint i = 0; ok && i < entries->len; i++) {
        Entry *e = &g_array_index(entries, Entry, i);
        ok = imp_batch_add(batch, e->input, e->output, e->options, error);
        if (!ok) {
            /* names the line; the documents added are taken back */
            g_prefix_error(error, "%s:%u: ", file, e->line);
            g_ptr_array_set_size(batch->items, batch->items->len - i);
            g_ptr_array_set_size(batch->all, batch->all->len - i);
        }
    }
    if (parser != NULL)
        g_object_unref(parser);
    g_array_free(entries, TRUE);
    g_free(data);
    return ok;
}
