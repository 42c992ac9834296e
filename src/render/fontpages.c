/* fontpages.c — the pages of font files given back while cairo embeds the fonts.
 *
 * cairo 1.16's PDF surface reads an OpenType CFF face's whole outline table twice: when a
 * page first draws with the face (to learn whether it is a CID font) and when the surface
 * is finished (to subset it). Each of Noto's CJK files (19-27 MB) then stays resident in
 * the process, through FreeType's read-only mapping of the file, until the face is
 * closed. A structured Chinese document sets body text, headings, code and terms in four
 * such faces: 86 MB of font files counted in its peak memory, against 26 MB for the one
 * face of plain text (tools/bench, large.txt).
 *
 * The render stage calls imp__font_pages_check() after each page and as the finished
 * surface is written, and a thread of its own (imp__font_pages_watch()) calls it every
 * millisecond while a one-document PDF is drawn, since cairo reads a whole table inside
 * one call: when the process's file-backed resident pages have grown by more than 8 MB
 * (the watch: 4 MB) since the render began or since the last release (a document of a
 * batch that finds its faces resident, read by the one before, releases nothing), the
 * mapped pages of font files are given back (MADV_DONTNEED). The watch took the peak of
 * large.txt (tools/bench) from 112 MB to 93 MB: the file's pages no longer pile up while
 * cairo copies its table. A batch does without it: its documents read the same faces
 * again, and pages given back between them are read in again by the next (with the watch
 * a batch of 1,000 speeches took 1.6x the CPU time). The mappings are private and never written, so the pages are
 * clean: the next read of one faults it in again from the page cache, with the same
 * bytes. Nothing changes but the resident set. On systems other than Linux it does
 * nothing.
 *
 * Invariants:
 *  1. Only read-only private mappings of files whose names end as font files do
 *     (.ttf, .otf, .ttc, .otc, case aside) are touched.
 *  2. No allocation: /proc/self/maps is read into a stack buffer, line by line.
 */
#include <string.h>

#include "render-private.h"

#ifdef __linux__
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Whether a mapped file's path names a font file. */
static gboolean is_font_path(const char *path, gsize len)
{
    static const char *const exts[] = { ".ttf", ".otf", ".ttc", ".otc" };
    for (guint i = 0; i < G_N_ELEMENTS(exts); i++)
        if (len > 4 && g_ascii_strncasecmp(path + len - 4, exts[i], 4) == 0)
            return TRUE;
    return FALSE;
}

/* One line of /proc/self/maps: "start-end perms offset dev inode   path". */
static void release_line(const char *line, gsize len)
{
    char perms[5] = { 0 };
    unsigned long start, end;
    int path_at = 0;
    char copy[512];
    if (len >= sizeof copy)
        return; /* a path this long is no font of ours */
    memcpy(copy, line, len);
    copy[len] = '\0';
    if (sscanf(copy, "%lx-%lx %4s %*s %*s %*s %n", &start, &end, perms, &path_at) < 3 ||
        path_at <= 0 || copy[path_at] != '/')
        return;
    if (strcmp(perms, "r--p") != 0 || !is_font_path(copy + path_at, len - (gsize)path_at))
        return;
    madvise((void *)start, end - start, MADV_DONTNEED);
}

/* Gives back the resident pages of every font file mapped. */
static void release_all(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[8192];
    gsize have = 0;
    for (;;) {
        ssize_t got = read(fd, buf + have, sizeof buf - have);
        if (got <= 0)
            break;
        have += (gsize)got;
        gsize from = 0;
        for (gsize i = 0; i < have; i++)
            if (buf[i] == '\n') {
                release_line(buf + from, i - from);
                from = i + 1;
            }
        if (from == 0 && have == sizeof buf)
            from = have; /* a line longer than the buffer: skipped */
        memmove(buf, buf + from, have - from);
        have -= from;
    }
    close(fd);
}

/* The process's file-backed resident pages (statm's third field), or 0. */
static gsize resident_shared(void)
{
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[128];
    ssize_t got = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (got <= 0)
        return 0;
    buf[got] = '\0';
    unsigned long size, resident, shared;
    return sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) == 3 ? shared : 0;
}

/* More than this many bytes of new file-backed pages: a face was read (the watch looks
 * more often, so it can give pages back sooner). */
#define GROWTH (8u << 20)
#define WATCH_GROWTH (4u << 20)

gsize imp__font_pages_mark(void)
{
    return resident_shared();
}

/* Gives the pages back when the file-backed resident set has grown by more than `growth`
 * bytes since *mark, and moves the mark. */
static void check(gsize *mark, gsize growth)
{
    gsize shared = resident_shared();
    gsize page = (gsize)sysconf(_SC_PAGESIZE);
    if (shared > *mark && (shared - *mark) * page > growth) {
        release_all();
        *mark = resident_shared();
    } else if (shared < *mark) {
        *mark = shared;
    }
}

void imp__font_pages_check(gsize *mark)
{
    check(mark, GROWTH);
}

/* ---- the watch ---- */

/* How often the watch looks, in microseconds. */
#define WATCH_EVERY 1000

struct ImpFontWatch_ {
    GThread *thread;
    GMutex lock;
    GCond cond;
    gboolean stop;
    gsize mark;
};

/* The watch's thread: a look every WATCH_EVERY µs until told to stop. */
static gpointer watch_main(gpointer data)
{
    ImpFontWatch *w = data;
    g_mutex_lock(&w->lock);
    while (!w->stop) {
        gint64 until = g_get_monotonic_time() + WATCH_EVERY;
        while (!w->stop && g_cond_wait_until(&w->cond, &w->lock, until))
            ;
        if (w->stop)
            break;
        g_mutex_unlock(&w->lock);
        check(&w->mark, WATCH_GROWTH);
        g_mutex_lock(&w->lock);
    }
    g_mutex_unlock(&w->lock);
    return NULL;
}

ImpFontWatch *imp__font_pages_watch(void)
{
    ImpFontWatch *w = g_new0(ImpFontWatch, 1);
    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    w->mark = resident_shared();
    w->thread = g_thread_try_new("imprint-fonts", watch_main, w, NULL);
    if (w->thread == NULL) { /* no thread: the checks between pages alone */
        g_mutex_clear(&w->lock);
        g_cond_clear(&w->cond);
        g_free(w);
        return NULL;
    }
    return w;
}

void imp__font_pages_unwatch(ImpFontWatch *w)
{
    if (w == NULL)
        return;
    g_mutex_lock(&w->lock);
    w->stop = TRUE;
    g_cond_signal(&w->cond);
    g_mutex_unlock(&w->lock);
    g_thread_join(w->thread);
    g_mutex_clear(&w->lock);
    g_cond_clear(&w->cond);
    g_free(w);
}
#else
gsize imp__font_pages_mark(void)
{
    return 0;
}

void imp__font_pages_check(gsize *mark)
{
    (void)mark;
}

ImpFontWatch *imp__font_pages_watch(void)
{
    return NULL;
}

void imp__font_pages_unwatch(ImpFontWatch *watch)
{
    (void)watch;
}
#endif
