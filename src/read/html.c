/* html.c — the HTML reader: a saved web page to an ImpDocument (read.h, imp_read_html).
 *
 * The page is decoded (encoding.c: a byte-order mark, then --encoding, then the page's
 * <meta charset> or http-equiv or XML declaration, then detection), cleaned of the control
 * characters libxml2 would drop or stop at, and parsed by libxml2's HTML parser, which
 * never touches the network. The article is then found: with a site's [html] rules, the
 * content expression selects it and the others give the title, date, author, section,
 * masthead and notice; without them a generic reading takes <main>, [role=main] or
 * <article>, else the element the page's text is concentrated in (find_article). One walk
 * over the article turns elements into blocks and inline spans of the document model,
 * and the site's text-line rules (the same as for a text clipping) judge each block.
 *
 * The mapping, in short: h1-h6 → headings (id kept; a lone top heading at the start is the
 * title); p, div text, dt/dd, address → paragraphs, terms, definitions; ul/ol/li → list
 * items with markers ("•", "◦", "▪"; "1.", "a.", "i." after type=, start=, reversed,
 * value=) and task flags from a leading checkbox; blockquote → quote depth; pre → code
 * (text as typed, info from class="language-X"); tables → table blocks (see Tables);
 * img → image blocks (figcaption as caption) or, in running text and for icons, their
 * alt text; hr → rule; br → '\n'; a href, em/i/cite/var/dfn, strong/b, s/del/strike,
 * code/kbd/samp/tt → spans; q → quotation marks; lang → block language or language spans;
 * dir on inline elements → Unicode isolates. <title>, <meta>, Open Graph, Dublin Core and
 * <link rel=canonical> fill the metadata.
 *
 * Design notes:
 *  1. No recursion over the tree: libxml2 nests at most 256 elements, but the walk, the
 *     text extraction and the analysis are loops with explicit stacks all the same. A page
 *     the parser gives up on (nesting past 256, a text node past 10 MB) is refused with
 *     its line: the rest of the page would be lost without a word otherwise.
 *  2. Source lines: libxml2 caps a node's line at 65535 and dates a text node by the end
 *     of its first chunk; the reader wraps the parser's element and character callbacks to
 *     store each element's and text node's first line (uncapped) in node->psvi, and counts
 *     line ends inside text itself.
 *  3. Characters in = characters out for the article: every character of its text nodes
 *     reaches a block (or a table cell, a caption, or the metadata the rules take), except
 *     collapsible white space (HTML's rules: runs of space, tab and line ends are one
 *     space, none at a block's ends, none at a line end between two CJK characters, as
 *     text.c joins lines), and control characters and noncharacters, which are reported.
 *     What is dropped as page chrome is reported at IMP_DIAG_INFO, element by element.
 *  4. Spans are flat: a run of text with one inline state (flags, link, language) is one
 *     span, so a page cannot make more spans than text nodes, however deep its markup.
 *  5. Nothing is fetched: a remote image (http:, https:, //host, /path on the site) is
 *     reported as a warning and set as its alt text; data: URIs are passed on in `src`
 *     for the layout to decode.
 */
#include "read.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "../util/error.h"
#include "encoding.h"

/* Bytes of the page looked at for a declared encoding. */
#define META_SCAN 4096
/* Longest trimmed block text, in bytes, that the text-line rules are matched against. */
#define RULE_LINE_MAX 1000
/* Masthead and breadcrumb rules apply to this many first blocks. */
#define HEADER_BLOCKS 8
/* Reports of one kind (dropped elements, images, control characters) made one by one
 * before only counting. */
#define MAX_REPORTS 100
/* An image this many CSS pixels wide or high, or less, is an icon: set as its alt text. */
#define ICON_PX 32
/* Table limits: HTML's own for colspan; columns beyond MAX_COLUMNS are not padded. */
#define MAX_SPAN 1000
#define MAX_COLUMNS 1000
/* Characters of a dropped element's text quoted in its report. */
#define EXCERPT_CHARS 60

/* ------------------------------------------------------------------------------------
 * Characters
 * ------------------------------------------------------------------------------------ */

/* White space a block may be padded with (as text.c trims lines): ASCII space and tab, no-
 * break and ideographic spaces and the other Unicode spaces. */
static gboolean is_space(gunichar c)
{
    if (c < 0x80)
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* HTML's collapsible white space. */
static gboolean is_html_space(guchar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Characters between which a source line break is removed rather than made a space (the
 * rule of text.c and of CSS Text 3's segment break transformation; Hangul excluded, as
 * Korean separates words with spaces). */
static gboolean is_cjk(gunichar c)
{
    if (c < 0x2E80)
        return FALSE;
    if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0x3200 && c <= 0x33FF) || (c >= 0xFE30 && c <= 0xFE4F))
        return TRUE;
    if (c >= 0xFF00 && c <= 0xFFEF)
        return !(c >= 0xFFA0 && c <= 0xFFDC);
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Characters no block may hold: C0 and C1 controls (white space aside) and Unicode's
 * noncharacters (cairo refuses a string holding one). */
static gboolean is_dropped_char(gunichar c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ||
           (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Bytes that start a character that is not HTML white space: 1, else 0 (continuation
 * bytes and white space). */
static const guint8 ink_start[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1,
    [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
    [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
    [0x21 ... 0x7F] = 1, [0xC0 ... 0xFF] = 1,
};

/* The number of characters of s[0..len) that are not white space. */
static gsize count_ink(const char *s, gsize len)
{
    gsize n = 0;
    for (gsize i = 0; i < len; i++)
        n += ink_start[(guchar)s[i]];
    return n;
}

/* Whether s[0..len) holds a character that is not white space. */
static gboolean has_ink(const char *s, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if (ink_start[(guchar)s[i]])
            return TRUE;
    return FALSE;
}

/* ------------------------------------------------------------------------------------
 * Nodes and attributes
 * ------------------------------------------------------------------------------------ */

/* An element's name (the HTML parser lowercases them). */
static const char *node_name(const xmlNode *n)
{
    return (const char *)n->name;
}

/* Whether n is the element `name`. */
static gboolean is_element(const xmlNode *n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && strcmp(node_name(n), name) == 0;
}

/* An attribute's value (transfer none), or NULL. The HTML parser stores each value as
 * one text node. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (g_ascii_strcasecmp((const char *)a->name, name) != 0)
            continue;
        if (a->children == NULL)
            return "";
        if (a->children->type == XML_TEXT_NODE && a->children->next == NULL)
            return a->children->content != NULL ? (const char *)a->children->content : "";
        return NULL;
    }
    return NULL;
}

/* The first source line of an element or text node (design note 2). */
static guint node_line(const xmlNode *n)
{
    for (; n != NULL; n = n->parent) {
        if (n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE)
            return 0;
        if (n->psvi != NULL)
            return GPOINTER_TO_UINT(n->psvi);
        if (n->line > 0)
            return n->line;
    }
    return 0;
}

/* The next node in document order after n's subtree, within `root`. */
static xmlNode *next_after(xmlNode *n, const xmlNode *root)
{
    while (n != NULL && n != root && n->next == NULL)
        n = n->parent;
    return n == NULL || n == root ? NULL : n->next;
}

/* The next node in document order, descending into children, within `root`. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root)
{
    if (n->children != NULL && n->type == XML_ELEMENT_NODE)
        return n->children;
    return next_after(n, root);
}

/* Whether n is a text node with a character that is not white space. */
static gboolean node_has_ink(const xmlNode *n)
{
    return n->type == XML_TEXT_NODE && n->content != NULL &&
           has_ink((const char *)n->content, strlen((const char *)n->content));
}

/* Whether a is n or one of its ancestors. */
static gboolean is_ancestor(const xmlNode *a, const xmlNode *n)
{
    for (; n != NULL; n = n->parent)
        if (n == a)
            return TRUE;
    return FALSE;
}

/* ------------------------------------------------------------------------------------
 * Elements
 * ------------------------------------------------------------------------------------ */

typedef enum {
    R_INLINE,     /* text-level: spans, or nothing */
    R_SKIP,       /* never text: scripts, styles, forms' controls, embedded objects */
    R_CONTAINER,  /* block-level grouping: its text makes paragraphs */
    R_PARA,       /* a paragraph */
    R_HEADING,
    R_LIST,
    R_ITEM,
    R_DT,
    R_DD,
    R_QUOTE,
    R_PRE,
    R_TABLE,
    R_TSECTION,
    R_ROW,
    R_CELL,
    R_CAPTION,
    R_HR,
    R_BR,
    R_IMG,
    R_FIGURE,
    R_INPUT,
    R_WBR,
    R_Q,
    R_STYLE       /* script and style: dropped, counted, not reported one by one */
} Role;

typedef struct {
    const char *name;
    guint8 role;
    guint8 span;  /* ImpSpanFlags for R_INLINE */
} Element;

/* Sorted by name (bsearch); elements not listed are inline, as in browsers. */
static const Element elements[] = {
    { "address", R_CONTAINER, 0 }, { "applet", R_SKIP, 0 }, { "area", R_SKIP, 0 },
    { "article", R_CONTAINER, 0 }, { "aside", R_CONTAINER, 0 }, { "audio", R_SKIP, 0 },
    { "b", R_INLINE, IMP_SPAN_STRONG }, { "base", R_SKIP, 0 }, { "blockquote", R_QUOTE, 0 },
    { "body", R_CONTAINER, 0 }, { "br", R_BR, 0 }, { "button", R_SKIP, 0 },
    { "canvas", R_SKIP, 0 }, { "caption", R_CAPTION, 0 }, { "center", R_CONTAINER, 0 },
    { "cite", R_INLINE, IMP_SPAN_EMPHASIS }, { "code", R_INLINE, IMP_SPAN_CODE },
    { "col", R_SKIP, 0 }, { "colgroup", R_SKIP, 0 }, { "datalist", R_SKIP, 0 },
    { "dd", R_DD, 0 }, { "del", R_INLINE, IMP_SPAN_STRIKE }, { "details", R_CONTAINER, 0 },
    { "dfn", R_INLINE, IMP_SPAN_EMPHASIS }, { "dialog", R_CONTAINER, 0 },
    { "dir", R_LIST, 0 }, { "div", R_CONTAINER, 0 }, { "dl", R_CONTAINER, 0 },
    { "dt", R_DT, 0 }, { "em", R_INLINE, IMP_SPAN_EMPHASIS }, { "embed", R_SKIP, 0 },
    { "fieldset", R_CONTAINER, 0 }, { "figcaption", R_PARA, 0 }, { "figure", R_FIGURE, 0 },
    { "footer", R_CONTAINER, 0 }, { "form", R_CONTAINER, 0 }, { "frame", R_SKIP, 0 },
    { "frameset", R_SKIP, 0 }, { "h1", R_HEADING, 1 }, { "h2", R_HEADING, 2 },
    { "h3", R_HEADING, 3 }, { "h4", R_HEADING, 4 }, { "h5", R_HEADING, 5 },
    { "h6", R_HEADING, 6 }, { "head", R_SKIP, 0 }, { "header", R_CONTAINER, 0 },
    { "hgroup", R_CONTAINER, 0 }, { "hr", R_HR, 0 }, { "html", R_CONTAINER, 0 },
    { "i", R_INLINE, IMP_SPAN_EMPHASIS }, { "iframe", R_SKIP, 0 }, { "img", R_IMG, 0 },
    { "input", R_INPUT, 0 }, { "kbd", R_INLINE, IMP_SPAN_CODE }, { "legend", R_PARA, 0 },
    { "li", R_ITEM, 0 }, { "link", R_SKIP, 0 }, { "listing", R_PRE, 0 },
    { "main", R_CONTAINER, 0 }, { "map", R_SKIP, 0 }, { "menu", R_LIST, 0 },
    { "meta", R_SKIP, 0 }, { "meter", R_SKIP, 0 }, { "nav", R_CONTAINER, 0 },
    { "noembed", R_SKIP, 0 }, { "noframes", R_SKIP, 0 }, { "noscript", R_SKIP, 0 },
    { "object", R_SKIP, 0 }, { "ol", R_LIST, 0 }, { "optgroup", R_SKIP, 0 },
    { "option", R_SKIP, 0 }, { "p", R_PARA, 0 }, { "param", R_SKIP, 0 },
    { "plaintext", R_PRE, 0 }, { "pre", R_PRE, 0 }, { "progress", R_SKIP, 0 },
    { "q", R_Q, 0 }, { "s", R_INLINE, IMP_SPAN_STRIKE }, { "samp", R_INLINE, IMP_SPAN_CODE },
    { "script", R_STYLE, 0 }, { "search", R_CONTAINER, 0 }, { "section", R_CONTAINER, 0 },
    { "select", R_SKIP, 0 }, { "source", R_SKIP, 0 }, { "strike", R_INLINE, IMP_SPAN_STRIKE },
    { "strong", R_INLINE, IMP_SPAN_STRONG }, { "style", R_STYLE, 0 }, { "summary", R_PARA, 0 },
    { "svg", R_SKIP, 0 }, { "table", R_TABLE, 0 }, { "tbody", R_TSECTION, 0 },
    { "td", R_CELL, 0 }, { "template", R_STYLE, 0 }, { "textarea", R_SKIP, 0 },
    { "tfoot", R_TSECTION, 0 }, { "th", R_CELL, 0 }, { "thead", R_TSECTION, 0 },
    { "title", R_SKIP, 0 }, { "tr", R_ROW, 0 }, { "track", R_SKIP, 0 },
    { "tt", R_INLINE, IMP_SPAN_CODE }, { "ul", R_LIST, 0 }, { "var", R_INLINE, IMP_SPAN_EMPHASIS },
    { "video", R_SKIP, 0 }, { "wbr", R_WBR, 0 }, { "xmp", R_PRE, 0 },
};

/* bsearch over `elements` by name. */
static int element_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const Element *)e)->name);
}

/* What an element is to the reader (an element not listed is inline). */
static const Element *element_of(const xmlNode *n)
{
    static const Element inline_element = { "", R_INLINE, 0 };
    const Element *e = bsearch(node_name(n), elements, G_N_ELEMENTS(elements),
                               sizeof(Element), element_cmp);
    return e != NULL ? e : &inline_element;
}

/* ------------------------------------------------------------------------------------
 * The reader's state
 * ------------------------------------------------------------------------------------ */

/* A stretch of a pending block's text in one inline state (design note 4). */
typedef struct {
    gsize start;
    guint flags;       /* ImpSpanFlags without IMP_SPAN_LANG */
    const char *href;  /* in the reader's string chunk */
    const char *lang;  /* interned */
} Run;

typedef struct {
    gsize offset;
    guint line;
} Mark;

/* The inline and block context of the walk: saved on entering an element, restored on
 * leaving it. */
typedef struct {
    guint flags;             /* inline span flags */
    const char *href;
    const char *lang;        /* the language in effect (interned), NULL: the document's */
    guint8 kind;             /* kind of the blocks made here: PARAGRAPH, HEADING, CODE, ... */
    guint8 level;
    guint8 pre;              /* inside pre: white space kept */
    guint8 notice;           /* inside a notice element of the site rules */
    guint list_depth, quote_depth;
    guint q_depth;
    const xmlNode *heading;  /* the heading element whose text this is */
    const char *info;        /* a code block's info string (in the reader's strings) */
    gboolean in_cell;        /* inside a data table's cell: blocks are lines of the cell */
} Ctx;

/* An open element of the walk. */
typedef struct {
    const xmlNode *node;
    guint8 role;
    guint8 isolate;          /* emitted a directional isolate (or override) to close */
    guint block_serial;      /* ... into this pending block */
    Ctx saved;
} Frame;

/* An open list. */
typedef struct {
    gboolean ordered, reversed, first;
    gint64 next;
    char type;               /* '1', 'a', 'A', 'i', 'I' */
} List;

/* An open table: a data table becomes one TABLE block; a layout table is a container. */
typedef struct {
    gboolean layout;
    ImpBlock *block;         /* made at its first cell */
    gboolean row_open;       /* a row was begun for the current <tr> */
    gboolean header_row;     /* the current row is a header row */
    gboolean body_seen;      /* a row that is not a header row was seen */
    guint col;               /* next column in the current row */
    GArray *carry;           /* guint per column: rows a rowspan still covers */
    GArray *aligns;          /* ImpCellAlign per column */
    guint n_columns;
    ImpBlock *cell;          /* the cell being filled, or NULL */
    gboolean implicit_cell;  /* the cell holds stray text outside any <td> */
} Table;

typedef struct {
    /* input */
    const char *name;
    const char *src_name;        /* the file name as given (for same-page links), or NULL */
    const ImpReadRules *rules;
    const ImpDiag *diag;
    ImpDocument *doc;
    htmlDocPtr html;
    gboolean site;               /* the article comes from the site's content rule */
    const char *doc_lang;        /* the page's language (interned), or NULL */
    char *base_url;              /* <base href>, else the canonical address; NULL: none */
    GStringChunk *strings;

    /* the walk */
    Ctx ctx;
    GArray *frames;              /* Frame */
    GArray *lists;               /* List */
    GArray *tables;              /* Table */
    GHashTable *skip;            /* const xmlNode*: taken by a site rule, not walked */
    GHashTable *drop;            /* const xmlNode*: [html] drop */
    const xmlNode *root;         /* the article (generic reading) */
    const xmlNode *walk_root;    /* the element being walked: never dropped */
    const xmlNode *title_node;   /* the heading that is the title, or NULL */
    const xmlNode *figure_img;   /* the image of a figure with a caption ... */
    char *figure_caption;        /* ... and that caption */

    /* the pending block */
    GString *text;
    GArray *runs;                /* Run */
    GArray *marks;               /* Mark */
    guint serial;                /* counts pending blocks begun */
    gboolean started;            /* the pending block has its context (first character) */
    gboolean space, space_nl;    /* collapsible white space since the last character */
    gboolean line_pending;       /* a block ended inside a cell: '\n' before more text */
    gboolean pre_start;          /* at the start of a pre: its first line end is dropped */
    guint cur_line;              /* source line of the text being appended */
    Ctx start;                   /* the context where the pending block began */
    guint start_line;
    const char *pending_id;      /* an id for the next block (in strings), or NULL */

    /* list items */
    gboolean item_pending;       /* an <li> whose first block is still to come */
    char *item_marker;
    ImpBlockFlags item_flags;
    guint item_line;
    Ctx item_ctx;                /* the context of the <li> */

    /* blocks made */
    guint n_blocks;              /* blocks and table cells, against IMP_READ_MAX_PARAGRAPHS */
    guint n_text_blocks;
    gboolean over;
    guint over_line;
    gboolean have_title;

    /* the text-line rules (as text.c applies them) */
    guint seen;                  /* blocks judged */
    gboolean in_notice, notice_closing;
    gboolean have_masthead, have_section;
    GPtrArray *given_up;         /* const GRegex*: rules that hit a matching limit */

    GArray *stats;               /* NodeStats of the elements (analyse) */

    /* reports */
    guint n_drop_reports, n_drop_unreported;
    guint n_scripts;
    guint n_image_reports, n_image_unreported;
    guint n_ctrl_reports;
    guint64 ctrl_unreported;
    guint n_langs;
} Reader;

/* ------------------------------------------------------------------------------------
 * Reports
 * ------------------------------------------------------------------------------------ */

/* Reports a control character or noncharacter dropped from the text (design note 3). */
static void report_dropped_char(Reader *r, guint line, gunichar c)
{
    if (r->n_ctrl_reports >= MAX_REPORTS) {
        r->ctrl_unreported++;
        return;
    }
    r->n_ctrl_reports++;
    gboolean nonchar = (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line, "dropped %s U+%04X",
                    nonchar ? "noncharacter" : "control character", c);
}

/* At most `max` characters of valid UTF-8 s, "…" when there were more (transfer full). */
static char *clip(const char *s, glong max)
{
    if (g_utf8_strlen(s, -1) <= max)
        return g_strdup(s);
    char *head = g_utf8_substring(s, 0, max);
    char *out = g_strconcat(head, "…", NULL);
    g_free(head);
    return out;
}

/* A short description of an element for messages: <div id="x" class="y">. */
static char *describe(const xmlNode *n)
{
    GString *s = g_string_new("<");
    g_string_append(s, node_name(n));
    const char *keys[] = { "id", "class", "role" };
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *v = attr(n, keys[i]);
        if (v != NULL && *v != '\0' && g_utf8_validate(v, -1, NULL)) {
            char *c = clip(v, 40);
            g_string_append_printf(s, " %s=\"%s\"", keys[i], c);
            g_free(c);
        }
    }
    g_string_append_c(s, '>');
    return g_string_free(s, FALSE);
}

