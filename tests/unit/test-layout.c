/* test-layout.c — unit tests of the layout stage's typography: the Knuth–Plass breaker on
 * hand-made boxes and glue (no fonts), then real paragraphs shaped with the pinned fonts:
 * Latin, Chinese and mixed text, kinsoku, punctuation compression, hyphenation and
 * Han–Latin gaps; then whole layouts: finished pages that reading does not change, what
 * each item says of its block and of page furniture, running heads shared between pages,
 * a font configuration Pango cannot use, and running-head templates.
 *
 * Chinese test text comes from Debian packages, as cited where it is used.
 */
#include <math.h>
#include <string.h>

#include "layout/breaker.h"
#include "layout/layout-private.h"
#include "util/error.h"

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

/* A box with a break before it (break_before) breaks as a penalty of width 0 before the
 * box would: the same lines, starting at the same boxes, with the same ratios. */
static void test_breaker_break_before(void)
{
    guint n = 3000;
    GArray *two = g_array_new(FALSE, TRUE, sizeof(ImpBrkNode));
    GArray *one = g_array_new(FALSE, TRUE, sizeof(ImpBrkNode));
    for (guint i = 0; i < n; i++) {
        double w = 1 + (i * 7919 % 13) / 4.0; /* widths 1 to 4, irregular */
        gboolean space = i % 11 == 10;
        if (i > 0 && space) {
            ImpBrkNode g = { .type = IMP__BRK_GLUE, .width = 1, .stretch = 0.5, .shrink = 0.3 };
            g_array_append_val(two, g);
            g_array_append_val(one, g);
        }
        ImpBrkNode b = { .type = IMP__BRK_BOX, .width = w, .offset = i };
        if (i > 0 && !space) {
            ImpBrkNode pen = { .type = IMP__BRK_PENALTY, .penalty = 5000 };
            g_array_append_val(two, pen);
            b.break_before = TRUE;
            b.penalty = 5000;
            g_array_append_val(one, b);
            b.break_before = FALSE;
            b.penalty = 0;
        } else {
            g_array_append_val(one, b);
        }
        g_array_append_val(two, b);
    }
    ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1 };
    ImpBrkNode end = { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF };
    g_array_append_val(two, fil);
    g_array_append_val(two, end);
    g_array_append_val(one, fil);
    g_array_append_val(one, end);
    ImpBrkParams p;
    imp__break_params_init(&p, 40, 37);
    GArray *a = imp__break_paragraph((const ImpBrkNode *)(gpointer)two->data, two->len, &p);
    GArray *b = imp__break_paragraph((const ImpBrkNode *)(gpointer)one->data, one->len, &p);
    g_assert_cmpuint(a->len, >, 50);
    g_assert_cmpuint(a->len, ==, b->len);
    for (guint k = 0; k < a->len; k++) {
        const ImpBrkLine *la = &g_array_index(a, ImpBrkLine, k);
        const ImpBrkLine *lb = &g_array_index(b, ImpBrkLine, k);
        g_assert_cmpuint(g_array_index(two, ImpBrkNode, la->start).offset, ==,
                         g_array_index(one, ImpBrkNode, lb->start).offset);
        g_assert_cmpfloat(la->ratio, ==, lb->ratio);
        g_assert_cmpint(la->overfull, ==, lb->overfull);
    }
    g_array_unref(a);
    g_array_unref(b);
    g_array_unref(one);
    g_array_unref(two);
}

/* Whether two breaker results are the same lines. */
static void assert_same_lines(GArray *a, GArray *b)
{
    g_assert_cmpuint(a->len, ==, b->len);
    for (guint k = 0; k < a->len; k++) {
        const ImpBrkLine *la = &g_array_index(a, ImpBrkLine, k);
        const ImpBrkLine *lb = &g_array_index(b, ImpBrkLine, k);
        g_assert_cmpuint(la->start, ==, lb->start);
        g_assert_cmpuint(la->end, ==, lb->end);
        g_assert_cmpfloat(la->ratio, ==, lb->ratio);
        g_assert_cmpint(la->loose, ==, lb->loose);
        g_assert_cmpint(la->overfull, ==, lb->overfull);
    }
}

/* Cleaning the pool of dead breaks (collect_garbage, every few breaks here) changes no
 * line: periodic words (many equal ways through, the case that keeps most breaks alive),
 * and words too long for the measure (loose lines, the rescue that restarts from an old
 * break). */
