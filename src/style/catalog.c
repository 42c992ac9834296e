/* catalog.c — the styles in the style directories: their list, and which one is a site's.
 *
 * Both look at every NAME.style of the directories in name order (a name in several
 * directories counts once: the first directory wins, as for imp_style_load).
 *
 * Invariants:
 *  1. Output follows the sorted names: no directory or hash order.
 *  2. Detection is bounded: it reads at most DETECT_BYTES of the input, and each detect
 *     rule runs with the match limits of rules.c; a rule that gives up is reported once
 *     and its style not chosen.
 */
#include "style/style-private.h"

#include <string.h>

/* imp_style_detect looks at this much of the input. */
#define DETECT_BYTES (64 * 1024)

typedef struct {
    char *name;
    char *path;
} Entry;

static void entry_free(gpointer data)
{
    Entry *e = data;
    g_free(e->name);
    g_free(e->path);
    g_free(e);
}

static gint entry_cmp(gconstpointer a, gconstpointer b)
{
    const Entry *ea = *(const Entry *const *)a, *eb = *(const Entry *const *)b;
    return strcmp(ea->name, eb->name);
}

/* Every NAME.style in the dirs, sorted by name; for a name in several dirs the first dir
 * wins. (transfer full) */
static GPtrArray *list_entries(const char *const *dirs)
{
    GPtrArray *entries = g_ptr_array_new_with_free_func(entry_free);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal); /* lookup only */
    for (gsize i = 0; dirs != NULL && dirs[i] != NULL; i++) {
        GDir *dir = g_dir_open(dirs[i], 0, NULL);
        if (dir == NULL)
            continue;
        const char *file;
        while ((file = g_dir_read_name(dir)) != NULL) {
            if (!g_str_has_suffix(file, ".style") || strlen(file) == strlen(".style"))
                continue;
            char *name = g_strndup(file, strlen(file) - strlen(".style"));
            char *path = g_build_filename(dirs[i], file, NULL);
            if (g_hash_table_contains(seen, name) || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
                g_free(name);
                g_free(path);
                continue;
            }
            Entry *e = g_new0(Entry, 1);
            e->name = name;
            e->path = path;
            g_hash_table_add(seen, e->name);
            g_ptr_array_add(entries, e);
        }
        g_dir_close(dir);
    }
    g_hash_table_destroy(seen);
    g_ptr_array_sort(entries, entry_cmp);
    return entries;
}

/* Trims ASCII and Unicode white space (and a byte-order mark) from both ends of a valid
 * UTF-8 string, in place; returns the start. */
static char *trim_line(char *s)
{
    while (*s != '\0') {
        gunichar c = g_utf8_get_char(s);
        if (!g_unichar_isspace(c) && c != 0xFEFF)
            break;
        s = g_utf8_next_char(s);
    }
    char *end = s + strlen(s);
    while (end > s) {
        char *prev = g_utf8_prev_char(end);
        gunichar c = g_utf8_get_char(prev);
        if (!g_unichar_isspace(c) && c != 0xFEFF)
            break;
        end = prev;
    }
    *end = '\0';
    return s;
}

typedef enum { NO_MATCH, MATCH, GAVE_UP } Match;

/* Whether `rule` matches some whole trimmed line of text[0..len); on GAVE_UP, *line is
 * the input's line where it stopped and *why the reason (transfer full). */
static Match matches_a_line(const ImpRule *rule, const char *text, gsize len, guint *line,
                            char **why)
{
    const char *p = text, *end = text + len;
    for (guint n = 1; p < end; n++) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *line_end = nl ? nl : end;
        char *copy = g_utf8_make_valid(p, (gssize)(line_end - p));
        char *s = trim_line(copy);
        GError *err = NULL;
        gboolean hit = imp__rule_match(rule, s, strlen(s), NULL, &err);
        g_free(copy);
        if (err != NULL) {
            *line = n;
            const char *reason = g_strrstr(err->message, ": ");
            *why = g_strdup(reason != NULL ? reason + 2 : err->message);
            g_error_free(err);
            return GAVE_UP;
        }
        if (hit)
            return MATCH;
        p = nl ? nl + 1 : end;
    }
    return NO_MATCH;
}

