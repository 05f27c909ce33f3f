/* exp-process-pool-map.c — Pool.map over worker processes.
 *
 * `processes` workers (the worker helper, started with `start_method`; 0
 * means one per CPU, as Pool() does) compute multiplier(x) = x * 2 for x in
 * range(items). The items go out in chunks of `chunksize` (0: Python's
 * own rule, about four chunks per worker), each chunk to the worker that
 * has been idle longest; the results come back in order whoever computed
 * them. Each call can be given some busy time (`task_ms`) so that who ran
 * what shows on the timeline; the lecture's multiplier is instant (0).
 *
 * Lanes: the parent ("Main thread": starting the pool, pool.map with a
 * dispatch arrow, a pickle.dumps and a SENDING span per chunk, an arrow
 * back and a pickle.loads per result)
 * and "Worker k (pid N)" per worker with each call it made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <signal.h>

#include "lab-experiments.h"
#include "lab-process-pool.h"
#include "lab-start-method.h"

/* The functions the lecture's program defines in __main__. */
static const char * const lab_map_main_functions[] = {
  "multiplier", "make_multiplier", NULL,
};

/* Results printed in full up to this many; longer lists are shortened. */
#define LAB_MAP_PRINT_ALL 100

/* print(result): "[0, 2, 4, …]". */
static void
lab_map_print_result (LabRunContext *ctx,
                      LabLane       *lane,
                      const gint64  *result,
                      guint          n)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      if (n > LAB_MAP_PRINT_ALL && i == 10)
        {
          g_string_append (text, ", …");
          i = n - 3;
        }
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", result[i]);
    }
  g_string_append_c (text, ']');
  lab_run_context_print (ctx, lane, "%s", text->str);
  g_string_free (text, TRUE);
}

static void
lab_map_on_progress (guint    done,
                     guint    total,
                     gpointer data)
{
  lab_run_context_set_progress (data, 0.1 + 0.9 * done / MAX (total, 1));
}

