/* shape.c — text + role → a shaped PangoLayout.
 *
 * Every run of text gets a language and a font family list chosen by its script and by the
 * language of the text it is in, because Pango left alone picks Han glyph forms from the
 * environment's locale, and would set the curly quotes of an English sentence from a CJK
 * font as full-width glyphs. The text's language is the block's, or, inside a LANG span
 * (a quotation the document pass found to be in another language), the innermost span's;
 * a run ends where it changes. Han and CJK punctuation then follow it: in Japanese text
 * they take the Japanese face and language (JP glyph forms, no two national forms in one
 * line), in Korean the Korean, in Traditional Chinese Taiwan's (TC forms, centred
 * punctuation), elsewhere the style's lang-han (docs/cjk-typesetting.md, 2.0). Characters
 * of no script of their own (spaces, punctuation, combining marks) join the run around
 * them, so a quotation mark inside English is Latin and one inside Chinese is Han; CJK and
 * full-width punctuation always belongs to a CJK run; and the two curly quotation marks of
 * a pair take one class, from the text outside them (2.9).
 *
 * Invariants:
 *  1. The context is never changed: the role's font goes in as an attribute (or the
 *     layout's description), so one context serves every role and thread-local contexts
 *     stay alike.
 *  2. Attributes depend only on the text, its LANG spans, the role's style and the
 *     language given, so a paragraph shaped on any thread gets the same runs.
 *  3. Work is linear in the text: one pass for the runs, one more (only in a text with an
 *     opening curly quotation mark) for the pairs, and a sort of the LANG spans.
 */
#include "layout-private.h"

#include <stdlib.h>
#include <string.h>

#include "../model/lang.h"

/* The class that decides the font and language of character c. */
ImpCharClass imp__char_class(gunichar c)
{
    if (c < 0x80)
        return g_ascii_isalnum((char)c) ? IMP__CLASS_LATIN : IMP__CLASS_NEUTRAL;
    /* the prolonged sound mark and the voicing marks are Common in Unicode, but kana to a
       reader and a font: with the run around them they would take a Latin run's
       fallback face after a Latin letter */
    if (c == 0x30FC || c == 0xFF70 || c == 0x309B || c == 0x309C)
        return IMP__CLASS_KANA;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFE10 && c <= 0xFE1F))
        return IMP__CLASS_CJK_PUNCT;
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_INHERITED:
        return IMP__CLASS_NEUTRAL;
    case G_UNICODE_SCRIPT_LATIN:
    case G_UNICODE_SCRIPT_GREEK:
    case G_UNICODE_SCRIPT_CYRILLIC:
        return IMP__CLASS_LATIN;
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_BOPOMOFO:
        return IMP__CLASS_HAN;
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
        return IMP__CLASS_KANA;
    case G_UNICODE_SCRIPT_HANGUL:
        return IMP__CLASS_HANGUL;
    default:
        return IMP__CLASS_OTHER;
    }
}

/* Inserts attribute a (taking it) over the bytes [start, end). */
static void insert_range(PangoAttrList *attrs, PangoAttribute *a, guint start, guint end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(attrs, a);
}

/* The language a run of class cls is tagged with, and the family list it asks for, in
 * text of language `lang` (docs/cjk-typesetting.md, 2.0): Han and CJK punctuation follow
 * the text's language when it is Japanese, Korean or a Chinese with its script said (so a
 * Japanese line is all in JP forms, a Traditional one in Taiwan's, with its centred
 * punctuation), else the style's lang-han; kana in Japanese text and Hangul in Korean take
 * the text's tag, elsewhere the style's lang-kana and lang-hangul. */
