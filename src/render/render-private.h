/* render-private.h — what the render stage's files share: the tagged structure of a PDF
 * (tags.c) and where a reader can go in it, links, destinations and the outline (links.c),
 * as the page loop (render.c) drives them. Not for other stages; render.h is the stage's
 * interface.
 *
 * The page loop asks tags.c in which order to draw a page's items (its furniture first,
 * then its content in reading order), tells it before each content item and, for an item
 * whose element holds links or other languages, before each run of glyphs; tags.c opens
 * and closes cairo's structure tags around them and calls links.c for the annotations,
 * destinations and outline entries.
 */
#ifndef IMP_RENDER_PRIVATE_H
#define IMP_RENDER_PRIVATE_H

#include <cairo.h>
#include <glib.h>

#include "render.h"

G_BEGIN_DECLS

/* ---- Font files (fontpages.c) ---- */

/* The process's file-backed resident pages now: the mark a render starts from. */
gsize imp__font_pages_mark(void);

/* Gives back the resident pages of the font files the process has mapped (they are read
 * again from the page cache when needed) when its file-backed resident set has grown by
 * more than 8 MB since `*mark` (from imp__font_pages_mark(); updated): cairo reads each
 * CJK face whole when a page first uses it and when it embeds it. Linux only; elsewhere
 * nothing. */
void imp__font_pages_check(gsize *mark);

/* A thread that checks every millisecond (a 4 MB threshold) until unwatched: cairo
 * reads a CJK face's outline table inside one call (a page's first glyphs of the face,
 * the surface's finish), and the checks between pages and writes come after the whole
 * table is resident. NULL where there is no such thread (not Linux, no thread). */
typedef struct ImpFontWatch_ ImpFontWatch;
ImpFontWatch *imp__font_pages_watch(void);
void imp__font_pages_unwatch(ImpFontWatch *watch);

/* ---- Scratch buffers (render.c) ---- */

typedef struct ImpPngWriter_ ImpPngWriter;

/* Makes *buffer (of *capacity bytes, may be NULL) hold at least `size` bytes: kept when it
 * does, else replaced (its content is not kept), as scratch memory is reused. */
void imp__buffer_ensure(gpointer *buffer, gsize *capacity, gsize size);

struct ImpRenderScratch_ {
    unsigned char *data;  /* the pixels drawn */
    gsize size;
    ImpPngWriter *png;    /* the PNG writer's memory; NULL until it is first needed */
};

/* ---- Page images (png.c) ---- */

/* What the PNG writer keeps from one image to the next: zlib's state, the palette's
 * tables, its buffers (some 300 KB, allocated and zeroed once instead of every image). */
ImpPngWriter *imp__png_writer_new(void);
void imp__png_writer_free(ImpPngWriter *writer);

/* Writes `image` (CAIRO_FORMAT_RGB24) as a PNG through `write`: with a palette when it has
 * at most 256 colours once each channel is rounded by at most `round_bits` bits (0: not
 * rounded; the pixels read back are then the pixels drawn), else as 8-bit RGB. Rows that
 * repeat the row above are deflate copies of it, the others deflated by zlib (level 1).
 * Working memory is `writer`'s (NULL: a writer of its own for this image). Returns
 * CAIRO_STATUS_WRITE_ERROR when `write` failed. */
cairo_status_t imp__png_write(cairo_surface_t *image, guint round_bits, ImpPngWriter *writer,
                              cairo_write_func_t write, void *closure);

/* ---- Structure (tags.c) ---- */

typedef struct ImpTags ImpTags;

/* The structure of a PDF of pages [first, last) (0-based) of `layout`, drawn on `cr`
 * (a PDF surface) as `options` ask (tagged, artifacts, element records). (transfer full):
 * imp__tags_free(). */
ImpTags *imp__tags_new(cairo_t *cr, const ImpLayout *layout, guint first, guint last,
                       const ImpRenderOptions *options);
void imp__tags_free(ImpTags *tags);

/* Page `page` (0-based) of the layout, its items `items`, is about to be drawn: returns
 * the order to draw all n of them in, as indices into `items` (transfer none: valid until
 * the next call): *n_under items of furniture to draw before the content (tints, and what
 * precedes all content), then the content in reading order, then *n_over items of
 * furniture to draw after imp__tags_page_end(). Items that draw nothing (anchors, link
 * areas) are in the content part. */
const guint *imp__tags_page_begin(ImpTags *tags, guint page, const ImpItem *items, guint n,
                                  guint *n_under, guint *n_over);
/* Content item `it` of the page is next: closes and opens structure elements so that what
 * is drawn now lands in its element, places destinations and outline entries. Returns
 * TRUE when the item's element holds runs of different kinds (a link, a language of its
 * own): the item must then be drawn run by run, with imp__tags_run() before each. */
gboolean imp__tags_item(ImpTags *tags, const ImpItem *it);
/* The run of `it` for bytes from `offset` of `text` (the line's text), drawn from x0 to x1
 * on the baseline y, is next (only after imp__tags_item() returned TRUE). */
void imp__tags_run(ImpTags *tags, const ImpItem *it, const char *text, guint offset,
                   double x0, double x1, double y);
/* The page is drawn: what is open of a leaf element is closed (and on the last page
 * everything). */
void imp__tags_page_end(ImpTags *tags, gboolean last);

/* ---- Links, destinations and the outline (links.c) ---- */

typedef struct ImpLinks ImpLinks;

/* The links of a PDF drawn on `cr` from `doc`. (transfer full): imp__links_free(). */
ImpLinks *imp__links_new(cairo_t *cr, const ImpDocument *doc);
void imp__links_free(ImpLinks *links);

/* Block `block` is drawn in this PDF (called for every item before anything is drawn):
 * if it has an id, "#id" links may lead to it. */
void imp__links_note_block(ImpLinks *links, guint block);
/* The attributes of cairo's Link tag for the link area `area` (an IMP_ITEM_LINK): where it
 * leads and its rectangle; NULL when it leads nowhere this PDF can go (an "#id" no block
 * drawn here has, a scheme that runs code) (transfer full). */
char *imp__links_attributes(ImpLinks *links, const ImpItem *area);
/* Whether block `block` has a destination still to place (cheap: call before
 * imp__links_place_dest() for an item that is not an anchor). */
gboolean imp__links_needs_dest(const ImpLinks *links, guint block);
/* Places the destination of item `it`'s block, when the block has an id and this is its
 * first item: at the heading's top-left for an anchor, else at (x, top). */
void imp__links_place_dest(ImpLinks *links, const ImpItem *it, double top);
/* Adds anchor `it` to the outline, on page `page_no` (1-based) of this PDF. */
void imp__links_add_outline(ImpLinks *links, const ImpItem *it, guint page_no);

/* A link target for cairo's uri attribute: what a PDF literal string can hold as it is,
 * percent-encoded where a URI must be (non-ASCII, spaces, controls), with cairo's and the
 * PDF string's escapes (transfer full). Exposed for the unit tests. */
char *imp__links_uri_attribute(const char *uri);

G_END_DECLS

#endif /* IMP_RENDER_PRIVATE_H */