static void test_breaker_gc(void)
{
    for (int kind = 0; kind < 2; kind++) {
        GArray *a = g_array_new(FALSE, TRUE, sizeof(ImpBrkNode));
        for (guint i = 0; i < 20000; i++) {
            gboolean space = kind == 0 ? i % 2 == 1 : i % 97 == 96;
            if (space) {
                ImpBrkNode g = { .type = IMP__BRK_GLUE, .width = 1, .stretch = 0.5,
                                 .shrink = 0.3 };
                g_array_append_val(a, g);
                continue;
            }
            ImpBrkNode b = { .type = IMP__BRK_BOX, .width = kind == 0 ? 2 : 1 + i % 3,
                             .offset = i };
            if (kind == 1 && i % 97 != 0) {
                b.break_before = TRUE;
                b.penalty = 5000;
            }
            g_array_append_val(a, b);
        }
        ImpBrkNode fil = { .type = IMP__BRK_GLUE, .fil = 1 };
        ImpBrkNode end = { .type = IMP__BRK_PENALTY, .penalty = -IMP__BRK_INF };
        g_array_append_val(a, fil);
        g_array_append_val(a, end);
        ImpBrkParams p;
        imp__break_params_init(&p, 61, 59);
        p.gc_min = G_MAXUINT;
        GArray *never = imp__break_paragraph((const ImpBrkNode *)(gpointer)a->data, a->len, &p);
        p.gc_min = 8;
        GArray *often = imp__break_paragraph((const ImpBrkNode *)(gpointer)a->data, a->len, &p);
        g_assert_cmpuint(never->len, >, 100);
        assert_same_lines(never, often);
        g_array_unref(never);
        g_array_unref(often);
        g_array_unref(a);
    }
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


/* ------------------------------------------------------------------------------------ */
/* Real paragraphs with the pinned fonts                                                */
/* ------------------------------------------------------------------------------------ */

/* From manpages-zh (Debian), ls(1), section 描述 and the --block-size, -c options, with
   the roff markup removed: Chinese prose with Latin options inside. */
static const char *const zh_ls =
    "列出指定“文件”（默认为当前目录）的信息。如果既没有指定-cftuvSUX中任何一个，也没有指定"
    "--sort，则按字母排序项目。必选参数对长短选项同时适用。与-l同时使用时，打印文件大小前将其"
    "除以指定的块大小；例如：“--block-size=M”；参见下方的“大小”格式。与-lt一起使用时：按照"
    "ctime排序，并显示ctime（文件状态信息最后变更的时间）；与-l一起使用时：显示ctime并按照名称"
    "排序；其它情况：按照ctime排序，最新的最前。";

static const char *const en_text =
    "Jiang pointed out that it is necessary to fully understand the significance of the "
    "special campaign, which is an important arrangement of the CPC Central Committee and "
    "the State Council facing the new situation and new tasks, demonstrating our "
    "determination and confidence of protecting intellectual property, and maintaining "
    "market order. See https://www.mofcom.gov.cn/article/ae/ai/201302/20130200023930.shtml "
    "for the announcement of 1,234,567 representatives.";

typedef struct {
    ImpFonts *fonts;
    ImpStyle *style;
    ImpHyphenator *hyph;
} Fixture;

/* Fonts from imprint's own fonts.conf and the default style; skips when the style module
   cannot load it. */
static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    GError *error = NULL;
    f->fonts = imp_fonts_new(IMP_SOURCE_DIR "/fonts/fonts.conf", &error);
    g_assert_no_error(error);
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    f->style = imp_style_load("default", dirs, NULL, &error);
    g_assert_no_error(error);
    f->hyph = imp__hyphenator_new("/usr/share/hyphen");
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    imp__hyphenator_free(f->hyph);
    imp_style_free(f->style);
    imp_fonts_free(f->fonts);
}

/* Sets text as a body paragraph `width` points wide. */
static GPtrArray *set_para(Fixture *f, const char *text, double width, ImpAlign align,
                           gboolean hyphenate, const char *lang)
{
    const ImpRoleStyle *rs = imp_style_get_role(f->style, IMP_ROLE_BODY);
    const ImpDocumentStyle *ds = imp_style_get_document(f->style);
    gsize len = strlen(text);
    PangoAttrList *attrs = imp__shape_attrs(f->style, IMP_ROLE_BODY, text, len, lang, NULL);
    ImpParaSpec spec = { 0 };
    spec.width = width;
    spec.size = rs->size;
    spec.align = align;
    spec.hyphenate = hyphenate;
    spec.lang = lang;
    spec.han_latin_gap = ds->han_latin_gap;
    spec.max_stretch = ds->max_stretch;
    spec.hyphenator = f->hyph;
    GPtrArray *lines = imp__para_set(imp_fonts_get_context(f->fonts), text, len, attrs, &spec);
    pango_attr_list_unref(attrs);
    return lines;
}

/* Width of a set line: its runs' glyph advances (the hyphen not included). */
static double line_width(const ImpParaLine *pl)
{
    double w = 0;
    for (guint i = 0; i < pl->line.n_runs; i++) {
        PangoGlyphItem *gi = imp_glyph_line_dup_run(&pl->line, i);
        w += pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
        pango_glyph_item_free(gi);
    }
    return w;
}

/* Width of a line without the white space hanging at its end. */
static double line_ink_width(const ImpParaLine *pl)
{
    double w = line_width(pl);
    for (int i = (int)pl->line.n_runs - 1; i >= 0; i--) {
        PangoGlyphItem *gi = imp_glyph_line_dup_run(&pl->line, (guint)i);
        for (int g = gi->glyphs->num_glyphs - 1; g >= 0; g--) {
            char c = pl->line.text[gi->item->offset + gi->glyphs->log_clusters[g]];
            if (c != ' ') {
                pango_glyph_item_free(gi);
                return w;
            }
            w -= gi->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        }
        pango_glyph_item_free(gi);
    }
    return w;
}

