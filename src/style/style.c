/* style.c — the ImpStyle object: loading a style, choosing the language its values are
 * for, and the getters of its resolved structs.
 *
 * A load finds the style file, reads it with its parents and overrides into a sheet
 * (sheet.c), checks that the sheet resolves for every language it names (so that a later
 * imp_style_set_language cannot fail on a combination of values, and a bad localized value
 * is reported at load, with its FILE:LINE), and resolves it for the style's own [document]
 * lang (resolve.c). The sheet is kept, so the values can be resolved again for another
 * language.
 *
 * Invariants:
 *  1. style->res always holds a complete resolution for style->language.
 *  2. A failed imp_style_set_language leaves the style as it was.
 */
#include "style/style-private.h"
#include "util/error.h"

#include <string.h>

/* The language chain of `lang` (NULL: none); NULL and an error when it is not a tag. */
static gboolean chain_of(const char *lang, char **canonical, char ***chain, GError **error)
{
    *canonical = NULL;
    *chain = NULL;
    if (lang == NULL)
        return TRUE;
    *canonical = imp__lang_canonical(lang);
    if (*canonical == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE,
                    "'%s' is not a BCP 47 language tag (such as en, zh-Hans, ja)", lang);
        return FALSE;
    }
    *chain = imp__lang_chain(*canonical);
    return TRUE;
}

/* Loads, inherits, overrides, checks and resolves a style; see style.h. (transfer full) */
ImpStyle *imp_style_load(const char *name_or_path, const char *const *style_dirs,
                         const char *const *overrides, GError **error)
{
    g_return_val_if_fail(name_or_path != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    char *top = NULL;
    if (imp__style_is_path(name_or_path))
        top = g_strdup(name_or_path);
    else if (*name_or_path != '\0')
        top = imp__style_find(name_or_path, style_dirs);
    if (top == NULL) {
        char *looked = style_dirs != NULL && style_dirs[0] != NULL
                           ? g_strjoinv(", ", (char **)style_dirs) : NULL;
        g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "style '%s' not found (%s%s)",
                    name_or_path, looked ? "looked in: " : "no style directories given",
                    looked ? looked : "");
        g_free(looked);
        return NULL;
    }
    ImpSheet *sheet = imp__sheet_load(top, style_dirs, overrides, error);
    if (sheet == NULL) {
        g_free(top);
        return NULL;
    }
    /* every language the sheet names resolves (invariant 2 of set_language); a language
       that only changes texts cannot fail where the plain values do not */
    gboolean ok = TRUE;
    for (const char *const *t = imp__sheet_tags(sheet); ok && *t != NULL; t++) {
        if (imp__sheet_tag_is_textual(sheet, *t))
            continue;
        char **chain = imp__lang_chain(*t);
        ImpResolved *res = imp__resolve(sheet, (const char *const *)chain, top, error);
        ok = res != NULL;
        imp__resolved_free(res);
        g_strfreev(chain);
    }
    ImpStyle *style = NULL;
    if (ok) {
        style = g_new0(ImpStyle, 1);
        style->path = top;
        style->sheet = sheet;
        top = NULL;
        sheet = NULL;
        /* the style's own language; [document] lang is never localized */
        const ImpGroupSpec *doc = imp__schema_group("document");
        char *lang = imp__effective(style->sheet, doc, imp__schema_key(doc, "lang"), NULL, NULL);
        char **chain = NULL;
        if (!chain_of(lang, &style->language, &chain, error) ||
            (style->res = imp__resolve(style->sheet, (const char *const *)chain, style->path,
                                       error)) == NULL) {
            imp_style_free(style);
            style = NULL;
        }
        g_strfreev(chain);
        g_free(lang);
    }
    imp__sheet_free(sheet);
    g_free(top);
    return style;
}

/* Frees the style with its strings and regexes. NULL is a no-op. */
void imp_style_free(ImpStyle *style)
{
    if (style == NULL)
        return;
    imp__resolved_free(style->res);
    imp__sheet_free(style->sheet);
    g_free(style->language);
    g_free(style->path);
    g_free(style);
}

/* A new style resolved for `lang` from the same sheet; see style.h. (transfer full) */
ImpStyle *imp_style_localize(const ImpStyle *style, const char *lang, GError **error)
{
    g_return_val_if_fail(style != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    char *canonical = NULL, **chain = NULL;
    if (!chain_of(lang, &canonical, &chain, error))
        return NULL;
    ImpResolved *res = imp__resolve(style->sheet, (const char *const *)chain, style->path,
                                    error);
    g_strfreev(chain);
    if (res == NULL) {
        g_free(canonical);
        return NULL;
    }
    ImpStyle *copy = g_new0(ImpStyle, 1);
    copy->path = g_strdup(style->path);
    copy->sheet = imp__sheet_ref(style->sheet);
    copy->language = canonical;
    copy->res = res;
    return copy;
}

/* Resolves the values again for `lang`; see style.h. */
gboolean imp_style_set_language(ImpStyle *style, const char *lang, GError **error)
{
    g_return_val_if_fail(style != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    char *canonical = NULL, **chain = NULL;
    if (!chain_of(lang, &canonical, &chain, error))
        return FALSE;
    ImpResolved *res = imp__resolve(style->sheet, (const char *const *)chain, style->path,
                                    error);
    g_strfreev(chain);
    if (res == NULL) {
        g_free(canonical);
        return FALSE;
    }
    imp__resolved_free(style->res);
    style->res = res;
    g_free(style->language);
    style->language = canonical;
    return TRUE;
}

/* The canonical tag the values are for, NULL for plain values. (transfer none) */
const char *imp_style_get_language(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->language;
}

/* ================================================================ getters */

/* The [style] name, or the file's base name when it sets none. (transfer none) */
const char *imp_style_get_name(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->res->name;
}

/* The one-line [style] description, "" when none. (transfer none) */
const char *imp_style_get_description(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return style->res->description;
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
    return &style->res->page;
}

/* One role's resolved text style. (transfer none) */
const ImpRoleStyle *imp_style_get_role(const ImpStyle *style, ImpRole role)
{
    g_return_val_if_fail(style != NULL, NULL);
    g_return_val_if_fail(role < IMP_N_ROLES, NULL);
    return &style->res->roles[role];
}

/* Header templates and rule (text style: imp_style_get_role(IMP_ROLE_HEADER)). */
const ImpRunningStyle *imp_style_get_header(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->header;
}

/* Footer templates and rule (text style: imp_style_get_role(IMP_ROLE_FOOTER)). */
const ImpRunningStyle *imp_style_get_footer(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->footer;
}

/* Document-wide settings, including the notice placement and rule. (transfer none) */
const ImpDocumentStyle *imp_style_get_document(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->document;
}

/* The site reading rules; every field NULL (chrome: an empty list) for a generic style.
 * (transfer none) */
const ImpReadRules *imp_style_get_read_rules(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->read;
}

/* How links are set. (transfer none) */
const ImpLinkStyle *imp_style_get_link(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->link;
}

/* Code blocks and inline code beyond the [code] role's text style. (transfer none) */
const ImpCodeStyle *imp_style_get_code(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->code;
}

/* List indents and bullets. (transfer none) */
const ImpListStyle *imp_style_get_list(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->list;
}

/* Table rules and cell padding. (transfer none) */
const ImpTableStyle *imp_style_get_table(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->table;
}

/* Heading numbering and keeps. (transfer none) */
const ImpHeadingsStyle *imp_style_get_headings(const ImpStyle *style)
{
    g_return_val_if_fail(style != NULL, NULL);
    return &style->res->headings;
}
