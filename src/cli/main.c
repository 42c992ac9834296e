/* main.c — the `imprint` command: options, messages, exit status.
 *
 * It runs the pipeline in order — load the input, choose and load a style, read, lay out,
 * render into an all-or-nothing output — using only the public library (imprint.h).
 *
 * Exit status: 0 success; 1 the input, style, fonts or output failed (or, with --strict, a
 * problem was reported); 2 usage error.
 */
#include <errno.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imprint.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2

typedef struct {
    char *output;
    char *style;
    char **sets;
    char *dump_style;
    char *format;
    gboolean list_styles;
    gboolean version;
    gboolean quiet;
    gboolean verbose;
    gboolean strict;
    int jobs;
    int page;
    double dpi;
    char **inputs;
} Options;

typedef struct {
    const Options *opt;
    guint warnings;
} Reporter;

/* Prints one finding: warnings unless --quiet, information only with --verbose. */
static void report(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer user_data)
{
    Reporter *r = user_data;
    if (level == IMP_DIAG_WARNING)
        r->warnings++;
    if (r->opt->quiet || (level == IMP_DIAG_INFO && !r->opt->verbose))
        return;
    const char *kind = level == IMP_DIAG_WARNING ? "warning: " : "";
    if (file != NULL && line > 0)
        fprintf(stderr, "imprint: %s:%u: %s%s\n", file, line, kind, message);
    else if (file != NULL)
        fprintf(stderr, "imprint: %s: %s%s\n", file, kind, message);
    else
        fprintf(stderr, "imprint: %s%s\n", kind, message);
}

/* Prints a fatal error and returns the exit status for it. */
static int fail(GError *error)
{
    fprintf(stderr, "imprint: %s\n", error->message);
    g_error_free(error);
    return EXIT_FAIL;
}

/* The folder holding styles/ and fonts/: $IMPRINT_DATADIR if set; the source tree when run
 * from a build tree (it has CMakeCache.txt beside the binary); ../share/imprint beside an
 * installed binary; else the configured install location. */
static char *find_datadir(const char *argv0)
{
    const char *env = g_getenv("IMPRINT_DATADIR");
    if (env != NULL && *env != '\0')
        return g_strdup(env);
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe == NULL)
        exe = g_strdup(argv0);
    char *bindir = g_path_get_dirname(exe);
    g_free(exe);
    char *cache = g_build_filename(bindir, "CMakeCache.txt", NULL);
    char *share = g_build_filename(bindir, "..", "share", "imprint", "styles", NULL);
    char *dir;
    if (g_file_test(cache, G_FILE_TEST_EXISTS))
        dir = g_strdup(IMP_SOURCE_DIR);
    else if (g_file_test(share, G_FILE_TEST_IS_DIR))
        /* Canonical, so messages say /usr/share/imprint, not /usr/bin/../share/imprint. */
        dir = g_canonicalize_filename("../share/imprint", bindir);
    else
        dir = g_strdup(IMP_DATADIR);
    g_free(cache);
    g_free(share);
    g_free(bindir);
    return dir;
}

/* The output name for an input: INPUT with its extension replaced by .pdf. */
static char *default_output(const char *input)
{
    char *base = g_strdup(input);
    char *slash = strrchr(base, '/');
    char *dot = strrchr(slash ? slash : base, '.');
    if (dot != NULL && dot != (slash ? slash + 1 : base))
        *dot = '\0';
    char *out = g_strconcat(base, ".pdf", NULL);
    if (strcmp(out, input) == 0) {
        g_free(out);
        out = g_strconcat(input, ".pdf", NULL);
    }
    g_free(base);
    return out;
}

/* Refuses an output that is the input file itself, by its name, a symbolic or hard link,
 * or as the file on standard input: writing it would replace the text with its PDF. */
static gboolean output_is_not_input(const char *input, const char *output, GError **error)
{
    struct stat in, out;
    if (strcmp(output, "-") == 0 || stat(output, &out) != 0 || !S_ISREG(out.st_mode))
        return TRUE;
    int r = strcmp(input, "-") == 0 ? fstat(STDIN_FILENO, &in) : stat(input, &in);
    if (r == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: is the input; choose another output with -o", output);
        return FALSE;
    }
    return TRUE;
}

/* The most pixels a PNG may have: 150 million, 600 MB of image (A4 up to 1245 dpi). */
#define PNG_MAX_PIXELS 150e6

