/* test-encoding.c — decoding an input (src/read/encoding.c): real Chinese, Japanese and
 * Korean texts from Debian's documentation converted with iconv to GB18030, Big5,
 * Shift_JIS, EUC-JP and EUC-KR read back as their UTF-8 originals, detected and named;
 * windows-1252; the labels' decoders; byte-order marks; and the messages for what cannot
 * be decoded or told.
 */
#include <string.h>

#include "read/encoding.h"
#include "read/read.h"
#include "util/error.h"

typedef struct {
    GPtrArray *msgs;
} Diags;

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    (void)file;
    Diags *d = user_data;
    g_ptr_array_add(d->msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                             line, message));
}

static gboolean diags_have(const Diags *d, const char *text)
{
    for (guint i = 0; i < d->msgs->len; i++)
        if (strcmp(d->msgs->pdata[i], text) == 0)
            return TRUE;
    return FALSE;
}

/* Reads text with imp_read (format text), the encoding given or NULL. */
static ImpDocument *read_text(const char *data, gsize len, const char *encoding, Diags *d,
                              GError **error)
{
    ImpDiag diag = { collect, d };
    ImpReadOptions o = { 0 };
    o.format = IMP_INPUT_TEXT;
    o.filename = "in.txt";
    o.encoding = encoding;
    o.diag = d != NULL ? &diag : NULL;
    return imp_read(data, len, &o, error);
}

static char *read_fail(const char *data, gssize len, const char *encoding)
{
    GError *error = NULL;
    ImpDocument *doc = read_text(data, len < 0 ? strlen(data) : (gsize)len, encoding, NULL,
                                 &error);
    g_assert_null(doc);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

static void assert_same_text(const ImpDocument *a, const ImpDocument *b)
{
    g_assert_cmpuint(imp_document_get_n_blocks(a), ==, imp_document_get_n_blocks(b));
    for (guint i = 0; i < imp_document_get_n_blocks(a); i++) {
        const ImpBlock *x = imp_document_get_block(a, i), *y = imp_document_get_block(b, i);
        g_assert_cmpint(imp_block_get_kind(x), ==, imp_block_get_kind(y));
        g_assert_cmpstr(imp_block_get_text(x, NULL), ==, imp_block_get_text(y, NULL));
        g_assert_cmpuint(imp_block_get_line(x), ==, imp_block_get_line(y));
    }
}

/* ------------------------------------------------------------------------------------
 * Real texts
 * ------------------------------------------------------------------------------------ */

typedef struct {
    const char *gz;        /* the text, from its Debian package */
    const char *package;
    const char *encoding;  /* what iconv converts it to */
    const char *named;     /* how the detection names it */
} RealText;

static const RealText real_texts[] = {
    { "/usr/share/debian-reference/debian-reference.zh-cn.txt.gz", "debian-reference-zh-cn",
      "GB18030", "GB18030" },
    { "/usr/share/debian-reference/debian-reference.zh-cn.txt.gz", "debian-reference-zh-cn",
      "GBK", "GB18030" },
    { "/usr/share/debian-reference/debian-reference.zh-tw.txt.gz", "debian-reference-zh-tw",
      "BIG5", "Big5" },
    { "/usr/share/debian-reference/debian-reference.ja.txt.gz", "debian-reference-ja",
      "SHIFT_JIS", "Shift_JIS" },
    { "/usr/share/debian-reference/debian-reference.ja.txt.gz", "debian-reference-ja",
      "EUC-JP", "EUC-JP" },
    { "/usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz", "debian-faq-ko", "EUC-KR", "EUC-KR" },
};

/* An excerpt of the text: from its 600th line on, the lines that hold non-ASCII text and
 * that iconv can write in `encoding`, paragraphs kept apart, about 6 KB (transfer full). */
static char *excerpt(const RealText *t)
{
    char *argv[] = { "zcat", (char *)t->gz, NULL };
    char *out = NULL;
    GError *error = NULL;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, &out, NULL, NULL, &error))
        g_error("zcat %s: %s", t->gz, error->message);
    char **lines = g_strsplit(out, "\n", -1);
    GString *s = g_string_new(NULL);
    guint n = 0;
    gboolean gap = FALSE;
    for (char **l = lines; *l != NULL && s->len < 6000; l++, n++) {
        if (n < 600)
            continue;
        gboolean wide = FALSE;
        for (const char *p = *l; *p != '\0' && !wide; p++)
            wide = (guchar)*p >= 0x80;
        char *conv = wide ? g_convert(*l, -1, t->encoding, "UTF-8", NULL, NULL, NULL) : NULL;
        if (conv == NULL) {
            gap = TRUE;  /* a line left out ends the paragraph */
            continue;
        }
        g_free(conv);
        if (gap && s->len > 0)
            g_string_append_c(s, '\n');
        gap = FALSE;
        g_string_append(s, *l);
        g_string_append_c(s, '\n');
    }
    g_strfreev(lines);
    g_free(out);
    return g_string_free(s, FALSE);
}

