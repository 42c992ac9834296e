/* test-read.c — the text reader: paragraphs, blank lines, line ends, joining, titles,
 * site reading rules on the real MOFCOM clipping, decoding and its errors, dropped control
 * characters, form feeds, line mapping and the conservation of characters.
 *
 * Reading rules are built by hand with g_regex_new, so these tests need no style module.
 */
#include <string.h>

#include "read/read.h"
#include "util/error.h"
#include "util/file.h"

/* ------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------ */

typedef struct {
    GPtrArray *msgs;  /* "W|I LINE MESSAGE" */
} Diags;

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    Diags *d = user_data;
    g_assert_cmpstr(file, ==, "in.txt");
    g_ptr_array_add(d->msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                             line, message));
}

static ImpDocument *read_ok(const char *data, gssize len, const ImpReadRules *rules,
                            Diags *d)
{
    ImpDiag diag = { collect, d };
    GError *error = NULL;
    if (len < 0)
        len = (gssize)strlen(data);
    ImpDocument *doc = imp_read_text(data, (gsize)len, "in.txt", rules,
                                     d != NULL ? &diag : NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(doc);
    return doc;
}

/* Reads input that must fail; returns the message (transfer full). */
static char *read_fail(const char *data, gssize len)
{
    GError *error = NULL;
    if (len < 0)
        len = (gssize)strlen(data);
    ImpDocument *doc = imp_read_text(data, (gsize)len, "in.txt", NULL, NULL, &error);
    g_assert_null(doc);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

static const char *text_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_text(imp_document_get_block(doc, i), NULL);
}

static ImpBlockKind kind_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_kind(imp_document_get_block(doc, i));
}

static Diags *diags_new(void)
{
    Diags *d = g_new0(Diags, 1);
    d->msgs = g_ptr_array_new_with_free_func(g_free);
    return d;
}

static void diags_free(Diags *d)
{
    g_ptr_array_unref(d->msgs);
    g_free(d);
}

static gboolean diags_have(const Diags *d, const char *msg)
{
    for (guint i = 0; i < d->msgs->len; i++)
        if (strcmp(g_ptr_array_index(d->msgs, i), msg) == 0)
            return TRUE;
    return FALSE;
}

static GRegex *re(const char *pattern)
{
    GError *error = NULL;
    GRegex *r = g_regex_new(pattern, G_REGEX_OPTIMIZE, 0, &error);
    g_assert_no_error(error);
    return r;
}

/* The reading rules of the MOFCOM site style, as that style sheet states them. */
static ImpReadRules *mofcom_rules(void)
{
    ImpReadRules *r = g_new0(ImpReadRules, 1);
    r->detect = re("^MOFCOM\\s*\\|");
    r->masthead = re("^(?<site>MOFCOM)\\s*\\|\\s*(?<extra>简体中文版)$");
    r->breadcrumb = re("^Home\\s*>\\s*(?<section>.+)$");
    r->chrome = g_new0(GRegex *, 3);
    r->chrome[0] = re("^Release Comment:.*$");
    r->chrome[1] = re("^Big\\s+Medium-sized\\s+Small$");
    r->notice_start = re("^Ministry of Commerce Website Copyright and Disclaimer Statement$");
    r->site = "MOFCOM";
    r->source = "Source: Ministry of Commerce Website";
    return r;
}

static void rules_free(ImpReadRules *r)
{
    GRegex *all[] = { r->detect, r->masthead, r->breadcrumb, r->notice_start, r->notice_end };
    for (gsize i = 0; i < G_N_ELEMENTS(all); i++)
        if (all[i] != NULL)
            g_regex_unref(all[i]);
    for (GRegex **c = r->chrome; c != NULL && *c != NULL; c++)
        g_regex_unref(*c);
    g_free(r->chrome);
    g_free(r);
}

/* With notice-end, the notice ends with the paragraph holding its last line: text after it
 * is body again, and a second statement is a second notice (a clipping of several pages). */
