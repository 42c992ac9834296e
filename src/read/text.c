/* text.c — the plain-text reader: bytes to an ImpDocument (see read.h).
 *
 * The input is decoded once (encoding.c: byte-order marks, legacy encodings detected,
 * undecodable and binary data refused), then read line by line in one pass. A
 * line's text is trimmed of white space, matched against the site's reading rules, and
 * either dropped (reported), taken as a notice heading, or appended to the pending
 * paragraph; a blank line, a dropped line or a form feed ends that paragraph, which then
 * becomes a block. Paragraphs are built in a pending buffer first because the kind of the
 * first one (title or paragraph) depends on how many lines it has.
 *
 * Design notes:
 *  1. Linear time. Every byte is looked at a bounded number of times: a byte-class table
 *     finds line ends and control characters; text is copied twice (into the pending
 *     paragraph, then into its block); there is no per-character allocation.
 *  2. Rule regexes run only on trimmed lines of at most RULE_LINE_MAX bytes: masthead,
 *     breadcrumb, chrome and notice headings are short lines, and this bounds the regex
 *     work on hostile inputs with megabyte-long lines.
 *  3. Lines dropped by the rules end the pending paragraph, as a blank line does: web
 *     chrome stands between blocks, and joining text across it would merge two blocks.
 *  4. Page breaks are emitted only between text blocks, and form feeds with no text between
 *     them make one break: a form feed before the first text or after the last, or a second
 *     one in a row, would only make an empty page (and a hostile input millions of them).
 *  5. Control characters and noncharacters (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF: valid UTF-8
 *     but never text) are dropped, and reported once per line (code point and count), and
 *     after MAX_CONTROL_REPORTS lines only counted, with one closing summary, so a hostile
 *     input cannot flood the diagnostics.
 *  6. A rule that stops at one of PCRE's limits (a regex that backtracks without end, such
 *     as (a|aa)+ on a long line of a's that it does not match) is reported once and not
 *     run again: each such failure costs tens of milliseconds, and on every line of a
 *     large input it would cost many minutes.
 *  7. The pending paragraph keeps its lines joined (by read.h's rule) and, for each line,
 *     where its text starts, its length, its indentation and the white space it was
 *     indented with: the structure signals cut it into blocks along lines without copying
 *     it again, and code gets its lines back as typed.
 *  8. Structure signals (README.md, "Structure in plain text"; recognisers in signals.c)
 *     run on each paragraph, in this order: code (prompt, box, columns), the title (first
 *     paragraph), headings, lists, options, the continuation of a definition or list item,
 *     code by deep indentation, else a paragraph. Found blocks carry IMP_BLOCK_FLAG_FOUND.
 *     They change no character: a list marker moves to the item's marker as typed, a
 *     heading's underline is reported as dropped, and every other character stays in text.
 *     The indentation most lines have (one pass before reading) is the body's, against
 *     which headings stand out to the left and code to the right.
 */
#include "read-private.h"

#include <string.h>

#include "../util/error.h"
#include "encoding.h"

/* Longest trimmed line, in bytes, that the reading rules are matched against. */
#define RULE_LINE_MAX 1000
/* A first paragraph of one line of at most this many characters is a generic text's title. */
#define TITLE_MAX_CHARS 120
/* Masthead and breadcrumb lines are looked for among this many first non-blank lines. */
#define HEADER_LINES 8
/* Lines with control characters reported one by one before only counting. */
#define MAX_CONTROL_REPORTS 100
/* Every structure signal. */
static const ImpTextSignals all_signals = IMP_SIGNAL_HEADINGS | IMP_SIGNAL_PREFORMATTED |
                                          IMP_SIGNAL_LISTS | IMP_SIGNAL_OPTIONS |
                                          IMP_SIGNAL_URLS;

/* ------------------------------------------------------------------------------------
 * Character classes
 * ------------------------------------------------------------------------------------ */

/* White space that a line may be indented or padded with, and that a blank line holds. */
static gboolean is_space(gunichar c)
{
    if (c < 0x80)
        return c == ' ' || c == '\t';
    return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Characters between which a line break is removed rather than turned into a space: Han,
 * kana, bopomofo and CJK punctuation and full-width forms. Hangul is excluded on purpose:
 * Korean separates words with spaces, so a line break between two Hangul syllables is a
 * word space (the rule of CSS Text 3, "segment break transformation"). */
static gboolean is_cjk(gunichar c)
{
    if (c < 0x2E80)
        return FALSE;
    if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0x3200 && c <= 0x33FF) || (c >= 0xFE30 && c <= 0xFE4F))
        return TRUE;
    if (c >= 0xFF00 && c <= 0xFFEF)
        return !(c >= 0xFFA0 && c <= 0xFFDC); /* half-width Hangul */
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Byte classes for the line scanner. */
enum { B_TEXT = 0, B_EOL = 1, B_SPECIAL = 2 };
static const guint8 byte_class[256] = {
    [0x00] = B_SPECIAL, [0x01] = B_SPECIAL, [0x02] = B_SPECIAL, [0x03] = B_SPECIAL,
    [0x04] = B_SPECIAL, [0x05] = B_SPECIAL, [0x06] = B_SPECIAL, [0x07] = B_SPECIAL,
    [0x08] = B_SPECIAL, /* 0x09 TAB is text */ [0x0A] = B_EOL, [0x0B] = B_SPECIAL,
    [0x0C] = B_SPECIAL, [0x0D] = B_EOL, [0x0E] = B_SPECIAL, [0x0F] = B_SPECIAL,
    [0x10] = B_SPECIAL, [0x11] = B_SPECIAL, [0x12] = B_SPECIAL, [0x13] = B_SPECIAL,
    [0x14] = B_SPECIAL, [0x15] = B_SPECIAL, [0x16] = B_SPECIAL, [0x17] = B_SPECIAL,
    [0x18] = B_SPECIAL, [0x19] = B_SPECIAL, [0x1A] = B_SPECIAL, [0x1B] = B_SPECIAL,
    [0x1C] = B_SPECIAL, [0x1D] = B_SPECIAL, [0x1E] = B_SPECIAL, [0x1F] = B_SPECIAL,
    [0x7F] = B_SPECIAL,
    [0xC2] = B_SPECIAL, /* lead byte of U+0080..U+00BF, which holds the C1 controls */
    /* lead bytes of the noncharacters: U+FDD0..U+FDEF, U+FFFE, U+FFFF (EF) and U+nFFFE,
       U+nFFFF of the other planes (F0..F4) */
    [0xEF] = B_SPECIAL, [0xF0] = B_SPECIAL, [0xF1] = B_SPECIAL, [0xF2] = B_SPECIAL,
    [0xF3] = B_SPECIAL, [0xF4] = B_SPECIAL,
};

