/* test-fonts.c — unit tests of the font setup's checks (issue 15): the configuration read
 * by imprint (includes spliced in, folders taken out, an include that is a FIFO or a device
 * skipped with its file and line, a missing one an error), the faces of user fonts (damaged
 * copies of the installed Noto Serif, fonts-noto-core), the folders (only regular files),
 * and the family names a style gives (the nearest known family; each reported once per
 * layout, and again with the next layout).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layout/fontcheck.h"
#include "layout/layout-private.h"
#include "util/error.h"

#define SERIF "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"

/* ---- helpers ---- */

/* A new temporary folder (transfer full; remove with rm_rf). */
static char *tmp_dir(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("imprint-fonts-XXXXXX", &error);
    g_assert_no_error(error);
    return dir;
}

static void rm_rf(char *dir)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    g_free(cmd);
    g_free(dir);
}

/* Writes `text` to DIR/NAME. */
static char *put(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* The offset of table `tag` in a TrueType font's bytes. */
static gsize table_offset(const guint8 *b, const char *tag)
{
    guint n = (guint)(b[4] << 8 | b[5]);
    for (guint i = 0; i < n; i++) {
        const guint8 *rec = b + 12 + 16 * i;
        if (memcmp(rec, tag, 4) == 0)
            return (gsize)rec[8] << 24 | (gsize)rec[9] << 16 | (gsize)rec[10] << 8 | rec[11];
    }
    g_assert_not_reached();
}

/* A copy of Noto Serif at DIR/NAME, patched: "upem0" (head.unitsPerEm), "advances0" (every
 * hmtx advance), or "" (sound). (transfer full: the path) */
static char *serif_copy(const char *dir, const char *name, const char *how)
{
    char *data;
    gsize len;
    g_assert_true(g_file_get_contents(SERIF, &data, &len, NULL));
    guint8 *b = (guint8 *)data;
    if (strcmp(how, "upem0") == 0) {
        gsize head = table_offset(b, "head");
        b[head + 18] = b[head + 19] = 0;
    } else if (strcmp(how, "advances0") == 0) {
        gsize hhea = table_offset(b, "hhea"), hmtx = table_offset(b, "hmtx");
        guint n = (guint)(b[hhea + 34] << 8 | b[hhea + 35]);
        for (guint g = 0; g < n; g++)
            b[hmtx + 4 * g] = b[hmtx + 4 * g + 1] = 0;
    }
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    g_free(data);
    return path;
}

/* The findings as "LEVEL FILE:LINE: MESSAGE" lines (transfer full). */
static char *findings_text(GPtrArray *findings)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < findings->len; i++) {
        const ImpFontFinding *f = findings->pdata[i];
        g_string_append_printf(s, "%s %s:%u: %s\n", f->level == IMP_DIAG_WARNING ? "W" : "I",
                               f->file != NULL ? f->file : "", f->line, f->message);
    }
    return g_string_free(s, FALSE);
}

/* ---- family names ---- */

