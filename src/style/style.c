/* style.c — loading style sheets: files, inheritance, --set overrides, resolution, dumps,
 * site detection and the list of styles.
 *
 * A load reads the named file and each parent it `inherits` (child first, so a missing
 * parent or a loop is found before anything is applied), checks every group, key and value
 * of every file as it reads it, then applies the files parents first and the overrides
 * last into one table of settings. Each setting remembers the file and line (or the
 * `--set` option) it came from, so every later error can still point at its source.
 * Resolution then asks, for every key of the schema in order, for its effective text —
 * the setting, or else the documented fallback (the [body] value, the regular slot, the
 * built-in default) — parses it into the public structs and writes the same text into the
 * resolved key file that imp_style_dump() prints.
 *
 * Invariants:
 *  1. The settings table is only looked up, never iterated: every output follows the
 *     schema's order, so no hash order reaches a user.
 *  2. One effective text per key drives both the structs and the dump, so loading a dump
 *     gives the same resolved style.
 *  3. [style] name and description belong to the file that says them: a child does not
 *     inherit its parent's name. Everything else is inherited.
 *  4. Nothing here reads the environment, the locale or the clock.
 */
#include "style/style-private.h"
#include "util/error.h"
#include "util/file.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Inheritance deeper than this is surely a mistake (and bounds the work). */
#define MAX_DEPTH 32
/* The largest style sheet read: a full one with every key is about 6 KiB. */
#define STYLE_MAX ((gsize)1 << 20)
/* imp_style_detect looks at this much of the input. */
#define DETECT_BYTES (64 * 1024)

struct ImpStyle {
    char *name;
    char *description;
    char *path;
    ImpPageStyle page;
    ImpRoleStyle roles[IMP_N_ROLES];
    ImpRunningStyle header, footer;
    ImpDocumentStyle document;
    ImpReadRules read;
    GPtrArray *strings;   /* owns every string the structs above point to */
    GKeyFile *resolved;   /* every group and key with its effective value, for dumps */
};

/* ================================================================ settings */

/* One key's value and where it was said. */
typedef struct {
    char *value;   /* trimmed; unescaped for text keys, raw for regexes and numbers */
    char *origin;  /* the file, or "--set group.key" */
    guint line;    /* 1-based line in origin; 0 for --set */
    guint seq;     /* application order: a higher seq was applied later */
} Setting;

typedef struct {
    GHashTable *settings; /* "group.key" -> Setting*; looked up only (invariant 1) */
    guint seq;
    char *default_name;   /* the top file's base name without .style */
} Sheet;

static void setting_free(gpointer data)
{
    Setting *s = data;
    g_free(s->value);
    g_free(s->origin);
    g_free(s);
}

static void sheet_set(Sheet *sheet, const char *group, const char *key, const char *value,
                      const char *origin, guint line)
{
    Setting *s = g_new0(Setting, 1);
    s->value = g_strdup(value);
    s->origin = g_strdup(origin);
    s->line = line;
    s->seq = ++sheet->seq;
    g_hash_table_insert(sheet->settings, g_strconcat(group, ".", key, NULL), s);
}

static const Setting *sheet_get(const Sheet *sheet, const char *group, const char *key)
{
    char *k = g_strconcat(group, ".", key, NULL);
    const Setting *s = g_hash_table_lookup(sheet->settings, k);
    g_free(k);
    return s;
}

/* "FILE:LINE: [group] key" or "--set group.key": the head of a message about one key. */
static char *where(const char *origin, guint line, const char *group, const char *key)
{
    if (g_str_has_prefix(origin, "--set "))
        return g_strdup(origin);
    if (line > 0)
        return g_strdup_printf("%s:%u: [%s] %s", origin, line, group, key);
    return g_strdup_printf("%s: [%s] %s", origin, group, key);
}

/* ================================================================ reading one file */

/* One style file as read: its text, the parsed key file and the line of every group
 * and key (GKeyFile keeps no line numbers, so they are found by scanning the text). */
typedef struct {
    char *path;
    GKeyFile *kf;
    GHashTable *lines;  /* "group" and "group.key" -> line */
} Source;

static void source_free(gpointer data)
{
    Source *src = data;
    if (src == NULL)
        return;
    g_free(src->path);
    if (src->kf != NULL)
        g_key_file_free(src->kf);
    if (src->lines != NULL)
        g_hash_table_destroy(src->lines);
    g_free(src);
}

static guint source_line(const Source *src, const char *group, const char *key)
{
    char *k = key != NULL ? g_strconcat(group, ".", key, NULL) : g_strdup(group);
    guint line = GPOINTER_TO_UINT(g_hash_table_lookup(src->lines, k));
    g_free(k);
    return line;
}

/* Records the line of each group header (its first) and key (its last, the one GKeyFile
 * keeps), and returns the first line GKeyFile could not accept, or 0. */
static guint scan_lines(const char *text, GHashTable *lines)
{
    char **all = g_strsplit(text, "\n", -1);
    char *group = NULL;
    guint bad = 0;
    for (guint i = 0; all[i] != NULL; i++) {
        guint line = i + 1;
        char *s = g_strstrip(all[i]);
        if (*s == '\0' || *s == '#')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (end == NULL) {
                bad = bad ? bad : line;
                continue;
            }
            g_free(group);
            group = g_strndup(s + 1, (gsize)(end - s - 1));
            if (!g_hash_table_contains(lines, group))
                g_hash_table_insert(lines, g_strdup(group), GUINT_TO_POINTER(line));
            continue;
        }
        char *eq = strchr(s, '=');
        if (eq == NULL || group == NULL) {
            bad = bad ? bad : line;
            continue;
        }
        char *key = g_strstrip(g_strndup(s, (gsize)(eq - s)));
        g_hash_table_insert(lines, g_strconcat(group, ".", key, NULL), GUINT_TO_POINTER(line));
        g_free(key);
    }
    g_free(group);
    g_strfreev(all);
    return bad;
}

