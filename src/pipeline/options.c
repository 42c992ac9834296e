/* options.c — ImpOptions: what one call asks for, set field by field.
 *
 * All-zero options are the defaults (auto style, auto input format, format from the name,
 * every page, 150 dpi, one job per core, not strict, the time of the call, no
 * diagnostics), so a call given NULL options uses a zeroed struct. Setters check a value
 * from a program's user (a resolution, a number of jobs, a --set) and refuse it with
 * IMP_ERROR_USAGE; a NULL options pointer is the program's own mistake (a critical).
 */
#include <math.h>
#include <string.h>

#include "pipeline.h"
#include "../util/error.h"

static const ImpOptions defaults; /* all zero */

const ImpOptions *imp__options_default(void)
{
    return &defaults;
}

/* New options with every default. */
ImpOptions *imp_options_new(void)
{
    return g_new0(ImpOptions, 1);
}

/* A deep copy: strings and the override list are the copy's own. */
ImpOptions *imp_options_copy(const ImpOptions *options)
{
    g_return_val_if_fail(options != NULL, NULL);
    ImpOptions *o = g_memdup2(options, sizeof *options);
    o->style = g_strdup(options->style);
    o->encoding = g_strdup(options->encoding);
    for (int k = 0; k < IMP_N_META; k++)
        o->meta[k] = g_strdup(options->meta[k]);
    o->overrides = NULL;
    if (options->overrides != NULL) {
        o->overrides = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i + 1 < options->overrides->len; i++)
            g_ptr_array_add(o->overrides, g_strdup(options->overrides->pdata[i]));
        g_ptr_array_add(o->overrides, NULL);
    }
    o->pdf_standard = g_strdup(options->pdf_standard);
    o->attachments = NULL;
    for (guint i = 0; options->attachments != NULL && i < options->attachments->len; i++)
        imp_options_add_attachment(o, options->attachments->pdata[i]);
    return o;
}

void imp_options_free(ImpOptions *options)
{
    if (options == NULL)
        return;
    g_free(options->style);
    g_free(options->encoding);
    for (int k = 0; k < IMP_N_META; k++)
        g_free(options->meta[k]);
    if (options->overrides != NULL)
        g_ptr_array_free(options->overrides, TRUE);
    g_free(options->pdf_standard);
    if (options->attachments != NULL)
        g_ptr_array_free(options->attachments, TRUE);
    g_free(options);
}

void imp_options_set_style(ImpOptions *options, const char *name_or_path)
{
    g_return_if_fail(options != NULL);
    g_free(options->style);
    options->style = g_strdup(name_or_path);
}

/* Checks the form "group.key=value" (both names non-empty) and appends it; the style stage
 * checks the names and the value when the style is loaded. The message matches the style
 * stage's own for the same mistake. */
gboolean imp_options_add_style_override(ImpOptions *options, const char *override,
                                        GError **error)
{
    g_return_val_if_fail(options != NULL && override != NULL, FALSE);
    const char *eq = strchr(override, '=');
    char *lhs = eq != NULL ? g_strstrip(g_strndup(override, (gsize)(eq - override))) : NULL;
    const char *dot = lhs != NULL ? strchr(lhs, '.') : NULL;
    gboolean ok = dot != NULL && dot != lhs && dot[1] != '\0';
    g_free(lhs);
    if (!ok) {
        char *shown = g_utf8_make_valid(override, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "--set '%s': expected group.key=value, such as body.font-size=11pt",
                    shown);
        g_free(shown);
        return FALSE;
    }
    if (options->overrides == NULL) {
        options->overrides = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(options->overrides, NULL);
    }
    /* keep the list NULL-terminated: the new entry goes where the NULL was */
    options->overrides->pdata[options->overrides->len - 1] = g_strdup(override);
    g_ptr_array_add(options->overrides, NULL);
    return TRUE;
}

void imp_options_set_input_format(ImpOptions *options, ImpInputFormat format)
{
    g_return_if_fail(options != NULL);
    g_return_if_fail(format <= IMP_INPUT_HTML);
    options->input_format = format;
}

/* An encoding is checked by opening a converter from it, as a reader will. */
gboolean imp_options_set_encoding(ImpOptions *options, const char *encoding, GError **error)
{
    g_return_val_if_fail(options != NULL, FALSE);
    if (encoding != NULL) {
        GIConv cd = *encoding != '\0' ? g_iconv_open("UTF-8", encoding) : (GIConv)-1;
        if (cd == (GIConv)-1) {
            char *shown = g_utf8_make_valid(encoding, -1);
            g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                        "--encoding '%s': not an encoding this system can convert "
                        "(see iconv --list)", shown);
            g_free(shown);
            return FALSE;
        }
        g_iconv_close(cd);
    }
    g_free(options->encoding);
    options->encoding = g_strdup(encoding);
    return TRUE;
}

void imp_options_set_metadata(ImpOptions *options, ImpMetaKey key, const char *value)
{
    g_return_if_fail(options != NULL);
    g_return_if_fail(key < IMP_N_META);
    g_free(options->meta[key]);
    options->meta[key] = g_strdup(value);
    options->meta_set[key] = value != NULL;
}

void imp_options_set_format(ImpOptions *options, ImpFormat format)
{
    g_return_if_fail(options != NULL);
    g_return_if_fail(format <= IMP_FORMAT_SVG);
    options->format = format;
    options->format_set = TRUE;
}

void imp_options_set_pages(ImpOptions *options, guint first, guint count)
{
    g_return_if_fail(options != NULL);
    options->first_page = first;
    options->n_pages = count;
}

