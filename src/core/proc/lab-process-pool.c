/* lab-process-pool.c — a pool of worker processes: starting them (with
 * "spawn" each execs the helper; with "fork" and "forkserver" a fork
 * server, itself exec'd, forks them: the threaded app never forks),
 * Pool.map in chunks, and stopping them.
 *
 * map() cuts the items into chunks of `chunksize` and hands each chunk, as
 * one TASK frame holding the pickle of its task tuple (lab-wire-pickle.c),
 * to an idle worker: the one idle the longest, so that a
 * map of as many items as workers gives each worker exactly one. One chunk
 * is written at a time (the parent has one thread, as Python's task
 * handler does), and while it is written the pool keeps reading what the
 * other workers send back. Results are stored by item, so they come out in
 * order whatever order the workers finish in.
 *
 * Recorded (with a recorder): on the parent's lane a SPAWNING span while
 * the workers start, a WAITING span per map, and per chunk a SENDING span
 * "pickle.dumps(task)", a dispatch mark (the start of an arrow), a SENDING
 * span with the byte count, a mark where its result arrives (the end of
 * the arrow back) and a SENDING span "pickle.loads(result)". Each worker's lane
 * gets its SPAWNING span (from the exec to its READY) and what the worker
 * itself recorded (lab-worker-tasks.c), with the worker's own timestamps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-child.h"
#include "lab-process-pool-private.h"

/* After QUIT, how long workers may take to exit before SIGKILL. */
#define LAB_POOL_QUIT_GRACE_MS 1000

char *
lab_process_pool_find_worker (void)
{
  const char *env = g_getenv ("LAB_WORKER_PATH");
  g_autofree char *exe = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  /* A program inside the build tree (the app, a test) uses the helper
   * built with it, not an installed one of another version. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, BUILD_ROOT "/"))
    return g_build_filename (BUILD_ROOT, "src", "worker", LAB_WORKER_NAME, NULL);

  return g_build_filename (LIBEXECDIR, LAB_WORKER_NAME, NULL);
}

/* ---- start methods ---- */

static const char * const start_method_names[] = { "spawn", "fork", "forkserver" };

const char *
lab_start_method_to_string (LabStartMethod method)
{
  g_return_val_if_fail (method < G_N_ELEMENTS (start_method_names), NULL);
  return start_method_names[method];
}

gboolean
lab_start_method_available (LabStartMethod method)
{
  const char *env = g_getenv ("LAB_START_METHODS");
  g_auto(GStrv) names = NULL;

  /* fork() and a Unix socket to pass pipes over: every Linux has them. */
  if (env == NULL)
    return TRUE;
  names = g_strsplit (env, ",", -1);
  return g_strv_contains ((const char * const *) names, lab_start_method_to_string (method));
}

/* "spawn, fork": the methods this system offers. Caller frees. */
static char *
offered_methods (void)
{
  GString *offered = g_string_new (NULL);

  for (guint m = 0; m < G_N_ELEMENTS (start_method_names); m++)
    if (lab_start_method_available (m))
      g_string_append_printf (offered, "%s%s", offered->len > 0 ? ", " : "",
                              start_method_names[m]);
  if (offered->len == 0)
    g_string_append (offered, "—");
  return g_string_free (offered, FALSE);
}

/* FALSE with @error if this system lacks @method. */
static gboolean
check_available (LabStartMethod   method,
                 GError         **error)
{
  g_autofree char *offered = NULL;

  if (lab_start_method_available (method))
    return TRUE;
  offered = offered_methods ();
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: the chosen way of starting processes (the
                * first %s: spawn, fork or forkserver) does not exist on this
                * computer; the second %s lists the ones that do */
               _("This system cannot start processes with “%s” (it offers: %s); "
                 "choose another start method"),
               lab_start_method_to_string (method), offered);
  return FALSE;
}

