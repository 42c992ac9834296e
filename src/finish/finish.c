/* finish.c — the post-pass: read cairo's PDF with libqpdf, add what the standards ask
 * for, check what they forbid, write the result deterministically. See finish.h.
 *
 * The order: read (refusing encryption) → resolve the metadata from the options and the
 * input's Info → PDF/UA's prerequisites → check every object and content stream
 * (check.c) → catalogue
 * (XMP, /Lang, output intent, PDF/UA keys, page labels from page 0) → Info → pages and annotations → structure tree
 * (structure.c) → associated files → write. Everything that can fail for a reason the
 * caller can fix (a missing title under ua-1, an unreadable ICC profile) fails before the
 * document is touched.
 *
 * Writing: object streams off (cairo writes none), streams that are already compressed
 * are copied as they are (decode level none), qpdf compresses nothing and the streams the
 * stage adds or changes come compressed (flate.c), the XMP packet stays uncompressed, every stream ends with
 * an end-of-line before `endstream` (ISO 19005-2 §6.1.7.1), and the /ID is qpdf's
 * deterministic one: an MD5 digest of the written file.
 */
#include <string.h>

#include "../util/error.h"
#include "finish-private.h"

/* Sets the defaults; see finish.h. */
void imp__finish_options_init(ImpFinishOptions *o)
{
    g_return_if_fail(o != NULL);
    memset(o, 0, sizeof *o);
    o->creation_time = -1;
    o->modification_time = -1;
}

/* ------------------------------------------------------------------------------------
 * The ICC profile of the output intent
 * ------------------------------------------------------------------------------------ */

/* Reads the profile at `path` and checks that it can be a PDF/A output intent's
 * destination profile (ISO 19005-2 §6.2.3): an ICC profile ('acsp'), of the monitor or
 * output class, in RGB, since cairo paints in DeviceRGB (§6.2.4.3). *data is the whole
 * file (transfer full). */
static gboolean load_icc(const char *path, GBytes **data, GError **error)
{
    char *bytes = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &bytes, &len, &e)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: cannot read the sRGB ICC profile for the PDF/A output intent "
                    "(Debian package icc-profiles-free): %s",
                    path, e->message);
        g_error_free(e);
        return FALSE;
    }
    const guchar *b = (const guchar *)bytes;
    const char *problem = NULL;
    if (len < 132 || memcmp(b + 36, "acsp", 4) != 0)
        problem = "not an ICC profile";
    else if (((guint32)b[0] << 24 | (guint32)b[1] << 16 | (guint32)b[2] << 8 | b[3]) != len)
        problem = "its header's size does not match the file";
    else if (memcmp(b + 12, "mntr", 4) != 0 && memcmp(b + 12, "prtr", 4) != 0)
        problem = "not a monitor or output profile (ISO 19005-2 §6.2.3)";
    else if (memcmp(b + 16, "RGB ", 4) != 0)
        problem = "not an RGB profile, and cairo paints in DeviceRGB (ISO 19005-2 §6.2.4.3)";
    else if (b[8] > 4)
        problem = "an ICC version newer than 4, which PDF 1.7 does not know";
    if (problem != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: cannot be the PDF/A output intent's profile: %s", path, problem);
        g_free(bytes);
        return FALSE;
    }
    *data = g_bytes_new_take(bytes, len);
    return TRUE;
}

