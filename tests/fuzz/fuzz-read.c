/* fuzz-read.c — libFuzzer target for the readers: plain text (imp_read_text, its site rules
 * and structure signals) and Markdown (through imp_read).
 *
 * The first byte chooses, as md4c's own fuzzer reads its flags from the input: bit 7 the
 * Markdown reader (else the text reader); bit 6 the structure signals off (text); the
 * byte modulo 3 the reading rules: none (generic text), the MOFCOM site's (from
 * styles/mofcom.style) or a hand-made set with every rule present. The rest is the input.
 *
 * Checked, for both readers: a result is a document or an IMP_ERROR_INPUT with a message
 * naming the input, never both or neither; every message is valid UTF-8; every block, table
 * cell, marker and attribute is UTF-8 without NUL, control characters (but '\n' and tab)
 * or noncharacters (cairo refuses them); spans lie inside their text on character
 * boundaries. For generic UTF-8 text, characters in = characters out: the blocks' texts and
 * markers, and the heading underlines reported as dropped, hold exactly the input's
 * characters less white space, line ends, control characters and noncharacters (read.h,
 * invariant 1: the structure signals move a list's marker, they change no character).
 */
#include <string.h>

#include "fuzz.h"
#include "read/read.h"
#include "style/style.h"
#include "util/error.h"

static ImpStyle *mofcom;
static ImpReadRules handmade;
static GString *underlines; /* text of the underlines the last read reported as dropped */

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
    underlines = g_string_new(NULL);
    return 0;
}

/* The diagnostics check, and the underlines the signals dropped (reported whole). */
static void on_message(ImpDiagLevel level, const char *file, guint line, const char *message,
                       gpointer user_data)
{
    imp_fuzz_check_message(level, file, line, message, user_data);
    if (g_str_has_prefix(message, "dropped heading underline: "))
        g_string_append(underlines, message + strlen("dropped heading underline: "));
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

/* Checks a string a block holds: UTF-8, no NUL, no control character but '\n' and tab (in
 * text), no noncharacter. */
static void check_string(const char *what, guint i, const char *s, gssize len, gboolean text)
{
    if (s == NULL)
        return;
    gsize n = len < 0 ? strlen(s) : (gsize)len;
    if (!g_utf8_validate(s, (gssize)n, NULL))
        g_error("block %u: %s is not valid UTF-8", i, what);
    for (const char *p = s, *end = s + n; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
            g_error("block %u: a noncharacter was kept in its %s", i, what);
        if ((c < 0x20 && !(text && (c == '\n' || c == '\t'))) || c == 0x7F ||
            (c >= 0x80 && c <= 0x9F))
            g_error("block %u: control character U+%04X in its %s", i, c, what);
    }
}

static void append_kept(GString *out, const char *s, gsize len)
{
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!droppable(c))
            g_string_append_unichar(out, c);
    }
}

/* Checks one block (or table cell) and appends its kept characters to got. */
static void check_block(const ImpBlock *b, guint i, GString *got)
{
    gsize blen;
    const char *t = imp_block_get_text(b, &blen);
    if (t == NULL)
        g_error("block %u: no text", i);
    check_string("text", i, t, (gssize)blen, TRUE);
    for (guint k = 0; k < imp_block_get_n_spans(b); k++) {
        const ImpSpan *s = imp_block_get_span(b, k);
        if (s->start > s->end || s->end > blen ||
            (s->start < blen && (t[s->start] & 0xC0) == 0x80) ||
            (s->end < blen && (t[s->end] & 0xC0) == 0x80))
            g_error("block %u: span %u [%zu, %zu) is not inside its text on characters", i,
                    k, s->start, s->end);
        check_string("link", i, s->href, -1, FALSE);
    }
    check_string("marker", i, imp_block_get_marker(b), -1, FALSE);
    check_string("src", i, imp_block_get_src(b), -1, FALSE);
    check_string("title", i, imp_block_get_title(b), -1, FALSE);
    check_string("info", i, imp_block_get_info(b), -1, FALSE);
    check_string("id", i, imp_block_get_id(b), -1, FALSE);
    if (imp_block_get_marker(b) != NULL) /* a found marker stood before the text */
        append_kept(got, imp_block_get_marker(b), strlen(imp_block_get_marker(b)));
    append_kept(got, t, blen);
    if (imp_block_get_kind(b) == IMP_BLOCK_TABLE)
        for (guint r = 0; r < imp_table_get_n_rows(b); r++)
            for (guint c = 0; c < imp_table_get_n_cells(b, r); c++)
                check_block(imp_table_get_cell(b, r, c), i, got);
}

