/* file.h — whole-file input and all-or-nothing output.
 *
 * imp_file_load reads a file (or standard input for "-") into memory. ImpOutput writes to a
 * temporary file beside the target and renames it over the target only on commit, so a
 * failed run never leaves a half-written file; for "-" it buffers and writes standard output
 * on commit. The path named is the file written: a symbolic link there is replaced, not
 * followed, unless the caller asks (IMP_OUTPUT_FOLLOW_SYMLINKS), and then only as the
 * kernel's fs.protected_symlinks rule allows.
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

/* How imp_output_open_full() treats a symbolic link at the output path. */
typedef enum {
    IMP_OUTPUT_DEFAULT = 0,
    /* Write to the file a symbolic link at the path leads to (--follow-symlinks), hop by
     * hop as the kernel's fs.protected_symlinks allows: a link in a sticky, world-writable
     * folder (such as /tmp) is followed only when it belongs to the caller or to the
     * folder's owner; any other is refused with IMP_ERROR_OUTPUT, whatever the system's
     * setting. */
    IMP_OUTPUT_FOLLOW_SYMLINKS = 1 << 0
} ImpOutputFlags;

/* Opens output to `path` ("-" for standard output) with IMP_OUTPUT_DEFAULT: the path
 * named is the file written.
 *  - A new file is written to a temporary file ".NAME.imprint-XXXXXXXX" beside it and
 *    renamed into place on commit; it gets mode 0666 less the umask (or the folder's
 *    default ACL), as the kernel gives any new file.
 *  - An existing regular file is replaced the same way, atomically. If it belongs to the
 *    caller, the new file keeps its permission bits (without setuid, setgid and sticky)
 *    and its group (when the caller may set that group; else the group's bits are
 *    cleared); a file of another user is replaced by a file of the caller's with the
 *    new-file mode. Hard links to the old file keep the old content.
 *  - A symbolic link at the path is replaced by the file, never followed — except one
 *    that leads to a device, FIFO or socket, or names an open file of the process
 *    (/dev/stdout, /dev/fd/N), which is written through as the device it leads to, and
 *    only as fs.protected_symlinks would allow (else the link is replaced).
 *  - A device or FIFO is written in place (no temporary file: there is nothing to
 *    rename), so a failure can leave part of the output in it.
 * The temporary file is created now, so a missing or unwritable folder is reported before
 * any work. Fails with IMP_ERROR_OUTPUT and "PATH: cannot write: REASON" for an empty
 * path, a folder, a missing folder, an unwritable folder, a file in a kernel file system
 * (/proc, /sys), or another user's file in a sticky folder (which the kernel would not let
 * the caller replace). Thread-safe; changes no process-wide state (the umask is never
 * read or set).
 * (transfer full): finish with imp_output_commit() or imp_output_abort(). */
ImpOutput *imp_output_open(const char *path, GError **error);
/* imp_output_open with flags (IMP_OUTPUT_FOLLOW_SYMLINKS: see ImpOutputFlags). With it, a
 * link that leads to a regular file replaces that file (its folder gets the temporary
 * file), a dangling link creates its destination, and a link the rule refuses fails:
 * "PATH: cannot write: not following the symbolic link LINK: it belongs to user UID,
 * neither you nor the owner of the sticky, world-writable folder DIR". */
ImpOutput *imp_output_open_full(const char *path, ImpOutputFlags flags, GError **error);
/* Appends bytes; errors are remembered and reported by commit. */
void imp_output_write(ImpOutput *out, const void *data, gsize len);
/* Flushes, syncs and renames into place; on any error removes the temporary file.
 * Frees `out` in every case. */
gboolean imp_output_commit(ImpOutput *out, GError **error);
/* Removes the temporary file and frees `out`. NULL is a no-op. */
void imp_output_abort(ImpOutput *out);

/* For a program's main(), once, before opening outputs: makes every way the process can
 * end remove the temporary files of the outputs open at that moment.
 *  - SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU and
 *    SIGVTALRM: the files are removed, then the process ends by the signal as it would
 *    have (a signal the process ignores stays ignored);
 *  - SIGSEGV, SIGBUS, SIGABRT (abort(), g_error(), failed allocation), SIGTRAP (GLib's
 *    fatal messages), SIGFPE, SIGILL, SIGSYS: the same, with async-signal-safe calls only
 *    (unlinkat of names kept in preallocated storage; no allocation, no lock), then a
 *    handler installed before (a sanitizer's) runs, or the default action (core dump);
 *  - SIGXFSZ (a file size limit, ulimit -f) is ignored, so that the write fails with
 *    EFBIG and commit reports "PATH: cannot write: File too large";
 *  - exit() from anywhere (libhyphen exits on a failed allocation): an atexit handler.
 * Only SIGKILL (and a power cut) can leave a ".NAME.imprint-XXXXXXXX" file behind. Up to
 * 64 outputs open at once are covered. The handlers are process-wide: a library never
 * calls this, a program's main() may. */
void imp_output_clean_up_on_signals(void);

G_END_DECLS

#endif /* IMP_FILE_H */
