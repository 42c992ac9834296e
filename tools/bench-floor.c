/* bench-floor.c — the yardstick of tools/bench: the least a program can do with Pango and
 * cairo to paginate a plain-text file into a PDF, so that imprint's time and memory can be
 * read as a multiple of what the stack itself costs.
 *
 * It does what any such program must, and nothing more:
 *  - reads the file; paragraphs are separated by blank lines (only spaces, tabs or a
 *    carriage return), and the lines of a paragraph are joined with a space;
 *  - lets Pango itemize, shape and break each paragraph: one layout, set to each
 *    paragraph in turn, in Noto Serif CJK SC 11 pt (the system's fontconfig), as wide as
 *    the text column of A4 with 2 cm margins, breaking between words, else anywhere;
 *  - places the lines down the page, 5.5 pt (half an em) between paragraphs, and starts
 *    a new page when the next line would pass the bottom margin;
 *  - draws each line with pango_cairo_show_layout_line() on a cairo PDF surface.
 * No running heads or page numbers, no justification, hyphenation, widow control or
 * language rules, no font setup, one thread. It prints the page count on standard error.
 *
 *   cc -O2 -o bench-floor tools/bench-floor.c $(pkg-config --cflags --libs pangocairo)
 *   bench-floor INPUT.txt OUTPUT.pdf
 *
 * Exit status: 0, 1 when the input cannot be read or the PDF not written, 2 for usage.
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define MM (72.0 / 25.4)   /* points per millimetre */
#define PAGE_WIDTH (210 * MM)
#define PAGE_HEIGHT (297 * MM)
#define MARGIN (20 * MM)
#define FONT "Noto Serif CJK SC 11"
#define PARAGRAPH_SPACE 5.5 /* points */

/* Where the next line goes. */
typedef struct {
    cairo_t *cr;
    double y;       /* top of the next line, in points from the top of the page */
    int pages;      /* pages begun */
    gboolean empty; /* nothing drawn on this page yet */
} Pager;

/* Sets one paragraph and draws its lines, turning the page where the next would not fit
 * (never on an empty page, so a line taller than the page still goes somewhere). */
static void set_paragraph(Pager *pg, PangoLayout *layout, const char *text, gsize len)
{
    pango_layout_set_text(layout, text, (int)len);
    if (!pg->empty)
        pg->y += PARAGRAPH_SPACE;
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    do {
        int top, bottom;
        pango_layout_iter_get_line_yrange(iter, &top, &bottom);
        double height = pango_units_to_double(bottom - top);
        if (!pg->empty && pg->y + height > PAGE_HEIGHT - MARGIN) {
            cairo_show_page(pg->cr);
            pg->pages++;
            pg->y = MARGIN;
            pg->empty = TRUE;
        }
        double ascent = pango_units_to_double(pango_layout_iter_get_baseline(iter) - top);
        cairo_move_to(pg->cr, MARGIN, pg->y + ascent);
        pango_cairo_show_layout_line(pg->cr, pango_layout_iter_get_line_readonly(iter));
        pg->y += height;
        pg->empty = FALSE;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

/* Whether the line [p, end) holds only spaces, tabs and carriage returns. */
static gboolean is_blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return FALSE;
    return TRUE;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT.txt OUTPUT.pdf\n", argv[0]);
        return 2;
    }
    char *text;
    gsize len;
    GError *error = NULL;
    if (!g_file_get_contents(argv[1], &text, &len, &error)) {
        fprintf(stderr, "bench-floor: %s\n", error->message);
        return 1;
    }

    cairo_surface_t *surface = cairo_pdf_surface_create(argv[2], PAGE_WIDTH, PAGE_HEIGHT);
    Pager pg = { cairo_create(surface), MARGIN, 1, TRUE };
    /* the context takes the PDF surface's font options; at 72 dpi a point is a unit */
    PangoContext *context = pango_cairo_create_context(pg.cr);
    pango_cairo_context_set_resolution(context, 72.0);
    PangoLayout *layout = pango_layout_new(context);
    PangoFontDescription *font = pango_font_description_from_string(FONT);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, pango_units_from_double(PAGE_WIDTH - 2 * MARGIN));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);

    GString *para = g_string_sized_new(4096);
    for (const char *line = text, *end = text + len; line < end;) {
        const char *nl = memchr(line, '\n', (gsize)(end - line));
        const char *stop = nl != NULL ? nl : end;
        if (is_blank(line, stop)) {
            if (para->len > 0)
                set_paragraph(&pg, layout, para->str, para->len);
            g_string_truncate(para, 0);
        } else {
            if (para->len > 0)
                g_string_append_c(para, ' ');
            g_string_append_len(para, line, stop - line);
        }
        line = nl != NULL ? nl + 1 : end;
    }
    if (para->len > 0)
        set_paragraph(&pg, layout, para->str, para->len);
    cairo_show_page(pg.cr);

    g_string_free(para, TRUE);
    pango_font_description_free(font);
    g_object_unref(layout);
    g_object_unref(context);
    cairo_destroy(pg.cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    g_free(text);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "bench-floor: %s: %s\n", argv[2], cairo_status_to_string(status));
        return 1;
    }
    fprintf(stderr, "pages: %d\n", pg.pages);
    return 0;
}
