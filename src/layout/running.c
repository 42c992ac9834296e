/* running.c — running heads: the header and footer of every page, from the style's
 * templates ({page}, {pages}, the document's metadata).
 *
 * A page's heads are set when the page is made, during imp__layout_new(), once the number
 * of pages is known: the layout hands out finished pages. Most slots read the same on every
 * page (the title, the site), so each distinct text is set once, for its role and width,
 * and every page that shows it points at that one line; a slot with {page} costs one
 * compact line (about 6 bytes a glyph) a page. A slot is shaped by Pango (a PangoLayout,
 * ellipsized when too long for its slot) and its first line kept in the compact form of
 * body lines (glyphline.c), in the layout's run styles, so no page holds a PangoLayout.
 *
 * Invariants:
 *  1. Every item made here is an artifact (IMP_ITEM_ARTIFACT) of no block.
 *  2. A text is set, and its missing glyphs reported, once: a line here is owned by
 *     lay->running, never by a page, so releasing a page never frees it.
 *  3. Items come in the order header rule, header slots (left, centre, right), footer rule,
 *     footer slots.
 */
#include "layout-private.h"

#include <string.h>

/* A running head set once and shared by every page that shows it. */
typedef struct {
    ImpParaLine *line;      /* owned */
    double width;           /* its logical width, points */
} RunningLine;

static void running_line_free(gpointer data)
{
    RunningLine *rl = data;
    imp__para_line_free(rl->line);
    g_free(rl);
}

/* Expands a template; see layout-private.h. */
char *imp__running_expand(const ImpDocument *doc, const char *tpl, guint page, guint pages)
{
    GString *s = g_string_new(NULL);
    for (const char *p = tpl; *p != '\0'; p++) {
        if (p[0] == '{' && p[1] == '{') {
            g_string_append_c(s, '{');
            p++;
            continue;
        }
        if (p[0] == '}' && p[1] == '}') {
            g_string_append_c(s, '}');
            p++;
            continue;
        }
        const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
        if (close == NULL) {
            g_string_append_c(s, *p);
            continue;
        }
        char *field = g_strndup(p + 1, (gsize)(close - p - 1));
        if (strcmp(field, "page") == 0) {
            g_string_append_printf(s, "%u", page);
        } else if (strcmp(field, "pages") == 0) {
            g_string_append_printf(s, "%u", pages);
        } else {
            for (int k = 0; k < IMP_N_META; k++)
                if (strcmp(field, imp_meta_key_name((ImpMetaKey)k)) == 0) {
                    const char *v = imp_document_get_meta(doc, (ImpMetaKey)k);
                    if (v != NULL)
                        g_string_append(s, v);
                }
        }
        g_free(field);
        p = close;
    }
    return g_string_free(s, FALSE);
}

/* The first line of a PangoLayout in compact form, its runs in the layout's run styles,
 * its text `text` (which must outlive it). */
static ImpParaLine *compact_line(ImpLayout *lay, PangoLayoutLine *line, const char *text)
{
    guint n = g_slist_length(line->runs);
    ImpGlyphSlice *slices = g_new(ImpGlyphSlice, MAX(n, 1));
    guint k = 0;
    for (GSList *r = line->runs; r != NULL; r = r->next, k++) {
        const PangoGlyphItem *gi = r->data;
        ImpRunStyle *rs = imp__run_style_new(gi->item);
        const ImpRunStyle *shared = imp__layout_intern_style(lay, rs, NULL);
        imp__run_style_unref(rs);
        /* the whole run */
        slices[k].gi = gi;
        slices[k].style = shared;
        slices[k].from = (gsize)gi->item->offset;
        slices[k].to = slices[k].from + (gsize)gi->item->length;
        slices[k].g0 = 0;
        slices[k].g1 = gi->glyphs->num_glyphs;
    }
    ImpParaLine *pl = imp__glyph_line_pack(text, slices, n);
    g_free(slices);
    return pl;
}

/* The running head for `text` in `role` at slot width `w`, set on first use: its missing
 * glyphs reported, its fonts noted (transfer none: lay->running's). */
static const RunningLine *running_line(ImpLayout *lay, ImpRole role, const char *text,
                                       double w)
{
    char *key = g_strdup_printf("%d %a %s", (int)role, w, text);
    RunningLine *rl = g_hash_table_lookup(lay->running, key);
    if (rl != NULL) {
        g_free(key);
        return rl;
    }
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    PangoLayout *pl = imp__shape(ctx, lay->style, role, text, strlen(text), NULL, -1, NULL);
    pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(pl, PANGO_ALIGN_LEFT);
    pango_layout_set_justify(pl, FALSE);
    imp__missing_check_layout(&lay->missing, pl, NULL);
    imp__fonts_used_add_layout(lay->fonts_seen, pl);
    PangoRectangle logical;
    pango_layout_get_extents(pl, NULL, &logical);
    rl = g_new0(RunningLine, 1);
    rl->width = (double)logical.width / PANGO_SCALE;
    rl->line = compact_line(lay, pango_layout_get_line_readonly(pl, 0),
                            g_string_chunk_insert_const(lay->running_text, text));
    g_object_unref(pl);
    g_hash_table_insert(lay->running, key, rl);
    return rl;
}

