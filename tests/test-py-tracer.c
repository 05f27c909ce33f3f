/* test-py-tracer.c — real Python programs (tests/data/py/) run under the
 * tracer: lanes, sleep and lock spans, printed lines in order, queue
 * arrows, spawn children, exceptions, Python's own error text, and Stop
 * killing the whole process tree. Counts and orders only, no timings.
 *
 * The interpreter is /usr/bin/python3 (Debian's; `python3` on PATH may be
 * another one) or $LAB_TEST_PYTHON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "lab-py-trace.h"

typedef struct
{
  LabStringPool *pool;
  LabRecorder   *recorder;
  LabTrace      *trace;
} Run;

static const char *
python_or_skip (void)
{
  const char *python = g_getenv ("LAB_TEST_PYTHON");

  if (python == NULL || python[0] == '\0')
    python = "/usr/bin/python3";
  if (g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    return python;
  /* On CI a missing interpreter is a broken setup, not a reason to skip. */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is missing: the CPython engine cannot be tested", python);
  g_test_skip ("no Python interpreter at /usr/bin/python3");
  return NULL;
}

static char *
script_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "py", name, NULL);
}

static void
run_init (Run *run)
{
  run->pool = lab_string_pool_new ();
  run->recorder = lab_recorder_new (run->pool);
  run->trace = lab_trace_new (run->pool);
}

static void
run_clear (Run *run)
{
  lab_trace_unref (run->trace);
  lab_recorder_unref (run->recorder);
  lab_string_pool_unref (run->pool);
}

/* Runs tests/data/py/@name; returns the result of lab_py_trace_run. */
static gboolean
run_script (Run *run, const char *python, const char *name, GError **error)
{
  g_autofree char *script = script_path (name);
  gboolean ok;

  run_init (run);
  ok = lab_py_trace_run (python, script, NULL, run->recorder, NULL, error);
  lab_recorder_drain (run->recorder, run->trace);
  return ok;
}

static const LabTraceLane *
find_main_lane (LabTrace *trace)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    if (lab_trace_get_lane (trace, i)->kind == LAB_LANE_MAIN)
      return lab_trace_get_lane (trace, i);
  return NULL;
}

static const LabTraceLane *
find_lane (LabTrace *trace, const char *prefix)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    if (g_str_has_prefix (lab_trace_get_lane (trace, i)->name, prefix))
      return lab_trace_get_lane (trace, i);
  return NULL;
}

static guint
count_spans (const LabTraceLane *lane, LabState state)
{
  guint n = 0;

  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint i = 0; i < lane->spans[d]->len; i++)
      n += g_array_index (lane->spans[d], LabSpan, i).state == state;
  return n;
}

static gboolean
has_span_named (LabTrace *trace, const LabTraceLane *lane, const char *label)
{
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint i = 0; i < lane->spans[d]->len; i++)
      if (g_strcmp0 (lab_trace_get_string (trace, g_array_index (lane->spans[d], LabSpan, i).label),
                     label) == 0)
        return TRUE;
  return FALSE;
}

