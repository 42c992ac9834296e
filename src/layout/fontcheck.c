/* fontcheck.c — the folders and faces of imprint's font setup, checked before fontconfig
 * and Pango use them, and the family names a style gives, checked against them.
 *
 * Folders. fontconfig scans a folder by handing every entry to FreeType, which opens it
 * with a blocking open(): one FIFO in fonts/user/ held the run for ever. So each folder is
 * walked here first (readdir and fstatat; only folders are opened, with O_NONBLOCK), and
 * only regular files reach fontconfig (none of the kernel's /proc or /sys, whose "regular"
 * files can block when read). A folder whose entries all pass is given to
 * fontconfig whole (FcConfigAppFontAddDir, which reads its cache: the usual case costs a
 * readdir and a stat per entry); a folder with an entry skipped is given file by file
 * (FcConfigAppFontAddFile). Between the walk and fontconfig's scan an entry could still be
 * swapped for a FIFO by someone who can write to the folder; nothing short of reading
 * every font through our own descriptors would close that, and whoever can write there can
 * put any font in anyway.
 *
 * Every font is an application font, in the order of preference: the caller's folders
 * (--font-path), fonts/user/, then the folders the configuration names. Of two fonts that
 * match alike, fontconfig and Pango take the earlier, so a user's face wins over a shipped
 * one of the same family name.
 *
 * Faces. A user font is checked face by face before Pango can see it: read from one
 * mapping of the file by FreeType (which draws it) and HarfBuzz (which measures it for
 * Pango), a face that cannot be loaded, has no outlines, or whose metrics are absurd
 * (units per em outside 16..16384, every advance 0, a line box under 0.3 em or over 10 em)
 * is taken out of the font set with a warning: a damaged user font once gave piled-up
 * glyphs with exit 0. The folders the configuration names hold the system's packaged fonts
 * and are not checked face by face (a few hundred faces would cost more than a short run).
 *
 * Invariants:
 *  1. fontconfig is given no entry of a walked folder that was not a regular file (or a
 *     folder whose entries all were) when the walk saw it.
 *  2. A user face with a problem (imp__font_face_problem) is not in the font set.
 *  3. Every entry skipped is reported, naming it; nothing in a font folder is dropped
 *     silently but names starting with '.', which fontconfig never reads.
 */
#include "layout-private.h"
#include "fontcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------ */
/* Findings                                                                             */
/* ------------------------------------------------------------------------------------ */

void imp__font_finding_add(GPtrArray *findings, ImpDiagLevel level, const char *file,
                           guint line, const char *format, ...)
{
    ImpFontFinding *f = g_new0(ImpFontFinding, 1);
    f->level = level;
    f->file = file != NULL ? g_filename_display_name(file) : NULL;
    f->line = line;
    va_list ap;
    va_start(ap, format);
    f->message = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_ptr_array_add(findings, f);
}

void imp__font_finding_free(gpointer finding)
{
    ImpFontFinding *f = finding;
    g_free(f->file);
    g_free(f->message);
    g_free(f);
}

/* ------------------------------------------------------------------------------------ */
/* Walking a folder                                                                     */
/* ------------------------------------------------------------------------------------ */

/* A walked folder: what fontconfig may be given of it. */
typedef struct Folder Folder;
struct Folder {
    char *path;
    gboolean clean;     /* every entry, down every subfolder, passed */
    GPtrArray *files;   /* char*: its regular files' names, in name order */
    GPtrArray *subs;    /* Folder*: its subfolders that were walked, in name order */
};

static void folder_free(gpointer data)
{
    Folder *f = data;
    g_free(f->path);
    g_ptr_array_free(f->files, TRUE);
    g_ptr_array_free(f->subs, TRUE);
    g_free(f);
}

/* One walk: where findings go, how far it has gone, the folders it is inside. */
typedef struct {
    GPtrArray *findings;
    guint entries;
    gboolean too_many;  /* IMP_FONT_DIR_ENTRIES_MAX reached (said once) */
    GArray *stack;      /* dev_t, ino_t pairs of the folders being walked (loops) */
} Walk;

