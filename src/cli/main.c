/* main.c — the `imprint` command: options, messages, exit status.
 *
 * It parses the command line (getopt_long, so -j2, -ofile.pdf and --jobs=2 work as in
 * other tools), turns it into an ImpOptions, and makes one library call: imp_typeset_file()
 * for a document; an ImpBatch for several inputs, a manifest, an output folder, a press kit
 * or page files (the batch's documents are reported in order, then one summary line); or
 * the style calls for --list-styles and --dump-style. The policy (which style, which
 * reading rules, which format a name asks for, what is refused) is the library's; this file
 * includes <imprint/imprint.h> only. It draws the progress line (status.c's job would be
 * too small to split out: see "progress" below).
 *
 * Exit status: 0 success; 1 the input, style, fonts or output failed (or, with --strict, a
 * problem was reported), for a batch: any document failed; 2 usage error (a bad option or
 * value, no INPUT, -o with several inputs, two inputs with one output, an output name that
 * disagrees with the format, binary output to a terminal).
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
#include <sys/ioctl.h>
#include <unistd.h>

#include <imprint/imprint.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2

typedef enum { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER } ProgressWhen;

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
    gboolean page_set;        /* --page */
    /* batches */
    const char *output_dir;
    const char *manifest;
    const char *report;
    const char *kit;
    const char *kit_index;
    const char *pages;
    guint shard_k, shard_n;   /* 0/0: not given */
    ProgressWhen progress;
    /* the progress line */
    gboolean status_on;       /* a line is on the screen now */
    const char *doc_name;     /* a one-document run: the input, for the line */
    double drawing_since;     /* a one-document run: when drawing started (-1: not yet) */
    GPtrArray *font_paths;    /* const char* (argv's): --font-path folders, in order */
} Cli;

/* ---- progress ----
 *
 * One status line on standard error, redrawn in place ("\r", the line, erase to its end)
 * when the library reports (at most ten times a second), cleared before any message and
 * at the end, so messages and the final summary never mix with it. Shown on a terminal
 * unless --quiet or --progress=never; --progress=always shows it anywhere. */

/* Clears the status line if one is shown. */
static void status_clear(Cli *cli)
{
    if (cli->status_on) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        cli->status_on = FALSE;
    }
}

/* "1,234": grouped by threes whatever the locale, as the summary line. */
static char *grouped(guint64 n)
{
    char digits[32];
    g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
    GString *s = g_string_new(NULL);
    gsize len = strlen(digits);
    for (gsize i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c(s, ',');
        g_string_append_c(s, digits[i]);
    }
    return g_string_free(s, FALSE);
}

/* Appends ", M:SS left" (or H:MM:SS) for `seconds` left; nothing when unknown. */
static void append_left(GString *line, double seconds)
{
    if (!(seconds >= 0) || seconds > 360000)
        return;
    guint s = (guint)(seconds + 0.5);
    if (s >= 3600)
        g_string_append_printf(line, ", %u:%02u:%02u left", s / 3600, s / 60 % 60, s % 60);
    else
        g_string_append_printf(line, ", %u:%02u left", s / 60, s % 60);
}

/* The library's progress: builds and draws the line. */
static void progress(const ImpProgress *p, gpointer user_data)
{
    Cli *cli = user_data;
    if (p->finished) {
        status_clear(cli);
        return;
    }
    GString *line = g_string_new("imprint: ");
    if (p->documents_total > 1 || cli->doc_name == NULL) {
        char *done = grouped(p->documents_done), *total = grouped(p->documents_total);
        char *pages = grouped(p->pages_set);
        g_string_append_printf(line, "%s/%s documents, %s pages", done, total, pages);
        if (p->seconds > 0)
            g_string_append_printf(line, ", %.0f pages/s", (double)p->pages_set / p->seconds);
        if (p->documents_failed > 0)
            g_string_append_printf(line, ", %u failed", p->documents_failed);
        if (p->documents_done > 0)
            append_left(line, p->seconds * (p->documents_total - p->documents_done) /
                                  p->documents_done);
        g_free(done);
        g_free(total);
        g_free(pages);
    } else if (p->documents_set == 0 || p->pages_to_draw == 0) {
        char *set = grouped(p->pages_set);
        g_string_append_printf(line, "%s: %s pages set", cli->doc_name, set);
        g_free(set);
    } else {
        if (cli->drawing_since < 0)
            cli->drawing_since = p->seconds;
        double t = p->seconds - cli->drawing_since;
        char *drawn = grouped(p->pages_drawn), *total = grouped(p->pages_to_draw);
        g_string_append_printf(line, "%s: %s/%s pages drawn", cli->doc_name, drawn, total);
        if (t > 0 && p->pages_drawn > 0) {
            double rate = (double)p->pages_drawn / t;
            g_string_append_printf(line, ", %.0f pages/s", rate);
            append_left(line, (double)(p->pages_to_draw - p->pages_drawn) / rate);
        }
        g_free(drawn);
        g_free(total);
    }
    /* no wider than the terminal, so that it never wraps onto a second line */
    struct winsize ws;
    glong cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    char *valid = g_utf8_make_valid(line->str, -1);
    if (g_utf8_strlen(valid, -1) > cols - 1)
        *g_utf8_offset_to_pointer(valid, cols - 1) = '\0';
    fprintf(stderr, "\r%s\033[K", valid);
    fflush(stderr);
    cli->status_on = TRUE;
    g_free(valid);
    g_string_free(line, TRUE);
}