/* Puts the sRGB output intent on the catalogue (ISO 19005-2 §6.2.3), replacing any. */
static void add_output_intent(qpdf_data q, qpdf_oh root, GBytes *icc, ImpFlate *flate)
{
    gsize len;
    const guchar *data = g_bytes_get_data(icc, &len);
    qpdf_oh profile = qpdf_oh_new_stream(q);
    imp__flate_set_stream(flate, q, profile, data, len);
    qpdf_oh pdict = qpdf_oh_get_dict(q, profile);
    qpdf_oh n = qpdf_oh_new_integer(q, 3);
    qpdf_oh_replace_key(q, pdict, "/N", n);

    qpdf_oh intent = qpdf_oh_new_dictionary(q);
    qpdf_oh v;
    qpdf_oh_replace_key(q, intent, "/Type", v = qpdf_oh_new_name(q, "/OutputIntent"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, intent, "/S", v = qpdf_oh_new_name(q, "/GTS_PDFA1"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, intent, "/OutputConditionIdentifier",
                        v = qpdf_oh_new_string(q, "sRGB IEC61966-2.1"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, intent, "/Info", v = qpdf_oh_new_string(q, "sRGB IEC61966-2.1"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, intent, "/RegistryName",
                        v = qpdf_oh_new_string(q, "http://www.color.org"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, intent, "/DestOutputProfile", profile);
    qpdf_oh intents = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, intents, intent);
    qpdf_oh_replace_key(q, root, "/OutputIntents", intents);
    qpdf_oh handles[] = { profile, pdict, n, intent, intents };
    for (gsize i = 0; i < G_N_ELEMENTS(handles); i++)
        qpdf_oh_release(q, handles[i]);
}

/* ------------------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------------------ */

/* An Info key with its option: the option wins; NULL keeps the input's; "" removes. */
static char *resolve_text(qpdf_data q, qpdf_oh info, const char *key, const char *option)
{
    if (option != NULL)
        return option[0] != '\0' ? imp__xml_clean(option) : NULL;
    char *s = imp__qpdf_get_text(q, info, key);
    char *clean = s != NULL && s[0] != '\0' ? imp__xml_clean(s) : NULL;
    g_free(s);
    return clean;
}

/* A date from the option, else from the input's Info (cairo 1.16 writes it without "D:"),
 * else none. Fails for an Info date that is not a date: it could not be carried over. */
static gboolean resolve_date(qpdf_data q, qpdf_oh info, const char *key, gint64 option,
                             gint64 *t, GError **error)
{
    *t = option;
    if (option >= 0)
        return TRUE;
    char *s = imp__qpdf_get_text(q, info, key);
    gboolean ok = s == NULL || imp__pdf_date_parse(s, t);
    if (!ok)
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "cannot finish the PDF: its Info %s '%s' is not a PDF date", key + 1, s);
    g_free(s);
    return ok;
}

/* Fills *m from the options, the input's Info dictionary and catalogue /Lang. */
static gboolean resolve_meta(qpdf_data q, qpdf_oh root, const ImpFinishOptions *o, ImpMeta *m,
                             GError **error)
{
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh info = imp__qpdf_get(q, trailer, "/Info");
    m->title = resolve_text(q, info, "/Title", o->title);
    m->author = resolve_text(q, info, "/Author", o->author);
    m->subject = resolve_text(q, info, "/Subject", o->subject);
    m->keywords = resolve_text(q, info, "/Keywords", o->keywords);
    m->creator = resolve_text(q, info, "/Creator", o->creator);
    m->producer = resolve_text(q, info, "/Producer", o->producer);
    m->source = o->source != NULL && o->source[0] != '\0' ? imp__xml_clean(o->source) : NULL;
    if (o->language != NULL)
        m->language = o->language[0] != '\0' ? g_strdup(o->language) : NULL;
    else
        m->language = imp__qpdf_get_text(q, root, "/Lang");
    gboolean ok = resolve_date(q, info, "/CreationDate", o->creation_time, &m->created, error) &&
                  resolve_date(q, info, "/ModDate", o->modification_time, &m->modified, error);
    qpdf_oh_release(q, info);
    qpdf_oh_release(q, trailer);
    if (ok && m->language != NULL && !imp__language_tag_valid(m->language)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "document language '%s' is not a BCP 47 language tag (such as 'en' or "
                    "'zh-Hans')",
                    m->language);
        ok = FALSE;
    }
    ImpPdfStandards s = o->standards;
    m->pdfa_part = (s & IMP_PDF_A_2) ? 2 : (s & IMP_PDF_A_3) ? 3 : 0;
    m->pdfa_level = (s & IMP_PDF_A_U) ? 'U' : 'B';
    m->pdfua = (s & IMP_PDF_UA_1) != 0;
    return ok;
}

/* Replaces or removes one text entry of the Info dictionary. */
static void set_info_text(qpdf_data q, qpdf_oh info, const char *key, const char *value)
{
    if (value == NULL) {
        qpdf_oh_remove_key(q, info, key);
        return;
    }
    qpdf_oh v = qpdf_oh_new_unicode_string(q, value);
    qpdf_oh_replace_key(q, info, key, v);
    qpdf_oh_release(q, v);
}

/* Replaces or removes one date entry of the Info dictionary. */
static void set_info_date(qpdf_data q, qpdf_oh info, const char *key, gint64 t)
{
    char *d = t >= 0 ? imp__pdf_date(t) : NULL;
    set_info_text(q, info, key, d);
    g_free(d);
}

/* Writes the Info dictionary from m (other keys the input had are kept). */
static void write_info(qpdf_data q, const ImpMeta *m)
{
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh info = imp__qpdf_get(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, info)) {
        qpdf_oh_release(q, info);
        qpdf_oh d = qpdf_oh_new_dictionary(q);
        info = qpdf_make_indirect_object(q, d);
        qpdf_oh_release(q, d);
        qpdf_oh_replace_key(q, trailer, "/Info", info);
    }
    set_info_text(q, info, "/Title", m->title);
    set_info_text(q, info, "/Author", m->author);
    set_info_text(q, info, "/Subject", m->subject);
    set_info_text(q, info, "/Keywords", m->keywords);
    set_info_text(q, info, "/Creator", m->creator);
    set_info_text(q, info, "/Producer", m->producer);
    set_info_date(q, info, "/CreationDate", m->created);
    set_info_date(q, info, "/ModDate", m->modified);
    qpdf_oh_release(q, info);
    qpdf_oh_release(q, trailer);
}

/* Puts the XMP packet on the catalogue as its /Metadata stream. */
static void write_xmp(qpdf_data q, qpdf_oh root, const ImpMeta *m)
{
    gsize len;
    char *xmp = imp__xmp_packet(m, &len);
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh n1 = qpdf_oh_new_null(q), n2 = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, s, (const unsigned char *)xmp, len, n1, n2);
    g_free(xmp);
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    qpdf_oh v;
    qpdf_oh_replace_key(q, d, "/Type", v = qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, d, "/Subtype", v = qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, root, "/Metadata", s);
    qpdf_oh_release(q, d);
    qpdf_oh_release(q, n1);
    qpdf_oh_release(q, n2);
    qpdf_oh_release(q, s);
}

