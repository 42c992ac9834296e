/* png.c — a drawn page as a PNG file (PNG specification; zlib RFC 1950; deflate RFC 1951).
 *
 * A page is mostly paper and a few inks. Through libpng (RGB, zlib level 1) the
 * 1,200-pixel-wide preview of the bundled speech took 10 ms to write, more than the rest
 * of a press kit beyond its PDF, and zlib's cost per byte is much the same whatever the
 * bytes. Two things make it cheaper here, and neither can be asked of libpng:
 *  - Rows that repeat the row above (38% of that page: the margins, the space between
 *    lines) are written as deflate copies of it (a block of fixed codes, RFC 1951
 *    §3.2.6), which cost nothing to find; zlib deflates the other rows.
 *  - A page of a few inks has few colours (that page: 447, anti-aliased edges of a grey
 *    and a red ink): when there are at most 256 it is written with a palette, a byte a
 *    pixel instead of three. The caller may let each channel be rounded to 128 or fewer
 *    levels (`round_bits`: an error of at most 1, 2, 4… in 255, at edges mostly) when that
 *    brings the colours to 256; more colours than that (a photograph) are written as RGB,
 *    exactly. Only a kit's web preview allows rounding.
 * The speech's first page at 1200 px (a loop writing it, warm caches): exact, RGB, 10.3 ms
 * and 282 KB; as a kit's preview (rounded by one bit: 249 colours), 5.7 ms and 156 KB.
 *
 * The file: signature, IHDR (8-bit indices or RGB, not interlaced), PLTE for indices,
 * IDAT chunks of at most IDAT_SIZE bytes, IEND. The image data is one zlib stream: header,
 * deflate blocks, the Adler-32 of the rows, each row led by its filter type, None. The
 * checksums are libdeflate's, which uses the processor's vector and carry-less multiply
 * instructions (zlib 1.2.13's Adler-32 took 13 million instructions a page).
 *
 * Invariants:
 *  1. zlib's part ends before each run of copies with a full flush: its output is then
 *     byte-aligned and refers to nothing before that point, so the copies can be put in
 *     between (they refer to the row above, which the reader has, whoever wrote it).
 *  2. A block of copies ends with an empty stored block, which aligns it to a byte
 *     boundary for zlib's next block, as zlib's own flushes do.
 *  3. The bytes depend only on the pixels and `round_bits`; with 0, the pixels read back
 *     are the pixels drawn.
 */
#include "render-private.h"

#include <libdeflate.h>
#include <string.h>
#include <zlib.h>

#define IDAT_SIZE (64 * 1024)
#define MAX_DISTANCE 32768 /* deflate's window: a longer row is deflated whole */

typedef struct {
    cairo_write_func_t write;
    void *closure;
    gboolean failed;
    unsigned char *idat; /* IDAT_SIZE bytes waiting to go out as a chunk (the writer's) */
    gsize n_idat;
    guint32 bits;        /* the copy block's bits not yet whole bytes, first bit lowest */
    int n_bits;
} Out;

static void put(Out *out, const void *data, gsize len)
{
    if (!out->failed && out->write(out->closure, data, (unsigned int)len) != CAIRO_STATUS_SUCCESS)
        out->failed = TRUE;
}

