/* test-model.c — the document model: blocks, depths and flags, spans, tables, metadata. */
#include <string.h>

#include "model/document.h"

static void test_blocks(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    ImpBlock *b = imp_document_append_block(doc, IMP_BLOCK_LIST_ITEM, 3);
    imp_block_append_text(b, "first item", -1);
    imp_block_set_list_depth(b, 2);
    imp_block_set_quote_depth(b, 1000); /* held as 255 */
    imp_block_set_flags(b, IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_TASK);
    imp_block_set_marker(b, "1.");
    imp_block_set_language(b, "ja");
    const ImpBlock *g = imp_document_get_block(doc, 0);
    g_assert_cmpuint(imp_block_get_list_depth(g), ==, 2);
    g_assert_cmpuint(imp_block_get_quote_depth(g), ==, 255);
    g_assert_cmpuint(imp_block_get_flags(g), ==, IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_TASK);
    g_assert_cmpstr(imp_block_get_marker(g), ==, "1.");
    g_assert_cmpstr(imp_block_get_language(g), ==, "ja");
    g_assert_true(imp_block_get_language(g) == g_intern_static_string("ja"));
    g_assert_null(imp_block_get_src(g));
    g_assert_null(imp_block_get_id(g));
    g_assert_cmpstr(imp_block_kind_name(imp_block_get_kind(g)), ==, "list-item");

    ImpBlock *c = imp_document_append_block(doc, IMP_BLOCK_CODE, 5);
    imp_block_append_text(c, "$ ls -l\ntotal 0", -1);
    imp_block_set_info(c, "console");
    g_assert_cmpstr(imp_block_get_info(c), ==, "console");
    ImpBlock *h = imp_document_append_block(doc, IMP_BLOCK_HEADING, 8);
    imp_block_append_text(h, "Scope", -1);
    imp_block_set_id(h, "scope");
    imp_block_add_span(h, 0, 5, IMP_SPAN_LINK | IMP_SPAN_STRIKE, "#scope");
    imp_block_add_lang_span(h, 1, 3, "zh-Hant");
    g_assert_cmpuint(imp_block_get_n_spans(h), ==, 2);
    g_assert_cmpstr(imp_block_get_span(h, 0)->href, ==, "#scope");
    g_assert_null(imp_block_get_span(h, 0)->lang);
    g_assert_cmpuint(imp_block_get_span(h, 1)->flags, ==, IMP_SPAN_LANG);
    g_assert_cmpstr(imp_block_get_span(h, 1)->lang, ==, "zh-Hant");
    imp_document_trim(doc);
    g_assert_cmpstr(imp_block_get_text(c, NULL), ==, "$ ls -l\ntotal 0");
}

static void test_table(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    ImpBlock *t = imp_document_append_block(doc, IMP_BLOCK_TABLE, 1);
    ImpCellAlign aligns[2] = { IMP_CELL_ALIGN_LEFT, IMP_CELL_ALIGN_RIGHT };
    imp_table_set_columns(t, 2, aligns);
    imp_table_begin_row(t, TRUE);
    imp_block_append_text(imp_table_add_cell(t, 1), "名称", -1);
    imp_block_append_text(imp_table_add_cell(t, 1), "Size", -1);
    imp_table_begin_row(t, FALSE);
    imp_block_append_text(imp_table_add_cell(t, 3), "a", -1);
    imp_table_begin_row(t, FALSE);
    for (int i = 0; i < 3; i++) /* wider than the header: the table grows */
        imp_block_append_text(imp_table_add_cell(t, 4), "x", -1);
    imp_document_trim(doc);
    g_assert_cmpuint(imp_table_get_n_rows(t), ==, 3);
    g_assert_cmpuint(imp_table_get_n_columns(t), ==, 3);
    g_assert_true(imp_table_row_is_header(t, 0));
    g_assert_false(imp_table_row_is_header(t, 1));
    g_assert_cmpuint(imp_table_get_n_cells(t, 1), ==, 1);
    g_assert_null(imp_table_get_cell(t, 1, 1));
    g_assert_cmpstr(imp_block_get_text(imp_table_get_cell(t, 0, 0), NULL), ==, "名称");
    g_assert_cmpuint(imp_block_get_line(imp_table_get_cell(t, 1, 0)), ==, 3);
    g_assert_cmpint(imp_table_get_align(t, 1), ==, IMP_CELL_ALIGN_RIGHT);
    g_assert_cmpint(imp_table_get_align(t, 2), ==, IMP_CELL_ALIGN_DEFAULT);
    g_assert_cmpint(imp_table_get_align(t, 9), ==, IMP_CELL_ALIGN_DEFAULT);
}

static void test_meta(void)
{
    g_autoptr(ImpDocument) doc = imp_document_new();
    ImpMetaKey k;
    g_assert_true(imp_meta_key_from_name("lang", &k));
    g_assert_cmpint(k, ==, IMP_META_LANGUAGE);
    g_assert_true(imp_meta_key_from_name("keywords", &k));
    g_assert_cmpint(k, ==, IMP_META_KEYWORDS);
    g_assert_false(imp_meta_key_from_name("colour", &k));
    imp_document_set_meta(doc, IMP_META_URL, "https://example.org/a.html");
    g_assert_cmpstr(imp_document_get_meta(doc, IMP_META_URL), ==, "https://example.org/a.html");
    g_assert_cmpstr(imp_meta_key_name(IMP_META_URL), ==, "url");
    g_assert_null(imp_document_get_base_dir(doc));
    imp_document_set_base_dir(doc, "/tmp/in");
    g_assert_cmpstr(imp_document_get_base_dir(doc), ==, "/tmp/in");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/model/blocks", test_blocks);
    g_test_add_func("/model/table", test_table);
    g_test_add_func("/model/meta", test_meta);
    return g_test_run();
}