static void test_notice_end(void)
{
    ImpReadRules *rules = mofcom_rules();
    rules->notice_end = re("^Last notice line\\.$");
    const char *in = "Title\n"
                     "\n"
                     "Ministry of Commerce Website Copyright and Disclaimer Statement\n"
                     "\n"
                     "First notice line\n"
                     "Last notice line.\n"
                     "\n"
                     "Body after the notice\n"
                     "\n"
                     "Ministry of Commerce Website Copyright and Disclaimer Statement\n"
                     "Only notice line\n";
    g_autoptr(ImpDocument) doc = read_ok(in, -1, rules, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 6);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpint(kind_of(doc, 1), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpuint(imp_block_get_level(imp_document_get_block(doc, 1)), ==, 1);
    g_assert_cmpint(kind_of(doc, 2), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpstr(text_of(doc, 2), ==, "First notice line Last notice line.");
    g_assert_cmpint(kind_of(doc, 3), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, 3), ==, "Body after the notice");
    g_assert_cmpint(kind_of(doc, 4), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpuint(imp_block_get_level(imp_document_get_block(doc, 4)), ==, 1);
    g_assert_cmpint(kind_of(doc, 5), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpstr(text_of(doc, 5), ==, "Only notice line");
    rules_free(rules);
}

/* A masthead line may carry the breadcrumb too (text copied from the page in one line). */
static void test_masthead_with_section(void)
{
    ImpReadRules *rules = mofcom_rules();
    g_regex_unref(rules->masthead);
    rules->masthead =
        re("^(?<site>MOFCOM)\\s*\\|\\s*(?<extra>简体中文版)(?:\\s+Home\\s*>\\s*(?<section>.+))?$");
    const char *in = "MOFCOM | 简体中文版 Home> Speeches\n\nThe title\n\nBody.\n";
    g_autoptr(ImpDocument) doc = read_ok(in, -1, rules, NULL);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "MOFCOM");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE_EXTRA), ==, "简体中文版");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "Speeches");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 2);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, 0), ==, "The title");
    rules_free(rules);
}

/* Reads `unit` repeated `n` times and expects the document limit error `message`. */
static void expect_limit(const char *unit, guint n, const char *message)
{
    GString *in = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        g_string_append(in, unit);
    GError *error = NULL;
    ImpDocument *doc = imp_read_text(in->str, in->len, "in.txt", NULL, NULL, &error);
    g_assert_null(doc);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_assert_cmpstr(error->message, ==, message);
    g_error_free(error);
    g_string_free(in, TRUE);
}

/* A document may hold IMP_READ_MAX_PARAGRAPHS paragraphs and IMP_READ_MAX_PAGE_BREAKS page
 * breaks; one more is an error naming the line, found without reading further. */
static void test_limits(void)
{
    GString *in = g_string_new(NULL);
    for (guint i = 0; i < IMP_READ_MAX_PARAGRAPHS; i++)
        g_string_append(in, "a\n\n");
    g_autoptr(ImpDocument) most = imp_read_text(in->str, in->len, "in.txt", NULL, NULL, NULL);
    g_assert_nonnull(most);
    g_assert_cmpuint(imp_document_get_n_blocks(most), ==, IMP_READ_MAX_PARAGRAPHS);
    g_string_free(in, TRUE);
    expect_limit("a\n\n", IMP_READ_MAX_PARAGRAPHS + 5,
                 "in.txt:1000001: too many paragraphs: imprint sets at most 500000 in one "
                 "document");
    expect_limit("x\f", IMP_READ_MAX_PAGE_BREAKS + 5,
                 "in.txt:1: too many page breaks: imprint sets at most 100000 in one document");
}

/* Trimming keeps every block's text, and text can still be appended after it. */
static void test_document_trim(void)
{
    ImpDocument *doc = imp_document_new();
    ImpBlock *a = imp_document_append_block(doc, IMP_BLOCK_PARAGRAPH, 1);
    ImpBlock *b = imp_document_append_block(doc, IMP_BLOCK_PARAGRAPH, 2);
    imp_block_append_text(a, "a paragraph of some length, longer than its first buffer", -1);
    imp_document_trim(doc);
    imp_document_trim(doc);
    imp_block_append_text(a, " and more", -1);
    imp_block_append_text(b, "x", -1);
    g_assert_cmpstr(text_of(doc, 0), ==,
                    "a paragraph of some length, longer than its first buffer and more");
    g_assert_cmpstr(text_of(doc, 1), ==, "x");
    imp_document_free(doc);
}

static char *load_speech(gsize *len)
{
    const char *dir = g_getenv("IMP_SOURCE_DIR");
    char *path = g_build_filename(dir != NULL ? dir : IMP_SOURCE_DIR, "examples",
                                  "speech.txt", NULL);
    char *data = NULL;
    GError *error = NULL;
    g_assert_true(imp_file_load(path, &data, len, &error));
    g_assert_no_error(error);
    g_free(path);
    return data;
}

/* Non-white-space characters of s[0..len). */
static gsize count_ink(const char *s, gssize len)
{
    gsize n = 0;
    const char *end = s + (len < 0 ? (gssize)strlen(s) : len);
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x00A0 && c != 0x3000 && c != 0x200B && c != 0xFEFF)
            n++;
    }
    return n;
}


