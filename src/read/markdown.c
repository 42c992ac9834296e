/* markdown.c — the Markdown reader: CommonMark with GitHub's tables, strikethrough,
 * autolinks and task lists, parsed by md4c, into an ImpDocument (see read.h).
 *
 * The input is decoded and its control characters dropped as the text reader does them
 * (text.c, through read-private.h); a leading YAML block is read by frontmatter.c; md4c
 * then parses the rest and calls back here with blocks, spans and text, in document order.
 * Only leaf blocks hold text (paragraph, heading, code, raw HTML, table cell, and a tight
 * list item's text), so one leaf is built at a time in a pending buffer, then made a block
 * when it ends: its kind (paragraph or list item, heading or title), whether it is empty
 * and where its images go are known only then.
 *
 * Construct → model (docs in README.md, "Markdown"):
 *   heading 1–6 → HEADING (level, a GitHub-style id: "#id" links lead there); a level-1
 *     heading that is the first block, with no front-matter title, → TITLE;
 *   paragraph → PARAGRAPH; list item → LIST_ITEM (marker "3." or "3)" as numbered,
 *     honouring the start number, else "•"; flags LIST_START, ORDERED, TASK, TASK_DONE),
 *     its further blocks at the same list_depth; block quote → quote_depth + 1;
 *   code, fenced or indented → CODE (info string; text as typed, '\n' between lines);
 *   thematic break → RULE; table → TABLE (alignments, header row, cells with spans);
 *   image → IMAGE (src, title, alt text as its text) after the block it stands in;
 *   emphasis, strong, strikethrough, code span, link and autolink → spans; hard break →
 *   '\n'; soft break → a space, or nothing between two CJK characters (read.h).
 *   Raw HTML: a block → CODE with info "html" (a warning: it is shown as source), a block
 *   of comments only → dropped (info); inline <br> → '\n', an inline comment → dropped
 *   (info), any other inline tag → dropped with a warning, the text between tags kept.
 *
 * Design notes:
 *  1. Source lines. md4c hands text as pointers into the input; a table of line starts
 *     turns a pointer into its line (a cursor makes the usual forward step O(1)). What md4c
 *     makes up (a soft break's "\n", a code line's indentation) is not in the input and
 *     takes the line of the text before it. A block without text (a rule, an empty list
 *     item, a table) takes the first non-blank line after the last line read.
 *  2. Code is kept as typed. md4c re-creates a code line's indentation as spaces; where
 *     the white space before the line's text in the input spans exactly those columns, it
 *     is copied from the input instead, so tabs stay tabs.
 *  3. Images do not break paragraphs: an image inside text becomes an IMAGE block after
 *     the paragraph (or heading, or list item) it stands in, in order; a paragraph of only
 *     images becomes those IMAGE blocks. An image in a table cell is set as its alt text in
 *     the cell (a warning), as the model's cells hold text only.
 *  4. Nothing is lost silently: text that md4c drops (a table row's cells beyond its
 *     header's, see check_row) is reported with its line; control characters and
 *     noncharacters, in the input or from a numeric entity, are dropped and reported as
 *     the text reader does. A form feed makes a page break before the next block.
 *  5. Limits: the blocks and table cells count against IMP_READ_MAX_PARAGRAPHS, form feeds
 *     against IMP_READ_MAX_PAGE_BREAKS; past a limit the parse is stopped at once.
 */
#include "read-private.h"
#include "encoding.h"

#include <md4c.h>
#include <string.h>

#include "../util/error.h"

/* Inline HTML tags reported one by one before only counting. */
#define MAX_HTML_REPORTS 100
/* Columns of a tab stop in CommonMark. */
#define TAB_STOP 4

typedef struct {
    gsize offset; /* in the pending text */
    guint line;
} Mark;

typedef struct {
    gsize start, end;
    ImpSpanFlags flags;
    char *href; /* owned */
} Span;

/* A span entered and not yet left. */
typedef struct {
    gsize start;
    ImpSpanFlags flags; /* 0 for a span that makes none (an image's, an unknown one) */
    char *href;         /* owned; moved to the Span when closed */
    gboolean after_soft; /* entered after a soft break that is not yet resolved */
} Open;

typedef struct {
    char *src, *title, *href; /* owned; href: of the link around the image */
    GString *alt;
    guint line;
    gsize offset; /* in the input, for page breaks; G_MAXSIZE: unknown */
} Image;

typedef struct {
    gboolean ordered;
    guint next;  /* number of the next item */
    char delim;  /* '.' or ')' */
    gboolean first;
} List;

/* Kinds of leaf besides the block kinds: a table cell, a raw HTML block. */
#define LEAF_CELL IMP_N_BLOCK_KINDS
#define LEAF_HTML (IMP_N_BLOCK_KINDS + 1)

typedef struct {
    const char *name;
    const ImpDiag *diag;
    ImpDocument *doc;
    const char *src;        /* the whole decoded, scrubbed input */
    gsize n;
    GArray *starts;         /* gsize: where each line starts (line k at index k - 1) */
    guint cursor;           /* index into starts of the last line looked up */
    guint cur_line;         /* the line of the last text read from the input */
    guint last_line;        /* the last line read or consumed by a block */
    ImpControlReport *controls;

    /* structure */
    guint quote_depth, list_depth;
    GArray *lists;          /* List */
    gboolean item_pending;  /* a list item whose LIST_ITEM block is not yet made */
    char *item_marker;
    ImpBlockFlags item_flags;

    /* the leaf being built */
    gboolean in_leaf;
    guint leaf_kind;        /* ImpBlockKind or LEAF_CELL */
    guint leaf_level;
    guint leaf_quote, leaf_list;
    char *leaf_info;
    char *leaf_marker;
    ImpBlockFlags leaf_flags;
    gboolean leaf_fenced;
    gsize leaf_offset;      /* input offset of its first text; G_MAXSIZE: none yet */
    GString *text;
    GArray *marks;          /* Mark */
    GArray *spans;          /* Span */
    GArray *open;           /* Open */
    gboolean soft_pending;  /* a soft break waits for the next character */
    gboolean after_image;   /* an image was just taken out of the text */
    gboolean html_comment;  /* inside an inline HTML comment */
    gboolean code_bol;      /* code: at the start of a line */
    guint code_indent;      /* code: columns of indentation md4c made up for this line */
    GPtrArray *images;      /* Image*: taken out of the leaf, to follow it */
    Image *image;           /* the image being read (its alt text) */
    guint image_depth;

    /* tables */
    ImpBlock *table;
    guint table_cols, table_row, table_line, table_cell;
    gboolean table_head;
    ImpCellAlign *aligns;

    /* the title and ids */
    gboolean any_block;     /* a block was made from the Markdown */
    gboolean front_done;    /* the front matter's title and subtitle blocks were made */
    const ImpFrontMatter *fm;
    GHashTable *ids;        /* id → itself: ids given */
    GHashTable *id_counts;  /* slug → guint: suffixes tried */

    /* page breaks and limits */
    GArray *form_feeds;     /* gsize: input offsets of dropped form feeds */
    guint ff_next;
    gboolean break_due;
    guint n_text_blocks, n_breaks;
    const char *over;
    guint over_line;
    guint html_reports;
    guint64 html_unreported;
} Md;

