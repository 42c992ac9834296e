/* style-value.c — the schema of a style sheet and the syntax of its values.
 *
 * Every group and key a user may write is in the tables below, with its type and range;
 * the loader rejects anything else, so a typo is never silently ignored. The parsers turn
 * one key's text into an ImpValue; the formatters write it back as canonical key-file text
 * for imp_style_dump().
 *
 * Invariants:
 *  1. Numbers are read with g_ascii_strtod and written with g_ascii_formatd: the locale
 *     never changes what a style means or how a dump looks.
 *  2. imp__value_format(imp__value_parse(t)) parses back to the same ImpValue, so a dump
 *     loads as exactly the style it came from (the number keeps the unit it was written in).
 *  3. A parser's message names the offending text but not the file or key: the caller
 *     knows where the text came from and prefixes `FILE:LINE: [group] key:`.
 */
#include "style/style-private.h"

#include <math.h>
#include <string.h>

/* ================================================================ schema */

static const char *const orientation_choices[] = { "portrait", "landscape", NULL };
static const char *const breaking_choices[] = { "optimal", "greedy", NULL };
static const char *const font_style_choices[] = { "normal", "italic", NULL };
static const char *const align_choices[] = { "left", "right", "center", "justify", NULL };
static const char *const hyphens_choices[] = { "auto", "none", NULL };
static const char *const placement_choices[] = { "end", "every-page", NULL };

/* A length key: [0, 10000pt] unless said otherwise; 10000pt is past any paper size. */
#define LEN(n) { n, IMP_KEY_LENGTH, NULL, 0, 10000, FALSE, NULL }

