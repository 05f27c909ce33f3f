/* test-cli.c — the command line: exit codes, messages, JSON, export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-cli-util.h"

static void
test_list (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&r, "--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "threads-hello\t"));
  g_assert_nonnull (strstr (r.out, "race-counter\t"));
  lines = g_strsplit (g_strchomp (r.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 2);
      g_assert_cmpstr (fields[1], !=, "");
    }
}

static void
test_usage_errors (void)
{
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=no-such-thing", NULL);
    assert_usage_error (&r, "Unknown experiment “no-such-thing”");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=threads=100", NULL);
    assert_usage_error (&r, "threads: 100 is out of range (1–64)");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=thread=4", NULL);
    assert_usage_error (&r, "Unknown parameter “thread”");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=lock=maybe", NULL);
    assert_usage_error (&r, "lock: “maybe” is not true or false");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=threads", NULL);
    assert_usage_error (&r, "is not of the form KEY=VALUE");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--bogus", NULL);
    assert_usage_error (&r, "--bogus");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--set=threads=4", NULL);
    assert_usage_error (&r, "need --run=ID");
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=threads-hello", "--repeat=0", NULL);
    assert_usage_error (&r, "--repeat: 0 is out of range");
  }
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_json_hello (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *metrics;
  JsonArray *lines;

  run_cli (&r, "--run=threads-hello", "--set=threads=3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_object (parser, r.out);

  g_assert_cmpstr (json_object_get_string_member (root, "experiment"), ==, "threads-hello");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "params"), "threads"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "events"), >, 0);
  g_assert_cmpint (json_object_get_int_member (root, "dropped_events"), ==, 0);

  metrics = json_object_get_object_member (root, "metrics");
  g_assert_cmpint (json_object_get_int_member (metrics, "threads"), ==, 3);
  g_assert_true (json_object_has_member (metrics, "wall_s"));
  lines = json_object_get_array_member (metrics, "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_str_has_prefix (json_array_get_string_element (lines, i), "Hello "));
}

static void
test_json_race_and_repeat (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *metrics;
  gint64 expected, final_count, lost;

  run_cli (&r, "--run=race-counter", "--set=threads=4", "--set=max_sleep_ms=20",
           "--set=seed=7", "--repeat=2", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_object (parser, r.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "repeats")), ==, 2);

  metrics = json_object_get_object_member (root, "metrics");
  expected = json_object_get_int_member (metrics, "expected");
  final_count = json_object_get_int_member (metrics, "final_count");
  lost = json_object_get_int_member (metrics, "lost_updates");
  g_assert_cmpint (expected, ==, 4);
  g_assert_cmpint (lost, ==, expected - final_count);
  g_assert_cmpfloat (json_object_get_double_member (metrics, "wall_s"), >, 0);
}

static void
test_plain_output (void)
{
  g_auto(Result) r = { 0 };

  run_cli (&r, "--run=threads-hello", "--set=threads=2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Hello 0\n"));
  g_assert_nonnull (strstr (r.out, "Hello 1\n"));
  g_assert_nonnull (strstr (r.out, "wall_s"));
}

static void
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpint (memcmp (data, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  *width = GUINT32_FROM_BE (*(guint32 *) (gpointer) (data + 16));
  *height = GUINT32_FROM_BE (*(guint32 *) (gpointer) (data + 20));
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-cli-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (dir, "race.png", NULL);
  g_autofree char *two = g_build_filename (dir, "race@2x.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "race.bmp", NULL);
  g_autofree char *arg_one = g_strconcat ("--export=", one, NULL);
  g_autofree char *arg_two = g_strconcat ("--export=", two, NULL);
  g_autofree char *arg_bad = g_strconcat ("--export=", bad, NULL);
  guint w1, h1, w2, h2;

  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=threads=3", "--set=max_sleep_ms=10", arg_one, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=race-counter", "--set=threads=3", "--set=max_sleep_ms=10",
             "--export-scale=2", arg_two, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  png_size (one, &w1, &h1);
  png_size (two, &w2, &h2);
  g_assert_cmpuint (w1, >=, 640);
  g_assert_cmpuint (w2, ==, 2 * w1);

  {
    /* A file type the exporter does not write is bad usage, found
     * before the run (tests/test-cli-usage.c has the other cases). */
    g_auto(Result) r = { 0 };
    run_cli (&r, "--run=threads-hello", "--set=threads=1", arg_bad, NULL);
    assert_usage_error (&r, ".bmp");
  }

  g_unlink (one);
  g_unlink (two);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/list", test_list);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/json/threads-hello", test_json_hello);
  g_test_add_func ("/cli/json/race-counter-repeat", test_json_race_and_repeat);
  g_test_add_func ("/cli/plain-output", test_plain_output);
  g_test_add_func ("/cli/export", test_export);

  return g_test_run ();
}
