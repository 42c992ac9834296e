/* imprint-error.h — imprint's GError domain.
 *
 * Every failure is reported as a GError in the IMP_ERROR domain with one of the codes
 * below and a message that names the file (and line, where there is one) and the problem,
 * ready to print. A function that can fail takes `GError **error` last and returns FALSE
 * or NULL when it sets it.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_ERROR_H
#define IMPRINT_ERROR_H

#include <glib.h>

#include <imprint/imprint-export.h>

G_BEGIN_DECLS

/* IMP_ERROR: the error domain of imprint. Since: 0.2 */
#define IMP_ERROR (imp_error_quark())
IMP_EXPORT GQuark imp_error_quark(void);

/* ImpErrorCode: what failed. The imprint command exits with status 2 for
 * IMP_ERROR_USAGE and 1 for the others. Since: 0.2 */
typedef enum {
    IMP_ERROR_INPUT,   /* missing, unreadable, empty, undecodable or too large input */
    IMP_ERROR_STYLE,   /* a style sheet that cannot be found or has an error */
    IMP_ERROR_FONT,    /* font configuration or fonts that cannot be loaded */
    IMP_ERROR_OUTPUT,  /* the output cannot be written, or is refused (it is the input, a
                          page out of range, a PNG too large to draw) */
    IMP_ERROR_STRICT,  /* strict mode: a reported problem turned into a failure */
    IMP_ERROR_USAGE    /* a value the caller gave is not allowed: an option out of range or
                          malformed, an output name whose extension disagrees with the
                          format, binary output to a terminal */
} ImpErrorCode;

G_END_DECLS

#endif /* IMPRINT_ERROR_H */
