/* render.c — draws an ImpLayout with cairo: one page loop, back-ends in a table.
 *
 * A back-end creates its surface for a page size, says whether it draws every page (PDF)
 * or one (PNG, SVG), prepares a page (PNG paints its white background), finishes a page
 * (PNG writes its image then), and, where the format has them, sets the document's
 * metadata, labels pages and carries structure (PDF: tags, links and the outline, see
 * tags.c and links.c). The page loop knows no format. Bytes leave through the caller's
 * write callback.
 *
 * A structured page is drawn in the order tags.c gives: the furniture under its content
 * (tints), its content in reading order, each item inside its structure element and,
 * where an element holds links or runs in another language, each run of glyphs inside
 * its own, then the rest of its furniture (each part of the furniture as one group when
 * artifacts are to be marked). Other formats draw the items in the layout's order.
 *
 * Determinism: cairo 1.16 writes the current time as the PDF creation date unless told, so
 * the creation date is always set from the options (SOURCE_DATE_EPOCH in the CLI).
 *
 * Invariants:
 *  1. The layout is only read (imp_layout_get_items()); each render keeps its own state
 *     (the surface, the structure, a scratch glyph string), so renders may follow one
 *     another in any order.
 *  2. No format is named outside the back-end table.
 *  3. Items do not overlap but for tints under text, which are furniture drawn first in
 *     either order: a page looks the same whatever order its items are drawn in.
 */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "../util/error.h"
#include "render-private.h"

typedef struct {
    ImpWriteFunc write;
    gpointer user_data;
    gboolean failed;
    gboolean pdf;       /* a PDF: cairo reads each CFF face whole (fontpages.c) */
    gboolean finishing; /* cairo is embedding the fonts: their files' pages go back */
    gsize since_check;  /* bytes written since they were last looked at */
    gsize font_mark;    /* file-backed resident pages after the last release */
    const ImpRenderOptions *options;
} Sink;

/* While the surface is finished, the font files' resident pages are looked at every this
 * many bytes of output (fontpages.c). */
#define FONT_PAGES_EVERY (64 * 1024)

/* Passes bytes to the caller's write function. After its first failure the rest is
 * dropped and the failure reported when the render ends: cairo 1.16 is told nothing,
 * because a PDF stream that fails on its first write crashes it in cairo_surface_finish. */
