/* lab-bar-chart-layout.c — the chart layout object and its frame (title,
 * legend, panels, y axes, gridlines). The bars are in lab-bar-chart-bars.c,
 * line charts in lab-bar-chart-lines.c, accessors, hit-testing and
 * tooltips in lab-bar-chart-hit.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-bar-chart-layout-private.h"

void
lab_bar_chart_style_init (LabBarChartStyle *style,
                          gboolean          dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->dark = dark;
  style->font_size = 13;
  style->small_font_size = 11;
  style->title_font_size = 14;
  style->padding = 12;
  style->bar_max_width = 64;
  style->bar_gap = 6;
  style->group_fill = 0.7;
  style->min_tick_spacing = 36;
  style->point_radius = 4.5;
  style->line_width = 2.25;
  style->panel_gap = 18;
  style->lower_panel_share = 0.36;
}

LabBarChartLayout *
lab_bar_chart_layout_new (void)
{
  LabBarChartLayout *self = g_new0 (LabBarChartLayout, 1);

  self->prims = g_array_new (FALSE, FALSE, sizeof (LabPrim));
  self->items = g_array_new (FALSE, FALSE, sizeof (LabBarChartItem));
  self->y_ticks = g_array_new (FALSE, FALSE, sizeof (LabBarChartTick));
  self->x_ticks = g_array_new (FALSE, FALSE, sizeof (LabBarChartTick));
  self->legend = g_array_new (FALSE, FALSE, sizeof (LabLegendEntry));
  self->strings = g_string_chunk_new (1024);
  self->palette = lab_palette_get (FALSE);
  lab_bar_chart_style_init (&self->style, FALSE);
  return self;
}

void
lab_bar_chart_layout_free (LabBarChartLayout *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->chart, lab_chart_unref);
  g_array_unref (self->prims);
  g_array_unref (self->items);
  g_array_unref (self->y_ticks);
  g_array_unref (self->x_ticks);
  g_array_unref (self->legend);
  g_string_chunk_free (self->strings);
  g_free (self);
}

/* ---- small emitters ---- */

LabPrim *
lab_chart_layout_add (LabBarChartLayout *self,
                      LabPrimKind        kind,
                      double             x,
                      double             y,
                      double             w,
                      double             h,
                      const LabColor    *color)
{
  return lab_prim_append (self->prims, kind, x, y, w, h, color);
}

LabPrim *
lab_chart_layout_add_line (LabBarChartLayout *self,
                           double             x0,
                           double             y0,
                           double             x1,
                           double             y1,
                           double             width,
                           guint16            flags,
                           const LabColor    *color)
{
  LabPrim *prim = lab_chart_layout_add (self, LAB_PRIM_LINE, x0, y0, x1 - x0, y1 - y0, color);

  prim->size = width;
  prim->flags = flags;
  return prim;
}

const char *
lab_chart_layout_intern (LabBarChartLayout *self,
                         const char        *text)
{
  return lab_prim_intern (self->strings, text);
}

LabPrim *
lab_chart_layout_add_text (LabBarChartLayout *self,
                           const char        *text,
                           double             x,
                           double             y,
                           double             w,
                           double             h,
                           double             size,
                           guint16            flags,
                           const LabColor    *color)
{
  return lab_prim_append_text (self->prims, self->strings, text, x, y, w, h, size, flags, color);
}

double
lab_chart_layout_measure (LabBarChartLayout *self,
                          const char        *text,
                          double             size,
                          gboolean           bold)
{
  return lab_text_measure (self->style.measure, self->style.measure_data, text, size, bold);
}

void
lab_chart_layout_add_whisker (LabBarChartLayout *self,
                              double             x,
                              double             y_top,
                              double             y_bottom,
                              double             cap,
                              const LabColor    *color)
{
  lab_chart_layout_add_line (self, x, y_top, x, y_bottom, 1.5, 0, color);
  lab_chart_layout_add_line (self, x - cap / 2, y_top, x + cap / 2, y_top, 1.5, 0, color);
  lab_chart_layout_add_line (self, x - cap / 2, y_bottom, x + cap / 2, y_bottom, 1.5, 0, color);
}

/* ---- helpers ---- */

double
lab_chart_nice_step (double range,
                     guint  max_ticks)
{
  static const double mantissas[] = { 1, 2, 5, 10 };
  double raw, mag;

  if (!(range > 0) || !isfinite (range))
    return 1;
  raw = range / MAX (max_ticks, 1);
  mag = pow (10, floor (log10 (raw)));
  for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
    if (mantissas[i] * mag >= raw * (1 - 1e-9))
      return mantissas[i] * mag;
  return 10 * mag;
}

