/* test-engine-cpython.c — `--trace=PROGRAM.py`: a Python program run under
 * the tracer from the command line; counts and exit statuses, no timings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
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

static void
test_missing_file (void)
{
  g_auto(Result) r = { 0 };

  run_cli (&r, "--trace=/nonexistent/program.py", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent/program.py"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine-cpython/trace/threads-json", test_threads_json);
  g_test_add_func ("/engine-cpython/trace/raises", test_raises);
  g_test_add_func ("/engine-cpython/trace/syntax-error", test_syntax_error);
  g_test_add_func ("/engine-cpython/trace/missing-file", test_missing_file);
  return g_test_run ();
}
