/* sheet.c — reading style sheets: files, their lines, inheritance and --set overrides,
 * into one table of settings.
 *
 * A load reads the named file and each parent it `inherits` (child first, so a missing
 * parent or a loop is found before anything is applied), checks every group, key, language
 * tag and value of every file as it reads it, then applies the files parents first and the
 * overrides last. Each setting remembers the file and line (or the `--set` option) it came
 * from, so every later error can still point at its source.
 *
 * The key-file syntax is read here rather than by GKeyFile, which cannot say on which line
 * a key is, lets a repeated key or group pass in silence, and leaves `key[TAG]` out of its
 * key lists. The syntax is GKeyFile's (dumps are written with it): `[group]` lines,
 * `key=value` and `key[TAG]=value` lines, `#` comments; text values take the escapes \s \t
 * \n \r \\.
 *
 * Localized values: a key holds a plain value and values by language tag. A file (or a
 * --set) that gives a key's plain value says everything about that key: the tags it
 * inherited are dropped, and only the tags that same file gives stay. A file that gives
 * only `key[TAG]` adds or replaces that one tag and keeps the rest.
 *
 * Invariants:
 *  1. The settings table is only looked up, never iterated into output: tags are sorted
 *     before anyone sees them, and everything else follows the schema's order.
 *  2. [style] name and description belong to the file that says them: a child does not
 *     inherit its parent's name. Everything else is inherited.
 *  3. Nothing of a file is quoted in a message until its first group has shown it to be a
 *     style sheet: `inherits=/etc/shadow` must not print that file's first line.
 *  4. Nothing here reads the environment, the locale or the clock.
 */
#include "style/style-private.h"
#include "util/error.h"
#include "util/file.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Inheritance deeper than this is surely a mistake (and bounds the work). */
#define MAX_DEPTH 32
/* The largest style sheet read: a full one with every key is about 12 KiB. */
#define STYLE_MAX ((gsize)1 << 20)

/* ================================================================ settings */

typedef struct {
    char *tag;          /* canonical */
    ImpSetting *s;
} Variant;

/* Everything said about one key. */
typedef struct {
    ImpSetting *plain;  /* may be NULL */
    GPtrArray *variants; /* Variant*, sorted by tag */
} KeySettings;

struct ImpSheet {
    gint ref;           /* styles localized from one load share their sheet */
    GHashTable *keys;   /* "group.key" -> KeySettings*; looked up only (invariant 1) */
    char **tags;        /* every tag of every variant, sorted */
    guint seq;
    char *default_name; /* the top file's base name without .style */
};

static void setting_free(ImpSetting *s)
{
    if (s == NULL)
        return;
    g_free(s->value);
    g_free(s->origin);
    g_free(s);
}

static void variant_free(gpointer data)
{
    Variant *v = data;
    g_free(v->tag);
    setting_free(v->s);
    g_free(v);
}

static void key_settings_free(gpointer data)
{
    KeySettings *ks = data;
    setting_free(ks->plain);
    g_ptr_array_free(ks->variants, TRUE);
    g_free(ks);
}

static gint variant_cmp(gconstpointer a, gconstpointer b)
{
    const Variant *va = *(const Variant *const *)a, *vb = *(const Variant *const *)b;
    return strcmp(va->tag, vb->tag);
}

static ImpSetting *setting_new(ImpSheet *sheet, const char *value, const char *origin,
                               guint line)
{
    ImpSetting *s = g_new0(ImpSetting, 1);
    s->value = g_strdup(value);
    s->origin = g_strdup(origin);
    s->line = line;
    s->seq = ++sheet->seq;
    return s;
}

static KeySettings *key_settings(ImpSheet *sheet, const char *group, const char *key)
{
    char *k = g_strconcat(group, ".", key, NULL);
    KeySettings *ks = g_hash_table_lookup(sheet->keys, k);
    if (ks == NULL) {
        ks = g_new0(KeySettings, 1);
        ks->variants = g_ptr_array_new_with_free_func(variant_free);
        g_hash_table_insert(sheet->keys, k, ks);
    } else {
        g_free(k);
    }
    return ks;
}

