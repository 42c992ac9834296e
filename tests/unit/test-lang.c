/* test-lang.c — language detection (src/model/lang.c): the generated Simplified/Traditional
 * table, tags, paragraph detection, the document pass, and accuracy on real documents.
 *
 * The real text comes from Debian packages, read where they are installed (tools/setup
 * --test installs them), so nothing large is committed:
 *   debian-reference-zh-cn, -zh-tw, -ja  /usr/share/debian-reference/debian-reference.*.txt.gz
 *   debian-faq-ko                        /usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz
 *   fortunes-zh                          /usr/share/games/fortunes/{chinese,tang300,song100}
 *   manpages-zh                          /usr/share/man/zh_TW/man1/ (Traditional man pages)
 * Misclassified paragraphs are printed in the test log (ctest -V, or the test's own output).
 */
#include <locale.h>
#include <string.h>

#include "model/lang.h"

/* ------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------ */

/* The code point of the first character of a UTF-8 string. */
static gunichar cp(const char *s)
{
    return g_utf8_get_char(s);
}

typedef struct {
    GPtrArray *msgs;  /* "I|W LINE MESSAGE" */
} Diags;

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    Diags *d = user_data;
    (void)file;
    g_ptr_array_add(d->msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                             line, message));
}

/* Whether any message in d contains `needle`. */
static gboolean said(const Diags *d, const char *needle)
{
    for (guint i = 0; i < d->msgs->len; i++)
        if (strstr(g_ptr_array_index(d->msgs, i), needle) != NULL)
            return TRUE;
    return FALSE;
}

static ImpBlock *add(ImpDocument *doc, ImpBlockKind kind, guint line, const char *text)
{
    ImpBlock *b = imp_document_append_block(doc, kind, line);
    imp_block_begin_line(b, line);
    imp_block_append_text(b, text, -1);
    return b;
}

static const char *lang_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_language(imp_document_get_block(doc, i));
}

/* ------------------------------------------------------------------------------------
 * The table and tags
 * ------------------------------------------------------------------------------------ */

static void test_table(void)
{
    static const char *const simplified[] = { "这", "们", "过", "户", "发", "为", "说", "线",
                                              "国", "图", "学", "会", "语", "设", "东", "温" };
    static const char *const traditional[] = { "這", "們", "過", "戶", "發", "髮", "為", "爲",
                                               "說", "線", "國", "圖", "學", "會", "語", "設",
                                               "東", "溫", "裡", "裏", "麵", "羣", "衆", "眾" };
    /* in both: common characters, and those one side uses for several of the other's */
    static const char *const neutral[] = { "的", "是", "干", "后", "台", "著", "着", "里",
                                           "面", "系", "群", "床", "峰", "吃", "中", "文",
                                           "一", "人" };
    const ImpHanFlags st = IMP_HAN_SIMPLIFIED | IMP_HAN_TRADITIONAL;
    for (guint i = 0; i < G_N_ELEMENTS(simplified); i++)
        g_assert_cmpint(imp_lang_han_flags(cp(simplified[i])) & st, ==, IMP_HAN_SIMPLIFIED);
    for (guint i = 0; i < G_N_ELEMENTS(traditional); i++)
        g_assert_cmpint(imp_lang_han_flags(cp(traditional[i])) & st, ==, IMP_HAN_TRADITIONAL);
    for (guint i = 0; i < G_N_ELEMENTS(neutral); i++)
        g_assert_cmpint(imp_lang_han_flags(cp(neutral[i])) & st, ==, 0);

    /* Japanese: JIS X 0208, whichever side the form is on */
    static const char *const japanese[] = { "国", "会", "学", "東", "語", "設", "這", "的",
                                            "図", "込", "働" };
    static const char *const not_japanese[] = { "们", "这", "说", "过", "你", "们", "檔" };
    for (guint i = 0; i < G_N_ELEMENTS(japanese); i++)
        g_assert_true(imp_lang_han_flags(cp(japanese[i])) & IMP_HAN_JAPANESE);
    for (guint i = 0; i < G_N_ELEMENTS(not_japanese); i++)
        g_assert_false(imp_lang_han_flags(cp(not_japanese[i])) & IMP_HAN_JAPANESE);

    /* no flags outside Han */
    static const char *const other[] = { "a", "。", "あ", "ア", "한", "Ω" };
    for (guint i = 0; i < G_N_ELEMENTS(other); i++)
        g_assert_cmpint(imp_lang_han_flags(cp(other[i])), ==, 0);
    g_assert_cmpint(imp_lang_han_flags(0x10FFFF), ==, 0);
    g_assert_cmpint(imp_lang_han_flags(0xFFFFFFFF), ==, 0);

    /* the table is the data's, not a sketch: thousands on each side */
    guint n_s = 0, n_t = 0, n_j = 0;
    for (gunichar c = 0; c < 0x32400; c++) {
        ImpHanFlags f = imp_lang_han_flags(c);
        n_s += (f & IMP_HAN_SIMPLIFIED) != 0;
        n_t += (f & IMP_HAN_TRADITIONAL) != 0;
        n_j += (f & IMP_HAN_JAPANESE) != 0;
        g_assert_false((f & IMP_HAN_SIMPLIFIED) && (f & IMP_HAN_TRADITIONAL));
    }
    g_test_message("table: %u Simplified-only, %u Traditional-only, %u JIS X 0208", n_s, n_t,
                   n_j);
    g_assert_cmpuint(n_s, >, 2000);
    g_assert_cmpuint(n_t, >, 2000);
    g_assert_cmpuint(n_j, >=, 6355);
}

