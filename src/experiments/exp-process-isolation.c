/* exp-process-isolation.c — processes do not share memory.
 *
 * The parent has a list, `acc` (empty, or with `prefill` items). `processes`
 * child processes (the worker helper, started with `start_method`) each get
 * a copy of it and append 'item' to that copy: with spawn and forkserver
 * the copy is pickled for each child, as multiprocessing.Process pickles
 * its arguments; with fork the child finds it in the memory it copied
 * (from the fork server that was sent the parent's data once, see
 * lab-fork-server.h). The child really holds the list and reports its
 * length, and its lane shows the list it ends up with. The parent's list
 * does not change.
 * Then the same children put their item into a channel back to the parent
 * (the pipe they answer on, standing in for a multiprocessing.Queue); the
 * parent takes each one and appends it, so its list fills up — a counter
 * track follows its length.
 *
 * Lanes: the parent ("Main thread": "acc = []" marks, the counter) and one
 * PROCESS lane per child, "Process k (pid N)".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-experiments.h"
#include "lab-process-pool.h"
#include "lab-start-method.h"

/* The functions the lecture's program defines in __main__. */
static const char * const lab_isolation_main_functions[] = {
  "worker", "worker_shared", "make_worker", NULL,
};

/* "['item', 'item']", as Python prints a list of strings. */
static char *
lab_isolation_format_list (GPtrArray *list)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (text, "%s'%s'", i > 0 ? ", " : "", (const char *) list->pdata[i]);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* print("acc =", acc) in the parent: a printed line, and a mark on its
 * lane. */
static void
lab_isolation_show_acc (LabRunContext *ctx,
                        LabLane       *lane,
                        GPtrArray     *acc)
{
  g_autofree char *shown = lab_isolation_format_list (acc);

  lab_run_context_print (ctx, lane, "acc = %s", shown);
}

typedef struct
{
  LabLane *lane;
  guint32  counter;
} LabIsolationCounter;

/* q.get() returned once more: the parent's list is one longer. */
static void
lab_isolation_on_get (guint    done,
                      guint    total,
                      gpointer data)
{
  LabIsolationCounter *counter = data;

  lab_lane_counter (counter->lane, counter->counter, done);
}

