/* schema.c — every group and key a style sheet may hold, in one table.
 *
 * A row of `keys` says all there is to know about a key: its group, name, type and range;
 * its built-in default; how it is derived from another key when unset; and where its
 * resolved value goes (a field of one of the structs of style.h, or a small setter in
 * resolve.c). Loading, checking, resolving, dumping and the docs test all read this table,
 * so adding a key is one row here plus its line in docs/styles.md (and its value in
 * styles/default.style, which a test holds equal to the defaults here).
 *
 * Keys every role group takes have group NULL; their defaults differ by role and come from
 * `looks`, one row per role. Groups are listed in `groups`, in dump order.
 *
 * Invariants:
 *  1. The built-in defaults are styles/default.style's values (test-style.c checks that an
 *     empty sheet and default.style resolve alike), so a style that inherits nothing looks
 *     like the default style.
 *  2. In each group, the keys a row derives from or converts against come before it (role
 *     keys before a group's own keys, font-size before lengths in em).
 */
#include "style/style-private.h"

#include <string.h>

/* ================================================================ choices */

static const char *const orientation_choices[] = { "portrait", "landscape", NULL };
static const char *const breaking_choices[] = { "optimal", "greedy", NULL };
static const char *const font_style_choices[] = { "normal", "italic", NULL };
static const char *const align_choices[] = { "left", "right", "center", "justify", NULL };
static const char *const hyphens_choices[] = { "auto", "none", NULL };
static const char *const placement_choices[] = { "end", "every-page", NULL };
static const char *const numbering_choices[] = { "none", "decimal", NULL };
static const char *const line_break_choices[] = { "strict", "normal", "loose", NULL };
static const char *const hangul_breaks_choices[] = { "words", "syllables", NULL };
static const char *const cjk_hyphens_choices[] = { "none", "auto", NULL };

/* ================================================================ the role looks */

#define SERIF { "Noto Serif", "Noto Serif CJK SC", "Noto Serif CJK JP", "Noto Serif CJK KR", \
                "Noto Sans Symbols,Noto Sans Symbols2", "Noto Serif CJK TC" }
#define SANS { "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", \
               "Noto Sans Symbols,Noto Sans Symbols2", "Noto Sans CJK TC" }
#define SERIF_LATIN_SANS_CJK { "Noto Serif", "Noto Sans CJK SC", "Noto Sans CJK JP", \
                               "Noto Sans CJK KR", "Noto Sans Symbols,Noto Sans Symbols2", \
                               "Noto Sans CJK TC" }
/* Noto Sans Math has the continuation mark ↪ that no other face of the setup has. */
#define MONO { "Noto Sans Mono", "Noto Sans Mono CJK SC", \
               "Noto Sans Mono CJK JP", "Noto Sans Mono CJK KR", \
               "Noto Sans Symbols,Noto Sans Symbols2,Noto Sans Math", \
               "Noto Sans Mono CJK TC" }
#define INK "#1a1a1a"

/* family, size, weight, style, color, line-height, space-before, space-after, text-indent,
 * text-align, hyphens */
