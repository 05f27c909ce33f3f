/* test-subprocess.c — subprocess-run: its presets, pipes, input, timeout
 * and check, run for real through LabRunner. (Bad input, Stop and leaks are
 * in test-subprocess-bad.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "exp-subprocess-run-private.h"
#include "subprocess-test-helpers.h"

/* ---- the bounded capture ---- */

static void
test_capture_ring (void)
{
  g_autoptr(LabCapture) capture = lab_capture_new (NULL, 0);
  g_autoptr(GRand) rng = g_rand_new_with_seed (42);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *size = NULL;
  g_autofree char *note = NULL;
  const gsize total = 300000;
  const char *cut_at, *tail;
  gboolean cut;

  /* Printable bytes that never repeat within the tail, in chunks of every
   * size around the ring's. */
  for (gsize i = 0; i < total; i++)
    g_string_append_c (all, (char) ('!' + (i * 7 + i / 94) % 94));
  for (gsize done = 0; done < total;)
    {
      gsize n = MIN (total - done, (gsize) g_rand_int_range (rng, 1, 3 * LAB_CAPTURE_TAIL_BYTES / 2));

      lab_capture_append (capture, (const guint8 *) all->str + done, n);
      done += n;
    }

  text = lab_capture_to_text (capture, &cut);
  g_assert_true (cut);
  g_assert_cmpuint (lab_capture_get_n_bytes (capture), ==, total);
  size = g_format_size (total - LAB_CAPTURE_HEAD_BYTES - LAB_CAPTURE_TAIL_BYTES);
  note = g_strdup_printf ("\n[… %s cut …]\n", size);
  cut_at = strstr (text, note);
  g_assert_nonnull (cut_at);
  /* Exactly the first and the last bytes, in order. */
  g_assert_cmpuint (cut_at - text, ==, LAB_CAPTURE_HEAD_BYTES);
  g_assert_cmpint (memcmp (text, all->str, LAB_CAPTURE_HEAD_BYTES), ==, 0);
  tail = cut_at + strlen (note);
  g_assert_cmpuint (strlen (tail), ==, LAB_CAPTURE_TAIL_BYTES);
  g_assert_cmpstr (tail, ==, all->str + total - LAB_CAPTURE_TAIL_BYTES);
}

static void
test_capture_text (void)
{
  g_autoptr(LabCapture) small = lab_capture_new (NULL, 0);
  g_autoptr(LabCapture) split = lab_capture_new (NULL, 0);
  g_autofree char *small_text = NULL;
  g_autofree char *split_text = NULL;
  const char *snake = "змея";  /* two bytes a letter */
  gboolean cut = TRUE;

  /* Whole, with NULs and broken UTF-8 made visible and valid. */
  lab_capture_append (small, (const guint8 *) "ok\0\xff", 4);
  small_text = lab_capture_to_text (small, &cut);
  g_assert_false (cut);
  g_assert_cmpstr (small_text, ==, "ok\xEF\xBF\xBD\xEF\xBF\xBD");

  /* Two-byte letters, so the head ends and the tail begins inside one:
   * still valid UTF-8. */
  for (guint i = 0; i < 100000; i++)
    lab_capture_append (split, (const guint8 *) (i == 0 ? "x" : snake), i == 0 ? 1 : strlen (snake));
  split_text = lab_capture_to_text (split, &cut);
  g_assert_true (cut);
  g_assert_true (g_utf8_validate (split_text, -1, NULL));
  g_assert_cmpuint (strlen (split_text), <=, LAB_CAPTURE_HEAD_BYTES + LAB_CAPTURE_TAIL_BYTES + 64);
  g_assert_true (g_str_has_suffix (split_text, snake));
}

