/* lab-timeline-input.c — the timeline's pointer and keyboard: hover,
 * tooltips, Ctrl+scroll zoom, scroll and drag to pan, + − 0 keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-timeline-private.h"
#include "lab-timeline-test.h"

static gboolean
same_hit (const LabTimelineHit *a,
          const LabTimelineHit *b)
{
  return a->kind == b->kind && a->lane == b->lane && a->depth == b->depth &&
         a->index == b->index && a->count == b->count &&
         (a->kind != LAB_TIMELINE_HIT_COUNTER || a->x == b->x);
}

static void
update_hover (LabTimeline *self)
{
  LabTimelineHit hit;
  gboolean has = self->pointer_inside && self->layer.node != NULL &&
                 lab_timeline_layout_hit_test (self->layout, self->pointer_x, self->pointer_y, &hit);

  if (has == self->has_hover && (!has || same_hit (&hit, &self->hover)))
    return;
  self->has_hover = has;
  if (has)
    self->hover = hit;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           LabTimeline              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  update_hover (self);
}

static void
on_leave (GtkEventControllerMotion *motion,
          LabTimeline              *self)
{
  self->pointer_inside = FALSE;
  update_hover (self);
}

gboolean
lab_timeline_handle_scroll (LabTimeline     *self,
                          double           dx,
                          double           dy,
                          GdkScrollUnit    unit,
                          GdkModifierType  mods)
{
  /* Wheels report clicks, touchpads report pixels. */
  double step = unit == GDK_SCROLL_UNIT_SURFACE ? 1.0 : LAB_TIMELINE_SCROLL_STEP_PX;

  if (mods & GDK_CONTROL_MASK)
    {
      /* One wheel click: twice or half the range. */
      lab_timeline_zoom_around (self, lab_timeline_zoom_anchor (self),
                                pow (2.0, dy * step / LAB_TIMELINE_SCROLL_STEP_PX));
      return TRUE;
    }
  if (mods & GDK_SHIFT_MASK)
    {
      lab_timeline_pan_px (self, (dy + dx) * step);
      return TRUE;
    }
  if (dx != 0)
    lab_timeline_pan_px (self, dx * step);
  if (dy != 0 && lab_timeline_max_scroll (self) > 0)
    {
      lab_timeline_scroll_lanes (self, dy * step);
      return TRUE;
    }
  return dx != 0;
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           LabTimeline              *self)
{
  return lab_timeline_handle_scroll (self, dx, dy, gtk_event_controller_scroll_get_unit (scroll),
                                   gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll)));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LabTimeline    *self)
{
  self->drag_view_start = self->view_start;
  self->drag_scroll_y = self->scroll_y;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                LabTimeline    *self)
{
  gint64 range = self->view_end - self->view_start;
  gint64 start = self->drag_view_start - (gint64) (dx * range / lab_timeline_plot_width (self));

  if (ABS (dx) < 2 && ABS (dy) < 2)
    return;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  lab_timeline_stop_animation (self);
  lab_timeline_set_follow (self, FALSE);
  lab_timeline_set_view (self, start, start + range);
  lab_timeline_scroll_lanes (self, self->drag_scroll_y - dy - self->scroll_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             LabTimeline    *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static gboolean
on_key (GtkEventControllerKey *key,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        LabTimeline           *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      lab_timeline_zoom_in (self);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      lab_timeline_zoom_out (self);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      lab_timeline_show_all (self);
      return TRUE;
    case GDK_KEY_Left:
      lab_timeline_pan_px (self, -lab_timeline_plot_width (self) / 10);
      return TRUE;
    case GDK_KEY_Right:
      lab_timeline_pan_px (self, lab_timeline_plot_width (self) / 10);
      return TRUE;
    case GDK_KEY_Up:
      lab_timeline_scroll_lanes (self, -LAB_TIMELINE_SCROLL_STEP_PX);
      return lab_timeline_max_scroll (self) > 0;
    case GDK_KEY_Down:
      lab_timeline_scroll_lanes (self, LAB_TIMELINE_SCROLL_STEP_PX);
      return lab_timeline_max_scroll (self) > 0;
    default:
      return FALSE;
    }
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  LabTimeline *self = LAB_TIMELINE (widget);
  LabTimelineHit hit;
  char *text;

  if (keyboard)
    {
      gtk_tooltip_set_text (tooltip, _("Timeline: + and − zoom, 0 fits the whole run, "
                                       "arrows pan, drag to move"));
      return TRUE;
    }
  if (self->layer.node == NULL || !lab_timeline_layout_hit_test (self->layout, x, y, &hit))
    return FALSE;

  text = lab_timeline_hit_describe (self->layout, &hit);
  gtk_tooltip_set_text (tooltip, text);
  if (hit.kind != LAB_TIMELINE_HIT_COUNTER && hit.kind != LAB_TIMELINE_HIT_RULER)
    gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { (int) floor (hit.x), (int) floor (hit.y),
                                                         (int) ceil (MAX (hit.width, 1)),
                                                         (int) ceil (MAX (hit.height, 1)) });
  g_free (text);
  return TRUE;
}

void
lab_timeline_init_input (LabTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *drag;

  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (widget, controller);
}
