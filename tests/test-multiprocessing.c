/* test-multiprocessing.c — the multiprocessing experiments with real worker
 * processes: process-isolation (the parent's list stays empty, the
 * children's do not, the queue fills the parent's), process-pool-map
 * ([0, 2, …, 18] computed by the workers, every item assigned, a crash
 * reported, a worker that hangs or is stopped with SIGSTOP caught by the
 * watchdog), process-sum (three correct sums, the bytes really sent, the
 * chart), and bad input: too many processes, too large an array, Stop in
 * the middle of a transfer. Nothing may be left running after any of them.
 *
 * Timing is asserted by shape only (the machine is shared); the numbers are
 * printed as test messages and measured by bench-process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab-experiments.h"
#include "lab-process-pool.h"
#include "lab-runner.h"
#include "test-exp-util.h"
#include "test-proc-util.h"

/* ---- helpers ---- */

/* Runs @runner to the end, leaving no child behind; the caller checks the
 * state. */
static LabRunner *
run_to_end (LabRunner *runner)
{
  lab_runner_run_sync (runner, NULL);
  g_assert_cmpuint (test_count_children (NULL), ==, 0);
  return runner;
}

/* Runs @experiment with "key=value" assignments (NULL-terminated). */
#define run(...) run_to_end (test_exp_runner (__VA_ARGS__))

static void
assert_done (LabRunner *runner)
{
  const GError *error = lab_runner_get_error (runner);

  if (error != NULL)
    g_test_message ("run failed: %s", error->message);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
}

static gint64 *
metric_ints (LabRunner  *runner,
             const char *key,
             gsize      *n)
{
  g_autoptr(GVariant) value = test_metric (runner, key, "ax");
  const gint64 *data = g_variant_get_fixed_array (value, n, sizeof (gint64));

  return g_memdup2 (data, *n * sizeof (gint64));
}

static guint
count_lanes (LabTrace    *trace,
             LabLaneKind  kind)
{
  guint n = 0;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    n += lab_trace_get_lane (trace, l)->kind == kind;
  return n;
}

/* ---- the contract ---- */

static void
assert_refused (const LabExperiment *experiment,
                const char          *key,
                const char          *value)
{
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_params_parse (params, key, value, &error));
  g_assert_nonnull (error);
  g_test_message ("%s %s=%s: %s", experiment->id, key, value, error->message);
  g_assert_nonnull (strstr (error->message, key));
}

static void
test_contract (void)
{
  const LabExperiment *ids[] = { &lab_exp_process_isolation, &lab_exp_process_pool_map,
                                 &lab_exp_process_sum };
  g_autoptr(LabParams) isolation = NULL;
  g_autoptr(LabParams) sum = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_true (lab_experiments_find (ids[i]->id) == ids[i]);
      g_assert_cmpint (ids[i]->topic, ==, LAB_TOPIC_MULTIPROCESSING);
      /* A process count above the limit is refused, naming the key. */
      assert_refused (ids[i], "processes", "33");
      assert_refused (ids[i], "processes", "-1");
    }

  isolation = lab_params_new (lab_exp_process_isolation.params, lab_exp_process_isolation.n_params);
  g_assert_cmpint (lab_params_get_int (isolation, "processes"), ==, 5);
  g_assert_cmpstr (lab_params_get_string (isolation, "start_method"), ==, "spawn");
  /* Python's three start methods (test-start-methods.c runs them), and no
   * other. */
  assert_refused (&lab_exp_process_isolation, "start_method", "vfork");
  assert_refused (&lab_exp_process_pool_map, "start_method", "thread");
  g_assert_cmpstr (lab_params_get_string (isolation, "function"), ==, "module");

  sum = lab_params_new (lab_exp_process_sum.params, lab_exp_process_sum.n_params);
  g_assert_cmpint (lab_params_get_int (sum, "size"), ==, 10000000);
  g_assert_cmpint (lab_params_get_int (sum, "repeat"), ==, 3);
  g_assert_true (lab_params_find_spec (sum, "processes")->flags & LAB_PARAM_FLAG_SWEEPABLE);
  g_assert_cmpstr (lab_exp_process_sum.sweep_time_key, ==, "pool_send_n_s");
  assert_refused (&lab_exp_process_sum, "repeat", "21");
  assert_refused (&lab_exp_process_sum, "size", "200000001");
  assert_refused (&lab_exp_process_pool_map, "items", "10001");
}

