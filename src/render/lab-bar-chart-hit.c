/* lab-bar-chart-hit.c — reading the layout back: accessors, what is under
 * the pointer, and its tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-bar-chart-layout-private.h"

/* How far from a point's centre it still counts as hovered (px). */
#define POINT_SLOP 6

/* ---- accessors ---- */

const LabPrim *
lab_bar_chart_layout_get_prims (LabBarChartLayout *self,
                                guint             *n_prims)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_prims != NULL)
    *n_prims = self->prims->len;
  return (const LabPrim *) (gpointer) self->prims->data;
}

const LabBarChartItem *
lab_bar_chart_layout_get_items (LabBarChartLayout *self,
                                guint             *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_items != NULL)
    *n_items = self->items->len;
  return (const LabBarChartItem *) (gpointer) self->items->data;
}

const LabBarChartTick *
lab_bar_chart_layout_get_y_ticks (LabBarChartLayout *self,
                                  guint             *n_ticks)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_ticks != NULL)
    *n_ticks = self->y_ticks->len;
  return (const LabBarChartTick *) (gpointer) self->y_ticks->data;
}

const LabBarChartTick *
lab_bar_chart_layout_get_x_ticks (LabBarChartLayout *self,
                                  guint             *n_ticks)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_ticks != NULL)
    *n_ticks = self->x_ticks->len;
  return (const LabBarChartTick *) (gpointer) self->x_ticks->data;
}

const LabLegendEntry *
lab_bar_chart_layout_get_legend (LabBarChartLayout *self,
                                 guint             *n_entries)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_entries != NULL)
    *n_entries = self->legend->len;
  return (const LabLegendEntry *) (gpointer) self->legend->data;
}

const LabPalette *
lab_bar_chart_layout_get_palette (LabBarChartLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->palette;
}

gboolean
lab_bar_chart_layout_get_plot_area (LabBarChartLayout *self,
                                    guint              panel,
                                    double            *x,
                                    double            *y,
                                    double            *width,
                                    double            *height)
{
  const LabChartPanelGeom *pg;

  g_return_val_if_fail (self != NULL, FALSE);

  if (panel >= self->n_panels)
    return FALSE;
  pg = &self->panels[panel];
  if (x != NULL)
    *x = pg->x;
  if (y != NULL)
    *y = pg->y;
  if (width != NULL)
    *width = pg->w;
  if (height != NULL)
    *height = pg->h;
  return TRUE;
}

gboolean
lab_bar_chart_layout_get_y_range (LabBarChartLayout *self,
                                  guint              panel,
                                  double            *min,
                                  double            *max,
                                  double            *step)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (panel >= self->n_panels)
    return FALSE;
  if (min != NULL)
    *min = self->panels[panel].min;
  if (max != NULL)
    *max = self->panels[panel].max;
  if (step != NULL)
    *step = self->panels[panel].step;
  return TRUE;
}

double
lab_bar_chart_layout_value_to_y (LabBarChartLayout *self,
                                 guint              panel,
                                 double             value)
{
  const LabChartPanelGeom *pg;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (panel < LAB_CHART_MAX_PANELS, 0);

  pg = &self->panels[panel];
  if (!(pg->max > pg->min))
    return pg->y + pg->h;
  return pg->y + pg->h * (pg->max - value) / (pg->max - pg->min);
}

double
lab_bar_chart_layout_value_to_x (LabBarChartLayout *self,
                                 double             value)
{
  g_return_val_if_fail (self != NULL, 0);

  if (!(self->x_max > self->x_min))
    return (self->x_left + self->x_right) / 2;
  return self->x_left + (self->x_right - self->x_left) * (value - self->x_min) /
                        (self->x_max - self->x_min);
}

/* ---- hit-testing ---- */

gboolean
lab_bar_chart_layout_hit_test (LabBarChartLayout *self,
                               double             x,
                               double             y,
                               LabBarChartItem   *hit)
{
  const LabBarChartItem *best = NULL;
  double best_d2 = G_MAXDOUBLE;
  guint n;
  const LabBarChartItem *items;

  g_return_val_if_fail (self != NULL, FALSE);

  items = lab_bar_chart_layout_get_items (self, &n);

  /* Points: the nearest within reach. */
  for (guint i = 0; i < n; i++)
    if (items[i].kind == LAB_BAR_CHART_ITEM_POINT)
      {
        double cx = items[i].x + items[i].width / 2;
        double cy = items[i].y + items[i].height / 2;
        double reach = items[i].width / 2 + POINT_SLOP;
        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);

        if (d2 <= reach * reach && d2 < best_d2)
          {
            best = &items[i];
            best_d2 = d2;
          }
      }

  /* Segments: exactly inside. */
  for (guint i = 0; best == NULL && i < n; i++)
    if (items[i].kind == LAB_BAR_CHART_ITEM_SEGMENT &&
        x >= items[i].x && x < items[i].x + items[i].width &&
        y >= items[i].y && y < items[i].y + items[i].height)
      best = &items[i];

  /* Bars: anywhere in the bar's column of the plot, so that short bars
   * and whiskers are easy to point at. */
  if (best == NULL && self->n_panels > 0)
    {
      const LabChartPanelGeom *pg = &self->panels[0];
      double head = ceil (self->style.small_font_size * 1.5);

      for (guint i = 0; i < n; i++)
        if (items[i].kind == LAB_BAR_CHART_ITEM_BAR &&
            x >= items[i].x - self->style.bar_gap / 2 &&
            x < items[i].x + items[i].width + self->style.bar_gap / 2 &&
            y >= pg->y - head && y < pg->y + pg->h)
          {
            best = &items[i];
            break;
          }
    }

  if (best == NULL)
    {
      if (hit != NULL)
        {
          memset (hit, 0, sizeof *hit);
          hit->kind = LAB_BAR_CHART_ITEM_NONE;
        }
      return FALSE;
    }
  if (hit != NULL)
    *hit = *best;
  return TRUE;
}

