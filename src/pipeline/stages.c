/* stages.c — the staged path: choose a style, read, lay out, render; each step with the
 * policy the imprint command applies, so a program that calls the steps one by one gets
 * what the one-call path (typeset.c) gets.
 *
 * The policy:
 *  - Style: the options' style; else the site style whose detection rule matches the
 *    input; else "default".
 *  - Reading rules: the style's; a style with none (default, letter, archival) still reads
 *    a site's page with the detected site style's rules, so the same clipping can go out in
 *    any house style.
 *  - Metadata given in the options (-M) replaces what the reader found.
 *  - Pages: those the options ask for; PNG and SVG hold one; a PNG is at most 150 million
 *    pixels.
 */
#include <math.h>
#include <string.h>

#include "pipeline.h"
#include "../model/lang.h"
#include "../util/error.h"
#include "../util/file.h"

/* Whether a style says anything about how to read a site's pages. */
static gboolean has_reading_rules(const ImpReadRules *r)
{
    return r != NULL && (r->detect != NULL || r->masthead != NULL || r->breadcrumb != NULL ||
                         r->notice_start != NULL || (r->chrome != NULL && r->chrome[0] != NULL) ||
                         r->html_content != NULL);
}

/* The site style detected in the input, once per run (transfer none: the run's). A saved
 * page is matched by its text, one line per block, as a clipping of it would be. */
const char *imp__step_detect_site(ImpContext *ctx, const char *data, gsize len,
                                  const char *name, ImpRun *run)
{
    if (!run->detected) {
        ImpInputFormat format = run->options->input_format;
        if (format == IMP_INPUT_AUTO)
            format = imp_input_format_guess(name, data, len);
        gsize n = 0;
        char *lines = format == IMP_INPUT_HTML
                    ? imp_read_html_lines(data, len, run->options->encoding, &n) : NULL;
        const ImpStyleDetector *detector = imp__context_get_detector(ctx);
        run->site = g_strdup(lines != NULL
                             ? imp_style_detector_find(detector, lines, n, &run->diag)
                             : imp_style_detector_find(detector, data, len, &run->diag));
        g_free(lines);
        run->detected = TRUE;
    }
    return run->site;
}

/* Loads a style with the options' overrides and says which. */
static ImpStyle *load_style(ImpContext *ctx, const char *name, ImpRun *run, GError **error)
{
    const ImpOptions *o = run->options;
    ImpStyle *style = imp_style_load(name, ctx->style_dirs,
                                     o->overrides != NULL
                                         ? (const char *const *)o->overrides->pdata : NULL,
                                     error);
    if (style != NULL)
        imp_diag_report(&run->diag, IMP_DIAG_INFO, NULL, 0, "style: %s (%s)",
                        imp_style_get_name(style), imp_style_get_path(style));
    return style;
}

ImpStyle *imp__step_style(ImpContext *ctx, const char *data, gsize len, const char *name,
                          ImpRun *run, GError **error)
{
    const char *style = run->options->style;
    if (style == NULL)
        style = imp__step_detect_site(ctx, data, len, name, run);
    return load_style(ctx, style != NULL ? style : "default", run, error);
}

/* "NAME: too large (more than 16 MiB)", as imp_file_load says it for a file. */
static gboolean check_size(gsize len, const char *name, GError **error)
{
    if (len <= IMP_FILE_MAX)
        return TRUE;
    g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: too large (more than %u MiB)", name,
                (guint)(IMP_FILE_MAX >> 20));
    return FALSE;
}

ImpDocument *imp__step_read(ImpContext *ctx, const char *data, gsize len, const char *name,
                            const ImpStyle *style, ImpRun *run, GError **error)
{
    const ImpOptions *o = run->options;
    if (!check_size(len, name != NULL ? name : "<input>", error))
        return NULL;
    const ImpReadRules *rules = style != NULL ? imp_style_get_read_rules(style) : NULL;
    if (!has_reading_rules(rules)) {
        const char *site = imp__step_detect_site(ctx, data, len, name, run);
        if (site != NULL) {
            const ImpStyle *site_style = imp__context_get_site_style(ctx, site, error);
            if (site_style == NULL)
                return NULL;
            rules = imp_style_get_read_rules(site_style);
            imp_diag_report(&run->diag, IMP_DIAG_INFO, NULL, 0, "reading rules: %s (%s)",
                            imp_style_get_name(site_style), imp_style_get_path(site_style));
        }
    }
    ImpReadOptions ro = {
        .format = o->input_format,
        .filename = name,
        .encoding = o->encoding,
        .rules = rules,
        .diag = &run->diag,
    };
    ImpDocument *doc = imp_read(data, len, &ro, error);
    if (doc == NULL)
        return NULL;
    for (int k = 0; k < IMP_N_META; k++)
        if (o->meta_set[k])
            imp_document_set_meta(doc, (ImpMetaKey)k, *o->meta[k] != '\0' ? o->meta[k] : NULL);
    /* the languages of the document and its blocks, from -M lang, the reader, or the text;
       a document in none of them keeps the style's */
    imp_document_detect_languages(doc, &run->diag);
    return doc;
}