static gboolean is_text_type(ImpKeyType type)
{
    return type == IMP_KEY_STRING || type == IMP_KEY_INHERITS || type == IMP_KEY_LANG ||
           type == IMP_KEY_FAMILY || type == IMP_KEY_TEMPLATE;
}

/* The value of one key as the style means it: text keys are unescaped the key-file way
 * ("\s", "\\"), regexes and numbers are taken raw, so "\s" in a regex stays "\s".
 * Returns NULL and a message (transfer full) in *msg on a bad escape. */
static char *fetch_value(GKeyFile *kf, const char *group, const ImpKeySpec *spec, char **msg)
{
    GError *err = NULL;
    char *v;
    if (is_text_type(spec->type))
        v = g_key_file_get_string(kf, group, spec->name, &err);
    else
        v = g_key_file_get_value(kf, group, spec->name, &err);
    if (err != NULL) {
        char *raw = g_key_file_get_value(kf, group, spec->name, NULL);
        *msg = g_strdup_printf("'%s' has an invalid escape sequence (write \\\\ for a "
                               "backslash, \\s for a leading space)", raw ? raw : "");
        g_free(raw);
        g_error_free(err);
        g_free(v);
        return NULL;
    }
    return g_strstrip(v);
}

/* Checks every group, key and value of `kf`, in file order, reporting the first problem.
 * `origin` and `src` say where the text came from (src is NULL for --set). */
static gboolean check_keyfile(GKeyFile *kf, const Source *src, const char *origin,
                              GError **error)
{
    gsize n_groups = 0;
    char **groups = g_key_file_get_groups(kf, &n_groups);
    gboolean ok = TRUE;
    for (gsize i = 0; ok && i < n_groups; i++) {
        const ImpGroupSpec *g = imp__schema_group(groups[i]);
        if (g == NULL) {
            const char *hint = imp__schema_suggest_group(groups[i]);
            guint line = src ? source_line(src, groups[i], NULL) : 0;
            char *at = line ? g_strdup_printf("%s:%u", origin, line) : g_strdup(origin);
            g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: unknown group [%s]%s%s%s", at,
                        groups[i], hint ? " (did you mean [" : "", hint ? hint : "",
                        hint ? "]?)" : "");
            g_free(at);
            ok = FALSE;
            break;
        }
        char **keys = g_key_file_get_keys(kf, groups[i], NULL, NULL);
        for (gsize j = 0; ok && keys[j] != NULL; j++) {
            const ImpKeySpec *k = imp__schema_key(g, keys[j]);
            char *msg = NULL;
            if (k == NULL) {
                const char *hint = imp__schema_suggest_key(g, keys[j]);
                msg = g_strdup_printf("unknown key%s%s%s",
                                      hint ? " (did you mean '" : "", hint ? hint : "",
                                      hint ? "'?)" : "");
            } else {
                char *v = fetch_value(kf, groups[i], k, &msg);
                if (v != NULL) {
                    ImpValue value;
                    msg = imp__value_parse(k, v, &value);
                    g_free(v);
                }
            }
            if (msg != NULL) {
                /* where: only now, as most keys are fine and it is most of the cost */
                guint line = src ? source_line(src, groups[i], keys[j]) : 0;
                char *at = where(origin, line, groups[i], keys[j]);
                g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", at, msg);
                g_free(at);
                ok = FALSE;
            }
            g_free(msg);
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    return ok;
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
    /* GKeyFile takes bytes that are not UTF-8 into keys and messages, and stops at a NUL
       byte without a word: refuse both here, naming the line and byte */
    const char *stop;
    if (!g_utf8_validate(text, (gssize)len, &stop)) {
        gsize off = (gsize)(stop - text);
        guint line = 1;
        for (const char *p = text; p < stop; p++)
            line += *p == '\n';
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "%s:%u: %s at byte offset %" G_GSIZE_FORMAT, path, line,
                    *stop == '\0' ? "a NUL byte" : "invalid UTF-8", off);
        g_free(text);
        return NULL;
    }
    gsize nc_off;
    gunichar nc;
    if (find_noncharacter(text, len, &nc_off, &nc)) {
        guint line = 1;
        for (gsize i = 0; i < nc_off; i++)
            line += text[i] == '\n';
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "%s:%u: noncharacter U+%04X at byte offset %" G_GSIZE_FORMAT, path, line,
                    nc, nc_off);
        g_free(text);
        return NULL;
    }
    Source *src = g_new0(Source, 1);
    src->path = g_strdup(path);
    src->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    src->kf = g_key_file_new();
    guint bad = scan_lines(text, src->lines);
    if (!g_key_file_load_from_data(src->kf, text, len, G_KEY_FILE_NONE, &err)) {
        char *at = bad ? g_strdup_printf("%s:%u", path, bad) : g_strdup(path);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: key-file syntax error: %s", at,
                    err->message);
        g_free(at);
        g_error_free(err);
        g_free(text);
        source_free(src);
        return NULL;
    }
    g_free(text);
    if (check && !check_keyfile(src->kf, src, path, error)) {
        source_free(src);
        return NULL;
    }
    return src;
}

/* ================================================================ finding files */

static gboolean is_path(const char *name)
{
    return strchr(name, '/') != NULL || g_str_has_suffix(name, ".style");
}

