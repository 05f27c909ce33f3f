/* test-cli-signals.c — the command line stopped by a signal, and its memory
 * over many repeats.
 *
 * A signal (SIGINT from Ctrl+C, SIGTERM from kill, SIGHUP from a closed
 * terminal) must stop the run the way Stop does: children killed and
 * reaped, threads joined, one line on stderr, exit status 128 + the
 * signal's number. The test is made a child subreaper, so anything the lab
 * left behind would be reparented to it and found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* A safety net so that a hanging lab fails the test instead of the suite's
 * timeout; no assertion depends on how fast anything is. */
#define GIVE_UP_US (90 * G_USEC_PER_SEC)

typedef struct
{
  GPid    pid;
  int     err_fd;
  int     wait_status;
  struct rusage usage;
} Lab;

typedef struct
{
  int     pid;
  int     ppid;
  char    state;
  char   *comm;
  guint64 start; /* clock ticks after boot: tells a reused pid apart */
} ProcInfo;

static void
proc_info_free (gpointer data)
{
  ProcInfo *info = data;

  if (info == NULL)
    return;
  g_free (info->comm);
  g_free (info);
}

static ProcInfo *
read_proc (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  ProcInfo *info;
  char *open, *close;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  /* "pid (comm) state ppid ..."; comm may hold spaces and parentheses. */
  open = strchr (text, '(');
  close = strrchr (text, ')');
  if (open == NULL || close == NULL || close < open)
    return NULL;
  fields = g_strsplit (close + 2, " ", -1);
  if (g_strv_length (fields) < 20)
    return NULL;

  info = g_new0 (ProcInfo, 1);
  info->pid = pid;
  info->comm = g_strndup (open + 1, close - open - 1);
  info->state = fields[0][0];
  info->ppid = atoi (fields[1]);
  info->start = g_ascii_strtoull (fields[19], NULL, 10);
  return info;
}

/* Every process below @root, as ProcInfo. */
static GPtrArray *
list_descendants (int root)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (proc_info_free);
  g_autoptr(GArray) below = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (proc_info_free);
  const char *name;
  gboolean grew = TRUE;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      ProcInfo *info;

      if (!g_ascii_isdigit (name[0]) || (info = read_proc (atoi (name))) == NULL)
        continue;
      g_ptr_array_add (all, info);
    }

  g_array_append_val (below, root);
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < all->len; i++)
        {
          ProcInfo *info = g_ptr_array_index (all, i);

          if (info == NULL)
            continue;
          for (guint j = 0; j < below->len; j++)
            if (info->ppid == g_array_index (below, int, j))
              {
                g_array_append_val (below, info->pid);
                g_ptr_array_add (found, g_ptr_array_steal_index (all, i));
                g_ptr_array_insert (all, i, NULL);
                grew = TRUE;
                break;
              }
        }
    }
  return found;
}

static guint
count_threads (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
lab_spawn (Lab         *lab,
           const char  *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *binary = g_getenv ("LAB_BINARY");
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree char *asan_options = NULL;
  va_list args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* Headless; under AddressSanitizer, freed memory is reused at once so
   * that the high-water mark means what it means without it. */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  asan_options = g_strdup_printf ("%s%squarantine_size_mb=0", asan ? asan : "", asan ? ":" : "");
  envp = g_environ_setenv (envp, "ASAN_OPTIONS", asan_options, TRUE);

  memset (lab, 0, sizeof *lab);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, envp,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                            NULL, NULL, &lab->pid, NULL, NULL, &lab->err_fd, &error);
  g_assert_no_error (error);
}

/* Kills what is left (a failing test must not leave processes behind). */
static void
kill_leftovers (int root)
{
  g_autoptr(GPtrArray) left = list_descendants (root);

  for (guint i = 0; i < left->len; i++)
    kill (((ProcInfo *) g_ptr_array_index (left, i))->pid, SIGKILL);
}

static void
reap_orphans (void)
{
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
}