typedef struct {
    dev_t dev;
    ino_t ino;
} DevIno;

/* "a named pipe (FIFO)" and the like, for an entry that is not a regular file. */
static const char *kind_of(mode_t mode)
{
    return S_ISFIFO(mode) ? "a named pipe (FIFO)"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISSOCK(mode) ? "a socket"
                          : "not a regular file";
}

/* Orders walk entries (a d_type byte, then the name) by name, as fontconfig scans them. */
static int compare_entries(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Whether (dev, ino) is a folder the walk is inside. */
static gboolean on_stack(const Walk *w, const struct stat *st)
{
    for (guint i = 0; i < w->stack->len; i++) {
        const DevIno *di = &g_array_index(w->stack, DevIno, i);
        if (di->dev == st->st_dev && di->ino == st->st_ino)
            return TRUE;
    }
    return FALSE;
}

/* Why an entry that fstatat() could not follow is skipped (static or errno's text). */
static const char *unfollowable(int dfd, const char *name, int err)
{
    struct stat lst;
    if (err == ELOOP)
        return "a loop of symbolic links";
    if (err == ENOENT && fstatat(dfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(lst.st_mode))
        return "a symbolic link to nothing";
    return g_strerror(err);
}

/* The name of the kernel's file system `sf` describes, or NULL for any other. Its files are
 * not fonts, and some that stat() calls regular block when read (/proc/kmsg). */
static const char *kernel_fs(const struct statfs *sf)
{
    switch ((unsigned long)sf->f_type) {
    case PROC_SUPER_MAGIC: return "proc";
    case SYSFS_MAGIC: return "sysfs";
    case DEBUGFS_MAGIC: return "debugfs";
    case TRACEFS_MAGIC: return "tracefs";
    case SECURITYFS_MAGIC: return "securityfs";
    case CGROUP_SUPER_MAGIC: return "cgroup";
    case CGROUP2_SUPER_MAGIC: return "cgroup2";
    default: return NULL;
    }
}

/* Walks folder `path`, open as `fd` (taken), `depth` folders below the one asked for. An
 * entry readdir() says is a regular file costs no stat (the usual case: a folder of a few
 * hundred fonts costs a readdir and a sort); any other is followed with fstatat(). */
static Folder *walk(Walk *w, int fd, const char *path, int depth)
{
    Folder *f = g_new0(Folder, 1);
    f->path = g_strdup(path);
    f->clean = TRUE;
    f->files = g_ptr_array_new_with_free_func(g_free);
    f->subs = g_ptr_array_new_with_free_func(folder_free);
    struct statfs sf;
    const char *kernel = fstatfs(fd, &sf) == 0 ? kernel_fs(&sf) : NULL;
    DIR *d = kernel == NULL ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (kernel != NULL)
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, path, 0,
                                  "a folder of the kernel's %s file system, not of fonts; "
                                  "skipped", kernel);
        close(fd);
        f->clean = FALSE;
        return f;
    }
    /* each name with its d_type in front, sorted by name */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') { /* fontconfig skips these too */
            gsize n = strlen(e->d_name);
            char *entry = g_malloc(n + 2);
            entry[0] = (char)e->d_type;
            memcpy(entry + 1, e->d_name, n + 1);
            g_ptr_array_add(names, entry);
        }
    g_ptr_array_sort(names, compare_entries);
    int dfd = dirfd(d);
    for (guint i = 0; i < names->len; i++) {
        const char *entry = names->pdata[i];
        const char *name = entry + 1;
        if (++w->entries > IMP_FONT_DIR_ENTRIES_MAX) {
            if (!w->too_many)
                imp__font_finding_add(w->findings, IMP_DIAG_WARNING, path, 0,
                                      "more than %u entries in this font folder and its "
                                      "subfolders; the rest are skipped",
                                      IMP_FONT_DIR_ENTRIES_MAX);
            w->too_many = TRUE;
            f->clean = FALSE;
            break;
        }
        if (entry[0] == DT_REG) {
            g_ptr_array_add(f->files, g_strdup(name));
            continue;
        }
        char *full = g_build_filename(path, name, NULL);
        struct stat st;
        if (fstatat(dfd, name, &st, 0) != 0) {
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0, "%s; skipped",
                                  unfollowable(dfd, name, errno));
            f->clean = FALSE;
        } else if (S_ISREG(st.st_mode) && statfs(full, &sf) == 0 && kernel_fs(&sf) != NULL) {
            /* a link to a file of /proc or /sys */
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0,
                                  "a file of the kernel's %s file system, not a font file; "
                                  "skipped", kernel_fs(&sf));
            f->clean = FALSE;
        } else if (S_ISREG(st.st_mode)) {
            g_ptr_array_add(f->files, g_strdup(name));
        } else if (!S_ISDIR(st.st_mode)) {
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0,
                                  "%s, not a font file; skipped", kind_of(st.st_mode));
            f->clean = FALSE;
        } else if (on_stack(w, &st)) {
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0,
                                  "a link back to a folder it is in; skipped");
            f->clean = FALSE;
        } else if (depth >= IMP_FONT_DIR_DEPTH_MAX) {
            imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0,
                                  "more than %d folders deep; skipped",
                                  IMP_FONT_DIR_DEPTH_MAX);
            f->clean = FALSE;
        } else {
            int sfd;
            do
                sfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_NOCTTY |
                                            O_CLOEXEC);
            while (sfd < 0 && errno == EINTR);
            if (sfd < 0) {
                imp__font_finding_add(w->findings, IMP_DIAG_WARNING, full, 0,
                                      "cannot be read (%s); skipped", g_strerror(errno));
                f->clean = FALSE;
            } else {
                DevIno di = { st.st_dev, st.st_ino };
                g_array_append_val(w->stack, di);
                Folder *sub = walk(w, sfd, full, depth + 1);
                g_array_set_size(w->stack, w->stack->len - 1);
                if (!sub->clean)
                    f->clean = FALSE;
                g_ptr_array_add(f->subs, sub);
            }
        }
        g_free(full);
    }
    g_ptr_array_free(names, TRUE);
    closedir(d);
    return f;
}

