/* test-markdown.c — the Markdown reader (src/read/markdown.c, frontmatter.c): each
 * construct's block, depths, flags, markers and spans; soft and hard breaks; entities;
 * raw HTML; tables; images; source lines; front matter; decoding, control characters,
 * form feeds and limits as the text reader has them; the bundled press release.
 *
 * Documents are compared through outline(): one line per block, "kind q.l text", with
 * '\n' in text shown as "\\n", so a test reads like the structure it expects.
 */
#include <string.h>

#include "read/read.h"
#include "util/error.h"
#include "util/file.h"

/* ------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------ */

static GPtrArray *msgs; /* "W|I LINE MESSAGE" of the last read */

static void collect(ImpDiagLevel level, const char *file, guint line, const char *message,
                    gpointer user_data)
{
    (void)user_data;
    g_assert_cmpstr(file, ==, "in.md");
    g_ptr_array_add(msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                          line, message));
}

static ImpDocument *read_md_len(const char *data, gsize len, GError **error)
{
    if (msgs != NULL)
        g_ptr_array_unref(msgs);
    msgs = g_ptr_array_new_with_free_func(g_free);
    ImpDiag diag = { collect, NULL };
    ImpReadOptions o = { .format = IMP_INPUT_MARKDOWN, .filename = "in.md", .diag = &diag };
    return imp_read(data, len, &o, error);
}

static ImpDocument *md(const char *data)
{
    GError *error = NULL;
    ImpDocument *doc = read_md_len(data, strlen(data), &error);
    g_assert_no_error(error);
    g_assert_nonnull(doc);
    return doc;
}

/* Reads input that must fail; returns the message (transfer full). */
static char *md_fail(const char *data, gssize len)
{
    GError *error = NULL;
    ImpDocument *doc = read_md_len(data, len < 0 ? strlen(data) : (gsize)len, &error);
    g_assert_null(doc);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    char *m = g_strdup(error->message);
    g_error_free(error);
    return m;
}

static gboolean have_msg(const char *m)
{
    for (guint i = 0; i < msgs->len; i++)
        if (strcmp(msgs->pdata[i], m) == 0)
            return TRUE;
    return FALSE;
}

static void assert_msg(const char *m)
{
    if (!have_msg(m)) {
        for (guint i = 0; i < msgs->len; i++)
            g_printerr("  got: %s\n", (char *)msgs->pdata[i]);
        g_error("expected message: %s", m);
    }
}

static const ImpBlock *blk(const ImpDocument *doc, guint i)
{
    return imp_document_get_block(doc, i);
}

static const char *text_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_text(blk(doc, i), NULL);
}

/* One line per block: "kind q.l text" (transfer full). */
static char *outline(const ImpDocument *doc)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = blk(doc, i);
        g_string_append_printf(s, "%s %u.%u ", imp_block_kind_name(imp_block_get_kind(b)),
                               imp_block_get_quote_depth(b), imp_block_get_list_depth(b));
        if (imp_block_get_marker(b) != NULL)
            g_string_append_printf(s, "[%s] ", imp_block_get_marker(b));
        for (const char *p = imp_block_get_text(b, NULL); *p != '\0'; p++) {
            if (*p == '\n')
                g_string_append(s, "\\n");
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

/* The n-th span of block i, which must exist. */
static const ImpSpan *span(const ImpDocument *doc, guint i, guint n)
{
    g_assert_cmpuint(imp_block_get_n_spans(blk(doc, i)), >, n);
    return imp_block_get_span(blk(doc, i), n);
}

/* The text a span covers (transfer full). */
static char *span_text(const ImpDocument *doc, guint i, guint n)
{
    const ImpSpan *s = span(doc, i, n);
    return g_strndup(text_of(doc, i) + s->start, s->end - s->start);
}

static void assert_span(const ImpDocument *doc, guint i, guint n, ImpSpanFlags flags,
                        const char *covered, const char *href)
{
    const ImpSpan *s = span(doc, i, n);
    g_assert_cmpuint(s->flags, ==, flags);
    char *t = span_text(doc, i, n);
    g_assert_cmpstr(t, ==, covered);
    g_free(t);
    g_assert_cmpstr(s->href, ==, href);
}

/* ------------------------------------------------------------------------------------
 * Headings and the title
 * ------------------------------------------------------------------------------------ */

static void test_headings(void)
{
    g_autoptr(ImpDocument) doc = md("Intro.\n\n# One\n## Two *em*\n### Three\n#### Four\n"
                                    "##### Five\n###### Six ######\n\nSetext\n======\n\n"
                                    "Second\n------\n");
    assert_outline(doc, "paragraph 0.0 Intro.\n"
                        "heading 0.0 One\nheading 0.0 Two em\nheading 0.0 Three\n"
                        "heading 0.0 Four\nheading 0.0 Five\nheading 0.0 Six\n"
                        "heading 0.0 Setext\nheading 0.0 Second\n");
    guint levels[] = { 1, 2, 3, 4, 5, 6, 1, 2 };
    for (guint i = 0; i < G_N_ELEMENTS(levels); i++)
        g_assert_cmpuint(imp_block_get_level(blk(doc, i + 1)), ==, levels[i]);
    assert_span(doc, 2, 0, IMP_SPAN_EMPHASIS, "em", NULL);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 1)), ==, 3);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 7)), ==, 10);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 8)), ==, 13);
    /* no title: the first block is a paragraph */
    g_assert_null(imp_document_get_meta(doc, IMP_META_TITLE));
}

/* GitHub's ids: lower case, punctuation dropped, spaces made '-', CJK kept, repeats
 * numbered; "section" when nothing is left. */
