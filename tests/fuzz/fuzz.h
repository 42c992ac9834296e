/* fuzz.h — what the fuzz targets share with the two programs that run them: libFuzzer
 * (built with -DIMP_FUZZ=ON and clang) and replay.c, the plain driver that runs every
 * corpus file and past crash under ctest in a normal build.
 *
 * A target checks the invariants it can see and aborts (g_error) when one fails, so a
 * broken invariant is a crash to the fuzzer and a failure to the replay.
 */
#ifndef IMP_FUZZ_H
#define IMP_FUZZ_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

#include <imprint/imprint.h> /* ImpDiagLevel */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* GLib ends a fatal message with a breakpoint trap, which libFuzzer does not catch (no
 * crash file is written): turn the trap into an abort, which it does. */
static void imp_fuzz_trap_to_abort(int sig)
{
    (void)sig;
    abort();
}

/* Makes GLib criticals and warnings fatal, as G_DEBUG=fatal-criticals does for the
 * tests: a critical is a caller's mistake inside imprint, never an answer to bad input.
 * A failed check (g_error) and a fatal message abort. */
static inline void imp_fuzz_fatal_warnings(void)
{
    g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    signal(SIGTRAP, imp_fuzz_trap_to_abort);
}

/* A diagnostics callback that checks what every message must be: valid UTF-8, file name
 * included (a message is printed, so a broken one would reach the user's terminal). */
static inline void imp_fuzz_check_message(ImpDiagLevel level, const char *file, guint line,
                                          const char *message, gpointer user_data)
{
    (void)level;
    (void)line;
    (void)user_data;
    if (!g_utf8_validate(message, -1, NULL) || (file != NULL && !g_utf8_validate(file, -1, NULL)))
        g_error("diagnostic message is not valid UTF-8");
}

/* The folder holding styles/ and fonts/: $IMPRINT_DATADIR, else the source tree. */
static inline const char *imp_fuzz_datadir(void)
{
    const char *env = g_getenv("IMPRINT_DATADIR");
    return env != NULL && *env != '\0' ? env : IMP_SOURCE_DIR;
}

#endif /* IMP_FUZZ_H */