static void test_kind(void)
{
    g_assert_cmpint(imp_lang_kind(NULL), ==, IMP_LANG_KIND_OTHER);
    g_assert_cmpint(imp_lang_kind(""), ==, IMP_LANG_KIND_OTHER);
    g_assert_cmpint(imp_lang_kind("en"), ==, IMP_LANG_KIND_OTHER);
    g_assert_cmpint(imp_lang_kind("zha"), ==, IMP_LANG_KIND_OTHER);  /* Zhuang */
    g_assert_cmpint(imp_lang_kind("jav"), ==, IMP_LANG_KIND_OTHER);
    g_assert_cmpint(imp_lang_kind("ja"), ==, IMP_LANG_KIND_JA);
    g_assert_cmpint(imp_lang_kind("ja-JP"), ==, IMP_LANG_KIND_JA);
    g_assert_cmpint(imp_lang_kind("KO-kr"), ==, IMP_LANG_KIND_KO);
    g_assert_cmpint(imp_lang_kind("zh"), ==, IMP_LANG_KIND_ZH);
    g_assert_cmpint(imp_lang_kind("zh-Hans"), ==, IMP_LANG_KIND_ZH_HANS);
    g_assert_cmpint(imp_lang_kind("zh-hant"), ==, IMP_LANG_KIND_ZH_HANT);
    g_assert_cmpint(imp_lang_kind("zh-Hant-HK"), ==, IMP_LANG_KIND_ZH_HANT);
    g_assert_cmpint(imp_lang_kind("zh-Hans-HK"), ==, IMP_LANG_KIND_ZH_HANS);
    g_assert_cmpint(imp_lang_kind("zh-TW"), ==, IMP_LANG_KIND_ZH_HANT);
    g_assert_cmpint(imp_lang_kind("zh_HK"), ==, IMP_LANG_KIND_ZH_HANT);
    g_assert_cmpint(imp_lang_kind("zh-CN"), ==, IMP_LANG_KIND_ZH_HANS);
    g_assert_cmpint(imp_lang_kind("zh-SG"), ==, IMP_LANG_KIND_ZH_HANS);
    g_assert_cmpint(imp_lang_kind("zh-TWX"), ==, IMP_LANG_KIND_ZH);
}

/* ------------------------------------------------------------------------------------
 * Paragraphs
 * ------------------------------------------------------------------------------------ */