/* ------------------------------------------------------------------------------------
 * Source lines (design note 1)
 * ------------------------------------------------------------------------------------ */

static GArray *line_starts(const char *t, gsize n)
{
    GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(gsize), n / 40 + 16);
    gsize zero = 0;
    g_array_append_val(a, zero);
    for (gsize i = 0; i < n; i++) {
        char c = t[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i + 1 < n && t[i + 1] == '\n')
            i++;
        gsize s = i + 1;
        if (s < n)
            g_array_append_val(a, s);
    }
    return a;
}

/* Where line `line` (1-based) starts; a line past the last (a block after the input's
 * last content, whose line is the last one read) starts at the input's end. */
static gsize start_of(const Md *md, guint line)
{
    if (line == 0)
        return 0;
    if (line > md->starts->len)
        return md->n;
    return g_array_index(md->starts, gsize, line - 1);
}

static guint n_lines(const Md *md)
{
    return md->starts->len;
}

/* Whether p points into the input (md4c also hands strings of its own). */
static gboolean in_input(const Md *md, const char *p)
{
    return p >= md->src && p < md->src + md->n;
}

/* The line (1-based) of input offset `off`. */
static guint line_of_offset(Md *md, gsize off)
{
    const gsize *s = (const gsize *)(void *)md->starts->data;
    guint len = md->starts->len, c = md->cursor;
    if (s[c] <= off && (c + 1 == len || off < s[c + 1]))
        return c + 1;
    if (c + 1 < len && s[c + 1] <= off && (c + 2 == len || off < s[c + 2])) {
        md->cursor = c + 1;
        return c + 2;
    }
    guint lo = 0, hi = len;
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        if (s[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    md->cursor = lo;
    return lo + 1;
}

/* The line of a pointer md4c handed over: its own line in the input, else the line of the
 * text read before it. */
static guint line_of(Md *md, const char *p)
{
    if (!in_input(md, p))
        return md->cur_line;
    md->cur_line = line_of_offset(md, (gsize)(p - md->src));
    if (md->cur_line > md->last_line)
        md->last_line = md->cur_line;
    return md->cur_line;
}

/* Line `line` less its container marks: leading white space and '>'. Returns the rest
 * and its length in *len (line ends excluded). */
static const char *line_content(const Md *md, guint line, gsize *len)
{
    gsize s = start_of(md, line);
    gsize e = line < n_lines(md) ? start_of(md, line + 1) : md->n;
    while (e > s && (md->src[e - 1] == '\n' || md->src[e - 1] == '\r'))
        e--;
    while (s < e && (md->src[s] == ' ' || md->src[s] == '\t' || md->src[s] == '>'))
        s++;
    *len = e - s;
    return md->src + s;
}

/* The first line after the last one read that holds more than white space and '>': where
 * a block without text starts (design note 1). */
static guint next_content_line(const Md *md)
{
    for (guint l = md->last_line + 1; l <= n_lines(md); l++) {
        gsize len;
        line_content(md, l, &len);
        if (len > 0)
            return l;
    }
    return CLAMP(md->last_line, 1, MAX(n_lines(md), 1));
}

/* Whether line `line` (less its container marks) consists of `c` repeated, spaces
 * allowed: a setext underline or a code fence's tail. */
static gboolean line_is_run_of(const Md *md, guint line, char c, gsize min)
{
    if (line < 1 || line > n_lines(md))
        return FALSE;
    gsize len, k = 0;
    const char *s = line_content(md, line, &len);
    for (gsize i = 0; i < len; i++) {
        if (s[i] == c)
            k++;
        else if (s[i] != ' ' && s[i] != '\t')
            return FALSE;
    }
    return k >= min;
}

/* ------------------------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------------------------ */

/* Appends a block, after the page break a form feed before `offset` asks for, and counts
 * it against the limits (design note 5). */
static ImpBlock *new_block(Md *md, ImpBlockKind kind, guint line, gsize offset,
                           guint quote, guint list)
{
    while (md->ff_next < md->form_feeds->len &&
           g_array_index(md->form_feeds, gsize, md->ff_next) <= offset) {
        md->ff_next++;
        md->break_due = TRUE;
    }
    if (md->break_due && md->n_text_blocks > 0) {
        imp_document_append_block(md->doc, IMP_BLOCK_PAGE_BREAK, line);
        if (++md->n_breaks > IMP_READ_MAX_PAGE_BREAKS && md->over == NULL) {
            md->over = "page breaks";
            md->over_line = line;
        }
    }
    md->break_due = FALSE;
    if (++md->n_text_blocks > IMP_READ_MAX_PARAGRAPHS && md->over == NULL) {
        md->over = "paragraphs";
        md->over_line = line;
    }
    ImpBlock *b = imp_document_append_block(md->doc, kind, line);
    imp_block_set_quote_depth(b, quote);
    imp_block_set_list_depth(b, list);
    return b;
}

/* The front matter's title and subtitle as blocks, once, before the first block of the
 * Markdown (the subtitle after a title taken from a heading). */
static void front_blocks(Md *md, gboolean title_from_heading)
{
    if (md->front_done)
        return;
    md->front_done = TRUE;
    const char *title = imp_document_get_meta(md->doc, IMP_META_TITLE);
    const char *subtitle = imp_document_get_meta(md->doc, IMP_META_SUBTITLE);
    if (title != NULL && md->fm->title_line > 0) {
        ImpBlock *b = new_block(md, IMP_BLOCK_TITLE, md->fm->title_line, 0, 0, 0);
        imp_block_append_text(b, title, -1);
    }
    if (subtitle != NULL && !title_from_heading) {
        ImpBlock *b = new_block(md, IMP_BLOCK_SUBTITLE, md->fm->subtitle_line, 0, 0, 0);
        imp_block_append_text(b, subtitle, -1);
    }
}

/* The subtitle after a heading made the title. */
static void subtitle_after_title(Md *md)
{
    const char *subtitle = imp_document_get_meta(md->doc, IMP_META_SUBTITLE);
    if (subtitle != NULL) {
        ImpBlock *b = new_block(md, IMP_BLOCK_SUBTITLE, md->fm->subtitle_line, 0, 0, 0);
        imp_block_append_text(b, subtitle, -1);
    }
}

/* A block of the Markdown that has no text of its own (rule, table, empty list item); it
 * takes the next line with content, and reads it when `consume`. */
static ImpBlock *textless_block(Md *md, ImpBlockKind kind, gboolean consume)
{
    front_blocks(md, FALSE);
    md->any_block = TRUE;
    guint line = next_content_line(md);
    ImpBlock *b = new_block(md, kind, line, start_of(md, line), md->quote_depth,
                            md->list_depth);
    if (consume)
        md->last_line = MAX(md->last_line, line);
    return b;
}

/* An item whose first content is not a paragraph (a nested list, code, a quote) or that is
 * empty (`ended`): its LIST_ITEM block, carrying the marker, holds no text. The line of an
 * item that is not empty is read by its content. */
static void empty_item(Md *md, gboolean ended)
{
    if (!md->item_pending)
        return;
    md->item_pending = FALSE;
    ImpBlock *b = textless_block(md, IMP_BLOCK_LIST_ITEM, ended);
    imp_block_set_marker(b, md->item_marker);
    imp_block_set_flags(b, md->item_flags);
    g_clear_pointer(&md->item_marker, g_free);
}

/* GitHub's id for a heading: its text lower-cased, letters, digits, marks, '-' and '_'
 * kept, each space made '-', everything else dropped ("section" when nothing is left),
 * and "-1", "-2", ... added to ids already given. (transfer none: owned by md->ids) */
static const char *heading_id(Md *md, const char *text, gsize len)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text, *end = text + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == ' ') {
            g_string_append_c(s, '-');
            continue;
        }
        switch (g_unichar_type(c)) {
        case G_UNICODE_LOWERCASE_LETTER: case G_UNICODE_UPPERCASE_LETTER:
        case G_UNICODE_TITLECASE_LETTER: case G_UNICODE_MODIFIER_LETTER:
        case G_UNICODE_OTHER_LETTER: case G_UNICODE_DECIMAL_NUMBER:
        case G_UNICODE_LETTER_NUMBER: case G_UNICODE_OTHER_NUMBER:
        case G_UNICODE_NON_SPACING_MARK: case G_UNICODE_SPACING_MARK:
        case G_UNICODE_ENCLOSING_MARK: case G_UNICODE_CONNECT_PUNCTUATION:
            g_string_append_unichar(s, g_unichar_tolower(c));
            break;
        default:
            if (c == '-')
                g_string_append_c(s, '-');
            break;
        }
    }
    if (s->len == 0)
        g_string_append(s, "section");
    char *id = g_string_free(s, FALSE);
    if (g_hash_table_contains(md->ids, id)) {
        guint k = GPOINTER_TO_UINT(g_hash_table_lookup(md->id_counts, id));
        char *cand = NULL;
        do {
            g_free(cand);
            cand = g_strdup_printf("%s-%u", id, ++k);
        } while (g_hash_table_contains(md->ids, cand));
        g_hash_table_replace(md->id_counts, g_strdup(id), GUINT_TO_POINTER(k));
        g_free(id);
        id = cand;
    }
    g_hash_table_add(md->ids, id);
    return id;
}

