/* fonts.c — imprint's font setup: its own fontconfig file, a Pango font map over it, and the
 * measuring context every layout is made in; the worker threads' contexts, and mapping
 * their fonts to the main context's; the list of fonts used.
 *
 * Why our own FcConfig: the default configuration follows the machine's locale, its
 * /etc/fonts rules and the FONTCONFIG_* environment, so the same style could pick another
 * face elsewhere (a Kai face for Han text was seen). Loading fonts/fonts.conf into a private
 * FcConfig, given to the font map with pango_fc_font_map_set_config(), makes the choice
 * depend on that file and the font files alone.
 *
 * Threads: the layout shapes paragraphs on worker threads, each with its own context and
 * font map over the same FcConfig (imp__fonts_new_worker_context); only the main context's
 * fonts are ever drawn: at the merge each worker font is replaced by its main-context
 * equivalent (ImpFontCanon: same face file and index, size and rendering options).
 *
 * Why 72 dpi and unhinted metrics: one point in a style is then one PDF unit, and glyph
 * advances are the fonts' own design widths, the same for PDF, PNG and SVG.
 *
 * Invariants:
 *  1. No process-wide state changes: fontconfig's current configuration stays the host's
 *     (unless a program that owns its process asks, IMP_FONTS_MAKE_CURRENT).
 *  2. A Pango object is used by the thread whose font map made it: a font is described
 *     (ImpFontInfo) by its own thread's shaper; the canonical map is used on the main
 *     thread, and holds a reference on every font it saw until the workers are joined.
 *  3. Two fonts are equivalent only when described alike and their keys (face file and
 *     index, size, transform, synthesis, rendering options) are equal, so the same glyph
 *     ids draw the same glyphs from the same embedded subset.
 */
#include "layout-private.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

#include "../util/error.h"

struct ImpFonts {
    FcConfig *config;        /* a reference; shared (read-only) by the worker font maps */
    char *path;              /* the configuration file, for messages */
    PangoFontMap *font_map;
    PangoContext *context;
    ImpHyphenator *hyphenator; /* shared by the layouts made with these fonts */
};

/* Gives a context the measuring settings: 72 dpi, unhinted metrics, unrounded positions.
 * Every context that shapes text for a layout must have exactly these, so that widths do
 * not depend on which context (thread) measured them. */
static void setup_context(PangoContext *ctx)
{
    pango_cairo_context_set_resolution(ctx, 72.0);
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    pango_context_set_round_glyph_positions(ctx, FALSE);
}

/* A new font map over our FcConfig (transfer full). */
static PangoFontMap *font_map_new(FcConfig *config)
{
    PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
    return map;
}

/* Loads `fonts_conf` into a private FcConfig and builds the font map and context. */
ImpFonts *imp_fonts_new(const char *fonts_conf, GError **error)
{
    return imp_fonts_new_full(fonts_conf, IMP_FONTS_DEFAULT, error);
}

/* imp_fonts_new() with flags; see layout.h. */
ImpFonts *imp_fonts_new_full(const char *fonts_conf, guint flags, GError **error)
{
    g_return_val_if_fail(fonts_conf != NULL, NULL);

    if (!g_file_test(fonts_conf, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s: font configuration not found",
                    fonts_conf);
        return NULL;
    }
    FcConfig *config = FcConfigCreate();
    if (!FcConfigParseAndLoad(config, (const FcChar8 *)fonts_conf, FcTrue) ||
        !FcConfigBuildFonts(config)) {
        FcConfigDestroy(config);
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: cannot load the font configuration", fonts_conf);
        return NULL;
    }
    FcFontSet *set = FcConfigGetFonts(config, FcSetSystem);
    if (set == NULL || set->nfont == 0) {
        FcConfigDestroy(config);
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: no fonts found in the folders it names (are fonts-noto-core and "
                    "fonts-noto-cjk installed?)", fonts_conf);
        return NULL;
    }

    /* Pango's first font map starts a thread that loads fontconfig's current configuration
       (the system's, unless one is set) to warm its caches; making ours current spares that
       (about a tenth of a short run's instructions) and changes no font choice, since the
       font map below is given ours explicitly. But it changes the fonts of the whole
       process, so only when asked. */
    if (flags & IMP_FONTS_MAKE_CURRENT)
        FcConfigSetCurrent(config);

    ImpFonts *fonts = g_new0(ImpFonts, 1);
    fonts->config = config; /* our reference from FcConfigCreate */
    fonts->path = g_strdup(fonts_conf);
    fonts->font_map = font_map_new(config);
    fonts->context = pango_font_map_create_context(fonts->font_map);
    setup_context(fonts->context);
    return fonts;
}