/* The first EXCERPT_CHARS characters of an element's text, white space collapsed, "…"
 * when there is more; "" when it has none (transfer full). */
static char *excerpt(const xmlNode *root)
{
    GString *s = g_string_new(NULL);
    gboolean space = FALSE;
    glong chars = 0;
    guint visited = 0;
    for (xmlNode *n = (xmlNode *)root; n != NULL && visited < 100000;) {
        visited++;
        if (n->type == XML_ELEMENT_NODE && element_of(n)->role == R_STYLE) {
            n = next_after(n, root);
            continue;
        }
        if (n->type != XML_TEXT_NODE || n->content == NULL) {
            n = next_node(n, root);
            continue;
        }
        for (const char *p = (const char *)n->content; *p != '\0'; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (is_space(c) || is_dropped_char(c)) {
                space = s->len > 0;
                continue;
            }
            if (chars >= EXCERPT_CHARS) {
                g_string_append(s, "…");
                return g_string_free(s, FALSE);
            }
            if (space)
                g_string_append_c(s, ' ');
            space = FALSE;
            g_string_append_unichar(s, c);
            chars++;
        }
        n = next_node(n, root);
    }
    return g_string_free(s, FALSE);
}

/* Reports an element dropped as page chrome (with why), if it has any text. */
static void report_drop(Reader *r, const xmlNode *n, const char *why)
{
    if (r->n_drop_reports >= MAX_REPORTS) {
        r->n_drop_unreported++;
        return;
    }
    char *text = excerpt(n);
    if (*text != '\0') {
        char *what = describe(n);
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, node_line(n), "dropped %s (%s): %s",
                        what, why, text);
        g_free(what);
        r->n_drop_reports++;
    }
    g_free(text);
}

/* ------------------------------------------------------------------------------------
 * Decoding and cleaning the input
 * ------------------------------------------------------------------------------------ */

/* Case-insensitive prefix test on a bounded buffer. */
static gboolean at(const char *p, const char *end, const char *word)
{
    gsize n = strlen(word);
    return (gsize)(end - p) >= n && g_ascii_strncasecmp(p, word, n) == 0;
}

/* Called with each attribute of a tag (name and value not NUL-terminated). */
typedef void (*AttrFunc)(const char *name, gsize nlen, const char *value, gsize vlen,
                         gpointer data);

/* Reads the attributes of a tag from p (after its name) to its '>' within end, calling f
 * with each. Returns the position after '>'. */
static const char *scan_attributes(const char *p, const char *end, AttrFunc f, gpointer data)
{
    while (p < end) {
        while (p < end && (is_html_space((guchar)*p) || *p == '/'))
            p++;
        if (p >= end || *p == '>' || (*p == '?' && p + 1 < end && p[1] == '>'))
            break;
        const char *name = p;
        while (p < end && !is_html_space((guchar)*p) && *p != '/' && *p != '>' && *p != '=')
            p++;
        gsize nlen = (gsize)(p - name);
        while (p < end && is_html_space((guchar)*p))
            p++;
        const char *value = p;
        gsize vlen = 0;
        if (p < end && *p == '=') {
            p++;
            while (p < end && is_html_space((guchar)*p))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                value = p;
                while (p < end && *p != q)
                    p++;
                vlen = (gsize)(p - value);
                if (p < end)
                    p++;
            } else {
                value = p;
                while (p < end && !is_html_space((guchar)*p) && *p != '>')
                    p++;
                vlen = (gsize)(p - value);
            }
        }
        if (nlen == 0) {
            p++;
            continue;
        }
        f(name, nlen, value, vlen, data);
    }
    return p < end ? p + 1 : end;
}

typedef struct {
    char *charset;       /* <meta charset> */
    gboolean is_ctype;   /* http-equiv="content-type" */
    char *content;       /* its content= */
} MetaScan;

/* Collects the attributes that declare an encoding (an AttrFunc). */
static void meta_attr(const char *name, gsize nlen, const char *value, gsize vlen, gpointer data)
{
    MetaScan *m = data;
    if (nlen == 7 && g_ascii_strncasecmp(name, "charset", 7) == 0 && m->charset == NULL)
        m->charset = g_strndup(value, vlen);
    else if (nlen == 10 && g_ascii_strncasecmp(name, "http-equiv", 10) == 0)
        m->is_ctype = vlen == 12 && g_ascii_strncasecmp(value, "content-type", 12) == 0;
    else if (nlen == 7 && g_ascii_strncasecmp(name, "content", 7) == 0 && m->content == NULL)
        m->content = g_strndup(value, vlen);
    else if (nlen == 8 && g_ascii_strncasecmp(name, "encoding", 8) == 0 && m->charset == NULL)
        m->charset = g_strndup(value, vlen);  /* an XML declaration's */
}

/* The charset "charset=NAME" in an http-equiv content value (transfer full), or NULL. */
static char *charset_of_content(const char *content)
{
    for (const char *p = content; (p = strchr(p, '=')) != NULL; p++) {
        if (p - content < 7 || g_ascii_strncasecmp(p - 7, "charset", 7) != 0)
            continue;
        p++;
        while (*p == ' ' || *p == '"' || *p == '\'')
            p++;
        gsize n = strcspn(p, " ;\"'");
        return n > 0 ? g_strndup(p, n) : NULL;
    }
    return NULL;
}

/* Whether a declared encoding is spelled as encoding labels are: ASCII letters, digits
 * and "-_.:()", at most 40 of them. */
static gboolean is_label(const char *s)
{
    gsize n = 0;
    for (; s[n] != '\0'; n++)
        if (!g_ascii_isalnum(s[n]) && strchr("-_.:()", s[n]) == NULL)
            return FALSE;
    return n > 0 && n <= 40;
}

/* The encoding the page declares in its first META_SCAN bytes: <meta charset>, <meta
 * http-equiv=content-type content="...; charset=...">, or an XML declaration's encoding=
 * (transfer full), or NULL. The bytes are scanned as ASCII, as browsers prescan. */
static char *declared_charset(const char *data, gsize len)
{
    const char *p = data, *end = data + MIN(len, META_SCAN);
    char *xml = NULL, *found = NULL;
    while (p < end && found == NULL) {
        const char *lt = memchr(p, '<', (gsize)(end - p));
        if (lt == NULL)
            break;
        p = lt;
        if (at(p, end, "<!--")) {
            const char *close = g_strstr_len(p + 4, end - p - 4, "-->");
            p = close != NULL ? close + 3 : end;
        } else if (at(p, end, "<?xml") && p == data + (at(data, end, "\xef\xbb\xbf") ? 3 : 0)) {
            MetaScan m = { 0 };
            p = scan_attributes(p + 5, end, meta_attr, &m);
            xml = m.charset;
            g_free(m.content);
        } else if (at(p, end, "<meta") && p + 5 < end &&
                   (is_html_space((guchar)p[5]) || p[5] == '/')) {
            MetaScan m = { 0 };
            p = scan_attributes(p + 5, end, meta_attr, &m);
            if (m.charset != NULL)
                found = g_strdup(m.charset);
            else if (m.is_ctype && m.content != NULL)
                found = charset_of_content(m.content);
            g_free(m.charset);
            g_free(m.content);
        } else {
            const char *gt = memchr(p, '>', (gsize)(end - p));
            p = gt != NULL ? gt + 1 : end;
        }
    }
    if (found != NULL && !is_label(found))
        g_clear_pointer(&found, g_free);
    if (found == NULL) {
        found = xml;
        xml = NULL;
    }
    g_free(xml);
    if (found != NULL && (g_ascii_strncasecmp(found, "utf-16", 6) == 0 ||
                          g_ascii_strncasecmp(found, "utf-32", 6) == 0)) {
        /* a page in an ASCII-compatible encoding cannot be UTF-16; browsers read UTF-8 */
        g_free(found);
        found = g_strdup("UTF-8");
    }
    return found;
}

/* Whether valid UTF-8 holds multi-byte characters (a page declared Latin-1 that is in
 * fact UTF-8: its author's editor saved UTF-8 under an old declaration). */
static gboolean utf8_with_multibyte(const char *data, gsize len)
{
    gboolean multi = FALSE;
    for (gsize i = 0; i < len && !multi; i++)
        multi = (guchar)data[i] >= 0xC0;
    return multi && g_utf8_validate_len(data, len, NULL);
}

/* Decodes the page (see the file comment). */
static const char *decode_page(Reader *r, const char *data, gsize len, const char *given,
                               gsize *out_len, char **owned, GError **error)
{
    gboolean bom = (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) ||
                   (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 ||
                                 memcmp(data, "\xfe\xff", 2) == 0)) ||
                   (len >= 4 && memcmp(data, "\0\0\xfe\xff", 4) == 0);
    if (bom || given != NULL)
        return imp__decode_input(data, len, r->name, given, IMP_ENCODING_GIVEN, r->diag,
                                 out_len, owned, error);
    char *declared = declared_charset(data, len);
    if (declared != NULL &&
        strcmp(imp__encoding_decoder(declared), "WINDOWS-1252") == 0 &&
        utf8_with_multibyte(data, len)) {
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, 0,
                        "the page declares %s but is UTF-8; read as UTF-8", declared);
        g_clear_pointer(&declared, g_free);
    }
    const char *t = imp__decode_input(data, len, r->name, declared, IMP_ENCODING_DECLARED,
                                      r->diag, out_len, owned, error);
    g_free(declared);
    return t;
}

/* The length of the character at t[i] when clean_input must act on it (a control
 * character other than tab and LF, a CR, a C1 control, a noncharacter), else 0. The text
 * is valid UTF-8 but for NUL bytes. */
static gsize special_at(const char *t, gsize i, gsize n)
{
    guchar c = (guchar)t[i];
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || (c >= 0x80 && c < 0xC2) ||
        (c > 0xC2 && c < 0xEF))
        return 0;
    if (c < 0x80)
        return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ? 1 : 0;
    if (c == 0xC2)
        return i + 1 < n && (guchar)t[i + 1] <= 0x9F ? 2 : 0;
    if (c == 0xEF && i + 2 < n) {
        guchar c1 = (guchar)t[i + 1], c2 = (guchar)t[i + 2];
        return (c1 == 0xB7 && c2 >= 0x90 && c2 <= 0xAF) || (c1 == 0xBF && c2 >= 0xBE) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4 && i + 3 < n)
        return ((guchar)t[i + 1] & 0x0F) == 0x0F && (guchar)t[i + 2] == 0xBF &&
               (guchar)t[i + 3] >= 0xBE ? 4 : 0;
    return 0;
}

/* Removes what libxml2 would drop without a word or stop at — NUL bytes, other control
 * characters, noncharacters — reporting each (design note 3); turns form feeds into
 * spaces (HTML white space that libxml2 does not accept) and CRs into LFs (so that its
 * line count agrees with the file's). Returns t itself when there is nothing to do, else
 * a new buffer in *owned. */
