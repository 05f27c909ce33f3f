/* lab-gil.h — an emulated global interpreter lock, modelled on CPython's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdatomic.h>

#include "lab-recorder.h"

G_BEGIN_DECLS

/* One lock that worker threads must hold to "run Python". As in CPython
 * (Python/ceval_gil.c): a thread that wants the lock waits one switch
 * interval, then sets a drop request; the holder polls that flag every few
 * iterations of its work (lab_gil_poll) and hands over, then waits until
 * another thread has actually taken the lock (forced switching), so that it
 * cannot grab it straight back.
 *
 * With a @gil_lane, the lock's owner is recorded there as LOCK_HELD spans
 * labelled with the holder's lane name (the lane is written only by the
 * holder, under the lock's mutex). Each thread's own lane gets GIL_WAIT
 * spans and, on a hand-over, an arrow from the releasing thread's mark to
 * the acquiring thread's mark. */
typedef struct _LabGil LabGil;

LabGil  *lab_gil_new            (LabRecorder *recorder,
                                 LabLane     *gil_lane,
                                 gint64       switch_interval_ns);
void     lab_gil_free           (LabGil *gil);

void     lab_gil_acquire        (LabGil  *gil,
                                 LabLane *lane);
void     lab_gil_acquire_back   (LabGil  *gil,
                                 LabLane *lane);
void     lab_gil_release        (LabGil  *gil,
                                 LabLane *lane);
/* Releases the lock before a blocking call (Py_BEGIN_ALLOW_THREADS). If a
 * thread was waiting for it, returns only once one has taken it (bounded),
 * and then returns TRUE. */
gboolean lab_gil_release_to_waiter (LabGil  *gil,
                                    LabLane *lane);
/* The same, but the lock goes to @next first: the others wait until it has
 * taken it (or one switch interval has passed). The caller waits for @next
 * to signal it and then takes the lock back with lab_gil_acquire_back(); in
 * between it counts as a waiter, so that a release to a waiter waits for
 * it (in CPython the woken thread is asking for the GIL long before the one
 * that woke it reaches its next blocking call). */
gboolean lab_gil_release_to        (LabGil  *gil,
                                    LabLane *lane,
                                    LabLane *next);
/* Called by the holder between pieces of work: hands the lock over if a
 * waiter asked for it and takes it back afterwards. Returns TRUE if it did. */
gboolean lab_gil_yield          (LabGil  *gil,
                                 LabLane *lane);

/* The cheap check for the hot loop: is a drop requested? */
static inline gboolean
lab_gil_poll (const atomic_bool *drop_request)
{
  return atomic_load_explicit (drop_request, memory_order_relaxed);
}
const atomic_bool *lab_gil_get_drop_request (LabGil *gil);

/* Statistics, valid once the threads are done. */
guint64  lab_gil_get_switches   (LabGil *gil); /* times it changed hands */
guint64  lab_gil_get_drop_requests (LabGil *gil);
/* Median time between a drop request and the hand-over it caused, ns
 * (0 if none happened). */
gint64   lab_gil_get_median_handoff_ns (LabGil *gil);

G_END_DECLS
