/* detect.c — site detection for a batch: every style's detection rule loaded once per run,
 * then matched against each document, instead of the style stage reading every style file
 * again for each document (imp_style_detect(): some 14 million instructions a document,
 * against 0.1 million for the matching alone).
 *
 * The choice is imp_style_detect()'s: the first style in name order, among those of the
 * context's styles folder that load, whose detection rule matches a line of the input's
 * first 64 KiB, a line being made valid UTF-8 and trimmed of white space (Unicode's, and a
 * byte-order mark) at both ends. tests/e2e/batch.sh checks that a batch's outputs are the
 * one-document runs', site styles included.
 *
 * Threads: built before the workers start, then only read; GRegex is safe to match from
 * several threads at once.
 */
#include <string.h>

#include "batch.h"

/* imp_style_detect looks at this much of the input. */
#define DETECT_BYTES (64 * 1024)

struct ImpDetector {
    GPtrArray *names;   /* of char*: styles with a detection rule, in name order */
    GPtrArray *styles;  /* of ImpStyle*, parallel */
};

ImpDetector *imp__detector_new(ImpContext *ctx)
{
    ImpDetector *d = g_new0(ImpDetector, 1);
    d->names = g_ptr_array_new_with_free_func(g_free);
    d->styles = g_ptr_array_new_with_free_func((GDestroyNotify)imp_style_free);
    char **lines = imp_style_list(ctx->style_dirs); /* "name\tdescription", by name */
    for (guint i = 0; lines[i] != NULL; i++) {
        const char *tab = strchr(lines[i], '\t');
        char *name = tab != NULL ? g_strndup(lines[i], (gsize)(tab - lines[i]))
                                 : g_strdup(lines[i]);
        ImpStyle *style = imp_style_load(name, ctx->style_dirs, NULL, NULL);
        if (style != NULL && imp_style_get_read_rules(style)->detect != NULL) {
            g_ptr_array_add(d->names, name);
            g_ptr_array_add(d->styles, style);
        } else {
            imp_style_free(style);
            g_free(name);
        }
    }
    g_strfreev(lines);
    return d;
}

void imp__detector_free(ImpDetector *d)
{
    if (d == NULL)
        return;
    g_ptr_array_free(d->styles, TRUE);
    g_ptr_array_free(d->names, TRUE);
    g_free(d);
}

/* Whether a character is trimmed from a line's ends. */
static gboolean is_trimmed(gunichar c)
{
    return g_unichar_isspace(c) || c == 0xFEFF;
}

/* Whether `re` matches a line of text[0, len), made valid and trimmed. */
static gboolean matches_a_line(const GRegex *re, const char *text, gsize len)
{
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *line_end = nl != NULL ? nl : end;
        char *line = g_utf8_make_valid(p, (gssize)(line_end - p));
        char *s = line, *e = line + strlen(line);
        while (*s != '\0' && is_trimmed(g_utf8_get_char(s)))
            s = g_utf8_next_char(s);
        while (e > s && is_trimmed(g_utf8_get_char(g_utf8_prev_char(e))))
            e = g_utf8_prev_char(e);
        *e = '\0';
        gboolean hit = g_regex_match(re, s, 0, NULL);
        g_free(line);
        if (hit)
            return TRUE;
        p = nl != NULL ? nl + 1 : end;
    }
    return FALSE;
}

const char *imp__detector_find(const ImpDetector *d, const char *text, gsize len)
{
    gsize n = MIN(len, (gsize)DETECT_BYTES);
    for (guint i = 0; i < d->styles->len; i++)
        if (matches_a_line(imp_style_get_read_rules(d->styles->pdata[i])->detect, text, n))
            return d->names->pdata[i];
    return NULL;
}
