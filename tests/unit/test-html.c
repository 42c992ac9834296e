/* test-html.c — the HTML reader: elements onto the model, white space, metadata, the
 * generic reading's article and drops, site rules (XPath and the text-line rules), the
 * MOFCOM speech as a saved page (UTF-8 and GBK) against the text clipping, declared and
 * detected encodings, source lines, bad and hostile pages, and real saved pages from
 * Debian's documentation packages in Chinese, Japanese, Korean and English.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "read/read.h"
#include "style/style.h"
#include "util/error.h"

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
    g_assert_nonnull(file);
    g_assert_true(g_utf8_validate(message, -1, NULL));
    g_ptr_array_add(d->msgs, g_strdup_printf("%c %u %s", level == IMP_DIAG_WARNING ? 'W' : 'I',
                                             line, message));
}

static Diags *diags_new(void)
{
    Diags *d = g_new0(Diags, 1);
    d->msgs = g_ptr_array_new_with_free_func(g_free);
    return d;
}

static void diags_free(Diags *d)
{
    if (d == NULL)
        return;
    g_ptr_array_unref(d->msgs);
    g_free(d);
}

/* Whether a message starts with `prefix`. */
static gboolean diags_have(const Diags *d, const char *prefix)
{
    for (guint i = 0; i < d->msgs->len; i++)
        if (g_str_has_prefix(d->msgs->pdata[i], prefix))
            return TRUE;
    return FALSE;
}

static guint diags_count(const Diags *d, char level)
{
    guint n = 0;
    for (guint i = 0; i < d->msgs->len; i++)
        n += ((const char *)d->msgs->pdata[i])[0] == level;
    return n;
}

static void diags_print(const Diags *d)
{
    for (guint i = 0; i < d->msgs->len; i++)
        g_test_message("%s", (const char *)d->msgs->pdata[i]);
}

static ImpDocument *read_html_full(const char *data, gssize len, const char *name,
                                   const ImpReadRules *rules, const char *encoding, Diags *d,
                                   GError **error)
{
    ImpDiag diag = { collect, d };
    ImpReadOptions o = { 0 };
    o.format = IMP_INPUT_HTML;
    o.filename = name;
    o.rules = rules;
    o.encoding = encoding;
    o.diag = d != NULL ? &diag : NULL;
    return imp_read(data, len < 0 ? strlen(data) : (gsize)len, &o, error);
}

static ImpDocument *read_ok(const char *html, const ImpReadRules *rules, Diags *d)
{
    GError *error = NULL;
    ImpDocument *doc = read_html_full(html, -1, "in.html", rules, NULL, d, &error);
    g_assert_no_error(error);
    g_assert_nonnull(doc);
    return doc;
}

static char *read_fail(const char *html, gssize len)
{
    GError *error = NULL;
    ImpDocument *doc = read_html_full(html, len, "in.html", NULL, NULL, NULL, &error);
    g_assert_null(doc);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

static const ImpBlock *block(const ImpDocument *doc, guint i)
{
    g_assert_cmpuint(i, <, imp_document_get_n_blocks(doc));
    return imp_document_get_block(doc, i);
}

static const char *text_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_text(block(doc, i), NULL);
}

static ImpBlockKind kind_of(const ImpDocument *doc, guint i)
{
    return imp_block_get_kind(block(doc, i));
}

/* The span of block b over exactly `text` with `flags` among its flags, or NULL. */
static const ImpSpan *span_over(const ImpBlock *b, const char *text, ImpSpanFlags flags)
{
    gsize len;
    const char *t = imp_block_get_text(b, &len);
    const char *at = strstr(t, text);
    g_assert_nonnull(at);
    gsize start = (gsize)(at - t), end = start + strlen(text);
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *s = imp_block_get_span(b, i);
        if (s->start == start && s->end == end && (s->flags & flags) == flags)
            return s;
    }
    return NULL;
}

/* Removes all white space (ASCII, U+00A0, U+3000 and the other Unicode spaces). */
static char *squeeze(const char *s)
{
    GString *out = g_string_new(NULL);
    for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isspace(c) && c != 0x00A0 && c != 0x3000 && c != 0x200B && c != 0xFEFF)
            g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

/* All text of a document in order: blocks, table cells, image alt texts. */
static char *document_text(const ImpDocument *doc)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = imp_document_get_block(doc, i);
        g_string_append(s, imp_block_get_text(b, NULL));
        g_string_append_c(s, '\n');
        if (imp_block_get_kind(b) != IMP_BLOCK_TABLE)
            continue;
        for (guint r = 0; r < imp_table_get_n_rows(b); r++)
            for (guint c = 0; c < imp_table_get_n_cells(b, r); c++) {
                g_string_append(s, imp_block_get_text(imp_table_get_cell(b, r, c), NULL));
                g_string_append_c(s, '\n');
            }
    }
    return g_string_free(s, FALSE);
}

static char *load(const char *path, gsize *len)
{
    char *data = NULL;
    GError *error = NULL;
    if (!g_file_get_contents(path, &data, len, &error))
        g_error("%s", error->message);
    return data;
}

static char *source_path(const char *rel)
{
    return g_build_filename(IMP_SOURCE_DIR, rel, NULL);
}

/* ------------------------------------------------------------------------------------
 * Elements onto the model
 * ------------------------------------------------------------------------------------ */