/* ------------------------------------------------------------------------------------
 * The leaf being built
 * ------------------------------------------------------------------------------------ */

static void begin_leaf(Md *md, guint kind)
{
    md->in_leaf = TRUE;
    if (kind == IMP_BLOCK_PARAGRAPH && md->item_pending) {
        kind = IMP_BLOCK_LIST_ITEM;
        md->item_pending = FALSE;
        md->leaf_marker = md->item_marker;
        md->item_marker = NULL;
        md->leaf_flags = md->item_flags;
    }
    md->leaf_kind = kind;
    md->leaf_level = 0;
    md->leaf_quote = md->quote_depth;
    md->leaf_list = md->list_depth;
    md->leaf_fenced = FALSE;
    md->leaf_offset = G_MAXSIZE;
    md->soft_pending = FALSE;
    md->after_image = FALSE;
    md->html_comment = FALSE;
    md->code_bol = TRUE;
    md->code_indent = 0;
    g_string_truncate(md->text, 0);
    g_array_set_size(md->marks, 0);
}

/* Notes that the text appended next comes from `line`. */
static void mark_line(Md *md, guint line)
{
    if (md->marks->len > 0) {
        Mark *last = &g_array_index(md->marks, Mark, md->marks->len - 1);
        if (last->line == line)
            return;
        if (last->offset == md->text->len) {
            last->line = line;
            return;
        }
    }
    Mark m = { md->text->len, line };
    g_array_append_val(md->marks, m);
}

/* Settles a pending soft break before a character `next`: a space, or nothing between
 * two CJK characters or at the start of the text. Spans entered since the break start
 * after the space. */
static void settle_soft(Md *md, gunichar next)
{
    if (!md->soft_pending)
        return;
    md->soft_pending = FALSE;
    if (md->text->len == 0)
        return;
    const char *end = md->text->str + md->text->len;
    gunichar before = g_utf8_get_char(g_utf8_find_prev_char(md->text->str, end));
    if (before == ' ' || before == '\n' || next == ' ' ||
        (imp__read_is_cjk(before) && imp__read_is_cjk(next)))
        return;
    gsize at = md->text->len;
    g_string_append_c(md->text, ' ');
    for (guint i = 0; i < md->open->len; i++) {
        Open *o = &g_array_index(md->open, Open, i);
        if (o->after_soft && o->start == at)
            o->start++;
    }
}

/* Appends text that came from `line` (s may be md4c's own) to the leaf. */
static void append(Md *md, const char *s, gsize len, guint line)
{
    if (len == 0)
        return;
    settle_soft(md, g_utf8_get_char(s));
    if (md->after_image) {
        /* the space on each side of an image taken out would make two */
        md->after_image = FALSE;
        if (s[0] == ' ' && (md->text->len == 0 || md->text->str[md->text->len - 1] == ' ')) {
            s++;
            len--;
            if (len == 0)
                return;
        }
    }
    for (guint i = 0; i < md->open->len; i++)
        g_array_index(md->open, Open, i).after_soft = FALSE;
    mark_line(md, line);
    g_string_append_len(md->text, s, (gssize)len);
}

/* Appends code point c (from an entity) unless it may not stand in text: a control
 * character or noncharacter is dropped and reported (design note 4), a line end is a space
 * (HTML would show one). */
