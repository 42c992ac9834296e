/* read.c — which reader reads an input, and the one entry point that runs it.
 *
 * The format comes from the caller, else from the file name's extension, else from the
 * content's first bytes; each reader then owns its format entirely (decoding included).
 */
#include "read-private.h"

#include <string.h>

#include "../util/error.h"
#include "encoding.h"

static const char *const format_names[] = { "auto", "text", "markdown", "html" };

const char *imp_input_format_name(ImpInputFormat format)
{
    g_return_val_if_fail(format <= IMP_INPUT_HTML, NULL);
    return format_names[format];
}

gboolean imp_input_format_from_name(const char *name, ImpInputFormat *format)
{
    g_return_val_if_fail(name != NULL && format != NULL, FALSE);
    for (guint i = 0; i < G_N_ELEMENTS(format_names); i++)
        if (g_ascii_strcasecmp(name, format_names[i]) == 0) {
            *format = (ImpInputFormat)i;
            return TRUE;
        }
    if (g_ascii_strcasecmp(name, "md") == 0 || g_ascii_strcasecmp(name, "commonmark") == 0 ||
        g_ascii_strcasecmp(name, "gfm") == 0) {
        *format = IMP_INPUT_MARKDOWN;
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "txt") == 0 || g_ascii_strcasecmp(name, "plain") == 0) {
        *format = IMP_INPUT_TEXT;
        return TRUE;
    }
    return FALSE;
}

/* Whether the file name ends in `.ext` (ASCII case ignored). */
static gboolean has_extension(const char *filename, const char *ext)
{
    const char *slash = strrchr(filename, '/');
    const char *dot = strrchr(slash != NULL ? slash : filename, '.');
    return dot != NULL && g_ascii_strcasecmp(dot + 1, ext) == 0;
}

/* Whether the content starts (after a BOM and white space) like an HTML document. */
static gboolean looks_like_html(const char *data, gsize len)
{
    gsize i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && g_ascii_isspace(data[i]))
        i++;
    static const char *const starts[] = { "<!doctype html", "<html", "<?xml" };
    for (guint k = 0; k < G_N_ELEMENTS(starts); k++) {
        gsize n = strlen(starts[k]);
        if (len - i >= n && g_ascii_strncasecmp(data + i, starts[k], n) == 0)
            /* an XML declaration is XHTML only with an <html> element after it */
            return k < 2 || g_strstr_len(data + i, MIN(len - i, 4096), "<html") != NULL;
    }
    return FALSE;
}

ImpInputFormat imp_input_format_guess(const char *filename, const char *data, gsize len)
{
    if (filename != NULL) {
        if (has_extension(filename, "md") || has_extension(filename, "markdown"))
            return IMP_INPUT_MARKDOWN;
        if (has_extension(filename, "html") || has_extension(filename, "htm") ||
            has_extension(filename, "xhtml"))
            return IMP_INPUT_HTML;
        if (has_extension(filename, "txt") || has_extension(filename, "text"))
            return IMP_INPUT_TEXT;
    }
    if (data != NULL && looks_like_html(data, len))
        return IMP_INPUT_HTML;
    return IMP_INPUT_TEXT;
}

/* The text reader with the encoding the caller names: the input is decoded first (a
 * byte-order mark still decides), and the text reader then reads valid UTF-8. */
static ImpDocument *read_text(const char *data, gsize len, const ImpReadOptions *options,
                              GError **error)
{
    if (options->encoding == NULL || len == 0)
        return imp_read_text(data, len, options->filename, options->rules, options->diag,
                             error);
    char *owned = NULL;
    gsize n = 0;
    const char *name = options->filename != NULL ? options->filename : "<input>";
    const char *t = imp__decode_input(data, len, name, options->encoding, IMP_ENCODING_GIVEN,
                                      options->diag, &n, &owned, error);
    if (t == NULL)
        return NULL;
    ImpDocument *doc = imp_read_text(t, n, options->filename, options->rules, options->diag,
                                     error);
    g_free(owned);
    return doc;
}

/* Runs the reader of the input's format; see read.h. */
ImpDocument *imp_read(const char *data, gsize len, const ImpReadOptions *options,
                      GError **error)
{
    g_return_val_if_fail(options != NULL, NULL);
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    ImpInputFormat format = options->format;
    if (format == IMP_INPUT_AUTO)
        format = imp_input_format_guess(options->filename, data, len);
    ImpDocument *doc = NULL;
    switch (format) {
    case IMP_INPUT_MARKDOWN:
        doc = imp__read_markdown(data, len, options->filename, options->encoding,
                                 options->rules, options->diag, error);
        break;
    case IMP_INPUT_HTML:
        doc = imp_read_html(data, len, options, error);
        break;
    case IMP_INPUT_AUTO:
    case IMP_INPUT_TEXT:
        doc = read_text(data, len, options, error);
        break;
    }
    if (doc != NULL && imp_document_get_base_dir(doc) == NULL) {
        char *dir = options->base_dir != NULL ? g_strdup(options->base_dir)
                  : options->filename != NULL && strcmp(options->filename, "-") != 0
                  ? g_path_get_dirname(options->filename) : NULL;
        imp_document_set_base_dir(doc, dir);
        g_free(dir);
    }
    return doc;
}
