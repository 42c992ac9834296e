/* test-blocks.c — unit tests of how each kind of block is set (src/layout/blocks.h):
 * documents built with the model's API, laid out with the pinned fonts and the shipped
 * styles, and the items read back: positions, indents, markers and their alignment,
 * heading numbers, anchors and keeps, code lines, wraps, marks and page breaks, table
 * widths, cells, header repeats and row splits, images (scaling, every failure mode, and
 * what the PDF holds), link areas, strike rules and emphasis dots; and characters in =
 * characters out for every kind of block.
 *
 * Chinese text comes from Debian packages, as cited where it is used.
 */
#define _GNU_SOURCE /* memmem */
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/blocks.h"
#include "layout/image.h"
#include "render/render.h"
#include "util/error.h"

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    ImpFonts *fonts;
    GPtrArray *messages;   /* char*: "LEVEL FILE:LINE: message" of the last layout */
    char *dir;             /* a temporary folder for image files */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    GError *error = NULL;
    f->fonts = imp_fonts_new(IMP_SOURCE_DIR "/fonts/fonts.conf", &error);
    g_assert_no_error(error);
    f->messages = g_ptr_array_new_with_free_func(g_free);
    f->dir = g_dir_make_tmp("test-blocks-XXXXXX", &error);
    g_assert_no_error(error);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    imp_fonts_free(f->fonts);
    g_ptr_array_free(f->messages, TRUE);
    GDir *d = g_dir_open(f->dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(f->dir, name, NULL);
        g_remove(p);
        g_free(p);
    }
    g_dir_close(d);
    g_rmdir(f->dir);
    g_free(f->dir);
}

static void keep_message(ImpDiagLevel level, const char *file, guint line, const char *message,
                         gpointer user_data)
{
    Fixture *f = user_data;
    g_ptr_array_add(f->messages, g_strdup_printf("%s %s:%u: %s",
                                                 level == IMP_DIAG_WARNING ? "warning" : "info",
                                                 file ? file : "-", line, message));
}

/* The messages of the last layout joined by newlines (transfer none: valid until the next
 * call). */
static const char *messages(Fixture *f)
{
    static char *joined;
    g_free(joined);
    g_ptr_array_add(f->messages, NULL);
    joined = g_strjoinv("\n", (char **)f->messages->pdata);
    g_ptr_array_remove_index(f->messages, f->messages->len - 1);
    return joined;
}

/* A shipped style with `sets` ("group.key=value", NULL-terminated; may be NULL). */
static ImpStyle *style_new(const char *name, const char *const *sets)
{
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load(name, dirs, sets, &error);
    g_assert_no_error(error);
    return style;
}

/* Lays out doc with a style (its messages into f->messages). */
static ImpLayout *lay_out(Fixture *f, const ImpDocument *doc, const ImpStyle *style)
{
    g_ptr_array_set_size(f->messages, 0);
    ImpDiag diag = { keep_message, f };
    ImpLayoutOptions opt;
    imp__layout_options_init(&opt);
    opt.diag = &diag;
    opt.jobs = 1;
    GError *error = NULL;
    ImpLayout *lay = imp__layout_new(doc, style, f->fonts, &opt, &error);
    g_assert_no_error(error);
    return lay;
}

static ImpDocument *doc_new(void)
{
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, "doc.md");
    return doc;
}

/* Appends a block of `kind` with `text` at source line `line`. */
static ImpBlock *add(ImpDocument *doc, ImpBlockKind kind, const char *text, guint line)
{
    ImpBlock *b = imp_document_append_block(doc, kind, line);
    imp_block_begin_line(b, line);
    imp_block_append_text(b, text, -1);
    return b;
}

/* An item found on a page. */
typedef struct {
    guint page;
    ImpItem item;
} Found;

/* Every body item of every page (running heads, which come from no block, left out). */
static GArray *items_of(const ImpLayout *lay)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(Found));
    for (guint p = 0; p < imp_layout_get_n_pages(lay); p++) {
        guint n;
        const ImpItem *items = imp_layout_get_items(lay, p, &n);
        for (guint i = 0; i < n; i++) {
            if (items[i].block == IMP_ITEM_NO_BLOCK)
                continue;
            Found fd = { p, items[i] };
            g_array_append_val(a, fd);
        }
    }
    return a;
}

#define FOUND(a, i) (&g_array_index((a), Found, (i)))

/* Whether an item is a line of text (GLYPHS or TEXT). */
static gboolean is_line(const ImpItem *it)
{
    return it->kind == IMP_ITEM_GLYPHS || it->kind == IMP_ITEM_TEXT;
}

/* The text a line item holds (transfer full): a Pango line's with the line end that
 * closes it (Pango keeps a paragraph's separator out of its line). */
static char *line_text(const ImpItem *it)
{
    if (it->kind == IMP_ITEM_TEXT) {
        const char *t = pango_layout_get_text(it->line->layout);
        gsize end = (gsize)(it->line->start_index + it->line->length);
        return g_strndup(t + it->line->start_index,
                         (gsize)it->line->length + (t[end] == '\n'));
    }
    GString *s = g_string_new(NULL);
    for (guint r = 0; r < it->glyphs->n_runs; r++)
        g_string_append_len(s, it->glyphs->text + it->glyphs->runs[r].offset,
                            it->glyphs->runs[r].length);
    return g_string_free(s, FALSE);
}

/* The width of a line item, points. */
static double line_width(const ImpItem *it)
{
    if (it->kind == IMP_ITEM_TEXT) {
        PangoRectangle logical;
        pango_layout_line_get_extents(it->line, NULL, &logical);
        return (double)logical.width / PANGO_SCALE;
    }
    double w = 0;
    PangoItem item = { 0 };
    PangoGlyphString *gs = pango_glyph_string_new();
    for (guint r = 0; r < it->glyphs->n_runs; r++) {
        imp_glyph_line_fill_run(it->glyphs, r, &item, gs);
        w += pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
    }
    pango_glyph_string_free(gs);
    if (it->glyphs->hyphen) /* a hyphenated line's hyphen is drawn after its runs */
        w += pango_glyph_string_get_width(it->glyphs->hyphen) / (double)PANGO_SCALE;
    return w;
}

/* Where a line item's text ends on the page, a space that closes it (which hangs past
 * the measure) left out. */
static double line_end(const ImpItem *it)
{
    double end = it->x + line_width(it);
    char *t = line_text(it);
    gboolean space = g_str_has_suffix(t, " ") || g_str_has_suffix(t, " \n");
    g_free(t);
    if (!space)
        return end;
    if (it->kind == IMP_ITEM_TEXT) {
        PangoGlyphItem *gi = g_slist_last(it->line->runs)->data;
        return end - gi->glyphs->glyphs[gi->glyphs->num_glyphs - 1].geometry.width /
                         (double)PANGO_SCALE;
    }
    PangoItem item = { 0 };
    PangoGlyphString *gs = pango_glyph_string_new();
    imp_glyph_line_fill_run(it->glyphs, it->glyphs->n_runs - 1, &item, gs);
    end -= gs->glyphs[gs->num_glyphs - 1].geometry.width / (double)PANGO_SCALE;
    pango_glyph_string_free(gs);
    return end;
}

/* The family of the font of a line item's first run. */
static char *first_family(const ImpItem *it)
{
    PangoFont *font = NULL;
    if (it->kind == IMP_ITEM_GLYPHS)
        font = it->glyphs->runs[0].style->analysis.font;
    else
        font = ((PangoGlyphItem *)it->line->runs->data)->item->analysis.font;
    PangoFontDescription *fd = pango_font_describe(font);
    char *family = g_strdup(pango_font_description_get_family(fd));
    pango_font_description_free(fd);
    return family;
}

/* The bytes of s[0..n) that are not line ends. */
static gsize text_bytes(const char *s, gsize n)
{
    gsize k = 0;
    for (gsize i = 0; i < n; i++)
        k += s[i] != '\n';
    return k;
}

/* Characters in = characters out: the bytes of each block's text in its lines (markers,
 * numbers, marks and repeats apart) add up to its length, its cells' to theirs. Line ends
 * are left out of the count: a code line's, which ends a line of a PangoLayout, is not in
 * that line's text. */
static void assert_all_text(const ImpDocument *doc, GArray *found)
{
    guint n = imp_document_get_n_blocks(doc);
    gsize *bytes = g_new0(gsize, n);
    GHashTable *cells = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < found->len; i++) {
        const ImpItem *it = &FOUND(found, i)->item;
        if (!is_line(it) || (it->flags & (IMP_ITEM_MARKER | IMP_ITEM_ARTIFACT)))
            continue;
        char *t = line_text(it);
        bytes[it->block] += text_bytes(t, strlen(t));
        if (it->cell > 0) {
            gsize *c = g_hash_table_lookup(cells, GUINT_TO_POINTER(it->cell));
            if (c == NULL)
                g_hash_table_insert(cells, GUINT_TO_POINTER(it->cell), c = g_new0(gsize, 1));
            *c += text_bytes(t, strlen(t));
        }
        g_free(t);
    }
    for (guint b = 0; b < n; b++) {
        const ImpBlock *block = imp_document_get_block(doc, b);
        gsize len;
        const char *text = imp_block_get_text(block, &len);
        if (imp_block_get_kind(block) == IMP_BLOCK_TABLE) {
            guint cols = imp_table_get_n_columns(block);
            for (guint r = 0; r < imp_table_get_n_rows(block); r++)
                for (guint c = 0; c < imp_table_get_n_cells(block, r); c++) {
                    gsize cl;
                    const char *ct = imp_block_get_text(imp_table_get_cell(block, r, c), &cl);
                    gsize *got = g_hash_table_lookup(cells, GUINT_TO_POINTER(1 + r * cols + c));
                    g_assert_cmpuint(got ? *got : 0, ==, text_bytes(ct, cl));
                }
        } else if (imp_block_get_kind(block) != IMP_BLOCK_IMAGE) {
            g_assert_cmpuint(bytes[b], ==, text_bytes(text, len));
        }
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, cells);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_free(v);
    g_hash_table_destroy(cells);
    g_free(bytes);
}

