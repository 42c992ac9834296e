/* paginate.c — entries → pages: where the pages break.
 *
 * The document's flow is a flat list of entries, one per line of text (or per masthead,
 * rule or anchor), each with its height, the space above it (dropped at the top of a page),
 * whether a page may break after it, whether one must break before it, and what is set
 * again above it when a page starts there (a table's header row). Keeping a
 * heading with what follows, a paragraph's widows and orphans, and the notice together are
 * all said with that one "keep with next" flag (imp__keep_lines for a paragraph's lines),
 * and a single pass puts entries on pages, moving back to the last allowed break when an
 * entry does not fit. Nothing here knows fonts or text: the unit tests paginate hand-made
 * entries.
 *
 * Invariants:
 *  1. Every entry lands on exactly one page, in order; pages are never empty but for the
 *     one page of an empty flow.
 *  2. An entry taller than the page still lands (alone on its page) rather than loop, and a
 *     run of kept entries taller than a page breaks where it overflows.
 *  3. A forced break starts a page unless the page is empty.
 *  4. Linear in the number of entries, apart from the moves back, which never pass the
 *     page's first entry.
 *  5. A page that starts inside a table's body has the room its repeated header row takes
 *     less (ImpEntry.repeat_height); the header keeps with the first row, so no page
 *     starts at that row with the header left behind on the page before.
 */
#include "layout-private.h"

/* Sets a paragraph's keeps; see layout-private.h. */
void imp__keep_lines(ImpEntry *lines, guint n, gboolean keep_all, int widows, int orphans)
{
    for (guint i = 0; i < n; i++)
        /* a break after line i leaves i+1 lines above and n-i-1 below */
        lines[i].keep_with_next = keep_all || (i + 1 < n && ((int)i + 1 < orphans ||
                                                             (int)(n - i - 1) < widows));
}

/* Puts entries on pages; see layout-private.h. */
GArray *imp__paginate(const ImpEntry *entries, guint n, double avail)
{
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(guint));
    guint start = 0, i = 0;
    double y = 0;
    const double eps = 1e-6;
    while (i < n) {
        const ImpEntry *e = &entries[i];
        if (i > start && e->break_before) {
            g_array_append_val(starts, start);
            start = i;
            y = e->repeat_height;
            continue;
        }
        double need = (i > start ? e->space_before : 0) + e->height;
        if (i == start || y + need <= avail + eps) {
            y += need;
            i++;
            continue;
        }
        guint j = i;
        while (j > start && entries[j - 1].keep_with_next)
            j--;
        if (j == start)
            j = i; /* nothing allowed: the kept run is taller than a page */
        g_array_append_val(starts, start);
        start = i = j;
        y = entries[j].repeat_height;
    }
    if (start < n || starts->len == 0)
        g_array_append_val(starts, start);
    return starts;
}
