/* lab-worker-tasks.c — what the worker helper does with a TASK frame: the
 * functions Pool.map and Process run in the experiments, and the events
 * that show them on the worker's lane.
 *
 * Recorded per chunk of tasks: a mark when it arrives (the end of the
 * parent's dispatch arrow), a SENDING span while its bytes come in, one
 * RUNNING span per item labelled with the Python call it stands for, and a
 * mark where the result leaves (the start of the result arrow). The labels
 * that are Python code stay untranslated.
 *
 * While it computes, the worker tells the parent that it is still working
 * (PROGRESS, as often as the TASK asks): from inside the loops that do the
 * work, not from a timer or a thread of its own, so that a worker stuck in
 * an endless loop or stopped (SIGSTOP) falls silent while one that is just
 * slow does not. The parent's watchdog (lab-process-pool-io.c) tells the
 * two apart that way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lab-sum-kernel.h"
#include "lab-worker.h"

/* At most this many results are spelled out in the label of a return. */
#define LAB_WORKER_RETURN_SHOWN 8
/* Numbers summed between two looks at the clock: at most a few ms of work
 * (at the largest busywork), and the look costs nothing next to them. */
#define LAB_WORKER_BEAT_BLOCK 65536

static const char *
lab_worker_function_name (guint32 function)
{
  switch (function)
    {
    case LAB_WIRE_FN_DOUBLE:      return "multiplier";
    case LAB_WIRE_FN_SUM_ARRAY:   return "sum";
    case LAB_WIRE_FN_SUM_N:       return "sum_n";
    case LAB_WIRE_FN_APPEND_ITEM: return "worker";
    case LAB_WIRE_FN_QUEUE_PUT:   return "q.put";
    default:                      return NULL;
    }
}

/* Sends PROGRESS about @task_id if it is time to. Called from inside the
 * computing loops; @now may be passed when the caller has it (else 0). */
static void
lab_worker_beat (LabWorker *worker,
                 guint64    task_id,
                 gint64     now)
{
  if (worker->beat_ns == 0)
    return;
  if (now == 0)
    now = lab_clock_now_ns ();
  if (now < worker->next_beat_ns)
    return;
  /* The writer is empty while a task computes: its events and results
   * wait in their own buffers until the end. */
  lab_wire_put_progress (worker->writer, task_id);
  lab_worker_flush (worker);
  worker->next_beat_ns = now + worker->beat_ns;
}

/* Spins (on the CPU, like real work) for @ns nanoseconds. */
static void
lab_worker_busy (LabWorker *worker,
                 guint64    task_id,
                 gint64     ns)
{
  gint64 now = lab_clock_now_ns ();
  gint64 until = now + ns;
  guint64 state = worker->busy_state;

  while (now < until)
    {
      for (guint i = 0; i < 1000; i++)
        state = state * 6364136223846793005u + 1;
      now = lab_clock_now_ns ();
      lab_worker_beat (worker, task_id, now);
    }
  worker->busy_state = state;
}

/* lab_sum_kernel() and lab_sum_n_kernel() in blocks, with a beat between
 * them; the sum and the busywork come out as from one call. */
static gint64
lab_worker_sum (LabWorker    *worker,
                guint64       task_id,
                const gint64 *values,
                gint64        n,
                guint         rounds,
                guint64      *state)
{
  gint64 sum = 0;

  for (gint64 done = 0; done < n; done += LAB_WORKER_BEAT_BLOCK)
    {
      gint64 block = MIN (n - done, LAB_WORKER_BEAT_BLOCK);

      if (values != NULL)
        sum += lab_sum_kernel (values + done, (gsize) block, rounds, state);
      else
        sum += lab_sum_n_kernel (block, rounds, state);
      lab_worker_beat (worker, task_id, 0);
    }
  return sum;
}

/* Test only: an endless loop that never says a word, the way a task with a
 * bug hangs (on the CPU, so the process looks busy and alive). */
static G_NORETURN void
lab_worker_hang (LabWorker *worker)
{
  volatile guint64 state = 1;

  lab_worker_put_events (worker);
  lab_worker_flush (worker);
  for (;;)
    state = state * 6364136223846793005u + 1;
}

static G_NORETURN void
lab_worker_crash (LabWorker *worker,
                  int        signum)
{
  /* Show the task as begun, then go down without a core file (and past
   * whatever handler a sanitizer runtime installed). */
  lab_worker_put_events (worker);
  lab_worker_flush (worker);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  signal (signum, SIG_DFL);
  raise (signum);
  /* A signal whose default is to be ignored does not end us. */
  _exit (128 + (signum & 0x7f));
}

