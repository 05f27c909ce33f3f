/* lab-timeline-layout.c — the layout object, lanes, backgrounds and the
 * lane name column. Spans are in lab-timeline-spans.c, marks, arrows and
 * counters in lab-timeline-marks.c, the ruler in lab-timeline-ruler.c,
 * hit-testing and colours in lab-timeline-hit.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-timeline-layout-private.h"

void
lab_timeline_style_init (LabTimelineStyle *style,
                         gboolean          dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->dark = dark;
  style->label_width = 150;
  style->ruler_height = 28;
  style->row_height = 20;
  style->mark_height = 18;
  style->lane_padding = 4;
  style->min_lane_height = 40;
  style->counter_height = 56;
  style->font_size = 13;
  style->small_font_size = 11;
  style->fold_px = 3;
  style->mark_fold_px = 7;
  style->min_tick_spacing = 90;
}

void
lab_timeline_style_compact (LabTimelineStyle *style)
{
  g_return_if_fail (style != NULL);

  style->rows_height = 8;
  style->mark_height = 0;
  style->lane_padding = 1;
  style->min_lane_height = 8;
  style->font_size = 8;
}

LabTimelineLayout *
lab_timeline_layout_new (void)
{
  LabTimelineLayout *self = g_new0 (LabTimelineLayout, 1);

  self->prims = g_array_new (FALSE, FALSE, sizeof (LabPrim));
  self->pending = g_array_new (FALSE, FALSE, sizeof (LabPrim));
  self->points = g_array_new (FALSE, FALSE, sizeof (LabPoint));
  lab_timeline_ruler_init (&self->ruler);
  self->legend = g_array_new (FALSE, FALSE, sizeof (LabLegendEntry));
  self->lanes = g_array_new (FALSE, TRUE, sizeof (LabLaneGeom));
  self->strings = g_string_chunk_new (4096);
  lab_timeline_marks_init (&self->marks);
  lab_timeline_labels_init (&self->labels);
  self->palette = lab_palette_get (FALSE);
  lab_timeline_style_init (&self->style, FALSE);
  self->px_per_ns = 1;
  return self;
}

void
lab_timeline_layout_free (LabTimelineLayout *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->trace, lab_trace_unref);
  g_array_unref (self->prims);
  g_array_unref (self->pending);
  g_array_unref (self->points);
  lab_timeline_ruler_clear (&self->ruler);
  g_array_unref (self->legend);
  g_array_unref (self->lanes);
  g_string_chunk_free (self->strings);
  lab_timeline_marks_clear (&self->marks);
  lab_timeline_labels_clear (&self->labels);
  g_free (self);
}

/* ---- small emitters shared by the layout's files ---- */

LabPrim *
lab_layout_add (LabTimelineLayout *self,
                GArray            *array,
                LabPrimKind        kind,
                double             x,
                double             y,
                double             w,
                double             h,
                const LabColor    *color)
{
  return lab_prim_append (array, kind, x, y, w, h, color);
}

const char *
lab_layout_intern (LabTimelineLayout *self,
                   const char        *text)
{
  return lab_prim_intern (self->strings, text);
}

LabPrim *
lab_layout_add_text (LabTimelineLayout *self,
                     GArray            *array,
                     const char        *text,
                     double             x,
                     double             y,
                     double             w,
                     double             h,
                     double             size,
                     guint16            flags,
                     const LabColor    *color)
{
  return lab_prim_append_text (array, self->strings, text, x, y, w, h, size, flags, color);
}

void
lab_layout_add_clip (LabTimelineLayout *self,
                     double             x,
                     double             y,
                     double             w,
                     double             h)
{
  lab_layout_add (self, self->prims, LAB_PRIM_CLIP_PUSH, x, y, MAX (w, 0), MAX (h, 0), NULL);
}

void
lab_layout_pop_clip (LabTimelineLayout *self)
{
  lab_layout_add (self, self->prims, LAB_PRIM_CLIP_POP, 0, 0, 0, 0, NULL);
}

void
lab_layout_flush_pending (LabTimelineLayout *self)
{
  g_array_append_vals (self->prims, self->pending->data, self->pending->len);
  g_array_set_size (self->pending, 0);
}

double
lab_layout_measure (LabTimelineLayout *self,
                    const char        *text,
                    double             size,
                    gboolean           bold)
{
  return lab_text_measure (self->style.measure, self->style.measure_data, text, size, bold);
}