/* Unicode's noncharacters: valid UTF-8, but reserved for a program's internal use and never
 * text (cairo refuses a string that holds one, and with it the whole PDF). */
static gboolean is_noncharacter(gunichar c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Trims white space (is_space) from both ends of s[0..len); returns the start and sets
 * *out_len. The input is valid UTF-8. */
static const char *trim(const char *s, gsize len, gsize *out_len)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        gunichar c = (guchar)*p < 0x80 ? (guchar)*p : g_utf8_get_char(p);
        if (!is_space(c))
            break;
        p = g_utf8_next_char(p);
    }
    while (end > p) {
        const char *q = end - 1;
        while (q > p && ((guchar)*q & 0xC0) == 0x80)
            q--;
        if (!is_space(g_utf8_get_char(q)))
            break;
        end = q;
    }
    *out_len = (gsize)(end - p);
    return p;
}

/* ------------------------------------------------------------------------------------
 * The reader
 * ------------------------------------------------------------------------------------ */

typedef struct {
    gsize offset;  /* of the line's trimmed text in the pending paragraph */
    gsize len;     /* its length */
    guint line;
    guint indent;  /* columns of its leading white space (tabs to multiples of 8) */
    gsize ws;      /* its leading white space as typed: in Reader.ws, ws_len bytes */
    guint ws_len;
} Mark;

/* An open level of a list found in plain text. */
typedef struct {
    guint indent;     /* of its markers */
    guint text_col;   /* where its last item's text starts */
    gboolean ordered;
} ListLevel;

/* Columns a tab advances to the next multiple of, in indentation. */
#define TAB_COLUMNS 8
/* Columns deeper than the text around it that an indented paragraph must be to be code. */
#define CODE_INDENT 4

typedef struct {
    const char *name;
    const ImpReadRules *rules;
    const ImpDiag *diag;
    ImpDocument *doc;
    gboolean site_mode;      /* masthead or breadcrumb rules: first paragraph is the title */
    GString *para;           /* the pending paragraph: its lines joined (design note 7) */
    GArray *marks;           /* Mark: each source line of para */
    GString *ws;             /* the leading white space of para's lines */
    GString *scratch;        /* a line with its control characters removed */
    guint n_text_blocks;
    gboolean pending_break;  /* a form feed was seen since the last text block */
    guint break_line;
    guint nonblank;          /* non-blank lines seen */
    gboolean first_done;     /* the first paragraph has been emitted */
    gboolean have_title;
    gboolean in_notice;
    gboolean notice_closing; /* the pending paragraph holds the notice's last line */
    gboolean have_masthead, have_section;
    ImpControlReport controls; /* dropped control characters (design note 5) */
    GPtrArray *given_up;     /* const GRegex*: rules that hit a matching limit */
    guint n_breaks;          /* page breaks emitted */
    const char *over;        /* the limit passed ("paragraphs", "page breaks"), or NULL */
    guint over_line;         /* where */

    /* structure signals (design note 8) */
    ImpTextSignals signals;  /* the signals on */
    guint body_indent;       /* the indentation most lines have */
    gboolean man_page;       /* the input is a man page as man(1) renders it */
    guint ref_indent;        /* indentation of the last paragraph: code stands deeper */
    GArray *list_indents;    /* ListLevel: each open found list level, outermost first */
    guint item_col;          /* text column of the last found list item; G_MAXUINT: none */
    gboolean item_ordered;   /* that item's list is numbered */
    guint item_indent;       /* that item's marker indentation */
    guint def_col;           /* indentation that continues a definition; G_MAXUINT: none */
    GArray *tl;              /* ImpTextLine: the pending paragraph's lines, for signals */
} Reader;

/* Appends a text block (after the page break that is due). Past a document limit it notes
 * the limit, and reading stops at the end of the line. */
static ImpBlock *new_text_block(Reader *r, ImpBlockKind kind, guint line)
{
    if (r->pending_break && r->n_text_blocks > 0) {
        imp_document_append_block(r->doc, IMP_BLOCK_PAGE_BREAK, r->break_line);
        if (++r->n_breaks > IMP_READ_MAX_PAGE_BREAKS && r->over == NULL) {
            r->over = "page breaks";
            r->over_line = r->break_line;
        }
    }
    r->pending_break = FALSE;
    if (++r->n_text_blocks > IMP_READ_MAX_PARAGRAPHS && r->over == NULL) {
        r->over = "paragraphs";
        r->over_line = line;
    }
    return imp_document_append_block(r->doc, kind, line);
}

/* A block of kind `kind` holding the pending paragraph's text from offset `from` (in line
 * i0) to offset `to` (in line i1 - 1), each line's text marked with its source line. Bare
 * URLs in it become links when that signal is on. */
static ImpBlock *emit_range(Reader *r, ImpBlockKind kind, guint i0, gsize from, guint i1,
                            gsize to)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    ImpBlock *b = new_text_block(r, kind, m[i0].line);
    for (guint k = i0; k < i1; k++) {
        gsize start = MAX(from, m[k].offset);
        gsize end = k + 1 < i1 ? MIN(m[k + 1].offset, to) : to;
        if (end <= start && k > i0)
            continue;
        imp_block_begin_line(b, m[k].line);
        imp_block_append_text(b, r->para->str + start, (gssize)(end - start));
    }
    if (kind != IMP_BLOCK_CODE && (r->signals & IMP_SIGNAL_URLS))
        imp__signal_urls(b);
    return b;
}

