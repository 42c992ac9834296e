/* imprint.h — the imprint library: typesetting articles, speeches and reports into
 * paginated PDF (or a page as PNG or SVG), Chinese, Japanese, Korean and Latin text each
 * by its own rules. Include this header only; it includes the others.
 *
 * Two ways to use it:
 *
 *  - One call: imp_typeset_file() (a file to a file) or imp_typeset_bytes() (bytes to
 *    bytes) does what the imprint command does: choose the style (the one asked for, else
 *    the site style whose detection rule matches the input, else "default"), read the
 *    input with the right reading rules, lay it out and render it, with the same limits
 *    and refusals.
 *
 *  - Staged, for programs that want the pages: imp_style_new_for_input() (or
 *    imp_style_new()) → imp_read_bytes() (or imp_read_file()) → imp_layout_new() →
 *    imp_render(), imp_render_to_file() or imp_render_to_bytes() for all pages, a range or
 *    one, as often as wanted, in any format. The document's metadata and text can be read
 *    with the getters of imprint-document.h. The one-call path is these stages in a row and
 *    gives the same bytes.
 *
 * An ImpContext holds what is loaded once: the data folder (styles/ and fonts/) and the
 * font setup, which is loaded on the first layout. An ImpOptions says what one call asks
 * for (style, input format, output format, pages, resolution, threads, diagnostics); it is
 * filled by setters, so options added later do not break a program, and NULL options mean
 * the defaults.
 *
 * Rules that hold throughout:
 *  - Ownership: a function returning (transfer full) gives the caller an object to free
 *    with the function its comment names; (transfer none) lends one owned by its argument.
 *    Every _free() takes NULL. Every type has a g_autoptr() cleanup.
 *  - Errors: anything that can fail takes `GError **error` last and returns FALSE or NULL
 *    with an IMP_ERROR (imprint-error.h) whose message names the file and the problem. A
 *    bad value from the caller's user (an option out of range, an output name that
 *    disagrees with the format) is IMP_ERROR_USAGE. Passing NULL where an object is
 *    required is a programming error (a GLib critical), not a GError.
 *  - Findings that are not failures (a character no font can show, the style chosen) go
 *    to the options' ImpDiagFunc, on the calling thread, in an order that does not depend
 *    on the number of threads.
 *  - Output depends only on the input, the options, the style and the fonts: set a
 *    creation time (imp_options_set_creation_time()) and two runs give the same bytes.
 *  - Nothing process-wide is set: no signal handler (unless the program asks, with
 *    imp_clean_up_on_signals()), no locale, no current directory; nothing is printed.
 *  - Threads: an ImpContext, and the layouts made with it, are used by one thread at a time;
 *    two contexts are independent, so two threads with a context each typeset at once. A
 *    document and a style never change once made and may be read (and laid out, with each
 *    thread's own context) from several threads. An ImpOptions is read, never changed, by
 *    the calls it is passed to.
 *
 * Since: 0.2
 */
#ifndef IMPRINT_H
#define IMPRINT_H

#define IMPRINT_H_INSIDE
#include <imprint/imprint-export.h>
#include <imprint/imprint-version.h>
#include <imprint/imprint-error.h>
#include <imprint/imprint-diag.h>
#include <imprint/imprint-document.h>
#include <imprint/imprint-style.h>
#include <imprint/imprint-read.h>
#include <imprint/imprint-layout.h>
#include <imprint/imprint-render.h>
#undef IMPRINT_H_INSIDE

#include <glib.h>

G_BEGIN_DECLS

/* imp_version_string: the version of the library the program runs with, such as "0.2.0"
 * (transfer none, static). IMP_VERSION_STRING is the version of the headers it was
 * compiled with. Since: 0.2 */
IMP_EXPORT const char *imp_version_string(void);

/* imp_clean_up_on_signals: makes SIGINT, SIGTERM and SIGHUP remove the temporary file of
 * any output being written at that moment (imp_typeset_file(), imp_render_to_file())
 * before the process ends by the signal as it would have; signals the process ignores stay
 * ignored. The handlers are process-wide, so this is for a program's main(): the library
 * never installs them on its own. Since: 0.2 */
IMP_EXPORT void imp_clean_up_on_signals(void);

/* ======================================================================== Context */

/* ImpContext: what is loaded once and used by many calls: the data folder and the font
 * setup (opaque). Since: 0.2 */
