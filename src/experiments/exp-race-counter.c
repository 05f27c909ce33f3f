/* exp-race-counter.c — a lost update on a shared counter, and the lock that
 * fixes it.
 *
 * Every thread reads the shared counter, maybe sleeps, and writes back what
 * it read plus one. Threads whose read-to-write windows overlap overwrite
 * each other's increments. The race is a *logical* one: the counter is only
 * touched with atomic operations (one atomic load, later one atomic
 * exchange), so there is no C data race and ThreadSanitizer stays quiet; the
 * lesson is the lost update, exactly as in Python where each single step is
 * atomic under the GIL but the read-modify-write as a whole is not.
 *
 * The threads are Python threads of a LabInterp: with the GIL, one runs at a
 * time and another can only come in where CPython lets go of the lock — at
 * the call to increment() (an eval-breaker check) or inside time.sleep(),
 * sleep(0) included. Without a pause call, no such point lies between the
 * read and the write, so nothing is lost; free-threaded, the window between
 * them is open again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiments.h"
#include "lab-threads.h"

/* What sits between the read and the write (parameter `pause`). */
typedef enum
{
  LAB_RACE_PAUSE_RANDOM, /* time.sleep(random.randint(0, 1) * MAX_SLEEP) */
  LAB_RACE_PAUSE_ZERO,   /* time.sleep(0) */
  LAB_RACE_PAUSE_NONE,   /* nothing: count = old + 1 */
} LabRacePause;

/* How often a thread waiting for the lock checks for Stop. */
#define LAB_RACE_LOCK_POLL_US (20 * G_TIME_SPAN_MILLISECOND)

/* A lock like Python's threading.Lock, whose waiters give up when the run is
 * stopped. (A bare GMutex cannot be waited for with a timeout.) */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean held;
} LabRaceLock;

typedef struct
{
  LabRunContext *ctx;
  LabRecorder   *recorder;
  LabInterp     *interp;
  gboolean       use_lock;
  LabRacePause   pause;
  LabRaceLock    lock;
  gint           count;        /* the shared counter: atomic access only */
  gint           overwrites;   /* atomic: writes that replaced a stale value */
  guint32        count_label;  /* interned counter name */
} LabRaceShared;

typedef struct
{
  LabThread      thread;       /* first: see lab-threads.h */
  LabRaceShared *shared;
  gint64         sleep_ns;     /* random pause: 0 or max_sleep_ms, chosen by the main thread */
} LabRaceWorker;

static gboolean
lab_race_lock_acquire (LabRaceLock   *lock,
                       LabRunContext *ctx)
{
  gboolean acquired = FALSE;

  g_mutex_lock (&lock->mutex);
  while (lock->held && !lab_run_context_is_cancelled (ctx))
    g_cond_wait_until (&lock->cond, &lock->mutex,
                       g_get_monotonic_time () + LAB_RACE_LOCK_POLL_US);
  if (!lock->held && !lab_run_context_is_cancelled (ctx))
    {
      lock->held = TRUE;
      acquired = TRUE;
    }
  g_mutex_unlock (&lock->mutex);

  return acquired;
}

/* lock.acquire() under the GIL: CPython first tries without letting go of
 * the GIL, and releases it only to wait for a lock someone else holds. */
static gboolean
lab_race_lock_acquire_python (LabRaceShared *shared,
                              LabLane       *lane)
{
  gboolean acquired = FALSE;

  g_mutex_lock (&shared->lock.mutex);
  if (!shared->lock.held)
    shared->lock.held = acquired = TRUE;
  g_mutex_unlock (&shared->lock.mutex);
  if (acquired)
    return TRUE;

  lab_interp_block_begin (shared->interp, lane);
  acquired = lab_race_lock_acquire (&shared->lock, shared->ctx);
  lab_interp_block_end (shared->interp, lane);
  return acquired;
}

static void
lab_race_lock_release (LabRaceLock *lock)
{
  g_mutex_lock (&lock->mutex);
  lock->held = FALSE;
  g_cond_signal (&lock->cond);
  g_mutex_unlock (&lock->mutex);
}

