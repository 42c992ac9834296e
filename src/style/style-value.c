/* style-value.c — the syntax of style values: lengths, colours, page sizes, templates,
 * language tags, lists; their checks and their canonical text.
 *
 * The parsers turn one key's text into an ImpValue (schema.c says which parser a key
 * takes); imp__value_canonical() writes a value back as the text a dump shows.
 *
 * Invariants:
 *  1. Numbers are read with g_ascii_strtod and written with g_ascii_formatd: the locale
 *     never changes what a style means or how a dump looks.
 *  2. imp__value_canonical(t) parses back to the same ImpValue as t, so a dump loads as
 *     exactly the style it came from (a number keeps the unit it was written in).
 *  3. A parser's message names the offending text but not the file or key: the caller
 *     knows where the text came from and prefixes `FILE:LINE: [group] key:`.
 */
#include "style/style-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ numbers */

char *imp__format_number(double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (v == 0)
        return g_strdup("0");
    /* The fewest decimals that read back as exactly v: "20", "0.75", "595.2756...". */
    for (int decimals = 0; decimals <= 17; decimals++) {
        char fmt[8];
        g_snprintf(fmt, sizeof fmt, "%%.%df", decimals);
        g_ascii_formatd(buf, sizeof buf, fmt, v);
        if (g_ascii_strtod(buf, NULL) == v)
            break;
    }
    return g_strdup(buf);
}

/* A number for a message: a few significant decimals, never locale-formatted. */
static char *msg_number(double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof buf, "%.2f", v);
    /* "12.50" -> "12.5", "12.00" -> "12" */
    char *end = buf + strlen(buf);
    if (strchr(buf, '.') != NULL) {
        while (end > buf && end[-1] == '0')
            *--end = '\0';
        if (end > buf && end[-1] == '.')
            *--end = '\0';
    }
    return g_strdup(buf);
}

/* Reads [+-]digits[.digits] at *p (no exponent, no hex, no inf/nan) and advances *p. */
static gboolean scan_number(const char **p, double *out)
{
    const char *s = *p, *q = s;
    gsize digits = 0;
    if (*q == '+' || *q == '-')
        q++;
    while (g_ascii_isdigit(*q)) {
        q++;
        digits++;
    }
    if (*q == '.') {
        q++;
        while (g_ascii_isdigit(*q)) {
            q++;
            digits++;
        }
    }
    if (digits == 0)
        return FALSE;
    char *copy = g_strndup(s, (gsize)(q - s));
    *out = g_ascii_strtod(copy, NULL);
    g_free(copy);
    *p = q;
    return isfinite(*out);
}

static const struct {
    const char *name;
    ImpUnit unit;
    double pt; /* points per unit */
} units[] = {
    { "pt", IMP_UNIT_PT, 1.0 },
    { "mm", IMP_UNIT_MM, 72.0 / 25.4 },
    { "cm", IMP_UNIT_CM, 720.0 / 25.4 },
    { "in", IMP_UNIT_IN, 72.0 },
    { "em", IMP_UNIT_EM, 1.0 },
};

static const char *unit_name(ImpUnit unit)
{
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
        if (units[i].unit == unit)
            return units[i].name;
    return "";
}

/* Parses "NUMBER UNIT" where UNIT is mm|cm|in|pt (or em when allow_em); a bare 0 is a
 * length, any other bare number is an error, unless allow_bare (then unit is NONE). */
static char *parse_length(const char *text, gboolean allow_em, gboolean allow_bare,
                          ImpValue *v)
{
    const char *p = text;
    double num;
    const char *units_hint = allow_em ? "mm, cm, in, pt or em" : "mm, cm, in or pt";
    if (!scan_number(&p, &num))
        return g_strdup_printf("'%s' is not a length (a number and a unit: %s)", text,
                               units_hint);
    while (*p == ' ' || *p == '\t')
        p++;
    v->number = num;
    if (*p == '\0') {
        if (num != 0 && !allow_bare)
            return g_strdup_printf("'%s' needs a unit (%s)", text, units_hint);
        v->unit = IMP_UNIT_NONE;
        v->pt = num;
        return NULL;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
        if (units[i].unit == IMP_UNIT_EM && !allow_em)
            continue;
        if (g_ascii_strcasecmp(p, units[i].name) == 0) {
            v->unit = units[i].unit;
            v->pt = num * units[i].pt;
            return NULL;
        }
    }
    const char *u = p;
    while (g_ascii_isalpha(*p) || *p == '%')
        p++;
    if (p > u && *p == '\0')
        return g_strdup_printf("'%s': unknown unit '%s' (use %s)", text, u, units_hint);
    return g_strdup_printf("'%s' is not a length (a number and a unit: %s)", text, units_hint);
}

