/* lab-bar-chart.h — a chart widget: grouped bars with whiskers and stacked
 * segments, or speed-up lines with the ideal line; tooltips on hover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-chart.h"

G_BEGIN_DECLS

#define LAB_TYPE_BAR_CHART (lab_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (LabBarChart, lab_bar_chart, LAB, BAR_CHART, GtkWidget)

GtkWidget *lab_bar_chart_new            (void);

/* The chart to show (a reference is kept; NULL shows "No data yet"). A
 * chart does not change once shown: to update, set a new one. */
void       lab_bar_chart_set_chart      (LabBarChart *self,
                                         LabChart    *chart);
LabChart  *lab_bar_chart_get_chart      (LabBarChart *self);

/* Whether the chart's own title is drawn above it (default TRUE). */
void       lab_bar_chart_set_show_title (LabBarChart *self,
                                         gboolean     show_title);
gboolean   lab_bar_chart_get_show_title (LabBarChart *self);

/* The size of the labels, 1.0 being the normal size. */
#define LAB_BAR_CHART_MIN_TEXT_SCALE 0.5
#define LAB_BAR_CHART_MAX_TEXT_SCALE 4.0
void       lab_bar_chart_set_text_scale (LabBarChart *self,
                                         double       scale);
double     lab_bar_chart_get_text_scale (LabBarChart *self);

G_END_DECLS
