/* style-private.h — what the files of the style stage share. Nothing here is public: the
 * other stages and the CLI see only style.h.
 *
 * The stage, file by file:
 *   schema.c       the one table of every group and key: type, range, built-in default,
 *                  how an unset key is derived, and where its resolved value goes
 *   style-value.c  the syntax of values (lengths, colours, page sizes, templates, language
 *                  tags) and their canonical text
 *   rules.c        regexes with match limits, XPath checks, matching and describing rules
 *   sheet.c        reading style files, inheritance, --set: one table of settings
 *   resolve.c      settings + schema + language -> the resolved structs (ImpResolved)
 *   dump.c         the resolved style as a key file (--dump-style)
 *   catalog.c      the list of styles and site detection
 *   style.c        the ImpStyle object: load, language, getters
 *
 * Invariants:
 *  1. The schema is a constant table; its order is the order of groups and keys in a dump
 *     and of resolution (so a role's font size is resolved before its lengths in em).
 *  2. A parser either fills its ImpValue completely and returns NULL, or returns a message
 *     (transfer full) that says what is wrong with the text without naming file or key —
 *     the caller adds `FILE:LINE: [group] key:`.
 *  3. imp__value_canonical() of a text parses back to the same value, bit for bit.
 */
#ifndef IMP_STYLE_PRIVATE_H
#define IMP_STYLE_PRIVATE_H

#include "style/style.h"

#include <stddef.h>

G_BEGIN_DECLS

/* ================================================================ schema (schema.c) */

typedef enum {
    IMP_KEY_STRING,      /* free text on one line */
    IMP_KEY_INHERITS,    /* [style] inherits: a name or a path, handled by the loader */
    IMP_KEY_LANG,        /* a BCP 47 tag */
    IMP_KEY_FAMILY,      /* comma-separated font family list */
    IMP_KEY_TEMPLATE,    /* header/footer slot with {fields} */
    IMP_KEY_TEXT_LIST,   /* ';'-separated short texts (list bullets) */
    IMP_KEY_REGEX,       /* one regex, raw (no key-file escapes); empty = none */
    IMP_KEY_REGEX_LIST,  /* ';'-separated regexes, raw */
    IMP_KEY_XPATH,       /* one XPath 1.0 expression, raw; empty = none */
    IMP_KEY_XPATH_LIST,  /* ';'-separated XPath expressions, raw */
    IMP_KEY_LENGTH,      /* number + mm|cm|in|pt (unitless 0 allowed) */
    IMP_KEY_LENGTH_EM,   /* a length, or number + em (relative to the role's font size) */
    IMP_KEY_PAGE_SIZE,   /* A4 ... or WIDTHxHEIGHT */
    IMP_KEY_ENUM,        /* one of `choices` */
    IMP_KEY_INT,         /* integer in [min, max] */
    IMP_KEY_EM,          /* number, optionally followed by em */
    IMP_KEY_BOOL,        /* true|false */
    IMP_KEY_COLOR,       /* #rrggbb or #rgb */
    IMP_KEY_COLOR_NONE,  /* a colour or `none` */
    IMP_KEY_LINE_HEIGHT, /* bare number (multiple of the font size) or a length */
    IMP_KEY_WEIGHT       /* normal|bold|100..900 */
} ImpKeyType;

typedef enum {
    IMP_GROUP_STYLE,
    IMP_GROUP_PAGE,
    IMP_GROUP_DOCUMENT,
    IMP_GROUP_ROLE,      /* one of the ImpRole groups */
    IMP_GROUP_OTHER      /* [headings], [link], [reading], [html] */
} ImpGroupKind;

typedef struct {
    const char *name;
    ImpGroupKind kind;
    int role;            /* ImpRole for IMP_GROUP_ROLE, else -1 */
} ImpGroupSpec;

/* How an unset key is derived from another key when that one is said (set in the sheets,
 * or derived from one that is); otherwise it takes its built-in default. */
typedef enum {
    IMP_DERIVE_NONE,
    IMP_DERIVE_BODY,     /* the same key of [body] */
    IMP_DERIVE_BODY_MULTIPLE, /* line-height: [body]'s, as a multiple of its font size */
    IMP_DERIVE_KEY       /* `derive_key` of the same group */
} ImpDerive;

