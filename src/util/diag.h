/* diag.h — non-fatal findings (a missing glyph, an overfull line, a dropped control
 * character) travel from any stage to whoever runs the pipeline through an ImpDiag: a
 * callback and its data. Nothing is printed by the library itself.
 *
 * The levels and the callback's type are public (<imprint/imprint-diag.h>); a program sets
 * the callback on its options, and the pipeline hands the stages an ImpDiag for the run.
 */
#ifndef IMP_DIAG_H
#define IMP_DIAG_H

#include <glib.h>

#include <imprint/imprint-diag.h>

G_BEGIN_DECLS

typedef struct {
    ImpDiagFunc func;   /* may be NULL: findings are then dropped */
    gpointer user_data;
} ImpDiag;

/* Reports one finding through diag (which may be NULL). `file` may be NULL, `line` 0. */
void imp_diag_report(const ImpDiag *diag, ImpDiagLevel level, const char *file, guint line,
                     const char *format, ...) G_GNUC_PRINTF(5, 6);

G_END_DECLS

#endif /* IMP_DIAG_H */
