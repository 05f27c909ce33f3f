/* lab-timeline.c — the timeline widget: the trace, the view (zoom, pan,
 * follow), size and the cached main layer. Geometry comes from
 * LabTimelineLayout, nodes from lab-timeline-render.c, input from
 * lab-timeline-input.c. The big layer is one render node, rebuilt only when
 * the trace's generation, the view, the size or the theme changes; the
 * hover outline is a separate small layer on top.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <string.h>

#include "lab-timeline-private.h"

#define MIN_RANGE_NS G_GINT64_CONSTANT (100)
/* One wheel click or key press halves or doubles the visible range. */
#define ZOOM_STEP    2.0

enum {
  PROP_0,
  PROP_TRACE,
  PROP_FOLLOW,
  PROP_VIEW_START,
  PROP_VIEW_END,
  PROP_SHOW_CORES,
  PROP_COLOR_BY_LABEL,
  PROP_COLLAPSE_IDLE,
  PROP_COMPACT,
  PROP_SHOW_LEGEND,
  PROP_TEXT_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LabTimeline, lab_timeline, GTK_TYPE_WIDGET)

/* ---- the view ---- */

/* The run's length on the time axis (shorter than the run when idle time
 * is collapsed). */
gint64
lab_timeline_axis_duration (LabTimeline *self)
{
  gint64 d = 0;

  if (self->trace != NULL && lab_trace_get_n_events (self->trace) > 0)
    {
      gint64 end = lab_trace_get_end_ns (self->trace);

      /* A live run has lasted until now, whatever its last event was. */
      if (self->live)
        end = MAX (end, lab_clock_now_ns ());
      d = lab_timeline_to_axis (self, end - lab_trace_get_start_ns (self->trace));
    }
  /* On one axis with a longer run, this one is as long for fit and pan. */
  return MAX (d, self->axis_end_ns);
}

#define trace_duration lab_timeline_axis_duration

void
lab_timeline_fit_range (LabTimeline *self,
                        gint64      *start,
                        gint64      *end)
{
  gint64 d = trace_duration (self);

  /* The whole run, with a little room around it for the marks. */
  *start = -MAX (d / 100, 10);
  *end = MAX (d + d / 50, 1000);
}

void
lab_timeline_set_view (LabTimeline *self,
                       gint64       start,
                       gint64       end)
{
  gint64 range = MAX (end - start, MIN_RANGE_NS);
  gint64 d = trace_duration (self);
  gint64 max_range = MAX (MAX (d, 1000) * 4, G_GINT64_CONSTANT (1000000000));

  range = MIN (range, max_range);
  /* Keep at least a tenth of the view on the run. */
  start = CLAMP (start, -range + range / 10, MAX (d - range / 10, 0));
  end = start + range;
  self->view_set = TRUE;

  if (start == self->view_start && end == self->view_end)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (start != self->view_start)
    {
      self->view_start = start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_START]);
    }
  if (end != self->view_end)
    {
      self->view_end = end;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_END]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
apply_follow (LabTimeline *self)
{
  gint64 start, end, d;

  if (!self->follow || self->trace == NULL)
    return;

  d = trace_duration (self);
  if (self->follow_range <= 0 || self->follow_range >= d)
    {
      lab_timeline_fit_range (self, &start, &end);
    }
  else
    {
      end = d + self->follow_range / 20;
      start = end - self->follow_range;
    }
  lab_timeline_set_view (self, start, end);
}

static void
ensure_view (LabTimeline *self)
{
  if (!self->view_set)
    {
      gint64 start, end;

      lab_timeline_fit_range (self, &start, &end);
      lab_timeline_set_view (self, start, end);
      self->view_set = trace_duration (self) > 0;
    }
}

double
lab_timeline_plot_width (LabTimeline *self)
{
  return MAX (gtk_widget_get_width (GTK_WIDGET (self)) - self->style.label_width, 1);
}

void
lab_timeline_zoom_around (LabTimeline *self,
                          double       x,
                          double       factor)
{
  gint64 range, anchor, new_range, start;
  double frac = CLAMP ((x - self->style.label_width) / lab_timeline_plot_width (self), 0, 1);

  lab_timeline_stop_animation (self);
  ensure_view (self);
  range = self->view_end - self->view_start;
  anchor = self->view_start + (gint64) (frac * range);
  new_range = MAX ((gint64) (range * factor), MIN_RANGE_NS);
  if (self->follow)
    {
      self->follow_range = new_range;
      apply_follow (self);
      return;
    }
  start = anchor - (gint64) (frac * new_range);
  lab_timeline_set_view (self, start, start + new_range);
}

