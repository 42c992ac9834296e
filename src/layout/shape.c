/* shape.c — text + role → a shaped PangoLayout.
 *
 * Every run of text gets a language and a font family list chosen by its script, because
 * Pango left alone picks Han glyph forms from the environment's locale, and would set the
 * curly quotes of an English sentence from a CJK font as full-width glyphs. Characters of no
 * script of their own (spaces, punctuation, combining marks) join the run around them, so a
 * quotation mark inside English is Latin and one inside Chinese is Han; CJK and full-width
 * punctuation always belongs to a CJK run.
 *
 * Invariants:
 *  1. The context is never changed: the role's font goes in as an attribute (or the
 *     layout's description), so one context serves every role and thread-local contexts
 *     stay alike.
 *  2. Attributes depend only on the text, the role's style and the language given, so a
 *     paragraph shaped on any thread gets the same runs.
 */
#include "layout-private.h"

#include <string.h>

/* The class that decides the font and language of character c. */
ImpCharClass imp__char_class(gunichar c)
{
    if (c < 0x80)
        return g_ascii_isalnum((char)c) ? IMP__CLASS_LATIN : IMP__CLASS_NEUTRAL;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFE10 && c <= 0xFE1F))
        return IMP__CLASS_CJK_PUNCT;
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_INHERITED:
        return IMP__CLASS_NEUTRAL;
    case G_UNICODE_SCRIPT_LATIN:
    case G_UNICODE_SCRIPT_GREEK:
    case G_UNICODE_SCRIPT_CYRILLIC:
        return IMP__CLASS_LATIN;
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_BOPOMOFO:
        return IMP__CLASS_HAN;
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
        return IMP__CLASS_KANA;
    case G_UNICODE_SCRIPT_HANGUL:
        return IMP__CLASS_HANGUL;
    default:
        return IMP__CLASS_OTHER;
    }
}

/* Inserts attribute a (taking it) over the bytes [start, end). */
static void insert_range(PangoAttrList *attrs, PangoAttribute *a, guint start, guint end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(attrs, a);
}

/* Adds the family and language attributes for one run [start, end) of class cls. */
static void add_run(PangoAttrList *attrs, const ImpRoleStyle *rs, const ImpDocumentStyle *ds,
                    const char *lang, ImpCharClass cls, guint start, guint end)
{
    if (start >= end)
        return;
    ImpScript script;
    const char *run_lang;
    switch (cls) {
    case IMP__CLASS_HAN:
    case IMP__CLASS_CJK_PUNCT:
        script = IMP_SCRIPT_HAN;
        run_lang = ds->han_language;
        break;
    case IMP__CLASS_KANA:
        script = IMP_SCRIPT_KANA;
        run_lang = ds->kana_language;
        break;
    case IMP__CLASS_HANGUL:
        script = IMP_SCRIPT_HANGUL;
        run_lang = ds->hangul_language;
        break;
    case IMP__CLASS_OTHER:
        script = IMP_SCRIPT_FALLBACK;
        run_lang = NULL;
        break;
    default:
        script = IMP_SCRIPT_LATIN;
        run_lang = lang;
        break;
    }
    /* the script's families, then the style's fallback and Han families (see style.h) */
    insert_range(attrs, pango_attr_family_new(rs->family_chain[script]), start, end);
    if (run_lang != NULL && *run_lang != '\0')
        insert_range(attrs, pango_attr_language_new(pango_language_from_string(run_lang)),
                     start, end);
}

/* Splits text into script runs and tags each (see the file comment). Neutral characters
 * join the open run; at the start they wait for the first strong character. */
static void add_script_runs(PangoAttrList *attrs, const ImpRoleStyle *rs,
                            const ImpDocumentStyle *ds, const char *lang, const char *text,
                            gsize len)
{
    ImpCharClass run = IMP__CLASS_NEUTRAL;
    guint run_start = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        gunichar c = g_utf8_get_char(p);
        ImpCharClass cls = imp__char_class(c);
        guint off = (guint)(p - text);
        if (cls == IMP__CLASS_CJK_PUNCT) {
            if (run == IMP__CLASS_HAN || run == IMP__CLASS_KANA || run == IMP__CLASS_HANGUL)
                cls = run;
            else
                cls = IMP__CLASS_HAN;
        }
        if (cls != IMP__CLASS_NEUTRAL && cls != run) {
            if (run == IMP__CLASS_NEUTRAL) {
                run = cls; /* leading neutrals join the first strong run */
            } else {
                add_run(attrs, rs, ds, lang, run, run_start, off);
                run = cls;
                run_start = off;
            }
        }
        p = g_utf8_next_char(p);
    }
    add_run(attrs, rs, ds, lang, run == IMP__CLASS_NEUTRAL ? IMP__CLASS_LATIN : run,
            run_start, (guint)len);
}

/* The role's font as a description (transfer full). */
static PangoFontDescription *role_font(const ImpRoleStyle *rs)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, rs->family[IMP_SCRIPT_LATIN]);
    pango_font_description_set_size(fd, (int)(rs->size * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, (PangoWeight)rs->weight);
    pango_font_description_set_style(fd, rs->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

/* Builds the attributes of a paragraph; see layout-private.h. */
PangoAttrList *imp__shape_attrs(const ImpStyle *style, ImpRole role, const char *text,
                                gsize len, const char *lang, const ImpBlock *spans)
{
    const ImpRoleStyle *rs = imp_style_get_role(style, role);
    const ImpDocumentStyle *ds = imp_style_get_document(style);
    if (lang == NULL)
        lang = ds->language;
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *fd = role_font(rs);
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    guint32 c = rs->color;
    PangoAttribute *fg = pango_attr_foreground_new((guint16)(((c >> 16) & 0xff) * 257),
                                                   (guint16)(((c >> 8) & 0xff) * 257),
                                                   (guint16)((c & 0xff) * 257));
    pango_attr_list_insert(attrs, fg);
    add_script_runs(attrs, rs, ds, lang, text, len);
    if (spans != NULL)
        imp__inline_add_spans(attrs, style, role, text, len, spans);
    return attrs;
}

/* Shapes text in a role's style; see layout-private.h. */
PangoLayout *imp__shape(PangoContext *ctx, const ImpStyle *style, ImpRole role,
                        const char *text, gsize len, const char *lang, double width,
                        const ImpBlock *spans)
{
    const ImpRoleStyle *rs = imp_style_get_role(style, role);

    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = role_font(rs);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);

    if (width > 0) {
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    switch (rs->align) {
    case IMP_ALIGN_RIGHT:
        pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
        break;
    case IMP_ALIGN_CENTER:
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        break;
    case IMP_ALIGN_JUSTIFY:
        pango_layout_set_justify(layout, TRUE);
        break;
    default:
        break;
    }
    if (rs->indent != 0)
        pango_layout_set_indent(layout, (int)(rs->indent * PANGO_SCALE));

    PangoAttrList *attrs = imp__shape_attrs(style, role, text, len, lang, spans);
    pango_layout_set_text(layout, text, (int)len);
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    return layout;
}
