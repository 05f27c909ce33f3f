/* lab-bar-chart-layout-private.h — shared between the chart layout's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "lab-bar-chart-layout.h"

G_BEGIN_DECLS

typedef struct
{
  double       x;        /* the plot box */
  double       y;
  double       w;
  double       h;
  double       min;      /* axis range, rounded to ticks */
  double       max;
  double       step;
  LabChartUnit unit;
} LabChartPanelGeom;

struct _LabBarChartLayout
{
  LabChart                 *chart;
  LabBarChartStyle          style;
  const LabPalette *palette;
  double                    width;
  double                    height;

  GArray       *prims;   /* LabPrim */
  GArray       *items;   /* LabBarChartItem */
  GArray       *y_ticks; /* LabBarChartTick */
  GArray       *x_ticks;
  GArray       *legend;  /* LabLegendEntry */
  GStringChunk *strings;

  LabChartPanelGeom panels[LAB_CHART_MAX_PANELS];
  guint             n_panels;
  gboolean          group_two_lines; /* bars: room for group names in two lines */

  /* Line charts: the x axis. */
  double x_min;
  double x_max;
  double x_left;   /* px of x_min */
  double x_right;  /* px of x_max */
};

LabPrim    *lab_chart_layout_add      (LabBarChartLayout *self,
                                       LabPrimKind        kind,
                                       double             x,
                                       double             y,
                                       double             w,
                                       double             h,
                                       const LabColor    *color);
LabPrim    *lab_chart_layout_add_line (LabBarChartLayout *self,
                                       double             x0,
                                       double             y0,
                                       double             x1,
                                       double             y1,
                                       double             width,
                                       guint16            flags,
                                       const LabColor    *color);
LabPrim    *lab_chart_layout_add_text (LabBarChartLayout *self,
                                       const char        *text,
                                       double             x,
                                       double             y,
                                       double             w,
                                       double             h,
                                       double             size,
                                       guint16            flags,
                                       const LabColor    *color);
double      lab_chart_layout_measure  (LabBarChartLayout *self,
                                       const char        *text,
                                       double             size,
                                       gboolean           bold);
const char *lab_chart_layout_intern   (LabBarChartLayout *self,
                                       const char        *text);
/* A min–max error bar (whisker) centred on @x, with caps @cap wide. */
void        lab_chart_layout_add_whisker (LabBarChartLayout *self,
                                          double             x,
                                          double             y_top,
                                          double             y_bottom,
                                          double             cap,
                                          const LabColor    *color);

/* lab-bar-chart-bars.c */
void        lab_chart_layout_emit_bars           (LabBarChartLayout *self);
void        lab_chart_layout_emit_bar_references (LabBarChartLayout *self);

/* lab-bar-chart-lines.c */
void        lab_chart_layout_lines_x_range (LabBarChartLayout *self);
double      lab_chart_layout_lines_label_room (LabBarChartLayout *self);
void        lab_chart_layout_emit_lines    (LabBarChartLayout *self);

G_END_DECLS
