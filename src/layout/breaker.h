/* breaker.h — total-fit line breaking (Knuth and Plass) on an abstract item list.
 *
 * Private to the layout stage. The breaker knows nothing of fonts or text: a paragraph is
 * a sequence of boxes (material of fixed width), glue (space that may stretch and shrink)
 * and penalties (places to break, with a cost), exactly as in "Breaking Paragraphs into
 * Lines" (Software—Practice and Experience 11, 1981). para.c builds the list from Pango's
 * shaping and log attributes; unit tests build it by hand.
 *
 * Invariants of a node list given to imp__break_paragraph():
 *  1. It ends with a forced break (a penalty <= -IMP__BRK_INF), normally preceded by a glue
 *     with `fil` stretch (TeX's \parfillskip).
 *  2. Widths are finite and >= 0, except that a penalty's width is what the line gains
 *     when it breaks there (a hyphen).
 *  3. A break before a box (break_before) is the same as a penalty of width 0 right before
 *     it: the line ends before the box and the next one starts with it.
 */
#ifndef IMP_BREAKER_H
#define IMP_BREAKER_H

#include <glib.h>

G_BEGIN_DECLS

/* A penalty >= IMP__BRK_INF forbids a break; <= -IMP__BRK_INF forces one. */
#define IMP__BRK_INF 10000.0

typedef enum {
    IMP__BRK_BOX,
    IMP__BRK_GLUE,
    IMP__BRK_PENALTY
} ImpBrkType;

/* One item, in 32 bytes: a long paragraph holds one or two per character (a word too long
 * for the measure has a box for every character), so its size is most of a paragraph's. */
typedef struct {
    guint8 type;        /* ImpBrkType */
    guint8 flagged;     /* PENALTY: a hyphenation break (counts toward the hyphen run);
                           GLUE: space between two CJK characters, whose stretch is capped
                           (cjk_max_ratio) */
    guint8 fil;         /* GLUE: infinite stretchability of the first order (\parfillskip) */
    guint8 break_before;/* BOX: a legal break right before it, costing `penalty` (what a
                           penalty of width 0 before the box would be, in one node) */
    guint32 offset;     /* caller's data: the byte offset in the text where this starts */
    double width;       /* BOX, GLUE: natural width; PENALTY: width added if broken here */
    union {
        struct {
            double stretch; /* GLUE: finite stretchability */
            double shrink;  /* GLUE: shrinkability */
        };
        double penalty; /* PENALTY, and BOX with break_before: cost of breaking here */
    };
} ImpBrkNode;

typedef struct {
    double first_width;       /* measure of the first line */
    double width;             /* measure of every other line */
    double tolerance;         /* largest adjustment ratio accepted in the first pass */
    double emergency_tolerance; /* ... in the second pass, run when the first fails */
    double line_penalty;      /* Knuth's l, added to every line's badness (10) */
    double flagged_demerits;  /* Knuth's alpha: two hyphenated lines in a row (3000) */
    double fitness_demerits;  /* Knuth's gamma: adjacent lines of very different tightness */
    int max_hyphen_run;       /* most consecutive lines ending in a hyphen (2) */
    guint max_active;         /* cap on the active set, which keeps the work linear */
    gboolean first_pass_only; /* fail (NULL) rather than rescue or run the second pass:
                                 TeX's pretolerance pass, tried before hyphenating */
    guint gc_min;             /* pool size below which recorded breaks are never cleaned up
                                 (65536; tests set it small to clean often, or G_MAXUINT) */
    double cjk_max_ratio;     /* largest ratio of a line holding flagged glue (the space
                                 between CJK characters) in either pass: such a line set
                                 looser is taken only when no other way fits, as a loose
                                 line (INFINITY: no cap) */
} ImpBrkParams;

typedef struct {
    guint start;       /* first node of the line (glue and penalties after a break dropped) */
    guint end;         /* the node where the line breaks; it is not part of the line, except
                          that a penalty's width (a hyphen) is; a box (break_before) starts
                          the next line */
    double ratio;      /* adjustment ratio: > 0 stretched, < 0 shrunk, < -1 overfull */
    gboolean overfull; /* nothing fitted: the line is wider than the measure */
    gboolean loose;    /* stretched beyond the tolerance because nothing else fitted */
    gboolean forced;   /* ended by a forced break (the last line included) */
    gboolean hyphen;   /* ended by a flagged penalty */
} ImpBrkLine;

/* Sensible parameters for lines `width` wide (first line `first_width`). */
void imp__break_params_init(ImpBrkParams *p, double first_width, double width);

/* Breaks nodes[0..n) into lines; returns a GArray of ImpBrkLine in order (transfer full:
 * g_array_unref). There is always a solution: when no set of breaks keeps every line
 * within the tolerance, a line is set loose, and when a box alone is wider than the measure
 * it is set overfull; with first_pass_only, NULL is returned instead. Time and memory are linear in n for a bounded active set. */
GArray *imp__break_paragraph(const ImpBrkNode *nodes, guint n, const ImpBrkParams *params);

G_END_DECLS

#endif /* IMP_BREAKER_H */