/* The lines tile the text: no character lost or repeated. */
static void assert_tiles(GPtrArray *lines, const char *text)
{
    gsize at = 0;
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        g_assert_cmpuint(pl->start, ==, at);
        g_assert_cmpuint(pl->end, >=, pl->start);
        /* the runs cover the line's bytes exactly */
        gsize run_at = pl->start;
        for (guint k = 0; k < pl->line.n_runs; k++) {
            const ImpGlyphRun *r = &pl->line.runs[k];
            g_assert_cmpuint(r->offset, ==, run_at);
            run_at += r->length;
        }
        g_assert_cmpuint(run_at, ==, pl->end);
        at = pl->end;
    }
    g_assert_cmpuint(at, ==, strlen(text));
}

/* The first character of a line and the last non-space one. */
static void line_ends(const ImpParaLine *pl, gunichar *first, gunichar *last)
{
    const char *t = pl->line.text;
    *first = g_utf8_get_char(t + pl->start);
    const char *p = t + pl->end;
    do
        p = g_utf8_prev_char(p);
    while (p > t + pl->start && *p == ' ');
    *last = g_utf8_get_char(p);
}

/* Latin justified: every character kept, every line but the last exactly the measure,
   hyphens only in words, never in the URL or the number. */
static void test_para_latin(Fixture *f, gconstpointer data)
{
    (void)data;
    GPtrArray *lines = set_para(f, en_text, 200, IMP_ALIGN_JUSTIFY, TRUE, "en");
    g_assert_cmpuint(lines->len, >, 4);
    assert_tiles(lines, en_text);
    guint hyphens = 0;
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        if (i + 1 < lines->len && !pl->overfull) {
            double extra = pl->line.hyphen ? pango_glyph_string_get_width(pl->line.hyphen) /
                                                 (double)PANGO_SCALE : 0;
            g_assert_cmpfloat_with_epsilon(line_ink_width(pl) + extra, 200, 0.05);
        }
        if (pl->line.hyphen != NULL) {
            hyphens++;
            /* the break is inside a word of letters */
            gunichar before = g_utf8_get_char(g_utf8_prev_char(en_text + pl->end));
            gunichar after = g_utf8_get_char(en_text + pl->end);
            g_assert_true(g_unichar_isalpha(before) && g_unichar_isalpha(after));
            g_assert_null(strstr(en_text + pl->start, "https") == en_text + pl->end ? "x" : NULL);
        }
    }
    g_ptr_array_unref(lines);
    /* a narrow measure forces hyphenation; the URL must then break without a hyphen */
    lines = set_para(f, en_text, 120, IMP_ALIGN_JUSTIFY, TRUE, "en");
    assert_tiles(lines, en_text);
    const char *url = strstr(en_text, "https");
    const char *url_end = strchr(url, ' ');
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        if (pl->line.hyphen != NULL) {
            hyphens++;
            g_assert_false(en_text + pl->end > url && en_text + pl->end < url_end);
        }
    }
    g_assert_cmpuint(hyphens, >, 0);
    g_ptr_array_unref(lines);
    /* hyphenate=FALSE: no hyphens at all */
    lines = set_para(f, en_text, 120, IMP_ALIGN_JUSTIFY, FALSE, "en");
    for (guint i = 0; i < lines->len; i++)
        g_assert_null(((const ImpParaLine *)lines->pdata[i])->line.hyphen);
    g_ptr_array_unref(lines);
}

/* Chinese with Latin options: every character kept; kinsoku holds; justified lines are the
   measure exactly. */
static void test_para_chinese(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *closing = "，。、；：？！）」』》”’";
    const char *opening = "（「『《“‘";
    for (double width = 150; width <= 330; width += 7.5) {
        GPtrArray *lines = set_para(f, zh_ls, width, IMP_ALIGN_JUSTIFY, TRUE, "zh-Hans");
        assert_tiles(lines, zh_ls);
        for (guint i = 0; i < lines->len; i++) {
            const ImpParaLine *pl = lines->pdata[i];
            gunichar first, last;
            line_ends(pl, &first, &last);
            char fb[8] = { 0 }, lb[8] = { 0 };
            g_unichar_to_utf8(first, fb);
            g_unichar_to_utf8(last, lb);
            if (i > 0)
                g_assert_null(strstr(closing, fb));
            if (i + 1 < lines->len)
                g_assert_null(strstr(opening, lb));
            g_assert_false(pl->overfull);
            if (i + 1 < lines->len)
                g_assert_cmpfloat_with_epsilon(line_ink_width(pl), width, 0.05);
        }
        g_ptr_array_unref(lines);
    }
}

/* Quotation marks beside Chinese text break as brackets do (UAX #14 LB19a): a line may
   start with an opening mark that follows Chinese text, never end with it, and the quoted
   run is not one unbreakable block. Text from debian-reference-zh-cn (ch02). */