static void test_detect(void)
{
    /* no evidence: the fallback, itself */
    const char *fb = "en-GB";
    g_assert_true(imp_lang_detect("", 0, fb) == fb);
    g_assert_true(imp_lang_detect(NULL, 0, fb) == fb);
    g_assert_true(imp_lang_detect("Hello, world 2024.", -1, fb) == fb);
    g_assert_null(imp_lang_detect("ls -l /etc", -1, NULL));
    g_assert_null(imp_lang_detect("。、「」・ー", -1, NULL));  /* punctuation says nothing */

    /* kana: Japanese, kanji included; Hangul: Korean, hanja included */
    g_assert_true(imp_lang_detect("日本語の文章です。", -1, NULL) == g_intern_static_string("ja"));
    g_assert_cmpstr(imp_lang_detect("パッケージ", -1, "zh-Hans"), ==, "ja");
    g_assert_cmpstr(imp_lang_detect("ｱｲｳ", -1, NULL), ==, "ja");  /* halfwidth katakana */
    g_assert_cmpstr(imp_lang_detect("데비안 프로젝트는 1993년", -1, NULL), ==, "ko");
    g_assert_cmpstr(imp_lang_detect("국가(國家)의 정의", -1, "zh-Hant"), ==, "ko");
    /* both: the more numerous */
    g_assert_cmpstr(imp_lang_detect("일본어로 すし라고 합니다", -1, NULL), ==, "ko");

    /* Han only: Simplified or Traditional by the characters of only one */
    g_assert_cmpstr(imp_lang_detect("这是我们的过程。", -1, NULL), ==, "zh-Hans");
    g_assert_cmpstr(imp_lang_detect("這是我們的過程。", -1, NULL), ==, "zh-Hant");
    g_assert_cmpstr(imp_lang_detect("這是我們的過程。", -1, "zh-Hans"), ==, "zh-Hant");
    g_assert_cmpstr(imp_lang_detect("使用 apt-get 安装软件包", -1, "en"), ==, "zh-Hans");
    /* a tie or no evidence: the fallback when it is Chinese, else "zh" */
    g_assert_cmpstr(imp_lang_detect("中文", -1, NULL), ==, "zh");
    g_assert_cmpstr(imp_lang_detect("中文", -1, "en"), ==, "zh");
    g_assert_cmpstr(imp_lang_detect("中文", -1, "zh-TW"), ==, "zh-TW");
    g_assert_cmpstr(imp_lang_detect("这個", -1, "zh-Hant"), ==, "zh-Hant");
    /* Han in a Japanese or Korean document: its language (kanji, hanja) */
    g_assert_cmpstr(imp_lang_detect("基本設定", -1, "ja"), ==, "ja");
    g_assert_cmpstr(imp_lang_detect("這是我們", -1, "ko-KR"), ==, "ko-KR");

    /* the text outside quotation marks decides: a Japanese quotation in Chinese */
    g_assert_cmpstr(imp_lang_detect("他说「ありがとう」就走了。", -1, NULL), ==, "zh-Hans");
    g_assert_cmpstr(imp_lang_detect("他說“ありがとう”就走了。", -1, NULL), ==, "zh-Hant");
    /* ... but not when only Latin is outside, or the quotation is never closed */
    g_assert_cmpstr(imp_lang_detect("Debian「パッケージ」", -1, "zh-Hans"), ==, "ja");
    g_assert_cmpstr(imp_lang_detect("他说「ありがとう", -1, NULL), ==, "ja");
    /* an apostrophe closes nothing; the quotation after it still counts as one */
    g_assert_cmpstr(imp_lang_detect("it’s 他说「ありがとう」", -1, NULL), ==, "zh-Hans");
    /* the quotation's kanji do not vote on the Chinese around it */
    g_assert_cmpstr(imp_lang_detect("中文「設定ファイル」", -1, "zh-Hant"), ==, "zh-Hant");
    /* kana against the Han characters Japanese lacks: a Chinese sentence naming a
     * Japanese dish, a kaomoji, Chinese in a Japanese document (们 and 这 are not in
     * JIS X 0208), a Japanese heading of kanji (all are) */
    g_assert_cmpstr(imp_lang_detect("我们去吃ラーメン吧，这家店很有名。", -1, NULL), ==, "zh-Hans");
    g_assert_cmpstr(imp_lang_detect("¯\\_(ツ)_/¯", -1, "zh-Hans"), ==, "zh-Hans");
    g_assert_cmpstr(imp_lang_detect("¯\\_(ツ)_/¯", -1, "en"), ==, "ja");
    g_assert_cmpstr(imp_lang_detect("我们欢迎各国企业。", -1, "ja"), ==, "zh-Hans");
    g_assert_cmpstr(imp_lang_detect("中文", -1, "ja"), ==, "ja");
    g_assert_cmpstr(imp_lang_detect("你好", -1, "ja"), ==, "zh");  /* no side, not Japanese */
    g_assert_cmpstr(imp_lang_detect("ラーメンを食べた", -1, "zh-Hant"), ==, "ja");
    /* Japanese quoting Chinese stays Japanese */
    g_assert_cmpstr(imp_lang_detect("「这是」と書いた。", -1, NULL), ==, "ja");

    /* length: -1 is NUL-terminated; an explicit length stops there */
    g_assert_cmpstr(imp_lang_detect("abc 这是", 4, "en"), ==, "en");
    /* invalid UTF-8 (never in the model) is read byte by byte, without reading past */
    static const char bad[] = { 'a', (char)0xE8, (char)0xBF, 'x', (char)0xF0, (char)0x9F };
    g_assert_cmpstr(imp_lang_detect(bad, sizeof bad, "en"), ==, "en");
    g_assert_cmpstr(imp_lang_detect("\xE8\xBF\x99\xFF\xC0", 5, NULL), ==, "zh-Hans");
}

