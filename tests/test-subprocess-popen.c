/* test-subprocess-popen.c — subprocess-run against Python's subprocess
 * module: Popen's wait(timeout), poll() and communicate(), cwd, env, text,
 * check_output, os.system, the full-pipe deadlock and the listing of each
 * mode. The expected values are what /usr/bin/python3 gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "subprocess-test-helpers.h"

static char *
string_of (LabRunner  *runner,
           const char *key)
{
  assert_done (runner);
  return metric_string (runner, key);
}

/* wait(timeout) raises TimeoutExpired but leaves the child running (a
 * poll() after it is still None); the lab kills it only at the end. */
static void
test_wait_timeout (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=sleep 10", "mode=popen", "popen_call=wait",
                                          "timeout_s=0.3", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *parent = lane_of_kind (trace, LAB_LANE_MAIN);
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  g_autofree char *error = string_of (runner, "error");
  g_autofree char *result = metric_string (runner, "result");
  const LabEvent *expired, *still_running, *killed;

  g_test_message ("wait(timeout=0.3): %s", error);
  g_assert_true (test_metric_bool (runner, "timed_out"));
  g_assert_true (test_metric_bool (runner, "killed_at_end"));
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -SIGKILL);
  g_assert_cmpstr (result, ==, "");
  g_assert_true (g_str_has_prefix (error, "Command '['sleep', '10']' timed out after 0.3 seconds. "));
  g_assert_nonnull (strstr (error, "still ran"));

  /* Not the kill of run(timeout=...): that one is gone. */
  g_assert_null (find_mark (trace, child, "timed out after"));
  expired = find_mark (trace, parent, "TimeoutExpired");
  g_assert_nonnull (expired);
  still_running = find_mark_after (trace, parent, "poll() → None", expired->ts_ns);
  g_assert_nonnull (still_running);
  killed = find_mark (trace, child, "end of the run: the child still ran after TimeoutExpired");
  g_assert_nonnull (killed);
  g_assert_cmpint (killed->ts_ns, >=, still_running->ts_ns);
  g_assert_nonnull (find_mark_after (trace, child, "killed by signal 9", killed->ts_ns));
  g_assert_cmpuint (count_children (), ==, 0);
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* A child that ends in time: wait() returns its code. */
  {
    g_autoptr(LabRunner) quick = run_with ("command=sh -c 'exit 4'", "mode=popen",
                                           "popen_call=wait", "timeout_s=30", NULL);
    g_autofree char *quick_result = string_of (quick, "result");

    g_assert_cmpstr (quick_result, ==, "4");
    g_assert_false (test_metric_bool (quick, "timed_out"));
    g_assert_false (test_metric_bool (quick, "killed_at_end"));
    g_assert_nonnull (find_mark (lab_runner_get_trace (quick),
                                 lane_of_kind (lab_runner_get_trace (quick), LAB_LANE_MAIN),
                                 "wait() → 4"));
  }
}

/* poll() is None while the child runs, then its return code, once. */
static void
test_poll (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=sh -c 'sleep 0.6; exit 3'", "mode=popen",
                                          "popen_call=poll", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *parent = lane_of_kind (trace, LAB_LANE_MAIN);
  g_autofree char *result = string_of (runner, "result");
  const LabEvent *last_none = NULL, *code;

  g_assert_cmpstr (result, ==, "3");
  g_assert_cmpuint (count_marks (trace, parent, "poll() → None", NULL), >=, 1);
  g_assert_cmpuint (count_marks (trace, parent, "poll() → 3", NULL), ==, 1);
  code = find_mark (trace, parent, "poll() → 3");
  for (const LabEvent *e = find_mark (trace, parent, "poll() → None"); e != NULL;
       e = find_mark_after (trace, parent, "poll() → None", e->ts_ns + 1))
    last_none = e;
  g_assert_cmpint (code->ts_ns, >, last_none->ts_ns);
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 3);

  /* Out of time, the loop gives up: the last poll() said None, and the
   * child is killed only at the end of the run. */
  {
    g_autoptr(LabRunner) slow = run_with ("command=sleep 10", "mode=popen", "popen_call=poll",
                                          "timeout_s=0.3", NULL);
    g_autofree char *slow_result = string_of (slow, "result");
    LabTrace *slow_trace = lab_runner_get_trace (slow);

    g_assert_cmpstr (slow_result, ==, "None");
    g_assert_true (test_metric_bool (slow, "killed_at_end"));
    g_assert_nonnull (find_mark (slow_trace, lane_of_kind (slow_trace, LAB_LANE_PROCESS), "end of the run:"));
    g_assert_null (find_mark (slow_trace, lane_of_kind (slow_trace, LAB_LANE_MAIN), "poll() → -9"));
    g_assert_cmpuint (count_children (), ==, 0);
  }
}

