/* standards.c — the names of the PDF standards (Typst's spelling) and which go together.
 *
 * A file claims at most one part and level of PDF/A (its XMP carries one pdfaid:part and
 * one pdfaid:conformance), so two PDF/A names are an impossible combination even when one
 * level includes the other. PDF/UA-1 goes with any of them, and "1.7" with everything
 * (every standard here is written as PDF 1.7).
 */
#include <string.h>

#include "../util/error.h"
#include "finish.h"

typedef struct {
    const char *name;
    ImpPdfStandard flag;
} Known;

static const Known known[] = {
    { "1.7", IMP_PDF_1_7 },   { "a-2b", IMP_PDF_A_2B }, { "a-2u", IMP_PDF_A_2U },
    { "a-3b", IMP_PDF_A_3B }, { "a-3u", IMP_PDF_A_3U }, { "ua-1", IMP_PDF_UA_1 },
};

/* Typst's names that imprint does not write, and why. */
typedef struct {
    const char *name;
    const char *why;
} Refused;

static const Refused refused[] = {
    { "1.4", "every standard imprint writes is PDF 1.7; use 1.7" },
    { "1.5", "every standard imprint writes is PDF 1.7; use 1.7" },
    { "1.6", "every standard imprint writes is PDF 1.7; use 1.7" },
    { "2.0", "PDF 2.0 is not written (cairo 1.16 writes PDF 1.7 at most); use 1.7" },
    { "a-1b", "PDF/A-1 (ISO 19005-1 §6.4) forbids the transparency groups cairo puts on "
              "every page; use a-2b" },
    { "a-1a", "PDF/A-1 (ISO 19005-1 §6.4) forbids the transparency groups cairo puts on "
              "every page; use a-2u" },
    { "a-2a", "level A needs every content item tagged and every artifact marked, which "
              "imprint does not yet guarantee; use a-2u,ua-1" },
    { "a-3a", "level A needs every content item tagged and every artifact marked, which "
              "imprint does not yet guarantee; use a-3u,ua-1" },
    { "a-4", "PDF/A-4 is based on PDF 2.0, which is not written; use a-3u" },
    { "a-4e", "PDF/A-4 is based on PDF 2.0, which is not written; use a-3u" },
    { "a-4f", "PDF/A-4 is based on PDF 2.0, which is not written; use a-3u" },
    { "ua-2", "PDF/UA-2 is based on PDF 2.0, which is not written; use ua-1" },
};

static const char *const known_list = "1.7, a-2b, a-2u, a-3b, a-3u, ua-1";

/* The name of one flag. */
static const char *flag_name(ImpPdfStandard flag)
{
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++)
        if (known[i].flag == flag)
            return known[i].name;
    return "?";
}

/* Checks the combination rule; see finish.h. */
gboolean imp__pdf_standards_check(ImpPdfStandards set, GError **error)
{
    ImpPdfStandard first = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        if (!(set & known[i].flag) || !(known[i].flag & IMP_PDF_A))
            continue;
        if (first != 0) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "PDF standards '%s' and '%s' cannot be combined: a file claims one "
                        "part and level of PDF/A",
                        flag_name(first), known[i].name);
            return FALSE;
        }
        first = known[i].flag;
    }
    if (set & ~(ImpPdfStandards)(IMP_PDF_1_7 | IMP_PDF_A | IMP_PDF_UA_1)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "unknown PDF standard flags 0x%x",
                    set & ~(ImpPdfStandards)(IMP_PDF_1_7 | IMP_PDF_A | IMP_PDF_UA_1));
        return FALSE;
    }
    return TRUE;
}

/* Parses a list of standard names; see finish.h. */
gboolean imp__pdf_standards_parse(const char *list, ImpPdfStandards *set, GError **error)
{
    g_return_val_if_fail(list != NULL && set != NULL, FALSE);
    ImpPdfStandards result = 0;
    /* g_strsplit gives no entry at all for "" */
    char **names = g_strsplit(*list != '\0' ? list : " ", ",", -1);
    gboolean ok = TRUE;
    for (char **n = names; ok && *n != NULL; n++) {
        char *name = g_strstrip(*n);
        if (*name == '\0') {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "PDF standard list '%s' has an empty entry (known: %s)", list,
                        known_list);
            ok = FALSE;
            break;
        }
        gboolean found = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(known) && !found; i++) {
            if (g_ascii_strcasecmp(name, known[i].name) == 0) {
                result |= known[i].flag;
                found = TRUE;
            }
        }
        for (gsize i = 0; i < G_N_ELEMENTS(refused) && !found; i++) {
            if (g_ascii_strcasecmp(name, refused[i].name) == 0) {
                g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                            "PDF standard '%s' is not supported: %s", name, refused[i].why);
                ok = FALSE;
                found = TRUE;
            }
        }
        if (!found) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT,
                        "unknown PDF standard '%s' (known: %s)", name, known_list);
            ok = FALSE;
        }
    }
    g_strfreev(names);
    if (ok && !imp__pdf_standards_check(result, error))
        ok = FALSE;
    if (ok)
        *set = result;
    return ok;
}

/* Spells a set as a list; see finish.h. */
char *imp__pdf_standards_to_string(ImpPdfStandards set)
{
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        if (set & known[i].flag) {
            if (s->len > 0)
                g_string_append_c(s, ',');
            g_string_append(s, known[i].name);
        }
    }
    return g_string_free(s, FALSE);
}