ImpLayout *imp__step_layout(ImpContext *ctx, const ImpDocument *doc, const ImpStyle *style,
                            ImpRun *run, GError **error)
{
    ImpFonts *fonts = imp__context_get_fonts(ctx, error);
    if (fonts == NULL)
        return NULL;
    /* 0 means one per core, capped as a number asked for is (options.c) */
    int jobs = run->options->jobs > 0 ? run->options->jobs
                                      : (int)MIN(MAX(g_get_num_processors(), 1u), IMP_JOBS_MAX);
    ImpLayoutOptions lo;
    imp__layout_options_init(&lo);
    lo.diag = &run->diag;
    lo.jobs = jobs;
    ImpLayout *layout = imp__layout_new(doc, style, fonts, &lo, error);
    if (layout != NULL) {
        imp_diag_report(&run->diag, IMP_DIAG_INFO, NULL, 0, "fonts: %s",
                        imp_layout_get_fonts_used(layout));
        /* the pages the layout did not report as it finished them (all of them, until it
           calls imp__progress_layout_pages), and the document is set */
        guint n = imp_layout_get_n_pages(layout);
        imp__progress_pages_set(run, n > run->layout_pages ? n - run->layout_pages : 0, TRUE);
        run->layout_pages = n;
    }
    return layout;
}

gboolean imp__check_png_size(double width, double height, double dpi, const char *name,
                             GError **error)
{
    /* as the render stage sizes its image */
    double scale = (dpi > 0 ? dpi : 150.0) / 72.0;
    double w = floor(width * scale + 0.5), h = floor(height * scale + 0.5);
    if (w * h <= IMP_PNG_MAX_PIXELS)
        return TRUE;
    g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                "%s%sa PNG of %.0f x %.0f pixels is too large (at most %.0f million); at most "
                "%.0f dpi for this page", name != NULL ? name : "", name != NULL ? ": " : "",
                w, h, IMP_PNG_MAX_PIXELS / 1e6,
                floor(72.0 * sqrt(IMP_PNG_MAX_PIXELS / (width * height))));
    return FALSE;
}

/* What the render's hooks need: the caller's finish function, the layout whose pages are
 * released once drawn (NULL: none; the one-call path, to bound memory), the run whose
 * progress counts the pages drawn. */
typedef struct {
    ImpFinishFunc func;
    gpointer data;
    ImpLayout *layout;
    ImpRun *run;
} RenderHooks;

static void page_done(guint page, gpointer data)
{
    const RenderHooks *h = data;
    if (h->layout != NULL && !(page == 0 && h->run->keep_first_page))
        imp_layout_release_page(h->layout, page);
    if (h->run->progress != NULL)
        imp__progress_page_drawn(h->run);
}

static void before_finish(gpointer data)
{
    const RenderHooks *h = data;
    if (h->func != NULL)
        h->func(h->data);
}

gboolean imp__step_render(ImpLayout *layout, ImpFormat format, const char *name,
                          gboolean release, ImpRun *run, ImpWriteFunc write, gpointer user_data,
                          GError **error)
{
    return imp__step_render_full(layout, format, name, release, run, NULL, write, user_data,
                                 error);
}

gboolean imp__step_render_full(ImpLayout *layout, ImpFormat format, const char *name,
                               gboolean release, ImpRun *run, const ImpRenderExtra *extra,
                               ImpWriteFunc write, gpointer user_data, GError **error)
{
    const ImpOptions *o = run->options;
    guint n = imp_layout_get_n_pages(layout);
    if (format != IMP_FORMAT_PDF && o->n_pages > 1) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "a %s holds one page, not %u: ask for one page",
                    format == IMP_FORMAT_PNG ? "PNG" : "SVG", o->n_pages);
        return FALSE;
    }
    /* the render stage numbers pages from 1, the last one inclusive (0: the layout's last) */
    guint64 first = (guint64)o->first_page + 1;
    guint64 last = o->n_pages == 0 ? 0 : (guint64)o->first_page + o->n_pages;
    if (first > n || last > n) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "page %" G_GUINT64_FORMAT " requested, but the document has %u page%s",
                    first > n ? first : last, n, n == 1 ? "" : "s");
        return FALSE;
    }
    if (format == IMP_FORMAT_PNG) {
        double w, h;
        imp_layout_get_page_size(layout, &w, &h);
        if (!imp__check_png_size(w, h, o->dpi, name, error))
            return FALSE;
    }
    ImpRenderOptions ro;
    imp__render_options_init(&ro);
    ro.format = format;
    ro.creation_time = o->creation_time_set ? o->creation_time
                                            : g_get_real_time() / G_USEC_PER_SEC;
    ro.page = (guint)first;
    ro.last_page = format == IMP_FORMAT_PDF ? (guint)last : 0;
    ro.dpi = o->dpi;
    ro.tagged = !o->untagged;
    ro.scratch = run->scratch;
    ro.png_round_bits = run->png_round_bits;
    ro.watch_font_pages = run->scratch == NULL; /* a batch worker's run has a scratch */
    if (extra != NULL) {
        ro.tagged = extra->tagged;
        ro.mark_artifacts = extra->mark_artifacts;
        ro.elements = extra->elements;
    }
    RenderHooks hooks = { o->finish_func, o->finish_data, release ? layout : NULL, run };
    ro.page_done = page_done;
    ro.before_finish = before_finish;
    ro.hook_data = &hooks;
    imp__progress_pages_to_draw(run, format != IMP_FORMAT_PDF ? 1
                                     : (last == 0 ? n : (guint)last) - (guint)first + 1);
    return imp__render(layout, &ro, write, user_data, error);
}

