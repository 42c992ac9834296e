/* resolve.c — a sheet of settings, the schema and a language give the resolved structs of
 * style.h (an ImpResolved).
 *
 * Every key of the schema is resolved in schema order from its effective text for the
 * language: its setting (the best-matching tag's, else the plain one); else, when the key
 * it derives from is said, the text derived from that key (docs/styles.md, "Defaults");
 * else its built-in default. The text is parsed and stored where the schema's row says:
 * by type into the field at the row's offset, or by the row's setter. Then the checks that
 * concern several keys at once: the page's geometry, the cost of the reading rules.
 *
 * Invariants:
 *  1. The effective text is a function of the sheet, the key and the language only, so
 *     the dump (dump.c), which prints effective texts, loads back as the same style.
 *  2. Every string and regex the structs point to is owned by the ImpResolved.
 *  3. A resolution that fails leaves nothing behind (the caller's old values stay).
 */
#include "style/style-private.h"
#include "util/error.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* ================================================================ effective text */

static gboolean is_said(const ImpSheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                        const char *const *chain);

/* The key an unset g.k derives from, in *from_group, or NULL when none. */
static const ImpKeySpec *derive_source(const ImpGroupSpec *g, const ImpKeySpec *k,
                                       const ImpGroupSpec **from_group)
{
    const ImpGroupSpec *body = imp__schema_role_group(IMP_ROLE_BODY);
    switch (k->derive) {
    case IMP_DERIVE_NONE:
        return NULL;
    case IMP_DERIVE_BODY:
    case IMP_DERIVE_BODY_MULTIPLE:
        if (g == body)
            return NULL;
        *from_group = body;
        return imp__schema_key(body, k->name);
    case IMP_DERIVE_KEY:
        *from_group = g;
        return imp__schema_key(g, k->derive_key);
    }
    return NULL;
}

/* Whether g.k is said: set for the language, or derived from a key that is. */
static gboolean is_said(const ImpSheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                        const char *const *chain)
{
    if (imp__sheet_get(sheet, g->name, k->name, chain) != NULL)
        return TRUE;
    const ImpGroupSpec *sg = NULL;
    const ImpKeySpec *sk = derive_source(g, k, &sg);
    return sk != NULL && is_said(sheet, sg, sk, chain);
}

gboolean imp__varies(const ImpSheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k)
{
    if (k->dflt_l10n != NULL || imp__sheet_has_variants(sheet, g->name, k->name))
        return TRUE;
    const ImpGroupSpec *sg = NULL;
    const ImpKeySpec *sk = derive_source(g, k, &sg);
    if (sk == NULL)
        return FALSE;
    if (k->derive == IMP_DERIVE_BODY_MULTIPLE &&
        imp__sheet_has_variants(sheet, sg->name, "font-size"))
        return TRUE;
    return imp__varies(sheet, sg, sk);
}

char *imp__effective(const ImpSheet *sheet, const ImpGroupSpec *g, const ImpKeySpec *k,
                     const char *const *chain, const ImpSetting **from)
{
    const ImpSetting *s = imp__sheet_get(sheet, g->name, k->name, chain);
    if (from != NULL)
        *from = s;
    if (s != NULL)
        return g_strdup(s->value);
    if (g->kind == IMP_GROUP_STYLE && strcmp(k->name, "name") == 0)
        return g_strdup(imp__sheet_default_name(sheet));

    const ImpGroupSpec *sg = NULL;
    const ImpKeySpec *sk = derive_source(g, k, &sg);
    if (sk != NULL && is_said(sheet, sg, sk, chain)) {
        char *text = imp__effective(sheet, sg, sk, chain, from);
        if (k->derive != IMP_DERIVE_BODY_MULTIPLE)
            return text;
        /* [body]'s line height as a multiple, so a heading keeps the body's rhythm */
        ImpValue lh, size;
        char *msg = imp__value_parse(sk, text, &lh);
        g_assert(msg == NULL);
        if (lh.unit == IMP_UNIT_NONE || lh.unit == IMP_UNIT_EM)
            return text;
        g_free(text);
        const ImpKeySpec *size_key = imp__schema_key(sg, "font-size");
        char *size_text = imp__effective(sheet, sg, size_key, chain, NULL);
        msg = imp__value_parse(size_key, size_text, &size);
        g_assert(msg == NULL);
        g_free(size_text);
        return imp__format_number(lh.pt / size.pt);
    }
    if (from != NULL)
        *from = NULL;
    return g_strdup(imp__schema_default(g, k, chain));
}

