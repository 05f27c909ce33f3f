/* lab-process-pool-map.c — Pool.map on a LabProcessPool: chunks of items
 * handed to idle workers, one TASK frame per chunk, results put back in
 * item order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-process-pool-private.h"
#include "lab-sum-kernel.h"

/* The idle worker that has waited longest (never used ones first). */
static LabPoolWorker *
pick_idle (LabProcessPool *pool)
{
  LabPoolWorker *best = NULL;

  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (!worker->ready || worker->busy || worker->eof || worker->reaped ||
          !lab_wire_writer_is_done (worker->writer))
        continue;
      if (best == NULL || worker->idle_since_ns < best->idle_since_ns)
        best = worker;
    }
  return best;
}

/* Item @k of the map as the Python value Pool.map was given. */
static LabPyValue *
item_value (const LabPoolMap *map,
            guint             k)
{
  const LabWireItem *item;

  if (map->values != NULL)
    return lab_py_int_new (map->values[k]);
  item = &map->items[k];
  switch (map->function)
    {
    case LAB_WIRE_FN_SUM_ARRAY:
      return lab_py_int_list_new ((const gint64 *) (gconstpointer) item->data,
                                  item->length / sizeof (gint64));
    case LAB_WIRE_FN_APPEND_ITEM:
      {
        g_autoptr(GPtrArray) strings = lab_wire_item_get_strings (item, NULL);
        LabPyValue *list = lab_py_list_new ();

        for (guint i = 0; strings != NULL && i < strings->len; i++)
          lab_py_list_append (list, lab_py_str_new (strings->pdata[i], -1));
        return list;
      }
    default:
      {
        LabPyValue *str = lab_py_str_new ((const char *) item->data, (gssize) item->length);

        return str != NULL ? str : lab_py_bytes_new (item->data, item->length);
      }
    }
}

/* Pickles items [first, first + n) of the map, as Pool.map's task tuple,
 * into the worker's TASK frame. */
static gboolean
put_chunk (LabProcessPool  *pool,
           LabPoolWorker   *worker,
           guint            first,
           guint            n,
           GError         **error)
{
  const LabPoolMap *map = pool->map;
  LabWireTask task = { 0 };
  g_autofree LabPyValue **args = g_new (LabPyValue *, MAX (n, 1));
  g_autoptr(LabPyValue) message = NULL;
  g_autoptr(GBytes) pickled = NULL;
  guint64 state = 0;
  gint64 t0 = lab_clock_now_ns ();
  gsize numbers = 0;

  lab_pool_parent_record (pool, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0,
                          pool->parent_lane != NULL ? "pickle.dumps(task)" : NULL, n, 0);
  for (guint k = 0; k < n; k++)
    {
      gsize len = 0;

      /* An inherited call sends no argument: the child has it. */
      args[k] = map->inherited ? lab_py_none_new () : item_value (map, first + k);
      if (lab_py_list_peek_ints (args[k], &len) != NULL)
        numbers += len;
    }
  message = lab_wire_task_tuple_new_call (0, first, map->function, map->qualname,
                                          map->inherited, lab_py_tuple_new (args, n), error);
  if (message == NULL)
    {
      lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
      return FALSE;
    }
  pickled = lab_pickle_dumps (message);
  /* CPython looks at every number's object as it pickles it. */
  lab_sum_busywork (numbers, map->pickle_rounds, &state);
  pool->busy_state = state;
  lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
  pool->result->stats.pickle_ns += lab_clock_now_ns () - t0;

  task.first_task = first;
  task.function = map->function;
  task.n_items = 1;
  task.flow_in = worker->flow_in;
  task.flow_out = worker->flow_out;
  task.argument = map->argument;
  task.crash_task = map->crash_item;
  task.crash_signal = map->crash_signal == LAB_PROCESS_POOL_HANG
                      ? LAB_WIRE_HANG : (guint32) MAX (map->crash_signal, 0);
  task.heartbeat_ms = lab_pool_heartbeat_ms (pool);
  task.pickle_rounds = map->pickle_rounds;

  lab_wire_writer_reset (worker->writer);
  lab_wire_begin_frame (worker->writer, LAB_WIRE_FRAME_TASK);
  lab_wire_put_task_head (worker->writer, &task);
  if (map->cut_pickles)
    {
      GBytes *half = g_bytes_new_from_bytes (pickled, 0, g_bytes_get_size (pickled) / 2);

      g_bytes_unref (pickled);
      pickled = half;
    }
  /* Copied: the pickle goes away here. */
  lab_wire_put_u32 (worker->writer, (guint32) g_bytes_get_size (pickled));
  lab_wire_put_u32 (worker->writer, 0);
  lab_wire_put_bytes (worker->writer, g_bytes_get_data (pickled, NULL), g_bytes_get_size (pickled));
  lab_wire_put_bytes (worker->writer, "\0\0\0\0\0\0\0", (8 - g_bytes_get_size (pickled) % 8) % 8);
  if (!lab_wire_end_frame (worker->writer, error))
    {
      lab_wire_writer_reset (worker->writer);
      return FALSE;
    }

  pool->result->stats.frame_bytes += lab_wire_writer_get_size (worker->writer);
  pool->result->stats.item_bytes += g_bytes_get_size (pickled);
  return TRUE;
}

