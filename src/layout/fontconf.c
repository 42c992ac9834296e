/* fontconf.c — imprint's font configuration, read so that no file in it can block the run
 * or make it read without end: fonts/fonts.conf and every file it includes are opened by
 * imprint, checked, read within bounds and handed to fontconfig as one text
 * (FcConfigParseAndLoadFromMemory), so fontconfig opens no configuration file itself.
 *
 * Why: fontconfig opens an <include> with a blocking open() and reads it to its end, so
 * `<include>/dev/zero</include>` never ends and an include that is a FIFO blocks until
 * someone writes to it. Checking the paths first and letting fontconfig read them after
 * would leave a window in which a file can be swapped for a FIFO; reading them ourselves
 * closes it (each is opened with O_NONBLOCK and checked on the descriptor read).
 *
 * How: each file is parsed with libxml2 (no network, no DTD loaded, no entities: a DOCTYPE
 * that declares anything is refused). An <include> is replaced by the children of the
 * included file's <fontconfig> element, that file's own includes first (a folder: its
 * [0-9]*.conf files in name order, as fontconfig reads one). <dir>, <remap-dir> and
 * <reset-dirs> are taken out and their folders listed in order: imprint adds the folders
 * itself, checking every entry (fontcheck.c). A <cachedir prefix="relative"> is made
 * absolute, since the text has no file name to be relative to.
 *
 * Paths, as fontconfig reads them: absolute; "~/..." in the home folder; prefix="xdg" in
 * $XDG_CONFIG_HOME (includes) or $XDG_DATA_HOME (folders); prefix="relative" beside the
 * file that names it; a relative <dir> without a prefix in the current folder. One
 * difference: a relative <include> without a prefix, which fontconfig looks for in the
 * system's configuration folder (/etc/fonts), is read beside the file that names it, so
 * imprint's setup never takes in the system's configuration by accident.
 *
 * Invariants:
 *  1. fontconfig is given text only: it opens no configuration file.
 *  2. No file is opened in a way that can block, nor read past IMP_FONT_CONF_MAX bytes; all
 *     together are at most IMP_FONT_CONF_TOTAL_MAX bytes in IMP_FONT_CONF_FILES_MAX files.
 *     A file is read once (fontconfig too reads a file once), so includes cannot loop.
 *  3. Every include left out is a warning naming the including file and line, or an error.
 */
#include "layout-private.h"
#include "fontcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/error.h"

/* What one configuration read keeps. */
typedef struct {
    ImpFontConf *conf;
    GPtrArray *findings;
    GHashTable *read;   /* "DEV:INO" of every file read (invariant 2) */
    gsize total;        /* bytes read */
    guint files;
} Reader;

static gboolean process(Reader *r, xmlDocPtr doc, xmlNodePtr parent, const char *path,
                        GError **error);

/* A path for a message: valid UTF-8 whatever the file system's encoding (transfer full). */
static char *display(const char *path)
{
    return g_filename_display_name(path);
}

/* "a named pipe (FIFO)" and the like, for a file that is not regular. */
static const char *kind_of(mode_t mode)
{
    return S_ISFIFO(mode)  ? "a named pipe (FIFO)"
         : S_ISCHR(mode)   ? "a character device"
         : S_ISBLK(mode)   ? "a block device"
         : S_ISSOCK(mode)  ? "a socket"
         : S_ISDIR(mode)   ? "a folder"
                           : "not a regular file";
}

/* The outcome of opening a configuration file. */
typedef enum { OPENED, MISSING, REFUSED } OpenResult;

/* Opens `path` to read a configuration from. A FIFO opened with O_NONBLOCK returns at
 * once, and a file swapped between stat() and open() is caught by fstat() on the
 * descriptor; devices are never opened (opening some has effects: a tape rewinds).
 * OPENED: *fd is a regular file's or a folder's (*st says which). MISSING: no such file.
 * REFUSED: *why (static) says what it is instead, or errno's message. */
