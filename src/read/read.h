/* read.h — bytes to document model.
 *
 * The text reader turns plain UTF-8 text (and web clippings of it) into an ImpDocument
 * (text.c; the Markdown reader, markdown.c, shares its decoding and joining):
 * paragraphs are separated by blank lines; a line holding only white space (U+0020, tab,
 * U+00A0, U+3000 and the other Unicode spaces) is blank; lines wrapped inside a paragraph
 * are joined with one space between Latin words and with nothing between two CJK
 * characters. A form feed forces a page break. A site's reading rules (from its style)
 * recognise its masthead, breadcrumb, web chrome and copyright notice.
 *
 * Invariants:
 *  1. Characters in = characters out: every character of a kept line reaches some block's
 *     text unchanged, except line ends (joined as above), the leading white space of a line
 *     (indentation), and control characters and noncharacters (U+FDD0..U+FDEF, U+nFFFE,
 *     U+nFFFF), each of which is reported through the diag. A list marker found in plain
 *     text is its item's marker, as typed; a heading's underline is reported as dropped.
 *     (Markdown's markup is not text: its readers keep what it means, see markdown.c.)
 *  2. Lines dropped as chrome, masthead or breadcrumb are reported at IMP_DIAG_INFO.
 *  3. No fonts, no style beyond the reading rules: a reader test needs neither.
 */
#ifndef IMP_READ_H
#define IMP_READ_H

#include <glib.h>

#include <imprint/imprint-read.h> /* the public part: ImpInputFormat and its names */

#include "../model/document.h"
#include "../style/style.h"
#include "../util/diag.h"

G_BEGIN_DECLS

/* Limits on one document, so that any input is set in bounded time and memory: each
 * paragraph and each page costs a fixed amount (about 50 µs and 1 KB a paragraph, far
 * more for a page), and a hostile input of 10 MB can hold millions of either. A book of
 * 5,000 pages has about 100,000 paragraphs. */
#define IMP_READ_MAX_PARAGRAPHS 500000
#define IMP_READ_MAX_PAGE_BREAKS 100000

/* ImpInputFormat, the kinds of input imprint reads, is in the public header. */

/* What a reader is given besides the bytes. Zero-initialise and set what you need. */
typedef struct {
    ImpInputFormat format;
    const char *filename;        /* names the input in messages; NULL: "<input>" */
    const char *base_dir;        /* folder for relative paths (images); NULL: the folder of
                                    `filename`, or the current one */
    const char *encoding;        /* iconv name of the input's encoding; NULL: detect */
    const ImpReadRules *rules;   /* a site's reading rules; NULL: generic */
    const ImpDiag *diag;         /* where findings go; may be NULL */
} ImpReadOptions;

/* The format of an input: `format` unless it is IMP_INPUT_AUTO, else by the file name's
 * extension (.md, .markdown; .html, .htm, .xhtml), else by the first bytes of `data`
 * (an HTML doctype or <html>), else text. */
ImpInputFormat imp_input_format_guess(const char *filename, const char *data, gsize len);
/* The name of a format ("text", "markdown", "html"), and the format of a name (for
 * --from); FALSE for an unknown name. */
const char *imp_input_format_name(ImpInputFormat format);
gboolean imp_input_format_from_name(const char *name, ImpInputFormat *format);

/* Reads `len` bytes with the reader of options->format (guessed when AUTO). Fails
 * (IMP_ERROR_INPUT) as the reader does. (transfer full): free with imp_document_free(). */
ImpDocument *imp_read(const char *data, gsize len, const ImpReadOptions *options,
                      GError **error);

/* Reads `len` bytes of text. `filename` names the input in messages (may be NULL: "<input>").
 * `rules` may be NULL (generic text). A byte-order mark decides the encoding; else input
 * that is not valid UTF-8 is decoded from the legacy encoding detected (encoding.c).
 * Fails (IMP_ERROR_INPUT) on undecodable input (the message gives line and byte offset),
 * on input with no text, on binary data, and on input with more
 * than IMP_READ_MAX_PARAGRAPHS paragraphs or IMP_READ_MAX_PAGE_BREAKS page breaks (the
 * message gives the line where the limit is passed).
 * (transfer full): free with imp_document_free(). */
ImpDocument *imp_read_text(const char *data, gsize len, const char *filename,
                           const ImpReadRules *rules, const ImpDiag *diag, GError **error);

/* Reads `len` bytes of a saved web page (HTML; see html.c for the mapping onto the model,
 * the finding of the article and the encoding rules). `options` gives the name, the folder
 * of relative image paths, the encoding, the site's reading rules and the diag; its format
 * is ignored. Fails (IMP_ERROR_INPUT) on undecodable and binary input, on a page the
 * parser cannot read to its end (elements nested more than 256 deep), on a page with no
 * text, and past IMP_READ_MAX_PARAGRAPHS blocks and table cells.
 * (transfer full): free with imp_document_free(). */
ImpDocument *imp_read_html(const char *data, gsize len, const ImpReadOptions *options,
                           GError **error);

/* A saved page as lines of text, for a site style's detect rule (imp_style_detect()): the
 * page decoded (BOM, `encoding` when not NULL, its declared charset, else detection),
 * parsed, and its text given one line per block element, scripts and styles left out.
 * NULL when the page cannot be read (the reader then says why). (transfer full: g_free) */
char *imp_read_html_lines(const char *data, gsize len, const char *encoding, gsize *out_len);

G_END_DECLS

#endif /* IMP_READ_H */
