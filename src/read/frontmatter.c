/* frontmatter.c — a Markdown input's leading YAML metadata block, read with libyaml.
 *
 * The block is pandoc's: the input's first line is `---`, the line after it is not blank
 * (else the `---` is a thematic break), and a later line `---` or `...` closes it. Its YAML
 * must be a mapping; its keys are metadata names (imp_meta_key_from_name: title, subtitle,
 * author, date, lang, keywords, description, ...). A value is a scalar, or a list of
 * scalars joined with ", " (several authors, keywords).
 *
 * Invariants:
 *  1. A block that is not valid YAML is an error naming file:line; a block whose YAML is
 *     not a mapping (a scalar, a list) is not front matter at all but Markdown, as it is to
 *     CommonMark (a rule, then a setext heading).
 *  2. Metadata values hold no control characters: line breaks and tabs become spaces,
 *     others (a YAML "\0" or "\x07" escape) and noncharacters are dropped and reported.
 *  3. Keys that are not metadata names are reported at IMP_DIAG_INFO and not used; values
 *     of a kind that cannot be metadata (a nested mapping, a list in a list, an alias) are
 *     reported as warnings and not used.
 *  4. Bounded work: the YAML is read as a stream of events (libyaml's parser, not its
 *     document loader, whose aliases cost a search of all anchors each), nesting deeper
 *     than MAX_DEPTH is an error before libyaml's scanner, whose cost grows with the
 *     depth, can be made to work quadratically.
 */
#include "read-private.h"

#include <string.h>
#include <yaml.h>

#include "../util/error.h"

/* Deepest nesting of lists and mappings read. */
#define MAX_DEPTH 64

/* The length of the line starting at t[i] without its line end, and in *next where the
 * next line starts (n at the end). LF, CRLF and CR end lines. */
static gsize line_at(const char *t, gsize n, gsize i, gsize *next)
{
    gsize j = i;
    while (j < n && t[j] != '\n' && t[j] != '\r')
        j++;
    gsize len = j - i;
    if (j < n && t[j] == '\r' && j + 1 < n && t[j + 1] == '\n')
        j++;
    *next = j < n ? j + 1 : n;
    return len;
}

/* Whether s[0..len) is `mark` followed only by spaces and tabs. */
static gboolean is_fence(const char *s, gsize len, const char *mark)
{
    if (len < 3 || memcmp(s, mark, 3) != 0)
        return FALSE;
    for (gsize i = 3; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return FALSE;
    return TRUE;
}

/* A scalar's value made fit for metadata (invariant 2), appended to out. */
static void append_clean(GString *out, const char *s, gsize len, const char *name,
                         const ImpDiag *diag, const char *key, guint line)
{
    guint dropped = 0;
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n' || c == '\r' || c == '\t')
            g_string_append_c(out, ' ');
        else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
                 (c & 0xFFFE) == 0xFFFE)
            dropped++;
        else
            g_string_append_unichar(out, c);
    }
    if (dropped > 0)
        imp_diag_report(diag, IMP_DIAG_WARNING, name, line,
                        "front matter %s: dropped %u control character%s or noncharacter%s",
                        key, dropped, dropped == 1 ? "" : "s", dropped == 1 ? "" : "s");
}

/* What the reader of events is in the middle of. */
typedef struct {
    const char *name;
    const ImpDiag *diag;
    ImpDocument *doc;
    ImpFrontMatter *fm;
    guint first_line;   /* the line of the YAML's first line */
    guint depth;        /* of lists and mappings; the root mapping is 1 */
    guint skip_from;    /* skipping a value that began at this depth; 0: not skipping */
    char *key;          /* the root key whose value is being read (NULL: a key is due) */
    guint key_line;
    gboolean key_bad;   /* the key is not a metadata name (its value is skipped) */
    gboolean skipped_value; /* the bad key's value has been skipped (or is being) */
    GString *value;     /* a list's items, joined */
    guint value_line;
    gboolean in_list;
} Fm;

/* A finding held back until the block is known to be good front matter, so that a block
 * refused as a whole gives its one error and nothing before it. */
typedef struct {
    ImpDiagLevel level;
    guint line;
    char *message;
} Held;

static void held_clear(gpointer p)
{
    g_free(((Held *)p)->message);
}

static void hold(ImpDiagLevel level, const char *file, guint line, const char *message,
                 gpointer data)
{
    (void)file;
    Held h = { level, line, g_strdup(message) };
    g_array_append_val((GArray *)data, h);
}

static guint mark_line(const Fm *f, const yaml_mark_t *m)
{
    return (guint)MIN(m->line + f->first_line, G_MAXUINT);
}