/* ------------------------------------------------------------------------------------
 * The document pass
 * ------------------------------------------------------------------------------------ */

/* A Japanese document: kana paragraphs, a kanji-only heading, a Latin-only paragraph, a
 * table cell, a block its reader tagged. Text from debian-reference-ja, ch. 3. */
static void test_document_ja(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, "ref.txt");
    add(doc, IMP_BLOCK_HEADING, 1, "3.4. 基本設定");  /* 設 is Traditional-only, 设 Simplified */
    add(doc, IMP_BLOCK_PARAGRAPH, 3, "ポプコンのデーターは各パッケージの客観的人気の指標として"
        "提示されています。");
    add(doc, IMP_BLOCK_CODE, 6, "$ echo \"$TERM\"");
    ImpBlock *t = add(doc, IMP_BLOCK_TABLE, 8, "");
    imp_block_append_text(imp_table_add_cell(t, 8), "関係", -1);
    imp_block_append_text(imp_table_add_cell(t, 8), "Size", -1);
    ImpBlock *en = add(doc, IMP_BLOCK_PARAGRAPH, 10, "Debian 这是");
    imp_block_set_language(en, "en");
    add(doc, IMP_BLOCK_PARAGRAPH, 12, "小さなパッケージサイズのパッケージは unstable リリース中の"
        "当該パッケージが内容のある他パッケージを依存関係でインストールするためのダミーパッケー"
        "ジだからかもしれません。");
    add(doc, IMP_BLOCK_RULE, 14, "");

    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    ImpDiag diag = { collect, &d };
    const char *lang = imp_document_detect_languages(doc, &diag);
    g_assert_true(lang == g_intern_static_string("ja"));
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "ja");
    g_assert_cmpstr(lang_of(doc, 0), ==, "ja");   /* the kanji-only heading: the document's */
    g_assert_cmpstr(lang_of(doc, 1), ==, "ja");
    g_assert_cmpstr(lang_of(doc, 2), ==, "ja");   /* Latin only: the document's language */
    g_assert_null(lang_of(doc, 3));                /* a table holds no text of its own */
    const ImpBlock *table = imp_document_get_block(doc, 3);
    g_assert_cmpstr(imp_block_get_language(imp_table_get_cell(table, 0, 0)), ==, "ja");
    g_assert_cmpstr(imp_block_get_language(imp_table_get_cell(table, 0, 1)), ==, "ja");
    g_assert_cmpstr(lang_of(doc, 4), ==, "en");   /* the reader's word stands */
    g_assert_cmpuint(imp_block_get_n_spans(imp_document_get_block(doc, 4)), ==, 0);
    g_assert_cmpstr(lang_of(doc, 5), ==, "ja");
    g_assert_null(lang_of(doc, 6));
    for (guint i = 0; i < d.msgs->len; i++)
        g_test_message("%s", (char *)g_ptr_array_index(d.msgs, i));
    g_assert_true(said(&d, "language ja (detected from the text)"));
    g_assert_true(said(&d, "1 as the input said"));

    /* a second pass changes nothing and now takes the language from the metadata */
    g_ptr_array_set_size(d.msgs, 0);
    g_assert_true(imp_document_detect_languages(doc, &diag) == lang);
    g_assert_cmpstr(lang_of(doc, 0), ==, "ja");
    g_assert_true(said(&d, "language ja (from the metadata)"));
    g_ptr_array_free(d.msgs, TRUE);
}