/* The whole of lines i0..i1 - 1 as a block. */
static ImpBlock *emit_lines(Reader *r, ImpBlockKind kind, guint i0, guint i1)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    return emit_range(r, kind, i0, m[i0].offset, i1, m[i1 - 1].offset + m[i1 - 1].len);
}

static void clear_paragraph(Reader *r)
{
    g_string_truncate(r->para, 0);
    g_string_truncate(r->ws, 0);
    g_array_set_size(r->marks, 0);
}

static gboolean find_structure(Reader *r, gboolean first);

/* Turns the pending paragraph into blocks: a notice, the title, what the structure
 * signals find, or a paragraph. */
static void end_paragraph(Reader *r)
{
    if (r->para->len == 0)
        return;
    guint n = r->marks->len;
    if (r->in_notice) {
        emit_lines(r, IMP_BLOCK_NOTICE, 0, n);
        if (r->notice_closing) {
            /* what follows the statement is body text again */
            r->in_notice = FALSE;
            r->notice_closing = FALSE;
        }
        clear_paragraph(r);
        return;
    }
    gboolean first = !r->first_done;
    r->first_done = TRUE;
    if (!(first && r->site_mode) && r->signals != 0 && find_structure(r, first)) {
        clear_paragraph(r);
        return;
    }
    ImpBlockKind kind = IMP_BLOCK_PARAGRAPH;
    if (first && (r->site_mode ||
                  (n == 1 && g_utf8_strlen(r->para->str, (gssize)r->para->len) <=
                                 TITLE_MAX_CHARS)))
        kind = IMP_BLOCK_TITLE;
    emit_lines(r, kind, 0, n);
    if (kind == IMP_BLOCK_TITLE) {
        r->have_title = TRUE;
        imp_document_set_meta(r->doc, IMP_META_TITLE, r->para->str);
    }
    clear_paragraph(r);
}

/* Columns of white space s[0..len) (tabs to multiples of TAB_COLUMNS, U+3000 two). */
static guint columns_of(const char *s, gsize len)
{
    guint col = 0;
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        if (*p == '\t')
            col = (col / TAB_COLUMNS + 1) * TAB_COLUMNS;
        else
            col += g_utf8_get_char(p) == 0x3000 ? 2 : 1;
    }
    return col;
}

/* Appends one trimmed, non-empty line to the pending paragraph, joined to the text before
 * it with a space, or with nothing between two CJK characters. `lead` is the white space
 * the line was indented with (lead_len bytes). */
static void append_line(Reader *r, const char *s, gsize len, guint line, const char *lead,
                        gsize lead_len)
{
    if (r->para->len > 0) {
        const char *end = r->para->str + r->para->len;
        gunichar before = g_utf8_get_char(g_utf8_find_prev_char(r->para->str, end));
        if (!(is_cjk(before) && is_cjk(g_utf8_get_char(s))))
            g_string_append_c(r->para, ' ');
    }
    Mark m = { r->para->len, len, line, 0, r->ws->len, (guint)MIN(lead_len, G_MAXUINT) };
    if (r->signals != 0) {
        m.indent = columns_of(lead, lead_len);
        g_string_append_len(r->ws, lead, (gssize)lead_len);
    }
    g_array_append_val(r->marks, m);
    g_string_append_len(r->para, s, (gssize)len);
}

/* ------------------------------------------------------------------------------------
 * Structure signals (design note 8; the recognisers are in signals.c)
 * ------------------------------------------------------------------------------------ */

static gboolean signal_on(const Reader *r, ImpTextSignals s)
{
    return (r->signals & s) != 0;
}

/* The pending paragraph's lines for the recognisers, in r->tl. */
static const ImpTextLine *text_lines(Reader *r)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    g_array_set_size(r->tl, r->marks->len);
    ImpTextLine *tl = (ImpTextLine *)(void *)r->tl->data;
    for (guint i = 0; i < r->marks->len; i++)
        tl[i] = (ImpTextLine){ r->para->str + m[i].offset, m[i].len, m[i].indent };
    return tl;
}

/* Ends the found list and definition the text was in. */
static void end_found_context(Reader *r)
{
    g_array_set_size(r->list_indents, 0);
    r->item_col = G_MAXUINT;
    r->def_col = G_MAXUINT;
}

/* Lines i0..i1 - 1 as a CODE block: as typed, less the indentation they share, '\n'
 * between them. */
static void emit_code(Reader *r, guint i0, guint i1, const char *info, guint list_depth)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    guint strip = G_MAXUINT;
    for (guint k = i0; k < i1; k++)
        strip = MIN(strip, m[k].indent);
    ImpBlock *b = new_text_block(r, IMP_BLOCK_CODE, m[i0].line);
    imp_block_set_flags(b, IMP_BLOCK_FLAG_FOUND);
    imp_block_set_info(b, info);
    imp_block_set_list_depth(b, list_depth);
    for (guint k = i0; k < i1; k++) {
        if (k > i0)
            imp_block_append_text(b, "\n", 1);
        imp_block_begin_line(b, m[k].line);
        /* the indentation beyond `strip` columns, as typed where a character boundary
           falls on the column (else as spaces) */
        const char *ws = r->ws->str + m[k].ws, *end = ws + m[k].ws_len, *p = ws;
        guint col = 0;
        while (p < end && col < strip) {
            col = *p == '\t' ? (col / TAB_COLUMNS + 1) * TAB_COLUMNS
                : col + (g_utf8_get_char(p) == 0x3000 ? 2 : 1);
            p = g_utf8_next_char(p);
        }
        for (guint c = strip; c < col; c++)
            imp_block_append_text(b, " ", 1);
        imp_block_append_text(b, p, end - p);
        imp_block_append_text(b, r->para->str + m[k].offset, (gssize)m[k].len);
    }
}

