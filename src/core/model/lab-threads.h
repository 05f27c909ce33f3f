/* lab-threads.h — what every thread experiment does with its workers.
 *
 * Each worker thread gets its own timeline lane ("Thread 0", "Thread 1" …);
 * the main thread marks every start on its lane and shows every join as a
 * waiting span, so the timeline reads like the Python code:
 * `worker.start()` … `worker.join()`.
 *
 * An experiment's worker struct starts with a LabThread; the helpers walk
 * an array of such structs with its element size:
 *
 *   typedef struct { LabThread thread; Shared *shared; } Worker;
 *   n = lab_threads_start (ctx, "lab-hello", worker_main,
 *                          workers, sizeof *workers, n_threads, &error);
 *   lab_threads_join (ctx, workers, sizeof *workers, n, n_threads);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment.h"
#include "lab-interp.h"

G_BEGIN_DECLS

typedef struct
{
  LabLane *lane;   /* the worker's lane; lab_threads_start() adds it if NULL */
  GThread *thread; /* NULL until started, and again once joined */
  guint    index;  /* set by lab_threads_start(): 0, 1, 2 … */
} LabThread;

/* Adds the lane of worker @index, named "Thread @index". Returns NULL with
 * @error set when the timeline has no room for it. */
LabLane  *lab_thread_add_lane  (LabRunContext  *ctx,
                                guint           index,
                                GError        **error);
/* Marks @call (e.g. "start(2)") on the main lane, then starts a thread named
 * @name running @func (@data). On failure @error says "Could not start a
 * thread: …". */
gboolean  lab_thread_start     (LabThread      *thread,
                                LabRunContext  *ctx,
                                const char     *call,
                                const char     *name,
                                GThreadFunc     func,
                                gpointer        data,
                                GError        **error);
/* Joins @thread, if it runs, inside a waiting span @call (e.g. "join(2)")
 * on the main lane. */
void      lab_thread_join      (LabThread      *thread,
                                LabRunContext  *ctx,
                                const char     *call);

/* Starts the workers one after another, each after a "start(i)" mark:
 * adds the lanes still missing, calls @func with the worker. Stops early on
 * Stop or an error (@error set). Returns how many started: the first ones. */
guint     lab_threads_start    (LabRunContext  *ctx,
                                const char     *name,
                                GThreadFunc     func,
                                gpointer        workers,
                                gsize           worker_size,
                                guint           n_workers,
                                GError        **error);
/* Joins the first @n_started workers in order, each in a "join(i)" span.
 * With @n_total > 0 the run's progress is (i + 1) / @n_total after each. */
void      lab_threads_join     (LabRunContext  *ctx,
                                gpointer        workers,
                                gsize           worker_size,
                                guint           n_started,
                                guint           n_total);

/* lab_thread_start() and lab_thread_join() for a thread that stands for a
 * Python thread of @interp, as described below; @func gets @thread. With
 * @interp NULL they are the plain ones. */
gboolean  lab_thread_start_python  (LabThread      *thread,
                                    LabRunContext  *ctx,
                                    LabInterp      *interp,
                                    const char     *call,
                                    const char     *name,
                                    GThreadFunc     func,
                                    GError        **error);
void      lab_thread_join_python   (LabThread      *thread,
                                    LabRunContext  *ctx,
                                    LabInterp      *interp,
                                    const char     *call);

/* The same for threads that stand for Python threads of @interp, which the
 * calling (main) thread has entered. Like Thread.start(), each start
 * releases the GIL and waits until the new thread has taken it and started;
 * the thread runs @func inside the interpreter (lab_interp_enter() before,
 * lab_interp_leave() after) with its lane bound. Each join releases the GIL
 * while it waits, as Thread.join() does. With @interp NULL these are
 * lab_threads_start() and lab_threads_join(). */
guint     lab_threads_start_python (LabRunContext  *ctx,
                                    LabInterp      *interp,
                                    const char     *name,
                                    GThreadFunc     func,
                                    gpointer        workers,
                                    gsize           worker_size,
                                    guint           n_workers,
                                    GError        **error);
void      lab_threads_join_python  (LabRunContext  *ctx,
                                    LabInterp      *interp,
                                    gpointer        workers,
                                    gsize           worker_size,
                                    guint           n_started,
                                    guint           n_total);

G_END_DECLS
