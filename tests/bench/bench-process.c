/* bench-process.c — worker processes: starting them, pushing bytes through
 * their pipes, and the process-sum experiment's lesson, measured in this
 * one run. Prints KEY: VALUE lines:
 *
 *   spawn_ms_per_worker   start-up of a pool of 4 (exec to READY), per
 *                         worker, median of 15 pools        (target ≤ 2)
 *   spawn_ms_pool_1       the same for a pool of one worker
 *   start_ms_per_process_spawn, _fork, _forkserver
 *                         a pool of 4 started with each start method: the
 *                         mean of its workers' starts (request to READY),
 *                         median of 15 pools; fork and forkserver fork from
 *                         the fork server, whose own start is not in it
 *   round_trip_us         one task to one worker and its result back, median
 *   tasks_per_s           10 000 one-item tasks through 2 workers
 *   pipe_mb_per_s         64 MiB of int64 sent to one worker: bytes / time
 *                         until the last byte was written, median of 5
 *   stop_ms               Stop during a map until every worker is reaped
 *                         (the contract: ≤ 200), worst of 5
 *   process_sum_sequential_ms, process_sum_send_data_ms,
 *   process_sum_send_n_ms, process_sum_sequential_n_ms
 *                         process-sum with 2 processes and the defaults
 *                         otherwise, 5 repeats: the medians
 *   process_sum_send_data_vs_sequential   sent the data / sequential
 *                                          (expected > 1: slower)
 *   process_sum_send_n_speedup            sum_n alone / sent counts
 *                                          (expected > 1 with 2 cores)
 *   model_vs_cpython_*    process-sum's four ways (size 4 000 000, 2
 *                         processes, best of 3) in the model and in
 *                         /usr/bin/python3 (multiprocessing.Pool, spawn)
 *                         in this one run, each normalised to its own
 *                         sequential sum: *_sequential_n, *_send_data,
 *                         *_send_n as "model cpython", and *_bytes_sent
 *                         (the task pickles' sizes) likewise
 *   cpus, load_avg_1min   the machine the numbers come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "lab-experiments.h"
#include "lab-process-pool.h"
#include "lab-runner.h"

static LabProcessPool *
new_pool (guint         n_workers,
          GCancellable *cancellable)
{
  LabProcessPoolOptions options = { .n_workers = n_workers };
  g_autoptr(GError) error = NULL;
  LabProcessPool *pool = lab_process_pool_new (&options, NULL, NULL, cancellable, &error);

  if (pool == NULL)
    g_error ("could not start a pool: %s", error->message);
  return pool;
}

static void
map_or_die (LabProcessPool   *pool,
            const LabPoolMap *map,
            LabPoolMapResult *result)
{
  g_autoptr(GError) error = NULL;

  if (!lab_process_pool_map (pool, map, result, &error))
    g_error ("map failed: %s", error->message);
}

static double
spawn_ms_per_worker (guint n_workers)
{
  double per[15];

  for (guint i = 0; i < G_N_ELEMENTS (per); i++)
    {
      LabProcessPool *pool = new_pool (n_workers, NULL);

      per[i] = lab_process_pool_get_spawn_ns (pool) / 1e6 / n_workers;
      lab_process_pool_free (pool);
    }
  return bench_median (per, G_N_ELEMENTS (per));
}

static double
start_ms_per_process (LabStartMethod method)
{
  double per[15];

  for (guint i = 0; i < G_N_ELEMENTS (per); i++)
    {
      LabProcessPoolOptions options = { .n_workers = 4, .start_method = method };
      g_autoptr(GError) error = NULL;
      LabProcessPool *pool = lab_process_pool_new (&options, NULL, NULL, NULL, &error);

      if (pool == NULL)
        g_error ("could not start a pool: %s", error->message);
      per[i] = lab_process_pool_get_start_ns_per_process (pool) / 1e6;
      lab_process_pool_free (pool);
    }
  return bench_median (per, G_N_ELEMENTS (per));
}

static void
bench_messages (void)
{
  LabProcessPool *pool = new_pool (2, NULL);
  gint64 one = 21;
  g_autofree gint64 *values = g_new (gint64, 10000);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 1, .values = &one };
  LabPoolMapResult result;
  double trips[101];

  for (guint i = 0; i < G_N_ELEMENTS (trips); i++)
    {
      map_or_die (pool, &map, &result);
      trips[i] = (result.stats.end_ns - result.stats.start_ns) / 1e3;
      lab_pool_map_result_clear (&result);
    }
  printf ("round_trip_us: %.1f\n", bench_median (trips, G_N_ELEMENTS (trips)));

  for (guint i = 0; i < 10000; i++)
    values[i] = i;
  map = (LabPoolMap) { .function = LAB_WIRE_FN_DOUBLE, .n_items = 10000, .values = values,
                       .chunksize = 1 };
  map_or_die (pool, &map, &result);
  printf ("tasks_per_s: %.0f\n", 10000 / ((result.stats.end_ns - result.stats.start_ns) / 1e9));
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
}

static void
bench_pipe (void)
{
  LabProcessPool *pool = new_pool (1, NULL);
  gsize n = 8 * 1024 * 1024;
  g_autofree gint64 *array = g_new (gint64, n);
  LabWireItem item = { (const guint8 *) array, n * sizeof (gint64) };
  LabPoolMap map = { .function = LAB_WIRE_FN_SUM_ARRAY, .n_items = 1, .items = &item };
  LabPoolMapResult result;
  double rates[5];

  for (gsize i = 0; i < n; i++)
    array[i] = 1;
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      map_or_die (pool, &map, &result);
      rates[i] = result.stats.item_bytes / 1e6 /
                 ((result.stats.send_end_ns - result.stats.start_ns) / 1e9);
      lab_pool_map_result_clear (&result);
    }
  printf ("pipe_mb_per_s: %.0f\n", bench_median (rates, G_N_ELEMENTS (rates)));
  lab_process_pool_free (pool);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_ns;
} StopLater;

static gpointer
stop_later (gpointer data)
{
  StopLater *stop = data;

  g_usleep (50 * 1000);
  stop->cancelled_ns = lab_clock_now_ns ();
  g_cancellable_cancel (stop->cancellable);
  return NULL;
}

static void
bench_stop (void)
{
  double worst = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      LabProcessPool *pool = new_pool (2, cancellable);
      gint64 values[100] = { 0 };
      LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 100, .values = values,
                         .chunksize = 1, .argument = 20 * 1000 * 1000 };
      LabPoolMapResult result;
      StopLater stop = { cancellable, 0 };
      GThread *thread = g_thread_new ("stop-later", stop_later, &stop);

      if (lab_process_pool_map (pool, &map, &result, NULL))
        g_error ("the map was not stopped");
      worst = MAX (worst, (lab_clock_now_ns () - stop.cancelled_ns) / 1e6);
      g_thread_join (thread);
      lab_pool_map_result_clear (&result);
      lab_process_pool_free (pool);
    }
  printf ("stop_ms: %.2f\n", worst);
}

static void
bench_process_sum (void)
{
  const LabExperiment *e = &lab_exp_process_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  if (!lab_params_parse_assignment (params, "processes=2", &error) ||
      !lab_params_parse_assignment (params, "repeat=5", &error))
    g_error ("%s", error->message);
  runner = lab_runner_new (e, params);
  if (!lab_runner_run_sync (runner, &error))
    g_error ("process-sum failed: %s", error->message);

  printf ("process_sum_sequential_ms: %.1f\n", bench_metric (runner, "sequential_s") * 1e3);
  printf ("process_sum_send_data_ms: %.1f\n", bench_metric (runner, "pool_send_data_s") * 1e3);
  printf ("process_sum_sequential_n_ms: %.1f\n", bench_metric (runner, "sequential_n_s") * 1e3);
  printf ("process_sum_send_n_ms: %.1f\n", bench_metric (runner, "pool_send_n_s") * 1e3);
  printf ("process_sum_spawn_ms: %.2f\n", bench_metric (runner, "spawn_s") * 1e3);
  printf ("process_sum_send_data_vs_sequential: %.2f\n",
          bench_metric (runner, "send_data_vs_sequential"));
  printf ("process_sum_send_n_speedup: %.2f\n", bench_metric (runner, "speedup_send_n"));
}

/* process-sum's lecture listing, timed as the model times it: the best of
 * three, the pool started once. Prints six numbers. */
