/* blocks.h — what the files that turn the document's blocks into entries share, and
 * nobody else sees.
 *
 * A document becomes the flow of entries paginate.c puts on pages in two passes over its
 * blocks (blocks.c). The plan pass gives each block its frame (where its measure starts
 * and how wide it is, from its list and quotation depths), its role, and what must be
 * known before any paragraph is set: heading numbers, list indents wide enough for their
 * markers, table column widths, images loaded and checked; and it lists the paragraphs
 * merge.c sets ahead on worker threads. The add pass then makes each block's entries in
 * document order, one file per kind of block:
 *   blocks.c   the two passes; paragraphs, rules, the notice and the masthead
 *   heading.c  headings: roles, numbers, outline anchors, keeps with what follows
 *   list.c     list items, quotations, terms and definitions: frames and markers
 *   code.c     code blocks and preformatted text, line for line
 *   table.c    tables: column widths, rows of cells, the header repeated on new pages
 *   image.c    images: found, checked, decoded and scaled (ImpImage)
 *   inline.c   inline spans: their attributes, and the link areas, strike rules and
 *              emphasis dots drawn over set lines
 *
 * Invariants:
 *  1. The plan pass and the add pass agree: every paragraph the plan lists for merge.c is
 *     taken by the add pass, in the same order.
 *  2. Every item an add function makes has y relative to its entry's top.
 */
#ifndef IMP_BLOCKS_H
#define IMP_BLOCKS_H

#include "layout-private.h"

/* The deepest list or quotation level that indents further; deeper ones stand where it
 * does (a hostile input nests 255 levels, which no measure holds). */
#define IMP__MAX_INDENT_DEPTH 8

/* What the plan pass decided for one block. */
typedef struct {
    double x;       /* left edge of the block's measure, from the text area's left edge */
    double width;   /* the measure */
    guint aux;      /* per kind: 1 + an index into ImpFlow's heading numbers, tables or
                       images; 0: none */
    guint8 role;    /* ImpRole */
    guint8 own;     /* set by our breaker through merge.c (else by Pango, or not text) */
    guint8 hang;    /* a heading's number stands beside its text (else on a line above) */
} ImpBlockPlan;

typedef struct ImpTablePlan ImpTablePlan;

/* The two passes' state. */
typedef struct {
    ImpLayout *lay;
    guint n_blocks;
    ImpBlockPlan *plans;    /* per block */
    GArray *jobs;           /* ImpParaJob: the paragraphs for merge.c, in add order */
    GPtrArray *numbers;     /* PangoLayout*: heading numbers (a reference each) */
    GPtrArray *tables;      /* ImpTablePlan* */
    GPtrArray *images;      /* ImpImage* (the layout keeps them), NULL for one that failed */
    /* the plan pass: list levels (list.c) */
    double list_x[IMP__MAX_INDENT_DEPTH + 1]; /* text of an item at each depth, from its
                                                 quotation's edge */
    gboolean list_set[IMP__MAX_INDENT_DEPTH + 1];
    PangoLayout *wrap_mark; /* code.c: the continuation mark, set once (the layout keeps
                               it); NULL until needed */
    gboolean wrap_mark_done;
    /* the add pass */
    double pending_after;   /* space_after of the previous block */
    gboolean pending_break; /* a page break came before this block */
    int keep_lines;         /* lines of what follows still kept with a heading */
    gboolean in_notice;     /* a notice has begun (its rule is set) and not yet ended */
    gboolean list_open;     /* the previous block belonged to a list */
} ImpFlow;

/* ---- blocks.c: entries and lines ---- */

/* A new entry at the end of the flow (transfer none: valid until the next entry_new). */
ImpEntry *imp__entry_new(ImpLayout *lay, double height, double space_before);
/* Adds an item to entry e, which must be the last one. */
void imp__entry_add(ImpLayout *lay, ImpEntry *e, const ImpItem *item);
/* Inserts an item into entry i (any entry) as its item number `pos`, before the ones
 * there (a marker goes before its line, for reading order). Costs the items after it. */
void imp__entry_insert(ImpLayout *lay, guint i, guint pos, const ImpItem *item);
/* An item meant for one of a block's last entries, added after the entries are made. */
typedef struct {
    guint line;         /* which entry: its index from the block's first */
    guint seq;          /* the order it was made in */
    gboolean before;    /* drawn before the entry's own items (a tint under text) */
    ImpItem item;
} ImpExtraItem;

/* Adds `extras` (ImpExtraItem, in any order of entries; their order within an entry is
 * kept) to the last n entries of the flow, from `first`: each entry's items become its
 * before-items, its own, then its other items. Costs those entries' items once. */
void imp__entries_add_extras(ImpLayout *lay, guint first, guint n, GArray *extras);
/* Appends an extra item for entry `line` to `extras`. */
void imp__extra_add(GArray *extras, guint line, gboolean before, const ImpItem *item);
/* Entry i of the flow (valid until the next entry_new). */
static inline ImpEntry *imp__entry_at(ImpLayout *lay, guint i)
{
    return &g_array_index(lay->entries, ImpEntry, i);
}