/* Gives fontconfig what the walk passed: a clean folder whole, else file by file (the
 * files of a folder fontconfig is given whole are not read here, only by fontconfig). On
 * the file-by-file path fontconfig applies no <selectfont> rule: the face checks of user
 * folders (no outlines: not used) stand in for the one imprint's configuration has. */
static void folder_add(FcConfig *config, const Folder *f)
{
    if (f->clean) {
        FcConfigAppFontAddDir(config, (const FcChar8 *)f->path);
        return;
    }
    for (guint i = 0; i < f->files->len; i++) {
        char *file = g_build_filename(f->path, f->files->pdata[i], NULL);
        FcConfigAppFontAddFile(config, (const FcChar8 *)file);
        g_free(file);
    }
    for (guint i = 0; i < f->subs->len; i++)
        folder_add(config, f->subs->pdata[i]);
}

/* Every regular file the walk found, appended to `files` (char*) in walk order. */
static void folder_files(const Folder *f, GPtrArray *files)
{
    for (guint i = 0; i < f->files->len; i++)
        g_ptr_array_add(files, g_build_filename(f->path, f->files->pdata[i], NULL));
    for (guint i = 0; i < f->subs->len; i++)
        folder_files(f->subs->pdata[i], files);
}

/* ------------------------------------------------------------------------------------ */
/* Faces                                                                                */
/* ------------------------------------------------------------------------------------ */