/* The resolved struct a key's value goes into (a field at `offset` of it). */
typedef enum {
    IMP_AT_NONE,         /* [style] keys: kept by the style itself */
    IMP_AT_PAGE,         /* ImpPageStyle */
    IMP_AT_DOCUMENT,     /* ImpDocumentStyle */
    IMP_AT_ROLE,         /* the group's ImpRoleStyle */
    IMP_AT_RUNNING,      /* the group's ImpRunningStyle ([header] or [footer]) */
    IMP_AT_READ,         /* ImpReadRules */
    IMP_AT_LINK,
    IMP_AT_CODE,
    IMP_AT_LIST,
    IMP_AT_TABLE,
    IMP_AT_HEADINGS
} ImpTarget;

typedef struct ImpResolved ImpResolved;
typedef struct ImpKeySpec ImpKeySpec;
typedef struct ImpValue ImpValue;

/* A setter for a key whose value does not simply go into one field. `field` points at the
 * key's field (by target and offset); `role_size` is the group's font size (0 outside
 * role groups). */
typedef void (*ImpSetter)(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                          const ImpValue *value, const char *text, double role_size);

/* The setters of the schema's special keys (resolve.c). */
void imp__set_page_size(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                        const ImpValue *value, const char *text, double role_size);
void imp__set_orientation(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                          const ImpValue *value, const char *text, double role_size);
void imp__set_hyphens(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                      const ImpValue *value, const char *text, double role_size);
void imp__set_signal(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                     const ImpValue *value, const char *text, double role_size);
void imp__set_text_or_null(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                           const ImpValue *value, const char *text, double role_size);
void imp__set_background(ImpResolved *res, const ImpKeySpec *spec, gpointer field,
                         const ImpValue *value, const char *text, double role_size);

/* The role keys' built-in defaults, one set per role (schema.c). */
typedef struct {
    const char *family[IMP_N_SCRIPTS];
    const char *size, *weight, *style, *color, *line_height, *before, *after, *indent,
        *align, *hyphens;
} ImpRoleLook;

/* One row of the schema: a key of one group, or of every role group (group == NULL). */
struct ImpKeySpec {
    const char *group;          /* the group's name; NULL: every role group */
    const char *name;
    ImpKeyType type;
    const char *const *choices; /* IMP_KEY_ENUM: NULL-terminated, canonical spelling */
    double min, max;            /* ranges: pt for lengths, em for em, count for ints */
    gboolean min_exclusive;     /* the value must be > min, not >= min */
    const char *regex_group;    /* IMP_KEY_REGEX: a named group the regex must have */
    const char *dflt;           /* built-in default (key-file text); NULL: `look` */
    gsize look;                 /* when dflt is NULL: the default's offset in ImpRoleLook */
    const char *const *dflt_l10n; /* localized defaults: "TAG", "text", ..., NULL */
    ImpDerive derive;
    const char *derive_key;     /* IMP_DERIVE_KEY: the key of the same group */
    ImpTarget target;
    gsize offset;               /* of the field in the target struct */
    ImpSetter set;              /* NULL: stored by type (resolve.c, store_value) */
    guint flag;                 /* a bit for setters that fill a flag word */
};

/* All groups in dump order, NULL-terminated. (transfer none) */
const ImpGroupSpec *const *imp__schema_groups(void);
/* The group's spec (transfer none), or NULL. */
const ImpGroupSpec *imp__schema_group(const char *name);
const ImpGroupSpec *imp__schema_role_group(ImpRole role);
/* The keys of `group` in dump order, NULL-terminated. (transfer none) */
const ImpKeySpec *const *imp__schema_keys(const ImpGroupSpec *group);
/* The key of that name in `group` (transfer none), or NULL. */
const ImpKeySpec *imp__schema_key(const ImpGroupSpec *group, const char *name);
/* A known name within edit distance 2 of `name` ("did you mean"), or NULL. */
const char *imp__schema_suggest_group(const char *name);
const char *imp__schema_suggest_key(const ImpGroupSpec *group, const char *name);
/* The built-in default text of `key` in `group` for the language chain `chain` (NULL:
 * plain). (transfer none) */
const char *imp__schema_default(const ImpGroupSpec *group, const ImpKeySpec *key,
                                const char *const *chain);
/* Whether a key may be localized (key[TAG]=): all but [style] inherits and
 * [document] lang. */
gboolean imp__schema_localizable(const ImpGroupSpec *group, const ImpKeySpec *key);
/* Every tag the built-in defaults are localized for, sorted, NULL-terminated. */
const char *const *imp__schema_default_tags(void);

/* ================================================================ values (style-value.c) */

