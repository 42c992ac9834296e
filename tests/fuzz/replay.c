/* replay.c — runs a fuzz target on files, without libFuzzer: every corpus file and every
 * past crash stays a test in a normal build (ctest runs one replay per target).
 *
 *   replay-TARGET [--skip LIST] PATH...
 *
 * A PATH is a file or a folder (all its files, recursively, in sorted order). LIST is a
 * file of paths, one a line ('#' comments), of known failures routed to someone else's
 * fix: they are named and skipped, not run. Each input is named on standard output before
 * it runs, so the last name printed is the one that crashed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static GPtrArray *skips;

static gboolean skipped(const char *path)
{
    for (guint i = 0; skips != NULL && i < skips->len; i++)
        if (g_str_has_suffix(path, skips->pdata[i]))
            return TRUE;
    return FALSE;
}

static gint cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *path, GPtrArray *files)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return; /* crashes/TARGET exists only once a crash was found */
    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_ptr_array_add(files, g_strdup(path));
        return;
    }
    GDir *dir = g_dir_open(path, 0, NULL);
    if (dir == NULL)
        return;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        if (name[0] != '.')
            g_ptr_array_add(names, g_build_filename(path, name, NULL));
    g_dir_close(dir);
    g_ptr_array_sort(names, cmp);
    for (guint i = 0; i < names->len; i++)
        collect(names->pdata[i], files);
    g_ptr_array_free(names, TRUE);
}

static void read_skips(const char *list)
{
    char *text = NULL;
    if (!g_file_get_contents(list, &text, NULL, NULL))
        return;
    skips = g_ptr_array_new_with_free_func(g_free);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        char *s = g_strstrip(*l);
        if (*s != '\0' && *s != '#')
            g_ptr_array_add(skips, g_strdup(s));
    }
    g_strfreev(lines);
    g_free(text);
}

int main(int argc, char **argv)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc)
            read_skips(argv[++i]);
        else
            collect(argv[i], files);
    }
    LLVMFuzzerInitialize(&argc, &argv);
    guint ran = 0, skip = 0;
    for (guint i = 0; i < files->len; i++) {
        const char *path = files->pdata[i];
        if (skipped(path)) {
            printf("SKIP %s (a known failure, see the skip list)\n", path);
            skip++;
            continue;
        }
        gchar *data = NULL;
        gsize len = 0;
        GError *error = NULL;
        if (!g_file_get_contents(path, &data, &len, &error)) {
            fprintf(stderr, "replay: %s\n", error->message);
            return 1;
        }
        printf("RUN  %s (%zu bytes)\n", path, len);
        fflush(stdout);
        /* an exact-size copy, so ASan sees a read past the end (never NULL, as in
           libFuzzer) */
        guint8 *copy = malloc(len > 0 ? len : 1);
        memcpy(copy, data, len);
        LLVMFuzzerTestOneInput(copy, len);
        free(copy);
        g_free(data);
        ran++;
    }
    printf("replayed %u input%s, skipped %u\n", ran, ran == 1 ? "" : "s", skip);
    g_ptr_array_free(files, TRUE);
    if (skips != NULL)
        g_ptr_array_free(skips, TRUE);
    return ran > 0 ? 0 : 1;
}