static void test_para_cjk_quotes(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *text = "使用 Google 搜索，在关键字中包含“site:debian.org”，"
                       "“site:wiki.debian.org”，“site:lists.debian.org”等等。";
    guint starts_with_quote = 0;
    for (double width = 150; width <= 330; width += 7.5) {
        GPtrArray *lines = set_para(f, text, width, IMP_ALIGN_JUSTIFY, TRUE, "zh-Hans");
        assert_tiles(lines, text);
        for (guint i = 0; i < lines->len; i++) {
            gunichar first, last;
            line_ends(lines->pdata[i], &first, &last);
            if (i + 1 < lines->len)
                g_assert_cmpuint(last, !=, 0x201C);
            if (i > 0) {
                g_assert_cmpuint(first, !=, 0x201D);
                g_assert_cmpuint(first, !=, 0xFF0C);
                starts_with_quote += first == 0x201C;
            }
            g_assert_false(((const ImpParaLine *)lines->pdata[i])->overfull);
        }
        g_ptr_array_unref(lines);
    }
    g_assert_cmpuint(starts_with_quote, >, 0);
}

/* Width of the cluster of the character at byte `off` in the set lines. */
static double char_advance(GPtrArray *lines, gsize off)
{
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        for (guint k = 0; k < pl->line.n_runs; k++) {
            PangoGlyphItem *gi = imp_glyph_line_dup_run(&pl->line, k);
            double w = 0;
            for (int g = 0; g < gi->glyphs->num_glyphs; g++)
                if ((gsize)(gi->item->offset + gi->glyphs->log_clusters[g]) == off)
                    w += gi->glyphs->glyphs[g].geometry.width / (double)PANGO_SCALE;
            pango_glyph_item_free(gi);
            if (w != 0)
                return w;
        }
    }
    return 0;
}

/* "）。" and "。」" take 1.5 em, not 2; an opening bracket after another loses its left
   half; a lone mark keeps its full em. */
static void test_para_compression(Fixture *f, gconstpointer data)
{
    (void)data;
    double em = imp_style_get_role(f->style, IMP_ROLE_BODY)->size;
    const char *text = "目录（默认）。他说：「好。」又（（注";
    GPtrArray *lines = set_para(f, text, 1000, IMP_ALIGN_LEFT, FALSE, "zh-Hans");
    const char *p = strstr(text, "）。");
    double pair = char_advance(lines, (gsize)(p - text)) +
                  char_advance(lines, (gsize)(p - text) + 3);
    g_assert_cmpfloat_with_epsilon(pair, 1.5 * em, 0.01);
    p = strstr(text, "。」");
    pair = char_advance(lines, (gsize)(p - text)) + char_advance(lines, (gsize)(p - text) + 3);
    g_assert_cmpfloat_with_epsilon(pair, 1.5 * em, 0.01);
    p = strstr(text, "（（");
    pair = char_advance(lines, (gsize)(p - text)) + char_advance(lines, (gsize)(p - text) + 3);
    g_assert_cmpfloat_with_epsilon(pair, 1.5 * em, 0.01);
    p = strstr(text, "（默");
    g_assert_cmpfloat_with_epsilon(char_advance(lines, (gsize)(p - text)), em, 0.01);
    g_ptr_array_unref(lines);
}

/* Han–Latin gap: a quarter em added after the Han character before Latin and after the
   Latin letter before Han; a source space there becomes the gap (not gap + space). */
static void test_para_han_latin_gap(Fixture *f, gconstpointer data)
{
    (void)data;
    double em = imp_style_get_role(f->style, IMP_ROLE_BODY)->size;
    double gap = imp_style_get_document(f->style)->han_latin_gap * em;
    const char *text = "使用GNU工具 和 ls 命令";
    GPtrArray *lines = set_para(f, text, 1000, IMP_ALIGN_LEFT, FALSE, "zh-Hans");
    g_assert_cmpuint(lines->len, ==, 1);
    /* 用 is followed by G: its advance is 1 em + gap */
    g_assert_cmpfloat_with_epsilon(char_advance(lines, strstr(text, "用") - text), em + gap,
                                   0.01);
    /* U (before 工) gets the gap too: compare with an unspaced U inside the word */
    double u = char_advance(lines, strstr(text, "U") - text);
    double n = char_advance(lines, strstr(text, "N") - text);
    g_assert_cmpfloat(u, >, gap);
    (void)n;
    /* the spaces between 具/和, 和/l and s/命: the first is Han–Han (an ordinary space),
       the others are Han–Latin gaps of exactly `gap` */
    const char *sp2 = strstr(text, "和 ") + strlen("和");
    const char *sp3 = strstr(text, "ls ") + 2;
    g_assert_cmpfloat_with_epsilon(char_advance(lines, sp2 - text), gap, 0.01);
    g_assert_cmpfloat_with_epsilon(char_advance(lines, sp3 - text), gap, 0.01);
    g_ptr_array_unref(lines);
}

/* Hyphenation points from libhyphen's en_US patterns, and none for short words. */
static void test_hyphen_points(Fixture *f, gconstpointer data)
{
    (void)data;
    guint8 pts[16] = { 0 };
    g_assert_true(imp__hyphenator_hyphenate(f->hyph, "en", "significance", 12, 12, pts));
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < 12; k++) {
        if (pts[k])
            g_string_append_c(s, '-');
        g_string_append_c(s, "significance"[k]);
    }
    g_assert_cmpstr(s->str, ==, "sig-nif-i-cance");
    g_string_free(s, TRUE);
    memset(pts, 0, sizeof pts);
    g_assert_false(imp__hyphenator_hyphenate(f->hyph, "en", "four", 4, 4, pts));
    g_assert_false(imp__hyphenator_hyphenate(f->hyph, "xx", "significance", 12, 12, pts));
}

