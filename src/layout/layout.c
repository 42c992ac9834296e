/* layout.c — the layout stage's run: document + style → finished pages.
 *
 * imp__layout_new() checks that the fonts can set the body text, builds the flow of entries
 * (blocks.c, with paragraphs set on worker threads by merge.c), breaks it into pages
 * (paginate.c), and makes each page whole: its body items with absolute positions, then its
 * running heads (running.c) and the every-page notice. Then it reports the closing count of
 * missing glyphs and frees what only the making needed (the entries, the hyphenation
 * dictionaries, the fonts' bookkeeping). What is left is read-only: the getters read it,
 * and only imp_layout_release_page() and imp_layout_free() change it.
 *
 * Invariants:
 *  1. Items are stored with absolute page coordinates in points, in drawing order: body,
 *     header, footer, every-page notice.
 *  2. Each line of our own belongs to one owner: the page whose body holds it (the first
 *     n_owned items of that page), or the every-page notice (lay->notice_items); running
 *     heads belong to lay->running and Pango's lines to lay->layouts. Releasing a page frees
 *     only what it owns.
 *  3. Every run of a set line points at the layout's one copy of its style (run_styles), so
 *     memory per line is its glyphs.
 *  4. Every finding is reported before imp__layout_new() returns; reading a page reports
 *     nothing and changes nothing.
 */
#include "layout-private.h"

#include <string.h>

#include "../util/error.h"

/* Where libhyphen's dictionaries are (Debian's hyphen-* packages). */
#define IMP_HYPHEN_DIR "/usr/share/hyphen"

/* A finished page: its items in one allocation. The first n_owned are its body, whose set
 * lines it owns; the rest (running heads, the every-page notice) point at lines the layout
 * owns. */
typedef struct {
    guint n_items;
    guint n_owned;
    ImpItem items[];
} Page;

/* Frees the line of an IMP_ITEM_GLYPHS item that owns it (a GArray clear function). */
static void item_clear(gpointer data)
{
    ImpItem *item = data;
    if (item->kind == IMP_ITEM_GLYPHS)
        imp__para_line_free((char *)item->glyphs - G_STRUCT_OFFSET(ImpParaLine, line));
}

/* Frees a page and the lines of our own it owns (invariant 2). */
static void page_free(gpointer data)
{
    Page *pg = data;
    if (pg == NULL)
        return;
    for (guint i = 0; i < pg->n_owned; i++)
        item_clear(&pg->items[i]);
    g_free(pg);
}

/* Sets the defaults; see layout.h. */
void imp__layout_options_init(ImpLayoutOptions *options)
{
    g_return_if_fail(options != NULL);
    memset(options, 0, sizeof *options);
    options->diag = NULL;
    options->jobs = 0;
}

/* Places entries [from, to) from y down; see layout-private.h. */
double imp__layout_place(const ImpLayout *lay, guint from, guint to, double y, GArray *out)
{
    for (guint i = from; i < to; i++) {
        const ImpEntry *e = &g_array_index(lay->entries, ImpEntry, i);
        if (i > from)
            y += e->space_before;
        for (guint k = 0; k < e->n_items; k++) {
            ImpItem item = g_array_index(lay->entry_items, ImpItem, e->first_item + k);
            item.y += y;
            g_array_append_val(out, item);
        }
        y += e->height;
    }
    return y;
}

/* The layout's one copy of a run style; see layout-private.h. */
const ImpRunStyle *imp__layout_intern_style(ImpLayout *lay, const ImpRunStyle *rs,
                                            PangoFont *font)
{
    gboolean added;
    const ImpRunStyle *shared = imp__run_style_intern(lay->run_styles, rs, font, &added);
    if (added)
        imp__fonts_used_add(lay->fonts_seen, shared->analysis.font);
    return shared;
}

/* Makes every page: entries broken into pages, each page's body placed and its running
 * heads and every-page notice added; the pages take their lines from lay->para_lines. */
