/* exp-process-sum.c — the price of sending data to processes.
 *
 * Ten million ones are summed three ways, `repeat` times each, in turn:
 * by the parent alone; by a pool of `processes` workers that are sent the
 * parts of the array (pool.map(sum, array_parts)); and by the same workers
 * given only how many numbers to add (pool.map(sum_n, counts)). The pool
 * is started once per run and reused, as `with Pool() as pool: %timeit
 * pool.map(...)` does; its start-up time is reported on its own.
 *
 * Times are medians over the repeats (every run's time is in *_runs_s).
 * The chart has one bar per way, from the run whose time is the median,
 * stacked from its phases: starting the processes (the pool's one start,
 * in both pool bars), serialise, transfer, deserialise, compute, collect
 * (see LabPsumRun), with
 * min–max whiskers over the repeats. Measuring is in
 * exp-process-sum-measure.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "exp-process-sum-private.h"
#include "lab-memory.h"
#include "lab-experiments.h"

/* The run of @runs whose total is the median (the lower one for even n). */
static guint
lab_psum_median_index (const LabPsumRun *runs,
                       guint             n)
{
  for (guint r = 0; r < n; r++)
    {
      guint rank = 0;

      for (guint q = 0; q < n; q++)
        if (runs[q].total_ns < runs[r].total_ns ||
            (runs[q].total_ns == runs[r].total_ns && q < r))
          rank++;
      if (rank == (n - 1) / 2)
        return r;
    }
  return 0;
}

static GVariant *
lab_psum_seconds_array (const LabPsumRun *runs,
                        guint             n)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("ad"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add (&builder, "d", runs[i].total_ns / (double) LAB_NS_PER_S);
  return g_variant_builder_end (&builder);
}

static void
lab_psum_print (LabRunContext    *ctx,
                LabLane          *lane,
                const char       *what,
                const LabPsumRun *run)
{
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (ms, sizeof ms, "%.1f", run->total_ns / (double) LAB_NS_PER_MS);
  lab_run_context_print (ctx, lane, "%s = %" G_GINT64_FORMAT " in %s ms", what, run->sum, ms);
}

/* One bar per way, stacked from its median run's phases, a bar of its own
 * for starting the pool, and a line at the parent's own sum_n. The ways'
 * bars are the cards' numbers: the pool starts once for all repeats, so
 * its start-up is not part of any one map. */
