/* test-engine-cpython.c — `--trace=PROGRAM.py`: a Python program run under
 * the tracer from the command line, and `--run=ID --engine=cpython`: an
 * experiment's own listing run that way; counts and exit statuses, no
 * timings.
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

#include "test-cli-util.h"
#include "test-small-params.h"

static gboolean
have_python (void)
{
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  /* On CI a missing interpreter is a broken setup, not a reason to skip. */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("/usr/bin/python3 is missing: the CPython engine cannot be tested");
  g_test_skip ("no Python interpreter at /usr/bin/python3");
  return FALSE;
}

static char *
trace_option (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "py", name, NULL);

  return g_strconcat ("--trace=", path, NULL);
}

static void
test_threads_json (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *metrics;

  if (!have_python ())
    return;
  trace = trace_option ("threads.py");
  run_cli (&r, trace, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "engine"), ==, "cpython");
  metrics = json_object_get_object_member (root, "metrics");
  g_assert_cmpint (json_object_get_int_member (metrics, "exit_status"), ==, 0);
  /* The main thread and the program's three. */
  g_assert_cmpint (json_object_get_int_member (metrics, "threads"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (metrics, "processes"), ==, 1);

  /* Sampled from /proc as in the window: when each thread was on a CPU,
   * on lanes named by pid and tid next to the tracer's. */
  g_assert_true (json_object_has_member (metrics, "cpu_s"));
  g_assert_true (json_object_has_member (metrics, "handovers"));
  g_assert_true (json_object_has_member (metrics, "runnable_wait_s"));
  g_assert_cmpfloat (json_object_get_double_member (metrics, "sampler_hz"), >, 0);
  {
    JsonArray *lanes = json_object_get_array_member (root, "lanes");
    guint sampled = 0;

    for (guint i = 0; i < json_array_get_length (lanes); i++)
      {
        const char *name = json_object_get_string_member (json_array_get_object_element (lanes, i),
                                                          "name");

        sampled += strstr (name, ", tid ") != NULL;
      }
    g_assert_cmpuint (sampled, >=, 1);
  }
}

/* Text that threads print without a newline is one line of the program's
 * output, as on its terminal: race-counter's threads print their counts on
 * one line that the main thread ends; none is lost. */
static void
test_shared_line (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  if (!have_python ())
    return;
  run_cli (&r, "--run=race-counter", "--engine=cpython", "--set=threads=6",
           "--set=pause=none", NULL);
  if (r.status != 0)
    g_test_message ("the run said: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "expected 6, got "))
      {
        g_autofree char *counts = g_strdup (lines[i - 1]);
        guint digits = 0;

        found++;
        /* Threads may write a number and its space apart ("1 23 "), as
         * in CPython itself; every count is there. */
        for (const char *p = counts; *p != '\0'; p++)
          digits += g_ascii_isdigit (*p) ? 1 : 0;
        g_assert_cmpuint (digits, ==, 6);
      }
  g_assert_cmpuint (found, ==, 1);
}

/* A forked child is a second process with a lane of its own and its pid. */
static void
test_fork_lanes (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *lanes;
  guint with_pid = 0;

  if (!have_python ())
    return;
  trace = trace_option ("fork_child.py");
  run_cli (&r, trace, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "metrics"),
                                               "processes"), ==, 2);
  lanes = json_object_get_array_member (root, "lanes");
  for (guint i = 0; i < json_array_get_length (lanes); i++)
    with_pid += json_object_get_int_member (json_array_get_object_element (lanes, i), "tid") > 0;
  g_assert_cmpuint (with_pid, >=, 2);
}

/* --export=x.json of a traced run writes a trace a JSON parser reads. */
static void
test_export_json (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("lab-trace-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "x.json", NULL);
  g_autofree char *option = g_strconcat ("--export=", path, NULL);
  g_autofree char *trace = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (!have_python ())
    return;
  trace = trace_option ("fork_child.py");
  run_cli (&r, trace, option, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "traceEvents")), >, 0);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_raises (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = NULL;

  if (!have_python ())
    return;
  trace = trace_option ("raises.py");
  run_cli (&r, trace, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Error"));
}

static void
test_syntax_error (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *trace = NULL;

  if (!have_python ())
    return;
  trace = trace_option ("syntax_error.py");
  run_cli (&r, trace, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "SyntaxError"));
  g_assert_nonnull (strstr (r.err, "line "));
}

