/* lab-runner.h — runs one experiment on its own thread; afterwards it is the
 * record of that run (parameters, metrics, trace) kept in the run history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-experiment.h"
#include "lab-trace.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_RUN_READY = 0, /* created, not started */
  LAB_RUN_RUNNING,
  LAB_RUN_DONE,      /* finished: metrics available */
  LAB_RUN_FAILED,    /* the experiment returned an error */
  LAB_RUN_STOPPED,   /* cancelled by the user */
} LabRunState;

#define LAB_TYPE_RUNNER (lab_runner_get_type ())
G_DECLARE_FINAL_TYPE (LabRunner, lab_runner, LAB, RUNNER, GObject)

/* @params is copied. */
LabRunner           *lab_runner_new            (const LabExperiment *experiment,
                                                const LabParams     *params);

const LabExperiment *lab_runner_get_experiment (LabRunner *self);
const LabParams     *lab_runner_get_params     (LabRunner *self);
/* NULL once finished: the trace then holds every event. */
LabRecorder         *lab_runner_get_recorder   (LabRunner *self);
LabTrace            *lab_runner_get_trace      (LabRunner *self);
LabRunState          lab_runner_get_state      (LabRunner *self);
/* Sequence number in this process (1, 2, ...), for "Run 3" labels. */
guint                lab_runner_get_number     (LabRunner *self);

/* Starts the run on a new thread. "finished" is emitted on the thread-default
 * main context of the caller once the experiment returned and its thread was
 * joined; the trace has then received every event. */
void                 lab_runner_start          (LabRunner *self);
/* Cancels; "finished" follows (state STOPPED) within 200 ms. */
void                 lab_runner_stop           (LabRunner *self);
/* Frees the events of a finished run (its trace is empty afterwards) and
 * keeps the rest: parameters, state, metrics, chart, times. A history
 * keeps the timelines of its last runs only. */
void                 lab_runner_release_trace  (LabRunner *self);
gboolean             lab_runner_get_trace_released (LabRunner *self);
/* Drains recorded events into the trace (call at most once per frame). */
guint64              lab_runner_drain          (LabRunner *self);
/* Runs the experiment to the end, iterating the thread-default main context
 * (CLI and tests). Returns TRUE if it finished with metrics. */
gboolean             lab_runner_run_sync       (LabRunner  *self,
                                                GError    **error);

/* Valid once finished. */
GVariant            *lab_runner_get_metrics    (LabRunner *self); /* a{sv} or NULL */
LabChart            *lab_runner_get_chart      (LabRunner *self); /* or NULL */
const GError        *lab_runner_get_error      (LabRunner *self);
double               lab_runner_get_progress   (LabRunner *self);
/* TRUE while the experiment is inside a timed section (see
 * lab_run_context_begin_timed()); the window then stays quiet. Thread-safe,
 * cheap: an atomic load. */
gboolean             lab_runner_get_timed      (LabRunner *self);
/* Wall time of the run so far / in total, seconds. */
double               lab_runner_get_elapsed_s  (LabRunner *self);
/* g_get_real_time() when started (µs), for the history list. */
gint64               lab_runner_get_started_at (LabRunner *self);

G_END_DECLS
