/* test-exp-util.h — running an experiment with "key=value" assignments and
 * reading its metrics with their types checked, for the experiment tests.
 * Header-only (static).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>

#include "lab-runner.h"

/* The parameters of @experiment with the assignments from @first_assignment
 * on (NULL-terminated); a rejected one fails the test. */
G_GNUC_UNUSED static LabParams *
test_exp_params_va (const LabExperiment *experiment,
                    const char          *first_assignment,
                    va_list              args)
{
  LabParams *params = lab_params_new (experiment->params, experiment->n_params);

  for (const char *a = first_assignment; a != NULL; a = va_arg (args, const char *))
    {
      g_autoptr(GError) error = NULL;

      lab_params_parse_assignment (params, a, &error);
      g_assert_no_error (error);
    }
  return params;
}

/* Runs @experiment with "key=value" assignments (NULL-terminated) and
 * asserts that it finished with metrics. */
G_GNUC_UNUSED static LabRunner *
test_exp_run (const LabExperiment *experiment,
              const char          *first_assignment,
              ...)
{
  g_autoptr(LabParams) params = NULL;
  g_autoptr(GError) error = NULL;
  LabRunner *runner;
  va_list args;

  va_start (args, first_assignment);
  params = test_exp_params_va (experiment, first_assignment, args);
  va_end (args);

  runner = lab_runner_new (experiment, params);
  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
  return runner;
}

/* The metric @key, which must be there with the GVariant type @type. */
G_GNUC_UNUSED static GVariant *
test_metric (LabRunner  *runner,
             const char *key,
             const char *type)
{
  GVariant *value = lab_metrics_lookup (lab_runner_get_metrics (runner), key);

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, type);
  return value;
}

G_GNUC_UNUSED static gint64
test_metric_int (LabRunner  *runner,
                 const char *key)
{
  g_autoptr(GVariant) value = test_metric (runner, key, "x");

  return g_variant_get_int64 (value);
}

G_GNUC_UNUSED static double
test_metric_double (LabRunner  *runner,
                    const char *key)
{
  g_autoptr(GVariant) value = test_metric (runner, key, "d");

  return g_variant_get_double (value);
}

G_GNUC_UNUSED static gboolean
test_metric_bool (LabRunner  *runner,
                  const char *key)
{
  g_autoptr(GVariant) value = test_metric (runner, key, "b");

  return g_variant_get_boolean (value);
}
