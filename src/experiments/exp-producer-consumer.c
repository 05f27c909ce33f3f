/* exp-producer-consumer.c — a queue between threads, and a stop sentinel.
 *
 * One producer thread makes `items` items (each takes a random time between
 * `produce_min_ms` and `produce_max_ms`) and puts them into a GAsyncQueue;
 * `consumers` consumer threads take them out and process them (each takes
 * `consume_ms`). Then the producer puts one sentinel (Python's None) per
 * consumer; a consumer that gets one prints a line and ends. `time_scale`
 * multiplies every delay, so tests can run the same scenario fast.
 *
 * With `queue_max` > 0 the queue is bounded like queue.Queue(maxsize): the
 * producer first takes a free slot (a counting semaphore of queue_max slots,
 * a mutex and a condition variable), blocking while there is none; a
 * consumer gives the slot back when it has taken an item out.
 *
 * The queue depth is changed and recorded under the GAsyncQueue's own lock
 * (g_async_queue_lock, then the _unlocked calls), so the "queue depth"
 * counter samples — written by whichever thread changed the depth — are in
 * the same order as the changes and step by exactly one. Each item carries
 * the flow id of its put mark, so the get mark ends an arrow from its put.
 *
 * The threads are Python threads of a LabInterp: with the GIL they hold it
 * except inside time.sleep(), a blocking queue.get() or put() and join().
 * No thread waits for the GIL while it holds another lock (the queue's or
 * the slots' mutex), so the model cannot deadlock.
 *
 * The two delay bounds are two ints (EXPERIMENTS.md's "produce_ms range
 * 500–1000"); if the minimum is set above the maximum, the two are simply
 * taken the other way round, so sliders can move freely.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdatomic.h>

#include "lab-experiments.h"
#include "lab-threads.h"

/* How long a blocked thread waits before it checks for Stop. */
#define LAB_PC_POLL_US (20 * G_TIME_SPAN_MILLISECOND)

/* One entry of the queue. */
typedef struct
{
  guint   number;   /* 1, 2, ...; 0 is the sentinel (None) */
  guint32 flow;     /* the arrow from its put to its get */
} LabPcItem;

typedef struct
{
  LabRunContext *ctx;
  LabRecorder   *recorder;
  LabInterp     *interp;
  atomic_bool    aborted;      /* a thread could not be started */

  GAsyncQueue   *queue;        /* LabPcItem* */
  gint           depth;        /* under the queue's lock */
  gint           max_depth;    /* under the queue's lock */
  guint32        depth_label;

  /* The free slots of a bounded queue (queue_max > 0). */
  guint          queue_max;
  GMutex         slots_mutex;
  GCond          slots_cond;
  guint          free_slots;

  guint          items;
  guint          n_consumers;
  gint64         produce_min_ns;
  gint64         produce_max_ns;
  gint64         consume_ns;
  guint32        seed;
} LabPcShared;

typedef struct
{
  LabThread    thread;       /* lane and GThread (lab-threads.h) */
  LabPcShared *shared;
  guint        number;       /* consumers: 1, 2, ... */
  guint        count;        /* items produced or consumed */
  gint64       blocked_ns;   /* producer: time waiting for a free slot */
} LabPcWorker;

static gboolean
lab_pc_stopped (LabPcShared *shared)
{
  return lab_run_context_is_cancelled (shared->ctx) || atomic_load (&shared->aborted);
}

/* A SLEEPING span around a (scaled) delay. FALSE if stopped meanwhile. */
static gboolean
lab_pc_sleep (LabPcWorker *worker,
              gint64       ns)
{
  LabPcShared *shared = worker->shared;

  /* No delay, no span: a zero-width bar only clutters the lane. */
  if (ns <= 0)
    return !lab_pc_stopped (shared);

  return lab_interp_sleep_ns (shared->interp, worker->thread.lane, shared->ctx, ns) &&
         !lab_pc_stopped (shared);
}

