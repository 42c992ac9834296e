/* kit.c — the press kit's files besides the PDF and the preview: NAME.txt (the document's
 * text as read), NAME.json (its facts), and the kit's index.html and index.json.
 *
 * What a press office publishes with a speech: the PDF for print, a preview for the web,
 * the text for journalists to quote, and the facts (title, date, source line) in a form a
 * website reads. The text comes from the document model, not from the PDF: block by block
 * in reading order, so nothing the layout adds (running heads, page numbers, hyphens) is in
 * it and nothing of the body or the notice is missing from it.
 *
 * index.html is one self-contained page: no script, no remote resource, the previews and
 * files by relative links, a style sheet in the page that reads on a phone (one column) and
 * in print (a list with the links written out).
 *
 * Invariants:
 *  1. Every file depends only on the documents and the creation time given: two runs with
 *     SOURCE_DATE_EPOCH write the same bytes (no clock, no host, no input path).
 *  2. index.json is the documents' NAME.json objects in a list, in the batch's order, so a
 *     site may read either.
 */
#include <string.h>

#include "batch.h"
#include "../model/lang.h"
#include "../util/error.h"
#include "../util/file.h"

/* ---- the text ---- */

/* Appends a block's text, a hard line break ('\n') kept. */
static void append_block(GString *out, const ImpBlock *block)
{
    gsize len;
    const char *text = imp_block_get_text(block, &len);
    const char *marker = imp_block_get_marker(block);
    if (marker != NULL && *marker != '\0')
        g_string_append_printf(out, "%s ", marker);
    g_string_append_len(out, text, (gssize)len);
}

/* The characters of a block's text (a table's: its cells'). */
static guint64 block_chars(const ImpBlock *block)
{
    if (imp_block_get_kind(block) != IMP_BLOCK_TABLE) {
        gsize len;
        const char *text = imp_block_get_text(block, &len);
        return (guint64)g_utf8_strlen(text, (gssize)len);
    }
    guint64 n = 0;
    for (guint r = 0; r < imp_table_get_n_rows(block); r++)
        for (guint c = 0; c < imp_table_get_n_cells(block, r); c++)
            n += block_chars(imp_table_get_cell(block, r, c));
    return n;
}

char *imp__kit_text(const ImpDocument *doc, guint64 *n_chars)
{
    GString *out = g_string_new(NULL);
    *n_chars = 0;
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *block = imp_document_get_block(doc, i);
        ImpBlockKind kind = imp_block_get_kind(block);
        if (kind == IMP_BLOCK_PAGE_BREAK || kind == IMP_BLOCK_RULE)
            continue;
        *n_chars += block_chars(block);
        gsize start = out->len;
        if (out->len > 0)
            g_string_append(out, "\n");
        gsize body = out->len;
        if (kind == IMP_BLOCK_TABLE) {
            for (guint r = 0; r < imp_table_get_n_rows(block); r++) {
                for (guint c = 0; c < imp_table_get_n_cells(block, r); c++) {
                    if (c > 0)
                        g_string_append_c(out, '\t');
                    append_block(out, imp_table_get_cell(block, r, c));
                }
                g_string_append_c(out, '\n');
            }
        } else {
            append_block(out, block);
            g_string_append_c(out, '\n');
        }
        if (out->len == body + 1) /* nothing but the line end: no block of its own */
            g_string_truncate(out, start);
    }
    return g_string_free(out, FALSE);
}

/* ---- NAME.json ---- */

/* The metadata keys NAME.json carries, always (null when unset), and their names there. */
static const struct {
    ImpMetaKey key;
    const char *name;
} facts[] = {
    { IMP_META_TITLE, "title" },         { IMP_META_SUBTITLE, "subtitle" },
    { IMP_META_AUTHOR, "author" },       { IMP_META_DATE, "date" },
    { IMP_META_SECTION, "section" },     { IMP_META_SITE, "site" },
    { IMP_META_SOURCE, "attribution" },  { IMP_META_LANGUAGE, "language" },
    { IMP_META_URL, "url" },             { IMP_META_DESCRIPTION, "description" },
    { IMP_META_KEYWORDS, "keywords" },
};