static void append_char(Md *md, GString *out, gunichar c, guint line)
{
    if (c == '\n' || c == '\r')
        c = ' ';
    if ((c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
        (c & 0xFFFE) == 0xFFFE) {
        imp__control_report_line(md->controls, line, 1, c, c >= 0xFDD0);
        return;
    }
    char buf[6];
    gsize n = (gsize)g_unichar_to_utf8(c, buf);
    if (out != NULL)
        g_string_append_len(out, buf, (gssize)n);
    else
        append(md, buf, n, line);
}

/* Decodes an entity (&name; &#123; &#x1F;) into out, or into the leaf when out is NULL.
 * CommonMark's rules: code point 0, surrogates and those past U+10FFFF are U+FFFD; an
 * unknown name stays as typed. */
static void append_entity(Md *md, GString *out, const char *s, gsize len, guint line)
{
    gunichar cp[2] = { 0, 0 };
    gboolean known = FALSE;
    if (len >= 4 && s[1] == '#') {
        gboolean hex = s[2] == 'x' || s[2] == 'X';
        guint64 v = 0;
        for (gsize i = hex ? 3 : 2; i + 1 < len && v <= 0x10FFFF; i++)
            v = v * (hex ? 16 : 10) + (guint64)g_ascii_xdigit_value(s[i]);
        cp[0] = v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : (gunichar)v;
        known = TRUE;
    } else if (len >= 3) {
        known = imp__html_entity_lookup(s + 1, len - 2, cp);
    }
    if (!known) {
        if (out != NULL)
            g_string_append_len(out, s, (gssize)len);
        else
            append(md, s, len, line);
        return;
    }
    for (int i = 0; i < 2 && cp[i] != 0; i++)
        append_char(md, out, cp[i], line);
}

/* An attribute (href, src, title, info string) as text, entities decoded, white space
 * that is not a space made one (transfer full). */
static char *attr_text(Md *md, const MD_ATTRIBUTE *a)
{
    if (a->text == NULL || a->size == 0)
        return NULL;
    GString *s = g_string_new(NULL);
    guint line = in_input(md, a->text) ? line_of(md, a->text) : md->cur_line;
    for (guint i = 0; a->substr_offsets[i] < a->size; i++) {
        const char *p = a->text + a->substr_offsets[i];
        gsize len = a->substr_offsets[i + 1] - a->substr_offsets[i];
        if (a->substr_types[i] == MD_TEXT_ENTITY)
            append_entity(md, s, p, len, line);
        else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
            g_string_append(s, "\xEF\xBF\xBD");
        else
            g_string_append_len(s, p, (gssize)len);
    }
    /* an attribute is one line: a tab or line end in it (a title over lines, an info
       string with a tab) is a space */
    for (gsize i = 0; i < s->len; i++)
        if (s->str[i] == '\t' || s->str[i] == '\n' || s->str[i] == '\r')
            s->str[i] = ' ';
    return g_string_free(s, FALSE);
}

/* The indentation of a code line whose text starts at p, of `indent` columns as md4c made
 * it: copied from the input when the white space before p spans exactly those columns,
 * else as spaces (design note 2). */
static void append_code_indent(Md *md, const char *p, guint indent)
{
    guint line = line_of(md, p);
    const char *ls = md->src + start_of(md, line);
    const char *from = NULL;
    if (indent > 0) {
        /* the columns of p and of each character boundary before it */
        gsize col_p = 0;
        for (const char *q = ls; q < p; q++)
            if (*q == '\t')
                col_p = (col_p / TAB_STOP + 1) * TAB_STOP;
            else if (((guchar)*q & 0xC0) != 0x80)
                col_p++;
        if (col_p >= indent) {
            gsize target = col_p - indent, col = 0;
            for (const char *q = ls; q < p; q++) {
                if (col == target && ((guchar)*q & 0xC0) != 0x80) {
                    from = q;
                    break;
                }
                if (*q == '\t')
                    col = (col / TAB_STOP + 1) * TAB_STOP;
                else if (((guchar)*q & 0xC0) != 0x80)
                    col++;
            }
            for (const char *q = from; q != NULL && q < p; q++)
                if (*q != ' ' && *q != '\t')
                    from = NULL;
        }
    }
    mark_line(md, line);
    if (from != NULL)
        g_string_append_len(md->text, from, p - from);
    else
        for (guint i = 0; i < indent; i++)
            g_string_append_c(md->text, ' ');
}

/* Text of a code block or raw HTML block: lines as typed, '\n' after each. */
static void code_text(Md *md, const char *s, gsize len)
{
    if (!in_input(md, s)) {
        if (len == 1 && s[0] == '\n') {
            for (guint i = 0; i < md->code_indent; i++)
                g_string_append_c(md->text, ' ');
            g_string_append_c(md->text, '\n');
            md->code_bol = TRUE;
            md->code_indent = 0;
        } else if (md->code_bol) {
            md->code_indent += (guint)len; /* indentation md4c made up: spaces */
        } else {
            g_string_append_len(md->text, s, (gssize)len);
        }
        return;
    }
    if (md->leaf_offset == G_MAXSIZE)
        md->leaf_offset = (gsize)(s - md->src);
    if (md->code_bol) {
        append_code_indent(md, s, md->code_indent);
        md->code_bol = FALSE;
        md->code_indent = 0;
    }
    mark_line(md, line_of(md, s));
    g_string_append_len(md->text, s, (gssize)len);
}

/* Reports an inline HTML tag dropped from the text, up to MAX_HTML_REPORTS. */
static void report_tag(Md *md, const char *s, gsize len, guint line)
{
    if (md->html_reports >= MAX_HTML_REPORTS) {
        md->html_unreported++;
        return;
    }
    md->html_reports++;
    gsize show = MIN(len, 60);
    while (show < len && ((guchar)s[show] & 0xC0) == 0x80)
        show--; /* not inside a character */
    imp_diag_report(md->diag, IMP_DIAG_WARNING, md->name, line,
                    "dropped HTML tag %.*s%s (its text is kept; imprint sets no HTML "
                    "inside Markdown)", (int)show, s, show < len ? "..." : "");
}

/* Whether an inline tag is <br>, <br/> or <br /> (any case). */
static gboolean is_br(const char *s, gsize len)
{
    if (len < 4 || g_ascii_strncasecmp(s, "<br", 3) != 0)
        return FALSE;
    gsize i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == '/')
        i++;
    return i + 1 == len && s[i] == '>';
}

/* Inline raw HTML in a paragraph (md4c hands a tag over several lines in pieces). */
static void inline_html(Md *md, const char *s, gsize len, guint line)
{
    if (!in_input(md, s))
        return; /* the line end inside a tag */
    if (md->html_comment) {
        if (g_strstr_len(s, (gssize)len, "-->") != NULL)
            md->html_comment = FALSE;
        return;
    }
    if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
        imp_diag_report(md->diag, IMP_DIAG_INFO, md->name, line, "dropped HTML comment");
        md->html_comment = len < 7 || g_strstr_len(s + 4, (gssize)len - 4, "-->") == NULL;
        return;
    }
    if (s[0] != '<')
        return; /* the rest of a tag begun on a line before */
    if (is_br(s, len)) {
        if (md->text->len > 0) {
            md->soft_pending = FALSE;
            append(md, "\n", 1, line);
        }
        return;
    }
    report_tag(md, s, len, line);
}

/* ------------------------------------------------------------------------------------
 * Ending a leaf
 * ------------------------------------------------------------------------------------ */

