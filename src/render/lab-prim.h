/* lab-prim.h — the drawing primitives that the layouts (timeline, charts)
 * produce and that lab-paint and the widgets draw: boxes, lines, text,
 * marks, arrows and steps, in viewport px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-color.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PRIM_RECT = 0,  /* filled box: backgrounds, ruler, columns */
  LAB_PRIM_SPAN,      /* a span box; lane, depth, index = span index */
  LAB_PRIM_FOLDED,    /* @count narrow spans folded; index = first */
  LAB_PRIM_LINE,      /* (x, y) → (x + w, y + h), @size px wide */
  LAB_PRIM_TEXT,      /* @text in the box, vertically centred, ellipsized */
  LAB_PRIM_MARK,      /* marker centred on x, in the box; index = event */
  LAB_PRIM_ARROW,     /* cubic Bézier: points[index .. index + 3] */
  LAB_PRIM_STEPS,     /* line through points[index .. index + count - 1],
                       * filled down to y + h when @color2 is not clear */
  LAB_PRIM_CLIP_PUSH, /* clip what follows to the box ... */
  LAB_PRIM_CLIP_POP,  /* ... until here */
} LabPrimKind;

typedef enum
{
  LAB_PRIM_FLAG_NONE         = 0,
  LAB_PRIM_FLAG_HIGHLIGHT    = 1 << 0, /* lost update / error */
  LAB_PRIM_FLAG_BOLD         = 1 << 1, /* text */
  LAB_PRIM_FLAG_ALIGN_CENTER = 1 << 2, /* text */
  LAB_PRIM_FLAG_ALIGN_RIGHT  = 1 << 3, /* text */
  LAB_PRIM_FLAG_OPEN         = 1 << 4, /* span still running */
  LAB_PRIM_FLAG_DIAMOND      = 1 << 5, /* mark shape: folded marks */
  LAB_PRIM_FLAG_OUTPUT       = 1 << 6, /* mark of a printed line */
  LAB_PRIM_FLAG_DASHED       = 1 << 7, /* LINE: dashed (reference, ideal) */
  LAB_PRIM_FLAG_STRIP        = 1 << 8, /* MARK: a run of marks too dense to
                                        * tell apart, drawn as one bar */
} LabPrimFlags;

typedef struct
{
  guint8       kind;    /* LabPrimKind */
  guint8       state;   /* LabState of spans */
  guint16      flags;   /* LabPrimFlags */
  guint16      lane;
  guint16      depth;
  guint32      index;   /* see LabPrimKind */
  guint32      count;   /* folded spans / marks; points of STEPS */
  double       x;
  double       y;
  double       w;
  double       h;
  double       size;    /* font size (TEXT), line width (LINE, ARROW, STEPS) */
  LabColor     color;
  LabColor     color2;  /* outline (MARK, SPAN), fill (STEPS) */
  const char  *text;    /* owned by the layout */
} LabPrim;

typedef struct
{
  double x;
  double y;
} LabPoint;

/* Width in px of @text at @size_px (bold or not); a painter provides it,
 * so that a layout places text without knowing fonts. */
typedef double (*LabTextMeasureFunc) (const char *text,
                                      double      size_px,
                                      gboolean    bold,
                                      gpointer    user_data);

/* Appends a primitive of @kind (line width 1, @color or clear) to @prims
 * and returns it, for the caller to fill in the rest. */
LabPrim    *lab_prim_append      (GArray             *prims,
                                  LabPrimKind         kind,
                                  double              x,
                                  double              y,
                                  double              w,
                                  double              h,
                                  const LabColor     *color);
/* A TEXT primitive with @text copied into @strings; NULL (nothing added)
 * for empty text or a box narrower than a pixel. */
LabPrim    *lab_prim_append_text (GArray             *prims,
                                  GStringChunk       *strings,
                                  const char         *text,
                                  double              x,
                                  double              y,
                                  double              w,
                                  double              h,
                                  double              size,
                                  guint16             flags,
                                  const LabColor     *color);
/* @text in @strings (NULL: ""), for primitives and legends to point at. */
const char *lab_prim_intern      (GStringChunk       *strings,
                                  const char         *text);
/* The width of @text by @measure, or an estimate from the size when
 * @measure is NULL (tests, and deciding what fits before fonts exist). */
double      lab_text_measure     (LabTextMeasureFunc  measure,
                                  gpointer            measure_data,
                                  const char         *text,
                                  double              size_px,
                                  gboolean            bold);

G_END_DECLS
