/* lab-sweep-results.c — what a sweep's points become: the speed-up and
 * efficiency chart, and the JSON-friendly summary. Only the public API of
 * LabSweep is used here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-sweep.h"

void
lab_sweep_add_to_chart (LabSweep   *self,
                        LabChart   *chart,
                        const char *series)
{
  g_return_if_fail (LAB_IS_SWEEP (self));
  g_return_if_fail (chart != NULL);

  for (guint i = 0; i < lab_sweep_get_n_done (self); i++)
    {
      const LabSweepPoint *p = lab_sweep_get_point (self, i);
      gboolean range = lab_sweep_get_repeat (self) > 1 && p->speedup > 0;

      lab_chart_add_point (chart, series, (double) p->value, p->speedup,
                           range ? p->speedup_min : NAN, range ? p->speedup_max : NAN);
      lab_chart_add_panel_point (chart, 1, series, (double) p->value, p->efficiency, NAN, NAN);
    }
}

LabChart *
lab_sweep_build_chart (LabSweep   *self,
                       const char *series)
{
  const LabParamSpec *spec;
  const char *key;
  LabChart *chart;

  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);

  key = lab_sweep_get_key (self);
  spec = lab_params_find_spec (lab_sweep_get_params (self), key);
  chart = lab_chart_new (LAB_CHART_LINES, _("Speed-up and efficiency"), LAB_CHART_UNIT_RATIO);
  lab_chart_set_axis_labels (chart, spec->label != NULL ? _(spec->label) : key,
                             _("Speed-up"));
  lab_chart_set_panel (chart, 1, _("Efficiency"), LAB_CHART_UNIT_PERCENT);
  lab_chart_set_ideal_line (chart, TRUE);
  lab_chart_set_ideal_base (chart, (double) lab_sweep_get_from (self));
  /* Translators: the label of the 100% efficiency line */
  lab_chart_add_panel_reference (chart, 1, _("ideal"), 1.0);
  lab_sweep_add_to_chart (self, chart, series);
  return chart;
}

GVariant *
lab_sweep_to_variant (LabSweep *self)
{
  GVariantBuilder dict, sweep;
  GVariantBuilder points;

  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);

  g_variant_builder_init (&sweep, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&sweep, "{sv}", "key", g_variant_new ("s", lab_sweep_get_key (self)));
  g_variant_builder_add (&sweep, "{sv}", "from", g_variant_new ("x", lab_sweep_get_from (self)));
  g_variant_builder_add (&sweep, "{sv}", "to", g_variant_new ("x", lab_sweep_get_to (self)));
  g_variant_builder_add (&sweep, "{sv}", "time_key",
                         g_variant_new_string (lab_sweep_get_time_key (self)));
  g_variant_builder_add (&sweep, "{sv}", "repeat", g_variant_new_uint32 (lab_sweep_get_repeat (self)));

  g_variant_builder_init (&points, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < lab_sweep_get_n_done (self); i++)
    {
      const LabSweepPoint *p = lab_sweep_get_point (self, i);
      LabTrace *trace = lab_runner_get_trace (p->runner);
      GVariantBuilder d;

      g_variant_builder_init (&d, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&d, "{sv}", "params",
                             lab_params_to_variant (lab_runner_get_params (p->runner)));
      g_variant_builder_add (&d, "{sv}", "metrics", lab_runner_get_metrics (p->runner));
      g_variant_builder_add (&d, "{sv}", "time_s", g_variant_new ("d", p->time_s));
      g_variant_builder_add (&d, "{sv}", "speedup", g_variant_new ("d", p->speedup));
      g_variant_builder_add (&d, "{sv}", "efficiency", g_variant_new ("d", p->efficiency));
      g_variant_builder_add (&d, "{sv}", "events",
                             g_variant_new_int64 ((gint64) lab_trace_get_n_events (trace)));
      g_variant_builder_add (&d, "{sv}", "dropped_events",
                             g_variant_new_int64 ((gint64) lab_trace_get_dropped (trace)));
      g_variant_builder_add_value (&points, g_variant_builder_end (&d));
    }

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "experiment",
                         g_variant_new_string (lab_sweep_get_experiment (self)->id));
  g_variant_builder_add (&dict, "{sv}", "sweep", g_variant_builder_end (&sweep));
  g_variant_builder_add (&dict, "{sv}", "points", g_variant_builder_end (&points));
  return g_variant_builder_end (&dict);
}

char *
lab_sweep_describe (LabSweep *self)
{
  const LabExperiment *experiment;
  const LabParams *params;
  const LabParamSpec *spec;
  const char *key, *time_key, *time_label;
  g_autofree char *rest = NULL;

  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);

  experiment = lab_sweep_get_experiment (self);
  params = lab_sweep_get_params (self);
  key = lab_sweep_get_key (self);
  spec = lab_params_find_spec (params, key);
  time_key = lab_sweep_get_time_key (self);
  time_label = time_key;
  for (guint i = 0; i < experiment->n_metrics; i++)
    if (g_strcmp0 (experiment->metrics[i].key, time_key) == 0)
      time_label = _(experiment->metrics[i].label);

  /* Every other parameter, as in a run's subtitle. */
  rest = lab_params_describe (params, key);

  return g_strdup_printf (
    /* Translators: a sweep's subtitle: the swept parameter with its range,
     * the time compared, then the other parameters ("Threads 1…4 · time:
     * With threads · Size: 2000000") */
    _("%s %lld…%lld · time: %s%s%s"),
    spec != NULL ? _(spec->label) : key,
    (long long) lab_sweep_get_from (self), (long long) lab_sweep_get_to (self), time_label,
    rest[0] != '\0' ? " · " : "", rest);
}