/* 200 KB of Chinese without punctuation and 200 KB of Latin without a space set in well
   under the time a quadratic algorithm would need, with nothing lost. */
static void test_para_huge(Fixture *f, gconstpointer data)
{
    (void)data;
    GString *zh = g_string_new(NULL), *en = g_string_new(NULL);
    while (zh->len < 200000)
        g_string_append(zh, "列出指定文件默认为当前目录的信息如果既没有指定任何一个");
    while (en->len < 200000)
        g_string_append(en, "abcdefghijklmnopqrstuvwxyz");
    gint64 t0 = g_get_monotonic_time();
    GPtrArray *lines = set_para(f, zh->str, 300, IMP_ALIGN_JUSTIFY, TRUE, "zh-Hans");
    assert_tiles(lines, zh->str);
    g_ptr_array_unref(lines);
    lines = set_para(f, en->str, 300, IMP_ALIGN_JUSTIFY, TRUE, "en");
    assert_tiles(lines, en->str);
    for (guint i = 0; i < lines->len; i++)
        g_assert_false(((const ImpParaLine *)lines->pdata[i])->overfull);
    g_ptr_array_unref(lines);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 20 * G_USEC_PER_SEC);
    g_string_free(zh, TRUE);
    g_string_free(en, TRUE);
}

/* The glyphs of all lines of a paragraph. */
static guint count_glyphs(GPtrArray *lines)
{
    guint n = 0;
    for (guint i = 0; i < lines->len; i++) {
        const ImpParaLine *pl = lines->pdata[i];
        for (guint k = 0; k < pl->line.n_runs; k++)
            n += pl->line.runs[k].n_glyphs;
    }
    return n;
}

/* Paragraphs shaped in pieces: an item over 64 KiB (cut at spaces), a run of 3,000 marks
 * (cut every 30, the stream-safe limit), a Hebrew one right to left. Every character stays,
 * in one glyph each where the font has one per character, and the lines tile the text. */
static void test_para_pieces(Fixture *f, gconstpointer data)
{
    (void)data;
    GString *words = g_string_new(NULL);
    while (words->len < 200000)
        g_string_append(words, "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ");
    GPtrArray *lines = set_para(f, words->str, 300, IMP_ALIGN_JUSTIFY, TRUE, "en");
    assert_tiles(lines, words->str);
    g_assert_cmpuint(count_glyphs(lines), ==, g_utf8_strlen(words->str, -1));
    g_ptr_array_unref(lines);
    g_string_free(words, TRUE);

    const char *marks[] = { "\xcc\x81", "\xd6\xb0" }; /* U+0301 after x, U+05B0 after alef */
    const char *base[] = { "x", "\xd7\x90" };
    for (int m = 0; m < 2; m++) {
        GString *t = g_string_new("One letter ");
        g_string_append(t, base[m]);
        for (int i = 0; i < 3000; i++)
            g_string_append(t, marks[m]);
        g_string_append(t, " and the end.");
        lines = set_para(f, t->str, 300, IMP_ALIGN_JUSTIFY, TRUE, "en");
        assert_tiles(lines, t->str);
        g_assert_cmpuint(count_glyphs(lines), ==, g_utf8_strlen(t->str, -1));
        g_ptr_array_unref(lines);
        g_string_free(t, TRUE);
    }
}

/* A word over 100 letters is not hyphenated (MAX_HYPHEN_WORD). In a measure wider than the
 * word, after a short line that would be too loose: a word of 98 letters is hyphenated to
 * fill that line, one of 112 is not (the line stays loose). */
