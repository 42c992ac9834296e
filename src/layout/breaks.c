/* breaks.c — where a paragraph's lines may break: UAX #14 as Pango gives it, tailored for
 * Chinese, Japanese and Korean text (CLReq, JLReq, KLREQ) and for technical tokens, plus
 * hyphenation points and emergency breaks (docs/cjk-typesetting.md, part 2).
 *
 *  - kinsoku: closing punctuation never starts a line, opening punctuation never ends one,
 *    also across a space; small kana, ー, iteration marks and the CJK hyphens by the
 *    style's line-break level (strict, normal, loose: JLReq, CSS Text 3);
 *  - LB19a (Unicode 15.1, newer than Pango 1.50): a quotation mark beside East Asian text
 *    breaks as a CJK bracket does;
 *  - technical tokens: no break right after a leading - or --, nor after a hyphen of a
 *    technical token; paths and URLs break after / and before . ? # & (at a small cost);
 *  - Korean breaks at spaces (hangul-breaks=words): a word that holds Hangul is kept whole;
 *  - no one-letter last line in a paragraph with CJK letters;
 *  - hyphenation points (libhyphen, hyphen.c) only in Latin words of 5 to 100 letters that
 *    are not technical tokens (URLs, paths, options, anything with digits) and have no
 *    inner capital;
 *  - emergency breaks before every cluster of a run with no break that is wider than the
 *    measure, so no line must overflow it (which is how a Korean word too long for a line
 *    is broken between its syllables).
 *
 * Invariants:
 *  1. A break kind is set only before a cluster start (mandatory breaks aside), so a line
 *     never splits a cluster (para.h, invariant 3).
 *  2. Only the characters' break kinds change: no character is added, removed or moved.
 */
#include "para.h"

#include <string.h>


/* Whether c may not start a line at level `level` (JLReq, "characters not starting a
 * line"; CLReq 3.1.7; CSS Text 3 line-break):
 *  - never: closing brackets and quotes (cl-02), full stops and commas (cl-06, cl-07),
 *    the ellipses and dashes that may not be split (cl-08), ～ and the middle dot ·;
 *  - not at strict and normal: the middle dots and colons ・：； (cl-05), dividing
 *    punctuation ！？‼⁇⁈⁉ (cl-04), the postfixes ％‰℃°′″, and the iteration marks
 *    々〻ゝゞヽヾ (cl-09);
 *  - not at strict: small kana (cl-11), the prolonged sound mark ー (cl-10) and the CJK
 *    hyphens ‐ – 〜 ゠ (cl-03).
 * A switch, not a list: it is asked at nearly every break opportunity of every paragraph. */
static gboolean is_no_start(gunichar c, ImpLineBreak level)
{
    switch (c) {
    /* closing brackets and quotes */
    case 0xFF09: case 0x300D: case 0x300F: case 0x300B: case 0x3009: case 0x3011:
    case 0x3015: case 0x3017: case 0x3019: case 0x301B: case 0xFF5D: case 0xFF3D:
    case 0xFF60: case 0x201D: case 0x2019:
    /* full stops, commas, ellipses, dashes */
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF0E: case 0x2026: case 0x2025:
    case 0x2014: case 0xFF5E: case 0x00B7:
        return TRUE;
    /* centred punctuation and postfixes (loose lets them start a line) */
    case 0x30FB: case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: case 0x203C:
    case 0x2047: case 0x2048: case 0x2049: case 0xFF05: case 0x2030: case 0x2103:
    case 0x00B0: case 0x2032: case 0x2033:
    /* iteration marks */
    case 0x3005: case 0x303B: case 0x309D: case 0x309E: case 0x30FD: case 0x30FE:
        return level != IMP_LINE_BREAK_LOOSE;
    /* small kana, the prolonged sound mark, the CJK hyphens */
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: case 0x3063:
    case 0x3083: case 0x3085: case 0x3087: case 0x308E: case 0x3095: case 0x3096:
    case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7: case 0x30A9: case 0x30C3:
    case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: case 0x30F5: case 0x30F6:
    case 0x30FC: case 0xFF70: case 0x2010: case 0x2013: case 0x301C: case 0x30A0:
        return level == IMP_LINE_BREAK_STRICT;
    default:
        /* small katakana for Ainu, and the halfwidth small kana */
        if ((c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF67 && c <= 0xFF6F))
            return level == IMP_LINE_BREAK_STRICT;
        return FALSE;
    }
}

