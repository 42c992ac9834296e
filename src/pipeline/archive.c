/* archive.c — a PDF written to standards: PDF/A-2, PDF/A-3 (archival) and PDF/UA-1
 * (accessible), through the finish stage.
 *
 * The standards come from the options (--pdf-standard, imp_options_set_pdf_standard()),
 * else from the style's [document] pdf-standard (the archival style asks for a-3u,ua-1);
 * a render of another format ignores them. Without a standard the PDF is rendered as it
 * always is, straight to its output. With one, before anything is drawn, what the
 * standards forbid and the document would bring is refused with the rule named: under
 * PDF/UA a document without a title (§7.1) or an image without alternative text (§7.3),
 * under level U and PDF/UA a character no
 * font can show (it would be drawn as an empty box standing for no character); then the
 * PDF is rendered into memory, tagged, with each page's furniture in a group the finish
 * stage marks as an artifact (PDF/UA) and a record of what each structure element is to
 * get (its language, a figure's alternative text), and finished: metadata from the
 * document (title; author, else site; description, else section; keywords; language; URL,
 * else the input's name, as dc:source), dates from the options' creation time (never a
 * file's: the output stays reproducible), the input embedded as the document's source
 * (PDF/A-3) and the --attach files as supplements. Only the finished bytes reach the
 * output.
 *
 * Invariants:
 *  1. Without a standard, the bytes are imp__step_render()'s, unchanged.
 *  2. A refusal comes before any byte is written: the output is all or nothing.
 *  3. Every date written comes from the options' creation time (or the time of the call
 *     when none is set, as the render's own dates do).
 */
#include <string.h>

#include "pipeline.h"
#include "../util/error.h"
#include "../util/file.h"

/* The standards of a run; see pipeline.h. */
gboolean imp__archive_standards(const ImpOptions *o, const ImpStyle *style,
                                ImpPdfStandards *set, GError **error)
{
    *set = 0;
    if (o->pdf_standard != NULL)
        return imp__pdf_standards_parse(o->pdf_standard, set, error);
    const char *list = style != NULL ? imp_style_get_document(style)->pdf_standard : NULL;
    if (list == NULL || *list == '\0')
        return TRUE;
    GError *e = NULL;
    if (imp__pdf_standards_parse(list, set, &e))
        return TRUE;
    g_set_error(error, IMP_ERROR, IMP_ERROR_STYLE, "%s: [document] pdf-standard: %s",
                imp_style_get_path(style), e->message);
    g_error_free(e);
    return FALSE;
}

/* Whether the input must be kept; see pipeline.h. */
gboolean imp__archive_embeds_input(const ImpOptions *options, const ImpStyle *style,
                                   ImpFormat format)
{
    ImpPdfStandards set = 0;
    return format == IMP_FORMAT_PDF && imp__archive_standards(options, style, &set, NULL) &&
           (set & IMP_PDF_A_3) != 0;
}

/* The name of the first standard of `set` that a rule of `family` belongs to, with its
 * ISO number, for messages: "PDF/A-3u (ISO 19005-3" — the caller adds the clause. */
static const char *standard_name(ImpPdfStandards set, gboolean ua)
{
    if (ua)
        return "PDF/UA-1 (ISO 14289-1";
    return (set & IMP_PDF_A_2U) ? "PDF/A-2u (ISO 19005-2"
         : (set & IMP_PDF_A_3U) ? "PDF/A-3u (ISO 19005-3"
         : (set & IMP_PDF_A_2B) ? "PDF/A-2b (ISO 19005-2"
                                : "PDF/A-3b (ISO 19005-3";
}

/* PDF/UA-1 §7.3: every image needs alternative text (an image block's text is its alt
 * text). Refuses the first without, naming its source line. */
