/* test-timeline-layout.c — the timeline's geometry, without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "lab-timeline-layout.h"

#define T0 G_GINT64_CONSTANT (1000000000000) /* an arbitrary CLOCK_MONOTONIC origin */

/* ---- building traces by hand ---- */

static void
append (LabTrace     *trace,
        guint         lane,
        gint64        rel_ns,
        LabEventKind  kind,
        LabState      state,
        const char   *label,
        gint64        value,
        guint16       flags,
        guint32       flow)
{
  LabEvent ev = { 0 };

  ev.ts_ns = T0 + rel_ns;
  ev.kind = kind;
  ev.state = state;
  ev.label = label != NULL ? lab_string_pool_intern (lab_trace_get_pool (trace), label) : 0;
  ev.value = value;
  ev.flags = flags;
  ev.flow = flow;
  ev.lane = lane;
  ev.cpu = (gint16) (lane % 2);
  lab_trace_append (trace, lane, &ev, 1);
}

#define BEGIN(tr, l, t, st, lbl) append (tr, l, t, LAB_EVENT_BEGIN, st, lbl, 0, 0, 0)
#define END(tr, l, t)            append (tr, l, t, LAB_EVENT_END, 0, NULL, 0, 0, 0)
#define MARK(tr, l, t, lbl, v, fl, flow) append (tr, l, t, LAB_EVENT_MARK, 0, lbl, v, fl, flow)
#define COUNTER(tr, l, t, lbl, v) append (tr, l, t, LAB_EVENT_COUNTER, 0, lbl, v, 0, 0)

/* Two lanes, nested spans, marks, one highlighted arrow, one counter;
 * the run lasts 1000 ns. */
static LabTrace *
make_small_trace (void)
{
  LabTrace *trace = lab_trace_new (NULL);

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "Main thread", 100);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Thread 1", 101);

  BEGIN (trace, 0, 0, LAB_STATE_RUNNING, "work");
  COUNTER (trace, 0, 0, "depth", 0);
  MARK (trace, 0, 50, "read", 5, LAB_EVENT_FLAG_FLOW_SOURCE, 1);
  BEGIN (trace, 0, 100, LAB_STATE_SLEEPING, NULL);
  END (trace, 0, 300);
  COUNTER (trace, 0, 400, "depth", 3);
  END (trace, 0, 600);
  COUNTER (trace, 0, 800, "depth", 1);

  BEGIN (trace, 1, 200, LAB_STATE_RUNNING, NULL);
  MARK (trace, 1, 850, "write", 6, LAB_EVENT_FLAG_FLOW_TARGET | LAB_EVENT_FLAG_HIGHLIGHT, 1);
  END (trace, 1, 1000);
  return trace;
}

static void
small_style (LabTimelineStyle *style)
{
  lab_timeline_style_init (style, FALSE);
  style->label_width = 100;
  style->ruler_height = 28;
  style->row_height = 20;
  style->mark_height = 18;
  style->lane_padding = 4;
  style->min_lane_height = 40;
  style->counter_height = 56;
}

static void
compute (LabTimelineLayout      *layout,
         LabTrace               *trace,
         gint64                  start,
         gint64                  end,
         double                  width,
         double                  height,
         const LabTimelineStyle *style)
{
  LabTimelineViewport vp = { start, end, width, height, 0 };

  lab_timeline_layout_compute (layout, trace, &vp, style);
}

static const LabPrim *
find_prim (LabTimelineLayout *layout,
           LabPrimKind        kind,
           guint              lane,
           guint              depth,
           guint              nth)
{
  guint n;
  const LabPrim *prims = lab_timeline_layout_get_prims (layout, &n);

  for (guint i = 0; i < n; i++)
    if (prims[i].kind == kind && prims[i].lane == lane && prims[i].depth == depth && nth-- == 0)
      return &prims[i];
  return NULL;
}

static guint
count_prims (LabTimelineLayout *layout,
             LabPrimKind        kind)
{
  guint n, count = 0;
  const LabPrim *prims = lab_timeline_layout_get_prims (layout, &n);

  for (guint i = 0; i < n; i++)
    if (prims[i].kind == kind)
      count++;
  return count;
}

/* ---- tests ---- */

