/* test-engine-bad.c — the CPython engine under bad input: no Python, an old
 * one, a program that does not parse, raises, never ends, forks without
 * end, prints 100 MB, cuts the tracer off or writes garbage to it. Each
 * ends with one clear line (or a note), a known exit status, and nothing
 * of the program left running. Counts, statuses and messages; the only
 * time bound is a generous one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab-py-trace.h"
#include "lab-python.h"
#include "lab-time.h"
#include "test-proc-util.h"
#include "test-cli-util.h"

static const char *python = "/usr/bin/python3";

static gboolean
have_python (void)
{
  if (g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  /* On CI a missing interpreter is a broken setup, not a reason to skip. */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is missing: the CPython engine cannot be tested", python);
  g_test_skip ("no Python interpreter at /usr/bin/python3");
  return FALSE;
}

static char *
program (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "py", name, NULL);
}

/* Processes whose command line names @name (a test program), zombies
 * aside: what a run left behind. */
static guint
count_running (const char *name)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *cmdline_path = g_strdup_printf ("/proc/%s/cmdline", entry);
      g_autofree char *cmdline = NULL;
      gsize len = 0;
      char state = 0;
      int ppid;

      if (!test_proc_stat (entry, &state, &ppid) || state == 'Z' ||
          !g_file_get_contents (cmdline_path, &cmdline, &len, NULL))
        continue;
      /* The arguments are separated by NULs. */
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      n += strstr (cmdline, name) != NULL;
    }
  return n;
}

static void
assert_nothing_left (const char *name)
{
  /* A killed process is reaped by its parent or by init a moment later. */
  for (int i = 0; i < 250 && count_running (name) > 0; i++)
    g_usleep (20000);
  g_assert_cmpuint (count_running (name), ==, 0);
}

typedef struct
{
  LabStringPool *pool;
  LabRecorder   *recorder;
  LabTrace      *trace;
  GError        *error;
  char          *out_text;
  GStrv          notes;
  int            exit_status;
  guint64        output_dropped;
  gboolean       ok;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->trace, lab_trace_unref);
  g_clear_pointer (&r->recorder, lab_recorder_unref);
  g_clear_pointer (&r->pool, lab_string_pool_unref);
  g_clear_error (&r->error);
  g_clear_pointer (&r->out_text, g_free);
  g_clear_pointer (&r->notes, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs tests/data/py/@name with @options (its out fields are filled in
 * here) and drains its records into r->trace. */
static void
run_traced (Run               *r,
            const char        *name,
            const char * const *argv,
            LabPyTraceOptions *options,
            GCancellable      *cancellable)
{
  g_autofree char *path = program (name);
  LabPyTraceOptions none = { 0 };

  if (options == NULL)
    options = &none;
  options->out_text = &r->out_text;
  options->notes = &r->notes;
  options->exit_status = &r->exit_status;
  options->output_dropped = &r->output_dropped;
  r->pool = lab_string_pool_new ();
  r->recorder = lab_recorder_new (r->pool);
  r->trace = lab_trace_new (r->pool);
  r->ok = lab_py_trace_run_full (python, path, argv, options, r->recorder, cancellable, &r->error);
  lab_recorder_drain (r->recorder, r->trace);
}

/* Whether some event of the trace is labelled @label. */
static gboolean
trace_has_label (LabTrace   *trace,
                 const char *label)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      for (guint j = 0; j < lane->events->len; j++)
        if (g_strcmp0 (lab_trace_get_string (trace, g_array_index (lane->events, LabEvent, j).label),
                       label) == 0)
          return TRUE;
    }
  return FALSE;
}

/* ---- the interpreter ---- */

