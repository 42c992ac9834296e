/* missing.c — glyphs no font has: which they are, and reporting the characters they stand
 * for.
 *
 * Pango marks a character no font in the fallback list covers with its unknown glyph
 * (PANGO_GLYPH_UNKNOWN_FLAG | the code point). The layout gives such a glyph the width of
 * the font's .notdef glyph, which render draws in its place with the character kept in the
 * text layer; here the character is reported, with its code point and source line: each
 * code point once, at its first place, and the number of its further occurrences in one
 * summary at the end, so a page of an uncovered script does not flood the messages.
 *
 * Invariants:
 *  1. Control characters and tabs are not drawn, so not reported.
 *  2. Reports come in the order lines are checked, which the layout keeps to document order
 *     whatever the number of threads.
 */
#include "layout-private.h"

/* Whether a glyph is one no font has, for a character that is drawn; see layout.h. */
gboolean imp_glyph_is_missing(PangoGlyph glyph)
{
    gunichar c = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    return (glyph & PANGO_GLYPH_UNKNOWN_FLAG) && c <= 0x10FFFF && !g_unichar_iscntrl(c) &&
           !g_unichar_isspace(c);
}

void imp__missing_init(ImpMissing *m, const ImpDiag *diag, const char *file)
{
    m->diag = diag;
    m->file = file;
    m->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    m->more = 0;
}

void imp__missing_clear(ImpMissing *m)
{
    g_clear_pointer(&m->seen, g_hash_table_destroy);
}

/* Reports the character at byte `off` of `text` (see the file comment). */
static void report(ImpMissing *m, const char *text, gsize off, const ImpBlock *block)
{
    gunichar c = g_utf8_get_char(text + off);
    if (g_unichar_iscntrl(c) || c == '\t')
        return;
    if (!g_hash_table_add(m->seen, GUINT_TO_POINTER(c))) {
        m->more++;
        return;
    }
    char utf8[8] = { 0 };
    g_unichar_to_utf8(c, utf8);
    imp_diag_report(m->diag, IMP_DIAG_WARNING, m->file,
                    block ? imp_block_get_line_at(block, off) : 0,
                    "no font can show U+%04X '%s'", c, utf8);
}

/* Reports the missing glyphs of every run of a PangoLayout; see layout-private.h. */
void imp__missing_check_layout(ImpMissing *m, PangoLayout *pl, const ImpBlock *block)
{
    const char *text = pango_layout_get_text(pl);
    for (GSList *l = pango_layout_get_lines_readonly(pl); l != NULL; l = l->next) {
        PangoLayoutLine *line = l->data;
        for (GSList *r = line->runs; r != NULL; r = r->next) {
            const PangoGlyphItem *run = r->data;
            const PangoGlyphString *gs = run->glyphs;
            for (int g = 0; g < gs->num_glyphs; g++)
                if (gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
                    report(m, text, (gsize)run->item->offset + (gsize)gs->log_clusters[g],
                           block);
        }
    }
}

/* Reports the missing glyphs of a set line; see layout-private.h. A missing glyph's id
 * does not fit 16 bits, so it is among the extras; one pass over them, with the runs (in
 * glyph order) followed alongside, costs the same for a line of many runs. */
void imp__missing_check_line(ImpMissing *m, const ImpGlyphLine *line, const ImpBlock *block)
{
    guint k = 0;
    for (guint e = 0; e < line->n_extra; e++) {
        guint g = line->extra[e].index;
        if (!(line->extra[e].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            continue;
        while (k < line->n_runs && g >= line->runs[k].first_glyph + line->runs[k].n_glyphs)
            k++;
        if (k == line->n_runs)
            break;
        report(m, line->text,
               line->runs[k].offset + (line->clusters16 ? line->clusters16[g]
                                                        : line->clusters32[g]),
               block);
    }
}

/* The closing count of characters no font can show beyond their first report. */
void imp__missing_summary(ImpMissing *m)
{
    if (m->more == 0)
        return;
    guint n = g_hash_table_size(m->seen);
    imp_diag_report(m->diag, IMP_DIAG_WARNING, m->file, 0,
                    "%u more occurrence%s of the %u character%s above that no font can show",
                    m->more, m->more == 1 ? "" : "s", n, n == 1 ? "" : "s");
}