gboolean
lab_start_method_from_string (const char      *name,
                              LabStartMethod  *method,
                              GError         **error)
{
  g_autofree char *offered = NULL;

  for (guint m = 0; m < G_N_ELEMENTS (start_method_names); m++)
    if (g_strcmp0 (name, start_method_names[m]) == 0)
      {
        if (!check_available (m, error))
          return FALSE;
        *method = m;
        return TRUE;
      }
  offered = offered_methods ();
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: an unknown start method was asked for; the
                * second %s lists the known ones */
               _("“%s” is not a start method; this system offers: %s"), name, offered);
  return FALSE;
}

guint
lab_process_pool_count_for (gint64 processes)
{
  if (processes > 0)
    return (guint) MIN (processes, LAB_PROCESS_POOL_MAX_WORKERS);
  return (guint) CLAMP (g_get_num_processors (), 1, LAB_PROCESS_POOL_MAX_WORKERS);
}

guint
lab_process_pool_auto_chunksize (guint n_items,
                                 guint n_workers)
{
  guint per = 4 * MAX (n_workers, 1);

  /* divmod(len(iterable), len(pool) * 4), rounded up, as Pool.map does. */
  return MAX (1, n_items / per + (n_items % per != 0));
}

void
lab_pool_parent_record (LabProcessPool *pool,
                        LabEventKind    kind,
                        LabState        state,
                        guint16         flags,
                        const char     *label,
                        gint64          value,
                        guint32         flow)
{
  if (pool->parent_lane == NULL)
    return;
  lab_lane_record (pool->parent_lane, kind, state, flags,
                   label != NULL ? lab_recorder_intern (pool->recorder, label) : 0,
                   value, flow);
}

/* ---- frames from the workers ---- */

void
lab_pool_sent (LabProcessPool *pool,
               LabPoolWorker  *worker)
{
  gint64 now = lab_clock_now_ns ();

  lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
  if (pool->result != NULL)
    {
      pool->result->stats.send_end_ns = now;
      pool->result->stats.send_busy_ns += now - pool->send_begin_ns;
    }
  pool->sending = NULL;
}

static gboolean
unexpected_frame (LabPoolWorker       *worker,
                  const LabWireFrame  *frame,
                  GError             **error)
{
  g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_TYPE,
               /* Translators: a worker process sent a message of the
                * protocol (%s is its type, e.g. RESULT) when none of that
                * type was due */
               _("Worker %u (pid %d) sent an unexpected %s frame"),
               worker->index, worker->pid, lab_wire_type_to_string (frame->type));
  return FALSE;
}

static gboolean
take_ready (LabProcessPool      *pool,
            LabPoolWorker       *worker,
            const LabWireFrame  *frame,
            GError             **error)
{
  guint32 version, pid;

  if (worker->ready)
    return unexpected_frame (worker, frame, error);
  if (!lab_wire_parse_ready (frame, &version, &pid, error))
    return FALSE;
  if (version != LAB_WIRE_VERSION)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_VERSION,
                   /* Translators: the worker helper is of another version
                    * than the app */
                   _("Worker %u (pid %d) speaks protocol version %u, not %u: "
                     "the worker helper does not belong to this version of the app"),
                   worker->index, worker->pid, version, LAB_WIRE_VERSION);
      return FALSE;
    }

  worker->ready = TRUE;
  worker->idle_since_ns = lab_clock_now_ns ();
  worker->ready_ns = worker->idle_since_ns;
  if (worker->lane != NULL && worker->open_spans > 0)
    {
      lab_lane_record_at (worker->lane, worker->idle_since_ns, -1, LAB_EVENT_END,
                          LAB_STATE_SPAWNING, 0, 0, 0, 0);
      worker->open_spans--;
      worker->last_ts = worker->idle_since_ns;
    }
  return TRUE;
}