static void
test_python_missing (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *path = program ("threads.py");
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);

  /* The path the user gave is named, not "install python3". */
  found = lab_python_find ("/nonexistent/python3", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Python was not found at /nonexistent/python3");
  g_clear_error (&error);

  g_assert_false (lab_py_trace_run ("/nonexistent/python3", path, NULL, recorder, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/python3"));
}

static void
test_python_old (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-old-python-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "python3", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\necho 3.10.12\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  found = lab_python_find (fake, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "Python 3.10.12 is too old"));
  g_assert_nonnull (strstr (error->message, "3.11"));
  g_assert_null (strchr (error->message, '\n'));
  g_unlink (fake);
  g_rmdir (dir);
}

/* ---- programs that fail ---- */

static void
assert_fails_with (const char *name,
                   const char *message)
{
  g_auto(Run) r = { 0 };

  run_traced (&r, name, NULL, NULL, NULL);
  g_assert_false (r.ok);
  g_assert_error (r.error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED);
  g_assert_cmpstr (r.error->message, ==, message);
  g_assert_cmpint (r.exit_status, ==, 1);
  assert_nothing_left (name);
}

/* Python's message with the file and the line. */
static void
test_syntax_error (void)
{
  if (!have_python ())
    return;
  assert_fails_with ("syntax_error.py",
                     "The program failed: syntax_error.py, line 2: "
                     "SyntaxError: '(' was never closed");
}

/* The traceback's last line, where the program raised it. */
static void
test_raises (void)
{
  if (!have_python ())
    return;
  assert_fails_with ("raises.py", "The program failed: raises.py, line 3: ValueError: bad value 42");
}

/* Raised inside the standard library: the program's own line is shown,
 * not subprocess.py's. */
static void
test_raises_in_library (void)
{
  if (!have_python ())
    return;
  assert_fails_with ("bad_call.py",
                     "The program failed: bad_call.py, line 7: FileNotFoundError: [Errno 2] "
                     "No such file or directory: 'no-such-program-anywhere'");
}

/* ---- programs that do not stop ---- */

/* Stop ends a program that never ends, and all of it. */
static void
test_forever_cancel (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TestStopLater stop = { cancellable, 0 };
  GThread *thread;
  gint64 stop_ns;

  if (!have_python ())
    return;
  thread = g_thread_new ("stop-later", test_stop_later, &stop);
  run_traced (&r, "forever.py", NULL, NULL, cancellable);
  stop_ns = lab_clock_now_ns ();
  g_thread_join (thread);
  stop_ns -= stop.cancelled_ns;
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Killed by the lab (SIGKILL): no note that tracing stopped early. */
  g_assert_cmpint (r.exit_status, ==, 128 + SIGKILL);
  g_assert_cmpuint (g_strv_length (r.notes), ==, 0);
  /* Its main thread, if the tracer had started by then; no more. */
  g_assert_cmpuint (lab_trace_get_n_lanes (r.trace), <=, 1);
  /* A generous bound (the 200 ms claim is measured in bench-cpython). */
  g_assert_cmpint (stop_ns, <, 5 * G_GINT64_CONSTANT (1000000000));
  g_test_message ("stopped %.1f ms after the cancel", stop_ns / 1e6);
  assert_nothing_left ("forever.py");
}

/* A program forking 1000 processes is stopped at the limit, its whole
 * tree killed. */
static void
test_fork_bomb (void)
{
  g_auto(Run) r = { 0 };
  LabPyTraceOptions options = { .max_processes = 32 };

  if (!have_python ())
    return;
  run_traced (&r, "fork_bomb.py", NULL, &options, NULL);
  g_assert_false (r.ok);
  g_assert_error (r.error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_TOO_MANY_PROCESSES);
  g_assert_cmpstr (r.error->message, ==, "The program started more than 32 processes; it was stopped");
  g_assert_cmpint (r.exit_status, ==, 128 + SIGKILL);
  /* It never got to say how many it started. */
  g_assert_false (trace_has_label (r.trace, "started 1000 children"));
  assert_nothing_left ("fork_bomb.py");
}

/* Processes that are not Python connect to nothing: the count of the
 * process group stops them. */
static void
test_popen_bomb (void)
{
  g_auto(Run) r = { 0 };
  LabPyTraceOptions options = { .max_processes = 32 };

  if (!have_python ())
    return;
  run_traced (&r, "popen_bomb.py", NULL, &options, NULL);
  g_assert_error (r.error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_TOO_MANY_PROCESSES);
  g_assert_cmpint (r.exit_status, ==, 128 + SIGKILL);
  /* One traced process: the program itself. */
  g_assert_cmpuint (lab_trace_get_n_lanes (r.trace), ==, 1);
  assert_nothing_left ("popen_bomb.py");
  assert_nothing_left ("sleep 60.125");
}

/* ---- output and the tracer's socket ---- */

/* 100 MB printed: the lab keeps 1 MB of it, says how much it dropped, the
 * records after it still arrive, and its memory does not follow. */
static void
test_prints_100mb (void)
{
  g_auto(Run) r = { 0 };
  LabPyTraceOptions options = { .max_output = 1024 * 1024 };
  const char * const argv[] = { "100", NULL };
  guint64 before_kb, after_kb;
  gsize len;

  if (!have_python ())
    return;
  /* "5" resets the peak to the current size (Linux 4.0 and later). */
  g_file_set_contents ("/proc/self/clear_refs", "5", -1, NULL);
  before_kb = test_proc_self_status ("VmHWM");
  run_traced (&r, "prints_a_lot.py", argv, &options, NULL);
  after_kb = test_proc_self_status ("VmHWM");
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (r.exit_status, ==, 0);

  /* 100 MiB of lines and a 3 MiB one, less the 1 MiB kept. Sizes are
   * written with a no-break space. */
  g_assert_cmpuint (r.output_dropped, >, G_GUINT64_CONSTANT (100) * 1024 * 1024);
  g_assert_cmpuint (g_strv_length (r.notes), ==, 1);
  g_test_message ("%s", r.notes[0]);
  g_assert_nonnull (strstr (r.notes[0], "The program printed 108.0\xc2\xa0MB; the lab keeps 1.0\xc2\xa0MB of it"));
  /* The end of the output is kept, whole lines only. */
  len = strlen (r.out_text);
  g_assert_cmpuint (len, <=, 1024 * 1024);
  g_assert_true (g_str_has_suffix (r.out_text, "the last line\n"));
  /* The line of 3 MiB without a newline came in pieces of 64 KiB. */
  g_assert_nonnull (strstr (r.out_text, "\nyyyy"));
  g_assert_null (strstr (r.out_text, "xy"));
  /* The timeline has the first lines and says where it stops. */
  g_assert_true (trace_has_label (r.trace, "[The program printed more than 1.0\xc2\xa0MB: "
                                           "the lines after this one are not shown]"));
  g_assert_false (trace_has_label (r.trace, "the last line"));
  /* Records after the flood arrive: the call, and the thread's end. */
  g_assert_true (trace_has_label (r.trace, "after_printing"));

#ifndef __SANITIZE_ADDRESS__
  /* AddressSanitizer holds freed memory in quarantine: only the plain
   * build measures the peak. */
  g_test_message ("VmHWM %" G_GUINT64_FORMAT " kB → %" G_GUINT64_FORMAT " kB", before_kb, after_kb);
  g_assert_cmpuint (after_kb - before_kb, <, 48 * 1024);
#endif
  assert_nothing_left ("prints_a_lot.py");
}

/* The program closes the tracer's socket: the run still ends with its
 * own exit status, and a note says the trace stopped early. */
static void
test_closes_socket (void)
{
  g_auto(Run) r = { 0 };

  if (!have_python ())
    return;
  run_traced (&r, "closes_socket.py", NULL, NULL, NULL);
  g_assert_false (r.ok);
  g_assert_error (r.error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED);
  g_assert_cmpstr (r.error->message, ==, "The program ended with exit status 3");
  g_assert_cmpint (r.exit_status, ==, 3);
  g_assert_cmpuint (g_strv_length (r.notes), ==, 1);
  g_assert_true (g_str_has_prefix (r.notes[0], "Tracing of pid "));
  g_assert_nonnull (strstr (r.notes[0], "stopped early"));
  g_assert_false (trace_has_label (r.trace, "after closing"));
  /* It slept after closing: still running when its socket closed. */
  g_assert_true (trace_has_label (r.trace, "Tracing stopped here: the program closed the lab's socket"));
  assert_nothing_left ("closes_socket.py");
}

/* Garbage on the socket: an error naming the process, never a crash. */
static void
test_garbage (void)
{
  g_auto(Run) r = { 0 };

  if (!have_python ())
    return;
  run_traced (&r, "garbage_socket.py", NULL, NULL, NULL);
  g_assert_false (r.ok);
  g_assert_error (r.error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_BAD_TRACE);
  g_assert_true (g_str_has_prefix (r.error->message, "The trace is incomplete: pid "));
  g_assert_nonnull (strstr (r.error->message, "is not a trace record (garbage on the socket)"));
  g_assert_cmpint (r.exit_status, ==, 0);
  /* What came before the garbage stays. */
  g_assert_true (trace_has_label (r.trace, "hello"));
  assert_nothing_left ("garbage_socket.py");
}

/* ---- the command line ---- */

static char *
trace_option (const char *name)
{
  g_autofree char *path = program (name);

  return g_strconcat ("--trace=", path, NULL);
}

/* One line on stderr that holds @needle. */
static void
assert_one_line (const char *err,
                 const char *needle)
{
  const char *newline = strchr (err, '\n');

  g_assert_nonnull (strstr (err, needle));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
}

static void
test_cli_python_missing (void)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) missing = { 0 };
  g_autofree char *trace = trace_option ("threads.py");

  run_cli (&r, trace, "--python=/nonexistent/python3", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "concurrency-lab: Python was not found at /nonexistent/python3\n");

  run_cli (&missing, "--trace=/nonexistent/program.py", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  assert_one_line (missing.err, "/nonexistent/program.py: no such Python program");
}