/* Sets group.key's plain value; the tags said before (by parents) are dropped. */
static void sheet_set_plain(ImpSheet *sheet, const char *group, const char *key,
                            const char *value, const char *origin, guint line)
{
    KeySettings *ks = key_settings(sheet, group, key);
    setting_free(ks->plain);
    ks->plain = setting_new(sheet, value, origin, line);
    g_ptr_array_set_size(ks->variants, 0);
}

/* Sets group.key[tag]; the other tags stay. */
static void sheet_set_variant(ImpSheet *sheet, const char *group, const char *key,
                              const char *tag, const char *value, const char *origin,
                              guint line)
{
    KeySettings *ks = key_settings(sheet, group, key);
    for (guint i = 0; i < ks->variants->len; i++) {
        Variant *v = ks->variants->pdata[i];
        if (strcmp(v->tag, tag) == 0) {
            setting_free(v->s);
            v->s = setting_new(sheet, value, origin, line);
            return;
        }
    }
    Variant *v = g_new0(Variant, 1);
    v->tag = g_strdup(tag);
    v->s = setting_new(sheet, value, origin, line);
    g_ptr_array_add(ks->variants, v);
    g_ptr_array_sort(ks->variants, variant_cmp);
}

const ImpSetting *imp__sheet_get(const ImpSheet *sheet, const char *group, const char *key,
                                 const char *const *chain)
{
    char *k = g_strconcat(group, ".", key, NULL);
    const KeySettings *ks = g_hash_table_lookup(sheet->keys, k);
    g_free(k);
    if (ks == NULL)
        return NULL;
    for (gsize i = 0; chain != NULL && chain[i] != NULL; i++)
        for (guint j = 0; j < ks->variants->len; j++) {
            const Variant *v = ks->variants->pdata[j];
            if (strcmp(v->tag, chain[i]) == 0)
                return v->s;
        }
    return ks->plain;
}

gboolean imp__sheet_has_variants(const ImpSheet *sheet, const char *group, const char *key)
{
    char *k = g_strconcat(group, ".", key, NULL);
    const KeySettings *ks = g_hash_table_lookup(sheet->keys, k);
    g_free(k);
    return ks != NULL && ks->variants->len > 0;
}

/* Whether a key of this type, localized, can change nothing but its own text: checked
 * when read, copied as is where derived, in no combination with other keys. */
static gboolean is_textual(ImpKeyType type)
{
    return type == IMP_KEY_STRING || type == IMP_KEY_TEMPLATE || type == IMP_KEY_FAMILY ||
           type == IMP_KEY_TEXT_LIST || type == IMP_KEY_LANG || type == IMP_KEY_XPATH ||
           type == IMP_KEY_XPATH_LIST;
}

gboolean imp__sheet_tag_is_textual(const ImpSheet *sheet, const char *tag)
{
    GHashTableIter it;
    gpointer key, value;
    gboolean textual = TRUE;
    g_hash_table_iter_init(&it, sheet->keys);
    while (textual && g_hash_table_iter_next(&it, &key, &value)) {
        const KeySettings *ks = value;
        const char *dot = strchr(key, '.');
        char *group = g_strndup(key, (gsize)(dot - (const char *)key));
        const ImpGroupSpec *g = imp__schema_group(group);
        const ImpKeySpec *k = imp__schema_key(g, dot + 1);
        g_free(group);
        for (guint i = 0; textual && i < ks->variants->len; i++)
            if (strcmp(((Variant *)ks->variants->pdata[i])->tag, tag) == 0)
                textual = is_textual(k->type);
    }
    return textual;
}

const char *const *imp__sheet_tags(const ImpSheet *sheet)
{
    return (const char *const *)sheet->tags;
}

const char *imp__sheet_default_name(const ImpSheet *sheet)
{
    return sheet->default_name;
}

/* Another reference to the sheet (it is read-only once loaded). */
ImpSheet *imp__sheet_ref(ImpSheet *sheet)
{
    g_atomic_int_inc(&sheet->ref);
    return sheet;
}

