/* lab-timeline-ruler.c — "nice" time ticks (1-2-5 × 10^k ns) with labels
 * readable at any zoom, the ruler, the grid, and duration formatting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-time.h"
#include "lab-timeline-layout-private.h"

#define MAX_TICKS 1000

typedef struct
{
  gint64      ns;
  const char *(*symbol) (void);
} LabTimeUnit;

static const char *
unit_s (void)
{
  /* Translators: symbol of seconds */
  return C_("time unit", "s");
}

static const char *
unit_ms (void)
{
  /* Translators: symbol of milliseconds */
  return C_("time unit", "ms");
}

static const char *
unit_us (void)
{
  /* Translators: symbol of microseconds */
  return C_("time unit", "µs");
}

static const char *
unit_ns (void)
{
  /* Translators: symbol of nanoseconds */
  return C_("time unit", "ns");
}

static const LabTimeUnit units[] = {
  { LAB_NS_PER_S, unit_s },
  { 1000000, unit_ms },
  { 1000, unit_us },
  { 1, unit_ns },
};

gint64
lab_timeline_tick_step (gint64 range_ns,
                        double plot_width,
                        double min_spacing_px)
{
  double raw;
  gint64 pow10 = 1;

  if (range_ns <= 0 || plot_width <= 0)
    return 1;

  raw = (double) range_ns * MAX (min_spacing_px, 1) / plot_width;
  while (pow10 <= G_MAXINT64 / 10)
    {
      if ((double) pow10 >= raw)
        return pow10;
      if ((double) (2 * pow10) >= raw)
        return 2 * pow10;
      if ((double) (5 * pow10) >= raw)
        return 5 * pow10;
      pow10 *= 10;
    }
  return pow10;
}

/* The largest unit in which @step_ns needs at most 1 decimal. */
static guint
unit_for_step (gint64 step_ns,
               guint *decimals)
{
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gint64 u = units[i].ns;

      if (step_ns * 10 >= u)
        {
          if (decimals != NULL)
            *decimals = step_ns >= u ? 0 : 1;
          return i;
        }
    }
  if (decimals != NULL)
    *decimals = 0;
  return G_N_ELEMENTS (units) - 1;
}