/* read → sleep → write, recorded on the worker's lane. Returns FALSE if the
 * run was stopped during the sleep (then nothing is written). */
static gboolean
lab_race_increment (LabRaceWorker *worker)
{
  LabRaceShared *shared = worker->shared;
  LabRecorder *recorder = shared->recorder;
  LabLane *lane = worker->thread.lane;
  guint32 flow = 0;
  guint16 read_flags = LAB_EVENT_FLAG_NONE;
  guint32 label;
  gint seen, previous, written;

  /* An arrow can only be drawn from a read that later proves stale; with the
   * lock held no read can, so only the lock-free variant asks for one. A
   * read that stays fresh leaves an unmatched source, which draws nothing. */
  if (!shared->use_lock)
    {
      flow = lab_recorder_new_flow (recorder);
      read_flags = LAB_EVENT_FLAG_FLOW_SOURCE;
    }

  seen = g_atomic_int_get (&shared->count);
  /* Translators: a mark on the timeline: the thread read this counter value */
  lab_lane_mark (lane, lab_recorder_intern_printf (recorder, _("read %d"), seen),
                 seen, read_flags, flow);

  /* Any time.sleep(), sleep(0) too, releases the GIL: the one place
   * between read and write where another thread can come in. */
  if (shared->pause != LAB_RACE_PAUSE_NONE &&
      !lab_interp_sleep_ns (shared->interp, lane, shared->ctx, worker->sleep_ns))
    return FALSE;

  written = seen + 1;
  previous = g_atomic_int_exchange (&shared->count, written);

  if (previous != seen)
    {
      /* Someone wrote in between: this write throws their work away. It is
       * highlighted, and ends the arrow that starts at the stale read. */
      g_atomic_int_inc (&shared->overwrites);
      /* Translators: a highlighted mark on the timeline: the thread wrote
       * the first number over the second, a value other threads had
       * written after this thread read the counter */
      label = lab_recorder_intern_printf (recorder, _("write %d (over %d)"),
                                          written, previous);
      lab_lane_mark (lane, label, written,
                     LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_FLOW_TARGET, flow);
    }
  else
    {
      /* Translators: a mark on the timeline: the thread wrote this value */
      label = lab_recorder_intern_printf (recorder, _("write %d"), written);
      lab_lane_mark (lane, label, written, LAB_EVENT_FLAG_NONE, 0);
    }

  lab_lane_counter (lane, shared->count_label, written);
  lab_interp_switch_point (shared->interp, lane, "print()");
  lab_run_context_print (shared->ctx, lane, "%d", written);

  return TRUE;
}

static gpointer
lab_race_worker_main (gpointer data)
{
  LabRaceWorker *worker = data;
  LabRaceShared *shared = worker->shared;
  LabLane *lane = worker->thread.lane;

  lab_lane_begin (lane, LAB_STATE_RUNNING,
                  lab_recorder_intern (shared->recorder, "increment()"));
  lab_interp_switch_point (shared->interp, lane, "increment()");

  if (!shared->use_lock)
    {
      lab_race_increment (worker);
    }
  else
    {
      gboolean acquired;

      lab_lane_begin (lane, LAB_STATE_LOCK_WAIT,
                      lab_recorder_intern (shared->recorder, "lock.acquire()"));
      acquired = lab_race_lock_acquire_python (shared, lane);
      lab_lane_end (lane);

      if (acquired)
        {
          lab_lane_begin (lane, LAB_STATE_LOCK_HELD,
                          lab_recorder_intern (shared->recorder, "with lock"));
          lab_race_increment (worker);
          lab_lane_end (lane);
          lab_race_lock_release (&shared->lock);
        }
    }

  lab_lane_end (lane);
  lab_lane_record_thread_stats (lane);

  return NULL;
}

