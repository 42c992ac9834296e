/* pipeline.h — what the pipeline's files share: the context and options structs, the run
 * of one call, and the steps of the staged path that the one-call path strings together.
 *
 * The pipeline is the top floor of the library: the policy a program would otherwise copy
 * from the imprint command (which style, which reading rules, which format for a file
 * name, which outputs to refuse) and the order of the stages. Its public face is
 * <imprint/imprint.h>; the stages below it (read, style, layout, render) know nothing of
 * it.
 *
 * Invariants:
 *  1. The one-call functions are the staged steps below in a row, so they give the same
 *     bytes as a program that calls the staged functions with the same options.
 *  2. The pipeline touches no process-wide state: it reads no environment variable but
 *     IMPRINT_DATADIR (for a context made without a folder), sets no signal handler but
 *     when asked (imp_clean_up_on_signals()), changes no umask, locale or directory.
 */
#ifndef IMP_PIPELINE_H
#define IMP_PIPELINE_H

#include <imprint/imprint.h>

#include "../finish/finish.h"
#include "../layout/layout.h"
#include "../read/read.h"
#include "../render/render.h"
#include "../style/style.h"
#include "../util/diag.h"
#include "../util/file.h"

G_BEGIN_DECLS

/* The most worker threads a layout starts, whatever is asked: more than the cores only
 * costs memory (each has its own Pango context), and thousands exhaust it. */
#define IMP_JOBS_MAX 64

/* The most pixels a PNG may have: 150 million, 600 MB of image (A4 up to 1245 dpi). */
#define IMP_PNG_MAX_PIXELS 150e6

struct ImpContext {
    char *data_dir;
    char *styles_dir;
    const char *style_dirs[2];  /* { styles_dir, NULL }, as the style stage takes them */
    char *fonts_conf;
    GPtrArray *font_dirs;       /* char*, NULL-terminated: imp_context_add_font_dir()'s */
    ImpFonts *fonts;            /* loaded on the first layout; NULL until then */
    ImpContextFlags flags;
    const ImpStyleDetector *detector; /* the site styles' detect rules: `own_detector`, made
                                         on the first detection, or a batch's (shared) */
    ImpStyleDetector *own_detector;
    GHashTable *site_styles;    /* name → ImpStyle*, site styles loaded for their reading
                                   rules (no overrides), kept for the next call */
};

struct ImpOptions {
    char *style;                /* NULL: detect, else "default" */
    GPtrArray *overrides;       /* of char*, NULL-terminated: the style stage's form */
    ImpInputFormat input_format;
    char *encoding;
    char *meta[IMP_N_META];     /* overrides; "" removes, NULL leaves the reader's */
    gboolean meta_set[IMP_N_META];
    gboolean format_set;
    ImpFormat format;
    guint first_page, n_pages;  /* 0-based first; 0 pages: to the last */
    double dpi;                 /* 0: 150 */
    int jobs;                   /* 0: one per core; capped */
    gboolean strict;
    gboolean follow_symlinks;   /* write through a link at the output path */
    gboolean creation_time_set;
    gint64 creation_time;
    ImpDiagFunc diag_func;
    gpointer diag_data;
    ImpFinishFunc finish_func;
    gpointer finish_data;
    ImpProgressFunc progress_func;
    gpointer progress_data;
    char *pdf_standard;         /* --pdf-standard, checked; NULL: the style's */
    GPtrArray *attachments;     /* of char*: --attach files; NULL: none */
    gboolean untagged;          /* --no-pdf-tags: no structure tree */
};

/* Where the stages' progress goes (progress.c): counters any thread adds to atomically,
 * and for a one-document call the options' function, called from the calling thread at
 * most ten times a second. A batch reads the counters from its own thread instead. */
typedef struct ImpProgressSink_ {
    gint pages_set, pages_drawn, pages_to_draw, documents_set; /* atomic */
    ImpProgressFunc func;       /* one-document calls; NULL in a batch */
    gpointer data;
    gint64 start, last;         /* g_get_monotonic_time() of the start, of the last call */
    struct ImpProgressSink_ *drawn_to; /* also counts pages drawn and to draw there (a
                                          batch's share of a document's pages) */
} ImpProgressSink;

