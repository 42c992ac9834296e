/* error.h — imprint's GError domain, for the library's own files.
 *
 * The domain and its codes are public (<imprint/imprint-error.h>): every failure the world
 * or a caller's value can cause is an IMP_ERROR with one of those codes and a message that
 * names the file (and line, where there is one) and the problem.
 */
#ifndef IMP_ERROR_H
#define IMP_ERROR_H

#include <imprint/imprint-error.h>

#endif /* IMP_ERROR_H */
