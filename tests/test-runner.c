/* test-runner.c — running, stopping and failing experiments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "lab-runner.h"
#include "test-proc-util.h"

static const LabParamSpec sleeper_params[] = {
  { .kind = LAB_PARAM_INT, .key = "threads", .label = "Threads", .min = 1, .max = 64, .def_num = 8 },
  { .kind = LAB_PARAM_INT, .key = "sleep_ms", .label = "Sleep", .min = 0, .max = 60000, .def_num = 10000 },
  { .kind = LAB_PARAM_BOOL, .key = "fail", .label = "Fail", .def_bool = FALSE },
};

typedef struct
{
  LabRunContext *ctx;
  LabLane       *lane;
  gint64         sleep_ns;
} Sleeper;

static gpointer
sleeper_thread (gpointer data)
{
  Sleeper *s = data;

  lab_lane_bind_thread (s->lane);
  lab_lane_begin (s->lane, LAB_STATE_RUNNING, 0);
  lab_lane_begin (s->lane, LAB_STATE_SLEEPING, 0);
  lab_run_context_sleep_ns (s->ctx, s->sleep_ns);
  lab_lane_end (s->lane);
  lab_lane_end (s->lane);
  return NULL;
}

static GVariant *
sleeper_run (LabRunContext  *ctx,
             GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  guint n = lab_params_get_int (params, "threads");
  g_autofree Sleeper *sleepers = g_new0 (Sleeper, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  GVariantDict dict;

  if (lab_params_get_bool (params, "fail"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The thing was not there");
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      sleepers[i].ctx = ctx;
      sleepers[i].lane = lab_recorder_add_lane (lab_run_context_get_recorder (ctx), LAB_LANE_THREAD, "sleeper");
      sleepers[i].sleep_ns = lab_params_get_int (params, "sleep_ms") * G_GINT64_CONSTANT (1000000);
      threads[i] = g_thread_new ("sleeper", sleeper_thread, &sleepers[i]);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);

  if (lab_run_context_is_cancelled (ctx))
    return lab_run_context_return_cancelled (ctx, error);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "threads", "x", (gint64) n);
  return g_variant_dict_end (&dict);
}

static const LabExperiment sleeper = {
  .id = "sleepers",
  .title = "Sleepers",
  .params = sleeper_params,
  .n_params = G_N_ELEMENTS (sleeper_params),
  .run = sleeper_run,
};

/* An experiment whose timed section the test opens and closes: it waits
 * for the test to move @timed_step on at each stage. */
static gint timed_step;

static void
wait_for_step (gint step)
{
  while (g_atomic_int_get (&timed_step) < step)
    g_usleep (1000);
}

static GVariant *
timed_run (LabRunContext  *ctx,
           GError        **error)
{
  GVariantDict dict;

  lab_run_context_begin_timed (ctx);
  lab_run_context_begin_timed (ctx); /* nested: the outer one still counts */
  lab_run_context_end_timed (ctx);
  g_atomic_int_set (&timed_step, 1);
  wait_for_step (2);
  lab_run_context_end_timed (ctx);
  g_atomic_int_set (&timed_step, 3);
  wait_for_step (4);

  g_variant_dict_init (&dict, NULL);
  return g_variant_dict_end (&dict);
}

static const LabExperiment timed = {
  .id = "timed",
  .title = "Timed",
  .params = sleeper_params,
  .n_params = G_N_ELEMENTS (sleeper_params),
  .run = timed_run,
};

static void
test_timed_section (void)
{
  g_autoptr(LabParams) params = lab_params_new (sleeper_params, G_N_ELEMENTS (sleeper_params));
  g_autoptr(LabRunner) runner = lab_runner_new (&timed, params);

  g_atomic_int_set (&timed_step, 0);
  g_assert_false (lab_runner_get_timed (runner));
  lab_runner_start (runner);

  wait_for_step (1);
  g_assert_true (lab_runner_get_timed (runner));
  g_atomic_int_set (&timed_step, 2);
  wait_for_step (3);
  g_assert_false (lab_runner_get_timed (runner));
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_RUNNING);
  g_atomic_int_set (&timed_step, 4);

  while (lab_runner_get_state (runner) == LAB_RUN_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
  g_assert_false (lab_runner_get_timed (runner));
}

static void
on_finished (LabRunner *runner,
             gpointer   user_data)
{
  gint64 *finished_at = user_data;

  *finished_at = g_get_monotonic_time ();
}

