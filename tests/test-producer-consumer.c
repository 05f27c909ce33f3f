/* test-producer-consumer.c — every item produced is consumed, one sentinel
 * per consumer, a bounded queue never overfills and blocks the producer,
 * every put has its arrow to a get, and Stop ends a run at once.
 *
 * All runs use a small time_scale, so the lecture's seconds become
 * milliseconds; timing is asserted by shape only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "lab-experiments.h"
#include "lab-runner.h"
#include "test-exp-util.h"

/* ---- helpers ---- */

static const LabTraceLane *
find_lane (LabTrace   *trace,
           const char *name,
           guint      *index)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    if (g_strcmp0 (lab_trace_get_lane (trace, l)->name, name) == 0)
      {
        if (index != NULL)
          *index = l;
        return lab_trace_get_lane (trace, l);
      }
  g_assert_not_reached ();
  return NULL;
}

/* Spans of @state on @lane (any depth) labelled @label (NULL: any). */
static guint
count_spans (LabTrace           *trace,
             const LabTraceLane *lane,
             LabState            state,
             const char         *label,
             gint64             *total_ns)
{
  guint n = 0;

  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      {
        const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

        if (span->state != state)
          continue;
        if (label != NULL && g_strcmp0 (lab_trace_get_string (trace, span->label), label) != 0)
          continue;
        n++;
        if (total_ns != NULL)
          *total_ns += span->end_ns - span->start_ns;
      }
  return n;
}

/* Marks on @lane whose label starts with @prefix. */
static guint
count_marks (LabTrace           *trace,
             const LabTraceLane *lane,
             const char         *prefix)
{
  guint n = 0;

  for (guint m = 0; m < lane->marks->len; m++)
    {
      const LabEvent *event = test_lane_event (lane, g_array_index (lane->marks, guint32, m));

      n += g_str_has_prefix (lab_trace_get_string (trace, event->label), prefix);
    }
  return n;
}

static guint
count_output (LabTrace   *trace,
              const char *line)
{
  guint n_lines, n = 0;
  const LabOutputLine *output = lab_trace_get_output (trace, &n_lines);

  for (guint k = 0; k < n_lines; k++)
    n += g_strcmp0 (lab_trace_get_string (trace, output[k].label), line) == 0;
  return n;
}

/* The "queue depth" track: starts at 0, steps by exactly one (so the
 * samples are in the order of the changes), ends at 0, stays within
 * [0, @limit] (no limit if 0), and peaks at the max_depth metric. */
static void
check_depth_track (LabTrace *trace,
                   gint64    max_depth,
                   guint     limit)
{
  const LabTraceCounter *counter = NULL;
  const LabCounterSample *samples;

  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    if (g_strcmp0 (lab_trace_get_string (trace, lab_trace_get_counter (trace, c)->label),
                   "queue depth") == 0)
      counter = lab_trace_get_counter (trace, c);
  g_assert_nonnull (counter);

  samples = (const LabCounterSample *) (gpointer) counter->samples->data;
  g_assert_cmpuint (counter->samples->len, >=, 3);
  g_assert_cmpint (samples[0].value, ==, 0);
  g_assert_cmpint (samples[counter->samples->len - 1].value, ==, 0);
  for (guint i = 1; i < counter->samples->len; i++)
    {
      gint64 step = samples[i].value - samples[i - 1].value;

      g_assert_cmpint (samples[i].ts_ns, >=, samples[i - 1].ts_ns);
      g_assert_true (step == 1 || step == -1);
    }
  g_assert_cmpint (counter->min_value, ==, 0);
  g_assert_cmpint (counter->max_value, ==, max_depth);
  if (limit > 0)
    g_assert_cmpint (counter->max_value, <=, limit);
}

/* Every put on the producer's lane has exactly one arrow, to the get of the
 * same item on a consumer's lane; returns how many puts there were. */