/* communicate() returns (out, err): (None, None) without pipes. */
static void
test_communicate (void)
{
  g_autoptr(LabRunner) none = run_with ("command=echo hi", "mode=popen", "capture=false", NULL);
  g_autoptr(LabRunner) piped = run_with ("command=sh -c 'echo hi; echo oops >&2'", "mode=popen", NULL);
  g_autofree char *none_result = string_of (none, "result");
  g_autofree char *piped_result = string_of (piped, "result");

  g_assert_cmpstr (none_result, ==, "(None, None)");
  g_assert_cmpstr (piped_result, ==, "(b'hi\\n', b'oops\\n')");
}

static void
test_cwd (void)
{
  g_autofree char *folder = g_dir_make_tmp ("lab-cwd-XXXXXX", NULL);
  g_autofree char *set_cwd = g_strconcat ("cwd=", folder, NULL);
  g_autoptr(LabRunner) runner = run_with ("command=pwd", set_cwd, NULL);
  g_autoptr(LabRunner) missing = run_with ("command=pwd", "cwd=/no/such/folder", NULL);
  g_autoptr(LabRunner) file = run_with ("command=pwd", "cwd=/etc/passwd", NULL);
  g_autofree char *out = string_of (runner, "stdout");
  g_autofree char *expected = g_strconcat (folder, "\n", NULL);
  g_autofree char *missing_error = string_of (missing, "error");
  g_autofree char *file_error = string_of (file, "error");
  LabTrace *trace = lab_runner_get_trace (missing);

  g_assert_cmpstr (out, ==, expected);

  /* Python: FileNotFoundError, NotADirectoryError; nothing runs. */
  g_test_message ("%s / %s", missing_error, file_error);
  g_assert_cmpstr (missing_error, ==,
                   "The folder “/no/such/folder” does not exist: the child cannot start in it (cwd)");
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "FileNotFoundError"));
  g_assert_cmpint (test_metric_int (missing, "pid"), ==, 0);
  g_assert_cmpstr (file_error, ==,
                   "“/etc/passwd” is a file, not a folder: the child cannot start in it (cwd)");
  trace = lab_runner_get_trace (file);
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "NotADirectoryError"));
  g_assert_cmpuint (count_children (), ==, 0);
  g_rmdir (folder);
}

/* env adds to the environment the child inherits; os.system's shell sees
 * it too. */
static void
test_env (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=env", "env=LAB_GREETING=hello,LAB_EMPTY=", NULL);
  g_autoptr(LabRunner) shell = run_with ("command=echo \"$LAB_GREETING, $HOME\"", "mode=system",
                                         "env=LAB_GREETING=hi", NULL);
  g_autofree char *out = string_of (runner, "stdout");
  g_autofree char *shell_out = string_of (shell, "stdout");
  g_autofree char *expected = g_strdup_printf ("hi, %s\n", g_getenv ("HOME"));

  g_assert_nonnull (strstr (out, "\nLAB_GREETING=hello\n"));
  g_assert_nonnull (strstr (out, "\nLAB_EMPTY=\n"));
  /* Added, not instead of ours. */
  g_assert_nonnull (strstr (out, "\nPATH="));
  g_assert_cmpstr (shell_out, ==, expected);
}

/* text=True decodes: 'é\t' against b'\xc3\xa9\t'; bytes that are not
 * UTF-8 cannot be decoded. */
static void
test_text (void)
{
  g_autoptr(LabRunner) bytes = run_with ("command=printf 'it\\303\\251\\t\\047'", NULL);
  g_autoptr(LabRunner) text = run_with ("command=printf 'it\\303\\251\\t\\047'", "text=true", NULL);
  g_autoptr(LabRunner) bad = run_with ("command=printf '\\377'", "text=true", NULL);
  g_autofree char *bytes_result = string_of (bytes, "result");
  g_autofree char *text_result = string_of (text, "result");
  g_autofree char *bad_error = string_of (bad, "error");

  g_assert_cmpstr (bytes_result, ==,
                   "CompletedProcess(args=['printf', 'it\\\\303\\\\251\\\\t\\\\047'], returncode=0, "
                   "stdout=b\"it\\xc3\\xa9\\t'\", stderr=b'')");
  g_assert_cmpstr (text_result, ==,
                   "CompletedProcess(args=['printf', 'it\\\\303\\\\251\\\\t\\\\047'], returncode=0, "
                   "stdout=\"ité\\t'\", stderr='')");
  g_assert_nonnull (strstr (bad_error, "UnicodeDecodeError"));
}

