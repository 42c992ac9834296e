/* test-finish.c — the PDF post-pass (finish/finish.h), clause by clause.
 *
 * Each test makes a small PDF with cairo here (text in an embedded font set by Pango with
 * the project's fonts.conf, a link, structure tags, an image), runs the pass, and reads
 * the result back with libqpdf: the XMP packet parsed with GMarkup and compared with the
 * Info dictionary, the output intent, the /ID, /Lang, associated files, annotation flags.
 * Inputs that break a rule are made by editing cairo's PDF with libqpdf (JavaScript,
 * encryption, LZW, an external stream, an unembedded font) or by drawing what breaks it
 * (an image with /Interpolate, a glyph with no character, untagged content); each
 * refusal's message is checked for the standard, the clause and the place.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

#include "finish/finish-private.h"
#include "finish/finish.h"
#include "util/error.h"

#define T0 1700000000 /* 2023-11-14T22:13:20Z */

/* --write-dir DIR: where tests/e2e/pdfa-tools.sh has the finished PDFs written, to check
 * them with tools/check-pdfa and tools/preflight. NULL: nothing is written. */
static const char *write_dir;

/* Writes a finished PDF as write_dir/NAME when asked to. */
static void keep(const char *name, GBytes *pdf)
{
    if (write_dir == NULL)
        return;
    char *path = g_build_filename(write_dir, name, NULL);
    gsize len;
    const char *data = g_bytes_get_data(pdf, &len);
    GError *error = NULL;
    g_assert_true(g_file_set_contents(path, data, (gssize)len, &error));
    g_assert_no_error(error);
    g_free(path);
}

/* ================================================================ making PDFs */

static cairo_status_t to_array(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* What a test PDF holds. */
enum {
    MAKE_TAGS = 1 << 0,        /* a structure tree: Document > H1, P, Figure, P > Span */
    MAKE_LINK = 1 << 1,        /* a link annotation; without MAKE_TAGS cairo 1.16 writes a
                                  damaged file (the link's structure element is referred to
                                  and never written) */
    MAKE_IMAGE = 1 << 2,       /* an image with alpha, drawn with CAIRO_FILTER_FAST */
    MAKE_IMAGE_GOOD = 1 << 3,  /* the same with cairo's default filter (GOOD: /Interpolate) */
    MAKE_NOTDEF = 1 << 4,      /* a glyph 0 (.notdef) shown with no text */
    MAKE_UNTAGGED = 1 << 5,    /* text drawn outside any tag */
    MAKE_OTHER_TEXT = 1 << 6,  /* different body text */
    MAKE_TWO_PAGES = 1 << 7
};

/* Draws `text` with Pango at (x, y) in Noto Serif 12. */
static void show(cairo_t *cr, const char *text, double x, double y)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Noto Serif 12");
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(fd);
    g_object_unref(l);
}

/* Makes a one-page PDF (two with MAKE_TWO_PAGES) with cairo (transfer full). */
static GBytes *make_pdf(guint what)
{
    GByteArray *out = g_byte_array_new();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_array, out, 300, 300);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Cairo's title");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "Cairo's author");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "test-finish");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2023-11-14T22:13:20Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2023-11-14T22:13:20Z");
    cairo_t *cr = cairo_create(s);
    cairo_pdf_surface_set_page_label(s, "i");
    gboolean tags = (what & MAKE_TAGS) != 0;
    if (tags) {
        cairo_tag_begin(cr, "Document", NULL);
        cairo_tag_begin(cr, "H1", NULL);
    }
    show(cr, "Heading", 20, 20);
    if (tags) {
        cairo_tag_end(cr, "H1");
        cairo_tag_begin(cr, "P", NULL);
    }
    show(cr, what & MAKE_OTHER_TEXT ? "Other words, fi and ffl." : "Body text, fi and ffl.", 20,
         50);
    if (tags)
        cairo_tag_end(cr, "P");
    if (what & MAKE_LINK) {
        /* cairo 1.16 marks the content of leaf elements only: the link has a P of its own */
        if (tags)
            cairo_tag_begin(cr, "P", NULL);
        cairo_tag_begin(cr, CAIRO_TAG_LINK,
                        "uri='https://example.org/a?b=1&c=2' rect=[20 80 100 20]");
        show(cr, "a link", 20, 80);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        if (tags)
            cairo_tag_end(cr, "P");
    }
    if (what & (MAKE_IMAGE | MAKE_IMAGE_GOOD)) {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
        cairo_t *ic = cairo_create(img);
        cairo_set_source_rgba(ic, 1, 0, 0, 0.5);
        cairo_paint(ic);
        cairo_destroy(ic);
        if (tags)
            cairo_tag_begin(cr, "Figure", NULL);
        cairo_save(cr);
        cairo_set_source_surface(cr, img, 100, 120);
        if (what & MAKE_IMAGE)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_FAST);
        cairo_paint(cr);
        cairo_restore(cr);
        if (tags)
            cairo_tag_end(cr, "Figure");
        cairo_surface_destroy(img);
    }
    if (tags) {
        cairo_tag_begin(cr, "P", NULL);
        cairo_tag_begin(cr, "Span", NULL);
    }
    show(cr, "日本語の引用", 20, 200);
    if (what & MAKE_NOTDEF) {
        /* glyph 0 of the current font, with no text: cairo writes it as a subset glyph
           whose ToUnicode value is U+FFFD, as imprint's render does for a character no
           font has */
        PangoFontMap *fm = pango_cairo_font_map_get_default();
        PangoContext *ctx = pango_font_map_create_context(fm);
        PangoFontDescription *fd = pango_font_description_from_string("Noto Serif 12");
        PangoFont *font = pango_font_map_load_font(fm, ctx, fd);
        cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)));
        cairo_glyph_t g = { 0, 200, 230 };
        cairo_show_glyphs(cr, &g, 1);
        g_object_unref(font);
        pango_font_description_free(fd);
        g_object_unref(ctx);
    }
    if (tags) {
        cairo_tag_end(cr, "Span");
        cairo_tag_end(cr, "P");
        cairo_tag_end(cr, "Document");
    }
    if (what & MAKE_UNTAGGED)
        show(cr, "Running head", 20, 270);
    cairo_show_page(cr);
    if (what & MAKE_TWO_PAGES) {
        cairo_pdf_surface_set_page_label(s, "ii");
        show(cr, "Second page", 20, 20);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return g_byte_array_free_to_bytes(out);
}

/* ================================================================ reading PDFs */

typedef struct {
    qpdf_data q;
    GBytes *bytes; /* kept alive: qpdf reads from it */
} Pdf;

static Pdf *pdf_open(GBytes *bytes)
{
    Pdf *p = g_new0(Pdf, 1);
    p->q = qpdf_init();
    qpdf_silence_errors(p->q);
    qpdf_set_suppress_warnings(p->q, QPDF_TRUE);
    p->bytes = g_bytes_ref(bytes);
    gsize len;
    const char *data = g_bytes_get_data(bytes, &len);
    g_assert_false(qpdf_read_memory(p->q, "test", data, len, NULL) & QPDF_ERRORS);
    g_assert_false(qpdf_more_warnings(p->q));
    return p;
}

static void pdf_close(Pdf *p)
{
    g_assert_false(qpdf_has_error(p->q));
    qpdf_cleanup(&p->q);
    g_bytes_unref(p->bytes);
    g_free(p);
}

/* Writes an edited document as plain PDF (transfer full). */
static GBytes *pdf_write(Pdf *p)
{
    g_assert_false(qpdf_init_write_memory(p->q) & QPDF_ERRORS);
    qpdf_set_static_ID(p->q, QPDF_TRUE);
    g_assert_false(qpdf_write(p->q) & QPDF_ERRORS);
    return g_bytes_new(qpdf_get_buffer(p->q), qpdf_get_buffer_length(p->q));
}