/* Refuses a PNG too large to draw in bounded memory (the page size comes from the style,
 * which allows 200 inches, and --dpi allows 2400): "OUTPUT: a PNG of W x H pixels is too
 * large (at most 150 million); at most D dpi for this page". The size is reckoned as the
 * render stage does. */
static gboolean png_fits(const ImpStyle *style, double dpi, const char *output, GError **error)
{
    const ImpPageStyle *page = imp_style_get_page(style);
    double scale = (dpi > 0 ? dpi : 150.0) / 72.0;
    double w = floor(page->width * scale + 0.5), h = floor(page->height * scale + 0.5);
    if (w * h <= PNG_MAX_PIXELS)
        return TRUE;
    g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                "%s: a PNG of %.0f x %.0f pixels is too large (at most %.0f million); at most "
                "%.0f dpi for this page", output, w, h, PNG_MAX_PIXELS / 1e6,
                floor(72.0 * sqrt(PNG_MAX_PIXELS / (page->width * page->height))));
    return FALSE;
}

/* The PDF creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
static gboolean creation_time(gint64 *when, GError **error)
{
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde == NULL || *sde == '\0') {
        *when = g_get_real_time() / G_USEC_PER_SEC;
        return TRUE;
    }
    char *end;
    errno = 0;
    gint64 v = g_ascii_strtoll(sde, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > G_GINT64_CONSTANT(253402300799)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "SOURCE_DATE_EPOCH: '%s' is not a number of seconds since 1970", sde);
        return FALSE;
    }
    *when = v;
    return TRUE;
}

static gboolean output_write(gpointer user_data, const guchar *data, gsize len)
{
    imp_output_write(user_data, data, len);
    return TRUE;
}

/* A drawn page is not drawn again: its lines are freed at once, so a long document is
 * never held whole while it is drawn. */
static void release_page(guint page, gpointer layout)
{
    imp_layout_release_page(layout, page);
}

/* The drawn pages' memory goes back to the system before cairo embeds the fonts, which
 * takes a transient copy of each font's outlines (megabytes for a CJK font). */
