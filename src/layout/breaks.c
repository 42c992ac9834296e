/* breaks.c — where a paragraph's lines may break: UAX #14 as Pango gives it, tailored for
 * Chinese, Japanese and Korean text (CLReq, JLReq), plus hyphenation points and emergency
 * breaks.
 *
 *  - kinsoku: closing punctuation never starts a line, opening punctuation never ends one,
 *    also across a space;
 *  - LB19a (Unicode 15.1, newer than Pango 1.50): a quotation mark beside East Asian text
 *    breaks as a CJK bracket does;
 *  - hyphenation points (libhyphen, hyphen.c) only in Latin words of 5 to 100 letters that
 *    are not technical tokens (URLs, paths, options, anything with digits) and have no
 *    inner capital;
 *  - emergency breaks before every cluster of a run with no break that is wider than the
 *    measure, so no line must overflow it.
 *
 * Invariants:
 *  1. A break kind is set only before a cluster start (mandatory breaks aside), so a line
 *     never splits a cluster (para.h, invariant 3).
 *  2. Only the characters' break kinds change: no character is added, removed or moved.
 */
#include "para.h"

#include <string.h>


/* Whether c is in the 0-terminated list `set`. */
static gboolean in_set(gunichar c, const gunichar *set)
{
    for (; *set != 0; set++)
        if (*set == c)
            return TRUE;
    return FALSE;
}

/* Marks that must not start a line (CLReq 3.1.7, JIS X 4051 cl-02..07). */
static gboolean is_no_start(gunichar c)
{
    static const gunichar set[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300D, 0x300F,
        0x300B, 0x3009, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0xFF5D, 0xFF3D, 0xFF60,
        0x201D, 0x2019, 0xFF05, 0x2026, 0x2025, 0x30FB, 0x30FC, 0x3005, 0xFF0E, 0x00B7,
        0x301C, 0xFF5E, 0x2014, 0x3063, 0x30C3, 0
    };
    return in_set(c, set);
}

/* Marks that must not end a line. */
static gboolean is_no_end(gunichar c)
{
    static const gunichar set[] = {
        0xFF08, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A,
        0xFF5B, 0xFF3B, 0xFF5F, 0x201C, 0x2018, 0
    };
    return in_set(c, set);
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
        imp__is_cjkish((ImpCharKind)p->chars[i].kind) && !is_no_start(ch))
        return TRUE; /* after a closing one that CJK text follows */
    return FALSE;
}

/* Break kinds from Pango's log attributes, tailored by kinsoku and LB19a. */
void imp__para_find_breaks(ImpPara *p, const char *lang)
{
    PangoLogAttr *la = g_new0(PangoLogAttr, p->n + 1);
    pango_get_log_attrs(p->text, (int)p->len, -1, pango_language_from_string(lang), la,
                        (int)p->n + 1);
    for (guint i = 1; i < p->n; i++) {
        ImpChar *c = &p->chars[i];
        gunichar ch = g_utf8_get_char(p->text + c->off);
        gunichar prev = g_utf8_get_char(p->text + p->chars[i - 1].off);
        if (la[i].is_mandatory_break)
            c->brk = IMP__BREAK_FORCED;
        else if (c->cluster_start &&
                 ((la[i].is_line_break && !is_no_start(ch) && !is_no_end(prev)) ||
                  cjk_quote_break(p, i, prev, ch)))
            c->brk = IMP__BREAK_LINE;
        /* kinsoku also holds across a space: no "“ " at a line end... */
        if (c->brk == IMP__BREAK_LINE && c->kind != IMP__KIND_SPACE && i >= 2 &&
            p->chars[i - 1].kind == IMP__KIND_SPACE && is_no_end(prev))
            c->brk = IMP__BREAK_NONE;
    }
    g_free(la);
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
    last->technical = TRUE;
    if (g_utf8_get_char(p->text + p->chars[a].off) == '-')
        return TRUE;
    for (guint i = a; i < b; i++) {
        gunichar c = g_utf8_get_char(p->text + p->chars[i].off);
        if (c == '/' || c == '@' || c == '\\' || c == '_' || c == '=' || g_unichar_isdigit(c) ||
            (c == '.' && i + 1 < b && p->chars[i + 1].kind == IMP__KIND_LATIN))
            return TRUE;
    }
    last->technical = FALSE;
    return FALSE;
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