static void
test_capture_lines (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  LabLane *lane = lab_recorder_add_lane (recorder, LAB_LANE_PROCESS, "child");
  g_autoptr(LabCapture) capture = lab_capture_new (lane, LAB_EVENT_FLAG_STDERR);
  g_autofree char *long_line = g_strnfill (3 * LAB_CAPTURE_MAX_LINE_BYTES, 'a');
  const LabOutputLine *lines;
  guint n;

  lab_lane_bind_thread (lane);
  lab_capture_append (capture, (const guint8 *) "one\r\ntw", 7);
  lab_capture_append (capture, (const guint8 *) "o\n", 2);
  lab_capture_append (capture, (const guint8 *) long_line, strlen (long_line));
  lab_capture_append (capture, (const guint8 *) "\n", 1);
  for (guint i = 0; i < LAB_CAPTURE_MAX_LINES + 10; i++)
    lab_capture_append (capture, (const guint8 *) "more\n", 5);
  lab_capture_append (capture, (const guint8 *) "last", 4);
  lab_capture_finish (capture);
  lab_recorder_drain (recorder, trace);

  /* "one", "two", the long one cut, "more" up to the limit, and the note:
   * 13 "more" lines and "last" left out, 13 * 5 + 4 bytes. */
  lines = lab_trace_get_output (trace, &n);
  g_assert_cmpuint (n, ==, LAB_CAPTURE_MAX_LINES + 1);
  g_assert_cmpstr (lab_trace_get_string (trace, lines[0].label), ==, "one");
  g_assert_cmpstr (lab_trace_get_string (trace, lines[1].label), ==, "two");
  g_assert_cmpuint (strlen (lab_trace_get_string (trace, lines[2].label)), ==,
                    LAB_CAPTURE_MAX_LINE_BYTES + strlen ("…"));
  g_assert_true (g_str_has_suffix (lab_trace_get_string (trace, lines[2].label), "a…"));
  g_assert_cmpstr (lab_trace_get_string (trace, lines[3].label), ==, "more");
  g_assert_cmpstr (lab_trace_get_string (trace, lines[n - 1].label), ==,
                   "[… 14 more lines (69 bytes) not shown …]");
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (lines[i].flags & (LAB_EVENT_FLAG_OUTPUT | LAB_EVENT_FLAG_STDERR), ==,
                      LAB_EVENT_FLAG_OUTPUT | LAB_EVENT_FLAG_STDERR);
}

/* ---- the contract ---- */