static void
test_lanes_and_spans (void)
{
  g_autoptr(LabTrace) trace = make_small_trace ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;
  double y, h;

  small_style (&style);
  /* 1000 ns over 1000 px: one pixel per nanosecond, plot starts at x = 100. */
  compute (layout, trace, 0, 1000, 1100, 400, &style);

  /* Lane 0: marks strip (18) + 2 rows (40) + padding (8) = 66 px, below the ruler. */
  g_assert_true (lab_timeline_layout_get_lane_area (layout, 0, &y, &h));
  g_assert_cmpfloat (y, ==, 28);
  g_assert_cmpfloat (h, ==, 66);
  /* Lane 1: marks + 1 row + padding = 46 px. */
  g_assert_true (lab_timeline_layout_get_lane_area (layout, 1, &y, &h));
  g_assert_cmpfloat (y, ==, 94);
  g_assert_cmpfloat (h, ==, 46);
  g_assert_false (lab_timeline_layout_get_lane_area (layout, 2, NULL, NULL));
  g_assert_cmpfloat (lab_timeline_layout_get_content_height (layout), ==, 112);
  g_assert_cmpfloat (lab_timeline_layout_measure_height (trace, &style), ==, 28 + 112 + 56);

  g_assert_cmpfloat (lab_timeline_layout_time_to_x (layout, 0), ==, 100);
  g_assert_cmpfloat (lab_timeline_layout_time_to_x (layout, 600), ==, 700);
  g_assert_cmpint (lab_timeline_layout_x_to_time (layout, 350), ==, 250);

  /* The outer running span 0..600 ns: x 100..700, row 0 at 28 + 4 + 18 + 1. */
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 100);
  g_assert_cmpfloat (p->w, ==, 600);
  g_assert_cmpfloat (p->y, ==, 51);
  g_assert_cmpfloat (p->h, ==, 18);
  g_assert_cmpint (p->state, ==, LAB_STATE_RUNNING);
  g_assert_cmpint (p->index, ==, 0);

  /* The nested sleep 100..300 ns, one row lower. */
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 1, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 200);
  g_assert_cmpfloat (p->w, ==, 200);
  g_assert_cmpfloat (p->y, ==, 71);
  g_assert_cmpint (p->state, ==, LAB_STATE_SLEEPING);

  /* Lane 1's span 200..1000 ns. */
  p = find_prim (layout, LAB_PRIM_SPAN, 1, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 300);
  g_assert_cmpfloat (p->w, ==, 800);
  g_assert_cmpfloat (p->y, ==, 94 + 4 + 18 + 1);

  /* Zoomed to 250..500 ns over 1000 px (4 px/ns): edges clamp to the plot. */
  compute (layout, trace, 250, 500, 1100, 400, &style);
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 1, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 96);              /* starts before the view */
  g_assert_cmpfloat (p->x + p->w, ==, 100 + 200); /* ends at 300 ns */
  g_assert_null (find_prim (layout, LAB_PRIM_SPAN, 0, 1, 1));

  lab_timeline_layout_free (layout);
}

static void
test_open_span (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;

  small_style (&style);
  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "T", 0);
  BEGIN (trace, 0, 0, LAB_STATE_RUNNING, NULL);
  BEGIN (trace, 0, 100, LAB_STATE_WAITING, NULL);
  MARK (trace, 0, 400, "now", 0, 0, 0);

  /* Open spans reach the trace end (400 ns), not G_MAXINT64. */
  compute (layout, trace, 0, 1000, 1100, 300, &style);
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 100);
  g_assert_cmpfloat (p->w, ==, 400);
  g_assert_true (p->flags & LAB_PRIM_FLAG_OPEN);
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 1, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x, ==, 200);
  g_assert_cmpfloat (p->w, ==, 300);

  lab_timeline_layout_free (layout);
}

static void
check_ticks (LabTimelineLayout *layout,
             LabTrace          *trace,
             gint64             start,
             gint64             end,
             guint              n_expected,
             const char * const *labels)
{
  LabTimelineStyle style;
  const LabTimelineTick *ticks;
  guint n;

  small_style (&style);
  compute (layout, trace, start, end, 1100, 300, &style);
  ticks = lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; labels[i] != NULL; i++)
    g_assert_cmpstr (ticks[i].label, ==, labels[i]);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i].x,
                                    lab_timeline_layout_time_to_x (layout, ticks[i].t_ns), 1e-9);
}

