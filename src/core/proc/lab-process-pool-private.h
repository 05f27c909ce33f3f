/* lab-process-pool-private.h — the insides of LabProcessPool, shared by
 * lab-process-pool.c (start, map, stop), lab-process-pool-io.c (the
 * pipes, the poll loop, the workers' events) and lab-process-pool-reap.c
 * (the end of workers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>

#include "lab-fork-server.h"
#include "lab-process-pool.h"

G_BEGIN_DECLS

typedef struct _LabPoolWorker LabPoolWorker;

struct _LabPoolWorker
{
  LabProcessPool *pool;
  guint           index;
  GSubprocess    *subprocess;    /* spawn; NULL for a forked worker */
  gint            pid;            /* 0: not started */
  int             in_fd;          /* our end of its stdin (non-blocking) */
  int             out_fd;         /* our end of its stdout (non-blocking) */
  LabLane        *lane;           /* NULL when nothing is recorded */
  LabWireReader  *reader;
  LabWireWriter  *writer;         /* frames on their way to it */

  gint64          spawn_begin_ns;
  gint64          ready_ns;
  gboolean        ready;          /* READY came */
  gboolean        eof;            /* its stdout ended */
  gboolean        reaped;
  gint            wait_status;    /* once reaped, as waitpid() gives it */
  gboolean        wait_pending;
  gboolean        busy;           /* a chunk is out with it */
  gint64          idle_since_ns;
  gint64          silent_ns;      /* watched time since its last sign of
                                   * life while busy (the watchdog) */
  guint           chunk_first;
  guint           chunk_n;
  guint32         flow_in;        /* of its current (or last) chunk */
  guint32         flow_out;

  GArray         *labels;         /* guint32: its string ids -> ours */
  guint           open_spans;     /* BEGINs without END on its lane */
  gint64          last_ts;        /* of the last event on its lane */
};

struct _LabProcessPool
{
  LabRecorder          *recorder;     /* may be NULL */
  LabLane              *parent_lane;  /* may be NULL */
  GCancellable         *cancellable;  /* may be NULL */
  int                   cancel_fd;    /* -1 if none */
  LabProcessPoolFlags   flags;
  char                 *worker_path;
  LabStartMethod        start_method;
  LabForkServer        *server;       /* fork, forkserver */
  gboolean              main_without_file;
  guint                 n_workers;
  LabPoolWorker        *workers;
  gint64                spawn_ns;
  gboolean              broken;       /* a map failed: workers are gone */
  gint64                stall_ns;     /* the watchdog's limit; 0: off */
  guint8               *staging;
  GArray               *events;       /* scratch for EVENTS frames */

  LabPoolWorker        *sending;      /* whose task is being written */
  gint64                send_begin_ns;

  /* The map in progress. */
  const LabPoolMap     *map;
  LabPoolMapResult     *result;
  guint                 next_item;
  guint                 chunks_done;

  volatile guint64      busy_state;   /* the modelled pickling's result */
  gboolean              sigpipe_blocked;
  sigset_t              old_mask;
};

/* Started: spawned (GLib may already have reaped it and forgotten its pid)
 * or forked. */
static inline gboolean
lab_pool_worker_started (const LabPoolWorker *worker)
{
  return worker->subprocess != NULL || worker->pid != 0;
}

/* ---- lab-process-pool-io.c ---- */

gboolean  lab_pool_spawn_worker     (LabProcessPool       *pool,
                                     GSubprocessLauncher  *launcher,
                                     LabPoolWorker        *worker,
                                     GError              **error);
/* Adds the worker's lane (its pid is known by now); FALSE with @error
 * when the recorder has no room for another lane. */
gboolean  lab_pool_add_lane         (LabProcessPool  *pool,
                                     LabPoolWorker   *worker,
                                     GError         **error);
/* One round of poll(): writes what is pending, reads and handles what came.
 * @timeout_ms -1 waits until something happens. FALSE with @error on a
 * dead worker, garbage, an ERROR frame, or Stop. */
gboolean  lab_pool_poll             (LabProcessPool  *pool,
                                     gint             timeout_ms,
                                     GError         **error);
/* Writes the worker's pending frames as far as the pipe takes them.
 * FALSE with @error if it is gone. */
gboolean  lab_pool_write_worker     (LabProcessPool  *pool,
                                     LabPoolWorker   *worker,
                                     GError         **error);
/* Records an EVENTS frame's events on the worker's lane. */
gboolean  lab_pool_take_events      (LabProcessPool      *pool,
                                     LabPoolWorker       *worker,
                                     const LabWireFrame  *frame,
                                     GError             **error);
/* Closes the spans left open on the worker's lane and marks why. */
void      lab_pool_close_lane       (LabPoolWorker *worker,
                                     guint16        flags,
                                     const char    *label);
/* SIGKILL to the worker, if it still runs. */
void      lab_pool_kill_worker      (LabPoolWorker  *worker);
/* How often a worker is asked to send PROGRESS (0: never). */
guint32   lab_pool_heartbeat_ms     (LabProcessPool *pool);
void      lab_pool_block_sigpipe    (LabProcessPool *pool);
void      lab_pool_unblock_sigpipe  (LabProcessPool *pool);

/* ---- lab-process-pool-reap.c ---- */

/* Waits until every worker not yet reaped (or just @only, if not NULL)
 * is; after @grace_ms the ones still running get SIGKILL (0: at once). */
void      lab_pool_reap             (LabProcessPool *pool,
                                     LabPoolWorker  *only,
                                     guint           grace_ms);
/* The worker ended or broke its pipe: reaps it and says how it ended,
 * naming the task it was running. Always FALSE. */
gboolean  lab_pool_worker_lost      (LabProcessPool  *pool,
                                     LabPoolWorker   *worker,
                                     GError         **error);
/* "task 7" or "tasks 4–7" (caller frees). */
char     *lab_pool_describe_tasks   (guint first,
                                     guint n);

/* ---- lab-process-pool.c ---- */

/* A complete frame from @worker. */
gboolean  lab_pool_handle_frame     (LabProcessPool      *pool,
                                     LabPoolWorker       *worker,
                                     const LabWireFrame  *frame,
                                     GError             **error);
/* The task being written to @worker is all written. */
void      lab_pool_sent             (LabProcessPool *pool,
                                     LabPoolWorker  *worker);
/* SIGKILL to every worker still running (marked with @why on its lane),
 * all reaped; the pool is then broken. */
void      lab_pool_kill_all         (LabProcessPool *pool,
                                     const char     *why);
/* The parent's lane, if recording (label interned when not NULL). */
void      lab_pool_parent_record    (LabProcessPool *pool,
                                     LabEventKind    kind,
                                     LabState        state,
                                     guint16         flags,
                                     const char     *label,
                                     gint64          value,
                                     guint32         flow);

G_END_DECLS
