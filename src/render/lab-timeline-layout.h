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

#include "lab-trace.h"

G_BEGIN_DECLS

/* ---- colours ---- */

typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} LabColor;

typedef struct
{
  LabColor state_fill[LAB_STATE_N]; /* span boxes; use lab_timeline_palette_state() */
  LabColor background;
  LabColor lane_alt;        /* every other lane */
  LabColor text;
  LabColor text_dim;
  LabColor grid;
  LabColor ruler_background;
  LabColor label_background; /* the lane name column */
  LabColor separator;
  LabColor mark;
  LabColor mark_outline;
  LabColor highlight;       /* lost updates, errors: marks and arrows */
  LabColor arrow;
  LabColor counter_line;
  LabColor counter_fill;
  LabColor hover;           /* outline of the hovered shape */
} LabTimelinePalette;

/* Static, colour-blind-aware palettes (Okabe–Ito based). */
const LabTimelinePalette *lab_timeline_palette_get   (gboolean dark);
/* The fill of @state (a neutral grey for a state without a colour). */
const LabColor           *lab_timeline_palette_state (const LabTimelinePalette *palette,
                                                      guint                     state);
/* Near-black or white, whichever reads better on @fill. */
const LabColor           *lab_color_text_on          (const LabColor           *fill);

/* ---- style and viewport ---- */

/* Width in px of @text at @size_px (bold or not); a painter provides it. */
typedef double (*LabTextMeasureFunc) (const char *text,
                                      double      size_px,
                                      gboolean    bold,
                                      gpointer    user_data);

typedef struct
{
  gboolean            dark;
  double              label_width;    /* lane name column */
  double              ruler_height;
  double              row_height;     /* one depth of spans */
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
} LabTimelineStyle;

void lab_timeline_style_init (LabTimelineStyle *style,
                              gboolean          dark);

typedef struct
{
  gint64 start_ns; /* visible range, ns since the trace start */
  gint64 end_ns;
  double width;    /* px, including the lane name column */
  double height;   /* px, including the ruler and the counter tracks */
  double scroll_y; /* px the lanes are scrolled up by */
} LabTimelineViewport;

/* ---- primitives ---- */

typedef enum
{
  LAB_PRIM_RECT = 0,  /* filled box: backgrounds, ruler, columns */
  LAB_PRIM_SPAN,      /* a span box; lane, depth, index = span index */
  LAB_PRIM_FOLDED,    /* @count narrow spans folded; index = first */
  LAB_PRIM_LINE,      /* (x, y) → (x + w, y + h), @size px wide */
  LAB_PRIM_TEXT,      /* @text in the box, vertically centred, ellipsized */
  LAB_PRIM_MARK,      /* marker centred on x, in the box; index = event */
  LAB_PRIM_ARROW,     /* cubic Bézier: points[index .. index + 3] */
  LAB_PRIM_STEPS,     /* line through points[index .. index + count - 1],
                       * filled down to y + h when @color2 is not clear */
  LAB_PRIM_CLIP_PUSH, /* clip what follows to the box ... */
  LAB_PRIM_CLIP_POP,  /* ... until here */
} LabPrimKind;

typedef enum
{
  LAB_PRIM_FLAG_NONE         = 0,
  LAB_PRIM_FLAG_HIGHLIGHT    = 1 << 0, /* lost update / error */
  LAB_PRIM_FLAG_BOLD         = 1 << 1, /* text */
  LAB_PRIM_FLAG_ALIGN_CENTER = 1 << 2, /* text */
  LAB_PRIM_FLAG_ALIGN_RIGHT  = 1 << 3, /* text */
  LAB_PRIM_FLAG_OPEN         = 1 << 4, /* span still running */
  LAB_PRIM_FLAG_DIAMOND      = 1 << 5, /* mark shape: folded marks */
  LAB_PRIM_FLAG_OUTPUT       = 1 << 6, /* mark of a printed line */
  LAB_PRIM_FLAG_DASHED       = 1 << 7, /* LINE: dashed (reference, ideal) */
} LabPrimFlags;

typedef struct
{
  guint8       kind;    /* LabPrimKind */
  guint8       state;   /* LabState of spans */
  guint16      flags;   /* LabPrimFlags */
  guint16      lane;
  guint16      depth;
  guint32      index;   /* see LabPrimKind */
  guint32      count;   /* folded spans / marks; points of STEPS */
  double       x;
  double       y;
  double       w;
  double       h;
  double       size;    /* font size (TEXT), line width (LINE, ARROW, STEPS) */
  LabColor     color;
  LabColor     color2;  /* outline (MARK, SPAN), fill (STEPS) */
  const char  *text;    /* owned by the layout */
} LabPrim;

typedef struct
{
  double x;
  double y;
} LabPoint;

typedef struct
{
  gint64      t_ns;  /* since the trace start */
  double      x;
  const char *label; /* owned by the layout */
} LabTimelineTick;

typedef enum
{
  LAB_LEGEND_SWATCH = 0, /* a state's box colour */
  LAB_LEGEND_MARK,
  LAB_LEGEND_OUTPUT,     /* a printed line (round mark) */
  LAB_LEGEND_HIGHLIGHT,
  LAB_LEGEND_ARROW,
  LAB_LEGEND_COUNTER,
  LAB_LEGEND_LINE,        /* a chart's line series: a line with a point */
  LAB_LEGEND_DASHED_LINE, /* a chart's ideal or reference line */
} LabLegendKind;

typedef struct
{
  LabLegendKind  kind;
  LabColor       color;
  const char    *label; /* translated, owned by the layout */
} LabLegendEntry;

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
const LabTimelinePalette *lab_timeline_layout_get_palette (LabTimelineLayout *layout);

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