static LabChart *
lab_psum_build_chart (LabPsumRun * const  runs[LAB_PSUM_N_VARIANTS],
                      const guint         median[LAB_PSUM_N_VARIANTS],
                      guint               repeat,
                      gint64              spawn_ns,
                      gsize               size)
{
  /* The three ways, then the start-up bar (at index LAB_PSUM_SEQUENTIAL_N). */
  const char *groups[LAB_PSUM_SEQUENTIAL_N + 1] = {
    /* Translators: a bar of the chart: the sum computed by the parent alone */
    _("sequential"),
    /* Translators: a bar of the chart: the pool's workers were sent the numbers */
    _("pool, sent the data"),
    /* Translators: a bar of the chart: the pool's workers were only told how many */
    _("pool, sent only counts"),
    /* Translators: a bar of the chart: how long the worker processes took to start */
    _("starting the pool"),
  };
  g_autofree char *count = lab_format_count (size);
  g_autofree char *title = NULL;
  LabChart *chart;

  /* Translators: the title of a chart; %s is a count of numbers */
  title = g_strdup_printf (_("Summing %s numbers"), count);
  chart = lab_chart_new (LAB_CHART_BARS, title, LAB_CHART_UNIT_SECONDS);
  /* Translators: the y axis of a bar chart */
  lab_chart_set_axis_labels (chart, NULL, _("time (median)"));

  for (guint v = 0; v <= LAB_PSUM_SEQUENTIAL_N; v++)
    {
      gboolean start_up = v == LAB_PSUM_SEQUENTIAL_N;
      const LabPsumRun *m = start_up ? NULL : &runs[v][median[v]];
      gint64 lo = G_MAXINT64, hi = 0;

      for (guint r = 0; r < repeat && !start_up; r++)
        {
          lo = MIN (lo, runs[v][r].total_ns);
          hi = MAX (hi, runs[v][r].total_ns);
        }
      if (start_up)
        lo = hi = spawn_ns; /* measured once */
      lab_chart_add_bar (chart, groups[v], NULL,
                         (start_up ? spawn_ns : m->total_ns) / (double) LAB_NS_PER_S,
                         lo / (double) LAB_NS_PER_S, hi / (double) LAB_NS_PER_S);
      /* Every bar gets all six, in this order, so the legend reads the
       * same whatever comes first; empty ones are not drawn. */
      /* Translators: a part of a bar: starting the worker processes */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("start processes"),
                                 (start_up ? spawn_ns : 0) / (double) LAB_NS_PER_S);
      /* Translators: a part of a bar: pickling the tasks and results */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("serialise"),
                                 (start_up ? 0 : m->serialise_ns) / (double) LAB_NS_PER_S);
      /* Translators: a part of a bar: sending the numbers to the workers */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("transfer"),
                                 (start_up ? 0 : m->transfer_ns) / (double) LAB_NS_PER_S);
      /* Translators: a part of a bar: unpickling the tasks and results */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("deserialise"),
                                 (start_up ? 0 : m->deserialise_ns) / (double) LAB_NS_PER_S);
      /* Translators: a part of a bar: adding up */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("compute"),
                                 (start_up ? 0 : m->compute_ns) / (double) LAB_NS_PER_S);
      /* Translators: a part of a bar: getting the results back */
      lab_chart_add_bar_segment (chart, groups[v], NULL, _("collect"),
                                 (start_up ? 0 : m->collect_ns) / (double) LAB_NS_PER_S);
    }
  /* What the pool sent only counts shares out: the same sum_n, done by one
   * process. The speed-up card divides this by the pool's time. */
  lab_chart_add_reference (chart,
                           /* Translators: a line across the bar chart: the
                            * time of sum_n(size) in one process */
                           _("sum_n in one process"),
                           runs[LAB_PSUM_SEQUENTIAL_N][median[LAB_PSUM_SEQUENTIAL_N]].total_ns /
                           (double) LAB_NS_PER_S);
  return chart;
}

