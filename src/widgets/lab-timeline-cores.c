/* lab-timeline-cores.c — the timeline's cores view ("where threads ran")
 * and colouring by label.
 *
 * In the cores view the widget keeps its trace and shows a view derived
 * from it (lab_trace_new_cores_view()), rebuilt when the trace's generation
 * changes. Deriving reads every event, so while a live run is followed the
 * view is rebuilt at most every 200 ms (and never more often than five
 * times what the last build took); once the run is no longer followed it
 * catches up at once. The time axis is the trace's, so zoom, pan and follow
 * carry over when the view is switched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-cores.h"
#include "lab-timeline-private.h"

#define CORES_MIN_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND)

/* What the layout draws: the trace, or its cores view. */
LabTrace *
lab_timeline_shown_trace (LabTimeline *self)
{
  return self->show_cores ? self->cores : self->trace;
}

/* TRUE if the cores view is shown but not built from the latest trace. */
gboolean
lab_timeline_cores_stale (LabTimeline *self)
{
  return self->show_cores && self->trace != NULL &&
         (self->cores == NULL || self->cores_generation != lab_trace_get_generation (self->trace));
}

/* Rebuilds the cores view when it is stale and may be rebuilt now; TRUE
 * if it was (the main layer is then dropped). */
gboolean
lab_timeline_ensure_cores (LabTimeline *self)
{
  gint64 now;

  if (!self->show_cores || self->trace == NULL)
    {
      g_clear_pointer (&self->cores, lab_trace_unref);
      return FALSE;
    }
  if (!lab_timeline_cores_stale (self))
    return FALSE;

  now = g_get_monotonic_time ();
  if (self->cores != NULL && self->follow &&
      now - self->cores_built_us < MAX (CORES_MIN_INTERVAL_US, 5 * self->cores_cost_us))
    return FALSE;

  g_clear_pointer (&self->cores, lab_trace_unref);
  self->cores = lab_trace_new_cores_view (self->trace);
  self->cores_generation = lab_trace_get_generation (self->trace);
  self->cores_built_us = g_get_monotonic_time ();
  self->cores_cost_us = self->cores_built_us - now;
  lab_prim_layer_invalidate (&self->layer);
  return TRUE;
}

void
lab_timeline_set_show_cores (LabTimeline *self,
                             gboolean     show_cores)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  show_cores = !!show_cores;
  if (show_cores == self->show_cores)
    return;

  self->show_cores = show_cores;
  g_clear_pointer (&self->cores, lab_trace_unref);
  lab_prim_layer_invalidate (&self->layer);
  self->has_hover = FALSE;
  self->seen_generation = G_MAXUINT64;
  lab_timeline_queue_update (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  show_cores
                                  ? _("One lane per CPU, coloured by the thread that ran there; "
                                      "+ and − zoom, 0 fits")
                                  : _("One lane per thread or process; + and − zoom, 0 fits"),
                                  -1);
  g_object_notify (G_OBJECT (self), "show-cores");
}

gboolean
lab_timeline_get_show_cores (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->show_cores;
}

void
lab_timeline_set_color_by_label (LabTimeline *self,
                                 gboolean     color_by_label)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  color_by_label = !!color_by_label;
  if (color_by_label == self->color_by_label)
    return;

  self->color_by_label = color_by_label;
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), "color-by-label");
}

gboolean
lab_timeline_get_color_by_label (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->color_by_label;
}