static GVariant *
lab_isolation_run (LabRunContext  *ctx,
                   GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n = (guint) lab_params_get_int (params, "processes");
  guint prefill = (guint) lab_params_get_int (params, "prefill");
  g_autoptr(GPtrArray) acc = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) acc_copy = NULL;
  g_autofree LabWireItem *copies = g_new0 (LabWireItem, n);
  g_autofree LabWireItem *items = g_new0 (LabWireItem, n);
  g_autofree gint64 *child_lens = g_new0 (gint64, n);
  g_autofree gint64 *pids = g_new0 (gint64, n);
  g_autofree char *start_label = NULL;
  LabProcessPoolOptions options = { 0 };
  LabStartChoice choice;
  LabIsolationCounter counter = { main_lane, 0 };
  LabPoolMap map = { 0 };
  LabPoolMapResult result = { 0 };
  LabPoolStart start = { .pids = pids };
  LabProcessPool *pool = NULL;
  GError *local_error = NULL;
  GVariantBuilder metrics;
  gint64 t0, t1;
  guint64 args_bytes;
  guint parent_len;

  if (!lab_start_choice_from_params (params, &choice, &local_error))
    goto failed;

  t0 = lab_clock_now_ns ();
  for (guint i = 0; i < prefill; i++)
    g_ptr_array_add (acc, g_strdup_printf ("old %u", i));
  lab_isolation_show_acc (ctx, main_lane, acc);
  acc_copy = lab_wire_string_list_to_bytes ((const char * const *) acc->pdata, acc->len);

  /* for p in processes: p.start() */
  start_label = g_strdup_printf ("[p.start() for p in processes]  # %u, %s", n,
                                 lab_start_method_to_string (choice.method));
  options.n_workers = n;
  options.flags = LAB_PROCESS_POOL_PROCESS_NAMES;
  options.spawn_label = start_label;
  {
    LabPyValue *list = lab_py_list_new ();

    for (guint i = 0; i < acc->len; i++)
      lab_py_list_append (list, lab_py_str_new (acc->pdata[i], -1));
    /* fork: the Process objects, acc with them, are in the parent's memory. */
    pool = lab_start_choice_new_pool (&choice, lab_isolation_main_functions, list, &options,
                                      ctx, &start, &local_error);
  }
  if (pool == NULL)
    goto failed;

  /* Each child gets its own copy of acc and appends to it: pickled, or
   * with fork already in its memory (the call is then not sent at all, as
   * Process under fork pickles nothing). As many tasks as processes: one
   * each. */
  for (guint i = 0; i < n; i++)
    copies[i] = (LabWireItem) { g_bytes_get_data (acc_copy, NULL), g_bytes_get_size (acc_copy) };
  map.function = LAB_WIRE_FN_APPEND_ITEM;
  map.qualname = lab_start_choice_qualname (&choice, "make_worker.<locals>.<lambda>");
  map.inherited = choice.method == LAB_START_FORK;
  map.n_items = n;
  map.items = copies;
  map.chunksize = 1;
  map.label = "[p.join() for p in processes]";
  if (!lab_process_pool_map (pool, &map, &result, &local_error))
    goto failed;
  args_bytes = result.stats.item_bytes;
  for (guint i = 0; i < n; i++)
    lab_pool_map_result_get_i64 (&result, i, &child_lens[i]);
  lab_pool_map_result_clear (&result);

  /* Back in the parent: its list has not changed. */
  parent_len = acc->len;
  lab_isolation_show_acc (ctx, main_lane, acc);
  lab_run_context_set_progress (ctx, 0.5);

  /* The shared channel: each child puts its item, the parent gets it and
   * appends it. */
  /* Translators: the name of a counter track on the timeline: how many
   * items the parent process's list holds */
  counter.counter = lab_recorder_intern (recorder, _("parent's list length"));
  lab_lane_counter (main_lane, counter.counter, 0);
  for (guint i = 0; i < n; i++)
    items[i] = (LabWireItem) { (const guint8 *) "item", 4 };
  memset (&map, 0, sizeof map);
  map.function = LAB_WIRE_FN_QUEUE_PUT;
  map.n_items = n;
  map.items = items;
  map.chunksize = 1;
  map.label = "acc.append(q.get())";
  map.progress = lab_isolation_on_get;
  map.progress_data = &counter;
  if (!lab_process_pool_map (pool, &map, &result, &local_error))
    goto failed;
  for (guint i = 0; i < n; i++)
    {
      GBytes *got = result.results->pdata[i];

      g_ptr_array_add (acc, g_utf8_make_valid (g_bytes_get_data (got, NULL),
                                               (gssize) g_bytes_get_size (got)));
    }
  lab_pool_map_result_clear (&result);
  lab_isolation_show_acc (ctx, main_lane, acc);

  lab_process_pool_free (pool);
  t1 = lab_clock_now_ns ();
  lab_run_context_set_progress (ctx, 1.0);

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "parent_len", g_variant_new_int64 (parent_len));
  g_variant_builder_add (&metrics, "{sv}", "child_lens", lab_metric_new_ints (child_lens, n));
  g_variant_builder_add (&metrics, "{sv}", "shared_len", g_variant_new_int64 (acc->len));
  g_variant_builder_add (&metrics, "{sv}", "processes", g_variant_new_int64 (n));
  lab_pool_start_add_metrics (&start, &metrics);
  g_variant_builder_add (&metrics, "{sv}", "args_pickle_bytes",
                         g_variant_new_int64 ((gint64) args_bytes));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (t1 - t0));
  g_variant_builder_add (&metrics, "{sv}", "pids", lab_metric_new_ints (pids, n));
  return g_variant_builder_end (&metrics);

failed:
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  return lab_run_context_return_error (ctx, local_error, error);
}

