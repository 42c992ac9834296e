/* rules.c — the regexes and XPath expressions a style can ask for: checked when a sheet is
 * read, compiled with bounds on the work they may do, matched, and described in messages.
 *
 * A style's regex runs on input imprint has never seen (every line of a 16 MiB text, the
 * first 64 KiB of every input for detection), so its cost must be bounded, and
 * deterministically: a bound by the clock would make the output depend on the machine.
 *
 * PCRE's match limit, which GLib offers only as a prefix of the pattern
 * (`(*LIMIT_MATCH=N)`, honoured by GLib 2.74's PCRE2), counts backtracking points, not
 * work: between two of them PCRE2 may walk the whole pattern, so `(?:a?){120}b|.*` costs
 * 180 µs on the one-byte line "a" well inside a limit of 160, and a 16 MiB input of such
 * lines would take 25 minutes. So a rule is matched twice over: first by a copy compiled
 * with PCRE2_AUTO_CALLOUT, whose callout counts every pattern item PCRE2 visits and stops
 * the match when a line's budget of steps is spent; then, only when it matched and the
 * caller wants the named groups, by the GRegex (which the first match has shown to be
 * cheap on this line). A line of L bytes has a budget of LINE_STEPS(L) for all the rules
 * run on every line together (each takes an equal share) and for each other rule; ordinary
 * rules need a few steps per byte (`.*the.*and.*`: 3). The GRegex handed out carries a
 * `(*LIMIT_MATCH)` of its own for callers that match it directly. Measured figures:
 * docs/styles.md, "Time bounds".
 *
 * Invariants:
 *  1. Every regex of a style is matched under a budget of steps that grows linearly with
 *     the line; every GRegex this stage hands out was compiled with a match limit.
 *  2. A rule compiles alone before it is wrapped, so it cannot close the wrapping group
 *     and escape the anchors ("a)|(?:b" does not compile alone), and a (*LIMIT_MATCH) of
 *     its own is not at the pattern's start, where PCRE2 reads it.
 *  3. Matching keeps no state in the rule: a style may be read by two threads at once.
 *  4. Checking an XPath expression prints nothing: libxml2's error handler of the thread
 *     is set for the check and put back after it.
 */
#include "style/style-private.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <libxml/xpath.h>
#include <string.h>

/* The steps a line of `len` bytes may cost. */
#define LINE_STEPS(len) (32 + 24 * (glong)(len))
/* The match limit of the GRegex handed out: enough for a line of 1 KiB. */
#define GREGEX_LIMIT 8224
/* The most one regex may cost (compiled bytes beyond an empty pattern's): one step of the
 * budget is one pattern item, and long items (a literal of 1000 characters, a class of
 * every letter) cost more than short ones. */
#define REGEX_MAX_COST 1024

struct ImpRule {
    GRegex *regex;             /* public, with (*LIMIT_MATCH); also gives the groups */
    pcre2_code *metered;       /* compiled with auto-callouts */
    pcre2_match_context *context; /* callout: count_step */
    const char *key;           /* "chrome" */
    char *pattern;             /* as written */
    char *where;               /* "FILE:LINE" or "--set reading.chrome" */
    guint share;               /* rules dividing a line's budget */
};

/* The steps left of the match running on this thread (invariant 3). */
static _Thread_local glong steps_left;

/* The match data of this thread, made once (the metered match needs no groups). */
static GPrivate match_data = G_PRIVATE_INIT((GDestroyNotify)pcre2_match_data_free);

static int count_step(pcre2_callout_block *block, void *data)
{
    (void)block;
    (void)data;
    return --steps_left < 0 ? PCRE2_ERROR_CALLOUT : 0;
}

/* `pattern` anchored to a whole line with \A and \z rather than ^ and $: the whole trimmed
 * line, with no newline slack. (transfer full) */
static char *anchored(const char *pattern)
{
    return g_strdup_printf("\\A(?:%s)\\z", pattern);
}

