/* bench-recorder.c — what recording costs, and how fast the drain is.
 *
 * Prints KEY: VALUE lines, all measured in this one run:
 *   clock_ns              median cost of one clock_gettime(CLOCK_MONOTONIC)
 *   record_ns             median cost of recording one event
 *   record_vs_clock_ratio record_ns / clock_ns (target ≤ 1.5)
 *   drain_events_per_s    8 threads recording flat out, drained into a trace
 *   dropped_events        events lost on the way (target 0)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdlib.h>

#include "lab-recorder.h"

#define BATCH 20000
#define ROUNDS 51
#define DRAIN_THREADS 8
#define DRAIN_EVENTS_PER_THREAD 1000000

static double
measure_clock_ns (void)
{
  double per_call[ROUNDS];
  volatile gint64 sink = 0;

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = lab_clock_now_ns ();

      for (guint i = 0; i < BATCH; i++)
        sink += lab_clock_now_ns ();
      per_call[r] = (double) (lab_clock_now_ns () - start) / BATCH;
    }
  (void) sink;
  return bench_median_upper (per_call, ROUNDS);
}

static double
measure_record_ns (void)
{
  double per_call[ROUNDS];
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabLane *lane = lab_recorder_add_lane (rec, LAB_LANE_MAIN, "bench");

  /* Warm up: chunks allocated, pages touched. */
  for (guint i = 0; i < BATCH; i++)
    lab_lane_mark (lane, 0, i, 0, 0);
  lab_recorder_drain (rec, trace);

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = lab_clock_now_ns ();

      for (guint i = 0; i < BATCH; i++)
        lab_lane_mark (lane, 0, i, 0, 0);
      per_call[r] = (double) (lab_clock_now_ns () - start) / BATCH;

      /* Keep memory flat between rounds (not timed). */
      lab_recorder_drain (rec, trace);
      g_clear_pointer (&trace, lab_trace_unref);
      trace = lab_trace_new (lab_recorder_get_pool (rec));
    }
  return bench_median_upper (per_call, ROUNDS);
}

typedef struct
{
  LabLane *lane;
  gint    *go;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  lab_lane_bind_thread (w->lane);
  while (!g_atomic_int_get (w->go))
    g_thread_yield ();
  for (guint i = 0; i < DRAIN_EVENTS_PER_THREAD; i++)
    lab_lane_mark (w->lane, 0, i, 0, 0);
  return NULL;
}

static void
measure_drain (double  *events_per_s,
               guint64 *dropped)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  const guint64 total = (guint64) DRAIN_THREADS * DRAIN_EVENTS_PER_THREAD;
  Writer writers[DRAIN_THREADS];
  GThread *threads[DRAIN_THREADS];
  gint go = 0;
  guint64 moved = 0;
  gint64 start, end;

  for (guint t = 0; t < DRAIN_THREADS; t++)
    {
      writers[t].lane = lab_recorder_add_lane (rec, LAB_LANE_THREAD, "writer");
      writers[t].go = &go;
      threads[t] = g_thread_new ("writer", writer_thread, &writers[t]);
    }

  start = lab_clock_now_ns ();
  g_atomic_int_set (&go, 1);
  while (moved + lab_recorder_get_dropped (rec) < total)
    moved += lab_recorder_drain (rec, trace);
  end = lab_clock_now_ns ();

  for (guint t = 0; t < DRAIN_THREADS; t++)
    g_thread_join (threads[t]);

  *events_per_s = moved / ((end - start) / 1e9);
  *dropped = lab_recorder_get_dropped (rec) + (total - moved - lab_recorder_get_dropped (rec));
}

int
main (int argc, char *argv[])
{
  double clock_ns, record_ns, events_per_s;
  guint64 dropped;

  clock_ns = measure_clock_ns ();
  record_ns = measure_record_ns ();
  measure_drain (&events_per_s, &dropped);

  g_print ("clock_ns: %.2f\n", clock_ns);
  g_print ("record_ns: %.2f\n", record_ns);
  g_print ("record_vs_clock_ratio: %.2f\n", record_ns / clock_ns);
  g_print ("drain_events_per_s: %.0f\n", events_per_s);
  g_print ("dropped_events: %" G_GUINT64_FORMAT "\n", dropped);

  return dropped == 0 ? 0 : 1;
}