static gboolean
chart_has_data (LabChart *chart)
{
  guint n_points = 0;

  if (chart == NULL)
    return FALSE;
  if (lab_chart_get_kind (chart) == LAB_CHART_BARS)
    return lab_chart_get_n_bars (chart) > 0;
  lab_chart_get_points (chart, &n_points);
  return n_points > 0;
}

static gboolean
series_named (LabChart *chart)
{
  guint n = lab_chart_get_n_series (chart);

  return n > 1 || (n == 1 && lab_chart_get_series (chart, 0)[0] != '\0');
}

static void
data_range (LabBarChartLayout *self,
            guint              panel,
            double            *lo_out,
            double            *hi_out)
{
  LabChart *chart = self->chart;
  const LabChartPoint *points;
  const LabChartReference *refs;
  guint n_points, n_refs;
  double lo = 0, hi = 0, base;

  if (lab_chart_get_kind (chart) == LAB_CHART_BARS)
    for (guint i = 0; i < lab_chart_get_n_bars (chart); i++)
      {
        LabChartBar bar;

        lab_chart_get_bar (chart, i, &bar);
        hi = MAX (hi, bar.value);
        lo = MIN (lo, bar.value);
        if (isfinite (bar.max))
          hi = MAX (hi, bar.max);
        if (isfinite (bar.min))
          lo = MIN (lo, bar.min);
      }

  points = lab_chart_get_points (chart, &n_points);
  if (lab_chart_get_kind (chart) == LAB_CHART_LINES)
    for (guint i = 0; i < n_points; i++)
      if (points[i].panel == panel)
        {
          hi = MAX (hi, isfinite (points[i].y_max) ? MAX (points[i].y, points[i].y_max) : points[i].y);
          lo = MIN (lo, isfinite (points[i].y_min) ? MIN (points[i].y, points[i].y_min) : points[i].y);
        }

  refs = lab_chart_get_references (chart, &n_refs);
  for (guint i = 0; i < n_refs; i++)
    if (refs[i].panel == panel)
      {
        hi = MAX (hi, refs[i].y);
        lo = MIN (lo, refs[i].y);
      }

  if (panel == 0 && lab_chart_get_kind (chart) == LAB_CHART_LINES &&
      lab_chart_get_ideal_line (chart, &base))
    {
      hi = MAX (hi, self->x_max / base);
      lo = MIN (lo, self->x_min / base);
    }

  if (lab_chart_get_unit (chart, panel) == LAB_CHART_UNIT_PERCENT)
    hi = MAX (hi, 1);
  if (hi <= lo)
    hi = lo + 1;
  *lo_out = lo;
  *hi_out = hi;
}

/* ---- the frame ---- */

static double
emit_legend (LabBarChartLayout *self,
             double             y)
{
  const LabBarChartStyle *st = &self->style;
  double row_h = ceil (st->font_size * 1.6);
  double symbol_w = ceil (st->font_size * 1.6);
  double x = st->padding;
  double right = self->width - st->padding;
  double row_y = y;

  if (self->legend->len == 0)
    return 0;

  for (guint i = 0; i < self->legend->len; i++)
    {
      const LabLegendEntry *e = &g_array_index (self->legend, LabLegendEntry, i);
      double tw = lab_chart_layout_measure (self, e->label, st->font_size, FALSE);
      double item_w = symbol_w + 6 + tw;
      double mid;

      if (x > st->padding && x + item_w > right)
        {
          x = st->padding;
          row_y += row_h;
        }
      mid = row_y + row_h / 2;
      if (e->kind == LAB_LEGEND_SWATCH)
        lab_chart_layout_add (self, LAB_PRIM_RECT, x, mid - st->font_size * 0.4, symbol_w,
                              st->font_size * 0.8, &e->color);
      else
        {
          LabPrim *mark;
          double r = st->point_radius;

          lab_chart_layout_add_line (self, x, mid, x + symbol_w, mid, st->line_width,
                                     e->kind == LAB_LEGEND_DASHED_LINE ? LAB_PRIM_FLAG_DASHED : 0,
                                     &e->color);
          if (e->kind == LAB_LEGEND_LINE)
            {
              mark = lab_chart_layout_add (self, LAB_PRIM_MARK, x + symbol_w / 2 - r, mid - r,
                                           2 * r, 2 * r, &e->color);
              mark->flags = LAB_PRIM_FLAG_OUTPUT;
              mark->color2 = self->palette->background;
            }
        }
      lab_chart_layout_add_text (self, e->label, x + symbol_w + 6, row_y, tw + 2, row_h,
                                 st->font_size, 0, &self->palette->text);
      x += item_w + st->font_size * 1.4;
    }
  return row_y + row_h - y;
}

