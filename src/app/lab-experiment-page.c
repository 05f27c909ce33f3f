/* lab-experiment-page.c — one experiment: controls, live views, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-engine-selector.h"
#include "lab-experiment-page-private.h"
#include "lab-py-engine.h"

#define PULSE_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
/* The output/runs/code pane's first height; the timeline gets the rest. */
#define BOTTOM_PANE_HEIGHT 190
#define BOTTOM_PANE_MIN_HEIGHT 150

G_DEFINE_FINAL_TYPE (LabExperimentPage, lab_experiment_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXPERIMENT,
  PROP_RUNNING,
  PROP_SHOWN_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- small helpers ---- */

void
lab_experiment_page_toast (LabExperimentPage *self,
                           const char        *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    return;

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
update_actions (LabExperimentPage *self)
{
  gboolean running = lab_experiment_page_get_running (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop", running);
  gtk_widget_set_sensitive (self->sweep_button, !running);
  if (self->engine_selector != NULL)
    gtk_widget_set_sensitive (self->engine_selector, !running);
}

LabRunner *
lab_experiment_page_get_active_run (LabExperimentPage *self)
{
  if (self->current_run != NULL)
    return self->current_run;

  return self->sweep != NULL ? lab_sweep_get_current (self->sweep) : NULL;
}

void
lab_experiment_page_update_runs_title (LabExperimentPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  g_autofree char *title = NULL;

  if (n == 0)
    title = g_strdup (_("Runs"));
  else
    /* Translators: tab title with the number of runs, e.g. "Runs (3)" */
    title = g_strdup_printf (_("Runs (%u)"), n);
  gtk_stack_page_set_title (self->runs_page, title);
}

void
lab_experiment_page_update_progress (LabExperimentPage *self)
{
  LabRunner *run = lab_experiment_page_get_active_run (self);
  double fraction;
  double elapsed;
  int tenths;

  if (self->sweep != NULL)
    {
      guint n_points = lab_sweep_get_n_points (self->sweep);
      guint point = MIN (lab_sweep_get_n_done (self->sweep) + 1, n_points);
      g_autofree char *text = NULL;

      /* Translators: progress of a sweep, e.g. "Sweep point 2 of 8" */
      text = g_strdup_printf (_("Sweep point %u of %u"), point, n_points);
      gtk_progress_bar_set_text (self->progress_bar, text);
      /* The point's run may not have started yet: "Ready" would be wrong. */
      lab_run_view_set_status (self->run_view, text);
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     CLAMP (lab_sweep_get_fraction (self->sweep), 0.0, 1.0));
    }

  if (run == NULL)
    return;

  /* A sweep's bar shows the whole sweep (above); a run's its own progress. */
  fraction = self->sweep != NULL ? -1.0 : lab_runner_get_progress (run);
  if (fraction > 0.0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (fraction, 1.0));
  else if (fraction == 0.0)
    {
      gint64 now = g_get_monotonic_time ();

      if (now - self->last_pulse_us >= PULSE_INTERVAL_US)
        {
          gtk_progress_bar_pulse (self->progress_bar);
          self->last_pulse_us = now;
        }
    }

  elapsed = lab_runner_get_elapsed_s (run);
  tenths = (int) (elapsed * 10);
  if (tenths != self->elapsed_tenths && !self->stopping && self->quiet_id == 0)
    {
      g_autofree char *text = NULL;

      self->elapsed_tenths = tenths;
      /* Translators: seconds elapsed since the run started */
      text = g_strdup_printf (_("%.1f s"), tenths / 10.0);
      gtk_label_set_text (self->elapsed_label, text);
    }
}

void
lab_experiment_page_show_run (LabExperimentPage *self,
                              LabRunner         *run)
{
  if (self->shown_run != run)
    {
      /* A finished sweep's chart stays until another run is shown. */
      if (self->sweep == NULL)
        {
          g_clear_object (&self->shown_sweep);
          g_clear_pointer (&self->sweep_chart, lab_chart_unref);
        }
      g_set_object (&self->shown_run, run);
      lab_run_view_set_run (self->run_view, run);
      lab_output_view_set_trace (self->output_view, run ? lab_runner_get_trace (run) : NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_RUN]);
    }
  else
    {
      lab_run_view_refresh (self->run_view);
      lab_output_view_update (self->output_view);
    }

  lab_output_view_set_finished (self->output_view,
                                run != NULL && lab_runner_get_state (run) >= LAB_RUN_DONE);

  if (self->sweep_chart != NULL)
    lab_run_view_show_chart (self->run_view, self->sweep_chart);

  if (run != NULL)
    lab_run_history_select_run (self->run_history, run);

  update_actions (self);
}

/* ---- running ---- */

static gboolean continue_pair (LabExperimentPage *self,
                               LabRunner         *run);

static void
on_run_finished (LabRunner *run,
                 gpointer   user_data)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (user_data);
  g_autoptr(LabRunner) finished = NULL;

  lab_runner_drain (run);

  if (run == self->current_run && continue_pair (self, run))
    return;

  if (run == self->current_run)
    {
      double elapsed = lab_runner_get_elapsed_s (run);
      g_autofree char *text = g_strdup_printf (_("%.1f s"), elapsed);

      finished = g_steal_pointer (&self->current_run);
      lab_experiment_page_stop_ticking (self);
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     lab_runner_get_state (run) == LAB_RUN_DONE ? 1.0 : 0.0);
      gtk_label_set_text (self->elapsed_label, text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }

  if (run == self->shown_run)
    lab_experiment_page_show_run (self, run);
  else
    update_actions (self);

  /* Python named the line it failed at: mark it where the person edits,
   * unless the text changed while it ran (the line would be another). */
  if (lab_runner_get_state (run) == LAB_RUN_FAILED && lab_engine_run_is_cpython (run) &&
      lab_runner_get_error (run) != NULL)
    {
      const char *message = lab_runner_get_error (run)->message;
      const char *ran = lab_py_engine_experiment_get_code (lab_runner_get_experiment (run));
      g_autofree char *shown = lab_code_view_dup_edited_text (self->code_view);

      if (g_strcmp0 (ran, shown) == 0)
        lab_code_view_mark_error (self->code_view,
                                  lab_py_engine_error_line (self->experiment, message), message);
    }

  /* The shown run's failure is on the page; elsewhere, say it in a toast. */
  if (lab_runner_get_state (run) == LAB_RUN_FAILED &&
      (run != self->shown_run || !gtk_widget_get_mapped (GTK_WIDGET (self))))
    {
      const GError *error = lab_runner_get_error (run);
      g_autofree char *text = NULL;

      /* Translators: a toast; %u is the run number, %s the reason */
      text = g_strdup_printf (_("Run %u failed: %s"), lab_run_get_index (run),
                              error != NULL ? error->message : _("unknown error"));
      lab_experiment_page_toast (self, text);
    }
}

