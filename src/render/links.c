/* links.c — where a reader of the PDF can go: link annotations, named destinations and
 * the outline (bookmarks).
 *
 * A link area of the layout (IMP_ITEM_LINK, one per line fragment of a link's text)
 * becomes one link annotation, through the attributes of cairo's Link tag that tags.c
 * opens around the link's glyphs: "uri='…'" for a URL, "dest='…'" for "#id", and the
 * area as its rectangle. A block with an id gets a named destination where it starts (a
 * heading's top-left), so "#id" links lead there; the destination is named "b<block
 * index>", not after the id, because cairo 1.16 writes a destination's name into the
 * name tree unescaped but the link's escaped: an id with non-ASCII letters or a ')' would
 * break the link or the file. Named (not "internal") destinations, because cairo resolves
 * an internal one only for links drawn after it.
 *
 * Numbers in attributes are whole points: cairo reads them with sscanf, in the locale of
 * the process, where "12.5" may not be a number.
 *
 * Invariants:
 *  1. Every annotation leads somewhere this PDF or a URL can go: an "#id" that no block
 *     drawn in this PDF has gives no annotation, nor a scheme that runs code (javascript:,
 *     vbscript:, data:).
 *  2. What cairo writes into a PDF string unescaped (a URI) is escaped here, so no link
 *     target can end the string or the file's syntax.
 *  3. Outline entries nest by level: an entry's parent is the last entry of a lower level
 *     (a level skipped nests under the nearest one above).
 */
#include <cairo-pdf.h>
#include <math.h>
#include <string.h>

#include "render-private.h"

#define MAX_LEVEL 8

struct ImpLinks {
    cairo_t *cr;
    const ImpDocument *doc;
    GHashTable *ids;   /* id (the document's string) → block index + 1 */
    GHashTable *dests; /* block index + 1 → DEST_DRAWN or DEST_PLACED */
    int outline[MAX_LEVEL + 1]; /* the last entry at each level; 0: none since its parent */
};

enum { DEST_DRAWN = 1, DEST_PLACED = 2 };

/* The links of a PDF; see render-private.h. */
ImpLinks *imp__links_new(cairo_t *cr, const ImpDocument *doc)
{
    ImpLinks *l = g_new0(ImpLinks, 1);
    l->cr = cr;
    l->doc = doc;
    l->ids = g_hash_table_new(g_str_hash, g_str_equal);
    l->dests = g_hash_table_new(NULL, NULL);
    guint n = imp_document_get_n_blocks(doc);
    for (guint b = 0; b < n; b++) {
        const char *id = imp_block_get_id(imp_document_get_block(doc, b));
        /* the first block with an id wins, as a browser's fragment does */
        if (id != NULL && *id != '\0' && !g_hash_table_contains(l->ids, id))
            g_hash_table_insert(l->ids, (gpointer)id, GUINT_TO_POINTER(b + 1));
    }
    return l;
}

void imp__links_free(ImpLinks *links)
{
    if (links == NULL)
        return;
    g_hash_table_destroy(links->ids);
    g_hash_table_destroy(links->dests);
    g_free(links);
}

/* Records that block `block` is drawn; see render-private.h. */
void imp__links_note_block(ImpLinks *links, guint block)
{
    if (g_hash_table_size(links->ids) == 0 || block >= imp_document_get_n_blocks(links->doc))
        return;
    const char *id = imp_block_get_id(imp_document_get_block(links->doc, block));
    if (id != NULL && *id != '\0' && !g_hash_table_contains(links->dests, GUINT_TO_POINTER(block + 1)))
        g_hash_table_insert(links->dests, GUINT_TO_POINTER(block + 1),
                            GUINT_TO_POINTER(DEST_DRAWN));
}

/* Whether a URI's scheme runs code when followed (javascript:, vbscript:, data:). */
static gboolean runs_code(const char *uri)
{
    static const char *const schemes[] = { "javascript:", "vbscript:", "data:", NULL };
    while (g_ascii_isspace(*uri))
        uri++;
    for (int i = 0; schemes[i] != NULL; i++)
        if (g_ascii_strncasecmp(uri, schemes[i], strlen(schemes[i])) == 0)
            return TRUE;
    return FALSE;
}

