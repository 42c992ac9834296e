/* imprint-document.h — the document model, read-only: what a reader made of the input.
 *
 * An ImpDocument is metadata plus an ordered list of blocks (title, headings, paragraphs,
 * list items, quotations, code, tables, notices, ...). A block has a kind, its text as
 * UTF-8 with no markup, inline spans over that text (emphasis, strong, code, links,
 * languages) and the source line each part of the text came from. A program gets one from
 * imp_read_file() or imp_read_bytes() and may read it, lay it out (imp_layout_new()) any
 * number of times, and free it; it cannot change it. Building documents is the readers'
 * job and not public in this version.
 *
 * Everything a getter returns is owned by the document (transfer none) and valid until
 * imp_document_free(). A document is never changed after it is made, so several threads
 * may read one at once.
 *
 * Since: 0.2
 */
#if !defined(IMPRINT_H_INSIDE) && !defined(IMP_COMPILATION)
#error "Include <imprint/imprint.h> only; this header is part of it."
#endif

#ifndef IMPRINT_DOCUMENT_H
#define IMPRINT_DOCUMENT_H

#include <glib.h>

#include <imprint/imprint-export.h>

G_BEGIN_DECLS

/* ImpDocument: a document (opaque). ImpBlock: one of its blocks (opaque, owned by the
 * document). Since: 0.2 */
typedef struct ImpDocument ImpDocument;
typedef struct ImpBlock ImpBlock;

/* Block kinds. Structure that nests (a list inside a quotation, a paragraph continuing a
 * list item) is said by two depths on every block rather than by a tree, so a long document
 * stays one flat array: `quote_depth` (how many block quotations the block is in) and
 * `list_depth` (how many lists). A LIST_ITEM block starts an item at its list depth and
 * carries its marker; the blocks after it with the same list depth (and no LIST_ITEM
 * between) continue that item. The first item of a list has IMP_BLOCK_FLAG_LIST_START, so
 * two lists in a row stay two lists. Since: 0.2 */
typedef enum {
    IMP_BLOCK_TITLE,      /* the document's title, once, near the top */
    IMP_BLOCK_SUBTITLE,
    IMP_BLOCK_HEADING,    /* level 1..6 */
    IMP_BLOCK_PARAGRAPH,
    IMP_BLOCK_LIST_ITEM,  /* first paragraph of a list item: marker ("•", "3."), flags */
    IMP_BLOCK_CODE,       /* preformatted: '\n' between lines, spaces and tabs kept; the
                             info string (a language, "console") in `info` */
    IMP_BLOCK_NOTICE,     /* a copyright or reproduction notice, set apart at the end */
    IMP_BLOCK_IMAGE,      /* src, the alt text as text, a caption in `title` */
    IMP_BLOCK_PAGE_BREAK, /* a forced page break (form feed) */
    IMP_BLOCK_RULE,       /* a thematic break: a rule across the measure */
    IMP_BLOCK_TABLE,      /* rows of cells (see the table functions); no text of its own */
    IMP_BLOCK_TERM,       /* a term of a definition list (a man page's option line) */
    IMP_BLOCK_DEFINITION, /* its description, set indented under it */
    IMP_N_BLOCK_KINDS
} ImpBlockKind;

/* Block flags. Since: 0.2 */
typedef enum {
    IMP_BLOCK_FLAG_LIST_START = 1 << 0, /* LIST_ITEM: the first item of its list */
    IMP_BLOCK_FLAG_ORDERED    = 1 << 1, /* LIST_ITEM: of a numbered list */
    IMP_BLOCK_FLAG_TASK       = 1 << 2, /* LIST_ITEM: a task ("[ ]" in Markdown) */
    IMP_BLOCK_FLAG_TASK_DONE  = 1 << 3, /* LIST_ITEM: a finished task ("[x]") */
    IMP_BLOCK_FLAG_NUMBERED   = 1 << 4, /* HEADING: its text starts with its own number
                                           ("1.2 Scope"), so a style adds none */
    IMP_BLOCK_FLAG_FOUND      = 1 << 5  /* found by a plain-text signal, not marked up */
} ImpBlockFlags;

/* Horizontal alignment of a table column (from a Markdown delimiter row or HTML).
 * Since: 0.2 */
typedef enum {
    IMP_CELL_ALIGN_DEFAULT,
    IMP_CELL_ALIGN_LEFT,
    IMP_CELL_ALIGN_CENTER,
    IMP_CELL_ALIGN_RIGHT
} ImpCellAlign;

/* Inline spans. A block's text never holds markup: a span says how a range is set. A hard
 * line break inside a paragraph is the character '\n' in the block's text. Since: 0.2 */
typedef enum {
    IMP_SPAN_EMPHASIS = 1 << 0,
    IMP_SPAN_STRONG   = 1 << 1,
    IMP_SPAN_CODE     = 1 << 2,
    IMP_SPAN_LINK     = 1 << 3,  /* href: a URL, or "#id" of a block */
    IMP_SPAN_STRIKE   = 1 << 4,
    IMP_SPAN_LANG     = 1 << 5   /* lang: the range is in that language (BCP 47) */
} ImpSpanFlags;

/* One inline span (see imp_block_get_span()). Since: 0.2 */
typedef struct {
    gsize start, end;    /* byte offsets into the block's text, end exclusive */
    ImpSpanFlags flags;
    const char *href;    /* for links; owned by the block */
    const char *lang;    /* for IMP_SPAN_LANG; interned (g_intern_string) */
} ImpSpan;

/* Document metadata. The reader fills what it finds; -M (imp_options_set_metadata())
 * overrides it. Since: 0.2 */