/* Everything a reader put in a document, one line per block and per metadata value, so two
 * readings can be compared whole (transfer full). */
static char *dump_document(const ImpDocument *doc)
{
    GString *s = g_string_new(NULL);
    for (int k = 0; k < IMP_N_META; k++)
        g_string_append_printf(s, "meta %s=%s\n", imp_meta_key_name((ImpMetaKey)k),
                               imp_document_get_meta(doc, (ImpMetaKey)k) != NULL
                               ? imp_document_get_meta(doc, (ImpMetaKey)k) : "(null)");
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = imp_document_get_block(doc, i);
        gsize len;
        const char *t = imp_block_get_text(b, &len);
        g_string_append_printf(s, "%s line=%u level=%u q=%u l=%u flags=%u marker=%s id=%s "
                               "info=%s spans=%u lines=",
                               imp_block_kind_name(imp_block_get_kind(b)),
                               imp_block_get_line(b), imp_block_get_level(b),
                               imp_block_get_quote_depth(b), imp_block_get_list_depth(b),
                               imp_block_get_flags(b),
                               imp_block_get_marker(b) ? imp_block_get_marker(b) : "-",
                               imp_block_get_id(b) ? imp_block_get_id(b) : "-",
                               imp_block_get_info(b) ? imp_block_get_info(b) : "-",
                               imp_block_get_n_spans(b));
        for (gsize o = 0; o < len; o++)
            if (o == 0 || imp_block_get_line_at(b, o) != imp_block_get_line_at(b, o - 1))
                g_string_append_printf(s, "%" G_GSIZE_FORMAT ":%u,", o,
                                       imp_block_get_line_at(b, o));
        g_string_append_printf(s, " text=%s\n", t);
    }
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------------------------------
 * Paragraphs, blank lines, line ends
 * ------------------------------------------------------------------------------------ */

static void test_paragraphs(void)
{
    g_autoptr(ImpDocument) doc =
        read_ok("First paragraph, line one,\nline two.\n\n\n\nSecond  paragraph.\n", -1,
                NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 2);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_PARAGRAPH); /* two lines: no title */
    g_assert_cmpstr(text_of(doc, 0), ==, "First paragraph, line one, line two.");
    g_assert_cmpint(kind_of(doc, 1), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, 1), ==, "Second  paragraph."); /* inner spaces kept */
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(doc, 1)), ==, 6);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SOURCE_FILE), ==, "in.txt");
    g_assert_null(imp_document_get_meta(doc, IMP_META_TITLE));
}

static void test_blank_lines(void)
{
    /* Lines of ASCII, no-break, ideographic, em and zero-width spaces are all blank. */
    const char *in = "one\n"
                     " \t \n"
                     "two\n"
                     "\u00a0\u00a0\n"
                     "three\n"
                     "\u3000\u3000\n"
                     "four\n"
                     "\u2003\u200b\ufeff\u202f\u205f\n"
                     "five\n";
    g_autoptr(ImpDocument) doc = read_ok(in, -1, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 5);
    const char *want[] = { "one", "two", "three", "four", "five" };
    for (guint i = 0; i < 5; i++)
        g_assert_cmpstr(text_of(doc, i), ==, want[i]);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
}

static void test_line_endings(void)
{
    g_autoptr(ImpDocument) doc = read_ok("a1\r\na2\r\n\r\nb1\rb2\r\rc1\nc2", -1, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 3);
    g_assert_cmpstr(text_of(doc, 0), ==, "a1 a2");
    g_assert_cmpstr(text_of(doc, 1), ==, "b1 b2");
    g_assert_cmpstr(text_of(doc, 2), ==, "c1 c2");
    const ImpBlock *b = imp_document_get_block(doc, 1);
    g_assert_cmpuint(imp_block_get_line(b), ==, 4);
    g_assert_cmpuint(imp_block_get_line_at(b, 3), ==, 5);
    b = imp_document_get_block(doc, 2);
    g_assert_cmpuint(imp_block_get_line(b), ==, 7);
    g_assert_cmpuint(imp_block_get_line_at(b, 3), ==, 8);
}

static void test_trim_and_tabs(void)
{
    /* Indentation and trailing spaces go; tabs and spaces inside a line stay. */
    g_autoptr(ImpDocument) doc =
        read_ok("    Indented\tstart,  two spaces   \n\u3000\tnext line.\t \n", -1, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 1);
    g_assert_cmpstr(text_of(doc, 0), ==, "Indented\tstart,  two spaces next line.");
}

