/* test-signals.c — structure found in plain text (text.c, signals.c): each signal on small
 * inputs, with the paragraphs that must not become headings or code; each signal switched
 * off; links over bare URLs; and real documents from Debian packages (numbered headings,
 * shell sessions, lists, a man page's sections and options), with their characters kept.
 *
 * Documents are compared through outline(): one line per block, "kind/level[flags] q.l
 * [marker] text", flags N (numbered), F (found), S (list start), O (ordered).
 */
#include <string.h>

#include "read/read.h"
#include "util/error.h"

static GPtrArray *msgs;

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    (void)file;
    (void)user_data;
    g_ptr_array_add(msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                          line, message));
}

static ImpDocument *read_with(const char *data, gsize len, ImpTextSignals off)
{
    if (msgs != NULL)
        g_ptr_array_unref(msgs);
    msgs = g_ptr_array_new_with_free_func(g_free);
    ImpDiag diag = { collect, NULL };
    ImpReadRules rules = { 0 };
    rules.signals_off = off;
    GError *error = NULL;
    ImpDocument *doc = imp_read_text(data, len, "in.txt", &rules, &diag, &error);
    g_assert_no_error(error);
    g_assert_nonnull(doc);
    return doc;
}

static ImpDocument *txt(const char *data)
{
    return read_with(data, strlen(data), 0);
}

static const ImpBlock *blk(const ImpDocument *doc, guint i)
{
    return imp_document_get_block(doc, i);
}

static const char *text_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_text(blk(doc, i), NULL);
}

static char *outline(const ImpDocument *doc)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = blk(doc, i);
        ImpBlockFlags f = imp_block_get_flags(b);
        g_string_append(s, imp_block_kind_name(imp_block_get_kind(b)));
        if (imp_block_get_level(b) > 0)
            g_string_append_printf(s, "/%u", imp_block_get_level(b));
        if (f != 0)
            g_string_append_printf(s, "[%s%s%s%s]", f & IMP_BLOCK_FLAG_NUMBERED ? "N" : "",
                                   f & IMP_BLOCK_FLAG_FOUND ? "F" : "",
                                   f & IMP_BLOCK_FLAG_LIST_START ? "S" : "",
                                   f & IMP_BLOCK_FLAG_ORDERED ? "O" : "");
        g_string_append_printf(s, " %u.%u ", imp_block_get_quote_depth(b),
                               imp_block_get_list_depth(b));
        if (imp_block_get_marker(b) != NULL)
            g_string_append_printf(s, "(%s) ", imp_block_get_marker(b));
        for (const char *p = imp_block_get_text(b, NULL); *p != '\0'; p++) {
            if (*p == '\n')
                g_string_append(s, "\\n");
            else if (*p == '\t')
                g_string_append(s, "\\t");
            else
                g_string_append_c(s, *p);
        }
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

static void assert_outline(const ImpDocument *doc, const char *want)
{
    char *got = outline(doc);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

/* ------------------------------------------------------------------------------------
 * Headings
 * ------------------------------------------------------------------------------------ */

static void test_numbered_headings(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\n1. Introduction\n\nText.\n\n1.2 Scope\n\n1.2.3. Deep\n\nA.1 Appendix part\n\n"
            "IV. Roman\n\n第三章 总则\n\n第 2 节 范围\n\n第1節 概要\n\n제1장 개요\n\n1장. 정의 및 개관\n\n"
            "一、总体要求\n\n（一）工作目标\n\nChapter 4 Tests\n\nSection 2.1: Scope\n\n"
            "Part II\n\nAppendix A. Notes\n\n1.1. 이 FAQ는 무엇인가요?\n\n"
            "1.1.2.\u00a0The shell prompt under GUI\n");
    assert_outline(doc,
                   "title 0.0 Title\n"
                   "heading/1[NF] 0.0 1. Introduction\n"
                   "paragraph 0.0 Text.\n"
                   "heading/2[NF] 0.0 1.2 Scope\n"
                   "heading/3[NF] 0.0 1.2.3. Deep\n"
                   "heading/2[NF] 0.0 A.1 Appendix part\n"
                   "heading/1[NF] 0.0 IV. Roman\n"
                   "heading/1[NF] 0.0 第三章 总则\n"
                   "heading/2[NF] 0.0 第 2 节 范围\n"
                   "heading/2[NF] 0.0 第1節 概要\n"
                   "heading/1[NF] 0.0 제1장 개요\n"
                   "heading/1[NF] 0.0 1장. 정의 및 개관\n"
                   "heading/1[NF] 0.0 一、总体要求\n"
                   "heading/2[NF] 0.0 （一）工作目标\n"
                   "heading/1[NF] 0.0 Chapter 4 Tests\n"
                   "heading/3[NF] 0.0 Section 2.1: Scope\n"
                   "heading/1[NF] 0.0 Part II\n"
                   "heading/1[NF] 0.0 Appendix A. Notes\n"
                   "heading/2[NF] 0.0 1.1. 이 FAQ는 무엇인가요?\n"
                   "heading/3[NF] 0.0 1.1.2.\u00a0The shell prompt under GUI\n");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 3)), ==, 7);
}