/* check_output() returns stdout, and raises CalledProcessError with the
 * output on a status other than 0. */
static void
test_check_output (void)
{
  g_autoptr(LabRunner) ok = run_with ("command=echo hi", "mode=check_output", NULL);
  g_autoptr(LabRunner) failed = run_with ("command=sh -c 'echo hi; exit 3'", "mode=check_output", NULL);
  g_autofree char *result = string_of (ok, "result");
  const GError *error = lab_runner_get_error (failed);
  LabTrace *trace = lab_runner_get_trace (failed);

  g_assert_cmpstr (result, ==, "b'hi\\n'");
  g_assert_cmpint (lab_runner_get_state (failed), ==, LAB_RUN_FAILED);
  g_assert_error ((GError *) error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Command '['sh', '-c', 'echo hi; exit 3']' returned non-zero exit status 3. "
                   "Its output: b'hi\\n'");
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "CalledProcessError"));
}

/* os.system: a shell runs the line (pipes work) and the call returns the
 * wait status, 256 for exit 1. */
static void
test_system (void)
{
  g_autoptr(LabRunner) exit1 = run_with ("preset=shell", "command=exit 1", NULL);
  g_autoptr(LabRunner) piped = run_with ("preset=shell", "command=echo a b c | wc -w; exit 2", NULL);
  g_autoptr(LabRunner) killed = run_with ("preset=shell", "command=kill -9 $$", NULL);
  g_autofree char *exit1_result = string_of (exit1, "result");
  g_autofree char *piped_result = string_of (piped, "result");
  g_autofree char *piped_out = string_of (piped, "stdout");
  g_autofree char *killed_result = string_of (killed, "result");
  LabTrace *trace = lab_runner_get_trace (exit1);

  g_assert_cmpstr (exit1_result, ==, "256");
  g_assert_cmpint (test_metric_int (exit1, "exit_code"), ==, 1);
  g_assert_cmpstr (piped_result, ==, "512");
  g_assert_cmpstr (piped_out, ==, "3\n");
  g_assert_cmpstr (killed_result, ==, "9");
  g_assert_true (g_str_has_prefix (lane_of_kind (trace, LAB_LANE_PROCESS)->name,
                                   "child: /bin/sh -c exit 1"));
  g_assert_nonnull (find_span (trace, lane_of_kind (trace, LAB_LANE_MAIN), LAB_STATE_WAITING,
                               "os.system('exit 1')"));

  /* The shell and the program it starts, each on its lane. */
  {
    g_autoptr(LabRunner) tree = run_with ("preset=shell", "command=sleep 0.5; echo done", NULL);
    g_autofree char *out = string_of (tree, "stdout");
    LabTrace *tree_trace = lab_runner_get_trace (tree);
    const LabTraceLane *sleeper = NULL;

    g_assert_cmpstr (out, ==, "done\n");
    for (guint l = 0; l < lab_trace_get_n_lanes (tree_trace); l++)
      if (g_str_equal (lab_trace_get_lane (tree_trace, l)->name, "started by the child"))
        sleeper = lab_trace_get_lane (tree_trace, l);
    g_assert_nonnull (sleeper);
    g_assert_cmpint (sleeper->kind, ==, LAB_LANE_PROCESS);
    g_assert_nonnull (find_span (tree_trace, sleeper, LAB_STATE_RUNNING, "sleep 0.5"));
    g_assert_nonnull (find_mark (tree_trace, sleeper, "ended"));
    g_assert_cmpuint (test_trace_open_spans (tree_trace), ==, 0);
  }
}

/* Popen + wait() with stdout=PIPE and 1 MB to write: the child stops
 * when the pipe is full, the parent never reads, the timeout ends it. */
