/* test-subprocess-bad.c — subprocess-run with bad input: commands that
 * cannot be read or started, children killed by a signal or writing 100 MB,
 * Stop, input nobody reads; and after 100 runs no child, descriptor or
 * memory left behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "subprocess-test-helpers.h"

/* Open descriptors, and what they are ("3 → pipe:[1234]") in @targets. */
static guint
count_fds (GString *targets)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  g_string_truncate (targets, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%s", name);
      g_autofree char *target = g_file_read_link (path, NULL);

      g_string_append_printf (targets, " %s → %s", name, target != NULL ? target : "?");
      n++;
    }

  return n;
}

/* The descriptors once GLib's worker thread is done with the children that
 * ended: it closes their pidfds, and may drop the last reference to a run's
 * main context, a moment after the run returned. Waits up to 2 s for
 * @expected (0: until two counts 50 ms apart agree). */
static guint
settled_fd_count (guint    expected,
                  GString *targets)
{
  gint64 limit = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  guint n = count_fds (targets);

  while (g_get_monotonic_time () < limit)
    {
      guint previous = n;

      g_usleep (50 * 1000);
      n = count_fds (targets);
      if (expected != 0 ? n == expected : n == previous)
        break;
    }

  return n;
}

/* ---- bad input ---- */

static void
assert_fails_with (const char *command,
                   const char *message)
{
  g_autofree char *assignment = g_strconcat ("command=", command, NULL);
  g_autoptr(LabRunner) runner = run_with (assignment, NULL);
  const GError *error = lab_runner_get_error (runner);

  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad_command_text (void)
{
  assert_fails_with ("", "Type a command to run");
  assert_fails_with ("   ", "Type a command to run");
  assert_fails_with ("echo 'hi", "The command opens a quote (') but never closes it");
  assert_fails_with ("echo \"hi", "The command opens a quote (\") but never closes it");
  assert_fails_with ("echo \"it's\" 'say \"hi", "The command opens a quote (') but never closes it");
  assert_fails_with ("echo hi\\", "The command ends with a backslash (\\) that escapes nothing");
  assert_fails_with ("'' -l", "The program name is empty: the command starts with an empty quote");
}

/* Runs @command; the spawn fails with @message (as the `error` metric, and
 * as the run's error with check on). */
static void
assert_spawn_fails (const char *command,
                    const char *message,
                    gint        code,
                    const char *exception)
{
  g_autofree char *assignment = g_strconcat ("command=", command, NULL);
  g_autoptr(LabRunner) runner = run_with (assignment, NULL);
  g_autoptr(LabRunner) checked = run_with (assignment, "check=true", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabEvent *failed;
  g_autofree char *error = NULL;

  assert_done (runner);
  error = metric_string (runner, "error");
  g_assert_cmpstr (error, ==, message);
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -1);
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, 0);
  failed = find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS), message);
  g_assert_nonnull (failed);
  g_assert_true (failed->flags & LAB_EVENT_FLAG_ERROR);
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), exception));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  g_assert_cmpint (lab_runner_get_state (checked), ==, LAB_RUN_FAILED);
  g_assert_error ((GError *) lab_runner_get_error (checked), G_IO_ERROR, code);
  g_assert_cmpstr (lab_runner_get_error (checked)->message, ==, message);
}

