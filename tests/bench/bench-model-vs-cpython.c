/* bench-model-vs-cpython.c — the interpreter model beside real CPython.
 *
 * Runs the same Python programs with /usr/bin/python3 (when it exists) and
 * the same scenarios in the lab, and prints KEY: VALUE lines from this one
 * run, each key twice: `…_model` and `…_cpython`.
 *   model_vs_cpython_hello_in_order_*     fraction of runs (64 threads) whose
 *                                         greetings came in start order
 *   model_vs_cpython_race_zero_losing_*   fraction of race runs (10 threads,
 *                                         time.sleep(0) between read and
 *                                         write) that lost an update
 *   model_vs_cpython_race_zero_lost_avg_* updates lost per such run
 *   model_vs_cpython_race_none_losing_*   the same with no call in between
 *   model_vs_cpython_cpu_sum_speedup_*    sequential / threaded time of a
 *                                         CPU-bound sum with 2 threads
 * With the GIL on in the lab, as in CPython 3.11.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdio.h>

#include "lab-experiments.h"
#include "lab-runner.h"

#define N_RUNS 50
#define PYTHON "/usr/bin/python3"

/* The lecture's programs, measured the way the lab measures them. */
static const char python_program[] =
  "import contextlib, io, sys, threading, time\n"
  "N_RUNS = int(sys.argv[1])\n"
  "\n"
  "def hello_in_order(n_threads):\n"
  "    out = io.StringIO()\n"
  "    def say_hello(n):\n"
  "        print(f'Hello {n}')\n"
  "    with contextlib.redirect_stdout(out):\n"
  "        started = []\n"
  "        for n in range(n_threads):\n"
  "            worker = threading.Thread(target=say_hello, args=(n,))\n"
  "            worker.start()\n"
  "            started.append(worker)\n"
  "        for worker in started:\n"
  "            worker.join()\n"
  "    lines = out.getvalue().split()\n"
  "    numbers = [int(w) for w in lines if w.isdigit()]\n"
  "    return numbers == sorted(numbers)\n"
  "\n"
  "counter = 0\n"
  "def race_lost(pause, n_threads=10):\n"
  "    global counter\n"
  "    counter = 0\n"
  "    def increment():\n"
  "        global counter\n"
  "        seen = counter\n"
  "        if pause == 'zero':\n"
  "            time.sleep(0)\n"
  "        counter = seen + 1\n"
  "        print(counter, end=' ')\n"
  "    with contextlib.redirect_stdout(io.StringIO()):\n"
  "        workers = [threading.Thread(target=increment) for _ in range(n_threads)]\n"
  "        for worker in workers:\n"
  "            worker.start()\n"
  "        for worker in workers:\n"
  "            worker.join()\n"
  "    return n_threads - counter\n"
  "\n"
  "def cpu_speedup(size=2_000_000):\n"
  "    array = [1] * size\n"
  "    def partial(first, stride, out):\n"
  "        total = 0\n"
  "        for j in range(first, size, stride):\n"
  "            total += array[j]\n"
  "        out.append(total)\n"
  "    t0 = time.perf_counter(); partial(0, 1, []); t1 = time.perf_counter()\n"
  "    out = []\n"
  "    threads = [threading.Thread(target=partial, args=(i, 2, out)) for i in range(2)]\n"
  "    t2 = time.perf_counter()\n"
  "    for t in threads: t.start()\n"
  "    for t in threads: t.join()\n"
  "    t3 = time.perf_counter()\n"
  "    return (t1 - t0) / (t3 - t2)\n"
  "\n"
  "print('hello_in_order', sum(hello_in_order(64) for _ in range(N_RUNS)) / N_RUNS)\n"
  "zero = [race_lost('zero') for _ in range(N_RUNS)]\n"
  "none = [race_lost('none') for _ in range(N_RUNS)]\n"
  "print('race_zero_losing', sum(1 for x in zero if x) / N_RUNS)\n"
  "print('race_zero_lost_avg', sum(zero) / N_RUNS)\n"
  "print('race_none_losing', sum(1 for x in none if x) / N_RUNS)\n"
  "print('cpu_sum_speedup', sorted(cpu_speedup() for _ in range(3))[1])\n";

static LabRunner *
run (const LabExperiment *e,
     const char * const  *assignments)
{
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;
  LabRunner *runner;

  for (guint i = 0; assignments[i] != NULL; i++)
    if (!lab_params_parse_assignment (params, assignments[i], &error))
      g_error ("%s: %s", assignments[i], error->message);

  runner = lab_runner_new (e, params);
  if (!lab_runner_run_sync (runner, &error))
    g_error ("%s failed: %s", e->id, error->message);
  return runner;
}

/* Runs race-counter N_RUNS times with @pause; the fraction of runs that
 * lost an update, and the updates lost per run in @lost_avg. */
static double
model_race (const char *pause,
            double     *lost_avg)
{
  g_autofree char *pause_arg = g_strdup_printf ("pause=%s", pause);
  const char * const args[] = { "threads=10", "gil=true", pause_arg, NULL };
  guint losing = 0;
  double lost = 0;

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(LabRunner) runner = run (&lab_exp_race_counter, args);
      double n = bench_metric (runner, "lost_updates");

      losing += n > 0;
      lost += n;
    }
  if (lost_avg != NULL)
    *lost_avg = lost / N_RUNS;
  return (double) losing / N_RUNS;
}

static void
print_cpython (void)
{
  g_autofree char *runs = g_strdup_printf ("%d", N_RUNS);
  const char *argv[] = { PYTHON, "-c", python_program, runs, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("model_vs_cpython_python: none (" PYTHON " not found)\n");
      return;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      printf ("model_vs_cpython_python: failed (%s)\n", error->message);
      return;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], " ", 2);

      if (kv[0] != NULL && kv[1] != NULL)
        printf ("model_vs_cpython_%s_cpython: %.3f\n", kv[0], g_ascii_strtod (kv[1], NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  const char * const hello_args[] = { "threads=64", "gil=true", NULL };
  const char * const sum_args[] = { "threads=2", "gil=true", "repeat=3", NULL };
  g_autoptr(LabRunner) sum = NULL;
  guint in_order = 0;
  double zero_avg;

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(LabRunner) runner = run (&lab_exp_threads_hello, hello_args);

      in_order += bench_metric (runner, "in_order") != 0;
    }
  printf ("model_vs_cpython_hello_in_order_model: %.3f\n", (double) in_order / N_RUNS);
  printf ("model_vs_cpython_race_zero_losing_model: %.3f\n", model_race ("zero", &zero_avg));
  printf ("model_vs_cpython_race_zero_lost_avg_model: %.3f\n", zero_avg);
  printf ("model_vs_cpython_race_none_losing_model: %.3f\n", model_race ("none", NULL));
  sum = run (&lab_exp_threads_cpu_sum, sum_args);
  printf ("model_vs_cpython_cpu_sum_speedup_model: %.3f\n", bench_metric (sum, "speedup"));

  print_cpython ();
  return 0;
}
