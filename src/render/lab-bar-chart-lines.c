/* lab-bar-chart-lines.c — line charts: a count on the x axis, one line of
 * points per series with min–max error bars, the dashed ideal line, and
 * reference lines labelled to the right of the plot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdlib.h>

#include "lab-bar-chart-layout-private.h"

/* Points with more than this many per series get no value labels. */
#define MAX_LABELLED_POINTS 12

void
lab_chart_layout_lines_x_range (LabBarChartLayout *self)
{
  guint n;
  const LabChartPoint *points = lab_chart_get_points (self->chart, &n);

  self->x_min = G_MAXDOUBLE;
  self->x_max = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      self->x_min = MIN (self->x_min, points[i].x);
      self->x_max = MAX (self->x_max, points[i].x);
    }
  if (n == 0)
    self->x_min = self->x_max = 0;
  if (self->x_max <= self->x_min)
    {
      self->x_min -= 1;
      self->x_max += 1;
    }
}

static const char *
reference_text (LabBarChartLayout       *self,
                const LabChartReference *ref,
                char                   **to_free)
{
  if (ref->label[0] != '\0')
    return ref->label;
  *to_free = lab_chart_format_value (lab_chart_get_unit (self->chart, ref->panel), ref->y);
  return *to_free;
}

/* Room right of the plot for the labels of the ideal and reference lines. */
double
lab_chart_layout_lines_label_room (LabBarChartLayout *self)
{
  double size = self->style.small_font_size;
  double w = 0;
  const LabChartReference *refs;
  guint n;

  if (lab_chart_get_ideal_line (self->chart, NULL))
    w = lab_chart_layout_measure (self, _("ideal"), size, FALSE);
  refs = lab_chart_get_references (self->chart, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;

      w = MAX (w, lab_chart_layout_measure (self, reference_text (self, &refs[i], &text), size, FALSE));
    }
  return w > 0 ? ceil (w) + 8 : 0;
}