typedef enum {
    IMP_UNIT_NONE, /* a bare number (zero length, multiple, count) */
    IMP_UNIT_PT,
    IMP_UNIT_MM,
    IMP_UNIT_CM,
    IMP_UNIT_IN,
    IMP_UNIT_EM
} ImpUnit;

/* One parsed key. Which fields mean something depends on the key's type. */
struct ImpValue {
    double number;   /* the number as written, in `unit` */
    ImpUnit unit;
    double pt;       /* lengths: in pt; em and multiples: the number itself */
    double width, height; /* page size in pt, as written (before orientation) */
    int index;       /* enum choice, integer, weight, boolean; colour-or-none: 1 = none */
    guint32 color;   /* 0xRRGGBB */
    int size_name;   /* page size: index into the named sizes, or -1 for WxH */
    ImpUnit width_unit, height_unit;
    double width_number, height_number;
};

/* Checks and parses `text` for `spec`. Regexes and XPath expressions are compiled to check
 * them and then dropped. Returns NULL on success, else the problem (transfer full). */
char *imp__value_parse(const ImpKeySpec *spec, const char *text, ImpValue *value);
/* The canonical text of a valid value `text` of `spec`, in key-file value syntax (raw,
 * unescaped form): numbers and keywords canonical, family lists trimmed, other text as is.
 * (transfer full) */
char *imp__value_canonical(const ImpKeySpec *spec, const char *text);
/* The same, of a text already parsed into `value`. (transfer full) */
char *imp__value_canonical_parsed(const ImpKeySpec *spec, const char *text,
                                  const ImpValue *value);
/* Whether the key's text is unescaped the key-file way (\s, \\ ...); other values are raw. */
gboolean imp__value_is_text(ImpKeyType type);
/* Formats a number with the fewest decimals that parse back to exactly `v` (transfer full). */
char *imp__format_number(double v);

/* Splits a ';'-separated list at each ';' not preceded by a backslash; items are trimmed
 * and empty ones dropped; escapes are kept (transfer full: g_strfreev). */
char **imp__list_split(const char *text);
/* A list item's text with "\;" read as ';' and "\\" as '\' (transfer full). */
char *imp__list_unescape(const char *item);
/* Splits a family list at ',' and trims; empty items are dropped. (transfer full) */
char **imp__family_split(const char *text);

/* The canonical form of a BCP 47 tag ("ZH-hant-tw" -> "zh-Hant-TW"; zh-TW, zh-HK, zh-MO
 * -> zh-Hant-…; zh-CN, zh-SG -> zh-Hans-…), or NULL when `tag` is not one. (transfer full) */
char *imp__lang_canonical(const char *tag);
/* The lookup chain of a canonical tag: itself, then ever shorter prefixes (a lone
 * singleton subtag goes with what follows it). (transfer full: g_strfreev) */
char **imp__lang_chain(const char *canonical);

/* ================================================================ rules (rules.c) */

/* Checks one regex as a style gives it: it compiles on its own and anchored, is not too
 * complex (compiled size), and has `named_group` when that is not NULL. Returns NULL or the
 * problem (transfer full). */
char *imp__regex_check(const char *pattern, const char *named_group);
/* The most rules the reader runs on every line (chrome, notice-start, notice-end). */
#define IMP_LINE_RULES_MAX 8
/* Checks one XPath 1.0 expression; NULL or the problem (transfer full). */
char *imp__xpath_check(const char *expr);

/* A compiled rule: its regex, the metered code that bounds its work, and where it was
 * written (rules.c). */
typedef struct ImpRule ImpRule;

/* Compiles `pattern` (valid: imp__regex_check) into a rule for `key` (a static string)
 * written at `where`; `share`: how many rules divide each line's budget (the rules run on
 * every line), else 1. (transfer full: imp__rule_free) */
ImpRule *imp__rule_new(const char *key, const char *pattern, const char *where, guint share);
void imp__rule_free(ImpRule *rule);
/* The rule's public regex, compiled with a match limit. (transfer none) */
const GRegex *imp__rule_regex(const ImpRule *rule);
const char *imp__rule_key(const ImpRule *rule);
/* Matches a rule as imp_read_rules_match() does. */
gboolean imp__rule_match(const ImpRule *rule, const char *s, gsize len, GMatchInfo **info,
                         GError **error);

/* ================================================================ sheets (sheet.c) */

/* One key's value and where it was said. */
typedef struct {
    char *value;   /* trimmed; unescaped for text keys, raw for regexes and numbers */
    char *origin;  /* the file, or "--set group.key" */
    guint line;    /* 1-based line in origin; 0 for --set */
    guint seq;     /* application order: a higher seq was applied later */
} ImpSetting;