static char *
lab_pc_item_text (const LabPcItem *item)
{
  return item->number == 0 ? g_strdup ("None") : g_strdup_printf ("%u", item->number);
}

/* queue.put(item): waits for a free slot of a bounded queue (a WAITING
 * span), then pushes. Takes @item; FALSE if stopped while waiting. */
static gboolean
lab_pc_put (LabPcWorker *worker,
            LabPcItem   *item)
{
  LabPcShared *shared = worker->shared;
  g_autofree char *text = lab_pc_item_text (item);

  if (shared->queue_max > 0)
    {
      gboolean got_slot;

      g_mutex_lock (&shared->slots_mutex);
      if (shared->free_slots == 0)
        {
          gint64 t0 = lab_clock_now_ns ();
          /* Translators: a span on the timeline: the producer is blocked
           * because the bounded queue is full */
          guint32 label = lab_recorder_intern (shared->recorder, _("queue full"));

          /* A full queue blocks: without the GIL, and never waiting for
           * the GIL with the mutex held. Only this thread takes slots. */
          g_mutex_unlock (&shared->slots_mutex);
          lab_interp_block_begin (shared->interp, worker->thread.lane);
          g_mutex_lock (&shared->slots_mutex);
          lab_lane_begin (worker->thread.lane, LAB_STATE_WAITING, label);
          while (shared->free_slots == 0 && !lab_pc_stopped (shared))
            g_cond_wait_until (&shared->slots_cond, &shared->slots_mutex,
                               g_get_monotonic_time () + LAB_PC_POLL_US);
          lab_lane_end (worker->thread.lane);
          g_mutex_unlock (&shared->slots_mutex);
          lab_interp_block_end (shared->interp, worker->thread.lane);
          g_mutex_lock (&shared->slots_mutex);
          worker->blocked_ns += lab_clock_now_ns () - t0;
        }
      got_slot = shared->free_slots > 0 && !lab_pc_stopped (shared);
      if (got_slot)
        shared->free_slots--;
      g_mutex_unlock (&shared->slots_mutex);

      if (!got_slot)
        {
          g_free (item);
          return FALSE;
        }
    }

  item->flow = lab_recorder_new_flow (shared->recorder);

  g_async_queue_lock (shared->queue);
  lab_lane_mark (worker->thread.lane,
                 lab_recorder_intern_printf (shared->recorder, "tasks.put(%s)", text),
                 item->number, LAB_EVENT_FLAG_FLOW_SOURCE, item->flow);
  g_async_queue_push_unlocked (shared->queue, item);
  shared->depth++;
  shared->max_depth = MAX (shared->max_depth, shared->depth);
  lab_lane_counter (worker->thread.lane, shared->depth_label, shared->depth);
  g_async_queue_unlock (shared->queue);

  return TRUE;
}

/* queue.get(): a WAITING span while the queue is empty. NULL if stopped. */
static LabPcItem *
lab_pc_get (LabPcWorker *worker)
{
  LabPcShared *shared = worker->shared;
  g_autofree char *text = NULL;
  LabPcItem *item;
  gboolean blocked = FALSE;

  g_async_queue_lock (shared->queue);
  item = g_async_queue_try_pop_unlocked (shared->queue);
  if (item == NULL)
    {
      /* An empty queue blocks: without the GIL, which is let go and taken
       * back outside the queue's lock (its holder may want that lock). */
      g_async_queue_unlock (shared->queue);
      lab_interp_block_begin (shared->interp, worker->thread.lane);
      blocked = TRUE;
      g_async_queue_lock (shared->queue);
      lab_lane_begin (worker->thread.lane, LAB_STATE_WAITING,
                      lab_recorder_intern (shared->recorder, "tasks.get()"));
      while (item == NULL && !lab_pc_stopped (shared))
        item = g_async_queue_timeout_pop_unlocked (shared->queue, LAB_PC_POLL_US);
      lab_lane_end (worker->thread.lane);
    }
  if (item != NULL)
    {
      text = lab_pc_item_text (item);
      shared->depth--;
      lab_lane_mark (worker->thread.lane,
                     lab_recorder_intern_printf (shared->recorder, "tasks.get() → %s", text),
                     item->number, LAB_EVENT_FLAG_FLOW_TARGET, item->flow);
      lab_lane_counter (worker->thread.lane, shared->depth_label, shared->depth);
    }
  g_async_queue_unlock (shared->queue);
  if (blocked)
    lab_interp_block_end (shared->interp, worker->thread.lane);

  if (item != NULL && shared->queue_max > 0)
    {
      g_mutex_lock (&shared->slots_mutex);
      shared->free_slots++;
      g_cond_signal (&shared->slots_cond);
      g_mutex_unlock (&shared->slots_mutex);
    }

  return item;
}

