/* lab-timeline-breaks.c — finds the idle gaps of a run and maps real time
 * to the collapsed axis and back (see lab-timeline-breaks.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "lab-timeline-breaks.h"

#define MIN_GAP_NS G_GINT64_CONSTANT (2000000)

struct _LabTimelineBreaks
{
  GArray   *breaks;   /* LabTimelineBreak, by time */
  GArray   *busy;     /* scratch: busy intervals, real ns */
  LabTrace *trace;    /* not a reference: only compared */
  guint64   generation;
  gint64    min_gap;
};

typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

LabTimelineBreaks *
lab_timeline_breaks_new (void)
{
  LabTimelineBreaks *self = g_new0 (LabTimelineBreaks, 1);

  self->breaks = g_array_new (FALSE, FALSE, sizeof (LabTimelineBreak));
  self->busy = g_array_new (FALSE, FALSE, sizeof (Interval));
  return self;
}

void
lab_timeline_breaks_free (LabTimelineBreaks *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->breaks);
  g_array_unref (self->busy);
  g_free (self);
}

static int
interval_compare (const void *a,
                  const void *b)
{
  const Interval *x = a, *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

static inline gboolean
state_is_idle (guint8 state)
{
  /* time.sleep(), join(), queue.get(): nothing on the CPU, nothing to see
   * but the length; everything else (even waiting for a lock or the GIL)
   * is part of the story. */
  return state == LAB_STATE_SLEEPING || state == LAB_STATE_WAITING;
}

static void
add_busy (GArray *busy,
          gint64  start,
          gint64  end)
{
  Interval iv = { start, end };

  g_array_append_val (busy, iv);
}

static inline gint64
span_end (const LabSpan *span,
          gint64         origin,
          gint64         last)
{
  return span->open ? last : span->end_ns - origin;
}

/* What a lane does at an instant is its innermost span there: a thread's
 * "running" span holds its sleeps one level deeper. So a span that is not
 * idle is busy only where no deeper span covers it (those say for
 * themselves). Spans of one depth are sorted and their children too, so
 * one pass per depth does. */
static void
collect_lane_busy (GArray             *busy,
                   const LabTraceLane *lane,
                   gint64              origin,
                   gint64              last)
{
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    {
      GArray *spans = lane->spans[d];
      GArray *children = d + 1 < LAB_TRACE_MAX_DEPTH ? lane->spans[d + 1] : NULL;
      guint j = 0;

      for (guint i = 0; i < spans->len; i++)
        {
          const LabSpan *span = &g_array_index (spans, LabSpan, i);
          gint64 s = span->start_ns - origin;
          gint64 e = span_end (span, origin, last);
          gint64 cursor = s;

          if (state_is_idle (span->state))
            continue;
          while (children != NULL && j < children->len &&
                 span_end (&g_array_index (children, LabSpan, j), origin, last) <= s)
            j++;
          for (guint k = j; children != NULL && k < children->len; k++)
            {
              const LabSpan *child = &g_array_index (children, LabSpan, k);
              gint64 cs = child->start_ns - origin;

              if (cs >= e)
                break;
              if (cs > cursor)
                add_busy (busy, cursor, cs);
              cursor = MAX (cursor, span_end (child, origin, last));
            }
          if (cursor < e)
            add_busy (busy, cursor, e);
        }
    }
}

/* Every moment a lane is in a span that is not idle, every mark and every
 * counter sample is busy; the gaps between them are idle. */
static void
collect_busy (LabTimelineBreaks *self,
              LabTrace          *trace)
{
  gint64 origin = lab_trace_get_start_ns (trace);
  gint64 last = lab_trace_get_end_ns (trace) - origin;

  g_array_set_size (self->busy, 0);
  add_busy (self->busy, 0, 0);
  add_busy (self->busy, last, last);

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);
      const LabEvent *events = (const LabEvent *) (gpointer) lane->events->data;

      collect_lane_busy (self->busy, lane, origin, last);
      for (guint k = 0; k < lane->marks->len; k++)
        {
          gint64 t = events[g_array_index (lane->marks, guint32, k)].ts_ns - origin;

          add_busy (self->busy, t, t);
        }
    }
  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    {
      const LabTraceCounter *counter = lab_trace_get_counter (trace, c);

      for (guint k = 0; k < counter->samples->len; k++)
        {
          gint64 t = g_array_index (counter->samples, LabCounterSample, k).ts_ns - origin;

          add_busy (self->busy, t, t);
        }
    }
}

