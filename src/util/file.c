/* file.c — whole-file input and all-or-nothing output; see file.h.
 *
 * Output goes one of three ways:
 *  - a new file, or an existing regular file or symbolic link to replace: written to a
 *    temporary ".NAME.imprint-XXXXXXXX" in the same folder, so that the final rename is
 *    atomic, and renamed over the target on commit; the temporary file is removed on every
 *    failure, on abort, and (with imp_output_clean_up_on_signals) on every signal that
 *    ends the process and at exit();
 *  - an existing device, FIFO or socket, or an open file of the process (/dev/stdout),
 *    reached directly or through a link the kernel's rules let us follow: written in
 *    place, since a rename would replace the device (or the link) rather than write it;
 *  - "-": buffered in memory and written to standard output on commit.
 *
 * Where the output goes is decided from the path's folder, opened once (O_PATH), and
 * every later call (lookups, creation, rename, removal) is made relative to that folder,
 * so that the folder written is the folder checked whatever happens to the path's other
 * components meanwhile, and a relative path stays right if the process changes folder.
 *
 * Invariants:
 *  1. A failed or aborted output leaves no file behind and does not touch the target.
 *  2. The first write error (ENOSPC, EIO, EFBIG, ...) is remembered and reported by
 *     commit; later writes are skipped.
 *  3. A temporary file's folder and name are armed in `pending` from before the file can
 *     exist until after it is renamed or removed, so a signal handler or an exit handler
 *     can remove it at any moment. `pending` is fixed storage (no allocation, no lock: a
 *     crashing thread may hold any lock) and the one piece of process-wide state here.
 *  4. The process's umask is never read or set: a new file is created with mode 0666 and
 *     the kernel takes the umask (or the folder's default ACL) off, as for any program.
 *  5. A symbolic link is followed only where the kernel's fs.protected_symlinks would
 *     follow it, whatever the system's setting (root included).
 */
#define _GNU_SOURCE /* O_PATH */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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
/* The most symbolic links followed in one lookup, as the kernel's limit (then ELOOP). */
#define MAX_HOPS 40
/* A temporary file is ".NAME" TEMP_MARK and TEMP_RANDOM random letters and digits. */
#define TEMP_MARK ".imprint-"
#define TEMP_RANDOM 8

typedef enum { OUT_TEMP, OUT_DIRECT, OUT_STDOUT } OutKind;

struct ImpOutput {
    OutKind kind;
    char *path;             /* the target as given, for messages ("-": standard output) */
    int dirfd;              /* OUT_TEMP: the target's folder (O_PATH), else -1 */
    char *name;             /* OUT_TEMP: the target's name in that folder */
    char tmp[NAME_MAX + 1]; /* OUT_TEMP: the temporary file's name in that folder */
    int slot;               /* OUT_TEMP: its slot in `pending`, -1 if none was free */
    int fd;                 /* -1 for OUT_STDOUT */
    gboolean keep;          /* replacing a file of the caller's: give its mode and group */
    mode_t mode;            /* with keep: the old file's permission bits */
    gid_t gid;              /* with keep: the old file's group */
    int err;                /* first errno seen, 0 if none */
    GByteArray *buf;        /* pending bytes; for OUT_STDOUT, all of them */
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

/* ------------------------------------------------------------------------------------
 * Temporary files pending at a signal or exit (invariant 3)
 * ------------------------------------------------------------------------------------ */

#define MAX_PENDING 64

/* A slot is FREE, HELD by an output (not to be touched by a handler: its name may be
 * half-written or not the output's file), or ARMED: dirfd and name are complete and name
 * a file the output created (or is about to create) that a handler must remove. */
enum { SLOT_FREE, SLOT_HELD, SLOT_ARMED };

typedef struct {
    atomic_int state;
    int dirfd;
    char name[NAME_MAX + 1];
} Pending;

static Pending pending[MAX_PENDING];

/* Takes a free slot for an output; -1 when all are taken (the output then works, but a
 * signal would leave its temporary file). */
static int pending_claim(void)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        int free_state = SLOT_FREE;
        if (atomic_compare_exchange_strong(&pending[i].state, &free_state, SLOT_HELD))
            return i;
    }
    return -1;
}