/* Copies the leaf's text, line marks and spans into block b. */
static void fill_block(Md *md, ImpBlock *b)
{
    const Mark *m = (const Mark *)(void *)md->marks->data;
    gsize len = md->text->len, pos = 0;
    for (guint i = 0; i < md->marks->len; i++) {
        gsize off = MIN(m[i].offset, len);
        if (off > pos) {
            imp_block_append_text(b, md->text->str + pos, (gssize)(off - pos));
            pos = off;
        }
        imp_block_begin_line(b, m[i].line);
    }
    if (len > pos)
        imp_block_append_text(b, md->text->str + pos, (gssize)(len - pos));
    for (guint i = 0; i < md->spans->len; i++) {
        Span *s = &g_array_index(md->spans, Span, i);
        if (s->start < MIN(s->end, len))
            imp_block_add_span(b, s->start, MIN(s->end, len), s->flags, s->href);
    }
}

/* The leaf's first line: of its first text, else where a textless block would start. */
static guint leaf_line(Md *md)
{
    if (md->marks->len > 0)
        return g_array_index(md->marks, Mark, 0).line;
    return next_content_line(md);
}

/* Whether the leaf's text is empty or white space only (the text reader's white space: a
 * paragraph of no-break spaces is as blank as an empty line is there). */
static gboolean leaf_blank(const Md *md)
{
    for (const char *p = md->text->str, *end = p + md->text->len; p < end;
         p = g_utf8_next_char(p))
        if (*p != '\n' && !imp__read_is_space(g_utf8_get_char(p)))
            return FALSE;
    return TRUE;
}

/* Whether raw HTML is comments and white space only. */
static gboolean only_comments(const char *s, gsize len)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            p++;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *close = g_strstr_len(p + 4, end - p - 4, "-->");
            if (close == NULL)
                return FALSE;
            p = close + 3;
        } else {
            return FALSE;
        }
    }
    return TRUE;
}

static void clear_spans(Md *md)
{
    for (guint i = 0; i < md->spans->len; i++)
        g_free(g_array_index(md->spans, Span, i).href);
    g_array_set_size(md->spans, 0);
}

static void image_free(gpointer p)
{
    Image *im = p;
    g_free(im->src);
    g_free(im->title);
    g_free(im->href);
    g_string_free(im->alt, TRUE);
    g_free(im);
}

/* The images taken out of the leaf, as IMAGE blocks after it (design note 3). */
static void emit_images(Md *md)
{
    for (guint i = 0; i < md->images->len; i++) {
        Image *im = md->images->pdata[i];
        front_blocks(md, FALSE);
        md->any_block = TRUE;
        ImpBlock *b = new_block(md, IMP_BLOCK_IMAGE, im->line,
                                im->offset != G_MAXSIZE ? im->offset : md->n,
                                md->leaf_quote, md->leaf_list);
        imp_block_begin_line(b, im->line);
        imp_block_append_text(b, im->alt->str, (gssize)im->alt->len);
        imp_block_set_src(b, im->src);
        imp_block_set_title(b, im->title);
        if (im->href != NULL && im->alt->len > 0)
            imp_block_add_span(b, 0, im->alt->len, IMP_SPAN_LINK, im->href);
    }
    g_ptr_array_set_size(md->images, 0);
}

/* Makes the leaf a block (or a table cell), then its images. */
static void end_leaf(Md *md)
{
    if (!md->in_leaf)
        return;
    md->in_leaf = FALSE;
    /* spans left open (none in md4c's output) close here */
    while (md->open->len > 0) {
        Open *o = &g_array_index(md->open, Open, md->open->len - 1);
        g_free(o->href);
        g_array_set_size(md->open, md->open->len - 1);
    }
    guint kind = md->leaf_kind;
    if (md->images->len > 0) {
        /* text that stood around images taken out: no space or break at its end */
        gsize len = md->text->len;
        while (len > 0 && (md->text->str[len - 1] == ' ' || md->text->str[len - 1] == '\n'))
            len--;
        g_string_truncate(md->text, len);
    }
    if (kind == IMP_BLOCK_CODE || kind == LEAF_HTML) {
        /* md4c ends every line with '\n'; the model puts it between lines */
        if (md->text->len > 0 && md->text->str[md->text->len - 1] == '\n')
            g_string_truncate(md->text, md->text->len - 1);
    }

    if (kind == LEAF_CELL) {
        guint line = md->marks->len > 0 ? g_array_index(md->marks, Mark, 0).line
                                        : md->table_line;
        ImpBlock *cell = imp_table_add_cell(md->table, line);
        if (++md->n_text_blocks > IMP_READ_MAX_PARAGRAPHS && md->over == NULL) {
            md->over = "paragraphs";
            md->over_line = line;
        }
        fill_block(md, cell);
        md->table_cell++;
        clear_spans(md);
        return;
    }

    guint line = leaf_line(md);
    gsize offset = md->leaf_offset != G_MAXSIZE ? md->leaf_offset : start_of(md, line);
    ImpBlock *b = NULL;
    switch (kind) {
    case IMP_BLOCK_PARAGRAPH:
        if (leaf_blank(md))
            break; /* only images, or nothing */
        front_blocks(md, FALSE);
        b = new_block(md, IMP_BLOCK_PARAGRAPH, line, offset, md->leaf_quote, md->leaf_list);
        break;
    case IMP_BLOCK_LIST_ITEM:
        front_blocks(md, FALSE);
        b = new_block(md, IMP_BLOCK_LIST_ITEM, line, offset, md->leaf_quote, md->leaf_list);
        imp_block_set_marker(b, md->leaf_marker);
        imp_block_set_flags(b, md->leaf_flags);
        break;
    case IMP_BLOCK_HEADING: {
        gboolean title = md->leaf_level == 1 && !md->any_block && md->leaf_quote == 0 &&
                         md->leaf_list == 0 && !leaf_blank(md) &&
                         imp_document_get_meta(md->doc, IMP_META_TITLE) == NULL;
        front_blocks(md, title);
        b = new_block(md, title ? IMP_BLOCK_TITLE : IMP_BLOCK_HEADING, line, offset,
                      md->leaf_quote, md->leaf_list);
        imp_block_set_level(b, md->leaf_level);
        imp_block_set_id(b, heading_id(md, md->text->str, md->text->len));
        if (title) {
            /* metadata is one line: a setext heading's hard break is a space there */
            char *meta = g_strdelimit(g_strdup(md->text->str), "\n", ' ');
            imp_document_set_meta(md->doc, IMP_META_TITLE, meta);
            g_free(meta);
        }
        /* a setext heading's underline is read too */
        guint last = md->marks->len > 0
                   ? g_array_index(md->marks, Mark, md->marks->len - 1).line : line;
        if (line_is_run_of(md, last + 1, '=', 1) || line_is_run_of(md, last + 1, '-', 1))
            md->last_line = MAX(md->last_line, last + 1);
        if (title) {
            fill_block(md, b);
            b = NULL;
            md->any_block = TRUE;
            subtitle_after_title(md);
        }
        break;
    }
    case IMP_BLOCK_CODE:
        front_blocks(md, FALSE);
        b = new_block(md, IMP_BLOCK_CODE, line, offset, md->leaf_quote, md->leaf_list);
        imp_block_set_info(b, md->leaf_info);
        if (md->leaf_fenced) {
            /* the closing fence is read too */
            guint l = md->last_line + 1;
            if (line_is_run_of(md, l, '`', 3) || line_is_run_of(md, l, '~', 3))
                md->last_line = l;
        }
        break;
    case LEAF_HTML:
        if (only_comments(md->text->str, md->text->len)) {
            imp_diag_report(md->diag, IMP_DIAG_INFO, md->name, line, "dropped HTML comment");
            break;
        }
        imp_diag_report(md->diag, IMP_DIAG_WARNING, md->name, line,
                        "raw HTML is set as code, as typed (imprint sets no HTML inside "
                        "Markdown)");
        front_blocks(md, FALSE);
        b = new_block(md, IMP_BLOCK_CODE, line, offset, md->leaf_quote, md->leaf_list);
        imp_block_set_info(b, "html");
        break;
    default:
        g_assert_not_reached();
    }
    if (b != NULL) {
        md->any_block = TRUE;
        fill_block(md, b);
    }
    g_clear_pointer(&md->leaf_info, g_free);
    g_clear_pointer(&md->leaf_marker, g_free);
    md->leaf_flags = 0;
    clear_spans(md);
    emit_images(md);
}

