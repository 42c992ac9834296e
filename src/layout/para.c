/* para.c — one paragraph, shaped once and set into lines by imprint's own rules.
 *
 * Pango itemises and shapes the paragraph and gives the break opportunities (UAX #14 via
 * its log attributes); everything after that is ours:
 *
 *  - shaping in pieces where the input is hostile: an item over 64 KiB is cut (at a space
 *    where it can be), and a run of more than 30 combining marks after every 30 (UAX #15's
 *    stream-safe limit), which keeps HarfBuzz's buffers and time in bounds (split_item);
 *
 *  - kinsoku: closing punctuation never starts a line, opening punctuation never ends one;
 *  - punctuation compression: in a run of full-width CJK punctuation, the blank half of a
 *    closing mark before another mark, or of an opening mark after another, is removed;
 *  - the item list for the breaker: word spaces become glue that stretches and shrinks,
 *    CJK characters get zero-width glue between them (inter-character justification),
 *    Han–Latin boundaries get a gap of han_latin_gap em (a space in the source there becomes
 *    that gap, not gap + space), and a word longer than the measure gets emergency breaks
 *    at every character;
 *  - hyphenation as in TeX: the paragraph is first broken without hyphens; only when that
 *    fails within the tolerance are hyphenation points found (flagged penalties) and the
 *    paragraph broken again, so most paragraphs never consult a dictionary;
 *  - Knuth–Plass breaking (breaker.c) and then justification: each line's adjustment ratio
 *    turns every glue into a final width, and the difference is added to the advance of the
 *    glyph before it, so the text itself (and the PDF text layer) gains no characters;
 *  - compact lines: each line is packed into one allocation (see ImpGlyphLine) whose runs
 *    share the paragraph's run styles by reference, and the paragraph's Pango items and
 *    glyph strings are freed before returning.
 *
 * Invariants:
 *  1. The lines' byte ranges tile [0, len): no character is lost or repeated. Spaces at a
 *     break stay at the end of the line before it, hanging past the measure.
 *  2. Breaks fall only on cluster boundaries, so a glyph never straddles two lines (a run
 *     of marks cut into pieces has a cluster boundary between pieces).
 *  3. No state outside the arguments is touched but the PangoContext's caches, so
 *     paragraphs may be set on several threads with one context per thread.
 *  4. Cost is linear in the paragraph's length: shaping, the node list and the breaker are
 *     all single passes (at most two breaker runs), and lines copy their glyphs out once.
 *  5. A line's glyphs, clusters and extras reproduce the shaped glyph string exactly
 *     (imp_glyph_line_fill_run), so drawing from the compact form changes no output byte.
 */
#include "layout-private.h"

#include <math.h>
#include <string.h>

#include "breaker.h"

typedef enum {
    K_OTHER,
    K_SPACE,      /* breakable white space */
    K_CJK,        /* Han, kana, hangul */
    K_CJK_PUNCT,  /* CJK and full-width punctuation */
    K_LATIN       /* Latin, Greek, Cyrillic letters and digits */
} Kind;

typedef enum {
    B_NONE,
    B_LINE,       /* an ordinary break opportunity before this character */
    B_HYPHEN,     /* a hyphenation point */
    B_EMERGENCY,  /* inside a word too long for the measure */
    B_FORCED      /* a mandatory break (after a line separator) */
} BreakKind;

/* One character of the paragraph, in 16 bytes (a paragraph may have 16 million). */
typedef struct {
    guint32 off;         /* byte offset */
    gint32 glyph;        /* last glyph of the cluster starting here, in run `run`; -1 */
    float adv;           /* advance of the cluster starting here, points; 0 inside one */
    guint32 run : 24;    /* glyph item holding the character (fewer runs than characters,
                            and an input has at most 16 MiB: see IMP_FILE_MAX) */
    guint32 kind : 3;    /* Kind */
    guint32 brk : 3;     /* BreakKind before this character */
    guint32 cluster_start : 1;
} Char;

typedef struct {
    const char *text;
    gsize len;
    const ImpParaSpec *spec;
    guint n;             /* characters */
    Char *chars;
    GPtrArray *runs;     /* PangoGlyphItem*: the shaped paragraph, logical order */
    GPtrArray *styles;   /* ImpRunStyle*: one per run (a reference each) */
    GArray *nodes;       /* ImpBrkNode; offset = character index */
    double *hyphen_w;    /* per run: width of a hyphen in its font; < 0 until measured */
} Para;

/* ------------------------------------------------------------------------------------ */
/* Character classes                                                                    */
/* ------------------------------------------------------------------------------------ */

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

/* Closing marks whose glyph has a blank right half in Simplified Chinese fonts. */
static gboolean is_closing_half(gunichar c)
{
    return c == 0x3002 || c == 0xFF0C || c == 0x3001 || c == 0xFF0E || c == 0xFF09 ||
           c == 0x300D || c == 0x300F || c == 0x300B || c == 0x3009 || c == 0x3011 ||
           c == 0x3015 || c == 0x3017 || c == 0x201D || c == 0x2019 || c == 0xFF1B ||
           c == 0xFF1A;
}

/* Opening marks whose glyph has a blank left half. */
static gboolean is_opening_half(gunichar c)
{
    return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x300A || c == 0x3008 ||
           c == 0x3010 || c == 0x3014 || c == 0x3016 || c == 0x201C || c == 0x2018;
}

/* The kind of character c (see Kind). */
static Kind kind_of(gunichar c)
{
    if (c == ' ' || c == '\t' || c == 0x3000 ||
        (g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR && c != 0x00A0 && c != 0x202F &&
         c != 0x2007))
        return K_SPACE;
    switch (imp__char_class(c)) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_KANA:
    case IMP__CLASS_HANGUL:
        return K_CJK;
    case IMP__CLASS_CJK_PUNCT:
        return K_CJK_PUNCT;
    case IMP__CLASS_LATIN:
        return g_unichar_isalnum(c) ? K_LATIN : K_OTHER;
    default:
        return K_OTHER;
    }
}

