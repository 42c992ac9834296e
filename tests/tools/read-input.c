/* read-input — runs one reader on a file, for the hostile-input tests and for measuring a
 * reader alone (callgrind): imp_read() and nothing after it.
 *
 * Usage: read-input [--from FORMAT] [--encoding NAME] [--repeat N] [--text 1] FILE
 * Prints "N blocks, M bytes of text" (and with --text, each block's text on a line of its
 * own after it) and exits 0 for a document; prints "read-input: MESSAGE"
 * on standard error and exits 1 for an input error; 2 for a usage error. Findings go to
 * standard error as "FILE:LINE: warning|info: MESSAGE". --repeat reads the file N times
 * (the measurement of one read is then the difference of two runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/read.h"
#include "util/error.h"
#include "util/file.h"

static void report(ImpDiagLevel level, const char *file, guint line, const char *message,
                   gpointer user_data)
{
    (void)user_data;
    fprintf(stderr, "%s:%u: %s: %s\n", file != NULL ? file : "-", line,
            level == IMP_DIAG_WARNING ? "warning" : "info", message);
}

int main(int argc, char **argv)
{
    ImpReadOptions o = { 0 };
    int repeat = 1;
    gboolean text = FALSE;
    int i = 1;
    for (; i + 1 < argc && g_str_has_prefix(argv[i], "--"); i += 2) {
        if (strcmp(argv[i], "--from") == 0 && imp_input_format_from_name(argv[i + 1], &o.format))
            continue;
        if (strcmp(argv[i], "--encoding") == 0)
            o.encoding = argv[i + 1];
        else if (strcmp(argv[i], "--repeat") == 0)
            repeat = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--text") == 0)
            text = strcmp(argv[i + 1], "0") != 0;
        else
            break;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: read-input [--from FORMAT] [--encoding NAME] [--repeat N] "
                        "[--text 1] FILE\n");
        return 2;
    }
    ImpDiag diag = { report, NULL };
    o.filename = argv[i];
    o.diag = &diag;
    char *data = NULL;
    gsize len = 0;
    GError *error = NULL;
    if (!imp_file_load(argv[i], &data, &len, &error)) {
        fprintf(stderr, "read-input: %s\n", error->message);
        return 1;
    }
    int status = 0;
    for (int k = 0; k < repeat; k++) {
        ImpDocument *doc = imp_read(data, len, &o, &error);
        if (doc == NULL) {
            fprintf(stderr, "read-input: %s\n", error->message);
            g_clear_error(&error);
            status = 1;
            break;
        }
        gsize bytes = 0;
        for (guint b = 0; b < imp_document_get_n_blocks(doc); b++) {
            gsize n;
            imp_block_get_text(imp_document_get_block(doc, b), &n);
            bytes += n;
        }
        if (k == 0)
            printf("%u blocks, %" G_GSIZE_FORMAT " bytes of text\n",
                   imp_document_get_n_blocks(doc), bytes);
        for (guint b = 0; k == 0 && text && b < imp_document_get_n_blocks(doc); b++)
            printf("%s\n", imp_block_get_text(imp_document_get_block(doc, b), NULL));
        imp_document_free(doc);
    }
    g_free(data);
    return status;
}
