/* test-cjk.c — unit tests of Chinese, Japanese and Korean typesetting in the layout stage
 * (docs/cjk-typesetting.md, part 2): the language, face and glyph forms of every run;
 * kinsoku by level (JLReq); punctuation compression by the glyph's ink; the quarter em
 * between Japanese and Latin; Korean word spacing and breaks (KLREQ); technical tokens
 * (options, paths, URLs); no hyphens in CJK paragraphs; the cap on inter-character
 * spacing; quotation marks in pairs; spaces beside full-width punctuation; last lines.
 * Paragraphs are set with the pinned fonts (fonts/fonts.conf) and the default style.
 *
 * The text comes from Debian packages, cited where it is used:
 *   debian-reference-ja, -zh-tw, -zh-cn  /usr/share/debian-reference/ (the .txt.gz)
 *   debian-faq-ko                        /usr/share/doc/debian/FAQ/ko/ (the .ko.html)
 * in short excerpts, typed here as they are there.
 */
#include <math.h>
#include <string.h>

#include "layout/breaker.h"
#include "layout/layout-private.h"
#include "model/document.h"

/* ------------------------------------------------------------------------------------ */
/* Fixture and helpers                                                                  */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    ImpFonts *fonts;
    ImpStyle *style;
    ImpHyphenator *hyph;
    double em;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    GError *error = NULL;
    f->fonts = imp_fonts_new(IMP_SOURCE_DIR "/fonts/fonts.conf", &error);
    g_assert_no_error(error);
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    f->style = imp_style_load("default", dirs, NULL, &error);
    g_assert_no_error(error);
    f->hyph = imp__hyphenator_new("/usr/share/hyphen");
    f->em = imp_style_get_role(f->style, IMP_ROLE_BODY)->size;
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    imp__hyphenator_free(f->hyph);
    imp_style_free(f->style);
    imp_fonts_free(f->fonts);
}

/* The paragraph spec of a justified body paragraph `width` points wide in `lang`, with the
 * default style's CJK settings (as merge.c fills it). */
static ImpParaSpec body_spec(Fixture *f, double width, const char *lang)
{
    const ImpRoleStyle *rs = imp_style_get_role(f->style, IMP_ROLE_BODY);
    const ImpDocumentStyle *ds = imp_style_get_document(f->style);
    ImpParaSpec spec = { 0 };
    spec.width = width;
    spec.size = rs->size;
    spec.align = IMP_ALIGN_JUSTIFY;
    spec.hyphenate = TRUE;
    spec.lang = lang;
    imp__para_spec_set_document(&spec, ds);
    spec.hyphenator = f->hyph;
    return spec;
}

/* Byte offset of the first occurrence of `needle` in `text`. */
static gsize off_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    g_assert_nonnull(p);
    return (gsize)(p - text);
}

/* Sets text with `spec`; `block` (may be NULL) gives its LANG spans. */
static GPtrArray *set_spec(Fixture *f, const char *text, const ImpParaSpec *spec,
                           const ImpBlock *block)
{
    gsize len = strlen(text);
    PangoAttrList *attrs = imp__shape_attrs(f->style, IMP_ROLE_BODY, text, len, spec->lang,
                                            block);
    GPtrArray *lines = imp__para_set(imp_fonts_get_context(f->fonts), text, len, attrs, spec);
    pango_attr_list_unref(attrs);
    return lines;
}

/* Sets text as a justified body paragraph `width` points wide in `lang`. */
static GPtrArray *set_para(Fixture *f, const char *text, double width, const char *lang)
{
    ImpParaSpec spec = body_spec(f, width, lang);
    return set_spec(f, text, &spec, NULL);
}

/* The lines tile the text: no character lost or repeated, none added. */
static void assert_tiles(GPtrArray *lines, const char *text)
{
    gsize at = 0;
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        g_assert_cmpuint(pl->start, ==, at);
        at = pl->end;
    }
    g_assert_cmpuint(at, ==, strlen(text));
}

/* The text of line i (transfer full). */
static char *line_text(GPtrArray *lines, guint i)
{
    const ImpParaLine *pl = lines->pdata[i];
    return g_strndup(pl->line.text + pl->start, pl->end - pl->start);
}

/* The first character of line i and the last one that is not a space. */
static void line_ends(GPtrArray *lines, guint i, gunichar *first, gunichar *last)
{
    const ImpParaLine *pl = lines->pdata[i];
    const char *t = pl->line.text;
    *first = g_utf8_get_char(t + pl->start);
    const char *p = t + pl->end;
    do
        p = g_utf8_prev_char(p);
    while (p > t + pl->start && *p == ' ');
    *last = g_utf8_get_char(p);
}

/* Whether any line ends with a hyphen drawn by the layout. */
static gboolean any_hyphen(GPtrArray *lines)
{
    for (guint i = 0; i < lines->len; i++)
        if (((const ImpParaLine *)lines->pdata[i])->line.hyphen != NULL)
            return TRUE;
    return FALSE;
}

/* What shaped the character at byte `off`: its run (transfer full: pango_glyph_item_free)
 * and the index of its first glyph there, or NULL. */