/* ================================================================ storing values */

/* What resolution reads and fills. */
typedef struct {
    const ImpSheet *sheet;
    const char *const *chain;
    const char *path;
    ImpResolved *res;
    guint line_rules;     /* the rules run on every line: they share its budget */
} Resolver;

/* Whether a [reading] key's rules are run on every line of an input. */
static gboolean is_line_rule(const ImpKeySpec *k)
{
    return strcmp(k->name, "chrome") == 0 || g_str_has_prefix(k->name, "notice-");
}

static const char *keep(ImpResolved *res, char *s)
{
    g_ptr_array_add(res->strings, s);
    return s;
}

/* The struct a row's value goes into, for group `g`. */
static gpointer target_base(ImpResolved *res, const ImpGroupSpec *g, ImpTarget target)
{
    switch (target) {
    case IMP_AT_NONE: return NULL;
    case IMP_AT_PAGE: return &res->page;
    case IMP_AT_DOCUMENT: return &res->document;
    case IMP_AT_ROLE: return &res->roles[g->role];
    case IMP_AT_RUNNING: return g->role == IMP_ROLE_HEADER ? &res->header : &res->footer;
    case IMP_AT_READ: return &res->read;
    case IMP_AT_LINK: return &res->link;
    case IMP_AT_CODE: return &res->code;
    case IMP_AT_LIST: return &res->list;
    case IMP_AT_TABLE: return &res->table;
    case IMP_AT_HEADINGS: return &res->headings;
    }
    return NULL;
}

/* A ';'-list's items, unescaped, as a NULL-terminated array kept by `res`, or NULL when
 * the list is empty and `null_if_empty`. */
static const char *const *keep_list(ImpResolved *res, const char *text, gboolean null_if_empty)
{
    char **items = imp__list_split(text);
    if (items[0] == NULL && null_if_empty) {
        g_strfreev(items);
        return NULL;
    }
    for (char **p = items; *p != NULL; p++) {
        char *u = imp__list_unescape(*p);
        g_free(*p);
        *p = u;
    }
    g_ptr_array_add(res->strvs, items);
    return (const char *const *)items;
}

/* Compiles a regex key into its rule; NULL for an empty text. */
static const GRegex *keep_rule(ImpResolved *res, const ImpKeySpec *k, const char *text,
                               const char *where, guint line_rules)
{
    if (*text == '\0')
        return NULL;
    ImpRule *rule = imp__rule_new(k->name, text, where, is_line_rule(k) ? line_rules : 1);
    g_ptr_array_add(res->rules, rule);
    return imp__rule_regex(rule);
}

