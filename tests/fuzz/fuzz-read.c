/* fuzz-read.c — libFuzzer target for the text reader (imp_read_text).
 *
 * The first byte chooses the reading rules: none (generic text), the MOFCOM site's (from
 * styles/mofcom.style) or a hand-made set with every rule present; the rest is the input.
 * Checked: a result is a document or an IMP_ERROR_INPUT with a message, never both or
 * neither; every message is valid UTF-8; blocks are UTF-8 without noncharacters (cairo
 * refuses them); and for generic UTF-8 text, characters in = characters out — the blocks
 * hold exactly the input's characters less white space, line ends, control characters and
 * noncharacters (read.h, invariant 1).
 */
#include <string.h>

#include "fuzz.h"
#include "read/read.h"
#include "style/style.h"
#include "util/error.h"

static ImpStyle *mofcom;
static ImpReadRules handmade;

static GRegex *anchored(const char *pattern)
{
    char *full = g_strdup_printf("\\A(?:%s)\\z", pattern);
    GRegex *re = g_regex_new(full, G_REGEX_OPTIMIZE, 0, NULL);
    g_free(full);
    g_assert(re != NULL);
    return re;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    imp_fuzz_fatal_warnings();
    char *styles = g_build_filename(imp_fuzz_datadir(), "styles", NULL);
    const char *dirs[] = { styles, NULL };
    GError *error = NULL;
    mofcom = imp_style_load("mofcom", dirs, NULL, &error);
    if (mofcom == NULL)
        g_error("cannot load the mofcom style: %s", error->message);
    g_free(styles);

    handmade.masthead = anchored("(?<site>[A-Z]{2,})\\s*\\|\\s*(?<extra>.*)");
    handmade.breadcrumb = anchored("Home\\s*>\\s*(?<section>.*)");
    static GRegex *chrome[3];
    chrome[0] = anchored("\\[.*\\]");
    chrome[1] = anchored("(?i)print|share|close");
    handmade.chrome = chrome;
    handmade.notice_start = anchored("(?i)copyright.*");
    handmade.site = "SITE";
    handmade.source = "Source: the fuzzer";
    return 0;
}

/* White space the reader trims (read.h: is_space), line ends, and the control characters
 * and noncharacters it drops: none of these need survive. */
static gboolean droppable(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20 || c == 0x7F ||
           (c >= 0x80 && c <= 0x9F) || c == 0x00A0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 ||
           c == 0xFEFF || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Noncharacters are dropped: none may remain in a block. */
static gboolean has_noncharacter(const char *s, gsize len)
{
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
            return TRUE;
    }
    return FALSE;
}

static void append_kept(GString *out, const char *s, gsize len)
{
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!droppable(c))
            g_string_append_unichar(out, c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] % 3;
    const ImpReadRules *rules = mode == 0 ? NULL
                              : mode == 1 ? imp_style_get_read_rules(mofcom) : &handmade;
    const char *text = (const char *)data + 1;
    gsize len = size - 1;
    /* the reader may look one byte past the end of a NUL-terminated buffer: give it one
       that is exactly len bytes, so ASan sees any read beyond */
    char *copy = g_memdup2(text, len);

    ImpDiag diag = { imp_fuzz_check_message, NULL };
    GError *error = NULL;
    ImpDocument *doc = imp_read_text(copy, len, "fuzz.txt", rules, &diag, &error);
    if ((doc == NULL) == (error == NULL))
        g_error("imp_read_text: a document and an error, or neither");
    if (doc == NULL) {
        if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_INPUT) ||
            !g_utf8_validate(error->message, -1, NULL) ||
            !g_str_has_prefix(error->message, "fuzz.txt"))
            g_error("imp_read_text: bad error: %s", error->message);
        g_error_free(error);
        g_free(copy);
        return 0;
    }

    guint n = imp_document_get_n_blocks(doc);
    GString *got = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        gsize blen;
        const char *b = imp_block_get_text(imp_document_get_block(doc, i), &blen);
        if (b == NULL || !g_utf8_validate(b, (gssize)blen, NULL))
            g_error("block %u: text is not valid UTF-8", i);
        if (has_noncharacter(b, blen))
            g_error("block %u: a noncharacter was kept", i);
        append_kept(got, b, blen);
    }
    /* characters in = characters out, for generic text in UTF-8 (no UTF-16/32 BOM; and
       NUL bytes aside, valid UTF-8: other text is decoded from the encoding detected) */
    gboolean utf8 = !(len >= 2 && ((guchar)text[0] == 0xFF || (guchar)text[0] == 0xFE ||
                                   (text[0] == 0 && text[1] == 0)));
    const char *at = text, *bad;
    while (utf8 && at < text + len && !g_utf8_validate_len(at, (gsize)(text + len - at), &bad)) {
        utf8 = *bad == '\0';
        at = bad + 1;
    }
    if (rules == NULL && utf8) {
        GString *want = g_string_new(NULL);
        for (const char *p = text, *end = text + len; p < end; p++) {
            /* NUL bytes are dropped like any control character */
            const char *stop = memchr(p, '\0', (gsize)(end - p));
            gsize seg = stop ? (gsize)(stop - p) : (gsize)(end - p);
            append_kept(want, p, seg);
            p += seg;
        }
        if (strcmp(want->str, got->str) != 0)
            g_error("characters in != characters out:\n in: %.200s\nout: %.200s", want->str,
                    got->str);
        g_string_free(want, TRUE);
    }
    g_string_free(got, TRUE);
    imp_document_free(doc);
    g_free(copy);
    return 0;
}