/* Drops a reference; the last frees the sheet. */
void imp__sheet_free(ImpSheet *sheet)
{
    if (sheet == NULL || !g_atomic_int_dec_and_test(&sheet->ref))
        return;
    g_hash_table_destroy(sheet->keys);
    g_strfreev(sheet->tags);
    g_free(sheet->default_name);
    g_free(sheet);
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collects the tags of all variants, sorted (invariant 1). */
static void collect_tags(ImpSheet *sheet)
{
    GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, sheet->keys);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        const KeySettings *ks = value;
        for (guint i = 0; i < ks->variants->len; i++)
            g_hash_table_add(set, ((Variant *)ks->variants->pdata[i])->tag);
    }
    GPtrArray *tags = g_ptr_array_new();
    gpointer key;
    g_hash_table_iter_init(&it, set);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(tags, g_strdup(key));
    g_hash_table_destroy(set);
    g_ptr_array_sort(tags, str_cmp);
    g_ptr_array_add(tags, NULL);
    sheet->tags = (char **)g_ptr_array_free(tags, FALSE);
}

char *imp__setting_where(const ImpSetting *s, const char *group, const char *key)
{
    if (g_str_has_prefix(s->origin, "--set "))
        return g_strdup(s->origin);
    if (s->line > 0)
        return g_strdup_printf("%s:%u: [%s] %s", s->origin, s->line, group, key);
    return g_strdup_printf("%s: [%s] %s", s->origin, group, key);
}

/* ================================================================ reading one file */

/* One `key=value` line of a file. */
typedef struct {
    const ImpGroupSpec *group;
    const ImpKeySpec *key;   /* NULL when unknown and not checked */
    char *key_name;          /* as written, without the tag */
    char *tag;               /* canonical, or NULL for the plain value */
    char *value;             /* trimmed; unescaped for text keys */
    guint line;
} Entry;

static void entry_free(gpointer data)
{
    Entry *e = data;
    g_free(e->key_name);
    g_free(e->tag);
    g_free(e->value);
    g_free(e);
}

/* One style file as read. */
typedef struct {
    char *path;
    GPtrArray *entries;      /* Entry*, in file order */
} Source;

static void source_free(gpointer data)
{
    Source *src = data;
    if (src == NULL)
        return;
    g_free(src->path);
    g_ptr_array_free(src->entries, TRUE);
    g_free(src);
}

/* "FILE:LINE: MESSAGE" as a style error. */
static void line_error(GError **error, const char *path, guint line, const char *format, ...)
    G_GNUC_PRINTF(4, 5);
static void line_error(GError **error, const char *path, guint line, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    if (line > 0)
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s:%u: %s", path, line, msg);
    else
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", path, msg);
    g_free(msg);
}

/* A text value unescaped the key-file way; NULL and a message on a bad escape. */
static char *unescape(const char *raw, char **msg)
{
    GString *out = g_string_new(NULL);
    for (const char *p = raw; *p != '\0'; p++) {
        if (*p != '\\') {
            g_string_append_c(out, *p);
            continue;
        }
        char c = p[1];
        char r = c == 's' ? ' ' : c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r'
               : c == '\\' ? '\\' : '\0';
        if (r == '\0') {
            *msg = g_strdup_printf("'%s' has an invalid escape sequence (write \\\\ for a "
                                   "backslash, \\s for a leading space)", raw);
            g_string_free(out, TRUE);
            return NULL;
        }
        g_string_append_c(out, r);
        p++;
    }
    return g_string_free(out, FALSE);
}

/* The value of one key as the style means it: trimmed, then text keys unescaped the
 * key-file way ("\s", "\\"), regexes, lists and numbers taken raw, so "\s" in a regex
 * stays "\s". NULL and a message (transfer full) on a bad escape. */
static char *fetch_value(const ImpKeySpec *spec, const char *raw, char **msg)
{
    char *v = g_strstrip(g_strdup(raw));
    if (spec == NULL || !imp__value_is_text(spec->type))
        return v;
    char *u = unescape(v, msg);
    g_free(v);
    return u;
}

