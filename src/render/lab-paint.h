/* lab-paint.h — paints the layouts' primitives (LabPrim) with cairo and
 * pangocairo (no GTK): used by the exporter, and by the widgets for the
 * shapes GtkSnapshot has no node for (marks, arrows, counter lines).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "lab-legend.h"
#include "lab-palette.h"
#include "lab-prim.h"

G_BEGIN_DECLS

typedef struct _LabPainter LabPainter;

/* @context: where text is shaped (the widget's); NULL = a context of the
 * default cairo font map, with metrics that do not depend on the scale. */
LabPainter  *lab_painter_new          (PangoContext *context);
void         lab_painter_free         (LabPainter   *painter);
/* "Cantarell, DejaVu Sans, sans-serif" by default. */
void         lab_painter_set_family   (LabPainter   *painter,
                                       const char   *family);
PangoContext *lab_painter_get_context (LabPainter   *painter);

/* A LabTextMeasureFunc: pass the painter as its user data. */
double       lab_painter_measure_text (const char   *text,
                                       double        size_px,
                                       gboolean      bold,
                                       gpointer      painter);

/* A layout for a LAB_PRIM_TEXT (font, width, ellipsis, alignment) and the y
 * at which to draw it so that it is centred in the primitive's box. */
PangoLayout *lab_painter_text_layout  (LabPainter    *painter,
                                       const LabPrim *prim,
                                       double        *y);
/* Same for free text; @width <= 0: no wrapping or ellipsis. */
PangoLayout *lab_painter_create_layout (LabPainter  *painter,
                                        const char  *text,
                                        double       size_px,
                                        gboolean     bold,
                                        double       width);

void         lab_paint_set_color      (cairo_t        *cr,
                                       const LabColor *color);
/* One primitive (CLIP_PUSH saves the cairo state, CLIP_POP restores it).
 * @points: the array that ARROW and STEPS refer to (NULL if none). */
void         lab_paint_prim           (LabPainter     *painter,
                                       cairo_t        *cr,
                                       const LabPoint *points,
                                       const LabPrim  *prim);
/* @prims in order, with the painter's fonts. */
void         lab_paint_prims          (LabPainter     *painter,
                                       cairo_t        *cr,
                                       const LabPrim  *prims,
                                       guint           n_prims,
                                       const LabPoint *points);

/* Free text with its top left at (@x, @y), wrapped to @width (<= 0: one
 * line): titles and notes on exported sheets. */
void         lab_paint_text_at        (LabPainter     *painter,
                                       cairo_t        *cr,
                                       const char     *text,
                                       double          size_px,
                                       gboolean        bold,
                                       const LabColor *color,
                                       double          x,
                                       double          y,
                                       double          width);

/* The legend as a wrapping row of symbols and labels starting at (x, y),
 * at most @width wide; @cr NULL only measures. Returns the height used. */
double       lab_paint_legend         (LabPainter               *painter,
                                       cairo_t                  *cr,
                                       const LabLegendEntry     *entries,
                                       guint                     n_entries,
                                       const LabPalette         *palette,
                                       double                    x,
                                       double                    y,
                                       double                    width,
                                       double                    size_px);

G_END_DECLS