/* The first line item of block b (NULL if none). */
static const Found *first_line(GArray *found, guint b)
{
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block == b && is_line(&fd->item) &&
            !(fd->item.flags & (IMP_ITEM_MARKER | IMP_ITEM_ARTIFACT)))
            return fd;
    }
    return NULL;
}

/* The first item of block b with `flags` set and of `kind` (< 0: any). */
static const Found *find(GArray *found, guint b, int kind, guint flags)
{
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block == b && (kind < 0 || fd->item.kind == kind) &&
            (fd->item.flags & flags) == flags)
            return fd;
    }
    return NULL;
}

/* Counts the items of block b of `kind` (< 0: any) with `flags` set. */
static guint count(GArray *found, guint b, int kind, guint flags)
{
    guint n = 0;
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        n += fd->item.block == b && (kind < 0 || fd->item.kind == kind) &&
             (fd->item.flags & flags) == flags;
    }
    return n;
}

static const char *const lorem =
    "Jiang stressed that it is necessary to focus on the issues of system and mechanism "
    "exposed in the special campaign, and push forward improving regulations, policies and "
    "systems according to the unified arrangement of the State Council.";

/* ------------------------------------------------------------------------------------ */
/* Headings                                                                             */
/* ------------------------------------------------------------------------------------ */

/* The size of the font of a line item's first run, points. */
static double first_size(const ImpItem *it)
{
    PangoFont *font = it->kind == IMP_ITEM_GLYPHS
                          ? it->glyphs->runs[0].style->analysis.font
                          : ((PangoGlyphItem *)it->line->runs->data)->item->analysis.font;
    PangoFontDescription *fd = pango_font_describe_with_absolute_size(font);
    double size = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
    pango_font_description_free(fd);
    return size;
}

/* A document of a title and headings of levels 1 to 6, each with a paragraph, and a heading
 * that carries its own number. */
static ImpDocument *headings_doc(guint first_level)
{
    ImpDocument *doc = doc_new();
    add(doc, IMP_BLOCK_TITLE, "The title", 1);
    for (guint level = first_level; level <= 6; level++) {
        char *t = g_strdup_printf("Heading at level %u", level);
        ImpBlock *h = add(doc, IMP_BLOCK_HEADING, t, 2 * level);
        imp_block_set_level(h, level);
        char *id = g_strdup_printf("h%u", level);
        imp_block_set_id(h, id);
        g_free(id);
        g_free(t);
        add(doc, IMP_BLOCK_PARAGRAPH, lorem, 2 * level + 1);
    }
    ImpBlock *h = add(doc, IMP_BLOCK_HEADING, "2.5 Numbered by its author", 20);
    imp_block_set_level(h, 2);
    imp_block_set_flags(h, IMP_BLOCK_FLAG_NUMBERED | IMP_BLOCK_FLAG_FOUND);
    add(doc, IMP_BLOCK_PARAGRAPH, lorem, 21);
    h = add(doc, IMP_BLOCK_HEADING, "A heading\nwith a line break", 22);
    imp_block_set_level(h, 3);
    return doc;
}

/* Headings 1–6 in their roles; an anchor per title and heading, at the heading's level,
 * labelled with its text, on the heading's block (whose id "#id" links lead to). */
static void test_heading_roles(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpDocument *doc = headings_doc(1);
    ImpStyle *style = style_new("default", NULL);
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);
    static const ImpRole roles[] = { IMP_ROLE_H1, IMP_ROLE_H2, IMP_ROLE_H3, IMP_ROLE_H4,
                                     IMP_ROLE_H5, IMP_ROLE_H6 };
    guint anchors = 0;
    for (guint bi = 0; bi < imp_document_get_n_blocks(doc); bi++) {
        const ImpBlock *b = imp_document_get_block(doc, bi);
        ImpBlockKind kind = imp_block_get_kind(b);
        if (kind != IMP_BLOCK_HEADING && kind != IMP_BLOCK_TITLE)
            continue;
        const Found *a = find(found, bi, IMP_ITEM_ANCHOR, 0);
        g_assert_nonnull(a);
        anchors++;
        char *text = g_strdup(imp_block_get_text(b, NULL));
        g_strdelimit(text, "\n", ' '); /* a line break: a space in the outline */
        g_assert_cmpstr(a->item.label, ==, text);
        g_free(text);
        g_assert_cmpint(a->item.level, ==, kind == IMP_BLOCK_TITLE ? 1
                                           : (int)imp_block_get_level(b));
        const Found *l = first_line(found, bi);
        g_assert_cmpuint(a->page, ==, l->page);
        if (kind == IMP_BLOCK_HEADING) {
            double want = imp_style_get_role(style, roles[imp_block_get_level(b) - 1])->size;
            g_assert_cmpfloat_with_epsilon(first_size(&l->item), want, 0.01);
            g_assert_null(find(found, bi, -1, IMP_ITEM_MARKER)); /* no numbers */
        }
    }
    g_assert_cmpuint(anchors, ==, 9);
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_style_free(style);
    imp_document_free(doc);
}

/* [headings] numbering=decimal: "1.", "1.1", "1.1.1" from the shallowest level the
 * document uses, as marker items before the heading's text, which hangs beside them; a
 * heading with its own number and the title get none; the outline labels carry them. */