/* Finds the first noncharacter (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF) in valid UTF-8: valid,
 * but never text, and cairo refuses a PDF whose text holds one. */
static gboolean find_noncharacter(const char *s, gsize len, gsize *offset, gunichar *c)
{
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar u = g_utf8_get_char(p);
        if ((u >= 0xFDD0 && u <= 0xFDEF) || (u & 0xFFFE) == 0xFFFE) {
            *offset = (gsize)(p - s);
            *c = u;
            return TRUE;
        }
    }
    return FALSE;
}

/* What a `key[TAG]` needs: a tag that is one, on a key that may be localized. Returns
 * the canonical tag (transfer full) or NULL with *msg set. */
static char *check_tag(const ImpGroupSpec *g, const ImpKeySpec *k, const char *tag, char **msg)
{
    char *canon = imp__lang_canonical(tag);
    if (canon == NULL) {
        char *fixed = g_strdelimit(g_strdup(tag), "_", '-');
        char *again = strchr(tag, '_') != NULL ? imp__lang_canonical(fixed) : NULL;
        *msg = g_strdup_printf("'%s' is not a BCP 47 language tag (such as en, zh-Hans, "
                               "ja)%s%s", tag, again ? "; write " : "", again ? again : "");
        g_free(again);
        g_free(fixed);
        return NULL;
    }
    if (k != NULL && !imp__schema_localizable(g, k)) {
        *msg = g_strdup_printf("[%s] %s cannot be localized", g->name, k->name);
        g_free(canon);
        return NULL;
    }
    return canon;
}

/* Checks one key line of group `g` ("key" or "key[TAG]", `raw` its value) and makes its
 * entry. `where` is how messages start ("FILE:LINE: [g]" or "--set g.k"). `check`: also
 * check the value (a look at one key for detection need not). */
static Entry *make_entry(const ImpGroupSpec *g, const char *lhs, const char *raw, guint line,
                         gboolean check, char **msg)
{
    char *name = g_strdup(lhs), *tag = NULL;
    char *open = strchr(name, '[');
    if (open != NULL) {
        char *close = strchr(open, ']');
        if (close == NULL || close[1] != '\0' || close == open + 1) {
            *msg = g_strdup_printf("%s: a localized key is written key[TAG], such as "
                                   "right[zh-Hans]", name);
            g_free(name);
            return NULL;
        }
        *close = '\0';
        tag = g_strdup(open + 1);
        *open = '\0';
        g_strchomp(name);
    }
    const ImpKeySpec *k = imp__schema_key(g, name);
    Entry *e = NULL;
    if (k == NULL && check) {
        const char *hint = imp__schema_suggest_key(g, name);
        *msg = g_strdup_printf("%s: unknown key%s%s%s", name, hint ? " (did you mean '" : "",
                               hint ? hint : "", hint ? "'?)" : "");
    } else {
        char *canon = NULL;
        if (tag == NULL || (canon = check_tag(g, k, tag, msg)) != NULL) {
            char *value = fetch_value(k, raw, msg);
            ImpValue parsed;
            char *bad = value != NULL && check ? imp__value_parse(k, value, &parsed) : NULL;
            if (value != NULL && bad == NULL) {
                e = g_new0(Entry, 1);
                e->group = g;
                e->key = k;
                e->key_name = g_strdup(name);
                e->tag = canon;
                e->value = value;
                e->line = line;
                canon = NULL;
                value = NULL;
            }
            if (bad != NULL)
                *msg = bad;
            g_free(value);
        }
        g_free(canon);
        if (*msg != NULL) {
            char *full = tag ? g_strdup_printf("%s[%s]: %s", name, tag, *msg)
                             : g_strdup_printf("%s: %s", name, *msg);
            g_free(*msg);
            *msg = full;
        }
    }
    g_free(name);
    g_free(tag);
    return e;
}

