/* hyphen.c — where a word may be hyphenated, from libhyphen's pattern dictionaries.
 *
 * Dictionaries (/usr/share/hyphen/hyph_LANG.dic) are found by the text's language: the tag
 * as given (en-US → hyph_en_US.dic), then its primary subtag (hyph_en.dic), then the
 * primary subtag doubled (hyph_de_DE.dic). Each is loaded at most once per ImpHyphenator,
 * which the layout owns; a mutex guards the cache so that paragraphs set on several threads
 * may share it. A loaded dictionary is only read (libhyphen's hnj_hyphen_hyphenate3 keeps
 * no state in it), so it is used outside the lock.
 *
 * A dictionary says its encoding on its first line (UTF-8, or ISO8859-1 for German); words
 * are converted to it, and lower-cased first because the patterns are lower case.
 *
 * Invariants:
 *  1. A missing dictionary is remembered as missing (NULL in the cache), not retried.
 *  2. Points are never closer than 2 characters to the start or 3 to the end of a word.
 */
#include "layout-private.h"

#include <hyphen.h>
#include <pthread.h>
#include <string.h>

struct ImpHyphenator {
    char *dir;
    pthread_mutex_t lock; /* POSIX, not GMutex: ThreadSanitizer sees it (see pool.c) */
    GHashTable *dicts; /* language tag → HyphenDict* (NULL: none for that language) */
    pthread_t prefetch; /* loading a dictionary ahead (imp__hyphenator_prefetch) */
    gboolean prefetching;
    char *prefetch_lang;
};

static HyphenDict *dict_for(ImpHyphenator *h, const char *lang);

/* Frees one cached dictionary (NULL for a remembered miss). */
static void dict_free(gpointer d)
{
    if (d != NULL)
        hnj_hyphen_free(d);
}

/* A hyphenator that looks for dictionaries in `dir` (transfer full). */
ImpHyphenator *imp__hyphenator_new(const char *dir)
{
    ImpHyphenator *h = g_new0(ImpHyphenator, 1);
    h->dir = g_strdup(dir);
    pthread_mutex_init(&h->lock, NULL);
    h->dicts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, dict_free);
    return h;
}

/* The language whose dictionary hyphenates Latin words of text in `lang`: Latin words
 * inside Chinese, Japanese or Korean text are English far more often than not. */
const char *imp__hyphen_language(const char *lang)
{
    if (lang == NULL || g_str_has_prefix(lang, "zh") || g_str_has_prefix(lang, "ja") ||
        g_str_has_prefix(lang, "ko"))
        return "en";
    return lang;
}

static void *prefetch_main(void *data)
{
    ImpHyphenator *h = data;
    dict_for(h, h->prefetch_lang);
    return NULL;
}

/* Starts loading the dictionary for `lang` on a thread of its own (once per hyphenator):
 * parsing a dictionary's patterns takes milliseconds, which a short document would
 * otherwise wait for at its first hyphenated paragraph. Whoever needs the dictionary first
 * waits for it under the cache's lock, so the result is the same either way. */
void imp__hyphenator_prefetch(ImpHyphenator *h, const char *lang)
{
    g_return_if_fail(h != NULL && lang != NULL);
    if (h->prefetching)
        return;
    h->prefetch_lang = g_strdup(lang);
    h->prefetching = pthread_create(&h->prefetch, NULL, prefetch_main, h) == 0;
}

/* Frees the hyphenator and every dictionary it loaded; NULL is a no-op. */
void imp__hyphenator_free(ImpHyphenator *h)
{
    if (h == NULL)
        return;
    if (h->prefetching)
        pthread_join(h->prefetch, NULL);
    g_free(h->prefetch_lang);
    g_hash_table_destroy(h->dicts);
    pthread_mutex_destroy(&h->lock);
    g_free(h->dir);
    g_free(h);
}