/* Waits for the lab to exit; returns its stderr. */
static char *
lab_wait (Lab *lab)
{
  gint64 give_up = g_get_monotonic_time () + GIVE_UP_US;
  GString *err = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;
  pid_t done;

  while ((done = wait4 (lab->pid, &lab->wait_status, WNOHANG, &lab->usage)) == 0)
    {
      if (g_get_monotonic_time () > give_up)
        {
          kill_leftovers (lab->pid);
          kill (lab->pid, SIGKILL);
          wait4 (lab->pid, &lab->wait_status, 0, &lab->usage);
          reap_orphans ();
          g_error ("concurrency-lab did not exit");
        }
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (done, ==, lab->pid);

  while ((n = read (lab->err_fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (err, buffer, n);
  close (lab->err_fd);
  return g_string_free (err, FALSE);
}

typedef gboolean (*Started) (int pid, GPtrArray *descendants, gpointer data);

/* Polls until @started says the run is under way, then returns what runs
 * below the lab at that moment. */
static GPtrArray *
wait_started (Lab      *lab,
              Started   started,
              gpointer  data)
{
  gint64 give_up = g_get_monotonic_time () + GIVE_UP_US;

  for (;;)
    {
      g_autoptr(GPtrArray) below = list_descendants (lab->pid);
      int status;

      if (started (lab->pid, below, data))
        return g_steal_pointer (&below);
      if (waitpid (lab->pid, &status, WNOHANG) == lab->pid)
        g_error ("concurrency-lab ended before the run was under way (status %d)", status);
      if (g_get_monotonic_time () > give_up)
        {
          kill_leftovers (lab->pid);
          kill (lab->pid, SIGKILL);
          g_error ("the run did not start");
        }
      g_usleep (2 * 1000);
    }
}

/* A descendant named @data runs. */
static gboolean
has_child_named (int        pid,
                 GPtrArray *descendants,
                 gpointer   data)
{
  for (guint i = 0; i < descendants->len; i++)
    {
      ProcInfo *info = g_ptr_array_index (descendants, i);

      if (g_str_equal (info->comm, data) && info->state != 'Z')
        return TRUE;
    }
  return FALSE;
}

/* At least GPOINTER_TO_UINT (@data) descendants. */
static gboolean
has_children (int        pid,
              GPtrArray *descendants,
              gpointer   data)
{
  return descendants->len >= GPOINTER_TO_UINT (data);
}

/* At least GPOINTER_TO_UINT (@data) threads in the lab. */
static gboolean
has_threads (int        pid,
             GPtrArray *descendants,
             gpointer   data)
{
  return count_threads (pid) >= GPOINTER_TO_UINT (data);
}

static int
exit_status_for (int signum)
{
  return 128 + signum;
}

static const char *
signal_name (int signum)
{
  switch (signum)
    {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      g_assert_not_reached ();
    }
}

/* The lab exited with 128 + @signum, said so in one line, and nothing it
 * started (@before) still exists. */
static void
assert_stopped_by (Lab        *lab,
                   const char *err,
                   int         signum,
                   GPtrArray  *before)
{
  g_autofree char *expected = g_strdup_printf ("concurrency-lab: stopped by %s\n",
                                               signal_name (signum));
  guint left = 0;

  for (guint i = 0; i < before->len; i++)
    {
      ProcInfo *then = g_ptr_array_index (before, i);
      ProcInfo *now = read_proc (then->pid);

      if (now != NULL && now->start == then->start)
        {
          g_test_message ("left behind: pid %d (%s), state %c, parent %d",
                          now->pid, now->comm, now->state, now->ppid);
          left++;
        }
      proc_info_free (now);
    }
  kill_leftovers (getpid ());
  reap_orphans ();

  g_assert_true (WIFEXITED (lab->wait_status));
  g_assert_cmpint (WEXITSTATUS (lab->wait_status), ==, exit_status_for (signum));
  g_assert_cmpstr (err, ==, expected);
  g_assert_cmpuint (left, ==, 0);
}

typedef struct
{
  const char *args[8];
  Started     started;
  gpointer    started_data;
  int         signals[2];  /* the second one (if any) once stopping began */
} SignalCase;

/* Stopping is under way once one of the processes that ran has ended, or
 * the lab itself has (left unreaped for lab_wait()). */
static void
wait_stopping (Lab       *lab,
               GPtrArray *before)
{
  gint64 give_up = g_get_monotonic_time () + GIVE_UP_US;

  for (;;)
    {
      siginfo_t info = { 0 };

      if (waitid (P_PID, lab->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == lab->pid)
        return;
      for (guint i = 0; i < before->len; i++)
        {
          ProcInfo *then = g_ptr_array_index (before, i);
          ProcInfo *now = read_proc (then->pid);
          gboolean ended = now == NULL || now->start != then->start || now->state == 'Z';

          proc_info_free (now);
          if (ended)
            return;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (1000);
    }
}

static void
test_signal (gconstpointer data)
{
  const SignalCase *c = data;
  g_autoptr(GPtrArray) before = NULL;
  g_autofree char *err = NULL;
  Lab lab;

  lab_spawn (&lab, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4],
             c->args[5], c->args[6], c->args[7], NULL);
  before = wait_started (&lab, c->started, c->started_data);
  g_test_message ("%u processes below the lab, %u threads in it", before->len,
                  count_threads (lab.pid));

  g_assert_cmpint (kill (lab.pid, c->signals[0]), ==, 0);
  if (c->signals[1] != 0)
    {
      wait_stopping (&lab, before);
      g_assert_cmpint (kill (lab.pid, c->signals[1]), ==, 0);
    }
  err = lab_wait (&lab);

  assert_stopped_by (&lab, err, c->signals[0], before);
}

static const SignalCase subprocess_sleep = {
  { "--run=subprocess-run", "--set=command=sleep 30" },
  has_child_named, "sleep", { SIGINT },
};

static const SignalCase subprocess_sleep_term = {
  { "--run=subprocess-run", "--set=command=sleep 30", "--set=mode=popen" },
  has_child_named, "sleep", { SIGTERM },
};

static const SignalCase subprocess_sleep_hup = {
  { "--run=subprocess-run", "--set=command=sleep 30", "--repeat=3", "--json" },
  has_child_named, "sleep", { SIGHUP },
};

static const SignalCase pool_map = {
  { "--run=process-pool-map", "--set=processes=4", "--set=items=400", "--set=task_ms=200" },
  has_children, GUINT_TO_POINTER (4), { SIGTERM },
};

static const SignalCase pool_map_sweep = {
  { "--run=process-pool-map", "--set=items=200", "--set=task_ms=200",
    "--sweep=processes=2..4" },
  has_children, GUINT_TO_POINTER (2), { SIGINT },
};

static const SignalCase isolation_repeat = {
  { "--run=process-isolation", "--set=processes=8", "--repeat=1000" },
  has_children, GUINT_TO_POINTER (1), { SIGHUP },
};

static const SignalCase race_threads = {
  { "--run=race-counter", "--set=threads=32", "--set=lock=true", "--set=max_sleep_ms=500" },
  has_threads, GUINT_TO_POINTER (16), { SIGINT },
};

/* Ctrl+C pressed twice: the second signal arrives while the first stops
 * the run; the first one's status stands and nothing is left. */
static const SignalCase pool_map_twice = {
  { "--run=process-pool-map", "--set=processes=4", "--set=items=400", "--set=task_ms=200" },
  has_children, GUINT_TO_POINTER (4), { SIGINT, SIGTERM },
};

/* ---- memory over many repeats ---- */

/* Peak resident memory (KiB) of a whole --repeat=@n run. */
static long
repeat_peak_kib (guint n)
{
  g_autofree char *repeat = g_strdup_printf ("--repeat=%u", n);
  g_autofree char *err = NULL;
  Lab lab;

  lab_spawn (&lab, "--run=threads-hello", "--set=threads=64", repeat, NULL);
  err = lab_wait (&lab);
  g_assert_true (WIFEXITED (lab.wait_status));
  g_assert_cmpint (WEXITSTATUS (lab.wait_status), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return lab.usage.ru_maxrss;
}

/* Every run of threads-hello with 64 threads records a few thousand events
 * (~350 KiB of trace). Kept until exit, 180 more runs cost ~65 MiB; a
 * repeat needs only its metrics, so 200 runs must peak about where 20 do. */
static void
test_repeat_memory (void)
{
  long peak_20 = repeat_peak_kib (20);
  long peak_200 = repeat_peak_kib (200);

  g_test_message ("peak RSS: %ld KiB after 20 runs, %ld KiB after 200", peak_20, peak_200);
  g_assert_cmpint (peak_200, <, peak_20 + 16 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Orphans of the lab come to this process: nothing escapes the check. */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);

  g_test_add_data_func ("/cli-signals/run-sleep/sigint", &subprocess_sleep, test_signal);
  g_test_add_data_func ("/cli-signals/run-sleep/sigterm", &subprocess_sleep_term, test_signal);
  g_test_add_data_func ("/cli-signals/run-sleep/sighup-repeat", &subprocess_sleep_hup, test_signal);
  g_test_add_data_func ("/cli-signals/process-pool-map/sigterm", &pool_map, test_signal);
  g_test_add_data_func ("/cli-signals/process-pool-map/sweep-sigint", &pool_map_sweep, test_signal);
  g_test_add_data_func ("/cli-signals/process-pool-map/twice", &pool_map_twice, test_signal);
  g_test_add_data_func ("/cli-signals/process-isolation/repeat-sighup", &isolation_repeat, test_signal);
  g_test_add_data_func ("/cli-signals/race-counter/sigint", &race_threads, test_signal);
  g_test_add_func ("/cli-memory/repeat", test_repeat_memory);

  return g_test_run ();
}