gboolean imp_options_set_dpi(ImpOptions *options, double dpi, GError **error)
{
    g_return_val_if_fail(options != NULL, FALSE);
    if (!isfinite(dpi) || dpi < 0 || dpi > 2400) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "--dpi %g: the resolution must be from 0 to 2400 (0 means 150)", dpi);
        return FALSE;
    }
    options->dpi = dpi;
    return TRUE;
}

/* The most jobs that run: the cores this process may use, and never more than
 * IMP_JOBS_MAX. */
static int jobs_max(void)
{
    return (int)MIN(MAX(g_get_num_processors(), 1u), (guint)IMP_JOBS_MAX);
}

gboolean imp_options_set_jobs(ImpOptions *options, int jobs, GError **error)
{
    g_return_val_if_fail(options != NULL, FALSE);
    if (jobs < 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "--jobs %d: the number of jobs must be 0 (one per core) or more", jobs);
        return FALSE;
    }
    options->jobs = MIN(jobs, jobs_max());
    return TRUE;
}

int imp_options_get_jobs(const ImpOptions *options)
{
    g_return_val_if_fail(options != NULL, 0);
    return options->jobs;
}

void imp_options_set_strict(ImpOptions *options, gboolean strict)
{
    g_return_if_fail(options != NULL);
    options->strict = strict;
}

void imp_options_set_finish_func(ImpOptions *options, ImpFinishFunc func, gpointer user_data)
{
    g_return_if_fail(options != NULL);
    options->finish_func = func;
    options->finish_data = user_data;
}

void imp_options_set_follow_symlinks(ImpOptions *options, gboolean follow)
{
    g_return_if_fail(options != NULL);
    options->follow_symlinks = follow;
}

gboolean imp_options_set_creation_time(ImpOptions *options, gint64 seconds, GError **error)
{
    g_return_val_if_fail(options != NULL, FALSE);
    if (seconds < 0 || seconds > G_GINT64_CONSTANT(253402300799)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "creation time %" G_GINT64_FORMAT ": not a number of seconds from 1970 "
                    "to the year 9999", seconds);
        return FALSE;
    }
    options->creation_time = seconds;
    options->creation_time_set = TRUE;
    return TRUE;
}

void imp_options_set_diag_func(ImpOptions *options, ImpDiagFunc func, gpointer user_data)
{
    g_return_if_fail(options != NULL);
    options->diag_func = func;
    options->diag_data = user_data;
}

void imp_options_set_progress_func(ImpOptions *options, ImpProgressFunc func,
                                   gpointer user_data)
{
    g_return_if_fail(options != NULL);
    options->progress_func = func;
    options->progress_data = user_data;
}

/* A list that does not parse is a usage error when one of its names is unknown or empty
 * (exit 2), and a failure when the names are known but cannot go together (exit 1: an
 * impossible combination, as the finish stage says). */
gboolean imp_options_set_pdf_standard(ImpOptions *options, const char *list, GError **error)
{
    g_return_val_if_fail(options != NULL, FALSE);
    if (list != NULL) {
        ImpPdfStandards set;
        GError *e = NULL;
        if (!imp__pdf_standards_parse(list, &set, &e)) {
            gboolean names_ok = TRUE;
            char **names = g_strsplit(*list != '\0' ? list : " ", ",", -1);
            for (char **n = names; names_ok && *n != NULL; n++)
                names_ok = imp__pdf_standards_parse(*n, &set, NULL);
            g_strfreev(names);
            char *shown = g_utf8_make_valid(list, -1);
            g_set_error(error, IMP_ERROR, names_ok ? IMP_ERROR_OUTPUT : IMP_ERROR_USAGE,
                        "--pdf-standard '%s': %s", shown, e->message);
            g_free(shown);
            g_error_free(e);
            return FALSE;
        }
    }
    g_free(options->pdf_standard);
    options->pdf_standard = g_strdup(list);
    return TRUE;
}

void imp_options_set_pdf_tags(ImpOptions *options, gboolean tagged)
{
    g_return_if_fail(options != NULL);
    options->untagged = !tagged;
}

void imp_options_add_attachment(ImpOptions *options, const char *path)
{
    g_return_if_fail(options != NULL && path != NULL);
    if (options->attachments == NULL)
        options->attachments = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(options->attachments, g_strdup(path));
}

/* ---- runs ---- */

/* Counts warnings for strict mode and hands each finding to the caller's callback. */
static void run_report(ImpDiagLevel level, const char *file, guint line, const char *message,
                       gpointer user_data)
{
    ImpRun *run = user_data;
    if (level == IMP_DIAG_WARNING)
        run->warnings++;
    if (run->options->diag_func != NULL)
        run->options->diag_func(level, file, line, message, run->options->diag_data);
}

void imp__run_init(ImpRun *run, const ImpOptions *options)
{
    memset(run, 0, sizeof *run);
    run->options = options != NULL ? options : &defaults;
    run->diag.func = run_report;
    run->diag.user_data = run;
}

void imp__run_clear(ImpRun *run)
{
    g_clear_pointer(&run->site, g_free);
}

/* ---- format names ---- */

static const char *const format_names[] = { "pdf", "png", "svg" };

const char *imp_format_name(ImpFormat format)
{
    g_return_val_if_fail(format <= IMP_FORMAT_SVG, NULL);
    return format_names[format];
}

gboolean imp_format_from_name(const char *name, ImpFormat *format)
{
    g_return_val_if_fail(name != NULL && format != NULL, FALSE);
    for (guint i = 0; i < G_N_ELEMENTS(format_names); i++)
        if (g_ascii_strcasecmp(name, format_names[i]) == 0) {
            *format = (ImpFormat)i;
            return TRUE;
        }
    return FALSE;
}