/* ------------------------------------------------------------------------------------
 * Joining
 * ------------------------------------------------------------------------------------ */

/* A sentence from the Debian Reference, Simplified Chinese translation (Debian package
 * debian-reference-zh-cn, /usr/share/debian-reference/ch01.zh-cn.html, section 1). */
#define ZH_SENTENCE "我认为学习一个计算机系统，就像学习一门新的外语。" \
                    "虽然教程和文档是有帮助的，但你必须自己练习。"

static void test_join_cjk(void)
{
    g_autoptr(ImpDocument) doc = read_ok("我认为学习一个计算机系统，\n"
                                         "  就像学习一门新的外语。\n"
                                         "虽然教程和文档是有帮助的\n"
                                         "，但你必须自己练习。\n",
                                         -1, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 1);
    g_assert_cmpstr(text_of(doc, 0), ==, ZH_SENTENCE);
    /* Kana join the same way. */
    g_autoptr(ImpDocument) ja = read_ok("これは\nテストです\n", -1, NULL, NULL);
    g_assert_cmpstr(text_of(ja, 0), ==, "これはテストです");
}

static void test_join_latin(void)
{
    g_autoptr(ImpDocument) doc =
        read_ok("The quick brown\n   fox jumps  \nover the lazy dog.\n", -1, NULL, NULL);
    g_assert_cmpstr(text_of(doc, 0), ==, "The quick brown fox jumps over the lazy dog.");
}

static void test_join_mixed(void)
{
    struct { const char *in, *out; } cases[] = {
        { "学习\nDebian 系统\n", "学习 Debian 系统" },   /* Han then Latin: space */
        { "Debian\n系统\n", "Debian 系统" },             /* Latin then Han: space */
        { "系统\n，对吧\n", "系统，对吧" },              /* Han then full-width comma */
        { "（注）\n文档\n", "（注）文档" },               /* full-width forms */
        { "2024 年\n3 月\n", "2024 年 3 月" },           /* digit after Han: space */
        { "한국어\n문장\n", "한국어 문장" },             /* Hangul: words are spaced */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        ImpDocument *doc = read_ok(cases[i].in, -1, NULL, NULL);
        g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 1);
        g_assert_cmpstr(text_of(doc, 0), ==, cases[i].out);
        imp_document_free(doc);
    }
}

/* ------------------------------------------------------------------------------------
 * Title
 * ------------------------------------------------------------------------------------ */