/* ---- lanes ---- */

static guint
lane_rows (const LabTraceLane *lane)
{
  guint rows = 0;

  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    if (lane->spans[d]->len > 0)
      rows = d + 1;
  return rows;
}

static double
lane_height (const LabTimelineStyle *style,
             const LabTraceLane     *lane,
             guint                  *rows_out,
             gboolean               *has_marks_out)
{
  guint rows = lane_rows (lane);
  gboolean has_marks = lane->marks->len > 0;
  double h = 2 * style->lane_padding +
             (style->rows_height > 0 && rows > 0 ? style->rows_height : rows * style->row_height);

  if (has_marks)
    h += style->mark_height;
  if (rows_out != NULL)
    *rows_out = rows;
  if (has_marks_out != NULL)
    *has_marks_out = has_marks;
  return MAX (h, style->min_lane_height);
}

double
lab_timeline_layout_measure_height (LabTrace               *trace,
                                    const LabTimelineStyle *style)
{
  double h = style->ruler_height;
  guint n_lanes = trace != NULL ? lab_trace_get_n_lanes (trace) : 0;

  for (guint i = 0; i < n_lanes; i++)
    h += lane_height (style, lab_trace_get_lane (trace, i), NULL, NULL);
  if (n_lanes == 0)
    h += 2 * style->min_lane_height;
  if (trace != NULL)
    h += lab_trace_get_n_counters (trace) * style->counter_height;
  return ceil (h);
}

static void
compute_lanes (LabTimelineLayout *self)
{
  guint n_lanes = self->trace != NULL ? lab_trace_get_n_lanes (self->trace) : 0;
  double y = self->lanes_y - self->vp.scroll_y;

  g_array_set_size (self->lanes, n_lanes);
  self->content_h = 0;

  for (guint i = 0; i < n_lanes; i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (self->trace, i);
      LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);
      double h = lane_height (&self->style, lane, &geom->rows, &geom->has_marks);
      double inner;

      geom->row_h = self->style.rows_height > 0 && geom->rows > 0 ?
                    self->style.rows_height / geom->rows : self->style.row_height;
      inner = geom->rows * geom->row_h +
                     (geom->has_marks ? self->style.mark_height : 0);

      geom->y = y;
      geom->height = h;
      /* Centre the content when the lane is taller than it needs. */
      geom->marks_y = y + (h - inner) / 2;
      geom->rows_y = geom->marks_y + (geom->has_marks ? self->style.mark_height : 0);
      y += h;
      self->content_h += h;
    }
}

static gboolean
lane_visible (LabTimelineLayout *self,
              const LabLaneGeom *geom)
{
  return geom->y + geom->height > self->lanes_y &&
         geom->y < self->lanes_y + self->lanes_h;
}

static void
emit_lanes (LabTimelineLayout *self)
{
  const LabPalette *pal = self->palette;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);

      if (!lane_visible (self, geom))
        continue;
      if (i % 2 == 1)
        lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, geom->y,
                        self->vp.width, geom->height, &pal->lane_alt);
      lab_layout_add (self, self->prims, LAB_PRIM_LINE, 0, geom->y + geom->height - 0.5,
                      self->vp.width, 0, &pal->separator);
    }

  lab_layout_emit_grid (self, self->lanes_y, self->lanes_h);

  lab_layout_add_clip (self, self->plot_x, self->lanes_y, self->plot_w, self->lanes_h);

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);

      if (!lane_visible (self, geom))
        continue;
      for (guint d = 0; d < geom->rows; d++)
        lab_layout_emit_row (self, i, d, geom->rows_y + d * geom->row_h + (geom->row_h > 4 ? 1 : 0),
                             geom->row_h > 4 ? geom->row_h - 2 : geom->row_h);
    }
  lab_layout_flush_pending (self);
  lab_layout_emit_breaks (self, self->lanes_y, self->lanes_h, FALSE);

  lab_layout_emit_marks (self);
  lab_layout_emit_arrows (self);
  lab_layout_flush_pending (self);
  lab_layout_pop_clip (self);
}

