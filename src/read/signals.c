/* signals.c — what a line or a paragraph of plain text looks like: the recognisers behind
 * the text reader's structure signals (text.c decides what to make of them). Each one
 * looks at trimmed UTF-8 text and says yes or no; none changes or keeps anything.
 *
 * The signals, as README.md documents them:
 *   section numbers   "1.", "1.2", "1.2.3.", "A.1", "IV.", "第三章", "第 2 节", "제1장",
 *                     "一、", "（一）", "Chapter 4", "Section 2.1", "Part II", "Appendix A";
 *   heading text      short, not ending in sentence punctuation;
 *   underlines        a line of '=' (level 1) or '-' (level 2), three or more;
 *   capitals          a man page's section name: "NAME", "SEE ALSO";
 *   list markers      "-", "*", "+", "•", "◦", "‣", "1.", "1)", "(1)", "(a)", "a)", "1.2.";
 *   options           "-v", "--verbose", "-a, --all" at the start of a line;
 *   prompts           "$ cmd", "# cmd", "% cmd", "user@host:~$ cmd", ">>> ", "C:\> ";
 *   boxes             box-drawing characters, or ASCII "+---+" borders with "|" rows;
 *   columns           runs of two or more spaces at the same column in most lines;
 *   prose             a paragraph that ends in sentence punctuation, or starts with a
 *                     capital or CJK letter and holds none of the characters code is made of;
 *   bare URLs         http://, https://, ftp://, mailto:, www. up to white space or a
 *                     character a URL cannot hold, less trailing punctuation.
 *
 * Invariants:
 *  1. Every recogniser is linear in its input and allocates nothing but a column table
 *     of bounded size.
 *  2. A recogniser never reads outside s[0..len).
 */
#include "read-private.h"

#include <string.h>

/* Longest heading, in characters. */
#define HEADING_MAX_CHARS 100
/* Longest man-page section name or line of capitals, in characters. */
#define CAPITALS_MAX_CHARS 60
/* Columns looked at for aligned columns. */
#define MAX_COLUMNS 256