/* The first DIR/NAME.style in `dirs`, or NULL. (transfer full) */
static char *find_in_dirs(const char *name, const char *const *dirs)
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

        char *inherits = g_key_file_get_string(src->kf, "style", "inherits", NULL);
        if (inherits != NULL)
            g_strstrip(inherits);
        if (inherits == NULL || *inherits == '\0') {
            g_free(inherits);
            break;
        }
        guint line = source_line(src, "style", "inherits");
        char *at = where(src->path, line, "style", "inherits");
        if (is_path(inherits)) {
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
            path = find_in_dirs(inherits, dirs);
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
        g_free(inherits);
    }
    g_free(path);
    g_ptr_array_free(seen, TRUE);
    return ok;
}

/* Applies one checked file's keys to the sheet, in schema order. `top`: the file the user
 * named, the only one whose [style] name and description count (invariant 3). */
static void apply_source(Sheet *sheet, const Source *src, gboolean top)
{
    for (const ImpGroupSpec *const *g = imp__schema_groups(); *g != NULL; g++) {
        if (!g_key_file_has_group(src->kf, (*g)->name))
            continue;
        for (const ImpKeySpec *const *k = (*g)->keys; *k != NULL; k++) {
            if ((*k)->type == IMP_KEY_INHERITS)
                continue;
            if ((*g)->kind == IMP_GROUP_STYLE && !top)
                continue;
            if (!g_key_file_has_key(src->kf, (*g)->name, (*k)->name, NULL))
                continue;
            char *msg = NULL;
            char *v = fetch_value(src->kf, (*g)->name, *k, &msg);
            g_assert(v != NULL); /* check_keyfile accepted it */
            sheet_set(sheet, (*g)->name, (*k)->name, v, src->path,
                      source_line(src, (*g)->name, (*k)->name));
            g_free(v);
        }
    }
}

/* Applies one "group.key=value" override; the value is key-file value text. */
static gboolean apply_override(Sheet *sheet, const char *override, GError **error)
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
    const ImpKeySpec *k = g ? imp__schema_key(g, key) : NULL;
    if (g == NULL) {
        const char *hint = imp__schema_suggest_group(group);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: unknown group [%s]%s%s%s", origin,
                    group, hint ? " (did you mean [" : "", hint ? hint : "", hint ? "]?)" : "");
    } else if (k == NULL) {
        const char *hint = imp__schema_suggest_key(g, key);
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
        /* Read the value through GKeyFile, so --set means exactly what the file would. */
        char *text = g_strdup_printf("[%s]\n%s=%s\n", group, key, eq + 1);
        GKeyFile *kf = g_key_file_new();
        GError *err = NULL;
        if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &err)) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", origin, err->message);
            g_error_free(err);
        } else if (check_keyfile(kf, NULL, origin, error)) {
            char *msg = NULL;
            char *v = fetch_value(kf, group, k, &msg);
            g_assert(v != NULL);
            sheet_set(sheet, group, key, v, origin, 0);
            g_free(v);
            ok = TRUE;
        }
        g_key_file_free(kf);
        g_free(text);
    }
    g_free(origin);
    g_free(lhs);
    return ok;
}

/* ================================================================ defaults */

/* Built-in values for keys that neither the chain nor the fallbacks set. They match
 * docs/styles.md; default.style repeats them so a dump of it is the whole story. */
static const struct {
    const char *key, *value;
} fixed_defaults[] = {
    { "page.size", "A4" },
    { "page.orientation", "portrait" },
    { "page.margin-top", "25mm" },
    { "page.margin-bottom", "25mm" },
    { "page.margin-left", "25mm" },
    { "page.margin-right", "25mm" },
    { "page.header-height", "12mm" },
    { "page.footer-height", "12mm" },
    { "document.lang", "en" },
    { "document.lang-han", "zh-Hans" },
    { "document.lang-kana", "ja" },
    { "document.lang-hangul", "ko" },
    { "document.line-breaking", "optimal" },
    { "document.widows", "2" },
    { "document.orphans", "2" },
    { "document.max-stretch", "0.5em" },
    { "document.han-latin-gap", "0.25em" },
    { "document.masthead", "false" },
    { "body.font-family", "Noto Serif" },
    { "body.font-family-han", "Noto Serif CJK SC" },
    { "body.font-family-kana", "Noto Serif CJK JP" },
    { "body.font-family-hangul", "Noto Serif CJK KR" },
    { "body.font-family-fallback", "Noto Sans Symbols,Noto Sans Symbols2,DejaVu Sans" },
    { "body.font-style", "normal" },
    { "body.color", "#000000" },
    { "body.line-height", "1.5" },
    { "notice.placement", "end" },
};

/* Per-role built-in defaults for the keys that do not fall back to [body]. */
static const struct {
    const char *size, *weight, *before, *after, *indent, *align, *hyphens;
} role_defaults[IMP_N_ROLES] = {
    [IMP_ROLE_BODY] = { "10.5pt", "normal", "0", "6pt", "0", "justify", "auto" },
    [IMP_ROLE_TITLE] = { "20pt", "bold", "0", "14pt", "0", "left", "none" },
    [IMP_ROLE_SUBTITLE] = { "13pt", "normal", "0", "12pt", "0", "left", "none" },
    [IMP_ROLE_H1] = { "15pt", "bold", "18pt", "6pt", "0", "left", "none" },
    [IMP_ROLE_H2] = { "12.5pt", "bold", "14pt", "4pt", "0", "left", "none" },
    [IMP_ROLE_H3] = { "11pt", "bold", "12pt", "3pt", "0", "left", "none" },
    [IMP_ROLE_QUOTE] = { "10pt", "normal", "6pt", "6pt", "0", "justify", "auto" },
    [IMP_ROLE_LIST] = { "10.5pt", "normal", "0", "3pt", "0", "justify", "auto" },
    [IMP_ROLE_CODE] = { "9pt", "normal", "6pt", "6pt", "0", "left", "none" },
    [IMP_ROLE_HEADER] = { "8pt", "normal", "0", "0", "0", "left", "none" },
    [IMP_ROLE_FOOTER] = { "8pt", "normal", "0", "0", "0", "left", "none" },
    [IMP_ROLE_NOTICE] = { "8.5pt", "normal", "4pt", "4pt", "0", "justify", "auto" },
    [IMP_ROLE_MASTHEAD] = { "9pt", "bold", "0", "12pt", "0", "left", "none" },
};