static const char *clean_input(Reader *r, const char *t, gsize n, gsize *out_len, char **owned)
{
    *owned = NULL;
    *out_len = n;
    gsize i = 0;
    while (i < n && special_at(t, i, n) == 0)
        i++;
    if (i == n)
        return t;
    GString *out = g_string_sized_new(n);
    g_string_append_len(out, t, (gssize)i);
    guint line = 1;
    for (gsize k = 0; k < i; k++)
        line += t[k] == '\n';
    while (i < n) {
        gsize k = special_at(t, i, n);
        if (k == 0) {
            if (t[i] == '\n')
                line++;
            g_string_append_c(out, t[i]);
            i++;
            continue;
        }
        guchar c = (guchar)t[i];
        if (c == '\r') {
            g_string_append_c(out, '\n');
            i += (i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
            line++;
            continue;
        }
        if (c == '\f')
            g_string_append_c(out, ' ');
        else
            report_dropped_char(r, line, c < 0x80 ? c : g_utf8_get_char(t + i));
        i += k;
    }
    *out_len = out->len;
    *owned = g_string_free(out, FALSE);
    return *owned;
}

/* ------------------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------------------ */

typedef struct {
    startElementSAXFunc start;
    charactersSAXFunc characters;
    ignorableWhitespaceSAXFunc whitespace;
} SaxChain;

/* The parser's element callback, then the element's line in psvi (design note 2). */
static void sax_start(void *data, const xmlChar *name, const xmlChar **atts)
{
    xmlParserCtxtPtr ctxt = data;
    SaxChain *chain = ctxt->_private;
    xmlNodePtr before = ctxt->node;
    chain->start(data, name, atts);
    if (ctxt->node != NULL && ctxt->node != before && ctxt->input != NULL)
        ctxt->node->psvi = GUINT_TO_POINTER((guint)MAX(ctxt->input->line, 1));
}

/* Text: a new text node gets the line its first chunk starts on. */
static void text_chunk(xmlParserCtxtPtr ctxt, charactersSAXFunc f, const xmlChar *ch, int len)
{
    xmlNodePtr parent = ctxt->node;
    xmlNodePtr last = parent != NULL ? parent->last : NULL;
    f(ctxt, ch, len);
    if (parent == NULL || parent->last == NULL || parent->last == last ||
        parent->last->type != XML_TEXT_NODE || ctxt->input == NULL)
        return;
    int line = ctxt->input->line;
    for (int i = 0; i < len; i++)
        line -= ch[i] == '\n';
    parent->last->psvi = GUINT_TO_POINTER((guint)MAX(line, 1));
}

/* The parser's character callbacks, wrapped by text_chunk(). */
static void sax_characters(void *data, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = data;
    text_chunk(ctxt, ((SaxChain *)ctxt->_private)->characters, ch, len);
}

static void sax_whitespace(void *data, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = data;
    text_chunk(ctxt, ((SaxChain *)ctxt->_private)->whitespace, ch, len);
}

/* Parses the cleaned UTF-8 page. Fails when the parser stops before the end (design
 * note 1). */
static htmlDocPtr parse(Reader *r, const char *t, gsize n, GError **error)
{
    if (n > G_MAXINT) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: too large for the HTML parser",
                    r->name);
        return NULL;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: out of memory", r->name);
        return NULL;
    }
    SaxChain chain = { ctxt->sax->startElement, ctxt->sax->characters,
                       ctxt->sax->ignorableWhitespace };
    ctxt->_private = &chain;
    ctxt->sax->startElement = sax_start;
    ctxt->sax->characters = sax_characters;
    if (chain.whitespace != NULL)
        ctxt->sax->ignorableWhitespace = sax_whitespace;
    int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_RECOVER | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
                  HTML_PARSE_NODEFDTD;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, t, (int)n, r->name, "UTF-8", options);
    if (doc == NULL || ctxt->disableSAX != 0 || ctxt->instate == XML_PARSER_EOF) {
        const xmlError *e = &ctxt->lastError;
        int line = e->line > 0 ? e->line : ctxt->input != NULL ? ctxt->input->line : 0;
        const char *msg = e->message != NULL ? e->message : "";
        if (strstr(msg, "Excessive depth") != NULL)
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%d: elements nested more than 256 deep (unclosed tags?); "
                        "imprint reads HTML nested up to 256 levels", r->name, line);
        else if (strstr(msg, "huge text") != NULL)
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%d: a text of more than 10 MB without a tag; the HTML parser "
                        "stops there", r->name, line);
        else if (doc != NULL && ctxt->disableSAX == 0 && e->code == 0) {
            /* the parser reached the end of the input: nothing was lost */
            htmlFreeParserCtxt(ctxt);
            return doc;
        } else {
            char *m = g_strstrip(g_strdup(msg));
            g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                        "%s:%d: the HTML parser stopped here: %s", r->name, line,
                        *m != '\0' && g_utf8_validate(m, -1, NULL) ? m : "unknown error");
            g_free(m);
        }
        xmlFreeDoc(doc);
        htmlFreeParserCtxt(ctxt);
        return NULL;
    }
    htmlFreeParserCtxt(ctxt);
    return doc;
}

/* ------------------------------------------------------------------------------------
 * Text of an element (metadata, captions)
 * ------------------------------------------------------------------------------------ */

/* Appends s[0..len) to `out`, collapsing white space as HTML does (design note 3). */
static void collapse_append(GString *out, gboolean *space, gboolean *nl, const char *s,
                            gsize len)
{
    for (const char *p = s, *end = s + len; p < end;) {
        guchar b = (guchar)*p;
        if (is_html_space(b)) {
            *space = TRUE;
            *nl |= b == '\n';
            p++;
            continue;
        }
        gunichar c = b < 0x80 ? b : g_utf8_get_char(p);
        const char *next = b < 0x80 ? p + 1 : g_utf8_next_char(p);
        if (is_dropped_char(c) || (out->len == 0 && is_space(c))) {
            p = next;
            continue;
        }
        if (*space && out->len > 0) {
            gunichar prev = g_utf8_get_char(g_utf8_find_prev_char(out->str, out->str + out->len));
            if (!(*nl && is_cjk(prev) && is_cjk(c)))
                g_string_append_c(out, ' ');
        }
        *space = *nl = FALSE;
        g_string_append_len(out, p, next - p);
        p = next;
    }
}

/* The text of `root` as a reader sees it: text nodes and image alt texts, scripts and
 * styles left out, white space collapsed, ends trimmed (transfer full). */
static char *text_of(const xmlNode *root)
{
    GString *s = g_string_new(NULL);
    gboolean space = FALSE, nl = FALSE;
    for (xmlNode *n = (xmlNode *)root; n != NULL;) {
        if (n->type == XML_ELEMENT_NODE) {
            const Element *e = element_of(n);
            if (n != root && (e->role == R_STYLE || e->role == R_SKIP)) {
                n = next_after(n, root);
                continue;
            }
            if (e->role == R_IMG) {
                const char *alt = attr(n, "alt");
                if (alt != NULL)
                    collapse_append(s, &space, &nl, alt, strlen(alt));
            } else if (e->role != R_INLINE && e->role != R_Q) {
                space = TRUE; /* a block boundary */
            }
        } else if (n->type == XML_TEXT_NODE && n->content != NULL) {
            collapse_append(s, &space, &nl, (const char *)n->content,
                            strlen((const char *)n->content));
        }
        n = next_node(n, root);
    }
    /* trailing padding (no-break and ideographic spaces) */
    while (s->len > 0) {
        const char *prev = g_utf8_find_prev_char(s->str, s->str + s->len);
        if (!is_space(g_utf8_get_char(prev)))
            break;
        g_string_truncate(s, (gsize)(prev - s->str));
    }
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------------------ */

/* Metadata priorities: a value is replaced only by one of higher priority. */
enum { P_TITLE_TAG = 1, P_DC = 2, P_META = 3, P_OG = 2, P_LINK = 4, P_LANG = 5, P_RULE = 9 };

typedef struct {
    int prio[IMP_N_META];
} MetaPrio;

/* Sets a metadata value (white space collapsed) unless one of higher priority is set. */
static void set_meta(Reader *r, MetaPrio *mp, ImpMetaKey key, const char *value, int prio)
{
    if (value == NULL || prio <= mp->prio[key])
        return;
    GString *s = g_string_new(NULL);
    gboolean space = FALSE, nl = FALSE;
    collapse_append(s, &space, &nl, value, strlen(value));
    if (s->len > 0 && g_utf8_validate(s->str, (gssize)s->len, NULL)) {
        imp_document_set_meta(r->doc, key, s->str);
        mp->prio[key] = prio;
    }
    g_string_free(s, TRUE);
}

/* A language tag as BCP 47 spells it ("zh_CN" → "zh-CN"), interned, or NULL when it is
 * empty or not a tag. At most 256 distinct tags are taken from one page. */
static const char *lang_tag(Reader *r, const char *v)
{
    if (v == NULL)
        return NULL;
    gsize n = strlen(v);
    while (n > 0 && is_html_space((guchar)v[n - 1]))
        n--;
    while (n > 0 && is_html_space((guchar)*v)) {
        v++;
        n--;
    }
    if (n == 0 || n > 35)
        return NULL;
    char tag[36];
    gsize sub = 0;  /* length of the current subtag */
    for (gsize i = 0; i < n; i++) {
        char c = v[i] == '_' ? '-' : v[i];
        if (c == '-') {
            if (sub == 0)
                return NULL;
            sub = 0;
        } else if (!g_ascii_isalnum(c) || ++sub > 8 || (i == sub - 1 && !g_ascii_isalpha(c))) {
            return NULL;
        }
        tag[i] = c;
    }
    if (sub == 0)
        return NULL;
    tag[n] = '\0';
    GQuark known = g_quark_try_string(tag);
    if (known != 0)
        return g_quark_to_string(known);
    if (r->n_langs >= 256)
        return NULL;
    r->n_langs++;
    return g_intern_string(tag);
}

/* An absolute form of `url` against the page's base address, when the page has one and
 * `url` is relative; else `url` (transfer full). */
static char *resolve_url(Reader *r, const char *url)
{
    if (r->base_url == NULL || g_uri_peek_scheme(url) != NULL)
        return g_strdup(url);
    char *abs = g_uri_resolve_relative(r->base_url, url, G_URI_FLAGS_NONE, NULL);
    return abs != NULL ? abs : g_strdup(url);
}

/* The metadata of <head> (and <html lang>): see the file comment for the keys. */
static void read_head(Reader *r, MetaPrio *mp, const xmlNode *html)
{
    const char *lang = attr(html, "lang");
    if (lang == NULL)
        lang = attr(html, "xml:lang");
    r->doc_lang = lang_tag(r, lang);
    if (r->doc_lang != NULL)
        set_meta(r, mp, IMP_META_LANGUAGE, r->doc_lang, P_LANG);
    const xmlNode *head = NULL;
    for (const xmlNode *c = html->children; c != NULL && head == NULL; c = c->next)
        if (is_element(c, "head"))
            head = c;
    if (head == NULL)
        return;
    char *canonical = NULL, *og_url = NULL;
    for (xmlNode *n = head->children; n != NULL; n = next_node(n, head)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_element(n, "title")) {
            char *t = text_of(n);
            set_meta(r, mp, IMP_META_TITLE, t, P_TITLE_TAG);
            g_free(t);
        } else if (is_element(n, "base")) {
            const char *href = attr(n, "href");
            if (href != NULL && r->base_url == NULL && g_uri_is_valid(href, G_URI_FLAGS_NONE, NULL))
                r->base_url = g_strdup(href);
        } else if (is_element(n, "link")) {
            const char *rel = attr(n, "rel"), *href = attr(n, "href");
            if (rel != NULL && href != NULL && g_ascii_strcasecmp(rel, "canonical") == 0 &&
                canonical == NULL)
                canonical = g_strdup(href);
        } else if (is_element(n, "meta")) {
            const char *name = attr(n, "name"), *prop = attr(n, "property");
            const char *equiv = attr(n, "http-equiv"), *content = attr(n, "content");
            if (content == NULL)
                continue;
            const char *key = name != NULL ? name : prop;
            if (equiv != NULL && g_ascii_strcasecmp(equiv, "content-language") == 0) {
                const char *l = lang_tag(r, content);
                if (l != NULL && r->doc_lang == NULL)
                    r->doc_lang = l;
                set_meta(r, mp, IMP_META_LANGUAGE, l, P_META);
                continue;
            }
            if (key == NULL)
                continue;
            static const struct { const char *name; ImpMetaKey key; int prio; } keys[] = {
                { "author", IMP_META_AUTHOR, P_META },
                { "description", IMP_META_DESCRIPTION, P_META },
                { "keywords", IMP_META_KEYWORDS, P_META },
                { "date", IMP_META_DATE, P_META },
                { "dcterms.date", IMP_META_DATE, P_META },
                { "dcterms.issued", IMP_META_DATE, P_DC },
                { "dcterms.created", IMP_META_DATE, P_DC },
                { "dc.date", IMP_META_DATE, P_DC },
                { "article:published_time", IMP_META_DATE, P_OG },
                { "dcterms.title", IMP_META_TITLE, P_DC },
                { "dc.title", IMP_META_TITLE, P_DC },
                { "og:title", IMP_META_TITLE, P_OG + 1 },
                { "dcterms.creator", IMP_META_AUTHOR, P_DC },
                { "dc.creator", IMP_META_AUTHOR, P_DC },
                { "dcterms.description", IMP_META_DESCRIPTION, P_DC },
                { "dc.description", IMP_META_DESCRIPTION, P_DC },
                { "og:description", IMP_META_DESCRIPTION, P_OG },
                { "dcterms.subject", IMP_META_KEYWORDS, P_DC },
                { "dc.subject", IMP_META_KEYWORDS, P_DC },
                { "og:site_name", IMP_META_SITE, P_OG },
                { "dcterms.publisher", IMP_META_SITE, P_DC - 1 },
                { "article:section", IMP_META_SECTION, P_OG },
            };
            for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
                if (g_ascii_strcasecmp(key, keys[i].name) == 0)
                    set_meta(r, mp, keys[i].key, content, keys[i].prio);
            if (g_ascii_strcasecmp(key, "article:author") == 0 &&
                g_uri_peek_scheme(content) == NULL)
                set_meta(r, mp, IMP_META_AUTHOR, content, P_OG - 1);
            if (g_ascii_strcasecmp(key, "og:url") == 0 && og_url == NULL)
                og_url = g_strdup(content);
            if ((g_ascii_strcasecmp(key, "og:locale") == 0 ||
                 g_ascii_strcasecmp(key, "dcterms.language") == 0 ||
                 g_ascii_strcasecmp(key, "dc.language") == 0)) {
                const char *l = lang_tag(r, content);
                if (l != NULL && r->doc_lang == NULL)
                    r->doc_lang = l;
                set_meta(r, mp, IMP_META_LANGUAGE, l, P_DC);
            }
        }
    }
    const char *url = canonical != NULL ? canonical : og_url;
    if (url != NULL && g_uri_is_valid(url, G_URI_FLAGS_NONE, NULL)) {
        set_meta(r, mp, IMP_META_URL, url, P_LINK);
        if (r->base_url == NULL)
            r->base_url = g_strdup(url);
    }
    g_free(canonical);
    g_free(og_url);
}

/* ------------------------------------------------------------------------------------
 * What is dropped
 * ------------------------------------------------------------------------------------ */

/* Whether a word of a class or id names page chrome: navigation, menus, sharing, social
 * links, comments, breadcrumbs, advertising, cookie notices, footers. "nav", "menu",
 * "footer" and "breadcrumb" also in compounds ("navbar", "docnav", "submenu"). */
static gboolean chrome_word(const char *w, gsize n)
{
    static const char *const exact[] = {
        "nav", "navigation", "menu", "menus", "share", "shares", "sharing", "social",
        "comment", "comments", "breadcrumb", "breadcrumbs", "advert", "adverts",
        "advertisement", "advertisements", "advertising", "ad", "ads", "cookie", "cookies",
        "footer", "banner-ad", "sponsored",
    };
    static const char *const compound[] = { "nav", "menu", "footer", "breadcrumb" };
    static const char *const prefix[] = { "share", "social", "advert", "cookie", "comment" };
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        buf[i] = g_ascii_tolower(w[i]);
    buf[n] = '\0';
    for (guint i = 0; i < G_N_ELEMENTS(exact); i++)
        if (strcmp(buf, exact[i]) == 0)
            return TRUE;
    if (strcmp(buf, "navy") == 0 || strcmp(buf, "commentary") == 0)
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(compound); i++) {
        gsize k = strlen(compound[i]);
        if (n > k && n <= k + 8 &&
            (strncmp(buf, compound[i], k) == 0 || strcmp(buf + n - k, compound[i]) == 0))
            return TRUE;
    }
    for (guint i = 0; i < G_N_ELEMENTS(prefix); i++)
        if (g_str_has_prefix(buf, prefix[i]) && n <= strlen(prefix[i]) + 8)
            return TRUE;
    return FALSE;
}

/* Whether a class or id value holds a chrome word: tokens split at white space, words at
 * '-', '_', ':' and lower-to-upper case changes ("mainNav"). */
static gboolean chrome_name(const char *v)
{
    if (v == NULL)
        return FALSE;
    for (const char *p = v; *p != '\0';) {
        while (*p != '\0' && (is_html_space((guchar)*p) || *p == '-' || *p == '_' || *p == ':'))
            p++;
        const char *w = p;
        while (*p != '\0' && !is_html_space((guchar)*p) && *p != '-' && *p != '_' && *p != ':' &&
               !(p > w && g_ascii_isupper(*p) && g_ascii_islower(p[-1])))
            p++;
        if (p > w && chrome_word(w, (gsize)(p - w)))
            return TRUE;
    }
    return FALSE;
}

