/* test-recorder.c — recording from many threads, draining in batches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-recorder.h"

#define N_THREADS 16
#define N_PER_THREAD 100000

typedef struct
{
  LabLane  *lane;
  gint     *go;
  guint     n;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  lab_lane_bind_thread (w->lane);
  while (!g_atomic_int_get (w->go))
    g_thread_yield ();

  for (guint i = 0; i < w->n; i++)
    {
      if (i % 3 == 0)
        lab_lane_begin (w->lane, LAB_STATE_RUNNING, 0);
      else if (i % 3 == 1)
        lab_lane_mark (w->lane, 0, i, 0, 0);
      else
        lab_lane_end (w->lane);
    }
  return NULL;
}

static void
test_sixteen_threads (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  Writer writers[N_THREADS];
  GThread *threads[N_THREADS];
  gint go = 0;
  guint64 moved = 0;
  guint drains = 0;
  gboolean running = TRUE;

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *name = g_strdup_printf ("Thread %u", t);

      writers[t].lane = lab_recorder_add_lane (rec, LAB_LANE_THREAD, name);
      writers[t].go = &go;
      writers[t].n = N_PER_THREAD;
      threads[t] = g_thread_new (name, writer_thread, &writers[t]);
    }
  g_atomic_int_set (&go, 1);

  /* Drain while the writers write, as the window does once per frame. */
  while (running)
    {
      moved += lab_recorder_drain (rec, trace);
      drains++;
      running = moved < (guint64) N_THREADS * N_PER_THREAD;
      if (running)
        g_usleep (1000);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  moved += lab_recorder_drain (rec, trace);

  g_assert_cmpuint (moved, ==, (guint64) N_THREADS * N_PER_THREAD);
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, (guint64) N_THREADS * N_PER_THREAD);
  g_assert_cmpuint (lab_recorder_get_dropped (rec), ==, 0);
  g_assert_cmpuint (lab_trace_get_dropped (trace), ==, 0);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, N_THREADS);

  for (guint t = 0; t < N_THREADS; t++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, t);
      g_autofree char *name = g_strdup_printf ("Thread %u", t);
      gint64 last_ts = 0;

      g_assert_cmpstr (lane->name, ==, name);
      g_assert_cmpint (lane->tid, >, 0);
      g_assert_cmpuint (lane->events->len, ==, N_PER_THREAD);
      /* Per-lane order is recording order: kinds cycle, times never go back,
       * mark values count up. */
      for (guint i = 0; i < lane->events->len; i++)
        {
          const LabEvent *e = &g_array_index (lane->events, LabEvent, i);

          g_assert_cmpint (e->lane, ==, t);
          g_assert_cmpint (e->ts_ns, >=, last_ts);
          last_ts = e->ts_ns;
          g_assert_cmpint (e->kind, ==, i % 3 == 0 ? LAB_EVENT_BEGIN :
                                        i % 3 == 1 ? LAB_EVENT_MARK : LAB_EVENT_END);
          if (e->kind == LAB_EVENT_MARK)
            g_assert_cmpint (e->value, ==, i);
        }
      /* Every BEGIN was paired with its END. */
      g_assert_cmpuint (lane->spans[0]->len, ==, (N_PER_THREAD + 2) / 3);
      g_assert_cmpuint (lane->marks->len, ==, (N_PER_THREAD + 1) / 3);
      g_assert_false (g_array_index (lane->spans[0], LabSpan, 0).open);
    }
  g_test_message ("%u drains for %" G_GUINT64_FORMAT " events", drains, moved);
}

static void
test_drain_batches (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabLane *lane = lab_recorder_add_lane (rec, LAB_LANE_MAIN, "main");
  guint64 gen_before;

  for (guint i = 0; i < 50000; i++)
    lab_lane_mark (lane, 0, i, 0, 0);

  g_assert_cmpuint (lab_recorder_get_recorded (rec), ==, 50000);
  gen_before = lab_trace_get_generation (trace);
  g_assert_cmpuint (lab_recorder_drain (rec, trace), ==, 50000);
  /* One append per chunk of events, not one per event. */
  g_assert_cmpuint (lab_trace_get_generation (trace) - gen_before, <, 50);
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, 50000);

  /* Nothing new: nothing moves, nothing changes. */
  gen_before = lab_trace_get_generation (trace);
  g_assert_cmpuint (lab_recorder_drain (rec, trace), ==, 0);
  g_assert_cmpuint (lab_trace_get_generation (trace), ==, gen_before);
  g_assert_cmpuint (lab_recorder_get_recorded (rec), ==, 0);
}

