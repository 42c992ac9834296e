/* file.c — whole-file input and all-or-nothing output; see file.h.
 *
 * Output goes one of three ways:
 *  - a regular (or not yet existing) file: written to a temporary ".NAME.XXXXXX" in the
 *    same folder, so that the final rename(2) is atomic, and renamed over the target on
 *    commit; the temporary file is removed on every failure and on abort;
 *  - an existing non-regular file (a device such as /dev/null or /dev/full, a FIFO):
 *    written in place, since no temporary file can stand beside it and a rename would
 *    replace the device;
 *  - "-": buffered in memory and written to standard output on commit.
 *
 * Invariants:
 *  1. A failed or aborted output leaves no file behind and does not touch the target.
 *  2. The first write error (ENOSPC, EIO, ...) is remembered and reported by commit; later
 *     writes are skipped.
 *  3. A temporary file is listed in `pending` from its creation until it is renamed or
 *     removed, so a signal handler can remove it (imp_output_clean_up_on_signals). This
 *     list is the one piece of process-wide state here: a signal handler has no other.
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* ------------------------------------------------------------------------------------
 * Input
 * ------------------------------------------------------------------------------------ */

/* "NAME: too large (more than 16 MiB)". */
static void set_too_large(GError **error, const char *name, gsize max)
{
    if (max % (1 << 20) == 0)
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s: too large (more than %" G_GSIZE_FORMAT " MiB)", name, max >> 20);
    else
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s: too large (more than %" G_GSIZE_FORMAT " bytes)", name, max);
}

/* Reads fd to its end, or fails once more than `max` bytes came. `hint` is the expected
 * size (0 if unknown). */
static gboolean read_all(int fd, const char *name, gsize hint, gsize max, char **data,
                         gsize *len, GError **error)
{
    /* room for max + 1 bytes and the NUL: one byte past the bound tells it was passed */
    gsize limit = max + 2;
    gsize cap = MIN(MAX(hint + 2, (gsize)65536), limit), n = 0;
    char *buf = g_malloc(cap);
    for (;;) {
        if (cap - n < 2) {
            if (cap >= limit) {
                g_free(buf);
                set_too_large(error, name, max);
                return FALSE;
            }
            cap = cap > limit / 2 ? limit : cap * 2;
            buf = g_realloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            g_free(buf);
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: %s", name,
                        e == EISDIR ? "is a directory" : g_strerror(e));
            return FALSE;
        }
        if (got == 0)
            break;
        n += (gsize)got;
    }
    if (n > max) {
        g_free(buf);
        set_too_large(error, name, max);
        return FALSE;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return TRUE;
}

/* Reads all of `path` ("-": standard input) into a NUL-terminated buffer. Messages name the
 * path as given: "FILE: No such file or directory", "FILE: is a directory", "FILE: too
 * large (more than 16 MiB)". */
gboolean imp_file_load(const char *path, char **data, gsize *len, GError **error)
{
    return imp_file_load_max(path, IMP_FILE_MAX, data, len, error);
}

/* imp_file_load with a bound of `max` bytes. A regular file is measured before it is read;
 * anything else (a pipe, a device) is read until it ends or passes the bound. */
gboolean imp_file_load_max(const char *path, gsize max, char **data, gsize *len,
                           GError **error)
{
    g_return_val_if_fail(path != NULL && data != NULL && len != NULL, FALSE);
    g_return_val_if_fail(max < G_MAXSIZE - 2, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

    if (strcmp(path, "-") == 0)
        return read_all(STDIN_FILENO, "standard input", 0, max, data, len, error);

    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: %s", path,
                    e == EISDIR ? "is a directory" : g_strerror(e));
        return FALSE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: %s", path, g_strerror(e));
        return FALSE;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: is a directory", path);
        return FALSE;
    }
    if (S_ISREG(st.st_mode) && (guint64)st.st_size > (guint64)max) {
        close(fd);
        set_too_large(error, path, max);
        return FALSE;
    }
    gsize hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (gsize)st.st_size : 0;
    gboolean ok = read_all(fd, path, hint, max, data, len, error);
    close(fd);
    return ok;
}