/* A heading of lines 0..used - 1 (the line after is an underline when `underline`). */
static void emit_heading(Reader *r, ImpBlockKind kind, guint level, gboolean numbered,
                         guint used, gboolean underline)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    ImpBlock *b = emit_lines(r, kind, 0, used);
    imp_block_set_level(b, level);
    imp_block_set_flags(b, IMP_BLOCK_FLAG_FOUND | (numbered ? IMP_BLOCK_FLAG_NUMBERED : 0));
    if (underline)
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, m[used].line,
                        "dropped heading underline: %.*s", (int)m[used].len,
                        r->para->str + m[used].offset);
    if (kind == IMP_BLOCK_TITLE) {
        r->have_title = TRUE;
        imp_document_set_meta(r->doc, IMP_META_TITLE, imp_block_get_text(b, NULL));
    }
    end_found_context(r);
}

/* The heading the pending paragraph is, if it is one: its level (0: none), whether its
 * text holds its number, how many lines it takes and whether an underline follows. */
static guint find_heading(Reader *r, const ImpTextLine *tl, gboolean *numbered, guint *used,
                          gboolean *underline)
{
    guint n = r->marks->len;
    gboolean strong;
    gsize num_len;
    *numbered = FALSE;
    *used = 1;
    *underline = FALSE;
    if (n == 2) {
        guint u = imp__signal_underline(tl[1].s, tl[1].len);
        if (u > 0 && imp__signal_heading_text(tl[0].s, tl[0].len, FALSE)) {
            *underline = TRUE;
            *numbered = imp__signal_section_number(tl[0].s, tl[0].len, &strong, &num_len) > 0;
            return u;
        }
    }
    guint level = imp__signal_section_number(tl[0].s, tl[0].len, &strong, &num_len);
    if (level > 0 && n == 1) {
        /* "2. Next" after "1. First" is a list's item, not a heading; and where headings
           stand out to the left of the body, "1. Step" in the body is one too */
        gboolean in_list = !strong && ((r->item_col != G_MAXUINT && r->item_ordered &&
                                        r->item_indent == tl[0].indent) ||
                                       (r->body_indent > 0 && tl[0].indent >= r->body_indent));
        if (!in_list && imp__signal_heading_text(tl[0].s, tl[0].len, strong)) {
            *numbered = TRUE;
            return level;
        }
        return 0;
    }
    if (level > 0 && strong && n <= 3) {
        /* a numbered heading wrapped over lines, standing out to the left of the body */
        gsize chars = 0;
        for (guint i = 0; i < n; i++) {
            if (tl[i].indent >= r->body_indent)
                return 0;
            chars += g_utf8_strlen(tl[i].s, (gssize)tl[i].len);
        }
        if (chars <= 200 && imp__signal_heading_text(tl[n - 1].s, MIN(tl[n - 1].len, 1000),
                                                     TRUE)) {
            *numbered = TRUE;
            *used = n;
            return level;
        }
        return 0;
    }
    /* A section name: a line alone, or a line with the text it heads indented under it
       (a man page puts no blank line between them). */
    if (!(r->man_page && (tl[0].indent == 0 || tl[0].indent == 3)) &&
        !(tl[0].indent < r->body_indent && tl[0].len <= 60 && tl[0].s[0] >= 'A' &&
          tl[0].s[0] <= 'Z'))
        return 0;
    for (guint i = 1; i < n; i++)
        if (tl[i].indent <= tl[0].indent)
            return 0;
    if (tl[0].len > 400 || g_strstr_len(tl[0].s, (gssize)tl[0].len, "  ") != NULL ||
        memchr(tl[0].s, '\t', tl[0].len) != NULL)
        return 0;
    /* a man page's section (at the margin) and subsection (three columns in); its name
       may end in a colon ("退出状态：") */
    if (r->man_page && g_utf8_strlen(tl[0].s, (gssize)tl[0].len) <= 60 &&
        (tl[0].indent == 0 || tl[0].indent == 3)) {
        gsize len = tl[0].len;
        if (len > 0 && tl[0].s[len - 1] == ':')
            len--;
        else if (len >= 3 && memcmp(tl[0].s + len - 3, "\uFF1A", 3) == 0)
            len -= 3;
        if (len > 0 && imp__signal_heading_text(tl[0].s, len, TRUE))
            return tl[0].indent == 0 ? 1 : 2;
        return 0;
    }
    /* a section name in capitals, to the left of the body */
    if (tl[0].indent < r->body_indent && imp__signal_capitals(tl[0].s, tl[0].len))
        return 1;
    return 0;
}

/* Removes the first k lines from the pending paragraph (a heading made of them). */
static void consume_lines(Reader *r, guint k)
{
    Mark *m = (Mark *)(void *)r->marks->data;
    gsize off = m[k].offset, ws = m[k].ws;
    g_string_erase(r->para, 0, (gssize)off);
    g_string_erase(r->ws, 0, (gssize)ws);
    g_array_remove_range(r->marks, 0, k);
    m = (Mark *)(void *)r->marks->data;
    for (guint i = 0; i < r->marks->len; i++) {
        m[i].offset -= off;
        m[i].ws -= ws;
    }
}

/* The pending paragraph as list items: one at each line that starts with a marker, the
 * lines after it continuing it. The marker goes to the block's marker, exactly as typed;
 * the text after it (and its white space) is the block's text. */
