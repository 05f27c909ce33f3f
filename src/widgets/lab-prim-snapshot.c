/* lab-prim-snapshot.c — turns a layout's primitives into render nodes:
 * boxes, lines and text as native GtkSnapshot nodes; marks, arrows and
 * counter lines, which GTK 4.8 has no node for, painted by lab-paint into
 * one cairo node per run of consecutive shapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lab-prim-snapshot.h"

gboolean
lab_widget_is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

  /* Light text means a dark theme. gtk_widget_get_color() is 4.10; in 4.8
   * the style context is the current API. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static gboolean
needs_cairo (const LabPrim *prim)
{
  switch (prim->kind)
    {
    case LAB_PRIM_MARK:
      /* A strip of dense marks is a box: a native node, not a cairo shape. */
      return !(prim->flags & LAB_PRIM_FLAG_STRIP);
    case LAB_PRIM_ARROW:
    case LAB_PRIM_STEPS:
      return TRUE;
    case LAB_PRIM_LINE:
      return (prim->w != 0 && prim->h != 0) || (prim->flags & LAB_PRIM_FLAG_DASHED);
    default:
      return FALSE;
    }
}

/* The box a shape may paint in: its own, with room for strokes and heads. */
static void
prim_extent (const LabPrim   *prim,
             graphene_rect_t *rect)
{
  double x0 = MIN (prim->x, prim->x + prim->w) - 10;
  double y0 = MIN (prim->y, prim->y + prim->h) - 10;

  graphene_rect_init (rect, x0, y0, ABS (prim->w) + 20, ABS (prim->h) + 20);
}

/* Where a run of cairo shapes from @first (all needing cairo up to @end)
 * should stop: a cairo node is replayed over its whole box every frame, so
 * shapes far apart (the highlighted marks of a long lane, arrows in every
 * corner) go into nodes of their own rather than one box over the plot. */
static guint
cairo_run_end (const LabPrim *prims,
               guint          first,
               guint          end)
{
  graphene_rect_t box, one;
  double covered;
  guint i;

  prim_extent (&prims[first], &box);
  covered = box.size.width * box.size.height;
  for (i = first + 1; i < end; i++)
    {
      graphene_rect_t grown;

      prim_extent (&prims[i], &one);
      graphene_rect_union (&box, &one, &grown);
      covered += one.size.width * one.size.height;
      if (grown.size.width * grown.size.height > 1.5 * covered)
        break;
      box = grown;
    }
  return i;
}

static void
append_cairo_run (const LabPoint *points,
                  LabPainter     *painter,
                  GtkSnapshot    *snapshot,
                  const LabPrim  *prims,
                  guint           first,
                  guint           end,
                  double          width,
                  double          height)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  graphene_rect_t bounds;
  cairo_t *cr;

  for (guint i = first; i < end; i++)
    {
      x0 = MIN (x0, MIN (prims[i].x, prims[i].x + prims[i].w));
      y0 = MIN (y0, MIN (prims[i].y, prims[i].y + prims[i].h));
      x1 = MAX (x1, MAX (prims[i].x, prims[i].x + prims[i].w));
      y1 = MAX (y1, MAX (prims[i].y, prims[i].y + prims[i].h));
    }
  /* Room for strokes and arrowheads, within the widget. */
  x0 = MAX (floor (x0) - 10, 0);
  y0 = MAX (floor (y0) - 10, 0);
  x1 = MIN (ceil (x1) + 10, width);
  y1 = MIN (ceil (y1) + 10, height);
  if (x1 <= x0 || y1 <= y0)
    return;

  graphene_rect_init (&bounds, x0, y0, x1 - x0, y1 - y0);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  for (guint i = first; i < end; i++)
    lab_paint_prim (painter, cr, points, &prims[i]);
  cairo_destroy (cr);
}