static void test_real_text(gconstpointer data)
{
    const RealText *t = data;
    if (!g_file_test(t->gz, G_FILE_TEST_EXISTS)) {
        char *why = g_strdup_printf("%s is not installed (package %s)", t->gz, t->package);
        g_test_skip(why);
        g_free(why);
        return;
    }
    char *utf8 = excerpt(t);
    g_assert_cmpuint(strlen(utf8), >, 4000);
    gsize n;
    char *legacy = g_convert(utf8, -1, t->encoding, "UTF-8", NULL, &n, NULL);
    g_assert_nonnull(legacy);
    g_assert_false(g_utf8_validate(legacy, (gssize)n, NULL));

    GError *error = NULL;
    g_autoptr(ImpDocument) want = read_text(utf8, strlen(utf8), NULL, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(imp_document_get_n_blocks(want), >, 5);

    /* detected, and said */
    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(ImpDocument) detected = read_text(legacy, n, NULL, &d, &error);
    g_assert_no_error(error);
    char *said = g_strdup_printf("I 0 encoding: %s (detected)", t->named);
    g_assert_true(diags_have(&d, said));
    assert_same_text(want, detected);

    /* named with --encoding (the iconv name) */
    g_ptr_array_set_size(d.msgs, 0);
    g_autoptr(ImpDocument) given = read_text(legacy, n, t->encoding, &d, &error);
    g_assert_no_error(error);
    char *said2 = g_strdup_printf("I 0 encoding: %s (--encoding %s)", t->named, t->encoding);
    g_assert_true(diags_have(&d, said2));
    assert_same_text(want, given);

    /* the same text as a saved page, declared or not */
    char *page = g_strdup_printf("<html><head><meta charset=\"%s\"></head><body><pre>%s</pre>"
                                 "</body></html>", t->encoding, utf8);
    char *page2 = g_strdup_printf("<html><body><pre>%s</pre></body></html>", utf8);
    for (guint k = 0; k < 2; k++) {
        gsize pn;
        char *lp = g_convert(k == 0 ? page : page2, -1, t->encoding, "UTF-8", NULL, &pn, NULL);
        ImpReadOptions o = { 0 };
        o.format = IMP_INPUT_HTML;
        o.filename = "in.html";
        g_autoptr(ImpDocument) doc = imp_read(lp, pn, &o, &error);
        g_assert_no_error(error);
        /* <pre> keeps the text as typed, less the line end after <pre> and the blank end */
        char *typed = g_strdup(utf8);
        g_strchomp(typed);
        g_assert_cmpstr(imp_block_get_text(imp_document_get_block(doc, 0), NULL), ==, typed);
        g_free(typed);
        g_free(lp);
    }

    g_free(page);
    g_free(page2);
    g_free(said);
    g_free(said2);
    g_ptr_array_unref(d.msgs);
    g_free(legacy);
    g_free(utf8);
}

/* ------------------------------------------------------------------------------------
 * Rules and messages
 * ------------------------------------------------------------------------------------ */

static void test_decoders(void)
{
    struct { const char *label, *decoder; } cases[] = {
        { "gb2312", "GB18030" }, { "GBK", "GB18030" }, { "x-gbk", "GB18030" },
        { "Big5", "BIG5-HKSCS" }, { "Shift_JIS", "CP932" }, { "shift-jis", "CP932" },
        { "SJIS", "CP932" }, { "euc-jp", "EUC-JP" }, { "EUC-KR", "CP949" },
        { "ks_c_5601-1987", "CP949" }, { "ISO-8859-1", "WINDOWS-1252" },
        { "us-ascii", "WINDOWS-1252" }, { "utf8", "UTF-8" }, { "KOI8-R", "KOI8-R" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpstr(imp__encoding_decoder(cases[i].label), ==, cases[i].decoder);
}

static void test_latin(void)
{
    /* windows-1252 text: accents inside words, typographic quotes around them */
    const char *text = "Cr\xe8me br\xfbl\xe9" "e\n\nLe caf\xe9 est \x93tr\xe8s\x94 bon, "
                       "na\xefve fa\xe7" "ade \x96 d\xe9j\xe0 vu.\n";
    Diags d = { g_ptr_array_new_with_free_func(g_free) };
    GError *error = NULL;
    g_autoptr(ImpDocument) doc = read_text(text, strlen(text), NULL, &d, &error);
    g_assert_no_error(error);
    g_assert_true(diags_have(&d, "I 0 encoding: windows-1252 (detected)"));
    g_assert_cmpstr(imp_block_get_text(imp_document_get_block(doc, 0), NULL), ==,
                    "Crème brûlée");
    g_assert_cmpstr(imp_block_get_text(imp_document_get_block(doc, 1), NULL), ==,
                    "Le café est “très” bon, naïve façade – déjà vu.");
    g_ptr_array_unref(d.msgs);
}

static void test_refused(void)
{
    const char *hint = "; if the text is in another encoding, name it with --encoding";
    /* a stray byte between spaces: damage, not an encoding */
    char *msg = read_fail("good line\nsecond \377 line\n", -1, NULL);
    char *want = g_strconcat("in.txt:2: invalid UTF-8 at byte offset 17", hint, NULL);
    g_assert_cmpstr(msg, ==, want);
    g_free(msg);
    g_free(want);
    /* UTF-8 Chinese with one bad byte: broken UTF-8, not another encoding */
    msg = read_fail("中文的文本。\n第二行也是中文，\xff坏了。\n", -1, NULL);
    want = g_strconcat("in.txt:2: invalid UTF-8 at byte offset 43", hint, NULL);
    g_assert_cmpstr(msg, ==, want);
    g_free(msg);
    g_free(want);
    /* a cut-off character at the end */
    msg = read_fail("ab\n中文\xe4\xb8", -1, NULL);
    g_assert_true(g_str_has_prefix(msg, "in.txt:2: invalid UTF-8 at byte offset 9;"));
    g_free(msg);

    /* the encoding given does not fit: line and offset of the first bad byte */
    gsize n;
    char *sjis = g_convert("日本語の文章です。\nもう一行。\n", -1, "SHIFT_JIS", "UTF-8", NULL, &n,
                           NULL);
    GString *bad = g_string_new_len(sjis, (gssize)n);
    g_string_append(bad, "\x82");  /* a lead byte at the end */
    msg = read_fail(bad->str, (gssize)bad->len, "EUC-JP");
    g_assert_cmpstr(msg, ==, "in.txt:1: invalid EUC-JP at byte offset 1 (the encoding "
                             "--encoding names)");
    g_free(msg);
    msg = read_fail(bad->str, (gssize)bad->len, "SHIFT_JIS");
    g_assert_cmpstr(msg, ==, "in.txt:3: invalid Shift_JIS at byte offset 30 (the encoding "
                             "--encoding names)");
    g_free(msg);
    g_string_free(bad, TRUE);
    g_free(sjis);
    /* an encoding iconv does not know */
    msg = read_fail("text", -1, "X-NO-SUCH");
    g_assert_cmpstr(msg, ==, "in.txt: unknown encoding 'X-NO-SUCH' (`iconv -l` lists the names "
                             "--encoding takes)");
    g_free(msg);
}

static void test_bom_and_backslash(void)
{
    /* a byte-order mark outranks --encoding */
    GError *error = NULL;
    const char *text = "\xef\xbb\xbf中文 text\n";
    g_autoptr(ImpDocument) doc = read_text(text, strlen(text), "GB18030", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_block_get_text(imp_document_get_block(doc, 0), NULL), ==, "中文 text");
    /* Shift_JIS is read as Windows-31J: 0x5C is a backslash, 0x7E a tilde */
    gsize n;
    char *sjis = g_convert("パス C:\\Users\\ユーザー と ~/home のファイル。\n", -1, "CP932",
                           "UTF-8", NULL, &n, NULL);
    g_autoptr(ImpDocument) doc2 = read_text(sjis, n, "Shift_JIS", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(imp_block_get_text(imp_document_get_block(doc2, 0), NULL), ==,
                    "パス C:\\Users\\ユーザー と ~/home のファイル。");
    g_free(sjis);
    /* the decoded text of a UTF-16 input with a BOM */
    gsize len;
    char *owned = NULL;
    const char *t = imp__decode_input("\xff\xfe" "a\0b\0", 6, "x", NULL, IMP_ENCODING_GIVEN,
                                      NULL, &len, &owned, &error);
    g_assert_no_error(error);
    g_assert_cmpmem(t, len, "ab", 2);
    g_free(owned);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/encoding/decoders", test_decoders);
    g_test_add_func("/encoding/latin", test_latin);
    g_test_add_func("/encoding/refused", test_refused);
    g_test_add_func("/encoding/bom-and-backslash", test_bom_and_backslash);
    for (guint i = 0; i < G_N_ELEMENTS(real_texts); i++) {
        char *name = g_strdup_printf("/encoding/real/%s/%s", real_texts[i].package,
                                     real_texts[i].encoding);
        g_test_add_data_func(name, &real_texts[i], test_real_text);
        g_free(name);
    }
    return g_test_run();
}