static void
start_run (LabExperimentPage *self,
           LabRunner         *run)
{
  lab_run_set_index (run, ++self->n_runs);
  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, 0);

  self->current_run = g_object_ref (run);
  self->elapsed_tenths = -1;
  self->last_pulse_us = 0;
  self->stopping = FALSE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  lab_runner_start (run);

  g_list_store_insert (self->runs, 0, run);
  lab_experiment_page_update_runs_title (self);
  lab_experiment_page_show_run (self, run);
  lab_experiment_page_update_progress (self);
  lab_experiment_page_start_ticking (self);
}

/* The model half of a "Both" is done: the CPython half follows at once,
 * so that the page stays running from the first run to the second. */
static gboolean
continue_pair (LabExperimentPage *self,
               LabRunner         *run)
{
  g_autoptr(LabRunner) second = lab_engine_runner_new_partner (run);

  if (second == NULL || self->stopping)
    return FALSE;

  g_clear_object (&self->current_run);
  lab_experiment_page_stop_ticking (self);
  start_run (self, second);
  return TRUE;
}

void
lab_experiment_page_run (LabExperimentPage *self)
{
  g_autoptr(LabRunner) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  if (lab_experiment_page_get_running (self))
    return;

  /* A number typed into a field counts even before it is confirmed. */
  lab_param_controls_commit (self->param_controls);
  code = lab_code_view_dup_edited_text (self->code_view);
  run = lab_engine_runner_new_with_code (self->experiment,
                                         lab_engine_selector_get_engine (LAB_ENGINE_SELECTOR (self->engine_selector)),
                                         lab_param_controls_get_params (self->param_controls),
                                         code, &error);
  if (run == NULL)
    {
      lab_experiment_page_toast (self, error->message);
      return;
    }
  start_run (self, run);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
lab_experiment_page_stop (LabExperimentPage *self)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  if (self->current_run != NULL)
    lab_runner_stop (self->current_run);
  else if (self->sweep != NULL)
    lab_sweep_stop (self->sweep);
  else
    return;

  gtk_label_set_text (self->elapsed_label, _("Stopping…"));
  self->stopping = TRUE;
}

