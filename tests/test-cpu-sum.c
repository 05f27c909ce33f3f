/* test-cpu-sum.c — threads-cpu-sum: correct sums, the emulated GIL's
 * mutual exclusion on the timeline, free-threaded overlap, refusal of
 * arrays that do not fit, and Stop.
 *
 * Timing is asserted by shape only (the machine is shared); the numbers are
 * printed as test messages and measured for real by bench-gil.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "lab-experiments.h"
#include "lab-runner.h"
#include "test-exp-util.h"

/* ---- helpers ---- */

/* Lanes of @kind, in order. */
static GPtrArray *
lanes_of_kind (LabTrace    *trace,
               LabLaneKind  kind)
{
  GPtrArray *lanes = g_ptr_array_new ();

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    if (lab_trace_get_lane (trace, l)->kind == kind)
      g_ptr_array_add (lanes, (gpointer) lab_trace_get_lane (trace, l));
  return lanes;
}

/* Appends the spans of @state on @lane (any depth) to @out. */
static void
collect_spans (const LabTraceLane *lane,
               LabState            state,
               GArray             *out)
{
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      {
        const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

        if (span->state == state)
          g_array_append_val (out, *span);
      }
}

static int
compare_span_start (gconstpointer a,
                    gconstpointer b)
{
  const LabSpan *x = a, *y = b;

  return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

/* TRUE if any two of @spans overlap (sorts them). */
static gboolean
spans_overlap (GArray *spans)
{
  g_array_sort (spans, compare_span_start);
  for (guint i = 1; i < spans->len; i++)
    if (g_array_index (spans, LabSpan, i).start_ns < g_array_index (spans, LabSpan, i - 1).end_ns)
      return TRUE;
  return FALSE;
}

/* ---- tests ---- */

static void
test_contract (void)
{
  const LabExperiment *e = lab_experiments_find ("threads-cpu-sum");
  g_autoptr(LabParams) params = NULL;

  g_assert_true (e == &lab_exp_threads_cpu_sum);
  g_assert_cmpint (e->topic, ==, LAB_TOPIC_THREADS);
  params = lab_params_new (e->params, e->n_params);

  /* The keys and defaults of EXPERIMENTS.md. */
  g_assert_cmpint (lab_params_get_int (params, "threads"), ==, 2);
  g_assert_true (lab_params_get_bool (params, "gil"));
  g_assert_cmpfloat (lab_params_get_double (params, "switch_interval_ms"), ==, 5.0);
  g_assert_cmpint (lab_params_get_int (params, "size"), ==, 10000000);
  g_assert_cmpint (lab_params_get_int (params, "repeat"), ==, 3);
  g_assert_true (lab_params_find_spec (params, "threads")->flags & LAB_PARAM_FLAG_SWEEPABLE);

  test_assert_out_of_range (params, "threads", "65");
  test_assert_out_of_range (params, "switch_interval_ms", "0.05");
  test_assert_out_of_range (params, "size", "200000001");
  test_assert_out_of_range (params, "repeat", "21");
}

static void
check_sum (guint    n_threads,
           gboolean gil,
           guint    size,
           guint    repeat)
{
  g_autofree char *threads = g_strdup_printf ("threads=%u", n_threads);
  g_autofree char *size_text = g_strdup_printf ("size=%u", size);
  g_autofree char *repeat_text = g_strdup_printf ("repeat=%u", repeat);
  g_autoptr(LabRunner) runner = test_exp_run (&lab_exp_threads_cpu_sum, threads, size_text, repeat_text,
                                         gil ? "gil=true" : "gil=false",
                                         "switch_interval_ms=1", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GVariant) waits = test_metric (runner, "gil_wait_s", "ad");
  g_autoptr(GVariant) seq_runs = test_metric (runner, "sequential_runs_s", "ad");
  g_autoptr(GVariant) thr_runs = test_metric (runner, "threaded_runs_s", "ad");
  g_autoptr(GPtrArray) threads_lanes = lanes_of_kind (trace, LAB_LANE_THREAD);
  g_autoptr(GPtrArray) gil_lanes = lanes_of_kind (trace, LAB_LANE_RESOURCE);
  const LabFlowArrow *flows;
  guint n_flows, n_puts = 0, n_output;

  g_test_message ("%u threads, GIL %s, size %u: sequential %.2f ms, threaded %.2f ms, "
                  "%" G_GINT64_FORMAT " switches", n_threads, gil ? "on" : "off", size,
                  test_metric_double (runner, "sequential_s") * 1e3,
                  test_metric_double (runner, "threaded_s") * 1e3,
                  test_metric_int (runner, "gil_switches"));

  g_assert_cmpint (test_metric_int (runner, "sum"), ==, size);
  g_assert_cmpfloat (test_metric_double (runner, "sequential_s"), >, 0);
  g_assert_cmpfloat (test_metric_double (runner, "threaded_s"), >, 0);
  g_assert_cmpfloat_with_epsilon (test_metric_double (runner, "speedup"),
                                  test_metric_double (runner, "sequential_s") /
                                  test_metric_double (runner, "threaded_s"), 1e-9);
  g_assert_cmpuint (g_variant_n_children (waits), ==, n_threads);
  g_assert_cmpuint (g_variant_n_children (seq_runs), ==, repeat);
  g_assert_cmpuint (g_variant_n_children (thr_runs), ==, repeat);
  g_assert_cmpfloat (test_metric_double (runner, "gil_wait_total_s"), >=, 0);
  if (!gil)
    {
      g_assert_cmpint (test_metric_int (runner, "gil_switches"), ==, 0);
      g_assert_cmpfloat (test_metric_double (runner, "gil_wait_total_s"), ==, 0);
    }

  /* One lane per thread, a GIL lane only with the GIL, all spans closed. */
  g_assert_cmpuint (threads_lanes->len, ==, n_threads);
  g_assert_cmpuint (gil_lanes->len, ==, gil ? 1 : 0);
  if (gil)
    g_assert_cmpstr (((LabTraceLane *) gil_lanes->pdata[0])->name, ==, "GIL");
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* Every partial sum goes from its thread's put to the main thread's get. */
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    {
      const LabTraceLane *to = lab_trace_get_lane (trace, flows[f].to_lane);
      const LabEvent *get = &g_array_index (to->events, LabEvent, flows[f].to_index);

      /* The main thread runs Python too: GIL hand-overs can end on its lane. */
      if (to->kind == LAB_LANE_MAIN &&
          g_str_has_prefix (lab_trace_get_string (trace, get->label), "got "))
        {
          const LabTraceLane *from = lab_trace_get_lane (trace, flows[f].from_lane);
          const LabEvent *put = &g_array_index (from->events, LabEvent, flows[f].from_index);

          g_assert_cmpint (from->kind, ==, LAB_LANE_THREAD);
          g_assert_true (g_str_has_prefix (lab_trace_get_string (trace, put->label),
                                           "results.put("));
          n_puts++;
        }
    }
  g_assert_cmpuint (n_puts, ==, n_threads * repeat);

  /* Two printed lines per repeat, both with the right sum. */
  {
    const LabOutputLine *output = lab_trace_get_output (trace, &n_output);
    g_autofree char *needle = g_strdup_printf (" = %u in ", size);

    g_assert_cmpuint (n_output, ==, 2 * repeat);
    for (guint k = 0; k < n_output; k++)
      g_assert_nonnull (strstr (lab_trace_get_string (trace, output[k].label), needle));
  }
}

static void
test_sums (void)
{
  static const guint thread_counts[] = { 1, 2, 3, 7 };

  for (guint t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    for (int gil = 0; gil <= 1; gil++)
      {
        /* 100 003 is prime: no thread count divides it. */
        check_sum (thread_counts[t], gil, 100003, 2);
        /* Fewer elements than threads: some threads sum nothing. */
        check_sum (thread_counts[t], gil, 5, 1);
      }
  check_sum (2, TRUE, 1, 1);
  /* Many threads under the GIL still finish (and sum correctly). */
  check_sum (64, TRUE, 200003, 1);
}

/* Under the GIL, no two threads compute at the same time; each compute
 * slice lies within a hold of the GIL by that thread. */
static void
test_gil_exclusive (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (&lab_exp_threads_cpu_sum, "threads=2", "gil=true", "switch_interval_ms=0.5",
                                         "size=4000000", "repeat=1", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GPtrArray) threads = lanes_of_kind (trace, LAB_LANE_THREAD);
  g_autoptr(GPtrArray) gil_lanes = lanes_of_kind (trace, LAB_LANE_RESOURCE);
  g_autoptr(GArray) running = g_array_new (FALSE, FALSE, sizeof (LabSpan));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (LabSpan));
  const LabTraceLane *gil_lane;
  const LabFlowArrow *flows;
  guint n_flows, n_handovers = 0, n_gil_waits = 0;
  gint64 switches = test_metric_int (runner, "gil_switches");

  g_test_message ("GIL, 0.5 ms interval: %" G_GINT64_FORMAT " switches, "
                  "hand-over %.1f µs, waited %.1f ms", switches,
                  test_metric_double (runner, "gil_handoff_s") * 1e6,
                  test_metric_double (runner, "gil_wait_total_s") * 1e3);
  g_assert_cmpint (test_metric_int (runner, "sum"), ==, 4000000);
  g_assert_cmpint (switches, >=, 1);
  g_assert_cmpfloat (test_metric_double (runner, "gil_wait_total_s"), >, 0);

  /* RUNNING spans of every lane (main thread included) never overlap. */
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    collect_spans (lab_trace_get_lane (trace, l), LAB_STATE_RUNNING, running);
  g_assert_cmpuint (running->len, >=, 2 + 2);
  g_assert_false (spans_overlap (running));

  /* The GIL lane: holds that never overlap, each naming its holder, and
   * each thread's slices inside its own holds. */
  g_assert_cmpuint (gil_lanes->len, ==, 1);
  gil_lane = gil_lanes->pdata[0];
  collect_spans (gil_lane, LAB_STATE_LOCK_HELD, held);
  g_assert_false (spans_overlap (held));
  for (guint t = 0; t < threads->len; t++)
    {
      const LabTraceLane *lane = threads->pdata[t];
      g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (LabSpan));
      g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (LabSpan));

      collect_spans (lane, LAB_STATE_RUNNING, slices);
      collect_spans (lane, LAB_STATE_GIL_WAIT, waits);
      g_assert_cmpuint (slices->len, >=, 1);
      n_gil_waits += waits->len;

      for (guint s = 0; s < slices->len; s++)
        {
          const LabSpan *slice = &g_array_index (slices, LabSpan, s);
          gboolean inside = FALSE;

          for (guint h = 0; h < held->len && !inside; h++)
            {
              const LabSpan *hold = &g_array_index (held, LabSpan, h);

              inside = hold->start_ns <= slice->start_ns && slice->end_ns <= hold->end_ns &&
                       g_strcmp0 (lab_trace_get_string (trace, hold->label), lane->name) == 0;
            }
          g_assert_true (inside);
        }
    }
  g_assert_cmpuint (n_gil_waits, >=, 1);

  /* Hand-overs are arrows from one thread to the other. */
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    if (lab_trace_get_lane (trace, flows[f].from_lane)->kind == LAB_LANE_THREAD &&
        lab_trace_get_lane (trace, flows[f].to_lane)->kind == LAB_LANE_THREAD)
      {
        g_assert_cmpuint (flows[f].from_lane, !=, flows[f].to_lane);
        n_handovers++;
      }
  g_assert_cmpuint (n_handovers, >=, 1);
}