static void
test_threads (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  const LabOutputLine *lines;
  guint n_lines, next_step[4] = { 0 };
  Run run;

  if (python == NULL)
    return;
  run_script (&run, python, "threads.py", &error);
  g_assert_no_error (error);

  g_assert_nonnull (find_lane (run.trace, "MainThread (pid "));
  g_assert_cmpint (find_lane (run.trace, "MainThread (pid ")->kind, ==, LAB_LANE_MAIN);
  for (guint w = 1; w <= 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u (pid ", w);
      const LabTraceLane *lane = find_lane (run.trace, name);

      g_assert_nonnull (lane);
      g_assert_cmpint (lane->kind, ==, LAB_LANE_THREAD);
      g_assert_cmpuint (count_spans (lane, LAB_STATE_SLEEPING), ==, 2);
      g_assert_cmpuint (count_spans (lane, LAB_STATE_LOCK_WAIT), ==, 2);
      g_assert_cmpuint (count_spans (lane, LAB_STATE_LOCK_HELD), ==, 2);
      /* The program's own function, never the standard library's. */
      g_assert_true (has_span_named (run.trace, lane, "work"));
      g_assert_false (has_span_named (run.trace, lane, "Thread.run"));
    }

  /* "start", each worker's steps in its own order, "total 6" last. */
  lines = lab_trace_get_output (run.trace, &n_lines);
  g_assert_cmpuint (n_lines, ==, 8);
  g_assert_cmpstr (lab_trace_get_string (run.trace, lines[0].label), ==, "start");
  g_assert_cmpstr (lab_trace_get_string (run.trace, lines[7].label), ==, "total 6");
  for (guint i = 1; i < 7; i++)
    {
      const char *text = lab_trace_get_string (run.trace, lines[i].label);
      g_autofree char *lane_prefix = NULL;
      guint w = 0, step = 0;

      g_assert_cmpint (sscanf (text, "worker-%u step %u", &w, &step), ==, 2);
      g_assert_cmpuint (w, >=, 1);
      g_assert_cmpuint (w, <=, 3);
      g_assert_cmpuint (step, ==, next_step[w]++);
      lane_prefix = g_strdup_printf ("worker-%u (pid ", w);
      g_assert_cmpstr (lab_trace_get_lane (run.trace, lines[i].lane)->name, ==,
                       find_lane (run.trace, lane_prefix)->name);
    }
  run_clear (&run);
}

static void
test_queue (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  const LabTraceLane *producer, *consumer;
  const LabFlowArrow *flows;
  guint n_flows;
  Run run;

  if (python == NULL)
    return;
  run_script (&run, python, "queue_pc.py", &error);
  g_assert_no_error (error);
  producer = find_lane (run.trace, "producer (pid ");
  consumer = find_lane (run.trace, "consumer (pid ");
  g_assert_nonnull (producer);
  g_assert_nonnull (consumer);

  /* Five items and the stop sign: six arrows from producer to consumer. */
  flows = lab_trace_get_flows (run.trace, &n_flows);
  g_assert_cmpuint (n_flows, ==, 6);
  for (guint i = 0; i < n_flows; i++)
    {
      g_assert_cmpstr (lab_trace_get_lane (run.trace, flows[i].from_lane)->name, ==, producer->name);
      g_assert_cmpstr (lab_trace_get_lane (run.trace, flows[i].to_lane)->name, ==, consumer->name);
    }
  g_assert_cmpuint (count_spans (consumer, LAB_STATE_WAITING), ==, 6);
  run_clear (&run);
}

static void
test_spawn_pool (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) child_pids = g_hash_table_new (NULL, NULL);
  g_autofree char *main_name = NULL;
  const LabTraceLane *main_lane;
  guint squares = 0;
  Run run;

  if (python == NULL)
    return;
  run_script (&run, python, "pool_spawn.py", &error);
  g_assert_no_error (error);
  main_lane = find_main_lane (run.trace);
  main_name = g_strdup_printf ("MainThread (pid %d)", main_lane->tid);
  g_assert_cmpstr (main_lane->name, ==, main_name);

  for (guint i = 0; i < lab_trace_get_n_lanes (run.trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (run.trace, i);
      g_autofree char *own_name = NULL;

      if (lane->kind != LAB_LANE_PROCESS)
        continue;
      /* A child's main thread: named by its own pid, not the parent's. */
      own_name = g_strdup_printf ("MainThread (pid %d)", lane->tid);
      g_assert_cmpstr (lane->name, ==, own_name);
      g_assert_cmpint (lane->tid, !=, main_lane->tid);
      g_hash_table_add (child_pids, GINT_TO_POINTER (lane->tid));
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        for (guint s = 0; s < lane->spans[d]->len; s++)
          squares += g_strcmp0 (lab_trace_get_string (run.trace,
                                                      g_array_index (lane->spans[d], LabSpan, s).label),
                                "square") == 0;
    }
  g_assert_cmpuint (g_hash_table_size (child_pids), ==, 2);
  /* Eight calls of square(), all in the children. */
  g_assert_cmpuint (squares, ==, 8);
  g_assert_false (has_span_named (run.trace, main_lane, "square"));
  run_clear (&run);
}

static void
test_fork (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  const LabOutputLine *lines;
  const LabTraceLane *parent, *child;
  guint n_lines;
  Run run;

  if (python == NULL)
    return;
  run_script (&run, python, "fork_child.py", &error);
  g_assert_no_error (error);

  /* The child opened its own connection: a lane of its own pid, with the
   * line it printed just before os._exit(). */
  lines = lab_trace_get_output (run.trace, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);
  g_assert_cmpstr (lab_trace_get_string (run.trace, lines[0].label), ==, "from the child");
  g_assert_cmpstr (lab_trace_get_string (run.trace, lines[1].label), ==, "from the parent");
  child = lab_trace_get_lane (run.trace, lines[0].lane);
  parent = lab_trace_get_lane (run.trace, lines[1].lane);
  g_assert_cmpint (child->kind, ==, LAB_LANE_PROCESS);
  g_assert_cmpint (parent->kind, ==, LAB_LANE_MAIN);
  g_assert_cmpint (child->tid, !=, parent->tid);
  run_clear (&run);
}

static void
test_exception (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  const LabTraceLane *lane;
  guint n_errors = 0;
  Run run;

  if (python == NULL)
    return;
  g_assert_false (run_script (&run, python, "raises.py", &error));
  g_assert_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The program failed: raises.py, line 3: ValueError: bad value 42");

  lane = find_lane (run.trace, "MainThread (pid ");
  for (guint i = 0; i < lane->marks->len; i++)
    {
      const LabEvent *e = &g_array_index (lane->events, LabEvent, g_array_index (lane->marks, guint32, i));

      if (e->flags & LAB_EVENT_FLAG_ERROR)
        {
          g_assert_cmpstr (lab_trace_get_string (run.trace, e->label), ==, "ValueError: bad value 42");
          n_errors++;
        }
    }
  g_assert_cmpuint (n_errors, ==, 1);
  /* Its traceback is on the lane as lines of standard error; spans of
   * the functions the exception went through are closed. */
  g_assert_true (has_span_named (run.trace, lane, "check"));
  g_assert_false (g_array_index (lane->spans[0], LabSpan, 0).open);
  run_clear (&run);
}

static void
test_syntax_error (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  Run run;

  if (python == NULL)
    return;
  g_assert_false (run_script (&run, python, "syntax_error.py", &error));
  g_assert_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "The program failed: syntax_error.py, line 2: SyntaxError: "));
  run_clear (&run);
}