/* $LAB_MAX_PROCESSES (set in main()) lowers the limit of the command line. */
static void
test_cli_fork_bomb (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = trace_option ("fork_bomb.py");

  if (!have_python ())
    return;
  run_cli (&r, trace, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_one_line (r.err, "concurrency-lab: The program started more than 32 processes; it was stopped");
  assert_nothing_left ("fork_bomb.py");
}

/* The end of what the program printed is shown, and the note. */
static void
test_cli_prints (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = trace_option ("prints_a_lot.py");

  if (!have_python ())
    return;
  run_cli (&r, trace, "--", "20", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\nthe last line\nwall_s "));
  g_assert_cmpuint (strlen (r.out), <, 9 * 1024 * 1024);
  assert_one_line (r.err, "; the lab keeps 8.4\xc2\xa0MB of it");
}

static void
test_cli_closes_socket (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = trace_option ("closes_socket.py");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (!have_python ())
    return;
  run_cli (&r, trace, "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "metrics"),
                                               "exit_status"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "notes")), ==, 1);
  g_assert_nonnull (strstr (r.err, "stopped early"));
  g_assert_nonnull (strstr (r.err, "concurrency-lab: The program ended with exit status 3\n"));
}

/* A listing that raises because of a bad parameter value: one line. */
static void
test_cli_run_bad_value (void)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) missing = { 0 };

  if (!have_python ())
    return;
  run_cli (&r, "--run=subprocess-run", "--engine=cpython", "--set=mode=popen",
           "--set=command=no-such-program-anywhere", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "concurrency-lab: subprocess-run: The program failed: "
                                   "FileNotFoundError: [Errno 2] No such file or directory: "
                                   "'no-such-program-anywhere'\n"));
  assert_nothing_left ("no-such-program-anywhere");

  run_cli (&missing, "--run=threads-hello", "--engine=cpython", "--python=/nonexistent/python3", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.err, ==, "concurrency-lab: Python was not found at /nonexistent/python3\n");
}

