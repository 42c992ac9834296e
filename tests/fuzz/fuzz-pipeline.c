/* fuzz-pipeline.c — libFuzzer target for the whole pipeline on small inputs, through the
 * public API (<imprint/imprint.h> only): read → layout → render, into memory.
 *
 * The first byte chooses the style (default, letter, archival, mofcom) and the format (PDF
 * mostly; SVG and a small PNG sometimes); the rest is the input, read as text (run with
 * -max_len=4096 or so: layout is the slow part). A style without reading rules reads with
 * the detected site's, as the imprint command does. Checked: reading fails only with
 * IMP_ERROR_INPUT; layout and render succeed for every document; the bytes are a whole
 * PDF, SVG or PNG, and a PDF opens in poppler (when built with poppler-glib) with as many
 * pages as the layout has.
 */
#include <string.h>

#ifdef IMP_HAVE_POPPLER
#include <poppler.h>
#endif

#include "fuzz.h"

static const char *const style_names[] = { "default", "letter", "archival", "mofcom" };
static ImpStyle *styles[G_N_ELEMENTS(style_names)];
static ImpContext *ctx;
static ImpOptions *options;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    imp_fuzz_fatal_warnings();
    GError *error = NULL;
    ctx = imp_context_new(imp_fuzz_datadir(), &error);
    if (ctx == NULL)
        g_error("%s", error->message);
    for (gsize i = 0; i < G_N_ELEMENTS(style_names); i++) {
        styles[i] = imp_style_new(ctx, style_names[i], NULL, &error);
        if (styles[i] == NULL)
            g_error("style %s: %s", style_names[i], error->message);
    }
    options = imp_options_new();
    imp_options_set_input_format(options, IMP_INPUT_TEXT);
    imp_options_set_diag_func(options, imp_fuzz_check_message, NULL);
    if (!imp_options_set_jobs(options, 1, &error) ||
        !imp_options_set_creation_time(options, 1700000000, &error) ||
        !imp_options_set_dpi(options, 18, &error))
        g_error("%s", error->message);
    return 0;
}

static gboolean has_suffix(GBytes *b, const char *s)
{
    gsize len, n = strlen(s);
    const guchar *data = g_bytes_get_data(b, &len);
    return len >= n && memcmp(data + len - n, s, n) == 0;
}

static gboolean has_prefix(GBytes *b, const char *s, gsize n)
{
    gsize len;
    const guchar *data = g_bytes_get_data(b, &len);
    return len >= n && memcmp(data, s, n) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ImpStyle *style = styles[data[0] % G_N_ELEMENTS(styles)];
    ImpFormat format = (data[0] >> 2) % 8 == 6 ? IMP_FORMAT_SVG
                     : (data[0] >> 2) % 8 == 7 ? IMP_FORMAT_PNG : IMP_FORMAT_PDF;
    GBytes *text = g_bytes_new(data + 1, size - 1);

    GError *error = NULL;
    ImpDocument *doc = imp_read_bytes(ctx, text, "fuzz.txt", style, options, &error);
    g_bytes_unref(text);
    if (doc == NULL) {
        if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_INPUT))
            g_error("read: %s", error->message);
        g_error_free(error);
        return 0;
    }
    ImpLayout *layout = imp_layout_new(ctx, doc, style, options, &error);
    if (layout == NULL)
        g_error("layout failed: %s", error->message);
    guint n_pages = imp_layout_get_n_pages(layout);
    if (n_pages == 0)
        g_error("layout: no pages");

    ImpOptions *o = imp_options_copy(options);
    imp_options_set_format(o, format);
    if (format != IMP_FORMAT_PDF)
        imp_options_set_pages(o, n_pages - 1, 1); /* the last page */
    GBytes *out = imp_render_to_bytes(layout, o, &error);
    imp_options_free(o);
    if (out == NULL)
        g_error("render failed: %s", error->message);

    switch (format) {
    case IMP_FORMAT_PDF: {
        if (!has_prefix(out, "%PDF-", 5) || !has_suffix(out, "%%EOF\n"))
            g_error("render: not a whole PDF");
#ifdef IMP_HAVE_POPPLER
        PopplerDocument *pdf = poppler_document_new_from_bytes(out, NULL, &error);
        if (pdf == NULL)
            g_error("poppler cannot open the PDF: %s", error->message);
        if (poppler_document_get_n_pages(pdf) != (int)n_pages)
            g_error("PDF has %d pages, layout %u", poppler_document_get_n_pages(pdf), n_pages);
        g_object_unref(pdf);
#endif
        break;
    }
    case IMP_FORMAT_SVG:
        if (!has_prefix(out, "<?xml", 5) || !has_suffix(out, "</svg>\n"))
            g_error("render: not a whole SVG");
        break;
    case IMP_FORMAT_PNG:
        if (!has_prefix(out, "\x89PNG\r\n\x1a\n", 8))
            g_error("render: not a PNG");
        break;
    }
    g_bytes_unref(out);
    imp_layout_free(layout);
    imp_document_free(doc);
    return 0;
}
