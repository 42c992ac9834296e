/* test-paginate.c — unit tests of pagination (paginate.c) without fonts: hand-made entries
 * of known heights and keeps go on pages of known height, and the page breaks are checked:
 * filling, space dropped at the top of a page, widows and orphans (with a randomised check
 * of the rule over many paragraphs), keep-with-next chains (a heading with the first lines
 * of what follows), entries and kept runs taller than a page, forced breaks, an empty flow.
 */
#include <string.h>

#include "layout/layout-private.h"

/* n entries of height h, no space, no keeps. */
static GArray *flow_new(guint n, double h)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(ImpEntry));
    for (guint i = 0; i < n; i++) {
        ImpEntry e = { 0 };
        e.height = h;
        g_array_append_val(a, e);
    }
    return a;
}

static ImpEntry *entry(GArray *flow, guint i)
{
    return &g_array_index(flow, ImpEntry, i);
}

/* The pages' first entries as "0 3 6", for comparing. */
static char *paginate_str(GArray *flow, double avail)
{
    GArray *starts = imp__paginate((const ImpEntry *)(gpointer)flow->data, flow->len, avail);
    GString *s = g_string_new(NULL);
    for (guint p = 0; p < starts->len; p++)
        g_string_append_printf(s, "%s%u", p ? " " : "", g_array_index(starts, guint, p));
    g_array_free(starts, TRUE);
    return g_string_free(s, FALSE);
}

/* Asserts the page starts of `flow` on pages `avail` tall. */
#define assert_pages(flow, avail, expected)                                                 \
    do {                                                                                    \
        char *got_ = paginate_str(flow, avail);                                             \
        g_assert_cmpstr(got_, ==, expected);                                                \
        g_free(got_);                                                                       \
    } while (0)

/* Entries fill a page while they fit, exactly at the bottom too. */
static void test_fill(void)
{
    GArray *flow = flow_new(10, 10);
    assert_pages(flow, 35, "0 3 6 9");
    assert_pages(flow, 30, "0 3 6 9");
    assert_pages(flow, 1000, "0");
    g_array_free(flow, TRUE);
}

/* Space above an entry counts within a page and is dropped at a page's top. */
static void test_space_before(void)
{
    GArray *flow = flow_new(6, 10);
    for (guint i = 0; i < flow->len; i++)
        entry(flow, i)->space_before = 5;
    /* page 1: 10 + (5 + 10) = 25, a third would need 40; page 2 starts without its space */
    assert_pages(flow, 30, "0 2 4");
    /* at 40, three fit: 10 + 15 + 15 */
    assert_pages(flow, 40, "0 3");
    g_array_free(flow, TRUE);
}

/* The keeps of a paragraph's lines (imp__keep_lines): a break after line i is allowed only
 * with `orphans` lines before it and `widows` after it. */
static void test_keep_lines(void)
{
    GArray *flow = flow_new(5, 10);
    ImpEntry *e = (ImpEntry *)(gpointer)flow->data;
    imp__keep_lines(e, 5, FALSE, 2, 2);
    /* after line 0: 1 above; after 3: 1 below; after the last: the paragraph's end */
    gboolean want[] = { TRUE, FALSE, FALSE, TRUE, FALSE };
    for (guint i = 0; i < 5; i++)
        g_assert_cmpint(e[i].keep_with_next, ==, want[i]);
    imp__keep_lines(e, 5, TRUE, 2, 2);
    for (guint i = 0; i < 5; i++)
        g_assert_true(e[i].keep_with_next);
    /* a paragraph shorter than widows + orphans keeps all its lines together */
    imp__keep_lines(e, 3, FALSE, 2, 2);
    g_assert_true(e[0].keep_with_next && e[1].keep_with_next && !e[2].keep_with_next);
    g_array_free(flow, TRUE);
}

/* A widow (the last line of a paragraph alone at the top of a page) and an orphan (its
 * first line alone at the foot of one) are avoided by moving lines to the next page. */
static void test_widows_orphans(void)
{
    /* ten lines, eight fit: the break after line 8 would leave 2 below; with widows 3 it
       moves back to leave 3 */
    GArray *para = flow_new(10, 10);
    imp__keep_lines((ImpEntry *)(gpointer)para->data, 10, FALSE, 2, 2);
    assert_pages(para, 85, "0 8");
    imp__keep_lines((ImpEntry *)(gpointer)para->data, 10, FALSE, 3, 2);
    assert_pages(para, 85, "0 7");
    g_array_free(para, TRUE);

    /* seven single lines, then a paragraph of five: one line of it would fit on the first
       page, an orphan, so the paragraph starts the next page */
    GArray *flow = flow_new(12, 10);
    imp__keep_lines(entry(flow, 7), 5, FALSE, 2, 2);
    assert_pages(flow, 80, "0 7");
    /* with orphans 1 that line may stay */
    imp__keep_lines(entry(flow, 7), 5, FALSE, 2, 1);
    assert_pages(flow, 80, "0 8");
    g_array_free(flow, TRUE);
}

/* Random flows of paragraphs: wherever a page breaks inside a paragraph, at least
 * `orphans` of its lines are before the break and `widows` after it, no page is overfull,
 * and every line is on one page, in order. Holds whenever a page has room for
 * widows + orphans lines. */