static const ImpRoleLook looks[IMP_N_ROLES] = {
    [IMP_ROLE_BODY] = { SERIF, "10.5pt", "normal", "normal", INK, "1.5", "0", "6pt", "0",
                        "justify", "auto" },
    [IMP_ROLE_TITLE] = { SANS, "20pt", "bold", "normal", INK, "1.25", "0", "14pt", "0",
                         "left", "none" },
    [IMP_ROLE_SUBTITLE] = { SANS, "13pt", "normal", "normal", "#444444", "1.3", "0", "12pt",
                            "0", "left", "none" },
    [IMP_ROLE_H1] = { SANS, "15pt", "bold", "normal", INK, "1.3", "18pt", "6pt", "0", "left",
                      "none" },
    [IMP_ROLE_H2] = { SANS, "12.5pt", "bold", "normal", INK, "1.3", "14pt", "4pt", "0",
                      "left", "none" },
    [IMP_ROLE_H3] = { SANS, "11pt", "bold", "normal", INK, "1.35", "12pt", "3pt", "0", "left",
                      "none" },
    [IMP_ROLE_H4] = { SANS, "10.5pt", "bold", "normal", INK, "1.4", "10pt", "2pt", "0",
                      "left", "none" },
    [IMP_ROLE_H5] = { SANS, "10pt", "bold", "normal", "#444444", "1.4", "8pt", "2pt", "0",
                      "left", "none" },
    [IMP_ROLE_H6] = { SANS, "9.5pt", "bold", "normal", "#666666", "1.4", "8pt", "2pt", "0",
                      "left", "none" },
    [IMP_ROLE_QUOTE] = { SERIF, "10pt", "normal", "normal", "#333333", "1.5", "6pt", "6pt",
                         "0", "justify", "auto" },
    [IMP_ROLE_LIST] = { SERIF, "10.5pt", "normal", "normal", INK, "1.5", "0", "3pt", "0",
                        "justify", "auto" },
    /* a term's CJK text in the sans (黑体, ゴシック, 고딕): the bold of CJK typography;
       a bold Song or Mincho is rare, and the sans faces are those of the headings */
    [IMP_ROLE_TERM] = { SERIF_LATIN_SANS_CJK, "10.5pt", "bold", "normal", INK, "1.5", "4pt", "0", "0",
                        "left", "none" },
    [IMP_ROLE_CODE] = { MONO, "9pt", "normal", "normal", INK, "1.35", "6pt", "6pt", "0",
                        "left", "none" },
    [IMP_ROLE_TABLE] = { SERIF, "9.5pt", "normal", "normal", INK, "1.35", "0", "0", "0",
                         "left", "none" },
    [IMP_ROLE_TABLE_HEADER] = { SANS, "9pt", "bold", "normal", INK, "1.35", "0", "0", "0",
                                "left", "none" },
    [IMP_ROLE_CAPTION] = { SANS, "8.5pt", "normal", "normal", "#444444", "1.35", "4pt",
                           "10pt", "0", "left", "none" },
    [IMP_ROLE_HEADER] = { SANS, "8pt", "normal", "normal", "#666666", "1.25", "0", "0", "0",
                          "left", "none" },
    [IMP_ROLE_FOOTER] = { SANS, "8pt", "normal", "normal", "#666666", "1.25", "0", "0", "0",
                          "left", "none" },
    [IMP_ROLE_NOTICE] = { SANS, "8.5pt", "normal", "normal", "#333333", "1.4", "4pt", "4pt",
                          "0", "justify", "auto" },
    [IMP_ROLE_MASTHEAD] = { SANS, "9pt", "bold", "normal", "#555555", "1.3", "0", "12pt",
                            "0", "left", "none" },
};

/* ================================================================ the groups */

#define ROLE_GROUP(r, n) { n, IMP_GROUP_ROLE, r }

static const ImpGroupSpec role_groups[IMP_N_ROLES] = {
    ROLE_GROUP(IMP_ROLE_BODY, "body"),
    ROLE_GROUP(IMP_ROLE_TITLE, "title"),
    ROLE_GROUP(IMP_ROLE_SUBTITLE, "subtitle"),
    ROLE_GROUP(IMP_ROLE_H1, "h1"),
    ROLE_GROUP(IMP_ROLE_H2, "h2"),
    ROLE_GROUP(IMP_ROLE_H3, "h3"),
    ROLE_GROUP(IMP_ROLE_H4, "h4"),
    ROLE_GROUP(IMP_ROLE_H5, "h5"),
    ROLE_GROUP(IMP_ROLE_H6, "h6"),
    ROLE_GROUP(IMP_ROLE_QUOTE, "quote"),
    ROLE_GROUP(IMP_ROLE_LIST, "list"),
    ROLE_GROUP(IMP_ROLE_TERM, "term"),
    ROLE_GROUP(IMP_ROLE_CODE, "code"),
    ROLE_GROUP(IMP_ROLE_TABLE, "table"),
    ROLE_GROUP(IMP_ROLE_TABLE_HEADER, "table-header"),
    ROLE_GROUP(IMP_ROLE_CAPTION, "caption"),
    ROLE_GROUP(IMP_ROLE_HEADER, "header"),
    ROLE_GROUP(IMP_ROLE_FOOTER, "footer"),
    ROLE_GROUP(IMP_ROLE_NOTICE, "notice"),
    ROLE_GROUP(IMP_ROLE_MASTHEAD, "masthead"),
};

