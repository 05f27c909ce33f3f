/* lab-proc-sampler-scan.c — finding the threads and processes of the tree,
 * and reading their /proc files.
 *
 * A process is kept with its /proc/<pid>/task directory open, a thread
 * with its stat and schedstat files open: samples pread them at offset 0.
 * Anything can end between a listing and the open that follows; that is
 * normal and skipped. Limits on the tree's size are the only errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab-proc-sampler-private.h"

/* Fields of /proc/<pid>/task/<tid>/stat (proc(5)); the name in field 2
 * may hold spaces and parentheses, so it ends at the *last* ')'. */
gboolean
lab_proc_parse_stat (const char  *buf,
                     LabProcStat *info)
{
  const char *open = strchr (buf, '(');
  const char *close = strrchr (buf, ')');
  const char *p;
  guint64 utime = 0;

  if (open == NULL || close == NULL || close < open || close[1] != ' ' || close[2] == '\0')
    return FALSE;
  g_strlcpy (info->comm, open + 1, MIN ((gsize) (close - open), sizeof info->comm));
  info->state = close[2];
  p = close + 3;
  for (guint field = 4; field <= 39; field++)
    {
      char *end;
      guint64 v = strtoull (p, &end, 10);

      if (end == p)
        return FALSE;
      p = end;
      if (field == 14)
        utime = v;
      else if (field == 15)
        info->ticks = utime + v;
      else if (field == 20)
        info->n_threads = (guint) v;
      else if (field == 39)
        info->cpu = (gint) v;
    }
  return TRUE;
}

/* Ended: a zombie waiting to be reaped, or dead. */
gboolean
lab_proc_stat_is_gone (const LabProcStat *info)
{
  return info->state == 'Z' || info->state == 'X' || info->state == 'x';
}

/* pread at 0 of a kept-open /proc file; FALSE once the task is gone. */
gboolean
lab_proc_read_at_start (int    fd,
                        char  *buf,
                        gsize  size)
{
  ssize_t n;

  do
    n = pread (fd, buf, size - 1, 0);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  return TRUE;
}

gboolean
lab_proc_read_sched (int      fd,
                     guint64 *run_ns,
                     guint64 *delay_ns)
{
  char buf[128];

  if (!lab_proc_read_at_start (fd, buf, sizeof buf))
    return FALSE;
  return sscanf (buf, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, run_ns, delay_ns) == 2;
}

void
lab_proc_close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static gboolean
limit_error (LabProcSampler *self,
             guint           limit,
             gboolean        processes)
{
  if (self->error != NULL)
    return FALSE;
  if (processes)
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The traced program started more than %u process; sampling stopped there",
                                            "The traced program started more than %u processes; sampling stopped there",
                                            limit), limit);
  else
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The traced program started more than %u thread; sampling stopped there",
                                            "The traced program started more than %u threads; sampling stopped there",
                                            limit), limit);
  return FALSE;
}

