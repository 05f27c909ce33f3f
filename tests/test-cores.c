/* test-cores.c — the cores view: one lane per CPU, spans of the threads
 * that ran there, from the CPU each event recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-cores.h"
#include "lab-experiments.h"
#include "lab-runner.h"

/* ---- helpers ---- */

static void
add (LabTrace     *trace,
     guint         lane,
     gint64        ts,
     LabEventKind  kind,
     LabState      state,
     gint16        cpu)
{
  LabEvent e = { .ts_ns = ts, .kind = kind, .state = state, .cpu = cpu, .lane = lane };

  lab_trace_append (trace, lane, &e, 1);
}

#define BEGIN(tr, l, t, s, c) add (tr, l, t, LAB_EVENT_BEGIN, s, c)
#define END(tr, l, t, c)      add (tr, l, t, LAB_EVENT_END, 0, c)
#define MARK(tr, l, t, c)     add (tr, l, t, LAB_EVENT_MARK, 0, c)

static void
assert_span (LabTrace   *view,
             guint       lane,
             guint       index,
             const char *label,
             gint64      start_ns,
             gint64      end_ns)
{
  const LabTraceLane *l = lab_trace_get_lane (view, lane);
  const LabSpan *span;

  g_assert_cmpuint (index, <, l->spans[0]->len);
  span = &g_array_index (l->spans[0], LabSpan, index);
  g_assert_cmpstr (lab_trace_get_string (view, span->label), ==, label);
  g_assert_cmpint (span->state, ==, LAB_STATE_RUNNING);
  g_assert_cmpint (span->start_ns, ==, start_ns);
  g_assert_cmpint (span->end_ns, ==, end_ns);
  g_assert_cmpint (span->open, ==, end_ns == G_MAXINT64);
}

/* The per-depth invariant: sorted, never overlapping, all at depth 0. */
static void
assert_lanes_consistent (LabTrace *view)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (view); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (view, i);

      g_assert_cmpint (lane->kind, ==, LAB_LANE_RESOURCE);
      g_assert_true (g_str_has_prefix (lane->name, "CPU "));
      g_assert_cmpuint (lane->spans[0]->len, >, 0);
      g_assert_cmpuint (lane->spans[1]->len, ==, 0);
      g_assert_cmpuint (lane->marks->len, ==, 0);
      for (guint s = 0; s < lane->spans[0]->len; s++)
        {
          const LabSpan *span = &g_array_index (lane->spans[0], LabSpan, s);

          g_assert_cmpint (span->start_ns, <, span->end_ns);
          if (s > 0)
            g_assert_cmpint (g_array_index (lane->spans[0], LabSpan, s - 1).end_ns, <=,
                             span->start_ns);
        }
    }
}

/* ---- a hand-made trace ---- */

