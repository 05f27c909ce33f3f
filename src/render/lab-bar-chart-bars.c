/* lab-bar-chart-bars.c — bar charts: grouped bars with value labels,
 * min–max whiskers, stacked segments, group names and reference lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-bar-chart-layout-private.h"

/* A group's name under its bars; one too wide for its group goes on two
 * lines, broken at the space that evens them out, when the frame left
 * room for that ("pool, sent th…" would hide what was sent). */
static void
emit_group_name (LabBarChartLayout *self,
                 const char        *name,
                 double             x,
                 double             y,
                 double             w,
                 double             h)
{
  const LabBarChartStyle *st = &self->style;
  double line_h = ceil (st->font_size * 1.3);
  g_autofree char *first = NULL;
  const char *best = NULL;
  double best_w = G_MAXDOUBLE;

  if (self->group_two_lines && lab_chart_layout_measure (self, name, st->font_size, FALSE) > w)
    for (const char *space = strchr (name, ' '); space != NULL; space = strchr (space + 1, ' '))
      {
        g_autofree char *head = g_strndup (name, space - name);
        double lw = MAX (lab_chart_layout_measure (self, head, st->font_size, FALSE),
                         lab_chart_layout_measure (self, space + 1, st->font_size, FALSE));

        if (lw < best_w)
          {
            best_w = lw;
            best = space;
          }
      }
  if (best == NULL)
    {
      lab_chart_layout_add_text (self, name, x, y, w, h, st->font_size,
                                 LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text);
      return;
    }
  first = g_strndup (name, best - name);
  lab_chart_layout_add_text (self, first, x, y, w, line_h, st->font_size,
                             LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text);
  lab_chart_layout_add_text (self, best + 1, x, y + line_h, w, line_h, st->font_size,
                             LAB_PRIM_FLAG_ALIGN_CENTER, &self->palette->text);
}

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
    emit_group_name (self, lab_chart_get_group (chart, g), pg->x + g * group_w,
                     bottom + 4 + (series_labels ? label_h : 0), group_w, group_h);
}

/* The box the words of a text prim take, inside its (wider) box. */
static void
text_extent (LabBarChartLayout *self,
             const LabPrim     *p,
             double            *x,
             double            *w)
{
  double tw = MIN (lab_chart_layout_measure (self, p->text, p->size,
                                             (p->flags & LAB_PRIM_FLAG_BOLD) != 0), p->w);

  *w = tw;
  if (p->flags & LAB_PRIM_FLAG_ALIGN_CENTER)
    *x = p->x + (p->w - tw) / 2;
  else if (p->flags & LAB_PRIM_FLAG_ALIGN_RIGHT)
    *x = p->x + p->w - tw;
  else
    *x = p->x;
}

static gboolean
boxes_meet (double ax, double ay, double aw, double ah,
            double bx, double by, double bw, double bh)
{
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* TRUE if a text at (@x, @y, @w, @h) lands on no label and no bar. */
static gboolean
place_is_free (LabBarChartLayout *self,
               double             x,
               double             y,
               double             w,
               double             h)
{
  for (guint i = 0; i < self->prims->len; i++)
    {
      const LabPrim *p = &g_array_index (self->prims, LabPrim, i);
      double tx, tw;

      if (p->kind != LAB_PRIM_TEXT)
        continue;
      text_extent (self, p, &tx, &tw);
      if (boxes_meet (x, y, w, h, tx, p->y, tw, p->h))
        return FALSE;
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      const LabBarChartItem *item = &g_array_index (self->items, LabBarChartItem, i);

      if (boxes_meet (x, y, w, h, item->x, item->y, item->width, item->height))
        return FALSE;
    }
  return TRUE;
}

/* Where the label @text of a reference line at @y goes: above the line
 * at the right, else at the left, else below it, the first place free
 * inside the plot. FALSE (and the first place) if none is. */
static gboolean
find_reference_place (LabBarChartLayout *self,
                      const char        *text,
                      double             y,
                      double             h,
                      double            *x_out,
                      double            *y_out,
                      double            *w_out)
{
  LabChartPanelGeom *pg = &self->panels[0];
  double tw = MIN (lab_chart_layout_measure (self, text, self->style.small_font_size, FALSE),
                   pg->w - 8);
  /* Nearest the line first; a row further off when a value label of a
   * bar of about the same height is in the way. */
  const double ys[] = { y - h - 1, y + 2, y - 2 * h - 1, y + h + 2 };
  guint n_groups = MAX (lab_chart_get_n_groups (self->chart), 1);
  double xs[2 + 8];
  guint n_xs = 0;

  /* The right end, the left end, then the gaps between groups. */
  xs[n_xs++] = pg->x + pg->w - 4 - tw;
  xs[n_xs++] = pg->x + 4;
  for (guint g = 1; g < n_groups && n_xs < G_N_ELEMENTS (xs); g++)
    xs[n_xs++] = CLAMP (pg->x + g * pg->w / n_groups - tw / 2, pg->x, pg->x + pg->w - tw);

  *w_out = tw;
  for (guint r = 0; r < G_N_ELEMENTS (ys); r++)
    for (guint c = 0; c < n_xs; c++)
      if (ys[r] >= pg->y && ys[r] + h <= pg->y + pg->h &&
          place_is_free (self, xs[c], ys[r], tw, h))
        {
          *x_out = xs[c];
          *y_out = ys[r];
          return TRUE;
        }
  *x_out = xs[0];
  *y_out = ys[0];
  return FALSE;
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
      char *text = refs[i].label[0] != '\0' ?
        /* Translators: a reference line's label: its name, then its value */
        g_strdup_printf (_("%s (%s)"), refs[i].label, value) : g_strdup (value);
      double px, py, tw;

      /* The name and value, else the value alone ("901 ms"), where no
       * value label and no bar is in the way: a bar as tall as the line
       * would otherwise sit on its label. */
      if (!find_reference_place (self, text, y, h, &px, &py, &tw))
        {
          find_reference_place (self, value, y, h, &px, &py, &tw);
          g_free (text);
          text = g_strdup (value);
        }
      lab_chart_layout_add_line (self, pg->x, y, pg->x + pg->w, y, 1.5, LAB_PRIM_FLAG_DASHED,
                                 &self->palette->text_dim);
      lab_chart_layout_add_text (self, text, px, py, tw, h, st->small_font_size,
                                 LAB_PRIM_FLAG_ALIGN_RIGHT, &self->palette->text_dim);
      g_free (text);
    }
}