static void test_structure(void)
{
    const char *html =
        "<!DOCTYPE html><html lang=\"en\"><body><main>\n"
        "<h1 id=\"top\">The Title</h1>\n"                                       /* 2 */
        "<p>First <em>para</em>graph, <strong>bold</strong>, <s>gone</s>, "
        "<kbd>Ctrl</kbd>.</p>\n"                                                /* 3 */
        "<h2><a id=\"sec\"></a>1.2. Numbered</h2>\n"                            /* 4 */
        "<ul><li>one</li><li><p>two</p><p>two again</p><ul><li>nested</li></ul></li>"
        "<li><input type=\"checkbox\" checked> done</li><li><input type=checkbox> todo</li>"
        "</ul>\n"                                                               /* 5 */
        "<ol start=\"3\"><li>three</li><li>four</li></ol>\n"                    /* 6 */
        "<ol type=\"i\" reversed><li>x</li><li>y</li></ol>\n"                   /* 7 */
        "<blockquote><p>Quoted.</p><blockquote>Deeper.</blockquote></blockquote>\n"
        "<pre class=\"language-c\">\nint main(void)\n{\n\treturn 0;  \n}\n\n</pre>\n"
        "<hr>\n"
        "<dl><dt>Term</dt><dd>Definition</dd></dl>\n"
        "<p>Line one<br>line two<br></p>\n"
        "</main></body></html>\n";
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, NULL);
    guint i = 0;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, i), ==, "The Title");
    g_assert_cmpstr(imp_block_get_id(block(doc, i)), ==, "top");
    g_assert_cmpuint(imp_block_get_line(block(doc, i)), ==, 2);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "The Title");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "en");

    i++;
    const ImpBlock *p = block(doc, i);
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, i), ==, "First paragraph, bold, gone, Ctrl.");
    g_assert_nonnull(span_over(p, "para", IMP_SPAN_EMPHASIS));
    g_assert_nonnull(span_over(p, "bold", IMP_SPAN_STRONG));
    g_assert_nonnull(span_over(p, "gone", IMP_SPAN_STRIKE));
    g_assert_nonnull(span_over(p, "Ctrl", IMP_SPAN_CODE));

    i++;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_HEADING);
    g_assert_cmpuint(imp_block_get_level(block(doc, i)), ==, 2);
    g_assert_cmpstr(text_of(doc, i), ==, "1.2. Numbered");
    g_assert_cmpstr(imp_block_get_id(block(doc, i)), ==, "sec");
    g_assert_true(imp_block_get_flags(block(doc, i)) & IMP_BLOCK_FLAG_NUMBERED);

    /* lists: items, continuation, nesting, tasks */
    struct {
        const char *text;
        ImpBlockKind kind;
        guint depth;
        const char *marker;
        guint flags;
    } want[] = {
        { "one", IMP_BLOCK_LIST_ITEM, 1, "•", IMP_BLOCK_FLAG_LIST_START },
        { "two", IMP_BLOCK_LIST_ITEM, 1, "•", 0 },
        { "two again", IMP_BLOCK_PARAGRAPH, 1, NULL, 0 },
        { "nested", IMP_BLOCK_LIST_ITEM, 2, "◦", IMP_BLOCK_FLAG_LIST_START },
        { "done", IMP_BLOCK_LIST_ITEM, 1, "•", IMP_BLOCK_FLAG_TASK | IMP_BLOCK_FLAG_TASK_DONE },
        { "todo", IMP_BLOCK_LIST_ITEM, 1, "•", IMP_BLOCK_FLAG_TASK },
        { "three", IMP_BLOCK_LIST_ITEM, 1, "3.",
          IMP_BLOCK_FLAG_ORDERED | IMP_BLOCK_FLAG_LIST_START },
        { "four", IMP_BLOCK_LIST_ITEM, 1, "4.", IMP_BLOCK_FLAG_ORDERED },
        { "x", IMP_BLOCK_LIST_ITEM, 1, "ii.", IMP_BLOCK_FLAG_ORDERED | IMP_BLOCK_FLAG_LIST_START },
        { "y", IMP_BLOCK_LIST_ITEM, 1, "i.", IMP_BLOCK_FLAG_ORDERED },
    };
    for (guint k = 0; k < G_N_ELEMENTS(want); k++) {
        i++;
        const ImpBlock *b = block(doc, i);
        g_assert_cmpstr(text_of(doc, i), ==, want[k].text);
        g_assert_cmpint(kind_of(doc, i), ==, want[k].kind);
        g_assert_cmpuint(imp_block_get_list_depth(b), ==, want[k].depth);
        g_assert_cmpstr(imp_block_get_marker(b), ==, want[k].marker);
        g_assert_cmpuint(imp_block_get_flags(b), ==, want[k].flags);
    }

    i++;
    g_assert_cmpstr(text_of(doc, i), ==, "Quoted.");
    g_assert_cmpuint(imp_block_get_quote_depth(block(doc, i)), ==, 1);
    g_assert_cmpuint(imp_block_get_list_depth(block(doc, i)), ==, 0);
    i++;
    g_assert_cmpstr(text_of(doc, i), ==, "Deeper.");
    g_assert_cmpuint(imp_block_get_quote_depth(block(doc, i)), ==, 2);

    /* code: text as typed, but the line end after <pre> and the blank end */
    i++;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_CODE);
    g_assert_cmpstr(text_of(doc, i), ==, "int main(void)\n{\n\treturn 0;  \n}");
    g_assert_cmpstr(imp_block_get_info(block(doc, i)), ==, "c");
    g_assert_cmpuint(imp_block_get_n_spans(block(doc, i)), ==, 0);
    g_assert_cmpuint(imp_block_get_line_at(block(doc, i), strlen("int main(void)\n{\n")), ==,
                     12);

    i++;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_RULE);
    i++;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_TERM);
    g_assert_cmpstr(text_of(doc, i), ==, "Term");
    i++;
    g_assert_cmpint(kind_of(doc, i), ==, IMP_BLOCK_DEFINITION);
    g_assert_cmpstr(text_of(doc, i), ==, "Definition");
    i++;
    g_assert_cmpstr(text_of(doc, i), ==, "Line one\nline two");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, i + 1);
}

static void test_links_and_languages(void)
{
    const char *html =
        "<html lang=\"zh-CN\"><head>"
        "<link rel=\"canonical\" href=\"https://example.org/docs/page.html\"></head><body>\n"
        "<p>See <a href=\"#top\">the top</a>, <a href=\"in.html#x\">this page</a>, "
        "<a href=\"other.html\">another</a>, <a href=\"javascript:void(0)\">nothing</a> and "
        "<a href=\"mailto:a@example.org\"><em>mail</em></a>.</p>\n"
        "<p lang=\"en\">English paragraph with <span lang=\"fr\">du français</span> in it.</p>\n"
        "<p>中文<span lang=\"ja\">日本語</span>。</p>\n"
        "<p>Say <q>hi <q>there</q></q> and <bdi>עברית</bdi> or "
        "<span dir=\"rtl\">x</span>.</p>\n"
        "<p><span dir=\"rtl\">שלום</span> world</p><p><span dir=\"ltr\"> </span></p>\n"
        "</body></html>";
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, NULL);
    const ImpBlock *b = block(doc, 0);
    g_assert_cmpstr(text_of(doc, 0), ==, "See the top, this page, another, nothing and mail.");
    g_assert_cmpstr(span_over(b, "the top", IMP_SPAN_LINK)->href, ==, "#top");
    g_assert_cmpstr(span_over(b, "this page", IMP_SPAN_LINK)->href, ==, "#x");
    g_assert_cmpstr(span_over(b, "another", IMP_SPAN_LINK)->href, ==,
                    "https://example.org/docs/other.html");
    g_assert_null(span_over(b, "nothing", IMP_SPAN_LINK));
    const ImpSpan *mail = span_over(b, "mail", IMP_SPAN_LINK | IMP_SPAN_EMPHASIS);
    g_assert_nonnull(mail);
    g_assert_cmpstr(mail->href, ==, "mailto:a@example.org");
    /* the spaces between links belong to no link */
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *s = imp_block_get_span(b, i);
        const char *t = text_of(doc, 0);
        g_assert_true(t[s->start] != ' ' && t[s->end - 1] != ' ');
    }

    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "zh-CN");
    g_assert_cmpstr(imp_block_get_language(block(doc, 1)), ==, "en");
    const ImpSpan *fr = span_over(block(doc, 1), "du français", IMP_SPAN_LANG);
    g_assert_nonnull(fr);
    g_assert_cmpstr(fr->lang, ==, "fr");
    g_assert_null(imp_block_get_language(block(doc, 2)));
    g_assert_cmpstr(span_over(block(doc, 2), "日本語", IMP_SPAN_LANG)->lang, ==, "ja");
    g_assert_cmpuint(imp_block_get_n_spans(block(doc, 2)), ==, 1);

    /* quotation marks for <q>; isolates for dir and <bdi> */
    g_assert_cmpstr(text_of(doc, 3), ==,
                    "Say \u201Chi \u2018there\u2019\u201D and \u2068עברית\u2069 or "
                    "\u2067x\u2069.");
    /* an isolate at a block's start; a block of only an empty isolate is no block */
    g_assert_cmpstr(text_of(doc, 4), ==, "\u2067שלום\u2069 world");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 5);
}