static void test_para_no_hyphen_long_word(Fixture *f, gconstpointer data)
{
    (void)data;
    for (int reps = 7; reps <= 8; reps++) { /* 98 letters, then 112 */
        GString *t = g_string_new("Some ordinary words stand in front of it: ");
        for (int i = 0; i < reps; i++)
            g_string_append(t, "representation");
        g_string_append(t, " and after it.");
        GPtrArray *lines = set_para(f, t->str, 620, IMP_ALIGN_JUSTIFY, TRUE, "en");
        assert_tiles(lines, t->str);
        guint hyphens = 0;
        for (guint i = 0; i < lines->len; i++)
            hyphens += ((const ImpParaLine *)lines->pdata[i])->line.hyphen != NULL;
        if (reps == 7)
            g_assert_cmpuint(hyphens, >, 0);
        else
            g_assert_cmpuint(hyphens, ==, 0);
        g_ptr_array_unref(lines);
        g_string_free(t, TRUE);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Whole layouts                                                                        */
/* ------------------------------------------------------------------------------------ */

/* A paragraph of the bundled speech (examples/speech.txt), repeated in the test document
 * so that it runs to several pages. */
static const char speech_para[] =
    "Jiang stressed that it is necessary to focus on the issues of system and mechanism "
    "exposed in the special campaign, and push forward improving regulations, policies and "
    "systems according to the unified arrangement of the State Council, so as to establish "
    "a long-term mechanism and management system for IPR protection. And we shall give full "
    "play to the role of enterprises in self-discipline, and E-commerce enterprises should "
    "assume the social responsibility in creating an environment for good-faith business.";

/* A document of every kind of block the layout sets: a title, a heading, paragraphs, a
 * list, a page break and a notice, with the metadata of a site's page. */
static ImpDocument *test_document(void)
{
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_TITLE, "Vice Minister Jiang delivered a speech");
    imp_document_set_meta(doc, IMP_META_SECTION, "Speeches");
    imp_document_set_meta(doc, IMP_META_SITE, "MOFCOM");
    imp_document_set_meta(doc, IMP_META_SITE_EXTRA, "简体中文版");
    imp_document_set_meta(doc, IMP_META_SOURCE, "Source: Ministry of Commerce Website");
    imp_document_set_meta(doc, IMP_META_SOURCE_FILE, "test.txt");
    ImpBlock *b = imp_document_append_block(doc, IMP_BLOCK_TITLE, 1);
    imp_block_append_text(b, "Vice Minister Jiang delivered a speech", -1);
    b = imp_document_append_block(doc, IMP_BLOCK_HEADING, 3);
    imp_block_set_level(b, 1);
    imp_block_append_text(b, "Cracking down IPR infringement", -1);
    for (guint i = 0; i < 14; i++) {
        b = imp_document_append_block(doc, IMP_BLOCK_PARAGRAPH, 5 + i);
        imp_block_append_text(b, speech_para, -1);
    }
    const char *items[] = { "Ministry of Industry and Information Technology",
                            "Ministry of Public Security", "the People's Bank of China" };
    for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
        b = imp_document_append_block(doc, IMP_BLOCK_LIST_ITEM, 20 + i);
        imp_block_set_list_depth(b, 1);
        imp_block_set_marker(b, "•");
        imp_block_append_text(b, items[i], -1);
    }
    imp_document_append_block(doc, IMP_BLOCK_PAGE_BREAK, 24);
    b = imp_document_append_block(doc, IMP_BLOCK_PARAGRAPH, 25);
    imp_block_append_text(b, speech_para, -1);
    b = imp_document_append_block(doc, IMP_BLOCK_NOTICE, 27);
    imp_block_set_level(b, 1);
    imp_block_append_text(b, "Ministry of Commerce Website Copyright and Disclaimer Statement",
                          -1);
    b = imp_document_append_block(doc, IMP_BLOCK_NOTICE, 29);
    imp_block_append_text(b, "All articles marked with \"Article type: Original\" are "
                          "copyrighted by this Website.", -1);
    return doc;
}

/* The mofcom style with its notice on every page. */
static ImpStyle *test_style(void)
{
    const char *dirs[] = { IMP_SOURCE_DIR "/styles", NULL };
    const char *sets[] = { "notice.placement=every-page", NULL };
    GError *error = NULL;
    ImpStyle *style = imp_style_load("mofcom", dirs, sets, &error);
    g_assert_no_error(error);
    return style;
}

static void count_report(ImpDiagLevel level, const char *file, guint line, const char *message,
                         gpointer user_data)
{
    (void)level, (void)file, (void)line, (void)message;
    (*(guint *)user_data)++;
}

/* The items of a layout: finished at imp__layout_new(), the same at every read, in any
 * order; each says its block (a body line's text is its block's, every byte of a block's
 * text is in its lines) or that it is furniture (masthead, rules, running heads: artifacts
 * of no block; the every-page notice: repeated artifacts of its block); list markers are
 * marked; running heads that read alike on several pages are one line. */
