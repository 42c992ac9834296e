/* fuzz-pipeline.c — libFuzzer target for the whole pipeline on small inputs: read → style
 * → layout → render, into memory.
 *
 * The first byte chooses the style (default, letter, archival, mofcom) and the format (PDF
 * mostly; SVG and a small PNG sometimes); the rest is the input (run with -max_len=4096 or
 * so: layout is the slow part). Checked: reading fails only with IMP_ERROR_INPUT; layout
 * and render succeed for every document; the bytes are a whole PDF, SVG or PNG, and a PDF
 * opens in poppler (when built with poppler-glib) with as many pages as the layout has.
 */
#include <string.h>

#ifdef IMP_HAVE_POPPLER
#include <poppler.h>
#endif

#include "fuzz.h"
#include "imprint.h"

static const char *const style_names[] = { "default", "letter", "archival", "mofcom" };
static ImpStyle *styles[G_N_ELEMENTS(style_names)];
static ImpFonts *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    imp_fuzz_fatal_warnings();
    char *dir = g_build_filename(imp_fuzz_datadir(), "styles", NULL);
    const char *dirs[] = { dir, NULL };
    GError *error = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(style_names); i++) {
        styles[i] = imp_style_load(style_names[i], dirs, NULL, &error);
        if (styles[i] == NULL)
            g_error("style %s: %s", style_names[i], error->message);
    }
    g_free(dir);
    char *conf = g_build_filename(imp_fuzz_datadir(), "fonts", "fonts.conf", NULL);
    fonts = imp_fonts_new(conf, &error);
    if (fonts == NULL)
        g_error("%s", error->message);
    g_free(conf);
    return 0;
}

static gboolean to_memory(gpointer user_data, const guchar *data, gsize len)
{
    g_byte_array_append(user_data, data, (guint)len);
    return TRUE;
}

static gboolean has_suffix(const GByteArray *b, const char *s)
{
    gsize n = strlen(s);
    return b->len >= n && memcmp(b->data + b->len - n, s, n) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ImpStyle *style = styles[data[0] % G_N_ELEMENTS(styles)];
    ImpFormat format = (data[0] >> 2) % 8 == 6 ? IMP_FORMAT_SVG
                     : (data[0] >> 2) % 8 == 7 ? IMP_FORMAT_PNG : IMP_FORMAT_PDF;
    char *text = g_memdup2(data + 1, size - 1);

    ImpDiag diag = { imp_fuzz_check_message, NULL };
    GError *error = NULL;
    ImpDocument *doc = imp_read_text(text, size - 1, "fuzz.txt",
                                     imp_style_get_read_rules(style), &diag, &error);
    g_free(text);
    if (doc == NULL) {
        if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_INPUT))
            g_error("read: %s", error->message);
        g_error_free(error);
        return 0;
    }
    ImpLayoutOptions lopt;
    imp__layout_options_init(&lopt);
    lopt.diag = &diag;
    lopt.jobs = 1;
    ImpLayout *layout = imp__layout_new(doc, style, fonts, &lopt, &error);
    if (layout == NULL)
        g_error("layout failed: %s", error->message);
    guint n_pages = imp_layout_get_n_pages(layout);
    if (n_pages == 0)
        g_error("layout: no pages");

    ImpRenderOptions ropt;
    imp__render_options_init(&ropt);
    ropt.format = format;
    ropt.creation_time = 1700000000;
    ropt.page = n_pages; /* the last page, for PNG and SVG */
    ropt.dpi = 18;
    GByteArray *out = g_byte_array_new();
    if (!imp__render(layout, &ropt, to_memory, out, &error))
        g_error("render failed: %s", error->message);

    switch (format) {
    case IMP_FORMAT_PDF: {
        if (out->len < 8 || memcmp(out->data, "%PDF-", 5) != 0 || !has_suffix(out, "%%EOF\n"))
            g_error("render: not a whole PDF");
#ifdef IMP_HAVE_POPPLER
        GBytes *bytes = g_bytes_new_static(out->data, out->len);
        PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, &error);
        if (pdf == NULL)
            g_error("poppler cannot open the PDF: %s", error->message);
        if (poppler_document_get_n_pages(pdf) != (int)n_pages)
            g_error("PDF has %d pages, layout %u", poppler_document_get_n_pages(pdf), n_pages);
        g_object_unref(pdf);
        g_bytes_unref(bytes);
#endif
        break;
    }
    case IMP_FORMAT_SVG:
        if (out->len < 5 || memcmp(out->data, "<?xml", 5) != 0 || !has_suffix(out, "</svg>\n"))
            g_error("render: not a whole SVG");
        break;
    case IMP_FORMAT_PNG:
        if (out->len < 8 || memcmp(out->data, "\x89PNG\r\n\x1a\n", 8) != 0)
            g_error("render: not a PNG");
        break;
    }
    g_byte_array_unref(out);
    imp_layout_free(layout);
    imp_document_free(doc);
    return 0;
}