/* Paragraphs that look a little like headings and are not. */
static void test_not_headings(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\n"
            "1990年，我们开始了这项工作\n\n"              /* a year, not a section number */
            "1. 我们在这里工作了很多年。\n\n"             /* a numbered sentence */
            "Note:\n\n"                                  /* a short line ending with ':' */
            "3 apples\n\n"                               /* a number without a dot */
            "1.5 million people came\n\n"                /* a decimal */
            "2. Why would anyone do that?\n\n"           /* a one-level number and a '?' */
            "A short line\n\n"                           /* nothing numbers it */
            "1. This numbered line is far too long to be a heading, as headings go, so it is "
            "a paragraph instead of one, as it should be\n\n"
            "Chapter and verse are words\n\n"
            "第三者的意见\n");
    for (guint i = 1; i < imp_document_get_n_blocks(doc); i++)
        g_assert_cmpint(imp_block_get_kind(blk(doc, i)), !=, IMP_BLOCK_HEADING);
}

/* Underlines: '=' level 1, '-' level 2; the underline is dropped and reported. */
static void test_underlined(void)
{
    g_autoptr(ImpDocument) doc = txt("The Title\n=========\n\nText.\n\nScope\n-----\n\n"
                                     "Body\n\nNot a heading.\n---------------\n");
    assert_outline(doc, "title[F] 0.0 The Title\nparagraph 0.0 Text.\n"
                        "heading/2[F] 0.0 Scope\nparagraph 0.0 Body\n"
                        "paragraph 0.0 Not a heading. ---------------\n");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "The Title");
    g_assert_cmpstr(msgs->pdata[0], ==, "I 2 dropped heading underline: =========");
    g_assert_cmpstr(msgs->pdata[1], ==, "I 7 dropped heading underline: -----");
    g_assert_cmpuint(msgs->len, ==, 2);
}

/* Section names of a man page (its first line "NAME(1) ... NAME(1)"): at the margin
 * level 1, three columns in level 2, the text under them a paragraph of its own; names in
 * capitals to the left of the body in any text. */
static void test_man_sections(void)
{
    g_autoptr(ImpDocument) doc =
        txt("LS(1)                 User Commands                LS(1)\n\n"
            "NAME\n       ls - list directory contents\n\n"
            "描述\n       列出指定“文件”的信息。\n\n"
            "   退出状态：\n       0      表示正常，\n");
    assert_outline(doc, "title 0.0 LS(1)                 User Commands                LS(1)\n"
                        "heading/1[F] 0.0 NAME\nparagraph 0.0 ls - list directory contents\n"
                        "heading/1[F] 0.0 描述\nparagraph 0.0 列出指定“文件”的信息。\n"
                        "heading/2[F] 0.0 退出状态：\nparagraph 0.0 0      表示正常，\n");
    g_autoptr(ImpDocument) caps =
        txt("Title\n\nDESCRIPTION\n    The body is indented.\n\n    More body,\n    on three\n"
            "    lines.\n\nNOT HERE\n");
    assert_outline(caps, "title 0.0 Title\nheading/1[F] 0.0 DESCRIPTION\n"
                         "paragraph 0.0 The body is indented.\n"
                         "paragraph 0.0 More body, on three lines.\n"
                         "heading/1[F] 0.0 NOT HERE\n");
    /* capitals level with the body are not a heading */
    g_autoptr(ImpDocument) flat = txt("Title\n\nWARNING\n\nBody text here.\n");
    g_assert_cmpint(imp_block_get_kind(blk(flat, 1)), ==, IMP_BLOCK_PARAGRAPH);
}