static gboolean starts_with(const char *s, gsize len, const char *prefix)
{
    gsize n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static gboolean is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Digits at s[i..): their count (at most max; 0 when there are none or more). */
static gsize digits(const char *s, gsize len, gsize i, gsize max)
{
    gsize k = i;
    while (k < len && is_digit(s[k]))
        k++;
    return k - i > max ? 0 : k - i;
}

/* White space at s[i..), in bytes: spaces, tabs, U+00A0 (a document converted from HTML
 * puts one after a section number) and U+3000. */
static gsize blanks(const char *s, gsize len, gsize i)
{
    gsize k = i;
    for (;;) {
        if (k < len && (s[k] == ' ' || s[k] == '\t'))
            k++;
        else if (k + 1 < len && (guchar)s[k] == 0xC2 && (guchar)s[k + 1] == 0xA0)
            k += 2;
        else if (k + 2 < len && (guchar)s[k] == 0xE3 && (guchar)s[k + 1] == 0x80 &&
                 (guchar)s[k + 2] == 0x80)
            k += 3;
        else
            return k - i;
    }
}

/* Whether s[i..) starts with one of the UTF-8 strings in `set` (NULL-terminated); sets *n to
 * its length. */
static gboolean one_of(const char *s, gsize len, gsize i, const char *const *set, gsize *n)
{
    for (const char *const *p = set; *p != NULL; p++) {
        gsize k = strlen(*p);
        if (len - i >= k && memcmp(s + i, *p, k) == 0) {
            *n = k;
            return TRUE;
        }
    }
    return FALSE;
}

/* Chinese numerals, for 第三章 and 一、. */
static const char *const cjk_numerals[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "零", "〇", "两",
    NULL
};

/* Chinese numerals or ASCII digits at s[i..), with spaces around (第 1 章): the length. */
static gsize cjk_number(const char *s, gsize len, gsize i)
{
    gsize k = i + blanks(s, len, i), n, start;
    start = k;
    while (k < len) {
        if (is_digit(s[k]))
            k++;
        else if (one_of(s, len, k, cjk_numerals, &n))
            k += n;
        else
            break;
    }
    if (k == start || k - start > 30)
        return 0;
    return k + blanks(s, len, k) - i;
}

/* ------------------------------------------------------------------------------------
 * Headings
 * ------------------------------------------------------------------------------------ */

/* Words that number sections, and the level of their sections. */
static const struct {
    const char *word;
    guint level;
} words[] = {
    { "Part", 1 }, { "PART", 1 }, { "Chapter", 1 }, { "CHAPTER", 1 },
    { "Appendix", 1 }, { "APPENDIX", 1 }, { "Section", 2 }, { "SECTION", 2 },
    { "附录", 1 }, { "附錄", 1 }, { "付録", 1 },
};

/* The level of the section number s starts with (0: none); see the file's opening
 * comment. *strong is set for numbers no list would use (several levels, 第…章, Chapter,
 * 一、): a heading with one may end in '?' and wrap. *num_len is the number's length. */
guint imp__signal_section_number(const char *s, gsize len, gboolean *strong, gsize *num_len)
{
    gsize i = 0, n;
    *strong = FALSE;
    *num_len = 0;
    if (len == 0)
        return 0;
    guchar c0 = (guchar)s[0];
    if (c0 < 0x80 && !is_digit(s[0]) && !(c0 >= 'A' && c0 <= 'Z'))
        return 0; /* most lines: no number can start here */
    /* 1장. 2절 (Korean: the number, then the unit) */
    if (is_digit(s[0])) {
        static const char *const ko1[] = { "장", "편", "부", NULL };
        static const char *const ko2[] = { "절", NULL };
        gsize d = digits(s, len, 0, 3);
        guint level = d == 0 || d >= len || (guchar)s[d] < 0x80 ? 0
                    : one_of(s, len, d, ko1, &n) ? 1 : one_of(s, len, d, ko2, &n) ? 2 : 0;
        if (level > 0) {
            i = d + n;
            if (i < len && s[i] == '.')
                i++;
            if (blanks(s, len, i) > 0 && i + blanks(s, len, i) < len) {
                *strong = TRUE;
                *num_len = i;
                return level;
            }
        }
    }
    /* 1. / 1.2 / 1.2.3. / A.1 / A. */
    if (is_digit(s[0]) || (s[0] >= 'A' && s[0] <= 'Z' && len > 1 && s[1] == '.')) {
        guint depth = 1;
        i = is_digit(s[0]) ? digits(s, len, 0, 3) : 1;
        if (i == 0)
            return 0;
        gboolean dot = FALSE;
        while (i < len && s[i] == '.') {
            gsize d = digits(s, len, i + 1, 3);
            if (d == 0) {
                dot = TRUE;
                i++;
                break;
            }
            depth++;
            i += 1 + d;
        }
        if (depth == 1 && !dot)
            return 0; /* "1 apple", "3 Introduction": not a section number */
        gsize b = blanks(s, len, i);
        if (b == 0 || i + b >= len)
            return 0;
        if (!dot && g_ascii_islower(s[i + b]))
            return 0; /* "1.5 million": a decimal */
        *strong = depth > 1;
        *num_len = i;
        return MIN(depth, 6);
    }
    /* IV. Roman numerals */
    if (strchr("IVX", s[0]) != NULL) {
        while (i < len && i < 6 && strchr("IVX", s[i]) != NULL)
            i++;
        if (i < len && s[i] == '.' && blanks(s, len, i + 1) > 0 &&
            i + 1 + blanks(s, len, i + 1) < len) {
            *num_len = i + 1;
            return 1;
        }
        return 0;
    }
    if (c0 < 0x80)
        goto words;
    /* 第三章 第 2 节 第1節 */
    static const char *const cjk_units1[] = { "篇", "部", "编", "編", "卷", "章", NULL };
    static const char *const cjk_units2[] = { "节", "節", NULL };
    static const char *const cjk_units3[] = { "条", "條", "款", NULL };
    if (starts_with(s, len, "第")) {
        i = strlen("第");
        gsize k = cjk_number(s, len, i);
        if (k == 0)
            return 0;
        i += k;
        guint level = one_of(s, len, i, cjk_units1, &n) ? 1
                    : one_of(s, len, i, cjk_units2, &n) ? 2
                    : one_of(s, len, i, cjk_units3, &n) ? 3 : 0;
        if (level > 0) {
            *strong = TRUE;
            *num_len = i + n;
        }
        return level;
    }
    /* 제1장 제 2 절 (Korean) */
    if (starts_with(s, len, "제")) {
        i = strlen("제");
        i += blanks(s, len, i);
        gsize d = digits(s, len, i, 3);
        if (d == 0)
            return 0;
        i += d;
        i += blanks(s, len, i);
        static const char *const ko1[] = { "편", "부", "장", NULL };
        static const char *const ko2[] = { "절", NULL };
        guint level = one_of(s, len, i, ko1, &n) ? 1 : one_of(s, len, i, ko2, &n) ? 2 : 0;
        if (level > 0) {
            *strong = TRUE;
            *num_len = i + n;
        }
        return level;
    }
    /* 一、 and （一） */
    gsize k = 0;
    while (one_of(s, len, k, cjk_numerals, &n))
        k += n;
    if (k > 0 && starts_with(s + k, len - k, "、") && k + strlen("、") < len) {
        *strong = TRUE;
        *num_len = k + strlen("、");
        return 1;
    }
    if (starts_with(s, len, "（")) {
        i = strlen("（");
        k = i;
        while (one_of(s, len, k, cjk_numerals, &n))
            k += n;
        if (k > i && starts_with(s + k, len - k, "）") && k + strlen("）") < len) {
            *strong = TRUE;
            *num_len = k + strlen("）");
            return 2;
        }
        return 0;
    }
words:
    /* Chapter 4, Section 2.1, Part II, Appendix A */
    for (gsize w = 0; w < G_N_ELEMENTS(words); w++) {
        if (words[w].word[0] != s[0])
            continue;
        gsize wl = strlen(words[w].word);
        if (!starts_with(s, len, words[w].word) || blanks(s, len, wl) == 0)
            continue;
        i = wl + blanks(s, len, wl);
        if (i >= len)
            return 0;
        gsize start = i;
        guint depth = 1;
        if (is_digit(s[i])) {
            i += digits(s, len, i, 3);
            while (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
                i += 1 + digits(s, len, i + 1, 3);
                depth++;
            }
        } else {
            while (i < len && i - start < 6 &&
                   (strchr("IVXLC", s[i]) != NULL || (i == start && s[i] >= 'A' && s[i] <= 'Z')))
                i++;
        }
        if (i == start || (i < len && s[i] != '.' && s[i] != ':' && blanks(s, len, i) == 0))
            return 0;
        if (i < len && (s[i] == '.' || s[i] == ':'))
            i++;
        *strong = TRUE;
        *num_len = i;
        return MIN(words[w].level + (words[w].level == 2 ? depth - 1 : 0), 6);
    }
    return 0;
}

/* Whether c ends a sentence or a clause: a line ending in it is not a heading ('?' only
 * when `question_ok` is FALSE). */
static gboolean sentence_end(gunichar c, gboolean question_ok)
{
    switch (c) {
    case '.': case ',': case ';': case ':': case '!':
    case 0x3002: case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0x3001:
    case 0xFF0E: case 0xFF61:
        return TRUE;
    case '?': case 0xFF1F:
        return !question_ok;
    default:
        return FALSE;
    }
}

/* Whether a heading candidate's text is short and does not end like a sentence. */
gboolean imp__signal_heading_text(const char *s, gsize len, gboolean question_ok)
{
    if (len == 0 || len > 4 * HEADING_MAX_CHARS || g_utf8_strlen(s, (gssize)len) > HEADING_MAX_CHARS)
        return FALSE;
    const char *last = g_utf8_find_prev_char(s, s + len);
    return !sentence_end(g_utf8_get_char(last), question_ok);
}

/* A heading's underline: 1 for "===", 2 for "---" (three or more, nothing else, no wider
 * than twice the longest heading), else 0. */
guint imp__signal_underline(const char *s, gsize len)
{
    if (len < 3 || len > 2 * HEADING_MAX_CHARS || (s[0] != '=' && s[0] != '-'))
        return 0;
    for (gsize i = 1; i < len; i++)
        if (s[i] != s[0])
            return 0;
    return s[0] == '=' ? 1 : 2;
}

/* A man page's section name in capitals ("NAME", "SEE ALSO", "EXIT STATUS"): two or more
 * capital letters, with digits, spaces and -&/(), between, nothing else. */
gboolean imp__signal_capitals(const char *s, gsize len)
{
    guint letters = 0;
    if (len == 0 || len > CAPITALS_MAX_CHARS || !(s[0] >= 'A' && s[0] <= 'Z'))
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            letters++;
        else if (!is_digit(c) && strchr(" -&/(),", c) == NULL)
            return FALSE;
        if (c == ' ' && i + 1 < len && s[i + 1] == ' ')
            return FALSE;
    }
    return letters >= 2;
}