double
lab_timeline_zoom_anchor (LabTimeline *self)
{
  if (self->pointer_inside && self->pointer_x >= self->style.label_width)
    return self->pointer_x;
  return self->style.label_width + lab_timeline_plot_width (self) / 2;
}

void
lab_timeline_pan_px (LabTimeline *self,
                     double       dx)
{
  gint64 range = self->view_end - self->view_start;
  gint64 shift = (gint64) (dx * range / lab_timeline_plot_width (self));

  lab_timeline_stop_animation (self);
  lab_timeline_set_follow (self, FALSE);
  lab_timeline_set_view (self, self->view_start + shift, self->view_end + shift);
}

double
lab_timeline_max_scroll (LabTimeline *self)
{
  double y, h;

  lab_timeline_layout_get_plot_area (self->layout, NULL, &y, NULL, &h);
  return MAX (lab_timeline_layout_get_content_height (self->layout) - h, 0);
}

void
lab_timeline_scroll_lanes (LabTimeline *self,
                           double       dy)
{
  double y = CLAMP (self->scroll_y + dy, 0, lab_timeline_max_scroll (self));

  if (y != self->scroll_y)
    {
      self->scroll_y = y;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* ---- drawing ---- */

static void
ensure_layer (LabTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabTimelineViewport vp;
  gboolean dark = lab_widget_is_dark (widget);
  guint64 generation = self->trace != NULL ? lab_trace_get_generation (self->trace) : 0;
  LabTrace *shown;
  const LabPrim *prims;
  guint n_prims;

  lab_timeline_ensure_cores (self);
  shown = lab_timeline_shown_trace (self);
  lab_timeline_update_breaks (self);

  self->style.measure = lab_painter_measure_text;
  self->style.measure_data = lab_prim_layer_get_painter (&self->layer, widget);

  ensure_view (self);
  vp.start_ns = self->view_start;
  vp.end_ns = self->view_end;
  vp.width = gtk_widget_get_width (widget);
  vp.height = MAX (gtk_widget_get_height (widget) - self->legend_height, 1);
  vp.scroll_y = self->scroll_y;

  if (self->layer.node != NULL && generation == self->cache_generation && dark == self->cache_dark &&
      memcmp (&vp, &self->cache_vp, sizeof vp) == 0)
    return;

  self->style.dark = dark;
  self->style.color_by_label = self->color_by_label || self->show_cores;
  self->style.breaks = self->collapse_idle ? self->breaks : NULL;
  lab_timeline_layout_compute (self->layout, shown, &vp, &self->style);
  {
    /* The legend follows the trace, not the view: one more compute when
     * its strip changes height (new kinds of events came in). */
    double legend_h = lab_timeline_legend_height (self, vp.width);

    if (legend_h != self->legend_height)
      {
        self->legend_height = legend_h;
        vp.height = MAX (gtk_widget_get_height (widget) - legend_h, 1);
        lab_timeline_layout_compute (self->layout, shown, &vp, &self->style);
      }
  }
  if (self->scroll_y > lab_timeline_max_scroll (self))
    {
      self->scroll_y = vp.scroll_y = lab_timeline_max_scroll (self);
      lab_timeline_layout_compute (self->layout, shown, &vp, &self->style);
    }

  prims = lab_timeline_layout_get_prims (self->layout, &n_prims);
  lab_prim_layer_update (&self->layer, prims, n_prims,
                         lab_timeline_layout_get_points (self->layout, NULL), vp.width, vp.height);
  lab_timeline_update_legend (self);
  self->cache_vp = vp;
  self->cache_dark = dark;
  self->cache_generation = generation;
  g_debug ("timeline: main layer rebuilt, %u primitives", n_prims);
}

static void
lab_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LabTimeline *self = LAB_TIMELINE (widget);
  GskRenderNode *before = self->layer.node;

  ensure_layer (self);
  if (self->layer.node != before && self->pointer_inside)
    self->has_hover = lab_timeline_layout_hit_test (self->layout, self->pointer_x,
                                                    self->pointer_y, &self->hover);
  lab_prim_layer_snapshot (&self->layer, snapshot);
  if (self->legend_node != NULL)
    gtk_snapshot_append_node (snapshot, self->legend_node);

  /* The hover outline: a small layer of its own. */
  if (self->has_hover)
    lab_timeline_render_hover (snapshot, &self->hover,
                               lab_timeline_layout_get_palette (self->layout));

  if (gtk_widget_has_visible_focus (widget))
    lab_timeline_render_focus (snapshot, gtk_widget_get_width (widget),
                               gtk_widget_get_height (widget));
}

/* Theme (dark or light) or font changed: rebuild the layer. */
static void
lab_timeline_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  LabTimeline *self = LAB_TIMELINE (widget);

  GTK_WIDGET_CLASS (lab_timeline_parent_class)->css_changed (widget, change);
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_draw (widget);
}