/* ---- process-isolation ---- */

static void
check_isolation (guint processes)
{
  g_autofree char *assignment = g_strdup_printf ("processes=%u", processes);
  g_autoptr(LabRunner) runner = run (&lab_exp_process_isolation, assignment, NULL);
  LabTrace *trace;
  g_autofree gint64 *child_lens = NULL;
  g_autofree gint64 *pids = NULL;
  GString *full = g_string_new ("acc = [");
  const LabOutputLine *output;
  const LabTraceCounter *counter = NULL;
  guint n_output, n_child_lines = 0;
  gsize n, n_pids;

  assert_done (runner);
  trace = lab_runner_get_trace (runner);
  g_assert_cmpint (test_metric_int (runner, "parent_len"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "shared_len"), ==, processes);
  child_lens = metric_ints (runner, "child_lens", &n);
  g_assert_cmpuint (n, ==, processes);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (child_lens[i], ==, 1);
  pids = metric_ints (runner, "pids", &n_pids);
  g_assert_cmpuint (n_pids, ==, processes);

  /* One lane per process with its pid; no span left open. */
  g_assert_cmpuint (count_lanes (trace, LAB_LANE_PROCESS), ==, processes);
  for (guint p = 0; p < processes; p++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, 1 + p);
      g_autofree char *name = g_strdup_printf ("Process %u (pid %d)", p, (int) pids[p]);

      g_assert_cmpstr (lane->name, ==, name);
      g_assert_cmpint (lane->tid, ==, pids[p]);
    }
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* What was printed: the parent's empty list, each child's own list (on
   * its lane), and at last the parent's full one. */
  output = lab_trace_get_output (trace, &n_output);
  for (guint p = 0; p < processes; p++)
    g_string_append_printf (full, "%s'item'", p > 0 ? ", " : "");
  g_string_append_c (full, ']');
  g_assert_cmpuint (n_output, ==, 3 + processes);
  g_assert_cmpuint (output[0].lane, ==, 0);
  g_assert_cmpstr (lab_trace_get_string (trace, output[0].label), ==, "acc = []");
  for (guint k = 1; k < n_output; k++)
    if (output[k].lane != 0)
      {
        g_assert_cmpstr (lab_trace_get_string (trace, output[k].label), ==, "acc = ['item']");
        n_child_lines++;
      }
  g_assert_cmpuint (n_child_lines, ==, processes);
  g_assert_cmpstr (lab_trace_get_string (trace, output[n_output - 2].label), ==, "acc = []");
  g_assert_cmpstr (lab_trace_get_string (trace, output[n_output - 1].label), ==, full->str);
  g_string_free (full, TRUE);

  /* The counter track of the parent's list: 0 up to the number of
   * processes, one step per item received. */
  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    if (g_strcmp0 (lab_trace_get_string (trace, lab_trace_get_counter (trace, c)->label),
                   "parent's list length") == 0)
      counter = lab_trace_get_counter (trace, c);
  g_assert_nonnull (counter);
  g_assert_cmpuint (counter->samples->len, ==, processes + 1);
  g_assert_cmpint (counter->min_value, ==, 0);
  g_assert_cmpint (counter->max_value, ==, processes);
}

static void
test_isolation (void)
{
  check_isolation (5);
  check_isolation (1);
  check_isolation (32);
}

/* ---- process-pool-map ---- */