static void
lab_pc_exit_mark (LabPcWorker *worker)
{
  /* Translators: a mark on the timeline: the thread's function returns */
  lab_lane_mark (worker->thread.lane, lab_recorder_intern (worker->shared->recorder, _("exits")),
                 0, LAB_EVENT_FLAG_NONE, 0);
}

static gpointer
lab_pc_producer_main (gpointer data)
{
  LabPcWorker *worker = data;
  LabPcShared *shared = worker->shared;
  GRand *rng = g_rand_new_with_seed (shared->seed);
  gboolean ok = TRUE;

  lab_lane_begin (worker->thread.lane, LAB_STATE_RUNNING,
                  lab_recorder_intern (shared->recorder, "producer()"));

  for (guint i = 1; i <= shared->items && ok; i++)
    {
      LabPcItem *item;
      gint64 delay = shared->produce_min_ns;

      if (shared->produce_max_ns > shared->produce_min_ns)
        delay = (gint64) g_rand_double_range (rng, (double) shared->produce_min_ns,
                                              (double) shared->produce_max_ns);
      ok = lab_pc_sleep (worker, delay);
      if (!ok)
        break;

      item = g_new0 (LabPcItem, 1);
      item->number = i;
      ok = lab_pc_put (worker, item);
      if (ok)
        {
          worker->count++;
          lab_run_context_print (shared->ctx, worker->thread.lane, "Producer: put item %u", i);
        }
    }

  /* One stop signal per consumer: each consumer takes exactly one. */
  for (guint c = 0; c < shared->n_consumers && ok; c++)
    {
      ok = lab_pc_put (worker, g_new0 (LabPcItem, 1));
      if (ok)
        lab_run_context_print (shared->ctx, worker->thread.lane, "Producer: put None (stop signal)");
    }

  g_rand_free (rng);
  lab_pc_exit_mark (worker);
  lab_lane_end (worker->thread.lane);
  lab_lane_record_thread_stats (worker->thread.lane);

  return NULL;
}

static gpointer
lab_pc_consumer_main (gpointer data)
{
  LabPcWorker *worker = data;
  LabPcShared *shared = worker->shared;
  LabPcItem *item;

  lab_lane_begin (worker->thread.lane, LAB_STATE_RUNNING,
                  lab_recorder_intern_printf (shared->recorder, "consumer(%u)", worker->number));

  while ((item = lab_pc_get (worker)) != NULL)
    {
      guint number = item->number;

      g_free (item);
      if (number == 0)
        {
          lab_run_context_print (shared->ctx, worker->thread.lane,
                                 "Consumer %u: got the stop signal, exiting", worker->number);
          break;
        }
      if (!lab_pc_sleep (worker, shared->consume_ns))
        break;
      worker->count++;
      lab_run_context_print (shared->ctx, worker->thread.lane,
                             "Consumer %u: processed item %u", worker->number, number);
    }

  lab_pc_exit_mark (worker);
  lab_lane_end (worker->thread.lane);
  lab_lane_record_thread_stats (worker->thread.lane);

  return NULL;
}