/* Follows a path of keys and array indexes ("/Root/OutputIntents/0/S") from the
 * trailer. Returns a handle (released by pdf_close). */
static qpdf_oh at(Pdf *p, const char *path)
{
    qpdf_oh h = qpdf_get_trailer(p->q);
    char **parts = g_strsplit(path + 1, "/", -1);
    for (char **s = parts; *s != NULL; s++) {
        if (g_ascii_isdigit(**s) && qpdf_oh_is_array(p->q, h)) {
            h = qpdf_oh_get_array_item(p->q, h, atoi(*s));
        } else {
            char *key = g_strconcat("/", *s, NULL);
            h = imp__qpdf_get(p->q, h, key);
            g_free(key);
        }
    }
    g_strfreev(parts);
    return h;
}

/* The text at a path, or NULL (transfer full). */
static char *text_at(Pdf *p, const char *path)
{
    qpdf_oh h = at(p, path);
    if (!qpdf_oh_is_string(p->q, h))
        return NULL;
    size_t len;
    const char *s = qpdf_oh_get_binary_utf8_value(p->q, h, &len);
    return g_strndup(s, len);
}

/* The name at a path, or NULL (transfer full). */
static char *name_at(Pdf *p, const char *path)
{
    qpdf_oh h = at(p, path);
    return qpdf_oh_is_name(p->q, h) ? g_strdup(qpdf_oh_get_name(p->q, h)) : NULL;
}

static long long int_at(Pdf *p, const char *path)
{
    qpdf_oh h = at(p, path);
    g_assert_true(qpdf_oh_is_integer(p->q, h));
    return qpdf_oh_get_int_value(p->q, h);
}

/* A stream's decoded data (transfer full). */
static GBytes *stream_data(Pdf *p, qpdf_oh stream)
{
    g_assert_true(qpdf_oh_is_stream(p->q, stream));
    unsigned char *buf = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    g_assert_false(qpdf_oh_get_stream_data(p->q, stream, qpdf_dl_generalized, &filtered, &buf,
                                           &len) &
                   QPDF_ERRORS);
    g_assert_true(filtered);
    GBytes *b = g_bytes_new(buf, len);
    free(buf);
    return b;
}

/* ================================================================ the XMP packet */

typedef struct {
    GPtrArray *stack;     /* element names */
    GHashTable *props;    /* property name → its (first) text */
} XmpRead;

static void xmp_start(GMarkupParseContext *c, const char *name, const char **an,
                      const char **av, gpointer data, GError **error)
{
    (void)c, (void)an, (void)av, (void)error;
    XmpRead *x = data;
    g_ptr_array_add(x->stack, g_strdup(name));
}

static void xmp_end(GMarkupParseContext *c, const char *name, gpointer data, GError **error)
{
    (void)c, (void)name, (void)error;
    XmpRead *x = data;
    g_ptr_array_remove_index(x->stack, x->stack->len - 1);
}

/* Records text: a property's own text, or its rdf:li's (property > rdf:Alt > rdf:li). */
static void xmp_text(GMarkupParseContext *c, const char *text, gsize len, gpointer data,
                     GError **error)
{
    (void)c, (void)error;
    XmpRead *x = data;
    guint n = x->stack->len;
    if (n == 0)
        return;
    char *t = g_strndup(text, len);
    if (*g_strstrip(t) == '\0') {
        g_free(t);
        return;
    }
    const char *top = x->stack->pdata[n - 1];
    const char *prop = strcmp(top, "rdf:li") == 0 && n >= 3 ? x->stack->pdata[n - 3] : top;
    if (!g_hash_table_contains(x->props, prop))
        g_hash_table_insert(x->props, g_strdup(prop), g_strndup(text, len));
    g_free(t);
}

/* Parses the XMP packet (it must be well-formed XML) into property → text
 * (transfer full). */
static GHashTable *xmp_parse(GBytes *xmp)
{
    XmpRead x = { g_ptr_array_new_with_free_func(g_free),
                  g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free) };
    GMarkupParser parser = { xmp_start, xmp_end, xmp_text, NULL, NULL };
    GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &x, NULL);
    gsize len;
    const char *data = g_bytes_get_data(xmp, &len);
    GError *error = NULL;
    g_assert_true(g_markup_parse_context_parse(ctx, data, (gssize)len, &error));
    g_assert_no_error(error);
    g_assert_true(g_markup_parse_context_end_parse(ctx, &error));
    g_markup_parse_context_free(ctx);
    g_ptr_array_free(x.stack, TRUE);
    return x.props;
}

/* ================================================================ running the pass */

static GBytes *finish_ok(GBytes *pdf, const ImpFinishOptions *o)
{
    GBytes *out = NULL;
    GError *error = NULL;
    gboolean ok = imp__finish_pdf(pdf, o, &out, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_nonnull(out);
    return out;
}

/* Runs the pass expecting a failure; returns the message (transfer full). */
static char *finish_fails(GBytes *pdf, const ImpFinishOptions *o)
{
    GBytes *out = NULL;
    GError *error = NULL;
    g_assert_false(imp__finish_pdf(pdf, o, &out, &error));
    g_assert_null(out);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    char *msg = g_strdup(error->message);
    g_test_message("refused: %s", msg);
    g_error_free(error);
    return msg;
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle) == NULL)
        g_error("'%s' does not contain '%s'", haystack, needle);
}

static ImpPdfStandards standards(const char *list)
{
    ImpPdfStandards set = 0;
    GError *error = NULL;
    g_assert_true(imp__pdf_standards_parse(list, &set, &error));
    g_assert_no_error(error);
    return set;
}

/* ================================================================ tests */

