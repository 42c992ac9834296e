/* blocks.c — the document's blocks → the flow of entries that paginate.c puts on pages.
 *
 * Two passes over the blocks (blocks.h). The plan pass gives each block its frame and role
 * and lists the paragraphs our breaker sets (merge.c sets them ahead on worker threads);
 * the add pass makes each block's entries in document order: one per line of text, with
 * its height (the role's leading), the space above it and its keeps. Paragraphs, thematic
 * breaks, the notice (which opens with a rule and stays together), form feeds (a forced
 * page break) and the masthead (the site's name and a language link over a rule) are set
 * here; headings, lists, code, tables and images by their own files. Paragraphs are set by
 * imprint's own breaker unless the style asks for Pango's greedy breaking; code keeps its
 * lines as typed.
 *
 * Each item says which block it comes from (ImpItem.block) and what it is to a tagged PDF
 * (ImpItemFlags): furniture (the masthead, rules, a code block's tint, the continuation
 * mark of a wrapped code line, a repeated table header), a list marker or heading number
 * (IMP_ITEM_MARKER), or content. A plain paragraph costs what it cost before the other
 * kinds of block existed: its plan is a frame and a job, and its lines are looked at again
 * only when it has links, strikethrough or emphasised CJK text.
 *
 * Invariants:
 *  1. Entries come in document order, each block's lines together; every character of a
 *     block's text is in one of its lines (an image's alt text is the exception: it is
 *     set only when the image cannot be, and otherwise goes with the image to a tagged
 *     PDF's Figure).
 *  2. An entry's items have y relative to the entry's top (layout.c places them).
 *  3. The paragraphs listed for merge.c are exactly those the add pass takes, in the same
 *     order: the body, then the every-page notice.
 */
#include "blocks.h"

#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Entries and lines                                                                    */
/* ------------------------------------------------------------------------------------ */

/* A new entry at the end of the flow; see blocks.h. */
ImpEntry *imp__entry_new(ImpLayout *lay, double height, double space_before)
{
    ImpEntry e = { 0 };
    e.height = height;
    e.space_before = space_before;
    e.first_item = lay->entry_items->len;
    g_array_append_val(lay->entries, e);
    return &g_array_index(lay->entries, ImpEntry, lay->entries->len - 1);
}

/* Adds an item to the last entry; see blocks.h. */
void imp__entry_add(ImpLayout *lay, ImpEntry *e, const ImpItem *item)
{
    g_assert(e->first_item + e->n_items == lay->entry_items->len);
    g_array_append_val(lay->entry_items, *item);
    e->n_items++;
}

/* Inserts an item into any entry; see blocks.h. */
void imp__entry_insert(ImpLayout *lay, guint i, guint pos, const ImpItem *item)
{
    ImpEntry *e = imp__entry_at(lay, i);
    g_assert(pos <= e->n_items);
    g_array_insert_val(lay->entry_items, e->first_item + pos, *item);
    e->n_items++;
    for (guint k = i + 1; k < lay->entries->len; k++)
        imp__entry_at(lay, k)->first_item++;
}

/* Appends an extra item; see blocks.h. */
void imp__extra_add(GArray *extras, guint line, gboolean before, const ImpItem *item)
{
    ImpExtraItem x = { line, extras->len, before, *item };
    g_array_append_val(extras, x);
}

