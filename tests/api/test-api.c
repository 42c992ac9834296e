/* test-api.c — the public API, used as a program outside the project uses it: linked to
 * libimprint.so, including <imprint/imprint.h> only.
 *
 * What is checked: the one-call path gives the bytes of the staged path (and of the file
 * path); a layout renders any number of times, to any format, any pages, and after other
 * pages were released; the policy (site detection, reading-rule fallback, metadata
 * overrides, strict mode) reaches the output; every failure comes back as a GError with
 * the right code; two threads with a context each give the bytes of one thread.
 *
 * Text: examples/speech.txt (a MOFCOM page), and a Chinese sentence from the zh_CN ls(1)
 * manual page in Debian's manpages-zh.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <imprint/imprint.h>

#define CREATED 1700000000

static const char mixed[] =
    "Mixed text\n\n"
    "The ls command (列出目录内容) lists files: 列出 FILE 的信息（默认为当前目录）。"
    "如果既没有指定 -cftuvSUX 中任何一个，也没有指定 --sort，则根据字母大小排序。\n";

/* ---- helpers ---- */

static ImpContext *context(void)
{
    GError *error = NULL;
    ImpContext *ctx = imp_context_new(IMP_SOURCE_DIR, &error);
    g_assert_no_error(error);
    return ctx;
}

/* Options with a fixed creation date and one job (plus those given as "key=value"). */
static ImpOptions *options_new(void)
{
    GError *error = NULL;
    ImpOptions *o = imp_options_new();
    g_assert_true(imp_options_set_creation_time(o, CREATED, &error));
    g_assert_no_error(error);
    return o;
}

static GBytes *speech(void)
{
    char *data;
    gsize len;
    GError *error = NULL;
    g_assert_true(g_file_get_contents(IMP_SOURCE_DIR "/examples/speech.txt", &data, &len,
                                      &error));
    g_assert_no_error(error);
    return g_bytes_new_take(data, len);
}

static GBytes *bytes_of(const char *s)
{
    return g_bytes_new(s, strlen(s));
}

/* How many pages a cairo PDF has: its page objects ("/Type /Page" not "/Pages"). */
static guint pdf_pages(GBytes *pdf)
{
    gsize len;
    const char *p = g_bytes_get_data(pdf, &len), *end = p + len;
    guint n = 0;
    const char key[] = "/Type /Page";
    for (const char *q = p; q + sizeof key < end; q++)
        if (memcmp(q, key, sizeof key - 1) == 0 && q[sizeof key - 1] != 's')
            n++;
    return n;
}

/* Whether two SVGs are the same but for the id cairo gives the page's group: cairo numbers
 * surfaces process-wide ("surface1", then "surface6" for the next drawing), so the second
 * SVG a process draws differs from the first in that id alone. */
static gboolean same_svg(GBytes *a, GBytes *b)
{
    GRegex *id = g_regex_new("id=\"surface[0-9]+\"", 0, 0, NULL);
    char *sa = g_regex_replace_literal(id, g_bytes_get_data(a, NULL), (gssize)g_bytes_get_size(a),
                                       0, "id=\"surface\"", 0, NULL);
    char *sb = g_regex_replace_literal(id, g_bytes_get_data(b, NULL), (gssize)g_bytes_get_size(b),
                                       0, "id=\"surface\"", 0, NULL);
    gboolean same = strcmp(sa, sb) == 0;
    g_free(sa);
    g_free(sb);
    g_regex_unref(id);
    return same;
}

static gboolean starts_with(GBytes *b, const char *s)
{
    gsize len;
    const char *data = g_bytes_get_data(b, &len);
    return len >= strlen(s) && memcmp(data, s, strlen(s)) == 0;
}

/* The staged path, as a program would write it: style for the input, read, lay out,
 * render all pages. */
