/* layout-private.h — what the layout stage's files share and nobody else sees. */
#ifndef IMP_LAYOUT_PRIVATE_H
#define IMP_LAYOUT_PRIVATE_H

#include "layout.h"

/* Script class of a character, for choosing a font family list and a language. */
typedef enum {
    IMP__CLASS_NEUTRAL,   /* spaces, ASCII punctuation, marks: take the class around them */
    IMP__CLASS_CJK_PUNCT, /* CJK and full-width punctuation: a CJK class, Han if unknown */
    IMP__CLASS_LATIN,
    IMP__CLASS_HAN,
    IMP__CLASS_KANA,
    IMP__CLASS_HANGUL,
    IMP__CLASS_OTHER      /* other scripts: the fallback family list */
} ImpCharClass;

ImpCharClass imp__char_class(gunichar c);

/* Shapes `text` in `role`'s style into a new PangoLayout `width` points wide (<= 0: no
 * wrapping). `lang` is the text's language (NULL: the style's document language).
 * `spans` (may be NULL) come from the block. (transfer full) */
PangoLayout *imp__shape(PangoContext *ctx, const ImpStyle *style, ImpRole role,
                        const char *text, gsize len, const char *lang, double width,
                        const ImpBlock *spans);

#endif /* IMP_LAYOUT_PRIVATE_H */