static GVariant *
lab_map_run (LabRunContext  *ctx,
             GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n_workers = lab_process_pool_count_for (lab_params_get_int (params, "processes"));
  guint n_items = (guint) lab_params_get_int (params, "items");
  gint64 crash_item = lab_params_get_int (params, "crash_item");
  gint64 hang_item = lab_params_get_int (params, "hang_item");
  g_autofree gint64 *xs = g_new (gint64, n_items);
  g_autofree gint64 *values = g_new0 (gint64, n_items);
  g_autofree gint64 *worker_of_item = g_new0 (gint64, n_items);
  g_autofree gint64 *pids = g_new0 (gint64, n_workers);
  g_autofree char *label = NULL;
  LabProcessPoolOptions options = { 0 };
  LabStartChoice choice;
  LabPoolMap map = { 0 };
  LabPoolMapResult result = { 0 };
  LabPoolStart start = { .pids = pids };
  LabProcessPool *pool = NULL;
  GError *local_error = NULL;
  GVariantBuilder metrics;
  gint64 t0, t1;

  for (guint i = 0; i < n_items; i++)
    xs[i] = i;

  if (!lab_start_choice_from_params (params, &choice, &local_error))
    goto failed;

  t0 = lab_clock_now_ns ();
  /* with multiprocessing.get_context(start_method).Pool(processes) as pool:
   * fork copies __main__; the tasks are pickled whatever the method, as
   * Pool sends them through a queue. */
  options.n_workers = n_workers;
  pool = lab_start_choice_new_pool (&choice, lab_map_main_functions, NULL, &options, ctx,
                                    &start, &local_error);
  if (pool == NULL)
    goto failed;
  lab_run_context_set_progress (ctx, 0.1);

  /*     result = pool.map(multiplier, range(items), chunksize) */
  label = g_strdup_printf ("pool.map(multiplier, range(%u))", n_items);
  map.function = LAB_WIRE_FN_DOUBLE;
  map.qualname = lab_start_choice_qualname (&choice, "make_multiplier.<locals>.<lambda>");
  map.argument = (guint64) lab_params_get_int (params, "task_ms") * LAB_NS_PER_MS;
  map.n_items = n_items;
  map.values = xs;
  map.chunksize = (guint) lab_params_get_int (params, "chunksize");
  map.label = label;
  map.progress = lab_map_on_progress;
  map.progress_data = ctx;
  if (crash_item >= 0 && crash_item < n_items)
    {
      map.crash_item = (guint) crash_item;
      map.crash_signal = SIGSEGV;
    }
  else if (hang_item >= 0 && hang_item < n_items)
    {
      map.crash_item = (guint) hang_item;
      map.crash_signal = LAB_PROCESS_POOL_HANG;
    }
  if (!lab_process_pool_map (pool, &map, &result, &local_error))
    goto failed;

  for (guint i = 0; i < n_items; i++)
    {
      lab_pool_map_result_get_i64 (&result, i, &values[i]);
      worker_of_item[i] = result.worker_of_item[i];
    }
  lab_map_print_result (ctx, main_lane, values, n_items);

  /* The end of the with block: the workers are told to quit and reaped. */
  lab_process_pool_free (pool);
  t1 = lab_clock_now_ns ();

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "result", lab_metric_new_ints (values, n_items));
  g_variant_builder_add (&metrics, "{sv}", "worker_of_item", lab_metric_new_ints (worker_of_item, n_items));
  lab_pool_start_add_metrics (&start, &metrics);
  g_variant_builder_add (&metrics, "{sv}", "map_s",
                         lab_metric_new_seconds (result.stats.end_ns - result.stats.start_ns));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (t1 - t0));
  g_variant_builder_add (&metrics, "{sv}", "processes", g_variant_new_int64 (n_workers));
  g_variant_builder_add (&metrics, "{sv}", "chunksize",
                         g_variant_new_int64 (result.stats.chunksize));
  g_variant_builder_add (&metrics, "{sv}", "chunks", g_variant_new_int64 (result.stats.n_chunks));
  g_variant_builder_add (&metrics, "{sv}", "pids", lab_metric_new_ints (pids, n_workers));
  lab_pool_map_result_clear (&result);
  return g_variant_builder_end (&metrics);

failed:
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  return lab_run_context_return_error (ctx, local_error, error);
}

static const LabParamSpec lab_map_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "processes",
    .label = N_("Worker processes"),
    .tooltip = N_("How many worker processes the pool starts; 0 starts one per CPU, as Pool() does"),
    .min = 0,
    .max = LAB_PROCESS_POOL_MAX_WORKERS,
    .step = 1,
    .def_num = 0,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "start_method",
    .label = N_("Start method"),
    .tooltip = N_("How the workers are started: spawn runs fresh programs, fork copies the parent, forkserver copies a clean server process. The tasks are pickled with all three"),
    .def_text = "spawn",
    .choices = lab_start_method_choices,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "function",
    .label = N_("Function"),
    .tooltip = N_("Where multiplier() is written. A spawned worker cannot find a function typed into a notebook (a forked one can), and a lambda cannot be pickled with any method"),
    .def_text = "module",
    .choices = lab_function_place_choices,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "items",
    .label = N_("Items"),
    .tooltip = N_("How many numbers are doubled: range(items)"),
    .min = 1,
    .max = 10000,
    .step = 1,
    .def_num = 10,
    .flags = LAB_PARAM_FLAG_LOG_SCALE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "chunksize",
    .label = N_("Chunk size"),
    .tooltip = N_("How many items go to a worker in one message; 0 lets the pool choose as Python does (about four chunks per worker)"),
    .min = 0,
    .max = 10000,
    .step = 1,
    .def_num = 0,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "task_ms",
    .label = N_("Work per item"),
    .tooltip = N_("How long each multiplier() call keeps its CPU busy, so that the timeline shows which worker ran what; the lecture's multiplier takes no time (0)"),
    .min = 0,
    .max = 1000,
    .step = 1,
    .def_num = 20,
    .unit = N_("ms"),
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    /* For tests: the worker that gets this item is killed by SIGSEGV in
     * the middle of it (-1: none). */
    .kind = LAB_PARAM_INT,
    .key = "crash_item",
    .label = N_("Crash at item"),
    .tooltip = N_("The worker process running this item kills itself with SIGSEGV; -1 for none"),
    .min = -1,
    .max = 9999,
    .step = 1,
    .def_num = -1,
    .flags = LAB_PARAM_FLAG_HIDDEN,
  },
  {
    /* For tests: the worker that gets this item loops forever in it
     * without reporting progress, so the pool's watchdog has to end the
     * run (-1: none). */
    .kind = LAB_PARAM_INT,
    .key = "hang_item",
    .label = N_("Hang at item"),
    .tooltip = N_("The worker process running this item gets stuck in an endless loop; -1 for none"),
    .min = -1,
    .max = 9999,
    .step = 1,
    .def_num = -1,
    .flags = LAB_PARAM_FLAG_HIDDEN,
  },
};

