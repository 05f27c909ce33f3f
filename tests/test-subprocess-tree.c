/* test-subprocess-tree.c — subprocess-run and the processes a command
 * starts: a background process that holds the output open cannot keep the
 * call from ending, and a timeout or Stop leaves none of them running.
 *
 * This process is a child subreaper, so whatever the command leaves behind
 * is re-parented here instead of to init: "still running" is then simply
 * "a live descendant of this process". Each test runs in a trapped
 * subprocess with a time limit, so a call that never ends fails the test
 * instead of hanging it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "subprocess-test-helpers.h"

/* Far more than any of these runs takes, even on a loaded machine. */
#define TRAP_LIMIT_US   (60 * G_USEC_PER_SEC)
/* How long processes sent SIGKILL may take to be gone. */
#define SETTLE_LIMIT_US (10 * G_USEC_PER_SEC)

#define BACKGROUND_WRITER "sh -c '(while true; do echo x; sleep 0.2; done) & echo started'"
#define FIFTY_SLEEPERS    "sh -c 'for i in $(seq 50); do sleep 20 & done; wait'"

/* Live (not zombie) processes that descend from this one, from /proc;
 * zombies re-parented here are reaped on the way. */
static guint
count_live_descendants (void)
{
  g_autoptr(GHashTable) parent_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int pid = atoi (name), ppid;
      char state;

      if (!read_proc_stat (name, &state, &ppid))
        continue;
      g_hash_table_insert (parent_of, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
      if (state == 'Z' && ppid == getpid ())
        waitpid (pid, NULL, WNOHANG); /* an orphan that came to us */
      else if (state != 'Z' && state != 'X')
        g_array_append_val (live, pid);
    }

  for (guint i = 0; i < live->len; i++)
    {
      int pid = g_array_index (live, int, i);

      /* Up the chain of parents (bounded: /proc may change under us). */
      for (guint depth = 0; depth < 64 && pid > 1; depth++)
        {
          pid = GPOINTER_TO_INT (g_hash_table_lookup (parent_of, GINT_TO_POINTER (pid)));
          if (pid == getpid ())
            {
              n++;
              break;
            }
        }
    }

  return n;
}

/* Waits (bounded) until no descendant lives; returns how many still do. */
static guint
settled_descendants (void)
{
  gint64 limit = g_get_monotonic_time () + SETTLE_LIMIT_US;
  guint n;

  while ((n = count_live_descendants ()) > 0 && g_get_monotonic_time () < limit)
    g_usleep (50 * 1000);
  if (n > 0)
    g_test_message ("%u processes started by the command still run", n);
  return n;
}

/* Runs the current test's body in a subprocess with a time limit. */
static gboolean
in_trap (void)
{
  if (g_test_subprocess ())
    return TRUE;

  g_test_trap_subprocess (NULL, TRAP_LIMIT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

/* ---- a background process holds the output open ---- */

static void
test_held_output_timeout (void)
{
  g_autoptr(LabRunner) runner = NULL;
  g_autofree char *out = NULL;
  g_autofree char *error = NULL;
  LabTrace *trace;

  if (!in_trap ())
    return;

  /* sh ends at once; the loop it left behind writes for ever. The
   * timeout bounds the whole call, reading included. */
  runner = run_with ("command=" BACKGROUND_WRITER, "timeout_s=1", NULL);
  assert_done (runner);
  trace = lab_runner_get_trace (runner);
  out = metric_string (runner, "stdout");
  error = metric_string (runner, "error");
  g_test_message ("%s; stdout %s", error, out);

  g_assert_true (test_metric_bool (runner, "timed_out"));
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 0); /* sh's own */
  /* The loop may print before sh does. */
  g_assert_nonnull (strstr (out, "started\n"));
  g_assert_true (g_str_has_prefix (error, "Command '['sh', '-c', '(while true;"));
  g_assert_true (g_str_has_suffix (error, "' timed out after 1 seconds"));
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS),
                               "timed out after 1 s with the pipes still open: sent SIGKILL"));
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "TimeoutExpired"));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
  g_assert_cmpuint (settled_descendants (), ==, 0);
}

