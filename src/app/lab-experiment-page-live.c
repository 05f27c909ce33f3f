/* lab-experiment-page-live.c — the page's live updates during a run
 *
 * While a run goes, the page is the only one that ticks: once per frame it
 * moves what the workers recorded into the trace and lets the views lay it
 * out. Inside a timed section of the experiment that work would take the
 * core a worker needs and the times would be the window's, so the page
 * goes quiet instead: no tick, no drain, no relayout; a label says why
 * the view stands still, and a timeout looks 4 times a second whether the
 * section has ended. Then the views catch up in one go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiment-page-private.h"

/* How often a quiet page looks whether the timed section has ended: 4 Hz
 * is slow enough to cost nothing and quick enough to feel alive. */
#define QUIET_INTERVAL_MS 250

/* Moves what the workers recorded into the trace and shows it. */
static void
catch_up (LabExperimentPage *self,
          LabRunner         *run)
{
  guint64 n = lab_runner_drain (run);

  self->n_drains++;
  if (run != self->shown_run)
    return;
  /* Also without new events: the timeline's cores view may be due. */
  self->n_view_updates++;
  lab_run_view_update (self->run_view);
  if (n > 0)
    lab_output_view_update (self->output_view);
}

static gboolean
on_quiet_check (gpointer user_data)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (user_data);
  LabRunner *run = lab_experiment_page_get_active_run (self);

  /* Nothing on screen changes meanwhile, not even the bar: on a machine
   * that draws in software one frame of the window costs tens of
   * milliseconds of CPU on threads of its own. */
  if (run != NULL && lab_runner_get_timed (run))
    return G_SOURCE_CONTINUE;

  self->quiet_id = 0;
  self->elapsed_tenths = -1; /* the label shows the time again */
  if (run != NULL)
    {
      catch_up (self, run);
      lab_experiment_page_start_ticking (self);
    }
  return G_SOURCE_REMOVE;
}

static void
go_quiet (LabExperimentPage *self,
          LabRunner         *run)
{
  /* A pulsing bar animates on every frame: leave it for a still fraction. */
  if (self->sweep == NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, lab_runner_get_progress (run));
  if (!self->stopping)
    gtk_label_set_text (self->elapsed_label, _("Measuring… (the view catches up when it ends)"));
  self->quiet_id = g_timeout_add (QUIET_INTERVAL_MS, on_quiet_check, self);
  g_source_set_name_by_id (self->quiet_id, "[lab] page quiet check");
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  LabExperimentPage *self = LAB_EXPERIMENT_PAGE (widget);
  LabRunner *run = lab_experiment_page_get_active_run (self);

  if (self->current_run == NULL && self->sweep == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (run != NULL && lab_runner_get_timed (run))
    {
      self->tick_id = 0;
      go_quiet (self, run);
      return G_SOURCE_REMOVE;
    }

  if (run != NULL)
    catch_up (self, run);
  lab_experiment_page_update_progress (self);

  return G_SOURCE_CONTINUE;
}

void
lab_experiment_page_stop_ticking (LabExperimentPage *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->quiet_id, g_source_remove);
}

void
lab_experiment_page_start_ticking (LabExperimentPage *self)
{
  /* A quiet page starts ticking again itself when the section ends. */
  if (self->tick_id == 0 && self->quiet_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}
