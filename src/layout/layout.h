/* layout.h — document + resolved style → finished pages.
 *
 * ImpFonts is the font setup: imprint's own fontconfig file (fonts/fonts.conf), a Pango font
 * map over it, and a measuring context at 72 dpi with unhinted metrics, so that one point in
 * the style is one PDF unit and widths do not depend on the output device. It changes no
 * process-wide state: the host program's fontconfig configuration stays its own.
 *
 * ImpLayout shapes every block once, breaks it into lines, and places the lines on pages
 * with the header, footer, masthead, rules and notice. imp__layout_new() does all of it:
 * when it returns, every page is finished (running heads set) and every finding has been
 * reported. The result is then read-only data: each page is a flat list of items (text
 * lines and rules) in drawing order, with positions in points from the page's top-left
 * corner, which the render stage draws any number of times, in any order. Lines of text are
 * kept compact (about 6 bytes a glyph, see ImpGlyphLine; a running head that reads the same
 * on many pages is held once). Only the caller frees a page early
 * (imp_layout_release_page()), to draw a long document in bounded memory.
 *
 * Paragraphs set by imprint's own breaker are shaped and broken on `jobs` worker threads,
 * each with its own Pango context and font map; the rest (entries, pagination, running
 * heads, diagnostics) runs on the calling thread, and the lines are drawn in the main
 * context's fonts, so the result, its diagnostics and their order do not depend on `jobs`.
 * The ImpFonts must not be used by another thread while imp__layout_new() runs, nor a
 * layout be drawn by two threads at once; two layouts with two ImpFonts may be made and
 * drawn on two threads at once.
 *
 * Invariants:
 *  1. Every character of every block's text is in exactly one placed line (characters in =
 *     characters out); characters no font can show are reported through the diag.
 *  2. No item lies outside the page, and body lines lie inside the text area.
 *  3. The result depends only on the document, the style and the fonts.
 *  4. Nothing reads or writes a layout after imp__layout_new() but the getters and
 *     imp_layout_release_page(): drawing a page does not change it.
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

typedef enum {
    IMP_FONTS_DEFAULT = 0,
    /* Also make the FcConfig fontconfig's current one, for the whole process. Only for a
       program that owns its process (the imprint command): Pango's start-up thread then
       does not load the system's configuration as well, which saves a tenth of a short
       run's instructions. A library caller must not: the host's own fonts would change. */
    IMP_FONTS_MAKE_CURRENT = 1 << 0
} ImpFontsFlags;

/* Loads the fontconfig file `fonts_conf` (fonts/fonts.conf) into a private FcConfig and
 * builds the font map over it; fontconfig's current configuration is left alone. Fails
 * with IMP_ERROR_FONT naming the file when it cannot be loaded or finds no fonts.
 * (transfer full): free with imp_fonts_free(). */
ImpFonts *imp_fonts_new(const char *fonts_conf, GError **error);
/* imp_fonts_new() with flags (ImpFontsFlags). */
ImpFonts *imp_fonts_new_full(const char *fonts_conf, guint flags, GError **error);
/* imp_fonts_new_full() with more folders of fonts, `font_dirs` (NULL-terminated, may be
 * NULL), preferred to all others in their order. The fonts are, in order of preference:
 * font_dirs, the folder user/ beside `fonts_conf`, the folders the configuration names.
 * Nothing in the setup can block or run away: the configuration and its includes are read
 * by imprint within bounds, and only regular files of the folders reach fontconfig; what is
 * skipped (an include or a folder entry that is a FIFO, a device, a socket, a loop; a face
 * of font_dirs or user/ that FreeType cannot load or whose metrics are absurd) is kept as
 * a finding, which every layout reports as a warning. A folder of font_dirs that cannot be
 * read is such a finding too. */
ImpFonts *imp_fonts_new_with_dirs(const char *fonts_conf, const char *const *font_dirs,
                                  guint flags, GError **error);
/* Frees the fonts; NULL is a no-op. No layout made with them may be used afterwards. */
void imp_fonts_free(ImpFonts *fonts);
/* The measuring context (transfer none). */
PangoContext *imp_fonts_get_context(ImpFonts *fonts);

/* How a layout is made. Fill with imp__layout_options_init() and then set fields by name:
 * fields are added at the end as the layout learns more, with defaults there. */
typedef struct {
    const ImpDiag *diag;  /* where findings go (borrowed; used only during
                             imp__layout_new()); NULL: dropped */
    int jobs;             /* worker threads for shaping and breaking; <= 0: one per core;
                             1: none (all on the calling thread). Output is the same. */
} ImpLayoutOptions;

/* Sets the defaults: no diag, one worker per core. */
void imp__layout_options_init(ImpLayoutOptions *options);

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

/* An image decoded by the layout (owned by it), for the render stage to draw: a raster
 * (PNG, JPEG: JPEG bytes are embedded as they are) or a vector (SVG) image. The layout
 * stage defines it (image.c). */
typedef struct ImpImage ImpImage;

