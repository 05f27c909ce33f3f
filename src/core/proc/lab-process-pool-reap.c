/* lab-process-pool-reap.c — the end of a LabProcessPool's workers:
 * waiting for them (spawned ones through GSubprocess, forked ones through
 * the fork server, which is their parent), SIGKILL after a grace time,
 * and one line that says how a worker died and which task it was running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <signal.h>
#include <sys/wait.h>

#include "lab-child.h"
#include "lab-process-pool-private.h"

/* A killed worker is reaped within milliseconds; this guards against a
 * hang if it somehow is not. */
#define LAB_POOL_REAP_LIMIT_MS 5000

static void
on_waited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LabPoolWorker *worker = user_data;

  worker->wait_pending = FALSE;
  worker->reaped = g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  if (worker->reaped)
    worker->wait_status = g_subprocess_get_status (worker->subprocess);
}

static gboolean
on_reap_deadline (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  return G_SOURCE_REMOVE;
}

/* lab_pool_reap() for forked workers: the fork server reaps them and
 * says so. */
static void
reap_forked (LabProcessPool *pool,
             LabPoolWorker  *only,
             guint           grace_ms)
{
  gint64 start = lab_clock_now_ns ();
  gint64 grace_end = start + (gint64) grace_ms * 1000000;
  gint64 limit = grace_end + (gint64) LAB_POOL_REAP_LIMIT_MS * 1000000;
  gboolean killed = grace_ms == 0;

  if (killed)
    for (guint i = 0; i < pool->n_workers; i++)
      if (only == NULL || &pool->workers[i] == only)
        lab_pool_kill_worker (&pool->workers[i]);

  for (;;)
    {
      gint64 now = lab_clock_now_ns ();
      gint64 until = killed ? limit : grace_end;
      gint pid, status;
      guint left = 0;

      for (guint i = 0; i < pool->n_workers; i++)
        {
          LabPoolWorker *worker = &pool->workers[i];

          left += worker->pid != 0 && !worker->reaped && (only == NULL || worker == only);
        }
      if (left == 0)
        return;
      if (now >= until)
        {
          if (killed)
            {
              g_warning ("Worker processes did not end after SIGKILL");
              return;
            }
          for (guint i = 0; i < pool->n_workers; i++)
            if (only == NULL || &pool->workers[i] == only)
              lab_pool_kill_worker (&pool->workers[i]);
          killed = TRUE;
          continue;
        }
      if (!lab_fork_server_next_exit (pool->server, (gint) ((until - now) / 1000000 + 1),
                                      &pid, &status))
        {
          /* Its children got SIGKILL when it died (PR_SET_PDEATHSIG), and
           * init reaps them: nobody is left to say more. */
          if (lab_fork_server_is_gone (pool->server))
            for (guint i = 0; i < pool->n_workers; i++)
              if (pool->workers[i].pid != 0 && !pool->workers[i].reaped)
                {
                  lab_pool_kill_worker (&pool->workers[i]);
                  pool->workers[i].reaped = TRUE;
                  pool->workers[i].wait_status = SIGKILL;
                }
          continue;
        }
      for (guint i = 0; i < pool->n_workers; i++)
        if (pool->workers[i].pid == pid)
          {
            pool->workers[i].reaped = TRUE;
            pool->workers[i].wait_status = status;
          }
    }
}

