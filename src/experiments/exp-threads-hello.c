/* exp-threads-hello.c — starting and joining threads.
 *
 * The main thread starts N real threads; each says "Hello i" and ends; then
 * the main thread joins them one by one. The timeline shows each thread's
 * life, its printed line, and the main thread's start and join calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiments.h"
#include "lab-threads.h"

/* What every greeter shares: the print lock makes "print and remember the
 * line" one step, so the `lines` metric lists the lines in exactly the order
 * of their output marks on the timeline. */
typedef struct
{
  LabRunContext *ctx;
  LabRecorder   *recorder;
  LabInterp     *interp;
  GMutex         print_lock;
  GPtrArray     *lines;    /* char *, print order; under print_lock */
  GArray        *order;    /* guint thread index, print order; under print_lock */
} LabHelloShared;

typedef struct
{
  LabThread       thread; /* first: see lab-threads.h */
  LabHelloShared *shared;
} LabHelloWorker;

static gpointer
lab_hello_worker_main (gpointer data)
{
  LabHelloWorker *worker = data;
  LabHelloShared *shared = worker->shared;
  LabLane *lane = worker->thread.lane;
  guint index = worker->thread.index;
  char *line;

  lab_lane_begin (lane, LAB_STATE_RUNNING,
                  lab_recorder_intern_printf (shared->recorder, "say_hello(%u)", index));
  /* Entering say_hello() is an eval-breaker check: the only point where the
   * main thread, waiting to return from start(), could take the GIL back
   * before the greeting — and only after a whole switch interval. */
  lab_interp_check (shared->interp, lane);

  line = g_strdup_printf ("Hello %u", index);

  g_mutex_lock (&shared->print_lock);
  lab_run_context_print (shared->ctx, lane, "%s", line);
  g_ptr_array_add (shared->lines, line);
  g_array_append_val (shared->order, index);
  g_mutex_unlock (&shared->print_lock);

  lab_lane_end (lane);
  lab_lane_record_thread_stats (lane);

  return NULL;
}

static GVariant *
lab_hello_run (LabRunContext  *ctx,
               GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  guint n_threads = (guint) lab_params_get_int (params, "threads");
  LabHelloShared shared = { 0 };
  LabHelloWorker *workers;
  GError *local_error = NULL;
  GVariantBuilder metrics;
  gboolean in_order = TRUE;
  guint n_started;
  gint64 t0, t1;

  shared.ctx = ctx;
  shared.recorder = recorder;
  shared.interp = lab_interp_new_for_run (ctx, lab_params_get_bool (params, "gil"), error);
  if (shared.interp == NULL)
    return NULL;
  shared.lines = g_ptr_array_new_full (n_threads, g_free);
  shared.order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_threads);
  g_mutex_init (&shared.print_lock);

  workers = g_new0 (LabHelloWorker, n_threads);

  for (guint i = 0; i < n_threads; i++)
    workers[i].shared = &shared;

  t0 = lab_clock_now_ns ();

  /* A greeter does not wait for anything, so a Stop only ends the starting
   * early; what was started is still joined. The main thread runs Python
   * too: it holds the GIL except inside start() and join(). */
  lab_interp_enter (shared.interp, lab_run_context_get_main_lane (ctx));
  n_started = lab_threads_start_python (ctx, shared.interp, "lab-hello", lab_hello_worker_main,
                                        workers, sizeof *workers, n_threads, &local_error);
  lab_threads_join_python (ctx, shared.interp, workers, sizeof *workers, n_started, n_threads);
  lab_interp_leave (shared.interp, lab_run_context_get_main_lane (ctx));

  t1 = lab_clock_now_ns ();

  /* Every thread has been joined: the shared state is ours alone now. */
  for (guint i = 1; i < shared.order->len; i++)
    {
      if (g_array_index (shared.order, guint, i) < g_array_index (shared.order, guint, i - 1))
        in_order = FALSE;
    }

  g_mutex_clear (&shared.print_lock);
  lab_interp_free (shared.interp);
  g_free (workers);
  g_array_unref (shared.order);

  if (local_error != NULL)
    {
      g_ptr_array_unref (shared.lines);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (lab_run_context_is_cancelled (ctx))
    {
      g_ptr_array_unref (shared.lines);
      return lab_run_context_return_cancelled (ctx, error);
    }

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "threads",
                         g_variant_new_int64 (n_threads));
  g_variant_builder_add (&metrics, "{sv}", "in_order",
                         g_variant_new_boolean (in_order));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (t1 - t0));
  g_variant_builder_add (&metrics, "{sv}", "lines",
                         g_variant_new_strv ((const char * const *) shared.lines->pdata,
                                             shared.lines->len));
  g_ptr_array_unref (shared.lines);

  return g_variant_builder_end (&metrics);
}