static void
test_ticks (void)
{
  g_autoptr(LabTrace) trace = make_small_trace ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  const LabTimelineTick *ticks;
  guint n;

  /* 1-2-5 steps: the smallest one leaving 90 px between ticks. */
  g_assert_cmpint (lab_timeline_tick_step (1000, 1000, 90), ==, 100);
  g_assert_cmpint (lab_timeline_tick_step (1000, 1000, 150), ==, 200);
  g_assert_cmpint (lab_timeline_tick_step (1000, 1000, 300), ==, 500);
  g_assert_cmpint (lab_timeline_tick_step (3 * G_GINT64_CONSTANT (1000000000), 1000, 90),
                   ==, 500000000);
  g_assert_cmpint (lab_timeline_tick_step (10, 1000, 90), ==, 1);

  /* ns */
  check_ticks (layout, trace, 0, 100, 11,
               (const char *[]) { "0 ns", "10 ns", "20 ns", NULL });
  ticks = lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpfloat (ticks[0].x, ==, 100);
  g_assert_cmpfloat (ticks[3].x, ==, 400);
  g_assert_cmpstr (ticks[10].label, ==, "100 ns");
  /* a tenth of a µs: one decimal in the larger unit */
  check_ticks (layout, trace, 0, 1000, 11,
               (const char *[]) { "0 µs", "0.1 µs", "0.2 µs", NULL });
  ticks = lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpstr (ticks[10].label, ==, "1.0 µs");
  /* µs */
  check_ticks (layout, trace, 0, 10000, 11,
               (const char *[]) { "0 µs", "1 µs", "2 µs", NULL });
  /* ms, with one decimal for half-millisecond steps */
  check_ticks (layout, trace, 0, 5000000, 11,
               (const char *[]) { "0 ms", "0.5 ms", "1.0 ms", "1.5 ms", NULL });
  /* s */
  check_ticks (layout, trace, 0, 3 * G_GINT64_CONSTANT (1000000000), 7,
               (const char *[]) { "0 s", "0.5 s", "1.0 s", NULL });
  /* a view not starting on a tick: the first tick is the next multiple */
  check_ticks (layout, trace, 1050, 2000, 10,
               (const char *[]) { "1.1 µs", "1.2 µs", NULL });
  ticks = lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpfloat_with_epsilon (ticks[0].x, 100 + 50 * (1000.0 / 950), 1e-9);
  /* deep zoom far from the start: labels relative to a base in the corner */
  check_ticks (layout, trace, G_GINT64_CONSTANT (5000000000), G_GINT64_CONSTANT (5000001000), 11,
               (const char *[]) { "+0 µs", "+0.1 µs", "+0.2 µs", NULL });

  lab_timeline_layout_free (layout);
}

static void
test_format (void)
{
  struct { gint64 t, step; const char *expected; } ticks[] = {
    { 0, 100, "0 µs" },
    { 30, 10, "30 ns" },
    { 1500000, 500000, "1.5 ms" },
    { 1020000000, 20000000, "1020 ms" },
    { 1500000000, 500000000, "1.5 s" },
    { 0, 500000000, "0 s" },
    { 2000, 1000, "2 µs" },
    { 2500, 500, "2.5 µs" },
    { -500, 10, "-500 ns" },
    { 5005000, 5000, "5005 µs" },
  };
  struct { gint64 ns; const char *expected; } durations[] = {
    { 0, "0 ns" },
    { 50, "50 ns" },
    { 1234, "1.23 µs" },
    { 812000, "812 µs" },
    { 1234567, "1.23 ms" },
    { 35000000, "35.0 ms" },
    { 1020000000, "1.02 s" },
    { 61000000000, "61.0 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      char *s = lab_timeline_format_tick (ticks[i].t, ticks[i].step);

      g_assert_cmpstr (s, ==, ticks[i].expected);
      g_free (s);
    }
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      char *s = lab_timeline_format_duration (durations[i].ns);

      g_assert_cmpstr (s, ==, durations[i].expected);
      g_free (s);
    }
}