/* Stores one parsed value by the key's type (the rows without a setter). */
static void store_value(const Resolver *r, const ImpKeySpec *k, gpointer field,
                        const ImpValue *v, const char *text, double role_size,
                        const char *where)
{
    ImpResolved *res = r->res;
    switch (k->type) {
    case IMP_KEY_STRING:
    case IMP_KEY_INHERITS:
    case IMP_KEY_LANG:
    case IMP_KEY_FAMILY:
    case IMP_KEY_TEMPLATE:
        *(const char **)field = text;
        break;
    case IMP_KEY_XPATH:
        *(const char **)field = *text != '\0' ? text : NULL;
        break;
    case IMP_KEY_TEXT_LIST:
        *(const char *const **)field = keep_list(res, text, FALSE);
        break;
    case IMP_KEY_XPATH_LIST:
        *(const char *const **)field = keep_list(res, text, TRUE);
        break;
    case IMP_KEY_REGEX:
        *(const GRegex **)field = keep_rule(res, k, text, where, r->line_rules);
        break;
    case IMP_KEY_REGEX_LIST: {
        char **items = imp__list_split(text);
        guint n = g_strv_length(items);
        const GRegex **list = g_new0(const GRegex *, n + 1);
        for (guint i = 0; i < n; i++)
            list[i] = keep_rule(res, k, items[i], where, r->line_rules);
        g_strfreev(items);
        g_ptr_array_add(res->strings, list);
        *(const GRegex ***)field = list;
        break;
    }
    case IMP_KEY_LENGTH:
        *(double *)field = v->pt;
        break;
    case IMP_KEY_LENGTH_EM:
        *(double *)field = v->unit == IMP_UNIT_EM ? v->number * role_size : v->pt;
        break;
    case IMP_KEY_LINE_HEIGHT:
        *(double *)field = v->unit == IMP_UNIT_NONE || v->unit == IMP_UNIT_EM
                               ? v->number * role_size : v->pt;
        break;
    case IMP_KEY_EM:
        *(double *)field = v->number;
        break;
    case IMP_KEY_ENUM:
    case IMP_KEY_INT:
    case IMP_KEY_WEIGHT:
    case IMP_KEY_BOOL:
        *(int *)field = v->index;
        break;
    case IMP_KEY_COLOR:
        *(guint32 *)field = v->color;
        break;
    case IMP_KEY_PAGE_SIZE:
    case IMP_KEY_COLOR_NONE:
        g_assert_not_reached(); /* these rows have setters */
        break;
    }
}

void imp__set_page_size(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                        const ImpValue *value, const char *text, double role_size)
{
    (void)spec, (void)field, (void)text, (void)role_size;
    res->page.width = value->width;
    res->page.height = value->height;
}

void imp__set_orientation(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                          const ImpValue *value, const char *text, double role_size)
{
    (void)spec, (void)field, (void)text, (void)role_size;
    if (value->index == IMP_ORIENT_LANDSCAPE) { /* the size came first in the schema */
        double w = res->page.width;
        res->page.width = res->page.height;
        res->page.height = w;
    }
}

void imp__set_hyphens(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                      const ImpValue *value, const char *text, double role_size)
{
    (void)res, (void)spec, (void)text, (void)role_size;
    *(gboolean *)field = value->index == 0; /* auto */
}

void imp__set_signal(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                     const ImpValue *value, const char *text, double role_size)
{
    (void)res, (void)text, (void)role_size;
    ImpTextSignals *off = field;
    *off = value->index ? (ImpTextSignals)(*off & ~spec->flag)
                        : (ImpTextSignals)(*off | spec->flag);
}

void imp__set_text_or_null(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                           const ImpValue *value, const char *text, double role_size)
{
    (void)res, (void)spec, (void)value, (void)role_size;
    *(const char **)field = *text != '\0' ? text : NULL;
}

void imp__set_background(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                         const ImpValue *value, const char *text, double role_size)
{
    (void)spec, (void)text, (void)role_size;
    res->code.has_background = value->index == 0;
    *(guint32 *)field = value->index == 0 ? value->color : 0;
}

/* ================================================================ checks of several keys */

/* Of the keys named in `keys` (NULL-terminated) in `group`, the setting said last: the one a
 * user most likely has to change when their combination does not work. Its key in *key. */
static const ImpSetting *latest_setting(const Resolver *r, const char *group,
                                        const char *const *keys, const char **key)
{
    const ImpSetting *best = NULL;
    for (gsize i = 0; keys[i] != NULL; i++) {
        const ImpSetting *s = imp__sheet_get(r->sheet, group, keys[i], r->chain);
        if (s == NULL)
            continue;
        /* Within one file, the line written last; across files, the file applied last. */
        gboolean later = best == NULL ||
            (strcmp(s->origin, best->origin) == 0 ? s->line > best->line : s->seq > best->seq);
        if (later) {
            best = s;
            *key = keys[i];
        }
    }
    return best;
}

