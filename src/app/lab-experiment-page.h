/* lab-experiment-page.h — everything about one experiment: explanation,
 * parameters, Run/Stop, metric cards, timeline, output, run history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-runner.h"
#include "lab-sweep.h"

G_BEGIN_DECLS

#define LAB_TYPE_EXPERIMENT_PAGE (lab_experiment_page_get_type ())
G_DECLARE_FINAL_TYPE (LabExperimentPage, lab_experiment_page, LAB, EXPERIMENT_PAGE, GtkWidget)

GtkWidget           *lab_experiment_page_new            (const LabExperiment *experiment);

const LabExperiment *lab_experiment_page_get_experiment (LabExperimentPage *self);

/* The parameter values the controls hold. */
const LabParams     *lab_experiment_page_get_params     (LabExperimentPage *self);
/* Restores values from an a{sv}; keys that no longer validate are ignored. */
void                 lab_experiment_page_set_param_values (LabExperimentPage *self,
                                                           GVariant          *dict);

/* Starts a run with the current parameters (no-op while one is running). */
void                 lab_experiment_page_run            (LabExperimentPage *self);
/* Stops the running run, if any; "notify::running" follows when it ended. */
void                 lab_experiment_page_stop           (LabExperimentPage *self);
gboolean             lab_experiment_page_get_running    (LabExperimentPage *self);
/* Runs a sweep of the int parameter @key over FROM..TO with the current
 * values of the others (as the Sweep… popover does); an invalid range is
 * reported in a toast. No-op while a run or sweep is going. */
void                 lab_experiment_page_start_sweep    (LabExperimentPage *self,
                                                         const char        *key,
                                                         gint64             from,
                                                         gint64             to,
                                                         guint              repeat);

/* The run whose timeline, metrics and output are shown (NULL before any). */
LabRunner           *lab_experiment_page_get_shown_run  (LabExperimentPage *self);
/* Every run of this page, newest first (a GListModel of LabRunner). */
GListModel          *lab_experiment_page_get_runs       (LabExperimentPage *self);

/* Whether the shown run can be exported (it exists and is not running). */
gboolean             lab_experiment_page_can_export     (LabExperimentPage *self);
/* Asks for a file name, then writes the shown run as PNG at @scale (1 or 2). */
void                 lab_experiment_page_export         (LabExperimentPage *self,
                                                         double             scale);
gboolean             lab_experiment_page_export_to_file (LabExperimentPage  *self,
                                                         const char         *path,
                                                         double              scale,
                                                         GError            **error);

/* Whether the shown run's events can be saved as a trace file (a run is
 * shown, not a sweep's chart, and it is not running). */
gboolean             lab_experiment_page_can_export_trace (LabExperimentPage *self);
/* Asks for a file name, then writes the shown run as Chrome trace-event
 * JSON (lab_experiment_page_export_to_file() with a .json path does the
 * same without asking). */
void                 lab_experiment_page_export_trace   (LabExperimentPage *self);

void                 lab_experiment_page_zoom_in        (LabExperimentPage *self);
void                 lab_experiment_page_zoom_out       (LabExperimentPage *self);
void                 lab_experiment_page_zoom_fit       (LabExperimentPage *self);

/* Copies the shown run's view (the PNG export's image) to the clipboard. */
gboolean             lab_experiment_page_copy_image     (LabExperimentPage  *self,
                                                         GError            **error);

/* Presentation: the parameters and the output/runs/code pane hide, the run
 * fills the page. */
void                 lab_experiment_page_set_presentation (LabExperimentPage *self,
                                                           gboolean           presentation);
gboolean             lab_experiment_page_get_presentation (LabExperimentPage *self);
/* The text size of the timeline and the charts (1.0: normal). */
void                 lab_experiment_page_set_text_scale (LabExperimentPage *self,
                                                         double             scale);

/* The sweep whose speed-up chart is shown (until another run is shown), or NULL. */
LabSweep            *lab_experiment_page_get_shown_sweep (LabExperimentPage *self);
/* The name a saved PNG of the shown run gets by default. */
char                *lab_experiment_page_suggest_file_name (LabExperimentPage *self,
                                                            double             scale);

G_END_DECLS