typedef struct ImpSheet ImpSheet;

/* Reads the style file `top` and its parents, applies them parents first and then the
 * NULL-terminated `overrides`, checking every group, key, tag and value. Returns NULL and
 * sets error on any problem. (transfer full: imp__sheet_free) */
ImpSheet *imp__sheet_load(const char *top, const char *const *dirs,
                          const char *const *overrides, GError **error);
ImpSheet *imp__sheet_ref(ImpSheet *sheet);
void imp__sheet_free(ImpSheet *sheet);
/* The setting of group.key for the language chain `chain` (NULL: the plain value): the
 * variant of the first tag of the chain that has one, else the plain setting; NULL when
 * neither is set. (transfer none) */
const ImpSetting *imp__sheet_get(const ImpSheet *sheet, const char *group, const char *key,
                                 const char *const *chain);
/* Whether group.key has a localized setting. */
gboolean imp__sheet_has_variants(const ImpSheet *sheet, const char *group, const char *key);
/* Whether every setting localized for `tag` is of a key whose localized value can change
 * nothing but its own text (so the tag needs no resolution of its own to be checked). */
gboolean imp__sheet_tag_is_textual(const ImpSheet *sheet, const char *tag);
/* Every tag any setting is localized for, sorted, NULL-terminated. (transfer none) */
const char *const *imp__sheet_tags(const ImpSheet *sheet);
/* The top file's base name without ".style", the name of a style that sets none. */
const char *imp__sheet_default_name(const ImpSheet *sheet);
/* "FILE:LINE: [group] key" or "--set group.key": the head of a message about a setting.
 * (transfer full) */
char *imp__setting_where(const ImpSetting *s, const char *group, const char *key);

/* The text of group.key (plain value) in the nearest file of the inheritance chain of
 * `path` that sets it, unchecked, with where it was written in *file (transfer full) and
 * *line; NULL when no file does or the chain cannot be read. For detection: a filter
 * before the full load. (transfer full) */
char *imp__sheet_peek(const char *path, const char *const *dirs, const char *group,
                      const char *key, char **file, guint *line);

/* Whether `name` names a style by path (contains '/' or ends in ".style"). */
gboolean imp__style_is_path(const char *name);
/* The first DIR/NAME.style in `dirs`, or NULL. (transfer full) */
char *imp__style_find(const char *name, const char *const *dirs);

/* ================================================================ resolution (resolve.c) */

/* Everything a style resolves to for one language. Owned by its ImpStyle. */
struct ImpResolved {
    char *name;
    char *description;
    ImpPageStyle page;
    ImpRoleStyle roles[IMP_N_ROLES];
    ImpRunningStyle header, footer;
    ImpDocumentStyle document;
    ImpReadRules read;
    ImpLinkStyle link;
    ImpCodeStyle code;
    ImpListStyle list;
    ImpTableStyle table;
    ImpHeadingsStyle headings;
    GPtrArray *strings;   /* owns every string and array the structs point to */
    GPtrArray *strvs;     /* owns the string lists (g_strfreev) */
    GPtrArray *rules;     /* ImpRule*: owns every regex of `read` */
};

/* Resolves `sheet` for the language chain `chain` (NULL: plain values) into a new
 * ImpResolved; `path` names the style in messages about keys nobody set. Returns NULL
 * and sets error on a problem (a combination of keys that does not work).
 * (transfer full: imp__resolved_free) */
ImpResolved *imp__resolve(const ImpSheet *sheet, const char *const *chain, const char *path,
                          GError **error);
void imp__resolved_free(ImpResolved *res);
/* Whether the effective text of group.key can differ from one language to another: it has
 * localized settings or defaults, or derives from a key that has. */
gboolean imp__varies(const ImpSheet *sheet, const ImpGroupSpec *group, const ImpKeySpec *key);
/* The effective text of group.key for `chain`: its setting, else derived, else the
 * built-in default; *from (may be NULL) gets the setting it came from, or NULL.
 * (transfer full) */
char *imp__effective(const ImpSheet *sheet, const ImpGroupSpec *group, const ImpKeySpec *key,
                     const char *const *chain, const ImpSetting **from);

/* ================================================================ the object (style.c) */

struct ImpStyle {
    char *path;
    ImpSheet *sheet;      /* kept: imp_style_set_language resolves it again */
    char *language;       /* canonical tag the values are for, or NULL */
    ImpResolved *res;
};

G_END_DECLS

#endif /* IMP_STYLE_PRIVATE_H */
