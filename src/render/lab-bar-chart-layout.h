/* lab-bar-chart-layout.h — the geometry of a LabChart, without GTK: which
 * boxes, lines, marks and labels to draw for a given size. The widget
 * (LabBarChart) and the headless exporter paint the same primitive list
 * (LabPrim) with lab-paint.
 *
 * Bars: grouped, with value labels, min–max whiskers, stacked segments, a
 * 0-based axis with 1-2-5 ticks, gridlines, reference lines and a legend.
 * Lines: x is a count, one line of points per series, min–max error bars,
 * the ideal line; an optional lower panel (efficiency) shares the x axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-chart.h"
#include "lab-legend.h"
#include "lab-palette.h"
#include "lab-prim.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean            dark;
  double              font_size;        /* group names, axis names, legend (px) */
  double              small_font_size;  /* ticks, value labels */
  double              title_font_size;  /* the chart's title; 0: not drawn */
  double              padding;          /* around everything */
  double              bar_max_width;
  double              bar_gap;          /* between the bars of one group */
  double              group_fill;       /* share of a group's width its bars take */
  double              min_tick_spacing; /* px between y ticks, at least */
  double              point_radius;
  double              line_width;
  double              panel_gap;        /* between the two panels of a line chart */
  double              lower_panel_share; /* of the panels' height */
  LabTextMeasureFunc  measure;          /* NULL: an estimate from the size */
  gpointer            measure_data;
} LabBarChartStyle;

void lab_bar_chart_style_init (LabBarChartStyle *style,
                               gboolean          dark);

/* ---- what was laid out ---- */

typedef enum
{
  LAB_BAR_CHART_ITEM_NONE = 0,
  LAB_BAR_CHART_ITEM_BAR,     /* index: the chart's bar index */
  LAB_BAR_CHART_ITEM_SEGMENT, /* index: bar index; segment */
  LAB_BAR_CHART_ITEM_POINT,   /* index: the chart's point index */
} LabBarChartItemKind;

/* A bar, a stacked segment or a point, in layout px; also a hit. */
typedef struct
{
  LabBarChartItemKind kind;
  guint   index;
  guint   group;          /* bars and segments */
  guint   series;
  guint   segment;        /* segments */
  guint   panel;          /* points */
  double  value;          /* bar or segment value; a point's y */
  double  min;            /* whisker / error bar; NAN if none */
  double  max;
  double  x;              /* bars, segments: the box; points: the marker's box */
  double  y;
  double  width;
  double  height;
  double  whisker_top;    /* px; NAN if none */
  double  whisker_bottom;
} LabBarChartItem;

typedef struct
{
  guint       panel;  /* y ticks; 0 for x ticks */
  double      value;
  double      pos;    /* y (y ticks) or x (x ticks) in px */
  const char *label;  /* owned by the layout */
} LabBarChartTick;

typedef struct _LabBarChartLayout LabBarChartLayout;

LabBarChartLayout     *lab_bar_chart_layout_new      (void);
void                   lab_bar_chart_layout_free     (LabBarChartLayout *layout);

/* Recomputes everything for @chart (may be NULL: an empty chart with a
 * "No data" note) in a box of @width × @height px. Keeps a reference to
 * @chart until the next compute or free, for hit-testing. */
void                   lab_bar_chart_layout_compute  (LabBarChartLayout      *layout,
                                                      LabChart               *chart,
                                                      double                  width,
                                                      double                  height,
                                                      const LabBarChartStyle *style);

const LabPrim         *lab_bar_chart_layout_get_prims   (LabBarChartLayout *layout,
                                                         guint             *n_prims);
const LabBarChartItem *lab_bar_chart_layout_get_items   (LabBarChartLayout *layout,
                                                         guint             *n_items);
const LabBarChartTick *lab_bar_chart_layout_get_y_ticks (LabBarChartLayout *layout,
                                                         guint             *n_ticks);
const LabBarChartTick *lab_bar_chart_layout_get_x_ticks (LabBarChartLayout *layout,
                                                         guint             *n_ticks);
const LabLegendEntry  *lab_bar_chart_layout_get_legend  (LabBarChartLayout *layout,
                                                         guint             *n_entries);
const LabPalette *lab_bar_chart_layout_get_palette (LabBarChartLayout *layout);

/* The plot box of @panel (inside the axes). FALSE if there is no such panel. */
gboolean lab_bar_chart_layout_get_plot_area (LabBarChartLayout *layout,
                                             guint              panel,
                                             double            *x,
                                             double            *y,
                                             double            *width,
                                             double            *height);
/* The axis range of @panel after rounding to ticks. */
gboolean lab_bar_chart_layout_get_y_range   (LabBarChartLayout *layout,
                                             guint              panel,
                                             double            *min,
                                             double            *max,
                                             double            *step);
double   lab_bar_chart_layout_value_to_y    (LabBarChartLayout *layout,
                                             guint              panel,
                                             double             value);
/* Line charts: the px of a count on the x axis. */
double   lab_bar_chart_layout_value_to_x    (LabBarChartLayout *layout,
                                             double             value);

/* ---- hit-testing (tooltips, hover) ---- */

/* The segment, bar (anywhere in its column) or point (within a few px)
 * under (x, y). */
gboolean lab_bar_chart_layout_hit_test (LabBarChartLayout *layout,
                                        double             x,
                                        double             y,
                                        LabBarChartItem   *hit);
/* The tooltip of @hit, translated, several lines. Caller frees. */
char    *lab_bar_chart_hit_describe    (LabBarChartLayout     *layout,
                                        const LabBarChartItem *hit);

/* ---- helpers (also unit-tested) ---- */

/* The smallest 1-2-5 × 10^k step that covers @range in at most
 * @max_ticks steps. */
double   lab_chart_nice_step (double range,
                              guint  max_ticks);

G_END_DECLS
