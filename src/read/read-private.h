/* read-private.h — what the readers share inside the read stage: decoding, the dropping
 * of control characters, the joining of lines, and each reader's entry point. Nothing here
 * is for callers outside src/read/.
 */
#ifndef IMP_READ_PRIVATE_H
#define IMP_READ_PRIVATE_H

#include "read.h"

G_BEGIN_DECLS

/* Whether a line break between two characters is removed rather than made a space (Han,
 * kana, bopomofo, CJK punctuation; not Hangul): the joining rule of read.h. */
gboolean imp__read_is_cjk(gunichar c);

/* Whether c is white space a line may be indented with and a blank line holds (tab, space,
 * U+00A0, U+3000 and the other Unicode spaces): read.h. */
gboolean imp__read_is_space(gunichar c);

/* Reports dropped control characters line by line, up to a limit, then only counts them,
 * with one closing summary (text.c, design note 5). Zero-initialise, set name and diag. */
typedef struct {
    const char *name;
    const ImpDiag *diag;
    guint lines_reported;
    guint64 unreported, unreported_lines;
} ImpControlReport;

/* `count` characters dropped from `line`, the first `first`; `nonchars` when some were
 * noncharacters. */
void imp__control_report_line(ImpControlReport *c, guint line, guint count, gunichar first,
                              gboolean nonchars);
/* The closing summary of what was only counted. */
void imp__control_report_finish(ImpControlReport *c);

/* Removes control characters (all but tab and line ends) and noncharacters from decoded
 * text t[0..n), reporting each line through `report` (the caller closes it with
 * imp__control_report_finish), as the text reader drops them. A form feed is made a space
 * and its offset in the new text appended to `form_feeds` (gsize; may be NULL). Line ends
 * are kept, so lines keep their numbers. Returns a new buffer (transfer full, its length in
 * *out_len) or NULL when there is nothing to remove. */
char *imp__read_scrub(const char *t, gsize n, ImpControlReport *report, GArray *form_feeds,
                      gsize *out_len);

/* Plain-text structure signals (signals.c): recognisers the text reader asks. */
typedef struct {
    const char *s;   /* a line's text, trimmed */
    gsize len;
    guint indent;    /* columns of white space before it (tabs to multiples of 8) */
} ImpTextLine;

guint imp__signal_section_number(const char *s, gsize len, gboolean *strong, gsize *num_len);
gboolean imp__signal_heading_text(const char *s, gsize len, gboolean question_ok);
guint imp__signal_underline(const char *s, gsize len);
gboolean imp__signal_capitals(const char *s, gsize len);
gboolean imp__signal_man_header(const char *s, gsize len);
gsize imp__signal_list_marker(const char *s, gsize len, gsize *marker_len, gboolean *ordered);
gboolean imp__signal_option(const char *s, gsize len, gsize *term_len, gsize *desc);
gboolean imp__signal_prompt(const char *s, gsize len);
gboolean imp__signal_box(const ImpTextLine *lines, guint n);
gboolean imp__signal_columns(const ImpTextLine *lines, guint n);
gboolean imp__signal_prose(const ImpTextLine *lines, guint n);
guint imp__signal_body_indent(const char *t, gsize n);
void imp__signal_urls(ImpBlock *b);

/* The Markdown reader (markdown.c); arguments and errors as imp_read_text's; `encoding`
 * (NULL: detect) as imp__decode_input() takes it. */
ImpDocument *imp__read_markdown(const char *data, gsize len, const char *filename,
                                const char *encoding, const ImpReadRules *rules,
                                const ImpDiag *diag, GError **error);

/* A YAML metadata block at the start of a Markdown input (frontmatter.c). */
typedef struct {
    gsize end;               /* byte offset where the Markdown after it starts; 0: none */
    guint end_line;          /* the line of its closing `---` or `...` */
    guint title_line;        /* the line of the title and subtitle values; 0: none */
    guint subtitle_line;
} ImpFrontMatter;

/* Reads the front matter at the start of t[0..n), if any, into doc's metadata (title,
 * subtitle, author, date, lang, keywords, description and the other names of
 * imp_meta_key_from_name); unknown keys are reported at IMP_DIAG_INFO. Returns FALSE with
 * error (IMP_ERROR_INPUT, "name:line: ...") when the block is not valid YAML or not a
 * mapping. */
gboolean imp__front_matter_read(const char *t, gsize n, const char *name,
                                const ImpDiag *diag, ImpDocument *doc, ImpFrontMatter *fm,
                                GError **error);

/* HTML's named character references (entities.c): the name between '&' and ';' to one or
 * two code points (cp[1] is 0 for one). FALSE for an unknown name. */
gboolean imp__html_entity_lookup(const char *name, gsize len, gunichar cp[2]);

G_END_DECLS

#endif /* IMP_READ_PRIVATE_H */
