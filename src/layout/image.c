/* image.c — images: found, read, checked, decoded and scaled; and set with their captions.
 *
 * An IMAGE block names its image by `src`: a path (relative to the document's folder,
 * imp_document_get_base_dir; a file: URI), or a data: URI (base64 or %-escaped, as the HTML
 * reader passes an inline image on). PNG (decoded by cairo), JPEG (libjpeg; embedded in a
 * PDF as the file's own bytes, not re-encoded) and SVG (librsvg, drawn as vectors) are
 * known by their first bytes, not their names. The image is set flush left in its block's
 * measure at its own size (its pixels at the resolution it states, else 96 per inch, as a
 * browser shows it), scaled down to fit the measure and the page, never up: a raster image
 * is never blurred by enlarging it. Its caption (the block's title) follows in [caption].
 *
 * An image that cannot be set is a warning naming the input's file and line (and so a
 * failure under --strict), and its alt text (the block's text) is set in its place as a
 * paragraph, so no text is lost: no source; a remote one (http:, https:, //host: imprint
 * never uses the network); a file that is missing, unreadable, not a regular file, larger
 * than 64 MiB, or not a PNG, JPEG or SVG image; a header stating more than 100 million
 * pixels (checked before anything is decoded: a 50,000 × 50,000 PNG of a few bytes would
 * otherwise ask for 10 GB); data that does not decode whole (a truncated file, a text file
 * named .png). Every image is decoded once here, so drawing it later cannot fail; its
 * pixels are then dropped, and the render stage decodes the kept bytes again for each
 * page it draws (image.h).
 *
 * When the image is set, its alt text is not drawn: it goes with the IMAGE item (its
 * block) to a tagged PDF, as the Figure's alternate description.
 *
 * Invariants:
 *  1. Nothing is decoded before its header is checked against the pixel limit.
 *  2. No file is read but a regular file, and none beyond 64 MiB; no network is used; an
 *     SVG reads no other file (librsvg loads nothing without a base file).
 *  3. The box fits the measure and the text area's height, and is never larger than the
 *     image's own size.
 */
#include "blocks.h"
#include "image.h"

#include <errno.h>
#include <jpeglib.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/file.h"

/* The most pixels an image may have. */
#define MAX_PIXELS 100000000.0
/* The largest image file read. */
#define MAX_FILE_BYTES ((gsize)64 << 20)
/* The resolution of an image that states none: CSS's reference pixel. */
#define DEFAULT_DPI 96.0
/* Characters of a source quoted in a message. */
#define QUOTE_CHARS 80

struct ImpImage {
    ImpImageFormat format;
    int width, height;          /* pixels (raster) */
    double dpi_x, dpi_y;
    GBytes *data;               /* the file (raster) */
    char *id;                   /* a digest of the file, for CAIRO_MIME_TYPE_UNIQUE_ID */
    cairo_surface_t *vector;    /* SVG: vector drawing of the box's size */
    RsvgHandle *svg;            /* SVG: while the plan pass needs it */
    double box_w, box_h;        /* the box it is drawn in, points */
    gboolean cmyk;              /* a CMYK JPEG: decoded, not embedded as it is */
};

/* Frees an image; see layout-private.h. */
void imp__image_free(gpointer data)
{
    ImpImage *img = data;
    if (img == NULL)
        return;
    if (img->data != NULL)
        g_bytes_unref(img->data);
    if (img->vector != NULL)
        cairo_surface_destroy(img->vector);
    if (img->svg != NULL)
        g_object_unref(img->svg);
    g_free(img->id);
    g_free(img);
}

ImpImageFormat imp_image_get_format(const ImpImage *image)
{
    return image->format;
}

/* ------------------------------------------------------------------------------------ */
/* PNG                                                                                  */
/* ------------------------------------------------------------------------------------ */

static guint32 be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* A PNG's size from its IHDR chunk and its resolution from a pHYs chunk before its data;
 * FALSE (with *why) when the header is not a PNG's. */
