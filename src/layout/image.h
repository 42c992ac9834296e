/* image.h — what an IMAGE item draws (ImpImage, defined in image.c), for the render stage.
 *
 * The layout finds, reads and checks every image of a document when it is laid out, and
 * keeps what drawing needs: a raster image's file bytes (decoded again each time it is
 * drawn, so a long document does not hold its images' pixels), or an SVG image already
 * turned into vector drawing (a cairo recording surface the size of its box).
 */
#ifndef IMP_IMAGE_H
#define IMP_IMAGE_H

#include <cairo.h>

#include "layout.h"

G_BEGIN_DECLS

typedef enum {
    IMP_IMAGE_PNG,
    IMP_IMAGE_JPEG,
    IMP_IMAGE_SVG
} ImpImageFormat;

ImpImageFormat imp_image_get_format(const ImpImage *image);

/* The image as a cairo surface to paint into its item's box (transfer full:
 * cairo_surface_destroy), `*width` x `*height` of its units filling the box:
 *  - PNG: an image surface decoded now;
 *  - JPEG: an image surface decoded now, with the file's bytes attached as
 *    CAIRO_MIME_TYPE_JPEG, so a PDF embeds the JPEG as it is (not re-encoded);
 *  - SVG: a recording surface of vector drawing, the box's size in points.
 * Raster surfaces carry CAIRO_MIME_TYPE_UNIQUE_ID (a digest of the file), so an image
 * drawn on several pages is embedded once. NULL when it cannot be made (out of memory: the
 * layout decoded the same bytes once already). Draws nothing itself and changes nothing. */
cairo_surface_t *imp_image_get_surface(const ImpImage *image, int *width, int *height);

G_END_DECLS

#endif /* IMP_IMAGE_H */
