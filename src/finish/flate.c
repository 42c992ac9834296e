/* flate.c — the streams the finish stage adds, compressed by the stage itself.
 *
 * qpdf compresses every unfiltered stream it writes with a new zlib compressor, whose
 * set-up costs more than compressing a small stream: on a 1,000-page PDF/UA file the
 * furniture forms marked as artifacts (one or two a page) made half a billion
 * instructions of it. So the stage tells qpdf to compress nothing and gives each stream it
 * adds or changes (the output intent's profile, embedded files, marked furniture) its
 * data already compressed, through two compressors reset between streams (one with a small
 * hash table for small streams, whose reset then clears 512 bytes rather than 64 KiB), at
 * zlib's fastest level (text compresses nearly as well; these streams are a small part of
 * the file). The XMP packet stays uncompressed, as a metadata stream should.
 *
 * Invariant: the compressed bytes depend only on the data (zlib is deterministic for a
 * given level, window and memory setting, which are fixed here).
 */
#include <string.h>

#include "finish-private.h"

/* Sets up the compressor; see finish-private.h. */
void imp__flate_init(ImpFlate *f)
{
    memset(f, 0, sizeof *f);
}

void imp__flate_clear(ImpFlate *f)
{
    for (int k = 0; k < 2; k++)
        if (f->ready[k])
            deflateEnd(&f->z[k]);
    f->ready[0] = f->ready[1] = FALSE;
    g_free(f->out);
    f->out = NULL;
    f->out_size = 0;
}

/* Streams up to this size go through the compressor with the small hash table. */
#define SMALL (64 << 10)

/* Compresses data into f->out; returns its length, or 0 on a zlib failure. */
static gsize compress_data(ImpFlate *f, const guchar *data, gsize len)
{
    int k = len <= SMALL ? 0 : 1;
    z_stream *z = &f->z[k];
    if (!f->ready[k]) {
        if (deflateInit2(z, Z_BEST_SPEED, Z_DEFLATED, 15, k == 0 ? 1 : 8, Z_DEFAULT_STRATEGY) !=
            Z_OK)
            return 0;
        f->ready[k] = TRUE;
    } else if (deflateReset(z) != Z_OK) {
        return 0;
    }
    gsize bound = deflateBound(z, len);
    if (bound > f->out_size) {
        g_free(f->out);
        f->out = g_malloc(bound);
        f->out_size = bound;
    }
    /* zlib counts in uInt: feed a large input in pieces */
    z->next_out = f->out;
    z->avail_out = (uInt)MIN(bound, G_MAXUINT);
    gsize done = 0;
    int status = Z_OK;
    do {
        gsize piece = MIN(len - done, (gsize)1 << 30);
        z->next_in = (Bytef *)data + done;
        z->avail_in = (uInt)piece;
        done += piece;
        status = deflate(z, done == len ? Z_FINISH : Z_NO_FLUSH);
    } while (status == Z_OK && done < len);
    return status == Z_STREAM_END ? (gsize)z->total_out : 0;
}

/* Gives a stream its data, compressed; see finish-private.h. */
void imp__flate_set_stream(ImpFlate *f, qpdf_data q, qpdf_oh stream, const guchar *data,
                           gsize len)
{
    gsize n = compress_data(f, data, len);
    qpdf_oh filter = n > 0 ? qpdf_oh_new_name(q, "/FlateDecode") : qpdf_oh_new_null(q);
    qpdf_oh parms = qpdf_oh_new_null(q);
    if (n > 0)
        qpdf_oh_replace_stream_data(q, stream, f->out, n, filter, parms);
    else /* zlib failed (out of memory): the data as it is */
        qpdf_oh_replace_stream_data(q, stream, data, len, filter, parms);
    qpdf_oh_release(q, filter);
    qpdf_oh_release(q, parms);
}