static gboolean png_header(ImpImage *img, const guint8 *d, gsize n, char **why)
{
    if (n < 33 || memcmp(d + 12, "IHDR", 4) != 0) {
        *why = g_strdup("not a valid PNG image: no header");
        return FALSE;
    }
    guint32 w = be32(d + 16), h = be32(d + 20);
    if (w == 0 || h == 0 || w > G_MAXINT32 || h > G_MAXINT32) {
        *why = g_strdup_printf("not a valid PNG image: its size is %u × %u", w, h);
        return FALSE;
    }
    img->width = (int)w;
    img->height = (int)h;
    for (gsize at = 8; at + 12 <= n;) {
        guint32 len = be32(d + at);
        const guint8 *type = d + at + 4;
        if (memcmp(type, "IDAT", 4) == 0 || memcmp(type, "IEND", 4) == 0 || len > n - at - 12)
            break;
        if (memcmp(type, "pHYs", 4) == 0 && len >= 9 && d[at + 16] == 1) {
            img->dpi_x = be32(d + at + 8) * 0.0254; /* pixels a metre */
            img->dpi_y = be32(d + at + 12) * 0.0254;
        }
        at += 12 + (gsize)len;
    }
    return TRUE;
}

typedef struct {
    const guint8 *data;
    gsize len, at;
} Reader;

static cairo_status_t read_bytes(void *closure, unsigned char *out, unsigned int len)
{
    Reader *r = closure;
    if (r->len - r->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A PNG decoded by cairo (transfer full; an error surface when it does not decode). */
static cairo_surface_t *png_decode(GBytes *bytes)
{
    gsize n;
    Reader r = { g_bytes_get_data(bytes, &n), 0, 0 };
    r.len = n;
    return cairo_image_surface_create_from_png_stream(read_bytes, &r);
}

/* ------------------------------------------------------------------------------------ */
/* JPEG                                                                                 */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} JpegError;

/* libjpeg's fatal errors jump back, with their message kept. */
static void jpeg_fail(j_common_ptr cinfo)
{
    JpegError *e = (JpegError *)(gpointer)cinfo->err;
    e->pub.format_message(cinfo, e->message);
    longjmp(e->jump, 1);
}

/* Warnings (corrupt data, a premature end) are counted and the first kept; nothing is
 * printed. */
static void jpeg_message(j_common_ptr cinfo, int level)
{
    JpegError *e = (JpegError *)(gpointer)cinfo->err;
    if (level < 0) {
        if (e->pub.num_warnings == 0)
            e->pub.format_message(cinfo, e->message);
        e->pub.num_warnings++;
    }
}

/* Reads a JPEG: its header into img (size, resolution, colour), then, when `target` is
 * not NULL, its pixels into that RGB24 surface of its size, or (target NULL, check only)
 * through one row. FALSE with *why when it is not a whole, valid JPEG, or (header_only)
 * has more pixels than the limit. */
static gboolean jpeg_read(ImpImage *img, GBytes *bytes, cairo_surface_t *target,
                          gboolean header_only, char **why)
{
    struct jpeg_decompress_struct cinfo;
    JpegError err;
    gsize n;
    const guint8 *data = g_bytes_get_data(bytes, &n);
    guint8 *volatile row = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = jpeg_fail;
    err.pub.emit_message = jpeg_message;
    err.message[0] = '\0';
    if (setjmp(err.jump)) {
        *why = g_strdup_printf("not a valid JPEG image: %s", err.message);
        jpeg_destroy_decompress(&cinfo);
        g_free(row);
        return FALSE;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)n);
    jpeg_read_header(&cinfo, TRUE);
    img->width = (int)cinfo.image_width;
    img->height = (int)cinfo.image_height;
    if (cinfo.saw_JFIF_marker && cinfo.X_density > 0 && cinfo.Y_density > 0 &&
        cinfo.density_unit > 0) {
        double k = cinfo.density_unit == 2 ? 2.54 : 1;
        img->dpi_x = cinfo.X_density * k;
        img->dpi_y = cinfo.Y_density * k;
    }
    img->cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (header_only || (double)cinfo.image_width * cinfo.image_height > MAX_PIXELS) {
        jpeg_destroy_decompress(&cinfo);
        return TRUE;
    }
    gboolean adobe = cinfo.saw_Adobe_marker;
    if (img->cmyk)
        cinfo.out_color_space = JCS_CMYK;
    else
        cinfo.out_color_space = G_BYTE_ORDER == G_LITTLE_ENDIAN ? JCS_EXT_BGRX : JCS_EXT_XRGB;
    jpeg_start_decompress(&cinfo);
    row = g_malloc((gsize)cinfo.output_width * 4);
    guint8 *pixels = target != NULL ? cairo_image_surface_get_data(target) : NULL;
    int stride = target != NULL ? cairo_image_surface_get_stride(target) : 0;
    while (cinfo.output_scanline < cinfo.output_height) {
        guint y = cinfo.output_scanline;
        guint8 *out = pixels != NULL && !img->cmyk ? pixels + (gsize)y * stride : row;
        JSAMPROW rows[1] = { out };
        jpeg_read_scanlines(&cinfo, rows, 1);
        if (pixels != NULL && img->cmyk) {
            guint32 *dst = (guint32 *)(gpointer)(pixels + (gsize)y * stride);
            for (guint x = 0; x < cinfo.output_width; x++) {
                guint c = row[4 * x], m = row[4 * x + 1], yy = row[4 * x + 2],
                      k = row[4 * x + 3];
                if (!adobe) /* Adobe writes CMYK inverted; others as they are */
                    c = 255 - c, m = 255 - m, yy = 255 - yy, k = 255 - k;
                dst[x] = 0xff000000u | (c * k / 255) << 16 | (m * k / 255) << 8 | yy * k / 255;
            }
        }
        if (err.pub.num_warnings > 0)
            break;
    }
    if (err.pub.num_warnings > 0) {
        *why = g_strdup_printf("not a valid JPEG image: %s", err.message);
        jpeg_destroy_decompress(&cinfo);
        g_free(row);
        return FALSE;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    g_free(row);
    if (err.pub.num_warnings > 0) {
        *why = g_strdup_printf("not a valid JPEG image: %s", err.message);
        return FALSE;
    }
    if (target != NULL)
        cairo_surface_mark_dirty(target);
    return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Drawing (image.h)                                                                    */
/* ------------------------------------------------------------------------------------ */

/* The image as a surface to paint into its box; see image.h. */
cairo_surface_t *imp_image_get_surface(const ImpImage *image, int *width, int *height)
{
    g_return_val_if_fail(image != NULL, NULL);
    if (image->format == IMP_IMAGE_SVG) {
        *width = (int)image->box_w;
        *height = (int)image->box_h;
        return cairo_surface_reference(image->vector);
    }
    cairo_surface_t *s;
    if (image->format == IMP_IMAGE_PNG) {
        s = png_decode(image->data);
    } else {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image->width, image->height);
        ImpImage copy = *image;
        char *why = NULL;
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
            !jpeg_read(&copy, image->data, s, FALSE, &why)) {
            g_free(why);
            cairo_surface_destroy(s);
            return NULL;
        }
        if (!image->cmyk && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
            gsize n;
            const guint8 *data = g_bytes_get_data(image->data, &n);
            cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, n,
                                        (cairo_destroy_func_t)g_bytes_unref,
                                        g_bytes_ref(image->data));
        }
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const guint8 *)image->id,
                                strlen(image->id), NULL, NULL);
    *width = cairo_image_surface_get_width(s);
    *height = cairo_image_surface_get_height(s);
    return s;
}