static void test_layout_items(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpDocument *doc = test_document();
    ImpStyle *style = test_style();
    guint reports = 0;
    ImpDiag diag = { count_report, &reports };
    ImpLayoutOptions opt;
    imp__layout_options_init(&opt);
    opt.diag = &diag;
    GError *error = NULL;
    ImpLayout *lay = imp__layout_new(doc, style, f->fonts, &opt, &error);
    g_assert_no_error(error);
    guint n_pages = imp_layout_get_n_pages(lay);
    g_assert_cmpuint(n_pages, >=, 3);
    const ImpPageStyle *ps = imp_style_get_page(style);
    guint n_blocks = imp_document_get_n_blocks(doc);
    gsize *bytes = g_new0(gsize, n_blocks);    /* per block: bytes of it in lines */
    guint markers = 0, anchors = 0, masthead = 0;
    const ImpGlyphLine *title_head = NULL;     /* the header's right slot, {title} */
    const ImpGlyphLine *prev_number = NULL;    /* the footer's right slot, Page N of M */
    guint notice_items = G_MAXUINT;
    /* pages in reverse order: nothing depends on reading them in order */
    for (guint p = n_pages; p-- > 0;) {
        guint n, n2;
        const ImpItem *items = imp_layout_get_items(lay, p, &n);
        const ImpItem *again = imp_layout_get_items(lay, p, &n2);
        g_assert_true(items == again);
        g_assert_cmpuint(n, ==, n2);
        guint notice_here = 0, heads = 0;
        const ImpGlyphLine *head_right = NULL, *foot_right = NULL;
        for (guint i = 0; i < n; i++) {
            const ImpItem *it = &items[i];
            g_assert_cmpuint(it->cell, ==, 0); /* no table in this document */
            if (it->flags & IMP_ITEM_REPEATED) {
                g_assert_true(it->flags & IMP_ITEM_ARTIFACT);
                g_assert_cmpuint(it->block, <, n_blocks);
                g_assert_cmpint(imp_block_get_kind(imp_document_get_block(doc, it->block)), ==,
                                IMP_BLOCK_NOTICE);
                notice_here++;
            } else if (it->flags & IMP_ITEM_MARKER) {
                g_assert_cmpint(it->kind, ==, IMP_ITEM_TEXT);
                g_assert_cmpint(imp_block_get_kind(imp_document_get_block(doc, it->block)), ==,
                                IMP_BLOCK_LIST_ITEM);
                g_assert_cmpstr(pango_layout_get_text(it->line->layout), ==, "•");
                markers++;
            } else if (it->flags & IMP_ITEM_ARTIFACT) {
                g_assert_cmpuint(it->block, ==, IMP_ITEM_NO_BLOCK);
                if (it->kind == IMP_ITEM_TEXT) {
                    masthead++;
                    g_assert_cmpuint(p, ==, 0);
                } else if (it->kind == IMP_ITEM_GLYPHS && it->y < ps->margin_top) {
                    heads++;
                    head_right = it->glyphs; /* the last: left, centre, right */
                } else if (it->kind == IMP_ITEM_GLYPHS) {
                    g_assert_cmpfloat(it->y, >, ps->height - ps->margin_bottom);
                    foot_right = it->glyphs;
                }
            } else if (it->kind == IMP_ITEM_ANCHOR) {
                ImpBlockKind k = imp_block_get_kind(imp_document_get_block(doc, it->block));
                g_assert_true(k == IMP_BLOCK_TITLE || k == IMP_BLOCK_HEADING);
                anchors++;
            } else {
                g_assert_cmpint(it->kind, ==, IMP_ITEM_GLYPHS);
                g_assert_cmpuint(it->block, <, n_blocks);
                gsize len;
                const char *text = imp_block_get_text(imp_document_get_block(doc, it->block),
                                                      &len);
                g_assert_true(it->glyphs->text == text);
                for (guint r = 0; r < it->glyphs->n_runs; r++)
                    bytes[it->block] += it->glyphs->runs[r].length;
            }
        }
        if (notice_items == G_MAXUINT)
            notice_items = notice_here;
        g_assert_cmpuint(notice_here, ==, notice_items);
        g_assert_cmpuint(notice_here, >, 0);
        /* mofcom: no header on page 1, site, section and title on the others */
        g_assert_cmpuint(heads, ==, p == 0 ? 0 : 3);
        g_assert_nonnull(foot_right);
        char *number = g_strdup_printf("Page %u of %u", p + 1, n_pages);
        g_assert_cmpstr(foot_right->text, ==, number);
        g_free(number);
        g_assert_true(foot_right != prev_number);
        prev_number = foot_right;
        if (p > 0 && title_head == NULL)
            title_head = head_right;
        else if (p > 0)
            g_assert_true(head_right == title_head); /* one line for every page */
    }
    g_assert_cmpstr(title_head->text, ==, "Vice Minister Jiang delivered a speech");
    g_assert_cmpuint(masthead, ==, 2);
    g_assert_cmpuint(markers, ==, 3);
    g_assert_cmpuint(anchors, ==, 2);
    for (guint b = 0; b < n_blocks; b++) {
        const ImpBlock *block = imp_document_get_block(doc, b);
        gsize len;
        imp_block_get_text(block, &len);
        if (imp_block_get_kind(block) != IMP_BLOCK_NOTICE)
            g_assert_cmpuint(bytes[b], ==, len); /* characters in = characters out */
    }
    /* a released page is gone; the others are as they were */
    guint n0, n1;
    const ImpItem *p0 = imp_layout_get_items(lay, 0, &n0);
    imp_layout_release_page(lay, 1);
    g_assert_null(imp_layout_get_items(lay, 1, &n1));
    g_assert_cmpuint(n1, ==, 0);
    imp_layout_release_page(lay, 1);
    guint n0b;
    g_assert_true(imp_layout_get_items(lay, 0, &n0b) == p0);
    g_assert_cmpuint(n0b, ==, n0);
    g_assert_cmpuint(reports, ==, 0);
    g_free(bytes);
    imp_layout_free(lay);
    imp_style_free(style);
    imp_document_free(doc);
}

/* Every finding is reported while the layout is made: a character no font has in the
 * title, which the running heads repeat on every page, is reported once with its line
 * and once in the summary of further occurrences, and reading the pages reports nothing. */
static void test_layout_reports_done(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpDocument *doc = test_document();
    imp_document_set_meta(doc, IMP_META_TITLE, "A title with \xee\x80\x80 in it");
    ImpStyle *style = test_style();
    guint reports = 0;
    ImpDiag diag = { count_report, &reports };
    ImpLayoutOptions opt;
    imp__layout_options_init(&opt);
    opt.diag = &diag;
    opt.jobs = 1;
    ImpLayout *lay = imp__layout_new(doc, style, f->fonts, &opt, NULL);
    g_assert_nonnull(lay);
    g_assert_cmpuint(reports, ==, 1); /* the title is set once for every page */
    for (guint p = 0; p < imp_layout_get_n_pages(lay); p++)
        imp_layout_get_items(lay, p, NULL);
    g_assert_cmpuint(reports, ==, 1);
    imp_layout_free(lay);
    imp_style_free(style);
    imp_document_free(doc);
}