static void
test_contract (void)
{
  const LabExperiment *e = &lab_exp_subprocess_run;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;
  const char *nicks[] = { "list-folder", "bc", "sleep-run", "sleep-popen", "timeout", "check-fails",
                          "pipe-deadlock", "shell" };

  g_assert_cmpint (e->topic, ==, LAB_TOPIC_SUBPROCESS);
  g_assert_cmpstr (lab_params_get_string (params, "command"), ==, "ls -l");
  g_assert_cmpstr (lab_params_get_string (params, "input"), ==, "");
  g_assert_cmpstr (lab_params_get_string (params, "mode"), ==, "run");
  g_assert_cmpfloat (lab_params_get_double (params, "timeout_s"), ==, 0);
  g_assert_false (lab_params_get_bool (params, "check"));
  g_assert_true (lab_params_get_bool (params, "capture"));
  g_assert_false (lab_params_parse (params, "timeout_s", "3601", &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (lab_params_parse (params, "mode", "spawn", &error));
  g_clear_error (&error);

  g_assert_cmpuint (e->n_presets, ==, G_N_ELEMENTS (nicks));
  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_cmpstr (e->presets[i].nick, ==, nicks[i]);
      g_assert_nonnull (e->presets[i].label);
      g_assert_nonnull (e->presets[i].tooltip);
      g_assert_true (lab_experiment_apply_preset (e, params, nicks[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (lab_experiment_parse_assignment (e, params, "preset=bc", &error));
  g_assert_cmpstr (lab_params_get_string (params, "command"), ==, "bc");
  g_assert_cmpstr (lab_params_get_string (params, "input"), ==, "2 * 3\\n");
  g_assert_false (lab_experiment_apply_preset (e, params, "nope", &error));
  g_assert_nonnull (strstr (error->message, "sleep-popen"));
}

static void
test_signal_names (void)
{
  g_autofree char *kill9 = lab_signal_describe (SIGKILL);
  g_autofree char *odd = lab_signal_describe (63);

  g_assert_cmpstr (lab_signal_name (SIGTERM), ==, "SIGTERM");
  g_assert_cmpstr (kill9, ==, "killed by signal 9 (SIGKILL)");
  g_assert_cmpstr (odd, ==, "killed by signal 63");
}

/* ---- the input's escapes ---- */

/* @text as the input param takes it gives exactly @expected (@n bytes). */
static void
assert_input (const char *text,
              const char *expected,
              gsize       n)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data;

  g_assert_true (lab_subprocess_make_input (text, &input, &error));
  g_assert_no_error (error);
  g_assert_nonnull (input);
  data = g_bytes_get_data (input, &size);
  g_assert_cmpmem (data, size, expected, n);
}

/* @text is refused with exactly @message, and gives no input. */
static void
assert_input_refused (const char *text,
                      const char *message)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_subprocess_make_input (text, &input, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (input);
}

static void
test_input_escapes (void)
{
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GError) error = NULL;

  /* As in a Python str literal, encoded as UTF-8. */
  assert_input ("\\x41", "A", 1);
  assert_input ("\\xe9", "\xc3\xa9", 2);
  assert_input ("\\u00e9", "\xc3\xa9", 2);
  assert_input ("\\U0001F600", "\xf0\x9f\x98\x80", 4);
  assert_input ("a\\0b", "a\0b", 3);
  assert_input ("\\101\\0101", "A\b" "1", 3); /* three octal digits at most */
  assert_input ("\\7777", "\xc7\xbf" "7", 3); /* \777 is U+01FF */
  assert_input ("\\\\", "\\", 1);
  assert_input ("\\n\\t\\r\\'\\\"", "\n\t\r'\"", 5);
  assert_input ("\\a\\b\\f\\v", "\a\b\f\v", 4);
  assert_input ("one\\\ntwo", "onetwo", 6);
  /* Unknown ones stay as typed, as Python leaves them. */
  assert_input ("\\q\\ж", "\\q\\ж", 5);

  g_assert_true (lab_subprocess_make_input ("", &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);

  assert_input_refused ("a\\x4g", "Input: “\\x4g” is not a valid escape: \\x takes exactly two hex digits, as in \\x41");
  assert_input_refused ("\\x", "Input: “\\x” is not a valid escape: \\x takes exactly two hex digits, as in \\x41");
  assert_input_refused ("\\u00e", "Input: “\\u00e” is not a valid escape: \\u takes exactly four hex digits, as in \\u00e9");
  assert_input_refused ("\\U1F600", "Input: “\\U1F600” is not a valid escape: \\U takes exactly eight hex digits, as in \\U0001F600");
  assert_input_refused ("\\U00110000", "Input: “\\U00110000” is not a character: Unicode ends at \\U0010FFFF");
  assert_input_refused ("\\ud83d", "Input: “\\ud83d” is half of a surrogate pair, not a character: "
                        "write the character's own code, as in \\U0001F600");
  assert_input_refused ("\\N{EURO SIGN}", "Input: “\\N{…}”, a character by its name, is not supported here: "
                        "write its code instead, as in \\u00e9");
  assert_input_refused ("abc\\", "Input: it ends with a backslash (\\) that escapes nothing; write \\\\ for a backslash");
}

/* The bytes reach the child; a bad escape starts nothing. */
static void
test_input_escapes_run (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=cat", "input=\\x41\\u00e9\\0z", NULL);
  g_autoptr(LabRunner) refused = run_with ("command=cat", "input=\\xZZ", NULL);
  g_autofree char *out = metric_string (runner, "stdout");

  assert_done (runner);
  g_assert_cmpint (test_metric_int (runner, "stdin_bytes"), ==, 5);
  g_assert_cmpint (test_metric_int (runner, "stdout_bytes"), ==, 5);
  /* The zero byte is shown as U+FFFD. */
  g_assert_cmpstr (out, ==, "A\xc3\xa9\xef\xbf\xbdz");

  g_assert_cmpint (lab_runner_get_state (refused), ==, LAB_RUN_FAILED);
  g_assert_error ((GError *) lab_runner_get_error (refused), G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (lab_runner_get_error (refused)->message, "“\\xZZ”"));
  g_assert_null (lane_of_kind (lab_runner_get_trace (refused), LAB_LANE_PROCESS));
}

/* ---- the presets ---- */

static void
test_preset_list_folder (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=list-folder", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *parent, *child;
  g_autofree char *out = NULL;
  g_autofree char *lines = NULL;
  gint64 read_sum;

  assert_done (runner);
  out = metric_string (runner, "stdout");
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, 0);
  g_assert_false (test_metric_bool (runner, "timed_out"));
  g_assert_true (g_str_has_prefix (out, "total "));
  g_assert_cmpint (test_metric_int (runner, "stdout_bytes"), ==, strlen (out));

  /* Parent blocked in run(); the child's lane: spawn, life, reads, exit. */
  parent = lane_of_kind (trace, LAB_LANE_MAIN);
  child = lane_of_kind (trace, LAB_LANE_PROCESS);
  g_assert_nonnull (child);
  g_assert_cmpstr (child->name, ==, "child: ls -l");
  g_assert_cmpint (child->tid, ==, test_metric_int (runner, "pid"));
  g_assert_nonnull (find_span (trace, parent, LAB_STATE_WAITING, "subprocess.run(['ls', '-l'])"));
  g_assert_nonnull (find_span (trace, child, LAB_STATE_SPAWNING, NULL));
  g_assert_nonnull (find_span (trace, child, LAB_STATE_RUNNING, "ls -l"));
  g_assert_nonnull (find_mark (trace, child, "exit status 0"));
  g_assert_cmpuint (count_marks (trace, child, "read ", &read_sum), >=, 1);
  g_assert_cmpint (read_sum, ==, test_metric_int (runner, "stdout_bytes"));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* The output panel shows the same lines. */
  lines = output_of (trace, FALSE, NULL);
  g_assert_cmpstr (lines, ==, out);
}

static void
test_preset_bc (void)
{
  g_autofree char *bc = g_find_program_in_path ("bc");
  g_autoptr(LabRunner) runner = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const LabTraceLane *child;
  const LabEvent *wrote;
  LabTrace *trace;

  if (bc == NULL)
    {
      /* A dependency, not a reason to skip: build-aux/install-deps.sh
       * installs it. */
      g_test_fail_printf ("bc is not installed (Debian package “bc”)");
      return;
    }

  runner = run_with ("preset=bc", NULL);
  assert_done (runner);
  out = metric_string (runner, "stdout");
  err = metric_string (runner, "stderr");
  g_assert_cmpstr (out, ==, "6\n");
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (test_metric_int (runner, "stdin_bytes"), ==, 6);
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 0);

  trace = lab_runner_get_trace (runner);
  child = lane_of_kind (trace, LAB_LANE_PROCESS);
  wrote = find_mark (trace, child, "wrote 6 bytes to stdin");
  g_assert_nonnull (wrote);
  g_assert_cmpint (wrote->value, ==, 6);
  g_assert_nonnull (find_mark (trace, child, "closed stdin"));
  g_assert_nonnull (find_mark (trace, child, "read 2 bytes from stdout"));
}

static void
test_input_cat (void)
{
  g_autofree char *big = g_strnfill (200000, 'x');
  g_autofree char *big_input = g_strconcat ("input=", big, NULL);
  g_autoptr(LabRunner) escaped = run_with ("command=cat", "input=one\\ttwo\\nthree \\q\\\\", NULL);
  g_autoptr(LabRunner) large = run_with ("command=cat", big_input, NULL);
  g_autoptr(LabRunner) none = run_with ("command=cat", "input=", NULL);
  g_autofree char *out = metric_string (escaped, "stdout");
  g_autofree char *large_out = NULL;
  g_autofree char *none_out = metric_string (none, "stdout");
  g_autofree char *cut_size = g_format_size (200000 - LAB_CAPTURE_HEAD_BYTES - LAB_CAPTURE_TAIL_BYTES);
  g_autofree char *cut_note = NULL;
  gint64 written;

  /* Python's escapes; an unknown one stays as typed. */
  assert_done (escaped);
  g_assert_cmpstr (out, ==, "one\ttwo\nthree \\q\\");

  /* More than a pipe holds, in both directions at once: written in parts
   * while the echo is read, and the cut keeps its head and tail. */
  assert_done (large);
  g_assert_cmpint (test_metric_int (large, "stdin_bytes"), ==, 200000);
  g_assert_cmpint (test_metric_int (large, "stdout_bytes"), ==, 200000);
  g_assert_true (test_metric_bool (large, "output_cut"));
  large_out = metric_string (large, "stdout");
  g_assert_true (g_str_has_prefix (large_out, "xxxx"));
  cut_note = g_strdup_printf ("[… %s cut …]", cut_size);
  g_assert_nonnull (strstr (large_out, cut_note));
  g_assert_true (g_str_has_suffix (large_out, "xxxx"));
  count_marks (lab_runner_get_trace (large), lane_of_kind (lab_runner_get_trace (large), LAB_LANE_PROCESS),
               "wrote ", &written);
  g_assert_cmpint (written, ==, 200000);

  /* No input: stdin is /dev/null, cat ends at once. */
  assert_done (none);
  g_assert_cmpstr (none_out, ==, "");
  g_assert_cmpint (test_metric_int (none, "stdin_bytes"), ==, 0);
}

static void
test_preset_sleep_run (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=sleep-run", "command=sleep 0.3", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  double returned = test_metric_double (runner, "returned_after_s");
  const LabSpan *blocked;

  g_test_message ("run: returned after %.3f s, wall %.3f s", returned,
                  test_metric_double (runner, "wall_s"));
  assert_done (runner);
  g_assert_cmpfloat (returned, >=, 0.3);
  g_assert_cmpfloat (returned, <, 0.3 + 0.2);
  g_assert_cmpfloat (test_metric_double (runner, "wall_s"), >=, returned);

  /* One wait as long as the child's life. */
  blocked = find_span (trace, lane_of_kind (trace, LAB_LANE_MAIN), LAB_STATE_WAITING, "subprocess.run(");
  g_assert_nonnull (blocked);
  g_assert_cmpint (blocked->end_ns - blocked->start_ns, >=, 300 * G_GINT64_CONSTANT (1000000));
  g_assert_null (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "poll()"));
}

static void
test_preset_sleep_popen (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=sleep-popen", "command=sleep 0.6", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *parent = lane_of_kind (trace, LAB_LANE_MAIN);
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  double returned = test_metric_double (runner, "returned_after_s");
  double wall = test_metric_double (runner, "wall_s");
  const LabSpan *work, *life, *waiting;

  g_test_message ("popen: returned after %.4f s, wall %.3f s", returned, wall);
  assert_done (runner);
  /* Popen returns long before the 0.6 s the child sleeps; the run waits
   * for the child once, not twice (bounds loose for a loaded machine). */
  g_assert_cmpfloat (returned, <, 0.5);
  g_assert_cmpfloat (wall, >=, 0.6);
  g_assert_cmpfloat (wall, <, 2 * 0.6);

  /* Free at once: the parent worked (and polled) while the child ran, then
   * waited for the rest. */
  g_assert_nonnull (find_mark (trace, parent, "Popen() returned after"));
  g_assert_cmpuint (count_marks (trace, parent, "poll() → None", NULL), >=, 2);
  work = find_span (trace, parent, LAB_STATE_RUNNING, "parent keeps working");
  life = find_span (trace, child, LAB_STATE_RUNNING, "sleep 0.6");
  waiting = find_span (trace, parent, LAB_STATE_WAITING, "communicate()");
  g_assert_nonnull (work);
  g_assert_nonnull (life);
  g_assert_nonnull (waiting);
  g_assert_cmpint (work->start_ns, >=, life->start_ns);
  g_assert_cmpint (work->end_ns, <=, life->end_ns);
  g_assert_cmpint (waiting->end_ns, >=, life->end_ns);
}

static void
test_preset_timeout (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=timeout", "timeout_s=0.3", NULL);
  /* Like Python: SIGKILL at once, so ignoring SIGTERM changes nothing. */
  g_autoptr(LabRunner) stubborn = run_with ("preset=timeout", "timeout_s=0.2",
                                            "command=sh -c 'trap \"\" TERM; exec sleep 10'", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  double wall = test_metric_double (runner, "wall_s");
  g_autofree char *error = metric_string (runner, "error");
  g_autofree char *stubborn_error = metric_string (stubborn, "error");

  g_test_message ("timeout 0.3 s: ended after %.3f s (%s); ignoring SIGTERM: %.3f s (%s)",
                  wall, error, test_metric_double (stubborn, "wall_s"), stubborn_error);
  assert_done (runner);
  g_assert_true (test_metric_bool (runner, "timed_out"));
  g_assert_cmpint (test_metric_int (runner, "signal"), ==, SIGKILL);
  /* Python's returncode. */
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, -SIGKILL);
  g_assert_cmpstr (error, ==, "Command '['sleep', '10']' timed out after 0.3 seconds");
  g_assert_cmpfloat (wall, >=, 0.3);
  g_assert_nonnull (find_mark (trace, child, "timed out after 0.3 s: sent SIGKILL to the process group"));
  g_assert_nonnull (find_mark (trace, child, "killed by signal 9 (SIGKILL)"));
  g_assert_null (find_mark (trace, child, "timed out after 0.3 s: sent SIGTERM"));
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "TimeoutExpired"));

  assert_done (stubborn);
  g_assert_true (test_metric_bool (stubborn, "timed_out"));
  g_assert_cmpint (test_metric_int (stubborn, "signal"), ==, SIGKILL);
  g_assert_cmpint (test_metric_int (stubborn, "exit_code"), ==, -SIGKILL);
  g_assert_cmpstr (stubborn_error, ==,
                   "Command '['sh', '-c', 'trap \"\" TERM; exec sleep 10']' timed out after 0.2 seconds");
}

