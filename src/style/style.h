/* style.h — style sheets: GLib-style key files that say how a document looks and, for a
 * site style, how to read that site's pages.
 *
 * A style sheet is loaded by name (a file NAME.style in one of the style directories) or by
 * path, follows its `[style] inherits=` chain (parents first, children override), takes
 * `--set group.key=value` overrides, and is then resolved into the plain structs below, all
 * lengths in PostScript points. Any value may be localized (`key[zh-Hant]=`); the structs
 * hold the values for one language at a time (imp_style_set_language). Every key a user may
 * write is documented in docs/styles.md.
 *
 * Invariants:
 *  1. An ImpStyle that imp_style_load() returned is fully resolved and valid for every
 *     language its sheets name: every length is finite and in range, the text area of a
 *     page is not empty, every regex and XPath expression compiled.
 *  2. Unknown groups and keys, duplicate groups and keys, and malformed language tags are
 *     errors, reported with file, line and key.
 *  3. Resolution depends only on the files, the overrides and the language: no locale, no
 *     environment.
 *  4. An empty style sheet resolves exactly as styles/default.style does: the built-in
 *     defaults are default.style's values (a unit test holds them together).
 */
#ifndef IMP_STYLE_H
#define IMP_STYLE_H

#include <glib.h>

#include <imprint/imprint-style.h> /* the public part: ImpStyle, free, getters, dump */

#include "util/diag.h"

G_BEGIN_DECLS

typedef struct ImpStyle ImpStyle;

/* Roles: every piece of text on a page is set in one role's style. */
typedef enum {
    IMP_ROLE_BODY,
    IMP_ROLE_TITLE,
    IMP_ROLE_SUBTITLE,
    IMP_ROLE_H1,
    IMP_ROLE_H2,
    IMP_ROLE_H3,
    IMP_ROLE_H4,
    IMP_ROLE_H5,
    IMP_ROLE_H6,
    IMP_ROLE_QUOTE,
    IMP_ROLE_LIST,
    IMP_ROLE_TERM,         /* the term of a definition or a man page's option */
    IMP_ROLE_CODE,         /* code blocks and preformatted text (inline code: ImpCodeStyle) */
    IMP_ROLE_TABLE,        /* table cell text */
    IMP_ROLE_TABLE_HEADER, /* the header row's cells */
    IMP_ROLE_CAPTION,      /* a table's or figure's caption */
    IMP_ROLE_HEADER,
    IMP_ROLE_FOOTER,
    IMP_ROLE_NOTICE,
    IMP_ROLE_MASTHEAD,
    IMP_N_ROLES
} ImpRole;

/* Script classes that get a font family list each. */
typedef enum {
    IMP_SCRIPT_LATIN,    /* Latin, Greek, Cyrillic and punctuation in their runs */
    IMP_SCRIPT_HAN,
    IMP_SCRIPT_KANA,
    IMP_SCRIPT_HANGUL,
    IMP_SCRIPT_FALLBACK, /* everything else */
    IMP_SCRIPT_HANT,     /* Han in Traditional Chinese text (zh-Hant: Taiwan's forms) */
    IMP_N_SCRIPTS
} ImpScript;

typedef enum {
    IMP_ALIGN_LEFT,
    IMP_ALIGN_RIGHT,
    IMP_ALIGN_CENTER,
    IMP_ALIGN_JUSTIFY
} ImpAlign;

/* One role, resolved. Strings are owned by the style. */
typedef struct {
    const char *family[IMP_N_SCRIPTS]; /* comma-separated family lists, never NULL */
    const char *family_chain[IMP_N_SCRIPTS]; /* what a run of that script asks for: its
                              list, then the fallback list, then the Han list (once each),
                              so that a character its list lacks is looked for in the
                              style's faces before any other installed font */
    double size;           /* font size, pt (> 0) */
    int weight;            /* 100..900, 400 normal, 700 bold */
    gboolean italic;
    guint32 color;         /* 0xRRGGBB */
    double leading;        /* baseline to baseline, pt */
    double space_before;   /* pt */
    double space_after;    /* pt */
    double indent;         /* first-line indent, pt (may be negative for hanging) */
    ImpAlign align;
    gboolean hyphenate;
} ImpRoleStyle;

typedef enum { IMP_ORIENT_PORTRAIT, IMP_ORIENT_LANDSCAPE } ImpOrientation;

/* The page, resolved: width and height already account for the orientation. */
typedef struct {
    double width, height;
    double margin_top, margin_bottom, margin_left, margin_right;
    double header_height;  /* band inside the top margin, above the text area */
    double footer_height;  /* band inside the bottom margin, below the text area */
} ImpPageStyle;

