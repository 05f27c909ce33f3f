/* lab-run-view.h — one run as it is shown: its title, state and parameters,
 * the metric cards, an error or "events dropped" message and the timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-bar-chart.h"
#include "lab-engine-pair.h"
#include "lab-metric-cards.h"
#include "lab-process-boxes.h"
#include "lab-request-table.h"
#include "lab-runner.h"
#include "lab-timeline.h"

G_BEGIN_DECLS

#define LAB_TYPE_RUN_VIEW (lab_run_view_get_type ())
G_DECLARE_FINAL_TYPE (LabRunView, lab_run_view, LAB, RUN_VIEW, GtkWidget)

GtkWidget      *lab_run_view_new             (void);

void            lab_run_view_set_experiment  (LabRunView          *self,
                                              const LabExperiment *experiment);
/* Shows @run (may be NULL): the timeline follows it while it runs and fits
 * the whole run once it has finished. */
void            lab_run_view_set_run         (LabRunView *self,
                                              LabRunner  *run);
LabRunner      *lab_run_view_get_run         (LabRunView *self);
/* New events were drained into the run's trace. */
void            lab_run_view_update          (LabRunView *self);
/* The run's state changed (it finished): labels, metrics, fit. */
void            lab_run_view_refresh         (LabRunView *self);
/* Shows @chart (a sweep's) instead of the run's own until another run is
 * set; NULL goes back to the run's chart. */
void            lab_run_view_show_chart      (LabRunView *self,
                                              LabChart   *chart);

/* Says @status (a sweep's "Sweep point 3 of 8") where the run's state
 * would be, until it is set to NULL; a failed run still says so. */
void            lab_run_view_set_status      (LabRunView *self,
                                              const char *status);
/* What the header says of the run: its state, or the status above. */
const char     *lab_run_view_get_state_text  (LabRunView *self);

void            lab_run_view_zoom_in         (LabRunView *self);
void            lab_run_view_zoom_out        (LabRunView *self);
void            lab_run_view_zoom_fit        (LabRunView *self);

/* Writes the shown run as PNG, with the timeline's current view. */
gboolean        lab_run_view_export          (LabRunView  *self,
                                              const char  *path,
                                              double       scale,
                                              GError     **error);

LabTimeline    *lab_run_view_get_timeline    (LabRunView *self);
LabMetricCards *lab_run_view_get_metric_cards (LabRunView *self);
const char     *lab_run_view_get_error_text  (LabRunView *self);
gboolean        lab_run_view_get_dropped_visible (LabRunView *self);
/* The chart widget (hidden when there is no chart) and the Cores toggle. */
LabBarChart    *lab_run_view_get_chart       (LabRunView *self);
GtkWidget      *lab_run_view_get_cores_button (LabRunView *self);
/* The threads-io-fetch request table and the process-isolation cards
 * (each visible only for a run with their data). */
LabRequestTable *lab_run_view_get_request_table (LabRunView *self);
LabProcessBoxes *lab_run_view_get_process_boxes (LabRunView *self);
/* The second timeline of a "Both" pair (hidden for a single run). */
LabEnginePair   *lab_run_view_get_pair          (LabRunView *self);

G_END_DECLS