/* Checks v (in pt, or in em for em values) against the key's range. */
static char *check_range(const ImpKeySpec *spec, const char *text, double v, const char *unit)
{
    char *msg = NULL;
    if (spec->min_exclusive ? !(v > spec->min) : !(v >= spec->min)) {
        char *m = msg_number(spec->min);
        msg = g_strdup_printf("'%s' is too small: it must be %s %s%s", text,
                              spec->min_exclusive ? "more than" : "at least", m, unit);
        g_free(m);
    } else if (!(v <= spec->max)) {
        char *m = msg_number(spec->max);
        msg = g_strdup_printf("'%s' is too large: it must be at most %s%s", text, m, unit);
        g_free(m);
    }
    return msg;
}

/* ================================================================ page sizes */

static const struct {
    const char *name;
    double width, height; /* pt, portrait */
} page_sizes[] = {
    { "A3", 297 * 72.0 / 25.4, 420 * 72.0 / 25.4 },
    { "A4", 210 * 72.0 / 25.4, 297 * 72.0 / 25.4 },
    { "A5", 148 * 72.0 / 25.4, 210 * 72.0 / 25.4 },
    { "B5", 176 * 72.0 / 25.4, 250 * 72.0 / 25.4 },
    { "Letter", 8.5 * 72, 11 * 72 },
    { "Legal", 8.5 * 72, 14 * 72 },
};

/* Page dimensions: from 1in to 200in (the largest page PDF allows). */
#define PAGE_MIN 72.0
#define PAGE_MAX 14400.0

static char *parse_page_size(const char *text, ImpValue *v)
{
    for (gsize i = 0; i < G_N_ELEMENTS(page_sizes); i++) {
        if (g_ascii_strcasecmp(text, page_sizes[i].name) == 0) {
            v->size_name = (int)i;
            v->width = page_sizes[i].width;
            v->height = page_sizes[i].height;
            return NULL;
        }
    }
    const char *x = strpbrk(text, "xX");
    if (x == NULL || !g_ascii_isdigit(text[0]))
        return g_strdup_printf("'%s' is not a page size (A3, A4, A5, B5, Letter, Legal or "
                               "WIDTHxHEIGHT such as 150mmx200mm)", text);
    char *w = g_strstrip(g_strndup(text, (gsize)(x - text)));
    char *h = g_strstrip(g_strdup(x + 1));
    ImpValue wv = { 0 }, hv = { 0 };
    char *msg = parse_length(w, FALSE, FALSE, &wv);
    if (msg == NULL)
        msg = parse_length(h, FALSE, FALSE, &hv);
    if (msg != NULL) {
        char *full = g_strdup_printf("page size '%s': %s", text, msg);
        g_free(msg);
        msg = full;
    } else if (!(wv.pt >= PAGE_MIN && wv.pt <= PAGE_MAX && hv.pt >= PAGE_MIN &&
                 hv.pt <= PAGE_MAX)) {
        msg = g_strdup_printf("page size '%s': each side must be from 72pt (1in) to "
                              "14400pt (200in)", text);
    } else {
        v->size_name = -1;
        v->width = wv.pt;
        v->height = hv.pt;
        v->width_number = wv.number;
        v->width_unit = wv.unit;
        v->height_number = hv.number;
        v->height_unit = hv.unit;
    }
    g_free(w);
    g_free(h);
    return msg;
}

/* ================================================================ text values */

static const char *const template_fields[] = {
    "page", "pages", "title", "section", "site", "source", "date", NULL
};