/* Sets the metadata of the key just read to the value collected. */
static void set_value(Fm *f, GString *value, guint line)
{
    g_strstrip(value->str);
    value->len = strlen(value->str);
    ImpMetaKey key;
    if (!imp_meta_key_from_name(f->key, &key))
        g_assert_not_reached(); /* checked when the key was read */
    imp_document_set_meta(f->doc, key, value->len > 0 ? value->str : NULL);
    if (key == IMP_META_TITLE)
        f->fm->title_line = value->len > 0 ? line : 0;
    if (key == IMP_META_SUBTITLE)
        f->fm->subtitle_line = value->len > 0 ? line : 0;
}

/* A root key: kept when it is a metadata name, else reported (invariant 3). */
static void read_key(Fm *f, const yaml_event_t *ev)
{
    f->key_line = mark_line(f, &ev->start_mark);
    GString *k = g_string_new(NULL);
    append_clean(k, (const char *)ev->data.scalar.value, ev->data.scalar.length, f->name,
                 f->diag, "key", f->key_line);
    ImpMetaKey key;
    f->key_bad = !imp_meta_key_from_name(k->str, &key) || key == IMP_META_SOURCE_FILE;
    if (f->key_bad) {
        /* at most 80 characters of it, cut between characters (the key is UTF-8) */
        const char *end = k->str;
        for (int n = 0; *end != '\0' && n < 80; n++)
            end = g_utf8_next_char(end);
        imp_diag_report(f->diag, IMP_DIAG_INFO, f->name, f->key_line,
                        "front matter key '%.*s' is not a metadata name; not used",
                        (int)(end - k->str), k->str);
    }
    f->key = g_string_free(k, FALSE);
}

/* One event inside the root mapping. Returns FALSE past the nesting limit. */
static gboolean root_event(Fm *f, const yaml_event_t *ev)
{
    gboolean opens = ev->type == YAML_SEQUENCE_START_EVENT ||
                     ev->type == YAML_MAPPING_START_EVENT;
    gboolean closes = ev->type == YAML_SEQUENCE_END_EVENT ||
                      ev->type == YAML_MAPPING_END_EVENT;
    if (opens && ++f->depth > MAX_DEPTH)
        return FALSE;
    if (f->skip_from > 0) {
        /* inside a key, a value or a list item that is not used: wait for its end */
        if (closes && f->depth-- == f->skip_from) {
            f->skip_from = 0;
            if (f->key_bad && f->key[0] == '\0' && !f->skipped_value)
                f->skipped_value = TRUE; /* a key that was not text: skip its value next */
            else if (!f->in_list)
                g_clear_pointer(&f->key, g_free);
        }
        return TRUE;
    }
    guint line = mark_line(f, &ev->start_mark);
    if (f->in_list) {
        /* the items of a root key's list */
        if (ev->type == YAML_SCALAR_EVENT) {
            if (ev->data.scalar.length > 0) {
                if (f->value->len > 0)
                    g_string_append(f->value, ", ");
                append_clean(f->value, (const char *)ev->data.scalar.value,
                             ev->data.scalar.length, f->name, f->diag, f->key, line);
            }
        } else if (ev->type == YAML_SEQUENCE_END_EVENT) {
            f->depth--;
            f->in_list = FALSE;
            set_value(f, f->value, f->value_line);
            g_clear_pointer(&f->key, g_free);
        } else {
            imp_diag_report(f->diag, IMP_DIAG_WARNING, f->name, line,
                            "front matter %s: only text is used in its list", f->key);
            if (opens)
                f->skip_from = f->depth; /* skip the item; the list goes on after it */
        }
        return TRUE;
    }
    if (f->key == NULL) {
        f->skipped_value = FALSE;
        if (ev->type == YAML_SCALAR_EVENT) {
            read_key(f, ev);
            return TRUE;
        }
        imp_diag_report(f->diag, IMP_DIAG_INFO, f->name, line,
                        "front matter: a key that is not text is not used");
        f->key = g_strdup("");
        f->key_bad = TRUE;
        if (opens)
            f->skip_from = f->depth;
        return TRUE;
    }
    /* the value of f->key */
    if (f->key_bad) {
        if (opens)
            f->skip_from = f->depth;
        else
            g_clear_pointer(&f->key, g_free);
        f->skipped_value = TRUE;
        return TRUE;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        GString *v = g_string_new(NULL);
        append_clean(v, (const char *)ev->data.scalar.value, ev->data.scalar.length, f->name,
                     f->diag, f->key, line);
        set_value(f, v, line);
        g_string_free(v, TRUE);
        g_clear_pointer(&f->key, g_free);
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
        f->in_list = TRUE;
        f->value_line = line;
        g_string_truncate(f->value, 0);
        break;
    case YAML_MAPPING_START_EVENT:
        imp_diag_report(f->diag, IMP_DIAG_WARNING, f->name, line,
                        "front matter %s: a mapping is not a metadata value; not used",
                        f->key);
        f->skip_from = f->depth;
        break;
    default: /* an alias */
        imp_diag_report(f->diag, IMP_DIAG_WARNING, f->name, line,
                        "front matter %s: an alias (*name) is not used in metadata", f->key);
        g_clear_pointer(&f->key, g_free);
        break;
    }
    return TRUE;
}