static char *effective(const Sheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                       const Setting **from);

/* The value of a key nobody set: see the fallback rules in docs/styles.md. */
static char *fallback(const Sheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                      const Setting **from)
{
    const char *key = k->name;
    char *full = g_strconcat(g->name, ".", key, NULL);
    const char *fixed = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(fixed_defaults) && fixed == NULL; i++)
        if (strcmp(fixed_defaults[i].key, full) == 0)
            fixed = fixed_defaults[i].value;
    g_free(full);
    if (fixed != NULL)
        return g_strdup(fixed);

    if (g->kind == IMP_GROUP_STYLE)
        return g_strdup(strcmp(key, "name") == 0 ? sheet->default_name : "");
    if (g->kind != IMP_GROUP_ROLE)
        return g_strdup(""); /* [reading]: no rule */

    const ImpGroupSpec *body = imp__schema_group("body");
    if (g_str_has_prefix(key, "first-"))
        return effective(sheet, g, imp__schema_key(g, key + strlen("first-")), from);
    if (strcmp(key, "rule-color") == 0)
        return effective(sheet, g, imp__schema_key(g, "color"), from);
    if (k->type == IMP_KEY_FAMILY || strcmp(key, "color") == 0 ||
        strcmp(key, "font-style") == 0)
        return effective(sheet, body, k, from);
    if (strcmp(key, "line-height") == 0) {
        /* [body]'s line height as a multiple, so a heading keeps the body's rhythm. */
        char *text = effective(sheet, body, k, from);
        ImpValue lh, size;
        char *msg = imp__value_parse(k, text, &lh);
        g_assert(msg == NULL);
        if (lh.unit == IMP_UNIT_NONE || lh.unit == IMP_UNIT_EM)
            return text;
        g_free(text);
        const ImpKeySpec *size_key = imp__schema_key(body, "font-size");
        char *size_text = effective(sheet, body, size_key, NULL);
        msg = imp__value_parse(size_key, size_text, &size);
        g_assert(msg == NULL);
        g_free(size_text);
        return imp__format_number(lh.pt / size.pt);
    }
    if (strcmp(key, "rule-thickness") == 0 || k->type == IMP_KEY_TEMPLATE)
        return g_strdup(k->type == IMP_KEY_TEMPLATE ? "" : "0");

    const int r = g->role;
    const char *v = strcmp(key, "font-size") == 0 ? role_defaults[r].size
                  : strcmp(key, "font-weight") == 0 ? role_defaults[r].weight
                  : strcmp(key, "space-before") == 0 ? role_defaults[r].before
                  : strcmp(key, "space-after") == 0 ? role_defaults[r].after
                  : strcmp(key, "text-indent") == 0 ? role_defaults[r].indent
                  : strcmp(key, "text-align") == 0 ? role_defaults[r].align
                  : strcmp(key, "hyphens") == 0 ? role_defaults[r].hyphens
                  : NULL;
    g_assert(v != NULL); /* every role key has a rule above */
    return g_strdup(v);
}

/* The effective text of g.k: the setting, else its fallback. *from (may be NULL) gets the
 * setting the text came from, or NULL for a built-in default. (transfer full) */
static char *effective(const Sheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                       const Setting **from)
{
    const Setting *s = sheet_get(sheet, g->name, k->name);
    if (from != NULL)
        *from = s;
    if (s != NULL)
        return g_strdup(s->value);
    return fallback(sheet, g, k, from);
}

/* ================================================================ resolution */

/* What resolution reads (the settings) and fills (the style). */
typedef struct {
    const Sheet *sheet;
    ImpStyle *style;
} Resolver;

static const char *keep(ImpStyle *style, char *s)
{
    g_ptr_array_add(style->strings, s);
    return s;
}

/* Resolves g.k: writes the effective text to the dump and parses it into *v.
 * Returns the text (transfer none, kept by the style), or NULL with error set. */
static const char *resolve_key(Resolver *r, const ImpGroupSpec *g, const char *key,
                               ImpValue *v, GError **error)
{
    const ImpKeySpec *k = imp__schema_key(g, key);
    g_assert(k != NULL);
    const Setting *from = NULL;
    char *text = effective(r->sheet, g, k, &from);
    ImpValue scratch;
    if (v == NULL)
        v = &scratch;
    char *msg = imp__value_parse(k, text, v);
    if (msg != NULL) {
        /* Only a derived value can fail here (each setting was checked when read). */
        char *at = from ? where(from->origin, from->line, g->name, key)
                        : g_strdup_printf("[%s] %s", g->name, key);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", at, msg);
        g_free(at);
        g_free(msg);
        g_free(text);
        return NULL;
    }
    if (is_text_type(k->type)) {
        if (k->type == IMP_KEY_FAMILY) {
            char **families = imp__family_split(text);
            g_free(text);
            text = g_strjoinv(",", families);
            g_strfreev(families);
        }
        g_key_file_set_string(r->style->resolved, g->name, key, text);
    } else if (k->type == IMP_KEY_REGEX || k->type == IMP_KEY_REGEX_LIST) {
        g_key_file_set_value(r->style->resolved, g->name, key, text);
    } else {
        char *canon = imp__value_format(k, v);
        g_key_file_set_value(r->style->resolved, g->name, key, canon);
        g_free(canon);
    }
    return keep(r->style, text);
}