static char *parse_template(const char *text)
{
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '{') {
            if (p[1] == '{') {
                p++;
                continue;
            }
            const char *end = strchr(p, '}');
            if (end == NULL)
                return g_strdup_printf("'%s': unclosed '{' (write '{{' for a literal brace)",
                                       text);
            char *field = g_strndup(p + 1, (gsize)(end - p - 1));
            gboolean known = g_strv_contains(template_fields, field);
            char *msg = known ? NULL
                : g_strdup_printf("'%s': unknown field {%s} (fields: {page} {pages} {title} "
                                  "{section} {site} {source} {date})", text, field);
            g_free(field);
            if (msg != NULL)
                return msg;
            p = end;
        } else if (*p == '}') {
            if (p[1] == '}') {
                p++;
                continue;
            }
            return g_strdup_printf("'%s': unmatched '}' (write '}}' for a literal brace)", text);
        }
    }
    return NULL;
}

/* ================================================================ language tags */

/* Chinese regions and the script their readers use. */
static const struct {
    const char *region, *script;
} zh_regions[] = {
    { "TW", "Hant" }, { "HK", "Hant" }, { "MO", "Hant" }, { "CN", "Hans" }, { "SG", "Hans" },
};

/* Canonical BCP 47 casing (RFC 5646 2.1.1): language lower case, a 4-letter script title
 * case, a 2-letter region upper case, everything after a singleton lower case. A tag is a
 * 2-8 letter language subtag, then subtags of 1-8 letters or digits, separated by '-'. */
char *imp__lang_canonical(const char *tag)
{
    char **parts = g_strsplit(tag, "-", -1);
    guint n = g_strv_length(parts);
    gboolean ok = n > 0 && n <= 16;
    for (guint i = 0; ok && i < n; i++) {
        gsize len = strlen(parts[i]);
        ok = len >= 1 && len <= 8;
        for (gsize j = 0; ok && j < len; j++)
            ok = i == 0 ? g_ascii_isalpha(parts[i][j]) : g_ascii_isalnum(parts[i][j]);
        if (i == 0)
            ok = ok && len >= 2;
    }
    if (!ok) {
        g_strfreev(parts);
        return NULL;
    }
    gboolean private_use = FALSE;
    for (guint i = 0; i < n; i++) {
        char *p = parts[i];
        gsize len = strlen(p);
        for (char *c = p; *c != '\0'; c++)
            *c = g_ascii_tolower(*c);
        if (len == 1)
            private_use = TRUE; /* after a singleton: extension subtags, kept lower case */
        if (i == 0 || private_use)
            continue;
        if (len == 4 && g_ascii_isalpha(p[0]))
            p[0] = g_ascii_toupper(p[0]);
        else if (len == 2)
            p[0] = g_ascii_toupper(p[0]), p[1] = g_ascii_toupper(p[1]);
    }
    /* zh-TW is zh-Hant-TW, zh-CN is zh-Hans-CN: the script is what picks glyphs and values */
    if (strcmp(parts[0], "zh") == 0 && n >= 2 && strlen(parts[1]) == 2) {
        for (gsize i = 0; i < G_N_ELEMENTS(zh_regions); i++) {
            if (strcmp(parts[1], zh_regions[i].region) != 0)
                continue;
            char *rest = g_strjoinv("-", parts + 1);
            char *out = g_strdup_printf("zh-%s-%s", zh_regions[i].script, rest);
            g_free(rest);
            g_strfreev(parts);
            return out;
        }
    }
    char *out = g_strjoinv("-", parts);
    g_strfreev(parts);
    return out;
}