/* Orders extra items by entry, then as they were made. */
static gint extra_cmp(gconstpointer a, gconstpointer b)
{
    const ImpExtraItem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Adds extra items to the last entries; see blocks.h. */
void imp__entries_add_extras(ImpLayout *lay, guint first, guint n, GArray *extras)
{
    g_assert(first + n == lay->entries->len);
    if (extras->len == 0 || n == 0)
        return;
    g_array_sort(extras, extra_cmp);
    guint from = imp__entry_at(lay, first)->first_item;
    guint n_own = lay->entry_items->len - from;
    ImpItem *own = g_memdup2(&g_array_index(lay->entry_items, ImpItem, from),
                             n_own * sizeof(ImpItem));
    g_array_set_size(lay->entry_items, from);
    guint x = 0, o = 0;
    for (guint i = 0; i < n; i++) {
        ImpEntry *e = imp__entry_at(lay, first + i);
        guint own_n = e->n_items;
        e->first_item = lay->entry_items->len;
        e->n_items = 0;
        guint x0 = x;
        for (; x < extras->len && g_array_index(extras, ImpExtraItem, x).line == i; x++) {
            const ImpExtraItem *xi = &g_array_index(extras, ImpExtraItem, x);
            if (xi->before)
                imp__entry_add(lay, e, &xi->item);
        }
        for (guint k = 0; k < own_n; k++)
            imp__entry_add(lay, e, &own[o++]);
        for (guint k = x0; k < x; k++) {
            const ImpExtraItem *xi = &g_array_index(extras, ImpExtraItem, k);
            if (!xi->before)
                imp__entry_add(lay, e, &xi->item);
        }
    }
    g_assert(x == extras->len && o == n_own);
    g_free(own);
}

/* Adds one entry per set line of the next paragraph; see blocks.h. */
guint imp__add_para_lines(ImpLayout *lay, const ImpLinePlace *lp)
{
    const ImpParaJob *job;
    GPtrArray *lines = imp__merge_take(lay, lp->b, &job);
    guint n = lines->len;
    for (guint i = 0; i < n; i++) {
        ImpParaLine *pl = lines->pdata[i];
        ImpEntry *e = imp__entry_new(lay, lp->leading, i == 0 ? lp->space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_GLYPHS;
        item.flags = lp->flags;
        item.cell = lp->cell;
        item.block = lp->block;
        item.x = lp->x + pl->x;
        item.y = lp->top + imp__baseline_in_box(lp->leading, lp->size);
        item.glyphs = &pl->line;
        imp__entry_add(lay, e, &item);
    }
    if (lp->decorate && n > 0)
        imp__inline_decorate(lay, lp, lay->entries->len - n, n);
    /* the items point into the lines: hand them to the layout */
    g_ptr_array_set_free_func(lines, NULL);
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(lay->para_lines, lines->pdata[i]);
    g_ptr_array_free(lines, TRUE);
    return n;
}

/* Adds one entry per line of a PangoLayout; see blocks.h. */
guint imp__add_pango_lines(ImpLayout *lay, PangoLayout *pl, const ImpLinePlace *lp)
{
    g_ptr_array_add(lay->layouts, g_object_ref(pl));
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    guint i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        ImpEntry *e = imp__entry_new(lay, lp->leading, i == 0 ? lp->space_before : 0);
        ImpItem item = { 0 };
        item.kind = IMP_ITEM_TEXT;
        item.flags = lp->flags;
        item.cell = lp->cell;
        item.block = lp->block;
        item.x = lp->x + (double)logical.x / PANGO_SCALE;
        item.y = lp->top + imp__baseline_in_box(lp->leading, lp->size);
        item.line = pango_layout_iter_get_line_readonly(it);
        imp__entry_add(lay, e, &item);
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (lp->decorate)
        imp__inline_decorate(lay, lp, lay->entries->len - i, i);
    return i;
}

/* Shapes a short unwrapped text; see blocks.h. */
PangoLayout *imp__shape_short(ImpLayout *lay, ImpRole role, const char *text, const char *lang)
{
    return imp__shape(imp_fonts_get_context(lay->fonts), lay->style, role, text, strlen(text),
                      lang, -1, NULL);
}

/* A text item for line 0 of pl; see blocks.h. */
ImpItem imp__text_item(ImpLayout *lay, PangoLayout *pl, const ImpBlock *b)
{
    imp__missing_check_layout(&lay->missing, pl, b);
    imp__fonts_used_add_layout(lay->fonts_seen, pl);
    g_ptr_array_add(lay->layouts, pl);
    ImpItem item = { 0 };
    item.kind = IMP_ITEM_TEXT;
    item.block = IMP_ITEM_NO_BLOCK;
    item.line = pango_layout_get_line_readonly(pl, 0);
    return item;
}

/* pl's logical width; see blocks.h. */
double imp__pango_width(PangoLayout *pl)
{
    PangoRectangle logical;
    pango_layout_get_extents(pl, NULL, &logical);
    return (double)logical.width / PANGO_SCALE;
}

/* Lists a paragraph for merge.c; see blocks.h. */
void imp__flow_job(ImpFlow *f, const ImpBlock *b, ImpRole role, double width, int align,
                   const char *text, gsize len)
{
    ImpParaJob job = { 0 };
    job.block = b;
    job.role = role;
    /* notice heading lines are set bold */
    job.bold = imp_block_get_kind(b) == IMP_BLOCK_NOTICE && imp_block_get_level(b) > 0;
    job.width = width;
    job.align = align;
    job.text = text;
    job.len = len;
    g_array_append_val(f->jobs, job);
}

/* ------------------------------------------------------------------------------------ */
/* The masthead                                                                         */
/* ------------------------------------------------------------------------------------ */

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
    ImpEntry *e = imp__entry_new(lay, rs->leading + rs->space_after, 0);
    ImpItem item = { 0 };
    item.kind = IMP_ITEM_TEXT;
    item.flags = IMP_ITEM_ARTIFACT;
    item.block = IMP_ITEM_NO_BLOCK;
    item.y = imp__baseline_in_box(rs->leading, rs->size);
    if (site != NULL) {
        PangoLayout *pl = masthead_text(lay, site);
        item.x = lay->text_x;
        item.line = pango_layout_get_line_readonly(pl, 0);
        imp__entry_add(lay, e, &item);
    }
    if (extra != NULL) {
        PangoLayout *pl = masthead_text(lay, extra);
        PangoRectangle logical;
        pango_layout_get_extents(pl, NULL, &logical);
        item.x = lay->text_x + lay->text_w - (double)logical.width / PANGO_SCALE;
        item.line = pango_layout_get_line_readonly(pl, 0);
        imp__entry_add(lay, e, &item);
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
        imp__entry_add(lay, e, &r);
    }
    e->keep_with_next = TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* The plan pass                                                                        */
/* ------------------------------------------------------------------------------------ */

/* Whether our own breaker sets paragraphs; see blocks.h. */
gboolean imp__own_breaker(const ImpLayout *lay)
{
    return imp_style_get_document(lay->style)->line_breaking == IMP_BREAK_OPTIMAL;
}

/* Plans block bi's frame and role. */
static void plan_block(ImpFlow *f, guint bi)
{
    const ImpBlock *b = imp_document_get_block(f->lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    ImpRole role = IMP_ROLE_BODY;
    imp__list_plan_block(f, bi, &role);
    switch (imp_block_get_kind(b)) {
    case IMP_BLOCK_TITLE:
    case IMP_BLOCK_SUBTITLE:
    case IMP_BLOCK_HEADING:
        imp__heading_plan_block(f, bi);
        return;
    case IMP_BLOCK_CODE:
        role = IMP_ROLE_CODE;
        break;
    case IMP_BLOCK_NOTICE:
        role = IMP_ROLE_NOTICE;
        break;
    case IMP_BLOCK_TERM:
        role = IMP_ROLE_TERM;
        break;
    case IMP_BLOCK_IMAGE:
    case IMP_BLOCK_TABLE:
    case IMP_BLOCK_RULE:
    case IMP_BLOCK_PAGE_BREAK:
        break;
    default:
        break; /* paragraphs, list items, definitions: list.c chose */
    }
    p->role = (guint8)role;
}

/* Lists what block bi has our breaker set, in the order the add pass takes it. */
static void plan_jobs(ImpFlow *f, guint bi)
{
    const ImpBlock *b = imp_document_get_block(f->lay->doc, bi);
    ImpBlockPlan *p = &f->plans[bi];
    switch (imp_block_get_kind(b)) {
    case IMP_BLOCK_TABLE:
        imp__table_plan(f, bi);
        return;
    case IMP_BLOCK_IMAGE:
        imp__image_plan(f, bi);
        return;
    case IMP_BLOCK_CODE:
    case IMP_BLOCK_RULE:
    case IMP_BLOCK_PAGE_BREAK:
        return;
    default:
        break;
    }
    p->own = imp__own_breaker(f->lay);
    if (p->own)
        imp__flow_job(f, b, (ImpRole)p->role, p->width, -1, NULL, 0);
}

/* ------------------------------------------------------------------------------------ */
/* The add pass                                                                         */
/* ------------------------------------------------------------------------------------ */

/* Sets block bi's text as paragraph lines in its role and frame: by our breaker (the next
 * job) or by Pango. Returns the number of entries added. */
static guint add_text(ImpFlow *f, guint bi, double space, gboolean keep_all)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, (ImpRole)p->role);
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpLinePlace lp = { 0 };
    lp.block = bi;
    lp.b = b;
    lp.x = lay->text_x + p->x;
    lp.leading = rs->leading;
    lp.size = rs->size;
    lp.space_before = space;
    lp.decorate = imp__inline_decorates(b);
    guint first = lay->entries->len, n;
    if (p->own) {
        n = imp__add_para_lines(lay, &lp);
    } else {
        /* the baseline: Pango's greedy filling and justification */
        gsize len;
        const char *text = imp_block_get_text(b, &len);
        PangoLayout *pl = imp__shape(imp_fonts_get_context(lay->fonts), lay->style,
                                     (ImpRole)p->role, text, len, imp_block_get_language(b),
                                     p->width, b);
        if (imp_block_get_kind(b) == IMP_BLOCK_NOTICE && imp_block_get_level(b) > 0) {
            PangoAttrList *attrs = pango_attr_list_copy(pango_layout_get_attributes(pl));
            pango_attr_list_insert(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
            pango_layout_set_attributes(pl, attrs);
            pango_attr_list_unref(attrs);
        }
        imp__missing_check_layout(&lay->missing, pl, b);
        imp__fonts_used_add_layout(lay->fonts_seen, pl);
        n = imp__add_pango_lines(lay, pl, &lp);
        g_object_unref(pl);
    }
    imp__keep_lines(imp__entry_at(lay, first), n, keep_all, ds->widows, ds->orphans);
    return n;
}

/* The rule that opens a notice, in an entry of its own. */
static void add_notice_rule(ImpFlow *f, guint bi, const ImpRoleStyle *rs)
{
    ImpLayout *lay = f->lay;
    const ImpDocumentStyle *ds = imp_style_get_document(lay->style);
    ImpEntry *e = imp__entry_new(lay, rs->space_before, MAX(f->pending_after, 2 * rs->leading));
    ImpItem r = { 0 };
    r.kind = IMP_ITEM_RULE;
    r.flags = IMP_ITEM_ARTIFACT;
    r.block = bi;
    r.x = lay->text_x;
    r.width = lay->text_w;
    r.thickness = ds->notice_rule.thickness;
    r.color = ds->notice_rule.color;
    imp__entry_add(lay, e, &r);
}

/* A thematic break: a centred rule a third of the measure wide in a line of space, in
 * the header rule's colour (furniture: the break itself is the space). */
static void add_rule(ImpFlow *f, guint bi, double space)
{
    ImpLayout *lay = f->lay;
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *body = imp_style_get_role(lay->style, IMP_ROLE_BODY);
    const ImpRuleStyle *head = &imp_style_get_header(lay->style)->rule;
    ImpEntry *e = imp__entry_new(lay, body->leading, MAX(space, body->space_after));
    ImpItem r = { 0 };
    r.kind = IMP_ITEM_RULE;
    r.flags = IMP_ITEM_ARTIFACT;
    r.block = bi;
    r.width = p->width / 3;
    r.x = lay->text_x + p->x + (p->width - r.width) / 2;
    r.y = body->leading / 2;
    r.thickness = MAX(head->thickness, 0.5);
    r.color = head->color;
    imp__entry_add(lay, e, &r);
    f->pending_after = body->space_after;
}

/* Whether role r is a title or heading's. */
static gboolean is_heading_kind(ImpBlockKind k)
{
    return k == IMP_BLOCK_TITLE || k == IMP_BLOCK_SUBTITLE || k == IMP_BLOCK_HEADING;
}

/* Adds the entries of block bi: by its kind, then the keeps between blocks. */
static void add_block(ImpFlow *f, guint bi)
{
    ImpLayout *lay = f->lay;
    const ImpBlock *b = imp_document_get_block(lay->doc, bi);
    ImpBlockKind kind = imp_block_get_kind(b);
    const ImpBlockPlan *p = &f->plans[bi];
    const ImpRoleStyle *rs = imp_style_get_role(lay->style, (ImpRole)p->role);
    guint first_entry = lay->entries->len;
    gboolean in_list = imp_block_get_list_depth(b) > 0;
    if (f->list_open && !in_list) /* a list ends: the text after it stands apart */
        f->pending_after = MAX(f->pending_after,
                               imp_style_get_role(lay->style, IMP_ROLE_BODY)->space_after);
    f->list_open = in_list;
    double space = MAX(f->pending_after, rs->space_before);

    if (kind != IMP_BLOCK_NOTICE)
        f->in_notice = FALSE; /* body text again: a later notice gets its own rule */
    switch (kind) {
    case IMP_BLOCK_TITLE:
    case IMP_BLOCK_SUBTITLE:
    case IMP_BLOCK_HEADING:
        imp__heading_add(f, bi, space);
        break;
    case IMP_BLOCK_CODE:
        imp__code_add(f, bi, space);
        break;
    case IMP_BLOCK_TABLE:
        imp__table_add(f, bi, space);
        break;
    case IMP_BLOCK_IMAGE:
        imp__image_add(f, bi, space);
        break;
    case IMP_BLOCK_RULE:
        add_rule(f, bi, space);
        break;
    case IMP_BLOCK_NOTICE:
        if (!f->in_notice) {
            /* the notice starts with a rule and stays together when it fits on a page */
            f->in_notice = TRUE;
            if (imp_style_get_document(lay->style)->notice_rule.thickness > 0) {
                add_notice_rule(f, bi, rs);
                space = 0;
            }
        }
        add_text(f, bi, space, TRUE);
        f->pending_after = rs->space_after;
        break;
    case IMP_BLOCK_TERM: {
        /* a term keeps with the first line of its description */
        guint n = add_text(f, bi, space, FALSE);
        if (n > 0)
            imp__entry_at(lay, lay->entries->len - 1)->keep_with_next = TRUE;
        f->pending_after = rs->space_after;
        break;
    }
    default: {
        guint n = add_text(f, bi, space, FALSE);
        if (kind == IMP_BLOCK_LIST_ITEM)
            imp__list_add_marker(f, bi, n > 0 ? first_entry : G_MAXUINT, space);
        f->pending_after = rs->space_after;
        break;
    }
    }
    if (lay->entries->len == first_entry)
        return; /* nothing set (an empty paragraph): nothing to keep or break */
    if (f->pending_break) {
        imp__entry_at(lay, first_entry)->break_before = TRUE;
        f->pending_break = FALSE;
    }
    if (is_heading_kind(kind))
        return; /* its own keeps: heading.c */
    /* what follows a heading keeps its first lines on the heading's page */
    for (guint k = first_entry; k < lay->entries->len && f->keep_lines > 0; k++) {
        ImpEntry *e = imp__entry_at(lay, k);
        e->keep_with_next = TRUE;
        if (e->height > 0)
            f->keep_lines--;
    }
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

    ImpFlow f = { 0 };
    f.lay = lay;
    f.n_blocks = imp_document_get_n_blocks(lay->doc);
    f.plans = g_new0(ImpBlockPlan, MAX(f.n_blocks, 1));
    f.jobs = g_array_new(FALSE, FALSE, sizeof(ImpParaJob));
    f.numbers = g_ptr_array_new_with_free_func(g_object_unref);
    f.tables = g_ptr_array_new_with_free_func(imp__table_plan_free);
    f.images = g_ptr_array_new();
    imp__headings_plan(&f);
    for (guint bi = 0; bi < f.n_blocks; bi++)
        plan_block(&f, bi);
    /* the paragraphs our breaker sets, in the order the add pass takes them: the body,
       then an every-page notice; they are set ahead on the workers */
    for (int pass = 0; pass < 2; pass++)
        for (guint bi = 0; bi < f.n_blocks; bi++) {
            gboolean deferred = bi >= foot_from && bi < foot_to;
            if (deferred == (pass == 1))
                plan_jobs(&f, bi);
        }
    imp__merge_start(lay, f.jobs);
    f.jobs = NULL; /* the merge's now */

    for (guint bi = 0; bi < f.n_blocks; bi++) {
        const ImpBlock *b = imp_document_get_block(lay->doc, bi);
        if (imp_block_get_kind(b) == IMP_BLOCK_PAGE_BREAK) {
            f.pending_break = TRUE;
            f.pending_after = 0;
        } else if (bi < foot_from || bi >= foot_to) {
            add_block(&f, bi);
        }
    }
    /* the last entry need not keep with anything after it */
    if (lay->entries->len > 0)
        imp__entry_at(lay, lay->entries->len - 1)->keep_with_next = FALSE;

    if (foot_to > foot_from) {
        guint first = lay->entries->len, first_item = lay->entry_items->len;
        f.pending_after = 0;
        f.pending_break = FALSE;
        f.keep_lines = 0;
        f.in_notice = FALSE;
        f.list_open = FALSE;
        for (guint bi = foot_from; bi < foot_to; bi++)
            add_block(&f, bi);
        lay->notice_height = imp__layout_place(lay, first, lay->entries->len, 0,
                                               lay->notice_items);
        for (guint k = 0; k < lay->notice_items->len; k++)
            g_array_index(lay->notice_items, ImpItem, k).flags |=
                IMP_ITEM_ARTIFACT | IMP_ITEM_REPEATED;
        g_array_set_size(lay->entries, first);
        g_array_set_size(lay->entry_items, first_item);
    }
    imp__merge_finish(lay);
    g_free(f.plans);
    g_ptr_array_free(f.numbers, TRUE);
    g_ptr_array_free(f.tables, TRUE);
    g_ptr_array_free(f.images, TRUE);
}