/* One call of the library: its options and its findings. The stages report through
 * `diag`, which counts the warnings (for strict mode) and passes everything on to the
 * options' callback. */
typedef struct {
    const ImpOptions *options;  /* never NULL: the defaults when the caller gave none */
    ImpDiag diag;
    guint warnings;
    gboolean detected;          /* site detection has run on this input ... */
    char *site;                 /* ... and found this site style (NULL: none) */
    ImpProgressSink *progress;  /* NULL: nobody asked */
    guint layout_pages;         /* pages the layout has reported finished so far */
    ImpProgressSink own_progress; /* the one-document calls' sink */
    ImpRenderScratch *scratch; /* PNG pixels kept between documents (a batch
                                          worker's); NULL: none */
    guint png_round_bits;       /* PNG: ImpRenderOptions.png_round_bits (a kit's preview) */
    gboolean keep_first_page;   /* a render that releases pages keeps the first (a kit's
                                   preview is drawn after its PDF) */
} ImpRun;

/* Starts a run with `options` (NULL: the defaults, which live as long as the process). */
void imp__run_init(ImpRun *run, const ImpOptions *options);
void imp__run_clear(ImpRun *run);

/* ---- progress (progress.c) ---- */

/* Starts the progress of a one-document call: run->progress is the run's own sink when the
 * options have a progress function, else NULL. */
void imp__progress_start(ImpRun *run);
/* The last call of a one-document call's progress (finished = TRUE); `failed` counts it. */
void imp__progress_finish(ImpRun *run, gboolean failed);
/* The layout set `n` more pages (`done`: the document's layout is complete). This is what a
 * layout calls through its progress callback as it finishes pages (see docs/scale.md);
 * until it does, imp__step_layout reports every page at once when the layout returns. */
void imp__progress_pages_set(ImpRun *run, guint n, gboolean done);
/* The layout's progress callback, for it to call as it finishes each page with the number
 * finished so far (`run` is an ImpRun). For this, ImpLayoutOptions is to get
 *     void (*page_set)(gpointer data, guint pages_finished); gpointer page_set_data;
 * called on the layout's calling thread after each page is complete, and imp__step_layout
 * is to pass { .page_set = imp__progress_layout_pages, .page_set_data = run }. Until then
 * imp__step_layout reports the pages when the layout returns; either way it counts there
 * the pages not yet reported and marks the document set. */
void imp__progress_layout_pages(gpointer run, guint pages_finished);
/* The render will draw `n` pages. */
void imp__progress_pages_to_draw(ImpRun *run, guint n);
/* The render drew a page: the render stage's page_drawn callback (`run` is an ImpRun). */
void imp__progress_page_drawn(gpointer run);
/* Fills `p` from the sink's counters; the document counts are left to the caller. */
void imp__progress_fill(ImpProgressSink *sink, ImpProgress *p);

/* The defaults, for a call given NULL options (transfer none). */
const ImpOptions *imp__options_default(void);

/* The context's fonts, loaded on the first call (transfer none). IMP_ERROR_FONT when they
 * cannot be loaded. */
ImpFonts *imp__context_get_fonts(ImpContext *ctx, GError **error);
/* The site style `name` without overrides, for its reading rules: loaded once per context
 * (transfer none). */
/* The context's site detector, made on first use (transfer none). */
const ImpStyleDetector *imp__context_get_detector(ImpContext *ctx);
const ImpStyle *imp__context_get_site_style(ImpContext *ctx, const char *name, GError **error);

/* ---- the steps (stages.c) ---- */

/* The name of the site style whose detection rule matches the input, or NULL; detection
 * runs once per run (transfer none: the run's). */
const char *imp__step_detect_site(ImpContext *ctx, const char *data, gsize len,
                                  const char *name, ImpRun *run);

/* The style for an input: the options' style, else the detected site style, else
 * "default" (transfer full). Records the detection in the run. `name` (may be NULL) is
 * the input's name, whose extension may say it is a saved page. */
ImpStyle *imp__step_style(ImpContext *ctx, const char *data, gsize len, const char *name,
                          ImpRun *run, GError **error);
/* Reads the input with the style's reading rules, else the detected site's, and applies
 * the options' metadata (transfer full). */