/* The names and combinations of --pdf-standard. */
static void test_standards_parse(void)
{
    g_assert_cmpuint(standards("1.7,a-2b,ua-1"), ==, IMP_PDF_1_7 | IMP_PDF_A_2B | IMP_PDF_UA_1);
    g_assert_cmpuint(standards(" a-3u , ua-1 "), ==, IMP_PDF_A_3U | IMP_PDF_UA_1);
    g_assert_cmpuint(standards("A-2U"), ==, IMP_PDF_A_2U);
    g_assert_cmpuint(standards("ua-1,ua-1"), ==, IMP_PDF_UA_1);
    char *s = imp__pdf_standards_to_string(IMP_PDF_UA_1 | IMP_PDF_A_3U | IMP_PDF_1_7);
    g_assert_cmpstr(s, ==, "1.7,a-3u,ua-1");
    g_free(s);

    struct {
        const char *list, *message;
    } bad[] = {
        { "", "has an empty entry" },
        { "a-2b,,ua-1", "has an empty entry" },
        { "a-9z", "unknown PDF standard 'a-9z' (known: 1.7, a-2b, a-2u, a-3b, a-3u, ua-1)" },
        { "a-2b,a-3u", "'a-2b' and 'a-3u' cannot be combined: a file claims one part" },
        { "a-2b,a-2u", "'a-2b' and 'a-2u' cannot be combined" },
        { "a-1b", "'a-1b' is not supported: PDF/A-1 (ISO 19005-1 §6.4) forbids the "
                  "transparency groups" },
        { "a-3a", "'a-3a' is not supported: level A" },
        { "2.0", "'2.0' is not supported" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        ImpPdfStandards set = 12345;
        GError *error = NULL;
        g_assert_false(imp__pdf_standards_parse(bad[i].list, &set, &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
        assert_contains(error->message, bad[i].message);
        g_assert_cmpuint(set, ==, 12345); /* untouched */
        g_error_free(error);
    }
    GError *error = NULL;
    g_assert_false(imp__pdf_standards_check(IMP_PDF_A_3B | IMP_PDF_A_2U, &error));
    assert_contains(error->message, "'a-2u' and 'a-3b' cannot be combined");
    g_error_free(error);
}

/* PDF and XMP dates, and the date forms read. */
static void test_dates(void)
{
    char *d = imp__pdf_date(T0);
    g_assert_cmpstr(d, ==, "D:20231114221320+00'00'");
    g_free(d);
    d = imp__xmp_date(T0);
    g_assert_cmpstr(d, ==, "2023-11-14T22:13:20+00:00");
    g_free(d);
    struct {
        const char *s;
        gint64 t;
    } good[] = {
        { "20231114221320Z", T0 },              /* cairo 1.16 */
        { "D:20231114221320Z", T0 },
        { "D:20231114221320+00'00'", T0 },
        { "D:20231115061320+08'00'", T0 },
        { "D:20231114171320-05'00", T0 },
        { "D:2023", 1672531200 },
        { "D:202311142213", T0 - 20 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        gint64 t = -1;
        g_assert_true(imp__pdf_date_parse(good[i].s, &t));
        g_assert_cmpint(t, ==, good[i].t);
    }
    const char *bad[] = { "", "D:", "D:20231", "D:20231314", "yesterday", "D:20231114221320X" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        gint64 t;
        g_assert_false(imp__pdf_date_parse(bad[i], &t));
    }
    g_assert_true(imp__language_tag_valid("zh-Hans"));
    g_assert_true(imp__language_tag_valid("en"));
    g_assert_true(imp__language_tag_valid("zh-Hant-TW"));
    g_assert_false(imp__language_tag_valid("e"));
    g_assert_false(imp__language_tag_valid("en_US"));
    g_assert_false(imp__language_tag_valid("en-"));
    g_assert_false(imp__language_tag_valid("zh-Hans-toolongsubtag"));
}

/* The XMP packet is well-formed XML whatever the text, and says what Info says. */
static void test_xmp_escaping(void)
{
    GBytes *pdf = make_pdf(0);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = IMP_PDF_A_2B;
    o.title = "Fish & <chips> \"quoted\" 'single' \x01 control";
    o.author = "王小明 & Co.";
    o.subject = "";   /* removes cairo's (none) */
    o.keywords = "a, b; c";
    GBytes *out = finish_ok(pdf, &o);
    Pdf *p = pdf_open(out);
    GBytes *xmp = stream_data(p, at(p, "/Root/Metadata"));
    GHashTable *props = xmp_parse(xmp);
    char *title = text_at(p, "/Info/Title");
    g_assert_cmpstr(title, ==, "Fish & <chips> \"quoted\" 'single'  control");
    g_assert_cmpstr(g_hash_table_lookup(props, "dc:title"), ==, title);
    char *author = text_at(p, "/Info/Author");
    g_assert_cmpstr(author, ==, "王小明 & Co.");
    g_assert_cmpstr(g_hash_table_lookup(props, "dc:creator"), ==, author);
    g_assert_null(text_at(p, "/Info/Subject"));
    g_assert_false(g_hash_table_contains(props, "dc:description"));
    char *kw = text_at(p, "/Info/Keywords");
    g_assert_cmpstr(g_hash_table_lookup(props, "pdf:Keywords"), ==, kw);
    /* no bytes or encoding attribute in the packet header (ISO 19005-2 §6.6.2.1) */
    gsize len;
    const char *x = g_bytes_get_data(xmp, &len);
    g_assert_true(g_str_has_prefix(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"));
    /* the packet is not compressed */
    g_assert_null(name_at(p, "/Root/Metadata/Filter"));
    g_free(title);
    g_free(author);
    g_free(kw);
    g_hash_table_destroy(props);
    g_bytes_unref(xmp);
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);
}

/* The full set a-3u,ua-1 on a tagged document: every clause the pass writes. */
static void test_archival(void)
{
    GBytes *pdf = make_pdf(MAKE_TAGS | MAKE_LINK | MAKE_IMAGE);
    const char source_text[] = "Title\n\nThe source text, with <markup> & all.\n";
    GBytes *source = g_bytes_new_static(source_text, sizeof source_text - 1);
    GBytes *sig = g_bytes_new_static("SIGNATURE", 9);
    ImpFinishFile src = { "speech.txt", source, "text/plain", NULL, T0 - 3600 };
    ImpFinishFile attachments[] = {
        { "a-signature.sig", sig, "application/pgp-signature", "Detached signature", -1 },
    };
    /* elements in document order: Document, H1, P, P, Link, Figure, P, Span */
    ImpFinishElement elements[8] = { { 0 } };
    elements[5].alt = "A red square";
    elements[7].language = "ja";
    elements[6].language = "en"; /* the same as inherited: no /Lang written */
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-3u,ua-1");
    o.title = "Vice Minister's speech";
    o.author = "Ministry of Commerce";
    o.subject = "Speeches";
    o.keywords = "IPR, counterfeits";
    o.creator = "imprint 0.1.0";
    o.producer = "imprint 0.1.0 (cairo 1.16.0, libqpdf 11.3.0)";
    o.language = "en";
    o.source = "http://english.mofcom.gov.cn/article/speech.shtml";
    o.creation_time = T0;
    o.modification_time = T0 + 60;
    o.source_file = &src;
    o.attachments = attachments;
    o.n_attachments = G_N_ELEMENTS(attachments);
    o.elements = elements;
    o.n_elements = G_N_ELEMENTS(elements);
    GBytes *out = finish_ok(pdf, &o);
    keep("archival.pdf", out);

    gsize len;
    const char *bytes = g_bytes_get_data(out, &len);
    g_assert_true(len > 16 && memcmp(bytes, "%PDF-1.7\n%", 10) == 0);
    for (int i = 10; i < 14; i++) /* four bytes above 127 (ISO 19005-2 §6.1.2) */
        g_assert_cmpint((guchar)bytes[i], >, 127);

    Pdf *p = pdf_open(out);
    g_assert_false(qpdf_is_encrypted(p->q));

    /* Info: every value, dates in D: form */
    char *v;
    g_assert_cmpstr((v = text_at(p, "/Info/Title")), ==, "Vice Minister's speech");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Info/CreationDate")), ==, "D:20231114221320+00'00'");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Info/ModDate")), ==, "D:20231114221420+00'00'");
    g_free(v);

    /* XMP: equal to Info, key by key (ISO 19005-2 §6.6.3) */
    GBytes *xmp = stream_data(p, at(p, "/Root/Metadata"));
    g_assert_cmpstr((v = name_at(p, "/Root/Metadata/Subtype")), ==, "/XML");
    g_free(v);
    GHashTable *props = xmp_parse(xmp);
    struct {
        const char *info, *xmp;
    } pairs[] = {
        { "/Info/Title", "dc:title" },         { "/Info/Author", "dc:creator" },
        { "/Info/Subject", "dc:description" }, { "/Info/Keywords", "pdf:Keywords" },
        { "/Info/Creator", "xmp:CreatorTool" }, { "/Info/Producer", "pdf:Producer" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
        char *info = text_at(p, pairs[i].info);
        g_assert_nonnull(info);
        g_assert_cmpstr(g_hash_table_lookup(props, pairs[i].xmp), ==, info);
        g_free(info);
    }
    struct {
        const char *info, *xmp;
    } dates[] = { { "/Info/CreationDate", "xmp:CreateDate" }, { "/Info/ModDate", "xmp:ModifyDate" } };
    for (gsize i = 0; i < G_N_ELEMENTS(dates); i++) {
        char *info = text_at(p, dates[i].info);
        gint64 t = -1;
        g_assert_true(imp__pdf_date_parse(info, &t));
        GDateTime *dt = g_date_time_new_from_iso8601(g_hash_table_lookup(props, dates[i].xmp), NULL);
        g_assert_nonnull(dt);
        g_assert_cmpint(g_date_time_to_unix(dt), ==, t);
        g_date_time_unref(dt);
        g_free(info);
    }
    g_assert_cmpstr(g_hash_table_lookup(props, "dc:language"), ==, "en");
    g_assert_cmpstr(g_hash_table_lookup(props, "dc:source"), ==, o.source);
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfaid:part"), ==, "3");
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfaid:conformance"), ==, "U");
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfuaid:part"), ==, "1");
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfaSchema:prefix"), ==, "pdfuaid");
    g_hash_table_destroy(props);
    g_bytes_unref(xmp);

    /* the sRGB output intent with the profile of icc-profiles-free */
    g_assert_cmpint(qpdf_oh_get_array_n_items(p->q, at(p, "/Root/OutputIntents")), ==, 1);
    g_assert_cmpstr((v = name_at(p, "/Root/OutputIntents/0/S")), ==, "/GTS_PDFA1");
    g_free(v);
    g_assert_cmpint(int_at(p, "/Root/OutputIntents/0/DestOutputProfile/N"), ==, 3);
    GBytes *icc = stream_data(p, at(p, "/Root/OutputIntents/0/DestOutputProfile"));
    char *want;
    gsize want_len;
    g_assert_true(g_file_get_contents(IMP_FINISH_ICC_PROFILE, &want, &want_len, NULL));
    GBytes *want_icc = g_bytes_new_take(want, want_len);
    g_assert_true(g_bytes_equal(icc, want_icc));
    g_bytes_unref(icc);
    g_bytes_unref(want_icc);

    /* /ID: two strings of 16 bytes */
    qpdf_oh id = at(p, "/ID");
    g_assert_cmpint(qpdf_oh_get_array_n_items(p->q, id), ==, 2);
    size_t id_len = 0;
    qpdf_oh_get_binary_string_value(p->q, qpdf_oh_get_array_item(p->q, id, 0), &id_len);
    g_assert_cmpuint(id_len, ==, 16);

    /* catalogue: /Lang, PDF/UA's keys */
    g_assert_cmpstr((v = text_at(p, "/Root/Lang")), ==, "en");
    g_free(v);
    g_assert_true(qpdf_oh_get_bool_value(p->q, at(p, "/Root/MarkInfo/Marked")));
    g_assert_true(qpdf_oh_get_bool_value(p->q, at(p, "/Root/ViewerPreferences/DisplayDocTitle")));

    /* the page: /Tabs /S; the link: print flag, a description */
    g_assert_cmpstr((v = name_at(p, "/Root/Pages/Kids/0/Tabs")), ==, "/S");
    g_free(v);
    g_assert_cmpstr((v = name_at(p, "/Root/Pages/Kids/0/Annots/0/Subtype")), ==, "/Link");
    g_free(v);
    g_assert_cmpint(int_at(p, "/Root/Pages/Kids/0/Annots/0/F"), ==, 4);
    g_assert_cmpstr((v = text_at(p, "/Root/Pages/Kids/0/Annots/0/Contents")), ==,
                    "https://example.org/a?b=1&c=2");
    g_free(v);

    /* structure: the figure's /Alt, the span's /Lang, none where inherited */
    g_assert_cmpstr((v = name_at(p, "/Root/StructTreeRoot/K/0/K/3/S")), ==, "/Figure");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/StructTreeRoot/K/0/K/3/Alt")), ==, "A red square");
    g_free(v);
    g_assert_cmpstr((v = name_at(p, "/Root/StructTreeRoot/K/0/K/4/K/S")), ==, "/Span");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/StructTreeRoot/K/0/K/4/K/Lang")), ==, "ja");
    g_free(v);
    g_assert_null(text_at(p, "/Root/StructTreeRoot/K/0/K/4/Lang"));

    /* associated files: /AF in order given, the name tree sorted */
    g_assert_cmpint(qpdf_oh_get_array_n_items(p->q, at(p, "/Root/AF")), ==, 2);
    g_assert_cmpstr((v = name_at(p, "/Root/AF/0/AFRelationship")), ==, "/Source");
    g_free(v);
    g_assert_cmpstr((v = name_at(p, "/Root/AF/1/AFRelationship")), ==, "/Supplement");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/AF/0/F")), ==, "speech.txt");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/AF/0/UF")), ==, "speech.txt");
    g_free(v);
    g_assert_cmpstr((v = name_at(p, "/Root/AF/0/EF/F/Subtype")), ==, "/text/plain");
    g_free(v);
    g_assert_cmpstr((v = name_at(p, "/Root/AF/1/EF/F/Subtype")), ==, "/application/pgp-signature");
    g_free(v);
    g_assert_cmpint(int_at(p, "/Root/AF/0/EF/F/Params/Size"), ==, sizeof source_text - 1);
    g_assert_cmpstr((v = text_at(p, "/Root/AF/0/EF/F/Params/ModDate")), ==,
                    "D:20231114211320+00'00'");
    g_free(v);
    /* an attachment without a time takes the document's modification date */
    g_assert_cmpstr((v = text_at(p, "/Root/AF/1/EF/F/Params/ModDate")), ==,
                    "D:20231114221420+00'00'");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/AF/1/Desc")), ==, "Detached signature");
    g_free(v);
    GBytes *embedded = stream_data(p, at(p, "/Root/AF/0/EF/F"));
    g_assert_true(g_bytes_equal(embedded, source));
    g_bytes_unref(embedded);
    size_t sum_len = 0;
    const char *sum = qpdf_oh_get_binary_string_value(p->q, at(p, "/Root/AF/0/EF/F/Params/CheckSum"),
                                                      &sum_len);
    char *md5 = g_compute_checksum_for_bytes(G_CHECKSUM_MD5, source);
    char *got = g_malloc0(33);
    for (size_t i = 0; i < sum_len; i++)
        g_snprintf(got + 2 * i, 3, "%02x", (guchar)sum[i]);
    g_assert_cmpstr(got, ==, md5);
    g_free(got);
    g_free(md5);
    g_assert_cmpstr((v = text_at(p, "/Root/Names/EmbeddedFiles/Names/0")), ==, "a-signature.sig");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Root/Names/EmbeddedFiles/Names/2")), ==, "speech.txt");
    g_free(v);
    g_assert_cmpint(qpdf_oh_get_object_id(p->q, at(p, "/Root/Names/EmbeddedFiles/Names/3")), ==,
                    qpdf_oh_get_object_id(p->q, at(p, "/Root/AF/0")));

    /* the image kept its soft mask: transparency is allowed in PDF/A-3 */
    qpdf_oh xobjects = at(p, "/Root/Pages/Kids/0/Resources/XObject");
    qpdf_oh_begin_dict_key_iter(p->q, xobjects);
    char *key = g_strdup(qpdf_oh_dict_next_key(p->q));
    qpdf_oh image = qpdf_oh_get_key(p->q, xobjects, key);
    g_free(key);
    g_assert_true(qpdf_oh_has_key(p->q, qpdf_oh_get_dict(p->q, image), "/SMask"));

    /* the Type 2 CIDFont has its /CIDToGIDMap written out */
    qpdf_oh fonts = at(p, "/Root/Pages/Kids/0/Resources/Font");
    char **names = imp__qpdf_keys(p->q, fonts);
    int n_cid2 = 0;
    for (char **k = names; *k != NULL; k++) {
        qpdf_oh f = qpdf_oh_get_key(p->q, fonts, *k);
        qpdf_oh desc = imp__qpdf_get(p->q, f, "/DescendantFonts");
        if (qpdf_oh_is_array(p->q, desc)) {
            qpdf_oh cid = qpdf_oh_get_array_item(p->q, desc, 0);
            if (imp__qpdf_name_is(p->q, cid, "/Subtype", "/CIDFontType2")) {
                g_assert_true(imp__qpdf_name_is(p->q, cid, "/CIDToGIDMap", "/Identity"));
                n_cid2++;
            }
        }
    }
    g_strfreev(names);
    g_assert_cmpint(n_cid2, >, 0);

    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(sig);
    g_bytes_unref(source);
    g_bytes_unref(pdf);
}