/* A group header's name, or NULL when `s` (trimmed) is not a well-formed `[name]` line. */
static char *group_name(const char *s)
{
    if (*s != '[')
        return NULL;
    const char *end = strchr(s, ']');
    if (end == NULL || end == s + 1)
        return NULL;
    for (const char *p = end + 1; *p != '\0'; p++)
        if (*p != ' ' && *p != '\t')
            return NULL;
    char *name = g_strndup(s + 1, (gsize)(end - s - 1));
    if (strchr(name, '[') != NULL) {
        g_free(name);
        return NULL;
    }
    return name;
}

/* Parses and checks the text of one style file (valid UTF-8, BOM removed). `check`: report
 * unknown keys and bad values too (otherwise they are skipped). */
static gboolean parse_source(Source *src, const char *text, gboolean check, GError **error)
{
    char **lines = g_strsplit(text, "\n", -1);
    GHashTable *group_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *key_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const ImpGroupSpec *group = NULL;
    char *group_text = NULL;  /* the current group as written */
    gboolean in_unknown = FALSE, established = FALSE, ok = TRUE;
    for (guint i = 0; ok && lines[i] != NULL; i++) {
        guint line = i + 1;
        char *s = g_strstrip(lines[i]);
        if (*s == '\0' || *s == '#')
            continue;
        char *name = group_name(s);
        if (!established) {
            /* invariant 3: the first group decides whether this is a style sheet; a near
               miss of a known group is a typo in one, anything else is not one */
            const char *hint = name ? imp__schema_suggest_group(name) : NULL;
            if (name == NULL || (imp__schema_group(name) == NULL && hint == NULL)) {
                line_error(error, src->path, line, "not a style sheet: its first line that "
                           "is not blank or a # comment must be a group such as [style]");
                g_free(name);
                ok = FALSE;
                break;
            }
            established = TRUE;
        }
        if (name != NULL) {
            guint first = GPOINTER_TO_UINT(g_hash_table_lookup(group_lines, name));
            group = imp__schema_group(name);
            if (first != 0) {
                line_error(error, src->path, line, "group [%s] appears twice in one file "
                           "(first at line %u); write its keys in one group", name, first);
                ok = FALSE;
            } else if (group == NULL && check) {
                const char *hint = imp__schema_suggest_group(name);
                line_error(error, src->path, line, "unknown group [%s]%s%s%s", name,
                           hint ? " (did you mean [" : "", hint ? hint : "",
                           hint ? "]?)" : "");
                ok = FALSE;
            }
            g_hash_table_insert(group_lines, g_strdup(name), GUINT_TO_POINTER(line));
            in_unknown = group == NULL;
            g_free(group_text);
            group_text = name;
            continue;
        }
        char *eq = strchr(s, '=');
        if (*s == '[' || eq == NULL || eq == s) {
            line_error(error, src->path, line, "key-file syntax error: the line is not a "
                       "[group], a key=value pair or a # comment");
            ok = FALSE;
            break;
        }
        if (in_unknown)
            continue; /* only when not checking */
        char *lhs = g_strchomp(g_strndup(s, (gsize)(eq - s)));
        char *msg = NULL;
        Entry *e = make_entry(group, lhs, eq + 1, line, check, &msg);
        if (e == NULL && msg != NULL) {
            line_error(error, src->path, line, "[%s] %s", group->name, msg);
            ok = FALSE;
        } else if (e != NULL) {
            /* one key (and tag) once per file: a second is surely a mistake */
            char *id = g_strdup_printf("%s.%s[%s]", group->name, e->key_name,
                                       e->tag ? e->tag : "");
            guint first = GPOINTER_TO_UINT(g_hash_table_lookup(key_lines, id));
            if (first != 0) {
                line_error(error, src->path, line, "[%s] %s%s%s%s: set twice in one file "
                           "(first at line %u)", group->name, e->key_name, e->tag ? "[" : "",
                           e->tag ? e->tag : "", e->tag ? "]" : "", first);
                ok = FALSE;
                entry_free(e);
                g_free(id);
            } else {
                g_hash_table_insert(key_lines, id, GUINT_TO_POINTER(line));
                if (e->key != NULL)
                    g_ptr_array_add(src->entries, e);
                else
                    entry_free(e);
            }
        }
        g_free(msg);
        g_free(lhs);
    }
    g_free(group_text);
    g_hash_table_destroy(group_lines);
    g_hash_table_destroy(key_lines);
    g_strfreev(lines);
    return ok;
}