/* Arms `slot` with the file `name` in the folder `dirfd`. The name is written while the
 * slot is HELD, then the slot is armed, so a handler never reads a half-written name. */
static void pending_arm(int slot, int dirfd, const char *name)
{
    if (slot < 0)
        return;
    atomic_store(&pending[slot].state, SLOT_HELD);
    atomic_thread_fence(memory_order_seq_cst); /* the HELD store comes before the writes */
    pending[slot].dirfd = dirfd;
    g_strlcpy(pending[slot].name, name, sizeof pending[slot].name);
    atomic_store(&pending[slot].state, SLOT_ARMED);
}

/* Stops handlers from removing the slot's file (renamed, removed, or not ours). */
static void pending_disarm(int slot)
{
    if (slot >= 0)
        atomic_store(&pending[slot].state, SLOT_HELD);
}

static void pending_release(int slot)
{
    if (slot >= 0)
        atomic_store(&pending[slot].state, SLOT_FREE);
}

/* Removes every armed file. Async-signal-safe: atomic loads and unlinkat(2) only. A file
 * removed here may also be renamed or removed by its output at the same moment; either
 * way one of the two finds it gone, which is harmless. */
static void pending_remove_all(void)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (atomic_load(&pending[i].state) == SLOT_ARMED)
            unlinkat(pending[i].dirfd, pending[i].name, 0);
}

/* ------------------------------------------------------------------------------------
 * Finding the target
 * ------------------------------------------------------------------------------------ */

/* One directory entry on the way to the target: its folder, held open, and its name. */
typedef struct {
    int dirfd;      /* O_PATH, owned; -1 when not open */
    char *dir;      /* the folder as a path, for messages */
    char *name;     /* the entry's name in it */
    struct stat st; /* the entry itself (not followed), when `exists` */
    gboolean exists;
} Entry;

static void entry_clear(Entry *e)
{
    if (e->dirfd >= 0)
        close(e->dirfd);
    g_free(e->dir);
    g_free(e->name);
    memset(e, 0, sizeof *e);
    e->dirfd = -1;
}

/* The entry as a path, for messages (transfer full). */
static char *entry_path(const Entry *e)
{
    return strcmp(e->dir, ".") == 0 ? g_strdup(e->name) : g_build_filename(e->dir, e->name, NULL);
}

/* A copy of e with its own folder descriptor (transfer full: entry_clear). */
static Entry entry_copy(const Entry *e)
{
    Entry c = *e;
    c.dirfd = fcntl(e->dirfd, F_DUPFD_CLOEXEC, 0);
    c.dir = g_strdup(e->dir);
    c.name = g_strdup(e->name);
    return c;
}

/* Opens the folder of `path` (relative to the folder `at`, whose path for messages is
 * `at_dir`, NULL for the current folder) and looks the last component up without following
 * it, into e (cleared first). Returns 0 or an errno: EISDIR for a path that names a folder
 * by its form ("x/", ".", ".."); when the folder cannot be opened, e->dir names it. */