static gboolean
all_whole (const LabChartPoint *points,
           guint                n)
{
  for (guint i = 0; i < n; i++)
    if (points[i].x != floor (points[i].x))
      return FALSE;
  return TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
emit_x_axis (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  LabChartPanelGeom *bottom_panel = &self->panels[self->n_panels - 1];
  double bottom = bottom_panel->y + bottom_panel->h;
  double h = ceil (st->small_font_size * 1.5);
  guint n_points;
  const LabChartPoint *points = lab_chart_get_points (self->chart, &n_points);
  g_autofree char *widest = lab_chart_format_tick (LAB_CHART_UNIT_COUNT, self->x_max, 1);
  double spacing = MAX (lab_chart_layout_measure (self, widest, st->small_font_size, FALSE) + 16, 32);
  guint max_ticks = (guint) MAX (1, floor ((self->x_right - self->x_left) / spacing));
  g_autofree double *values = g_new (double, n_points + 1);
  guint n_values = 0;
  gboolean whole = all_whole (points, n_points);
  double step;

  /* Few distinct counts: a tick at each; else 1-2-5 steps. */
  for (guint i = 0; i < n_points; i++)
    values[n_values++] = points[i].x;
  qsort (values, n_values, sizeof (double), compare_doubles);
  {
    guint distinct = 0;

    for (guint i = 0; i < n_values; i++)
      if (distinct == 0 || values[i] != values[distinct - 1])
        values[distinct++] = values[i];
    n_values = distinct;
  }

  step = lab_chart_nice_step (self->x_max - self->x_min, max_ticks);
  if (whole)
    step = MAX (step, 1);
  if (n_values > max_ticks + 1)
    {
      n_values = 0;
      for (double v = step * ceil (self->x_min / step - 1e-9); v <= self->x_max + step * 1e-9; v += step)
        values[n_values++] = v;
    }

  for (guint i = 0; i < n_values; i++)
    {
      LabBarChartTick tick;
      double x = lab_bar_chart_layout_value_to_x (self, values[i]);
      double snapped = floor (x) + 0.5;
      g_autofree char *label = lab_chart_format_tick (LAB_CHART_UNIT_COUNT, values[i],
                                                      whole ? 1 : step);

      tick.panel = 0;
      tick.value = values[i];
      tick.pos = x;
      tick.label = lab_chart_layout_intern (self, label);
      g_array_append_val (self->x_ticks, tick);

      for (guint p = 0; p < self->n_panels; p++)
        lab_chart_layout_add_line (self, snapped, self->panels[p].y, snapped,
                                   self->panels[p].y + self->panels[p].h, 1, 0,
                                   &self->palette->grid);
      lab_chart_layout_add_text (self, tick.label, x - 40, bottom + 4, 80, h, st->small_font_size,
                                 LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text_dim);
    }
}

/* A label right of the plot, centred on @y, kept inside @panel's height. */
static void
emit_right_label (LabBarChartLayout *self,
                  guint              panel,
                  const char        *text,
                  double             y)
{
  LabChartPanelGeom *pg = &self->panels[panel];
  double h = ceil (self->style.small_font_size * 1.4);
  double top = CLAMP (y - h / 2, pg->y - h / 2, pg->y + pg->h - h / 2);

  lab_chart_layout_add_text (self, text, pg->x + pg->w + 4, top, self->width - pg->x - pg->w - 4,
                             h, self->style.small_font_size, 0, &self->palette->text_dim);
}

static void
emit_guides (LabBarChartLayout *self)
{
  const LabChartReference *refs;
  guint n_refs;
  double base;

  if (lab_chart_get_ideal_line (self->chart, &base))
    {
      double y0 = lab_bar_chart_layout_value_to_y (self, 0, self->x_min / base);
      double y1 = lab_bar_chart_layout_value_to_y (self, 0, self->x_max / base);

      lab_chart_layout_add_line (self, self->x_left, y0, self->x_right, y1, 1.5,
                                 LAB_PRIM_FLAG_DASHED, &self->palette->text_dim);
      emit_right_label (self, 0, _("ideal"), y1);
    }

  refs = lab_chart_get_references (self->chart, &n_refs);
  for (guint i = 0; i < n_refs; i++)
    {
      LabChartPanelGeom *pg;
      g_autofree char *text = NULL;
      double y;

      if (refs[i].panel >= self->n_panels)
        continue;
      pg = &self->panels[refs[i].panel];
      y = lab_bar_chart_layout_value_to_y (self, refs[i].panel, refs[i].y);
      lab_chart_layout_add_line (self, pg->x, y, pg->x + pg->w, y, 1.5, LAB_PRIM_FLAG_DASHED,
                                 &self->palette->text_dim);
      emit_right_label (self, refs[i].panel, reference_text (self, &refs[i], &text), y);
    }
}

static int
compare_by_x (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const LabChartPoint *points = data;
  double x = points[*(const guint *) a].x, y = points[*(const guint *) b].x;

  return (x > y) - (x < y);
}

/* The points of @series in @panel, in x order. */
static GArray *
series_points (const LabChartPoint *points,
               guint                n_points,
               guint                series,
               guint                panel)
{
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_points; i++)
    if (points[i].series == series && points[i].panel == panel)
      g_array_append_val (idx, i);
  g_array_sort_with_data (idx, compare_by_x, (gpointer) points);
  return idx;
}