static LabTrace *
hand_made_trace (void)
{
  LabTrace *trace = lab_trace_new (NULL);

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "Main thread", 10);
  lab_trace_set_lane (trace, 1, LAB_LANE_RESOURCE, "GIL", 0);
  lab_trace_set_lane (trace, 2, LAB_LANE_THREAD, "Thread 0", 11);
  lab_trace_set_lane (trace, 3, LAB_LANE_THREAD, "Thread 1", 12);
  lab_trace_set_lane (trace, 4, LAB_LANE_THREAD, "Thread 2", 13);
  lab_trace_set_lane (trace, 5, LAB_LANE_PROCESS, "Process 1", 14);

  /* Main thread: runs on CPU 1 (and in the 5 ns between its spans), waits,
   * then runs on CPU 2 to the end. */
  BEGIN (trace, 0, 50, LAB_STATE_RUNNING, 1);
  END (trace, 0, 90, 1);
  BEGIN (trace, 0, 95, LAB_STATE_WAITING, 1);
  END (trace, 0, 600, 1);
  BEGIN (trace, 0, 610, LAB_STATE_RUNNING, 2);

  /* The GIL lane is a resource: skipped, although its events have a CPU. */
  BEGIN (trace, 1, 100, LAB_STATE_LOCK_HELD, 3);
  END (trace, 1, 700, 3);

  /* Thread 0: CPU 0, moves to CPU 1, waits for the GIL, wakes up on CPU 0,
   * holds a lock (on CPU), a mark, ends; then reports its switches (still
   * on CPU 0 until then). */
  BEGIN (trace, 2, 100, LAB_STATE_RUNNING, 0);
  MARK (trace, 2, 150, 1);
  BEGIN (trace, 2, 200, LAB_STATE_GIL_WAIT, 1);
  END (trace, 2, 300, 0);
  BEGIN (trace, 2, 350, LAB_STATE_LOCK_HELD, 0);
  END (trace, 2, 400, 0);
  MARK (trace, 2, 450, 0);
  END (trace, 2, 500, 0);
  add (trace, 2, 520, LAB_EVENT_THREAD_STATS, 0, 0);

  /* Thread 1: CPU 1, sleeps, CPU 0, waits for a reply, an event without a
   * CPU (nothing known until the next), then CPU 0 again — colliding with
   * Thread 0, seen there later, from 300. */
  BEGIN (trace, 3, 120, LAB_STATE_RUNNING, 1);
  BEGIN (trace, 3, 180, LAB_STATE_SLEEPING, 1);
  END (trace, 3, 250, 0);
  BEGIN (trace, 3, 260, LAB_STATE_IO_WAIT, 0);
  END (trace, 3, 270, -1);
  MARK (trace, 3, 280, 0);
  END (trace, 3, 320, 0);

  /* Thread 2 never knew its CPU. */
  BEGIN (trace, 4, 100, LAB_STATE_RUNNING, -1);
  END (trace, 4, 200, -1);

  /* A child process's replayed events carry its own CPU. */
  BEGIN (trace, 5, 400, LAB_STATE_SENDING, 1);
  END (trace, 5, 450, 1);

  return trace;
}

static void
test_hand_made (void)
{
  g_autoptr(LabTrace) trace = hand_made_trace ();
  g_autoptr(LabTrace) view = lab_trace_new_cores_view (trace);
  const LabTraceLane *lane;
  const LabEvent *begin;

  g_assert_true (lab_trace_get_pool (view) == lab_trace_get_pool (trace));
  g_assert_cmpuint (lab_trace_get_n_lanes (view), ==, 3);
  g_assert_cmpstr (lab_trace_get_lane (view, 0)->name, ==, "CPU 0");
  g_assert_cmpstr (lab_trace_get_lane (view, 1)->name, ==, "CPU 1");
  g_assert_cmpstr (lab_trace_get_lane (view, 2)->name, ==, "CPU 2");
  assert_lanes_consistent (view);

  /* CPU 0: Thread 0's stretches from 300 on are merged (lock held, a
   * mark); Thread 1's estimate [280, 320) shows until Thread 0 is seen. */
  lane = lab_trace_get_lane (view, 0);
  g_assert_cmpuint (lane->spans[0]->len, ==, 4);
  assert_span (view, 0, 0, "Thread 0", 100, 150);
  assert_span (view, 0, 1, "Thread 1", 250, 260);
  assert_span (view, 0, 2, "Thread 1", 280, 300);
  assert_span (view, 0, 3, "Thread 0", 300, 520);

  /* CPU 1: no GIL wait or sleep on it; Thread 0 moves in at 150. */
  lane = lab_trace_get_lane (view, 1);
  g_assert_cmpuint (lane->spans[0]->len, ==, 4);
  assert_span (view, 1, 0, "Main thread", 50, 95);
  assert_span (view, 1, 1, "Thread 1", 120, 150);
  assert_span (view, 1, 2, "Thread 0", 150, 200);
  assert_span (view, 1, 3, "Process 1", 400, 450);

  /* CPU 2: the main thread still running at the end: an open span. */
  lane = lab_trace_get_lane (view, 2);
  g_assert_cmpuint (lane->spans[0]->len, ==, 1);
  assert_span (view, 2, 0, "Main thread", 610, G_MAXINT64);

  /* A span's BEGIN names the thread's lane and CPU. */
  lane = lab_trace_get_lane (view, 1);
  begin = &g_array_index (lane->events, LabEvent,
                          g_array_index (lane->spans[0], LabSpan, 3).begin_index);
  g_assert_cmpint (begin->value, ==, 5);
  g_assert_cmpint (begin->cpu, ==, 1);

  /* The same time axis as the trace it shows. */
  g_assert_cmpint (lab_trace_get_start_ns (view), ==, 50);
  g_assert_cmpint (lab_trace_get_end_ns (view), ==, 700);
  g_assert_cmpuint (lab_trace_get_states_seen (view), ==, 1u << LAB_STATE_RUNNING);
  g_assert_cmpuint (lab_trace_get_n_counters (view), ==, 0);
}

