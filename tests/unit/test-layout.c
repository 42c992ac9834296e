/* test-layout.c — unit tests of the layout stage's typography: the Knuth–Plass breaker on
 * hand-made boxes and glue (no fonts), then real paragraphs shaped with the pinned fonts:
 * Latin, Chinese and mixed text, kinsoku, punctuation compression, hyphenation and
 * Han–Latin gaps.
 *
 * Chinese test text comes from Debian packages, as cited where it is used.
 */
#include <math.h>
#include <string.h>

#include "layout/breaker.h"

/* ------------------------------------------------------------------------------------ */
/* Breaker on abstract items                                                            */
/* ------------------------------------------------------------------------------------ */

/* Builds a paragraph of words (box widths) separated by glue, ended by \parfillskip and a
 * forced break. */
static GArray *words_to_nodes(const double *words, guint n, double space, double stretch,
                              double shrink)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(ImpBrkNode));
    for (guint i = 0; i < n; i++) {
        if (i > 0) {
            ImpBrkNode g = { .type = IMP__BRK_GLUE, .width = space, .stretch = stretch,
                             .shrink = shrink };
            g_array_append_val(a, g);
        }
        ImpBrkNode b = { .type = IMP__BRK_BOX, .width = words[i], .offset = i };
        g_array_append_val(a, b);
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1 };
    ImpBrkNode end = { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF };
    g_array_append_val(a, fil);
    g_array_append_val(a, end);
    return a;
}

/* Demerits of one line with ratio r in the simplified model of these tests (no penalties,
 * no fitness or hyphen demerits). */
static double simple_demerits(double r)
{
    double bad = 100 * fabs(r) * fabs(r) * fabs(r);
    return (10 + bad) * (10 + bad);
}

/* Exhaustive search: the least total demerits over every set of breaks between words whose
 * lines are all feasible (-1 <= r <= tol), or INFINITY. `mask` bit i = break after word i. */
static double brute_force(const double *words, guint n, double space, double stretch,
                          double shrink, double measure, double tol, guint *best_mask)
{
    double best = INFINITY;
    for (guint mask = 0; mask < (1u << (n - 1)); mask++) {
        double total = 0;
        guint start = 0;
        gboolean ok = TRUE;
        for (guint i = 0; i < n && ok; i++) {
            gboolean last = i == n - 1;
            if (!last && !(mask & (1u << i)))
                continue;
            double w = 0;
            for (guint k = start; k <= i; k++)
                w += words[k] + (k > start ? space : 0);
            guint gaps = i - start;
            double r;
            if (last)
                r = w <= measure ? 0 : (gaps ? (measure - w) / (gaps * shrink) : -INFINITY);
            else if (w < measure)
                r = gaps ? (measure - w) / (gaps * stretch) : INFINITY;
            else
                r = w > measure ? (gaps ? (measure - w) / (gaps * shrink) : -INFINITY) : 0;
            if (r < -1 || r > tol)
                ok = FALSE;
            total += simple_demerits(r);
            start = i + 1;
        }
        if (ok && total < best)
            best = total, *best_mask = mask;
    }
    return best;
}

/* The break mask of the breaker's answer (bit i = a line ends after word i). */
static guint lines_to_mask(GArray *lines, GArray *nodes)
{
    guint mask = 0;
    for (guint k = 0; k + 1 < lines->len; k++) {
        guint end = g_array_index(lines, ImpBrkLine, k).end;
        /* the break is at a glue; the word before it is the box at end - 1 */
        mask |= 1u << g_array_index(nodes, ImpBrkNode, end - 1).offset;
    }
    return mask;
}

/* First-fit: put words on a line while they fit at natural width. */
static guint greedy_mask(const double *words, guint n, double space, double measure)
{
    guint mask = 0;
    double w = words[0];
    for (guint i = 1; i < n; i++) {
        if (w + space + words[i] <= measure) {
            w += space + words[i];
        } else {
            mask |= 1u << (i - 1);
            w = words[i];
        }
    }
    return mask;
}