static PangoGlyphItem *glyph_at(GPtrArray *lines, gsize off, int *glyph)
{
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        if (off < pl->start || off >= pl->end)
            continue;
        for (guint k = 0; k < pl->line.n_runs; k++) {
            PangoGlyphItem *gi = imp_glyph_line_dup_run(&pl->line, k);
            for (int g = 0; g < gi->glyphs->num_glyphs; g++)
                if ((gsize)(gi->item->offset + gi->glyphs->log_clusters[g]) == off) {
                    *glyph = g;
                    return gi;
                }
            pango_glyph_item_free(gi);
        }
    }
    return NULL;
}

/* The advance of the cluster at byte `off`, points (justification included). */
static double advance_at(GPtrArray *lines, gsize off)
{
    int g;
    PangoGlyphItem *gi = glyph_at(lines, off, &g);
    g_assert_nonnull(gi);
    double w = 0;
    for (int k = g; k < gi->glyphs->num_glyphs &&
                    (gsize)(gi->item->offset + gi->glyphs->log_clusters[k]) == off; k++)
        w += gi->glyphs->glyphs[k].geometry.width / (double)PANGO_SCALE;
    pango_glyph_item_free(gi);
    return w;
}

/* The x of the character at byte `off` from its line's left end, points. */
static double x_at(GPtrArray *lines, gsize off)
{
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        if (off < pl->start || off >= pl->end)
            continue;
        double x = pl->x;
        for (guint k = 0; k < pl->line.n_runs; k++) {
            PangoGlyphItem *gi = imp_glyph_line_dup_run(&pl->line, k);
            for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
                if ((gsize)(gi->item->offset + gi->glyphs->log_clusters[g]) == off) {
                    pango_glyph_item_free(gi);
                    return x;
                }
                x += gi->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
            }
            pango_glyph_item_free(gi);
        }
    }
    g_assert_not_reached();
    return 0;
}

/* The family of the font and the language that shaped the character at byte `off`
 * (transfer full: g_free). */
static char *face_at(GPtrArray *lines, gsize off, const char **lang)
{
    int g;
    PangoGlyphItem *gi = glyph_at(lines, off, &g);
    g_assert_nonnull(gi);
    PangoFontDescription *d = pango_font_describe(gi->item->analysis.font);
    char *family = g_strdup(pango_font_description_get_family(d));
    if (lang != NULL)
        *lang = gi->item->analysis.language != NULL
                    ? pango_language_to_string(gi->item->analysis.language)
                    : NULL;
    pango_font_description_free(d);
    pango_glyph_item_free(gi);
    return family;
}

/* The glyph id and ink rectangle (points) of the character at byte `off`. */
static PangoGlyph ink_at(GPtrArray *lines, gsize off, PangoRectangle *ink,
                         PangoRectangle *logical)
{
    int g;
    PangoGlyphItem *gi = glyph_at(lines, off, &g);
    g_assert_nonnull(gi);
    PangoGlyph glyph = gi->glyphs->glyphs[g].glyph;
    pango_font_get_glyph_extents(gi->item->analysis.font, glyph, ink, logical);
    pango_glyph_item_free(gi);
    return glyph;
}

/* Whether every character of `part` of `text` (its Han, kana, Hangul and CJK
 * punctuation) is set in a face of `family` with language `lang`. */
static void assert_cjk_faces(GPtrArray *lines, const char *text, const char *part,
                             const char *family, const char *lang)
{
    const char *from = text + off_of(text, part), *to = from + strlen(part);
    for (const char *p = from; p < to; p = g_utf8_next_char(p)) {
        ImpCharClass cls = imp__char_class(g_utf8_get_char(p));
        if (cls != IMP__CLASS_HAN && cls != IMP__CLASS_KANA && cls != IMP__CLASS_HANGUL &&
            cls != IMP__CLASS_CJK_PUNCT)
            continue;
        const char *got_lang = NULL;
        char *got = face_at(lines, (gsize)(p - text), &got_lang);
        if (g_strcmp0(got, family) != 0 || g_strcmp0(got_lang, lang) != 0)
            g_error("'%.*s' at %zu: %s (%s), expected %s (%s)",
                    (int)(g_utf8_next_char(p) - p), p, (gsize)(p - text), got, got_lang,
                    family, lang);
        g_free(got);
    }
}

/* ------------------------------------------------------------------------------------ */
/* 2.0 Languages, faces and glyph forms                                                 */
/* ------------------------------------------------------------------------------------ */

/* debian-reference-ja (ch. "Typographic conventions"). */
static const char *const ja_text =
    "本文中に引用されるコマンドの断片はダブルクォーテションマーク間にタイプライターフォント"
    "で書き \"aptitude safe-upgrade\" のように表現されます。今後のリリースでも同じです。";
/* debian-reference-zh-tw (same place). */
static const char *const tw_text =
    "本文通過如下使用 bash(1) shell 指令例子的簡要方式來提供資訊。這些描述列或類似資訊在"
    "表格有一個名詞短語，後面會緊跟軟體包短描述。";

