/* pngdiff — compares two PNG images of the same size, for golden page tests.
 *
 * Usage: pngdiff EXPECTED.png ACTUAL.png [MAX_FRACTION [DIFF.png]]
 * A pixel differs when any channel differs by more than 48 of 255 (anti-aliasing noise
 * stays below that). Exits 0 when the fraction of differing pixels is at most MAX_FRACTION
 * (default 0.002), 1 when more differ or the sizes differ, 2 on a usage or read error. With
 * DIFF.png, writes the differing pixels in red over a faded copy of ACTUAL.
 */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

static cairo_surface_t *load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "pngdiff: %s: %s\n", path, cairo_status_to_string(cairo_surface_status(s)));
        exit(2);
    }
    cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                      cairo_image_surface_get_width(s),
                                                      cairo_image_surface_get_height(s));
    cairo_t *cr = cairo_create(rgb);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    cairo_surface_flush(rgb);
    return rgb;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: pngdiff EXPECTED.png ACTUAL.png [MAX_FRACTION [DIFF.png]]\n");
        return 2;
    }
    double max_fraction = argc > 3 ? atof(argv[3]) : 0.002;
    cairo_surface_t *a = load(argv[1]), *b = load(argv[2]);
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        fprintf(stderr, "pngdiff: sizes differ: %dx%d vs %dx%d\n", w, h,
                cairo_image_surface_get_width(b), cairo_image_surface_get_height(b));
        return 1;
    }
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    long differ = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *ca = pa + y * sa + 4 * x, *cb = pb + y * sb + 4 * x;
            int d = 0;
            for (int k = 0; k < 3; k++) {
                int dk = abs(ca[k] - cb[k]);
                if (dk > d)
                    d = dk;
            }
            if (d > 48) {
                differ++;
                cb[0] = 0, cb[1] = 0, cb[2] = 255; /* BGRx: red */
            } else {
                for (int k = 0; k < 3; k++)
                    cb[k] = (unsigned char)(255 - (255 - cb[k]) / 4);
            }
        }
    double fraction = (double)differ / ((double)w * h);
    printf("pngdiff: %ld of %d pixels differ (%.5f, limit %.5f)\n", differ, w * h, fraction,
           max_fraction);
    if (argc > 4) {
        cairo_surface_mark_dirty(b);
        cairo_surface_write_to_png(b, argv[4]);
    }
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    return fraction <= max_fraction ? 0 : 1;
}
