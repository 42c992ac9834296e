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

/* The folder holding styles/ and fonts/: $IMPRINT_DATADIR, else the source tree. */
static inline const char *imp_fuzz_datadir(void)
{
    const char *env = g_getenv("IMPRINT_DATADIR");
    return env != NULL && *env != '\0' ? env : IMP_SOURCE_DIR;
}

#endif /* IMP_FUZZ_H */