/* Japanese text is all in the JP face and in Japanese, kanji and punctuation included;
   Traditional Chinese in TC; Korean in KR, its hanja included; a Japanese quotation in a
   Chinese sentence (a LANG span) in JP while the sentence stays SC. */
static void test_faces(Fixture *f, gconstpointer data)
{
    (void)data;
    GPtrArray *lines = set_para(f, ja_text, 400, "ja");
    assert_cjk_faces(lines, ja_text, ja_text, "Noto Serif CJK JP", "ja");
    g_ptr_array_unref(lines);

    lines = set_para(f, tw_text, 400, "zh-Hant");
    assert_cjk_faces(lines, tw_text, tw_text, "Noto Serif CJK TC", "zh-hant");
    g_ptr_array_unref(lines);
    /* zh-TW is Traditional too */
    lines = set_para(f, tw_text, 400, "zh-TW");
    assert_cjk_faces(lines, tw_text, tw_text, "Noto Serif CJK TC", "zh-tw");
    g_ptr_array_unref(lines);

    /* debian-faq-ko (basic-defs.ko.html 1.4), hanja added */
    const char *ko = "한국어(韓國語) 데비안 프로젝트는 1993년 이안 머독이 만들었습니다.";
    lines = set_para(f, ko, 400, "ko");
    assert_cjk_faces(lines, ko, "데비안 프로젝트는", "Noto Serif CJK KR", "ko");
    /* hanja: Korean to HarfBuzz under the code Pango lets through (see shape.c) */
    assert_cjk_faces(lines, ko, "韓國語", "Noto Serif CJK KR", "kor");
    g_ptr_array_unref(lines);

    /* a Japanese quotation in a Chinese sentence: the pipeline's detection gives it a LANG
       span (marks excluded); its kana and kanji are Japanese, the rest Chinese */
    const char *zh = "他说「ありがとう、日本語」然后走了。";
    ImpDocument *doc = imp_document_new();
    ImpBlock *b = imp_document_append_block(doc, IMP_BLOCK_PARAGRAPH, 1);
    imp_block_append_text(b, zh, -1);
    gsize s = off_of(zh, "あ"), e = off_of(zh, "」");
    imp_block_add_lang_span(b, s, e, "ja");
    ImpParaSpec spec = body_spec(f, 400, "zh-Hans");
    lines = set_spec(f, zh, &spec, b);
    assert_tiles(lines, zh);
    const char *lang = NULL;
    char *fam = face_at(lines, off_of(zh, "日"), &lang);
    g_assert_cmpstr(fam, ==, "Noto Serif CJK JP");
    g_assert_cmpstr(lang, ==, "ja");
    g_free(fam);
    fam = face_at(lines, off_of(zh, "あ"), &lang);
    g_assert_cmpstr(fam, ==, "Noto Serif CJK JP");
    g_free(fam);
    fam = face_at(lines, off_of(zh, "说"), &lang);
    g_assert_cmpstr(fam, ==, "Noto Serif CJK SC");
    g_assert_cmpstr(lang, ==, "zh-hans");
    g_free(fam);
    fam = face_at(lines, off_of(zh, "然"), &lang); /* after the span: Chinese again */
    g_assert_cmpstr(fam, ==, "Noto Serif CJK SC");
    g_free(fam);
    g_ptr_array_unref(lines);
    imp_document_free(doc);
}

/* The language picks the glyph forms from the one collection (the locl feature): 今 has
   its Japanese form in Japanese and its Chinese one in Chinese; 過 has four. */
static void test_glyph_forms(Fixture *f, gconstpointer data)
{
    (void)data;
    static const char *const langs[] = { "ja", "zh-Hans", "zh-Hant", "ko" };
    PangoGlyph guo[4], jin[4];
    for (int l = 0; l < 4; l++) {
        const char *text = "今天過了。";
        GPtrArray *lines = set_para(f, text, 400, langs[l]);
        PangoRectangle ink, logical;
        jin[l] = ink_at(lines, off_of(text, "今"), &ink, &logical);
        guo[l] = ink_at(lines, off_of(text, "過"), &ink, &logical);
        g_ptr_array_unref(lines);
    }
    g_assert_cmpuint(jin[0], !=, jin[1]); /* ja, zh-Hans */
    g_assert_cmpuint(guo[0], !=, guo[1]);
    g_assert_cmpuint(guo[1], !=, guo[2]); /* zh-Hans, zh-Hant */
    g_assert_cmpuint(guo[2], !=, guo[3]); /* zh-Hant, ko */
}

/* Traditional Chinese punctuation is centred in its em box (CLReq: Taiwan and Hong Kong);
   Simplified and Japanese punctuation sits in the left half. */
static void test_centred_punctuation(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *text = "中文。中文，中文、中文";
    static const char *const marks[] = { "。", "，", "、" };
    for (int m = 0; m < 3; m++) {
        GPtrArray *lines = set_para(f, text, 400, "zh-Hant");
        PangoRectangle ink, logical;
        ink_at(lines, off_of(text, marks[m]), &ink, &logical);
        double centre = (ink.x + ink.width / 2.0) / PANGO_SCALE;
        g_assert_cmpfloat(fabs(centre - logical.width / 2.0 / PANGO_SCALE), <, 0.1 * f->em);
        g_ptr_array_unref(lines);
        lines = set_para(f, text, 400, "zh-Hans");
        ink_at(lines, off_of(text, marks[m]), &ink, &logical);
        g_assert_cmpfloat((ink.x + ink.width) / (double)PANGO_SCALE, <, 0.5 * f->em);
        g_ptr_array_unref(lines);
    }
}