/* Whether a character of kind k is set as CJK text. */
static gboolean is_cjkish(Kind k)
{
    return k == K_CJK || k == K_CJK_PUNCT;
}

/* ------------------------------------------------------------------------------------ */
/* Shaping                                                                              */
/* ------------------------------------------------------------------------------------ */

/* The most combining marks in a row that are shaped together: UAX #15's stream-safe limit,
 * which no text in any language reaches. HarfBuzz's time grows with the square of a
 * cluster's length (each mark looks back past the ones before it for its base), so a letter
 * carrying 100,000 accents took 40 s; cut into pieces of 30, it takes a blink. */
#define MAX_MARK_RUN 30

/* The longest item shaped in one piece, in bytes. Pango keeps the HarfBuzz buffer of the
 * longest text it has shaped (about 40 bytes a character) for the life of the thread, and
 * a 10 MB line needed 400 MB of it, so longer items are cut, at a space where there is one
 * in the last CHUNK_SLACK bytes. No real paragraph has an item this long, so ordinary text
 * is shaped exactly as before. */
#define CHUNK_BYTES 65536
#define CHUNK_SLACK 4096

/* Whether c continues a cluster as a mark: a non-starter (combining class > 0, the marks of
 * UAX #15) or a mark of class 0 (Indic vowel signs, which HarfBuzz treats alike). */
static gboolean is_mark(gunichar c)
{
    return g_unichar_combining_class(c) != 0 || g_unichar_ismark(c);
}

/* Whether c joins the characters around it into one cluster or one ligature: a mark, a
 * joiner, a variation selector, an emoji modifier, a tag, a regional indicator or a Hangul
 * jamo. An item is cut before a character only when neither it nor the one before is such. */
static gboolean is_joining(gunichar c)
{
    return is_mark(c) || c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
           (c >= 0xE0000 && c <= 0xE01EF) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           (c >= 0x1F1E6 && c <= 0x1F1FF) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF);
}

/* Cuts the first `ci - first` characters (starting at character `first`) off `*item` as a
 * new item appended to `out`; *item keeps the rest. */
static void cut_item(const Para *p, PangoItem *item, guint first, guint ci, GPtrArray *out)
{
    int bytes = (int)(p->chars[ci].off - p->chars[first].off);
    g_ptr_array_add(out, pango_item_split(item, bytes, (int)(ci - first)));
}

/* Splits item (taking it), whose characters start at index *ci, into the items that are
 * shaped apart, appended to `out`, and advances *ci past it: a run of more than MAX_MARK_RUN
 * marks is cut after every MAX_MARK_RUN of them, as if UAX #15's Stream-Safe Text Format had
 * put a CGJ there, but without adding a character, so the text and the PDF text layer stay
 * the input (the marks of a later piece lose their attachment to the base and sit where the
 * pen is); and an item longer than CHUNK_BYTES is cut into pieces about that long. */
static void split_item(const Para *p, PangoItem *item, guint *ci, GPtrArray *out)
{
    guint32 end = (guint32)(item->offset + item->length);
    guint first = *ci;        /* first character of what is left of item */
    guint space = 0, safe = 0; /* the latest cuts after a space, between plain characters */
    guint marks = 0;
    gunichar prev = 0;
    guint i = *ci;
    for (; i < p->n && p->chars[i].off < end; i++) {
        gunichar c = g_utf8_get_char(p->text + p->chars[i].off);
        marks = is_mark(c) ? marks + 1 : 0;
        if (marks > MAX_MARK_RUN) {
            cut_item(p, item, first, i, out);
            first = i;
            marks = 1;
        } else if (p->chars[i].off - p->chars[first].off >= CHUNK_BYTES) {
            guint at = space > first && p->chars[i].off - p->chars[space].off < CHUNK_SLACK
                           ? space
                           : safe > first ? safe : 0;
            if (at == 0 && p->chars[i].off - p->chars[first].off >= 2 * CHUNK_BYTES)
                at = i; /* nothing but joining characters: cut anyway */
            if (at != 0) {
                cut_item(p, item, first, at, out);
                first = at;
            }
        }
        if (i > first && !is_joining(c) && !is_joining(prev))
            safe = i;
        if (i > first && prev == ' ' && c != ' ')
            space = i;
        prev = c;
    }
    g_ptr_array_add(out, item);
    *ci = i;
}

/* Whether a glyph is one no font has, for a character that is drawn; see layout.h. */
gboolean imp_glyph_is_missing(PangoGlyph glyph)
{
    gunichar c = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    return (glyph & PANGO_GLYPH_UNKNOWN_FLAG) && c <= 0x10FFFF && !g_unichar_iscntrl(c) &&
           !g_unichar_isspace(c);
}

/* Gives the glyphs of gs that no font has (imp_glyph_is_missing) the advance of
 * font's .notdef glyph, which render draws in their place (with the character in the text
 * layer), instead of the width of the hex box Pango measured them as: drawn in a wider
 * space, the boxes would stand apart and text extraction would see a space between them. */
static void fit_unknown_glyphs(PangoGlyphString *gs, PangoFont *font)
{
    int notdef = -1;
    for (int g = 0; g < gs->num_glyphs; g++) {
        if (!imp_glyph_is_missing(gs->glyphs[g].glyph) || font == NULL)
            continue;
        if (notdef < 0) {
            PangoRectangle logical;
            pango_font_get_glyph_extents(font, 0, NULL, &logical);
            notdef = MAX(logical.width, 0);
        }
        gs->glyphs[g].geometry.width = notdef;
    }
}

/* Itemises and shapes the paragraph, filling the runs and each character's advance,
 * run and last glyph. */