static GBytes *staged(ImpContext *ctx, GBytes *input, const char *name, const ImpOptions *o)
{
    GError *error = NULL;
    ImpStyle *style = imp_style_new_for_input(ctx, input, o, &error);
    g_assert_no_error(error);
    ImpDocument *doc = imp_read_bytes(ctx, input, name, style, o, &error);
    g_assert_no_error(error);
    ImpLayout *layout = imp_layout_new(ctx, doc, style, o, &error);
    g_assert_no_error(error);
    GBytes *out = imp_render_to_bytes(layout, o, &error);
    g_assert_no_error(error);
    imp_layout_free(layout);
    imp_document_free(doc);
    imp_style_free(style);
    return out;
}

/* ---- one call and staged ---- */

/* The one-call path gives the staged path's bytes: detected style, explicit style without
 * reading rules (the site's rules then read the page), PNG of a page, and overrides. */
static void test_one_call_is_staged(void)
{
    ImpContext *ctx = context();
    GBytes *input = speech();
    GError *error = NULL;
    const char *styles[] = { NULL, "letter", "default" };
    for (guint i = 0; i < G_N_ELEMENTS(styles); i++) {
        ImpOptions *o = options_new();
        imp_options_set_style(o, styles[i]);
        if (i == 2) {
            g_assert_true(imp_options_add_style_override(o, "page.size=A5", &error));
            imp_options_set_format(o, IMP_FORMAT_PNG);
            imp_options_set_pages(o, 1, 1);
            g_assert_true(imp_options_set_dpi(o, 40, &error));
        }
        GBytes *one = imp_typeset_bytes(ctx, input, "speech.txt", o, &error);
        g_assert_no_error(error);
        GBytes *two = staged(ctx, input, "speech.txt", o);
        g_assert_true(g_bytes_equal(one, two));
        g_assert_true(starts_with(one, i == 2 ? "\x89PNG" : "%PDF-"));
        g_bytes_unref(one);
        g_bytes_unref(two);
        imp_options_free(o);
    }
    g_bytes_unref(input);
    imp_context_free(ctx);
}

/* imp_typeset_file writes the bytes imp_typeset_bytes returns. */
static void test_file_is_bytes(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    GError *error = NULL;
    char *dir = g_dir_make_tmp("imprint-api-XXXXXX", &error);
    g_assert_no_error(error);
    char *out = g_build_filename(dir, "speech.pdf", NULL);
    g_assert_true(imp_typeset_file(ctx, IMP_SOURCE_DIR "/examples/speech.txt", out, o,
                                   &error));
    g_assert_no_error(error);
    char *data;
    gsize len;
    g_assert_true(g_file_get_contents(out, &data, &len, NULL));
    GBytes *file = g_bytes_new_take(data, len);
    GBytes *input = speech();
    GBytes *bytes = imp_typeset_bytes(ctx, input, IMP_SOURCE_DIR "/examples/speech.txt", o,
                                      &error);
    g_assert_no_error(error);
    g_assert_true(g_bytes_equal(file, bytes));
    g_assert_cmpuint(pdf_pages(file), ==, 2);
    g_remove(out);
    g_rmdir(dir);
    g_bytes_unref(file);
    g_bytes_unref(bytes);
    g_bytes_unref(input);
    g_free(out);
    g_free(dir);
    imp_options_free(o);
    imp_context_free(ctx);
}

/* ---- layouts are data: render again, other formats, other pages ---- */

