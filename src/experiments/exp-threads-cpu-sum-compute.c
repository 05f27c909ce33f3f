/* exp-threads-cpu-sum-compute.c — the compute loop of threads-cpu-sum, and
 * the sequential and threaded sums built on it.
 *
 * The lab's "interpreter" is C, which adds ten million ones in a few
 * milliseconds, far below CPython's ~230 ms. So every element also gets a
 * fixed amount of busywork (`interpreter_work` rounds of xorshift, about
 * 1.5 ns each) that stands in for the bytecode dispatch CPython does per
 * element; the default makes the default size take roughly as long as in
 * the lecture, so a run lasts many switch intervals. The busywork's result
 * is stored through a volatile field, so the compiler cannot drop it, and
 * the loop is exactly the same for the sequential and the threaded sum.
 *
 * The threads are Python threads of a LabInterp. With the GIL on, whoever
 * computes holds it, polls its drop request every LAB_SUM_CHUNK elements
 * (the eval-breaker check CPython makes as the loop jumps back) and hands
 * the lock over when asked. The main thread holds it too, except while it
 * waits in start(), results.get() and join(). The sequential sum has an
 * interpreter of its own and runs the same poll; being alone, it never
 * waits. Free-threaded, nothing is locked and the poll reads a flag that is
 * never set, so the loop is still the same.
 *
 * Recorded per computing thread: one RUNNING span per compute slice (from
 * taking the GIL to handing it over; LabGil adds the GIL_WAIT spans, the
 * hand-over arrows and the GIL lane's holder spans), a put → get arrow for
 * every partial sum, and on the main lane the start marks and the waits for
 * results and joins. For a view of where threads ran: every event carries
 * its CPU, and about once per millisecond of computation the loop looks at
 * sched_getcpu(); if the thread moved since its slice began or its last
 * look, an "on CPU n" mark (value = n) is recorded, else a silent
 * LAB_EVENT_CPU_SAMPLE. So a thread's CPU, and when it ran (a thread that
 * shares a CPU samples only while it has it), are known to within ~1 ms
 * for the cores view without a mark every millisecond cluttering lanes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "exp-threads-cpu-sum-private.h"
#include "lab-memory.h"

/* Elements between two polls of the GIL's drop request (~5 µs of work). */
#define LAB_SUM_CHUNK 256
/* Chunks between two checks for Stop and for the CPU sample (~80 µs). */
#define LAB_SUM_CHECK_CHUNKS 16
/* Computation between two looks at sched_getcpu(). */
#define LAB_SUM_SAMPLE_NS LAB_NS_PER_MS
/* How long the main thread waits for a result before checking for Stop. */
#define LAB_SUM_POP_TIMEOUT_US (20 * G_TIME_SPAN_MILLISECOND)
/* Elements filled between two checks for Stop (a power of two). */
#define LAB_SUM_FILL_CHUNK (1 << 20)

/* A partial sum on its way through the queue. */
typedef struct
{
  gint64  sum;
  guint32 flow;
} LabSumResult;

/* The stand-in for the interpreter's work on one element. */
static inline guint64
lab_sum_interpret (guint64 state,
                   gint64  value,
                   guint   work)
{
  state += (guint64) value;
  for (guint r = 0; r < work; r++)
    {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
    }
  return state;
}

static void
lab_sum_sample_cpu (LabSumPart *part)
{
  int cpu = sched_getcpu ();
  guint32 label;

  if (cpu == part->last_cpu)
    {
      /* Unchanged: a silent sample (no mark) for the cores view. */
      lab_lane_cpu_sample (part->thread.lane);
      return;
    }
  part->last_cpu = cpu;
  /* Translators: a mark on the timeline: the thread now runs on this CPU */
  label = lab_recorder_intern_printf (part->shared->recorder, _("on CPU %d"), cpu);
  lab_lane_mark (part->thread.lane, label, cpu, LAB_EVENT_FLAG_NONE, 0);
}

static void
lab_sum_begin_slice (LabSumPart *part)
{
  lab_lane_begin (part->thread.lane, LAB_STATE_RUNNING, part->slice_label);
  part->last_cpu = sched_getcpu ();
}

/* Sums elements first, first + stride, ... with the GIL held (if there is
 * one), handing it over when asked. Returns FALSE if the run was stopped. */