/* Whether Pango can use the pattern: it takes TrueType and CFF (OpenType) fonts only. */
gboolean imp__font_pattern_usable(FcPattern *font)
{
    FcChar8 *format = NULL;
    return FcPatternGetString(font, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
           (g_ascii_strcasecmp((const char *)format, "TrueType") == 0 ||
            g_ascii_strcasecmp((const char *)format, "CFF") == 0);
}

/* The units per em in the face's head table as written (HarfBuzz reads 0 as 1000), or -1
 * when it has none. */
static int head_upem(hb_face_t *face)
{
    hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned int len = 0;
    const guint8 *data = (const guint8 *)hb_blob_get_data(head, &len);
    int upem = len >= 20 ? (data[18] << 8) | data[19] : -1;
    hb_blob_destroy(head);
    return upem;
}

/* FreeType's message for an error (it is built without FT_Error_String's table). */
#undef FTERRORS_H_
#define FT_ERRORDEF(e, v, s) { v, s },
#define FT_ERROR_START_LIST {
#define FT_ERROR_END_LIST { 0, NULL } };
static const struct {
    int code;
    const char *message;
} ft_errors[] =
#include FT_ERRORS_H

static const char *ft_error(FT_Error err)
{
    const char *s = FT_Error_String(err);
    for (int i = 0; s == NULL && ft_errors[i].message != NULL; i++)
        if (ft_errors[i].code == err)
            s = ft_errors[i].message;
    return s != NULL ? s : "unknown error";
}

/* The problem of face `index` of the font in `data` (one mapping, read by FreeType as
 * cairo draws it and by HarfBuzz as Pango measures it), or NULL. */
static char *face_problem(FT_Library lib, const guint8 *data, gsize len, int index)
{
    hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned int)MIN(len, G_MAXUINT),
                                     HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, (unsigned int)index & 0xFFFF);
    hb_blob_destroy(blob);
    char *problem = NULL;
    FT_Face ft = NULL;
    FT_Error err = 0;
    int upem = head_upem(face);
    /* the head table first: FreeType refuses a face of 0 units per em, and the reason is
       worth more than its error */
    gboolean tables = hb_face_get_table_tags(face, 0, NULL, NULL) > 0;
    if (tables && upem >= 0 && (upem < 16 || upem > 16384)) {
        problem = g_strdup_printf("its units per em are %d (OpenType allows 16 to 16384)",
                                  upem);
    } else if ((err = len <= G_MAXLONG ? FT_New_Memory_Face(lib, data, (FT_Long)len, index,
                                                            &ft)
                                       : FT_Err_Invalid_Stream_Operation) != 0) {
        problem = g_strdup_printf("FreeType cannot load it (%s)", ft_error(err));
    } else if (!tables) {
        /* FreeType reads WOFF, HarfBuzz (which Pango measures with) does not */
        problem = g_strdup("HarfBuzz, which measures text for Pango, cannot read it (Pango "
                           "needs a plain TrueType or OpenType file, not WOFF)");
    } else if (!FT_IS_SCALABLE(ft)) {
        problem = g_strdup("it has no outlines (bitmaps only), and imprint sets outline fonts "
                           "only");
    } else {
        hb_font_t *font = hb_font_create(face); /* scaled in font units */
        if (((unsigned int)index >> 16) != 0)
            hb_font_set_var_named_instance(font, ((unsigned int)index >> 16) - 1);
        unsigned int n = hb_face_get_glyph_count(face);
        unsigned int g = 0;
        while (g < n && hb_font_get_glyph_h_advance(font, g) == 0)
            g++;
        hb_font_extents_t ext;
        hb_font_get_h_extents(font, &ext);
        int em = (int)hb_face_get_upem(face);
        long box = (long)ext.ascender - ext.descender;
        if (n == 0)
            problem = g_strdup("it has no glyphs");
        else if (g == n)
            problem = g_strdup("every glyph's advance width is 0 (its glyphs would pile up "
                               "on one spot)");
        else if (ext.ascender < ext.descender || box * 10 < (long)em * 3 || box > 10L * em)
            problem = g_strdup_printf("its ascent and descent are absurd (%d and %d at %d "
                                      "units per em)", ext.ascender, -ext.descender, em);
        hb_font_destroy(font);
    }
    if (ft != NULL)
        FT_Done_Face(ft);
    hb_face_destroy(face);
    return problem;
}

