/* document.c — the document model; see document.h for its invariants.
 *
 * Blocks live in a GPtrArray in document order; each block owns its text (a GString), its
 * spans, and a table of (byte offset, source line) pairs in increasing offset order. What
 * few blocks have (a marker, an image source, a table's rows) lives in a BlockExtra made
 * on first use, so a long document of plain paragraphs costs 56 bytes a block besides its
 * text.
 */
#include "document.h"

#include <string.h>

typedef struct {
    gsize offset;
    guint line;
} LineMark;

/* A table row: whether it is a header row, and its cells (ImpBlock*, owned). */
typedef struct {
    gboolean header;
    GPtrArray *cells;
} Row;

typedef struct {
    char *marker, *src, *title, *info, *id;
    guint n_columns;
    ImpCellAlign *aligns;   /* n_columns of them, or NULL */
    GArray *rows;           /* Row; NULL until the first */
} BlockExtra;

struct ImpBlock {
    guint8 kind;
    guint8 level;
    guint8 list_depth;
    guint8 quote_depth;
    guint16 flags;
    guint line;
    guint line0;    /* the source line of the mark at offset 0; 0: none */
    GString *text;
    GArray *spans;  /* ImpSpan; href owned here; NULL until the first */
    GArray *lines;  /* LineMark, from offset 0 on; NULL while line0 is the only mark (most
                       blocks: a long document holds one per paragraph) */
    const char *language; /* interned */
    BlockExtra *extra;    /* NULL until a field of it is set */
};

struct ImpDocument {
    char *meta[IMP_N_META];
    char *base_dir;
    GPtrArray *blocks;
};

static const char *const meta_names[IMP_N_META] = {
    "title", "subtitle", "author", "date", "section", "site", "site-extra", "source",
    "language", "source-file", "keywords", "description", "url",
};

static const char *const kind_names[IMP_N_BLOCK_KINDS] = {
    "title", "subtitle", "heading", "paragraph", "list-item", "code", "notice", "image",
    "page-break", "rule", "table", "term", "definition",
};

G_STATIC_ASSERT(G_N_ELEMENTS(meta_names) == IMP_N_META);
G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == IMP_N_BLOCK_KINDS);
G_STATIC_ASSERT(IMP_N_BLOCK_KINDS <= G_MAXUINT8);

/* Template and message name of a metadata key. */
const char *imp_meta_key_name(ImpMetaKey key)
{
    g_return_val_if_fail(key < IMP_N_META, NULL);
    return meta_names[key];
}

/* The key of a name as -M KEY=VALUE and front matter spell it: the template names, and
 * "lang" for "language". */
gboolean imp_meta_key_from_name(const char *name, ImpMetaKey *key)
{
    g_return_val_if_fail(name != NULL && key != NULL, FALSE);
    if (strcmp(name, "lang") == 0) {
        *key = IMP_META_LANGUAGE;
        return TRUE;
    }
    for (int i = 0; i < IMP_N_META; i++)
        if (strcmp(name, meta_names[i]) == 0) {
            *key = (ImpMetaKey)i;
            return TRUE;
        }
    return FALSE;
}

/* Message name of a block kind. */
const char *imp_block_kind_name(ImpBlockKind kind)
{
    g_return_val_if_fail(kind < IMP_N_BLOCK_KINDS, NULL);
    return kind_names[kind];
}

static void block_free(gpointer p);

static void row_clear(gpointer p)
{
    g_ptr_array_free(((Row *)p)->cells, TRUE);
}

static void extra_free(BlockExtra *x)
{
    if (x == NULL)
        return;
    g_free(x->marker);
    g_free(x->src);
    g_free(x->title);
    g_free(x->info);
    g_free(x->id);
    g_free(x->aligns);
    if (x->rows != NULL)
        g_array_free(x->rows, TRUE);
    g_free(x);
}

static ImpBlock *block_new(ImpBlockKind kind, guint line)
{
    ImpBlock *b = g_new0(ImpBlock, 1);
    b->kind = (guint8)kind;
    b->line = line;
    b->line0 = line;
    b->text = g_string_new(NULL);
    return b;
}

static void block_free(gpointer p)
{
    ImpBlock *b = p;
    for (guint i = 0; b->spans != NULL && i < b->spans->len; i++)
        g_free((char *)g_array_index(b->spans, ImpSpan, i).href);
    if (b->spans != NULL)
        g_array_free(b->spans, TRUE);
    if (b->lines != NULL)
        g_array_free(b->lines, TRUE);
    g_string_free(b->text, TRUE);
    extra_free(b->extra);
    g_free(b);
}