static void test_heading_numbers(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *sets[] = { "headings.numbering=decimal", NULL };
    ImpStyle *style = style_new("default", sets);
    for (guint top = 1; top <= 2; top++) {
        ImpDocument *doc = headings_doc(top);
        ImpLayout *lay = lay_out(f, doc, style);
        GArray *found = items_of(lay);
        const char *want[] = { "1.", "1.1", "1.1.1", "1.1.1.1", "1.1.1.1.1", "1.1.1.1.1.1" };
        guint k = 0;
        for (guint bi = 0; bi < imp_document_get_n_blocks(doc); bi++) {
            const ImpBlock *b = imp_document_get_block(doc, bi);
            const Found *num = find(found, bi, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
            const Found *a = find(found, bi, IMP_ITEM_ANCHOR, 0);
            if (imp_block_get_kind(b) != IMP_BLOCK_HEADING ||
                (imp_block_get_flags(b) & IMP_BLOCK_FLAG_NUMBERED) ||
                strchr(imp_block_get_text(b, NULL), '\n') != NULL) {
                if (strchr(imp_block_get_text(b, NULL), '\n') == NULL) {
                    g_assert_null(num);
                    if (a != NULL)
                        g_assert_cmpstr(a->item.label, ==, imp_block_get_text(b, NULL));
                }
                continue;
            }
            g_assert_nonnull(num);
            g_assert_cmpstr(pango_layout_get_text(num->item.line->layout), ==, want[k]);
            char *label = g_strdup_printf("%s %s", want[k], imp_block_get_text(b, NULL));
            g_assert_cmpstr(a->item.label, ==, label);
            g_free(label);
            k++;
            /* the number at the measure's edge, the text half an em after it */
            const Found *l = first_line(found, bi);
            g_assert_cmpfloat_with_epsilon(num->item.x, imp_style_get_page(style)->margin_left,
                                           0.01);
            const ImpRoleStyle *rs = imp_style_get_role(style, imp__heading_role(
                                                                   imp_block_get_level(b)));
            g_assert_cmpfloat_with_epsilon(l->item.x,
                                           num->item.x + line_width(&num->item) + rs->size / 2,
                                           0.01);
            g_assert_cmpfloat_with_epsilon(num->item.y, l->item.y, 0.001);
            g_assert_cmpuint(num->page, ==, l->page);
            g_assert_true(num < l); /* before the text it numbers */
        }
        g_assert_cmpuint(k, ==, 7 - top); /* and the heading with a line break */
        assert_all_text(doc, found);
        g_array_free(found, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
    }
    imp_style_free(style);
}

/* A heading never ends a page: it keeps with at least [headings] keep-with-next lines of
 * what follows (one-line paragraphs, so the keep runs across blocks). */
static void test_heading_keeps(Fixture *f, gconstpointer data)
{
    (void)data;
    for (int keep = 1; keep <= 4; keep += 3) {
        char *set = g_strdup_printf("headings.keep-with-next=%d", keep);
        const char *sets[] = { set, NULL };
        ImpStyle *style = style_new("default", sets);
        ImpDocument *doc = doc_new();
        for (guint i = 0; i < 400; i++) {
            if (i % 7 == 3) {
                ImpBlock *h = add(doc, IMP_BLOCK_HEADING, "A heading", i + 1);
                imp_block_set_level(h, 1 + i % 3);
            } else {
                add(doc, IMP_BLOCK_PARAGRAPH, "One short line.", i + 1);
            }
        }
        ImpLayout *lay = lay_out(f, doc, style);
        g_assert_cmpuint(imp_layout_get_n_pages(lay), >, 5);
        GArray *found = items_of(lay);
        guint checked = 0;
        for (guint bi = 0; bi + (guint)keep < imp_document_get_n_blocks(doc); bi++) {
            if (imp_block_get_kind(imp_document_get_block(doc, bi)) != IMP_BLOCK_HEADING)
                continue;
            guint page = first_line(found, bi)->page;
            g_assert_cmpuint(find(found, bi, IMP_ITEM_ANCHOR, 0)->page, ==, page);
            for (int k = 1; k <= keep; k++)
                g_assert_cmpuint(first_line(found, bi + (guint)k)->page, ==, page);
            checked++;
        }
        g_assert_cmpuint(checked, >, 50);
        g_array_free(found, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
        imp_style_free(style);
        g_free(set);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Lists, quotations, terms                                                             */
/* ------------------------------------------------------------------------------------ */

/* A list item at `depth` with `marker` and `flags`. */
static ImpBlock *item(ImpDocument *doc, guint depth, const char *marker, ImpBlockFlags flags,
                      const char *text, guint line)
{
    ImpBlock *b = add(doc, IMP_BLOCK_LIST_ITEM, text, line);
    imp_block_set_list_depth(b, depth);
    imp_block_set_marker(b, marker);
    imp_block_set_flags(b, flags);
    return b;
}

/* The text of a marker item (transfer none). */
static const char *marker_text(const Found *m)
{
    return pango_layout_get_text(m->item.line->layout);
}

/* Ordered lists align their numbers on the period, right before the items' text, which
 * aligns; unordered items take the style's bullet for their depth, tasks a box, a list
 * found in plain text its markers as typed; every marker is a MARKER item before its
 * item's first line; a continuation paragraph aligns with its item's text; a list of 100
 * items is indented enough for "100."; nesting indents further. */
static void test_lists(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    ImpDocument *doc = doc_new();
    guint line = 1;
    add(doc, IMP_BLOCK_PARAGRAPH, "Before the lists.", line++);
    guint ordered0 = imp_document_get_n_blocks(doc);
    for (guint i = 1; i <= 12; i++) {
        char *m = g_strdup_printf("%u.", i);
        item(doc, 1, m, IMP_BLOCK_FLAG_ORDERED | (i == 1 ? IMP_BLOCK_FLAG_LIST_START : 0),
             i == 3 ? lorem : "An item.", line++);
        g_free(m);
    }
    guint cont = imp_document_get_n_blocks(doc);
    ImpBlock *c = add(doc, IMP_BLOCK_PARAGRAPH, lorem, line++);
    imp_block_set_list_depth(c, 1);
    guint nested = imp_document_get_n_blocks(doc);
    item(doc, 2, "•", IMP_BLOCK_FLAG_LIST_START, "Depth two.", line++);
    item(doc, 3, "•", IMP_BLOCK_FLAG_LIST_START, "Depth three.", line++);
    item(doc, 4, "•", IMP_BLOCK_FLAG_LIST_START, "Depth four.", line++);
    guint tasks = imp_document_get_n_blocks(doc);
    add(doc, IMP_BLOCK_PARAGRAPH, "Between.", line++);
    item(doc, 1, "•", IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_TASK | IMP_BLOCK_FLAG_TASK_DONE,
         "Done.", line++);
    item(doc, 1, "•", IMP_BLOCK_FLAG_TASK, "To do.", line++);
    guint typed = imp_document_get_n_blocks(doc);
    add(doc, IMP_BLOCK_PARAGRAPH, "Found in plain text:", line++);
    item(doc, 1, "-", IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_FOUND, "a dash", line++);
    item(doc, 2, "(a)", IMP_BLOCK_FLAG_LIST_START | IMP_BLOCK_FLAG_FOUND | IMP_BLOCK_FLAG_ORDERED,
         "a letter", line++);
    guint hundred = imp_document_get_n_blocks(doc);
    add(doc, IMP_BLOCK_PARAGRAPH, "A long list:", line++);
    for (guint i = 1; i <= 100; i++) {
        char *m = g_strdup_printf("%u.", i);
        item(doc, 1, m, IMP_BLOCK_FLAG_ORDERED | (i == 1 ? IMP_BLOCK_FLAG_LIST_START : 0),
             "Item.", line++);
        g_free(m);
    }
    ImpLayout *lay = lay_out(f, doc, style);
    g_assert_cmpstr(messages(f), ==, "");
    GArray *found = items_of(lay);
    double left = imp_style_get_page(style)->margin_left;
    double indent = imp_style_get_list(style)->indent;
    double gap = imp_style_get_role(style, IMP_ROLE_LIST)->size / 2;

    /* 1. .. 12.: right edges and text aligned */
    double right = 0, text_x = 0;
    for (guint i = 0; i < 12; i++) {
        const Found *m = find(found, ordered0 + i, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
        const Found *l = first_line(found, ordered0 + i);
        char *want = g_strdup_printf("%u.", i + 1);
        g_assert_cmpstr(marker_text(m), ==, want);
        g_free(want);
        double r = m->item.x + line_width(&m->item);
        if (i == 0)
            right = r, text_x = l->item.x;
        g_assert_cmpfloat_with_epsilon(r, right, 0.01);
        g_assert_cmpfloat_with_epsilon(l->item.x, text_x, 0.01);
        g_assert_cmpfloat_with_epsilon(l->item.x - r, gap, 0.01);
        g_assert_cmpfloat_with_epsilon(m->item.y, l->item.y, 0.001);
        g_assert_true(m < l);
        g_assert_cmpuint(count(found, ordered0 + i, -1, IMP_ITEM_MARKER), ==, 1);
    }
    /* [list] indent, or more when "12." and the gap need it */
    const Found *m12 = find(found, ordered0 + 11, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
    g_assert_cmpfloat_with_epsilon(text_x, left + MAX(indent, line_width(&m12->item) + gap),
                                   0.01);
    /* the third item's second line aligns with its first */
    guint lines3 = 0;
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block == ordered0 + 2 && is_line(&fd->item) &&
            !(fd->item.flags & IMP_ITEM_MARKER)) {
            g_assert_cmpfloat_with_epsilon(fd->item.x, text_x, 0.01);
            lines3++;
        }
    }
    g_assert_cmpuint(lines3, >, 1);
    g_assert_cmpfloat_with_epsilon(first_line(found, cont)->item.x, text_x, 0.01);
    g_assert_null(find(found, cont, -1, IMP_ITEM_MARKER));

    /* nesting: the style's bullets by depth, each level further in */
    const char *bullets[] = { "◦", "▪", "•" };
    double prev_x = text_x;
    for (guint d = 0; d < 3; d++) {
        const Found *m = find(found, nested + d, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
        g_assert_cmpstr(marker_text(m), ==, bullets[d]);
        double x = first_line(found, nested + d)->item.x;
        g_assert_cmpfloat_with_epsilon(x, prev_x + indent, 0.01);
        prev_x = x;
    }
    /* tasks: their boxes, in a face that has them */
    g_assert_cmpstr(marker_text(find(found, tasks + 1, IMP_ITEM_TEXT, IMP_ITEM_MARKER)), ==,
                    "☑");
    g_assert_cmpstr(marker_text(find(found, tasks + 2, IMP_ITEM_TEXT, IMP_ITEM_MARKER)), ==,
                    "☐");
    char *family = first_family(&find(found, tasks + 2, IMP_ITEM_TEXT, IMP_ITEM_MARKER)->item);
    g_assert_cmpstr(family, ==, "Noto Sans Symbols2");
    g_free(family);
    /* found in plain text: as typed */
    g_assert_cmpstr(marker_text(find(found, typed + 1, IMP_ITEM_TEXT, IMP_ITEM_MARKER)), ==,
                    "-");
    g_assert_cmpstr(marker_text(find(found, typed + 2, IMP_ITEM_TEXT, IMP_ITEM_MARKER)), ==,
                    "(a)");
    /* 100.: the indent grows for it; every marker inside the text area */
    const Found *m100 = find(found, hundred + 100, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
    g_assert_cmpstr(marker_text(m100), ==, "100.");
    g_assert_cmpfloat(m100->item.x, >=, left - 0.01);
    double t100 = first_line(found, hundred + 100)->item.x;
    g_assert_cmpfloat(t100, >, left + indent);
    g_assert_cmpfloat_with_epsilon(t100 - (m100->item.x + line_width(&m100->item)), gap, 0.01);
    g_assert_cmpfloat_with_epsilon(first_line(found, hundred + 1)->item.x, t100, 0.01);
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
}

/* Quotations indent by [list] indent a level on the left (and once on the right) in the
 * quote role; a term is set in [term], its definition indented under it, the term kept
 * with the definition's first line. */
static void test_quotes_terms(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    ImpDocument *doc = doc_new();
    add(doc, IMP_BLOCK_PARAGRAPH, lorem, 1);
    imp_block_set_quote_depth(add(doc, IMP_BLOCK_PARAGRAPH, lorem, 2), 1);
    imp_block_set_quote_depth(add(doc, IMP_BLOCK_PARAGRAPH, lorem, 3), 2);
    add(doc, IMP_BLOCK_TERM, "-l, --long", 4);
    add(doc, IMP_BLOCK_DEFINITION, "use a long listing format", 5);
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);
    double left = imp_style_get_page(style)->margin_left;
    double indent = imp_style_get_list(style)->indent;
    const ImpPageStyle *ps = imp_style_get_page(style);
    double right = ps->width - ps->margin_right;
    for (guint q = 0; q <= 2; q++) {
        const Found *l = first_line(found, q);
        g_assert_cmpfloat_with_epsilon(l->item.x, left + q * indent, 0.01);
        double size = imp_style_get_role(style, q ? IMP_ROLE_QUOTE : IMP_ROLE_BODY)->size;
        g_assert_cmpfloat_with_epsilon(first_size(&l->item), size, 0.01);
        /* justified: the first line reaches the right edge, less the quotation's */
        double end = line_end(&l->item);
        g_assert_cmpfloat_with_epsilon(end, right - (q ? indent : 0), 0.01);
    }
    const Found *term = first_line(found, 3), *def = first_line(found, 4);
    g_assert_cmpfloat_with_epsilon(term->item.x, left, 0.01);
    g_assert_cmpfloat_with_epsilon(def->item.x, left + indent, 0.01);
    char *family = first_family(&term->item);
    g_assert_cmpstr(family, ==, "Noto Serif");
    g_free(family);
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
}

/* ------------------------------------------------------------------------------------ */
/* Code                                                                                 */
/* ------------------------------------------------------------------------------------ */

/* The lines of code block b, in order (Found*, transfer container). */
static GPtrArray *code_lines(GArray *found, guint b)
{
    GPtrArray *a = g_ptr_array_new();
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block == b && fd->item.kind == IMP_ITEM_TEXT &&
            !(fd->item.flags & IMP_ITEM_ARTIFACT))
            g_ptr_array_add(a, (gpointer)fd);
    }
    return a;
}

/* A code block keeps its lines as typed, in Noto Sans Mono, left-aligned; tabs go to
 * every eighth column; a line longer than the measure wraps under a hanging indent, each
 * continuation starting with the ↪ mark as furniture; nothing passes the measure; the rule
 * down its left edge is furniture drawn before the text. */
static void test_code_lines(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    const ImpCodeStyle *cs = imp_style_get_code(style);
    ImpDocument *doc = doc_new();
    GString *code = g_string_new("$ ls -l\nname\tsize\n");
    for (int i = 0; i < 40; i++)
        g_string_append(code, "word-");
    g_string_append(code, "\nlast line");
    add(doc, IMP_BLOCK_CODE, code->str, 1);
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);
    GPtrArray *lines = code_lines(found, 0);
    const ImpPageStyle *ps = imp_style_get_page(style);
    double x0 = ps->margin_left + cs->padding, right = ps->width - ps->margin_right;
    g_assert_cmpuint(lines->len, >, 4);
    const char *want[] = { "$ ls -l\n", "name\tsize\n" };
    for (guint i = 0; i < 2; i++) {
        const ImpItem *it = &((const Found *)lines->pdata[i])->item;
        char *t = line_text(it);
        g_assert_cmpstr(t, ==, want[i]);
        g_free(t);
        g_assert_cmpfloat_with_epsilon(it->x, x0, 0.01);
        char *family = first_family(it);
        g_assert_cmpstr(family, ==, "Noto Sans Mono");
        g_free(family);
    }
    /* the tab: "size" starts at column 8 */
    const ImpItem *tabbed = &((const Found *)lines->pdata[1])->item;
    int xpos;
    pango_layout_line_index_to_x(tabbed->line, tabbed->line->start_index + 5, FALSE, &xpos);
    double col = 0.6 * imp_style_get_role(style, IMP_ROLE_CODE)->size; /* Noto Sans Mono */
    g_assert_cmpfloat_with_epsilon(xpos / (double)PANGO_SCALE, 8 * col, 0.05);
    /* the long line: wrapped, continuations hang with the mark */
    guint marks = 0, cont = 0;
    for (guint i = 0; i < lines->len; i++) {
        const Found *fd = lines->pdata[i];
        const ImpItem *it = &fd->item;
        g_assert_cmpfloat(it->x + line_width(it), <=, right + 0.01);
        if (!it->line->is_paragraph_start) {
            cont++;
            g_assert_cmpfloat_with_epsilon(it->x, x0 + cs->wrap_indent, 0.01);
        }
    }
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.kind == IMP_ITEM_TEXT && (fd->item.flags & IMP_ITEM_ARTIFACT)) {
            g_assert_cmpstr(pango_layout_get_text(fd->item.line->layout), ==, "↪");
            g_assert_cmpfloat_with_epsilon(fd->item.x, x0, 0.01);
            marks++;
        }
    }
    g_assert_cmpuint(cont, >, 0);
    g_assert_cmpuint(marks, ==, cont);
    /* the rule: a furniture box per line, before each line */
    guint boxes = 0;
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.kind != IMP_ITEM_BOX)
            continue;
        g_assert_true(fd->item.flags & IMP_ITEM_ARTIFACT);
        g_assert_cmpfloat_with_epsilon(fd->item.x, ps->margin_left, 0.01);
        g_assert_cmpfloat_with_epsilon(fd->item.width, cs->rule.thickness, 0.001);
        g_assert_cmpuint(fd->item.color, ==, cs->rule.color);
        g_assert_true(i + 1 < found->len && FOUND(found, i + 1)->item.kind == IMP_ITEM_TEXT);
        boxes++;
    }
    g_assert_cmpuint(boxes, ==, lines->len);
    assert_all_text(doc, found);
    g_ptr_array_free(lines, TRUE);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    g_string_free(code, TRUE);
    imp_style_free(style);
}