/* A Chinese document with a Japanese quotation, a Traditional paragraph, a Korean one;
 * the metadata names it Simplified Chinese. */
static void test_document_zh(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_LANGUAGE, "zh-Hans");
    const char *quoted = "他在东京学会的第一句话是「ありがとうございます」，意思是谢谢。";
    add(doc, IMP_BLOCK_PARAGRAPH, 1, quoted);
    add(doc, IMP_BLOCK_PARAGRAPH, 3, "這是我們的過程。");
    add(doc, IMP_BLOCK_PARAGRAPH, 5, "데비안 프로젝트");
    add(doc, IMP_BLOCK_PARAGRAPH, 7, "第一条");  /* no evidence: the document's */
    add(doc, IMP_BLOCK_PARAGRAPH, 9, "https://www.debian.org/");
    /* a reader's LANG span over the quotation keeps the pass from adding another */
    ImpBlock *b = add(doc, IMP_BLOCK_PARAGRAPH, 11, "他说「さようなら」。");
    imp_block_add_lang_span(b, 0, strlen("他说「さよう"), "ja-JP");

    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    ImpDiag diag = { collect, &d };
    g_assert_cmpstr(imp_document_detect_languages(doc, &diag), ==, "zh-Hans");
    g_assert_cmpstr(lang_of(doc, 0), ==, "zh-Hans");
    g_assert_cmpstr(lang_of(doc, 1), ==, "zh-Hant");
    g_assert_cmpstr(lang_of(doc, 2), ==, "ko");
    g_assert_cmpstr(lang_of(doc, 3), ==, "zh-Hans");
    g_assert_cmpstr(lang_of(doc, 4), ==, "zh-Hans");
    g_assert_cmpstr(lang_of(doc, 5), ==, "zh-Hans");

    const ImpBlock *q = imp_document_get_block(doc, 0);
    g_assert_cmpuint(imp_block_get_n_spans(q), ==, 1);
    const ImpSpan *s = imp_block_get_span(q, 0);
    g_assert_cmpuint(s->flags, ==, IMP_SPAN_LANG);
    g_assert_cmpstr(s->lang, ==, "ja");
    /* the span covers the quotation's text, not its marks */
    g_assert_cmpuint(s->end - s->start, ==, strlen("ありがとうございます"));
    g_assert_cmpint(strncmp(quoted + s->start, "ありがとうございます", s->end - s->start), ==, 0);
    g_assert_cmpuint(imp_block_get_n_spans(imp_document_get_block(doc, 5)), ==, 1);

    for (guint i = 0; i < d.msgs->len; i++)
        g_test_message("%s", (char *)g_ptr_array_index(d.msgs, i));
    g_assert_true(said(&d, "language zh-Hans (from the metadata)"));
    g_assert_true(said(&d, "I 1 paragraph: a quotation in ja"));
    g_assert_true(said(&d, "I 3 paragraph in zh-Hant"));
    g_assert_true(said(&d, "I 5 paragraph in ko"));
    g_ptr_array_free(d.msgs, TRUE);
}

/* An English document: no language is set anywhere, so the style's applies and its output
 * stays as it was; a Chinese paragraph in it still gets its own. */
static void test_document_latin(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    add(doc, IMP_BLOCK_TITLE, 1, "A speech on trade");
    add(doc, IMP_BLOCK_PARAGRAPH, 3, "The minister said, in Chinese:");
    add(doc, IMP_BLOCK_PARAGRAPH, 5, "我们欢迎各国企业。");
    add(doc, IMP_BLOCK_PARAGRAPH, 7, "and went on at length about the markets of the world, "
        "which takes many more letters than the quotation has characters.");
    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    ImpDiag diag = { collect, &d };
    g_assert_null(imp_document_detect_languages(doc, &diag));
    g_assert_null(imp_document_get_meta(doc, IMP_META_LANGUAGE));
    g_assert_null(lang_of(doc, 0));
    g_assert_null(lang_of(doc, 1));
    g_assert_cmpstr(lang_of(doc, 2), ==, "zh-Hans");
    g_assert_null(lang_of(doc, 3));
    g_assert_true(said(&d, "language not detected"));
    g_ptr_array_free(d.msgs, TRUE);

    /* fullwidth Latin letters are Latin: twelve of them outweigh one Han character */
    g_autoptr(ImpDocument) wide = imp_document_new();
    add(wide, IMP_BLOCK_PARAGRAPH, 1, "ＡＢＣＤＥＦＧＨＩＪＫＬ（中）");
    g_assert_null(imp_document_detect_languages(wide, NULL));
    g_assert_cmpstr(lang_of(wide, 0), ==, "zh");
    g_autoptr(ImpDocument) narrow = imp_document_new();
    add(narrow, IMP_BLOCK_PARAGRAPH, 1, "ＡＢＣ（中）");
    g_assert_cmpstr(imp_document_detect_languages(narrow, NULL), ==, "zh");

    /* no diag, an empty document */
    g_autoptr(ImpDocument) empty = imp_document_new();
    g_assert_null(imp_document_detect_languages(empty, NULL));
}

