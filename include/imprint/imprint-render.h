/* imprint-render.h — output formats and where output bytes go.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_RENDER_H
#define IMPRINT_RENDER_H

#include <glib.h>

G_BEGIN_DECLS

/* ImpFormat: an output format. A PDF holds any number of pages; PNG and SVG hold one.
 * Since: 0.2 */
typedef enum {
    IMP_FORMAT_PDF,
    IMP_FORMAT_PNG,  /* one page, at the options' dpi */
    IMP_FORMAT_SVG   /* one page */
} ImpFormat;

/* ImpWriteFunc: receives the next `len` bytes of output (transfer none: valid during the
 * call). Returns FALSE on a write error, which stops the render (IMP_ERROR_OUTPUT).
 * Since: 0.2 */
typedef gboolean (*ImpWriteFunc)(gpointer user_data, const guchar *data, gsize len);

G_END_DECLS

#endif /* IMPRINT_RENDER_H */
