/* lab-timeline-render.c — what the timeline draws besides its main layer
 * (lab-prim-snapshot): the hover outline, the focus ring and the legend
 * strip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

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

#define LEGEND_FONT_PX  12
#define LEGEND_PAD      6
/* Two rows at most: a run with many threads (cores view, coloured by
 * thread) would otherwise give the lanes' height to its legend. */
#define LEGEND_MAX_ROWS 2

static double
legend_rows_height (guint n_rows)
{
  return n_rows * ceil (LEGEND_FONT_PX * 1.6);
}

/* The entries that fit in LEGEND_MAX_ROWS at @width, the last replaced by
 * "and N more" when some do not. Returns the array (freed by the caller). */
static GArray *
shown_legend (LabTimeline *self,
              double       width,
              char       **more_label)
{
  LabPainter *painter = lab_prim_layer_get_painter (&self->layer, GTK_WIDGET (self));
  const LabPalette *pal = lab_timeline_layout_get_palette (self->layout);
  const LabLegendEntry *entries;
  GArray *shown;
  guint n, k;

  entries = lab_timeline_layout_get_legend (self->layout, &n);
  shown = g_array_sized_new (FALSE, FALSE, sizeof (LabLegendEntry), n + 1);
  g_array_append_vals (shown, entries, n);
  *more_label = NULL;
  for (k = n; k > 0; k--)
    {
      double h = lab_paint_legend (painter, NULL, (LabLegendEntry *) (gpointer) shown->data,
                                   shown->len, pal, 0, 0, width, LEGEND_FONT_PX);

      if (h <= legend_rows_height (LEGEND_MAX_ROWS))
        break;
      /* Keep the first k - 1 entries, then say how many are left out. */
      g_array_set_size (shown, k - 1);
      g_free (*more_label);
      /* Translators: the end of a legend cut short, e.g. "and 12 more" */
      *more_label = g_strdup_printf (ngettext ("and %u more", "and %u more", n - (k - 1)),
                                     n - (k - 1));
      {
        LabLegendEntry more = { LAB_LEGEND_MORE, pal->text_dim, *more_label };

        g_array_append_val (shown, more);
      }
    }
  return shown;
}

/* The legend is painted by lab_paint_legend(), as on an exported image. */
double
lab_timeline_legend_height (LabTimeline *self,
                            double       width)
{
  g_autoptr(GArray) shown = NULL;
  g_autofree char *more = NULL;
  LabPainter *painter;
  double h;

  if (!self->show_legend)
    return 0;
  shown = shown_legend (self, width - 2 * (LEGEND_PAD + 2), &more);
  if (shown->len == 0)
    return 0;
  painter = lab_prim_layer_get_painter (&self->layer, GTK_WIDGET (self));
  h = lab_paint_legend (painter, NULL, (LabLegendEntry *) (gpointer) shown->data, shown->len,
                        lab_timeline_layout_get_palette (self->layout),
                        LEGEND_PAD + 2, 0, width - 2 * (LEGEND_PAD + 2), LEGEND_FONT_PX);
  return ceil (h + 2 * LEGEND_PAD);
}

guint
lab_timeline_legend_rows (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), 0);

  if (self->legend_height <= 0)
    return 0;
  return (guint) round ((self->legend_height - 2 * LEGEND_PAD) / legend_rows_height (1));
}

void
lab_timeline_update_legend (LabTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const LabPalette *pal = lab_timeline_layout_get_palette (self->layout);
  double w = gtk_widget_get_width (widget);
  double y = MAX (gtk_widget_get_height (widget) - self->legend_height, 0);
  g_autoptr(GArray) shown = NULL;
  g_autofree char *more = NULL;
  GtkSnapshot *snapshot;
  cairo_t *cr;

  g_clear_pointer (&self->legend_node, gsk_render_node_unref);
  if (self->legend_height <= 0)
    return;

  shown = shown_legend (self, w - 2 * (LEGEND_PAD + 2), &more);
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, y, w, self->legend_height));
  lab_paint_set_color (cr, &pal->ruler_background);
  cairo_rectangle (cr, 0, y, w, self->legend_height);
  cairo_fill (cr);
  lab_paint_set_color (cr, &pal->separator);
  cairo_rectangle (cr, 0, y, w, 1);
  cairo_fill (cr);
  lab_paint_legend (lab_prim_layer_get_painter (&self->layer, widget), cr,
                    (LabLegendEntry *) (gpointer) shown->data, shown->len, pal,
                    LEGEND_PAD + 2, y + LEGEND_PAD, w - 2 * (LEGEND_PAD + 2), LEGEND_FONT_PX);
  cairo_destroy (cr);
  self->legend_node = gtk_snapshot_free_to_node (snapshot);
}