static ImpScript run_script(const ImpDocumentStyle *ds, const char *lang, ImpLangKind kind,
                            ImpCharClass cls, const char **run_lang)
{
    switch (cls) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_CJK_PUNCT:
        switch (kind) {
        case IMP_LANG_KIND_JA:
            *run_lang = lang;
            return IMP_SCRIPT_KANA;
        case IMP_LANG_KIND_KO:
            /* hanja: Pango 1.50 holds that Korean is written in Hangul alone and would
               retag them with a language from the environment (PANGO_LANGUAGE, LANGUAGE:
               zh-cn gives Chinese forms) or "xx"; the ISO 639-2 code, of which it has no
               record, passes, and HarfBuzz maps it to the same OpenType system, KOR */
            *run_lang = "kor";
            return IMP_SCRIPT_HANGUL;
        case IMP_LANG_KIND_ZH_HANT:
            *run_lang = lang;
            return IMP_SCRIPT_HANT;
        case IMP_LANG_KIND_ZH_HANS:
            *run_lang = lang;
            return IMP_SCRIPT_HAN;
        default:
            *run_lang = ds->han_language;
            return imp_lang_kind(ds->han_language) == IMP_LANG_KIND_ZH_HANT ? IMP_SCRIPT_HANT
                                                                            : IMP_SCRIPT_HAN;
        }
    case IMP__CLASS_KANA:
        *run_lang = kind == IMP_LANG_KIND_JA ? lang : ds->kana_language;
        return IMP_SCRIPT_KANA;
    case IMP__CLASS_HANGUL:
        *run_lang = kind == IMP_LANG_KIND_KO ? lang : ds->hangul_language;
        return IMP_SCRIPT_HANGUL;
    case IMP__CLASS_OTHER:
        *run_lang = NULL;
        return IMP_SCRIPT_FALLBACK;
    default:
        *run_lang = lang;
        return IMP_SCRIPT_LATIN;
    }
}

/* Adds the family and language attributes for one run [start, end) of class cls in text
 * of language `lang` (of kind `kind`). */
static void add_run(PangoAttrList *attrs, const ImpRoleStyle *rs, const ImpDocumentStyle *ds,
                    const char *lang, ImpLangKind kind, ImpCharClass cls, guint start,
                    guint end)
{
    if (start >= end)
        return;
    const char *run_lang;
    ImpScript script = run_script(ds, lang, kind, cls, &run_lang);
    /* the script's families, then the style's fallback and Han families (see style.h) */
    insert_range(attrs, pango_attr_family_new(rs->family_chain[script]), start, end);
    if (run_lang != NULL && *run_lang != '\0')
        insert_range(attrs, pango_attr_language_new(pango_language_from_string(run_lang)),
                     start, end);
}

/* ---- languages of the text: the block's, and its LANG spans' ---- */

/* The language at each offset of a text: the innermost LANG span there, else the text's
 * own. Walked forward once (lang_walk_to), so a paragraph costs one look per span. */
typedef struct {
    const char *base;       /* the text's language */
    const ImpSpan **spans;  /* the LANG spans, by start (outer before inner at one start) */
    guint n, next;          /* how many, the next to open */
    const ImpSpan **open;   /* the spans open at the current offset, innermost last */
    guint n_open;
    const char *lang;       /* the language at the current offset */
    ImpLangKind kind;       /* ... its kind */
} LangWalk;

