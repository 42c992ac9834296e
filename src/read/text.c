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
 */
#include "read.h"

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
    gsize offset;  /* in the pending paragraph */
    guint line;
} Mark;

typedef struct {
    const char *name;
    const ImpReadRules *rules;
    const ImpDiag *diag;
    ImpDocument *doc;
    gboolean site_mode;      /* masthead or breadcrumb rules: first paragraph is the title */
    GString *para;           /* the pending paragraph */
    GArray *marks;           /* Mark: where each source line's text starts in para */
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
    guint ctrl_lines_reported;
    guint64 ctrl_unreported, ctrl_unreported_lines;
    GPtrArray *given_up;     /* const GRegex*: rules that hit a matching limit */
    guint n_breaks;          /* page breaks emitted */
    const char *over;        /* the limit passed ("paragraphs", "page breaks"), or NULL */
    guint over_line;         /* where */
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

/* Turns the pending paragraph into a block (title, paragraph or notice). */
static void end_paragraph(Reader *r)
{
    if (r->para->len == 0)
        return;
    ImpBlockKind kind = IMP_BLOCK_PARAGRAPH;
    if (r->in_notice) {
        kind = IMP_BLOCK_NOTICE;
    } else if (!r->first_done) {
        r->first_done = TRUE;
        if (r->site_mode ||
            (r->marks->len == 1 &&
             g_utf8_strlen(r->para->str, (gssize)r->para->len) <= TITLE_MAX_CHARS))
            kind = IMP_BLOCK_TITLE;
    }
    Mark *m = (Mark *)(void *)r->marks->data;
    ImpBlock *b = new_text_block(r, kind, m[0].line);
    if (r->notice_closing) {
        /* what follows the statement is body text again */
        r->in_notice = FALSE;
        r->notice_closing = FALSE;
    }
    for (guint i = 0; i < r->marks->len; i++) {
        gsize end = i + 1 < r->marks->len ? m[i + 1].offset : r->para->len;
        imp_block_begin_line(b, m[i].line);
        imp_block_append_text(b, r->para->str + m[i].offset, (gssize)(end - m[i].offset));
    }
    if (kind == IMP_BLOCK_TITLE) {
        r->have_title = TRUE;
        imp_document_set_meta(r->doc, IMP_META_TITLE, r->para->str);
    }
    g_string_truncate(r->para, 0);
    g_array_set_size(r->marks, 0);
}

/* Appends one trimmed, non-empty line to the pending paragraph, joined to the text before
 * it with a space, or with nothing between two CJK characters. */
static void append_line(Reader *r, const char *s, gsize len, guint line)
{
    if (r->para->len > 0) {
        const char *end = r->para->str + r->para->len;
        gunichar before = g_utf8_get_char(g_utf8_find_prev_char(r->para->str, end));
        if (!(is_cjk(before) && is_cjk(g_utf8_get_char(s))))
            g_string_append_c(r->para, ' ');
    }
    Mark m = { r->para->len, line };
    g_array_append_val(r->marks, m);
    g_string_append_len(r->para, s, (gssize)len);
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
    gboolean ok = g_regex_match_full(re, s, (gssize)len, 0, 0, info, &err);
    if (err != NULL) {
        g_ptr_array_add(r->given_up, (gpointer)re);
        /* the style compiles each rule as \A(?:RULE)\z; GLib's message ends in the reason */
        const char *pattern = g_regex_get_pattern(re);
        gsize plen = strlen(pattern);
        if (g_str_has_prefix(pattern, "\\A(?:") && g_str_has_suffix(pattern, ")\\z")) {
            pattern += 5;
            plen -= 8;
        }
        const char *why = g_strrstr(err->message, ": ");
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                        "reading rule [reading] %s %.*s gave up (%s); it is not applied to "
                        "the rest of the input", key, (int)plen, pattern,
                        why != NULL ? why + 2 : err->message);
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
    append_line(r, t, tlen, line);
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
static void report_controls(Reader *r, guint line, guint count, gunichar first,
                            gboolean nonchars)
{
    if (r->ctrl_lines_reported >= MAX_CONTROL_REPORTS) {
        r->ctrl_unreported += count;
        r->ctrl_unreported_lines++;
        return;
    }
    r->ctrl_lines_reported++;
    if (count == 1)
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line, "dropped %s U+%04X",
                        nonchars ? "noncharacter" : "control character", first);
    else
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                        "dropped %u control characters%s (the first U+%04X)", count,
                        nonchars ? " or noncharacters" : "", first);
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
        report_controls(r, line, dropped, first, nonchars);
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
    if (r->ctrl_unreported > 0)
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, 0,
                        "dropped %" G_GUINT64_FORMAT " more control characters on %"
                        G_GUINT64_FORMAT " more lines", r->ctrl_unreported,
                        r->ctrl_unreported_lines);
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
    };
    read_lines(&r, t, n);
    g_string_free(r.para, TRUE);
    g_array_free(r.marks, TRUE);
    g_string_free(r.scratch, TRUE);
    g_ptr_array_free(r.given_up, TRUE);
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