static void emit_list(Reader *r, const ImpTextLine *tl)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    guint n = r->marks->len;
    for (guint i = 0; i < n;) {
        gsize mlen, pfx;
        gboolean ordered;
        pfx = imp__signal_list_marker(tl[i].s, tl[i].len, &mlen, &ordered);
        g_assert(pfx > 0);
        guint j = i + 1;
        gsize ml2;
        gboolean o2;
        while (j < n && imp__signal_list_marker(tl[j].s, tl[j].len, &ml2, &o2) == 0)
            j++;
        /* depth: a marker indented to the text of the item before it (or deeper) starts
           a list inside it; one left of that item's marker ends the level */
        guint x = tl[i].indent;
        guint col = x + (guint)g_utf8_strlen(tl[i].s, (gssize)pfx);
        ListLevel *lv = (ListLevel *)(void *)r->list_indents->data;
        while (r->list_indents->len > 0 && x < lv[r->list_indents->len - 1].indent)
            g_array_set_size(r->list_indents, r->list_indents->len - 1);
        ListLevel *top = r->list_indents->len > 0
                       ? &g_array_index(r->list_indents, ListLevel, r->list_indents->len - 1)
                       : NULL;
        gboolean start;
        if (top == NULL || x >= top->text_col) {
            ListLevel l = { x, col, ordered };
            g_array_append_val(r->list_indents, l);
            start = TRUE;
        } else {
            start = top->ordered != ordered; /* numbers after bullets: another list */
            top->text_col = col;
            top->ordered = ordered;
        }
        ImpBlock *b = emit_range(r, IMP_BLOCK_LIST_ITEM, i, m[i].offset + pfx, j,
                                 m[j - 1].offset + m[j - 1].len);
        char *marker = g_strndup(tl[i].s, mlen);
        imp_block_set_marker(b, marker);
        g_free(marker);
        imp_block_set_list_depth(b, r->list_indents->len);
        imp_block_set_flags(b, IMP_BLOCK_FLAG_FOUND | (start ? IMP_BLOCK_FLAG_LIST_START : 0) |
                                   (ordered ? IMP_BLOCK_FLAG_ORDERED : 0));
        r->item_col = col;
        r->item_ordered = ordered;
        r->item_indent = x;
        i = j;
    }
    r->def_col = G_MAXUINT;
}

/* The pending paragraph as a man page's option: TERM and DEFINITION. Returns FALSE when
 * it is not one. */
static gboolean emit_option(Reader *r, const ImpTextLine *tl)
{
    const Mark *m = (const Mark *)(void *)r->marks->data;
    guint n = r->marks->len;
    gsize term_len, desc;
    if (!imp__signal_option(tl[0].s, tl[0].len, &term_len, &desc))
        return FALSE;
    if (desc == 0 && n == 1 && r->def_col != G_MAXUINT && r->def_col > tl[0].indent) {
        /* "--zero text": a term as wide as the indentation leaves one space before the
           description, which starts at the column the descriptions before started at */
        gsize at = r->def_col - tl[0].indent;
        if (at >= 2 && at < tl[0].len && tl[0].s[at - 1] == ' ' && tl[0].s[at] != ' ') {
            gboolean ascii = TRUE;
            for (gsize i = 0; i < at; i++)
                ascii &= (guchar)tl[0].s[i] < 0x80;
            if (ascii) {
                term_len = at - 1;
                desc = at;
            }
        }
    }
    if (n >= 2 && tl[1].indent <= tl[0].indent)
        return FALSE; /* the description is indented under its term */
    if (n == 1 && desc == 0 && !imp__signal_heading_text(tl[0].s, tl[0].len, FALSE))
        return FALSE;
    ImpBlock *t = emit_range(r, IMP_BLOCK_TERM, 0, m[0].offset, 1, m[0].offset + term_len);
    imp_block_set_flags(t, IMP_BLOCK_FLAG_FOUND);
    gsize end = m[n - 1].offset + m[n - 1].len;
    if (desc > 0) {
        ImpBlock *d = emit_range(r, IMP_BLOCK_DEFINITION, 0, m[0].offset + desc, n, end);
        imp_block_set_flags(d, IMP_BLOCK_FLAG_FOUND);
        r->def_col = n >= 2 ? tl[1].indent
                            : tl[0].indent + (guint)g_utf8_strlen(tl[0].s, (gssize)desc);
    } else if (n >= 2) {
        ImpBlock *d = emit_lines(r, IMP_BLOCK_DEFINITION, 1, n);
        imp_block_set_flags(d, IMP_BLOCK_FLAG_FOUND);
        r->def_col = tl[1].indent;
    } else {
        r->def_col = tl[0].indent + 1; /* a term alone: what is indented under it */
    }
    g_array_set_size(r->list_indents, 0);
    r->item_col = G_MAXUINT;
    return TRUE;
}

/* Applies the structure signals to the pending paragraph (the first of the document when
 * `first`). Returns TRUE when it made blocks of it, FALSE to leave it a paragraph (or the
 * title). */
