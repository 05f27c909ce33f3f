/* lab-render.h — LabPrim lists as GtkSnapshot render nodes, shared by the
 * widgets that draw a layout (the timeline, the bar chart). Implemented in
 * lab-timeline-render.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-paint.h"

G_BEGIN_DECLS

/* Light text means a dark theme. */
gboolean       lab_timeline_widget_is_dark (GtkWidget *widget);

/* Boxes, axis-aligned lines and text as native nodes; marks, diagonal or
 * dashed lines, arrows and steps painted by lab-paint into cairo nodes.
 * @points: the layout whose point array ARROW and STEPS refer to (NULL if
 * @prims has none). */
GskRenderNode *lab_render_prims            (const LabPrim     *prims,
                                            guint              n_prims,
                                            LabTimelineLayout *points,
                                            LabPainter        *painter,
                                            double             width,
                                            double             height);

G_END_DECLS