/* Same input and options → the same bytes; other content → another /ID. */
static void test_deterministic(void)
{
    GBytes *a = make_pdf(MAKE_TAGS | MAKE_LINK);
    GBytes *a2 = make_pdf(MAKE_TAGS | MAKE_LINK);
    GBytes *b = make_pdf(MAKE_TAGS | MAKE_LINK | MAKE_OTHER_TEXT);
    g_assert_true(g_bytes_equal(a, a2)); /* cairo itself is deterministic here */
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2u");
    o.language = "en";
    GBytes *out1 = finish_ok(a, &o);
    GBytes *out2 = finish_ok(a2, &o);
    GBytes *out3 = finish_ok(b, &o);
    g_assert_true(g_bytes_equal(out1, out2));
    Pdf *p1 = pdf_open(out1), *p3 = pdf_open(out3);
    size_t l1, l3;
    char *id1 = g_strndup(qpdf_oh_get_binary_string_value(p1->q, at(p1, "/ID/0"), &l1), 16);
    char *id3 = g_strndup(qpdf_oh_get_binary_string_value(p3->q, at(p3, "/ID/0"), &l3), 16);
    g_assert_cmpuint(l1, ==, 16);
    g_assert_cmpuint(l3, ==, 16);
    g_assert_true(memcmp(id1, id3, 16) != 0);
    g_free(id1);
    g_free(id3);
    pdf_close(p1);
    pdf_close(p3);
    /* options count too: another title, another file and /ID */
    o.title = "Another title";
    GBytes *out4 = finish_ok(a, &o);
    g_assert_false(g_bytes_equal(out1, out4));
    g_bytes_unref(out4);
    /* no standard: the pass still writes XMP, D: dates and a deterministic /ID, and
       keeps cairo's PDF version */
    imp__finish_options_init(&o);
    GBytes *plain1 = finish_ok(a, &o), *plain2 = finish_ok(a, &o);
    g_assert_true(g_bytes_equal(plain1, plain2));
    g_assert_true(memcmp(g_bytes_get_data(plain1, NULL), "%PDF-1.5", 8) == 0);
    Pdf *pp = pdf_open(plain1);
    char *d = text_at(pp, "/Info/CreationDate");
    g_assert_cmpstr(d, ==, "D:20231114221320+00'00'"); /* cairo wrote 20231114221320Z */
    g_free(d);
    g_assert_true(qpdf_oh_is_stream(pp->q, at(pp, "/Root/Metadata")));
    g_assert_false(qpdf_oh_has_key(pp->q, at(pp, "/Root"), "/OutputIntents"));
    pdf_close(pp);
    g_bytes_unref(plain1);
    g_bytes_unref(plain2);
    g_bytes_unref(out1);
    g_bytes_unref(out2);
    g_bytes_unref(out3);
    g_bytes_unref(a);
    g_bytes_unref(a2);
    g_bytes_unref(b);
}