static void
test_preset_check_fails (void)
{
  g_autoptr(LabRunner) runner = run_with ("preset=check-fails", NULL);
  g_autoptr(LabRunner) unchecked = run_with ("preset=check-fails", "check=false", NULL);
  g_autoptr(LabRunner) passes = run_with ("preset=check-fails", "command=true", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const GError *error = lab_runner_get_error (runner);
  g_autofree char *err_lines = NULL;
  g_autofree char *unchecked_error = NULL;
  g_autofree char *unchecked_stderr = NULL;
  guint n_err_lines;

  /* The run fails, and says with which status. */
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_error ((GError *) error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("check: %s", error->message);
  g_assert_nonnull (strstr (error->message, "exited with status 2"));
  g_assert_nonnull (strstr (error->message, "ls /no/such/folder"));

  /* Everything happened on the timeline and in the output first. */
  err_lines = output_of (trace, TRUE, &n_err_lines);
  g_assert_cmpuint (n_err_lines, ==, 1);
  g_assert_nonnull (strstr (err_lines, "/no/such/folder"));
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_PROCESS), "exit status 2"));
  g_assert_nonnull (find_mark (trace, lane_of_kind (trace, LAB_LANE_MAIN), "CalledProcessError"));
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);

  /* Without check, the status is just a metric. */
  assert_done (unchecked);
  unchecked_error = metric_string (unchecked, "error");
  unchecked_stderr = metric_string (unchecked, "stderr");
  g_assert_cmpint (test_metric_int (unchecked, "exit_code"), ==, 2);
  g_assert_cmpstr (unchecked_error, ==, "");
  g_assert_nonnull (strstr (unchecked_stderr, "/no/such/folder"));
  g_assert_cmpint (test_metric_int (unchecked, "stderr_bytes"), ==, strlen (unchecked_stderr));

  /* With check, status 0 is fine. */
  assert_done (passes);
}