/* ------------------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------------------ */

/* md4c sets a row's first cells, as many as the header has, and drops the others (GitHub's
 * rule): a row whose dropped cells hold text is reported with that text (design note 4).
 * Cells are split where GitHub and md4c split them: at '|' not escaped and not inside a
 * code span. */
static void check_row(Md *md)
{
    guint line = md->table_line + (md->table_row == 0 ? 0 : md->table_row + 1);
    if (line > n_lines(md))
        return;
    gsize i = start_of(md, line);
    gsize e = line < n_lines(md) ? start_of(md, line + 1) : md->n;
    const char *t = md->src;
    while (e > i && (t[e - 1] == '\n' || t[e - 1] == '\r'))
        e--;
    for (guint q = 0; q <= md->quote_depth; q++) {
        while (i < e && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (q < md->quote_depth && i < e && t[i] == '>')
            i++;
    }
    if (i < e && t[i] == '|')
        i++;
    guint cells = 0;
    gsize cell = i, dropped = G_MAXSIZE;
    while (i <= e) {
        if (i < e && t[i] == '\\') {
            i += 2;
            continue;
        }
        if (i < e && t[i] == '`') {
            gsize run = i;
            while (i < e && t[i] == '`')
                i++;
            gsize n = i - run;
            for (gsize k = i; k < e; k++) {
                if (t[k] != '`')
                    continue;
                gsize r = k;
                while (k < e && t[k] == '`')
                    k++;
                if (k - r == n) {
                    i = k;
                    break;
                }
            }
            continue;
        }
        if (i == e || t[i] == '|') {
            gboolean blank = TRUE;
            for (gsize k = cell; k < MIN(i, e); k++)
                blank &= t[k] == ' ' || t[k] == '\t';
            if (i < e || !blank)
                cells++;
            if (cells > md->table_cols && !blank && dropped == G_MAXSIZE)
                dropped = cell;
            cell = i + 1;
        }
        i++;
    }
    if (dropped == G_MAXSIZE)
        return;
    while (e > dropped && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '|'))
        e--;
    while (dropped < e && (t[dropped] == ' ' || t[dropped] == '\t'))
        dropped++;
    gsize show = MIN(e - dropped, 80);
    while (show < e - dropped && ((guchar)t[dropped + show] & 0xC0) == 0x80)
        show--;
    imp_diag_report(md->diag, IMP_DIAG_WARNING, md->name, line,
                    "table row has more cells than its header row (%u); the text of the "
                    "others is not set: %.*s%s", md->table_cols, (int)show, t + dropped,
                    show < e - dropped ? "..." : "");
}

static ImpCellAlign cell_align(MD_ALIGN a)
{
    switch (a) {
    case MD_ALIGN_LEFT: return IMP_CELL_ALIGN_LEFT;
    case MD_ALIGN_CENTER: return IMP_CELL_ALIGN_CENTER;
    case MD_ALIGN_RIGHT: return IMP_CELL_ALIGN_RIGHT;
    default: return IMP_CELL_ALIGN_DEFAULT;
    }
}

