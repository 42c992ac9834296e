/* finish.h — the PDF post-pass: cairo's PDF → PDF/A-2, PDF/A-3 and PDF/UA-1, with libqpdf.
 *
 * cairo 1.16 writes the page content, fonts, links, outline and tags; what it cannot write
 * is added here on the finished file, through libqpdf's C API (never hand-written PDF
 * syntax): XMP metadata that matches the Info dictionary, Info dates in `D:` form, an sRGB
 * output intent, a trailer /ID derived from the content, the catalogue's /Lang, PDF/UA's
 * /MarkInfo, /ViewerPreferences and page /Tabs, the print flag on annotations, the source
 * file and attachments as associated files (PDF/A-3), and /Lang on structure elements.
 * What a standard forbids and cannot be repaired without changing what the page shows (an
 * interpolated image, JavaScript, encryption, LZW, external streams, an unembedded font, a
 * glyph with no Unicode value under level U) is refused with an error naming the rule.
 *
 * Invariants:
 *  1. The output depends only on the input bytes and the options: no clock, no random
 *     /ID, fixed compression and object-stream settings. Same in, same out, byte for byte.
 *  2. The Info dictionary and the XMP packet are written from one set of values, so they
 *     agree by construction.
 *  3. Page content is never rewritten: a check that fails is an error, not a silent edit.
 *     The only repairs are ones that cannot change what is shown or read (annotation
 *     flags, /CIDToGIDMap /Identity where it is already the default, date syntax), and
 *     under PDF/UA the marking of furniture as an artifact: a form XObject painted outside
 *     any marked content and holding no tagged content (no MCID) gets "/Artifact BMC … EMC" around its content
 *     (the render stage draws each page's furniture as one such form), a Note element an
 *     /ID (§7.9).
 *  4. On failure nothing is returned (*out stays NULL): no half-finished PDF.
 */
#ifndef IMP_FINISH_H
#define IMP_FINISH_H

#include <glib.h>

G_BEGIN_DECLS

/* The standards a PDF is finished to; a set of these flags (ImpPdfStandards). Spelled as
 * Typst spells them in imp__pdf_standards_parse(). */
typedef enum {
    IMP_PDF_1_7  = 1 << 0,  /* "1.7": PDF 1.7 (implied by all the others) */
    IMP_PDF_A_2B = 1 << 1,  /* "a-2b": ISO 19005-2, level B (visual appearance) */
    IMP_PDF_A_2U = 1 << 2,  /* "a-2u": ISO 19005-2, level U (B + Unicode text) */
    IMP_PDF_A_3B = 1 << 3,  /* "a-3b": ISO 19005-3, level B (A-2 + any embedded file) */
    IMP_PDF_A_3U = 1 << 4,  /* "a-3u": ISO 19005-3, level U */
    IMP_PDF_UA_1 = 1 << 5   /* "ua-1": ISO 14289-1 (tagged, accessible) */
} ImpPdfStandard;

typedef guint ImpPdfStandards;

#define IMP_PDF_A_2 (IMP_PDF_A_2B | IMP_PDF_A_2U)
#define IMP_PDF_A_3 (IMP_PDF_A_3B | IMP_PDF_A_3U)
#define IMP_PDF_A (IMP_PDF_A_2 | IMP_PDF_A_3)
#define IMP_PDF_A_U (IMP_PDF_A_2U | IMP_PDF_A_3U)

/* Where the sRGB profile of the output intent is read from by default: Debian's
 * icc-profiles-free (Zlib licence, /usr/share/doc/icc-profiles-free/copyright). */
#define IMP_FINISH_ICC_PROFILE "/usr/share/color/icc/sRGB.icc"

/* Parses a comma-separated list such as "a-3u,ua-1" ("1.7", "a-2b", "a-2u", "a-3b",
 * "a-3u", "ua-1"; white space around a name is allowed; a name given twice counts once).
 * Fails with IMP_ERROR_OUTPUT for an empty list or entry, an unknown name (Typst's other
 * names, such as "a-1b", "a-2a" or "a-4", get a message saying why imprint does not write
 * them), and an impossible combination: two PDF/A parts or levels ("a-2b,a-3u": a file
 * claims one). */
gboolean imp__pdf_standards_parse(const char *list, ImpPdfStandards *set, GError **error);

/* Checks a set made of flags (not parsed): the same combination rule as the parser.
 * Fails with IMP_ERROR_OUTPUT naming the two standards. */
gboolean imp__pdf_standards_check(ImpPdfStandards set, GError **error);

/* The set spelled as imp__pdf_standards_parse reads it ("a-3u,ua-1"; "" for none),
 * in a fixed order (transfer full). */
