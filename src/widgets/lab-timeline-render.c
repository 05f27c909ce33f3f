/* lab-timeline-render.c — what the timeline draws besides its main layer
 * (lab-prim-snapshot): the hover outline, the focus ring and the legend
 * strip.
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

#define LEGEND_FONT_PX 12
#define LEGEND_PAD     6

/* The legend is painted by lab_paint_legend(), as on an exported image. */
double
lab_timeline_legend_height (LabTimeline *self,
                            double       width)
{
  const LabLegendEntry *entries;
  LabPainter *painter;
  guint n;
  double h;

  if (!self->show_legend)
    return 0;
  entries = lab_timeline_layout_get_legend (self->layout, &n);
  if (n == 0)
    return 0;
  painter = lab_prim_layer_get_painter (&self->layer, GTK_WIDGET (self));
  h = lab_paint_legend (painter, NULL, entries, n, lab_timeline_layout_get_palette (self->layout),
                        LEGEND_PAD + 2, 0, width - 2 * (LEGEND_PAD + 2), LEGEND_FONT_PX);
  return ceil (h + 2 * LEGEND_PAD);
}

void
lab_timeline_update_legend (LabTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const LabPalette *pal = lab_timeline_layout_get_palette (self->layout);
  double w = gtk_widget_get_width (widget);
  double y = MAX (gtk_widget_get_height (widget) - self->legend_height, 0);
  const LabLegendEntry *entries;
  GtkSnapshot *snapshot;
  cairo_t *cr;
  guint n;

  g_clear_pointer (&self->legend_node, gsk_render_node_unref);
  if (self->legend_height <= 0)
    return;

  entries = lab_timeline_layout_get_legend (self->layout, &n);
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, y, w, self->legend_height));
  lab_paint_set_color (cr, &pal->ruler_background);
  cairo_rectangle (cr, 0, y, w, self->legend_height);
  cairo_fill (cr);
  lab_paint_set_color (cr, &pal->separator);
  cairo_rectangle (cr, 0, y, w, 1);
  cairo_fill (cr);
  lab_paint_legend (lab_prim_layer_get_painter (&self->layer, widget), cr, entries, n, pal,
                    LEGEND_PAD + 2, y + LEGEND_PAD, w - 2 * (LEGEND_PAD + 2), LEGEND_FONT_PX);
  cairo_destroy (cr);
  self->legend_node = gtk_snapshot_free_to_node (snapshot);
}
