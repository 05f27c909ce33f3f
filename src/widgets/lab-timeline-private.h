/* lab-timeline-private.h — shared by the timeline widget's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-prim-snapshot.h"
#include "lab-timeline.h"
#include "lab-timeline-layout.h"

G_BEGIN_DECLS

#define LAB_TIMELINE_SCROLL_STEP_PX 40.0

struct _LabTimeline
{
  GtkWidget          parent_instance;

  LabTrace          *trace;
  LabTimelineLayout *layout;
  LabTimelineStyle   style;
  double             text_scale; /* the style's sizes, times this */

  /* The main layer and what it was built for. */
  LabPrimLayer       layer;
  guint64            cache_generation;
  LabTimelineViewport cache_vp;
  gboolean           cache_dark;
  guint64            seen_generation;
  double             natural_height;

  gint64             view_start;
  gint64             axis_end_ns;   /* lab_timeline_set_axis_end() */
  gboolean           live;          /* lab_timeline_set_live() */
  gint64             view_end;
  gboolean           view_set;   /* FALSE: fit the whole run */
  double             scroll_y;
  gboolean           follow;
  gint64             follow_range; /* 0: follow by fitting the whole run */

  double             pointer_x;
  double             pointer_y;
  gboolean           pointer_inside;
  LabTimelineHit     hover;
  gboolean           has_hover;

  gint64             drag_view_start;
  double             drag_scroll_y;

  /* The cores view (lab-timeline-cores.c): derived from trace, rebuilt when
   * its generation changes (at most every few frames while following). */
  gboolean           show_cores;
  gboolean           color_by_label;
  LabTrace          *cores;
  guint64            cores_generation;
  gint64             cores_built_us;
  gint64             cores_cost_us;

  /* The lesson's moment and the animated view (lab-timeline-moment.c). */
  LabMomentSpec      moment;
  LabTrace          *moment_trace;   /* what moment_start/end were found in */
  guint64            moment_generation;
  gboolean           moment_found;
  gint64             moment_start;   /* real ns since the trace start */
  gint64             moment_end;
  guint              anim_id;        /* tick callback, 0: none */
  gint64             anim_begin_us;  /* frame time of the first tick, 0: not yet */
  gint64             anim_from[2];   /* axis ns: start, end */
  gint64             anim_to[2];

  /* Collapsed idle time and compact lanes. */
  gboolean           collapse_idle;
  gboolean           compact;
  LabTimelineBreaks *breaks;

  /* The legend strip at the bottom (lab-timeline-render.c). */
  gboolean           show_legend;
  double             legend_height;
  GskRenderNode     *legend_node;    /* rebuilt with the main layer */
};

/* lab-timeline.c: the view (in axis time: real time unless idle time is
 * collapsed) */
gint64         lab_timeline_axis_duration (LabTimeline *self);
void           lab_timeline_fit_range    (LabTimeline *self,
                                          gint64      *start,
                                          gint64      *end);
double         lab_timeline_plot_width   (LabTimeline *self);
void           lab_timeline_zoom_around  (LabTimeline *self,
                                          double       x,
                                          double       factor);
double         lab_timeline_zoom_anchor  (LabTimeline *self);
void           lab_timeline_pan_px       (LabTimeline *self,
                                          double       dx);
double         lab_timeline_max_scroll   (LabTimeline *self);
void           lab_timeline_scroll_lanes (LabTimeline *self,
                                          double       dy);

/* lab-timeline-cores.c */
LabTrace      *lab_timeline_shown_trace  (LabTimeline *self);
gboolean       lab_timeline_cores_stale  (LabTimeline *self);
gboolean       lab_timeline_ensure_cores (LabTimeline *self);

/* lab-timeline-moment.c */
void           lab_timeline_stop_animation (LabTimeline *self);
void           lab_timeline_animate_view   (LabTimeline *self,
                                            gint64       start,
                                            gint64       end);
void           lab_timeline_update_breaks  (LabTimeline *self);
gint64         lab_timeline_to_axis        (LabTimeline *self,
                                            gint64       real_ns);
gint64         lab_timeline_to_real        (LabTimeline *self,
                                            gint64       axis_ns);

/* lab-timeline-input.c */
void           lab_timeline_init_input   (LabTimeline *self);

/* lab-timeline-render.c */
void           lab_timeline_render_hover   (GtkSnapshot              *snapshot,
                                            const LabTimelineHit     *hover,
                                            const LabPalette *palette);
void           lab_timeline_render_focus   (GtkSnapshot              *snapshot,
                                            double                    width,
                                            double                    height);
/* The legend strip's height for the layout's legend at @width (0: none). */
double         lab_timeline_legend_height  (LabTimeline              *self,
                                            double                    width);
void           lab_timeline_update_legend  (LabTimeline              *self);

G_END_DECLS