static const char cpython_process_sum[] =
  "import multiprocessing as mp, multiprocessing.pool as mpp, pickle, sys, time\n"
  "def sum_n(n):\n"
  "    return sum(1 for _ in range(n))\n"
  "def best(f):\n"
  "    t = []\n"
  "    for _ in range(3):\n"
  "        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)\n"
  "    return min(t)\n"
  "if __name__ == '__main__':\n"
  "    mp.set_start_method('spawn')\n"
  "    size, processes = int(sys.argv[1]), int(sys.argv[2])\n"
  "    array = [1] * size\n"
  "    part = size // processes\n"
  "    parts = [array[i * part:(i + 1) * part] for i in range(processes)]\n"
  "    counts = [part] * processes\n"
  "    sent = sum(len(pickle.dumps((0, i, mpp.mapstar, ((sum, (p,)),), {}), protocol=5))\n"
  "               for i, p in enumerate(parts))\n"
  "    with mp.Pool(processes) as pool:\n"
  "        pool.map(sum_n, [1] * processes)\n"
  "        print(best(lambda: sum(array)), best(lambda: sum_n(size)),\n"
  "              best(lambda: pool.map(sum, parts, chunksize=1)),\n"
  "              best(lambda: pool.map(sum_n, counts, chunksize=1)), sent)\n";