/* Unpickles the results of the worker's chunk into the map's result. */
static gboolean
take_pickled_results (LabProcessPool       *pool,
                      LabPoolWorker        *worker,
                      const LabWireResult  *result,
                      GError              **error)
{
  LabPoolMapResult *out = pool->result;
  g_autoptr(GError) pickle_error = NULL;
  g_autoptr(LabPyValue) message = NULL;
  LabPyValue *results = NULL;
  gint64 t0 = lab_clock_now_ns ();

  lab_pool_parent_record (pool, LAB_EVENT_BEGIN, LAB_STATE_SENDING, 0,
                          pool->parent_lane != NULL ? "pickle.loads(result)" : NULL,
                          (gint64) result->items[0].length, 0);
  message = lab_pickle_loads (result->items[0].data, result->items[0].length, &pickle_error);
  if (message != NULL)
    results = lab_wire_result_tuple_parse (message, &pickle_error);
  if (results != NULL && lab_py_value_get_length (results) != worker->chunk_n)
    {
      g_set_error (&pickle_error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a worker process sent another number of
                    * results than it was given tasks */
                   _("%u results for %u tasks"),
                   (guint) lab_py_value_get_length (results), worker->chunk_n);
      results = NULL;
    }
  for (guint k = 0; results != NULL && k < worker->chunk_n; k++)
    {
      LabPyValue *value = lab_py_value_get_item (results, k);
      guint item = worker->chunk_first + k;
      GBytes *bytes;
      gint64 i64;

      if (lab_py_value_kind (value) == LAB_PY_STR)
        {
          gsize len;
          const char *text = lab_py_value_get_data (value, &len);

          bytes = g_bytes_new (text, len);
        }
      else if (lab_py_value_get_int (value, &i64))
        {
          guint64 le = GUINT64_TO_LE ((guint64) i64);

          bytes = g_bytes_new (&le, sizeof le);
        }
      else
        bytes = g_bytes_new (NULL, 0);
      g_clear_pointer (&out->results->pdata[item], g_bytes_unref);
      out->results->pdata[item] = bytes;
      out->worker_of_item[item] = worker->index;
    }
  lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SENDING, 0, NULL, 0, 0);
  out->stats.unpickle_ns += lab_clock_now_ns () - t0;

  if (results == NULL)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: the app could not read the pickled result
                    * of a worker process; %s says why */
                   _("Worker %u (pid %d) sent a result that cannot be unpickled: %s"),
                   worker->index, worker->pid, pickle_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_result (LabProcessPool      *pool,
             LabPoolWorker       *worker,
             const LabWireFrame  *frame,
             GError             **error)
{
  LabPoolMapResult *out = pool->result;
  LabWireResult result;
  g_autofree char *tasks = NULL;
  g_autofree char *label = NULL;

  if (pool->map == NULL || !worker->busy)
    return unexpected_frame (worker, frame, error);
  if (!lab_wire_parse_result (frame, &result, error))
    return FALSE;
  if (result.first_task != worker->chunk_first || result.n_items != 1)
    {
      lab_wire_result_clear (&result);
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a worker process answered with results
                    * for other tasks than it was given */
                   _("Worker %u (pid %d) sent results for tasks it was not given"),
                   worker->index, worker->pid);
      return FALSE;
    }

  if (!take_pickled_results (pool, worker, &result, error))
    {
      lab_wire_result_clear (&result);
      return FALSE;
    }
  out->stats.worker_unpickle_ns = MAX (out->stats.worker_unpickle_ns, result.unpickle_ns);
  out->stats.worker_pickle_ns = MAX (out->stats.worker_pickle_ns, result.pickle_ns);
  out->stats.compute_end_ns = MAX (out->stats.compute_end_ns, result.compute_end_ns);
  lab_wire_result_clear (&result);

  tasks = lab_pool_describe_tasks (worker->chunk_first, worker->chunk_n);
  /* Translators: a mark on the parent's lane: the result of a task (or of
   * a chunk of tasks, first %s, e.g. "task 7") came back from a worker */
  label = g_strdup_printf (_("result of %s from worker %u"), tasks, worker->index);
  lab_pool_parent_record (pool, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                          worker->flow_out != 0 ? LAB_EVENT_FLAG_FLOW_TARGET : 0,
                          label, worker->chunk_n, worker->flow_out);

  worker->busy = FALSE;
  worker->idle_since_ns = lab_clock_now_ns ();
  pool->chunks_done++;
  if (pool->map->progress != NULL)
    pool->map->progress (pool->chunks_done, out->stats.n_chunks, pool->map->progress_data);
  return TRUE;
}

/* "Still working": the bytes themselves were the sign of life (see
 * read_worker); only a task it really has may be named. */
