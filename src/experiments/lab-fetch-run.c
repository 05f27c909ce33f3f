/* lab-fetch-run.c — three ways to run a list of requests:
 *
 *   sequential  one after another on the calling thread, each blocking it
 *               as requests.get() does;
 *   threads     a pool of threads, each with one easy handle, each taking
 *               the next URL when it is free (ThreadPoolExecutor.map);
 *   event loop  every request on the calling thread with curl's multi
 *               interface, the way asyncio runs coroutines.
 *
 * Every transfer runs through a multi handle, even the blocking ones:
 * curl_easy_perform() does exactly that inside, but its poll cannot be
 * interrupted, so a Stop could wait up to a second. Our own poll is woken
 * by curl_multi_wakeup() the moment the run is cancelled.
 *
 * In the event loop, overlapping requests cannot share one lane (spans on a
 * lane nest, they do not overlap), so each request gets a lane of its own,
 * "Request N", all written by the loop's thread; the loop's own lane shows
 * it waiting in poll() between bursts of work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-fetch.h"
#include "lab-threads.h"

/* Longest poll without news from curl (curl's own timers shorten it). */
#define LAB_FETCH_POLL_MS 1000

/* A multi handle woken by curl_multi_wakeup() the moment the run is
 * stopped, so that a poll never outlasts a Stop. */
typedef struct
{
  CURLM        *multi;
  GCancellable *cancellable;
  gulong        handler_id;
} LabFetchWaker;

/* ---- waiting for curl, but not past a Stop ---- */

static void
on_cancelled (GCancellable *cancellable,
              gpointer      multi)
{
  curl_multi_wakeup (multi);
}

static LabFetchWaker *
lab_fetch_waker_new (LabRunContext *ctx)
{
  LabFetchWaker *waker = g_new0 (LabFetchWaker, 1);

  waker->multi = curl_multi_init ();
  g_assert (waker->multi != NULL);
  waker->cancellable = g_object_ref (lab_run_context_get_cancellable (ctx));
  /* Runs at once if the run is already cancelled. */
  waker->handler_id = g_cancellable_connect (waker->cancellable, G_CALLBACK (on_cancelled),
                                             waker->multi, NULL);
  return waker;
}

static void
lab_fetch_waker_free (LabFetchWaker *waker)
{
  /* Waits for a wake-up running on another thread before the multi goes. */
  g_cancellable_disconnect (waker->cancellable, waker->handler_id);
  g_object_unref (waker->cancellable);
  curl_multi_cleanup (waker->multi);
  g_free (waker);
}