static gboolean
lab_sum_compute (LabSumPart *part)
{
  LabSumShared *shared = part->shared;
  const gint64 *array = shared->array;
  const atomic_bool *drop = shared->drop;
  gsize size = shared->size;
  gsize stride = part->stride;
  gsize j = part->first;
  guint work = shared->work;
  guint64 state = part->state;
  gint64 sum = 0;
  guint chunks = 0;
  gint64 next_sample = lab_clock_now_ns () + LAB_SUM_SAMPLE_NS;

  lab_sum_begin_slice (part);
  while (j < size)
    {
      gsize n = MIN ((gsize) LAB_SUM_CHUNK, (size - j + stride - 1) / stride);

      for (gsize k = 0; k < n; k++, j += stride)
        {
          state = lab_sum_interpret (state, array[j], work);
          sum += array[j];
        }

      if (G_UNLIKELY (lab_gil_poll (drop)))
        {
          gint64 t0;

          lab_lane_end (part->thread.lane);
          t0 = lab_clock_now_ns ();
          lab_interp_check (shared->interp, part->thread.lane);
          part->gil_wait_ns += lab_clock_now_ns () - t0;
          lab_sum_begin_slice (part);
        }

      if (G_UNLIKELY (++chunks == LAB_SUM_CHECK_CHUNKS))
        {
          gint64 now;

          chunks = 0;
          if (lab_run_context_is_cancelled (shared->ctx))
            break;
          now = lab_clock_now_ns ();
          if (now >= next_sample)
            {
              lab_sum_sample_cpu (part);
              next_sample = now + LAB_SUM_SAMPLE_NS;
            }
        }
    }
  lab_lane_end (part->thread.lane);

  part->sum = sum;
  part->state = state;
  return j >= size;
}

static gpointer
lab_sum_worker_main (gpointer data)
{
  LabSumPart *part = data;
  LabSumShared *shared = part->shared;
  LabSumResult *result = g_new0 (LabSumResult, 1);

  /* Started by lab_threads_start_python(): bound to its lane, holding the
   * GIL (if there is one). */
  lab_sum_compute (part);

  /* results.put(total), still holding the GIL as Python would. */
  result->sum = part->sum;
  result->flow = lab_recorder_new_flow (shared->recorder);
  lab_lane_mark (part->thread.lane,
                 lab_recorder_intern_printf (shared->recorder,
                                             "results.put(%" G_GINT64_FORMAT ")", part->sum),
                 part->sum, LAB_EVENT_FLAG_FLOW_SOURCE, result->flow);
  g_async_queue_push (shared->results, result);

  lab_lane_record_thread_stats (part->thread.lane);

  return NULL;
}

/* Each sum gets a fresh interpreter (all of them record on the one GIL
 * lane), so that its statistics are its own. Its main thread enters it. */
static void
lab_sum_begin_gil (LabSumShared *shared,
                   LabLane      *main_lane)
{
  shared->interp = lab_interp_new (shared->recorder, shared->gil_lane != NULL,
                                   shared->gil_lane, shared->interval_ns);
  shared->gil = lab_interp_get_gil (shared->interp);
  shared->drop = shared->gil != NULL ? lab_gil_get_drop_request (shared->gil)
                                     : &shared->never_drop;
  lab_interp_enter (shared->interp, main_lane);
}

static void
lab_sum_end_gil (LabSumShared *shared,
                 LabLane      *main_lane)
{
  lab_interp_leave (shared->interp, main_lane);
  shared->gil = NULL;
  g_clear_pointer (&shared->interp, lab_interp_free);
  shared->drop = &shared->never_drop;
}

void
lab_sum_shared_init (LabSumShared *shared)
{
  atomic_init (&shared->never_drop, FALSE);
  shared->drop = &shared->never_drop;
  shared->results = g_async_queue_new ();
}

void
lab_sum_shared_clear (LabSumShared *shared)
{
  g_clear_pointer (&shared->results, g_async_queue_unref);
}