static void put_be32(unsigned char *p, guint32 v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A chunk: length, type, data and the CRC of type and data. */
static void put_chunk(Out *out, const char *type, const unsigned char *data, gsize len)
{
    unsigned char head[8], crc[4];
    put_be32(head, (guint32)len);
    memcpy(head + 4, type, 4);
    guint32 c = libdeflate_crc32(0, head + 4, 4);
    if (len > 0)
        c = libdeflate_crc32(c, data, len);
    put_be32(crc, c);
    put(out, head, 8);
    if (len > 0)
        put(out, data, len);
    put(out, crc, 4);
}

/* Bytes of the zlib stream, into IDAT chunks. */
static void put_idat(Out *out, const unsigned char *data, gsize len)
{
    while (len > 0) {
        gsize n = MIN(len, IDAT_SIZE - out->n_idat);
        memcpy(out->idat + out->n_idat, data, n);
        out->n_idat += n;
        data += n;
        len -= n;
        if (out->n_idat == IDAT_SIZE) {
            put_chunk(out, "IDAT", out->idat, out->n_idat);
            out->n_idat = 0;
        }
    }
}

/* ---- copies of the row above ---- */

/* n bits of value, first bit lowest (deflate's order for everything but Huffman codes). */
static void put_bits(Out *out, guint32 value, int n)
{
    out->bits |= value << out->n_bits;
    out->n_bits += n;
    while (out->n_bits >= 8) {
        unsigned char b = (unsigned char)out->bits;
        put_idat(out, &b, 1);
        out->bits >>= 8;
        out->n_bits -= 8;
    }
}

/* A Huffman code of n bits, its first bit highest. */
static void put_code(Out *out, guint32 code, int n)
{
    guint32 reversed = 0;
    for (int i = 0; i < n; i++)
        reversed |= ((code >> i) & 1u) << (n - 1 - i);
    put_bits(out, reversed, n);
}

/* RFC 1951 §3.2.5: lengths 3..258 as codes 257..285, distances 1..32768 as codes 0..29,
 * each a base and extra bits. */
static const guint16 length_base[29] = { 3,  4,  5,  6,  7,  8,  9,  10, 11,  13,
                                         15, 17, 19, 23, 27, 31, 35, 43, 51,  59,
                                         67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const guint8 length_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const guint16 distance_base[30] = { 1,    2,    3,    4,    5,    7,     9,    13,
                                           17,   25,   33,   49,   65,   97,    129,  193,
                                           257,  385,  513,  769,  1025, 1537,  2049, 3073,
                                           4097, 6145, 8193, 12289, 16385, 24577 };
static const guint8 distance_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                           6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* One copy: `length` (3..258) bytes from `distance` back, in the fixed codes. */
static void put_copy(Out *out, guint length, guint distance)
{
    int l = 28, d = 29;
    while (length_base[l] > length)
        l--;
    while (distance_base[d] > distance)
        d--;
    guint symbol = 257 + (guint)l; /* fixed codes: 256..279 in 7 bits, 280..287 in 8 */
    if (symbol < 280)
        put_code(out, symbol - 256, 7);
    else
        put_code(out, 0xc0 + (symbol - 280), 8);
    put_bits(out, length - length_base[l], length_extra[l]);
    put_code(out, (guint32)d, 5);
    put_bits(out, distance - distance_base[d], distance_extra[d]);
}

/* n_rows rows, each a copy of the one above (row_len bytes, filter byte included): one
 * block of fixed codes, then an empty stored block to end on a byte boundary. */
static void put_repeats(Out *out, gsize row_len, guint n_rows)
{
    put_bits(out, 0, 1); /* not the last block */
    put_bits(out, 1, 2); /* fixed codes */
    guint64 left = (guint64)row_len * n_rows;
    while (left > 0) {
        guint length = left > 258 ? 258 : (guint)left;
        if (left > 258 && left - 258 < 3) /* every copy is at least 3 bytes */
            length = (guint)(left - 3);
        put_copy(out, length, (guint)row_len);
        left -= length;
    }
    put_code(out, 0, 7);  /* end of block (256) */
    put_bits(out, 0, 3);  /* an empty stored block: not the last, type 0 ... */
    if (out->n_bits > 0)  /* ... its length on a byte boundary */
        put_bits(out, 0, 8 - out->n_bits);
    static const unsigned char empty[4] = { 0x00, 0x00, 0xff, 0xff };
    put_idat(out, empty, 4);
}

/* ---- the rows zlib deflates ---- */

/* Passes `len` bytes through deflate with `flush`, the output to the IDAT chunks. */
static gboolean deflate_some(z_stream *zs, Out *out, const unsigned char *data, gsize len,
                             int flush)
{
    unsigned char buf[16384];
    zs->next_in = (Bytef *)data;
    zs->avail_in = (uInt)len;
    do {
        zs->next_out = buf;
        zs->avail_out = sizeof buf;
        int rc = deflate(zs, flush);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return FALSE;
        put_idat(out, buf, sizeof buf - zs->avail_out);
    } while (zs->avail_out == 0);
    return TRUE;
}

/* A row of CAIRO_FORMAT_RGB24 pixels (0xXXRRGGBB in native order) as R, G, B bytes: four
 * pixels as three big-endian words, the rest one by one. */
static void to_rgb(unsigned char *out, const guint32 *px, int w)
{
    int x = 0;
    for (; x + 4 <= w; x += 4, px += 4, out += 12) {
        guint32 word[3] = { GUINT32_TO_BE((px[0] << 8) | ((px[1] >> 16) & 0xff)),
                            GUINT32_TO_BE((px[1] << 16) | ((px[2] >> 8) & 0xffff)),
                            GUINT32_TO_BE((px[2] << 24) | (px[3] & 0xffffff)) };
        memcpy(out, word, 12);
    }
    for (; x < w; x++, px++, out += 3) {
        out[0] = (unsigned char)(*px >> 16);
        out[1] = (unsigned char)(*px >> 8);
        out[2] = (unsigned char)*px;
    }
}

/* ---- the palette ---- */

#define MAX_EXACT 4096   /* more colours than this: a picture, written as RGB */
#define MAX_INDEXED (16 * 1024 * 1024) /* pixels: a larger image is RGB (its ids would take
                                          32 MB and more, half the size of its pixels) */
#define SET_SIZE 8192    /* open addressing, a power of two, twice MAX_EXACT */

/* The page's colours: each gets an id (0, 1, … in the order met) as the rows are read, and
 * once all are known its index in the palette (final[id]). */
typedef struct {
    guint32 key[SET_SIZE];       /* colour + 1; 0: empty */
    guint16 id[SET_SIZE];
    guint32 colour[MAX_EXACT];   /* 0xRRGGBB of each id */
    guint n;
    guint8 final[MAX_EXACT];
    guint32 rgb[256];            /* the palette */
    guint n_rgb;
} Palette;

/* The id of `colour`, new if need be; -1 when there would be more than MAX_EXACT. */
static int id_of(Palette *p, guint32 colour)
{
    guint i = (colour * 2654435761u) >> 19; /* 13 bits: SET_SIZE */
    while (p->key[i] != 0 && p->key[i] != colour + 1)
        i = (i + 1) & (SET_SIZE - 1);
    if (p->key[i] == 0) {
        if (p->n == MAX_EXACT)
            return -1;
        p->key[i] = colour + 1;
        p->colour[p->n] = colour;
        p->id[i] = (guint16)p->n++;
    }
    return p->id[i];
}

/* A row's colours as ids, into `ids`; FALSE once there are more than MAX_EXACT. */
static gboolean to_ids(Palette *p, const guint32 *px, int w, guint16 *ids)
{
    guint32 last = 0xffffffff;
    int last_id = 0;
    for (int x = 0; x < w; x++) {
        guint32 c = px[x] & 0xffffff;
        if (c != last) {
            last = c;
            if ((last_id = id_of(p, c)) < 0)
                return FALSE;
        }
        ids[x] = (guint16)last_id;
    }
    return TRUE;
}

/* A colour with each channel rounded to 2^(8 - bits) levels from 0 to 255 (both kept). */
static guint32 rounded(guint32 c, guint bits)
{
    if (bits == 0)
        return c;
    guint levels = (256u >> bits) - 1, out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        guint v = (c >> shift) & 0xff;
        guint q = (v * levels + 127) / 255;
        out |= ((q * 255 + levels / 2) / levels) << shift;
    }
    return out;
}