/* ------------------------------------------------------------------------------------ */
/* Finding and checking                                                                 */
/* ------------------------------------------------------------------------------------ */

/* The bytes of a data: URI (transfer full), NULL with *why when it holds none. */
static GBytes *data_uri(const char *src, char **why)
{
    const char *comma = strchr(src, ',');
    if (comma == NULL) {
        *why = g_strdup("a data: URI without data");
        return NULL;
    }
    gboolean base64 = FALSE;
    char *meta = g_strndup(src + 5, (gsize)(comma - src - 5));
    char **parts = g_strsplit(meta, ";", -1);
    for (char **p = parts; *p != NULL; p++)
        if (g_ascii_strcasecmp(g_strstrip(*p), "base64") == 0)
            base64 = TRUE;
    g_strfreev(parts);
    g_free(meta);
    GBytes *raw = g_uri_unescape_bytes(comma + 1, -1, NULL, NULL);
    if (raw == NULL) {
        *why = g_strdup("a data: URI with a bad %-escape");
        return NULL;
    }
    if (!base64)
        return raw;
    /* base64, white space allowed */
    gsize n;
    const char *d = g_bytes_get_data(raw, &n);
    char *clean = g_malloc(n + 1);
    gsize k = 0;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isspace(d[i]))
            clean[k++] = d[i];
    clean[k] = '\0';
    g_bytes_unref(raw);
    gsize out_len = 0;
    guchar *out = g_base64_decode(clean, &out_len);
    g_free(clean);
    if (out_len == 0) {
        g_free(out);
        *why = g_strdup("a data: URI with no base64 data");
        return NULL;
    }
    return g_bytes_new_take(out, out_len);
}

