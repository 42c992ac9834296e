/* test-png.c — unit tests of the PNG writer (src/render/png.c): whatever the image, the file
 * libpng reads back (through cairo, which checks every chunk's CRC and the zlib stream's
 * Adler-32) holds the pixels drawn.
 *
 *  - images of 1 to 1,200 pixels wide with runs of repeated rows of every length from 1 to
 *    70 (a run's bytes cut into copies of at most 258 bytes leave 1 or 2 bytes for some
 *    lengths), at the top, in the middle and at the end, between rows of noise;
 *  - an image whose rows are longer than deflate's window (no copies) and one whose rows
 *    all repeat the first;
 *  - the same image written twice gives the same bytes; a page of text, mostly paper,
 *    gives a file much smaller than its pixels;
 *  - at most 256 colours are written with a palette, exactly; more as RGB, exactly, unless
 *    rounding is allowed and brings them to 256 (each channel then within 1 or 2 of the
 *    pixel drawn, white and black exact); a picture of thousands of colours stays RGB;
 *  - a writer kept from image to image writes each as a new writer does, byte for byte;
 *  - a write that fails is reported as CAIRO_STATUS_WRITE_ERROR.
 */
#include <cairo.h>
#include <string.h>

#include "render/render-private.h"

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

typedef struct {
    const guint8 *data;
    gsize len, at;
} Reader;

static cairo_status_t read_bytes(void *closure, unsigned char *data, unsigned int len)
{
    Reader *r = closure;
    if (r->at + len > r->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* An RGB24 image w×h whose row y is row `source[y]` of noise (a row that names the same
 * source as the row above repeats it). */
static cairo_surface_t *make_image(int w, int h, const int *source, guint32 seed)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        GRand *rand = g_rand_new_with_seed(seed + (guint32)source[y]);
        guint32 *row = (guint32 *)(gpointer)(px + (gsize)y * (gsize)stride);
        for (int x = 0; x < w; x++) /* noise, with white spans as on a page */
            row[x] = g_rand_int_range(rand, 0, 4) == 0 ? 0xFFFFFF
                                                       : g_rand_int(rand) & 0xFFFFFF;
        g_rand_free(rand);
    }
    cairo_surface_mark_dirty(s);
    return s;
}

/* The colour type of a PNG (IHDR): 2 RGB, 3 indexed. */
static int colour_type(const GByteArray *png)
{
    g_assert_cmpuint(png->len, >, 26);
    g_assert_true(memcmp(png->data + 12, "IHDR", 4) == 0);
    return png->data[25];
}

/* Writes `s` with `round_bits`, reads the file back, and checks its size and that every
 * channel of every pixel is within `tolerance` of the pixel drawn. */