int
main (int argc, char **argv)
{
  /* Before any thread exists; the in-process runs ask for their own. */
  g_setenv ("LAB_MAX_PROCESSES", "32", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine-bad/python/missing", test_python_missing);
  g_test_add_func ("/engine-bad/python/old", test_python_old);
  g_test_add_func ("/engine-bad/program/syntax-error", test_syntax_error);
  g_test_add_func ("/engine-bad/program/raises", test_raises);
  g_test_add_func ("/engine-bad/program/raises-in-library", test_raises_in_library);
  g_test_add_func ("/engine-bad/program/forever-cancel", test_forever_cancel);
  g_test_add_func ("/engine-bad/program/fork-bomb", test_fork_bomb);
  g_test_add_func ("/engine-bad/program/popen-bomb", test_popen_bomb);
  g_test_add_func ("/engine-bad/program/prints-100mb", test_prints_100mb);
  g_test_add_func ("/engine-bad/socket/closed", test_closes_socket);
  g_test_add_func ("/engine-bad/socket/garbage", test_garbage);
  g_test_add_func ("/engine-bad/cli/python-missing", test_cli_python_missing);
  g_test_add_func ("/engine-bad/cli/fork-bomb", test_cli_fork_bomb);
  g_test_add_func ("/engine-bad/cli/prints", test_cli_prints);
  g_test_add_func ("/engine-bad/cli/closes-socket", test_cli_closes_socket);
  g_test_add_func ("/engine-bad/cli/run-bad-value", test_cli_run_bad_value);
  return g_test_run ();
}
