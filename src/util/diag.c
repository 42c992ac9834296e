/* diag.c — formatting and delivery of non-fatal findings; see diag.h. */
#include "diag.h"

#include <stdarg.h>

/* Formats the message and hands it to the callback, if there is one. */
void imp_diag_report(const ImpDiag *diag, ImpDiagLevel level, const char *file, guint line,
                     const char *format, ...)
{
    if (diag == NULL || diag->func == NULL)
        return;
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    diag->func(level, file, line, msg, diag->user_data);
    g_free(msg);
}