/* Loads hyph_NAME.dic from the directory if it exists. */
static HyphenDict *try_load(const ImpHyphenator *h, const char *name)
{
    char *file = g_strdup_printf("hyph_%s.dic", name);
    char *path = g_build_filename(h->dir, file, NULL);
    HyphenDict *d = g_file_test(path, G_FILE_TEST_IS_REGULAR) ? hnj_hyphen_load(path) : NULL;
    g_free(path);
    g_free(file);
    return d;
}

/* The dictionary for language tag `lang`, loaded on first use; NULL if there is none. */
static HyphenDict *dict_for(ImpHyphenator *h, const char *lang)
{
    pthread_mutex_lock(&h->lock);
    gpointer found;
    if (g_hash_table_lookup_extended(h->dicts, lang, NULL, &found)) {
        pthread_mutex_unlock(&h->lock);
        return found;
    }
    char *tag = g_strdup(lang);
    g_strdelimit(tag, "-", '_');
    HyphenDict *d = try_load(h, tag);
    char *primary = g_strndup(tag, strcspn(tag, "_"));
    if (d == NULL)
        d = try_load(h, primary);
    if (d == NULL) {
        char *upper = g_ascii_strup(primary, -1);
        char *doubled = g_strdup_printf("%s_%s", primary, upper);
        d = try_load(h, doubled);
        g_free(doubled);
        g_free(upper);
    }
    g_free(primary);
    g_free(tag);
    g_hash_table_insert(h->dicts, g_strdup(lang), d);
    pthread_mutex_unlock(&h->lock);
    return d;
}

/* Finds the hyphenation points of one word of `n_chars` letters (UTF-8, `len` bytes) in
 * language `lang`: points[k] is set TRUE when a hyphen may go before character k. Returns
 * FALSE (points untouched) when there is no dictionary or the word cannot be converted. */
gboolean imp__hyphenator_hyphenate(ImpHyphenator *h, const char *lang, const char *word,
                                   gsize len, guint n_chars, guint8 *points)
{
    g_return_val_if_fail(h != NULL && word != NULL && points != NULL, FALSE);
    if (lang == NULL || n_chars < 5)
        return FALSE;
    HyphenDict *d = dict_for(h, lang);
    if (d == NULL)
        return FALSE;
    char *lower = g_utf8_strdown(word, (gssize)len);
    if (g_utf8_strlen(lower, -1) != (glong)n_chars) {
        g_free(lower);
        return FALSE;
    }
    /* libhyphen counts positions in characters of the dictionary's encoding */
    char *enc = NULL;
    gsize enc_len = strlen(lower);
    gboolean utf8 = g_ascii_strcasecmp(d->cset, "UTF-8") == 0;
    if (!utf8) {
        enc = g_convert(lower, -1, d->cset, "UTF-8", NULL, &enc_len, NULL);
        if (enc == NULL) {
            g_free(lower);
            return FALSE;
        }
    }
    const char *w = utf8 ? lower : enc;
    char *hyphens = g_malloc0(enc_len + 5);
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    gboolean ok = hnj_hyphen_hyphenate3(d, w, (int)enc_len, hyphens, NULL, &rep, &pos, &cut,
                                        2, 3, 2, 2) == 0;
    if (ok) {
        /* for UTF-8 dictionaries the vector is per byte, set at a character's last byte;
           map bytes to characters */
        guint ci = 0;
        for (gsize b = 0; b < enc_len; b++) {
            gboolean char_end = !utf8 || b + 1 == enc_len ||
                                ((guchar)w[b + 1] & 0xC0) != 0x80;
            if (!char_end)
                continue;
            ci++;
            /* hyphen after character ci-1, i.e. before character ci; standard only */
            if ((hyphens[b] & 1) && (rep == NULL || rep[b] == NULL) && ci >= 2 &&
                ci + 3 <= n_chars)
                points[ci] = TRUE;
        }
    }
    if (rep != NULL) {
        for (gsize b = 0; b < enc_len; b++)
            free(rep[b]);
        free(rep);
    }
    free(pos);
    free(cut);
    g_free(hyphens);
    g_free(enc);
    g_free(lower);
    return ok;
}
