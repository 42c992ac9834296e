/* test-render.c — unit tests of the render stage and the layout → render boundary: a layout
 * is data that rendering only reads, and nothing the library does changes the process.
 *
 *  - the same layout drawn twice gives the same PDF, byte for byte; a PNG of page 2 is the
 *    same before and after the PDF is drawn; pages drawn in reverse order are the pages
 *    drawn in order (PNG and SVG);
 *  - a page the caller released is refused with IMP_ERROR_OUTPUT before any byte is written;
 *    the hooks are called once per page in order, then once before the document is
 *    finished, and releasing pages in them changes no byte of the PDF;
 *  - a host program's fontconfig setup (its current configuration, its number of fonts,
 *    what 'DejaVu Sans' matches) is the same after imp_fonts_new, a layout and a render;
 *  - two documents typeset at once on two threads (each with its own ImpFonts, and worker
 *    threads of their own) give the PDFs that typesetting them one after the other gives;
 *  - a PDF is tagged (read back with libqpdf): the structure tree of a document with every
 *    block the layout sets (headings with a level skipped, nested lists, a quotation,
 *    code, a notice) has the elements and nesting of tags.c, a paragraph broken over a page
 *    is a P of one Span a page, a run in another language a Span with its language in the
 *    element records, which come one per element in document order; the running heads
 *    are in no element (with mark_artifacts, in one form a page that holds no tagged
 *    content); the outline nests by level when a level is skipped; pages are labelled
 *    with the layout's numbers; an untagged render has no structure tree; a link target
 *    is escaped for cairo and the PDF string.
 *
 * Texts: the bundled speech (examples/speech.txt), and Tang poems from Debian's fortunes-zh
 * (/usr/share/games/fortunes/tang300), which is long enough for the layout's worker threads.
 */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <qpdf/qpdf-c.h>
#include <string.h>

#include "render/render-private.h"
#include "render/render.h"
#include "util/error.h"

/* Appends a block of `kind` with text [text, text + len). */
static ImpBlock *add_block(ImpDocument *doc, ImpBlockKind kind, const char *text, gssize len)
{
    ImpBlock *b = imp_document_append_block(doc, kind, imp_document_get_n_blocks(doc) + 1);
    imp_block_append_text(b, text, len);
    return b;
}

/* The speech as the reader would give it: its masthead and breadcrumb as metadata, its
 * title, its paragraphs (the web page's controls left out) and its closing notice;
 * `copies` times over. */
static ImpDocument *speech_document(guint copies)
{
    char *data = NULL;
    g_assert_true(g_file_get_contents(IMP_SOURCE_DIR "/examples/speech.txt", &data, NULL,
                                      NULL));
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, "speech.txt");
    imp_document_set_meta(doc, IMP_META_SITE, "MOFCOM");
    imp_document_set_meta(doc, IMP_META_SITE_EXTRA, "简体中文版");
    imp_document_set_meta(doc, IMP_META_SECTION, "Speeches");
    imp_document_set_meta(doc, IMP_META_SOURCE, "Source: Ministry of Commerce Website");
    char **paras = g_regex_split_simple("\n[ \t]*\n", data, 0, 0);
    for (guint c = 0; c < copies; c++) {
        gboolean last = c + 1 == copies, notice = FALSE;
        for (char **p = paras; *p != NULL; p++) {
            char *t = g_strstrip(g_strdup(*p));
            const char *title = imp_document_get_meta(doc, IMP_META_TITLE);
            if (*t == '\0' || g_str_has_prefix(t, "MOFCOM") || g_str_has_prefix(t, "Home") ||
                g_str_has_prefix(t, "Release Comment") || g_str_has_prefix(t, "Big ")) {
                /* the masthead, breadcrumb and web controls */
            } else if (title == NULL) {
                imp_document_set_meta(doc, IMP_META_TITLE, t);
                add_block(doc, IMP_BLOCK_TITLE, t, -1);
            } else if (strcmp(t, title) == 0) {
                imp_block_set_level(add_block(doc, IMP_BLOCK_HEADING, t, -1), 1);
            } else if (g_str_has_prefix(t, "Ministry of Commerce Website Copyright")) {
                notice = TRUE;
                if (last)
                    imp_block_set_level(add_block(doc, IMP_BLOCK_NOTICE, t, -1), 1);
            } else if (notice) {
                if (last)
                    add_block(doc, IMP_BLOCK_NOTICE, t, -1);
            } else {
                add_block(doc, IMP_BLOCK_PARAGRAPH, t, -1);
            }
            g_free(t);
        }
    }
    g_strfreev(paras);
    g_free(data);
    return doc;
}

/* Tang poems from fortunes-zh: each poem's title a heading, its lines a paragraph (the
 * file's colour escapes left out). NULL when the package is not installed. */