static void test_heading_ids(void)
{
    g_autoptr(ImpDocument) doc = md("Text.\n\n# Hello, World!\n# Hello, World!\n# hello-world-1\n"
                                    "# Hello World\n# 新闻稿：发布会\n# `code` and_under\n"
                                    "# ?!\n# Ünïcödé Straße\n");
    const char *want[] = { "hello-world", "hello-world-1", "hello-world-1-1", "hello-world-2",
                           "新闻稿发布会", "code-and_under", "section", "ünïcödé-straße" };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(imp_block_get_id(blk(doc, i + 1)), ==, want[i]);
}

/* The title: a front-matter title wins; else a level-1 heading that is the first block. */
static void test_title(void)
{
    g_autoptr(ImpDocument) a = md("# The *Title*\n\nBody.\n\n# Another\n");
    assert_outline(a, "title 0.0 The Title\nparagraph 0.0 Body.\nheading 0.0 Another\n");
    g_assert_cmpstr(imp_document_get_meta(a, IMP_META_TITLE), ==, "The Title");
    g_assert_cmpuint(imp_block_get_level(blk(a, 0)), ==, 1);
    g_assert_cmpstr(imp_block_get_id(blk(a, 0)), ==, "the-title");
    assert_span(a, 0, 0, IMP_SPAN_EMPHASIS, "Title", NULL);

    /* the title's metadata is one line */
    g_autoptr(ImpDocument) two = md("Two  \nlines\n===\n");
    assert_outline(two, "title 0.0 Two\\nlines\n");
    g_assert_cmpstr(imp_document_get_meta(two, IMP_META_TITLE), ==, "Two lines");

    /* a level-2 heading first, or a quote, is no title */
    g_autoptr(ImpDocument) b = md("## Sub\n\n# Later\n");
    assert_outline(b, "heading 0.0 Sub\nheading 0.0 Later\n");
    g_assert_null(imp_document_get_meta(b, IMP_META_TITLE));
    g_autoptr(ImpDocument) c = md("> # Quoted\n");
    assert_outline(c, "heading 1.0 Quoted\n");

    /* front matter: its title and subtitle are the first blocks; the heading stays one */
    g_autoptr(ImpDocument) d = md("---\ntitle: From YAML\nsubtitle: Sub\n---\n# Heading\n");
    assert_outline(d, "title 0.0 From YAML\nsubtitle 0.0 Sub\nheading 0.0 Heading\n");
    g_assert_cmpuint(imp_block_get_line(blk(d, 0)), ==, 2);
    g_assert_cmpuint(imp_block_get_line(blk(d, 1)), ==, 3);
    g_assert_cmpuint(imp_block_get_line(blk(d, 2)), ==, 5);

    /* a subtitle without a title follows the heading that is the title */
    g_autoptr(ImpDocument) e = md("---\nsubtitle: Sub\n---\n\n# Heading\n\nBody\n");
    assert_outline(e, "title 0.0 Heading\nsubtitle 0.0 Sub\nparagraph 0.0 Body\n");
}

/* ------------------------------------------------------------------------------------
 * Paragraphs, breaks, spans, entities
 * ------------------------------------------------------------------------------------ */

/* Soft breaks join as the text reader joins lines (a space, nothing between two CJK
 * characters); hard breaks are '\n'. */
static void test_breaks(void)
{
    g_autoptr(ImpDocument) doc =
        md("Para.\n\nThe quick brown\nfox jumps.\n\n我认为学习一个计算机系统，\n就像学习一门新的外语。\n\n"
           "学习\nDebian 系统\n\n한국어\n문장\n\nhard  \nbreak\\\nagain\n\n中文\n**粗体**\n");
    assert_outline(doc, "paragraph 0.0 Para.\n"
                        "paragraph 0.0 The quick brown fox jumps.\n"
                        "paragraph 0.0 我认为学习一个计算机系统，就像学习一门新的外语。\n"
                        "paragraph 0.0 学习 Debian 系统\n"
                        "paragraph 0.0 한국어 문장\n"
                        "paragraph 0.0 hard\\nbreak\\nagain\n"
                        "paragraph 0.0 中文粗体\n");
    assert_span(doc, 6, 0, IMP_SPAN_STRONG, "粗体", NULL);
    /* a space from a soft break goes before a span that starts the next line */
    g_autoptr(ImpDocument) s = md("one\n*two*\n");
    g_assert_cmpstr(text_of(s, 0), ==, "one two");
    assert_span(s, 0, 0, IMP_SPAN_EMPHASIS, "two", NULL);
}

static void test_spans(void)
{
    g_autoptr(ImpDocument) doc =
        md("Some *em* and **strong** and ~~gone~~ and `a  code` and ***both***, "
           "[a *link*](https://example.com/x?a=1&amp;b=2 \"Title\"), <https://auto.example>, "
           "www.example.org, mail@example.com and [local](#heading-id).\n");
    g_assert_cmpstr(text_of(doc, 0), ==,
                    "Some em and strong and gone and a  code and both, a link, "
                    "https://auto.example, www.example.org, mail@example.com and local.");
    assert_span(doc, 0, 0, IMP_SPAN_EMPHASIS, "em", NULL);
    assert_span(doc, 0, 1, IMP_SPAN_STRONG, "strong", NULL);
    assert_span(doc, 0, 2, IMP_SPAN_STRIKE, "gone", NULL);
    assert_span(doc, 0, 3, IMP_SPAN_CODE, "a  code", NULL);
    /* ***both***: two spans over the same text */
    g_assert_cmpuint(span(doc, 0, 4)->flags | span(doc, 0, 5)->flags, ==,
                     IMP_SPAN_EMPHASIS | IMP_SPAN_STRONG);
    assert_span(doc, 0, 6, IMP_SPAN_EMPHASIS, "link", NULL);
    assert_span(doc, 0, 7, IMP_SPAN_LINK, "a link", "https://example.com/x?a=1&b=2");
    assert_span(doc, 0, 8, IMP_SPAN_LINK, "https://auto.example", "https://auto.example");
    assert_span(doc, 0, 9, IMP_SPAN_LINK, "www.example.org", "http://www.example.org");
    assert_span(doc, 0, 10, IMP_SPAN_LINK, "mail@example.com", "mailto:mail@example.com");
    assert_span(doc, 0, 11, IMP_SPAN_LINK, "local", "#heading-id");
    g_assert_cmpuint(imp_block_get_n_spans(blk(doc, 0)), ==, 12);
    /* a link to nowhere is text */
    g_autoptr(ImpDocument) e = md("[text]() and [ref][x]\n\n[x]: /url\n");
    g_assert_cmpstr(text_of(e, 0), ==, "text and ref");
    g_assert_cmpuint(imp_block_get_n_spans(blk(e, 0)), ==, 1);
    assert_span(e, 0, 0, IMP_SPAN_LINK, "ref", "/url");
}

