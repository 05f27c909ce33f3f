/* test-start-methods.c — spawn, fork and forkserver, really started that
 * way: spawned workers are children of the test, forked ones children of
 * one fork server; a fork has the parent's data in its memory (a list it
 * was never sent); each method gives the right results in both
 * multiprocessing experiments and the parent's list does not change; a
 * notebook's function is not found by a spawned or forkserver child but is
 * by a fork, and a lambda cannot be pickled, both in CPython's words; a
 * method the system lacks is refused before anything starts; Stop kills
 * forked workers too. No process may be left after any of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "lab-experiments.h"
#include "lab-process-pool.h"
#include "lab-runner.h"
#include "test-exp-util.h"
#include "test-proc-util.h"

static const LabStartMethod methods[] = {
  LAB_START_SPAWN, LAB_START_FORK, LAB_START_FORKSERVER,
};


static int
parent_of (gint pid)
{
  g_autofree char *name = g_strdup_printf ("%d", pid);
  char state;
  int ppid = 0;

  g_assert_true (test_proc_stat (name, &state, &ppid));
  return ppid;
}

/* {"__main__": ["worker"], "args": [<n strings>]}: a parent's data. */
static LabPyValue *
new_state (guint n)
{
  LabPyValue *state = lab_py_dict_new ();
  LabPyValue *names = lab_py_list_new ();
  LabPyValue *list = lab_py_list_new ();

  lab_py_list_append (names, lab_py_str_new ("worker", -1));
  for (guint i = 0; i < n; i++)
    lab_py_list_append (list, lab_py_str_new ("old", -1));
  lab_py_dict_set (state, lab_py_str_new ("__main__", -1), names);
  lab_py_dict_set (state, lab_py_str_new ("args", -1), list);
  return state;
}

/* ---- the pool ---- */

static void
test_pool_parents (void)
{
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      LabProcessPoolOptions options = { .n_workers = 3, .start_method = methods[m] };
      gint64 values[6] = { 0, 1, 2, 3, 4, 5 };
      LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 6, .values = values };
      g_autoptr(GError) error = NULL;
      LabPoolMapResult result;
      LabProcessPool *pool;
      gint pids[3];
      int server = 0;

      pool = lab_process_pool_new (&options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (lab_process_pool_get_start_method (pool), ==, methods[m]);
      for (guint w = 0; w < 3; w++)
        {
          int ppid;

          pids[w] = lab_process_pool_get_pid (pool, w);
          ppid = parent_of (pids[w]);
          /* spawn: our own children; fork, forkserver: all children of
           * one fork server, which is ours. */
          if (methods[m] == LAB_START_SPAWN)
            g_assert_cmpint (ppid, ==, getpid ());
          else
            {
              g_assert_cmpint (ppid, !=, getpid ());
              g_assert_cmpint (parent_of (ppid), ==, getpid ());
              if (server == 0)
                server = ppid;
              g_assert_cmpint (ppid, ==, server);
            }
        }
      g_assert_cmpint (lab_process_pool_get_start_ns_per_process (pool), >, 0);

      g_assert_true (lab_process_pool_map (pool, &map, &result, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 6; i++)
        {
          gint64 v;

          g_assert_true (lab_pool_map_result_get_i64 (&result, i, &v));
          g_assert_cmpint (v, ==, 2 * i);
        }
      lab_pool_map_result_clear (&result);
      lab_process_pool_free (pool);
      for (guint w = 0; w < 3; w++)
        test_assert_gone (pids[w]);
      if (server != 0)
        test_assert_gone (server);
      test_assert_no_children ();
    }
}

/* A forked worker runs a call that was never sent on data it was never
 * sent; a forkserver one has no such data and says so. */