gboolean
lab_experiment_page_get_running (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->current_run != NULL || self->sweep != NULL;
}

void
lab_experiment_page_notify_running (LabExperimentPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_actions (self);
}

/* ---- viewport ---- */

void
lab_experiment_page_zoom_in (LabExperimentPage *self)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));
  lab_run_view_zoom_in (self->run_view);
}

void
lab_experiment_page_zoom_out (LabExperimentPage *self)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));
  lab_run_view_zoom_out (self->run_view);
}

void
lab_experiment_page_zoom_fit (LabExperimentPage *self)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));
  lab_run_view_zoom_fit (self->run_view);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (widget);

  if (g_str_equal (action_name, "page.run"))
    lab_experiment_page_run (self);
  else if (g_str_equal (action_name, "page.stop"))
    lab_experiment_page_stop (self);
}

/* ---- the widget ---- */

static void
on_run_selected (LabExperimentPage *self,
                 LabRunner         *run)
{
  lab_experiment_page_show_run (self, run);
}

/* Model | CPython | Both, at the top of the Run box. */
/* With the model engine, an edited listing changes nothing: the bar says so. */
static void
on_engine_changed (LabExperimentPage *self)
{
  LabEngine engine = lab_engine_selector_get_engine (LAB_ENGINE_SELECTOR (self->engine_selector));

  lab_code_view_set_model_engine (self->code_view, engine == LAB_ENGINE_MODEL);
}

static void
setup_engine_selector (LabExperimentPage *self)
{
  GtkWidget *run_box = gtk_widget_get_parent (gtk_widget_get_parent (self->run_button));

  self->engine_selector = lab_engine_selector_new (self->experiment->id);
  gtk_box_prepend (GTK_BOX (run_box), self->engine_selector);
  g_signal_connect_object (self->engine_selector, "notify::engine",
                           G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
  on_engine_changed (self);
}

/* ---- the code tab ---- */

/* The listing shows the values the controls hold: what is read is what a
 * run with these values does (and what the CPython engine runs). */
static void
update_code (LabExperimentPage *self)
{
  g_autofree char *code = lab_experiment_dup_code (self->experiment,
                                                   lab_param_controls_get_params (self->param_controls));

  lab_code_view_set_text (self->code_view, code);
}

static void
on_code_notice (LabExperimentPage *self,
                const char        *text)
{
  lab_experiment_page_toast (self, text);
}

static void
on_code_copied (LabExperimentPage *self)
{
  lab_experiment_page_toast (self, _("Code copied"));
}

/* The code tab gets room to read it: a pane left at its first, short
 * height grows to about half of the view when the tab is chosen. */
static void
on_bottom_tab_changed (LabExperimentPage *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->view_paned));
  int bottom = height - gtk_paned_get_position (self->view_paned);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->bottom_stack), "code") != 0 ||
      height <= 0)
    return;
  if (bottom < height * 2 / 5)
    gtk_paned_set_position (self->view_paned, height - height / 2);
}

static void
lab_experiment_page_set_experiment (LabExperimentPage   *self,
                                    const LabExperiment *experiment)
{
  g_assert (self->experiment == NULL);
  g_return_if_fail (experiment != NULL);

  self->experiment = experiment;

  gtk_label_set_text (self->explanation_label, _(experiment->explanation));

  self->param_controls = LAB_PARAM_CONTROLS (lab_param_controls_new (experiment));
  gtk_box_prepend (self->controls_box, GTK_WIDGET (self->param_controls));
  g_signal_connect_object (self->param_controls, "changed", G_CALLBACK (update_code),
                           self, G_CONNECT_SWAPPED);
  update_code (self);

  setup_engine_selector (self);

  lab_run_view_set_experiment (self->run_view, experiment);

  lab_experiment_page_setup_sweep (self);
}

static void
lab_experiment_page_dispose (GObject *object)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (object);

  lab_experiment_page_stop_ticking (self);
  if (self->current_run != NULL)
    {
      /* Its thread is joined when it finished; nobody listens any more. */
      g_signal_handlers_disconnect_by_data (self->current_run, self);
      lab_runner_stop (self->current_run);
      g_clear_object (&self->current_run);
    }
  lab_experiment_page_dispose_sweep (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_EXPERIMENT_PAGE);

  g_clear_object (&self->shown_run);
  g_clear_object (&self->runs);

  G_OBJECT_CLASS (lab_experiment_page_parent_class)->dispose (object);
}

