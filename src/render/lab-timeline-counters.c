/* lab-timeline-counters.c — the counter tracks under the lanes, decimated
 * to min/max per pixel column, and the counter value under the pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-timeline-layout-private.h"

/* Index of the last sample at or before @abs_ns, or -1. */
static gint
counter_last_at (const LabTraceCounter *counter,
                 gint64                 abs_ns)
{
  const LabCounterSample *s = (const LabCounterSample *) (gpointer) counter->samples->data;
  guint lo = 0;
  guint hi = counter->samples->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (s[mid].ts_ns <= abs_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (gint) lo - 1;
}

gboolean
lab_layout_counter_value_at (LabTimelineLayout *self,
                             guint              index,
                             gint64             abs_ns,
                             gint64            *value)
{
  const LabTraceCounter *counter;
  gint k;

  if (self->trace == NULL || index >= lab_trace_get_n_counters (self->trace))
    return FALSE;
  counter = lab_trace_get_counter (self->trace, index);
  k = counter_last_at (counter, abs_ns);
  if (k < 0)
    return FALSE;
  *value = g_array_index (counter->samples, LabCounterSample, k).value;
  return TRUE;
}

static void
add_point (LabTimelineLayout *self,
           guint              first,
           double             x,
           double             y)
{
  LabPoint p = { x, y };

  if (self->points->len > first)
    {
      const LabPoint *last = &g_array_index (self->points, LabPoint, self->points->len - 1);

      if (last->x == x && last->y == y)
        return;
    }
  g_array_append_val (self->points, p);
}

#define VALUE_Y(v) (bottom - (double) ((v) - vmin) * (bottom - top) / (double) (vmax - vmin))

static void
emit_counter_steps (LabTimelineLayout     *self,
                    guint                  index,
                    const LabTraceCounter *counter,
                    double                 top,
                    double                 bottom)
{
  const LabCounterSample *s = (const LabCounterSample *) (gpointer) counter->samples->data;
  guint n = counter->samples->len;
  gint64 vmin = MIN (counter->min_value, 0);
  gint64 vmax = MAX (counter->max_value, vmin + 1);
  double right = self->plot_x + self->plot_w;
  guint first = self->points->len;
  gint start = counter_last_at (counter, lab_layout_abs_at (self, self->plot_x) - 1);
  guint k = (guint) (start + 1);
  gboolean have_prev = start >= 0;
  gint64 prev = have_prev ? s[start].value : 0;
  double end_x;
  LabPrim *prim;

  if (have_prev)
    add_point (self, first, self->plot_x - 1, VALUE_Y (prev));

  /* One vertical stroke per pixel column covers every sample in it. */
  while (k < n)
    {
      double x = lab_layout_x (self, s[k].ts_ns - self->origin_ns);
      double col = floor (x);
      gint64 lo = s[k].value, hi = s[k].value, last = s[k].value;

      if (x > right + 1)
        break;
      for (k++; k < n; k++)
        {
          double xk = lab_layout_x (self, s[k].ts_ns - self->origin_ns);

          if (floor (xk) != col)
            break;
          lo = MIN (lo, s[k].value);
          hi = MAX (hi, s[k].value);
          last = s[k].value;
        }
      if (have_prev)
        add_point (self, first, x, VALUE_Y (prev));
      if (lo != hi)
        {
          add_point (self, first, x, VALUE_Y (lo));
          add_point (self, first, x, VALUE_Y (hi));
        }
      add_point (self, first, x, VALUE_Y (last));
      prev = last;
      have_prev = TRUE;
    }

  if (!have_prev)
    return;
  end_x = k < n ? right + 1 : MIN (lab_layout_x (self, self->trace_end), right + 1);
  add_point (self, first, end_x, VALUE_Y (prev));

  prim = lab_layout_add (self, self->prims, LAB_PRIM_STEPS, self->plot_x, top, self->plot_w,
                         bottom - top, &self->palette->counter_line);
  prim->color2 = self->palette->counter_fill;
  prim->index = first;
  prim->count = self->points->len - first;
  prim->lane = index;
  prim->size = 1.5;
}

void
lab_layout_emit_counters (LabTimelineLayout *self)
{
  const LabPalette *pal = self->palette;
  guint n = lab_trace_get_n_counters (self->trace);
  double ch = self->style.counter_height;
  double fs = self->style.font_size;
  double sfs = self->style.small_font_size;
  double lw = self->style.label_width;

  for (guint c = 0; c < n; c++)
    {
      const LabTraceCounter *counter = lab_trace_get_counter (self->trace, c);
      double y = self->counters_y + c * ch;
      double top = y + 6;
      double bottom = y + ch - 6;
      gint64 value;
      char *text;

      lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, y, self->vp.width, ch,
                      &pal->ruler_background);
      lab_layout_add (self, self->prims, LAB_PRIM_LINE, 0, y + 0.5, self->vp.width, 0,
                      &pal->separator);
      lab_layout_add_clip (self, self->plot_x, y, self->plot_w, ch);
      lab_layout_emit_grid (self, y, ch);
      emit_counter_steps (self, c, counter, top, bottom);
      text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (counter->max_value, 0));
      lab_layout_add_text (self, self->prims, text, self->plot_x + 4, y + 2,
                           200, sfs * 1.3, sfs, LAB_PRIM_FLAG_NONE, &pal->text_dim);
      g_free (text);
      lab_layout_pop_clip (self);

      if (lw <= 0)
        continue;
      lab_layout_add_clip (self, 0, y, lw, ch);
      lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, y + 1, lw, ch - 1,
                      &pal->label_background);
      lab_layout_add_text (self, self->prims, lab_trace_get_string (self->trace, counter->label),
                           8, y + ch / 2 - fs * 1.35, lw - 14, fs * 1.35, fs,
                           LAB_PRIM_FLAG_BOLD, &pal->text);
      if (lab_layout_counter_value_at (self, c, self->origin_ns + lab_layout_real (self, self->vp.end_ns), &value))
        {
          text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
          lab_layout_add_text (self, self->prims, text, 8, y + ch / 2, lw - 14, fs * 1.35, fs,
                               LAB_PRIM_FLAG_NONE, &pal->counter_line);
          g_free (text);
        }
      lab_layout_pop_clip (self);
    }
}
