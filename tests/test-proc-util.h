/* test-proc-util.h — looking in /proc for what a test left behind: the
 * worker processes it started (none left running, left as a zombie or
 * left to init), its open file descriptors and threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-event.h"

/* The entries of /proc/self/@what: "fd" counts the open file descriptors,
 * "task" the threads. */
static inline guint
test_count_self (const char *what)
{
  g_autofree char *path = g_build_filename ("/proc/self", what, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The state letter and the parent of process @pid (a /proc entry name). */
static inline gboolean
test_proc_stat (const char *pid,
                char       *state,
                int        *ppid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_ascii_isdigit (pid[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* "pid (comm) state ppid ...": comm may hold anything, even ')'. */
  end = strrchr (stat, ')');
  return end != NULL && sscanf (end + 1, " %c %d", state, ppid) == 2;
}

/* Children of this process still in the process table (zombies too). */
static inline guint
test_count_children (guint *zombies)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  if (zombies != NULL)
    *zombies = 0;
  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      char state;
      int ppid;

      if (!test_proc_stat (name, &state, &ppid) || ppid != getpid ())
        continue;
      n++;
      if (zombies != NULL && state == 'Z')
        (*zombies)++;
    }
  return n;
}

/* Process @pid is gone, and no worker helper of this build was left to
 * init (ppid 1). */
static inline void
test_assert_gone (gint pid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *helper = g_canonicalize_filename (g_getenv ("LAB_WORKER_PATH"), NULL);
  g_autofree char *path = g_strdup_printf ("/proc/%d", pid);
  const char *name;

  g_assert_cmpint (pid, >, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *exe_link = NULL;
      g_autofree char *exe = NULL;
      char state;
      int ppid;

      if (!test_proc_stat (name, &state, &ppid) || ppid != 1)
        continue;
      exe_link = g_build_filename ("/proc", name, "exe", NULL);
      exe = g_file_read_link (exe_link, NULL);
      g_assert_cmpstr (exe, !=, helper);
    }
}

/* No child of this process is left, not even a zombie, and nothing is
 * left to reap. */
static inline void
test_assert_no_children (void)
{
  guint zombies;

  g_assert_cmpuint (test_count_children (&zombies), ==, 0);
  g_assert_cmpuint (zombies, ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

/* A number of /proc/self/status: @field is "Threads", "VmHWM" (kB) ... */
static inline guint64
test_proc_self_status (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* Presses Stop (cancels) 150 ms after it is started in a thread of its
 * own, noting when. */
typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_ns;
} TestStopLater;

static inline gpointer
test_stop_later (gpointer data)
{
  TestStopLater *stop = data;

  g_usleep (150 * 1000);
  stop->cancelled_ns = lab_clock_now_ns ();
  g_cancellable_cancel (stop->cancellable);
  return NULL;
}