static void
test_bad_spawn (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-subprocess-XXXXXX", NULL);
  g_autofree char *script = g_build_filename (dir, "not-executable.sh", NULL);
  g_autofree char *message = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (script, "#!/bin/sh\necho hi\n", -1, NULL));
  g_assert_cmpint (chmod (script, 0644), ==, 0);

  assert_spawn_fails ("nosuchcmd-lab --help", "“nosuchcmd-lab”: command not found",
                      G_IO_ERROR_NOT_FOUND, "FileNotFoundError");
  assert_spawn_fails ("/no/such/program", "“/no/such/program”: no such file",
                      G_IO_ERROR_NOT_FOUND, "FileNotFoundError");
  message = g_strdup_printf ("“%s”: permission denied (the file is not executable)", script);
  assert_spawn_fails (script, message, G_IO_ERROR_PERMISSION_DENIED, "PermissionError");
  g_free (message);
  message = g_strdup_printf ("“%s”: is a folder, not a program", dir);
  assert_spawn_fails (dir, message, G_IO_ERROR_IS_DIRECTORY, "PermissionError");

  g_assert_cmpint (g_remove (script), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_bad_killed (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=sh -c 'kill -9 $$'", NULL);
  g_autoptr(LabRunner) checked = run_with ("command=sh -c 'kill -9 $$'", "check=true", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autofree char *error = NULL;
  const LabEvent *killed;

  assert_done (runner);
  error = metric_string (runner, "error");
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, SIGKILL);
  /* Python's returncode: minus the signal. */
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -SIGKILL);
  g_assert_false (test_metric_bool (runner, "timed_out"));
  g_assert_cmpstr (error, ==, "killed by signal 9 (SIGKILL)");
  killed = find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS), "killed by signal 9 (SIGKILL)");
  g_assert_nonnull (killed);
  g_assert_true (killed->flags & LAB_EVENT_FLAG_HIGHLIGHT);

  g_assert_cmpint (lab_runner_get_state (checked), ==, LAB_RUN_FAILED);
  g_assert_cmpstr (lab_runner_get_error (checked)->message, ==, "killed by signal 9 (SIGKILL)");
}

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  gsize kib = 0;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  sscanf (line + strlen ("\nVmRSS:"), "%zu", &kib);
  return kib;
}

static void
check_big_output (const char *command,
                  guint       expected_note_lines)
{
  g_autofree char *assignment = g_strconcat ("command=", command, NULL);
  gsize rss_before = rss_kib ();
  g_autoptr(LabRunner) runner = run_with (assignment, NULL);
  gsize rss_after = rss_kib ();
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autofree char *out = NULL;
  g_autofree char *lines = NULL;
  guint n_lines;

  assert_done (runner);
  out = metric_string (runner, "stdout");
  lines = output_of (trace, FALSE, &n_lines);
  g_test_message ("%s: %" G_GINT64_FORMAT " bytes in %.3f s; text %zu bytes, %u lines, "
                  "%" G_GUINT64_FORMAT " events, RSS %zu → %zu KiB",
                  command, test_metric_int (runner, "stdout_bytes"), test_metric_double (runner, "wall_s"),
                  strlen (out), n_lines, lab_trace_get_n_events (trace), rss_before, rss_after);

  g_assert_cmpint (test_metric_int (runner, "stdout_bytes"), ==, 100000000);
  g_assert_true (test_metric_bool (runner, "output_cut"));
  g_assert_cmpuint (strlen (out), <=, 100 * 1000);
  g_assert_nonnull (strstr (out, " cut …]"));
  g_assert_true (g_utf8_validate (out, -1, NULL));

  /* The panel: the first lines, then one line about the rest. */
  g_assert_cmpuint (n_lines, ==, expected_note_lines);
  g_assert_cmpuint (strlen (lines), <, 4 * 1024 * 1024);
  if (expected_note_lines > 1)
    g_assert_nonnull (strstr (lines, " more lines ("));
  else
    g_assert_true (g_str_has_suffix (lines, "…\n"));
  g_assert_cmpuint (lab_trace_get_n_events (trace), <, 10000);
  /* 100 MB went through, and the process did not keep it. */
  g_assert_cmpuint (rss_after, <, rss_before + 40 * 1024);
}

static void
test_bad_big_output (void)
{
  /* One endless line of NULs: shown cut at its start. */
  check_big_output ("head -c 100000000 /dev/zero", 1);
  /* 50 million short lines: 2000 shown, then one that counts the rest. */
  check_big_output ("sh -c 'yes | head -c 100000000'", LAB_CAPTURE_MAX_LINES + 1);
}

static void
on_finished (LabRunner *runner,
             gpointer   user_data)
{
  gint64 *finished_at = user_data;

  *finished_at = g_get_monotonic_time ();
}

static gboolean
stop_runner (gpointer data)
{
  gint64 *stopped_at = g_object_get_data (data, "stopped-at");

  *stopped_at = g_get_monotonic_time ();
  lab_runner_stop (data);
  return G_SOURCE_REMOVE;
}

