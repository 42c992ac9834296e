/* test-fonts.c — fonts through the public API (issue 15), as a program outside the project
 * uses them: imp_context_add_font_dir() (the library's --font-path) makes a folder's family
 * known to a context; a family the font setup lacks comes to the diag callback as a
 * warning, with every layout, and fails a strict call; the refusals are GErrors.
 *
 * The font is a copy of the installed Noto Serif (fonts-noto-core) named "Test Serif" (its
 * name table patched in place), which no font setup has until its folder is added.
 */
#include <glib/gstdio.h>
#include <string.h>

#include <imprint/imprint.h>

#define SERIF "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"

/* Replaces every `from` in [b, b + len) by `to` (as long), as ASCII and as UTF-16BE. */
static void replace(guint8 *b, gsize len, const char *from, const char *to)
{
    gsize n = strlen(from);
    g_assert_cmpuint(n, ==, strlen(to));
    for (int wide = 0; wide < 2; wide++) {
        gsize step = wide ? 2 : 1, size = n * step;
        for (gsize i = 0; i + size <= len; i++) {
            gsize k = 0;
            while (k < n && b[i + k * step + wide] == (guint8)from[k] &&
                   (!wide || b[i + k * step] == 0))
                k++;
            if (k == n)
                for (k = 0; k < n; k++)
                    b[i + k * step + wide] = (guint8)to[k];
        }
    }
}

/* A folder holding Noto Serif renamed "Test Serif" (transfer full: the folder). */
static char *test_serif_dir(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("imprint-api-fonts-XXXXXX", &error);
    g_assert_no_error(error);
    char *data;
    gsize len;
    g_assert_true(g_file_get_contents(SERIF, &data, &len, NULL));
    guint8 *b = (guint8 *)data;
    guint n = (guint)(b[4] << 8 | b[5]);
    for (guint i = 0; i < n; i++) {
        const guint8 *rec = b + 12 + 16 * i;
        if (memcmp(rec, "name", 4) != 0)
            continue;
        gsize off = (gsize)rec[8] << 24 | (gsize)rec[9] << 16 | (gsize)rec[10] << 8 | rec[11];
        gsize tlen = (gsize)rec[12] << 24 | (gsize)rec[13] << 16 | (gsize)rec[14] << 8 | rec[15];
        replace(b + off, tlen, "NotoSerif-Regular", "TestSerif-Regular");
        replace(b + off, tlen, "Noto Serif", "Test Serif");
    }
    char *path = g_build_filename(dir, "test.ttf", NULL);
    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    g_free(path);
    g_free(data);
    return dir;
}

static void remove_dir(char *dir)
{
    char *path = g_build_filename(dir, "test.ttf", NULL);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

/* Whether the bytes hold `s` (binary: g_strstr_len stops at a NUL byte). */
static gboolean contains(const char *data, gsize len, const char *s)
{
    gsize n = strlen(s);
    for (gsize i = 0; i + n <= len; i++)
        if (memcmp(data + i, s, n) == 0)
            return TRUE;
    return FALSE;
}

static void record(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer data)
{
    (void)file, (void)line;
    if (level == IMP_DIAG_WARNING)
        g_string_append_printf(data, "%s\n", message);
}

/* Options: a fixed date, the body in Test Serif, warnings into `warnings`. */
static ImpOptions *options_new(GString *warnings)
{
    GError *error = NULL;
    ImpOptions *o = imp_options_new();
    g_assert_true(imp_options_set_creation_time(o, 1700000000, &error));
    g_assert_true(imp_options_add_style_override(o, "body.font-family=Test Serif", &error));
    g_assert_no_error(error);
    imp_options_set_diag_func(o, record, warnings);
    return o;
}

static GBytes *speech(void)
{
    char *data;
    gsize len;
    g_assert_true(g_file_get_contents(IMP_SOURCE_DIR "/examples/speech.txt", &data, &len,
                                      NULL));
    return g_bytes_new_take(data, len);
}

/* Without the folder: a warning with every call, IMP_ERROR_STRICT when strict; with it:
 * none, and a PDF that embeds the face. */
static void test_font_dir(void)
{
    GError *error = NULL;
    GString *warnings = g_string_new(NULL);
    ImpOptions *o = options_new(warnings);
    GBytes *in = speech();

    ImpContext *ctx = imp_context_new(IMP_SOURCE_DIR, &error);
    g_assert_no_error(error);
    for (int k = 0; k < 2; k++) {
        g_string_truncate(warnings, 0);
        GBytes *pdf = imp_typeset_bytes(ctx, in, "speech.txt", o, &error);
        g_assert_no_error(error);
        g_assert_nonnull(pdf);
        g_bytes_unref(pdf);
        g_assert_cmpstr(warnings->str, ==,
                        "[body] font-family: no font family \"Test Serif\" in imprint's "
                        "font setup, nor installed (another face stands in)\n");
    }
    imp_options_set_strict(o, TRUE);
    g_assert_null(imp_typeset_bytes(ctx, in, "speech.txt", o, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STRICT);
    g_clear_error(&error);
    /* the fonts are loaded: too late to add a folder */
    char *dir = test_serif_dir();
    g_assert_false(imp_context_add_font_dir(ctx, dir, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
    g_assert_nonnull(strstr(error->message, "the fonts are loaded already"));
    g_clear_error(&error);
    imp_context_free(ctx);

    ctx = imp_context_new(IMP_SOURCE_DIR, &error);
    g_assert_no_error(error);
    g_assert_true(imp_context_add_font_dir(ctx, dir, &error));
    g_assert_no_error(error);
    g_string_truncate(warnings, 0);
    GBytes *pdf = imp_typeset_bytes(ctx, in, "speech.txt", o, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(warnings->str, ==, "");
    gsize len;
    const char *data = g_bytes_get_data(pdf, &len);
    g_assert_true(contains(data, len, "/BaseFont /")); /* uncompressed font names */
    g_assert_true(contains(data, len, "TestSerif-Regular"));
    g_bytes_unref(pdf);
    imp_context_free(ctx);

    remove_dir(dir);
    g_bytes_unref(in);
    imp_options_free(o);
    g_string_free(warnings, TRUE);
}

/* A folder that is none: IMP_ERROR_USAGE, naming it. */
static void test_font_dir_refused(void)
{
    GError *error = NULL;
    ImpContext *ctx = imp_context_new(IMP_SOURCE_DIR, &error);
    g_assert_no_error(error);
    const char *bad[] = { "/no/such/folder", SERIF, "" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(imp_context_add_font_dir(ctx, bad[i], &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_USAGE);
        g_assert_nonnull(strstr(error->message, "not a folder of fonts"));
        if (*bad[i] != '\0')
            g_assert_true(g_str_has_prefix(error->message, bad[i]));
        g_clear_error(&error);
    }
    imp_context_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fonts/font-dir", test_font_dir);
    g_test_add_func("/fonts/font-dir-refused", test_font_dir_refused);
    return g_test_run();
}