/* A textbook case where total fit differs from first fit: first fit fills line 1 and leaves
 * line 2 very loose; total fit takes a word down so both lines are moderately loose. */
static void test_breaker_textbook(void)
{
    /* measure 10, spaces 1 stretching by 1: first fit sets "3 3 1" (ratio 1) and then
       "3 2" (ratio 4); total fit sets "3 3" (ratio 3) and "1 3 2" (ratio 1), whose
       demerits are six times smaller. The last line is "5" in both. */
    const double words[] = { 3, 3, 1, 3, 2, 5 };
    guint n = G_N_ELEMENTS(words);
    GArray *nodes = words_to_nodes(words, n, 1, 1, 0);
    ImpBrkParams p;
    imp__break_params_init(&p, 10, 10);
    p.fitness_demerits = 0;
    p.tolerance = 10;
    GArray *lines = imp__break_paragraph((const ImpBrkNode *)(gpointer)nodes->data,
                                         nodes->len, &p);
    guint mask = 0;
    double brute = brute_force(words, n, 1, 1, 0, 10, 10, &mask);
    g_assert_cmpuint(lines_to_mask(lines, nodes), ==, mask);
    g_assert_cmpuint(mask, ==, (1u << 1) | (1u << 4));
    g_assert_cmpuint(greedy_mask(words, n, 1, 10), !=, mask);
    g_assert_true(isfinite(brute));
    g_array_unref(lines);
    g_array_unref(nodes);
}

/* Random paragraphs: the breaker's total demerits equal the exhaustive minimum. */
static void test_breaker_optimal_random(void)
{
    GRand *rand = g_rand_new_with_seed(4);
    guint checked = 0, differs = 0;
    for (int round = 0; round < 400; round++) {
        guint n = (guint)g_rand_int_range(rand, 3, 12);
        double words[12];
        for (guint i = 0; i < n; i++)
            words[i] = g_rand_int_range(rand, 1, 7);
        double measure = g_rand_int_range(rand, 8, 16);
        GArray *nodes = words_to_nodes(words, n, 1, 0.5, 0.3);
        ImpBrkParams p;
        imp__break_params_init(&p, measure, measure);
        p.fitness_demerits = 0;
        p.tolerance = 3;
        guint mask = 0;
        double brute = brute_force(words, n, 1, 0.5, 0.3, measure, 3, &mask);
        GArray *lines = imp__break_paragraph((const ImpBrkNode *)(gpointer)nodes->data,
                                             nodes->len, &p);
        g_assert_nonnull(lines);
        if (isfinite(brute)) {
            double total = 0;
            for (guint k = 0; k < lines->len; k++)
                total += simple_demerits(g_array_index(lines, ImpBrkLine, k).ratio);
            g_assert_cmpfloat_with_epsilon(total, brute, 1e-6 * brute);
            checked++;
            if (lines_to_mask(lines, nodes) != greedy_mask(words, n, 1, measure))
                differs++;
        }
        g_array_unref(lines);
        g_array_unref(nodes);
    }
    g_assert_cmpuint(checked, >, 100);
    g_assert_cmpuint(differs, >, 0);
    g_rand_free(rand);
}

/* A box wider than the measure is set overfull on its own line; nothing is lost and the
 * lines around it are still found. */
static void test_breaker_overfull(void)
{
    const double words[] = { 3, 3, 25, 3, 3 };
    GArray *nodes = words_to_nodes(words, G_N_ELEMENTS(words), 1, 1, 0.3);
    ImpBrkParams p;
    imp__break_params_init(&p, 10, 10);
    GArray *lines = imp__break_paragraph((const ImpBrkNode *)(gpointer)nodes->data,
                                         nodes->len, &p);
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_false(g_array_index(lines, ImpBrkLine, 0).overfull);
    g_assert_true(g_array_index(lines, ImpBrkLine, 1).overfull);
    g_assert_false(g_array_index(lines, ImpBrkLine, 2).overfull);
    g_array_unref(lines);
    g_array_unref(nodes);
}

