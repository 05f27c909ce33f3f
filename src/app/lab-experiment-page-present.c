/* lab-experiment-page-present.c — the page in front of a class: the
 * controls and the bottom pane step aside so the run (cards, charts,
 * timeline) fills the screen, and the text of what is drawn grows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiment-page-private.h"

void
lab_experiment_page_set_presentation (LabExperimentPage *self,
                                      gboolean           presentation)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  presentation = !!presentation;
  if (presentation == self->presentation)
    return;
  self->presentation = presentation;

  /* Hidden, not removed: the parameters, the output and the split keep
   * what they had for when the presentation ends. */
  gtk_widget_set_visible (gtk_paned_get_start_child (GTK_PANED (self->main_paned)), !presentation);
  gtk_widget_set_visible (gtk_paned_get_end_child (self->view_paned), !presentation);
}

gboolean
lab_experiment_page_get_presentation (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->presentation;
}

void
lab_experiment_page_set_text_scale (LabExperimentPage *self,
                                    double             scale)
{
  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  /* The cards and the code follow the window's style sheet; what is drawn
   * by hand is told here. */
  lab_timeline_set_text_scale (lab_run_view_get_timeline (self->run_view), scale);
  lab_bar_chart_set_text_scale (lab_run_view_get_chart (self->run_view), scale);
}