static const LabParamSpec lab_hello_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "threads",
    .label = N_("Threads"),
    .tooltip = N_("How many threads the main thread starts; each one prints one line"),
    .min = 1,
    .max = 64,
    .step = 1,
    .def_num = 4,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  LAB_EXPERIMENT_GIL_PARAM,
};

static const LabMetricSpec lab_hello_metrics[] = {
  { "threads",  N_("Threads started and joined"), LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "in_order", N_("Printed in start order"),     LAB_METRIC_BOOL,    LAB_METRIC_FLAG_NONE },
  { "wall_s",   N_("Wall time"),                  LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* The output panel shows the same lines; a card would be too long. */
  { "lines",    N_("Printed lines"),              LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};

static const LabSummaryLink lab_hello_links[] = {
  { "threading.Thread", "thread", N_("Starting and joining threads"), NULL },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_hello_code_bindings[] = {
  { "THREADS", "threads", 0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_hello_code_results[] = {
  "{lines}",
  NULL
};

const LabExperiment lab_exp_threads_hello = {
  .id = "threads-hello",
  .title = N_("Starting and joining threads"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("The main thread starts a few threads, each prints a greeting, then all are joined"),
  .explanation = N_(
    "A thread is a second line of execution inside the same program. It shares the "
    "program's memory and its output with every other thread, but runs on its own: "
    "the operating system decides when each thread gets a CPU.\n"
    "\n"
    "On the timeline, the top lane is the main thread. Its small marks are the "
    "start() calls; each one creates a new lane below, in which the thread runs "
    "its function (the coloured bar) and prints its greeting (the labelled mark). "
    "After starting every thread, the main thread calls join() on each in turn: "
    "the \"Waiting\" bars show how long it was blocked until that thread ended.\n"
    "\n"
    "Look at the output panel and the \"Printed in start order\" card. With the "
    "GIL on, as in CPython 3.11, the greetings come out in start order run after "
    "run, however many threads you start. Two things make it so: start() does not "
    "return until the new thread has actually started, and that thread already "
    "holds the GIL, which the main thread needs to go on. The main thread gets the "
    "GIL back only when the greeter ends, or after a whole switch interval (5 ms) "
    "of waiting, far longer than printing one line takes. Only a very busy "
    "machine, which can pause a greeter for longer than that, swaps two lines "
    "now and then (a few runs in a hundred). The \"GIL\" lane shows "
    "the lock passing from the main thread to each greeter and back.\n"
    "\n"
    "Turn the GIL off (free-threaded, as in CPython 3.13t) and run again a few "
    "times with more threads. start() still waits for the thread to start, but "
    "then both run at once, and now and then (more often on a busy machine) two "
    "lines swap places. The order was never promised: it came from the lock, not "
    "from the threads.\n"
    "\n"
    "join() is what makes the program wait for its threads. Without it the main "
    "thread could carry on (or exit) while the greeters are still running."),
  .code = N_(
    "import threading\n"
    "\n"
    "THREADS = 4   # the \"Threads\" slider\n"
    "\n"
    "\n"
    "def say_hello(n: int) -> None:\n"
    "    # Runs in its own thread; every thread writes to the same stdout.\n"
    "    print(f\"Hello {n}\")\n"
    "\n"
    "\n"
    "def greet_all(n_threads: int) -> None:\n"
    "    started = []\n"
    "    for n in range(n_threads):\n"
    "        worker = threading.Thread(target=say_hello, args=(n,))\n"
    "        # start() returns once the thread has started; with the GIL it\n"
    "        # has printed its line by the time the main thread goes on.\n"
    "        worker.start()\n"
    "        started.append(worker)\n"
    "\n"
    "    for worker in started:\n"
    "        worker.join()           # block until this thread has finished\n"
    "\n"
    "\n"
    "greet_all(THREADS)\n"),
  .params = lab_hello_params,
  .n_params = G_N_ELEMENTS (lab_hello_params),
  .metrics = lab_hello_metrics,
  .n_metrics = G_N_ELEMENTS (lab_hello_metrics),
  .run = lab_hello_run,
  .summary_links = lab_hello_links,
  .n_summary_links = G_N_ELEMENTS (lab_hello_links),
  .code_bindings = lab_hello_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_hello_code_bindings),
  .code_results = lab_hello_code_results,
  .moment = { LAB_MOMENT_MOST_OVERLAP, N_("Show the threads side by side"),
              LAB_MOMENT_STATE (LAB_STATE_RUNNING) },
};