/* Starts @worker's thread after a "@call.start()" mark on the main lane. */
static gboolean
lab_pc_start (LabPcWorker  *worker,
              const char   *call,
              GThreadFunc   func,
              GError      **error)
{
  g_autofree char *start = g_strdup_printf ("%s.start()", call);

  return lab_thread_start_python (&worker->thread, worker->shared->ctx, worker->shared->interp,
                                  start, "lab-queue", func, error);
}

/* Joins @worker's thread, if it was started, in a "@call.join()" span. */
static void
lab_pc_join (LabPcWorker *worker,
             const char  *call)
{
  g_autofree char *join = NULL;

  if (worker->thread.thread == NULL)
    return;
  join = g_strdup_printf ("%s.join()", call);
  lab_thread_join_python (&worker->thread, worker->shared->ctx, worker->shared->interp, join);
}

static GVariant *
lab_pc_run (LabRunContext  *ctx,
            GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  double scale = lab_params_get_double (params, "time_scale");
  gint64 produce_a = lab_params_get_int (params, "produce_min_ms");
  gint64 produce_b = lab_params_get_int (params, "produce_max_ms");
  guint32 seed = (guint32) lab_params_get_int (params, "seed");
  LabPcShared shared = { 0 };
  LabPcWorker producer = { 0 };
  g_autofree LabPcWorker *consumers = NULL;
  GError *local_error = NULL;
  GVariantBuilder metrics, per_consumer;
  LabPcItem *left;
  guint consumed = 0;
  gint64 t0, t1;

  /* 0 asks for a random seed; the seed used is reported. */
  if (seed == 0)
    seed = (guint32) g_random_int_range (1, G_MAXINT32);

  shared.ctx = ctx;
  shared.recorder = recorder;
  atomic_init (&shared.aborted, FALSE);
  shared.queue = g_async_queue_new ();
  /* Translators: the name of the counter track of how many items wait in
   * the queue */
  shared.depth_label = lab_recorder_intern (recorder, _("queue depth"));
  shared.queue_max = (guint) lab_params_get_int (params, "queue_max");
  shared.free_slots = shared.queue_max;
  g_mutex_init (&shared.slots_mutex);
  g_cond_init (&shared.slots_cond);
  shared.items = (guint) lab_params_get_int (params, "items");
  shared.n_consumers = (guint) lab_params_get_int (params, "consumers");
  shared.produce_min_ns = (gint64) (MIN (produce_a, produce_b) * LAB_NS_PER_MS * scale);
  shared.produce_max_ns = (gint64) (MAX (produce_a, produce_b) * LAB_NS_PER_MS * scale);
  shared.consume_ns = (gint64) (lab_params_get_int (params, "consume_ms") * LAB_NS_PER_MS * scale);
  shared.seed = seed;

  consumers = g_new0 (LabPcWorker, shared.n_consumers);
  lab_lane_counter (main_lane, shared.depth_label, 0);

  t0 = lab_clock_now_ns ();

  shared.interp = lab_interp_new_for_run (ctx, lab_params_get_bool (params, "gil"),
                                          &local_error);
  /* Translators: the name of the producer thread's lane on the timeline */
  if (local_error == NULL)
    producer.thread.lane = lab_recorder_try_add_lane (recorder, LAB_LANE_THREAD, _("Producer"),
                                                      &local_error);
  producer.shared = &shared;
  for (guint c = 0; c < shared.n_consumers && local_error == NULL; c++)
    {
      /* Translators: the name of a consumer thread's lane on the timeline */
      g_autofree char *name = g_strdup_printf (_("Consumer %u"), c + 1);

      consumers[c].shared = &shared;
      consumers[c].number = c + 1;
      consumers[c].thread.lane = lab_recorder_try_add_lane (recorder, LAB_LANE_THREAD, name,
                                                            &local_error);
    }

  /* The main thread runs Python too; it lets go of the GIL in start() and
   * join(). */
  if (shared.interp != NULL)
    lab_interp_enter (shared.interp, main_lane);
  /* Consumers first: a producer without all its consumers would wait
   * forever for a bounded queue to drain. */
  for (guint c = 0; c < shared.n_consumers && local_error == NULL; c++)
    {
      g_autofree char *call = g_strdup_printf ("consumers[%u]", c);

      lab_pc_start (&consumers[c], call, lab_pc_consumer_main, &local_error);
    }
  if (local_error == NULL)
    lab_pc_start (&producer, "producer_thread", lab_pc_producer_main, &local_error);
  if (local_error != NULL)
    atomic_store (&shared.aborted, TRUE);

  lab_pc_join (&producer, "producer_thread");
  if (local_error == NULL && !lab_run_context_is_cancelled (ctx))
    lab_run_context_print (ctx, main_lane, "Main: the producer finished");
  for (guint c = 0; c < shared.n_consumers; c++)
    {
      g_autofree char *call = g_strdup_printf ("consumers[%u]", c);

      lab_pc_join (&consumers[c], call);
    }
  if (local_error == NULL && !lab_run_context_is_cancelled (ctx))
    lab_run_context_print (ctx, main_lane, "Main: all consumers stopped");
  if (shared.interp != NULL)
    lab_interp_leave (shared.interp, main_lane);
  lab_interp_free (shared.interp);

  t1 = lab_clock_now_ns ();

  /* Whatever a Stop left in the queue. */
  while ((left = g_async_queue_try_pop (shared.queue)) != NULL)
    g_free (left);
  g_async_queue_unref (shared.queue);
  g_cond_clear (&shared.slots_cond);
  g_mutex_clear (&shared.slots_mutex);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (lab_run_context_is_cancelled (ctx))
    return lab_run_context_return_cancelled (ctx, error);

  g_variant_builder_init (&per_consumer, G_VARIANT_TYPE ("ax"));
  for (guint c = 0; c < shared.n_consumers; c++)
    {
      g_variant_builder_add (&per_consumer, "x", (gint64) consumers[c].count);
      consumed += consumers[c].count;
    }

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "produced", g_variant_new_int64 (producer.count));
  g_variant_builder_add (&metrics, "{sv}", "consumed", g_variant_new_int64 (consumed));
  g_variant_builder_add (&metrics, "{sv}", "max_depth", g_variant_new_int64 (shared.max_depth));
  g_variant_builder_add (&metrics, "{sv}", "producer_blocked_s",
                         lab_metric_new_seconds (producer.blocked_ns));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (t1 - t0));
  g_variant_builder_add (&metrics, "{sv}", "consumed_per_consumer",
                         g_variant_builder_end (&per_consumer));
  g_variant_builder_add (&metrics, "{sv}", "seed_used", g_variant_new_int64 (seed));

  return g_variant_builder_end (&metrics);
}