static void
build_legend (LabBarChartLayout *self)
{
  LabChart *chart = self->chart;
  gboolean bars = lab_chart_get_kind (chart) == LAB_CHART_BARS;
  guint n;

  if (bars && lab_chart_get_n_segments (chart) > 0)
    {
      n = lab_chart_get_n_segments (chart);
      for (guint i = 0; i < n; i++)
        {
          LabLegendEntry e = { LAB_LEGEND_SWATCH, *lab_palette_series (self->palette, i),
                               lab_chart_layout_intern (self, lab_chart_get_segment (chart, i)) };

          g_array_append_val (self->legend, e);
        }
      return;
    }
  if (!series_named (chart))
    return;
  n = lab_chart_get_n_series (chart);
  for (guint i = 0; i < n; i++)
    {
      LabLegendEntry e = { bars ? LAB_LEGEND_SWATCH : LAB_LEGEND_LINE,
                           *lab_palette_series (self->palette, i),
                           lab_chart_layout_intern (self, lab_chart_get_series (chart, i)) };

      g_array_append_val (self->legend, e);
    }
}

static double
bottom_area (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  LabChart *chart = self->chart;
  double h;

  if (lab_chart_get_kind (chart) == LAB_CHART_BARS)
    {
      guint n_groups = MAX (lab_chart_get_n_groups (chart), 1);
      /* The plot is not placed yet: a group gets at most its share of
       * the width less the y axis (a fifth, as a safe guess). */
      double group_w = (self->width - 2 * st->padding) * 0.8 / n_groups;

      self->group_two_lines = FALSE;
      for (guint g = 0; g < lab_chart_get_n_groups (chart); g++)
        if (lab_chart_layout_measure (self, lab_chart_get_group (chart, g), st->font_size,
                                      FALSE) > group_w)
          self->group_two_lines = TRUE;
      h = ceil (st->font_size * 1.5) + 4;
      if (self->group_two_lines)
        h += ceil (st->font_size * 1.3);
      if (lab_chart_get_n_segments (chart) > 0 && lab_chart_get_n_series (chart) > 1)
        h += ceil (st->small_font_size * 1.4);
    }
  else
    h = ceil (st->small_font_size * 1.5) + 4;
  if (lab_chart_get_x_label (chart)[0] != '\0')
    h += ceil (st->font_size * 1.5);
  return h;
}

/* Vertical geometry and y ticks of every panel; returns the width the
 * tick labels need. */
static double
place_panels (LabBarChartLayout *self,
              double             top,
              double             bottom)
{
  const LabBarChartStyle *st = &self->style;
  double label_h = ceil (st->small_font_size * 1.5);
  double head = ceil (st->small_font_size * 1.5);
  double avail = MAX (bottom - top - (self->n_panels - 1) * st->panel_gap, 20);
  double y = top;
  double axis_w = 0;

  for (guint p = 0; p < self->n_panels; p++)
    {
      LabChartPanelGeom *pg = &self->panels[p];
      const char *y_label = lab_chart_get_y_label (self->chart, p);
      double ph = self->n_panels == 1 ? avail :
                  p == 0 ? round (avail * (1 - st->lower_panel_share)) :
                  avail - round (avail * (1 - st->lower_panel_share));
      double lo, hi;
      guint max_ticks, n_ticks;

      if (y_label[0] != '\0')
        lab_chart_layout_add_text (self, y_label, st->padding, y, self->width - 2 * st->padding,
                                   label_h, st->small_font_size, LAB_PRIM_FLAG_BOLD,
                                   &self->palette->text_dim);
      pg->unit = lab_chart_get_unit (self->chart, p);
      pg->y = y + (y_label[0] != '\0' ? label_h : 0) + head;
      pg->h = MAX (y + ph - pg->y, 8);
      y += ph + st->panel_gap;

      data_range (self, p, &lo, &hi);
      max_ticks = (guint) MAX (2, floor (pg->h / MAX (st->min_tick_spacing, 8)));
      pg->step = lab_chart_nice_step (hi - lo, max_ticks);
      pg->min = pg->step * floor (lo / pg->step + 1e-9);
      pg->max = pg->step * ceil (hi / pg->step - 1e-9);
      if (pg->max <= pg->min)
        pg->max = pg->min + pg->step;

      n_ticks = (guint) round ((pg->max - pg->min) / pg->step) + 1;
      for (guint i = 0; i < n_ticks; i++)
        {
          LabBarChartTick tick;
          g_autofree char *label = NULL;

          tick.panel = p;
          tick.value = pg->min + i * pg->step;
          tick.pos = 0; /* once the panel is placed */
          label = lab_chart_format_tick (pg->unit, tick.value, pg->step);
          tick.label = lab_chart_layout_intern (self, label);
          axis_w = MAX (axis_w, lab_chart_layout_measure (self, tick.label, st->small_font_size, FALSE));
          g_array_append_val (self->y_ticks, tick);
        }
    }
  return ceil (axis_w) + 8;
}

