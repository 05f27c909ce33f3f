/* lab-process-pool-io.c — a LabProcessPool's pipes: starting a worker, the
 * poll() loop that writes tasks and reads frames, the events a worker
 * reports (recorded into its lane with the worker's own timestamps). The
 * end of workers, reaping them and saying how they died, is in
 * lab-process-pool-reap.c.
 *
 * Our ends of the pipes are non-blocking and the pool's thread waits in
 * poll() on all of them at once, plus the run's GCancellable, so a Stop, a
 * dead worker (its stdout ends) and a full pipe never block it.
 *
 * A worker that is alive but stopped (SIGSTOP, a debugger) or stuck in an
 * endless loop ends nothing and closes nothing: the watchdog catches it.
 * A worker that has a task shows that it lives by every byte it sends (a
 * busy one sends PROGRESS frames from inside its computing loops) and every
 * byte of the task it takes from the pipe; after the pool's stall limit
 * without either, it is killed with SIGKILL (a stopped process gets no
 * other signal until it is continued) and the map fails, naming it.
 * Silence is counted only while the pool's thread waits in poll() for the
 * workers, never past the timeout it asked for, and it asks for no more
 * than a quarter of the limit: when the whole app was stopped (Ctrl+Z, a
 * debugger), its workers are not blamed for that time.
 *
 * Writing to a worker that died raises SIGPIPE, which would kill the whole
 * app; the pool's thread blocks it while it writes (after spawning, so the
 * workers do not inherit the blocked signal) and takes a pending one away
 * before it unblocks it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "lab-process-pool-private.h"

#define LAB_POOL_STAGING       65536
/* Reads from one worker per wakeup, so that others get their turn. */
#define LAB_POOL_READS_PER_WAKEUP 16

/* ---- SIGPIPE ---- */

void
lab_pool_block_sigpipe (LabProcessPool *pool)
{
  sigset_t set;

  if (pool->sigpipe_blocked)
    return;
  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  if (pthread_sigmask (SIG_BLOCK, &set, &pool->old_mask) == 0)
    pool->sigpipe_blocked = TRUE;
}

void
lab_pool_unblock_sigpipe (LabProcessPool *pool)
{
  const struct timespec no_wait = { 0, 0 };
  sigset_t set;

  if (!pool->sigpipe_blocked)
    return;
  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  if (!sigismember (&pool->old_mask, SIGPIPE))
    while (sigtimedwait (&set, NULL, &no_wait) == SIGPIPE)
      ;
  pthread_sigmask (SIG_SETMASK, &pool->old_mask, NULL);
  pool->sigpipe_blocked = FALSE;
}

/* ---- starting ---- */

static gboolean
set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);

  return flags >= 0 && fcntl (fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/* Our ends of a forked worker's pipes, made here; its ends go to the fork
 * server, which hands them to the child as its stdin and stdout. */
static gboolean
fork_worker (LabProcessPool  *pool,
             LabPoolWorker   *worker,
             GError         **error)
{
  int to_child[2], from_child[2];
  gboolean ok;

  if (pipe2 (to_child, O_CLOEXEC) < 0)
    goto failed;
  if (pipe2 (from_child, O_CLOEXEC) < 0)
    {
      close (to_child[0]);
      close (to_child[1]);
      goto failed;
    }
  ok = lab_fork_server_fork (pool->server, to_child[0], from_child[1], &worker->pid, error);
  close (to_child[0]);
  close (from_child[1]);
  worker->in_fd = to_child[1];
  worker->out_fd = from_child[0];
  return ok;

failed:
  {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 /* Translators: %s is the reason, from the system */
                 _("Could not set up the pipes of a worker process: %s"),
                 g_strerror (saved));
    return FALSE;
  }
}