/* Runs of boxes with only emergency breaks (no stretch at all) fill each line as far as it
 * goes (loose lines, not overfull ones), in linear time. */
static void test_breaker_no_glue_linear(void)
{
    guint n = 2000000;
    GArray *nodes = g_array_sized_new(FALSE, TRUE, sizeof(ImpBrkNode), 2 * n + 2);
    for (guint i = 0; i < n; i++) {
        ImpBrkNode b = { .type = IMP__BRK_BOX, .width = 1, .offset = i };
        ImpBrkNode pen = { .type = IMP__BRK_PENALTY, .penalty = 1000 };
        g_array_append_val(nodes, b);
        if (i + 1 < n)
            g_array_append_val(nodes, pen);
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1 };
    ImpBrkNode end = { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF };
    g_array_append_val(nodes, fil);
    g_array_append_val(nodes, end);
    ImpBrkParams p;
    imp__break_params_init(&p, 60.5, 60.5);
    gint64 t0 = g_get_monotonic_time();
    GArray *lines = imp__break_paragraph((const ImpBrkNode *)(gpointer)nodes->data,
                                         nodes->len, &p);
    gint64 dt = g_get_monotonic_time() - t0;
    g_assert_cmpuint(lines->len, ==, (n + 59) / 60);
    for (guint k = 0; k < lines->len; k++)
        g_assert_false(g_array_index(lines, ImpBrkLine, k).overfull);
    g_assert_cmpint(dt, <, 10 * G_USEC_PER_SEC);
    g_array_unref(lines);
    g_array_unref(nodes);
}

/* Consecutive hyphenated lines are limited to two. */
static void test_breaker_hyphen_run(void)
{
    /* words of 9 units in two halves of 4 and 5 with a hyphen point between; the measure
       (11) makes breaking at every hyphen tempting */
    GArray *a = g_array_new(FALSE, TRUE, sizeof(ImpBrkNode));
    for (guint i = 0; i < 12; i++) {
        if (i > 0) {
            ImpBrkNode g = { .type = IMP__BRK_GLUE, .width = 1, .stretch = 1, .shrink = 0.3 };
            g_array_append_val(a, g);
        }
        ImpBrkNode h1 = { .type = IMP__BRK_BOX, .width = 4 };
        ImpBrkNode hy = { .type = IMP__BRK_PENALTY, .width = 0.5, .penalty = 50,
                          .flagged = TRUE };
        ImpBrkNode h2 = { .type = IMP__BRK_BOX, .width = 5 };
        g_array_append_val(a, h1);
        g_array_append_val(a, hy);
        g_array_append_val(a, h2);
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1 };
    ImpBrkNode end = { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF };
    g_array_append_val(a, fil);
    g_array_append_val(a, end);
    ImpBrkParams p;
    imp__break_params_init(&p, 15, 15);
    p.flagged_demerits = 0;
    GArray *lines = imp__break_paragraph((const ImpBrkNode *)(gpointer)a->data, a->len, &p);
    int run = 0, max_run = 0, hyphens = 0;
    for (guint k = 0; k < lines->len; k++) {
        gboolean h = g_array_index(lines, ImpBrkLine, k).hyphen;
        hyphens += h;
        run = h ? run + 1 : 0;
        max_run = MAX(max_run, run);
    }
    g_assert_cmpint(hyphens, >, 0);
    g_assert_cmpint(max_run, <=, 2);
    g_array_unref(lines);
    g_array_unref(a);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/breaker/textbook", test_breaker_textbook);
    g_test_add_func("/breaker/optimal-random", test_breaker_optimal_random);
    g_test_add_func("/breaker/overfull", test_breaker_overfull);
    g_test_add_func("/breaker/no-glue-linear", test_breaker_no_glue_linear);
    g_test_add_func("/breaker/hyphen-run", test_breaker_hyphen_run);
    return g_test_run();
}