static void test_tables(void)
{
    const char *html =
        "<body><table>\n"
        "<caption>Caption</caption>\n"
        "<thead><tr><th>A</th><th align=\"right\">B</th><th style=\"text-align: center\">C"
        "</th></tr></thead>\n"
        "<tr><td colspan=\"2\">wide <b>bold</b></td><td>c1</td></tr>\n"
        "<tr><td rowspan=\"2\">tall</td><td>b2</td><td>c2</td></tr>\n"
        "<tr><td>b3</td><td><p>para one</p><p>para two</p></td></tr>\n"
        "</table>\n"
        "<table role=\"presentation\"><tr><td><p>Layout cell one.</p></td>"
        "<td><p>Layout cell two.</p></td></tr></table>\n"
        "<table><tr><td><table><tr><td>inner</td></tr></table></td><td>outer</td></tr></table>\n"
        "</body>";
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, NULL);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, 0), ==, "Caption");
    const ImpBlock *t = block(doc, 1);
    g_assert_cmpint(imp_block_get_kind(t), ==, IMP_BLOCK_TABLE);
    g_assert_cmpuint(imp_table_get_n_columns(t), ==, 3);
    g_assert_cmpuint(imp_table_get_n_rows(t), ==, 4);
    g_assert_true(imp_table_row_is_header(t, 0));
    g_assert_false(imp_table_row_is_header(t, 1));
    g_assert_cmpint(imp_table_get_align(t, 0), ==, IMP_CELL_ALIGN_DEFAULT);
    g_assert_cmpint(imp_table_get_align(t, 1), ==, IMP_CELL_ALIGN_RIGHT);
    g_assert_cmpint(imp_table_get_align(t, 2), ==, IMP_CELL_ALIGN_CENTER);
    const char *cells[4][3] = {
        { "A", "B", "C" },
        { "wide bold", "", "c1" },
        { "tall", "b2", "c2" },
        { "", "b3", "para one\npara two" },
    };
    for (guint r = 0; r < 4; r++) {
        g_assert_cmpuint(imp_table_get_n_cells(t, r), ==, 3);
        for (guint c = 0; c < 3; c++)
            g_assert_cmpstr(imp_block_get_text(imp_table_get_cell(t, r, c), NULL), ==,
                            cells[r][c]);
    }
    g_assert_nonnull(span_over(imp_table_get_cell(t, 1, 0), "bold", IMP_SPAN_STRONG));
    g_assert_cmpuint(imp_block_get_line(imp_table_get_cell(t, 2, 0)), ==, 5);

    /* layout tables are containers */
    g_assert_cmpstr(text_of(doc, 2), ==, "Layout cell one.");
    g_assert_cmpstr(text_of(doc, 3), ==, "Layout cell two.");
    g_assert_cmpint(kind_of(doc, 4), ==, IMP_BLOCK_TABLE);
    g_assert_cmpstr(imp_block_get_text(imp_table_get_cell(block(doc, 4), 0, 0), NULL), ==,
                    "inner");
    g_assert_cmpstr(text_of(doc, 5), ==, "outer");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 6);
}

static void test_images(void)
{
    const char *html =
        "<body>\n"
        "<figure><img src=\"pics/a%20b.png?v=2\" alt=\"A picture\"><figcaption>The "
        "<em>caption</em></figcaption></figure>\n"                               /* 2 */
        "<p>An icon <img src=\"i.png\" width=\"16\" height=\"16\" alt=\"[i]\"> inline.</p>\n"
        "<p><img src=\"https://example.org/x.png\" alt=\"Remote picture\"></p>\n"  /* 4 */
        "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"Inline data\" title=\"T\">\n"
        "<img src=\"file:///tmp/pic.png\" alt=\"\">\n"
        "<img src=\"//cdn.example.org/y.png\"><img src=\"/images/z.png\" alt=\"Z\">\n" /* 7 */
        "<p><img src=\"https://example.org/%E4%B8%AD.png\" alt=\"LONG\"></p>\n"  /* 8 */
        "<p><img src=\"#data\" alt=\"Self\"></p><p><img src=\"a%00b.png\" alt=\"x\"></p>\n"
        "</body>";
    GString *page = g_string_new(html);
    GString *alt = g_string_new(NULL);
    for (guint i = 0; i < 150; i++)
        g_string_append(alt, "中文");
    char *at = strstr(page->str, "LONG");
    g_string_erase(page, at - page->str, 4);
    g_string_insert(page, at - page->str, alt->str);
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(page->str, NULL, d);
    diags_print(d);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_IMAGE);
    g_assert_cmpstr(imp_block_get_src(block(doc, 0)), ==, "pics/a b.png");
    g_assert_cmpstr(text_of(doc, 0), ==, "A picture");
    g_assert_cmpstr(imp_block_get_title(block(doc, 0)), ==, "The caption");
    g_assert_cmpuint(imp_block_get_line(block(doc, 0)), ==, 2);
    g_assert_cmpstr(text_of(doc, 1), ==, "An icon [i] inline.");
    g_assert_cmpint(kind_of(doc, 2), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, 2), ==, "Remote picture");
    g_assert_true(diags_have(d, "W 4 remote image https://example.org/x.png not fetched"));
    g_assert_cmpint(kind_of(doc, 3), ==, IMP_BLOCK_IMAGE);
    g_assert_cmpstr(imp_block_get_src(block(doc, 3)), ==, "data:image/png;base64,iVBORw0KGgo=");
    g_assert_cmpstr(imp_block_get_title(block(doc, 3)), ==, "T");
    g_assert_cmpint(kind_of(doc, 4), ==, IMP_BLOCK_IMAGE);
    g_assert_cmpstr(imp_block_get_src(block(doc, 4)), ==, "/tmp/pic.png");
    g_assert_true(diags_have(d, "W 7 remote image //cdn.example.org/y.png not fetched "
                                "(imprint never uses the network), and it has no alt text"));
    /* a path from the site's root is on the site, not on this disk */
    g_assert_true(diags_have(d, "W 7 remote image /images/z.png not fetched"));
    g_assert_cmpstr(text_of(doc, 5), ==, "Z");
    /* a long alt text is clipped in the message on a character boundary (collect()
       checks every message is UTF-8) and kept whole in the text */
    g_assert_cmpstr(text_of(doc, 6), ==, alt->str);
    char *head = g_utf8_substring(alt->str, 0, 200);
    char *clipped = g_strdup_printf("W 8 remote image https://example.org/%%E4%%B8%%AD.png not "
                                    "fetched (imprint never uses the network); its alt text "
                                    "\"%s…\"", head);
    g_assert_true(diags_have(d, clipped));
    g_free(clipped);
    g_free(head);
    g_string_free(alt, TRUE);
    g_string_free(page, TRUE);
    g_assert_true(diags_have(d, "W 8 remote image https://example.org/%E4%B8%AD.png not fetched"));
    /* a src of only a fragment names no image (fuzz crash image-src-fragment-only); one
       with an escape that names no file keeps the name as written */
    g_assert_cmpint(kind_of(doc, 7), ==, IMP_BLOCK_PARAGRAPH);
    g_assert_cmpstr(text_of(doc, 7), ==, "Self");
    g_assert_cmpint(kind_of(doc, 8), ==, IMP_BLOCK_IMAGE);
    g_assert_cmpstr(imp_block_get_src(block(doc, 8)), ==, "a%00b.png");
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 9);
    g_assert_cmpuint(diags_count(d, 'W'), ==, 4);
    diags_free(d);
}

/* ------------------------------------------------------------------------------------
 * White space and characters
 * ------------------------------------------------------------------------------------ */

static void test_whitespace(void)
{
    const char *html =
        "<body>\n"
        "<p>  Latin   words\n\tjoined  </p>\n"
        "<p>中文的\n段落，不加\n空格。Mixed\n中文 and\nEnglish.</p>\n"
        "<p>한국어\n문장은 띄어 씁니다.</p>\n"
        "<p>&nbsp;&nbsp;\u3000\u3000Indented, with a&nbsp;no-break space.&nbsp;</p>\n"
        "<p><b>中</b>\n<i>文</i></p>\n"
        "<p>a<!-- comment -->b <span> </span> c</p>\n"
        "</body>";
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, NULL);
    g_assert_cmpstr(text_of(doc, 0), ==, "Latin words joined");
    g_assert_cmpstr(text_of(doc, 1), ==, "中文的段落，不加空格。Mixed 中文 and English.");
    g_assert_cmpstr(text_of(doc, 2), ==, "한국어 문장은 띄어 씁니다.");
    g_assert_cmpstr(text_of(doc, 3), ==, "Indented, with a\u00A0no-break space.");
    g_assert_cmpstr(text_of(doc, 4), ==, "中文");
    g_assert_cmpstr(text_of(doc, 5), ==, "ab c");
}

