/* lab-moment.c — finds the moment a run teaches in its trace (see
 * lab-moment.h for the kinds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "lab-moment.h"

static const LabEvent *
lane_event (LabTrace *trace,
            guint     lane,
            guint32   index)
{
  return &g_array_index (lab_trace_get_lane (trace, lane)->events, LabEvent, index);
}

/* The earliest highlighted mark; its arrow's source (the stale read) is
 * where the story starts, the counter's next sample (the count falling
 * back) where it ends. */
static gboolean
find_first_highlight (LabTrace *trace,
                      gint64   *start_ns,
                      gint64   *end_ns)
{
  const LabEvent *best = NULL;
  const LabFlowArrow *flows;
  guint n_flows;
  gint64 start, end;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      /* Marks are in time order per lane: the first highlight is enough. */
      for (guint k = 0; k < lane->marks->len; k++)
        {
          const LabEvent *ev = lane_event (trace, l, g_array_index (lane->marks, guint32, k));

          if (ev->flags & LAB_EVENT_FLAG_HIGHLIGHT)
            {
              if (best == NULL || ev->ts_ns < best->ts_ns)
                best = ev;
              break;
            }
        }
    }
  if (best == NULL)
    return FALSE;

  start = end = best->ts_ns;
  flows = lab_trace_get_flows (trace, &n_flows);
  if (best->flow != 0)
    for (guint i = 0; i < n_flows; i++)
      if (flows[i].flow == best->flow)
        {
          start = MIN (start, lane_event (trace, flows[i].from_lane, flows[i].from_index)->ts_ns);
          break;
        }

  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    {
      const LabTraceCounter *counter = lab_trace_get_counter (trace, c);
      const LabCounterSample *s = (const LabCounterSample *) (gpointer) counter->samples->data;
      guint lo = 0, hi = counter->samples->len;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (s[mid].ts_ns < best->ts_ns)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < counter->samples->len)
        end = MAX (end, s[lo].ts_ns);
    }

  *start_ns = start;
  *end_ns = end;
  return TRUE;
}

static gboolean
find_first_handoff (LabTrace *trace,
                    gint64   *start_ns,
                    gint64   *end_ns)
{
  const LabFlowArrow *flows;
  guint n_flows;
  gboolean found = FALSE;

  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint i = 0; i < n_flows; i++)
    {
      gint64 from, to;

      if (flows[i].from_lane == flows[i].to_lane)
        continue;
      from = lane_event (trace, flows[i].from_lane, flows[i].from_index)->ts_ns;
      to = lane_event (trace, flows[i].to_lane, flows[i].to_index)->ts_ns;
      /* The first to complete: a long arrow that starts earlier (a
       * result handed to the main thread at the end) is not the moment. */
      if (!found || MAX (from, to) < *end_ns)
        {
          *start_ns = MIN (from, to);
          *end_ns = MAX (from, to);
          found = TRUE;
        }
    }
  return found;
}

typedef struct
{
  gint64 ts;
  gint   delta; /* +1 a span begins, -1 it ends */
} Edge;

static int
edge_compare (const void *a,
              const void *b)
{
  const Edge *x = a, *y = b;

  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  /* An end before a begin at the same instant: touching is not overlapping. */
  return x->delta - y->delta;
}

static gint64
span_end (LabTrace      *trace,
          const LabSpan *span)
{
  return span->open ? MAX (lab_trace_get_end_ns (trace), span->start_ns) : span->end_ns;
}

typedef void (*SpanFunc) (const LabSpan *span,
                          gint64         end,
                          gpointer       data);

static gboolean
depth_has_state (GArray  *spans,
                 guint32  states)
{
  for (guint i = 0; i < spans->len; i++)
    if (states & LAB_MOMENT_STATE (g_array_index (spans, LabSpan, i).state))
      return TRUE;
  return FALSE;
}

/* Calls @func for each span in @states of every lane but the main one
 * (whose waiting for its workers is not their work), at the outermost
 * depth that has such spans: a request's phases sit inside its "GET"
 * span, and one lane must count once at an instant. */
static void
foreach_worker_span (LabTrace *trace,
                     guint32   states,
                     SpanFunc  func,
                     gpointer  data)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);
      GArray *spans = NULL;

      if (lane->kind == LAB_LANE_MAIN)
        continue;
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH && spans == NULL; d++)
        if (depth_has_state (lane->spans[d], states))
          spans = lane->spans[d];
      if (spans == NULL)
        continue;
      for (guint i = 0; i < spans->len; i++)
        {
          const LabSpan *span = &g_array_index (spans, LabSpan, i);

          if (states & LAB_MOMENT_STATE (span->state))
            func (span, span_end (trace, span), data);
        }
    }
}

