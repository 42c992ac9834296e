/* test-scripts.c — fonts and languages per script run, through the public pipeline.
 *
 * Han text without a language gets its glyph forms from the environment, and curly quotes
 * set from a CJK font come out full-width inside English. These tests lay out real mixed
 * paragraphs with the shipped default style and look at every shaped run: which face each
 * character was set in, and which language the run carries.
 *
 * The Chinese sentence is from the zh_CN ls(1) manual page in Debian's manpages-zh.
 */
#include <pango/pango.h>
#include <string.h>

#include "imprint.h"

typedef struct {
    ImpFonts *fonts;
    ImpStyle *style;
    ImpDocument *doc;
    ImpLayout *layout;
} Fixture;

/* Lays `text` out in the default style (with `overrides`); fails the test on any error. */
static void fixture_set_up(Fixture *f, const char *text, const char *const *overrides)
{
    GError *error = NULL;
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    f->fonts = imp_fonts_new(IMP_SOURCE_DIR "/fonts/fonts.conf", &error);
    g_assert_no_error(error);
    f->style = imp_style_load("default", dirs, overrides, &error);
    g_assert_no_error(error);
    f->doc = imp_read_text(text, strlen(text), "test.txt", NULL, NULL, &error);
    g_assert_no_error(error);
    ImpLayoutOptions opt;
    imp__layout_options_init(&opt);
    opt.jobs = 1;
    f->layout = imp__layout_new(f->doc, f->style, f->fonts, &opt, &error);
    g_assert_no_error(error);
}

static void fixture_tear_down(Fixture *f)
{
    imp_layout_free(f->layout);
    imp_document_free(f->doc);
    imp_style_free(f->style);
    imp_fonts_free(f->fonts);
}

/* Calls fn for every shaped run on every page, in order, with the run's paragraph text. */
static void for_each_run(ImpLayout *layout,
                         void (*fn)(const char *text, PangoGlyphItem *run, gpointer data),
                         gpointer data)
{
    for (guint p = 0; p < imp_layout_get_n_pages(layout); p++) {
        guint n;
        const ImpItem *items = imp_layout_get_items(layout, p, &n);
        for (guint i = 0; i < n; i++) {
            if (items[i].kind == IMP_ITEM_GLYPHS) {
                const ImpGlyphLine *line = items[i].glyphs;
                for (guint r = 0; r < line->n_runs; r++) {
                    PangoGlyphItem *gi = imp_glyph_line_dup_run(line, r);
                    fn(line->text, gi, data);
                    pango_glyph_item_free(gi);
                }
            } else if (items[i].kind == IMP_ITEM_TEXT) {
                const char *text = pango_layout_get_text(items[i].line->layout);
                for (GSList *l = items[i].line->runs; l != NULL; l = l->next)
                    fn(text, l->data, data);
            }
        }
    }
}

typedef struct {
    GString *seen; /* "U+XXXX:Family:lang\n" for each character of interest, in order */
} Seen;

/* Records the family and language of each quotation mark and each Han character. */
static void record(const char *text, PangoGlyphItem *run, gpointer data)
{
    Seen *s = data;
    PangoFontDescription *d = pango_font_describe(run->item->analysis.font);
    const char *lang = run->item->analysis.language
                           ? pango_language_to_string(run->item->analysis.language) : "-";
    const char *p = text + run->item->offset, *end = p + run->item->length;
    for (; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0x201C || c == 0x201D || c == 0x6587 /* 文 */ || c == 0x76EE /* 目 */)
            g_string_append_printf(s->seen, "U+%04X:%s:%s\n", c,
                                   pango_font_description_get_family(d), lang);
    }
    pango_font_description_free(d);
}

/* The first paragraph is the title (one short line), so the two after it are body text. */
static const char MIXED[] =
    "Mixed scripts\n"
    "\n"
    "The speech marks “National business system” in English quotes.\n"
    "\n"
    "列出指定“文件”（默认为当前目录）的信息。\n";

/* Curly quotes inside English come from the Latin face; inside Chinese from the Han face,
 * and the Han run is tagged zh-Hans so Simplified forms are used whatever the locale. */
static void test_quotes_follow_their_script(void)
{
    Fixture f;
    fixture_set_up(&f, MIXED, NULL);
    Seen s = { g_string_new(NULL) };
    for_each_run(f.layout, record, &s);
    g_assert_cmpstr(s.seen->str, ==,
                    "U+201C:Noto Serif:en\n"
                    "U+201D:Noto Serif:en\n"
                    "U+201C:Noto Serif CJK SC:zh-hans\n"
                    "U+6587:Noto Serif CJK SC:zh-hans\n"
                    "U+201D:Noto Serif CJK SC:zh-hans\n"
                    "U+76EE:Noto Serif CJK SC:zh-hans\n");
    g_string_free(s.seen, TRUE);
    fixture_tear_down(&f);
}

/* The Han language comes from the style: lang-han=ja tags the same run Japanese. */
static void test_han_language_from_style(void)
{
    const char *overrides[] = { "document.lang-han=ja", NULL };
    Fixture f;
    fixture_set_up(&f, MIXED, overrides);
    Seen s = { g_string_new(NULL) };
    for_each_run(f.layout, record, &s);
    g_assert_nonnull(strstr(s.seen->str, "U+6587:Noto Serif CJK SC:ja\n"));
    g_assert_null(strstr(s.seen->str, "zh-hans"));
    g_string_free(s.seen, TRUE);
    fixture_tear_down(&f);
}

/* The same in greedy mode, where lines come from PangoLayout. */
static void test_quotes_greedy(void)
{
    const char *overrides[] = { "document.line-breaking=greedy", NULL };
    Fixture f;
    fixture_set_up(&f, MIXED, overrides);
    Seen s = { g_string_new(NULL) };
    for_each_run(f.layout, record, &s);
    g_assert_nonnull(strstr(s.seen->str, "U+201C:Noto Serif:en\nU+201D:Noto Serif:en\n"));
    g_assert_nonnull(strstr(s.seen->str, "U+201C:Noto Serif CJK SC:zh-hans\n"));
    g_string_free(s.seen, TRUE);
    fixture_tear_down(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scripts/quotes-follow-their-script", test_quotes_follow_their_script);
    g_test_add_func("/scripts/han-language-from-style", test_han_language_from_style);
    g_test_add_func("/scripts/quotes-greedy", test_quotes_greedy);
    return g_test_run();
}