static void
test_on_cpu_states (void)
{
  static const LabState on[] = {
    LAB_STATE_RUNNING, LAB_STATE_LOCK_HELD, LAB_STATE_SENDING, LAB_STATE_SPAWNING,
  };
  guint n_on = 0;

  for (guint s = 0; s < LAB_STATE_N; s++)
    if (lab_state_is_on_cpu (s))
      n_on++;
  g_assert_cmpuint (n_on, ==, G_N_ELEMENTS (on));
  for (guint i = 0; i < G_N_ELEMENTS (on); i++)
    g_assert_true (lab_state_is_on_cpu (on[i]));
  g_assert_false (lab_state_is_on_cpu (LAB_STATE_GIL_WAIT));
  g_assert_false (lab_state_is_on_cpu (LAB_STATE_IO_TRANSFER));
  g_assert_false (lab_state_is_on_cpu (LAB_STATE_N));
}

/* Only the CPUs seen get a lane, in CPU order; nothing seen, no lanes. */
static void
test_sparse_and_empty (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  g_autoptr(LabTrace) empty = lab_trace_new_cores_view (trace);
  g_autoptr(LabTrace) view = NULL;

  g_assert_cmpuint (lab_trace_get_n_lanes (empty), ==, 0);
  g_assert_cmpuint (lab_trace_get_n_events (empty), ==, 0);

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "A", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "B", 2);
  BEGIN (trace, 0, 10, LAB_STATE_RUNNING, 7);
  END (trace, 0, 20, 7);
  BEGIN (trace, 1, 10, LAB_STATE_RUNNING, 3);
  /* B sleeps from 15; the sleep's END is its last event. */
  BEGIN (trace, 1, 15, LAB_STATE_SLEEPING, 3);
  END (trace, 1, 30, 3);
  lab_trace_set_dropped (trace, 4);

  view = lab_trace_new_cores_view (trace);
  g_assert_cmpuint (lab_trace_get_n_lanes (view), ==, 2);
  g_assert_cmpstr (lab_trace_get_lane (view, 0)->name, ==, "CPU 3");
  g_assert_cmpstr (lab_trace_get_lane (view, 1)->name, ==, "CPU 7");
  assert_span (view, 0, 0, "B", 10, 15);
  /* B is running again after 30, but that is the trace's end. */
  g_assert_cmpuint (lab_trace_get_lane (view, 0)->spans[0]->len, ==, 1);
  assert_span (view, 1, 0, "A", 10, 20);
  g_assert_cmpuint (lab_trace_get_dropped (view), ==, 4);
}

/* Outside spans, only short gaps on one CPU count as running. */
static void
test_bridge (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  g_autoptr(LabTrace) view = NULL;

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "A", 1);
  BEGIN (trace, 0, 0, LAB_STATE_RUNNING, 0);
  END (trace, 0, 1000, 0);
  BEGIN (trace, 0, 191000, LAB_STATE_RUNNING, 0);  /* 190 µs later: bridged */
  END (trace, 0, 200000, 0);
  BEGIN (trace, 0, 410000, LAB_STATE_RUNNING, 0);  /* 210 µs later: not */
  END (trace, 0, 420000, 0);
  BEGIN (trace, 0, 420010, LAB_STATE_RUNNING, 1);  /* another CPU: not */
  END (trace, 0, 430000, 1);
  BEGIN (trace, 0, 430010, LAB_STATE_SLEEPING, 1); /* off the CPU */
  END (trace, 0, 440000, 1);

  view = lab_trace_new_cores_view (trace);
  g_assert_cmpuint (lab_trace_get_n_lanes (view), ==, 2);
  g_assert_cmpuint (lab_trace_get_lane (view, 0)->spans[0]->len, ==, 2);
  assert_span (view, 0, 0, "A", 0, 200000);
  assert_span (view, 0, 1, "A", 410000, 420000);
  g_assert_cmpuint (lab_trace_get_lane (view, 1)->spans[0]->len, ==, 1);
  assert_span (view, 1, 0, "A", 420010, 430010);
}

