/* layout.h — document + resolved style → pages.
 *
 * ImpFonts is the font setup: imprint's own fontconfig file (fonts/fonts.conf), a Pango font
 * map over it, and a measuring context at 72 dpi with unhinted metrics, so that one point in
 * the style is one PDF unit and widths do not depend on the output device.
 *
 * ImpLayout shapes every block once, breaks it into lines, and places the lines on pages
 * with the header, footer, masthead, rules and notice. Each page is a flat list of items
 * (text lines and rules) in drawing order, with positions in points from the page's top-left
 * corner; the render stage only draws them. Lines of body text are kept compact (about 6
 * bytes a glyph, see ImpGlyphLine), since every page's lines are held until the page count
 * is known; a page's running heads are set only when it is asked for, and its lines are
 * freed once it is drawn (imp_layout_release_page).
 *
 * Paragraphs set by imprint's own breaker are shaped and broken on `jobs` worker threads,
 * each with its own Pango context and font map; the rest (entries, pagination, running
 * heads, diagnostics) runs on the calling thread, and the lines are drawn in the main
 * context's fonts, so the result, its diagnostics and their order do not depend on `jobs`.
 * The ImpFonts must not be used by another thread while imp__layout_new() runs.
 *
 * Invariants:
 *  1. Every character of every block's text is in exactly one placed line (characters in =
 *     characters out); characters no font can show are reported through the diag.
 *  2. No item lies outside the page, and body lines lie inside the text area.
 *  3. The result depends only on the document, the style and the fonts.
 */
#ifndef IMP_LAYOUT_H
#define IMP_LAYOUT_H

#include <glib.h>
#include <pango/pango.h>

#include <imprint/imprint-layout.h> /* the public part: ImpLayout, free, pages */

#include "../model/document.h"
#include "../style/style.h"
#include "../util/diag.h"

G_BEGIN_DECLS

typedef struct ImpFonts ImpFonts;

/* Loads the fontconfig file `fonts_conf` (fonts/fonts.conf) and builds the font map.
 * Fails with IMP_ERROR_FONT naming the file when it cannot be loaded or finds no fonts.
 * (transfer full): free with imp_fonts_free(). */
ImpFonts *imp_fonts_new(const char *fonts_conf, GError **error);
void imp_fonts_free(ImpFonts *fonts);
/* The measuring context (transfer none). */
PangoContext *imp_fonts_get_context(ImpFonts *fonts);

typedef struct {
    const ImpDiag *diag;  /* where findings go; may be NULL */
    int jobs;             /* worker threads for shaping and breaking; <= 0: one per core;
                             1: none (all on the calling thread). Output is the same. */
} ImpLayoutOptions;

typedef struct ImpLayout ImpLayout;

/* How a run of glyphs is drawn: Pango's analysis of its text (font, bidi level, script,
 * language; extra_attrs always NULL) and the colour and underline its attributes asked for.
 * Shared by every line that holds a run of it: the layout keeps one per distinct value, so
 * this costs nothing per line. `ref` is private (see imp__run_style_unref). */
typedef struct {
    PangoAnalysis analysis;  /* its font is a reference the style holds */
    guint32 color;           /* 0xRRGGBB */
    gboolean underline;
    gint ref;
} ImpRunStyle;

/* One glyph of a set line, compactly: its id and advance in Pango units, 16 bits each (a
 * font has at most 65,535 glyphs; 32,767 units is 32 pt). The rare glyph that does not fit
 * (IMP_GLYPH_IN_EXTRA, IMP_WIDTH_IN_EXTRA: a Pango special glyph such as a missing one, a
 * very wide advance) or that has offsets or unusual flags has an ImpGlyphExtra, whose values
 * are then the ones that count. */
typedef struct {
    guint16 glyph;
    gint16 width;
} ImpGlyph;

#define IMP_GLYPH_IN_EXTRA G_MAXUINT16
#define IMP_WIDTH_IN_EXTRA G_MININT16

typedef struct {
    guint32 index;           /* glyph index in the line */
    PangoGlyph glyph;        /* the whole glyph: id, advance, offsets and flags */
    gint32 width;
    gint32 x_offset, y_offset;
    PangoGlyphVisAttr attr;
} ImpGlyphExtra;

/* A run of a set line: glyphs of one style for bytes [offset, offset + length) of the
 * text, in visual order, glyphs [first_glyph, first_glyph + n_glyphs) of the line. */
typedef struct {
    const ImpRunStyle *style;
    guint32 offset, length, num_chars;
    guint32 first_glyph, n_glyphs;
} ImpGlyphRun;

