/* imprint-export.h — the one macro that marks imprint's public API.
 *
 * The library is compiled with -fvisibility=hidden: a function is exported from
 * libimprint.so only when its declaration in a public header carries IMP_EXPORT, so the
 * public headers under include/imprint/ are the whole list of what a program can call.
 * Internal functions (imp__name, and imp_name ones no public header declares) stay hidden.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_EXPORT_H
#define IMPRINT_EXPORT_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define IMP_EXPORT __attribute__((visibility("default")))
#else
#define IMP_EXPORT
#endif

#endif /* IMPRINT_EXPORT_H */
