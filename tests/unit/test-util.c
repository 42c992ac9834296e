/* test-util.c — whole-file input and all-or-nothing output (util/file.h), and the diag
 * helper. Every output failure must leave no file behind: each test works in its own
 * fresh folder and checks what is left in it. The output-path rules (symbolic links,
 * modes, owners, kernel file systems) and the clean-up on signals and exit are here too;
 * tests/hostile/paths.sh and cleanup.sh check the same through the command.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/error.h"
#include "util/file.h"

/* ------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------ */

static char *make_dir(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("imp-test-util-XXXXXX", &error);
    g_assert_no_error(error);
    return dir;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in `dir`, sorted and joined with spaces ("" when empty) (transfer full). */
static char *dir_listing(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL)
        g_ptr_array_add(names, g_strdup(n));
    g_dir_close(d);
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    char *s = g_strjoinv(" ", (char **)names->pdata);
    g_ptr_array_unref(names);
    return s;
}

static void remove_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return;
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(dir, n, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
            chmod(p, 0700);
            remove_tree(p);
        } else {
            g_assert_cmpint(unlink(p), ==, 0);
        }
        g_free(p);
    }
    g_dir_close(d);
    g_assert_cmpint(rmdir(dir), ==, 0);
}

static void assert_listing(const char *dir, const char *want)
{
    char *got = dir_listing(dir);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

static void write_file(const char *path, const char *text)
{
    GError *error = NULL;
    g_assert_true(g_file_set_contents(path, text, -1, &error));
    g_assert_no_error(error);
}

static char *read_file(const char *path)
{
    char *s = NULL;
    GError *error = NULL;
    g_assert_true(g_file_get_contents(path, &s, NULL, &error));
    g_assert_no_error(error);
    return s;
}

/* ------------------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------------------ */

static void test_load_ok(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "in.txt", NULL);
    static const char content[] = "hello\0world\n";
    GError *error = NULL;
    g_assert_true(g_file_set_contents(path, content, sizeof content - 1, &error));
    char *data = NULL;
    gsize len = 0;
    g_assert_true(imp_file_load(path, &data, &len, &error));
    g_assert_no_error(error);
    g_assert_cmpmem(data, len, content, sizeof content - 1);
    g_assert_cmpint(data[len], ==, '\0');
    g_free(data);

    /* An empty file loads as an empty, NUL-terminated buffer. */
    write_file(path, "");
    g_assert_true(imp_file_load(path, &data, &len, &error));
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpint(data[0], ==, '\0');
    g_free(data);

    /* A file larger than one read. */
    char *big = g_strnfill(300000, 'q');
    write_file(path, big);
    g_assert_true(imp_file_load(path, &data, &len, &error));
    g_assert_cmpuint(len, ==, 300000);
    g_assert_cmpstr(data, ==, big);
    g_free(data);
    g_free(big);

    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

static void test_load_stdin(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "stdin.txt", NULL);
    write_file(path, "from standard input\n");
    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(dup2(fd, STDIN_FILENO), ==, STDIN_FILENO);
    close(fd);
    char *data = NULL;
    gsize len = 0;
    GError *error = NULL;
    gboolean ok = imp_file_load("-", &data, &len, &error);
    dup2(saved, STDIN_FILENO);
    close(saved);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_cmpstr(data, ==, "from standard input\n");
    g_assert_cmpuint(len, ==, 20);
    g_free(data);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

static void test_load_errors(void)
{
    char *dir = make_dir();
    char *missing = g_build_filename(dir, "missing.txt", NULL);
    char *data = NULL;
    gsize len = 0;
    GError *error = NULL;

    g_assert_false(imp_file_load(missing, &data, &len, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    char *want = g_strdup_printf("%s: %s", missing, g_strerror(ENOENT));
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_clear_error(&error);

    g_assert_false(imp_file_load(dir, &data, &len, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
    want = g_strdup_printf("%s: is a directory", dir);
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_clear_error(&error);

    /* Unreadable: root reads anything, so this part needs an ordinary user. */
    if (geteuid() != 0) {
        char *locked = g_build_filename(dir, "locked.txt", NULL);
        write_file(locked, "secret");
        chmod(locked, 0);
        g_assert_false(imp_file_load(locked, &data, &len, &error));
        g_assert_error(error, IMP_ERROR, IMP_ERROR_INPUT);
        want = g_strdup_printf("%s: %s", locked, g_strerror(EACCES));
        g_assert_cmpstr(error->message, ==, want);
        g_free(want);
        g_clear_error(&error);
        g_free(locked);
    }

    g_free(missing);
    remove_tree(dir);
    g_free(dir);
}

/* ------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------ */

static void test_output_commit(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "out.pdf", NULL);
    GError *error = NULL;

    mode_t old_mask = umask(022);
    ImpOutput *out = imp_output_open(path, &error);
    g_assert_no_error(error);
    g_assert_nonnull(out);
    /* The temporary file exists beside the target until commit, named so a leftover can
       be found: .NAME.imprint-XXXXXXXX */
    char *listing = dir_listing(dir);
    g_assert_true(g_str_has_prefix(listing, ".out.pdf.imprint-"));
    g_assert_cmpuint(strlen(listing), ==, strlen(".out.pdf.imprint-") + 8);
    g_free(listing);
    imp_output_write(out, "%PDF-", 5);
    char *big = g_strnfill(200000, 'z'); /* larger than the write buffer */
    imp_output_write(out, big, 200000);
    imp_output_write(out, "\n", 1);
    g_assert_true(imp_output_commit(out, &error));
    g_assert_no_error(error);
    umask(old_mask);

    assert_listing(dir, "out.pdf");
    char *got = read_file(path);
    g_assert_true(g_str_has_prefix(got, "%PDF-zzz"));
    g_assert_cmpuint(strlen(got), ==, 200006);
    g_free(got);
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0644);

    /* Replacing an existing file of ours keeps its mode. */
    chmod(path, 0600);
    out = imp_output_open(path, &error);
    g_assert_nonnull(out);
    imp_output_write(out, "second", 6);
    g_assert_true(imp_output_commit(out, &error));
    got = read_file(path);
    g_assert_cmpstr(got, ==, "second");
    g_free(got);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0600);
    assert_listing(dir, "out.pdf");

    g_free(big);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

/* Writes `text` to `path` through ImpOutput opened with `flags`; asserts success. */
static void put(const char *path, ImpOutputFlags flags, const char *text)
{
    GError *error = NULL;
    ImpOutput *out = imp_output_open_full(path, flags, &error);
    g_assert_no_error(error);
    g_assert_nonnull(out);
    imp_output_write(out, text, strlen(text));
    g_assert_true(imp_output_commit(out, &error));
    g_assert_no_error(error);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    g_assert_cmpint(lstat(path, &st), ==, 0);
    return st.st_mode & 07777;
}

/* A new file's mode is 0666 less the umask, which the kernel applies: the library never
 * reads or sets the umask (issue 9), so it stays what the caller set. */
static void test_output_new_mode(void)
{
    char *dir = make_dir();
    static const mode_t masks[] = { 022, 077, 002, 027 };
    for (gsize i = 0; i < G_N_ELEMENTS(masks); i++) {
        char *path = g_strdup_printf("%s/new%zu.pdf", dir, i);
        mode_t old = umask(masks[i]);
        put(path, IMP_OUTPUT_DEFAULT, "new");
        mode_t after = umask(old);
        g_assert_cmpint(after, ==, masks[i]);
        g_assert_cmpint(mode_of(path), ==, 0666 & ~masks[i]);
        g_free(path);
    }
    remove_tree(dir);
    g_free(dir);
}

/* Replacing a file never carries setuid, setgid or sticky over; a file of ours keeps the
 * rest of its bits and its group; another user's file becomes a new file of ours with the
 * new-file mode (its owner's bits are not ours to copy). */
static void test_output_replace_mode(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "old.pdf", NULL);
    mode_t old_mask = umask(022);
    static const struct { mode_t before, after; } ours[] = {
        { 04755, 0755 }, { 02750, 0750 }, { 06777, 0777 }, { 01644, 0644 }, { 0400, 0400 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ours); i++) {
        write_file(path, "old");
        g_assert_cmpint(chmod(path, ours[i].before), ==, 0);
        g_assert_cmpint(mode_of(path), ==, ours[i].before);
        put(path, IMP_OUTPUT_DEFAULT, "new");
        g_assert_cmpint(mode_of(path), ==, ours[i].after);
    }
    /* the group of a file of ours is kept (root may set any group) */
    if (geteuid() == 0) {
        write_file(path, "old");
        g_assert_cmpint(chown(path, 0, 65534), ==, 0);
        g_assert_cmpint(chmod(path, 0640), ==, 0);
        put(path, IMP_OUTPUT_DEFAULT, "new");
        struct stat st;
        g_assert_cmpint(stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_gid, ==, 65534);
        g_assert_cmpint(st.st_mode & 07777, ==, 0640);

        /* another user's setuid file: ours afterwards, with the new-file mode */
        write_file(path, "old");
        g_assert_cmpint(chown(path, 65534, 65534), ==, 0);
        g_assert_cmpint(chmod(path, 06777), ==, 0);
        put(path, IMP_OUTPUT_DEFAULT, "new");
        g_assert_cmpint(stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_uid, ==, 0);
        g_assert_cmpint(st.st_mode & 07777, ==, 0644);
    } else {
        g_test_message("another owner's file: needs root to make one");
    }
    umask(old_mask);
    assert_listing(dir, "old.pdf");
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

static void test_output_abort(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "out.pdf", NULL);
    GError *error = NULL;

    ImpOutput *out = imp_output_open(path, &error);
    g_assert_nonnull(out);
    imp_output_write(out, "partial", 7);
    imp_output_abort(out);
    assert_listing(dir, "");

    /* Aborting leaves an existing target as it was. */
    write_file(path, "old");
    out = imp_output_open(path, &error);
    imp_output_write(out, "new", 3);
    imp_output_abort(out);
    assert_listing(dir, "out.pdf");
    char *got = read_file(path);
    g_assert_cmpstr(got, ==, "old");
    g_free(got);

    imp_output_abort(NULL);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

/* Opening `path` must fail with "PATH: cannot write: REASON". */
static void assert_open_fails(const char *path, int err)
{
    GError *error = NULL;
    ImpOutput *out = imp_output_open(path, &error);
    g_assert_null(out);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    char *want = g_strdup_printf("%s: cannot write: %s", path, g_strerror(err));
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_error_free(error);
}

/* Opening `path` must fail with "PATH: cannot write: WHY". */
static void assert_open_fails_with(const char *path, ImpOutputFlags flags, const char *why)
{
    GError *error = NULL;
    ImpOutput *out = imp_output_open_full(path, flags, &error);
    g_assert_null(out);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    char *want = g_strdup_printf("%s: cannot write: %s", path, why);
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_error_free(error);
}

static void test_output_open_errors(void)
{
    char *dir = make_dir();

    /* a missing folder is named as such, not "No such file or directory" */
    char *missing = g_build_filename(dir, "no", "such", "out.pdf", NULL);
    char *folder = g_path_get_dirname(missing);
    char *why = g_strdup_printf("the folder %s does not exist", folder);
    assert_open_fails_with(missing, IMP_OUTPUT_DEFAULT, why);
    g_free(why);
    g_free(folder);
    g_free(missing);

    /* The "folder" is a regular file. */
    char *file = g_build_filename(dir, "file", NULL);
    write_file(file, "x");
    char *under_file = g_build_filename(file, "out.pdf", NULL);
    assert_open_fails(under_file, ENOTDIR);
    g_free(under_file);

    /* The target is a folder, or a name that can only be one. */
    char *sub = g_build_filename(dir, "sub", NULL);
    g_assert_cmpint(mkdir(sub, 0755), ==, 0);
    assert_open_fails(sub, EISDIR);
    char *names[] = { g_strconcat(dir, "/new.pdf/", NULL), g_strconcat(dir, "/.", NULL),
                      g_strconcat(dir, "/..", NULL), g_strdup("/") };
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        assert_open_fails(names[i], EISDIR);
        g_free(names[i]);
    }

    /* An empty name is an error, not a crash (nor a critical) */
    GError *error = NULL;
    g_assert_null(imp_output_open("", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_assert_cmpstr(error->message, ==, "cannot write: the output file name is empty");
    g_clear_error(&error);

    /* An unwritable folder: root writes anywhere, so this needs an ordinary user. */
    if (geteuid() != 0) {
        char *ro = g_build_filename(dir, "ro", NULL);
        g_assert_cmpint(mkdir(ro, 0555), ==, 0);
        char *target = g_build_filename(ro, "out.pdf", NULL);
        assert_open_fails(target, EACCES);
        chmod(ro, 0755);
        assert_listing(ro, "");
        g_free(target);
        g_free(ro);
    }

    /* A loop of links, followed */
    char *loop = g_build_filename(dir, "loop.pdf", NULL);
    g_assert_cmpint(symlink("loop.pdf", loop), ==, 0);
    assert_open_fails_with(loop, IMP_OUTPUT_FOLLOW_SYMLINKS, g_strerror(ELOOP));

    /* Nothing was created by any failure. */
    assert_listing(sub, "");
    char *listing = dir_listing(dir);
    g_assert_cmpstr(listing, ==, geteuid() != 0 ? "file loop.pdf ro sub" : "file loop.pdf sub");
    g_free(listing);

    g_free(loop);
    g_free(sub);
    g_free(file);
    remove_tree(dir);
    g_free(dir);
}

/* The kernel's own file systems hold no documents: the message says that, not "No such
 * file or directory" (what creating a file in /proc gives). */
static void test_output_kernel_fs(void)
{
    static const struct { const char *path, *why; } cases[] = {
        { "/proc/version", "/proc is a folder of the kernel's proc file system, where no "
                           "file can be created or replaced" },
        { "/proc/imprint-test.pdf", "/proc is a folder of the kernel's proc file system, "
                                    "where no file can be created or replaced" },
        { "/sys/kernel/imprint-test.pdf", "/sys/kernel is a folder of the kernel's sysfs "
                                          "file system, where no file can be created or "
                                          "replaced" },
        /* a link to /proc/self/mounts, which root may open for writing */
        { "/proc/mounts", "a file of the kernel's proc file system" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *d = g_path_get_dirname(cases[i].path);
        if (!g_file_test(d, G_FILE_TEST_IS_DIR)) {
            g_test_message("no %s here", d);
            g_free(d);
            continue;
        }
        g_free(d);
        assert_open_fails_with(cases[i].path, IMP_OUTPUT_DEFAULT, cases[i].why);
        assert_open_fails_with(cases[i].path, IMP_OUTPUT_FOLLOW_SYMLINKS, cases[i].why);
    }
    g_assert_false(g_file_test("/proc/imprint-test.pdf", G_FILE_TEST_EXISTS));
}

/* A name as long as a name can be (255 bytes): the temporary file's name still fits. */
static void test_output_long_name(void)
{
    char *dir = make_dir();
    /* 84 three-byte characters and 3 letters: 255 bytes */
    GString *name = g_string_new(NULL);
    for (int i = 0; i < 84; i++)
        g_string_append(name, "\xe6\x96\x87");
    g_string_append(name, "pdf");
    g_assert_cmpuint(name->len, ==, 255);
    char *path = g_build_filename(dir, name->str, NULL);
    GError *error = NULL;
    ImpOutput *out = imp_output_open(path, &error);
    g_assert_no_error(error);
    /* the temporary name is cut at a character boundary and is valid UTF-8 */
    char *listing = dir_listing(dir);
    g_assert_true(g_utf8_validate(listing, -1, NULL));
    g_assert_true(g_str_has_prefix(listing, ".\xe6\x96\x87"));
    g_assert_cmpuint(strlen(listing), <=, 255);
    g_free(listing);
    imp_output_write(out, "long", 4);
    g_assert_true(imp_output_commit(out, &error));
    g_assert_no_error(error);
    assert_listing(dir, name->str);
    g_string_free(name, TRUE);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

static void test_output_device_full(void)
{
    /* A device is written in place; a full disk fails the commit, naming the output. */
    if (!g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        g_test_skip("no /dev/full");
        return;
    }
    GError *error = NULL;
    ImpOutput *out = imp_output_open("/dev/full", &error);
    g_assert_no_error(error);
    imp_output_write(out, "data", 4);
    g_assert_false(imp_output_commit(out, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    char *want = g_strdup_printf("/dev/full: cannot write: %s", g_strerror(ENOSPC));
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_clear_error(&error);

    /* A large write fails at once; later writes are skipped; commit reports it. */
    out = imp_output_open("/dev/full", &error);
    char *big = g_strnfill(100000, 'b');
    imp_output_write(out, big, 100000);
    imp_output_write(out, "more", 4);
    g_assert_false(imp_output_commit(out, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_clear_error(&error);
    g_free(big);

    out = imp_output_open("/dev/null", &error);
    g_assert_no_error(error);
    imp_output_write(out, "data", 4);
    g_assert_true(imp_output_commit(out, &error));
    g_assert_no_error(error);
}

/* By default a symbolic link at the path is replaced by the file, not followed: its
 * destination is untouched, whoever made the link. */
static void test_output_symlink(void)
{
    char *dir = make_dir();
    char *real = g_build_filename(dir, "real.pdf", NULL);
    char *link = g_build_filename(dir, "link.pdf", NULL);
    char *dangling = g_build_filename(dir, "dangling.pdf", NULL);
    write_file(real, "old");
    chmod(real, 0600);
    g_assert_cmpint(symlink("real.pdf", link), ==, 0);
    g_assert_cmpint(symlink("nowhere/none.pdf", dangling), ==, 0);
    mode_t old_mask = umask(022);
    put(link, IMP_OUTPUT_DEFAULT, "new");
    put(dangling, IMP_OUTPUT_DEFAULT, "new2");
    umask(old_mask);
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    g_assert_false(g_file_test(dangling, G_FILE_TEST_IS_SYMLINK));
    char *got = read_file(link);
    g_assert_cmpstr(got, ==, "new");
    g_free(got);
    got = read_file(dangling);
    g_assert_cmpstr(got, ==, "new2");
    g_free(got);
    got = read_file(real);
    g_assert_cmpstr(got, ==, "old");
    g_free(got);
    /* a new file's mode, not the destination's */
    g_assert_cmpint(mode_of(link), ==, 0644);
    assert_listing(dir, "dangling.pdf link.pdf real.pdf");
    g_free(real);
    g_free(link);
    g_free(dangling);
    remove_tree(dir);
    g_free(dir);
}

/* IMP_OUTPUT_FOLLOW_SYMLINKS: the destination is written (and a chain of links followed
 * to its end, relative links resolved from their own folder); the links stay; the
 * temporary file stands beside the destination; a dangling link creates its destination. */
static void test_output_follow(void)
{
    char *dir = make_dir();
    char *sub = g_build_filename(dir, "sub", NULL);
    g_assert_cmpint(mkdir(sub, 0755), ==, 0);
    char *real = g_build_filename(sub, "real.pdf", NULL);
    char *mid = g_build_filename(sub, "mid.pdf", NULL);
    char *link = g_build_filename(dir, "link.pdf", NULL);
    char *dangling = g_build_filename(dir, "dangling.pdf", NULL);
    write_file(real, "old");
    chmod(real, 0640);
    g_assert_cmpint(symlink("real.pdf", mid), ==, 0);    /* relative to sub/ */
    g_assert_cmpint(symlink("sub/mid.pdf", link), ==, 0);
    g_assert_cmpint(symlink("sub/made.pdf", dangling), ==, 0);

    GError *error = NULL;
    ImpOutput *out = imp_output_open_full(link, IMP_OUTPUT_FOLLOW_SYMLINKS, &error);
    g_assert_no_error(error);
    char *listing = dir_listing(sub);
    g_assert_true(g_str_has_prefix(listing, ".real.pdf.imprint-"));
    g_free(listing);
    imp_output_write(out, "new", 3);
    g_assert_true(imp_output_commit(out, &error));
    g_assert_no_error(error);
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    g_assert_true(g_file_test(mid, G_FILE_TEST_IS_SYMLINK));
    char *got = read_file(real);
    g_assert_cmpstr(got, ==, "new");
    g_free(got);
    g_assert_cmpint(mode_of(real), ==, 0640);

    put(dangling, IMP_OUTPUT_FOLLOW_SYMLINKS, "made");
    g_assert_true(g_file_test(dangling, G_FILE_TEST_IS_SYMLINK));
    char *made = g_build_filename(sub, "made.pdf", NULL);
    got = read_file(made);
    g_assert_cmpstr(got, ==, "made");
    g_free(got);
    assert_listing(dir, "dangling.pdf link.pdf sub");
    assert_listing(sub, "made.pdf mid.pdf real.pdf");

    g_free(made);
    g_free(real);
    g_free(mid);
    g_free(link);
    g_free(dangling);
    g_free(sub);
    remove_tree(dir);
    g_free(dir);
}

/* fs.protected_symlinks, emulated whatever the system's setting and for root too: in a
 * sticky, world-writable folder a link is followed only when it belongs to the follower
 * or to the folder's owner. Making a link of another user's needs root (lchown). */
static void test_output_protected(void)
{
    if (geteuid() != 0) {
        g_test_skip("making another user's link needs root (tests/hostile/paths.sh covers "
                    "it with a second user)");
        return;
    }
    char *dir = make_dir();
    char *tmp = g_build_filename(dir, "tmp", NULL); /* like /tmp: root's, 1777 */
    g_assert_cmpint(mkdir(tmp, 0755), ==, 0);
    g_assert_cmpint(chmod(tmp, 01777), ==, 0);
    char *secret = g_build_filename(dir, "secret", NULL);
    write_file(secret, "root's");
    chmod(secret, 0600);
    char *link = g_build_filename(tmp, "report.pdf", NULL);
    g_assert_cmpint(symlink(secret, link), ==, 0);
    g_assert_cmpint(lchown(link, 65534, 65534), ==, 0);

    /* someone else's link: refused when following ... */
    char *why = g_strdup_printf("not following the symbolic link %s: it belongs to user "
                                "65534, neither you nor the owner of the sticky, "
                                "world-writable folder %s (the kernel's fs.protected_symlinks "
                                "rule)", link, tmp);
    assert_open_fails_with(link, IMP_OUTPUT_FOLLOW_SYMLINKS, why);
    g_free(why);
    assert_listing(tmp, "report.pdf");
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    char *got = read_file(secret);
    g_assert_cmpstr(got, ==, "root's");
    g_free(got);

    /* ... also when it comes second in a chain */
    char *mine = g_build_filename(tmp, "mine.pdf", NULL);
    g_assert_cmpint(symlink("report.pdf", mine), ==, 0);
    GError *error = NULL;
    g_assert_null(imp_output_open_full(mine, IMP_OUTPUT_FOLLOW_SYMLINKS, &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_OUTPUT);
    g_assert_nonnull(strstr(error->message, "not following the symbolic link"));
    g_clear_error(&error);

    /* ... and replaced by default: the destination is untouched */
    put(link, IMP_OUTPUT_DEFAULT, "pdf");
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    got = read_file(secret);
    g_assert_cmpstr(got, ==, "root's");
    g_free(got);
    g_assert_cmpint(unlink(link), ==, 0);

    /* the folder's owner's link is followed */
    g_assert_cmpint(symlink(secret, link), ==, 0);
    g_assert_cmpint(lchown(link, 65534, 65534), ==, 0);
    g_assert_cmpint(chown(tmp, 65534, 65534), ==, 0);
    put(link, IMP_OUTPUT_FOLLOW_SYMLINKS, "followed");
    got = read_file(secret);
    g_assert_cmpstr(got, ==, "followed");
    g_free(got);
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));

    /* and so is one's own, in a sticky folder of someone else's */
    g_assert_cmpint(lchown(link, 0, 0), ==, 0);
    put(link, IMP_OUTPUT_FOLLOW_SYMLINKS, "mine");
    got = read_file(secret);
    g_assert_cmpstr(got, ==, "mine");
    g_free(got);

    /* sticky but not world-writable, or world-writable but not sticky: followed */
    g_assert_cmpint(lchown(link, 65534, 65534), ==, 0);
    g_assert_cmpint(chown(tmp, 0, 0), ==, 0);
    g_assert_cmpint(chmod(tmp, 01775), ==, 0);
    put(link, IMP_OUTPUT_FOLLOW_SYMLINKS, "sticky only");
    g_assert_cmpint(chmod(tmp, 0777), ==, 0);
    put(link, IMP_OUTPUT_FOLLOW_SYMLINKS, "writable only");
    got = read_file(secret);
    g_assert_cmpstr(got, ==, "writable only");
    g_free(got);

    g_free(mine);
    g_free(link);
    g_free(secret);
    g_free(tmp);
    remove_tree(dir);
    g_free(dir);
}

/* A link to a device, or to an open file of the process (/dev/stdout, /proc/self/fd/N), is
 * written through even by default: replacing it would replace the name of the device.
 * Only as the kernel's rule allows: another user's link to a device in a sticky folder is
 * replaced instead. */
static void test_output_link_to_device(void)
{
    char *dir = make_dir();
    char *null_link = g_build_filename(dir, "null.pdf", NULL);
    g_assert_cmpint(symlink("/dev/null", null_link), ==, 0);
    put(null_link, IMP_OUTPUT_DEFAULT, "into /dev/null");
    g_assert_true(g_file_test(null_link, G_FILE_TEST_IS_SYMLINK));
    assert_listing(dir, "null.pdf");

    /* an open file of the process: written in place, from its end */
    char *file = g_build_filename(dir, "stdout.txt", NULL);
    write_file(file, "before:");
    int fd = open(file, O_WRONLY | O_APPEND);
    g_assert_cmpint(fd, >=, 0);
    char *fd_link = g_build_filename(dir, "fd.pdf", NULL);
    char *proc_fd = g_strdup_printf("/proc/self/fd/%d", fd);
    g_assert_cmpint(symlink(proc_fd, fd_link), ==, 0);
    put(fd_link, IMP_OUTPUT_DEFAULT, "written");
    put(proc_fd, IMP_OUTPUT_DEFAULT, "+again");
    close(fd);
    g_assert_true(g_file_test(fd_link, G_FILE_TEST_IS_SYMLINK));
    char *got = read_file(file);
    g_assert_cmpstr(got, ==, "before:written+again");
    g_free(got);
    assert_listing(dir, "fd.pdf null.pdf stdout.txt");

    if (geteuid() == 0) {
        char *tmp = g_build_filename(dir, "tmp", NULL);
        g_assert_cmpint(mkdir(tmp, 01777), ==, 0);
        g_assert_cmpint(chmod(tmp, 01777), ==, 0);
        char *planted = g_build_filename(tmp, "x.pdf", NULL);
        g_assert_cmpint(symlink("/dev/null", planted), ==, 0);
        g_assert_cmpint(lchown(planted, 65534, 65534), ==, 0);
        put(planted, IMP_OUTPUT_DEFAULT, "not into the device");
        g_assert_false(g_file_test(planted, G_FILE_TEST_IS_SYMLINK));
        got = read_file(planted);
        g_assert_cmpstr(got, ==, "not into the device");
        g_free(got);
        g_free(planted);
        g_free(tmp);
    }
    g_free(proc_fd);
    g_free(fd_link);
    g_free(file);
    g_free(null_link);
    remove_tree(dir);
    g_free(dir);
}

static void test_output_stdout(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "stdout.bin", NULL);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    g_assert_cmpint(fd, >=, 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);

    GError *error = NULL;
    ImpOutput *out = imp_output_open("-", &error);
    gboolean opened = out != NULL;
    imp_output_write(out, "one ", 4);
    imp_output_write(out, "two", 3);
    gboolean ok = imp_output_commit(out, &error);
    /* Aborted standard output writes nothing. */
    out = imp_output_open("-", &error);
    imp_output_write(out, "never", 5);
    imp_output_abort(out);

    dup2(saved, STDOUT_FILENO);
    close(saved);
    g_assert_true(opened);
    g_assert_no_error(error);
    g_assert_true(ok);
    char *got = read_file(path);
    g_assert_cmpstr(got, ==, "one two");
    g_free(got);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

/* ------------------------------------------------------------------------------------
 * Clean-up on signals and exit (imp_output_clean_up_on_signals)
 * ------------------------------------------------------------------------------------ */

/* How a child run ends, with an output open over an existing "old.pdf". */
typedef enum {
    END_RAISE,      /* raise(sig) */
    END_KILL,       /* kill(getpid(), sig) from another thread while the main one waits */
    END_NULL,       /* a real fault: a write through a null pointer */
    END_THREAD_NULL,/* the same on another thread */
    END_OVERFLOW,   /* a stack overflow on the main thread */
    END_ABORT,      /* abort() */
    END_G_ERROR,    /* g_error(): GLib's fatal message (SIGTRAP) */
    END_PIPE,       /* a write to a pipe with no reader (SIGPIPE) */
    END_EXIT,       /* exit(1) from deep inside a library, as libhyphen does */
} EndHow;

static volatile int *volatile null_pointer;

static gpointer crash_thread(gpointer data)
{
    (void)data;
    *null_pointer = 1;
    return NULL;
}

static gpointer kill_thread(gpointer data)
{
    kill(getpid(), GPOINTER_TO_INT(data));
    return NULL;
}

/* Recurses until the stack is gone; the volatile pointer keeps it a real recursion. */
static int recurse(int depth);
static int (*volatile recurse_ptr)(int) = recurse;
static int recurse(int depth)
{
    volatile char frame[512];
    frame[0] = (char)depth;
    return recurse_ptr(depth + 1) + frame[0];
}

/* In a child: installs the clean-up, opens `path`, writes, then ends `how`. */
static G_GNUC_NORETURN void child_end(const char *path, EndHow how, int sig)
{
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
    /* the child's messages (GLib's, a sanitizer's) are not the test's output */
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    imp_output_clean_up_on_signals();
    GError *error = NULL;
    ImpOutput *out = imp_output_open(path, &error);
    if (out == NULL)
        _exit(90);
    imp_output_write(out, "partial", 7);
    switch (how) {
    case END_RAISE: raise(sig); break;
    case END_KILL:
        g_thread_join(g_thread_new("kill", kill_thread, GINT_TO_POINTER(sig)));
        for (;;)
            pause();
    case END_NULL: *null_pointer = 1; break;
    case END_THREAD_NULL: g_thread_join(g_thread_new("crash", crash_thread, NULL)); break;
    case END_OVERFLOW: recurse(0); break;
    case END_ABORT: abort();
    case END_G_ERROR: g_error("a fatal message"); break;
    case END_PIPE: {
        int p[2];
        if (pipe(p) != 0)
            _exit(91);
        close(p[0]);
        if (write(p[1], "x", 1) < 0)
            _exit(92);
        break;
    }
    case END_EXIT: exit(1);
    }
    _exit(93); /* not reached when the end works */
}

/* Runs child_end in a child and checks that it ended by `want_sig` (0: exit status 1),
 * that no temporary file is left and that old.pdf is as it was. */
static void check_end(const char *desc, EndHow how, int sig, int want_sig)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "old.pdf", NULL);
    write_file(path, "old");
    fflush(NULL);
    pid_t pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0)
        child_end(path, how, sig);
    int status;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_test_message("%s: status 0x%x", desc, (unsigned)status);
    if (want_sig == 0) {
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    } else {
        g_assert_true(WIFSIGNALED(status));
#if defined(__SANITIZE_ADDRESS__)
        /* AddressSanitizer reports a fault itself, then aborts (abort_on_error=1): the
           clean-up ran first, and the handler it chained to ended the process */
        if (want_sig == SIGSEGV || want_sig == SIGBUS || want_sig == SIGFPE)
            g_assert_true(WTERMSIG(status) == want_sig || WTERMSIG(status) == SIGABRT);
        else
#endif
            g_assert_cmpint(WTERMSIG(status), ==, want_sig);
    }
    assert_listing(dir, "old.pdf");
    char *got = read_file(path);
    g_assert_cmpstr(got, ==, "old");
    g_free(got);
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

static void test_cleanup_sent(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1,
                                SIGUSR2, SIGXCPU, SIGVTALRM, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP,
                                SIGFPE, SIGILL, SIGSYS };
    for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++) {
        char *d = g_strdup_printf("raise %s", g_strsignal(sigs[i]));
        check_end(d, END_RAISE, sigs[i], sigs[i]);
        g_free(d);
        d = g_strdup_printf("kill %s from a thread", g_strsignal(sigs[i]));
        check_end(d, END_KILL, sigs[i], sigs[i]);
        g_free(d);
    }
}

static void test_cleanup_faults(void)
{
    check_end("null pointer", END_NULL, 0, SIGSEGV);
    check_end("null pointer on another thread", END_THREAD_NULL, 0, SIGSEGV);
    check_end("abort()", END_ABORT, 0, SIGABRT);
    check_end("write to a closed pipe", END_PIPE, 0, SIGPIPE);
    check_end("exit(1)", END_EXIT, 0, 0);
#if !defined(__SANITIZE_ADDRESS__)
    /* (AddressSanitizer's own stack-overflow report ends this differently) */
    check_end("stack overflow", END_OVERFLOW, 0, SIGSEGV);
#endif
}

/* g_error() (GLib's fatal message, which a failed g_malloc gives too) ends by SIGTRAP, or
 * SIGABRT where a debugger is not looked for. (Not g_test_trap_subprocess: a GTest
 * subprocess leaves by _exit(), which no clean-up can see.) */
static void test_cleanup_g_error(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "old.pdf", NULL);
    write_file(path, "old");
    fflush(NULL);
    pid_t pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0)
        child_end(path, END_G_ERROR, 0);
    int status;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
    g_assert_true(WTERMSIG(status) == SIGTRAP || WTERMSIG(status) == SIGABRT);
    assert_listing(dir, "old.pdf");
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

/* A file size limit (ulimit -f): the write fails with a message naming the file, instead
 * of SIGXFSZ ending the process without a word and leaving a partial temporary file. */
static void test_cleanup_file_size(void)
{
    char *dir = make_dir();
    char *path = g_build_filename(dir, "out.pdf", NULL);
    fflush(NULL);
    int p[2];
    g_assert_cmpint(pipe(p), ==, 0);
    pid_t pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        close(p[0]);
        struct rlimit fsize = { 4096, 4096 };
        setrlimit(RLIMIT_FSIZE, &fsize);
        imp_output_clean_up_on_signals();
        GError *error = NULL;
        ImpOutput *out = imp_output_open(path, &error);
        if (out == NULL)
            _exit(90);
        char *big = g_strnfill(100000, 'f');
        imp_output_write(out, big, 100000);
        if (imp_output_commit(out, &error))
            _exit(91);
        if (write(p[1], error->message, strlen(error->message)) < 0)
            _exit(92);
        _exit(0);
    }
    close(p[1]);
    char msg[512] = "";
    gssize n = read(p[0], msg, sizeof msg - 1);
    close(p[0]);
    msg[MAX(n, 0)] = '\0';
    int status;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    char *want = g_strdup_printf("%s: cannot write: %s", path, g_strerror(EFBIG));
    g_assert_cmpstr(msg, ==, want);
    g_free(want);
    assert_listing(dir, "");
    g_free(path);
    remove_tree(dir);
    g_free(dir);
}

/* ------------------------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------------------------ */

static void diag_collect(ImpDiagLevel level, const char *file, guint line,
                         const char *message, gpointer user_data)
{
    g_string_append_printf(user_data, "%d|%s|%u|%s", level, file, line, message);
}

static void test_diag(void)
{
    GString *s = g_string_new(NULL);
    ImpDiag diag = { diag_collect, s };
    imp_diag_report(&diag, IMP_DIAG_WARNING, "a.txt", 7, "dropped U+%04X", 7u);
    g_assert_cmpstr(s->str, ==, "1|a.txt|7|dropped U+0007");
    imp_diag_report(NULL, IMP_DIAG_INFO, NULL, 0, "ignored");
    ImpDiag none = { NULL, NULL };
    imp_diag_report(&none, IMP_DIAG_INFO, NULL, 0, "ignored");
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/load/ok", test_load_ok);
    g_test_add_func("/util/load/stdin", test_load_stdin);
    g_test_add_func("/util/load/errors", test_load_errors);
    g_test_add_func("/util/output/commit", test_output_commit);
    g_test_add_func("/util/output/abort", test_output_abort);
    g_test_add_func("/util/output/open-errors", test_output_open_errors);
    g_test_add_func("/util/output/device-full", test_output_device_full);
    g_test_add_func("/util/output/new-mode", test_output_new_mode);
    g_test_add_func("/util/output/replace-mode", test_output_replace_mode);
    g_test_add_func("/util/output/kernel-fs", test_output_kernel_fs);
    g_test_add_func("/util/output/long-name", test_output_long_name);
    g_test_add_func("/util/output/symlink", test_output_symlink);
    g_test_add_func("/util/output/follow", test_output_follow);
    g_test_add_func("/util/output/protected", test_output_protected);
    g_test_add_func("/util/output/link-to-device", test_output_link_to_device);
    g_test_add_func("/util/output/stdout", test_output_stdout);
    g_test_add_func("/util/cleanup/sent", test_cleanup_sent);
    g_test_add_func("/util/cleanup/faults", test_cleanup_faults);
    g_test_add_func("/util/cleanup/g-error", test_cleanup_g_error);
    g_test_add_func("/util/cleanup/file-size", test_cleanup_file_size);
    g_test_add_func("/util/diag", test_diag);
    return g_test_run();
}
