/* pages.c — the staged path, for programs that want the pages: read a file, choose its
 * style as the imprint command would, lay it out once, then render it several ways from
 * the same layout: every page as a PDF, the first page as a PNG, the last as a one-page
 * PDF. Findings (the style chosen, characters no font can show) are printed as they come.
 *
 *   cc pages.c $(pkg-config --cflags --libs imprint) -o pages
 *   ./pages INPUT OUTDIR      writes OUTDIR/all.pdf, OUTDIR/first.png, OUTDIR/last.pdf
 */
#include <imprint/imprint.h>
#include <stdio.h>

/* Prints a finding as the imprint command does with --verbose. */
static void print_finding(ImpDiagLevel level, const char *file, guint line,
                          const char *message, gpointer user_data)
{
    (void)user_data;
    const char *kind = level == IMP_DIAG_WARNING ? "warning: " : "";
    if (file != NULL && line > 0)
        fprintf(stderr, "pages: %s:%u: %s%s\n", file, line, kind, message);
    else if (file != NULL)
        fprintf(stderr, "pages: %s: %s%s\n", file, kind, message);
    else
        fprintf(stderr, "pages: %s%s\n", kind, message);
}

/* Renders `layout` into OUTDIR/NAME with `options`, or says why not. */
static gboolean render(ImpLayout *layout, const char *dir, const char *name,
                       const ImpOptions *options)
{
    GError *error = NULL;
    char *path = g_build_filename(dir, name, NULL);
    gboolean ok = imp_render_to_file(layout, path, options, &error);
    if (ok)
        printf("wrote %s\n", path);
    else
        fprintf(stderr, "pages: %s\n", error->message);
    g_clear_error(&error);
    g_free(path);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: pages INPUT OUTDIR\n");
        return 2;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(ImpOptions) options = imp_options_new();
    imp_options_set_diag_func(options, print_finding, NULL);
    /* a fixed creation date: the same input gives the same bytes */
    imp_options_set_creation_time(options, 1700000000, NULL);

    g_autoptr(ImpContext) ctx = imp_context_new(NULL, &error);
    char *text = NULL;
    gsize len = 0;
    if (ctx == NULL || !g_file_get_contents(argv[1], &text, &len, &error)) {
        fprintf(stderr, "pages: %s\n", error->message);
        return 1;
    }
    g_autoptr(GBytes) input = g_bytes_new_take(text, len);

    /* read → style → layout: each step may fail with a message naming the file */
    g_autoptr(ImpStyle) style = imp_style_new_for_input(ctx, input, options, &error);
    g_autoptr(ImpDocument) doc =
        style ? imp_read_bytes(ctx, input, argv[1], style, options, &error) : NULL;
    g_autoptr(ImpLayout) layout = doc ? imp_layout_new(ctx, doc, style, options, &error) : NULL;
    if (layout == NULL) {
        fprintf(stderr, "pages: %s\n", error->message);
        return 1;
    }
    guint n = imp_layout_get_n_pages(layout);
    double width, height;
    imp_layout_get_page_size(layout, &width, &height);
    printf("%s: style %s, %u page%s of %.0f x %.0f pt\n", argv[1], imp_style_get_name(style),
           n, n == 1 ? "" : "s", width, height);

    /* the same layout, three times */
    gboolean ok = render(layout, argv[2], "all.pdf", options);
    g_autoptr(ImpOptions) first = imp_options_copy(options);
    imp_options_set_pages(first, 0, 1);
    imp_options_set_dpi(first, 60, NULL);
    ok = render(layout, argv[2], "first.png", first) && ok;
    g_autoptr(ImpOptions) last = imp_options_copy(options);
    imp_options_set_pages(last, n - 1, 1);
    ok = render(layout, argv[2], "last.pdf", last) && ok;
    return ok ? 0 : 1;
}