static int compare_u32(const void *a, const void *b)
{
    guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
    return x < y ? -1 : x > y;
}

/* The palette of the colours met, each channel rounded by the fewest bits (at most
 * `max_bits`) that leave at most 256 colours, in ascending order of colour, and each id's
 * index in it; FALSE when no rounding allowed does. */
static gboolean choose(Palette *p, guint max_bits)
{
    guint32 *set = g_new(guint32, MAX(p->n, 1u));
    gboolean found = FALSE;
    for (guint bits = 0; bits <= max_bits && !found; bits++) {
        for (guint i = 0; i < p->n; i++)
            set[i] = rounded(p->colour[i], bits);
        qsort(set, p->n, sizeof *set, compare_u32);
        guint u = 0;
        for (guint i = 0; i < p->n; i++)
            if (u == 0 || set[u - 1] != set[i])
                set[u++] = set[i];
        if (u > 256)
            continue;
        found = TRUE;
        memcpy(p->rgb, set, u * sizeof *set);
        p->n_rgb = u;
        for (guint i = 0; i < p->n; i++) {
            guint32 r = rounded(p->colour[i], bits);
            const guint32 *at = bsearch(&r, p->rgb, u, sizeof r, compare_u32);
            p->final[i] = (guint8)(at - p->rgb);
        }
    }
    g_free(set);
    return found;
}