char **imp__lang_chain(const char *canonical)
{
    GPtrArray *out = g_ptr_array_new();
    char *t = g_strdup(canonical);
    for (;;) {
        g_ptr_array_add(out, g_strdup(t));
        char *dash = strrchr(t, '-');
        if (dash == NULL)
            break;
        *dash = '\0';
        /* a singleton ("x", "u") means nothing without the subtag after it */
        char *prev = strrchr(t, '-');
        if (prev != NULL && strlen(prev + 1) == 1)
            *prev = '\0';
    }
    g_free(t);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static char *parse_lang(const char *text)
{
    char *canon = imp__lang_canonical(text);
    if (canon != NULL) {
        g_free(canon);
        return NULL;
    }
    return g_strdup_printf("'%s' is not a BCP 47 language tag (such as en, zh-Hans, ja)", text);
}

/* ================================================================ lists */

static gboolean has_control(const char *text)
{
    for (const char *p = text; *p != '\0'; p++)
        if ((guchar)*p < 0x20 || *p == 0x7f)
            return TRUE;
    return FALSE;
}

char **imp__family_split(const char *text)
{
    char **parts = g_strsplit(text, ",", -1);
    GPtrArray *out = g_ptr_array_new();
    for (char **p = parts; *p != NULL; p++) {
        g_strstrip(*p);
        if (**p != '\0')
            g_ptr_array_add(out, g_strdup(*p));
    }
    g_strfreev(parts);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

char **imp__list_split(const char *text)
{
    GPtrArray *out = g_ptr_array_new();
    GString *item = g_string_new(NULL);
    for (const char *p = text;; p++) {
        if (*p == '\\' && p[1] != '\0') {
            /* Keep the escape: PCRE reads "\;" as a literal ';' and "\\" as '\'. */
            g_string_append_c(item, *p++);
            g_string_append_c(item, *p);
            continue;
        }
        if (*p == ';' || *p == '\0') {
            char *s = g_strstrip(g_strdup(item->str));
            if (*s != '\0')
                g_ptr_array_add(out, s);
            else
                g_free(s);
            g_string_truncate(item, 0);
            if (*p == '\0')
                break;
            continue;
        }
        g_string_append_c(item, *p);
    }
    g_string_free(item, TRUE);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

char *imp__list_unescape(const char *item)
{
    GString *out = g_string_new(NULL);
    for (const char *p = item; *p != '\0'; p++) {
        if (*p == '\\' && (p[1] == ';' || p[1] == '\\'))
            p++;
        g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

/* ================================================================ parse and format */

static char *parse_enum(const ImpKeySpec *spec, const char *text, ImpValue *v)
{
    for (int i = 0; spec->choices[i] != NULL; i++) {
        if (g_ascii_strcasecmp(text, spec->choices[i]) == 0) {
            v->index = i;
            return NULL;
        }
    }
    char *list = g_strjoinv(", ", (char **)spec->choices);
    char *msg = g_strdup_printf("'%s' is not one of: %s", text, list);
    g_free(list);
    return msg;
}

static char *parse_color(const char *text, ImpValue *v)
{
    gsize n = strlen(text);
    gboolean ok = text[0] == '#' && (n == 4 || n == 7);
    for (gsize i = 1; ok && i < n; i++)
        ok = g_ascii_isxdigit(text[i]);
    if (!ok)
        return g_strdup_printf("'%s' is not a colour (#rrggbb or #rgb)", text);
    guint32 c = 0;
    for (gsize i = 1; i < n; i++) {
        guint32 d = (guint32)g_ascii_xdigit_value(text[i]);
        c = n == 4 ? (c << 8) | (d << 4) | d : (c << 4) | d;
    }
    v->color = c;
    return NULL;
}

static char *parse_weight(const char *text, ImpValue *v)
{
    if (g_ascii_strcasecmp(text, "normal") == 0) {
        v->index = 400;
        return NULL;
    }
    if (g_ascii_strcasecmp(text, "bold") == 0) {
        v->index = 700;
        return NULL;
    }
    if (strlen(text) == 3 && text[0] >= '1' && text[0] <= '9' && text[1] == '0' &&
        text[2] == '0') {
        v->index = (text[0] - '0') * 100;
        return NULL;
    }
    return g_strdup_printf("'%s' is not a font weight (normal, bold or 100, 200 ... 900)", text);
}

static char *parse_int(const ImpKeySpec *spec, const char *text, ImpValue *v)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    gboolean digits = g_ascii_isdigit(*p);
    while (g_ascii_isdigit(*p))
        p++;
    if (!digits || *p != '\0' || strlen(text) > 6)
        return g_strdup_printf("'%s' is not a whole number", text);
    v->index = atoi(text);
    if (v->index < spec->min || v->index > spec->max)
        return g_strdup_printf("'%s' is out of range: it must be from %d to %d", text,
                               (int)spec->min, (int)spec->max);
    return NULL;
}

static char *parse_em(const ImpKeySpec *spec, const char *text, ImpValue *v)
{
    const char *p = text;
    double num;
    if (scan_number(&p, &num)) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || g_ascii_strcasecmp(p, "em") == 0) {
            v->number = v->pt = num;
            v->unit = IMP_UNIT_EM;
            return check_range(spec, text, num, "em");
        }
    }
    return g_strdup_printf("'%s' is not an em value (a number, optionally followed by em)",
                           text);
}

static char *parse_line_height(const ImpKeySpec *spec, const char *text, ImpValue *v)
{
    char *msg = parse_length(text, TRUE, TRUE, v);
    if (msg != NULL) {
        g_free(msg);
        return g_strdup_printf("'%s' is not a line height (a multiple of the font size such "
                               "as 1.4 or 1.4em, or a length such as 14pt)", text);
    }
    if (v->unit == IMP_UNIT_NONE || v->unit == IMP_UNIT_EM) {
        /* A multiple of the font size: more than 0, at most 10. */
        ImpKeySpec multiple = *spec;
        multiple.max = 10;
        return check_range(&multiple, text, v->number, "");
    }
    return check_range(spec, text, v->pt, "pt");
}

static char *parse_text_list(const char *text)
{
    if (has_control(text))
        return g_strdup("must be a single line of text");
    char **items = imp__list_split(text);
    gboolean empty = items[0] == NULL;
    g_strfreev(items);
    return empty ? g_strdup("needs at least one item (a ';'-separated list)") : NULL;
}

static char *parse_xpath_list(const char *text)
{
    char **items = imp__list_split(text);
    char *msg = NULL;
    for (gsize i = 0; msg == NULL && items[i] != NULL; i++) {
        char *x = imp__list_unescape(items[i]);
        msg = imp__xpath_check(x);
        g_free(x);
    }
    g_strfreev(items);
    return msg;
}

gboolean imp__value_is_text(ImpKeyType type)
{
    /* lists are raw: "\;" must reach the list splitter */
    return type == IMP_KEY_STRING || type == IMP_KEY_INHERITS || type == IMP_KEY_LANG ||
           type == IMP_KEY_FAMILY || type == IMP_KEY_TEMPLATE;
}

char *imp__value_parse(const ImpKeySpec *spec, const char *text, ImpValue *value)
{
    g_return_val_if_fail(spec != NULL && text != NULL && value != NULL, NULL);
    memset(value, 0, sizeof *value);
    value->size_name = -1;
    char *msg;
    switch (spec->type) {
    case IMP_KEY_STRING:
    case IMP_KEY_INHERITS:
        if (has_control(text))
            return g_strdup("must be a single line of text");
        return NULL;
    case IMP_KEY_LANG:
        return parse_lang(text);
    case IMP_KEY_FAMILY: {
        if (has_control(text))
            return g_strdup("must be a single line of text");
        char **families = imp__family_split(text);
        gboolean empty = families[0] == NULL;
        g_strfreev(families);
        if (empty)
            return g_strdup("needs at least one font family (a comma-separated list)");
        return NULL;
    }
    case IMP_KEY_TEMPLATE:
        if (has_control(text))
            return g_strdup("must be a single line of text");
        return parse_template(text);
    case IMP_KEY_TEXT_LIST:
        return parse_text_list(text);
    case IMP_KEY_REGEX:
        return *text == '\0' ? NULL : imp__regex_check(text, spec->regex_group);
    case IMP_KEY_REGEX_LIST: {
        char **items = imp__list_split(text);
        msg = NULL;
        for (gsize i = 0; msg == NULL && items[i] != NULL; i++)
            msg = imp__regex_check(items[i], spec->regex_group);
        g_strfreev(items);
        return msg;
    }
    case IMP_KEY_XPATH:
        return *text == '\0' ? NULL : imp__xpath_check(text);
    case IMP_KEY_XPATH_LIST:
        return parse_xpath_list(text);
    case IMP_KEY_LENGTH:
    case IMP_KEY_LENGTH_EM:
        msg = parse_length(text, spec->type == IMP_KEY_LENGTH_EM, FALSE, value);
        if (msg != NULL)
            return msg;
        if (value->unit == IMP_UNIT_EM) {
            /* em: relative to the font size; the range in em is a generous +-100. */
            ImpKeySpec em = *spec;
            em.min = spec->min < 0 ? -100 : 0;
            em.max = 100;
            return check_range(&em, text, value->number, "em");
        }
        return check_range(spec, text, value->pt, "pt");
    case IMP_KEY_PAGE_SIZE:
        return parse_page_size(text, value);
    case IMP_KEY_ENUM:
        return parse_enum(spec, text, value);
    case IMP_KEY_INT:
        return parse_int(spec, text, value);
    case IMP_KEY_EM:
        return parse_em(spec, text, value);
    case IMP_KEY_BOOL:
        if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0) {
            value->index = TRUE;
            return NULL;
        }
        if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0) {
            value->index = FALSE;
            return NULL;
        }
        return g_strdup_printf("'%s' is not a boolean (true or false)", text);
    case IMP_KEY_COLOR:
        return parse_color(text, value);
    case IMP_KEY_COLOR_NONE:
        if (g_ascii_strcasecmp(text, "none") == 0) {
            value->index = 1;
            return NULL;
        }
        msg = parse_color(text, value);
        if (msg != NULL) {
            g_free(msg);
            return g_strdup_printf("'%s' is not a colour (#rrggbb or #rgb) or none", text);
        }
        return NULL;
    case IMP_KEY_LINE_HEIGHT:
        return parse_line_height(spec, text, value);
    case IMP_KEY_WEIGHT:
        return parse_weight(text, value);
    }
    g_assert_not_reached();
    return NULL;
}

