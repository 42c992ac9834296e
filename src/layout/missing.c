/* missing.c — glyphs no font has: which they are, and reporting the characters they stand
 * for.
 */
#include "layout-private.h"

/* Whether a glyph is one no font has, for a character that is drawn; see layout.h. */
gboolean imp_glyph_is_missing(PangoGlyph glyph)
{
    gunichar c = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
    return (glyph & PANGO_GLYPH_UNKNOWN_FLAG) && c <= 0x10FFFF && !g_unichar_iscntrl(c) &&
           !g_unichar_isspace(c);
}