static gboolean
take_progress (LabProcessPool      *pool,
               LabPoolWorker       *worker,
               const LabWireFrame  *frame,
               GError             **error)
{
  guint64 task_id;

  if (pool->map == NULL || !worker->busy)
    return unexpected_frame (worker, frame, error);
  if (!lab_wire_parse_progress (frame, &task_id, error))
    return FALSE;
  if (task_id < worker->chunk_first || task_id - worker->chunk_first >= worker->chunk_n)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a worker process said it was working on
                    * a task (%llu is its number) it was not given */
                   _("Worker %u (pid %d) reported progress on task %llu, which it was not given"),
                   worker->index, worker->pid, (unsigned long long) task_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_error (LabPoolWorker       *worker,
            const LabWireFrame  *frame,
            GError             **error)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  guint64 task_id;

  if (!lab_wire_parse_error (frame, &task_id, &message, error))
    return FALSE;

  if (task_id != LAB_WIRE_NO_TASK && task_id <= G_MAXUINT)
    {
      g_autofree char *tasks = lab_pool_describe_tasks ((guint) task_id, 1);

      /* Translators: a worker process could not run a task; the first %s
       * is which one ("task 7"), the second what went wrong */
      text = g_strdup_printf (_("Worker %u (pid %d) could not run %s: %s"),
                              worker->index, worker->pid, tasks, message);
    }
  else
    /* Translators: a worker process reported an error; %s says what */
    text = g_strdup_printf (_("Worker %u (pid %d) reported an error: %s"),
                            worker->index, worker->pid, message);

  lab_pool_close_lane (worker, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, text);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, text);
  return FALSE;
}

gboolean
lab_pool_handle_frame (LabProcessPool      *pool,
                       LabPoolWorker       *worker,
                       const LabWireFrame  *frame,
                       GError             **error)
{
  switch (frame->type)
    {
    case LAB_WIRE_FRAME_READY:
      return take_ready (pool, worker, frame, error);
    case LAB_WIRE_FRAME_RESULT:
      return take_result (pool, worker, frame, error);
    case LAB_WIRE_FRAME_EVENTS:
      if (!worker->ready)
        return unexpected_frame (worker, frame, error);
      return lab_pool_take_events (pool, worker, frame, error);
    case LAB_WIRE_FRAME_ERROR:
      return take_error (worker, frame, error);
    case LAB_WIRE_FRAME_PROGRESS:
      return take_progress (pool, worker, frame, error);
    default:
      return unexpected_frame (worker, frame, error);
    }
}

/* ---- start and stop ---- */

void
lab_pool_kill_all (LabProcessPool *pool,
                   const char     *why)
{
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (!lab_pool_worker_started (worker) || worker->reaped)
        continue;
      lab_pool_kill_worker (worker);
      lab_pool_close_lane (worker, LAB_EVENT_FLAG_HIGHLIGHT, why);
    }
  lab_pool_reap (pool, NULL, 0);
  pool->broken = TRUE;
}

void
lab_process_pool_terminate (LabProcessPool *pool)
{
  /* Translators: a mark on a child process's lane */
  lab_pool_kill_all (pool, _("Stop pressed: sent SIGKILL"));
}

static void
free_workers (LabProcessPool *pool)
{
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      /* GSubprocess owns a spawned worker's pipes; ours are ours. */
      if (worker->subprocess == NULL && worker->in_fd >= 0)
        close (worker->in_fd);
      if (worker->subprocess == NULL && worker->out_fd >= 0)
        close (worker->out_fd);
      g_clear_object (&worker->subprocess);
      g_clear_pointer (&worker->reader, lab_wire_reader_free);
      g_clear_pointer (&worker->writer, lab_wire_writer_free);
      g_clear_pointer (&worker->labels, g_array_unref);
    }
  g_free (pool->workers);
}