static GVariant *
lab_psum_run (LabRunContext  *ctx,
              GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n_workers = lab_process_pool_count_for (lab_params_get_int (params, "processes"));
  gsize size = (gsize) lab_params_get_int (params, "size");
  guint repeat = (guint) lab_params_get_int (params, "repeat");
  g_autofree LabPsumRun *all_runs = g_new0 (LabPsumRun, LAB_PSUM_N_VARIANTS * repeat);
  LabPsumRun *runs[LAB_PSUM_N_VARIANTS];
  guint median[LAB_PSUM_N_VARIANTS];
  g_autofree char *fill_label = NULL;
  g_autofree char *send_data = NULL;
  g_autofree char *send_n = NULL;
  g_autofree char *sum_n = NULL;
  g_autoptr(LabChart) chart = NULL;
  LabProcessPoolOptions options = { 0 };
  LabPsum psum = { 0 };
  GError *local_error = NULL;
  GVariantBuilder metrics;
  gint64 *array, spawn_ns = 0;
  gboolean completed = TRUE;
  const LabPsumRun *seq, *data, *counts, *seq_n;
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint v = 0; v < LAB_PSUM_N_VARIANTS; v++)
    runs[v] = all_runs + v * repeat;

  array = lab_psum_new_array (ctx, size, lab_params_get_int (params, "max_memory_mb"), error);
  if (array == NULL)
    return NULL;

  psum.ctx = ctx;
  psum.recorder = recorder;
  psum.main_lane = main_lane;
  psum.array = array;
  psum.size = size;
  psum.rounds = (guint) lab_params_get_int (params, "interpreter_work");

  /* with multiprocessing.Pool(processes) as pool: (once for all repeats).
   * Started before the array is filled: GLib starts a child by forking
   * first, which takes longer the more memory the parent has touched. */
  options.n_workers = n_workers;
  /* From the pool's start to the last map everything is measured: the
   * window keeps off the cores the workers need until then. */
  lab_run_context_begin_timed (ctx);
  psum.pool = lab_process_pool_new (&options, recorder, main_lane,
                                    lab_run_context_get_cancellable (ctx), &local_error);
  if (psum.pool == NULL)
    completed = FALSE;
  else
    {
      spawn_ns = lab_process_pool_get_spawn_ns (psum.pool);
      g_ascii_formatd (ms, sizeof ms, "%.1f", spawn_ns / (double) LAB_NS_PER_MS);
      lab_run_context_print (ctx, main_lane, "Pool(%u) started in %s ms", n_workers, ms);

      /* array = [1] * size */
      fill_label = g_strdup_printf ("array = [1] * %" G_GSIZE_FORMAT, size);
      lab_lane_begin (main_lane, LAB_STATE_RUNNING, lab_recorder_intern (recorder, fill_label));
      completed = lab_psum_fill (ctx, array, size);
      lab_lane_end (main_lane);
      lab_psum_plan (&psum, n_workers);
    }
  send_data = g_strdup_printf ("pool.map(sum, array_parts)  # %u parts", psum.n_parts);
  send_n = g_strdup_printf ("pool.map(sum_n, counts)  # %u counts", psum.n_counts);
  sum_n = g_strdup_printf ("sum_n(%" G_GSIZE_FORMAT ")", size);

  /* The three ways take turns, so that whatever else the machine does
   * disturbs them alike. */
  for (guint r = 0; r < repeat && completed; r++)
    {
      completed = lab_psum_sequential (&psum, FALSE, &runs[LAB_PSUM_SEQUENTIAL][r]);
      if (!completed)
        break;
      lab_psum_print (ctx, main_lane, "sum(array)", &runs[LAB_PSUM_SEQUENTIAL][r]);
      lab_run_context_set_progress (ctx, (4.0 * r + 1) / (4.0 * repeat));

      completed = lab_psum_pool (&psum, LAB_PSUM_SEND_DATA, &runs[LAB_PSUM_SEND_DATA][r],
                                 &local_error);
      if (!completed)
        break;
      lab_psum_print (ctx, main_lane, send_data, &runs[LAB_PSUM_SEND_DATA][r]);
      lab_run_context_set_progress (ctx, (4.0 * r + 2) / (4.0 * repeat));

      completed = lab_psum_sequential (&psum, TRUE, &runs[LAB_PSUM_SEQUENTIAL_N][r]);
      if (!completed)
        break;
      lab_psum_print (ctx, main_lane, sum_n, &runs[LAB_PSUM_SEQUENTIAL_N][r]);
      lab_run_context_set_progress (ctx, (4.0 * r + 3) / (4.0 * repeat));

      completed = lab_psum_pool (&psum, LAB_PSUM_SEND_N, &runs[LAB_PSUM_SEND_N][r],
                                 &local_error);
      if (!completed)
        break;
      lab_psum_print (ctx, main_lane, send_n, &runs[LAB_PSUM_SEND_N][r]);
      lab_run_context_set_progress (ctx, (4.0 * r + 4) / (4.0 * repeat));
    }
  lab_run_context_end_timed (ctx);

  lab_process_pool_free (psum.pool);
  lab_psum_clear (&psum);
  g_free (array);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_clear_error (&local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!completed)
    return lab_run_context_return_cancelled (ctx, error);

  for (guint v = 0; v < LAB_PSUM_N_VARIANTS; v++)
    median[v] = lab_psum_median_index (runs[v], repeat);
  seq = &runs[LAB_PSUM_SEQUENTIAL][median[LAB_PSUM_SEQUENTIAL]];
  data = &runs[LAB_PSUM_SEND_DATA][median[LAB_PSUM_SEND_DATA]];
  counts = &runs[LAB_PSUM_SEND_N][median[LAB_PSUM_SEND_N]];
  seq_n = &runs[LAB_PSUM_SEQUENTIAL_N][median[LAB_PSUM_SEQUENTIAL_N]];

  chart = lab_psum_build_chart (runs, median, repeat, spawn_ns, size);
  lab_run_context_set_chart (ctx, chart);

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "sequential_s",
                         lab_metric_new_seconds (seq->total_ns));
  g_variant_builder_add (&metrics, "{sv}", "pool_send_data_s",
                         lab_metric_new_seconds (data->total_ns));
  g_variant_builder_add (&metrics, "{sv}", "pool_send_n_s",
                         lab_metric_new_seconds (counts->total_ns));
  g_variant_builder_add (&metrics, "{sv}", "sequential_n_s",
                         lab_metric_new_seconds (seq_n->total_ns));
  g_variant_builder_add (&metrics, "{sv}", "speedup_send_n",
                         g_variant_new_double (counts->total_ns > 0
                                               ? (double) seq_n->total_ns / counts->total_ns : 0));
  g_variant_builder_add (&metrics, "{sv}", "send_data_vs_sequential",
                         g_variant_new_double (seq->total_ns > 0
                                               ? (double) data->total_ns / seq->total_ns : 0));
  g_variant_builder_add (&metrics, "{sv}", "bytes_sent", g_variant_new_int64 ((gint64) data->bytes_sent));
  g_variant_builder_add (&metrics, "{sv}", "spawn_s",
                         lab_metric_new_seconds (spawn_ns));
  g_variant_builder_add (&metrics, "{sv}", "processes", g_variant_new_int64 (n_workers));
  g_variant_builder_add (&metrics, "{sv}", "sum", g_variant_new_int64 (seq->sum));
  g_variant_builder_add (&metrics, "{sv}", "send_data_sum", g_variant_new_int64 (data->sum));
  g_variant_builder_add (&metrics, "{sv}", "send_n_sum", g_variant_new_int64 (counts->sum));
  g_variant_builder_add (&metrics, "{sv}", "sequential_n_sum", g_variant_new_int64 (seq_n->sum));
  g_variant_builder_add (&metrics, "{sv}", "send_data_transfer_s",
                         lab_metric_new_seconds (data->transfer_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_data_compute_s",
                         lab_metric_new_seconds (data->compute_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_data_collect_s",
                         lab_metric_new_seconds (data->collect_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_n_transfer_s",
                         lab_metric_new_seconds (counts->transfer_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_n_compute_s",
                         lab_metric_new_seconds (counts->compute_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_n_collect_s",
                         lab_metric_new_seconds (counts->collect_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_data_serialise_s",
                         lab_metric_new_seconds (data->serialise_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_data_deserialise_s",
                         lab_metric_new_seconds (data->deserialise_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_n_serialise_s",
                         lab_metric_new_seconds (counts->serialise_ns));
  g_variant_builder_add (&metrics, "{sv}", "send_n_deserialise_s",
                         lab_metric_new_seconds (counts->deserialise_ns));
  g_variant_builder_add (&metrics, "{sv}", "sequential_runs_s",
                         lab_psum_seconds_array (runs[LAB_PSUM_SEQUENTIAL], repeat));
  g_variant_builder_add (&metrics, "{sv}", "pool_send_data_runs_s",
                         lab_psum_seconds_array (runs[LAB_PSUM_SEND_DATA], repeat));
  g_variant_builder_add (&metrics, "{sv}", "pool_send_n_runs_s",
                         lab_psum_seconds_array (runs[LAB_PSUM_SEND_N], repeat));
  g_variant_builder_add (&metrics, "{sv}", "sequential_n_runs_s",
                         lab_psum_seconds_array (runs[LAB_PSUM_SEQUENTIAL_N], repeat));
  return g_variant_builder_end (&metrics);
}

static const LabParamSpec lab_psum_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "processes",
    .label = N_("Worker processes"),
    .tooltip = N_("How many worker processes share the sum; 0 starts one per CPU, as Pool() does"),
    .min = 0,
    .max = LAB_PROCESS_POOL_MAX_WORKERS,
    .step = 1,
    .def_num = 0,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "size",
    .label = N_("Array size"),
    .tooltip = N_("How many ones are summed (8 bytes of memory each, and as much again for the copies sent to the workers)"),
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
    .tooltip = N_("How many times each way is measured; the times shown are the medians"),
    .min = 1,
    .max = 20,
    .step = 1,
    .def_num = 3,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "interpreter_work",
    .label = N_("Interpreter overhead"),
    .tooltip = N_("Rounds of busywork added to every number of sum(array), standing in for the interpreter's own work; sum_n's generator steps and pickling get fixed multiples of it, as in CPython. 0 is a bare C loop"),
    .min = 0,
    .max = 200,
    .step = 1,
    .def_num = 2,
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

static const LabMetricSpec lab_psum_metrics[] = {
  { "sequential_s",          N_("Sequential (median)"),             LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* pool.map(sum, array_parts): the workers were sent the numbers. */
  { "pool_send_data_s",      N_("Pool, sent the data (median)"),    LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* pool.map(sum_n, counts): the workers were told only how many. */
  { "pool_send_n_s",         N_("Pool, sent only counts (median)"), LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* sum_n(size) in one process: the same work the pool shares out by counts. */
  { "sequential_n_s",        N_("sum_n in one process (median)"),   LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* sum_n in one process divided by the pool sent only counts. */
  { "speedup_send_n",        N_("Speed-up, counts only"),           LAB_METRIC_RATIO,   LAB_METRIC_FLAG_NONE },
  /* The pool sent the data, divided by sequential: above 1 is slower. */
  { "send_data_vs_sequential", N_("Sending the data: times slower"), LAB_METRIC_RATIO,  LAB_METRIC_FLAG_NONE },
  { "bytes_sent",            N_("Bytes sent to the workers"),       LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  /* Starting the pool, once per run (not in the times above). */
  { "spawn_s",               N_("Starting the pool"),               LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "processes",             N_("Worker processes"),                LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "sum",                   N_("Sum"),                             LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  { "send_data_sum",         N_("Sum, sent the data"),              LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  { "send_n_sum",            N_("Sum, sent only counts"),           LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  { "sequential_n_sum",      N_("Sum, sum_n in one process"),       LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  /* The phases of the median runs, as stacked in the chart. */
  { "send_data_transfer_s",  N_("Sent the data: transfer"),         LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_data_compute_s",   N_("Sent the data: compute"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_data_collect_s",   N_("Sent the data: collect"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_n_transfer_s",     N_("Sent counts: transfer"),           LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_n_compute_s",      N_("Sent counts: compute"),            LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_n_collect_s",      N_("Sent counts: collect"),            LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_data_serialise_s", N_("Sent the data: pickling"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_data_deserialise_s", N_("Sent the data: unpickling"),      LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_n_serialise_s",    N_("Sent counts: pickling"),           LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  { "send_n_deserialise_s",  N_("Sent counts: unpickling"),         LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  /* Every repeat, for the bar chart's min–max whiskers. */
  { "sequential_runs_s",     N_("Sequential, every run"),           LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  { "pool_send_data_runs_s", N_("Sent the data, every run"),        LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  { "pool_send_n_runs_s",    N_("Sent counts, every run"),          LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  { "sequential_n_runs_s",   N_("sum_n in one process, every run"), LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};

static const LabSummaryLink lab_psum_links[] = {
  { "process", "process-sum", N_("The price of sending data"), NULL },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_psum_code_bindings[] = {
  { "PROCESSES", "processes", 0 },
  { "SIZE",      "size",      0 },
  { "REPEAT",    "repeat",    0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_psum_code_results[] = {
  "sequential sum(array): {sequential_s} s",
  "sequential sum_n(size): {sequential_n_s} s",
  "pool, sent the data: {pool_send_data_s} s",
  "pool, sent counts: {pool_send_n_s} s",
  "sending the data: {send_data_vs_sequential}x the time of sum(array)",
  "sending counts: {speedup_send_n}x as fast as sum_n alone",
  NULL
};

const LabExperiment lab_exp_process_sum = {
  .id = "process-sum",
  .title = N_("The price of sending data to processes"),
  .topic = LAB_TOPIC_MULTIPROCESSING,
  .summary = N_("A pool that is sent the numbers sums them slower than one process; a pool told only how many is faster, but not by the number of cores"),
  .explanation = N_(
    "Processes, unlike threads, really do compute side by side. So the sum of ten "
    "million ones is tried three ways: by the parent alone; by a pool of worker "
    "processes, each sent its part of the array; and by the same pool, each "
    "worker told only how many ones to add and making them itself.\n"
    "\n"
    "Sending the parts makes the pool slower than the parent alone (the lecture: "
    "92 ms against 25 ms). The numbers have to travel: twenty megabytes of pickles go "
    "through pipes, copied out of the parent and into each worker, and that takes "
    "longer than adding them up. Before that, Python pickles every part (about two "
    "bytes per small number) and each worker unpickles it, which costs more than the "
    "pipe; the lab sends the same pickles. On the timeline the parent's lane is busy sending, part after "
    "part, while the workers mostly wait for their data.\n"
    "\n"
    "Sending only the counts takes almost nothing, and the workers add their parts "
    "at the same time: the pool wins. But not by as much as there are cores: "
    "handing out the work, waking the workers and collecting the results cost "
    "time too, and the slowest worker decides when the map is done.\n"
    "\n"
    "Each bar of the chart is split into where the time went: starting the "
    "processes (once per run, shown in both pool bars; the metric cards leave it "
    "out, as %timeit inside the with block does), serialise (pickling), transfer, "
    "deserialise (unpickling), compute and collect. "
    "The lesson of the lecture: starting processes costs, moving data between "
    "them costs, so when there is much data and little work per number, stay in "
    "one process.\n"
    "\n"
    "The lab's numbers are added by C, not by Python. So that a number costs "
    "about as much as in CPython's sum() (a few nanoseconds), each gets a little "
    "busywork (\"Interpreter overhead\", under More). A step of sum_n's generator "
    "gets about five times as much, and pickling or unpickling a number 1.7 times "
    "as much, as they cost in CPython next to sum(). Raise it and the work per "
    "number grows until sending the data pays off."),
  .code = N_(
    "import multiprocessing\n"
    "import statistics\n"
    "import timeit\n"
    "\n"
    "PROCESSES = 0       # 0: one worker per CPU\n"
    "SIZE = 10000000     # numbers to add up\n"
    "REPEAT = 3          # each sum is timed this often; the median counts\n"
    "\n"
    "\n"
    "def sum_n(n: int) -> int:          # in a module the workers can import\n"
    "    return sum(1 for _ in range(n))\n"
    "\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    multiprocessing.set_start_method(\"spawn\")\n"
    "    processes = PROCESSES or multiprocessing.cpu_count()\n"
    "    array = [1] * SIZE\n"
    "    part = SIZE // processes\n"
    "    array_parts = [array[i * part:(i + 1) * part] for i in range(processes)]\n"
    "    counts = [part] * processes\n"
    "\n"
    "    def seconds(stmt) -> float:\n"
    "        return statistics.median(timeit.repeat(stmt, number=1, repeat=REPEAT))\n"
    "\n"
    "    sequential = seconds(lambda: sum(array))\n"
    "    print(f\"sequential sum(array): {sequential:.4g} s\")\n"
    "    sequential_n = seconds(lambda: sum_n(SIZE))\n"
    "    print(f\"sequential sum_n(size): {sequential_n:.4g} s\")\n"
    "    with multiprocessing.Pool(processes) as pool:   # started once\n"
    "        send_data = seconds(lambda: sum(pool.map(sum, array_parts)))\n"
    "        print(f\"pool, sent the data: {send_data:.4g} s\")\n"
    "        send_n = seconds(lambda: sum(pool.map(sum_n, counts)))\n"
    "        print(f\"pool, sent counts: {send_n:.4g} s\")\n"
    "    print(f\"sending the data: {send_data / sequential:.2f}x the time of sum(array)\")\n"
    "    print(f\"sending counts: {sequential_n / send_n:.2f}x as fast as sum_n alone\")\n"),
  .params = lab_psum_params,
  .n_params = G_N_ELEMENTS (lab_psum_params),
  .metrics = lab_psum_metrics,
  .n_metrics = G_N_ELEMENTS (lab_psum_metrics),
  .run = lab_psum_run,
  .sweep_time_key = "pool_send_n_s",
  .summary_links = lab_psum_links,
  .n_summary_links = G_N_ELEMENTS (lab_psum_links),
  .code_bindings = lab_psum_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_psum_code_bindings),
  .code_results = lab_psum_code_results,
  .moment = { LAB_MOMENT_MOST_OVERLAP, N_("Show the workers side by side"),
              LAB_MOMENT_STATE (LAB_STATE_RUNNING) },
};