static OpenResult open_conf(const char *path, int *fd, struct stat *st, const char **why)
{
    *fd = -1;
    if (stat(path, st) != 0) {
        if (errno == ENOENT)
            return MISSING;
        *why = g_strerror(errno);
        return REFUSED;
    }
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
        *why = kind_of(st->st_mode);
        return REFUSED;
    }
    int f;
    do
        f = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (f < 0 && errno == EINTR);
    if (f < 0) {
        *why = g_strerror(errno);
        return errno == ENOENT ? MISSING : REFUSED;
    }
    if (fstat(f, st) != 0 || (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))) {
        *why = kind_of(st->st_mode);
        close(f);
        return REFUSED;
    }
    *fd = f;
    return OPENED;
}

/* Reads all of regular file `fd` (at most IMP_FONT_CONF_MAX bytes: it was measured, and a
 * file that grew meanwhile is cut there). NUL-terminated (transfer full), or NULL with
 * errno set. */
static char *read_fd(int fd, gsize size, gsize *len)
{
    gsize cap = MIN(size, IMP_FONT_CONF_MAX);
    char *buf = g_malloc(cap + 1);
    gsize n = 0;
    while (n < cap) {
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            g_free(buf);
            errno = e;
            return NULL;
        }
        if (k == 0)
            break;
        n += (gsize)k;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* libxml2's first error while parsing, kept for the message (a structured handler of the
 * parser context, so nothing is printed and no global handler is touched). */
typedef struct {
    char *message;
    int line;
} ParseError;

static void parse_error(void *data, xmlErrorPtr err)
{
    ParseError *pe = ((xmlParserCtxtPtr)data)->_private;
    if (pe->message != NULL || err == NULL || err->level < XML_ERR_ERROR)
        return;
    /* its first line, which names the problem; some messages go on to quote the file, and
       an include may name a file that is not a configuration (a secret one) */
    const char *m = err->message != NULL ? err->message : "error";
    gsize n = strcspn(m, "\n");
    if (n > 100)
        n = 100;
    char *line = g_strndup(m, n);
    pe->message = g_utf8_make_valid(line, -1);
    g_free(line);
    pe->line = err->line;
}

/* Parses `text` of file `path` (for messages) into a document whose root is <fontconfig>,
 * without a DTD, entities or network (transfer full), or NULL with IMP_ERROR_FONT. */
static xmlDocPtr parse(const char *path, const char *text, gsize len, GError **error)
{
    char *name = display(path);
    ParseError pe = { NULL, 0 };
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s: out of memory", name);
        g_free(name);
        return NULL;
    }
    /* the handler gets the context (its userData, which the tree builder needs as it is);
       _private is the caller's */
    ctxt->sax->serror = parse_error;
    ctxt->_private = &pe;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
    xmlFreeParserCtxt(ctxt);
    xmlNodePtr root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
    if (doc == NULL || pe.message != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s:%d: not well-formed XML: %s", name,
                    pe.line, pe.message != NULL ? pe.message : "cannot be parsed");
    } else if (doc->intSubset != NULL && doc->intSubset->children != NULL) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: its DOCTYPE declares entities or elements, which imprint's font "
                    "setup does not take", name);
    } else if (root == NULL || strcmp((const char *)root->name, "fontconfig") != 0) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: not a fontconfig configuration (its root element is <%s>, not "
                    "<fontconfig>)", name, root != NULL ? (const char *)root->name : "");
    } else {
        g_free(pe.message);
        g_free(name);
        return doc;
    }
    g_free(pe.message);
    g_free(name);
    xmlFreeDoc(doc);
    return NULL;
}

/* The text of an element, trimmed (transfer full). */
static char *node_text(xmlNodePtr n)
{
    xmlChar *s = xmlNodeGetContent(n);
    char *t = g_strstrip(g_strdup(s != NULL ? (const char *)s : ""));
    xmlFree(s);
    return t;
}

/* An attribute's value, or NULL (transfer full). */
static char *node_attr(xmlNodePtr n, const char *name)
{
    xmlChar *s = xmlGetProp(n, (const xmlChar *)name);
    char *t = s != NULL ? g_strdup((const char *)s) : NULL;
    xmlFree(s);
    return t;
}

/* What a path in file `base` means (see the head of the file); `xdg_dir` is the XDG folder
 * for prefix="xdg"; `relative_default` whether a relative path without a prefix is beside
 * `base` (includes) or in the current folder (folders). (transfer full) */