/* Whether an element is hidden: the hidden attribute, or display:none or
 * visibility:hidden in its style attribute. */
static gboolean is_hidden(const xmlNode *n)
{
    if (attr(n, "hidden") != NULL)
        return TRUE;
    const char *style = attr(n, "style");
    if (style == NULL)
        return FALSE;
    char *s = g_ascii_strdown(style, -1);
    char *w = s;
    for (char *p = s; *p != '\0'; p++)
        if (!is_html_space((guchar)*p))
            *w++ = *p;
    *w = '\0';
    gboolean hidden = strstr(s, "display:none") != NULL ||
                      strstr(s, "visibility:hidden") != NULL;
    g_free(s);
    return hidden;
}

/* Why an element of the article is dropped, or NULL when it is kept. Always: hidden
 * elements and [html] drop's; in the generic reading also nav, aside, form, menu, header
 * and footer (but a header holding a heading inside the article is its head), menus and
 * landmarks by role, and chrome by class or id. */
static const char *drop_reason(Reader *r, const xmlNode *n)
{
    if (r->drop != NULL && g_hash_table_contains(r->drop, n))
        return "[html] drop";
    if (is_hidden(n))
        return "hidden";
    if (r->site)
        return NULL;
    const char *name = node_name(n);
    static const char *const chrome_elements[] = { "nav", "aside", "form", "menu", "footer" };
    for (guint i = 0; i < G_N_ELEMENTS(chrome_elements); i++)
        if (strcmp(name, chrome_elements[i]) == 0)
            return "page chrome";
    if (strcmp(name, "header") == 0) {
        gboolean in_article = r->root != NULL && is_ancestor(r->root, n);
        for (xmlNode *c = n->children; in_article && c != NULL; c = next_node(c, n))
            if (c->type == XML_ELEMENT_NODE && element_of(c)->role == R_HEADING)
                return NULL;
        return "page chrome";
    }
    const char *role = attr(n, "role");
    if (role != NULL) {
        static const char *const roles[] = {
            "navigation", "menu", "menubar", "banner", "contentinfo", "search",
            "complementary",
        };
        for (guint i = 0; i < G_N_ELEMENTS(roles); i++)
            if (g_ascii_strcasecmp(role, roles[i]) == 0)
                return "page chrome";
    }
    if (chrome_name(attr(n, "class")) || chrome_name(attr(n, "id")))
        return "page chrome";
    return NULL;
}

/* ------------------------------------------------------------------------------------
 * Finding the article (generic reading)
 * ------------------------------------------------------------------------------------ */

/* What the analysis finds out about an element (node->_private holds its index + 1). */
typedef struct {
    gint64 text;   /* characters of text outside links in it (dropped elements' not counted) */
    gint64 para;   /* ... of them in paragraphs: blocks of at least PARA_MIN characters */
    guint flags;
    guint heading; /* the highest rank of a heading in it (1 for h1), 7 for none */
} NodeStats;

enum {
    A_HAS_TABLE = 1 << 0,  /* a table is inside it */
};

/* A block holding this many characters of its own (outside links and nested blocks) is a
 * paragraph of the article's kind, not a line of page chrome. */
#define PARA_MIN 60

/* The statistics of an element (all zero for one the analysis did not reach). */
static const NodeStats *stats_of(const Reader *r, const xmlNode *n)
{
    static const NodeStats none = { 0, 0, 0, 7 };
    guint i = GPOINTER_TO_UINT(n->_private);
    return i == 0 || r->stats == NULL ? &none : &g_array_index(r->stats, NodeStats, i - 1);
}

/* Whether an element's text is part of its block's (inline), rather than a block's own. */
static gboolean is_inline_role(Role role)
{
    return role == R_INLINE || role == R_Q || role == R_BR || role == R_WBR || role == R_IMG ||
           role == R_INPUT;
}

/* One pass over the page: for each element, its text outside links and the part of it in
 * paragraphs (dropped elements' text not counted), and whether a table is inside it (a
 * layout table holds one). */
static void analyse(Reader *r, xmlNode *top)
{
    typedef struct {
        xmlNode *node;
        gint64 text, link, own, para;
        guint flags, heading;
        guint block;      /* index of the nearest enclosing block's entry */
        gboolean link_el, dropped, is_block;
    } Acc;
    if (r->stats == NULL)
        r->stats = g_array_new(FALSE, FALSE, sizeof(NodeStats));
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(Acc));
    guint in_link = 0, in_dropped = 0, block = 0;
    xmlNode *n = top;
    for (;;) {
        gboolean descend = FALSE;
        if (n->type == XML_ELEMENT_NODE) {
            const Element *e = element_of(n);
            Acc a = { 0 };
            a.node = n;
            a.heading = e->role == R_HEADING ? e->span : 7;
            a.link_el = strcmp(node_name(n), "a") == 0 && attr(n, "href") != NULL;
            a.dropped = drop_reason(r, n) != NULL;
            a.is_block = !is_inline_role((Role)e->role);
            a.block = block;
            in_link += a.link_el;
            in_dropped += a.dropped;
            g_array_append_val(stack, a);
            if (a.is_block)
                block = stack->len - 1;
            n->_private = NULL;
            descend = e->role != R_SKIP && e->role != R_STYLE && n->children != NULL;
        } else if (n->type == XML_TEXT_NODE && n->content != NULL && stack->len > 0 &&
                   in_dropped == 0) {
            gint64 ink = (gint64)count_ink((const char *)n->content,
                                           strlen((const char *)n->content));
            Acc *a = &g_array_index(stack, Acc, stack->len - 1);
            if (in_link > 0) {
                a->link += ink;
            } else {
                a->text += ink;
                g_array_index(stack, Acc, block).own += ink;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* leave n and every ancestor whose last child it is */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE) {
                Acc a = g_array_index(stack, Acc, stack->len - 1);
                g_array_set_size(stack, stack->len - 1);
                in_link -= a.link_el;
                in_dropped -= a.dropped;
                block = a.block;
                Role role = (Role)element_of(n)->role;
                if (a.is_block && role != R_HEADING && a.own >= PARA_MIN)
                    a.para += a.own;
                NodeStats st = { a.text, a.para, a.flags, a.heading };
                g_array_append_val(r->stats, st);
                n->_private = GUINT_TO_POINTER(r->stats->len);
                if (stack->len > 0) {
                    Acc *up = &g_array_index(stack, Acc, stack->len - 1);
                    if (!a.dropped && role != R_SKIP) {
                        up->text += a.text;
                        up->link += a.link;
                        up->para += a.para;
                        up->heading = MIN(up->heading, a.heading);
                    }
                    up->flags |= a.flags | (role == R_TABLE ? A_HAS_TABLE : 0);
                }
            }
            if (n == top || n->next != NULL)
                break;
            n = n->parent;
        }
        if (n == top)
            break;
        n = n->next;
    }
    g_array_free(stack, TRUE);
}

/* Whether n or an ancestor of it below `top` is dropped. */
static gboolean in_dropped(Reader *r, const xmlNode *n, const xmlNode *top)
{
    for (; n != NULL && n != top; n = n->parent)
        if (n->type == XML_ELEMENT_NODE &&
            (element_of(n)->role == R_SKIP || drop_reason(r, n) != NULL))
            return TRUE;
    return FALSE;
}

/* The article of a page read without site rules: the first <main> or [role=main], else
 * the <article> with the most text, else, from <body> down, the child container (a div,
 * section, table cell...: never a paragraph or inline element) holding at least two
 * thirds of its parent's text, for as long as there is one and the paragraphs (blocks of
 * 60 characters) it leaves behind hold less than a tenth of its text and stand under no
 * heading that outranks its own. Only text outside links counts, so a list of links (a
 * menu, a list of related pages) never holds it. */
static xmlNode *find_article(Reader *r, xmlNode *body, const char **how)
{
    xmlNode *best = NULL;
    for (xmlNode *n = body; n != NULL; n = next_node(n, body)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *role = attr(n, "role");
        if ((is_element(n, "main") || (role != NULL && g_ascii_strcasecmp(role, "main") == 0)) &&
            !in_dropped(r, n, body)) {
            *how = "its main element";
            return n;
        }
    }
    for (xmlNode *n = body; n != NULL; n = next_node(n, body))
        if (is_element(n, "article") && !in_dropped(r, n, body) &&
            (best == NULL || stats_of(r, n)->text > stats_of(r, best)->text))
            best = n;
    if (best != NULL) {
        *how = "its article element";
        return best;
    }
    xmlNode *cur = body;
    for (;;) {
        const NodeStats *here = stats_of(r, cur);
        xmlNode *top = NULL;
        for (xmlNode *c = cur->children; c != NULL; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            Role role = (Role)element_of(c)->role;
            gboolean container = role == R_CONTAINER || role == R_TABLE || role == R_TSECTION ||
                                 role == R_ROW || role == R_CELL;
            if (container && drop_reason(r, c) == NULL &&
                (top == NULL || stats_of(r, c)->text > stats_of(r, top)->text))
                top = c;
        }
        if (top == NULL || here->text <= 0)
            break;
        /* it must hold two thirds of the text, and leave behind paragraphs of less than a
           tenth of its text, and none under a heading that outranks its own (a chapter's
           introduction stays with its first section) */
        const NodeStats *there = stats_of(r, top);
        gint64 left = here->para - there->para;
        guint left_heading = 7;
        for (xmlNode *c = cur->children; c != NULL; c = c->next)
            if (c != top && c->type == XML_ELEMENT_NODE)
                left_heading = MIN(left_heading, stats_of(r, c)->heading);
        if (there->text * 3 < here->text * 2 || left * 10 > there->text ||
            (left > 0 && left_heading < there->heading))
            break;
        cur = top;
    }
    *how = "the densest text";
    return cur;
}

/* Reports what lies outside the article: each element beside the path from <body> down
 * to it that holds text. */
static void report_outside(Reader *r, const xmlNode *article, const xmlNode *body)
{
    for (const xmlNode *a = article; a != NULL && a != body; a = a->parent)
        for (const xmlNode *s = a->parent != NULL ? a->parent->children : NULL; s != NULL;
             s = s->next)
            if (s != a && s->type == XML_ELEMENT_NODE && element_of(s)->role != R_STYLE)
                report_drop(r, s, "outside the article");
}

/* ------------------------------------------------------------------------------------
 * Site rules
 * ------------------------------------------------------------------------------------ */

/* Keeps the first message of an XPath error, for the warning (libxml2 would print it). */
static void xpath_error(void *data, xmlErrorPtr e)
{
    char **msg = data;
    if (*msg == NULL && e != NULL && e->message != NULL)
        *msg = g_strstrip(g_strdup(e->message));
}

/* Evaluates the rule [html] `key` = `expr`: its nodes in document order (transfer full;
 * NULL when it selects none) and, when it gives a string, that string in *text. A rule
 * that does not evaluate is reported (a warning) and selects nothing. */
static GPtrArray *eval_rule(Reader *r, xmlXPathContextPtr xp, const char *key,
                            const char *expr, char **text)
{
    if (text != NULL)
        *text = NULL;
    if (expr == NULL || *expr == '\0')
        return NULL;
    char *msg = NULL;
    xp->userData = &msg;
    xp->error = xpath_error;
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
    GPtrArray *nodes = NULL;
    if (o == NULL) {
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, 0,
                        "reading rule [html] %s %s does not evaluate (%s); it is not applied",
                        key, expr, msg != NULL && g_utf8_validate(msg, -1, NULL) ? msg : "error");
    } else if (o->type == XPATH_NODESET) {
        if (o->nodesetval != NULL && o->nodesetval->nodeNr > 0) {
            xmlXPathNodeSetSort(o->nodesetval);
            nodes = g_ptr_array_new();
            for (int i = 0; i < o->nodesetval->nodeNr; i++) {
                xmlNodePtr n = o->nodesetval->nodeTab[i];
                if (n->type == XML_ATTRIBUTE_NODE && n->parent != NULL && text != NULL &&
                    *text == NULL)
                    *text = (char *)xmlNodeGetContent(n);
                else if (n->type == XML_ELEMENT_NODE || n->type == XML_TEXT_NODE)
                    g_ptr_array_add(nodes, n);
            }
            if (nodes->len == 0)
                g_clear_pointer(&nodes, g_ptr_array_unref);
        }
    } else if (text != NULL) {
        xmlChar *s = xmlXPathCastToString(o);
        if (s != NULL && *s != '\0' && g_utf8_validate((const char *)s, -1, NULL))
            *text = g_strdup((const char *)s);
        xmlFree(s);
    }
    if (text != NULL && *text != NULL && !g_utf8_validate(*text, -1, NULL))
        g_clear_pointer(text, g_free);
    xmlXPathFreeObject(o);
    g_free(msg);
    xp->error = NULL;
    xp->userData = NULL;
    return nodes;
}

/* The text a metadata rule gives: its string, or the text of its nodes joined by spaces
 * (transfer full; NULL when empty). The nodes are not walked as part of the article. */
static char *rule_text(Reader *r, xmlXPathContextPtr xp, const char *key, const char *expr,
                       guint *line)
{
    char *text = NULL;
    GPtrArray *nodes = eval_rule(r, xp, key, expr, &text);
    *line = 0;
    if (nodes != NULL) {
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < nodes->len; i++) {
            const xmlNode *n = nodes->pdata[i];
            if (r->skip != NULL)
                g_hash_table_add(r->skip, (gpointer)n);
            if (*line == 0)
                *line = node_line(n);
            char *t = n->type == XML_TEXT_NODE ? g_strdup((const char *)n->content) : text_of(n);
            if (*t != '\0') {
                if (s->len > 0)
                    g_string_append_c(s, ' ');
                g_string_append(s, t);
            }
            g_free(t);
        }
        g_ptr_array_unref(nodes);
        g_free(text);
        text = g_string_free(s, FALSE);
    }
    if (text != NULL) {
        GString *s = g_string_new(NULL);
        gboolean space = FALSE, nl = FALSE;
        collapse_append(s, &space, &nl, text, strlen(text));
        g_free(text);
        text = g_string_free(s, s->len == 0);
    }
    return text;
}

/* ------------------------------------------------------------------------------------
 * The text-line rules on blocks (as text.c applies them to lines)
 * ------------------------------------------------------------------------------------ */

/* Whether rule `re` ([reading] `key`) matches s[0..len). A rule that stops at one of
 * PCRE's limits is reported once and not run again (text.c, design note 6). */
static gboolean rule_matches(Reader *r, const GRegex *re, const char *key, const char *s,
                             gsize len, guint line, GMatchInfo **info)
{
    if (re == NULL)
        return FALSE;
    for (guint i = 0; i < r->given_up->len; i++)
        if (r->given_up->pdata[i] == re)
            return FALSE;
    GError *err = NULL;
    gboolean ok = g_regex_match_full(re, s, (gssize)len, 0, 0, info, &err);
    if (err != NULL) {
        g_ptr_array_add(r->given_up, (gpointer)re);
        const char *pattern = g_regex_get_pattern(re);
        gsize plen = strlen(pattern);
        if (g_str_has_prefix(pattern, "\\A(?:") && g_str_has_suffix(pattern, ")\\z")) {
            pattern += 5;
            plen -= 8;
        }
        const char *why = g_strrstr(err->message, ": ");
        imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                        "reading rule [reading] %s %.*s gave up (%s); it is not applied to "
                        "the rest of the input", key, (int)plen, pattern,
                        why != NULL ? why + 2 : err->message);
        g_error_free(err);
        ok = FALSE;
    }
    if (!ok && info != NULL) {
        g_match_info_free(*info);
        *info = NULL;
    }
    return ok;
}

/* The trimmed value of a named group, or NULL when absent or empty (transfer full). */
static char *fetch_named(GMatchInfo *info, const char *group)
{
    char *v = g_match_info_fetch_named(info, group);
    if (v == NULL)
        return NULL;
    char *t = g_strstrip(v);
    char *out = *t != '\0' ? g_strdup(t) : NULL;
    g_free(v);
    return out;
}

/* Sets the site, extra and section from a masthead line's match. */
static void take_masthead(Reader *r, GMatchInfo *info)
{
    char *site = fetch_named(info, "site");
    char *extra = fetch_named(info, "extra");
    char *section = fetch_named(info, "section");
    if (!r->have_masthead) {
        r->have_masthead = TRUE;
        imp_document_set_meta(r->doc, IMP_META_SITE, site != NULL ? site : r->rules->site);
        if (extra != NULL)
            imp_document_set_meta(r->doc, IMP_META_SITE_EXTRA, extra);
    }
    if (section != NULL && !r->have_section) {
        r->have_section = TRUE;
        imp_document_set_meta(r->doc, IMP_META_SECTION, section);
    }
    g_free(site);
    g_free(extra);
    g_free(section);
}

