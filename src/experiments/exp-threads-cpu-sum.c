/* exp-threads-cpu-sum.c — CPU-bound threads under an emulated GIL.
 *
 * An array of `size` ones is summed twice per repeat: sequentially on the
 * main thread, then split over `threads` threads as the lecture does it
 * (thread i sums elements i, i + N, i + 2N, ... and puts its partial sum
 * into a queue; the main thread takes N results and joins the threads).
 * The compute loop, the emulated interpreter's per-element work and what
 * is recorded are described in exp-threads-cpu-sum-compute.c.
 *
 * Lanes: the main thread; "GIL" (LAB_LANE_RESOURCE, only with `gil` on:
 * LOCK_HELD spans labelled with the holder's lane name); "Thread i" for
 * each worker, reused by every repeat. Times are the medians over
 * `repeat` runs; every run's time is in the *_runs_s arrays (for whiskers),
 * and the GIL statistics are those of the threaded run whose time is the
 * median, so they fit `threaded_s`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdlib.h>

#include "lab-experiments.h"
#include "exp-threads-cpu-sum-private.h"

static int
lab_sum_compare_gint64 (const void *a,
                        const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Median of @n values in seconds (the mean of the middle two for even n). */
static double
lab_sum_median_s (const gint64 *values_ns,
                  guint         n)
{
  g_autofree gint64 *sorted = g_memdup2 (values_ns, n * sizeof (gint64));

  qsort (sorted, n, sizeof (gint64), lab_sum_compare_gint64);
  if (n % 2 == 1)
    return (double) sorted[n / 2] / LAB_NS_PER_S;
  return (double) (sorted[n / 2 - 1] + sorted[n / 2]) / 2 / LAB_NS_PER_S;
}

static GVariant *
lab_sum_seconds_array (const gint64 *values_ns,
                       guint         n)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("ad"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add (&builder, "d", (double) values_ns[i] / LAB_NS_PER_S);
  return g_variant_builder_end (&builder);
}

static void
lab_sum_min_max_s (const gint64 *values_ns,
                   guint         n,
                   double       *min_s,
                   double       *max_s)
{
  gint64 lo = values_ns[0], hi = values_ns[0];

  for (guint i = 1; i < n; i++)
    {
      lo = MIN (lo, values_ns[i]);
      hi = MAX (hi, values_ns[i]);
    }
  *min_s = (double) lo / LAB_NS_PER_S;
  *max_s = (double) hi / LAB_NS_PER_S;
}

/* The bars beside the timeline: both sums, median with min–max whiskers. */
static void
lab_sum_hand_chart (LabRunContext *ctx,
                    const gint64  *sequential_ns,
                    const gint64  *threaded_ns,
                    guint          repeat,
                    double         sequential_s,
                    double         threaded_s)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  g_autoptr(LabChart) chart = NULL;
  g_autofree char *threaded_label = NULL;
  double lo, hi;

  chart = lab_chart_new (LAB_CHART_BARS, _("Time to sum the array (median)"),
                         LAB_CHART_UNIT_SECONDS);
  lab_sum_min_max_s (sequential_ns, repeat, &lo, &hi);
  lab_chart_add_bar (chart, _("One thread"), NULL, sequential_s, lo, hi);
  /* Translators: a bar of the chart: the sum split over N threads; the
   * second %s says whether the GIL was on */
  threaded_label = g_strdup_printf (_("%d threads, %s"),
                                    (int) lab_params_get_int (params, "threads"),
                                    lab_params_get_bool (params, "gil") ? _("GIL on") : _("GIL off"));
  lab_sum_min_max_s (threaded_ns, repeat, &lo, &hi);
  lab_chart_add_bar (chart, threaded_label, NULL, threaded_s, lo, hi);
  lab_run_context_set_chart (ctx, chart);
}