void
lab_process_pool_free (LabProcessPool *pool)
{
  if (pool == NULL)
    return;

  /* pool.close(); pool.join(): QUIT, and the end of their stdin. */
  lab_pool_block_sigpipe (pool);
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (!lab_pool_worker_started (worker) || worker->reaped || worker->eof)
        continue;
      lab_wire_writer_reset (worker->writer);
      lab_wire_put_quit (worker->writer);
      lab_wire_writer_write_fd (worker->writer, worker->in_fd);
      if (worker->subprocess != NULL)
        g_output_stream_close (g_subprocess_get_stdin_pipe (worker->subprocess), NULL, NULL);
      else
        {
          close (worker->in_fd);
          worker->in_fd = -1;
        }
    }
  lab_pool_unblock_sigpipe (pool);
  lab_pool_reap (pool, NULL, LAB_POOL_QUIT_GRACE_MS);

  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];
      g_autofree char *label = NULL;

      if (!lab_pool_worker_started (worker) || !worker->reaped || pool->broken)
        continue;
      if (WIFEXITED (worker->wait_status))
        {
          gint status = WEXITSTATUS (worker->wait_status);

          /* A helper that does not end cleanly when told to is a bug
           * (a sanitizer's report, say): say so. */
          if (status != 0)
            g_warning ("Worker %u (pid %d) exited with status %d after QUIT",
                       worker->index, worker->pid, status);
          /* Translators: a mark on a child process's lane: it ended with
           * this exit status (0 means success) */
          label = g_strdup_printf (_("exit status %d"), status);
        }
      else
        label = lab_signal_describe (WTERMSIG (worker->wait_status));
      lab_pool_close_lane (worker, LAB_EVENT_FLAG_NONE, label);
    }

  if (pool->cancel_fd >= 0)
    g_cancellable_release_fd (pool->cancellable);
  g_clear_object (&pool->cancellable);
  free_workers (pool);
  /* Its children are all reaped by now; it exits when told. */
  lab_fork_server_free (pool->server);
  g_free (pool->worker_path);
  g_free (pool->staging);
  g_array_unref (pool->events);
  g_free (pool);
}

/* The watchdog's limit from LAB_WORKER_STALL_S (whole-experiment tests set
 * it), else the default. */
static gboolean
stall_from_env (LabProcessPool  *pool,
                GError         **error)
{
  const char *env = g_getenv ("LAB_WORKER_STALL_S");
  char *end = NULL;
  double seconds;

  if (env == NULL || env[0] == '\0')
    {
      lab_process_pool_set_stall_timeout (pool, LAB_PROCESS_POOL_STALL_S);
      return TRUE;
    }
  seconds = g_ascii_strtod (env, &end);
  if (end == env || *end != '\0' || !(seconds >= 0 && seconds <= LAB_PROCESS_POOL_STALL_MAX_S))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: the environment variable sets how long a
                    * worker process may stay silent; the first %s is its
                    * value, %g the largest allowed */
                   _("The environment variable %s is “%s”, not a number of seconds from "
                     "0 (no limit) to %g"),
                   "LAB_WORKER_STALL_S", env, LAB_PROCESS_POOL_STALL_MAX_S);
      return FALSE;
    }
  lab_process_pool_set_stall_timeout (pool, seconds);
  return TRUE;
}

/* The span on a worker's lane while it starts: what its start method
 * does. */
static const char *
start_span_label (LabStartMethod method)
{
  switch (method)
    {
    case LAB_START_FORK:
      /* Translators: a span on a child process's lane while it is made
       * by fork(); "fork" is the name of the start method */
      return _("fork");
    case LAB_START_FORKSERVER:
      /* Translators: a span on a child process's lane while the fork
       * server forks it; "forkserver" is the name of the start method */
      return _("forkserver: fork");
    case LAB_START_SPAWN:
    default:
      /* Translators: a span on a child process's lane while a fresh
       * program is started and loads what it needs; "spawn" is the name
       * of the start method */
      return _("spawn: exec + import");
    }
}