/* Whether src names a place on the network. */
static gboolean is_remote(const char *src)
{
    if (g_str_has_prefix(src, "//"))
        return TRUE;
    const char *remote[] = { "http:", "https:", "ftp:", "ftps:", NULL };
    for (const char **r = remote; *r != NULL; r++)
        if (g_ascii_strncasecmp(src, *r, strlen(*r)) == 0)
            return TRUE;
    return FALSE;
}

/* The bytes src names (transfer full), or NULL with *why. */
static GBytes *image_bytes(const ImpDocument *doc, const char *src, char **why)
{
    if (src == NULL || src[0] == '\0') {
        *why = g_strdup("no source");
        return NULL;
    }
    if (g_ascii_strncasecmp(src, "data:", 5) == 0)
        return data_uri(src, why);
    if (is_remote(src)) {
        *why = g_strdup("remote, not fetched (imprint never uses the network)");
        return NULL;
    }
    char *path;
    if (g_ascii_strncasecmp(src, "file:", 5) == 0) {
        path = g_filename_from_uri(src, NULL, NULL);
        if (path == NULL) {
            *why = g_strdup("not a file: URI imprint can read");
            return NULL;
        }
    } else if (g_uri_peek_scheme(src) != NULL && strlen(src) > 2 && src[1] != ':') {
        *why = g_strdup("not a file (imprint reads images from files and data: URIs)");
        return NULL;
    } else if (g_path_is_absolute(src)) {
        path = g_strdup(src);
    } else {
        const char *base = imp_document_get_base_dir(doc);
        path = base != NULL && strcmp(base, ".") != 0 ? g_build_filename(base, src, NULL)
                                                       : g_strdup(src);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = g_strdup_printf("cannot read %s: %s", path, g_strerror(errno));
        g_free(path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = g_strdup_printf("%s is not a regular file", path);
        g_free(path);
        return NULL;
    }
    char *data = NULL;
    gsize len = 0;
    GError *error = NULL;
    if (!imp_file_load_max(path, MAX_FILE_BYTES, &data, &len, &error)) {
        *why = g_strdup(error->message);
        g_error_free(error);
        g_free(path);
        return NULL;
    }
    g_free(path);
    return g_bytes_new_take(data, len);
}

/* Whether bytes look like an SVG document (possibly gzipped): an XML start, and "<svg"
 * in its first 4 KiB. */
static gboolean looks_svg(const guint8 *d, gsize n)
{
    if (n >= 2 && d[0] == 0x1f && d[1] == 0x8b)
        return TRUE; /* svgz: librsvg says whether it is one */
    gsize i = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        i = 3;
    while (i < n && g_ascii_isspace(d[i]))
        i++;
    if (i >= n || d[i] != '<')
        return FALSE;
    gsize end = MIN(n, (gsize)4096);
    for (gsize k = i; k + 4 <= end; k++)
        if (memcmp(d + k, "<svg", 4) == 0)
            return TRUE;
    return FALSE;
}

/* Reads and checks an image (transfer full), or NULL with *why. The pixels of a raster
 * image are checked against the limit before it is decoded whole. */
static ImpImage *image_load(const ImpDocument *doc, const char *src, char **why)
{
    GBytes *bytes = image_bytes(doc, src, why);
    if (bytes == NULL)
        return NULL;
    gsize n;
    const guint8 *d = g_bytes_get_data(bytes, &n);
    ImpImage *img = g_new0(ImpImage, 1);
    img->data = bytes;
    img->dpi_x = img->dpi_y = 0;
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        img->format = IMP_IMAGE_PNG;
        if (!png_header(img, d, n, why))
            goto fail;
    } else if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        img->format = IMP_IMAGE_JPEG;
        if (!jpeg_read(img, bytes, NULL, TRUE, why))
            goto fail;
    } else if (looks_svg(d, n)) {
        img->format = IMP_IMAGE_SVG;
        GError *error = NULL;
        img->svg = rsvg_handle_new_from_data(d, n, &error);
        if (img->svg == NULL) {
            *why = g_strdup_printf("not a valid SVG image: %s",
                                   error != NULL ? error->message : "unknown error");
            g_clear_error(&error);
            goto fail;
        }
        rsvg_handle_set_dpi(img->svg, DEFAULT_DPI);
        double w = 0, h = 0;
        if (!rsvg_handle_get_intrinsic_size_in_pixels(img->svg, &w, &h)) {
            gboolean has_vb;
            RsvgRectangle vb;
            rsvg_handle_get_intrinsic_dimensions(img->svg, NULL, NULL, NULL, NULL, &has_vb,
                                                 &vb);
            if (has_vb)
                w = vb.width, h = vb.height;
        }
        if (!(w > 0 && h > 0 && w < 1e7 && h < 1e7)) {
            *why = g_strdup("an SVG image without a size (no width and height, no viewBox)");
            goto fail;
        }
        img->width = (int)ceil(w);
        img->height = (int)ceil(h);
        g_bytes_unref(img->data);
        img->data = NULL;
        return img; /* drawn (and so checked) once its box is known */
    } else {
        *why = g_strdup("not a PNG, JPEG or SVG image");
        goto fail;
    }
    double pixels = (double)img->width * img->height;
    if (pixels > MAX_PIXELS) {
        *why = g_strdup_printf("%d × %d pixels, more than the %.0f million imprint sets",
                               img->width, img->height, MAX_PIXELS / 1e6);
        goto fail;
    }
    /* decoded whole once, so that drawing it cannot fail */
    if (img->format == IMP_IMAGE_PNG) {
        cairo_surface_t *s = png_decode(bytes);
        cairo_status_t st = cairo_surface_status(s);
        gboolean same = st == CAIRO_STATUS_SUCCESS &&
                        cairo_image_surface_get_width(s) == img->width &&
                        cairo_image_surface_get_height(s) == img->height;
        cairo_surface_destroy(s);
        if (!same) {
            *why = g_strdup_printf("not a valid PNG image: %s",
                                   st == CAIRO_STATUS_SUCCESS ? "its size changed"
                                   : st == CAIRO_STATUS_READ_ERROR ? "its data is cut short "
                                                                     "or damaged"
                                   : cairo_status_to_string(st));
            goto fail;
        }
    } else if (!jpeg_read(img, bytes, NULL, FALSE, why)) {
        goto fail;
    }
    img->id = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
    return img;
