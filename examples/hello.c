/* hello.c — typesets a line of mixed Chinese and English text into hello.pdf with the
 * installed styles and fonts, in one call.
 *   cc hello.c $(pkg-config --cflags --libs imprint) -o hello && ./hello */
#include <imprint/imprint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *text = "Hello, imprint\n\n"
                       "imprint 把中文和 English 排在同一行：汉字与拉丁字母之间留出四分之一个全角空格。\n";
    GError *error = NULL;
    GBytes *pdf = NULL;
    ImpContext *ctx = imp_context_new(NULL, &error); /* the installed styles and fonts */
    if (ctx != NULL) {
        GBytes *input = g_bytes_new_static(text, strlen(text));
        pdf = imp_typeset_bytes(ctx, input, "hello.txt", NULL, &error);
        g_bytes_unref(input);
    }
    if (pdf == NULL || !g_file_set_contents("hello.pdf", g_bytes_get_data(pdf, NULL),
                                            (gssize)g_bytes_get_size(pdf), &error)) {
        fprintf(stderr, "hello: %s\n", error->message);
        return 1;
    }
    g_bytes_unref(pdf);
    imp_context_free(ctx);
    return 0;
}