/* Named and numeric entities are decoded, unknown names stay as typed, escapes are
 * markup; code spans keep entities as typed. */
static void test_entities(void)
{
    g_autoptr(ImpDocument) doc =
        md("&copy; &mdash; &ngE; &#x4E2D;&#25991; &#0; &bogus; &amp;amp; \\*not em\\* `&amp;`\n");
    g_assert_cmpstr(text_of(doc, 0), ==,
                    "\u00a9 \u2014 \u2267\u0338 中文 \ufffd &bogus; &amp; *not em* &amp;");
    g_assert_cmpuint(msgs->len, ==, 0);
    /* a control character from an entity is dropped and reported, as in the input */
    g_autoptr(ImpDocument) c = md("bell&#7;here\n");
    g_assert_cmpstr(text_of(c, 0), ==, "bellhere");
    assert_msg("W 1 dropped control character U+0007");
}

/* Markup never reaches block text (document.h, invariant 1), except inside code. */
static void test_no_markup(void)
{
    g_autoptr(ImpDocument) doc =
        md("# *A* title\n\n> **Quoted** _text_ with [a link](http://x) and ~~strike~~\n\n"
           "- item with `code`\n- [ ] task\n\n1. one\n\n| a | *b* |\n|---|:---:|\n| [c](d) | e |\n");
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = blk(doc, i);
        const char *t = imp_block_get_text(b, NULL);
        g_assert_null(strpbrk(t, "*_[]()#>~`|"));
        for (guint r = 0; imp_block_get_kind(b) == IMP_BLOCK_TABLE &&
                          r < imp_table_get_n_rows(b); r++)
            for (guint c = 0; c < imp_table_get_n_cells(b, r); c++)
                g_assert_null(strpbrk(imp_block_get_text(imp_table_get_cell(b, r, c), NULL),
                                      "*_[]()#>~`|"));
    }
}

/* ------------------------------------------------------------------------------------
 * Quotes and lists
 * ------------------------------------------------------------------------------------ */

static void test_quotes(void)
{
    g_autoptr(ImpDocument) doc = md("> one\nlazy\n>\n> > two\n> > > three\n>\n> back\n\nout\n");
    assert_outline(doc, "paragraph 1.0 one lazy\nparagraph 2.0 two\nparagraph 3.0 three\n"
                        "paragraph 1.0 back\nparagraph 0.0 out\n");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 3)), ==, 7);
    /* deeper than the model holds: 255 */
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append(deep, "> ");
    g_string_append(deep, "deep\n");
    g_autoptr(ImpDocument) d = md(deep->str);
    g_assert_cmpuint(imp_block_get_quote_depth(blk(d, 0)), ==, 255);
    g_string_free(deep, TRUE);
}

static void test_lists(void)
{
    g_autoptr(ImpDocument) doc =
        md("- a\n- b\n  - b1\n    1. deep\n  - b2\n- c\n\n3. three\n4. four\n\n   more of four\n"
           "5. five\n\n1) paren\n\n* [ ] todo\n* [x] done\n* [X] Done\n\n> - in quote\n");
    assert_outline(doc, "list-item 0.1 [\u2022] a\n"
                        "list-item 0.1 [\u2022] b\n"
                        "list-item 0.2 [\u2022] b1\n"
                        "list-item 0.3 [1.] deep\n"
                        "list-item 0.2 [\u2022] b2\n"
                        "list-item 0.1 [\u2022] c\n"
                        "list-item 0.1 [3.] three\n"
                        "list-item 0.1 [4.] four\n"
                        "paragraph 0.1 more of four\n"
                        "list-item 0.1 [5.] five\n"
                        "list-item 0.1 [1)] paren\n"
                        "list-item 0.1 [\u2022] todo\n"
                        "list-item 0.1 [\u2022] done\n"
                        "list-item 0.1 [\u2022] Done\n"
                        "list-item 1.1 [\u2022] in quote\n");
    ImpBlockFlags S = IMP_BLOCK_FLAG_LIST_START, O = IMP_BLOCK_FLAG_ORDERED,
                  T = IMP_BLOCK_FLAG_TASK, D = IMP_BLOCK_FLAG_TASK_DONE;
    ImpBlockFlags want[] = { S, 0, S, S | O, 0, 0, S | O, O, 0, O, S | O, S | T, T | D, T | D, S };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpuint(imp_block_get_flags(blk(doc, i)), ==, want[i]);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 8)), ==, 11);
}

/* An item whose first block is not a paragraph, or that is empty, still has its
 * LIST_ITEM (with no text) to carry the marker. */
