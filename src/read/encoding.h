/* encoding.h — the readers' one way from an input's bytes to UTF-8 (internal to src/read).
 *
 * Every reader (text, Markdown, HTML) decodes its input here before anything else, so that
 * byte-order marks, --encoding, the detection of legacy Chinese, Japanese, Korean and
 * Western encodings, binary data and the messages for what cannot be decoded are the same
 * for all of them. See encoding.c for the rules.
 */
#ifndef IMP_ENCODING_H
#define IMP_ENCODING_H

#include <glib.h>

#include "../util/diag.h"

G_BEGIN_DECLS

/* Where the encoding passed to imp__decode_input() comes from; it words the messages. */
typedef enum {
    IMP_ENCODING_GIVEN,    /* named by the user (--encoding) */
    IMP_ENCODING_DECLARED  /* declared by the input itself (an HTML page's <meta charset>) */
} ImpEncodingSource;

/* Decodes `len` bytes of input to UTF-8. `name` names the input in messages.
 *
 * A byte-order mark (UTF-8, UTF-16, UTF-32) decides first and is removed. Else `encoding`
 * (an iconv name or an HTML charset label, NULL for none) is used, read through
 * imp__encoding_decoder(). Else the input is UTF-8 when it is valid UTF-8, or else the
 * legacy encoding detected (GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, windows-1252), said
 * through `diag` at IMP_DIAG_INFO. Nothing is replaced: a byte that does not decode fails.
 *
 * Returns the text: `data` itself, `data` past a UTF-8 BOM, or a new buffer also stored in
 * *owned (transfer full: g_free; NULL when the text is inside `data`). The text may hold
 * NUL bytes (a reader drops and reports them). Fails (IMP_ERROR_INPUT) on binary data, on
 * an unknown encoding name, and on bytes that do not decode, with file:line and byte
 * offset, and for UTF-8 that is not valid and whose encoding cannot be told, with the
 * message "FILE:LINE: invalid UTF-8 at byte offset N" and a hint to name the encoding. */
const char *imp__decode_input(const char *data, gsize len, const char *name,
                              const char *encoding, ImpEncodingSource source,
                              const ImpDiag *diag, gsize *out_len, char **owned,
                              GError **error);

/* The iconv name imprint decodes an encoding label with: a superset where the web and
 * Windows use one (gb2312 and GBK as GB18030, Big5 as BIG5-HKSCS, Shift_JIS as CP932,
 * EUC-KR as CP949, ISO-8859-1 and ASCII as WINDOWS-1252, utf8 as UTF-8), else the label
 * itself. Case and "_" against "-" are ignored. (transfer none) */
const char *imp__encoding_decoder(const char *label);

/* The encoding of `len` bytes that are not valid UTF-8, when it can be told with
 * confidence: one of "GB18030", "BIG5-HKSCS", "CP932", "EUC-JP", "CP949", "WINDOWS-1252"
 * (transfer none), else NULL, with uchardet's guess, if it made one, in *guess
 * (transfer none; may be NULL). */
const char *imp__encoding_detect(const char *data, gsize len, const char **guess);

/* Whether the bytes look like binary data (a known signature, or NUL bytes with other
 * signs); *utf16 is set when they look like UTF-16 without a byte-order mark. */
gboolean imp__encoding_is_binary(const char *data, gsize len, gboolean *utf16);

G_END_DECLS

#endif /* IMP_ENCODING_H */
