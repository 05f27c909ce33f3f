/* lab-worker-tasks.c — what the worker helper does with a TASK frame: the
 * functions Pool.map and Process run in the experiments, and the events
 * that show them on the worker's lane.
 *
 * A chunk comes as the pickle of Pool.map's task tuple and its results go
 * back pickled (lab-wire-pickle.c). Recorded per chunk: a mark when it
 * arrives (the end of the parent's dispatch arrow), a SENDING span while
 * its bytes come in and one "pickle.loads(task)" while it is unpickled,
 * one RUNNING span per item labelled with the Python call it stands for, a
 * mark where the result leaves (the start of the result arrow) and a
 * SENDING span "pickle.dumps(result)". The labels
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

static gboolean
lab_worker_get_int (LabPyValue  *arg,
                    gint64      *value,
                    GError     **error)
{
  if (lab_py_value_kind (arg) == LAB_PY_INT && lab_py_value_get_int (arg, value))
    return TRUE;
  g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                       /* Translators: a worker process expected a whole
                        * number as the argument of its function */
                       _("the argument is not an integer"));
  return FALSE;
}

/* A list of str as a GPtrArray of copies, or NULL with @error. */
static GPtrArray *
lab_worker_get_strings (LabPyValue  *arg,
                        GError     **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  gsize n = lab_py_value_kind (arg) == LAB_PY_LIST ? lab_py_value_get_length (arg) : 0;

  for (gsize i = 0; i < n; i++)
    {
      LabPyValue *item = lab_py_value_get_item (arg, i);

      if (lab_py_value_kind (item) != LAB_PY_STR)
        break;
      g_ptr_array_add (strings, g_strdup (lab_py_value_get_data (item, NULL)));
    }
  if (lab_py_value_kind (arg) != LAB_PY_LIST || strings->len != n)
    {
      g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                           /* Translators: a worker process expected a list
                            * of strings as its argument */
                           _("the argument is not a list of str"));
      return NULL;
    }
  return g_steal_pointer (&strings);
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

/* Runs item @k of @task on its unpickled argument @arg; its result is
 * appended to @results. FALSE with @error if the item cannot be run. */
static gboolean
lab_worker_run_item (LabWorker          *worker,
                     const LabWireTask  *task,
                     guint               k,
                     LabPyValue         *arg,
                     LabPyValue         *results,
                     GString            *returned,
                     GError            **error)
{
  guint64 task_id = task->first_task + k;
  g_autofree char *label = NULL;
  gint64 value = 0, result = 0;
  guint64 state = worker->busy_state;
  const gint64 *numbers;
  gsize n = 0;

  switch (task->function)
    {
    case LAB_WIRE_FN_DOUBLE:
      if (!lab_worker_get_int (arg, &value, error))
        return FALSE;
      label = g_strdup_printf ("multiplier(%" G_GINT64_FORMAT ")", value);
      lab_worker_begin_item (worker, task, task_id, label, value);
      if (task->argument > 0)
        lab_worker_busy (worker, task_id, (gint64) MIN (task->argument, (guint64) G_MAXINT64));
      result = value * 2;
      break;

    case LAB_WIRE_FN_SUM_ARRAY:
      numbers = lab_py_value_kind (arg) == LAB_PY_LIST ? lab_py_list_peek_ints (arg, &n) : NULL;
      if (numbers == NULL && !(lab_py_value_kind (arg) == LAB_PY_LIST &&
                               lab_py_value_get_length (arg) == 0))
        {
          g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                               /* Translators: a worker process was asked to
                                * sum something that is not a list of
                                * integers */
                               _("sum() was given something other than a list of integers"));
          return FALSE;
        }
      label = g_strdup_printf ("sum(array_parts[%" G_GUINT64_FORMAT "])", task_id);
      lab_worker_begin_item (worker, task, task_id, label, (gint64) n);
      result = lab_worker_sum (worker, task_id, numbers, (gint64) n,
                               (guint) task->argument, &state);
      break;

    case LAB_WIRE_FN_SUM_N:
      if (!lab_worker_get_int (arg, &value, error))
        return FALSE;
      label = g_strdup_printf ("sum_n(%" G_GINT64_FORMAT ")", value);
      lab_worker_begin_item (worker, task, task_id, label, value);
      result = lab_worker_sum (worker, task_id, NULL, value, (guint) task->argument, &state);
      break;

    case LAB_WIRE_FN_APPEND_ITEM:
      {
        /* The worker's own copy of the parent's list: it grows here, and
         * only here. */
        g_autoptr(GPtrArray) acc = lab_worker_get_strings (arg, error);
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
        const char *text;

        if (lab_py_value_kind (arg) != LAB_PY_STR)
          {
            g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                                 /* Translators: q.put() in a worker process
                                  * was given something that is not text */
                                 _("q.put() was given something other than a str"));
            return FALSE;
          }
        text = lab_py_value_get_data (arg, NULL);
        label = g_strdup_printf ("q.put('%s')", text);
        lab_worker_begin_item (worker, task, task_id, label, 0);
        lab_worker_record (worker, LAB_EVENT_END, LAB_STATE_RUNNING, 0, NULL, 0, 0);
        g_string_append_printf (returned, "%s'%s'", returned->len > 0 ? ", " : "", text);
        /* The item goes back as it came: the parent puts it in its list. */
        lab_py_list_append (results, lab_py_value_ref (arg));
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
  lab_py_list_append (results, lab_py_int_new (result));
  return TRUE;
}