static void
emit_series (LabBarChartLayout *self,
             guint              panel,
             guint              series,
             gboolean           marks)
{
  const LabBarChartStyle *st = &self->style;
  const LabColor *color = lab_palette_series (self->palette, series);
  LabChartUnit unit = lab_chart_get_unit (self->chart, panel);
  gboolean labelled = lab_chart_get_n_series (self->chart) == 1;
  double r = st->point_radius;
  double label_h = ceil (st->small_font_size * 1.4);
  guint n_points;
  const LabChartPoint *points = lab_chart_get_points (self->chart, &n_points);
  g_autoptr(GArray) idx = series_points (points, n_points, series, panel);
  double px = 0, py = 0;
  double label_right = -G_MAXDOUBLE; /* of the last value label */
  gboolean below = TRUE;

  labelled = labelled && idx->len <= MAX_LABELLED_POINTS;

  /* Value labels go below the points: the ideal and reference lines are
   * usually above them, and the line leaves upwards. If one of them has no
   * room there, all go above, so that the series reads evenly. */
  for (guint k = 0; labelled && marks && k < idx->len; k++)
    {
      const LabChartPoint *p = &points[g_array_index (idx, guint, k)];
      double lowest = isfinite (p->y_min) && isfinite (p->y_max) ? MIN (p->y, p->y_min) : p->y;
      double y = lab_bar_chart_layout_value_to_y (self, panel, lowest);
      LabChartPanelGeom *pg = &self->panels[panel];

      if (MAX (y, lab_bar_chart_layout_value_to_y (self, panel, p->y) + r) + 2 + label_h > pg->y + pg->h)
        below = FALSE;
    }

  for (guint k = 0; k < idx->len; k++)
    {
      guint i = g_array_index (idx, guint, k);
      const LabChartPoint *p = &points[i];
      double x = lab_bar_chart_layout_value_to_x (self, p->x);
      double y = lab_bar_chart_layout_value_to_y (self, panel, p->y);
      gboolean range = isfinite (p->y_min) && isfinite (p->y_max);
      double y_top = range ? lab_bar_chart_layout_value_to_y (self, panel, p->y_max) : NAN;
      double y_bottom = range ? lab_bar_chart_layout_value_to_y (self, panel, p->y_min) : NAN;

      if (!marks)
        {
          /* Error bars, then the line, below every series' marks. */
          if (range && y_bottom - y_top >= 1)
            lab_chart_layout_add_whisker (self, x, y_top, y_bottom, 2 * r + 2, color);
          if (k > 0)
            lab_chart_layout_add_line (self, px, py, x, y, st->line_width, 0, color);
        }
      else
        {
          LabBarChartItem item = { 0 };
          LabPrim *mark;

          mark = lab_chart_layout_add (self, LAB_PRIM_MARK, x - r, y - r, 2 * r, 2 * r, color);
          mark->flags = LAB_PRIM_FLAG_OUTPUT;
          mark->color2 = self->palette->background;

          item.kind = LAB_BAR_CHART_ITEM_POINT;
          item.index = i;
          item.series = series;
          item.panel = panel;
          item.value = p->y;
          item.min = p->y_min;
          item.max = p->y_max;
          item.x = x - r;
          item.y = y - r;
          item.width = item.height = 2 * r;
          item.whisker_top = y_top;
          item.whisker_bottom = y_bottom;
          g_array_append_val (self->items, item);

          if (labelled)
            {
              g_autofree char *text = lab_chart_format_value (unit, p->y);
              double lw = lab_chart_layout_measure (self, text, st->small_font_size, FALSE) + 4;
              double label_y = below ? (range ? MAX (y_bottom, y + r) : y + r) + 2
                                     : (range ? MIN (y_top, y - r) : y - r) - label_h - 1;

              /* Points closer than their labels are wide: a label only
               * where it clears the one before, so that they do not run
               * together ("0.93×1.86×"). */
              if (x - lw / 2 >= label_right)
                {
                  lab_chart_layout_add_text (self, text, x - lw / 2, label_y, lw, label_h,
                                             st->small_font_size, LAB_PRIM_FLAG_ALIGN_CENTER,
                                             &self->palette->text);
                  label_right = x + lw / 2 + 2;
                }
            }
        }
      px = x;
      py = y;
    }
}

void
lab_chart_layout_emit_lines (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  LabChartPanelGeom *pg = &self->panels[0];
  double inset = MAX (st->point_radius * 3, 14);
  guint n_series = lab_chart_get_n_series (self->chart);

  self->x_left = pg->x + inset;
  self->x_right = MAX (pg->x + pg->w - inset, self->x_left + 1);

  emit_x_axis (self);
  emit_guides (self);
  for (guint p = 0; p < self->n_panels; p++)
    for (guint s = 0; s < n_series; s++)
      emit_series (self, p, s, FALSE);
  for (guint p = 0; p < self->n_panels; p++)
    for (guint s = 0; s < n_series; s++)
      emit_series (self, p, s, TRUE);
}