static void
test_pool_inherited (void)
{
  for (guint m = 1; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(LabPyValue) state = new_state (4);
      LabProcessPoolOptions options = { .n_workers = 2, .start_method = methods[m],
                                        .inherited = state };
      LabPoolMap map = { .function = LAB_WIRE_FN_APPEND_ITEM, .n_items = 2, .chunksize = 1,
                         .inherited = TRUE };
      g_autoptr(GError) error = NULL;
      LabPoolMapResult result;
      LabProcessPool *pool;
      gboolean ok;

      pool = lab_process_pool_new (&options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      ok = lab_process_pool_map (pool, &map, &result, &error);
      if (methods[m] == LAB_START_FORK)
        {
          g_assert_no_error (error);
          for (guint i = 0; i < 2; i++)
            {
              gint64 len;

              /* Its copy of the 4 items, and the one it appended. */
              g_assert_true (lab_pool_map_result_get_i64 (&result, i, &len));
              g_assert_cmpint (len, ==, 5);
            }
          /* No list was pickled: each call is a few dozen bytes. */
          g_assert_cmpuint (result.stats.item_bytes, <, 2 * 64);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (strstr (error->message, "not a fork of the parent"));
        }
      lab_pool_map_result_clear (&result);
      lab_process_pool_free (pool);
      test_assert_no_children ();
    }
}

static void
test_pool_stop (void)
{
  for (guint m = 1; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      LabProcessPoolOptions options = { .n_workers = 2, .start_method = methods[m] };
      gint64 values[50] = { 0 };
      LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 50, .values = values,
                         .chunksize = 1, .argument = 50 * 1000 * 1000 };
      g_autoptr(GError) error = NULL;
      TestStopLater stop = { cancellable, 0 };
      LabPoolMapResult result;
      LabProcessPool *pool;
      GThread *thread;
      gint pids[2];

      pool = lab_process_pool_new (&options, NULL, NULL, cancellable, &error);
      g_assert_no_error (error);
      for (guint w = 0; w < 2; w++)
        pids[w] = lab_process_pool_get_pid (pool, w);
      thread = g_thread_new ("stop-later", test_stop_later, &stop);
      g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
      g_thread_join (thread);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      /* The workers are killed and reaped by the time map returns. */
      for (guint w = 0; w < 2; w++)
        test_assert_gone (pids[w]);
      lab_pool_map_result_clear (&result);
      lab_process_pool_free (pool);
      test_assert_no_children ();
    }
}

/* The fork server killed from outside: its workers die with it, and the
 * map says which one it lost. */
static void
test_pool_server_killed (void)
{
  LabProcessPoolOptions options = { .n_workers = 2, .start_method = LAB_START_FORK };
  gint64 values[20] = { 0 };
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 20, .values = values,
                     .chunksize = 1, .argument = 200 * 1000 * 1000 };
  g_autoptr(GError) error = NULL;
  LabPoolMapResult result;
  LabProcessPool *pool;
  gint pids[2];
  int server;

  pool = lab_process_pool_new (&options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint w = 0; w < 2; w++)
    pids[w] = lab_process_pool_get_pid (pool, w);
  server = parent_of (pids[0]);
  g_assert_cmpint (kill (server, SIGKILL), ==, 0);
  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "SIGKILL"));
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  /* Orphans now, reaped by init, not by us: give it a moment. */
  for (guint w = 0; w < 2; w++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d", pids[w]);

      for (guint i = 0; i < 500 && g_file_test (path, G_FILE_TEST_EXISTS); i++)
        g_usleep (10 * 1000);
      test_assert_gone (pids[w]);
    }
  test_assert_no_children ();
}