static gboolean find_structure(Reader *r, gboolean first)
{
    const ImpTextLine *tl = text_lines(r);
    guint n = r->marks->len;
    guint indent = G_MAXUINT;
    for (guint i = 0; i < n; i++)
        indent = MIN(indent, tl[i].indent);

    if (signal_on(r, IMP_SIGNAL_PREFORMATTED)) {
        gboolean prompt = FALSE;
        for (guint i = 0; i < n && !prompt; i++)
            prompt = imp__signal_prompt(tl[i].s, tl[i].len);
        if (prompt || imp__signal_box(tl, n) || imp__signal_columns(tl, n)) {
            gboolean in_item = r->item_col != G_MAXUINT && indent >= r->item_col;
            emit_code(r, 0, n, prompt ? "console" : NULL,
                      in_item ? r->list_indents->len : 0);
            if (!in_item)
                end_found_context(r);
            return TRUE;
        }
    }
    if (first) {
        gboolean numbered, underline;
        guint used;
        if (signal_on(r, IMP_SIGNAL_HEADINGS) && n == 2 &&
            find_heading(r, tl, &numbered, &used, &underline) > 0 && underline) {
            emit_heading(r, IMP_BLOCK_TITLE, 0, FALSE, 1, TRUE);
            return TRUE;
        }
        if (n == 1 && g_utf8_strlen(tl[0].s, (gssize)tl[0].len) <= TITLE_MAX_CHARS)
            return FALSE; /* the title */
    }
    if (signal_on(r, IMP_SIGNAL_HEADINGS)) {
        gboolean numbered, underline;
        guint used;
        guint level = find_heading(r, tl, &numbered, &used, &underline);
        if (level > 0) {
            emit_heading(r, IMP_BLOCK_HEADING, level, numbered, used, underline);
            if (used + underline < n) {
                /* the text under a section name: a paragraph of its own */
                consume_lines(r, used);
                if (!find_structure(r, FALSE)) /* (tl is stale now) */
                    emit_lines(r, IMP_BLOCK_PARAGRAPH, 0, r->marks->len);
            }
            return TRUE;
        }
    }
    gsize mlen;
    gboolean ordered;
    if (signal_on(r, IMP_SIGNAL_LISTS) &&
        imp__signal_list_marker(tl[0].s, tl[0].len, &mlen, &ordered) > 0) {
        emit_list(r, tl);
        return TRUE;
    }
    if (signal_on(r, IMP_SIGNAL_OPTIONS) && emit_option(r, tl))
        return TRUE;
    if (r->def_col != G_MAXUINT && indent >= r->def_col) {
        /* a further paragraph of a definition */
        ImpBlock *d = emit_lines(r, IMP_BLOCK_DEFINITION, 0, n);
        imp_block_set_flags(d, IMP_BLOCK_FLAG_FOUND);
        return TRUE;
    }
    gboolean prose = imp__signal_prose(tl, n);
    if (r->item_col != G_MAXUINT && indent >= r->item_col) {
        /* a further paragraph of a list item, or code in it */
        if (signal_on(r, IMP_SIGNAL_PREFORMATTED) && !r->man_page &&
            indent >= r->item_col + CODE_INDENT && !prose) {
            emit_code(r, 0, n, NULL, r->list_indents->len);
        } else {
            ImpBlock *b = emit_lines(r, IMP_BLOCK_PARAGRAPH, 0, n);
            imp_block_set_flags(b, IMP_BLOCK_FLAG_FOUND);
            imp_block_set_list_depth(b, r->list_indents->len);
        }
        return TRUE;
    }
    end_found_context(r);
    if (signal_on(r, IMP_SIGNAL_PREFORMATTED) && !r->man_page && !first &&
        indent >= MAX(r->ref_indent, r->body_indent) + CODE_INDENT && !prose) {
        emit_code(r, 0, n, NULL, 0);
        return TRUE;
    }
    r->ref_indent = indent;
    return FALSE;
}

/* Whether rule `re` ([reading] `key`) matches the trimmed line s[0..len). A rule that
 * fails to run to the end (PCRE's backtracking, depth or memory limit: a style's regex
 * that backtracks without end on this input) is reported once with the line and not run
 * again (design note 6). */
static gboolean rule_matches(Reader *r, const GRegex *re, const char *key, const char *s,
                             gsize len, guint line, GMatchInfo **info)
{
    if (re == NULL)
        return FALSE;
    for (guint i = 0; i < r->given_up->len; i++)
        if (r->given_up->pdata[i] == re)
            return FALSE;
    GError *err = NULL;
    gboolean ok = imp_read_rules_match(r->rules, re, s, len, info, &err);
    if (err != NULL) {
        g_ptr_array_add(r->given_up, (gpointer)re);
        const char *pattern = NULL, *where = NULL;
        imp_read_rules_describe(r->rules, re, NULL, &pattern, &where);
        const char *why = g_strrstr(err->message, ": ");
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                        "reading rule [reading] %s %s%s%s gave up (%s); it is not applied to "
                        "the rest of the input", key, pattern, where ? " at " : "",
                        where ? where : "", why != NULL ? why + 2 : err->message);
        g_error_free(err);
        ok = FALSE;
    }
    if (!ok && info != NULL) {
        g_match_info_free(*info);
        *info = NULL;
    }
    return ok;
}

/* The trimmed value of a named group, or NULL when absent or empty (transfer full). */
static char *fetch_named(GMatchInfo *info, const char *group)
{
    char *v = g_match_info_fetch_named(info, group);
    if (v == NULL)
        return NULL;
    gsize n;
    const char *t = trim(v, strlen(v), &n);
    char *out = n > 0 ? g_strndup(t, n) : NULL;
    g_free(v);
    return out;
}

/* Applies the reading rules to one trimmed line; returns TRUE when the line was consumed
 * (dropped or made a notice heading). */
static gboolean apply_rules(Reader *r, const char *s, gsize len, guint line)
{
    const ImpReadRules *rules = r->rules;
    GMatchInfo *info = NULL;
    gboolean header_zone = r->nonblank <= HEADER_LINES && !r->in_notice;

    if (header_zone && r->n_text_blocks == 0 && r->para->len == 0 &&
        rule_matches(r, rules->masthead, "masthead", s, len, line, &info)) {
        char *site = fetch_named(info, "site");
        char *extra = fetch_named(info, "extra");
        char *section = fetch_named(info, "section"); /* a breadcrumb on the same line */
        if (!r->have_masthead) {
            r->have_masthead = TRUE;
            imp_document_set_meta(r->doc, IMP_META_SITE, site != NULL ? site : rules->site);
            if (extra != NULL)
                imp_document_set_meta(r->doc, IMP_META_SITE_EXTRA, extra);
        }
        if (section != NULL && !r->have_section) {
            r->have_section = TRUE;
            imp_document_set_meta(r->doc, IMP_META_SECTION, section);
        }
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "dropped masthead: %.*s",
                        (int)len, s);
        g_free(site);
        g_free(extra);
        g_free(section);
        g_match_info_free(info);
        end_paragraph(r);
        return TRUE;
    }
    /* A breadcrumb may also follow the title, but not the body. */
    gboolean before_body = r->n_text_blocks == 0 ||
                           (r->n_text_blocks == 1 && r->have_title && r->para->len == 0);
    if (header_zone && before_body &&
        rule_matches(r, rules->breadcrumb, "breadcrumb", s, len, line, &info)) {
        char *section = fetch_named(info, "section");
        if (section != NULL && !r->have_section) {
            r->have_section = TRUE;
            imp_document_set_meta(r->doc, IMP_META_SECTION, section);
        }
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "dropped breadcrumb: %.*s",
                        (int)len, s);
        g_free(section);
        g_match_info_free(info);
        end_paragraph(r);
        return TRUE;
    }
    if (r->in_notice && !r->notice_closing &&
        rule_matches(r, rules->notice_end, "notice-end", s, len, line, NULL))
        r->notice_closing = TRUE; /* the line stays; the notice ends with its paragraph */
    if (!r->in_notice && rule_matches(r, rules->notice_start, "notice-start", s, len, line, NULL)) {
        end_paragraph(r);
        r->in_notice = TRUE;
        ImpBlock *b = new_text_block(r, IMP_BLOCK_NOTICE, line);
        imp_block_set_level(b, 1);
        imp_block_append_text(b, s, (gssize)len);
        return TRUE;
    }
    for (GRegex **c = rules->chrome; c != NULL && *c != NULL; c++) {
        if (rule_matches(r, *c, "chrome", s, len, line, NULL)) {
            imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line,
                            "dropped web chrome: %.*s", (int)len, s);
            end_paragraph(r);
            return TRUE;
        }
    }
    return FALSE;
}