static gboolean
add_thread (LabProcSampler    *self,
            LabSampledProcess *p,
            gint               tid)
{
  g_autofree char *stat_path = g_strdup_printf ("%d/stat", tid);
  g_autofree char *sched_path = g_strdup_printf ("%d/schedstat", tid);
  g_autoptr(GError) error = NULL;
  char buf[1024];
  LabProcStat info = { 0 };
  LabSampledThread *t;
  LabLaneKind kind;

  if (self->threads->len >= self->max_threads)
    return limit_error (self, self->max_threads, FALSE);

  t = g_new0 (LabSampledThread, 1);
  t->pid = p->pid;
  t->tid = tid;
  t->stat_fd = openat (p->task_fd, stat_path, O_RDONLY | O_CLOEXEC);
  t->sched_fd = t->stat_fd >= 0 ? openat (p->task_fd, sched_path, O_RDONLY | O_CLOEXEC) : -1;
  if (t->stat_fd < 0 || !lab_proc_read_at_start (t->stat_fd, buf, sizeof buf) ||
      !lab_proc_parse_stat (buf, &info) || lab_proc_stat_is_gone (&info))
    {
      /* It ended between the listing and now: nothing to show. */
      lab_proc_close_fd (&t->stat_fd);
      lab_proc_close_fd (&t->sched_fd);
      g_free (t);
      return TRUE;
    }
  if (t->sched_fd >= 0 && !lab_proc_read_sched (t->sched_fd, &t->run_ns, &t->delay_ns))
    lab_proc_close_fd (&t->sched_fd);

  t->ticks = info.ticks;
  t->cpu = (gint16) info.cpu;
  t->last_ts = lab_clock_now_ns ();
  t->alive = TRUE;
  t->blocked = TRUE;
  /* Translators: a timeline lane of a traced thread: its command name
   * ("python3"), its process id and its thread id */
  t->name = g_strdup_printf (_("%s (pid %d, tid %d)"), info.comm, p->pid, tid);
  kind = tid != p->pid ? LAB_LANE_THREAD : p->pid == self->root ? LAB_LANE_MAIN : LAB_LANE_PROCESS;
  t->lane = lab_recorder_try_add_lane (self->recorder, kind, t->name, &error);
  if (t->lane == NULL)
    {
      lab_proc_close_fd (&t->stat_fd);
      lab_proc_close_fd (&t->sched_fd);
      g_free (t->name);
      g_free (t);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      return FALSE;
    }
  lab_lane_set_tid (t->lane, tid);
  g_ptr_array_add (self->threads, t);
  g_ptr_array_add (p->threads, t);
  return TRUE;
}

static gboolean
has_thread (LabSampledProcess *p,
            gint               tid)
{
  for (guint i = 0; i < p->threads->len; i++)
    if (((LabSampledThread *) g_ptr_array_index (p->threads, i))->tid == tid)
      return TRUE;
  return FALSE;
}

/* Calls @func for each number-named entry of directory @dir_fd. */
static gboolean
for_each_number (int        dir_fd,
                 gboolean (*func) (LabProcSampler *, gpointer, gint),
                 LabProcSampler *self,
                 gpointer   data)
{
  int fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *entry;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      if (fd >= 0)
        close (fd);
      return TRUE; /* the process is gone */
    }
  while (ok && (entry = readdir (dir)) != NULL)
    {
      char *end;
      long n = strtol (entry->d_name, &end, 10);

      if (end != entry->d_name && *end == '\0' && n > 0)
        ok = func (self, data, (gint) n);
    }
  closedir (dir);
  return ok;
}

static gboolean
add_new_thread (LabProcSampler *self,
                gpointer        data,
                gint            tid)
{
  LabSampledProcess *p = data;

  return has_thread (p, tid) || add_thread (self, p, tid);
}

static LabSampledProcess *
find_live (LabProcSampler *self,
           gint            pid)
{
  for (guint i = 0; i < self->live->len; i++)
    if (((LabSampledProcess *) g_ptr_array_index (self->live, i))->pid == pid)
      return g_ptr_array_index (self->live, i);
  return NULL;
}

void
lab_proc_process_free (LabSampledProcess *p)
{
  if (p->task_fd >= 0)
    close (p->task_fd);
  g_ptr_array_unref (p->threads);
  g_free (p);
}

gboolean
lab_proc_sampler_add_process (LabProcSampler *self,
                              gpointer        unused,
                              gint            pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task", pid);
  LabSampledProcess *p;

  if (find_live (self, pid) != NULL)
    return TRUE;
  if (self->n_processes >= self->max_processes)
    return limit_error (self, self->max_processes, TRUE);

  p = g_new0 (LabSampledProcess, 1);
  p->pid = pid;
  p->threads = g_ptr_array_new ();
  p->task_fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (p->task_fd < 0)
    {
      lab_proc_process_free (p); /* it has already ended: normal */
      return TRUE;
    }
  self->n_processes++;
  g_ptr_array_add (self->live, p);
  if (!for_each_number (p->task_fd, add_new_thread, self, p))
    return FALSE;
  /* A zombie (ended, not yet reaped) has nothing left to sample. */
  if (p->threads->len == 0)
    {
      g_ptr_array_remove_fast (self->live, p);
      lab_proc_process_free (p);
    }
  return TRUE;
}