/* The first line of a man page as man(1) renders it: "LS(1)   User Commands   LS(1)". */
gboolean imp__signal_man_header(const char *s, gsize len)
{
    /* the first and the last word are NAME(SECTION) */
    gsize a = 0;
    while (a < len && s[a] != ' ' && s[a] != '\t')
        a++;
    gsize b = len;
    while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t')
        b--;
    if (a == len || b == 0 || a > 64 || len - b > 64)
        return FALSE;
    for (int k = 0; k < 2; k++) {
        const char *w = k == 0 ? s : s + b;
        gsize n = k == 0 ? a : len - b;
        const char *open = memchr(w, '(', n);
        if (open == NULL || open == w || w[n - 1] != ')' || open + 1 >= w + n - 1 ||
            !is_digit(open[1]))
            return FALSE;
    }
    return a == len - b && memcmp(s, s + b, a) == 0;
}

/* ------------------------------------------------------------------------------------
 * Lists and options
 * ------------------------------------------------------------------------------------ */

/* The list marker s starts with: returns the length of the marker and the white space
 * after it (0: none), the marker's own length in *marker_len; *ordered for numbers and
 * letters. A marker is followed by white space and text. */
gsize imp__signal_list_marker(const char *s, gsize len, gsize *marker_len, gboolean *ordered)
{
    static const char *const bullets[] = { "-", "*", "+", "\u2022", "\u25E6", "\u2023",
                                           "\u00B7", NULL };
    gsize i = 0, n;
    *ordered = FALSE;
    guchar c0 = len > 0 ? (guchar)s[0] : 0;
    if (!(c0 == '-' || c0 == '*' || c0 == '+' || c0 == '(' || c0 == 0xC2 || c0 == 0xE2 ||
          c0 == 0xEF || is_digit(s[0]) || (c0 >= 'a' && c0 <= 'z')))
        return 0; /* most lines: no marker can start here */
    if (one_of(s, len, 0, bullets, &n)) {
        i = n;
    } else if (len > 0 && is_digit(s[0])) {
        i = digits(s, len, 0, 3);
        while (i + 1 < len && s[i] == '.' && is_digit(s[i + 1]) && digits(s, len, i + 1, 3))
            i += 1 + digits(s, len, i + 1, 3);
        if (i == 0 || i >= len || (s[i] != '.' && s[i] != ')'))
            return 0;
        i++;
        *ordered = TRUE;
    } else if (len > 2 && s[0] == '(') {
        gsize d = digits(s, len, 1, 3);
        if (d == 0 && s[1] >= 'a' && s[1] <= 'z')
            d = 1;
        if (d == 0 || 1 + d >= len || s[1 + d] != ')')
            return 0;
        i = d + 2;
        *ordered = TRUE;
    } else if (starts_with(s, len, "\uFF08")) { /* （1） */
        gsize o = strlen("\uFF08"), d = digits(s, len, o, 3);
        if (d == 0 || !starts_with(s + o + d, len - o - d, "\uFF09"))
            return 0;
        i = o + d + strlen("\uFF09");
        *ordered = TRUE;
        *marker_len = i;
        return i < len ? i + blanks(s, len, i) : 0; /* full-width: no space needed */
    } else if (len > 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] == ')') {
        i = 2;
        *ordered = TRUE;
    } else {
        return 0;
    }
    gsize b = blanks(s, len, i);
    if (b == 0 || i + b >= len)
        return 0;
    *marker_len = i;
    return i + b;
}

