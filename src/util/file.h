/* file.h — whole-file input and all-or-nothing output.
 *
 * imp_file_load reads a file (or standard input for "-") into memory. ImpOutput writes to a
 * temporary file beside the target and renames it over the target only on commit, so a
 * failed run never leaves a half-written file; for "-" it buffers and writes standard output
 * on commit.
 */
#ifndef IMP_FILE_H
#define IMP_FILE_H

#include <glib.h>

G_BEGIN_DECLS

/* The most imp_file_load reads: 16 MiB. imprint sets articles and books (a long book is a
 * few MiB of text); the bound keeps the time and memory of a run bounded for any input,
 * including an endless one such as /dev/zero. */
#define IMP_FILE_MAX ((gsize)16 << 20)

/* Reads all of `path` ("-" is standard input). Fails with IMP_ERROR_INPUT naming the file
 * for a missing, unreadable or directory path, and for one larger than IMP_FILE_MAX
 * ("PATH: too large (more than 16 MiB)"). *data is NUL-terminated (transfer full). */
gboolean imp_file_load(const char *path, char **data, gsize *len, GError **error);
/* The same with a bound of `max` bytes instead of IMP_FILE_MAX: a stream is read no
 * further than max + 1 bytes. */
gboolean imp_file_load_max(const char *path, gsize max, char **data, gsize *len,
                           GError **error);

typedef struct ImpOutput ImpOutput;

/* Opens output to `path` ("-" for standard output). Creates the temporary file now, so a
 * missing or unwritable folder is reported before any work (IMP_ERROR_OUTPUT).
 * (transfer full): finish with imp_output_commit() or imp_output_abort(). */
ImpOutput *imp_output_open(const char *path, GError **error);
/* Appends bytes; errors are remembered and reported by commit. */
void imp_output_write(ImpOutput *out, const void *data, gsize len);
/* Flushes, syncs and renames into place; on any error removes the temporary file.
 * Frees `out` in every case. */
gboolean imp_output_commit(ImpOutput *out, GError **error);
/* Removes the temporary file and frees `out`. NULL is a no-op. */
void imp_output_abort(ImpOutput *out);

/* Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of the outputs open at that
 * moment before the process ends by the signal as it would have. Signals the process
 * ignores stay ignored. For a program's main() (the handlers are process-wide). */
void imp_output_clean_up_on_signals(void);

G_END_DECLS

#endif /* IMP_FILE_H */