static gboolean
quit_after (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_done (void)
{
  g_autoptr(LabParams) params = lab_params_new (sleeper_params, G_N_ELEMENTS (sleeper_params));
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) threads = NULL;

  g_assert_true (lab_params_parse (params, "sleep_ms", "20", NULL));
  g_assert_true (lab_params_parse (params, "threads", "3", NULL));
  runner = lab_runner_new (&sleeper, params);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_READY);

  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
  threads = lab_metrics_lookup (lab_runner_get_metrics (runner), "threads");
  g_assert_cmpint (g_variant_get_int64 (threads), ==, 3);
  g_assert_cmpfloat (lab_runner_get_elapsed_s (runner), >=, 0.020);
  g_assert_cmpfloat (lab_runner_get_progress (runner), ==, 1.0);
  /* Main thread + three sleepers, each with its spans; the run thread
   * also reports its context switches on the main lane. */
  g_assert_cmpuint (lab_trace_get_n_lanes (lab_runner_get_trace (runner)), ==, 4);
  g_assert_cmpuint (lab_trace_get_n_events (lab_runner_get_trace (runner)), ==, 13);
  g_assert_true (lab_trace_get_lane (lab_runner_get_trace (runner), 0)->has_thread_stats);
  g_assert_cmpint (lab_trace_get_lane (lab_runner_get_trace (runner), 0)->kind, ==, LAB_LANE_MAIN);
}

static void
test_failed (void)
{
  g_autoptr(LabParams) params = lab_params_new (sleeper_params, G_N_ELEMENTS (sleeper_params));
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_params_parse (params, "fail", "true", NULL));
  runner = lab_runner_new (&sleeper, params);
  g_assert_false (lab_runner_run_sync (runner, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_cmpstr (lab_runner_get_error (runner)->message, ==, "The thing was not there");
  g_assert_null (lab_runner_get_metrics (runner));
}

/* Stop ends the run with every thread joined and every span closed; twice
 * in a row. How fast is bench-process's to measure (stop_ms): here a bound
 * only tells a hang from a slow machine. */
static void
test_stop_mid_run (void)
{
  guint baseline = test_count_self ("task");

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(LabParams) params = lab_params_new (sleeper_params, G_N_ELEMENTS (sleeper_params));
      g_autoptr(LabRunner) runner = lab_runner_new (&sleeper, params);
      gint64 finished_at = 0;
      gint64 stopped_at;
      gint64 deadline;

      g_signal_connect (runner, "finished", G_CALLBACK (on_finished), &finished_at);
      lab_runner_start (runner);
      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_RUNNING);

      /* 8 sleepers (10 s each) and the run's own thread: wait until all
       * are alive, however slowly a loaded machine starts them. */
      deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;
      while (test_count_self ("task") < baseline + 9 && finished_at == 0 &&
             g_get_monotonic_time () < deadline)
        {
          gboolean waited = FALSE;

          g_timeout_add (10, quit_after, &waited);
          while (!waited)
            g_main_context_iteration (NULL, TRUE);
        }
      g_assert_cmpuint (test_count_self ("task"), >=, baseline + 9);
      g_assert_cmpuint (finished_at, ==, 0);

      stopped_at = g_get_monotonic_time ();
      lab_runner_stop (runner);
      while (finished_at == 0)
        g_main_context_iteration (NULL, TRUE);

      g_test_message ("stopped after %.1f ms", (finished_at - stopped_at) / 1000.0);
      g_assert_cmpint (finished_at - stopped_at, <, 5 * G_USEC_PER_SEC);
      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_STOPPED);
      g_assert_error ((GError *) lab_runner_get_error (runner), G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (test_count_self ("task"), ==, baseline);
      /* Every span the sleepers opened was closed. */
      for (guint i = 1; i < lab_trace_get_n_lanes (lab_runner_get_trace (runner)); i++)
        {
          const LabTraceLane *lane = lab_trace_get_lane (lab_runner_get_trace (runner), i);

          g_assert_cmpuint (lane->spans[0]->len, ==, 1);
          g_assert_false (g_array_index (lane->spans[0], LabSpan, 0).open);
        }
    }
}

static void
test_sleep_wakes_on_cancel (void)
{
  g_autoptr(LabParams) params = lab_params_new (sleeper_params, G_N_ELEMENTS (sleeper_params));
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LabRunContext *ctx = lab_run_context_new (params, rec, cancellable);
  gint64 start;

  g_assert_true (lab_run_context_sleep_ns (ctx, 1000000));
  g_cancellable_cancel (cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (lab_run_context_sleep_ns (ctx, G_GINT64_CONSTANT (10000000000)));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 100 * 1000);
  g_assert_true (lab_run_context_is_cancelled (ctx));
  lab_run_context_free (ctx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runner/done", test_done);
  g_test_add_func ("/runner/failed", test_failed);
  g_test_add_func ("/runner/stop-mid-run", test_stop_mid_run);
  g_test_add_func ("/runner/sleep-wakes-on-cancel", test_sleep_wakes_on_cancel);
  g_test_add_func ("/runner/timed-section", test_timed_section);

  return g_test_run ();
}
