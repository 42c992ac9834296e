/* main.c — the `imprint` command: options, messages, exit status.
 *
 * It parses the command line (getopt_long, so -j2, -ofile.pdf and --jobs=2 work as in
 * other tools), turns it into an ImpOptions, and makes one library call: imp_typeset_file()
 * for a document, or the style calls for --list-styles and --dump-style. The policy (which
 * style, which reading rules, which format a name asks for, what is refused) is the
 * library's; this file includes <imprint/imprint.h> only.
 *
 * Exit status: 0 success; 1 the input, style, fonts or output failed (or, with --strict, a
 * problem was reported); 2 usage error (a bad option or value, no INPUT, an output name
 * that disagrees with the format, binary output to a terminal).
 *
 * The process-wide things a library must not do on its own are done here: the locale, the
 * signal handlers that remove a temporary output file when a signal ends the run
 * (imp_clean_up_on_signals()), and reading SOURCE_DATE_EPOCH.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imprint/imprint.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2

typedef struct {
    const char *output;
    const char *style;
    const char *dump_style;
    gboolean list_styles;
    gboolean quiet;
    gboolean verbose;
    gboolean format_set;
    ImpFormat format;
    long jobs_asked;          /* -1: not given */
} Cli;

/* Prints one finding: warnings unless --quiet, information only with --verbose. */
static void report(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer user_data)
{
    const Cli *cli = user_data;
    if (cli->quiet || (level == IMP_DIAG_INFO && !cli->verbose))
        return;
    const char *kind = level == IMP_DIAG_WARNING ? "warning: " : "";
    if (file != NULL && line > 0)
        fprintf(stderr, "imprint: %s:%u: %s%s\n", file, line, kind, message);
    else if (file != NULL)
        fprintf(stderr, "imprint: %s: %s%s\n", file, kind, message);
    else
        fprintf(stderr, "imprint: %s%s\n", kind, message);
}

/* Prints a usage error and the hint, and returns status 2. */
static int usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);
static int usage_error(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    fprintf(stderr, "imprint: %s\nTry 'imprint --help'.\n", msg);
    g_free(msg);
    return EXIT_USAGE;
}

/* Prints a library error and returns its exit status: 2 for IMP_ERROR_USAGE, else 1. */
static int fail(GError *error)
{
    int status = g_error_matches(error, IMP_ERROR, IMP_ERROR_USAGE) ? EXIT_USAGE : EXIT_FAIL;
    if (status == EXIT_USAGE)
        usage_error("%s", error->message);
    else
        fprintf(stderr, "imprint: %s\n", error->message);
    g_error_free(error);
    return status;
}

/* A whole decimal number, digits only (and one '.' when `fraction`): no sign, exponent,
 * "nan", "inf" or hexadecimal, which strtod would take. */
static gboolean is_decimal(const char *s, gboolean fraction)
{
    gboolean digit = FALSE, dot = FALSE;
    for (; *s != '\0'; s++) {
        if (g_ascii_isdigit(*s))
            digit = TRUE;
        else if (*s == '.' && fraction && !dot)
            dot = TRUE;
        else
            return FALSE;
    }
    return digit;
}

/* Parses a count for --page or --jobs; a number too large to hold is G_MAXLONG (a page
 * beyond the last, jobs capped). */
static gboolean parse_count(const char *option, const char *arg, long *value)
{
    if (!is_decimal(arg, FALSE)) {
        usage_error("%s '%s': not a whole number", option, arg);
        return FALSE;
    }
    errno = 0;
    unsigned long long v = g_ascii_strtoull(arg, NULL, 10);
    *value = errno == ERANGE || v > G_MAXINT ? G_MAXINT : (long)v;
    return TRUE;
}

/* The folder holding styles/ and fonts/ for this run: NULL (the library's default:
 * $IMPRINT_DATADIR, else share/imprint beside the installed library), or the source tree
 * when this binary runs from its build tree (CMakeCache.txt beside it). */
