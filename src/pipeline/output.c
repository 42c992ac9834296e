/* output.c — the rules for where output may go: the format a file name asks for, outputs
 * that are refused (a name whose extension disagrees with the format, binary data to a
 * terminal, the input itself), and the write callbacks into a file or memory.
 *
 * Why refuse rather than guess: `-o notes.html` used to write a PDF under that name, and a
 * PDF sent to a terminal fills it with binary noise (gzip refuses the same way). A name
 * that promises one format and holds another is found much later by someone else.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "../util/error.h"
#include "../util/file.h"

/* The extension of the last component of `path` without its dot ("pdf" for "a/b.pdf"),
 * or NULL when it has none (a leading dot, as in ".pdf", starts a name, not an extension). */
static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot != NULL && dot != base && dot[1] != '\0' ? dot + 1 : NULL;
}

/* Whether `path` ("-": standard output) is a terminal. A path is opened to ask only when
 * it is a character device, without becoming the controlling terminal. */
static gboolean is_terminal(const char *path)
{
    if (strcmp(path, "-") == 0)
        return isatty(STDOUT_FILENO);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return FALSE;
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return FALSE; /* opening it for the output will say why */
    gboolean tty = isatty(fd);
    close(fd);
    return tty;
}

gboolean imp__output_format(const char *path, const ImpOptions *options, ImpFormat *format,
                            GError **error)
{
    if (*path == '\0') {
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "the output name is empty; name a file, or - for standard output");
        return FALSE;
    }
    const char *ext = strcmp(path, "-") == 0 ? NULL : extension(path);
    ImpFormat named;
    if (ext != NULL && !imp_format_from_name(ext, &named)) {
        char *shown = g_utf8_make_valid(path, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s: imprint writes PDF, PNG or SVG, not '.%s'; name the output .pdf, "
                    ".png or .svg", shown, extension(shown));
        g_free(shown);
        return FALSE;
    }
    if (ext != NULL && options->format_set && named != options->format) {
        char *shown = g_utf8_make_valid(path, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s: the name says %s but the format asked for is %s", shown,
                    imp_format_name(named), imp_format_name(options->format));
        g_free(shown);
        return FALSE;
    }
    *format = options->format_set ? options->format : ext != NULL ? named : IMP_FORMAT_PDF;
    if (*format != IMP_FORMAT_SVG && is_terminal(path)) {
        char *shown = g_utf8_make_valid(strcmp(path, "-") == 0 ? "standard output" : path, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_USAGE,
                    "%s is a terminal: a %s is not written to one (redirect it to a file or "
                    "a program, or name an output file)", shown,
                    *format == IMP_FORMAT_PDF ? "PDF" : "PNG");
        g_free(shown);
        return FALSE;
    }
    return TRUE;
}

/* Writing the output over the input would replace the text with its PDF: refused by name,
 * by a symbolic or hard link, or as the file on standard input. */
gboolean imp__output_is_not_input(const char *input, const char *output, GError **error)
{
    struct stat in, out;
    if (strcmp(output, "-") == 0 || stat(output, &out) != 0 || !S_ISREG(out.st_mode))
        return TRUE;
    int r = strcmp(input, "-") == 0 ? fstat(STDIN_FILENO, &in) : stat(input, &in);
    if (r == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        char *shown = g_utf8_make_valid(output, -1);
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: is the input; choose another output with -o", shown);
        g_free(shown);
        return FALSE;
    }
    return TRUE;
}

/* The handlers live with the list of temporary files they remove (util/file.c). */
void imp_clean_up_on_signals(void)
{
    imp_output_clean_up_on_signals();
}

ImpOutputFlags imp__output_flags(const ImpOptions *options)
{
    return options->follow_symlinks ? IMP_OUTPUT_FOLLOW_SYMLINKS : IMP_OUTPUT_DEFAULT;
}

gboolean imp__output_write(gpointer output, const guchar *data, gsize len)
{
    imp_output_write(output, data, len);
    return TRUE;
}

gboolean imp__bytes_write(gpointer array, const guchar *data, gsize len)
{
    g_byte_array_append(array, data, (guint)len);
    return TRUE;
}