static char *resolve(const char *text, const char *prefix, const char *base,
                     const char *xdg_dir, gboolean relative_default)
{
    char *path;
    if (text[0] == '~' && (text[1] == '\0' || text[1] == '/')) {
        path = g_build_filename(g_get_home_dir(), text + 1, NULL);
    } else if (g_path_is_absolute(text)) {
        path = g_strdup(text);
    } else if (g_strcmp0(prefix, "xdg") == 0) {
        path = g_build_filename(xdg_dir, text, NULL);
    } else if (g_strcmp0(prefix, "relative") == 0 ||
               (relative_default && g_strcmp0(prefix, "cwd") != 0)) {
        char *dir = g_path_get_dirname(base);
        path = g_build_filename(dir, text, NULL);
        g_free(dir);
    } else {
        path = g_canonicalize_filename(text, NULL); /* the current folder */
    }
    char *canon = g_canonicalize_filename(path, NULL);
    g_free(path);
    return canon;
}

/* Reads the configuration file `path`, which `from`:`line` includes (NULL for the top
 * file), into *doc. TRUE with *doc NULL when it is skipped (already read, or refused with a
 * warning); FALSE with an error when it cannot be used. */
static gboolean read_file(Reader *r, const char *path, int fd, const struct stat *st,
                          const char *from, guint line, xmlDocPtr *doc, GError **error)
{
    *doc = NULL;
    char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
    if (!g_hash_table_add(r->read, key))
        return TRUE; /* read already: fontconfig too takes a file once */
    if ((gsize)st->st_size > IMP_FONT_CONF_MAX || r->total + (gsize)st->st_size >
        IMP_FONT_CONF_TOTAL_MAX || r->files >= IMP_FONT_CONF_FILES_MAX) {
        char *name = display(path);
        const char *why = (gsize)st->st_size > IMP_FONT_CONF_MAX
            ? "larger than 1 MiB, which no font configuration is"
            : "one file too many: the setup's files may hold 4 MiB in 64 files";
        if (from == NULL) {
            g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s: %s", name, why);
            g_free(name);
            return FALSE;
        }
        imp__font_finding_add(r->findings, IMP_DIAG_WARNING, from, line,
                              "include %s: %s; skipped", name, why);
        g_free(name);
        return TRUE;
    }
    gsize len;
    char *text = read_fd(fd, (gsize)st->st_size, &len);
    if (text == NULL) {
        char *name = display(path);
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s: %s", name, g_strerror(errno));
        g_free(name);
        return FALSE;
    }
    r->total += len;
    r->files++;
    *doc = parse(path, text, len, error);
    g_free(text);
    return *doc != NULL;
}

/* Compares file names as fontconfig sorts an included folder's files (bytes). */
static int compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files fontconfig reads from an included folder: [0-9]*.conf, in name order
 * (transfer full: a GPtrArray of char*, full paths). The folder is read from `fd`. */
static GPtrArray *folder_files(const char *dir, int fd)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    int dfd = dup(fd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (d == NULL) {
        if (dfd >= 0)
            close(dfd);
        return files;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && files->len < IMP_FONT_CONF_FILES_MAX * 4) {
        gsize n = strlen(e->d_name);
        if (g_ascii_isdigit(e->d_name[0]) && n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0)
            g_ptr_array_add(files, g_strdup(e->d_name));
    }
    closedir(d);
    g_ptr_array_sort(files, compare_names);
    for (guint i = 0; i < files->len; i++) {
        char *full = g_build_filename(dir, files->pdata[i], NULL);
        g_free(files->pdata[i]);
        files->pdata[i] = full;
    }
    return files;
}

/* Puts the children of `doc`'s root (already processed) before node `at` of `into`. */
static void splice(xmlDocPtr into, xmlNodePtr at, xmlDocPtr doc)
{
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c != NULL; c = c->next) {
        xmlNodePtr copy = xmlDocCopyNode(c, into, 1);
        if (copy != NULL)
            xmlAddPrevSibling(at, copy);
    }
}