typedef struct ImpContext ImpContext;

/* imp_context_new: a context over the data folder `data_dir`, which holds styles/ (the
 * style sheets a name refers to) and fonts/fonts.conf (imprint's own fontconfig setup,
 * loaded instead of the system's on the first layout). NULL means: $IMPRINT_DATADIR when
 * set and not empty, else the share/imprint folder of the prefix the library is installed
 * in, else the folder configured at build time. Fails with IMP_ERROR_STYLE when the folder
 * has no styles/ folder. Returns (transfer full): free with imp_context_free(), after every
 * layout made with it. Since: 0.2 */
IMP_EXPORT ImpContext *imp_context_new(const char *data_dir, GError **error);

/* ImpContextFlags: how imp_context_new_full() sets up the context. Since: 0.2 */
typedef enum {
    IMP_CONTEXT_DEFAULT = 0,
    /* also make imprint's font setup fontconfig's current configuration, for the whole
       process: Pango's start-up then does not load the system's configuration as well,
       which saves about a tenth of a short document's time. Only for a program that owns
       its process (the imprint command): a host's own fonts would change under it. */
    IMP_CONTEXT_FONTS_PROCESS_WIDE = 1 << 0
} ImpContextFlags;

/* imp_context_new_full: imp_context_new() with `flags`. Since: 0.2 */
IMP_EXPORT ImpContext *imp_context_new_full(const char *data_dir, ImpContextFlags flags,
                                            GError **error);
/* imp_context_free: frees the context and its font setup; NULL is a no-op. Since: 0.2 */
IMP_EXPORT void imp_context_free(ImpContext *ctx);
/* imp_context_add_font_dir: one more folder of fonts for the context's font setup (as
 * --font-path): its fonts, and those of its subfolders, are preferred to those of the data
 * folder's fonts/user/ and of fonts/fonts.conf, and folders added earlier to those added
 * later. Only regular files in it are read (anything else is skipped with a warning), and
 * each face is checked as a user font is. Call it before the first layout, when the fonts
 * are loaded. Fails with IMP_ERROR_USAGE when `dir` is not a folder, or the fonts are
 * loaded already. Since: 0.2 */
IMP_EXPORT gboolean imp_context_add_font_dir(ImpContext *ctx, const char *dir,
                                             GError **error);
/* imp_context_get_data_dir: the data folder in use (transfer none). Since: 0.2 */
IMP_EXPORT const char *imp_context_get_data_dir(const ImpContext *ctx);
/* imp_context_list_styles: the names of the styles in the data folder's styles/, sorted, as
 * a NULL-terminated array (transfer full: g_strfreev()). When `descriptions` is not NULL,
 * *descriptions receives a parallel array of their one-line descriptions (transfer full:
 * g_strfreev()); a style that cannot be loaded is listed with the reason as its
 * description. Since: 0.2 */
IMP_EXPORT char **imp_context_list_styles(ImpContext *ctx, char ***descriptions);

/* ======================================================================== Options */

/* ImpOptions: what a call asks for (opaque). A new one holds the defaults given with each
 * setter below. Since: 0.2 */
typedef struct ImpOptions ImpOptions;

/* imp_options_new: options with every default. Returns (transfer full): free with
 * imp_options_free(). Since: 0.2 */
IMP_EXPORT ImpOptions *imp_options_new(void);
/* imp_options_copy: a copy of `options` (transfer full: imp_options_free()). Since: 0.2 */
IMP_EXPORT ImpOptions *imp_options_copy(const ImpOptions *options);
/* imp_options_free: NULL is a no-op. Since: 0.2 */
IMP_EXPORT void imp_options_free(ImpOptions *options);

/* imp_options_set_style: the style sheet, by name (a NAME.style in the context's styles/)
 * or by path (a value containing '/' or ending in .style). NULL (the default): the site
 * style whose detection rule matches the input, else "default". The string is copied.
 * Since: 0.2 */
IMP_EXPORT void imp_options_set_style(ImpOptions *options, const char *name_or_path);
/* imp_options_add_style_override: one more "group.key=value" override of the style (as
 * --set), applied after inheritance, later ones winning. Fails with IMP_ERROR_USAGE when
 * `override` is not of that form; an unknown group or key, or a bad value, is found when
 * the style is loaded (IMP_ERROR_STYLE). Since: 0.2 */