/* Level B keeps what cairo wrote; an input's metadata is carried over when no option
 * overrides it. */
static void test_level_b_keeps_cairo_metadata(void)
{
    GBytes *pdf = make_pdf(MAKE_TAGS | MAKE_LINK | MAKE_IMAGE | MAKE_TWO_PAGES);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2b");
    GBytes *out = finish_ok(pdf, &o);
    keep("level-b.pdf", out);
    Pdf *p = pdf_open(out);
    char *v;
    g_assert_cmpstr((v = text_at(p, "/Info/Title")), ==, "Cairo's title");
    g_free(v);
    g_assert_cmpstr((v = text_at(p, "/Info/Creator")), ==, "test-finish");
    g_free(v);
    g_assert_true(g_str_has_prefix((v = text_at(p, "/Info/Producer")), "cairo 1.16"));
    g_free(v);
    GBytes *xmp = stream_data(p, at(p, "/Root/Metadata"));
    GHashTable *props = xmp_parse(xmp);
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfaid:part"), ==, "2");
    g_assert_cmpstr(g_hash_table_lookup(props, "pdfaid:conformance"), ==, "B");
    g_assert_false(g_hash_table_contains(props, "pdfuaid:part"));
    g_assert_false(g_hash_table_contains(props, "pdfaSchema:prefix"));
    g_assert_cmpstr(g_hash_table_lookup(props, "dc:title"), ==, "Cairo's title");
    g_hash_table_destroy(props);
    g_bytes_unref(xmp);
    g_assert_null(text_at(p, "/Root/Lang")); /* no language given, none in cairo's PDF */
    g_assert_cmpint(int_at(p, "/Root/Pages/Kids/0/Annots/0/F"), ==, 4);
    g_assert_false(qpdf_oh_has_key(p->q, at(p, "/Root/Pages/Kids/0"), "/Tabs")); /* UA's */
    g_assert_null(text_at(p, "/Root/Pages/Kids/0/Annots/0/Contents"));
    g_assert_cmpint(qpdf_get_num_pages(p->q), ==, 2);
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);
}

/* An image drawn with cairo's default filter has /Interpolate true: refused (§6.2.8);
 * the same image with CAIRO_FILTER_FAST passes, soft mask and all. */
static void test_refuse_interpolate(void)
{
    GBytes *pdf = make_pdf(MAKE_IMAGE_GOOD);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-3b");
    char *msg = finish_fails(pdf, &o);
    assert_contains(msg, "PDF/A-3b (ISO 19005-3 §6.2.8): image object ");
    assert_contains(msg, "has /Interpolate true");
    g_free(msg);
    /* not a rule of PDF/UA or of plain PDF */
    o.standards = IMP_PDF_1_7;
    g_bytes_unref(finish_ok(pdf, &o));
    g_bytes_unref(pdf);
}

/* A glyph that stands for no character (cairo's U+FFFD): refused under level U and
 * PDF/UA, allowed under level B. */
static void test_refuse_notdef_glyph(void)
{
    GBytes *pdf = make_pdf(MAKE_NOTDEF);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2u");
    char *msg = finish_fails(pdf, &o);
    assert_contains(msg, "PDF/A-2u (ISO 19005-2 §6.2.11.7.2): page 1 shows a glyph of the font ");
    assert_contains(msg, "NotoSerif-Regular (code <"); /* the code: the glyph's place in the subset */
    assert_contains(msg, ">) that stands for no character: its Unicode value is U+FFFD");
    g_free(msg);
    o.standards = standards("a-2b");
    GBytes *out = finish_ok(pdf, &o);
    keep("notdef-a2b.pdf", out);
    g_bytes_unref(out);
    g_bytes_unref(pdf);
}

/* Adds /OpenAction << /S /JavaScript /JS (...) >> to a cairo PDF (transfer full). */
static GBytes *with_javascript(GBytes *pdf)
{
    Pdf *p = pdf_open(pdf);
    qpdf_oh root = qpdf_get_root(p->q);
    qpdf_oh action = qpdf_oh_parse(p->q, "<< /S /JavaScript /JS (app.alert\\(1\\)) >>");
    qpdf_oh_replace_key(p->q, root, "/OpenAction", action);
    GBytes *out = pdf_write(p);
    pdf_close(p);
    return out;
}