/* `pattern` compiled with PCRE2 as GRegex compiles it (UTF-8, Unicode properties) and
 * `extra` options, or NULL when it does not compile. (transfer full: pcre2_code_free) */
static pcre2_code *compile(const char *pattern, uint32_t extra)
{
    int code;
    PCRE2_SIZE offset;
    return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_UCP | extra, &code, &offset, NULL);
}

static gsize code_size(const pcre2_code *re)
{
    size_t size = 0;
    pcre2_pattern_info(re, PCRE2_INFO_SIZE, &size);
    return size;
}

/* The size of the anchored empty pattern: what every rule costs before its own items. */
static gsize base_size(void)
{
    static gsize base = 0;
    if (g_once_init_enter(&base)) {
        pcre2_code *re = compile("\\A(?:)\\z", 0);
        g_once_init_leave(&base, code_size(re));
        pcre2_code_free(re);
    }
    return base;
}

char *imp__regex_check(const char *pattern, const char *named_group)
{
    GError *err = NULL;
    /* Compile the pattern as written first, so GLib's "at char N" counts in the user's
     * text, and so that it cannot reach out of the wrapping (invariant 2). */
    GRegex *alone = g_regex_new(pattern, 0, 0, &err);
    if (alone == NULL) {
        char *msg = g_strdup_printf("'%s' is not a valid regular expression: %s", pattern,
                                    err->message);
        g_error_free(err);
        return msg;
    }
    g_regex_unref(alone);
    char *whole = anchored(pattern);
    pcre2_code *re = compile(whole, 0);
    g_free(whole);
    gsize size = re != NULL ? code_size(re) : 0;
    gsize cost = size > base_size() ? size - base_size() : 0;
    char *msg = NULL;
    if (re == NULL)
        msg = g_strdup_printf("'%s' is not a valid regular expression: it does not compile "
                              "as a whole line, \\A(?:%s)\\z", pattern, pattern);
    else if (cost > REGEX_MAX_COST)
        msg = g_strdup_printf("'%s' is too complex: it compiles to %" G_GSIZE_FORMAT " bytes, "
                              "at most %d (a rule is matched against every line: make it "
                              "simpler)", pattern, cost, REGEX_MAX_COST);
    else if (named_group != NULL &&
             pcre2_substring_number_from_name(re, (PCRE2_SPTR)named_group) < 0)
        msg = g_strdup_printf("'%s' needs a named group (?<%s>...)", pattern, named_group);
    pcre2_code_free(re);
    return msg;
}

ImpRule *imp__rule_new(const char *key, const char *pattern, const char *where, guint share)
{
    ImpRule *rule = g_new0(ImpRule, 1);
    char *whole = anchored(pattern);
    char *limited = g_strdup_printf("(*LIMIT_MATCH=%d)%s", GREGEX_LIMIT, whole);
    rule->regex = g_regex_new(limited, 0, 0, NULL);
    rule->metered = compile(whole, PCRE2_AUTO_CALLOUT);
    g_assert(rule->regex != NULL && rule->metered != NULL); /* imp__regex_check passed */
    g_free(limited);
    g_free(whole);
    rule->context = pcre2_match_context_create(NULL);
    pcre2_set_callout(rule->context, count_step, NULL);
    rule->key = key;
    rule->pattern = g_strdup(pattern);
    rule->where = g_strdup(where);
    rule->share = MAX(share, 1);
    return rule;
}

void imp__rule_free(ImpRule *rule)
{
    if (rule == NULL)
        return;
    g_regex_unref(rule->regex);
    pcre2_code_free(rule->metered);
    pcre2_match_context_free(rule->context);
    g_free(rule->pattern);
    g_free(rule->where);
    g_free(rule);
}

const GRegex *imp__rule_regex(const ImpRule *rule)
{
    return rule->regex;
}

const char *imp__rule_key(const ImpRule *rule)
{
    return rule->key;
}