static const ImpGroupSpec g_style = { "style", IMP_GROUP_STYLE, -1 };
static const ImpGroupSpec g_page = { "page", IMP_GROUP_PAGE, -1 };
static const ImpGroupSpec g_document = { "document", IMP_GROUP_DOCUMENT, -1 };
static const ImpGroupSpec g_headings = { "headings", IMP_GROUP_OTHER, -1 };
static const ImpGroupSpec g_link = { "link", IMP_GROUP_OTHER, -1 };
static const ImpGroupSpec g_reading = { "reading", IMP_GROUP_OTHER, -1 };
static const ImpGroupSpec g_html = { "html", IMP_GROUP_OTHER, -1 };

#define R(role) &role_groups[role]
static const ImpGroupSpec *const groups[] = {
    &g_style, &g_page, &g_document,
    R(IMP_ROLE_BODY), R(IMP_ROLE_TITLE), R(IMP_ROLE_SUBTITLE), R(IMP_ROLE_H1), R(IMP_ROLE_H2),
    R(IMP_ROLE_H3), R(IMP_ROLE_H4), R(IMP_ROLE_H5), R(IMP_ROLE_H6), R(IMP_ROLE_QUOTE),
    R(IMP_ROLE_LIST), R(IMP_ROLE_TERM), R(IMP_ROLE_CODE), R(IMP_ROLE_TABLE),
    R(IMP_ROLE_TABLE_HEADER), R(IMP_ROLE_CAPTION), R(IMP_ROLE_HEADER), R(IMP_ROLE_FOOTER),
    R(IMP_ROLE_NOTICE), R(IMP_ROLE_MASTHEAD),
    &g_headings, &g_link, &g_reading, &g_html, NULL
};
#undef R
G_STATIC_ASSERT(G_N_ELEMENTS(groups) == IMP_N_ROLES + 8);

/* ================================================================ the keys */

/* The footer's page numbers as each language writes them. */
static const char *const page_of_l10n[] = {
    "ja", "{page} / {pages}",
    "ko", "{page} / {pages} 페이지",
    "zh-Hans", "第 {page} 页，共 {pages} 页",
    "zh-Hant", "第 {page} 頁，共 {pages} 頁",
    NULL
};

/* The side margins of CJK text, whose measure is counted in characters of one em. */
static const char *const cjk_margin_l10n[] = {
    "ja", "22mm",
    "ko", "22mm",
    "zh", "22mm",
    NULL
};