IMP_EXPORT gboolean imp_options_add_style_override(ImpOptions *options, const char *override,
                                                   GError **error);
/* imp_options_set_input_format: how the input is read (default IMP_INPUT_AUTO).
 * Since: 0.2 */
IMP_EXPORT void imp_options_set_input_format(ImpOptions *options, ImpInputFormat format);
/* imp_options_set_encoding: the input's character encoding, an iconv name such as
 * "GB18030" or "ISO-8859-1"; NULL (the default) lets the reader find it (UTF-8, or UTF-16
 * with a byte-order mark). Fails with IMP_ERROR_USAGE for a name iconv does not know.
 * Since: 0.2 */
IMP_EXPORT gboolean imp_options_set_encoding(ImpOptions *options, const char *encoding,
                                             GError **error);
/* imp_options_set_metadata: sets the document's metadata `key` to `value` after reading,
 * whatever the reader found (as -M KEY=VALUE): the PDF's properties and the fields of
 * running heads ({title}, {date}, ...) use it; the text is not changed. An empty value
 * removes what the reader found; NULL forgets this override. Since: 0.2 */
IMP_EXPORT void imp_options_set_metadata(ImpOptions *options, ImpMetaKey key,
                                         const char *value);
/* imp_options_set_format: the output format. Unset (the default), a file's format comes
 * from its name's extension (.pdf, .png, .svg; none: PDF) and bytes are a PDF.
 * Since: 0.2 */
IMP_EXPORT void imp_options_set_format(ImpOptions *options, ImpFormat format);
/* imp_options_set_pages: the pages rendered: `count` pages from page `first` (0-based);
 * a count of 0 means to the last page. The default (0, 0) is every page. PNG and SVG hold
 * one page: they draw page `first`, and a count above 1 is an error for them
 * (IMP_ERROR_USAGE); a page beyond the last is IMP_ERROR_OUTPUT. Since: 0.2 */
IMP_EXPORT void imp_options_set_pages(ImpOptions *options, guint first, guint count);
/* imp_options_set_dpi: the resolution of PNG output in dots per inch, up to 2400; 0 (the
 * default) means 150. Fails with IMP_ERROR_USAGE for another value, NaN and infinity
 * included. A PNG of more than 150 million pixels is refused when rendered
 * (IMP_ERROR_OUTPUT, with the largest resolution that fits). Since: 0.2 */
IMP_EXPORT gboolean imp_options_set_dpi(ImpOptions *options, double dpi, GError **error);
/* imp_options_set_jobs: the worker threads that shape and break paragraphs; 0 (the
 * default) means one per core, 1 means none besides the calling thread. The output is the
 * same for any number. More than the machine's cores, or 64, is capped there
 * (imp_options_get_jobs() says how many will run). Fails with IMP_ERROR_USAGE for a
 * negative number. Since: 0.2 */
IMP_EXPORT gboolean imp_options_set_jobs(ImpOptions *options, int jobs, GError **error);
/* imp_options_get_jobs: the number of jobs set, after the cap (0: one per core).
 * Since: 0.2 */
IMP_EXPORT int imp_options_get_jobs(const ImpOptions *options);
/* imp_options_set_strict: in the one-call functions, any warning reported (a character
 * no font can show, a dropped control character, a font family the font setup lacks)
 * fails the call with IMP_ERROR_STRICT and writes nothing (default FALSE). The staged
 * functions report warnings and leave the decision to the caller. Since: 0.2 */
IMP_EXPORT void imp_options_set_strict(ImpOptions *options, gboolean strict);
/* imp_options_set_follow_symlinks: in the functions that write a file, a symbolic link at
 * the output path is followed to the file it leads to, as the kernel's
 * fs.protected_symlinks rule allows (in a sticky, world-writable folder such as /tmp, only
 * a link of the caller's or of the folder's owner; another is refused with
 * IMP_ERROR_OUTPUT). By default (FALSE) such a link is replaced by the file, never
 * followed. Since: 0.2 */
IMP_EXPORT void imp_options_set_follow_symlinks(ImpOptions *options, gboolean follow);
/* imp_options_set_creation_time: the PDF's creation and modification dates, in seconds
 * since 1970-01-01 UTC (the imprint command takes SOURCE_DATE_EPOCH). Unset (the default),
 * the time of the call is used, so the bytes differ from run to run. Fails with
 * IMP_ERROR_USAGE outside 0 to 253402300799 (the year 9999). Since: 0.2 */
