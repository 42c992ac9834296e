/* imprint.h — every stage's internal header at once, for the tests and fuzz targets that
 * reach inside the library (tests/unit, tests/fuzz). Not the public API: programs include
 * <imprint/imprint.h> (include/imprint/), which the stage headers include in turn.
 */
#ifndef IMPRINT_INTERNAL_H
#define IMPRINT_INTERNAL_H

#include "model/document.h"
#include "util/diag.h"
#include "util/error.h"
#include "util/file.h"
#include "style/style.h"
#include "read/read.h"
#include "layout/layout.h"
#include "render/render.h"
#include "pipeline/pipeline.h"

#endif /* IMPRINT_INTERNAL_H */
