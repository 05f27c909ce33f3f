/* lab-experiment-page-private.h — shared by the page's own source files
 * (lab-experiment-page.c, -live.c, -sweep.c, -export.c and -test.c) only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-code-view.h"
#include "lab-experiment-page-test.h"
#include "lab-sweep.h"

G_BEGIN_DECLS

struct _LabExperimentPage
{
  GtkWidget            parent_instance;

  /* template children */
  GtkWidget           *main_paned;
  GtkPaned            *view_paned;
  GtkBox              *controls_box;
  GtkLabel            *explanation_label;
  GtkWidget           *run_button;
  GtkWidget           *stop_button;
  GtkWidget           *sweep_button;
  GtkProgressBar      *progress_bar;
  GtkLabel            *elapsed_label;
  LabRunView          *run_view;
  GtkWidget           *bottom_switcher;
  GtkStack            *bottom_stack;
  GtkStackPage        *runs_page;
  LabOutputView       *output_view;
  LabRunHistory       *run_history;
  LabCodeView         *code_view;

  const LabExperiment *experiment;
  LabParamControls    *param_controls;
  GtkWidget           *engine_selector; /* LabEngineSelector */
  GListStore          *runs;         /* LabRunner, newest first */
  LabRunner           *current_run;  /* the one running */
  LabRunner           *shown_run;
  LabSweep            *sweep;        /* the one running */
  LabSweep            *shown_sweep;  /* whose chart is shown, or NULL */
  LabChart            *sweep_chart;
  guint                tick_id;
  guint                quiet_id;     /* the slow check while a timed section runs */
  guint                n_drains;     /* debug counters, for tests */
  guint                n_view_updates;
  guint                n_runs;
  gint64               last_pulse_us;
  int                  elapsed_tenths;
  gboolean             stopping;
  gboolean             bottom_sized;
  gboolean             presentation;  /* controls and bottom pane hidden */
};

/* lab-experiment-page.c */
void lab_experiment_page_show_run           (LabExperimentPage *self,
                                             LabRunner         *run);
void lab_experiment_page_update_progress    (LabExperimentPage *self);
void lab_experiment_page_update_runs_title  (LabExperimentPage *self);
/* "running" changed: notifies it and updates the actions. */
void lab_experiment_page_notify_running     (LabExperimentPage *self);
/* The run whose events are drained: a run's or a sweep's, or NULL. */
LabRunner *lab_experiment_page_get_active_run (LabExperimentPage *self);

/* lab-experiment-page-live.c */
/* Drains the active run (a run's or a sweep's) every frame, and keeps
 * still while it is in a timed section. */
void lab_experiment_page_start_ticking      (LabExperimentPage *self);
void lab_experiment_page_stop_ticking       (LabExperimentPage *self);

/* lab-experiment-page-sweep.c */
void lab_experiment_page_setup_sweep        (LabExperimentPage *self);
void lab_experiment_page_dispose_sweep      (LabExperimentPage *self);

/* lab-experiment-page-export.c */
/* Ctrl+C on the run's view copies its image (win.copy-image). */
void lab_experiment_page_setup_copy         (LabExperimentPage *self);

/* Shows a toast in the window's toast overlay. */
void lab_experiment_page_toast (LabExperimentPage *self,
                                const char        *title);

G_END_DECLS