void
lab_timeline_breaks_update (LabTimelineBreaks *self,
                            LabTrace          *trace,
                            gint64             min_gap_ns)
{
  gint64 duration, reach, cut = 0;

  g_return_if_fail (self != NULL);

  if (trace == self->trace && min_gap_ns == self->min_gap &&
      (trace == NULL || lab_trace_get_generation (trace) == self->generation))
    return;
  self->trace = trace;
  self->min_gap = min_gap_ns;
  self->generation = trace != NULL ? lab_trace_get_generation (trace) : 0;
  g_array_set_size (self->breaks, 0);
  if (trace == NULL || lab_trace_get_n_events (trace) == 0)
    return;

  duration = lab_trace_get_end_ns (trace) - lab_trace_get_start_ns (trace);
  if (min_gap_ns <= 0)
    min_gap_ns = MAX (duration / 50, MIN_GAP_NS);

  collect_busy (self, trace);
  qsort (self->busy->data, self->busy->len, sizeof (Interval), interval_compare);

  reach = g_array_index (self->busy, Interval, 0).end;
  for (guint i = 1; i < self->busy->len; i++)
    {
      const Interval *iv = &g_array_index (self->busy, Interval, i);

      if (iv->start - reach > min_gap_ns)
        {
          LabTimelineBreak br;
          gint64 kept = min_gap_ns / 4;

          br.real_start = reach;
          br.real_end = iv->start;
          br.axis_start = reach - cut;
          br.axis_end = br.axis_start + kept;
          cut += (iv->start - reach) - kept;
          g_array_append_val (self->breaks, br);
        }
      reach = MAX (reach, iv->end);
    }
  g_array_set_size (self->busy, 0);
}

const LabTimelineBreak *
lab_timeline_breaks_get (const LabTimelineBreaks *self,
                         guint                   *n_breaks)
{
  if (n_breaks != NULL)
    *n_breaks = self != NULL ? self->breaks->len : 0;
  return self != NULL ? (const LabTimelineBreak *) (gpointer) self->breaks->data : NULL;
}

/* The last break starting at or before @t (on the real side, or on the
 * axis), or -1. */
static gint
last_break_before (const LabTimelineBreaks *self,
                   gint64                   t,
                   gboolean                 axis)
{
  const LabTimelineBreak *b = (const LabTimelineBreak *) (gpointer) self->breaks->data;
  guint lo = 0, hi = self->breaks->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((axis ? b[mid].axis_start : b[mid].real_start) <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (gint) lo - 1;
}

gint64
lab_timeline_breaks_to_axis (const LabTimelineBreaks *self,
                             gint64                   real_ns)
{
  const LabTimelineBreak *b;
  gint i;

  if (self == NULL || self->breaks->len == 0)
    return real_ns;
  i = last_break_before (self, real_ns, FALSE);
  if (i < 0)
    return real_ns;
  b = &g_array_index (self->breaks, LabTimelineBreak, i);
  if (real_ns < b->real_end)
    return b->axis_start + (gint64) ((double) (real_ns - b->real_start) *
                                     (double) (b->axis_end - b->axis_start) /
                                     (double) (b->real_end - b->real_start));
  return b->axis_end + (real_ns - b->real_end);
}

gint64
lab_timeline_breaks_to_real (const LabTimelineBreaks *self,
                             gint64                   axis_ns)
{
  const LabTimelineBreak *b;
  gint i;

  if (self == NULL || self->breaks->len == 0)
    return axis_ns;
  i = last_break_before (self, axis_ns, TRUE);
  if (i < 0)
    return axis_ns;
  b = &g_array_index (self->breaks, LabTimelineBreak, i);
  if (axis_ns < b->axis_end)
    return b->real_start + (gint64) ((double) (axis_ns - b->axis_start) *
                                     (double) (b->real_end - b->real_start) /
                                     (double) MAX (b->axis_end - b->axis_start, 1));
  return b->real_end + (axis_ns - b->axis_end);
}