/* ------------------------------------------------------------------------------------
 * Catalogue
 * ------------------------------------------------------------------------------------ */

/* What PDF/UA-1 needs of the document before anything is written: a structure tree
 * (§7.1), a title (§7.1: dc:title) and a language (§7.2). */
static gboolean check_ua_prerequisites(qpdf_data q, qpdf_oh root, const ImpMeta *m,
                                       ImpPdfStandards set, GError **error)
{
    qpdf_oh tree = imp__qpdf_get(q, root, "/StructTreeRoot");
    gboolean tagged = qpdf_oh_is_dictionary(q, tree);
    qpdf_oh_release(q, tree);
    if (!tagged) {
        imp__refuse(error, set, IMP_RULE_PDFUA, "7.1",
                    "the document is not tagged: it has no structure tree (/StructTreeRoot)");
        return FALSE;
    }
    if (m->title == NULL) {
        imp__refuse(error, set, IMP_RULE_PDFUA, "7.1",
                    "the document has no title for the metadata's dc:title");
        return FALSE;
    }
    if (m->language == NULL) {
        imp__refuse(error, set, IMP_RULE_PDFUA, "7.2",
                    "the document's natural language is not known (no /Lang)");
        return FALSE;
    }
    qpdf_oh mark = imp__qpdf_get(q, root, "/MarkInfo");
    qpdf_oh suspects = imp__qpdf_get(q, mark, "/Suspects");
    gboolean suspect = qpdf_oh_is_bool(q, suspects) && qpdf_oh_get_bool_value(q, suspects);
    qpdf_oh_release(q, suspects);
    qpdf_oh_release(q, mark);
    if (suspect) {
        imp__refuse(error, set, IMP_RULE_PDFUA, "7.1",
                    "the document's /MarkInfo says its tags are suspect (/Suspects true)");
        return FALSE;
    }
    return TRUE;
}

/* Sets dict[key] to a boolean. */
static void set_bool(qpdf_data q, qpdf_oh dict, const char *key, gboolean value)
{
    qpdf_oh v = qpdf_oh_new_bool(q, value);
    qpdf_oh_replace_key(q, dict, key, v);
    qpdf_oh_release(q, v);
}

/* Catalogue keys of PDF/UA-1: /MarkInfo /Marked true (§6.2) and /ViewerPreferences
 * /DisplayDocTitle true (§7.1), keeping what else those dictionaries hold. */