/* The uri attribute's value; see render-private.h. cairo parses the attribute's
 * backslash escapes (\' and \\) and writes what is left between the parentheses of a PDF
 * literal string as it is: a parenthesis must reach it as "\(", a backslash (not a URI
 * character) is percent-encoded. */
char *imp__links_uri_attribute(const char *uri)
{
    GString *s = g_string_new(NULL);
    for (const guchar *p = (const guchar *)uri; *p != '\0'; p++) {
        guchar c = *p;
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            g_string_append_printf(s, "%%%02X", c);
        else if (c == '(' || c == ')')
            g_string_append_printf(s, "\\\\%c", c);
        else if (c == '\'')
            g_string_append(s, "\\'");
        else
            g_string_append_c(s, (char)c);
    }
    return g_string_free(s, FALSE);
}

/* The name of block `block`'s destination (transfer full). */
static char *dest_name(guint block)
{
    return g_strdup_printf("b%u", block);
}

/* A link area's attributes; see render-private.h. */
char *imp__links_attributes(ImpLinks *links, const ImpItem *area)
{
    const char *href = area->label;
    if (href == NULL || *href == '\0' || runs_code(href))
        return NULL;
    /* whole points, the rectangle rounded outwards */
    double x0 = floor(area->x), y0 = floor(area->y);
    double x1 = ceil(area->x + area->width), y1 = ceil(area->y + area->thickness);
    char *target;
    if (href[0] == '#') {
        gpointer b = g_hash_table_lookup(links->ids, href + 1);
        if (b == NULL || !g_hash_table_contains(links->dests, b))
            return NULL;
        char *name = dest_name(GPOINTER_TO_UINT(b) - 1);
        target = g_strdup_printf("dest='%s'", name);
        g_free(name);
    } else {
        char *uri = imp__links_uri_attribute(href);
        target = g_strdup_printf("uri='%s'", uri);
        g_free(uri);
    }
    char *attrs = g_strdup_printf("%s rect=[%.0f %.0f %.0f %.0f]", target, x0, y0,
                                  MAX(x1 - x0, 1), MAX(y1 - y0, 1));
    g_free(target);
    return attrs;
}

/* Whether a block's destination is still to be placed; see render-private.h. */
gboolean imp__links_needs_dest(const ImpLinks *links, guint block)
{
    return g_hash_table_size(links->dests) > 0 &&
           GPOINTER_TO_UINT(g_hash_table_lookup(links->dests, GUINT_TO_POINTER(block + 1))) ==
               DEST_DRAWN;
}

/* Places a block's destination; see render-private.h. */
void imp__links_place_dest(ImpLinks *links, const ImpItem *it, double top)
{
    if (it->block == IMP_ITEM_NO_BLOCK || g_hash_table_size(links->dests) == 0)
        return;
    gpointer key = GUINT_TO_POINTER(it->block + 1);
    if (GPOINTER_TO_UINT(g_hash_table_lookup(links->dests, key)) != DEST_DRAWN)
        return;
    g_hash_table_insert(links->dests, key, GUINT_TO_POINTER(DEST_PLACED));
    char *name = dest_name(it->block);
    char *attrs = g_strdup_printf("name='%s' x=%.0f y=%.0f", name, floor(it->x),
                                  floor(MAX(top, 0)));
    cairo_tag_begin(links->cr, CAIRO_TAG_DEST, attrs);
    cairo_tag_end(links->cr, CAIRO_TAG_DEST);
    g_free(attrs);
    g_free(name);
}

/* Adds an outline entry; see render-private.h. */
void imp__links_add_outline(ImpLinks *links, const ImpItem *it, guint page_no)
{
    if (it->label == NULL)
        return;
    int level = CLAMP(it->level, 1, MAX_LEVEL);
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (int l = level - 1; l >= 1; l--)
        if (links->outline[l] > 0) {
            parent = links->outline[l];
            break;
        }
    char *dest = g_strdup_printf("page=%u pos=[%.0f %.0f]", page_no, floor(it->x),
                                 floor(MAX(it->y, 0)));
    links->outline[level] = cairo_pdf_surface_add_outline(cairo_get_target(links->cr), parent,
                                                          it->label, dest, 0);
    g_free(dest);
    for (int l = level + 1; l <= MAX_LEVEL; l++)
        links->outline[l] = 0;
}
