/* lab-chart.h — the data of a chart an experiment wants shown beside its
 * timeline: grouped bars (median with min–max whiskers, optionally stacked
 * segments) or lines (speedup against a count, with the ideal line).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LAB_TYPE_CHART (lab_chart_get_type ())

typedef enum
{
  LAB_CHART_BARS = 0,
  LAB_CHART_LINES,
} LabChartKind;

typedef enum
{
  LAB_CHART_UNIT_SECONDS = 0, /* axis and labels as ms / s */
  LAB_CHART_UNIT_RATIO,       /* "1.9×" */
  LAB_CHART_UNIT_COUNT,
  LAB_CHART_UNIT_PERCENT,     /* 0..1 shown as % */
} LabChartUnit;

/* Reference-counted; built by one thread, then only read (thread-safe to
 * hand from an experiment's thread to the main thread). */
typedef struct _LabChart LabChart;

GType     lab_chart_get_type        (void) G_GNUC_CONST; /* boxed */

LabChart *lab_chart_new             (LabChartKind  kind,
                                     const char   *title,
                                     LabChartUnit  unit);
LabChart *lab_chart_ref             (LabChart *chart);
void      lab_chart_unref           (LabChart *chart);

void      lab_chart_set_axis_labels (LabChart   *chart,
                                     const char *x_label,
                                     const char *y_label);

/* Bars: @group is the category on the x axis ("sequential"), @series the
 * bar within the group ("GIL on"; NULL for a single series). @min/@max are
 * the whisker (NAN for none). */
void      lab_chart_add_bar         (LabChart   *chart,
                                     const char *group,
                                     const char *series,
                                     double      value,
                                     double      min,
                                     double      max);
/* A stacked part of the bar (group, series): spawn / transfer / compute. */
void      lab_chart_add_bar_segment (LabChart   *chart,
                                     const char *group,
                                     const char *series,
                                     const char *segment,
                                     double      value);

/* Lines: a point of @series at (x, y), with an optional min–max range. */
void      lab_chart_add_point       (LabChart   *chart,
                                     const char *series,
                                     double      x,
                                     double      y,
                                     double      y_min,
                                     double      y_max);
/* Fixes the order of the groups, series or segments before values are
 * added (names otherwise keep the order of their first use): segments stack
 * bottom-up and are listed in the legend in this order. */
void      lab_chart_declare_groups   (LabChart           *chart,
                                      const char * const *names);
void      lab_chart_declare_series   (LabChart           *chart,
                                      const char * const *names);
void      lab_chart_declare_segments (LabChart           *chart,
                                      const char * const *names);

/* A horizontal reference line (e.g. "sequential" time). */
void      lab_chart_add_reference   (LabChart   *chart,
                                     const char *label,
                                     double      y);
/* Draw y = x (ideal speedup) on a line chart. */
void      lab_chart_set_ideal_line  (LabChart   *chart,
                                     gboolean    ideal);

/* The ideal line is y = x / @base: it passes through (base, 1), the speed-up
 * of a sweep measured relative to its first point (1 by default). */
void      lab_chart_set_ideal_base  (LabChart   *chart,
                                     double      base);

/* Line charts may have a second panel under the first, sharing its x axis
 * and its series colours (efficiency under speed-up). Panel 0 is the main
 * one and takes the unit and y label given above. */
#define LAB_CHART_MAX_PANELS 2

void      lab_chart_set_panel       (LabChart     *chart,
                                     guint         panel,
                                     const char   *y_label,
                                     LabChartUnit  unit);
void      lab_chart_add_panel_point (LabChart   *chart,
                                     guint       panel,
                                     const char *series,
                                     double      x,
                                     double      y,
                                     double      y_min,
                                     double      y_max);
void      lab_chart_add_panel_reference (LabChart   *chart,
                                         guint       panel,
                                         const char *label,
                                         double      y);

/* ---- reading (any thread, once the chart is no longer changed) ---- */

typedef struct
{
  guint  group;   /* index into the groups */
  guint  series;  /* index into the series */
  double value;   /* the sum of the segments when only segments were added */
  double min;     /* NAN: no whisker */
  double max;
} LabChartBar;

typedef struct
{
  guint  series;
  guint  panel;
  double x;
  double y;
  double y_min;   /* NAN: no range */
  double y_max;
} LabChartPoint;

typedef struct
{
  guint       panel;
  const char *label;
  double      y;
} LabChartReference;

LabChartKind  lab_chart_get_kind       (LabChart *chart);
const char   *lab_chart_get_title      (LabChart *chart); /* "" if none */
const char   *lab_chart_get_x_label    (LabChart *chart); /* "" if none */
guint         lab_chart_get_n_panels   (LabChart *chart); /* 1 or 2 */
const char   *lab_chart_get_y_label    (LabChart *chart,
                                        guint     panel);
LabChartUnit  lab_chart_get_unit       (LabChart *chart,
                                        guint     panel);

/* Names in the order they were first used; a NULL series reads as "". */
guint         lab_chart_get_n_groups   (LabChart *chart);
const char   *lab_chart_get_group      (LabChart *chart,
                                        guint     index);
guint         lab_chart_get_n_series   (LabChart *chart);
const char   *lab_chart_get_series     (LabChart *chart,
                                        guint     index);
guint         lab_chart_get_n_segments (LabChart *chart);
const char   *lab_chart_get_segment    (LabChart *chart,
                                        guint     index);

guint         lab_chart_get_n_bars     (LabChart    *chart);
gboolean      lab_chart_get_bar        (LabChart    *chart,
                                        guint        index,
                                        LabChartBar *bar);
/* The bar at (group, series), or -1. */
int           lab_chart_find_bar       (LabChart    *chart,
                                        guint        group,
                                        guint        series);
/* The value of @segment in bar @index, NAN if that bar has none. */
double        lab_chart_get_bar_segment (LabChart   *chart,
                                         guint       index,
                                         guint       segment);

const LabChartPoint     *lab_chart_get_points     (LabChart *chart,
                                                   guint    *n_points);
const LabChartReference *lab_chart_get_references (LabChart *chart,
                                                   guint    *n_references);
gboolean      lab_chart_get_ideal_line (LabChart *chart,
                                        double   *base);

/* A count as people read it, the same on cards, bars and chart titles:
 * "7", "2000", "10 000 000" (from 10 000 on, in groups of three with the
 * locale's separator, or a no-break space). Caller frees. */
char         *lab_format_count         (gint64 n);
/* A value as a label reads: "105 ms", "1.93×", "96%", "7". Caller frees. */
char         *lab_chart_format_value   (LabChartUnit unit,
                                        double       value);
/* An axis tick, with as many decimals as @step needs: "50 ms", "0.5 s",
 * "2×", "25%". Caller frees. */
char         *lab_chart_format_tick    (LabChartUnit unit,
                                        double       value,
                                        double       step);

/* ---- serialising ---- */

/* An a{sv} that json_gvariant_serialize() turns into plain JSON (strings,
 * numbers, booleans, arrays, objects; absent whiskers are left out rather
 * than written as NaN). Floating reference. */
GVariant     *lab_chart_to_variant       (LabChart  *chart);
/* The inverse; NULL with G_IO_ERROR_INVALID_DATA on a malformed dict. */
LabChart     *lab_chart_new_from_variant (GVariant  *variant,
                                          GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabChart, lab_chart_unref)

G_END_DECLS
