/* lab-experiment-page-test.c — the accessors of lab-experiment-page-test.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-experiment-page-private.h"

static GObject *
child (LabExperimentPage *self,
       const char        *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), LAB_TYPE_EXPERIMENT_PAGE, name);
}

LabMetricCards *
lab_experiment_page_get_metric_cards (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return lab_run_view_get_metric_cards (lab_experiment_page_get_run_view (self));
}

LabTimeline *
lab_experiment_page_get_timeline (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return lab_run_view_get_timeline (lab_experiment_page_get_run_view (self));
}

LabOutputView *
lab_experiment_page_get_output_view (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return LAB_OUTPUT_VIEW (child (self, "output_view"));
}

LabRunHistory *
lab_experiment_page_get_run_history (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return LAB_RUN_HISTORY (child (self, "run_history"));
}

GtkWidget *
lab_experiment_page_get_run_button (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return GTK_WIDGET (child (self, "run_button"));
}

GtkWidget *
lab_experiment_page_get_stop_button (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return GTK_WIDGET (child (self, "stop_button"));
}

const char *
lab_experiment_page_get_error_text (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return lab_run_view_get_error_text (lab_experiment_page_get_run_view (self));
}

gboolean
lab_experiment_page_get_dropped_visible (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  return lab_run_view_get_dropped_visible (lab_experiment_page_get_run_view (self));
}

void
lab_experiment_page_show_tab (LabExperimentPage *self,
                              const char        *name)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  gtk_stack_set_visible_child_name (GTK_STACK (child (self, "bottom_stack")), name);
}

GtkWidget *
lab_experiment_page_get_sweep_button (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return GTK_WIDGET (child (self, "sweep_button"));
}

LabRunView *
lab_experiment_page_get_run_view (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->run_view;
}

LabParamControls *
lab_experiment_page_get_param_controls (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->param_controls;
}

gboolean
lab_experiment_page_get_quiet (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->quiet_id != 0;
}

guint
lab_experiment_page_get_n_drains (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), 0);

  return self->n_drains;
}

guint
lab_experiment_page_get_n_view_updates (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), 0);

  return self->n_view_updates;
}

GtkWidget *
lab_experiment_page_get_controls_pane (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return gtk_paned_get_start_child (GTK_PANED (self->main_paned));
}

LabCodeView *
lab_experiment_page_get_code_view (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  return self->code_view;
}
