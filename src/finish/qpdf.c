/* qpdf.c — small helpers over libqpdf's C API, and the errors of the finish stage.
 *
 * The C API reports an error by a flag that must be checked after the calls (it returns a
 * harmless fallback value meanwhile), and hands out object handles that live until
 * released. These helpers release the handles they take, so a walk over thousands of
 * objects keeps the handle table small.
 */
#include <stdarg.h>
#include <string.h>

#include "../util/error.h"
#include "finish-private.h"

/* The label and ISO number of the standard of `family` in `set`. */
static void rule_label(ImpPdfStandards set, ImpRuleFamily family, const char **label,
                       const char **iso)
{
    if (family == IMP_RULE_PDFUA) {
        *label = "PDF/UA-1";
        *iso = "ISO 14289-1";
    } else if (set & IMP_PDF_A_3U) {
        *label = "PDF/A-3u";
        *iso = "ISO 19005-3";
    } else if (set & IMP_PDF_A_3B) {
        *label = "PDF/A-3b";
        *iso = "ISO 19005-3";
    } else if (set & IMP_PDF_A_2U) {
        *label = "PDF/A-2u";
        *iso = "ISO 19005-2";
    } else {
        *label = "PDF/A-2b";
        *iso = "ISO 19005-2";
    }
}

/* Sets the error naming a rule; see finish-private.h. */
void imp__refuse(GError **error, ImpPdfStandards set, ImpRuleFamily family,
                 const char *clause, const char *format, ...)
{
    const char *label, *iso;
    rule_label(set, family, &label, &iso);
    va_list ap;
    va_start(ap, format);
    char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "%s (%s §%s): %s", label, iso, clause,
                msg);
    g_free(msg);
}

/* Turns qpdf's pending error into a GError; see finish-private.h. */
gboolean imp__qpdf_ok(qpdf_data q, GError **error)
{
    if (!qpdf_has_error(q))
        return TRUE;
    qpdf_error e = qpdf_get_error(q);
    g_set_error(error, IMP_ERROR, IMP_ERROR_OUTPUT, "cannot finish the PDF: %s",
                e != NULL ? qpdf_get_error_full_text(q, e) : "libqpdf failed");
    return FALSE;
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted keys of a dictionary; see finish-private.h. */
char **imp__qpdf_keys(qpdf_data q, qpdf_oh dict)
{
    GPtrArray *keys = g_ptr_array_new();
    qpdf_oh d = 0;
    if (qpdf_oh_is_stream(q, dict))
        dict = d = qpdf_oh_get_dict(q, dict);
    if (qpdf_oh_is_dictionary(q, dict)) {
        qpdf_oh_begin_dict_key_iter(q, dict);
        while (qpdf_oh_dict_more_keys(q))
            g_ptr_array_add(keys, g_strdup(qpdf_oh_dict_next_key(q)));
    }
    if (d != 0)
        qpdf_oh_release(q, d);
    /* qpdf iterates a std::map, so this is already sorted; sorting keeps the walk's order
       independent of that */
    g_ptr_array_sort(keys, compare_strings);
    g_ptr_array_add(keys, NULL);
    return (char **)g_ptr_array_free(keys, FALSE);
}

/* dict[key], safely; see finish-private.h. */
qpdf_oh imp__qpdf_get(qpdf_data q, qpdf_oh dict, const char *key)
{
    if (qpdf_oh_is_dictionary(q, dict))
        return qpdf_oh_get_key(q, dict, key);
    if (qpdf_oh_is_stream(q, dict)) {
        qpdf_oh d = qpdf_oh_get_dict(q, dict);
        qpdf_oh v = qpdf_oh_get_key(q, d, key);
        qpdf_oh_release(q, d);
        return v;
    }
    return qpdf_oh_new_null(q);
}

/* Whether dict has key, safely; see finish-private.h. */
gboolean imp__qpdf_has(qpdf_data q, qpdf_oh dict, const char *key)
{
    if (qpdf_oh_is_dictionary(q, dict))
        return qpdf_oh_has_key(q, dict, key);
    if (qpdf_oh_is_stream(q, dict)) {
        qpdf_oh d = qpdf_oh_get_dict(q, dict);
        gboolean has = qpdf_oh_has_key(q, d, key);
        qpdf_oh_release(q, d);
        return has;
    }
    return FALSE;
}

/* Whether dict[key] is a given name; see finish-private.h. */
gboolean imp__qpdf_name_is(qpdf_data q, qpdf_oh dict, const char *key, const char *name)
{
    qpdf_oh v = imp__qpdf_get(q, dict, key);
    gboolean is = qpdf_oh_is_name_and_equals(q, v, name);
    qpdf_oh_release(q, v);
    return is;
}

/* dict[key] as a name; see finish-private.h. */
char *imp__qpdf_get_name(qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh v = imp__qpdf_get(q, dict, key);
    char *name = qpdf_oh_is_name(q, v) ? g_strdup(qpdf_oh_get_name(q, v)) : NULL;
    qpdf_oh_release(q, v);
    return name;
}

/* dict[key] as UTF-8 text; see finish-private.h. */
char *imp__qpdf_get_text(qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh v = imp__qpdf_get(q, dict, key);
    char *text = NULL;
    if (qpdf_oh_is_string(q, v)) {
        size_t len = 0;
        const char *s = qpdf_oh_get_binary_utf8_value(q, v, &len);
        text = g_strndup(s, len);
    }
    qpdf_oh_release(q, v);
    return text;
}

/* dict[key] as a dictionary, made when missing; see finish-private.h. */
qpdf_oh imp__qpdf_ensure_dict(qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh v = imp__qpdf_get(q, dict, key);
    if (qpdf_oh_is_dictionary(q, v))
        return v;
    qpdf_oh_release(q, v);
    v = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, dict, key, v);
    return v;
}
