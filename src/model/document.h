/* document.h — the document model: what a reader produces and every later stage reads.
 *
 * An ImpDocument is metadata plus an ordered list of blocks. A block has a kind (title,
 * heading, paragraph, list item, quote, notice, image, page break, ...), its text as UTF-8,
 * inline spans over that text (emphasis, strong, code, link) and, for each source line that
 * contributed to it, the byte offset where that line's text starts, so that any later stage
 * can name `file:line` for a character.
 *
 * Invariants:
 *  1. Block text is valid UTF-8 and holds no NUL byte, and no markup: what a reader took as
 *     markup (Markdown's `**`, HTML tags) is said by the block's kind and spans.
 *  2. Spans lie inside their block's text, on character boundaries; they may nest.
 *  3. The model includes nothing of imprint's other stages: it sits on the lowest floor.
 */
#ifndef IMP_DOCUMENT_H
#define IMP_DOCUMENT_H

#include <glib.h>

#include <imprint/imprint-document.h>

G_BEGIN_DECLS

/* The types (ImpDocument, ImpBlock, ImpBlockKind, ImpBlockFlags, ImpCellAlign, ImpSpanFlags,
 * ImpSpan, ImpMetaKey) and the getters are public: <imprint/imprint-document.h> defines
 * and exports them. This header repeats the getters (the compiler checks that the two
 * agree) and adds what readers use to build a document, which stays internal. */

/* The name of a metadata key as used in templates ("title", "section", ...). */
const char *imp_meta_key_name(ImpMetaKey key);
/* The key named `name` ("title", "lang" and "language" alike), for -M KEY=VALUE and front
 * matter. Returns FALSE for an unknown name. */
gboolean imp_meta_key_from_name(const char *name, ImpMetaKey *key);

/* A new empty document. (transfer full): free with imp_document_free(). */
ImpDocument *imp_document_new(void);
void imp_document_free(ImpDocument *doc);
/* Gives back the spare room of every block's text, once a reader has built the document:
 * a long document is held until its last page is drawn. Text may still be appended. */
void imp_document_trim(ImpDocument *doc);

/* Metadata: set copies value (NULL unsets); get returns NULL when unset (transfer none). */
void imp_document_set_meta(ImpDocument *doc, ImpMetaKey key, const char *value);
const char *imp_document_get_meta(const ImpDocument *doc, ImpMetaKey key);

/* The folder relative paths in the document (image sources) are taken from: the input's
 * folder. NULL (the default) is the current directory. set copies; get is (transfer none). */
void imp_document_set_base_dir(ImpDocument *doc, const char *dir);
const char *imp_document_get_base_dir(const ImpDocument *doc);

/* Appends a new block with empty text and returns it (transfer none: the document owns it).
 * `line` is the 1-based source line where the block starts (0 if unknown). */
ImpBlock *imp_document_append_block(ImpDocument *doc, ImpBlockKind kind, guint line);
guint imp_document_get_n_blocks(const ImpDocument *doc);
/* (transfer none) */
const ImpBlock *imp_document_get_block(const ImpDocument *doc, guint index);

/* Block construction. Text is appended as given (it must be valid UTF-8 without NUL).
 * imp_block_begin_line records that the text appended next comes from source `line`. */
void imp_block_append_text(ImpBlock *block, const char *text, gssize len);
void imp_block_begin_line(ImpBlock *block, guint line);
/* Level of a heading (1..6); depths of lists and quotations the block is in (see
 * ImpBlockKind). Values above 255 are held as 255. */
void imp_block_set_level(ImpBlock *block, guint level);
void imp_block_set_list_depth(ImpBlock *block, guint depth);
void imp_block_set_quote_depth(ImpBlock *block, guint depth);
void imp_block_set_flags(ImpBlock *block, ImpBlockFlags flags);
/* Marker of a list item ("•", "1.", ...), src of an image, caption or title of an image,
 * info string of a code block, id of a block that "#id" links lead to. Each copies its
 * argument; NULL unsets. */
void imp_block_set_marker(ImpBlock *block, const char *marker);
void imp_block_set_src(ImpBlock *block, const char *src);
void imp_block_set_title(ImpBlock *block, const char *title);
void imp_block_set_info(ImpBlock *block, const char *info);
void imp_block_set_id(ImpBlock *block, const char *id);
/* Language of the block (BCP 47, interned: a long document holds few distinct ones). */
void imp_block_set_language(ImpBlock *block, const char *lang);
/* Adds an inline span over [start, end) of the text appended so far; href may be NULL. */
void imp_block_add_span(ImpBlock *block, gsize start, gsize end, ImpSpanFlags flags,
                        const char *href);
/* Adds a span over [start, end) in language `lang` (IMP_SPAN_LANG). */
void imp_block_add_lang_span(ImpBlock *block, gsize start, gsize end, const char *lang);

/* Tables. A TABLE block holds rows of cells; each cell is a block of its own (a
 * PARAGRAPH, owned by the table) that takes text and spans like any other. Rows may have
 * fewer cells than the table has columns (missing cells are empty). */
/* Sets the number of columns and their alignments (`aligns` may be NULL: all default). */
void imp_table_set_columns(ImpBlock *table, guint n_columns, const ImpCellAlign *aligns);
/* Starts a new row; a header row is repeated at the top of each page the table runs on. */
void imp_table_begin_row(ImpBlock *table, gboolean header);
/* Appends a cell to the current row (starting one if there is none) and returns it
 * (transfer none: the table owns it). `line` is its source line. */
ImpBlock *imp_table_add_cell(ImpBlock *table, guint line);
guint imp_table_get_n_columns(const ImpBlock *table);
ImpCellAlign imp_table_get_align(const ImpBlock *table, guint column);
guint imp_table_get_n_rows(const ImpBlock *table);
gboolean imp_table_row_is_header(const ImpBlock *table, guint row);
guint imp_table_get_n_cells(const ImpBlock *table, guint row);
/* (transfer none) */
const ImpBlock *imp_table_get_cell(const ImpBlock *table, guint row, guint column);

/* Block getters; strings are (transfer none) and may be NULL where noted. */
ImpBlockKind imp_block_get_kind(const ImpBlock *block);
guint imp_block_get_level(const ImpBlock *block);
guint imp_block_get_list_depth(const ImpBlock *block);
guint imp_block_get_quote_depth(const ImpBlock *block);
ImpBlockFlags imp_block_get_flags(const ImpBlock *block);
const char *imp_block_get_text(const ImpBlock *block, gsize *len);
const char *imp_block_get_marker(const ImpBlock *block);   /* may be NULL */
const char *imp_block_get_src(const ImpBlock *block);      /* may be NULL */
const char *imp_block_get_title(const ImpBlock *block);    /* may be NULL */
const char *imp_block_get_info(const ImpBlock *block);     /* may be NULL */
const char *imp_block_get_id(const ImpBlock *block);       /* may be NULL */
const char *imp_block_get_language(const ImpBlock *block); /* may be NULL */
guint imp_block_get_n_spans(const ImpBlock *block);
const ImpSpan *imp_block_get_span(const ImpBlock *block, guint index);
/* The first source line of the block, and the source line holding byte `offset` of its text. */
guint imp_block_get_line(const ImpBlock *block);
guint imp_block_get_line_at(const ImpBlock *block, gsize offset);

/* Name of a block kind ("paragraph", "heading", ...), for messages and dumps. */
const char *imp_block_kind_name(ImpBlockKind kind);

G_END_DECLS

#endif /* IMP_DOCUMENT_H */