/* A rule (a horizontal line); thickness 0 means no rule. */
typedef struct {
    double thickness;  /* pt */
    guint32 color;     /* 0xRRGGBB */
} ImpRuleStyle;

typedef enum { IMP_SLOT_LEFT, IMP_SLOT_CENTER, IMP_SLOT_RIGHT, IMP_N_SLOTS } ImpSlot;

/* Header or footer: templates for the three slots, on the first page and on the others.
 * Templates hold fields {page} {pages} {title} {section} {site} {source} {date}; an empty
 * template ("") leaves its slot empty. */
typedef struct {
    const char *slot[IMP_N_SLOTS];
    const char *first_slot[IMP_N_SLOTS];
    ImpRuleStyle rule;     /* under the header, above the footer */
} ImpRunningStyle;

typedef enum {
    IMP_NOTICE_END,        /* the notice is set once, after the body */
    IMP_NOTICE_EVERY_PAGE  /* the notice is set at the foot of every page */
} ImpNoticePlacement;

typedef enum { IMP_BREAK_OPTIMAL, IMP_BREAK_GREEDY } ImpLineBreaking;

/* Which characters may start a line in CJK text (CSS Text 3's line-break, JLReq's
 * "characters not starting a line"): strict keeps small kana, ー, iteration marks and the
 * CJK hyphens off a line's start; normal lets small kana, ー and the hyphens start one;
 * loose also iteration marks, centred punctuation (・：；！？) and postfixes (% ℃). */
typedef enum { IMP_LINE_BREAK_STRICT, IMP_LINE_BREAK_NORMAL, IMP_LINE_BREAK_LOOSE } ImpLineBreak;

/* Where Korean lines break (KLREQ): at spaces, a word broken between syllables only when
 * it cannot fit a line alone; or between any two syllables. */
typedef enum { IMP_HANGUL_BREAK_WORDS, IMP_HANGUL_BREAK_SYLLABLES } ImpHangulBreaks;

/* Document-wide typesetting settings. */
typedef struct {
    const char *language;      /* default document language, BCP 47, e.g. "en" */
    const char *han_language;  /* language for Han runs, default "zh-Hans" */
    const char *kana_language; /* default "ja" */
    const char *hangul_language; /* default "ko" */
    ImpLineBreaking line_breaking;
    int widows, orphans;       /* minimum lines left at a page top / bottom */
    double max_stretch;        /* most a justified line's spaces may stretch, in em */
    double han_latin_gap;      /* gap between Han and Latin, in em (default 0.25) */
    ImpLineBreak line_break;   /* kinsoku level (default strict) */
    ImpHangulBreaks hangul_breaks; /* default words */
    gboolean cjk_hyphenate;    /* hyphenate Latin words in paragraphs with CJK letters */
    double cjk_max_stretch;    /* most the space between two CJK characters may stretch,
                                  in em, where another break allows (default 0.25) */
    ImpNoticePlacement notice_placement;
    ImpRuleStyle notice_rule;  /* above the notice */
    gboolean masthead;         /* set a masthead above the title on page 1 */
    const char *pdf_standard;  /* the PDF standards a PDF is written to, as the pipeline
                                  reads them ("a-3u,ua-1"); "" for none */
} ImpDocumentStyle;

/* How links are set ([link]). */
typedef struct {
    guint32 color;         /* 0xRRGGBB */
    gboolean underline;
} ImpLinkStyle;

/* Code beyond its role's text style ([code]): blocks and inline code. A code line longer
 * than the measure wraps; each continuation line starts with `wrap_mark` set in the hanging
 * indent `wrap_indent`. */
typedef struct {
    int tab_width;         /* columns between tab stops, 1..16 */
    const char *wrap_mark; /* "" for none; never NULL */
    double wrap_indent;    /* pt, continuation lines' extra indent */
    double inline_size;    /* inline code's size as a multiple of the text around it */
    gboolean has_background;
    guint32 background;    /* 0xRRGGBB tint behind a block when has_background */
    ImpRuleStyle rule;     /* a rule down the block's left edge; thickness 0: none */
    double padding;        /* pt between the block's edge (rule or tint) and its text */
} ImpCodeStyle;

/* Lists beyond their role's text style ([list]). */
typedef struct {
    double indent;               /* pt per nesting level; markers hang in it */
    const char *const *bullets;  /* markers of unordered items by depth (depth 1 first,
                                    then cycling); NULL-terminated, at least one */
} ImpListStyle;