/* ------------------------------------------------------------------------------------
 * Preformatted text
 * ------------------------------------------------------------------------------------ */

static void test_prompts(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\nRun this:\n\n$ ls -l /etc\ntotal 4\n-rw-r--r-- 1 root root\t12 x\n\n"
            "    # apt-get install mc\n     ...\n\n"
            "penguin@foo:~$ echo hi\nhi\n\n"
            ">>> print(1)\n1\n\n"
            "# Heading-like comment\n\n$ 5 million\n");
    assert_outline(doc, "title 0.0 Title\nparagraph 0.0 Run this:\n"
                        "code[F] 0.0 $ ls -l /etc\\ntotal 4\\n-rw-r--r-- 1 root root\\t12 x\n"
                        "code[F] 0.0 # apt-get install mc\\n ...\n"
                        "code[F] 0.0 penguin@foo:~$ echo hi\\nhi\n"
                        "code[F] 0.0 >>> print(1)\\n1\n"
                        "paragraph 0.0 # Heading-like comment\nparagraph 0.0 $ 5 million\n");
    g_assert_cmpstr(imp_block_get_info(blk(doc, 2)), ==, "console");
    const ImpBlock *c = blk(doc, 2);
    g_assert_cmpuint(imp_block_get_line_at(c, 0), ==, 5);
    g_assert_cmpuint(imp_block_get_line_at(c, strlen("$ ls -l /etc\ntot")), ==, 6);
    g_assert_cmpuint(imp_block_get_line_at(c, strlen("$ ls -l /etc\ntotal 4\n-r")), ==, 7);
}

/* Indented clearly deeper than the text around it, and not prose: code, its own
 * indentation as typed (less what its lines share). Prose stays prose: an indented verse,
 * a quotation, a definition's text. */
static void test_deep_indent(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\nTo install, run:\n\n        ./configure --prefix=/usr\n"
            "        make\n\t  make install\n\n"
            "The poem:\n\n    Shall I compare thee to a summer's day\n"
            "    Thou art more lovely and more temperate\n\n"
            "    床前明月光\n    疑是地上霜\n\n"
            "Free software:\n\n        Debian Social Contract says so.\n");
    assert_outline(doc, "title 0.0 Title\nparagraph 0.0 To install, run:\n"
                        "code[F] 0.0 ./configure --prefix=/usr\\nmake\\n  make install\n"
                        "paragraph 0.0 The poem:\n"
                        "paragraph 0.0 Shall I compare thee to a summer's day Thou art more "
                        "lovely and more temperate\n"
                        "paragraph 0.0 床前明月光疑是地上霜\n"
                        "paragraph 0.0 Free software:\n"
                        "paragraph 0.0 Debian Social Contract says so.\n");
    /* a tab's columns: "\t  make install" is 10 columns, 2 beyond the 8 stripped */
}

static void test_boxes_and_columns(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\n"
            "+--------+------+\n| name   | size |\n|--------+------|\n| mc     | 1482 |\n"
            "+--------+------+\n\n"
            "┌──────┐\n│ box  │\n└──────┘\n\n"
            "Ian     Murdock   August  1993\nBruce   Perens    April   1996\n"
            "Ian     Jackson   January 1998\n\n"
            "drwxr-xr-x  2 root root  4096 Jan  1 12:00 bin\n"
            "drwxr-xr-x  4 root root  4096 Mar 10 09:30 boot\n"
            "-rw-r--r--  1 root root   220 Jan  1 12:00 .profile\n\n"
            "Prose with a double space.  Then more words here and a\n"
            "second line of prose that goes on.  And more of it, as\n"
            "people typing on typewriters did.  It ends here.\n");
    guint n = imp_document_get_n_blocks(doc);
    g_assert_cmpuint(n, ==, 6);
    for (guint i = 1; i <= 4; i++) {
        g_assert_cmpint(imp_block_get_kind(blk(doc, i)), ==, IMP_BLOCK_CODE);
        g_assert_cmpuint(imp_block_get_flags(blk(doc, i)), ==, IMP_BLOCK_FLAG_FOUND);
    }
    g_assert_cmpstr(text_of(doc, 3), ==, "Ian     Murdock   August  1993\n"
                                         "Bruce   Perens    April   1996\n"
                                         "Ian     Jackson   January 1998");
    g_assert_cmpint(imp_block_get_kind(blk(doc, 5)), ==, IMP_BLOCK_PARAGRAPH);
}