static guint
check_arrows (LabTrace *trace,
              guint     n_items,
              guint     n_consumers)
{
  guint producer_index, n_flows, n_puts = 0, n_handovers = 0;
  const LabTraceLane *producer = find_lane (trace, "Producer", &producer_index);
  const LabFlowArrow *flows = lab_trace_get_flows (trace, &n_flows);
  g_autofree guint *arrows_from = g_new0 (guint, producer->events->len);

  for (guint f = 0; f < n_flows; f++)
    {
      const LabTraceLane *to = lab_trace_get_lane (trace, flows[f].to_lane);
      const LabTraceLane *from = lab_trace_get_lane (trace, flows[f].from_lane);
      const LabEvent *put, *get;

      /* A GIL hand-over forced by a waiter is an arrow too, between any
       * two threads (a slow machine can make one). */
      if (g_strcmp0 (lab_trace_get_string (trace, test_lane_event (from, flows[f].from_index)->label),
                     "hands the GIL over") == 0)
        {
          n_handovers++;
          continue;
        }
      g_assert_cmpuint (flows[f].from_lane, ==, producer_index);
      g_assert_true (g_str_has_prefix (to->name, "Consumer "));
      put = test_lane_event (producer, flows[f].from_index);
      get = test_lane_event (to, flows[f].to_index);
      g_assert_true (put->flags & LAB_EVENT_FLAG_FLOW_SOURCE);
      g_assert_true (get->flags & LAB_EVENT_FLAG_FLOW_TARGET);
      g_assert_true (g_str_has_prefix (lab_trace_get_string (trace, put->label), "tasks.put("));
      g_assert_true (g_str_has_prefix (lab_trace_get_string (trace, get->label), "tasks.get() → "));
      g_assert_cmpint (put->value, ==, get->value);
      g_assert_cmpint (put->ts_ns, <=, get->ts_ns);
      arrows_from[flows[f].from_index]++;
    }

  for (guint e = 0; e < producer->events->len; e++)
    {
      const LabEvent *event = test_lane_event (producer, e);

      if (event->kind == LAB_EVENT_MARK && (event->flags & LAB_EVENT_FLAG_FLOW_SOURCE) &&
          g_str_has_prefix (lab_trace_get_string (trace, event->label), "tasks.put("))
        {
          g_assert_cmpuint (arrows_from[e], ==, 1);
          n_puts++;
        }
    }
  g_assert_cmpuint (n_puts, ==, n_items + n_consumers);
  g_assert_cmpuint (n_flows - n_handovers, ==, n_puts);
  return n_puts;
}

/* What every finished run shows, whatever its parameters. */
static void
check_run (LabRunner *runner,
           guint      n_items,
           guint      n_consumers,
           guint      queue_max)
{
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GVariant) per_consumer =
    lab_metrics_lookup (lab_runner_get_metrics (runner), "consumed_per_consumer");
  gint64 total = 0;

  g_test_message ("%u items, %u consumers, queue_max %u: max depth %" G_GINT64_FORMAT
                  ", producer blocked %.1f ms, %.1f ms", n_items, n_consumers, queue_max,
                  test_metric_int (runner, "max_depth"),
                  test_metric_double (runner, "producer_blocked_s") * 1e3,
                  test_metric_double (runner, "wall_s") * 1e3);

  g_assert_cmpint (test_metric_int (runner, "produced"), ==, n_items);
  g_assert_cmpint (test_metric_int (runner, "consumed"), ==, n_items);
  g_assert_cmpint (test_metric_int (runner, "max_depth"), >=, 1);
  if (queue_max > 0)
    g_assert_cmpint (test_metric_int (runner, "max_depth"), <=, queue_max);
  g_assert_nonnull (per_consumer);
  g_assert_true (g_variant_is_of_type (per_consumer, G_VARIANT_TYPE ("ax")));
  g_assert_cmpuint (g_variant_n_children (per_consumer), ==, n_consumers);
  for (guint c = 0; c < n_consumers; c++)
    {
      gint64 count;

      g_variant_get_child (per_consumer, c, "x", &count);
      total += count;
    }
  g_assert_cmpint (total, ==, n_items);

  check_depth_track (trace, test_metric_int (runner, "max_depth"), queue_max);
  check_arrows (trace, n_items, n_consumers);
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* The producer's lines, and each consumer's exit line exactly once:
   * every consumer took exactly one sentinel. */
  for (guint i = 1; i <= n_items; i++)
    {
      g_autofree char *line = g_strdup_printf ("Producer: put item %u", i);

      g_assert_cmpuint (count_output (trace, line), ==, 1);
    }
  g_assert_cmpuint (count_output (trace, "Producer: put None (stop signal)"), ==, n_consumers);
  g_assert_cmpuint (count_output (trace, "Main: the producer finished"), ==, 1);
  g_assert_cmpuint (count_output (trace, "Main: all consumers stopped"), ==, 1);
  g_assert_cmpuint (count_marks (trace, find_lane (trace, "Producer", NULL), "exits"), ==, 1);
  for (guint c = 1; c <= n_consumers; c++)
    {
      g_autofree char *name = g_strdup_printf ("Consumer %u", c);
      g_autofree char *exit_line = g_strdup_printf ("Consumer %u: got the stop signal, exiting", c);
      const LabTraceLane *lane = find_lane (trace, name, NULL);

      g_assert_cmpuint (count_output (trace, exit_line), ==, 1);
      g_assert_cmpuint (count_marks (trace, lane, "tasks.get() → None"), ==, 1);
      g_assert_cmpuint (count_marks (trace, lane, "exits"), ==, 1);
    }
}