/* One request, blocking the calling thread as requests.get() would. */
static void
fetch_one (LabFetchJob     *job,
           LabFetchWaker   *waker,
           CURL            *easy,
           LabFetchRequest *request,
           LabLane         *lane,
           gint             worker)
{
  CURLcode code = CURLE_ABORTED_BY_CALLBACK; /* unless it finishes */
  gboolean done = FALSE;

  if (!lab_fetch_begin (job, request, easy, lane, worker))
    return;

  curl_multi_add_handle (waker->multi, easy);
  while (!done && !lab_run_context_is_cancelled (job->ctx))
    {
      CURLMsg *message;
      int running = 0, left = 0;

      if (curl_multi_perform (waker->multi, &running) != CURLM_OK)
        {
          code = CURLE_FAILED_INIT; /* curl itself is broken: say so */
          break;
        }
      while ((message = curl_multi_info_read (waker->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE)
          {
            code = message->data.result;
            done = TRUE;
          }
      if (!done)
        curl_multi_poll (waker->multi, NULL, 0, LAB_FETCH_POLL_MS, NULL);
    }
  curl_multi_remove_handle (waker->multi, easy);

  lab_fetch_finish (job, request, easy, code);
}

/* ---- one after another ---- */

static gboolean
run_sequential (LabFetchJob     *job,
                LabFetchRequest *requests,
                guint            n_requests,
                LabLane         *lane)
{
  LabFetchWaker *waker = lab_fetch_waker_new (job->ctx);
  CURL *easy = lab_fetch_easy_new (job);

  for (guint i = 0; i < n_requests && !lab_run_context_is_cancelled (job->ctx); i++)
    fetch_one (job, waker, easy, &requests[i], lane, -1);

  curl_easy_cleanup (easy);
  lab_fetch_waker_free (waker);
  return !lab_run_context_is_cancelled (job->ctx);
}

/* ---- a pool of threads ---- */

typedef struct
{
  LabFetchJob     *job;
  LabFetchRequest *requests;
  guint            n_requests;
  gint             next;      /* atomic: the next request to take */
} LabFetchPool;

typedef struct
{
  LabThread     thread; /* first: see lab-threads.h */
  LabFetchPool *pool;
} LabFetchWorker;

static gpointer
lab_fetch_worker_main (gpointer data)
{
  LabFetchWorker *worker = data;
  LabFetchPool *pool = worker->pool;
  LabFetchJob *job = pool->job;
  LabFetchWaker *waker;
  CURL *easy;

  lab_lane_bind_thread (worker->thread.lane);
  /* Translators: a span on a worker thread's lane: the thread's life in
   * the thread pool, during which it takes one URL after another */
  lab_lane_begin (worker->thread.lane, LAB_STATE_RUNNING, lab_recorder_intern (job->recorder, _("pool worker")));

  waker = lab_fetch_waker_new (job->ctx);
  easy = lab_fetch_easy_new (job);

  /* Like ThreadPoolExecutor.map: each free thread takes the next URL. */
  while (!lab_run_context_is_cancelled (job->ctx))
    {
      gint i = g_atomic_int_add (&pool->next, 1);

      if (i >= (gint) pool->n_requests)
        break;
      fetch_one (job, waker, easy, &pool->requests[i], worker->thread.lane, (gint) worker->thread.index);
    }

  curl_easy_cleanup (easy);
  lab_fetch_waker_free (waker);
  lab_lane_end (worker->thread.lane);
  lab_lane_record_thread_stats (worker->thread.lane);
  return NULL;
}

static gboolean
run_threads (LabFetchJob     *job,
             LabFetchRequest *requests,
             guint            n_requests,
             LabLane         *main_lane)
{
  LabFetchPool pool = { job, requests, n_requests, 0 };
  guint n_threads = MAX (MIN (job->concurrency, n_requests), 1);
  LabFetchWorker *workers = g_new0 (LabFetchWorker, n_threads);
  GError *error = NULL;
  guint n_started;

  for (guint i = 0; i < n_threads; i++)
    workers[i].pool = &pool;
  n_started = lab_threads_start (job->ctx, "lab-fetch", lab_fetch_worker_main,
                                 workers, sizeof *workers, n_threads, &error);
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      g_clear_error (&error);
    }

  /* If no thread could start, the calling thread does the work itself. */
  if (n_started == 0 && !lab_run_context_is_cancelled (job->ctx))
    run_sequential (job, requests, n_requests, main_lane);

  lab_threads_join (job->ctx, workers, sizeof *workers, n_started, 0);

  g_free (workers);
  return !lab_run_context_is_cancelled (job->ctx);
}

/* ---- an event loop on one thread ---- */

/* Finishes every transfer curl reports done; returns how many. */
static guint
collect_done (LabFetchJob *job,
              CURLM       *multi,
              GPtrArray   *idle)
{
  CURLMsg *message;
  int left = 0;
  guint n = 0;

  while ((message = curl_multi_info_read (multi, &left)) != NULL)
    {
      /* The message does not outlive remove_handle: copy it first. */
      CURL *easy = message->easy_handle;
      CURLcode code = message->data.result;
      LabFetchRequest *request = NULL;

      if (message->msg != CURLMSG_DONE)
        continue;

      curl_easy_getinfo (easy, CURLINFO_PRIVATE, (char **) &request);
      curl_multi_remove_handle (multi, easy);
      lab_fetch_finish (job, request, easy, code);
      g_ptr_array_add (idle, easy);
      n++;
    }
  return n;
}

static gboolean
run_event_loop (LabFetchJob      *job,
                LabFetchRequest  *requests,
                guint             n_requests,
                LabLane          *main_lane,
                GError          **error)
{
  LabFetchWaker *waker = lab_fetch_waker_new (job->ctx);
  CURLM *multi = waker->multi;
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func ((GDestroyNotify) curl_easy_cleanup);
  guint limit = MAX (MIN (job->concurrency, n_requests), 1);
  guint32 poll_label = lab_recorder_intern (job->recorder, "poll()");
  guint next = 0, active = 0, n_easy = 0;
  gboolean full = FALSE;

  while (!full && !lab_run_context_is_cancelled (job->ctx))
    {
      int running = 0;

      /* Start new transfers while there is room (asyncio.Semaphore). */
      while (active < limit && next < n_requests)
        {
          LabFetchRequest *request = &requests[next];
          g_autofree char *name = NULL;
          LabLane *lane;
          CURL *easy;

          /* Translators: the name of a lane on the timeline for one request
           * of the event loop (all of them run on the same thread) */
          name = g_strdup_printf (_("Request %u"), next + 1);
          lane = lab_recorder_try_add_lane (job->recorder, LAB_LANE_RESOURCE, name, error);
          if (lane == NULL)
            {
              /* No room on the timeline: the requests in flight end below,
               * the rest are never started. */
              full = TRUE;
              break;
            }
          lab_lane_bind_thread (lane);
          next++;

          if (idle->len > 0)
            easy = g_ptr_array_steal_index_fast (idle, idle->len - 1);
          else
            {
              easy = lab_fetch_easy_new (job);
              n_easy++;
            }

          if (!lab_fetch_begin (job, request, easy, lane, -1))
            {
              g_ptr_array_add (idle, easy);
              continue;
            }
          curl_multi_add_handle (multi, easy);
          active++;
        }

      if (full || active == 0)
        break;

      if (curl_multi_perform (multi, &running) != CURLM_OK)
        break;
      active -= collect_done (job, multi, idle);

      if (active < limit && next < n_requests)
        continue;
      if (active == 0)
        continue;

      /* One wait for every socket at once. */
      lab_lane_begin (main_lane, LAB_STATE_WAITING, poll_label);
      curl_multi_poll (multi, NULL, 0, LAB_FETCH_POLL_MS, NULL);
      lab_lane_end (main_lane);
    }

  /* Stopped (or curl broke down): what is still in flight ends here. */
  for (guint i = 0; i < next; i++)
    {
      CURL *easy = requests[i].easy;

      if (easy == NULL || requests[i].finished)
        continue;
      curl_multi_remove_handle (multi, easy);
      lab_fetch_finish (job, &requests[i], easy,
                        lab_run_context_is_cancelled (job->ctx) ? CURLE_ABORTED_BY_CALLBACK
                                                                : CURLE_FAILED_INIT);
      g_ptr_array_add (idle, easy);
    }

  g_assert_cmpuint (idle->len, ==, n_easy);
  g_clear_pointer (&idle, g_ptr_array_unref);
  lab_fetch_waker_free (waker);
  return !full && !lab_run_context_is_cancelled (job->ctx);
}

gboolean
lab_fetch_run (LabFetchJob      *job,
               LabFetchRequest  *requests,
               guint             n_requests,
               LabLane          *main_lane,
               GError          **error)
{
  lab_fetch_global_init ();
  job->start_ns = lab_clock_now_ns ();

  switch (job->mode)
    {
    case LAB_FETCH_SEQUENTIAL:
      return run_sequential (job, requests, n_requests, main_lane);
    case LAB_FETCH_THREADS:
      return run_threads (job, requests, n_requests, main_lane);
    case LAB_FETCH_EVENT_LOOP:
      return run_event_loop (job, requests, n_requests, main_lane, error);
    default:
      g_assert_not_reached ();
    }
}