/* ------------------------------------------------------------------------------------
 * Lists and options
 * ------------------------------------------------------------------------------------ */

/* Markers go to the marker, exactly as typed; the text after them to the text. */
static void test_lists(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\n"
            "- one\n- two\n  continues\n    - nested\n* star\n\n"
            "1. first\n2) second\n(a) third\n(12) fourth\nb) fifth\n\n"
            "  \u2022 bullet\n\n"
            "  \u2022 next after a blank line\n\n"
            "    a further paragraph of it\n\n"
            "Back to text.\n");
    assert_outline(doc, "title 0.0 Title\n"
                        "list-item[FS] 0.1 (-) one\n"
                        "list-item[F] 0.1 (-) two continues\n"
                        "list-item[FS] 0.2 (-) nested\n"
                        "list-item[F] 0.1 (*) star\n"
                        "list-item[FSO] 0.1 (1.) first\n"
                        "list-item[FO] 0.1 (2)) second\n"
                        "list-item[FO] 0.1 ((a)) third\n"
                        "list-item[FO] 0.1 ((12)) fourth\n"
                        "list-item[FO] 0.1 (b)) fifth\n"
                        "list-item[FS] 0.1 (\u2022) bullet\n"
                        "list-item[F] 0.1 (\u2022) next after a blank line\n"
                        "paragraph[F] 0.1 a further paragraph of it\n"
                        "paragraph 0.0 Back to text.\n");
    /* numbered items one a paragraph: the second continues the list, it is no heading */
    g_autoptr(ImpDocument) two = txt("Title\n\n1. Buy milk and eggs.\n\n2. Buy bread\n");
    assert_outline(two, "title 0.0 Title\nlist-item[FSO] 0.1 (1.) Buy milk and eggs.\n"
                        "list-item[FO] 0.1 (2.) Buy bread\n");
}

static void test_options(void)
{
    g_autoptr(ImpDocument) doc =
        txt("LS(1)            User Commands           LS(1)\n\n"
            "       -a, --all\n              do not ignore entries starting with .\n\n"
            "       -l     use a long listing format\n              and more of it\n\n"
            "              a second paragraph of -l\n\n"
            "       --zero end each output line with NUL\n\n"
            "       --author\n\n"
            "       Back to text at the body's indentation.\n");
    assert_outline(doc, "title 0.0 LS(1)            User Commands           LS(1)\n"
                        "term[F] 0.0 -a, --all\n"
                        "definition[F] 0.0 do not ignore entries starting with .\n"
                        "term[F] 0.0 -l\n"
                        "definition[F] 0.0 use a long listing format and more of it\n"
                        "definition[F] 0.0 a second paragraph of -l\n"
                        "term[F] 0.0 --zero\n"
                        "definition[F] 0.0 end each output line with NUL\n"
                        "term[F] 0.0 --author\n"
                        "paragraph 0.0 Back to text at the body's indentation.\n");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 4)), ==, 6);
}

/* ------------------------------------------------------------------------------------
 * Links and switches
 * ------------------------------------------------------------------------------------ */

static void assert_link(const ImpDocument *doc, guint i, guint n, const char *covered,
                        const char *href)
{
    const ImpBlock *b = blk(doc, i);
    g_assert_cmpuint(imp_block_get_n_spans(b), >, n);
    const ImpSpan *s = imp_block_get_span(b, n);
    g_assert_cmpuint(s->flags, ==, IMP_SPAN_LINK);
    char *t = g_strndup(text_of(doc, i) + s->start, s->end - s->start);
    g_assert_cmpstr(t, ==, covered);
    g_assert_cmpstr(s->href, ==, href);
    g_free(t);
}