/* A length key that may be in em: in pt for a role of font size `size`. */
static double role_length(const ImpValue *v, double size)
{
    return v->unit == IMP_UNIT_EM ? v->number * size : v->pt;
}

static gboolean resolve_role(Resolver *r, ImpRole role, GError **error)
{
    const ImpGroupSpec *g = imp__schema_group(imp_role_name(role));
    ImpRoleStyle *rs = &r->style->roles[role];
    static const char *const family_keys[IMP_N_SCRIPTS] = {
        "font-family", "font-family-han", "font-family-kana", "font-family-hangul",
        "font-family-fallback"
    };
    ImpValue v;
    for (int s = 0; s < IMP_N_SCRIPTS; s++) {
        if ((rs->family[s] = resolve_key(r, g, family_keys[s], NULL, error)) == NULL)
            return FALSE;
    }
    for (int s = 0; s < IMP_N_SCRIPTS; s++) {
        GString *chain = g_string_new(rs->family[s]);
        const char *more[] = { rs->family[IMP_SCRIPT_FALLBACK], rs->family[IMP_SCRIPT_HAN] };
        for (gsize i = 0; i < G_N_ELEMENTS(more); i++)
            if (*more[i] != '\0' && strcmp(more[i], rs->family[s]) != 0 &&
                (i == 0 || strcmp(more[i], rs->family[IMP_SCRIPT_FALLBACK]) != 0))
                g_string_append_printf(chain, "%s%s", chain->len > 0 ? "," : "", more[i]);
        rs->family_chain[s] = keep(r->style, g_string_free(chain, FALSE));
    }
    if (!resolve_key(r, g, "font-size", &v, error))
        return FALSE;
    rs->size = v.pt;
    if (!resolve_key(r, g, "font-weight", &v, error))
        return FALSE;
    rs->weight = v.index;
    if (!resolve_key(r, g, "font-style", &v, error))
        return FALSE;
    rs->italic = v.index == 1;
    if (!resolve_key(r, g, "color", &v, error))
        return FALSE;
    rs->color = v.color;
    if (!resolve_key(r, g, "line-height", &v, error))
        return FALSE;
    rs->leading = v.unit == IMP_UNIT_NONE || v.unit == IMP_UNIT_EM ? v.number * rs->size : v.pt;
    if (!resolve_key(r, g, "space-before", &v, error))
        return FALSE;
    rs->space_before = role_length(&v, rs->size);
    if (!resolve_key(r, g, "space-after", &v, error))
        return FALSE;
    rs->space_after = role_length(&v, rs->size);
    if (!resolve_key(r, g, "text-indent", &v, error))
        return FALSE;
    rs->indent = role_length(&v, rs->size);
    if (!resolve_key(r, g, "text-align", &v, error))
        return FALSE;
    rs->align = (ImpAlign)v.index;
    if (!resolve_key(r, g, "hyphens", &v, error))
        return FALSE;
    rs->hyphenate = v.index == 0;

    if (role == IMP_ROLE_HEADER || role == IMP_ROLE_FOOTER) {
        ImpRunningStyle *run = role == IMP_ROLE_HEADER ? &r->style->header : &r->style->footer;
        static const char *const slots[IMP_N_SLOTS] = { "left", "center", "right" };
        static const char *const first[IMP_N_SLOTS] = {
            "first-left", "first-center", "first-right"
        };
        for (int s = 0; s < IMP_N_SLOTS; s++) {
            if ((run->slot[s] = resolve_key(r, g, slots[s], NULL, error)) == NULL)
                return FALSE;
        }
        for (int s = 0; s < IMP_N_SLOTS; s++) {
            if ((run->first_slot[s] = resolve_key(r, g, first[s], NULL, error)) == NULL)
                return FALSE;
        }
        if (!resolve_key(r, g, "rule-thickness", &v, error))
            return FALSE;
        run->rule.thickness = v.pt;
        if (!resolve_key(r, g, "rule-color", &v, error))
            return FALSE;
        run->rule.color = v.color;
    } else if (role == IMP_ROLE_NOTICE) {
        if (!resolve_key(r, g, "placement", &v, error))
            return FALSE;
        r->style->document.notice_placement = (ImpNoticePlacement)v.index;
        if (!resolve_key(r, g, "rule-thickness", &v, error))
            return FALSE;
        r->style->document.notice_rule.thickness = v.pt;
        if (!resolve_key(r, g, "rule-color", &v, error))
            return FALSE;
        r->style->document.notice_rule.color = v.color;
    }
    return TRUE;
}

/* Of the keys named in `keys` (NULL-terminated) in [page], the setting said last: the one
 * a user most likely has to change when their combination does not work. */
static const Setting *latest_page_setting(const Sheet *sheet, const char *const *keys)
{
    const Setting *best = NULL;
    for (gsize i = 0; keys[i] != NULL; i++) {
        const Setting *s = sheet_get(sheet, "page", keys[i]);
        if (s == NULL)
            continue;
        /* Within one file, the line written last; across files, the file applied last. */
        gboolean later = best == NULL ||
            (strcmp(s->origin, best->origin) == 0 ? s->line > best->line : s->seq > best->seq);
        if (later)
            best = s;
    }
    return best;
}