/* A font file mapped to read, opened without blocking (a swapped-in FIFO is refused), or
 * NULL with *why set (transfer full). */
static GMappedFile *map_font(const char *file, char **why)
{
    int fd;
    do
        fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *why = g_strdup_printf("cannot be read (%s)", g_strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = g_strdup_printf("%s, not a font file", kind_of(st.st_mode));
        close(fd);
        return NULL;
    }
    GError *error = NULL;
    GMappedFile *map = st.st_size > 0 ? g_mapped_file_new_from_fd(fd, FALSE, &error) : NULL;
    close(fd);
    if (map == NULL) {
        *why = error != NULL ? g_strdup_printf("cannot be read (%s)", error->message)
                             : g_strdup("an empty file");
        g_clear_error(&error);
    }
    return map;
}

/* Why face `index` of `file` cannot be used, or NULL; see fontcheck.h. */
char *imp__font_face_problem(const char *file, int index)
{
    g_return_val_if_fail(file != NULL, NULL);
    char *why = NULL;
    GMappedFile *map = map_font(file, &why);
    if (map == NULL)
        return why;
    FT_Library lib;
    if (FT_Init_FreeType(&lib) != 0) {
        g_mapped_file_unref(map);
        return g_strdup("FreeType cannot be started");
    }
    why = face_problem(lib, (const guint8 *)g_mapped_file_get_contents(map),
                       g_mapped_file_get_length(map), index);
    FT_Done_FreeType(lib);
    g_mapped_file_unref(map);
    return why;
}

/* Whether `file`'s name says it is meant to be a font (so that finding none in it is
 * worth a warning, where a README beside the fonts is not). */
static gboolean font_named(const char *file)
{
    static const char *const ext[] = { ".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2",
                                       ".dfont", ".pfb", ".pfa", ".pcf", ".bdf", NULL };
    char *lower = g_ascii_strdown(file, -1);
    gboolean yes = FALSE;
    for (int i = 0; ext[i] != NULL && !yes; i++)
        yes = g_str_has_suffix(lower, ext[i]);
    g_free(lower);
    return yes;
}

/* "Noto Serif Bold" for a message: the face's family and style. (transfer full) */
static char *face_name(FcPattern *font)
{
    FcChar8 *family = NULL, *style = NULL;
    FcPatternGetString(font, FC_FAMILY, 0, &family);
    FcPatternGetString(font, FC_STYLE, 0, &style);
    return g_strdup_printf("%s%s%s", family != NULL ? (const char *)family : "?",
                           style != NULL ? " " : "", style != NULL ? (const char *)style : "");
}

/* Checks the faces added from user folders, set->fonts[first..], taking out those with a
 * problem (invariant 2), and says which of `files` (in walk order) gave no face at all. */
