/* test-timeline-moment.c — where a run's lesson sits in its trace
 * (lab_moment_find) and the collapsed idle time the timeline draws
 * (LabTimelineBreaks), on traces built by hand. No display needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lab-moment.h"
#include "lab-timeline-breaks.h"
#include "lab-timeline-layout.h"

#define T0 G_GINT64_CONSTANT (1000000000000) /* an arbitrary CLOCK_MONOTONIC origin */
#define MS G_GINT64_CONSTANT (1000000)

static void
append (LabTrace     *trace,
        guint         lane,
        gint64        rel_ns,
        LabEventKind  kind,
        LabState      state,
        gint64        value,
        guint16       flags,
        guint32       flow)
{
  LabEvent ev = { 0 };

  ev.ts_ns = T0 + rel_ns;
  ev.kind = kind;
  ev.state = state;
  ev.label = lab_string_pool_intern (lab_trace_get_pool (trace),
                                     kind == LAB_EVENT_COUNTER ? "count" : "x");
  ev.value = value;
  ev.flags = flags;
  ev.flow = flow;
  ev.lane = lane;
  ev.cpu = -1;
  lab_trace_append (trace, lane, &ev, 1);
}

#define BEGIN(tr, l, t, st)           append (tr, l, t, LAB_EVENT_BEGIN, st, 0, 0, 0)
#define END(tr, l, t)                 append (tr, l, t, LAB_EVENT_END, 0, 0, 0, 0)
#define MARK(tr, l, t, fl, flow)      append (tr, l, t, LAB_EVENT_MARK, 0, 0, fl, flow)
#define COUNTER(tr, l, t, v)          append (tr, l, t, LAB_EVENT_COUNTER, 0, v, 0, 0)

static void
assert_moment (LabTrace      *trace,
               LabMomentKind  kind,
               guint32        states,
               gint64         start,
               gint64         end)
{
  LabMomentSpec spec = { kind, "button", states };
  gint64 s = -1, e = -1;

  g_assert_true (lab_moment_find (trace, &spec, &s, &e));
  g_assert_cmpint (s - T0, ==, start);
  g_assert_cmpint (e - T0, ==, end);
}

/* A race: thread 1 reads at 10 ms, sleeps 200 ms, writes over thread 2's
 * write at 210 ms (highlighted), the count falls back at 211 ms. */
static LabTrace *
make_race (void)
{
  LabTrace *trace = lab_trace_new (NULL);

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "Main thread", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Thread 1", 2);
  lab_trace_set_lane (trace, 2, LAB_LANE_THREAD, "Thread 2", 3);

  BEGIN (trace, 0, 0, LAB_STATE_WAITING);
  END (trace, 0, 400 * MS);

  BEGIN (trace, 1, 5 * MS, LAB_STATE_RUNNING);
  MARK (trace, 1, 10 * MS, LAB_EVENT_FLAG_FLOW_SOURCE, 7);
  BEGIN (trace, 1, 11 * MS, LAB_STATE_SLEEPING);
  END (trace, 1, 210 * MS);
  MARK (trace, 1, 210 * MS, LAB_EVENT_FLAG_FLOW_TARGET | LAB_EVENT_FLAG_HIGHLIGHT, 7);
  COUNTER (trace, 1, 211 * MS, 1);
  END (trace, 1, 212 * MS);

  BEGIN (trace, 2, 6 * MS, LAB_STATE_RUNNING);
  MARK (trace, 2, 12 * MS, 0, 0);
  COUNTER (trace, 2, 20 * MS, 2);
  END (trace, 2, 21 * MS);
  return trace;
}

static void
test_first_highlight (void)
{
  g_autoptr(LabTrace) trace = make_race ();
  LabMomentSpec none = { LAB_MOMENT_NONE, NULL, 0 };

  /* From the stale read to the count's fall. */
  assert_moment (trace, LAB_MOMENT_FIRST_HIGHLIGHT, 0, 10 * MS, 211 * MS);
  g_assert_false (lab_moment_find (trace, &none, NULL, NULL));
}