gboolean
lab_pool_spawn_worker (LabProcessPool       *pool,
                       GSubprocessLauncher  *launcher,
                       LabPoolWorker        *worker,
                       GError              **error)
{
  const char *argv[] = { pool->worker_path, NULL };
  g_autoptr(GError) spawn_error = NULL;
  const char *identifier;

  worker->in_fd = worker->out_fd = -1;
  worker->reader = lab_wire_reader_new ();
  worker->writer = lab_wire_writer_new ();
  worker->labels = g_array_new (FALSE, TRUE, sizeof (guint32));
  worker->spawn_begin_ns = lab_clock_now_ns ();

  if (pool->server != NULL)
    {
      if (!fork_worker (pool, worker, error))
        return FALSE;
    }
  else
    {
      worker->subprocess = g_subprocess_launcher_spawnv (launcher, argv, &spawn_error);
      if (worker->subprocess == NULL)
        {
          g_set_error (error, G_IO_ERROR,
                       g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT)
                         ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED,
                       /* Translators: the app could not start its worker
                        * helper program; the first %s is its path, the second
                        * the reason */
                       _("Could not start the worker helper “%s”: %s"),
                       pool->worker_path, spawn_error->message);
          return FALSE;
        }

      /* GLib reaps the child as soon as it ends, and then no longer tells its
       * pid: ask at once. */
      identifier = g_subprocess_get_identifier (worker->subprocess);
      worker->pid = identifier != NULL ? (gint) g_ascii_strtoll (identifier, NULL, 10) : 0;
      worker->in_fd = g_unix_output_stream_get_fd (
        G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (worker->subprocess)));
      worker->out_fd = g_unix_input_stream_get_fd (
        G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (worker->subprocess)));
    }

  if (!set_nonblocking (worker->in_fd) || !set_nonblocking (worker->out_fd))
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s is the reason, from the system */
                   _("Could not set up the pipes of a worker process: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
lab_pool_kill_worker (LabPoolWorker *worker)
{
  if (!lab_pool_worker_started (worker) || worker->reaped)
    return;
  if (worker->subprocess != NULL)
    g_subprocess_force_exit (worker->subprocess);
  else
    /* Not yet reaped by the fork server (it says so when it has), so the
     * pid is still this worker's. */
    kill (worker->pid, SIGKILL);
}

gboolean
lab_pool_add_lane (LabProcessPool  *pool,
                   LabPoolWorker   *worker,
                   GError         **error)
{
  g_autofree char *name = NULL;

  if (pool->recorder == NULL)
    return TRUE;

  if (pool->flags & LAB_PROCESS_POOL_PROCESS_NAMES)
    /* Translators: the name of a child process's lane on the timeline,
     * e.g. "Process 2 (pid 4711)" */
    name = g_strdup_printf (_("Process %u (pid %d)"), worker->index, worker->pid);
  else
    /* Translators: the name of a pool worker process's lane on the
     * timeline, e.g. "Worker 2 (pid 4711)" */
    name = g_strdup_printf (_("Worker %u (pid %d)"), worker->index, worker->pid);
  /* A timeline that is already full stops the pool from starting: its
   * workers would run without anyone seeing them. */
  worker->lane = lab_recorder_try_add_lane (pool->recorder, LAB_LANE_PROCESS, name, error);
  if (worker->lane == NULL)
    return FALSE;
  lab_lane_set_tid (worker->lane, worker->pid);
  return TRUE;
}

/* ---- events from a worker ---- */

typedef struct
{
  LabProcessPool *pool;
  LabPoolWorker  *worker;
} LabPoolStrings;

static void
on_worker_string (guint32     id,
                  const char *text,
                  gpointer    data)
{
  LabPoolStrings *strings = data;
  guint32 ours;

  /* Ids are small and dense (1, 2, 3 ...); a wild one is not stored. */
  if (strings->pool->recorder == NULL || id > 1000000)
    return;
  ours = lab_recorder_intern (strings->pool->recorder, text);
  if (id >= strings->worker->labels->len)
    g_array_set_size (strings->worker->labels, id + 1);
  g_array_index (strings->worker->labels, guint32, id) = ours;
}

gboolean
lab_pool_take_events (LabProcessPool      *pool,
                      LabPoolWorker       *worker,
                      const LabWireFrame  *frame,
                      GError             **error)
{
  LabPoolStrings strings = { pool, worker };

  g_array_set_size (pool->events, 0);
  if (!lab_wire_parse_events (frame, on_worker_string, &strings, pool->events, error))
    return FALSE;
  if (worker->lane == NULL)
    return TRUE;

  for (guint i = 0; i < pool->events->len; i++)
    {
      LabEvent *e = &g_array_index (pool->events, LabEvent, i);
      guint32 label = e->label < worker->labels->len
                      ? g_array_index (worker->labels, guint32, e->label) : 0;
      guint32 flow = e->flow;
      guint16 flags = e->flags;

      /* Arrows only to the chunk the parent sent (a worker cannot tie
       * itself to another lane's arrows). */
      if (flow != 0 && flow != worker->flow_in && flow != worker->flow_out)
        {
          flow = 0;
          flags &= ~(LAB_EVENT_FLAG_FLOW_SOURCE | LAB_EVENT_FLAG_FLOW_TARGET);
        }
      /* Same clock, but the lane must stay in time order whatever it sends. */
      e->ts_ns = MAX (e->ts_ns, worker->last_ts);
      if (e->kind == LAB_EVENT_END)
        {
          if (worker->open_spans == 0)
            continue;
          worker->open_spans--;
        }
      else if (e->kind == LAB_EVENT_BEGIN)
        worker->open_spans++;

      lab_lane_record_at (worker->lane, e->ts_ns, e->cpu, e->kind, e->state, flags,
                          label, e->value, flow);
      worker->last_ts = e->ts_ns;
    }
  return TRUE;
}

void
lab_pool_close_lane (LabPoolWorker *worker,
                     guint16        flags,
                     const char    *label)
{
  LabRecorder *recorder = worker->pool->recorder;
  gint64 now = MAX (lab_clock_now_ns (), worker->last_ts);

  if (worker->lane == NULL)
    return;
  for (; worker->open_spans > 0; worker->open_spans--)
    lab_lane_record_at (worker->lane, now, -1, LAB_EVENT_END, LAB_STATE_RUNNING, 0, 0, 0, 0);
  if (label != NULL)
    lab_lane_record_at (worker->lane, now, -1, LAB_EVENT_MARK, LAB_STATE_RUNNING, flags,
                        lab_recorder_intern (recorder, label), 0, 0);
  worker->last_ts = now;
}

/* ---- the poll loop ---- */

gboolean
lab_pool_write_worker (LabProcessPool  *pool,
                       LabPoolWorker   *worker,
                       GError         **error)
{
  gssize n;

  if (lab_wire_writer_is_done (worker->writer))
    return TRUE;

  n = lab_wire_writer_write_fd (worker->writer, worker->in_fd);
  if (n < 0)
    /* EPIPE: it closed its stdin, i.e. it is gone. */
    return lab_pool_worker_lost (pool, worker, error);
  if (n > 0)
    worker->silent_ns = 0;

  if (lab_wire_writer_is_done (worker->writer))
    {
      if (pool->sending == worker)
        lab_pool_sent (pool, worker);
      lab_wire_writer_reset (worker->writer);
    }
  return TRUE;
}

/* Reads what the worker sent, handling each complete frame. */
static gboolean
read_worker (LabProcessPool  *pool,
             LabPoolWorker   *worker,
             GError         **error)
{
  g_autoptr(GError) wire_error = NULL;

  for (guint round = 0; round < LAB_POOL_READS_PER_WAKEUP && !worker->eof; round++)
    {
      LabWireFrame frame = { 0 };
      gsize want;
      guint8 *dest = lab_wire_reader_want (worker->reader, &want);
      gboolean direct = want >= LAB_POOL_STAGING;
      gssize n;

      n = read (worker->out_fd, direct ? dest : pool->staging,
                direct ? want : LAB_POOL_STAGING);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return TRUE;
      if (n <= 0)
        {
          /* The end of its stdout: it died (or closed it, which is as bad). */
          worker->eof = TRUE;
          return lab_pool_worker_lost (pool, worker, error);
        }
      worker->silent_ns = 0;

      if (direct && !lab_wire_reader_advance (worker->reader, (gsize) n, &wire_error))
        goto garbage;
      if (direct && lab_wire_reader_pop (worker->reader, &frame))
        {
          gboolean ok = lab_pool_handle_frame (pool, worker, &frame, error);

          lab_wire_frame_clear (&frame);
          if (!ok)
            return FALSE;
        }

      for (gsize pos = 0; !direct && pos < (gsize) n;)
        {
          gssize taken = lab_wire_reader_feed (worker->reader, pool->staging + pos,
                                               (gsize) n - pos, &wire_error);
          gboolean ok = TRUE;

          if (taken < 0)
            goto garbage;
          pos += (gsize) taken;
          if (lab_wire_reader_pop (worker->reader, &frame))
            {
              ok = lab_pool_handle_frame (pool, worker, &frame, error);
              lab_wire_frame_clear (&frame);
            }
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;

garbage:
  g_set_error (error, LAB_WIRE_ERROR, wire_error->code,
               /* Translators: a worker process wrote something that is not
                * a message of the protocol; %s says what was wrong */
               _("Worker %u (pid %d) sent data that is not a protocol frame: %s"),
               worker->index, worker->pid, wire_error->message);
  lab_pool_close_lane (worker, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR,
                       (*error)->message);
  return FALSE;
}

/* ---- the watchdog ---- */

guint32
lab_pool_heartbeat_ms (LabProcessPool *pool)
{
  /* A few beats per period: one that comes late is no false alarm. */
  return pool->stall_ns > 0 ? (guint32) MAX (pool->stall_ns / 4 / 1000000, 1) : 0;
}

static gboolean
watched (LabPoolWorker *worker)
{
  return worker->pool->stall_ns > 0 && worker->busy && !worker->eof && !worker->reaped;
}

/* @timeout_ms, shortened so that poll() returns when a busy worker's
 * silence reaches the limit, and at least every heartbeat period. */
static gint
watchdog_timeout (LabProcessPool *pool,
                  gint            timeout_ms)
{
  gint64 wait_ns = -1;

  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];
      gint64 left_ns = pool->stall_ns - worker->silent_ns;

      if (!watched (worker))
        continue;
      left_ns = MIN (MAX (left_ns, 0), (gint64) lab_pool_heartbeat_ms (pool) * 1000000);
      wait_ns = wait_ns < 0 ? left_ns : MIN (wait_ns, left_ns);
    }
  if (wait_ns < 0)
    return timeout_ms;
  /* Rounded up: the silence must really reach the limit. */
  wait_ns = (wait_ns + 999999) / 1000000;
  return timeout_ms < 0 ? (gint) wait_ns : (gint) MIN (timeout_ms, wait_ns);
}

/* Every busy worker has been silent for @waited_ns more (those that say
 * something in this round start again from 0). */
static void
watchdog_count (LabProcessPool *pool,
                gint64          waited_ns)
{
  for (guint i = 0; i < pool->n_workers; i++)
    if (watched (&pool->workers[i]))
      pool->workers[i].silent_ns += waited_ns;
}

/* Kills the first worker silent for the limit and says so. FALSE with
 * @error if there was one. */
static gboolean
check_stalls (LabProcessPool  *pool,
              GError         **error)
{
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];
      g_autofree char *tasks = NULL;
      g_autofree char *message = NULL;

      if (!watched (worker) || worker->silent_ns < pool->stall_ns)
        continue;

      tasks = lab_pool_describe_tasks (worker->chunk_first, worker->chunk_n);
      /* Translators: a worker process neither finished its task nor
       * reported progress for the watchdog's limit (a number of seconds,
       * %g); the last %s is which task(s) it had, e.g. "task 7".
       * Example: "Worker 2 (pid 4711) stopped answering while working on
       * tasks 10–14: no progress for 10 s" */
      message = g_strdup_printf (_("Worker %u (pid %d) stopped answering while working on %s: "
                                   "no progress for %g s"),
                                 worker->index, worker->pid, tasks,
                                 (double) pool->stall_ns / 1e9);
      /* SIGKILL: a stopped process would keep a SIGTERM pending until it
       * is continued, and a hung one may ignore it. */
      lab_pool_kill_worker (worker);
      lab_pool_reap (pool, worker, 0);
      lab_pool_close_lane (worker, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message);
      return FALSE;
    }
  return TRUE;
}