/* ---- the public staged functions ---- */

/* The bytes of `input`: never NULL, which GLib gives for empty bytes and which the stages
 * must not get (NULL + 0 is undefined in C). */
const char *imp__bytes_get_data(GBytes *input, gsize *len)
{
    const char *data = g_bytes_get_data(input, len);
    return data != NULL ? data : "";
}

ImpStyle *imp_style_new(ImpContext *ctx, const char *name_or_path, const ImpOptions *options,
                        GError **error)
{
    g_return_val_if_fail(ctx != NULL && name_or_path != NULL, NULL);
    ImpRun run;
    imp__run_init(&run, options);
    ImpStyle *style = load_style(ctx, name_or_path, &run, error);
    imp__run_clear(&run);
    return style;
}

ImpStyle *imp_style_new_for_input(ImpContext *ctx, GBytes *input, const ImpOptions *options,
                                  GError **error)
{
    g_return_val_if_fail(ctx != NULL && input != NULL, NULL);
    ImpRun run;
    imp__run_init(&run, options);
    gsize len;
    const char *data = imp__bytes_get_data(input, &len);
    ImpStyle *style = imp__step_style(ctx, data, len, NULL, &run, error);
    imp__run_clear(&run);
    return style;
}

ImpDocument *imp_read_bytes(ImpContext *ctx, GBytes *input, const char *name,
                            const ImpStyle *style, const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(ctx != NULL && input != NULL, NULL);
    ImpRun run;
    imp__run_init(&run, options);
    gsize len;
    const char *data = imp__bytes_get_data(input, &len);
    ImpDocument *doc = imp__step_read(ctx, data, len, name, style, &run, error);
    imp__run_clear(&run);
    return doc;
}

ImpDocument *imp_read_file(ImpContext *ctx, const char *path, const ImpStyle *style,
                           const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(ctx != NULL && path != NULL, NULL);
    char *data;
    gsize len;
    if (!imp_file_load(path, &data, &len, error))
        return NULL;
    ImpRun run;
    imp__run_init(&run, options);
    ImpDocument *doc = imp__step_read(ctx, data, len, strcmp(path, "-") == 0 ? "<stdin>" : path,
                                      style, &run, error);
    imp__run_clear(&run);
    g_free(data);
    return doc;
}

ImpLayout *imp_layout_new(ImpContext *ctx, const ImpDocument *doc, const ImpStyle *style,
                          const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(ctx != NULL && doc != NULL && style != NULL, NULL);
    ImpRun run;
    imp__run_init(&run, options);
    ImpLayout *layout = imp__step_layout(ctx, doc, style, &run, error);
    imp__run_clear(&run);
    return layout;
}

gboolean imp_render(ImpLayout *layout, const ImpOptions *options, ImpWriteFunc write,
                    gpointer user_data, GError **error)
{
    g_return_val_if_fail(layout != NULL && write != NULL, FALSE);
    ImpRun run;
    imp__run_init(&run, options);
    ImpFormat format = run.options->format_set ? run.options->format : IMP_FORMAT_PDF;
    gboolean ok = imp__archive_render(layout, NULL, format, NULL, FALSE, &run, NULL, write,
                                      user_data, error);
    imp__run_clear(&run);
    return ok;
}

gboolean imp_render_to_file(ImpLayout *layout, const char *path, const ImpOptions *options,
                            GError **error)
{
    g_return_val_if_fail(layout != NULL && path != NULL, FALSE);
    ImpRun run;
    imp__run_init(&run, options);
    ImpFormat format;
    ImpOutput *out = NULL;
    gboolean ok = imp__output_format(path, run.options, &format, error) &&
                  (out = imp_output_open_full(path, imp__output_flags(run.options), error)) != NULL &&
                  imp__archive_render(layout, NULL, format, path, FALSE, &run, NULL,
                                      imp__output_write, out, error);
    if (ok) {
        ok = imp_output_commit(out, error);
        out = NULL;
    }
    imp_output_abort(out);
    imp__run_clear(&run);
    return ok;
}

GBytes *imp_render_to_bytes(ImpLayout *layout, const ImpOptions *options, GError **error)
{
    g_return_val_if_fail(layout != NULL, NULL);
    GByteArray *bytes = g_byte_array_new();
    if (!imp_render(layout, options, imp__bytes_write, bytes, error)) {
        g_byte_array_unref(bytes);
        return NULL;
    }
    return g_byte_array_free_to_bytes(bytes);
}