/* Sets a page error at the latest of `keys`, or at the top file if all are defaults. */
static void page_error(Resolver *r, const char *const *keys, GError **error,
                       const char *format, ...) G_GNUC_PRINTF(4, 5);
static void page_error(Resolver *r, const char *const *keys, GError **error,
                       const char *format, ...)
{
    const Setting *s = latest_page_setting(r->sheet, keys);
    const char *key = keys[0];
    for (gsize i = 0; s != NULL && keys[i] != NULL; i++)
        if (sheet_get(r->sheet, "page", keys[i]) == s)
            key = keys[i];
    char *at = s ? where(s->origin, s->line, "page", key)
                 : g_strdup_printf("%s: [page]", r->style->path);
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", at, msg);
    g_free(msg);
    g_free(at);
}

static gboolean resolve_page(Resolver *r, GError **error)
{
    const ImpGroupSpec *g = imp__schema_group("page");
    ImpPageStyle *p = &r->style->page;
    ImpValue v;
    if (!resolve_key(r, g, "size", &v, error))
        return FALSE;
    p->width = v.width;
    p->height = v.height;
    if (!resolve_key(r, g, "orientation", &v, error))
        return FALSE;
    if (v.index == IMP_ORIENT_LANDSCAPE) {
        double w = p->width;
        p->width = p->height;
        p->height = w;
    }
    struct {
        const char *key;
        double *field;
    } lengths[] = {
        { "margin-top", &p->margin_top },
        { "margin-bottom", &p->margin_bottom },
        { "margin-left", &p->margin_left },
        { "margin-right", &p->margin_right },
        { "header-height", &p->header_height },
        { "footer-height", &p->footer_height },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(lengths); i++) {
        if (!resolve_key(r, g, lengths[i].key, &v, error))
            return FALSE;
        *lengths[i].field = v.pt;
    }

    static const char *const width_keys[] = {
        "margin-left", "margin-right", "size", "orientation", NULL
    };
    static const char *const height_keys[] = {
        "margin-top", "margin-bottom", "size", "orientation", NULL
    };
    static const char *const header_keys[] = { "header-height", "margin-top", NULL };
    static const char *const footer_keys[] = { "footer-height", "margin-bottom", NULL };
    double text_w = p->width - p->margin_left - p->margin_right;
    double text_h = p->height - p->margin_top - p->margin_bottom;
    char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    gboolean ok = FALSE;
    if (text_w < 72) {
        page_error(r, width_keys, error,
                   "the margins leave a text area %spt wide (page %spt, margin-left %spt, "
                   "margin-right %spt); it must be at least 72pt",
                   a = imp__format_number(round(text_w * 100) / 100),
                   b = imp__format_number(round(p->width * 100) / 100),
                   c = imp__format_number(round(p->margin_left * 100) / 100),
                   d = imp__format_number(round(p->margin_right * 100) / 100));
    } else if (text_h < 72) {
        page_error(r, height_keys, error,
                   "the margins leave a text area %spt high (page %spt, margin-top %spt, "
                   "margin-bottom %spt); it must be at least 72pt",
                   a = imp__format_number(round(text_h * 100) / 100),
                   b = imp__format_number(round(p->height * 100) / 100),
                   c = imp__format_number(round(p->margin_top * 100) / 100),
                   d = imp__format_number(round(p->margin_bottom * 100) / 100));
    } else if (p->header_height > p->margin_top) {
        page_error(r, header_keys, error,
                   "the header band (header-height %spt) is taller than margin-top (%spt); "
                   "the header sits inside the top margin",
                   a = imp__format_number(round(p->header_height * 100) / 100),
                   b = imp__format_number(round(p->margin_top * 100) / 100));
    } else if (p->footer_height > p->margin_bottom) {
        page_error(r, footer_keys, error,
                   "the footer band (footer-height %spt) is taller than margin-bottom (%spt); "
                   "the footer sits inside the bottom margin",
                   a = imp__format_number(round(p->footer_height * 100) / 100),
                   b = imp__format_number(round(p->margin_bottom * 100) / 100));
    } else {
        ok = TRUE;
    }
    g_free(a);
    g_free(b);
    g_free(c);
    g_free(d);
    return ok;
}

static gboolean resolve_document(Resolver *r, GError **error)
{
    const ImpGroupSpec *g = imp__schema_group("document");
    ImpDocumentStyle *doc = &r->style->document;
    ImpValue v;
    if ((doc->language = resolve_key(r, g, "lang", NULL, error)) == NULL ||
        (doc->han_language = resolve_key(r, g, "lang-han", NULL, error)) == NULL ||
        (doc->kana_language = resolve_key(r, g, "lang-kana", NULL, error)) == NULL ||
        (doc->hangul_language = resolve_key(r, g, "lang-hangul", NULL, error)) == NULL)
        return FALSE;
    if (!resolve_key(r, g, "line-breaking", &v, error))
        return FALSE;
    doc->line_breaking = (ImpLineBreaking)v.index;
    if (!resolve_key(r, g, "widows", &v, error))
        return FALSE;
    doc->widows = v.index;
    if (!resolve_key(r, g, "orphans", &v, error))
        return FALSE;
    doc->orphans = v.index;
    if (!resolve_key(r, g, "max-stretch", &v, error))
        return FALSE;
    doc->max_stretch = v.number;
    if (!resolve_key(r, g, "han-latin-gap", &v, error))
        return FALSE;
    doc->han_latin_gap = v.number;
    if (!resolve_key(r, g, "masthead", &v, error))
        return FALSE;
    doc->masthead = v.index;
    return TRUE;
}