static gboolean
start_workers (LabProcessPool  *pool,
               GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  const char *starting = start_span_label (pool->start_method);
  guint32 hello_flags = pool->recorder != NULL ? LAB_WIRE_HELLO_EVENTS : 0;
  gint64 t0 = lab_clock_now_ns (), deadline;
  gboolean ok = TRUE;

  if (pool->main_without_file)
    hello_flags |= LAB_WIRE_HELLO_MAIN_NO_FILE;

  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (g_cancellable_set_error_if_cancelled (pool->cancellable, error) ||
          !lab_pool_spawn_worker (pool, launcher, worker, error) ||
          !lab_pool_add_lane (pool, worker, error))
        return FALSE;
      if (worker->lane != NULL)
        {
          lab_lane_record_at (worker->lane, worker->spawn_begin_ns, -1, LAB_EVENT_BEGIN,
                              LAB_STATE_SPAWNING, 0,
                              lab_recorder_intern (pool->recorder, starting), 0, 0);
          worker->open_spans = 1;
          worker->last_ts = worker->spawn_begin_ns;
        }
      lab_wire_put_hello (worker->writer, i, hello_flags);
    }

  /* Every HELLO out, every READY in. */
  lab_pool_block_sigpipe (pool);
  deadline = t0 + (gint64) LAB_PROCESS_POOL_START_TIMEOUT_MS * 1000000;
  for (guint i = 0; i < pool->n_workers && ok; i++)
    ok = lab_pool_write_worker (pool, &pool->workers[i], error);
  while (ok)
    {
      LabPoolWorker *waiting = NULL;
      gint64 now = lab_clock_now_ns ();

      for (guint i = 0; i < pool->n_workers && waiting == NULL; i++)
        if (!pool->workers[i].ready)
          waiting = &pool->workers[i];
      if (waiting == NULL)
        break;
      if (now >= deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       /* Translators: a worker process started but never
                        * said it was ready; %s is the program's path */
                       _("Worker %u (pid %d) did not answer within %d s; is “%s” "
                         "really the worker helper?"),
                       waiting->index, waiting->pid, LAB_PROCESS_POOL_START_TIMEOUT_MS / 1000,
                       pool->worker_path);
          ok = FALSE;
          break;
        }
      ok = lab_pool_poll (pool, (gint) ((deadline - now) / 1000000 + 1), error);
    }
  lab_pool_unblock_sigpipe (pool);
  return ok;
}

/* fork, forkserver: the fork server, exec'd (never a fork of this
 * threaded process), holding the parent's data for "fork". */
static gboolean
start_server (LabProcessPool              *pool,
              const LabProcessPoolOptions *options,
              GError                     **error)
{
  g_autofree char *label = NULL;
  gint64 t0 = lab_clock_now_ns ();

  if (pool->start_method == LAB_START_SPAWN)
    return TRUE;
  pool->server = lab_fork_server_new (pool->worker_path,
                                      pool->start_method == LAB_START_FORK
                                        ? options->inherited : NULL,
                                      error);
  if (pool->server == NULL)
    return FALSE;
  if (pool->parent_lane != NULL)
    /* Translators: a mark on the parent's lane: the helper process that
     * forks the workers is running; %d is its pid */
    label = g_strdup_printf (_("fork server started (pid %d)"),
                             lab_fork_server_get_pid (pool->server));
  lab_pool_parent_record (pool, LAB_EVENT_MARK, LAB_STATE_RUNNING, 0, label,
                          (lab_clock_now_ns () - t0) / 1000, 0);
  return TRUE;
}