/* ---- the writer ---- */

struct ImpPngWriter_ {
    z_stream zs;             /* raw deflate, level 1; reset for each image */
    gboolean zs_ready;
    Palette palette;
    unsigned char idat[IDAT_SIZE];
    unsigned char *row;      /* a row as written, filter byte first */
    gsize row_size;
    guint *repeats;          /* per row: the rows from it on that repeat the one above */
    gsize repeats_size;
    guint16 *ids;            /* the colour ids of the rows that do not repeat */
    gsize ids_size;
};

ImpPngWriter *imp__png_writer_new(void)
{
    return g_new0(ImpPngWriter, 1);
}

void imp__png_writer_free(ImpPngWriter *writer)
{
    if (writer == NULL)
        return;
    if (writer->zs_ready)
        deflateEnd(&writer->zs);
    g_free(writer->row);
    g_free(writer->repeats);
    g_free(writer->ids);
    g_free(writer);
}

/* ---- the file ---- */

/* Whether row y repeats the row above: all of each pixel, the unused byte too (a
 * difference there only costs a row deflated). */
static gboolean repeats_above(const unsigned char *pixels, int stride, int w, int y)
{
    const unsigned char *line = pixels + (gsize)y * (gsize)stride;
    return y > 0 && memcmp(line, line - stride, 4 * (gsize)w) == 0;
}

