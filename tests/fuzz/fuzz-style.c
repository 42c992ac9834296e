/* fuzz-style.c — libFuzzer target for the style parser (imp_style_load).
 *
 * The input up to its first NUL byte is a style file, written to a private temporary
 * folder and loaded by path with the shipped styles as the folder for `inherits`; after
 * the NUL come `--set` overrides, one a line (made valid UTF-8, as GOption makes a real
 * --set). Checked: a result is a style or an IMP_ERROR_STYLE whose message is valid UTF-8,
 * never both or neither; a loaded style keeps the invariants of style.h (finite, positive
 * sizes; a text area that is not empty) in every language (imp_style_set_language cannot
 * fail on a style that loaded); and its dump loads back to the same dump (dump.c,
 * invariant 1).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "style/style.h"
#include "util/error.h"

static char *tmpdir, *style_path, *dump_path, *styles_dir;

static void cleanup(void)
{
    unlink(style_path);
    unlink(dump_path);
    rmdir(tmpdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    imp_fuzz_fatal_warnings();
    tmpdir = g_dir_make_tmp("imp-fuzz-style-XXXXXX", NULL);
    g_assert(tmpdir != NULL);
    style_path = g_build_filename(tmpdir, "fuzz.style", NULL);
    dump_path = g_build_filename(tmpdir, "dump.style", NULL);
    styles_dir = g_build_filename(imp_fuzz_datadir(), "styles", NULL);
    atexit(cleanup);
    return 0;
}

static void check_error(GError *error)
{
    if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_STYLE) ||
        !g_utf8_validate(error->message, -1, NULL))
        g_error("imp_style_load: bad error: %s", error->message);
}

static void check_number(const char *what, double v, double min)
{
    if (!isfinite(v) || v < min)
        g_error("resolved style: %s is %g", what, v);
}

static void check_style(const ImpStyle *style)
{
    const ImpPageStyle *p = imp_style_get_page(style);
    check_number("page width", p->width, 1);
    check_number("page height", p->height, 1);
    check_number("margin-top", p->margin_top, 0);
    check_number("margin-bottom", p->margin_bottom, 0);
    check_number("margin-left", p->margin_left, 0);
    check_number("margin-right", p->margin_right, 0);
    if (p->width - p->margin_left - p->margin_right <= 0 ||
        p->height - p->margin_top - p->margin_bottom <= 0)
        g_error("resolved style: empty text area");
    for (int r = 0; r < IMP_N_ROLES; r++) {
        const ImpRoleStyle *rs = imp_style_get_role(style, (ImpRole)r);
        if (!isfinite(rs->size) || rs->size <= 0)
            g_error("resolved style: %s size %g", imp_role_name((ImpRole)r), rs->size);
        check_number("leading", rs->leading, 0);
        check_number("space-before", rs->space_before, 0);
        check_number("space-after", rs->space_after, 0);
        if (!isfinite(rs->indent))
            g_error("resolved style: indent %g", rs->indent);
        if (rs->weight < 100 || rs->weight > 1000)
            g_error("resolved style: weight %d", rs->weight);
        for (int s = 0; s < IMP_N_SCRIPTS; s++)
            if (rs->family[s] == NULL || !g_utf8_validate(rs->family[s], -1, NULL))
                g_error("resolved style: a family list is NULL or not UTF-8");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, '\0', size);
    gsize file_len = nul ? (gsize)(nul - (const char *)data) : size;
    if (!g_file_set_contents(style_path, (const char *)data, (gssize)file_len, NULL))
        g_error("cannot write %s", style_path);
    char **overrides = NULL;
    if (nul != NULL) {
        char *rest = g_strndup(nul + 1, size - file_len - 1);
        overrides = g_strsplit(rest, "\n", 16);
        g_free(rest);
        /* overrides are UTF-8, as GOption makes every --set (a caller's contract, not the
           world's input): make them so, and fuzz what the parser can be given */
        for (char **o = overrides; *o != NULL; o++) {
            char *valid = g_utf8_make_valid(*o, -1);
            g_free(*o);
            *o = valid;
        }
    }
    const char *dirs[] = { styles_dir, NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load(style_path, dirs, (const char *const *)overrides, &error);
    g_strfreev(overrides);
    if ((style == NULL) == (error == NULL))
        g_error("imp_style_load: a style and an error, or neither");
    if (style == NULL) {
        check_error(error);
        g_error_free(error);
        return 0;
    }
    check_style(style);
    static const char *const langs[] = { "ja", "zh-TW", "zh-CN", "ko", "en-US", "de" };
    for (gsize i = 0; i < G_N_ELEMENTS(langs); i++) {
        if (!imp_style_set_language(style, langs[i], &error))
            g_error("imp_style_set_language(%s) failed on a loaded style: %s", langs[i],
                    error->message);
        check_style(style);
    }

    /* the dump loads back to the same dump */
    char *dump = imp_style_dump(style);
    if (!g_file_set_contents(dump_path, dump, -1, NULL))
        g_error("cannot write %s", dump_path);
    ImpStyle *again = imp_style_load(dump_path, dirs, NULL, &error);
    if (again == NULL)
        g_error("the dump of a loaded style does not load: %s\n%s", error->message, dump);
    char *dump2 = imp_style_dump(again);
    if (strcmp(dump, dump2) != 0)
        g_error("the dump of a reloaded dump differs:\n%s\n---\n%s", dump, dump2);
    g_free(dump2);
    g_free(dump);
    imp_style_free(again);
    imp_style_free(style);
    return 0;
}