gboolean imp__rule_match(const ImpRule *rule, const char *s, gsize len, GMatchInfo **info,
                         GError **error)
{
    if (info != NULL)
        *info = NULL;
    glong budget = LINE_STEPS(len) / rule->share;
    pcre2_match_data *md = g_private_get(&match_data);
    if (md == NULL) {
        md = pcre2_match_data_create(1, NULL);
        g_private_set(&match_data, md);
    }
    steps_left = budget;
    int rc = pcre2_match(rule->metered, (PCRE2_SPTR)s, len, 0, 0, md, rule->context);
    if (rc == PCRE2_ERROR_NOMATCH)
        return FALSE;
    if (rc < 0) {
        /* readers show what follows the message's last ": " */
        PCRE2_UCHAR why[160];
        if (rc == PCRE2_ERROR_CALLOUT)
            g_snprintf((char *)why, sizeof why, "more than %ld steps on a line of %"
                       G_GSIZE_FORMAT " bytes", budget, len);
        else
            pcre2_get_error_message(rc, why, sizeof why);
        g_set_error(error, G_REGEX_ERROR, G_REGEX_ERROR_MATCH, "[reading] %s: %s", rule->key,
                    (const char *)why);
        return FALSE;
    }
    if (info == NULL)
        return TRUE;
    /* the groups: from the GRegex, which the metered match has shown to be cheap here */
    return g_regex_match_full(rule->regex, s, (gssize)len, 0, 0, info, error);
}

/* The rule of `rules` whose public regex is `re`, or NULL. */
static const ImpRule *find_rule(const ImpReadRules *rules, const GRegex *re)
{
    const GPtrArray *all = rules->origin;
    for (guint i = 0; all != NULL && i < all->len; i++) {
        const ImpRule *rule = all->pdata[i];
        if (rule->regex == re)
            return rule;
    }
    return NULL;
}

/* Matches a reading rule under its budget of steps; see style.h. */
gboolean imp_read_rules_match(const ImpReadRules *rules, const GRegex *rule, const char *s,
                              gsize len, GMatchInfo **info, GError **error)
{
    g_return_val_if_fail(rules != NULL && rule != NULL && s != NULL, FALSE);
    const ImpRule *r = find_rule(rules, rule);
    if (r == NULL) /* not one of the style's: its own limit, if any */
        return g_regex_match_full(rule, s, (gssize)len, 0, 0, info, error);
    return imp__rule_match(r, s, len, info, error);
}

/* Says where a reading rule comes from; see style.h. */
void imp_read_rules_describe(const ImpReadRules *rules, const GRegex *rule, const char **key,
                             const char **pattern, const char **where)
{
    g_return_if_fail(rules != NULL && rule != NULL);
    const ImpRule *r = find_rule(rules, rule);
    if (key != NULL)
        *key = r != NULL ? r->key : "?";
    if (pattern != NULL)
        *pattern = r != NULL ? r->pattern : g_regex_get_pattern(rule);
    if (where != NULL)
        *where = r != NULL ? r->where : NULL;
}

/* ================================================================ XPath */

/* libxml2 reports a compile error to the thread's structured handler: keep the first. */
static void xpath_error(void *data, xmlErrorPtr err)
{
    char **msg = data;
    if (*msg == NULL && err != NULL && err->message != NULL)
        *msg = g_strstrip(g_strdup(err->message));
}

char *imp__xpath_check(const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(NULL);
    if (ctx == NULL)
        return g_strdup("cannot check XPath expressions (out of memory)");
    /* invariant 4: the handler is this thread's (libxml2 keeps it per thread), and the
       caller's is put back */
    char *why = NULL;
    xmlStructuredErrorFunc old = xmlStructuredError;
    void *old_data = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&why, xpath_error);
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)expr);
    xmlSetStructuredErrorFunc(old_data, old);
    char *msg = NULL;
    if (comp == NULL)
        msg = g_strdup_printf("'%s' is not a valid XPath 1.0 expression: %s", expr,
                              why != NULL ? why : "it does not compile");
    xmlXPathFreeCompExpr(comp);
    xmlXPathFreeContext(ctx);
    g_free(why);
    return msg;
}