static void
add_edges (const LabSpan *span,
           gint64         end,
           gpointer       data)
{
  Edge edges[2] = { { span->start_ns, +1 }, { end, -1 } };

  g_array_append_vals (data, edges, 2);
}

typedef struct
{
  gint64   at;
  gboolean found;
  gint64   start;
  gint64   end;
} Around;

static void
widen_around (const LabSpan *span,
              gint64         end,
              gpointer       data)
{
  Around *around = data;

  if (span->start_ns > around->at || end <= around->at)
    return;
  around->start = around->found ? MIN (around->start, span->start_ns) : span->start_ns;
  around->end = around->found ? MAX (around->end, end) : end;
  around->found = TRUE;
}

/* A sweep over the spans: the first instant the most of them run at once,
 * widened to those spans, whole. */
static gboolean
find_most_overlap (LabTrace *trace,
                   guint32   states,
                   gint64   *start_ns,
                   gint64   *end_ns)
{
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  Around around = { 0 };
  gint depth = 0, best = 0;

  if (states == 0)
    states = ~(LAB_MOMENT_STATE (LAB_STATE_SLEEPING) | LAB_MOMENT_STATE (LAB_STATE_WAITING));

  foreach_worker_span (trace, states, add_edges, edges);
  if (edges->len == 0)
    return FALSE;

  qsort (edges->data, edges->len, sizeof (Edge), edge_compare);
  for (guint i = 0; i < edges->len; i++)
    {
      const Edge *e = &g_array_index (edges, Edge, i);

      depth += e->delta;
      if (depth > best)
        {
          best = depth;
          around.at = e->ts;
        }
    }

  foreach_worker_span (trace, states, widen_around, &around);
  *start_ns = around.start;
  *end_ns = around.end;
  return around.found;
}

static gboolean
find_counter_rise (LabTrace *trace,
                   gint64   *start_ns,
                   gint64   *end_ns)
{
  const LabTraceCounter *counter;
  const LabCounterSample *s;
  guint top = 0;
  gint bottom;

  if (lab_trace_get_n_counters (trace) == 0)
    return FALSE;
  counter = lab_trace_get_counter (trace, 0);
  s = (const LabCounterSample *) (gpointer) counter->samples->data;
  if (counter->samples->len < 2 || counter->max_value == counter->min_value)
    return FALSE;

  while (s[top].value != counter->max_value)
    top++;
  /* Back from the first peak to where the counter last stood at its lowest. */
  for (bottom = (gint) top; bottom > 0 && s[bottom].value != counter->min_value; bottom--)
    ;
  *start_ns = s[bottom].ts_ns;
  *end_ns = s[top].ts_ns;
  return TRUE;
}

static gboolean
find_first_call (LabTrace *trace,
                 gint64   *start_ns,
                 gint64   *end_ns)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind != LAB_LANE_MAIN)
        continue;
      for (guint i = 0; i < lane->spans[0]->len; i++)
        {
          const LabSpan *span = &g_array_index (lane->spans[0], LabSpan, i);

          if (span->state != LAB_STATE_SPAWNING && span->state != LAB_STATE_WAITING)
            continue;
          *start_ns = span->start_ns;
          *end_ns = span_end (trace, span);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
lab_moment_find (LabTrace            *trace,
                 const LabMomentSpec *spec,
                 gint64              *start_ns,
                 gint64              *end_ns)
{
  gint64 start = 0, end = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (trace == NULL || lab_trace_get_n_events (trace) == 0)
    return FALSE;

  switch (spec->kind)
    {
    case LAB_MOMENT_NONE:
      break;
    case LAB_MOMENT_FIRST_HIGHLIGHT:
      found = find_first_highlight (trace, &start, &end);
      break;
    case LAB_MOMENT_FIRST_HANDOFF:
      found = find_first_handoff (trace, &start, &end);
      break;
    case LAB_MOMENT_MOST_OVERLAP:
      found = find_most_overlap (trace, spec->states, &start, &end);
      break;
    case LAB_MOMENT_COUNTER_RISE:
      found = find_counter_rise (trace, &start, &end);
      break;
    case LAB_MOMENT_FIRST_CALL:
      found = find_first_call (trace, &start, &end);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  if (found)
    {
      if (start_ns != NULL)
        *start_ns = start;
      if (end_ns != NULL)
        *end_ns = end;
    }
  return found;
}
