/* inspect.c — reads a document as imprint would (with the reading rules of its site
 * style) and prints what the reader found: the metadata, then each block with its kind,
 * source line and text. Nothing is laid out, so no fonts are loaded.
 *
 *   cc inspect.c $(pkg-config --cflags --libs imprint) -o inspect
 *   ./inspect INPUT
 */
#include <imprint/imprint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: inspect INPUT\n");
        return 2;
    }
    GError *error = NULL;
    ImpContext *ctx = imp_context_new(NULL, &error);
    /* no style: read with the rules of the site style the input is detected as, if any */
    ImpDocument *doc = ctx ? imp_read_file(ctx, argv[1], NULL, NULL, &error) : NULL;
    if (doc == NULL) {
        fprintf(stderr, "inspect: %s\n", error->message);
        g_error_free(error);
        imp_context_free(ctx);
        return 1;
    }
    for (int k = 0; k < IMP_N_META; k++) {
        const char *value = imp_document_get_meta(doc, (ImpMetaKey)k);
        if (value != NULL)
            printf("%s: %s\n", imp_meta_key_name((ImpMetaKey)k), value);
    }
    for (guint i = 0; i < imp_document_get_n_blocks(doc); i++) {
        const ImpBlock *block = imp_document_get_block(doc, i);
        gsize len;
        const char *text = imp_block_get_text(block, &len);
        printf("%u\t%s\t%.*s\n", imp_block_get_line(block),
               imp_block_kind_name(imp_block_get_kind(block)), (int)len, text);
    }
    imp_document_free(doc);
    imp_context_free(ctx);
    return 0;
}