static void test_urls(void)
{
    g_autoptr(ImpDocument) doc =
        txt("Title\n\nSee https://www.debian.org/social_contract#guidelines. Or "
            "(https://example.com/a_(b)) and www.example.org, mailto:a@b.org;\n"
            "ftp://ftp.debian.org/x 详见https://例子.中国 和 http://a.cn/路径。 Not www. or "
            "http:// alone, nor xhttp://no.\n\n$ curl https://in.code/\n");
    const ImpBlock *b = blk(doc, 1);
    assert_link(doc, 1, 0, "https://www.debian.org/social_contract#guidelines",
                "https://www.debian.org/social_contract#guidelines");
    assert_link(doc, 1, 1, "https://example.com/a_(b)", "https://example.com/a_(b)");
    assert_link(doc, 1, 2, "www.example.org", "http://www.example.org");
    assert_link(doc, 1, 3, "mailto:a@b.org", "mailto:a@b.org");
    assert_link(doc, 1, 4, "ftp://ftp.debian.org/x", "ftp://ftp.debian.org/x");
    assert_link(doc, 1, 5, "http://a.cn/", "http://a.cn/");
    g_assert_cmpuint(imp_block_get_n_spans(b), ==, 6);
    g_assert_cmpuint(imp_block_get_n_spans(blk(doc, 2)), ==, 0); /* code */
}

/* Each signal is switched off by its own bit; with all off, the text reader of before. */
static void test_switches(void)
{
    const char *in = "Title\n\n1. Introduction\n\n$ ls\n\n- item\n\n-v, --verbose\n    talk\n\n"
                     "See https://x.org now\n";
    g_autoptr(ImpDocument) on = txt(in);
    assert_outline(on, "title 0.0 Title\nheading/1[NF] 0.0 1. Introduction\ncode[F] 0.0 $ ls\n"
                       "list-item[FS] 0.1 (-) item\nterm[F] 0.0 -v, --verbose\n"
                       "definition[F] 0.0 talk\nparagraph 0.0 See https://x.org now\n");
    g_assert_cmpuint(imp_block_get_n_spans(blk(on, 6)), ==, 1);
    g_autoptr(ImpDocument) h = read_with(in, strlen(in), IMP_SIGNAL_HEADINGS);
    g_assert_cmpint(imp_block_get_kind(blk(h, 1)), ==, IMP_BLOCK_LIST_ITEM);
    g_autoptr(ImpDocument) h2 = read_with(in, strlen(in), IMP_SIGNAL_HEADINGS | IMP_SIGNAL_LISTS);
    g_assert_cmpint(imp_block_get_kind(blk(h2, 1)), ==, IMP_BLOCK_PARAGRAPH);
    g_autoptr(ImpDocument) p = read_with(in, strlen(in), IMP_SIGNAL_PREFORMATTED);
    g_assert_cmpint(imp_block_get_kind(blk(p, 2)), ==, IMP_BLOCK_PARAGRAPH);
    g_autoptr(ImpDocument) l = read_with(in, strlen(in), IMP_SIGNAL_LISTS);
    g_assert_cmpint(imp_block_get_kind(blk(l, 3)), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(l, 3), ==, "- item");
    g_autoptr(ImpDocument) o = read_with(in, strlen(in), IMP_SIGNAL_OPTIONS);
    g_assert_cmpint(imp_block_get_kind(blk(o, 4)), ==, IMP_BLOCK_PARAGRAPH);
    g_autoptr(ImpDocument) u = read_with(in, strlen(in), IMP_SIGNAL_URLS);
    g_assert_cmpuint(imp_block_get_n_spans(blk(u, 6)), ==, 0);
    ImpTextSignals all = IMP_SIGNAL_HEADINGS | IMP_SIGNAL_PREFORMATTED | IMP_SIGNAL_LISTS |
                         IMP_SIGNAL_OPTIONS | IMP_SIGNAL_URLS;
    g_autoptr(ImpDocument) none = read_with(in, strlen(in), all);
    assert_outline(none, "title 0.0 Title\nparagraph 0.0 1. Introduction\nparagraph 0.0 $ ls\n"
                         "paragraph 0.0 - item\nparagraph 0.0 -v, --verbose talk\n"
                         "paragraph 0.0 See https://x.org now\n");
}