/* Adds to the catalogue a stream whose dictionary is `dict` (transfer full). */
static GBytes *with_stream(GBytes *pdf, const char *dict)
{
    Pdf *p = pdf_open(pdf);
    qpdf_oh root = qpdf_get_root(p->q);
    qpdf_oh s = qpdf_oh_new_stream(p->q);
    qpdf_oh_replace_stream_data(p->q, s, (const unsigned char *)"data", 4,
                                qpdf_oh_new_null(p->q), qpdf_oh_new_null(p->q));
    qpdf_oh sd = qpdf_oh_get_dict(p->q, s);
    qpdf_oh extra = qpdf_oh_parse(p->q, dict);
    char **keys = imp__qpdf_keys(p->q, extra);
    for (char **k = keys; *k != NULL; k++)
        qpdf_oh_replace_key(p->q, sd, *k, qpdf_oh_get_key(p->q, extra, *k));
    g_strfreev(keys);
    qpdf_oh_replace_key(p->q, root, "/PieceInfo", s);
    g_assert_false(qpdf_init_write_memory(p->q) & QPDF_ERRORS);
    qpdf_set_decode_level(p->q, qpdf_dl_none);
    qpdf_set_compress_streams(p->q, QPDF_FALSE);
    qpdf_set_static_ID(p->q, QPDF_TRUE);
    g_assert_false(qpdf_write(p->q) & QPDF_ERRORS);
    GBytes *out = g_bytes_new(qpdf_get_buffer(p->q), qpdf_get_buffer_length(p->q));
    pdf_close(p);
    return out;
}

/* What PDF/A forbids in objects: JavaScript, LZW, external streams, encryption. */
static void test_refuse_forbidden_objects(void)
{
    GBytes *pdf = make_pdf(0);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2b");

    GBytes *js = with_javascript(pdf);
    char *msg = finish_fails(js, &o);
    assert_contains(msg, "PDF/A-2b (ISO 19005-2 §6.5.1): ");
    assert_contains(msg, "is a JavaScript action");
    g_free(msg);
    g_bytes_unref(js);

    GBytes *lzw = with_stream(pdf, "<< /Filter /LZWDecode >>");
    msg = finish_fails(lzw, &o);
    assert_contains(msg, "PDF/A-2b (ISO 19005-2 §6.1.7.2): object ");
    assert_contains(msg, "is a stream compressed with LZWDecode");
    g_free(msg);
    g_bytes_unref(lzw);

    GBytes *ext = with_stream(pdf, "<< /F (data.bin) >>");
    msg = finish_fails(ext, &o);
    assert_contains(msg, "PDF/A-2b (ISO 19005-2 §6.1.7.1): object ");
    assert_contains(msg, "is a stream whose data is in an external file (/F)");
    g_free(msg);
    g_bytes_unref(ext);

    GBytes *cmyk = with_stream(pdf, "<< /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 "
                                    "/ColorSpace /DeviceCMYK >>");
    msg = finish_fails(cmyk, &o);
    assert_contains(msg, "(ISO 19005-2 §6.2.4.3): object ");
    assert_contains(msg, "uses DeviceCMYK, but the output intent is sRGB");
    g_free(msg);
    g_bytes_unref(cmyk);

    /* encryption: AES-256 with an empty user password, readable without one */
    Pdf *p = pdf_open(pdf);
    g_assert_false(qpdf_init_write_memory(p->q) & QPDF_ERRORS);
    qpdf_set_r6_encryption_parameters2(p->q, "", "owner", QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
                                       QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, qpdf_r3p_full, QPDF_TRUE);
    g_assert_false(qpdf_write(p->q) & QPDF_ERRORS);
    GBytes *enc = g_bytes_new(qpdf_get_buffer(p->q), qpdf_get_buffer_length(p->q));
    pdf_close(p);
    msg = finish_fails(enc, &o);
    g_assert_cmpstr(msg, ==, "PDF/A-2b (ISO 19005-2 §6.1.3): the PDF is encrypted");
    g_free(msg);
    g_bytes_unref(enc);

    /* none of these is refused without a standard that forbids it */
    o.standards = 0;
    GBytes *js2 = with_javascript(pdf);
    g_bytes_unref(finish_ok(js2, &o));
    g_bytes_unref(js2);
    g_bytes_unref(pdf);
}

/* A page that uses a font that is not embedded (Helvetica by name): §6.2.11.4.1. And a
 * font without /ToUnicode under level U: §6.2.11.7.2. */