typedef enum {
    IMP_META_TITLE,
    IMP_META_SUBTITLE,
    IMP_META_AUTHOR,
    IMP_META_DATE,
    IMP_META_SECTION,     /* e.g. "Speeches", from a breadcrumb */
    IMP_META_SITE,        /* the publishing site's short name, e.g. "MOFCOM" */
    IMP_META_SITE_EXTRA,  /* the rest of a masthead, e.g. a language link */
    IMP_META_SOURCE,      /* the attribution reproductions must carry */
    IMP_META_LANGUAGE,    /* BCP 47 tag of the main language, e.g. "en", "zh-Hans" */
    IMP_META_SOURCE_FILE, /* the input's name as the user gave it */
    IMP_META_KEYWORDS,    /* comma-separated */
    IMP_META_DESCRIPTION, /* a summary (HTML <meta name=description>, front matter) */
    IMP_META_URL,         /* where the document was published (a saved page's address) */
    IMP_N_META
} ImpMetaKey;

/* imp_meta_key_name: the name of a metadata key as used in templates and -M ("title",
 * "section", ...): (transfer none), a static string. Since: 0.2 */
IMP_EXPORT const char *imp_meta_key_name(ImpMetaKey key);
/* imp_meta_key_from_name: sets *key to the key named `name` ("title", "lang" and
 * "language" alike). Returns FALSE for an unknown name. Since: 0.2 */
IMP_EXPORT gboolean imp_meta_key_from_name(const char *name, ImpMetaKey *key);

/* imp_document_free: frees `doc` and everything it holds; NULL is a no-op. A layout made
 * from it must be freed first. Since: 0.2 */
IMP_EXPORT void imp_document_free(ImpDocument *doc);

/* imp_document_get_meta: the metadata value of `key`, or NULL when unset (transfer
 * none). Since: 0.2 */
IMP_EXPORT const char *imp_document_get_meta(const ImpDocument *doc, ImpMetaKey key);
/* imp_document_get_base_dir: the folder relative paths in the document (image sources)
 * are taken from, or NULL for the current one (transfer none). Since: 0.2 */
IMP_EXPORT const char *imp_document_get_base_dir(const ImpDocument *doc);
/* imp_document_get_n_blocks: how many blocks the document has. Since: 0.2 */
IMP_EXPORT guint imp_document_get_n_blocks(const ImpDocument *doc);
/* imp_document_get_block: block `index` (0-based, below the count) in reading order
 * (transfer none). Since: 0.2 */
IMP_EXPORT const ImpBlock *imp_document_get_block(const ImpDocument *doc, guint index);

/* Block getters (Since: 0.2). Strings are (transfer none), owned by the document; those
 * marked "may be NULL" are NULL when the block has none. */
IMP_EXPORT ImpBlockKind imp_block_get_kind(const ImpBlock *block);
/* the level of a heading, 1..6 (0 for other blocks) */
IMP_EXPORT guint imp_block_get_level(const ImpBlock *block);
/* how many lists and block quotations the block is in (see ImpBlockKind) */
IMP_EXPORT guint imp_block_get_list_depth(const ImpBlock *block);
IMP_EXPORT guint imp_block_get_quote_depth(const ImpBlock *block);
IMP_EXPORT ImpBlockFlags imp_block_get_flags(const ImpBlock *block);
/* the block's text, UTF-8 without NUL and without markup; its length in bytes goes to
 * *len when len is not NULL. Never NULL ("" for a block without text). */
IMP_EXPORT const char *imp_block_get_text(const ImpBlock *block, gsize *len);
IMP_EXPORT const char *imp_block_get_marker(const ImpBlock *block);   /* may be NULL */
IMP_EXPORT const char *imp_block_get_src(const ImpBlock *block);      /* may be NULL */
IMP_EXPORT const char *imp_block_get_title(const ImpBlock *block);    /* may be NULL */
IMP_EXPORT const char *imp_block_get_info(const ImpBlock *block);     /* may be NULL */
IMP_EXPORT const char *imp_block_get_id(const ImpBlock *block);       /* may be NULL */
IMP_EXPORT const char *imp_block_get_language(const ImpBlock *block); /* may be NULL */
IMP_EXPORT guint imp_block_get_n_spans(const ImpBlock *block);
/* span `index` (0-based, below the count) (transfer none) */
IMP_EXPORT const ImpSpan *imp_block_get_span(const ImpBlock *block, guint index);
/* the first source line of the block (1-based; 0 if unknown), and the source line that
 * holds byte `offset` of its text */
IMP_EXPORT guint imp_block_get_line(const ImpBlock *block);
IMP_EXPORT guint imp_block_get_line_at(const ImpBlock *block, gsize offset);
/* the name of a block kind ("paragraph", "heading", ...): (transfer none), static */
IMP_EXPORT const char *imp_block_kind_name(ImpBlockKind kind);

/* Table getters (Since: 0.2). A TABLE block holds rows of cells; each cell is a block of
 * its own (a PARAGRAPH) with text and spans. A row may have fewer cells than the table has
 * columns. A header row is repeated at the top of each page the table runs on. */
IMP_EXPORT guint imp_table_get_n_columns(const ImpBlock *table);
IMP_EXPORT ImpCellAlign imp_table_get_align(const ImpBlock *table, guint column);
IMP_EXPORT guint imp_table_get_n_rows(const ImpBlock *table);
IMP_EXPORT gboolean imp_table_row_is_header(const ImpBlock *table, guint row);
IMP_EXPORT guint imp_table_get_n_cells(const ImpBlock *table, guint row);
/* (transfer none) */
IMP_EXPORT const ImpBlock *imp_table_get_cell(const ImpBlock *table, guint row,
                                              guint column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpDocument, imp_document_free)

G_END_DECLS

#endif /* IMPRINT_DOCUMENT_H */