/* Reads and parses one style file, and checks it unless `check` is FALSE (only for a look
 * at one key that a checked load confirms later). (transfer full) */
static Source *source_read(const char *path, gboolean check, GError **error)
{
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    /* bounded: `--style /dev/zero` must not read forever */
    if (!imp_file_load_max(path, STYLE_MAX, &text, &len, &err)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "cannot read the style sheet: %s",
                    err->message);
        g_error_free(err);
        return NULL;
    }
    /* Bytes that are not UTF-8 and NUL bytes are refused, naming the line and byte */
    const char *stop;
    if (!g_utf8_validate(text, (gssize)len, &stop)) {
        gsize off = (gsize)(stop - text);
        guint line = 1;
        for (const char *p = text; p < stop; p++)
            line += *p == '\n';
        line_error(error, path, line, "%s at byte offset %" G_GSIZE_FORMAT,
                   *stop == '\0' ? "a NUL byte" : "invalid UTF-8", off);
        g_free(text);
        return NULL;
    }
    /* a byte-order mark some editors write: not part of the first line */
    const char *body = text;
    if (g_str_has_prefix(body, "\xEF\xBB\xBF"))
        body += 3;
    Source *src = g_new0(Source, 1);
    src->path = g_strdup(path);
    src->entries = g_ptr_array_new_with_free_func(entry_free);
    gboolean ok = parse_source(src, body, check, error);
    gsize nc_off;
    gunichar nc;
    if (ok && find_noncharacter(text, len, &nc_off, &nc)) {
        guint line = 1;
        for (gsize i = 0; i < nc_off; i++)
            line += text[i] == '\n';
        line_error(error, path, line, "noncharacter U+%04X at byte offset %" G_GSIZE_FORMAT,
                   nc, nc_off);
        ok = FALSE;
    }
    g_free(text);
    if (!ok) {
        source_free(src);
        return NULL;
    }
    return src;
}

/* The entry of group.key (plain) in `src`, or NULL. */
static const Entry *source_get(const Source *src, const char *group, const char *key)
{
    for (guint i = 0; i < src->entries->len; i++) {
        const Entry *e = src->entries->pdata[i];
        if (e->tag == NULL && strcmp(e->group->name, group) == 0 &&
            strcmp(e->key->name, key) == 0)
            return e;
    }
    return NULL;
}

/* ================================================================ finding files */

gboolean imp__style_is_path(const char *name)
{
    return strchr(name, '/') != NULL || g_str_has_suffix(name, ".style");
}