static void make_pages(ImpLayout *lay)
{
    double avail = lay->text_bottom - lay->text_top;
    if (lay->notice_height > 0)
        avail -= lay->notice_height + imp_style_get_role(lay->style, IMP_ROLE_BODY)->leading;
    guint n = lay->entries->len;
    GArray *starts = imp__paginate((const ImpEntry *)(gpointer)lay->entries->data, n, avail);
    guint pages = starts->len;
    lay->pages = g_ptr_array_new_full(pages, page_free);
    GArray *items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    double notice_top = lay->text_bottom - lay->notice_height;
    for (guint p = 0; p < pages; p++) {
        guint from = g_array_index(starts, guint, p);
        guint to = p + 1 < pages ? g_array_index(starts, guint, p + 1) : n;
        g_array_set_size(items, 0);
        double top = imp__blocks_place_repeat(lay, from, lay->text_top, items);
        imp__layout_place(lay, from, to, top, items);
        guint n_owned = items->len;
        imp__running_add(lay, p, pages, items);
        for (guint k = 0; k < lay->notice_items->len; k++) {
            ImpItem item = g_array_index(lay->notice_items, ImpItem, k);
            item.y += notice_top;
            g_array_append_val(items, item);
        }
        Page *pg = g_malloc(sizeof(Page) + items->len * sizeof(ImpItem));
        pg->n_items = items->len;
        pg->n_owned = n_owned;
        memcpy(pg->items, items->data, items->len * sizeof(ImpItem));
        g_ptr_array_add(lay->pages, pg);
    }
    g_array_free(items, TRUE);
    g_array_free(starts, TRUE);
    /* every line of our own is now owned by a page or by the notice (invariant 2) */
    g_array_set_clear_func(lay->notice_items, item_clear);
    g_ptr_array_set_free_func(lay->para_lines, NULL);
    g_ptr_array_set_size(lay->para_lines, 0);
}

/* Frees what only imp__layout_new() needed. */
static void free_making(ImpLayout *lay)
{
    g_clear_pointer(&lay->entries, g_array_unref);
    g_clear_pointer(&lay->entry_items, g_array_unref);
    g_clear_pointer(&lay->para_lines, g_ptr_array_unref);
    lay->hyphenator = NULL; /* the fonts' (imp__fonts_get_hyphenator) */
    imp__missing_clear(&lay->missing);
    g_clear_pointer(&lay->fonts_seen, g_hash_table_destroy);
    g_clear_pointer(&lay->repeats, g_array_unref);
    lay->diag = NULL;
}

