/* breaker.c — Knuth–Plass total-fit line breaking; see breaker.h.
 *
 * The classic algorithm: walk the nodes once, keeping running totals of width, stretch and
 * shrink; at every legal breakpoint try each active break (a place where a line may start)
 * as the start of a line ending here, deactivate the ones the line would overflow, and
 * record for each fitness class the cheapest feasible way to get here. Each feasible
 * breakpoint becomes active itself. At the end the cheapest path through the final forced
 * break wins.
 *
 * What keeps it linear: a break stays active only while a line from it could still fit
 * (the measure bounds how far ahead that is), at most one new break per (fitness class,
 * hyphen run) is made per breakpoint, and the active set is capped (max_active), dropping
 * the most expensive breaks first.
 *
 * What makes it total: when every active break would overflow at some breakpoint and no
 * feasible line ended there, the pass "rescues" instead of failing. It prefers the latest
 * breakpoint seen where a line was too loose (a ragged but not overfull line) and restarts
 * the scan from there; only when no such breakpoint exists (one box wider than the measure)
 * does it set an overfull line. If the first pass needed a rescue, a second pass runs with
 * the emergency tolerance so that looseness is shared between lines where it can be.
 *
 * What keeps its memory bounded: most breaks recorded are dead ends, on no path that can
 * still win. When the pool has grown by half since it was last cleaned, the breaks that no
 * root (an active break, the loose candidate, the best break so far) leads back to are
 * dropped and the rest renumbered in order (collect_garbage); a paragraph of 3.5 million
 * short words kept a gigabyte of them.
 *
 * Invariants:
 *  1. Break nodes live in one pool and refer to their predecessor by index; a break is
 *     dropped only when no root leads back to it, so a rescue may start from any break a
 *     root leads back to (every break it can start from is one).
 *  2. Active breaks are kept in pool order, i.e. by position.
 *  3. Every returned line but the last ends at a legal breakpoint or at a rescue point.
 */
#include "breaker.h"

#include <math.h>
#include <string.h>

#define N_FITNESS 4
#define MAX_RUN 3 /* hyphen runs 0, 1, 2 tracked separately */

/* A recorded break, in 64 bytes: a paragraph of periodic text (the same short words
 * again and again) has many equally good ways through it that never meet, and keeps about
 * ten breaks a line alive. */
typedef struct {
    double ratio;
    double demerits;      /* total along the best path to here */
    double w, st, sh;     /* totals after the break (glue after it discarded) */
    guint32 fil;          /* ... and the fil count, a whole number */
    guint pos;            /* node index of the break; G_MAXUINT for the paragraph start */
    guint line;           /* number of lines before this break */
    guint prev;           /* pool index of the previous break; G_MAXUINT: none */
    gint8 fitness;        /* class of the line ending here */
    gint8 hyphen_run;     /* consecutive flagged lines ending here */
    guint8 flagged;
    guint8 overfull, loose;
} Break;

typedef struct {
    double w, st, sh, fil;
} Totals;

typedef struct {
    const ImpBrkNode *nodes;
    guint n;
    const ImpBrkParams *p;
    double tolerance;
    GArray *pool;   /* Break */
    GArray *active; /* guint pool indices, by position */
    gboolean rescued;
    guint gc_at;    /* pool size at which to collect garbage next */
} Pass;

/* Fills p with Knuth's classic values, scaled for our units. */
void imp__break_params_init(ImpBrkParams *p, double first_width, double width)
{
    p->first_width = first_width;
    p->width = width;
    p->tolerance = 2.0;
    p->emergency_tolerance = 8.0;
    p->line_penalty = 10;
    p->flagged_demerits = 3000;
    p->fitness_demerits = 3000;
    p->max_hyphen_run = 2;
    p->max_active = 256;
    p->first_pass_only = FALSE;
    p->gc_min = 65536; /* below it, cleaning the pool costs more than it saves */
    p->cjk_max_ratio = INFINITY;
}

/* Whether node i is a legal breakpoint: a glue right after a box, a penalty < inf, or a
 * box with a break before it. */