/* Compiles a regex key; an empty text gives *out = NULL. */
static gboolean resolve_regex(Resolver *r, const ImpGroupSpec *g, const char *key,
                              GRegex **out, GError **error)
{
    const char *text = resolve_key(r, g, key, NULL, error);
    if (text == NULL)
        return FALSE;
    *out = *text ? imp__regex_compile(text, NULL) : NULL;
    g_assert(*text == '\0' || *out != NULL); /* it compiled when the file was read */
    return TRUE;
}

static gboolean resolve_reading(Resolver *r, GError **error)
{
    const ImpGroupSpec *g = imp__schema_group("reading");
    ImpReadRules *rd = &r->style->read;
    if (!resolve_regex(r, g, "detect", &rd->detect, error) ||
        !resolve_regex(r, g, "masthead", &rd->masthead, error) ||
        !resolve_regex(r, g, "breadcrumb", &rd->breadcrumb, error))
        return FALSE;
    const char *chrome = resolve_key(r, g, "chrome", NULL, error);
    if (chrome == NULL)
        return FALSE;
    char **items = imp__regex_list_split(chrome);
    guint n = g_strv_length(items);
    rd->chrome = g_new0(GRegex *, n + 1);
    for (guint i = 0; i < n; i++) {
        rd->chrome[i] = imp__regex_compile(items[i], NULL);
        g_assert(rd->chrome[i] != NULL);
    }
    g_strfreev(items);
    if (!resolve_regex(r, g, "notice-start", &rd->notice_start, error) ||
        !resolve_regex(r, g, "notice-end", &rd->notice_end, error))
        return FALSE;
    const char *site = resolve_key(r, g, "site", NULL, error);
    const char *source = site ? resolve_key(r, g, "source", NULL, error) : NULL;
    if (source == NULL)
        return FALSE;
    rd->site = *site ? site : NULL;
    rd->source = *source ? source : NULL;
    return TRUE;
}

static gboolean resolve(Resolver *r, GError **error)
{
    ImpStyle *style = r->style;
    const ImpGroupSpec *g = imp__schema_group("style");
    const char *name = resolve_key(r, g, "name", NULL, error);
    const char *description = name ? resolve_key(r, g, "description", NULL, error) : NULL;
    if (description == NULL)
        return FALSE;
    style->name = g_strdup(name);
    style->description = g_strdup(description);
    if (!resolve_page(r, error) || !resolve_document(r, error))
        return FALSE;
    for (int role = 0; role < IMP_N_ROLES; role++)
        if (!resolve_role(r, (ImpRole)role, error))
            return FALSE;
    return resolve_reading(r, error);
}

/* ================================================================ public: load */

/* Loads, inherits, overrides, checks and resolves a style; see style.h. The steps are in
 * this file's header comment. (transfer full) */
ImpStyle *imp_style_load(const char *name_or_path, const char *const *style_dirs,
                         const char *const *overrides, GError **error)
{
    g_return_val_if_fail(name_or_path != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    char *top = NULL;
    if (is_path(name_or_path)) {
        top = g_strdup(name_or_path);
    } else if (*name_or_path != '\0') {
        top = find_in_dirs(name_or_path, style_dirs);
    }
    if (top == NULL) {
        char *looked = looked_in(style_dirs);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "style '%s' not found (%s)",
                    name_or_path, looked);
        g_free(looked);
        return NULL;
    }

    GPtrArray *chain = g_ptr_array_new_with_free_func(source_free);
    Sheet sheet = { 0 };
    sheet.settings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, setting_free);
    char *base = g_path_get_basename(top);
    if (g_str_has_suffix(base, ".style"))
        base[strlen(base) - strlen(".style")] = '\0';
    sheet.default_name = base;

    ImpStyle *style = NULL;
    gboolean ok = read_chain(top, style_dirs, TRUE, chain, error);
    for (guint i = chain->len; ok && i > 0; i--)
        apply_source(&sheet, chain->pdata[i - 1], i == 1);
    for (gsize i = 0; ok && overrides != NULL && overrides[i] != NULL; i++)
        ok = apply_override(&sheet, overrides[i], error);
    if (ok) {
        style = g_new0(ImpStyle, 1);
        style->path = g_strdup(top);
        style->strings = g_ptr_array_new_with_free_func(g_free);
        style->resolved = g_key_file_new();
        Resolver r = { &sheet, style };
        if (!resolve(&r, error)) {
            imp_style_free(style);
            style = NULL;
        }
    }
    g_ptr_array_free(chain, TRUE);
    g_hash_table_destroy(sheet.settings);
    g_free(sheet.default_name);
    g_free(top);
    return style;
}

/* Frees the style with its strings and regexes. NULL is a no-op. */
void imp_style_free(ImpStyle *style)
{
    if (style == NULL)
        return;
    ImpReadRules *rd = &style->read;
    g_clear_pointer(&rd->detect, g_regex_unref);
    g_clear_pointer(&rd->masthead, g_regex_unref);
    g_clear_pointer(&rd->breadcrumb, g_regex_unref);
    g_clear_pointer(&rd->notice_start, g_regex_unref);
    g_clear_pointer(&rd->notice_end, g_regex_unref);
    for (gsize i = 0; rd->chrome != NULL && rd->chrome[i] != NULL; i++)
        g_regex_unref(rd->chrome[i]);
    g_free(rd->chrome);
    if (style->strings != NULL)
        g_ptr_array_free(style->strings, TRUE);
    if (style->resolved != NULL)
        g_key_file_free(style->resolved);
    g_free(style->name);
    g_free(style->description);
    g_free(style->path);
    g_free(style);
}