/* ------------------------------------------------------------------------------------ */
/* 2.1 Kinsoku by level                                                                 */
/* ------------------------------------------------------------------------------------ */

/* debian-reference-ja, with many small kana and ー. */
static const char *const ja_kana =
    "セキュリティーアップデートへの平易なアクセス提供による、安定性とセキュリティーの重視。"
    "多数のサポートされたハードウエアーアーキテクチャー。ちょっとしたパッケージのインストール"
    "やアップグレードのシームレスなアップグレードパスのサポート。";

/* Whether c is one of what JLReq's strict level keeps off a line's start beyond the
   closing marks (small kana, ー, iteration marks). */
static gboolean strict_only(gunichar c)
{
    static const char *const set = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー々ゝゞヽヾ";
    char buf[8] = { 0 };
    g_unichar_to_utf8(c, buf);
    return strstr(set, buf) != NULL;
}

/* strict: no line starts with a small kana or ー at any measure; normal lets them start
   one (at some measures they do); closing marks never start a line at any level. */
static void test_kinsoku_levels(Fixture *f, gconstpointer data)
{
    (void)data;
    guint normal_starts = 0;
    for (double width = 100; width <= 300; width += 2.5) {
        for (int level = IMP_LINE_BREAK_STRICT; level <= IMP_LINE_BREAK_LOOSE; level++) {
            ImpParaSpec spec = body_spec(f, width, "ja");
            spec.line_break = (ImpLineBreak)level;
            GPtrArray *lines = set_spec(f, ja_kana, &spec, NULL);
            assert_tiles(lines, ja_kana);
            for (guint i = 1; i < lines->len; i++) {
                gunichar first, last;
                line_ends(lines, i, &first, &last);
                g_assert_true(first != 0x3002 && first != 0x3001); /* 。、 */
                if (level == IMP_LINE_BREAK_STRICT)
                    g_assert_false(strict_only(first));
                else
                    normal_starts += strict_only(first);
            }
            g_ptr_array_unref(lines);
        }
    }
    g_assert_cmpuint(normal_starts, >, 0);
}

/* ------------------------------------------------------------------------------------ */
/* 2.2 Punctuation compression by the glyph's ink                                       */
/* ------------------------------------------------------------------------------------ */

/* Sum of the advances of the two marks at `pair` in `text` set in `lang`. */
static double pair_width(Fixture *f, const char *text, const char *pair, const char *lang)
{
    ImpParaSpec spec = body_spec(f, 1000, lang);
    spec.align = IMP_ALIGN_LEFT;
    GPtrArray *lines = set_spec(f, text, &spec, NULL);
    gsize at = off_of(text, pair);
    double w = advance_at(lines, at) + advance_at(lines, at + 3);
    g_ptr_array_unref(lines);
    return w;
}

/* "。」" loses half an em in Simplified Chinese and Japanese, where 。 sits in the left
   half, and nothing in Traditional, where it is centred (halving it would cut its ink);
   "、「" in Japanese loses half; "：「" keeps both (： is centred in Japanese). */
static void test_compression_by_ink(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *text = "他说：「好。」又说、「是」";
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "。」", "zh-Hans"), 1.5 * f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "。」", "ja"), 1.5 * f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "。」", "zh-Hant"), 2 * f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "、「", "ja"), 1.5 * f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "：「", "ja"), 2 * f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(pair_width(f, text, "：「", "zh-Hans"), 1.5 * f->em, 0.01);
}

/* ------------------------------------------------------------------------------------ */
/* 2.3 Japanese and Latin                                                               */
/* ------------------------------------------------------------------------------------ */

/* A quarter em between kana and Latin letters (JLReq), none in the text. */
static void test_ja_latin_gap(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *text = "これはDebianです";
    ImpParaSpec spec = body_spec(f, 1000, "ja");
    spec.align = IMP_ALIGN_LEFT;
    GPtrArray *lines = set_spec(f, text, &spec, NULL);
    double gap = advance_at(lines, off_of(text, "は")) - f->em;
    g_assert_cmpfloat(gap, >=, f->em / 8 - 0.01);
    g_assert_cmpfloat(gap, <=, f->em / 4 + 0.01);
    g_ptr_array_unref(lines);
}

/* ------------------------------------------------------------------------------------ */
/* 2.4 Korean                                                                           */
/* ------------------------------------------------------------------------------------ */

