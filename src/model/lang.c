/* lang.c — language detection from characters; see lang.h for the rules and invariants.
 *
 * One pass over the text counts the letters that are evidence (Han, and of Han the
 * Simplified-only, the Traditional-only and those Japanese lacks; kana; Hangul; Latin),
 * apart for the text outside quotation marks and brackets, which decides a paragraph's
 * language. A quoted run closed at the outer level that holds kana or Hangul is
 * remembered, so the document pass can tag it with its own language. Brackets are matched
 * on a small stack of the closers expected (an apostrophe ’ closing nothing is ignored; an
 * opener never closed counts its run as outside).
 *
 * The document pass scans each block once into a Verdict (32 bytes: the counts a decision
 * needs), votes with it for the document's language, then decides each block from its
 * verdict and the document's language; only a block with a Japanese or Korean quotation is
 * read again, to place the quotation's span.
 */
#include "lang.h"

#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Characters                                                                           */
/* ------------------------------------------------------------------------------------ */

typedef enum {
    CH_NONE,    /* digits, spaces, punctuation, symbols, scripts not counted */
    CH_LATIN,   /* a letter of an alphabet (Latin, Greek, Cyrillic, ...) */
    CH_HAN,
    CH_KANA,
    CH_HANGUL,
    CH_OPEN,    /* an opening quotation mark or bracket */
    CH_CLOSE
} CharClass;

/* Pairs of quotation marks and brackets, opener then closer. ASCII '"' and '\'' open and
 * close alike, so they are left out. */
static const gunichar pairs[][2] = {
    { '(', ')' },          { 0xFF08, 0xFF09 },  /* （） */
    { 0x300C, 0x300D },    { 0x300E, 0x300F },  /* 「」 『』 */
    { 0x300A, 0x300B },    { 0x3008, 0x3009 },  /* 《》 〈〉 */
    { 0x3010, 0x3011 },    { 0x3014, 0x3015 },  /* 【】 〔〕 */
    { 0x3016, 0x3017 },    { 0x3018, 0x3019 },  /* 〖〗 〘〙 */
    { 0x301A, 0x301B },    { 0xFF3B, 0xFF3D },  /* 〚〛 ［］ */
    { 0xFF5B, 0xFF5D },    { 0xFF62, 0xFF63 },  /* ｛｝ ｢｣ */
    { 0x201C, 0x201D },    { 0x2018, 0x2019 },  /* “” ‘’ */
    { 0x00AB, 0x00BB },    { 0x301D, 0x301F },  /* «» 〝〟 */
};

/* The class of a quotation mark or bracket, with its closer in *closer for an opener. */
static CharClass bracket_class(gunichar c, gunichar *closer)
{
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
        if (c == pairs[i][0]) {
            *closer = pairs[i][1];
            return CH_OPEN;
        }
        if (c == pairs[i][1] || (c == 0x301E && pairs[i][1] == 0x301F))
            return CH_CLOSE;  /* 〞 closes 〝 as 〟 does */
    }
    return CH_NONE;
}

/* Kana that are evidence of Japanese: the letters and iteration marks of hiragana and
 * katakana, halfwidth katakana and the kana supplements. Not ・ (U+30FB) or ー (U+30FC),
 * which Chinese text borrows, nor the combining sound marks. */
static gboolean is_kana(gunichar c)
{
    return (c >= 0x3041 && c <= 0x3096) || (c >= 0x309D && c <= 0x309F) ||
           (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x30FD && c <= 0x30FF) ||
           (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF6F) ||
           (c >= 0xFF71 && c <= 0xFF9D) || (c >= 0x1B000 && c <= 0x1B16F);
}

static gboolean is_hangul(gunichar c)
{
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0x3131 && c <= 0x318E) || (c >= 0xA960 && c <= 0xA97F) ||
           (c >= 0xD7B0 && c <= 0xD7FF) || (c >= 0xFFA0 && c <= 0xFFDC);
}

/* Han ideographs, and 々 and 〇, which stand for them. */
static gboolean is_han(gunichar c)
{
    return c - 0x4E00 <= 0x9FFF - 0x4E00 || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF) ||
           c == 0x3005 || c == 0x3007;
}

