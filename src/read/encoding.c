/* encoding.c — an input's bytes to UTF-8: byte-order marks, --encoding, detection of
 * legacy encodings, binary data, and the messages for what does not decode (encoding.h).
 *
 * The order of the evidence, strongest first: a byte-order mark; the encoding the user
 * names (or an HTML page declares); valid UTF-8; uchardet's detection among the legacy
 * encodings people still meet in saved pages and old text files — GB18030 (which covers
 * GB2312 and GBK), Big5, Shift_JIS, EUC-JP, EUC-KR and windows-1252.
 *
 * Design notes:
 *  1. Nothing is replaced: iconv (through g_convert) fails at the first byte that does not
 *     decode, and the input is refused with that byte's line and offset. A reader never
 *     sees U+FFFD that the input did not hold.
 *  2. Web and Windows usage decides the decoder of a label, as browsers do (WHATWG's
 *     Encoding standard): gb2312 and GBK pages hold GBK characters, Big5 pages HKSCS ones,
 *     Shift_JIS files Windows-31J ones (in which 0x5C is a backslash, not a yen sign),
 *     EUC-KR files UHC ones, and ISO-8859-1 pages windows-1252 ones. Each superset decodes
 *     every character of its subset to the same code point.
 *  3. Detection must be confident, because a wrong guess turns a text into nonsense
 *     without a word. Input that is mostly valid UTF-8 (as many multi-byte sequences as
 *     bad bytes, or only a character cut off at the end) is broken UTF-8, not another
 *     encoding. windows-1252 is accepted only when its non-ASCII bytes sit against ASCII
 *     letters or digits (é in "café", quotes around a word) at least twice as often as
 *     alone: a stray byte between spaces is damage, not an accent; and when at least a
 *     third of the runs of non-ASCII bytes have an odd length: the two-byte characters of
 *     a Chinese, Japanese or Korean encoding make even runs, accents mostly single bytes.
 *     A multi-byte encoding is accepted when uchardet names it and the whole input
 *     decodes in it.
 *  4. Line numbers in messages count LF, CRLF and lone CR in the raw bytes. In every
 *     encoding read here except UTF-16 and UTF-32 (whose messages give the offset alone),
 *     the bytes 0x0A and 0x0D are only ever line ends, never part of a character.
 */
#include "encoding.h"

#include <string.h>
#include <uchardet/uchardet.h>

#include "../util/error.h"

/* Bytes looked at to tell binary data from text. */
#define BINARY_SAMPLE 8192
/* Bytes given to uchardet: enough for any statistics, bounded for a 16 MiB input. */
#define DETECT_SAMPLE ((gsize)4 << 20)

/* ------------------------------------------------------------------------------------
 * Bytes
 * ------------------------------------------------------------------------------------ */

static gboolean has_prefix(const char *data, gsize len, const char *magic, gsize n)
{
    return len >= n && memcmp(data, magic, n) == 0;
}

/* Line number (1-based) of byte `offset`: LF, CRLF and lone CR each end a line. */
static guint line_of_offset(const char *t, gsize offset)
{
    guint line = 1;
    for (gsize i = 0; i < offset; i++) {
        if (t[i] == '\n' || (t[i] == '\r' && (i + 1 >= offset || t[i + 1] != '\n')))
            line++;
    }
    return line;
}

