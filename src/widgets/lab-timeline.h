/* lab-timeline.h — the timeline widget: lanes, spans, marks, arrows, a
 * counter track; zoom, pan, fit, hover details, follows a live run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-legend.h"
#include "lab-moment.h"
#include "lab-trace.h"

G_BEGIN_DECLS

#define LAB_TYPE_TIMELINE (lab_timeline_get_type ())
G_DECLARE_FINAL_TYPE (LabTimeline, lab_timeline, LAB, TIMELINE, GtkWidget)

GtkWidget *lab_timeline_new          (void);

/* The trace to show (may be NULL). The widget redraws when the trace's
 * generation changes; whoever drains events into the trace calls
 * lab_timeline_queue_update() (the widget has no tick of its own). */
void       lab_timeline_set_trace    (LabTimeline *self,
                                      LabTrace    *trace);
LabTrace  *lab_timeline_get_trace    (LabTimeline *self);

/* While TRUE (a live run) the view keeps the newest events in sight. */
void       lab_timeline_set_follow   (LabTimeline *self,
                                      gboolean     follow);
gboolean   lab_timeline_get_follow   (LabTimeline *self);

void       lab_timeline_queue_update (LabTimeline *self);

/* "Where threads ran": instead of the trace itself, show its cores view
 * (lab_trace_new_cores_view(): one lane per CPU, spans coloured by the
 * thread that ran there), kept up to date as the trace grows. The view
 * (zoom, pan, follow) stays as it is. */
void       lab_timeline_set_show_cores     (LabTimeline *self,
                                            gboolean     show_cores);
gboolean   lab_timeline_get_show_cores     (LabTimeline *self);

/* Colour spans by their label instead of their state, the legend listing
 * the labels (always on in the cores view). */
void       lab_timeline_set_color_by_label (LabTimeline *self,
                                            gboolean     color_by_label);
gboolean   lab_timeline_get_color_by_label (LabTimeline *self);

/* The size of the labels (and of the rows that hold them), 1.0 being the
 * normal size: larger for a projector, smaller for many lanes. */
#define LAB_TIMELINE_MIN_TEXT_SCALE 0.5
#define LAB_TIMELINE_MAX_TEXT_SCALE 4.0
void       lab_timeline_set_text_scale     (LabTimeline *self,
                                            double       scale);
double     lab_timeline_get_text_scale     (LabTimeline *self);
/* The lane names' font size in px, after the text scale. */
double     lab_timeline_get_font_size      (LabTimeline *self);

/* Viewport actions (also bound to Ctrl+scroll, +, -, 0 on the widget).
 * A step zooms by 2×. */
void       lab_timeline_zoom_in      (LabTimeline *self);
void       lab_timeline_zoom_out     (LabTimeline *self);
void       lab_timeline_zoom_fit     (LabTimeline *self);

/* The visible time range, ns since the trace start. */
void       lab_timeline_get_view     (LabTimeline *self,
                                      gint64      *start_ns,
                                      gint64      *end_ns);
/* Makes the time axis reach at least @end_ns (0: the run's own end), so
 * that a shorter run shown on one axis with a longer one fits, pans and
 * zooms over the same range. */
/* While a run goes on, its axis reaches to now, not to its last event: a
 * run that only sleeps still moves the ruler. */
void       lab_timeline_set_live     (LabTimeline *self,
                                      gboolean     live);
void       lab_timeline_set_axis_end (LabTimeline *self,
                                      gint64       end_ns);
/* Shows @start_ns..@end_ns (clamped so that part of the run stays in
 * sight): two timelines on one time axis keep each other's view. */
void       lab_timeline_set_view     (LabTimeline *self,
                                      gint64       start_ns,
                                      gint64       end_ns);

/* The moment the experiment teaches (copied; NULL or kind NONE: none). */
void       lab_timeline_set_moment   (LabTimeline         *self,
                                      const LabMomentSpec *spec);
/* Whether the trace holds the moment (found once per trace generation). */
gboolean   lab_timeline_has_moment   (LabTimeline *self);
/* Zooms to the moment, with @animate a ~250 ms zoom (never while
 * following a run). FALSE, and the whole run shown, if there is none. */
gboolean   lab_timeline_show_moment  (LabTimeline *self,
                                      gboolean     animate);
/* The whole run, with an animated zoom. */
void       lab_timeline_show_all     (LabTimeline *self);
gboolean   lab_timeline_is_animating (LabTimeline *self);

/* Idle time (nothing but sleeping or waiting on every lane) drawn
 * shortened, with a break mark on the lanes and the ruler. */
void       lab_timeline_set_collapse_idle (LabTimeline *self,
                                           gboolean     collapse);
gboolean   lab_timeline_get_collapse_idle (LabTimeline *self);
/* The run's drawn length, ns of the time axis: the run's duration, less
 * the idle time collapsed. */
gint64     lab_timeline_get_drawn_duration (LabTimeline *self);

/* Lanes a few pixels high (64 threads fit on a screen). */
void       lab_timeline_set_compact  (LabTimeline *self,
                                      gboolean     compact);
gboolean   lab_timeline_get_compact  (LabTimeline *self);

/* A strip at the bottom naming the colours, marks, arrows and counters
 * the trace shows (the same entries an exported image lists). */
void       lab_timeline_set_show_legend (LabTimeline *self,
                                         gboolean     show_legend);
gboolean   lab_timeline_get_show_legend (LabTimeline *self);
const LabLegendEntry *lab_timeline_get_legend (LabTimeline *self,
                                               guint       *n_entries);

G_END_DECLS
