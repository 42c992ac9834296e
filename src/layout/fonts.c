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
 * The setup is read and checked before fontconfig or Pango sees it (fontconf.c: the
 * configuration and its includes, read without blocking; fontcheck.c: the font folders,
 * only regular files, and the user fonts' faces). Its fonts are, in order of preference:
 * the caller's folders (--font-path), fonts/user/ beside the configuration, then the
 * folders the configuration names. What the checks find is kept and reported with every
 * layout (imp__fonts_check_style), with the families a style names that the setup lacks.
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
 *  4. Every layout made with the fonts reports the same findings about the setup, and the
 *     same about the same style: a strict run fails alike on a context's first document
 *     and its hundredth.
 */
#include "layout-private.h"
#include "fontcheck.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/error.h"

struct ImpFonts {
    FcConfig *config;        /* a reference; shared (read-only) by the worker font maps */
    char *path;              /* the configuration file, for messages */
    PangoFontMap *font_map;
    PangoContext *context;
    ImpHyphenator *hyphenator; /* shared by the layouts made with these fonts */
    GPtrArray *findings;     /* ImpFontFinding*: what the setup's checks found */
    GPtrArray *conf_families;/* char*: family names the configuration's rules know */
    GHashTable *families;    /* family key → display name: every family Pango can use and
                                the configuration's; made on the first style check */
    GHashTable *verdicts;    /* family key → message ("" when the setup has it) */
    FcConfig *host;          /* the system's own configuration, for "installed but not in
                                the setup"; loaded the first time a family is missing */
    gboolean host_tried;
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
    return imp_fonts_new_with_dirs(fonts_conf, NULL, flags, error);
}

/* Whether path `dir` is one of `dirs` (canonical paths). */
static gboolean has_dir(const GPtrArray *dirs, const char *dir)
{
    for (guint i = 0; i < dirs->len; i++)
        if (strcmp(dirs->pdata[i], dir) == 0)
            return TRUE;
    return FALSE;
}

/* How many fonts the setup has (Pango may be able to use none of them: the layout says
 * so, naming the role). */
static int count_fonts(FcConfig *config)
{
    int n = 0;
    for (int s = FcSetSystem; s <= FcSetApplication; s++) {
        FcFontSet *set = FcConfigGetFonts(config, (FcSetName)s);
        n += set != NULL ? set->nfont : 0;
    }
    return n;
}

/* Builds the setup; see layout.h and the head of the file. */
ImpFonts *imp_fonts_new_with_dirs(const char *fonts_conf, const char *const *font_dirs,
                                  guint flags, GError **error)
{
    g_return_val_if_fail(fonts_conf != NULL, NULL);

    GPtrArray *findings = g_ptr_array_new_with_free_func(imp__font_finding_free);
    ImpFontConf conf;
    if (!imp__font_conf_load(fonts_conf, &conf, findings, error)) {
        imp__font_conf_clear(&conf);
        g_ptr_array_free(findings, TRUE);
        return NULL;
    }
    FcConfig *config = FcConfigCreate();
    /* fontconfig opens no file of the configuration: it gets the text (fontconf.c) */
    if (!FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)conf.text, FcTrue) ||
        !FcConfigBuildFonts(config)) {
        FcConfigDestroy(config);
        imp__font_conf_clear(&conf);
        g_ptr_array_free(findings, TRUE);
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: cannot load the font configuration", fonts_conf);
        return NULL;
    }

    /* the fonts, in order of preference (fontcheck.c): the caller's folders, user/, the
       configuration's folders (each once) */
    GPtrArray *user_dirs = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; font_dirs != NULL && font_dirs[i] != NULL; i++)
        g_ptr_array_add(user_dirs, g_canonicalize_filename(font_dirs[i], NULL));
    char *conf_abs = g_canonicalize_filename(fonts_conf, NULL);
    char *conf_dir = g_path_get_dirname(conf_abs);
    g_ptr_array_add(user_dirs, g_build_filename(conf_dir, "user", NULL));
    g_free(conf_dir);
    g_free(conf_abs);
    for (guint i = 0; i < user_dirs->len; i++)
        imp__font_dir_add(config, user_dirs->pdata[i], IMP_FONT_DIR_USER,
                          i == user_dirs->len - 1 /* user/ may be missing */, findings);
    for (guint i = 0; i < conf.dirs->len; i++)
        if (!has_dir(user_dirs, conf.dirs->pdata[i]))
            imp__font_dir_add(config, conf.dirs->pdata[i], IMP_FONT_DIR_CONFIGURED, TRUE,
                              findings);
    g_ptr_array_free(user_dirs, TRUE);

    if (count_fonts(config) == 0) {
        FcConfigDestroy(config);
        imp__font_conf_clear(&conf);
        g_ptr_array_free(findings, TRUE);
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
    fonts->findings = findings;
    fonts->conf_families = conf.families;
    conf.families = NULL;
    fonts->verdicts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    imp__font_conf_clear(&conf);
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
    if (fonts->host != NULL)
        FcConfigDestroy(fonts->host);
    g_ptr_array_free(fonts->findings, TRUE);
    g_ptr_array_free(fonts->conf_families, TRUE);
    if (fonts->families != NULL)
        g_hash_table_destroy(fonts->families);
    g_hash_table_destroy(fonts->verdicts);
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
static gboolean check_body_font(ImpFonts *fonts, const ImpRoleStyle *rs, const char *what,
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

/* The families the setup has, made once: every family name (each of a face's names) of
 * the fonts Pango can use, and the names the configuration's rules take. */
static GHashTable *known_families(ImpFonts *fonts)
{
    if (fonts->families != NULL)
        return fonts->families;
    GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (int s = FcSetSystem; s <= FcSetApplication; s++) {
        FcFontSet *set = FcConfigGetFonts(fonts->config, (FcSetName)s);
        for (int i = 0; set != NULL && i < set->nfont; i++) {
            if (!imp__font_pattern_usable(set->fonts[i]))
                continue;
            FcChar8 *family;
            for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &family) ==
                                FcResultMatch; k++)
                if (!g_hash_table_contains(known, family)) {
                    char *key = imp__font_family_key((const char *)family);
                    if (!g_hash_table_contains(known, key))
                        g_hash_table_insert(known, key, g_strdup((const char *)family));
                    else
                        g_free(key);
                }
        }
    }
    for (guint i = 0; i < fonts->conf_families->len; i++) {
        const char *family = fonts->conf_families->pdata[i];
        char *key = imp__font_family_key(family);
        if (!g_hash_table_contains(known, key))
            g_hash_table_insert(known, key, g_strdup(family));
        else
            g_free(key);
    }
    fonts->families = known;
    return known;
}