/* Hands chunks to idle workers, one being written at a time. */
static gboolean
dispatch (LabProcessPool  *pool,
          GError         **error)
{
  const LabPoolMap *map = pool->map;
  guint chunksize = pool->result->stats.chunksize;

  while (pool->sending == NULL && pool->next_item < map->n_items)
    {
      LabPoolWorker *worker = pick_idle (pool);
      guint first = pool->next_item;
      guint n = MIN (chunksize, map->n_items - first);
      g_autofree char *tasks = NULL;
      g_autofree char *dispatched = NULL;
      g_autofree char *size = NULL;
      g_autofree char *send = NULL;
      gsize bytes;

      if (worker == NULL)
        return TRUE;

      worker->flow_in = pool->recorder != NULL ? lab_recorder_new_flow (pool->recorder) : 0;
      worker->flow_out = pool->recorder != NULL ? lab_recorder_new_flow (pool->recorder) : 0;
      if (!put_chunk (pool, worker, first, n, error))
        return FALSE;
      bytes = lab_wire_writer_get_size (worker->writer);

      worker->busy = TRUE;
      worker->silent_ns = 0;
      worker->chunk_first = first;
      worker->chunk_n = n;
      for (guint k = first; k < first + n; k++)
        pool->result->worker_of_item[k] = worker->index;
      pool->next_item += n;

      if (pool->parent_lane != NULL)
        {
          tasks = lab_pool_describe_tasks (first, n);
          /* Translators: a mark on the parent's lane: a task (or chunk of
           * tasks, %s, e.g. "task 7") goes to a worker process */
          dispatched = g_strdup_printf (_("%s → worker %u"), tasks, worker->index);
          size = g_format_size (bytes);
          /* Translators: a span on the parent's lane while a task's bytes
           * go through the pipe; %s is a size such as "40.0 MB" */
          send = g_strdup_printf (_("send %s"), size);
        }
      lab_pool_parent_record (pool, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                              worker->flow_in != 0 ? LAB_EVENT_FLAG_FLOW_SOURCE : 0,
                              dispatched, (gint64) bytes, worker->flow_in);
      lab_pool_parent_record (pool, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0, send,
                              (gint64) bytes, 0);
      pool->sending = worker;
      pool->send_begin_ns = lab_clock_now_ns ();

      /* As much as the pipe takes now; poll() does the rest. */
      if (!lab_pool_write_worker (pool, worker, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_process_pool_map (LabProcessPool    *pool,
                      const LabPoolMap  *map,
                      LabPoolMapResult  *result,
                      GError           **error)
{
  g_autofree char *waiting = NULL;
  GError *local_error = NULL;
  guint n_chunks;
  gboolean ok = TRUE;

  memset (result, 0, sizeof *result);
  g_return_val_if_fail (map->n_items == 0 || map->inherited ||
                        (map->values != NULL) != (map->items != NULL), FALSE);

  result->n_items = map->n_items;
  result->results = g_ptr_array_new_full (map->n_items, (GDestroyNotify) g_bytes_unref);
  g_ptr_array_set_size (result->results, (gint) map->n_items);
  result->worker_of_item = g_new0 (guint, MAX (map->n_items, 1));
  result->stats.chunksize = map->chunksize > 0
                            ? map->chunksize
                            : lab_process_pool_auto_chunksize (map->n_items, pool->n_workers);
  n_chunks = (map->n_items + result->stats.chunksize - 1) / result->stats.chunksize;
  result->stats.n_chunks = n_chunks;
  result->stats.start_ns = lab_clock_now_ns ();
  result->stats.send_end_ns = result->stats.start_ns;
  result->stats.compute_end_ns = result->stats.start_ns;

  if (pool->broken)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           /* Translators: the pool was used again after a
                            * failure had ended its worker processes */
                           _("The pool's worker processes are gone after an earlier failure"));
      result->stats.end_ns = result->stats.start_ns;
      return FALSE;
    }

  pool->map = map;
  pool->result = result;
  pool->next_item = 0;
  pool->chunks_done = 0;

  if (pool->parent_lane != NULL)
    waiting = g_strdup (map->label != NULL ? map->label : "pool.map()");
  lab_pool_parent_record (pool, LAB_EVENT_BEGIN, LAB_STATE_WAITING, 0, waiting,
                          map->n_items, 0);

  lab_pool_block_sigpipe (pool);
  while (ok && pool->chunks_done < n_chunks)
    ok = dispatch (pool, &local_error) && lab_pool_poll (pool, -1, &local_error);
  lab_pool_unblock_sigpipe (pool);

  if (pool->sending != NULL)
    {
      lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
      pool->sending = NULL;
    }
  lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_WAITING, 0, NULL, 0, 0);
  result->stats.end_ns = lab_clock_now_ns ();
  pool->map = NULL;
  pool->result = NULL;

  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lab_process_pool_terminate (pool);
      else
        /* Translators: a mark on a worker process's lane: another worker
         * failed, so the pool was shut down and this one killed */
        lab_pool_kill_all (pool, _("the pool is shut down: sent SIGKILL"));
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
lab_pool_map_result_clear (LabPoolMapResult *result)
{
  g_clear_pointer (&result->results, g_ptr_array_unref);
  g_clear_pointer (&result->worker_of_item, g_free);
  result->n_items = 0;
}

gboolean
lab_pool_map_result_get_i64 (const LabPoolMapResult *result,
                             guint                   item,
                             gint64                 *value)
{
  GBytes *bytes;
  guint64 le;

  if (item >= result->n_items || result->results == NULL)
    return FALSE;
  bytes = result->results->pdata[item];
  if (bytes == NULL || g_bytes_get_size (bytes) != sizeof le)
    return FALSE;
  memcpy (&le, g_bytes_get_data (bytes, NULL), sizeof le);
  *value = (gint64) GUINT64_FROM_LE (le);
  return TRUE;
}