#define ROLES NULL
#define AT(t, s, f) .target = t, .offset = offsetof(s, f)
#define PAGE(f) AT(IMP_AT_PAGE, ImpPageStyle, f)
#define DOC(f) AT(IMP_AT_DOCUMENT, ImpDocumentStyle, f)
#define ROLE(f) AT(IMP_AT_ROLE, ImpRoleStyle, f)
#define RUN(f) AT(IMP_AT_RUNNING, ImpRunningStyle, f)
#define READ(f) AT(IMP_AT_READ, ImpReadRules, f)
#define LINK(f) AT(IMP_AT_LINK, ImpLinkStyle, f)
#define CODE(f) AT(IMP_AT_CODE, ImpCodeStyle, f)
#define LIST(f) AT(IMP_AT_LIST, ImpListStyle, f)
#define TABLE(f) AT(IMP_AT_TABLE, ImpTableStyle, f)
#define HEADINGS(f) AT(IMP_AT_HEADINGS, ImpHeadingsStyle, f)
#define RANGE(a, b) .min = (a), .max = (b)
#define ABOVE(a, b) .min = (a), .max = (b), .min_exclusive = TRUE
#define CHOICES(c) .choices = c
#define LOOK(f) .look = offsetof(ImpRoleLook, f)
#define FROM_BODY .derive = IMP_DERIVE_BODY
#define FROM(k) .derive = IMP_DERIVE_KEY, .derive_key = k
#define SET(fn) .set = fn
/* A length key: [0, 10000pt] unless said otherwise; 10000pt is past any paper size. */
#define LEN(g, n, d, field) { g, n, IMP_KEY_LENGTH, RANGE(0, 10000), .dflt = d, field }