static void write_ua_catalogue(qpdf_data q, qpdf_oh root)
{
    qpdf_oh mark = imp__qpdf_ensure_dict(q, root, "/MarkInfo");
    set_bool(q, mark, "/Marked", TRUE);
    qpdf_oh_release(q, mark);
    qpdf_oh prefs = imp__qpdf_ensure_dict(q, root, "/ViewerPreferences");
    set_bool(q, prefs, "/DisplayDocTitle", TRUE);
    qpdf_oh_release(q, prefs);
}

/* Makes sure the catalogue has page labels that start at page index 0, as ISO 32000-1
 * §12.4.2 wants: decimal from 1 when there are none, or when the tree's first entry is for
 * a later page (cairo 1.16 writes an entry only where the numbering breaks). The labels a
 * reader sees do not change: pages are numbered from 1 by default. */
static void ensure_page_labels(qpdf_data q, qpdf_oh root)
{
    qpdf_oh labels = imp__qpdf_ensure_dict(q, root, "/PageLabels");
    qpdf_oh nums = imp__qpdf_get(q, labels, "/Nums");
    gboolean has_nums = qpdf_oh_is_array(q, nums);
    gboolean starts = FALSE;
    if (has_nums && qpdf_oh_get_array_n_items(q, nums) >= 2) {
        qpdf_oh first = qpdf_oh_get_array_item(q, nums, 0);
        starts = qpdf_oh_is_integer(q, first) && qpdf_oh_get_int_value(q, first) == 0;
        qpdf_oh_release(q, first);
    }
    if (!starts && !imp__qpdf_has(q, labels, "/Kids")) {
        qpdf_oh fresh = qpdf_oh_new_array(q);
        qpdf_oh zero = qpdf_oh_new_integer(q, 0), style = qpdf_oh_new_dictionary(q), v;
        qpdf_oh_replace_key(q, style, "/S", v = qpdf_oh_new_name(q, "/D"));
        qpdf_oh_release(q, v);
        qpdf_oh_append_item(q, fresh, zero);
        qpdf_oh_append_item(q, fresh, style);
        int n = has_nums ? qpdf_oh_get_array_n_items(q, nums) : 0;
        for (int i = 0; i < n; i++) {
            qpdf_oh item = qpdf_oh_get_array_item(q, nums, i);
            qpdf_oh_append_item(q, fresh, item);
            qpdf_oh_release(q, item);
        }
        qpdf_oh_replace_key(q, labels, "/Nums", fresh);
        qpdf_oh handles[] = { fresh, zero, style };
        for (gsize i = 0; i < G_N_ELEMENTS(handles); i++)
            qpdf_oh_release(q, handles[i]);
    }
    qpdf_oh_release(q, nums);
    qpdf_oh_release(q, labels);
}

/* ------------------------------------------------------------------------------------
 * Annotations
 * ------------------------------------------------------------------------------------ */

/* Annotation types of ISO 32000-1 Table 169 that PDF/A allows (§6.3.1 removes 3D, Sound,
 * Screen and Movie). */
static const char *const allowed_annotations[] = {
    "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
    "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink",
    "/Popup", "/FileAttachment", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark",
    "/Redact", NULL
};

/* An alternative description for a link with none (PDF/UA-1 §7.18.5): where it leads.
 * (transfer full) */
static char *link_description(qpdf_data q, qpdf_oh annot)
{
    qpdf_oh action = imp__qpdf_get(q, annot, "/A");
    char *uri = imp__qpdf_get_text(q, action, "/URI");
    qpdf_oh_release(q, action);
    if (uri != NULL) {
        char *clean = imp__xml_clean(uri);
        g_free(uri);
        return clean;
    }
    return g_strdup("Link within this document");
}

/* Finishes the annotations of page `page_no` (1-based): under PDF/A the print flag on and
 * the hiding flags off (§6.3.2), allowed types (§6.3.1), appearances (§6.3.3); under
 * PDF/UA-1 a description on each link (§7.18.5), links in the structure tree (§7.18.5),
 * and /Tabs /S on the page (§7.18.3 asks it of pages with annotations; every page gets it,
 * so that a page's tab order follows the structure whatever is added to it later). */