static void trim_heap(gpointer data)
{
    (void)data;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Whether a style says anything about how to read a site's pages. */
static gboolean has_reading_rules(const ImpReadRules *r)
{
    return r != NULL && (r->detect != NULL || r->masthead != NULL || r->breadcrumb != NULL ||
                         r->notice_start != NULL || (r->chrome != NULL && r->chrome[0] != NULL));
}

/* Runs the pipeline for one input. Returns the exit status. */
static int run(const Options *opt, const char *datadir, const char *input)
{
    GError *error = NULL;
    char *styles_dir = g_build_filename(datadir, "styles", NULL);
    const char *style_dirs[] = { styles_dir, NULL };
    char *fonts_conf = g_build_filename(datadir, "fonts", "fonts.conf", NULL);
    char *data = NULL, *output = NULL, *style_name = NULL;
    gsize len = 0;
    ImpStyle *style = NULL, *site_style = NULL;
    ImpDocument *doc = NULL;
    ImpFonts *fonts = NULL;
    ImpLayout *layout = NULL;
    ImpOutput *out = NULL;
    Reporter reporter = { opt, 0 };
    ImpDiag diag = { report, &reporter };
    int status = EXIT_FAIL;
    gint64 when;
    const char *name = strcmp(input, "-") == 0 ? "<stdin>" : input;

    if (!creation_time(&when, &error))
        goto fail;
    output = opt->output ? g_strdup(opt->output)
           : strcmp(input, "-") == 0 ? g_strdup("-") : default_output(input);
    if (!output_is_not_input(input, output, &error))
        goto fail;
    if (!imp_file_load(input, &data, &len, &error))
        goto fail;

    if (opt->style != NULL) {
        style_name = g_strdup(opt->style);
    } else {
        style_name = imp_style_detect(data, len, style_dirs);
        if (style_name == NULL)
            style_name = g_strdup("default");
    }
    style = imp_style_load(style_name, style_dirs, (const char *const *)opt->sets, &error);
    if (style == NULL)
        goto fail;
    imp_diag_report(&diag, IMP_DIAG_INFO, NULL, 0, "style: %s (%s)", imp_style_get_name(style),
                    imp_style_get_path(style));
    ImpFormat format = imp_format_from_filename(output);
    if (opt->format != NULL)
        format = g_ascii_strcasecmp(opt->format, "png") == 0 ? IMP_FORMAT_PNG
               : g_ascii_strcasecmp(opt->format, "svg") == 0 ? IMP_FORMAT_SVG
               : IMP_FORMAT_PDF;
    if (format == IMP_FORMAT_PNG && !png_fits(style, opt->dpi, output, &error))
        goto fail;

    /* A look chosen with --style that has no reading rules of its own still reads a site's
       page with that site's rules, so the same clipping can go out in any house style. */
    const ImpReadRules *rules = imp_style_get_read_rules(style);
    if (opt->style != NULL && !has_reading_rules(rules)) {
        char *site = imp_style_detect(data, len, style_dirs);
        if (site != NULL) {
            site_style = imp_style_load(site, style_dirs, NULL, &error);
            g_free(site);
            if (site_style == NULL)
                goto fail;
            rules = imp_style_get_read_rules(site_style);
            imp_diag_report(&diag, IMP_DIAG_INFO, NULL, 0, "reading rules: %s (%s)",
                            imp_style_get_name(site_style), imp_style_get_path(site_style));
        }
    }
    doc = imp_read_text(data, len, name, rules, &diag, &error);
    if (doc == NULL)
        goto fail;
    g_clear_pointer(&data, g_free);

    out = imp_output_open(output, &error);
    if (out == NULL)
        goto fail;

    fonts = imp_fonts_new_full(fonts_conf, IMP_FONTS_MAKE_CURRENT, &error);
    if (fonts == NULL)
        goto fail;
    ImpLayoutOptions lopt;
    imp__layout_options_init(&lopt);
    lopt.diag = &diag;
    lopt.jobs = opt->jobs;
    layout = imp__layout_new(doc, style, fonts, &lopt, &error);
    if (layout == NULL)
        goto fail;
    imp_diag_report(&diag, IMP_DIAG_INFO, NULL, 0, "fonts: %s",
                    imp_layout_get_fonts_used(layout));

    ImpRenderOptions ropt;
    imp__render_options_init(&ropt);
    ropt.format = format;
    ropt.creation_time = when;
    ropt.page = (guint)MAX(opt->page, 0);
    ropt.dpi = opt->dpi;
    ropt.page_done = release_page;
    ropt.before_finish = trim_heap;
    ropt.hook_data = layout;
    if (!imp__render(layout, &ropt, output_write, out, &error))
        goto fail;
    if (opt->strict && reporter.warnings > 0) {
        g_set_error(&error, IMP_ERROR, IMP_ERROR_STRICT,
                    "%s: %u problem%s reported; --strict writes no output", name,
                    reporter.warnings, reporter.warnings == 1 ? "" : "s");
        goto fail;
    }
    ImpOutput *o = out;
    out = NULL;
    if (!imp_output_commit(o, &error))
        goto fail;
    imp_diag_report(&diag, IMP_DIAG_INFO, NULL, 0, "wrote %s: %u page%s", output,
                    imp_layout_get_n_pages(layout),
                    imp_layout_get_n_pages(layout) == 1 ? "" : "s");
    status = EXIT_SUCCESS;
    goto done;

fail:
    status = fail(error);
done:
    imp_output_abort(out);
    imp_layout_free(layout);
    imp_fonts_free(fonts);
    imp_document_free(doc);
    imp_style_free(style);
    imp_style_free(site_style);
    g_free(style_name);
    g_free(output);
    g_free(data);
    g_free(fonts_conf);
    g_free(styles_dir);
    return status;
}

/* Prints the shipped styles, one per line with its description. */
static int list_styles(const char *datadir)
{
    char *styles_dir = g_build_filename(datadir, "styles", NULL);
    const char *style_dirs[] = { styles_dir, NULL };
    char **list = imp_style_list(style_dirs);
    for (char **p = list; p && *p; p++) {
        char **f = g_strsplit(*p, "\t", 2);
        printf("%-12s %s\n", f[0], f[1] ? f[1] : "");
        g_strfreev(f);
    }
    g_strfreev(list);
    g_free(styles_dir);
    return EXIT_SUCCESS;
}

/* Prints the fully resolved style `name`. */
static int dump_style(const char *datadir, const char *name, char **sets)
{
    char *styles_dir = g_build_filename(datadir, "styles", NULL);
    const char *style_dirs[] = { styles_dir, NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load(name, style_dirs, (const char *const *)sets, &error);
    g_free(styles_dir);
    if (style == NULL)
        return fail(error);
    char *dump = imp_style_dump(style);
    fputs(dump, stdout);
    g_free(dump);
    imp_style_free(style);
    return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    imp_output_clean_up_on_signals(); /* an interrupted run leaves no temporary file */
    Options opt = { 0 };
    opt.page = 1;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt.output,
          "Write to FILE (- for standard output; default: INPUT with .pdf)", "FILE" },
        { "style", 's', 0, G_OPTION_ARG_FILENAME, &opt.style,
          "Use style sheet NAME (from the styles folder) or FILE (default: the site style "
          "whose detect rule matches the input, else 'default')", "NAME|FILE" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.sets,
          "Override one style key for this run, e.g. --set page.size=A5 (repeatable)",
          "GROUP.KEY=VALUE" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &opt.format,
          "Output format: pdf, png or svg (default: from the output's extension)", "FORMAT" },
        { "page", 0, 0, G_OPTION_ARG_INT, &opt.page,
          "Page to draw for PNG and SVG output (default 1)", "N" },
        { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &opt.dpi, "Resolution of PNG output (default 150)",
          "DPI" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt.jobs,
          "Threads for shaping and line breaking (default: one per core)", "N" },
        { "strict", 0, 0, G_OPTION_ARG_NONE, &opt.strict,
          "Fail (exit 1, no output) when any problem is reported, such as a character no "
          "font can show", NULL },
        { "list-styles", 0, 0, G_OPTION_ARG_NONE, &opt.list_styles,
          "List the shipped styles and exit", NULL },
        { "dump-style", 0, 0, G_OPTION_ARG_STRING, &opt.dump_style,
          "Print the fully resolved style NAME (after inheritance and --set) and exit",
          "NAME|FILE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Print only errors", NULL },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt.verbose,
          "Say which style and fonts were chosen, and what was dropped", NULL },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opt.version, "Print the version and exit",
          NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.inputs, NULL, "INPUT" },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    GOptionContext *ctx = g_option_context_new("— typeset text into a paginated PDF");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx,
        "INPUT is a UTF-8 text file, or - for standard input. Paragraphs are separated by "
        "blank lines.");
    g_option_context_set_description(ctx,
        "Exit status: 0 success; 1 the input, style, fonts or output failed (or --strict "
        "and a problem was reported); 2 usage error.\n"
        "Environment: SOURCE_DATE_EPOCH sets the PDF's creation date; IMPRINT_DATADIR "
        "overrides the folder holding styles/ and fonts/.\n"
        "Documentation: README.md and docs/styles.md.");
    GError *error = NULL;
    int status;
    char *datadir = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "imprint: %s\nTry 'imprint --help'.\n", error->message);
        g_error_free(error);
        status = EXIT_USAGE;
        goto out;
    }
    if (opt.version) {
        printf("imprint %s\n", IMP_VERSION);
        status = EXIT_SUCCESS;
        goto out;
    }
    if (opt.quiet && opt.verbose) {
        fprintf(stderr, "imprint: --quiet and --verbose cannot be used together\n");
        status = EXIT_USAGE;
        goto out;
    }
    if (opt.page < 1 || opt.jobs < 0 || opt.dpi < 0 || opt.dpi > 2400) {
        fprintf(stderr, "imprint: --page must be 1 or more, --jobs 0 or more, --dpi 0..2400\n");
        status = EXIT_USAGE;
        goto out;
    }
    if (opt.format && g_ascii_strcasecmp(opt.format, "pdf") != 0 &&
        g_ascii_strcasecmp(opt.format, "png") != 0 && g_ascii_strcasecmp(opt.format, "svg") != 0) {
        fprintf(stderr, "imprint: --format must be pdf, png or svg, not '%s'\n", opt.format);
        status = EXIT_USAGE;
        goto out;
    }
    datadir = find_datadir(argv[0]);
    if (opt.list_styles) {
        status = list_styles(datadir);
        goto out;
    }
    if (opt.dump_style) {
        status = dump_style(datadir, opt.dump_style, opt.sets);
        goto out;
    }
    guint n_inputs = opt.inputs ? g_strv_length(opt.inputs) : 0;
    if (n_inputs != 1) {
        fprintf(stderr, "imprint: %s\nTry 'imprint --help'.\n",
                n_inputs == 0 ? "no INPUT given" : "give exactly one INPUT");
        status = EXIT_USAGE;
        goto out;
    }
    status = run(&opt, datadir, opt.inputs[0]);
out:
    g_free(datadir);
    g_option_context_free(ctx);
    g_free(opt.output);
    g_free(opt.style);
    g_strfreev(opt.sets);
    g_free(opt.dump_style);
    g_free(opt.format);
    g_strfreev(opt.inputs);
    return status;
}