/* ------------------------------------------------------------------------------------
 * Real documents
 * ------------------------------------------------------------------------------------ */

/* The output of a shell command (transfer full); the test fails when it does. */
static char *run(const char *cmd, gsize *len)
{
    char *out = NULL;
    gint status = 0;
    GError *error = NULL;
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    *len = strlen(out);
    g_assert_cmpuint(*len, >, 1000);
    return out;
}

typedef struct {
    guint blocks[IMP_N_BLOCK_KINDS];
    guint levels[7];
    guint max_list_depth;
} Counts;

static Counts count(const ImpDocument *doc)
{
    Counts c = { { 0 }, { 0 }, 0 };
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = blk(doc, i);
        c.blocks[imp_block_get_kind(b)]++;
        if (imp_block_get_kind(b) == IMP_BLOCK_HEADING)
            c.levels[MIN(imp_block_get_level(b), 6)]++;
        c.max_list_depth = MAX(c.max_list_depth, imp_block_get_list_depth(b));
    }
    return c;
}

/* Non-white-space characters of s. */
static gsize ink(const char *s, gssize len)
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

/* The signals change no character: the ink of the input is the ink of the blocks'
 * texts and markers and of the underlines reported as dropped. */
static void assert_characters_kept(const char *in, gsize len, const ImpDocument *doc)
{
    gsize out = 0;
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        out += ink(text_of(doc, i), -1);
        if (imp_block_get_marker(blk(doc, i)) != NULL)
            out += ink(imp_block_get_marker(blk(doc, i)), -1);
    }
    for (guint i = 0; i < msgs->len; i++) {
        const char *m = strstr(msgs->pdata[i], "dropped heading underline: ");
        if (m != NULL)
            out += ink(m + strlen("dropped heading underline: "), -1);
    }
    g_assert_cmpuint(ink(in, (gssize)len), ==, out);
}

/* A block of kind `kind` whose text is `text` exists. */
static gboolean has_block(const ImpDocument *doc, ImpBlockKind kind, const char *text)
{
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++)
        if (imp_block_get_kind(blk(doc, i)) == kind && strcmp(text_of(doc, i), text) == 0)
            return TRUE;
    return FALSE;
}

/* The Debian Reference in English (package debian-reference-en, as w3m renders its
 * DocBook: headings at the margin, numbered "1.1.2." with a no-break space, the body
 * indented four columns, shell sessions with "$ " and "# " prompts, ASCII tables, bullet
 * lists with nested "+" items). */
static void test_debian_reference_en(void)
{
    gsize len;
    char *in = run("zcat /usr/share/debian-reference/debian-reference.en.txt.gz", &len);
    g_autoptr(ImpDocument) doc = read_with(in, len, 0);
    Counts c = count(doc);
    /* 12 chapters, an appendix and 5 sections of the preface; 444 numbered sections
       below them (4 of which wrap over two lines) */
    g_assert_cmpuint(c.blocks[IMP_BLOCK_HEADING], ==, 462);
    g_assert_cmpuint(c.levels[1], ==, 18);
    g_assert_cmpuint(c.levels[2], ==, 95);
    g_assert_cmpuint(c.levels[3], ==, 343);
    g_assert_cmpuint(c.levels[4], ==, 6);
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "Chapter\u00a01.\u00a0GNU/Linux tutorials"));
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING,
                            "9.6.14.\u00a0Expansion of usable storage space by mounting "
                            "another partition"));
    /* shell sessions and tables are code, lines kept as typed */
    g_assert_cmpuint(c.blocks[IMP_BLOCK_CODE], >=, 390);
    g_assert_true(has_block(doc, IMP_BLOCK_CODE,
                            "# apt-get update\n ...\n# apt-get install mc vim sudo aptitude\n ..."));
    g_assert_true(has_block(doc, IMP_BLOCK_CODE, "# shutdown -h now"));
    g_assert_true(has_block(doc, IMP_BLOCK_LIST_ITEM,
                            "This does not preserve the environment of the current user."));
    g_assert_cmpuint(c.max_list_depth, >=, 2);
    assert_characters_kept(in, len, doc);
    g_free(in);
}