/* ------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------ */

#define OUT_BUFSIZE 65536

typedef enum { OUT_TEMP, OUT_DIRECT, OUT_STDOUT } OutKind;

struct ImpOutput {
    OutKind kind;
    char *path;      /* the target, as given ("-" for standard output) */
    char *target;    /* where the rename goes (the path, or a symlink's destination) */
    char *tmp_path;  /* OUT_TEMP only */
    int fd;          /* -1 for OUT_STDOUT */
    mode_t mode;     /* permissions the committed file gets */
    int err;         /* first errno seen, 0 if none */
    GByteArray *buf; /* pending bytes; for OUT_STDOUT, all of them */
};

static const char *out_name(const ImpOutput *out)
{
    return out->kind == OUT_STDOUT ? "standard output" : out->path;
}

/* Writes all of data to fd; returns 0 or an errno. */
static int write_fd(int fd, const guint8 *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += n;
        len -= (gsize)n;
    }
    return 0;
}

static void flush(ImpOutput *out)
{
    if (out->err == 0 && out->buf->len > 0)
        out->err = write_fd(out->fd, out->buf->data, out->buf->len);
    g_byte_array_set_size(out->buf, 0);
}

/* The mode a newly created file gets: 0666 less the umask. The umask can only be read by
 * setting it, so it is set back at once. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* ------------------------------------------------------------------------------------
 * Temporary files pending at a signal (invariant 3)
 * ------------------------------------------------------------------------------------ */

#define MAX_PENDING 8

/* The signals after which pending files are removed. */
static const int cleaned_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* Paths of temporary files not yet renamed or removed; a slot is set only to a complete
 * string and cleared before the string is freed, so a handler reads a whole path or NULL. */
static char *volatile pending[MAX_PENDING];
G_LOCK_DEFINE_STATIC(pending);

static void pending_add(char *path)
{
    G_LOCK(pending);
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == NULL) {
            pending[i] = path;
            break;
        }
    G_UNLOCK(pending);
}

static void pending_remove(const char *path)
{
    G_LOCK(pending);
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == path)
            pending[i] = NULL;
    G_UNLOCK(pending);
}

/* Removes the pending files (unlink is async-signal-safe), then ends the process by the
 * same signal with its default action. */
