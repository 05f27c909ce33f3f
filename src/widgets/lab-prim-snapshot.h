/* lab-prim-snapshot.h — LabPrim lists as GtkSnapshot render nodes, for the
 * widgets that draw a layout (the timeline, the bar chart). No widget of
 * its own: the GTK side of the drawing vocabulary in src/render/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-paint.h"

G_BEGIN_DECLS

static inline GdkRGBA
lab_color_to_rgba (const LabColor *color)
{
  return (GdkRGBA) { color->red, color->green, color->blue, color->alpha };
}

/* Light text means a dark theme. */
gboolean       lab_widget_is_dark       (GtkWidget      *widget);

/* A 2 px outline just inside the rounded box: hover outlines, focus rings. */
void           lab_snapshot_outline     (GtkSnapshot    *snapshot,
                                         double          x,
                                         double          y,
                                         double          width,
                                         double          height,
                                         double          radius,
                                         const GdkRGBA  *color);

/* A widget's main layer: the render node of its layout's primitives and
 * the painter that shaped its text. The widget decides when the node is
 * stale (its own cache key); this holds what every widget would repeat. */
typedef struct
{
  LabPainter    *painter; /* made on first use, with the widget's Pango context */
  GskRenderNode *node;    /* NULL: nothing drawn yet, or invalidated */
} LabPrimLayer;

LabPainter    *lab_prim_layer_get_painter (LabPrimLayer   *layer,
                                           GtkWidget      *widget);
/* Replaces the node with one for @prims: boxes, axis-aligned lines and
 * text as native nodes; marks, diagonal or dashed lines, arrows and steps
 * painted by lab-paint into cairo nodes. @points: the array ARROW and
 * STEPS refer to (NULL if @prims has none). */
void           lab_prim_layer_update      (LabPrimLayer   *layer,
                                           const LabPrim  *prims,
                                           guint           n_prims,
                                           const LabPoint *points,
                                           double          width,
                                           double          height);
/* Appends the node, if any. */
void           lab_prim_layer_snapshot    (LabPrimLayer   *layer,
                                           GtkSnapshot    *snapshot);
/* Drops the node (the next snapshot rebuilds it). */
void           lab_prim_layer_invalidate  (LabPrimLayer   *layer);
/* Drops the node and the painter (finalize). */
void           lab_prim_layer_clear       (LabPrimLayer   *layer);

G_END_DECLS