static ImpDocument *poems_document(void)
{
    char *data = NULL;
    if (!g_file_get_contents("/usr/share/games/fortunes/tang300", &data, NULL, NULL))
        return NULL;
    GRegex *escapes = g_regex_new("\x1b\\[[0-9;]*m", 0, 0, NULL);
    char *plain = g_regex_replace_literal(escapes, data, -1, 0, "", 0, NULL);
    g_regex_unref(escapes);
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, "tang300");
    imp_document_set_meta(doc, IMP_META_TITLE, "唐诗三百首");
    add_block(doc, IMP_BLOCK_TITLE, "唐诗三百首", -1);
    char **poems = g_strsplit(plain, "\n%\n", -1);
    for (char **p = poems; *p != NULL; p++) {
        char **lines = g_strsplit(*p, "\n", -1);
        if (lines[0] == NULL || *lines[0] == '\0') {
            g_strfreev(lines);
            continue;
        }
        imp_block_set_level(add_block(doc, IMP_BLOCK_HEADING, lines[0], -1), 2);
        char *body = g_strjoinv("", lines + 1);
        if (*body != '\0')
            add_block(doc, IMP_BLOCK_PARAGRAPH, body, -1);
        g_free(body);
        g_strfreev(lines);
    }
    g_strfreev(poems);
    g_free(plain);
    g_free(data);
    return doc;
}

static ImpStyle *load_style(const char *name)
{
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load(name, dirs, NULL, &error);
    g_assert_no_error(error);
    return style;
}

static ImpFonts *load_fonts(void)
{
    GError *error = NULL;
    ImpFonts *fonts = imp_fonts_new(IMP_SOURCE_DIR "/fonts/fonts.conf", &error);
    g_assert_no_error(error);
    return fonts;
}

static ImpLayout *make_layout(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                              int jobs)
{
    ImpLayoutOptions opt;
    imp__layout_options_init(&opt);
    opt.jobs = jobs;
    GError *error = NULL;
    ImpLayout *lay = imp__layout_new(doc, style, fonts, &opt, &error);
    g_assert_no_error(error);
    return lay;
}

static gboolean to_bytes(gpointer user_data, const guchar *data, gsize len)
{
    g_byte_array_append(user_data, data, (guint)len);
    return TRUE;
}