static void test_list_items_without_text(void)
{
    g_autoptr(ImpDocument) doc = md("- ```\n  code\n  ```\n-\n- > quoted\n- - nested\n- ***\n"
                                    "- # Head\n");
    assert_outline(doc, "list-item 0.1 [\u2022] \ncode 0.1 code\n"
                        "list-item 0.1 [\u2022] \n"
                        "list-item 0.1 [\u2022] \nparagraph 1.1 quoted\n"
                        "list-item 0.1 [\u2022] \nlist-item 0.2 [\u2022] nested\n"
                        "list-item 0.1 [\u2022] \nrule 0.1 \n"
                        "list-item 0.1 [\u2022] \nheading 0.1 Head\n");
    guint lines[] = { 1, 2, 4, 5, 5, 6, 6, 7, 7, 8, 8 };
    for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
        g_assert_cmpuint(imp_block_get_line(blk(doc, i)), ==, lines[i]);
}

/* ------------------------------------------------------------------------------------
 * Code, rules, raw HTML
 * ------------------------------------------------------------------------------------ */

static void test_code(void)
{
    g_autoptr(ImpDocument) doc =
        md("Text.\n\n```console title=\"x\"\n$ ls -l\n\tTAB\tinside  \n\n  two spaces\n```\n\n"
           "    indented\n    \tand tab\n\n~~~\n~~~\n\n- item\n\n  ```sh\n  \tin list\n  ```\n");
    assert_outline(doc, "paragraph 0.0 Text.\n"
                        "code 0.0 $ ls -l\\n\tTAB\tinside  \\n\\n  two spaces\n"
                        "code 0.0 indented\\n\tand tab\n"
                        "code 0.0 \n"
                        "list-item 0.1 [\u2022] item\n"
                        "code 0.1 \tin list\n");
    g_assert_cmpstr(imp_block_get_info(blk(doc, 1)), ==, "console title=\"x\"");
    g_assert_null(imp_block_get_info(blk(doc, 2)));
    g_assert_cmpstr(imp_block_get_info(blk(doc, 5)), ==, "sh");
    /* line of each code line */
    const ImpBlock *c = blk(doc, 1);
    g_assert_cmpuint(imp_block_get_line(c), ==, 4);
    g_assert_cmpuint(imp_block_get_line_at(c, 0), ==, 4);
    g_assert_cmpuint(imp_block_get_line_at(c, 9), ==, 5);
    g_assert_cmpuint(imp_block_get_line_at(c, strlen("$ ls -l\n\tTAB\tinside  \n\n  t")), ==, 7);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 2)), ==, 10);
    /* a tab that is partly indentation (2 columns of a list's content) becomes spaces, as
       CommonMark reads it */
    g_autoptr(ImpDocument) p = md("- a\n\n  ```\n\tx\n  ```\n");
    g_assert_cmpstr(text_of(p, 1), ==, "  x");
}

static void test_rules(void)
{
    g_autoptr(ImpDocument) doc = md("Above\n\n---\n\n* * *\n\n> ___\n\nBelow\n");
    assert_outline(doc, "paragraph 0.0 Above\nrule 0.0 \nrule 0.0 \nrule 1.0 \n"
                        "paragraph 0.0 Below\n");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 1)), ==, 3);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 2)), ==, 5);
    g_assert_cmpuint(imp_block_get_line(blk(doc, 3)), ==, 7);
    /* a setext underline is its heading's, not a rule */
    g_autoptr(ImpDocument) s = md("Intro\n\nHead\n---\n\n***\n");
    g_assert_cmpuint(imp_block_get_line(blk(s, 2)), ==, 6);
}

/* Raw HTML: a block is code as typed (a warning); comments are dropped (info); inline
 * <br> is a break; other inline tags are dropped with a warning, their text kept. */
static void test_html(void)
{
    g_autoptr(ImpDocument) doc =
        md("<div class=\"x\">\n  <p>Inside</p>\n</div>\n\n<!-- a note\nover lines -->\n\n"
           "E = mc<sup>2</sup><br>next<br/>line <!-- hidden --> end <span\nclass=\"y\">z</span>\n");
    assert_outline(doc, "code 0.0 <div class=\"x\">\\n  <p>Inside</p>\\n</div>\n"
                        "paragraph 0.0 E = mc2\\nnext\\nline  end z\n");
    g_assert_cmpstr(imp_block_get_info(blk(doc, 0)), ==, "html");
    assert_msg("W 1 raw HTML is set as code, as typed (imprint sets no HTML inside Markdown)");
    assert_msg("I 5 dropped HTML comment");
    assert_msg("W 8 dropped HTML tag <sup> (its text is kept; imprint sets no HTML inside "
               "Markdown)");
    assert_msg("I 8 dropped HTML comment");
    assert_msg("W 8 dropped HTML tag <span (its text is kept; imprint sets no HTML inside "
               "Markdown)");
    g_assert_cmpuint(msgs->len, ==, 7); /* also </sup> and </span> */
}

/* ------------------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------------------ */