/* ---- size ---- */

static void
lab_timeline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LabTimeline *self = LAB_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) self->style.label_width + 160;
      *natural = (int) self->style.label_width + 800;
    }
  else
    {
      LabTrace *shown;
      double h, counters;

      lab_timeline_ensure_cores (self);
      shown = lab_timeline_shown_trace (self);
      h = lab_timeline_layout_measure_height (shown, &self->style);
      counters = shown != NULL ? lab_trace_get_n_counters (shown) * self->style.counter_height : 0;

      /* The legend strip is not asked for: it is known only once drawn,
       * and a size must not change with drawing. It takes its rows from
       * the lanes, which scroll. */
      self->natural_height = h;
      /* At least the ruler, two lanes' worth and the counters; the rest scrolls. */
      *minimum = (int) ceil (self->style.ruler_height + 2 * self->style.min_lane_height + counters);
      *natural = (int) ceil (MAX (h, *minimum));
    }
}

/* ---- updates from the run ----
 *
 * The widget has no tick of its own: whoever drains the trace (the page,
 * once per frame, and not at all while a run is being timed) calls
 * lab_timeline_queue_update(). */

void
lab_timeline_queue_update (LabTimeline *self)
{
  guint64 generation;

  g_return_if_fail (LAB_IS_TIMELINE (self));

  generation = self->trace != NULL ? lab_trace_get_generation (self->trace) : 0;
  /* Live, the axis grows with the clock even when no event came in. */
  if (generation == self->seen_generation && !lab_timeline_cores_stale (self) && !self->live)
    return;
  self->seen_generation = generation;

  lab_timeline_ensure_cores (self);
  if (lab_timeline_layout_measure_height (lab_timeline_shown_trace (self), &self->style) !=
      self->natural_height)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  if (!self->view_set)
    ensure_view (self);
  apply_follow (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- text size ---- */

/* The labels and what holds them (the name column, the lane and ruler
 * heights) grow together, so a larger text still fits its lane. */
static void
apply_text_scale (LabTimeline *self)
{
  LabTimelineStyle *st = &self->style;
  double s = self->text_scale;

  lab_timeline_style_init (st, st->dark);
  st->label_width = round (st->label_width * s);
  st->ruler_height = round (st->ruler_height * s);
  st->row_height = round (st->row_height * s);
  st->mark_height = round (st->mark_height * s);
  st->lane_padding = round (st->lane_padding * s);
  st->min_lane_height = round (st->min_lane_height * s);
  st->counter_height = round (st->counter_height * s);
  st->font_size *= s;
  st->small_font_size *= s;
  st->min_tick_spacing = round (st->min_tick_spacing * s);
}

void
lab_timeline_set_text_scale (LabTimeline *self,
                             double       scale)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  scale = CLAMP (scale, LAB_TIMELINE_MIN_TEXT_SCALE, LAB_TIMELINE_MAX_TEXT_SCALE);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  apply_text_scale (self);
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

double
lab_timeline_get_text_scale (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), 1.0);
  return self->text_scale;
}

double
lab_timeline_get_font_size (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), 0.0);
  return self->style.font_size;
}

/* ---- public API ---- */

GtkWidget *
lab_timeline_new (void)
{
  return g_object_new (LAB_TYPE_TIMELINE, NULL);
}

