/* lab-cores.c — the cores view: which thread ran on which CPU, when.
 *
 * Every event carries the CPU it was recorded on, and compute loops add a
 * silent sample (or an "on CPU n" mark) about every millisecond. From each
 * thread lane we cut "pieces": stretches between two of its events during
 * which its innermost span is in an on-CPU state, placed on the CPU of the
 * earlier event. The pieces are grouped by CPU (a counting pass), sorted by
 * start within each CPU and laid over each other: where two estimates
 * collide, the piece that started later is the more recent sighting and
 * shows. What remains is merged where one thread's stretches touch and
 * written as BEGIN/END pairs into a new trace, one lane per CPU. It is all
 * O(n) but the per-CPU sorts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-cores.h"

/* Outside spans a thread is not known to be on a CPU, except between two of
 * its events this close on the same CPU: each event proves the thread was
 * running there at that instant, and so short a gap is bookkeeping between
 * two spans (ending one, beginning the next), not time off the CPU. */
#define BRIDGE_NS (200 * G_GINT64_CONSTANT (1000))

typedef struct
{
  gint64  start_ns;
  gint64  end_ns;
  guint32 label; /* the thread's name */
  guint16 lane;  /* its lane in the source trace */
  gint16  cpu;
  gboolean open; /* the thread is still there at the trace's end */
} Piece;

gboolean
lab_state_is_on_cpu (LabState state)
{
  switch (state)
    {
    case LAB_STATE_RUNNING:
    case LAB_STATE_LOCK_HELD:
    case LAB_STATE_SENDING:
    case LAB_STATE_SPAWNING:
      return TRUE;

    case LAB_STATE_SLEEPING:
    case LAB_STATE_WAITING:
    case LAB_STATE_LOCK_WAIT:
    case LAB_STATE_GIL_WAIT:
    case LAB_STATE_IO_DNS:
    case LAB_STATE_IO_CONNECT:
    case LAB_STATE_IO_WAIT:
    case LAB_STATE_IO_TRANSFER:
    case LAB_STATE_FAILED:
    case LAB_STATE_N:
    default:
      return FALSE;
    }
}

static void
add_piece (GArray  *pieces,
           guint16  lane,
           guint32  label,
           gint16   cpu,
           gint64   start_ns,
           gint64   end_ns,
           gboolean open)
{
  Piece piece = { start_ns, end_ns, label, lane, cpu, open };

  g_array_append_val (pieces, piece);
}

/* The on-CPU pieces of one thread lane, in time order. @stack is scratch. */
static void
cut_lane (LabTrace           *trace,
          guint               index,
          const LabTraceLane *lane,
          GArray             *stack,
          GArray             *pieces)
{
  const LabEvent *events = (const LabEvent *) (gpointer) lane->events->data;
  guint n = lane->events->len;
  gboolean on_cpu = FALSE;
  guint32 label;

  if (lane->name[0] != '\0')
    label = lab_string_pool_intern (lab_trace_get_pool (trace), lane->name);
  else
    /* Translators: a timeline lane without a name, by its number */
    label = lab_string_pool_intern_printf (lab_trace_get_pool (trace), _("Lane %u"), index);

  g_array_set_size (stack, 0);
  for (guint i = 0; i < n; i++)
    {
      const LabEvent *event = &events[i];

      if (i > 0 && events[i - 1].cpu >= 0 && event->ts_ns > events[i - 1].ts_ns &&
          (on_cpu || (stack->len == 0 && event->cpu == events[i - 1].cpu &&
                      event->ts_ns - events[i - 1].ts_ns <= BRIDGE_NS)))
        add_piece (pieces, index, label, events[i - 1].cpu,
                   events[i - 1].ts_ns, event->ts_ns, FALSE);

      if (event->kind == LAB_EVENT_BEGIN)
        g_array_append_val (stack, event->state);
      else if (event->kind == LAB_EVENT_END && stack->len > 0)
        g_array_set_size (stack, stack->len - 1);

      on_cpu = stack->len > 0 &&
               lab_state_is_on_cpu (g_array_index (stack, guint8, stack->len - 1));
    }

  /* Still on a CPU at its last event: there until the end, as far as we know. */
  if (n > 0 && on_cpu && events[n - 1].cpu >= 0 &&
      lab_trace_get_end_ns (trace) > events[n - 1].ts_ns)
    add_piece (pieces, index, label, events[n - 1].cpu,
               events[n - 1].ts_ns, lab_trace_get_end_ns (trace), TRUE);
}

