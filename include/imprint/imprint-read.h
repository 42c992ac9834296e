/* imprint-read.h — the kinds of input imprint reads.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_READ_H
#define IMPRINT_READ_H

#include <glib.h>

#include <imprint/imprint-export.h>

G_BEGIN_DECLS

/* ImpInputFormat: how an input is read (imp_options_set_input_format()). With
 * IMP_INPUT_AUTO the format comes from the input's name (.md and .markdown: Markdown;
 * .html, .htm and .xhtml: HTML; .txt and .text: text), else from its first bytes (an HTML
 * doctype or <html> element), else it is text. Since: 0.2 */
typedef enum {
    IMP_INPUT_AUTO,      /* from the name's extension, else the content */
    IMP_INPUT_TEXT,      /* plain text (and web clippings of it) */
    IMP_INPUT_MARKDOWN,  /* CommonMark with GitHub's extensions */
    IMP_INPUT_HTML       /* a saved web page */
} ImpInputFormat;

/* imp_input_format_name: "auto", "text", "markdown" or "html": (transfer none), static.
 * Since: 0.2 */
IMP_EXPORT const char *imp_input_format_name(ImpInputFormat format);
/* imp_input_format_from_name: sets *format to the format named `name` (ASCII case
 * ignored): the names above, and "md", "commonmark", "gfm", "txt" and "plain". Returns
 * FALSE for an unknown name (as for `--from`). Since: 0.2 */
IMP_EXPORT gboolean imp_input_format_from_name(const char *name, ImpInputFormat *format);

G_END_DECLS

#endif /* IMPRINT_READ_H */
