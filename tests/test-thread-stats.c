/* test-thread-stats.c — context switches per thread: recorded with
 * getrusage(RUSAGE_THREAD) on the lane's own thread, kept on the trace lane,
 * and shown in the lane's tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-recorder.h"
#include "lab-timeline-layout.h"
#include "lab-trace.h"

static LabEvent
stats_event (gint64  ts,
             guint32 voluntary,
             guint32 involuntary,
             guint32 tid)
{
  LabEvent e = {
    .ts_ns = ts,
    .kind = LAB_EVENT_THREAD_STATS,
    .value = LAB_THREAD_STATS_PACK (voluntary, involuntary),
    .flow = tid,
    .cpu = -1,
  };
  return e;
}

static void
test_pack (void)
{
  gint64 v = LAB_THREAD_STATS_PACK (412, 37);

  g_assert_cmpuint (LAB_THREAD_STATS_VOLUNTARY (v), ==, 412);
  g_assert_cmpuint (LAB_THREAD_STATS_INVOLUNTARY (v), ==, 37);

  v = LAB_THREAD_STATS_PACK (G_MAXUINT32, G_MAXUINT32);
  g_assert_cmpuint (LAB_THREAD_STATS_VOLUNTARY (v), ==, G_MAXUINT32);
  g_assert_cmpuint (LAB_THREAD_STATS_INVOLUNTARY (v), ==, G_MAXUINT32);
}

/* A thread's last report wins; the threads of a reused lane add up; no
 * span, mark, counter or state comes of it. */
static void
test_trace_keeps_stats (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  const LabTraceLane *lane;
  LabEvent events[] = {
    { .ts_ns = 100, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 0 },
    { .ts_ns = 200, .kind = LAB_EVENT_END, .cpu = 0 },
    stats_event (210, 3, 1, 77),
    stats_event (220, 5, 2, 77),  /* the same thread again: replaces */
    stats_event (900, 10, 4, 78), /* the next repeat's thread: adds */
  };

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Thread 0", 78);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Thread 1", 79);
  lab_trace_append (trace, 0, events, 3);
  lane = lab_trace_get_lane (trace, 0);
  g_assert_true (lane->has_thread_stats);
  g_assert_cmpuint (lane->voluntary_switches, ==, 3);
  g_assert_cmpuint (lane->involuntary_switches, ==, 1);

  lab_trace_append (trace, 0, events + 3, 2);
  g_assert_cmpuint (lane->voluntary_switches, ==, 15);
  g_assert_cmpuint (lane->involuntary_switches, ==, 6);

  g_assert_cmpuint (lane->spans[0]->len, ==, 1);
  g_assert_cmpuint (lane->spans[1]->len, ==, 0);
  g_assert_cmpuint (lane->marks->len, ==, 0);
  g_assert_cmpuint (lab_trace_get_n_counters (trace), ==, 0);
  g_assert_cmpuint (lab_trace_get_states_seen (trace), ==, 1u << LAB_STATE_RUNNING);
  g_assert_cmpint (lab_trace_get_end_ns (trace), ==, 900);

  g_assert_false (lab_trace_get_lane (trace, 1)->has_thread_stats);
}

typedef struct
{
  LabLane *lane;
  guint    sleeps;
} SleeperData;

static gpointer
sleeper_main (gpointer data)
{
  SleeperData *sleeper = data;

  lab_lane_bind_thread (sleeper->lane);
  lab_lane_begin (sleeper->lane, LAB_STATE_SLEEPING, 0);
  for (guint i = 0; i < sleeper->sleeps; i++)
    g_usleep (1000);
  lab_lane_end (sleeper->lane);
  lab_lane_record_thread_stats (sleeper->lane);
  return NULL;
}

/* A thread that sleeps 20 × 1 ms gives up the CPU at least 10 times. */
static void
test_sleeping_thread (void)
{
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (recorder));
  SleeperData sleeper = { lab_recorder_add_lane (recorder, LAB_LANE_THREAD, "Sleeper"), 20 };
  const LabTraceLane *lane;
  const LabEvent *last;
  GThread *thread;

  thread = g_thread_new ("sleeper", sleeper_main, &sleeper);
  g_thread_join (thread);
  g_assert_cmpuint (lab_recorder_drain (recorder, trace), ==, 3);

  lane = lab_trace_get_lane (trace, 0);
  last = &g_array_index (lane->events, LabEvent, lane->events->len - 1);
  g_assert_cmpint (last->kind, ==, LAB_EVENT_THREAD_STATS);
  g_assert_cmpint ((gint) last->flow, ==, lane->tid);
  g_assert_true (lane->has_thread_stats);
  g_test_message ("20 sleeps: %u voluntary, %u involuntary switches",
                  lane->voluntary_switches, lane->involuntary_switches);
  g_assert_cmpuint (lane->voluntary_switches, >=, 10);

  /* The stats event makes no span and no mark. */
  g_assert_cmpuint (lane->spans[0]->len, ==, 1);
  g_assert_cmpuint (lane->spans[1]->len, ==, 0);
  g_assert_cmpuint (lane->marks->len, ==, 0);
}

static char *
lane_tooltip (LabTrace *trace,
              guint     lane)
{
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  LabTimelineViewport vp = { 0, 1000, 800, 400, 0 };
  LabTimelineHit hit;
  double y, h;
  char *text;

  lab_timeline_style_init (&style, FALSE);
  lab_timeline_layout_compute (layout, trace, &vp, &style);
  g_assert_true (lab_timeline_layout_get_lane_area (layout, lane, &y, &h));
  g_assert_true (lab_timeline_layout_hit_test (layout, 10, y + h / 2, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_LANE);
  g_assert_cmpuint (hit.lane, ==, lane);
  text = lab_timeline_hit_describe (layout, &hit);
  lab_timeline_layout_free (layout);
  return text;
}

static void
test_lane_tooltip (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabEvent events[] = {
    { .ts_ns = 100, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 0 },
    { .ts_ns = 600, .kind = LAB_EVENT_END, .cpu = 0 },
    stats_event (610, 412, 37, 5),
  };
  g_autofree char *with = NULL;
  g_autofree char *one = NULL;
  g_autofree char *without = NULL;

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Thread 0", 5);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Thread 1", 6);
  lab_trace_append (trace, 0, events, G_N_ELEMENTS (events));
  events[2] = stats_event (620, 1, 1, 6);
  lab_trace_append (trace, 1, events, 2);

  with = lane_tooltip (trace, 0);
  g_assert_nonnull (strstr (with, "412 voluntary, 37 involuntary context switches"));
  g_assert_nonnull (strstr (with, "scheduler"));

  without = lane_tooltip (trace, 1);
  g_assert_null (strstr (without, "context switch"));

  lab_trace_append (trace, 1, events + 2, 1);
  one = lane_tooltip (trace, 1);
  g_assert_nonnull (strstr (one, "1 voluntary, 1 involuntary context switch\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/thread-stats/pack", test_pack);
  g_test_add_func ("/thread-stats/trace", test_trace_keeps_stats);
  g_test_add_func ("/thread-stats/sleeping-thread", test_sleeping_thread);
  g_test_add_func ("/thread-stats/lane-tooltip", test_lane_tooltip);

  return g_test_run ();
}