fail:
    imp__image_free(img);
    return NULL;
}

/* The box an image is drawn in: its own size (pixels at its resolution), scaled down to
 * `max_w` x `max_h`. */
static void image_box(ImpImage *img, double max_w, double max_h)
{
    double dx = img->dpi_x >= 10 && img->dpi_x <= 10000 ? img->dpi_x : DEFAULT_DPI;
    double dy = img->dpi_y >= 10 && img->dpi_y <= 10000 ? img->dpi_y : dx;
    if (img->format == IMP_IMAGE_SVG)
        dx = dy = DEFAULT_DPI;
    double w = img->width * 72.0 / dx, h = img->height * 72.0 / dy;
    double s = MIN(1.0, MIN(max_w / w, max_h / h));
    img->box_w = MAX(w * s, 1);
    img->box_h = MAX(h * s, 1);
}

/* Draws an SVG into a recording surface of its box; FALSE with *why when librsvg cannot. */
static gboolean svg_draw(ImpImage *img, char **why)
{
    cairo_rectangle_t extents = { 0, 0, img->box_w, img->box_h };
    img->vector = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
    cairo_t *cr = cairo_create(img->vector);
    RsvgRectangle viewport = { 0, 0, img->box_w, img->box_h };
    GError *error = NULL;
    gboolean ok = rsvg_handle_render_document(img->svg, cr, &viewport, &error);
    if (ok && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        ok = FALSE;
        *why = g_strdup_printf("cannot draw the SVG image: %s",
                               cairo_status_to_string(cairo_status(cr)));
    } else if (!ok) {
        *why = g_strdup_printf("cannot draw the SVG image: %s",
                               error != NULL ? error->message : "unknown error");
    }
    g_clear_error(&error);
    cairo_destroy(cr);
    g_clear_object(&img->svg);
    return ok;
}

/* src as a message quotes it: clipped on a character boundary. */
static char *quote_src(const char *src)
{
    if (src == NULL)
        return g_strdup("");
    if (g_utf8_strlen(src, -1) <= QUOTE_CHARS)
        return g_strdup(src);
    const char *end = g_utf8_offset_to_pointer(src, QUOTE_CHARS);
    return g_strdup_printf("%.*s…", (int)(end - src), src);
}

/* Plans image bi; see blocks.h. plan.aux is 1 + its index in f->images (NULL there when it
 * failed). */