/* Returns the first style, in name order, whose detect rule matches a line of the input's
 * first 64 KiB. Styles that fail to load are skipped: a broken user style must not stop
 * detection of the others. Only a style whose rule matches is loaded in full (to see that
 * it loads and still has that rule); for the others the rule is read alone, which is most
 * of the cost saved at start-up. (transfer full) */
char *imp_style_detect(const char *text, gsize len, const char *const *style_dirs,
                       const ImpDiag *diag)
{
    g_return_val_if_fail(text != NULL || len == 0, NULL);
    GPtrArray *entries = list_entries(style_dirs);
    gsize n = MIN(len, (gsize)DETECT_BYTES);
    char *found = NULL;
    for (guint i = 0; i < entries->len && found == NULL; i++) {
        const Entry *e = entries->pdata[i];
        char *file = NULL, *why = NULL;
        guint line = 0, input_line = 0;
        char *pattern = imp__sheet_peek(e->path, style_dirs, "reading", "detect", &file, &line);
        char *bad = pattern != NULL && *pattern != '\0' ? imp__regex_check(pattern, NULL) : NULL;
        Match m = NO_MATCH;
        if (pattern != NULL && *pattern != '\0' && bad == NULL) {
            char *where = g_strdup_printf("%s:%u", file, line);
            ImpRule *rule = imp__rule_new("detect", pattern, where, 1);
            m = matches_a_line(rule, text, n, &input_line, &why);
            imp__rule_free(rule);
            g_free(where);
        }
        if (m == GAVE_UP)
            imp_diag_report(diag, IMP_DIAG_WARNING, file, line,
                            "[reading] detect rule %s gave up on line %u of the input (%s); "
                            "style '%s' is not detected", pattern, input_line, why, e->name);
        if (m == MATCH) {
            ImpStyle *style = imp_style_load(e->path, style_dirs, NULL, NULL);
            const ImpReadRules *rd = style != NULL ? imp_style_get_read_rules(style) : NULL;
            if (rd != NULL && rd->detect != NULL) {
                const ImpRule *rule = NULL;
                const GPtrArray *rules = rd->origin;
                for (guint r = 0; r < rules->len; r++)
                    if (imp__rule_regex(rules->pdata[r]) == rd->detect)
                        rule = rules->pdata[r];
                char *why2 = NULL;
                if (rule != NULL && matches_a_line(rule, text, n, &input_line, &why2) == MATCH)
                    found = g_strdup(e->name);
                g_free(why2);
            }
            imp_style_free(style);
        }
        g_free(bad);
        g_free(why);
        g_free(pattern);
        g_free(file);
    }
    g_ptr_array_free(entries, TRUE);
    return found;
}

/* ------------------------------------------------------------------------------------ */
/* A detector: every site style's detection rule, loaded once for many inputs            */
/* ------------------------------------------------------------------------------------ */

typedef struct {
    char *name;
    ImpStyle *style;        /* loaded in full: it loads, and this is its rule */
    const ImpRule *rule;    /* its detect rule (the style's) */
    char *pattern, *file;   /* the rule as written, and where */
    guint line;
} Candidate;

struct ImpStyleDetector {
    GPtrArray *candidates;  /* Candidate*, in name order */
};

static void candidate_free(gpointer data)
{
    Candidate *c = data;
    g_free(c->name);
    g_free(c->pattern);
    g_free(c->file);
    imp_style_free(c->style);
    g_free(c);
}

/* Loads every style of the dirs that has a detect rule (those that fail to load are left
 * out, as imp_style_detect skips them); see style.h. (transfer full) */