LabProcessPool *
lab_process_pool_new (const LabProcessPoolOptions  *options,
                      LabRecorder                  *recorder,
                      LabLane                      *parent_lane,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  LabProcessPool *pool;
  g_autofree char *spawn_label = NULL;
  GError *local_error = NULL;
  gboolean ok;
  gint64 t0;

  g_return_val_if_fail (options != NULL, NULL);

  /* Checked when it is used, as get_context() does: nothing starts. */
  if (!check_available (options->start_method, error))
    return NULL;

  if (options->n_workers < 1 || options->n_workers > LAB_PROCESS_POOL_MAX_WORKERS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: too many (or no) worker processes asked for */
                   _("A pool has 1 to %d worker processes, not %u"),
                   LAB_PROCESS_POOL_MAX_WORKERS, options->n_workers);
      return NULL;
    }

  pool = g_new0 (LabProcessPool, 1);
  pool->recorder = recorder;
  pool->parent_lane = recorder != NULL ? parent_lane : NULL;
  pool->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  pool->cancel_fd = -1;
  pool->flags = options->flags;
  pool->start_method = options->start_method;
  pool->main_without_file = options->main_without_file;
  pool->worker_path = options->worker_path != NULL ? g_strdup (options->worker_path)
                                                   : lab_process_pool_find_worker ();
  pool->n_workers = options->n_workers;
  pool->workers = g_new0 (LabPoolWorker, pool->n_workers);
  pool->staging = g_malloc (65536);
  pool->events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  for (guint i = 0; i < pool->n_workers; i++)
    {
      pool->workers[i].pool = pool;
      pool->workers[i].index = i;
      pool->workers[i].in_fd = -1;
      pool->workers[i].out_fd = -1;
    }
  if (cancellable != NULL)
    {
      GPollFD pollfd;

      if (g_cancellable_make_pollfd (cancellable, &pollfd))
        pool->cancel_fd = pollfd.fd;
    }

  if (!stall_from_env (pool, error))
    {
      lab_process_pool_free (pool);
      return NULL;
    }

  if (!g_file_test (pool->worker_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: the helper program that runs the worker
                    * processes is missing; %s is where it was looked for */
                   _("The worker helper “%s” was not found (it is installed with the app; "
                     "the environment variable LAB_WORKER_PATH can point to it)"),
                   pool->worker_path);
      lab_process_pool_free (pool);
      return NULL;
    }

  if (options->spawn_label != NULL)
    spawn_label = g_strdup (options->spawn_label);
  else
    spawn_label = g_strdup_printf ("multiprocessing.Pool(%u)", pool->n_workers);
  lab_pool_parent_record (pool, LAB_EVENT_BEGIN, LAB_STATE_SPAWNING, 0, spawn_label,
                          pool->n_workers, 0);
  t0 = lab_clock_now_ns ();
  ok = start_server (pool, options, &local_error) && start_workers (pool, &local_error);
  pool->spawn_ns = lab_clock_now_ns () - t0;
  lab_pool_parent_record (pool, LAB_EVENT_END, LAB_STATE_SPAWNING, 0, NULL, 0, 0);

  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lab_process_pool_terminate (pool);
      else
        /* Translators: a mark on a worker process's lane: starting the
         * pool failed, so this worker was killed */
        lab_pool_kill_all (pool, _("the pool could not start: sent SIGKILL"));
      lab_process_pool_free (pool);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return pool;
}

guint
lab_process_pool_get_n_workers (LabProcessPool *pool)
{
  return pool->n_workers;
}

gint
lab_process_pool_get_pid (LabProcessPool *pool,
                          guint           worker)
{
  g_return_val_if_fail (worker < pool->n_workers, 0);
  return pool->workers[worker].pid;
}

LabLane *
lab_process_pool_get_lane (LabProcessPool *pool,
                           guint           worker)
{
  g_return_val_if_fail (worker < pool->n_workers, NULL);
  return pool->workers[worker].lane;
}

gint64
lab_process_pool_get_spawn_ns (LabProcessPool *pool)
{
  return pool->spawn_ns;
}

gint64
lab_process_pool_get_start_ns_per_process (LabProcessPool *pool)
{
  gint64 sum = 0;

  for (guint i = 0; i < pool->n_workers; i++)
    sum += pool->workers[i].ready_ns - pool->workers[i].spawn_begin_ns;
  return sum / MAX (pool->n_workers, 1);
}

LabStartMethod
lab_process_pool_get_start_method (LabProcessPool *pool)
{
  return pool->start_method;
}

void
lab_process_pool_set_stall_timeout (LabProcessPool *pool,
                                    double          seconds)
{
  g_return_if_fail (seconds >= 0 && seconds <= LAB_PROCESS_POOL_STALL_MAX_S);

  /* Taken by the next chunk sent (its TASK carries the heartbeat). */
  pool->stall_ns = (gint64) (seconds * 1e9);
}

double
lab_process_pool_get_stall_timeout (LabProcessPool *pool)
{
  return (double) pool->stall_ns / 1e9;
}