static void test_refuse_fonts(void)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    g_assert_false(qpdf_empty_pdf(q) & QPDF_ERRORS);
    qpdf_oh contents = qpdf_oh_new_stream(q);
    const char *ops = "BT /F1 12 Tf 72 720 Td (Hello) Tj ET";
    qpdf_oh_replace_stream_data(q, contents, (const unsigned char *)ops, strlen(ops),
                                qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh page = qpdf_oh_parse(q, "<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font "
                                    "<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                                    ">> >> >> >>");
    qpdf_oh_replace_key(q, page, "/Contents", contents);
    qpdf_oh ipage = qpdf_make_indirect_object(q, page);
    g_assert_false(qpdf_add_page(q, q, ipage, QPDF_FALSE) & QPDF_ERRORS);
    g_assert_false(qpdf_init_write_memory(q) & QPDF_ERRORS);
    qpdf_set_static_ID(q, QPDF_TRUE);
    g_assert_false(qpdf_write(q) & QPDF_ERRORS);
    GBytes *helvetica = g_bytes_new(qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    qpdf_cleanup(&q);

    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2b");
    char *msg = finish_fails(helvetica, &o);
    g_assert_cmpstr(msg, ==, "PDF/A-2b (ISO 19005-2 §6.2.11.4.1): page 1 uses the font "
                             "Helvetica, which is not embedded");
    g_free(msg);
    g_bytes_unref(helvetica);

    /* cairo's PDF with the /ToUnicode maps taken out */
    GBytes *pdf = make_pdf(0);
    Pdf *p = pdf_open(pdf);
    qpdf_oh fonts = at(p, "/Root/Pages/Kids/0/Resources/Font");
    char **names = imp__qpdf_keys(p->q, fonts);
    for (char **k = names; *k != NULL; k++)
        qpdf_oh_remove_key(p->q, qpdf_oh_get_key(p->q, fonts, *k), "/ToUnicode");
    g_strfreev(names);
    GBytes *bare = pdf_write(p);
    pdf_close(p);
    o.standards = standards("a-3u");
    msg = finish_fails(bare, &o);
    assert_contains(msg, "PDF/A-3u (ISO 19005-3 §6.2.11.7.2): the font ");
    assert_contains(msg, "(page 1) has no /ToUnicode map");
    g_free(msg);
    o.standards = standards("a-3b"); /* level B asks for no Unicode */
    g_bytes_unref(finish_ok(bare, &o));
    g_bytes_unref(bare);
    g_bytes_unref(pdf);
}

/* PDF/UA-1's prerequisites and checks, each refused by its clause. */
static void test_refuse_ua(void)
{
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("ua-1");
    o.language = "en";

    GBytes *untagged = make_pdf(0);
    char *msg = finish_fails(untagged, &o);
    g_assert_cmpstr(msg, ==, "PDF/UA-1 (ISO 14289-1 §7.1): the document is not tagged: it has no "
                             "structure tree (/StructTreeRoot)");
    g_free(msg);
    g_bytes_unref(untagged);

    GBytes *tagged = make_pdf(MAKE_TAGS | MAKE_IMAGE);
    o.title = "";
    msg = finish_fails(tagged, &o);
    g_assert_cmpstr(msg, ==, "PDF/UA-1 (ISO 14289-1 §7.1): the document has no title for the "
                             "metadata's dc:title");
    g_free(msg);
    o.title = NULL; /* cairo's */
    o.language = NULL;
    msg = finish_fails(tagged, &o);
    g_assert_cmpstr(msg, ==, "PDF/UA-1 (ISO 14289-1 §7.2): the document's natural language is "
                             "not known (no /Lang)");
    g_free(msg);
    o.language = "en";
    msg = finish_fails(tagged, &o);
    g_assert_cmpstr(msg, ==, "PDF/UA-1 (ISO 14289-1 §7.3): a Figure (structure element 3) on "
                             "page 1 has no alternative text (/Alt)");
    g_free(msg);
    ImpFinishElement el[4] = { { 0 } };
    el[3].alt = "A red square";
    o.elements = el;
    o.n_elements = 4;
    g_bytes_unref(finish_ok(tagged, &o));
    g_bytes_unref(tagged);

    GBytes *head = make_pdf(MAKE_TAGS | MAKE_UNTAGGED);
    o.elements = NULL;
    o.n_elements = 0;
    msg = finish_fails(head, &o);
    g_assert_cmpstr(msg, ==, "PDF/UA-1 (ISO 14289-1 §7.1): page 1 has text that is neither "
                             "tagged nor marked as an artifact");
    g_free(msg);
    g_bytes_unref(head);
}

/* Files under PDF/A-2 (§6.8), an unreadable ICC profile, bad options. */
static void test_refuse_options(void)
{
    GBytes *pdf = make_pdf(MAKE_TAGS);
    GBytes *data = g_bytes_new_static("x", 1);
    ImpFinishFile src = { "notes.txt", data, "text/plain", NULL, -1 };
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-2u");
    o.source_file = &src;
    char *msg = finish_fails(pdf, &o);
    g_assert_cmpstr(msg, ==, "PDF/A-2u (ISO 19005-2 §6.8): PDF/A-2 embeds only PDF/A files; "
                             "'notes.txt' needs PDF/A-3 (a-3b or a-3u)");
    g_free(msg);

    o.standards = standards("a-3b");
    ImpFinishFile twice[] = { { "notes.txt", data, NULL, NULL, -1 } };
    o.attachments = twice;
    o.n_attachments = 1;
    msg = finish_fails(pdf, &o);
    g_assert_cmpstr(msg, ==, "two files to embed are named 'notes.txt'");
    g_free(msg);
    twice[0].name = "other.bin";
    twice[0].mime_type = "not a type";
    msg = finish_fails(pdf, &o);
    g_assert_cmpstr(msg, ==, "other.bin: 'not a type' is not a MIME type (such as text/plain)");
    g_free(msg);
    twice[0].mime_type = NULL; /* application/octet-stream */
    GBytes *out = finish_ok(pdf, &o);
    Pdf *p = pdf_open(out);
    char *v = name_at(p, "/Root/AF/1/EF/F/Subtype");
    g_assert_cmpstr(v, ==, "/application/octet-stream");
    g_free(v);
    pdf_close(p);
    g_bytes_unref(out);
    o.attachments = NULL;
    o.n_attachments = 0;
    o.source_file = NULL;

    o.icc_profile = "/nonexistent/sRGB.icc";
    msg = finish_fails(pdf, &o);
    assert_contains(msg, "/nonexistent/sRGB.icc: cannot read the sRGB ICC profile for the "
                         "PDF/A output intent (Debian package icc-profiles-free)");
    g_free(msg);
    o.icc_profile = "/usr/share/color/icc/Gray.icc";
    if (g_file_test(o.icc_profile, G_FILE_TEST_EXISTS)) {
        msg = finish_fails(pdf, &o);
        assert_contains(msg, "cannot be the PDF/A output intent's profile: not an RGB profile");
        g_free(msg);
    }
    o.icc_profile = NULL;

    o.language = "en_US";
    msg = finish_fails(pdf, &o);
    g_assert_cmpstr(msg, ==, "document language 'en_US' is not a BCP 47 language tag (such as "
                             "'en' or 'zh-Hans')");
    g_free(msg);
    o.language = NULL;

    ImpFinishElement el[40] = { { 0 } };
    o.elements = el;
    o.n_elements = 40;
    msg = finish_fails(pdf, &o);
    assert_contains(msg, "attributes were given for 40 structure elements, but the document has ");
    g_free(msg);

    /* cairo 1.16's damaged file: the pass does not repair what it did not make */
    GBytes *damaged = make_pdf(MAKE_LINK);
    o.standards = 0;
    o.elements = NULL;
    o.n_elements = 0;
    msg = finish_fails(damaged, &o);
    assert_contains(msg, "cannot finish the PDF: PDF (object ");
    assert_contains(msg, "expected ");
    g_free(msg);
    g_bytes_unref(damaged);

    GBytes *garbage = g_bytes_new_static("%PDF-1.5\nnot a pdf", 18);
    msg = finish_fails(garbage, &o);
    assert_contains(msg, "cannot finish the PDF: ");
    g_free(msg);
    g_bytes_unref(garbage);
    g_bytes_unref(data);
    g_bytes_unref(pdf);
}


/* ================================================================ the structure work's
 * additions: furniture marked as an artifact, notes' IDs, header cells' scope, labels */

/* A tagged PDF as the render stage writes one (render.h: mark_artifacts): a Table with a
 * header cell, a Note, and the page's furniture drawn as a group outside the structure
 * (a form XObject painted outside marked content) (transfer full). With `tagged_group`,
 * the group holds a tagged P, which is no furniture. */
static GBytes *make_structured_pdf(gboolean tagged_group, gboolean labels_from_3)
{
    GByteArray *out = g_byte_array_new();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_array, out, 300, 300);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Structure");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2023-11-14T22:13:20Z");
    cairo_t *cr = cairo_create(s);
    if (labels_from_3)
        cairo_pdf_surface_set_page_label(s, "3");
    cairo_tag_begin(cr, "Document", NULL);
    cairo_tag_begin(cr, "Table", NULL);
    cairo_tag_begin(cr, "TR", NULL);
    cairo_tag_begin(cr, "TH", NULL);
    show(cr, "Header", 20, 20);
    cairo_tag_end(cr, "TH");
    cairo_tag_begin(cr, "TD", NULL);
    show(cr, "Cell", 120, 20);
    cairo_tag_end(cr, "TD");
    cairo_tag_end(cr, "TR");
    cairo_tag_end(cr, "Table");
    cairo_tag_begin(cr, "Note", NULL);
    show(cr, "A notice, its attribution kept.", 20, 60);
    cairo_tag_end(cr, "Note");
    if (tagged_group)
        cairo_tag_begin(cr, "P", NULL);
    cairo_push_group(cr);
    show(cr, "Running head, page 1", 20, 260);
    cairo_rectangle(cr, 20, 280, 200, 0.5);
    cairo_fill(cr);
    cairo_pop_group_to_source(cr);
    cairo_paint(cr);
    if (tagged_group)
        cairo_tag_end(cr, "P");
    cairo_tag_end(cr, "Document");
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return g_byte_array_free_to_bytes(out);
}