void
lab_timeline_set_trace (LabTimeline *self,
                        LabTrace    *trace)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  if (trace == self->trace)
    return;

  if (trace != NULL)
    lab_trace_ref (trace);
  g_clear_pointer (&self->trace, lab_trace_unref);
  self->trace = trace;
  g_clear_pointer (&self->cores, lab_trace_unref);
  lab_timeline_stop_animation (self);
  self->moment_trace = NULL;
  lab_prim_layer_invalidate (&self->layer);
  self->has_hover = FALSE;
  self->scroll_y = 0;
  self->view_set = FALSE;
  self->follow_range = 0;
  self->seen_generation = G_MAXUINT64;
  lab_timeline_queue_update (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
}

LabTrace *
lab_timeline_get_trace (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), NULL);
  return self->trace;
}

void
lab_timeline_set_follow (LabTimeline *self,
                         gboolean     follow)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  follow = !!follow;
  if (follow == self->follow)
    return;
  if (follow)
    lab_timeline_stop_animation (self);
  self->follow = follow;
  if (follow)
    apply_follow (self);
  else if (lab_timeline_cores_stale (self))
    lab_timeline_queue_update (self); /* catch up now */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

gboolean
lab_timeline_get_follow (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->follow;
}

void
lab_timeline_zoom_in (LabTimeline *self)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));
  lab_timeline_zoom_around (self, lab_timeline_zoom_anchor (self), 1 / ZOOM_STEP);
}

void
lab_timeline_zoom_out (LabTimeline *self)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));
  lab_timeline_zoom_around (self, lab_timeline_zoom_anchor (self), ZOOM_STEP);
}

void
lab_timeline_zoom_fit (LabTimeline *self)
{
  gint64 start, end;

  g_return_if_fail (LAB_IS_TIMELINE (self));

  lab_timeline_stop_animation (self);
  self->follow_range = 0;
  lab_timeline_fit_range (self, &start, &end);
  lab_timeline_set_view (self, start, end);
  self->view_set = trace_duration (self) > 0;
}

void
lab_timeline_set_live (LabTimeline *self,
                       gboolean     live)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  self->live = !!live;
}

void
lab_timeline_set_axis_end (LabTimeline *self,
                           gint64       end_ns)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  self->axis_end_ns = MAX (end_ns, 0);
}

void
lab_timeline_get_view (LabTimeline *self,
                       gint64      *start_ns,
                       gint64      *end_ns)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  ensure_view (self);
  if (start_ns != NULL)
    *start_ns = lab_timeline_to_real (self, self->view_start);
  if (end_ns != NULL)
    *end_ns = lab_timeline_to_real (self, self->view_end);
}

void
lab_timeline_set_collapse_idle (LabTimeline *self,
                                gboolean     collapse)
{
  gint64 start, end;

  g_return_if_fail (LAB_IS_TIMELINE (self));

  collapse = !!collapse;
  if (collapse == self->collapse_idle)
    return;

  /* The same stretch of the run stays in view, on the new axis. */
  lab_timeline_stop_animation (self);
  lab_timeline_get_view (self, &start, &end);
  self->collapse_idle = collapse;
  lab_timeline_update_breaks (self);
  if (self->view_set && !self->follow)
    lab_timeline_set_view (self, lab_timeline_to_axis (self, start), lab_timeline_to_axis (self, end));
  else
    apply_follow (self);
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLAPSE_IDLE]);
}

gboolean
lab_timeline_get_collapse_idle (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->collapse_idle;
}

gint64
lab_timeline_get_drawn_duration (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), 0);

  lab_timeline_update_breaks (self);
  return lab_timeline_axis_duration (self);
}

void
lab_timeline_set_compact (LabTimeline *self,
                          gboolean     compact)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  compact = !!compact;
  if (compact == self->compact)
    return;
  self->compact = compact;
  lab_timeline_style_init (&self->style, FALSE);
  if (compact)
    lab_timeline_style_compact (&self->style);
  self->scroll_y = 0;
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

gboolean
lab_timeline_get_compact (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->compact;
}

void
lab_timeline_set_show_legend (LabTimeline *self,
                              gboolean     show_legend)
{
  g_return_if_fail (LAB_IS_TIMELINE (self));

  show_legend = !!show_legend;
  if (show_legend == self->show_legend)
    return;
  self->show_legend = show_legend;
  lab_prim_layer_invalidate (&self->layer);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LEGEND]);
}

gboolean
lab_timeline_get_show_legend (LabTimeline *self)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), FALSE);
  return self->show_legend;
}