static void
check_map (guint       processes,
           guint       items,
           guint       chunksize)
{
  g_autofree char *p = g_strdup_printf ("processes=%u", processes);
  g_autofree char *i = g_strdup_printf ("items=%u", items);
  g_autofree char *c = g_strdup_printf ("chunksize=%u", chunksize);
  g_autoptr(LabRunner) runner = run (&lab_exp_process_pool_map, p, i, c, "task_ms=0", NULL);
  g_autofree gint64 *result = NULL;
  g_autofree gint64 *workers = NULL;
  g_autofree gint64 *pids = NULL;
  gsize n, n_workers, n_pids;
  guint64 used = 0;

  assert_done (runner);
  result = metric_ints (runner, "result", &n);
  workers = metric_ints (runner, "worker_of_item", &n_workers);
  pids = metric_ints (runner, "pids", &n_pids);
  g_assert_cmpuint (n, ==, items);
  g_assert_cmpuint (n_workers, ==, items);
  g_assert_cmpuint (n_pids, ==, processes);
  for (gsize k = 0; k < n; k++)
    {
      g_assert_cmpint (result[k], ==, 2 * (gint64) k);
      g_assert_cmpint (workers[k], >=, 0);
      g_assert_cmpint (workers[k], <, processes);
      used |= G_GUINT64_CONSTANT (1) << workers[k];
    }
  g_assert_cmpint (test_metric_int (runner, "processes"), ==, processes);
  g_assert_cmpint (test_metric_int (runner, "chunksize"), ==,
                   chunksize > 0 ? chunksize : lab_process_pool_auto_chunksize (items, processes));
  g_assert_cmpfloat (test_metric_double (runner, "spawn_s"), >, 0);
  g_assert_cmpfloat (test_metric_double (runner, "wall_s"), >=, test_metric_double (runner, "map_s"));
  g_assert_cmpuint (count_lanes (lab_runner_get_trace (runner), LAB_LANE_PROCESS), ==, processes);
  g_assert_cmpuint (test_trace_open_spans (lab_runner_get_trace (runner)), ==, 0);
  /* With at least as many one-item chunks as workers, every worker works. */
  if (chunksize == 1 && items >= processes)
    g_assert_cmpuint (used, ==, (G_GUINT64_CONSTANT (1) << processes) - 1);
}

static void
test_pool_map (void)
{
  g_autoptr(LabRunner) runner = run (&lab_exp_process_pool_map, "items=10", NULL);
  g_autofree gint64 *result = NULL;
  const LabOutputLine *output;
  guint n_output;
  gsize n;

  /* The lecture's example, with the defaults. */
  assert_done (runner);
  result = metric_ints (runner, "result", &n);
  g_assert_cmpuint (n, ==, 10);
  for (gsize k = 0; k < n; k++)
    g_assert_cmpint (result[k], ==, 2 * (gint64) k);
  output = lab_trace_get_output (lab_runner_get_trace (runner), &n_output);
  g_assert_cmpuint (n_output, ==, 1);
  g_assert_cmpstr (lab_trace_get_string (lab_runner_get_trace (runner), output[0].label), ==,
                   "[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]");

  check_map (2, 10, 1);
  check_map (2, 10, 0);
  check_map (3, 10, 3);
  check_map (1, 7, 2);
  check_map (4, 1000, 0);
  check_map (2, 5, 100);
}

static void
test_pool_map_crash (void)
{
  g_autoptr(LabRunner) runner = run (&lab_exp_process_pool_map, "processes=2", "items=10",
                                     "chunksize=1", "crash_item=7", NULL);
  const GError *error = lab_runner_get_error (runner);

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Worker "));
  g_assert_true (g_str_has_suffix (error->message,
                                   "was killed by signal 11 (SIGSEGV) while running task 7"));
  g_assert_cmpuint (test_trace_open_spans (lab_runner_get_trace (runner)), ==, 0);
}

/* ---- a worker that stops answering ---- */

/* The run failed because one worker fell silent: the message names it (as
 * its lane does) and its task and ends with @suffix, the same words mark its
 * lane, no span is left open, and no worker process is left. */
static void
assert_stall_reported (LabRunner  *runner,
                       const char *suffix)
{
  const GError *error = lab_runner_get_error (runner);
  LabTrace *trace = lab_runner_get_trace (runner);
  guint error_marks = 0;

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_suffix (error->message, suffix));

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);
      g_autofree char *culprit = NULL;

      if (lane->kind != LAB_LANE_PROCESS)
        continue;
      test_assert_gone (lane->tid);
      culprit = g_strdup_printf ("%s stopped answering while working on ", lane->name);
      for (guint m = 0; m < lane->marks->len; m++)
        {
          const LabEvent *e = &g_array_index (lane->events, LabEvent,
                                              g_array_index (lane->marks, guint32, m));

          if (e->flags & LAB_EVENT_FLAG_ERROR)
            {
              g_assert_true (g_str_has_prefix (error->message, culprit));
              g_assert_cmpstr (lab_trace_get_string (trace, e->label), ==, error->message);
              error_marks++;
            }
        }
    }
  g_assert_cmpuint (error_marks, ==, 1);
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
  g_assert_cmpuint (test_count_children (NULL), ==, 0);
}