static int
compare_start (const void *a,
               const void *b)
{
  const Piece *x = a, *y = b;

  if (x->start_ns != y->start_ns)
    return x->start_ns < y->start_ns ? -1 : 1;
  /* Of two starting together, the shorter goes on top of the longer. */
  if (x->end_ns != y->end_ns)
    return x->end_ns > y->end_ns ? -1 : 1;
  return (int) x->lane - (int) y->lane;
}

/* Sorts @pieces (by compare_start), which come as a few runs already in
 * order — one per thread — by merging the runs pairwise: O(n log runs).
 * @tmp has room for @n pieces; @bounds is scratch. */
static void
sort_runs (Piece  *pieces,
           guint   n,
           Piece  *tmp,
           GArray *bounds)
{
  Piece *src = pieces, *dst = tmp;

  g_array_set_size (bounds, 0);
  for (guint i = 0; i < n; i++)
    if (i == 0 || compare_start (&pieces[i - 1], &pieces[i]) > 0)
      g_array_append_val (bounds, i);
  g_array_append_val (bounds, n);

  while (bounds->len > 2)
    {
      guint *b = (guint *) (gpointer) bounds->data;
      guint n_runs = bounds->len - 1;
      guint out = 0;

      for (guint r = 0; r < n_runs; r += 2)
        {
          guint i = b[r], mid = b[MIN (r + 1, n_runs)], end = b[MIN (r + 2, n_runs)];
          guint j = mid, k = b[r];

          while (i < mid && j < end)
            dst[k++] = compare_start (&src[j], &src[i]) < 0 ? src[j++] : src[i++];
          while (i < mid)
            dst[k++] = src[i++];
          while (j < end)
            dst[k++] = src[j++];
          b[out++] = b[r];
        }
      b[out++] = n;
      g_array_set_size (bounds, out);
      { Piece *swap = src; src = dst; dst = swap; }
    }
  if (src != pieces)
    memcpy (pieces, src, n * sizeof (Piece));
}

/* Appends the stretch [start, end) of @piece to @out, merged with the one
 * before when it is the same thread's and they touch. */
static void
add_stretch (GArray      *out,
             const Piece *piece,
             gint64       start_ns,
             gint64       end_ns)
{
  Piece stretch = *piece;

  if (start_ns >= end_ns)
    return;
  stretch.start_ns = start_ns;
  stretch.end_ns = end_ns;
  stretch.open = piece->open && end_ns == piece->end_ns;
  if (out->len > 0)
    {
      Piece *last = &g_array_index (out, Piece, out->len - 1);

      if (last->label == stretch.label && last->end_ns == start_ns)
        {
          last->end_ns = end_ns;
          last->open = stretch.open;
          return;
        }
    }
  g_array_append_val (out, stretch);
}

/* Lays the pieces of one CPU (sorted by start) over each other in time
 * order: where they collide, the one that started later — the most recent
 * sighting of a thread there — shows, and an earlier, longer one shows
 * again after it ends. @stack holds the pieces still going, latest on top
 * (their starts grow upwards). Each piece is pushed and popped once. */
static void
layer_cpu (const Piece *pieces,
           guint        n,
           GArray      *stack,
           GArray      *out)
{
  gint64 t = G_MININT64;

  g_array_set_size (stack, 0);
  g_array_set_size (out, 0);
  for (guint i = 0; i <= n; i++)
    {
      gint64 next = i < n ? pieces[i].start_ns : G_MAXINT64;

      /* Whatever is on top shows until the next piece starts. */
      while (stack->len > 0 && t < next)
        {
          const Piece *top = &pieces[g_array_index (stack, guint, stack->len - 1)];
          gint64 until = MIN (top->end_ns, next);

          if (top->end_ns > t)
            {
              add_stretch (out, top, t, until);
              t = until;
            }
          if (top->end_ns <= t)
            g_array_set_size (stack, stack->len - 1);
        }
      if (i < n)
        {
          g_array_append_val (stack, i);
          t = next;
        }
    }
}