static gboolean check_alt_texts(const ImpDocument *doc, const char *name, GError **error)
{
    guint n = imp_document_get_n_blocks(doc);
    for (guint b = 0; b < n; b++) {
        const ImpBlock *blk = imp_document_get_block(doc, b);
        if (imp_block_get_kind(blk) != IMP_BLOCK_IMAGE)
            continue;
        gsize len;
        const char *text = imp_block_get_text(blk, &len);
        gboolean blank = TRUE;
        for (gsize i = 0; i < len && blank; i++)
            blank = g_ascii_isspace(text[i]);
        if (blank) {
            const char *src = imp_block_get_src(blk);
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "%s:%u: PDF/UA-1 (ISO 14289-1 §7.3): the image '%s' has no "
                        "alternative text, which a figure must have (write it as the image's "
                        "description: ![what it shows](%s))",
                        name, imp_block_get_line(blk), src != NULL ? src : "",
                        src != NULL ? src : "");
            return FALSE;
        }
    }
    return TRUE;
}

/* The first glyph of a line that no font has: its character, or 0. */
static gunichar missing_in_glyphs(const ImpGlyphLine *line)
{
    for (guint k = 0; k < line->n_extra; k++)
        if (imp_glyph_is_missing(line->extra[k].glyph))
            return line->extra[k].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    return 0;
}

static gunichar missing_in_text(PangoLayoutLine *line)
{
    for (GSList *r = line->runs; r != NULL; r = r->next) {
        const PangoGlyphString *gs = ((PangoGlyphItem *)r->data)->glyphs;
        for (int g = 0; g < gs->num_glyphs; g++)
            if (imp_glyph_is_missing(gs->glyphs[g].glyph))
                return gs->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    }
    return 0;
}

/* Level U and PDF/UA: every glyph shown stands for its character (ISO 19005-2
 * §6.2.11.7.2, ISO 14289-1 §7.21.7). A character no font has is drawn as the font's empty
 * box, which stands for none; the layout has reported each one with its line. Refuses the
 * first, naming its page. */
static gboolean check_missing_glyphs(const ImpLayout *layout, guint first, guint last,
                                     ImpPdfStandards set, const char *name, GError **error)
{
    for (guint p = first; p < last; p++) {
        guint n;
        const ImpItem *items = imp_layout_get_items(layout, p, &n);
        for (guint i = 0; items != NULL && i < n; i++) {
            gunichar c = items[i].kind == IMP_ITEM_GLYPHS ? missing_in_glyphs(items[i].glyphs)
                       : items[i].kind == IMP_ITEM_TEXT   ? missing_in_text(items[i].line)
                                                          : 0;
            if (c == 0)
                continue;
            gboolean ua = !(set & IMP_PDF_A_U);
            char utf8[8] = { 0 };
            g_unichar_to_utf8(c, utf8);
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "%s: %s §%s): no font can show U+%04X '%s' (page %u), which would be "
                        "drawn as an empty box that stands for no character; install a font "
                        "that has it, or write to a level B standard (a-2b, a-3b)",
                        name, standard_name(set, ua), ua ? "7.21.7" : "6.2.11.7.2", c, utf8,
                        p + 1);
            return FALSE;
        }
    }
    return TRUE;
}

