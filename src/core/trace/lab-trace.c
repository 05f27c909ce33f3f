/* lab-trace.c — the main-thread model of a run.
 *
 * Events arrive per lane in batches (lab_trace_append). While appending we
 * keep derived indexes up to date so that views never scan all events: spans
 * paired per depth, mark indexes, matched arrows, counters and printed lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-trace.h"

struct _LabTrace
{
  gatomicrefcount  ref_count;
  LabStringPool   *pool;
  GPtrArray       *lanes;          /* LabTraceLane* */
  GArray          *flows;          /* LabFlowArrow */
  GHashTable      *pending_flows;  /* flow id -> packed end seen first */
  GPtrArray       *counters;       /* LabTraceCounter* */
  GHashTable      *counter_index;  /* label -> index + 1 */
  GArray          *output;         /* LabOutputLine */
  guint64          n_events;
  gint64           start_ns;
  gint64           end_ns;
  gboolean         has_range;
  guint32          states_seen;
  guint64          dropped;
  guint64          generation;
};

#define PENDING_TARGET (G_GUINT64_CONSTANT (1) << 63)

static inline guint64
pending_pack (guint lane, guint32 index, gboolean is_target)
{
  return ((guint64) lane << 32) | index | (is_target ? PENDING_TARGET : 0);
}

static void
lane_free (gpointer data)
{
  LabTraceLane *lane = data;

  g_free (lane->name);
  g_array_unref (lane->events);
  g_array_unref (lane->marks);
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    g_array_unref (lane->spans[d]);
  g_free (lane);
}

static LabTraceLane *
lane_new (void)
{
  LabTraceLane *lane = g_new0 (LabTraceLane, 1);

  lane->name = g_strdup ("");
  lane->events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  lane->marks = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    lane->spans[d] = g_array_new (FALSE, FALSE, sizeof (LabSpan));
  return lane;
}

static void
counter_free (gpointer data)
{
  LabTraceCounter *counter = data;

  g_array_unref (counter->samples);
  g_free (counter);
}

LabTrace *
lab_trace_new (LabStringPool *pool)
{
  LabTrace *trace = g_new0 (LabTrace, 1);

  g_atomic_ref_count_init (&trace->ref_count);
  trace->pool = pool != NULL ? lab_string_pool_ref (pool) : lab_string_pool_new ();
  trace->lanes = g_ptr_array_new_with_free_func (lane_free);
  trace->flows = g_array_new (FALSE, FALSE, sizeof (LabFlowArrow));
  trace->pending_flows = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  trace->counters = g_ptr_array_new_with_free_func (counter_free);
  trace->counter_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  trace->output = g_array_new (FALSE, FALSE, sizeof (LabOutputLine));
  return trace;
}

LabTrace *
lab_trace_ref (LabTrace *trace)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_atomic_ref_count_inc (&trace->ref_count);
  return trace;
}

void
lab_trace_unref (LabTrace *trace)
{
  g_return_if_fail (trace != NULL);

  if (!g_atomic_ref_count_dec (&trace->ref_count))
    return;

  g_ptr_array_unref (trace->lanes);
  g_array_unref (trace->flows);
  g_hash_table_unref (trace->pending_flows);
  g_ptr_array_unref (trace->counters);
  g_hash_table_unref (trace->counter_index);
  g_array_unref (trace->output);
  lab_string_pool_unref (trace->pool);
  g_free (trace);
}

LabStringPool *
lab_trace_get_pool (LabTrace *trace)
{
  return trace->pool;
}

const char *
lab_trace_get_string (LabTrace *trace,
                      guint32   id)
{
  return lab_string_pool_get (trace->pool, id);
}

static LabTraceLane *
ensure_lane (LabTrace *trace,
             guint     index)
{
  g_return_val_if_fail (index <= G_MAXUINT16, NULL);

  while (trace->lanes->len <= index)
    g_ptr_array_add (trace->lanes, lane_new ());
  return g_ptr_array_index (trace->lanes, index);
}

void
lab_trace_set_lane (LabTrace    *trace,
                    guint        index,
                    LabLaneKind  kind,
                    const char  *name,
                    gint         tid)
{
  LabTraceLane *lane = ensure_lane (trace, index);
  gboolean changed = FALSE;

  if (lane == NULL)
    return;

  if (g_strcmp0 (lane->name, name ? name : "") != 0)
    {
      g_free (lane->name);
      lane->name = g_strdup (name ? name : "");
      changed = TRUE;
    }
  if (lane->kind != kind || lane->tid != tid)
    {
      lane->kind = kind;
      lane->tid = tid;
      changed = TRUE;
    }
  if (changed)
    trace->generation++;
}

guint
lab_trace_get_n_lanes (LabTrace *trace)
{
  return trace->lanes->len;
}

const LabTraceLane *
lab_trace_get_lane (LabTrace *trace,
                    guint     index)
{
  g_return_val_if_fail (index < trace->lanes->len, NULL);
  return g_ptr_array_index (trace->lanes, index);
}