/* The class of c; *closer is set for an opener. ASCII and the CJK blocks are decided by
 * ranges; only other non-ASCII characters ask GLib for their script. */
static CharClass char_class(gunichar c, gunichar *closer)
{
    if (c < 0x80) {
        if (g_ascii_isalpha((char)c))
            return CH_LATIN;
        return c == '(' || c == ')' ? bracket_class(c, closer) : CH_NONE;
    }
    if (c >= 0x2E80) {
        if (is_han(c))
            return CH_HAN;
        if (is_kana(c))
            return CH_KANA;
        if (is_hangul(c))
            return CH_HANGUL;
        if ((c >= 0x3008 && c <= 0x301F) || (c >= 0xFF08 && c <= 0xFF63)) {
            CharClass k = bracket_class(c, closer);
            if (k != CH_NONE)
                return k;
        }
        if (c >= 0xA000 && c < 0x20000 && g_unichar_isalpha(c) &&
            g_unichar_get_script(c) == G_UNICODE_SCRIPT_LATIN)
            return CH_LATIN;  /* fullwidth Latin letters */
        return CH_NONE;
    }
    if (c == 0x00AB || c == 0x00BB || (c >= 0x2018 && c <= 0x201D))
        return bracket_class(c, closer);
    if (c >= 0x1100 && c <= 0x11FF)
        return CH_HANGUL;
    return g_unichar_isalpha(c) ? CH_LATIN : CH_NONE;
}

/* Decodes the character at *p (before end) and advances *p. Invalid UTF-8 (which the
 * model never holds, but a caller of imp_lang_detect might pass) is taken one byte at a
 * time as U+FFFD, so no input reads past `end`. */