/* Reads, processes and splices in file `path` (included by `from`:`line`) before `at`. */
static gboolean include_file(Reader *r, xmlDocPtr into, xmlNodePtr at, const char *path,
                             int fd, const struct stat *st, const char *from, guint line,
                             GError **error)
{
    xmlDocPtr doc;
    if (!read_file(r, path, fd, st, from, line, &doc, error))
        return FALSE;
    if (doc == NULL)
        return TRUE;
    gboolean ok = process(r, doc, xmlDocGetRootElement(doc), path, error);
    if (ok)
        splice(into, at, doc);
    xmlFreeDoc(doc);
    return ok;
}

/* Replaces <include> element `n` of file `base` by what it names (see the head of the
 * file); unlinks and frees `n`. */
static gboolean do_include(Reader *r, xmlDocPtr doc, xmlNodePtr n, const char *base,
                           GError **error)
{
    guint line = (guint)MAX(xmlGetLineNo(n), 0);
    char *text = node_text(n);
    char *prefix = node_attr(n, "prefix");
    char *ignore = node_attr(n, "ignore_missing");
    gboolean ignore_missing = ignore != NULL && (g_ascii_strcasecmp(ignore, "yes") == 0 ||
                                                 g_ascii_strcasecmp(ignore, "true") == 0 ||
                                                 strcmp(ignore, "1") == 0);
    gboolean ok = TRUE;
    if (*text == '\0') {
        imp__font_finding_add(r->findings, IMP_DIAG_WARNING, base, line,
                              "an empty <include>; skipped");
        goto out;
    }
    char *path = resolve(text, prefix, base, g_get_user_config_dir(), TRUE);
    char *name = display(path);
    int fd;
    struct stat st;
    const char *why = NULL;
    switch (open_conf(path, &fd, &st, &why)) {
    case MISSING:
        if (!ignore_missing) {
            char *bname = display(base);
            g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                        "%s:%u: include %s: No such file or directory", bname, line, name);
            g_free(bname);
            ok = FALSE;
        }
        break;
    case REFUSED:
        imp__font_finding_add(r->findings, IMP_DIAG_WARNING, base, line,
                              "include %s: %s, not a configuration file; skipped", name, why);
        break;
    case OPENED:
        if (S_ISDIR(st.st_mode)) {
            GPtrArray *files = folder_files(path, fd);
            for (guint i = 0; ok && i < files->len; i++) {
                const char *f = files->pdata[i];
                int ffd;
                struct stat fst;
                const char *fwhy = NULL;
                OpenResult res = open_conf(f, &ffd, &fst, &fwhy);
                if (res == OPENED && S_ISREG(fst.st_mode)) {
                    ok = include_file(r, doc, n, f, ffd, &fst, base, line, error);
                } else if (res != MISSING) {
                    char *fname = display(f);
                    imp__font_finding_add(r->findings, IMP_DIAG_WARNING, base, line,
                                          "include %s: %s, not a configuration file; "
                                          "skipped", fname,
                                          res == OPENED ? "a folder" : fwhy);
                    g_free(fname);
                }
                if (ffd >= 0)
                    close(ffd);
            }
            g_ptr_array_free(files, TRUE);
        } else {
            ok = include_file(r, doc, n, path, fd, &st, base, line, error);
        }
        close(fd);
        break;
    }
    g_free(name);
    g_free(path);
out:
    g_free(text);
    g_free(prefix);
    g_free(ignore);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    return ok;
}

/* Adds the family names a <match> rule tests for to the known families. */
static void match_families(Reader *r, xmlNodePtr match)
{
    for (xmlNodePtr t = match->children; t != NULL; t = t->next) {
        if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "test") != 0)
            continue;
        char *what = node_attr(t, "name");
        if (g_strcmp0(what, "family") == 0)
            for (xmlNodePtr s = t->children; s != NULL; s = s->next)
                if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, "string") == 0)
                    g_ptr_array_add(r->conf->families, node_text(s));
        g_free(what);
    }
}

/* Processes the children of `parent` in document `doc` of file `path`: includes spliced
 * in, folders taken out, relative cache folders made absolute, family names noted. */
