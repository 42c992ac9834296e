/* blocks.c — the document's blocks → the flow of entries that paginate.c puts on pages.
 *
 * Each block becomes entries: one per line of text, with its height (the role's leading),
 * the space above it, and its keeps. A heading also gets an outline anchor and keeps with
 * the first two lines of what follows; a list item gets its marker beside its first line;
 * the first notice block opens with a rule and stays together; a form feed forces a page
 * break; the masthead (the site's name and a language link, with a rule under it) comes
 * first. Paragraphs are set by imprint's own breaker (merge.c, ahead on worker threads)
 * unless the style asks for Pango's greedy breaking, and code keeps its lines as typed.
 *
 * Each item says which block it comes from (ImpItem.block) and whether it is furniture
 * (the masthead and rules: IMP_ITEM_ARTIFACT) or a list marker (IMP_ITEM_MARKER), for a
 * tagged PDF's structure.
 *
 * Invariants:
 *  1. Entries come in document order, each block's lines together; every character of a
 *     block's text is in one of its lines.
 *  2. An entry's items have y relative to the entry's top (layout.c places them).
 *  3. The paragraphs listed for merge.c are exactly those add_block() takes, in the same
 *     order: the body, then the every-page notice.
 */
#include "layout-private.h"

#include <string.h>

/* A new entry at the end of the flow (transfer none: valid until the next entry_new). */
static ImpEntry *entry_new(ImpLayout *lay, double height, double space_before)
{
    ImpEntry e = { height, space_before, FALSE, FALSE, lay->entry_items->len, 0 };
    g_array_append_val(lay->entries, e);
    return &g_array_index(lay->entries, ImpEntry, lay->entries->len - 1);
}

/* Adds an item to entry e, the last one. */
static void entry_add_item(ImpLayout *lay, ImpEntry *e, const ImpItem *item)
{
    g_assert(e->first_item + e->n_items == lay->entry_items->len);
    g_array_append_val(lay->entry_items, *item);
    e->n_items++;
}

/* The entries from `first` on, as an array (valid until the next entry_new). */
static ImpEntry *entries_from(ImpLayout *lay, guint first)
{
    return &g_array_index(lay->entries, ImpEntry, first);
}

/* Adds one entry per line of pl (a greedy paragraph or code, set by Pango), its left edge
 * at `x`, `leading` points each; the first line gets `space_before`. The layout keeps pl. */
static void add_lines(ImpLayout *lay, PangoLayout *pl, guint block, double x, double leading,
                      double size, double space_before, gboolean keep_all)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    g_ptr_array_add(lay->layouts, g_object_ref(pl));
    guint first = lay->entries->len;
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    guint i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        ImpEntry *e = entry_new(lay, leading, i == 0 ? space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_TEXT;
        item.block = block;
        item.x = x + (double)logical.x / PANGO_SCALE;
        item.y = imp__baseline_in_box(leading, size);
        item.line = pango_layout_iter_get_line_readonly(it);
        entry_add_item(lay, e, &item);
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    imp__keep_lines(entries_from(lay, first), lay->entries->len - first, keep_all, ds->widows,
                    ds->orphans);
}

/* Adds one entry per line of block b, set with our own breaker (merge.c), like
 * add_lines(); the layout takes the lines. */
