/* lab-proc-sampler.c — on-CPU spans of a process tree, sampled from /proc.
 *
 * One sampling thread wakes every period and reads, for every thread of
 * every process of the tree, /proc/<pid>/task/<tid>/stat (state, last CPU,
 * utime + stime) and, where the kernel has it, .../schedstat (ns on a CPU,
 * ns waited on a run queue). Both files stay open and are read with pread
 * at offset 0, so a sample costs a few microseconds a thread; they are
 * opened when a thread appears and closed when it vanishes. New threads
 * show in the main thread's thread count (read anyway) and in a look at
 * /proc/<pid>/task every RESCAN_EVERY samples, new processes in
 * .../children (or, without it, in the ppid of every /proc/<n>/stat).
 *
 * State R means runnable, not running. A thread whose CPU time grew since
 * the last sample was on a CPU; one that stayed in R without its CPU time
 * growing either ran between two clock ticks (the kernel adds CPU time up
 * at ticks and switches) or waited for a core. Such a stretch is decided
 * when the thread's CPU time next grows: if the kernel's own run-queue
 * delay grew by at least half the stretch, it waited, else it ran.
 *
 * Between start and the join in stop, only the sampling thread touches
 * the sampled processes and threads; the recorder's lanes are its alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <time.h>
#include <unistd.h>

#include "lab-proc-sampler-private.h"

/* Runnable this long without CPU time growing: longer than two ticks at
 * 100 Hz, so it waited for a core (decided now, so the view is not late). */
#define STRETCH_MAX_NS (25 * G_GINT64_CONSTANT (1000000))

/* ---- spans ---- */

static void
record (LabSampledThread *t,
        gint64            ts_ns,
        LabEventKind      kind,
        LabState          state,
        guint32           label)
{
  lab_lane_record_at (t->lane, ts_ns, t->cpu, kind, state, 0, label, 0, 0);
  t->last_event_ns = ts_ns;
}

/* Makes @kind the thread's span from @at_ns on (never before what the lane
 * already holds: a lane's events stay in time order). */
static void
set_span (LabProcSampler   *self,
          LabSampledThread *t,
          LabSampledSpan    kind,
          gint64            at_ns)
{
  at_ns = MAX (at_ns, t->last_event_ns);
  if (kind == t->span)
    return;
  if (t->span != SPAN_NONE)
    record (t, at_ns, LAB_EVENT_END, LAB_STATE_RUNNING, 0);
  if (kind == SPAN_NONE)
    {
      t->n_blocked++;
      t->blocked = TRUE;
    }
  t->span = kind;
  if (kind == SPAN_RUNNING)
    {
      record (t, at_ns, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, self->label_running);
      /* Waiting for a core in between does not make it a new turn. */
      t->began = t->blocked;
      t->blocked = FALSE;
    }
  else if (kind == SPAN_WAITING)
    record (t, at_ns, LAB_EVENT_BEGIN, LAB_STATE_WAITING, self->label_waiting);
}

/* Decides a stretch in R without CPU time: waited if the run-queue delay
 * grew by at least half of it, else ran between ticks. */
static void
end_stretch (LabProcSampler   *self,
             LabSampledThread *t,
             guint64           delay_grew,
             gint64            until_ns)
{
  if (t->stretch_start == 0)
    return;
  if (delay_grew * 2 >= (guint64) (until_ns - t->stretch_start))
    set_span (self, t, SPAN_WAITING, t->stretch_start);
  else
    set_span (self, t, SPAN_RUNNING, t->stretch_start);
  t->stretch_start = 0;
}