static void test_title(void)
{
    g_autoptr(ImpDocument) doc = read_ok("  A Short Title  \n\nBody text.\n", -1, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 2);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, 0), ==, "A Short Title");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "A Short Title");
    g_assert_cmpint(kind_of(doc, 1), ==, IMP_BLOCK_PARAGRAPH);

    /* 120 characters (CJK counted as one each) is still a title; 121 is not. */
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 119; i++)
        g_string_append(s, "x");
    g_string_append(s, "题\n\nBody.\n");
    ImpDocument *d120 = read_ok(s->str, -1, NULL, NULL);
    g_assert_cmpint(kind_of(d120, 0), ==, IMP_BLOCK_TITLE);
    imp_document_free(d120);
    g_string_prepend(s, "y");
    ImpDocument *d121 = read_ok(s->str, -1, NULL, NULL);
    g_assert_cmpint(kind_of(d121, 0), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_null(imp_document_get_meta(d121, IMP_META_TITLE));
    imp_document_free(d121);
    g_string_free(s, TRUE);

    /* Only the first paragraph can be the title. */
    g_autoptr(ImpDocument) two = read_ok("Line one\nline two\n\nShort\n", -1, NULL, NULL);
    g_assert_cmpint(kind_of(two, 0), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpint(kind_of(two, 1), ==, IMP_BLOCK_PARAGRAPH);
}

/* ------------------------------------------------------------------------------------
 * Site rules on the real clipping
 * ------------------------------------------------------------------------------------ */

static void test_speech(void)
{
    gsize len;
    char *data = load_speech(&len);
    ImpReadRules *rules = mofcom_rules();
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(data, (gssize)len, rules, d);

    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "MOFCOM");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE_EXTRA), ==, "简体中文版");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "Speeches");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SOURCE), ==,
                    "Source: Ministry of Commerce Website");
    const char *title = "Vice Minister Jiang delivered a speech at the symposium on cracking "
                        "down IPR infringement and manufacture and distribution of fake and "
                        "shoddy goods in online business";
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, title);

    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 1 + 4 + 3);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, 0), ==, title);
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(doc, 0)), ==, 4);
    for (guint i = 1; i <= 4; i++)
        g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_true(g_str_has_prefix(text_of(doc, 1),
                                   "To implement the spirit of the\u201cNational business"));
    g_assert_true(g_str_has_prefix(text_of(doc, 2), "Jiang pointed out that-it is necessary"));
    g_assert_true(g_str_has_prefix(text_of(doc, 3), "Jiang stressed that"));
    g_assert_true(g_str_has_prefix(text_of(doc, 4), "Attending the symposium were About 50"));
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(doc, 1)), ==, 8);

    g_assert_cmpint(kind_of(doc, 5), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpuint(imp_block_get_level(imp_document_get_block(doc, 5)), ==, 1);
    g_assert_cmpstr(text_of(doc, 5), ==,
                    "Ministry of Commerce Website Copyright and Disclaimer Statement");
    for (guint i = 6; i <= 7; i++) {
        g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_NOTICE);
        g_assert_cmpuint(imp_block_get_level(imp_document_get_block(doc, i)), ==, 0);
    }
    g_assert_true(g_str_has_prefix(text_of(doc, 6), "All articles marked with"));
    g_assert_true(g_str_has_prefix(text_of(doc, 7), "All articles posted on this website"));

    /* No chrome anywhere in the text; every dropped line is reported. */
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        g_assert_null(strstr(text_of(doc, i), "Release Comment"));
        g_assert_null(strstr(text_of(doc, i), "Medium-sized"));
        g_assert_null(strstr(text_of(doc, i), "简体中文版"));
    }
    g_assert_true(diags_have(d, "I 1 dropped masthead: MOFCOM | 简体中文版"));
    g_assert_true(diags_have(d, "I 2 dropped breadcrumb: Home> Speeches"));
    g_assert_true(diags_have(d, "I 16 dropped web chrome: Release Comment:Pen Name: "
                                "View Comment"));
    g_assert_true(diags_have(d, "I 18 dropped web chrome: Big Medium-sized Small"));
    g_assert_cmpuint(d->msgs->len, ==, 4);

    /* Characters in = characters out: the ink of the input is the ink of the blocks plus
     * the ink of the lines reported as dropped. */
    gsize in = count_ink(data, (gssize)len), out = 0, dropped = 0;
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++)
        out += count_ink(text_of(doc, i), -1);
    for (guint i = 0; i < d->msgs->len; i++) {
        const char *m = strstr(g_ptr_array_index(d->msgs, i), ": ");
        g_assert_nonnull(m);
        dropped += count_ink(m + 2, -1);
    }
    g_assert_cmpuint(in, ==, out + dropped);
    g_assert_cmpuint(out, >, 3000);

    diags_free(d);
    rules_free(rules);
    g_free(data);
}

/* The bundled speech with the mofcom site style (its reading rules as the style sheet
 * states them, loaded from styles/) reads exactly as it did before the plain-text signals
 * existed: the whole document, pinned by its checksum, is the same with every signal on
 * and with every signal off. */
static void test_speech_pinned(void)
{
    gsize len;
    char *data = load_speech(&len);
    const char *dir = g_getenv("IMP_SOURCE_DIR");
    char *styles = g_build_filename(dir != NULL ? dir : IMP_SOURCE_DIR, "styles", NULL);
    const char *dirs[] = { styles, NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load("mofcom", dirs, NULL, &error);
    g_assert_no_error(error);
    ImpReadRules rules = *imp_style_get_read_rules(style);
    rules.signals_off = 0;
    g_autoptr(ImpDocument) on = read_ok(data, (gssize)len, &rules, NULL);
    rules.signals_off = IMP_SIGNAL_HEADINGS | IMP_SIGNAL_PREFORMATTED | IMP_SIGNAL_LISTS |
                        IMP_SIGNAL_OPTIONS | IMP_SIGNAL_URLS;
    g_autoptr(ImpDocument) off = read_ok(data, (gssize)len, &rules, NULL);
    char *a = dump_document(on), *b = dump_document(off);
    g_assert_cmpstr(a, ==, b);
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, a, -1);
    /* computed by the reader before the signals (commit 099b6fd) */
    g_assert_cmpstr(sum, ==, "aef516183a8b8602b215be29f5ebb38bd2c623ccee8315c3868120b4fb4e429e");
    g_free(sum);
    g_free(a);
    g_free(b);
    imp_style_free(style);
    g_free(styles);
    g_free(data);
}