/* ------------------------------------------------------------------------------------
 * md4c's callbacks
 * ------------------------------------------------------------------------------------ */

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    Md *md = user;
    if (md->over != NULL)
        return 1;
    end_leaf(md); /* a tight list item's text ends where a block starts */
    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_QUOTE:
        empty_item(md, FALSE);
        md->quote_depth++;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: {
        empty_item(md, FALSE);
        List l = { type == MD_BLOCK_OL, 1, '.', TRUE };
        if (type == MD_BLOCK_OL) {
            const MD_BLOCK_OL_DETAIL *d = detail;
            l.next = d->start;
            l.delim = d->mark_delimiter;
        }
        g_array_append_val(md->lists, l);
        md->list_depth++;
        break;
    }
    case MD_BLOCK_LI: {
        const MD_BLOCK_LI_DETAIL *d = detail;
        List *l = &g_array_index(md->lists, List, md->lists->len - 1);
        ImpBlockFlags f = 0;
        if (l->first)
            f |= IMP_BLOCK_FLAG_LIST_START;
        l->first = FALSE;
        g_free(md->item_marker);
        if (l->ordered) {
            f |= IMP_BLOCK_FLAG_ORDERED;
            md->item_marker = g_strdup_printf("%u%c", l->next++, l->delim);
        } else {
            md->item_marker = g_strdup("\u2022");
        }
        if (d->is_task)
            f |= IMP_BLOCK_FLAG_TASK | (d->task_mark != ' ' ? IMP_BLOCK_FLAG_TASK_DONE : 0);
        md->item_flags = f;
        md->item_pending = TRUE;
        break;
    }
    case MD_BLOCK_HR:
        empty_item(md, FALSE);
        textless_block(md, IMP_BLOCK_RULE, TRUE);
        break;
    case MD_BLOCK_H:
        empty_item(md, FALSE);
        begin_leaf(md, IMP_BLOCK_HEADING);
        md->leaf_level = ((const MD_BLOCK_H_DETAIL *)detail)->level;
        break;
    case MD_BLOCK_CODE: {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        empty_item(md, FALSE);
        begin_leaf(md, IMP_BLOCK_CODE);
        md->leaf_info = attr_text(md, &d->info);
        md->leaf_fenced = d->fence_char != 0;
        break;
    }
    case MD_BLOCK_HTML:
        empty_item(md, FALSE);
        begin_leaf(md, LEAF_HTML);
        break;
    case MD_BLOCK_P:
        begin_leaf(md, IMP_BLOCK_PARAGRAPH);
        break;
    case MD_BLOCK_TABLE: {
        const MD_BLOCK_TABLE_DETAIL *d = detail;
        empty_item(md, FALSE);
        md->table = textless_block(md, IMP_BLOCK_TABLE, FALSE);
        md->table_line = imp_block_get_line(md->table);
        md->table_cols = d->col_count;
        md->table_row = 0;
        g_free(md->aligns);
        md->aligns = g_new0(ImpCellAlign, MAX(d->col_count, 1));
        imp_table_set_columns(md->table, d->col_count, NULL);
        break;
    }
    case MD_BLOCK_THEAD:
        md->table_head = TRUE;
        break;
    case MD_BLOCK_TBODY:
        break;
    case MD_BLOCK_TR:
        imp_table_begin_row(md->table, md->table_head);
        md->table_cell = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        const MD_BLOCK_TD_DETAIL *d = detail;
        if (md->table_head && md->table_cell < md->table_cols)
            md->aligns[md->table_cell] = cell_align(d->align);
        begin_leaf(md, LEAF_CELL);
        break;
    }
    }
    return md->over != NULL;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    (void)detail;
    Md *md = user;
    if (md->over != NULL)
        return 1;
    end_leaf(md);
    switch (type) {
    case MD_BLOCK_QUOTE:
        md->quote_depth--;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        g_array_set_size(md->lists, md->lists->len - 1);
        md->list_depth--;
        break;
    case MD_BLOCK_LI:
        empty_item(md, TRUE);
        break;
    case MD_BLOCK_TR:
        check_row(md);
        md->table_row++;
        break;
    case MD_BLOCK_THEAD:
        md->table_head = FALSE;
        imp_table_set_columns(md->table, md->table_cols, md->aligns);
        break;
    case MD_BLOCK_TABLE:
        /* the header, the delimiter row and one line a body row were read */
        md->last_line = MAX(md->last_line, md->table_line + md->table_row);
        md->table = NULL;
        break;
    default:
        break;
    }
    return md->over != NULL;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    Md *md = user;
    if (md->over != NULL)
        return 1;
    if (md->image_depth > 0) {
        if (type == MD_SPAN_IMG)
            md->image_depth++; /* an image in an image's alt text: its alt text too */
        return 0;
    }
    if (!md->in_leaf)
        begin_leaf(md, IMP_BLOCK_PARAGRAPH);
    if (type == MD_SPAN_IMG) {
        const MD_SPAN_IMG_DETAIL *d = detail;
        Image *im = g_new0(Image, 1);
        im->src = attr_text(md, &d->src);
        im->title = attr_text(md, &d->title);
        im->alt = g_string_new(NULL);
        im->offset = G_MAXSIZE;
        for (guint i = md->open->len; i-- > 0;) {
            const Open *o = &g_array_index(md->open, Open, i);
            if (o->flags & IMP_SPAN_LINK) {
                im->href = g_strdup(o->href);
                break;
            }
        }
        if (in_input(md, d->src.text)) {
            im->offset = (gsize)(d->src.text - md->src);
            im->line = line_of_offset(md, im->offset);
        }
        md->image = im;
        md->image_depth = 1;
        return 0;
    }
    Open o = { md->text->len, 0, NULL, md->soft_pending };
    switch (type) {
    case MD_SPAN_EM:
        o.flags = IMP_SPAN_EMPHASIS;
        break;
    case MD_SPAN_STRONG:
        o.flags = IMP_SPAN_STRONG;
        break;
    case MD_SPAN_CODE:
        o.flags = IMP_SPAN_CODE;
        break;
    case MD_SPAN_DEL:
        o.flags = IMP_SPAN_STRIKE;
        break;
    case MD_SPAN_A:
        o.href = attr_text(md, &((const MD_SPAN_A_DETAIL *)detail)->href);
        o.flags = o.href != NULL ? IMP_SPAN_LINK : 0; /* [text]() leads nowhere */
        break;
    default:
        break; /* extensions not enabled */
    }
    g_array_append_val(md->open, o);
    return 0;
}

/* The image whose alt text was just read: after the leaf, or in a table cell its alt
 * text in its place (design note 3). */
static void end_image(Md *md)
{
    Image *im = md->image;
    md->image = NULL;
    if (im->line == 0)
        im->line = md->cur_line;
    if (md->leaf_kind == LEAF_CELL) {
        imp_diag_report(md->diag, IMP_DIAG_WARNING, md->name, im->line,
                        "image %s in a table cell is set as its alt text",
                        im->src != NULL ? im->src : "");
        append(md, im->alt->str, im->alt->len, im->line);
        image_free(im);
        return;
    }
    g_ptr_array_add(md->images, im);
    md->after_image = TRUE;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    (void)detail;
    Md *md = user;
    if (md->over != NULL)
        return 1;
    if (md->image_depth > 0) {
        if (type == MD_SPAN_IMG && --md->image_depth == 0)
            end_image(md);
        return 0;
    }
    if (md->open->len == 0)
        return 0;
    Open o = g_array_index(md->open, Open, md->open->len - 1);
    g_array_set_size(md->open, md->open->len - 1);
    if (o.flags != 0 && o.start < md->text->len) {
        Span s = { o.start, md->text->len, o.flags, o.href };
        g_array_append_val(md->spans, s);
    } else {
        g_free(o.href);
    }
    return 0;
}

/* Text of an image's alt text: flat, soft and hard breaks as one space (or none between
 * CJK characters). */
static void alt_text(Md *md, MD_TEXTTYPE type, const char *s, gsize len, guint line)
{
    Image *im = md->image;
    if (im->line == 0 && in_input(md, s)) {
        im->line = line;
        im->offset = (gsize)(s - md->src);
    }
    switch (type) {
    case MD_TEXT_SOFTBR:
    case MD_TEXT_BR:
        if (im->alt->len > 0 && im->alt->str[im->alt->len - 1] != ' ')
            g_string_append_c(im->alt, ' ');
        break;
    case MD_TEXT_ENTITY:
        append_entity(md, im->alt, s, len, line);
        break;
    case MD_TEXT_HTML:
        if (in_input(md, s) && s[0] == '<')
            report_tag(md, s, len, line);
        break;
    case MD_TEXT_NULLCHAR:
        g_string_append(im->alt, "\xEF\xBF\xBD");
        break;
    default:
        if (len > 0 && im->alt->len > 0 && im->alt->str[im->alt->len - 1] == ' ' &&
            im->alt->len >= 2) {
            /* a break between two CJK characters joins them */
            const char *end = im->alt->str + im->alt->len - 1;
            gunichar before = g_utf8_get_char(g_utf8_find_prev_char(im->alt->str, end));
            if (imp__read_is_cjk(before) && imp__read_is_cjk(g_utf8_get_char(s)))
                g_string_truncate(im->alt, im->alt->len - 1);
        }
        g_string_append_len(im->alt, s, (gssize)len);
        break;
    }
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *user)
{
    Md *md = user;
    if (md->over != NULL)
        return 1;
    if (in_input(md, s) && size > md->src + md->n - s)
        size = (MD_SIZE)(md->src + md->n - s); /* text past the input's end: never */
    guint line = line_of(md, s);
    if (md->image_depth > 0) {
        alt_text(md, type, s, size, line);
        return 0;
    }
    if (!md->in_leaf)
        begin_leaf(md, IMP_BLOCK_PARAGRAPH);
    if (md->leaf_offset == G_MAXSIZE && in_input(md, s))
        md->leaf_offset = (gsize)(s - md->src);
    switch (type) {
    case MD_TEXT_NORMAL:
    case MD_TEXT_LATEXMATH:
        append(md, s, size, line);
        break;
    case MD_TEXT_CODE:
        if (md->leaf_kind == IMP_BLOCK_CODE)
            code_text(md, s, size);
        else
            append(md, s, size, line);
        break;
    case MD_TEXT_HTML:
        if (md->leaf_kind == LEAF_HTML)
            code_text(md, s, size);
        else
            inline_html(md, s, size, line);
        break;
    case MD_TEXT_ENTITY:
        append_entity(md, NULL, s, size, line);
        break;
    case MD_TEXT_NULLCHAR:
        append(md, "\xEF\xBF\xBD", 3, line); /* none: NUL bytes were dropped before */
        break;
    case MD_TEXT_BR:
        if (md->text->len > 0) {
            md->soft_pending = FALSE;
            append(md, "\n", 1, line);
        }
        break;
    case MD_TEXT_SOFTBR:
        md->soft_pending = TRUE;
        break;
    }
    return md->over != NULL;
}