/* Code with CJK text is set wholly in the CJK monospace face, whose Latin is half its Han:
 * the columns of a listing of Chinese file names stay aligned (manpages-zh's ls(1) words
 * for the names). */
static void test_code_cjk(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    ImpDocument *doc = doc_new();
    add(doc, IMP_BLOCK_CODE, "文件名  大小\nabcdef  1234\n目录ab  56", 1);
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);
    GPtrArray *lines = code_lines(found, 0);
    g_assert_cmpuint(lines->len, ==, 3);
    double w0 = 0;
    for (guint i = 0; i < 3; i++) {
        const ImpItem *it = &((const Found *)lines->pdata[i])->item;
        char *family = first_family(it);
        g_assert_cmpstr(family, ==, "Noto Sans Mono CJK SC");
        g_free(family);
        /* "文件名  " and "abcdef  " and "目录ab  ": the second column starts alike */
        int x;
        pango_layout_line_index_to_x(it->line, it->line->start_index +
                                     (i == 0 ? 11 : i == 1 ? 8 : 10), FALSE, &x);
        if (i == 0)
            w0 = x / (double)PANGO_SCALE;
        g_assert_cmpfloat_with_epsilon(x / (double)PANGO_SCALE, w0, 0.01);
    }
    g_ptr_array_free(lines, TRUE);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    imp_style_free(style);
}

/* A long code block splits across pages only between source lines (never inside a
 * wrapped one), with at least two lines on each side; a short one moves whole. With a
 * tint (letter), each line stands on a furniture box drawn before it, the boxes tiling. */
static void test_code_pages(Fixture *f, gconstpointer data)
{
    (void)data;
    for (int tint = 0; tint <= 1; tint++) {
        ImpStyle *style = style_new(tint ? "letter" : "default", NULL);
        ImpDocument *doc = doc_new();
        GString *code = g_string_new(NULL);
        for (int i = 0; i < 150; i++) {
            g_string_append_printf(code, "line %d", i);
            if (i % 9 == 4)
                for (int k = 0; k < 30; k++)
                    g_string_append(code, " continued");
            g_string_append_c(code, '\n');
        }
        g_string_truncate(code, code->len - 1);
        for (int p = 0; p < 30; p++)
            add(doc, IMP_BLOCK_PARAGRAPH, "Text.", 1);
        add(doc, IMP_BLOCK_CODE, code->str, 2);
        for (int p = 0; p < 40; p++)
            add(doc, IMP_BLOCK_PARAGRAPH, "Text.", 3);
        add(doc, IMP_BLOCK_CODE, "one\ntwo\nthree", 4);
        ImpLayout *lay = lay_out(f, doc, style);
        GArray *found = items_of(lay);
        GPtrArray *lines = code_lines(found, 30);
        guint pages = 0, run = 0;
        for (guint i = 0; i < lines->len; i++) {
            const Found *fd = lines->pdata[i];
            run++;
            if (i + 1 == lines->len || ((const Found *)lines->pdata[i + 1])->page != fd->page) {
                g_assert_cmpuint(run, >=, 2);
                if (i + 1 < lines->len) {
                    const Found *next = lines->pdata[i + 1];
                    g_assert_true(next->item.line->is_paragraph_start);
                    pages++;
                }
                run = 0;
            }
        }
        g_assert_cmpuint(pages, >, 0);
        GPtrArray *shortb = code_lines(found, 71);
        g_assert_cmpuint(shortb->len, ==, 3);
        g_assert_cmpuint(((Found *)shortb->pdata[0])->page, ==,
                         ((Found *)shortb->pdata[2])->page);
        if (tint) {
            const ImpCodeStyle *cs = imp_style_get_code(style);
            g_assert_true(cs->has_background);
            guint boxes = 0;
            double bottom = -1;
            guint page = G_MAXUINT;
            for (guint i = 0; i < found->len; i++) {
                const Found *fd = FOUND(found, i);
                if (fd->item.block != 30 || fd->item.kind != IMP_ITEM_BOX)
                    continue;
                g_assert_true(fd->item.flags & IMP_ITEM_ARTIFACT);
                g_assert_cmpuint(fd->item.color, ==, cs->background);
                if (fd->page == page) /* no gap between a box and the next */
                    g_assert_cmpfloat(fd->item.y, <=, bottom + 0.001);
                page = fd->page;
                bottom = fd->item.y + fd->item.thickness;
                boxes++;
            }
            g_assert_cmpuint(boxes, >=, lines->len + 2); /* and the padding above, below */
        }
        assert_all_text(doc, found);
        g_ptr_array_free(shortb, TRUE);
        g_ptr_array_free(lines, TRUE);
        g_array_free(found, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
        g_string_free(code, TRUE);
        imp_style_free(style);
    }
}

/* A long code block is set in pieces of source lines (Pango's cost per paragraph grows
 * with the text before it): a link on its 100th line still gets its area over the right
 * text, and every line is there. An HTML <li> outside any list is an item of depth 1: its
 * marker stands before its text, not on it. */
static void test_code_long_and_stray_item(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    ImpDocument *doc = doc_new();
    GString *code = g_string_new(NULL);
    gsize ls = 0;
    for (int i = 0; i < 130; i++) {
        if (i == 100) {
            g_string_append(code, "see ");
            ls = code->len;
            g_string_append(code, "https://example.org/x");
        } else {
            g_string_append_printf(code, "line %d", i);
        }
        if (i + 1 < 130)
            g_string_append_c(code, '\n');
    }
    ImpBlock *b = add(doc, IMP_BLOCK_CODE, code->str, 1);
    imp_block_add_span(b, ls, ls + strlen("https://example.org/x"), IMP_SPAN_LINK,
                       "https://example.org/x");
    add(doc, IMP_BLOCK_LIST_ITEM, "A stray item.", 2);
    imp_block_set_marker((ImpBlock *)imp_document_get_block(doc, 1), "•");
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);
    GPtrArray *lines = code_lines(found, 0);
    g_assert_cmpuint(lines->len, ==, 130);
    const Found *link = find(found, 0, IMP_ITEM_LINK, 0);
    g_assert_nonnull(link);
    g_assert_cmpstr(link->item.label, ==, "https://example.org/x");
    const Found *l100 = lines->pdata[100];
    char *t = line_text(&l100->item);
    g_assert_true(g_str_has_prefix(t, "see https://example.org/x"));
    g_free(t);
    double x0, x1;
    gsize at = (gsize)l100->item.line->start_index + 4; /* in its PangoLayout's text */
    g_assert_true(imp__line_range_x(&l100->item, at, at + strlen("https://example.org/x"), &x0,
                                    &x1));
    g_assert_cmpfloat_with_epsilon(link->item.x, l100->item.x + x0, 0.01);
    g_assert_cmpfloat_with_epsilon(link->item.width, x1 - x0, 0.01);
    g_assert_cmpuint(link->page, ==, l100->page);
    const Found *m = find(found, 1, IMP_ITEM_TEXT, IMP_ITEM_MARKER);
    g_assert_cmpfloat(m->item.x + line_width(&m->item), <, first_line(found, 1)->item.x);
    assert_all_text(doc, found);
    g_ptr_array_free(lines, TRUE);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    g_string_free(code, TRUE);
    imp_style_free(style);
}

