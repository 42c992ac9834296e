/* context.c — ImpContext: what is loaded once and used by many calls.
 *
 * A context is a data folder (styles/ and fonts/fonts.conf), the font setup built from it
 * on the first layout, and the site styles loaded for their reading rules. Loading fonts
 * is the costly part of a short run (fontconfig reads its cache, Pango builds a font
 * map), so a program typesetting many documents keeps one context.
 *
 * Threads: nothing here is locked; a context is used by one thread at a time (see
 * imprint.h). Two contexts share nothing.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <string.h>

#include "pipeline.h"
#include "../util/error.h"

const char *imp_version_string(void)
{
    return IMP_VERSION;
}

/* Whether `dir` holds a styles/ folder. */
static gboolean has_styles(const char *dir)
{
    char *styles = g_build_filename(dir, "styles", NULL);
    gboolean yes = g_file_test(styles, G_FILE_TEST_IS_DIR);
    g_free(styles);
    return yes;
}

/* The data folder of a context made without one: $IMPRINT_DATADIR; else share/imprint
 * beside the library (IMP_LIB_TO_DATA is the path from the library's folder to it, so an
 * installed tree can be moved to another prefix); else the configured IMP_DATADIR. */
static char *default_data_dir(void)
{
    const char *env = g_getenv("IMPRINT_DATADIR");
    if (env != NULL && *env != '\0')
        return g_strdup(env);
    Dl_info info;
    if (dladdr((const void *)default_data_dir, &info) != 0 && info.dli_fname != NULL &&
        g_path_is_absolute(info.dli_fname)) {
        char *libdir = g_path_get_dirname(info.dli_fname);
        /* canonical, so messages say /usr/share/imprint, not /usr/lib/../share/imprint */
        char *dir = g_canonicalize_filename(IMP_LIB_TO_DATA, libdir);
        g_free(libdir);
        if (has_styles(dir))
            return dir;
        g_free(dir);
    }
    return g_strdup(IMP_DATADIR);
}

/* A context over `data_dir` (NULL: the default one); the fonts wait for the first layout. */
ImpContext *imp_context_new(const char *data_dir, GError **error)
{
    return imp_context_new_full(data_dir, IMP_CONTEXT_DEFAULT, error);
}

ImpContext *imp_context_new_full(const char *data_dir, ImpContextFlags flags, GError **error)
{
    char *dir = data_dir != NULL ? g_strdup(data_dir) : default_data_dir();
    if (!has_styles(dir)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "%s: not imprint's data folder (it has no styles folder)", dir);
        g_free(dir);
        return NULL;
    }
    ImpContext *ctx = g_new0(ImpContext, 1);
    ctx->flags = flags;
    ctx->data_dir = dir;
    ctx->styles_dir = g_build_filename(dir, "styles", NULL);
    ctx->style_dirs[0] = ctx->styles_dir;
    ctx->fonts_conf = g_build_filename(dir, "fonts", "fonts.conf", NULL);
    ctx->site_styles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)imp_style_free);
    return ctx;
}

void imp_context_free(ImpContext *ctx)
{
    if (ctx == NULL)
        return;
    g_hash_table_destroy(ctx->site_styles);
    imp_style_detector_free(ctx->own_detector);
    imp_fonts_free(ctx->fonts);
    g_free(ctx->fonts_conf);
    g_free(ctx->styles_dir);
    g_free(ctx->data_dir);
    g_free(ctx);
}

const char *imp_context_get_data_dir(const ImpContext *ctx)
{
    g_return_val_if_fail(ctx != NULL, NULL);
    return ctx->data_dir;
}

/* The style stage lists "name\tdescription"; this splits the two into parallel arrays. */
char **imp_context_list_styles(ImpContext *ctx, char ***descriptions)
{
    g_return_val_if_fail(ctx != NULL, NULL);
    char **lines = imp_style_list(ctx->style_dirs);
    guint n = g_strv_length(lines);
    char **names = g_new0(char *, n + 1);
    char **descs = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++) {
        const char *tab = strchr(lines[i], '\t');
        names[i] = tab != NULL ? g_strndup(lines[i], (gsize)(tab - lines[i])) : g_strdup(lines[i]);
        descs[i] = g_strdup(tab != NULL ? tab + 1 : "");
    }
    g_strfreev(lines);
    if (descriptions != NULL)
        *descriptions = descs;
    else
        g_strfreev(descs);
    return names;
}

ImpFonts *imp__context_get_fonts(ImpContext *ctx, GError **error)
{
    if (ctx->fonts == NULL)
        ctx->fonts = imp_fonts_new_full(ctx->fonts_conf,
                                        (ctx->flags & IMP_CONTEXT_FONTS_PROCESS_WIDE)
                                            ? IMP_FONTS_MAKE_CURRENT : 0, error);
    return ctx->fonts;
}

const ImpStyleDetector *imp__context_get_detector(ImpContext *ctx)
{
    if (ctx->detector == NULL)
        ctx->detector = ctx->own_detector = imp_style_detector_new(ctx->style_dirs);
    return ctx->detector;
}

const ImpStyle *imp__context_get_site_style(ImpContext *ctx, const char *name, GError **error)
{
    ImpStyle *style = g_hash_table_lookup(ctx->site_styles, name);
    if (style == NULL) {
        style = imp_style_load(name, ctx->style_dirs, NULL, error);
        if (style != NULL)
            g_hash_table_insert(ctx->site_styles, g_strdup(name), style);
    }
    return style;
}