static gboolean is_legal(const ImpBrkNode *nodes, guint i)
{
    const ImpBrkNode *nd = &nodes[i];
    if (nd->type == IMP__BRK_GLUE)
        return i > 0 && nodes[i - 1].type == IMP__BRK_BOX;
    if (nd->type == IMP__BRK_BOX)
        return nd->break_before && i > 0 && nd->penalty < IMP__BRK_INF;
    return nd->type == IMP__BRK_PENALTY && nd->penalty < IMP__BRK_INF;
}

/* Whether a break at node nd costs its `penalty`: a penalty that does not force the
 * break, or a box with a break before it. */
static gboolean has_cost(const ImpBrkNode *nd)
{
    return (nd->type == IMP__BRK_PENALTY && nd->penalty > -IMP__BRK_INF) ||
           (nd->type == IMP__BRK_BOX && nd->break_before);
}

static gboolean is_forced(const ImpBrkNode *nd)
{
    return nd->type == IMP__BRK_PENALTY && nd->penalty <= -IMP__BRK_INF;
}

/* The totals a line starting after a break at i begins from: glue and non-forced
 * penalties after the break are discarded, up to the next box or forced break. */
static Totals totals_after(const ImpBrkNode *nodes, guint n, guint i, Totals t)
{
    for (guint j = i; j < n; j++) {
        const ImpBrkNode *nd = &nodes[j];
        if (nd->type == IMP__BRK_BOX)
            break;
        if (nd->type == IMP__BRK_GLUE) {
            t.w += nd->width;
            t.st += nd->stretch;
            t.sh += nd->shrink;
            t.fil += nd->fil;
        } else if (j > i && is_forced(nd)) {
            break;
        }
    }
    return t;
}

/* The adjustment ratio of a line from break a to node i (totals t before i). */
static double line_ratio(const Pass *ps, const Break *a, guint i, Totals t)
{
    const ImpBrkNode *nd = &ps->nodes[i];
    double w = t.w - a->w + (nd->type == IMP__BRK_PENALTY ? nd->width : 0);
    double measure = a->line == 0 ? ps->p->first_width : ps->p->width;
    if (w < measure) {
        if (t.fil - a->fil > 0)
            return 0;
        double st = t.st - a->st;
        return st > 0 ? (measure - w) / st : INFINITY;
    }
    if (w > measure) {
        double sh = t.sh - a->sh;
        return sh > 0 ? (measure - w) / sh : -INFINITY;
    }
    return 0;
}

/* How far a line from break a to node i, shrunk all it can, sticks out of the measure. */
static double overflow(const Pass *ps, const Break *a, guint i, Totals t)
{
    const ImpBrkNode *nd = &ps->nodes[i];
    double w = t.w - a->w + (nd->type == IMP__BRK_PENALTY ? nd->width : 0);
    double measure = a->line == 0 ? ps->p->first_width : ps->p->width;
    return w - (t.sh - a->sh) - measure;
}

