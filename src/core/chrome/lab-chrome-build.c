/* lab-chrome-build.c — the lanes gathered from a Chrome trace file
 * replayed as recorder events into a LabTrace.
 *
 * Spans are replayed through a stack, so a span that overlaps its parent
 * only in part is cut at the parent's end: the trace's spans must nest.
 * A flow s → t → … → f becomes one arrow per step between marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-chrome-read-private.h"

static gint
compare_points (gconstpointer a,
                gconstpointer b)
{
  const LabChromePoint *pa = a, *pb = b;

  if (pa->event.ts_ns != pb->event.ts_ns)
    return pa->event.ts_ns < pb->event.ts_ns ? -1 : 1;
  return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

static gint
compare_flow_ends (gconstpointer a,
                   gconstpointer b)
{
  const LabChromeFlowEnd *fa = a, *fb = b;
  int rank_a = fa->ph == 's' ? 0 : fa->ph == 't' ? 1 : 2;
  int rank_b = fb->ph == 's' ? 0 : fb->ph == 't' ? 1 : 2;

  if (fa->ts_ns != fb->ts_ns)
    return fa->ts_ns < fb->ts_ns ? -1 : 1;
  if (rank_a != rank_b)
    return rank_a - rank_b;
  return fa->seq < fb->seq ? -1 : fa->seq > fb->seq;
}

/* Puts one end of an arrow on a mark of the lane at that time that has no
 * arrow yet (our own files put arrows on marks), or on a new mark. The
 * lane's first n_sorted points are sorted by time: a binary search, not a
 * scan, so that many arrows on a long lane stay cheap. */
static void
attach_flow_end (LabChromeReader  *r,
                 LabChromeFlowEnd *end,
                 guint32           flow,
                 guint16           flag)
{
  LabChromeLane *lb = g_ptr_array_index (r->lane_list, end->lane);
  guint lo = 0, hi = lb->n_sorted;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (lb->points, LabChromePoint, mid).event.ts_ns < end->ts_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < lb->n_sorted; i++)
    {
      LabChromePoint *p = &g_array_index (lb->points, LabChromePoint, i);

      if (p->event.ts_ns != end->ts_ns)
        break;
      if (p->event.kind == LAB_EVENT_MARK && p->event.flow == 0 &&
          !(p->event.flags & LAB_EVENT_FLAG_OUTPUT))
        {
          p->event.flow = flow;
          p->event.flags |= flag;
          return;
        }
    }
  lab_chrome_reader_add_point (r, lb, LAB_EVENT_MARK, flag, "arrow", 0, end->ts_ns);
  g_array_index (lb->points, LabChromePoint, lb->points->len - 1).event.flow = flow;
}

/* A flow s → t → … → f is a chain of arrows, one per step; each arrow
 * gets an id of its own, since a mark ends or starts one arrow only. */
void
lab_chrome_reader_resolve_flows (LabChromeReader *r)
{
  guint32 next_flow = 1;

  for (guint i = 0; i < r->lane_list->len; i++)
    {
      LabChromeLane *lb = g_ptr_array_index (r->lane_list, i);

      g_array_sort (lb->points, compare_points);
      lb->n_sorted = lb->points->len;
    }

  for (guint k = 0; k < r->flow_keys->len; k++)
    {
      GArray *ends = g_hash_table_lookup (r->flows, g_ptr_array_index (r->flow_keys, k));

      g_array_sort (ends, compare_flow_ends);
      for (guint i = 0; i + 1 < ends->len; i++)
        {
          LabChromeFlowEnd *from = &g_array_index (ends, LabChromeFlowEnd, i);
          LabChromeFlowEnd *to = &g_array_index (ends, LabChromeFlowEnd, i + 1);
          guint32 flow = next_flow++;

          attach_flow_end (r, from, flow, LAB_EVENT_FLAG_FLOW_SOURCE);
          attach_flow_end (r, to, flow, LAB_EVENT_FLAG_FLOW_TARGET);
        }
      if (ends->len == 1)
        lab_chrome_reader_ignore (r, (char[]) { g_array_index (ends, LabChromeFlowEnd, 0).ph, '\0' });
    }
}

static gint
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const LabChromeSpan *sa = a, *sb = b;

  if (sa->start_ns != sb->start_ns)
    return sa->start_ns < sb->start_ns ? -1 : 1;
  /* The outer of two spans that start together opens first. */
  if (sa->dur_ns != sb->dur_ns)
    return sa->dur_ns > sb->dur_ns ? -1 : 1;
  return sa->seq < sb->seq ? -1 : sa->seq > sb->seq;
}

static void
push_event (GArray  *events,
            guint    lane,
            gint64   ts_ns,
            guint8   kind,
            guint8   state,
            guint32  label,
            gint16   cpu)
{
  LabEvent e = { 0 };

  e.ts_ns = ts_ns;
  e.kind = kind;
  e.state = state;
  e.label = label;
  e.lane = (guint16) lane;
  e.cpu = cpu;
  g_array_append_val (events, e);
}

typedef struct
{
  gint64   ts_ns;
  gint16   cpu;
  gboolean open; /* no END: the span was still going when exported */
} SpanEnd;

/* Replays a lane's spans and points in time order. At one instant a point
 * comes before a span that ends there (it was recorded inside it), also
 * when the next span begins at that instant, and spans end before the
 * next one begins; a point at the start of a span is inside it. */
