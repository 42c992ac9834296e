/* imprint-style.h — a style: how a document looks (page, fonts, spacing, running heads,
 * the notice) and, for a site style, how that site's pages are read.
 *
 * A style is a GLib key file (docs/styles.md), loaded by name from the context's styles
 * folder or by path, with `group.key=value` overrides (imp_style_new() in imprint.h). A
 * loaded style is resolved and never changes: it may be used for any number of documents
 * and layouts, and read from several threads at once.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_STYLE_H
#define IMPRINT_STYLE_H

#include <glib.h>

#include <imprint/imprint-export.h>

G_BEGIN_DECLS

/* ImpStyle: a loaded, resolved style sheet (opaque). Since: 0.2 */
typedef struct ImpStyle ImpStyle;

/* imp_style_free: frees `style`; NULL is a no-op. The layouts made with it must be freed
 * first. Since: 0.2 */
IMP_EXPORT void imp_style_free(ImpStyle *style);

/* imp_style_get_name: the style's name (its [style] name, else its file's base name)
 * (transfer none). Since: 0.2 */
IMP_EXPORT const char *imp_style_get_name(const ImpStyle *style);
/* imp_style_get_description: its one-line description, "" when it has none
 * (transfer none). Since: 0.2 */
IMP_EXPORT const char *imp_style_get_description(const ImpStyle *style);
/* imp_style_get_path: the file it was loaded from (transfer none). Since: 0.2 */
IMP_EXPORT const char *imp_style_get_path(const ImpStyle *style);

/* imp_style_dump: the fully resolved style (after inheritance and overrides) as a style
 * file: every group and key with the value in effect. Loading it gives the same output
 * as the style itself. Returns (transfer full): free with g_free(). Since: 0.2 */
IMP_EXPORT char *imp_style_dump(const ImpStyle *style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpStyle, imp_style_free)

G_END_DECLS

#endif /* IMPRINT_STYLE_H */