static void
test_pool_map_hang (void)
{
  g_autoptr(LabRunner) runner = NULL;

  /* Set before any run thread starts, and taken away after. */
  g_setenv ("LAB_WORKER_STALL_S", "0.3", TRUE);
  runner = run (&lab_exp_process_pool_map, "processes=2", "items=10", "chunksize=1",
                "task_ms=0", "hang_item=7", NULL);
  g_unsetenv ("LAB_WORKER_STALL_S");
  assert_stall_reported (runner, "task 7: no progress for 0.3 s");
}

typedef struct
{
  LabRunner *runner;
  gboolean   done;
  gint       stopped_pid;
  gboolean   gave_up;
} StallState;

static void
on_stall_finished (LabRunner *runner,
                   gpointer   user_data)
{
  ((StallState *) user_data)->done = TRUE;
}

/* Once a worker has shown a finished call on its lane, SIGSTOP it: many
 * items are still to go, so it gets (or has) one. */
static gboolean
stop_a_worker (gpointer data)
{
  StallState *state = data;
  LabTrace *trace = lab_runner_get_trace (state->runner);

  lab_runner_drain (state->runner);
  for (guint l = 0; l < lab_trace_get_n_lanes (trace) && state->stopped_pid == 0; l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      for (guint s = 0; lane->kind == LAB_LANE_PROCESS && s < lane->spans[0]->len; s++)
        if (g_array_index (lane->spans[0], LabSpan, s).state == LAB_STATE_RUNNING &&
            !g_array_index (lane->spans[0], LabSpan, s).open)
          {
            state->stopped_pid = lane->tid;
            g_assert_no_errno (kill (lane->tid, SIGSTOP));
            break;
          }
    }
  return state->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* What the watchdog is there to prevent: a run that never ends. */
static gboolean
give_up (gpointer data)
{
  StallState *state = data;

  state->gave_up = TRUE;
  lab_runner_stop (state->runner);
  return G_SOURCE_REMOVE;
}

static void
test_pool_map_stopped_worker (void)
{
  g_autoptr(LabRunner) runner = NULL;
  g_autofree char *culprit = NULL;
  StallState state = { 0 };
  guint watch, limit;

  g_setenv ("LAB_WORKER_STALL_S", "0.3", TRUE);
  runner = test_exp_runner (&lab_exp_process_pool_map, "processes=2", "items=200",
                            "chunksize=1", "task_ms=20", NULL);
  state.runner = runner;
  g_signal_connect (runner, "finished", G_CALLBACK (on_stall_finished), &state);
  lab_runner_start (runner);
  watch = g_timeout_add (1, stop_a_worker, &state);
  limit = g_timeout_add_seconds (30, give_up, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  if (!state.gave_up)
    g_source_remove (limit);
  g_source_remove (watch);
  g_unsetenv ("LAB_WORKER_STALL_S");

  g_assert_false (state.gave_up);
  g_assert_cmpint (state.stopped_pid, >, 0);
  lab_runner_drain (runner);
  assert_stall_reported (runner, ": no progress for 0.3 s");
  culprit = g_strdup_printf (" (pid %d) stopped answering", state.stopped_pid);
  g_assert_nonnull (strstr (lab_runner_get_error (runner)->message, culprit));
}

/* The helper cannot be found: the run fails, naming where it looked. */
static void
test_missing_helper (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LAB_WORKER_PATH"));
  const LabExperiment *ids[] = { &lab_exp_process_isolation, &lab_exp_process_pool_map,
                                 &lab_exp_process_sum };

  /* Set before any run thread starts, and put back after. */
  g_setenv ("LAB_WORKER_PATH", "/nonexistent/concurrency-lab-worker", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(LabRunner) runner = run (ids[i], "processes=2", NULL);
      const GError *error = lab_runner_get_error (runner);

      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "“/nonexistent/concurrency-lab-worker”"));
    }
  g_setenv ("LAB_WORKER_PATH", saved, TRUE);
}