/* ------------------------------------------------------------------------------------ */
/* Tables                                                                               */
/* ------------------------------------------------------------------------------------ */

/* A table of `rows` body rows under a header, columns aligned left, right, centre. */
static ImpBlock *table_new(ImpDocument *doc, guint rows, const char *const *header,
                           const char *(*cell)(guint r, guint c), guint line)
{
    ImpBlock *t = imp_document_append_block(doc, IMP_BLOCK_TABLE, line);
    ImpCellAlign aligns[] = { IMP_CELL_ALIGN_DEFAULT, IMP_CELL_ALIGN_RIGHT,
                              IMP_CELL_ALIGN_CENTER };
    imp_table_set_columns(t, 3, aligns);
    imp_table_begin_row(t, TRUE);
    for (guint c = 0; c < 3; c++)
        imp_block_append_text(imp_table_add_cell(t, line), header[c], -1);
    for (guint r = 0; r < rows; r++) {
        imp_table_begin_row(t, FALSE);
        for (guint c = 0; c < 3; c++)
            imp_block_append_text(imp_table_add_cell(t, line + 1 + r), cell(r, c), -1);
    }
    return t;
}

static const char *short_cell(guint r, guint c)
{
    static const char *const cells[] = { "0.1", "42", "纯文本 plain text",
                                         "0.1.1", "61", "缓存字形 glyph cache" };
    return cells[(r % 2) * 3 + c];
}

static const char *long_cell(guint r, guint c)
{
    (void)r;
    /* debian-reference-zh-cn, chapter 1 (the MC key table): a long Chinese cell */
    return c == 0 ? "Internationalization"
         : c == 1 ? "12,345"
                  : "在选中的项目中使用复制命令，它将当前目录中选中的文件复制到另一个面板所"
                    "显示的目录中，并在完成时报告复制了多少个文件和目录 (copy the marked "
                    "files to the other panel's directory)";
}

/* The items of cell `index` (1 + row * columns + column), in order. */
static GPtrArray *cell_items(GArray *found, guint table, guint index, guint flags)
{
    GPtrArray *a = g_ptr_array_new();
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block == table && fd->item.cell == index &&
            (fd->item.flags & IMP_ITEM_REPEATED) == flags)
            g_ptr_array_add(a, (gpointer)fd);
    }
    return a;
}

/* Column widths from the content: a table of short cells is as wide as its widest cells
 * (less than the measure); one of long cells fills the measure, each column at least as
 * wide as its longest word; cells carry their index, align as their column says, and sit
 * inside their column; rules above, under the header and below are furniture. */