static void test_rules_synthetic(void)
{
    ImpReadRules *rules = mofcom_rules();
    /* The masthead without a site group falls back to rules->site. */
    g_regex_unref(rules->masthead);
    rules->masthead = re("^SITE NAME$");
    rules->site = "Fallback";
    Diags *d = diags_new();
    const char *in = "SITE NAME\n"
                     "A multi-line\n"
                     "headline\n"
                     "\n"
                     "Body one\n"
                     "Big Medium-sized Small\n"
                     "Body two\n"
                     "Home > Late breadcrumb is body text\n"
                     "\n"
                     "Ministry of Commerce Website Copyright and Disclaimer Statement\n"
                     "Notice text\n"
                     "Release Comment: x\n"
                     "More notice\n";
    g_autoptr(ImpDocument) doc = read_ok(in, -1, rules, d);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "Fallback");
    g_assert_null(imp_document_get_meta(doc, IMP_META_SITE_EXTRA));
    g_assert_null(imp_document_get_meta(doc, IMP_META_SECTION));
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 6);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, 0), ==, "A multi-line headline");
    /* A dropped chrome line ends its paragraph. */
    g_assert_cmpstr(text_of(doc, 1), ==, "Body one");
    g_assert_cmpstr(text_of(doc, 2), ==, "Body two Home > Late breadcrumb is body text");
    g_assert_cmpint(kind_of(doc, 3), ==, IMP_BLOCK_NOTICE);
    g_assert_cmpuint(imp_block_get_level(imp_document_get_block(doc, 3)), ==, 1);
    g_assert_cmpstr(text_of(doc, 4), ==, "Notice text");
    g_assert_cmpstr(text_of(doc, 5), ==, "More notice");
    g_assert_cmpint(kind_of(doc, 5), ==, IMP_BLOCK_NOTICE);
    g_assert_true(diags_have(d, "I 6 dropped web chrome: Big Medium-sized Small"));
    g_assert_true(diags_have(d, "I 12 dropped web chrome: Release Comment: x"));
    diags_free(d);

    /* Only chrome: nothing to typeset. */
    GError *error = NULL;
    const char *chrome_only = "Big Medium-sized Small\n\nRelease Comment:\n";
    ImpDocument *none =
        imp_read_text(chrome_only, strlen(chrome_only), "in.txt", rules, NULL, &error);
    g_assert_null(none);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    g_assert_nonnull(strstr(error->message, "no text to typeset"));
    g_clear_error(&error);

    /* Lines longer than the rule limit are never matched, so they are always kept. */
    ImpReadRules long_rules = { 0 };
    GRegex *chrome[] = { re("^x+$"), NULL };
    long_rules.chrome = chrome;
    char *long_line = g_strnfill(2000, 'x');
    char *both = g_strdup_printf("Title\n\nxxxx\n\n%s\n", long_line);
    g_autoptr(ImpDocument) kept = read_ok(both, -1, &long_rules, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(kept), ==, 2);
    g_assert_cmpstr(text_of(kept, 1), ==, long_line);
    g_free(both);
    g_free(long_line);
    g_regex_unref(chrome[0]);
    rules_free(rules);
}

/* ------------------------------------------------------------------------------------
 * Decoding and errors
 * ------------------------------------------------------------------------------------ */

static void test_invalid_utf8(void)
{
    char *msg = read_fail("Title\n\nline three \xff rest\n", -1);
    g_assert_cmpstr(msg, ==, "in.txt:3: invalid UTF-8 at byte offset 18"
                             "; if the text is in another encoding, name it with --encoding");
    g_free(msg);
    /* Offsets count from the start of the file, BOM included; CRLF is one line end. */
    msg = read_fail("\xef\xbb\xbf" "a\r\nb\xc3(", -1);
    g_assert_cmpstr(msg, ==, "in.txt:2: invalid UTF-8 at byte offset 7");
    g_free(msg);
    /* A truncated sequence at the end of the input. */
    msg = read_fail("abc\xe4\xb8", -1);
    g_assert_cmpstr(msg, ==, "in.txt:1: invalid UTF-8 at byte offset 3"
                             "; if the text is in another encoding, name it with --encoding");
    g_free(msg);
}

static void test_binary(void)
{
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    char *msg = read_fail(png, sizeof png - 1);
    g_assert_cmpstr(msg, ==, "in.txt: binary data, not text");
    g_free(msg);
    /* NUL bytes with invalid UTF-8 early, no known signature. */
    static const char blob[] = "\x01\x02\0\0\xfe\xfa\x80\0\x03";
    msg = read_fail(blob, sizeof blob - 1);
    g_assert_true(g_str_has_prefix(msg, "in.txt: binary data, not text"));
    g_free(msg);
    /* UTF-16 without a byte-order mark gets a hint. */
    static const char u16[] = "H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0\n\0";
    msg = read_fail(u16, sizeof u16 - 1);
    g_assert_nonnull(strstr(msg, "UTF-16"));
    g_free(msg);
}