/* The system's own font configuration, loaded once and only when a family is missing (it
 * costs tens of milliseconds), to say where the family is installed. Not when
 * FONTCONFIG_FILE names anything but a regular file, which fontconfig would open and read
 * to its end (a FIFO, /dev/zero). NULL when it cannot be loaded. */
static FcConfig *host_config(ImpFonts *fonts)
{
    if (!fonts->host_tried) {
        fonts->host_tried = TRUE;
        const char *file = g_getenv("FONTCONFIG_FILE");
        struct stat st;
        if (file == NULL || *file == '\0' || (stat(file, &st) == 0 && S_ISREG(st.st_mode)))
            fonts->host = FcInitLoadConfigAndFonts();
    }
    return fonts->host;
}

/* The verdict on one family: "" when the setup has it, else the message. Kept per family
 * for the life of the fonts. (transfer none) */
static const char *family_verdict(ImpFonts *fonts, const char *family)
{
    char *key = imp__font_family_key(family);
    const char *verdict = g_hash_table_lookup(fonts->verdicts, key);
    if (verdict != NULL) {
        g_free(key);
        return verdict;
    }
    GHashTable *known = known_families(fonts);
    char *v = g_hash_table_contains(known, key)
        ? g_strdup("") : imp__font_family_unknown(family, known, host_config(fonts));
    g_hash_table_insert(fonts->verdicts, key, v);
    return v;
}

/* The style key of a family list. */
static const char *const family_keys[IMP_N_SCRIPTS] = {
    [IMP_SCRIPT_LATIN] = "font-family",
    [IMP_SCRIPT_HAN] = "font-family-han",
    [IMP_SCRIPT_KANA] = "font-family-kana",
    [IMP_SCRIPT_HANGUL] = "font-family-hangul",
    [IMP_SCRIPT_FALLBACK] = "font-family-fallback",
};

/* Checks the fonts for a layout in `style`; see layout-private.h. */
gboolean imp__fonts_check_style(ImpFonts *fonts, const ImpStyle *style, const ImpDiag *diag,
                                GError **error)
{
    g_return_val_if_fail(fonts != NULL && style != NULL, FALSE);
    if (!check_body_font(fonts, imp_style_get_role(style, IMP_ROLE_BODY), "body text", error))
        return FALSE;
    for (guint i = 0; i < fonts->findings->len; i++) {
        const ImpFontFinding *f = fonts->findings->pdata[i];
        imp_diag_report(diag, f->level, f->file, f->line, "%s", f->message);
    }
    /* each family once per style (invariant 4), in role and script order */
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int r = 0; r < IMP_N_ROLES; r++) {
        const ImpRoleStyle *rs = imp_style_get_role(style, (ImpRole)r);
        for (int s = 0; s < IMP_N_SCRIPTS; s++) {
            char **names = g_strsplit(rs->family[s], ",", -1);
            for (char **n = names; *n != NULL; n++) {
                g_strstrip(*n);
                if (**n == '\0')
                    continue;
                char *key = imp__font_family_key(*n);
                if (!g_hash_table_add(seen, key))
                    continue;
                const char *verdict = family_verdict(fonts, *n);
                if (*verdict != '\0')
                    imp_diag_report(diag, IMP_DIAG_WARNING, imp_style_get_path(style), 0,
                                    "[%s] %s: %s", imp_role_name((ImpRole)r), family_keys[s],
                                    verdict);
            }
            g_strfreev(names);
        }
    }
    g_hash_table_destroy(seen);
    return TRUE;
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