static void test_controls(void)
{
    /* raw control characters (NUL among them: libxml2 would stop there), a C1 control
       from a character reference, a noncharacter; a lone CR ends a line */
    static const char html[] = "<body><p>a\0b\x07" "c</p>\r<p>d&#x85;e\xEF\xBF\xBE" "f</p>\n"
                               "<p>after</p></body>";
    Diags *d = diags_new();
    GError *error = NULL;
    g_autoptr(ImpDocument) doc = read_html_full(html, sizeof html - 1, "in.html", NULL, NULL,
                                                d, &error);
    g_assert_no_error(error);
    diags_print(d);
    g_assert_cmpstr(text_of(doc, 0), ==, "abc");
    g_assert_cmpstr(text_of(doc, 1), ==, "def");
    g_assert_cmpstr(text_of(doc, 2), ==, "after");
    g_assert_cmpuint(imp_block_get_line(block(doc, 1)), ==, 2);
    g_assert_cmpuint(imp_block_get_line(block(doc, 2)), ==, 3);
    g_assert_true(diags_have(d, "W 1 dropped control character U+0000"));
    g_assert_true(diags_have(d, "W 1 dropped control character U+0007"));
    g_assert_true(diags_have(d, "W 2 dropped control character U+0085"));
    g_assert_true(diags_have(d, "W 2 dropped noncharacter U+FFFE"));
    diags_free(d);
}

/* Lines past 65535 (libxml2's cap) are counted, in elements and inside text nodes. */
static void test_lines(void)
{
    GString *s = g_string_new("<body>\n");
    for (guint i = 0; i < 70000; i++)
        g_string_append(s, "<p>x</p>\n");
    g_string_append(s, "<p>first\nsecond <b>bold</b>\nthird</p>\n</body>");
    g_autoptr(ImpDocument) doc = read_ok(s->str, NULL, NULL);
    guint n = imp_document_get_n_blocks(doc);
    g_assert_cmpuint(n, ==, 70001);
    const ImpBlock *b = block(doc, n - 1);
    g_assert_cmpstr(imp_block_get_text(b, NULL), ==, "first second bold third");
    g_assert_cmpuint(imp_block_get_line(b), ==, 70002);
    g_assert_cmpuint(imp_block_get_line_at(b, strlen("first second b")), ==, 70003);
    g_assert_cmpuint(imp_block_get_line_at(b, strlen("first second bold th")), ==, 70004);
    g_assert_cmpuint(imp_block_get_line(block(doc, 69999)), ==, 70001);
    g_string_free(s, TRUE);
}

/* ------------------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------------------ */

static void test_metadata(void)
{
    const char *html =
        "<!DOCTYPE html><html lang=\"ja\"><head>\n"
        "<title>Page title | Site</title>\n"
        "<meta name=\"author\" content=\"Jane  Doe\">\n"
        "<meta name=\"DC.creator\" content=\"Someone Else\">\n"
        "<meta name=\"description\" content=\"Summary.\">\n"
        "<meta name=\"keywords\" content=\"a, b, c\">\n"
        "<meta name=\"dcterms.date\" content=\"2024-01-02\">\n"
        "<meta property=\"og:title\" content=\"OG title\">\n"
        "<meta property=\"og:site_name\" content=\"Example Site\">\n"
        "<meta property=\"og:url\" content=\"https://example.org/og\">\n"
        "<meta property=\"article:section\" content=\"News\">\n"
        "<link rel=\"canonical\" href=\"https://example.org/canonical\">\n"
        "</head><body><p>Text without a heading.</p></body></html>";
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, NULL);
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "OG title");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_AUTHOR), ==, "Jane Doe");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DESCRIPTION), ==, "Summary.");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_KEYWORDS), ==, "a, b, c");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DATE), ==, "2024-01-02");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "Example Site");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "News");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_URL), ==, "https://example.org/canonical");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_LANGUAGE), ==, "ja");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SOURCE_FILE), ==, "in.html");
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_PARAGRAPH);

    /* a <title> alone */
    g_autoptr(ImpDocument) doc2 = read_ok("<title>Only &amp; title</title><p>x</p>", NULL, NULL);
    g_assert_cmpstr(imp_document_get_meta(doc2, IMP_META_TITLE), ==, "Only & title");
}

/* ------------------------------------------------------------------------------------
 * The generic reading
 * ------------------------------------------------------------------------------------ */

static void test_generic_drops(void)
{
    const char *html =
        "<body>\n"
        "<header><a href=\"/\">Site Name</a></header>\n"                     /* 2 */
        "<nav><a href=\"/a\">Home</a> <a href=\"/b\">About</a></nav>\n"      /* 3 */
        "<main>\n"                                                          /* 4 */
        "<article><header><h1>Article Title</h1><p>By Someone</p></header>\n"
        "<p>Body text one.</p>\n"
        "<div class=\"share-buttons\">Share on Twitter</div>\n"             /* 7 */
        "<div id=\"mainNav\">Next Prev</div>\n"                             /* 8 */
        "<div class=\"post-ad\">Buy now</div>\n"                            /* 9 */
        "<div class=\"header\">Kept: header is not a chrome word</div>\n"
        "<div class=\"navy-blue\">Kept: navy</div>\n"
        "<aside>Related links</aside>\n"                                    /* 12 */
        "<form>Search: <input type=text><button>Go</button></form>\n"       /* 13 */
        "<div role=\"navigation\">Menu</div>\n"                             /* 14 */
        "<p hidden>Hidden text</p><p style=\"display: none\">Also hidden</p>\n"
        "<p>Body text two.<script>var x = 1;</script></p>\n"
        "<footer>Article footer</footer></article>\n"                       /* 17 */
        "</main>\n"
        "<footer>Page footer</footer>\n"                                    /* 19 */
        "</body>";
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, d);
    diags_print(d);
    const char *want[] = {
        "Article Title", "By Someone", "Body text one.", "Kept: header is not a chrome word",
        "Kept: navy", "Body text two.",
    };
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(text_of(doc, i), ==, want[i]);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_true(diags_have(d, "I 4 article: <main>, its main element"));
    g_assert_true(diags_have(d, "I 2 dropped <header> (outside the article): Site Name"));
    g_assert_true(diags_have(d, "I 3 dropped <nav> (outside the article): Home About"));
    g_assert_true(diags_have(d, "I 7 dropped <div class=\"share-buttons\"> (page chrome): "
                                "Share on Twitter"));
    g_assert_true(diags_have(d, "I 8 dropped <div id=\"mainNav\"> (page chrome): Next Prev"));
    g_assert_true(diags_have(d, "I 9 dropped <div class=\"post-ad\"> (page chrome): Buy now"));
    g_assert_true(diags_have(d, "I 12 dropped <aside> (page chrome): Related links"));
    g_assert_true(diags_have(d, "I 13 dropped <form> (page chrome): Search: Go"));
    g_assert_true(diags_have(d, "I 14 dropped <div role=\"navigation\"> (page chrome): Menu"));
    g_assert_true(diags_have(d, "I 15 dropped <p> (hidden): Hidden text"));
    g_assert_true(diags_have(d, "I 17 dropped <footer> (page chrome): Article footer"));
    g_assert_true(diags_have(d, "I 19 dropped <footer> (outside the article): Page footer"));
    g_assert_true(diags_have(d, "I 0 dropped 1 scripts, style sheets and templates"));
    g_assert_cmpuint(diags_count(d, 'W'), ==, 0);
    diags_free(d);
}