static char *find_datadir(void)
{
    const char *env = g_getenv("IMPRINT_DATADIR");
    if (env != NULL && *env != '\0')
        return NULL;
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe == NULL)
        return NULL;
    char *bindir = g_path_get_dirname(exe);
    char *cache = g_build_filename(bindir, "CMakeCache.txt", NULL);
    char *dir = g_file_test(cache, G_FILE_TEST_EXISTS) ? g_strdup(IMP_SOURCE_DIR) : NULL;
    g_free(cache);
    g_free(bindir);
    g_free(exe);
    return dir;
}

/* The output name for an input: INPUT with its extension replaced by the format's. */
static char *default_output(const char *input, ImpFormat format)
{
    char *base = g_strdup(input);
    char *slash = strrchr(base, '/');
    char *dot = strrchr(slash ? slash : base, '.');
    if (dot != NULL && dot != (slash ? slash + 1 : base))
        *dot = '\0';
    char *out = g_strconcat(base, ".", imp_format_name(format), NULL);
    if (strcmp(out, input) == 0) {
        g_free(out);
        out = g_strconcat(input, ".", imp_format_name(format), NULL);
    }
    g_free(base);
    return out;
}

/* Sets the creation time from SOURCE_DATE_EPOCH (reproducible builds) when it is set. */
static gboolean source_date_epoch(ImpOptions *options)
{
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde == NULL || *sde == '\0')
        return TRUE;
    GError *error = NULL;
    if (!is_decimal(sde, FALSE) || strlen(sde) > 12 ||
        !imp_options_set_creation_time(options, g_ascii_strtoll(sde, NULL, 10), &error)) {
        g_clear_error(&error);
        fprintf(stderr, "imprint: SOURCE_DATE_EPOCH: '%s' is not a number of seconds since "
                "1970\n", sde);
        return FALSE;
    }
    return TRUE;
}

/* Prints the shipped styles, one per line with its description. */
static int list_styles(ImpContext *ctx)
{
    char **descriptions;
    char **names = imp_context_list_styles(ctx, &descriptions);
    for (guint i = 0; names[i] != NULL; i++)
        printf("%-12s %s\n", names[i], descriptions[i]);
    g_strfreev(names);
    g_strfreev(descriptions);
    return EXIT_SUCCESS;
}

/* Prints the fully resolved style `name` (with the --set overrides). */
static int dump_style(ImpContext *ctx, const char *name, const ImpOptions *options)
{
    GError *error = NULL;
    ImpStyle *style = imp_style_new(ctx, name, options, &error);
    if (style == NULL)
        return fail(error);
    char *dump = imp_style_dump(style);
    fputs(dump, stdout);
    g_free(dump);
    imp_style_free(style);
    return EXIT_SUCCESS;
}