/* An interpreter older than 3.11 is refused before anything runs. */
static void
test_old_python (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("lab-old-python-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "python3", NULL);
  g_autofree char *option = g_strconcat ("--python=", fake, NULL);
  g_autofree char *trace = trace_option ("threads.py");

  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\necho 3.10.12\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  run_cli (&r, trace, option, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "3.10.12"));
  g_assert_nonnull (strstr (r.err, "3.11"));
  g_unlink (fake);
  g_rmdir (dir);
}

static void
test_missing_file (void)
{
  g_auto(Result) r = { 0 };

  run_cli (&r, "--trace=/nonexistent/program.py", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent/program.py"));
}

/* The process group of @pid (its fifth field in /proc), or 0 once it is gone. */
static int
process_group (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *after_name;
  int ppid = 0, pgrp = 0;
  char state;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (after_name = strrchr (text, ')')) == NULL ||
      sscanf (after_name + 1, " %c %d %d", &state, &ppid, &pgrp) != 3 || state == 'Z')
    return 0;
  return pgrp;
}

/* The first child of @parent in /proc, or 0. */
static int
find_child (int parent)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *text = NULL;
      const char *after_name;
      int ppid = 0;
      char state;

      if (g_ascii_isdigit (name[0]) && g_file_get_contents (path, &text, NULL, NULL) &&
          (after_name = strrchr (text, ')')) != NULL &&
          sscanf (after_name + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
        return atoi (name);
    }
  return 0;
}

/* SIGTERM during a traced program stops its whole tree, as Stop does. */
static void
test_sigterm (void)
{
  g_autofree char *trace = NULL;
  g_autoptr(GSubprocess) lab = NULL;
  g_autoptr(GError) error = NULL;
  int lab_pid, python_pid = 0;
  gboolean left = TRUE;

  if (!have_python ())
    return;
  trace = trace_option ("sleeps_with_child.py");
  lab = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, g_getenv ("LAB_BINARY"), trace, NULL);
  g_assert_no_error (error);
  lab_pid = atoi (g_subprocess_get_identifier (lab));
  /* Wait (bounded) for the program and its own child to exist. */
  for (int i = 0; i < 600 && (python_pid == 0 || find_child (python_pid) == 0); i++)
    {
      python_pid = find_child (lab_pid);
      g_usleep (50000);
    }
  g_assert_cmpint (python_pid, !=, 0);
  g_assert_cmpint (find_child (python_pid), !=, 0);

  g_assert_cmpint (kill (lab_pid, SIGTERM), ==, 0);
  g_assert_true (g_subprocess_wait (lab, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (lab));
  g_assert_cmpint (g_subprocess_get_exit_status (lab), ==, 143);

  /* Nothing of the program's process group is left. */
  for (int i = 0; i < 100 && left; i++)
    {
      g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
      const char *name;

      left = FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        left |= g_ascii_isdigit (name[0]) && process_group (atoi (name)) == python_pid;
      if (left)
        g_usleep (20000);
    }
  g_assert_false (left);
}

/* ---- --run=ID --engine=cpython ---- */

/* Runs @id on CPython with --json and the assignments (NULL-terminated);
 * returns the parsed root, asserting exit 0. */
static JsonObject *
run_engine (JsonParser *parser,
            const char *id,
            ...)
{
  g_auto(Result) r = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  const char *set;
  va_list ap;

  g_ptr_array_add (args, g_strconcat ("--run=", id, NULL));
  g_ptr_array_add (args, g_strdup ("--engine=cpython"));
  g_ptr_array_add (args, g_strdup ("--json"));
  va_start (ap, id);
  while ((set = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strconcat ("--set=", set, NULL));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run_cli_argv (&r, (const char * const *) args->pdata);
  if (r.status != 0)
    g_error ("%s on cpython: exit %d\n%s", id, r.status, r.err);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "engine"), ==, "cpython");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "python_version"), "3."));
  return json_object_get_object_member (root, "metrics");
}

/* With the lecture's sleeps (seed 1: some threads sleep a second, some
 * not) updates are lost; with the lock none are. */
