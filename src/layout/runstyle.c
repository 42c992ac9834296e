/* runstyle.c — how a run of glyphs is drawn (ImpRunStyle: Pango's analysis, colour,
 * underline), shared by reference.
 *
 * Every run of every set line points at a run style, so a line costs its glyphs and not a
 * copy of Pango's analysis. A paragraph makes one style per shaped run; the layout then
 * interns them (imp__run_style_intern), keeping one per distinct value for the whole
 * document, so a thousand pages of body text share a handful.
 *
 * Invariants:
 *  1. A style holds one reference on its font; the last unref drops it.
 *  2. Styles are immutable once made, so any thread may read them; references are atomic,
 *     so lines holding them may be freed on any thread.
 *  3. Two styles that draw alike (imp__run_style_equal) are one in an interned set.
 */
#include "layout-private.h"

/* A style for a shaped item; see layout-private.h. */
ImpRunStyle *imp__run_style_new(const PangoItem *item)
{
    ImpRunStyle *rs = g_new0(ImpRunStyle, 1);
    rs->analysis = item->analysis;
    rs->analysis.extra_attrs = NULL;
    if (rs->analysis.font != NULL)
        g_object_ref(rs->analysis.font);
    for (GSList *l = item->analysis.extra_attrs; l != NULL; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((const PangoAttrColor *)a)->color;
            rs->color = (guint32)(c->red >> 8) << 16 | (guint32)(c->green >> 8) << 8 |
                        (guint32)(c->blue >> 8);
        } else if (a->klass->type == PANGO_ATTR_UNDERLINE) {
            rs->underline = ((const PangoAttrInt *)a)->value != PANGO_UNDERLINE_NONE;
        }
    }
    rs->ref = 1;
    return rs;
}

/* Adds a reference; see layout-private.h. */
const ImpRunStyle *imp__run_style_ref(const ImpRunStyle *rs)
{
    g_atomic_int_inc(&((ImpRunStyle *)rs)->ref);
    return rs;
}

/* Drops a reference; see layout-private.h. */
void imp__run_style_unref(const ImpRunStyle *rs)
{
    if (rs == NULL || !g_atomic_int_dec_and_test(&((ImpRunStyle *)rs)->ref))
        return;
    if (rs->analysis.font != NULL)
        g_object_unref(rs->analysis.font);
    g_free((ImpRunStyle *)rs);
}

/* Equality for interning: every field that changes how a run is drawn. */
gboolean imp__run_style_equal(gconstpointer a, gconstpointer b)
{
    const ImpRunStyle *x = a, *y = b;
    return x->analysis.font == y->analysis.font && x->analysis.level == y->analysis.level &&
           x->analysis.gravity == y->analysis.gravity &&
           x->analysis.flags == y->analysis.flags && x->analysis.script == y->analysis.script &&
           x->analysis.language == y->analysis.language && x->color == y->color &&
           x->underline == y->underline;
}

/* A hash agreeing with imp__run_style_equal(). */
guint imp__run_style_hash(gconstpointer a)
{
    const ImpRunStyle *x = a;
    return g_direct_hash(x->analysis.font) ^ (guint)x->analysis.script * 31u ^
           g_direct_hash(x->analysis.language) ^ x->color ^ (guint)x->analysis.level << 24;
}

/* A new empty set of interned styles; see layout-private.h. */
GHashTable *imp__run_style_set_new(void)
{
    return g_hash_table_new_full(imp__run_style_hash, imp__run_style_equal,
                                 (GDestroyNotify)imp__run_style_unref, NULL);
}

/* The set's one copy of rs, its font replaced by `font` unless that is NULL; see
 * layout-private.h. */
const ImpRunStyle *imp__run_style_intern(GHashTable *set, const ImpRunStyle *rs,
                                         PangoFont *font, gboolean *added)
{
    ImpRunStyle key = *rs;
    if (font != NULL)
        key.analysis.font = font;
    const ImpRunStyle *found = g_hash_table_lookup(set, &key);
    if (added != NULL)
        *added = found == NULL;
    if (found != NULL)
        return found;
    ImpRunStyle *copy = g_new(ImpRunStyle, 1);
    *copy = key;
    copy->ref = 1; /* the set's */
    if (copy->analysis.font != NULL)
        g_object_ref(copy->analysis.font);
    g_hash_table_add(set, copy);
    return copy;
}