static void add_para_lines(ImpLayout *lay, const ImpBlock *b, guint block, double x,
                           double space_before, gboolean keep_all)
{
    const ImpParaJob *job;
    GPtrArray *lines = imp__merge_take(lay, b, &job);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    guint first = lay->entries->len;
    for (guint i = 0; i < lines->len; i++) {
        ImpParaLine *pl = lines->pdata[i];
        ImpEntry *e = entry_new(lay, rs->leading, i == 0 ? space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_GLYPHS;
        item.block = block;
        item.x = x + pl->x;
        item.y = imp__baseline_in_box(rs->leading, rs->size);
        item.glyphs = &pl->line;
        entry_add_item(lay, e, &item);
    }
    imp__keep_lines(entries_from(lay, first), lines->len, keep_all, ds->widows, ds->orphans);
    /* the items point into the lines: hand them to the layout */
    g_ptr_array_set_free_func(lines, NULL);
    for (guint i = 0; i < lines->len; i++)
        g_ptr_array_add(lay->para_lines, lines->pdata[i]);
    g_ptr_array_free(lines, TRUE);
}

static ImpRole role_of(const ImpBlock *b)
{
    switch (imp_block_get_kind(b)) {
    case IMP_BLOCK_TITLE: return IMP_ROLE_TITLE;
    case IMP_BLOCK_SUBTITLE: return IMP_ROLE_SUBTITLE;
    case IMP_BLOCK_HEADING:
        return imp_block_get_level(b) <= 1 ? IMP_ROLE_H1
             : imp_block_get_level(b) == 2 ? IMP_ROLE_H2 : IMP_ROLE_H3;
    case IMP_BLOCK_LIST_ITEM: return IMP_ROLE_LIST;
    case IMP_BLOCK_CODE: return IMP_ROLE_CODE;
    case IMP_BLOCK_NOTICE: return IMP_ROLE_NOTICE;
    default: return IMP_ROLE_BODY;
    }
}

static gboolean is_heading_role(ImpRole r)
{
    return r == IMP_ROLE_TITLE || r == IMP_ROLE_SUBTITLE || r == IMP_ROLE_H1 ||
           r == IMP_ROLE_H2 || r == IMP_ROLE_H3;
}

/* A masthead line's text, set by Pango, its missing glyphs reported and fonts noted; the
 * layout keeps it (transfer none). */
static PangoLayout *masthead_text(ImpLayout *lay, const char *text)
{
    PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style,
                                 IMP_ROLE_MASTHEAD, text, strlen(text), NULL, -1, NULL);
    imp__missing_check_layout(&lay->missing, pl, NULL);
    imp__fonts_used_add_layout(lay->fonts_seen, pl);
    g_ptr_array_add(lay->layouts, pl);
    return pl;
}

/* The masthead: the site's name at the left and the rest (a language link) at the right
 * of one line, with a rule under it; all furniture. */
static void add_masthead(ImpLayout *lay)
{
    const char *site = imp_document_get_meta(lay->doc, IMP_META_SITE);
    const char *extra = imp_document_get_meta(lay->doc, IMP_META_SITE_EXTRA);
    if (site == NULL && extra == NULL)
        return;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, IMP_ROLE_MASTHEAD);
    ImpEntry *e = entry_new(lay, rs->leading + rs->space_after, 0);
    ImpItem item = { 0 };
    item.kind = IMP_ITEM_TEXT;
    item.flags = IMP_ITEM_ARTIFACT;
    item.block = IMP_ITEM_NO_BLOCK;
    item.y = imp__baseline_in_box(rs->leading, rs->size);
    if (site != NULL) {
        PangoLayout *pl = masthead_text(lay, site);
        item.x = lay->text_x;
        item.line = pango_layout_get_line_readonly(pl, 0);
        entry_add_item(lay, e, &item);
    }
    if (extra != NULL) {
        PangoLayout *pl = masthead_text(lay, extra);
        PangoRectangle logical;
        pango_layout_get_extents(pl, NULL, &logical);
        item.x = lay->text_x + lay->text_w - (double)logical.width / PANGO_SCALE;
        item.line = pango_layout_get_line_readonly(pl, 0);
        entry_add_item(lay, e, &item);
    }
    const ImpRuleStyle *rule = &imp_style_get_header(lay->style)->rule;
    if (rule->thickness > 0) {
        ImpItem r = { 0 };
        r.kind = IMP_ITEM_RULE;
        r.flags = IMP_ITEM_ARTIFACT;
        r.block = IMP_ITEM_NO_BLOCK;
        r.x = lay->text_x;
        r.width = lay->text_w;
        r.y = rs->leading + rs->space_after / 2;
        r.thickness = rule->thickness;
        r.color = rs->color;
        entry_add_item(lay, e, &r);
    }
    e->keep_with_next = TRUE;
}

/* An outline destination for a heading or title, kept with the heading's first line. */
static void add_anchor(ImpLayout *lay, guint block, const char *text, gsize len, int level,
                       double space_before)
{
    char *label = g_strndup(text, len);
    g_ptr_array_add(lay->labels, label);
    ImpEntry *e = entry_new(lay, 0, space_before);
    ImpItem a = { 0 };
    a.kind = IMP_ITEM_ANCHOR;
    a.block = block;
    a.label = label;
    a.level = level;
    entry_add_item(lay, e, &a);
    e->keep_with_next = TRUE;
}

/* How block b is set: fills job (and its indent from the text area's left edge) and says
 * whether our own breaker sets it (line-breaking=optimal; code keeps its lines as they
 * are), which imp__blocks_build() must know before add_block() runs. */