/* debian-faq-ko (basic-defs.ko.html 1.1, 1.4, and compatibility.ko.html 4.4). */
static const char *const ko_para =
    "이 FAQ는 무엇인가요? 이 문서는 데비안 배포판(Debian GNU/Linux 등) 및 데비안 프로젝트에 "
    "대해 자주 묻는 질문(그리고 답!)을 드립니다. 데비안 프로젝트는 1993년 이안 머독이, 처음에 "
    "자유 소프트웨어 재단의 GNU 프로젝트의 후원 하에 만들었습니다. 오늘날 POSIX.1(IEEE 표준 "
    "1003.1-1990)은 유닉스 계열 운영체제의 소스 코드 호환성을 위한 주요 표준 중 하나입니다.";

/* Whether line i of a paragraph starts inside a Korean word: the character before it is
   not a space, and the word (from space to space) holds Hangul ("GNU/Linux" may break
   after its slash, as a path does). */
static gboolean starts_inside_word(GPtrArray *lines, guint i)
{
    const ImpParaLine *pl = lines->pdata[i];
    const char *text = pl->line.text, *at = text + pl->start;
    if (*g_utf8_prev_char(at) == ' ')
        return FALSE;
    const char *a = at, *b = at;
    while (a > text && *g_utf8_prev_char(a) != ' ')
        a = g_utf8_prev_char(a);
    while (*b != '\0' && *b != ' ')
        b = g_utf8_next_char(b);
    for (const char *p = a; p < b; p = g_utf8_next_char(p))
        if (imp__char_class(g_utf8_get_char(p)) == IMP__CLASS_HANGUL)
            return TRUE;
    return FALSE;
}

/* Korean breaks at spaces: no line starts inside a word ("FAQ│는", "1993│년", "질문│(",
   "있습니│다."), at any measure; with hangul-breaks=syllables some do. No gap is added
   between Hangul and Latin letters or digits: "FAQ는" is as wide as its glyphs. */
static void test_korean_words(Fixture *f, gconstpointer data)
{
    (void)data;
    guint inside_syllables = 0;
    for (double width = 120; width <= 330; width += 5) {
        GPtrArray *lines = set_para(f, ko_para, width, "ko");
        assert_tiles(lines, ko_para);
        for (guint i = 1; i < lines->len; i++)
            if (starts_inside_word(lines, i)) {
                char *a = line_text(lines, i - 1), *b = line_text(lines, i);
                g_error("%.1fpt: a line starts inside a word: [%s][%s]", width, a, b);
            }
        for (guint i = 0; i < lines->len; i++)
            g_assert_false(((const ImpParaLine *)lines->pdata[i])->overfull);
        g_ptr_array_unref(lines);
        ImpParaSpec spec = body_spec(f, width, "ko");
        spec.hangul_words = FALSE;
        lines = set_spec(f, ko_para, &spec, NULL);
        for (guint i = 1; i < lines->len; i++)
            inside_syllables += starts_inside_word(lines, i);
        g_ptr_array_unref(lines);
    }
    g_assert_cmpuint(inside_syllables, >, 0);

    /* no gap: Q before 는 and 3 before 년 keep their own advance, as before a space; and
       Korean lines are not letter-spaced: two syllables of a word touch */
    ImpParaSpec spec = body_spec(f, 1000, "ko");
    spec.align = IMP_ALIGN_LEFT;
    const char *text = "FAQ는 FAQ 1993년 1993 있습니다";
    GPtrArray *lines = set_spec(f, text, &spec, NULL);
    g_assert_cmpfloat_with_epsilon(advance_at(lines, off_of(text, "Q는")),
                                   advance_at(lines, off_of(text, "Q ")), 0.001);
    g_assert_cmpfloat_with_epsilon(advance_at(lines, off_of(text, "3년")),
                                   advance_at(lines, off_of(text, "3 ")), 0.001);
    g_ptr_array_unref(lines);
    lines = set_para(f, ko_para, 200, "ko");
    for (guint i = 0; i + 1 < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        g_assert_cmpfloat(pl->cjk_stretch_em, ==, 0); /* no inter-character glue */
    }
    g_ptr_array_unref(lines);
}

/* A Korean word wider than the measure still breaks, between syllables and without a
   hyphen: "a word broken between syllables only when it cannot fit a line alone". */
