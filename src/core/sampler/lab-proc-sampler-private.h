/* lab-proc-sampler-private.h — what the files of LabProcSampler share:
 * the sampled processes and threads, and the /proc readers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-proc-sampler.h"

G_BEGIN_DECLS

#define RESCAN_EVERY    10  /* samples between looks for new threads, children */
#define PROC_SCAN_EVERY 100 /* ... for children without the children files */

typedef enum { SPAN_NONE, SPAN_RUNNING, SPAN_WAITING } LabSampledSpan;

typedef struct _LabSampledProcess LabSampledProcess;

/* Everything below belongs to the thread that samples, from start to the
 * join in stop (start fills it before the thread exists). */
typedef struct
{
  gint      pid;            /* of its process */
  gint      tid;
  int       stat_fd;
  int       sched_fd;       /* -1 when the kernel has no schedstat */
  LabLane  *lane;
  char     *name;
  gboolean  alive;
  guint64   ticks;          /* utime + stime, last read */
  guint64   run_ns;         /* schedstat, last read */
  guint64   delay_ns;
  guint64   wait_ns;        /* runnable, waiting for a CPU, in total */
  guint64   on_cpu_samples;
  gint64    last_ts;        /* the last sample */
  gint64    last_event_ns;  /* the last event recorded on the lane */
  LabSampledSpan span;     /* the lane's open span */
  gint16    cpu;
  gint64    stretch_start;  /* runnable without CPU time since; 0 = none */
  guint64   n_blocked;      /* times it left the CPU and stopped being runnable */
  gboolean  blocked;        /* since then not on a CPU */
  gboolean  began;          /* on a CPU at this sample, the first time since */
} LabSampledThread;

struct _LabSampledProcess
{
  gint              pid;
  int               task_fd; /* /proc/<pid>/task */
  GPtrArray        *threads; /* live LabSampledThread* (owned by the sampler) */
  /* Hand-overs: the thread that last began a turn on a CPU; when another
   * begins one, the pair waits here until one of them blocks. */
  LabSampledThread *last_runner;
  LabSampledThread *handover_from;
  guint64           handover_from_blocked;
  LabSampledThread *handover_to;
  guint64           handover_to_blocked;
};

struct _LabProcSampler
{
  GPid                root;
  LabProcSamplerFlags flags;
  LabRecorder        *recorder;
  guint               hz;
  guint               max_processes;
  guint               max_threads;
  gint64              tick_ns;
  gboolean            have_children_file;

  GPtrArray          *live;      /* live LabSampledProcess* */
  guint               n_processes;
  GPtrArray          *threads;   /* every LabSampledThread* seen, owned */
  guint32             label_running;
  guint32             label_waiting;
  guint64             samples;
  guint64             handovers;
  gint64              start_ns;
  gint64              end_ns;
  gint64              cpu_ns;    /* the sampling thread's own */
  GError             *error;     /* a limit was hit */

  GThread            *thread;
  GMutex              mutex;
  GCond               cond;
  gboolean            stopping;  /* guarded by mutex */
};

typedef struct
{
  char    state;
  guint64 ticks;
  guint   n_threads;
  gint    cpu;
  char    comm[32];
} LabProcStat;

gboolean lab_proc_parse_stat     (const char  *buf,
                                  LabProcStat *info);
gboolean lab_proc_stat_is_gone   (const LabProcStat *info);
gboolean lab_proc_read_at_start  (int          fd,
                                  char        *buf,
                                  gsize        size);
gboolean lab_proc_read_sched     (int          fd,
                                  guint64     *run_ns,
                                  guint64     *delay_ns);
void     lab_proc_close_fd       (int         *fd);

void     lab_proc_thread_free    (gpointer     data);
void     lab_proc_process_free   (LabSampledProcess *p);
/* Both FALSE (self->error set) when a limit is hit; a process or thread
 * that has already ended is skipped, not an error. */
gboolean lab_proc_sampler_add_process (LabProcSampler *self,
                                       gpointer        unused,
                                       gint            pid);
gboolean lab_proc_sampler_rescan      (LabProcSampler *self);

G_END_DECLS