char *imp__pdf_standards_to_string(ImpPdfStandards set);

/* A file embedded in the PDF as an associated file (PDF/A-3 §6.8): the document's source
 * (/AFRelationship /Source) or an attachment (/Supplement). The strings and bytes are
 * borrowed for the duration of imp__finish_pdf. */
typedef struct {
    const char *name;         /* the file name shown (UTF-8, no folder); required */
    GBytes *data;             /* its contents; required */
    const char *mime_type;    /* e.g. "text/plain"; NULL: "application/octet-stream" */
    const char *description;  /* /Desc; NULL: none */
    gint64 mtime;             /* modification time, seconds since 1970; < 0: the
                                 document's modification date */
} ImpFinishFile;

/* What the finish stage adds to one structure element (see ImpFinishOptions.elements).
 * Strings are borrowed for the duration of imp__finish_pdf. */
typedef struct {
    const char *language;  /* BCP 47; written as /Lang where it differs from the language
                              the element inherits (its parent's, at the root the
                              catalogue's). NULL: inherited */
    const char *alt;       /* /Alt: the alternative text of a Figure or Formula (required by
                              ua-1, ISO 14289-1 §7.3); NULL: none */
    const char *scope;     /* a TH's scope, "Column", "Row" or "Both": written as the table
                              attribute /A << /O /Table /Scope /NAME >> (ISO 32000-1
                              §14.8.5.7; PDF/UA-1 §7.5); NULL: none */
} ImpFinishElement;

/* ImpFinishOptions: what to finish to and with what. Fill it with
 * imp__finish_options_init() first, then set fields, so that fields added later start at
 * their defaults. All pointers are borrowed for the duration of imp__finish_pdf.
 *
 * Metadata strings: NULL keeps the input's Info value (cairo's), "" removes it; the value
 * written goes to both the Info dictionary and the XMP packet. Characters XML 1.0 cannot
 * carry (C0 controls other than tab and line ends) are dropped from both. */
typedef struct {
    ImpPdfStandards standards;  /* 0: none; the pass still writes XMP, D: dates, /ID */

    const char *title;          /* Info /Title, dc:title (required by ua-1) */
    const char *author;         /* Info /Author, dc:creator */
    const char *subject;        /* Info /Subject, dc:description */
    const char *keywords;       /* Info /Keywords, pdf:Keywords */
    const char *creator;        /* Info /Creator, xmp:CreatorTool */
    const char *producer;       /* Info /Producer, pdf:Producer */
    const char *language;       /* BCP 47 tag ("zh-Hans", "en"): catalogue /Lang and
                                   dc:language; NULL keeps the input's /Lang. Required by
                                   ua-1. */
    const char *source;         /* dc:source: where the text came from (a URL, a file
                                   name); no Info equivalent. NULL: none */
    gint64 creation_time;       /* seconds since 1970; < 0 keeps the input's date */
    gint64 modification_time;   /* the same for /ModDate */

    const ImpFinishFile *source_file;  /* embedded as /Source (A-3; refused under A-2) */
    const ImpFinishFile *attachments;  /* n_attachments, each as /Supplement */
    guint n_attachments;

    const char *icc_profile;    /* the output intent's RGB profile (PDF/A);
                                   NULL: IMP_FINISH_ICC_PROFILE */

    /* Extension point for the structure tags: what cairo 1.16 cannot write on a structure
     * element, indexed by the element's position in the structure tree in document order
     * (depth first, a parent before its children) — the order in which the render stage
     * opened the tags with cairo_tag_begin(). NULL, or fields NULL: nothing to add. */
    const ImpFinishElement *elements;
    guint n_elements;
} ImpFinishOptions;

/* Sets every field to its default: no standard, nothing overridden (times -1). */
void imp__finish_options_init(ImpFinishOptions *options);

/* Finishes the PDF `pdf` (cairo's output, any PDF qpdf reads) to the standards and with
 * the metadata of `options`, and returns the result in *out (transfer full; release with
 * g_bytes_unref). Fails with IMP_ERROR_OUTPUT when the input cannot be read, a file named
 * by the options cannot be read (the ICC profile), an option is invalid (a language tag),
 * or the document cannot meet a standard asked for: the message names the standard and
 * its clause ("PDF/A-3u (ISO 19005-3 §6.2.8): image object 12 0 has /Interpolate true")
 * and where in the document. *out is left NULL on failure. */
gboolean imp__finish_pdf(GBytes *pdf, const ImpFinishOptions *options, GBytes **out,
                         GError **error);

G_END_DECLS

#endif /* IMP_FINISH_H */