/*  group        key                type                 default / range / derivation / target */
static const ImpKeySpec keys[] = {
    { "style", "name", IMP_KEY_STRING, .dflt = "" },
    { "style", "description", IMP_KEY_STRING, .dflt = "" },
    { "style", "inherits", IMP_KEY_INHERITS, .dflt = "" },

    { "page", "size", IMP_KEY_PAGE_SIZE, .dflt = "A4", SET(imp__set_page_size) },
    { "page", "orientation", IMP_KEY_ENUM, CHOICES(orientation_choices), .dflt = "portrait",
      SET(imp__set_orientation) },
    LEN("page", "margin-top", "25mm", PAGE(margin_top)),
    LEN("page", "margin-bottom", "25mm", PAGE(margin_bottom)),
    /* English at about 70 characters a line (Bringhurst's 45-75, issue 11's 60-80); CJK
       text at 44 characters of 10.5pt, which suits it */
    { "page", "margin-left", IMP_KEY_LENGTH, RANGE(0, 10000), .dflt = "38mm",
      .dflt_l10n = cjk_margin_l10n, PAGE(margin_left) },
    { "page", "margin-right", IMP_KEY_LENGTH, RANGE(0, 10000), .dflt = "38mm",
      .dflt_l10n = cjk_margin_l10n, PAGE(margin_right) },
    LEN("page", "header-height", "12mm", PAGE(header_height)),
    LEN("page", "footer-height", "12mm", PAGE(footer_height)),

    { "document", "lang", IMP_KEY_LANG, .dflt = "en", DOC(language) },
    { "document", "lang-han", IMP_KEY_LANG, .dflt = "zh-Hans", DOC(han_language) },
    { "document", "lang-kana", IMP_KEY_LANG, .dflt = "ja", DOC(kana_language) },
    { "document", "lang-hangul", IMP_KEY_LANG, .dflt = "ko", DOC(hangul_language) },
    { "document", "line-breaking", IMP_KEY_ENUM, CHOICES(breaking_choices), .dflt = "optimal",
      DOC(line_breaking) },
    { "document", "widows", IMP_KEY_INT, RANGE(1, 10), .dflt = "2", DOC(widows) },
    { "document", "orphans", IMP_KEY_INT, RANGE(1, 10), .dflt = "2", DOC(orphans) },
    { "document", "max-stretch", IMP_KEY_EM, RANGE(0, 10), .dflt = "0.5em", DOC(max_stretch) },
    { "document", "han-latin-gap", IMP_KEY_EM, RANGE(0, 2), .dflt = "0.25em",
      DOC(han_latin_gap) },
    { "document", "line-break", IMP_KEY_ENUM, CHOICES(line_break_choices), .dflt = "strict",
      DOC(line_break) },
    { "document", "hangul-breaks", IMP_KEY_ENUM, CHOICES(hangul_breaks_choices),
      .dflt = "words", DOC(hangul_breaks) },
    { "document", "cjk-hyphens", IMP_KEY_ENUM, CHOICES(cjk_hyphens_choices), .dflt = "none",
      DOC(cjk_hyphenate) },
    { "document", "cjk-max-stretch", IMP_KEY_EM, ABOVE(0, 1), .dflt = "0.25em",
      DOC(cjk_max_stretch) },
    { "document", "masthead", IMP_KEY_BOOL, .dflt = "false", DOC(masthead) },
    { "document", "pdf-standard", IMP_KEY_STRING, .dflt = "", DOC(pdf_standard) },

    /* every role group */
    { ROLES, "font-family", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_LATIN]), FROM_BODY,
      ROLE(family[IMP_SCRIPT_LATIN]) },
    { ROLES, "font-family-han", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_HAN]), FROM_BODY,
      ROLE(family[IMP_SCRIPT_HAN]) },
    { ROLES, "font-family-kana", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_KANA]), FROM_BODY,
      ROLE(family[IMP_SCRIPT_KANA]) },
    { ROLES, "font-family-hangul", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_HANGUL]),
      FROM_BODY, ROLE(family[IMP_SCRIPT_HANGUL]) },
    { ROLES, "font-family-hant", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_HANT]), FROM_BODY,
      ROLE(family[IMP_SCRIPT_HANT]) },
    { ROLES, "font-family-fallback", IMP_KEY_FAMILY, LOOK(family[IMP_SCRIPT_FALLBACK]),
      FROM_BODY, ROLE(family[IMP_SCRIPT_FALLBACK]) },
    { ROLES, "font-size", IMP_KEY_LENGTH, ABOVE(0, 500), LOOK(size), ROLE(size) },
    { ROLES, "font-weight", IMP_KEY_WEIGHT, LOOK(weight), ROLE(weight) },
    { ROLES, "font-style", IMP_KEY_ENUM, CHOICES(font_style_choices), LOOK(style), FROM_BODY,
      ROLE(italic) },
    { ROLES, "color", IMP_KEY_COLOR, LOOK(color), FROM_BODY, ROLE(color) },
    { ROLES, "line-height", IMP_KEY_LINE_HEIGHT, ABOVE(0, 1000), LOOK(line_height),
      .derive = IMP_DERIVE_BODY_MULTIPLE, ROLE(leading) },
    { ROLES, "space-before", IMP_KEY_LENGTH_EM, RANGE(0, 1000), LOOK(before),
      ROLE(space_before) },
    { ROLES, "space-after", IMP_KEY_LENGTH_EM, RANGE(0, 1000), LOOK(after), ROLE(space_after) },
    { ROLES, "text-indent", IMP_KEY_LENGTH_EM, RANGE(-1000, 1000), LOOK(indent), ROLE(indent) },
    { ROLES, "text-align", IMP_KEY_ENUM, CHOICES(align_choices), LOOK(align), ROLE(align) },
    { ROLES, "hyphens", IMP_KEY_ENUM, CHOICES(hyphens_choices), LOOK(hyphens), ROLE(hyphenate),
      SET(imp__set_hyphens) },

    { "list", "indent", IMP_KEY_LENGTH_EM, RANGE(0, 1000), .dflt = "1.5em", LIST(indent) },
    { "list", "bullets", IMP_KEY_TEXT_LIST, .dflt = "•;◦;▪", LIST(bullets) },

    { "code", "tab-width", IMP_KEY_INT, RANGE(1, 16), .dflt = "8", CODE(tab_width) },
    { "code", "wrap-mark", IMP_KEY_STRING, .dflt = "↪", CODE(wrap_mark) },
    { "code", "wrap-indent", IMP_KEY_LENGTH_EM, RANGE(0, 1000), .dflt = "2em",
      CODE(wrap_indent) },
    { "code", "inline-font-size", IMP_KEY_EM, ABOVE(0, 2), .dflt = "0.9em",
      CODE(inline_size) },
    { "code", "background", IMP_KEY_COLOR_NONE, .dflt = "none", CODE(background),
      SET(imp__set_background) },
    { "code", "rule-thickness", IMP_KEY_LENGTH, RANGE(0, 20), .dflt = "0.5pt",
      CODE(rule.thickness) },
    { "code", "rule-color", IMP_KEY_COLOR, .dflt = "#b3b3b3", CODE(rule.color) },
    { "code", "padding", IMP_KEY_LENGTH_EM, RANGE(0, 1000), .dflt = "8pt", CODE(padding) },

    { "table", "rule-thickness", IMP_KEY_LENGTH, RANGE(0, 20), .dflt = "0.5pt",
      TABLE(rule.thickness) },
    { "table", "rule-color", IMP_KEY_COLOR, .dflt = "#808080", TABLE(rule.color) },
    { "table", "cell-padding-x", IMP_KEY_LENGTH_EM, RANGE(0, 1000), .dflt = "0.5em",
      TABLE(cell_padding_x) },
    { "table", "cell-padding-y", IMP_KEY_LENGTH_EM, RANGE(0, 1000), .dflt = "0.25em",
      TABLE(cell_padding_y) },

    { "header", "left", IMP_KEY_TEMPLATE, .dflt = "{title}", RUN(slot[IMP_SLOT_LEFT]) },
    { "header", "center", IMP_KEY_TEMPLATE, .dflt = "", RUN(slot[IMP_SLOT_CENTER]) },
    { "header", "right", IMP_KEY_TEMPLATE, .dflt = "{section}", RUN(slot[IMP_SLOT_RIGHT]) },
    { "header", "first-left", IMP_KEY_TEMPLATE, .dflt = "", FROM("left"),
      RUN(first_slot[IMP_SLOT_LEFT]) },
    { "header", "first-center", IMP_KEY_TEMPLATE, .dflt = "", FROM("center"),
      RUN(first_slot[IMP_SLOT_CENTER]) },
    { "header", "first-right", IMP_KEY_TEMPLATE, .dflt = "", FROM("right"),
      RUN(first_slot[IMP_SLOT_RIGHT]) },
    { "header", "rule-thickness", IMP_KEY_LENGTH, RANGE(0, 20), .dflt = "0.4pt",
      RUN(rule.thickness) },
    { "header", "rule-color", IMP_KEY_COLOR, .dflt = "#999999", FROM("color"),
      RUN(rule.color) },

    { "footer", "left", IMP_KEY_TEMPLATE, .dflt = "{source}", RUN(slot[IMP_SLOT_LEFT]) },
    { "footer", "center", IMP_KEY_TEMPLATE, .dflt = "", RUN(slot[IMP_SLOT_CENTER]) },
    { "footer", "right", IMP_KEY_TEMPLATE, .dflt = "Page {page} of {pages}",
      .dflt_l10n = page_of_l10n, RUN(slot[IMP_SLOT_RIGHT]) },
    /* unset in default.style: the first page has the same footer */
    { "footer", "first-left", IMP_KEY_TEMPLATE, .dflt = "{source}", FROM("left"),
      RUN(first_slot[IMP_SLOT_LEFT]) },
    { "footer", "first-center", IMP_KEY_TEMPLATE, .dflt = "", FROM("center"),
      RUN(first_slot[IMP_SLOT_CENTER]) },
    { "footer", "first-right", IMP_KEY_TEMPLATE, .dflt = "Page {page} of {pages}",
      .dflt_l10n = page_of_l10n, FROM("right"), RUN(first_slot[IMP_SLOT_RIGHT]) },
    { "footer", "rule-thickness", IMP_KEY_LENGTH, RANGE(0, 20), .dflt = "0.4pt",
      RUN(rule.thickness) },
    { "footer", "rule-color", IMP_KEY_COLOR, .dflt = "#999999", FROM("color"),
      RUN(rule.color) },

    { "notice", "placement", IMP_KEY_ENUM, CHOICES(placement_choices), .dflt = "end",
      DOC(notice_placement) },
    { "notice", "rule-thickness", IMP_KEY_LENGTH, RANGE(0, 20), .dflt = "0.5pt",
      DOC(notice_rule.thickness) },
    { "notice", "rule-color", IMP_KEY_COLOR, .dflt = "#999999", FROM("color"),
      DOC(notice_rule.color) },

    { "headings", "numbering", IMP_KEY_ENUM, CHOICES(numbering_choices), .dflt = "none",
      HEADINGS(numbering) },
    { "headings", "keep-with-next", IMP_KEY_INT, RANGE(0, 10), .dflt = "2",
      HEADINGS(keep_with_next) },

    { "link", "color", IMP_KEY_COLOR, .dflt = "#1f4e8c", LINK(color) },
    { "link", "underline", IMP_KEY_BOOL, .dflt = "false", LINK(underline) },

    { "reading", "detect", IMP_KEY_REGEX, .dflt = "", READ(detect) },
    { "reading", "masthead", IMP_KEY_REGEX, .dflt = "", READ(masthead) },
    { "reading", "breadcrumb", IMP_KEY_REGEX, .regex_group = "section", .dflt = "",
      READ(breadcrumb) },
    { "reading", "chrome", IMP_KEY_REGEX_LIST, .dflt = "", READ(chrome) },
    { "reading", "notice-start", IMP_KEY_REGEX, .dflt = "", READ(notice_start) },
    { "reading", "notice-end", IMP_KEY_REGEX, .dflt = "", READ(notice_end) },
    { "reading", "site", IMP_KEY_STRING, .dflt = "", READ(site), SET(imp__set_text_or_null) },
    { "reading", "source", IMP_KEY_STRING, .dflt = "", READ(source),
      SET(imp__set_text_or_null) },
    { "reading", "headings", IMP_KEY_BOOL, .dflt = "true", READ(signals_off),
      SET(imp__set_signal), .flag = IMP_SIGNAL_HEADINGS },
    { "reading", "preformatted", IMP_KEY_BOOL, .dflt = "true", READ(signals_off),
      SET(imp__set_signal), .flag = IMP_SIGNAL_PREFORMATTED },
    { "reading", "lists", IMP_KEY_BOOL, .dflt = "true", READ(signals_off),
      SET(imp__set_signal), .flag = IMP_SIGNAL_LISTS },
    { "reading", "options", IMP_KEY_BOOL, .dflt = "true", READ(signals_off),
      SET(imp__set_signal), .flag = IMP_SIGNAL_OPTIONS },
    { "reading", "urls", IMP_KEY_BOOL, .dflt = "true", READ(signals_off),
      SET(imp__set_signal), .flag = IMP_SIGNAL_URLS },

    { "html", "content", IMP_KEY_XPATH, .dflt = "", READ(html_content) },
    { "html", "title", IMP_KEY_XPATH, .dflt = "", READ(html_title) },
    { "html", "date", IMP_KEY_XPATH, .dflt = "", READ(html_date) },
    { "html", "author", IMP_KEY_XPATH, .dflt = "", READ(html_author) },
    { "html", "section", IMP_KEY_XPATH, .dflt = "", READ(html_section) },
    { "html", "masthead", IMP_KEY_XPATH, .dflt = "", READ(html_masthead) },
    { "html", "notice", IMP_KEY_XPATH, .dflt = "", READ(html_notice) },
    { "html", "drop", IMP_KEY_XPATH_LIST, .dflt = "", READ(html_drop) },
};