IMP_EXPORT gboolean imp_options_set_creation_time(ImpOptions *options, gint64 seconds,
                                                  GError **error);
/* imp_options_set_diag_func: where the findings of a call go (see imprint-diag.h); NULL
 * (the default) drops them. `user_data` is passed to `func`. Since: 0.2 */
IMP_EXPORT void imp_options_set_diag_func(ImpOptions *options, ImpDiagFunc func,
                                          gpointer user_data);

/* imp_options_set_pdf_standard: the standards a PDF is written to, a comma-separated list
 * in Typst's spelling: "1.7", "a-2b", "a-2u", "a-3b", "a-3u" (PDF/A-2 and PDF/A-3, levels
 * B and U: archival) and "ua-1" (PDF/UA-1: accessible), such as "a-3u,ua-1". NULL (the
 * default): the style's [document] pdf-standard (the one-call functions; the archival
 * style asks for "a-3u,ua-1"), else none. Other formats than PDF ignore it. With a
 * standard, the one-call functions refuse a document that cannot meet it, naming the rule
 * (IMP_ERROR_OUTPUT: an image without alternative text under ua-1, a character no font
 * can show under a-2u, a-3u or ua-1), and a PDF/A-3 embeds the input as its source; the
 * staged imp_render() functions follow the options alone and embed no source. Fails with
 * IMP_ERROR_USAGE for an unknown or empty name, IMP_ERROR_OUTPUT for names that cannot go
 * together (two PDF/A parts or levels). Since: 0.2 */
IMP_EXPORT gboolean imp_options_set_pdf_standard(ImpOptions *options, const char *list,
                                                 GError **error);
/* imp_options_add_attachment: one more file (the original HTML, a signature) embedded in a
 * PDF written to a standard as a supplement of the document (/AFRelationship /Supplement;
 * PDF/A-3 allows it, PDF/A-2 refuses it); read when the PDF is written (a missing file
 * fails that call with IMP_ERROR_INPUT). The path is copied. Since: 0.2 */
IMP_EXPORT void imp_options_add_attachment(ImpOptions *options, const char *path);
/* imp_options_set_pdf_tags: whether a PDF carries its structure tree (tagged PDF: headings,
 * paragraphs, lists, tables, figures, links and their languages, for screen readers,
 * reflow and text extraction), TRUE by default, as Typst's --no-pdf-tags turns it off: a
 * smaller file, a little faster. Under ua-1, which requires the tree, a PDF without it is
 * refused (IMP_ERROR_OUTPUT, naming the rule). Since: 0.2 */
IMP_EXPORT void imp_options_set_pdf_tags(ImpOptions *options, gboolean tagged);

/* ImpFinishFunc: see imp_options_set_finish_func(). Since: 0.2 */
typedef void (*ImpFinishFunc)(gpointer user_data);
/* imp_options_set_finish_func: `func` is called once every page of an output is drawn,
 * before the output is finished (when cairo embeds the fonts, which takes a transient copy
 * of each font's outlines). The one-call functions have released the drawn pages by then,
 * so a program that wants the memory back for that peak may return it to the system there
 * (the imprint command calls malloc_trim); the library itself never does. NULL (the
 * default): nothing is called. Since: 0.2 */
IMP_EXPORT void imp_options_set_finish_func(ImpOptions *options, ImpFinishFunc func,
                                            gpointer user_data);

/* ImpProgress: how far a run has come, passed to an ImpProgressFunc (transfer none: valid
 * during the call). Pages are counted as the layout finishes them ("set") and as the render
 * draws them ("drawn"); a one-document call counts its own pages, a batch (imp_batch_run())
 * the pages of all its documents. More fields may be added at the end. Since: 0.2 */
typedef struct {
    guint documents_total;   /* documents in the run (1 for a one-document call) */
    guint documents_done;    /* of those, finished: written or failed */
    guint documents_failed;  /* of those, failed */
    guint documents_set;     /* documents whose layout is complete (their pages counted in
                                pages_set are all there is to draw) */
    guint64 pages_set;       /* pages laid out so far */
    guint64 pages_drawn;     /* pages drawn so far (a page drawn in two formats, as in a
                                press kit's PDF and preview, counts once per format) */
    guint64 pages_to_draw;   /* pages the documents set so far will draw in all */
    double seconds;          /* since the run started, by the monotonic clock */
    gboolean finished;       /* the last call of the run */
} ImpProgress;