/* ---- the poll loop ---- */

gboolean
lab_pool_poll (LabProcessPool  *pool,
               gint             timeout_ms,
               GError         **error)
{
  struct pollfd fds[1 + 2 * LAB_PROCESS_POOL_MAX_WORKERS];
  LabPoolWorker *owners[1 + 2 * LAB_PROCESS_POOL_MAX_WORKERS];
  gint64 begin_ns, waited_ns;
  guint n = 0;
  int ret;

  if (g_cancellable_set_error_if_cancelled (pool->cancellable, error))
    return FALSE;

  timeout_ms = watchdog_timeout (pool, timeout_ms);

  if (pool->cancel_fd >= 0)
    {
      fds[n] = (struct pollfd) { pool->cancel_fd, POLLIN, 0 };
      owners[n++] = NULL;
    }
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (!lab_pool_worker_started (worker) || worker->eof)
        continue;
      fds[n] = (struct pollfd) { worker->out_fd, POLLIN, 0 };
      owners[n++] = worker;
      if (!lab_wire_writer_is_done (worker->writer))
        {
          fds[n] = (struct pollfd) { worker->in_fd, POLLOUT, 0 };
          owners[n++] = worker;
        }
    }

  begin_ns = lab_clock_now_ns ();
  ret = poll (fds, n, timeout_ms);
  /* Past the timeout, this thread was not running (stopped, or not
   * scheduled): not the workers' silence. */
  waited_ns = lab_clock_now_ns () - begin_ns;
  if (timeout_ms >= 0)
    waited_ns = MIN (waited_ns, (gint64) timeout_ms * 1000000);
  if (ret < 0 && errno != EINTR)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "poll(): %s",
                   g_strerror (saved));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (pool->cancellable, error))
    return FALSE;

  watchdog_count (pool, waited_ns);

  for (guint k = 0; k < n && ret > 0; k++)
    {
      LabPoolWorker *worker = owners[k];

      if (worker == NULL || fds[k].revents == 0 || worker->eof)
        continue;
      if (fds[k].events == POLLOUT)
        {
          if (!lab_pool_write_worker (pool, worker, error))
            return FALSE;
        }
      else if (!read_worker (pool, worker, error))
        return FALSE;
    }

  return check_stalls (pool, error);
}