/* ---- process-sum ---- */

/* What Pool.map sends for process-sum's parts: per part (size //
 * processes ones, the last one the rest; a part above 16 Mi numbers as
 * several), the pickle of its task tuple. */
static gint64
expected_bytes_sent (gsize size,
                     guint processes)
{
  gsize part = size / processes, max_part = (gsize) 16 * 1024 * 1024;
  g_autofree gint64 *ones = g_new (gint64, MIN (MAX (size, part), max_part) + 1);
  gint64 bytes = 0;
  guint chunk = 0;

  for (gsize i = 0; i <= MIN (MAX (size, part), max_part); i++)
    ones[i] = 1;
  for (guint w = 0; w < processes; w++)
    {
      gsize n = w + 1 < processes ? part : size - w * part;

      do
        {
          gsize piece = MIN (n, max_part);
          LabPyValue *list = lab_py_int_list_new (ones, piece);
          g_autoptr(LabPyValue) task = lab_wire_task_tuple_new (0, chunk++, LAB_WIRE_FN_SUM_ARRAY,
                                                                lab_py_tuple_new (&list, 1));
          g_autoptr(GBytes) pickle = lab_pickle_dumps (task);

          bytes += (gint64) g_bytes_get_size (pickle);
          n -= piece;
        }
      while (n > 0);
    }
  return bytes;
}

static gboolean
trace_has_label (LabTrace    *trace,
                 LabLaneKind  kind,
                 const char  *label)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind != kind)
        continue;
      for (guint i = 0; i < lane->events->len; i++)
        if (g_strcmp0 (lab_trace_get_string (trace, g_array_index (lane->events, LabEvent,
                                                                   i).label), label) == 0)
          return TRUE;
    }
  return FALSE;
}