static int entry_open(Entry *e, int at, const char *at_dir, const char *path)
{
    entry_clear(e);
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return EISDIR;
    char *dir;
    if (slash == NULL) {
        dir = g_strdup(".");
    } else {
        gsize n = (gsize)(slash - path);
        while (n > 0 && path[n - 1] == '/')
            n--;
        dir = n == 0 ? g_strdup("/") : g_strndup(path, n);
    }
    if (at_dir == NULL || dir[0] == '/')
        e->dir = g_strdup(dir);
    else if (strcmp(dir, ".") == 0)
        e->dir = g_strdup(at_dir);
    else
        e->dir = strcmp(at_dir, ".") == 0 ? g_strdup(dir) : g_build_filename(at_dir, dir, NULL);
    e->name = g_strdup(base);
    e->dirfd = openat(at, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    g_free(dir);
    if (e->dirfd < 0)
        return errno;
    if (fstatat(e->dirfd, e->name, &e->st, AT_SYMLINK_NOFOLLOW) == 0)
        e->exists = TRUE;
    else if (errno != ENOENT)
        return errno;
    return 0;
}

/* The name of the kernel file system the file or folder `fd` is on, when it is one whose
 * files are the kernel's interfaces (proc, sysfs and the like: no place for a document, and
 * where writing one as root could change the system), else NULL. */
static const char *kernel_fs(int fd)
{
    struct statfs sf;
    if (fstatfs(fd, &sf) != 0)
        return NULL;
    switch ((unsigned long)sf.f_type) {
    case PROC_SUPER_MAGIC: return "proc";
    case SYSFS_MAGIC: return "sysfs";
    case CGROUP_SUPER_MAGIC: return "cgroup";
    case CGROUP2_SUPER_MAGIC: return "cgroup2";
    case DEBUGFS_MAGIC: return "debugfs";
    case TRACEFS_MAGIC: return "tracefs";
    case SECURITYFS_MAGIC: return "securityfs";
    case SELINUX_MAGIC: return "selinuxfs";
    case BPF_FS_MAGIC: return "bpf";
    case PSTOREFS_MAGIC: return "pstore";
    case EFIVARFS_MAGIC: return "efivarfs";
    default: return NULL;
    }
}

static gboolean on_proc(int dirfd)
{
    struct statfs sf;
    return fstatfs(dirfd, &sf) == 0 && (unsigned long)sf.f_type == PROC_SUPER_MAGIC;
}

/* NULL when the kernel's fs.protected_symlinks rule lets the caller follow the link e,
 * else why not (transfer full). The rule: a link in a folder that is both sticky and
 * world-writable (/tmp) is followed only when it belongs to the follower or to the
 * folder's owner. It holds for root too; this applies it whatever the system's setting. */
static char *follow_refused(const Entry *e)
{
    struct stat dir;
    if (fstat(e->dirfd, &dir) != 0)
        return g_strdup_printf("cannot examine the folder %s: %s", e->dir, g_strerror(errno));
    if ((dir.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH) ||
        e->st.st_uid == geteuid() || e->st.st_uid == dir.st_uid)
        return NULL;
    char *link = entry_path(e);
    char *why = g_strdup_printf("not following the symbolic link %s: it belongs to user %u, "
                                "neither you nor the owner of the sticky, world-writable "
                                "folder %s (the kernel's fs.protected_symlinks rule)",
                                link, (unsigned)e->st.st_uid, e->dir);
    g_free(link);
    return why;
}

/* Follows the link e, hop by hop, to the entry it leads to (which then replaces e), each
 * hop only as follow_refused() allows (else EPERM with *why set). A link on /proc (an
 * open file of the process: /proc/self/fd/N, whose destination may be no path at all, a
 * pipe) ends the walk with *via_proc set: only the kernel can open what it leads to.
 * Returns 0 or an errno (ELOOP after MAX_HOPS links). */
static int follow(Entry *e, gboolean *via_proc, char **why)
{
    for (int hops = 0; e->exists && S_ISLNK(e->st.st_mode); hops++) {
        if (hops == MAX_HOPS)
            return ELOOP;
        if (on_proc(e->dirfd)) {
            *via_proc = TRUE;
            return 0;
        }
        if ((*why = follow_refused(e)) != NULL)
            return EPERM;
        char target[PATH_MAX];
        ssize_t n = readlinkat(e->dirfd, e->name, target, sizeof target);
        if (n < 0)
            return errno;
        if ((gsize)n >= sizeof target)
            return ENAMETOOLONG;
        target[n] = '\0';
        Entry next = { .dirfd = -1 };
        int err = entry_open(&next, e->dirfd, e->dir, target);
        entry_clear(e);
        *e = next;
        if (err != 0)
            return err;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------
 * Opening
 * ------------------------------------------------------------------------------------ */

/* Creates the temporary file beside the target, ".NAME.imprint-XXXXXXXX" (NAME cut at a
 * character boundary to fit NAME_MAX bytes), exclusively (O_EXCL) under a random name,
 * with `mode` less the umask, and arms its slot before it can exist (invariant 3). The
 * name is armed before it is known to be ours; were another file of that random name
 * there already, a signal in the moment until EEXIST disarms it would remove that file:
 * 62^8 names make that moot. Returns 0 or an errno. */
static int create_temp(ImpOutput *out, mode_t mode)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    gsize room = NAME_MAX - 1 - strlen(TEMP_MARK) - TEMP_RANDOM;
    gsize n = strlen(out->name);
    if (n > room) {
        n = room;
        while (n > 0 && ((guchar)out->name[n] & 0xC0) == 0x80)
            n--; /* not inside a UTF-8 character */
    }
    out->slot = pending_claim();
    for (int tries = 0; tries < 100; tries++) {
        guchar rnd[TEMP_RANDOM];
        if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
            for (gsize i = 0; i < sizeof rnd; i++)
                rnd[i] = (guchar)g_random_int();
        char suffix[TEMP_RANDOM + 1];
        for (gsize i = 0; i < TEMP_RANDOM; i++)
            suffix[i] = alnum[rnd[i] % (sizeof alnum - 1)];
        suffix[TEMP_RANDOM] = '\0';
        g_snprintf(out->tmp, sizeof out->tmp, ".%.*s%s%s", (int)n, out->name, TEMP_MARK,
                   suffix);
        pending_arm(out->slot, out->dirfd, out->tmp);
        do
            out->fd = openat(out->dirfd, out->tmp,
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
                             mode);
        while (out->fd < 0 && errno == EINTR);
        if (out->fd >= 0)
            return 0;
        int e = errno;
        pending_disarm(out->slot);
        if (e != EEXIST) {
            out->tmp[0] = '\0'; /* nothing of ours to remove */
            return e;
        }
    }
    out->tmp[0] = '\0'; /* the last name is someone else's file */
    return EEXIST;
}

/* Opens the device, FIFO or open file e leads to for writing in place. `through` (a link
 * on /proc) lets the kernel follow the entry; else it must not be a link. A regular file
 * reached through /proc (/dev/stdout redirected to a file) is written from its end, as the
 * shell's `>` (which emptied it) or `>>` left it; one of the kernel's own (/proc/mounts,
 * a link to /proc/self/mounts, which root may open for writing) is refused, with *why. */
static int open_direct(ImpOutput *out, const Entry *e, gboolean through, char **why)
{
    out->kind = OUT_DIRECT;
    int flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | (through ? 0 : O_NOFOLLOW);
    do
        out->fd = openat(e->dirfd, e->name, flags);
    while (out->fd < 0 && errno == EINTR);
    if (out->fd < 0)
        return errno;
    struct stat st;
    if (fstat(out->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        const char *fs = kernel_fs(out->fd);
        if (fs != NULL) {
            *why = g_strdup_printf("a file of the kernel's %s file system", fs);
            return EPERM;
        }
        lseek(out->fd, 0, SEEK_END);
    }
    return 0;
}

/* Prepares to write the regular file, symbolic link or new name e by a temporary file and
 * a rename (the folder's descriptor moves into out). Returns 0 or an errno, with *why for
 * a reason strerror cannot give. */
static int open_temp(ImpOutput *out, Entry *e, char **why)
{
    const char *fs = kernel_fs(e->dirfd);
    if (fs != NULL) {
        *why = g_strdup_printf("%s is a folder of the kernel's %s file system, where no file can be "
                               "created or replaced", e->dir, fs);
        return EPERM;
    }
    uid_t me = geteuid();
    if (e->exists && e->st.st_uid != me && me != 0) {
        /* a sticky folder lets only an entry's owner or the folder's replace it: say so
           now, not with EPERM after all the work (root may, with CAP_FOWNER) */
        struct stat dir;
        if (fstat(e->dirfd, &dir) == 0 && (dir.st_mode & S_ISVTX) && dir.st_uid != me) {
            *why = g_strdup_printf("it belongs to user %u and the folder %s is sticky: only "
                                   "that user or the folder's owner may replace it",
                                   (unsigned)e->st.st_uid, e->dir);
            return EPERM;
        }
    }
    out->kind = OUT_TEMP;
    out->keep = e->exists && S_ISREG(e->st.st_mode) && e->st.st_uid == me;
    out->mode = e->st.st_mode & 0777; /* never setuid, setgid or sticky */
    out->gid = e->st.st_gid;
    out->dirfd = e->dirfd;
    e->dirfd = -1;
    out->name = g_strdup(e->name);
    /* a file of the caller's keeps its bits, set at commit; meanwhile the content is
       private. Anything else is a new file: 0666, which the kernel narrows (invariant 4) */
    return create_temp(out, out->keep ? 0600 : 0666);
}

/* Opens output to `path` by the rules of file.h: see there. */
ImpOutput *imp_output_open(const char *path, GError **error)
{
    return imp_output_open_full(path, IMP_OUTPUT_DEFAULT, error);
}

/* Opens output to `path`; with IMP_OUTPUT_FOLLOW_SYMLINKS a link at the path is followed
 * (hop by hop, as fs.protected_symlinks allows), else only a link to a device or an open
 * file of the process is, and any other link is replaced. */
ImpOutput *imp_output_open_full(const char *path, ImpOutputFlags flags, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    if (*path == '\0') {
        g_set_error_literal(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                            "cannot write: the output file name is empty");
        return NULL;
    }
    ImpOutput *out = g_new0(ImpOutput, 1);
    out->path = g_strdup(path);
    out->fd = -1;
    out->dirfd = -1;
    out->slot = -1;
    out->buf = g_byte_array_new();
    if (strcmp(path, "-") == 0) {
        out->kind = OUT_STDOUT;
        return out;
    }

    Entry e = { .dirfd = -1 };
    char *why = NULL;
    gboolean via_proc = FALSE;
    int err = entry_open(&e, AT_FDCWD, NULL, path);
    if (err == 0 && e.exists && S_ISLNK(e.st.st_mode)) {
        if (flags & IMP_OUTPUT_FOLLOW_SYMLINKS) {
            err = follow(&e, &via_proc, &why);
        } else {
            /* Look where the link leads without committing to it: only a device, FIFO or
               socket, or an open file (/dev/stdout), reached as the kernel's rule allows,
               is written through; otherwise the link itself is replaced. */
            Entry probe = entry_copy(&e);
            gboolean proc = FALSE;
            char *refused = NULL;
            if (follow(&probe, &proc, &refused) == 0 &&
                (proc || (probe.exists && !S_ISREG(probe.st.st_mode) &&
                          !S_ISDIR(probe.st.st_mode)))) {
                entry_clear(&e);
                e = probe;
                via_proc = proc;
            } else {
                entry_clear(&probe);
            }
            g_free(refused);
        }
    }
    if (err == 0) {
        if (via_proc)
            err = open_direct(out, &e, TRUE, &why);
        else if (e.exists && S_ISDIR(e.st.st_mode))
            err = EISDIR;
        else if (e.exists && !S_ISREG(e.st.st_mode) && !S_ISLNK(e.st.st_mode))
            err = open_direct(out, &e, FALSE, &why);
        else
            err = open_temp(out, &e, &why);
    }
    if (err != 0) {
        if (why != NULL)
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s: cannot write: %s", path, why);
        else if (err == ENOENT && e.dirfd < 0 && e.dir != NULL)
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "%s: cannot write: the folder %s does not exist", path, e.dir);
        else
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s: cannot write: %s", path,
                        g_strerror(err));
        g_free(why);
        entry_clear(&e);
        imp_output_abort(out);
        return NULL;
    }
    entry_clear(&e);
    return out;
}

/* ------------------------------------------------------------------------------------
 * Writing, committing, aborting
 * ------------------------------------------------------------------------------------ */

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

/* Gives the new file the replaced file's permission bits (without setuid, setgid, sticky)
 * and group; where the caller may not give that group (not a member), the group's bits
 * are cleared, so no other group gains what the old one had. Returns 0 or an errno. */
static int keep_mode(ImpOutput *out)
{
    mode_t mode = out->mode;
    struct stat st;
    if (fstat(out->fd, &st) != 0)
        return errno;
    if (st.st_gid != out->gid && fchown(out->fd, (uid_t)-1, out->gid) != 0)
        mode &= ~(mode_t)070;
    return fchmod(out->fd, mode) != 0 ? errno : 0;
}

/* Releases everything out holds; the temporary file must be gone or renamed. */
static void output_free(ImpOutput *out)
{
    pending_disarm(out->slot);
    pending_release(out->slot);
    if (out->fd >= 0)
        close(out->fd);
    if (out->dirfd >= 0)
        close(out->dirfd);
    g_free(out->path);
    g_free(out->name);
    g_byte_array_unref(out->buf);
    g_free(out);
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
            if (out->err == 0 && out->keep)
                out->err = keep_mode(out);
        }
        /* close(2) can report a deferred write error (NFS, quota): it counts. */
        if (close(out->fd) != 0 && out->err == 0 && errno != EINTR)
            out->err = errno;
        out->fd = -1;
        if (out->err == 0 && out->kind == OUT_TEMP &&
            renameat(out->dirfd, out->tmp, out->dirfd, out->name) != 0)
            out->err = errno;
        if (out->err != 0 && out->kind == OUT_TEMP)
            unlinkat(out->dirfd, out->tmp, 0);
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
    if (out->fd >= 0) {
        close(out->fd);
        out->fd = -1;
    }
    if (out->kind == OUT_TEMP && out->tmp[0] != '\0')
        unlinkat(out->dirfd, out->tmp, 0);
    output_free(out);
}

