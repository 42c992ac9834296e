/* error.h — imprint's GError domain. Every failure the world can cause (a file, the input,
 * a style sheet, a font, the disk) is reported as an IMP_ERROR with one of these codes and a
 * message that names the file (and line, where there is one) and the problem.
 */
#ifndef IMP_ERROR_H
#define IMP_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define IMP_ERROR (imp_error_quark())
GQuark imp_error_quark(void);

typedef enum {
    IMP_ERROR_INPUT,   /* missing, unreadable, empty or undecodable input */
    IMP_ERROR_STYLE,   /* a style sheet that cannot be found or has an error */
    IMP_ERROR_FONT,    /* font configuration or fonts that cannot be loaded */
    IMP_ERROR_OUTPUT,  /* the output cannot be written */
    IMP_ERROR_STRICT   /* --strict: a reported problem turned into a failure */
} ImpErrorCode;

G_END_DECLS

#endif /* IMP_ERROR_H */