static void
test_fold_spans (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;

  small_style (&style);
  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Busy", 7);
  lab_trace_set_lane (trace, 1, LAB_LANE_MAIN, "Main", 6);
  MARK (trace, 1, 0, "start", 0, 0, 0); /* the trace starts at 0 */
  /* 100 spans of 2 ns, 1 ns apart, from 1000 to 1299 ns ... */
  for (guint i = 0; i < 100; i++)
    {
      BEGIN (trace, 0, 1000 + i * 3, LAB_STATE_RUNNING, NULL);
      END (trace, 0, 1000 + i * 3 + 2);
    }
  /* ... a wide one ... */
  BEGIN (trace, 0, 2000, LAB_STATE_WAITING, NULL);
  END (trace, 0, 2500);
  /* ... and 5 lone short ones 100 ns apart. */
  for (guint i = 0; i < 5; i++)
    {
      BEGIN (trace, 0, 3000 + i * 100, LAB_STATE_RUNNING, NULL);
      END (trace, 0, 3000 + i * 100 + 1);
    }
  END (trace, 0, 10000); /* nothing open: only sets the trace end */

  /* 10 µs over 1000 px: 0.1 px/ns. The run of 100 is 30 px: one box. */
  compute (layout, trace, 0, 10000, 1100, 300, &style);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_FOLDED), ==, 1);
  p = find_prim (layout, LAB_PRIM_FOLDED, 0, 0, 0);
  g_assert_cmpuint (p->count, ==, 100);
  g_assert_cmpuint (p->index, ==, 0);
  g_assert_cmpfloat_with_epsilon (p->x, 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->x + p->w, 100 + 129.9, 1e-9);
  /* the wide span, then the lone ones (1 px wide at least) */
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_SPAN), ==, 6);
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 0, 0);
  g_assert_cmpuint (p->index, ==, 100);
  g_assert_cmpfloat_with_epsilon (p->x, 300, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->w, 50, 1e-9);
  p = find_prim (layout, LAB_PRIM_SPAN, 0, 0, 1);
  g_assert_cmpuint (p->index, ==, 101);
  g_assert_cmpfloat_with_epsilon (p->x, 400, 1e-9);
  g_assert_cmpfloat (p->w, ==, 1);

  /* Zoomed in on the run (3.3 px/ns), every span is drawn. */
  compute (layout, trace, 1000, 1300, 1100, 300, &style);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_FOLDED), ==, 0);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_SPAN), ==, 100);

  /* Half-way: 2000 ns over 1000 px = 0.5 px/ns, spans are 1 px: folded
   * into one box, which starts with the first span still visible. */
  compute (layout, trace, 1150, 3150, 1100, 300, &style);
  p = find_prim (layout, LAB_PRIM_FOLDED, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpuint (p->index, ==, 50);
  g_assert_cmpuint (p->count, ==, 50);

  lab_timeline_layout_free (layout);
}

/* Folded runs keep their state's colour; a jumble of states is neutral. */
static void
test_fold_states (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;

  small_style (&style);
  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Runs", 1);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "Jumble", 2);
  /* Lane 0: 100 running then 100 lock-held spans, 2 ns each, 1 ns apart. */
  for (guint i = 0; i < 200; i++)
    {
      BEGIN (trace, 0, i * 3, i < 100 ? LAB_STATE_RUNNING : LAB_STATE_LOCK_HELD, NULL);
      END (trace, 0, i * 3 + 2);
    }
  /* Lane 1: the states alternate every span. */
  for (guint i = 0; i < 200; i++)
    {
      BEGIN (trace, 1, i * 3, i % 2 ? LAB_STATE_RUNNING : LAB_STATE_WAITING, NULL);
      END (trace, 1, i * 3 + 2);
    }

  /* 0.5 px/ns: each run of 100 is 150 px wide. */
  compute (layout, trace, 0, 2000, 1100, 300, &style);
  p = find_prim (layout, LAB_PRIM_FOLDED, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, LAB_STATE_RUNNING);
  g_assert_cmpuint (p->count, >=, 98);
  g_assert_cmpuint (p->count, <=, 102);
  p = find_prim (layout, LAB_PRIM_FOLDED, 0, 0, 1);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, LAB_STATE_LOCK_HELD);
  g_assert_cmpuint (p->index + p->count, ==, 200);
  g_assert_null (find_prim (layout, LAB_PRIM_FOLDED, 0, 0, 2));

  p = find_prim (layout, LAB_PRIM_FOLDED, 1, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, LAB_STATE_N);
  g_assert_cmpuint (p->count, ==, 200);

  lab_timeline_layout_free (layout);
}

