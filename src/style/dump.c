/* dump.c — a resolved style as a key file a user can copy and edit (--dump-style).
 *
 * Every group and key of the schema is written, in schema order, with its effective text
 * (setting, derived value or built-in default) in canonical form; `[style] inherits` is
 * left out because nothing is inherited any more. Localized values follow their key as
 * `key[TAG]=`: for every tag of the sheet (and of the localized defaults), the key's value
 * for that tag, when it differs from what the next shorter tag (or the plain value) gives.
 * So a dump loaded as a style gives the same values for every language.
 *
 * Invariants:
 *  1. A dump loads as a style whose dump is the same text (test-style.c and the style
 *     fuzzer check it).
 *  2. Output order is the schema's and the sorted tags': no hash order.
 */
#include "style/style-private.h"

#include <string.h>

/* The canonical effective text of g.k for `chain`. (transfer full) */
static char *canonical(const ImpSheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                       const char *const *chain)
{
    char *text = imp__effective(sheet, g, k, chain, NULL);
    char *c = imp__value_canonical(k, text);
    g_free(text);
    return c;
}

/* The sorted union of the sheet's tags and the localized defaults' tags. (transfer full) */
static char **all_tags(const ImpSheet *sheet)
{
    GPtrArray *out = g_ptr_array_new();
    const char *const *a = imp__sheet_tags(sheet), *const *b = imp__schema_default_tags();
    while (*a != NULL || *b != NULL) {
        int c = *a == NULL ? 1 : *b == NULL ? -1 : strcmp(*a, *b);
        g_ptr_array_add(out, g_strdup(c <= 0 ? *a : *b));
        if (c <= 0)
            a++;
        if (c >= 0)
            b++;
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* Writes one value into the key file: text keys escaped the key-file way, others raw. */
static void put(GKeyFile *kf, const ImpGroupSpec *g, const ImpKeySpec *k, const char *tag,
                const char *text)
{
    char *name = tag ? g_strdup_printf("%s[%s]", k->name, tag) : g_strdup(k->name);
    if (imp__value_is_text(k->type)) {
        g_key_file_set_string(kf, g->name, name, text);
        gsize len = strlen(text);
        if (len > 0 && text[len - 1] == ' ') {
            /* GKeyFile escapes a leading space as \s but drops trailing ones when the file
               is read again: write them as \s too */
            char *raw = g_key_file_get_value(kf, g->name, name, NULL);
            gsize r = strlen(raw), spaces = 0;
            while (spaces < r && raw[r - 1 - spaces] == ' ')
                spaces++;
            GString *v = g_string_new_len(raw, (gssize)(r - spaces));
            for (gsize i = 0; i < spaces; i++)
                g_string_append(v, "\\s");
            g_key_file_set_value(kf, g->name, name, v->str);
            g_string_free(v, TRUE);
            g_free(raw);
        }
    } else
        g_key_file_set_value(kf, g->name, name, text);
    g_free(name);
}

/* The dump; see the file's comment. (transfer full) */
char *imp_style_dump(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    const ImpSheet *sheet = style->sheet;
    char **tags = all_tags(sheet);
    guint n = g_strv_length(tags);
    char ***chains = g_new0(char **, n + 1);
    for (guint t = 0; t < n; t++)
        chains[t] = imp__lang_chain(tags[t]);

    GKeyFile *kf = g_key_file_new();
    char **values = g_new0(char *, n);
    for (const ImpGroupSpec *const *g = imp__schema_groups(); *g != NULL; g++) {
        for (const ImpKeySpec *const *k = imp__schema_keys(*g); *k != NULL; k++) {
            if ((*k)->type == IMP_KEY_INHERITS)
                continue;
            char *plain = canonical(sheet, *g, *k, NULL);
            put(kf, *g, *k, NULL, plain);
            if (!imp__schema_localizable(*g, *k) || !imp__varies(sheet, *g, *k)) {
                g_free(plain);
                continue;
            }
            for (guint t = 0; t < n; t++)
                values[t] = canonical(sheet, *g, *k, (const char *const *)chains[t]);
            for (guint t = 0; t < n; t++) {
                /* what a load of the dump would give for tags[t] without this line: the
                   value of the next tag of its chain that the dump has, else the plain */
                const char *fallback = plain;
                for (gsize c = 1; chains[t][c] != NULL && fallback == plain; c++)
                    for (guint u = 0; u < n; u++)
                        if (strcmp(tags[u], chains[t][c]) == 0)
                            fallback = values[u];
                if (strcmp(values[t], fallback) != 0)
                    put(kf, *g, *k, tags[t], values[t]);
            }
            for (guint t = 0; t < n; t++)
                g_clear_pointer(&values[t], g_free);
            g_free(plain);
        }
    }
    char *body = g_key_file_to_data(kf, NULL, NULL);
    char *out = g_strdup_printf("# imprint style '%s', fully resolved: every key with the value "
                                "in effect.\n# Lengths keep the unit they were written in; "
                                "load this file as a style to get the same result.\n\n%s",
                                style->res->name, body);
    g_free(body);
    g_key_file_free(kf);
    g_free(values);
    for (guint t = 0; t < n; t++)
        g_strfreev(chains[t]);
    g_free(chains);
    g_strfreev(tags);
    return out;
}