static void shape(Para *p, PangoContext *ctx, PangoAttrList *attrs)
{
    GList *list = pango_itemize(ctx, p->text, 0, (int)p->len, attrs, NULL);
    GPtrArray *items = g_ptr_array_new();
    guint ci = 0;
    for (GList *l = list; l != NULL; l = l->next)
        split_item(p, l->data, &ci, items);
    g_list_free(list);
    ci = 0; /* character index at the start of the current item */
    for (guint k = 0; k < items->len; k++) {
        PangoItem *item = items->pdata[k];
        PangoGlyphString *gs = pango_glyph_string_new();
        pango_shape_with_flags(p->text + item->offset, item->length, p->text, (int)p->len,
                               &item->analysis, gs, PANGO_SHAPE_NONE);
        fit_unknown_glyphs(gs, item->analysis.font);
        PangoGlyphItem *gi = g_slice_new(PangoGlyphItem);
        gi->item = item;
        gi->glyphs = gs;
        gi->y_offset = 0;
        gi->start_x_offset = 0;
        gi->end_x_offset = 0;
        guint32 run = p->runs->len;
        g_assert(run < 1u << 24); /* fits Char.run */
        g_ptr_array_add(p->runs, gi);
        g_ptr_array_add(p->styles, imp__run_style_new(item));
        /* characters of this item: their offsets are already filled */
        guint first = ci;
        while (ci < p->n && p->chars[ci].off < (guint32)(item->offset + item->length)) {
            p->chars[ci].run = run;
            ci++;
        }
        /* glyphs to characters: a glyph's cluster starts at byte log_clusters[g] */
        for (int g = 0; g < gs->num_glyphs; g++) {
            guint32 off = (guint32)(item->offset + gs->log_clusters[g]);
            /* binary search the character at off within [first, ci) */
            guint lo = first, hi = ci;
            while (lo + 1 < hi) {
                guint mid = (lo + hi) / 2;
                if (p->chars[mid].off <= off)
                    lo = mid;
                else
                    hi = mid;
            }
            Char *c = &p->chars[lo];
            c->cluster_start = TRUE;
            c->adv += (float)gs->glyphs[g].geometry.width / PANGO_SCALE;
            if (c->glyph < 0 || !(item->analysis.level & 1))
                c->glyph = g; /* LTR: the last glyph of the cluster; RTL: the first */
        }
    }
    g_ptr_array_free(items, TRUE); /* the items now belong to the runs */
}

/* ------------------------------------------------------------------------------------ */
/* Break opportunities                                                                  */
/* ------------------------------------------------------------------------------------ */

/* Whether a line may break before character i (prev, ch: it and the one before) by
 * Unicode 15.1's rule LB19a, which Pango 1.50's line breaking predates: a quotation mark
 * beside East Asian text breaks as a CJK bracket does. Without it a Chinese sentence that
 * quotes “site:debian.org”，“site:wiki.debian.org” is one unbreakable run from the last
 * break before the first mark to the first after the last, and the line before it is
 * stretched across the measure. */
static gboolean cjk_quote_break(const Para *p, guint i, gunichar prev, gunichar ch)
{
    if ((ch == 0x201C || ch == 0x2018) && is_cjkish((Kind)p->chars[i - 1].kind) &&
        !is_no_end(prev))
        return TRUE; /* before an opening quotation mark that follows CJK text */
    if ((prev == 0x201D || prev == 0x2019) && is_cjkish((Kind)p->chars[i].kind) &&
        !is_no_start(ch))
        return TRUE; /* after a closing one that CJK text follows */
    return FALSE;
}

/* Break kinds from Pango's log attributes, tailored by kinsoku and LB19a. */
static void find_breaks(Para *p, const char *lang)
{
    PangoLogAttr *la = g_new0(PangoLogAttr, p->n + 1);
    pango_get_log_attrs(p->text, (int)p->len, -1, pango_language_from_string(lang), la,
                        (int)p->n + 1);
    for (guint i = 1; i < p->n; i++) {
        Char *c = &p->chars[i];
        gunichar ch = g_utf8_get_char(p->text + c->off);
        gunichar prev = g_utf8_get_char(p->text + p->chars[i - 1].off);
        if (la[i].is_mandatory_break)
            c->brk = B_FORCED;
        else if (c->cluster_start &&
                 ((la[i].is_line_break && !is_no_start(ch) && !is_no_end(prev)) ||
                  cjk_quote_break(p, i, prev, ch)))
            c->brk = B_LINE;
        /* kinsoku also holds across a space: no "“ " at a line end... */
        if (c->brk == B_LINE && c->kind != K_SPACE && i >= 2 &&
            p->chars[i - 1].kind == K_SPACE && is_no_end(prev))
            c->brk = B_NONE;
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
static gboolean token_is_technical(const Para *p, guint a, guint b, Token *last)
{
    if (a >= last->a && b <= last->b)
        return last->technical;
#define IN_TOKEN(i) (p->chars[i].kind != K_SPACE && !is_cjkish((Kind)p->chars[i].kind))
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
            (c == '.' && i + 1 < b && p->chars[i + 1].kind == K_LATIN))
            return TRUE;
    }
    last->technical = FALSE;
    return FALSE;
}

/* Whether the word [a, b) has a capital after its first letter (an acronym, a name in
 * code): such words are not hyphenated. */