/* A context for one worker thread; see layout-private.h. Its own font map, so that no Pango
 * object (font map, fontset cache, font) is shared with another thread; only the FcConfig
 * is, which fontconfig allows. */
PangoContext *imp__fonts_new_worker_context(ImpFonts *fonts)
{
    g_return_val_if_fail(fonts != NULL, NULL);
    PangoFontMap *map = font_map_new(fonts->config);
    PangoContext *ctx = pango_font_map_create_context(map);
    g_object_unref(map); /* the context holds it */
    setup_context(ctx);
    return ctx;
}

/* Releases the context and font map. */
void imp_fonts_free(ImpFonts *fonts)
{
    if (fonts == NULL)
        return;
    imp__hyphenator_free(fonts->hyphenator);
    g_object_unref(fonts->context);
    g_object_unref(fonts->font_map);
    FcConfigDestroy(fonts->config);
    g_free(fonts->path);
    g_free(fonts);
}

PangoContext *imp_fonts_get_context(ImpFonts *fonts)
{
    g_return_val_if_fail(fonts != NULL, NULL);
    return fonts->context;
}

/* Whether a font can be loaded for the role; see layout-private.h. fontconfig falls back to
 * any font it has, so this fails only when Pango can use none of them: it takes TrueType
 * and OpenType fonts only, and a configuration of Type 1 or bitmap fonts leaves it none. */
gboolean imp__fonts_check(ImpFonts *fonts, const ImpRoleStyle *rs, const char *what,
                          GError **error)
{
    g_return_val_if_fail(fonts != NULL && rs != NULL && what != NULL, FALSE);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, rs->family[IMP_SCRIPT_LATIN]);
    pango_font_description_set_absolute_size(fd, MAX(rs->size, 1) * PANGO_SCALE);
    PangoFont *font = pango_context_load_font(fonts->context, fd);
    pango_font_description_free(fd);
    if (font != NULL) {
        g_object_unref(font);
        return TRUE;
    }
    g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                "%s: no font for the %s ('%s'): none of the fonts it finds can be used "
                "(only TrueType and OpenType fonts can)", fonts->path, what,
                rs->family[IMP_SCRIPT_LATIN]);
    return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Shapers: a context and its fonts, described                                          */
/* ------------------------------------------------------------------------------------ */

struct ImpShaper {
    PangoContext *ctx;
    gboolean owns_ctx;
    GHashTable *info;       /* PangoFont* (a ref) → ImpFontInfo*: ctx's fonts, described */
};

/* Frees an ImpFontInfo (a GDestroyNotify). */
static void font_info_free(gpointer data)
{
    ImpFontInfo *fi = data;
    pango_font_description_free(fi->desc);
    if (fi->key != NULL)
        FcPatternDestroy(fi->key);
    g_free(fi);
}

/* A shaper over ctx; see layout-private.h. */
ImpShaper *imp__shaper_new(PangoContext *ctx, gboolean owns_ctx)
{
    ImpShaper *sh = g_new0(ImpShaper, 1);
    sh->ctx = ctx;
    sh->owns_ctx = owns_ctx;
    sh->info = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                     font_info_free);
    return sh;
}

/* Releases what the shaper holds; call on a thread that no longer shapes with it. */
void imp__shaper_free(ImpShaper *sh)
{
    if (sh == NULL)
        return;
    g_hash_table_destroy(sh->info);
    if (sh->owns_ctx)
        g_object_unref(sh->ctx);
    g_free(sh);
}

PangoContext *imp__shaper_get_context(const ImpShaper *sh)
{
    return sh->ctx;
}

/* What `font` is, described once per shaper; see layout-private.h. The key holds every
 * pattern property that changes the glyphs cairo draws or embeds: the face, its size and
 * transform, synthesis, variations. */
const ImpFontInfo *imp__shaper_describe(ImpShaper *sh, PangoFont *font)
{
    ImpFontInfo *fi = g_hash_table_lookup(sh->info, font);
    if (fi != NULL)
        return fi;
    fi = g_new0(ImpFontInfo, 1);
    fi->desc = pango_font_describe_with_absolute_size(font);
    if (PANGO_IS_FC_FONT(font)) {
        FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_PIXEL_SIZE, FC_MATRIX,
                                           FC_EMBOLDEN, FC_ANTIALIAS, FC_HINTING,
                                           FC_HINT_STYLE, FC_AUTOHINT, FC_RGBA, FC_LCD_FILTER,
                                           FC_VERTICAL_LAYOUT, FC_FONT_VARIATIONS,
                                           FC_FONT_FEATURES, (char *)NULL);
        fi->key = FcPatternFilter(pango_fc_font_get_pattern(PANGO_FC_FONT(font)), os);
        FcObjectSetDestroy(os);
    }
    g_hash_table_insert(sh->info, g_object_ref(font), fi);
    return fi;
}