static LabRacePause
lab_race_pause_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "zero") == 0)
    return LAB_RACE_PAUSE_ZERO;
  if (g_strcmp0 (nick, "none") == 0)
    return LAB_RACE_PAUSE_NONE;
  return LAB_RACE_PAUSE_RANDOM;
}

static GVariant *
lab_race_run (LabRunContext  *ctx,
              GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n_threads = (guint) lab_params_get_int (params, "threads");
  gint64 max_sleep_ms = lab_params_get_int (params, "max_sleep_ms");
  guint32 seed = (guint32) lab_params_get_int (params, "seed");
  LabRaceShared shared = { 0 };
  LabRaceWorker *workers;
  GError *local_error = NULL;
  GVariantBuilder metrics;
  GRand *rng;
  guint n_started;
  guint n_sleepers = 0;
  gint final_count;
  gint64 t0, t1;

  /* 0 asks for a random choice of sleepers; the seed actually used is
   * reported, so that a run worth showing again can be repeated. */
  if (seed == 0)
    seed = (guint32) g_random_int_range (1, G_MAXINT32);

  shared.ctx = ctx;
  shared.recorder = recorder;
  shared.use_lock = lab_params_get_bool (params, "lock");
  shared.pause = lab_race_pause_from_nick (lab_params_get_string (params, "pause"));
  shared.interp = lab_interp_new_for_run (ctx, lab_params_get_bool (params, "gil"), error);
  if (shared.interp == NULL)
    return NULL;
  /* Translators: the timeline track of the shared counter, named after
   * the listing's variable count */
  shared.count_label = lab_recorder_intern (recorder, _("count"));
  g_mutex_init (&shared.lock.mutex);
  g_cond_init (&shared.lock.cond);

  /* Who sleeps is decided here, before any thread exists, so one seed
   * always gives the same sleepers whatever the scheduler does. */
  workers = g_new0 (LabRaceWorker, n_threads);
  rng = g_rand_new_with_seed (seed);
  for (guint i = 0; i < n_threads; i++)
    {
      workers[i].shared = &shared;
      /* Drawn whatever the pause, so one seed keeps its sleepers. */
      if (g_rand_boolean (rng) && shared.pause == LAB_RACE_PAUSE_RANDOM)
        workers[i].sleep_ns = max_sleep_ms * LAB_NS_PER_MS;
      if (workers[i].sleep_ns > 0)
        n_sleepers++;
    }
  g_rand_free (rng);

  lab_lane_counter (main_lane, shared.count_label, 0);

  t0 = lab_clock_now_ns ();

  /* Every started thread is joined, also after Stop: sleeps and lock waits
   * end promptly once the run is cancelled. */
  lab_interp_enter (shared.interp, main_lane);
  n_started = lab_threads_start_python (ctx, shared.interp, "lab-race", lab_race_worker_main,
                                        workers, sizeof *workers, n_threads, &local_error);
  lab_threads_join_python (ctx, shared.interp, workers, sizeof *workers, n_started, n_threads);
  lab_interp_leave (shared.interp, main_lane);

  t1 = lab_clock_now_ns ();
  final_count = g_atomic_int_get (&shared.count);

  g_cond_clear (&shared.lock.cond);
  g_mutex_clear (&shared.lock.mutex);
  lab_interp_free (shared.interp);
  g_free (workers);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (lab_run_context_is_cancelled (ctx))
    return lab_run_context_return_cancelled (ctx, error);

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "expected",
                         g_variant_new_int64 (n_threads));
  g_variant_builder_add (&metrics, "{sv}", "final_count",
                         g_variant_new_int64 (final_count));
  g_variant_builder_add (&metrics, "{sv}", "lost_updates",
                         g_variant_new_int64 ((gint64) n_threads - final_count));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (t1 - t0));
  g_variant_builder_add (&metrics, "{sv}", "overwrites",
                         g_variant_new_int64 (g_atomic_int_get (&shared.overwrites)));
  g_variant_builder_add (&metrics, "{sv}", "sleepers",
                         g_variant_new_int64 (n_sleepers));
  g_variant_builder_add (&metrics, "{sv}", "seed_used",
                         g_variant_new_int64 (seed));

  return g_variant_builder_end (&metrics);
}