static void test_generic_density(void)
{
    /* no main or article: the element that holds most of the text, links counting
       against; the lone <h1> before it titles it */
    const char *html =
        "<body><div id=\"wrap\">\n"
        "<div class=\"top\"><h1>The Headline</h1></div>\n"
        "<div class=\"links\"><a href=\"/1\">Link one</a> <a href=\"/2\">Link two</a> "
        "<a href=\"/3\">Link three</a> <a href=\"/4\">Link four</a></div>\n"
        "<div class=\"content\"><div class=\"inner\">\n"
        "<p>The first paragraph of the story has a fair amount of text in it.</p>\n"
        "<p>The second paragraph has some more text, with <a href=\"/x\">a link</a>.</p>\n"
        "<p>A third paragraph closes the story with yet more words of text.</p>\n"
        "</div></div>\n"
        "<div class=\"bottom\">Small print.</div>\n"
        "</div></body>";
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(html, NULL, d);
    diags_print(d);
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, 4);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpstr(text_of(doc, 0), ==, "The Headline");
    g_assert_true(g_str_has_prefix(text_of(doc, 1), "The first paragraph"));
    g_assert_true(g_str_has_prefix(text_of(doc, 3), "A third paragraph"));
    g_assert_true(diags_have(d, "I 4 article: <div class=\"inner\">, the densest text"));
    g_assert_true(diags_have(d, "I 3 dropped <div class=\"links\"> (outside the article): "
                                "Link one Link two Link three Link four"));
    g_assert_true(diags_have(d, "I 9 dropped <div class=\"bottom\"> (outside the article): "
                                "Small print."));
    diags_free(d);

    /* a chapter's introduction (paragraphs under its h1) stays with its one long section
       (under an h2); a short paragraph beside the story does not stop the descent */
    GString *chapter = g_string_new("<body><div class=\"chapter\"><h1>Chapter</h1>\n"
                                    "<p>An introduction of more than sixty characters, before "
                                    "the chapter's only section.</p>\n<div class=\"section\">"
                                    "<h2>Section</h2>\n");
    for (guint i = 0; i < 30; i++)
        g_string_append(chapter, "<p>A paragraph of the section, long enough to count as one "
                                 "of the article's paragraphs.</p>\n");
    g_string_append(chapter, "</div></div><div class=\"side\"><h3>About</h3><p>A note about "
                             "the author, long enough to be a paragraph of its own.</p></div>"
                             "</body>");
    Diags *d2 = diags_new();
    g_autoptr(ImpDocument) ch = read_ok(chapter->str, NULL, d2);
    diags_print(d2);
    g_assert_true(diags_have(d2, "I 1 article: <div class=\"chapter\">, the densest text"));
    g_assert_cmpint(kind_of(ch, 0), ==, IMP_BLOCK_TITLE);
    g_assert_true(g_str_has_prefix(text_of(ch, 1), "An introduction"));
    g_assert_cmpuint(imp_document_get_n_blocks(ch), ==, 33);
    diags_free(d2);
    g_string_free(chapter, TRUE);

    /* several articles: the one with the most text */
    g_autoptr(ImpDocument) two = read_ok(
        "<body><article><p>Short teaser.</p></article><article><p>The long one, with more "
        "words than the teaser has.</p></article></body>", NULL, NULL);
    g_assert_cmpuint(imp_document_get_n_blocks(two), ==, 1);
    g_assert_true(g_str_has_prefix(text_of(two, 0), "The long one"));
}

/* ------------------------------------------------------------------------------------
 * Site rules
 * ------------------------------------------------------------------------------------ */

static GRegex *anchored(const char *pattern)
{
    char *full = g_strdup_printf("\\A(?:%s)\\z", pattern);
    GRegex *re = g_regex_new(full, G_REGEX_OPTIMIZE, 0, NULL);
    g_assert_nonnull(re);
    g_free(full);
    return re;
}

static void test_site_rules(void)
{
    const char *html =
        "<body>\n"
        "<div id=\"crumbs\">Start &gt; World</div>\n"
        "<div id=\"text\">\n"
        "<h2 class=\"t\">A Story</h2>\n"
        "<p class=\"by\">By A. Writer</p>\n"
        "<p>Body one.</p>\n"
        "<div class=\"tools\">Print | Email</div>\n"                  /* 7: a text-line rule */
        "<div class=\"promo\">Subscribe!</div>\n"                    /* 8: [html] drop */
        "<nav>Inside nav, kept: site rules trust the style</nav>\n"
        "<p>Body two.</p>\n"
        "<p>Copyright notice heading</p>\n"                          /* 11: notice-start */
        "<p>Notice text.</p>\n"
        "</div>\n"
        "<div id=\"other\">Outside text</div>\n"
        "</body>";
    static GRegex *chrome[2];
    chrome[0] = anchored("Print \\| Email");
    ImpReadRules rules = { 0 };
    rules.chrome = chrome;
    rules.breadcrumb = anchored("Start\\s*>\\s*(?<section>.+)");
    rules.notice_start = anchored("Copyright notice heading");
    rules.html_content = "//div[@id='text']";
    rules.html_title = "//h2[@class='t']";
    rules.html_author = "substring-after(//p[@class='by'], 'By ')";
    rules.html_section = "//div[@id='crumbs']";
    rules.html_date = "'2020-05-06'";
    const char *drops[] = { "//div[@class='promo']", NULL };
    rules.html_drop = drops;
    rules.site = "SITE";
    rules.source = "Source: the site";
    Diags *d = diags_new();
    g_autoptr(ImpDocument) doc = read_ok(html, &rules, d);
    diags_print(d);
    struct { ImpBlockKind kind; guint level; const char *text; } want[] = {
        { IMP_BLOCK_TITLE, 0, "A Story" },
        { IMP_BLOCK_PARAGRAPH, 0, "By A. Writer" },
        { IMP_BLOCK_PARAGRAPH, 0, "Body one." },
        { IMP_BLOCK_PARAGRAPH, 0, "Inside nav, kept: site rules trust the style" },
        { IMP_BLOCK_PARAGRAPH, 0, "Body two." },
        { IMP_BLOCK_NOTICE, 1, "Copyright notice heading" },
        { IMP_BLOCK_NOTICE, 0, "Notice text." },
    };
    g_assert_cmpuint(imp_document_get_n_blocks(doc), ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_cmpint(kind_of(doc, i), ==, want[i].kind);
        g_assert_cmpuint(imp_block_get_level(block(doc, i)), ==, want[i].level);
        g_assert_cmpstr(text_of(doc, i), ==, want[i].text);
    }
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_TITLE), ==, "A Story");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_AUTHOR), ==, "A. Writer");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SECTION), ==, "World");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_DATE), ==, "2020-05-06");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SITE), ==, "SITE");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_SOURCE), ==, "Source: the site");
    g_assert_true(diags_have(d, "I 7 dropped web chrome: Print | Email"));
    g_assert_true(diags_have(d, "I 8 dropped <div class=\"promo\"> ([html] drop): Subscribe!"));
    g_assert_cmpuint(diags_count(d, 'W'), ==, 0);
    diags_free(d);

    /* a content rule that selects nothing, and one that does not evaluate: warnings, and
       the generic reading */
    const char *bad[] = { "//div[@id='missing']", "//div[", NULL };
    for (guint i = 0; bad[i] != NULL; i++) {
        ImpReadRules r2 = { 0 };
        r2.html_content = bad[i];
        Diags *d2 = diags_new();
        g_autoptr(ImpDocument) doc2 = read_ok("<body><p>Plain text.</p></body>", &r2, d2);
        diags_print(d2);
        g_assert_cmpstr(text_of(doc2, 0), ==, "Plain text.");
        g_assert_cmpuint(diags_count(d2, 'W'), >=, 1);
        g_assert_true(diags_have(d2, i == 0 ? "W 0 reading rule [html] content "
                                              "//div[@id='missing'] selects nothing"
                                            : "W 0 reading rule [html] content //div[ does "
                                              "not evaluate"));
        diags_free(d2);
    }
    for (guint i = 0; chrome[i] != NULL; i++)
        g_regex_unref(chrome[i]);
    g_regex_unref(rules.breadcrumb);
    g_regex_unref(rules.notice_start);
}