/* Sets one running header or footer of page `page` (1-based) into `items`: its text
 * baseline at `baseline`, a rule at `rule_y` when any slot has text. Slot widths: a third of
 * the text width each when the centre is used, else half; a slot alone takes the whole
 * width; a slot too long is ellipsized. */
static void add_running(ImpLayout *lay, GArray *items, const ImpRunningStyle *rs,
                        ImpRole role, guint page, guint pages, double baseline,
                        double rule_y)
{
    const char *const *slots = page == 1 ? rs->first_slot : rs->slot;
    char *text[IMP_N_SLOTS];
    gboolean any = FALSE;
    for (int k = 0; k < IMP_N_SLOTS; k++) {
        text[k] = imp__running_expand(lay->doc, slots[k] ? slots[k] : "", page, pages);
        any = any || text[k][0] != '\0';
    }
    if (any && rs->rule.thickness > 0) {
        ImpItem r = { 0 };
        r.kind = IMP_ITEM_RULE;
        r.flags = IMP_ITEM_ARTIFACT;
        r.block = IMP_ITEM_NO_BLOCK;
        r.x = lay->text_x;
        r.y = rule_y;
        r.width = lay->text_w;
        r.thickness = rs->rule.thickness;
        r.color = rs->rule.color;
        g_array_append_val(items, r);
    }
    const ImpRoleStyle *role_style = imp_style_get_role(lay->style, role);
    double gap = role_style->size;
    double slot_w = text[IMP_SLOT_CENTER][0] != '\0' ? (lay->text_w - 2 * gap) / 3
                                                      : (lay->text_w - gap) / 2;
    for (int k = 0; k < IMP_N_SLOTS; k++) {
        if (text[k][0] == '\0')
            continue;
        gboolean alone = k != IMP_SLOT_CENTER && text[IMP_SLOT_CENTER][0] == '\0' &&
                         text[2 - k][0] == '\0';
        double w = alone ? lay->text_w : slot_w;
        const RunningLine *rl = running_line(lay, role, text[k], w);
        ImpItem t = { 0 };
        t.kind = IMP_ITEM_GLYPHS;
        t.flags = IMP_ITEM_ARTIFACT;
        t.block = IMP_ITEM_NO_BLOCK;
        t.y = baseline;
        t.x = k == IMP_SLOT_LEFT ? lay->text_x
            : k == IMP_SLOT_CENTER ? lay->text_x + (lay->text_w - rl->width) / 2
            : lay->text_x + lay->text_w - rl->width;
        t.glyphs = &rl->line->line;
        g_array_append_val(items, t);
    }
    for (int k = 0; k < IMP_N_SLOTS; k++)
        g_free(text[k]);
}

/* Appends the header and footer of page `page` (0-based); see layout-private.h. */
void imp__running_add(ImpLayout *lay, guint page, guint pages, GArray *items)
{
    if (lay->running == NULL) {
        lay->running = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             running_line_free);
        lay->running_text = g_string_chunk_new(1024);
    }
    const ImpPageStyle *ps = imp_style_get_page(lay->style);
    const ImpRoleStyle *hs = imp_style_get_role(lay->style, IMP_ROLE_HEADER);
    const ImpRoleStyle *fs = imp_style_get_role(lay->style, IMP_ROLE_FOOTER);
    /* header: the rule well clear of the text area's first line, the text just above it */
    double head_rule = ps->margin_top - MAX(ps->header_height * 0.4, 6.0);
    double head_base = head_rule - MAX(hs->size * 0.45, 3.0);
    /* footer: rule at the band's top, text below it */
    double foot_rule = lay->text_bottom + MIN(ps->footer_height * 0.25, 6.0);
    double foot_base = foot_rule + 3.0 + IMP__EM_ASCENT * fs->size;
    add_running(lay, items, imp_style_get_header(lay->style), IMP_ROLE_HEADER, page + 1,
                pages, head_base, head_rule);
    add_running(lay, items, imp_style_get_footer(lay->style), IMP_ROLE_FOOTER, page + 1,
                pages, foot_base, foot_rule);
}

/* Frees the running heads; see layout-private.h. */
void imp__running_free(ImpLayout *lay)
{
    g_clear_pointer(&lay->running, g_hash_table_destroy);
    if (lay->running_text != NULL) {
        g_string_chunk_free(lay->running_text);
        lay->running_text = NULL;
    }
}