typedef enum { JUDGE_KEEP, JUDGE_DROP, JUDGE_NOTICE_HEAD } Judgement;

/* Judges one block's trimmed text by the site's text-line rules: dropped (masthead,
 * breadcrumb, chrome; reported), the heading of the notice, or kept. */
static Judgement judge_block(Reader *r, const char *s, gsize len, guint line)
{
    const ImpReadRules *rules = r->rules;
    GMatchInfo *info = NULL;
    gboolean header_zone = ++r->seen <= HEADER_BLOCKS && !r->in_notice;
    if (len > RULE_LINE_MAX)
        return JUDGE_KEEP;

    if (header_zone && r->n_text_blocks == 0 &&
        rule_matches(r, rules->masthead, "masthead", s, len, line, &info)) {
        take_masthead(r, info);
        g_match_info_free(info);
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "dropped masthead: %.*s",
                        (int)len, s);
        return JUDGE_DROP;
    }
    gboolean before_body = r->n_text_blocks == 0 || (r->n_text_blocks == 1 && r->have_title);
    if (header_zone && before_body &&
        rule_matches(r, rules->breadcrumb, "breadcrumb", s, len, line, &info)) {
        char *section = fetch_named(info, "section");
        if (section != NULL && !r->have_section) {
            r->have_section = TRUE;
            imp_document_set_meta(r->doc, IMP_META_SECTION, section);
        }
        g_free(section);
        g_match_info_free(info);
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "dropped breadcrumb: %.*s",
                        (int)len, s);
        return JUDGE_DROP;
    }
    if (r->in_notice && !r->notice_closing &&
        rule_matches(r, rules->notice_end, "notice-end", s, len, line, NULL))
        r->notice_closing = TRUE;
    if (!r->in_notice &&
        rule_matches(r, rules->notice_start, "notice-start", s, len, line, NULL)) {
        r->in_notice = TRUE;
        return JUDGE_NOTICE_HEAD;
    }
    for (GRegex **c = rules->chrome; c != NULL && *c != NULL; c++) {
        if (rule_matches(r, *c, "chrome", s, len, line, NULL)) {
            imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line,
                            "dropped web chrome: %.*s", (int)len, s);
            return JUDGE_DROP;
        }
    }
    return JUDGE_KEEP;
}

/* ------------------------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------------------------ */

/* Appends a block (or a table cell) against the document's limit; past it the walk stops
 * and the read fails (read.h). */
static gboolean count_block(Reader *r, guint line)
{
    if (++r->n_blocks > IMP_READ_MAX_PARAGRAPHS && !r->over) {
        r->over = TRUE;
        r->over_line = line;
    }
    return !r->over;
}

/* Appends a block to the document, counted, with the id waiting for one. */
static ImpBlock *new_block(Reader *r, ImpBlockKind kind, guint line)
{
    count_block(r, line);
    ImpBlock *b = imp_document_append_block(r->doc, kind, line);
    if (r->pending_id != NULL) {
        imp_block_set_id(b, r->pending_id);
        r->pending_id = NULL;
    }
    return b;
}

/* Sets the depths and language of a block from the context it began in. */
static void place_block(Reader *r, ImpBlock *b, const Ctx *c)
{
    imp_block_set_list_depth(b, c->list_depth);
    imp_block_set_quote_depth(b, c->quote_depth);
    if (c->lang != NULL && c->lang != r->doc_lang)
        imp_block_set_language(b, c->lang);
}

/* Emits the list item an <li> still owes before a block that cannot be its text (a code
 * block, a table, an image, a nested list's first item): an item with no text. */
static void flush_item(Reader *r)
{
    if (!r->item_pending)
        return;
    r->item_pending = FALSE;
    ImpBlock *b = new_block(r, IMP_BLOCK_LIST_ITEM, r->item_line);
    place_block(r, b, &r->item_ctx);
    imp_block_set_marker(b, r->item_marker);
    imp_block_set_flags(b, r->item_flags);
    r->n_text_blocks++;
}

/* Whether a heading's text starts with its own number: "1.2. Scope", "2 Results",
 * "Chapter 3", "第 1 章". */
static gboolean starts_numbered(const char *s)
{
    const char *p = s;
    if (g_ascii_isdigit(*p)) {
        while (g_ascii_isdigit(*p) || (*p == '.' && g_ascii_isdigit(p[1])))
            p++;
        if (*p == '.')
            p++;
        return *p == ' ' || *p == '\0' || (guchar)*p >= 0x80;
    }
    static const char *const words[] = { "Chapter ", "Section ", "Appendix ", "Part " };
    for (guint i = 0; i < G_N_ELEMENTS(words); i++)
        if (g_str_has_prefix(s, words[i]) && g_ascii_isalnum(s[strlen(words[i])]))
            return TRUE;
    if (g_str_has_prefix(s, "第")) {
        const char *q = s + strlen("第");
        while (*q == ' ' || g_ascii_isdigit(*q) || g_str_has_prefix(q, "一") ||
               g_str_has_prefix(q, "二") || g_str_has_prefix(q, "三") ||
               g_str_has_prefix(q, "四") || g_str_has_prefix(q, "五") ||
               g_str_has_prefix(q, "六") || g_str_has_prefix(q, "七") ||
               g_str_has_prefix(q, "八") || g_str_has_prefix(q, "九") ||
               g_str_has_prefix(q, "十"))
            q = *q == ' ' || g_ascii_isdigit(*q) ? q + 1 : q + strlen("一");
        return q > s + strlen("第") &&
               (g_str_has_prefix(q, "章") || g_str_has_prefix(q, "节") ||
                g_str_has_prefix(q, "節") || g_str_has_prefix(q, "部"));
    }
    return FALSE;
}

/* Whether a text holds only directional isolates and overrides and white space (an empty
 * element with a dir attribute). */
static gboolean only_isolates(const char *s, gsize len)
{
    for (const char *p = s, *end = s + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!(c >= 0x2066 && c <= 0x2069) && !(c >= 0x202A && c <= 0x202E) && !is_space(c))
            return FALSE;
    }
    return TRUE;
}

/* Clears the pending block. */
static void reset_pending(Reader *r)
{
    g_string_truncate(r->text, 0);
    g_array_set_size(r->runs, 0);
    g_array_set_size(r->marks, 0);
    r->started = FALSE;
    r->space = r->space_nl = FALSE;
    r->line_pending = FALSE;
    r->pre_start = FALSE;
    r->serial++;
}

/* Copies the pending text, its line marks and spans into block b. */
static void fill_block(Reader *r, ImpBlock *b, const char *lang)
{
    Mark *m = (Mark *)(void *)r->marks->data;
    gsize len = r->text->len;
    for (guint i = 0; i < r->marks->len; i++) {
        gsize end = i + 1 < r->marks->len ? MIN(m[i + 1].offset, len) : len;
        if (m[i].offset >= end && i + 1 < r->marks->len)
            continue;
        imp_block_begin_line(b, m[i].line);
        imp_block_append_text(b, r->text->str + m[i].offset, (gssize)(end - m[i].offset));
    }
    if (r->marks->len == 0)
        imp_block_append_text(b, r->text->str, (gssize)len);
    Run *runs = (Run *)(void *)r->runs->data;
    for (guint i = 0; i < r->runs->len; i++) {
        gsize start = runs[i].start, end = i + 1 < r->runs->len ? runs[i + 1].start : len;
        end = MIN(end, len);
        if (start >= end)
            continue;
        if (runs[i].flags != 0)
            imp_block_add_span(b, start, end, (ImpSpanFlags)runs[i].flags,
                               (runs[i].flags & IMP_SPAN_LINK) != 0 ? runs[i].href : NULL);
        if (runs[i].lang != NULL && runs[i].lang != lang)
            imp_block_add_lang_span(b, start, end, runs[i].lang);
    }
}

/* Trims the pending text's end: white space (or, in code, blank lines and spaces). */
static void trim_pending_end(Reader *r, gboolean code)
{
    GString *t = r->text;
    while (t->len > 0) {
        const char *prev = g_utf8_find_prev_char(t->str, t->str + t->len);
        gunichar c = g_utf8_get_char(prev);
        if (code ? !(c == '\n' || c == ' ' || c == '\t') && !(c == '\r') : !is_space(c))
            break;
        if (code && c != '\n') {
            /* keep spaces that end a line of code, unless the line is blank to the end */
            const char *q = prev;
            while (q > t->str && (q[-1] == ' ' || q[-1] == '\t'))
                q--;
            if (q > t->str && q[-1] != '\n')
                break;
            g_string_truncate(t, (gsize)(q - t->str));
            continue;
        }
        g_string_truncate(t, (gsize)(prev - t->str));
    }
    while (r->runs->len > 0 && g_array_index(r->runs, Run, r->runs->len - 1).start >= t->len)
        g_array_set_size(r->runs, r->runs->len - 1);
    while (r->marks->len > 1 && g_array_index(r->marks, Mark, r->marks->len - 1).offset >= t->len)
        g_array_set_size(r->marks, r->marks->len - 1);
}

/* Ends the pending block: a table cell's text, or a block of the document judged by the
 * site's text-line rules. */
static void end_block(Reader *r)
{
    Table *tb = r->tables->len > 0 ? &g_array_index(r->tables, Table, r->tables->len - 1) : NULL;
    if (r->ctx.in_cell && tb != NULL && tb->cell != NULL) {
        /* inside a cell a block boundary is a line break */
        if (r->text->len > 0)
            r->line_pending = TRUE;
        r->space = r->space_nl = FALSE;
        return;
    }
    if (!r->started) {
        reset_pending(r);
        return;
    }
    const Ctx *c = &r->start;
    ImpBlockKind kind = c->kind;
    trim_pending_end(r, kind == IMP_BLOCK_CODE);
    if (r->text->len == 0 || only_isolates(r->text->str, r->text->len)) {
        reset_pending(r);
        return;
    }
    guint level = kind == IMP_BLOCK_HEADING ? c->level : 0;
    if (c->notice) {
        /* a notice's heading: a heading element, or its first block when the notice-start
           rule matches it */
        level = kind == IMP_BLOCK_HEADING ||
                (!r->in_notice && r->rules != NULL && r->text->len <= RULE_LINE_MAX &&
                 rule_matches(r, r->rules->notice_start, "notice-start", r->text->str,
                              r->text->len, r->start_line, NULL)) ? 1 : 0;
        kind = IMP_BLOCK_NOTICE;
        r->in_notice = TRUE;
    } else if (kind == IMP_BLOCK_HEADING && r->title_node != NULL && c->heading == r->title_node &&
               !r->have_title && r->n_text_blocks == 0) {
        kind = IMP_BLOCK_TITLE;
    }

    /* the site's text-line rules */
    gboolean judged = kind != IMP_BLOCK_CODE && kind != IMP_BLOCK_NOTICE && r->rules != NULL;
    if (judged) {
        Judgement j = judge_block(r, r->text->str, r->text->len, r->start_line);
        if (j == JUDGE_DROP) {
            reset_pending(r);
            return;
        }
        if (j == JUDGE_NOTICE_HEAD) {
            kind = IMP_BLOCK_NOTICE;
            level = 1;
        } else if (r->in_notice) {
            kind = IMP_BLOCK_NOTICE;
            level = 0;
        }
    }
    if (kind == IMP_BLOCK_PARAGRAPH && r->item_pending) {
        kind = IMP_BLOCK_LIST_ITEM;
        r->item_pending = FALSE;
    } else if (kind != IMP_BLOCK_NOTICE) {
        flush_item(r);
    }
    ImpBlock *b = new_block(r, kind, r->start_line);
    place_block(r, b, c);
    if (kind == IMP_BLOCK_LIST_ITEM) {
        imp_block_set_marker(b, r->item_marker);
        imp_block_set_flags(b, r->item_flags);
    }
    if (level > 0)
        imp_block_set_level(b, level);
    if (kind == IMP_BLOCK_CODE && c->info != NULL)
        imp_block_set_info(b, c->info);
    if ((kind == IMP_BLOCK_HEADING || kind == IMP_BLOCK_TITLE) && starts_numbered(r->text->str))
        imp_block_set_flags(b, IMP_BLOCK_FLAG_NUMBERED);
    fill_block(r, b, c->lang);
    if (kind == IMP_BLOCK_TITLE) {
        r->have_title = TRUE;
        imp_document_set_meta(r->doc, IMP_META_TITLE, r->text->str);
    }
    if (r->notice_closing) {
        r->in_notice = FALSE;
        r->notice_closing = FALSE;
    }
    r->n_text_blocks++;
    reset_pending(r);
}

/* Begins the pending block's context at its first character. */
static void start_block(Reader *r, guint line)
{
    if (r->started)
        return;
    r->started = TRUE;
    r->start = r->ctx;
    r->start_line = line;
}

/* Opens a run of the given inline state at the text's end, merging with the last run
 * when the state is the same. */
static void set_run(Reader *r, guint flags, const char *href, const char *lang)
{
    if (r->runs->len > 0) {
        Run *last = &g_array_index(r->runs, Run, r->runs->len - 1);
        if (last->flags == flags && last->href == href && last->lang == lang)
            return;
        if (last->start == r->text->len) {
            last->flags = flags;
            last->href = href;
            last->lang = lang;
            if (r->runs->len > 1) {
                const Run *before = last - 1;
                if (before->flags == flags && before->href == href && before->lang == lang)
                    g_array_set_size(r->runs, r->runs->len - 1);
            }
            return;
        }
    }
    Run run = { r->text->len, flags, href, lang };
    g_array_append_val(r->runs, run);
}

/* Records that text appended from now on comes from source line `line`. */
static void mark_line(Reader *r, guint line)
{
    if (r->marks->len > 0) {
        Mark *last = &g_array_index(r->marks, Mark, r->marks->len - 1);
        if (last->line == line)
            return;
        if (last->offset == r->text->len) {
            last->line = line;
            return;
        }
    }
    Mark m = { r->text->len, line };
    g_array_append_val(r->marks, m);
}

/* Appends visible characters (UTF-8 bytes p[0..n), the first of them c) from source line
 * `line`, after the white space pending before them. */
static void put_char(Reader *r, const char *p, gsize n, gunichar c, guint line)
{
    start_block(r, line);
    const Ctx *x = &r->ctx;
    if (r->line_pending && r->text->len > 0) {
        set_run(r, 0, NULL, r->start.lang);
        g_string_append_c(r->text, '\n');
    } else if (r->space && r->text->len > 0 && r->text->str[r->text->len - 1] != '\n') {
        gunichar prev = g_utf8_get_char(g_utf8_find_prev_char(r->text->str,
                                                              r->text->str + r->text->len));
        if (!(r->space_nl && is_cjk(prev) && is_cjk(c))) {
            /* the space goes with what the runs on both sides share */
            const Run *last = &g_array_index(r->runs, Run, r->runs->len - 1);
            guint flags = last->flags & x->flags;
            const char *href = last->href == x->href ? x->href : NULL;
            if (href == NULL)
                flags &= ~(guint)IMP_SPAN_LINK;
            set_run(r, flags, href, last->lang == x->lang ? x->lang : r->start.lang);
            g_string_append_c(r->text, ' ');
        }
    }
    r->space = r->space_nl = FALSE;
    r->line_pending = FALSE;
    set_run(r, x->flags, (x->flags & IMP_SPAN_LINK) != 0 ? x->href : NULL, x->lang);
    mark_line(r, line);
    g_string_append_len(r->text, p, (gssize)n);
}

/* Whether a pending block's text is at the start of a line (empty, or after '\n'). */
static gboolean at_line_start(const Reader *r)
{
    return r->text->len == 0 || r->line_pending || r->text->str[r->text->len - 1] == '\n';
}

/* Appends a text node's text (design note 3): white space collapsed outside pre, kept
 * inside it (but for the line end right after <pre>); control characters and
 * noncharacters dropped and reported; padding (no-break, ideographic spaces) dropped at
 * the start of a line, as text.c trims lines. Runs of ordinary characters are appended
 * whole. */