/* A font configuration whose fonts Pango cannot use (Type 1 only: groff's PostScript
 * fonts, Debian's groff-base) loads, but a layout with it fails with IMP_ERROR_FONT naming
 * the file, rather than set every character as missing. */
static void test_layout_no_usable_font(Fixture *f, gconstpointer data)
{
    (void)f, (void)data;
    const char *devps = NULL;
    const char *dirs[] = { "/usr/share/groff/1.22.4/font/devps",
                           "/usr/share/groff/current/font/devps" };
    for (gsize i = 0; i < G_N_ELEMENTS(dirs) && devps == NULL; i++)
        if (g_file_test(dirs[i], G_FILE_TEST_IS_DIR))
            devps = dirs[i];
    if (devps == NULL) {
        g_test_skip("groff's Type 1 fonts are not installed (groff-base)");
        return;
    }
    GError *error = NULL;
    char *tmp = g_dir_make_tmp("imprint-fonts-XXXXXX", &error);
    g_assert_no_error(error);
    char *conf = g_build_filename(tmp, "fonts.conf", NULL);
    char *text = g_strdup_printf("<?xml version=\"1.0\"?>\n<fontconfig><dir>%s</dir>"
                                 "<cachedir>%s</cachedir></fontconfig>\n", devps, tmp);
    g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    ImpFonts *fonts = imp_fonts_new(conf, &error);
    g_assert_no_error(error);
    ImpDocument *doc = test_document();
    ImpStyle *style = test_style();
    ImpLayout *lay = imp__layout_new(doc, style, fonts, NULL, &error);
    g_assert_null(lay);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_FONT);
    g_assert_nonnull(strstr(error->message, conf));
    g_assert_nonnull(strstr(error->message, "body text"));
    g_error_free(error);
    imp_style_free(style);
    imp_document_free(doc);
    imp_fonts_free(fonts);
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    g_assert_true(g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL));
    g_free(rm);
    g_free(text);
    g_free(conf);
    g_free(tmp);
}

/* imp__layout_options_init sets every field, whatever was there. */
static void test_layout_options_init(void)
{
    ImpLayoutOptions opt;
    memset(&opt, 0xA5, sizeof opt);
    imp__layout_options_init(&opt);
    g_assert_null(opt.diag);
    g_assert_cmpint(opt.jobs, ==, 0);
}

/* Running-head templates: page numbers, metadata, braces, unset fields. */
static void test_running_expand(void)
{
    ImpDocument *doc = imp_document_new();
    imp_document_set_meta(doc, IMP_META_TITLE, "Speech");
    char *s = imp__running_expand(doc, "{title}: {page}/{pages} {{x}} [{section}]", 3, 12);
    g_assert_cmpstr(s, ==, "Speech: 3/12 {x} []");
    g_free(s);
    s = imp__running_expand(doc, "no field, an open { brace", 1, 1);
    g_assert_cmpstr(s, ==, "no field, an open { brace");
    g_free(s);
    imp_document_free(doc);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/breaker/textbook", test_breaker_textbook);
    g_test_add_func("/breaker/optimal-random", test_breaker_optimal_random);
    g_test_add_func("/breaker/overfull", test_breaker_overfull);
    g_test_add_func("/breaker/no-glue-linear", test_breaker_no_glue_linear);
    g_test_add_func("/breaker/hyphen-run", test_breaker_hyphen_run);
    g_test_add_func("/breaker/break-before", test_breaker_break_before);
    g_test_add_func("/breaker/gc", test_breaker_gc);
    g_test_add("/para/latin", Fixture, NULL, fixture_setup, test_para_latin, fixture_teardown);
    g_test_add("/para/chinese", Fixture, NULL, fixture_setup, test_para_chinese,
               fixture_teardown);
    g_test_add("/para/compression", Fixture, NULL, fixture_setup, test_para_compression,
               fixture_teardown);
    g_test_add("/para/cjk-quotes", Fixture, NULL, fixture_setup, test_para_cjk_quotes,
               fixture_teardown);
    g_test_add("/para/han-latin-gap", Fixture, NULL, fixture_setup, test_para_han_latin_gap,
               fixture_teardown);
    g_test_add("/para/huge", Fixture, NULL, fixture_setup, test_para_huge, fixture_teardown);
    g_test_add("/para/pieces", Fixture, NULL, fixture_setup, test_para_pieces, fixture_teardown);
    g_test_add("/para/no-hyphen-long-word", Fixture, NULL, fixture_setup,
               test_para_no_hyphen_long_word, fixture_teardown);
    g_test_add("/hyphen/points", Fixture, NULL, fixture_setup, test_hyphen_points,
               fixture_teardown);
    g_test_add("/layout/items", Fixture, NULL, fixture_setup, test_layout_items,
               fixture_teardown);
    g_test_add("/layout/reports-done", Fixture, NULL, fixture_setup, test_layout_reports_done,
               fixture_teardown);
    g_test_add("/layout/no-usable-font", Fixture, NULL, fixture_setup,
               test_layout_no_usable_font, fixture_teardown);
    g_test_add_func("/layout/options-init", test_layout_options_init);
    g_test_add_func("/running/expand", test_running_expand);
    return g_test_run();
}
