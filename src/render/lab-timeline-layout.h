/* lab-timeline-layout.h — the timeline's geometry, without GTK: which
 * rectangles, marks, arrows, lines and labels to draw for a trace and a
 * viewport. The widget and the headless exporter paint the same list.
 *
 * The number of primitives follows pixels, not events: spans narrower than
 * a few pixels fold into one box with a count, close marks fold into one,
 * and the counter track is decimated to min/max per pixel column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-legend.h"
#include "lab-palette.h"
#include "lab-prim.h"
#include "lab-timeline-breaks.h"
#include "lab-trace.h"

G_BEGIN_DECLS

/* ---- style and viewport ---- */

typedef struct
{
  gboolean            dark;
  double              label_width;    /* lane name column */
  double              ruler_height;
  double              row_height;     /* one depth of spans */
  double              rows_height;    /* > 0: all depths of a lane share
                                       * this height (compact lanes) */
  double              mark_height;    /* the strip of marks above the spans */
  double              lane_padding;   /* above and below each lane */
  double              min_lane_height;
  double              counter_height; /* one counter track */
  double              font_size;      /* px */
  double              small_font_size;
  double              fold_px;        /* spans narrower than this fold */
  double              mark_fold_px;   /* marks closer than this fold */
  double              min_tick_spacing; /* px between major ticks, at least */
  LabTextMeasureFunc  measure;        /* NULL: an estimate from the size */
  gpointer            measure_data;
  gboolean            color_by_label; /* spans coloured by their label (the
                                       * cores view: by thread), the legend
                                       * lists the labels instead of states */
  const LabTimelineBreaks *breaks;    /* collapsed idle time; NULL: none,
                                       * the viewport is then in real time */
} LabTimelineStyle;

void lab_timeline_style_init    (LabTimelineStyle *style,
                                 gboolean          dark);
/* Lanes a few pixels high, so that 64 threads fit on one screen: marks sit
 * on the spans, labels of marks and thread ids are left out. */
void lab_timeline_style_compact (LabTimelineStyle *style);

typedef struct
{
  gint64 start_ns; /* visible range, ns since the trace start (on the
                    * collapsed axis when style.breaks has any) */
  gint64 end_ns;
  double width;    /* px, including the lane name column */
  double height;   /* px, including the ruler and the counter tracks */
  double scroll_y; /* px the lanes are scrolled up by */
} LabTimelineViewport;

/* ---- ruler ticks ---- */

typedef struct
{
  gint64      t_ns;  /* since the trace start */
  double      x;
  const char *label; /* owned by the layout */
} LabTimelineTick;

/* ---- the layout ---- */

typedef struct _LabTimelineLayout LabTimelineLayout;

LabTimelineLayout     *lab_timeline_layout_new      (void);
void                   lab_timeline_layout_free     (LabTimelineLayout *layout);

/* Recomputes everything for @trace (may be NULL: an empty timeline). The
 * layout keeps a reference to @trace until the next compute or free, for
 * hit-testing; it also keeps per-lane caches that grow with the trace. */
void                   lab_timeline_layout_compute  (LabTimelineLayout         *layout,
                                                     LabTrace                  *trace,
                                                     const LabTimelineViewport *viewport,
                                                     const LabTimelineStyle    *style);

const LabPrim         *lab_timeline_layout_get_prims  (LabTimelineLayout *layout,
                                                       guint             *n_prims);
const LabPoint        *lab_timeline_layout_get_points (LabTimelineLayout *layout,
                                                       guint             *n_points);
const LabTimelineTick *lab_timeline_layout_get_ticks  (LabTimelineLayout *layout,
                                                       guint             *n_ticks);
const LabLegendEntry  *lab_timeline_layout_get_legend (LabTimelineLayout *layout,
                                                       guint             *n_entries);
const LabPalette *lab_timeline_layout_get_palette (LabTimelineLayout *layout);

/* Geometry of the last compute. */
double   lab_timeline_layout_time_to_x        (LabTimelineLayout *layout,
                                               gint64             t_ns);
gint64   lab_timeline_layout_x_to_time        (LabTimelineLayout *layout,
                                               double             x);
/* The box of the lane's spans and marks, in viewport px. FALSE if no lane. */
gboolean lab_timeline_layout_get_lane_area    (LabTimelineLayout *layout,
                                               guint              lane,
                                               double            *y,
                                               double            *height);
/* The time plot: x from the lane name column to the right edge; y of the
 * lanes' visible area (below the ruler, above the counter tracks). */
void     lab_timeline_layout_get_plot_area    (LabTimelineLayout *layout,
                                               double            *x,
                                               double            *y,
                                               double            *width,
                                               double            *height);
/* Height all lanes need (what scroll_y can scroll through). */
double   lab_timeline_layout_get_content_height (LabTimelineLayout *layout);
/* Total height showing every lane: ruler + lanes + counter tracks. */
double   lab_timeline_layout_measure_height   (LabTrace               *trace,
                                               const LabTimelineStyle *style);

/* ---- hit-testing (tooltips, hover) ---- */

typedef enum
{
  LAB_TIMELINE_HIT_NONE = 0,
  LAB_TIMELINE_HIT_SPAN,
  LAB_TIMELINE_HIT_FOLDED,  /* index = first span, count */
  LAB_TIMELINE_HIT_MARK,    /* index = event index (first if folded), count */
  LAB_TIMELINE_HIT_COUNTER, /* lane = counter index, value at the pointer */
  LAB_TIMELINE_HIT_LANE,    /* the lane name column */
  LAB_TIMELINE_HIT_RULER,
} LabTimelineHitKind;

typedef struct
{
  LabTimelineHitKind kind;
  guint       lane;
  guint       depth;
  guint       index;
  guint       count;
  LabState    state;
  gint64      start_ns;    /* since the trace start */
  gint64      duration_ns; /* spans: to the trace end while open */
  gboolean    open;
  gint64      value;
  gint        cpu;         /* -1 if unknown */
  guint16     flags;       /* LabEventFlags */
  const char *label;       /* owned by the trace's pool; "" if none */
  double      x;           /* the shape to outline on hover */
  double      y;
  double      width;
  double      height;
} LabTimelineHit;

gboolean lab_timeline_layout_hit_test (LabTimelineLayout *layout,
                                       double             x,
                                       double             y,
                                       LabTimelineHit    *hit);
/* The tooltip text of @hit, translated, several lines. Caller frees. */
char    *lab_timeline_hit_describe    (LabTimelineLayout    *layout,
                                       const LabTimelineHit *hit);

/* ---- helpers (also unit-tested) ---- */

/* The smallest 1-2-5 × 10^k ns step whose ticks are @min_spacing_px apart. */
gint64   lab_timeline_tick_step       (gint64 range_ns,
                                       double plot_width,
                                       double min_spacing_px);
/* A tick label for @t_ns given the step: "250 ms", "1.5 s", "40 µs". */
char    *lab_timeline_format_tick     (gint64 t_ns,
                                       gint64 step_ns);
/* A duration with 3 significant digits: "812 µs", "1.02 s". */
char    *lab_timeline_format_duration (gint64 ns);

G_END_DECLS