static void test_empty(void)
{
    char *msg = read_fail("", 0);
    g_assert_cmpstr(msg, ==, "in.txt: no text to typeset (the input is empty)");
    g_free(msg);
    msg = read_fail("  \n\t\n\u3000\u00a0\r\n\n", -1);
    g_assert_true(g_str_has_prefix(msg, "in.txt: no text to typeset"));
    g_free(msg);
    msg = read_fail("\xef\xbb\xbf", -1);
    g_assert_cmpstr(msg, ==, "in.txt: no text to typeset (the input is empty)");
    g_free(msg);
    msg = read_fail("\f\n\f", -1);
    g_assert_true(g_str_has_prefix(msg, "in.txt: no text to typeset"));
    g_free(msg);

    /* A NULL filename reads as <input>. */
    GError *error = NULL;
    g_assert_null(imp_read_text("", 0, NULL, NULL, NULL, &error));
    g_assert_cmpstr(error->message, ==, "<input>: no text to typeset (the input is empty)");
    g_error_free(error);
}

static void test_bom(void)
{
    g_autoptr(ImpDocument) doc = read_ok("\xef\xbb\xbfTitle\n\nBody\n", -1, NULL, NULL);
    g_assert_cmpstr(text_of(doc, 0), ==, "Title");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "Title");
}

static void test_utf16(void)
{
    const char *utf8 = "Título 标题\r\n\r\n" ZH_SENTENCE "\r\nsecond line\r\n";
    const char *charsets[] = { "UTF-16LE", "UTF-16BE" };
    const char *boms[] = { "\xff\xfe", "\xfe\xff" };
    for (int i = 0; i < 2; i++) {
        gsize n;
        char *enc = g_convert(utf8, -1, charsets[i], "UTF-8", NULL, &n, NULL);
        g_assert_nonnull(enc);
        GString *in = g_string_new_len(boms[i], 2);
        g_string_append_len(in, enc, (gssize)n);
        ImpDocument *doc = read_ok(in->str, (gssize)in->len, NULL, NULL);
        g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 2);
        g_assert_cmpstr(text_of(doc, 0), ==, "Título 标题");
        g_assert_cmpstr(text_of(doc, 1), ==, ZH_SENTENCE " second line");
        g_assert_cmpuint(imp_block_get_line_at(imp_document_get_block(doc, 1),
                                               strlen(ZH_SENTENCE) + 1), ==, 4);
        g_assert_cmpuint(imp_block_get_line_at(imp_document_get_block(doc, 1), 70), ==, 3);
        imp_document_free(doc);
        /* An odd number of bytes cannot be UTF-16. */
        g_string_append_c(in, 'x');
        char *msg = read_fail(in->str, (gssize)in->len);
        g_assert_true(g_str_has_prefix(msg, "in.txt: invalid UTF-16"));
        g_free(msg);
        g_string_free(in, TRUE);
        g_free(enc);
    }
}

static void test_controls(void)
{
    static const char in[] = "Title\n\nHel\0lo\nwor\x07ld\xc2\x85!\x1b\x7f\n";
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(in, sizeof in - 1, NULL, d);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 2);
    g_assert_cmpstr(text_of(doc, 1), ==, "Hello world!");
    g_assert_true(diags_have(d, "W 3 dropped control character U+0000"));
    g_assert_true(diags_have(d, "W 4 dropped 4 control characters (the first U+0007)"));
    g_assert_cmpuint(d->msgs->len, ==, 2);
    diags_free(d);

    /* A flood of control characters is reported line by line up to a limit, then summed. */
    GString *flood = g_string_new("Title\n\n");
    for (int i = 0; i < 500; i++)
        g_string_append(flood, "x\x01y\n");
    d = diags_new();
    g_autoptr(ImpDocument) fdoc = read_ok(flood->str, (gssize)flood->len, NULL, d);
    g_assert_nonnull(fdoc);
    g_assert_cmpuint(d->msgs->len, ==, 101);
    g_assert_true(diags_have(d, "W 0 dropped 400 more control characters on 400 more lines"));
    diags_free(d);
    g_string_free(flood, TRUE);
}