static GArray *
replay_lane (LabChromeLane *lb,
             guint          lane)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (SpanEnd));
  guint s = 0, p = 0;

  g_array_sort (lb->spans, compare_spans);
  g_array_sort (lb->points, compare_points);
  for (;;)
    {
      LabChromeSpan *span = s < lb->spans->len ? &g_array_index (lb->spans, LabChromeSpan, s) : NULL;
      LabChromePoint *point = p < lb->points->len ? &g_array_index (lb->points, LabChromePoint, p) : NULL;
      SpanEnd *last = ends->len > 0 ? &g_array_index (ends, SpanEnd, ends->len - 1) : NULL;
      gint64 top = last != NULL ? last->ts_ns : G_MAXINT64;

      if (point != NULL && point->event.ts_ns <= top &&
          (span == NULL || point->event.ts_ns < span->start_ns ||
           (point->event.ts_ns == span->start_ns && point->event.ts_ns == top)))
        {
          LabEvent e = point->event;

          e.lane = (guint16) lane;
          g_array_append_val (events, e);
          p++;
        }
      else if (ends->len > 0 && (span == NULL || top <= span->start_ns) &&
               (point == NULL || top <= point->event.ts_ns))
        {
          if (!last->open)
            push_event (events, lane, top, LAB_EVENT_END, LAB_STATE_RUNNING, 0, last->cpu);
          g_array_set_size (ends, ends->len - 1);
        }
      else if (span != NULL)
        {
          SpanEnd end = { span->start_ns + span->dur_ns, span->end_cpu, span->open };

          push_event (events, lane, span->start_ns, LAB_EVENT_BEGIN, span->state, span->label,
                      span->cpu);
          /* Cut at the parent's end, the CPU is no longer known there. */
          if (end.ts_ns > top)
            end = (SpanEnd) { top, -1, FALSE };
          g_array_append_val (ends, end);
          s++;
        }
      else
        break;
    }
  return events;
}

static gint
compare_lanes (gconstpointer a,
               gconstpointer b)
{
  const LabChromeLane *la = *(LabChromeLane * const *) a, *lb = *(LabChromeLane * const *) b;

  if (la->has_sort != lb->has_sort)
    return la->has_sort ? -1 : 1;
  if (la->has_sort && la->sort_index != lb->sort_index)
    return la->sort_index < lb->sort_index ? -1 : 1;
  if (la->pid != lb->pid)
    return la->pid < lb->pid ? -1 : 1;
  /* A process's main thread (tid = pid) comes first. */
  if ((la->tid == la->pid) != (lb->tid == lb->pid))
    return la->tid == la->pid ? -1 : 1;
  return la->first_seen < lb->first_seen ? -1 : la->first_seen > lb->first_seen;
}

static LabLaneKind
guess_kind (LabChromeLane *lb,
            gint64         first_pid)
{
  if (lb->kind >= 0)
    return lb->kind;
  if (lb->tid == lb->pid)
    return lb->pid == first_pid ? LAB_LANE_MAIN : LAB_LANE_PROCESS;
  return LAB_LANE_THREAD;
}

LabTrace *
lab_chrome_reader_build_trace (LabChromeReader *r)
{
  LabTrace *trace = lab_trace_new (r->pool);
  g_autoptr(GPtrArray) order = NULL;
  gint64 first_pid;

  /* A counter sample goes on the lane of its thread (ours write them on
   * the lane that recorded them), else on the first lane of its process,
   * so that it adds no lane of its own. */
  for (guint c = 0; c < r->counters->len; c++)
    {
      LabChromePoint *p = &g_array_index (r->counters, LabChromePoint, c);
      gint64 key[2] = { p->pid, p->tid };
      LabChromeLane *target = g_hash_table_lookup (r->lanes, key);

      for (guint i = 0; i < r->lane_list->len && target == NULL; i++)
        {
          LabChromeLane *lb = g_ptr_array_index (r->lane_list, i);

          if (lb->pid == p->pid)
            target = lb;
        }
      if (target == NULL)
        target = r->lane_list->len > 0 ? g_ptr_array_index (r->lane_list, 0)
                                       : lab_chrome_reader_lane_for (r, p->pid, 0);
      g_array_append_val (target->points, *p);
    }

  order = g_ptr_array_copy (r->lane_list, NULL, NULL);
  g_ptr_array_sort (order, compare_lanes);
  first_pid = order->len > 0 ? ((LabChromeLane *) g_ptr_array_index (order, 0))->pid : 0;
  for (guint i = 0; i < order->len; i++)
    {
      LabChromeLane *lb = g_ptr_array_index (order, i);
      g_autofree char *fallback = NULL;
      const char *name = lb->name;
      g_autoptr(GArray) events = NULL;

      if (i >= LAB_CHROME_MAX_LANES)
        {
          lab_chrome_reader_ignore (r, "(more than 65536 threads)");
          continue;
        }
      /* A B still open at the end of the file runs to the end. */
      for (guint o = 0; o < lb->open->len; o++)
        {
          LabChromeSpan span = g_array_index (lb->open, LabChromeSpan, o);

          span.dur_ns = MAX (r->end_ns - span.start_ns, 0);
          g_array_append_val (lb->spans, span);
        }
      if (name == NULL && lb->tid == lb->pid)
        name = g_hash_table_lookup (r->processes, GINT_TO_POINTER ((gint) lb->pid));
      if (name == NULL)
        /* Translators: the name of a thread the file does not name; %lld is its id */
        name = fallback = g_strdup_printf (_("Thread %lld"), (long long) lb->tid);
      lab_trace_set_lane (trace, i, guess_kind (lb, first_pid), name, (gint) lb->os_tid);
      events = replay_lane (lb, i);
      lab_trace_append (trace, i, (const LabEvent *) (gpointer) events->data, events->len);
    }
  return trace;
}
