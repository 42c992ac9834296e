/* layout-private.h — what the layout stage's files share and nobody else sees.
 *
 * The stage's files, in the order a document goes through them:
 *   layout.c     ImpLayout: options, the run of the stage, finished pages, getters
 *   blocks.c     block kinds → entries (one per line, masthead, rule or anchor) with keeps;
 *                each kind of block in a file of its own (blocks.h: heading.c, list.c,
 *                code.c, table.c, image.c, inline.c)
 *   merge.c      paragraphs set ahead on the pool, taken in document order
 *   pool.c       worker threads; results taken in job order
 *   para.c       one paragraph shaped and set into lines (with breaks.c, justify.c, para.h)
 *   breaker.c    total-fit line breaking on boxes, glue and penalties
 *   shape.c      attributes and PangoLayouts for a role: fonts and languages per script
 *   hyphen.c     hyphenation points from libhyphen's dictionaries
 *   paginate.c   entries → pages: keeps, widows, orphans, forced breaks (no fonts)
 *   running.c    headers and footers from their templates, set once per distinct text
 *   fonts.c      ImpFonts, worker contexts, canonical fonts, the fonts used
 *   fontconf.c   the font configuration and its includes, read without blocking
 *   fontcheck.c  font folders (regular files only), user faces and style families checked
 *   missing.c    glyphs no font has, and their diagnostics
 *   runstyle.c   run styles, shared by reference and interned
 *   glyphline.c  the compact form of a set line
 */
#ifndef IMP_LAYOUT_PRIVATE_H
#define IMP_LAYOUT_PRIVATE_H

#include <fontconfig/fontconfig.h>

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

/* Adds the attributes of `block`'s inline spans (emphasis, strong, code, links, languages)
 * over `text` set in `role` (inline.c; nothing when the block has no spans). */
void imp__inline_add_spans(PangoAttrList *attrs, const ImpStyle *style, ImpRole role,
                           const char *text, gsize len, const ImpBlock *block);

/* ---- image.c ---- */

/* Frees an image (a GDestroyNotify); NULL: no-op. */
void imp__image_free(gpointer image);

/* ---- fonts.c ---- */

/* A new measuring context for a worker thread, set up as the main one, over a new font map
 * of its own on the same FcConfig (transfer full: g_object_unref, which frees the font map
 * too). Use it on one thread only. */
PangoContext *imp__fonts_new_worker_context(ImpFonts *fonts);
/* Checks the fonts before a layout in `style`: fails with IMP_ERROR_FONT, naming the
 * configuration file, when they offer no font for the body text (after fontconfig's
 * fallbacks: a setup of Type 1 or bitmap fonts only); else reports through `diag` (may be
 * NULL) what the font setup's checks found and, once each, every family the style names
 * that the setup does not have (a warning naming the style, group and key, with the
 * nearest family it has, or where the family is installed outside the setup). */
gboolean imp__fonts_check_style(ImpFonts *fonts, const ImpStyle *style, const ImpDiag *diag,
                                GError **error);

/* What a font is, described on the thread whose font map made it: the description to load
 * another context's equivalent with, and the pattern properties that decide which glyphs
 * cairo draws. */
typedef struct {
    PangoFontDescription *desc; /* absolute size */
    FcPattern *key;             /* NULL: not a fontconfig font */
} ImpFontInfo;

/* One thread's shaping context and the descriptions of its fonts. */
typedef struct ImpShaper ImpShaper;
/* A shaper over ctx, which it frees when owns_ctx (transfer full: imp__shaper_free, on a
 * thread that no longer shapes with it). */
ImpShaper *imp__shaper_new(PangoContext *ctx, gboolean owns_ctx);
void imp__shaper_free(ImpShaper *sh);
PangoContext *imp__shaper_get_context(const ImpShaper *sh);
/* The description of `font`, one of sh's context's fonts, made once per shaper on the
 * shaper's thread (transfer none: valid while the shaper is). */
const ImpFontInfo *imp__shaper_describe(ImpShaper *sh, PangoFont *font);

/* The main context's equivalents of fonts made by any thread's context: the fonts drawn
 * never depend on which thread shaped a paragraph. Used on the main thread only. */
typedef struct ImpFontCanon ImpFontCanon;
/* A map to `main`'s fonts (borrowed; it must outlive the map). (transfer full) */
ImpFontCanon *imp__font_canon_new(ImpShaper *main);
/* The main context's font equivalent to `font` (described by fi), or NULL when it has
 * none (transfer none). The map holds a reference on `font` until imp__font_canon_forget,
 * so that no worker's font is finalised on the main thread while the worker runs. */
