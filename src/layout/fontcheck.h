/* fontcheck.h — what fonts.c, fontconf.c and fontcheck.c share: the font setup is read and
 * checked before fontconfig or Pango sees any of it.
 *
 * The font setup is the configuration file (fonts/fonts.conf and what it includes), the
 * folders it names, the user folder beside it (fonts/user/) and the folders a caller adds
 * (--font-path). Everything in it comes from the machine, so each part is checked where it
 * could hurt: a configuration file or include that is not a regular file (a FIFO would
 * block the run, /dev/zero would never end) is never opened by fontconfig; a folder entry
 * that is not a regular file or folder is never given to FreeType; a user font whose
 * metrics are absurd never reaches the font map; a family a style names that the setup
 * lacks is said, with the nearest name it has.
 *
 * What is found along the way is kept as findings (ImpFontFinding) and reported with every
 * layout made with the fonts (imp__fonts_check_style), so a strict run fails on them
 * however many documents a context has set before.
 */
#ifndef IMP_FONTCHECK_H
#define IMP_FONTCHECK_H

#include <fontconfig/fontconfig.h>
#include <glib.h>

#include "../util/diag.h"

G_BEGIN_DECLS

/* The largest configuration file (fonts.conf or an include) read: 1 MiB; all of them
 * together: 4 MiB, in at most 64 files. Real ones are a few KiB. */
#define IMP_FONT_CONF_MAX ((gsize)1 << 20)
#define IMP_FONT_CONF_TOTAL_MAX ((gsize)4 << 20)
#define IMP_FONT_CONF_FILES_MAX 64

/* A folder of fonts is walked at most this deep (subfolders) and this far (entries in all);
 * what lies beyond is skipped with a warning. */
#define IMP_FONT_DIR_DEPTH_MAX 16
#define IMP_FONT_DIR_ENTRIES_MAX 100000

/* One thing the font setup found, to be reported: FILE[:LINE]: MESSAGE. */
typedef struct {
    ImpDiagLevel level;
    char *file;     /* UTF-8 (a display name), may be NULL */
    guint line;     /* 0: none */
    char *message;
} ImpFontFinding;

/* Adds a finding to `findings` (a GPtrArray that frees with imp__font_finding_free).
 * `file` is a file name in the file system's encoding (may be NULL). */
void imp__font_finding_add(GPtrArray *findings, ImpDiagLevel level, const char *file,
                           guint line, const char *format, ...) G_GNUC_PRINTF(5, 6);
void imp__font_finding_free(gpointer finding);

/* ---- fontconf.c: the configuration ---- */

/* A configuration file as imprint gives it to fontconfig. */
typedef struct {
    char *text;          /* the XML for FcConfigParseAndLoadFromMemory(): every <include>
                            replaced by the files it names, without <dir> elements */
    GPtrArray *dirs;     /* char*: the font folders its <dir>s name, absolute, in order */
    GPtrArray *families; /* char*: family names its rules know besides the fonts' own (the
                            <alias> names, the families <match> rules test for) */
} ImpFontConf;

/* Reads `path` and its includes into `conf` without letting fontconfig open any file:
 * each is opened without blocking and read only when it is a regular file of at most
 * IMP_FONT_CONF_MAX bytes (an included folder: its [0-9]*.conf files, as fontconfig reads
 * one). An include that is not (a FIFO, a device, a socket, too large, a loop) is skipped
 * with a warning in `findings` naming the file and line. Fails with IMP_ERROR_FONT, naming
 * the file (and line), when `path` itself cannot be read or is not a fontconfig file, or an
 * include is missing (without ignore_missing) or not well-formed. Clear `conf` with
 * imp__font_conf_clear() in every case. */
gboolean imp__font_conf_load(const char *path, ImpFontConf *conf, GPtrArray *findings,
                             GError **error);
void imp__font_conf_clear(ImpFontConf *conf);

/* ---- fontcheck.c: folders, faces, families ---- */

typedef enum {
    /* a folder the configuration names (the system's fonts): entries checked, faces not */
    IMP_FONT_DIR_CONFIGURED,
    /* fonts/user/ or a caller's folder: entries and every face checked */
    IMP_FONT_DIR_USER
} ImpFontDirKind;

/* Adds the fonts of folder `dir` to config's application fonts, after those already there.
 * Only regular files are given to fontconfig: any other entry (a FIFO, a device, a socket,
 * a dangling or looping link, a link back to a folder above, one too deep, a file or folder
 * of the kernel's /proc or /sys) is skipped with a warning naming it. A folder whose entries are all fine is added whole, with
 * fontconfig's cache; one with a skipped entry file by file. A missing folder adds
 * nothing (a configured one silently; a user folder with a warning unless `quiet_missing`).
 * For IMP_FONT_DIR_USER, the faces added are then checked (see imp__font_faces_check).
 * `findings` receives what was skipped. */
void imp__font_dir_add(FcConfig *config, const char *dir, ImpFontDirKind kind,
                       gboolean quiet_missing, GPtrArray *findings);

/* The reason a face is unusable, or NULL when it is fine (transfer full): FreeType cannot
 * load it, it has no outlines, its units per em are outside OpenType's 16..16384, every
 * glyph advance is 0, or its ascent and descent are absurd (a line box under 0.3 em or
 * over 10 em, or upside down). `index` is fontconfig's (face index, with a named
 * instance in the upper 16 bits). */
char *imp__font_face_problem(const char *file, int index);

/* Whether Pango can use the pattern: a TrueType or CFF (OpenType) font, as Pango's own
 * filter has it. */
gboolean imp__font_pattern_usable(FcPattern *font);

/* A family name as fontconfig compares them: case folded, spaces dropped (transfer full). */
char *imp__font_family_key(const char *family);

/* The message for a family the setup does not have (transfer full): with the nearest of
 * `known` (normalized key → display name) when one is close, and where the family is
 * installed when `host` (the system's configuration, may be NULL) has it. */
char *imp__font_family_unknown(const char *family, GHashTable *known, FcConfig *host);

G_END_DECLS

#endif /* IMP_FONTCHECK_H */