/* pickle.loads() of the task looks its function up: TRUE if found, else
 * FALSE with @error in CPython's words. A call that was not sent (None:
 * Process under fork) is run on what this worker inherited: its "args"
 * go to @inherited_arg. */
static gboolean
lab_worker_find_call (LabWorker   *worker,
                      guint32      function,
                      gboolean     inherited,
                      LabPyValue **inherited_arg,
                      GError     **error)
{
  const char *name = lab_wire_function_name (function);
  LabPyValue *main_names;
  gboolean found;

  *inherited_arg = NULL;
  if (inherited)
    {
      *inherited_arg = worker->inherited != NULL
                       ? lab_py_dict_lookup (worker->inherited, "args") : NULL;
      if (*inherited_arg == NULL)
        g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                             /* Translators: a worker process was told to run
                              * what it inherited from its parent, but it is
                              * not a copy of the parent */
                             _("the call was not sent, and this process is not a fork of the parent"));
      return *inherited_arg != NULL;
    }

  /* Unpickling a function imports its module and looks the name up. A
   * fork has the parent's __main__ in its memory; any other child has
   * only what it could import, and a notebook's __main__ has no file. */
  main_names = worker->inherited != NULL ? lab_py_dict_lookup (worker->inherited, "__main__")
                                         : NULL;
  if (!lab_wire_function_in_main (function))
    found = TRUE;
  else if (main_names != NULL)
    {
      found = FALSE;
      for (gsize k = 0; k < lab_py_value_get_length (main_names) && !found; k++)
        found = g_strcmp0 (lab_py_value_get_data (lab_py_value_get_item (main_names, k), NULL),
                           name) == 0;
    }
  else
    found = !worker->main_no_file;
  if (!found)
    /* pickle's find_class(), word for word (Python 3.11). */
    g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                 "AttributeError: Can't get attribute '%s' on <module '__main__' (built-in)>",
                 name);
  return found;
}

/* Sends ERROR about task @task_id: what @error says, with the events
 * recorded so far before it. */