const LabLegendEntry *
lab_timeline_get_legend (LabTimeline *self,
                         guint       *n_entries)
{
  g_return_val_if_fail (LAB_IS_TIMELINE (self), NULL);

  ensure_layer (self);
  return lab_timeline_layout_get_legend (self->layout, n_entries);
}

/* ---- GObject ---- */

static void
lab_timeline_dispose (GObject *object)
{
  LabTimeline *self = LAB_TIMELINE (object);

  lab_timeline_stop_animation (self);
  lab_prim_layer_invalidate (&self->layer);
  g_clear_pointer (&self->legend_node, gsk_render_node_unref);
  g_clear_pointer (&self->cores, lab_trace_unref);
  g_clear_pointer (&self->trace, lab_trace_unref);

  G_OBJECT_CLASS (lab_timeline_parent_class)->dispose (object);
}

static void
lab_timeline_finalize (GObject *object)
{
  LabTimeline *self = LAB_TIMELINE (object);

  lab_timeline_layout_free (self->layout);
  lab_timeline_breaks_free (self->breaks);
  lab_prim_layer_clear (&self->layer);

  G_OBJECT_CLASS (lab_timeline_parent_class)->finalize (object);
}

static void
lab_timeline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LabTimeline *self = LAB_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      g_value_set_pointer (value, self->trace);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_VIEW_START:
      g_value_set_int64 (value, self->view_start);
      break;
    case PROP_VIEW_END:
      g_value_set_int64 (value, self->view_end);
      break;
    case PROP_SHOW_CORES:
      g_value_set_boolean (value, self->show_cores);
      break;
    case PROP_COLOR_BY_LABEL:
      g_value_set_boolean (value, self->color_by_label);
      break;
    case PROP_COLLAPSE_IDLE:
      g_value_set_boolean (value, self->collapse_idle);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_SHOW_LEGEND:
      g_value_set_boolean (value, self->show_legend);
      break;
    case PROP_TEXT_SCALE:
      g_value_set_double (value, self->text_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_timeline_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LabTimeline *self = LAB_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      lab_timeline_set_trace (self, g_value_get_pointer (value));
      break;
    case PROP_FOLLOW:
      lab_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_CORES:
      lab_timeline_set_show_cores (self, g_value_get_boolean (value));
      break;
    case PROP_COLOR_BY_LABEL:
      lab_timeline_set_color_by_label (self, g_value_get_boolean (value));
      break;
    case PROP_COLLAPSE_IDLE:
      lab_timeline_set_collapse_idle (self, g_value_get_boolean (value));
      break;
    case PROP_COMPACT:
      lab_timeline_set_compact (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_LEGEND:
      lab_timeline_set_show_legend (self, g_value_get_boolean (value));
      break;
    case PROP_TEXT_SCALE:
      lab_timeline_set_text_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_timeline_class_init (LabTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_timeline_dispose;
  object_class->finalize = lab_timeline_finalize;
  object_class->get_property = lab_timeline_get_property;
  object_class->set_property = lab_timeline_set_property;

  widget_class->snapshot = lab_timeline_snapshot;
  widget_class->measure = lab_timeline_measure;
  widget_class->css_changed = lab_timeline_css_changed;

  properties[PROP_TRACE] =
    g_param_spec_pointer ("trace", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_START] =
    g_param_spec_int64 ("view-start", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_END] =
    g_param_spec_int64 ("view-end", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CORES] =
    g_param_spec_boolean ("show-cores", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_BY_LABEL] =
    g_param_spec_boolean ("color-by-label", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLLAPSE_IDLE] =
    g_param_spec_boolean ("collapse-idle", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LEGEND] =
    g_param_spec_boolean ("show-legend", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT_SCALE] =
    g_param_spec_double ("text-scale", NULL, NULL,
                         LAB_TIMELINE_MIN_TEXT_SCALE, LAB_TIMELINE_MAX_TEXT_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "labtimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_timeline_init (LabTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->layout = lab_timeline_layout_new ();
  self->breaks = lab_timeline_breaks_new ();
  self->show_legend = TRUE;
  lab_timeline_style_init (&self->style, FALSE);
  self->text_scale = 1.0;
  self->view_end = 1000;
  self->seen_generation = G_MAXUINT64;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("One lane per thread or process; + and − zoom, 0 fits"),
                                  -1);

  lab_timeline_init_input (self);
}