/* How a block's lines are put into entries. */
typedef struct {
    guint block;        /* the document block (ImpItem.block) */
    const ImpBlock *b;  /* it, for its spans */
    double x;           /* left edge of the lines, absolute */
    double top;         /* y of the line box's top within its entry (table cells: the
                           padding) */
    double leading, size;
    double space_before;/* above the first line */
    guint16 cell;       /* ImpItem.cell */
    guint8 flags;       /* ImpItem.flags */
    gboolean decorate;  /* the block has spans drawn over its lines (inline.c) */
    gsize base;         /* where the lines' text starts in the block's (a PangoLayout of a
                           part of it: code.c), bytes */
} ImpLinePlace;

/* Adds one entry per line of the next paragraph merge.c has set (it must be for block
 * lp->b), with its link areas and other decorations; the layout takes the lines. Returns
 * how many entries were added (0 for an empty paragraph). */
guint imp__add_para_lines(ImpLayout *lay, const ImpLinePlace *lp);
/* The same for a PangoLayout's lines (greedy paragraphs, code, captions); the layout
 * keeps pl. */
guint imp__add_pango_lines(ImpLayout *lay, PangoLayout *pl, const ImpLinePlace *lp);
/* A text item for line 0 of pl, which the layout keeps (its missing glyphs reported
 * against block b, which may be NULL; its fonts noted): a marker, a number, a mark. */
ImpItem imp__text_item(ImpLayout *lay, PangoLayout *pl, const ImpBlock *b);
/* Whether our own breaker sets paragraphs (line-breaking=optimal), else Pango. */
gboolean imp__own_breaker(const ImpLayout *lay);
/* pl's logical width, points. */
double imp__pango_width(PangoLayout *pl);
/* Shapes `text` in role's style on the main context, unwrapped (transfer full). */
PangoLayout *imp__shape_short(ImpLayout *lay, ImpRole role, const char *text,
                              const char *lang);
/* Lists a paragraph for merge.c (the plan pass). */
void imp__flow_job(ImpFlow *f, const ImpBlock *b, ImpRole role, double width, int align,
                   const char *text, gsize len);

/* ---- heading.c ---- */

/* The role of a heading of `level` (1..6; deeper: h6). */
ImpRole imp__heading_role(guint level);
/* Plans the document's headings: their numbers when the style numbers them. */
void imp__headings_plan(ImpFlow *f);
/* Plans heading bi (its measure leaves room for its number). */
void imp__heading_plan_block(ImpFlow *f, guint bi);
/* Adds heading (or title, subtitle) bi: its anchor, number and lines. */
void imp__heading_add(ImpFlow *f, guint bi, double space);

/* ---- list.c ---- */

/* Plans block bi's frame from its list and quotation depths, and its role. */
void imp__list_plan_block(ImpFlow *f, guint bi, ImpRole *role);
/* Adds list item bi's marker to entry `entry` (the item's first line), or to a new entry
 * of its own when the item has no text. */
void imp__list_add_marker(ImpFlow *f, guint bi, guint entry, double space);

/* ---- code.c ---- */

/* Adds code block bi line for line. */
void imp__code_add(ImpFlow *f, guint bi, double space);

/* ---- table.c ---- */

/* Plans table bi: column widths from the cells' content; lists the cells for merge.c. */
void imp__table_plan(ImpFlow *f, guint bi);
/* Adds table bi: one entry per line of each row, its rules, its header marked for
 * repeating. */
void imp__table_add(ImpFlow *f, guint bi, double space);
void imp__table_plan_free(gpointer plan);

/* ---- image.c ---- */

/* Plans image bi: finds, reads and checks its file (a failure is reported, and its alt
 * text is then listed for merge.c to set in its place); lists its caption. */
void imp__image_plan(ImpFlow *f, guint bi);
/* Adds image bi: the image (or its alt text) and its caption. */
void imp__image_add(ImpFlow *f, guint bi, double space);

/* ---- inline.c ---- */

/* Adds the attributes of block's spans over its text's bytes [base, base + len) (`text`
 * is the block's whole text), at offsets from base: for a PangoLayout of a part of the
 * block. */
void imp__inline_add_spans_at(PangoAttrList *attrs, const ImpStyle *style, ImpRole role,
                              const char *text, gsize base, gsize len, const ImpBlock *block);
/* Whether block b has spans drawn over its set lines (links, strikethrough, emphasis of
 * CJK text): then its lines are looked at again; else not. */
gboolean imp__inline_decorates(const ImpBlock *b);
/* Adds the link areas, strike rules and emphasis dots of lp->b's spans to the entries
 * [first, first + n), the last of the flow, each holding one line (a GLYPHS or TEXT item)
 * of the block: each entry's items become its line, then what is drawn over it. */
void imp__inline_decorate(ImpLayout *lay, const ImpLinePlace *lp, guint first, guint n);
/* The x extent of bytes [from, to) of a set line (a GLYPHS or TEXT item), from the item's
 * x, its hyphen included when the range reaches the line's end; FALSE when the line holds
 * none of them. */
gboolean imp__line_range_x(const ImpItem *line, gsize from, gsize to, double *x0, double *x1);
/* The byte range [*start, *end) of the text a set line holds. */
void imp__line_bytes(const ImpItem *line, gsize *start, gsize *end);

#endif /* IMP_BLOCKS_H */