static void
test_fold_marks (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;
  guint n_marks = 0, n_hl = 0;
  guint n;
  const LabPrim *prims;

  small_style (&style);
  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Marks", 7);
  lab_trace_set_lane (trace, 1, LAB_LANE_MAIN, "Main", 6);
  BEGIN (trace, 1, 0, LAB_STATE_RUNNING, NULL); /* the trace starts at 0 */
  END (trace, 1, 1);
  for (guint i = 0; i < 10; i++)
    MARK (trace, 0, 5000 + i * 2, "m", i, i == 4 ? LAB_EVENT_FLAG_HIGHLIGHT : 0, 0);
  MARK (trace, 0, 8000, "alone", 42, 0, 0);
  MARK (trace, 0, 10000, "end", 0, 0, 0);

  compute (layout, trace, 0, 10000, 1100, 300, &style);
  prims = lab_timeline_layout_get_prims (layout, &n);
  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_MARK)
      {
        if (prims[i].flags & LAB_PRIM_FLAG_HIGHLIGHT)
          n_hl++;
        else
          n_marks++;
      }
  /* ten marks 0.2 px apart fold into one, plus "alone" and "end" */
  g_assert_cmpuint (n_marks, ==, 3);
  g_assert_cmpuint (n_hl, ==, 1);
  p = find_prim (layout, LAB_PRIM_MARK, 0, 0, 0);
  g_assert_cmpuint (p->count, ==, 10);
  g_assert_true (p->flags & LAB_PRIM_FLAG_DIAMOND);
  g_assert_cmpfloat_with_epsilon (p->x + p->w / 2, 600, 1e-9);

  /* Zoomed in, the ten are apart (20 px each). */
  compute (layout, trace, 4990, 5040, 1100, 300, &style);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_MARK), ==, 10 + 1);

  lab_timeline_layout_free (layout);
}

/* A lane of marks denser than the fold all along is one strip (a box, not
 * hundreds of shapes), and thousands of arrows between two lanes are drawn
 * once per few columns: what is drawn follows pixels, not events. */
static void
test_dense_marks_and_arrows (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;
  guint n_arrows, n_hl = 0, n;
  const LabPrim *prims;

  small_style (&style);
  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "From", 7);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "To", 8);
  for (guint i = 0; i < 5000; i++)
    {
      MARK (trace, 0, i * 2, "m", i, LAB_EVENT_FLAG_FLOW_SOURCE, i + 1);
      MARK (trace, 1, i * 2 + 1, "t", i,
            LAB_EVENT_FLAG_FLOW_TARGET | (i == 2500 ? LAB_EVENT_FLAG_HIGHLIGHT : 0), i + 1);
    }

  compute (layout, trace, 0, 10000, 1100, 300, &style);
  p = find_prim (layout, LAB_PRIM_MARK, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_true (p->flags & LAB_PRIM_FLAG_STRIP);
  g_assert_cmpuint (p->count, >=, 4990);
  g_assert_cmpfloat (p->w, >, 900);
  g_assert_null (find_prim (layout, LAB_PRIM_MARK, 0, 0, 1));

  n_arrows = count_prims (layout, LAB_PRIM_ARROW);
  prims = lab_timeline_layout_get_prims (layout, &n);
  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_ARROW && (prims[i].flags & LAB_PRIM_FLAG_HIGHLIGHT))
      n_hl++;
  /* 1000 px of plot in 32 px columns, and the lost update's own arrow. */
  g_assert_cmpuint (n_arrows, <=, 1000 / 32 + 2 + 1);
  g_assert_cmpuint (n_arrows, >=, 1000 / 32);
  g_assert_cmpuint (n_hl, ==, 1);

  /* Zoomed in to 20 marks, they are marks again. */
  compute (layout, trace, 4000, 4040, 1100, 300, &style);
  g_assert_false (find_prim (layout, LAB_PRIM_MARK, 0, 0, 0)->flags & LAB_PRIM_FLAG_STRIP);

  lab_timeline_layout_free (layout);
}

