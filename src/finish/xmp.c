/* xmp.c — the XMP packet, PDF and XMP date syntax, text that XML can carry.
 *
 * The packet is built from the same ImpMeta the Info dictionary is written from, with
 * the property each Info key corresponds to in PDF/A (ISO 19005-2 §6.6.3, Table 3): Title
 * → dc:title, Author → dc:creator, Subject → dc:description, Keywords → pdf:Keywords,
 * Creator → xmp:CreatorTool, Producer → pdf:Producer, CreationDate → xmp:CreateDate,
 * ModDate → xmp:ModifyDate. The PDF/UA identification schema is not one PDF/A predefines,
 * so under both it is declared with a PDF/A extension schema (§6.6.2.3).
 *
 * Invariants:
 *  1. Every text value is escaped (& < > " ') and holds only characters XML 1.0 allows.
 *  2. Dates are UTC in both syntaxes, to the second: the two forms name one instant.
 */
#include <string.h>

#include "finish-private.h"

/* Frees the strings of a metadata set and resets it. */
void imp__meta_clear(ImpMeta *meta)
{
    g_free(meta->title);
    g_free(meta->author);
    g_free(meta->subject);
    g_free(meta->keywords);
    g_free(meta->creator);
    g_free(meta->producer);
    g_free(meta->language);
    g_free(meta->source);
    memset(meta, 0, sizeof *meta);
    meta->created = meta->modified = -1;
}

/* Whether XML 1.0 (§2.2, Char) allows character c. */
static gboolean xml_char(gunichar c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* A copy holding only characters XML carries; see finish-private.h. */
char *imp__xml_clean(const char *s)
{
    if (s == NULL)
        return NULL;
    char *valid = g_utf8_make_valid(s, -1);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (xml_char(c))
            g_string_append_unichar(out, c);
    }
    g_free(valid);
    return g_string_free(out, FALSE);
}

/* Appends s with XML's five special characters escaped. */
static void append_escaped(GString *out, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&apos;"); break;
        default: g_string_append_c(out, *s); break;
        }
    }
}

/* Appends <name>value</name> on its own line when value is set. */
static void simple(GString *out, const char *name, const char *value)
{
    if (value == NULL)
        return;
    g_string_append_printf(out, "   <%s>", name);
    append_escaped(out, value);
    g_string_append_printf(out, "</%s>\n", name);
}

/* Appends a property holding an rdf:Alt (language alternatives: one x-default), an
 * rdf:Seq or an rdf:Bag of one item. */
static void container(GString *out, const char *name, const char *kind, const char *value)
{
    if (value == NULL)
        return;
    gboolean alt = strcmp(kind, "Alt") == 0;
    g_string_append_printf(out, "   <%s><rdf:%s><rdf:li%s>", name, kind,
                           alt ? " xml:lang=\"x-default\"" : "");
    append_escaped(out, value);
    g_string_append_printf(out, "</rdf:li></rdf:%s></%s>\n", kind, name);
}

/* The PDF/A extension schema that declares pdfuaid:part (ISO 19005-2 §6.6.2.3.3). */
static const char pdfua_extension[] =
    "   <pdfaExtension:schemas>\n"
    "    <rdf:Bag>\n"
    "     <rdf:li rdf:parseType=\"Resource\">\n"
    "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "      <pdfaSchema:property>\n"
    "       <rdf:Seq>\n"
    "        <rdf:li rdf:parseType=\"Resource\">\n"
    "         <pdfaProperty:name>part</pdfaProperty:name>\n"
    "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "         <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
    "followed</pdfaProperty:description>\n"
    "        </rdf:li>\n"
    "       </rdf:Seq>\n"
    "      </pdfaSchema:property>\n"
    "     </rdf:li>\n"
    "    </rdf:Bag>\n"
    "   </pdfaExtension:schemas>\n";