/* ImpProgressFunc: receives progress; called on the thread that called the library, at most
 * ten times a second, and once more at the end with `finished` set. It may print; it must
 * not call the library with the options or batch it was given to. Since: 0.2 */
typedef void (*ImpProgressFunc)(const ImpProgress *progress, gpointer user_data);

/* imp_options_set_progress_func: where the one-call functions (imp_typeset_file(),
 * imp_typeset_bytes()) and imp_batch_run() report progress; NULL (the default) reports
 * none. Reporting costs nothing measurable and never changes the output. Since: 0.2 */
IMP_EXPORT void imp_options_set_progress_func(ImpOptions *options, ImpProgressFunc func,
                                              gpointer user_data);

/* imp_format_name: "pdf", "png" or "svg" (transfer none, static). Since: 0.2 */
IMP_EXPORT const char *imp_format_name(ImpFormat format);
/* imp_format_from_name: sets *format to the format named `name` (ASCII case ignored).
 * Returns FALSE for an unknown name. Since: 0.2 */
IMP_EXPORT gboolean imp_format_from_name(const char *name, ImpFormat *format);

/* ======================================================================== One call */

/* imp_typeset_file: typesets the file `input` into the file `output`, as the imprint
 * command does. "-" is standard input or output. The format is the options' or comes from
 * the output's extension; an extension that names another format, or none that imprint
 * writes, fails with IMP_ERROR_USAGE, as does PDF or PNG to a terminal and an empty name.
 * An output that is the input file is refused (IMP_ERROR_OUTPUT). Input over the limits
 * (16 MiB, 500,000 paragraphs, 100,000 page breaks) fails with IMP_ERROR_INPUT. The output
 * is written to a temporary file beside it and renamed into place when complete: a call
 * that fails leaves no file and an existing one untouched. Since: 0.2 */
IMP_EXPORT gboolean imp_typeset_file(ImpContext *ctx, const char *input, const char *output,
                                     const ImpOptions *options, GError **error);
/* imp_typeset_bytes: typesets `input` (the bytes of a file; `name` names it in messages and
 * its extension chooses the reader, may be NULL) and returns the output's bytes: a PDF
 * unless the options say otherwise. Same policy and limits as imp_typeset_file().
 * Returns (transfer full): g_bytes_unref(). Since: 0.2 */
IMP_EXPORT GBytes *imp_typeset_bytes(ImpContext *ctx, GBytes *input, const char *name,
                                     const ImpOptions *options, GError **error);

/* ======================================================================== Stages */

/* imp_style_new: loads the style `name_or_path` (see imp_options_set_style()) with the
 * options' overrides (the options' own style is not looked at). Fails with
 * IMP_ERROR_STYLE naming the file, line and key. Returns (transfer full):
 * imp_style_free(). Since: 0.2 */
IMP_EXPORT ImpStyle *imp_style_new(ImpContext *ctx, const char *name_or_path,
                                   const ImpOptions *options, GError **error);
/* imp_style_new_for_input: the style the one-call path would choose for `input`: the
 * options' style, else the site style whose detection rule matches a line of the input's
 * first 64 KiB, else "default"; with the options' overrides. Returns (transfer full):
 * imp_style_free(). Since: 0.2 */
IMP_EXPORT ImpStyle *imp_style_new_for_input(ImpContext *ctx, GBytes *input,
                                             const ImpOptions *options, GError **error);

/* imp_read_bytes: reads `input` into a document with the options' input format and
 * encoding. `name` names the input in messages and chooses the reader by its extension
 * (may be NULL). The reading rules (masthead, web chrome, notice) are `style`'s; a style
 * without any (or a NULL style) reads with those of the site style whose detection rule
 * matches the input, if one does. The options' metadata is then applied. Fails with
 * IMP_ERROR_INPUT as the reader does (invalid text, no text, over the limits). Returns
 * (transfer full): imp_document_free(). Since: 0.2 */
IMP_EXPORT ImpDocument *imp_read_bytes(ImpContext *ctx, GBytes *input, const char *name,
                                       const ImpStyle *style, const ImpOptions *options,
                                       GError **error);
/* imp_read_file: imp_read_bytes() on the file `path` ("-": standard input), read no
 * further than 16 MiB. Returns (transfer full): imp_document_free(). Since: 0.2 */