static void append_text(Reader *r, const char *s, gsize len, guint line)
{
    gboolean pre = r->ctx.pre > 0;
    const char *p = s, *end = s + len;
    while (p < end) {
        guchar b = (guchar)*p;
        if ((b < 0x21 && !(pre && (b == ' ' || b == '\t'))) || b == 0x7F) {
            p++;
            if (pre && b == '\n') {
                if (!r->pre_start)
                    put_char(r, "\n", 1, '\n', line);
                r->pre_start = FALSE;
                line++;
            } else if (!pre && is_html_space(b)) {
                r->space = TRUE;
                if (b == '\n') {
                    r->space_nl = TRUE;
                    line++;
                }
            } else if (b != '\r' && b != '\f') {
                report_dropped_char(r, line, b);
            }
            continue;
        }
        /* a run of characters that are appended as they are */
        const char *q = p;
        gunichar first = 0;
        while (q < end) {
            guchar c = (guchar)*q;
            gunichar u = c;
            const char *next = q + 1;
            if (c < 0x80) {
                if ((c < 0x21 && !(pre && (c == ' ' || c == '\t'))) || c == 0x7F)
                    break;
            } else {
                u = g_utf8_get_char(q);
                if (is_dropped_char(u) || (!pre && is_space(u)))
                    break;
                next = g_utf8_next_char(q);
            }
            if (q == p)
                first = u;
            q = next;
        }
        if (q == p) {
            /* a character the run stops at: dropped, padding, or a no-break space */
            gunichar u = g_utf8_get_char(p);
            const char *next = g_utf8_next_char(p);
            if (is_dropped_char(u)) {
                report_dropped_char(r, line, u);
            } else if (pre || !at_line_start(r)) {
                r->pre_start = FALSE;
                put_char(r, p, (gsize)(next - p), u, line);
            }
            p = next;
            continue;
        }
        r->pre_start = FALSE;
        put_char(r, p, (gsize)(q - p), first, line);
        p = q;
    }
}

/* Appends text that is not from the page's text nodes (alt texts, quotation marks,
 * isolates), as if it were. */
static void append_literal(Reader *r, const char *s, guint line)
{
    append_text(r, s, strlen(s), line);
}

/* ------------------------------------------------------------------------------------
 * Lists
 * ------------------------------------------------------------------------------------ */

/* A list item's number in the list's style ("3", "c", "iii"). */
static void format_number(GString *out, gint64 v, char type)
{
    if ((type == 'a' || type == 'A') && v >= 1) {
        char buf[16];
        int n = 0;
        for (gint64 x = v; x > 0 && n < 15; x = (x - 1) / 26)
            buf[n++] = (char)((type == 'a' ? 'a' : 'A') + (x - 1) % 26);
        while (n > 0)
            g_string_append_c(out, buf[--n]);
        return;
    }
    if ((type == 'i' || type == 'I') && v >= 1 && v < 4000) {
        static const struct { int v; const char *s; } romans[] = {
            { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
            { 90, "xc" }, { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" },
            { 4, "iv" }, { 1, "i" },
        };
        gsize start = out->len;
        for (guint i = 0; i < G_N_ELEMENTS(romans); i++)
            for (; v >= romans[i].v; v -= romans[i].v)
                g_string_append(out, romans[i].s);
        if (type == 'I')
            for (gsize k = start; k < out->len; k++)
                out->str[k] = g_ascii_toupper(out->str[k]);
        return;
    }
    g_string_append_printf(out, "%" G_GINT64_FORMAT, v);
}

/* An integer attribute, or `dflt`. */
static gint64 int_attr(const xmlNode *n, const char *name, gint64 dflt)
{
    const char *v = attr(n, name);
    if (v == NULL)
        return dflt;
    char *end;
    gint64 x = g_ascii_strtoll(v, &end, 10);
    return end == v ? dflt : CLAMP(x, -1000000000, 1000000000);
}

/* Whether an <li> starts with a checkbox (a task list item); *done when it is checked.
 * Looks through the first elements before any text. */
static gboolean task_item(const xmlNode *li, gboolean *done)
{
    const xmlNode *n = li->children;
    for (guint depth = 0; n != NULL && depth < 4;) {
        if (n->type == XML_TEXT_NODE) {
            if (node_has_ink(n))
                return FALSE;
            n = n->next;
            continue;
        }
        if (n->type != XML_ELEMENT_NODE) {
            n = n->next;
            continue;
        }
        if (is_element(n, "input")) {
            const char *type = attr(n, "type");
            if (type == NULL || g_ascii_strcasecmp(type, "checkbox") != 0)
                return FALSE;
            *done = attr(n, "checked") != NULL;
            return TRUE;
        }
        n = n->children;
        depth++;
    }
    return FALSE;
}

/* An <li>: its marker and flags wait for its first block (end_block, flush_item). */
static void enter_item(Reader *r, const xmlNode *li)
{
    flush_item(r);
    List *l = r->lists->len > 0 ? &g_array_index(r->lists, List, r->lists->len - 1) : NULL;
    GString *marker = g_string_new(NULL);
    ImpBlockFlags flags = 0;
    if (l != NULL && l->ordered) {
        l->next = int_attr(li, "value", l->next);
        const char *type = attr(li, "type");
        format_number(marker, l->next, type != NULL && *type != '\0' ? *type : l->type);
        g_string_append_c(marker, '.');
        l->next += l->reversed ? -1 : 1;
        flags |= IMP_BLOCK_FLAG_ORDERED;
    } else {
        guint depth = r->ctx.list_depth;
        g_string_append(marker, depth <= 1 ? "•" : depth == 2 ? "◦" : "▪");
    }
    if (l != NULL && l->first) {
        flags |= IMP_BLOCK_FLAG_LIST_START;
        l->first = FALSE;
    }
    gboolean done = FALSE;
    if (task_item(li, &done))
        flags |= IMP_BLOCK_FLAG_TASK | (done ? IMP_BLOCK_FLAG_TASK_DONE : 0);
    g_free(r->item_marker);
    r->item_marker = g_string_free(marker, FALSE);
    r->item_flags = flags;
    r->item_pending = TRUE;
    r->item_line = node_line(li);
    r->item_ctx = r->ctx;
}

/* A <ul>, <ol>, <menu> or <dir>: a list one deeper, numbered from start= (or, reversed,
 * from its number of items). */
static void enter_list(Reader *r, const xmlNode *n)
{
    List l = { 0 };
    l.ordered = strcmp(node_name(n), "ol") == 0;
    l.reversed = l.ordered && attr(n, "reversed") != NULL;
    l.first = TRUE;
    const char *type = attr(n, "type");
    l.type = type != NULL && strchr("1aAiI", *type) != NULL && *type != '\0' ? *type : '1';
    gint64 count = 0;
    if (l.reversed)
        for (const xmlNode *c = n->children; c != NULL; c = c->next)
            count += is_element(c, "li");
    l.next = int_attr(n, "start", l.reversed ? count : 1);
    g_array_append_val(r->lists, l);
    r->ctx.list_depth++;
}

/* ------------------------------------------------------------------------------------
 * Tables
 *
 * A table is a data table, one TABLE block, unless it is a layout table: role=
 * "presentation" or "none", or a table with a table inside it (old sites set whole pages
 * in tables); a layout table's cells are containers of blocks. In a data table, thead
 * rows, and rows of th cells only at the table's top, are header rows; a cell's blocks
 * are its lines ('\n' between them). colspan=N puts the text in the first column and N-1
 * empty cells after it; rowspan=N puts empty cells in its columns of the next N-1 rows:
 * the columns stay aligned, and no text is repeated. align= and text-align of the first
 * cells that say so give the columns' alignments.
 * ------------------------------------------------------------------------------------ */

/* The innermost open table, or NULL. */
static Table *top_table(Reader *r)
{
    return r->tables->len > 0 ? &g_array_index(r->tables, Table, r->tables->len - 1) : NULL;
}

/* A <table>: a data table or a layout table (see above). */
static void enter_table(Reader *r, const xmlNode *n)
{
    Table t = { 0 };
    const char *role = attr(n, "role");
    t.layout = (stats_of(r, n)->flags & A_HAS_TABLE) != 0 ||
               (role != NULL && (g_ascii_strcasecmp(role, "presentation") == 0 ||
                                 g_ascii_strcasecmp(role, "none") == 0));
    t.carry = g_array_new(FALSE, TRUE, sizeof(guint));
    t.aligns = g_array_new(FALSE, TRUE, sizeof(ImpCellAlign));
    g_array_append_val(r->tables, t);
}

/* Adds one cell (empty, or the one to fill) at the current row's next column. */
static ImpBlock *add_cell(Reader *r, Table *t, guint line)
{
    if (t->block == NULL) {
        flush_item(r);
        t->block = new_block(r, IMP_BLOCK_TABLE, line);
        place_block(r, t->block, &r->ctx);
        r->n_text_blocks++;
    }
    if (!t->row_open) {
        imp_table_begin_row(t->block, t->header_row);
        t->row_open = TRUE;
        t->col = 0;
    }
    count_block(r, line);
    ImpBlock *cell = imp_table_add_cell(t->block, line);
    t->col++;
    t->n_columns = MAX(t->n_columns, t->col);
    return cell;
}

/* Fills the columns a rowspan from an earlier row still covers, from the current column
 * on, while they are covered. */
static void fill_carried(Reader *r, Table *t, guint line, gboolean to_end)
{
    while (t->col < t->carry->len && !r->over) {
        guint *c = &g_array_index(t->carry, guint, t->col);
        if (*c == 0) {
            if (!to_end)
                return;
            gboolean more = FALSE;
            for (guint k = t->col + 1; k < t->carry->len && !more; k++)
                more = g_array_index(t->carry, guint, k) > 0;
            if (!more)
                return;
            add_cell(r, t, line);
            continue;
        }
        (*c)--;
        add_cell(r, t, line);
    }
}

/* The alignment an align attribute or a text-align style gives a cell. */
static ImpCellAlign cell_align(const xmlNode *n)
{
    const char *a = attr(n, "align");
    const char *style = attr(n, "style");
    char *from_style = NULL;
    if (a == NULL && style != NULL) {
        const char *p = strstr(style, "text-align");
        if (p != NULL) {
            p += strlen("text-align");
            while (*p == ' ' || *p == ':')
                p++;
            from_style = g_strndup(p, strcspn(p, " ;\"'"));
            a = from_style;
        }
    }
    ImpCellAlign align = IMP_CELL_ALIGN_DEFAULT;
    if (a != NULL) {
        if (g_ascii_strcasecmp(a, "left") == 0 || g_ascii_strcasecmp(a, "start") == 0)
            align = IMP_CELL_ALIGN_LEFT;
        else if (g_ascii_strcasecmp(a, "center") == 0 || g_ascii_strcasecmp(a, "middle") == 0)
            align = IMP_CELL_ALIGN_CENTER;
        else if (g_ascii_strcasecmp(a, "right") == 0 || g_ascii_strcasecmp(a, "end") == 0)
            align = IMP_CELL_ALIGN_RIGHT;
    }
    g_free(from_style);
    return align;
}

static void leave_cell(Reader *r, Table *t, const xmlNode *n);

/* Begins a cell (a <td> or <th>, or stray text in a table: `n` NULL). */
static void enter_cell(Reader *r, Table *t, const xmlNode *n, guint line)
{
    if (t->cell != NULL)
        leave_cell(r, t, NULL);
    end_block(r);
    fill_carried(r, t, line, FALSE);
    if (r->over)
        return;
    guint col = t->col;
    t->cell = add_cell(r, t, line);
    t->implicit_cell = n == NULL;
    reset_pending(r);
    r->ctx.in_cell = TRUE;
    r->started = TRUE;
    r->start = r->ctx;
    r->start_line = line;
    if (n == NULL)
        return;
    gint64 colspan = CLAMP(int_attr(n, "colspan", 1), 1, MAX_SPAN);
    gint64 rowspan = CLAMP(int_attr(n, "rowspan", 1), 1, 65534);
    ImpCellAlign align = cell_align(n);
    for (gint64 k = 0; k < colspan && col + (guint)k < MAX_COLUMNS; k++) {
        guint c = col + (guint)k;
        if (t->carry->len <= c) {
            g_array_set_size(t->carry, c + 1);
            g_array_set_size(t->aligns, c + 1);
        }
        g_array_index(t->carry, guint, c) = (guint)(rowspan - 1);
        if (g_array_index(t->aligns, ImpCellAlign, c) == IMP_CELL_ALIGN_DEFAULT)
            g_array_index(t->aligns, ImpCellAlign, c) = align;
    }
    /* the empty cells of a colspan come when the cell ends (leave_cell) */
    t->col = col + 1;
}

/* Ends the cell being filled: its text and spans go into its block. */
static void leave_cell(Reader *r, Table *t, const xmlNode *n)
{
    if (t->cell == NULL)
        return;
    trim_pending_end(r, FALSE);
    fill_block(r, t->cell, r->start.lang);
    if (r->start.lang != NULL && r->start.lang != r->doc_lang)
        imp_block_set_language(t->cell, r->start.lang);
    t->cell = NULL;
    t->implicit_cell = FALSE;
    reset_pending(r);
    if (n != NULL) {
        gint64 colspan = CLAMP(int_attr(n, "colspan", 1), 1, MAX_SPAN);
        for (gint64 k = 1; k < colspan && t->col < MAX_COLUMNS && !r->over; k++)
            add_cell(r, t, node_line(n));
    }
}

/* A <tr> of a data table: a header row when in <thead>, or all <th> before any body row;
 * the row itself begins at its first cell. */
static void enter_row(Reader *r, Table *t, const xmlNode *tr)
{
    if (t->cell != NULL)
        leave_cell(r, t, NULL);
    gboolean all_th = FALSE, in_thead = tr->parent != NULL && is_element(tr->parent, "thead");
    for (const xmlNode *c = tr->children; c != NULL; c = c->next) {
        if (is_element(c, "td")) {
            all_th = FALSE;
            break;
        }
        if (is_element(c, "th"))
            all_th = TRUE;
    }
    t->header_row = in_thead || (all_th && !t->body_seen);
    if (!t->header_row)
        t->body_seen = TRUE;
    t->row_open = FALSE;
    t->col = 0;
}

/* The end of a row: the cells rowspans still cover are added. */
static void leave_row(Reader *r, Table *t, const xmlNode *tr)
{
    if (t->cell != NULL)
        leave_cell(r, t, NULL);
    if (t->row_open)
        fill_carried(r, t, node_line(tr), TRUE);
    t->row_open = FALSE;
}

/* The end of a table: its columns and alignments are set. */
static void leave_table(Reader *r)
{
    Table *t = top_table(r);
    if (t->cell != NULL)
        leave_cell(r, t, NULL);
    if (t->block != NULL) {
        guint n = t->n_columns;
        g_array_set_size(t->aligns, MAX(n, t->aligns->len));
        imp_table_set_columns(t->block, n, (const ImpCellAlign *)(void *)t->aligns->data);
    }
    g_array_free(t->carry, TRUE);
    g_array_free(t->aligns, TRUE);
    g_array_set_size(r->tables, r->tables->len - 1);
}

/* ------------------------------------------------------------------------------------
 * Images and links
 * ------------------------------------------------------------------------------------ */

/* The local file or data: URI an image's src gives, or NULL for a remote or unusable one
 * (transfer full). A path is made relative to the page's folder by the layout (the
 * document's base directory); %-escapes are decoded and a query is dropped. */
static char *image_source(const char *src, gboolean *remote)
{
    *remote = FALSE;
    while (is_html_space((guchar)*src))
        src++;
    if (*src == '\0')
        return NULL;
    if (g_ascii_strncasecmp(src, "data:", 5) == 0)
        return strchr(src, ',') != NULL ? g_strdup(src) : NULL;
    if (g_ascii_strncasecmp(src, "file:", 5) == 0)
        return g_filename_from_uri(src, NULL, NULL);
    if (g_uri_peek_scheme(src) != NULL || src[0] == '/') {
        /* another scheme, another host (//host/x), or the site's root (/x): elsewhere on
           the web, even in a saved page */
        *remote = TRUE;
        return NULL;
    }
    gsize n = strcspn(src, "?#");
    if (n == 0)
        return NULL;  /* "#x", "?y": the page itself, no image */
    char *path = g_strndup(src, n);
    char *plain = g_uri_unescape_string(path, NULL);
    if (plain != NULL && *plain != '\0' && g_utf8_validate(plain, -1, NULL)) {
        g_free(path);
        return plain;
    }
    g_free(plain);
    return path;  /* escapes that are not a name (%00, %FF): the name as written */
}

/* An <img>: an image block when it stands alone, else (in running text, or an icon) its
 * alt text. Remote images are reported and set as their alt text. */
static void enter_image(Reader *r, const xmlNode *img)
{
    const char *src = attr(img, "src");
    const char *alt = attr(img, "alt");
    guint line = node_line(img);
    if (src == NULL || *src == '\0')
        src = attr(img, "data-src");
    gboolean remote = FALSE;
    char *path = src != NULL ? image_source(src, &remote) : NULL;
    gint64 w = int_attr(img, "width", 1000), h = int_attr(img, "height", 1000);
    gboolean icon = w <= ICON_PX || h <= ICON_PX;
    gboolean inline_text = r->ctx.in_cell || icon ||
                           (r->started && r->text->len > 0);
    if (remote) {
        if (r->n_image_reports < MAX_REPORTS) {
            r->n_image_reports++;
            char *where = clip(src, 200);
            char *what = alt != NULL ? clip(alt, 200) : NULL;
            if (what != NULL && *what != '\0')
                imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                                "remote image %s not fetched (imprint never uses the "
                                "network); its alt text \"%s\" is set instead", where, what);
            else
                imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, line,
                                "remote image %s not fetched (imprint never uses the "
                                "network), and it has no alt text", where);
            g_free(where);
            g_free(what);
        } else {
            r->n_image_unreported++;
        }
    }
    if (path == NULL || inline_text) {
        if (alt != NULL)
            append_literal(r, alt, line);
        g_free(path);
        return;
    }
    end_block(r);
    flush_item(r);
    ImpBlock *b = new_block(r, IMP_BLOCK_IMAGE, line);
    place_block(r, b, &r->ctx);
    imp_block_set_src(b, path);
    if (alt != NULL) {
        GString *s = g_string_new(NULL);
        gboolean space = FALSE, nl = FALSE;
        collapse_append(s, &space, &nl, alt, strlen(alt));
        imp_block_begin_line(b, line);
        imp_block_append_text(b, s->str, (gssize)s->len);
        g_string_free(s, TRUE);
    }
    const char *title = img == r->figure_img ? r->figure_caption : attr(img, "title");
    if (title != NULL && *title != '\0' && g_utf8_validate(title, -1, NULL))
        imp_block_set_title(b, title);
    r->n_text_blocks++;
    g_free(path);
}