static void test_tables(void)
{
    g_autoptr(ImpDocument) doc =
        md("Before\n\n| Left | Centre | Right | None |\n|:-----|:------:|------:|------|\n"
           "| *a* | `b|c` | [d](http://d) | 中文 |\n| short |\n| 1 | 2 | 3 | 4 | 5 extra | 6 |\n\n"
           "After\n");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 3);
    const ImpBlock *t = blk(doc, 1);
    g_assert_cmpint(imp_block_get_kind(t), ==, IMP_BLOCK_TABLE);
    g_assert_cmpuint(imp_block_get_line(t), ==, 3);
    g_assert_cmpuint(imp_table_get_n_columns(t), ==, 4);
    ImpCellAlign al[] = { IMP_CELL_ALIGN_LEFT, IMP_CELL_ALIGN_CENTER, IMP_CELL_ALIGN_RIGHT,
                          IMP_CELL_ALIGN_DEFAULT };
    for (guint c = 0; c < 4; c++)
        g_assert_cmpint(imp_table_get_align(t, c), ==, al[c]);
    g_assert_cmpuint(imp_table_get_n_rows(t), ==, 4);
    g_assert_true(imp_table_row_is_header(t, 0));
    g_assert_false(imp_table_row_is_header(t, 1));
    const char *want[4][4] = { { "Left", "Centre", "Right", "None" },
                               { "a", "b|c", "d", "中文" },
                               { "short", "", "", "" },
                               { "1", "2", "3", "4" } };
    guint lines[] = { 3, 5, 6, 7 };
    for (guint r = 0; r < 4; r++) {
        g_assert_cmpuint(imp_table_get_n_cells(t, r), ==, 4);
        for (guint c = 0; c < 4; c++) {
            const ImpBlock *cell = imp_table_get_cell(t, r, c);
            g_assert_cmpstr(imp_block_get_text(cell, NULL), ==, want[r][c]);
            if (want[r][c][0] != '\0')
                g_assert_cmpuint(imp_block_get_line(cell), ==, lines[r]);
        }
    }
    const ImpBlock *a = imp_table_get_cell(t, 1, 0), *d = imp_table_get_cell(t, 1, 2);
    g_assert_cmpuint(imp_block_get_span(a, 0)->flags, ==, IMP_SPAN_EMPHASIS);
    g_assert_cmpuint(imp_block_get_span(imp_table_get_cell(t, 1, 1), 0)->flags, ==,
                     IMP_SPAN_CODE);
    g_assert_cmpstr(imp_block_get_span(d, 0)->href, ==, "http://d");
    /* the cells md4c drops are reported with their text */
    assert_msg("W 7 table row has more cells than its header row (4); the text of the others "
               "is not set: 5 extra | 6");
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmpstr(text_of(doc, 2), ==, "After");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 2)), ==, 9);
}

/* ------------------------------------------------------------------------------------
 * Images
 * ------------------------------------------------------------------------------------ */

static void test_images(void)
{
    g_autoptr(ImpDocument) doc =
        md("![A *logo*](logo.png \"The &amp; logo\")\n\n"
           "Text before ![inline](in.png) and after.\n\n"
           "[![badge](b.svg)](https://ci.example)\n\n"
           "- item ![pic](p.jpg)\n\n"
           "| h |\n|---|\n| ![cell](c.png) |\n\n"
           "![](empty-alt.png)\n");
    assert_outline(doc, "image 0.0 A logo\n"
                        "paragraph 0.0 Text before and after.\n"
                        "image 0.0 inline\n"
                        "image 0.0 badge\n"
                        "list-item 0.1 [\u2022] item\n"
                        "image 0.1 pic\n"
                        "table 0.0 \n"
                        "image 0.0 \n");
    g_assert_cmpstr(imp_block_get_src(blk(doc, 0)), ==, "logo.png");
    g_assert_cmpstr(imp_block_get_title(blk(doc, 0)), ==, "The & logo");
    g_assert_cmpstr(imp_block_get_src(blk(doc, 2)), ==, "in.png");
    g_assert_null(imp_block_get_title(blk(doc, 2)));
    g_assert_cmpuint(imp_block_get_line(blk(doc, 2)), ==, 3);
    assert_span(doc, 3, 0, IMP_SPAN_LINK, "badge", "https://ci.example");
    g_assert_cmpstr(imp_block_get_src(blk(doc, 7)), ==, "empty-alt.png");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 7)), ==, 13);
    const ImpBlock *cell = imp_table_get_cell(blk(doc, 6), 1, 0);
    g_assert_cmpstr(imp_block_get_text(cell, NULL), ==, "cell");
    assert_msg("W 11 image c.png in a table cell is set as its alt text");
}

/* ------------------------------------------------------------------------------------
 * Source lines, decoding, control characters, form feeds, limits
 * ------------------------------------------------------------------------------------ */

static void test_lines(void)
{
    g_autoptr(ImpDocument) doc = md("First\r\nline **two\r\nthree**\r\n\r\n> q\r\n> r\r\n");
    const ImpBlock *b = blk(doc, 0);
    g_assert_cmpstr(imp_block_get_text(b, NULL), ==, "First line two three");
    g_assert_cmpuint(imp_block_get_line_at(b, 0), ==, 1);
    g_assert_cmpuint(imp_block_get_line_at(b, 6), ==, 2);
    g_assert_cmpuint(imp_block_get_line_at(b, 15), ==, 3);
    g_assert_cmpuint(imp_block_get_line_at(blk(doc, 1), 2), ==, 6);
    g_autoptr(ImpDocument) cr = md("a\rb\r\rc\r");
    g_assert_cmpuint(imp_block_get_line(blk(cr, 1)), ==, 4);
}