static void
test_race (void)
{
  g_autoptr(JsonParser) lossy = json_parser_new ();
  g_autoptr(JsonParser) locked = json_parser_new ();
  JsonObject *m;

  if (!have_python ())
    return;
  m = run_engine (lossy, "race-counter", "seed=1", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "expected"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (m, "lost_updates"), >, 0);
  g_assert_cmpint (json_object_get_int_member (m, "final_count") +
                   json_object_get_int_member (m, "lost_updates"), ==, 10);
  g_assert_true (json_object_has_member (m, "wall_s"));

  m = run_engine (locked, "race-counter", "seed=1", "lock=true", "max_sleep_ms=50", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "final_count"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (m, "lost_updates"), ==, 0);
}

/* Every greeting is printed once. Five lines as a terminal shows them:
 * the tracer keeps Python's output line-buffered whatever our own
 * environment says (PYTHONUNBUFFERED=1 made print()'s two writes release
 * the GIL between a line's text and its end). */
static void
test_hello (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) all = g_string_new (NULL);
  JsonArray *lines;
  JsonObject *m;

  if (!have_python ())
    return;
  g_setenv ("PYTHONUNBUFFERED", "1", TRUE);
  m = run_engine (parser, "threads-hello", "threads=5", NULL);
  g_unsetenv ("PYTHONUNBUFFERED");
  lines = json_object_get_array_member (m, "lines");
  for (guint i = 0; i < json_array_get_length (lines); i++)
    g_string_append_printf (all, "%s\n", json_array_get_string_element (lines, i));
  g_test_message ("printed: %s", all->str);
  for (guint n = 0; n < 5; n++)
    {
      g_autofree char *hello = g_strdup_printf ("Hello %u\n", n);
      const char *at = strstr (all->str, hello);

      g_assert_nonnull (at);
      g_assert_null (strstr (at + 1, hello));
    }
  g_assert_cmpuint (json_array_get_length (lines), ==, 5);
}

static char *
result_of (JsonObject *metrics)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (),
                                                   json_object_get_array_member (metrics, "result"));

  return json_to_string (node, FALSE);
}