/* The block's extra fields, made on first use. */
static BlockExtra *extra_of(ImpBlock *b)
{
    if (b->extra == NULL)
        b->extra = g_new0(BlockExtra, 1);
    return b->extra;
}

/* A new, empty document. */
ImpDocument *imp_document_new(void)
{
    ImpDocument *doc = g_new0(ImpDocument, 1);
    doc->blocks = g_ptr_array_new_with_free_func(block_free);
    return doc;
}

/* Frees the document and every block in it. */
void imp_document_free(ImpDocument *doc)
{
    if (doc == NULL)
        return;
    for (int i = 0; i < IMP_N_META; i++)
        g_free(doc->meta[i]);
    g_free(doc->base_dir);
    g_ptr_array_free(doc->blocks, TRUE);
    g_free(doc);
}

/* Sets (a copy of) one metadata value; NULL unsets it. */
void imp_document_set_meta(ImpDocument *doc, ImpMetaKey key, const char *value)
{
    g_return_if_fail(doc != NULL && key < IMP_N_META);
    char *copy = g_strdup(value);
    g_free(doc->meta[key]);
    doc->meta[key] = copy;
}

/* One metadata value, or NULL when unset. */
const char *imp_document_get_meta(const ImpDocument *doc, ImpMetaKey key)
{
    g_return_val_if_fail(doc != NULL && key < IMP_N_META, NULL);
    return doc->meta[key];
}

void imp_document_set_base_dir(ImpDocument *doc, const char *dir)
{
    g_return_if_fail(doc != NULL);
    char *copy = g_strdup(dir);
    g_free(doc->base_dir);
    doc->base_dir = copy;
}

const char *imp_document_get_base_dir(const ImpDocument *doc)
{
    g_return_val_if_fail(doc != NULL, NULL);
    return doc->base_dir;
}

static void trim_string(GString *s)
{
    if (s->allocated_len > s->len + 1) {
        /* GString's fields are public: a buffer of exactly len + 1 bytes is valid */
        s->str = g_realloc(s->str, s->len + 1);
        s->allocated_len = s->len + 1;
    }
}

/* Shrinks each block's (and table cell's) text buffer to its length; see document.h. */
void imp_document_trim(ImpDocument *doc)
{
    g_return_if_fail(doc != NULL);
    for (guint i = 0; i < doc->blocks->len; i++) {
        const ImpBlock *b = g_ptr_array_index(doc->blocks, i);
        trim_string(b->text);
        if (b->extra == NULL || b->extra->rows == NULL)
            continue;
        for (guint r = 0; r < b->extra->rows->len; r++) {
            const GPtrArray *cells = g_array_index(b->extra->rows, Row, r).cells;
            for (guint c = 0; c < cells->len; c++)
                trim_string(((ImpBlock *)g_ptr_array_index(cells, c))->text);
        }
    }
}

/* Appends an empty block of `kind` that starts at source line `line`. */
ImpBlock *imp_document_append_block(ImpDocument *doc, ImpBlockKind kind, guint line)
{
    g_return_val_if_fail(doc != NULL && kind < IMP_N_BLOCK_KINDS, NULL);
    ImpBlock *b = block_new(kind, line);
    g_ptr_array_add(doc->blocks, b);
    return b;
}

guint imp_document_get_n_blocks(const ImpDocument *doc)
{
    g_return_val_if_fail(doc != NULL, 0);
    return doc->blocks->len;
}

const ImpBlock *imp_document_get_block(const ImpDocument *doc, guint index)
{
    g_return_val_if_fail(doc != NULL && index < doc->blocks->len, NULL);
    return g_ptr_array_index(doc->blocks, index);
}

/* Appends text; the caller guarantees valid UTF-8 without NUL (invariant 1). */
void imp_block_append_text(ImpBlock *block, const char *text, gssize len)
{
    g_return_if_fail(block != NULL && text != NULL);
    if (len < 0)
        len = (gssize)strlen(text);
    g_return_if_fail(memchr(text, '\0', (gsize)len) == NULL);
    g_string_append_len(block->text, text, len);
}

/* Records that text appended from now on comes from source line `line`. */
void imp_block_begin_line(ImpBlock *block, guint line)
{
    g_return_if_fail(block != NULL);
    LineMark m = { block->text->len, line };
    if (block->lines == NULL) {
        if (m.offset == 0) {
            block->line0 = line; /* replaces the mark at offset 0, as below */
            if (block->line == 0)
                block->line = line;
            return;
        }
        block->lines = g_array_new(FALSE, FALSE, sizeof(LineMark));
        if (block->line0 > 0) {
            LineMark first = { 0, block->line0 };
            g_array_append_val(block->lines, first);
        }
    }
    if (block->lines->len > 0) {
        LineMark *last = &g_array_index(block->lines, LineMark, block->lines->len - 1);
        if (last->offset == m.offset) {
            last->line = line;
            return;
        }
    }
    g_array_append_val(block->lines, m);
    if (block->line == 0)
        block->line = line;
}