static void test_table_widths(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    const ImpTableStyle *ts = imp_style_get_table(style);
    const ImpPageStyle *ps = imp_style_get_page(style);
    double measure = ps->width - ps->margin_left - ps->margin_right;
    const char *header[] = { "版本 Version", "每秒页数 Pages/s", "说明 Notes" };
    for (int wide = 0; wide <= 1; wide++) {
        ImpDocument *doc = doc_new();
        table_new(doc, 4, header, wide ? long_cell : short_cell, 1);
        ImpLayout *lay = lay_out(f, doc, style);
        g_assert_cmpstr(messages(f), ==, "");
        GArray *found = items_of(lay);
        /* the rules: 3, across the table's width */
        guint rules = 0;
        double width = 0;
        for (guint i = 0; i < found->len; i++) {
            const Found *fd = FOUND(found, i);
            if (fd->item.kind != IMP_ITEM_RULE)
                continue;
            g_assert_true(fd->item.flags & IMP_ITEM_ARTIFACT);
            g_assert_cmpuint(fd->item.cell, ==, 0);
            g_assert_cmpfloat_with_epsilon(fd->item.x, ps->margin_left, 0.01);
            g_assert_cmpuint(fd->item.color, ==, ts->rule.color);
            width = fd->item.width;
            rules++;
        }
        g_assert_cmpuint(rules, ==, 3);
        if (wide)
            g_assert_cmpfloat_with_epsilon(width, measure, 0.01);
        else
            g_assert_cmpfloat(width, <, measure * 0.8);
        /* each column: its cells' lines inside it; right-aligned cells share a right edge;
           the long word's column is at least as wide as the word */
        double col_left[3], col_right[3];
        for (guint c = 0; c < 3; c++) {
            col_left[c] = G_MAXDOUBLE, col_right[c] = -G_MAXDOUBLE;
            for (guint r = 0; r < 5; r++) {
                GPtrArray *items = cell_items(found, 0, 1 + r * 3 + c, 0);
                g_assert_cmpuint(items->len, >, 0);
                for (guint k = 0; k < items->len; k++) {
                    const ImpItem *it = &((const Found *)items->pdata[k])->item;
                    if (!is_line(it))
                        continue;
                    char *text = line_text(it);
                    gboolean hangs = g_str_has_suffix(text, " "); /* its space hangs out */
                    g_free(text);
                    col_left[c] = MIN(col_left[c], it->x);
                    if (!hangs)
                        col_right[c] = MAX(col_right[c], it->x + line_width(it));
                    if (c == 1 && !hangs)
                        g_assert_cmpfloat_with_epsilon(it->x + line_width(it),
                                                       col_right[1], 0.01);
                    /* the header in its role */
                    double size = imp_style_get_role(style, r == 0 ? IMP_ROLE_TABLE_HEADER
                                                                   : IMP_ROLE_TABLE)->size;
                    g_assert_cmpfloat_with_epsilon(first_size(it), size, 0.01);
                }
                g_ptr_array_free(items, TRUE);
            }
        }
        g_assert_cmpfloat(col_left[0], >=, ps->margin_left + ts->cell_padding_x - 0.01);
        for (guint c = 0; c + 1 < 3; c++)
            g_assert_cmpfloat(col_right[c] + 2 * ts->cell_padding_x, <=, col_left[c + 1] + 0.5);
        g_assert_cmpfloat(col_right[2] + ts->cell_padding_x, <=,
                          ps->margin_left + width + 0.01);
        assert_all_text(doc, found);
        g_array_free(found, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
    }
    imp_style_free(style);
}

/* A table of many columns: 30 fit the measure once their padding goes (every cell inside
 * its column and the measure, no message); 60 do not fit at an em each: a warning with the
 * table's line, and the cells set one under another in the measure, in order, each with
 * its index. */
static void test_table_many_columns(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    const ImpPageStyle *ps = imp_style_get_page(style);
    for (guint cols = 30; cols <= 60; cols += 30) {
        ImpDocument *doc = doc_new();
        ImpBlock *t = imp_document_append_block(doc, IMP_BLOCK_TABLE, 7);
        imp_table_set_columns(t, cols, NULL);
        for (guint r = 0; r < 3; r++) {
            imp_table_begin_row(t, r == 0);
            for (guint c = 0; c < cols; c++) {
                char *cell = g_strdup_printf("%c%u", 'a' + r, c);
                imp_block_append_text(imp_table_add_cell(t, 7 + r), cell, -1);
                g_free(cell);
            }
        }
        ImpLayout *lay = lay_out(f, doc, style);
        GArray *found = items_of(lay);
        if (cols == 30) {
            g_assert_cmpstr(messages(f), ==, "");
        } else {
            char *want = g_strdup_printf("warning doc.md:7: a table of %u columns is too wide "
                                         "for the measure of %.1fpt; its cells are set one "
                                         "under another, row by row", cols,
                                         ps->width - ps->margin_left - ps->margin_right);
            g_assert_cmpstr(messages(f), ==, want);
            g_free(want);
        }
        guint last = 0;
        double last_y = -1;
        guint last_page = 0;
        for (guint i = 0; i < found->len; i++) {
            const Found *fd = FOUND(found, i);
            if (!is_line(&fd->item))
                continue;
            g_assert_cmpfloat(fd->item.x, >=, ps->margin_left - 0.01);
            g_assert_cmpfloat(line_end(&fd->item), <=, ps->width - ps->margin_right + 0.01);
            if (cols == 60) { /* one under another, in order */
                g_assert_cmpuint(fd->item.cell, >, last);
                g_assert_cmpfloat_with_epsilon(fd->item.x, ps->margin_left, 0.01);
                g_assert_true(fd->page > last_page || fd->item.y > last_y);
                last_y = fd->item.y;
                last_page = fd->page;
            }
            last = MAX(last, fd->item.cell);
        }
        g_assert_cmpuint(last, ==, 3 * cols);
        assert_all_text(doc, found);
        g_array_free(found, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
    }
    imp_style_free(style);
}

/* A table over several pages: the header row set again at the top of each page after the
 * first (REPEATED | ARTIFACT copies, cells 1–3, the text of the header), no body row split
 * across pages, the header once as content; a row taller than a page splits. */
static void test_table_pages(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    const char *header[] = { "版本 Version", "每秒页数 Pages/s", "说明 Notes" };
    ImpDocument *doc = doc_new();
    table_new(doc, 160, header, short_cell, 1);
    ImpLayout *lay = lay_out(f, doc, style);
    guint pages = imp_layout_get_n_pages(lay);
    g_assert_cmpuint(pages, >=, 3);
    GArray *found = items_of(lay);
    for (guint c = 1; c <= 3; c++) {
        GPtrArray *orig = cell_items(found, 0, c, 0);
        GPtrArray *rep = cell_items(found, 0, c, IMP_ITEM_REPEATED);
        g_assert_cmpuint(orig->len, ==, 1);
        g_assert_cmpuint(((Found *)orig->pdata[0])->page, ==, 0);
        g_assert_cmpuint(rep->len, ==, pages - 1);
        char *want = line_text(&((Found *)orig->pdata[0])->item);
        for (guint k = 0; k < rep->len; k++) {
            const Found *fd = rep->pdata[k];
            g_assert_cmpuint(fd->page, ==, k + 1);
            g_assert_true(fd->item.flags & IMP_ITEM_ARTIFACT);
            char *got = line_text(&fd->item);
            g_assert_cmpstr(got, ==, want);
            g_free(got);
            /* at the top of its page, where the original stands on page 1 */
            g_assert_cmpfloat_with_epsilon(fd->item.y, ((Found *)orig->pdata[0])->item.y, 1);
        }
        g_free(want);
        g_ptr_array_free(orig, TRUE);
        g_ptr_array_free(rep, TRUE);
    }
    /* every row on one page, at least two body rows on each page */
    guint *rows_on = g_new0(guint, pages);
    for (guint r = 1; r <= 160; r++) {
        guint page = G_MAXUINT;
        for (guint c = 0; c < 3; c++) {
            GPtrArray *items = cell_items(found, 0, 1 + r * 3 + c, 0);
            for (guint k = 0; k < items->len; k++) {
                guint p = ((Found *)items->pdata[k])->page;
                if (page == G_MAXUINT)
                    page = p;
                g_assert_cmpuint(p, ==, page);
            }
            g_ptr_array_free(items, TRUE);
        }
        rows_on[page]++;
    }
    for (guint p = 0; p < pages; p++)
        g_assert_cmpuint(rows_on[p], >=, 2);
    g_free(rows_on);
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    /* releasing the pages frees each page's own copies (ASan checks) */
    lay = lay_out(f, doc, style);
    for (guint p = 0; p < pages; p++)
        imp_layout_release_page(lay, p);
    imp_layout_free(lay);
    imp_document_free(doc);

    /* a row taller than a page: split between lines */
    doc = doc_new();
    ImpBlock *t = imp_document_append_block(doc, IMP_BLOCK_TABLE, 1);
    imp_table_set_columns(t, 2, NULL);
    imp_table_begin_row(t, FALSE);
    imp_block_append_text(imp_table_add_cell(t, 1), "A", -1);
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 120; i++)
        g_string_append(big, lorem), g_string_append_c(big, ' ');
    imp_block_append_text(imp_table_add_cell(t, 1), big->str, -1);
    lay = lay_out(f, doc, style);
    g_assert_cmpuint(imp_layout_get_n_pages(lay), >=, 2);
    found = items_of(lay);
    GPtrArray *items = cell_items(found, 0, 2, 0);
    g_assert_cmpuint(((Found *)items->pdata[items->len - 1])->page, >, 0);
    g_ptr_array_free(items, TRUE);
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    g_string_free(big, TRUE);
    imp_style_free(style);
}

/* ------------------------------------------------------------------------------------ */
/* Images                                                                               */
/* ------------------------------------------------------------------------------------ */

/* The CRC of PNG chunks (ISO 3309). */
static guint32 crc32_png(const guint8 *d, gsize n)
{
    guint32 c = 0xffffffffu;
    for (gsize i = 0; i < n; i++) {
        c ^= d[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static void put32(guint8 *p, guint32 v)
{
    p[0] = (guint8)(v >> 24), p[1] = (guint8)(v >> 16), p[2] = (guint8)(v >> 8), p[3] = (guint8)v;
}

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A PNG of w x h pixels (a gradient), with a pHYs chunk of `dpi` when dpi > 0. */
static GByteArray *png_new(int w, int h, double dpi)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_pattern_t *p = cairo_pattern_create_linear(0, 0, w, h);
    cairo_pattern_add_color_stop_rgb(p, 0, 0.6, 0.1, 0.1);
    cairo_pattern_add_color_stop_rgb(p, 1, 0.1, 0.3, 0.6);
    cairo_set_source(cr, p);
    cairo_paint(cr);
    cairo_pattern_destroy(p);
    cairo_destroy(cr);
    GByteArray *png = g_byte_array_new();
    cairo_surface_write_to_png_stream(s, append_bytes, png);
    cairo_surface_destroy(s);
    if (dpi > 0) { /* after IHDR: 8 signature + 25 IHDR */
        guint8 chunk[21];
        put32(chunk, 9);
        memcpy(chunk + 4, "pHYs", 4);
        put32(chunk + 8, (guint32)(dpi / 0.0254 + 0.5));
        put32(chunk + 12, (guint32)(dpi / 0.0254 + 0.5));
        chunk[16] = 1;
        put32(chunk + 17, crc32_png(chunk + 4, 13));
        GByteArray *out = g_byte_array_new();
        g_byte_array_append(out, png->data, 33);
        g_byte_array_append(out, chunk, sizeof chunk);
        g_byte_array_append(out, png->data + 33, png->len - 33);
        g_byte_array_free(png, TRUE);
        png = out;
    }
    return png;
}

/* A baseline JPEG of w x h pixels, stating `dpi` (JFIF density). */
static GByteArray *jpeg_new(int w, int h, int dpi)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    unsigned long len = 0;
    jpeg_mem_dest(&c, &buf, &len);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    c.density_unit = 1;
    c.X_density = c.Y_density = (UINT16)dpi;
    jpeg_start_compress(&c, TRUE);
    guint8 *row = g_malloc((gsize)w * 3);
    while (c.next_scanline < c.image_height) {
        for (int x = 0; x < w; x++) {
            row[3 * x] = (guint8)(x * 255 / w);
            row[3 * x + 1] = (guint8)(c.next_scanline * 255 / c.image_height);
            row[3 * x + 2] = 128;
        }
        JSAMPROW rows[1] = { row };
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    g_free(row);
    GByteArray *a = g_byte_array_new();
    g_byte_array_append(a, buf, (guint)len);
    free(buf);
    return a;
}

/* Writes `len` bytes to DIR/name. */
static void write_file(Fixture *f, const char *name, const void *data, gsize len)
{
    char *p = g_build_filename(f->dir, name, NULL);
    GError *error = NULL;
    g_file_set_contents(p, data, (gssize)len, &error);
    g_assert_no_error(error);
    g_free(p);
}

/* An image block (src, alt text, caption) at `line`. */
static ImpBlock *image(ImpDocument *doc, const char *src, const char *alt, const char *title,
                       guint line)
{
    ImpBlock *b = add(doc, IMP_BLOCK_IMAGE, alt, line);
    imp_block_set_src(b, src);
    imp_block_set_title(b, title);
    return b;
}

/* The IMAGE item of block b, or NULL. */
static const Found *image_of(GArray *found, guint b)
{
    return find(found, b, IMP_ITEM_IMAGE, 0);
}

/* Images at their own size (pixels at their resolution, else 96 per inch), scaled down to
 * the measure and the page, never up; flush left; PNG, JPEG, SVG and data: URIs; a caption
 * in its role under the image, on its page. */
static void test_image_sizes(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    const ImpPageStyle *ps = imp_style_get_page(style);
    double measure = ps->width - ps->margin_left - ps->margin_right;
    double height = ps->height - ps->margin_top - ps->margin_bottom;
    GByteArray *a = png_new(200, 100, 0), *b = png_new(2000, 500, 0), *c = png_new(200, 100, 300),
               *d = png_new(100, 5000, 0), *j = jpeg_new(64, 32, 72);
    write_file(f, "small.png", a->data, a->len);
    write_file(f, "wide.png", b->data, b->len);
    write_file(f, "dense.png", c->data, c->len);
    write_file(f, "tall.png", d->data, d->len);
    write_file(f, "photo.jpg", j->data, j->len);
    const char *svg = "<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
                      "width='200' height='100'><rect x='10' y='10' width='180' height='80' "
                      "fill='#1f4e8c'/></svg>";
    write_file(f, "chart.svg", svg, strlen(svg));
    char *b64 = g_base64_encode(a->data, a->len);
    char *uri = g_strconcat("data:image/png;base64,", b64, NULL);
    ImpDocument *doc = doc_new();
    imp_document_set_base_dir(doc, f->dir);
    image(doc, "small.png", "a small image", "图 1 Figure 1", 1);
    image(doc, "wide.png", "a wide image", NULL, 2);
    image(doc, "dense.png", "a dense image", NULL, 3);
    image(doc, "tall.png", "a tall image", "A tall one", 4);
    image(doc, "photo.jpg", "a photograph", NULL, 5);
    image(doc, "chart.svg", "a chart", NULL, 6);
    image(doc, uri, "inline", NULL, 7);
    char *abs = g_build_filename(f->dir, "small.png", NULL);
    char *file_uri = g_filename_to_uri(abs, NULL, NULL);
    image(doc, file_uri, "by URI", NULL, 8);
    ImpLayout *lay = lay_out(f, doc, style);
    g_assert_cmpstr(messages(f), ==, "");
    GArray *found = items_of(lay);
    const struct { double w, h; } want[] = {
        { 150, 75 }, { measure, measure / 4 }, { 48, 24 }, { -1, -1 }, { 64, 32 },
        { 150, 75 }, { 150, 75 }, { 150, 75 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        const Found *im = image_of(found, i);
        g_assert_nonnull(im);
        g_assert_cmpfloat_with_epsilon(im->item.x, ps->margin_left, 0.01);
        if (want[i].w > 0) {
            g_assert_cmpfloat_with_epsilon(im->item.width, want[i].w, 0.01);
            g_assert_cmpfloat_with_epsilon(im->item.thickness, want[i].h, 0.01);
        } else { /* tall: the page's height less the caption's room, its shape kept */
            g_assert_cmpfloat(im->item.thickness, <, height);
            g_assert_cmpfloat(im->item.thickness, >, height * 0.8);
            g_assert_cmpfloat_with_epsilon(im->item.width / im->item.thickness, 0.02, 1e-6);
        }
        if (imp_block_get_title(imp_document_get_block(doc, i)) == NULL)
            g_assert_null(first_line(found, i)); /* the alt text is not drawn */
    }
    /* captions: under their image, on its page, in [caption] */
    for (guint i = 0; i < 4; i += 3) {
        const Found *im = image_of(found, i), *cap = first_line(found, i);
        g_assert_nonnull(cap);
        g_assert_cmpuint(cap->page, ==, im->page);
        g_assert_cmpfloat(cap->item.y, >, im->item.y + im->item.thickness);
        g_assert_cmpfloat_with_epsilon(first_size(&cap->item),
                                       imp_style_get_role(style, IMP_ROLE_CAPTION)->size, 0.01);
        char *t = line_text(&cap->item);
        g_assert_cmpstr(t, ==, imp_block_get_title(imp_document_get_block(doc, i)));
        g_free(t);
    }
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    g_free(abs);
    g_free(file_uri);
    g_free(uri);
    g_free(b64);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(b, TRUE);
    g_byte_array_free(c, TRUE);
    g_byte_array_free(d, TRUE);
    g_byte_array_free(j, TRUE);
    imp_style_free(style);
}

static gboolean write_bytes(gpointer user_data, const guint8 *data, gsize len)
{
    g_byte_array_append(user_data, data, (guint)len);
    return TRUE;
}

/* Whether `needle` occurs in `hay`. */
static gboolean holds(const GByteArray *hay, const void *needle, gsize n)
{
    return n <= hay->len && memmem(hay->data, hay->len, needle, n) != NULL;
}

/* The PDF of a layout, in memory. */
static GByteArray *pdf_of(const ImpLayout *lay)
{
    ImpRenderOptions ro;
    imp__render_options_init(&ro);
    ro.creation_time = 0;
    GByteArray *pdf = g_byte_array_new();
    GError *error = NULL;
    g_assert_true(imp__render(lay, &ro, write_bytes, pdf, &error));
    g_assert_no_error(error);
    return pdf;
}

/* In the PDF: the JPEG's own bytes (not re-encoded), once though it is drawn twice; no
 * /Interpolate true (PDF/A forbids it); the SVG as vectors (a form of drawing,
 * no image); the PNG as an image. */
static void test_image_pdf(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    GByteArray *j = jpeg_new(300, 200, 150), *png = png_new(120, 80, 0);
    write_file(f, "photo.jpg", j->data, j->len);
    write_file(f, "pic.png", png->data, png->len);
    const char *svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 20'>"
                      "<circle cx='10' cy='10' r='8' fill='#9e1b1b'/></svg>";
    write_file(f, "c.svg", svg, strlen(svg));
    for (int kind = 0; kind < 3; kind++) {
        ImpDocument *doc = doc_new();
        imp_document_set_base_dir(doc, f->dir);
        const char *src = kind == 0 ? "photo.jpg" : kind == 1 ? "pic.png" : "c.svg";
        image(doc, src, "alt", NULL, 1);
        add(doc, IMP_BLOCK_PAGE_BREAK, "", 2);
        image(doc, src, "alt", NULL, 3);
        ImpLayout *lay = lay_out(f, doc, style);
        g_assert_cmpstr(messages(f), ==, "");
        GByteArray *pdf = pdf_of(lay);
        g_assert_false(holds(pdf, "/Interpolate true", 17));
        if (kind == 0) {
            g_assert_true(holds(pdf, j->data, j->len));
            g_assert_true(holds(pdf, "/DCTDecode", 10));
            /* once: the second copy would follow the first */
            const guint8 *first = memmem(pdf->data, pdf->len, j->data, j->len);
            gsize rest = pdf->len - (gsize)(first + j->len - pdf->data);
            g_assert_null(memmem(first + j->len, rest, j->data, 64));
        } else if (kind == 1) {
            g_assert_true(holds(pdf, "/Subtype /Image", 15));
        } else {
            g_assert_false(holds(pdf, "/Subtype /Image", 15));
            g_assert_true(holds(pdf, "/Subtype /Form", 14));
        }
        g_byte_array_free(pdf, TRUE);
        imp_layout_free(lay);
        imp_document_free(doc);
    }
    g_byte_array_free(j, TRUE);
    g_byte_array_free(png, TRUE);
    imp_style_free(style);
}

/* Every way an image cannot be set: a warning naming the file and line, the reason and
 * that the alt text stands in its place, which is then set as text (characters in =
 * characters out); without alt text, the warning says so and nothing is set. No decoding
 * of an image whose header states more than 100 million pixels. */
static void test_image_failures(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    GByteArray *png = png_new(300, 200, 0), *jpg = jpeg_new(300, 200, 96);
    write_file(f, "text.png", "this is not an image\n", 21);
    write_file(f, "cut.png", png->data, png->len / 2);
    write_file(f, "cut.jpg", jpg->data, jpg->len / 2);
    /* 50,000 x 50,000 in otherwise valid headers */
    GByteArray *huge = png_new(4, 4, 0);
    put32(huge->data + 16, 50000);
    put32(huge->data + 20, 50000);
    put32(huge->data + 29, crc32_png(huge->data + 12, 17));
    write_file(f, "huge.png", huge->data, huge->len);
    GByteArray *hj = jpeg_new(8, 8, 96);
    for (guint i = 0; i + 8 < hj->len; i++)
        if (hj->data[i] == 0xFF && hj->data[i + 1] == 0xC0) { /* SOF0: height, width */
            hj->data[i + 5] = 50000 >> 8, hj->data[i + 6] = 50000 & 0xff;
            hj->data[i + 7] = 50000 >> 8, hj->data[i + 8] = 50000 & 0xff;
            break;
        }
    write_file(f, "huge.jpg", hj->data, hj->len);
    char *folder = g_build_filename(f->dir, "folder.png", NULL);
    g_assert_cmpint(g_mkdir(folder, 0700), ==, 0);
    g_free(folder);
    static const struct {
        const char *src, *why;
    } cases[] = {
        { "missing.png", "cannot read .*missing.png: No such file or directory" },
        { "text.png", "not a PNG, JPEG or SVG image" },
        { "cut.png", "not a valid PNG image" },
        { "cut.jpg", "not a valid JPEG image" },
        { "huge.png", "50000 × 50000 pixels, more than the 100 million imprint sets" },
        { "huge.jpg", "50000 × 50000 pixels, more than the 100 million imprint sets" },
        { "folder.png", ".*/folder.png is not a regular file" },
        { "https://example.org/chart.png", "remote, not fetched" },
        { "//example.org/chart.png", "remote, not fetched" },
        { "", "no source" },
        { "data:image/png;base64,AAAA", "not a PNG, JPEG or SVG image" },
        { "data:image/png;base64", "a data: URI without data" },
        { "mailto:someone@example.org", "not a file" },
    };
    ImpDocument *doc = doc_new();
    imp_document_set_base_dir(doc, f->dir);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *alt = g_strdup_printf("替代文字 alt text %u", i);
        image(doc, cases[i].src, alt, NULL, 10 + i);
        g_free(alt);
    }
    image(doc, "missing.png", "", NULL, 50);
    gint64 t0 = g_get_monotonic_time();
    ImpLayout *lay = lay_out(f, doc, style);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 20 * G_USEC_PER_SEC);
    g_assert_cmpuint(f->messages->len, ==, G_N_ELEMENTS(cases) + 1);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *pattern = g_strdup_printf("^warning doc.md:%u: image '.*': %s.*; its alt text is "
                                        "set in its place$", 10 + i, cases[i].why);
        if (!g_regex_match_simple(pattern, f->messages->pdata[i], 0, 0))
            g_error("message %u: '%s' does not match '%s'", i,
                    (char *)f->messages->pdata[i], pattern);
        g_free(pattern);
    }
    g_assert_true(g_str_has_suffix(f->messages->pdata[G_N_ELEMENTS(cases)],
                                   "; it has no alt text to set in its place"));
    GArray *found = items_of(lay);
    for (guint i = 0; i < G_N_ELEMENTS(cases) + 1; i++)
        g_assert_null(image_of(found, i));
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(doc);
    g_byte_array_free(png, TRUE);
    g_byte_array_free(jpg, TRUE);
    g_byte_array_free(huge, TRUE);
    g_byte_array_free(hj, TRUE);
    imp_style_free(style);
}

/* ------------------------------------------------------------------------------------ */
/* Inline spans                                                                         */
/* ------------------------------------------------------------------------------------ */

/* A link across a line break: an area (LINK item) over each line's fragment, the href its
 * label, and the link's text a run of its own in each line; a strikethrough a furniture
 * rule through its text; emphasised Han text a dot under each character (Chinese), over
 * it (Japanese), none under punctuation; inline code in the code role's face, smaller; a
 * paragraph with none of these has one item a line. */
static void test_inline(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *style = style_new("default", NULL);
    ImpDocument *doc = doc_new();
    GString *t = g_string_new(lorem);
    const char *link_text = "the project page of imprint, the typesetter that sets Chinese, "
                            "Japanese, Korean and Latin text each by its own rules";
    g_string_append_printf(t, " See %s, for more. ", link_text);
    g_string_append(t, lorem);
    ImpBlock *b = add(doc, IMP_BLOCK_PARAGRAPH, t->str, 1);
    const char *link = strstr(t->str, link_text);
    gsize ls = (gsize)(link - t->str), le = ls + strlen(link_text);
    imp_block_add_span(b, ls, le, IMP_SPAN_LINK, "https://example.org/imprint");
    const char *strike = strstr(t->str, "for more");
    imp_block_add_span(b, (gsize)(strike - t->str), (gsize)(strike - t->str) + 8,
                       IMP_SPAN_STRIKE, NULL);
    /* debian-reference-zh-cn 1.3.3 and -ja: emphasis over Han text and punctuation */
    const char *zh = "默认的两个目录面板里包含了文件列表。";
    b = add(doc, IMP_BLOCK_PARAGRAPH, zh, 2);
    imp_block_set_language(b, "zh-Hans");
    imp_block_add_span(b, strlen("默认的"), strlen(zh), IMP_SPAN_EMPHASIS, NULL);
    const char *ja = "デフォルトの二つのディレクトリ";
    ImpDocument *jdoc = doc_new();
    imp_document_set_meta(jdoc, IMP_META_LANGUAGE, "ja");
    b = add(jdoc, IMP_BLOCK_PARAGRAPH, ja, 1);
    imp_block_add_span(b, 0, strlen(ja), IMP_SPAN_EMPHASIS, NULL);
    b = add(doc, IMP_BLOCK_PARAGRAPH, "Run imprint press-release.md to get a PDF.", 3);
    imp_block_add_span(b, 4, 28, IMP_SPAN_CODE, NULL);
    add(doc, IMP_BLOCK_PARAGRAPH, lorem, 4);
    ImpLayout *lay = lay_out(f, doc, style);
    GArray *found = items_of(lay);

    /* the link: two areas, one a line, over the link's runs */
    guint areas = 0;
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.kind != IMP_ITEM_LINK)
            continue;
        areas++;
        g_assert_cmpstr(fd->item.label, ==, "https://example.org/imprint");
        /* the line item before it, in the same entry */
        const Found *line = NULL;
        for (guint k = i; k-- > 0 && line == NULL;)
            if (FOUND(found, k)->item.kind == IMP_ITEM_GLYPHS)
                line = FOUND(found, k);
        g_assert_nonnull(line);
        const ImpGlyphLine *gl = line->item.glyphs;
        double x = line->item.x, lo = G_MAXDOUBLE, hi = 0;
        PangoItem pi = { 0 };
        PangoGlyphString *gs = pango_glyph_string_new();
        for (guint r = 0; r < gl->n_runs; r++) {
            imp_glyph_line_fill_run(gl, r, &pi, gs);
            double w = pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
            gsize a = gl->runs[r].offset, e = a + gl->runs[r].length;
            /* a run is wholly inside the link or wholly outside it */
            g_assert_true(e <= ls || a >= le || (a >= ls && e <= le));
            if (a >= ls && e <= le)
                lo = MIN(lo, x), hi = MAX(hi, x + w);
            x += w;
        }
        pango_glyph_string_free(gs);
        g_assert_cmpfloat_with_epsilon(fd->item.x, lo, 0.01);
        g_assert_cmpfloat(fd->item.x + fd->item.width, >=, hi - 0.01);
        g_assert_cmpfloat(fd->item.x + fd->item.width, <=, hi + 6); /* a hyphen */
        g_assert_cmpfloat_with_epsilon(fd->item.thickness,
                                       imp_style_get_role(style, IMP_ROLE_BODY)->leading, 0.01);
        g_assert_cmpfloat(fd->item.y, <, line->item.y);
        g_assert_cmpfloat(fd->item.y + fd->item.thickness, >, line->item.y);
    }
    guint spanned = 0; /* the lines the link is on: more than one */
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        gsize a, e;
        if (fd->item.block != 0 || fd->item.kind != IMP_ITEM_GLYPHS)
            continue;
        imp__line_bytes(&fd->item, &a, &e);
        spanned += a < le && e > ls;
    }
    g_assert_cmpuint(spanned, >=, 2);
    g_assert_cmpuint(areas, ==, spanned);
    /* the strike */
    const Found *rule = find(found, 0, IMP_ITEM_RULE, IMP_ITEM_ARTIFACT);
    g_assert_nonnull(rule);
    g_assert_cmpfloat(rule->item.width, >, 20);
    g_assert_null(find(found, 0, IMP_ITEM_BOX, 0));
    /* the dots: one under each Han character of the span, none under 。 */
    guint dots = 0;
    const Found *zl = first_line(found, 1);
    for (guint i = 0; i < found->len; i++) {
        const Found *fd = FOUND(found, i);
        if (fd->item.block != 1 || fd->item.kind != IMP_ITEM_BOX)
            continue;
        g_assert_true(fd->item.flags & IMP_ITEM_ARTIFACT);
        g_assert_cmpfloat(fd->item.y, >, zl->item.y);
        dots++;
    }
    g_assert_cmpuint(dots, ==, g_utf8_strlen("两个目录面板里包含了文件列表", -1));
    /* inline code */
    const Found *cl = first_line(found, 2);
    const ImpGlyphLine *gl = cl->item.glyphs;
    gboolean mono = FALSE;
    for (guint r = 0; r < gl->n_runs; r++) {
        if (gl->runs[r].offset != 4)
            continue;
        PangoFontDescription *fd = pango_font_describe_with_absolute_size(
            gl->runs[r].style->analysis.font);
        g_assert_cmpstr(pango_font_description_get_family(fd), ==, "Noto Sans Mono");
        double size = imp_style_get_role(style, IMP_ROLE_BODY)->size *
                      imp_style_get_code(style)->inline_size;
        g_assert_cmpfloat_with_epsilon(pango_font_description_get_size(fd) /
                                           (double)PANGO_SCALE, size, 0.01);
        pango_font_description_free(fd);
        mono = TRUE;
    }
    g_assert_true(mono);
    /* a plain paragraph: its lines only */
    g_assert_cmpuint(count(found, 3, -1, 0), ==, count(found, 3, IMP_ITEM_GLYPHS, 0));
    assert_all_text(doc, found);
    g_array_free(found, TRUE);
    imp_layout_free(lay);

    /* Japanese: the dots above */
    lay = lay_out(f, jdoc, style);
    found = items_of(lay);
    const Found *jl = first_line(found, 0);
    dots = 0;
    for (guint i = 0; i < found->len; i++)
        if (FOUND(found, i)->item.kind == IMP_ITEM_BOX) {
            g_assert_cmpfloat(FOUND(found, i)->item.y, <, jl->item.y - 8);
            dots++;
        }
    g_assert_cmpuint(dots, ==, g_utf8_strlen(ja, -1));
    g_array_free(found, TRUE);
    imp_layout_free(lay);
    imp_document_free(jdoc);
    imp_document_free(doc);
    g_string_free(t, TRUE);
    imp_style_free(style);
}

