/* lab-gil.c — the emulated interpreter lock.
 *
 * pthread primitives rather than GMutex/GCond: ThreadSanitizer intercepts
 * them, so the recording done under this lock is seen as ordered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "lab-gil.h"

struct _LabGil
{
  pthread_mutex_t  mutex;
  pthread_cond_t   cond;         /* signalled when the lock is released */
  pthread_cond_t   switch_cond;  /* signalled when the lock is taken */

  gboolean         locked;
  LabLane         *holder;       /* current or last holder */
  guint64          switch_number;
  guint            n_waiters;    /* threads inside lab_gil_acquire() */
  guint            n_pending;    /* released with a next, not yet back */
  LabLane         *reserved_for; /* lab_gil_release_to(): goes to this one */
  gint64           reserved_until;
  atomic_bool      drop_request;

  gint64           interval_ns;
  LabRecorder     *recorder;
  LabLane         *gil_lane;
  guint32          handoff_flow; /* from the last forced release */
  LabLane         *handoff_from; /* ... by this thread */
  gint64           drop_requested_at;

  guint32          label_drop;
  guint32          label_released;
  guint32          label_taken;

  guint64          switches;
  guint64          drop_requests;
  GArray          *handoff_ns;   /* gint64 */
};

static void
deadline_after (struct timespec *ts,
                gint64           ns)
{
  clock_gettime (CLOCK_MONOTONIC, ts);
  ns += ts->tv_nsec;
  ts->tv_sec += ns / 1000000000;
  ts->tv_nsec = ns % 1000000000;
}

LabGil *
lab_gil_new (LabRecorder *recorder,
             LabLane     *gil_lane,
             gint64       switch_interval_ns)
{
  LabGil *gil = g_new0 (LabGil, 1);
  pthread_condattr_t attr;

  pthread_mutex_init (&gil->mutex, NULL);
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&gil->cond, &attr);
  pthread_cond_init (&gil->switch_cond, &attr);
  pthread_condattr_destroy (&attr);

  atomic_init (&gil->drop_request, FALSE);
  gil->interval_ns = MAX (switch_interval_ns, 1000);
  gil->recorder = lab_recorder_ref (recorder);
  gil->gil_lane = gil_lane;
  gil->label_drop = lab_recorder_intern (recorder, _("asks for the GIL"));
  gil->label_released = lab_recorder_intern (recorder, _("hands the GIL over"));
  gil->label_taken = lab_recorder_intern (recorder, _("takes the GIL"));
  gil->handoff_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
  return gil;
}

void
lab_gil_free (LabGil *gil)
{
  if (gil == NULL)
    return;
  g_assert (!gil->locked);
  pthread_mutex_destroy (&gil->mutex);
  pthread_cond_destroy (&gil->cond);
  pthread_cond_destroy (&gil->switch_cond);
  lab_recorder_unref (gil->recorder);
  g_array_unref (gil->handoff_ns);
  g_free (gil);
}

const atomic_bool *
lab_gil_get_drop_request (LabGil *gil)
{
  return &gil->drop_request;
}

/* With the mutex held: take the free lock. */
static void
take_locked (LabGil  *gil,
             LabLane *lane)
{
  gil->locked = TRUE;
  if (gil->holder != NULL && gil->holder != lane)
    gil->switches++;
  gil->holder = lane;
  gil->reserved_for = NULL;
  gil->switch_number++;

  if (atomic_load (&gil->drop_request))
    {
      gint64 latency = lab_clock_now_ns () - gil->drop_requested_at;

      atomic_store (&gil->drop_request, FALSE);
      g_array_append_val (gil->handoff_ns, latency);
    }

  if (gil->gil_lane != NULL)
    lab_lane_begin (gil->gil_lane, LAB_STATE_LOCK_HELD,
                    lab_recorder_intern (gil->recorder, lab_lane_get_name (lane)));
  /* The arrow of a forced release ends where another thread takes the
   * lock; when nobody came in time and the same thread took it back, there
   * was no hand-over to draw. */
  if (gil->handoff_flow != 0 && gil->handoff_from != lane)
    lab_lane_mark (lane, gil->label_taken, 0, LAB_EVENT_FLAG_FLOW_TARGET, gil->handoff_flow);
  gil->handoff_flow = 0;
  gil->handoff_from = NULL;

  /* Wake a thread that handed the lock over and waits to see it taken. */
  pthread_cond_broadcast (&gil->switch_cond);
}

/* With the mutex held: release it; a forced release leaves an arrow. */
static void
drop_locked (LabGil   *gil,
             LabLane  *lane,
             gboolean  forced)
{
  g_return_if_fail (gil->locked && gil->holder == lane);

  if (gil->gil_lane != NULL)
    lab_lane_end (gil->gil_lane);
  if (forced)
    {
      gil->handoff_flow = lab_recorder_new_flow (gil->recorder);
      gil->handoff_from = lane;
      lab_lane_mark (lane, gil->label_released, 0, LAB_EVENT_FLAG_FLOW_SOURCE, gil->handoff_flow);
    }
  gil->locked = FALSE;
  pthread_cond_signal (&gil->cond);
}

/* With the mutex held: may @lane not take the lock now? */
static gboolean
busy_locked (LabGil  *gil,
             LabLane *lane)
{
  if (gil->locked)
    return TRUE;
  return gil->reserved_for != NULL && gil->reserved_for != lane &&
         lab_clock_now_ns () < gil->reserved_until;
}