/* One segment of a line (a whole line, or the part of one before or after a form feed),
 * control characters already removed. */
static void handle_segment(Reader *r, const char *s, gsize len, guint line)
{
    gsize tlen;
    const char *t = trim(s, len, &tlen);
    if (tlen == 0) {
        end_paragraph(r);
        return;
    }
    r->nonblank++;
    if (r->rules != NULL && tlen <= RULE_LINE_MAX && apply_rules(r, t, tlen, line))
        return;
    append_line(r, t, tlen, line, s, (gsize)(t - s));
}

static void form_feed(Reader *r, guint line)
{
    end_paragraph(r);
    if (!r->pending_break)
        r->break_line = line;
    r->pending_break = TRUE;
}

/* Reports the characters dropped from one line: `count` of them, the first `first`, some
 * noncharacters among them when `nonchars`. */
void imp__control_report_line(ImpControlReport *c, guint line, guint count, gunichar first,
                              gboolean nonchars)
{
    if (c->lines_reported >= MAX_CONTROL_REPORTS) {
        c->unreported += count;
        c->unreported_lines++;
        return;
    }
    c->lines_reported++;
    if (count == 1)
        imp_diag_report(c->diag, IMP_DIAG_WARNING, c->name, line, "dropped %s U+%04X",
                        nonchars ? "noncharacter" : "control character", first);
    else
        imp_diag_report(c->diag, IMP_DIAG_WARNING, c->name, line,
                        "dropped %u control characters%s (the first U+%04X)", count,
                        nonchars ? " or noncharacters" : "", first);
}

/* The one closing line for the characters only counted. */
void imp__control_report_finish(ImpControlReport *c)
{
    if (c->unreported > 0)
        imp_diag_report(c->diag, IMP_DIAG_WARNING, c->name, 0,
                        "dropped %" G_GUINT64_FORMAT " more control characters on %"
                        G_GUINT64_FORMAT " more lines", c->unreported, c->unreported_lines);
}

/* A line that holds control characters, noncharacters or form feeds (or only a lead byte
 * that may begin one): copies it without them into the scratch buffer, splitting it at
 * form feeds. */
static void handle_special_line(Reader *r, const char *s, gsize len, guint line)
{
    guint dropped = 0;
    gunichar first = 0;
    gboolean nonchars = FALSE;
    GString *buf = r->scratch;
    g_string_truncate(buf, 0);
    gsize i = 0, run = 0; /* s[run..i) is text not yet copied */
    while (i < len) {
        guchar c = (guchar)s[i];
        gunichar cp;
        gsize n;
        if (c == 0xC2 && i + 1 < len && (guchar)s[i + 1] >= 0x80 && (guchar)s[i + 1] <= 0x9F) {
            cp = 0x80 + ((guchar)s[i + 1] - 0x80);
            n = 2;
        } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
            cp = c;
            n = 1;
        } else if (c >= 0xEF && is_noncharacter(cp = g_utf8_get_char(s + i))) {
            n = c == 0xEF ? 3 : 4; /* the input is valid UTF-8 */
            nonchars = TRUE;
        } else {
            i++;
            continue;
        }
        g_string_append_len(buf, s + run, (gssize)(i - run));
        i += n;
        run = i;
        if (cp == '\f') {
            handle_segment(r, buf->str, buf->len, line);
            g_string_truncate(buf, 0);
            form_feed(r, line);
            continue;
        }
        if (dropped++ == 0)
            first = cp;
    }
    g_string_append_len(buf, s + run, (gssize)(len - run));
    handle_segment(r, buf->str, buf->len, line);
    if (dropped > 0)
        imp__control_report_line(&r->controls, line, dropped, first, nonchars);
}

static void read_lines(Reader *r, const char *t, gsize n)
{
    gsize pos = 0;
    guint line = 1;
    while (pos < n) {
        gsize i = pos;
        gboolean special = FALSE;
        while (i < n) {
            guint8 k = byte_class[(guchar)t[i]];
            if (k == B_EOL)
                break;
            special |= (k == B_SPECIAL);
            i++;
        }
        if (special)
            handle_special_line(r, t + pos, i - pos, line);
        else
            handle_segment(r, t + pos, i - pos, line);
        if (i < n && t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
            i++;
        pos = i + 1;
        if (line < G_MAXUINT)
            line++;
        if (r->over != NULL)
            return;
    }
    end_paragraph(r);
    imp__control_report_finish(&r->controls);
}

/* ------------------------------------------------------------------------------------
 * Shared with the other readers (read-private.h)
 * ------------------------------------------------------------------------------------ */

gboolean imp__read_is_cjk(gunichar c)
{
    return is_cjk(c);
}

gboolean imp__read_is_space(gunichar c)
{
    return is_space(c);
}

/* The code point of the control character or noncharacter at s[i..len) and its length in
 * *n, or (gunichar)-1 when s[i] starts ordinary text. */
static gunichar dropped_at(const char *s, gsize i, gsize len, gsize *n)
{
    guchar c = (guchar)s[i];
    gunichar cp;
    if (c == 0xC2 && i + 1 < len && (guchar)s[i + 1] >= 0x80 && (guchar)s[i + 1] <= 0x9F) {
        *n = 2;
        return 0x80 + ((guchar)s[i + 1] - 0x80);
    }
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        *n = 1;
        return c;
    }
    if (c >= 0xEF && is_noncharacter(cp = g_utf8_get_char(s + i))) {
        *n = c == 0xEF ? 3 : 4; /* the input is valid UTF-8 */
        return cp;
    }
    return (gunichar)-1;
}