static void test_family_key(void)
{
    const char *cases[][2] = {
        { "Noto Serif", "notoserif" },
        { "NOTO  SERIF ", "notoserif" },
        { "NotoSerif", "notoserif" },
        { "Noto Sans CJK SC", "notosanscjksc" },
        { "Ÿ Serif", "ÿserif" },
        { "思源 黑体", "思源黑体" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *key = imp__font_family_key(cases[i][0]);
        g_assert_cmpstr(key, ==, cases[i][1]);
        g_free(key);
    }
}

static GHashTable *known_of(const char *const *names)
{
    GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (gsize i = 0; names[i] != NULL; i++)
        g_hash_table_insert(known, imp__font_family_key(names[i]), g_strdup(names[i]));
    return known;
}

static void test_family_unknown(void)
{
    const char *names[] = { "Noto Serif", "Noto Sans", "Noto Sans Symbols2",
                            "Noto Sans CJK SC", "Noto Sans CJK JP", "serif", NULL };
    GHashTable *known = known_of(names);
    char *m = imp__font_family_unknown("Noto Serf", known, NULL);
    g_assert_cmpstr(m, ==, "no font family \"Noto Serf\" in imprint's font setup (another "
                           "face stands in); did you mean \"Noto Serif\"?");
    g_free(m);
    /* a letter too many, the case and spaces no matter */
    m = imp__font_family_unknown("noto sans symbolss2", known, NULL);
    g_assert_nonnull(strstr(m, "did you mean \"Noto Sans Symbols2\"?"));
    g_free(m);
    /* two as near: the first in sorted order */
    m = imp__font_family_unknown("Noto Sans CJK", known, NULL);
    g_assert_nonnull(strstr(m, "did you mean \"Noto Sans CJK JP\"?"));
    g_free(m);
    /* nothing near */
    m = imp__font_family_unknown("Zapfino", known, NULL);
    g_assert_cmpstr(m, ==, "no font family \"Zapfino\" in imprint's font setup, nor "
                           "installed (another face stands in)");
    g_free(m);
    /* a short name: one letter off at most */
    m = imp__font_family_unknown("serf", known, NULL);
    g_assert_nonnull(strstr(m, "did you mean \"serif\"?"));
    g_free(m);
    m = imp__font_family_unknown("sans", known, NULL);
    g_assert_null(strstr(m, "did you mean"));
    g_free(m);
    g_hash_table_destroy(known);
}

/* ---- the configuration ---- */

/* Includes are spliced in (a relative one beside its file, a folder's [0-9]*.conf files in
 * order), folders taken out and made absolute in order, a relative cache folder made
 * absolute, the rules' family names noted. */
static void test_conf_includes(void)
{
    char *dir = tmp_dir();
    char *sub = g_build_filename(dir, "conf.d", NULL);
    g_assert_cmpint(mkdir(sub, 0700), ==, 0);
    g_free(put(dir, "inc.conf",
               "<fontconfig><dir prefix=\"relative\">inc-fonts</dir>"
               "<alias><family>house</family><prefer><family>Noto Serif</family></prefer>"
               "</alias></fontconfig>"));
    g_free(put(sub, "20-b.conf", "<fontconfig><dir>/b</dir></fontconfig>"));
    g_free(put(sub, "10-a.conf", "<fontconfig><dir>/a</dir><match><test name=\"family\">"
                                 "<string>Helvetica</string></test></match></fontconfig>"));
    g_free(put(sub, "readme.txt", "not read"));
    char *conf = put(dir, "fonts.conf",
                     "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
                     "<fontconfig>\n"
                     "  <dir>/first</dir>\n"
                     "  <include>inc.conf</include>\n"
                     "  <include>conf.d</include>\n"
                     "  <include ignore_missing=\"yes\">missing.conf</include>\n"
                     "  <include>fonts.conf</include>\n"
                     "  <cachedir prefix=\"relative\">cache</cachedir>\n"
                     "</fontconfig>\n");
    GPtrArray *findings = g_ptr_array_new_with_free_func(imp__font_finding_free);
    ImpFontConf fc;
    GError *error = NULL;
    g_assert_true(imp__font_conf_load(conf, &fc, findings, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(findings->len, ==, 0);
    char *inc_fonts = g_build_filename(dir, "inc-fonts", NULL);
    g_assert_cmpuint(fc.dirs->len, ==, 4);
    g_assert_cmpstr(fc.dirs->pdata[0], ==, "/first");
    g_assert_cmpstr(fc.dirs->pdata[1], ==, inc_fonts);
    g_assert_cmpstr(fc.dirs->pdata[2], ==, "/a");
    g_assert_cmpstr(fc.dirs->pdata[3], ==, "/b");
    g_assert_cmpuint(fc.families->len, ==, 2);
    g_assert_cmpstr(fc.families->pdata[0], ==, "house");
    g_assert_cmpstr(fc.families->pdata[1], ==, "Helvetica");
    g_assert_null(strstr(fc.text, "<include"));
    g_assert_null(strstr(fc.text, "<dir"));
    g_assert_nonnull(strstr(fc.text, "<family>house</family>"));
    char *cache = g_strdup_printf("<cachedir>%s/cache</cachedir>", dir);
    g_assert_nonnull(strstr(fc.text, cache));
    /* fontconfig takes the text */
    FcConfig *config = FcConfigCreate();
    g_assert_true(FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)fc.text, FcTrue));
    FcConfigDestroy(config);
    g_free(cache);
    g_free(inc_fonts);
    imp__font_conf_clear(&fc);
    g_ptr_array_free(findings, TRUE);
    g_free(conf);
    g_free(sub);
    rm_rf(dir);
}

/* An include that is a FIFO, a device, a socket's folder entry or too large is skipped
 * with the including file and line, at once (a FIFO opened to read would block). */
static void test_conf_hostile_includes(void)
{
    char *dir = tmp_dir();
    char *fifo = g_build_filename(dir, "pipe.conf", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    char *big = g_build_filename(dir, "big.conf", NULL);
    char *blank = g_strnfill(IMP_FONT_CONF_MAX + 1, ' ');
    g_assert_true(g_file_set_contents(big, blank, -1, NULL));
    char *conf = put(dir, "fonts.conf",
                     "<fontconfig>\n"
                     "<include>/dev/zero</include>\n"
                     "<include>pipe.conf</include>\n"
                     "<include>big.conf</include>\n"
                     "<dir>/x</dir>\n"
                     "</fontconfig>\n");
    GPtrArray *findings = g_ptr_array_new_with_free_func(imp__font_finding_free);
    ImpFontConf fc;
    GError *error = NULL;
    g_assert_true(imp__font_conf_load(conf, &fc, findings, &error));
    g_assert_no_error(error);
    char *got = findings_text(findings);
    char *want = g_strdup_printf(
        "W %s:2: include /dev/zero: a character device, not a configuration file; skipped\n"
        "W %s:3: include %s: a named pipe (FIFO), not a configuration file; skipped\n"
        "W %s:4: include %s: larger than 1 MiB, which no font configuration is; skipped\n",
        conf, conf, fifo, conf, big);
    g_assert_cmpstr(got, ==, want);
    g_assert_cmpuint(fc.dirs->len, ==, 1);
    g_free(want);
    g_free(got);
    imp__font_conf_clear(&fc);
    g_ptr_array_free(findings, TRUE);
    g_free(conf);
    g_free(blank);
    g_free(big);
    g_free(fifo);
    rm_rf(dir);
}

/* Errors: a missing include, one that is not XML (nothing of it quoted), a DOCTYPE with
 * declarations, a root that is not <fontconfig>, the configuration itself a FIFO. */
static void test_conf_errors(void)
{
    char *dir = tmp_dir();
    g_free(put(dir, "secret", "root:SECRET:0:0\n"));
    g_free(put(dir, "other.conf", "<html><body/></html>"));
    char *fifo = g_build_filename(dir, "fifo.conf", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    struct {
        const char *text;
        const char *message; /* after the file's path */
    } cases[] = {
        { "<fontconfig>\n<include>missing.conf</include></fontconfig>",
          ":2: include %s/missing.conf: No such file or directory" },
        { "<fontconfig><include>secret</include></fontconfig>", NULL },
        { "<!DOCTYPE fontconfig [<!ENTITY a \"x\">]><fontconfig/>",
          ": its DOCTYPE declares entities or elements, which imprint's font setup does not "
          "take" },
        { "<fonts/>", ": not a fontconfig configuration (its root element is <fonts>, not "
                      "<fontconfig>)" },
        { "<fontconfig><include>other.conf</include></fontconfig>", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *conf = put(dir, "fonts.conf", cases[i].text);
        GPtrArray *findings = g_ptr_array_new_with_free_func(imp__font_finding_free);
        ImpFontConf fc;
        GError *error = NULL;
        g_assert_false(imp__font_conf_load(conf, &fc, findings, &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_FONT);
        g_assert_null(strstr(error->message, "SECRET"));
        g_assert_null(strstr(error->message, "root:"));
        if (cases[i].message != NULL) {
            char *tail = g_strdup_printf(cases[i].message, dir);
            char *want = g_strconcat(conf, tail, NULL);
            g_assert_cmpstr(error->message, ==, want);
            g_free(want);
            g_free(tail);
        } else if (i == 1) {
            g_assert_true(g_str_has_prefix(error->message, dir));
            g_assert_nonnull(strstr(error->message, "secret:1: not well-formed XML"));
        } else {
            g_assert_nonnull(strstr(error->message, "other.conf: not a fontconfig"));
        }
        g_clear_error(&error);
        imp__font_conf_clear(&fc);
        g_ptr_array_free(findings, TRUE);
        g_free(conf);
    }
    GPtrArray *findings = g_ptr_array_new_with_free_func(imp__font_finding_free);
    ImpFontConf fc;
    GError *error = NULL;
    g_assert_false(imp__font_conf_load(fifo, &fc, findings, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_FONT);
    g_assert_nonnull(strstr(error->message, "is a named pipe (FIFO), not a regular file"));
    g_clear_error(&error);
    imp__font_conf_clear(&fc);
    g_ptr_array_free(findings, TRUE);
    g_free(fifo);
    rm_rf(dir);
}

/* ---- faces ---- */

static void test_face_problem(void)
{
    char *dir = tmp_dir();
    char *sound = serif_copy(dir, "sound.ttf", "");
    char *upem = serif_copy(dir, "upem.ttf", "upem0");
    char *adv = serif_copy(dir, "adv.ttf", "advances0");
    char *text = put(dir, "text.ttf", "not a font");
    char *fifo = g_build_filename(dir, "fifo.ttf", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    char *p = imp__font_face_problem(sound, 0);
    g_assert_null(p);
    p = imp__font_face_problem(upem, 0);
    g_assert_cmpstr(p, ==, "its units per em are 0 (OpenType allows 16 to 16384)");
    g_free(p);
    p = imp__font_face_problem(adv, 0);
    g_assert_cmpstr(p, ==, "every glyph's advance width is 0 (its glyphs would pile up on "
                           "one spot)");
    g_free(p);
    p = imp__font_face_problem(text, 0);
    g_assert_true(g_str_has_prefix(p, "FreeType cannot load it ("));
    g_free(p);
    p = imp__font_face_problem(fifo, 0);
    g_assert_cmpstr(p, ==, "a named pipe (FIFO), not a font file");
    g_free(p);
    p = imp__font_face_problem(sound, 7); /* no such face */
    g_assert_nonnull(p);
    g_free(p);
    g_free(fifo);
    g_free(text);
    g_free(adv);
    g_free(upem);
    g_free(sound);
    rm_rf(dir);
}

/* ---- the setup ---- */

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer data)
{
    g_string_append_printf(data, "%s %s:%u: %s\n", level == IMP_DIAG_WARNING ? "W" : "I",
                           file != NULL ? file : "", line, message);
}

/* A folder of fonts with a FIFO, a damaged and a sound face: the FIFO and the damaged face
 * are reported (the same with every layout), the sound face is in the setup; a family the
 * setup lacks is said once per layout though every role takes it. */
static void test_setup(void)
{
    char *dir = tmp_dir();
    char *fifo = g_build_filename(dir, "pipe.ttf", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    char *adv = serif_copy(dir, "adv.ttf", "advances0");
    g_free(serif_copy(dir, "sound.ttf", ""));
    const char *dirs[] = { dir, NULL };
    GError *error = NULL;
    ImpFonts *fonts = imp_fonts_new_with_dirs(IMP_SOURCE_DIR "/fonts/fonts.conf", dirs, 0,
                                              &error);
    g_assert_no_error(error);
    const char *style_dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    const char *overrides[] = { "body.font-family=Noto Serf,Noto Serif", NULL };
    ImpStyle *style = imp_style_load("default", style_dirs, overrides, &error);
    g_assert_no_error(error);
    GString *got[2] = { g_string_new(NULL), g_string_new(NULL) };
    for (int k = 0; k < 2; k++) {
        ImpDiag diag = { collect, got[k] };
        g_assert_true(imp__fonts_check_style(fonts, style, &diag, &error));
        g_assert_no_error(error);
    }
    char *want = g_strdup_printf(
        "W %s:0: a named pipe (FIFO), not a font file; skipped\n"
        "W %s:0: face \"Noto Serif Regular\": every glyph's advance width is 0 (its glyphs "
        "would pile up on one spot); not used\n"
        "W %s:0: [body] font-family: no font family \"Noto Serf\" in imprint's font setup "
        "(another face stands in); did you mean \"Noto Serif\"?\n",
        fifo, adv, imp_style_get_path(style));
    g_assert_cmpstr(got[0]->str, ==, want);
    g_assert_cmpstr(got[1]->str, ==, want); /* invariant 4 of fonts.c */
    g_free(want);
    g_string_free(got[0], TRUE);
    g_string_free(got[1], TRUE);
    imp_style_free(style);
    imp_fonts_free(fonts);
    g_free(adv);
    g_free(fifo);
    rm_rf(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fonts/family-key", test_family_key);
    g_test_add_func("/fonts/family-unknown", test_family_unknown);
    g_test_add_func("/fonts/conf-includes", test_conf_includes);
    g_test_add_func("/fonts/conf-hostile-includes", test_conf_hostile_includes);
    g_test_add_func("/fonts/conf-errors", test_conf_errors);
    g_test_add_func("/fonts/face-problem", test_face_problem);
    g_test_add_func("/fonts/setup", test_setup);
    return g_test_run();
}