ImpStyleDetector *imp_style_detector_new(const char *const *style_dirs)
{
    ImpStyleDetector *d = g_new0(ImpStyleDetector, 1);
    d->candidates = g_ptr_array_new_with_free_func(candidate_free);
    GPtrArray *entries = list_entries(style_dirs);
    for (guint i = 0; i < entries->len; i++) {
        const Entry *e = entries->pdata[i];
        char *file = NULL;
        guint line = 0;
        char *pattern = imp__sheet_peek(e->path, style_dirs, "reading", "detect", &file, &line);
        if (pattern == NULL || *pattern == '\0') {
            g_free(pattern);
            g_free(file);
            continue;
        }
        ImpStyle *style = imp_style_load(e->path, style_dirs, NULL, NULL);
        const ImpReadRules *rd = style != NULL ? imp_style_get_read_rules(style) : NULL;
        const ImpRule *rule = NULL;
        const GPtrArray *rules = rd != NULL ? rd->origin : NULL;
        for (guint r = 0; rd != NULL && rd->detect != NULL && r < rules->len; r++)
            if (imp__rule_regex(rules->pdata[r]) == rd->detect)
                rule = rules->pdata[r];
        if (rule == NULL) {
            imp_style_free(style);
            g_free(pattern);
            g_free(file);
            continue;
        }
        Candidate *c = g_new0(Candidate, 1);
        c->name = g_strdup(e->name);
        c->style = style;
        c->rule = rule;
        c->pattern = pattern;
        c->file = file;
        c->line = line;
        g_ptr_array_add(d->candidates, c);
    }
    g_ptr_array_free(entries, TRUE);
    return d;
}

void imp_style_detector_free(ImpStyleDetector *detector)
{
    if (detector == NULL)
        return;
    g_ptr_array_free(detector->candidates, TRUE);
    g_free(detector);
}

/* The first candidate whose rule matches a line of the input's first 64 KiB, as
 * imp_style_detect finds it; a rule that gives up is reported and passed over. */
const char *imp_style_detector_find(const ImpStyleDetector *detector, const char *text,
                                    gsize len, const ImpDiag *diag)
{
    g_return_val_if_fail(detector != NULL && (text != NULL || len == 0), NULL);
    gsize n = MIN(len, (gsize)DETECT_BYTES);
    for (guint i = 0; i < detector->candidates->len; i++) {
        const Candidate *c = detector->candidates->pdata[i];
        guint input_line = 0;
        char *why = NULL;
        Match m = matches_a_line(c->rule, text, n, &input_line, &why);
        if (m == GAVE_UP)
            imp_diag_report(diag, IMP_DIAG_WARNING, c->file, c->line,
                            "[reading] detect rule %s gave up on line %u of the input (%s); "
                            "style '%s' is not detected", c->pattern, input_line, why,
                            c->name);
        g_free(why);
        if (m == MATCH)
            return c->name;
    }
    return NULL;
}

/* "name\tdescription" for every style in the dirs, sorted by name. A style that does not
 * load is still listed, with the reason in place of its description, so a user can see
 * why their file is not usable. (transfer full) */
char **imp_style_list(const char *const *style_dirs)
{
    GPtrArray *entries = list_entries(style_dirs);
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < entries->len; i++) {
        const Entry *e = entries->pdata[i];
        GError *err = NULL;
        ImpStyle *style = imp_style_load(e->path, style_dirs, NULL, &err);
        if (style != NULL) {
            g_ptr_array_add(out, g_strdup_printf("%s\t%s", e->name,
                                                 imp_style_get_description(style)));
        } else {
            char *msg = g_strdelimit(g_strdup(err->message), "\t\r\n", ' ');
            g_ptr_array_add(out, g_strdup_printf("%s\t(cannot be loaded: %s)", e->name, msg));
            g_free(msg);
            g_error_free(err);
        }
        imp_style_free(style);
    }
    g_ptr_array_free(entries, TRUE);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}