void imp_block_set_level(ImpBlock *block, guint level)
{
    g_return_if_fail(block != NULL);
    block->level = (guint8)MIN(level, G_MAXUINT8);
}

void imp_block_set_list_depth(ImpBlock *block, guint depth)
{
    g_return_if_fail(block != NULL);
    block->list_depth = (guint8)MIN(depth, G_MAXUINT8);
}

void imp_block_set_quote_depth(ImpBlock *block, guint depth)
{
    g_return_if_fail(block != NULL);
    block->quote_depth = (guint8)MIN(depth, G_MAXUINT8);
}

void imp_block_set_flags(ImpBlock *block, ImpBlockFlags flags)
{
    g_return_if_fail(block != NULL);
    block->flags = (guint16)flags;
}

static void replace_str(char **slot, const char *value)
{
    char *copy = g_strdup(value);
    g_free(*slot);
    *slot = copy;
}

void imp_block_set_marker(ImpBlock *block, const char *marker)
{
    g_return_if_fail(block != NULL);
    replace_str(&extra_of(block)->marker, marker);
}

void imp_block_set_src(ImpBlock *block, const char *src)
{
    g_return_if_fail(block != NULL);
    replace_str(&extra_of(block)->src, src);
}

void imp_block_set_title(ImpBlock *block, const char *title)
{
    g_return_if_fail(block != NULL);
    replace_str(&extra_of(block)->title, title);
}

void imp_block_set_info(ImpBlock *block, const char *info)
{
    g_return_if_fail(block != NULL);
    replace_str(&extra_of(block)->info, info);
}

void imp_block_set_id(ImpBlock *block, const char *id)
{
    g_return_if_fail(block != NULL);
    replace_str(&extra_of(block)->id, id);
}

void imp_block_set_language(ImpBlock *block, const char *lang)
{
    g_return_if_fail(block != NULL);
    block->language = g_intern_string(lang);
}

/* Adds a span; the range must lie within the text appended so far (invariant 2). */
void imp_block_add_span(ImpBlock *block, gsize start, gsize end, ImpSpanFlags flags,
                        const char *href)
{
    g_return_if_fail(block != NULL && start <= end && end <= block->text->len);
    ImpSpan s = { start, end, flags, g_strdup(href), NULL };
    if (block->spans == NULL)
        block->spans = g_array_new(FALSE, FALSE, sizeof(ImpSpan));
    g_array_append_val(block->spans, s);
}

/* Adds a language span; the range must lie within the text appended so far. */
void imp_block_add_lang_span(ImpBlock *block, gsize start, gsize end, const char *lang)
{
    g_return_if_fail(block != NULL && lang != NULL);
    g_return_if_fail(start <= end && end <= block->text->len);
    ImpSpan s = { start, end, IMP_SPAN_LANG, NULL, g_intern_string(lang) };
    if (block->spans == NULL)
        block->spans = g_array_new(FALSE, FALSE, sizeof(ImpSpan));
    g_array_append_val(block->spans, s);
}

/* ------------------------------------------------------------------------------------ */
/* Tables                                                                               */
/* ------------------------------------------------------------------------------------ */

void imp_table_set_columns(ImpBlock *table, guint n_columns, const ImpCellAlign *aligns)
{
    g_return_if_fail(table != NULL && table->kind == IMP_BLOCK_TABLE);
    BlockExtra *x = extra_of(table);
    g_free(x->aligns);
    x->n_columns = n_columns;
    x->aligns = aligns != NULL && n_columns > 0
              ? g_memdup2(aligns, n_columns * sizeof(ImpCellAlign)) : NULL;
}

void imp_table_begin_row(ImpBlock *table, gboolean header)
{
    g_return_if_fail(table != NULL && table->kind == IMP_BLOCK_TABLE);
    BlockExtra *x = extra_of(table);
    if (x->rows == NULL) {
        x->rows = g_array_new(FALSE, FALSE, sizeof(Row));
        g_array_set_clear_func(x->rows, row_clear);
    }
    Row row = { header, g_ptr_array_new_with_free_func(block_free) };
    g_array_append_val(x->rows, row);
}