#define SAMPLE(tr, l, t, c) add (tr, l, t, LAB_EVENT_CPU_SAMPLE, 0, c)

/* Two threads sharing one CPU: each samples only while it runs there, so
 * the later sighting wins and a longer estimate shows again after it. */
static void
test_collisions (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  g_autoptr(LabTrace) view = NULL;

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "A", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "B", 2);
  lab_trace_set_lane (trace, 2, LAB_LANE_THREAD, "C", 3);

  /* A runs 0..2.5 ms, is descheduled while B runs, then 5..7 ms. */
  BEGIN (trace, 0, 0, LAB_STATE_RUNNING, 0);
  SAMPLE (trace, 0, 1000000, 0);
  SAMPLE (trace, 0, 2000000, 0);
  SAMPLE (trace, 0, 5000000, 0);
  SAMPLE (trace, 0, 6000000, 0);
  END (trace, 0, 7000000, 0);
  /* B: 2.5..5 ms, then from 7 ms. */
  BEGIN (trace, 1, 2500000, LAB_STATE_RUNNING, 0);
  SAMPLE (trace, 1, 3500000, 0);
  SAMPLE (trace, 1, 4500000, 0);
  SAMPLE (trace, 1, 7050000, 0);
  END (trace, 1, 8000000, 0);
  /* C: a long estimate on CPU 1 with a short one of B's on top. */
  BEGIN (trace, 2, 10000000, LAB_STATE_RUNNING, 1);
  END (trace, 2, 20000000, 1);
  BEGIN (trace, 1, 12000000, LAB_STATE_RUNNING, 1);
  END (trace, 1, 13000000, 1);

  view = lab_trace_new_cores_view (trace);
  g_assert_cmpuint (lab_trace_get_n_lanes (view), ==, 2);
  assert_lanes_consistent (view);

  g_assert_cmpuint (lab_trace_get_lane (view, 0)->spans[0]->len, ==, 4);
  assert_span (view, 0, 0, "A", 0, 2500000);
  assert_span (view, 0, 1, "B", 2500000, 5000000);
  assert_span (view, 0, 2, "A", 5000000, 7000000);
  assert_span (view, 0, 3, "B", 7000000, 8000000);

  g_assert_cmpuint (lab_trace_get_lane (view, 1)->spans[0]->len, ==, 3);
  assert_span (view, 1, 0, "C", 10000000, 12000000);
  assert_span (view, 1, 1, "B", 12000000, 13000000);
  assert_span (view, 1, 2, "C", 13000000, 20000000);

  /* Samples make no spans or marks in the trace itself. */
  g_assert_cmpuint (lab_trace_get_lane (trace, 0)->spans[0]->len, ==, 1);
  g_assert_cmpuint (lab_trace_get_lane (trace, 0)->marks->len, ==, 0);
}

