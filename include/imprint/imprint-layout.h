/* imprint-layout.h — a layout: a document set in a style, as pages.
 *
 * imp_layout_new() (imprint.h) shapes, breaks and justifies every paragraph and places the
 * lines on pages with the running heads and the notice; the result is data that
 * imp_render() draws, any page, any number of times, to any format. Pages are numbered from
 * 0 here (page 0 is the first). A layout holds references to its document, its style and
 * its context's fonts: free it before them.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_LAYOUT_H
#define IMPRINT_LAYOUT_H

#include <glib.h>

#include <imprint/imprint-export.h>

G_BEGIN_DECLS

/* ImpLayout: a document laid out in pages (opaque). Since: 0.2 */
typedef struct ImpLayout ImpLayout;

/* imp_layout_free: frees the layout and its pages; NULL is a no-op. Since: 0.2 */
IMP_EXPORT void imp_layout_free(ImpLayout *layout);

/* imp_layout_get_n_pages: how many pages the layout has (at least 1). Since: 0.2 */
IMP_EXPORT guint imp_layout_get_n_pages(const ImpLayout *layout);

/* imp_layout_get_page_size: the size of every page in points (1/72 inch): its width goes
 * to *width and its height to *height (either may be NULL). Since: 0.2 */
IMP_EXPORT void imp_layout_get_page_size(const ImpLayout *layout, double *width,
                                         double *height);

/* imp_layout_release_page: frees what only page `page` (0-based) needs, for a program
 * that renders a long document a page at a time and wants its memory back as it goes.
 * The page must not be rendered again afterwards: that is a programming error.
 * Since: 0.2 */
IMP_EXPORT void imp_layout_release_page(ImpLayout *layout, guint page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpLayout, imp_layout_free)

G_END_DECLS

#endif /* IMPRINT_LAYOUT_H */