/* An option term at the start of a man page's line: "-v", "--verbose", "-a, --all",
 * "--color[=WHEN]". *term_len is the term's length: the whole line, or the part before a
 * gap of two spaces or a tab after which the description starts (at *desc, else 0). */
gboolean imp__signal_option(const char *s, gsize len, gsize *term_len, gsize *desc)
{
    *desc = 0;
    *term_len = len;
    if (len < 2 || s[0] != '-' || !(g_ascii_isalnum(s[1]) || (s[1] == '-' && len > 2 &&
                                                               g_ascii_isalnum(s[2]))))
        return FALSE;
    for (gsize i = 1; i + 1 < len; i++) {
        if (s[i] == '\t' || (s[i] == ' ' && s[i + 1] == ' ')) {
            gsize b = blanks(s, len, i);
            if (i + b < len) {
                *term_len = i;
                *desc = i + b;
            }
            break;
        }
    }
    return *term_len <= 80;
}

/* ------------------------------------------------------------------------------------
 * Preformatted text
 * ------------------------------------------------------------------------------------ */

/* Whether a line starts with a shell prompt and a command: "$ ls", "# apt-get", "% make",
 * "user@host:~$ ls", "[root@host ~]# ls", ">>> print", "C:\> dir". A prompt of '#' or '$'
 * alone needs a command that starts in lower case or with . / ~ _ (so "# Title" and
 * "$ 5" are not prompts). */