static void
test_marks_arrows_counters (void)
{
  g_autoptr(LabTrace) trace = make_small_trace ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  const LabPrim *p;
  const LabPoint *pts;
  const LabLegendEntry *legend;
  guint n;

  small_style (&style);
  compute (layout, trace, 0, 1000, 1100, 400, &style);

  /* The "read" mark at 50 ns: centred on x = 150 in lane 0's marks strip. */
  p = find_prim (layout, LAB_PRIM_MARK, 0, 0, 0);
  g_assert_nonnull (p);
  g_assert_cmpfloat (p->x + p->w / 2, ==, 150);
  g_assert_cmpfloat (p->y + p->h / 2, ==, 28 + 4 + 9);
  g_assert_cmpuint (p->count, ==, 1);

  /* The highlighted write, drawn twice (plain, then on top in red). */
  p = find_prim (layout, LAB_PRIM_MARK, 1, 0, 1);
  g_assert_nonnull (p);
  g_assert_true (p->flags & LAB_PRIM_FLAG_HIGHLIGHT);
  g_assert_cmpfloat (p->x + p->w / 2, ==, 950);

  /* One arrow, highlighted because its target is, from the read to the write. */
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_ARROW), ==, 1);
  p = find_prim (layout, LAB_PRIM_ARROW, 0, 0, 0);
  g_assert_true (p->flags & LAB_PRIM_FLAG_HIGHLIGHT);
  g_assert_cmpuint (p->count, ==, 4);
  pts = lab_timeline_layout_get_points (layout, NULL);
  g_assert_cmpfloat (pts[p->index].x, ==, 150 + 6);
  g_assert_cmpfloat (pts[p->index].y, ==, 41);
  g_assert_cmpfloat (pts[p->index + 3].x, ==, 950 - 6);
  g_assert_cmpfloat (pts[p->index + 3].y, ==, 94 + 4 + 9);

  /* The counter: a step line 0 → 3 at 400 ns → 1 at 800 ns, to the end. */
  p = find_prim (layout, LAB_PRIM_STEPS, 0, 0, 0);
  g_assert_nonnull (p);
  {
    double top = 400 - 56 + 6, bottom = 400 - 6;
    double y1 = bottom - (bottom - top) / 3;
    LabPoint expected[] = {
      { 100, bottom }, { 500, bottom }, { 500, top }, { 900, top }, { 900, y1 }, { 1100, y1 },
    };

    g_assert_cmpuint (p->count, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_assert_cmpfloat_with_epsilon (pts[p->index + i].x, expected[i].x, 1e-9);
        g_assert_cmpfloat_with_epsilon (pts[p->index + i].y, expected[i].y, 1e-9);
      }
  }

  /* Legend: the two states seen, marks, the highlight, the arrow, the counter. */
  legend = lab_timeline_layout_get_legend (layout, &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (legend[0].kind, ==, LAB_LEGEND_SWATCH);
  g_assert_cmpstr (legend[0].label, ==, lab_state_to_label (LAB_STATE_RUNNING));
  g_assert_cmpstr (legend[1].label, ==, lab_state_to_label (LAB_STATE_SLEEPING));
  g_assert_cmpint (legend[2].kind, ==, LAB_LEGEND_MARK);
  g_assert_cmpint (legend[3].kind, ==, LAB_LEGEND_HIGHLIGHT);
  g_assert_cmpint (legend[4].kind, ==, LAB_LEGEND_ARROW);
  g_assert_cmpint (legend[5].kind, ==, LAB_LEGEND_COUNTER);
  g_assert_cmpstr (legend[5].label, ==, "depth");

  lab_timeline_layout_free (layout);
}