/* A <figure> with one image and a <figcaption>: the caption becomes the image's, and the
 * figcaption is not walked. Any other figure is walked as a container. */
static void enter_figure(Reader *r, const xmlNode *fig)
{
    const xmlNode *img = NULL, *caption = NULL;
    guint n_img = 0;
    for (xmlNode *n = fig->children; n != NULL; n = next_node(n, fig)) {
        if (is_element(n, "img")) {
            img = n;
            n_img++;
        } else if (is_element(n, "figcaption") && n->parent == fig && caption == NULL) {
            caption = n;
        } else if (node_has_ink(n) && (caption == NULL || !is_ancestor(caption, n))) {
            return; /* text beside the image: walk it all */
        }
    }
    if (n_img != 1 || caption == NULL)
        return;
    g_free(r->figure_caption);
    r->figure_caption = text_of(caption);
    r->figure_img = img;
    if (r->skip == NULL)
        r->skip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(r->skip, (gpointer)caption);
}

/* The target of a link: "#id" within the page (also for links to the page's own file),
 * an absolute address, or the href as written; NULL for script links (transfer none: in
 * the reader's strings). */
static const char *link_target(Reader *r, const char *href)
{
    while (is_html_space((guchar)*href))
        href++;
    if (*href == '\0' || g_ascii_strncasecmp(href, "javascript:", 11) == 0 ||
        !g_utf8_validate(href, -1, NULL))
        return NULL;
    if (href[0] == '#')
        return href[1] != '\0' ? g_string_chunk_insert_const(r->strings, href) : NULL;
    const char *hash = strchr(href, '#');
    if (hash != NULL && hash[1] != '\0' && r->src_name != NULL && g_uri_peek_scheme(href) == NULL) {
        char *base = g_path_get_basename(r->src_name);
        gboolean self = (gsize)(hash - href) == strlen(base) &&
                        strncmp(href, base, (gsize)(hash - href)) == 0;
        g_free(base);
        if (self)
            return g_string_chunk_insert_const(r->strings, hash);
    }
    char *abs = resolve_url(r, href);
    const char *t = g_string_chunk_insert_const(r->strings, abs);
    g_free(abs);
    return t;
}

/* ------------------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------------------ */

/* Takes an element's id (or an anchor's name) for the next block, if none is waiting. */
static void take_id(Reader *r, const xmlNode *n)
{
    const char *id = attr(n, "id");
    if (id == NULL && is_element(n, "a"))
        id = attr(n, "name");
    if (id == NULL || *id == '\0' || r->pending_id != NULL || !g_utf8_validate(id, -1, NULL))
        return;
    r->pending_id = g_string_chunk_insert_const(r->strings, id);
}

/* A code block's info string: X of class="language-X" or "lang-X" on the <pre> or its
 * <code>, or data-lang; "console" for DocBook's class="screen" (a terminal session).
 * (transfer none: in the reader's strings) */
static const char *code_info(Reader *r, const xmlNode *pre)
{
    const xmlNode *code = NULL;
    for (const xmlNode *c = pre->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            code = is_element(c, "code") && c->next == NULL ? c : NULL;
            break;
        }
    const xmlNode *els[] = { pre, code };
    for (guint i = 0; i < G_N_ELEMENTS(els); i++) {
        if (els[i] == NULL)
            continue;
        const char *lang = attr(els[i], "data-lang");
        if (lang != NULL && *lang != '\0' && g_utf8_validate(lang, -1, NULL))
            return g_string_chunk_insert_const(r->strings, lang);
        const char *cls = attr(els[i], "class");
        if (cls == NULL)
            continue;
        char **tokens = g_strsplit_set(cls, " \t\n", -1);
        const char *found = NULL;
        for (char **t = tokens; *t != NULL && found == NULL; t++) {
            const char *v = g_str_has_prefix(*t, "language-") ? *t + 9
                          : g_str_has_prefix(*t, "lang-") ? *t + 5 : NULL;
            if (v != NULL && *v != '\0' && g_utf8_validate(v, -1, NULL))
                found = g_string_chunk_insert_const(r->strings, v);
            else if (strcmp(*t, "screen") == 0)
                found = "console";
        }
        g_strfreev(tokens);
        if (found != NULL)
            return found;
    }
    return NULL;
}

/* The isolate (or override) a dir attribute asks of an inline element, or NULL. */
static const char *isolate_of(const xmlNode *n)
{
    const char *dir = attr(n, "dir");
    gboolean bdo = is_element(n, "bdo");
    if (dir == NULL)
        return is_element(n, "bdi") ? "\u2068" : NULL;
    if (g_ascii_strcasecmp(dir, "rtl") == 0)
        return bdo ? "\u202E" : "\u2067";
    if (g_ascii_strcasecmp(dir, "ltr") == 0)
        return bdo ? "\u202D" : "\u2066";
    if (g_ascii_strcasecmp(dir, "auto") == 0 && !bdo)
        return "\u2068";
    return NULL;
}

/* Enters node n: returns whether to walk its children. */
static gboolean enter(Reader *r, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        Table *t = top_table(r);
        if (t != NULL && !t->layout && t->cell == NULL && node_has_ink(n))
            enter_cell(r, t, NULL, node_line(n));
        if (n->content != NULL && !r->over)
            append_text(r, (const char *)n->content, strlen((const char *)n->content),
                        node_line(n));
        return FALSE;
    }
    if (n->type != XML_ELEMENT_NODE)
        return FALSE;

    const Element *e = element_of(n);
    Frame f = { n, e->role, 0, 0, r->ctx };
    gboolean descend = TRUE;
    const char *why = NULL;
    if (r->skip != NULL && g_hash_table_contains(r->skip, n)) {
        descend = FALSE;
    } else if (e->role == R_STYLE) {
        r->n_scripts++;
        descend = FALSE;
    } else if (e->role == R_SKIP) {
        report_drop(r, n, "not text");
        descend = FALSE;
    } else if (n != r->walk_root && (why = drop_reason(r, n)) != NULL) {
        report_drop(r, n, why);
        descend = FALSE;
    }
    if (!descend) {
        f.role = R_SKIP;
        g_array_append_val(r->frames, f);
        return FALSE;
    }

    Table *t = top_table(r);
    gboolean data_table = t != NULL && !t->layout;
    gboolean block = e->role != R_INLINE && e->role != R_Q && e->role != R_BR &&
                     e->role != R_WBR && e->role != R_IMG && e->role != R_INPUT;
    if (block && !(data_table && (e->role == R_ROW || e->role == R_CELL ||
                                  e->role == R_TSECTION)))
        end_block(r);
    take_id(r, n);

    const char *lang = attr(n, "lang");
    if (lang == NULL)
        lang = attr(n, "xml:lang");
    if (lang != NULL) {
        const char *tag = lang_tag(r, lang);
        if (tag != NULL)
            r->ctx.lang = tag;
    }

    switch ((Role)e->role) {
    case R_INLINE:
        r->ctx.flags |= r->ctx.pre > 0 ? e->span & ~(guint)IMP_SPAN_CODE : e->span;
        if (strcmp(node_name(n), "a") == 0) {
            const char *href = attr(n, "href");
            const char *target = href != NULL ? link_target(r, href) : NULL;
            if (target != NULL) {
                r->ctx.flags |= IMP_SPAN_LINK;
                r->ctx.href = target;
            }
        }
        {
            const char *iso = isolate_of(n);
            if (iso != NULL) {
                append_literal(r, iso, node_line(n));
                f.isolate = 1;
                f.block_serial = r->serial;
            }
        }
        break;
    case R_Q: {
        static const char *const open[] = { "\u201C", "\u2018" };
        append_literal(r, open[r->ctx.q_depth % 2], node_line(n));
        r->ctx.q_depth++;
        break;
    }
    case R_CONTAINER:
    case R_FIGURE:
        if (e->role == R_FIGURE)
            enter_figure(r, n);
        if (data_table && t->cell == NULL) {
            /* a block in a data table outside any cell: a cell of its own */
            enter_cell(r, t, NULL, node_line(n));
        }
        break;
    case R_PARA:
        if (data_table && t->cell == NULL)
            enter_cell(r, t, NULL, node_line(n));
        r->ctx.kind = IMP_BLOCK_PARAGRAPH;
        r->ctx.heading = NULL;
        break;
    case R_CAPTION: {
        /* a caption is a paragraph before its table: read as if outside any table */
        Table pseudo = { 0 };
        pseudo.layout = TRUE;
        pseudo.carry = g_array_new(FALSE, TRUE, sizeof(guint));
        pseudo.aligns = g_array_new(FALSE, TRUE, sizeof(ImpCellAlign));
        g_array_append_val(r->tables, pseudo);
        r->ctx.kind = IMP_BLOCK_PARAGRAPH;
        r->ctx.heading = NULL;
        r->ctx.in_cell = FALSE;
        break;
    }
    case R_HEADING:
        r->ctx.kind = IMP_BLOCK_HEADING;
        r->ctx.level = e->span;
        r->ctx.heading = n;
        break;
    case R_DT:
        r->ctx.kind = IMP_BLOCK_TERM;
        break;
    case R_DD:
        r->ctx.kind = IMP_BLOCK_DEFINITION;
        break;
    case R_PRE:
        r->ctx.kind = IMP_BLOCK_CODE;
        r->ctx.pre++;
        r->ctx.flags = 0;
        r->ctx.href = NULL;
        r->ctx.info = code_info(r, n);
        r->pre_start = TRUE;
        break;
    case R_QUOTE:
        r->ctx.quote_depth++;
        break;
    case R_LIST:
        if (!r->ctx.in_cell)
            enter_list(r, n);
        break;
    case R_ITEM:
        if (!r->ctx.in_cell)
            enter_item(r, n);
        break;
    case R_TABLE:
        enter_table(r, n);
        break;
    case R_TSECTION:
        break;
    case R_ROW:
        if (data_table)
            enter_row(r, t, n);
        break;
    case R_CELL:
        if (data_table)
            enter_cell(r, t, n, node_line(n));
        break;
    case R_HR:
        if (!r->ctx.in_cell) {
            flush_item(r);
            ImpBlock *b = new_block(r, IMP_BLOCK_RULE, node_line(n));
            place_block(r, b, &r->ctx);
        }
        break;
    case R_BR:
        if (r->ctx.pre > 0 || (r->started && r->text->len > 0)) {
            start_block(r, node_line(n));
            r->space = r->space_nl = FALSE;
            r->line_pending = FALSE;
            set_run(r, 0, NULL, r->start.lang);
            mark_line(r, node_line(n));
            g_string_append_c(r->text, '\n');
        }
        break;
    case R_IMG:
        enter_image(r, n);
        break;
    case R_INPUT:
    case R_WBR:
    case R_SKIP:
    case R_STYLE:
        break;
    }
    g_array_append_val(r->frames, f);
    return e->role != R_IMG && e->role != R_BR && e->role != R_HR && e->role != R_INPUT;
}

/* Leaves element n (entered by enter()). */
static void leave(Reader *r, xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE)
        return;
    Frame f = g_array_index(r->frames, Frame, r->frames->len - 1);
    g_array_set_size(r->frames, r->frames->len - 1);
    g_assert(f.node == n);
    if (f.role == R_SKIP) {
        r->ctx = f.saved;
        return;
    }
    Table *t = top_table(r);
    gboolean data_table = t != NULL && !t->layout;
    switch ((Role)f.role) {
    case R_INLINE:
        if (f.isolate && f.block_serial == r->serial && r->started)
            append_literal(r, "\u2069", node_line(n)); /* PDI closes isolates and, as
                                                         PDF does, an override */
        break;
    case R_Q: {
        static const char *const close[] = { "\u201D", "\u2019" };
        r->ctx.q_depth--;
        append_literal(r, close[r->ctx.q_depth % 2], node_line(n));
        break;
    }
    case R_LIST:
        if (!f.saved.in_cell) {
            end_block(r);
            g_array_set_size(r->lists, r->lists->len - 1);
        }
        break;
    case R_ITEM:
        if (!f.saved.in_cell) {
            end_block(r);
            flush_item(r);
        }
        break;
    case R_CELL:
        if (data_table)
            leave_cell(r, t, n);
        else
            end_block(r);
        break;
    case R_ROW:
        if (data_table)
            leave_row(r, t, n);
        else
            end_block(r);
        break;
    case R_TABLE:
        end_block(r);
        leave_table(r);
        break;
    case R_TSECTION:
        if (!data_table)
            end_block(r);
        break;
    case R_CAPTION:
        end_block(r);
        leave_table(r);
        break;
    case R_CONTAINER:
    case R_FIGURE:
    case R_PARA:
        if (data_table && t->implicit_cell && t->cell != NULL) {
            r->ctx = f.saved;
            leave_cell(r, t, NULL);
            return;
        }
        end_block(r);
        break;
    case R_HEADING:
    case R_DT:
    case R_DD:
    case R_PRE:
    case R_QUOTE:
        end_block(r);
        break;
    default:
        break;
    }
    r->ctx = f.saved;
}

/* Walks `root` (an element or text node) into blocks. */
static void walk(Reader *r, xmlNode *root)
{
    r->walk_root = root;
    xmlNode *n = root;
    gboolean descend = enter(r, n);
    while (!r->over) {
        if (descend && n->children != NULL) {
            n = n->children;
            descend = enter(r, n);
            continue;
        }
        leave(r, n);
        while (n != root && n->next == NULL) {
            n = n->parent;
            leave(r, n);
        }
        if (n == root)
            break;
        n = n->next;
        descend = enter(r, n);
    }
    if (r->over) {
        /* unwind: restore the context of every open element */
        while (r->frames->len > 0) {
            Frame *f = &g_array_index(r->frames, Frame, r->frames->len - 1);
            r->ctx = f->saved;
            g_array_set_size(r->frames, r->frames->len - 1);
        }
        return;
    }
    end_block(r);
    flush_item(r);
}

/* The heading that is the article's title: its first heading, when it comes before any
 * other text and no later heading has its level or a higher one. */