static void
emit_label_column (LabTimelineLayout *self)
{
  const LabPalette *pal = self->palette;
  double w = self->style.label_width;
  double fs = self->style.font_size;
  double sfs = self->style.small_font_size;

  if (w <= 0)
    return;

  lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, self->lanes_y, w, self->lanes_h,
                  &pal->label_background);
  lab_layout_add_clip (self, 0, self->lanes_y, w, self->lanes_h);

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);
      const LabTraceLane *lane = lab_trace_get_lane (self->trace, i);
      double line_h = fs * 1.35;
      /* A compact lane has room for the name alone. */
      gboolean show_tid = lane->tid != 0 && geom->height >= line_h + sfs * 1.35;
      double top = geom->y + (geom->height - line_h - (show_tid ? sfs * 1.35 : 0)) / 2;
      char *sub = NULL;

      if (!lane_visible (self, geom))
        continue;

      if (i % 2 == 1)
        lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, geom->y, w, geom->height,
                        &pal->lane_alt);
      lab_layout_add (self, self->prims, LAB_PRIM_LINE, 0, geom->y + geom->height - 0.5,
                      w, 0, &pal->separator);

      lab_layout_add_text (self, self->prims, lane->name, 8, top, w - 14, line_h, fs,
                           LAB_PRIM_FLAG_BOLD, &pal->text);
      if (show_tid)
        {
          if (lane->kind == LAB_LANE_PROCESS)
            /* Translators: a process id under a lane name */
            sub = g_strdup_printf (_("pid %d"), lane->tid);
          else
            /* Translators: a thread id under a lane name */
            sub = g_strdup_printf (_("tid %d"), lane->tid);
          lab_layout_add_text (self, self->prims, sub, 8, top + line_h, w - 14, sfs * 1.35,
                               sfs, LAB_PRIM_FLAG_NONE, &pal->text_dim);
          g_free (sub);
        }
    }

  lab_layout_pop_clip (self);
  lab_layout_add (self, self->prims, LAB_PRIM_LINE, w - 0.5, 0, 0, self->vp.height,
                  &pal->separator);
}

/* When lanes are hidden below (or above), a thin thumb on the right says so. */
static void
emit_scroll_thumb (LabTimelineLayout *self)
{
  LabColor color = self->palette->text_dim;
  double h, y;

  if (self->content_h <= self->lanes_h + 0.5 || self->lanes_h < 8)
    return;

  h = MAX (self->lanes_h * self->lanes_h / self->content_h, 16);
  y = self->lanes_y + (self->lanes_h - h) *
      CLAMP (self->vp.scroll_y / (self->content_h - self->lanes_h), 0, 1);
  color.alpha = 0.55f;
  lab_layout_add (self, self->prims, LAB_PRIM_RECT, self->vp.width - 6, y, 4, h, &color);
}

static void
emit_empty (LabTimelineLayout *self)
{
  const char *text = _("No events yet");

  lab_layout_add_text (self, self->prims, text, self->plot_x, self->lanes_y,
                       self->plot_w, MAX (self->lanes_h, self->style.font_size * 2),
                       self->style.font_size, LAB_PRIM_FLAG_ALIGN_CENTER,
                       &self->palette->text_dim);
}