/* Well-known signatures of binary formats someone might hand a text typesetter. */
static gboolean has_binary_magic(const char *data, gsize len)
{
    static const struct { const char *magic; gsize n; } sigs[] = {
        { "\x89PNG\r\n\x1a\n", 8 }, { "GIF87a", 6 }, { "GIF89a", 6 }, { "\xff\xd8\xff", 3 },
        { "%PDF-", 5 }, { "PK\x03\x04", 4 }, { "\x7f" "ELF", 4 }, { "\x1f\x8b", 2 },
        { "\xfd" "7zXZ", 5 }, { "7z\xbc\xaf\x27\x1c", 6 }, { "\x28\xb5\x2f\xfd", 4 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
        if (has_prefix(data, len, sigs[i].magic, sigs[i].n))
            return TRUE;
    return FALSE;
}

/* Finds the first byte of t[0..n) that is not valid UTF-8, NUL bytes allowed (a reader
 * drops and reports them). Returns FALSE and sets *bad when there is one. */
static gboolean find_invalid_utf8(const char *t, gsize n, gsize *bad)
{
    const char *p = t, *end = t + n;
    while (p < end) {
        const char *stop;
        if (g_utf8_validate_len(p, (gsize)(end - p), &stop))
            return TRUE;
        if (*stop != '\0') {
            *bad = (gsize)(stop - t);
            return FALSE;
        }
        p = stop + 1;
    }
    return TRUE;
}

/* Whether undecodable input is binary data: NUL bytes in its first bytes together with
 * other signs (invalid UTF-8 there, or many control bytes). Sets *utf16 when the NUL
 * bytes sit at alternate positions, as in UTF-16 without a byte-order mark. */
static gboolean looks_binary(const char *t, gsize n, gsize first_invalid, gboolean *utf16)
{
    gsize sample = MIN(n, BINARY_SAMPLE), nuls = 0, ctrls = 0, nul_even = 0;
    for (gsize i = 0; i < sample; i++) {
        guchar c = (guchar)t[i];
        if (c == 0) {
            nuls++;
            nul_even += (i % 2 == 0);
        } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
            ctrls++;
        }
    }
    *utf16 = nuls >= 4 && nuls * 4 >= sample &&
             (nul_even * 10 >= nuls * 9 || nul_even * 10 <= nuls);
    if (nuls == 0)
        return FALSE;
    return first_invalid < sample || (nuls + ctrls >= 8 && (nuls + ctrls) * 8 > sample);
}

gboolean imp__encoding_is_binary(const char *data, gsize len, gboolean *utf16)
{
    g_return_val_if_fail(data != NULL || len == 0, FALSE);
    gboolean u16 = FALSE;
    gsize bad = G_MAXSIZE;
    find_invalid_utf8(data, MIN(len, BINARY_SAMPLE), &bad);
    gboolean binary = has_binary_magic(data, len) || looks_binary(data, len, bad, &u16);
    if (utf16 != NULL)
        *utf16 = u16;
    return binary;
}

/* ------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------ */

/* Labels read with a superset (design note 2), and how messages name each decoder. */
static const struct {
    const char *label;    /* lower case, '-' for '_' */
    const char *decoder;  /* the iconv name */
} supersets[] = {
    { "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "cp936", "GB18030" },
    { "x-gbk", "GB18030" }, { "euc-cn", "GB18030" }, { "csgb2312", "GB18030" },
    { "chinese", "GB18030" }, { "iso-ir-58", "GB18030" }, { "gb18030", "GB18030" },
    { "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
    { "x-x-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" }, { "cp950", "BIG5-HKSCS" },
    { "shift-jis", "CP932" }, { "sjis", "CP932" },
    { "x-sjis", "CP932" }, { "ms-kanji", "CP932" }, { "ms932", "CP932" },
    { "windows-31j", "CP932" }, { "csshiftjis", "CP932" }, { "cp932", "CP932" },
    { "euc-jp", "EUC-JP" }, { "x-euc-jp", "EUC-JP" }, { "cseucpkdfmtjapanese", "EUC-JP" },
    { "euc-kr", "CP949" }, { "cseuckr", "CP949" }, { "ks-c-5601-1987", "CP949" },
    { "korean", "CP949" }, { "windows-949", "CP949" }, { "uhc", "CP949" },
    { "cp949", "CP949" },
    { "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
    { "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" }, { "us-ascii", "WINDOWS-1252" },
    { "ascii", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
    { "windows-1252", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
    { "utf8", "UTF-8" }, { "utf-8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" },
};

const char *imp__encoding_decoder(const char *label)
{
    g_return_val_if_fail(label != NULL, NULL);
    char key[32];
    gsize n = strlen(label);
    if (n >= sizeof key)
        return label;
    for (gsize i = 0; i <= n; i++)
        key[i] = label[i] == '_' ? '-' : g_ascii_tolower(label[i]);
    for (gsize i = 0; i < G_N_ELEMENTS(supersets); i++)
        if (strcmp(key, supersets[i].label) == 0)
            return supersets[i].decoder;
    return label;
}

/* The name messages give a decoder. */
static const char *display_name(const char *decoder)
{
    static const struct { const char *decoder, *name; } names[] = {
        { "GB18030", "GB18030" }, { "BIG5-HKSCS", "Big5" }, { "CP932", "Shift_JIS" },
        { "EUC-JP", "EUC-JP" }, { "CP949", "EUC-KR" }, { "WINDOWS-1252", "windows-1252" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(decoder, names[i].decoder) == 0)
            return names[i].name;
    return decoder;
}

/* ------------------------------------------------------------------------------------
 * Detection
 * ------------------------------------------------------------------------------------ */

/* Whether bytes that are not valid UTF-8 are UTF-8 all the same, damaged: as many valid
 * multi-byte sequences as bad spots, or only a character cut off at the very end. */
static gboolean broken_utf8(const char *t, gsize n)
{
    const char *p = t, *end = t + n;
    gsize multi = 0, bad = 0;
    gboolean cut_at_end = FALSE;
    while (p < end) {
        const char *stop;
        gboolean ok = g_utf8_validate_len(p, (gsize)(end - p), &stop);
        for (const char *q = p; q < stop; q++)
            multi += (guchar)*q >= 0xC0;
        if (ok)
            break;
        if (*stop == '\0') {
            p = stop + 1;
            continue;
        }
        /* a lead byte whose continuation bytes run to the end: a cut-off character */
        gsize rest = (gsize)(end - stop);
        gsize need = (guchar)*stop >= 0xF0 ? 4 : (guchar)*stop >= 0xE0 ? 3 : 2;
        gboolean prefix = (guchar)*stop >= 0xC2 && (guchar)*stop <= 0xF4 && rest < need;
        for (gsize k = 1; prefix && k < rest; k++)
            prefix = ((guchar)stop[k] & 0xC0) == 0x80;
        if (prefix) {
            cut_at_end = TRUE;
            break;
        }
        bad++;
        p = stop + 1;
    }
    return bad == 0 ? cut_at_end : multi >= bad;
}

/* Whether the non-ASCII bytes of a text read as windows-1252 sit against ASCII letters or
 * digits, as accented letters and typographic quotes do (design note 3). */
static gboolean latin_plausible(const char *t, gsize n)
{
    const guchar *s = (const guchar *)t;
    gsize against = 0, evidence = 0, runs = 0, odd = 0;
    for (gsize i = 0; i < n; i++) {
        if (s[i] < 0x80)
            continue;
        gsize j = i;
        while (j < n && s[j] >= 0x80)
            j++;
        runs++;
        odd += (j - i) % 2;
        gboolean joined = (i > 0 && g_ascii_isalnum(s[i - 1])) ||
                          (j < n && g_ascii_isalnum(s[j]));
        if (joined)
            evidence++;
        else
            against++;
        i = j;
    }
    return evidence > 0 && evidence >= 2 * against && odd * 3 >= runs;
}

/* Whether uchardet's answer is a single-byte Latin encoding. */
static gboolean latin_charset(const char *cs)
{
    static const char *const latin[] = {
        "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-9", "ISO-8859-10",
        "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "ISO-8859-16", "WINDOWS-1250",
        "WINDOWS-1252", "WINDOWS-1254", "WINDOWS-1257", "WINDOWS-1258", "MAC-CENTRALEUROPE",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(latin); i++)
        if (g_ascii_strcasecmp(cs, latin[i]) == 0)
            return TRUE;
    return FALSE;
}

const char *imp__encoding_detect(const char *data, gsize len, const char **guess)
{
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    if (guess != NULL)
        *guess = NULL;
    if (len == 0 || broken_utf8(data, len))
        return NULL;
    uchardet_t ud = uchardet_new();
    if (ud == NULL)
        return NULL;
    gsize sample = MIN(len, DETECT_SAMPLE);
    const char *decoder = NULL, *named = NULL;
    if (uchardet_handle_data(ud, data, sample) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        static const struct { const char *uchardet, *decoder; } accepted[] = {
            { "GB18030", "GB18030" }, { "GB2312", "GB18030" }, { "GBK", "GB18030" },
            { "BIG5", "BIG5-HKSCS" }, { "BIG5-HKSCS", "BIG5-HKSCS" },
            { "SHIFT_JIS", "CP932" }, { "EUC-JP", "EUC-JP" },
            { "EUC-KR", "CP949" }, { "UHC", "CP949" }, { "CP949", "CP949" },
            { "WINDOWS-1252", "WINDOWS-1252" }, { "ISO-8859-1", "WINDOWS-1252" },
            { "ISO-8859-15", "WINDOWS-1252" },
        };
        for (gsize i = 0; cs != NULL && i < G_N_ELEMENTS(accepted); i++)
            if (g_ascii_strcasecmp(cs, accepted[i].uchardet) == 0)
                decoder = accepted[i].decoder;
        gboolean implausible = decoder != NULL && strcmp(decoder, "WINDOWS-1252") == 0 &&
                               !latin_plausible(data, len);
        if (implausible)
            decoder = NULL;
        /* uchardet's other answers are worth naming, but a Latin one only when the text
           reads as Latin (a few stray bytes make uchardet say ISO-8859-9) */
        if (decoder == NULL && !implausible && cs != NULL && *cs != '\0' &&
            g_ascii_strcasecmp(cs, "ASCII") != 0 && g_ascii_strncasecmp(cs, "UTF-", 4) != 0 &&
            (!latin_charset(cs) || latin_plausible(data, len)))
            named = g_intern_string(cs);
    }
    uchardet_delete(ud);
    if (guess != NULL)
        *guess = named;
    return decoder;
}

/* ------------------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------------------ */

/* Converts data[0..len) from `charset` to UTF-8 without replacing anything. Returns the
 * text, or NULL with *bad the offset of the first byte that does not decode (len when the
 * input ends inside a character). */
static char *convert(const char *data, gsize len, const char *charset, gsize *out_len,
                     gsize *bad)
{
    gsize nread = 0, written = 0;
    GError *err = NULL;
    char *u = g_convert(data, (gssize)len, "UTF-8", charset, &nread, &written, &err);
    if (u != NULL && nread < len) { /* a partial character at the end */
        g_free(u);
        u = NULL;
    }
    g_clear_error(&err);
    if (u == NULL) {
        *bad = nread;
        return NULL;
    }
    *out_len = written;
    return u;
}

/* Whether iconv can decode `charset`. */
static gboolean known_charset(const char *charset)
{
    GIConv cd = g_iconv_open("UTF-8", charset);
    if (cd == (GIConv)-1)
        return FALSE;
    g_iconv_close(cd);
    return TRUE;
}

/* Decodes with a byte-order mark: returns TRUE when there is one (and *text or error). */
static gboolean decode_bom(const char *data, gsize len, const char *name, const ImpDiag *diag,
                           const char **text, gsize *out_len, char **owned, GError **error)
{
    static const struct { const char *bom; gsize n; const char *charset; } boms[] = {
        /* UTF-32LE first: its BOM begins with UTF-16LE's. */
        { "\xff\xfe\0\0", 4, "UTF-32LE" }, { "\0\0\xfe\xff", 4, "UTF-32BE" },
        { "\xff\xfe", 2, "UTF-16LE" }, { "\xfe\xff", 2, "UTF-16BE" },
    };
    *text = NULL;
    if (has_prefix(data, len, "\xef\xbb\xbf", 3)) {
        gsize bad;
        if (!find_invalid_utf8(data + 3, len - 3, &bad)) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%u: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT, name,
                        line_of_offset(data, bad + 3), bad + 3);
            return TRUE;
        }
        *out_len = len - 3;
        *text = data + 3;
        return TRUE;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(boms); i++) {
        if (!has_prefix(data, len, boms[i].bom, boms[i].n))
            continue;
        gsize bad;
        char *u = convert(data + boms[i].n, len - boms[i].n, boms[i].charset, out_len, &bad);
        if (u == NULL) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s: invalid %s at byte offset %" G_GSIZE_FORMAT, name,
                        boms[i].charset, bad + boms[i].n);
            return TRUE;
        }
        imp_diag_report(diag, IMP_DIAG_INFO, name, 0, "encoding: %s (byte-order mark)",
                        boms[i].charset);
        *owned = u;
        *text = u;
        return TRUE;
    }
    return FALSE;
}

/* Decodes in the encoding the user named or the input declared (`label`). */
static const char *decode_named(const char *data, gsize len, const char *name,
                                const char *label, ImpEncodingSource source,
                                const ImpDiag *diag, gsize *out_len, char **owned,
                                GError **error)
{
    const char *charset = imp__encoding_decoder(label);
    const char *how = source == IMP_ENCODING_GIVEN ? "--encoding" : "declared";
    gsize bad;
    if (g_ascii_strcasecmp(charset, "UTF-8") == 0) {
        if (find_invalid_utf8(data, len, &bad)) {
            *out_len = len;
            return data;
        }
    } else {
        char *u = convert(data, len, charset, out_len, &bad);
        if (u != NULL) {
            imp_diag_report(diag, IMP_DIAG_INFO, name, 0, "encoding: %s (%s %s)",
                            display_name(charset), how,
                            g_utf8_validate(label, -1, NULL) ? label : "?");
            *owned = u;
            return u;
        }
    }
    if (source == IMP_ENCODING_GIVEN)
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: invalid %s at byte offset %" G_GSIZE_FORMAT
                    " (the encoding --encoding names)", name, line_of_offset(data, bad),
                    display_name(charset), bad);
    else
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: invalid %s at byte offset %" G_GSIZE_FORMAT
                    " (the encoding the input declares); name the right one with --encoding",
                    name, line_of_offset(data, bad), display_name(charset), bad);
    return NULL;
}

const char *imp__decode_input(const char *data, gsize len, const char *name,
                              const char *encoding, ImpEncodingSource source,
                              const ImpDiag *diag, gsize *out_len, char **owned,
                              GError **error)
{
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(out_len != NULL && owned != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    const char *text;
    *owned = NULL;
    *out_len = 0;
    if (name == NULL)
        name = "<input>";
    if (len == 0)
        return data != NULL ? data : "";
    if (decode_bom(data, len, name, diag, &text, out_len, owned, error))
        return text;

    if (encoding != NULL && *encoding != '\0') {
        if (known_charset(imp__encoding_decoder(encoding)))
            return decode_named(data, len, name, encoding, source, diag, out_len, owned,
                                error);
        if (source == IMP_ENCODING_GIVEN) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s: unknown encoding '%s' (`iconv -l` lists the names --encoding "
                        "takes)", name, g_utf8_validate(encoding, -1, NULL) ? encoding : "?");
            return NULL;
        }
        imp_diag_report(diag, IMP_DIAG_WARNING, name, 0,
                        "the input declares an encoding imprint does not know, '%s'; "
                        "its encoding is detected instead",
                        g_utf8_validate(encoding, -1, NULL) ? encoding : "?");
    }

    gsize bad = G_MAXSIZE;
    gboolean valid = find_invalid_utf8(data, len, &bad);
    gboolean utf16 = FALSE;
    if (has_binary_magic(data, len) || looks_binary(data, len, bad, &utf16)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: binary data, not text%s", name,
                    utf16 ? " (UTF-16 without a byte-order mark? convert it to UTF-8)"
                          : "");
        return NULL;
    }
    if (valid) {
        *out_len = len;
        return data;
    }

    const char *guess = NULL;
    const char *decoder = imp__encoding_detect(data, len, &guess);
    guint line = line_of_offset(data, bad);
    if (decoder == NULL) {
        if (guess != NULL)
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%u: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT
                        "; it may be %s: name its encoding with --encoding", name, line, bad,
                        guess);
        else
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%u: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT
                        "; if the text is in another encoding, name it with --encoding",
                        name, line, bad);
        return NULL;
    }
    gsize bad2;
    char *u = convert(data, len, decoder, out_len, &bad2);
    if (u == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT
                    ", and not %s either (line %u, byte offset %" G_GSIZE_FORMAT
                    "); name its encoding with --encoding", name, line, bad,
                    display_name(decoder), line_of_offset(data, bad2), bad2);
        return NULL;
    }
    imp_diag_report(diag, IMP_DIAG_INFO, name, 0, "encoding: %s (detected)",
                    display_name(decoder));
    *owned = u;
    return u;
}