/* Decoding is the text reader's: the same errors with the same lines and offsets. */
static void test_decoding(void)
{
    char *m = md_fail("# Title\n\nline three \xff rest\n", -1);
    g_assert_cmpstr(m, ==, "in.md:3: invalid UTF-8 at byte offset 20; if the text is in "
                           "another encoding, name it with --encoding");
    g_free(m);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10";
    m = md_fail(png, sizeof png - 1);
    g_assert_cmpstr(m, ==, "in.md: binary data, not text");
    g_free(m);
    m = md_fail("", 0);
    g_assert_cmpstr(m, ==, "in.md: no text to typeset (the input is empty)");
    g_free(m);
    m = md_fail("<!-- only a comment -->\n\n[x]: /only-a-definition\n", -1);
    g_assert_true(g_str_has_prefix(m, "in.md: no text to typeset"));
    g_free(m);

    g_autoptr(ImpDocument) bom = md("\xef\xbb\xbf# Title\n");
    g_assert_cmpstr(imp_document_get_meta(bom, IMP_META_TITLE), ==, "Title");
    /* UTF-16 with a byte-order mark */
    gsize n;
    char *u16 = g_convert("# 标题\n\n*正文*\n", -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    GString *in = g_string_new_len("\xff\xfe", 2);
    g_string_append_len(in, u16, (gssize)n);
    GError *error = NULL;
    ImpDocument *d = read_md_len(in->str, in->len, &error);
    g_assert_no_error(error);
    assert_outline(d, "title 0.0 标题\nparagraph 0.0 正文\n");
    imp_document_free(d);
    g_string_free(in, TRUE);
    g_free(u16);
}

/* NUL and other control characters are dropped and reported per line, as in text. */
static void test_controls(void)
{
    static const char in[] = "# Ti\0tle\n\nHel\x01lo **wor\x07ld\xc2\x85**!\n";
    GError *error = NULL;
    ImpDocument *doc = read_md_len(in, sizeof in - 1, &error);
    g_assert_no_error(error);
    assert_outline(doc, "title 0.0 Title\nparagraph 0.0 Hello world!\n");
    assert_span(doc, 1, 0, IMP_SPAN_STRONG, "world", NULL);
    assert_msg("W 1 dropped control character U+0000");
    assert_msg("W 3 dropped 3 control characters (the first U+0001)");
    g_assert_cmpuint(msgs->len, ==, 2);
    imp_document_free(doc);
}

/* A form feed makes a page break before the next block (none before the first). */
static void test_form_feed(void)
{
    g_autoptr(ImpDocument) doc = md("\fOne\n\n\f\fTwo\nstill two\fthree\n\nFour\n\f");
    assert_outline(doc, "paragraph 0.0 One\npage-break 0.0 \nparagraph 0.0 Two still two three\n"
                        "page-break 0.0 \nparagraph 0.0 Four\n");
    g_assert_cmpuint(msgs->len, ==, 0);
}

static void test_limits(void)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < IMP_READ_MAX_PARAGRAPHS + 5; i++)
        g_string_append(s, "- a\n");
    char *m = md_fail(s->str, (gssize)s->len);
    g_assert_cmpstr(m, ==, "in.md:500001: too many paragraphs: imprint sets at most 500000 "
                           "in one document");
    g_free(m);
    /* table cells count */
    g_string_assign(s, "| a | b |\n|---|---|\n");
    for (guint i = 0; i < IMP_READ_MAX_PARAGRAPHS / 2 + 5; i++)
        g_string_append(s, "| x | y |\n");
    m = md_fail(s->str, (gssize)s->len);
    g_assert_true(g_str_has_prefix(m, "in.md:25000"));
    g_assert_nonnull(strstr(m, "too many paragraphs"));
    g_free(m);
    g_string_assign(s, "");
    for (guint i = 0; i < IMP_READ_MAX_PAGE_BREAKS + 5; i++)
        g_string_append(s, "x\n\f\n");
    m = md_fail(s->str, (gssize)s->len);
    g_assert_true(g_str_has_suffix(m, "too many page breaks: imprint sets at most 100000 in "
                                      "one document"));
    g_free(m);
    g_string_free(s, TRUE);
}

/* ------------------------------------------------------------------------------------
 * Front matter
 * ------------------------------------------------------------------------------------ */

static void test_front_matter(void)
{
    g_autoptr(ImpDocument) doc =
        md("---\ntitle: \"新闻稿：Press Release\"\nsubtitle: For release\n"
           "author:\n  - Li Lei\n  - Han Meimei\ndate: 2024-05-01\nlang: zh-Hans\n"
           "keywords: [trade, 贸易]\ndescription: >\n  A summary\n  over lines.\n"
           "url: https://example.com/pr\ntemplate: fancy\n...\n\nBody.\n");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "新闻稿：Press Release");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SUBTITLE), ==, "For release");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_AUTHOR), ==, "Li Lei, Han Meimei");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DATE), ==, "2024-05-01");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "zh-Hans");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_KEYWORDS), ==, "trade, 贸易");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DESCRIPTION), ==,
                    "A summary over lines.");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_URL), ==, "https://example.com/pr");
    assert_outline(doc, "title 0.0 新闻稿：Press Release\nsubtitle 0.0 For release\n"
                        "paragraph 0.0 Body.\n");
    g_assert_cmpuint(imp_block_get_line(blk(doc, 2)), ==, 17);
    assert_msg("I 14 front matter key 'template' is not a metadata name; not used");
    g_assert_cmpuint(msgs->len, ==, 1);

    /* author as one string; keywords as one string */
    g_autoptr(ImpDocument) one = md("---\nauthor: Jane Doe\nkeywords: a, b\n---\nx\n");
    g_assert_cmpstr(imp_document_get_meta(one, IMP_META_AUTHOR), ==, "Jane Doe");
    g_assert_cmpstr(imp_document_get_meta(one, IMP_META_KEYWORDS), ==, "a, b");
    assert_outline(one, "paragraph 0.0 x\n");

    /* values that cannot be metadata are reported and not used */
    g_autoptr(ImpDocument) odd =
        md("---\ntitle: {a: b}\nauthor: [A, [B], {c: d}, E]\ndate: *anchor\n"
           "subtitle: \"x\\ty\\0z\"\n---\nx\n");
    g_assert_null(imp_document_get_meta(odd, IMP_META_TITLE));
    g_assert_cmpstr(imp_document_get_meta(odd, IMP_META_AUTHOR), ==, "A, E");
    g_assert_null(imp_document_get_meta(odd, IMP_META_DATE));
    g_assert_cmpstr(imp_document_get_meta(odd, IMP_META_SUBTITLE), ==, "x yz");
    assert_msg("W 2 front matter title: a mapping is not a metadata value; not used");
    assert_msg("W 3 front matter author: only text is used in its list");
    assert_msg("W 4 front matter date: an alias (*name) is not used in metadata");
    assert_msg("W 5 front matter subtitle: dropped 1 control character or noncharacter");
}