void
lab_pool_reap (LabProcessPool *pool,
               LabPoolWorker  *only,
               guint           grace_ms)
{
  GMainContext *context = g_main_context_new ();
  gboolean grace_over = grace_ms == 0, limit_reached = FALSE, killed = FALSE;
  GSource *grace = NULL, *limit;
  guint left = 0;

  if (pool->server != NULL)
    {
      g_main_context_unref (context);
      reap_forked (pool, only, grace_ms);
      return;
    }

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < pool->n_workers; i++)
    {
      LabPoolWorker *worker = &pool->workers[i];

      if (worker->subprocess == NULL || worker->reaped || (only != NULL && worker != only))
        continue;
      worker->wait_pending = TRUE;
      g_subprocess_wait_async (worker->subprocess, NULL, on_waited, worker);
      left++;
    }

  if (grace_ms > 0)
    {
      grace = g_timeout_source_new (grace_ms);
      g_source_set_callback (grace, on_reap_deadline, &grace_over, NULL);
      g_source_attach (grace, context);
    }
  limit = g_timeout_source_new (grace_ms + LAB_POOL_REAP_LIMIT_MS);
  g_source_set_callback (limit, on_reap_deadline, &limit_reached, NULL);
  g_source_attach (limit, context);

  while (left > 0)
    {
      if (grace_over && !killed)
        {
          for (guint i = 0; i < pool->n_workers; i++)
            if (pool->workers[i].wait_pending)
              g_subprocess_force_exit (pool->workers[i].subprocess);
          killed = TRUE;
        }
      if (limit_reached)
        {
          g_warning ("Worker processes did not end after SIGKILL");
          break;
        }
      g_main_context_iteration (context, TRUE);

      left = 0;
      for (guint i = 0; i < pool->n_workers; i++)
        left += pool->workers[i].wait_pending;
    }

  if (grace != NULL)
    {
      g_source_destroy (grace);
      g_source_unref (grace);
    }
  g_source_destroy (limit);
  g_source_unref (limit);
  /* Nothing of ours may be left on the context once it goes away. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

char *
lab_pool_describe_tasks (guint first,
                         guint n)
{
  if (n == 1)
    /* Translators: which task a worker process was running */
    return g_strdup_printf (_("task %u"), first);
  /* Translators: which tasks (a chunk) a worker process was running,
   * e.g. "tasks 4–7" */
  return g_strdup_printf (_("tasks %u–%u"), first, first + n - 1);
}

gboolean
lab_pool_worker_lost (LabProcessPool  *pool,
                      LabPoolWorker   *worker,
                      GError         **error)
{
  g_autofree char *tasks = NULL;
  g_autofree char *message = NULL;
  const char *signal_name;
  gint signum = 0;

  /* It died or is about to (its pipes are closed): reap it; should it
   * linger, it gets SIGKILL after a moment. */
  lab_pool_reap (pool, worker, 500);

  if (worker->busy)
    tasks = lab_pool_describe_tasks (worker->chunk_first, worker->chunk_n);

  if (worker->reaped && WIFSIGNALED (worker->wait_status))
    {
      signum = WTERMSIG (worker->wait_status);
      signal_name = lab_signal_name (signum);
      if (signal_name == NULL)
        signal_name = "?";
      if (tasks != NULL)
        /* Translators: a worker process died; "%s" at the end is which
         * task(s) it was running, e.g. "task 7".
         * Example: "Worker 2 (pid 4711) was killed by signal 11 (SIGSEGV) while running task 7" */
        message = g_strdup_printf (_("Worker %u (pid %d) was killed by signal %d (%s) while running %s"),
                                   worker->index, worker->pid, signum, signal_name, tasks);
      else
        /* Translators: a worker process died while it had nothing to do */
        message = g_strdup_printf (_("Worker %u (pid %d) was killed by signal %d (%s)"),
                                   worker->index, worker->pid, signum, signal_name);
    }
  else
    {
      gint status = worker->reaped ? WEXITSTATUS (worker->wait_status) : -1;

      if (tasks != NULL)
        /* Translators: a worker process ended by itself; the last %s is
         * which task(s) it was running, e.g. "task 7" */
        message = g_strdup_printf (_("Worker %u (pid %d) exited with status %d while running %s"),
                                   worker->index, worker->pid, status, tasks);
      else
        /* Translators: a worker process ended by itself while it had
         * nothing to do */
        message = g_strdup_printf (_("Worker %u (pid %d) exited with status %d"),
                                   worker->index, worker->pid, status);
    }

  lab_pool_close_lane (worker, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, message);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, message);
  return FALSE;
}