static void
add_span (LabTrace       *trace,
          LabTraceLane   *lane,
          const LabEvent *event,
          guint32         index)
{
  if ((guint) event->state < 32)
    trace->states_seen |= 1u << event->state;

  if (lane->open_depth < LAB_TRACE_MAX_DEPTH)
    {
      guint depth = lane->open_depth;
      LabSpan span = {
        .start_ns = event->ts_ns,
        .end_ns = G_MAXINT64,
        .label = event->label,
        .begin_index = index,
        .state = event->state,
        .depth = depth,
        .open = TRUE,
      };

      g_array_append_val (lane->spans[depth], span);
      lane->open_index[depth] = lane->spans[depth]->len - 1;
      lane->open_depth++;
    }
  else
    {
      lane->extra_depth++;
    }
}

static void
end_span (LabTraceLane   *lane,
          const LabEvent *event)
{
  LabSpan *span;

  if (lane->extra_depth > 0)
    {
      lane->extra_depth--;
      return;
    }
  if (lane->open_depth == 0)
    return; /* an END without a BEGIN: nothing to close */

  lane->open_depth--;
  span = &g_array_index (lane->spans[lane->open_depth], LabSpan,
                         lane->open_index[lane->open_depth]);
  span->end_ns = MAX (event->ts_ns, span->start_ns);
  span->open = FALSE;
}

static void
add_flow_end (LabTrace       *trace,
              guint           lane_index,
              const LabEvent *event,
              guint32         index)
{
  gboolean is_target = (event->flags & LAB_EVENT_FLAG_FLOW_TARGET) != 0;
  gpointer key = GUINT_TO_POINTER (event->flow);
  guint64 *other = g_hash_table_lookup (trace->pending_flows, key);

  if (other != NULL && ((*other & PENDING_TARGET) != 0) != is_target)
    {
      guint other_lane = (guint) ((*other >> 32) & 0xffff);
      guint32 other_index = (guint32) (*other & 0xffffffffu);
      LabFlowArrow arrow = { .flow = event->flow };

      if (is_target)
        {
          arrow.from_lane = other_lane;
          arrow.from_index = other_index;
          arrow.to_lane = lane_index;
          arrow.to_index = index;
        }
      else
        {
          arrow.from_lane = lane_index;
          arrow.from_index = index;
          arrow.to_lane = other_lane;
          arrow.to_index = other_index;
        }
      g_array_append_val (trace->flows, arrow);
      g_hash_table_remove (trace->pending_flows, key);
    }
  else
    {
      guint64 *packed = g_new (guint64, 1);

      *packed = pending_pack (lane_index, index, is_target);
      g_hash_table_replace (trace->pending_flows, key, packed);
    }
}

static void
add_output (LabTrace       *trace,
            guint           lane_index,
            const LabEvent *event)
{
  LabOutputLine line = {
    .ts_ns = event->ts_ns,
    .lane = lane_index,
    .flags = event->flags,
    .label = event->label,
  };
  guint pos = trace->output->len;

  /* Lanes drain in turn, so a line may be older than the newest one kept:
   * insert it in time order (it is almost always near the end). */
  while (pos > 0 && g_array_index (trace->output, LabOutputLine, pos - 1).ts_ns > line.ts_ns)
    pos--;
  g_array_insert_val (trace->output, pos, line);
}

static void
add_counter_sample (LabTrace       *trace,
                    const LabEvent *event)
{
  gpointer found = g_hash_table_lookup (trace->counter_index, GUINT_TO_POINTER (event->label));
  LabTraceCounter *counter;
  LabCounterSample sample = { event->ts_ns, event->value };
  guint pos;

  if (found == NULL)
    {
      counter = g_new0 (LabTraceCounter, 1);
      counter->label = event->label;
      counter->samples = g_array_new (FALSE, FALSE, sizeof (LabCounterSample));
      counter->min_value = event->value;
      counter->max_value = event->value;
      g_ptr_array_add (trace->counters, counter);
      g_hash_table_insert (trace->counter_index, GUINT_TO_POINTER (event->label),
                           GUINT_TO_POINTER (trace->counters->len));
    }
  else
    {
      counter = g_ptr_array_index (trace->counters, GPOINTER_TO_UINT (found) - 1);
    }

  pos = counter->samples->len;
  while (pos > 0 && g_array_index (counter->samples, LabCounterSample, pos - 1).ts_ns > sample.ts_ns)
    pos--;
  g_array_insert_val (counter->samples, pos, sample);
  counter->min_value = MIN (counter->min_value, sample.value);
  counter->max_value = MAX (counter->max_value, sample.value);
}

static void
lab_trace_take_range (LabTrace *trace,
                      gint64    start_ns,
                      gint64    end_ns)
{
  if (!trace->has_range)
    {
      trace->start_ns = start_ns;
      trace->end_ns = end_ns;
      trace->has_range = TRUE;
    }
  else
    {
      trace->start_ns = MIN (trace->start_ns, start_ns);
      trace->end_ns = MAX (trace->end_ns, end_ns);
    }
}