static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    Sink *sink = closure;
    if (!sink->failed && !sink->write(sink->user_data, data, len))
        sink->failed = TRUE;
    if (sink->finishing && (sink->since_check += len) >= FONT_PAGES_EVERY) {
        imp__font_pages_check(&sink->font_mark);
        sink->since_check = 0;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* An output format: how its surface is made and what it does around each page. */
typedef struct {
    const char *name;
    gboolean all_pages;     /* every page; else the one options->page names */
    cairo_surface_t *(*create)(Sink *sink, double w, double h, const ImpRenderOptions *o);
    /* before a page is drawn; NULL: nothing */
    void (*begin_page)(cairo_t *cr);
    /* after it is drawn: PNG writes its image here */
    cairo_status_t (*finish_page)(cairo_surface_t *s, cairo_t *cr, Sink *sink);
    /* the document's metadata; NULL: the format has none */
    void (*set_metadata)(cairo_surface_t *s, const ImpDocument *doc, const ImpRenderOptions *o);
    /* labels the page about to be drawn with its number in the layout (a PDF of pages
       from the second on); NULL: no labels */
    void (*label_page)(cairo_surface_t *s, guint page_no);
    /* the format has a structure tree, links and an outline (tags.c, links.c) */
    gboolean structured;
} Backend;

static void set_pdf_metadata(cairo_surface_t *s, const ImpDocument *doc,
                             const ImpRenderOptions *o);

static cairo_surface_t *pdf_create(Sink *sink, double w, double h, const ImpRenderOptions *o)
{
    (void)o;
    return cairo_pdf_surface_create_for_stream(sink_write, sink, w, h);
}

/* PDF and SVG: the page is done. */
static cairo_status_t vector_finish_page(cairo_surface_t *s, cairo_t *cr, Sink *sink)
{
    (void)s;
    (void)sink;
    cairo_show_page(cr);
    return cairo_status(cr);
}

/* PDF: the page's label is its number in the layout (/PageLabels, decimal). */
static void pdf_label_page(cairo_surface_t *s, guint page_no)
{
    char label[16];
    g_snprintf(label, sizeof label, "%u", page_no);
    cairo_pdf_surface_set_page_label(s, label);
}

static cairo_surface_t *svg_create(Sink *sink, double w, double h, const ImpRenderOptions *o)
{
    (void)o;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(sink_write, sink, w, h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    return s;
}

/* Grows scratch memory; see render-private.h. */
void imp__buffer_ensure(gpointer *buffer, gsize *capacity, gsize size)
{
    if (*capacity < size) {
        g_free(*buffer);
        *buffer = g_malloc(size);
        *capacity = size;
    }
}

ImpRenderScratch *imp__render_scratch_new(void)
{
    return g_new0(ImpRenderScratch, 1);
}

void imp__render_scratch_free(ImpRenderScratch *scratch)
{
    if (scratch == NULL)
        return;
    g_free(scratch->data);
    imp__png_writer_free(scratch->png);
    g_free(scratch);
}

/* PNG: an RGB image at the options' resolution, in the scratch buffer when there is one
 * (its old pixels are painted over, png_begin_page). */
static cairo_surface_t *png_create(Sink *sink, double w, double h, const ImpRenderOptions *o)
{
    (void)sink;
    double scale = (o->dpi > 0 ? o->dpi : 150.0) / 72.0;
    int pw = MAX((int)(w * scale + 0.5), 1), ph = MAX((int)(h * scale + 0.5), 1);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pw);
    ImpRenderScratch *scratch = o->scratch;
    cairo_surface_t *s;
    if (scratch != NULL && stride > 0) {
        imp__buffer_ensure((gpointer *)&scratch->data, &scratch->size,
                           (gsize)stride * (gsize)ph);
        s = cairo_image_surface_create_for_data(scratch->data, CAIRO_FORMAT_RGB24, pw, ph,
                                                stride);
    } else {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    }
    cairo_surface_set_device_scale(s, scale, scale);
    return s;
}

/* PNG: an image starts black; paper is white. */
static void png_begin_page(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}

/* PNG: the page is done; its image goes out (png.c). */
static cairo_status_t png_finish_page(cairo_surface_t *s, cairo_t *cr, Sink *sink)
{
    (void)cr;
    ImpRenderScratch *scratch = sink->options->scratch;
    if (scratch != NULL && scratch->png == NULL)
        scratch->png = imp__png_writer_new();
    return imp__png_write(s, sink->options->png_round_bits,
                          scratch != NULL ? scratch->png : NULL, sink_write, sink);
}

static const Backend backends[] = {
    [IMP_FORMAT_PDF] = { "PDF", TRUE, pdf_create, NULL, vector_finish_page, set_pdf_metadata,
                         pdf_label_page, TRUE },
    [IMP_FORMAT_PNG] = { "PNG", FALSE, png_create, png_begin_page, png_finish_page, NULL,
                         NULL, FALSE },
    [IMP_FORMAT_SVG] = { "SVG", FALSE, svg_create, NULL, vector_finish_page, NULL, NULL,
                         FALSE },
};

/* Sets the defaults; see render.h. */
void imp__render_options_init(ImpRenderOptions *options)
{
    g_return_if_fail(options != NULL);
    memset(options, 0, sizeof *options);
    options->format = IMP_FORMAT_PDF;
    options->creation_time = -1;
    options->page = 1;
    options->dpi = 150;
    options->creator = NULL;
    options->page_done = NULL;
    options->before_finish = NULL;
    options->hook_data = NULL;
    options->tagged = TRUE;
    options->mark_artifacts = FALSE;
    options->elements = NULL;
    options->scratch = NULL;
    options->png_round_bits = 0;
    options->watch_font_pages = TRUE;
}

/* The output format a file name asks for. */
ImpFormat imp_format_from_filename(const char *filename)
{
    if (filename != NULL) {
        const char *dot = strrchr(filename, '.');
        if (dot != NULL && g_ascii_strcasecmp(dot, ".png") == 0)
            return IMP_FORMAT_PNG;
        if (dot != NULL && g_ascii_strcasecmp(dot, ".svg") == 0)
            return IMP_FORMAT_SVG;
    }
    return IMP_FORMAT_PDF;
}

/* PDF metadata: title, subject (the section), author, creator and dates. */
static void set_pdf_metadata(cairo_surface_t *s, const ImpDocument *doc,
                             const ImpRenderOptions *o)
{
    const char *title = imp_document_get_meta(doc, IMP_META_TITLE);
    const char *section = imp_document_get_meta(doc, IMP_META_SECTION);
    const char *author = imp_document_get_meta(doc, IMP_META_AUTHOR);
    if (author == NULL)
        author = imp_document_get_meta(doc, IMP_META_SITE);
    if (title)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    if (section)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, section);
    if (author)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                   o->creator ? o->creator : "imprint " IMP_VERSION);
    if (o->creation_time >= 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(o->creation_time);
        if (dt != NULL) {
            char *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
            g_free(iso);
            g_date_time_unref(dt);
        }
    }
}