/* ------------------------------------------------------------------------------------ */
/* Canonical fonts                                                                      */
/* ------------------------------------------------------------------------------------ */

struct ImpFontCanon {
    ImpShaper *main;        /* borrowed */
    GHashTable *map;        /* PangoFont* (a ref) → its main-context equivalent (a ref), or
                               NULL when it has none */
};

/* Drops a reference on a font that may be NULL (a GDestroyNotify). */
static void font_unref0(gpointer font)
{
    if (font != NULL)
        g_object_unref(font);
}

/* A map to main's fonts; see layout-private.h. */
ImpFontCanon *imp__font_canon_new(ImpShaper *main)
{
    ImpFontCanon *canon = g_new0(ImpFontCanon, 1);
    canon->main = main;
    canon->map = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                       font_unref0);
    return canon;
}

/* The main context's font equivalent to `font`, or NULL; see layout-private.h. It is loaded
 * from the font's description and kept only if it is described alike and its key is equal
 * (invariant 3). */
PangoFont *imp__font_canon_get(ImpFontCanon *canon, PangoFont *font, const ImpFontInfo *fi)
{
    gpointer found = NULL;
    if (g_hash_table_lookup_extended(canon->map, font, NULL, &found))
        return found;
    PangoContext *ctx = canon->main->ctx;
    PangoFont *cf = fi->key != NULL ? pango_font_map_load_font(pango_context_get_font_map(ctx),
                                                                ctx, fi->desc)
                                    : NULL;
    if (cf != NULL) {
        const ImpFontInfo *ci = imp__shaper_describe(canon->main, cf);
        if (ci->key == NULL || !pango_font_description_equal(ci->desc, fi->desc) ||
            !FcPatternEqual(ci->key, fi->key))
            g_clear_object(&cf);
    }
    g_hash_table_insert(canon->map, g_object_ref(font), cf);
    return cf;
}

/* A mapped font's equivalent, or the font itself; see layout-private.h. */
PangoFont *imp__font_canon_lookup(ImpFontCanon *canon, PangoFont *font)
{
    gpointer found = NULL;
    if (font != NULL && g_hash_table_lookup_extended(canon->map, font, NULL, &found) &&
        found != NULL)
        return found;
    return font;
}

void imp__font_canon_forget(ImpFontCanon *canon)
{
    g_hash_table_remove_all(canon->map);
}

void imp__font_canon_free(ImpFontCanon *canon)
{
    if (canon == NULL)
        return;
    g_hash_table_destroy(canon->map);
    g_free(canon);
}

/* ------------------------------------------------------------------------------------ */
/* Fonts used                                                                           */
/* ------------------------------------------------------------------------------------ */

GHashTable *imp__fonts_used_new(void)
{
    return g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

/* Adds a font and its family name; see layout-private.h. */
void imp__fonts_used_add(GHashTable *used, PangoFont *font)
{
    if (font == NULL || g_hash_table_contains(used, font))
        return;
    PangoFontDescription *d = pango_font_describe(font);
    g_hash_table_insert(used, g_object_ref(font),
                        g_strdup(pango_font_description_get_family(d)));
    pango_font_description_free(d);
}

/* Adds the fonts of every run of a PangoLayout. */
void imp__fonts_used_add_layout(GHashTable *used, PangoLayout *pl)
{
    for (GSList *l = pango_layout_get_lines_readonly(pl); l != NULL; l = l->next) {
        PangoLayoutLine *line = l->data;
        for (GSList *r = line->runs; r != NULL; r = r->next)
            imp__fonts_used_add(used, ((PangoGlyphItem *)r->data)->item->analysis.font);
    }
}

static int compare_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted, distinct family names; see layout-private.h. */
char *imp__fonts_used_join(GHashTable *used)
{
    GPtrArray *names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key, value;
    GHashTable *dedup = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_iter_init(&iter, used);
    while (g_hash_table_iter_next(&iter, &key, &value))
        if (value != NULL && g_hash_table_add(dedup, value))
            g_ptr_array_add(names, value);
    g_ptr_array_sort(names, compare_str);
    g_ptr_array_add(names, NULL);
    char *s = g_strjoinv(", ", (char **)names->pdata);
    g_ptr_array_free(names, TRUE);
    g_hash_table_destroy(dedup);
    return s;
}

/* The hyphenator of every layout made with these fonts, so that a run of many documents
 * (a batch) parses each dictionary once, not once per document (transfer none). Like the
 * fonts, it is used by one layout at a time. */
ImpHyphenator *imp__fonts_get_hyphenator(ImpFonts *fonts, const char *dir)
{
    if (fonts->hyphenator == NULL)
        fonts->hyphenator = imp__hyphenator_new(dir);
    return fonts->hyphenator;
}
