/* render.h — finished pages → PDF, PNG or SVG with cairo.
 *
 * One page loop draws every back-end; a back-end is a small table of functions (create a
 * surface for a page size, begin and finish a page, metadata and outline where the format
 * has them), in the manner of pango-view. Output goes through a write callback, so the
 * caller decides where the bytes land (an atomic output file, standard output, memory).
 *
 * Rendering only reads the layout: any page, any number of times, in any order, to any
 * back-end, gives the same drawing. Memory is the caller's to manage: the `page_done` hook
 * is called after each page is drawn (a caller drawing a long document once may release
 * the page there, imp_layout_release_page()), and `before_finish` once every page is drawn,
 * before the back-end finishes the document (a PDF then embeds its fonts, which takes a
 * transient copy of each font's outlines: a program that owns its process may return freed
 * memory to the system there, as the imprint command does with malloc_trim()).
 *
 * Invariants:
 *  1. The PDF depends only on the layout and the creation time given: no wall clock.
 *  2. Fonts are embedded and subset (cairo does this); text is drawn with its clusters so
 *     the PDF's text layer holds the original characters.
 *  3. The layout is never changed, and nothing process-wide is (no allocator trimming, no
 *     locale, no signal).
 */
#ifndef IMP_RENDER_H
#define IMP_RENDER_H

#include <cairo.h>
#include <glib.h>

#include <imprint/imprint-render.h> /* the public part: ImpFormat, ImpWriteFunc */

#include "../layout/layout.h"

G_BEGIN_DECLS

/* Called after page `page` (0-based) is drawn; the page is not read again by this render. */
typedef void (*ImpRenderPageFunc)(guint page, gpointer user_data);
/* Called once every page is drawn, before the document is finished. */
typedef void (*ImpRenderHookFunc)(gpointer user_data);

/* What the finish stage is to add to one structure element of a tagged PDF, which cairo
 * 1.16 cannot write (ImpRenderOptions.elements). Strings are the document's (transfer
 * none: valid while it is). */
typedef struct {
    const char *language;  /* BCP 47: the element's text's language; NULL: inherited */
    const char *alt;       /* a Figure's alternative text; NULL: none */
    const char *scope;     /* a TH's /Scope ("Column"); NULL: none */
} ImpRenderElement;

/* A pixel buffer kept from one render to PNG to the next by a caller that draws many (a
 * batch worker), so that each image does not take fresh memory from the system: a page
 * 1,200 pixels wide is 8 MB, some 2,000 page faults. One render uses it at a time. */
typedef struct ImpRenderScratch_ ImpRenderScratch;

/* A scratch buffer, empty until a render needs it (transfer full). */
ImpRenderScratch *imp__render_scratch_new(void);
void imp__render_scratch_free(ImpRenderScratch *scratch);

/* How a layout is drawn. Fill with imp__render_options_init() and then set fields by name:
 * fields are added at the end, with defaults there. */
typedef struct {
    ImpFormat format;
    gint64 creation_time;  /* seconds since the epoch for the PDF's dates; < 0: cairo's
                              default, the current time (not reproducible) */
    guint page;            /* the first page drawn (PNG/SVG: the page), 1-based; 0 means 1 */
    double dpi;            /* PNG: resolution (0 means 150) */
    const char *creator;   /* PDF Creator; NULL: "imprint VERSION" */
    ImpRenderPageFunc page_done;     /* NULL: none */
    ImpRenderHookFunc before_finish; /* NULL: none */
    gpointer hook_data;    /* for page_done and before_finish */
    guint last_page;       /* PDF: the last page drawn, 1-based; 0: the layout's last */
    gboolean tagged;       /* PDF: a tagged PDF, its content in a structure tree (default
                              TRUE); FALSE: links and the outline alone */
    gboolean mark_artifacts; /* PDF: each page's furniture drawn into one group (a form
                                XObject) that the finish stage marks as an artifact, for
                                PDF/UA (default FALSE) */
    GArray *elements;      /* PDF: when not NULL, gets one ImpRenderElement per structure
                              element, in the order the elements are begun (depth first,
                              a parent before its children), for the finish stage */
    ImpRenderScratch *scratch; /* PNG: drawn in its buffer; NULL: in one of its own */
    guint png_round_bits;  /* PNG: each channel may be rounded by this many bits to fit a
                              palette (png.c); 0: the pixels exactly (the default) */
    gboolean watch_font_pages; /* PDF: a thread gives font files' pages back while cairo
                                  reads them (fontpages.c); for one document, not a batch
                                  whose next document reads them again (default TRUE) */
} ImpRenderOptions;

/* Sets the defaults: PDF, no creation time (cairo writes the current time), page 1,
 * 150 dpi, the default creator, no hooks, tagged, no artifact groups, no element records,
 * no scratch buffer, PNG pixels exact, font pages watched. */
void imp__render_options_init(ImpRenderOptions *options);

/* Guesses the format from a file name's extension (.png, .svg; anything else is PDF). */
ImpFormat imp_format_from_filename(const char *filename);

/* Draws pages `page`..`last_page` of `layout` (PNG and SVG: page `page`) and sends the
 * bytes to `write`; the layout is only read. Metadata (title, subject = section, author)
 * comes from the layout's document. A PDF is tagged (render-private.h, tags.c: the
 * structure tree), its links are annotations, its headings an outline and named
 * destinations, its pages labelled with the layout's page numbers. Fails with IMP_ERROR_OUTPUT on a cairo or write error,
 * a page number out of range, or a page the caller released before it was drawn. */
gboolean imp__render(const ImpLayout *layout, const ImpRenderOptions *options,
                     ImpWriteFunc write, gpointer user_data, GError **error);

/* Draws IMAGE item `it` (image.c): scaled into its box; a raster image with a filter that
 * writes no /Interpolate into a PDF (PDF/A forbids it), smoothed into a PNG. */
void imp__render_image(cairo_t *cr, const ImpItem *it);

G_END_DECLS

#endif /* IMP_RENDER_H */
