/* lab-interp.h — one model of the CPython interpreter for every experiment
 * whose threads stand for Python threads.
 *
 * A modelled Python thread holds the emulated GIL (LabGil) while it "runs
 * bytecode" and lets go of it exactly where CPython does:
 *
 *  - around blocking calls — time.sleep() (also sleep(0)), waiting for a
 *    lock, a queue, a join or IO: lab_interp_block_begin()/_end(), or
 *    lab_interp_sleep_ns();
 *  - at an eval-breaker check, when another thread has waited a whole
 *    switch interval: lab_interp_check(). CPython checks only at certain
 *    points — entering a function, jumping back to the top of a loop, after
 *    some calls — never between the instructions of `count = old + 1`, so
 *    an experiment calls it only where its Python has such a point.
 *
 * Without the GIL ("free-threaded 3.13t") every call here is a no-op and
 * the threads run side by side, as plain C threads.
 *
 * A thread enters the interpreter once (lab_interp_enter(), taking the GIL,
 * as CPython's new thread does before it runs anything) and leaves it when
 * it ends; the main thread does the same around its own part. Starting
 * threads the way Thread.start() does — waiting until the new thread has
 * started — is lab_threads_start_python() in lab-threads.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment.h"
#include "lab-gil.h"

G_BEGIN_DECLS

/* CPython's default sys.getswitchinterval(): 5 ms. */
#define LAB_INTERP_SWITCH_INTERVAL_NS (5 * G_GINT64_CONSTANT (1000000))

typedef struct _LabInterp LabInterp;

/* With @gil FALSE the model is free-threaded and @gil_lane is ignored.
 * With a @gil_lane the GIL's holders are recorded there (see lab-gil.h). */
LabInterp *lab_interp_new          (LabRecorder *recorder,
                                    gboolean     gil,
                                    LabLane     *gil_lane,
                                    gint64       switch_interval_ns);
void       lab_interp_free         (LabInterp   *interp);

/* Adds the "GIL" lane (LAB_LANE_RESOURCE) that shows who holds the lock.
 * Returns NULL with @error set when the timeline has no room for it. */
LabLane   *lab_interp_add_gil_lane (LabRunContext  *ctx,
                                    GError        **error);
/* The model for one run: with @gil, a GIL lane and a lock recorded on it.
 * Returns NULL with @error set if the lane could not be added. */
LabInterp *lab_interp_new_for_run  (LabRunContext  *ctx,
                                    gboolean        gil,
                                    GError        **error);

/* NULL when free-threaded. */
LabGil    *lab_interp_get_gil      (LabInterp   *interp);

void       lab_interp_enter        (LabInterp   *interp,
                                    LabLane     *lane);
void       lab_interp_leave        (LabInterp   *interp,
                                    LabLane     *lane);

/* An eval-breaker check: hands the GIL over if another thread asked for it.
 * Returns TRUE if the thread was switched out (and is back). */
gboolean   lab_interp_check        (LabInterp   *interp,
                                    LabLane     *lane);
/* The same, and a mark on @lane that says a switch could happen here, so the
 * timeline shows where a thread can lose the GIL. */
gboolean   lab_interp_switch_point (LabInterp   *interp,
                                    LabLane     *lane,
                                    const char  *where);

void       lab_interp_block_begin  (LabInterp   *interp,
                                    LabLane     *lane);
/* lab_interp_block_begin() for a call that waits for thread @next, which is
 * running and asks for the GIL: @next gets it first. End the call with
 * lab_interp_block_end_for(); see lab_gil_release_to(). */
void       lab_interp_block_begin_for (LabInterp *interp,
                                       LabLane   *lane,
                                       LabLane   *next);
void       lab_interp_block_end_for   (LabInterp *interp,
                                       LabLane   *lane);
void       lab_interp_block_end    (LabInterp   *interp,
                                    LabLane     *lane);

/* time.sleep(@ns / 1e9) on @lane: a "time.sleep(…)" span without the GIL;
 * sleep(0) too releases it and lets a waiting thread run. Returns FALSE if
 * the run was stopped during the sleep. */
gboolean   lab_interp_sleep_ns     (LabInterp     *interp,
                                    LabLane       *lane,
                                    LabRunContext *ctx,
                                    gint64         ns);

G_END_DECLS