static void
lab_experiment_page_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (widget);

  /* GtkPaned has no initial size for its end child: set the split once.
   * On a short window (1024×700) the output gets a quarter, so the
   * timeline keeps room for its lanes under the cards and the lesson bar. */
  if (!self->bottom_sized && height > 2 * BOTTOM_PANE_HEIGHT)
    {
      self->bottom_sized = TRUE;
      gtk_paned_set_position (self->view_paned,
                              height - CLAMP (height / 4, BOTTOM_PANE_MIN_HEIGHT, BOTTOM_PANE_HEIGHT));
    }

  gtk_widget_allocate (self->main_paned, width, height, baseline, NULL);
}

static void
lab_experiment_page_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (widget);

  gtk_widget_measure (self->main_paned, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
lab_experiment_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      g_value_set_pointer (value, (gpointer) self->experiment);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, lab_experiment_page_get_running (self));
      break;
    case PROP_SHOWN_RUN:
      g_value_set_object (value, self->shown_run);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_experiment_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      lab_experiment_page_set_experiment (self, g_value_get_pointer (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_experiment_page_class_init (LabExperimentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_experiment_page_dispose;
  object_class->get_property = lab_experiment_page_get_property;
  object_class->set_property = lab_experiment_page_set_property;
  /* No layout manager: size_allocate sets the first split of view_paned. */
  widget_class->measure = lab_experiment_page_measure;
  widget_class->size_allocate = lab_experiment_page_size_allocate;

  properties[PROP_EXPERIMENT] =
    g_param_spec_pointer ("experiment", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOWN_RUN] =
    g_param_spec_object ("shown-run", NULL, NULL, LAB_TYPE_RUNNER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_RUN_VIEW);
  g_type_ensure (LAB_TYPE_OUTPUT_VIEW);
  g_type_ensure (LAB_TYPE_RUN_HISTORY);
  g_type_ensure (LAB_TYPE_CODE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/concurrencylab/ConcurrencyLab/lab-experiment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, main_paned);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, view_paned);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, controls_box);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, sweep_button);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, run_view);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, bottom_switcher);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, runs_page);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, output_view);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, run_history);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentPage, code_view);

  gtk_widget_class_install_action (widget_class, "page.run", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "page.stop", NULL, page_action);

  gtk_widget_class_set_css_name (widget_class, "experimentpage");
}

static void
lab_experiment_page_init (LabExperimentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Tabs as wide as their titles, not all as wide as the widest: a long
   * translated title would otherwise set the width the window folds at. */
  {
    GtkLayoutManager *tabs = gtk_widget_get_layout_manager (self->bottom_switcher);

    if (GTK_IS_BOX_LAYOUT (tabs))
      gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (tabs), FALSE);
  }

  self->runs = g_list_store_new (LAB_TYPE_RUNNER);
  lab_run_history_set_runs (self->run_history, G_LIST_MODEL (self->runs));
  g_signal_connect_object (self->run_history, "run-selected",
                           G_CALLBACK (on_run_selected), self, G_CONNECT_SWAPPED);
  lab_experiment_page_setup_copy (self);
  g_signal_connect_object (self->code_view, "copied",
                           G_CALLBACK (on_code_copied), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->code_view, "notice",
                           G_CALLBACK (on_code_notice), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bottom_stack, "notify::visible-child",
                           G_CALLBACK (on_bottom_tab_changed), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

GtkWidget *
lab_experiment_page_new (const LabExperiment *experiment)
{
  g_return_val_if_fail (experiment != NULL, NULL);

  return g_object_new (LAB_TYPE_EXPERIMENT_PAGE, "experiment", experiment, NULL);
}

const LabExperiment *
lab_experiment_page_get_experiment (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->experiment;
}

const LabParams *
lab_experiment_page_get_params (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return lab_param_controls_get_params (self->param_controls);
}

void
lab_experiment_page_set_param_values (LabExperimentPage *self,
                                      GVariant          *dict)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  lab_param_controls_set_values (self->param_controls, dict);
}

LabRunner *
lab_experiment_page_get_shown_run (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->shown_run;
}

GListModel *
lab_experiment_page_get_runs (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return G_LIST_MODEL (self->runs);
}
