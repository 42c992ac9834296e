/* layout-private.h — what the layout stage's files share and nobody else sees. */
#ifndef IMP_LAYOUT_PRIVATE_H
#define IMP_LAYOUT_PRIVATE_H

#include "layout.h"

/* Script class of a character, for choosing a font family list and a language. */
typedef enum {
    IMP__CLASS_NEUTRAL,   /* spaces, ASCII punctuation, marks: take the class around them */
    IMP__CLASS_CJK_PUNCT, /* CJK and full-width punctuation: a CJK class, Han if unknown */
    IMP__CLASS_LATIN,
    IMP__CLASS_HAN,
    IMP__CLASS_KANA,
    IMP__CLASS_HANGUL,
    IMP__CLASS_OTHER      /* other scripts: the fallback family list */
} ImpCharClass;

ImpCharClass imp__char_class(gunichar c);

/* Shapes `text` in `role`'s style into a new PangoLayout `width` points wide (<= 0: no
 * wrapping). `lang` is the text's language (NULL: the style's document language).
 * `spans` (may be NULL) come from the block. (transfer full) */
PangoLayout *imp__shape(PangoContext *ctx, const ImpStyle *style, ImpRole role,
                        const char *text, gsize len, const char *lang, double width,
                        const ImpBlock *spans);


/* Attributes for `text` in `role`'s style: the role's font (as a font-description
 * attribute over the whole text, so the context is never changed), colour, script runs with
 * their languages, and the block's inline spans. (transfer full): pango_attr_list_unref. */
PangoAttrList *imp__shape_attrs(const ImpStyle *style, ImpRole role, const char *text,
                                gsize len, const char *lang, const ImpBlock *spans);

/* ---- fonts.c ---- */

/* A new measuring context for a worker thread, set up as the main one, over a new font map
 * of its own on the same FcConfig (transfer full: g_object_unref, which frees the font map
 * too). Use it on one thread only. */
PangoContext *imp__fonts_new_worker_context(ImpFonts *fonts);

/* ---- hyphen.c ---- */

typedef struct ImpHyphenator ImpHyphenator;
ImpHyphenator *imp__hyphenator_new(const char *dir);
ImpHyphenator *imp__fonts_get_hyphenator(ImpFonts *fonts, const char *dir);
void imp__hyphenator_free(ImpHyphenator *h);
void imp__hyphenator_prefetch(ImpHyphenator *h, const char *lang);
const char *imp__hyphen_language(const char *lang);
gboolean imp__hyphenator_hyphenate(ImpHyphenator *h, const char *lang, const char *word,
                                   gsize len, guint n_chars, guint8 *points);

/* ---- para.c ---- */

/* What a paragraph is set with. Lengths in points. */
typedef struct {
    double width;          /* the measure */
    double indent;         /* first-line indent (< 0: a hanging indent for the others) */
    double size;           /* font size: one em */
    ImpAlign align;
    gboolean hyphenate;
    const char *lang;      /* language of the Latin text, for hyphenation */
    double han_latin_gap;  /* em */
    double max_stretch;    /* em */
    ImpHyphenator *hyphenator; /* may be NULL: no hyphenation */
} ImpParaSpec;

/* A new run style for a shaped item: its analysis (the font referenced, no extra
 * attributes) and the colour and underline of its attributes (transfer full: one ref). */
ImpRunStyle *imp__run_style_new(const PangoItem *item);
const ImpRunStyle *imp__run_style_ref(const ImpRunStyle *rs);
/* Drops a reference; the last one frees the style and its font reference. NULL: no-op. */
void imp__run_style_unref(const ImpRunStyle *rs);
/* Whether two styles draw alike (same font object, analysis, colour and underline). */
gboolean imp__run_style_equal(gconstpointer a, gconstpointer b);
guint imp__run_style_hash(gconstpointer a);

/* One set line of a paragraph, in one allocation with its glyphs (imp__para_line_free).
 * The line holds a reference on each of its runs' styles and on the hyphen's. */
typedef struct {
    ImpGlyphLine line;     /* what render draws */
    double x;              /* left end relative to the paragraph's left edge */
    gsize start, end;      /* its bytes of the paragraph's text */
    double stretch_em;     /* largest extra per word space, em (0 unless stretched) */
    gboolean overfull;
} ImpParaLine;

/* Sets `text` (borrowed; must outlive the result) with attributes `attrs` into lines.
 * (transfer full): a GPtrArray of ImpParaLine* that frees them. */
/* Frees an ImpParaLine (a GDestroyNotify). */
void imp__para_line_free(gpointer line);

GPtrArray *imp__para_set(PangoContext *ctx, const char *text, gsize len, PangoAttrList *attrs,
                         const ImpParaSpec *spec);

#endif /* IMP_LAYOUT_PRIVATE_H */