static void
check_stop (const char *mode)
{
  g_autofree char *mode_assignment = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = new_runner ("command=sleep 30", mode_assignment, NULL);
  gint64 finished_at = 0, stopped_at = 0;
  const LabTraceLane *child;
  LabTrace *trace;
  double latency_ms;

  g_object_set_data (G_OBJECT (runner), "stopped-at", &stopped_at);
  g_signal_connect (runner, "finished", G_CALLBACK (on_finished), &finished_at);
  lab_runner_start (runner);
  g_timeout_add (150, stop_runner, runner);
  while (finished_at == 0)
    g_main_context_iteration (NULL, TRUE);

  latency_ms = (double) (finished_at - stopped_at) / 1000;
  g_test_message ("Stop (%s): finished %.1f ms after Stop", mode, latency_ms);
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_STOPPED);
  g_assert_error ((GError *) lab_runner_get_error (runner), G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Killed and reaped: the pid is gone, not a zombie. */
  trace = lab_runner_get_trace (runner);
  child = lane_of_kind (trace, LAB_LANE_PROCESS);
  g_assert_nonnull (child);
  g_assert_cmpint (child->tid, >, 0);
  g_assert_cmpint (kill (child->tid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  g_assert_nonnull (find_mark (trace, child, "Stop pressed: sent SIGKILL"));
  g_assert_nonnull (find_mark (trace, child, "killed by signal 9 (SIGKILL)"));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
  g_assert_cmpuint (count_children (), ==, 0);
}

static void
test_bad_stop (void)
{
  check_stop ("run");
  check_stop ("popen");
}

static void
test_bad_unread_input (void)
{
  g_autofree char *big = g_strnfill (1000000, 'y');
  g_autofree char *big_input = g_strconcat ("input=", big, NULL);
  /* Ends at once without reading; closes stdin and lives on. */
  g_autoptr(LabRunner) quick = run_with ("command=true", big_input, NULL);
  g_autoptr(LabRunner) closer = run_with ("command=sh -c 'exec 0<&-; sleep 0.2'", big_input, NULL);
  LabTrace *trace = lab_runner_get_trace (closer);

  assert_done (quick);
  g_assert_cmpint (test_metric_int (quick, "exit_code"), ==, 0);
  g_assert_cmpint (test_metric_int (quick, "stdin_bytes"), <, 1000000);

  assert_done (closer);
  g_assert_cmpint (test_metric_int (closer, "exit_code"), ==, 0);
  g_assert_cmpint (test_metric_int (closer, "stdin_bytes"), <, 1000000);
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS), "stdin: broken pipe"));
}

/* ---- no leaks ---- */

static void
test_no_leaks (void)
{
  const char *variants[][3] = {
    { "command=true", "input=", "mode=run" },
    { "command=cat", "input=abc\\n", "mode=run" },
    { "command=ls /no/such/folder", "input=", "mode=popen" },
    { "command=nosuchcmd-lab", "input=", "mode=run" },
    { "command=echo hi", "capture=false", "mode=popen" },
  };
  g_autoptr(GString) targets_before = g_string_new (NULL);
  g_autoptr(GString) targets_after = g_string_new (NULL);
  g_autoptr(LabRunner) warm_up = run_with ("command=true", NULL);
  guint fds_before, fds_after;

  /* The first run starts GLib's worker thread and its wakeup descriptor,
   * which stay; count from here. */
  assert_done (warm_up);
  fds_before = settled_fd_count (0, targets_before);

  for (guint i = 0; i < 100; i++)
    {
      const char * const *v = variants[i % G_N_ELEMENTS (variants)];
      g_autoptr(LabRunner) runner = run_with (v[0], v[1], v[2], NULL);

      assert_done (runner);
    }

  fds_after = settled_fd_count (fds_before, targets_after);
  g_test_message ("100 runs: %u descriptors before, %u after; %u children", fds_before,
                  fds_after, count_children ());
  if (fds_after != fds_before)
    g_test_message ("before:%s\nafter:%s", targets_before->str, targets_after->str);
  g_assert_cmpuint (fds_after, ==, fds_before);
  g_assert_cmpuint (count_children (), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Not "/subprocess/...": GLib keeps test paths containing "/subprocess"
   * for g_test_trap_subprocess() and skips them in a normal run. */
  g_test_add_func ("/running-programs/bad/command-text", test_bad_command_text);
  g_test_add_func ("/running-programs/bad/spawn", test_bad_spawn);
  g_test_add_func ("/running-programs/bad/killed", test_bad_killed);
  g_test_add_func ("/running-programs/bad/big-output", test_bad_big_output);
  g_test_add_func ("/running-programs/bad/stop", test_bad_stop);
  g_test_add_func ("/running-programs/bad/unread-input", test_bad_unread_input);
  g_test_add_func ("/running-programs/no-leaks", test_no_leaks);

  return g_test_run ();
}