static gboolean finish_annotations(qpdf_data q, qpdf_oh page, int page_no, ImpPdfStandards set,
                                   GError **error)
{
    gboolean pdfa = (set & IMP_PDF_A) != 0, ua = (set & IMP_PDF_UA_1) != 0;
    qpdf_oh annots = imp__qpdf_get(q, page, "/Annots");
    int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
    gboolean ok = TRUE;
    for (int i = 0; ok && i < n; i++) {
        qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
        char *subtype = imp__qpdf_get_name(q, a, "/Subtype");
        gboolean known = FALSE;
        for (int k = 0; subtype != NULL && allowed_annotations[k] != NULL; k++)
            known = known || strcmp(subtype, allowed_annotations[k]) == 0;
        gboolean link = subtype != NULL && strcmp(subtype, "/Link") == 0;
        gboolean popup = subtype != NULL && strcmp(subtype, "/Popup") == 0;
        if (pdfa && !known) {
            imp__refuse(error, set, IMP_RULE_PDFA, "6.3.1",
                        "page %d has an annotation of type %s, which PDF/A does not allow",
                        page_no, subtype != NULL ? subtype : "(none)");
            ok = FALSE;
        }
        if (ok && pdfa && !popup) {
            /* Print on; Invisible, Hidden, NoView and ToggleNoView off */
            qpdf_oh f = imp__qpdf_get(q, a, "/F");
            long long flags = qpdf_oh_is_integer(q, f) ? qpdf_oh_get_int_value(q, f) : 0;
            qpdf_oh_release(q, f);
            flags = (flags | 4) & ~(long long)(1 | 2 | 32 | 256);
            qpdf_oh v = qpdf_oh_new_integer(q, flags);
            qpdf_oh_replace_key(q, a, "/F", v);
            qpdf_oh_release(q, v);
        }
        if (ok && pdfa && !link && !popup) {
            qpdf_oh ap = imp__qpdf_get(q, a, "/AP");
            gboolean has_n = imp__qpdf_has(q, ap, "/N");
            char **keys = imp__qpdf_keys(q, ap);
            guint n_keys = g_strv_length(keys);
            g_strfreev(keys);
            qpdf_oh_release(q, ap);
            if (!has_n || n_keys != 1) {
                imp__refuse(error, set, IMP_RULE_PDFA, "6.3.3",
                            "page %d has a %s annotation without an appearance stream of "
                            "its own (/AP with only /N)",
                            page_no, subtype != NULL ? subtype : "(untyped)");
                ok = FALSE;
            }
        }
        if (ok && ua && link) {
            if (!imp__qpdf_has(q, a, "/StructParent")) {
                imp__refuse(error, set, IMP_RULE_PDFUA, "7.18.5",
                            "a link on page %d is not in the structure tree (no Link element)",
                            page_no);
                ok = FALSE;
            } else if (!imp__qpdf_has(q, a, "/Contents")) {
                char *desc = link_description(q, a);
                qpdf_oh v = qpdf_oh_new_unicode_string(q, desc);
                qpdf_oh_replace_key(q, a, "/Contents", v);
                qpdf_oh_release(q, v);
                g_free(desc);
            }
        }
        g_free(subtype);
        qpdf_oh_release(q, a);
    }
    if (ok && ua) {
        qpdf_oh v = qpdf_oh_new_name(q, "/S");
        qpdf_oh_replace_key(q, page, "/Tabs", v);
        qpdf_oh_release(q, v);
    }
    qpdf_oh_release(q, annots);
    return ok;
}

/* ------------------------------------------------------------------------------------
 * Associated files (PDF/A-3 §6.8)
 * ------------------------------------------------------------------------------------ */

/* One embedded file: its name-tree key and its file specification. */
typedef struct {
    char *key;
    qpdf_oh spec;
} Embedded;

static gint compare_embedded(gconstpointer a, gconstpointer b)
{
    return strcmp(((const Embedded *)a)->key, ((const Embedded *)b)->key);
}

/* Makes the file specification of `file` with its embedded file stream: /F and /UF, the
 * relationship, the MIME type as /Subtype, and /Params with /Size, /ModDate and an MD5
 * /CheckSum. Returns the (indirect) file specification's handle. */