/* Writes the spans of one CPU lane as BEGIN/END pairs. */
static void
write_cpu (LabTrace    *view,
           guint        lane,
           const Piece *spans,
           guint        n,
           GArray      *events)
{
  LabEvent event = { 0 };

  g_array_set_size (events, 0);
  event.lane = (guint16) lane;
  event.state = LAB_STATE_RUNNING;
  for (guint i = 0; i < n; i++)
    {
      event.kind = LAB_EVENT_BEGIN;
      event.ts_ns = spans[i].start_ns;
      event.label = spans[i].label;
      event.value = spans[i].lane;
      event.cpu = spans[i].cpu;
      g_array_append_val (events, event);
      /* Only the last span of a CPU can reach the end; it stays open. */
      if (spans[i].open && i == n - 1)
        break;
      event.kind = LAB_EVENT_END;
      event.ts_ns = spans[i].end_ns;
      event.label = 0;
      event.value = 0;
      g_array_append_val (events, event);
    }
  lab_trace_append (view, lane, (const LabEvent *) (gpointer) events->data, events->len);
}

LabTrace *
lab_trace_new_cores_view (LabTrace *trace)
{
  LabTrace *view;
  GArray *pieces, *states, *stack, *events;
  g_autofree Piece *by_cpu = NULL;
  g_autofree Piece *tmp = NULL;
  g_autofree guint *offset = NULL;
  gint max_cpu = -1;
  guint lane_index = 0;

  g_return_val_if_fail (trace != NULL, NULL);

  view = lab_trace_new (lab_trace_get_pool (trace));
  /* At most a piece per event. */
  pieces = g_array_sized_new (FALSE, FALSE, sizeof (Piece),
                              (guint) MIN (lab_trace_get_n_events (trace), G_MAXUINT / 2));
  states = g_array_new (FALSE, FALSE, sizeof (guint8));
  stack = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      if (lane->kind != LAB_LANE_RESOURCE)
        cut_lane (trace, i, lane, states, pieces);
    }

  for (guint i = 0; i < pieces->len; i++)
    max_cpu = MAX (max_cpu, g_array_index (pieces, Piece, i).cpu);

  /* Group by CPU, keeping each lane's pieces in time order, then sort
   * each CPU's pieces by start (merging the lanes' runs). */
  offset = g_new0 (guint, max_cpu + 2);
  for (guint i = 0; i < pieces->len; i++)
    offset[g_array_index (pieces, Piece, i).cpu + 1]++;
  for (gint c = 0; c <= max_cpu; c++)
    offset[c + 1] += offset[c];
  by_cpu = g_new (Piece, MAX (pieces->len, 1));
  tmp = g_new (Piece, MAX (pieces->len, 1));
  {
    g_autofree guint *fill = g_memdup2 (offset, (max_cpu + 2) * sizeof (guint));

    for (guint i = 0; i < pieces->len; i++)
      {
        const Piece *piece = &g_array_index (pieces, Piece, i);

        by_cpu[fill[piece->cpu]++] = *piece;
      }
  }
  g_array_unref (states);

  events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  for (gint c = 0; c <= max_cpu; c++)
    {
      guint n = offset[c + 1] - offset[c];
      g_autofree char *name = NULL;

      if (n == 0)
        continue;
      sort_runs (by_cpu + offset[c], n, tmp, stack);
      /* pieces: from now on the spans of one CPU. */
      layer_cpu (by_cpu + offset[c], n, stack, pieces);
      /* Translators: the name of a timeline lane: one processor core */
      name = g_strdup_printf (_("CPU %d"), c);
      lab_trace_set_lane (view, lane_index, LAB_LANE_RESOURCE, name, 0);
      write_cpu (view, lane_index, (const Piece *) (gpointer) pieces->data, pieces->len, events);
      lane_index++;
    }
  g_array_unref (events);
  g_array_unref (pieces);
  g_array_unref (stack);

  if (lab_trace_get_n_events (trace) > 0)
    lab_trace_extend_range (view, lab_trace_get_start_ns (trace), lab_trace_get_end_ns (trace));
  lab_trace_set_dropped (view, lab_trace_get_dropped (trace));
  return view;
}