/* See read-private.h. */
gboolean imp__front_matter_read(const char *t, gsize n, const char *name,
                                const ImpDiag *diag, ImpDocument *doc, ImpFrontMatter *fm,
                                GError **error)
{
    memset(fm, 0, sizeof *fm);
    gsize next;
    gsize len = line_at(t, n, 0, &next);
    if (!is_fence(t, len, "---") || next >= n)
        return TRUE;
    gsize start = next, pos = next, end = 0;
    guint line = 2;
    /* the line after the opening one must not be blank */
    gsize first = line_at(t, n, start, &next);
    gboolean blank = TRUE;
    for (gsize i = 0; i < first; i++)
        blank &= t[start + i] == ' ' || t[start + i] == '\t';
    if (blank)
        return TRUE;
    for (;;) {
        gsize l = line_at(t, n, pos, &next);
        if (is_fence(t + pos, l, "---") || is_fence(t + pos, l, "...")) {
            end = pos;
            break;
        }
        if (next >= n)
            return TRUE; /* never closed: a rule and Markdown */
        pos = next;
        line++;
    }

    /* Metadata goes to a document of its own until the block is known to be a mapping. */
    ImpDocument *meta = imp_document_new();
    GArray *held = g_array_new(FALSE, FALSE, sizeof(Held));
    g_array_set_clear_func(held, held_clear);
    ImpDiag holding = { hold, held };
    Fm f = { .name = name, .diag = &holding, .doc = meta, .fm = fm, .first_line = 2,
               .value = g_string_new(NULL) };
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        g_error("libyaml: out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)t + start, end - start);
    gboolean ok = TRUE, mapping = FALSE, done = FALSE;
    guint deep_line = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%zu: front matter is not valid YAML: %s%s%s", name,
                        parser.problem_mark.line + 2,
                        parser.problem != NULL ? parser.problem : "error",
                        parser.context != NULL ? " " : "",
                        parser.context != NULL ? parser.context : "");
            ok = FALSE;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            done = TRUE; /* one document: the block ends at the first */
            break;
        case YAML_MAPPING_START_EVENT:
            if (f.depth == 0) {
                f.depth = 1;
                mapping = TRUE;
                break;
            }
            /* fall through */
        default:
            if (f.depth == 0) {
                done = TRUE; /* the root is a scalar or a list: not front matter */
                break;
            }
            if (ev.type == YAML_MAPPING_END_EVENT && f.depth == 1 && f.key == NULL &&
                f.skip_from == 0) {
                done = TRUE;
                break;
            }
            if (!root_event(&f, &ev)) {
                deep_line = mark_line(&f, &ev.start_mark);
                ok = FALSE;
                done = TRUE;
            }
            break;
        }
        yaml_event_delete(&ev);
    }
    if (deep_line > 0)
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: front matter nests lists or mappings deeper than %d levels",
                    name, deep_line, MAX_DEPTH);
    yaml_parser_delete(&parser);
    g_free(f.key);
    g_string_free(f.value, TRUE);
    if (ok && (mapping || /* an empty block */ end == start))
        for (guint i = 0; i < held->len; i++) {
            const Held *h = &g_array_index(held, Held, i);
            imp_diag_report(diag, h->level, name, h->line, "%s", h->message);
        }
    g_array_free(held, TRUE);
    if (ok && (mapping || /* an empty block */ end == start)) {
        fm->end = next;
        fm->end_line = line;
        for (int k = 0; k < IMP_N_META; k++)
            if (imp_document_get_meta(meta, (ImpMetaKey)k) != NULL)
                imp_document_set_meta(doc, (ImpMetaKey)k,
                                      imp_document_get_meta(meta, (ImpMetaKey)k));
    } else if (ok) {
        fm->title_line = fm->subtitle_line = 0; /* invariant 1: Markdown after all */
    }
    imp_document_free(meta);
    return ok;
}
