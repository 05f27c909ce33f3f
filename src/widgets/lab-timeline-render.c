/* lab-timeline-render.c — what the timeline draws over its main layer
 * (lab-prim-snapshot): the hover outline and the focus ring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lab-timeline-private.h"

void
lab_timeline_render_hover (GtkSnapshot              *snapshot,
                           const LabTimelineHit     *hover,
                           const LabPalette         *pal)
{
  GdkRGBA c = lab_color_to_rgba (&pal->hover);
  graphene_rect_t rect;

  if (hover->kind == LAB_TIMELINE_HIT_COUNTER)
    {
      graphene_rect_init (&rect, hover->x - 0.5, hover->y, 1, hover->height);
      gtk_snapshot_append_color (snapshot, &c, &rect);
    }
  else if (hover->kind != LAB_TIMELINE_HIT_RULER)
    lab_snapshot_outline (snapshot, hover->x - 2, hover->y - 2, hover->width + 4,
                          hover->height + 4, 3, &c);
}

/* A focus ring like Adwaita's (the accent colour, half transparent). */
void
lab_timeline_render_focus (GtkSnapshot *snapshot,
                           double       width,
                           double       height)
{
  GdkRGBA c = { 0.208f, 0.518f, 0.894f, 0.5f };

  lab_snapshot_outline (snapshot, 1, 1, width - 2, height - 2, 4, &c);
}