/* The MOFCOM speech as a saved page (tests/fixtures/html, UTF-8 and GBK) read with the
 * site's rules gives the blocks and metadata of the text clipping examples/speech.txt. */
static void test_mofcom(gconstpointer data)
{
    const char *fixture = data;
    char *styles = source_path("styles");
    const char *dirs[] = { styles, NULL };
    GError *error = NULL;
    g_autoptr(ImpStyle) style = imp_style_load("mofcom", dirs, NULL, &error);
    g_assert_no_error(error);
    ImpReadRules rules = *imp_style_get_read_rules(style);
    /* the [html] keys proposed for styles/mofcom.style */
    rules.html_content = "//div[@id='zoom']";
    rules.html_title = "//h1[@id='artitle']";
    rules.html_date = "//span[@id='artDate']";
    rules.html_section = "//div[@class='position']";
    rules.html_masthead = "//div[@id='top']/div[@class='logo']";
    rules.html_notice = "//div[@id='footer']/div[@class='statement']";

    gsize tlen, hlen;
    char *speech_path = source_path("examples/speech.txt");
    char *text = load(speech_path, &tlen);
    g_autoptr(ImpDocument) want = imp_read_text(text, tlen, "speech.txt", &rules, NULL, &error);
    g_assert_no_error(error);

    char *page_path = source_path(fixture);
    char *page = load(page_path, &hlen);
    Diags *d = diags_new();
    ImpDiag diag = { collect, d };
    ImpReadOptions o = { 0 };
    o.filename = page_path;
    o.rules = &rules;
    o.diag = &diag;
    g_autoptr(ImpDocument) got = imp_read(page, hlen, &o, &error);
    g_assert_no_error(error);
    diags_print(d);
    g_assert_cmpuint(diags_count(d, 'W'), ==, 0);

    g_assert_cmpuint(imp_document_get_n_blocks(got), ==, imp_document_get_n_blocks(want));
    for (guint i = 0; i < imp_document_get_n_blocks(want); i++) {
        g_assert_cmpint(kind_of(got, i), ==, kind_of(want, i));
        g_assert_cmpuint(imp_block_get_level(block(got, i)), ==,
                         imp_block_get_level(block(want, i)));
        g_assert_cmpstr(text_of(got, i), ==, text_of(want, i));
    }
    const ImpMetaKey keys[] = { IMP_META_TITLE, IMP_META_SECTION, IMP_META_SITE,
                                IMP_META_SITE_EXTRA, IMP_META_SOURCE };
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_assert_nonnull(imp_document_get_meta(want, keys[i]));
        g_assert_cmpstr(imp_document_get_meta(got, keys[i]), ==,
                        imp_document_get_meta(want, keys[i]));
    }
    g_assert_cmpstr(imp_document_get_meta(got, IMP_META_DATE), ==, "2013-02-05 09:18");
    g_assert_cmpstr(imp_document_get_meta(got, IMP_META_URL), ==,
                    "http://english.mofcom.gov.cn/article/speeches/201302/20130200021979.shtml");
    /* the body keeps its source lines */
    g_assert_cmpuint(imp_block_get_line(block(got, 1)), ==, 51);
    /* the GBK page says how it was decoded */
    if (strstr(fixture, "gbk") != NULL)
        g_assert_true(diags_have(d, "I 0 encoding: GB18030 (declared gb2312)"));

    /* the same page without its <meta charset>: too little Chinese in it to tell GBK from
       a Latin encoding, so it is refused, naming --encoding; with it, read as declared */
    if (strstr(fixture, "gbk") != NULL) {
        GString *bare = g_string_new_len(page, (gssize)hlen);
        char *at = strstr(bare->str, "<meta http-equiv=\"Content-Type\"");
        g_assert_nonnull(at);
        g_string_erase(bare, at - bare->str, (gssize)(strchr(at, '>') + 1 - at));
        o.diag = NULL;
        ImpDocument *none = imp_read(bare->str, bare->len, &o, &error);
        g_assert_null(none);
        g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
        g_test_message("%s", error->message);
        g_assert_true(g_str_has_suffix(error->message, "; if the text is in another encoding, "
                                                       "name it with --encoding"));
        g_clear_error(&error);
        o.encoding = "GBK";
        g_autoptr(ImpDocument) given = imp_read(bare->str, bare->len, &o, &error);
        g_assert_no_error(error);
        o.encoding = NULL;
        g_assert_cmpuint(imp_document_get_n_blocks(given), ==, imp_document_get_n_blocks(want));
        for (guint i = 0; i < imp_document_get_n_blocks(want); i++)
            g_assert_cmpstr(text_of(given, i), ==, text_of(want, i));
        g_assert_cmpstr(imp_document_get_meta(given, IMP_META_SITE_EXTRA), ==, "简体中文版");
        g_string_free(bare, TRUE);
    }

    /* without site rules, the generic reading finds the title and the four paragraphs */
    o.rules = NULL;
    o.diag = NULL;
    g_autoptr(ImpDocument) generic = imp_read(page, hlen, &o, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(imp_document_get_n_blocks(generic), ==, 5);
    for (guint i = 0; i < 5; i++)
        g_assert_cmpstr(text_of(generic, i), ==, text_of(want, i));

    diags_free(d);
    g_free(page);
    g_free(page_path);
    g_free(text);
    g_free(speech_path);
    g_free(styles);
}

/* ------------------------------------------------------------------------------------
 * Encodings
 * ------------------------------------------------------------------------------------ */