/* The tags of the localized defaults, sorted. */
static const char *const default_tags[] = { "ja", "ko", "zh", "zh-Hans", "zh-Hant", NULL };

/* ================================================================ lookup */

/* Per group, its keys in dump order: role keys first, then the group's own, each in table
 * order. Built once. */
static const ImpKeySpec **group_keys[G_N_ELEMENTS(groups) - 1];

static gboolean key_in_group(const ImpKeySpec *k, const ImpGroupSpec *g)
{
    return k->group == NULL ? g->kind == IMP_GROUP_ROLE : strcmp(k->group, g->name) == 0;
}

static void build_group_keys(void)
{
    static gsize done = 0;
    if (!g_once_init_enter(&done))
        return;
    for (gsize i = 0; groups[i] != NULL; i++) {
        GPtrArray *a = g_ptr_array_new();
        for (gsize j = 0; j < G_N_ELEMENTS(keys); j++)
            if (key_in_group(&keys[j], groups[i]))
                g_ptr_array_add(a, (gpointer)&keys[j]);
        g_ptr_array_add(a, NULL);
        group_keys[i] = (const ImpKeySpec **)g_ptr_array_free(a, FALSE);
    }
    g_once_init_leave(&done, 1);
}

const ImpGroupSpec *const *imp__schema_groups(void)
{
    return groups;
}

