/* error.c — the IMP_ERROR domain; see error.h. */
#include "error.h"

G_DEFINE_QUARK(imp-error-quark, imp_error)
