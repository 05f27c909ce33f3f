/* lab-run-watch.c — a panel's hold on the run it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-run-watch.h"

void
lab_run_watch_clear (LabRunWatch *watch)
{
  if (watch->runner != NULL)
    g_clear_signal_handler (&watch->finished_handler, watch->runner);
  g_clear_object (&watch->runner);
}

void
lab_run_watch_set (LabRunWatch     *watch,
                   LabPanelKind     kind,
                   LabRunner       *runner,
                   LabRunWatchFunc  refresh,
                   gpointer         panel)
{
  g_return_if_fail (runner == NULL || LAB_IS_RUNNER (runner));

  lab_run_watch_clear (watch);
  watch->kind = kind;
  watch->runner = runner != NULL ? g_object_ref (runner) : NULL;
  if (runner != NULL)
    {
      LabRunState state = lab_runner_get_state (runner);

      if (state == LAB_RUN_READY || state == LAB_RUN_RUNNING)
        watch->finished_handler = g_signal_connect_swapped (runner, "finished",
                                                            G_CALLBACK (refresh), panel);
    }
  refresh (panel);
}

static const LabPanel *
watched_panel (LabRunWatch *watch)
{
  const LabExperiment *experiment;

  if (watch->runner == NULL)
    return NULL;
  experiment = lab_runner_get_experiment (watch->runner);
  if (experiment == NULL || experiment->panel.kind != watch->kind)
    return NULL;
  return &experiment->panel;
}

GVariant *
lab_run_watch_lookup (LabRunWatch        *watch,
                      guint               index,
                      const GVariantType *type)
{
  const LabPanel *panel = watched_panel (watch);
  const char *key = panel != NULL ? lab_panel_get_key (panel, index) : NULL;
  GVariant *value;

  if (key == NULL)
    return NULL;
  value = lab_metrics_lookup (lab_runner_get_metrics (watch->runner), key);
  if (value != NULL && !g_variant_is_of_type (value, type))
    g_clear_pointer (&value, g_variant_unref);
  return value;
}

const char *
lab_run_watch_get_label (LabRunWatch *watch,
                         const char  *value)
{
  const LabPanel *panel = watched_panel (watch);

  return panel != NULL ? lab_panel_get_label (panel, value) : value;
}