/* One sample of one thread; FALSE when it has gone. */
static gboolean
sample_thread (LabProcSampler   *self,
               LabSampledThread *t,
               gint64            now_ns,
               LabProcStat      *info)
{
  char buf[1024];
  guint64 run_ns, delay_ns, ran_ns, delay_grew = 0;
  gint64 prev_ns = t->last_ts;

  t->began = FALSE;
  if (!lab_proc_read_at_start (t->stat_fd, buf, sizeof buf) || !lab_proc_parse_stat (buf, info) ||
      lab_proc_stat_is_gone (info))
    return FALSE;

  if (t->sched_fd >= 0 && lab_proc_read_sched (t->sched_fd, &run_ns, &delay_ns))
    {
      ran_ns = run_ns - t->run_ns;
      delay_grew = delay_ns - t->delay_ns;
      t->wait_ns += delay_grew;
      t->run_ns = run_ns;
      t->delay_ns = delay_ns;
    }
  else
    {
      /* Without schedstat R must count as running: nothing tells more. */
      ran_ns = (info->ticks - t->ticks) * (guint64) self->tick_ns;
      if (info->state == 'R')
        ran_ns = MAX (ran_ns, 1);
    }
  t->ticks = info->ticks;
  t->last_ts = now_ns;

  if (ran_ns > 0)
    {
      end_stretch (self, t, delay_grew, prev_ns);
      set_span (self, t, SPAN_RUNNING, prev_ns);
      t->cpu = (gint16) info->cpu;
      /* Each sample tells the cores view where the thread is now. */
      record (t, now_ns, LAB_EVENT_CPU_SAMPLE, LAB_STATE_RUNNING, 0);
      t->on_cpu_samples++;
    }
  else if (info->state == 'R')
    {
      if (t->stretch_start == 0)
        t->stretch_start = prev_ns;
      else if (now_ns - t->stretch_start > STRETCH_MAX_NS)
        {
          set_span (self, t, SPAN_WAITING, t->stretch_start);
          t->stretch_start = 0;
        }
    }
  else
    {
      /* Left R without getting CPU time: it waited, then gave up. */
      if (t->stretch_start != 0)
        {
          set_span (self, t, SPAN_WAITING, t->stretch_start);
          t->stretch_start = 0;
        }
      set_span (self, t, SPAN_NONE, prev_ns);
    }
  return TRUE;
}

static void
thread_gone (LabProcSampler   *self,
             LabSampledThread *t,
             gint64            at_ns)
{
  t->stretch_start = 0;
  set_span (self, t, SPAN_NONE, at_ns);
  lab_proc_close_fd (&t->stat_fd);
  lab_proc_close_fd (&t->sched_fd);
  t->alive = FALSE;
}

/* ---- hand-overs ---- */

/* LabSampledThread A of a process on a CPU, then thread B with A not: one thread
 * handing the CPU (in CPython: the interpreter lock) to another. B's turn
 * begins when it runs after being blocked (waiting for a core in between
 * does not count). A is often still seen running for a sample or two (it
 * ran until it blocked, between two samples), so the hand-over waits: it
 * counts when A blocks first, and not when B blocks first (they ran side
 * by side). */
static void
count_handovers (LabProcSampler    *self,
                 LabSampledProcess *p)
{
  LabSampledThread *from = p->handover_from, *to = p->handover_to;

  if (from != NULL)
    {
      if (!from->alive || from->n_blocked > p->handover_from_blocked)
        {
          self->handovers++;
          p->handover_from = NULL;
        }
      else if (!to->alive || to->n_blocked > p->handover_to_blocked)
        p->handover_from = NULL;
    }
  for (guint i = 0; i < p->threads->len; i++)
    {
      LabSampledThread *t = g_ptr_array_index (p->threads, i);

      if (!t->began)
        continue;
      if (p->last_runner != NULL && p->last_runner != t)
        {
          p->handover_from = p->last_runner;
          p->handover_from_blocked = p->last_runner->n_blocked;
          p->handover_to = t;
          p->handover_to_blocked = t->n_blocked;
        }
      p->last_runner = t;
    }
}

/* ---- the sampling thread ---- */