/* ---- tests ---- */

static void
test_contract (void)
{
  const LabExperiment *e = lab_experiments_find ("producer-consumer");
  g_autoptr(LabParams) params = NULL;

  g_assert_true (e == &lab_exp_producer_consumer);
  g_assert_cmpint (e->topic, ==, LAB_TOPIC_THREADS);
  params = lab_params_new (e->params, e->n_params);

  g_assert_cmpint (lab_params_get_int (params, "items"), ==, 10);
  g_assert_cmpint (lab_params_get_int (params, "consumers"), ==, 1);
  g_assert_cmpint (lab_params_get_int (params, "produce_min_ms"), ==, 500);
  g_assert_cmpint (lab_params_get_int (params, "produce_max_ms"), ==, 1000);
  g_assert_cmpint (lab_params_get_int (params, "consume_ms"), ==, 1200);
  g_assert_cmpint (lab_params_get_int (params, "queue_max"), ==, 0);
  g_assert_cmpfloat (lab_params_get_double (params, "time_scale"), ==, 1.0);
  g_assert_cmpint (lab_params_get_int (params, "seed"), ==, 0);

  test_assert_out_of_range (params, "consumers", "17");
  test_assert_out_of_range (params, "items", "0");
}

/* The lecture's scenario, a hundred times faster. */
static void
test_lecture (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (&lab_exp_producer_consumer, "time_scale=0.01", "seed=42", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *producer = find_lane (trace, "Producer", NULL);
  const LabTraceLane *consumer = find_lane (trace, "Consumer 1", NULL);
  const LabTraceLane *main_l = lab_trace_get_lane (trace, 0);

  check_run (runner, 10, 1, 0);
  /* 10 × 1.2 s of processing at 1/100: well under a second, not 13 s. */
  g_assert_cmpfloat (test_metric_double (runner, "wall_s"), >=, 0.10);
  g_assert_cmpfloat (test_metric_double (runner, "wall_s"), <, 3.0);
  g_assert_cmpint (test_metric_int (runner, "seed_used"), ==, 42);
  /* Unbounded: the producer never blocks. */
  g_assert_cmpfloat (test_metric_double (runner, "producer_blocked_s"), ==, 0);
  g_assert_cmpuint (count_spans (trace, producer, LAB_STATE_WAITING, NULL, NULL), ==, 0);

  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *line = g_strdup_printf ("Consumer 1: processed item %u", i);

      g_assert_cmpuint (count_output (trace, line), ==, 1);
    }
  /* Making and processing are sleeps; the consumer first waits for the
   * producer's first item. */
  g_assert_cmpuint (count_spans (trace, producer, LAB_STATE_SLEEPING, NULL, NULL), ==, 10);
  g_assert_cmpuint (count_spans (trace, consumer, LAB_STATE_SLEEPING, NULL, NULL), ==, 10);
  g_assert_cmpuint (count_spans (trace, consumer, LAB_STATE_WAITING, "tasks.get()", NULL), >=, 1);
  g_assert_cmpuint (count_spans (trace, main_l, LAB_STATE_WAITING, "producer_thread.join()", NULL), ==, 1);
  g_assert_cmpuint (count_spans (trace, main_l, LAB_STATE_WAITING, "consumers[0].join()", NULL), ==, 1);
  /* The consumer (1.2 s) is slower than the producer (0.5–1 s): items pile up. */
  g_assert_cmpint (test_metric_int (runner, "max_depth"), >=, 2);
}