/* ------------------------------------------------------------------------------------ */
/* Every kind at once, in every shipped style and both line breakers                      */
/* ------------------------------------------------------------------------------------ */

/* A document of every kind of block sets in every shipped style, with Pango's greedy
 * breaking too: characters in = characters out, every item inside the page, the every-page
 * notice and a table together. */
static void test_every_style(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *styles[] = { "default", "letter", "archival", "mofcom" };
    GByteArray *png = png_new(400, 300, 0);
    write_file(f, "fig.png", png->data, png->len);
    for (guint s = 0; s < G_N_ELEMENTS(styles); s++)
        for (int greedy = 0; greedy <= 1; greedy++) {
            const char *sets[] = { greedy ? "document.line-breaking=greedy"
                                          : "headings.numbering=decimal", NULL };
            ImpStyle *style = style_new(styles[s], sets);
            ImpDocument *doc = doc_new();
            imp_document_set_base_dir(doc, f->dir);
            add(doc, IMP_BLOCK_TITLE, "The title", 1);
            ImpBlock *h = add(doc, IMP_BLOCK_HEADING, "A heading", 2);
            imp_block_set_level(h, 2);
            ImpBlock *p = add(doc, IMP_BLOCK_PARAGRAPH, lorem, 3);
            imp_block_add_span(p, 0, 5, IMP_SPAN_LINK | IMP_SPAN_STRONG, "#top");
            item(doc, 1, "1.", IMP_BLOCK_FLAG_ORDERED | IMP_BLOCK_FLAG_LIST_START, lorem, 4);
            item(doc, 2, "•", IMP_BLOCK_FLAG_LIST_START, "nested", 5);
            imp_block_set_quote_depth(add(doc, IMP_BLOCK_PARAGRAPH, lorem, 6), 1);
            add(doc, IMP_BLOCK_CODE, "$ ls\tx\n", 7);
            add(doc, IMP_BLOCK_RULE, "", 8);
            const char *header[] = { "A", "B", "C" };
            table_new(doc, 30, header, short_cell, 9);
            image(doc, "fig.png", "a figure", "Figure 1", 40);
            add(doc, IMP_BLOCK_TERM, "-v", 41);
            add(doc, IMP_BLOCK_DEFINITION, lorem, 42);
            ImpBlock *n = add(doc, IMP_BLOCK_NOTICE, "Notice heading", 43);
            imp_block_set_level(n, 1);
            add(doc, IMP_BLOCK_NOTICE, lorem, 44);
            ImpLayout *lay = lay_out(f, doc, style);
            g_assert_cmpstr(messages(f), ==, "");
            const ImpPageStyle *ps = imp_style_get_page(style);
            GArray *found = items_of(lay);
            for (guint i = 0; i < found->len; i++) {
                const ImpItem *it = &FOUND(found, i)->item;
                g_assert_cmpfloat(it->x, >=, 0);
                g_assert_cmpfloat(it->y, >=, 0);
                g_assert_cmpfloat(it->y, <=, ps->height);
                if (is_line(it) && !(it->flags & IMP_ITEM_REPEATED) && it->kind != IMP_ITEM_ANCHOR) {
                    g_assert_cmpfloat(it->x, >=, ps->margin_left - 0.01);
                    g_assert_cmpfloat(line_end(it), <=, ps->width - ps->margin_right + 0.01);
                }
            }
            /* the every-page notice repeats its text: count the body's */
            if (imp_style_get_document(style)->notice_placement != IMP_NOTICE_EVERY_PAGE)
                assert_all_text(doc, found);
            g_array_free(found, TRUE);
            imp_layout_free(lay);
            imp_document_free(doc);
            imp_style_free(style);
        }
    g_byte_array_free(png, TRUE);
}

