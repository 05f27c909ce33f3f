/* lab-timeline-moment.c — the timeline's way to the lesson: the moment an
 * experiment teaches (lab-moment.h), the animated zoom that goes there or
 * back to the whole run, and the collapsed idle time the view runs on.
 *
 * The zoom animates only after a run: while one is followed the view must
 * not add ticks of its own (a timed section keeps the window still).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lab-timeline-private.h"

#define ANIMATION_US (250 * G_TIME_SPAN_MILLISECOND)

/* ---- collapsed idle time ---- */

void
lab_timeline_update_breaks (LabTimeline *self)
{
  lab_timeline_breaks_update (self->breaks,
                              self->collapse_idle ? lab_timeline_shown_trace (self) : NULL, 0);
}

gint64
lab_timeline_to_axis (LabTimeline *self,
                      gint64       real_ns)
{
  return self->collapse_idle ? lab_timeline_breaks_to_axis (self->breaks, real_ns) : real_ns;
}

gint64
lab_timeline_to_real (LabTimeline *self,
                      gint64       axis_ns)
{
  return self->collapse_idle ? lab_timeline_breaks_to_real (self->breaks, axis_ns) : axis_ns;
}

/* ---- the animated zoom ---- */

void
lab_timeline_stop_animation (LabTimeline *self)
{
  if (self->anim_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->anim_id);
      self->anim_id = 0;
    }
}

gboolean
lab_timeline_is_animating (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->anim_id != 0;
}

/* Centre and width are eased separately, the width on a log scale, so a
 * zoom by 1000× looks as even as one by 2×. */
static void
interpolate (LabTimeline *self,
             double       t,
             gint64      *start,
             gint64      *end)
{
  double e = 1 - pow (1 - t, 3);
  double c0 = (self->anim_from[0] + self->anim_from[1]) / 2.0;
  double c1 = (self->anim_to[0] + self->anim_to[1]) / 2.0;
  double w0 = log (MAX (self->anim_from[1] - self->anim_from[0], 1));
  double w1 = log (MAX (self->anim_to[1] - self->anim_to[0], 1));
  double c = c0 + (c1 - c0) * e;
  double w = exp (w0 + (w1 - w0) * e);

  *start = (gint64) (c - w / 2);
  *end = (gint64) (c + w / 2);
}

static gboolean
animation_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  LabTimeline *self = LAB_TIMELINE (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gint64 start, end;
  double t;

  if (self->anim_begin_us == 0)
    self->anim_begin_us = now;
  t = CLAMP ((double) (now - self->anim_begin_us) / ANIMATION_US, 0, 1);
  if (t >= 1)
    {
      start = self->anim_to[0];
      end = self->anim_to[1];
    }
  else
    interpolate (self, t, &start, &end);
  lab_timeline_set_view (self, start, end);

  if (t >= 1)
    {
      self->anim_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
animations_enabled (GtkWidget *widget)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (widget), "gtk-enable-animations", &enabled, NULL);
  return enabled && gtk_widget_get_mapped (widget);
}

/* Goes to [@start, @end] (axis ns): animated when shown, not following a
 * run and animations are on; at once otherwise. */
void
lab_timeline_animate_view (LabTimeline *self,
                           gint64       start,
                           gint64       end)
{
  GtkWidget *widget = GTK_WIDGET (self);

  lab_timeline_stop_animation (self);
  if (self->follow || !self->view_set || !animations_enabled (widget))
    {
      lab_timeline_set_view (self, start, end);
      return;
    }
  self->anim_from[0] = self->view_start;
  self->anim_from[1] = self->view_end;
  self->anim_to[0] = start;
  self->anim_to[1] = end;
  self->anim_begin_us = 0;
  self->anim_id = gtk_widget_add_tick_callback (widget, animation_tick, NULL, NULL);
}

void
lab_timeline_show_all (LabTimeline *self)
{
  gint64 start, end;

  g_return_if_fail (LAB_IS_TIMELINE (self));

  self->follow_range = 0;
  lab_timeline_fit_range (self, &start, &end);
  lab_timeline_animate_view (self, start, end);
}

/* ---- the moment ---- */

void
lab_timeline_set_moment (LabTimeline         *self,
                         const LabMomentSpec *spec)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  if (spec != NULL)
    self->moment = *spec;
  else
    self->moment = (LabMomentSpec) { LAB_MOMENT_NONE, NULL, 0 };
  self->moment_trace = NULL;
}

static gboolean
find_moment (LabTimeline *self)
{
  LabTrace *trace = self->trace;
  gint64 start, end;

  if (trace == NULL || self->moment.kind == LAB_MOMENT_NONE)
    return FALSE;
  if (trace == self->moment_trace && lab_trace_get_generation (trace) == self->moment_generation)
    return self->moment_found;

  self->moment_trace = trace;
  self->moment_generation = lab_trace_get_generation (trace);
  self->moment_found = lab_moment_find (trace, &self->moment, &start, &end);
  if (self->moment_found)
    {
      self->moment_start = start - lab_trace_get_start_ns (trace);
      self->moment_end = end - lab_trace_get_start_ns (trace);
    }
  return self->moment_found;
}

gboolean
lab_timeline_has_moment (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return find_moment (self);
}

gboolean
lab_timeline_show_moment (LabTimeline *self,
                          gboolean     animate)
{
  gint64 start, end, pad, run;

  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);

  if (!find_moment (self))
    {
      if (animate)
        lab_timeline_show_all (self);
      else
        lab_timeline_zoom_fit (self);
      return FALSE;
    }

  /* Room around the moment to see what led to it and what followed: a
   * quarter of it on each side, and at least a two-hundredth of the run
   * (a GIL hand-over takes microseconds; the slices around it, ms). */
  lab_timeline_set_follow (self, FALSE);
  lab_timeline_update_breaks (self);
  run = lab_trace_get_end_ns (self->trace) - lab_trace_get_start_ns (self->trace);
  pad = MAX ((self->moment_end - self->moment_start) / 4, run / 200);
  start = lab_timeline_to_axis (self, MAX (self->moment_start - pad, 0));
  end = lab_timeline_to_axis (self, MIN (self->moment_end + pad, run));
  if (end <= start)
    end = start + 1000;
  self->follow_range = 0;
  if (animate)
    lab_timeline_animate_view (self, start, end);
  else
    {
      lab_timeline_stop_animation (self);
      lab_timeline_set_view (self, start, end);
    }
  return TRUE;
}
