/* test-util.c — whole-file input and all-or-nothing output (util/file.h), and the diag
 * helper. Every output failure must leave no file behind: each test works in its own
 * fresh folder and checks what is left in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
    /* The temporary file exists beside the target until commit. */
    char *listing = dir_listing(dir);
    g_assert_true(g_str_has_prefix(listing, ".out.pdf."));
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

    /* Replacing an existing file keeps its mode. */
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

static void test_output_open_errors(void)
{
    char *dir = make_dir();

    char *missing = g_build_filename(dir, "no", "such", "out.pdf", NULL);
    assert_open_fails(missing, ENOENT);
    g_free(missing);

    /* The "folder" is a regular file. */
    char *file = g_build_filename(dir, "file", NULL);
    write_file(file, "x");
    char *under_file = g_build_filename(file, "out.pdf", NULL);
    assert_open_fails(under_file, ENOTDIR);
    g_free(under_file);

    /* The target is a folder. */
    char *sub = g_build_filename(dir, "sub", NULL);
    g_assert_cmpint(mkdir(sub, 0755), ==, 0);
    assert_open_fails(sub, EISDIR);

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

    /* Nothing was created by any failure. */
    assert_listing(sub, "");
    char *listing = dir_listing(dir);
    g_assert_cmpstr(listing, ==, geteuid() != 0 ? "file ro sub" : "file sub");
    g_free(listing);

    g_free(sub);
    g_free(file);
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

static void test_output_symlink(void)
{
    char *dir = make_dir();
    char *real = g_build_filename(dir, "real.pdf", NULL);
    char *link = g_build_filename(dir, "link.pdf", NULL);
    write_file(real, "old");
    g_assert_cmpint(symlink("real.pdf", link), ==, 0);
    GError *error = NULL;
    ImpOutput *out = imp_output_open(link, &error);
    g_assert_no_error(error);
    imp_output_write(out, "new", 3);
    g_assert_true(imp_output_commit(out, &error));
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    char *got = read_file(real);
    g_assert_cmpstr(got, ==, "new");
    g_free(got);
    assert_listing(dir, "link.pdf real.pdf");
    g_free(real);
    g_free(link);
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
    g_test_add_func("/util/output/symlink", test_output_symlink);
    g_test_add_func("/util/output/stdout", test_output_stdout);
    g_test_add_func("/util/diag", test_diag);
    return g_test_run();
}