/* Pool.map on CPython gives what the model's pool gives. */
static void
test_pool_map (void)
{
  g_autoptr(JsonParser) on_cpython = json_parser_new ();
  g_autoptr(JsonParser) on_model = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cpython_result = NULL;
  g_autofree char *model_result = NULL;
  g_auto(Result) r = { 0 };

  if (!have_python ())
    return;
  cpython_result = result_of (run_engine (on_cpython, "process-pool-map",
                                          "processes=2", "items=7", "task_ms=0", NULL));
  run_cli (&r, "--run=process-pool-map", "--json", "--set=processes=2", "--set=items=7",
           "--set=task_ms=0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (on_model, r.out, -1, &error));
  model_result = result_of (json_object_get_object_member (json_node_get_object (json_parser_get_root (on_model)),
                                                           "metrics"));
  g_assert_cmpstr (cpython_result, ==, "[0,2,4,6,8,10,12]");
  g_assert_cmpstr (cpython_result, ==, model_result);
}

static void
test_isolation (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *child_lens;
  JsonObject *m;

  if (!have_python ())
    return;
  m = run_engine (parser, "process-isolation", "processes=3", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "parent_len"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (m, "shared_len"), ==, 3);
  child_lens = json_object_get_array_member (m, "child_lens");
  g_assert_cmpuint (json_array_get_length (child_lens), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (json_array_get_int_element (child_lens, i), ==, 1);
}

static void
test_subprocess (void)
{
  g_autoptr(JsonParser) run = json_parser_new ();
  g_autoptr(JsonParser) popen = json_parser_new ();
  g_autoptr(JsonParser) failing = json_parser_new ();
  JsonObject *m;

  if (!have_python ())
    return;
  m = run_engine (run, "subprocess-run", "command=echo hello there", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "exit_code"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (m, "stdout"), ==, "hello there\n");
  g_assert_cmpstr (json_object_get_string_member (m, "stderr"), ==, "");

  m = run_engine (popen, "subprocess-run", "mode=popen", "command=echo it's popen", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "exit_code"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (m, "stdout"), ==, "it's popen\n");

  m = run_engine (failing, "subprocess-run", "command=false", NULL);
  g_assert_cmpint (json_object_get_int_member (m, "exit_code"), ==, 1);
}

/* Sequentially, then with threads: every page once each way. */
static void
test_io_fetch (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint sequential = 0, threads = 0;
  JsonArray *requests;
  JsonObject *m;

  if (!have_python ())
    return;
  m = run_engine (parser, "threads-io-fetch", "pages=3", "delay_ms=10", NULL);
  requests = json_object_get_array_member (m, "requests");
  g_assert_cmpuint (json_array_get_length (requests), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 200);
      sequential += g_strcmp0 (json_object_get_string_member (request, "mode"), "sequential") == 0;
      threads += g_strcmp0 (json_object_get_string_member (request, "mode"), "threads") == 0;
    }
  g_assert_cmpuint (sequential, ==, 3);
  g_assert_cmpuint (threads, ==, 3);
  g_assert_true (json_object_has_member (m, "sequential_s"));
  g_assert_true (json_object_has_member (m, "speedup"));
}

/* Every experiment's listing runs on CPython and yields at least one of
 * its own metric keys. */
static void
test_every_experiment (void)
{
  if (!have_python ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (small_runs); i++)
    {
      const SmallRun *run = &small_runs[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *m;

      g_test_message ("%s", run->id);
      m = run_engine (parser, run->id, run->sets[0], run->sets[1], run->sets[2], run->sets[3], NULL);
      /* The program's own numbers beside the sampler's. */
      g_assert_true (json_object_has_member (m, "cpu_s"));
      g_assert_cmpuint (json_object_get_size (m), >, 3);
    }
}

/* --export of a CPython run writes the same kinds of files a model run does. */
static void
test_engine_export (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("lab-engine-export-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "hello.png", NULL);
  g_autofree char *json = g_build_filename (dir, "hello.json", NULL);
  g_autofree char *png_option = g_strconcat ("--export=", png, NULL);
  g_autofree char *json_option = g_strconcat ("--export=", json, NULL);

  if (!have_python ())
    return;
  run_cli (&r, "--run=threads-hello", "--engine=cpython", "--set=threads=2",
           png_option, json_option, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Hello 1"));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  g_unlink (png);
  g_unlink (json);
  g_rmdir (dir);
}

static void
test_engine_usage (void)
{
  g_auto(Result) missing = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) model = { 0 };

  run_cli (&missing, "--run=threads-hello", "--engine=cpython", "--python=/nonexistent/python3", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.err, ==, "concurrency-lab: Python was not found at /nonexistent/python3\n");

  run_cli (&unknown, "--run=threads-hello", "--engine=pypy", NULL);
  assert_usage_error (&unknown, "pypy");

  /* The model stays the default, and says so. */
  run_cli (&model, "--run=threads-hello", "--json", NULL);
  g_assert_cmpint (model.status, ==, 0);
  g_assert_nonnull (strstr (model.out, "\"engine\" : \"model\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine-cpython/trace/threads-json", test_threads_json);
  g_test_add_func ("/engine-cpython/trace/shared-line", test_shared_line);
  g_test_add_func ("/engine-cpython/trace/fork-lanes", test_fork_lanes);
  g_test_add_func ("/engine-cpython/trace/export-json", test_export_json);
  g_test_add_func ("/engine-cpython/trace/raises", test_raises);
  g_test_add_func ("/engine-cpython/trace/syntax-error", test_syntax_error);
  g_test_add_func ("/engine-cpython/trace/old-python", test_old_python);
  g_test_add_func ("/engine-cpython/trace/missing-file", test_missing_file);
  g_test_add_func ("/engine-cpython/trace/sigterm", test_sigterm);
  g_test_add_func ("/engine-cpython/run/race", test_race);
  g_test_add_func ("/engine-cpython/run/hello", test_hello);
  g_test_add_func ("/engine-cpython/run/pool-map", test_pool_map);
  g_test_add_func ("/engine-cpython/run/isolation", test_isolation);
  g_test_add_func ("/engine-cpython/run/subprocess", test_subprocess);
  g_test_add_func ("/engine-cpython/run/io-fetch", test_io_fetch);
  g_test_add_func ("/engine-cpython/run/every-experiment", test_every_experiment);
  g_test_add_func ("/engine-cpython/run/export", test_engine_export);
  g_test_add_func ("/engine-cpython/run/usage", test_engine_usage);
  return g_test_run ();
}
