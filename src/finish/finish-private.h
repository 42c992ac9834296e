/* finish-private.h — what the files of the finish stage share: the metadata values, the
 * XMP packet and date syntax (xmp.c), the conformance walk (check.c), the structure tree
 * (structure.c), small helpers over libqpdf's C API, and the error that names a rule.
 * Not for other stages; finish.h is the stage's interface.
 */
#ifndef IMP_FINISH_PRIVATE_H
#define IMP_FINISH_PRIVATE_H

#include <glib.h>
#include <qpdf/qpdf-c.h>
#include <zlib.h>

#include "finish.h"

G_BEGIN_DECLS

/* ---- Metadata (xmp.c) ---- */

/* The metadata of the finished file: the source of both the Info dictionary and the XMP
 * packet. Strings are owned (NULL: absent); times are seconds since 1970 (< 0: absent). */
typedef struct {
    char *title, *author, *subject, *keywords, *creator, *producer;
    char *language;  /* BCP 47 */
    char *source;    /* dc:source */
    gint64 created, modified;
    int pdfa_part;   /* 2 or 3; 0: not PDF/A */
    char pdfa_level; /* 'B' or 'U' */
    gboolean pdfua;  /* pdfuaid:part 1 */
} ImpMeta;

void imp__meta_clear(ImpMeta *meta);

/* The XMP packet for `meta`, UTF-8, with its xpacket wrapper and padding; *len is set to
 * its length (transfer full). Text is escaped for XML. */
char *imp__xmp_packet(const ImpMeta *meta, gsize *len);

/* A copy of `s` holding only characters XML 1.0 can carry (transfer full). Invalid UTF-8
 * is repaired first. */
char *imp__xml_clean(const char *s);

/* "D:YYYYMMDDHHmmSS+00'00'" for t in UTC (transfer full). */
char *imp__pdf_date(gint64 t);
/* "YYYY-MM-DDTHH:mm:SS+00:00", the same instant in XMP's form (transfer full). */
char *imp__xmp_date(gint64 t);
/* Parses a PDF date, with or without "D:" (cairo 1.16 writes "20231114221320Z"), with the
 * parts after the year optional as ISO 32000-1 §7.9.4 allows, and "Z", "+HH'mm'" or
 * "-HH'mm" offsets. Returns FALSE for anything else. */
gboolean imp__pdf_date_parse(const char *s, gint64 *t);

/* Whether `tag` has the form of a BCP 47 language tag (letters, digits and hyphens in
 * subtags of 1 to 8, the first of letters). */
gboolean imp__language_tag_valid(const char *tag);

/* ---- Rules and errors ---- */

/* Which standard a refusal cites: the PDF/A part asked for, or PDF/UA-1. */
typedef enum {
    IMP_RULE_PDFA,
    IMP_RULE_PDFUA
} ImpRuleFamily;

/* Sets *error to IMP_ERROR_OUTPUT "<standard> (<ISO number> §<clause>): <message>", e.g.
 * "PDF/A-3u (ISO 19005-3 §6.2.8): ...", the standard being the one of `family` in `set`. */
void imp__refuse(GError **error, ImpPdfStandards set, ImpRuleFamily family,
                 const char *clause, const char *format, ...) G_GNUC_PRINTF(5, 6);

/* Whether qpdf reported an error since the last call; if so sets *error to
 * IMP_ERROR_OUTPUT "cannot finish the PDF: <qpdf's message>" and returns FALSE. */
gboolean imp__qpdf_ok(qpdf_data q, GError **error);

/* ---- Object helpers over the C API ---- */

/* The keys of a dictionary (or of a stream's dictionary), sorted (transfer full; free
 * with g_strfreev). Empty for anything else. */
char **imp__qpdf_keys(qpdf_data q, qpdf_oh dict);
/* dict[key], or a null object when dict is neither a dictionary nor a stream (whose
 * dictionary is then looked in): the C API reports an error for a key looked up in
 * anything else (transfer: a handle the caller releases). */
qpdf_oh imp__qpdf_get(qpdf_data q, qpdf_oh dict, const char *key);
/* Whether dict (a dictionary or a stream) has key; FALSE for anything else. */
gboolean imp__qpdf_has(qpdf_data q, qpdf_oh dict, const char *key);
/* Whether dict[key] is the name `name` ("/Foo"). */
gboolean imp__qpdf_name_is(qpdf_data q, qpdf_oh dict, const char *key, const char *name);
/* dict[key] as a name ("/Foo"), or NULL (transfer full). */
char *imp__qpdf_get_name(qpdf_data q, qpdf_oh dict, const char *key);
/* dict[key] as UTF-8 text, or NULL when absent or not a string (transfer full). */
char *imp__qpdf_get_text(qpdf_data q, qpdf_oh dict, const char *key);
/* dict[key] when it is a dictionary, else a new empty dictionary stored under key
 * (transfer: a handle the caller releases). */
qpdf_oh imp__qpdf_ensure_dict(qpdf_data q, qpdf_oh dict, const char *key);

/* ---- Compressing the streams the stage adds (flate.c) ---- */

/* The Flate compressors of a pass (for small streams, for large), reset between streams. */
typedef struct {
    z_stream z[2];
    gboolean ready[2];
    guchar *out;
    gsize out_size;
} ImpFlate;

void imp__flate_init(ImpFlate *f);
void imp__flate_clear(ImpFlate *f);
/* Replaces the data of `stream` with `data` (len bytes) compressed, with /Filter
 * /FlateDecode (qpdf, told to compress nothing, writes it as it is). */
void imp__flate_set_stream(ImpFlate *f, qpdf_data q, qpdf_oh stream, const guchar *data,
                           gsize len);

/* ---- The conformance walk (check.c) ---- */

/* Checks every object and every content stream of the document against the rules of
 * `set` that a post-pass can check, repairing the harmless (see finish.h, invariant 3;
 * streams it changes are compressed with `flate`) and refusing the rest with the rule
 * named. Nothing to do for a set without PDF/A or UA. */
gboolean imp__finish_check(qpdf_data q, ImpPdfStandards set, ImpFlate *flate, GError **error);

/* ---- The structure tree (structure.c) ---- */

/* Walks the structure tree in document order: gives each element what
 * `options->elements` asks for (its /Alt; its /Lang where it differs from the language it
 * inherits, from `doc_language` at the root), and under PDF/UA-1 checks role mapping
 * (§7.1) and alternative text for figures and formulas (§7.3, §7.7). */
gboolean imp__finish_structure(qpdf_data q, const ImpFinishOptions *options,
                               const char *doc_language, GError **error);

G_END_DECLS

#endif /* IMP_FINISH_PRIVATE_H */