/* A page that starts inside a table's body has the header's height less room. */
static void test_paginate_repeat(void)
{
    GArray *flow = g_array_new(FALSE, TRUE, sizeof(ImpEntry));
    for (guint i = 0; i < 10; i++) {
        ImpEntry e = { 0 };
        e.height = 10;
        if (i >= 2) {
            e.repeat = 1;
            e.repeat_height = 15;
        }
        g_array_append_val(flow, e);
    }
    /* pages of 50: 5 entries on the first; then 15 + 3 entries, twice */
    GArray *starts = imp__paginate((const ImpEntry *)(gpointer)flow->data, flow->len, 50);
    g_assert_cmpuint(starts->len, ==, 3);
    g_assert_cmpuint(g_array_index(starts, guint, 1), ==, 5);
    g_assert_cmpuint(g_array_index(starts, guint, 2), ==, 8);
    g_array_free(starts, TRUE);
    g_array_free(flow, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/heading/roles", test_heading_roles);
    ADD("/heading/numbers", test_heading_numbers);
    ADD("/heading/keeps", test_heading_keeps);
    ADD("/list/markers", test_lists);
    ADD("/list/quotes-terms", test_quotes_terms);
    ADD("/code/lines", test_code_lines);
    ADD("/code/cjk", test_code_cjk);
    ADD("/code/pages", test_code_pages);
    ADD("/code/long-and-stray-item", test_code_long_and_stray_item);
    ADD("/table/widths", test_table_widths);
    ADD("/table/pages", test_table_pages);
    ADD("/table/many-columns", test_table_many_columns);
    ADD("/image/sizes", test_image_sizes);
    ADD("/image/pdf", test_image_pdf);
    ADD("/image/failures", test_image_failures);
    ADD("/inline/spans", test_inline);
    ADD("/blocks/every-style", test_every_style);
    g_test_add_func("/paginate/repeat", test_paginate_repeat);
    return g_test_run();
}