static void
check_sum (guint       processes,
           const char *size,
           gint64      expected,
           const char *work)
{
  g_autofree char *p = g_strdup_printf ("processes=%u", processes);
  g_autoptr(LabRunner) runner = run (&lab_exp_process_sum, p, size, "repeat=2", work, NULL);
  LabChart *chart;
  LabTrace *trace;
  g_autoptr(GVariant) seq_runs = NULL;
  guint64 sent_on_main = 0;

  assert_done (runner);
  g_test_message ("%u processes, %s: sequential %.1f ms, sent data %.1f ms, sent counts %.1f ms "
                  "(sum_n alone %.1f ms), spawn %.1f ms", processes, size,
                  test_metric_double (runner, "sequential_s") * 1e3,
                  test_metric_double (runner, "pool_send_data_s") * 1e3,
                  test_metric_double (runner, "pool_send_n_s") * 1e3,
                  test_metric_double (runner, "sequential_n_s") * 1e3,
                  test_metric_double (runner, "spawn_s") * 1e3);

  /* Three correct sums (four: sum_n in one process too). */
  g_assert_cmpint (test_metric_int (runner, "sum"), ==, expected);
  g_assert_cmpint (test_metric_int (runner, "send_data_sum"), ==, expected);
  g_assert_cmpint (test_metric_int (runner, "send_n_sum"), ==, expected);
  g_assert_cmpint (test_metric_int (runner, "sequential_n_sum"), ==, expected);
  /* Every number really went through a pipe, pickled as Pool.map
   * pickles it (about two bytes for a 1). */
  g_assert_cmpint (test_metric_int (runner, "bytes_sent"), ==,
                   expected_bytes_sent ((gsize) expected, processes));
  g_assert_cmpint (test_metric_int (runner, "processes"), ==, processes);
  g_assert_cmpfloat (test_metric_double (runner, "spawn_s"), >, 0);
  g_assert_cmpfloat (test_metric_double (runner, "speedup_send_n"), >, 0);
  g_assert_cmpfloat (test_metric_double (runner, "send_data_vs_sequential"), >, 0);
  seq_runs = test_metric (runner, "sequential_runs_s", "ad");
  g_assert_cmpuint (g_variant_n_children (seq_runs), ==, 2);

  /* The chart: the three ways and the pool's start-up, six segments each
   * that add up, with whiskers. */
  chart = lab_runner_get_chart (runner);
  g_assert_nonnull (chart);
  g_assert_cmpint (lab_chart_get_kind (chart), ==, LAB_CHART_BARS);
  g_assert_cmpuint (lab_chart_get_n_bars (chart), ==, 4);
  g_assert_cmpuint (lab_chart_get_n_segments (chart), ==, 6);
  g_assert_cmpstr (lab_chart_get_segment (chart, 1), ==, "serialise");
  g_assert_cmpstr (lab_chart_get_segment (chart, 3), ==, "deserialise");
  g_assert_cmpstr (lab_chart_get_group (chart, 0), ==, "sequential");
  g_assert_cmpstr (lab_chart_get_group (chart, 1), ==, "pool, sent the data");
  g_assert_cmpstr (lab_chart_get_group (chart, 2), ==, "pool, sent only counts");
  g_assert_cmpstr (lab_chart_get_group (chart, 3), ==, "starting the pool");
  for (guint b = 0; b < 4; b++)
    {
      LabChartBar bar;
      double total = 0;

      g_assert_true (lab_chart_get_bar (chart, b, &bar));
      for (guint s = 0; s < 6; s++)
        {
          double v = lab_chart_get_bar_segment (chart, b, s);

          g_assert_cmpfloat (v, >=, 0);
          total += v;
        }
      g_assert_cmpfloat (fabs (total - bar.value), <, 1e-6 + 1e-9 * bar.value);
      g_assert_cmpfloat (bar.min, <=, bar.value);
      g_assert_cmpfloat (bar.max, >=, bar.value);
    }
  /* The bars are the cards' numbers; start-up is a bar of its own, not
   * added to the pool's maps. */
  {
    static const char * const keys[] = { "sequential_s", "pool_send_data_s", "pool_send_n_s", "spawn_s" };

    for (guint b = 0; b < G_N_ELEMENTS (keys); b++)
      {
        LabChartBar bar;

        g_assert_true (lab_chart_get_bar (chart, b, &bar));
        g_assert_cmpfloat (fabs (bar.value - test_metric_double (runner, keys[b])), <, 1e-9);
        g_assert_cmpfloat (lab_chart_get_bar_segment (chart, b, 0), ==, b == 3 ? bar.value : 0);
      }
  }
  /* Only the pool bars pickle, and sending the data always does. */
  g_assert_cmpfloat (lab_chart_get_bar_segment (chart, 0, 1), ==, 0);
  g_assert_cmpfloat (lab_chart_get_bar_segment (chart, 0, 3), ==, 0);
  g_assert_cmpfloat (lab_chart_get_bar_segment (chart, 1, 1), >, 0);
  g_assert_cmpfloat (lab_chart_get_bar_segment (chart, 1, 3), >, 0);

  /* The timeline: the parent's SENDING spans carry the bytes (every
   * pickle, twice: two repeats, plus the frames' own bytes), and both
   * sides' pickling is there as spans. */
  trace = lab_runner_get_trace (runner);
  g_assert_cmpuint (count_lanes (trace, LAB_LANE_PROCESS), ==, processes);
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    {
      const LabTraceLane *main_lane = lab_trace_get_lane (trace, 0);

      for (guint s = 0; s < main_lane->spans[d]->len; s++)
        {
          const LabSpan *span = &g_array_index (main_lane->spans[d], LabSpan, s);

          if (span->state == LAB_STATE_SENDING)
            sent_on_main += (guint64) g_array_index (main_lane->events, LabEvent,
                                                     span->begin_index).value;
        }
    }
  g_assert_cmpuint (sent_on_main, >=, 2 * (guint64) test_metric_int (runner, "bytes_sent"));
  g_assert_true (trace_has_label (trace, LAB_LANE_MAIN, "pickle.dumps(task)"));
  g_assert_true (trace_has_label (trace, LAB_LANE_MAIN, "pickle.loads(result)"));
  g_assert_true (trace_has_label (trace, LAB_LANE_PROCESS, "pickle.loads(task)"));
  g_assert_true (trace_has_label (trace, LAB_LANE_PROCESS, "pickle.dumps(result)"));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
}