static void check_user_faces(FcFontSet *set, int first, const GPtrArray *files,
                             GPtrArray *findings)
{
    FT_Library lib = NULL;
    if (FT_Init_FreeType(&lib) != 0)
        lib = NULL;
    GHashTable *with_face = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *maps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)g_mapped_file_unref);
    int keep = first;
    for (int i = first; i < set->nfont; i++) {
        FcPattern *font = set->fonts[i];
        FcChar8 *file = NULL, *format = NULL;
        int index = 0;
        char *problem = NULL;
        FcPatternGetString(font, FC_FONTFORMAT, 0, &format);
        FcPatternGetInteger(font, FC_INDEX, 0, &index);
        if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) {
            problem = g_strdup("it has no file");
        } else {
            g_hash_table_add(with_face, g_strdup((const char *)file));
            GMappedFile *map = g_hash_table_lookup(maps, file);
            if (!imp__font_pattern_usable(font))
                problem = g_strdup_printf("a %s font, and Pango uses TrueType and OpenType "
                                          "fonts only",
                                          format != NULL ? (const char *)format : "non-OpenType");
            else if (map == NULL && (map = map_font((const char *)file, &problem)) != NULL)
                g_hash_table_insert(maps, g_strdup((const char *)file), map);
            if (problem == NULL)
                problem = lib == NULL ? g_strdup("FreeType cannot be started")
                    : face_problem(lib, (const guint8 *)g_mapped_file_get_contents(map),
                                   g_mapped_file_get_length(map), index);
        }
        if (problem == NULL) {
            set->fonts[keep++] = font;
            continue;
        }
        char *name = face_name(font);
        imp__font_finding_add(findings, IMP_DIAG_WARNING, (const char *)file, 0,
                              "face \"%s\": %s; not used", name, problem);
        g_free(name);
        g_free(problem);
        FcPatternDestroy(font);
    }
    set->nfont = keep;
    g_hash_table_destroy(maps);

    for (guint i = 0; i < files->len; i++) {
        const char *file = files->pdata[i];
        if (g_hash_table_contains(with_face, file))
            continue;
        if (!font_named(file)) {
            imp__font_finding_add(findings, IMP_DIAG_INFO, file, 0, "not a font; ignored");
            continue;
        }
        char *problem = imp__font_face_problem(file, 0);
        imp__font_finding_add(findings, IMP_DIAG_WARNING, file, 0, "%s; skipped",
                              problem != NULL ? problem : "fontconfig finds no font in it");
        g_free(problem);
    }
    g_hash_table_destroy(with_face);
    if (lib != NULL)
        FT_Done_FreeType(lib);
}

/* Puts folder `fd` and every folder above it, up to the root, on the walk's stack, so that
 * a link to any of them is a loop (fonts/user/up -> .. would walk fonts/ again). */
static void push_ancestors(Walk *w, int fd)
{
    int cur = dup(fd);
    for (int level = 0; cur >= 0 && level < 256; level++) {
        struct stat st;
        if (fstat(cur, &st) != 0 || on_stack(w, &st))
            break; /* the root is its own parent */
        DevIno di = { st.st_dev, st.st_ino };
        g_array_append_val(w->stack, di);
        int parent = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
        close(cur);
        cur = parent;
    }
    if (cur >= 0)
        close(cur);
}

/* Adds a folder's fonts; see fontcheck.h. */
void imp__font_dir_add(FcConfig *config, const char *dir, ImpFontDirKind kind,
                       gboolean quiet_missing, GPtrArray *findings)
{
    g_return_if_fail(config != NULL && dir != NULL && findings != NULL);
    int fd;
    do
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int e = errno;
        if (kind == IMP_FONT_DIR_USER && !(quiet_missing && e == ENOENT))
            imp__font_finding_add(findings, IMP_DIAG_WARNING, dir, 0,
                                  "cannot read this font folder (%s); skipped",
                                  e == ENOTDIR ? "not a folder" : g_strerror(e));
        return;
    }
    Walk w = { findings, 0, FALSE, g_array_new(FALSE, FALSE, sizeof(DevIno)) };
    push_ancestors(&w, fd);
    Folder *f = walk(&w, fd, dir, 0);
    g_array_free(w.stack, TRUE);

    FcFontSet *set = FcConfigGetFonts(config, FcSetApplication);
    int first = set != NULL ? set->nfont : 0;
    folder_add(config, f);
    if (kind == IMP_FONT_DIR_USER && (set = FcConfigGetFonts(config, FcSetApplication)) != NULL) {
        GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
        folder_files(f, files);
        check_user_faces(set, first, files, findings);
        g_ptr_array_free(files, TRUE);
    }
    folder_free(f);
}

/* ------------------------------------------------------------------------------------ */
/* Families                                                                             */
/* ------------------------------------------------------------------------------------ */

/* A family name as fontconfig compares them; see fontcheck.h. */
char *imp__font_family_key(const char *family)
{
    gsize n = strlen(family);
    char *key = g_malloc(n + 1), *w = key;
    const char *p = family;
    for (; *p != '\0' && !(*p & 0x80); p++) /* ASCII, as family names mostly are */
        if (*p != ' ')
            *w++ = g_ascii_tolower(*p);
    if (*p == '\0') {
        *w = '\0';
        return key;
    }
    g_free(key);
    char *valid = g_utf8_make_valid(family, -1);
    char *folded = g_utf8_casefold(valid, -1);
    char *out = folded;
    for (const char *q = folded; *q != '\0'; q++)
        if (*q != ' ')
            *out++ = *q;
    *out = '\0';
    g_free(valid);
    return folded;
}