const ImpGroupSpec *imp__schema_group(const char *name)
{
    for (gsize i = 0; groups[i] != NULL; i++)
        if (strcmp(groups[i]->name, name) == 0)
            return groups[i];
    return NULL;
}

const ImpGroupSpec *imp__schema_role_group(ImpRole role)
{
    g_return_val_if_fail(role < IMP_N_ROLES, NULL);
    return &role_groups[role];
}

const ImpKeySpec *const *imp__schema_keys(const ImpGroupSpec *group)
{
    build_group_keys();
    for (gsize i = 0; groups[i] != NULL; i++)
        if (groups[i] == group)
            return group_keys[i];
    g_return_val_if_reached(NULL);
}

const ImpKeySpec *imp__schema_key(const ImpGroupSpec *group, const char *name)
{
    for (const ImpKeySpec *const *k = imp__schema_keys(group); *k != NULL; k++)
        if (strcmp((*k)->name, name) == 0)
            return *k;
    return NULL;
}

/* The default for `chain`: the localized default of the first tag of the chain that has
 * one, else the plain default. */
const char *imp__schema_default(const ImpGroupSpec *group, const ImpKeySpec *key,
                                const char *const *chain)
{
    for (gsize i = 0; chain != NULL && key->dflt_l10n != NULL && chain[i] != NULL; i++)
        for (gsize j = 0; key->dflt_l10n[j] != NULL; j += 2)
            if (strcmp(key->dflt_l10n[j], chain[i]) == 0)
                return key->dflt_l10n[j + 1];
    if (key->dflt != NULL)
        return key->dflt;
    g_assert(group->kind == IMP_GROUP_ROLE);
    return *(const char *const *)((const char *)&looks[group->role] + key->look);
}

gboolean imp__schema_localizable(const ImpGroupSpec *group, const ImpKeySpec *key)
{
    return key->type != IMP_KEY_INHERITS &&
           !(group->kind == IMP_GROUP_DOCUMENT && strcmp(key->name, "lang") == 0);
}

const char *const *imp__schema_default_tags(void)
{
    return default_tags;
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
    const char *names[G_N_ELEMENTS(groups)];
    gsize n = 0;
    for (gsize i = 0; groups[i] != NULL; i++)
        names[n++] = groups[i]->name;
    return suggest(name, names, n);
}

const char *imp__schema_suggest_key(const ImpGroupSpec *group, const char *name)
{
    const char *names[G_N_ELEMENTS(keys)];
    gsize n = 0;
    for (const ImpKeySpec *const *k = imp__schema_keys(group); *k != NULL; k++)
        names[n++] = (*k)->name;
    return suggest(name, names, n);
}

/* The group name of a role, from the schema, so the two never disagree. (transfer none) */
const char *imp_role_name(ImpRole role)
{
    g_return_val_if_fail(role < IMP_N_ROLES, NULL);
    return role_groups[role].name;
}