static const char help_text[] =
    "Usage: imprint [OPTION...] INPUT\n"
    "       imprint --list-styles\n"
    "       imprint --dump-style NAME|FILE [--set GROUP.KEY=VALUE]...\n"
    "Typeset text into a paginated PDF (or a page as PNG or SVG).\n"
    "\n"
    "INPUT is a text, Markdown or HTML file, or - for standard input. The output is INPUT\n"
    "with its extension replaced by .pdf (or the --format's), or standard output for -.\n"
    "\n"
    "Input:\n"
    "      --from FORMAT        read INPUT as text, markdown or html (default: by its\n"
    "                           extension, else its content)\n"
    "      --encoding NAME      INPUT's character encoding, e.g. GB18030 (default: UTF-8,\n"
    "                           or UTF-16 with a byte-order mark)\n"
    "  -M, --metadata KEY=VALUE set the document's metadata KEY (title, subtitle, author,\n"
    "                           date, section, site, source, lang, keywords, description,\n"
    "                           url) after reading; an empty VALUE removes it (repeatable)\n"
    "Style:\n"
    "  -s, --style NAME|FILE    style sheet NAME (from the styles folder) or FILE (default:\n"
    "                           the site style whose detect rule matches INPUT, else\n"
    "                           'default')\n"
    "      --set GROUP.KEY=VALUE  override one style key, e.g. --set page.size=A5\n"
    "                           (repeatable)\n"
    "      --list-styles        list the shipped styles and exit\n"
    "      --dump-style NAME|FILE  print the fully resolved style and exit\n"
    "Output:\n"
    "  -o, --output FILE        write to FILE (- for standard output)\n"
    "  -f, --format FORMAT      pdf, png or svg (default: from FILE's extension, else pdf);\n"
    "                           an extension naming another format is an error\n"
    "      --follow-symlinks    write to the file a symbolic link at the output path\n"
    "                           leads to, instead of replacing the link (only as the\n"
    "                           kernel's fs.protected_symlinks rule allows)\n"
    "      --page N             draw page N only (PNG and SVG: default 1)\n"
    "      --dpi DPI            resolution of PNG output, up to 2400 (default 150)\n"
    "  -j, --jobs N             threads for shaping and line breaking (default: one per\n"
    "                           core; more than the cores, or 64, are not started)\n"
    "      --strict             fail (exit 1, no output) when any problem is reported,\n"
    "                           such as a character no font can show\n"
    "      --pdf-standard LIST  write a PDF that meets each standard of LIST, comma-\n"
    "                           separated: 1.7, a-2b, a-2u, a-3b, a-3u (PDF/A: archival),\n"
    "                           ua-1 (PDF/UA: accessible); a document that cannot meet\n"
    "                           one fails (exit 1) naming the rule (default: the style's;\n"
    "                           the archival style's is a-3u,ua-1)\n"
    "      --attach FILE        embed FILE in a PDF/A-3 beside the source (repeatable)\n"
    "Messages:\n"
    "  -q, --quiet              print only errors\n"
    "  -v, --verbose            say which style and fonts were chosen, and what was\n"
    "                           dropped\n"
    "  -V, --version            print the version and exit\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "Exit status: 0 success; 1 the input, style, fonts or output failed (or --strict and a\n"
    "problem was reported); 2 usage error (a bad option or value, no INPUT, an output name\n"
    "that disagrees with the format, PDF or PNG to a terminal).\n"
    "Environment: SOURCE_DATE_EPOCH sets the PDF's creation date; IMPRINT_DATADIR\n"
    "overrides the folder holding styles/ and fonts/.\n"
    "Documentation: man imprint, README.md and docs/styles.md.\n";

enum { OPT_SET = 256, OPT_PAGE, OPT_DPI, OPT_STRICT, OPT_LIST_STYLES, OPT_DUMP_STYLE,
       OPT_FROM, OPT_ENCODING, OPT_FOLLOW_SYMLINKS, OPT_PDF_STANDARD, OPT_ATTACH };

static const struct option long_options[] = {
    { "output", required_argument, NULL, 'o' },
    { "style", required_argument, NULL, 's' },
    { "set", required_argument, NULL, OPT_SET },
    { "format", required_argument, NULL, 'f' },
    { "page", required_argument, NULL, OPT_PAGE },
    { "dpi", required_argument, NULL, OPT_DPI },
    { "jobs", required_argument, NULL, 'j' },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS },
    { "pdf-standard", required_argument, NULL, OPT_PDF_STANDARD },
    { "attach", required_argument, NULL, OPT_ATTACH },
    { "list-styles", no_argument, NULL, OPT_LIST_STYLES },
    { "dump-style", required_argument, NULL, OPT_DUMP_STYLE },
    { "from", required_argument, NULL, OPT_FROM },
    { "encoding", required_argument, NULL, OPT_ENCODING },
    { "metadata", required_argument, NULL, 'M' },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "version", no_argument, NULL, 'V' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

/* The option just parsed as the user wrote it, for messages: "--jobs" or "-j". */
static char *option_name(char **argv, int c)
{
    const char *arg = argv[optind - 1];
    if (g_str_has_prefix(arg, "--")) {
        const char *eq = strchr(arg, '=');
        return eq != NULL ? g_strndup(arg, (gsize)(eq - arg)) : g_strdup(arg);
    }
    return g_strdup_printf("-%c", c);
}

/* -M KEY=VALUE: a known key, '=' and a value (which may be empty). */
static gboolean parse_metadata(ImpOptions *options, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char *name = eq != NULL ? g_strndup(arg, (gsize)(eq - arg)) : NULL;
    ImpMetaKey key;
    gboolean ok = name != NULL && imp_meta_key_from_name(name, &key);
    if (ok) {
        imp_options_set_metadata(options, key, eq + 1);
    } else if (name == NULL) {
        usage_error("--metadata '%s': expected KEY=VALUE, such as title=Annual report", arg);
    } else {
        GString *known = g_string_new(NULL);
        for (int k = 0; k < IMP_N_META; k++)
            g_string_append_printf(known, "%s%s", k > 0 ? ", " : "",
                                   imp_meta_key_name((ImpMetaKey)k));
        usage_error("--metadata '%s': unknown key '%s' (known: %s)", arg, name, known->str);
        g_string_free(known, TRUE);
    }
    g_free(name);
    return ok;
}

/* Parses the command line into `cli` and `options`; returns -1 to go on, else the exit
 * status (help, version, a usage error). */
static int parse(int argc, char **argv, Cli *cli, ImpOptions *options)
{
    GError *error = NULL;
    gboolean version = FALSE;
    opterr = 0; /* our own messages, which name the program as "imprint" */
    int c;
    while ((c = getopt_long(argc, argv, ":o:s:f:j:M:qvVh", long_options, NULL)) != -1) {
        long n;
        switch (c) {
        case 'o':
            cli->output = optarg;
            break;
        case 's':
            cli->style = optarg;
            break;
        case OPT_SET:
            if (!imp_options_add_style_override(options, optarg, &error))
                return fail(error);
            break;
        case 'f':
            if (!imp_format_from_name(optarg, &cli->format))
                return usage_error("--format must be pdf, png or svg, not '%s'", optarg);
            cli->format_set = TRUE;
            imp_options_set_format(options, cli->format);
            break;
        case OPT_PAGE:
            if (!parse_count("--page", optarg, &n))
                return EXIT_USAGE;
            if (n < 1)
                return usage_error("--page must be 1 or more, not '%s'", optarg);
            imp_options_set_pages(options, (guint)(n - 1), 1);
            break;
        case OPT_DPI:
            if (!is_decimal(optarg, TRUE))
                return usage_error("--dpi '%s': not a number", optarg);
            if (!imp_options_set_dpi(options, g_ascii_strtod(optarg, NULL), &error))
                return fail(error);
            break;
        case 'j':
            if (!parse_count("--jobs", optarg, &n))
                return EXIT_USAGE;
            cli->jobs_asked = n;
            if (!imp_options_set_jobs(options, (int)n, &error))
                return fail(error);
            break;
        case OPT_STRICT:
            imp_options_set_strict(options, TRUE);
            break;
        case OPT_FOLLOW_SYMLINKS:
            imp_options_set_follow_symlinks(options, TRUE);
            break;
        case OPT_PDF_STANDARD:
            if (!imp_options_set_pdf_standard(options, optarg, &error))
                return fail(error);
            break;
        case OPT_ATTACH:
            imp_options_add_attachment(options, optarg);
            break;
        case OPT_LIST_STYLES:
            cli->list_styles = TRUE;
            break;
        case OPT_DUMP_STYLE:
            cli->dump_style = optarg;
            break;
        case OPT_FROM: {
            ImpInputFormat from;
            if (!imp_input_format_from_name(optarg, &from))
                return usage_error("--from must be text, markdown or html, not '%s'", optarg);
            imp_options_set_input_format(options, from);
            break;
        }
        case OPT_ENCODING:
            if (!imp_options_set_encoding(options, optarg, &error))
                return fail(error);
            break;
        case 'M':
            if (!parse_metadata(options, optarg))
                return EXIT_USAGE;
            break;
        case 'q':
            cli->quiet = TRUE;
            break;
        case 'v':
            cli->verbose = TRUE;
            break;
        case 'V':
            version = TRUE;
            break;
        case 'h':
            fputs(help_text, stdout);
            return EXIT_SUCCESS;
        case ':': {
            char *name = option_name(argv, optopt);
            int st = usage_error("option '%s' needs a value", name);
            g_free(name);
            return st;
        }
        default: { /* '?' */
            const char *arg = argv[optind - 1];
            if (optopt != 0 && !g_str_has_prefix(arg, "--"))
                return usage_error("unknown option '-%c'", optopt);
            char *name = option_name(argv, optopt);
            int st = optopt != 0 ? usage_error("option '%s' takes no value", name)
                                 : usage_error("unknown option '%s'", name);
            g_free(name);
            return st;
        }
        }
    }
    if (version) {
        printf("imprint %s\n", imp_version_string());
        return EXIT_SUCCESS;
    }
    if (cli->quiet && cli->verbose)
        return usage_error("--quiet and --verbose cannot be used together");
    return -1;
}

/* Typesets the one INPUT. */
static int run(ImpContext *ctx, const Cli *cli, const char *input, ImpOptions *options)
{
    GError *error = NULL;
    imp_options_set_style(options, cli->style);
    char *output = cli->output != NULL ? g_strdup(cli->output)
                 : strcmp(input, "-") == 0 ? g_strdup("-")
                 : default_output(input, cli->format_set ? cli->format : IMP_FORMAT_PDF);
    int status = imp_typeset_file(ctx, input, output, options, &error) ? EXIT_SUCCESS
                                                                        : fail(error);
    g_free(output);
    return status;
}

/* Before cairo embeds the fonts (a transient copy of each font's outlines, megabytes for a
 * CJK face), the memory of the pages already drawn and released goes back to the system,
 * which lowers the peak of a long document by a tenth. */
static void trim_heap(gpointer data)
{
    (void)data;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    imp_clean_up_on_signals(); /* an interrupted run leaves no temporary file */
    Cli cli = { .jobs_asked = -1 };
    ImpOptions *options = imp_options_new();
    ImpContext *ctx = NULL;
    char *datadir = NULL;
    GError *error = NULL;
    imp_options_set_diag_func(options, report, &cli);
    imp_options_set_finish_func(options, trim_heap, NULL);

    int status = parse(argc, argv, &cli, options);
    if (status >= 0)
        goto out;
    int n_inputs = argc - optind;
    if ((cli.list_styles || cli.dump_style != NULL) && n_inputs > 0) {
        status = usage_error("%s takes no INPUT ('%s')",
                             cli.list_styles ? "--list-styles" : "--dump-style", argv[optind]);
        goto out;
    }
    if (!cli.list_styles && cli.dump_style == NULL && n_inputs != 1) {
        status = usage_error("%s", n_inputs == 0 ? "no INPUT given" : "give exactly one INPUT");
        goto out;
    }
    if (cli.jobs_asked > imp_options_get_jobs(options) && !cli.quiet)
        fprintf(stderr, "imprint: warning: --jobs %ld: using %d, the number of cores (at "
                "most 64)\n", cli.jobs_asked, imp_options_get_jobs(options));
    if (!source_date_epoch(options)) {
        status = EXIT_FAIL;
        goto out;
    }
    datadir = find_datadir();
    /* the command owns its process: fonts set up process-wide (faster start) */
    ctx = imp_context_new_full(datadir, IMP_CONTEXT_FONTS_PROCESS_WIDE, &error);
    if (ctx == NULL)
        status = fail(error);
    else if (cli.list_styles)
        status = list_styles(ctx);
    else if (cli.dump_style != NULL)
        status = dump_style(ctx, cli.dump_style, options);
    else
        status = run(ctx, &cli, argv[optind], options);
out:
    imp_context_free(ctx);
    imp_options_free(options);
    g_free(datadir);
    return status;
}
