/* style-private.h — what the two halves of the style stage share: the schema of groups and
 * keys a style sheet may hold, and the parsers that turn one key's text into a value.
 *
 * style-value.c owns the schema and the value syntax (lengths, colours, page sizes,
 * templates, regexes); style.c owns files, inheritance, overrides and resolution. Nothing
 * here is public: the CLI and the other stages see only style.h.
 *
 * Invariants:
 *  1. The schema is a constant table; its order is the order of groups and keys in a dump.
 *  2. A parser either fills its ImpValue completely and returns NULL, or returns a message
 *     (transfer full) that says what is wrong with the text without naming file or key —
 *     the caller adds `FILE:LINE: [group] key:`.
 *  3. imp__value_format() of a parsed value parses back to the same value, bit for bit.
 */
#ifndef IMP_STYLE_PRIVATE_H
#define IMP_STYLE_PRIVATE_H

#include "style/style.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------- schema */

typedef enum {
    IMP_KEY_STRING,      /* free text on one line */
    IMP_KEY_INHERITS,    /* [style] inherits: a name or a path, handled by the loader */
    IMP_KEY_LANG,        /* a BCP 47 tag */
    IMP_KEY_FAMILY,      /* comma-separated font family list */
    IMP_KEY_TEMPLATE,    /* header/footer slot with {fields} */
    IMP_KEY_REGEX,       /* one regex, raw (no key-file escapes); empty = none */
    IMP_KEY_REGEX_LIST,  /* ';'-separated regexes, raw */
    IMP_KEY_LENGTH,      /* number + mm|cm|in|pt (unitless 0 allowed) */
    IMP_KEY_LENGTH_EM,   /* a length, or number + em (relative to the role's font size) */
    IMP_KEY_PAGE_SIZE,   /* A4 ... or WIDTHxHEIGHT */
    IMP_KEY_ENUM,        /* one of `choices` */
    IMP_KEY_INT,         /* integer in [min, max] */
    IMP_KEY_EM,          /* number, optionally followed by em */
    IMP_KEY_BOOL,        /* true|false */
    IMP_KEY_COLOR,       /* #rrggbb or #rgb */
    IMP_KEY_LINE_HEIGHT, /* bare number (multiple of the font size) or a length */
    IMP_KEY_WEIGHT       /* normal|bold|100..900 */
} ImpKeyType;

typedef struct {
    const char *name;
    ImpKeyType type;
    const char *const *choices; /* IMP_KEY_ENUM: NULL-terminated, canonical spelling */
    double min, max;            /* ranges: pt for lengths, em for em, count for ints */
    gboolean min_exclusive;     /* the value must be > min, not >= min */
    const char *regex_group;    /* IMP_KEY_REGEX: a named group the regex must have */
} ImpKeySpec;

typedef enum {
    IMP_GROUP_STYLE,
    IMP_GROUP_PAGE,
    IMP_GROUP_DOCUMENT,
    IMP_GROUP_ROLE,      /* one of the ImpRole groups */
    IMP_GROUP_READING
} ImpGroupKind;

typedef struct {
    const char *name;
    ImpGroupKind kind;
    int role;                   /* ImpRole for IMP_GROUP_ROLE, else -1 */
    const ImpKeySpec *const *keys; /* NULL-terminated, in dump order */
} ImpGroupSpec;

/* All groups in dump order; NULL-terminated. (transfer none) */
const ImpGroupSpec *const *imp__schema_groups(void);
/* The group or key of that name, or NULL. (transfer none) */
const ImpGroupSpec *imp__schema_group(const char *name);
const ImpKeySpec *imp__schema_key(const ImpGroupSpec *group, const char *name);
/* A known name within edit distance 2 of `name` ("did you mean"), or NULL. */
const char *imp__schema_suggest_group(const char *name);
const char *imp__schema_suggest_key(const ImpGroupSpec *group, const char *name);

/* ---------------------------------------------------------------- values */

typedef enum {
    IMP_UNIT_NONE, /* a bare number (zero length, multiple, count) */
    IMP_UNIT_PT,
    IMP_UNIT_MM,
    IMP_UNIT_CM,
    IMP_UNIT_IN,
    IMP_UNIT_EM
} ImpUnit;

/* One parsed key. Which fields mean something depends on the key's type. */
typedef struct {
    double number;   /* the number as written, in `unit` */
    ImpUnit unit;
    double pt;       /* lengths: in pt; em and multiples: the number itself */
    double width, height; /* page size in pt, as written (before orientation) */
    int index;       /* enum choice, integer, weight, boolean */
    guint32 color;   /* 0xRRGGBB */
    int size_name;   /* page size: index into the named sizes, or -1 for WxH */
    ImpUnit width_unit, height_unit;
    double width_number, height_number;
} ImpValue;

/* Checks and parses `text` for `spec`. Regexes are compiled to check them and then
 * dropped. Returns NULL on success, else the problem (transfer full). */
char *imp__value_parse(const ImpKeySpec *spec, const char *text, ImpValue *value);
/* The canonical text of a parsed value in key-file value syntax (raw, unescaped form)
 * (transfer full). Only for the numeric and enumerated types. */
char *imp__value_format(const ImpKeySpec *spec, const ImpValue *value);
/* Formats a number with the fewest decimals that parse back to exactly `v` (transfer full). */
char *imp__format_number(double v);
/* A length in pt as key-file text, e.g. "12.5pt" (transfer full). */
char *imp__format_pt(double pt);

/* Compiles a reading-rule regex anchored to a whole line: `\A(?:pattern)\z`.
 * (transfer full): g_regex_unref. */
GRegex *imp__regex_compile(const char *pattern, GError **error);
/* Splits a regex list at each ';' not preceded by a backslash; empty items are dropped.
 * (transfer full): g_strfreev. */
char **imp__regex_list_split(const char *text);
/* Splits a family list at ',' and trims; empty items are dropped. (transfer full) */
char **imp__family_split(const char *text);

G_END_DECLS

#endif /* IMP_STYLE_PRIVATE_H */
