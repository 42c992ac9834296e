/* imprint.h — the public face of the imprint library: the pipeline stages a program uses to
 * turn text into pages. read (bytes → ImpDocument) → style (ImpStyle) → layout (ImpLayout)
 * → render (PDF/PNG/SVG).
 */
#ifndef IMPRINT_H
#define IMPRINT_H

#include "model/document.h"
#include "util/diag.h"
#include "util/error.h"
#include "util/file.h"
#include "style/style.h"
#include "read/read.h"
#include "layout/layout.h"
#include "render/render.h"

#endif /* IMPRINT_H */