static void
test_first_handoff (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabMomentSpec spec = { LAB_MOMENT_FIRST_HANDOFF, "button", 0 };

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Thread 1", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Thread 2", 2);
  /* An arrow within one lane is no hand-over. */
  MARK (trace, 0, 1 * MS, LAB_EVENT_FLAG_FLOW_SOURCE, 1);
  MARK (trace, 0, 2 * MS, LAB_EVENT_FLAG_FLOW_TARGET, 1);
  g_assert_false (lab_moment_find (trace, &spec, NULL, NULL));

  MARK (trace, 0, 5 * MS, LAB_EVENT_FLAG_FLOW_SOURCE, 2);
  MARK (trace, 1, 5 * MS + 20000, LAB_EVENT_FLAG_FLOW_TARGET, 2);
  MARK (trace, 1, 10 * MS, LAB_EVENT_FLAG_FLOW_SOURCE, 3);
  MARK (trace, 0, 10 * MS + 30000, LAB_EVENT_FLAG_FLOW_TARGET, 3);
  assert_moment (trace, LAB_MOMENT_FIRST_HANDOFF, 0, 5 * MS, 5 * MS + 20000);
}

static void
test_most_overlap (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  guint32 io = LAB_MOMENT_STATE (LAB_STATE_IO_WAIT);

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "Main thread", 1);
  for (guint l = 1; l <= 3; l++)
    lab_trace_set_lane (trace, l, LAB_LANE_RESOURCE, "request", 0);
  /* The main lane waits all along: not a request. */
  BEGIN (trace, 0, 0, LAB_STATE_IO_WAIT);
  END (trace, 0, 100 * MS);
  /* One request alone, then two that overlap, touching a third. */
  BEGIN (trace, 1, 1 * MS, LAB_STATE_IO_WAIT);
  END (trace, 1, 10 * MS);
  BEGIN (trace, 1, 20 * MS, LAB_STATE_IO_WAIT);
  END (trace, 1, 40 * MS);
  BEGIN (trace, 2, 30 * MS, LAB_STATE_IO_WAIT);
  END (trace, 2, 50 * MS);
  BEGIN (trace, 3, 50 * MS, LAB_STATE_IO_WAIT);
  END (trace, 3, 60 * MS);
  assert_moment (trace, LAB_MOMENT_MOST_OVERLAP, io, 20 * MS, 50 * MS);
}

static void
test_counter_rise (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  const gint64 values[] = { 0, 1, 0, 1, 2, 3, 2, 3, 0 };

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Producer", 1);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    COUNTER (trace, 0, (gint64) i * MS, values[i]);
  /* From where it last stood empty to where it first was full. */
  assert_moment (trace, LAB_MOMENT_COUNTER_RISE, 0, 2 * MS, 5 * MS);
}

static void
test_first_call (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "Main thread", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_PROCESS, "child", 2);
  BEGIN (trace, 0, 0, LAB_STATE_RUNNING);
  END (trace, 0, 1 * MS);
  BEGIN (trace, 0, 2 * MS, LAB_STATE_SPAWNING);
  END (trace, 0, 3 * MS);
  BEGIN (trace, 1, 2 * MS, LAB_STATE_RUNNING);
  END (trace, 1, 500 * MS);
  assert_moment (trace, LAB_MOMENT_FIRST_CALL, 0, 2 * MS, 3 * MS);
}

/* The race sleeps from 21 to 210 ms on every lane (the main thread
 * waits, thread 1 sleeps inside its running span): one break there, and
 * one from 212 ms to the end at 400 ms. */