static void
test_held_output_no_timeout (void)
{
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(LabRunner) checked = NULL;
  g_autofree char *out = NULL;
  g_autofree char *error = NULL;
  LabTrace *trace;

  if (!in_trap ())
    return;

  /* Without a timeout, the call ends a grace after sh did, and says why. */
  runner = run_with ("command=" BACKGROUND_WRITER, NULL);
  assert_done (runner);
  trace = lab_runner_get_trace (runner);
  out = metric_string (runner, "stdout");
  error = metric_string (runner, "error");
  g_test_message ("%s", error);

  g_assert_false (test_metric_bool (runner, "timed_out"));
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, 0);
  /* The loop may print before sh does. */
  g_assert_nonnull (strstr (out, "started\n"));
  g_assert_cmpstr (error, ==, "A process started by the command still held its output open 1 s "
                              "after the command ended, so its process group was killed");
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS),
                               "a process started by the command still holds the pipes open"));
  g_assert_cmpuint (settled_descendants (), ==, 0);

  /* check looks at the return code, which is 0. */
  checked = run_with ("command=" BACKGROUND_WRITER, "check=true", NULL);
  assert_done (checked);
  g_assert_cmpuint (settled_descendants (), ==, 0);
}

/* ---- the whole group goes ---- */

static void
test_timeout_kills_group (void)
{
  g_autoptr(LabRunner) runner = NULL;
  g_autofree char *error = NULL;

  if (!in_trap ())
    return;

  runner = run_with ("command=" FIFTY_SLEEPERS, "timeout_s=1", NULL);
  assert_done (runner);
  g_assert_cmpuint (settled_descendants (), ==, 0);
  error = metric_string (runner, "error");
  g_assert_true (test_metric_bool (runner, "timed_out"));
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, SIGKILL);
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -SIGKILL);
  g_assert_true (g_str_has_suffix (error, "' timed out after 1 seconds"));
}

static void
on_finished (LabRunner *runner,
             gpointer   user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
check_stop_kills_group (const char *mode)
{
  g_autofree char *mode_assignment = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = new_runner ("command=" FIFTY_SLEEPERS, mode_assignment, NULL);
  gint64 limit = g_get_monotonic_time () + SETTLE_LIMIT_US;
  gboolean finished = FALSE;
  LabTrace *trace;

  g_signal_connect (runner, "finished", G_CALLBACK (on_finished), &finished);
  lab_runner_start (runner);

  /* Stop once sh and all its sleepers run. */
  while (count_live_descendants () < 51 && !finished && g_get_monotonic_time () < limit)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20 * 1000);
    }
  g_assert_false (finished);
  g_assert_cmpuint (count_live_descendants (), >=, 51);
  lab_runner_stop (runner);
  while (!finished)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_STOPPED);
  g_assert_cmpuint (settled_descendants (), ==, 0);
  trace = lab_runner_get_trace (runner);
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS),
                               "Stop pressed: sent SIGKILL to the process group"));
}

static void
test_stop_kills_group (void)
{
  if (!in_trap ())
    return;

  check_stop_kills_group ("run");
  check_stop_kills_group ("popen");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Orphans come here, where they can be counted (and reaped). */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    g_error ("PR_SET_CHILD_SUBREAPER: %s", g_strerror (errno));

  /* Not "/subprocess/...": GLib keeps test paths containing "/subprocess"
   * for g_test_trap_subprocess(). */
  g_test_add_func ("/running-programs/tree/held-output/timeout", test_held_output_timeout);
  g_test_add_func ("/running-programs/tree/held-output/no-timeout", test_held_output_no_timeout);
  g_test_add_func ("/running-programs/tree/timeout-kills-group", test_timeout_kills_group);
  g_test_add_func ("/running-programs/tree/stop-kills-group", test_stop_kills_group);

  return g_test_run ();
}