static gboolean para_job_for(const ImpLayout *lay, const ImpBlock *b, ImpParaJob *job,
                             double *indent_x)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpBlockKind kind = imp_block_get_kind(b);
    job->block = b;
    job->role = role_of(b);
    /* notice heading lines are set bold */
    job->bold = kind == IMP_BLOCK_NOTICE && imp_block_get_level(b) > 0;
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, job->role);
    *indent_x = 0;
    if (kind == IMP_BLOCK_LIST_ITEM || imp_block_get_quote_depth(b) > 0)
        *indent_x = 1.5 * rs->size * MAX(1u, imp_block_get_level(b));
    job->width = lay->text_w - *indent_x;
    return ds->line_breaking == IMP_BREAK_OPTIMAL && kind != IMP_BLOCK_CODE;
}

/* What the blocks laid out so far leave for the next one. */
typedef struct {
    double pending_after;   /* space_after of the previous block */
    gboolean pending_break; /* a page break came before this block */
    gboolean prev_heading;  /* the previous block was a heading: keep with this one */
    gboolean in_notice;     /* a notice has begun (its rule is set) and not yet ended */
} BlockState;

/* Adds the entries of block b (number `block` in the document): its lines, an outline
 * anchor for a heading, a list marker, the rule that opens the notice, and the keeps
 * between blocks. */
static void add_block(ImpLayout *lay, const ImpBlock *b, guint block, BlockState *st)
{
    PangoContext *ctx = imp_fonts_get_context(lay->fonts);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpBlockKind kind = imp_block_get_kind(b);
    ImpRole role = role_of(b);
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, role);
    gsize len;
    const char *text = imp_block_get_text(b, &len);
    double space = MAX(st->pending_after, rs->space_before);
    guint first_entry = lay->entries->len;

    if (kind != IMP_BLOCK_NOTICE)
        st->in_notice = FALSE; /* body text again: a later notice gets its own rule */
    if (kind == IMP_BLOCK_NOTICE && !st->in_notice) {
        /* the notice starts with a rule and stays together when it fits on a page */
        st->in_notice = TRUE;
        if (ds->notice_rule.thickness > 0) {
            ImpEntry *e = entry_new(lay, rs->space_before,
                                    MAX(st->pending_after, 2 * rs->leading));
            ImpItem r = { 0 };
            r.kind = IMP_ITEM_RULE;
            r.flags = IMP_ITEM_ARTIFACT;
            r.block = block;
            r.x = lay->text_x;
            r.width = lay->text_w;
            r.thickness = ds->notice_rule.thickness;
            r.color = ds->notice_rule.color;
            entry_add_item(lay, e, &r);
            space = 0;
        }
    }
    if (is_heading_role(role) && len > 0)
        add_anchor(lay, block, text, len, role == IMP_ROLE_TITLE ? 1
                                          : role == IMP_ROLE_H1 || role == IMP_ROLE_SUBTITLE ? 2
                                          : role == IMP_ROLE_H2 ? 3 : 4,
                   space);

    ImpParaJob job;
    double indent_x;
    gboolean own_breaker = para_job_for(lay, b, &job, &indent_x);
    gboolean keep_all = is_heading_role(role) || kind == IMP_BLOCK_NOTICE;
    double first_space = lay->entries->len > first_entry ? 0 : space;
    if (own_breaker) {
        add_para_lines(lay, b, block, lay->text_x + indent_x, first_space, keep_all);
    } else {
        /* the baseline: Pango's greedy filling and justification */
        PangoLayout *pl = imp__shape(ctx, lay->style, role, text, len,
                                     imp_block_get_language(b), lay->text_w - indent_x, b);
        if (job.bold) {
            PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(pl));
            pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
            pango_layout_set_attributes(pl, attrs);
            pango_attr_list_unref(attrs);
        }
        imp__missing_check_layout(&lay->missing, pl, b);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        add_lines(lay, pl, block, lay->text_x + indent_x, rs->leading, rs->size, first_space,
                  keep_all);
        g_object_unref(pl);
    }

    if (kind == IMP_BLOCK_LIST_ITEM && imp_block_get_marker(b) != NULL) {
        const char *m = imp_block_get_marker(b);
        PangoLayout *ml = imp__shape(ctx, lay->style, role, m, strlen(m), NULL, -1, NULL);
        /* the marker's offsets are its own, but it stands on the block's first line, which
           the first bytes of the block's text come from */
        imp__missing_check_layout(&lay->missing, ml, b);
        imp__fonts_used_add_layout(lay->fonts_seen, ml);
        g_ptr_array_add(lay->layouts, ml);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_TEXT;
        item.flags = IMP_ITEM_MARKER;
        item.block = block;
        item.x = lay->text_x + indent_x - 1.2 * rs->size;
        item.y = imp__baseline_in_box(rs->leading, rs->size);
        item.line = pango_layout_get_line_readonly(ml, 0);
        /* append to the first line entry of this block (the last entry added before
           its lines is first_entry or first_entry + anchor) */
        ImpEntry *first = &g_array_index(lay->entries, ImpEntry, lay->entries->len - 1);
        if (first->first_item + first->n_items == lay->entry_items->len)
            entry_add_item(lay, first, &item);
    }

    if (st->pending_break) {
        g_array_index(lay->entries, ImpEntry, first_entry).break_before = TRUE;
        st->pending_break = FALSE;
    }
    /* a heading keeps with the first two lines of what follows */
    if (st->prev_heading && !is_heading_role(role)) {
        guint last = MIN(first_entry + 1, lay->entries->len - 1);
        for (guint k = first_entry; k < last; k++)
            g_array_index(lay->entries, ImpEntry, k).keep_with_next = TRUE;
    }
    st->prev_heading = is_heading_role(role);
    st->pending_after = rs->space_after;
}