char *imp__style_find(const char *name, const char *const *dirs)
{
    char *file = g_strconcat(name, ".style", NULL);
    char *found = NULL;
    for (gsize i = 0; dirs != NULL && dirs[i] != NULL && found == NULL; i++) {
        char *p = g_build_filename(dirs[i], file, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
            found = p;
        else
            g_free(p);
    }
    g_free(file);
    return found;
}

/* "looked in: a, b" for a not-found message. (transfer full) */
static char *looked_in(const char *const *dirs)
{
    if (dirs == NULL || dirs[0] == NULL)
        return g_strdup("no style directories given");
    char *list = g_strjoinv(", ", (char **)dirs);
    char *s = g_strconcat("looked in: ", list, NULL);
    g_free(list);
    return s;
}

/* The same file, however it was named: realpath when the file exists. (transfer full) */
static char *canonical_path(const char *path)
{
    char *real = realpath(path, NULL);
    if (real == NULL)
        return g_canonicalize_filename(path, NULL);
    char *s = g_strdup(real);
    free(real);
    return s;
}

/* ================================================================ loading the chain */

/* Reads `top` and its parents, child first, into `chain` (of Source); `check` as for
 * source_read. */
static gboolean read_chain(const char *top, const char *const *dirs, gboolean check,
                           GPtrArray *chain, GError **error)
{
    GPtrArray *seen = g_ptr_array_new_with_free_func(g_free); /* canonical paths */
    char *path = g_strdup(top);
    gboolean ok = TRUE;
    while (ok && path != NULL) {
        Source *src = source_read(path, check, error);
        if (src == NULL) {
            ok = FALSE;
            break;
        }
        g_ptr_array_add(chain, src);
        g_ptr_array_add(seen, canonical_path(path));
        g_free(path);
        path = NULL;

        const Entry *e = source_get(src, "style", "inherits");
        if (e == NULL || *e->value == '\0')
            break;
        const char *inherits = e->value;
        char *at = g_strdup_printf("%s:%u: [style] inherits", src->path, e->line);
        if (imp__style_is_path(inherits)) {
            if (g_path_is_absolute(inherits)) {
                path = g_strdup(inherits);
            } else {
                char *dir = g_path_get_dirname(src->path);
                path = g_build_filename(dir, inherits, NULL);
                g_free(dir);
            }
            if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
                g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                            "%s: parent style '%s' not found (no file %s)", at, inherits, path);
                ok = FALSE;
            }
        } else {
            path = imp__style_find(inherits, dirs);
            if (path == NULL) {
                char *looked = looked_in(dirs);
                g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                            "%s: parent style '%s' not found (%s)", at, inherits, looked);
                g_free(looked);
                ok = FALSE;
            }
        }
        if (ok) {
            char *canon = canonical_path(path);
            for (guint i = 0; i < seen->len; i++) {
                if (strcmp(seen->pdata[i], canon) != 0)
                    continue;
                GString *loop = g_string_new(NULL);
                for (guint j = i; j < chain->len; j++)
                    g_string_append_printf(loop, "%s -> ",
                                           ((Source *)chain->pdata[j])->path);
                g_string_append(loop, path);
                g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: inheritance loop: %s",
                            at, loop->str);
                g_string_free(loop, TRUE);
                ok = FALSE;
                break;
            }
            g_free(canon);
        }
        if (ok && chain->len >= MAX_DEPTH) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                        "%s: inheritance is more than %d styles deep", at, MAX_DEPTH);
            ok = FALSE;
        }
        g_free(at);
    }
    g_free(path);
    g_ptr_array_free(seen, TRUE);
    return ok;
}

/* Applies one checked file's keys to the sheet: plain values first (each dropping the tags
 * its key inherited), then the file's tags. `top`: the file the user named, the only one
 * whose [style] name and description count (invariant 2). */
static void apply_source(ImpSheet *sheet, const Source *src, gboolean top)
{
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; i < src->entries->len; i++) {
            const Entry *e = src->entries->pdata[i];
            if ((e->tag != NULL) != (pass == 1) || e->key->type == IMP_KEY_INHERITS)
                continue;
            if (e->group->kind == IMP_GROUP_STYLE && !top)
                continue;
            if (e->tag == NULL)
                sheet_set_plain(sheet, e->group->name, e->key->name, e->value, src->path,
                                e->line);
            else
                sheet_set_variant(sheet, e->group->name, e->key->name, e->tag, e->value,
                                  src->path, e->line);
        }
    }
}

/* Applies one "group.key=value" or "group.key[TAG]=value" override, whose value is
 * key-file value text, exactly as a file's line would be read. */