/* More than MAX_NAMED findings: the first are named, the rest counted. */
static void test_document_many(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    for (guint i = 0; i < 40; i++)
        add(doc, IMP_BLOCK_PARAGRAPH, 2 * i + 1, i % 2 ? "这是我们的" : "這是我們的過程");
    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    ImpDiag diag = { collect, &d };
    g_assert_cmpstr(imp_document_detect_languages(doc, &diag), ==, "zh-Hant");
    g_assert_cmpstr(lang_of(doc, 1), ==, "zh-Hans");
    g_assert_true(said(&d, "10 more blocks or quotations in another language"));
    g_assert_true(said(&d, "20 zh-Hans, 20 zh-Hant"));
    g_assert_cmpuint(d.msgs->len, ==, 12);
    g_ptr_array_free(d.msgs, TRUE);
}

/* Hostile text: brackets nested past the stack, closers without openers, random bytes
 * (invalid UTF-8 for imp_lang_detect, made valid for the document), a long paragraph.
 * Nothing is read out of bounds (the sanitizer build runs this) and every answer is one
 * of the tags detection may give. */
static void test_hostile(void)
{
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append(deep, "「（“");
    g_string_append(deep, "ありがとう");
    for (int i = 0; i < 1000; i++)
        g_string_append(deep, "”）」");
    g_string_append(deep, "」」」））’’’ 这是");
    /* the quotation closes once the stack is unwound; 这是 outside decides */
    g_assert_cmpstr(imp_lang_detect(deep->str, -1, NULL), ==, "zh-Hans");

    g_autoptr(ImpDocument) doc = imp_document_new();
    add(doc, IMP_BLOCK_PARAGRAPH, 1, deep->str);
    g_string_free(deep, TRUE);
    GRand *rand = g_rand_new_with_seed(11);
    const char *const tags[] = { "ja", "ko", "zh", "zh-Hans", "zh-Hant", NULL };
    for (int n = 0; n < 2000; n++) {
        char buf[64];
        gsize len = (gsize)g_rand_int_range(rand, 0, sizeof buf);
        for (gsize i = 0; i < len; i++)
            buf[i] = (char)g_rand_int_range(rand, 0, 256);
        const char *l = imp_lang_detect(buf, (gssize)len, NULL);
        g_assert_true(l == NULL || g_strv_contains(tags, l));
        char *valid = g_utf8_make_valid(buf, (gssize)len);
        add(doc, IMP_BLOCK_PARAGRAPH, (guint)n + 2, valid);
        g_free(valid);
    }
    g_rand_free(rand);
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 100000; i++)
        g_string_append(big, i % 7 ? "這是" : "「です」");
    add(doc, IMP_BLOCK_PARAGRAPH, 9999, big->str);
    g_string_free(big, TRUE);
    const char *lang = imp_document_detect_languages(doc, NULL);
    g_assert_true(g_strv_contains(tags, lang));
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const char *l = lang_of(doc, i);
        g_assert_true(l == NULL || g_strv_contains(tags, l));
    }
    /* the long Traditional paragraph with its Japanese quotations: 14,286 spans, each
       inside the text and on its quotation */
    const ImpBlock *b = imp_document_get_block(doc, imp_document_get_n_blocks(doc) - 1);
    g_assert_cmpstr(imp_block_get_language(b), ==, "zh-Hant");
    g_assert_cmpuint(imp_block_get_n_spans(b), ==, 14286);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *sp = imp_block_get_span(b, i);
        g_assert_cmpuint(sp->end, <=, len);
        g_assert_cmpint(strncmp(text + sp->start, "です", sp->end - sp->start), ==, 0);
        g_assert_cmpstr(sp->lang, ==, "ja");
    }
}

