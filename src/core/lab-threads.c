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

guint
lab_threads_start (LabRunContext  *ctx,
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
      if (!lab_thread_start (thread, ctx, call, name, func, thread, error))
        break;
      n_started++;
    }
  return n_started;
}

void
lab_threads_join (LabRunContext *ctx,
                  gpointer       workers,
                  gsize          worker_size,
                  guint          n_started,
                  guint          n_total)
{
  for (guint i = 0; i < n_started; i++)
    {
      g_autofree char *call = g_strdup_printf ("join(%u)", i);

      lab_thread_join (nth_thread (workers, worker_size, i), ctx, call);
      if (n_total > 0)
        lab_run_context_set_progress (ctx, (double) (i + 1) / n_total);
    }
}