IMP_EXPORT ImpDocument *imp_read_file(ImpContext *ctx, const char *path,
                                      const ImpStyle *style, const ImpOptions *options,
                                      GError **error);

/* imp_layout_new: lays `doc` out in `style` with the context's fonts (loaded on the first
 * call: IMP_ERROR_FONT when they cannot be) on the options' jobs. Each call reports, as
 * warnings, what checking the font setup found (an include or a font folder entry that is
 * not a regular file, a user font face FreeType cannot load or whose metrics are absurd:
 * each skipped) and every font family `style` names that the setup does not have. Every
 * page is finished: it can be rendered at once, any number of times. `ctx`, `doc` and
 * `style` must outlive the layout. Returns (transfer full): imp_layout_free(). Since: 0.2 */
IMP_EXPORT ImpLayout *imp_layout_new(ImpContext *ctx, const ImpDocument *doc,
                                     const ImpStyle *style, const ImpOptions *options,
                                     GError **error);

/* imp_render: draws the options' pages of `layout` in the options' format (default PDF)
 * and sends the bytes to `write`. The layout is not changed: render it again, other pages,
 * other formats, as often as wanted. Fails with IMP_ERROR_OUTPUT for a page beyond the
 * last, a PNG too large, or a write error; IMP_ERROR_USAGE for more than one page in PNG
 * or SVG. Since: 0.2 */
IMP_EXPORT gboolean imp_render(ImpLayout *layout, const ImpOptions *options,
                               ImpWriteFunc write, gpointer user_data, GError **error);
/* imp_render_to_file: imp_render() into the file `path` ("-": standard output), all or
 * nothing as in imp_typeset_file(), whose rules for the format and the name hold too.
 * Since: 0.2 */
IMP_EXPORT gboolean imp_render_to_file(ImpLayout *layout, const char *path,
                                       const ImpOptions *options, GError **error);
/* imp_render_to_bytes: imp_render() into memory. Returns (transfer full):
 * g_bytes_unref(). Since: 0.2 */
IMP_EXPORT GBytes *imp_render_to_bytes(ImpLayout *layout, const ImpOptions *options,
                                       GError **error);

/* ======================================================================== Batches */

/* ImpBatch: many documents typeset in one run (opaque): each input to its own output (beside
 * it, in an output folder, or named by a manifest), or to a press kit; fonts and styles
 * loaded once for the run; documents set in parallel on the options' jobs, each on a worker
 * thread with its own context (a single document sets its paragraphs in parallel instead).
 * Every output is byte-identical to what imp_typeset_file() writes for that document with
 * the same options. A document that fails does not stop the others.
 *
 * Naming and checks come first: imp_batch_run() works out every output name and refuses
 * the run (IMP_ERROR_USAGE, nothing written) when two documents would write the same file,
 * a document would write over an input, or a name disagrees with the format. Each output is
 * then written as imp_typeset_file() writes one: to a temporary file renamed into place, so
 * an interrupted run (with imp_clean_up_on_signals()) leaves the finished outputs and no
 * temporary file.
 *
 * Threads: a batch is used by one thread; its callbacks (the options' diagnostics and
 * progress, the done function) are called on that thread, in the order of the documents,
 * whatever the number of jobs. Since: 0.2 */
typedef struct ImpBatch ImpBatch;
/* ImpBatchItem: one document of a batch and, after the run, its result (opaque, owned by
 * the batch). Since: 0.2 */
typedef struct ImpBatchItem ImpBatchItem;

/* ImpBatchStatus: where a document stands. Since: 0.2 */
typedef enum {
    IMP_BATCH_PENDING,  /* not run (yet), or outside the batch's shard */
    IMP_BATCH_WRITTEN,  /* every output written */
    IMP_BATCH_FAILED    /* nothing written; imp_batch_item_get_error() says why */
} ImpBatchStatus;

/* ImpBatchDoneFunc: called once per document as it finishes, after its findings went to
 * the diagnostics function, on the thread that runs the batch, in the batch's order.
 * `item` is (transfer none), owned by the batch. Since: 0.2 */
typedef void (*ImpBatchDoneFunc)(const ImpBatchItem *item, gpointer user_data);