gboolean imp__signal_prompt(const char *s, gsize len)
{
    if (starts_with(s, len, ">>> ") && len > 4)
        return TRUE;
    if (len > 4 && g_ascii_isupper(s[0]) && s[1] == ':' && s[2] == '\\') {
        const char *gt = memchr(s, '>', len);
        return gt != NULL && (gsize)(gt - s) + 1 < len;
    }
    /* the prompt: its last character $ # or %, then one space */
    gsize p = 0;
    while (p < len && s[p] != ' ' && s[p] != '\t')
        p++;
    if (p == 0 || p + 1 >= len || s[p] != ' ' || strchr("$#%", s[p - 1]) == NULL)
        return FALSE;
    if (p > 1) {
        /* a word before: it must look like user@host:dir or [user@host dir] */
        gboolean host = FALSE;
        for (gsize i = 0; i + 1 < p; i++)
            host |= s[i] == '@' || s[i] == ':' || s[i] == '~' || s[i] == ']';
        if (!host && !(s[0] == '[' && memchr(s, ']', len) != NULL))
            return FALSE;
    }
    char c = s[p + 1];
    return g_ascii_islower(c) || c == '.' || c == '/' || c == '~' || c == '_';
}

/* Whether c draws boxes or tables: U+2500..U+259F. */
static gboolean is_box(gunichar c)
{
    return c >= 0x2500 && c <= 0x259F;
}

/* Whether lines draw a box: two or more lines with box-drawing characters, or an ASCII
 * border ("+----+") and a row ("| .. |"). */
gboolean imp__signal_box(const ImpTextLine *lines, guint n)
{
    guint drawn = 0, border = 0, row = 0;
    for (guint i = 0; i < n; i++) {
        const char *s = lines[i].s;
        gsize len = lines[i].len;
        for (const char *p = memchr(s, 0xE2, len); p != NULL && p + 2 < s + len;
             p = memchr(p + 1, 0xE2, (gsize)(s + len - p - 1))) {
            if (is_box(g_utf8_get_char(p))) {
                drawn++;
                break;
            }
        }
        if (len >= 3 && (s[0] == '+' || s[0] == '|') && (s[len - 1] == '+' || s[len - 1] == '|')) {
            gboolean only = TRUE;
            for (gsize k = 0; k < len && only; k++)
                only = s[k] == '+' || s[k] == '-' || s[k] == '=' || s[k] == '|';
            if (only && s[0] == '+')
                border++;
            else if (s[0] == '|')
                row++;
        }
    }
    return drawn >= 2 || (border >= 1 && row >= 1);
}

/* Display width of a character in a monospaced rendering: 2 for wide East Asian ones. */
static guint width_of(gunichar c)
{
    return g_unichar_iswide(c) ? 2 : 1;
}

/* Whether lines align columns: three or more lines, and one column that a run of two or
 * more spaces (or a tab) inside the line covers in all of them but one (all of three). */
