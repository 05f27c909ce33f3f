/* lab-timeline-render.c — the timeline's layers: the layout's primitives
 * as one render node (lab-prim-snapshot), the hover outline and the focus
 * ring drawn over it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lab-timeline-private.h"

GskRenderNode *
lab_timeline_render_layer (LabTimelineLayout *layout,
                           LabPainter        *painter,
                           double             width,
                           double             height)
{
  guint n = 0;
  const LabPrim *prims = lab_timeline_layout_get_prims (layout, &n);

  return lab_prim_snapshot_render (prims, n, lab_timeline_layout_get_points (layout, NULL),
                                   painter, width, height);
}

void
lab_timeline_render_hover (GtkSnapshot              *snapshot,
                           const LabTimelineHit     *hover,
                           const LabPalette *pal)
{
  GdkRGBA c = lab_color_to_rgba (&pal->hover);
  graphene_rect_t rect;

  if (hover->kind == LAB_TIMELINE_HIT_COUNTER)
    {
      graphene_rect_init (&rect, hover->x - 0.5, hover->y, 1, hover->height);
      gtk_snapshot_append_color (snapshot, &c, &rect);
    }
  else if (hover->kind != LAB_TIMELINE_HIT_RULER)
    {
      GskRoundedRect outline;
      float w[4] = { 2, 2, 2, 2 };

      graphene_rect_init (&rect, hover->x - 2, hover->y - 2, hover->width + 4, hover->height + 4);
      gsk_rounded_rect_init_from_rect (&outline, &rect, 3);
      gtk_snapshot_append_border (snapshot, &outline, w, (GdkRGBA[4]) { c, c, c, c });
    }
}

/* A focus ring like Adwaita's (the accent colour, half transparent). */
void
lab_timeline_render_focus (GtkSnapshot *snapshot,
                           double       width,
                           double       height)
{
  GdkRGBA c = { 0.208f, 0.518f, 0.894f, 0.5f };
  float w[4] = { 2, 2, 2, 2 };
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 4);
  gtk_snapshot_append_border (snapshot, &outline, w, (GdkRGBA[4]) { c, c, c, c });
}