/* Sets an error about a combination of `keys` of `group` at the latest of them, or at the
 * style's file when all are defaults. */
static void combination_error(const Resolver *r, const char *group, const char *const *keys,
                              GError **error, const char *format, ...) G_GNUC_PRINTF(5, 6);
static void combination_error(const Resolver *r, const char *group, const char *const *keys,
                              GError **error, const char *format, ...)
{
    const char *key = keys[0];
    const ImpSetting *s = latest_setting(r, group, keys, &key);
    char *at = s ? imp__setting_where(s, group, key)
                 : g_strdup_printf("%s: [%s]", r->path, group);
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", at, msg);
    g_free(msg);
    g_free(at);
}

/* A length for a message: 2 decimals at most (transfer full). */
static char *msg_pt(double pt)
{
    return imp__format_number(round(pt * 100) / 100);
}

/* The page's text area and bands must make sense together. */
static gboolean check_page(const Resolver *r, GError **error)
{
    const ImpPageStyle *p = &r->res->page;
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
        combination_error(r, "page", width_keys, error,
                          "the margins leave a text area %spt wide (page %spt, margin-left "
                          "%spt, margin-right %spt); it must be at least 72pt",
                          a = msg_pt(text_w), b = msg_pt(p->width), c = msg_pt(p->margin_left),
                          d = msg_pt(p->margin_right));
    } else if (text_h < 72) {
        combination_error(r, "page", height_keys, error,
                          "the margins leave a text area %spt high (page %spt, margin-top "
                          "%spt, margin-bottom %spt); it must be at least 72pt",
                          a = msg_pt(text_h), b = msg_pt(p->height), c = msg_pt(p->margin_top),
                          d = msg_pt(p->margin_bottom));
    } else if (p->header_height > p->margin_top) {
        combination_error(r, "page", header_keys, error,
                          "the header band (header-height %spt) is taller than margin-top "
                          "(%spt); the header sits inside the top margin",
                          a = msg_pt(p->header_height), b = msg_pt(p->margin_top));
    } else if (p->footer_height > p->margin_bottom) {
        combination_error(r, "page", footer_keys, error,
                          "the footer band (footer-height %spt) is taller than margin-bottom "
                          "(%spt); the footer sits inside the bottom margin",
                          a = msg_pt(p->footer_height), b = msg_pt(p->margin_bottom));
    } else {
        ok = TRUE;
    }
    g_free(a);
    g_free(b);
    g_free(c);
    g_free(d);
    return ok;
}

/* The rules run on every line of an input, counted: at most IMP_LINE_RULES_MAX, as each
 * costs a little on every line even when it fails at once. */
static gboolean count_line_rules(Resolver *r, GError **error)
{
    const ImpGroupSpec *g = imp__schema_group("reading");
    static const char *const keys[] = { "chrome", "notice-start", "notice-end", NULL };
    guint n = 0;
    for (gsize i = 0; keys[i] != NULL; i++) {
        char *text = imp__effective(r->sheet, g, imp__schema_key(g, keys[i]), r->chain, NULL);
        char **items = imp__list_split(text);
        n += g_strv_length(items);
        g_strfreev(items);
        g_free(text);
    }
    r->line_rules = n;
    if (n <= IMP_LINE_RULES_MAX)
        return TRUE;
    combination_error(r, "reading", keys, error,
                      "%u rules are matched on every line (chrome, notice-start, notice-end); "
                      "at most %d (join patterns with | into fewer rules)", n,
                      IMP_LINE_RULES_MAX);
    return FALSE;
}

/* ================================================================ resolution */