static gunichar next_char(const guchar **p, const guchar *end)
{
    const guchar *s = *p;
    guchar b = s[0];
    guint n;
    gunichar c;
    if (b < 0x80) {
        *p = s + 1;
        return b;
    }
    if ((b & 0xF0) == 0xE0 && end - s >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *p = s + 3;  /* the BMP beyond U+07FF: every CJK letter and mark */
        return ((gunichar)(b & 0x0F) << 12) | ((gunichar)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        c = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        c = b & 0x07;
    } else {
        *p = s + 1;
        return 0xFFFD;
    }
    if ((gsize)(end - s) < n) {
        *p = s + 1;
        return 0xFFFD;
    }
    for (guint i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p = s + n;
    return c;
}

/* ------------------------------------------------------------------------------------ */
/* Counting                                                                             */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    guint han;             /* Han letters; of them: */
    guint simp, trad;      /*   Simplified-only, Traditional-only */
    guint nonja;           /*   not in JIS X 0208: not written in Japanese */
    guint kana, hangul, latin;
} Counts;

/* A quoted run closed at the outer level that holds kana or Hangul: [start, end) is its
 * text between the marks. */
typedef struct {
    gsize start, end;
    Counts c;
} Run;

typedef struct {
    Counts outside;  /* letters outside quotation marks and brackets */
    Counts all;      /* all letters */
    Counts foreign;  /* letters of the runs below */
    GArray *runs;    /* Run; NULL when the caller did not ask, or none was found */
} Scan;

#define MAX_DEPTH 16

static guint cjk_letters(const Counts *c)
{
    return c->han + c->kana + c->hangul;
}

static void counts_add(Counts *to, const Counts *c)
{
    to->han += c->han;
    to->simp += c->simp;
    to->trad += c->trad;
    to->nonja += c->nonja;
    to->kana += c->kana;
    to->hangul += c->hangul;
    to->latin += c->latin;
}

/* The flags of Han character c (inline: this is the per-character lookup). */
static inline ImpHanFlags han_flags(gunichar c)
{
    if (c >= IMP__HAN_LIMIT)
        return 0;
    return (ImpHanFlags)((imp__han_blocks[imp__han_index[c >> 8]][(c & 0xFF) >> 1] >>
                          ((c & 1) * 4)) & 0xF);
}

/* The flags of c in the generated table; see lang.h. */
ImpHanFlags imp_lang_han_flags(gunichar c)
{
    return han_flags(c);
}

/* Counts one non-ASCII letter of class cls (code point c) into *to. */
static inline void count_letter(Counts *to, CharClass cls, gunichar c)
{
    switch (cls) {
    case CH_HAN: {
        ImpHanFlags f = han_flags(c);
        to->han++;
        to->simp += (f & IMP_HAN_SIMPLIFIED) != 0;
        to->trad += (f & IMP_HAN_TRADITIONAL) != 0;
        to->nonja += !(f & IMP_HAN_JAPANESE) && c >= 0x3400; /* not 々 or 〇 */
        break;
    }
    case CH_KANA:
        to->kana++;
        break;
    case CH_HANGUL:
        to->hangul++;
        break;
    case CH_LATIN:
        to->latin++;
        break;
    default:
        break;
    }
}

/* ASCII bytes: 1 for a letter (so that adding kinds counts letters), ASCII_PAREN for '('
 * and ')', 0 for the rest. */
#define ASCII_PAREN 2
static const guint8 ascii_kind[128] = {
    ['('] = ASCII_PAREN, [')'] = ASCII_PAREN,
    ['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Scans text into *s (see the file comment). Runs are kept only when want_runs. Letters
 * are counted once, into the open quotation's counts or the outside's; `all` is their
 * sum at the end. */
static void scan(const char *text, gsize len, gboolean want_runs, Scan *s)
{
    memset(s, 0, sizeof *s);
    gunichar stack[MAX_DEPTH];
    guint depth = 0;
    Counts seg = { 0 }, inside = { 0 };  /* the open quotation; the closed ones */
    Counts *cur = &s->outside;
    gsize seg_start = 0;
    const guchar *start = (const guchar *)text, *p = start, *end = p + len;
    while (p < end) {
        const guchar *at = p;
        gunichar c;
        if (*p < 0x80) {
            /* a run of ASCII, most bytes of most texts: letters counted without a branch,
             * up to a parenthesis or the next non-ASCII character */
            guint n = 0;
            while (p < end && *p < 0x80 && ascii_kind[*p] != ASCII_PAREN)
                n += ascii_kind[*p++];
            cur->latin += n;
            if (p == end || *p >= 0x80)
                continue;
            c = *p++;
        } else {
            c = next_char(&p, end);
        }
        gunichar closer = 0;
        CharClass cls = char_class(c, &closer);
        if (cls == CH_OPEN) {
            if (depth == 0) {
                memset(&seg, 0, sizeof seg);
                seg_start = (gsize)(p - start);
                cur = &seg;
            }
            if (depth < MAX_DEPTH)
                stack[depth++] = closer;
        } else if (cls == CH_CLOSE) {
            guint i = depth;
            while (i > 0 && stack[i - 1] != c && !(c == 0x301E && stack[i - 1] == 0x301F))
                i--;
            if (i == 0)
                continue;  /* closes nothing: an apostrophe, a stray bracket */
            depth = i - 1;
            if (depth > 0)
                continue;
            cur = &s->outside;
            counts_add(&inside, &seg);
            if (seg.kana > 0 || seg.hangul > 0) {
                counts_add(&s->foreign, &seg);
                if (want_runs) {
                    Run r = { seg_start, (gsize)(at - start), seg };
                    if (s->runs == NULL)
                        s->runs = g_array_new(FALSE, FALSE, sizeof(Run));
                    g_array_append_val(s->runs, r);
                }
            }
        } else if (cls != CH_NONE) {
            count_letter(cur, cls, c);
        }
    }
    if (depth > 0)  /* never closed: its letters are the sentence's own */
        counts_add(&s->outside, &seg);
    s->all = s->outside;
    counts_add(&s->all, &inside);
}

/* ------------------------------------------------------------------------------------ */
/* Deciding                                                                             */
/* ------------------------------------------------------------------------------------ */

/* Whether tag's subtag after the primary one (script or region) is `sub`, up to the
 * next '-' (case-insensitive). */
static gboolean has_subtag(const char *tag, const char *sub)
{
    gsize n = strlen(sub);
    for (const char *p = strchr(tag, '-'); p != NULL; p = strchr(p + 1, '-'))
        if (g_ascii_strncasecmp(p + 1, sub, n) == 0 && (p[1 + n] == '\0' || p[1 + n] == '-'))
            return TRUE;
    return FALSE;
}

/* What a tag means for CJK typesetting; see lang.h. '_' is taken for '-' ("zh_TW"). */
ImpLangKind imp_lang_kind(const char *tag)
{
    if (tag == NULL || strlen(tag) < 2 || (tag[2] != '\0' && tag[2] != '-' && tag[2] != '_'))
        return IMP_LANG_KIND_OTHER;
    if (g_ascii_strncasecmp(tag, "ja", 2) == 0)
        return IMP_LANG_KIND_JA;
    if (g_ascii_strncasecmp(tag, "ko", 2) == 0)
        return IMP_LANG_KIND_KO;
    if (g_ascii_strncasecmp(tag, "zh", 2) != 0)
        return IMP_LANG_KIND_OTHER;
    char buf[64];
    g_strlcpy(buf, tag, sizeof buf);
    g_strdelimit(buf, "_", '-');
    if (has_subtag(buf, "Hant"))
        return IMP_LANG_KIND_ZH_HANT;
    if (has_subtag(buf, "Hans"))
        return IMP_LANG_KIND_ZH_HANS;
    if (has_subtag(buf, "TW") || has_subtag(buf, "HK") || has_subtag(buf, "MO"))
        return IMP_LANG_KIND_ZH_HANT;
    if (has_subtag(buf, "CN") || has_subtag(buf, "SG") || has_subtag(buf, "MY"))
        return IMP_LANG_KIND_ZH_HANS;
    return IMP_LANG_KIND_ZH;
}

static const char *lang_ja, *lang_ko, *lang_hans, *lang_hant, *lang_zh;

/* Interns the tags detection returns (invariant 2), once per process: written before the
 * GOnce is left, read only after it is entered. */
static void intern_tags(void)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        lang_ja = g_intern_static_string("ja");
        lang_ko = g_intern_static_string("ko");
        lang_hans = g_intern_static_string("zh-Hans");
        lang_hant = g_intern_static_string("zh-Hant");
        lang_zh = g_intern_static_string("zh");
        g_once_init_leave(&once, 1);
    }
}

/* imp_lang_kind() of a tag, quick for the interned tags detection returns. */
static ImpLangKind kind_of(const char *tag)
{
    if (tag == lang_ja)
        return IMP_LANG_KIND_JA;
    if (tag == lang_ko)
        return IMP_LANG_KIND_KO;
    if (tag == lang_hans)
        return IMP_LANG_KIND_ZH_HANS;
    if (tag == lang_hant)
        return IMP_LANG_KIND_ZH_HANT;
    if (tag == lang_zh)
        return IMP_LANG_KIND_ZH;
    return imp_lang_kind(tag);
}

/* What decides the language of a text, from its scan: its letters outside quotations
 * when there are any, else all of them; the one-sided characters of its Chinese (all of
 * its Han but the Japanese or Korean quotations'). */
typedef struct {
    guint han, nonja, kana, hangul;  /* the deciding letters */
    guint simp, trad;                /* Simplified-only, Traditional-only of its Chinese */
    guint cjk : 31;                  /* all its CJK letters */
    guint runs : 1;                  /* a quotation in it holds kana or Hangul */
} Verdict;

static void verdict_of(const Scan *s, Verdict *v)
{
    const Counts *c = cjk_letters(&s->outside) > 0 ? &s->outside : &s->all;
    v->han = c->han;
    v->nonja = c->nonja;
    v->kana = c->kana;
    v->hangul = c->hangul;
    v->simp = s->all.simp - s->foreign.simp;
    v->trad = s->all.trad - s->foreign.trad;
    v->cjk = MIN(cjk_letters(&s->all), G_MAXINT32);
    v->runs = s->foreign.kana > 0 || s->foreign.hangul > 0;
}

/* The language a verdict gives (the rules of imp_lang_detect), `fallback` being of kind
 * fk. */
static const char *decide(const Verdict *v, const char *fallback, ImpLangKind fk)
{
    if (v->hangul > v->kana || (v->hangul > 0 && v->hangul == v->kana && fk == IMP_LANG_KIND_KO))
        return lang_ko;
    if (v->kana > 0 || fk == IMP_LANG_KIND_JA) {
        gboolean fzh = fk == IMP_LANG_KIND_ZH || fk == IMP_LANG_KIND_ZH_HANS ||
                       fk == IMP_LANG_KIND_ZH_HANT;
        guint for_ja = v->kana + (fk == IMP_LANG_KIND_JA), against = v->nonja + fzh;
        if (for_ja > against)
            return v->kana > 0 ? lang_ja : fallback;
    }
    if (v->han == 0 || fk == IMP_LANG_KIND_KO)
        return fallback;
    if (v->simp != v->trad)
        return v->simp > v->trad ? lang_hans : lang_hant;
    return fk == IMP_LANG_KIND_OTHER || fk == IMP_LANG_KIND_JA ? lang_zh : fallback;
}

/* Detects the language of one text; see lang.h. */
const char *imp_lang_detect(const char *text, gssize len, const char *fallback)
{
    g_return_val_if_fail(text != NULL || len == 0, fallback);
    intern_tags();
    Scan s;
    Verdict v;
    scan(text != NULL ? text : "", len < 0 ? strlen(text) : (gsize)len, FALSE, &s);
    verdict_of(&s, &v);
    return decide(&v, fallback, imp_lang_kind(fallback));
}

/* ------------------------------------------------------------------------------------ */
/* The document pass                                                                    */
/* ------------------------------------------------------------------------------------ */

/* How many blocks are named one by one in -v before the rest are only counted. */
#define MAX_NAMED 10

typedef enum { V_JA, V_KO, V_ZH, N_VOTES } Vote;

typedef struct {
    ImpDocument *doc;
    const ImpDiag *diag;
    const char *file;     /* the input's name for messages; may be NULL */
    GArray *verdicts;     /* Verdict per block in each_block's order; reader-set blocks too */
    guint next;           /* pass 2: the next verdict */
    /* pass 1: votes, in CJK letters */
    guint64 votes[N_VOTES];
    guint64 simp, trad;   /* of the Chinese blocks */
    guint64 cjk, latin;
    /* pass 2 */
    const char *lang;     /* the document's language (interned), or NULL */
    ImpLangKind kind;     /* its kind */
    guint by_kind[IMP_LANG_KIND_ZH_HANT + 1];
    guint n_plain;        /* blocks without CJK letters */
    guint n_reader;       /* blocks whose reader set a language */
    guint n_spans;
    guint n_named;        /* blocks and spans named in -v */
    guint n_unnamed;
} Pass;

/* Mutable access to a block of a document the caller handed over mutable: the model's
 * getters return const for the stages above it, and this pass is the model's own. */
static ImpBlock *block_at(ImpDocument *doc, guint i)
{
    return (ImpBlock *)imp_document_get_block(doc, i);
}

/* Calls fn on every block that holds text, table cells included, in document order. */
static void each_block(Pass *ps, void (*fn)(Pass *, ImpBlock *))
{
    guint n = imp_document_get_n_blocks(ps->doc);
    for (guint i = 0; i < n; i++) {
        ImpBlock *b = block_at(ps->doc, i);
        if (imp_block_get_kind(b) != IMP_BLOCK_TABLE) {
            fn(ps, b);
            continue;
        }
        for (guint r = 0; r < imp_table_get_n_rows(b); r++)
            for (guint k = 0; k < imp_table_get_n_cells(b, r); k++)
                fn(ps, (ImpBlock *)imp_table_get_cell(b, r, k));
    }
}

/* Pass 1: a block's verdict, kept for pass 2, and its vote for the document's language,
 * weighted by its CJK letters. */
static void vote(Pass *ps, ImpBlock *b)
{
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    Scan s;
    Verdict v;
    scan(text, len, FALSE, &s);
    verdict_of(&s, &v);
    g_array_append_val(ps->verdicts, v);
    ps->cjk += v.cjk;
    ps->latin += s.all.latin;
    if (v.cjk == 0)
        return;
    const char *own = imp_block_get_language(b);
    ImpLangKind k = kind_of(own != NULL ? own : decide(&v, NULL, IMP_LANG_KIND_OTHER));
    if (k == IMP_LANG_KIND_JA) {
        ps->votes[V_JA] += v.cjk;
    } else if (k == IMP_LANG_KIND_KO) {
        ps->votes[V_KO] += v.cjk;
    } else {
        ps->votes[V_ZH] += v.cjk;
        ps->simp += v.simp;
        ps->trad += v.trad;
        if (k == IMP_LANG_KIND_ZH_HANS)
            ps->simp += v.cjk;  /* a reader's word weighs as if every letter said it */
        else if (k == IMP_LANG_KIND_ZH_HANT)
            ps->trad += v.cjk;
    }
}

/* The document's language from the votes, or NULL when it is not a CJK document. */
static const char *elect(const Pass *ps)
{
    if (ps->cjk == 0 || 3 * ps->cjk < ps->latin)
        return NULL;
    if (ps->votes[V_JA] >= ps->votes[V_KO] && ps->votes[V_JA] > ps->votes[V_ZH])
        return lang_ja;
    if (ps->votes[V_KO] > ps->votes[V_JA] && ps->votes[V_KO] > ps->votes[V_ZH])
        return lang_ko;
    if (ps->simp != ps->trad)
        return ps->simp > ps->trad ? lang_hans : lang_hant;
    return lang_zh;
}

/* Names a finding about one block in -v, the first MAX_NAMED of them: the block, or a
 * quotation in it at `offset` (quote TRUE), is in `lang`. */
static void name_finding(Pass *ps, const ImpBlock *b, gsize offset, gboolean quote,
                         const char *lang)
{
    if (ps->diag == NULL)
        return;
    if (ps->n_named >= MAX_NAMED) {
        ps->n_unnamed++;
        return;
    }
    ps->n_named++;
    imp_diag_report(ps->diag, IMP_DIAG_INFO, ps->file, imp_block_get_line_at(b, offset),
                    "%s%s in %s (the document: %s)",
                    imp_block_kind_name(imp_block_get_kind(b)),
                    quote ? ": a quotation" : "", lang,
                    ps->lang != NULL ? ps->lang : "the style's language");
}

/* Whether [start, end) overlaps a LANG span of b. */
static gboolean overlaps_lang_span(const ImpBlock *b, gsize start, gsize end)
{
    for (guint i = 0; i < imp_block_get_n_spans(b); i++) {
        const ImpSpan *sp = imp_block_get_span(b, i);
        if ((sp->flags & IMP_SPAN_LANG) && sp->start < end && start < sp->end)
            return TRUE;
    }
    return FALSE;
}

/* Tags the quotations of block b (in `lang`, of kind bk) whose letters say Japanese or
 * Korean, rescanning its text for where they are. */
static void tag_quotations(Pass *ps, ImpBlock *b, const char *lang, ImpLangKind bk)
{
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    Scan s;
    scan(text, len, TRUE, &s);
    for (guint i = 0; s.runs != NULL && i < s.runs->len; i++) {
        const Run *r = &g_array_index(s.runs, Run, i);
        Verdict v = { r->c.han, r->c.nonja, r->c.kana, r->c.hangul, r->c.simp, r->c.trad,
                      0, 0 };
        const char *rl = decide(&v, lang, bk);
        ImpLangKind rk = kind_of(rl);
        if ((rk != IMP_LANG_KIND_JA && rk != IMP_LANG_KIND_KO) || rk == bk ||
            overlaps_lang_span(b, r->start, r->end))
            continue;
        imp_block_add_lang_span(b, r->start, r->end, rl);
        ps->n_spans++;
        name_finding(ps, b, r->start, TRUE, rl);
    }
    if (s.runs != NULL)
        g_array_free(s.runs, TRUE);
}

/* Pass 2: a block's language from its verdict, and its quotations' spans. */
static void assign(Pass *ps, ImpBlock *b)
{
    const Verdict *v = &g_array_index(ps->verdicts, Verdict, ps->next++);
    if (imp_block_get_language(b) != NULL) {
        ps->n_reader++;
        return;
    }
    gsize len;
    imp_block_get_text(b, &len);
    if (len == 0)
        return;  /* a rule, an image without alt text: nothing to set */
    const char *lang = decide(v, ps->lang, ps->kind);
    if (v->cjk == 0)
        ps->n_plain++;
    else
        ps->by_kind[kind_of(lang)]++;
    if (lang != NULL) {
        imp_block_set_language(b, lang);
        if (lang != ps->lang && v->cjk > 0)
            name_finding(ps, b, 0, FALSE, lang);
    }
    if (v->runs)
        tag_quotations(ps, b, lang, kind_of(lang));
}

/* Says what was found, at info level. */
static void report(const Pass *ps, gboolean detected)
{
    if (ps->n_unnamed > 0)
        imp_diag_report(ps->diag, IMP_DIAG_INFO, ps->file, 0,
                        "%u more blocks or quotations in another language", ps->n_unnamed);
    GString *tally = g_string_new(NULL);
    static const char *const kind_names[] = { "other", "ja", "ko", "zh", "zh-Hans", "zh-Hant" };
    G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == IMP_LANG_KIND_ZH_HANT + 1);
    for (guint k = 0; k < G_N_ELEMENTS(kind_names); k++)
        if (ps->by_kind[k] > 0)
            g_string_append_printf(tally, "%s%u %s", tally->len > 0 ? ", " : "",
                                   ps->by_kind[k], kind_names[k]);
    if (ps->n_plain > 0)
        g_string_append_printf(tally, "%s%u without CJK letters", tally->len > 0 ? ", " : "",
                               ps->n_plain);
    if (ps->n_reader > 0)
        g_string_append_printf(tally, "%s%u as the input said", tally->len > 0 ? ", " : "",
                               ps->n_reader);
    if (ps->n_spans > 0)
        g_string_append_printf(tally, "; %u quotations in another language", ps->n_spans);
    if (ps->lang != NULL)
        imp_diag_report(ps->diag, IMP_DIAG_INFO, ps->file, 0, "language %s (%s); blocks: %s",
                        ps->lang, detected ? "detected from the text" : "from the metadata",
                        tally->str);
    else
        imp_diag_report(ps->diag, IMP_DIAG_INFO, ps->file, 0,
                        "language not detected (no CJK text to speak of): the style's; "
                        "blocks: %s", tally->str);
    g_string_free(tally, TRUE);
}

/* Detects the document's and its blocks' languages; see lang.h. Each block's text is
 * read once (and once more where a quotation holds kana or Hangul, to place its span). */
const char *imp_document_detect_languages(ImpDocument *doc, const ImpDiag *diag)
{
    g_return_val_if_fail(doc != NULL, NULL);
    intern_tags();
    Pass ps = { 0 };
    ps.doc = doc;
    ps.diag = diag;
    ps.file = imp_document_get_meta(doc, IMP_META_SOURCE_FILE);
    ps.verdicts = g_array_sized_new(FALSE, FALSE, sizeof(Verdict),
                                    imp_document_get_n_blocks(doc));
    each_block(&ps, vote);
    const char *given = imp_document_get_meta(doc, IMP_META_LANGUAGE);
    gboolean detected = FALSE;
    if (given != NULL && *given != '\0') {
        ps.lang = g_intern_string(given);
    } else if ((ps.lang = elect(&ps)) != NULL) {
        imp_document_set_meta(doc, IMP_META_LANGUAGE, ps.lang);
        detected = TRUE;
    }
    ps.kind = imp_lang_kind(ps.lang);
    each_block(&ps, assign);
    g_array_free(ps.verdicts, TRUE);
    report(&ps, detected);
    return ps.lang;
}