static void
test_pipe_deadlock (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=pipe-deadlock", "timeout_s=1", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  g_autofree char *error = string_of (runner, "error");
  gint64 out_bytes = test_metric_int (runner, "stdout_bytes");
  const LabEvent *full, *killed;

  g_test_message ("deadlock: %" G_GINT64_FORMAT " bytes read after the kill; %s", out_bytes, error);
  g_assert_true (test_metric_bool (runner, "timed_out"));
  g_assert_true (test_metric_bool (runner, "killed_at_end"));
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -SIGKILL);
  /* What the pipe held, not the megabyte seq had to write. */
  g_assert_cmpint (out_bytes, >, 0);
  g_assert_cmpint (out_bytes, <=, 64 * 1024 + 16 * 1024);
  g_assert_nonnull (strstr (error, "Deadlock"));
  g_assert_nonnull (strstr (error, "communicate()"));

  full = find_mark (trace, child, "stdout pipe full: ");
  killed = find_mark (trace, child, "end of the run:");
  g_assert_nonnull (full);
  g_assert_nonnull (killed);
  g_assert_cmpint (full->ts_ns, <, killed->ts_ns);
  /* Nothing was read before the kill. */
  g_assert_cmpint (find_mark (trace, child, "read ")->ts_ns, >=, killed->ts_ns);
  g_assert_cmpuint (count_children (), ==, 0);

  /* The fix: communicate() reads while it waits. */
  {
    g_autoptr(LabRunner) fixed = run_with ("preset=pipe-deadlock", "popen_call=communicate", NULL);

    assert_done (fixed);
    g_assert_false (test_metric_bool (fixed, "timed_out"));
    g_assert_cmpint (test_metric_int (fixed, "stdout_bytes"), ==, 938895);
  }
}

/* Choices the call cannot meet and malformed entries: bad usage in words,
 * before anything runs. */
static void
test_bad_choices (void)
{
  const struct
  {
    const char *assignments[3];
    const char *words;
  } cases[] = {
    { { "env=GREETING", NULL }, "env: “GREETING” has no “=”" },
    { { "env=A=1,=2", NULL }, "env: “=2” has no name before “=”" },
    { { "mode=system", "input=x", NULL }, "os.system() takes only the command line" },
    { { "mode=system", "timeout_s=1", NULL }, "os.system() takes only the command line" },
    { { "mode=check_output", "capture=false", NULL }, "always reads stdout" },
    { { "mode=popen", "popen_call=wait", "input=x" }, "Only communicate() writes the input" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabRunner) runner = run_with (cases[i].assignments[0], "command=sleep 5",
                                              cases[i].assignments[1] != NULL ? cases[i].assignments[1]
                                                                              : cases[i].assignments[2],
                                              cases[i].assignments[2], NULL);
      const GError *error = lab_runner_get_error (runner);

      g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
      g_assert_error ((GError *) error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (lane_of_kind (lab_runner_get_trace (runner), LAB_LANE_PROCESS));
      g_assert_cmpuint (count_children (), ==, 0);
    }
}

/* The listing of each mode is a program python3 runs as it is, and it
 * prints what the lab shows as the result. */
static void
test_listing (void)
{
  const struct
  {
    const char *assignments[4];
    const char *printed;
  } cases[] = {
    { { "command=echo hi", "mode=run", NULL },
      "CompletedProcess(args=['echo', 'hi'], returncode=0, stdout=b'hi\\n', stderr=b'')\n" },
    { { "command=echo hi", "mode=check_output", "text=true", NULL }, "'hi\\n'\n" },
    { { "command=exit 1", "mode=system", NULL }, "256 exit code: 1\n" },
    { { "command=true", "mode=popen", "capture=false", NULL },
      "(None, None)\nreturn code: 0\n" },
    { { "command=sh -c 'exit 5'", "mode=popen", "popen_call=wait", NULL },
      "wait() → 5\nreturn code: 5\n" },
    { { "command=pwd", "mode=check_output", "cwd=/", "env=A=1" }, "b'/\\n'\n" },
  };

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabRunner) runner = run_with ("command=true", cases[i].assignments[0],
                                              cases[i].assignments[1], cases[i].assignments[2],
                                              cases[i].assignments[3], NULL);
      g_autofree char *code = string_of (runner, "code");
      g_autofree char *printed = NULL;
      const char *argv[] = { "/usr/bin/python3", "-c", code, NULL };
      gint status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &printed, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      /* Popen's listing may print poll() → None first. */
      g_test_message ("%s", printed);
      g_assert_true (g_str_has_suffix (printed, cases[i].printed));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/running-programs/popen/wait-timeout", test_wait_timeout);
  g_test_add_func ("/running-programs/popen/poll", test_poll);
  g_test_add_func ("/running-programs/popen/communicate", test_communicate);
  g_test_add_func ("/running-programs/cwd", test_cwd);
  g_test_add_func ("/running-programs/env", test_env);
  g_test_add_func ("/running-programs/text", test_text);
  g_test_add_func ("/running-programs/check-output", test_check_output);
  g_test_add_func ("/running-programs/system", test_system);
  g_test_add_func ("/running-programs/popen/pipe-deadlock", test_pipe_deadlock);
  g_test_add_func ("/running-programs/bad/choices", test_bad_choices);
  g_test_add_func ("/running-programs/listing", test_listing);

  return g_test_run ();
}