/* The "program output" of one measurement, in the Python code's format. */
static void
lab_sum_print_time (LabRunContext *ctx,
                    LabLane       *lane,
                    const char    *what,
                    gint64         sum,
                    gint64         elapsed_ns)
{
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (ms, sizeof ms, "%.1f", (double) elapsed_ns / LAB_NS_PER_MS);
  lab_run_context_print (ctx, lane, "%s = %" G_GINT64_FORMAT " in %s ms", what, sum, ms);
}

static GVariant *
lab_sum_run (LabRunContext  *ctx,
             GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n_threads = (guint) lab_params_get_int (params, "threads");
  gboolean use_gil = lab_params_get_bool (params, "gil");
  gsize size = (gsize) lab_params_get_int (params, "size");
  guint repeat = (guint) lab_params_get_int (params, "repeat");
  LabSumShared shared = { 0 };
  GError *local_error = NULL;
  g_autofree LabSumPart *parts = g_new0 (LabSumPart, n_threads);
  g_autofree gint64 *sequential_ns = g_new0 (gint64, repeat);
  g_autofree gint64 *threaded_ns = g_new0 (gint64, repeat);
  g_autofree LabSumThreadedRun *runs = g_new0 (LabSumThreadedRun, repeat);
  g_autofree gint64 *wait_ns = g_new0 (gint64, (gsize) repeat * n_threads);
  g_autofree char *threaded_what = NULL;
  g_autofree char *fill_label = NULL;
  gint64 *array;
  gint64 sum = 0, seq_sum = 0;
  guint median_run = 0;
  gboolean completed = TRUE;
  GVariantBuilder metrics, waits;
  double sequential_s, threaded_s, wait_total_s = 0;

  fill_label = g_strdup_printf ("array = [1] * %" G_GSIZE_FORMAT, size);
  lab_lane_begin (main_lane, LAB_STATE_RUNNING, lab_recorder_intern (recorder, fill_label));
  array = lab_sum_new_array (ctx, size, lab_params_get_int (params, "max_memory_mb"), error);
  lab_lane_end (main_lane);
  if (array == NULL)
    return NULL;

  lab_sum_shared_init (&shared);
  shared.ctx = ctx;
  shared.recorder = recorder;
  shared.array = array;
  shared.size = size;
  shared.work = (guint) lab_params_get_int (params, "interpreter_work");
  shared.interval_ns = (gint64) (lab_params_get_double (params, "switch_interval_ms") *
                                 LAB_NS_PER_MS);
  if (use_gil)
    shared.gil_lane = lab_interp_add_gil_lane (ctx, &local_error);

  /* The lanes exist from the start, shared by every repeat's threads. */
  for (guint i = 0; i < n_threads && local_error == NULL; i++)
    {
      parts[i].thread.lane = lab_thread_add_lane (ctx, i, &local_error);
      parts[i].slice_label = lab_recorder_intern_printf (recorder, "partial_sum(%u)", i);
    }
  if (local_error != NULL)
    {
      g_free (array);
      lab_sum_shared_clear (&shared);
      g_propagate_error (error, local_error);
      return NULL;
    }
  threaded_what = g_strdup_printf ("threaded_sum(array, %u)", n_threads);

  /* Sequential and threaded runs alternate, so that whatever else the
   * machine does disturbs both alike. The window keeps off the cores
   * meanwhile: a redraw on the core a worker needs is a slower "threads". */
  lab_run_context_begin_timed (ctx);
  for (guint r = 0; r < repeat && completed; r++)
    {
      runs[r].wait_ns = wait_ns + (gsize) r * n_threads;

      completed = !lab_run_context_is_cancelled (ctx) &&
                  lab_sum_sequential (&shared, main_lane, &sequential_ns[r], &seq_sum);
      if (!completed)
        break;
      lab_sum_print_time (ctx, main_lane, "sum(array)", seq_sum, sequential_ns[r]);
      lab_run_context_set_progress (ctx, (2.0 * r + 1) / (2.0 * repeat));

      completed = lab_sum_threaded (&shared, main_lane, parts, n_threads, &runs[r],
                                    &local_error);
      if (!completed)
        break;
      threaded_ns[r] = runs[r].elapsed_ns;
      sum = runs[r].sum;
      lab_sum_print_time (ctx, main_lane, threaded_what, sum, threaded_ns[r]);
      lab_run_context_set_progress (ctx, (2.0 * r + 2) / (2.0 * repeat));

      /* Both sums are the same loop over the same ones. */
      g_warn_if_fail (sum == seq_sum && sum == (gint64) size);
    }
  lab_run_context_end_timed (ctx);

  g_free (array);
  lab_sum_shared_clear (&shared);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!completed)
    return lab_run_context_return_cancelled (ctx, error);

  /* The GIL statistics are those of the run whose time is the median. */
  for (guint r = 0; r < repeat; r++)
    {
      guint rank = 0;

      for (guint q = 0; q < repeat; q++)
        if (threaded_ns[q] < threaded_ns[r] || (threaded_ns[q] == threaded_ns[r] && q < r))
          rank++;
      if (rank == (repeat - 1) / 2)
        median_run = r;
    }
  g_variant_builder_init (&waits, G_VARIANT_TYPE ("ad"));
  for (guint i = 0; i < n_threads; i++)
    {
      double s = (double) runs[median_run].wait_ns[i] / LAB_NS_PER_S;

      g_variant_builder_add (&waits, "d", s);
      wait_total_s += s;
    }

  sequential_s = lab_sum_median_s (sequential_ns, repeat);
  threaded_s = lab_sum_median_s (threaded_ns, repeat);
  lab_sum_hand_chart (ctx, sequential_ns, threaded_ns, repeat, sequential_s, threaded_s);

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "sum", g_variant_new_int64 (sum));
  g_variant_builder_add (&metrics, "{sv}", "sequential_s", g_variant_new_double (sequential_s));
  g_variant_builder_add (&metrics, "{sv}", "threaded_s", g_variant_new_double (threaded_s));
  g_variant_builder_add (&metrics, "{sv}", "speedup",
                         g_variant_new_double (threaded_s > 0 ? sequential_s / threaded_s : 0));
  g_variant_builder_add (&metrics, "{sv}", "gil_switches",
                         g_variant_new_int64 ((gint64) runs[median_run].switches));
  g_variant_builder_add (&metrics, "{sv}", "gil_wait_total_s", g_variant_new_double (wait_total_s));
  g_variant_builder_add (&metrics, "{sv}", "gil_handoff_s",
                         lab_metric_new_seconds (runs[median_run].handoff_ns));
  g_variant_builder_add (&metrics, "{sv}", "gil_wait_s", g_variant_builder_end (&waits));
  g_variant_builder_add (&metrics, "{sv}", "sequential_runs_s",
                         lab_sum_seconds_array (sequential_ns, repeat));
  g_variant_builder_add (&metrics, "{sv}", "threaded_runs_s",
                         lab_sum_seconds_array (threaded_ns, repeat));

  return g_variant_builder_end (&metrics);
}

