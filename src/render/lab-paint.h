/* lab-paint.h — paints the timeline layout's primitives with cairo and
 * pangocairo (no GTK): used by the exporter, and by the widget for the
 * shapes GtkSnapshot has no node for (marks, arrows, counter lines).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "lab-timeline-layout.h"

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
/* Sets style->measure and style->measure_data to this painter. */
void         lab_painter_apply_to_style (LabPainter       *painter,
                                         LabTimelineStyle *style);

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
/* One primitive (CLIP_PUSH saves the cairo state, CLIP_POP restores it). */
void         lab_paint_prim           (LabPainter        *painter,
                                       cairo_t           *cr,
                                       LabTimelineLayout *layout,
                                       const LabPrim     *prim);
/* Every primitive of @layout, in order. */
void         lab_paint_layout         (LabPainter        *painter,
                                       cairo_t           *cr,
                                       LabTimelineLayout *layout);

/* The legend as a wrapping row of symbols and labels starting at (x, y),
 * at most @width wide; @cr NULL only measures. Returns the height used. */
double       lab_paint_legend         (LabPainter               *painter,
                                       cairo_t                  *cr,
                                       const LabLegendEntry     *entries,
                                       guint                     n_entries,
                                       const LabTimelinePalette *palette,
                                       double                    x,
                                       double                    y,
                                       double                    width,
                                       double                    size_px);

G_END_DECLS