static void
test_pool_unavailable (void)
{
  LabProcessPoolOptions options = { .n_workers = 2, .start_method = LAB_START_FORK };
  g_autoptr(GError) error = NULL;
  LabStartMethod method;

  g_setenv ("LAB_START_METHODS", "spawn", TRUE);
  g_assert_null (lab_process_pool_new (&options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "This system cannot start processes with “fork” "
                   "(it offers: spawn); choose another start method");
  g_clear_error (&error);
  g_assert_true (lab_start_method_from_string ("spawn", &method, &error));
  g_assert_cmpint (method, ==, LAB_START_SPAWN);
  g_unsetenv ("LAB_START_METHODS");
  test_assert_no_children ();

  g_assert_false (lab_start_method_from_string ("vfork", &method, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- the experiments ---- */

/* Runs @experiment with "key=value" assignments (NULL-terminated; a key
 * may be "preset", as with --set) to its end, whatever it is; nothing may
 * be left running. */
static LabRunner *
run (const LabExperiment *experiment,
     const char          *first_assignment,
     ...)
{
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  LabRunner *runner;
  va_list args;

  va_start (args, first_assignment);
  for (const char *a = first_assignment; a != NULL; a = va_arg (args, const char *))
    {
      g_autoptr(GError) error = NULL;

      lab_experiment_parse_assignment (experiment, params, a, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  runner = lab_runner_new (experiment, params);
  lab_runner_run_sync (runner, NULL);
  test_assert_no_children ();
  return runner;
}

static void
assert_failed_with (LabRunner  *runner,
                    const char *words)
{
  const GError *error = lab_runner_get_error (runner);

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_suffix (error->message, words));
}

/* The lanes of processes each have a SPAWNING span labelled @label. */
static void
assert_start_spans (LabTrace   *trace,
                    guint       n,
                    const char *label)
{
  guint found = 0;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind != LAB_LANE_PROCESS)
        continue;
      for (guint s = 0; s < lane->spans[0]->len; s++)
        {
          const LabSpan *span = &g_array_index (lane->spans[0], LabSpan, s);

          found += span->state == LAB_STATE_SPAWNING &&
                   g_strcmp0 (lab_trace_get_string (trace, span->label), label) == 0;
        }
    }
  g_assert_cmpuint (found, ==, n);
}

static const char * const span_labels[] = { "spawn: exec + import", "fork", "forkserver: fork" };

static void
test_isolation_methods (void)
{
  gint64 pickled[G_N_ELEMENTS (methods)];

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *method = g_strdup_printf ("start_method=%s",
                                                 lab_start_method_to_string (methods[m]));
      g_autoptr(LabRunner) runner = run (&lab_exp_process_isolation, method, "processes=3",
                                         "prefill=2", NULL);
      g_autoptr(GVariant) lens = NULL;
      g_autoptr(GVariant) pids = NULL;
      g_autoptr(GVariant) name = NULL;
      const gint64 *len, *pid;
      gsize n;

      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
      /* The parent's list keeps its two items; every child had them too. */
      g_assert_cmpint (test_metric_int (runner, "parent_len"), ==, 2);
      lens = test_metric (runner, "child_lens", "ax");
      len = g_variant_get_fixed_array (lens, &n, sizeof (gint64));
      g_assert_cmpuint (n, ==, 3);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpint (len[i], ==, 3);
      g_assert_cmpint (test_metric_int (runner, "shared_len"), ==, 5);
      name = test_metric (runner, "start_method", "s");
      g_assert_cmpstr (g_variant_get_string (name, NULL), ==,
                       lab_start_method_to_string (methods[m]));
      g_assert_cmpfloat (test_metric_double (runner, "start_ms_per_process"), >, 0);
      pickled[m] = test_metric_int (runner, "args_pickle_bytes");
      assert_start_spans (lab_runner_get_trace (runner), 3, span_labels[m]);
      pids = test_metric (runner, "pids", "ax");
      pid = g_variant_get_fixed_array (pids, &n, sizeof (gint64));
      for (gsize i = 0; i < n; i++)
        test_assert_gone ((gint) pid[i]);
    }
  /* spawn and forkserver pickle the list for each child, fork does not. */
  g_assert_cmpint (pickled[0], ==, pickled[2]);
  g_assert_cmpint (pickled[1], <, pickled[0]);
}

static void
test_map_methods (void)
{
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *method = g_strdup_printf ("start_method=%s",
                                                 lab_start_method_to_string (methods[m]));
      g_autoptr(LabRunner) runner = run (&lab_exp_process_pool_map, method, "processes=2",
                                         "items=10", "task_ms=0", NULL);
      g_autoptr(GVariant) values = NULL;
      const gint64 *value;
      gsize n;

      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
      values = test_metric (runner, "result", "ax");
      value = g_variant_get_fixed_array (values, &n, sizeof (gint64));
      g_assert_cmpuint (n, ==, 10);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpint (value[i], ==, 2 * (gint64) i);
      g_assert_cmpfloat (test_metric_double (runner, "start_ms_per_process"), >, 0);
      assert_start_spans (lab_runner_get_trace (runner), 2, span_labels[m]);
    }
}

static void
test_notebook (void)
{
  /* A spawned or forkserver child imports __main__ anew: nothing there. */
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *method = g_strdup_printf ("start_method=%s",
                                                 lab_start_method_to_string (methods[m]));
      g_autoptr(LabRunner) isolation = run (&lab_exp_process_isolation, method,
                                            "function=notebook", "processes=2", NULL);
      g_autoptr(LabRunner) map = run (&lab_exp_process_pool_map, method,
                                      "function=notebook", "processes=2", NULL);

      if (methods[m] == LAB_START_FORK)
        {
          g_assert_cmpint (lab_runner_get_state (isolation), ==, LAB_RUN_DONE);
          g_assert_cmpint (lab_runner_get_state (map), ==, LAB_RUN_DONE);
          continue;
        }
      assert_failed_with (isolation,
                          "AttributeError: Can't get attribute 'worker' on "
                          "<module '__main__' (built-in)>");
      assert_failed_with (map,
                          "AttributeError: Can't get attribute 'multiplier' on "
                          "<module '__main__' (built-in)>");
    }
}