static int compare_span_start(gconstpointer a, gconstpointer b)
{
    const ImpSpan *x = *(const ImpSpan *const *)a, *y = *(const ImpSpan *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* the outer first */
    return x < y ? -1 : x > y;
}

/* Starts a walk over text in `lang` with the LANG spans of `block` (may be NULL). */
static void lang_walk_init(LangWalk *w, const char *lang, const ImpBlock *block)
{
    memset(w, 0, sizeof *w);
    w->base = w->lang = lang;
    w->kind = imp_lang_kind(lang);
    guint n = block != NULL ? imp_block_get_n_spans(block) : 0;
    for (guint i = 0; i < n; i++) {
        const ImpSpan *s = imp_block_get_span(block, i);
        if (!(s->flags & IMP_SPAN_LANG) || s->lang == NULL || s->end <= s->start)
            continue;
        if (w->spans == NULL) {
            w->spans = g_new(const ImpSpan *, n - i);
            w->open = g_new(const ImpSpan *, n - i);
        }
        w->spans[w->n++] = s;
    }
    if (w->n > 1)
        qsort(w->spans, w->n, sizeof *w->spans, compare_span_start);
}

static void lang_walk_clear(LangWalk *w)
{
    g_free(w->spans);
    g_free(w->open);
}

/* Moves the walk to byte `off` (never backwards); returns TRUE when the language there
 * differs from the one before. */
static gboolean lang_walk_to(LangWalk *w, gsize off)
{
    if (w->n == 0)
        return FALSE;
    const ImpSpan *top = w->n_open > 0 ? w->open[w->n_open - 1] : NULL;
    /* spans that ended; one that ended under a later one goes when that one does */
    while (w->n_open > 0 && w->open[w->n_open - 1]->end <= off)
        w->n_open--;
    while (w->next < w->n && w->spans[w->next]->start <= off) {
        const ImpSpan *s = w->spans[w->next++];
        if (s->end > off)
            w->open[w->n_open++] = s;
    }
    const ImpSpan *now = w->n_open > 0 ? w->open[w->n_open - 1] : NULL;
    if (now == top)
        return FALSE;
    const char *lang = now != NULL ? now->lang : w->base;
    if (lang == w->lang || g_strcmp0(lang, w->lang) == 0)
        return FALSE;
    w->lang = lang;
    w->kind = imp_lang_kind(lang);
    return TRUE;
}

/* ---- quotation marks: a pair in one face ---- */

/* A quotation mark whose class is decided by its pair (see find_quote_pairs). */
typedef struct {
    guint off;
    ImpCharClass cls;
} ForcedMark;

static int compare_mark_off(gconstpointer a, gconstpointer b)
{
    const ForcedMark *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Whether the text holds an opening curly quotation mark (“ or ‘), which the pairing
 * needs; a quick byte scan, so most paragraphs skip it. */
static gboolean has_opening_quote(const char *text, gsize len)
{
    const char *p = text, *end = text + len;
    while ((p = memchr(p, 0xE2, (gsize)(end - p))) != NULL && end - p >= 3) {
        if ((guchar)p[1] == 0x80 && ((guchar)p[2] == 0x9C || (guchar)p[2] == 0x98))
            return TRUE;
        p++;
    }
    return FALSE;
}

/* The class a pair of marks takes from the strong character `side` beside it: a CJK one
 * makes both marks CJK (full-width in Chinese), a Latin one both Latin; another script
 * (or none) leaves them to the run around them (IMP__CLASS_NEUTRAL). */
static ImpCharClass pair_class(ImpCharClass side)
{
    switch (side) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_KANA:
    case IMP__CLASS_HANGUL:
    case IMP__CLASS_LATIN:
        return side;
    case IMP__CLASS_CJK_PUNCT:
        return IMP__CLASS_HAN;
    default:
        return IMP__CLASS_NEUTRAL;
    }
}

/* Pairs the curly quotation marks of the text (“…”, ‘…’; a ’ between two letters is an
 * apostrophe) and gives both marks of a pair one class: that of the first strong character
 * before the opening mark, or when there is none, of the first after the closing one
 * (CLReq: bracket marks are set in pairs). So “/tmp”这样 has two full-width marks, not a
 * full-width “ and a narrow ”. An unpaired mark keeps the run it falls in. Each kind of
 * mark has a stack of its own, so a closing mark finds its opening one in one step,
 * however the two kinds nest (a linear scan down one stack was quadratic on a line of
 * opening marks and closing ones of the other kind). Returns the marks by offset
 * (transfer full; NULL when there are none). */
static GArray *find_quote_pairs(const char *text, gsize len)
{
    if (!has_opening_quote(text, len))
        return NULL;
    typedef struct {
        guint off;
        ImpCharClass before; /* the last strong class before it */
    } Open;
    GArray *stack[2] = { g_array_new(FALSE, FALSE, sizeof(Open)),   /* “ */
                         g_array_new(FALSE, FALSE, sizeof(Open)) }; /* ‘ */
    GArray *marks = g_array_new(FALSE, FALSE, sizeof(ForcedMark));
    GArray *pending = g_array_new(FALSE, FALSE, sizeof(guint)); /* pairs awaiting a side */
    ImpCharClass last = IMP__CLASS_NEUTRAL;
    gunichar prev = 0;
    for (const char *p = text, *end = text + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        guint off = (guint)(p - text);
        if (c == 0x201C || c == 0x2018) {
            Open o = { off, last };
            g_array_append_val(stack[c == 0x2018], o);
        } else if (c == 0x201D || c == 0x2019) {
            const char *q = g_utf8_next_char(p);
            gboolean apostrophe = c == 0x2019 && g_unichar_isalnum(prev) && q < end &&
                                  g_unichar_isalnum(g_utf8_get_char(q));
            GArray *st = stack[c == 0x2019];
            if (!apostrophe && st->len > 0) {
                Open o = g_array_index(st, Open, st->len - 1);
                g_array_set_size(st, st->len - 1);
                ImpCharClass cls = pair_class(o.before);
                ForcedMark a = { o.off, cls }, b = { off, cls };
                g_array_append_val(marks, a);
                g_array_append_val(marks, b);
                if (o.before == IMP__CLASS_NEUTRAL) {
                    guint at = marks->len - 2;
                    g_array_append_val(pending, at);
                }
            }
        } else {
            ImpCharClass cls = imp__char_class(c);
            if (cls != IMP__CLASS_NEUTRAL) {
                last = cls;
                /* the pairs with nothing before them take their side from here */
                for (guint k = 0; k < pending->len; k++) {
                    guint at = g_array_index(pending, guint, k);
                    g_array_index(marks, ForcedMark, at).cls = pair_class(cls);
                    g_array_index(marks, ForcedMark, at + 1).cls = pair_class(cls);
                }
                g_array_set_size(pending, 0);
            }
        }
        prev = c;
    }
    g_array_free(stack[0], TRUE);
    g_array_free(stack[1], TRUE);
    g_array_free(pending, TRUE);
    /* the unresolved and the unforced marks say nothing */
    guint kept = 0;
    for (guint k = 0; k < marks->len; k++)
        if (g_array_index(marks, ForcedMark, k).cls != IMP__CLASS_NEUTRAL)
            g_array_index(marks, ForcedMark, kept++) = g_array_index(marks, ForcedMark, k);
    g_array_set_size(marks, kept);
    if (kept == 0) {
        g_array_free(marks, TRUE);
        return NULL;
    }
    g_array_sort(marks, compare_mark_off);
    return marks;
}

/* Splits text into runs by script and language and tags each (see the file comment).
 * Neutral characters join the open run; at the start they wait for the first strong
 * character. A run also ends where the language changes (a LANG span's edge), and paired
 * quotation marks take their pair's class (find_quote_pairs). */
static void add_script_runs(PangoAttrList *attrs, const ImpRoleStyle *rs,
                            const ImpDocumentStyle *ds, const char *lang, const char *text,
                            gsize len, const ImpBlock *block)
{
    LangWalk walk;
    lang_walk_init(&walk, lang, block);
    GArray *forced = find_quote_pairs(text, len);
    guint next_forced = 0;
    ImpCharClass run = IMP__CLASS_NEUTRAL;
    guint run_start = 0;
    const char *run_lang = walk.lang;
    ImpLangKind run_kind = walk.kind;
    const char *p = text, *end = text + len;
    while (p < end) {
        gunichar c = g_utf8_get_char(p);
        guint off = (guint)(p - text);
        if (lang_walk_to(&walk, off) && off > run_start) {
            /* the language changes: the run ends here, whatever comes next */
            add_run(attrs, rs, ds, run_lang, run_kind,
                    run == IMP__CLASS_NEUTRAL ? IMP__CLASS_LATIN : run, run_start, off);
            run = IMP__CLASS_NEUTRAL;
            run_start = off;
        }
        run_lang = walk.lang;
        run_kind = walk.kind;
        ImpCharClass cls = imp__char_class(c);
        if (forced != NULL && next_forced < forced->len &&
            g_array_index(forced, ForcedMark, next_forced).off == off)
            cls = g_array_index(forced, ForcedMark, next_forced++).cls;
        if (cls == IMP__CLASS_CJK_PUNCT) {
            if (run == IMP__CLASS_HAN || run == IMP__CLASS_KANA || run == IMP__CLASS_HANGUL)
                cls = run;
            else
                cls = IMP__CLASS_HAN;
        }
        if (cls != IMP__CLASS_NEUTRAL && cls != run) {
            if (run == IMP__CLASS_NEUTRAL) {
                run = cls; /* leading neutrals join the first strong run */
            } else {
                add_run(attrs, rs, ds, run_lang, run_kind, run, run_start, off);
                run = cls;
                run_start = off;
            }
        }
        p = g_utf8_next_char(p);
    }
    add_run(attrs, rs, ds, run_lang, run_kind, run == IMP__CLASS_NEUTRAL ? IMP__CLASS_LATIN : run,
            run_start, (guint)len);
    if (forced != NULL)
        g_array_free(forced, TRUE);
    lang_walk_clear(&walk);
}

/* The role's font as a description (transfer full). */
static PangoFontDescription *role_font(const ImpRoleStyle *rs)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, rs->family[IMP_SCRIPT_LATIN]);
    pango_font_description_set_size(fd, (int)(rs->size * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, (PangoWeight)rs->weight);
    pango_font_description_set_style(fd, rs->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

/* Builds the attributes of a paragraph; see layout-private.h. */
PangoAttrList *imp__shape_attrs(const ImpStyle *style, ImpRole role, const char *text,
                                gsize len, const char *lang, const ImpBlock *spans)
{
    const ImpRoleStyle *rs = imp_style_get_role(style, role);
    const ImpDocumentStyle *ds = imp_style_get_document(style);
    if (lang == NULL) /* furniture: the language the style was resolved for */
        lang = imp_style_get_language(style) != NULL ? imp_style_get_language(style)
                                                     : ds->language;
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *fd = role_font(rs);
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    guint32 c = rs->color;
    PangoAttribute *fg = pango_attr_foreground_new((guint16)(((c >> 16) & 0xff) * 257),
                                                   (guint16)(((c >> 8) & 0xff) * 257),
                                                   (guint16)((c & 0xff) * 257));
    pango_attr_list_insert(attrs, fg);
    add_script_runs(attrs, rs, ds, lang, text, len, spans);
    if (spans != NULL)
        imp__inline_add_spans(attrs, style, role, text, len, spans);
    return attrs;
}

/* Shapes text in a role's style; see layout-private.h. */
PangoLayout *imp__shape(PangoContext *ctx, const ImpStyle *style, ImpRole role,
                        const char *text, gsize len, const char *lang, double width,
                        const ImpBlock *spans)
{
    const ImpRoleStyle *rs = imp_style_get_role(style, role);

    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = role_font(rs);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);

    if (width > 0) {
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    switch (rs->align) {
    case IMP_ALIGN_RIGHT:
        pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
        break;
    case IMP_ALIGN_CENTER:
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        break;
    case IMP_ALIGN_JUSTIFY:
        pango_layout_set_justify(layout, TRUE);
        break;
    default:
        break;
    }
    if (rs->indent != 0)
        pango_layout_set_indent(layout, (int)(rs->indent * PANGO_SCALE));

    PangoAttrList *attrs = imp__shape_attrs(style, role, text, len, lang, spans);
    pango_layout_set_text(layout, text, (int)len);
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    return layout;
}