/* The MIME type of a file by its name's extension; NULL for "application/octet-stream". */
static const char *mime_type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".txt", "text/plain" },      { ".text", "text/plain" },
        { ".md", "text/markdown" },    { ".markdown", "text/markdown" },
        { ".html", "text/html" },      { ".htm", "text/html" },
        { ".xhtml", "application/xhtml+xml" },
        { ".xml", "application/xml" }, { ".json", "application/json" },
        { ".csv", "text/csv" },        { ".pdf", "application/pdf" },
        { ".png", "image/png" },       { ".jpg", "image/jpeg" },
        { ".jpeg", "image/jpeg" },     { ".svg", "image/svg+xml" },
        { ".asc", "application/pgp-signature" },
        { ".sig", "application/pgp-signature" },
    };
    const char *dot = strrchr(name, '.');
    for (gsize i = 0; dot != NULL && i < G_N_ELEMENTS(types); i++)
        if (g_ascii_strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

/* Reads the --attach files into `files` (ImpFinishFile, whose data and names the caller
 * frees with clear_files()). */
static gboolean load_attachments(const ImpOptions *o, gint64 mtime, GArray *files,
                                 GError **error)
{
    for (guint i = 0; o->attachments != NULL && i < o->attachments->len; i++) {
        const char *path = o->attachments->pdata[i];
        char *data;
        gsize len;
        if (!imp_file_load(path, &data, &len, error))
            return FALSE;
        char *base = g_path_get_basename(path);
        ImpFinishFile f = { base, g_bytes_new_take(data, len), mime_type_of(base), NULL, mtime };
        g_array_append_val(files, f);
    }
    return TRUE;
}

static void clear_files(GArray *files)
{
    for (guint i = 0; i < files->len; i++) {
        ImpFinishFile *f = &g_array_index(files, ImpFinishFile, i);
        g_free((char *)f->name);
        g_bytes_unref(f->data);
    }
    g_array_free(files, TRUE);
}

/* A metadata value, or NULL when unset or empty. */
static const char *meta(const ImpDocument *doc, ImpMetaKey key)
{
    const char *v = imp_document_get_meta(doc, key);
    return v != NULL && *v != '\0' ? v : NULL;
}

/* Renders, then finishes; see the file comment. */
static gboolean render_archive(ImpLayout *layout, const ImpStyle *style, ImpPdfStandards set,
                               const char *out_name, gboolean release, ImpRun *run,
                               const ImpArchiveSource *source, ImpWriteFunc write,
                               gpointer user_data, GError **error)
{
    const ImpOptions *o = run->options;
    const ImpDocument *doc = imp_layout_get_document(layout);
    const char *in_name = source != NULL && source->name != NULL ? source->name
                        : meta(doc, IMP_META_SOURCE_FILE) != NULL
                            ? meta(doc, IMP_META_SOURCE_FILE) : "<input>";
    guint n_pages = imp_layout_get_n_pages(layout);
    guint first = MIN(o->first_page, n_pages);
    guint last = o->n_pages == 0 ? n_pages : MIN((guint64)o->first_page + o->n_pages, n_pages);
    if ((set & IMP_PDF_UA_1) && meta(doc, IMP_META_TITLE) == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: PDF/UA-1 (ISO 14289-1 §7.1): the document has no title, which its "
                    "metadata must have (dc:title); give one with -M title=TITLE",
                    in_name);
        return FALSE;
    }
    if ((set & IMP_PDF_UA_1) && o->untagged) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: PDF/UA-1 (ISO 14289-1 §7.1): the content must be tagged; "
                    "--no-pdf-tags asks for no tags", in_name);
        return FALSE;
    }
    if (((set & IMP_PDF_UA_1) && !check_alt_texts(doc, in_name, error)) ||
        ((set & (IMP_PDF_A_U | IMP_PDF_UA_1)) &&
         !check_missing_glyphs(layout, first, last, set, in_name, error)))
        return FALSE;
    gint64 now = o->creation_time_set ? o->creation_time : g_get_real_time() / G_USEC_PER_SEC;
    GArray *files = g_array_new(FALSE, FALSE, sizeof(ImpFinishFile));
    if (!load_attachments(o, now, files, error)) {
        clear_files(files);
        return FALSE;
    }

    /* render into memory, tagged (unless asked not to), with the elements' records */
    GByteArray *pdf = g_byte_array_new();
    GArray *elements = g_array_new(FALSE, FALSE, sizeof(ImpRenderElement));
    ImpRenderExtra extra = { !o->untagged, (set & IMP_PDF_UA_1) != 0, elements };
    gboolean ok = imp__step_render_full(layout, IMP_FORMAT_PDF, out_name, release, run, &extra,
                                        imp__bytes_write, pdf, error);

    ImpFinishOptions fo;
    imp__finish_options_init(&fo);
    fo.standards = set;
    fo.title = meta(doc, IMP_META_TITLE);
    fo.author = meta(doc, IMP_META_AUTHOR) != NULL ? meta(doc, IMP_META_AUTHOR)
                                                   : meta(doc, IMP_META_SITE);
    fo.subject = meta(doc, IMP_META_DESCRIPTION) != NULL ? meta(doc, IMP_META_DESCRIPTION)
                                                         : meta(doc, IMP_META_SECTION);
    fo.keywords = meta(doc, IMP_META_KEYWORDS);
    fo.language = meta(doc, IMP_META_LANGUAGE);
    if (fo.language == NULL && style != NULL)
        fo.language = imp_style_get_document(style)->language;
    char *base = NULL;
    if (meta(doc, IMP_META_URL) != NULL) {
        fo.source = meta(doc, IMP_META_URL);
    } else if (in_name[0] != '<') {
        base = g_path_get_basename(in_name);
        fo.source = base;
    }
    fo.creation_time = fo.modification_time = now;

    /* the input, embedded as the document's source (PDF/A-3 only: PDF/A-2 embeds none) */
    ImpFinishFile src = { 0 };
    char *src_name = NULL;
    if (source != NULL && source->data != NULL && (set & IMP_PDF_A_3)) {
        ImpInputFormat format = o->input_format != IMP_INPUT_AUTO
                              ? o->input_format
                              : imp_input_format_guess(source->name, source->data, source->len);
        const char *mime = format == IMP_INPUT_MARKDOWN ? "text/markdown"
                         : format == IMP_INPUT_HTML     ? "text/html"
                                                        : "text/plain";
        const char *ext = format == IMP_INPUT_MARKDOWN ? ".md"
                        : format == IMP_INPUT_HTML     ? ".html"
                                                       : ".txt";
        src_name = source->name == NULL || source->name[0] == '<'
                 ? g_strconcat("input", ext, NULL)
                 : g_path_get_basename(source->name);
        src.name = src_name;
        src.data = g_bytes_new_static(source->data, source->len);
        src.mime_type = mime;
        src.description = "The source this document was typeset from";
        src.mtime = now;
        fo.source_file = &src;
    }
    fo.attachments = (const ImpFinishFile *)(gpointer)files->data;
    fo.n_attachments = files->len;

    ImpFinishElement *fe = g_new0(ImpFinishElement, elements->len + 1);
    for (guint i = 0; i < elements->len; i++) {
        const ImpRenderElement *e = &g_array_index(elements, ImpRenderElement, i);
        fe[i].language = e->language;
        fe[i].alt = e->alt;
        fe[i].scope = e->scope;
    }
    fo.elements = fe;
    fo.n_elements = elements->len;

    GBytes *finished = NULL;
    if (ok) {
        GBytes *in = g_byte_array_free_to_bytes(pdf);
        pdf = NULL;
        ok = imp__finish_pdf(in, &fo, &finished, error);
        g_bytes_unref(in);
    }
    if (ok) {
        gsize len;
        const guchar *data = g_bytes_get_data(finished, &len);
        if (!write(user_data, data, len)) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "cannot write the PDF%s%s",
                        out_name != NULL ? ": " : "", out_name != NULL ? out_name : "");
            ok = FALSE;
        }
    }
    if (finished != NULL)
        g_bytes_unref(finished);
    if (pdf != NULL)
        g_byte_array_unref(pdf);
    if (src.data != NULL)
        g_bytes_unref(src.data);
    g_free(src_name);
    g_free(base);
    g_free(fe);
    g_array_free(elements, TRUE);
    clear_files(files);
    return ok;
}

/* Renders, to the run's standards; see pipeline.h. */
gboolean imp__archive_render(ImpLayout *layout, const ImpStyle *style, ImpFormat format,
                             const char *out_name, gboolean release, ImpRun *run,
                             const ImpArchiveSource *source, ImpWriteFunc write,
                             gpointer user_data, GError **error)
{
    ImpPdfStandards set = 0;
    if (format == IMP_FORMAT_PDF && !imp__archive_standards(run->options, style, &set, error))
        return FALSE;
    if (set == 0)
        return imp__step_render(layout, format, out_name, release, run, write, user_data,
                                error);
    return render_archive(layout, style, set, out_name, release, run, source, write,
                          user_data, error);
}
