/* lab-worker.h — the insides of the worker helper (concurrency-lab-worker),
 * shared by its protocol loop (lab-worker.c) and its task functions
 * (lab-worker-tasks.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-event.h"
#include "lab-wire.h"

G_BEGIN_DECLS

/* Exit statuses (0: told to quit, or the parent closed the pipe). */
#define LAB_WORKER_EXIT_PROTOCOL 2 /* garbage on the pipe, or a write failed */
#define LAB_WORKER_EXIT_USAGE    3 /* started by hand, not by the app */

typedef struct
{
  int            in_fd;    /* frames from the parent */
  int            out_fd;   /* frames to the parent */
  guint32        index;    /* the worker's number in its pool */
  gboolean       record;   /* record events and send them */
  /* The parent's __main__ has no file: a function defined there is found
   * only in what a forked worker inherited. */
  gboolean       main_no_file;
  /* A forked worker: the parent's data in the memory it copied (a dict,
   * see LabProcessPoolOptions.inherited); NULL otherwise. */
  LabPyValue    *inherited;

  LabWireReader *reader;
  LabWireWriter *writer;
  guint8        *staging;  /* bytes read ahead of the current frame */
  gsize          staged;
  gsize          staged_pos;

  /* Events recorded since the last batch, with the labels they use. */
  GArray        *events;   /* LabEvent */
  GHashTable    *label_ids; /* string -> id (this worker's own ids) */
  GArray        *new_ids;  /* guint32: labels not yet sent */
  GPtrArray     *new_labels; /* const char * (owned by label_ids) */

  volatile guint64 busy_state; /* the busywork's result */

  /* PROGRESS while a task computes (lab_worker_beat). */
  gint64         beat_ns;  /* 0: none asked for */
  gint64         next_beat_ns;
} LabWorker;

/* Records an event now, labelled with @label (may be NULL). */
void      lab_worker_record      (LabWorker    *worker,
                                  LabEventKind  kind,
                                  LabState      state,
                                  guint16       flags,
                                  const char   *label,
                                  gint64        value,
                                  guint32       flow);
/* Same, at @ts_ns. */
void      lab_worker_record_at   (LabWorker    *worker,
                                  gint64        ts_ns,
                                  LabEventKind  kind,
                                  LabState      state,
                                  guint16       flags,
                                  const char   *label,
                                  gint64        value,
                                  guint32       flow);
/* Puts the recorded events (if any) into an EVENTS frame of the writer. */
void      lab_worker_put_events  (LabWorker *worker);
/* Writes all the writer holds (blocking); exits the process if the parent
 * is gone. */
void      lab_worker_flush       (LabWorker *worker);

/* Runs one TASK frame: its items one after another, then writes RESULT
 * (and EVENTS); ERROR instead if the task cannot be run. */
void      lab_worker_run_task    (LabWorker         *worker,
                                  const LabWireTask *task,
                                  gint64             receive_begin_ns,
                                  gint64             receive_end_ns,
                                  gsize              frame_bytes);

/* The fork-server loop (lab-worker-fork.c). Returns only in a forked
 * child, with its stdin and stdout set up, giving what it inherited (may be
 * NULL); the server itself exits in it. */
LabPyValue *lab_worker_fork_server (void);

G_END_DECLS