static void test_encodings(void)
{
    const char *body = "<p>中文测试，繁體字與日本語のかな、한국어도 있습니다。</p>";
    const char *want = "中文测试，繁體字與日本語のかな、한국어도 있습니다。";
    /* UTF-16 with a BOM, declared as anything */
    char *page = g_strdup_printf("<meta charset=\"gbk\"><body>%s</body>", body);
    gsize n;
    char *u16 = g_convert(page, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    GString *bom = g_string_new_len("\xff\xfe", 2);
    g_string_append_len(bom, u16, (gssize)n);
    GError *error = NULL;
    g_autoptr(ImpDocument) a = read_html_full(bom->str, (gssize)bom->len, "in.html", NULL, NULL,
                                              NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(text_of(a, 0), ==, want);
    g_free(page);
    g_free(u16);
    g_string_free(bom, TRUE);

    /* GB18030 text declared in http-equiv, in an XML declaration, or given by the caller */
    const char *decls[] = {
        "<meta http-equiv=\"content-type\" content=\"text/html;charset=GB18030\">",
        "<?xml version=\"1.0\" encoding=\"gb18030\"?><html>",
        "<html>",
    };
    for (guint i = 0; i < G_N_ELEMENTS(decls); i++) {
        char *p = g_strdup_printf("%s<body><p>中文测试，简体字。</p></body>", decls[i]);
        gsize glen;
        char *gb = g_convert(p, -1, "GB18030", "UTF-8", NULL, &glen, NULL);
        g_autoptr(ImpDocument) doc = read_html_full(gb, (gssize)glen, "in.html", NULL,
                                                    i == 2 ? "gb2312" : NULL, NULL, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(text_of(doc, 0), ==, "中文测试，简体字。");
        g_free(p);
        g_free(gb);
    }

    /* declared Latin-1 but written in UTF-8: read as UTF-8 */
    Diags *d = diags_new();
    g_autoptr(ImpDocument) l1 = read_html_full("<meta charset=iso-8859-1><p>café</p>", -1,
                                               "in.html", NULL, NULL, d, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(text_of(l1, 0), ==, "café");
    g_assert_true(diags_have(d, "I 0 the page declares iso-8859-1 but is UTF-8"));
    diags_free(d);

    /* declared windows-1252 and in it */
    g_autoptr(ImpDocument) w = read_html_full("<meta charset=windows-1252><p>caf\xe9 \x93q\x94</p>",
                                              -1, "in.html", NULL, NULL, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(text_of(w, 0), ==, "café \u201Cq\u201D");

    /* declared UTF-8 but not: refused with line and offset */
    char *msg = read_fail("<meta charset=utf-8>\n<p>bad \xb0\xa1 bytes</p>", -1);
    g_assert_cmpstr(msg, ==, "in.html:2: invalid UTF-8 at byte offset 28 (the encoding the "
                             "input declares); name the right one with --encoding");
    g_free(msg);
    /* an unknown declared encoding: a warning, then detection */
    d = diags_new();
    g_autoptr(ImpDocument) u = read_html_full("<meta charset=x-klingon><p>plain</p>", -1,
                                              "in.html", NULL, NULL, d, &error);
    g_assert_no_error(error);
    g_assert_true(diags_have(d, "W 0 the input declares an encoding imprint does not know, "
                                "'x-klingon'"));
    diags_free(d);
}

/* ------------------------------------------------------------------------------------
 * Bad and hostile pages
 * ------------------------------------------------------------------------------------ */

static void test_errors(void)
{
    char *msg = read_fail("", 0);
    g_assert_cmpstr(msg, ==, "in.html: no text to typeset (the input is empty)");
    g_free(msg);
    msg = read_fail("<html><body>  \n </body></html>", -1);
    g_assert_true(g_str_has_prefix(msg, "in.html: no text to typeset"));
    g_free(msg);
    /* a page that is all script */
    msg = read_fail("<html><head><script>document.write('hello');</script></head>"
                    "<body><script>var a = 'text';</script><noscript>Enable JS</noscript>"
                    "</body></html>", -1);
    g_assert_true(g_str_has_prefix(msg, "in.html: no text to typeset (the page's article is "
                                        "empty, or all of its text was dropped"));
    g_free(msg);
    /* binary data */
    msg = read_fail("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    g_assert_cmpstr(msg, ==, "in.html: binary data, not text");
    g_free(msg);

    /* nesting past libxml2's limit: refused at the line, not cut short */
    GString *s = g_string_new("<body>\n<p>before</p>\n");
    for (guint i = 0; i < 300; i++)
        g_string_append(s, "<div>");
    g_string_append(s, "deep");
    msg = read_fail(s->str, (gssize)s->len);
    g_assert_cmpstr(msg, ==, "in.html:3: elements nested more than 256 deep (unclosed "
                             "tags?); imprint reads HTML nested up to 256 levels");
    g_free(msg);
    /* 255 levels are read */
    g_string_assign(s, "<body>");
    for (guint i = 0; i < 250; i++)
        g_string_append(s, "<div>");
    g_string_append(s, "deep <b>text</b>");
    g_autoptr(ImpDocument) doc = read_ok(s->str, NULL, NULL);
    g_assert_cmpstr(text_of(doc, 0), ==, "deep text");
    g_string_free(s, TRUE);

    /* unclosed inline tags and entities */
    g_autoptr(ImpDocument) doc2 = read_ok("<p>a <b>b <i>c <p>d &amp; &lt;e&gt; &#x4E2D;&#25991; "
                                          "&unknown; &", NULL, NULL);
    g_assert_cmpstr(text_of(doc2, 0), ==, "a b c");
    g_assert_cmpstr(text_of(doc2, 1), ==, "d & <e> 中文 &unknown; &");
}

/* Flat spans (design note 4): deep inline markup makes no more spans than text runs. */
static void test_many_spans(void)
{
    GString *s = g_string_new("<body><p>");
    for (guint i = 0; i < 200; i++)
        g_string_append(s, i % 2 ? "<em>" : "<span lang=\"fr\">");
    g_string_append(s, "x");
    g_autoptr(ImpDocument) doc = read_ok(s->str, NULL, NULL);
    g_assert_cmpstr(text_of(doc, 0), ==, "x");
    g_assert_cmpuint(imp_block_get_n_spans(block(doc, 0)), <=, 2);
    g_string_free(s, TRUE);
}

static void test_limits(void)
{
    /* past IMP_READ_MAX_PARAGRAPHS blocks and cells: the table and 4 cells a row, line
       125001 holds the 500,001st */
    GString *s = g_string_new("<table>\n");
    for (guint i = 0; i < IMP_READ_MAX_PARAGRAPHS / 4 + 10; i++)
        g_string_append(s, "<tr><td>a</td><td>b</td><td>c</td><td>d</td></tr>\n");
    char *msg = read_fail(s->str, (gssize)s->len);
    g_test_message("%s", msg);
    g_assert_true(g_str_has_prefix(msg, "in.html:125001: too many blocks and table cells: "
                                        "imprint sets at most 500000 in one document"));
    g_free(msg);
    g_string_free(s, TRUE);
}

/* ------------------------------------------------------------------------------------
 * Real saved pages (Debian documentation packages)
 * ------------------------------------------------------------------------------------ */

/* The text of an element as the test sees it with libxml2: text nodes in order, image
 * alt texts, nothing of scripts and styles. */
static void element_text(xmlNode *root, GString *out)
{
    for (xmlNode *n = root; n != NULL;) {
        gboolean skip = FALSE;
        if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            skip = strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
            if (strcmp(name, "img") == 0) {
                xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
                if (alt != NULL)
                    g_string_append(out, (const char *)alt);
                xmlFree(alt);
            }
        } else if (n->type == XML_TEXT_NODE) {
            g_string_append(out, (const char *)n->content);
        }
        if (!skip && n->type == XML_ELEMENT_NODE && n->children != NULL) {
            n = n->children;
            continue;
        }
        while (n != root && n->next == NULL)
            n = n->parent;
        n = n == root ? NULL : n->next;
    }
}

typedef struct {
    const char *path;     /* the page, from its Debian package */
    const char *package;
    const char *content;  /* XPath of the article's element */
    const char *nav;      /* XPath of a navigation element whose text must not be read */
} RealPage;

static const RealPage real_pages[] = {
    { "/usr/share/debian-reference/ch01.zh-cn.html", "debian-reference-zh-cn",
      "//div[@class='chapter']", "//div[@class='navfooter']" },
    { "/usr/share/debian-reference/ch01.zh-tw.html", "debian-reference-zh-tw",
      "//div[@class='chapter']", "//div[@class='navfooter']" },
    { "/usr/share/debian-reference/ch01.ja.html", "debian-reference-ja",
      "//div[@class='chapter']", "//div[@class='navfooter']" },
    { "/usr/share/debian-reference/ch01.en.html", "debian-reference-en",
      "//div[@class='chapter']", "//div[@class='navfooter']" },
    { "/usr/share/doc/debian/FAQ/ko/pkg-basics.ko.html", "debian-faq-ko",
      "//div[@class='chapter']", "//div[@class='navfooter']" },
    { "/usr/share/doc/debian-handbook/html/en-US/sect.apt-get.html", "debian-handbook",
      "/html/body/div[@class='section']", "//ul[@class='docnav']" },
    { "/usr/share/doc/debian-handbook/html/zh-CN/sect.apt-get.html", "debian-handbook",
      "/html/body/div[@class='section']", "//ul[@class='docnav']" },
    { "/usr/share/doc/debian-handbook/html/ja-JP/sect.apt-get.html", "debian-handbook",
      "/html/body/div[@class='section']", "//ul[@class='docnav']" },
    /* a chapter: its introduction before one long section stays in the article */
    { "/usr/share/doc/debian-handbook/html/ko-KR/apt.html", "debian-handbook",
      "//div[@class='chapter']", "//ul[@class='docnav']" },
};

static xmlNode *select_one(xmlDoc *doc, const char *xpath)
{
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, xp);
    g_assert_nonnull(o);
    g_assert_true(o->nodesetval != NULL && o->nodesetval->nodeNr >= 1);
    xmlNode *n = o->nodesetval->nodeTab[0];
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xp);
    return n;
}

/* Counts elements under root named in `names` (NULL-terminated); for "a" only those with
 * an href and text. */
static guint count_elements(xmlNode *root, const char *const *names)
{
    guint count = 0;
    for (xmlNode *n = root; n != NULL;) {
        if (n->type == XML_ELEMENT_NODE)
            for (const char *const *k = names; *k != NULL; k++)
                if (strcmp((const char *)n->name, *k) == 0) {
                    if (strcmp(*k, "a") == 0) {
                        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
                        xmlChar *t = xmlNodeGetContent(n);
                        char *st = squeeze((const char *)t);
                        count += href != NULL && *st != '\0';
                        g_free(st);
                        xmlFree(t);
                        xmlFree(href);
                    } else {
                        count++;
                    }
                }
        if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
            n = n->children;
            continue;
        }
        while (n != root && n->next == NULL)
            n = n->parent;
        n = n == root ? NULL : n->next;
    }
    return count;
}

/* Counts links: runs of link spans with one target (a link whose text changes style
 * inside is several spans). */
static void count_spans(const ImpBlock *b, guint *links)
{
    const ImpSpan *last = NULL;
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *s = imp_block_get_span(b, i);
        if ((s->flags & IMP_SPAN_LINK) == 0)
            continue;
        if (last == NULL || last->end != s->start || strcmp(last->href, s->href) != 0)
            (*links)++;
        last = s;
    }
    if (imp_block_get_kind(b) == IMP_BLOCK_TABLE)
        for (guint r = 0; r < imp_table_get_n_rows(b); r++)
            for (guint c = 0; c < imp_table_get_n_cells(b, r); c++)
                count_spans(imp_table_get_cell(b, r, c), links);
}

static void test_real_page(gconstpointer data)
{
    const RealPage *page = data;
    if (!g_file_test(page->path, G_FILE_TEST_EXISTS)) {
        char *why = g_strdup_printf("%s is not installed (package %s)", page->path,
                                    page->package);
        g_test_skip(why);
        g_free(why);
        return;
    }
    gsize len;
    char *html = load(page->path, &len);
    Diags *d = diags_new();
    GError *error = NULL;
    g_autoptr(ImpDocument) doc = read_html_full(html, (gssize)len, page->path, NULL, NULL, d,
                                                &error);
    g_assert_no_error(error);
    g_assert_cmpuint(diags_count(d, 'W'), ==, 0);

    xmlDoc *ref = htmlReadMemory(html, (int)len, page->path, "UTF-8",
                                 HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_RECOVER);
    g_assert_nonnull(ref);
    xmlNode *content = select_one(ref, page->content);
    GString *want = g_string_new(NULL);
    element_text(content, want);

    /* the article's text, all of it and in order */
    char *got = document_text(doc);
    char *sq_got = squeeze(got), *sq_want = squeeze(want->str);
    if (strcmp(sq_got, sq_want) != 0) {
        gsize k = 0;
        while (sq_got[k] != '\0' && sq_got[k] == sq_want[k])
            k++;
        g_test_message("differs at %zu:\n got: %.120s\nwant: %.120s", k, sq_got + k,
                       sq_want + k);
    }
    g_assert_cmpstr(sq_got, ==, sq_want);

    /* no navigation text */
    GString *nav = g_string_new(NULL);
    element_text(select_one(ref, page->nav), nav);
    char *sq_nav = squeeze(nav->str);
    g_assert_cmpuint(strlen(sq_nav), >, 0);
    g_assert_null(strstr(sq_got, sq_nav));

    /* headings, code blocks and links are found */
    const char *const headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };
    const char *const pres[] = { "pre", NULL };
    const char *const anchors[] = { "a", NULL };
    guint n_headings = 0, n_code = 0, n_links = 0;
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *b = imp_document_get_block(doc, i);
        ImpBlockKind k = imp_block_get_kind(b);
        n_headings += k == IMP_BLOCK_HEADING || k == IMP_BLOCK_TITLE;
        n_code += k == IMP_BLOCK_CODE;
        count_spans(b, &n_links);
    }
    g_test_message("%s: %u blocks, %u headings, %u code blocks, %u links", page->path,
                   imp_document_get_n_blocks(doc), n_headings, n_code, n_links);
    g_assert_cmpint(kind_of(doc, 0), ==, IMP_BLOCK_TITLE);
    g_assert_cmpuint(n_headings, ==, count_elements(content, headings));
    g_assert_cmpuint(n_code, ==, count_elements(content, pres));
    g_assert_cmpuint(n_code, >, 0);
    g_assert_cmpuint(n_links, >, 0);
    g_assert_cmpuint(n_links, <=, count_elements(content, anchors));
    g_assert_cmpuint(n_links * 10, >=, count_elements(content, anchors) * 9);

    g_free(sq_nav);
    g_string_free(nav, TRUE);
    g_free(sq_got);
    g_free(sq_want);
    g_free(got);
    g_string_free(want, TRUE);
    xmlFreeDoc(ref);
    diags_free(d);
    g_free(html);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/html/structure", test_structure);
    g_test_add_func("/html/links-and-languages", test_links_and_languages);
    g_test_add_func("/html/tables", test_tables);
    g_test_add_func("/html/images", test_images);
    g_test_add_func("/html/whitespace", test_whitespace);
    g_test_add_func("/html/controls", test_controls);
    g_test_add_func("/html/lines", test_lines);
    g_test_add_func("/html/metadata", test_metadata);
    g_test_add_func("/html/generic/drops", test_generic_drops);
    g_test_add_func("/html/generic/density", test_generic_density);
    g_test_add_func("/html/site/rules", test_site_rules);
    g_test_add_data_func("/html/site/mofcom-utf8", "tests/fixtures/html/mofcom-speech.html",
                         test_mofcom);
    g_test_add_data_func("/html/site/mofcom-gbk", "tests/fixtures/html/mofcom-speech.gbk.html",
                         test_mofcom);
    g_test_add_func("/html/encodings", test_encodings);
    g_test_add_func("/html/errors", test_errors);
    g_test_add_func("/html/many-spans", test_many_spans);
    g_test_add_func("/html/limits", test_limits);
    for (guint i = 0; i < G_N_ELEMENTS(real_pages); i++) {
        char *name = g_strdup_printf("/html/real/%s", real_pages[i].path);
        g_test_add_data_func(name, &real_pages[i], test_real_page);
        g_free(name);
    }
    return g_test_run();
}