/* Builds the XMP packet; see finish-private.h. */
char *imp__xmp_packet(const ImpMeta *m, gsize *len)
{
    GString *out = g_string_new(NULL);
    /* no bytes or encoding attribute in the header (ISO 19005-2 §6.6.2.1) */
    g_string_append(out, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                         " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    if (m->pdfua && m->pdfa_part > 0) {
        /* in a description of its own, first: readers such as PDFBox's look for the
           extension schemas before they read the properties */
        g_string_append(out,
                        "  <rdf:Description rdf:about=\"\"\n"
                        "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
                        "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
                        "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n");
        g_string_append(out, pdfua_extension);
        g_string_append(out, "  </rdf:Description>\n");
    }
    g_string_append(out, "  <rdf:Description rdf:about=\"\"\n"
                         "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                         "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                         "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    if (m->pdfa_part > 0)
        g_string_append(out, "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    if (m->pdfua)
        g_string_append(out, "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    g_string_append(out, ">\n");
    simple(out, "dc:format", "application/pdf");
    container(out, "dc:title", "Alt", m->title);
    container(out, "dc:creator", "Seq", m->author);
    container(out, "dc:description", "Alt", m->subject);
    container(out, "dc:language", "Bag", m->language);
    simple(out, "dc:source", m->source);
    if (m->created >= 0) {
        char *d = imp__xmp_date(m->created);
        simple(out, "xmp:CreateDate", d);
        g_free(d);
    }
    if (m->modified >= 0) {
        char *d = imp__xmp_date(m->modified);
        simple(out, "xmp:ModifyDate", d);
        g_free(d);
    }
    simple(out, "xmp:CreatorTool", m->creator);
    simple(out, "pdf:Producer", m->producer);
    simple(out, "pdf:Keywords", m->keywords);
    if (m->pdfa_part > 0) {
        g_string_append_printf(out, "   <pdfaid:part>%d</pdfaid:part>\n", m->pdfa_part);
        g_string_append_printf(out, "   <pdfaid:conformance>%c</pdfaid:conformance>\n",
                               m->pdfa_level);
    }
    if (m->pdfua)
        g_string_append(out, "   <pdfuaid:part>1</pdfuaid:part>\n");
    g_string_append(out, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* room for an editor to update the packet in place, as the XMP specification
       recommends (2 KB) */
    for (int i = 0; i < 20; i++)
        g_string_append(out, "                                                                    "
                             "                                \n");
    g_string_append(out, "<?xpacket end=\"w\"?>");
    *len = out->len;
    return g_string_free(out, FALSE);
}

/* The PDF form of a time; see finish-private.h. */
char *imp__pdf_date(gint64 t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    g_return_val_if_fail(dt != NULL, NULL);
    char *s = g_date_time_format(dt, "D:%Y%m%d%H%M%S+00'00'");
    g_date_time_unref(dt);
    return s;
}

/* The XMP form of a time; see finish-private.h. */
char *imp__xmp_date(gint64 t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    g_return_val_if_fail(dt != NULL, NULL);
    char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S+00:00");
    g_date_time_unref(dt);
    return s;
}

/* Reads n digits at *p into *v, advancing *p. */
static gboolean digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!g_ascii_isdigit((*p)[i]))
            return FALSE;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return TRUE;
}

/* Parses a PDF date; see finish-private.h. */
gboolean imp__pdf_date_parse(const char *s, gint64 *t)
{
    g_return_val_if_fail(s != NULL && t != NULL, FALSE);
    const char *p = s;
    if (p[0] == 'D' && p[1] == ':')
        p += 2;
    int year, field[5] = { 1, 1, 0, 0, 0 }; /* month, day, hour, minute, second */
    if (!digits(&p, 4, &year))
        return FALSE;
    for (int i = 0; i < 5 && g_ascii_isdigit(*p); i++)
        if (!digits(&p, 2, &field[i]))
            return FALSE;
    int sign = 0, oh = 0, om = 0;
    if (*p == 'Z') {
        p++;
        if (*p == '\'') /* "Z00'00'" is seen in the wild */
            p++;
        while (*p == '0' || *p == '\'')
            p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '+' ? 1 : -1;
        p++;
        if (!digits(&p, 2, &oh))
            return FALSE;
        if (*p == '\'')
            p++;
        if (g_ascii_isdigit(*p) && !digits(&p, 2, &om))
            return FALSE;
        if (*p == '\'')
            p++;
    }
    if (*p != '\0' || field[0] < 1 || field[0] > 12 || field[1] < 1 || field[1] > 31 ||
        field[2] > 23 || field[3] > 59 || field[4] > 59 || oh > 23 || om > 59)
        return FALSE;
    GTimeZone *tz = g_time_zone_new_offset(sign * (oh * 3600 + om * 60));
    GDateTime *dt = g_date_time_new(tz, year, field[0], field[1], field[2], field[3],
                                    field[4]);
    g_time_zone_unref(tz);
    if (dt == NULL)
        return FALSE;
    *t = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return TRUE;
}

/* Whether a string has the form of a BCP 47 tag; see finish-private.h. */
gboolean imp__language_tag_valid(const char *tag)
{
    if (tag == NULL || *tag == '\0')
        return FALSE;
    char **subtags = g_strsplit(tag, "-", -1);
    gboolean ok = TRUE;
    for (int i = 0; ok && subtags[i] != NULL; i++) {
        gsize n = strlen(subtags[i]);
        ok = n >= 1 && n <= 8;
        for (gsize k = 0; ok && k < n; k++)
            ok = i == 0 ? g_ascii_isalpha(subtags[i][k]) : g_ascii_isalnum(subtags[i][k]);
    }
    ok = ok && strlen(subtags[0]) >= 2;
    g_strfreev(subtags);
    return ok;
}