static const ImpKeySpec k_name = { "name", IMP_KEY_STRING, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_description = { "description", IMP_KEY_STRING, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_inherits = { "inherits", IMP_KEY_INHERITS, NULL, 0, 0, FALSE, NULL };

static const ImpKeySpec k_size = { "size", IMP_KEY_PAGE_SIZE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_orientation = { "orientation", IMP_KEY_ENUM, orientation_choices,
                                          0, 0, FALSE, NULL };
static const ImpKeySpec k_margin_top = LEN("margin-top");
static const ImpKeySpec k_margin_bottom = LEN("margin-bottom");
static const ImpKeySpec k_margin_left = LEN("margin-left");
static const ImpKeySpec k_margin_right = LEN("margin-right");
static const ImpKeySpec k_header_height = LEN("header-height");
static const ImpKeySpec k_footer_height = LEN("footer-height");

static const ImpKeySpec k_lang = { "lang", IMP_KEY_LANG, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_lang_han = { "lang-han", IMP_KEY_LANG, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_lang_kana = { "lang-kana", IMP_KEY_LANG, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_lang_hangul = { "lang-hangul", IMP_KEY_LANG, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_line_breaking = { "line-breaking", IMP_KEY_ENUM, breaking_choices,
                                            0, 0, FALSE, NULL };
static const ImpKeySpec k_widows = { "widows", IMP_KEY_INT, NULL, 1, 10, FALSE, NULL };
static const ImpKeySpec k_orphans = { "orphans", IMP_KEY_INT, NULL, 1, 10, FALSE, NULL };
static const ImpKeySpec k_max_stretch = { "max-stretch", IMP_KEY_EM, NULL, 0, 10, FALSE, NULL };
static const ImpKeySpec k_han_latin_gap = { "han-latin-gap", IMP_KEY_EM, NULL, 0, 2, FALSE, NULL };
static const ImpKeySpec k_doc_masthead = { "masthead", IMP_KEY_BOOL, NULL, 0, 0, FALSE, NULL };

static const ImpKeySpec k_family = { "font-family", IMP_KEY_FAMILY, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_family_han = { "font-family-han", IMP_KEY_FAMILY, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_family_kana = { "font-family-kana", IMP_KEY_FAMILY, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_family_hangul = { "font-family-hangul", IMP_KEY_FAMILY, NULL,
                                            0, 0, FALSE, NULL };
static const ImpKeySpec k_family_fallback = { "font-family-fallback", IMP_KEY_FAMILY, NULL,
                                              0, 0, FALSE, NULL };
static const ImpKeySpec k_font_size = { "font-size", IMP_KEY_LENGTH, NULL, 0, 500, TRUE, NULL };
static const ImpKeySpec k_font_weight = { "font-weight", IMP_KEY_WEIGHT, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_font_style = { "font-style", IMP_KEY_ENUM, font_style_choices,
                                         0, 0, FALSE, NULL };
static const ImpKeySpec k_color = { "color", IMP_KEY_COLOR, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_line_height = { "line-height", IMP_KEY_LINE_HEIGHT, NULL,
                                          0, 1000, TRUE, NULL };
static const ImpKeySpec k_space_before = { "space-before", IMP_KEY_LENGTH_EM, NULL,
                                           0, 1000, FALSE, NULL };
static const ImpKeySpec k_space_after = { "space-after", IMP_KEY_LENGTH_EM, NULL,
                                          0, 1000, FALSE, NULL };
static const ImpKeySpec k_text_indent = { "text-indent", IMP_KEY_LENGTH_EM, NULL,
                                          -1000, 1000, FALSE, NULL };
static const ImpKeySpec k_text_align = { "text-align", IMP_KEY_ENUM, align_choices,
                                         0, 0, FALSE, NULL };
static const ImpKeySpec k_hyphens = { "hyphens", IMP_KEY_ENUM, hyphens_choices, 0, 0, FALSE, NULL };

static const ImpKeySpec k_left = { "left", IMP_KEY_TEMPLATE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_center = { "center", IMP_KEY_TEMPLATE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_right = { "right", IMP_KEY_TEMPLATE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_first_left = { "first-left", IMP_KEY_TEMPLATE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_first_center = { "first-center", IMP_KEY_TEMPLATE, NULL,
                                           0, 0, FALSE, NULL };
static const ImpKeySpec k_first_right = { "first-right", IMP_KEY_TEMPLATE, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_rule_thickness = { "rule-thickness", IMP_KEY_LENGTH, NULL,
                                             0, 20, FALSE, NULL };
static const ImpKeySpec k_rule_color = { "rule-color", IMP_KEY_COLOR, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_placement = { "placement", IMP_KEY_ENUM, placement_choices,
                                        0, 0, FALSE, NULL };

static const ImpKeySpec k_detect = { "detect", IMP_KEY_REGEX, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_read_masthead = { "masthead", IMP_KEY_REGEX, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_breadcrumb = { "breadcrumb", IMP_KEY_REGEX, NULL, 0, 0, FALSE,
                                         "section" };
static const ImpKeySpec k_chrome = { "chrome", IMP_KEY_REGEX_LIST, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_notice_start = { "notice-start", IMP_KEY_REGEX, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_notice_end = { "notice-end", IMP_KEY_REGEX, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_site = { "site", IMP_KEY_STRING, NULL, 0, 0, FALSE, NULL };
static const ImpKeySpec k_source = { "source", IMP_KEY_STRING, NULL, 0, 0, FALSE, NULL };

static const ImpKeySpec *const style_keys[] = { &k_name, &k_description, &k_inherits, NULL };

static const ImpKeySpec *const page_keys[] = {
    &k_size, &k_orientation, &k_margin_top, &k_margin_bottom, &k_margin_left,
    &k_margin_right, &k_header_height, &k_footer_height, NULL
};

static const ImpKeySpec *const document_keys[] = {
    &k_lang, &k_lang_han, &k_lang_kana, &k_lang_hangul, &k_line_breaking, &k_widows,
    &k_orphans, &k_max_stretch, &k_han_latin_gap, &k_doc_masthead, NULL
};

#define ROLE_KEYS \
    &k_family, &k_family_han, &k_family_kana, &k_family_hangul, &k_family_fallback, \
    &k_font_size, &k_font_weight, &k_font_style, &k_color, &k_line_height, \
    &k_space_before, &k_space_after, &k_text_indent, &k_text_align, &k_hyphens

static const ImpKeySpec *const role_keys[] = { ROLE_KEYS, NULL };

static const ImpKeySpec *const running_keys[] = {
    ROLE_KEYS, &k_left, &k_center, &k_right, &k_first_left, &k_first_center,
    &k_first_right, &k_rule_thickness, &k_rule_color, NULL
};

static const ImpKeySpec *const notice_keys[] = {
    ROLE_KEYS, &k_placement, &k_rule_thickness, &k_rule_color, NULL
};

static const ImpKeySpec *const reading_keys[] = {
    &k_detect, &k_read_masthead, &k_breadcrumb, &k_chrome, &k_notice_start, &k_notice_end, &k_site,
    &k_source, NULL
};

#define ROLE_GROUP(n, r, k) { n, IMP_GROUP_ROLE, r, k }

static const ImpGroupSpec g_style = { "style", IMP_GROUP_STYLE, -1, style_keys };
static const ImpGroupSpec g_page = { "page", IMP_GROUP_PAGE, -1, page_keys };
static const ImpGroupSpec g_document = { "document", IMP_GROUP_DOCUMENT, -1, document_keys };
static const ImpGroupSpec g_roles[IMP_N_ROLES] = {
    ROLE_GROUP("body", IMP_ROLE_BODY, role_keys),
    ROLE_GROUP("title", IMP_ROLE_TITLE, role_keys),
    ROLE_GROUP("subtitle", IMP_ROLE_SUBTITLE, role_keys),
    ROLE_GROUP("h1", IMP_ROLE_H1, role_keys),
    ROLE_GROUP("h2", IMP_ROLE_H2, role_keys),
    ROLE_GROUP("h3", IMP_ROLE_H3, role_keys),
    ROLE_GROUP("quote", IMP_ROLE_QUOTE, role_keys),
    ROLE_GROUP("list", IMP_ROLE_LIST, role_keys),
    ROLE_GROUP("code", IMP_ROLE_CODE, role_keys),
    ROLE_GROUP("header", IMP_ROLE_HEADER, running_keys),
    ROLE_GROUP("footer", IMP_ROLE_FOOTER, running_keys),
    ROLE_GROUP("notice", IMP_ROLE_NOTICE, notice_keys),
    ROLE_GROUP("masthead", IMP_ROLE_MASTHEAD, role_keys),
};
static const ImpGroupSpec g_reading = { "reading", IMP_GROUP_READING, -1, reading_keys };

static const ImpGroupSpec *const all_groups[] = {
    &g_style, &g_page, &g_document,
    &g_roles[IMP_ROLE_BODY], &g_roles[IMP_ROLE_TITLE], &g_roles[IMP_ROLE_SUBTITLE],
    &g_roles[IMP_ROLE_H1], &g_roles[IMP_ROLE_H2], &g_roles[IMP_ROLE_H3],
    &g_roles[IMP_ROLE_QUOTE], &g_roles[IMP_ROLE_LIST], &g_roles[IMP_ROLE_CODE],
    &g_roles[IMP_ROLE_HEADER], &g_roles[IMP_ROLE_FOOTER], &g_roles[IMP_ROLE_NOTICE],
    &g_roles[IMP_ROLE_MASTHEAD], &g_reading, NULL
};

G_STATIC_ASSERT(G_N_ELEMENTS(all_groups) == IMP_N_ROLES + 5);

const ImpGroupSpec *const *imp__schema_groups(void)
{
    return all_groups;
}

const ImpGroupSpec *imp__schema_group(const char *name)
{
    for (gsize i = 0; all_groups[i] != NULL; i++)
        if (strcmp(all_groups[i]->name, name) == 0)
            return all_groups[i];
    return NULL;
}

const ImpKeySpec *imp__schema_key(const ImpGroupSpec *group, const char *name)
{
    for (gsize i = 0; group->keys[i] != NULL; i++)
        if (strcmp(group->keys[i]->name, name) == 0)
            return group->keys[i];
    return NULL;
}

/* The edit distance between two short ASCII names, capped: anything above 3 is 3. */
static guint edit_distance(const char *a, const char *b)
{
    gsize la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 3;
    guint row[41];
    for (gsize j = 0; j <= lb; j++)
        row[j] = (guint)j;
    for (gsize i = 1; i <= la; i++) {
        guint diag = row[0];
        row[0] = (guint)i;
        for (gsize j = 1; j <= lb; j++) {
            guint up = row[j];
            guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            guint best = MIN(row[j] + 1, row[j - 1] + 1);
            row[j] = MIN(best, diag + cost);
            diag = up;
        }
    }
    return MIN(row[lb], 3);
}

/* The first name in `names` closest to `name`, if within distance 2. */
static const char *suggest(const char *name, const char *const *names, gsize n)
{
    const char *best = NULL;
    guint best_d = 3;
    for (gsize i = 0; i < n; i++) {
        guint d = edit_distance(name, names[i]);
        if (d < best_d) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

const char *imp__schema_suggest_group(const char *name)
{
    const char *names[G_N_ELEMENTS(all_groups)];
    gsize n = 0;
    for (gsize i = 0; all_groups[i] != NULL; i++)
        names[n++] = all_groups[i]->name;
    return suggest(name, names, n);
}

const char *imp__schema_suggest_key(const ImpGroupSpec *group, const char *name)
{
    const char *names[64];
    gsize n = 0;
    for (gsize i = 0; group->keys[i] != NULL && n < G_N_ELEMENTS(names); i++)
        names[n++] = group->keys[i]->name;
    return suggest(name, names, n);
}

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

char *imp__format_pt(double pt)
{
    char *n = imp__format_number(pt);
    char *s = g_strconcat(n, "pt", NULL);
    g_free(n);
    return s;
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

/* A BCP 47 tag, checked for shape only: a 2-8 letter language subtag, then subtags of
 * 1-8 letters or digits, separated by '-'. */
static char *parse_lang(const char *text)
{
    const char *p = text;
    gsize n = 0;
    while (g_ascii_isalpha(p[n]))
        n++;
    gboolean ok = n >= 2 && n <= 8;
    p += n;
    while (ok && *p == '-') {
        p++;
        n = 0;
        while (g_ascii_isalnum(p[n]))
            n++;
        ok = n >= 1 && n <= 8;
        p += n;
    }
    if (ok && *p == '\0')
        return NULL;
    return g_strdup_printf("'%s' is not a BCP 47 language tag (such as en, zh-Hans, ja)", text);
}

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

char **imp__regex_list_split(const char *text)
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

GRegex *imp__regex_compile(const char *pattern, GError **error)
{
    /* \A and \z rather than ^ and $: the whole trimmed line, with no newline slack. */
    char *anchored = g_strconcat("\\A(?:", pattern, ")\\z", NULL);
    GRegex *re = g_regex_new(anchored, 0, 0, error);
    g_free(anchored);
    return re;
}

static char *parse_regex(const ImpKeySpec *spec, const char *text)
{
    GError *err = NULL;
    /* Compile the pattern as written first, so GLib's "at char N" counts in the user's
     * text; if it compiles, the anchored form does too. */
    GRegex *re = g_regex_new(text, 0, 0, &err);
    if (re != NULL) {
        g_regex_unref(re);
        re = imp__regex_compile(text, &err);
    }
    if (re == NULL) {
        char *msg = g_strdup_printf("'%s' is not a valid regular expression: %s", text,
                                    err->message);
        g_error_free(err);
        return msg;
    }
    char *msg = NULL;
    if (spec->regex_group != NULL && g_regex_get_string_number(re, spec->regex_group) < 0)
        msg = g_strdup_printf("'%s' needs a named group (?<%s>...)", text, spec->regex_group);
    g_regex_unref(re);
    return msg;
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
    case IMP_KEY_REGEX:
        return *text == '\0' ? NULL : parse_regex(spec, text);
    case IMP_KEY_REGEX_LIST: {
        char **items = imp__regex_list_split(text);
        msg = NULL;
        for (gsize i = 0; msg == NULL && items[i] != NULL; i++)
            msg = parse_regex(spec, items[i]);
        g_strfreev(items);
        return msg;
    }
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

char *imp__value_format(const ImpKeySpec *spec, const ImpValue *v)
{
    switch (spec->type) {
    case IMP_KEY_LENGTH:
    case IMP_KEY_LENGTH_EM:
    case IMP_KEY_LINE_HEIGHT:
        return format_length(v->number, v->unit);
    case IMP_KEY_EM:
        return format_length(v->number, IMP_UNIT_EM);
    case IMP_KEY_PAGE_SIZE:
        if (v->size_name >= 0)
            return g_strdup(page_sizes[v->size_name].name);
        else {
            char *w = format_length(v->width_number, v->width_unit);
            char *h = format_length(v->height_number, v->height_unit);
            char *s = g_strconcat(w, "x", h, NULL);
            g_free(w);
            g_free(h);
            return s;
        }
    case IMP_KEY_ENUM:
        return g_strdup(spec->choices[v->index]);
    case IMP_KEY_INT:
        return g_strdup_printf("%d", v->index);
    case IMP_KEY_BOOL:
        return g_strdup(v->index ? "true" : "false");
    case IMP_KEY_COLOR:
        return g_strdup_printf("#%06x", (unsigned)v->color);
    case IMP_KEY_WEIGHT:
        return v->index == 400 ? g_strdup("normal")
             : v->index == 700 ? g_strdup("bold")
             : g_strdup_printf("%d", v->index);
    case IMP_KEY_STRING:
    case IMP_KEY_INHERITS:
    case IMP_KEY_LANG:
    case IMP_KEY_FAMILY:
    case IMP_KEY_TEMPLATE:
    case IMP_KEY_REGEX:
    case IMP_KEY_REGEX_LIST:
        break;
    }
    g_return_val_if_reached(NULL);
}

/* The group name of a role, from the schema, so the two never disagree. (transfer none) */
const char *imp_role_name(ImpRole role)
{
    g_return_val_if_fail(role < IMP_N_ROLES, NULL);
    return g_roles[role].name;
}