/* See read-private.h. One pass: the byte classes find the lines that may hold something to
 * drop; only those are looked at character by character. */
char *imp__read_scrub(const char *t, gsize n, ImpControlReport *report, GArray *form_feeds,
                      gsize *out_len)
{
    GString *out = NULL;
    gsize copied = 0; /* t[0..copied) is in out */
    guint line = 1;
    for (gsize pos = 0; pos < n;) {
        gsize i = pos;
        gboolean special = FALSE;
        while (i < n && byte_class[(guchar)t[i]] != B_EOL)
            special |= byte_class[(guchar)t[i++]] == B_SPECIAL;
        if (special) {
            guint dropped = 0;
            gunichar first = 0;
            gboolean nonchars = FALSE;
            for (gsize k = pos; k < i;) {
                gsize len;
                gunichar cp = byte_class[(guchar)t[k]] == B_SPECIAL
                            ? dropped_at(t, k, i, &len) : (gunichar)-1;
                if (cp == (gunichar)-1) {
                    k++;
                    continue;
                }
                if (out == NULL)
                    out = g_string_sized_new(n);
                g_string_append_len(out, t + copied, (gssize)(k - copied));
                k += len;
                copied = k;
                if (cp == '\f') {
                    if (form_feeds != NULL)
                        g_array_append_val(form_feeds, out->len);
                    g_string_append_c(out, ' '); /* words on either side stay apart */
                    continue;
                }
                nonchars |= cp >= 0xFDD0;
                if (dropped++ == 0)
                    first = cp;
            }
            if (dropped > 0)
                imp__control_report_line(report, line, dropped, first, nonchars);
        }
        if (i < n && t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
            i++;
        pos = i + 1;
        if (line < G_MAXUINT)
            line++;
    }
    if (out == NULL)
        return NULL;
    g_string_append_len(out, t + copied, (gssize)(n - copied));
    *out_len = out->len;
    return g_string_free(out, FALSE);
}

/* Whether the first non-blank line is a man page's header (signals.c). */
static gboolean is_man_page(const char *t, gsize n)
{
    gsize i = 0;
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    gsize e = i;
    while (e < n && t[e] != '\n' && t[e] != '\r')
        e++;
    while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t'))
        e--;
    return e > i && e - i <= 400 && imp__signal_man_header(t + i, e - i);
}

ImpDocument *imp_read_text(const char *data, gsize len, const char *filename,
                           const ImpReadRules *rules, const ImpDiag *diag, GError **error)
{
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    const char *name = filename != NULL ? filename : "<input>";
    char *owned = NULL;
    gsize n = 0;
    const char *t = len > 0 ? imp__decode_input(data, len, name, NULL, IMP_ENCODING_GIVEN,
                                                diag, &n, &owned, error)
                            : "";
    if (t == NULL)
        return NULL;

    Reader r = {
        .name = name,
        .rules = rules,
        .diag = diag,
        .doc = imp_document_new(),
        .site_mode = rules != NULL && (rules->masthead != NULL || rules->breadcrumb != NULL),
        .para = g_string_new(NULL),
        .marks = g_array_new(FALSE, FALSE, sizeof(Mark)),
        .scratch = g_string_new(NULL),
        .given_up = g_ptr_array_new(),
        .controls = { name, diag, 0, 0, 0 },
        .ws = g_string_new(NULL),
        .signals = all_signals & ~(rules != NULL ? rules->signals_off : 0),
        .list_indents = g_array_new(FALSE, FALSE, sizeof(ListLevel)),
        .item_col = G_MAXUINT,
        .def_col = G_MAXUINT,
        .tl = g_array_new(FALSE, FALSE, sizeof(ImpTextLine)),
    };
    if (r.signals != 0) {
        r.body_indent = r.ref_indent = imp__signal_body_indent(t, n);
        r.man_page = is_man_page(t, n);
    }
    read_lines(&r, t, n);
    g_string_free(r.para, TRUE);
    g_array_free(r.marks, TRUE);
    g_string_free(r.ws, TRUE);
    g_string_free(r.scratch, TRUE);
    g_ptr_array_free(r.given_up, TRUE);
    g_array_free(r.list_indents, TRUE);
    g_array_free(r.tl, TRUE);
    g_free(owned);

    if (r.over != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: too many %s: imprint sets at most %u in one document", name,
                    r.over_line, r.over,
                    strcmp(r.over, "paragraphs") == 0 ? IMP_READ_MAX_PARAGRAPHS
                                                      : IMP_READ_MAX_PAGE_BREAKS);
        imp_document_free(r.doc);
        return NULL;
    }
    if (r.n_text_blocks == 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: no text to typeset (%s)", name,
                    n == 0 ? "the input is empty"
                           : "the input holds only white space, control characters or "
                             "dropped lines");
        imp_document_free(r.doc);
        return NULL;
    }
    if (filename != NULL)
        imp_document_set_meta(r.doc, IMP_META_SOURCE_FILE, filename);
    if (rules != NULL && rules->site != NULL && !r.have_masthead)
        imp_document_set_meta(r.doc, IMP_META_SITE, rules->site);
    if (rules != NULL && rules->source != NULL)
        imp_document_set_meta(r.doc, IMP_META_SOURCE, rules->source);
    imp_document_trim(r.doc);
    return r.doc;
}