static qpdf_oh embed_file(qpdf_data q, const ImpFinishFile *file, const char *relationship,
                          gint64 fallback_mtime, ImpFlate *flate)
{
    gsize len;
    const guchar *data = g_bytes_get_data(file->data, &len);
    qpdf_oh stream = qpdf_oh_new_stream(q);
    imp__flate_set_stream(flate, q, stream, data, len);
    qpdf_oh sd = qpdf_oh_get_dict(q, stream);
    qpdf_oh v;
    qpdf_oh_replace_key(q, sd, "/Type", v = qpdf_oh_new_name(q, "/EmbeddedFile"));
    qpdf_oh_release(q, v);
    char *mime = g_strconcat("/", file->mime_type != NULL ? file->mime_type
                                                          : "application/octet-stream",
                             NULL);
    qpdf_oh_replace_key(q, sd, "/Subtype", v = qpdf_oh_new_name(q, mime));
    qpdf_oh_release(q, v);
    g_free(mime);
    qpdf_oh params = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, params, "/Size", v = qpdf_oh_new_integer(q, (long long)len));
    qpdf_oh_release(q, v);
    gint64 mtime = file->mtime >= 0 ? file->mtime : fallback_mtime;
    if (mtime >= 0) {
        char *d = imp__pdf_date(mtime);
        qpdf_oh_replace_key(q, params, "/ModDate", v = qpdf_oh_new_string(q, d));
        qpdf_oh_release(q, v);
        g_free(d);
    }
    guint8 digest[16];
    gsize digest_len = sizeof digest;
    GChecksum *md5 = g_checksum_new(G_CHECKSUM_MD5);
    g_checksum_update(md5, data, len);
    g_checksum_get_digest(md5, digest, &digest_len);
    g_checksum_free(md5);
    qpdf_oh_replace_key(q, params, "/CheckSum",
                        v = qpdf_oh_new_binary_string(q, (const char *)digest, digest_len));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, sd, "/Params", params);

    qpdf_oh spec_direct = qpdf_oh_new_dictionary(q);
    qpdf_oh spec = qpdf_make_indirect_object(q, spec_direct);
    qpdf_oh_replace_key(q, spec, "/Type", v = qpdf_oh_new_name(q, "/Filespec"));
    qpdf_oh_release(q, v);
    char *name = imp__xml_clean(file->name);
    qpdf_oh_replace_key(q, spec, "/F", v = qpdf_oh_new_unicode_string(q, name));
    qpdf_oh_release(q, v);
    qpdf_oh_replace_key(q, spec, "/UF", v = qpdf_oh_new_unicode_string(q, name));
    qpdf_oh_release(q, v);
    g_free(name);
    if (file->description != NULL) {
        char *desc = imp__xml_clean(file->description);
        qpdf_oh_replace_key(q, spec, "/Desc", v = qpdf_oh_new_unicode_string(q, desc));
        qpdf_oh_release(q, v);
        g_free(desc);
    }
    qpdf_oh_replace_key(q, spec, "/AFRelationship", v = qpdf_oh_new_name(q, relationship));
    qpdf_oh_release(q, v);
    qpdf_oh ef = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, ef, "/F", stream);
    qpdf_oh_replace_key(q, ef, "/UF", stream);
    qpdf_oh_replace_key(q, spec, "/EF", ef);
    qpdf_oh_release(q, ef);
    qpdf_oh_release(q, spec_direct);
    qpdf_oh_release(q, params);
    qpdf_oh_release(q, sd);
    qpdf_oh_release(q, stream);
    return spec;
}

/* Whether s is type/subtype, each of ASCII letters, digits and "-+._" (the form veraPDF
 * checks for PDF/A-3 §6.8). */
static gboolean mime_type_valid(const char *s)
{
    int slashes = 0;
    gsize part = 0;
    for (; *s != '\0'; s++) {
        if (*s == '/') {
            if (part == 0)
                return FALSE;
            slashes++;
            part = 0;
        } else if (g_ascii_isalnum(*s) || strchr("-+._", *s) != NULL) {
            part++;
        } else {
            return FALSE;
        }
    }
    return slashes == 1 && part > 0;
}

/* Checks one file of the options. */
static gboolean check_file(const ImpFinishFile *f, const char *what, GError **error)
{
    if (f->name == NULL || f->name[0] == '\0' || f->data == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "the %s to embed has no %s", what,
                    f->data == NULL ? "contents" : "name");
        return FALSE;
    }
    if (f->mime_type != NULL && !mime_type_valid(f->mime_type)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "%s: '%s' is not a MIME type (such as text/plain)", f->name, f->mime_type);
        return FALSE;
    }
    return TRUE;
}

/* Embeds the source file (/Source) and the attachments (/Supplement): each listed in the
 * catalogue's /AF (associated files of the document) and in the /EmbeddedFiles name tree,
 * which is sorted by name, as a name tree must be. Refused under PDF/A-2, which allows
 * only embedded PDF/A files (ISO 19005-2 §6.8). */
