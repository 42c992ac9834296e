/* lang.h — which language a text is in, found from its characters.
 *
 * Chinese, Japanese and Korean share the Han characters but not their glyph forms, fonts,
 * punctuation or line-breaking rules, so every paragraph must say which of them it is in.
 * The evidence is in the characters themselves:
 *   - kana (hiragana, katakana) make a text Japanese, its kanji included, unless they are
 *     outnumbered by Han characters Japanese does not use (们, 这, 说: a Chinese sentence
 *     naming a Japanese product, or a kaomoji);
 *   - Hangul makes it Korean (its hanja included);
 *   - Han text without either is Chinese, Simplified or Traditional by the characters that
 *     exist in only one of the two (这/這, 们/們, 户/戶), except in a Japanese or Korean
 *     document, where it is the document's (kanji-only headings), unless it holds
 *     characters Japanese does not use;
 *   - the rest (Latin, digits, punctuation) says nothing about these languages.
 * The character table is generated at build time from Debian's data (OpenCC, Unihan) by
 * tools/gen-han-variants.
 * This sits on the model's floor so that readers and the layout can both use it; the
 * document pass fills the languages of a document's blocks (see
 * imp_document_detect_languages and docs/cjk-typesetting.md for the rules and why).
 *
 * Invariants:
 *  1. Work is linear in the text, one table lookup per character, and allocates nothing
 *     per paragraph except the language spans it adds.
 *  2. The languages returned are interned constants ("ja", "ko", "zh-Hans", "zh-Hant",
 *     "zh") or the caller's fallback itself: detection never invents any other tag.
 *  3. A language a reader set (a block's, or a LANG span's) is never changed.
 */
#ifndef IMP_LANG_H
#define IMP_LANG_H

#include <glib.h>

#include "model/document.h"
#include "util/diag.h"

G_BEGIN_DECLS

/* What the data say of a Han character (flags; 0 for all other characters). */
typedef enum {
    IMP_HAN_SIMPLIFIED = 1 << 0,  /* Simplified Chinese only (这, 们, 过, 户) */
    IMP_HAN_TRADITIONAL = 1 << 1, /* Traditional only (這, 們, 過, 戶; Taiwan's standard) */
    IMP_HAN_JAPANESE = 1 << 2     /* in JIS X 0208, the kanji modern Japanese is written
                                     with: 国, 設, 這; not 们, 这, 说, 你 */
} ImpHanFlags;

/* The flags of c in the table generated at build time (tools/gen-han-variants, from
 * OpenCC's STCharacters, TSCharacters and TWVariants and Unihan's kJis0). Two array reads. */
ImpHanFlags imp_lang_han_flags(gunichar c);

/* Internal: the generated table behind imp_lang_han_flags(), in the build tree's
 * han-variants.c: 4-bit entries, a block of 256 per index entry. */
#define IMP__HAN_LIMIT 0x32400
extern const guint16 imp__han_index[IMP__HAN_LIMIT >> 8];
extern const guint8 imp__han_blocks[][128];

/* What a BCP 47 tag means for typesetting CJK text, by its primary subtag and its script
 * or region (case-insensitive): "zh-TW", "zh-HK", "zh-MO" and "zh-Hant-*" are Traditional,
 * "zh-CN", "zh-SG" and "zh-Hans-*" Simplified, a bare "zh" unknown. */
typedef enum {
    IMP_LANG_KIND_OTHER,     /* not a CJK language (or NULL): "en", "de", "und" */
    IMP_LANG_KIND_JA,
    IMP_LANG_KIND_KO,
    IMP_LANG_KIND_ZH,        /* Chinese, script not said */
    IMP_LANG_KIND_ZH_HANS,
    IMP_LANG_KIND_ZH_HANT
} ImpLangKind;

ImpLangKind imp_lang_kind(const char *tag);

/* The language of `len` bytes of UTF-8 text (len -1: NUL-terminated), given `fallback`,
 * the language of the text around it (the document's; may be NULL):
 *   - the text outside quotation marks and brackets decides when it holds CJK letters
 *     (a Japanese quotation inside a Chinese sentence leaves the sentence Chinese),
 *     else the whole text;
 *   - Hangul outnumbering kana → "ko";
 *   - Japanese when the votes for it outnumber those against: each kana votes for, each
 *     Han character outside JIS X 0208 against, and the fallback's language casts one more
 *     vote (for when it is Japanese, against when it is Chinese); then "ja", or `fallback`
 *     itself when the text has no kana;
 *   - Han (no kana, or outvoted kana): `fallback` when it is Korean (hanja); else
 *     "zh-Hans" or "zh-Hant" by the characters found in only one of the two; a tie (none
 *     found) → `fallback` when it is Chinese, else "zh";
 *   - no CJK letter (Latin only, digits, empty) → `fallback`.
 * Returns an interned tag, or `fallback` itself (transfer none). */
const char *imp_lang_detect(const char *text, gssize len, const char *fallback);

/* Finds the languages of a document, in place:
 *   - the document's language is IMP_META_LANGUAGE when set (front matter, -M lang=);
 *     else, when CJK characters weigh at least a third as much as Latin letters, the
 *     language most of its CJK characters are in (each block voting with its CJK letter
 *     count), which is then stored as IMP_META_LANGUAGE; else none (NULL: the style's
 *     language applies, and Latin text is left as it was);
 *   - each block (table cells included) without a language of its own gets
 *     imp_lang_detect(its text, the document's language); blocks without CJK letters get
 *     the document's language;
 *   - a quotation or bracketed run whose letters say Japanese or Korean inside a block of
 *     another language becomes an IMP_SPAN_LANG span over the run (the marks excluded),
 *     unless it overlaps a LANG span a reader set.
 * Blocks a reader gave a language (HTML's lang attributes) keep it and get no spans.
 * What was found is reported at info level (-v) through diag (may be NULL).
 * Returns the document's language, interned, or NULL (transfer none). Call it once, after
 * reading and -M, before the style is resolved for the document's language. */
const char *imp_document_detect_languages(ImpDocument *doc, const ImpDiag *diag);

G_END_DECLS

#endif /* IMP_LANG_H */