/* A line set by imprint's own breaker (line-breaking=optimal): shaped runs, already
 * justified (the glyph widths carry the added space), drawn left to right. Kept compact
 * (about 6 bytes a glyph, in one allocation with the line) because a long document holds
 * every line until it is drawn; imp_glyph_line_fill_run() turns a run back into Pango's
 * form for drawing. */
typedef struct {
    const char *text;        /* the paragraph's text, which the runs index into */
    guint n_runs;
    const ImpGlyphRun *runs; /* left to right */
    const ImpGlyph *glyphs;
    const guint16 *clusters16; /* per glyph: its cluster's byte offset from its run's offset */
    const guint32 *clusters32; /* ... instead, when a run is 64 KiB or longer (one is NULL) */
    guint n_extra;
    const ImpGlyphExtra *extra;/* by index */
    PangoGlyphString *hyphen;/* a hyphen to draw after the runs, or NULL */
    const ImpRunStyle *hyphen_style; /* its font and colour */
} ImpGlyphLine;

/* Whether `glyph` is one no font has, for a character that is drawn: Pango's unknown glyph
 * for anything but a control character or white space (a tab), which Pango leaves
 * undrawn. The layout gives such glyphs the width of the font's .notdef glyph, which the
 * render stage draws in their place, with the character in the text layer. */
gboolean imp_glyph_is_missing(PangoGlyph glyph);

/* Fills `item` and `glyphs` (caller-owned; the glyph string is resized) with run k of `line`
 * as Pango has it, for pango_cairo_show_glyph_item(). The item borrows the style's font:
 * do not pango_item_free() it. */
void imp_glyph_line_fill_run(const ImpGlyphLine *line, guint k, PangoItem *item,
                             PangoGlyphString *glyphs);
/* Run k of `line` as a new PangoGlyphItem (transfer full: pango_glyph_item_free). */
PangoGlyphItem *imp_glyph_line_dup_run(const ImpGlyphLine *line, guint k);

typedef enum {
    IMP_ITEM_TEXT,   /* one line of text: `line`, drawn with its left end at (x, y = baseline) */
    IMP_ITEM_GLYPHS, /* one line of text: `glyphs`, drawn with its left end at (x, y) */
    IMP_ITEM_RULE,   /* a horizontal rule from (x, y) to (x + width, y), centred on y */
    IMP_ITEM_ANCHOR  /* a destination for the PDF outline: `label` at level `level` */
} ImpItemKind;

/* One thing drawn on a page (48 bytes: a long document holds one per line until the page
 * is drawn, hence the unions: only the fields of the item's kind are set). */
typedef struct {
    ImpItemKind kind;
    union {
        guint32 color;     /* RULE: 0xRRGGBB (text colour is in the line's attributes) */
        int level;         /* ANCHOR: 1 = top */
    };
    double x, y;
    union {
        PangoLayoutLine *line;      /* TEXT: owned by the layout */
        const ImpGlyphLine *glyphs; /* GLYPHS: owned by the layout */
        const char *label;          /* ANCHOR: owned by the layout */
    };
    double width;          /* RULE */
    double thickness;      /* RULE */
} ImpItem;

/* Lays out `doc` with `style` and `fonts`; all three must outlive the result, which keeps
 * references to them. Fails (IMP_ERROR_*) only for problems of the world, such as fonts that
 * cannot be loaded. (transfer full): free with imp_layout_free(). */
ImpLayout *imp__layout_new(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                          const ImpLayoutOptions *options, GError **error);
void imp_layout_free(ImpLayout *layout);

guint imp_layout_get_n_pages(const ImpLayout *layout);
void imp_layout_get_page_size(const ImpLayout *layout, double *width, double *height);
/* The items of page `page` (0-based) in drawing order, its running heads and every-page
 * notice included (transfer none): valid until the next call or imp_layout_release_page().
 * The running heads are set on this call, so that no page but the one being drawn holds
 * them. */
const ImpItem *imp_layout_get_items(ImpLayout *layout, guint page, guint *n_items);
/* Frees what only page `page` needs (its lines and running heads), once it is drawn: a long
 * document is drawn page by page without holding every page until the end. The page cannot
 * be asked for again. */
void imp_layout_release_page(ImpLayout *layout, guint page);
/* The document the layout was made from (transfer none). */
const ImpDocument *imp_layout_get_document(const ImpLayout *layout);
/* Comma-separated font families actually used, sorted (transfer none), for --verbose. */
const char *imp_layout_get_fonts_used(const ImpLayout *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpFonts, imp_fonts_free)

G_END_DECLS

#endif /* IMP_LAYOUT_H */
