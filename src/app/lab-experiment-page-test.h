/* lab-experiment-page-test.h — accessors that exist only for the tests:
 * what a test looks at inside a page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-code-view.h"
#include "lab-experiment-page.h"
#include "lab-metric-cards.h"
#include "lab-output-view.h"
#include "lab-param-controls.h"
#include "lab-run-history.h"
#include "lab-run-view.h"
#include "lab-sweep.h"
#include "lab-timeline.h"

G_BEGIN_DECLS

LabRunView       *lab_experiment_page_get_run_view       (LabExperimentPage *self);
LabParamControls *lab_experiment_page_get_param_controls (LabExperimentPage *self);
LabMetricCards   *lab_experiment_page_get_metric_cards   (LabExperimentPage *self);
LabTimeline      *lab_experiment_page_get_timeline       (LabExperimentPage *self);
LabOutputView    *lab_experiment_page_get_output_view    (LabExperimentPage *self);
LabRunHistory    *lab_experiment_page_get_run_history    (LabExperimentPage *self);
GtkWidget        *lab_experiment_page_get_run_button     (LabExperimentPage *self);
GtkWidget        *lab_experiment_page_get_stop_button    (LabExperimentPage *self);
/* The inline error shown for a failed run ("" when none). */
const char       *lab_experiment_page_get_error_text     (LabExperimentPage *self);
/* Whether the "N events dropped" warning is shown. */
gboolean          lab_experiment_page_get_dropped_visible (LabExperimentPage *self);
/* Shows a bottom tab: "output", "runs" or "code". */
void              lab_experiment_page_show_tab           (LabExperimentPage *self,
                                                          const char        *name);
/* The "Sweep…" menu button (hidden when nothing can be swept). */
GtkWidget        *lab_experiment_page_get_sweep_button   (LabExperimentPage *self);
/* TRUE while the active run is in a timed section and the page keeps
 * still: no tick callback, no drain, no relayout until it ends. */
gboolean          lab_experiment_page_get_quiet          (LabExperimentPage *self);
/* How often the page drained a run's events into its trace, and how often
 * it asked the run view to lay out new events (debug counters). */
guint             lab_experiment_page_get_n_drains       (LabExperimentPage *self);
guint             lab_experiment_page_get_n_view_updates (LabExperimentPage *self);

/* The parameters' side of the page (hidden in presentation mode). */
GtkWidget        *lab_experiment_page_get_controls_pane  (LabExperimentPage *self);
/* The code tab's view. */
LabCodeView      *lab_experiment_page_get_code_view      (LabExperimentPage *self);

G_END_DECLS