/* ------------------------------------------------------------------------------------
 * The reader
 * ------------------------------------------------------------------------------------ */

static void md_clear(Md *md)
{
    g_array_free(md->starts, TRUE);
    g_array_free(md->lists, TRUE);
    g_string_free(md->text, TRUE);
    g_array_free(md->marks, TRUE);
    clear_spans(md);
    g_array_free(md->spans, TRUE);
    for (guint i = 0; i < md->open->len; i++)
        g_free(g_array_index(md->open, Open, i).href);
    g_array_free(md->open, TRUE);
    g_ptr_array_free(md->images, TRUE);
    if (md->image != NULL)
        image_free(md->image);
    g_free(md->item_marker);
    g_free(md->leaf_info);
    g_free(md->leaf_marker);
    g_free(md->aligns);
    g_hash_table_unref(md->ids);
    g_hash_table_unref(md->id_counts);
}

/* See read-private.h and the file's opening comment. */
ImpDocument *imp__read_markdown(const char *data, gsize len, const char *filename,
                                const char *encoding, const ImpReadRules *rules,
                                const ImpDiag *diag, GError **error)
{
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    const char *name = filename != NULL ? filename : "<input>";
    char *owned = NULL;
    gsize n = 0;
    /* decoded as text is: a BOM, the encoding named, UTF-8, else the one detected */
    const char *t = len > 0 ? imp__decode_input(data, len, name, encoding, IMP_ENCODING_GIVEN,
                                                diag, &n, &owned, error)
                            : "";
    if (t == NULL)
        return NULL;
    if (n > G_MAXUINT32) { /* md4c's sizes are 32-bit */
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: too large for the Markdown "
                    "reader (more than 4 GiB)", name);
        g_free(owned);
        return NULL;
    }
    ImpControlReport controls = { name, diag, 0, 0, 0 };
    GArray *form_feeds = g_array_new(FALSE, FALSE, sizeof(gsize));
    gsize sn = 0;
    char *scrubbed = imp__read_scrub(t, n, &controls, form_feeds, &sn);
    if (scrubbed != NULL) {
        t = scrubbed;
        n = sn;
    } else {
        /* md4c gets a buffer with a NUL after its end, as its own tools give it: with
           some unfinished links it looks one byte past the end (the byte decides a
           branch), and a byte of whatever follows a caller's buffer once made it hand over
           text running past the end (fuzz-read) */
        scrubbed = g_malloc(n + 1);
        memcpy(scrubbed, t, n);
        scrubbed[n] = '\0';
        t = scrubbed;
    }

    ImpDocument *doc = imp_document_new();
    ImpFrontMatter fm;
    if (!imp__front_matter_read(t, n, name, diag, doc, &fm, error)) {
        imp_document_free(doc);
        g_array_free(form_feeds, TRUE);
        g_free(scrubbed);
        g_free(owned);
        return NULL;
    }
    Md md = {
        .name = name,
        .diag = diag,
        .doc = doc,
        .src = t,
        .n = n,
        .starts = line_starts(t, n),
        .cur_line = MAX(fm.end_line, 1),
        .last_line = fm.end_line,
        .controls = &controls,
        .lists = g_array_new(FALSE, FALSE, sizeof(List)),
        .text = g_string_new(NULL),
        .marks = g_array_new(FALSE, FALSE, sizeof(Mark)),
        .spans = g_array_new(FALSE, FALSE, sizeof(Span)),
        .open = g_array_new(FALSE, FALSE, sizeof(Open)),
        .images = g_ptr_array_new_with_free_func(image_free),
        .fm = &fm,
        .ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .id_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .form_feeds = form_feeds,
    };
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_DIALECT_GITHUB,
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = on_text,
    };
    int rc = md_parse(t + fm.end, (MD_SIZE)(n - fm.end), &parser, &md);
    if (rc == 0) {
        end_leaf(&md);
        front_blocks(&md, FALSE); /* a document of front matter alone */
    }
    imp__control_report_finish(&controls);
    if (md.html_unreported > 0)
        imp_diag_report(diag, IMP_DIAG_WARNING, name, 0,
                        "dropped %" G_GUINT64_FORMAT " more HTML tags", md.html_unreported);
    guint n_blocks = md.n_text_blocks;
    const char *over = md.over;
    guint over_line = md.over_line;
    md_clear(&md);
    g_array_free(form_feeds, TRUE);
    g_free(scrubbed);
    g_free(owned);

    if (over != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: too many %s: imprint sets at most %u in one document", name,
                    over_line, over,
                    strcmp(over, "paragraphs") == 0 ? IMP_READ_MAX_PARAGRAPHS
                                                    : IMP_READ_MAX_PAGE_BREAKS);
        imp_document_free(doc);
        return NULL;
    }
    if (rc != 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: the Markdown parser failed "
                    "(out of memory)", name);
        imp_document_free(doc);
        return NULL;
    }
    if (n_blocks == 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: no text to typeset (%s)", name,
                    len == 0 ? "the input is empty"
                             : "the input holds only white space, markup, comments or "
                               "control characters");
        imp_document_free(doc);
        return NULL;
    }
    if (filename != NULL)
        imp_document_set_meta(doc, IMP_META_SOURCE_FILE, filename);
    if (rules != NULL && rules->site != NULL)
        imp_document_set_meta(doc, IMP_META_SITE, rules->site);
    if (rules != NULL && rules->source != NULL)
        imp_document_set_meta(doc, IMP_META_SOURCE, rules->source);
    imp_document_trim(doc);
    return doc;
}