gboolean imp__signal_columns(const ImpTextLine *lines, guint n)
{
    if (n < 3)
        return FALSE;
    guint need = n >= 4 ? n - 1 : 3;
    guint32 count[MAX_COLUMNS] = { 0 };
    guint with_gaps = 0;
    for (guint i = 0; i < n; i++) {
        const char *s = lines[i].s, *end = s + lines[i].len;
        guint col = lines[i].indent;
        gboolean any = FALSE;
        guint8 seen[MAX_COLUMNS / 8] = { 0 };
        for (const char *p = s; p < end && col < MAX_COLUMNS;) {
            if (*p == ' ' || *p == '\t') {
                const char *q = p;
                guint c0 = col;
                while (q < end && (*q == ' ' || *q == '\t')) {
                    col = *q == '\t' ? (col / 8 + 1) * 8 : col + 1;
                    q++;
                }
                if (q < end && (col - c0 >= 2 || *p == '\t')) {
                    any = TRUE;
                    for (guint c = c0; c < col && c < MAX_COLUMNS; c++)
                        if (!(seen[c / 8] & (1u << (c % 8)))) {
                            seen[c / 8] |= (guint8)(1u << (c % 8));
                            count[c]++;
                        }
                }
                p = q;
                continue;
            }
            col += width_of(g_utf8_get_char(p));
            p = g_utf8_next_char(p);
        }
        with_gaps += any;
    }
    if (with_gaps < need)
        return FALSE;
    for (guint c = 0; c < MAX_COLUMNS; c++)
        if (count[c] >= need)
            return TRUE;
    return FALSE;
}

/* Whether a paragraph reads as prose rather than code: it ends in sentence punctuation,
 * or it starts with a capital letter or a CJK or Hangul letter and holds none of the
 * characters code is written with. */
gboolean imp__signal_prose(const ImpTextLine *lines, guint n)
{
    if (n == 0)
        return TRUE;
    /* the last character, closing quotes and brackets aside */
    const ImpTextLine *last = &lines[n - 1];
    const char *e = last->s + last->len;
    while (e > last->s) {
        const char *p = g_utf8_find_prev_char(last->s, e);
        gunichar c = g_utf8_get_char(p);
        if (!(c == ')' || c == ']' || c == '"' || c == '\'' || c == 0x201D || c == 0x2019 ||
              c == 0x300D || c == 0x300F || c == 0xFF09 || c == 0x00BB)) {
            if (sentence_end(c, FALSE))
                return TRUE;
            break;
        }
        e = p;
    }
    gunichar first = g_utf8_get_char(lines[0].s);
    if (!g_unichar_isupper(first) && !imp__read_is_cjk(first) &&
        g_unichar_get_script(first) != G_UNICODE_SCRIPT_HANGUL)
        return FALSE;
    static guint8 code_char[256];
    if (!code_char['{'])
        for (const char *c = "{}[]<>=;$|&\\/_#*~`"; *c != '\0'; c++)
            code_char[(guchar)*c] = 1; /* (the same every time: no race matters) */
    for (guint i = 0; i < n; i++)
        for (gsize k = 0; k < lines[i].len; k++)
            if (code_char[(guchar)lines[i].s[k]])
                return FALSE;
    return TRUE;
}

/* The indentation most non-blank lines of t[0..n) have, in columns (tabs to 8): the body
 * text's, against which headings stand out to the left and code to the right. */
guint imp__signal_body_indent(const char *t, gsize n)
{
    guint64 hist[64] = { 0 };
    for (const char *p = t, *end = t + n; p < end;) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *e = nl != NULL ? nl : end;
        guint col = 0;
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\t')) {
            col = *q == '\t' ? (col / 8 + 1) * 8 : col + 1;
            q++;
        }
        if (q < e && *q != '\r')
            hist[MIN(col, 63)]++;
        p = e + 1;
    }
    guint best = 0;
    for (guint c = 1; c < 64; c++)
        if (hist[c] > hist[best])
            best = c;
    return best;
}

/* ------------------------------------------------------------------------------------
 * URLs
 * ------------------------------------------------------------------------------------ */