static gboolean process(Reader *r, xmlDocPtr doc, xmlNodePtr parent, const char *path,
                        GError **error)
{
    xmlNodePtr next;
    for (xmlNodePtr n = parent->children; n != NULL; n = next) {
        next = n->next;
        if (n->type == XML_ENTITY_REF_NODE) {
            char *name = display(path);
            g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s:%ld: the entity &%s; is not "
                        "defined", name, xmlGetLineNo(parent), (const char *)n->name);
            g_free(name);
            return FALSE;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *tag = (const char *)n->name;
        if (strcmp(tag, "include") == 0) {
            if (!do_include(r, doc, n, path, error))
                return FALSE;
        } else if (strcmp(tag, "dir") == 0 || strcmp(tag, "remap-dir") == 0) {
            char *text = node_text(n);
            char *prefix = node_attr(n, "prefix");
            if (*text != '\0')
                g_ptr_array_add(r->conf->dirs,
                                resolve(text, prefix, path, g_get_user_data_dir(), FALSE));
            g_free(text);
            g_free(prefix);
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (strcmp(tag, "reset-dirs") == 0) {
            g_ptr_array_set_size(r->conf->dirs, 0);
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (strcmp(tag, "cachedir") == 0) {
            char *prefix = node_attr(n, "prefix");
            if (g_strcmp0(prefix, "relative") == 0) {
                char *text = node_text(n);
                char *abs = resolve(text, prefix, path, NULL, TRUE);
                xmlNodeSetContent(n, NULL);
                xmlNodeAddContent(n, (const xmlChar *)abs);
                xmlUnsetProp(n, (const xmlChar *)"prefix");
                g_free(abs);
                g_free(text);
            }
            g_free(prefix);
        } else if (strcmp(tag, "alias") == 0) {
            for (xmlNodePtr c = n->children; c != NULL; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "family") == 0) {
                    g_ptr_array_add(r->conf->families, node_text(c));
                    break;
                }
        } else {
            if (strcmp(tag, "match") == 0)
                match_families(r, n);
            if (!process(r, doc, n, path, error))
                return FALSE;
        }
    }
    return TRUE;
}

/* Reads the configuration; see fontcheck.h. */
gboolean imp__font_conf_load(const char *path, ImpFontConf *conf, GPtrArray *findings,
                             GError **error)
{
    g_return_val_if_fail(path != NULL && conf != NULL && findings != NULL, FALSE);
    memset(conf, 0, sizeof *conf);
    conf->dirs = g_ptr_array_new_with_free_func(g_free);
    conf->families = g_ptr_array_new_with_free_func(g_free);
    Reader r = { conf, findings, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                 0, 0 };
    char *abs = g_canonicalize_filename(path, NULL);
    char *name = display(path);
    int fd;
    struct stat st;
    const char *why = NULL;
    xmlDocPtr doc = NULL;
    gboolean ok = FALSE;
    OpenResult res = open_conf(abs, &fd, &st, &why);
    if (res == MISSING) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT, "%s: font configuration not found",
                    name);
    } else if (res == REFUSED || S_ISDIR(st.st_mode)) {
        g_set_error(error, IMP_ERROR, IMP_ERROR_FONT,
                    "%s: the font configuration is %s, not a regular file", name,
                    res == REFUSED ? why : "a folder");
    } else if (read_file(&r, abs, fd, &st, NULL, 0, &doc, error) &&
               process(&r, doc, xmlDocGetRootElement(doc), abs, error)) {
        xmlChar *mem = NULL;
        int size = 0;
        xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
        conf->text = g_strndup((const char *)mem, (gsize)MAX(size, 0));
        xmlFree(mem);
        ok = TRUE;
    }
    if (fd >= 0)
        close(fd);
    xmlFreeDoc(doc);
    g_hash_table_destroy(r.read);
    g_free(name);
    g_free(abs);
    return ok;
}

void imp__font_conf_clear(ImpFontConf *conf)
{
    if (conf == NULL)
        return;
    g_free(conf->text);
    if (conf->dirs != NULL)
        g_ptr_array_free(conf->dirs, TRUE);
    if (conf->families != NULL)
        g_ptr_array_free(conf->families, TRUE);
    memset(conf, 0, sizeof *conf);
}
