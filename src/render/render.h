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

#include "../layout/layout.h"

G_BEGIN_DECLS

typedef enum {
    IMP_FORMAT_PDF,
    IMP_FORMAT_PNG,  /* one page, at `dpi` */
    IMP_FORMAT_SVG   /* one page */
} ImpFormat;

/* Receives output bytes; returns FALSE on a write error (which stops the render). */
typedef gboolean (*ImpWriteFunc)(gpointer user_data, const guchar *data, gsize len);

typedef struct {
    ImpFormat format;
    gint64 creation_time;  /* seconds since the epoch for the PDF dates; < 0: none written */
    guint page;            /* PNG/SVG: the page to draw, 1-based (0 means 1) */
    double dpi;            /* PNG: resolution (0 means 150) */
    const char *creator;   /* PDF Creator; NULL: "imprint VERSION" */
} ImpRenderOptions;

/* Guesses the format from a file name's extension (.png, .svg; anything else is PDF). */
ImpFormat imp_format_from_filename(const char *filename);

/* Draws `layout` and sends the bytes to `write`. Metadata (title, subject = section,
 * author) comes from the layout's document. Each page is released once drawn
 * (imp_layout_release_page), so a layout is rendered once. Fails with IMP_ERROR_OUTPUT on a
 * cairo or write error, or a page number out of range. */
gboolean imp__render(ImpLayout *layout, const ImpRenderOptions *options,
                    ImpWriteFunc write, gpointer user_data, GError **error);

G_END_DECLS

#endif /* IMP_RENDER_H */