static gboolean
cpython_process_sum_times (double times[5])
{
  g_autofree char *dir = g_dir_make_tmp ("bench-process-XXXXXX", NULL);
  g_autofree char *script = dir != NULL ? g_build_filename (dir, "process_sum.py", NULL) : NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  gint status = 0;
  gboolean ok;

  /* spawn imports the main module by path: it must be a file. */
  ok = script != NULL && g_file_set_contents (script, cpython_process_sum, -1, &error);
  if (ok)
    {
      const char *argv[] = { "/usr/bin/python3", script, "4000000", "2", NULL };

      ok = g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                         &status, &error) &&
           g_spawn_check_wait_status (status, &error);
    }
  if (script != NULL)
    g_unlink (script);
  if (dir != NULL)
    g_rmdir (dir);
  if (!ok)
    {
      g_printerr ("python3 could not be measured: %s\n", error != NULL ? error->message : "?");
      return FALSE;
    }
  fields = g_strsplit (g_strstrip (out), " ", -1);
  if (g_strv_length (fields) != 5)
    return FALSE;
  for (guint i = 0; i < 5; i++)
    times[i] = g_ascii_strtod (fields[i], NULL);
  return times[0] > 0;
}

/* The same four ways in the model, best of three like python3's side. */
static void
model_process_sum_times (double times[5])
{
  const LabExperiment *e = &lab_exp_process_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  const char *keys[4] = { "sequential_runs_s", "sequential_n_runs_s",
                          "pool_send_data_runs_s", "pool_send_n_runs_s" };

  if (!lab_params_parse_assignment (params, "processes=2", &error) ||
      !lab_params_parse_assignment (params, "size=4000000", &error) ||
      !lab_params_parse_assignment (params, "repeat=3", &error))
    g_error ("%s", error->message);
  runner = lab_runner_new (e, params);
  if (!lab_runner_run_sync (runner, &error))
    g_error ("process-sum failed: %s", error->message);
  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(GVariant) runs = lab_metrics_lookup (lab_runner_get_metrics (runner), keys[k]);
      gsize n = 0;
      const double *v = g_variant_get_fixed_array (runs, &n, sizeof (double));

      times[k] = G_MAXDOUBLE;
      for (gsize i = 0; i < n; i++)
        times[k] = MIN (times[k], v[i]);
    }
  times[4] = bench_metric (runner, "bytes_sent");
}

static void
bench_model_vs_cpython (void)
{
  const char *names[4] = { "sequential", "sequential_n", "send_data", "send_n" };
  double model[5], cpython[5];

  model_process_sum_times (model);
  if (!cpython_process_sum_times (cpython))
    return;
  for (guint k = 0; k < 4; k++)
    printf ("model_vs_cpython_%s: %.2f %.2f\n", names[k], model[k] / model[0],
            cpython[k] / cpython[0]);
  printf ("model_vs_cpython_sequential_ms: %.1f %.1f\n", model[0] * 1e3, cpython[0] * 1e3);
  printf ("model_vs_cpython_bytes_sent: %.0f %.0f\n", model[4], cpython[4]);
}

int
main (int    argc,
      char **argv)
{
  bench_print_machine ();
  /* Just the comparison with python3 (what calibrating the model needs). */
  if (argc > 1 && g_str_equal (argv[1], "--model-vs-cpython"))
    {
      bench_model_vs_cpython ();
      return 0;
    }

  printf ("spawn_ms_per_worker: %.2f\n", spawn_ms_per_worker (4));
  printf ("spawn_ms_pool_1: %.2f\n", spawn_ms_per_worker (1));
  for (LabStartMethod m = LAB_START_SPAWN; m <= LAB_START_FORKSERVER; m++)
    printf ("start_ms_per_process_%s: %.2f\n", lab_start_method_to_string (m),
            start_ms_per_process (m));
  bench_messages ();
  bench_pipe ();
  bench_stop ();
  bench_process_sum ();
  bench_model_vs_cpython ();
  return 0;
}