static void
test_consumers (void)
{
  g_autoptr(LabRunner) four = test_exp_run (&lab_exp_producer_consumer, "items=40", "consumers=4", "time_scale=0.005", NULL);
  g_autoptr(LabRunner) many = test_exp_run (&lab_exp_producer_consumer, "items=5", "consumers=16", "time_scale=0.001", NULL);
  g_autoptr(LabRunner) fast = test_exp_run (&lab_exp_producer_consumer, "items=2000", "consumers=3", "produce_min_ms=0",
                                      "produce_max_ms=0", "consume_ms=0", NULL);

  check_run (four, 40, 4, 0);
  /* More consumers than items: some only ever get their sentinel. */
  check_run (many, 5, 16, 0);
  /* No delays at all: the queue is hammered from four threads. */
  check_run (fast, 2000, 3, 0);
}

static void
test_bounded (void)
{
  g_autoptr(LabRunner) one = test_exp_run (&lab_exp_producer_consumer, "items=20", "queue_max=2", "produce_min_ms=0",
                                     "produce_max_ms=0", "consume_ms=100",
                                     "time_scale=0.05", NULL);
  g_autoptr(LabRunner) three = test_exp_run (&lab_exp_producer_consumer, "items=30", "consumers=3", "queue_max=1",
                                       "produce_min_ms=0", "produce_max_ms=0",
                                       "consume_ms=100", "time_scale=0.05", NULL);
  g_autoptr(LabRunner) fast = test_exp_run (&lab_exp_producer_consumer, "items=2000", "consumers=2", "queue_max=3",
                                      "produce_min_ms=0", "produce_max_ms=0",
                                      "consume_ms=0", NULL);
  LabRunner *blocked[] = { one, three };

  check_run (one, 20, 1, 2);
  check_run (three, 30, 3, 1);
  check_run (fast, 2000, 2, 3);

  /* A fast producer and slow consumers: the producer blocks on a full
   * queue, and the time it spent blocked is what its WAITING spans add up to. */
  for (guint r = 0; r < G_N_ELEMENTS (blocked); r++)
    {
      LabTrace *trace = lab_runner_get_trace (blocked[r]);
      const LabTraceLane *producer = find_lane (trace, "Producer", NULL);
      double blocked_s = test_metric_double (blocked[r], "producer_blocked_s");
      gint64 waited_ns = 0;

      g_assert_cmpfloat (blocked_s, >, 0);
      g_assert_cmpuint (count_spans (trace, producer, LAB_STATE_WAITING, "queue full", &waited_ns),
                        >=, 1);
      g_assert_cmpfloat (fabs ((double) waited_ns / 1e9 - blocked_s), <, 0.01);
    }
}