static const xmlNode *title_heading(Reader *r, xmlNode *root)
{
    const xmlNode *first = NULL;
    guint first_level = 0;
    for (xmlNode *n = root; n != NULL;) {
        if (n->type == XML_ELEMENT_NODE) {
            const Element *e = element_of(n);
            if (n != root &&
                (e->role == R_SKIP || e->role == R_STYLE || drop_reason(r, n) != NULL ||
                 (r->skip != NULL && g_hash_table_contains(r->skip, n)))) {
                n = next_after(n, root);
                continue;
            }
            if (e->role == R_HEADING) {
                if (first == NULL) {
                    first = n;
                    first_level = e->span;
                } else if (e->span <= first_level) {
                    return NULL;
                }
                n = next_after(n, root);
                continue;
            }
            if (e->role == R_IMG && first == NULL)
                return NULL;
        } else if (first == NULL && node_has_ink(n)) {
            return NULL;
        }
        n = next_node(n, root);
    }
    return first;
}

/* ------------------------------------------------------------------------------------
 * Reading a page
 * ------------------------------------------------------------------------------------ */

/* The first element named `name` among n's children. */
static xmlNode *child_element(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* Whether the rules have [html] keys. */
static gboolean has_html_rules(const ImpReadRules *rules)
{
    return rules != NULL &&
           (rules->html_content != NULL || rules->html_title != NULL ||
            rules->html_date != NULL || rules->html_author != NULL ||
            rules->html_section != NULL || rules->html_masthead != NULL ||
            rules->html_notice != NULL || rules->html_drop != NULL);
}

/* Site metadata rules: title (a TITLE block first), date, author, section (through the
 * breadcrumb rule when it matches), masthead (through the masthead rule). Each rule's
 * nodes are taken out of the article. */
static void read_site_meta(Reader *r, MetaPrio *mp, xmlXPathContextPtr xp)
{
    const ImpReadRules *rules = r->rules;
    guint line;
    char *v = rule_text(r, xp, "masthead", rules->html_masthead, &line);
    if (v != NULL) {
        GMatchInfo *info = NULL;
        if (rule_matches(r, rules->masthead, "masthead", v, strlen(v), line, &info)) {
            take_masthead(r, info);
            g_match_info_free(info);
        } else if (rules->site != NULL && !r->have_masthead) {
            r->have_masthead = TRUE;
            imp_document_set_meta(r->doc, IMP_META_SITE, rules->site);
        }
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "took masthead: %s", v);
        g_free(v);
    }
    v = rule_text(r, xp, "section", rules->html_section, &line);
    if (v != NULL) {
        GMatchInfo *info = NULL;
        char *section = NULL;
        if (rule_matches(r, rules->breadcrumb, "breadcrumb", v, strlen(v), line, &info))
            section = fetch_named(info, "section");
        g_match_info_free(info);
        set_meta(r, mp, IMP_META_SECTION, section != NULL ? section : v, P_RULE);
        r->have_section = TRUE;
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, line, "took section: %s", v);
        g_free(section);
        g_free(v);
    }
    v = rule_text(r, xp, "date", rules->html_date, &line);
    set_meta(r, mp, IMP_META_DATE, v, P_RULE);
    g_free(v);
    v = rule_text(r, xp, "author", rules->html_author, &line);
    set_meta(r, mp, IMP_META_AUTHOR, v, P_RULE);
    g_free(v);
    v = rule_text(r, xp, "title", rules->html_title, &line);
    if (v != NULL) {
        ImpBlock *b = new_block(r, IMP_BLOCK_TITLE, line);
        imp_block_begin_line(b, line);
        imp_block_append_text(b, v, -1);
        if (starts_numbered(v))
            imp_block_set_flags(b, IMP_BLOCK_FLAG_NUMBERED);
        set_meta(r, mp, IMP_META_TITLE, v, P_RULE);
        r->have_title = TRUE;
        r->n_text_blocks++;
        g_free(v);
    }
}

/* Without a content rule (or when it selects nothing): the generic reading's article. A
 * lone <h1> before it titles it when no heading leads it. */
static xmlNode *generic_article(Reader *r, xmlNode *body)
{
    const char *how = NULL;
    xmlNode *article = find_article(r, body, &how);
    r->root = article;
    char *what = describe(article);
    imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, node_line(article), "article: %s, %s",
                    what, how);
    g_free(what);
    report_outside(r, article, body);
    if (r->have_title || article == body || title_heading(r, article) != NULL)
        return article;
    const xmlNode *h1 = NULL;
    guint n_h1 = 0;
    for (xmlNode *n = body; n != NULL; n = next_node(n, body))
        if (is_element(n, "h1") && !is_ancestor(article, n) && !in_dropped(r, n, body) &&
            (r->skip == NULL || !g_hash_table_contains(r->skip, n))) {
            h1 = h1 != NULL ? h1 : n;
            n_h1++;
        }
    gboolean inside = FALSE;
    for (xmlNode *n = article; n != NULL && !inside; n = next_node(n, article))
        inside = is_element(n, "h1");
    if (n_h1 != 1 || inside)
        return article;
    char *t = text_of(h1);
    if (*t != '\0') {
        ImpBlock *b = new_block(r, IMP_BLOCK_TITLE, node_line(h1));
        imp_block_begin_line(b, node_line(h1));
        imp_block_append_text(b, t, -1);
        imp_document_set_meta(r->doc, IMP_META_TITLE, t);
        r->have_title = TRUE;
        r->n_text_blocks++;
        imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, node_line(h1),
                        "took title from the <h1> before the article: %s", t);
    }
    g_free(t);
    return article;
}

/* Reads the article: the site's [html] rules first (drops, metadata, notice, content),
 * the generic reading for what they leave open; then the notice. */
static void read_article(Reader *r, MetaPrio *mp, xmlNode *html)
{
    const ImpReadRules *rules = r->rules;
    xmlNode *body = child_element(html, "body");
    if (body == NULL)
        body = html;
    GPtrArray *content = NULL, *notice = NULL;
    if (has_html_rules(rules)) {
        xmlXPathContextPtr xp = xmlXPathNewContext(r->html);
        r->skip = g_hash_table_new(NULL, NULL);
        r->drop = g_hash_table_new(NULL, NULL);
        for (const char *const *d = rules->html_drop; xp != NULL && d != NULL && *d != NULL; d++) {
            GPtrArray *nodes = eval_rule(r, xp, "drop", *d, NULL);
            for (guint i = 0; nodes != NULL && i < nodes->len; i++)
                g_hash_table_add(r->drop, nodes->pdata[i]);
            if (nodes != NULL)
                g_ptr_array_unref(nodes);
        }
        if (xp != NULL && rules->html_content != NULL) {
            content = eval_rule(r, xp, "content", rules->html_content, NULL);
            if (content == NULL)
                imp_diag_report(r->diag, IMP_DIAG_WARNING, r->name, 0,
                                "reading rule [html] content %s selects nothing in this page; "
                                "the article is found without it", rules->html_content);
        }
        if (xp != NULL)
            notice = eval_rule(r, xp, "notice", rules->html_notice, NULL);
        for (guint i = 0; notice != NULL && i < notice->len; i++)
            g_hash_table_add(r->skip, notice->pdata[i]);
        /* the elements the content rule selects are never dropped */
        for (guint i = 0; content != NULL && i < content->len; i++)
            for (const xmlNode *a = content->pdata[i]; a != NULL; a = a->parent)
                g_hash_table_remove(r->drop, a);
        if (xp != NULL) {
            read_site_meta(r, mp, xp);
            xmlXPathFreeContext(xp);
        }
    }
    analyse(r, body);

    if (content != NULL) {
        r->site = TRUE;
        const xmlNode *last = NULL;
        for (guint i = 0; i < content->len && !r->over; i++) {
            xmlNode *n = content->pdata[i];
            if (last != NULL && is_ancestor(last, n))
                continue; /* inside content already read */
            last = n;
            char *what = n->type == XML_ELEMENT_NODE ? describe(n) : g_strdup("text");
            imp_diag_report(r->diag, IMP_DIAG_INFO, r->name, node_line(n),
                            "article: %s, by [html] content", what);
            g_free(what);
            if (!r->have_title && r->title_node == NULL)
                r->title_node = title_heading(r, n);
            walk(r, n);
        }
        g_ptr_array_unref(content);
    } else {
        xmlNode *article = generic_article(r, body);
        if (!r->have_title)
            r->title_node = title_heading(r, article);
        walk(r, article);
    }
    for (guint i = 0; notice != NULL && i < notice->len && !r->over; i++) {
        xmlNode *n = notice->pdata[i];
        g_hash_table_remove(r->skip, n);
        end_block(r);
        Ctx saved = r->ctx;
        r->ctx.notice = TRUE;
        gboolean was = r->in_notice;
        r->in_notice = FALSE;
        walk(r, n);
        r->ctx = saved;
        r->in_notice = was;
    }
    if (notice != NULL)
        g_ptr_array_unref(notice);
}

/* Frees what the reader holds (not the document). */
static void reader_clear(Reader *r)
{
    if (r->frames != NULL)
        g_array_free(r->frames, TRUE);
    if (r->lists != NULL)
        g_array_free(r->lists, TRUE);
    for (guint i = 0; r->tables != NULL && i < r->tables->len; i++) {
        /* tables left open when the walk stopped at a limit: their blocks are gone */
        Table *t = &g_array_index(r->tables, Table, i);
        g_array_free(t->carry, TRUE);
        g_array_free(t->aligns, TRUE);
    }
    if (r->tables != NULL)
        g_array_free(r->tables, TRUE);
    if (r->skip != NULL)
        g_hash_table_unref(r->skip);
    if (r->drop != NULL)
        g_hash_table_unref(r->drop);
    if (r->text != NULL)
        g_string_free(r->text, TRUE);
    if (r->runs != NULL)
        g_array_free(r->runs, TRUE);
    if (r->marks != NULL)
        g_array_free(r->marks, TRUE);
    if (r->given_up != NULL)
        g_ptr_array_free(r->given_up, TRUE);
    if (r->stats != NULL)
        g_array_free(r->stats, TRUE);
    if (r->strings != NULL)
        g_string_chunk_free(r->strings);
    g_free(r->item_marker);
    g_free(r->figure_caption);
    g_free(r->base_url);
    if (r->html != NULL)
        xmlFreeDoc(r->html);
}

ImpDocument *imp_read_html(const char *data, gsize len, const ImpReadOptions *options,
                           GError **error)
{
    g_return_val_if_fail(options != NULL, NULL);
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    Reader r = { 0 };
    r.name = options->filename != NULL ? options->filename : "<input>";
    r.src_name = options->filename != NULL && strcmp(options->filename, "-") != 0
               ? options->filename : NULL;
    r.rules = options->rules;
    r.diag = options->diag;

    if (len == 0) {
        /* (data may be NULL: no arithmetic on it) */
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: no text to typeset (the input is "
                    "empty)", r.name);
        return NULL;
    }
    char *decoded = NULL, *cleaned = NULL;
    gsize n = 0;
    const char *t = decode_page(&r, data, len, options->encoding, &n, &decoded, error);
    if (t == NULL)
        return NULL;
    t = clean_input(&r, t, n, &n, &cleaned);
    if (!has_ink(t, n)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT, "%s: no text to typeset (%s)", r.name,
                    len == 0 ? "the input is empty" : "the page holds only white space");
        g_free(decoded);
        g_free(cleaned);
        return NULL;
    }
    r.html = parse(&r, t, n, error);
    g_free(decoded);
    g_free(cleaned);
    if (r.html == NULL)
        return NULL;

    r.doc = imp_document_new();
    r.frames = g_array_new(FALSE, FALSE, sizeof(Frame));
    r.lists = g_array_new(FALSE, FALSE, sizeof(List));
    r.tables = g_array_new(FALSE, FALSE, sizeof(Table));
    r.text = g_string_new(NULL);
    r.runs = g_array_new(FALSE, FALSE, sizeof(Run));
    r.marks = g_array_new(FALSE, FALSE, sizeof(Mark));
    r.given_up = g_ptr_array_new();
    r.strings = g_string_chunk_new(4096);
    r.ctx.kind = IMP_BLOCK_PARAGRAPH;

    MetaPrio mp = { { 0 } };
    xmlNode *html = xmlDocGetRootElement(r.html);
    if (html != NULL) {
        read_head(&r, &mp, html);
        r.ctx.lang = r.doc_lang;
        read_article(&r, &mp, html);
    }

    if (r.n_scripts > 0)
        imp_diag_report(r.diag, IMP_DIAG_INFO, r.name, 0,
                        "dropped %u scripts, style sheets and templates", r.n_scripts);
    if (r.n_drop_unreported > 0)
        imp_diag_report(r.diag, IMP_DIAG_INFO, r.name, 0, "dropped %u more elements",
                        r.n_drop_unreported);
    if (r.n_image_unreported > 0)
        imp_diag_report(r.diag, IMP_DIAG_WARNING, r.name, 0,
                        "%u more remote images not fetched", r.n_image_unreported);
    if (r.ctrl_unreported > 0)
        imp_diag_report(r.diag, IMP_DIAG_WARNING, r.name, 0,
                        "dropped %" G_GUINT64_FORMAT " more control characters",
                        r.ctrl_unreported);

    ImpDocument *doc = r.doc;
    r.doc = NULL;
    if (r.over) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s:%u: too many blocks and table cells: imprint sets at most %u in one "
                    "document", r.name, r.over_line, IMP_READ_MAX_PARAGRAPHS);
        g_clear_pointer(&doc, imp_document_free);
    } else if (r.n_text_blocks == 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_INPUT,
                    "%s: no text to typeset (the page's article is empty, or all of its text "
                    "was dropped as page chrome; -v names what was dropped)", r.name);
        g_clear_pointer(&doc, imp_document_free);
    } else {
        if (options->filename != NULL)
            imp_document_set_meta(doc, IMP_META_SOURCE_FILE, options->filename);
        if (r.rules != NULL && r.rules->site != NULL &&
            imp_document_get_meta(doc, IMP_META_SITE) == NULL)
            imp_document_set_meta(doc, IMP_META_SITE, r.rules->site);
        if (r.rules != NULL && r.rules->source != NULL)
            imp_document_set_meta(doc, IMP_META_SOURCE, r.rules->source);
        imp_document_trim(doc);
    }
    reader_clear(&r);
    return doc;
}

/* ------------------------------------------------------------------------------------
 * The page as lines of text, for site detection
 * ------------------------------------------------------------------------------------ */

/* The text of a page as a site style's detect rule reads it (see read.h): decoded as the
 * reader decodes it, parsed by the same parser, scripts and styles left out, one line per
 * block element. Nothing is reported: the reader itself reports when it reads the page. */
char *imp_read_html_lines(const char *data, gsize len, const char *encoding, gsize *out_len)
{
    g_return_val_if_fail(out_len != NULL, NULL);
    *out_len = 0;
    if (data == NULL || len == 0)
        return NULL;
    Reader r = { 0 };
    r.name = "<input>";
    char *decoded = NULL, *cleaned = NULL;
    gsize n = 0;
    const char *t = decode_page(&r, data, len, encoding, &n, &decoded, NULL);
    if (t == NULL)
        return NULL;
    t = clean_input(&r, t, n, &n, &cleaned);
    htmlDocPtr doc = parse(&r, t, n, NULL);
    g_free(decoded);
    g_free(cleaned);
    if (doc == NULL)
        return NULL;
    GString *s = g_string_new(NULL);
    xmlNode *root = xmlDocGetRootElement(doc);
    gboolean space = FALSE, nl = FALSE;
    for (xmlNode *node = root; node != NULL;) {
        if (node->type == XML_ELEMENT_NODE) {
            const Element *e = element_of(node);
            if (node != root && (e->role == R_STYLE || e->role == R_SKIP)) {
                node = next_after(node, root);
                continue;
            }
            if (e->role != R_INLINE && e->role != R_Q && e->role != R_IMG && s->len > 0 &&
                s->str[s->len - 1] != '\n') {
                g_string_append_c(s, '\n'); /* a block boundary ends a line */
                space = nl = FALSE;
            } else if (e->role == R_IMG) {
                const char *alt = attr(node, "alt");
                if (alt != NULL)
                    collapse_append(s, &space, &nl, alt, strlen(alt));
            }
        } else if (node->type == XML_TEXT_NODE && node->content != NULL) {
            gsize before = s->len;
            /* a line's first text takes no space before it */
            if (before == 0 || s->str[before - 1] == '\n')
                space = FALSE;
            collapse_append(s, &space, &nl, (const char *)node->content,
                            strlen((const char *)node->content));
        }
        node = next_node(node, root);
    }
    xmlFreeDoc(doc);
    *out_len = s->len;
    return g_string_free(s, FALSE);
}