typedef enum {
    IMP_ITEM_TEXT,   /* one line of text: `line`, drawn with its left end at (x, y = baseline) */
    IMP_ITEM_GLYPHS, /* one line of text: `glyphs`, drawn with its left end at (x, y) */
    IMP_ITEM_RULE,   /* a horizontal rule from (x, y) to (x + width, y), centred on y */
    IMP_ITEM_ANCHOR, /* a title or heading: an outline entry `label` (its number and text)
                        at level `level` (the heading's level; the title 1), and the
                        destination of "#id" links when its block has an id; y is the top
                        of the heading, x 0 (the page's left edge stays in view) */
    IMP_ITEM_LINK,   /* a clickable area over (part of) a line of link text: top-left (x, y),
                        `width` x `thickness` (its height: the line box); `label` is the
                        href, a URL or "#id" (owned by the document). One per line a link
                        is on, after that line's item in the same entry; the link's glyphs
                        are runs of their own in that line */
    IMP_ITEM_IMAGE,  /* `image` drawn in the box with top-left (x, y), `width` x `thickness`
                        (its height); its block's text is the alt text (image.h) */
    IMP_ITEM_BOX     /* a filled rectangle (a code block's tint): top-left (x, y), `width` x
                        `thickness` (its height), colour `color` */
} ImpItemKind;

/* What an item is to the document, for a tagged PDF's structure (ImpItem.flags). */
typedef enum {
    /* Page furniture, not document content (a tagged PDF's artifact): running heads and
       footers, the masthead, rules (notice, table, thematic break, strikethrough), a code
       block's tint and rule, a wrapped code line's continuation mark, emphasis dots. */
    IMP_ITEM_ARTIFACT = 1 << 0,
    /* Added text that labels its block (a tagged PDF's Lbl): a list item's marker ("•",
       "3.", "☐"), a heading's number ("1.2"). Drawn before the block's first line. */
    IMP_ITEM_MARKER = 1 << 1,
    /* A copy of a block's lines set again (the every-page notice; a table's header row at
       the top of a page the table runs on, `cell` saying which cell); also an ARTIFACT,
       and `block` says which block it copies. */
    IMP_ITEM_REPEATED = 1 << 2
} ImpItemFlags;

/* ImpItem.block of an item that comes from no block (running heads, the masthead). */
#define IMP_ITEM_NO_BLOCK G_MAXUINT32

/* One thing drawn on a page, in 48 bytes: a long document holds one per line, hence the
 * unions (only the fields of the item's kind are set). */
typedef struct {
    guint8 kind;           /* ImpItemKind */
    guint8 flags;          /* ImpItemFlags */
    guint16 cell;          /* an item of a TABLE block: 1 + its cell's index, row by row
                              (row * columns + column; 0xFFFF when that does not fit),
                              so that a tagged PDF can group it into TR and TD/TH;
                              else 0 */
    guint32 block;         /* the document block it comes from (imp_document_get_block()),
                              or IMP_ITEM_NO_BLOCK */
    double x, y;
    union {
        PangoLayoutLine *line;      /* TEXT: owned by the layout */
        const ImpGlyphLine *glyphs; /* GLYPHS: owned by the layout */
        const char *label;          /* ANCHOR, LINK: owned by the layout */
        const ImpImage *image;      /* IMAGE: owned by the layout */
        guint32 color;              /* RULE, BOX: 0xRRGGBB (text colour is in the line's
                                       runs) */
    };
    union {
        struct {
            double width;           /* RULE, LINK, IMAGE, BOX */
            double thickness;       /* RULE; the height of a LINK, IMAGE, BOX */
        };
        int level;                  /* ANCHOR: 1 = top */
    };
} ImpItem;

G_STATIC_ASSERT(sizeof(ImpItem) <= 48);

/* Lays out `doc` with `style` and `fonts`; all three must outlive the result, which keeps
 * references to them. When the document has a language (IMP_META_LANGUAGE) other than the
 * style's, the style's values for that language are used (imp_style_localize; `style`
 * itself is not changed). `options` may be NULL (the defaults). Every page is finished and
 * every finding reported through options->diag before this returns. Fails with
 * IMP_ERROR_STYLE when the document's language is not a language tag, with
 * IMP_ERROR_FONT when the fonts offer no font for the body text (a configuration whose
 * fonts Pango cannot use, such as Type 1 or bitmap fonts only). (transfer full): free with
 * imp_layout_free(). */
ImpLayout *imp__layout_new(const ImpDocument *doc, const ImpStyle *style, ImpFonts *fonts,
                           const ImpLayoutOptions *options, GError **error);
/* Frees the layout and every page it still holds; NULL is a no-op. */
void imp_layout_free(ImpLayout *layout);

guint imp_layout_get_n_pages(const ImpLayout *layout);
void imp_layout_get_page_size(const ImpLayout *layout, double *width, double *height);
/* The items of page `page` (0-based) in drawing order, its running heads and every-page
 * notice included (transfer none: valid until the page is released or the layout freed).
 * NULL, with *n_items 0, once the page has been released. Reading changes nothing: call it
 * for any page, any number of times, in any order. */
const ImpItem *imp_layout_get_items(const ImpLayout *layout, guint page, guint *n_items);
/* Frees what only page `page` holds (its body lines and items): a caller that draws a long
 * document page by page calls it once a page is drawn, so that pages drawn are not held
 * until the end. The page cannot be read or drawn afterwards (imp_layout_get_items() gives
 * NULL); releasing it again is a no-op. Never called by the library itself. */
void imp_layout_release_page(ImpLayout *layout, guint page);
/* The document the layout was made from (transfer none). */
const ImpDocument *imp_layout_get_document(const ImpLayout *layout);
/* Comma-separated font families actually used, sorted (transfer none), for --verbose. */
const char *imp_layout_get_fonts_used(const ImpLayout *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpFonts, imp_fonts_free)

G_END_DECLS

#endif /* IMP_LAYOUT_H */