static gint cmp_unichar(gconstpointer a, gconstpointer b)
{
    gunichar x = *(const gunichar *)a, y = *(const gunichar *)b;
    return x < y ? -1 : x > y;
}

/* Whether a and b hold the same characters, in any order. */
static gboolean same_characters(const GString *a, const GString *b)
{
    glong na, nb;
    gunichar *ua = g_utf8_to_ucs4_fast(a->str, (glong)a->len, &na);
    gunichar *ub = g_utf8_to_ucs4_fast(b->str, (glong)b->len, &nb);
    gboolean same = na == nb;
    if (same) {
        qsort(ua, (gsize)na, sizeof *ua, cmp_unichar);
        qsort(ub, (gsize)nb, sizeof *ub, cmp_unichar);
        same = memcmp(ua, ub, (gsize)na * sizeof *ua) == 0;
    }
    g_free(ua);
    g_free(ub);
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] % 3;
    gboolean markdown = (data[0] & 0x80) != 0;
    gboolean signals_off = (data[0] & 0x40) != 0;
    ImpReadRules rules = { 0 };
    const ImpReadRules *base = mode == 0 ? NULL
                             : mode == 1 ? imp_style_get_read_rules(mofcom) : &handmade;
    if (base != NULL)
        rules = *base;
    if (signals_off)
        rules.signals_off = IMP_SIGNAL_HEADINGS | IMP_SIGNAL_PREFORMATTED | IMP_SIGNAL_LISTS |
                            IMP_SIGNAL_OPTIONS | IMP_SIGNAL_URLS;
    const char *text = (const char *)data + 1;
    gsize len = size - 1;
    /* the reader may look one byte past the end of a NUL-terminated buffer: give it one
       that is exactly len bytes, so ASan sees any read beyond */
    char *copy = g_memdup2(text, len);

    const char *name = markdown ? "fuzz.md" : "fuzz.txt";
    ImpDiag diag = { on_message, NULL };
    ImpReadOptions options = {
        .format = markdown ? IMP_INPUT_MARKDOWN : IMP_INPUT_TEXT,
        .filename = name,
        .rules = base != NULL || signals_off ? &rules : NULL,
        .diag = &diag,
    };
    GError *error = NULL;
    g_string_truncate(underlines, 0);
    ImpDocument *doc = imp_read(copy, len, &options, &error);
    if ((doc == NULL) == (error == NULL))
        g_error("imp_read: a document and an error, or neither");
    if (doc == NULL) {
        if (!g_error_matches(error, IMP_ERROR, IMP_ERROR_INPUT) ||
            !g_utf8_validate(error->message, -1, NULL) ||
            !g_str_has_prefix(error->message, name))
            g_error("imp_read: bad error: %s", error->message);
        g_error_free(error);
        g_free(copy);
        return 0;
    }

    guint n = imp_document_get_n_blocks(doc);
    GString *got = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        check_block(imp_document_get_block(doc, i), i, got);
    append_kept(got, underlines->str, underlines->len);
    /* characters in = characters out, for generic text in UTF-8 (no UTF-16/32 BOM; and
       NUL bytes aside, valid UTF-8: other text is decoded from the encoding detected) */
    gboolean utf8 = !(len >= 2 && ((guchar)text[0] == 0xFF || (guchar)text[0] == 0xFE ||
                                   (text[0] == 0 && text[1] == 0)));
    const char *at = text, *bad;
    while (utf8 && at < text + len && !g_utf8_validate_len(at, (gsize)(text + len - at), &bad)) {
        utf8 = *bad == '\0';
        at = bad + 1;
    }
    if (!markdown && mode == 0 && utf8) {
        GString *want = g_string_new(NULL);
        for (const char *p = text, *end = text + len; p < end; p++) {
            /* NUL bytes are dropped like any control character */
            const char *stop = memchr(p, '\0', (gsize)(end - p));
            gsize seg = stop ? (gsize)(stop - p) : (gsize)(end - p);
            append_kept(want, p, seg);
            p += seg;
        }
        /* a dropped underline is reported after its heading's block is made, so with one
           only the characters are compared, not their order */
        if (underlines->len > 0 ? !same_characters(want, got) : strcmp(want->str, got->str) != 0)
            g_error("characters in != characters out:\n in: %.200s\nout: %.200s", want->str,
                    got->str);
        g_string_free(want, TRUE);
    }
    g_string_free(got, TRUE);
    imp_document_free(doc);
    g_free(copy);
    return 0;
}