/* The same in Simplified Chinese (debian-reference-zh-cn): "第 1 章" chapters, "附录". */
static void test_debian_reference_zh(void)
{
    gsize len;
    char *in = run("zcat /usr/share/debian-reference/debian-reference.zh-cn.txt.gz", &len);
    g_autoptr(ImpDocument) doc = read_with(in, len, 0);
    Counts c = count(doc);
    g_assert_cmpuint(c.blocks[IMP_BLOCK_HEADING], ==, 467);
    g_assert_cmpuint(c.levels[1], ==, 18);
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "第\u00a01\u00a0章\u00a0GNU/Linux 教程"));
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "1.1.2.\u00a0GUI 下的 shell 提示符"));
    g_assert_true(has_block(doc, IMP_BLOCK_CODE, "# chvt 3"));
    g_assert_true(has_block(doc, IMP_BLOCK_LIST_ITEM, "读、写和删除系统上的任何文件，不顾它们的文件权限"));
    assert_characters_kept(in, len, doc);
    g_free(in);
}

/* The Debian FAQ in Korean (debian-faq, /usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz):
 * "1장." chapters, question headings ending in '?', some wrapped over two lines. */
static void test_debian_faq_ko(void)
{
    gsize len;
    char *in = run("zcat /usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz", &len);
    g_autoptr(ImpDocument) doc = read_with(in, len, 0);
    Counts c = count(doc);
    g_assert_cmpuint(c.blocks[IMP_BLOCK_HEADING], ==, 162);
    g_assert_cmpuint(c.levels[1], ==, 16);
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "1장. 정의 및 개관"));
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "1.1. 이 FAQ는 무엇인가요?"));
    g_assert_true(has_block(doc, IMP_BLOCK_CODE, "# apt-get build-dep foo\n# apt-get source --build foo"));
    assert_characters_kept(in, len, doc);
    g_free(in);
}

/* ls(1) in Simplified Chinese (manpages-zh), rendered with groff and col -b as man does:
 * its sections, and its options as terms and definitions. */
static void test_man_page_zh(void)
{
    gsize len;
    char *in = run("zcat /usr/share/man/zh_CN/man1/ls.1.gz | preconv -e UTF-8 | "
                   "groff -Tutf8 -mandoc -rLL=80n | col -b", &len);
    g_autoptr(ImpDocument) doc = read_with(in, len, 0);
    Counts c = count(doc);
    g_assert_cmpuint(c.blocks[IMP_BLOCK_HEADING], ==, 9);
    g_assert_cmpuint(c.blocks[IMP_BLOCK_TERM], ==, 60);
    g_assert_cmpuint(c.blocks[IMP_BLOCK_DEFINITION], >=, 60);
    g_assert_true(has_block(doc, IMP_BLOCK_HEADING, "名称"));
    g_assert_true(has_block(doc, IMP_BLOCK_TERM, "-a, --all"));
    g_assert_true(has_block(doc, IMP_BLOCK_DEFINITION, "不要忽略以点号（“.”）起始的条目"));
    g_assert_true(has_block(doc, IMP_BLOCK_TERM, "--zero"));
    assert_characters_kept(in, len, doc);
    g_free(in);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/signals/headings/numbered", test_numbered_headings);
    g_test_add_func("/signals/headings/not", test_not_headings);
    g_test_add_func("/signals/headings/underlined", test_underlined);
    g_test_add_func("/signals/headings/man", test_man_sections);
    g_test_add_func("/signals/code/prompts", test_prompts);
    g_test_add_func("/signals/code/deep-indent", test_deep_indent);
    g_test_add_func("/signals/code/boxes-and-columns", test_boxes_and_columns);
    g_test_add_func("/signals/lists", test_lists);
    g_test_add_func("/signals/options", test_options);
    g_test_add_func("/signals/urls", test_urls);
    g_test_add_func("/signals/switches", test_switches);
    g_test_add_func("/signals/real/debian-reference-en", test_debian_reference_en);
    g_test_add_func("/signals/real/debian-reference-zh-cn", test_debian_reference_zh);
    g_test_add_func("/signals/real/debian-faq-ko", test_debian_faq_ko);
    g_test_add_func("/signals/real/man-ls-zh", test_man_page_zh);
    int rc = g_test_run();
    if (msgs != NULL)
        g_ptr_array_unref(msgs);
    return rc;
}