/* The kit's files: which role each has, by extension. */
static const struct {
    const char *ext, *role, *media_type;
} kinds[] = {
    { "pdf", "pdf", "application/pdf" },
    { "png", "preview", "image/png" },
    { "txt", "text", "text/plain; charset=utf-8" },
};

JsonObject *imp__kit_document_json(const ImpDocument *doc, const char *name,
                                   guint position, guint n_pages, guint64 n_chars,
                                   const GArray *files, guint preview_width,
                                   guint preview_height, const char *style_language)
{
    /* the reader's language, else the one the text is in (CJK text by its characters),
       else the style's, which it was set in */
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < imp_document_get_n_blocks(doc) && all->len < 64 * 1024; i++) {
        gsize len;
        const char *text = imp_block_get_text(imp_document_get_block(doc, i), &len);
        g_string_append_len(all, text, (gssize)len);
        g_string_append_c(all, '\n');
    }
    const char *language = imp_lang_detect(all->str, (gssize)all->len, style_language);
    g_string_free(all, TRUE);
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "name", name);
    json_object_set_int_member(o, "position", position);
    for (guint k = 0; k < G_N_ELEMENTS(facts); k++) {
        const char *v = imp_document_get_meta(doc, facts[k].key);
        if (v == NULL && facts[k].key == IMP_META_LANGUAGE)
            v = language; /* found in the text */
        if (v != NULL)
            json_object_set_string_member(o, facts[k].name, v);
        else
            json_object_set_null_member(o, facts[k].name);
    }
    json_object_set_int_member(o, "pages", n_pages);
    json_object_set_int_member(o, "characters", (gint64)n_chars);
    JsonObject *f = json_object_new();
    for (guint i = 0; i < files->len; i++) {
        const ImpWritten *w = &g_array_index(files, ImpWritten, i);
        const char *dot = strrchr(w->path, '.');
        for (guint k = 0; dot != NULL && k < G_N_ELEMENTS(kinds); k++) {
            if (strcmp(dot + 1, kinds[k].ext) != 0)
                continue;
            JsonObject *file = json_object_new();
            char *base = g_path_get_basename(w->path);
            json_object_set_string_member(file, "name", base);
            g_free(base);
            json_object_set_string_member(file, "media_type", kinds[k].media_type);
            json_object_set_int_member(file, "bytes", (gint64)w->bytes);
            json_object_set_string_member(file, "sha256", w->sha256);
            if (strcmp(kinds[k].role, "preview") == 0) {
                json_object_set_int_member(file, "width", preview_width);
                json_object_set_int_member(file, "height", preview_height);
            }
            json_object_set_object_member(f, kinds[k].role, file);
        }
    }
    json_object_set_object_member(o, "files", f);
    json_object_set_string_member(o, "generator", "imprint " IMP_VERSION);
    return o;
}

char *imp__json_to_string(JsonNode *node)
{
    JsonGenerator *gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    json_generator_set_root(gen, node);
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    char *out = g_strconcat(text, "\n", NULL);
    g_free(text);
    return out;
}

/* ---- the index ---- */

/* A string member, or NULL when absent or null. */
static const char *get_string(JsonObject *o, const char *key)
{
    JsonNode *n = json_object_get_member(o, key);
    return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : NULL;
}

static gint64 get_int(JsonObject *o, const char *key)
{
    JsonNode *n = json_object_get_member(o, key);
    return n != NULL && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : 0;
}

/* A file of a document's "files", or NULL. */
static JsonObject *get_file(JsonObject *doc, const char *role)
{
    JsonNode *files = json_object_get_member(doc, "files");
    if (files == NULL || !JSON_NODE_HOLDS_OBJECT(files))
        return NULL;
    JsonNode *f = json_object_get_member(json_node_get_object(files), role);
    return f != NULL && JSON_NODE_HOLDS_OBJECT(f) ? json_node_get_object(f) : NULL;
}

/* Appends `text` escaped for HTML text or a quoted attribute. */
static void append_escaped(GString *out, const char *text)
{
    char *e = g_markup_escape_text(text, -1);
    g_string_append(out, e);
    g_free(e);
}

/* Appends a file name as a relative URL, escaped for an attribute. */
static void append_href(GString *out, const char *name)
{
    char *uri = g_uri_escape_string(name, NULL, FALSE);
    append_escaped(out, uri);
    g_free(uri);
}