/* ------------------------------------------------------------------------------------
 * Signals and exit
 * ------------------------------------------------------------------------------------ */

/* Signals that end the process by default, after which the pending files are removed:
 * the ones sent to it, then the ones of a fault or an abort. */
static const int cleaned_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGVTALRM,
    SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGFPE, SIGILL, SIGSYS,
};

/* What each signal did before on_signal took it over: a handler there (a sanitizer's)
 * runs after the files are removed. Written before the handlers are installed. */
static struct sigaction previous[NSIG];

/* A stack for the handlers of the thread that installed them, so that a stack overflow
 * (SIGSEGV with no stack left) still removes the files. */
static char alt_stack[1 << 16] __attribute__((aligned(16)));

/* Removes the pending files, gives the signal back its previous action, and hands it on:
 * to a previous handler, or raised again with the default action, which takes effect when
 * this handler returns (the signal is blocked until then), so the process ends by the
 * signal as it would have (a fault's default action dumps core as before). Uses only
 * async-signal-safe calls; keeps errno for a previous handler that returns. */
static void on_signal(int sig, siginfo_t *info, void *context)
{
    int saved = errno;
    pending_remove_all();
    const struct sigaction *old = &previous[sig];
    sigaction(sig, old, NULL);
    if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN)
        raise(sig);
    else if (old->sa_flags & SA_SIGINFO)
        old->sa_sigaction(sig, info, context);
    else
        old->sa_handler(sig);
    errno = saved;
}

/* exit() from anywhere (a library's exit(1) on a failed allocation): remove the files. */
static void on_exit_remove(void)
{
    pending_remove_all();
}

/* Installs the handlers and the exit handler (see file.h); once per process. */
void imp_output_clean_up_on_signals(void)
{
    static gsize done = 0;
    if (!g_once_init_enter(&done))
        return;
    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
        ss.ss_sp = alt_stack;
        ss.ss_size = sizeof alt_stack;
        ss.ss_flags = 0;
        sigaltstack(&ss, NULL);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(cleaned_signals); i++) {
        int sig = cleaned_signals[i];
        if (sigaction(sig, NULL, &previous[sig]) != 0 || previous[sig].sa_handler == SIG_IGN)
            continue; /* e.g. SIGINT in a background job of a shell: leave it ignored */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
    }
    /* a file size limit: the write fails with EFBIG and commit names the file, rather
       than the signal ending the process without a word */
    struct sigaction xfsz;
    if (sigaction(SIGXFSZ, NULL, &xfsz) == 0 && xfsz.sa_handler == SIG_DFL)
        signal(SIGXFSZ, SIG_IGN);
    atexit(on_exit_remove);
    g_once_init_leave(&done, 1);
}