static void test_form_feed(void)
{
    g_autoptr(ImpDocument) doc =
        read_ok("\fTitle\n\nPage one\ncontinues\f  page two\n\f\n\f\f\nPage three\n\f\n", -1,
                NULL, NULL);
    ImpBlockKind want[] = { IMP_BLOCK_TITLE, IMP_BLOCK_PARAGRAPH, IMP_BLOCK_PAGE_BREAK,
                            IMP_BLOCK_PARAGRAPH, IMP_BLOCK_PAGE_BREAK, IMP_BLOCK_PARAGRAPH };
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpint(kind_of(doc, i), ==, want[i]);
    g_assert_cmpstr(text_of(doc, 1), ==, "Page one continues");
    g_assert_cmpstr(text_of(doc, 3), ==, "page two");
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(doc, 3)), ==, 4);
    g_assert_cmpstr(text_of(doc, 5), ==, "Page three");
}

static void test_line_at(void)
{
    g_autoptr(ImpDocument) doc =
        read_ok("Title\n\nalpha\n  beta\ngamma\n\n\ndelta\n", -1, NULL, NULL);
    const ImpBlock *b = imp_document_get_block(doc, 1);
    g_assert_cmpstr(imp_block_get_text(b, NULL), ==, "alpha beta gamma");
    g_assert_cmpuint(imp_block_get_line(b), ==, 3);
    g_assert_cmpuint(imp_block_get_line_at(b, 0), ==, 3);  /* a */
    g_assert_cmpuint(imp_block_get_line_at(b, 4), ==, 3);  /* a */
    g_assert_cmpuint(imp_block_get_line_at(b, 6), ==, 4);  /* b */
    g_assert_cmpuint(imp_block_get_line_at(b, 9), ==, 4);  /* a */
    g_assert_cmpuint(imp_block_get_line_at(b, 11), ==, 5); /* g */
    g_assert_cmpuint(imp_block_get_line_at(b, 15), ==, 5);
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(doc, 2)), ==, 8);
}

/* ------------------------------------------------------------------------------------
 * Size
 * ------------------------------------------------------------------------------------ */

static void test_large(void)
{
    /* 50,000 one-line paragraphs. */
    GString *s = g_string_new("Title\n");
    for (int i = 0; i < 50000; i++)
        g_string_append_printf(s, "\nParagraph %d.\n", i);
    g_autoptr(ImpDocument) many = read_ok(s->str, (gssize)s->len, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(many), ==, 50001);
    g_assert_cmpstr(text_of(many, 50000), ==, "Paragraph 49999.");
    g_assert_cmpuint(imp_block_get_line(imp_document_get_block(many, 50000)), ==, 100001);

    /* A 5 MB line and a 5 MB paragraph of short lines. */
    g_string_truncate(s, 0);
    for (int i = 0; i < 500000; i++)
        g_string_append(s, "word word ");
    g_string_append_c(s, '\n');
    for (int i = 0; i < 500000; i++)
        g_string_append(s, "line 9 8\n");
    g_autoptr(ImpDocument) big = read_ok(s->str, (gssize)s->len, NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(big), ==, 1);
    gsize n;
    imp_block_get_text(imp_document_get_block(big, 0), &n);
    g_assert_cmpuint(n, ==, 5000000 - 1 + 1 + 500000 * 9 - 1);
    g_assert_cmpuint(imp_block_get_line_at(imp_document_get_block(big, 0), n - 1), ==, 500001);
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/read/paragraphs", test_paragraphs);
    g_test_add_func("/read/document-trim", test_document_trim);
    g_test_add_func("/read/limits", test_limits);
    g_test_add_func("/read/blank-lines", test_blank_lines);
    g_test_add_func("/read/line-endings", test_line_endings);
    g_test_add_func("/read/trim-and-tabs", test_trim_and_tabs);
    g_test_add_func("/read/join/cjk", test_join_cjk);
    g_test_add_func("/read/join/latin", test_join_latin);
    g_test_add_func("/read/join/mixed", test_join_mixed);
    g_test_add_func("/read/title", test_title);
    g_test_add_func("/read/rules/speech", test_speech);
    g_test_add_func("/read/rules/speech-pinned", test_speech_pinned);
    g_test_add_func("/read/rules/synthetic", test_rules_synthetic);
    g_test_add_func("/read/rules/notice-end", test_notice_end);
    g_test_add_func("/read/rules/masthead-section", test_masthead_with_section);
    g_test_add_func("/read/decode/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/read/decode/binary", test_binary);
    g_test_add_func("/read/decode/empty", test_empty);
    g_test_add_func("/read/decode/bom", test_bom);
    g_test_add_func("/read/decode/utf16", test_utf16);
    g_test_add_func("/read/controls", test_controls);
    g_test_add_func("/read/form-feed", test_form_feed);
    g_test_add_func("/read/line-at", test_line_at);
    g_test_add_func("/read/large", test_large);
    return g_test_run();
}
