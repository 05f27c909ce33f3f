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
 * on (NULL-terminated; "preset=NICK" too); a rejected one fails the test. */
G_GNUC_UNUSED static LabParams *
test_exp_params_va (const LabExperiment *experiment,
                    const char          *first_assignment,
                    va_list              args)
{
  LabParams *params;

  g_assert_nonnull (experiment);
  params = lab_params_new (experiment->params, experiment->n_params);
  for (const char *a = first_assignment; a != NULL; a = va_arg (args, const char *))
    {
      g_autoptr(GError) error = NULL;

      lab_experiment_parse_assignment (experiment, params, a, &error);
      g_assert_no_error (error);
    }
  return params;
}

/* A runner of @experiment with those assignments, not started yet. */
G_GNUC_UNUSED static LabRunner *
test_exp_runner_va (const LabExperiment *experiment,
                    const char          *first_assignment,
                    va_list              args)
{
  g_autoptr(LabParams) params = test_exp_params_va (experiment, first_assignment, args);

  return lab_runner_new (experiment, params);
}

G_GNUC_UNUSED static LabRunner *
test_exp_runner (const LabExperiment *experiment,
                 const char          *first_assignment,
                 ...)
{
  LabRunner *runner;
  va_list args;

  va_start (args, first_assignment);
  runner = test_exp_runner_va (experiment, first_assignment, args);
  va_end (args);
  return runner;
}

/* Runs @runner to the end and asserts that it finished with metrics. */
G_GNUC_UNUSED static LabRunner *
test_exp_finish (LabRunner *runner)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
  g_assert_nonnull (lab_runner_get_metrics (runner));
  return runner;
}

/* Runs @experiment with "key=value" assignments (NULL-terminated) and
 * asserts that it finished with metrics. */
#define test_exp_run(experiment, ...) \
  test_exp_finish (test_exp_runner ((experiment), __VA_ARGS__))

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

/* Event @index of @lane, which must have it. */
G_GNUC_UNUSED static const LabEvent *
test_lane_event (const LabTraceLane *lane,
                 guint               index)
{
  g_assert_cmpuint (index, <, lane->events->len);
  return &g_array_index (lane->events, LabEvent, index);
}

/* Spans still open on @lane, at any depth. */
G_GNUC_UNUSED static guint
test_lane_open_spans (const LabTraceLane *lane)
{
  guint n = 0;

  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      n += g_array_index (lane->spans[d], LabSpan, s).open;
  return n;
}

/* Spans still open on every lane of @trace: 0 once every thread was joined
 * and every child reaped. */
G_GNUC_UNUSED static guint
test_trace_open_spans (LabTrace *trace)
{
  guint n = 0;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    n += test_lane_open_spans (lab_trace_get_lane (trace, l));
  return n;
}

/* ---- Stop in the middle of a run ---- */

typedef struct
{
  LabRunner *runner;
  gboolean   done;
  gint64     stopped_at;  /* µs */
  gint64     finished_at; /* µs */
} TestStop;

/* Presses Stop and notes when. */
G_GNUC_UNUSED static void
test_stop_press (TestStop *stop)
{
  stop->stopped_at = g_get_monotonic_time ();
  lab_runner_stop (stop->runner);
}

/* A timeout that presses Stop once. */
G_GNUC_UNUSED static gboolean
test_stop_timeout (gpointer data)
{
  test_stop_press (data);
  return G_SOURCE_REMOVE;
}

G_GNUC_UNUSED static void
test_stop_on_finished (LabRunner *runner,
                       gpointer   data)
{
  TestStop *stop = data;

  stop->done = TRUE;
  stop->finished_at = g_get_monotonic_time ();
}

/* Starts @runner and calls @stopper with the TestStop every @interval_ms
 * until it returns G_SOURCE_REMOVE (test_stop_timeout: Stop after
 * @interval_ms). The run must end stopped, every span closed. Returns
 * the time from Stop to the end in ms, for the test to print: how soon
 * depends on how loaded the machine is (more than 500 ms under
 * AddressSanitizer beside two busy loops), so the contract's 200 ms is
 * not asserted here. */
G_GNUC_UNUSED static double
test_exp_stop (LabRunner   *runner,
               guint        interval_ms,
               GSourceFunc  stopper)
{
  TestStop stop = { runner, FALSE, 0, 0 };
  gulong handler = g_signal_connect (runner, "finished", G_CALLBACK (test_stop_on_finished), &stop);
  double latency_ms;

  lab_runner_start (runner);
  g_timeout_add (interval_ms, stopper, &stop);
  while (!stop.done)
    g_main_context_iteration (NULL, TRUE);
  /* A stopper that keeps watching must not outlive @stop. */
  g_source_remove_by_user_data (&stop);
  g_signal_handler_disconnect (runner, handler);

  g_assert_cmpint (stop.stopped_at, >, 0);
  latency_ms = (double) (stop.finished_at - stop.stopped_at) / 1000;
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_STOPPED);
  g_assert_error (lab_runner_get_error (runner), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (test_trace_open_spans (lab_runner_get_trace (runner)), ==, 0);
  return latency_ms;
}

/* Runs @experiment with "key=value" assignments (NULL-terminated) and
 * presses Stop after @stop_after_ms: see test_exp_stop (). */
G_GNUC_UNUSED static void
test_exp_check_stop (const LabExperiment *experiment,
                     guint                stop_after_ms,
                     const char          *first_assignment,
                     ...)
{
  g_autoptr(LabRunner) runner = NULL;
  va_list args;

  va_start (args, first_assignment);
  runner = test_exp_runner_va (experiment, first_assignment, args);
  va_end (args);
  g_test_message ("stopped at %u ms: finished %.1f ms after Stop", stop_after_ms,
                  test_exp_stop (runner, stop_after_ms, test_stop_timeout));
}

/* @key=@value is refused as out of its range. */
G_GNUC_UNUSED static void
test_assert_out_of_range (LabParams  *params,
                          const char *key,
                          const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_params_parse (params, key, value, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
}
