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

/* Boxes, axis-aligned lines and text as native nodes; marks, diagonal or
 * dashed lines, arrows and steps painted by lab-paint into cairo nodes.
 * @points: the array ARROW and STEPS refer to (NULL if @prims has none). */
GskRenderNode *lab_prim_snapshot_render (const LabPrim  *prims,
                                         guint           n_prims,
                                         const LabPoint *points,
                                         LabPainter     *painter,
                                         double          width,
                                         double          height);

G_END_DECLS