/* The RUNNING span of an item; the test-only crash (or hang) happens
 * right in it. */
static void
lab_worker_begin_item (LabWorker         *worker,
                       const LabWireTask *task,
                       guint64            task_id,
                       const char        *label,
                       gint64             value)
{
  lab_worker_record (worker, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, 0, label, value, 0);
  if (task->crash_signal == 0 || task_id != task->crash_task)
    return;
  if (task->crash_signal == LAB_WIRE_HANG)
    lab_worker_hang (worker);
  lab_worker_crash (worker, (int) task->crash_signal);
}

/* A string list as Python prints it: ['item', 'item']. */
static char *
lab_worker_format_list (GPtrArray *strings)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (text, "%s'%s'", i > 0 ? ", " : "",
                            (const char *) strings->pdata[i]);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Runs item @k of @task; its result goes into the writer. FALSE with
 * @error if the item cannot be run. */
static gboolean
lab_worker_run_item (LabWorker          *worker,
                     const LabWireTask  *task,
                     guint               k,
                     GString            *returned,
                     GError            **error)
{
  const LabWireItem *item = &task->items[k];
  guint64 task_id = task->first_task + k;
  g_autofree char *label = NULL;
  gint64 value = 0, result = 0;
  guint64 state = worker->busy_state;

  switch (task->function)
    {
    case LAB_WIRE_FN_DOUBLE:
      if (!lab_wire_item_get_i64 (item, &value, error))
        return FALSE;
      label = g_strdup_printf ("multiplier(%" G_GINT64_FORMAT ")", value);
      lab_worker_begin_item (worker, task, task_id, label, value);
      if (task->argument > 0)
        lab_worker_busy (worker, task_id, (gint64) MIN (task->argument, (guint64) G_MAXINT64));
      result = value * 2;
      break;

    case LAB_WIRE_FN_SUM_ARRAY:
      if (item->length % sizeof (gint64) != 0)
        {
          g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                       /* Translators: a worker process got an array of
                        * numbers whose size is not a whole number of them */
                       _("An array of %u bytes is not a whole number of 8-byte numbers"),
                       (guint) item->length);
          return FALSE;
        }
      label = g_strdup_printf ("sum(array_parts[%" G_GUINT64_FORMAT "])", task_id);
      lab_worker_begin_item (worker, task, task_id, label,
                             (gint64) (item->length / sizeof (gint64)));
#if G_BYTE_ORDER == G_BIG_ENDIAN
      for (gsize i = 0; i < item->length / sizeof (gint64); i++)
        ((gint64 *) item->data)[i] = GINT64_FROM_LE (((gint64 *) item->data)[i]);
#endif
      result = lab_worker_sum (worker, task_id, (const gint64 *) (gconstpointer) item->data,
                               (gint64) (item->length / sizeof (gint64)),
                               (guint) task->argument, &state);
      break;

    case LAB_WIRE_FN_SUM_N:
      if (!lab_wire_item_get_i64 (item, &value, error))
        return FALSE;
      label = g_strdup_printf ("sum_n(%" G_GINT64_FORMAT ")", value);
      lab_worker_begin_item (worker, task, task_id, label, value);
      result = lab_worker_sum (worker, task_id, NULL, value, (guint) task->argument, &state);
      break;

    case LAB_WIRE_FN_APPEND_ITEM:
      {
        /* The worker's own copy of the parent's list: it grows here, and
         * only here. */
        g_autoptr(GPtrArray) acc = lab_wire_item_get_strings (item, error);
        g_autofree char *shown = NULL;

        if (acc == NULL)
          return FALSE;
        lab_worker_begin_item (worker, task, task_id, "worker(acc)", 0);
        g_ptr_array_add (acc, g_strdup ("item"));
        shown = lab_worker_format_list (acc);
        label = g_strdup_printf ("acc = %s", shown);
        /* print("acc =", acc): a line of the child's output too. */
        lab_worker_record (worker, LAB_EVENT_MARK, LAB_STATE_RUNNING, LAB_EVENT_FLAG_OUTPUT,
                           label, acc->len, 0);
        result = acc->len;
      }
      break;

    case LAB_WIRE_FN_QUEUE_PUT:
      {
        g_autofree char *text = g_utf8_make_valid ((const char *) item->data, item->length);

        label = g_strdup_printf ("q.put('%s')", text);
        lab_worker_begin_item (worker, task, task_id, label, 0);
        lab_worker_record (worker, LAB_EVENT_END, LAB_STATE_RUNNING, 0, NULL, 0, 0);
        g_string_append_printf (returned, "%s'%s'", returned->len > 0 ? ", " : "", text);
        /* The item goes back as it came: the parent puts it in its list. */
        lab_wire_put_item (worker->results, item->data, item->length);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  worker->busy_state = state;
  lab_worker_record (worker, LAB_EVENT_END, LAB_STATE_RUNNING, 0, NULL, 0, 0);

  if (k < LAB_WORKER_RETURN_SHOWN)
    g_string_append_printf (returned, "%s%" G_GINT64_FORMAT, k > 0 ? ", " : "", result);
  else if (k == LAB_WORKER_RETURN_SHOWN)
    g_string_append (returned, ", …");
  {
    guint64 le = GUINT64_TO_LE ((guint64) result);

    lab_wire_put_item (worker->results, &le, sizeof le);
  }
  return TRUE;
}

void
lab_worker_run_task (LabWorker         *worker,
                     const LabWireTask *task,
                     gint64             receive_begin_ns,
                     gint64             receive_end_ns,
                     gsize              frame_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) returned = g_string_new (NULL);
  g_autofree char *arrived = NULL;
  g_autofree char *size = g_format_size (frame_bytes);
  g_autofree char *receive = NULL;
  g_autofree char *return_label = NULL;
  g_autoptr(GBytes) items = NULL;
  LabWireResult result = { 0 };

  if (lab_worker_function_name (task->function) == NULL)
    {
      g_autofree char *message =
        /* Translators: the app asked a worker process for something it
         * cannot do; %u is a number */
        g_strdup_printf (_("Unknown task function %u"), task->function);

      lab_wire_put_error (worker->writer, task->first_task, message);
      lab_worker_flush (worker);
      return;
    }

  if (task->n_items == 1)
    /* Translators: a mark on a worker process's lane: a task arrived */
    arrived = g_strdup_printf (_("task %llu"), (unsigned long long) task->first_task);
  else
    /* Translators: a mark on a worker process's lane: a chunk of tasks
     * arrived, e.g. "tasks 4–7" */
    arrived = g_strdup_printf (_("tasks %llu–%llu"), (unsigned long long) task->first_task,
                               (unsigned long long) (task->first_task + task->n_items - 1));
  lab_worker_record_at (worker, receive_begin_ns, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                        task->flow_in != 0 ? LAB_EVENT_FLAG_FLOW_TARGET : 0,
                        arrived, task->n_items, task->flow_in);
  /* Translators: a span on a worker process's lane while the bytes of a
   * task come through the pipe; %s is a size such as "40.0 MB" */
  receive = g_strdup_printf (_("receive %s"), size);
  lab_worker_record_at (worker, receive_begin_ns, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0,
                        receive, (gint64) frame_bytes, 0);
  lab_worker_record_at (worker, receive_end_ns, LAB_EVENT_END, LAB_STATE_SENDING, 0,
                        NULL, 0, 0);

  result.first_task = task->first_task;
  result.n_items = task->n_items;
  result.receive_begin_ns = receive_begin_ns;
  result.receive_end_ns = receive_end_ns;
  result.compute_begin_ns = lab_clock_now_ns ();
  worker->beat_ns = (gint64) task->heartbeat_ms * 1000000;
  worker->next_beat_ns = result.compute_begin_ns + worker->beat_ns;

  /* The items' results are collected first: the head of the RESULT frame
   * tells when computing ended. */
  lab_wire_writer_reset (worker->results);
  for (guint k = 0; k < task->n_items; k++)
    if (!lab_worker_run_item (worker, task, k, returned, &error))
      {
        lab_worker_put_events (worker);
        lab_wire_put_error (worker->writer, task->first_task + k, error->message);
        lab_worker_flush (worker);
        return;
      }
  result.compute_end_ns = lab_clock_now_ns ();

  if (task->n_items == 1 && task->function != LAB_WIRE_FN_QUEUE_PUT)
    return_label = g_strdup_printf ("return %s", returned->str);
  else
    return_label = g_strdup_printf ("return [%s]", returned->str);
  lab_worker_record (worker, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                     task->flow_out != 0 ? LAB_EVENT_FLAG_FLOW_SOURCE : 0,
                     return_label, task->n_items, task->flow_out);

  /* The events go first: once the parent has the last result, it does not
   * wait for anything more. Both leave in one write. */
  lab_worker_put_events (worker);
  items = lab_wire_writer_to_bytes (worker->results);
  lab_wire_begin_frame (worker->writer, LAB_WIRE_FRAME_RESULT);
  lab_wire_put_result_head (worker->writer, &result);
  lab_wire_put_bytes (worker->writer, g_bytes_get_data (items, NULL), g_bytes_get_size (items));
  lab_wire_end_frame (worker->writer, NULL);
  lab_worker_flush (worker);
}