static void on_signal(int sig)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        char *p = pending[i];
        if (p != NULL)
            unlink(p);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void imp_output_clean_up_on_signals(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cleaned_signals); i++) {
        struct sigaction sa, old;
        if (sigaction(cleaned_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* e.g. SIGINT in a background job of a shell: leave it ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(cleaned_signals[i], &sa, NULL);
    }
}

/* ------------------------------------------------------------------------------------ */

static void output_free(ImpOutput *out)
{
    if (out->tmp_path != NULL)
        pending_remove(out->tmp_path);
    g_free(out->path);
    g_free(out->target);
    g_free(out->tmp_path);
    g_byte_array_unref(out->buf);
    g_free(out);
}

/* Opens output to `path`; the temporary file is created here, so a missing or unwritable
 * folder fails now with "PATH: cannot write: REASON". */
ImpOutput *imp_output_open(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL && *path != '\0', NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    ImpOutput *out = g_new0(ImpOutput, 1);
    out->path = g_strdup(path);
    out->fd = -1;
    out->buf = g_byte_array_new();
    if (strcmp(path, "-") == 0) {
        out->kind = OUT_STDOUT;
        return out;
    }

    /* Write through a symbolic link to its destination rather than replacing the link. */
    struct stat st;
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        real = realpath(path, NULL); /* NULL for a dangling link: then replace the link */
    out->target = g_strdup(real != NULL ? real : path);
    free(real);

    int e = 0;
    if (stat(out->target, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            e = EISDIR;
        } else {
            out->kind = OUT_DIRECT;
            do
                out->fd = open(out->target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
            while (out->fd < 0 && errno == EINTR);
            if (out->fd < 0)
                e = errno;
        }
    } else {
        out->kind = OUT_TEMP;
        out->mode = stat(out->target, &st) == 0 ? (st.st_mode & 07777) : new_file_mode();
        char *dir = g_path_get_dirname(out->target);
        char *base = g_path_get_basename(out->target);
        char *tmpl = g_strdup_printf(".%s.XXXXXX", base);
        out->tmp_path = g_build_filename(dir, tmpl, NULL);
        g_free(dir);
        g_free(base);
        g_free(tmpl);
        /* A signal between creating the file and recording it would leave the file
         * behind: hold the cleaned-up signals until it is recorded. */
        sigset_t hold, old;
        sigemptyset(&hold);
        for (gsize i = 0; i < G_N_ELEMENTS(cleaned_signals); i++)
            sigaddset(&hold, cleaned_signals[i]);
        pthread_sigmask(SIG_BLOCK, &hold, &old);
        out->fd = g_mkstemp_full(out->tmp_path, O_WRONLY | O_CLOEXEC, 0600);
        if (out->fd < 0)
            e = errno;
        else
            pending_add(out->tmp_path);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (e != 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s: cannot write: %s", path,
                    g_strerror(e));
        output_free(out);
        return NULL;
    }
    return out;
}

/* Appends bytes; an error is remembered for commit and later writes are skipped. */
void imp_output_write(ImpOutput *out, const void *data, gsize len)
{
    g_return_if_fail(out != NULL && (data != NULL || len == 0));
    if (out->err != 0 || len == 0)
        return;
    if (out->kind == OUT_STDOUT) {
        const guint8 *p = data;
        for (gsize chunk; len > 0; p += chunk, len -= chunk) {
            chunk = MIN(len, (gsize)G_MAXUINT / 2);
            g_byte_array_append(out->buf, p, (guint)chunk);
        }
        return;
    }
    if (out->buf->len + len > OUT_BUFSIZE)
        flush(out);
    if (len >= OUT_BUFSIZE) {
        if (out->err == 0)
            out->err = write_fd(out->fd, data, len);
        return;
    }
    g_byte_array_append(out->buf, data, (guint)len);
}

/* Finishes the output: flushes, syncs, sets the mode and renames the temporary file over
 * the target. On any error the temporary file is removed and the message names the
 * output. Frees `out` in every case. */
gboolean imp_output_commit(ImpOutput *out, GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

    if (out->kind == OUT_STDOUT) {
        out->err = write_fd(STDOUT_FILENO, out->buf->data, out->buf->len);
    } else {
        flush(out);
        if (out->err == 0 && out->kind == OUT_TEMP) {
            if (fsync(out->fd) != 0 && errno != EINVAL && errno != EROFS)
                out->err = errno;
            if (out->err == 0 && fchmod(out->fd, out->mode) != 0)
                out->err = errno;
        }
        /* close(2) can report a deferred write error (NFS, quota): it counts. */
        if (close(out->fd) != 0 && out->err == 0 && errno != EINTR)
            out->err = errno;
        out->fd = -1;
        if (out->err == 0 && out->kind == OUT_TEMP &&
            rename(out->tmp_path, out->target) != 0)
            out->err = errno;
        if (out->err != 0 && out->kind == OUT_TEMP)
            unlink(out->tmp_path);
    }
    gboolean ok = out->err == 0;
    if (!ok)
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s: cannot write: %s",
                    out_name(out), g_strerror(out->err));
    output_free(out);
    return ok;
}

/* Drops the output: removes the temporary file (the target is untouched) and frees. */
void imp_output_abort(ImpOutput *out)
{
    if (out == NULL)
        return;
    if (out->fd >= 0)
        close(out->fd);
    if (out->kind == OUT_TEMP)
        unlink(out->tmp_path);
    output_free(out);
}