static gboolean apply_override(ImpSheet *sheet, const char *override, GError **error)
{
    const char *eq = strchr(override, '=');
    char *lhs = eq ? g_strstrip(g_strndup(override, (gsize)(eq - override))) : NULL;
    char *dot = lhs ? strchr(lhs, '.') : NULL;
    if (dot == NULL || dot == lhs || dot[1] == '\0') {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "--set '%s': expected group.key=value, such as body.font-size=11pt",
                    override);
        g_free(lhs);
        return FALSE;
    }
    *dot = '\0';
    const char *group = lhs, *key = dot + 1;
    char *origin = g_strdup_printf("--set %s.%s", group, key);
    gboolean ok = FALSE;
    gsize nc_off;
    gunichar nc;
    const ImpGroupSpec *g = imp__schema_group(group);
    char *bare = g_strdup(key);
    if (strchr(bare, '[') != NULL)
        *strchr(bare, '[') = '\0';
    const ImpKeySpec *k = g ? imp__schema_key(g, g_strchomp(bare)) : NULL;
    if (g == NULL) {
        const char *hint = imp__schema_suggest_group(group);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: unknown group [%s]%s%s%s", origin,
                    group, hint ? " (did you mean [" : "", hint ? hint : "", hint ? "]?)" : "");
    } else if (k == NULL) {
        const char *hint = imp__schema_suggest_key(g, bare);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: unknown key in [%s]%s%s%s", origin,
                    group, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
    } else if (k->type == IMP_KEY_INHERITS) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "%s: the parent style cannot be changed with --set; write a style that "
                    "inherits the one you want", origin);
    } else if (strpbrk(eq + 1, "\r\n") != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: the value must be one line", origin);
    } else if (find_noncharacter(eq + 1, strlen(eq + 1), &nc_off, &nc)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: noncharacter U+%04X in the value",
                    origin, nc);
    } else {
        char *msg = NULL;
        Entry *e = make_entry(g, key, eq + 1, 0, TRUE, &msg);
        if (e == NULL) {
            /* the message starts with the key, which the origin already names */
            const char *colon = msg ? strstr(msg, ": ") : NULL;
            g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", origin,
                        colon ? colon + 2 : msg ? msg : "bad value");
        } else {
            if (e->tag == NULL)
                sheet_set_plain(sheet, group, e->key->name, e->value, origin, 0);
            else
                sheet_set_variant(sheet, group, e->key->name, e->tag, e->value, origin, 0);
            entry_free(e);
            ok = TRUE;
        }
        g_free(msg);
    }
    g_free(bare);
    g_free(origin);
    g_free(lhs);
    return ok;
}

/* Loads a sheet; see style-private.h. (transfer full) */
ImpSheet *imp__sheet_load(const char *top, const char *const *dirs,
                          const char *const *overrides, GError **error)
{
    ImpSheet *sheet = g_new0(ImpSheet, 1);
    sheet->ref = 1;
    sheet->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, key_settings_free);
    char *base = g_path_get_basename(top);
    if (g_str_has_suffix(base, ".style"))
        base[strlen(base) - strlen(".style")] = '\0';
    sheet->default_name = base;

    GPtrArray *chain = g_ptr_array_new_with_free_func(source_free);
    gboolean ok = read_chain(top, dirs, TRUE, chain, error);
    for (guint i = chain->len; ok && i > 0; i--)
        apply_source(sheet, chain->pdata[i - 1], i == 1);
    for (gsize i = 0; ok && overrides != NULL && overrides[i] != NULL; i++)
        ok = apply_override(sheet, overrides[i], error);
    g_ptr_array_free(chain, TRUE);
    if (!ok) {
        imp__sheet_free(sheet);
        return NULL;
    }
    collect_tags(sheet);
    return sheet;
}

/* The nearest plain value of group.key in the chain of `path`, unchecked; see
 * style-private.h. (transfer full) */
char *imp__sheet_peek(const char *path, const char *const *dirs, const char *group,
                      const char *key, char **file, guint *line)
{
    GPtrArray *chain = g_ptr_array_new_with_free_func(source_free);
    char *value = NULL;
    if (read_chain(path, dirs, FALSE, chain, NULL)) {
        for (guint i = 0; i < chain->len && value == NULL; i++) {
            const Source *src = chain->pdata[i];
            const Entry *e = source_get(src, group, key);
            if (e == NULL)
                continue;
            value = g_strdup(e->value);
            *file = g_strdup(src->path);
            *line = e->line;
        }
    }
    g_ptr_array_free(chain, TRUE);
    return value;
}
