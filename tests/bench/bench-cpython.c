/* bench-cpython.c — what the CPython engine costs and sees: a listing run
 * by lab_py_engine_run(), under the tracer and the /proc sampler.
 *
 * Prints KEY: VALUE lines, all measured in this one run:
 *   tracer_overhead_ns_per_call  a loop of Python calls timed by the program
 *                                itself, traced minus untraced, per call
 *                                (median of 3 each)
 *   cpython_events_per_s         events of that traced loop recorded per
 *                                second of the traced program's run
 *   cpython_gil_switches_per_s   two CPU-bound threads at the default switch
 *                                interval (5 ms): sampler hand-overs / wall
 *                                time (CPython: about 200)
 *   sampler_hz                   samples a second achieved (asked: 1000) on
 *                                a traced program with 8 busy threads
 *   cpython_stop_ms              Stop on a program that loops forever: from
 *                                the cancel to lab_py_trace_run() returning
 *                                with every process gone (median of 5;
 *                                the target is 200 ms)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "lab-py-engine.h"
#include "lab-py-trace.h"
#include "lab-time.h"
#include "../test-proc-util.h"

#define PYTHON  "/usr/bin/python3"
#define CALLS   200000
#define ROUNDS  3
#define STOPS   5

static const LabMetricSpec bench_metrics[] = {
  { "loop_s",  "Loop",      LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "wall_s",  "Wall time", LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
};

static const char * const bench_results[] = {
  "{} calls in {loop_s} s",
  NULL
};

/* A listing made for the benchmark, read back like an experiment's. */
static LabExperiment
bench_experiment (const char *id,
                  const char *code)
{
  return (LabExperiment) {
    .id = id,
    .code = code,
    .metrics = bench_metrics,
    .n_metrics = G_N_ELEMENTS (bench_metrics),
    .code_results = bench_results,
  };
}

static const char calls_program[] =
  "import time\n"
  "CALLS = " G_STRINGIFY (CALLS) "\n"
  "def work(x):\n"
  "    return x + 1\n"
  "start = time.perf_counter()\n"
  "for n in range(CALLS):\n"
  "    work(n)\n"
  "print(f'{CALLS} calls in {time.perf_counter() - start:.6f} s')\n";

static const char gil_program[] =
  "import threading, time\n"
  "def busy():\n"
  "    end = time.monotonic() + 2.0\n"
  "    while time.monotonic() < end:\n"
  "        pass\n"
  "ts = [threading.Thread(target=busy) for _ in range(2)]\n"
  "for t in ts: t.start()\n"
  "for t in ts: t.join()\n";

static const char eight_program[] =
  "import threading, time\n"
  "def busy():\n"
  "    end = time.monotonic() + 1.0\n"
  "    while time.monotonic() < end:\n"
  "        time.sleep(0)\n"
  "ts = [threading.Thread(target=busy) for _ in range(8)]\n"
  "for t in ts: t.start()\n"
  "for t in ts: t.join()\n";

/* Runs @experiment's listing through the engine; its metrics and the
 * number of events it recorded. */
static GVariant *
run_engine (const LabExperiment *experiment,
            guint64             *n_events)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  g_autoptr(GError) error = NULL;
  GVariant *metrics = lab_py_engine_run (experiment, NULL, PYTHON, recorder, NULL, &error);

  g_assert_no_error (error);
  lab_recorder_drain (recorder, trace);
  if (n_events != NULL)
    *n_events = lab_trace_get_n_events (trace) + lab_trace_get_dropped (trace);
  return g_variant_ref_sink (metrics);
}

/* The same listing with python3 alone: the loop's own time. */
static double
run_untraced (const LabExperiment *experiment)
{
  g_autofree char *code = lab_experiment_dup_code (experiment, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                    &error, PYTHON, "-", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GVariant) metrics = NULL;
  double loop_s = 0;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (python, code, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  metrics = g_variant_ref_sink (lab_py_engine_parse_output (experiment, out));
  g_assert_true (g_variant_lookup (metrics, "loop_s", "d", &loop_s));
  return loop_s;
}

/* Milliseconds from Stop to the end of a run of "while True: pass". */
static double
stop_ms (const char *program)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TestStopLater stop = { cancellable, 0 };
  GThread *thread = g_thread_new ("stop-later", test_stop_later, &stop);
  gboolean ok;
  gint64 end_ns;

  ok = lab_py_trace_run (PYTHON, program, NULL, recorder, cancellable, &error);
  end_ns = lab_clock_now_ns ();
  g_thread_join (thread);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  return (end_ns - stop.cancelled_ns) / 1e6;
}

int
main (void)
{
  LabExperiment calls = bench_experiment ("bench-calls", calls_program);
  LabExperiment gil = bench_experiment ("bench-gil-switches", gil_program);
  LabExperiment eight = bench_experiment ("bench-eight-threads", eight_program);
  double traced[ROUNDS], untraced[ROUNDS], events_per_s[ROUNDS];
  g_autoptr(GVariant) gil_metrics = NULL;
  g_autoptr(GVariant) eight_metrics = NULL;

  bench_print_machine ();
  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("skipped: %s is not installed\n", PYTHON);
      return 0;
    }

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GVariant) metrics = NULL;
      guint64 n_events = 0;

      untraced[r] = run_untraced (&calls);
      metrics = run_engine (&calls, &n_events);
      traced[r] = bench_metric_of (metrics, "loop_s");
      /* The program's own wall time, start-up included: what a run costs. */
      events_per_s[r] = n_events / bench_metric_of (metrics, "wall_s");
    }
  printf ("tracer_overhead_ns_per_call: %.0f\n",
          (bench_median (traced, ROUNDS) - bench_median (untraced, ROUNDS)) * 1e9 / CALLS);
  printf ("cpython_events_per_s: %.0f\n", bench_median (events_per_s, ROUNDS));

  gil_metrics = run_engine (&gil, NULL);
  printf ("cpython_gil_switches_per_s: %.0f\n",
          bench_metric_of (gil_metrics, "handovers") / bench_metric_of (gil_metrics, "wall_s"));

  eight_metrics = run_engine (&eight, NULL);
  printf ("sampler_hz: %.0f\n", bench_metric_of (eight_metrics, "sampler_hz"));

  {
    g_autofree char *dir = g_dir_make_tmp ("bench-stop-XXXXXX", NULL);
    g_autofree char *forever = g_build_filename (dir, "forever.py", NULL);
    double stops[STOPS];

    g_assert_true (g_file_set_contents (forever, "while True:\n    pass\n", -1, NULL));
    for (guint r = 0; r < STOPS; r++)
      stops[r] = stop_ms (forever);
    printf ("cpython_stop_ms: %.1f\n", bench_median (stops, STOPS));
    g_unlink (forever);
    g_rmdir (dir);
  }
  return 0;
}