/* Draws `page` (1-based; PDF: every page) of the layout in `format` (transfer full). */
static GByteArray *draw(const ImpLayout *lay, ImpFormat format, guint page)
{
    ImpRenderOptions opt;
    imp__render_options_init(&opt);
    opt.format = format;
    opt.creation_time = 1700000000;
    opt.page = page;
    opt.dpi = 40;
    GByteArray *out = g_byte_array_new();
    GError *error = NULL;
    g_assert_true(imp__render(lay, &opt, to_bytes, out, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(out->len, >, 0);
    return out;
}

static void assert_same(GByteArray *a, GByteArray *b)
{

    g_assert_cmpuint(a->len, ==, b->len);
    g_assert_true(memcmp(a->data, b->data, a->len) == 0);
}

typedef struct {
    ImpFonts *fonts;
    ImpStyle *style;
    ImpDocument *doc;
    ImpLayout *layout;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->fonts = load_fonts();
    f->style = load_style("mofcom");
    f->doc = speech_document(3);
    f->layout = make_layout(f->doc, f->style, f->fonts, 1);
    g_assert_cmpuint(imp_layout_get_n_pages(f->layout), >=, 3);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    imp_layout_free(f->layout);
    imp_document_free(f->doc);
    imp_style_free(f->style);
    imp_fonts_free(f->fonts);
}

/* The same layout drawn twice as a PDF gives the same bytes (the second render used to get
 * pages the first had freed, and crashed); a PNG of page 2 is the same before and after. */
static void test_twice(Fixture *f, gconstpointer data)
{
    (void)data;
    GByteArray *png1 = draw(f->layout, IMP_FORMAT_PNG, 2);
    GByteArray *pdf1 = draw(f->layout, IMP_FORMAT_PDF, 0);
    GByteArray *pdf2 = draw(f->layout, IMP_FORMAT_PDF, 0);
    GByteArray *png2 = draw(f->layout, IMP_FORMAT_PNG, 2);
    g_assert_true(memcmp(pdf1->data, "%PDF-", 5) == 0);
    assert_same(pdf1, pdf2);
    assert_same(png1, png2);
    /* and a layout made again gives that PDF too */
    ImpLayout *again = make_layout(f->doc, f->style, f->fonts, 1);
    GByteArray *pdf3 = draw(again, IMP_FORMAT_PDF, 0);
    assert_same(pdf1, pdf3);
    imp_layout_free(again);
    g_byte_array_unref(png1);
    g_byte_array_unref(png2);
    g_byte_array_unref(pdf1);
    g_byte_array_unref(pdf2);
    g_byte_array_unref(pdf3);
}

/* An SVG with cairo's surface numbers taken out: cairo numbers the surfaces it makes with
 * a counter of the process ('<g id="surface615">'), so the same drawing made later in the
 * same process differs there only. */
static void svg_normalise(GByteArray *svg)
{
    char *text = g_strndup((const char *)svg->data, svg->len);
    GRegex *number = g_regex_new("surface[0-9]+", 0, 0, NULL);
    char *norm = g_regex_replace_literal(number, text, -1, 0, "surface", 0, NULL);
    g_regex_unref(number);
    g_byte_array_set_size(svg, 0);
    g_byte_array_append(svg, (const guint8 *)norm, (guint)strlen(norm));
    g_free(norm);
    g_free(text);
}

/* Pages drawn last to first are the pages drawn first to last, as PNG and as SVG. */
static void test_reverse_order(Fixture *f, gconstpointer data)
{
    (void)data;
    guint n = imp_layout_get_n_pages(f->layout);
    ImpFormat formats[] = { IMP_FORMAT_PNG, IMP_FORMAT_SVG };
    for (gsize k = 0; k < G_N_ELEMENTS(formats); k++) {
        GByteArray **back = g_new0(GByteArray *, n);
        for (guint p = n; p >= 1; p--) {
            back[p - 1] = draw(f->layout, formats[k], p);
            if (formats[k] == IMP_FORMAT_SVG)
                svg_normalise(back[p - 1]);
        }
        for (guint p = 1; p <= n; p++) {
            GByteArray *fwd = draw(f->layout, formats[k], p);
            if (formats[k] == IMP_FORMAT_SVG)
                svg_normalise(fwd);
            assert_same(fwd, back[p - 1]);
            g_byte_array_unref(fwd);
            if (p > 1) /* different pages differ */
                g_assert_true(back[p - 1]->len != back[p - 2]->len ||
                              memcmp(back[p - 1]->data, back[p - 2]->data,
                                     back[p - 1]->len) != 0);
        }
        for (guint p = 0; p < n; p++)
            g_byte_array_unref(back[p]);
        g_free(back);
    }
}

/* Reads a PNG from bytes. */
typedef struct {
    const guchar *data;
    gsize len, at;
} Reader;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
    Reader *r = closure;
    if (r->at + length > r->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->data + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
}

/* The PNG's paper is white: the back-end paints it before the page is drawn. */
static void test_png_paper(Fixture *f, gconstpointer data)
{
    (void)data;
    GByteArray *png = draw(f->layout, IMP_FORMAT_PNG, 1);
    Reader r = { png->data, png->len, 0 };
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_png, &r);
    g_assert_cmpint(cairo_surface_status(img), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(img);
    const guint32 *px = (const guint32 *)(gpointer)cairo_image_surface_get_data(img);
    g_assert_cmphex(px[0] & 0xFFFFFF, ==, 0xFFFFFF); /* the top-left corner is paper */
    cairo_surface_destroy(img);
    g_byte_array_unref(png);
}

/* A page released by the caller cannot be drawn: IMP_ERROR_OUTPUT, and no byte written;
 * the pages left can. */
static void test_released(Fixture *f, gconstpointer data)
{
    (void)data;
    imp_layout_release_page(f->layout, 1);
    ImpRenderOptions opt;
    imp__render_options_init(&opt);
    opt.creation_time = 1700000000;
    GByteArray *out = g_byte_array_new();
    GError *error = NULL;
    g_assert_false(imp__render(f->layout, &opt, to_bytes, out, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_assert_nonnull(strstr(error->message, "page 2 was released"));
    g_clear_error(&error);
    g_assert_cmpuint(out->len, ==, 0);
    opt.format = IMP_FORMAT_PNG;
    opt.page = 2;
    g_assert_false(imp__render(f->layout, &opt, to_bytes, out, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_clear_error(&error);
    g_assert_cmpuint(out->len, ==, 0);
    opt.page = 3;
    g_assert_true(imp__render(f->layout, &opt, to_bytes, out, &error));
    g_assert_no_error(error);
    g_byte_array_unref(out);
}

typedef struct {
    ImpLayout *layout;
    GString *calls;
} Hooks;

static void page_done(guint page, gpointer data)
{
    Hooks *h = data;
    g_string_append_printf(h->calls, "%u ", page);
    imp_layout_release_page(h->layout, page);
}

static void before_finish(gpointer data)
{
    Hooks *h = data;
    g_string_append(h->calls, "finish");
}

/* The hooks: page_done after each page in order, before_finish once after them; a caller
 * that releases each page in page_done gets the PDF of a render that releases nothing, and
 * the pages are gone afterwards. */
static void test_hooks(Fixture *f, gconstpointer data)
{
    (void)data;
    GByteArray *plain = draw(f->layout, IMP_FORMAT_PDF, 0);
    Hooks h = { f->layout, g_string_new(NULL) };
    ImpRenderOptions opt;
    imp__render_options_init(&opt);
    opt.creation_time = 1700000000;
    opt.page_done = page_done;
    opt.before_finish = before_finish;
    opt.hook_data = &h;
    GByteArray *out = g_byte_array_new();
    g_assert_true(imp__render(f->layout, &opt, to_bytes, out, NULL));
    guint n = imp_layout_get_n_pages(f->layout);
    GString *want = g_string_new(NULL);
    for (guint p = 0; p < n; p++)
        g_string_append_printf(want, "%u ", p);
    g_string_append(want, "finish");
    g_assert_cmpstr(h.calls->str, ==, want->str);
    assert_same(plain, out);
    for (guint p = 0; p < n; p++)
        g_assert_null(imp_layout_get_items(f->layout, p, NULL));
    g_string_free(want, TRUE);
    g_string_free(h.calls, TRUE);
    g_byte_array_unref(out);
    g_byte_array_unref(plain);
}

/* imp__render_options_init sets every field, whatever was there. */
static void test_options_init(void)
{
    ImpRenderOptions opt;
    memset(&opt, 0xA5, sizeof opt);
    imp__render_options_init(&opt);
    g_assert_cmpint(opt.format, ==, IMP_FORMAT_PDF);
    g_assert_cmpint(opt.creation_time, <, 0);
    g_assert_cmpuint(opt.page, ==, 1);
    g_assert_cmpfloat(opt.dpi, ==, 150);
    g_assert_null(opt.creator);
    g_assert_null(opt.page_done);
    g_assert_null(opt.before_finish);
    g_assert_null(opt.hook_data);
}

/* The file and face index fontconfig's current configuration matches `family` with
 * (transfer full). */
static char *host_match(const char *family)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)family);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, pat, &result);
    FcChar8 *file = NULL;
    int index = 0;
    char *s;
    if (match != NULL && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        s = g_strdup_printf("%s:%d", (const char *)file, index);
    } else {
        s = g_strdup("(none)");
    }
    if (match != NULL)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return s;
}

static int host_n_fonts(void)
{
    FcFontSet *set = FcConfigGetFonts(FcConfigGetCurrent(), FcSetSystem);
    return set != NULL ? set->nfont : 0;
}

/* A host program's fonts are its own: after imp_fonts_new, a layout and a render, its
 * current FcConfig, its number of fonts and what 'DejaVu Sans' matches are unchanged (they
 * were changed when imp_fonts_new made its FcConfig current: 429 fonts became 301). */
static void test_host_fontconfig(void)
{
    FcConfig *before = FcConfigGetCurrent();
    int n_before = host_n_fonts();
    char *match_before = host_match("DejaVu Sans");
    g_assert_cmpint(n_before, >, 0);

    ImpFonts *fonts = load_fonts();
    ImpStyle *style = load_style("default");
    ImpDocument *doc = speech_document(1);
    ImpLayout *lay = make_layout(doc, style, fonts, 2);
    GByteArray *pdf = draw(lay, IMP_FORMAT_PDF, 0);
    GByteArray *png = draw(lay, IMP_FORMAT_PNG, 1);

    g_assert_true(FcConfigGetCurrent() == before);
    g_assert_cmpint(host_n_fonts(), ==, n_before);
    char *match_after = host_match("DejaVu Sans");
    g_assert_cmpstr(match_after, ==, match_before);
    g_free(match_after);

    imp_layout_free(lay);
    imp_fonts_free(fonts);
    g_assert_true(FcConfigGetCurrent() == before);
    g_assert_cmpint(host_n_fonts(), ==, n_before);
    g_byte_array_unref(pdf);
    g_byte_array_unref(png);
    imp_document_free(doc);
    imp_style_free(style);
    g_free(match_before);
}

/* One document typeset on a thread: fonts, layout (with two worker threads of its own) and
 * PDF. */
typedef struct {
    const ImpDocument *doc;
    const char *style;
    GByteArray *pdf;
} Job;

static gpointer typeset(gpointer data)
{
    Job *job = data;
    ImpFonts *fonts = load_fonts();
    ImpStyle *style = load_style(job->style);
    ImpLayout *lay = make_layout(job->doc, style, fonts, 2);
    job->pdf = draw(lay, IMP_FORMAT_PDF, 0);
    imp_layout_free(lay);
    imp_style_free(style);
    imp_fonts_free(fonts);
    return NULL;
}

/* Two documents typeset at once on two threads give the PDFs they give one after the
 * other. */
static void test_two_threads(void)
{
    ImpDocument *poems = poems_document();
    if (poems == NULL) {
        g_test_skip("fortunes-zh is not installed");
        return;
    }
    ImpDocument *speech = speech_document(20); /* over 64 KB: the layout's workers run */
    Job seq[2] = { { speech, "mofcom", NULL }, { poems, "default", NULL } };
    Job par[2] = { { speech, "mofcom", NULL }, { poems, "default", NULL } };
    for (int k = 0; k < 2; k++)
        typeset(&seq[k]);
    for (int round = 0; round < 2; round++) {
        GThread *t[2];
        for (int k = 0; k < 2; k++)
            t[k] = g_thread_new("typeset", typeset, &par[k]);
        for (int k = 0; k < 2; k++) {
            g_thread_join(t[k]);
            assert_same(seq[k].pdf, par[k].pdf);
            g_byte_array_unref(par[k].pdf);
        }
    }
    g_assert_true(seq[0].pdf->len != seq[1].pdf->len);
    for (int k = 0; k < 2; k++)
        g_byte_array_unref(seq[k].pdf);
    imp_document_free(speech);
    imp_document_free(poems);
}


/* ---- The tagged structure, read back with libqpdf ---- */

/* A PDF opened with libqpdf from rendered bytes (kept alive: qpdf reads from them). */
typedef struct {
    qpdf_data q;
    GByteArray *bytes;
} Pdf;

static Pdf pdf_open(GByteArray *bytes)
{
    Pdf p = { qpdf_init(), bytes };
    qpdf_silence_errors(p.q);
    qpdf_read_memory(p.q, "render", (const char *)bytes->data, bytes->len, NULL);
    g_assert_false(qpdf_has_error(p.q));
    return p;
}

static void pdf_close(Pdf *p)
{
    qpdf_cleanup(&p->q);
    g_byte_array_unref(p->bytes);
}

/* dict[key] (a null object when dict is no dictionary). */
static qpdf_oh get(qpdf_data q, qpdf_oh dict, const char *key)
{
    return qpdf_oh_is_dictionary(q, dict) ? qpdf_oh_get_key(q, dict, key)
                                          : qpdf_oh_new_null(q);
}

/* Appends the elements under /K value k to s as "Type(kids),Type" (MCIDs and object
 * references left out), and each element's /Lang (or "-") to langs. */
static void tree_append(qpdf_data q, qpdf_oh k, GString *s, GString *langs)
{
    if (qpdf_oh_is_array(q, k)) {
        int n = qpdf_oh_get_array_n_items(q, k);
        for (int i = 0; i < n; i++)
            tree_append(q, qpdf_oh_get_array_item(q, k, i), s, langs);
        return;
    }
    qpdf_oh type = get(q, k, "/S");
    if (!qpdf_oh_is_name(q, type))
        return;
    if (s->len > 0 && s->str[s->len - 1] != '(')
        g_string_append_c(s, ',');
    g_string_append(s, qpdf_oh_get_name(q, type) + 1);
    qpdf_oh lang = get(q, k, "/Lang");
    g_string_append_printf(langs, "%s ", qpdf_oh_is_string(q, lang)
                                             ? qpdf_oh_get_utf8_value(q, lang) : "-");
    qpdf_oh kids = get(q, k, "/K");
    GString *sub = g_string_new("(");
    tree_append(q, kids, sub, langs);
    if (sub->len > 1) {
        g_string_append(s, sub->str);
        g_string_append_c(s, ')');
    }
    g_string_free(sub, TRUE);
}

/* The structure tree of a PDF as "Document(H1,P,...)"; NULL when it has none
 * (transfer full). `langs`, when not NULL, gets each element's /Lang in document order. */
static char *tree_of(Pdf *p, GString *langs)
{
    qpdf_oh tree = get(p->q, qpdf_get_root(p->q), "/StructTreeRoot");
    if (!qpdf_oh_is_dictionary(p->q, tree))
        return NULL;
    GString *s = g_string_new(NULL), *l = g_string_new(NULL);
    tree_append(p->q, get(p->q, tree, "/K"), s, l);
    if (langs != NULL)
        g_string_append(langs, l->str);
    g_string_free(l, TRUE);
    return g_string_free(s, FALSE);
}

/* Renders `lay` as a PDF with `tagged` and `mark` and, when `elements` is not NULL, the
 * element records (transfer full). */
static GByteArray *draw_pdf(const ImpLayout *lay, gboolean tagged, gboolean mark,
                            GArray *elements, guint first, guint last)
{
    ImpRenderOptions opt;
    imp__render_options_init(&opt);
    opt.creation_time = 1700000000;
    opt.tagged = tagged;
    opt.mark_artifacts = mark;
    opt.elements = elements;
    opt.page = first;
    opt.last_page = last;
    GByteArray *out = g_byte_array_new();
    GError *error = NULL;
    g_assert_true(imp__render(lay, &opt, to_bytes, out, &error));
    g_assert_no_error(error);
    return out;
}

/* A document of every block the layout sets, with lists nested and a level skipped. */
static ImpDocument *blocks_document(void)
{
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_TITLE, "Blocks");
    imp_document_set_meta(doc, IMP_META_LANGUAGE, "en");
    add_block(doc, IMP_BLOCK_TITLE, "Blocks", -1);
    imp_block_set_level(add_block(doc, IMP_BLOCK_HEADING, "One", -1), 1);
    add_block(doc, IMP_BLOCK_PARAGRAPH, "A paragraph under the first heading.", -1);
    imp_block_set_level(add_block(doc, IMP_BLOCK_HEADING, "Three", -1), 3);
    add_block(doc, IMP_BLOCK_PARAGRAPH, "A paragraph under a heading two levels down.", -1);
    const char *items[][3] = {
        /* text, depth, start */
        { "First item", "1", "1" }, { "Second item", "1", "0" }, { "Nested item", "2", "1" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
        ImpBlock *b = add_block(doc, IMP_BLOCK_LIST_ITEM, items[i][0], -1);
        imp_block_set_list_depth(b, (guint)atoi(items[i][1]));
        imp_block_set_marker(b, "•");
        if (items[i][2][0] == '1')
            imp_block_set_flags(b, IMP_BLOCK_FLAG_LIST_START);
    }
    imp_block_set_list_depth(add_block(doc, IMP_BLOCK_PARAGRAPH, "The second item goes on.", -1),
                             1);
    ImpBlock *third = add_block(doc, IMP_BLOCK_LIST_ITEM, "Third item", -1);
    imp_block_set_list_depth(third, 1);
    imp_block_set_marker(third, "•");
    imp_block_set_quote_depth(add_block(doc, IMP_BLOCK_PARAGRAPH, "A quotation.", -1), 1);
    add_block(doc, IMP_BLOCK_CODE, "int main(void)\n{\n    return 0;\n}", -1);
    imp_block_set_level(add_block(doc, IMP_BLOCK_NOTICE, "Notice", -1), 1);
    add_block(doc, IMP_BLOCK_NOTICE, "Reproduced with permission. Source: the test.", -1);
    return doc;
}

/* Every block gets its element, nested as tags.c says: headings by depth (a skipped level
 * is not skipped), lists in the LBody of their item, a continuation in the same LBody, the
 * quotation's BlockQuote, the notice's Note; one record per element, in order. */
static void test_structure(void)
{
    ImpFonts *fonts = load_fonts();
    ImpStyle *style = load_style("default");
    ImpDocument *doc = blocks_document();
    ImpLayout *lay = make_layout(doc, style, fonts, 1);
    GArray *elements = g_array_new(FALSE, FALSE, sizeof(ImpRenderElement));
    Pdf p = pdf_open(draw_pdf(lay, TRUE, FALSE, elements, 1, 0));
    char *tree = tree_of(&p, NULL);
    g_assert_cmpstr(tree, ==,
                    "Document(H1,H2,P,H3,P,"
                    "L(LI(Lbl,LBody(P)),LI(Lbl,LBody(P,L(LI(Lbl,LBody(P))),P)),LI(Lbl,LBody(P))),"
                    "BlockQuote(P),Code,Note(P,P))");
    /* one record per element: count the type names in the tree */
    guint n = 0;
    for (const char *c = tree; *c != '\0'; c++)
        n += g_ascii_isupper(*c) && (c == tree || *(c - 1) == '(' || *(c - 1) == ',');
    g_assert_cmpuint(elements->len, ==, n);
    g_free(tree);
    pdf_close(&p);
    g_array_free(elements, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
    imp_fonts_free(fonts);
}

/* A paragraph broken over a page is one P of one Span a page (cairo would otherwise carry
 * the leaf's marked content over the break, around the next page's running head); a run in
 * another language is a Span whose record carries the language, and nothing else repeats
 * the document's language. */
static void test_structure_pages_and_languages(void)
{
    ImpFonts *fonts = load_fonts();
    ImpStyle *style = load_style("default");
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_TITLE, "Long");
    imp_document_set_meta(doc, IMP_META_LANGUAGE, "en");
    GString *text = g_string_new(NULL);
    for (int i = 0; i < 400; i++)
        g_string_append(text, "Every word of this paragraph is in its one element. ");
    ImpBlock *p1 = add_block(doc, IMP_BLOCK_PARAGRAPH, text->str, -1);
    imp_block_set_language(p1, "en");
    ImpBlock *p2 = add_block(doc, IMP_BLOCK_PARAGRAPH, "He said ", -1);
    gsize start = strlen("He said ");
    imp_block_append_text(p2, "こんにちは", -1);
    imp_block_add_lang_span(p2, start, start + strlen("こんにちは"), "ja");
    imp_block_append_text(p2, " and left.", -1);
    g_string_free(text, TRUE);
    ImpLayout *lay = make_layout(doc, style, fonts, 1);
    g_assert_cmpuint(imp_layout_get_n_pages(lay), >=, 3);
    GArray *elements = g_array_new(FALSE, FALSE, sizeof(ImpRenderElement));
    Pdf p = pdf_open(draw_pdf(lay, TRUE, FALSE, elements, 1, 0));
    char *tree = tree_of(&p, NULL);
    GString *expect = g_string_new("Document(P(Span");
    for (guint i = 1; i < imp_layout_get_n_pages(lay); i++)
        g_string_append(expect, ",Span");
    g_string_append(expect, "),P(Span,Span,Span))");
    g_assert_cmpstr(tree, ==, expect->str);
    /* the records: only the Japanese Span has a language of its own */
    guint n_lang = 0;
    for (guint i = 0; i < elements->len; i++) {
        const ImpRenderElement *e = &g_array_index(elements, ImpRenderElement, i);
        if (e->language != NULL) {
            g_assert_cmpstr(e->language, ==, "ja");
            g_assert_cmpuint(i, ==, elements->len - 2); /* Document, P, Span…, P, Span, Span */
            n_lang++;
        }
    }
    g_assert_cmpuint(n_lang, ==, 1);
    g_string_free(expect, TRUE);
    g_free(tree);
    pdf_close(&p);
    g_array_free(elements, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
    imp_fonts_free(fonts);
}

/* The names of the XObjects of a page's resources that are forms, and whether one of them
 * holds an MCID. */
static guint page_forms(Pdf *p, int page, gboolean *tagged_inside, GString *text)
{
    qpdf_data q = p->q;
    qpdf_oh pg = qpdf_get_page_n(q, (size_t)page);
    qpdf_oh xo = get(q, get(q, pg, "/Resources"), "/XObject");
    guint n = 0;
    *tagged_inside = FALSE;
    while (qpdf_oh_is_dictionary(q, xo)) {
        qpdf_oh_begin_dict_key_iter(q, xo);
        while (qpdf_oh_dict_more_keys(q)) {
            const char *key = qpdf_oh_dict_next_key(q);
            qpdf_oh x = qpdf_oh_get_key(q, xo, key);
            qpdf_oh sub = get(q, qpdf_oh_get_dict(q, x), "/Subtype");
            if (qpdf_oh_is_name_and_equals(q, sub, "/Form")) {
                unsigned char *buf = NULL;
                size_t len = 0;
                QPDF_BOOL filtered;
                qpdf_oh_get_stream_data(q, x, qpdf_dl_generalized, &filtered, &buf, &len);
                *tagged_inside = *tagged_inside || g_strstr_len((char *)buf, (gssize)len, "MCID");
                g_string_append_len(text, (char *)buf, (gssize)len);
                free(buf);
                n++;
            }
        }
        break;
    }
    return n;
}

/* The running heads and footers are in no element: with mark_artifacts each page's
 * furniture is a form XObject that holds them (its page number among them) and no tagged
 * content; without, the pages have no forms. */
static void test_furniture(Fixture *f, gconstpointer data)
{
    (void)data;
    Pdf p = pdf_open(draw_pdf(f->layout, TRUE, TRUE, NULL, 1, 0));
    for (int pg = 0; pg < (int)imp_layout_get_n_pages(f->layout); pg++) {
        gboolean tagged;
        GString *text = g_string_new(NULL);
        g_assert_cmpuint(page_forms(&p, pg, &tagged, text), >=, 1);
        g_assert_false(tagged);
        char *number = g_strdup_printf("(Page %d of", pg + 1); /* mofcom's footer */
        g_assert_nonnull(strstr(text->str, number));
        g_free(number);
        g_string_free(text, TRUE);
    }
    pdf_close(&p);
    p = pdf_open(draw_pdf(f->layout, TRUE, FALSE, NULL, 1, 0));
    gboolean tagged;
    GString *text = g_string_new(NULL);
    g_assert_cmpuint(page_forms(&p, 0, &tagged, text), ==, 0);
    g_string_free(text, TRUE);
    pdf_close(&p);
}

/* Appends the outline under `item` as "Title(kids),Title". */
static void outline_append(qpdf_data q, qpdf_oh item, GString *s)
{
    for (int guard = 0; qpdf_oh_is_dictionary(q, item) && guard < 100; guard++) {
        if (s->len > 0 && s->str[s->len - 1] != '(')
            g_string_append_c(s, ',');
        g_string_append(s, qpdf_oh_get_utf8_value(q, get(q, item, "/Title")));
        qpdf_oh first = get(q, item, "/First");
        if (qpdf_oh_is_dictionary(q, first)) {
            g_string_append_c(s, '(');
            outline_append(q, first, s);
            g_string_append_c(s, ')');
        }
        item = get(q, item, "/Next");
    }
}

/* The outline nests by level (the title at level 1, beside the top headings), a skipped
 * level nesting under the nearest above; a range of
 * pages is labelled with the layout's numbers (from page 1 the default numbering is
 * right, and cairo cannot write its label); an untagged render has no structure tree. */
static void test_outline_and_labels(void)
{
    ImpFonts *fonts = load_fonts();
    ImpStyle *style = load_style("default");
    ImpDocument *doc = blocks_document();
    ImpLayout *lay = make_layout(doc, style, fonts, 1);
    Pdf p = pdf_open(draw_pdf(lay, TRUE, FALSE, NULL, 1, 0));
    GString *s = g_string_new(NULL);
    outline_append(p.q, get(p.q, get(p.q, qpdf_get_root(p.q), "/Outlines"), "/First"), s);
    g_assert_cmpstr(s->str, ==, "Blocks,One(Three)"); /* the title and level-1 headings side by side */
    /* from page 1: no labels (cairo would write an empty tree; the finish stage adds one) */
    g_assert_false(qpdf_oh_has_key(p.q, qpdf_get_root(p.q), "/PageLabels"));
    pdf_close(&p);
    g_string_free(s, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);

    /* a range: page 2 of the speech drawn alone is labelled 2 */
    doc = speech_document(3);
    lay = make_layout(doc, style, fonts, 1);
    p = pdf_open(draw_pdf(lay, TRUE, FALSE, NULL, 2, 2));
    g_assert_cmpint(qpdf_get_num_pages(p.q), ==, 1);
    qpdf_oh nums = get(p.q, get(p.q, qpdf_get_root(p.q), "/PageLabels"), "/Nums");
    g_assert_cmpint(qpdf_oh_get_int_value(p.q, qpdf_oh_get_array_item(p.q, nums, 0)), ==, 0);
    qpdf_oh label = qpdf_oh_get_array_item(p.q, nums, 1);
    g_assert_true(qpdf_oh_is_name_and_equals(p.q, get(p.q, label, "/S"), "/D"));
    g_assert_cmpint(qpdf_oh_get_int_value(p.q, get(p.q, label, "/St")), ==, 2);
    char *tree = tree_of(&p, NULL);
    g_assert_nonnull(tree);
    g_assert_true(g_str_has_prefix(tree, "Document("));
    g_free(tree);
    pdf_close(&p);
    p = pdf_open(draw_pdf(lay, FALSE, FALSE, NULL, 1, 0));
    g_assert_null(tree_of(&p, NULL));
    pdf_close(&p);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
    imp_fonts_free(fonts);
}

/* A link target reaches cairo's uri attribute so that cairo's PDF string holds it whole:
 * parentheses escaped for the string, what a URI cannot hold percent-encoded, a quote
 * escaped for the attribute. */
static void test_uri_attribute(void)
{
    char *a = imp__links_uri_attribute("https://example.org/a b/(c)\\d'e/é?q=1&r=%20");
    g_assert_cmpstr(a, ==, "https://example.org/a%20b/\\\\(c\\\\)%5Cd\\'e/%C3%A9?q=1&r=%20");
    g_free(a);
}

int main(int argc, char **argv)
{
    /* a host program with the system's fonts, not the ones the tests pin for imprint */
    g_unsetenv("FONTCONFIG_FILE");
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/render/host-fontconfig", test_host_fontconfig);
    g_test_add("/render/twice", Fixture, NULL, fixture_setup, test_twice, fixture_teardown);
    g_test_add("/render/reverse-order", Fixture, NULL, fixture_setup, test_reverse_order,
               fixture_teardown);
    g_test_add("/render/png-paper", Fixture, NULL, fixture_setup, test_png_paper,
               fixture_teardown);
    g_test_add("/render/released", Fixture, NULL, fixture_setup, test_released,
               fixture_teardown);
    g_test_add("/render/hooks", Fixture, NULL, fixture_setup, test_hooks, fixture_teardown);
    g_test_add_func("/render/options-init", test_options_init);
    g_test_add_func("/render/two-threads", test_two_threads);
    g_test_add_func("/render/structure", test_structure);
    g_test_add_func("/render/structure-pages-languages", test_structure_pages_and_languages);
    g_test_add("/render/furniture", Fixture, NULL, fixture_setup, test_furniture,
               fixture_teardown);
    g_test_add_func("/render/outline-labels", test_outline_and_labels);
    g_test_add_func("/render/uri-attribute", test_uri_attribute);
    return g_test_run();
}
