/* lab-proc-sampler.h — when each thread of a process tree was on a CPU, and
 * on which one, read from /proc by a sampling thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-recorder.h"

G_BEGIN_DECLS

#define LAB_PROC_SAMPLER_DEFAULT_HZ 1000
/* A tree larger than this is a runaway program, not a lesson: the sampler
 * stops with an error instead of holding thousands of open files. */
#define LAB_PROC_SAMPLER_MAX_PROCESSES 256
#define LAB_PROC_SAMPLER_MAX_THREADS   4096

typedef enum
{
  LAB_PROC_SAMPLER_FLAGS_NONE            = 0,
  LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS    = 1 << 0, /* children, grandchildren ... */
} LabProcSamplerFlags;

typedef struct _LabProcSampler LabProcSampler;

/* Samples @pid (and, with FOLLOW_DESCENDANTS, every process it starts) @hz
 * times a second (0 = LAB_PROC_SAMPLER_DEFAULT_HZ). Each thread gets a lane
 * "<comm> (pid P, tid T)" in @recorder with spans of LAB_STATE_RUNNING while
 * it was on a CPU (every event carries that CPU, so the cores view works on
 * it) and LAB_STATE_WAITING while it was runnable but waited for a CPU. */
LabProcSampler *lab_proc_sampler_new        (GPid                 pid,
                                             LabProcSamplerFlags  flags,
                                             LabRecorder         *recorder,
                                             guint                hz);
void            lab_proc_sampler_free       (LabProcSampler *self);

/* Lowers the limits (for tests of a small tree); before start only. */
void            lab_proc_sampler_set_limits (LabProcSampler *self,
                                             guint           max_processes,
                                             guint           max_threads);

/* Takes the first sample on the calling thread, then starts the sampling
 * thread. FALSE with @error when the process does not exist. */
gboolean        lab_proc_sampler_start      (LabProcSampler  *self,
                                             GError         **error);
/* Joins the sampling thread (within one period) and closes every file it
 * kept open; open spans end now. FALSE with @error when sampling stopped
 * early on a limit. Vanished processes and threads are not errors. */
gboolean        lab_proc_sampler_stop       (LabProcSampler  *self,
                                             GError         **error);

/* After stop (a full reference, the caller unrefs it): a{sv} with
 *   "samples" t, "sample_hz" d (achieved), "wall_s" d,
 *   "sampler_cpu_s" d (the sampling thread's own CPU time),
 *   "processes" u, "threads" u (seen), "handovers" t, "handovers_per_s" d
 *   (one thread of a process on a CPU, then another with the first not),
 *   "runnable_wait_s" d (runnable, waiting for a CPU, all threads),
 *   "per_thread" aa{sv}: "pid" i, "tid" i, "name" s, "cpu_s" d (utime +
 *   stime), "wait_s" d, "on_cpu_samples" t. */
GVariant       *lab_proc_sampler_get_metrics (LabProcSampler *self);

/* What /proc/<pid>/stat says of process @pid: its state letter ('Z' a
 * zombie), its process group and its flags (PF_EXITING 0x4: on its way
 * out). FALSE when there is no such process. */
gboolean        lab_proc_peek               (GPid   pid,
                                             char  *state,
                                             GPid  *pgrp,
                                             guint *flags);
/* The processes of process group @pgid that are still running (zombies
 * are not counted), up to @stop_after: one look at every /proc/<n>/stat.
 * A program's whole tree is its group when it started as the group's
 * leader, and it stays countable after a parent in the middle has ended. */
guint           lab_proc_count_group        (GPid  pgid,
                                             guint stop_after);

G_END_DECLS