static void
test_breaks (void)
{
  g_autoptr(LabTrace) trace = make_race ();
  LabTimelineBreaks *breaks = lab_timeline_breaks_new ();
  const LabTimelineBreak *b;
  guint n;

  lab_timeline_breaks_update (breaks, trace, 20 * MS);
  b = lab_timeline_breaks_get (breaks, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (b[0].real_start, ==, 21 * MS);
  g_assert_cmpint (b[0].real_end, ==, 210 * MS);
  g_assert_cmpint (b[0].axis_start, ==, 21 * MS);
  g_assert_cmpint (b[0].axis_end, ==, 26 * MS); /* a quarter of 20 ms kept */
  g_assert_cmpint (b[1].real_start, ==, 212 * MS);
  g_assert_cmpint (b[1].real_end, ==, 400 * MS);

  /* Before, in and after a break, both ways. */
  g_assert_cmpint (lab_timeline_breaks_to_axis (breaks, 15 * MS), ==, 15 * MS);
  g_assert_cmpint (lab_timeline_breaks_to_axis (breaks, 211 * MS), ==, 27 * MS);
  g_assert_cmpint (lab_timeline_breaks_to_real (breaks, 27 * MS), ==, 211 * MS);
  g_assert_cmpint (lab_timeline_breaks_to_axis (breaks, 400 * MS), ==, 33 * MS);
  g_assert_cmpint (lab_timeline_breaks_to_real (breaks, 33 * MS), ==, 400 * MS);
  for (gint64 t = 0; t <= 400 * MS; t += 7 * MS)
    g_assert_cmpint (ABS (lab_timeline_breaks_to_real (breaks, lab_timeline_breaks_to_axis (breaks, t)) - t),
                     <=, 40);

  /* A gap shorter than asked for stays. */
  lab_timeline_breaks_update (breaks, trace, 300 * MS);
  lab_timeline_breaks_get (breaks, &n);
  g_assert_cmpuint (n, ==, 0);
  lab_timeline_breaks_free (breaks);
}

/* Collapsed, the ruler says "… idle" over a break and its ticks skip it. */
static void
test_collapsed_layout (void)
{
  g_autoptr(LabTrace) trace = make_race ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineBreaks *breaks = lab_timeline_breaks_new ();
  LabTimelineViewport vp = { 0, 33 * MS, 900, 400, 0 };
  LabTimelineStyle style;
  const LabPrim *prims;
  guint n_prims, n_ticks, idle_texts = 0;
  const LabTimelineTick *ticks;

  lab_timeline_style_init (&style, FALSE);
  lab_timeline_breaks_update (breaks, trace, 20 * MS);
  style.breaks = breaks;
  lab_timeline_layout_compute (layout, trace, &vp, &style);
  prims = lab_timeline_layout_get_prims (layout, &n_prims);
  for (guint i = 0; i < n_prims; i++)
    if (prims[i].kind == LAB_PRIM_TEXT && g_str_has_suffix (prims[i].text, " idle"))
      idle_texts++;
  g_assert_cmpuint (idle_texts, >=, 1);

  ticks = lab_timeline_layout_get_ticks (layout, &n_ticks);
  for (guint i = 0; i < n_ticks; i++)
    g_assert_false (ticks[i].t_ns > 21 * MS && ticks[i].t_ns < 26 * MS);
  /* The end of the run is drawn at the right of a view 33 ms wide. */
  g_assert_cmpfloat (ABS (lab_timeline_layout_time_to_x (layout, 400 * MS) - 900), <, 1);

  lab_timeline_layout_free (layout);
  lab_timeline_breaks_free (breaks);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline-moment/first-highlight", test_first_highlight);
  g_test_add_func ("/timeline-moment/first-handoff", test_first_handoff);
  g_test_add_func ("/timeline-moment/most-overlap", test_most_overlap);
  g_test_add_func ("/timeline-moment/counter-rise", test_counter_rise);
  g_test_add_func ("/timeline-moment/first-call", test_first_call);
  g_test_add_func ("/timeline-moment/breaks", test_breaks);
  g_test_add_func ("/timeline-moment/collapsed-layout", test_collapsed_layout);

  return g_test_run ();
}