static void
emit_y_axes (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  double th = ceil (st->small_font_size * 1.5);

  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      LabBarChartTick *tick = &g_array_index (self->y_ticks, LabBarChartTick, i);
      LabChartPanelGeom *pg = &self->panels[tick->panel];
      double y = lab_bar_chart_layout_value_to_y (self, tick->panel, tick->value);
      double snapped = floor (y) + 0.5;

      tick->pos = y;
      lab_chart_layout_add_line (self, pg->x, snapped, pg->x + pg->w, snapped, 1, 0,
                                 tick->value == 0 ? &self->palette->text_dim : &self->palette->grid);
      lab_chart_layout_add_text (self, tick->label, st->padding, y - th / 2, pg->x - 8 - st->padding,
                                 th, st->small_font_size, LAB_PRIM_FLAG_ALIGN_RIGHT,
                                 &self->palette->text_dim);
    }
}

/* ---- compute ---- */

void
lab_bar_chart_layout_compute (LabBarChartLayout      *self,
                              LabChart               *chart,
                              double                  width,
                              double                  height,
                              const LabBarChartStyle *style)
{
  const LabBarChartStyle *st;
  double y, bottom, axis_w, right_room = 0;

  g_return_if_fail (self != NULL);

  if (chart != NULL)
    lab_chart_ref (chart);
  g_clear_pointer (&self->chart, lab_chart_unref);
  self->chart = chart;
  if (style != NULL)
    self->style = *style;
  st = &self->style;
  self->palette = lab_palette_get (st->dark);
  self->width = MAX (width, 1);
  self->height = MAX (height, 1);
  g_array_set_size (self->prims, 0);
  g_array_set_size (self->items, 0);
  g_array_set_size (self->y_ticks, 0);
  g_array_set_size (self->x_ticks, 0);
  g_array_set_size (self->legend, 0);
  g_string_chunk_clear (self->strings);
  memset (self->panels, 0, sizeof self->panels);
  self->n_panels = 0;

  lab_chart_layout_add (self, LAB_PRIM_RECT, 0, 0, self->width, self->height,
                        &self->palette->background);

  y = st->padding;
  if (chart != NULL && st->title_font_size > 0 && lab_chart_get_title (chart)[0] != '\0')
    {
      double th = ceil (st->title_font_size * 1.5);

      lab_chart_layout_add_text (self, lab_chart_get_title (chart), st->padding, y,
                                 self->width - 2 * st->padding, th, st->title_font_size,
                                 LAB_PRIM_FLAG_BOLD, &self->palette->text);
      y += th + 4;
    }

  if (!chart_has_data (chart))
    {
      lab_chart_layout_add_text (self, _("No data yet"), 0, y, self->width,
                                 MAX (self->height - y - st->padding, st->font_size * 1.5),
                                 st->font_size, LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text_dim);
      return;
    }

  build_legend (self);
  y += emit_legend (self, y);
  if (self->legend->len > 0)
    y += 4;

  self->n_panels = lab_chart_get_kind (chart) == LAB_CHART_BARS ? 1 : lab_chart_get_n_panels (chart);
  if (lab_chart_get_kind (chart) == LAB_CHART_LINES)
    {
      lab_chart_layout_lines_x_range (self);
      right_room = lab_chart_layout_lines_label_room (self);
    }

  bottom = self->height - st->padding - bottom_area (self);
  axis_w = place_panels (self, y, bottom);
  for (guint p = 0; p < self->n_panels; p++)
    {
      self->panels[p].x = st->padding + axis_w;
      self->panels[p].w = MAX (self->width - st->padding - right_room - self->panels[p].x, 8);
    }
  emit_y_axes (self);

  if (lab_chart_get_kind (chart) == LAB_CHART_BARS)
    {
      lab_chart_layout_emit_bars (self);
      lab_chart_layout_emit_bar_references (self);
    }
  else
    lab_chart_layout_emit_lines (self);

  if (lab_chart_get_x_label (chart)[0] != '\0')
    {
      LabChartPanelGeom *pg = &self->panels[0];
      double h = ceil (st->font_size * 1.5);

      lab_chart_layout_add_text (self, lab_chart_get_x_label (chart), pg->x,
                                 self->height - st->padding - h, pg->w, h, st->font_size,
                                 LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text_dim);
    }
}