static GByteArray *round_trip_with(cairo_surface_t *s, guint round_bits, int tolerance)
{
    GByteArray *png = g_byte_array_new();
    g_assert_cmpint(imp__png_write(s, round_bits, NULL, append, png), ==, CAIRO_STATUS_SUCCESS);
    Reader r = { png->data, png->len, 0 };
    cairo_surface_t *back = cairo_image_surface_create_from_png_stream(read_bytes, &r);
    if (cairo_surface_status(back) != CAIRO_STATUS_SUCCESS && g_getenv("IMP_TEST_KEEP_PNG"))
        g_file_set_contents(g_getenv("IMP_TEST_KEEP_PNG"), (const char *)png->data,
                            (gssize)png->len, NULL);
    g_assert_cmpint(cairo_surface_status(back), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpuint(r.at, ==, png->len); /* nothing after IEND */
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    g_assert_cmpint(cairo_image_surface_get_width(back), ==, w);
    g_assert_cmpint(cairo_image_surface_get_height(back), ==, h);
    cairo_surface_flush(back);
    const unsigned char *a = cairo_image_surface_get_data(s);
    const unsigned char *b = cairo_image_surface_get_data(back);
    int sa = cairo_image_surface_get_stride(s), sb = cairo_image_surface_get_stride(back);
    for (int y = 0; y < h; y++) {
        const guint32 *ra = (const guint32 *)(const void *)(a + (gsize)y * (gsize)sa);
        const guint32 *rb = (const guint32 *)(const void *)(b + (gsize)y * (gsize)sb);
        for (int x = 0; x < w; x++)
            for (int shift = 0; shift <= 16; shift += 8) {
                int ca = (int)((ra[x] >> shift) & 0xff), cb = (int)((rb[x] >> shift) & 0xff);
                if (ABS(ca - cb) > tolerance)
                    g_error("%dx%d: pixel (%d, %d) written %06x, read %06x", w, h, x, y,
                            ra[x] & 0xFFFFFF, rb[x] & 0xFFFFFF);
            }
    }
    cairo_surface_destroy(back);
    return png;
}

/* Exactly. */
static GByteArray *round_trip(cairo_surface_t *s)
{
    return round_trip_with(s, 0, 0);
}

/* Runs of 1..70 repeated rows between rows of noise, at several widths. */
static void test_repeated_rows(void)
{
    static const int widths[] = { 1, 2, 7, 85, 1200 };
    for (guint k = 0; k < G_N_ELEMENTS(widths); k++) {
        int w = widths[k];
        GArray *source = g_array_new(FALSE, FALSE, sizeof(int));
        int next = 0;
        for (int run = 0; run < 3; run++) /* repeats from the second row */
            g_array_append_val(source, next);
        for (int run = 1; run <= 70; run++) {
            next++;
            for (int i = 0; i <= run; i++) /* one new row, `run` repeats */
                g_array_append_val(source, next);
            next++; /* and a row of noise after */
            g_array_append_val(source, next);
        }
        for (int run = 0; run < 5; run++) /* repeats to the last row */
            g_array_append_val(source, next);
        cairo_surface_t *s = make_image(w, (int)source->len, (int *)(void *)source->data,
                                        (guint32)w);
        g_byte_array_unref(round_trip(s));
        cairo_surface_destroy(s);
        g_array_free(source, TRUE);
    }
}

/* Rows longer than deflate's 32 KB window are deflated whole; an image of one row
 * repeated is mostly copies. */
static void test_wide_and_uniform(void)
{
    int source[12] = { 0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4 };
    cairo_surface_t *wide = make_image(11000, 12, source, 7);
    g_byte_array_unref(round_trip(wide));
    cairo_surface_destroy(wide);
    int same[600] = { 0 };
    cairo_surface_t *uniform = make_image(300, 600, same, 9);
    GByteArray *png = round_trip(uniform);
    /* one row of noise deflated, 599 as copies (a few bytes each) */
    g_assert_cmpuint(png->len, <, 300 * 3 + 600 * 16);
    g_byte_array_unref(png);
    cairo_surface_destroy(uniform);
}

/* A page of text: same bytes twice, and mostly paper compresses well. */
static void test_text_page(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 800);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.6, 0.1, 0.1);
    cairo_select_font_face(cr, "serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    for (int line = 0; line < 30; line++) {
        cairo_move_to(cr, 60, 80 + 22 * line);
        cairo_show_text(cr, "The quick brown fox jumps over the lazy dog, 0123456789.");
    }
    cairo_destroy(cr);
    GByteArray *a = round_trip(s), *b = round_trip(s);
    g_assert_cmpuint(a->len, ==, b->len);
    g_assert_true(memcmp(a->data, b->data, a->len) == 0);
    g_assert_cmpuint(a->len, <, 600 * 800 * 3 / 10);
    g_byte_array_unref(a);
    g_byte_array_unref(b);
    cairo_surface_destroy(s);
}

/* The colour of pixel (x, y) of an RGB24 or ARGB32 image, 0xRRGGBB. */
static guint32 pixel_at(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(s) +
                               (gsize)y * (gsize)cairo_image_surface_get_stride(s);
    return ((const guint32 *)(const void *)row)[x] & 0xffffff;
}

/* An image whose row y is filled with colours[y % n]. */
static cairo_surface_t *stripes(int w, int h, const guint32 *colours, int n)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) /* a few pixels of each row differ, so rows are new */
            ((guint32 *)(gpointer)(px + (gsize)y * (gsize)stride))[x] =
                colours[(y + (x % 7 == 0 ? x / 7 : 0)) % n];
    cairo_surface_mark_dirty(s);
    return s;
}

/* At most 256 colours: a palette, exact. More: RGB, exact, unless rounding is allowed and
 * brings them to 256 (a grey ink and a red one, anti-aliased, as on a page): a palette
 * whose colours are within 2 of those drawn, paper white and full ink exact. A picture
 * (thousands of colours) stays RGB, exact, whatever rounding is allowed. */