static void
lab_worker_fail (LabWorker    *worker,
                 guint64       task_id,
                 const GError *error)
{
  lab_worker_put_events (worker);
  lab_wire_put_error (worker->writer, task_id, error->message);
  lab_worker_flush (worker);
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
  g_autoptr(LabPyValue) message = NULL;
  g_autoptr(LabPyValue) answer = NULL;
  g_autoptr(GBytes) pickled = NULL;
  LabPyValue *args, *results, *inherited_arg = NULL;
  LabWireResult result = { 0 };
  gboolean inherited = FALSE;
  LabWireItem item;
  guint n_tasks, first_event = worker->events->len;
  gint64 t, job;

  if (lab_wire_function_name (task->function) == NULL)
    {
      g_autofree char *text =
        /* Translators: the app asked a worker process for something it
         * cannot do; %u is a number */
        g_strdup_printf (_("Unknown task function %u"), task->function);

      lab_wire_put_error (worker->writer, task->first_task, text);
      lab_worker_flush (worker);
      return;
    }

  /* Translators: a span on a worker process's lane while the bytes of a
   * task come through the pipe; %s is a size such as "40.0 MB" */
  receive = g_strdup_printf (_("receive %s"), size);
  lab_worker_record_at (worker, receive_begin_ns, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0,
                        receive, (gint64) frame_bytes, 0);
  lab_worker_record_at (worker, receive_end_ns, LAB_EVENT_END, LAB_STATE_SENDING, 0,
                        NULL, 0, 0);

  /* task = pickle.loads(data), as the worker's task queue does. */
  t = lab_clock_now_ns ();
  lab_worker_record_at (worker, t, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0, "pickle.loads(task)",
                        task->n_items == 1 ? (gint64) task->items[0].length : 0, 0);
  if (task->n_items != 1)
    g_set_error (&error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                 /* Translators: a task for a worker process must be one
                  * pickle; %u is how many pieces it had */
                 _("a task must be one pickle, not %u pieces"), task->n_items);
  else
    message = lab_pickle_loads (task->items[0].data, task->items[0].length, &error);
  args = message != NULL ? lab_wire_task_tuple_parse_call (message, task->function, &inherited,
                                                           &error) : NULL;
  n_tasks = args != NULL ? (guint) lab_py_value_get_length (args) : 0;
  if (args != NULL)
    {
      guint64 state = worker->busy_state;

      /* CPython makes an object of every number it unpickles. */
      for (guint k = 0; k < n_tasks; k++)
        {
          LabPyValue *arg = lab_py_value_get_item (args, k);
          gsize n = 0;

          if (lab_py_value_kind (arg) == LAB_PY_LIST && lab_py_list_peek_ints (arg, &n) != NULL)
            lab_sum_busywork (n, task->pickle_rounds, &state);
        }
      worker->busy_state = state;
    }
  lab_worker_record (worker, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
  if (args == NULL)
    {
      g_autoptr(GError) described = NULL;

      g_set_error (&described, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a worker process got a task it cannot
                    * read; %s says why */
                   _("its pickle cannot be read: %s"), error->message);
      lab_worker_fail (worker, task->first_task, described);
      return;
    }
  if (!lab_worker_find_call (worker, task->function, inherited, &inherited_arg, &error))
    {
      lab_worker_fail (worker, task->first_task, error);
      return;
    }
  result.unpickle_ns = lab_clock_now_ns () - t;

  if (n_tasks == 1)
    /* Translators: a mark on a worker process's lane: a task arrived */
    arrived = g_strdup_printf (_("task %llu"), (unsigned long long) task->first_task);
  else
    /* Translators: a mark on a worker process's lane: a chunk of tasks
     * arrived, e.g. "tasks 4–7" */
    arrived = g_strdup_printf (_("tasks %llu–%llu"), (unsigned long long) task->first_task,
                               (unsigned long long) (task->first_task + n_tasks - 1));
  lab_worker_record_at (worker, receive_begin_ns, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                        task->flow_in != 0 ? LAB_EVENT_FLAG_FLOW_TARGET : 0,
                        arrived, n_tasks, task->flow_in);
  /* Only the pickle says how many tasks came; the mark belongs before
   * the receiving, where the arrow ends. */
  if (worker->record && worker->events->len > first_event + 1)
    {
      LabEvent mark = g_array_index (worker->events, LabEvent, worker->events->len - 1);

      g_array_remove_index (worker->events, worker->events->len - 1);
      g_array_insert_val (worker->events, first_event, mark);
    }

  result.first_task = task->first_task;
  result.n_items = 1;
  result.receive_begin_ns = receive_begin_ns;
  result.receive_end_ns = receive_end_ns;
  result.compute_begin_ns = lab_clock_now_ns ();
  worker->beat_ns = (gint64) task->heartbeat_ms * 1000000;
  worker->next_beat_ns = result.compute_begin_ns + worker->beat_ns;

  /* The answer names the job the task came with, as Pool's workers do. */
  if (!lab_py_value_get_int (lab_py_value_get_item (message, 0), &job))
    job = 0;
  results = lab_py_list_new ();
  answer = lab_wire_result_tuple_new ((guint64) job, task->first_task, results);
  for (guint k = 0; k < n_tasks; k++)
    if (!lab_worker_run_item (worker, task, k,
                              inherited_arg != NULL ? inherited_arg
                                                    : lab_py_value_get_item (args, k),
                              results, returned, &error))
      {
        lab_worker_fail (worker, task->first_task + k, error);
        return;
      }
  result.compute_end_ns = lab_clock_now_ns ();

  if (n_tasks == 1 && task->function != LAB_WIRE_FN_QUEUE_PUT)
    return_label = g_strdup_printf ("return %s", returned->str);
  else
    return_label = g_strdup_printf ("return [%s]", returned->str);
  lab_worker_record (worker, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                     task->flow_out != 0 ? LAB_EVENT_FLAG_FLOW_SOURCE : 0,
                     return_label, n_tasks, task->flow_out);

  /* put((job, i, (True, results))): pickled before it leaves. */
  lab_worker_record (worker, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0, "pickle.dumps(result)",
                     n_tasks, 0);
  pickled = lab_pickle_dumps (answer);
  lab_worker_record (worker, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
  result.pickle_ns = lab_clock_now_ns () - result.compute_end_ns;

  /* The events go first: once the parent has the last result, it does not
   * wait for anything more. Both leave in one write. */
  lab_worker_put_events (worker);
  item.data = g_bytes_get_data (pickled, &item.length);
  lab_wire_begin_frame (worker->writer, LAB_WIRE_FRAME_RESULT);
  lab_wire_put_result_head (worker->writer, &result);
  lab_wire_put_item (worker->writer, item.data, item.length);
  lab_wire_end_frame (worker->writer, NULL);
  lab_worker_flush (worker);
}