static gboolean embed_files(qpdf_data q, qpdf_oh root, const ImpFinishOptions *o,
                            const ImpMeta *m, ImpFlate *flate, GError **error)
{
    guint n = (o->source_file != NULL ? 1 : 0) + o->n_attachments;
    if (n == 0)
        return TRUE;
    if (o->standards & IMP_PDF_A_2) {
        imp__refuse(error, o->standards, IMP_RULE_PDFA, "6.8",
                    "PDF/A-2 embeds only PDF/A files; '%s' needs PDF/A-3 (a-3b or a-3u)",
                    o->source_file != NULL ? o->source_file->name : o->attachments[0].name);
        return FALSE;
    }
    if (o->source_file != NULL && !check_file(o->source_file, "source file", error))
        return FALSE;
    for (guint i = 0; i < o->n_attachments; i++)
        if (!check_file(&o->attachments[i], "attachment", error))
            return FALSE;
    qpdf_oh names = imp__qpdf_get(q, root, "/Names");
    gboolean has_tree = imp__qpdf_has(q, names, "/EmbeddedFiles");
    qpdf_oh_release(q, names);
    if (has_tree) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                    "cannot finish the PDF: it already has embedded files");
        return FALSE;
    }

    GArray *files = g_array_new(FALSE, FALSE, sizeof(Embedded));
    qpdf_oh af = imp__qpdf_get(q, root, "/AF");
    if (!qpdf_oh_is_array(q, af)) {
        qpdf_oh_release(q, af);
        af = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, root, "/AF", af);
    }
    for (guint i = 0; i < n; i++) {
        gboolean is_source = o->source_file != NULL && i == 0;
        const ImpFinishFile *f = is_source ? o->source_file
                               : &o->attachments[i - (o->source_file != NULL ? 1 : 0)];
        Embedded e = { imp__xml_clean(f->name), 0 };
        for (guint k = 0; k < files->len; k++) {
            if (strcmp(g_array_index(files, Embedded, k).key, e.key) == 0) {
                g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                            "two files to embed are named '%s'", e.key);
                g_free(e.key);
                for (guint j = 0; j < files->len; j++) {
                    g_free(g_array_index(files, Embedded, j).key);
                    qpdf_oh_release(q, g_array_index(files, Embedded, j).spec);
                }
                g_array_free(files, TRUE);
                qpdf_oh_release(q, af);
                return FALSE;
            }
        }
        e.spec = embed_file(q, f, is_source ? "/Source" : "/Supplement", m->modified, flate);
        qpdf_oh_append_item(q, af, e.spec);
        g_array_append_val(files, e);
    }
    g_array_sort(files, compare_embedded);
    qpdf_oh leaf = qpdf_oh_new_array(q);
    for (guint i = 0; i < files->len; i++) {
        Embedded *e = &g_array_index(files, Embedded, i);
        qpdf_oh key = qpdf_oh_new_unicode_string(q, e->key);
        qpdf_oh_append_item(q, leaf, key);
        qpdf_oh_append_item(q, leaf, e->spec);
        qpdf_oh_release(q, key);
        qpdf_oh_release(q, e->spec);
        g_free(e->key);
    }
    g_array_free(files, TRUE);
    names = imp__qpdf_ensure_dict(q, root, "/Names");
    qpdf_oh tree = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, tree, "/Names", leaf);
    qpdf_oh_replace_key(q, names, "/EmbeddedFiles", tree);
    qpdf_oh_release(q, tree);
    qpdf_oh_release(q, leaf);
    qpdf_oh_release(q, names);
    qpdf_oh_release(q, af);
    return TRUE;
}

/* ------------------------------------------------------------------------------------
 * The pass
 * ------------------------------------------------------------------------------------ */

/* Reads `pdf` into q. Refuses an encrypted file (ISO 19005-2 §6.1.3) and any file qpdf
 * had to repair or warned about: the input is cairo's own output, so a warning means
 * something went wrong before this stage. */