static void
test_sum (void)
{
  /* A worker unpickles its task in one go, with no sign of life: a part
   * of 16 Mi numbers took more than the watchdog's 10 s under
   * ThreadSanitizer on a loaded machine, and the worker was killed as
   * hung. What is checked here are the sums (the hang and stopped-worker
   * tests check the watchdog): the limit is an hour. Set before any run
   * thread starts, and taken away after. */
  g_setenv ("LAB_WORKER_STALL_S", "3600", TRUE);
  /* 1 000 003 is prime: no process count divides it. */
  check_sum (2, "size=1000003", 1000003, "interpreter_work=2");
  check_sum (1, "size=1000003", 1000003, "interpreter_work=0");
  check_sum (3, "size=1000003", 1000003, "interpreter_work=1");
  /* Fewer numbers than processes: some get nothing. */
  check_sum (3, "size=2", 2, "interpreter_work=2");
  /* A part too big for one message is sent as several. */
  check_sum (1, "size=16777221", 16777221, "interpreter_work=0");
  g_unsetenv ("LAB_WORKER_STALL_S");
}

static void
test_sum_too_large (void)
{
  g_autoptr(LabRunner) runner = run (&lab_exp_process_sum, "size=10000000",
                                     "max_memory_mb=100", NULL);
  const GError *error = lab_runner_get_error (runner);

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "size: 10\u00a0000\u00a0000 numbers need 160.0"));
}

/* ---- Stop in the middle of a transfer ---- */

/* TRUE while the parent's lane has a SENDING span of megabytes open. */
static gboolean
sending_now (LabTrace *trace)
{
  const LabTraceLane *main_lane;

  if (lab_trace_get_n_lanes (trace) == 0)
    return FALSE;
  main_lane = lab_trace_get_lane (trace, 0);
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    {
      GArray *spans = main_lane->spans[d];
      const LabSpan *last;

      if (spans->len == 0)
        continue;
      last = &g_array_index (spans, LabSpan, spans->len - 1);
      if (last->open && last->state == LAB_STATE_SENDING &&
          g_array_index (main_lane->events, LabEvent, last->begin_index).value > 1000000)
        return TRUE;
    }
  return FALSE;
}

static gboolean
watch_transfer (gpointer data)
{
  TestStop *stop = data;

  lab_runner_drain (stop->runner);
  if (stop->stopped_at == 0 && sending_now (lab_runner_get_trace (stop->runner)))
    test_stop_press (stop);
  return stop->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
test_sum_stop (void)
{
  /* 160 MB to one worker: a transfer of a good fraction of a second. */
  g_autoptr(LabRunner) runner = test_exp_runner (&lab_exp_process_sum, "processes=1",
                                                 "size=20000000", "interpreter_work=0",
                                                 "repeat=20", NULL);
  double latency_ms;

  latency_ms = test_exp_stop (runner, 1, watch_transfer);
  g_test_message ("Stop during a transfer: finished %.1f ms later", latency_ms);
  g_assert_cmpuint (test_count_children (NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/multiprocessing/contract", test_contract);
  g_test_add_func ("/multiprocessing/isolation", test_isolation);
  g_test_add_func ("/multiprocessing/pool-map", test_pool_map);
  g_test_add_func ("/multiprocessing/pool-map/crash", test_pool_map_crash);
  g_test_add_func ("/multiprocessing/pool-map/hang", test_pool_map_hang);
  g_test_add_func ("/multiprocessing/pool-map/stopped-worker", test_pool_map_stopped_worker);
  g_test_add_func ("/multiprocessing/missing-helper", test_missing_helper);
  g_test_add_func ("/multiprocessing/sum", test_sum);
  g_test_add_func ("/multiprocessing/sum/too-large", test_sum_too_large);
  g_test_add_func ("/multiprocessing/sum/stop", test_sum_stop);

  return g_test_run ();
}