static const LabParamSpec lab_sum_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "threads",
    .label = N_("Threads"),
    .tooltip = N_("How many threads share the sum; thread i adds elements i, i + N, i + 2N …"),
    .min = 1,
    .max = 64,
    .step = 1,
    .def_num = 2,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  LAB_EXPERIMENT_GIL_PARAM,
  {
    .kind = LAB_PARAM_DOUBLE,
    .key = "switch_interval_ms",
    .label = N_("Switch interval"),
    .tooltip = N_("How long a waiting thread lets the holder keep the lock before asking for it (sys.setswitchinterval)"),
    .min = 0.1,
    .max = 100,
    .step = 0.1,
    .def_num = 5,
    .unit = N_("ms"),
    .flags = LAB_PARAM_FLAG_LOG_SCALE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "size",
    .label = N_("Array size"),
    .tooltip = N_("How many ones are summed (8 bytes of memory each)"),
    .min = 1,
    .max = 200000000,
    .step = 1,
    .def_num = 10000000,
    .flags = LAB_PARAM_FLAG_LOG_SCALE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "repeat",
    .label = N_("Repeats"),
    .tooltip = N_("How many times both sums are measured; the times shown are the medians"),
    .min = 1,
    .max = 20,
    .step = 1,
    .def_num = 3,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "interpreter_work",
    .label = N_("Interpreter overhead"),
    .tooltip = N_("Rounds of busywork done for every element, standing in for the bytecode interpreter's own work (about 1.5 ns each). 0 is a bare C loop"),
    .min = 0,
    .max = 200,
    .step = 1,
    .def_num = 12,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    /* For tests: pretend that at most this much memory is free. */
    .kind = LAB_PARAM_INT,
    .key = "max_memory_mb",
    .label = N_("Memory limit"),
    .tooltip = N_("Refuse arrays larger than this; 0 allows what the system has free"),
    .min = 0,
    .max = 1048576,
    .step = 1,
    .def_num = 0,
    .unit = N_("MB"),
    .flags = LAB_PARAM_FLAG_HIDDEN,
  },
};