PangoFont *imp__font_canon_get(ImpFontCanon *canon, PangoFont *font, const ImpFontInfo *fi);
/* The equivalent of a font already mapped, `font` itself if it was never mapped or has none
 * (transfer none). */
PangoFont *imp__font_canon_lookup(ImpFontCanon *canon, PangoFont *font);
/* Drops every font the map holds; call once the workers are joined. */
void imp__font_canon_forget(ImpFontCanon *canon);
void imp__font_canon_free(ImpFontCanon *canon);

/* The set of fonts a layout uses, for imp_layout_get_fonts_used(): PangoFont* (a
 * reference) → its family name (transfer full: g_hash_table_destroy). */
GHashTable *imp__fonts_used_new(void);
/* Adds font (NULL: nothing) to the set. */
void imp__fonts_used_add(GHashTable *used, PangoFont *font);
/* Adds the fonts of every run of a PangoLayout. */
void imp__fonts_used_add_layout(GHashTable *used, PangoLayout *pl);
/* The sorted, distinct family names, comma-separated (transfer full: g_free). */
char *imp__fonts_used_join(GHashTable *used);

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
    /* CJK text (docs/cjk-typesetting.md); all 0 is strict kinsoku, Korean broken at
       syllables, Latin words in CJK paragraphs hyphenated, no cap on CJK spacing */
    ImpLineBreak line_break;   /* which characters may start a line */
    gboolean hangul_words;     /* Korean breaks at spaces (KLREQ), not between syllables */
    gboolean cjk_no_hyphens;   /* no hyphenation in a paragraph with CJK letters */
    double cjk_max_stretch;    /* em the space between two CJK characters may stretch
                                  where another set of breaks allows; <= 0: no cap */
} ImpParaSpec;

/* Fills the document-wide settings of `spec` from the style's [document]: the Han-Latin
 * gap, max-stretch and the CJK settings (line-break, hangul-breaks, cjk-hyphens,
 * cjk-max-stretch). Every paragraph the breaker sets should have them. */
void imp__para_spec_set_document(ImpParaSpec *spec, const ImpDocumentStyle *ds);

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
    double cjk_stretch_em; /* largest space between two CJK characters, em */
    gboolean overfull;
} ImpParaLine;

/* Sets `text` (borrowed; must outlive the result) with attributes `attrs` into lines.
 * (transfer full): a GPtrArray of ImpParaLine* that frees them. */
GPtrArray *imp__para_set(PangoContext *ctx, const char *text, gsize len, PangoAttrList *attrs,
                         const ImpParaSpec *spec);

/* ---- runstyle.c ---- */

/* A new empty set of interned run styles (transfer full: g_hash_table_destroy), holding a
 * reference on each. */
GHashTable *imp__run_style_set_new(void);
/* The set's one copy of `rs` with its font replaced by `font` (NULL: rs's own), added when
 * there is none yet (*added, which may be NULL, says so). (transfer none: the set's) */
const ImpRunStyle *imp__run_style_intern(GHashTable *set, const ImpRunStyle *rs,
                                         PangoFont *font, gboolean *added);

/* ---- glyphline.c ---- */

/* Glyphs [g0, g1) (in logical order) of shaped run `gi`, drawn in `style`, that a line
 * holds: bytes [from, to) of the text. Borrows gi and style. */
typedef struct {
    const PangoGlyphItem *gi;
    const ImpRunStyle *style;
    gsize from, to;
    int g0, g1;
} ImpGlyphSlice;

/* A new line of `text` (borrowed: it must outlive the line) holding the slices, left to
 * right, with a reference on each slice's style; its x, start, end, stretch and overfull are
 * 0 (transfer full: imp__para_line_free). */
ImpParaLine *imp__glyph_line_pack(const char *text, const ImpGlyphSlice *sl, guint n_slices);
/* A copy of a set line, holding its own references (a table header set again on a new
 * page), (transfer full: imp__para_line_free). */
ImpParaLine *imp__para_line_copy(const ImpParaLine *pl);
/* Frees an ImpParaLine and the references it holds (a GDestroyNotify); NULL: no-op. */
void imp__para_line_free(gpointer line);

/* ---- missing.c ---- */

/* Characters no font can show, reported once each (at their first place) with one closing
 * count of their further occurrences. */
typedef struct {
    const ImpDiag *diag;
    const char *file;       /* the source file, for messages (borrowed; may be NULL) */
    GHashTable *seen;       /* code points already reported */
    guint more;             /* their further occurrences */
} ImpMissing;

void imp__missing_init(ImpMissing *m, const ImpDiag *diag, const char *file);
void imp__missing_clear(ImpMissing *m);
/* Reports the characters of every line of a PangoLayout that no font could show, with
 * their source line in `block` (NULL: none). */