/* Tables beyond their roles' text styles ([table]). */
typedef struct {
    ImpRuleStyle rule;         /* rules above and below the table and under its header */
    double cell_padding_x;     /* pt left and right of a cell's text */
    double cell_padding_y;     /* pt above and below a cell's text */
} ImpTableStyle;

typedef enum {
    IMP_NUMBERING_NONE,    /* headings as written */
    IMP_NUMBERING_DECIMAL  /* "1.", "1.1", "1.1.1" before each heading's text */
} ImpNumbering;

/* Headings ([headings]). */
typedef struct {
    ImpNumbering numbering;
    int keep_with_next;    /* lines of what follows kept on a heading's page, 0..10 */
} ImpHeadingsStyle;

/* Structure found in plain text by signals (docs/styles.md, [reading]); a style switches
 * each off. */
typedef enum {
    IMP_SIGNAL_HEADINGS     = 1 << 0, /* numbered, underlined, man-page section headings */
    IMP_SIGNAL_PREFORMATTED = 1 << 1, /* shell sessions, deep indents, aligned columns, boxes */
    IMP_SIGNAL_LISTS        = 1 << 2, /* lines starting with -, *, •, 1., 1), (a) */
    IMP_SIGNAL_OPTIONS      = 1 << 3, /* a man page's option term and indented description */
    IMP_SIGNAL_URLS         = 1 << 4  /* bare URLs become links */
} ImpTextSignals;

/* A site's reading rules (all NULL/empty for a generic style). Regexes are compiled,
 * matched against one whole line (leading and trailing white space removed), and owned by
 * the style. Each regex carries a match limit (docs/styles.md, "Time bounds"): match it with
 * imp_read_rules_match(), which scales the limit to the line, and report a rule that gives
 * up with imp_read_rules_describe(). */
typedef struct {
    GRegex *detect;        /* the input is this site's if it matches any line of the first
                              64 KiB; NULL: never auto-detected */
    GRegex *masthead;      /* a masthead line; named groups `site` and `extra` */
    GRegex *breadcrumb;    /* a breadcrumb line; named group `section` */
    GRegex **chrome;       /* NULL-terminated: lines of web controls to drop */
    GRegex *notice_start;  /* the line where the copyright/disclaimer statement starts */
    GRegex *notice_end;    /* its last line (the notice ends with that paragraph); NULL:
                              the notice runs to the end of the text */
    const char *site;      /* site name when the masthead gives none, may be NULL */
    const char *source;    /* the attribution line reproductions must carry, may be NULL */
    ImpTextSignals signals_off; /* plain-text signals this style switches off */
    /* Saved pages of the site ([html]): XPath 1.0 expressions, NULL when unset. The
       content expression selects the article's element; the others its title, date,
       author, section (breadcrumb), masthead and notice; `html_drop` (NULL-terminated, may
       be NULL) elements to drop wherever they are. */
    const char *html_content, *html_title, *html_date, *html_author, *html_section;
    const char *html_masthead, *html_notice;
    const char *const *html_drop;
    gconstpointer origin;  /* private: where each rule was written */
} ImpReadRules;

/* Loads the style `name_or_path`: a path if it contains '/' or ends in ".style", else the
 * first NAME.style found in `style_dirs` (NULL-terminated). `overrides` (may be NULL) is a
 * NULL-terminated list of "group.key=value" applied after inheritance. Returns NULL and sets
 * error (IMP_ERROR_STYLE, message with file:line and key) on any problem.
 * (transfer full): free with imp_style_free(). */
ImpStyle *imp_style_load(const char *name_or_path, const char *const *style_dirs,
                         const char *const *overrides, GError **error);
void imp_style_free(ImpStyle *style);

/* Resolves the style's values again for documents in `lang` (a BCP 47 tag such as "zh-TW";
 * NULL: the plain values): each key takes its value for the best-matching tag — the tag
 * itself, then ever shorter prefixes (zh-Hant-TW, zh-Hant, zh), with zh-TW, zh-HK and zh-MO
 * read as zh-Hant-… and zh-CN, zh-SG as zh-Hans-… — else its plain value. imp_style_load()
 * resolves for the style's own [document] lang. Returns FALSE and sets error
 * (IMP_ERROR_STYLE) when `lang` is not a language tag; the style is then unchanged.
 * Pointers from the getters below are invalid after a call that returns TRUE; not
 * thread-safe: call before handing the style to a layout. */
