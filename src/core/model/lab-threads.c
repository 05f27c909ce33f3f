/* lab-threads.c — starting and joining an experiment's worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-threads.h"

static LabThread *
nth_thread (gpointer workers,
            gsize    worker_size,
            guint    i)
{
  return (LabThread *) ((guint8 *) workers + worker_size * i);
}

LabLane *
lab_thread_add_lane (LabRunContext  *ctx,
                     guint           index,
                     GError        **error)
{
  /* Translators: the name of a worker thread's lane on the timeline */
  g_autofree char *name = g_strdup_printf (_("Thread %u"), index);

  return lab_recorder_try_add_lane (lab_run_context_get_recorder (ctx), LAB_LANE_THREAD,
                                    name, error);
}

gboolean
lab_thread_start (LabThread      *thread,
                  LabRunContext  *ctx,
                  const char     *call,
                  const char     *name,
                  GThreadFunc     func,
                  gpointer        data,
                  GError        **error)
{
  GError *local_error = NULL;

  lab_lane_mark (lab_run_context_get_main_lane (ctx),
                 lab_recorder_intern (lab_run_context_get_recorder (ctx), call),
                 thread->index, LAB_EVENT_FLAG_NONE, 0);
  thread->thread = g_thread_try_new (name, func, data, &local_error);
  if (thread->thread == NULL)
    {
      g_propagate_prefixed_error (error, local_error, _("Could not start a thread: "));
      return FALSE;
    }
  return TRUE;
}

void
lab_thread_join (LabThread      *thread,
                 LabRunContext  *ctx,
                 const char     *call)
{
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);

  if (thread->thread == NULL)
    return;
  lab_lane_begin (main_lane, LAB_STATE_WAITING,
                  lab_recorder_intern (lab_run_context_get_recorder (ctx), call));
  g_thread_join (thread->thread);
  lab_lane_end (main_lane);
  thread->thread = NULL;
}

/* What Thread.start() hands its new thread: lives on the starting thread's
 * stack until `started` is set. */
typedef struct
{
  LabInterp  *interp;
  LabThread  *thread;
  GThreadFunc func;
  GMutex      mutex;
  GCond       cond;
  gboolean    started;
} LabThreadBoot;

static gpointer
lab_thread_boot_main (gpointer data)
{
  LabThreadBoot *boot = data;
  LabInterp *interp = boot->interp;
  LabThread *thread = boot->thread;
  GThreadFunc func = boot->func;
  gpointer result;

  /* As CPython's new thread: take the GIL, then set `_started`, still
   * holding it. From the unlock on, `boot` may be gone. */
  lab_lane_bind_thread (thread->lane);
  lab_interp_enter (interp, thread->lane);
  g_mutex_lock (&boot->mutex);
  boot->started = TRUE;
  g_cond_signal (&boot->cond);
  g_mutex_unlock (&boot->mutex);

  result = func (thread);
  lab_interp_leave (interp, thread->lane);
  return result;
}

/* Thread.start(): start, wait for `_started` without the GIL, take the GIL
 * back (usually only once the new thread lets go of it). */
gboolean
lab_thread_start_python (LabThread      *thread,
                         LabRunContext  *ctx,
                         LabInterp      *interp,
                         const char     *call,
                         const char     *name,
                         GThreadFunc     func,
                         GError        **error)
{
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  LabThreadBoot boot = { interp, thread, func };
  gboolean ok;

  if (interp == NULL)
    return lab_thread_start (thread, ctx, call, name, func, thread, error);

  g_mutex_init (&boot.mutex);
  g_cond_init (&boot.cond);
  /* The thread is created with the GIL still held (as _start_new_thread()
   * does); the wait for `_started` lets go of it. Other threads may wait
   * for the GIL too (one back from time.sleep(0), say), but they sleep in a
   * timed wait while the new thread is running and asks for it: in CPython
   * the new thread gets there first, and so it does here. */
  ok = lab_thread_start (thread, ctx, call, name, lab_thread_boot_main, &boot, error);
  if (ok)
    lab_interp_block_begin_for (interp, main_lane, thread->lane);
  else
    lab_interp_block_begin (interp, main_lane);
  g_mutex_lock (&boot.mutex);
  while (ok && !boot.started)
    g_cond_wait (&boot.cond, &boot.mutex);
  g_mutex_unlock (&boot.mutex);
  if (ok)
    lab_interp_block_end_for (interp, main_lane);
  else
    lab_interp_block_end (interp, main_lane);
  g_cond_clear (&boot.cond);
  g_mutex_clear (&boot.mutex);
  return ok;
}

guint
lab_threads_start_python (LabRunContext  *ctx,
                          LabInterp      *interp,
                          const char     *name,
                          GThreadFunc     func,
                          gpointer        workers,
                          gsize           worker_size,
                          guint           n_workers,
                          GError        **error)
{
  guint n_started = 0;

  g_return_val_if_fail (worker_size >= sizeof (LabThread), 0);

  for (guint i = 0; i < n_workers; i++)
    {
      LabThread *thread = nth_thread (workers, worker_size, i);
      g_autofree char *call = NULL;

      /* Workers that were never started are simply not joined; a Stop
       * ends the starting, and what runs is joined by the caller. */
      if (lab_run_context_is_cancelled (ctx))
        break;

      thread->index = i;
      if (thread->lane == NULL)
        thread->lane = lab_thread_add_lane (ctx, i, error);
      if (thread->lane == NULL)
        break;

      call = g_strdup_printf ("start(%u)", i);
      if (!lab_thread_start_python (thread, ctx, interp, call, name, func, error))
        break;
      n_started++;
    }
  return n_started;
}

void
lab_thread_join_python (LabThread     *thread,
                        LabRunContext *ctx,
                        LabInterp     *interp,
                        const char    *call)
{
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);

  if (thread->thread == NULL)
    return;
  if (interp != NULL)
    lab_interp_block_begin (interp, main_lane);
  lab_thread_join (thread, ctx, call);
  if (interp != NULL)
    lab_interp_block_end (interp, main_lane);
}

guint
lab_threads_start (LabRunContext  *ctx,
                   const char     *name,
                   GThreadFunc     func,
                   gpointer        workers,
                   gsize           worker_size,
                   guint           n_workers,
                   GError        **error)
{
  return lab_threads_start_python (ctx, NULL, name, func, workers, worker_size, n_workers,
                                   error);
}

void
lab_threads_join_python (LabRunContext *ctx,
                         LabInterp     *interp,
                         gpointer       workers,
                         gsize          worker_size,
                         guint          n_started,
                         guint          n_total)
{
  for (guint i = 0; i < n_started; i++)
    {
      g_autofree char *call = g_strdup_printf ("join(%u)", i);

      lab_thread_join_python (nth_thread (workers, worker_size, i), ctx, interp, call);
      if (n_total > 0)
        lab_run_context_set_progress (ctx, (double) (i + 1) / n_total);
    }
}

void
lab_threads_join (LabRunContext *ctx,
                  gpointer       workers,
                  gsize          worker_size,
                  guint          n_started,
                  guint          n_total)
{
  lab_threads_join_python (ctx, NULL, workers, worker_size, n_started, n_total);
}