/* imp_batch_new: an empty batch over `ctx` (which must outlive it and is used by the batch
 * while it runs; further contexts over the same data folder are made for the other
 * workers) with `options` (copied; NULL: the defaults) for every document not given its
 * own. The options' jobs are the documents set at once; their pages (imp_options_set_pages())
 * are not used: see imp_batch_set_pages(). Returns (transfer full): imp_batch_free().
 * Since: 0.2 */
IMP_EXPORT ImpBatch *imp_batch_new(ImpContext *ctx, const ImpOptions *options);
/* imp_batch_free: NULL is a no-op. Since: 0.2 */
IMP_EXPORT void imp_batch_free(ImpBatch *batch);

/* imp_batch_add: adds the document `input` (a file; "-" is refused in a batch) to be
 * written to `output`, or with NULL to the default name: the input's name with its
 * extension replaced by the format's, beside the input or in the output folder. A relative
 * `output` is taken from the output folder when one is set. `options` (copied; NULL: the
 * batch's) are this document's own, e.g. another style. Fails with IMP_ERROR_USAGE for an
 * empty or "-" input or output. Since: 0.2 */
IMP_EXPORT gboolean imp_batch_add(ImpBatch *batch, const char *input, const char *output,
                                  const ImpOptions *options, GError **error);
/* imp_batch_add_manifest: adds the documents listed in the file `path` ("-": standard
 * input): one input per line (empty lines and lines starting with '#' skipped), or JSON
 * Lines, one object per line, as {"input": "a.md", "output": "out/a.pdf", "style":
 * "letter", "from": "markdown", "encoding": "GB18030", "set": ["page.size=A5"],
 * "metadata": {"title": "...", "date": "..."}} (only "input" is required; the rest apply
 * over the batch's options). The first non-empty line decides: '{' means JSON Lines.
 * Relative paths are from the current directory. Fails with IMP_ERROR_INPUT naming the
 * file and line (an unreadable file, a line that is not such an object, an unknown key)
 * and adds nothing then. Since: 0.2 */
IMP_EXPORT gboolean imp_batch_add_manifest(ImpBatch *batch, const char *path, GError **error);
/* imp_batch_set_output_dir: writes every output whose name is not given (and every
 * relative one given) into the folder `dir`, which is made when missing; NULL (the
 * default): beside each input. The string is copied. Since: 0.2 */
IMP_EXPORT void imp_batch_set_output_dir(ImpBatch *batch, const char *dir);
/* imp_batch_set_kit_dir: makes a press kit in the folder `dir` (made when missing) instead
 * of the outputs: for each document NAME.pdf, NAME.png (page 1, 1200 pixels wide),
 * NAME.txt (the document's text as read: body and notice, blocks separated by blank lines,
 * UTF-8) and NAME.json (its metadata, pages, characters, and each file's size and SHA-256),
 * NAME being the output's name without its folder and extension; then index.html (one
 * self-contained page listing every document with its preview) and index.json (the
 * documents' NAME.json in a list) for the documents written. With a shard, the index is
 * left to imp_kit_write_index(). NULL (the default): no kit. Since: 0.2 */
IMP_EXPORT void imp_batch_set_kit_dir(ImpBatch *batch, const char *dir);
/* imp_batch_set_pages: PNG and SVG output write one file per page of `range`, NAME-001.png,
 * NAME-002.png ... (as many digits as the document's last page needs, at least 3), drawn
 * in parallel: "all", or numbers and ranges such as "1-3,7" or "5-" (to the last page),
 * 1-based, in any order (each page once). A page beyond a document's last fails that
 * document. Fails with IMP_ERROR_USAGE for a malformed range; NULL (the default): one
 * file, the options' page. Since: 0.2 */
IMP_EXPORT gboolean imp_batch_set_pages(ImpBatch *batch, const char *range, GError **error);
/* imp_batch_set_shard: runs only the documents whose position (0-based, in the order they
 * were added) modulo `n` is `k` - 1, so that n runs with k = 1 ... n (a job array) share
 * the batch without overlap or gap. The names of every document are still checked against
 * each other. Fails with IMP_ERROR_USAGE unless 1 <= k <= n. Default: 1 of 1. Since: 0.2 */
IMP_EXPORT gboolean imp_batch_set_shard(ImpBatch *batch, guint k, guint n, GError **error);
/* imp_batch_set_done_func: see ImpBatchDoneFunc; NULL (the default): none. Since: 0.2 */
IMP_EXPORT void imp_batch_set_done_func(ImpBatch *batch, ImpBatchDoneFunc func,
                                        gpointer user_data);
