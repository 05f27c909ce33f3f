/* bench-gil.c — CPU-bound threads with and without the emulated GIL.
 *
 * Runs threads-cpu-sum with 2 threads on the catalogue's default size
 * (10 000 000) and the default switch interval (5 ms), five repeats each,
 * and prints KEY: VALUE lines, all measured in this one run:
 *   gil_on_speedup      sequential / threaded median, GIL on  (target 0.9–1.1)
 *   gil_off_speedup     the same, free-threaded               (target ≥ 1.8)
 *   gil_handoff_ms      median time from a drop request to the hand-over
 *   gil_switches        hand-overs in the median GIL-on threaded run
 *   gil_switch_every_ms threaded time / hand-overs (≈ the switch interval)
 *   *_sequential_ms, *_threaded_ms   the medians behind the speed-ups
 *   default_run_s       wall time of one run with every default (3 repeats)
 *   cpus, load_avg_1min the machine the numbers come from: the targets
 *                       assume two otherwise idle cores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdio.h>

#include "lab-experiments.h"
#include "lab-runner.h"

static LabRunner *
run_sum (const char * const *assignments)
{
  const LabExperiment *e = &lab_exp_threads_cpu_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;
  LabRunner *runner;

  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    if (!lab_params_parse_assignment (params, assignments[i], &error))
      g_error ("%s: %s", assignments[i], error->message);

  runner = lab_runner_new (e, params);
  if (!lab_runner_run_sync (runner, &error))
    g_error ("threads-cpu-sum failed: %s", error->message);
  return runner;
}

int
main (int    argc,
      char **argv)
{
  static const char * const gil_on[] = { "threads=2", "gil=true", "repeat=5", NULL };
  static const char * const gil_off[] = { "threads=2", "gil=false", "repeat=5", NULL };
  g_autoptr(LabRunner) on = NULL;
  g_autoptr(LabRunner) off = NULL;
  g_autoptr(LabRunner) defaults = NULL;
  double switches;

  bench_print_machine ();

  on = run_sum (gil_on);
  off = run_sum (gil_off);
  defaults = run_sum (NULL);

  switches = bench_metric (on, "gil_switches");
  printf ("gil_on_sequential_ms: %.1f\n", bench_metric (on, "sequential_s") * 1e3);
  printf ("gil_on_threaded_ms: %.1f\n", bench_metric (on, "threaded_s") * 1e3);
  printf ("gil_on_speedup: %.3f\n", bench_metric (on, "speedup"));
  printf ("gil_off_sequential_ms: %.1f\n", bench_metric (off, "sequential_s") * 1e3);
  printf ("gil_off_threaded_ms: %.1f\n", bench_metric (off, "threaded_s") * 1e3);
  printf ("gil_off_speedup: %.3f\n", bench_metric (off, "speedup"));
  printf ("gil_handoff_ms: %.4f\n", bench_metric (on, "gil_handoff_s") * 1e3);
  printf ("gil_switches: %.0f\n", switches);
  printf ("gil_switch_every_ms: %.2f\n",
          switches > 0 ? bench_metric (on, "threaded_s") * 1e3 / switches : 0.0);
  printf ("gil_wait_total_ms: %.1f\n", bench_metric (on, "gil_wait_total_s") * 1e3);
  printf ("default_run_s: %.3f\n", lab_runner_get_elapsed_s (defaults));

  return 0;
}