/* The edit distance between two strings of characters (Levenshtein), stopping early at
 * `limit` + 1. */
static guint distance(const gunichar *a, glong na, const gunichar *b, glong nb, guint limit)
{
    guint *row = g_new(guint, (gsize)nb + 1);
    for (glong j = 0; j <= nb; j++)
        row[j] = (guint)j;
    for (glong i = 1; i <= na; i++) {
        guint diag = row[0], best = (guint)i;
        row[0] = (guint)i;
        for (glong j = 1; j <= nb; j++) {
            guint up = row[j];
            guint v = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
            row[j] = v;
            diag = up;
            best = MIN(best, v);
        }
        if (best > limit) {
            g_free(row);
            return limit + 1;
        }
    }
    guint d = row[nb];
    g_free(row);
    return d;
}

/* The known family nearest to `key`, or NULL when none is near (a quarter of its letters
 * changed at most, at least one). Ties go to the first name in sorted order. */
static const char *nearest(const char *key, GHashTable *known)
{
    glong nk;
    gunichar *k = g_utf8_to_ucs4_fast(key, -1, &nk);
    guint limit = MAX(1, (guint)nk / 4), best_d = limit + 1;
    const char *best = NULL;
    GHashTableIter it;
    gpointer kk, name;
    g_hash_table_iter_init(&it, known);
    while (g_hash_table_iter_next(&it, &kk, &name)) {
        glong nc;
        gunichar *c = g_utf8_to_ucs4_fast(kk, -1, &nc);
        guint d = (guint)ABS(nc - nk) > limit ? limit + 1 : distance(k, nk, c, nc, limit);
        if (d < best_d || (d == best_d && best != NULL && strcmp(name, best) < 0)) {
            best_d = d;
            best = name;
        }
        g_free(c);
    }
    g_free(k);
    return best_d <= limit ? best : NULL;
}

/* Where `host` has family `family`: its files' first folder in sorted order, or NULL
 * (transfer full). */
static char *installed_in(const char *family, FcConfig *host)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, (char *)NULL);
    FcFontSet *found = FcFontList(host, pat, os);
    char *folder = NULL;
    for (int i = 0; found != NULL && i < found->nfont; i++) {
        FcChar8 *file = NULL;
        if (FcPatternGetString(found->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        char *dir = g_path_get_dirname((const char *)file);
        if (folder == NULL || strcmp(dir, folder) < 0) {
            g_free(folder);
            folder = dir;
        } else {
            g_free(dir);
        }
    }
    if (found != NULL)
        FcFontSetDestroy(found);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return folder;
}

/* The message for a family the setup lacks; see fontcheck.h. */
char *imp__font_family_unknown(const char *family, GHashTable *known, FcConfig *host)
{
    g_return_val_if_fail(family != NULL && known != NULL, NULL);
    char *key = imp__font_family_key(family);
    char *folder = host != NULL ? installed_in(family, host) : NULL;
    const char *near = nearest(key, known);
    char *msg;
    if (folder != NULL) {
        char *shown = g_filename_display_name(folder);
        msg = g_strdup_printf("font family \"%s\" is installed (in %s) but not in imprint's "
                              "font setup, so another face stands in: add its folder with "
                              "--font-path", family, shown);
        g_free(shown);
    } else if (near != NULL) {
        msg = g_strdup_printf("no font family \"%s\" in imprint's font setup (another face "
                              "stands in); did you mean \"%s\"?", family, near);
    } else {
        msg = g_strdup_printf("no font family \"%s\" in imprint's font setup, nor installed "
                              "(another face stands in)", family);
    }
    g_free(folder);
    g_free(key);
    return msg;
}