/* The blocks [*from, *to) of the document's first notice (consecutive notice blocks);
 * empty when there is none. */
static void first_notice(const ImpDocument *doc, guint *from, guint *to)
{
    guint n = imp_document_get_n_blocks(doc), i = 0;
    while (i < n && imp_block_get_kind(imp_document_get_block(doc, i)) != IMP_BLOCK_NOTICE)
        i++;
    *from = i;
    while (i < n && imp_block_get_kind(imp_document_get_block(doc, i)) == IMP_BLOCK_NOTICE)
        i++;
    *to = i;
}

/* Builds the flow; see layout-private.h. A notice placed on every page (the first notice
 * of the text: a later one is set where it stands) is laid out the same way, then taken out
 * of the entries into lay->notice_items, y from its top, its items marked as repeated
 * furniture. */
void imp__blocks_build(ImpLayout *lay)
{
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    gboolean every_page = ds->notice_placement == IMP_NOTICE_EVERY_PAGE;
    guint foot_from = 0, foot_to = 0;
    if (every_page)
        first_notice(lay->doc, &foot_from, &foot_to);

    if (ds->masthead)
        add_masthead(lay);

    /* the paragraphs our breaker sets, in the order add_block() will take them: the body,
       then an every-page notice; they are set ahead on the workers */
    guint n = imp_document_get_n_blocks(lay->doc);
    GArray *jobs = g_array_new(FALSE, FALSE, sizeof(ImpParaJob));
    for (int pass = 0; pass < 2; pass++)
        for (guint bi = 0; bi < n; bi++) {
            const ImpBlock *b = imp_document_get_block(lay->doc, bi);
            ImpBlockKind kind = imp_block_get_kind(b);
            gboolean deferred = bi >= foot_from && bi < foot_to;
            ImpParaJob job;
            double indent_x;
            if (kind != IMP_BLOCK_PAGE_BREAK && deferred == (pass == 1) &&
                para_job_for(lay, b, &job, &indent_x))
                g_array_append_val(jobs, job);
        }
    imp__merge_start(lay, jobs);

    BlockState st = { 0 };
    for (guint bi = 0; bi < n; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        ImpBlockKind kind = imp_block_get_kind(b);
        if (kind == IMP_BLOCK_PAGE_BREAK) {
            st.pending_break = TRUE;
            st.pending_after = 0;
        } else if (bi < foot_from || bi >= foot_to) {
            add_block(lay, b, bi, &st);
        }
    }
    /* the last entry need not keep with anything after it */
    if (lay->entries->len > 0)
        g_array_index(lay->entries, ImpEntry, lay->entries->len - 1).keep_with_next = FALSE;

    if (foot_to > foot_from) {
        guint first = lay->entries->len, first_item = lay->entry_items->len;
        BlockState nst = { 0 };
        for (guint bi = foot_from; bi < foot_to; bi++)
            add_block(lay, imp_document_get_block(lay->doc, bi), bi, &nst);
        lay->notice_height = imp__layout_place(lay, first, lay->entries->len, 0,
                                               lay->notice_items);
        for (guint k = 0; k < lay->notice_items->len; k++)
            g_array_index(lay->notice_items, ImpItem, k).flags |=
                IMP_ITEM_ARTIFACT | IMP_ITEM_REPEATED;
        g_array_set_size(lay->entries, first);
        g_array_set_size(lay->entry_items, first_item);
    }
    imp__merge_finish(lay);
}