/* Appends a cell to the last row; a row is begun when there is none. */
ImpBlock *imp_table_add_cell(ImpBlock *table, guint line)
{
    g_return_val_if_fail(table != NULL && table->kind == IMP_BLOCK_TABLE, NULL);
    BlockExtra *x = extra_of(table);
    if (x->rows == NULL || x->rows->len == 0)
        imp_table_begin_row(table, FALSE);
    Row *row = &g_array_index(x->rows, Row, x->rows->len - 1);
    ImpBlock *cell = block_new(IMP_BLOCK_PARAGRAPH, line);
    g_ptr_array_add(row->cells, cell);
    if (row->cells->len > x->n_columns) {
        /* a row wider than the delimiter row said: the table grows, new columns default */
        if (x->aligns != NULL) {
            x->aligns = g_renew(ImpCellAlign, x->aligns, row->cells->len);
            x->aligns[row->cells->len - 1] = IMP_CELL_ALIGN_DEFAULT;
        }
        x->n_columns = row->cells->len;
    }
    return cell;
}

guint imp_table_get_n_columns(const ImpBlock *table)
{
    g_return_val_if_fail(table != NULL, 0);
    return table->extra != NULL ? table->extra->n_columns : 0;
}

ImpCellAlign imp_table_get_align(const ImpBlock *table, guint column)
{
    g_return_val_if_fail(table != NULL, IMP_CELL_ALIGN_DEFAULT);
    const BlockExtra *x = table->extra;
    if (x == NULL || x->aligns == NULL || column >= x->n_columns)
        return IMP_CELL_ALIGN_DEFAULT;
    return x->aligns[column];
}

guint imp_table_get_n_rows(const ImpBlock *table)
{
    g_return_val_if_fail(table != NULL, 0);
    return table->extra != NULL && table->extra->rows != NULL ? table->extra->rows->len : 0;
}

gboolean imp_table_row_is_header(const ImpBlock *table, guint row)
{
    g_return_val_if_fail(table != NULL && row < imp_table_get_n_rows(table), FALSE);
    return g_array_index(table->extra->rows, Row, row).header;
}

guint imp_table_get_n_cells(const ImpBlock *table, guint row)
{
    g_return_val_if_fail(table != NULL && row < imp_table_get_n_rows(table), 0);
    return g_array_index(table->extra->rows, Row, row).cells->len;
}

/* A cell, or NULL where the row has fewer cells than the table has columns. */
const ImpBlock *imp_table_get_cell(const ImpBlock *table, guint row, guint column)
{
    g_return_val_if_fail(table != NULL && row < imp_table_get_n_rows(table), NULL);
    const GPtrArray *cells = g_array_index(table->extra->rows, Row, row).cells;
    return column < cells->len ? g_ptr_array_index(cells, column) : NULL;
}

ImpBlockKind imp_block_get_kind(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, IMP_BLOCK_PARAGRAPH);
    return block->kind;
}

guint imp_block_get_level(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return block->level;
}

guint imp_block_get_list_depth(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return block->list_depth;
}

guint imp_block_get_quote_depth(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return block->quote_depth;
}

ImpBlockFlags imp_block_get_flags(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return (ImpBlockFlags)block->flags;
}

const char *imp_block_get_text(const ImpBlock *block, gsize *len)
{
    g_return_val_if_fail(block != NULL, NULL);
    if (len != NULL)
        *len = block->text->len;
    return block->text->str;
}

const char *imp_block_get_marker(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->extra != NULL ? block->extra->marker : NULL;
}

const char *imp_block_get_src(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->extra != NULL ? block->extra->src : NULL;
}

const char *imp_block_get_title(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->extra != NULL ? block->extra->title : NULL;
}

const char *imp_block_get_info(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->extra != NULL ? block->extra->info : NULL;
}

const char *imp_block_get_id(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->extra != NULL ? block->extra->id : NULL;
}

const char *imp_block_get_language(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->language;
}

guint imp_block_get_n_spans(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return block->spans != NULL ? block->spans->len : 0;
}

const ImpSpan *imp_block_get_span(const ImpBlock *block, guint index)
{
    g_return_val_if_fail(block != NULL && index < imp_block_get_n_spans(block), NULL);
    return &g_array_index(block->spans, ImpSpan, index);
}

guint imp_block_get_line(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, 0);
    return block->line;
}

/* The source line of byte `offset`: the last mark at or before it (binary search, since
 * long paragraphs have many marks and this is asked per reported character). */
guint imp_block_get_line_at(const ImpBlock *block, gsize offset)
{
    g_return_val_if_fail(block != NULL, 0);
    if (block->lines == NULL)
        return block->line0 > 0 ? block->line0 : block->line;
    guint lo = 0, hi = block->lines->len;
    if (hi == 0)
        return block->line;
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(block->lines, LineMark, mid).offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return g_array_index(block->lines, LineMark, lo).line;
}