void imp__missing_check_layout(ImpMissing *m, PangoLayout *pl, const ImpBlock *block);
/* ... of a set line. */
void imp__missing_check_line(ImpMissing *m, const ImpGlyphLine *line, const ImpBlock *block);
/* Reports the closing count, if there are further occurrences. */
void imp__missing_summary(ImpMissing *m);

/* ---- paginate.c ---- */

/* One entry of the document's flow: a line of text (or a masthead, rule or anchor) with
 * its height and the space above it. */
typedef struct {
    double height;          /* advance of this entry */
    double space_before;    /* dropped at the top of a page */
    gboolean keep_with_next;/* no page break between this entry and the next */
    gboolean break_before;  /* a forced page break before this entry */
    guint first_item, n_items; /* its items (in ImpLayout.entry_items), y from its top */
    float repeat_height;    /* when a page starts at this entry: the height of the entries
                               set again above it (a table's header row), else 0 */
    guint repeat;           /* those entries: 1 + an index into ImpLayout.repeats; 0: none */
} ImpEntry;

/* Entries set again at the top of each page that starts inside a run of entries (a
 * table's header row over its body rows): [first, first + n) of the flow. */
typedef struct {
    guint first, n;
} ImpRepeat;

/* Sets the keeps of the n entries of one paragraph's lines: `keep_all` keeps every line
 * with the next (a heading, a notice); otherwise a page may break after line i only if at
 * least `orphans` lines stay before it and `widows` go after it. The last line keeps with
 * what follows only when keep_all. */
void imp__keep_lines(ImpEntry *lines, guint n, gboolean keep_all, int widows, int orphans);
/* Puts entries[0..n) on pages `avail` points tall: fills each page while the entries fit,
 * then breaks at the last place a break is allowed (after an entry that does not keep with
 * the next), or where the page overflows when a run of kept entries is taller than a page;
 * an entry taller than a page gets a page alone; a forced break starts a page (but not an
 * empty one). A page that starts at an entry with a repeat_height has that much less room.
 * Returns the first entry of each page (transfer full: a GArray of guint), at least one
 * page (an empty flow is one empty page). */
GArray *imp__paginate(const ImpEntry *entries, guint n, double avail);

/* ---- pool.c ---- */

typedef struct ImpPool ImpPool;

typedef struct {
    /* Makes a worker's state, on the worker's thread (returned by imp__pool_free). */
    gpointer (*start)(gpointer data);
    /* Does job `job` with `state` (a worker's, or the main_state given to imp__pool_take
       when there are no workers) and returns its result (transfer full). */
    gpointer (*run)(gpointer state, guint job, gpointer data);
    /* Frees a result never taken (a pool freed early); NULL: g_free. */
    GDestroyNotify free_result;
    gpointer data;
    /* Per job, its cost (bytes of text), which batches are sized by; NULL: 1 each. Borrowed:
       it must outlive the pool. */
    const gsize *cost;
    /* Starts a thread (g_thread_try_new, which NULL means); tests give one that fails. */
    GThread *(*spawn)(const char *name, GThreadFunc func, gpointer data, GError **error);
} ImpPoolSpec;

/* Starts up to n_threads workers on jobs [0, n_jobs). When a thread cannot be started the
 * pool goes on with those it has (none: imp__pool_take runs each job on the caller's
 * thread), and *error (may be NULL) says why. (transfer full: imp__pool_free) */
ImpPool *imp__pool_new(const ImpPoolSpec *spec, guint n_jobs, guint n_threads,
                       GError **error);
/* How many workers run. */
guint imp__pool_get_n_threads(const ImpPool *pool);
/* The result of the next job in order (transfer full), waiting for its worker, or running
 * it with main_state when there are none; *by_worker (may be NULL) says which. */
gpointer imp__pool_take(ImpPool *pool, gpointer main_state, gboolean *by_worker);
/* Stops and joins the workers and frees the results not taken. Returns the workers'
 * states (transfer full: the caller frees them, now that no worker runs). */
GPtrArray *imp__pool_free(ImpPool *pool);

/* ---- the layout (layout.c), shared by blocks.c, merge.c and running.c ---- */

/* Where the baseline of a line sits in its line box, as a fraction of the font size above
 * the centre of the leading: the em box's ascent (0.88 em for CJK fonts, close to the Latin
 * fonts' cap height + half their descent) centred in the box. */
#define IMP__EM_ASCENT 0.88

/* Baseline offset inside a line box of height `leading` for a font of `size`. */
static inline double imp__baseline_in_box(double leading, double size)
{
    return (leading - size) / 2 + IMP__EM_ASCENT * size;
}

typedef struct ImpMerge ImpMerge;