static char *format_length(double number, ImpUnit unit)
{
    char *n = imp__format_number(number);
    if (unit == IMP_UNIT_NONE)
        return n;
    char *s = g_strconcat(n, unit_name(unit), NULL);
    g_free(n);
    return s;
}

char *imp__value_canonical(const ImpKeySpec *spec, const char *text)
{
    ImpValue v;
    char *msg = imp__value_parse(spec, text, &v);
    if (msg != NULL) {
        g_free(msg);
        g_return_val_if_reached(g_strdup(text));
    }
    return imp__value_canonical_parsed(spec, text, &v);
}

char *imp__value_canonical_parsed(const ImpKeySpec *spec, const char *text, const ImpValue *value)
{
    const ImpValue v = *value;
    switch (spec->type) {
    case IMP_KEY_LENGTH:
    case IMP_KEY_LENGTH_EM:
    case IMP_KEY_LINE_HEIGHT:
        return format_length(v.number, v.unit);
    case IMP_KEY_EM:
        return format_length(v.number, IMP_UNIT_EM);
    case IMP_KEY_PAGE_SIZE:
        if (v.size_name >= 0)
            return g_strdup(page_sizes[v.size_name].name);
        else {
            char *w = format_length(v.width_number, v.width_unit);
            char *h = format_length(v.height_number, v.height_unit);
            char *s = g_strconcat(w, "x", h, NULL);
            g_free(w);
            g_free(h);
            return s;
        }
    case IMP_KEY_ENUM:
        return g_strdup(spec->choices[v.index]);
    case IMP_KEY_INT:
        return g_strdup_printf("%d", v.index);
    case IMP_KEY_BOOL:
        return g_strdup(v.index ? "true" : "false");
    case IMP_KEY_COLOR:
        return g_strdup_printf("#%06x", (unsigned)v.color);
    case IMP_KEY_COLOR_NONE:
        return v.index ? g_strdup("none") : g_strdup_printf("#%06x", (unsigned)v.color);
    case IMP_KEY_WEIGHT:
        return v.index == 400 ? g_strdup("normal")
             : v.index == 700 ? g_strdup("bold")
             : g_strdup_printf("%d", v.index);
    case IMP_KEY_FAMILY: {
        char **families = imp__family_split(text);
        char *s = g_strjoinv(",", families);
        g_strfreev(families);
        return s;
    }
    case IMP_KEY_TEXT_LIST:
    case IMP_KEY_REGEX_LIST:
    case IMP_KEY_XPATH_LIST: {
        char **items = imp__list_split(text);
        char *s = g_strjoinv(";", items);
        g_strfreev(items);
        return s;
    }
    case IMP_KEY_STRING:
    case IMP_KEY_INHERITS:
    case IMP_KEY_LANG:     /* as written: Pango and fontconfig read it */
    case IMP_KEY_TEMPLATE:
    case IMP_KEY_REGEX:
    case IMP_KEY_XPATH:
        break;
    }
    return g_strdup(text);
}
