/* lab-sweep.h — runs one experiment for KEY = FROM..TO, one point after the
 * other, and measures speed-up and efficiency against the count.
 *
 * Each point is one LabRunner (or @repeat of them, the median taken) with
 * the same parameters except KEY. The time compared is the experiment's
 * sweep_time_key metric ("wall_s" by default):
 *
 *   speedup(n)    = time(FROM) / time(n)      relative to the first point;
 *                                             for FROM = 1 the classic one
 *   efficiency(n) = speedup(n) / (n / FROM)   1.0 = the ideal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-chart.h"
#include "lab-experiment.h"
#include "lab-runner.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_SWEEP_READY = 0,
  LAB_SWEEP_RUNNING,
  LAB_SWEEP_DONE,    /* every point measured */
  LAB_SWEEP_STOPPED, /* stopped: the points measured so far are kept */
  LAB_SWEEP_FAILED,  /* a point failed: the points before it are kept */
} LabSweepState;

/* One measured point. */
typedef struct
{
  gint64     value;        /* of the swept key */
  LabRunner *runner;       /* the run whose time is the median (its params,
                            * metrics and trace) */
  double     time_s;       /* median of the repeats' times */
  double     time_min_s;
  double     time_max_s;
  double     speedup;      /* 0 if a time was not positive */
  double     speedup_min;  /* from the repeats' extremes */
  double     speedup_max;
  double     efficiency;
} LabSweepPoint;

#define LAB_TYPE_SWEEP (lab_sweep_get_type ())
G_DECLARE_FINAL_TYPE (LabSweep, lab_sweep, LAB, SWEEP, GObject)

/* "KEY=FROM..TO" (FROM <= TO) as --sweep takes it. */
gboolean             lab_sweep_parse         (const char  *text,
                                              char       **key,
                                              gint64      *from,
                                              gint64      *to,
                                              GError     **error);

/* @params (copied) give every other value. Fails with LAB_PARAMS_ERROR if
 * @key is not a sweepable int parameter (the message names the sweepable
 * ones) or FROM..TO is not inside its range. */
LabSweep            *lab_sweep_new           (const LabExperiment  *experiment,
                                              const LabParams      *params,
                                              const char           *key,
                                              gint64                from,
                                              gint64                to,
                                              GError              **error);

/* Runs per point (1 by default; the median is used). Before starting. */
void                 lab_sweep_set_repeat    (LabSweep *self,
                                              guint     repeat);

/* Starts the first point. "point-finished" (index) follows each point and
 * "finished" the end, on the thread-default main context of the caller. */
void                 lab_sweep_start         (LabSweep *self);
/* Stops the running point; "finished" follows with state STOPPED and the
 * points measured before are kept. */
void                 lab_sweep_stop          (LabSweep *self);
/* Runs to the end, iterating the thread-default main context (CLI, tests).
 * TRUE if every point was measured. */
gboolean             lab_sweep_run_sync      (LabSweep  *self,
                                              GError   **error);

const LabExperiment *lab_sweep_get_experiment (LabSweep *self);
const LabParams     *lab_sweep_get_params    (LabSweep *self);
const char          *lab_sweep_get_key       (LabSweep *self);
gint64               lab_sweep_get_from      (LabSweep *self);
gint64               lab_sweep_get_to        (LabSweep *self);
guint                lab_sweep_get_repeat    (LabSweep *self);
/* The metric used for the speed-up ("threaded_s", "wall_s", ...). */
const char          *lab_sweep_get_time_key  (LabSweep *self);
LabSweepState        lab_sweep_get_state     (LabSweep *self);
const GError        *lab_sweep_get_error     (LabSweep *self);

/* Progress: points done / total, and the fraction including the running
 * point's own progress (for a progress bar). */
guint                lab_sweep_get_n_points  (LabSweep *self); /* total */
guint                lab_sweep_get_n_done    (LabSweep *self);
double               lab_sweep_get_fraction  (LabSweep *self);
/* The run in progress (to show its timeline live and drain it), or NULL;
 * the "current" property is notified when a run starts and when it ends. */
LabRunner           *lab_sweep_get_current   (LabSweep *self);

const LabSweepPoint *lab_sweep_get_point     (LabSweep *self,
                                              guint     index);

/* The speed-up against the count with the ideal line, and the efficiency
 * in a lower panel, for the points measured so far (new reference).
 * @series names the line (NULL: unnamed); lab_sweep_add_to_chart() adds
 * another sweep's line to a chart made so (GIL on and off on one plot). */
LabChart            *lab_sweep_build_chart   (LabSweep   *self,
                                              const char *series);
void                 lab_sweep_add_to_chart  (LabSweep   *self,
                                              LabChart   *chart,
                                              const char *series);

/* What --sweep --json prints: {"experiment", "sweep": {"key", "from", "to",
 * "time_key", "repeat"}, "points": [{"params", "metrics", "speedup",
 * "efficiency", "events", "dropped_events"}, ...]} (floating a{sv}). */
GVariant            *lab_sweep_to_variant    (LabSweep *self);

/* "threads 1…4 · time: With threads (median) · size=2000000, gil=true":
 * the range, the time compared and the other parameters, for a subtitle.
 * Caller frees. */
char                *lab_sweep_describe      (LabSweep *self);

G_END_DECLS