static gboolean read_pdf(qpdf_data q, GBytes *pdf, ImpPdfStandards set, GError **error)
{
    gsize len;
    const char *data = g_bytes_get_data(pdf, &len);
    qpdf_set_attempt_recovery(q, QPDF_FALSE);
    qpdf_read_memory(q, "PDF", data, len, NULL);
    if (!imp__qpdf_ok(q, error))
        return FALSE;
    if (qpdf_more_warnings(q)) {
        qpdf_error w = qpdf_next_warning(q);
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "cannot finish the PDF: %s",
                    qpdf_get_error_full_text(q, w));
        return FALSE;
    }
    if (qpdf_is_encrypted(q)) {
        if (set & IMP_PDF_A)
            imp__refuse(error, set, IMP_RULE_PDFA, "6.1.3", "the PDF is encrypted");
        else
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "cannot finish the PDF: it is encrypted");
        return FALSE;
    }
    return TRUE;
}

/* Writes the document into *out with the fixed settings of the file comment. */
static gboolean write_pdf(qpdf_data q, ImpPdfStandards set, GBytes **out, GError **error)
{
    qpdf_init_write_memory(q);
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    qpdf_set_compress_streams(q, QPDF_FALSE); /* flate.c compresses what is added */
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_preserve_unreferenced_objects(q, QPDF_FALSE);
    qpdf_set_newline_before_endstream(q, QPDF_TRUE);
    qpdf_set_linearization(q, QPDF_FALSE);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (set != 0)
        qpdf_force_pdf_version(q, "1.7");
    qpdf_write(q);
    if (!imp__qpdf_ok(q, error))
        return FALSE;
    if (qpdf_more_warnings(q)) {
        qpdf_error w = qpdf_next_warning(q);
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "cannot finish the PDF: %s",
                    qpdf_get_error_full_text(q, w));
        return FALSE;
    }
    *out = g_bytes_new(qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    return TRUE;
}

/* The steps between reading and writing; see the file comment. */
static gboolean finish(qpdf_data q, const ImpFinishOptions *o, GBytes *icc, ImpFlate *flate,
                       GError **error)
{
    ImpPdfStandards set = o->standards;
    ImpMeta m = { 0 };
    imp__meta_clear(&m);
    qpdf_oh root = qpdf_get_root(q);
    gboolean ok = resolve_meta(q, root, o, &m, error) &&
                  (!(set & IMP_PDF_UA_1) || check_ua_prerequisites(q, root, &m, set, error)) &&
                  imp__finish_check(q, set, flate, error);
    if (ok) {
        write_xmp(q, root, &m);
        if (m.language != NULL) {
            qpdf_oh v = qpdf_oh_new_unicode_string(q, m.language);
            qpdf_oh_replace_key(q, root, "/Lang", v);
            qpdf_oh_release(q, v);
        }
        if (set & IMP_PDF_A)
            add_output_intent(q, root, icc, flate);
        if (set & IMP_PDF_UA_1)
            write_ua_catalogue(q, root);
        ensure_page_labels(q, root);
        write_info(q, &m);
    }
    int n_pages = ok ? qpdf_get_num_pages(q) : 0;
    for (int p = 0; ok && p < n_pages; p++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
        ok = finish_annotations(q, page, p + 1, set, error);
        qpdf_oh_release(q, page);
    }
    ok = ok && imp__finish_structure(q, o, m.language, error) &&
         embed_files(q, root, o, &m, flate, error) && imp__qpdf_ok(q, error);
    qpdf_oh_release(q, root);
    imp__meta_clear(&m);
    return ok;
}

/* Runs the post-pass; see finish.h. */
gboolean imp__finish_pdf(GBytes *pdf, const ImpFinishOptions *options, GBytes **out,
                         GError **error)
{
    g_return_val_if_fail(pdf != NULL && options != NULL && out != NULL, FALSE);
    g_return_val_if_fail(options->n_attachments == 0 || options->attachments != NULL, FALSE);
    *out = NULL;
    if (!imp__pdf_standards_check(options->standards, error))
        return FALSE;
    GBytes *icc = NULL;
    if ((options->standards & IMP_PDF_A) &&
        !load_icc(options->icc_profile != NULL ? options->icc_profile
                                               : IMP_FINISH_ICC_PROFILE,
                  &icc, error))
        return FALSE;
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    ImpFlate flate;
    imp__flate_init(&flate);
    gboolean ok = read_pdf(q, pdf, options->standards, error) &&
                  finish(q, options, icc, &flate, error) &&
                  write_pdf(q, options->standards, out, error);
    imp__flate_clear(&flate);
    qpdf_cleanup(&q);
    if (icc != NULL)
        g_bytes_unref(icc);
    return ok;
}