static int fitness_of(double r)
{
    return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

/* Demerits of a line with ratio r ending at node i, started at break a (not counting the
 * demerits of the path to a). */
static double line_demerits(const Pass *ps, const Break *a, guint i, double r, int fit)
{
    const ImpBrkNode *nd = &ps->nodes[i];
    double bad = fabs(r) > 10 ? 100000 : 100 * fabs(r) * fabs(r) * fabs(r);
    double d = (ps->p->line_penalty + bad) * (ps->p->line_penalty + bad);
    if (has_cost(nd))
        d += nd->penalty >= 0 ? nd->penalty * nd->penalty : -nd->penalty * nd->penalty;
    if (nd->type == IMP__BRK_PENALTY && nd->flagged && a->flagged)
        d += ps->p->flagged_demerits;
    if (a->pos != G_MAXUINT && abs(fit - a->fitness) > 1)
        d += ps->p->fitness_demerits;
    return d;
}

/* Appends a break at node i reached from pool index from; returns its pool index. */
static guint add_break(Pass *ps, guint i, guint from, double r, int fit, double demerits,
                       Totals t)
{
    const Break *a = &g_array_index(ps->pool, Break, from);
    const ImpBrkNode *nd = &ps->nodes[i];
    Break b = { 0 };
    b.pos = i;
    b.line = a->line + 1;
    b.fitness = (gint8)fit;
    b.flagged = nd->type == IMP__BRK_PENALTY && nd->flagged;
    b.hyphen_run = (gint8)(b.flagged ? a->hyphen_run + 1 : 0);
    b.ratio = r;
    b.overfull = r < -1;
    b.loose = r > ps->tolerance && !is_forced(nd);
    Totals after = totals_after(ps->nodes, ps->n, i, t);
    b.w = after.w, b.st = after.st, b.sh = after.sh, b.fil = (guint32)after.fil;
    b.demerits = demerits;
    b.prev = from;
    g_array_append_val(ps->pool, b);
    return ps->pool->len - 1;
}

/* Drops the most expensive active breaks until at most max_active remain, never dropping
 * the breaks made at the current node (indices >= keep_from). */
static void cap_active(Pass *ps, guint keep_from)
{
    while (ps->active->len > ps->p->max_active) {
        guint worst = G_MAXUINT;
        double worst_d = -1;
        for (guint k = 0; k < ps->active->len; k++) {
            guint idx = g_array_index(ps->active, guint, k);
            if (idx >= keep_from)
                continue;
            double d = g_array_index(ps->pool, Break, idx).demerits;
            if (d > worst_d)
                worst_d = d, worst = k;
        }
        if (worst == G_MAXUINT)
            return;
        g_array_remove_index(ps->active, worst);
    }
}

/* The latest loose candidate seen since the last rescue: a line from break `from` to node
 * `pos` that was feasible in every way but too loose. */
typedef struct {
    guint pos, from;
    double ratio, demerits;
    Totals t;
    guint last_capped;  /* the pass's last flagged glue before pos */
    gboolean set;
} Loose;

/* Index `idx` of the pool after collect_garbage's renumbering `map`. */
static guint remap(const guint *map, guint idx)
{
    return idx == G_MAXUINT ? G_MAXUINT : map[idx];
}

/* Drops the breaks of the pool that no root leads back to through `prev` and renumbers the
 * rest, keeping their order (so the active list stays in position order and ties resolve
 * as before): the roots are the active breaks, the loose candidate's start and the best
 * break so far (*last_best). Nothing a later step can reach is lost, so the result of the
 * pass is unchanged. The next cleaning is set for when the pool has grown by half again,
 * so each break is looked at a bounded number of times: the cost stays linear. */
static void collect_garbage(Pass *ps, Loose *loose, guint *last_best)
{
    guint n = ps->pool->len;
    guint *map = g_new(guint, n); /* first a mark (1: kept), then the new index */
    memset(map, 0, n * sizeof(guint));
    guint n_roots = ps->active->len + 2;
    for (guint k = 0; k < n_roots; k++) {
        guint idx = k < ps->active->len ? g_array_index(ps->active, guint, k)
                    : k == ps->active->len ? (loose->set ? loose->from : G_MAXUINT)
                                           : *last_best;
        while (idx != G_MAXUINT && !map[idx]) {
            map[idx] = 1;
            idx = g_array_index(ps->pool, Break, idx).prev;
        }
    }
    guint kept = 0;
    for (guint i = 0; i < n; i++) {
        if (!map[i]) {
            map[i] = G_MAXUINT;
            continue;
        }
        Break *b = &g_array_index(ps->pool, Break, i);
        b->prev = remap(map, b->prev); /* prev < i: already renumbered */
        g_array_index(ps->pool, Break, kept) = *b;
        map[i] = kept++;
    }
    g_array_set_size(ps->pool, kept);
    for (guint k = 0; k < ps->active->len; k++)
        g_array_index(ps->active, guint, k) = map[g_array_index(ps->active, guint, k)];
    if (loose->set)
        loose->from = map[loose->from];
    *last_best = remap(map, *last_best);
    g_free(map);
    ps->gc_at = MAX(ps->p->gc_min, kept + kept / 2);
}

/* Runs one pass; returns the pool index of the best break at the final node. */
static guint run_pass(Pass *ps)
{
    const ImpBrkNode *nodes = ps->nodes;
    Break start = { 0 };
    start.pos = G_MAXUINT;
    start.prev = G_MAXUINT;
    start.fitness = 1;
    Totals t0 = totals_after(nodes, ps->n, 0, (Totals){ 0, 0, 0, 0 });
    start.w = t0.w, start.st = t0.st, start.sh = t0.sh, start.fil = (guint32)t0.fil;
    g_array_append_val(ps->pool, start);
    g_array_append_val(ps->active, (guint){ 0 });

    Totals t = { 0, 0, 0, 0 };
    Loose loose = { 0 };
    guint last_best = 0;
    guint last_capped = G_MAXUINT; /* the last flagged glue before node i */
    gboolean capped = isfinite(ps->p->cjk_max_ratio);
    for (guint i = 0; i < ps->n; i++) {
        const ImpBrkNode *nd = &nodes[i];
        if (ps->pool->len >= ps->gc_at)
            collect_garbage(ps, &loose, &last_best);
        if (is_legal(nodes, i)) {
            gboolean forced = is_forced(nd);
            double best_d[N_FITNESS][MAX_RUN];
            guint best_from[N_FITNESS][MAX_RUN];
            double best_r[N_FITNESS][MAX_RUN];
            for (int f = 0; f < N_FITNESS; f++)
                for (int h = 0; h < MAX_RUN; h++)
                    best_d[f][h] = INFINITY, best_from[f][h] = G_MAXUINT;
            gboolean any = FALSE;
            guint dead = G_MAXUINT; /* cheapest break deactivated here */
            double dead_r = 0, dead_over = 0;
            guint dead_pos = G_MAXUINT; /* latest position among them */
            guint kept = 0;
            for (guint k = 0; k < ps->active->len; k++) {
                guint idx = g_array_index(ps->active, guint, k);
                const Break *a = &g_array_index(ps->pool, Break, idx);
                double r = line_ratio(ps, a, i, t);
                gboolean deactivate = r < -1 || forced;
                int fit = fitness_of(r);
                gboolean run_ok = !(nd->type == IMP__BRK_PENALTY && nd->flagged &&
                                    a->hyphen_run >= ps->p->max_hyphen_run);
                /* a line with space between CJK characters in it stretches at most to
                   the cap; a looser one is only a loose candidate, like one beyond the
                   tolerance */
                double tolerance = ps->tolerance;
                if (capped && last_capped != G_MAXUINT &&
                    (a->pos == G_MAXUINT || last_capped > a->pos))
                    tolerance = MIN(tolerance, ps->p->cjk_max_ratio);
                if (r >= -1 && (r <= tolerance || forced) && run_ok) {
                    double d = a->demerits + line_demerits(ps, a, i, r, fit);
                    int h = nd->type == IMP__BRK_PENALTY && nd->flagged
                                ? MIN(a->hyphen_run + 1, MAX_RUN - 1) : 0;
                    if (d < best_d[fit][h])
                        best_d[fit][h] = d, best_from[fit][h] = idx, best_r[fit][h] = r;
                    any = TRUE;
                } else if (r > tolerance && run_ok && !forced) {
                    double d = a->demerits + line_demerits(ps, a, i, r, fit) + 1e9;
                    if (!loose.set || i > loose.pos || d < loose.demerits)
                        loose = (Loose){ i, idx, r, d, t, last_capped, TRUE };
                }
                if (deactivate) {
                    /* the least overfull (after shrinking); among equals the cheapest */
                    double over = overflow(ps, a, i, t);
                    if (dead == G_MAXUINT || over < dead_over ||
                        (over == dead_over &&
                         a->demerits < g_array_index(ps->pool, Break, dead).demerits))
                        dead = idx, dead_r = r, dead_over = over;
                    if (a->pos != G_MAXUINT && (dead_pos == G_MAXUINT || a->pos > dead_pos))
                        dead_pos = a->pos;
                } else {
                    g_array_index(ps->active, guint, kept++) = idx;
                }
            }
            g_array_set_size(ps->active, kept);

            if (!any && kept == 0) {
                /* Nothing fits and nothing remains active: rescue (see file comment). */
                ps->rescued = TRUE;
                if (loose.set && (dead_pos == G_MAXUINT || loose.pos > dead_pos)) {
                    /* set the loose line, then scan again from its end; a loose line
                       that ends before the latest active break is stale */
                    guint idx = add_break(ps, loose.pos, loose.from, loose.ratio, 3,
                                          loose.demerits, loose.t);
                    g_array_index(ps->pool, Break, idx).loose = TRUE;
                    g_array_append_val(ps->active, idx);
                    i = loose.pos;
                    t = loose.t;
                    last_capped = loose.last_capped;
                    loose.set = FALSE;
                    goto advance;
                }
                g_assert(dead != G_MAXUINT);
                const Break *a = &g_array_index(ps->pool, Break, dead);
                double d = a->demerits + 1e10;
                guint idx = add_break(ps, i, dead, dead_r, 0, d, t);
                g_array_append_val(ps->active, idx);
                last_best = idx;
                loose.set = FALSE;
                goto advance;
            }
            if (any) {
                guint first_new = ps->pool->len;
                double best_here = INFINITY;
                for (int f = 0; f < N_FITNESS; f++)
                    for (int h = 0; h < MAX_RUN; h++) {
                        if (best_from[f][h] == G_MAXUINT)
                            continue;
                        guint idx = add_break(ps, i, best_from[f][h], best_r[f][h], f,
                                              best_d[f][h], t);
                        g_array_append_val(ps->active, idx);
                        if (best_d[f][h] < best_here)
                            best_here = best_d[f][h], last_best = idx;
                    }
                cap_active(ps, first_new);
                if (forced)
                    loose.set = FALSE;
            }
        }
    advance:
        nd = &nodes[i];
        if (nd->type == IMP__BRK_BOX) {
            t.w += nd->width;
        } else if (nd->type == IMP__BRK_GLUE) {
            t.w += nd->width;
            t.st += nd->stretch;
            t.sh += nd->shrink;
            t.fil += nd->fil;
            if (nd->flagged)
                last_capped = i;
        }
    }
    return last_best;
}

/* Turns the chain of breaks ending at pool index `last` into lines. */
static GArray *collect_lines(const Pass *ps, guint last)
{
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(ImpBrkLine));
    for (guint idx = last; idx != G_MAXUINT;) {
        const Break *b = &g_array_index(ps->pool, Break, idx);
        if (b->pos == G_MAXUINT)
            break;
        ImpBrkLine l = { 0 };
        l.end = b->pos;
        l.ratio = b->ratio;
        l.overfull = b->overfull;
        l.loose = b->loose;
        l.forced = is_forced(&ps->nodes[b->pos]);
        l.hyphen = b->flagged;
        g_array_append_val(lines, l);
        idx = b->prev;
    }
    /* reverse, then fill in the starts */
    for (guint k = 0; k < lines->len / 2; k++) {
        ImpBrkLine tmp = g_array_index(lines, ImpBrkLine, k);
        g_array_index(lines, ImpBrkLine, k) = g_array_index(lines, ImpBrkLine,
                                                            lines->len - 1 - k);
        g_array_index(lines, ImpBrkLine, lines->len - 1 - k) = tmp;
    }
    guint start = 0;
    for (guint k = 0; k < lines->len; k++) {
        ImpBrkLine *l = &g_array_index(lines, ImpBrkLine, k);
        /* skip discardable nodes after the previous break */
        guint s = start;
        while (s < l->end && ps->nodes[s].type != IMP__BRK_BOX &&
               !(s > start && is_forced(&ps->nodes[s])))
            s++;
        l->start = k == 0 ? 0 : s;
        /* a break before a box: the box starts the next line */
        start = ps->nodes[l->end].type == IMP__BRK_BOX ? l->end : l->end + 1;
    }
    return lines;
}

/* Breaks a paragraph; see breaker.h. */
GArray *imp__break_paragraph(const ImpBrkNode *nodes, guint n, const ImpBrkParams *params)
{
    g_return_val_if_fail(nodes != NULL && n > 0 && params != NULL, NULL);
    g_return_val_if_fail(is_forced(&nodes[n - 1]), NULL);
    GArray *lines = NULL;
    for (int pass = 0; pass < 2 && lines == NULL; pass++) {
        Pass ps = { nodes, n, params, pass == 0 ? params->tolerance
                                                : params->emergency_tolerance,
                    g_array_new(FALSE, FALSE, sizeof(Break)),
                    g_array_new(FALSE, FALSE, sizeof(guint)), FALSE, params->gc_min };
        guint last = run_pass(&ps);
        if (!ps.rescued || pass == 1)
            lines = collect_lines(&ps, last);
        g_array_unref(ps.pool);
        g_array_unref(ps.active);
        if (params->first_pass_only)
            break;
    }
    return lines;
}