static void
test_hit (void)
{
  g_autoptr(LabTrace) trace = make_small_trace ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabTimelineStyle style;
  LabTimelineHit hit;
  char *text;

  small_style (&style);
  compute (layout, trace, 0, 1000, 1100, 400, &style);

  /* Row 0 of lane 0 at 150 ns: the running span. */
  g_assert_true (lab_timeline_layout_hit_test (layout, 250, 60, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_SPAN);
  g_assert_cmpuint (hit.lane, ==, 0);
  g_assert_cmpuint (hit.depth, ==, 0);
  g_assert_cmpuint (hit.index, ==, 0);
  g_assert_cmpint (hit.state, ==, LAB_STATE_RUNNING);
  g_assert_cmpint (hit.start_ns, ==, 0);
  g_assert_cmpint (hit.duration_ns, ==, 600);
  g_assert_cmpstr (hit.label, ==, "work");
  g_assert_cmpint (hit.cpu, ==, 0);
  text = lab_timeline_hit_describe (layout, &hit);
  g_assert_nonnull (strstr (text, lab_state_to_label (LAB_STATE_RUNNING)));
  g_assert_nonnull (strstr (text, "Main thread"));
  g_assert_nonnull (strstr (text, "600 ns"));
  g_free (text);

  /* Row 1: the nested sleep. */
  g_assert_true (lab_timeline_layout_hit_test (layout, 250, 80, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_SPAN);
  g_assert_cmpuint (hit.depth, ==, 1);
  g_assert_cmpint (hit.state, ==, LAB_STATE_SLEEPING);
  g_assert_cmpint (hit.start_ns, ==, 100);
  g_assert_cmpint (hit.duration_ns, ==, 200);

  /* The read mark (3 px off its centre still hits). */
  g_assert_true (lab_timeline_layout_hit_test (layout, 153, 41, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_MARK);
  g_assert_cmpstr (hit.label, ==, "read");
  g_assert_cmpint (hit.value, ==, 5);
  g_assert_cmpint (hit.start_ns, ==, 50);

  /* The highlighted write on lane 1. */
  g_assert_true (lab_timeline_layout_hit_test (layout, 950, 107, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_MARK);
  g_assert_cmpuint (hit.lane, ==, 1);
  g_assert_cmpstr (hit.label, ==, "write");
  g_assert_true (hit.flags & LAB_EVENT_FLAG_HIGHLIGHT);
  g_assert_cmpint (hit.cpu, ==, 1);

  /* Past the end of lane 0's span: nothing. */
  g_assert_false (lab_timeline_layout_hit_test (layout, 1000, 60, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_NONE);

  /* The name column, the ruler, the counter. */
  g_assert_true (lab_timeline_layout_hit_test (layout, 50, 100, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_LANE);
  g_assert_cmpuint (hit.lane, ==, 1);
  g_assert_true (lab_timeline_layout_hit_test (layout, 600, 10, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_RULER);
  g_assert_cmpint (hit.start_ns, ==, 500);
  g_assert_true (lab_timeline_layout_hit_test (layout, 600, 370, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_TIMELINE_HIT_COUNTER);
  g_assert_cmpint (hit.value, ==, 3);
  g_assert_cmpstr (hit.label, ==, "depth");

  lab_timeline_layout_free (layout);
}

static void
test_empty (void)
{
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineStyle style;
  LabTimelineHit hit;
  guint n;

  small_style (&style);
  compute (layout, NULL, 0, 0, 500, 200, &style);
  g_assert_nonnull (lab_timeline_layout_get_prims (layout, &n));
  g_assert_cmpuint (n, >, 0);
  g_assert_false (lab_timeline_layout_hit_test (layout, 300, 100, &hit));
  /* No run yet: no ruler with a made-up range ("0–0.8 µs"), only the
   * placeholder. */
  lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_TEXT), ==, 1);
  compute (layout, trace, 0, 1000, 500, 200, &style);
  lab_timeline_layout_get_ticks (layout, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (count_prims (layout, LAB_PRIM_TEXT), ==, 1);
  lab_timeline_layout_free (layout);
}

/* A million events: 10 lanes × (25 000 spans, 12 500 nested spans,
 * 25 000 marks with highlights and arrows) + a counter. */
static void
test_million (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  LabStringPool *pool = lab_trace_get_pool (trace);
  guint32 label = lab_string_pool_intern (pool, "step");
  LabTimelineStyle style;
  GArray *batch = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  guint64 total = 0;
  guint32 flow = 1;
  struct { gint64 start, end; } views[] = {
    { 0, G_GINT64_CONSTANT (1000000000) },          /* everything */
    { 400000000, 401000000 },                       /* 1 ms */
    { 500000000, 500010000 },                       /* 10 µs */
  };

  lab_timeline_style_init (&style, FALSE);
  for (guint lane = 0; lane < 10; lane++)
    {
      char *name = g_strdup_printf ("Worker %u", lane);

      lab_trace_set_lane (trace, lane, LAB_LANE_THREAD, name, 1000 + lane);
      g_free (name);
      g_array_set_size (batch, 0);
      for (guint i = 0; i < 25000; i++)
        {
          gint64 t = (gint64) i * 40000 + lane * 100; /* 40 µs per step over 1 s */
          LabEvent ev = { .lane = lane, .cpu = (gint16) (i % 2), .label = label };

          ev.ts_ns = T0 + t; ev.kind = LAB_EVENT_BEGIN; ev.state = LAB_STATE_RUNNING;
          g_array_append_val (batch, ev);
          if (i % 2 == 0)
            {
              ev.ts_ns = T0 + t + 5000; ev.kind = LAB_EVENT_BEGIN; ev.state = LAB_STATE_SLEEPING;
              g_array_append_val (batch, ev);
              ev.ts_ns = T0 + t + 15000; ev.kind = LAB_EVENT_END;
              g_array_append_val (batch, ev);
            }
          ev.ts_ns = T0 + t + 20000; ev.kind = LAB_EVENT_MARK; ev.value = i;
          ev.flags = (i % 25 == 0) ? LAB_EVENT_FLAG_HIGHLIGHT : 0;
          ev.flow = 0;
          if (i % 5 == 0)
            {
              ev.flags |= LAB_EVENT_FLAG_FLOW_SOURCE;
              ev.flow = flow;
            }
          else if (i % 5 == 1)
            {
              ev.flags |= LAB_EVENT_FLAG_FLOW_TARGET;
              ev.flow = flow++;
            }
          g_array_append_val (batch, ev);
          ev.flags = 0; ev.flow = 0;
          ev.ts_ns = T0 + t + 30000; ev.kind = LAB_EVENT_END;
          g_array_append_val (batch, ev);
          if (lane == 0 && i % 100 == 0)
            {
              ev.ts_ns = T0 + t + 30000; ev.kind = LAB_EVENT_COUNTER; ev.value = i % 1000;
              g_array_append_val (batch, ev);
            }
        }
      lab_trace_append (trace, lane, (const LabEvent *) (gpointer) batch->data, batch->len);
      total += batch->len;
    }
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, total);
  g_assert_cmpuint (total, >=, 1000000);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      gint64 before = g_get_monotonic_time ();
      gint64 elapsed;
      guint n_prims, n_points;

      compute (layout, trace, views[v].start, views[v].end, 1280, 800, &style);
      elapsed = g_get_monotonic_time () - before;
      lab_timeline_layout_get_prims (layout, &n_prims);
      lab_timeline_layout_get_points (layout, &n_points);
      g_test_message ("view %u: %u primitives, %u points in %.1f ms",
                      v, n_prims, n_points, elapsed / 1000.0);

      /* Bound: per visible row at most one box per fold_px (3 px) of the
       * 1130 px plot plus a label per 28 px: ~417; per lane marks, labels
       * and highlighted marks at most 3 per mark_fold_px (7 px): ~485;
       * 10 lanes × (2 rows + marks) ≈ 13 200, + 2000 arrows + ruler and
       * columns ≈ 15 500 < 20 000, whatever the number of events. */
      g_assert_cmpuint (n_prims, <, 20000);
      /* Counter: at most 4 points per pixel column, + 2. */
      g_assert_cmpuint (n_points, <=, 4 * 1130 + 2 + 4 * 2000);
      /* Only a guard against walking every event on every layout (the
       * time is bench-timeline's to measure): generous enough for a
       * sanitizer build on a loaded shared machine. */
      g_assert_cmpint (elapsed, <, 1000 * 1000);
    }

  g_array_unref (batch);
  lab_timeline_layout_free (layout);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/layout/lanes-and-spans", test_lanes_and_spans);
  g_test_add_func ("/timeline/layout/open-span", test_open_span);
  g_test_add_func ("/timeline/layout/ticks", test_ticks);
  g_test_add_func ("/timeline/layout/format", test_format);
  g_test_add_func ("/timeline/layout/fold-spans", test_fold_spans);
  g_test_add_func ("/timeline/layout/fold-states", test_fold_states);
  g_test_add_func ("/timeline/layout/fold-marks", test_fold_marks);
  g_test_add_func ("/timeline/layout/dense-marks-and-arrows", test_dense_marks_and_arrows);
  g_test_add_func ("/timeline/layout/marks-arrows-counters", test_marks_arrows_counters);
  g_test_add_func ("/timeline/layout/hit", test_hit);
  g_test_add_func ("/timeline/layout/empty", test_empty);
  g_test_add_func ("/timeline/layout/million", test_million);

  return g_test_run ();
}