static void test_korean_long_word(Fixture *f, gconstpointer data)
{
    (void)data;
    GString *s = g_string_new("데비안 ");
    for (int i = 0; i < 200; i++)
        g_string_append(s, "프로젝트");
    g_string_append(s, "입니다. 오늘날 데비안");
    GPtrArray *lines = set_para(f, s->str, 200, "ko");
    assert_tiles(lines, s->str);
    g_assert_cmpuint(lines->len, >, 40);
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        g_assert_false(pl->overfull);
        g_assert_null(pl->line.hyphen);
    }
    /* the words that fit are not broken: "데비안 " opens the first line, "오늘날 데비안"
       closes the last */
    char *first = line_text(lines, 0), *last = line_text(lines, lines->len - 1);
    g_assert_true(g_str_has_prefix(first, "데비안 "));
    g_assert_true(g_str_has_suffix(last, "입니다. 오늘날 데비안"));
    g_free(first);
    g_free(last);
    g_ptr_array_unref(lines);
    g_string_free(s, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* 2.6 and 2.7 Technical tokens; no hyphens in CJK paragraphs                           */
/* ------------------------------------------------------------------------------------ */

/* debian-reference-zh-cn (ch. 1, 3 and 9), options from manpages-zh ssh(1). */
static const char *const zh_tech =
    "文档可以通过文件名来指示它的位置，就像“/usr/share/doc/base-passwd/users-and-groups.txt.gz”"
    "或通过它的URL，就像 https://www.debian.org/doc/manuals/debian-reference/ch01.en.html?x=1#y&z=2 "
    "这样。使用 systemctl list-units --state=failed 列出失败的单元，或者用 ssh [-i identity_file] "
    "登录远程主机，以及 ls -l 命令。";

/* The token of `text` around byte `off`: from the space or CJK character before it to the
   one after it. */
static void token_around(const char *text, gsize off, gsize *a, gsize *b)
{
    *a = off;
    while (*a > 0) {
        const char *p = g_utf8_prev_char(text + *a);
        gunichar c = g_utf8_get_char(p);
        if (c == ' ' || imp__char_class(c) == IMP__CLASS_HAN || c >= 0x3000)
            break;
        *a = (gsize)(p - text);
    }
    *b = off;
    while (text[*b] != '\0') {
        gunichar c = g_utf8_get_char(text + *b);
        if (c == ' ' || imp__char_class(c) == IMP__CLASS_HAN || c >= 0x3000)
            break;
        *b = (gsize)(g_utf8_next_char(text + *b) - text);
    }
}

/* Options never break right after their leading dashes ("--│state", "[-│i", "-│l"); the
   path breaks only after a / or before a dot, the URL after a / or before . ? # &, never
   after a hyphen; no hyphen is drawn; every character is kept. */
static void test_technical_breaks(Fixture *f, gconstpointer data)
{
    (void)data;
    guint path_breaks = 0;
    gsize path = off_of(zh_tech, "/usr"), path_end = off_of(zh_tech, ".gz") + 3;
    gsize url = off_of(zh_tech, "https"), url_end = off_of(zh_tech, "z=2") + 3;
    for (double width = 90; width <= 330; width += 3) {
        GPtrArray *lines = set_para(f, zh_tech, width, "zh-Hans");
        assert_tiles(lines, zh_tech);
        g_assert_false(any_hyphen(lines));
        for (guint i = 0; i + 1 < lines->len; i++) {
            const ImpParaLine *pl = lines->pdata[i];
            gsize at = pl->end; /* the break is before byte `at` */
            gunichar before = g_utf8_get_char(g_utf8_prev_char(zh_tech + at));
            gunichar after = g_utf8_get_char(zh_tech + at);
            gsize a, b;
            token_around(zh_tech, at, &a, &b);
            if (before == '-') {
                /* a hyphen may end a line only inside a compound, never after the dashes
                   that lead a token, nor in a path or a URL */
                g_assert_false(at > path && at < path_end);
                g_assert_false(at > url && at < url_end);
                const char *t = zh_tech + a;
                while (*t == '[' || *t == '-')
                    t++;
                g_assert_cmpuint((gsize)(t - zh_tech), <, at);
            }
            if ((at > path && at < path_end) || (at > url && at < url_end)) {
                path_breaks++;
                g_assert_true(before == '/' || after == '.' || after == '?' || after == '#' ||
                              after == '&');
            }
        }
        g_ptr_array_unref(lines);
    }
    g_assert_cmpuint(path_breaks, >, 0);
}

/* debian-reference-zh-cn (ch. 9), "strictatime" and "unstable" inside Chinese. */
static const char *const zh_latin =
    "如果你使用 strictatime 选项挂载文件系统，读取文件时会更新访问时间；使用 unstable 版本的"
    "用户应该注意 relatime 和 noatime 的区别，它们影响 performance 和 compatibility。";

/* Latin words in a paragraph with CJK letters are not hyphenated (cjk-hyphens=none); with
   cjk-hyphens=auto they may be. */
static void test_no_hyphens_in_cjk(Fixture *f, gconstpointer data)
{
    (void)data;
    guint hyphens_auto = 0;
    for (double width = 60; width <= 200; width += 2) {
        GPtrArray *lines = set_para(f, zh_latin, width, "zh-Hans");
        assert_tiles(lines, zh_latin);
        g_assert_false(any_hyphen(lines));
        g_ptr_array_unref(lines);
        ImpParaSpec spec = body_spec(f, width, "zh-Hans");
        spec.cjk_no_hyphens = FALSE;
        lines = set_spec(f, zh_latin, &spec, NULL);
        hyphens_auto += any_hyphen(lines);
        g_ptr_array_unref(lines);
    }
    g_assert_cmpuint(hyphens_auto, >, 0);
}

/* ------------------------------------------------------------------------------------ */
/* 2.8 The cap on inter-character spacing                                               */
/* ------------------------------------------------------------------------------------ */

/* The breaker itself: a line holding flagged glue (CJK spacing) is not set looser than
   cjk_max_ratio when another way fits; with no other way it is set, loose. */
static void test_breaker_cap(void)
{
    /* W [space] A [CJK glue] B [space] C, measure 10: ending line 1 after B stretches it
       by a ratio of 0.25, CJK glue included; ending it at the CJK glue, after A, by 0.67
       at the word space alone, which costs more */
    ImpBrkNode n[] = {
        { .type = IMP__BRK_BOX, .width = 3 },
        { .type = IMP__BRK_GLUE, .width = 1, .stretch = 3, .shrink = 0.3 },
        { .type = IMP__BRK_BOX, .width = 4 },
        { .type = IMP__BRK_GLUE, .width = 0, .stretch = 1, .flagged = 1 },
        { .type = IMP__BRK_BOX, .width = 1 },
        { .type = IMP__BRK_GLUE, .width = 1, .stretch = 1, .shrink = 0.3 },
        { .type = IMP__BRK_BOX, .width = 6 },
        { .type = IMP__BRK_GLUE, .fil = 1 },
        { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF },
    };
    ImpBrkParams bp;
    imp__break_params_init(&bp, 10, 10);
    GArray *l = imp__break_paragraph(n, G_N_ELEMENTS(n), &bp);
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpuint(g_array_index(l, ImpBrkLine, 0).end, ==, 5);
    g_assert_cmpfloat_with_epsilon(g_array_index(l, ImpBrkLine, 0).ratio, 0.25, 1e-9);
    g_array_unref(l);
    /* capped at 0.2: the break at the CJK glue, the first line without it */
    bp.cjk_max_ratio = 0.2;
    l = imp__break_paragraph(n, G_N_ELEMENTS(n), &bp);
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpuint(g_array_index(l, ImpBrkLine, 0).end, ==, 3);
    g_assert_false(g_array_index(l, ImpBrkLine, 0).loose);
    g_array_unref(l);
    /* when no other way fits (the word space cannot stretch), the capped line is set
       anyway, and said to be loose */
    n[1].stretch = 0;
    l = imp__break_paragraph(n, G_N_ELEMENTS(n), &bp);
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpuint(g_array_index(l, ImpBrkLine, 0).end, ==, 5);
    g_assert_true(g_array_index(l, ImpBrkLine, 0).loose);
    g_array_unref(l);
}

/* debian-reference-zh-tw (ch. 1): Chinese around a URL that cannot share a line. */
static const char *const tw_url =
    "使用 Google 搜尋，在關鍵字中包含 https://www.debian.org/doc/manuals/debian-reference/"
    "ch01.zh-tw.html#_getting_root_access 後，可以找到相關的頁面。搜尋結果會列出頁面。";

/* No space between two CJK characters above cjk-max-stretch (0.25 em) where the URL can
   break instead: the URL breaks after a /. Without the cap the Chinese is letter-spaced
   at some measures. */
static void test_cjk_max_stretch(Fixture *f, gconstpointer data)
{
    (void)data;
    double worst = 0, worst_uncapped = 0;
    for (double width = 150; width <= 330; width += 5) {
        GPtrArray *lines = set_para(f, tw_url, width, "zh-Hant");
        assert_tiles(lines, tw_url);
        for (guint i = 0; i < lines->len; i++)
            worst = MAX(worst, ((const ImpParaLine *)lines->pdata[i])->cjk_stretch_em);
        g_ptr_array_unref(lines);
        ImpParaSpec spec = body_spec(f, width, "zh-Hant");
        spec.cjk_max_stretch = 0; /* no cap */
        lines = set_spec(f, tw_url, &spec, NULL);
        for (guint i = 0; i < lines->len; i++)
            worst_uncapped = MAX(worst_uncapped,
                                 ((const ImpParaLine *)lines->pdata[i])->cjk_stretch_em);
        g_ptr_array_unref(lines);
    }
    g_assert_cmpfloat(worst, <=, 0.25 + 1e-6);
    g_assert_cmpfloat(worst_uncapped, >, 0.25);
}

/* ------------------------------------------------------------------------------------ */
/* 2.9 and 2.10 Quotation marks; spaces beside full-width punctuation                   */
/* ------------------------------------------------------------------------------------ */

/* A pair of marks is set in one face: full-width on both sides in “/tmp”这样 (the opening
   follows Han, the closing a Latin letter), Latin in an English sentence, CJK around kana
   in a Chinese sentence. */
static void test_quote_pairs(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpParaSpec spec = body_spec(f, 1000, "zh-Hans");
    spec.align = IMP_ALIGN_LEFT;
    /* debian-reference-zh-cn (ch. 1) */
    const char *text = "临时文件放在“/tmp”这样的目录里。He said “hello” 你好。他说“ありがとう”。";
    GPtrArray *lines = set_spec(f, text, &spec, NULL);
    gsize open = off_of(text, "“/"), close = off_of(text, "”这");
    g_assert_cmpfloat_with_epsilon(advance_at(lines, open), f->em, 0.01);
    g_assert_cmpfloat_with_epsilon(advance_at(lines, close), f->em, 0.01);
    char *a = face_at(lines, open, NULL), *b = face_at(lines, close, NULL);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(a, ==, "Noto Serif CJK SC");
    g_free(a);
    g_free(b);
    a = face_at(lines, off_of(text, "“hello"), NULL);
    b = face_at(lines, off_of(text, "” 你"), NULL);
    g_assert_cmpstr(a, ==, "Noto Serif");
    g_assert_cmpstr(b, ==, "Noto Serif");
    g_free(a);
    g_free(b);
    a = face_at(lines, off_of(text, "“あ"), NULL);
    b = face_at(lines, off_of(text, "”。"), NULL);
    g_assert_true(g_str_has_prefix(a, "Noto Serif CJK"));
    g_assert_cmpstr(a, ==, b);
    g_free(a);
    g_free(b);
    g_ptr_array_unref(lines);
}

/* A source space beside full-width punctuation takes no width ("中文， 然后" sets 然 where
   "中文，然后" does) and stays in the text; a space between Han characters keeps its. */
static void test_space_beside_punct(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpParaSpec spec = body_spec(f, 1000, "zh-Hans");
    spec.align = IMP_ALIGN_LEFT;
    const char *spaced = "中文， 然后。 The end「 引号」";
    const char *solid = "中文，然后。The end「引号」";
    GPtrArray *a = set_spec(f, spaced, &spec, NULL);
    GPtrArray *b = set_spec(f, solid, &spec, NULL);
    assert_tiles(a, spaced);
    g_assert_cmpfloat_with_epsilon(x_at(a, off_of(spaced, "然")), x_at(b, off_of(solid, "然")),
                                   0.01);
    g_assert_cmpfloat_with_epsilon(x_at(a, off_of(spaced, "The")),
                                   x_at(b, off_of(solid, "The")), 0.01);
    g_assert_cmpfloat_with_epsilon(x_at(a, off_of(spaced, "引")), x_at(b, off_of(solid, "引")),
                                   0.01);
    /* the space is still a glyph of the line, of no width */
    g_assert_cmpfloat(advance_at(a, off_of(spaced, " 然")), ==, 0);
    g_ptr_array_unref(a);
    g_ptr_array_unref(b);
    const char *han = "中文 然后";
    a = set_spec(f, han, &spec, NULL);
    g_assert_cmpfloat(advance_at(a, off_of(han, " ")), >, 0.2 * f->em);
    g_ptr_array_unref(a);
}

/* ------------------------------------------------------------------------------------ */
/* 2.11 Last lines                                                                      */
/* ------------------------------------------------------------------------------------ */

/* debian-reference-zh-cn (ch. 1). */
static const char *const zh_prose =
    "现在你已经准备好在 Debian 系统上开工了，只要你使用非特权用户账号就不会有风险。这是因为"
    "Debian 系统（即使是默认安装）会设置适当的文件权限来防止非特权用户对系统造成破坏。当然，"
    "可能仍然有一些漏洞可以利用，但关心这些问题的人不应该阅读这一节，而应该去阅读安全手册。";

/* The letters on the last line of a paragraph, its punctuation and spaces left out. */
static guint last_line_letters(GPtrArray *lines)
{
    char *t = line_text(lines, lines->len - 1);
    guint n = 0;
    for (const char *p = t; *p != '\0'; p = g_utf8_next_char(p))
        n += g_unichar_isalnum(g_utf8_get_char(p));
    g_free(t);
    return n;
}

/* No paragraph of more than one line ends with a line of one letter and its punctuation
   ("符。", "다."), at any measure; at some measures one letter was carried down. */
static void test_last_line(Fixture *f, gconstpointer data)
{
    (void)data;
    static const struct {
        const char *text, *lang;
    } paras[] = { { NULL, "zh-Hans" }, { NULL, "ja" }, { NULL, "ko" } };
    const char *texts[] = { zh_prose, ja_kana, ko_para };
    guint two = 0;
    for (guint k = 0; k < G_N_ELEMENTS(paras); k++)
        for (double width = 100; width <= 330; width += 1.5) {
            GPtrArray *lines = set_para(f, texts[k], width, paras[k].lang);
            assert_tiles(lines, texts[k]);
            if (lines->len > 1) {
                guint n = last_line_letters(lines);
                g_assert_cmpuint(n, >=, 2);
                two += n == 2;
            }
            g_ptr_array_unref(lines);
        }
    g_assert_cmpuint(two, >, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/cjk/faces", test_faces);
    ADD("/cjk/glyph-forms", test_glyph_forms);
    ADD("/cjk/centred-punctuation", test_centred_punctuation);
    ADD("/cjk/kinsoku-levels", test_kinsoku_levels);
    ADD("/cjk/compression-by-ink", test_compression_by_ink);
    ADD("/cjk/ja-latin-gap", test_ja_latin_gap);
    ADD("/cjk/korean-words", test_korean_words);
    ADD("/cjk/korean-long-word", test_korean_long_word);
    ADD("/cjk/technical-breaks", test_technical_breaks);
    ADD("/cjk/no-hyphens-in-cjk", test_no_hyphens_in_cjk);
    g_test_add_func("/cjk/breaker-cap", test_breaker_cap);
    ADD("/cjk/cjk-max-stretch", test_cjk_max_stretch);
    ADD("/cjk/quote-pairs", test_quote_pairs);
    ADD("/cjk/space-beside-punct", test_space_beside_punct);
    ADD("/cjk/last-line", test_last_line);
#undef ADD
    return g_test_run();
}