gboolean imp_style_set_language(ImpStyle *style, const char *lang, GError **error);
/* A new style with the same sheets as `style`, resolved for `lang` as
 * imp_style_set_language() would; `style` is not changed, so a style shared by threads
 * can be localized for each document. NULL and an error (IMP_ERROR_STYLE) when `lang` is
 * not a language tag. (transfer full): free with imp_style_free(). */
ImpStyle *imp_style_localize(const ImpStyle *style, const char *lang, GError **error);
/* The canonical tag the values are resolved for, or NULL for the plain values.
 * (transfer none) */
const char *imp_style_get_language(const ImpStyle *style);

/* Finds the site style whose detect rule matches `text` (the input's bytes, UTF-8), looking
 * at every *.style in `style_dirs` in sorted order. Returns its name, or NULL when none
 * matches (transfer full: g_free). Style files that fail to load are skipped here. A detect
 * rule that gives up at its match limit is reported once through `diag` (may be NULL) as a
 * warning naming the style's FILE:LINE, and that style is not chosen. */
char *imp_style_detect(const char *text, gsize len, const char *const *style_dirs,
                       const ImpDiag *diag);

/* Site detection for many inputs: every style in `style_dirs` whose detect rule is set
 * and that loads, loaded once (transfer full: imp_style_detector_free). Read-only once
 * made: several threads may call imp_style_detector_find() on it at once. */
typedef struct ImpStyleDetector ImpStyleDetector;
ImpStyleDetector *imp_style_detector_new(const char *const *style_dirs);
void imp_style_detector_free(ImpStyleDetector *detector);
/* The name of the first style, in name order, whose detect rule matches a line of the
 * input's first 64 KiB (the choice imp_style_detect() makes), or NULL (transfer none: the
 * detector's). A rule that stops at its limit is reported through `diag` (may be NULL). */
const char *imp_style_detector_find(const ImpStyleDetector *detector, const char *text,
                                    gsize len, const ImpDiag *diag);

/* The shipped styles in `style_dirs`: a NULL-terminated array of "name\tdescription"
 * strings in sorted order (transfer full: g_strfreev). */
char **imp_style_list(const char *const *style_dirs);

/* The fully resolved style as a key file a user can copy and edit (transfer full: g_free). */
char *imp_style_dump(const ImpStyle *style);

/* Getters; all (transfer none), valid while the style lives. */
const char *imp_style_get_name(const ImpStyle *style);
const char *imp_style_get_description(const ImpStyle *style);
const char *imp_style_get_path(const ImpStyle *style);
const ImpPageStyle *imp_style_get_page(const ImpStyle *style);
const ImpRoleStyle *imp_style_get_role(const ImpStyle *style, ImpRole role);
const ImpRunningStyle *imp_style_get_header(const ImpStyle *style);
const ImpRunningStyle *imp_style_get_footer(const ImpStyle *style);
const ImpDocumentStyle *imp_style_get_document(const ImpStyle *style);
const ImpReadRules *imp_style_get_read_rules(const ImpStyle *style);
const ImpLinkStyle *imp_style_get_link(const ImpStyle *style);
const ImpCodeStyle *imp_style_get_code(const ImpStyle *style);
const ImpListStyle *imp_style_get_list(const ImpStyle *style);
const ImpTableStyle *imp_style_get_table(const ImpStyle *style);
const ImpHeadingsStyle *imp_style_get_headings(const ImpStyle *style);

/* Matches reading rule `rule` (one of the GRegex fields of `rules`, which must be the
 * pointer imp_style_get_read_rules() returned) against the trimmed line s[0..len), as
 * g_regex_match_full() does, with a match limit that grows with the line's length: a rule
 * that needs more is stopped with an error (G_REGEX_ERROR_MATCH) rather than run for
 * minutes. `info` may be NULL. */
gboolean imp_read_rules_match(const ImpReadRules *rules, const GRegex *rule, const char *s,
                              gsize len, GMatchInfo **info, GError **error);
/* Where `rule` comes from, for a message: its key ("chrome"), its pattern as written, and
 * where it was written ("FILE:LINE", or "--set reading.KEY"). Any out-parameter may be NULL;
 * the strings are (transfer none), valid while the style's values are. */
void imp_read_rules_describe(const ImpReadRules *rules, const GRegex *rule, const char **key,
                             const char **pattern, const char **where);

/* The key-file group name of a role ("body", "title", "h1", ...). */
const char *imp_role_name(ImpRole role);

G_END_DECLS

#endif /* IMP_STYLE_H */