ImpDocument *imp__step_read(ImpContext *ctx, const char *data, gsize len, const char *name,
                            const ImpStyle *style, ImpRun *run, GError **error);
/* Lays the document out (transfer full). */
ImpLayout *imp__step_layout(ImpContext *ctx, const ImpDocument *doc, const ImpStyle *style,
                            ImpRun *run, GError **error);
/* Renders the options' pages in `format`; `name` (may be NULL) names the output in
 * messages. With `release`, each page is released once drawn (the one-call path, which
 * draws a layout once). */
gboolean imp__step_render(ImpLayout *layout, ImpFormat format, const char *name,
                          gboolean release, ImpRun *run, ImpWriteFunc write, gpointer user_data,
                          GError **error);

/* What a render asks of the render stage beyond the options: a tagged PDF with its
 * furniture marked for the finish stage and its elements recorded (archive.c). */
typedef struct {
    gboolean tagged;
    gboolean mark_artifacts;
    GArray *elements;           /* of ImpRenderElement, filled; NULL: none */
} ImpRenderExtra;

/* imp__step_render() with `extra` (NULL: the defaults). */
gboolean imp__step_render_full(ImpLayout *layout, ImpFormat format, const char *name,
                               gboolean release, ImpRun *run, const ImpRenderExtra *extra,
                               ImpWriteFunc write, gpointer user_data, GError **error);

/* ---- standards (archive.c) ---- */

/* The input a PDF/A-3 embeds as its source: its bytes and its name as given ("<stdin>"
 * and other names in angle brackets are no file's). Borrowed. */
typedef struct {
    const char *data;
    gsize len;
    const char *name;
} ImpArchiveSource;

/* The PDF standards a run writes to (*set, 0 for none): the options', else the style's
 * [document] pdf-standard (`style` may be NULL). Fails with IMP_ERROR_STYLE naming the
 * style for a bad value in it. */
gboolean imp__archive_standards(const ImpOptions *options, const ImpStyle *style,
                                ImpPdfStandards *set, GError **error);
/* Whether a render to `format` embeds the input (PDF/A-3), which must then be kept. */
gboolean imp__archive_embeds_input(const ImpOptions *options, const ImpStyle *style,
                                   ImpFormat format);
/* imp__step_render(), and when the run asks for PDF standards, the PDF finished to them
 * (archive.c's comment): refusals by rule, metadata, the input embedded (`source`; may be
 * NULL: none), attachments. */
gboolean imp__archive_render(ImpLayout *layout, const ImpStyle *style, ImpFormat format,
                             const char *out_name, gboolean release, ImpRun *run,
                             const ImpArchiveSource *source, ImpWriteFunc write,
                             gpointer user_data, GError **error);

/* Refuses a PNG of more than IMP_PNG_MAX_PIXELS for a page of width x height points:
 * "NAME: a PNG of W x H pixels is too large (...); at most D dpi for this page" (`name`
 * may be NULL). */
gboolean imp__check_png_size(double width, double height, double dpi, const char *name,
                             GError **error);

/* The bytes of `input`, never NULL ("" for empty bytes, for which GLib gives NULL). */
const char *imp__bytes_get_data(GBytes *input, gsize *len);

/* ---- output (output.c) ---- */

/* The format of output `path` ("-": standard output): the options' format, else the one
 * its extension names, else PDF. IMP_ERROR_USAGE for an empty name, an extension that
 * names another format or none imprint writes, and PDF or PNG to a terminal. */
gboolean imp__output_format(const char *path, const ImpOptions *options, ImpFormat *format,
                            GError **error);
/* Refuses (IMP_ERROR_OUTPUT) an output that is the input file: by name, by a link, or as
 * the file on standard input. */
gboolean imp__output_is_not_input(const char *input, const char *output, GError **error);
/* How the options open an output file (util/file.h's flags). */
ImpOutputFlags imp__output_flags(const ImpOptions *options);
/* An ImpWriteFunc into an ImpOutput (util/file.h), whose errors commit reports. */
gboolean imp__output_write(gpointer output, const guchar *data, gsize len);
/* An ImpWriteFunc into a GByteArray. */
gboolean imp__bytes_write(gpointer array, const guchar *data, gsize len);

G_END_DECLS

#endif /* IMP_PIPELINE_H */