static void test_front_matter_not(void)
{
    /* a rule then a setext heading: YAML that is not a mapping is Markdown */
    g_autoptr(ImpDocument) a = md("---\nJust a line\n---\n\nx\n");
    assert_outline(a, "rule 0.0 \nheading 0.0 Just a line\nparagraph 0.0 x\n");
    /* a blank line after the opening rule: Markdown */
    g_autoptr(ImpDocument) b = md("---\n\ntitle: x\n---\n");
    assert_outline(b, "rule 0.0 \nheading 0.0 title: x\n");
    /* never closed */
    g_autoptr(ImpDocument) c = md("---\ntitle: x\n");
    g_assert_null(imp_document_get_meta(c, IMP_META_TITLE));
    /* not at the very start */
    g_autoptr(ImpDocument) d = md("\n---\ntitle: x\n---\n");
    g_assert_null(imp_document_get_meta(d, IMP_META_TITLE));
}

static void test_front_matter_errors(void)
{
    char *m = md_fail("---\ntitle: ok\nauthor: [unclosed\ndate: x\n---\nBody\n", -1);
    g_assert_true(g_str_has_prefix(m, "in.md:4: front matter is not valid YAML: "));
    g_free(m);
    m = md_fail("---\ntitle: \"unterminated\n---\nBody\n", -1);
    g_assert_true(g_str_has_prefix(m, "in.md:"));
    g_assert_nonnull(strstr(m, "front matter is not valid YAML"));
    g_free(m);
    /* nesting: an error at once, however deep (libyaml's scanner slows with depth) */
    GString *s = g_string_new("---\nk: ");
    for (int i = 0; i < 1000000; i++)
        g_string_append_c(s, '[');
    g_string_append(s, "\n---\n");
    m = md_fail(s->str, (gssize)s->len);
    g_assert_cmpstr(m, ==, "in.md:2: front matter nests lists or mappings deeper than 64 "
                           "levels");
    g_free(m);
    g_string_free(s, TRUE);
}

/* ------------------------------------------------------------------------------------
 * The reader as a whole
 * ------------------------------------------------------------------------------------ */