/* A million events: the view is built in O(n log n). */
static void
test_million (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  g_autoptr(LabTrace) view = NULL;
  const guint n_lanes = 8, per_lane = 125000;
  GArray *events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  gint64 t0;
  guint64 spans = 0;

  for (guint l = 0; l < n_lanes; l++)
    {
      g_autofree char *name = g_strdup_printf ("Thread %u", l);

      lab_trace_set_lane (trace, l, LAB_LANE_THREAD, name, (gint) l + 1);
      g_array_set_size (events, 0);
      for (guint i = 0; i < per_lane; i++)
        {
          LabEvent e = { 0 };

          /* Begin/end pairs of RUNNING and WAITING, moving between 4 CPUs. */
          e.ts_ns = (gint64) i * 1000 + l * 37;
          e.kind = i % 2 == 0 ? LAB_EVENT_BEGIN : LAB_EVENT_END;
          e.state = (i / 2) % 3 == 0 ? LAB_STATE_WAITING : LAB_STATE_RUNNING;
          e.cpu = (gint16) ((i / 7 + l) % 4);
          e.lane = l;
          g_array_append_val (events, e);
        }
      lab_trace_append (trace, l, (const LabEvent *) (gpointer) events->data, events->len);
    }
  g_array_unref (events);
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, (guint64) n_lanes * per_lane);

  t0 = g_get_monotonic_time ();
  view = lab_trace_new_cores_view (trace);
  g_test_message ("cores view of %u events: %.1f ms", n_lanes * per_lane,
                  (g_get_monotonic_time () - t0) / 1000.0);

  g_assert_cmpuint (lab_trace_get_n_lanes (view), ==, 4);
  assert_lanes_consistent (view);
  for (guint i = 0; i < 4; i++)
    spans += lab_trace_get_lane (view, i)->spans[0]->len;
  g_assert_cmpuint (spans, >, 0);
  g_assert_cmpuint (spans, <=, (guint64) n_lanes * per_lane);
}

/* ---- a real run ---- */

static gboolean
is_thread_name (LabTrace   *trace,
                const char *name)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      if (lane->kind != LAB_LANE_RESOURCE && strcmp (lane->name, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_real_run (void)
{
  const LabExperiment *e = &lab_exp_threads_cpu_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(LabTrace) view = NULL;
  LabTrace *trace;
  gboolean seen[2] = { FALSE, FALSE };

  g_assert_true (lab_params_parse (params, "gil", "false", &error));
  g_assert_true (lab_params_parse (params, "threads", "2", &error));
  g_assert_true (lab_params_parse (params, "size", "2000000", &error));
  g_assert_true (lab_params_parse (params, "repeat", "1", &error));
  runner = lab_runner_new (e, params);
  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);

  trace = lab_runner_get_trace (runner);
  view = lab_trace_new_cores_view (trace);
  g_test_message ("%u CPU lanes (%ld CPUs online)", lab_trace_get_n_lanes (view),
                  g_get_num_processors () + 0L);
  g_assert_cmpuint (lab_trace_get_n_lanes (view), >=, 1);
  assert_lanes_consistent (view);

  for (guint i = 0; i < lab_trace_get_n_lanes (view); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (view, i);

      for (guint s = 0; s < lane->spans[0]->len; s++)
        {
          const LabSpan *span = &g_array_index (lane->spans[0], LabSpan, s);
          const char *label = lab_trace_get_string (view, span->label);

          g_assert_true (is_thread_name (trace, label));
          if (strcmp (label, "Thread 0") == 0)
            seen[0] = TRUE;
          else if (strcmp (label, "Thread 1") == 0)
            seen[1] = TRUE;
        }
    }
  /* Both workers computed, so both ran somewhere. */
  g_assert_true (seen[0]);
  g_assert_true (seen[1]);

  /* Every thread that ran reported its context switches. */
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      if (lane->kind != LAB_LANE_RESOURCE)
        {
          g_test_message ("%s: %u voluntary, %u involuntary", lane->name,
                          lane->voluntary_switches, lane->involuntary_switches);
          g_assert_true (lane->has_thread_stats);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cores/hand-made", test_hand_made);
  g_test_add_func ("/cores/on-cpu-states", test_on_cpu_states);
  g_test_add_func ("/cores/sparse-and-empty", test_sparse_and_empty);
  g_test_add_func ("/cores/bridge", test_bridge);
  g_test_add_func ("/cores/collisions", test_collisions);
  g_test_add_func ("/cores/million", test_million);
  g_test_add_func ("/cores/real-run", test_real_run);

  return g_test_run ();
}