static void
test_popen_pipe_full (void)
{
  /* A Popen parent reads nothing before communicate(): a child with more
   * to say than a pipe holds waits (poll() stays None) until then. */
  g_autoptr(LabRunner) runner = run_with ("command=head -c 1000000 /dev/zero", "mode=popen", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabTraceLane *parent = lane_of_kind (trace, LAB_LANE_MAIN);
  const LabSpan *waiting = find_span (trace, parent, LAB_STATE_WAITING, "communicate()");
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  const LabEvent *first_read;

  assert_done (runner);
  g_assert_cmpint (test_metric_int (runner, "stdout_bytes"), ==, 1000000);
  g_assert_cmpuint (count_marks (trace, parent, "poll() → None", NULL), ==, 4);
  first_read = find_mark (trace, child, "read ");
  g_assert_nonnull (waiting);
  g_assert_nonnull (first_read);
  g_assert_cmpint (first_read->ts_ns, >=, waiting->start_ns);
}

static void
test_capture_off (void)
{
  g_autoptr(LabRunner) runner = run_with ("command=echo hello", "capture=false", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autofree char *out = NULL;
  guint n_lines;

  assert_done (runner);
  out = metric_string (runner, "stdout");
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (test_metric_int (runner, "stdout_bytes"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "exit_code"), ==, 0);
  g_free (output_of (trace, FALSE, &n_lines));
  g_assert_cmpuint (n_lines, ==, 0);
  g_assert_cmpuint (count_marks (trace, lane_of_kind (trace, LAB_LANE_PROCESS), "read ", NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Not "/subprocess/...": GLib keeps test paths containing "/subprocess"
   * for g_test_trap_subprocess() and skips them in a normal run. */
  g_test_add_func ("/running-programs/capture/ring", test_capture_ring);
  g_test_add_func ("/running-programs/capture/text", test_capture_text);
  g_test_add_func ("/running-programs/capture/lines", test_capture_lines);
  g_test_add_func ("/running-programs/contract", test_contract);
  g_test_add_func ("/running-programs/signal-names", test_signal_names);
  g_test_add_func ("/running-programs/preset/list-folder", test_preset_list_folder);
  g_test_add_func ("/running-programs/preset/bc", test_preset_bc);
  g_test_add_func ("/running-programs/preset/sleep-run", test_preset_sleep_run);
  g_test_add_func ("/running-programs/preset/sleep-popen", test_preset_sleep_popen);
  g_test_add_func ("/running-programs/preset/timeout", test_preset_timeout);
  g_test_add_func ("/running-programs/preset/check-fails", test_preset_check_fails);
  g_test_add_func ("/running-programs/input/cat", test_input_cat);
  g_test_add_func ("/running-programs/input/escapes", test_input_escapes);
  g_test_add_func ("/running-programs/input/escapes-run", test_input_escapes_run);
  g_test_add_func ("/running-programs/popen/pipe-full", test_popen_pipe_full);
  g_test_add_func ("/running-programs/capture-off", test_capture_off);

  return g_test_run ();
}