/* .md and .markdown go to this reader through imp_read; --from text reads them as text. */
static void test_format(void)
{
    g_assert_cmpint(imp_input_format_guess("a/b/Notes.MD", NULL, 0), ==, IMP_INPUT_MARKDOWN);
    g_assert_cmpint(imp_input_format_guess("x.markdown", NULL, 0), ==, IMP_INPUT_MARKDOWN);
    ImpReadOptions o = { .format = IMP_INPUT_AUTO, .filename = "dir/in.md" };
    const char *in = "# T\n\n*x*\n";
    GError *error = NULL;
    g_autoptr(ImpDocument) doc = imp_read(in, strlen(in), &o, &error);
    g_assert_no_error(error);
    assert_outline(doc, "title 0.0 T\nparagraph 0.0 x\n");
    g_assert_cmpstr(imp_document_get_base_dir(doc), ==, "dir");
    o.format = IMP_INPUT_TEXT;
    g_autoptr(ImpDocument) txt = imp_read(in, strlen(in), &o, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(text_of(txt, 0), ==, "# T");
}

/* Text without Markdown syntax reads as the text reader reads it: the same paragraphs,
 * character for character (the bundled speech; its first paragraph is the text reader's
 * title, a paragraph here). */
static void test_plain_text_same(void)
{
    const char *dir = g_getenv("IMP_SOURCE_DIR");
    char *path = g_build_filename(dir != NULL ? dir : IMP_SOURCE_DIR, "examples",
                                  "speech.txt", NULL);
    char *data = NULL;
    gsize len;
    g_assert_true(imp_file_load(path, &data, &len, NULL));
    GError *error = NULL;
    ImpDocument *m = read_md_len(data, len, &error);
    g_assert_no_error(error);
    g_autoptr(ImpDocument) t = imp_read_text(data, len, "in.md", NULL, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(imp_document_get_n_blocks(m), ==, imp_document_get_n_blocks(t));
    for (guint i = 0; i < imp_document_get_n_blocks(t); i++) {
        g_assert_cmpstr(text_of(m, i), ==, text_of(t, i));
        g_assert_cmpuint(imp_block_get_line(blk(m, i)), ==, imp_block_get_line(blk(t, i)));
    }
    imp_document_free(m);
    g_free(data);
    g_free(path);
}

/* The bundled press release (examples/press-release.md) uses every construct: its
 * structure, its links (the "#anchor" ones lead to a heading's id), and no markup in any
 * text but code's. */
static void test_press_release(void)
{
    const char *dir = g_getenv("IMP_SOURCE_DIR");
    char *path = g_build_filename(dir != NULL ? dir : IMP_SOURCE_DIR, "examples",
                                  "press-release.md", NULL);
    char *data = NULL;
    gsize len;
    g_assert_true(imp_file_load(path, &data, &len, NULL));
    GError *error = NULL;
    ImpDocument *doc = read_md_len(data, len, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(msgs->len, ==, 0);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==,
                    "imprint 0.2 发布：Markdown 与结构识别");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_AUTHOR), ==,
                    "imprint 项目组, The imprint project");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "zh-Hans");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_KEYWORDS), ==,
                    "imprint, Markdown, 排版, typesetting, PDF");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DATE), ==, "2024-05-20");

    static const ImpBlockKind kinds[] = {
        IMP_BLOCK_TITLE, IMP_BLOCK_SUBTITLE, IMP_BLOCK_HEADING, IMP_BLOCK_PARAGRAPH,
        IMP_BLOCK_PARAGRAPH, IMP_BLOCK_HEADING, IMP_BLOCK_LIST_ITEM, IMP_BLOCK_LIST_ITEM,
        IMP_BLOCK_LIST_ITEM, IMP_BLOCK_LIST_ITEM, IMP_BLOCK_LIST_ITEM, IMP_BLOCK_LIST_ITEM,
        IMP_BLOCK_LIST_ITEM, IMP_BLOCK_HEADING, IMP_BLOCK_LIST_ITEM, IMP_BLOCK_LIST_ITEM,
        IMP_BLOCK_LIST_ITEM, IMP_BLOCK_HEADING, IMP_BLOCK_PARAGRAPH, IMP_BLOCK_PARAGRAPH,
        IMP_BLOCK_TABLE, IMP_BLOCK_IMAGE, IMP_BLOCK_HEADING, IMP_BLOCK_PARAGRAPH,
        IMP_BLOCK_CODE, IMP_BLOCK_RULE, IMP_BLOCK_PARAGRAPH,
    };
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, G_N_ELEMENTS(kinds));
    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
        g_assert_cmpint(imp_block_get_kind(blk(doc, i)), ==, kinds[i]);
    /* headings 1-3 with ids; nested lists to depth 3; a finished and an open task */
    g_assert_cmpuint(imp_block_get_level(blk(doc, 2)), ==, 1);
    g_assert_cmpuint(imp_block_get_level(blk(doc, 13)), ==, 3);
    g_assert_cmpstr(imp_block_get_id(blk(doc, 22)), ==, "下载-download");
    g_assert_cmpuint(imp_block_get_list_depth(blk(doc, 11)), ==, 3);
    g_assert_cmpstr(imp_block_get_marker(blk(doc, 8)), ==, "3.");
    g_assert_cmpuint(imp_block_get_flags(blk(doc, 14)), ==,
                     IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_TASK | IMP_BLOCK_FLAG_TASK_DONE);
    g_assert_cmpuint(imp_block_get_flags(blk(doc, 16)), ==, IMP_BLOCK_FLAG_TASK);
    g_assert_cmpuint(imp_block_get_quote_depth(blk(doc, 18)), ==, 1);
    g_assert_cmpuint(imp_block_get_quote_depth(blk(doc, 19)), ==, 2);
    g_assert_cmpstr(imp_block_get_info(blk(doc, 24)), ==, "console");
    g_assert_cmpstr(imp_block_get_src(blk(doc, 21)), ==, "press-release-chart.png");
    const ImpBlock *table = blk(doc, 20);
    g_assert_cmpuint(imp_table_get_n_rows(table), ==, 5);
    g_assert_cmpint(imp_table_get_align(table, 1), ==, IMP_CELL_ALIGN_RIGHT);
    /* the soft break inside Chinese text joins without a space */
    g_assert_nonnull(strstr(text_of(doc, 3), "新版本读取 Markdown 文件"));
    g_assert_nonnull(strstr(text_of(doc, 3), "都能排成合乎规范的 PDF"));

    /* every "#" link leads to a heading; no markup in any text but code's */
    guint anchors = 0;
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = blk(doc, i);
        for (guint k = 0; k < imp_block_get_n_spans(b); k++) {
            const ImpSpan *sp = imp_block_get_span(b, k);
            if (sp->href == NULL || sp->href[0] != '#')
                continue;
            gboolean found = FALSE;
            for (guint j = 0; j < imp_document_get_n_blocks(doc); j++)
                found |= g_strcmp0(imp_block_get_id(blk(doc, j)), sp->href + 1) == 0;
            g_assert_true(found);
            anchors++;
        }
        if (imp_block_get_kind(b) != IMP_BLOCK_CODE)
            g_assert_null(strpbrk(imp_block_get_text(b, NULL), "*_`[]#~|<>"));
    }
    g_assert_cmpuint(anchors, ==, 2);
    imp_document_free(doc);
    g_free(data);
    g_free(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/markdown/headings", test_headings);
    g_test_add_func("/markdown/heading-ids", test_heading_ids);
    g_test_add_func("/markdown/title", test_title);
    g_test_add_func("/markdown/breaks", test_breaks);
    g_test_add_func("/markdown/spans", test_spans);
    g_test_add_func("/markdown/entities", test_entities);
    g_test_add_func("/markdown/no-markup", test_no_markup);
    g_test_add_func("/markdown/quotes", test_quotes);
    g_test_add_func("/markdown/lists", test_lists);
    g_test_add_func("/markdown/list-items-without-text", test_list_items_without_text);
    g_test_add_func("/markdown/code", test_code);
    g_test_add_func("/markdown/rules", test_rules);
    g_test_add_func("/markdown/html", test_html);
    g_test_add_func("/markdown/tables", test_tables);
    g_test_add_func("/markdown/images", test_images);
    g_test_add_func("/markdown/lines", test_lines);
    g_test_add_func("/markdown/decoding", test_decoding);
    g_test_add_func("/markdown/controls", test_controls);
    g_test_add_func("/markdown/form-feed", test_form_feed);
    g_test_add_func("/markdown/limits", test_limits);
    g_test_add_func("/markdown/front-matter", test_front_matter);
    g_test_add_func("/markdown/front-matter-not", test_front_matter_not);
    g_test_add_func("/markdown/front-matter-errors", test_front_matter_errors);
    g_test_add_func("/markdown/format", test_format);
    g_test_add_func("/markdown/plain-text-same", test_plain_text_same);
    g_test_add_func("/markdown/press-release", test_press_release);
    int rc = g_test_run();
    if (msgs != NULL)
        g_ptr_array_unref(msgs);
    return rc;
}