static const LabMetricSpec lab_sum_metrics[] = {
  { "sum",               N_("Sum"),                          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "sequential_s",      N_("One thread (median)"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "threaded_s",        N_("With threads (median)"),        LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Sequential time divided by threaded time: 2× means twice as fast. */
  { "speedup",           N_("Speed-up"),                     LAB_METRIC_RATIO,   LAB_METRIC_FLAG_NONE },
  /* Times the GIL changed hands during the median threaded run. */
  { "gil_switches",      N_("GIL hand-overs"),               LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  /* Summed over the threads of the median threaded run. */
  { "gil_wait_total_s",  N_("Time spent waiting for the GIL"), LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Median time from a waiter's drop request to the hand-over it caused. */
  { "gil_handoff_s",     N_("GIL hand-over delay"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "gil_wait_s",        N_("GIL wait per thread"),          LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  /* Every repeat, for the bar chart's min–max whiskers. */
  { "sequential_runs_s", N_("One thread, every run"),        LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  { "threaded_runs_s",   N_("With threads, every run"),      LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};

static const LabSummaryLink lab_sum_links[] = {
  { "thread", "threads-cpu-sum", N_("CPU-bound threads and the GIL"), NULL },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_cpu_sum_code_bindings[] = {
  { "THREADS",         "threads",            0 },
  { "SWITCH_INTERVAL", "switch_interval_ms", 0.001 },
  { "SIZE",            "size",               0 },
  { "REPEAT",          "repeat",             0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_cpu_sum_code_results[] = {
  "sequential: sum = {sum} in {sequential_s} s",
  "{} threads: sum = {sum} in {threaded_s} s",
  "speed-up: {speedup}x",
  NULL
};

const LabExperiment lab_exp_threads_cpu_sum = {
  .id = "threads-cpu-sum",
  .title = N_("CPU-bound threads and the GIL"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("Summing numbers in several threads is no faster while a global interpreter lock lets only one of them compute"),
  .explanation = N_(
    "Ten million ones are added up twice: once by the main thread alone, and once "
    "by several threads, each taking every N-th number and putting its partial sum "
    "into a queue, from which the main thread collects the parts. The work is the "
    "same; the question is whether the threads finish it sooner.\n"
    "\n"
    "In CPython they do not. Only the thread that holds the global interpreter lock "
    "(the GIL) may run Python code. A thread that wants the lock waits one switch "
    "interval (5 ms unless changed), then asks the holder to let go; the holder "
    "notices within a few steps and hands it over. So the threads take turns: one "
    "computes while the others wait, and the threaded sum takes as long as the "
    "sequential one, or a little longer because of the hand-overs. The lecture "
    "measured 229 ms with one thread and 218 ms with threads.\n"
    "\n"
    "On the timeline, the GIL lane shows who holds the lock. Each thread's lane "
    "alternates between running and waiting for the GIL, and an arrow leads from "
    "every hand-over to the thread that took the lock. Drag the switch interval "
    "and run again: the turns get longer or shorter, the total stays the same.\n"
    "\n"
    "Now turn the lock off, as free-threaded Python (3.13t) does. The threads "
    "compute side by side on different cores, and with two threads on two free "
    "cores the time nearly halves. More threads than cores do not help any "
    "further.\n"
    "\n"
    "The lab's interpreter is C, which would add ten million ones in a few "
    "milliseconds. To make each number cost about as much as in CPython, every "
    "element gets a fixed amount of busywork (\"Interpreter overhead\", under "
    "More), the same in every thread and in the sequential sum."),
  .code = N_(
    "import queue\n"
    "import statistics\n"
    "import sys\n"
    "import threading\n"
    "import time\n"
    "\n"
    "THREADS = 2             # the \"Threads\" slider\n"
    "SWITCH_INTERVAL = 0.005  # seconds a thread may hold the GIL when others wait\n"
    "SIZE = 10000000         # numbers to add up\n"
    "REPEAT = 3              # each sum is timed this often; the median counts\n"
    "\n"
    "sys.setswitchinterval(SWITCH_INTERVAL)\n"
    "array = [1] * SIZE\n"
    "\n"
    "\n"
    "def partial_sum(part: int, parts: int, results: queue.Queue) -> None:\n"
    "    total = 0\n"
    "    for k in range(part, len(array), parts):  # every parts-th number\n"
    "        total += array[k]\n"
    "    results.put(total)\n"
    "\n"
    "\n"
    "def threaded_sum(parts: int) -> int:\n"
    "    results = queue.Queue()\n"
    "    workers = [threading.Thread(target=partial_sum, args=(p, parts, results))\n"
    "               for p in range(parts)]\n"
    "    for worker in workers:\n"
    "        worker.start()\n"
    "    total = 0\n"
    "    for worker in workers:\n"
    "        total += results.get()  # waits until some thread has put its part\n"
    "        worker.join()\n"
    "    return total\n"
    "\n"
    "\n"
    "def timed(compute) -> tuple[int, float]:\n"
    "    times = []\n"
    "    for _ in range(REPEAT):\n"
    "        start = time.perf_counter()\n"
    "        total = compute()\n"
    "        times.append(time.perf_counter() - start)\n"
    "    return total, statistics.median(times)\n"
    "\n"
    "\n"
    "# The same loop, one element at a time, on the main thread:\n"
    "total, sequential = timed(lambda: threaded_sum(1))\n"
    "print(f\"sequential: sum = {total} in {sequential:.4g} s\")\n"
    "total, threaded = timed(lambda: threaded_sum(THREADS))\n"
    "print(f\"{THREADS} threads: sum = {total} in {threaded:.4g} s\")\n"
    "print(f\"speed-up: {sequential / threaded:.2f}x\")\n"),
  .params = lab_sum_params,
  .n_params = G_N_ELEMENTS (lab_sum_params),
  .metrics = lab_sum_metrics,
  .n_metrics = G_N_ELEMENTS (lab_sum_metrics),
  .run = lab_sum_run,
  .sweep_time_key = "threaded_s",
  .summary_links = lab_sum_links,
  .n_summary_links = G_N_ELEMENTS (lab_sum_links),
  .code_bindings = lab_cpu_sum_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_cpu_sum_code_bindings),
  .code_results = lab_cpu_sum_code_results,
  .moment = { LAB_MOMENT_FIRST_HANDOFF, N_("Show a GIL hand-over"), 0 },
};