static void
test_seed (void)
{
  g_autoptr(LabRunner) a = test_exp_run (&lab_exp_producer_consumer, "items=8", "time_scale=0.001", "seed=5", NULL);
  g_autoptr(LabRunner) b = test_exp_run (&lab_exp_producer_consumer, "items=8", "time_scale=0.001", "seed=5", NULL);
  const LabTraceLane *lane_a = find_lane (lab_runner_get_trace (a), "Producer", NULL);
  const LabTraceLane *lane_b = find_lane (lab_runner_get_trace (b), "Producer", NULL);
  guint n = 0;

  /* The same seed makes the same delays: the same sleep labels in order. */
  g_assert_cmpuint (lane_a->spans[1]->len, ==, lane_b->spans[1]->len);
  for (guint s = 0; s < lane_a->spans[1]->len; s++)
    {
      const LabSpan *x = &g_array_index (lane_a->spans[1], LabSpan, s);
      const LabSpan *y = &g_array_index (lane_b->spans[1], LabSpan, s);

      if (x->state != LAB_STATE_SLEEPING)
        continue;
      g_assert_cmpstr (lab_trace_get_string (lab_runner_get_trace (a), x->label), ==,
                       lab_trace_get_string (lab_runner_get_trace (b), y->label));
      n++;
    }
  g_assert_cmpuint (n, ==, 8);
}

static void
test_stop (void)
{
  /* The lecture's pace: the threads sleep and wait for seconds. */
  test_exp_check_stop (&lab_exp_producer_consumer, 150, "consumers=3", NULL);
  /* The producer blocked on a full queue, the consumer busy for 10 s. */
  test_exp_check_stop (&lab_exp_producer_consumer, 150, "queue_max=1", "produce_min_ms=0",
                       "produce_max_ms=0", "consume_ms=10000", NULL);
}

/* With the GIL, a consumer blocked in tasks.get() does not hold it: the
 * GIL lane shows the producer and the consumers taking turns, and none of a
 * consumer's holds lies inside one of its waits. Free-threaded: no GIL. */
static void
test_gil (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (&lab_exp_producer_consumer, "items=6", "consumers=2", "time_scale=0.01",
                                        "gil=true", NULL);
  g_autoptr(LabRunner) free_run = test_exp_run (&lab_exp_producer_consumer, "items=6", "consumers=2", "time_scale=0.01",
                                          "gil=false", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *gil = find_lane (trace, "GIL", NULL);
  guint n_holders = 0;
  const char *holders[] = { "Producer", "Consumer 1", "Consumer 2" };

  g_assert_cmpint (gil->kind, ==, LAB_LANE_RESOURCE);
  g_assert_cmpint (test_metric_int (runner, "consumed"), ==, 6);
  for (guint h = 0; h < G_N_ELEMENTS (holders); h++)
    {
      const LabTraceLane *lane = find_lane (trace, holders[h], NULL);
      guint n_held = count_spans (trace, gil, LAB_STATE_LOCK_HELD, holders[h], NULL);

      n_holders += n_held > 0;
      for (guint s = 0; s < lane->spans[1]->len; s++)
        {
          const LabSpan *wait = &g_array_index (lane->spans[1], LabSpan, s);

          if (wait->state != LAB_STATE_WAITING)
            continue;
          for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
            for (guint k = 0; k < gil->spans[d]->len; k++)
              {
                const LabSpan *hold = &g_array_index (gil->spans[d], LabSpan, k);

                if (g_strcmp0 (lab_trace_get_string (trace, hold->label), holders[h]) == 0)
                  g_assert_false (hold->start_ns > wait->start_ns && hold->end_ns < wait->end_ns);
              }
        }
    }
  g_assert_cmpuint (n_holders, ==, G_N_ELEMENTS (holders));

  g_assert_cmpint (test_metric_int (free_run, "consumed"), ==, 6);
  for (guint l = 0; l < lab_trace_get_n_lanes (lab_runner_get_trace (free_run)); l++)
    g_assert_cmpint (lab_trace_get_lane (lab_runner_get_trace (free_run), l)->kind, !=,
                     LAB_LANE_RESOURCE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/producer-consumer/contract", test_contract);
  g_test_add_func ("/producer-consumer/lecture", test_lecture);
  g_test_add_func ("/producer-consumer/consumers", test_consumers);
  g_test_add_func ("/producer-consumer/bounded", test_bounded);
  g_test_add_func ("/producer-consumer/seed", test_seed);
  g_test_add_func ("/producer-consumer/stop", test_stop);
  g_test_add_func ("/producer-consumer/gil", test_gil);

  return g_test_run ();
}
