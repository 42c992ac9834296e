/* fuzz-html.c — libFuzzer target for the HTML reader (imp_read_html).
 *
 * The first byte chooses the reading rules (none; the MOFCOM site's text-line rules from
 * styles/mofcom.style with [html] XPath rules for its pages; a hand-made set whose XPath
 * rules select common elements and drop some) and the encoding given (none, GB18030,
 * Shift_JIS, windows-1252); the rest is the page. Checked: a document or an
 * IMP_ERROR_INPUT naming the input, never both or neither; every message valid UTF-8;
 * every block's and table cell's text valid UTF-8 without NUL, control characters (but
 * '\n' and tab) or noncharacters; spans inside their text, on character boundaries, links
 * with a target, languages with a tag; depths and levels in range; image sources set.
 */
#include <string.h>

#include "fuzz.h"
#include "read/read.h"
#include "style/style.h"
#include "util/error.h"

static ImpStyle *mofcom;
static ImpReadRules mofcom_rules;
static ImpReadRules handmade;

static GRegex *anchored(const char *pattern)
{
    char *full = g_strdup_printf("\\A(?:%s)\\z", pattern);
    GRegex *re = g_regex_new(full, G_REGEX_OPTIMIZE, 0, NULL);
    g_free(full);
    g_assert(re != NULL);
    return re;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    imp_fuzz_fatal_warnings();
    char *styles = g_build_filename(imp_fuzz_datadir(), "styles", NULL);
    const char *dirs[] = { styles, NULL };
    GError *error = NULL;
    mofcom = imp_style_load("mofcom", dirs, NULL, &error);
    if (mofcom == NULL)
        g_error("cannot load the mofcom style: %s", error->message);
    g_free(styles);
    mofcom_rules = *imp_style_get_read_rules(mofcom);
    mofcom_rules.html_content = "//div[@id='zoom']";
    mofcom_rules.html_title = "//h1[@id='artitle']";
    mofcom_rules.html_date = "//span[@id='artDate']";
    mofcom_rules.html_section = "//div[@class='position']";
    mofcom_rules.html_masthead = "//div[@id='top']/div[@class='logo']";
    mofcom_rules.html_notice = "//div[@id='footer']/div[@class='statement']";

    static GRegex *chrome[2];
    chrome[0] = anchored("(?i)print|share|close");
    handmade.chrome = chrome;
    handmade.masthead = anchored("(?<site>[A-Z]{2,})\\s*\\|\\s*(?<extra>.*)");
    handmade.breadcrumb = anchored("Home\\s*>\\s*(?<section>.*)");
    handmade.notice_start = anchored("(?i)copyright.*");
    handmade.site = "SITE";
    handmade.source = "Source: the fuzzer";
    handmade.html_content = "//article|//*[@id='content']|//td";
    handmade.html_title = "//h1|//title";
    handmade.html_author = "string(//meta[@name='author']/@content)";
    handmade.html_date = "//time";
    handmade.html_section = "//*[@class='crumbs']";
    handmade.html_masthead = "//header";
    handmade.html_notice = "//footer";
    static const char *drops[] = { "//aside", "//*[@class='ad']", "//p[3]", NULL };
    handmade.html_drop = drops;
    return 0;
}

static void fail(const char *what, guint block)
{
    g_error("block %u: %s", block, what);
}

/* Checks one block's (or cell's) text and spans. */
static void check_text(const ImpBlock *b, guint index)
{
    gsize len;
    const char *t = imp_block_get_text(b, &len);
    if (t == NULL || !g_utf8_validate(t, (gssize)len, NULL) || memchr(t, '\0', len) != NULL)
        fail("text is not valid UTF-8", index);
    for (const char *p = t, *end = t + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F))
            fail("a control character was kept", index);
        if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
            fail("a noncharacter was kept", index);
    }
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *s = imp_block_get_span(b, i);
        if (s->start > s->end || s->end > len)
            fail("a span outside its text", index);
        if ((s->start < len && (t[s->start] & 0xC0) == 0x80) ||
            (s->end < len && (t[s->end] & 0xC0) == 0x80))
            fail("a span not on character boundaries", index);
        if ((s->flags & IMP_SPAN_LINK) != 0 && (s->href == NULL || *s->href == '\0' ||
                                                !g_utf8_validate(s->href, -1, NULL)))
            fail("a link without a target", index);
        if ((s->flags & IMP_SPAN_LANG) != 0 && (s->lang == NULL || *s->lang == '\0'))
            fail("a language span without a tag", index);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const ImpReadRules *const rule_sets[] = { NULL, &mofcom_rules, &handmade };
    static const char *const encodings[] = { NULL, "GB18030", "SHIFT_JIS", "windows-1252" };
    const ImpReadRules *rules = rule_sets[data[0] % 3];
    const char *encoding = encodings[(data[0] / 3) % 4];
    gsize len = size - 1;
    /* a buffer of exactly len bytes, so ASan sees any read beyond it */
    char *copy = g_memdup2(data + 1, len);

    ImpDiag diag = { imp_fuzz_check_message, NULL };
    ImpReadOptions o = { 0 };
    o.format = IMP_INPUT_HTML;
    o.filename = "fuzz.html";
    o.rules = rules;
    o.encoding = encoding;
    o.diag = &diag;
    GError *error = NULL;
    ImpDocument *doc = imp_read(copy, len, &o, &error);
    if ((doc == NULL) == (error == NULL))
        g_error("imp_read_html: a document and an error, or neither");
    if (doc == NULL) {
        if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_INPUT) ||
            !g_utf8_validate(error->message, -1, NULL) ||
            !g_str_has_prefix(error->message, "fuzz.html"))
            g_error("imp_read_html: bad error: %s", error->message);
        g_error_free(error);
        g_free(copy);
        return 0;
    }

    guint n = imp_document_get_n_blocks(doc);
    if (n == 0)
        g_error("imp_read_html: a document without blocks");
    for (guint i = 0; i < n; i++) {
        const ImpBlock *b = imp_document_get_block(doc, i);
        ImpBlockKind kind = imp_block_get_kind(b);
        check_text(b, i);
        if (kind == IMP_BLOCK_HEADING &&
            (imp_block_get_level(b) < 1 || imp_block_get_level(b) > 6))
            fail("a heading level out of range", i);
        if (kind == IMP_BLOCK_IMAGE &&
            (imp_block_get_src(b) == NULL || *imp_block_get_src(b) == '\0'))
            fail("an image without a source", i);
        if (kind == IMP_BLOCK_LIST_ITEM && imp_block_get_marker(b) == NULL)
            fail("a list item without a marker", i);
        if (kind == IMP_BLOCK_TABLE) {
            guint columns = imp_table_get_n_columns(b);
            for (guint r = 0; r < imp_table_get_n_rows(b); r++) {
                if (imp_table_get_n_cells(b, r) > columns)
                    fail("a row wider than its table", i);
                for (guint c = 0; c < imp_table_get_n_cells(b, r); c++)
                    check_text(imp_table_get_cell(b, r, c), i);
            }
        }
    }
    for (int k = 0; k < IMP_N_META; k++) {
        const char *v = imp_document_get_meta(doc, (ImpMetaKey)k);
        if (v != NULL && !g_utf8_validate(v, -1, NULL))
            g_error("metadata %s is not valid UTF-8", imp_meta_key_name((ImpMetaKey)k));
    }
    imp_document_free(doc);
    g_free(copy);
    return 0;
}