struct ImpLayout {
    const ImpDocument *doc;
    const ImpStyle *style;  /* the caller's, or `localized` */
    ImpStyle *localized;    /* the caller's resolved for the document's language, or NULL */
    ImpFonts *fonts;
    double page_w, page_h;
    double text_x, text_w, text_top, text_bottom;
    /* what the pages' items point to, held until the layout is freed */
    GPtrArray *layouts;     /* PangoLayout*: every layout whose lines TEXT items point to */
    GPtrArray *labels;      /* char*: anchor labels */
    GHashTable *run_styles; /* interned ImpRunStyle*: what every set line's runs point to */
    GArray *notice_items;   /* ImpItem: the every-page notice, y from its top; owns its
                               lines */
    double notice_height;
    GHashTable *running;    /* running.c: the running heads set, by role, width and text */
    GStringChunk *running_text; /* their texts */
    GPtrArray *pages;       /* Page* (layout.c); NULL once released */
    char *fonts_used;
    /* while imp__layout_new() runs */
    const ImpDiag *diag;
    int jobs;               /* worker threads asked for (>= 1) */
    GArray *entries;        /* ImpEntry */
    GArray *entry_items;    /* ImpItem */
    GPtrArray *para_lines;  /* ImpParaLine*: lines of our own until the pages take them */
    ImpHyphenator *hyphenator; /* dictionaries by language, loaded on first use */
    ImpMerge *merge;        /* while the entries are built */
    ImpMissing missing;
    GHashTable *fonts_seen; /* imp__fonts_used_new() */
    GArray *repeats;        /* ImpRepeat: entries set again on pages (table headers) */
    GPtrArray *images;      /* ImpImage*: what IMAGE items point to (image.c) */
};

/* Places entries [from, to) from y down: appends their items to `out` with absolute y (the
 * first entry's space above is dropped, as at the top of a page). Returns the y below. */
double imp__layout_place(const ImpLayout *lay, guint from, guint to, double y, GArray *out);
/* Places, from y down, the entries set again above entry `from` when a page starts there
 * (a table's header row: copies of its lines, marked IMP_ITEM_REPEATED and
 * IMP_ITEM_ARTIFACT, owned by `out`'s page). Returns the y below (y when there are none). */
double imp__blocks_place_repeat(const ImpLayout *lay, guint from, double y, GArray *out);
/* The layout's one copy of run style rs with font `font` (NULL: its own), its font noted
 * as used when it is new (transfer none). */
const ImpRunStyle *imp__layout_intern_style(ImpLayout *lay, const ImpRunStyle *rs,
                                            PangoFont *font);

/* ---- blocks.c ---- */

/* Turns the document's blocks into lay->entries (and the every-page notice into
 * lay->notice_items), setting paragraphs on lay->jobs threads through merge.c. */
void imp__blocks_build(ImpLayout *lay);

/* ---- merge.c ---- */

/* A paragraph to be set with our own breaker: what blocks.c would set it with. */
typedef struct {
    const ImpBlock *block;
    ImpRole role;
    gboolean bold;
    double width;           /* the measure */
    int align;              /* ImpAlign; < 0: the role's (a table column's alignment) */
    const char *text;       /* text to set instead of the block's, without its spans (an
                               image's caption; borrowed from the document); NULL: the
                               block's */
    gsize len;
} ImpParaJob;

/* Starts setting the paragraphs `jobs` (ImpParaJob, in the order they will be taken; the
 * merge takes the array) ahead, on worker threads when there is enough text. */
void imp__merge_start(ImpLayout *lay, GArray *jobs);
/* The set lines of the next paragraph, which must be for block b (transfer full: a
 * GPtrArray of ImpParaLine* that frees them), in the main context's fonts with the
 * layout's run styles; their missing glyphs, overfull and loose lines are reported. *job
 * is the paragraph's job (transfer none). */
GPtrArray *imp__merge_take(ImpLayout *lay, const ImpBlock *b, const ImpParaJob **job);
/* Joins the workers and frees what the merge holds, once every paragraph is taken. */
void imp__merge_finish(ImpLayout *lay);

/* ---- running.c ---- */

/* Expands a header/footer template: {page}, {pages} and the document's metadata fields;
 * {{ and }} are braces (transfer full). Unknown fields cannot occur: the style rejects
 * them. */
char *imp__running_expand(const ImpDocument *doc, const char *tpl, guint page, guint pages);
/* Appends the header and footer of page `page` (0-based) of `pages` to `items`. */
void imp__running_add(ImpLayout *lay, guint page, guint pages, GArray *items);
/* Frees the running heads set (lay->running and lay->running_text). */
void imp__running_free(ImpLayout *lay);

#endif /* IMP_LAYOUT_PRIVATE_H */