/* Without the GIL the threads' compute spans run side by side. */
static void
test_free_threaded (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (&lab_exp_threads_cpu_sum, "threads=2", "gil=false", "size=4000000",
                                         "repeat=1", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GPtrArray) threads = lanes_of_kind (trace, LAB_LANE_THREAD);
  g_autoptr(GArray) running = g_array_new (FALSE, FALSE, sizeof (LabSpan));

  g_test_message ("free-threaded: speed-up %.2f", test_metric_double (runner, "speedup"));
  g_assert_cmpint (test_metric_int (runner, "sum"), ==, 4000000);
  g_assert_cmpint (test_metric_int (runner, "gil_switches"), ==, 0);

  for (guint t = 0; t < threads->len; t++)
    {
      g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (LabSpan));

      collect_spans (threads->pdata[t], LAB_STATE_RUNNING, running);
      collect_spans (threads->pdata[t], LAB_STATE_GIL_WAIT, waits);
      g_assert_cmpuint (waits->len, ==, 0);
    }
  /* One slice per thread, from start to end: nothing hands anything over. */
  g_assert_cmpuint (running->len, ==, 2);
  g_assert_true (spans_overlap (running));
}

static void
test_refused_size (void)
{
  const LabExperiment *e = &lab_exp_threads_cpu_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  const GError *run_error;

  /* 1 000 000 numbers are 8 MB; pretend that only 1 MB is free. */
  g_assert_true (lab_params_parse (params, "size", "1000000", &error));
  g_assert_true (lab_params_parse (params, "max_memory_mb", "1", &error));
  g_assert_no_error (error);

  runner = lab_runner_new (e, params);
  g_assert_false (lab_runner_run_sync (runner, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  run_error = lab_runner_get_error (runner);
  g_assert_nonnull (run_error);
  g_test_message ("refused: %s", run_error->message);
  g_assert_true (g_str_has_prefix (run_error->message, "size: 1"));
  g_assert_nonnull (strstr (run_error->message, "000"));
  /* "8.0 MB", with whatever space g_format_size() puts in. */
  g_assert_nonnull (strstr (run_error->message, "8.0"));
  g_assert_nonnull (strstr (run_error->message, "MB"));
  g_assert_cmpuint (test_trace_open_spans (lab_runner_get_trace (runner)), ==, 0);
}

static void
test_stop (void)
{
  const LabExperiment *e = &lab_exp_threads_cpu_sum;

  /* Twenty repeats of the default size: seconds of work, ended by Stop.
   * Early (filling or the sequential sum) and later (most likely in a
   * threaded sum), with and without the GIL. */
  test_exp_check_stop (e, 100, "gil=true", "threads=2", "repeat=20", NULL);
  test_exp_check_stop (e, 400, "gil=true", "threads=2", "repeat=20", NULL);
  test_exp_check_stop (e, 400, "gil=false", "threads=2", "repeat=20", NULL);
  test_exp_check_stop (e, 300, "gil=true", "threads=64", "repeat=20", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cpu-sum/contract", test_contract);
  g_test_add_func ("/cpu-sum/sums", test_sums);
  g_test_add_func ("/cpu-sum/gil/exclusive", test_gil_exclusive);
  g_test_add_func ("/cpu-sum/free-threaded", test_free_threaded);
  g_test_add_func ("/cpu-sum/refused-size", test_refused_size);
  g_test_add_func ("/cpu-sum/stop", test_stop);

  return g_test_run ();
}