static void
acquire (LabGil   *gil,
         LabLane  *lane,
         gboolean  pending)
{
  gboolean waited = FALSE;

  pthread_mutex_lock (&gil->mutex);
  if (pending && gil->n_pending > 0)
    gil->n_pending--;
  while (busy_locked (gil, lane))
    {
      guint64 switch_number = gil->switch_number;
      struct timespec deadline;
      int rc;

      if (!waited)
        {
          lab_lane_begin (lane, LAB_STATE_GIL_WAIT, 0);
          gil->n_waiters++;
          waited = TRUE;
        }

      deadline_after (&deadline, gil->interval_ns);
      rc = pthread_cond_timedwait (&gil->cond, &gil->mutex, &deadline);

      /* A whole interval and the lock did not change hands: ask for it. */
      if (rc == ETIMEDOUT && gil->locked && gil->switch_number == switch_number &&
          !atomic_load (&gil->drop_request))
        {
          gil->drop_requested_at = lab_clock_now_ns ();
          gil->drop_requests++;
          atomic_store (&gil->drop_request, TRUE);
          lab_lane_mark (lane, gil->label_drop, 0, 0, 0);
        }
    }
  if (waited)
    {
      gil->n_waiters--;
      lab_lane_end (lane);
    }
  take_locked (gil, lane);
  pthread_mutex_unlock (&gil->mutex);
}

void
lab_gil_acquire (LabGil  *gil,
                 LabLane *lane)
{
  acquire (gil, lane, FALSE);
}

void
lab_gil_acquire_back (LabGil  *gil,
                      LabLane *lane)
{
  acquire (gil, lane, TRUE);
}

void
lab_gil_release (LabGil  *gil,
                 LabLane *lane)
{
  pthread_mutex_lock (&gil->mutex);
  drop_locked (gil, lane, atomic_load (&gil->drop_request));
  pthread_mutex_unlock (&gil->mutex);
}

/* With the mutex held, after @lane dropped the lock: wait until another
 * thread has taken it, so this one cannot take it straight back. Bounded, in
 * case no one comes. */
static void
wait_taken_locked (LabGil  *gil,
                   LabLane *lane)
{
  struct timespec deadline;

  deadline_after (&deadline, 10 * gil->interval_ns);
  while (gil->holder == lane && !gil->locked)
    if (pthread_cond_timedwait (&gil->switch_cond, &gil->mutex, &deadline) == ETIMEDOUT)
      break;
}

gboolean
lab_gil_yield (LabGil  *gil,
               LabLane *lane)
{
  pthread_mutex_lock (&gil->mutex);
  if (!atomic_load (&gil->drop_request) || !gil->locked || gil->holder != lane)
    {
      pthread_mutex_unlock (&gil->mutex);
      return FALSE;
    }

  drop_locked (gil, lane, TRUE);

  /* Forced switching. */
  lab_lane_begin (lane, LAB_STATE_GIL_WAIT, 0);
  wait_taken_locked (gil, lane);
  lab_lane_end (lane);
  pthread_mutex_unlock (&gil->mutex);

  lab_gil_acquire (gil, lane);
  return TRUE;
}

gboolean
lab_gil_release_to_waiter (LabGil  *gil,
                           LabLane *lane)
{
  return lab_gil_release_to (gil, lane, NULL);
}

gboolean
lab_gil_release_to (LabGil  *gil,
                    LabLane *lane,
                    LabLane *next)
{
  gboolean waiters;

  pthread_mutex_lock (&gil->mutex);
  waiters = gil->n_waiters + gil->n_pending > 0 || next != NULL;
  drop_locked (gil, lane, atomic_load (&gil->drop_request));
  if (next != NULL)
    {
      gil->n_pending++;
      gil->reserved_for = next;
      gil->reserved_until = lab_clock_now_ns () + gil->interval_ns;
      /* The one woken by the release may not be @next. */
      pthread_cond_broadcast (&gil->cond);
    }
  /* A thread that releases the lock around a system call wakes a waiter,
   * which in CPython nearly always takes the lock before the releasing
   * thread is back from its call, even from time.sleep(0). Waiting here for
   * that hand-over gives the same order without depending on how fast this
   * machine's scheduler happens to be. */
  if (waiters)
    wait_taken_locked (gil, lane);
  pthread_mutex_unlock (&gil->mutex);
  return waiters;
}

guint64
lab_gil_get_switches (LabGil *gil)
{
  guint64 n;

  pthread_mutex_lock (&gil->mutex);
  n = gil->switches;
  pthread_mutex_unlock (&gil->mutex);
  return n;
}

guint64
lab_gil_get_drop_requests (LabGil *gil)
{
  guint64 n;

  pthread_mutex_lock (&gil->mutex);
  n = gil->drop_requests;
  pthread_mutex_unlock (&gil->mutex);
  return n;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

gint64
lab_gil_get_median_handoff_ns (LabGil *gil)
{
  gint64 median = 0;

  pthread_mutex_lock (&gil->mutex);
  if (gil->handoff_ns->len > 0)
    {
      g_array_sort (gil->handoff_ns, compare_gint64);
      median = g_array_index (gil->handoff_ns, gint64, gil->handoff_ns->len / 2);
    }
  pthread_mutex_unlock (&gil->mutex);
  return median;
}
