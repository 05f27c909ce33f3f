/* test-engine-cpython.c — `--trace=PROGRAM.py`: a Python program run under
 * the tracer from the command line; counts and exit statuses, no timings.
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine-cpython/trace/threads-json", test_threads_json);
  g_test_add_func ("/engine-cpython/trace/fork-lanes", test_fork_lanes);
  g_test_add_func ("/engine-cpython/trace/export-json", test_export_json);
  g_test_add_func ("/engine-cpython/trace/raises", test_raises);
  g_test_add_func ("/engine-cpython/trace/syntax-error", test_syntax_error);
  g_test_add_func ("/engine-cpython/trace/old-python", test_old_python);
  g_test_add_func ("/engine-cpython/trace/missing-file", test_missing_file);
  g_test_add_func ("/engine-cpython/trace/sigterm", test_sigterm);
  return g_test_run ();
}
