/* lab-paint.c — cairo painting of the layouts' primitives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-paint.h"

#define DEFAULT_FAMILY "Cantarell, DejaVu Sans, sans-serif"

struct _LabPainter
{
  PangoContext *context;
  char         *family;
  PangoLayout  *measure_layout;
};

LabPainter *
lab_painter_new (PangoContext *context)
{
  LabPainter *self = g_new0 (LabPainter, 1);

  if (context != NULL)
    {
      self->context = g_object_ref (context);
    }
  else
    {
      PangoFontMap *map = pango_cairo_font_map_get_default ();
      cairo_font_options_t *options = cairo_font_options_create ();

      self->context = pango_font_map_create_context (map);
      /* Unhinted metrics: text is as wide at 2× as twice at 1×, so the
       * layout measured once fits both. */
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
      pango_cairo_context_set_font_options (self->context, options);
      pango_cairo_context_set_resolution (self->context, 96);
      cairo_font_options_destroy (options);
    }
  self->family = g_strdup (DEFAULT_FAMILY);
  self->measure_layout = pango_layout_new (self->context);
  return self;
}

void
lab_painter_free (LabPainter *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->measure_layout);
  g_object_unref (self->context);
  g_free (self->family);
  g_free (self);
}

void
lab_painter_set_family (LabPainter *self,
                        const char *family)
{
  g_free (self->family);
  self->family = g_strdup (family != NULL ? family : DEFAULT_FAMILY);
}

PangoContext *
lab_painter_get_context (LabPainter *self)
{
  return self->context;
}

static PangoFontDescription *
font_for (LabPainter *self,
          double      size_px,
          gboolean    bold)
{
  PangoFontDescription *desc = pango_font_description_from_string (self->family);

  pango_font_description_set_absolute_size (desc, MAX (size_px, 1) * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return desc;
}

PangoLayout *
lab_painter_create_layout (LabPainter *self,
                           const char *text,
                           double      size_px,
                           gboolean    bold,
                           double      width)
{
  PangoLayout *layout = pango_layout_new (self->context);
  PangoFontDescription *desc = font_for (self, size_px, bold);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_font_description_free (desc);
  return layout;
}

double
lab_painter_measure_text (const char *text,
                          double      size_px,
                          gboolean    bold,
                          gpointer    data)
{
  LabPainter *self = data;
  PangoFontDescription *desc = font_for (self, size_px, bold);
  PangoRectangle logical;

  pango_layout_set_font_description (self->measure_layout, desc);
  pango_layout_set_text (self->measure_layout, text, -1);
  pango_layout_get_extents (self->measure_layout, NULL, &logical);
  pango_font_description_free (desc);
  return (double) logical.width / PANGO_SCALE;
}

PangoLayout *
lab_painter_text_layout (LabPainter    *self,
                         const LabPrim *prim,
                         double        *y)
{
  PangoLayout *layout = lab_painter_create_layout (self, prim->text, prim->size,
                                                   (prim->flags & LAB_PRIM_FLAG_BOLD) != 0,
                                                   prim->w);
  PangoRectangle logical;

  if (prim->flags & LAB_PRIM_FLAG_ALIGN_CENTER)
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  else if (prim->flags & LAB_PRIM_FLAG_ALIGN_RIGHT)
    pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);

  pango_layout_get_extents (layout, NULL, &logical);
  if (y != NULL)
    *y = prim->y + (prim->h - (double) logical.height / PANGO_SCALE) / 2;
  return layout;
}

void
lab_paint_set_color (cairo_t        *cr,
                     const LabColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  if (r <= 0.5)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
mark_path (cairo_t *cr,
           double   x,
           double   y,
           double   w,
           double   h,
           guint16  flags)
{
  double cx = x + w / 2;
  double cy = y + h / 2;

  if (flags & LAB_PRIM_FLAG_STRIP)
    cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (w - 1, 1), MAX (h - 1, 1));
  else if (flags & LAB_PRIM_FLAG_DIAMOND)
    {
      cairo_move_to (cr, cx, y);
      cairo_line_to (cr, x + w, cy);
      cairo_line_to (cr, cx, y + h);
      cairo_line_to (cr, x, cy);
      cairo_close_path (cr);
    }
  else if (flags & LAB_PRIM_FLAG_OUTPUT)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, MIN (w, h) / 2 - 0.5, 0, 2 * G_PI);
    }
  else
    {
      /* A triangle pointing down at the spans below. */
      cairo_move_to (cr, x, y + h * 0.1);
      cairo_line_to (cr, x + w, y + h * 0.1);
      cairo_line_to (cr, cx, y + h);
      cairo_close_path (cr);
    }
}