static const LabParamSpec lab_pc_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "items",
    .label = N_("Items"),
    .tooltip = N_("How many items the producer makes before it sends the stop signals"),
    .min = 1,
    .max = 10000,
    .step = 1,
    .def_num = 10,
    .flags = LAB_PARAM_FLAG_LOG_SCALE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "consumers",
    .label = N_("Consumers"),
    .tooltip = N_("How many consumer threads take items out of the queue"),
    .min = 1,
    .max = 16,
    .step = 1,
    .def_num = 1,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "produce_min_ms",
    .label = N_("Making an item takes at least"),
    .tooltip = N_("Each item takes a random time between this and the maximum to make"),
    .min = 0,
    .max = 10000,
    .step = 10,
    .def_num = 500,
    .unit = N_("ms"),
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "produce_max_ms",
    .label = N_("Making an item takes at most"),
    .tooltip = N_("Each item takes a random time between the minimum and this to make"),
    .min = 0,
    .max = 10000,
    .step = 10,
    .def_num = 1000,
    .unit = N_("ms"),
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "consume_ms",
    .label = N_("Processing an item takes"),
    .tooltip = N_("How long a consumer works on each item it takes"),
    .min = 0,
    .max = 10000,
    .step = 10,
    .def_num = 1200,
    .unit = N_("ms"),
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "queue_max",
    .label = N_("Queue size"),
    .tooltip = N_("At most this many items wait in the queue; the producer blocks while it is full. 0 means no limit"),
    .min = 0,
    .max = 1000,
    .step = 1,
    .def_num = 0,
  },
  {
    .kind = LAB_PARAM_DOUBLE,
    .key = "time_scale",
    .label = N_("Time scale"),
    .tooltip = N_("Multiplies every delay: 0.1 runs the same story ten times faster"),
    .min = 0.001,
    .max = 10,
    .step = 0.001,
    .def_num = 1.0,
    .flags = LAB_PARAM_FLAG_LOG_SCALE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "seed",
    .label = N_("Random seed"),
    .tooltip = N_("Decides how long each item takes to make; the same seed gives the same times. 0 picks a new seed each run"),
    .min = 0,
    .max = 2147483647,
    .step = 1,
    .def_num = 0,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  LAB_EXPERIMENT_GIL_PARAM,
};