static void test_render_again(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    GBytes *input = speech();
    GError *error = NULL;
    ImpStyle *style = imp_style_new_for_input(ctx, input, o, &error);
    ImpDocument *doc = imp_read_bytes(ctx, input, "speech.txt", style, o, &error);
    ImpLayout *layout = imp_layout_new(ctx, doc, style, o, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(imp_layout_get_n_pages(layout), ==, 2);
    double w = 0, h = 0;
    imp_layout_get_page_size(layout, &w, &h);
    g_assert_cmpfloat_with_epsilon(w, 595.276, 0.01); /* A4 */
    g_assert_cmpfloat_with_epsilon(h, 841.89, 0.01);

    GBytes *pdf1 = imp_render_to_bytes(layout, o, &error);
    g_assert_no_error(error);
    GBytes *pdf2 = imp_render_to_bytes(layout, o, &error);
    g_assert_no_error(error);
    g_assert_true(g_bytes_equal(pdf1, pdf2));
    g_assert_cmpuint(pdf_pages(pdf1), ==, 2);

    /* other back-ends between two PDFs change nothing */
    ImpOptions *svg = imp_options_copy(o);
    imp_options_set_format(svg, IMP_FORMAT_SVG);
    imp_options_set_pages(svg, 1, 1);
    GBytes *svg1 = imp_render_to_bytes(layout, svg, &error);
    g_assert_no_error(error);
    g_assert_true(starts_with(svg1, "<?xml"));
    ImpOptions *png = imp_options_copy(o);
    imp_options_set_format(png, IMP_FORMAT_PNG);
    g_assert_true(imp_options_set_dpi(png, 30, &error));
    GBytes *png1 = imp_render_to_bytes(layout, png, &error);
    g_assert_no_error(error);
    g_assert_true(starts_with(png1, "\x89PNG\r\n\x1a\n"));
    GBytes *pdf3 = imp_render_to_bytes(layout, o, &error);
    g_assert_true(g_bytes_equal(pdf1, pdf3));
    GBytes *svg2 = imp_render_to_bytes(layout, svg, &error);
    g_assert_true(same_svg(svg1, svg2));

    /* a range; then page 0 released, page 1 still renders the same */
    ImpOptions *second = imp_options_copy(o);
    imp_options_set_pages(second, 1, 1);
    GBytes *p2 = imp_render_to_bytes(layout, second, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(pdf_pages(p2), ==, 1);
    imp_layout_release_page(layout, 0);
    GBytes *p2b = imp_render_to_bytes(layout, second, &error);
    g_assert_no_error(error);
    g_assert_true(g_bytes_equal(p2, p2b));
    GBytes *svg3 = imp_render_to_bytes(layout, svg, &error);
    g_assert_true(same_svg(svg1, svg3));

    GBytes *all[] = { pdf1, pdf2, pdf3, svg1, svg2, svg3, png1, p2, p2b };
    for (guint i = 0; i < G_N_ELEMENTS(all); i++)
        g_bytes_unref(all[i]);
    imp_options_free(second);
    imp_options_free(svg);
    imp_options_free(png);
    imp_layout_free(layout);
    imp_document_free(doc);
    imp_style_free(style);
    imp_options_free(o);
    g_bytes_unref(input);
    imp_context_free(ctx);
}

/* imp_render sends the bytes imp_render_to_bytes returns, in pieces. */
static gboolean collect(gpointer user_data, const guchar *data, gsize len)
{
    g_byte_array_append(user_data, data, (guint)len);
    return TRUE;
}

static gboolean refuse(gpointer user_data, const guchar *data, gsize len)
{
    (void)user_data;
    (void)data;
    (void)len;
    return FALSE;
}

static void test_render_callback(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    GError *error = NULL;
    GBytes *input = bytes_of(mixed);
    ImpStyle *style = imp_style_new(ctx, "default", o, &error);
    ImpDocument *doc = imp_read_bytes(ctx, input, "mixed.txt", style, o, &error);
    ImpLayout *layout = imp_layout_new(ctx, doc, style, o, &error);
    g_assert_no_error(error);
    GByteArray *pieces = g_byte_array_new();
    g_assert_true(imp_render(layout, o, collect, pieces, &error));
    g_assert_no_error(error);
    GBytes *whole = imp_render_to_bytes(layout, o, &error);
    GBytes *joined = g_byte_array_free_to_bytes(pieces);
    g_assert_true(g_bytes_equal(whole, joined));
    /* a write error stops the render with IMP_ERROR_OUTPUT */
    g_assert_false(imp_render(layout, o, refuse, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_clear_error(&error);
    g_bytes_unref(whole);
    g_bytes_unref(joined);
    imp_layout_free(layout);
    imp_document_free(doc);
    imp_style_free(style);
    g_bytes_unref(input);
    imp_options_free(o);
    imp_context_free(ctx);
}

/* ---- the policy ---- */

typedef struct {
    GPtrArray *info;
    guint warnings;
} Findings;

static void record(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer user_data)
{
    Findings *f = user_data;
    if (level == IMP_DIAG_WARNING)
        f->warnings++;
    else
        g_ptr_array_add(f->info, g_strdup_printf("%s:%u: %s", file ? file : "", line, message));
}

static gboolean has_finding(const Findings *f, const char *needle)
{
    for (guint i = 0; i < f->info->len; i++)
        if (strstr(f->info->pdata[i], needle) != NULL)
            return TRUE;
    return FALSE;
}

/* Detection picks the site style; an explicit style without reading rules still reads the
 * page with the site's rules (the breadcrumb gives the section, the masthead is dropped);
 * the options' metadata replaces the reader's. */
static void test_policy(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    Findings f = { g_ptr_array_new_with_free_func(g_free), 0 };
    imp_options_set_diag_func(o, record, &f);
    GBytes *input = speech();
    GError *error = NULL;

    ImpStyle *detected = imp_style_new_for_input(ctx, input, o, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_style_get_name(detected), ==, "mofcom");
    g_assert_true(has_finding(&f, "style: mofcom ("));

    ImpStyle *letter = imp_style_new(ctx, "letter", o, &error);
    g_assert_no_error(error);
    ImpDocument *doc = imp_read_bytes(ctx, input, "speech.txt", letter, o, &error);
    g_assert_no_error(error);
    g_assert_true(has_finding(&f, "reading rules: mofcom ("));
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "Speeches");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "MOFCOM");
    const ImpBlock *first = imp_document_get_block(doc, 0);
    g_assert_cmpint(imp_block_get_kind(first), ==, IMP_BLOCK_TITLE);
    g_assert_cmpuint(imp_block_get_line(first), ==, 4);
    g_assert_true(g_str_has_prefix(imp_block_get_text(first, NULL), "Vice Minister Jiang"));
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++)
        g_assert_null(strstr(imp_block_get_text(imp_document_get_block(doc, i), NULL),
                             "简体中文版")); /* the masthead line is not body text */
    imp_document_free(doc);

    imp_options_set_metadata(o, IMP_META_TITLE, "A title given");
    imp_options_set_metadata(o, IMP_META_SECTION, "");
    doc = imp_read_bytes(ctx, input, "speech.txt", letter, o, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "A title given");
    g_assert_null(imp_document_get_meta(doc, IMP_META_SECTION));
    imp_document_free(doc);
    imp_options_set_metadata(o, IMP_META_TITLE, NULL); /* forgets the override */
    imp_options_set_metadata(o, IMP_META_SECTION, NULL);
    doc = imp_read_bytes(ctx, input, "speech.txt", letter, o, &error);
    g_assert_true(g_str_has_prefix(imp_document_get_meta(doc, IMP_META_TITLE), "Vice Minister"));
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "Speeches");

    /* the input format chosen wins over the name: a .md file read as text */
    imp_options_set_input_format(o, IMP_INPUT_TEXT);
    GBytes *md = bytes_of("Title\n\nSome **text**.\n");
    ImpDocument *text = imp_read_bytes(ctx, md, "notes.md", NULL, o, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_block_get_text(imp_document_get_block(text, 1), NULL), ==,
                    "Some **text**.");
    g_assert_cmpuint(f.warnings, ==, 0);

    imp_document_free(text);
    g_bytes_unref(md);
    imp_document_free(doc);
    imp_style_free(letter);
    imp_style_free(detected);
    g_bytes_unref(input);
    imp_options_free(o);
    g_ptr_array_free(f.info, TRUE);
    imp_context_free(ctx);
}