/* ================================================================ public: dump */

/* The resolved key file with a heading comment. Every key is present, in schema order, so a
 * user can copy it and edit any value; `inherits` is left out because nothing is inherited
 * any more. (transfer full) */
char *imp_style_dump(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    GKeyFile *kf = style->resolved;
    char *body = g_key_file_to_data(kf, NULL, NULL);
    char *out = g_strdup_printf("# imprint style '%s', fully resolved: every key with the value "
                                "in effect.\n# Lengths keep the unit they were written in; "
                                "load this file as a style to get the same result.\n\n%s",
                                style->name, body);
    g_free(body);
    return out;
}

/* ================================================================ public: detect, list */

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
 * wins, as in imp_style_load. (transfer full) */
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

/* Whether `re` matches some whole trimmed line of text[0..len). */
static gboolean matches_a_line(const GRegex *re, const char *text, gsize len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *line_end = nl ? nl : end;
        char *line = g_utf8_make_valid(p, (gssize)(line_end - p));
        gboolean hit = g_regex_match(re, trim_line(line), 0, NULL);
        g_free(line);
        if (hit)
            return TRUE;
        p = nl ? nl + 1 : end;
    }
    return FALSE;
}

/* The detect rule a load of the style at `path` would resolve, found without checking or
 * resolving the rest of it: the [reading] detect of the nearest file of the inheritance
 * chain that sets it (a child overrides its parents, as in apply_source). NULL when none
 * does, the value is empty, or the chain cannot be read or the rule compiled (then a load
 * fails too). A filter only: detection still loads a style in full before choosing it.
 * (transfer full) */
static GRegex *detect_rule(const char *path, const char *const *dirs)
{
    const ImpGroupSpec *g = imp__schema_group("reading");
    const ImpKeySpec *k = imp__schema_key(g, "detect");
    GPtrArray *chain = g_ptr_array_new_with_free_func(source_free);
    GRegex *re = NULL;
    if (read_chain(path, dirs, FALSE, chain, NULL)) {
        for (guint i = 0; i < chain->len; i++) {
            const Source *src = chain->pdata[i];
            if (!g_key_file_has_key(src->kf, g->name, k->name, NULL))
                continue;
            char *msg = NULL;
            char *v = fetch_value(src->kf, g->name, k, &msg);
            if (v != NULL && *v != '\0')
                re = imp__regex_compile(v, NULL);
            g_free(v);
            g_free(msg);
            break;
        }
    }
    g_ptr_array_free(chain, TRUE);
    return re;
}

/* Returns the first style, in name order, whose detect rule matches a line of the input's
 * first 64 KiB. Styles that fail to load are skipped: a broken user style must not stop
 * detection of the others. Only a style whose rule matches is loaded in full (to see that
 * it loads); for the others the rule is read alone, which is most of the cost saved at
 * start-up. (transfer full) */
char *imp_style_detect(const char *text, gsize len, const char *const *style_dirs)
{
    g_return_val_if_fail(text != NULL || len == 0, NULL);
    GPtrArray *entries = list_entries(style_dirs);
    gsize n = MIN(len, (gsize)DETECT_BYTES);
    char *found = NULL;
    for (guint i = 0; i < entries->len && found == NULL; i++) {
        const Entry *e = entries->pdata[i];
        GRegex *rule = detect_rule(e->path, style_dirs);
        gboolean candidate = rule != NULL && matches_a_line(rule, text, n);
        if (rule != NULL)
            g_regex_unref(rule);
        if (!candidate)
            continue;
        ImpStyle *style = imp_style_load(e->path, style_dirs, NULL, NULL);
        if (style != NULL && style->read.detect != NULL &&
            matches_a_line(style->read.detect, text, n))
            found = g_strdup(e->name);
        imp_style_free(style);
    }
    g_ptr_array_free(entries, TRUE);
    return found;
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
            g_ptr_array_add(out, g_strdup_printf("%s\t%s", e->name, style->description));
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

/* ================================================================ public: getters */

/* The [style] name, or the file's base name when it sets none. (transfer none) */
const char *imp_style_get_name(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->name;
}

/* The one-line [style] description, "" when none. (transfer none) */
const char *imp_style_get_description(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->description;
}

/* The file the style was loaded from, as found (not the parents). (transfer none) */
const char *imp_style_get_path(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->path;
}

/* The page geometry, orientation applied, in pt. (transfer none) */
const ImpPageStyle *imp_style_get_page(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->page;
}

/* One role's resolved text style. (transfer none) */
const ImpRoleStyle *imp_style_get_role(const ImpStyle *style, ImpRole role)
{
    g_return_val_if_fail(style != NULL, NULL);
    g_return_val_if_fail(role < IMP_N_ROLES, NULL);
    return &style->roles[role];
}

/* Header templates and rule (text style: imp_style_get_role(IMP_ROLE_HEADER)). */
const ImpRunningStyle *imp_style_get_header(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->header;
}

/* Footer templates and rule (text style: imp_style_get_role(IMP_ROLE_FOOTER)). */
const ImpRunningStyle *imp_style_get_footer(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->footer;
}

/* Document-wide settings, including the notice placement and rule. (transfer none) */
const ImpDocumentStyle *imp_style_get_document(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->document;
}

/* The site reading rules; every field NULL (chrome: an empty list) for a generic style.
 * (transfer none) */
const ImpReadRules *imp_style_get_read_rules(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->read;
}
