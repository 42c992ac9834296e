/* fonts.c — imprint's font setup: its own fontconfig file, a Pango font map over it, and the
 * measuring context every layout is made in.
 *
 * Why our own FcConfig: the default configuration follows the machine's locale, its
 * /etc/fonts rules and the FONTCONFIG_* environment, so the same style could pick another
 * face elsewhere (a Kai face for Han text was seen). Loading fonts/fonts.conf into a private
 * FcConfig makes the choice depend on that file and the font files alone.
 *
 * Our FcConfig is also made fontconfig's current one (process-wide), only so that Pango's
 * start-up thread does not load the system configuration as well.
 *
 * Threads: the layout shapes paragraphs on worker threads, each with its own context and
 * font map over the same FcConfig (imp__fonts_new_worker_context); only the main context's
 * fonts are ever drawn (layout.c maps worker fonts to them).
 *
 * Why 72 dpi and unhinted metrics: one point in a style is then one PDF unit, and glyph
 * advances are the fonts' own design widths, the same for PDF, PNG and SVG.
 */
#include "layout-private.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "../util/error.h"

struct ImpFonts {
    FcConfig *config;        /* a reference; shared (read-only) by the worker font maps */
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

    /* Pango's font map starts a thread that loads fontconfig's current configuration (the
       system's, unless one is set) to warm its caches; making ours current spares that
       (about a tenth of a short run's instructions) and changes no font choice, since the
       font map below is given ours explicitly. */
    FcConfigSetCurrent(config);

    ImpFonts *fonts = g_new0(ImpFonts, 1);
    fonts->config = config; /* our reference from FcConfigCreate */
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
    g_free(fonts);
}

PangoContext *imp_fonts_get_context(ImpFonts *fonts)
{
    g_return_val_if_fail(fonts != NULL, NULL);
    return fonts->context;
}

/* The hyphenator of every layout made with these fonts, so that a run of many documents
 * (a batch) parses each dictionary once, not once per document (transfer none). */
ImpHyphenator *imp__fonts_get_hyphenator(ImpFonts *fonts, const char *dir)
{
    if (fonts->hyphenator == NULL)
        fonts->hyphenator = imp__hyphenator_new(dir);
    return fonts->hyphenator;
}