static const LabParamSpec lab_isolation_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "processes",
    .label = N_("Processes"),
    .tooltip = N_("How many child processes each append an item to their copy of the list"),
    .min = 1,
    .max = LAB_PROCESS_POOL_MAX_WORKERS,
    .step = 1,
    .def_num = 5,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "start_method",
    .label = N_("Start method"),
    .tooltip = N_("How the children are started: spawn runs a fresh program that gets a pickled copy of acc; fork copies the parent, acc included; forkserver copies a clean server process, and acc is pickled"),
    .def_text = "spawn",
    .choices = lab_start_method_choices,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "function",
    .label = N_("Worker function"),
    .tooltip = N_("Where worker() is written. A spawned child cannot find a function typed into a notebook, and a lambda cannot be pickled; a forked child has both in its copy of the parent"),
    .def_text = "module",
    .choices = lab_function_place_choices,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "prefill",
    .label = N_("Items already in the list"),
    .tooltip = N_("How many items the parent's list holds before the children start: every child's copy begins with them"),
    .min = 0,
    .max = 100,
    .step = 1,
    .def_num = 0,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
};

static const LabMetricSpec lab_isolation_metrics[] = {
  /* The length of the parent's list after the children appended to theirs. */
  { "parent_len", N_("Parent's list length"),            LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "child_lens", N_("Each child's list length"),        LAB_METRIC_LIST,    LAB_METRIC_FLAG_NONE },
  /* The parent's list after the children sent their items back. */
  { "shared_len", N_("Parent's list through the queue"), LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "processes",  N_("Processes"),                       LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  /* From the first start to the last child ready. */
  { "spawn_s",    N_("Starting the processes"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Each process, from the request to start it until it is ready. */
  { "start_ms_per_process", N_("Start per process"),     LAB_METRIC_MILLISECONDS, LAB_METRIC_FLAG_NONE },
  { "start_method", N_("Start method"),                  LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
  /* The pickled calls sent to the children: 0 bytes of acc with fork. */
  { "args_pickle_bytes", N_("Bytes pickled for the children"), LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "wall_s",     N_("Wall time"),                       LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "pids",       N_("Process ids"),                     LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};

/* The cards of every process's list. */
static const char * const lab_isolation_panel_keys[] = {
  "child_lens", "parent_len", "shared_len", "pids", NULL,
};


static const LabPreset lab_isolation_presets[] = {
  { "notebook", N_("A notebook's function with spawn"),
    N_("worker() typed into a notebook: a spawned child cannot import it and stops with AttributeError"),
    lab_start_preset_notebook_spawn },
  { "notebook-fork", N_("A notebook's function with fork"),
    N_("The same with fork: the child is a copy of the parent, so it has worker() already"),
    lab_start_preset_notebook_fork },
  { "lambda", N_("A lambda with spawn"),
    N_("Process(target=make_worker()) with a lambda: it cannot be pickled, so no child can be given it"),
    lab_start_preset_lambda_spawn },
  { "lambda-fork", N_("A lambda with fork"),
    N_("The same with fork: Process pickles nothing, the child has the lambda in its copy"),
    lab_start_preset_lambda_fork },
};

static const LabSummaryLink lab_isolation_links[] = {
  { "process", "process-isolation", N_("Processes do not share memory"), NULL },
  { "multiprocessing.Process", "process", N_("Processes do not share memory"), NULL },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_isolation_code_bindings[] = {
  { "PROCESSES",    "processes",    0 },
  { "START_METHOD", "start_method", 0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_isolation_code_results[] = {
  "child: acc = {}, length {child_lens}",
  "parent: acc = {}, length {parent_len}",
  "parent, through a queue: length {shared_len}",
  NULL
};

const LabExperiment lab_exp_process_isolation = {
  .id = "process-isolation",
  .title = N_("Processes do not share memory"),
  .topic = LAB_TOPIC_MULTIPROCESSING,
  .summary = N_("Child processes append to their own copy of a list; the parent's list stays empty until the items are sent back"),
  .explanation = N_(
    "The parent starts with an empty list and starts five child processes, "
    "handing each the list. Every child appends 'item' to it and ends. Then the "
    "parent looks at its list: still empty.\n"
    "\n"
    "A process has memory of its own. What a child works on is not the parent's "
    "list but a copy, made in one of two ways. With the \"spawn\" and "
    "\"forkserver\" start methods, multiprocessing pickles the target and its "
    "arguments, sends the bytes to the child, and the child unpickles them into a "
    "new list. With \"fork\", nothing is pickled: the child begins as a copy of "
    "the parent's whole memory, the list included (the pages are shared until one "
    "side writes to them). Either way the child's append changes only its own "
    "copy. On the timeline each process lane shows the list its child ends up "
    "with, one item long, while the parent's lane shows \"acc = []\" before and "
    "after.\n"
    "\n"
    "To get data back, it has to be sent back. In the second part the children put "
    "their item into a queue (underneath, a pipe to the parent), and the parent "
    "takes the items out and appends them itself. The counter track shows the "
    "parent's list growing as each item arrives, until it holds one item per "
    "child. The lab keeps the same children for this part, so the timeline stays "
    "short.\n"
    "\n"
    "The start method decides how a child begins. With \"spawn\" each child is a "
    "fresh program that knows nothing of the parent except what it is sent, "
    "pickled. In Python this is why the worker function must live in a module the "
    "child can import (the lecture moves it into a file for this reason): define "
    "it in a notebook and the child stops with AttributeError: Can't get attribute "
    "'worker' on <module '__main__' (built-in)>. With \"fork\" the child is a copy "
    "of the parent: the list, a notebook's function, even a lambda are already in "
    "its memory, and nothing is pickled. But of the parent's threads only the one "
    "that called fork() lives on in the copy: a lock that another thread held at "
    "that moment stays locked for ever. \"forkserver\" copies a clean server "
    "process instead, so the arguments are pickled as with spawn. Python uses "
    "spawn by default on Windows and macOS; on Linux it used fork until Python "
    "3.14, which switched to forkserver.\n"
    "\n"
    "What the lab models: a window runs threads, so the lab never forks itself. "
    "For fork and forkserver it first starts a small helper with a single thread; "
    "for fork it sends that helper the parent's data once, and each child is a "
    "real fork() of the helper, finding the data in the memory it copied."),
  .code = N_(
    "import multiprocessing\n"
    "\n"
    "PROCESSES = 5\n"
    "START_METHOD = \"spawn\"   # \"spawn\", \"fork\" or \"forkserver\"\n"
    "\n"
    "\n"
    "def worker(acc: list) -> None:\n"
    "    acc.append(\"item\")          # the child's copy grows\n"
    "    print(f\"child: acc = {acc}, length {len(acc)}\")\n"
    "\n"
    "\n"
    "def worker_shared(q: multiprocessing.Queue) -> None:\n"
    "    q.put(\"item\")               # bytes through a pipe to the parent\n"
    "\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    multiprocessing.set_start_method(START_METHOD)\n"
    "\n"
    "    acc = []\n"
    "    processes = [multiprocessing.Process(target=worker, args=(acc,))\n"
    "                 for _ in range(PROCESSES)]\n"
    "    [p.start() for p in processes]   # each gets a pickled copy of acc\n"
    "    [p.join() for p in processes]\n"
    "    print(f\"parent: acc = {acc}, length {len(acc)}\")   # still empty\n"
    "\n"
    "    q = multiprocessing.Queue()\n"
    "    processes = [multiprocessing.Process(target=worker_shared, args=(q,))\n"
    "                 for _ in range(PROCESSES)]\n"
    "    [p.start() for p in processes]\n"
    "    for _ in processes:\n"
    "        acc.append(q.get())          # the parent appends what arrives\n"
    "    [p.join() for p in processes]\n"
    "    print(f\"parent, through a queue: length {len(acc)}\")\n"),
  .params = lab_isolation_params,
  .n_params = G_N_ELEMENTS (lab_isolation_params),
  .metrics = lab_isolation_metrics,
  .n_metrics = G_N_ELEMENTS (lab_isolation_metrics),
  .run = lab_isolation_run,
  .presets = lab_isolation_presets,
  .n_presets = G_N_ELEMENTS (lab_isolation_presets),
  .panel = { LAB_PANEL_PROCESS_BOXES, lab_isolation_panel_keys, NULL },
  .summary_links = lab_isolation_links,
  .n_summary_links = G_N_ELEMENTS (lab_isolation_links),
  .code_bindings = lab_isolation_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_isolation_code_bindings),
  .code_results = lab_isolation_code_results,
  .moment = { LAB_MOMENT_MOST_OVERLAP, N_("Show the processes side by side"),
              LAB_MOMENT_STATE (LAB_STATE_RUNNING) },
};