static void
append_prim (LabPainter    *painter,
             GtkSnapshot   *snapshot,
             const LabPrim *prim)
{
  GdkRGBA color = lab_color_to_rgba (&prim->color);
  graphene_rect_t rect;

  switch (prim->kind)
    {
    case LAB_PRIM_RECT:
    case LAB_PRIM_SPAN:
      graphene_rect_init (&rect, prim->x, prim->y, prim->w, prim->h);
      gtk_snapshot_append_color (snapshot, &color, &rect);
      break;

    case LAB_PRIM_FOLDED:
    case LAB_PRIM_MARK: /* a strip (the other marks are cairo shapes) */
      {
        GskRoundedRect outline;
        GdkRGBA edge = prim->kind == LAB_PRIM_MARK ? lab_color_to_rgba (&prim->color2) : color;
        float widths[4] = { 1, 1, 1, 1 };

        graphene_rect_init (&rect, prim->x, prim->y, prim->w, prim->h);
        edge.alpha = 1;
        if (prim->w < 6)
          {
            /* All edge: one node, not two (zoomed out there are thousands). */
            gtk_snapshot_append_color (snapshot, &edge, &rect);
            break;
          }
        gtk_snapshot_append_color (snapshot, &color, &rect);
        gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
        gtk_snapshot_append_border (snapshot, &outline, widths,
                                    (GdkRGBA[4]) { edge, edge, edge, edge });
      }
      break;

    case LAB_PRIM_LINE:
      /* Axis-aligned only (others go to cairo): a 1 px box. */
      if (prim->w == 0)
        graphene_rect_init (&rect, prim->x - prim->size / 2, prim->y, prim->size, prim->h);
      else
        graphene_rect_init (&rect, prim->x, prim->y - prim->size / 2, prim->w, prim->size);
      gtk_snapshot_append_color (snapshot, &color, &rect);
      break;

    case LAB_PRIM_TEXT:
      {
        double y;
        PangoLayout *layout = lab_painter_text_layout (painter, prim, &y);

        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (prim->x, y));
        gtk_snapshot_append_layout (snapshot, layout, &color);
        gtk_snapshot_restore (snapshot);
        g_object_unref (layout);
      }
      break;

    case LAB_PRIM_CLIP_PUSH:
      graphene_rect_init (&rect, prim->x, prim->y, prim->w, prim->h);
      gtk_snapshot_push_clip (snapshot, &rect);
      break;

    case LAB_PRIM_CLIP_POP:
      gtk_snapshot_pop (snapshot);
      break;

    default:
      break;
    }
}

static GskRenderNode *
prim_snapshot_render (const LabPrim  *prims,
                      guint           n,
                      const LabPoint *points,
                      LabPainter     *painter,
                      double          width,
                      double          height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  guint i = 0;

  while (i < n)
    {
      if (needs_cairo (&prims[i]))
        {
          guint end = i + 1;

          /* Consecutive shapes close together share one cairo node. */
          while (end < n && needs_cairo (&prims[end]))
            end++;
          end = cairo_run_end (prims, i, end);
          append_cairo_run (points, painter, snapshot, prims, i, end, width, height);
          i = end;
          continue;
        }
      append_prim (painter, snapshot, &prims[i]);
      i++;
    }
  return gtk_snapshot_free_to_node (snapshot);
}

void
lab_snapshot_outline (GtkSnapshot   *snapshot,
                      double         x,
                      double         y,
                      double         width,
                      double         height,
                      double         radius,
                      const GdkRGBA *color)
{
  float widths[4] = { 2, 2, 2, 2 };
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_append_border (snapshot, &outline, widths,
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

LabPainter *
lab_prim_layer_get_painter (LabPrimLayer *layer,
                            GtkWidget    *widget)
{
  if (layer->painter == NULL)
    layer->painter = lab_painter_new (gtk_widget_get_pango_context (widget));
  return layer->painter;
}

void
lab_prim_layer_update (LabPrimLayer   *layer,
                       const LabPrim  *prims,
                       guint           n_prims,
                       const LabPoint *points,
                       double          width,
                       double          height)
{
  g_return_if_fail (layer->painter != NULL);

  lab_prim_layer_invalidate (layer);
  layer->node = prim_snapshot_render (prims, n_prims, points, layer->painter, width, height);
}

void
lab_prim_layer_snapshot (LabPrimLayer *layer,
                         GtkSnapshot  *snapshot)
{
  if (layer->node != NULL)
    gtk_snapshot_append_node (snapshot, layer->node);
}

void
lab_prim_layer_invalidate (LabPrimLayer *layer)
{
  g_clear_pointer (&layer->node, gsk_render_node_unref);
}

void
lab_prim_layer_clear (LabPrimLayer *layer)
{
  lab_prim_layer_invalidate (layer);
  g_clear_pointer (&layer->painter, lab_painter_free);
}