static void set_rgb(cairo_t *cr, guint32 c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
                         (c & 0xff) / 255.0);
}

/* ---- Glyphs no font has ----
 *
 * pango_cairo draws a glyph no font has (PANGO_GLYPH_UNKNOWN_FLAG) as a box with the
 * character's code in hex digits, drawn as text: the PDF text layer then holds "E000"
 * where the input held U+E000, and the character itself is lost. A run holding such a
 * glyph is drawn here instead, with cairo_show_text_glyphs and clusters built from its log
 * clusters, the missing glyph shown as the font's .notdef glyph (an empty box). The glyph
 * is put down twice at the same place: cairo maps a cluster of one glyph through the
 * font's ToUnicode table, which leaves out .notdef, and a cluster of two through
 * ActualText, which carries the character. Runs without such a glyph are drawn by
 * pango_cairo as before. The layout reports the characters (missing.c). */

/* Whether gs holds a glyph that no font has (imp_glyph_is_missing). */
static gboolean has_unknown(const PangoGlyphString *gs)
{
    for (int g = 0; g < gs->num_glyphs; g++)
        if ((gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
            imp_glyph_is_missing(gs->glyphs[g].glyph))
            return TRUE;
    return FALSE;
}

/* Draws glyph item gi (text: the paragraph it indexes into) with its left end at (x, y),
 * missing glyphs as .notdef with their characters in the text layer (see above). */
static void show_run_notdef(cairo_t *cr, const char *text, const PangoGlyphItem *gi, double x,
                            double y)
{
    const PangoGlyphString *gs = gi->glyphs;
    const PangoItem *item = gi->item;
    int n = gs->num_glyphs;
    gboolean rtl = item->analysis.level & 1;
    cairo_glyph_t *glyphs = g_new(cairo_glyph_t, 2 * (gsize)n + 1);
    cairo_text_cluster_t *clusters = g_new(cairo_text_cluster_t, (gsize)n + 1);
    int *count = g_new(int, (gsize)n + 1); /* cairo glyphs put down for glyph g: 0 to 2 */
    int n_out = 0, n_clusters = 0;
    double gx = x;
    for (int g = 0; g < n; g++) { /* visual order */
        const PangoGlyphInfo *info = &gs->glyphs[g];
        gboolean unknown = imp_glyph_is_missing(info->glyph);
        cairo_glyph_t cg = { unknown ? 0 : info->glyph,
                             gx + info->geometry.x_offset / (double)PANGO_SCALE,
                             y + info->geometry.y_offset / (double)PANGO_SCALE };
        /* nothing for an empty glyph or the unknown glyph of a control or a space, as
           pango_cairo */
        count[g] = unknown ? 2
                   : (info->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || info->glyph == PANGO_GLYPH_EMPTY
                       ? 0
                       : 1;
        for (int k = 0; k < count[g]; k++)
            glyphs[n_out++] = cg;
        gx += info->geometry.width / (double)PANGO_SCALE;
    }
    for (int k = 0; k < n;) { /* clusters in logical order */
        int lc = gs->log_clusters[rtl ? n - 1 - k : k];
        int num = 0;
        for (; k < n && gs->log_clusters[rtl ? n - 1 - k : k] == lc; k++)
            num += count[rtl ? n - 1 - k : k];
        int next = k < n ? gs->log_clusters[rtl ? n - 1 - k : k] : item->length;
        clusters[n_clusters].num_bytes = next - lc;
        clusters[n_clusters].num_glyphs = num;
        n_clusters++;
    }
    cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(
                                  PANGO_CAIRO_FONT(item->analysis.font)));
    cairo_show_text_glyphs(cr, text + item->offset, item->length, glyphs, n_out, clusters,
                           n_clusters, rtl ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : 0);
    g_free(glyphs);
    g_free(clusters);
    g_free(count);
}

/* Draws glyph item gi with its left end at (x, y) in the current colour: by pango_cairo,
 * or by show_run_notdef when a glyph is missing. */
static void show_run(cairo_t *cr, const char *text, PangoGlyphItem *gi, double x, double y)
{
    if (gi->item->analysis.font != NULL && has_unknown(gi->glyphs)) {
        show_run_notdef(cr, text, gi, x, y);
        return;
    }
    cairo_move_to(cr, x, y);
    pango_cairo_show_glyph_item(cr, text, gi);
}

/* Draws an underline under a run of width w at (x, y) in its font's position and thickness. */
static void draw_underline(cairo_t *cr, const PangoAnalysis *analysis, double x, double y,
                           double w)
{
    PangoFontMetrics *m = pango_font_get_metrics(analysis->font, analysis->language);
    double pos = pango_font_metrics_get_underline_position(m) / (double)PANGO_SCALE;
    double th = pango_font_metrics_get_underline_thickness(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
    cairo_rectangle(cr, x, y - pos, w, MAX(th, 0.4));
    cairo_fill(cr);
}

/* Whether a line of a PangoLayout holds a glyph no font has. */
static gboolean line_has_unknown(PangoLayoutLine *line)
{
    for (GSList *r = line->runs; r != NULL; r = r->next)
        if (has_unknown(((PangoGlyphItem *)r->data)->glyphs))
            return TRUE;
    return FALSE;
}

/* What draws one page's items: the context, a scratch glyph item for our own lines, and,
 * for a structured PDF, the structure, which wants to hear of each run (`runs`) when the
 * item's element holds runs of different kinds. */
typedef struct {
    cairo_t *cr;
    PangoGlyphItem *scratch;
    ImpTags *tags;   /* NULL: not structured */
    gboolean runs;   /* call imp__tags_run() before each run of the item being drawn */
} Painter;

/* Draws a line of a PangoLayout run by run (see show_run), each in the colour, underline
 * and strikethrough its attributes ask for: for a line that holds a missing glyph, which
 * pango_cairo_show_layout_line would draw as hex digits, and for a line whose runs go
 * into different structure elements. */
static void draw_layout_line_runs(Painter *pt, const ImpItem *it, PangoLayoutLine *line,
                                  double x, double y)
{
    cairo_t *cr = pt->cr;
    const char *text = pango_layout_get_text(line->layout);
    for (GSList *r = line->runs; r != NULL; r = r->next) {
        PangoGlyphItem *gi = r->data;
        guint32 color = 0;
        gboolean underline = FALSE, strike = FALSE;
        for (GSList *l = gi->item->analysis.extra_attrs; l != NULL; l = l->next) {
            const PangoAttribute *a = l->data;
            if (a->klass->type == PANGO_ATTR_FOREGROUND) {
                const PangoColor *c = &((const PangoAttrColor *)a)->color;
                color = (guint32)(c->red >> 8) << 16 | (guint32)(c->green >> 8) << 8 |
                        (guint32)(c->blue >> 8);
            } else if (a->klass->type == PANGO_ATTR_UNDERLINE) {
                underline = ((const PangoAttrInt *)a)->value != PANGO_UNDERLINE_NONE;
            } else if (a->klass->type == PANGO_ATTR_STRIKETHROUGH) {
                strike = ((const PangoAttrInt *)a)->value != 0;
            }
        }
        double w = pango_glyph_string_get_width(gi->glyphs) / (double)PANGO_SCALE;
        if (pt->runs)
            imp__tags_run(pt->tags, it, text, (guint)gi->item->offset, x, x + w, y);
        set_rgb(cr, color);
        show_run(cr, text, gi, x, y);
        if (underline && gi->item->analysis.font != NULL)
            draw_underline(cr, &gi->item->analysis, x, y, w);
        if (strike && gi->item->analysis.font != NULL) {
            PangoFontMetrics *m = pango_font_get_metrics(gi->item->analysis.font,
                                                         gi->item->analysis.language);
            double pos = pango_font_metrics_get_strikethrough_position(m) / (double)PANGO_SCALE;
            double th = pango_font_metrics_get_strikethrough_thickness(m) / (double)PANGO_SCALE;
            pango_font_metrics_unref(m);
            cairo_rectangle(cr, x, y - pos, w, MAX(th, 0.4));
            cairo_fill(cr);
        }
        x += w;
    }
}

/* Draws a line set by the layout's own breaker: each run with its text (so the PDF text
 * layer keeps the characters, clusters and all), its colour and underline, then the hyphen
 * if the line was hyphenated. The hyphen is shown as the text "-" at the line's end, which
 * is what text extractors (pdftotext, viewers' search) take as a discretionary hyphen and
 * remove, joining the word's two parts back into one; drawn without text, the parts would
 * come out as two words. */
static void draw_glyph_line(Painter *pt, const ImpItem *it)
{
    cairo_t *cr = pt->cr;
    const ImpGlyphLine *line = it->glyphs;
    PangoGlyphItem *scratch = pt->scratch;
    double x = it->x, y = it->y;
    for (guint i = 0; i < line->n_runs; i++) {
        const ImpRunStyle *rs = line->runs[i].style;
        imp_glyph_line_fill_run(line, i, scratch->item, scratch->glyphs);
        double w = pango_glyph_string_get_width(scratch->glyphs) / (double)PANGO_SCALE;
        if (pt->runs)
            imp__tags_run(pt->tags, it, line->text, line->runs[i].offset, x, x + w, y);
        set_rgb(cr, rs->color);
        show_run(cr, line->text, scratch, x, y);
        if (rs->underline)
            draw_underline(cr, &rs->analysis, x, y, w);
        x += w;
    }
    if (line->hyphen != NULL && line->hyphen->num_glyphs > 0) {
        /* all of the hyphen's glyphs form one cluster whose text is "-" */
        PangoGlyphString *gs = line->hyphen;
        cairo_glyph_t *glyphs = g_new(cairo_glyph_t, gs->num_glyphs);
        double gx = x;
        for (int g = 0; g < gs->num_glyphs; g++) {
            const PangoGlyphGeometry *geo = &gs->glyphs[g].geometry;
            glyphs[g].index = gs->glyphs[g].glyph;
            glyphs[g].x = gx + geo->x_offset / (double)PANGO_SCALE;
            glyphs[g].y = y + geo->y_offset / (double)PANGO_SCALE;
            gx += geo->width / (double)PANGO_SCALE;
        }
        cairo_text_cluster_t cluster = { 1, gs->num_glyphs };
        set_rgb(cr, line->hyphen_style->color);
        cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(
                                      PANGO_CAIRO_FONT(line->hyphen_style->analysis.font)));
        cairo_show_text_glyphs(cr, "-", 1, glyphs, gs->num_glyphs, &cluster, 1, 0);
        g_free(glyphs);
    }
}

/* Draws one item. */
static void draw_item(Painter *pt, const ImpItem *it)
{
    cairo_t *cr = pt->cr;
    switch ((ImpItemKind)it->kind) {
    case IMP_ITEM_TEXT:
        cairo_set_source_rgb(cr, 0, 0, 0);
        if (pt->runs || line_has_unknown(it->line)) {
            draw_layout_line_runs(pt, it, it->line, it->x, it->y);
            break;
        }
        cairo_move_to(cr, it->x, it->y);
        pango_cairo_show_layout_line(cr, it->line);
        break;
    case IMP_ITEM_GLYPHS:
        draw_glyph_line(pt, it);
        break;
    case IMP_ITEM_RULE:
        set_rgb(cr, it->color);
        cairo_set_line_width(cr, it->thickness);
        cairo_move_to(cr, it->x, it->y);
        cairo_line_to(cr, it->x + it->width, it->y);
        cairo_stroke(cr);
        break;
    case IMP_ITEM_BOX:
        set_rgb(cr, it->color);
        cairo_rectangle(cr, it->x, it->y, it->width, it->thickness);
        cairo_fill(cr);
        break;
    case IMP_ITEM_IMAGE:
        imp__render_image(cr, it);
        break;
    case IMP_ITEM_ANCHOR: /* the outline and destinations: tags.c, links.c */
    case IMP_ITEM_LINK:   /* the annotations: tags.c, links.c */
        break;
    }
}

/* Draws one page's items in the layout's order (formats without structure). */
static void draw_page(Painter *pt, const ImpItem *items, guint n)
{
    for (guint i = 0; i < n; i++)
        draw_item(pt, &items[i]);
}

/* Draws items order[from, to) of a page's furniture, as one group when it is to be marked
 * as an artifact. */
static void draw_furniture(Painter *pt, const ImpItem *items, const guint *order, guint from,
                           guint to, gboolean mark_artifacts)
{
    if (from == to)
        return;
    pt->runs = FALSE;
    if (mark_artifacts)
        cairo_push_group(pt->cr);
    for (guint k = from; k < to; k++)
        draw_item(pt, &items[order[k]]);
    if (mark_artifacts) {
        cairo_pop_group_to_source(pt->cr);
        cairo_paint(pt->cr);
        cairo_set_source_rgb(pt->cr, 0, 0, 0);
    }
}

/* Draws page `page` of a structured PDF: the furniture under the content, the content item
 * by item in its structure elements, the furniture over it; `last`: the last page drawn. */
static void draw_structured_page(Painter *pt, const ImpItem *items, guint n, guint page,
                                 gboolean last, gboolean mark_artifacts)
{
    guint n_under, n_over;
    const guint *order = imp__tags_page_begin(pt->tags, page, items, n, &n_under, &n_over);
    draw_furniture(pt, items, order, 0, n_under, mark_artifacts);
    for (guint k = n_under; k < n - n_over; k++) {
        const ImpItem *it = &items[order[k]];
        pt->runs = imp__tags_item(pt->tags, it);
        draw_item(pt, it);
    }
    pt->runs = FALSE;
    imp__tags_page_end(pt->tags, last);
    draw_furniture(pt, items, order, n - n_over, n, mark_artifacts);
}

/* Draws the layout with the chosen back-end; see render.h. */
gboolean imp__render(const ImpLayout *layout, const ImpRenderOptions *options,
                     ImpWriteFunc write, gpointer user_data, GError **error)
{
    g_return_val_if_fail(layout != NULL && options != NULL && write != NULL, FALSE);
    g_return_val_if_fail(options->format <= IMP_FORMAT_SVG, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    const Backend *be = &backends[options->format];
    guint n_pages = imp_layout_get_n_pages(layout);
    guint page = options->page == 0 ? 1 : options->page;
    guint end = !be->all_pages ? page : options->last_page == 0 ? n_pages : options->last_page;
    g_return_val_if_fail(end >= page, FALSE);
    if (end > n_pages) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "page %u requested, but the document has %u page%s",
                    page > n_pages ? page : end, n_pages, n_pages == 1 ? "" : "s");
        return FALSE;
    }
    guint first = page - 1, last = end;
    for (guint p = first; p < last; p++)
        if (imp_layout_get_items(layout, p, NULL) == NULL) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "cannot write the %s: page %u was released before it was drawn",
                        be->name, p + 1);
            return FALSE;
        }
    double w, h;
    imp_layout_get_page_size(layout, &w, &h);
    gboolean pdf = options->format == IMP_FORMAT_PDF;
    Sink sink = { write, user_data, FALSE, pdf, FALSE, 0, pdf ? imp__font_pages_mark() : 0,
                  options };
    ImpFontWatch *watch = pdf && options->watch_font_pages ? imp__font_pages_watch() : NULL;
    cairo_surface_t *surface = be->create(&sink, w, h, options);
    if (be->set_metadata != NULL)
        be->set_metadata(surface, imp_layout_get_document(layout), options);
    cairo_t *cr = cairo_create(surface);
    /* one item and glyph string, refilled for every run drawn */
    PangoItem scratch_item = { 0 };
    PangoGlyphItem scratch = { &scratch_item, pango_glyph_string_new(), 0, 0, 0 };
    Painter pt = { cr, &scratch, NULL, FALSE };
    if (be->structured)
        pt.tags = imp__tags_new(cr, layout, first, last, options);
    cairo_status_t status = cairo_status(cr);
    guint released = G_MAXUINT;
    for (guint p = first; p < last && status == CAIRO_STATUS_SUCCESS; p++) {
        guint n;
        const ImpItem *items = imp_layout_get_items(layout, p, &n);
        if (items == NULL) {
            released = p;
            break;
        }
        if (be->begin_page != NULL)
            be->begin_page(cr);
        /* cairo 1.16 writes a page label only where the numbering breaks, so a PDF that
           starts at page 1 would get an empty /PageLabels tree, which must have page 0:
           such a PDF has none (readers number it from 1), and the finish stage adds it */
        if (be->label_page != NULL && first > 0)
            be->label_page(surface, p + 1);
        if (pt.tags != NULL) {
            draw_structured_page(&pt, items, n, p, p + 1 == last, options->mark_artifacts);
        } else {
            draw_page(&pt, items, n);
        }
        status = be->finish_page(surface, cr, &sink);
        if (sink.pdf)
            imp__font_pages_check(&sink.font_mark);
        if (options->page_done != NULL)
            options->page_done(p, options->hook_data);
    }
    imp__tags_free(pt.tags);
    pango_glyph_string_free(scratch.glyphs);
    cairo_destroy(cr);
    if (released == G_MAXUINT && options->before_finish != NULL)
        options->before_finish(options->hook_data);
    if (sink.pdf)
        imp__font_pages_check(&sink.font_mark);
    sink.finishing = sink.pdf;
    cairo_surface_finish(surface);
    imp__font_pages_unwatch(watch);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (released != G_MAXUINT) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "cannot write the %s: page %u was released before it was drawn",
                    be->name, released + 1);
        return FALSE;
    }
    if (status != CAIRO_STATUS_SUCCESS || sink.failed) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "cannot write the %s: %s", be->name,
                    sink.failed ? "write error" : cairo_status_to_string(status));
        return FALSE;
    }
    return TRUE;
}