void imp__image_plan(ImpFlow *f, guint bi)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    const char *src = imp_block_get_src(b), *title = imp_block_get_title(b);
    gsize alt_len;
    imp_block_get_text(b, &alt_len);
    char *why = NULL;
    ImpImage *img = image_load(lay->doc, src, &why);
    if (img != NULL) {
        /* the measure, and the text area's height less room for a caption (and for a
           notice on every page) */
        const ImpRoleStyle *cap = imp_style_get_role(lay->style, IMP_ROLE_CAPTION);
        double max_h = lay->text_bottom - lay->text_top;
        if (imp_style_get_document(lay->style)->notice_placement == IMP_NOTICE_EVERY_PAGE)
            max_h *= 0.7;
        if (title != NULL && title[0] != '\0')
            max_h -= cap->space_before + 2 * cap->leading;
        image_box(img, p->width, MAX(max_h, 36));
        if (img->format == IMP_IMAGE_SVG && !svg_draw(img, &why)) {
            imp__image_free(img);
            img = NULL;
        }
    }
    if (img == NULL) {
        char *what = quote_src(src);
        imp_diag_report(lay->diag, IMP_DIAG_WARNING,
                        imp_document_get_meta(lay->doc, IMP_META_SOURCE_FILE),
                        imp_block_get_line(b), "image '%s': %s; %s", what, why,
                        alt_len > 0 ? "its alt text is set in its place"
                                    : "it has no alt text to set in its place");
        g_free(what);
        g_free(why);
    } else {
        g_ptr_array_add(lay->images, img);
    }
    g_ptr_array_add(f->images, img);
    p->aux = f->images->len;
    p->own = imp__own_breaker(lay);
    if (!p->own)
        return;
    if (img == NULL && alt_len > 0)
        imp__flow_job(f, b, (ImpRole)p->role, p->width, -1, NULL, 0);
    if (title != NULL && title[0] != '\0')
        imp__flow_job(f, b, IMP_ROLE_CAPTION, p->width, -1, title, strlen(title));
}

/* Sets text (the block's alt text, or `text` as a caption) in role at the block's frame. */
static guint add_lines(ImpFlow *f, guint bi, ImpRole role, const char *text, double space,
                       gboolean keep_all)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpLinePlace lp = { 0 };
    lp.block = bi;
    lp.b = b;
    lp.x = lay->text_x + p->x;
    lp.leading = rs->leading;
    lp.size = rs->size;
    lp.space_before = space;
    guint first = lay->entries->len, n;
    if (p->own) {
        n = imp__add_para_lines(lay, &lp);
    } else {
        gsize len;
        const char *t = text != NULL ? text : imp_block_get_text(b, &len);
        len = text != NULL ? strlen(text) : len;
        PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style, role, t,
                                     len, imp_block_get_language(b), p->width,
                                     text != NULL ? NULL : b);
        imp__missing_check_layout(&lay->missing, pl, b);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        n = imp__add_pango_lines(lay, pl, &lp);
        g_object_unref(pl);
    }
    if (n > 0)
        imp__keep_lines(imp__entry_at(lay, first), n, keep_all, ds->widows, ds->orphans);
    return n;
}

/* Adds image bi; see blocks.h. */
void imp__image_add(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpImage *img = f->images->pdata[p->aux - 1];
    const ImpRoleStyle *body = imp_style_get_role(lay->style, IMP_ROLE_BODY);
    const ImpRoleStyle *cap = imp_style_get_role(lay->style, IMP_ROLE_CAPTION);
    const char *title = imp_block_get_title(b);
    gboolean caption = title != NULL && title[0] != '\0';
    gsize alt_len;
    imp_block_get_text(b, &alt_len);
    space = MAX(space, body->space_after);
    guint n = 0;
    if (img != NULL) {
        ImpEntry *e = imp__entry_new(lay, img->box_h, space);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_IMAGE;
        item.block = bi;
        item.x = lay->text_x + p->x;
        item.y = 0;
        item.width = img->box_w;
        item.thickness = img->box_h;
        item.image = img;
        imp__entry_add(lay, e, &item);
        n = 1;
    } else if (alt_len > 0) {
        n = add_lines(f, bi, (ImpRole)p->role, NULL, space, FALSE);
    }
    if (caption) {
        /* the caption keeps with the image (or its alt text), and its lines together */
        if (n > 0)
            imp__entry_at(lay, lay->entries->len - 1)->keep_with_next = TRUE;
        add_lines(f, bi, IMP_ROLE_CAPTION, title, n > 0 ? cap->space_before : space, TRUE);
        if (lay->entries->len > 0)
            imp__entry_at(lay, lay->entries->len - 1)->keep_with_next = FALSE;
        f->pending_after = MAX(cap->space_after, body->space_after);
    } else {
        f->pending_after = body->space_after;
    }
}