/* Whether c may stand in a bare URL: printable ASCII but space and <>"`{}|\^. */
static gboolean url_char(char c)
{
    return c > ' ' && c < 0x7F && strchr("<>\"`{}|\\^", c) == NULL;
}

/* Where a bare URL may start at or after `from`: a scheme (found back from its ':') or
 * "www."; its length in *n (of "https://", "mailto:", "www.", ...), *www for the last. Returns
 * len when there is none. *colon and *www_at remember the next ':' and "www." found
 * (G_MAXSIZE before the first scan): memchr does the scanning, so text without URLs
 * costs little. */
static gsize next_url(const char *t, gsize len, gsize from, gsize *colon, gsize *www_at,
                      gsize *n, gboolean *www)
{
    if (*colon == G_MAXSIZE || *colon < from) {
        const char *p = from < len ? memchr(t + from, ':', len - from) : NULL;
        *colon = p != NULL ? (gsize)(p - t) : len;
    }
    if (*www_at == G_MAXSIZE || *www_at < from) {
        /* "www." found by its dot: dots are rarer than w's */
        *www_at = len;
        for (const char *p = from + 3 < len ? memchr(t + from + 3, '.', len - from - 3) : NULL;
             p != NULL; p = memchr(p + 1, '.', (gsize)(t + len - p - 1))) {
            if (memcmp(p - 3, "www", 3) == 0) {
                *www_at = (gsize)(p - 3 - t);
                break;
            }
        }
    }
    static const char *const schemes[] = { "https", "http", "ftp", "mailto" };
    while (*colon < *www_at) {
        gsize c = *colon;
        for (gsize k = 0; k < G_N_ELEMENTS(schemes); k++) {
            gsize sl = strlen(schemes[k]);
            gboolean slashes = c + 2 < len && t[c + 1] == '/' && t[c + 2] == '/';
            if (c >= from + sl && memcmp(t + c - sl, schemes[k], sl) == 0 &&
                (k == 3 || slashes)) {
                *www = FALSE;
                *n = sl + (k == 3 ? 1 : 3);
                return c - sl;
            }
        }
        const char *p = c + 1 < len ? memchr(t + c + 1, ':', len - c - 1) : NULL;
        *colon = p != NULL ? (gsize)(p - t) : len;
    }
    *www = TRUE;
    *n = 4;
    return *www_at;
}

/* Adds a LINK span over each bare URL in the block's text (IMP_SIGNAL_URLS), in order. */
void imp__signal_urls(ImpBlock *b)
{
    gsize len;
    const char *t = imp_block_get_text(b, &len);
    gsize colon = G_MAXSIZE, www_at = G_MAXSIZE, from = 0, n;
    gboolean www;
    for (;;) {
        gsize i = next_url(t, len, from, &colon, &www_at, &n, &www);
        if (i >= len)
            return;
        if (i > 0 && (g_ascii_isalnum(t[i - 1]) || t[i - 1] == '/' || t[i - 1] == '.')) {
            from = i + 1; /* inside a word or a URL */
            continue;
        }
        gsize e = i + n;
        while (e < len && url_char(t[e]))
            e++;
        /* trailing punctuation is the sentence's; a ')' or ']' closes only what opened */
        gssize parens = 0, brackets = 0; /* opened less closed inside the URL */
        for (gsize k = i; k < e; k++) {
            parens += t[k] == '(' ? 1 : t[k] == ')' ? -1 : 0;
            brackets += t[k] == '[' ? 1 : t[k] == ']' ? -1 : 0;
        }
        while (e > i + n) {
            char last = t[e - 1];
            if (strchr(".,;:!?'*", last) != NULL) {
                e--;
            } else if (last == ')' && parens < 0) {
                e--;
                parens++;
            } else if (last == ']' && brackets < 0) {
                e--;
                brackets++;
            } else {
                break;
            }
        }
        if (e == i + n || (www && memchr(t + i + 4, '.', e - i - 4) == NULL)) {
            from = i + 1; /* a scheme alone, or "www." with no domain after it */
            continue;
        }
        char *href = www ? g_strdup_printf("http://%.*s", (int)(e - i), t + i)
                         : g_strndup(t + i, e - i);
        imp_block_add_span(b, i, e, IMP_SPAN_LINK, href);
        g_free(href);
        from = e;
    }
}