static void
paint_arrow (cairo_t        *cr,
             const LabPoint *p,
             const LabPrim  *prim)
{
  double dx = p[3].x - p[2].x;
  double dy = p[3].y - p[2].y;
  double len = sqrt (dx * dx + dy * dy);
  double head = prim->size > 1.5 ? 8 : 6.5;
  double ux, uy;

  if (len < 0.01)
    {
      dx = p[3].x - p[0].x;
      dy = p[3].y - p[0].y;
      len = MAX (sqrt (dx * dx + dy * dy), 0.01);
    }
  ux = dx / len;
  uy = dy / len;

  lab_paint_set_color (cr, &prim->color);
  cairo_set_line_width (cr, prim->size);
  cairo_move_to (cr, p[0].x, p[0].y);
  cairo_curve_to (cr, p[1].x, p[1].y, p[2].x, p[2].y,
                  p[3].x - ux * head * 0.6, p[3].y - uy * head * 0.6);
  cairo_stroke (cr);

  cairo_move_to (cr, p[3].x, p[3].y);
  cairo_line_to (cr, p[3].x - ux * head - uy * head * 0.45, p[3].y - uy * head + ux * head * 0.45);
  cairo_line_to (cr, p[3].x - ux * head + uy * head * 0.45, p[3].y - uy * head - ux * head * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
paint_steps (cairo_t        *cr,
             const LabPoint *p,
             const LabPrim  *prim)
{
  if (prim->count < 2)
    return;

  if (prim->color2.alpha > 0)
    {
      cairo_move_to (cr, p[0].x, prim->y + prim->h);
      for (guint i = 0; i < prim->count; i++)
        cairo_line_to (cr, p[i].x, p[i].y);
      cairo_line_to (cr, p[prim->count - 1].x, prim->y + prim->h);
      cairo_close_path (cr);
      lab_paint_set_color (cr, &prim->color2);
      cairo_fill (cr);
    }

  cairo_move_to (cr, p[0].x, p[0].y);
  for (guint i = 1; i < prim->count; i++)
    cairo_line_to (cr, p[i].x, p[i].y);
  cairo_set_line_width (cr, prim->size);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  lab_paint_set_color (cr, &prim->color);
  cairo_stroke (cr);
}

static void
paint_text (LabPainter    *self,
            cairo_t       *cr,
            const LabPrim *prim)
{
  double y;
  PangoLayout *layout = lab_painter_text_layout (self, prim, &y);

  lab_paint_set_color (cr, &prim->color);
  cairo_move_to (cr, prim->x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

void
lab_paint_prim (LabPainter     *self,
                cairo_t        *cr,
                const LabPoint *points,
                const LabPrim  *prim)
{
  switch ((LabPrimKind) prim->kind)
    {
    case LAB_PRIM_RECT:
      lab_paint_set_color (cr, &prim->color);
      cairo_rectangle (cr, prim->x, prim->y, prim->w, prim->h);
      cairo_fill (cr);
      break;

    case LAB_PRIM_SPAN:
      lab_paint_set_color (cr, &prim->color);
      rounded_rect (cr, prim->x, prim->y, prim->w, prim->h, prim->w > 8 ? 2.5 : 0);
      cairo_fill (cr);
      break;

    case LAB_PRIM_FOLDED:
      lab_paint_set_color (cr, &prim->color);
      cairo_rectangle (cr, prim->x, prim->y, prim->w, prim->h);
      cairo_fill (cr);
      {
        LabColor edge = prim->color;

        edge.alpha = 1;
        lab_paint_set_color (cr, &edge);
        cairo_set_line_width (cr, 1);
        cairo_rectangle (cr, prim->x + 0.5, prim->y + 0.5, MAX (prim->w - 1, 0), prim->h - 1);
        cairo_stroke (cr);
      }
      break;

    case LAB_PRIM_LINE:
      lab_paint_set_color (cr, &prim->color);
      cairo_set_line_width (cr, prim->size);
      cairo_move_to (cr, prim->x, prim->y);
      cairo_line_to (cr, prim->x + prim->w, prim->y + prim->h);
      if (prim->flags & LAB_PRIM_FLAG_DASHED)
        cairo_set_dash (cr, (double[]) { prim->size * 4, prim->size * 3 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      break;

    case LAB_PRIM_TEXT:
      paint_text (self, cr, prim);
      break;

    case LAB_PRIM_MARK:
      mark_path (cr, prim->x, prim->y, prim->w, prim->h, prim->flags);
      lab_paint_set_color (cr, &prim->color);
      cairo_fill_preserve (cr);
      lab_paint_set_color (cr, &prim->color2);
      cairo_set_line_width (cr, (prim->flags & LAB_PRIM_FLAG_HIGHLIGHT) ? 1.5 : 1);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
      break;

    case LAB_PRIM_ARROW:
      paint_arrow (cr, &points[prim->index], prim);
      break;

    case LAB_PRIM_STEPS:
      paint_steps (cr, &points[prim->index], prim);
      break;

    case LAB_PRIM_CLIP_PUSH:
      cairo_save (cr);
      cairo_rectangle (cr, prim->x, prim->y, prim->w, prim->h);
      cairo_clip (cr);
      break;

    case LAB_PRIM_CLIP_POP:
      cairo_restore (cr);
      break;

    default:
      break;
    }
}

void
lab_paint_prims (LabPainter     *self,
                 cairo_t        *cr,
                 const LabPrim  *prims,
                 guint           n_prims,
                 const LabPoint *points)
{
  pango_cairo_update_context (cr, self->context);
  cairo_save (cr);
  for (guint i = 0; i < n_prims; i++)
    lab_paint_prim (self, cr, points, &prims[i]);
  cairo_restore (cr);
}

void
lab_paint_text_at (LabPainter     *self,
                   cairo_t        *cr,
                   const char     *text,
                   double          size_px,
                   gboolean        bold,
                   const LabColor *color,
                   double          x,
                   double          y,
                   double          width)
{
  PangoLayout *layout = lab_painter_create_layout (self, text, size_px, bold, width);

  lab_paint_set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* ---- legend ---- */

static void
paint_legend_symbol (cairo_t                  *cr,
                     const LabLegendEntry     *entry,
                     const LabPalette         *palette,
                     double                    x,
                     double                    y,
                     double                    s)
{
  switch (entry->kind)
    {
    case LAB_LEGEND_SWATCH:
      rounded_rect (cr, x, y + s * 0.1, s * 1.4, s * 0.8, 2.5);
      lab_paint_set_color (cr, &entry->color);
      cairo_fill (cr);
      break;

    case LAB_LEGEND_MARK:
    case LAB_LEGEND_OUTPUT:
    case LAB_LEGEND_HIGHLIGHT:
      mark_path (cr, x + s * 0.2, y, s, s,
                 entry->kind == LAB_LEGEND_OUTPUT ? LAB_PRIM_FLAG_OUTPUT : 0);
      lab_paint_set_color (cr, &entry->color);
      cairo_fill_preserve (cr);
      lab_paint_set_color (cr, &palette->mark_outline);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      break;

    case LAB_LEGEND_ARROW:
      {
        LabPoint p[4] = {
          { x, y + s * 0.8 }, { x + s * 0.6, y + s * 0.8 },
          { x + s * 0.8, y + s * 0.2 }, { x + s * 1.4, y + s * 0.2 },
        };
        LabPrim prim = { 0 };

        prim.size = 1.5;
        prim.color = entry->color;
        paint_arrow (cr, p, &prim);
      }
      break;

    case LAB_LEGEND_LINE:
    case LAB_LEGEND_DASHED_LINE:
      lab_paint_set_color (cr, &entry->color);
      cairo_set_line_width (cr, 2);
      if (entry->kind == LAB_LEGEND_DASHED_LINE)
        cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
      cairo_move_to (cr, x, y + s * 0.5);
      cairo_line_to (cr, x + s * 1.4, y + s * 0.5);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (entry->kind == LAB_LEGEND_LINE)
        {
          cairo_arc (cr, x + s * 0.7, y + s * 0.5, s * 0.3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      break;

    case LAB_LEGEND_MORE:
      break;

    case LAB_LEGEND_COUNTER:
    default:
      cairo_move_to (cr, x, y + s * 0.9);
      cairo_line_to (cr, x + s * 0.45, y + s * 0.9);
      cairo_line_to (cr, x + s * 0.45, y + s * 0.4);
      cairo_line_to (cr, x + s * 0.9, y + s * 0.4);
      cairo_line_to (cr, x + s * 0.9, y + s * 0.1);
      cairo_line_to (cr, x + s * 1.4, y + s * 0.1);
      lab_paint_set_color (cr, &entry->color);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      break;
    }
}

double
lab_paint_legend (LabPainter               *self,
                  cairo_t                  *cr,
                  const LabLegendEntry     *entries,
                  guint                     n_entries,
                  const LabPalette         *palette,
                  double                    x,
                  double                    y,
                  double                    width,
                  double                    size_px)
{
  double line_h = ceil (size_px * 1.6);
  double symbol_w = size_px * 1.4;
  double cx = x;
  double cy = y;

  if (n_entries == 0)
    return 0;

  if (cr != NULL)
    pango_cairo_update_context (cr, self->context);

  for (guint i = 0; i < n_entries; i++)
    {
      const LabLegendEntry *entry = &entries[i];
      double tw = lab_painter_measure_text (entry->label, size_px, FALSE, self);
      double item_w = symbol_w + 8 + tw;

      if (cx > x && cx + item_w > x + width)
        {
          cx = x;
          cy += line_h;
        }

      if (cr != NULL)
        {
          PangoLayout *layout = lab_painter_create_layout (self, entry->label, size_px, FALSE, 0);
          PangoRectangle logical;

          paint_legend_symbol (cr, entry, palette, cx, cy + (line_h - size_px) / 2, size_px);
          pango_layout_get_extents (layout, NULL, &logical);
          lab_paint_set_color (cr, &palette->text);
          cairo_move_to (cr, cx + symbol_w + 8,
                         cy + (line_h - (double) logical.height / PANGO_SCALE) / 2);
          pango_cairo_show_layout (cr, layout);
          g_object_unref (layout);
        }
      cx += item_w + size_px * 1.6;
    }

  return cy + line_h - y;
}