/* One sample of the whole tree; FALSE when sampling must stop. */
static gboolean
sample (LabProcSampler *self)
{
  gint64 now_ns = lab_clock_now_ns ();
  gboolean need_rescan = ++self->samples % RESCAN_EVERY == 0;

  for (guint i = 0; i < self->live->len;)
    {
      LabSampledProcess *p = g_ptr_array_index (self->live, i);

      for (guint j = 0; j < p->threads->len;)
        {
          LabSampledThread *t = g_ptr_array_index (p->threads, j);
          LabProcStat info = { 0 };

          if (sample_thread (self, t, now_ns, &info))
            {
              /* Every thread's stat has its process's thread count. */
              if (t->tid == p->pid && info.n_threads != p->threads->len)
                need_rescan = TRUE;
              j++;
              continue;
            }
          thread_gone (self, t, now_ns);
          g_ptr_array_remove_index_fast (p->threads, j);
        }
      count_handovers (self, p);
      if (p->threads->len == 0)
        {
          g_ptr_array_remove_index_fast (self->live, i);
          lab_proc_process_free (p);
          continue;
        }
      i++;
    }
  if (need_rescan && !lab_proc_sampler_rescan (self))
    return FALSE;
  return self->live->len > 0;
}

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gpointer
sampler_thread (gpointer data)
{
  LabProcSampler *self = data;
  gint64 period_us = G_USEC_PER_SEC / self->hz;
  gint64 next_us = g_get_monotonic_time ();
  gint64 cpu_start = thread_cpu_ns ();
  gboolean stopping = FALSE;

  while (!stopping && sample (self))
    {
      gint64 now_us = g_get_monotonic_time ();

      /* A late wake-up is not made up for with a burst of samples. */
      next_us += period_us;
      if (next_us <= now_us)
        next_us = now_us + period_us;
      g_mutex_lock (&self->mutex);
      while (!self->stopping && g_cond_wait_until (&self->cond, &self->mutex, next_us))
        ;
      stopping = self->stopping;
      g_mutex_unlock (&self->mutex);
    }
  self->end_ns = lab_clock_now_ns ();
  self->cpu_ns = thread_cpu_ns () - cpu_start;
  return NULL;
}

/* ---- public ---- */

LabProcSampler *
lab_proc_sampler_new (GPid                 pid,
                      LabProcSamplerFlags  flags,
                      LabRecorder         *recorder,
                      guint                hz)
{
  LabProcSampler *self = g_new0 (LabProcSampler, 1);
  long clk_tck = sysconf (_SC_CLK_TCK);

  g_return_val_if_fail (recorder != NULL, NULL);

  self->root = pid;
  self->flags = flags;
  self->recorder = lab_recorder_ref (recorder);
  self->hz = hz > 0 ? MIN (hz, 100000) : LAB_PROC_SAMPLER_DEFAULT_HZ;
  self->max_processes = LAB_PROC_SAMPLER_MAX_PROCESSES;
  self->max_threads = LAB_PROC_SAMPLER_MAX_THREADS;
  self->tick_ns = G_GINT64_CONSTANT (1000000000) / (clk_tck > 0 ? clk_tck : 100);
  /* Only with CONFIG_PROC_CHILDREN; else children are found by their ppid. */
  self->have_children_file = access ("/proc/thread-self/children", R_OK) == 0;
  self->live = g_ptr_array_new ();
  self->threads = g_ptr_array_new_with_free_func (lab_proc_thread_free);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  return self;
}

void
lab_proc_sampler_set_limits (LabProcSampler *self,
                             guint           max_processes,
                             guint           max_threads)
{
  g_return_if_fail (self != NULL && self->thread == NULL);
  self->max_processes = MAX (max_processes, 1);
  self->max_threads = MAX (max_threads, 1);
}

gboolean
lab_proc_sampler_start (LabProcSampler  *self,
                        GError         **error)
{
  g_return_val_if_fail (self != NULL && self->thread == NULL && self->start_ns == 0, FALSE);

  /* Translators: the label of a span when a thread was on a CPU */
  self->label_running = lab_recorder_intern (self->recorder, _("on a CPU"));
  /* Translators: the label of a span when a thread could run but every
   * CPU was busy with something else */
  self->label_waiting = lab_recorder_intern (self->recorder, _("runnable, waiting for a CPU"));
  self->start_ns = lab_clock_now_ns ();
  if (!lab_proc_sampler_add_process (self, NULL, self->root) || !lab_proc_sampler_rescan (self))
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      lab_proc_sampler_stop (self, NULL);
      return FALSE;
    }
  if (self->live->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no process %d to watch: it has already ended"), (int) self->root);
      self->end_ns = self->start_ns;
      return FALSE;
    }
  self->thread = g_thread_new ("lab-proc-sampler", sampler_thread, self);
  return TRUE;
}