/* "1,234" (the kit is in English, whatever the locale). */
static char *with_commas(guint64 n)
{
    char digits[32];
    g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
    GString *s = g_string_new(NULL);
    gsize len = strlen(digits);
    for (gsize i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c(s, ',');
        g_string_append_c(s, digits[i]);
    }
    return g_string_free(s, FALSE);
}

/* "84 KB", "1.2 MB" */
static char *size_text(guint64 bytes)
{
    if (bytes < 1000)
        return g_strdup_printf("%" G_GUINT64_FORMAT " bytes", bytes);
    if (bytes < 1000 * 1000)
        return g_strdup_printf("%" G_GUINT64_FORMAT " KB", (bytes + 500) / 1000);
    return g_strdup_printf("%.1f MB", (double)bytes / 1e6);
}

static const char css[] =
    ":root{color-scheme:light;font-family:\"Noto Serif\",Georgia,\"Noto Serif CJK SC\",serif;"
    "line-height:1.45;color:#1b1b1b;background:#fff}\n"
    "body{margin:0 auto;max-width:75rem;padding:1rem 1.25rem 2rem}\n"
    "header{border-bottom:2px solid #1b1b1b;margin-bottom:1.5rem}\n"
    "h1,h2,.meta,.files,footer{font-family:\"Noto Sans\",system-ui,\"Noto Sans CJK SC\","
    "sans-serif}\n"
    "h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 .25rem}\n"
    "header p{margin:0 0 .75rem;color:#555}\n"
    ".docs{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));"
    "gap:1.5rem}\n"
    ".doc{border:1px solid #c8c8c8;border-radius:4px;overflow:hidden;background:#fff}\n"
    ".preview{display:block;background:#f3f3f3;border-bottom:1px solid #c8c8c8}\n"
    ".preview img{display:block;width:100%;height:auto}\n"
    ".about{padding:.75rem 1rem 1rem}\n"
    "h2{font-size:1.15rem;line-height:1.3;margin:0 0 .3rem}\n"
    "h2 a{color:inherit;text-decoration:none}\n"
    "h2 a:hover,h2 a:focus{text-decoration:underline}\n"
    ".subtitle{margin:0 0 .4rem}\n"
    ".meta{font-size:.85rem;color:#555;margin:0 0 .4rem}\n"
    ".attribution{font-size:.85rem;font-style:italic;margin:0 0 .6rem}\n"
    ".files{font-size:.85rem;list-style:none;margin:0;padding:0;display:flex;"
    "flex-wrap:wrap;gap:.2rem 1rem}\n"
    ".files span{color:#555}\n"
    "a{color:#0b57a4}\n"
    "footer{margin-top:2rem;font-size:.8rem;color:#555}\n"
    "@media (max-width:40rem){body{padding:.75rem}.docs{grid-template-columns:1fr}"
    "h1{font-size:1.4rem}}\n"
    "@media print{:root{font-size:10pt}body{max-width:none;padding:0}"
    ".docs{display:block}.doc{display:flex;gap:1rem;border:0;border-bottom:1px solid #999;"
    "border-radius:0;padding:.6rem 0;break-inside:avoid}"
    ".preview{flex:0 0 28mm;border:1px solid #999}"
    "a{color:inherit;text-decoration:none}"
    ".files a::after{content:\" (\" attr(href) \")\"}}\n";