/* imp_batch_run: checks every name, makes the folders the outputs go to (the output folder,
 * the kit folder, and those a manifest's names need), then typesets the batch's documents
 * (its shard's). Returns
 * FALSE with an error only when the run could not start (IMP_ERROR_USAGE: two documents
 * with one output, an output that is an input, a name against the format; IMP_ERROR_OUTPUT:
 * a folder that cannot be made; IMP_ERROR_FONT), and nothing is written then; else TRUE,
 * whether or not documents failed (imp_batch_get_n_failed()) — except that a kit's index
 * that cannot be written fails the run (IMP_ERROR_OUTPUT) after the documents are written.
 * A batch runs once.
 * Since: 0.2 */
IMP_EXPORT gboolean imp_batch_run(ImpBatch *batch, GError **error);
/* imp_batch_get_n_items: the documents added (before a run) or run (after it: the shard's).
 * Since: 0.2 */
IMP_EXPORT guint imp_batch_get_n_items(const ImpBatch *batch);
/* imp_batch_get_item: document `index` (below the count) (transfer none). Since: 0.2 */
IMP_EXPORT const ImpBatchItem *imp_batch_get_item(const ImpBatch *batch, guint index);
/* imp_batch_get_n_failed: the documents that failed in the run. Since: 0.2 */
IMP_EXPORT guint imp_batch_get_n_failed(const ImpBatch *batch);
/* imp_batch_dup_report: the run's report as JSON: {"imprint": VERSION, "shard": "K/N",
 * "written": N, "failed": N, "documents": [{"position", "input", "status" ("written" or
 * "failed"), "error", "pages", "warnings", "seconds", "outputs": [{"path", "bytes",
 * "sha256"}]}, ...]}. Only "seconds" varies between two runs of the same batch.
 * Returns (transfer full): g_free(). Since: 0.2 */
IMP_EXPORT char *imp_batch_dup_report(const ImpBatch *batch);
/* imp_batch_write_report: imp_batch_dup_report() into the file `path` ("-": standard
 * output), all or nothing as every output. Since: 0.2 */
IMP_EXPORT gboolean imp_batch_write_report(const ImpBatch *batch, const char *path,
                                           GError **error);

/* Item getters (Since: 0.2). Strings are (transfer none), owned by the batch. */
IMP_EXPORT const char *imp_batch_item_get_input(const ImpBatchItem *item);
/* its position among the documents added, 0-based (before any shard) */
IMP_EXPORT guint imp_batch_item_get_position(const ImpBatchItem *item);
IMP_EXPORT ImpBatchStatus imp_batch_item_get_status(const ImpBatchItem *item);
/* why it failed, or NULL (transfer none) */
IMP_EXPORT const GError *imp_batch_item_get_error(const ImpBatchItem *item);
/* its pages, warnings reported, and the seconds it took on its worker (0 before the run) */
IMP_EXPORT guint imp_batch_item_get_n_pages(const ImpBatchItem *item);
IMP_EXPORT guint imp_batch_item_get_n_warnings(const ImpBatchItem *item);
IMP_EXPORT double imp_batch_item_get_seconds(const ImpBatchItem *item);
/* the files written (a kit's four, one per page with imp_batch_set_pages(), else one) */
IMP_EXPORT guint imp_batch_item_get_n_outputs(const ImpBatchItem *item);
/* file `index`: its path, and its SHA-256 in hexadecimal into *sha256 when not NULL */
IMP_EXPORT const char *imp_batch_item_get_output(const ImpBatchItem *item, guint index,
                                                 const char **sha256);

/* imp_kit_write_index: writes index.html and index.json into the press kit folder `dir`
 * from the NAME.json files there (those imprint wrote), in their documents' order: for a
 * kit made by several runs (shards). `created` is the time the index gives (seconds since
 * 1970; negative: none). Fails with IMP_ERROR_INPUT for a folder without such files or one
 * that cannot be read, IMP_ERROR_OUTPUT when the index cannot be written. Since: 0.2 */
IMP_EXPORT gboolean imp_kit_write_index(const char *dir, gint64 created, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpBatch, imp_batch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpContext, imp_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpOptions, imp_options_free)

G_END_DECLS

#endif /* IMPRINT_H */
