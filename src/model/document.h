/* document.h — the document model: what a reader produces and every later stage reads.
 *
 * An ImpDocument is metadata plus an ordered list of blocks. A block has a kind (title,
 * heading, paragraph, list item, quote, notice, image, page break, ...), its text as UTF-8,
 * inline spans over that text (emphasis, strong, code, link) and, for each source line that
 * contributed to it, the byte offset where that line's text starts, so that any later stage
 * can name `file:line` for a character.
 *
 * Invariants:
 *  1. Block text is valid UTF-8 and holds no NUL byte.
 *  2. Spans lie inside their block's text, on character boundaries; they may nest.
 *  3. The model includes nothing of imprint's other stages: it sits on the lowest floor.
 */
#ifndef IMP_DOCUMENT_H
#define IMP_DOCUMENT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct ImpDocument ImpDocument;
typedef struct ImpBlock ImpBlock;

typedef enum {
    IMP_BLOCK_TITLE,      /* the document's title, once, near the top */
    IMP_BLOCK_SUBTITLE,
    IMP_BLOCK_HEADING,    /* level 1..6 */
    IMP_BLOCK_PARAGRAPH,
    IMP_BLOCK_LIST_ITEM,  /* level = nesting depth from 1; marker in the block's marker */
    IMP_BLOCK_QUOTE,
    IMP_BLOCK_CODE,       /* preformatted: line breaks and spaces kept */
    IMP_BLOCK_NOTICE,     /* a copyright or reproduction notice, set apart at the end */
    IMP_BLOCK_IMAGE,      /* src and alt text; the text is the alt text */
    IMP_BLOCK_PAGE_BREAK, /* a forced page break (form feed, thematic break) */
    IMP_N_BLOCK_KINDS
} ImpBlockKind;

typedef enum {
    IMP_SPAN_EMPHASIS = 1 << 0,
    IMP_SPAN_STRONG   = 1 << 1,
    IMP_SPAN_CODE     = 1 << 2,
    IMP_SPAN_LINK     = 1 << 3
} ImpSpanFlags;

typedef struct {
    gsize start, end;    /* byte offsets into the block's text, end exclusive */
    ImpSpanFlags flags;
    const char *href;    /* for links; owned by the block */
} ImpSpan;

/* Document metadata. The reader fills what it finds; a style may supply defaults. */
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
    IMP_N_META
} ImpMetaKey;

/* The name of a metadata key as used in templates ("title", "section", ...). */
const char *imp_meta_key_name(ImpMetaKey key);

/* A new empty document. (transfer full): free with imp_document_free(). */
ImpDocument *imp_document_new(void);
void imp_document_free(ImpDocument *doc);
/* Gives back the spare room of every block's text, once a reader has built the document:
 * a long document is held until its last page is drawn. Text may still be appended. */
void imp_document_trim(ImpDocument *doc);

/* Metadata: set copies value (NULL unsets); get returns NULL when unset (transfer none). */
void imp_document_set_meta(ImpDocument *doc, ImpMetaKey key, const char *value);
const char *imp_document_get_meta(const ImpDocument *doc, ImpMetaKey key);

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
void imp_block_set_level(ImpBlock *block, guint level);
/* Marker of a list item ("•", "1.", ...), src of an image, language override (BCP 47).
 * Each copies its argument; NULL unsets. */
void imp_block_set_marker(ImpBlock *block, const char *marker);
void imp_block_set_src(ImpBlock *block, const char *src);
void imp_block_set_language(ImpBlock *block, const char *lang);
/* Adds an inline span over [start, end) of the text appended so far; href may be NULL. */
void imp_block_add_span(ImpBlock *block, gsize start, gsize end, ImpSpanFlags flags,
                        const char *href);

/* Block getters; strings are (transfer none) and may be NULL where noted. */
ImpBlockKind imp_block_get_kind(const ImpBlock *block);
guint imp_block_get_level(const ImpBlock *block);
const char *imp_block_get_text(const ImpBlock *block, gsize *len);
const char *imp_block_get_marker(const ImpBlock *block);   /* may be NULL */
const char *imp_block_get_src(const ImpBlock *block);      /* may be NULL */
const char *imp_block_get_language(const ImpBlock *block); /* may be NULL */
guint imp_block_get_n_spans(const ImpBlock *block);
const ImpSpan *imp_block_get_span(const ImpBlock *block, guint index);
/* The first source line of the block, and the source line holding byte `offset` of its text. */
guint imp_block_get_line(const ImpBlock *block);
guint imp_block_get_line_at(const ImpBlock *block, gsize offset);

/* Name of a block kind ("paragraph", "heading", ...), for messages and dumps. */
const char *imp_block_kind_name(ImpBlockKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpDocument, imp_document_free)

G_END_DECLS

#endif /* IMP_DOCUMENT_H */