static void
append_title (GString    *out,
              LabChart   *chart,
              guint       group,
              guint       series)
{
  const char *s = lab_chart_get_series (chart, series);

  if (s[0] != '\0')
    /* Translators: a bar's tooltip title: its group, then its series */
    g_string_append_printf (out, _("%s · %s"), lab_chart_get_group (chart, group), s);
  else
    g_string_append (out, lab_chart_get_group (chart, group));
}

static void
append_range (GString      *out,
              LabChartUnit  unit,
              double        min,
              double        max)
{
  g_autofree char *lo = NULL, *hi = NULL;

  if (!isfinite (min) || !isfinite (max))
    return;
  lo = lab_chart_format_value (unit, min);
  hi = lab_chart_format_value (unit, max);
  g_string_append_c (out, '\n');
  /* Translators: the whisker of a bar or the error bar of a point */
  g_string_append_printf (out, _("Range: %s – %s"), lo, hi);
}

char *
lab_bar_chart_hit_describe (LabBarChartLayout     *self,
                            const LabBarChartItem *hit)
{
  LabChart *chart;
  GString *out;
  LabChartUnit unit;
  g_autofree char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (hit != NULL, NULL);

  chart = self->chart;
  if (chart == NULL || hit->kind == LAB_BAR_CHART_ITEM_NONE)
    return NULL;

  out = g_string_new (NULL);
  unit = lab_chart_get_unit (chart, hit->kind == LAB_BAR_CHART_ITEM_POINT ? hit->panel : 0);
  value = lab_chart_format_value (unit, hit->value);

  switch (hit->kind)
    {
    case LAB_BAR_CHART_ITEM_BAR:
      append_title (out, chart, hit->group, hit->series);
      g_string_append_printf (out, "\n%s", value);
      append_range (out, unit, hit->min, hit->max);
      for (guint s = 0; s < lab_chart_get_n_segments (chart); s++)
        {
          double v = lab_chart_get_bar_segment (chart, hit->index, s);
          g_autofree char *text = NULL;

          if (!isfinite (v))
            continue;
          text = lab_chart_format_value (unit, v);
          /* Translators: a stacked part of a bar: its name, then its value */
          g_string_append_printf (out, _("\n%s: %s"), lab_chart_get_segment (chart, s), text);
        }
      break;

    case LAB_BAR_CHART_ITEM_SEGMENT:
      {
        LabChartBar bar;
        double share;

        lab_chart_get_bar (chart, hit->index, &bar);
        share = bar.value > 0 ? hit->value / bar.value * 100 : 0;
        append_title (out, chart, hit->group, hit->series);
        /* Translators: a stacked part of a bar: its name, its value and its
         * share of the whole bar in percent */
        g_string_append_printf (out, _("\n%s: %s (%.0f%% of the bar)"),
                                lab_chart_get_segment (chart, hit->segment), value, share);
      }
      break;

    case LAB_BAR_CHART_ITEM_POINT:
      {
        guint n;
        const LabChartPoint *p = &lab_chart_get_points (chart, &n)[hit->index];
        const char *series = lab_chart_get_series (chart, hit->series);
        const char *x_label = lab_chart_get_x_label (chart);
        const char *y_label = lab_chart_get_y_label (chart, hit->panel);
        g_autofree char *x = lab_chart_format_value (LAB_CHART_UNIT_COUNT, p->x);

        if (series[0] != '\0')
          g_string_append_printf (out, "%s\n", series);
        /* Translators: an axis name, then the value on it ("Threads: 4") */
        g_string_append_printf (out, _("%s: %s"), x_label[0] ? x_label : "x", x);
        g_string_append_c (out, '\n');
        g_string_append_printf (out, _("%s: %s"), y_label[0] ? y_label : "y", value);
        append_range (out, unit, hit->min, hit->max);
      }
      break;

    case LAB_BAR_CHART_ITEM_NONE:
    default:
      break;
    }
  return g_string_free (out, FALSE);
}