static const LabParamChoice lab_race_pauses[] = {
  { "random", N_("random: sleep(0) or the full sleep") },
  { "zero",   N_("zero: time.sleep(0)") },
  { "none",   N_("none: no call at all") },
  { NULL, NULL },
};

static const LabParamSpec lab_race_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "threads",
    .label = N_("Threads"),
    .tooltip = N_("How many threads each add one to the shared counter"),
    .min = 1,
    .max = 64,
    .step = 1,
    .def_num = 10,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  {
    .kind = LAB_PARAM_BOOL,
    .key = "lock",
    .label = N_("Use a lock"),
    .tooltip = N_("Hold a lock from the read to the write, so only one thread at a time updates the counter"),
    .def_bool = FALSE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "max_sleep_ms",
    .label = N_("Sleep between read and write"),
    .tooltip = N_("With the random pause, each thread sleeps either 0 s or this long between reading the counter and writing it back"),
    .min = 0,
    .max = 2000,
    .step = 10,
    .def_num = 1000,
    .unit = N_("ms"),
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "pause",
    .label = N_("Pause between read and write"),
    .tooltip = N_("random: time.sleep(0) or the full sleep, by the seed; zero: time.sleep(0) in every thread; none: no call, just count = old + 1"),
    .def_text = "random",
    .choices = lab_race_pauses,
  },
  LAB_EXPERIMENT_GIL_PARAM,
  {
    .kind = LAB_PARAM_INT,
    .key = "seed",
    .label = N_("Random seed"),
    .tooltip = N_("Decides which threads sleep; the same seed gives the same sleepers. 0 picks a new seed each run"),
    .min = 0,
    .max = 2147483647,
    .step = 1,
    .def_num = 0,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
};

static const LabCodeBinding lab_race_code_bindings[] = {
  { "THREADS",   "threads",      0 },
  { "USE_LOCK",  "lock",         0 },
  { "PAUSE",     "pause",        0 },
  { "MAX_SLEEP", "max_sleep_ms", 0.001 },
  { "SEED",      "seed",         0 },
};