/* Resolves one key into its field. */
static gboolean resolve_key(Resolver *r, const ImpGroupSpec *g, const ImpKeySpec *k,
                            double *role_size, GError **error)
{
    const ImpSetting *from = NULL;
    char *text = imp__effective(r->sheet, g, k, r->chain, &from);
    ImpValue v;
    char *msg = imp__value_parse(k, text, &v);
    if (msg != NULL) {
        /* Only a derived or localized default can fail here: settings were checked */
        char *at = from ? imp__setting_where(from, g->name, k->name)
                        : g_strdup_printf("%s: [%s] %s", r->path, g->name, k->name);
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: %s", at, msg);
        g_free(at);
        g_free(msg);
        g_free(text);
        return FALSE;
    }
    const char *canon = keep(r->res, imp__value_canonical_parsed(k, text, &v));
    g_free(text);
    gpointer base = target_base(r->res, g, k->target);
    if (base == NULL && k->set == NULL)
        return TRUE; /* [style] keys: the style keeps them */
    gpointer field = base != NULL ? (char *)base + k->offset : NULL;
    char *where = from == NULL ? g_strdup(r->path)
                : from->line > 0 ? g_strdup_printf("%s:%u", from->origin, from->line)
                : g_strdup(from->origin);
    if (k->set != NULL)
        k->set(r->res, k, field, &v, canon, *role_size);
    else
        store_value(r, k, field, &v, canon, *role_size, where);
    g_free(where);
    if (k->target == IMP_AT_ROLE && k->offset == offsetof(ImpRoleStyle, size))
        *role_size = v.pt; /* lengths in em that follow are of this size */
    return TRUE;
}

/* What a run of each script asks for: its list, then the fallback list, then the Han list
 * (once each), so that a character its list lacks is looked for in the style's faces
 * before any other installed font. */
static void make_family_chains(ImpResolved *res, ImpRoleStyle *rs)
{
    for (int s = 0; s < IMP_N_SCRIPTS; s++) {
        GString *chain = g_string_new(rs->family[s]);
        const char *more[] = { rs->family[IMP_SCRIPT_FALLBACK], rs->family[IMP_SCRIPT_HAN] };
        for (gsize i = 0; i < G_N_ELEMENTS(more); i++)
            if (*more[i] != '\0' && strcmp(more[i], rs->family[s]) != 0 &&
                (i == 0 || strcmp(more[i], rs->family[IMP_SCRIPT_FALLBACK]) != 0))
                g_string_append_printf(chain, "%s%s", chain->len > 0 ? "," : "", more[i]);
        rs->family_chain[s] = keep(res, g_string_free(chain, FALSE));
    }
}

ImpResolved *imp__resolve(const ImpSheet *sheet, const char *const *chain, const char *path,
                          GError **error)
{
    ImpResolved *res = g_new0(ImpResolved, 1);
    res->strings = g_ptr_array_new_with_free_func(g_free);
    res->strvs = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    res->rules = g_ptr_array_new_with_free_func((GDestroyNotify)imp__rule_free);
    res->read.origin = res->rules;
    Resolver r = { sheet, chain, path, res, 0 };

    const ImpGroupSpec *style = imp__schema_group("style");
    res->name = imp__effective(sheet, style, imp__schema_key(style, "name"), chain, NULL);
    res->description = imp__effective(sheet, style, imp__schema_key(style, "description"),
                                      chain, NULL);
    gboolean ok = count_line_rules(&r, error);
    for (const ImpGroupSpec *const *g = imp__schema_groups(); ok && *g != NULL; g++) {
        double role_size = 0;
        for (const ImpKeySpec *const *k = imp__schema_keys(*g); ok && *k != NULL; k++)
            ok = resolve_key(&r, *g, *k, &role_size, error);
        if (ok && (*g)->kind == IMP_GROUP_ROLE)
            make_family_chains(res, &res->roles[(*g)->role]);
    }
    ok = ok && check_page(&r, error);
    if (!ok) {
        imp__resolved_free(res);
        return NULL;
    }
    return res;
}

void imp__resolved_free(ImpResolved *res)
{
    if (res == NULL)
        return;
    g_ptr_array_free(res->strings, TRUE);
    g_ptr_array_free(res->strvs, TRUE);
    g_ptr_array_free(res->rules, TRUE);
    g_free(res->name);
    g_free(res->description);
    g_free(res);
}
