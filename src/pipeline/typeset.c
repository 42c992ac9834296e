/* typeset.c — the one-call path: an input file or bytes in, an output file or bytes out,
 * as the imprint command does it.
 *
 * The steps are stages.c's, in the command's order, so that every refusal comes before
 * any costly work: the output that is the input, the names and the format (usage errors),
 * the input, the style, a PNG too large for the style's page, the reading, the output file
 * (created now, so a folder that cannot be written is reported before the layout), the
 * fonts and the layout, the rendering, strict mode, and last the rename into place.
 *
 * Invariant: a call that fails leaves no output file and an existing one untouched
 * (util/file.c writes beside the target and renames on commit).
 */
#include <string.h>

#include "pipeline.h"
#include "../util/error.h"
#include "../util/file.h"

/* What a run makes: the style, the document and the layout. */
typedef struct {
    ImpStyle *style;
    ImpDocument *doc;
    ImpLayout *layout;
} Work;

static void work_clear(Work *w)
{
    imp_layout_free(w->layout);
    imp_document_free(w->doc);
    imp_style_free(w->style);
}

/* Chooses the style, refuses a PNG too large for its page, and reads the input. */
static gboolean prepare(ImpContext *ctx, const char *data, gsize len, const char *name,
                        ImpFormat format, const char *out_name, ImpRun *run, Work *w,
                        GError **error)
{
    w->style = imp__step_style(ctx, data, len, name, run, error);
    if (w->style == NULL)
        return FALSE;
    if (format == IMP_FORMAT_PNG) {
        const ImpPageStyle *page = imp_style_get_page(w->style);
        if (!imp__check_png_size(page->width, page->height, run->options->dpi, out_name,
                                 error))
            return FALSE;
    }
    w->doc = imp__step_read(ctx, data, len, name, w->style, run, error);
    return w->doc != NULL;
}

/* Lays out and renders into `write` (to the run's PDF standards, embedding `source`),
 * then applies strict mode. */
static gboolean finish(ImpContext *ctx, const char *name, ImpFormat format,
                       const char *out_name, ImpRun *run, Work *w,
                       const ImpArchiveSource *source, ImpWriteFunc write, gpointer user_data,
                       GError **error)
{
    w->layout = imp__step_layout(ctx, w->doc, w->style, run, error);
    if (w->layout == NULL ||
        !imp__archive_render(w->layout, w->style, format, out_name, TRUE, run, source, write,
                             user_data, error))
        return FALSE;
    if (run->options->strict && run->warnings > 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STRICT,
                    "%s: %u problem%s reported; --strict writes no output", name,
                    run->warnings, run->warnings == 1 ? "" : "s");
        return FALSE;
    }
    return TRUE;
}

gboolean imp_typeset_file(ImpContext *ctx, const char *input, const char *output,
                          const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(ctx != NULL && input != NULL && output != NULL, FALSE);
    ImpRun run;
    imp__run_init(&run, options);
    imp__progress_start(&run);
    Work w = { 0 };
    ImpOutput *out = NULL;
    char *data = NULL;
    gsize len = 0;
    ImpFormat format;
    ImpArchiveSource source = { 0 };
    const char *name = strcmp(input, "-") == 0 ? "<stdin>" : input;
    gboolean ok = FALSE;

    if (*input == '\0') {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "the input name is empty; name a file, or - for standard input");
        goto done;
    }
    /* the input first: "is the input" says more than what its extension says */
    if (!imp__output_is_not_input(input, output, error) ||
        !imp__output_format(output, run.options, &format, error) ||
        !imp_file_load(input, &data, &len, error) ||
        !prepare(ctx, data, len, name, format, output, &run, &w, error))
        goto done;
    /* the document holds what it needs, but for a PDF/A-3, which embeds the input */
    if (!imp__archive_embeds_input(run.options, w.style, format))
        g_clear_pointer(&data, g_free);
    source = (ImpArchiveSource){ data, len, name };
    out = imp_output_open_full(output, imp__output_flags(run.options), error);
    if (out == NULL ||
        !finish(ctx, name, format, output, &run, &w, &source, imp__output_write, out, error))
        goto done;
    ImpOutput *o = out;
    out = NULL;
    if (!imp_output_commit(o, error))
        goto done;
    guint pages = imp_layout_get_n_pages(w.layout);
    imp_diag_report(&run.diag, IMP_DIAG_INFO, NULL, 0, "wrote %s: %u page%s", output, pages,
                    pages == 1 ? "" : "s");
    ok = TRUE;
done:
    imp_output_abort(out);
    imp__progress_finish(&run, !ok);
    work_clear(&w);
    g_free(data);
    imp__run_clear(&run);
    return ok;
}

GBytes *imp_typeset_bytes(ImpContext *ctx, GBytes *input, const char *name,
                          const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(ctx != NULL && input != NULL, NULL);
    ImpRun run;
    imp__run_init(&run, options);
    imp__progress_start(&run);
    Work w = { 0 };
    gsize len;
    const char *data = imp__bytes_get_data(input, &len);
    const char *shown = name != NULL ? name : "<input>";
    ImpFormat format = run.options->format_set ? run.options->format : IMP_FORMAT_PDF;
    GByteArray *bytes = g_byte_array_new();
    ImpArchiveSource source = { data, len, shown };
    gboolean ok = prepare(ctx, data, len, name, format, NULL, &run, &w, error) &&
                  finish(ctx, shown, format, NULL, &run, &w, &source, imp__bytes_write, bytes,
                         error);
    imp__progress_finish(&run, !ok);
    work_clear(&w);
    imp__run_clear(&run);
    if (!ok) {
        g_byte_array_unref(bytes);
        return NULL;
    }
    return g_byte_array_free_to_bytes(bytes);
}