/* The image as a PNG, through `write`; see render-private.h. */
cairo_status_t imp__png_write(cairo_surface_t *image, guint round_bits, ImpPngWriter *writer,
                              cairo_write_func_t write, void *closure)
{
    cairo_surface_flush(image);
    int w = cairo_image_surface_get_width(image), h = cairo_image_surface_get_height(image);
    int stride = cairo_image_surface_get_stride(image);
    const unsigned char *pixels = cairo_image_surface_get_data(image);
    g_return_val_if_fail(cairo_image_surface_get_format(image) == CAIRO_FORMAT_RGB24,
                         CAIRO_STATUS_INVALID_FORMAT);
    if (pixels == NULL || w <= 0 || h <= 0)
        return CAIRO_STATUS_NULL_POINTER;
    ImpPngWriter *own = writer == NULL ? imp__png_writer_new() : NULL;
    if (own != NULL)
        writer = own;

    /* one pass over the rows, each read once while in the cache: the runs of rows that
       repeat the one above (repeats[y]: the run that starts at y), and the colours of the
       others as ids (ids[k * w + x]: row k of those), for a palette if they are few */
    imp__buffer_ensure((gpointer *)&writer->repeats, &writer->repeats_size,
                       (gsize)h * sizeof(guint));
    guint *repeats = writer->repeats;
    memset(repeats, 0, (gsize)h * sizeof *repeats);
    Palette *palette = &writer->palette;
    memset(palette->key, 0, sizeof palette->key);
    palette->n = palette->n_rgb = 0;
    gboolean indexed = (gsize)w * (gsize)h <= MAX_INDEXED;
    if (indexed)
        imp__buffer_ensure((gpointer *)&writer->ids, &writer->ids_size,
                           (gsize)w * (gsize)h * sizeof(guint16));
    guint16 *ids = writer->ids;
    gsize n_new = 0;
    for (int y = 0, run = -1; y < h; y++) {
        if (repeats_above(pixels, stride, w, y)) {
            if (run < 0)
                run = y;
            repeats[run]++;
            continue;
        }
        run = -1;
        if (indexed)
            indexed = to_ids(palette, (const guint32 *)(const void *)(pixels + (gsize)y * stride),
                             w, ids + n_new * (gsize)w);
        n_new++;
    }
    if (indexed)
        indexed = choose(palette, round_bits);

    gsize row_len = 1 + (indexed ? 1 : 3) * (gsize)w;
    gboolean copies = row_len >= 3 && row_len <= MAX_DISTANCE; /* a copy is 3 bytes or more */
    Out out = { write, closure, FALSE, writer->idat, 0, 0, 0 };
    /* raw deflate: the zlib header and checksum are written here, around the copies */
    z_stream *zs = &writer->zs;
    gboolean ok = writer->zs_ready ? deflateReset(zs) == Z_OK
                                   : deflateInit2(zs, 1, Z_DEFLATED, -15, 8,
                                                  Z_DEFAULT_STRATEGY) == Z_OK;
    writer->zs_ready = writer->zs_ready || ok;
    if (!ok) {
        imp__png_writer_free(own);
        return CAIRO_STATUS_NO_MEMORY;
    }
    static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    unsigned char ihdr[13];
    put_be32(ihdr, (guint32)w);
    put_be32(ihdr + 4, (guint32)h);
    ihdr[8] = 8;                  /* bits per sample (an index: 8 bits) */
    ihdr[9] = indexed ? 3 : 2;    /* indexed colour, or RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive filters, not interlaced */
    put(&out, signature, 8);
    put_chunk(&out, "IHDR", ihdr, sizeof ihdr);
    if (indexed) {
        unsigned char plte[3 * 256];
        for (guint i = 0; i < palette->n_rgb; i++) {
            plte[3 * i] = (unsigned char)(palette->rgb[i] >> 16);
            plte[3 * i + 1] = (unsigned char)(palette->rgb[i] >> 8);
            plte[3 * i + 2] = (unsigned char)palette->rgb[i];
        }
        put_chunk(&out, "PLTE", plte, 3 * (gsize)palette->n_rgb);
    }
    static const unsigned char zlib_header[2] = { 0x78, 0x01 }; /* 32 KB window, fastest */
    put_idat(&out, zlib_header, 2);

    imp__buffer_ensure((gpointer *)&writer->row, &writer->row_size, row_len);
    unsigned char *row = writer->row;
    row[0] = 0; /* filter type None */
    guint32 adler = 1; /* of the rows so far; `row` holds the last row written */
    gboolean flushed = TRUE;
    const guint16 *next_ids = ids; /* the next row's, of the rows that do not repeat */
    for (int y = 0; y < h && ok;) {
        guint n = repeats[y];
        if (n > 0 && copies) {
            if (!flushed)
                ok = deflate_some(zs, &out, NULL, 0, Z_FULL_FLUSH);
            flushed = TRUE;
            put_repeats(&out, row_len, n);
        }
        for (guint k = 0; k < n && ok; k++) { /* `row` holds the row they repeat */
            adler = libdeflate_adler32(adler, row, row_len);
            if (!copies) /* rows too short or too long to copy: deflated again */
                ok = deflate_some(zs, &out, row, row_len, Z_NO_FLUSH);
        }
        if (n > 0) {
            y += (int)n;
            continue;
        }
        const guint32 *px = (const guint32 *)(const void *)(pixels + (gsize)y * (gsize)stride);
        if (indexed) {
            for (int x = 0; x < w; x++)
                row[1 + x] = palette->final[next_ids[x]];
            next_ids += w;
        } else {
            to_rgb(row + 1, px, w);
        }
        adler = libdeflate_adler32(adler, row, row_len);
        ok = deflate_some(zs, &out, row, row_len, Z_NO_FLUSH);
        flushed = FALSE;
        y++;
    }
    if (ok)
        ok = deflate_some(zs, &out, NULL, 0, Z_FINISH); /* the last block */
    unsigned char trailer[4];
    put_be32(trailer, adler);
    put_idat(&out, trailer, 4);
    if (out.n_idat > 0)
        put_chunk(&out, "IDAT", out.idat, out.n_idat);
    put_chunk(&out, "IEND", NULL, 0);
    imp__png_writer_free(own);
    if (!ok)
        return CAIRO_STATUS_NO_MEMORY;
    return out.failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}
