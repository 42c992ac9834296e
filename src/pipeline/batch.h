/* batch.h — what the batch's files share: the batch and its items, the names of the
 * outputs, the work on one document, the manifest, the press kit and the report.
 *
 * The files and their jobs:
 *   batch.c      the ImpBatch object: documents added, the worker pool, results delivered
 *                in order on the calling thread, progress
 *   names.c      output names (beside the input, in a folder, one per page, a kit's),
 *                checked against each other and the inputs before anything is written;
 *                page ranges
 *   work.c       one document on a worker: the style cache, the stages, the outputs with
 *                their SHA-256, all or nothing
 *   manifest.c   --manifest: a list of inputs, or JSON Lines with per-document settings
 *   kit.c        the press kit's text, metadata and index files
 *   report.c     the JSON report of a run
 */
#ifndef IMP_BATCH_H
#define IMP_BATCH_H

#include <json-glib/json-glib.h>
#include <pthread.h>

#include "pipeline.h"

G_BEGIN_DECLS

/* A kit preview is this many pixels wide. */
#define IMP_KIT_PREVIEW_WIDTH 1200
/* A kit preview is an image for the web: its colours may be rounded to 64 levels a channel
 * (an error of at most 2 in 255) when that fits them in a palette (render/png.c). */
#define IMP_KIT_PREVIEW_ROUND_BITS 2

/* One finding held until its document is delivered. */
typedef struct {
    ImpDiagLevel level;
    char *file;
    guint line;
    char *message;
} ImpFinding;

/* One file written for a document. */
typedef struct {
    char *path;
    char sha256[65];
    guint64 bytes;
    guint page;  /* pages mode: the 1-based page it holds (for the order); else 0 */
} ImpWritten;

/* How an item's outputs are named (names.c). */
typedef enum {
    IMP_NAMES_ONE,    /* one file: `output` */
    IMP_NAMES_PAGES,  /* one per page: `stem`-NNN.`ext` */
    IMP_NAMES_KIT     /* kit_dir/`kit_name`.{pdf,png,txt,json} */
} ImpNamesKind;

struct ImpBatchItem {
    guint position;          /* among all added, 0-based */
    char *input;
    char *output_asked;      /* NULL: the default name */
    ImpOptions *options;     /* this document's own, or NULL: the batch's */
    /* worked out before the run (names.c) */
    ImpFormat format;
    char *output;            /* IMP_NAMES_ONE: the file */
    char *stem;              /* IMP_NAMES_PAGES: the path without the extension */
    char *kit_name;          /* IMP_NAMES_KIT: NAME */
    /* the result */
    ImpBatchStatus status;
    GError *error;
    guint error_part;        /* the part whose error it is */
    guint n_pages, n_warnings;
    double seconds;
    GArray *written;         /* of ImpWritten, in order (pages ascending) */
    GArray *findings;        /* of ImpFinding: held until delivery */
    JsonObject *kit_json;    /* a kit document's NAME.json, for the index (owned) */
    /* while running (under the batch's lock) */
    guint parts, parts_left; /* tasks the document is split into (pages in parallel) */
    gboolean finished;
};

struct ImpBatch {
    ImpContext *ctx;         /* the caller's; worker 0's */
    ImpOptions *options;     /* the batch's (a copy) */
    GPtrArray *items;        /* of ImpBatchItem*, all added; after the run, the shard's */
    GPtrArray *all;          /* after the run: every item added (owns them) */
    char *output_dir, *kit_dir;
    GArray *ranges;          /* of ImpPageRange; NULL: no --pages */
    guint shard_k, shard_n;  /* 1-based k of n */
    ImpBatchDoneFunc done_func;
    gpointer done_data;
    gboolean ran;
    guint n_failed;
    /* while running */
    pthread_mutex_t lock;
    pthread_cond_t cond;     /* a task finished */
    ImpProgressSink sink;    /* the stages' counters, read by the calling thread */
    guint n_finished, n_finished_failed; /* under the lock */
    pthread_mutex_t style_lock;
    GHashTable *styles;      /* "name\n" + overrides → ImpStyle*: loaded once per run */
    gint previewing;         /* atomic: a worker is drawing a kit's preview (work.c) */
};