/* ------------------------------------------------------------------------------------
 * Real documents
 * ------------------------------------------------------------------------------------ */

/* The text of a file, gunzipped when its name ends in .gz (transfer full). */
static char *read_text(const char *path)
{
    char *out = NULL;
    GError *error = NULL;
    if (g_str_has_suffix(path, ".gz")) {
        const char *argv[] = { "gzip", "-dc", path, NULL };
        int status = 0;
        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                                   G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                   &status, &error));
        g_assert_no_error(error);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
    } else {
        g_assert_true(g_file_get_contents(path, &out, NULL, &error));
        g_assert_no_error(error);
    }
    g_assert_true(g_utf8_validate(out, -1, NULL));
    return out;
}

/* Whether s holds a Han, kana or Hangul letter (by GLib's scripts, not lang.c's ranges). */
static gboolean has_cjk(const char *s)
{
    for (; *s != '\0'; s = g_utf8_next_char(s)) {
        switch (g_unichar_get_script(g_utf8_get_char(s))) {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
            return TRUE;
        default:
            break;
        }
    }
    return FALSE;
}

/* A range of source lines of one file of a corpus in another language than the rest. */
typedef struct {
    guint file;             /* index into Corpus.paths */
    guint from, to;         /* lines, inclusive */
    const char *expect;
} Exception;

/* Adds the paragraphs of text (separated by blank lines, and by "%" lines in a fortune
 * file) to doc, lines stripped and joined by a space, terminal colour codes removed; and
 * the language each must get to `expect`: `ex->expect` for those starting inside `ex`
 * (may be NULL), else `lang`. */
static void add_paragraphs(ImpDocument *doc, const char *text, const char *lang,
                           const Exception *ex, GPtrArray *expect)
{
    /* lines found with memchr, not g_strsplit: under AddressSanitizer, strstr measures the
       rest of the text at every line, which made this quadratic */
    GString *para = g_string_new(NULL);
    guint start = 1, line_no = 0;
    const char *end = text + strlen(text);
    for (const char *p = text;; line_no++) {
        const char *nl = p < end ? memchr(p, '\n', (gsize)(end - p)) : NULL;
        const char *stop = nl != NULL ? nl : end;
        char *s = g_strstrip(g_strndup(p, (gsize)(stop - p)));
        gboolean last = nl == NULL;
        if (*s == '\0' || strcmp(s, "%") == 0 || last) {
            if (last && *s != '\0' && strcmp(s, "%") != 0) {
                g_string_append(para, s);
                g_string_append_c(para, ' ');
            }
            if (para->len > 0) {
                add(doc, IMP_BLOCK_PARAGRAPH, start, para->str);
                gboolean in = ex != NULL && start >= ex->from && start <= ex->to;
                g_ptr_array_add(expect, (gpointer)(in ? ex->expect : lang));
            }
            g_string_truncate(para, 0);
            start = line_no + 2;
            g_free(s);
            if (last)
                break;
            p = nl + 1;
            continue;
        }
        for (const char *q = s; *q != '\0'; q++) {
            if (*q == '\033') {  /* ESC [ ... m */
                while (*q != '\0' && *q != 'm')
                    q++;
                if (*q == '\0')
                    break;
                continue;
            }
            g_string_append_c(para, *q);
        }
        g_string_append_c(para, ' ');
        g_free(s);
        p = nl + 1;
    }
    g_string_free(para, TRUE);
}

typedef struct {
    const char *name;
    const char *paths[4];   /* NULL-terminated */
    const char *expect;     /* the document's language, and every CJK paragraph's ... */
    Exception except;       /* ... but these (.expect NULL: none) */
} Corpus;

/* Runs the document pass on a real document (no language in its metadata) and checks the
 * document's language and that ≥ 99% of its paragraphs holding CJK letters get theirs. Also
 * reports how paragraph detection alone does, without the document's language to fall
 * back on, on paragraphs with kana, Hangul or one-sided Han characters. */