gboolean
lab_proc_sampler_stop (LabProcSampler  *self,
                       GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->stopping = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->end_ns == 0)
    self->end_ns = lab_clock_now_ns ();

  /* What still runs is cut at the end of sampling. */
  for (guint i = 0; i < self->live->len; i++)
    {
      LabSampledProcess *p = g_ptr_array_index (self->live, i);

      for (guint j = 0; j < p->threads->len; j++)
        thread_gone (self, g_ptr_array_index (p->threads, j), self->end_ns);
      lab_proc_process_free (p);
    }
  g_ptr_array_set_size (self->live, 0);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }
  return TRUE;
}

GVariant *
lab_proc_sampler_get_metrics (LabProcSampler *self)
{
  GVariantBuilder b, per_thread;
  double wall_s, wait_s = 0;
  long clk_tck = sysconf (_SC_CLK_TCK);

  g_return_val_if_fail (self != NULL && self->thread == NULL, NULL);

  wall_s = (self->end_ns - self->start_ns) / 1e9;
  g_variant_builder_init (&per_thread, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->threads->len; i++)
    {
      LabSampledThread *t = g_ptr_array_index (self->threads, i);
      GVariantBuilder d;

      wait_s += t->wait_ns / 1e9;
      g_variant_builder_init (&d, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&d, "{sv}", "pid", g_variant_new_int32 (t->pid));
      g_variant_builder_add (&d, "{sv}", "tid", g_variant_new_int32 (t->tid));
      g_variant_builder_add (&d, "{sv}", "name", g_variant_new_string (t->name));
      g_variant_builder_add (&d, "{sv}", "cpu_s",
                             g_variant_new_double ((double) t->ticks / (clk_tck > 0 ? clk_tck : 100)));
      g_variant_builder_add (&d, "{sv}", "wait_s", g_variant_new_double (t->wait_ns / 1e9));
      g_variant_builder_add (&d, "{sv}", "on_cpu_samples", g_variant_new_uint64 (t->on_cpu_samples));
      g_variant_builder_add_value (&per_thread, g_variant_builder_end (&d));
    }

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "samples", g_variant_new_uint64 (self->samples));
  g_variant_builder_add (&b, "{sv}", "sample_hz",
                         g_variant_new_double (wall_s > 0 ? self->samples / wall_s : 0));
  g_variant_builder_add (&b, "{sv}", "wall_s", g_variant_new_double (wall_s));
  g_variant_builder_add (&b, "{sv}", "sampler_cpu_s", g_variant_new_double (self->cpu_ns / 1e9));
  g_variant_builder_add (&b, "{sv}", "processes", g_variant_new_uint32 (self->n_processes));
  g_variant_builder_add (&b, "{sv}", "threads", g_variant_new_uint32 (self->threads->len));
  g_variant_builder_add (&b, "{sv}", "handovers", g_variant_new_uint64 (self->handovers));
  g_variant_builder_add (&b, "{sv}", "handovers_per_s",
                         g_variant_new_double (wall_s > 0 ? self->handovers / wall_s : 0));
  g_variant_builder_add (&b, "{sv}", "runnable_wait_s", g_variant_new_double (wait_s));
  g_variant_builder_add (&b, "{sv}", "per_thread", g_variant_builder_end (&per_thread));
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

void
lab_proc_sampler_free (LabProcSampler *self)
{
  if (self == NULL)
    return;
  lab_proc_sampler_stop (self, NULL);
  g_ptr_array_unref (self->live);
  g_ptr_array_unref (self->threads);
  g_clear_error (&self->error);
  lab_recorder_unref (self->recorder);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
