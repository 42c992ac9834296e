/* render.h — pages → PDF, PNG or SVG with cairo.
 *
 * One page loop draws every back-end; a back-end is a small table of functions (create a
 * surface for a page size, finish a page, finish the document), in the manner of
 * pango-view. Output goes through a write callback, so the caller decides where the bytes
 * land (an atomic output file, standard output, memory).
 *
 * Invariants:
 *  1. The PDF depends only on the layout and the creation time given: no wall clock.
 *  2. Fonts are embedded and subset (cairo does this); text is drawn with its clusters so
 *     the PDF's text layer holds the original characters.
 */
#ifndef IMP_RENDER_H
#define IMP_RENDER_H

#include <glib.h>

#include <imprint/imprint-render.h> /* the public part: ImpFormat, ImpWriteFunc */

#include "../layout/layout.h"

G_BEGIN_DECLS

typedef struct {
    ImpFormat format;
    gint64 creation_time;  /* seconds since the epoch for the PDF dates; < 0: none written */
    guint page;            /* the first page drawn (PNG/SVG: the page), 1-based; 0 means 1 */
    guint last_page;       /* PDF: the last page drawn, 1-based; 0: the layout's last */
    double dpi;            /* PNG: resolution (0 means 150) */
    const char *creator;   /* PDF Creator; NULL: "imprint VERSION" */
    gboolean release_pages;/* release each page once drawn (imp_layout_release_page), to
                              bound memory; the layout cannot be drawn again */
    void (*page_drawn)(gpointer data); /* called after each page drawn (progress); may be
                                          NULL */
    gpointer page_drawn_data;
} ImpRenderOptions;

/* Guesses the format from a file name's extension (.png, .svg; anything else is PDF). */
ImpFormat imp_format_from_filename(const char *filename);

/* Draws pages `page`..`last_page` of `layout` (PNG and SVG: page `page`) and sends the
 * bytes to `write`. Metadata (title, subject = section, author) comes from the layout's
 * document. With `release_pages` each page is released once drawn, so the layout is
 * rendered once; without, the layout may be rendered again. Fails with IMP_ERROR_OUTPUT on
 * a cairo or write error, or a page number out of range. */
gboolean imp__render(ImpLayout *layout, const ImpRenderOptions *options,
                    ImpWriteFunc write, gpointer user_data, GError **error);

G_END_DECLS

#endif /* IMP_RENDER_H */
