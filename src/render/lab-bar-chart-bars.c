/* lab-bar-chart-bars.c — bar charts: grouped bars with value labels,
 * min–max whiskers, stacked segments, group names and reference lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-bar-chart-layout-private.h"

void
lab_chart_layout_emit_bars (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  LabChart *chart = self->chart;
  LabChartPanelGeom *pg = &self->panels[0];
  guint n_groups = MAX (lab_chart_get_n_groups (chart), 1);
  guint n_series = MAX (lab_chart_get_n_series (chart), 1);
  guint n_segments = lab_chart_get_n_segments (chart);
  double gap = n_series > 1 ? st->bar_gap : 0;
  double group_w = pg->w / n_groups;
  double slot = MIN (group_w * st->group_fill / n_series, st->bar_max_width + gap);
  double bar_w = MAX (slot - gap, 1);
  double bottom = pg->y + pg->h;
  double label_h = ceil (st->small_font_size * 1.4);
  double group_h = ceil (st->font_size * 1.5);
  double zero = lab_bar_chart_layout_value_to_y (self, 0, 0);
  gboolean series_labels = n_segments > 0 && n_series > 1;
  LabColor whisker = self->palette->text;

  whisker.alpha = 0.85f;

  for (guint i = 0; i < lab_chart_get_n_bars (chart); i++)
    {
      LabChartBar bar;
      LabBarChartItem item = { 0 };
      double x, cx, top, label_y, lw;
      g_autofree char *text = NULL;

      lab_chart_get_bar (chart, i, &bar);
      x = pg->x + bar.group * group_w + (group_w - n_series * slot) / 2 + bar.series * slot + gap / 2;
      cx = x + bar_w / 2;

      item.kind = LAB_BAR_CHART_ITEM_BAR;
      item.index = i;
      item.group = bar.group;
      item.series = bar.series;
      item.value = bar.value;
      item.min = bar.min;
      item.max = bar.max;
      item.x = x;
      item.y = lab_bar_chart_layout_value_to_y (self, 0, MAX (bar.value, 0));
      item.width = bar_w;
      item.height = lab_bar_chart_layout_value_to_y (self, 0, MIN (bar.value, 0)) - item.y;
      item.whisker_top = NAN;
      item.whisker_bottom = NAN;

      if (n_segments > 0)
        {
          double cum = 0;
          gboolean any = FALSE;

          for (guint s = 0; s < n_segments; s++)
            {
              double v = lab_chart_get_bar_segment (chart, i, s);
              LabBarChartItem seg = item;

              if (!isfinite (v) || v <= 0)
                continue;
              seg.kind = LAB_BAR_CHART_ITEM_SEGMENT;
              seg.segment = s;
              seg.value = v;
              seg.min = seg.max = NAN;
              seg.y = lab_bar_chart_layout_value_to_y (self, 0, cum + v);
              seg.height = lab_bar_chart_layout_value_to_y (self, 0, cum) - seg.y;
              lab_chart_layout_add (self, LAB_PRIM_RECT, x, seg.y, bar_w, seg.height,
                                    lab_palette_series (self->palette, s));
              g_array_append_val (self->items, seg);
              cum += v;
              any = TRUE;
            }
          if (!any)
            lab_chart_layout_add (self, LAB_PRIM_RECT, x, item.y, bar_w, item.height,
                                  lab_palette_series (self->palette, bar.series));
        }
      else
        lab_chart_layout_add (self, LAB_PRIM_RECT, x, item.y, bar_w, item.height,
                              lab_palette_series (self->palette, bar.series));

      top = MIN (item.y, zero);
      if (isfinite (bar.min) && isfinite (bar.max))
        {
          item.whisker_top = lab_bar_chart_layout_value_to_y (self, 0, bar.max);
          item.whisker_bottom = lab_bar_chart_layout_value_to_y (self, 0, bar.min);
          lab_chart_layout_add_whisker (self, cx, item.whisker_top, item.whisker_bottom,
                                        MIN (bar_w * 0.4, 14), &whisker);
          top = MIN (top, item.whisker_top);
        }
      g_array_append_val (self->items, item);

      text = lab_chart_format_value (pg->unit, bar.value);
      lw = MAX (slot, lab_chart_layout_measure (self, text, st->small_font_size, FALSE) + 4);
      label_y = top - label_h - 1;
      lab_chart_layout_add_text (self, text, cx - lw / 2, label_y, lw, label_h, st->small_font_size,
                                 LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text);

      if (series_labels)
        lab_chart_layout_add_text (self, lab_chart_get_series (chart, bar.series), x - gap / 2,
                                   bottom + 3, slot, label_h, st->small_font_size,
                                   LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text_dim);
    }

  for (guint g = 0; g < lab_chart_get_n_groups (chart); g++)
    lab_chart_layout_add_text (self, lab_chart_get_group (chart, g), pg->x + g * group_w,
                               bottom + 4 + (series_labels ? label_h : 0), group_w, group_h,
                               st->font_size, LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text);
}

void
lab_chart_layout_emit_bar_references (LabBarChartLayout *self)
{
  const LabBarChartStyle *st = &self->style;
  LabChartPanelGeom *pg = &self->panels[0];
  double h = ceil (st->small_font_size * 1.4);
  const LabChartReference *refs;
  guint n_refs;

  refs = lab_chart_get_references (self->chart, &n_refs);
  for (guint i = 0; i < n_refs; i++)
    {
      double y = lab_bar_chart_layout_value_to_y (self, 0, refs[i].y);
      g_autofree char *value = lab_chart_format_value (pg->unit, refs[i].y);
      g_autofree char *text = refs[i].label[0] != '\0' ?
        /* Translators: a reference line's label: its name, then its value */
        g_strdup_printf (_("%s (%s)"), refs[i].label, value) : g_strdup (value);

      lab_chart_layout_add_line (self, pg->x, y, pg->x + pg->w, y, 1.5, LAB_PRIM_FLAG_DASHED,
                                 &self->palette->text_dim);
      lab_chart_layout_add_text (self, text, pg->x, y - h - 1, pg->w - 4, h, st->small_font_size,
                                 LAB_PRIM_FLAG_ALIGN_RIGHT, &self->palette->text_dim);
    }
}