gboolean
lab_sum_sequential (LabSumShared *shared,
                    LabLane      *main_lane,
                    gint64       *elapsed_ns,
                    gint64       *sum)
{
  LabSumPart part = { 0 };
  gboolean completed;
  gint64 t0;

  part.shared = shared;
  part.thread.lane = main_lane;
  part.stride = 1;
  part.slice_label = lab_recorder_intern (shared->recorder, "sum(array)");

  t0 = lab_clock_now_ns ();
  lab_sum_begin_gil (shared, main_lane);
  completed = lab_sum_compute (&part);
  lab_sum_end_gil (shared, main_lane);
  *elapsed_ns = lab_clock_now_ns () - t0;
  *sum = part.sum;
  return completed;
}

gboolean
lab_sum_threaded (LabSumShared       *shared,
                  LabLane            *main_lane,
                  LabSumPart         *parts,
                  guint               n_threads,
                  LabSumThreadedRun  *run,
                  GError            **error)
{
  LabRecorder *recorder = shared->recorder;
  guint32 get_label = lab_recorder_intern (recorder, "results.get()");
  GError *local_error = NULL;
  guint n_started;
  gboolean completed = TRUE;
  LabSumResult *result;
  gint64 t0;

  lab_sum_begin_gil (shared, main_lane);

  run->sum = 0;
  t0 = lab_clock_now_ns ();

  for (guint i = 0; i < n_threads; i++)
    {
      parts[i].shared = shared;
      parts[i].first = i;
      parts[i].stride = n_threads;
      parts[i].sum = 0;
      parts[i].gil_wait_ns = 0;
    }
  n_started = lab_threads_start_python (shared->ctx, shared->interp, "lab-cpu-sum",
                                        lab_sum_worker_main, parts, sizeof *parts, n_threads,
                                        &local_error);

  /* As in the lecture: take one result, join one thread, N times. Every
   * started thread is joined, also after Stop (workers stop within a few
   * thousand elements). */
  for (guint i = 0; i < n_started; i++)
    {
      g_autofree char *join_call = g_strdup_printf ("join(%u)", i);

      result = NULL;
      if (completed)
        {
          /* results.get() blocks without the GIL. */
          lab_interp_block_begin (shared->interp, main_lane);
          lab_lane_begin (main_lane, LAB_STATE_WAITING, get_label);
          while (result == NULL && !lab_run_context_is_cancelled (shared->ctx))
            result = g_async_queue_timeout_pop (shared->results, LAB_SUM_POP_TIMEOUT_US);
          lab_lane_end (main_lane);
          lab_interp_block_end (shared->interp, main_lane);
        }
      if (result != NULL)
        {
          lab_lane_mark (main_lane,
                         lab_recorder_intern_printf (recorder, "got %" G_GINT64_FORMAT,
                                                     result->sum),
                         result->sum, LAB_EVENT_FLAG_FLOW_TARGET, result->flow);
          run->sum += result->sum;
          g_free (result);
        }
      else
        completed = FALSE;

      lab_interp_block_begin (shared->interp, main_lane);
      lab_thread_join (&parts[i].thread, shared->ctx, join_call);
      lab_interp_block_end (shared->interp, main_lane);
    }
  run->elapsed_ns = lab_clock_now_ns () - t0;

  /* Results nobody took after a Stop. */
  while ((result = g_async_queue_try_pop (shared->results)) != NULL)
    g_free (result);

  for (guint i = 0; i < n_threads; i++)
    run->wait_ns[i] = parts[i].gil_wait_ns;
  run->switches = shared->gil != NULL ? lab_gil_get_switches (shared->gil) : 0;
  run->handoff_ns = shared->gil != NULL ? lab_gil_get_median_handoff_ns (shared->gil) : 0;
  lab_sum_end_gil (shared, main_lane);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return completed && !lab_run_context_is_cancelled (shared->ctx);
}

gint64 *
lab_sum_new_array (LabRunContext  *ctx,
                   gsize           size,
                   gint64          max_memory_mb,
                   GError        **error)
{
  gint64 *array = lab_memory_new_numbers (size, 1, max_memory_mb,
                                          /* Translators: "size" is the parameter's key;
                                           * the first %s is a count of numbers, the
                                           * second an amount of memory such as "1.6 GB" */
                                          _("size: %s numbers need %s of memory; not enough is free"),
                                          error);

  if (array == NULL)
    return NULL;
  for (gsize i = 0; i < size; i++)
    {
      array[i] = 1;
      if (G_UNLIKELY ((i & (LAB_SUM_FILL_CHUNK - 1)) == 0) && lab_run_context_is_cancelled (ctx))
        break;
    }
  return array;
}