/* A range of pages from --pages, 1-based, inclusive; last 0: to the document's last. */
typedef struct {
    guint first, last;
} ImpPageRange;

/* ---- names.c ---- */

/* Parses "all" or "1-3,7,9-" (ranges in any order, none overlapping) into `ranges` (of
 * ImpPageRange; "all" is {1, 0}). IMP_ERROR_USAGE for anything else. */
gboolean imp__pages_parse(const char *spec, GArray *ranges, GError **error);
/* The 1-based pages of `ranges` in a document of `n_pages`, ascending, into `pages` (of
 * guint). IMP_ERROR_OUTPUT for a page beyond the last, naming `name`. */
gboolean imp__pages_expand(const GArray *ranges, guint n_pages, const char *name,
                           GArray *pages, GError **error);
/* The file of page `page` of a document of `n_pages` whose outputs are `stem`-NNN.`ext`
 * (transfer full). */
char *imp__pages_file(const char *stem, ImpFormat format, guint page, guint n_pages);
/* Works out every item's format and names, and refuses the run (IMP_ERROR_USAGE) when
 * two items would write one file, an item would write over an input, or a name disagrees
 * with the format. Looks at every item added, whatever the shard. */
gboolean imp__names_check(ImpBatch *batch, GError **error);
/* The kit file NAME.`ext` (transfer full). */
char *imp__kit_file(const ImpBatch *batch, const ImpBatchItem *item, const char *ext);

/* ---- work.c ---- */

/* One worker: its context and its share of the tasks. */
typedef struct {
    ImpBatch *batch;
    ImpContext *ctx;         /* the batch's for worker 0, else the worker's own */
    gboolean own_ctx;
    int layout_jobs;         /* threads each layout may use */
    ImpRenderScratch *scratch; /* the worker's PNG pixels, reused */
} ImpWorker;

/* Typesets part `part` of `parts` of `item` on worker `w`: with one part, the whole
 * document; with several (pages in parallel), the pages whose index in the list modulo
 * `parts` is `part`. Records the result in the item (under the batch's lock). */
void imp__work_run(ImpWorker *w, ImpBatchItem *item, guint part, guint parts);
/* Frees what an item's run holds. */
void imp__written_clear(gpointer written);
void imp__finding_clear(gpointer finding);

/* ---- manifest.c ---- */

/* Adds the documents of a manifest (see imp_batch_add_manifest()). */
gboolean imp__manifest_add(ImpBatch *batch, const char *path, GError **error);

/* ---- kit.c ---- */

/* The document's text as read: block texts in reading order, blank lines between blocks,
 * list markers before their items, table rows as lines of tab-separated cells; body and
 * notice, nothing the layout adds (transfer full). *n_chars receives the number of
 * characters of the blocks' text. */
char *imp__kit_text(const ImpDocument *doc, guint64 *n_chars);
/* NAME.json of a document (transfer full). `files` (of ImpWritten) are the kit's files so
 * far: the PDF, the preview and the text. The language is the document's, else
 * `style_language` (the style's, which the document was set in; may be NULL). */
JsonObject *imp__kit_document_json(const ImpDocument *doc, const char *name,
                                   guint position, guint n_pages, guint64 n_chars,
                                   const GArray *files, guint preview_width,
                                   guint preview_height, const char *style_language);
/* Writes index.html and index.json into `dir` for `docs` (of JsonObject*, NAME.json's
 * objects, in order). */
gboolean imp__kit_write_index(const char *dir, GPtrArray *docs, gint64 created,
                              GError **error);
/* `node` as JSON text, two-space indented, with a final newline (transfer full). */
char *imp__json_to_string(JsonNode *node);

G_END_DECLS

#endif /* IMP_BATCH_H */