/* A program that writes without end to standard error: only the end of
 * it is kept to find Python's message, not all of it in memory. */
static void
test_stderr_flood (void)
{
  const char *python = python_or_skip ();
  g_autoptr(GError) error = NULL;
  struct rusage before, after;
  Run run;

  if (python == NULL)
    return;
  getrusage (RUSAGE_SELF, &before);
  g_assert_false (run_script (&run, python, "stderr_flood.py", &error));
  getrusage (RUSAGE_SELF, &after);
  g_assert_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The program failed: stderr_flood.py, line 8: RuntimeError: after the flood");
  /* 200 MB went through; the peak grew by far less (kilobytes). */
  g_test_message ("peak memory grew by %ld kB", after.ru_maxrss - before.ru_maxrss);
#ifndef __SANITIZE_ADDRESS__
  /* (AddressSanitizer keeps up to 256 MB of freed blocks in quarantine:
   * the peak says nothing there.) */
  g_assert_cmpint (after.ru_maxrss - before.ru_maxrss, <, 64 * 1024);
#endif
  run_clear (&run);
}

static void
test_missing_python (void)
{
  g_autoptr(GError) error = NULL;
  Run run;

  g_assert_false (run_script (&run, "/nonexistent/python3", "threads.py", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Python was not found at /nonexistent/python3");
  run_clear (&run);
}

typedef struct
{
  Run           run;
  const char   *python;
  GCancellable *cancellable;
  GError       *error;
  gboolean      ok;
} CancelRun;

static gpointer
cancel_run_thread (gpointer data)
{
  CancelRun *c = data;
  g_autofree char *script = script_path ("sleeps_with_child.py");

  c->ok = lab_py_trace_run (c->python, script, NULL, c->run.recorder, c->cancellable, &c->error);
  return NULL;
}

static gboolean
process_is_gone (gint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  /* A zombie whose parent (init in a container) has not reaped it yet no
   * longer runs. */
  paren = strrchr (stat, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

static void
test_cancel_kills_tree (void)
{
  CancelRun c = { 0 };
  GThread *thread;
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (gint));

  c.python = python_or_skip ();
  if (c.python == NULL)
    return;
  run_init (&c.run);
  c.cancellable = g_cancellable_new ();
  thread = g_thread_new ("traced-run", cancel_run_thread, &c);

  /* Wait until both processes (the program, its Python child) have said
   * hello with their main threads, however slow the machine is. */
  for (guint tries = 0; pids->len < 2; tries++)
    {
      g_assert_cmpuint (tries, <, 3000);
      g_usleep (20 * 1000);
      lab_recorder_drain (c.run.recorder, c.run.trace);
      g_array_set_size (pids, 0);
      for (guint i = 0; i < lab_trace_get_n_lanes (c.run.trace); i++)
        {
          const LabTraceLane *lane = lab_trace_get_lane (c.run.trace, i);

          if (g_str_has_prefix (lane->name, "MainThread (pid "))
            g_array_append_val (pids, lane->tid);
        }
    }
  for (guint i = 0; i < pids->len; i++)
    g_assert_false (process_is_gone (g_array_index (pids, gint, i)));

  g_cancellable_cancel (c.cancellable);
  g_thread_join (thread);
  g_assert_false (c.ok);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The program was reaped by the run; its child, orphaned, was killed
   * with the group (init reaps it whenever it does). */
  for (guint i = 0; i < pids->len; i++)
    {
      gint pid = g_array_index (pids, gint, i);
      guint tries = 0;

      while (!process_is_gone (pid) && tries++ < 500)
        g_usleep (10 * 1000);
      g_assert_true (process_is_gone (pid));
    }

  g_clear_error (&c.error);
  g_object_unref (c.cancellable);
  g_array_unref (pids);
  run_clear (&c.run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/py-tracer/threads", test_threads);
  g_test_add_func ("/py-tracer/queue", test_queue);
  g_test_add_func ("/py-tracer/spawn-pool", test_spawn_pool);
  g_test_add_func ("/py-tracer/fork", test_fork);
  g_test_add_func ("/py-tracer/exception", test_exception);
  g_test_add_func ("/py-tracer/syntax-error", test_syntax_error);
  g_test_add_func ("/py-tracer/stderr-flood", test_stderr_flood);
  g_test_add_func ("/py-tracer/missing-python", test_missing_python);
  g_test_add_func ("/py-tracer/cancel-kills-tree", test_cancel_kills_tree);

  return g_test_run ();
}