static void check_corpus(gconstpointer data)
{
    const Corpus *c = data;
    g_autoptr(ImpDocument) doc = imp_document_new();
    g_autoptr(GPtrArray) expect = g_ptr_array_new();  /* per block: the language it must get */
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, c->name);
    for (guint i = 0; c->paths[i] != NULL; i++) {
        if (!g_file_test(c->paths[i], G_FILE_TEST_EXISTS)) {
            g_test_fail_printf("%s is missing: run tools/setup --test", c->paths[i]);
            return;
        }
        char *text = read_text(c->paths[i]);
        add_paragraphs(doc, text, c->expect,
                       c->except.expect != NULL && c->except.file == i ? &c->except : NULL,
                       expect);
        g_free(text);
    }
    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    ImpDiag diag = { collect, &d };
    const char *lang = imp_document_detect_languages(doc, &diag);
    for (guint i = 0; i < d.msgs->len && i < 3; i++)
        g_test_message("%s: %s", c->name, (char *)g_ptr_array_index(d.msgs, i));
    g_ptr_array_free(d.msgs, TRUE);
    g_assert_cmpstr(lang, ==, c->expect);

    guint n = 0, wrong = 0, alone_n = 0, alone_wrong = 0;
    g_assert_cmpuint(expect->len, ==, imp_document_get_n_blocks(doc));
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        ImpLangKind want = imp_lang_kind(g_ptr_array_index(expect, i));
        const ImpBlock *b = imp_document_get_block(doc, i);
        const char *text = imp_block_get_text(b, NULL);
        if (!has_cjk(text))
            continue;
        n++;
        if (imp_lang_kind(imp_block_get_language(b)) != want) {
            wrong++;
            char *head = g_utf8_substring(text, 0, MIN(g_utf8_strlen(text, -1), 100));
            g_test_message("%s: line %u: %s: %s", c->name, imp_block_get_line(b),
                           imp_block_get_language(b), head);
            g_free(head);
        }
        const char *alone = imp_lang_detect(text, -1, NULL);
        if (imp_lang_kind(alone) != IMP_LANG_KIND_ZH) {  /* "zh": no evidence either way */
            alone_n++;
            alone_wrong += imp_lang_kind(alone) != want;
        }
    }
    double acc = n > 0 ? 100.0 * (n - wrong) / n : 0;
    g_test_message("%s: %u paragraphs with CJK letters, %u misclassified: %.2f%% right; "
                   "alone (no document language): %u of %u with evidence right (%.2f%%)",
                   c->name, n, wrong, acc, alone_n - alone_wrong, alone_n,
                   alone_n > 0 ? 100.0 * (alone_n - alone_wrong) / alone_n : 0);
    g_assert_cmpuint(n, >=, 300);
    g_assert_cmpfloat(acc, >=, 99.0);
}

#define REF "/usr/share/debian-reference/debian-reference."
#define FORTUNES "/usr/share/games/fortunes/"

static const Corpus corpora[] = {
    { "debian-reference-zh-cn", { REF "zh-cn.txt.gz", NULL }, "zh-Hans", { 0, 0, 0, NULL } },
    { "debian-reference-zh-tw", { REF "zh-tw.txt.gz", NULL }, "zh-Hant", { 0, 0, 0, NULL } },
    { "debian-reference-ja", { REF "ja.txt.gz", NULL }, "ja", { 0, 0, 0, NULL } },
    { "debian-faq-ko", { "/usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz", NULL }, "ko",
      { 0, 0, 0, NULL } },
    /* fortunes-zh is Simplified but for the Book of Songs (詩經), set in Traditional */
    { "fortunes-zh", { FORTUNES "chinese", FORTUNES "tang300", FORTUNES "song100", NULL },
      "zh-Hans", { 0, 29142, 32121, "zh-Hant" } },
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");  /* messages quote CJK text: print it as UTF-8 under C.UTF-8 */
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/lang/table", test_table);
    g_test_add_func("/lang/kind", test_kind);
    g_test_add_func("/lang/detect", test_detect);
    g_test_add_func("/lang/document/ja", test_document_ja);
    g_test_add_func("/lang/document/zh", test_document_zh);
    g_test_add_func("/lang/document/latin", test_document_latin);
    g_test_add_func("/lang/document/many", test_document_many);
    g_test_add_func("/lang/hostile", test_hostile);
    for (guint i = 0; i < G_N_ELEMENTS(corpora); i++) {
        char *path = g_strdup_printf("/lang/corpus/%s", corpora[i].name);
        g_test_add_data_func(path, &corpora[i], check_corpus);
        g_free(path);
    }
    return g_test_run();
}