void
lab_timeline_layout_compute (LabTimelineLayout         *self,
                             LabTrace                  *trace,
                             const LabTimelineViewport *viewport,
                             const LabTimelineStyle    *style)
{
  guint n_counters;

  g_return_if_fail (self != NULL);
  g_return_if_fail (viewport != NULL);
  g_return_if_fail (style != NULL);

  if (trace != self->trace)
    {
      if (trace != NULL)
        lab_trace_ref (trace);
      g_clear_pointer (&self->trace, lab_trace_unref);
      self->trace = trace;
      lab_timeline_marks_reset (&self->marks);
      lab_timeline_labels_reset (&self->labels);
    }

  self->vp = *viewport;
  self->style = *style;
  self->palette = lab_palette_get (style->dark);
  g_array_set_size (self->prims, 0);
  g_array_set_size (self->pending, 0);
  g_array_set_size (self->points, 0);
  lab_timeline_ruler_reset (&self->ruler);
  g_array_set_size (self->legend, 0);
  g_string_chunk_clear (self->strings);

  if (self->vp.end_ns <= self->vp.start_ns)
    self->vp.end_ns = self->vp.start_ns + 1;

  self->origin_ns = trace != NULL ? lab_trace_get_start_ns (trace) : 0;
  self->trace_end = trace != NULL ? lab_trace_get_end_ns (trace) - self->origin_ns : 0;
  self->plot_x = MAX (style->label_width, 0);
  self->plot_w = MAX (self->vp.width - self->plot_x, 1);
  self->px_per_ns = self->plot_w / (double) (self->vp.end_ns - self->vp.start_ns);
  self->breaks = NULL;
  if (style->breaks != NULL)
    {
      guint n_breaks;

      lab_timeline_breaks_get (style->breaks, &n_breaks);
      if (n_breaks > 0)
        self->breaks = style->breaks;
    }

  n_counters = trace != NULL ? lab_trace_get_n_counters (trace) : 0;
  self->counters_y = self->vp.height - n_counters * style->counter_height;
  self->lanes_y = style->ruler_height;
  self->lanes_h = MAX (self->counters_y - self->lanes_y, 0);

  compute_lanes (self);
  lab_layout_update_highlights (self);
  if (style->color_by_label)
    lab_layout_update_labels (self);

  lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, 0, self->vp.width, self->vp.height,
                  &self->palette->background);

  /* Nothing to measure yet: a ruler would label a made-up stretch of
   * time ("0–0.8 µs"), so the placeholder stands alone. */
  if (trace == NULL || lab_trace_get_n_events (trace) == 0)
    {
      emit_empty (self);
      lab_layout_build_legend (self);
      return;
    }

  lab_layout_add_clip (self, 0, self->lanes_y, self->vp.width, self->lanes_h);
  emit_lanes (self);
  lab_layout_pop_clip (self);

  lab_layout_compute_ticks (self);
  lab_layout_emit_counters (self);
  lab_layout_emit_ruler (self);
  emit_label_column (self);
  emit_scroll_thumb (self);
  lab_layout_build_legend (self);
}

/* ---- getters ---- */

const LabPrim *
lab_timeline_layout_get_prims (LabTimelineLayout *self,
                               guint             *n_prims)
{
  if (n_prims != NULL)
    *n_prims = self->prims->len;
  return (const LabPrim *) (gpointer) self->prims->data;
}

const LabPoint *
lab_timeline_layout_get_points (LabTimelineLayout *self,
                                guint             *n_points)
{
  if (n_points != NULL)
    *n_points = self->points->len;
  return (const LabPoint *) (gpointer) self->points->data;
}

const LabTimelineTick *
lab_timeline_layout_get_ticks (LabTimelineLayout *self,
                               guint             *n_ticks)
{
  if (n_ticks != NULL)
    *n_ticks = self->ruler.ticks->len;
  return (const LabTimelineTick *) (gpointer) self->ruler.ticks->data;
}

const LabLegendEntry *
lab_timeline_layout_get_legend (LabTimelineLayout *self,
                                guint             *n_entries)
{
  if (n_entries != NULL)
    *n_entries = self->legend->len;
  return (const LabLegendEntry *) (gpointer) self->legend->data;
}

const LabPalette *
lab_timeline_layout_get_palette (LabTimelineLayout *self)
{
  return self->palette;
}

double
lab_timeline_layout_time_to_x (LabTimelineLayout *self,
                               gint64             t_ns)
{
  return lab_layout_x (self, t_ns);
}

gint64
lab_timeline_layout_x_to_time (LabTimelineLayout *self,
                               double             x)
{
  return lab_layout_real (self, self->vp.start_ns +
                                (gint64) floor ((x - self->plot_x) / self->px_per_ns + 0.5));
}

gboolean
lab_timeline_layout_get_lane_area (LabTimelineLayout *self,
                                   guint              lane,
                                   double            *y,
                                   double            *height)
{
  const LabLaneGeom *geom;

  if (lane >= self->lanes->len)
    return FALSE;
  geom = &g_array_index (self->lanes, LabLaneGeom, lane);
  if (y != NULL)
    *y = geom->y;
  if (height != NULL)
    *height = geom->height;
  return TRUE;
}

void
lab_timeline_layout_get_plot_area (LabTimelineLayout *self,
                                   double            *x,
                                   double            *y,
                                   double            *width,
                                   double            *height)
{
  if (x != NULL)
    *x = self->plot_x;
  if (y != NULL)
    *y = self->lanes_y;
  if (width != NULL)
    *width = self->plot_w;
  if (height != NULL)
    *height = self->lanes_h;
}

double
lab_timeline_layout_get_content_height (LabTimelineLayout *self)
{
  return self->content_h;
}