/* One document's entry in index.html. */
static void html_document(GString *h, JsonObject *d)
{
    const char *name = get_string(d, "name");
    const char *title = get_string(d, "title");
    const char *lang = get_string(d, "language");
    JsonObject *pdf = get_file(d, "pdf"), *preview = get_file(d, "preview");
    JsonObject *text = get_file(d, "text");
    char *pdf_name = g_strconcat(name, ".pdf", NULL);
    const char *pdf_file = pdf != NULL ? get_string(pdf, "name") : pdf_name;

    g_string_append(h, "<article class=\"doc\"");
    if (lang != NULL) {
        g_string_append(h, " lang=\"");
        append_escaped(h, lang);
        g_string_append(h, "\"");
    }
    g_string_append(h, ">\n");
    if (preview != NULL) {
        g_string_append(h, "<a class=\"preview\" href=\"");
        append_href(h, pdf_file);
        g_string_append(h, "\"><img src=\"");
        append_href(h, get_string(preview, "name"));
        g_string_append_printf(h, "\" width=\"%" G_GINT64_FORMAT "\" height=\"%" G_GINT64_FORMAT
                               "\" alt=\"First page of ", get_int(preview, "width"),
                               get_int(preview, "height"));
        append_escaped(h, title != NULL ? title : name);
        g_string_append(h, "\"></a>\n");
    }
    g_string_append(h, "<div class=\"about\">\n<h2><a href=\"");
    append_href(h, pdf_file);
    g_string_append(h, "\">");
    append_escaped(h, title != NULL ? title : name);
    g_string_append(h, "</a></h2>\n");
    const char *subtitle = get_string(d, "subtitle");
    if (subtitle != NULL) {
        g_string_append(h, "<p class=\"subtitle\">");
        append_escaped(h, subtitle);
        g_string_append(h, "</p>\n");
    }
    const char *meta[] = { get_string(d, "date"), get_string(d, "author"),
                           get_string(d, "site"), get_string(d, "section") };
    gboolean any = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(meta); i++) {
        if (meta[i] == NULL || (i == 2 && meta[1] != NULL && strcmp(meta[1], meta[2]) == 0))
            continue;
        g_string_append(h, any ? " · " : "<p class=\"meta\">");
        append_escaped(h, meta[i]);
        any = TRUE;
    }
    if (any)
        g_string_append(h, "</p>\n");
    const char *attribution = get_string(d, "attribution");
    if (attribution != NULL) {
        g_string_append(h, "<p class=\"attribution\">");
        append_escaped(h, attribution);
        g_string_append(h, "</p>\n");
    }
    g_string_append(h, "<ul class=\"files\">\n");
    char *pages = with_commas((guint64)get_int(d, "pages"));
    char *chars = with_commas((guint64)get_int(d, "characters"));
    struct {
        JsonObject *file;
        const char *label;
        char *note;
    } links[] = {
        { pdf, "PDF", NULL },
        { text, "Text", g_strdup_printf("%s characters", chars) },
        { preview, "Preview", NULL },
    };
    if (pdf != NULL) {
        char *size = size_text((guint64)get_int(pdf, "bytes"));
        links[0].note = g_strdup_printf("%s page%s, %s", pages,
                                        get_int(d, "pages") == 1 ? "" : "s", size);
        g_free(size);
    }
    if (preview != NULL)
        links[2].note = g_strdup_printf("PNG, %" G_GINT64_FORMAT " px wide",
                                        get_int(preview, "width"));
    for (guint i = 0; i < G_N_ELEMENTS(links); i++) {
        if (links[i].file != NULL) {
            g_string_append(h, "<li><a href=\"");
            append_href(h, get_string(links[i].file, "name"));
            g_string_append_printf(h, "\">%s</a>", links[i].label);
            if (links[i].note != NULL)
                g_string_append_printf(h, " <span>(%s)</span>", links[i].note);
            g_string_append(h, "</li>\n");
        }
        g_free(links[i].note);
    }
    char *json_name = g_strconcat(name, ".json", NULL);
    g_string_append(h, "<li><a href=\"");
    append_href(h, json_name);
    g_string_append(h, "\">Facts</a> <span>(JSON)</span></li>\n</ul>\n</div>\n</article>\n");
    g_free(json_name);
    g_free(pages);
    g_free(chars);
    g_free(pdf_name);
}

/* index.html for `docs` (transfer full). */
static char *index_html(GPtrArray *docs, const char *created)
{
    GString *h = g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                              "<meta charset=\"utf-8\">\n"
                              "<meta name=\"viewport\" content=\"width=device-width, "
                              "initial-scale=1\">\n"
                              "<meta name=\"generator\" content=\"imprint " IMP_VERSION "\">\n"
                              "<title>Press kit</title>\n<style>\n");
    g_string_append(h, css);
    g_string_append(h, "</style>\n</head>\n<body>\n<header>\n<h1>Press kit</h1>\n<p>");
    char *n = with_commas(docs->len);
    g_string_append_printf(h, "%s document%s", n, docs->len == 1 ? "" : "s");
    g_free(n);
    if (created != NULL)
        g_string_append_printf(h, " · made %.10s", created);
    g_string_append(h, " · each as PDF, preview image, text and facts</p>\n</header>\n"
                       "<main class=\"docs\">\n");
    for (guint i = 0; i < docs->len; i++)
        html_document(h, docs->pdata[i]);
    g_string_append(h, "</main>\n<footer><p>Made with imprint " IMP_VERSION
                       ". The facts of every document are also in "
                       "<a href=\"index.json\">index.json</a>.</p></footer>\n"
                       "</body>\n</html>\n");
    return g_string_free(h, FALSE);
}

