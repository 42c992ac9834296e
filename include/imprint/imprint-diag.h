/* imprint-diag.h — non-fatal findings: a character no font can show, a dropped control
 * character, the style chosen. The library prints nothing; each finding goes to the
 * ImpDiagFunc set on the options of the call that made it (imp_options_set_diag_func()).
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_DIAG_H
#define IMPRINT_DIAG_H

#include <glib.h>

G_BEGIN_DECLS

/* ImpDiagLevel: how much a finding matters. Since: 0.2 */
typedef enum {
    IMP_DIAG_INFO,    /* what was chosen (style, fonts), what was dropped as web chrome:
                         the imprint command shows these with --verbose */
    IMP_DIAG_WARNING  /* a problem with the output (a character no font can show, a
                         control character dropped); strict mode fails on any */
} ImpDiagLevel;

/* ImpDiagFunc: receives one finding. `file` names the input or style sheet it is about
 * and may be NULL; `line` is 1-based, 0 when there is none. `file` and `message` are
 * valid UTF-8 (transfer none: valid during the call only). It is called on the thread
 * that called the library function, in the same order for any number of jobs.
 * Since: 0.2 */
typedef void (*ImpDiagFunc)(ImpDiagLevel level, const char *file, guint line,
                            const char *message, gpointer user_data);

G_END_DECLS

#endif /* IMPRINT_DIAG_H */