static gboolean word_has_inner_capital(const Para *p, guint a, guint b)
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
static guint find_hyphens(Para *p)
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
        if (p->chars[i].kind != K_LATIN || !g_unichar_isalpha(c)) {
            i++;
            continue;
        }
        guint j = i;
        while (j < p->n && p->chars[j].kind == K_LATIN &&
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
                    if (points[k] && p->chars[i + k].brk == B_NONE &&
                        p->chars[i + k].cluster_start) {
                        p->chars[i + k].brk = B_HYPHEN;
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
static void find_emergency_breaks(Para *p, double measure)
{
    guint seg = 0;
    double w = 0;
    for (guint i = 0; i <= p->n; i++) {
        gboolean boundary = i == p->n || p->chars[i].kind == K_SPACE ||
                            (p->chars[i].brk != B_NONE && p->chars[i].brk != B_HYPHEN);
        if (boundary) {
            if (w > measure)
                for (guint k = seg + 1; k < i; k++)
                    if (p->chars[k].cluster_start && p->chars[k].brk == B_NONE)
                        p->chars[k].brk = B_EMERGENCY;
            seg = i;
            w = 0;
            if (i < p->n && p->chars[i].kind == K_SPACE)
                seg = i + 1;
        }
        if (i < p->n && p->chars[i].kind != K_SPACE)
            w += p->chars[i].adv;
    }
}

/* ------------------------------------------------------------------------------------ */
/* Punctuation compression                                                              */
/* ------------------------------------------------------------------------------------ */

/* Removes the blank half of full-width marks in runs of CJK punctuation (CLReq 3.1.6.1):
 * a closing mark followed by another mark loses its right half, an opening mark preceded
 * by another mark loses its left half. Glyph advances and the characters' widths change. */
static void compress_punctuation(Para *p)
{
    double em = p->spec->size;
    for (guint i = 1; i < p->n; i++) {
        Char *a = &p->chars[i - 1], *b = &p->chars[i];
        if (a->glyph < 0 || b->glyph < 0 || a->adv < 0.9 * em || b->adv < 0.9 * em)
            continue;
        gunichar ca = g_utf8_get_char(p->text + a->off);
        gunichar cb = g_utf8_get_char(p->text + b->off);
        gboolean a_close = is_closing_half(ca), b_close = is_closing_half(cb);
        gboolean a_open = is_opening_half(ca), b_open = is_opening_half(cb);
        int half = (int)(em / 2 * PANGO_SCALE);
        if (a_close && (b_close || b_open)) {
            PangoGlyphItem *gi = p->runs->pdata[a->run];
            gi->glyphs->glyphs[a->glyph].geometry.width -= half;
            a->adv -= (float)(em / 2);
        } else if (a_open && b_open) {
            PangoGlyphItem *gi = p->runs->pdata[b->run];
            gi->glyphs->glyphs[b->glyph].geometry.width -= half;
            gi->glyphs->glyphs[b->glyph].geometry.x_offset -= half;
            b->adv -= (float)(em / 2);
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* Items for the breaker                                                                */
/* ------------------------------------------------------------------------------------ */

/* Appends a node at character ch: a box or glue (width, stretch, shrink) or a penalty
 * (width, penalty); the values a type has no use for are ignored (they share memory). */
static void push(Para *p, ImpBrkType type, double width, double stretch, double shrink,
                 double penalty, guint ch)
{
    ImpBrkNode nd = { 0 };
    nd.type = (guint8)type;
    nd.width = width;
    if (type == IMP__BRK_PENALTY) {
        nd.penalty = penalty;
    } else {
        nd.stretch = stretch;
        nd.shrink = shrink;
    }
    nd.offset = ch;
    g_array_append_val(p->nodes, nd);
}

static ImpBrkNode *last_node(Para *p)
{
    return p->nodes->len ? &g_array_index(p->nodes, ImpBrkNode, p->nodes->len - 1) : NULL;
}

/* The width of a hyphen in the font of run `run`, shaped once per run. */
static double hyphen_width(Para *p, guint32 run)
{
    if (p->hyphen_w[run] < 0) {
        PangoGlyphItem *gi = p->runs->pdata[run];
        PangoGlyphString *gs = pango_glyph_string_new();
        pango_shape_with_flags("-", 1, "-", 1, &gi->item->analysis, gs, PANGO_SHAPE_NONE);
        p->hyphen_w[run] = pango_glyph_string_get_width(gs) / (double)PANGO_SCALE;
        pango_glyph_string_free(gs);
    }
    return p->hyphen_w[run];
}


/* Whether characters of kinds a and b meet at a Han–Latin boundary. */
static gboolean han_latin(Kind a, Kind b)
{
    return (a == K_CJK && b == K_LATIN) || (a == K_LATIN && b == K_CJK);
}

/* Builds the box/glue/penalty list (see the file comment). A node's offset is the index of
 * the character it starts at; for glue, the character whose advance gets its adjustment. */
static void build_nodes(Para *p)
{
    const ImpParaSpec *s = p->spec;
    double em = s->size;
    double gap = s->han_latin_gap * em;
    double gap_shrink = MAX(0, gap - em / 8);
    double space_stretch = s->max_stretch * em / 3; /* tolerance 3 = max_stretch */
    double cjk_stretch = s->max_stretch * em / 6;
    p->nodes = g_array_sized_new(FALSE, FALSE, sizeof(ImpBrkNode), p->n + 2);
    int prev_solid = -1; /* last non-space character */
    for (guint i = 0; i < p->n; i++) {
        Char *c = &p->chars[i];
        if (i > 0 && c->brk == B_FORCED) {
            ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1, .offset = i - 1 };
            g_array_append_val(p->nodes, fil);
            push(p, IMP__BRK_PENALTY, 0, 0, 0, -IMP__BRK_INF, i);
            prev_solid = -1;
        }
        if (c->kind == K_SPACE) {
            gboolean first = i == 0 || p->chars[i - 1].kind != K_SPACE;
            guint j = i;
            while (j < p->n && p->chars[j].kind == K_SPACE)
                j++;
            gboolean legal = j == p->n || p->chars[j].brk == B_LINE;
            if (first && !legal)
                push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
            Kind before = prev_solid >= 0 ? p->chars[prev_solid].kind : K_OTHER;
            Kind after = j < p->n ? p->chars[j].kind : K_OTHER;
            gunichar ch = g_utf8_get_char(p->text + c->off);
            if (first && han_latin(before, after))
                push(p, IMP__BRK_GLUE, gap, gap, gap_shrink, 0, i);
            else if (ch == 0x3000)
                push(p, IMP__BRK_GLUE, c->adv, cjk_stretch, 0, 0, i);
            else if (first)
                push(p, IMP__BRK_GLUE, c->adv, space_stretch, c->adv / 3, 0, i);
            else
                push(p, IMP__BRK_GLUE, c->adv, 0, 0, 0, i); /* more spaces: kept as they are */
            continue;
        }
        if (i > 0 && p->chars[i - 1].kind != K_SPACE && c->brk != B_FORCED) {
            Kind a = p->chars[i - 1].kind;
            gboolean legal = c->brk == B_LINE || c->brk == B_EMERGENCY;
            if (han_latin(a, c->kind)) {
                if (!legal)
                    push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
                push(p, IMP__BRK_GLUE, gap, gap, gap_shrink, 0, i - 1);
            } else if (is_cjkish(a) && is_cjkish(c->kind) && c->cluster_start) {
                if (!legal)
                    push(p, IMP__BRK_PENALTY, 0, 0, 0, IMP__BRK_INF, i);
                push(p, IMP__BRK_GLUE, 0, cjk_stretch, 0, 0, i - 1);
            } else if (c->brk == B_LINE) {
                push(p, IMP__BRK_PENALTY, 0, 0, 0, 0, i);
            } else if (c->brk == B_HYPHEN) {
                push(p, IMP__BRK_PENALTY, hyphen_width(p, p->chars[i - 1].run), 0, 0, 50, i);
                last_node(p)->flagged = TRUE;
            } else if (c->brk == B_EMERGENCY) {
                /* a box with a break before it: one node where a penalty and a box were
                   two, for every character of a word longer than the line */
                push(p, IMP__BRK_BOX, c->adv, 0, 0, 0, i);
                last_node(p)->break_before = TRUE;
                last_node(p)->penalty = 5000;
                prev_solid = (int)i;
                continue;
            }
        }
        ImpBrkNode *ln = last_node(p);
        if (ln != NULL && ln->type == IMP__BRK_BOX)
            ln->width += c->adv;
        else
            push(p, IMP__BRK_BOX, c->adv, 0, 0, 0, i);
        prev_solid = (int)i;
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1, .offset = p->n ? p->n - 1 : 0 };
    g_array_append_val(p->nodes, fil);
    push(p, IMP__BRK_PENALTY, 0, 0, 0, -IMP__BRK_INF, p->n);
}

/* ------------------------------------------------------------------------------------ */
/* Lines                                                                                */
/* ------------------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------------------ */
/* Run styles                                                                           */
/* ------------------------------------------------------------------------------------ */

/* A style for a shaped item; see layout-private.h. */
ImpRunStyle *imp__run_style_new(const PangoItem *item)
{
    ImpRunStyle *rs = g_new0(ImpRunStyle, 1);
    rs->analysis = item->analysis;
    rs->analysis.extra_attrs = NULL;
    if (rs->analysis.font != NULL)
        g_object_ref(rs->analysis.font);
    for (GSList *l = item->analysis.extra_attrs; l != NULL; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((const PangoAttrColor *)a)->color;
            rs->color = (guint32)(c->red >> 8) << 16 | (guint32)(c->green >> 8) << 8 |
                        (guint32)(c->blue >> 8);
        } else if (a->klass->type == PANGO_ATTR_UNDERLINE) {
            rs->underline = ((const PangoAttrInt *)a)->value != PANGO_UNDERLINE_NONE;
        }
    }
    rs->ref = 1;
    return rs;
}

const ImpRunStyle *imp__run_style_ref(const ImpRunStyle *rs)
{
    g_atomic_int_inc(&((ImpRunStyle *)rs)->ref);
    return rs;
}

void imp__run_style_unref(const ImpRunStyle *rs)
{
    if (rs == NULL || !g_atomic_int_dec_and_test(&((ImpRunStyle *)rs)->ref))
        return;
    if (rs->analysis.font != NULL)
        g_object_unref(rs->analysis.font);
    g_free((ImpRunStyle *)rs);
}

/* Equality for interning: every field that changes how a run is drawn. */
gboolean imp__run_style_equal(gconstpointer a, gconstpointer b)
{
    const ImpRunStyle *x = a, *y = b;
    return x->analysis.font == y->analysis.font && x->analysis.level == y->analysis.level &&
           x->analysis.gravity == y->analysis.gravity &&
           x->analysis.flags == y->analysis.flags && x->analysis.script == y->analysis.script &&
           x->analysis.language == y->analysis.language && x->color == y->color &&
           x->underline == y->underline;
}

guint imp__run_style_hash(gconstpointer a)
{
    const ImpRunStyle *x = a;
    return g_direct_hash(x->analysis.font) ^ (guint)x->analysis.script * 31u ^
           g_direct_hash(x->analysis.language) ^ x->color ^ (guint)x->analysis.level << 24;
}

/* ------------------------------------------------------------------------------------ */
/* Compact lines                                                                        */
/* ------------------------------------------------------------------------------------ */

/* Glyphs [g0, g1) (in logical order) of run `run` that a line holds: bytes [from, to). */
typedef struct {
    guint run;
    gsize from, to;
    int g0, g1;
} Slice;

/* The slice of run gi whose clusters lie in bytes [start, end) of the text. Clusters are
 * monotonic in a run, so they are one slice; it is found by bisection, since a linear scan
 * would be quadratic over many lines of one run. */
static void find_slice(const PangoGlyphItem *gi, gsize start, gsize end, Slice *sl)
{
    const PangoGlyphString *gs = gi->glyphs;
    int rel_start = (int)start - gi->item->offset, rel_end = (int)end - gi->item->offset;
    gboolean rtl = gi->item->analysis.level & 1;
    int bound[2];
    int want[2] = { rel_start, rel_end };
    for (int w = 0; w < 2; w++) {
        int lo = 0, hi = gs->num_glyphs; /* first glyph (logical order) with cluster >= x */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            int lc = gs->log_clusters[rtl ? gs->num_glyphs - 1 - mid : mid];
            if (lc < want[w])
                lo = mid + 1;
            else
                hi = mid;
        }
        bound[w] = lo;
    }
    sl->from = start;
    sl->to = end;
    sl->g0 = bound[0];
    sl->g1 = MAX(bound[1], bound[0]);
}

/* Whether glyph info gi needs an ImpGlyphExtra: an id or advance that 16 bits do not hold,
 * an offset, a colour glyph, or a cluster start other than the one implied by the
 * clusters. */
static gboolean needs_extra(const PangoGlyphInfo *gi, gboolean implied_start)
{
    return gi->glyph >= IMP_GLYPH_IN_EXTRA || gi->geometry.width <= IMP_WIDTH_IN_EXTRA ||
           gi->geometry.width > G_MAXINT16 || gi->geometry.x_offset != 0 ||
           gi->geometry.y_offset != 0 || gi->attr.is_color ||
           (gboolean)gi->attr.is_cluster_start != implied_start;
}

#define ALIGN8(n) (((n) + 7) & ~(gsize)7)

/* Packs the slices of one line into a new ImpParaLine (one allocation; see layout.h). */
static ImpParaLine *pack_line(const Para *p, const Slice *sl, guint n_slices)
{
    guint n_glyphs = 0, n_extra = 0;
    gboolean wide = FALSE;
    for (guint k = 0; k < n_slices; k++) {
        const PangoGlyphItem *gi = p->runs->pdata[sl[k].run];
        const PangoGlyphString *gs = gi->glyphs;
        gboolean rtl = gi->item->analysis.level & 1;
        int n = sl[k].g1 - sl[k].g0;
        int prev = -1;
        for (int j = 0; j < n; j++) {
            int src = rtl ? gs->num_glyphs - sl[k].g1 + j : sl[k].g0 + j;
            if (needs_extra(&gs->glyphs[src], gs->log_clusters[src] != prev))
                n_extra++;
            prev = gs->log_clusters[src];
        }
        n_glyphs += (guint)n;
        wide = wide || sl[k].to - sl[k].from > G_MAXUINT16;
    }
    gsize off_runs = ALIGN8(sizeof(ImpParaLine));
    gsize off_glyphs = off_runs + ALIGN8(n_slices * sizeof(ImpGlyphRun));
    gsize off_extra = off_glyphs + ALIGN8(n_glyphs * sizeof(ImpGlyph));
    gsize off_clusters = off_extra + ALIGN8(n_extra * sizeof(ImpGlyphExtra));
    gsize size = off_clusters + n_glyphs * (wide ? sizeof(guint32) : sizeof(guint16));
    char *block = g_malloc0(size);
    ImpParaLine *pl = (ImpParaLine *)(gpointer)block;
    ImpGlyphRun *runs = (ImpGlyphRun *)(gpointer)(block + off_runs);
    ImpGlyph *glyphs = (ImpGlyph *)(gpointer)(block + off_glyphs);
    ImpGlyphExtra *extra = (ImpGlyphExtra *)(gpointer)(block + off_extra);
    guint16 *c16 = wide ? NULL : (guint16 *)(gpointer)(block + off_clusters);
    guint32 *c32 = wide ? (guint32 *)(gpointer)(block + off_clusters) : NULL;
    pl->line.text = p->text;
    pl->line.n_runs = n_slices;
    pl->line.runs = runs;
    pl->line.glyphs = glyphs;
    pl->line.clusters16 = c16;
    pl->line.clusters32 = c32;
    pl->line.n_extra = n_extra;
    pl->line.extra = extra;
    guint g = 0, e = 0;
    for (guint k = 0; k < n_slices; k++) {
        const PangoGlyphItem *gi = p->runs->pdata[sl[k].run];
        const PangoGlyphString *gs = gi->glyphs;
        gboolean rtl = gi->item->analysis.level & 1;
        int rel_start = (int)sl[k].from - gi->item->offset;
        int n = sl[k].g1 - sl[k].g0;
        ImpGlyphRun *r = &runs[k];
        r->style = imp__run_style_ref(p->styles->pdata[sl[k].run]);
        r->offset = (guint32)sl[k].from;
        r->length = (guint32)(sl[k].to - sl[k].from);
        r->num_chars = (guint32)g_utf8_strlen(p->text + sl[k].from, (gssize)r->length);
        r->first_glyph = g;
        r->n_glyphs = (guint32)n;
        int prev = -1;
        for (int j = 0; j < n; j++, g++) {
            int src = rtl ? gs->num_glyphs - sl[k].g1 + j : sl[k].g0 + j;
            const PangoGlyphInfo *info = &gs->glyphs[src];
            guint32 cl = (guint32)(gs->log_clusters[src] - rel_start);
            if (wide)
                c32[g] = cl;
            else
                c16[g] = (guint16)cl;
            if (needs_extra(info, gs->log_clusters[src] != prev)) {
                glyphs[g].glyph = IMP_GLYPH_IN_EXTRA;
                glyphs[g].width = IMP_WIDTH_IN_EXTRA;
                extra[e].index = g;
                extra[e].glyph = info->glyph;
                extra[e].width = info->geometry.width;
                extra[e].x_offset = info->geometry.x_offset;
                extra[e].y_offset = info->geometry.y_offset;
                extra[e].attr = info->attr;
                e++;
            }
            else {
                glyphs[g].glyph = (guint16)info->glyph;
                glyphs[g].width = (gint16)info->geometry.width;
            }
            prev = gs->log_clusters[src];
        }
    }
    return pl;
}

/* Fills a Pango item and glyph string from run k of a line; see layout.h. */
void imp_glyph_line_fill_run(const ImpGlyphLine *line, guint k, PangoItem *item,
                             PangoGlyphString *glyphs)
{
    g_return_if_fail(line != NULL && k < line->n_runs && item != NULL && glyphs != NULL);
    const ImpGlyphRun *r = &line->runs[k];
    item->offset = (int)r->offset;
    item->length = (int)r->length;
    item->num_chars = (int)r->num_chars;
    item->analysis = r->style->analysis;
    pango_glyph_string_set_size(glyphs, (gint)r->n_glyphs);
    /* the extras are sorted: bisect for the first one of this run (a scan from the start
       was quadratic on a line of many runs with offsets, such as pieces of marks) */
    guint e = 0, hi = line->n_extra;
    while (e < hi) {
        guint mid = e + (hi - e) / 2;
        if (line->extra[mid].index < r->first_glyph)
            e = mid + 1;
        else
            hi = mid;
    }
    guint32 prev = G_MAXUINT32;
    for (guint j = 0; j < r->n_glyphs; j++) {
        guint g = r->first_glyph + j;
        guint32 cl = line->clusters16 ? line->clusters16[g] : line->clusters32[g];
        PangoGlyphInfo *info = &glyphs->glyphs[j];
        info->glyph = line->glyphs[g].glyph;
        info->geometry.width = line->glyphs[g].width;
        info->geometry.x_offset = 0;
        info->geometry.y_offset = 0;
        info->attr.is_cluster_start = cl != prev;
        info->attr.is_color = 0;
        if (e < line->n_extra && line->extra[e].index == g) {
            info->glyph = line->extra[e].glyph;
            info->geometry.width = line->extra[e].width;
            info->geometry.x_offset = line->extra[e].x_offset;
            info->geometry.y_offset = line->extra[e].y_offset;
            info->attr = line->extra[e].attr;
            e++;
        }
        glyphs->log_clusters[j] = (int)cl;
        prev = cl;
    }
}

/* Run k as a new glyph item; see layout.h. */
PangoGlyphItem *imp_glyph_line_dup_run(const ImpGlyphLine *line, guint k)
{
    g_return_val_if_fail(line != NULL && k < line->n_runs, NULL);
    PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);
    gi->item = pango_item_new();
    gi->glyphs = pango_glyph_string_new();
    imp_glyph_line_fill_run(line, k, gi->item, gi->glyphs);
    if (gi->item->analysis.font != NULL)
        g_object_ref(gi->item->analysis.font);
    return gi;
}

/* Frees one set line and the references it holds; see layout-private.h. */
void imp__para_line_free(gpointer data)
{
    ImpParaLine *pl = data;
    if (pl == NULL)
        return;
    for (guint k = 0; k < pl->line.n_runs; k++)
        imp__run_style_unref(pl->line.runs[k].style);
    if (pl->line.hyphen != NULL)
        pango_glyph_string_free(pl->line.hyphen);
    imp__run_style_unref(pl->line.hyphen_style);
    g_free(pl);
}

static void glyph_item_free(gpointer gi)
{
    pango_glyph_item_free(gi);
}

/* The final width of glue nd in a line set with ratio r. */
static double glue_width(const ImpBrkNode *nd, double r)
{
    return nd->width + (r > 0 ? r * nd->stretch : r * nd->shrink);
}

/* Applies the breaker's lines: final glue widths into the glyph advances, then the glyphs
 * copied out per line, positioned for the alignment. */
static GPtrArray *make_lines(Para *p, GArray *brk)
{
    const ImpParaSpec *s = p->spec;
    const ImpBrkNode *nodes = (const ImpBrkNode *)(gpointer)p->nodes->data;
    GPtrArray *out = g_ptr_array_new_with_free_func(imp__para_line_free);
    gsize *starts = g_new(gsize, brk->len + 1);
    double *widths = g_new(double, brk->len);
    double *stretch = g_new0(double, brk->len);
    for (guint k = 0; k < brk->len; k++) {
        const ImpBrkLine *bl = &g_array_index(brk, ImpBrkLine, k);
        starts[k] = k == 0 ? 0 : p->chars[MIN(nodes[bl->start].offset, p->n - 1)].off;
        if (k > 0 && nodes[bl->start].offset >= p->n)
            starts[k] = p->len;
        gboolean last = bl->forced;
        double r = bl->ratio;
        if (!isfinite(r))
            r = r < 0 ? -1 : 0;
        if (r < -1)
            r = -1;
        if (last || s->align != IMP_ALIGN_JUSTIFY)
            r = MIN(r, 0);
        double w = 0;
        for (guint i = bl->start; i < bl->end; i++) {
            const ImpBrkNode *nd = &nodes[i];
            if (nd->type == IMP__BRK_BOX) {
                w += nd->width;
            } else if (nd->type == IMP__BRK_GLUE && nd->fil == 0) {
                double fw = glue_width(nd, r);
                w += fw;
                Char *c = &p->chars[nd->offset];
                double delta = fw - (c->kind == K_SPACE ? c->adv : 0);
                if (delta != 0 && c->glyph >= 0) {
                    PangoGlyphItem *gi = p->runs->pdata[c->run];
                    gi->glyphs->glyphs[c->glyph].geometry.width +=
                        (int)lround(delta * PANGO_SCALE);
                }
                if (c->kind == K_SPACE && r > 0 && nd->stretch > 0)
                    stretch[k] = MAX(stretch[k], (fw - nd->width) / s->size);
            }
        }
        if (bl->hyphen)
            w += nodes[bl->end].width;
        widths[k] = w;
    }
    starts[brk->len] = p->len;
    /* the characters and nodes are done with: free them before the lines are made */
    g_array_unref(p->nodes);
    p->nodes = NULL;
    g_clear_pointer(&p->chars, g_free);

    guint run = 0;
    Slice *slices = g_new(Slice, MAX(p->runs->len, 1));
    for (guint k = 0; k < brk->len; k++) {
        const ImpBrkLine *bl = &g_array_index(brk, ImpBrkLine, k);
        gsize start = starts[k], end = starts[k + 1];
        guint n_slices = 0;
        while (run < p->runs->len) {
            PangoGlyphItem *gi = p->runs->pdata[run];
            gsize a = (gsize)gi->item->offset, b = a + (gsize)gi->item->length;
            gsize from = MAX(a, start), to = MIN(b, end);
            if (from < to) {
                slices[n_slices].run = run;
                find_slice(gi, from, to, &slices[n_slices]);
                n_slices++;
            }
            if (b <= end)
                run++;
            else
                break;
        }
        ImpParaLine *pl = pack_line(p, slices, n_slices);
        pl->start = start;
        pl->end = end;
        pl->overfull = bl->overfull;
        pl->stretch_em = stretch[k];
        if (bl->hyphen && n_slices > 0) {
            const ImpRunStyle *hs = p->styles->pdata[slices[n_slices - 1].run];
            pl->line.hyphen = pango_glyph_string_new();
            pango_shape_with_flags("-", 1, "-", 1, &hs->analysis, pl->line.hyphen,
                                   PANGO_SHAPE_NONE);
            pl->line.hyphen_style = imp__run_style_ref(hs);
        }
        double measure = s->width;
        double x = 0;
        if (k == 0 && s->indent > 0)
            x = s->indent, measure -= s->indent;
        else if (k > 0 && s->indent < 0)
            x = -s->indent, measure += s->indent;
        if (s->align == IMP_ALIGN_RIGHT)
            x += measure - widths[k];
        else if (s->align == IMP_ALIGN_CENTER)
            x += (measure - widths[k]) / 2;
        pl->x = x;
        g_ptr_array_add(out, pl);
    }
    g_free(slices);
    g_free(starts);
    g_free(widths);
    g_free(stretch);
    return out;
}

/* ------------------------------------------------------------------------------------ */
/* Entry point                                                                          */
/* ------------------------------------------------------------------------------------ */

/* The largest adjustment ratio accepted when a paragraph is first tried without hyphens
 * (TeX's \pretolerance of 100, badness 100 being a ratio of 1): a paragraph whose spaces
 * would stretch further than that is set again with hyphenation points, which gives evener
 * spacing. A looser first pass (3, the full tolerance) spared loading the dictionary for
 * the speech (38 M instructions) but left visibly loose, rivered paragraphs. */
#define PRETOLERANCE 1.0

/* Sets a paragraph; see layout-private.h. */
GPtrArray *imp__para_set(PangoContext *ctx, const char *text, gsize len, PangoAttrList *attrs,
                         const ImpParaSpec *spec)
{
    g_return_val_if_fail(ctx != NULL && text != NULL && spec != NULL, NULL);
    Para p = { 0 };
    p.text = text;
    p.len = len;
    p.spec = spec;
    p.n = (guint)g_utf8_strlen(text, (gssize)len);
    p.chars = g_new0(Char, p.n + 1);
    guint i = 0;
    for (const char *q = text; q < text + len; q = g_utf8_next_char(q), i++) {
        p.chars[i].off = (guint32)(q - text);
        p.chars[i].glyph = -1;
        p.chars[i].kind = (guint8)kind_of(g_utf8_get_char(q));
    }
    p.runs = g_ptr_array_new_with_free_func(glyph_item_free);
    p.styles = g_ptr_array_new_with_free_func((GDestroyNotify)imp__run_style_unref);
    shape(&p, ctx, attrs);

    double first = spec->width - MAX(spec->indent, 0);
    double rest = spec->width + MIN(spec->indent, 0);
    find_breaks(&p, spec->lang);
    compress_punctuation(&p);
    find_emergency_breaks(&p, MIN(first, rest));
    p.hyphen_w = g_new(double, MAX(p.runs->len, 1));
    for (guint r = 0; r < p.runs->len; r++)
        p.hyphen_w[r] = -1;
    build_nodes(&p);

    ImpBrkParams bp;
    imp__break_params_init(&bp, first, rest);
    bp.tolerance = PRETOLERANCE;
    bp.emergency_tolerance = 10;
    GArray *brk = NULL;
    gboolean hyphenate = spec->hyphenate && spec->hyphenator != NULL;
    if (hyphenate) {
        /* TeX's first pass: without hyphens, within a tighter tolerance */
        bp.first_pass_only = TRUE;
        brk = imp__break_paragraph((const ImpBrkNode *)(gpointer)p.nodes->data,
                                   p.nodes->len, &bp);
        bp.first_pass_only = FALSE;
    }
    bp.tolerance = 3;
    if (brk == NULL && hyphenate) {
        /* the second: hyphenation points, and emergency breaks found again around them
           (the nodes stay as they are when no word has a point) */
        for (guint k = 0; k < p.n; k++)
            if (p.chars[k].brk == B_EMERGENCY)
                p.chars[k].brk = B_NONE;
        guint found = find_hyphens(&p);
        find_emergency_breaks(&p, MIN(first, rest));
        if (found > 0) {
            g_array_unref(p.nodes);
            build_nodes(&p);
        }
    }
    if (brk == NULL)
        brk = imp__break_paragraph((const ImpBrkNode *)(gpointer)p.nodes->data,
                                   p.nodes->len, &bp);
    GPtrArray *lines = make_lines(&p, brk);

    g_array_unref(brk);
    g_ptr_array_free(p.runs, TRUE);
    g_ptr_array_free(p.styles, TRUE);
    g_free(p.chars);
    g_free(p.hyphen_w);
    return lines;
}