/* Marks that must not end a line: opening brackets and quotes (JLReq cl-01). */
static gboolean is_no_end(gunichar c)
{
    switch (c) {
    case 0xFF08: case 0x300C: case 0x300E: case 0x300A: case 0x3008: case 0x3010:
    case 0x3014: case 0x3016: case 0x3018: case 0x301A: case 0xFF5B: case 0xFF3B:
    case 0xFF5F: case 0x201C: case 0x2018:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Whether a line may break before character i (prev, ch: it and the one before) by
 * Unicode 15.1's rule LB19a, which Pango 1.50's line breaking predates: a quotation mark
 * beside East Asian text breaks as a CJK bracket does. Without it a Chinese sentence that
 * quotes “site:debian.org”，“site:wiki.debian.org” is one unbreakable run from the last
 * break before the first mark to the first after the last, and the line before it is
 * stretched across the measure. */
static gboolean cjk_quote_break(const ImpPara *p, guint i, gunichar prev, gunichar ch)
{
    if ((ch == 0x201C || ch == 0x2018) &&
        imp__is_cjkish((ImpCharKind)p->chars[i - 1].kind) && !is_no_end(prev))
        return TRUE; /* before an opening quotation mark that follows CJK text */
    if ((prev == 0x201D || prev == 0x2019) &&
        imp__is_cjkish((ImpCharKind)p->chars[i].kind) &&
        !is_no_start(ch, p->spec->line_break))
        return TRUE; /* after a closing one that CJK text follows */
    return FALSE;
}

/* Whether a line may break before character i (prev, ch: it and the one before) at a
 * level looser than strict, which UAX #14 as Pango has it does not allow: Pango treats the
 * small kana and ー (class CJ) and the iteration marks (NS) as never starting a line, as
 * strict does; normal and loose let them start one after Han or kana (CSS Text 3). */
static gboolean level_break(const ImpPara *p, guint i, gunichar prev, gunichar ch)
{
    ImpLineBreak level = p->spec->line_break;
    ImpCharKind before = (ImpCharKind)p->chars[i - 1].kind;
    return level != IMP_LINE_BREAK_STRICT && is_no_start(ch, IMP_LINE_BREAK_STRICT) &&
           !is_no_start(ch, level) &&
           (before == IMP__KIND_CJK || before == IMP__KIND_CJK_PUNCT) && !is_no_end(prev);
}

static gunichar char_at(const ImpPara *p, guint i)
{
    return g_utf8_get_char(p->text + p->chars[i].off);
}

/* Whether c is one of the ASCII characters of `set`. */
static gboolean in_ascii(gunichar c, const char *set)
{
    return c != 0 && c < 0x80 && strchr(set, (int)c) != NULL;
}

/* Whether c opens a bracket or a quotation (before a token's leading dashes). */
static gboolean is_opening(gunichar c)
{
    return in_ascii(c, "[(\"'") || is_no_end(c);
}

/* Whether technical-token character i may stand next to a break (a letter or a digit). */
static gboolean is_alnum_at(const ImpPara *p, guint i)
{
    return g_unichar_isalnum(char_at(p, i));
}

/* Whether the token [a, b) looks technical: it starts with a dash, or holds / @ \ _ = or
 * a digit, or a dot before a letter (a URL, a path, an address, an option, a file name, an
 * identifier or version). */
static gboolean is_technical(const ImpPara *p, guint a, guint b)
{
    if (char_at(p, a) == '-')
        return TRUE;
    for (guint i = a; i < b; i++) {
        gunichar c = char_at(p, i);
        if (c == '/' || c == '@' || c == '\\' || c == '_' || c == '=' || g_unichar_isdigit(c) ||
            (c == '.' && i + 1 < b && p->chars[i + 1].kind == IMP__KIND_LATIN))
            return TRUE;
    }
    return FALSE;
}

/* Tailors the breaks inside the token [a, b) (bounded by spaces and CJK text), which holds
 * a - or a /:
 *  - never right after a leading - or -- ("--│state=failed", "[-│i");
 *  - in a technical token never after a - ("users-│and-groups.html", "utf-│8"): it would
 *    read as a hyphen added;
 *  - in a path or URL (a / between letters), a break after each / (but the first of //)
 *    and before each . ? # & (Chicago's advice for URLs), none after a ?;
 *  - in a paragraph with CJK letters, a break after the hyphen of a compound ("safe-│
 *    upgrade") only when the CJK text around has no better one.
 * Breaks in paths and compounds cost a little (IMP__BREAK_TECH), so that a space or a CJK
 * break is taken first; nothing is drawn at them, so the text is not changed. */
static void tailor_token(ImpPara *p, guint a, guint b, gboolean cjk)
{
    /* leading dashes, after an opening bracket or quote */
    guint i = a;
    while (i < b && is_opening(char_at(p, i)))
        i++;
    while (i < b && char_at(p, i) == '-') {
        if (i + 1 < b && p->chars[i + 1].brk == IMP__BREAK_LINE)
            p->chars[i + 1].brk = IMP__BREAK_NONE;
        i++;
    }
    gboolean technical = is_technical(p, a, b);
    /* a path or URL: a / with a letter or digit somewhere before it and after it */
    guint first_alnum = b, last_alnum = a;
    gboolean slash = FALSE;
    for (guint k = a; k < b; k++) {
        gunichar c = char_at(p, k);
        if (g_unichar_isalnum(c)) {
            first_alnum = MIN(first_alnum, k);
            last_alnum = k;
        } else if (c == '/' && first_alnum < k) {
            slash = TRUE;
        }
    }
    gboolean path = slash && last_alnum > first_alnum;
    for (guint k = a + 1; k < b; k++) {
        ImpChar *c = &p->chars[k];
        if (!c->cluster_start || c->brk == IMP__BREAK_FORCED)
            continue;
        gunichar ch = char_at(p, k), prev = char_at(p, k - 1);
        if (path && k > first_alnum && k <= last_alnum &&
            ((prev == '/' && ch != '/') ||
             ((ch == '.' || ch == '?' || ch == '#' || ch == '&') && prev != '/' &&
              k + 1 < b && is_alnum_at(p, k + 1))))
            c->brk = IMP__BREAK_TECH;
        else if (c->brk != IMP__BREAK_LINE)
            continue;
        else if (prev == '-' && technical)
            c->brk = IMP__BREAK_NONE;
        else if (prev == '?' && path)
            c->brk = IMP__BREAK_NONE;
        else if (path || (prev == '-' && cjk))
            c->brk = IMP__BREAK_TECH;
    }
}

/* Whether character i bounds a token (a space or CJK text). */
static gboolean token_edge(const ImpPara *p, guint i)
{
    ImpCharKind k = (ImpCharKind)p->chars[i].kind;
    return k == IMP__KIND_SPACE || imp__is_cjkish(k);
}

/* Tailors the breaks of every token that holds a - or a / (see tailor_token); `cjk`: the
 * paragraph holds CJK letters. */
static void tailor_tokens(ImpPara *p, gboolean cjk)
{
    for (guint i = 0; i < p->n;) {
        if (token_edge(p, i)) {
            i++;
            continue;
        }
        guint j = i;
        gboolean mark = FALSE;
        for (; j < p->n && !token_edge(p, j); j++) {
            gunichar c = char_at(p, j);
            mark |= c == '-' || c == '/';
        }
        if (mark)
            tailor_token(p, i, j, cjk);
        i = j;
    }
}

/* Korean breaks at spaces (KLREQ, CSS's word-break: keep-all): in a word between two
 * spaces that holds Hangul ("FAQ는", "2021년", "있습니다.", "(그리고"), every break is
 * cleared but those a path or URL inside it has; a word too wide for the measure then gets
 * emergency breaks, so it is broken between syllables only when it cannot fit a line. */
static void keep_korean_words(ImpPara *p)
{
    for (guint i = 0; i < p->n;) {
        if (p->chars[i].kind == IMP__KIND_SPACE) {
            i++;
            continue;
        }
        guint j = i;
        gboolean hangul = FALSE;
        for (; j < p->n && p->chars[j].kind != IMP__KIND_SPACE &&
               (j == i || p->chars[j].brk != IMP__BREAK_FORCED);
             j++)
            hangul |= p->chars[j].kind == IMP__KIND_HANGUL;
        if (hangul)
            for (guint k = i + 1; k < j; k++)
                if (p->chars[k].brk == IMP__BREAK_LINE)
                    p->chars[k].brk = IMP__BREAK_NONE;
        i = j;
    }
}

/* No paragraph with CJK letters ends with a line of one character and its punctuation
 * (CLReq's, JLReq's and KLREQ's orphan rule: "符。", "다."): the break before the last
 * letter (or digit, or Korean word of one syllable) is cleared, so the breaker carries
 * one more character, or word, down. */
static void no_single_last_line(ImpPara *p)
{
    guint k = p->n;
    while (k > 1) {
        ImpCharKind kind = (ImpCharKind)p->chars[k - 1].kind;
        gunichar c = char_at(p, k - 1);
        if (kind == IMP__KIND_SPACE || is_no_start(c, IMP_LINE_BREAK_STRICT) ||
            in_ascii(c, ".,;:!?)]}\"'"))
            k--;
        else
            break;
    }
    if (k < 2)
        return;
    ImpChar *last = &p->chars[k - 1];
    ImpCharKind kind = (ImpCharKind)last->kind;
    if ((imp__is_cjk_letter(kind) || kind == IMP__KIND_LATIN) &&
        imp__is_text_break((ImpBreakKind)last->brk))
        last->brk = IMP__BREAK_NONE;
}

/* Break kinds from Pango's log attributes, tailored; see para.h. */
void imp__para_find_breaks(ImpPara *p, const char *lang)
{
    ImpLineBreak level = p->spec->line_break;
    PangoLogAttr *la = g_new0(PangoLogAttr, p->n + 1);
    pango_get_log_attrs(p->text, (int)p->len, -1, pango_language_from_string(lang), la,
                        (int)p->n + 1);
    gboolean cjk = p->n > 0 && imp__is_cjk_letter((ImpCharKind)p->chars[0].kind);
    gboolean tokens = FALSE; /* a - or / that the token pass must look at */
    gboolean hangul = p->n > 0 && p->chars[0].kind == IMP__KIND_HANGUL;
    for (guint i = 1; i < p->n; i++) {
        ImpChar *c = &p->chars[i];
        gunichar ch = char_at(p, i);
        gunichar prev = char_at(p, i - 1);
        cjk |= imp__is_cjk_letter((ImpCharKind)c->kind);
        hangul |= c->kind == IMP__KIND_HANGUL;
        tokens |= prev == '-' || prev == '/';
        if (la[i].is_mandatory_break)
            c->brk = IMP__BREAK_FORCED;
        else if (c->cluster_start &&
                 ((la[i].is_line_break && !is_no_start(ch, level) && !is_no_end(prev)) ||
                  cjk_quote_break(p, i, prev, ch) || level_break(p, i, prev, ch)))
            c->brk = IMP__BREAK_LINE;
        /* kinsoku also holds across a space: no "“ " at a line end... */
        if (c->brk == IMP__BREAK_LINE && c->kind != IMP__KIND_SPACE && i >= 2 &&
            p->chars[i - 1].kind == IMP__KIND_SPACE && is_no_end(prev))
            c->brk = IMP__BREAK_NONE;
    }
    g_free(la);
    if (tokens)
        tailor_tokens(p, cjk);
    if (hangul && p->spec->hangul_words)
        keep_korean_words(p);
    if (cjk)
        no_single_last_line(p);
}

/* A token (a span bounded by spaces and CJK text) and whether it looks technical. */
typedef struct {
    guint a, b;
    gboolean technical;
} Token;

/* Whether the token around [a, b) (bounded by spaces and CJK text) looks technical: a URL,
 * a path, an e-mail address, a command-line option, or something with digits. Such tokens
 * are not hyphenated. The answer for the last token is kept in *last, so the words of one
 * long token (a-b-c-...) cost one look at it, not one each. */
static gboolean token_is_technical(const ImpPara *p, guint a, guint b, Token *last)
{
    if (a >= last->a && b <= last->b)
        return last->technical;
#define IN_TOKEN(i) \
    (p->chars[i].kind != IMP__KIND_SPACE && !imp__is_cjkish((ImpCharKind)p->chars[i].kind))
    while (a > 0 && IN_TOKEN(a - 1))
        a--;
    while (b < p->n && IN_TOKEN(b))
        b++;
#undef IN_TOKEN
    last->a = a;
    last->b = b;
    last->technical = is_technical(p, a, b);
    return last->technical;
}

/* Whether the word [a, b) has a capital after its first letter (an acronym, a name in
 * code): such words are not hyphenated. */
static gboolean word_has_inner_capital(const ImpPara *p, guint a, guint b)
{
    for (guint i = a + 1; i < b; i++)
        if (g_unichar_isupper(g_utf8_get_char(p->text + p->chars[i].off)))
            return TRUE;
    return FALSE;
}

/* The longest word hyphenated, in letters. The longest words of real text (German
 * compounds, chemical names in prose) stay under 100; a longer "word" is a hash, a DNA
 * sequence or a hostile input, where hyphens mean nothing and libhyphen's buffers grow
 * with the word (a 10 MB word cost 370 MB). Such words break only where they must
 * (emergency breaks). */
#define MAX_HYPHEN_WORD 100

/* Marks hyphenation points in the Latin words of the paragraph (words of 5 to
 * MAX_HYPHEN_WORD letters, not technical, no inner capital); returns how many. */
guint imp__para_find_hyphens(ImpPara *p)
{
    const ImpParaSpec *s = p->spec;
    guint found = 0;
    if (!s->hyphenate || s->hyphenator == NULL)
        return 0;
    const char *lang = imp__hyphen_language(s->lang);
    guint8 *points = NULL;
    gsize points_size = 0;
    Token token = { 1, 0, FALSE }; /* none yet */
    for (guint i = 0; i < p->n;) {
        gunichar c = g_utf8_get_char(p->text + p->chars[i].off);
        if (p->chars[i].kind != IMP__KIND_LATIN || !g_unichar_isalpha(c)) {
            i++;
            continue;
        }
        guint j = i;
        while (j < p->n && p->chars[j].kind == IMP__KIND_LATIN &&
               g_unichar_isalpha(g_utf8_get_char(p->text + p->chars[j].off)))
            j++;
        guint n = j - i;
        if (n >= 5 && n <= MAX_HYPHEN_WORD && !token_is_technical(p, i, j, &token) &&
            !word_has_inner_capital(p, i, j)) {
            if (points_size < n + 1) {
                points_size = n + 1;
                points = g_realloc(points, points_size);
            }
            memset(points, 0, n + 1);
            gsize end = j < p->n ? p->chars[j].off : p->len;
            if (imp__hyphenator_hyphenate(s->hyphenator, lang, p->text + p->chars[i].off,
                                          end - p->chars[i].off, n, points))
                for (guint k = 1; k < n; k++)
                    if (points[k] && p->chars[i + k].brk == IMP__BREAK_NONE &&
                        p->chars[i + k].cluster_start) {
                        p->chars[i + k].brk = IMP__BREAK_HYPHEN;
                        found++;
                    }
        }
        i = j;
    }
    g_free(points);
    return found;
}

/* Gives every run of characters with no break opportunity that is wider than the measure
 * an emergency break before each of its clusters. */
void imp__para_find_emergency_breaks(ImpPara *p, double measure)
{
    guint seg = 0;
    double w = 0;
    for (guint i = 0; i <= p->n; i++) {
        gboolean boundary = i == p->n || p->chars[i].kind == IMP__KIND_SPACE ||
                            (p->chars[i].brk != IMP__BREAK_NONE &&
                             p->chars[i].brk != IMP__BREAK_HYPHEN);
        if (boundary) {
            if (w > measure)
                for (guint k = seg + 1; k < i; k++)
                    if (p->chars[k].cluster_start && p->chars[k].brk == IMP__BREAK_NONE)
                        p->chars[k].brk = IMP__BREAK_EMERGENCY;
            seg = i;
            w = 0;
            if (i < p->n && p->chars[i].kind == IMP__KIND_SPACE)
                seg = i + 1;
        }
        if (i < p->n && p->chars[i].kind != IMP__KIND_SPACE)
            w += p->chars[i].adv;
    }
}