static const LabMetricSpec lab_pc_metrics[] = {
  { "produced",              N_("Items produced"),          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "consumed",              N_("Items consumed"),          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  /* The most items (stop signals included) that waited in the queue. */
  { "max_depth",             N_("Longest queue"),           LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "producer_blocked_s",    N_("Producer blocked"),        LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "wall_s",                N_("Wall time"),               LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "consumed_per_consumer", N_("Items per consumer"),      LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
  /* The seed that chose the delays: give it as `seed` to repeat a run. */
  { "seed_used",             N_("Seed used"),               LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_pc_code_bindings[] = {
  { "ITEMS",       "items",          0 },
  { "CONSUMERS",   "consumers",      0 },
  { "PRODUCE_MIN", "produce_min_ms", 0.001 },
  { "PRODUCE_MAX", "produce_max_ms", 0.001 },
  { "CONSUME",     "consume_ms",     0.001 },
  { "QUEUE_MAX",   "queue_max",      0 },
  { "TIME_SCALE",  "time_scale",     0 },
  { "SEED",        "seed",           0 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_pc_code_results[] = {
  "produced {produced}, consumed {consumed}, at most {max_depth} waiting",
  "took {wall_s} s",
  NULL
};

const LabExperiment lab_exp_producer_consumer = {
  .id = "producer-consumer",
  .title = N_("Producer and consumers with a queue"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("One thread puts items into a queue, others take them out, and a stop signal ends them"),
  .explanation = N_(
    "Threads are not only for speed: they also keep separate jobs apart. Here one "
    "thread produces items (say, readings from a sensor) at an uneven pace, and "
    "another thread processes them. Neither calls the other. They only share a "
    "queue: the producer puts items in, the consumer takes them out, and the "
    "queue does all the locking.\n"
    "\n"
    "On the timeline, every arrow leads from a put to the get that took the same "
    "item. The \"queue depth\" track shows how many items are waiting. With the "
    "default times the consumer is slower than the producer, so the queue grows; "
    "when it is empty, the consumer blocks in get() (the waiting bars).\n"
    "\n"
    "How does a consumer know that no more items will come? The producer puts a "
    "special value, None, after its last item: the stop signal, or sentinel. A "
    "consumer that takes it prints a line and returns. With several consumers, "
    "each needs its own sentinel: one None stops only the consumer that takes it.\n"
    "\n"
    "Set a queue size, and the queue is bounded: while it is full, the producer "
    "blocks in put() (\"queue full\") until a consumer takes something out. That "
    "back-pressure keeps a fast producer from piling up memory. Add consumers and "
    "watch the queue drain faster and the producer block less.\n"
    "\n"
    "The \"GIL\" lane shows which thread holds CPython's global interpreter lock. "
    "A thread that sleeps or blocks in get() or put() lets go of it, so waiting "
    "threads cost the others nothing: that is why threads suit work that mostly "
    "waits. Turning the GIL off changes little here, for the same reason."),
  .code = N_(
    "import queue\n"
    "import random\n"
    "import threading\n"
    "import time\n"
    "\n"
    "ITEMS = 10\n"
    "CONSUMERS = 1\n"
    "PRODUCE_MIN = 0.5       # making an item takes between these two, seconds\n"
    "PRODUCE_MAX = 1.0\n"
    "CONSUME = 1.2           # processing an item takes this long, seconds\n"
    "QUEUE_MAX = 0           # \"Queue size\": 0 means unbounded\n"
    "TIME_SCALE = 1.0        # 0.1 runs the same story ten times faster\n"
    "SEED = 0                # 0: different times every run\n"
    "\n"
    "if SEED:\n"
    "    random.seed(SEED)\n"
    "tasks = queue.Queue(maxsize=QUEUE_MAX)\n"
    "produced = consumed = deepest = 0\n"
    "\n"
    "\n"
    "def producer() -> None:\n"
    "    global produced, deepest\n"
    "    for item in range(1, ITEMS + 1):\n"
    "        time.sleep(random.uniform(PRODUCE_MIN, PRODUCE_MAX) * TIME_SCALE)\n"
    "        tasks.put(item)  # blocks while a bounded queue is full\n"
    "        produced += 1\n"
    "        deepest = max(deepest, tasks.qsize())\n"
    "        print(f\"Producer: put item {item}\")\n"
    "    for _ in range(CONSUMERS):\n"
    "        tasks.put(None)  # one stop signal for every consumer\n"
    "        print(\"Producer: put None (stop signal)\")\n"
    "\n"
    "\n"
    "def consumer(number: int) -> None:\n"
    "    global consumed\n"
    "    while True:\n"
    "        item = tasks.get()  # blocks while the queue is empty\n"
    "        if item is None:\n"
    "            print(f\"Consumer {number}: got the stop signal, exiting\")\n"
    "            return\n"
    "        time.sleep(CONSUME * TIME_SCALE)  # processing takes a while too\n"
    "        consumed += 1\n"
    "        print(f\"Consumer {number}: processed item {item}\")\n"
    "\n"
    "\n"
    "start = time.perf_counter()\n"
    "consumers = [threading.Thread(target=consumer, args=(n,))\n"
    "             for n in range(1, CONSUMERS + 1)]\n"
    "for thread in consumers:\n"
    "    thread.start()\n"
    "producer_thread = threading.Thread(target=producer)\n"
    "producer_thread.start()\n"
    "\n"
    "producer_thread.join()\n"
    "print(\"Main: the producer finished\")\n"
    "for thread in consumers:\n"
    "    thread.join()\n"
    "print(\"Main: all consumers stopped\")\n"
    "print(f\"produced {produced}, consumed {consumed}, at most {deepest} waiting\")\n"
    "print(f\"took {time.perf_counter() - start:.4g} s\")\n"),
  .params = lab_pc_params,
  .n_params = G_N_ELEMENTS (lab_pc_params),
  .metrics = lab_pc_metrics,
  .n_metrics = G_N_ELEMENTS (lab_pc_metrics),
  .run = lab_pc_run,
  .code_bindings = lab_pc_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_pc_code_bindings),
  .code_results = lab_pc_code_results,
  .moment = { LAB_MOMENT_COUNTER_RISE, N_("Show the queue filling"), 0 },
};