/* A thread's counts are totals since it started: its last report replaces
 * its earlier ones, and a new thread on the lane adds to those before. */
static void
add_thread_stats (LabTraceLane   *lane,
                  const LabEvent *event)
{
  if (lane->has_thread_stats && event->flow != lane->stats_tid)
    {
      lane->stats_base[0] = lane->voluntary_switches;
      lane->stats_base[1] = lane->involuntary_switches;
    }
  lane->stats_tid = event->flow;
  lane->voluntary_switches = lane->stats_base[0] + LAB_THREAD_STATS_VOLUNTARY (event->value);
  lane->involuntary_switches = lane->stats_base[1] + LAB_THREAD_STATS_INVOLUNTARY (event->value);
  lane->has_thread_stats = TRUE;
}

void
lab_trace_append (LabTrace       *trace,
                  guint           lane_index,
                  const LabEvent *events,
                  guint           n)
{
  LabTraceLane *lane;
  guint32 first;
  guint first_mark;
  guint32 *marks;
  guint n_marks = 0;

  g_return_if_fail (trace != NULL);
  g_return_if_fail (n == 0 || events != NULL);

  if (n == 0)
    return;

  lane = ensure_lane (trace, lane_index);
  if (lane == NULL)
    return;

  first = lane->events->len;
  g_array_append_vals (lane->events, events, n);

  /* A lane's events are in time order: its first and last bound the batch. */
  lab_trace_take_range (trace, events[0].ts_ns, events[n - 1].ts_ns);

  /* Room for a mark per event; trimmed to what the batch had below. */
  first_mark = lane->marks->len;
  g_array_set_size (lane->marks, first_mark + n);
  marks = &g_array_index (lane->marks, guint32, first_mark);

  for (guint i = 0; i < n; i++)
    {
      const LabEvent *event = &events[i];
      guint32 index = first + i;

      switch (event->kind)
        {
        case LAB_EVENT_BEGIN:
          add_span (trace, lane, event, index);
          break;

        case LAB_EVENT_END:
          end_span (lane, event);
          break;

        case LAB_EVENT_MARK:
          marks[n_marks++] = index;
          if (event->flags & LAB_EVENT_FLAG_OUTPUT)
            add_output (trace, lane_index, event);
          if (event->flow != 0 &&
              (event->flags & (LAB_EVENT_FLAG_FLOW_SOURCE | LAB_EVENT_FLAG_FLOW_TARGET)) != 0)
            add_flow_end (trace, lane_index, event, index);
          break;

        case LAB_EVENT_COUNTER:
          add_counter_sample (trace, event);
          break;

        case LAB_EVENT_THREAD_STATS:
          add_thread_stats (lane, event);
          break;

        default:
          break;
        }
    }

  g_array_set_size (lane->marks, first_mark + n_marks);
  trace->n_events += n;
  trace->generation++;
}

void
lab_trace_extend_range (LabTrace *trace,
                        gint64    start_ns,
                        gint64    end_ns)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (start_ns <= end_ns);

  lab_trace_take_range (trace, start_ns, end_ns);
  trace->generation++;
}

guint64
lab_trace_get_n_events (LabTrace *trace)
{
  return trace->n_events;
}

gint64
lab_trace_get_start_ns (LabTrace *trace)
{
  return trace->start_ns;
}

gint64
lab_trace_get_end_ns (LabTrace *trace)
{
  return trace->end_ns;
}

const LabFlowArrow *
lab_trace_get_flows (LabTrace *trace,
                     guint    *n_flows)
{
  if (n_flows != NULL)
    *n_flows = trace->flows->len;
  return (const LabFlowArrow *) (gpointer) trace->flows->data;
}

guint
lab_trace_get_n_counters (LabTrace *trace)
{
  return trace->counters->len;
}

const LabTraceCounter *
lab_trace_get_counter (LabTrace *trace,
                       guint     index)
{
  g_return_val_if_fail (index < trace->counters->len, NULL);
  return g_ptr_array_index (trace->counters, index);
}

const LabOutputLine *
lab_trace_get_output (LabTrace *trace,
                      guint    *n_lines)
{
  if (n_lines != NULL)
    *n_lines = trace->output->len;
  return (const LabOutputLine *) (gpointer) trace->output->data;
}

guint32
lab_trace_get_states_seen (LabTrace *trace)
{
  return trace->states_seen;
}

void
lab_trace_set_dropped (LabTrace *trace,
                       guint64   dropped)
{
  if (trace->dropped != dropped)
    {
      trace->dropped = dropped;
      trace->generation++;
    }
}

guint64
lab_trace_get_dropped (LabTrace *trace)
{
  return trace->dropped;
}

guint64
lab_trace_get_generation (LabTrace *trace)
{
  return trace->generation;
}