static void
test_lambda (void)
{
  g_autoptr(LabRunner) spawned = run (&lab_exp_process_isolation, "preset=lambda", NULL);
  g_autoptr(LabRunner) forked = run (&lab_exp_process_isolation, "preset=lambda-fork", NULL);
  g_autoptr(LabRunner) map = run (&lab_exp_process_pool_map, "preset=lambda", NULL);

  assert_failed_with (spawned,
                      "AttributeError: Can't pickle local object 'make_worker.<locals>.<lambda>'");
  /* Process under fork pickles nothing: the lambda is in the copy. */
  g_assert_cmpint (lab_runner_get_state (forked), ==, LAB_RUN_DONE);
  g_assert_cmpint (test_metric_int (forked, "shared_len"), ==, 5);
  /* A pool pickles every task, whatever the start method. */
  assert_failed_with (map, "AttributeError: Can't pickle local object "
                           "'make_multiplier.<locals>.<lambda>'");
}

static void
test_unavailable (void)
{
  g_autoptr(LabRunner) runner = NULL;

  g_setenv ("LAB_START_METHODS", "spawn,fork", TRUE);
  runner = run (&lab_exp_process_pool_map, "start_method=forkserver", NULL);
  g_unsetenv ("LAB_START_METHODS");
  assert_failed_with (runner, "This system cannot start processes with “forkserver” "
                              "(it offers: spawn, fork); choose another start method");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/start-methods/pool/parents", test_pool_parents);
  g_test_add_func ("/start-methods/pool/inherited", test_pool_inherited);
  g_test_add_func ("/start-methods/pool/stop", test_pool_stop);
  g_test_add_func ("/start-methods/pool/server-killed", test_pool_server_killed);
  g_test_add_func ("/start-methods/pool/unavailable", test_pool_unavailable);
  g_test_add_func ("/start-methods/isolation", test_isolation_methods);
  g_test_add_func ("/start-methods/pool-map", test_map_methods);
  g_test_add_func ("/start-methods/notebook", test_notebook);
  g_test_add_func ("/start-methods/lambda", test_lambda);
  g_test_add_func ("/start-methods/unavailable", test_unavailable);

  return g_test_run ();
}
