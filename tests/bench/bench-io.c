/* bench-io.c — IO-bound requests: one after another, six threads, and an
 * event loop on one thread.
 *
 * Runs threads-io-fetch on six pages of the built-in loopback server that
 * each wait 300 ms (no spread), three times per concurrent mode, and prints
 * KEY: VALUE lines, all measured in this one run (medians of the repeats):
 *   io_sequential_s        six requests one after another (≈ 6 × 0.3 s)
 *   io_threads_s           the same six with six threads
 *   io_event_loop_s        the same six on one thread with curl's multi API
 *   io_speedup_threads     io_sequential_s / io_threads_s     (target ≥ 5)
 *   io_speedup_event_loop  io_sequential_s / io_event_loop_s  (target ≥ 5)
 *   io_failed              requests that failed (target 0)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdlib.h>

#include "lab-experiments.h"
#include "lab-runner.h"

#define REPEATS 3

/* One run of six 300 ms pages in @mode: the sequential and the concurrent
 * wall times, and the failures. */
static void
run_once (const char *mode,
          double     *sequential_s,
          double     *concurrent_s,
          gint64     *failed)
{
  const LabExperiment *e = &lab_exp_threads_io_fetch;
  const char *assignments[] = {
    "pages=6", "threads=6", "delay_ms=300", "spread=false", "urls=", mode, NULL
  };
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; assignments[i] != NULL; i++)
    if (!lab_params_parse_assignment (params, assignments[i], &error))
      g_error ("%s: %s", assignments[i], error->message);

  runner = lab_runner_new (e, params);
  if (!lab_runner_run_sync (runner, &error))
    g_error ("threads-io-fetch failed: %s", error->message);

  *sequential_s = bench_metric (runner, "sequential_s");
  *concurrent_s = bench_metric (runner, "concurrent_s");
  *failed += (gint64) bench_metric (runner, "failed");
}

int
main (int   argc,
      char *argv[])
{
  double sequential[2 * REPEATS], threads[REPEATS], event_loop[REPEATS];
  double sequential_s, threads_s, event_loop_s;
  gint64 failed = 0;

  for (guint r = 0; r < REPEATS; r++)
    {
      run_once ("mode=threads", &sequential[2 * r], &threads[r], &failed);
      run_once ("mode=event-loop", &sequential[2 * r + 1], &event_loop[r], &failed);
    }

  sequential_s = bench_median_upper (sequential, 2 * REPEATS);
  threads_s = bench_median_upper (threads, REPEATS);
  event_loop_s = bench_median_upper (event_loop, REPEATS);

  g_print ("io_sequential_s: %.3f\n", sequential_s);
  g_print ("io_threads_s: %.3f\n", threads_s);
  g_print ("io_event_loop_s: %.3f\n", event_loop_s);
  g_print ("io_speedup_threads: %.2f\n", sequential_s / threads_s);
  g_print ("io_speedup_event_loop: %.2f\n", sequential_s / event_loop_s);
  g_print ("io_failed: %" G_GINT64_FORMAT "\n", failed);

  return failed == 0 ? 0 : 1;
}
