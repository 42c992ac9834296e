/* para.h — what the files of the paragraph setter share, and nobody else sees.
 *
 * A paragraph is set in four steps, one file each: para.c shapes it with Pango and turns
 * the breaker's answer into lines; breaks.c finds where lines may break (UAX #14 from
 * Pango, tailored by kinsoku, LB19a, hyphenation and emergency breaks); justify.c says how
 * the space between characters may stretch and shrink (the breaker's boxes, glue and
 * penalties) and spreads each line's slack once its breaks are chosen; glyphline.c packs
 * each line into its compact form. They share one ImpPara: the characters with their
 * advances and break kinds, and the shaped runs.
 *
 * Invariants (of an ImpPara between the steps):
 *  1. chars[i].off are the byte offsets of the characters, increasing; chars[n] is spare.
 *  2. A character's glyph and advance belong to the cluster it starts: adv is 0 and glyph
 *     -1 for a character inside a cluster, and cluster_start is FALSE.
 *  3. A break kind other than IMP__BREAK_NONE is set only at a cluster start (or on a
 *     mandatory break), so a line never splits a cluster.
 */
#ifndef IMP_PARA_H
#define IMP_PARA_H

#include "breaker.h"
#include "layout-private.h"

/* What a character is for breaking and spacing. */
typedef enum {
    IMP__KIND_OTHER,
    IMP__KIND_SPACE,      /* breakable white space */
    IMP__KIND_CJK,        /* Han and kana */
    IMP__KIND_CJK_PUNCT,  /* CJK and full-width punctuation */
    IMP__KIND_LATIN,      /* Latin, Greek, Cyrillic letters and digits */
    IMP__KIND_HANGUL      /* Hangul: Korean words are spaced and justified as Latin ones */
} ImpCharKind;

/* What may happen before a character. */
typedef enum {
    IMP__BREAK_NONE,
    IMP__BREAK_LINE,       /* an ordinary break opportunity before this character */
    IMP__BREAK_HYPHEN,     /* a hyphenation point */
    IMP__BREAK_EMERGENCY,  /* inside a word too long for the measure */
    IMP__BREAK_FORCED,     /* a mandatory break (after a line separator) */
    IMP__BREAK_TECH        /* inside a path or URL (after /, before . ? # &): no hyphen
                              drawn, a small cost so spaces and CJK breaks come first */
} ImpBreakKind;

/* One character of the paragraph, in 16 bytes (a paragraph may have 16 million). */
typedef struct {
    guint32 off;         /* byte offset */
    gint32 glyph;        /* last glyph of the cluster starting here, in run `run`; -1 */
    float adv;           /* advance of the cluster starting here, points; 0 inside one */
    guint32 run : 24;    /* glyph item holding the character (fewer runs than characters,
                            and an input has at most 16 MiB: see IMP_FILE_MAX) */
    guint32 kind : 3;    /* ImpCharKind */
    guint32 brk : 3;     /* ImpBreakKind before this character */
    guint32 cluster_start : 1;
} ImpChar;

/* A paragraph being set. */
typedef struct {
    const char *text;
    gsize len;
    const ImpParaSpec *spec;
    guint n;             /* characters */
    ImpChar *chars;
    GPtrArray *runs;     /* PangoGlyphItem*: the shaped paragraph, logical order */
    GPtrArray *styles;   /* ImpRunStyle*: one per run (a reference each) */
    GArray *nodes;       /* ImpBrkNode; offset = character index */
    double *hyphen_w;    /* per run: width of a hyphen in its font; < 0 until measured */
} ImpPara;

/* Whether a character of kind k is set as CJK text (Hangul included). */
static inline gboolean imp__is_cjkish(ImpCharKind k)
{
    return k == IMP__KIND_CJK || k == IMP__KIND_CJK_PUNCT || k == IMP__KIND_HANGUL;
}

/* Whether a character of kind k is a CJK letter (Han, kana, Hangul). */
static inline gboolean imp__is_cjk_letter(ImpCharKind k)
{
    return k == IMP__KIND_CJK || k == IMP__KIND_HANGUL;
}

/* Whether a break of kind b is a line break opportunity of the text (not a hyphenation
 * point, an emergency break or a forced one). */
static inline gboolean imp__is_text_break(ImpBreakKind b)
{
    return b == IMP__BREAK_LINE || b == IMP__BREAK_TECH;
}

/* The kind of character c (inline: it is asked for every character of every paragraph). */
static inline ImpCharKind imp__char_kind(gunichar c)
{
    if (c == ' ' || c == '\t' || c == 0x3000 ||
        (g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR && c != 0x00A0 && c != 0x202F &&
         c != 0x2007))
        return IMP__KIND_SPACE;
    switch (imp__char_class(c)) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_KANA:
        return IMP__KIND_CJK;
    case IMP__CLASS_HANGUL:
        return IMP__KIND_HANGUL;
    case IMP__CLASS_CJK_PUNCT:
        return IMP__KIND_CJK_PUNCT;
    case IMP__CLASS_LATIN:
        return g_unichar_isalnum(c) ? IMP__KIND_LATIN : IMP__KIND_OTHER;
    default:
        return IMP__KIND_OTHER;
    }
}

/* ---- breaks.c ---- */
/* Break kinds from Pango's log attributes (UAX #14 for `lang`), tailored by kinsoku (at
 * the spec's level), LB19a, technical tokens, Korean words and the last line; needs the
 * characters' kinds and cluster starts. */
void imp__para_find_breaks(ImpPara *p, const char *lang);
/* Marks hyphenation points in the Latin words; returns how many. */
guint imp__para_find_hyphens(ImpPara *p);
/* Gives every run of characters with no break opportunity that is wider than `measure` an
 * emergency break before each of its clusters. */
void imp__para_find_emergency_breaks(ImpPara *p, double measure);

/* ---- justify.c ---- */

/* Removes the blank half of full-width marks in runs of CJK punctuation (CLReq 3.1.6.1)
 * where the glyph's ink leaves it blank. */
void imp__para_compress_punctuation(ImpPara *p);
/* Builds p->nodes, the breaker's box/glue/penalty list, from the characters. */
void imp__para_build_nodes(ImpPara *p);
/* Applies the breaker's lines `brk`: each glue's final width goes into the advance of the
 * glyph before it. Fills, per line k, starts[k] (its first byte; starts[brk->len] is the
 * paragraph's length), widths[k] (its set width), stretch[k] (the largest extra per
 * word space, em) and cjk_stretch[k] (the largest space between two CJK characters, em). */
void imp__para_justify(ImpPara *p, GArray *brk, gsize *starts, double *widths,
                       double *stretch, double *cjk_stretch);

#endif /* IMP_PARA_H */