static const LabMetricSpec lab_race_metrics[] = {
  { "expected",     N_("Expected count"),       LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "final_count",  N_("Final count"),          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "lost_updates", N_("Lost updates"),         LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "wall_s",       N_("Wall time"),            LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Writes that replaced a value the thread had not read: each one threw
   * away at least one other thread's increment (highlighted marks). */
  { "overwrites",   N_("Overwriting writes"),   LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  /* Threads that slept between read and write (the rest did not sleep). */
  { "sleepers",     N_("Threads that slept"),   LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  /* The seed that chose the sleepers: give it as `seed` to repeat a run. */
  { "seed_used",    N_("Seed used"),            LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
};

static const LabSummaryLink lab_race_links[] = {
  { "thread", "race-counter", N_("Race on a shared counter"), NULL },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_race_code_results[] = {
  "expected {expected}, got {final_count} (lost updates: {lost_updates})",
  "took {wall_s} s",
  NULL
};

const LabExperiment lab_exp_race_counter = {
  .id = "race-counter",
  .title = N_("Race on a shared counter"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("Threads add one to a shared counter and lose updates, until a lock serialises them"),
  .explanation = N_(
    "Every thread does the same three steps: read the shared counter, pause, and "
    "write back the value it read plus one. Each step on its own is safe. Together "
    "they are not: if another thread reads the same old value before this one "
    "writes, whoever writes last wins and one increment is lost.\n"
    "\n"
    "On the timeline, each thread lane shows the value it read, its pause, and the "
    "value it wrote; the \"count\" track follows the shared value. A highlighted "
    "write is one that replaced a value its thread had never seen: it threw "
    "away the increments of the threads that wrote in between. The arrow leads "
    "from the stale read to that write. \"Lost updates\" is how far the final "
    "count fell short of the number of threads.\n"
    "\n"
    "With the GIL on (CPython 3.11) only one thread runs Python at a time, and "
    "another can take over only where CPython lets go of the GIL: in any blocking "
    "call, and at the checks it makes on entering a function or jumping back in a "
    "loop. The \"may switch\" marks show these checks. Try the three pauses. "
    "\"random\" is the lecture's sleep of 0 or the full time. \"zero\" calls "
    "time.sleep(0): it sleeps for no time at all, yet it lets go of the GIL, the "
    "next thread reads the old value, and updates are lost in nearly every run. "
    "\"none\" makes no call between read and write, so no switch can happen "
    "there and nothing is lost, run after run. Turn the GIL off (free-threaded "
    "3.13t) and \"none\" is a race again: threads really run side by side, and "
    "nothing stops two of them from reading the same value. Here it seldom "
    "happens, because each thread is done microseconds after it starts, but it "
    "can. The GIL never protected the counter; it only made the window rare or "
    "closed it by accident.\n"
    "\n"
    "Now turn on \"Use a lock\" and run again. The lock is held from the read to "
    "the write, so a thread can only read after the previous one has written: no "
    "highlighted writes, and the count is exact with every pause and without the "
    "GIL. Compare the runs in the history: with the random pause the locked run "
    "takes about as long as all the sleeps added together, because the sleepers "
    "now take turns instead of sleeping side by side. That is the price of the "
    "fix."),
  .code = N_(
    "import contextlib\n"
    "import random\n"
    "import threading\n"
    "import time\n"
    "\n"
    "THREADS = 10           # the \"Threads\" slider\n"
    "USE_LOCK = False       # the \"Use a lock\" switch\n"
    "PAUSE = \"random\"       # \"random\", \"zero\" or \"none\"\n"
    "MAX_SLEEP = 1.0        # seconds between the read and the write\n"
    "SEED = 0               # 0: different sleeps every run\n"
    "\n"
    "if SEED:\n"
    "    random.seed(SEED)\n"
    "counter = 0\n"
    "counter_lock = threading.Lock()\n"
    "\n"
    "\n"
    "def increment() -> None:   # entering a function: the GIL may switch here\n"
    "    global counter\n"
    "    guard = counter_lock if USE_LOCK else contextlib.nullcontext()\n"
    "    with guard:\n"
    "        seen = counter                       # read\n"
    "        if PAUSE == \"random\":\n"
    "            time.sleep(random.randint(0, 1) * MAX_SLEEP)\n"
    "        elif PAUSE == \"zero\":\n"
    "            time.sleep(0)   # sleeps no time, but releases the GIL\n"
    "        # with \"none\" nothing lies between read and write where the\n"
    "        # GIL could change hands: count = seen + 1 runs in one go\n"
    "        counter = seen + 1                   # write: may overwrite\n"
    "        print(counter, end=\" \")\n"
    "\n"
    "\n"
    "start = time.perf_counter()\n"
    "workers = [threading.Thread(target=increment) for _ in range(THREADS)]\n"
    "for worker in workers:\n"
    "    worker.start()\n"
    "for worker in workers:\n"
    "    worker.join()\n"
    "print(f\"\\nexpected {THREADS}, got {counter} (lost updates: {THREADS - counter})\")\n"
    "print(f\"took {time.perf_counter() - start:.4g} s\")\n"),
  .params = lab_race_params,
  .n_params = G_N_ELEMENTS (lab_race_params),
  .metrics = lab_race_metrics,
  .n_metrics = G_N_ELEMENTS (lab_race_metrics),
  .run = lab_race_run,
  .summary_links = lab_race_links,
  .n_summary_links = G_N_ELEMENTS (lab_race_links),
  .code_bindings = lab_race_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_race_code_bindings),
  .code_results = lab_race_code_results,
  .moment = { LAB_MOMENT_FIRST_HIGHLIGHT, N_("Show the lost update"), 0 },
};