/* Strict mode fails the one-call path on a warning (a character no font has) and writes
 * nothing; without it the warning is reported and the PDF made. */
static void test_strict(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    Findings f = { g_ptr_array_new_with_free_func(g_free), 0 };
    imp_options_set_diag_func(o, record, &f);
    GBytes *input = bytes_of("Title\n\nA private-use character \xee\x80\x80 no font has.\n");
    GError *error = NULL;
    GBytes *pdf = imp_typeset_bytes(ctx, input, "pua.txt", o, &error);
    g_assert_no_error(error);
    g_assert_nonnull(pdf);
    g_assert_cmpuint(f.warnings, ==, 1);
    g_bytes_unref(pdf);
    imp_options_set_strict(o, TRUE);
    pdf = imp_typeset_bytes(ctx, input, "pua.txt", o, &error);
    g_assert_null(pdf);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STRICT);
    g_assert_nonnull(strstr(error->message, "pua.txt: 1 problem reported"));
    g_clear_error(&error);
    g_bytes_unref(input);
    imp_options_free(o);
    g_ptr_array_free(f.info, TRUE);
    imp_context_free(ctx);
}

/* ---- errors: a GError with the right code ---- */

static void test_errors_options(void)
{
    ImpOptions *o = imp_options_new();
    GError *error = NULL;
    const double bad_dpi[] = { NAN, INFINITY, -INFINITY, -1, 2400.5 };
    for (guint i = 0; i < G_N_ELEMENTS(bad_dpi); i++) {
        g_assert_false(imp_options_set_dpi(o, bad_dpi[i], &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
        g_clear_error(&error);
    }
    g_assert_true(imp_options_set_dpi(o, 2400, &error));
    g_assert_false(imp_options_set_jobs(o, -1, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_true(imp_options_set_jobs(o, 100000, &error));
    g_assert_cmpint(imp_options_get_jobs(o), >=, 1);
    g_assert_cmpint(imp_options_get_jobs(o), <=, 64);
    g_assert_cmpint(imp_options_get_jobs(o), <=, (int)g_get_num_processors());
    const char *bad_set[] = { "fontsize", "=x", ".key=x", "group.=x", "groupkey=x" };
    for (guint i = 0; i < G_N_ELEMENTS(bad_set); i++) {
        g_assert_false(imp_options_add_style_override(o, bad_set[i], &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
        g_clear_error(&error);
    }
    g_assert_false(imp_options_set_encoding(o, "NO-SUCH-ENCODING", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_true(imp_options_set_encoding(o, "GB18030", &error));
    g_assert_false(imp_options_set_creation_time(o, -1, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    ImpFormat f;
    g_assert_true(imp_format_from_name("SVG", &f));
    g_assert_cmpint(f, ==, IMP_FORMAT_SVG);
    g_assert_false(imp_format_from_name("html", &f));
    g_assert_cmpstr(imp_format_name(IMP_FORMAT_PNG), ==, "png");
    ImpInputFormat in;
    g_assert_true(imp_input_format_from_name("md", &in));
    g_assert_cmpint(in, ==, IMP_INPUT_MARKDOWN);
    g_assert_false(imp_input_format_from_name("pdf", &in));
    ImpMetaKey key;
    g_assert_true(imp_meta_key_from_name("lang", &key));
    g_assert_cmpint(key, ==, IMP_META_LANGUAGE);
    imp_options_free(o);
}

static void test_errors_inputs(void)
{
    GError *error = NULL;
    g_assert_null(imp_context_new("/nonexistent/imprint", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    g_clear_error(&error);

    ImpContext *ctx = context();
    g_assert_null(imp_style_new(ctx, "no-such-style", NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    g_clear_error(&error);
    ImpOptions *o = options_new();
    g_assert_true(imp_options_add_style_override(o, "body.fontsize=11pt", &error));
    g_assert_null(imp_style_new(ctx, "default", o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    g_assert_nonnull(strstr(error->message, "--set body.fontsize"));
    g_clear_error(&error);
    imp_options_free(o);

    GBytes *empty = g_bytes_new(NULL, 0);
    g_assert_null(imp_read_bytes(ctx, empty, "empty.txt", NULL, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_clear_error(&error);
    g_assert_null(imp_typeset_bytes(ctx, empty, "empty.txt", NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_clear_error(&error);
    GBytes *bad = bytes_of("good line\nsecond \377 line\n");
    g_assert_null(imp_read_bytes(ctx, bad, "bad.txt", NULL, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_assert_true(g_str_has_prefix(error->message, "bad.txt:2: "));
    g_clear_error(&error);
    gsize big = (16u << 20) + 1;
    GBytes *huge = g_bytes_new_take(g_malloc0(big), big);
    g_assert_null(imp_read_bytes(ctx, huge, "huge.txt", NULL, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_assert_cmpstr(error->message, ==, "huge.txt: too large (more than 16 MiB)");
    g_clear_error(&error);
    g_assert_null(imp_read_file(ctx, "/nonexistent/input.txt", NULL, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_clear_error(&error);
    g_bytes_unref(huge);
    g_bytes_unref(bad);
    g_bytes_unref(empty);
    imp_context_free(ctx);
}

static void test_errors_outputs(void)
{
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    GError *error = NULL;
    const char *speech_txt = IMP_SOURCE_DIR "/examples/speech.txt";
    char *dir = g_dir_make_tmp("imprint-api-XXXXXX", &error);
    char *html = g_build_filename(dir, "x.html", NULL);
    char *pdf = g_build_filename(dir, "x.pdf", NULL);
    g_assert_false(imp_typeset_file(ctx, speech_txt, html, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_false(imp_typeset_file(ctx, speech_txt, "", o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_false(imp_typeset_file(ctx, "", pdf, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    g_assert_false(imp_typeset_file(ctx, "/nonexistent/input.txt", pdf, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_clear_error(&error);
    g_assert_false(imp_typeset_file(ctx, speech_txt, speech_txt, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT); /* the input, before its .txt */
    g_assert_nonnull(strstr(error->message, "speech.txt: is the input"));
    g_clear_error(&error);
    ImpOptions *png = imp_options_copy(o);
    imp_options_set_format(png, IMP_FORMAT_PNG);
    g_assert_false(imp_typeset_file(ctx, speech_txt, pdf, png, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE); /* the name says pdf */
    g_clear_error(&error);
    g_assert_false(g_file_test(pdf, G_FILE_TEST_EXISTS));

    /* the output that is the input, by a name without extension */
    char *same = g_build_filename(dir, "same", NULL);
    g_assert_true(g_file_set_contents(same, "Title\n\nText.\n", -1, NULL));
    g_assert_false(imp_typeset_file(ctx, same, same, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_clear_error(&error);

    /* rendering: a page beyond the last, two pages of PNG, a PNG too large */
    GBytes *input = speech();
    ImpStyle *style = imp_style_new_for_input(ctx, input, o, &error);
    ImpDocument *doc = imp_read_bytes(ctx, input, "speech.txt", style, o, &error);
    ImpLayout *layout = imp_layout_new(ctx, doc, style, o, &error);
    g_assert_no_error(error);
    ImpOptions *r = imp_options_copy(o);
    imp_options_set_pages(r, 2, 1);
    g_assert_null(imp_render_to_bytes(layout, r, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_assert_cmpstr(error->message, ==, "page 3 requested, but the document has 2 pages");
    g_clear_error(&error);
    imp_options_set_format(r, IMP_FORMAT_PNG);
    imp_options_set_pages(r, 0, 2);
    g_assert_null(imp_render_to_bytes(layout, r, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_clear_error(&error);
    imp_options_set_pages(r, 0, 1);
    g_assert_true(imp_options_set_dpi(r, 2400, &error));
    g_assert_false(imp_render_to_file(layout, pdf, r, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE); /* the name says pdf */
    g_clear_error(&error);
    char *big = g_build_filename(dir, "big.png", NULL);
    g_assert_false(imp_render_to_file(layout, big, r, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_assert_nonnull(strstr(error->message, "big.png: a PNG of 19843 x 28063 pixels is too large"));
    g_clear_error(&error);
    g_assert_false(g_file_test(big, G_FILE_TEST_EXISTS));
    char *nowhere = g_build_filename(dir, "missing", "x.pdf", NULL);
    g_assert_false(imp_render_to_file(layout, nowhere, o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_clear_error(&error);

    g_remove(same);
    g_rmdir(dir);
    g_free(nowhere);
    g_free(big);
    g_free(same);
    imp_options_free(r);
    imp_options_free(png);
    imp_layout_free(layout);
    imp_document_free(doc);
    imp_style_free(style);
    g_bytes_unref(input);
    g_free(html);
    g_free(pdf);
    g_free(dir);
    imp_options_free(o);
    imp_context_free(ctx);
}

/* A data folder whose fonts.conf cannot be loaded: styles load, the layout fails with
 * IMP_ERROR_FONT. */
static void test_errors_fonts(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("imprint-api-XXXXXX", &error);
    char *styles = g_build_filename(dir, "styles", NULL);
    char *fonts = g_build_filename(dir, "fonts", NULL);
    char *conf = g_build_filename(fonts, "fonts.conf", NULL);
    g_assert_cmpint(symlink(IMP_SOURCE_DIR "/styles", styles), ==, 0);
    g_assert_cmpint(g_mkdir(fonts, 0755), ==, 0);
    g_assert_true(g_file_set_contents(conf, "<fontconfig><dir>/nonexistent</dir></fontconfig>",
                                      -1, NULL));
    ImpContext *ctx = imp_context_new(dir, &error);
    g_assert_no_error(error);
    GBytes *input = bytes_of(mixed);
    ImpStyle *style = imp_style_new(ctx, "default", NULL, &error);
    ImpDocument *doc = imp_read_bytes(ctx, input, "mixed.txt", style, NULL, &error);
    g_assert_no_error(error);
    g_assert_null(imp_layout_new(ctx, doc, style, NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_FONT);
    g_clear_error(&error);
    g_assert_null(imp_typeset_bytes(ctx, input, "mixed.txt", NULL, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_FONT);
    g_clear_error(&error);
    imp_document_free(doc);
    imp_style_free(style);
    g_bytes_unref(input);
    imp_context_free(ctx);
    g_remove(conf);
    g_rmdir(fonts);
    g_remove(styles);
    g_rmdir(dir);
    g_free(conf);
    g_free(fonts);
    g_free(styles);
    g_free(dir);
}

/* ---- the context ---- */

static void test_context(void)
{
    GError *error = NULL; /* main() set IMPRINT_DATADIR */
    ImpContext *ctx = imp_context_new(NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_context_get_data_dir(ctx), ==, IMP_SOURCE_DIR);
    char **descriptions = NULL;
    char **names = imp_context_list_styles(ctx, &descriptions);
    g_assert_cmpuint(g_strv_length(names), ==, 4);
    g_assert_cmpuint(g_strv_length(descriptions), ==, 4);
    const char *expected[] = { "archival", "default", "letter", "mofcom" };
    for (guint i = 0; i < 4; i++) {
        g_assert_cmpstr(names[i], ==, expected[i]);
        g_assert_cmpuint(strlen(descriptions[i]), >, 10);
        ImpStyle *style = imp_style_new(ctx, names[i], NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(imp_style_get_description(style), ==, descriptions[i]);
        g_assert_true(g_str_has_suffix(imp_style_get_path(style), ".style"));
        char *dump = imp_style_dump(style);
        g_assert_nonnull(strstr(dump, "[page]"));
        g_free(dump);
        imp_style_free(style);
    }
    g_strfreev(names);
    g_strfreev(descriptions);
    /* overrides carried by a copy of the options reach the style */
    ImpOptions *o = imp_options_new();
    g_assert_true(imp_options_add_style_override(o, "page.size=A5", &error));
    ImpOptions *copy = imp_options_copy(o);
    imp_options_free(o);
    ImpStyle *a5 = imp_style_new(ctx, "default", copy, &error);
    g_assert_no_error(error);
    GBytes *input = bytes_of(mixed);
    ImpDocument *doc = imp_read_bytes(ctx, input, NULL, a5, copy, &error);
    ImpLayout *layout = imp_layout_new(ctx, doc, a5, copy, &error);
    g_assert_no_error(error);
    double w, h;
    imp_layout_get_page_size(layout, &w, &h);
    g_assert_cmpfloat_with_epsilon(w, 419.53, 0.01);
    g_assert_cmpfloat_with_epsilon(h, 595.28, 0.01);
    imp_layout_free(layout);
    imp_document_free(doc);
    g_bytes_unref(input);
    imp_style_free(a5);
    imp_options_free(copy);
    imp_context_free(ctx);
    g_assert_cmpstr(imp_version_string(), ==, IMP_VERSION_STRING);
    g_assert_true(IMP_CHECK_VERSION(0, 2, 0));
    g_assert_false(IMP_CHECK_VERSION(IMP_VERSION_MAJOR, IMP_VERSION_MINOR + 1, 0));
}

/* ---- threads: a context each, the bytes of one thread ---- */

typedef struct {
    GBytes *input;
    const char *name;
    GBytes *result[3];
} Job;

static gpointer typeset_thread(gpointer data)
{
    Job *job = data;
    ImpContext *ctx = context();
    ImpOptions *o = options_new();
    GError *error = NULL;
    g_assert_true(imp_options_set_jobs(o, 1, &error));
    for (guint i = 0; i < G_N_ELEMENTS(job->result); i++) {
        job->result[i] = imp_typeset_bytes(ctx, job->input, job->name, o, &error);
        g_assert_no_error(error);
    }
    imp_options_free(o);
    imp_context_free(ctx);
    return NULL;
}

static void test_threads(void)
{
    Job jobs[2] = { { speech(), "speech.txt", { NULL } }, { bytes_of(mixed), "mixed.txt", { NULL } } };
    GBytes *alone[2];
    for (guint k = 0; k < 2; k++) {
        typeset_thread(&jobs[k]);
        alone[k] = g_bytes_ref(jobs[k].result[0]);
        for (guint i = 0; i < G_N_ELEMENTS(jobs[k].result); i++)
            g_clear_pointer(&jobs[k].result[i], g_bytes_unref);
    }
    GThread *threads[2];
    for (guint k = 0; k < 2; k++)
        threads[k] = g_thread_new("typeset", typeset_thread, &jobs[k]);
    for (guint k = 0; k < 2; k++) {
        g_thread_join(threads[k]);
        for (guint i = 0; i < G_N_ELEMENTS(jobs[k].result); i++) {
            g_assert_true(g_bytes_equal(alone[k], jobs[k].result[i]));
            g_bytes_unref(jobs[k].result[i]);
        }
        g_bytes_unref(alone[k]);
        g_bytes_unref(jobs[k].input);
    }
}

int main(int argc, char **argv)
{
    /* for /api/context: a context made without a folder takes $IMPRINT_DATADIR (set before
       any thread starts: setenv is not thread-safe) */
    g_setenv("IMPRINT_DATADIR", IMP_SOURCE_DIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/one-call-is-staged", test_one_call_is_staged);
    g_test_add_func("/api/file-is-bytes", test_file_is_bytes);
    g_test_add_func("/api/render-again", test_render_again);
    g_test_add_func("/api/render-callback", test_render_callback);
    g_test_add_func("/api/policy", test_policy);
    g_test_add_func("/api/strict", test_strict);
    g_test_add_func("/api/errors/options", test_errors_options);
    g_test_add_func("/api/errors/inputs", test_errors_inputs);
    g_test_add_func("/api/errors/outputs", test_errors_outputs);
    g_test_add_func("/api/errors/fonts", test_errors_fonts);
    g_test_add_func("/api/context", test_context);
    g_test_add_func("/api/threads", test_threads);
    return g_test_run();
}