static void test_widows_orphans_random(void)
{
    GRand *rand = g_rand_new_with_seed(9);
    for (int round = 0; round < 300; round++) {
        int widows = g_rand_int_range(rand, 1, 4), orphans = g_rand_int_range(rand, 1, 4);
        guint cap = (guint)g_rand_int_range(rand, widows + orphans, 20);
        GArray *flow = g_array_new(FALSE, TRUE, sizeof(ImpEntry));
        GArray *para_of = g_array_new(FALSE, FALSE, sizeof(guint)); /* entry → paragraph */
        GArray *line_of = g_array_new(FALSE, FALSE, sizeof(guint)); /* entry → its line */
        GArray *len_of = g_array_new(FALSE, FALSE, sizeof(guint));  /* paragraph → lines */
        guint n_paras = (guint)g_rand_int_range(rand, 1, 30);
        for (guint p = 0; p < n_paras; p++) {
            guint n = (guint)g_rand_int_range(rand, 1, 13);
            guint first = flow->len;
            g_array_set_size(flow, first + n);
            for (guint i = 0; i < n; i++) {
                entry(flow, first + i)->height = 10;
                g_array_append_val(para_of, p);
                g_array_append_val(line_of, i);
            }
            g_array_append_val(len_of, n);
            imp__keep_lines(entry(flow, first), n, FALSE, widows, orphans);
        }
        double avail = cap * 10.0;
        GArray *starts = imp__paginate((const ImpEntry *)(gpointer)flow->data, flow->len,
                                       avail);
        g_assert_cmpuint(g_array_index(starts, guint, 0), ==, 0);
        for (guint k = 0; k < starts->len; k++) {
            guint from = g_array_index(starts, guint, k);
            guint to = k + 1 < starts->len ? g_array_index(starts, guint, k + 1) : flow->len;
            g_assert_cmpuint(from, <, to);
            g_assert_cmpfloat((to - from) * 10.0, <=, avail + 1e-9);
            if (k == 0)
                continue;
            guint p = g_array_index(para_of, guint, from);
            if (from == 0 || g_array_index(para_of, guint, from - 1) != p)
                continue; /* the break falls between paragraphs */
            guint above = g_array_index(line_of, guint, from);
            guint below = g_array_index(len_of, guint, p) - above;
            g_assert_cmpuint(above, >=, (guint)orphans);
            g_assert_cmpuint(below, >=, (guint)widows);
        }
        g_array_free(starts, TRUE);
        g_array_free(flow, TRUE);
        g_array_free(para_of, TRUE);
        g_array_free(line_of, TRUE);
        g_array_free(len_of, TRUE);
    }
    g_rand_free(rand);
}

/* A chain of kept entries moves as one: a heading (its outline anchor, height 0, and its
 * line) kept with the first two lines of the paragraph after it does not stay at the foot
 * of a page without them. */
static void test_keep_chain(void)
{
    GArray *flow = flow_new(12, 10);
    /* entries 0-4 filler, 5 the anchor, 6 the heading, 7-11 the paragraph */
    entry(flow, 5)->height = 0;
    entry(flow, 5)->keep_with_next = TRUE;
    entry(flow, 6)->height = 20;
    entry(flow, 6)->keep_with_next = TRUE;
    imp__keep_lines(entry(flow, 7), 5, FALSE, 1, 1);
    entry(flow, 7)->keep_with_next = TRUE; /* the heading keeps with two lines */
    /* 50 of filler + heading 20 + one line = 80 fit; the second line does not: anchor,
       heading and both lines go to the next page */
    assert_pages(flow, 80, "0 5");
    /* with room for both lines they stay */
    assert_pages(flow, 90, "0 9");
    g_array_free(flow, TRUE);
}

/* An entry taller than a page gets a page of its own and the flow goes on; a run of kept
 * entries taller than a page breaks where it overflows. */
static void test_oversized(void)
{
    GArray *flow = flow_new(3, 10);
    entry(flow, 1)->height = 500;
    assert_pages(flow, 100, "0 1 2");
    entry(flow, 0)->height = 500;
    entry(flow, 1)->height = 10;
    assert_pages(flow, 100, "0 1");
    g_array_free(flow, TRUE);

    GArray *kept = flow_new(20, 10);
    for (guint i = 0; i < 20; i++)
        entry(kept, i)->keep_with_next = TRUE;
    assert_pages(kept, 55, "0 5 10 15");
    g_array_free(kept, TRUE);
}

/* A forced break starts a new page, but never an empty one. */
static void test_forced(void)
{
    GArray *flow = flow_new(5, 10);
    entry(flow, 2)->break_before = TRUE;
    assert_pages(flow, 1000, "0 2");
    entry(flow, 3)->break_before = TRUE;
    assert_pages(flow, 1000, "0 2 3");
    entry(flow, 0)->break_before = TRUE;
    assert_pages(flow, 1000, "0 2 3");
    /* a forced break overrides a keep */
    entry(flow, 1)->keep_with_next = TRUE;
    assert_pages(flow, 1000, "0 2 3");
    g_array_free(flow, TRUE);
}

/* An empty flow is one empty page. */
static void test_empty(void)
{
    GArray *flow = flow_new(0, 10);
    assert_pages(flow, 100, "0");
    g_array_free(flow, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/paginate/fill", test_fill);
    g_test_add_func("/paginate/space-before", test_space_before);
    g_test_add_func("/paginate/keep-lines", test_keep_lines);
    g_test_add_func("/paginate/widows-orphans", test_widows_orphans);
    g_test_add_func("/paginate/widows-orphans-random", test_widows_orphans_random);
    g_test_add_func("/paginate/keep-chain", test_keep_chain);
    g_test_add_func("/paginate/oversized", test_oversized);
    g_test_add_func("/paginate/forced", test_forced);
    g_test_add_func("/paginate/empty", test_empty);
    return g_test_run();
}