static void
test_limit_counts_dropped (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabLane *lane;
  guint64 kept;

  lab_recorder_set_limit (rec, 4096);
  lane = lab_recorder_add_lane (rec, LAB_LANE_MAIN, "main");
  for (guint i = 0; i < 10000; i++)
    lab_lane_mark (lane, 0, i, 0, 0);

  kept = lab_recorder_drain (rec, trace);
  g_assert_cmpuint (kept, <=, 4096);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (lab_recorder_get_dropped (rec), ==, 10000 - kept);
  g_assert_cmpuint (lab_trace_get_dropped (trace), ==, 10000 - kept);
}

static void
test_flows_and_output (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabLane *a = lab_recorder_add_lane (rec, LAB_LANE_THREAD, "A");
  LabLane *b = lab_recorder_add_lane (rec, LAB_LANE_THREAD, "B");
  guint32 flow = lab_recorder_new_flow (rec);
  guint32 hello = lab_recorder_intern (rec, "hello");
  guint32 world = lab_recorder_intern (rec, "world");
  const LabFlowArrow *arrows;
  const LabOutputLine *lines;
  guint n;

  g_assert_cmpuint (flow, !=, 0);
  g_assert_cmpuint (lab_recorder_new_flow (rec), !=, flow);
  g_assert_cmpuint (lab_recorder_intern (rec, "hello"), ==, hello);

  /* Lane A drains first, but B printed first: B's line must come first. */
  lab_lane_record_at (a, 2000, 0, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                      LAB_EVENT_FLAG_FLOW_SOURCE | LAB_EVENT_FLAG_OUTPUT, hello, 1, flow);
  lab_lane_record_at (b, 1000, 0, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                      LAB_EVENT_FLAG_FLOW_TARGET | LAB_EVENT_FLAG_OUTPUT, world, 2, flow);
  lab_recorder_drain (rec, trace);

  arrows = lab_trace_get_flows (trace, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (arrows[0].from_lane, ==, 0);
  g_assert_cmpuint (arrows[0].to_lane, ==, 1);

  lines = lab_trace_get_output (trace, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (lab_trace_get_string (trace, lines[0].label), ==, "world");
  g_assert_cmpstr (lab_trace_get_string (trace, lines[1].label), ==, "hello");
  g_assert_cmpint (lab_trace_get_start_ns (trace), ==, 1000);
  g_assert_cmpint (lab_trace_get_end_ns (trace), ==, 2000);
}

/* A recorder holds at most LAB_RECORDER_MAX_LANES lanes; one more is an
 * error in words, not a crash, and changes nothing. */
static void
test_lanes_full (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(GError) error = NULL;
  LabLane *lane;

  lab_recorder_set_limit (rec, 0);
  for (guint l = 0; l < LAB_RECORDER_MAX_LANES; l++)
    {
      lane = lab_recorder_try_add_lane (rec, LAB_LANE_THREAD, "filler", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (lab_lane_get_index (lane), ==, l);
    }

  lane = lab_recorder_try_add_lane (rec, LAB_LANE_THREAD, "Thread 7", &error);
  g_assert_null (lane);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "Thread 7"));
  g_assert_nonnull (strstr (error->message, "65536"));
  g_assert_cmpuint (lab_recorder_get_n_lanes (rec), ==, LAB_RECORDER_MAX_LANES);
}

/* A lane refused for want of room gives its chunk back: the events of
 * the lanes that fit are not dropped for it. */
static void
test_lanes_full_budget (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabLane *first;

  /* Room for exactly one chunk: the first lane's. */
  lab_recorder_set_limit (rec, 2048);
  first = lab_recorder_add_lane (rec, LAB_LANE_THREAD, "first");
  lab_recorder_set_limit (rec, 0);
  for (guint l = 1; l < LAB_RECORDER_MAX_LANES; l++)
    lab_recorder_add_lane (rec, LAB_LANE_THREAD, "filler");
  lab_recorder_set_limit (rec, 2 * 2048);

  /* Over the lane limit, within the event budget: refused, chunk returned. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (lab_recorder_try_add_lane (rec, LAB_LANE_THREAD, "late", &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    }

  /* The first lane fills its chunk and may still link a second. */
  for (guint i = 0; i < 3000; i++)
    lab_lane_mark (first, 0, i, 0, 0);
  g_assert_cmpuint (lab_recorder_drain (rec, trace), ==, 3000);
  g_assert_cmpuint (lab_recorder_get_dropped (rec), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recorder/threads/sixteen", test_sixteen_threads);
  g_test_add_func ("/recorder/drain/batches", test_drain_batches);
  g_test_add_func ("/recorder/limit/dropped", test_limit_counts_dropped);
  g_test_add_func ("/recorder/flows-and-output", test_flows_and_output);
  g_test_add_func ("/recorder/lanes/full", test_lanes_full);
  g_test_add_func ("/recorder/lanes/full-budget", test_lanes_full_budget);

  return g_test_run ();
}
