/* document.c — the document model; see document.h for its invariants.
 *
 * Blocks live in a GPtrArray in document order; each block owns its text (a GString), its
 * spans, and a table of (byte offset, source line) pairs in increasing offset order.
 */
#include "document.h"

#include <string.h>

typedef struct {
    gsize offset;
    guint line;
} LineMark;

struct ImpBlock {
    ImpBlockKind kind;
    guint level;
    guint line;
    guint line0;    /* the source line of the mark at offset 0; 0: none */
    GString *text;
    GArray *spans;  /* ImpSpan; href owned here; NULL until the first */
    GArray *lines;  /* LineMark, from offset 0 on; NULL while line0 is the only mark (most
                       blocks: a long document holds one per paragraph) */
    char *marker, *src, *language;
};

struct ImpDocument {
    char *meta[IMP_N_META];
    GPtrArray *blocks;
};

static const char *const meta_names[IMP_N_META] = {
    "title", "subtitle", "author", "date", "section", "site", "site-extra", "source",
    "language", "source-file",
};

static const char *const kind_names[IMP_N_BLOCK_KINDS] = {
    "title", "subtitle", "heading", "paragraph", "list-item", "quote", "code", "notice",
    "image", "page-break",
};

/* Template and message name of a metadata key. */
const char *imp_meta_key_name(ImpMetaKey key)
{
    g_return_val_if_fail(key < IMP_N_META, NULL);
    return meta_names[key];
}

/* Message name of a block kind. */
const char *imp_block_kind_name(ImpBlockKind kind)
{
    g_return_val_if_fail(kind < IMP_N_BLOCK_KINDS, NULL);
    return kind_names[kind];
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
    g_free(b->marker);
    g_free(b->src);
    g_free(b->language);
    g_free(b);
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

/* Shrinks each block's text buffer to its length; see document.h. */
void imp_document_trim(ImpDocument *doc)
{
    g_return_if_fail(doc != NULL);
    for (guint i = 0; i < doc->blocks->len; i++) {
        GString *s = ((ImpBlock *)g_ptr_array_index(doc->blocks, i))->text;
        if (s->allocated_len > s->len + 1) {
            /* GString's fields are public: a buffer of exactly len + 1 bytes is valid */
            s->str = g_realloc(s->str, s->len + 1);
            s->allocated_len = s->len + 1;
        }
    }
}

/* Appends an empty block of `kind` that starts at source line `line`. */
ImpBlock *imp_document_append_block(ImpDocument *doc, ImpBlockKind kind, guint line)
{
    g_return_val_if_fail(doc != NULL && kind < IMP_N_BLOCK_KINDS, NULL);
    ImpBlock *b = g_new0(ImpBlock, 1);
    b->kind = kind;
    b->line = line;
    b->line0 = line;
    b->text = g_string_new(NULL);
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
    block->level = level;
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
    replace_str(&block->marker, marker);
}

void imp_block_set_src(ImpBlock *block, const char *src)
{
    g_return_if_fail(block != NULL);
    replace_str(&block->src, src);
}

void imp_block_set_language(ImpBlock *block, const char *lang)
{
    g_return_if_fail(block != NULL);
    replace_str(&block->language, lang);
}

/* Adds a span; the range must lie within the text appended so far (invariant 2). */
void imp_block_add_span(ImpBlock *block, gsize start, gsize end, ImpSpanFlags flags,
                        const char *href)
{
    g_return_if_fail(block != NULL && start <= end && end <= block->text->len);
    ImpSpan s = { start, end, flags, g_strdup(href) };
    if (block->spans == NULL)
        block->spans = g_array_new(FALSE, FALSE, sizeof(ImpSpan));
    g_array_append_val(block->spans, s);
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
    return block->marker;
}

const char *imp_block_get_src(const ImpBlock *block)
{
    g_return_val_if_fail(block != NULL, NULL);
    return block->src;
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