/* Lays the document out; see layout.h. */
ImpLayout *imp__layout_new(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                           const ImpLayoutOptions *options, GError **error)
{
    g_return_val_if_fail(doc != NULL && style != NULL && fonts != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    ImpLayoutOptions defaults;
    if (options == NULL) {
        imp__layout_options_init(&defaults);
        options = &defaults;
    }
    /* a style says some things per language (a Chinese footer, an English measure): it is
       resolved for the document's language, in a copy the layout owns */
    ImpStyle *localized = NULL;
    const char *lang = imp_document_get_meta(doc, IMP_META_LANGUAGE);
    if (lang != NULL && g_strcmp0(lang, imp_style_get_language(style)) != 0) {
        localized = imp_style_localize(style, lang, error);
        if (localized == NULL)
            return NULL;
        style = localized;
    }
    if (!imp__fonts_check_style(fonts, style, options->diag, error)) {
        imp_style_free(localized);
        return NULL;
    }
    ImpLayout *lay = g_new0(ImpLayout, 1);
    lay->doc = doc;
    lay->style = style;
    lay->localized = localized;
    lay->fonts = fonts;
    lay->diag = options->diag;
    lay->jobs = options->jobs > 0 ? options->jobs : (int)g_get_num_processors();
    const ImpPageStyle *ps = imp_style_get_page(style);
    lay->page_w = ps->width;
    lay->page_h = ps->height;
    lay->text_x = ps->margin_left;
    lay->text_w = ps->width - ps->margin_left - ps->margin_right;
    lay->text_top = ps->margin_top;
    lay->text_bottom = ps->height - ps->margin_bottom;
    lay->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    lay->labels = g_ptr_array_new_with_free_func(g_free);
    lay->run_styles = imp__run_style_set_new();
    lay->notice_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->entries = g_array_new(FALSE, FALSE, sizeof(ImpEntry));
    lay->entry_items = g_array_new(FALSE, FALSE, sizeof(ImpItem));
    lay->para_lines = g_ptr_array_new_with_free_func(imp__para_line_free);
    lay->repeats = g_array_new(FALSE, FALSE, sizeof(ImpRepeat));
    lay->images = g_ptr_array_new_with_free_func(imp__image_free);
    lay->hyphenator = imp__fonts_get_hyphenator(fonts, IMP_HYPHEN_DIR);
    /* body text of more than a few lines will want its dictionary: load it meanwhile */
    if (imp_style_get_role(style, IMP_ROLE_BODY)->hyphenate &&
        imp_style_get_document(style)->line_breaking == IMP_BREAK_OPTIMAL)
        imp__hyphenator_prefetch(lay->hyphenator,
                                 imp__hyphen_language(imp_style_get_document(style)->language));
    imp__missing_init(&lay->missing, lay->diag,
                      imp_document_get_meta(doc, IMP_META_SOURCE_FILE));
    lay->fonts_seen = imp__fonts_used_new();

    imp__blocks_build(lay);
    make_pages(lay);
    imp__missing_summary(&lay->missing);
    lay->fonts_used = imp__fonts_used_join(lay->fonts_seen);
    free_making(lay);
    return lay;
}

/* Frees the pages and every Pango object the layout holds. */
void imp_layout_free(ImpLayout *layout)
{
    if (layout == NULL)
        return;
    free_making(layout);
    if (layout->pages != NULL)
        g_ptr_array_free(layout->pages, TRUE);
    imp__running_free(layout);
    g_array_free(layout->notice_items, TRUE);
    g_ptr_array_free(layout->labels, TRUE);
    g_ptr_array_free(layout->layouts, TRUE);
    g_ptr_array_free(layout->images, TRUE);
    g_hash_table_destroy(layout->run_styles);
    g_free(layout->fonts_used);
    imp_style_free(layout->localized);
    g_free(layout);
}

guint imp_layout_get_n_pages(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, 0);
    return layout->pages->len;
}

void imp_layout_get_page_size(const ImpLayout *layout, double *width, double *height)
{
    g_return_if_fail(layout != NULL);
    if (width)
        *width = layout->page_w;
    if (height)
        *height = layout->page_h;
}

/* A page's items; see layout.h. */
const ImpItem *imp_layout_get_items(const ImpLayout *layout, guint page, guint *n_items)
{
    if (n_items != NULL)
        *n_items = 0;
    g_return_val_if_fail(layout != NULL && page < layout->pages->len, NULL);
    const Page *pg = g_ptr_array_index(layout->pages, page);
    if (pg == NULL)
        return NULL; /* released */
    if (n_items != NULL)
        *n_items = pg->n_items;
    return pg->items;
}

/* Frees page `page`; see layout.h. */
void imp_layout_release_page(ImpLayout *layout, guint page)
{
    g_return_if_fail(layout != NULL && page < layout->pages->len);
    page_free(g_ptr_array_index(layout->pages, page));
    layout->pages->pdata[page] = NULL;
}

const ImpDocument *imp_layout_get_document(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, NULL);
    return layout->doc;
}

const char *imp_layout_get_fonts_used(const ImpLayout *layout)
{
    g_return_val_if_fail(layout != NULL, NULL);
    return layout->fonts_used;
}