static const LabMetricSpec lab_map_metrics[] = {
  { "result",         N_("Result"),                  LAB_METRIC_LIST,    LAB_METRIC_FLAG_NONE },
  /* For each item, the number of the worker process that computed it. */
  { "worker_of_item", N_("Worker of each item"),     LAB_METRIC_LIST,    LAB_METRIC_FLAG_NONE },
  /* From the first worker started to the last one ready. */
  { "spawn_s",        N_("Starting the pool"),       LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Each worker, from the request to start it until it is ready. */
  { "start_ms_per_process", N_("Start per process"), LAB_METRIC_MILLISECONDS, LAB_METRIC_FLAG_NONE },
  { "start_method",   N_("Start method"),            LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
  /* The pool.map() call alone. */
  { "map_s",          N_("pool.map()"),              LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Start, map and shutting the pool down. */
  { "wall_s",         N_("Wall time"),               LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "processes",      N_("Worker processes"),        LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "chunksize",      N_("Chunk size used"),         LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "chunks",         N_("Chunks sent"),             LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  { "pids",           N_("Process ids"),             LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};


static const LabPreset lab_map_presets[] = {
  { "notebook", N_("A notebook's function with spawn"),
    N_("multiplier() typed into a notebook: spawned workers cannot import it and stop with AttributeError"),
    lab_start_preset_notebook_spawn },
  { "notebook-fork", N_("A notebook's function with fork"),
    N_("The same with fork: each worker is a copy of the parent and has multiplier()"),
    lab_start_preset_notebook_fork },
  { "lambda", N_("A lambda, even with fork"),
    N_("pool.map(make_multiplier(), …): the pool pickles every task, and a lambda cannot be pickled"),
    lab_start_preset_lambda_fork },
};

static const LabSummaryLink lab_map_links[] = {
  { "multiprocessing.Pool", "pool", N_("Pool.map over worker processes"), NULL },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_map_code_bindings[] = {
  { "PROCESSES",  "processes",  0 },
  { "ITEMS",      "items",      0 },
  { "CHUNKSIZE",  "chunksize",  0 },
  { "TASK_TIME",  "task_ms",    0.001 },
  { "CRASH_ITEM", "crash_item", 0 },
  { "HANG_ITEM",  "hang_item",  0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_map_code_results[] = {
  "result: {result}",
  NULL
};

const LabExperiment lab_exp_process_pool_map = {
  .id = "process-pool-map",
  .title = N_("Pool.map over worker processes"),
  .topic = LAB_TOPIC_MULTIPROCESSING,
  .summary = N_("A pool of worker processes doubles ten numbers; the results come back in order"),
  .explanation = N_(
    "multiprocessing.Pool starts a few worker processes once and then hands them "
    "work: pool.map(multiplier, range(10)) sends the numbers to the workers, each "
    "worker calls multiplier on what it got, and the pool puts the answers back "
    "together. The result is [0, 2, 4, …, 18], in order, no matter which worker "
    "finished first.\n"
    "\n"
    "On the timeline, every worker has a lane with its process id. An arrow leads "
    "from the parent to the worker for each message the pool sends, and another "
    "one back with the answer. The pool does not send one number per message: it "
    "cuts the list into chunks (with ten numbers and two workers, chunks of two) "
    "and gives the next chunk to whichever worker is free. Set the chunk size to 1 "
    "and the arrows multiply; set it to the number of items and one worker does "
    "everything. Each chunk travels as a pickle, as in Python: the parent pickles "
    "the call with its numbers (pickle.dumps), the worker unpickles it "
    "(pickle.loads) and pickles its answers back; these steps are on the lanes too.\n"
    "\n"
    "Each multiplier() call here is given some busy time (\"Work per item\", "
    "under More), so that you can see who ran what; the lecture's multiplier takes "
    "no time at all. Set it to 0 and the calls shrink to slivers: then the cost of "
    "the pool is all in starting the workers and passing messages.\n"
    "\n"
    "Workers are started the \"spawn\" way, as fresh programs. CPython needs "
    "about a tenth of a second to start each one; the lab's small helper program "
    "starts in about a millisecond, and the pool still spends more time talking "
    "than computing when the work is this small.\n"
    "\n"
    "With \"fork\" each worker is a copy of the parent and has multiplier() even "
    "when it was typed into a notebook, where a spawned worker stops with "
    "AttributeError: Can't get attribute 'multiplier' on <module '__main__' "
    "(built-in)>; a lambda fails with every method, because the pool pickles each "
    "task. The lab never forks its own threaded process: a small single-threaded "
    "helper, sent the parent's functions once for fork, forks every worker."),
  .code = N_(
    "import multiprocessing\n"
    "import os\n"
    "import signal\n"
    "import time\n"
    "\n"
    "PROCESSES = 0      # 0: one worker per CPU\n"
    "ITEMS = 10         # range(ITEMS) is doubled\n"
    "CHUNKSIZE = 0      # 0: the pool chooses\n"
    "TASK_TIME = 0.02   # seconds each call keeps its CPU busy\n"
    "CRASH_ITEM = -1    # the worker that gets this item dies (-1: none)\n"
    "HANG_ITEM = -1     # the worker that gets this item never returns (-1: none)\n"
    "\n"
    "\n"
    "def multiplier(x: int) -> int:   # in a module the workers can import\n"
    "    end = time.perf_counter() + TASK_TIME\n"
    "    while time.perf_counter() < end:\n"
    "        pass\n"
    "    if x == CRASH_ITEM:\n"
    "        os.kill(os.getpid(), signal.SIGSEGV)\n"
    "    while x == HANG_ITEM:\n"
    "        pass\n"
    "    return x * 2\n"
    "\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    multiprocessing.set_start_method(\"spawn\")\n"
    "    with multiprocessing.Pool(PROCESSES or None) as pool:\n"
    "        result = pool.map(multiplier, range(ITEMS), CHUNKSIZE or None)\n"
    "    print(\"result:\", result)   # [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]\n"),
  .params = lab_map_params,
  .n_params = G_N_ELEMENTS (lab_map_params),
  .metrics = lab_map_metrics,
  .n_metrics = G_N_ELEMENTS (lab_map_metrics),
  .run = lab_map_run,
  .presets = lab_map_presets,
  .n_presets = G_N_ELEMENTS (lab_map_presets),
  .sweep_time_key = "map_s",
  .summary_links = lab_map_links,
  .n_summary_links = G_N_ELEMENTS (lab_map_links),
  .code_bindings = lab_map_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_map_code_bindings),
  .code_results = lab_map_code_results,
  .moment = { LAB_MOMENT_MOST_OVERLAP, N_("Show the workers side by side"),
              LAB_MOMENT_STATE (LAB_STATE_RUNNING) },
};