/* Writes `text` to `path`, all or nothing. */
static gboolean write_text(const char *path, const char *text, GError **error)
{
    ImpOutput *out = imp_output_open(path, error);
    if (out == NULL)
        return FALSE;
    imp_output_write(out, text, strlen(text));
    return imp_output_commit(out, error);
}

gboolean imp__kit_write_index(const char *dir, GPtrArray *docs, gint64 created,
                              GError **error)
{
    char *when = NULL;
    if (created >= 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(created);
        when = dt != NULL ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
        if (dt != NULL)
            g_date_time_unref(dt);
    }
    JsonObject *index = json_object_new();
    json_object_set_string_member(index, "generator", "imprint " IMP_VERSION);
    if (when != NULL)
        json_object_set_string_member(index, "created", when);
    else
        json_object_set_null_member(index, "created");
    JsonArray *list = json_array_new();
    for (guint i = 0; i < docs->len; i++)
        json_array_add_object_element(list, json_object_ref(docs->pdata[i]));
    json_object_set_array_member(index, "documents", list);
    JsonNode *node = json_node_init_object(json_node_alloc(), index);
    char *json = imp__json_to_string(node);
    json_node_unref(node);
    json_object_unref(index);
    char *html = index_html(docs, when);
    char *json_path = g_build_filename(dir, "index.json", NULL);
    char *html_path = g_build_filename(dir, "index.html", NULL);
    gboolean ok = write_text(json_path, json, error) && write_text(html_path, html, error);
    g_free(json_path);
    g_free(html_path);
    g_free(html);
    g_free(json);
    g_free(when);
    return ok;
}

/* Orders documents by position, then name. */
static gint compare_docs(gconstpointer a, gconstpointer b)
{
    JsonObject *x = *(JsonObject *const *)a, *y = *(JsonObject *const *)b;
    gint64 px = get_int(x, "position"), py = get_int(y, "position");
    if (px != py)
        return px < py ? -1 : 1;
    return g_strcmp0(get_string(x, "name"), get_string(y, "name"));
}

gboolean imp_kit_write_index(const char *dir, gint64 created, GError **error)
{
    g_return_val_if_fail(dir != NULL, FALSE);
    GError *local = NULL;
    GDir *d = g_dir_open(dir, 0, &local);
    if (d == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: cannot read the kit: %s", dir,
                    local->message);
        g_error_free(local);
        return FALSE;
    }
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
    JsonParser *parser = json_parser_new();
    const char *entry;
    /* NAME.json files whose "name" is NAME and which imprint wrote; anything else in the
       folder is left alone */
    while ((entry = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_suffix(entry, ".json") || strcmp(entry, "index.json") == 0)
            continue;
        char *path = g_build_filename(dir, entry, NULL);
        char *stem = g_strndup(entry, strlen(entry) - 5);
        if (json_parser_load_from_file(parser, path, NULL)) {
            JsonNode *root = json_parser_get_root(parser);
            JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root)
                                ? json_node_get_object(root) : NULL;
            const char *gen = o != NULL ? get_string(o, "generator") : NULL;
            if (gen != NULL && g_str_has_prefix(gen, "imprint ") &&
                g_strcmp0(get_string(o, "name"), stem) == 0)
                g_ptr_array_add(docs, json_object_ref(o));
        }
        g_free(stem);
        g_free(path);
    }
    g_dir_close(d);
    g_object_unref(parser);
    gboolean ok = docs->len > 0;
    if (!ok)
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s: no press kit documents (NAME.json files imprint wrote) in it", dir);
    else {
        g_ptr_array_sort(docs, compare_docs);
        ok = imp__kit_write_index(dir, docs, created, error);
    }
    g_ptr_array_free(docs, TRUE);
    return ok;
}