/* /proc/<pid>/task/<tid>/children lists the children each thread started. */
static gboolean
add_children_of (LabProcSampler    *self,
                 LabSampledProcess *p)
{
  for (guint i = 0; i < p->threads->len; i++)
    {
      LabSampledThread *t = g_ptr_array_index (p->threads, i);
      g_autofree char *path = g_strdup_printf ("%d/children", t->tid);
      char buf[4096];
      int fd = openat (p->task_fd, path, O_RDONLY | O_CLOEXEC);
      gboolean ok;
      const char *s;

      if (fd < 0)
        continue;
      ok = lab_proc_read_at_start (fd, buf, sizeof buf);
      close (fd);
      for (s = buf; ok && *s != '\0';)
        {
          char *end;
          long pid = strtol (s, &end, 10);

          if (end == s)
            break;
          if (!lab_proc_sampler_add_process (self, NULL, (gint) pid))
            return FALSE;
          s = end;
        }
    }
  return TRUE;
}

/* Without the children files: every process whose parent is in the tree. */
static gboolean
add_child_by_ppid (LabProcSampler *self,
                   gpointer        data,
                   gint            pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *close_paren;
  int ppid;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (close_paren = strrchr (contents, ')')) == NULL ||
      sscanf (close_paren + 2, "%*c %d", &ppid) != 1 || find_live (self, ppid) == NULL)
    return TRUE;
  return lab_proc_sampler_add_process (self, NULL, pid);
}

gboolean
lab_proc_sampler_rescan (LabProcSampler *self)
{
  guint n_live = self->live->len;

  for (guint i = 0; i < n_live; i++)
    {
      LabSampledProcess *p = g_ptr_array_index (self->live, i);

      if (!for_each_number (p->task_fd, add_new_thread, self, p))
        return FALSE;
      if (!(self->flags & LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS))
        continue;
      if (self->have_children_file && !add_children_of (self, p))
        return FALSE;
    }
  /* Reading every process's stat costs milliseconds: seldom. */
  if ((self->flags & LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS) && !self->have_children_file &&
      self->samples % PROC_SCAN_EVERY == 0)
    {
      int proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      gboolean ok = for_each_number (proc_fd, add_child_by_ppid, self, NULL);

      close (proc_fd);
      return ok;
    }
  return TRUE;
}

void
lab_proc_thread_free (gpointer data)
{
  LabSampledThread *t = data;

  lab_proc_close_fd (&t->stat_fd);
  lab_proc_close_fd (&t->sched_fd);
  g_free (t->name);
  g_free (t);
}



/* ---- one process, and the size of a process group ---- */

gboolean
lab_proc_peek (GPid   pid,
               char  *state,
               GPid  *pgrp,
               guint *flags)
{
  char path[64], buf[512];
  const char *close_paren;
  unsigned int f = 0;
  int fd, group = 0;
  char st = 0;
  gboolean ok;

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  /* "pid (comm) state ppid pgrp session tty_nr tpgid flags ...". */
  ok = lab_proc_read_at_start (fd, buf, sizeof buf) &&
       (close_paren = strrchr (buf, ')')) != NULL &&
       sscanf (close_paren + 1, " %c %*d %d %*d %*d %*d %u", &st, &group, &f) == 3;
  close (fd);
  if (ok)
    {
      *state = st;
      *pgrp = group;
      *flags = f;
    }
  return ok;
}

guint
lab_proc_count_group (GPid  pgid,
                      guint stop_after)
{
  DIR *proc = opendir ("/proc");
  struct dirent *entry;
  guint n = 0;

  if (proc == NULL)
    return 0;
  while (n < stop_after && (entry = readdir (proc)) != NULL)
    {
      GPid pgrp = 0;
      guint flags;
      char state;

      /* One that ended in between is not counted. */
      if (g_ascii_isdigit (entry->d_name[0]) &&
          lab_proc_peek (atoi (entry->d_name), &state, &pgrp, &flags) &&
          pgrp == pgid && state != 'Z' && state != 'X')
        n++;
    }
  closedir (proc);
  return n;
}