char *
lab_timeline_format_tick (gint64 t_ns,
                          gint64 step_ns)
{
  guint decimals;
  guint u = unit_for_step (MAX (step_ns, 1), &decimals);

  if (units[u].ns == 1 || t_ns == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", t_ns, units[u].symbol ());
  return g_strdup_printf ("%.*f %s", (int) decimals, (double) t_ns / (double) units[u].ns,
                          units[u].symbol ());
}

char *
lab_timeline_format_duration (gint64 ns)
{
  gint64 mag = ABS (ns);

  for (guint i = 0; i < G_N_ELEMENTS (units) - 1; i++)
    {
      gint64 u = units[i].ns;

      if (mag >= u)
        {
          double v = (double) ns / (double) u;
          double av = ABS (v);
          int decimals = av >= 99.95 ? 0 : (av >= 9.995 ? 1 : 2);

          return g_strdup_printf ("%.*f %s", decimals, v, units[i].symbol ());
        }
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s", ns, unit_ns ());
}

/* "5.000001 s": an absolute time @base_ns, a multiple of @quantum_ns. */
static char *
format_base (gint64 base_ns,
             gint64 quantum_ns)
{
  int decimals = 0;

  for (gint64 q = quantum_ns; q < LAB_NS_PER_S && decimals < 9; q *= 10)
    decimals++;
  return g_strdup_printf ("%.*f %s", decimals, (double) base_ns / (double) LAB_NS_PER_S, unit_s ());
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

typedef struct
{
  gint64   step;
  gboolean offset;
  gint64   base;
} TickPlan;

static char *
tick_label (const TickPlan *plan,
            gint64          t)
{
  if (plan->offset)
    {
      char *rel = lab_timeline_format_tick (t - plan->base, plan->step);
      char *label = g_strconcat ("+", rel, NULL);

      g_free (rel);
      return label;
    }
  return lab_timeline_format_tick (t, plan->step);
}

void
lab_timeline_ruler_init (LabTimelineRuler *ruler)
{
  ruler->ticks = g_array_new (FALSE, FALSE, sizeof (LabTimelineTick));
  ruler->step = 0;
  ruler->base = G_MININT64;
}

void
lab_timeline_ruler_clear (LabTimelineRuler *ruler)
{
  g_clear_pointer (&ruler->ticks, g_array_unref);
}

void
lab_timeline_ruler_reset (LabTimelineRuler *ruler)
{
  g_array_set_size (ruler->ticks, 0);
}

static void
plan_ticks (LabTimelineLayout *self,
            double             spacing,
            TickPlan          *plan)
{
  gint64 vs = self->vp.start_ns;
  gint64 ve = self->vp.end_ns;
  guint u;
  gint64 unit_ns;

  plan->step = lab_timeline_tick_step (ve - vs, self->plot_w, spacing);
  u = unit_for_step (plan->step, NULL);
  unit_ns = units[u].ns;
  /* Far from zero, absolute labels would be long ("5000001230 ns"):
   * label ticks relative to a round base shown in the corner. */
  plan->offset = unit_ns < LAB_NS_PER_S &&
                 MAX (ABS (vs), ABS (ve)) / unit_ns >= 10000;
  plan->base = plan->offset ? floor_div (vs, unit_ns * 1000) * unit_ns * 1000 : 0;
}

static gboolean
axis_in_break (LabTimelineLayout *self,
               gint64             axis_ns)
{
  const LabTimelineBreak *b;
  guint n;

  if (self->breaks == NULL)
    return FALSE;
  b = lab_timeline_breaks_get (self->breaks, &n);
  for (guint i = 0; i < n && b[i].axis_start <= axis_ns; i++)
    if (axis_ns < b[i].axis_end)
      return TRUE;
  return FALSE;
}

/* Each collapsed gap in the box (@y, @h): a pale band with a dashed edge
 * on both sides; on the ruler (@ruler) also how long the gap really was. */
void
lab_layout_emit_breaks (LabTimelineLayout *self,
                        double             y,
                        double             h,
                        gboolean           ruler)
{
  const LabPalette *pal = self->palette;
  const LabTimelineBreak *b;
  guint n;

  if (self->breaks == NULL)
    return;
  b = lab_timeline_breaks_get (self->breaks, &n);
  for (guint i = 0; i < n; i++)
    {
      double x0 = lab_layout_axis_x (self, b[i].axis_start);
      double x1 = lab_layout_axis_x (self, b[i].axis_end);
      LabColor band = pal->background;

      if (x1 < self->plot_x || x0 > self->plot_x + self->plot_w)
        continue;
      band.alpha = 0.75f;
      lab_layout_add (self, self->prims, LAB_PRIM_RECT, x0, y, MAX (x1 - x0, 1), h, &band);
      for (guint side = 0; side < 2; side++)
        {
          double x = floor (side == 0 ? x0 : x1) + 0.5;
          LabPrim *prim = lab_layout_add (self, self->prims, LAB_PRIM_LINE, x, y, 0, h,
                                          &pal->text_dim);

          prim->flags |= LAB_PRIM_FLAG_DASHED;
        }
      if (ruler)
        {
          char *length = lab_timeline_format_duration (b[i].real_end - b[i].real_start);
          /* Translators: on the ruler, over a stretch of the run drawn
           * shortened; %s is how long it really was ("1.9 s") */
          char *text = g_strdup_printf (_("%s idle"), length);
          double tw = lab_layout_measure (self, text, self->style.small_font_size, FALSE);

          if (tw + 4 <= x1 - x0)
            lab_layout_add_text (self, self->prims, text, x0, y + h * 0.3, x1 - x0, h * 0.7,
                                 self->style.small_font_size, LAB_PRIM_FLAG_ALIGN_CENTER,
                                 &pal->text);
          g_free (length);
          g_free (text);
        }
    }
}

void
lab_layout_compute_ticks (LabTimelineLayout *self)
{
  double spacing = MAX (self->style.min_tick_spacing, 8);
  TickPlan plan;
  gint64 t;
  guint n = 0;

  /* Ticks must leave room for their labels: measure the widest candidate
   * and widen the spacing if needed (twice is enough to settle). */
  for (guint pass = 0; pass < 2; pass++)
    {
      char *a, *b;
      double w;

      plan_ticks (self, spacing, &plan);
      a = tick_label (&plan, self->vp.start_ns);
      b = tick_label (&plan, self->vp.end_ns);
      w = MAX (lab_layout_measure (self, a, self->style.small_font_size, FALSE),
               lab_layout_measure (self, b, self->style.small_font_size, FALSE)) + 16;
      g_free (a);
      g_free (b);
      if (w <= (double) plan.step * self->px_per_ns)
        break;
      spacing = MAX (spacing, w);
    }

  t = floor_div (self->vp.start_ns + plan.step - 1, plan.step) * plan.step;
  if (t < self->vp.start_ns)
    t += plan.step;
  for (; t <= self->vp.end_ns && n < MAX_TICKS; t += plan.step, n++)
    {
      LabTimelineTick tick;
      char *label;

      /* Inside a break the axis is squeezed: a tick there would mislead. */
      if (axis_in_break (self, t))
        continue;
      /* On a collapsed axis the ticks stay evenly spaced and say the real
       * time; after a break they are no longer round numbers. */
      label = tick_label (&plan, lab_layout_real (self, t));
      tick.t_ns = t;
      tick.x = lab_layout_axis_x (self, t);
      tick.label = lab_layout_intern (self, label);
      g_array_append_val (self->ruler.ticks, tick);
      g_free (label);
    }

  /* Remembered for the corner label and the minor ticks. */
  self->ruler.step = plan.step;
  self->ruler.base = plan.offset ? plan.base : G_MININT64;
}

void
lab_layout_emit_grid (LabTimelineLayout *self,
                      double             y,
                      double             h)
{
  for (guint i = 0; i < self->ruler.ticks->len; i++)
    {
      const LabTimelineTick *tick = &g_array_index (self->ruler.ticks, LabTimelineTick, i);
      double x = floor (tick->x) + 0.5;

      if (x < self->plot_x || x > self->plot_x + self->plot_w)
        continue;
      lab_layout_add (self, self->prims, LAB_PRIM_LINE, x, y, 0, h, &self->palette->grid);
    }
}

static gint64
minor_step (gint64 step)
{
  gint64 m = step;

  while (m >= 10 && m % 10 == 0)
    m /= 10;
  if (m == 2)
    return step % 4 == 0 ? step / 4 : 0;
  return step % 5 == 0 ? step / 5 : 0;
}

void
lab_layout_emit_ruler (LabTimelineLayout *self)
{
  const LabPalette *pal = self->palette;
  double rh = self->style.ruler_height;
  double sfs = self->style.small_font_size;
  gint64 minor = minor_step (self->ruler.step);

  if (rh <= 0)
    return;

  lab_layout_add (self, self->prims, LAB_PRIM_RECT, 0, 0, self->vp.width, rh,
                  &pal->ruler_background);
  lab_layout_add_clip (self, self->plot_x, 0, self->plot_w, rh);

  if (minor > 0 && (double) minor * self->px_per_ns >= 6)
    {
      gint64 t = floor_div (self->vp.start_ns, minor) * minor;

      for (guint n = 0; t <= self->vp.end_ns && n < MAX_TICKS * 5; t += minor, n++)
        {
          double x = floor (lab_layout_axis_x (self, t)) + 0.5;

          if (t % self->ruler.step != 0 && !axis_in_break (self, t))
            lab_layout_add (self, self->prims, LAB_PRIM_LINE, x, rh - 5, 0, 5, &pal->text_dim);
        }
    }

  for (guint i = 0; i < self->ruler.ticks->len; i++)
    {
      const LabTimelineTick *tick = &g_array_index (self->ruler.ticks, LabTimelineTick, i);
      double x = floor (tick->x) + 0.5;
      double room = (double) self->ruler.step * self->px_per_ns - 8;

      double tw = lab_layout_measure (self, tick->label, sfs, FALSE);

      lab_layout_add (self, self->prims, LAB_PRIM_LINE, x, rh * 0.35, 0, rh * 0.65,
                      &pal->text_dim);
      /* A label cut by the right edge would read wrong ("1.0" for "1.0 s"). */
      if (x + 4 + tw <= self->plot_x + self->plot_w)
        lab_layout_add_text (self, self->prims, tick->label, x + 4, 1, MAX (room, tw + 2),
                             rh * 0.7, sfs, LAB_PRIM_FLAG_NONE, &pal->text);
    }
  lab_layout_emit_breaks (self, 0, rh, TRUE);
  lab_layout_pop_clip (self);

  if (self->ruler.base != G_MININT64 && self->plot_x > 0)
    {
      guint u = unit_for_step (self->ruler.step, NULL);
      char *base = format_base (self->ruler.base, units[u].ns * 1000);
      char *text = g_strconcat (base, " +", NULL);

      lab_layout_add_text (self, self->prims, text, 4, 0, self->plot_x - 8, rh, sfs,
                           LAB_PRIM_FLAG_BOLD | LAB_PRIM_FLAG_ALIGN_RIGHT, &pal->text);
      g_free (base);
      g_free (text);
    }

  lab_layout_add (self, self->prims, LAB_PRIM_LINE, 0, rh - 0.5, self->vp.width, 0,
                  &pal->separator);
}
