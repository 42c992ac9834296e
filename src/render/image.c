/* image.c — drawing an IMAGE item: the layout's image (layout/image.h) scaled into the
 * item's box.
 *
 * A raster image is decoded for each drawing (the layout keeps only its file's bytes) and
 * painted through a pattern filter: CAIRO_FILTER_FAST into a PDF or SVG, for which cairo
 * writes no /Interpolate (PDF/A forbids /Interpolate true; a viewer scales the image as it
 * likes), and CAIRO_FILTER_GOOD into a PNG, whose pixels are ours to smooth. A JPEG
 * reaches the PDF as the file's own bytes (its surface carries them as
 * CAIRO_MIME_TYPE_JPEG), an image used twice once (CAIRO_MIME_TYPE_UNIQUE_ID). An SVG
 * image is a recording surface of vector drawing, painted 1:1: it stays vectors in a PDF.
 *
 * Invariants:
 *  1. The layout is only read; the surface made for a drawing is freed after it.
 *  2. Nothing is drawn outside the item's box.
 */
#include "render.h"

#include "../layout/image.h"

/* Draws an IMAGE item; see render.h. */
void imp__render_image(cairo_t *cr, const ImpItem *it)
{
    int w = 0, h = 0;
    cairo_surface_t *s = imp_image_get_surface(it->image, &w, &h);
    if (s == NULL || w <= 0 || h <= 0) {
        if (s != NULL)
            cairo_surface_destroy(s);
        return;
    }
    gboolean raster_out =
        cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
    cairo_save(cr);
    cairo_rectangle(cr, it->x, it->y, it->width, it->thickness);
    cairo_clip(cr);
    cairo_translate(cr, it->x, it->y);
    cairo_scale(cr, it->width / w, it->thickness / h);
    cairo_set_source_surface(cr, s, 0, 0);
    if (imp_image_get_format(it->image) != IMP_IMAGE_SVG)
        cairo_pattern_set_filter(cairo_get_source(cr),
                                 raster_out ? CAIRO_FILTER_GOOD : CAIRO_FILTER_FAST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
}