static void test_palette(void)
{
    guint32 colours[447];
    for (int i = 0; i < 256; i++) /* a grey ink's edges */
        colours[i] = (guint32)i * 0x010101;
    for (int i = 0; i < 191; i++) /* a red ink's edges over white */
        colours[256 + i] = 0xff0000 | (guint32)(i + 64) << 8 | (guint32)(i + 64);
    cairo_surface_t *few = stripes(300, 200, colours, 256);
    GByteArray *png = round_trip(few);
    g_assert_cmpint(colour_type(png), ==, 3);
    g_byte_array_unref(png);
    cairo_surface_destroy(few);

    cairo_surface_t *page = stripes(300, 500, colours, 447);
    png = round_trip(page);
    g_assert_cmpint(colour_type(png), ==, 2);
    g_byte_array_unref(png);
    png = round_trip_with(page, 1, 1);
    g_assert_cmpint(colour_type(png), ==, 3);
    g_byte_array_unref(png);
    png = round_trip_with(page, 2, 2);
    g_assert_cmpint(colour_type(png), ==, 3);
    g_byte_array_unref(png);
    cairo_surface_destroy(page);

    guint32 ends[2] = { 0xffffff, 0x000000 };
    for (int i = 0; i < 447; i++) /* white and black survive rounding exactly */
        colours[i] = i % 2 ? ends[i % 4 / 2] : colours[i];
    cairo_surface_t *exact_ends = stripes(64, 447, colours, 447);
    png = round_trip_with(exact_ends, 2, 2);
    g_assert_cmpint(colour_type(png), ==, 3);
    Reader r = { png->data, png->len, 0 };
    cairo_surface_t *back = cairo_image_surface_create_from_png_stream(read_bytes, &r);
    cairo_surface_flush(back);
    int n_ends = 0;
    for (int y = 0; y < 447; y++)
        for (int x = 0; x < 64; x++) {
            guint32 a = pixel_at(exact_ends, x, y), b = pixel_at(back, x, y);
            if (a == 0xffffff || a == 0) {
                g_assert_cmphex(b, ==, a);
                n_ends++;
            }
        }
    g_assert_cmpint(n_ends, >, 10000);
    cairo_surface_destroy(back);
    g_byte_array_unref(png);
    cairo_surface_destroy(exact_ends);

    int source[60];
    for (int y = 0; y < 60; y++)
        source[y] = y;
    cairo_surface_t *picture = make_image(400, 60, source, 5);
    png = round_trip_with(picture, 2, 0);
    g_assert_cmpint(colour_type(png), ==, 2);
    g_byte_array_unref(png);
    cairo_surface_destroy(picture);
}

/* One writer kept from image to image (as a batch worker keeps it) writes each image as a
 * writer of its own does, byte for byte, whatever came before: larger or smaller, RGB or
 * with a palette, rounded or not. */
static void test_writer_reused(void)
{
    guint32 colours[447];
    for (int i = 0; i < 447; i++)
        colours[i] = i < 256 ? (guint32)i * 0x010101 : 0xff0000 | (guint32)(i - 192) * 0x0101;
    int source[300];
    for (int y = 0; y < 300; y++)
        source[y] = y / 4;
    cairo_surface_t *images[5] = {
        stripes(300, 500, colours, 447), make_image(700, 300, source, 1),
        stripes(64, 40, colours, 200),   make_image(1, 300, source, 2),
        stripes(300, 500, colours, 447),
    };
    guint bits[5] = { 2, 0, 0, 2, 0 };
    ImpPngWriter *writer = imp__png_writer_new();
    for (int round = 0; round < 2; round++)
        for (guint i = 0; i < G_N_ELEMENTS(images); i++) {
            GByteArray *kept = g_byte_array_new(), *fresh = g_byte_array_new();
            g_assert_cmpint(imp__png_write(images[i], bits[i], writer, append, kept), ==,
                            CAIRO_STATUS_SUCCESS);
            g_assert_cmpint(imp__png_write(images[i], bits[i], NULL, append, fresh), ==,
                            CAIRO_STATUS_SUCCESS);
            g_assert_cmpuint(kept->len, ==, fresh->len);
            g_assert_true(memcmp(kept->data, fresh->data, kept->len) == 0);
            g_byte_array_unref(kept);
            g_byte_array_unref(fresh);
        }
    imp__png_writer_free(writer);
    for (guint i = 0; i < G_N_ELEMENTS(images); i++)
        cairo_surface_destroy(images[i]);
}

static cairo_status_t fail_after(void *closure, const unsigned char *data, unsigned int len)
{
    (void)data;
    gsize *left = closure;
    if (*left < len)
        return CAIRO_STATUS_WRITE_ERROR;
    *left -= len;
    return CAIRO_STATUS_SUCCESS;
}

/* A failed write is reported, wherever it happens. */
static void test_write_error(void)
{
    int source[40] = { 0 };
    for (int y = 0; y < 40; y++)
        source[y] = y / 3;
    cairo_surface_t *s = make_image(500, 40, source, 3);
    for (gsize at = 0; at < 4000; at += 997) {
        gsize left = at;
        g_assert_cmpint(imp__png_write(s, 0, NULL, fail_after, &left), ==, CAIRO_STATUS_WRITE_ERROR);
    }
    cairo_surface_destroy(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/png/repeated-rows", test_repeated_rows);
    g_test_add_func("/png/wide-and-uniform", test_wide_and_uniform);
    g_test_add_func("/png/text-page", test_text_page);
    g_test_add_func("/png/palette", test_palette);
    g_test_add_func("/png/writer-reused", test_writer_reused);
    g_test_add_func("/png/write-error", test_write_error);
    return g_test_run();
}
