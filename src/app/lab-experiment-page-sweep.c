/* lab-experiment-page-sweep.c — the page's Sweep…: a sweep's runs shown
 * live, added to the history, and its speed-up chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiment-page-private.h"
#include "lab-sweep-popover.h"

static void
on_sweep_current (LabExperimentPage *self)
{
  LabRunner *run = lab_sweep_get_current (self->sweep);

  if (run != NULL)
    {
      /* Every repeat of a point shows the number its point will get. */
      lab_run_set_index (run, self->n_runs + 1);
      lab_experiment_page_show_run (self, run);
      lab_experiment_page_update_progress (self);
    }
  else if (self->shown_run != NULL)
    {
      lab_runner_drain (self->shown_run);
      lab_experiment_page_show_run (self, self->shown_run);
    }
}

static void
on_sweep_point_finished (LabSweep          *sweep,
                         guint              index,
                         LabExperimentPage *self)
{
  const LabSweepPoint *point = lab_sweep_get_point (sweep, index);

  lab_run_set_index (point->runner, ++self->n_runs);
  g_list_store_insert (self->runs, 0, point->runner);
  lab_experiment_page_update_runs_title (self);

  g_set_object (&self->shown_sweep, sweep);
  g_clear_pointer (&self->sweep_chart, lab_chart_unref);
  self->sweep_chart = lab_sweep_build_chart (sweep, NULL);
  lab_experiment_page_show_run (self, point->runner);
  lab_experiment_page_update_progress (self);
}

static void
on_sweep_finished (LabSweep          *sweep,
                   LabExperimentPage *self)
{
  g_autoptr(LabSweep) finished = g_steal_pointer (&self->sweep);
  LabSweepState state = lab_sweep_get_state (sweep);

  g_signal_handlers_disconnect_by_data (sweep, self);
  gtk_progress_bar_set_show_text (self->progress_bar, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, state == LAB_SWEEP_DONE ? 1.0 : 0.0);
  gtk_label_set_text (self->elapsed_label, "");
  lab_run_view_set_status (self->run_view, NULL);
  lab_experiment_page_notify_running (self);

  if (self->shown_run != NULL)
    lab_experiment_page_show_run (self, self->shown_run);

  if (state == LAB_SWEEP_FAILED)
    {
      const GError *error = lab_sweep_get_error (sweep);
      g_autofree char *text = NULL;

      /* Translators: a toast; %s is the reason */
      text = g_strdup_printf (_("The sweep failed: %s"),
                              error != NULL ? error->message : _("unknown error"));
      lab_experiment_page_toast (self, text);
    }
}

void
lab_experiment_page_start_sweep (LabExperimentPage *self,
                                 const char        *key,
                                 gint64             from,
                                 gint64             to,
                                 guint              repeat)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));
  g_return_if_fail (key != NULL);

  if (lab_experiment_page_get_running (self))
    return;

  lab_param_controls_commit (self->param_controls);
  self->sweep = lab_sweep_new (self->experiment,
                               lab_param_controls_get_params (self->param_controls),
                               key, from, to, &error);
  if (self->sweep == NULL)
    {
      lab_experiment_page_toast (self, error->message);
      return;
    }

  lab_sweep_set_repeat (self->sweep, MAX (repeat, 1));
  g_signal_connect_object (self->sweep, "notify::current",
                           G_CALLBACK (on_sweep_current), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sweep, "point-finished",
                           G_CALLBACK (on_sweep_point_finished), self, 0);
  g_signal_connect_object (self->sweep, "finished",
                           G_CALLBACK (on_sweep_finished), self, 0);

  self->elapsed_tenths = -1;
  self->stopping = FALSE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  lab_experiment_page_update_progress (self);
  lab_experiment_page_notify_running (self);
  lab_experiment_page_start_ticking (self);

  lab_sweep_start (self->sweep);
}

static void
on_sweep_requested (LabSweepPopover   *popover,
                    const char        *key,
                    gint64             from,
                    gint64             to,
                    guint              repeat,
                    LabExperimentPage *self)
{
  lab_experiment_page_start_sweep (self, key, from, to, repeat);
}

LabSweep *
lab_experiment_page_get_shown_sweep (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->sweep_chart != NULL ? self->shown_sweep : NULL;
}

/* The Sweep… button, shown only when the experiment has a count to sweep. */
void
lab_experiment_page_setup_sweep (LabExperimentPage *self)
{
  GtkWidget *popover;

  if (!lab_sweep_popover_can_sweep (self->experiment))
    return;

  popover = lab_sweep_popover_new (self->experiment);
  g_signal_connect_object (popover, "start", G_CALLBACK (on_sweep_requested), self, 0);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->sweep_button), popover);
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (self->sweep_button), TRUE);
  gtk_widget_set_visible (self->sweep_button, TRUE);
}

/* On dispose: stops a running sweep (and its current run). */
void
lab_experiment_page_dispose_sweep (LabExperimentPage *self)
{
  if (self->sweep != NULL)
    {
      /* Nobody listens any more. */
      g_signal_handlers_disconnect_by_data (self->sweep, self);
      lab_sweep_stop (self->sweep);
      g_clear_object (&self->sweep);
    }
  g_clear_object (&self->shown_sweep);
  g_clear_pointer (&self->sweep_chart, lab_chart_unref);
}