/* Whether to show progress: --progress, else on a terminal without --quiet. */
static gboolean progress_wanted(const Cli *cli)
{
    if (cli->progress != PROGRESS_AUTO)
        return cli->progress == PROGRESS_ALWAYS;
    return !cli->quiet && isatty(STDERR_FILENO);
}

/* Prints one finding: warnings unless --quiet, information only with --verbose. */
static void report(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer user_data)
{
    Cli *cli = user_data;
    if (cli->quiet || (level == IMP_DIAG_INFO && !cli->verbose))
        return;
    status_clear(cli);
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
    "Usage: imprint [OPTION...] INPUT...\n"
    "       imprint [OPTION...] --manifest FILE\n"
    "       imprint --kit-index DIR\n"
    "       imprint --list-styles\n"
    "       imprint --dump-style NAME|FILE [--set GROUP.KEY=VALUE]...\n"
    "Typeset text into a paginated PDF (or a page as PNG or SVG).\n"
    "\n"
    "INPUT is a text, Markdown or HTML file, or - for standard input. The output is INPUT\n"
    "with its extension replaced by .pdf (or the --format's), or standard output for -.\n"
    "Several INPUTs are each typeset to their own output, in parallel.\n"
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
    "      --font-path DIR      also use the fonts in DIR and its subfolders, before all\n"
    "                           others (repeatable; earlier folders first)\n"
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
    "      --no-pdf-tags        write no structure tree (tagged PDF is the default;\n"
    "                           ua-1 requires it)\n"
    "Batches:\n"
    "      --output-dir DIR     write each output into DIR (made if missing)\n"
    "      --manifest FILE      read inputs from FILE (- for standard input): one per line,\n"
    "                           or JSON Lines with input, output, style, from, encoding,\n"
    "                           set and metadata per document\n"
    "      --kit DIR            write a press kit into DIR: NAME.pdf, NAME.png (page 1,\n"
    "                           1200 px wide), NAME.txt, NAME.json; index.html, index.json\n"
    "      --kit-index DIR      write index.html and index.json of the kit in DIR from its\n"
    "                           NAME.json files (after a sharded --kit) and exit\n"
    "      --pages RANGE        PNG or SVG: one file per page, NAME-001.png ...; RANGE is\n"
    "                           'all' or pages and ranges such as 1-3,7,9-\n"
    "      --shard K/N          run only the inputs whose position modulo N is K-1\n"
    "      --report FILE        write a JSON report per document (outputs, pages, status,\n"
    "                           warnings, seconds, SHA-256) to FILE (- for standard output)\n"
    "      --progress[=WHEN]    a status line on standard error: auto (on a terminal,\n"
    "                           the default), always (the default of a bare --progress)\n"
    "                           or never\n"
    "Messages:\n"
    "  -q, --quiet              print only errors\n"
    "  -v, --verbose            say which style and fonts were chosen, and what was\n"
    "                           dropped\n"
    "  -V, --version            print the version and exit\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "Exit status: 0 success; 1 the input, style, fonts or output failed (or --strict and a\n"
    "problem was reported), for several inputs: any failed; 2 usage error (a bad option or\n"
    "value, no INPUT, -o with several inputs, two inputs with one output, an output name\n"
    "that disagrees with the format, PDF or PNG to a terminal).\n"
    "Environment: SOURCE_DATE_EPOCH sets the PDF's creation date; IMPRINT_DATADIR\n"
    "overrides the folder holding styles/ and fonts/.\n"
    "Documentation: man imprint, README.md and docs/styles.md.\n";

enum { OPT_SET = 256, OPT_PAGE, OPT_DPI, OPT_STRICT, OPT_LIST_STYLES, OPT_DUMP_STYLE,
       OPT_FROM, OPT_ENCODING, OPT_FOLLOW_SYMLINKS, OPT_OUTPUT_DIR, OPT_MANIFEST, OPT_REPORT,
       OPT_KIT, OPT_KIT_INDEX, OPT_PAGES, OPT_SHARD, OPT_PROGRESS, OPT_FONT_PATH,
       OPT_PDF_STANDARD, OPT_ATTACH, OPT_NO_PDF_TAGS };

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
    { "no-pdf-tags", no_argument, NULL, OPT_NO_PDF_TAGS },
    { "list-styles", no_argument, NULL, OPT_LIST_STYLES },
    { "dump-style", required_argument, NULL, OPT_DUMP_STYLE },
    { "font-path", required_argument, NULL, OPT_FONT_PATH },
    { "from", required_argument, NULL, OPT_FROM },
    { "encoding", required_argument, NULL, OPT_ENCODING },
    { "metadata", required_argument, NULL, 'M' },
    { "output-dir", required_argument, NULL, OPT_OUTPUT_DIR },
    { "manifest", required_argument, NULL, OPT_MANIFEST },
    { "report", required_argument, NULL, OPT_REPORT },
    { "kit", required_argument, NULL, OPT_KIT },
    { "kit-index", required_argument, NULL, OPT_KIT_INDEX },
    { "pages", required_argument, NULL, OPT_PAGES },
    { "shard", required_argument, NULL, OPT_SHARD },
    { "progress", optional_argument, NULL, OPT_PROGRESS },
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
    int option_index = 0;
    while ((c = getopt_long(argc, argv, ":o:s:f:j:M:qvVh", long_options, &option_index)) != -1) {
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
            cli->page_set = TRUE;
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
        case OPT_NO_PDF_TAGS:
            imp_options_set_pdf_tags(options, FALSE);
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
        case OPT_FONT_PATH:
            g_ptr_array_add(cli->font_paths, optarg);
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
        case OPT_OUTPUT_DIR:
        case OPT_MANIFEST:
        case OPT_REPORT:
        case OPT_KIT:
        case OPT_KIT_INDEX:
        case OPT_PAGES: {
            if (*optarg == '\0')
                return usage_error("--%s: the value is empty",
                                   long_options[option_index].name);
            const char **slot = c == OPT_OUTPUT_DIR ? &cli->output_dir
                              : c == OPT_MANIFEST   ? &cli->manifest
                              : c == OPT_REPORT     ? &cli->report
                              : c == OPT_KIT        ? &cli->kit
                              : c == OPT_KIT_INDEX  ? &cli->kit_index
                                                    : &cli->pages;
            *slot = optarg;
            break;
        }
        case OPT_SHARD: {
            const char *slash = strchr(optarg, '/');
            char *k = slash != NULL ? g_strndup(optarg, (gsize)(slash - optarg)) : NULL;
            gboolean good = k != NULL && is_decimal(k, FALSE) && is_decimal(slash + 1, FALSE) &&
                            strlen(k) <= 9 && strlen(slash + 1) <= 9;
            if (good) {
                cli->shard_k = (guint)g_ascii_strtoull(k, NULL, 10);
                cli->shard_n = (guint)g_ascii_strtoull(slash + 1, NULL, 10);
                good = cli->shard_k >= 1 && cli->shard_k <= cli->shard_n;
            }
            g_free(k);
            if (!good)
                return usage_error("--shard '%s': expected K/N with 1 <= K <= N, such as "
                                   "2/8", optarg);
            break;
        }
        case OPT_PROGRESS:
            if (optarg == NULL || strcmp(optarg, "always") == 0)
                cli->progress = PROGRESS_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                cli->progress = PROGRESS_NEVER;
            else if (strcmp(optarg, "auto") == 0)
                cli->progress = PROGRESS_AUTO;
            else
                return usage_error("--progress must be auto, always or never, not '%s'",
                                   optarg);
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
static int run(ImpContext *ctx, Cli *cli, const char *input, ImpOptions *options)
{
    GError *error = NULL;
    imp_options_set_style(options, cli->style);
    cli->doc_name = strcmp(input, "-") == 0 ? "<stdin>" : input;
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

/* A batch's document finished: its failure, one line naming the file and the problem. */
static void document_done(const ImpBatchItem *item, gpointer user_data)
{
    Cli *cli = user_data;
    const GError *error = imp_batch_item_get_error(item);
    if (error != NULL) {
        status_clear(cli);
        fprintf(stderr, "imprint: %s\n", error->message);
    }
}

/* Whether the command line asks for a batch rather than one document. */
static gboolean is_batch(const Cli *cli, int n_inputs)
{
    return n_inputs > 1 || cli->manifest != NULL || cli->output_dir != NULL ||
           cli->kit != NULL || cli->pages != NULL || cli->report != NULL || cli->shard_n > 0;
}

/* The usage errors of batch options that do not go together. NULL when they do. */
static const char *batch_conflict(const Cli *cli, int n_inputs)
{
    if (cli->output != NULL && (n_inputs > 1 || cli->manifest != NULL))
        return "-o names one output: with several inputs, use --output-dir DIR (or an "
               "\"output\" per document in a JSON Lines manifest)";
    if (cli->output != NULL && (cli->output_dir != NULL || cli->kit != NULL))
        return cli->kit != NULL ? "-o and --kit cannot be used together"
                                : "-o and --output-dir cannot be used together";
    if (cli->kit != NULL && cli->output_dir != NULL)
        return "--kit and --output-dir cannot be used together (the kit is the folder)";
    if (cli->kit != NULL && (cli->format_set || cli->page_set || cli->pages != NULL))
        return "--kit writes NAME.pdf, NAME.png (page 1), NAME.txt and NAME.json: --format, "
               "--page and --pages do not apply";
    if (cli->pages != NULL && cli->page_set)
        return "--page and --pages cannot be used together";
    return NULL;
}

/* Typesets the INPUTs and the manifest's as a batch; one message per failed document, then
 * the summary line. */
static int run_batch(ImpContext *ctx, Cli *cli, char **inputs, int n_inputs,
                     ImpOptions *options)
{
    GError *error = NULL;
    imp_options_set_style(options, cli->style);
    ImpBatch *batch = imp_batch_new(ctx, options);
    imp_batch_set_done_func(batch, document_done, cli);
    imp_batch_set_output_dir(batch, cli->output_dir);
    imp_batch_set_kit_dir(batch, cli->kit);
    gboolean ok = (cli->pages == NULL || imp_batch_set_pages(batch, cli->pages, &error)) &&
                  (cli->shard_n == 0 ||
                   imp_batch_set_shard(batch, cli->shard_k, cli->shard_n, &error));
    for (int i = 0; ok && i < n_inputs; i++)
        ok = imp_batch_add(batch, inputs[i], cli->output, NULL, &error);
    if (ok && cli->manifest != NULL)
        ok = imp_batch_add_manifest(batch, cli->manifest, &error);
    if (ok && imp_batch_get_n_items(batch) == 1 && n_inputs == 1)
        cli->doc_name = inputs[0];
    if (!ok || !imp_batch_run(batch, &error)) {
        status_clear(cli);
        int status = fail(error);
        imp_batch_free(batch);
        return status;
    }
    int status = EXIT_SUCCESS;
    guint n = imp_batch_get_n_items(batch), failed = imp_batch_get_n_failed(batch);
    if (cli->report != NULL && !imp_batch_write_report(batch, cli->report, &error))
        status = fail(error);
    if (failed > 0)
        status = EXIT_FAIL;
    if (n > 1 && (!cli->quiet || failed > 0)) {
        char *written = grouped(n - failed), *failures = grouped(failed);
        fprintf(stderr, "imprint: %s written, %s failed\n", written, failures);
        g_free(written);
        g_free(failures);
    }
    imp_batch_free(batch);
    return status;
}

/* --kit-index DIR: the kit's index from its NAME.json files. */
static int kit_index(const char *dir, const ImpOptions *options)
{
    (void)options;
    GError *error = NULL;
    gint64 created = g_get_real_time() / G_USEC_PER_SEC;
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && *sde != '\0')
        created = g_ascii_strtoll(sde, NULL, 10); /* checked by source_date_epoch() */
    return imp_kit_write_index(dir, created, &error) ? EXIT_SUCCESS : fail(error);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    imp_clean_up_on_signals(); /* an interrupted run leaves no temporary file */
    Cli cli = { .jobs_asked = -1, .drawing_since = -1, .font_paths = g_ptr_array_new() };
    ImpOptions *options = imp_options_new();
    ImpContext *ctx = NULL;
    char *datadir = NULL;
    GError *error = NULL;
    const char *conflict;
    imp_options_set_diag_func(options, report, &cli);

    int status = parse(argc, argv, &cli, options);
    if (status >= 0)
        goto out;
    int n_inputs = argc - optind;
    /* one document: its released pages go back before the fonts are embedded; a batch
       would give back, at every document, memory the next one takes again (page faults
       and TLB flushes, some 4% of a batch's time) */
    if (!is_batch(&cli, n_inputs))
        imp_options_set_finish_func(options, trim_heap, NULL);
    if ((cli.list_styles || cli.dump_style != NULL || cli.kit_index != NULL) && n_inputs > 0) {
        status = usage_error("%s takes no INPUT ('%s')",
                             cli.list_styles ? "--list-styles"
                             : cli.dump_style != NULL ? "--dump-style" : "--kit-index",
                             argv[optind]);
        goto out;
    }
    if (!cli.list_styles && cli.dump_style == NULL && cli.kit_index == NULL && n_inputs == 0 &&
        cli.manifest == NULL) {
        status = usage_error("no INPUT given");
        goto out;
    }
    if ((conflict = batch_conflict(&cli, n_inputs)) != NULL) {
        status = usage_error("%s", conflict);
        goto out;
    }
    if (cli.jobs_asked > imp_options_get_jobs(options) && !cli.quiet)
        fprintf(stderr, "imprint: warning: --jobs %ld: using %d, the number of cores (at "
                "most 64)\n", cli.jobs_asked, imp_options_get_jobs(options));
    if (!source_date_epoch(options)) {
        status = EXIT_FAIL;
        goto out;
    }
    if (cli.kit_index != NULL) {
        status = kit_index(cli.kit_index, options);
        goto out;
    }
    if (progress_wanted(&cli))
        imp_options_set_progress_func(options, progress, &cli);
#ifdef __GLIBC__
    /* One document: blocks of a megabyte and more (cairo's copy of a CJK face's outline
       table, 20-27 MB, made when a page first uses the face and again to embed it) are
       mapped apart and given back when freed. By default glibc raises this threshold to
       the size of the largest block freed, and its trim threshold to twice that, so after
       the first copy the next ones come from the heap and 40-50 MB of it stay with the
       process: the peak of a long structured document was 15 MB higher. A batch keeps the
       default: its documents copy the same tables again and again, and reusing the heap
       spares them mapping and zeroing 20 MB each time (more than half of a batch
       document's time). Process-wide: the command's choice, not the library's. */
    if (!is_batch(&cli, n_inputs))
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    datadir = find_datadir();
    /* the command owns its process: fonts set up process-wide (faster start) */
    ctx = imp_context_new_full(datadir, IMP_CONTEXT_FONTS_PROCESS_WIDE, &error);
    for (guint i = 0; ctx != NULL && i < cli.font_paths->len; i++)
        if (!imp_context_add_font_dir(ctx, cli.font_paths->pdata[i], &error)) {
            g_prefix_error(&error, "--font-path ");
            status = fail(error);
            goto out;
        }
    if (ctx == NULL)
        status = fail(error);
    else if (cli.list_styles)
        status = list_styles(ctx);
    else if (cli.dump_style != NULL)
        status = dump_style(ctx, cli.dump_style, options);
    else if (is_batch(&cli, n_inputs))
        status = run_batch(ctx, &cli, argv + optind, n_inputs, options);
    else
        status = run(ctx, &cli, argv[optind], options);
out:
    imp_context_free(ctx);
    imp_options_free(options);
    g_ptr_array_free(cli.font_paths, TRUE);
    g_free(datadir);
    return status;
}