/* The decoded content of the first form XObject of page 1 (transfer full). */
static char *first_form_content(Pdf *p)
{
    qpdf_oh xo = at(p, "/Root/Pages/Kids/0/Resources/XObject");
    g_assert_true(qpdf_oh_is_dictionary(p->q, xo));
    char **keys = imp__qpdf_keys(p->q, xo);
    char *content = NULL;
    for (char **k = keys; *k != NULL && content == NULL; k++) {
        qpdf_oh x = imp__qpdf_get(p->q, xo, *k);
        if (imp__qpdf_name_is(p->q, x, "/Subtype", "/Form")) {
            GBytes *b = stream_data(p, x);
            gsize len;
            const char *d = g_bytes_get_data(b, &len);
            content = g_strndup(d, len);
            g_bytes_unref(b);
        }
    }
    g_strfreev(keys);
    g_assert_nonnull(content);
    return content;
}

/* Under PDF/UA a form painted outside marked content and holding no tagged content (the
 * render stage's furniture) gets "/Artifact BMC … EMC" around its content, compressed,
 * and the pass that refused the same content drawn in the page's own stream accepts it;
 * under PDF/A alone, and when the form holds tagged content, the form is not changed. */
static void test_artifact_forms(void)
{
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-3u,ua-1");
    o.language = "en";
    GBytes *pdf = make_structured_pdf(FALSE, FALSE);
    GBytes *out = finish_ok(pdf, &o);
    Pdf *p = pdf_open(out);
    char *content = first_form_content(p);
    g_assert_true(g_str_has_prefix(content, "/Artifact BMC\n"));
    g_assert_true(g_str_has_suffix(content, "\nEMC\n"));
    g_assert_nonnull(strstr(content, "Tj") != NULL ? content : strstr(content, "TJ"));
    char *filter = NULL;
    qpdf_oh xo = at(p, "/Root/Pages/Kids/0/Resources/XObject");
    char **keys = imp__qpdf_keys(p->q, xo);
    filter = imp__qpdf_get_name(p->q, imp__qpdf_get(p->q, xo, keys[0]), "/Filter");
    g_assert_cmpstr(filter, ==, "/FlateDecode");
    g_free(filter);
    g_strfreev(keys);
    g_free(content);
    pdf_close(p);
    g_bytes_unref(out);

    /* PDF/A alone: no artifacts asked for, the form as cairo wrote it */
    o.standards = standards("a-3u");
    out = finish_ok(pdf, &o);
    p = pdf_open(out);
    content = first_form_content(p);
    g_assert_false(g_str_has_prefix(content, "/Artifact"));
    g_free(content);
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);

    /* a form painted inside a tagged P is that P's content, not furniture */
    o.standards = standards("a-3u,ua-1");
    pdf = make_structured_pdf(TRUE, FALSE);
    out = finish_ok(pdf, &o);
    p = pdf_open(out);
    content = first_form_content(p);
    g_assert_false(g_str_has_prefix(content, "/Artifact"));
    g_free(content);
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);
}

/* Under PDF/UA-1 a Note gets an /ID (§7.9) listed in the tree's /IDTree; a TH whose record
 * asks for a scope gets /A << /O /Table /Scope /Column >>; page labels start at page 0
 * (decimal when cairo wrote none), and labels cairo wrote for a range are kept. */
static void test_notes_scope_labels(void)
{
    GBytes *pdf = make_structured_pdf(FALSE, FALSE);
    ImpFinishOptions o;
    imp__finish_options_init(&o);
    o.standards = standards("a-3u,ua-1");
    o.language = "en";
    /* document order: Document, Table, TR, TH, TD, Note */
    ImpFinishElement el[6] = { { 0 } };
    el[3].scope = "Column";
    o.elements = el;
    o.n_elements = G_N_ELEMENTS(el);
    GBytes *out = finish_ok(pdf, &o);
    Pdf *p = pdf_open(out);
    qpdf_oh doc = at(p, "/Root/StructTreeRoot/K/0");
    qpdf_oh kids = imp__qpdf_get(p->q, doc, "/K");
    qpdf_oh table = qpdf_oh_get_array_item(p->q, kids, 0);
    qpdf_oh note = qpdf_oh_get_array_item(p->q, kids, 1);
    g_assert_true(imp__qpdf_name_is(p->q, note, "/S", "/Note"));
    char *id = imp__qpdf_get_text(p->q, note, "/ID");
    g_assert_cmpstr(id, ==, "note-5");
    char *key = text_at(p, "/Root/StructTreeRoot/IDTree/Names/0");
    g_assert_cmpstr(key, ==, id);
    qpdf_oh listed = at(p, "/Root/StructTreeRoot/IDTree/Names/1");
    g_assert_cmpint(qpdf_oh_get_object_id(p->q, listed), ==, qpdf_oh_get_object_id(p->q, note));
    g_free(key);
    g_free(id);
    qpdf_oh tr = imp__qpdf_get(p->q, table, "/K");
    qpdf_oh th = qpdf_oh_get_array_item(p->q, imp__qpdf_get(p->q, tr, "/K"), 0);
    g_assert_true(imp__qpdf_name_is(p->q, th, "/S", "/TH"));
    qpdf_oh a = imp__qpdf_get(p->q, th, "/A");
    g_assert_true(imp__qpdf_name_is(p->q, a, "/O", "/Table"));
    g_assert_true(imp__qpdf_name_is(p->q, a, "/Scope", "/Column"));
    qpdf_oh td = qpdf_oh_get_array_item(p->q, imp__qpdf_get(p->q, tr, "/K"), 1);
    g_assert_false(imp__qpdf_has(p->q, td, "/A"));
    g_assert_cmpint(int_at(p, "/Root/PageLabels/Nums/0"), ==, 0);
    char *style = name_at(p, "/Root/PageLabels/Nums/1/S");
    g_assert_cmpstr(style, ==, "/D");
    g_free(style);
    g_assert_true(qpdf_oh_is_name_and_equals(p->q, at(p, "/Root/Pages/Kids/0/Tabs"), "/S"));
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);

    /* labels from 3 (a range), as cairo wrote them */
    pdf = make_structured_pdf(FALSE, TRUE);
    o.elements = NULL;
    o.n_elements = 0;
    out = finish_ok(pdf, &o);
    p = pdf_open(out);
    g_assert_cmpint(int_at(p, "/Root/PageLabels/Nums/0"), ==, 0);
    g_assert_cmpint(int_at(p, "/Root/PageLabels/Nums/1/St"), ==, 3);
    g_assert_true(qpdf_oh_is_null(p->q, at(p, "/Root/PageLabels/Nums/2")));
    pdf_close(p);
    g_bytes_unref(out);
    g_bytes_unref(pdf);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (g_str_has_prefix(argv[i], "--write-dir=")) {
            write_dir = argv[i] + strlen("--write-dir=");
            memmove(&argv[i], &argv[i + 1], (gsize)(argc - i) * sizeof *argv);
            argc--;
            i--;
        }
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/finish/standards", test_standards_parse);
    g_test_add_func("/finish/dates", test_dates);
    g_test_add_func("/finish/xmp-escaping", test_xmp_escaping);
    g_test_add_func("/finish/archival", test_archival);
    g_test_add_func("/finish/deterministic", test_deterministic);
    g_test_add_func("/finish/level-b", test_level_b_keeps_cairo_metadata);
    g_test_add_func("/finish/refuse/interpolate", test_refuse_interpolate);
    g_test_add_func("/finish/refuse/notdef", test_refuse_notdef_glyph);
    g_test_add_func("/finish/refuse/objects", test_refuse_forbidden_objects);
    g_test_add_func("/finish/refuse/fonts", test_refuse_fonts);
    g_test_add_func("/finish/refuse/ua", test_refuse_ua);
    g_test_add_func("/finish/refuse/options", test_refuse_options);
    g_test_add_func("/finish/artifact-forms", test_artifact_forms);
    g_test_add_func("/finish/notes-scope-labels", test_notes_scope_labels);
    return g_test_run();
}
