/* test-cli-usage.c — the command line refuses bad usage before it runs
 * anything, prints JSON that a strict parser accepts whatever bytes a child
 * wrote, and prints list metrics as words, not GVariant syntax.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "test-cli-util.h"

/* ---- bad usage ---- */

typedef struct
{
  char *dir;     /* a fresh folder for the test's files */
  char *marker;  /* a file the experiment would create if it ran */
  char *run_arg; /* --set=command=touch MARKER */
} Scratch;

static void
scratch_init (Scratch *s)
{
  s->dir = g_dir_make_tmp ("lab-cli-usage-XXXXXX", NULL);
  g_assert_nonnull (s->dir);
  s->marker = g_build_filename (s->dir, "ran", NULL);
  s->run_arg = g_strdup_printf ("--set=command=touch '%s'", s->marker);
}

/* Nothing ran, and no file (not even a probe) was left behind. */
static void
scratch_assert_untouched_and_clear (Scratch *s)
{
  g_autoptr(GDir) dir = g_dir_open (s->dir, 0, NULL);

  g_assert_nonnull (dir);
  g_assert_cmpstr (g_dir_read_name (dir), ==, NULL);
  g_rmdir (s->dir);
  g_free (s->dir);
  g_free (s->marker);
  g_free (s->run_arg);
}

/* --run=subprocess-run with a command that would leave a marker file, plus
 * one bad argument: exit 2, one line naming @needle, and no run. */
static void
assert_refused (Scratch    *s,
                const char *bad,
                const char *needle)
{
  g_auto(Result) r = { 0 };

  run_cli (&r, "--run=subprocess-run", s->run_arg, bad, NULL);
  assert_usage_error (&r, needle);
  g_assert_false (g_file_test (s->marker, G_FILE_TEST_EXISTS));
}

static void
test_bad_export (void)
{
  Scratch s;
  g_autofree char *bmp = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *file = NULL;
  g_autofree char *under_file = NULL;

  scratch_init (&s);
  bmp = g_strdup_printf ("--export=%s/x.bmp", s.dir);
  missing = g_strdup_printf ("--export=%s/no-such-folder/x.png", s.dir);
  assert_refused (&s, bmp, "unknown file type “.bmp”");
  assert_refused (&s, "--export=x", "the name has no extension");
  assert_refused (&s, missing, "the folder “");
  assert_refused (&s, missing, "no-such-folder” does not exist");

  /* Permission bits do not bind root: a folder that is a file, /proc and
   * a folder given as the file refuse everyone. */
  file = g_build_filename (s.dir, "plain-file", NULL);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  under_file = g_strdup_printf ("--export=%s/x.png", file);
  assert_refused (&s, under_file, "plain-file” is a file, not a folder");
  g_unlink (file);
  assert_refused (&s, "--export=/proc/lab-export.png", "no file can be created in the folder “/proc”");
  {
    g_autofree char *folder = g_strdup_printf ("--export=%s/folder.png", s.dir);
    g_autofree char *path = g_build_filename (s.dir, "folder.png", NULL);

    g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
    assert_refused (&s, folder, "that is a folder; give a file name");
    g_rmdir (path);
  }
  g_assert_false (g_file_test ("/proc/lab-export.png", G_FILE_TEST_EXISTS));
  scratch_assert_untouched_and_clear (&s);
}

typedef struct
{
  const char *args[4]; /* NULL-terminated */
  const char *needle;  /* what the one line must say */
} UsageCase;

static void
test_usage_table (void)
{
  static const UsageCase cases[] = {
    { { "--list", "--run=threads-hello", NULL },
      "--list only lists the experiments; it cannot be combined with --run" },
    { { "--run=threads-hello", "--list", NULL }, "cannot be combined with --run" },
    { { "--list", "--json", NULL }, "cannot be combined with --json" },
    /* The number as given, not wrapped to -9223372036854775808. */
    { { "--run=threads-hello", "--set=threads=9223372036854775807", NULL },
      "threads: 9223372036854775807 is out of range (1–64)" },
    { { "--run=threads-hello", "--set=threads=18446744073709551616", NULL },
      "threads: 18446744073709551616 is out of range (1–64)" },
    /* An experiment's own check: found before the child would start. */
    { { "--run=subprocess-run", "--set=command=cat", "--set=input=\\x4g", NULL },
      "“\\x4g” is not a valid escape" },
    { { "--run=subprocess-run", "--set=command=echo 'open", NULL },
      "quote" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };

      run_cli_argv (&r, cases[i].args);
      assert_usage_error (&r, cases[i].needle);
    }
}

/* Values that the parser takes but that can never work. */
static void
test_bad_values (void)
{
  static const struct { const char *bad, *needle; } cases[] = {
    { "--export-scale=nan", "--export-scale: “nan” is not a number" },
    { "--export-scale=inf", "--export-scale: inf is out of range (0.5–4)" },
    { "--export-scale=-inf", "--export-scale: -inf is out of range (0.5–4)" },
    { "--export-scale=0.25", "--export-scale: 0.25 is out of range (0.5–4)" },
    /* 1e-400 would become 0, which means "no timeout". */
    { "--set=timeout_s=1e-400", "timeout_s: 1e-400 is too close to 0" },
    { "--set=timeout_s=1e400", "timeout_s: 1e400 is too large" },
    { "--set=timeout_s=inf", "timeout_s: “inf” is not a finite number" },
    { "--set=timeout_s=nan", "timeout_s: “nan” is not a finite number" },
  };
  Scratch s;

  scratch_init (&s);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (&s, cases[i].bad, cases[i].needle);
  scratch_assert_untouched_and_clear (&s);
}

static void
test_not_utf8 (void)
{
  g_auto(Result) r = { 0 };

  /* run_cli() reads stderr as UTF-8: the message itself must be text. */
  run_cli (&r, "--run=subprocess-run", "--set=command=echo \xff\xfe", NULL);
  assert_usage_error (&r, "“--set=command=echo \xef\xbf\xbd\xef\xbf\xbd” is not valid UTF-8 text");
}

/* ---- JSON whatever the bytes ---- */

/* RFC 8259: no raw control character inside a string. Pretty printing
 * writes newlines between members; nothing else below 0x20 may appear.
 * (json-glib's parser is lenient here, so it cannot be the judge.) */
static void
assert_strict_json (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\n')
      g_error ("raw control character 0x%02x at offset %" G_GSIZE_FORMAT " of the JSON",
               (guint) (guchar) *p, (gsize) (p - text));
}

/* Runs subprocess-run with @command (and @input) and --json; returns the
 * parsed metrics, checking the params echo on the way. */
static JsonObject *
run_json (JsonParser *parser,
          const char *command,
          const char *input)
{
  g_auto(Result) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *command_arg = g_strconcat ("--set=command=", command, NULL);
  g_autofree char *input_arg = g_strconcat ("--set=input=", input ? input : "", NULL);
  JsonObject *root, *params;

  run_cli (&r, "--run=subprocess-run", command_arg, input_arg, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_strict_json (r.out);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  params = json_object_get_object_member (root, "params");
  g_assert_cmpstr (json_object_get_string_member (params, "command"), ==, command);
  g_assert_cmpstr (json_object_get_string_member (params, "input"), ==, input ? input : "");
  return json_object_get_object_member (root, "metrics");
}

/* printf's octal escape for every byte 0..255. */
static char *
all_bytes_escaped (void)
{
  GString *str = g_string_new (NULL);

  for (guint b = 0; b < 256; b++)
    g_string_append_printf (str, "\\%03o", b);
  return g_string_free (str, FALSE);
}

/* What those bytes read as: NUL and every byte of 0x80..0xFF (none forms a
 * valid sequence with its neighbour) become U+FFFD, the rest stay. */
static char *
all_bytes_as_text (void)
{
  GString *str = g_string_new ("\xef\xbf\xbd");

  for (guint b = 1; b < 0x80; b++)
    g_string_append_c (str, (char) b);
  for (guint b = 0x80; b < 0x100; b++)
    g_string_append (str, "\xef\xbf\xbd");
  return g_string_free (str, FALSE);
}

static void
test_json_all_bytes (void)
{
  g_autofree char *escaped = all_bytes_escaped ();
  g_autofree char *expected = all_bytes_as_text ();
  g_autofree char *to_stdout = g_strdup_printf ("printf '%s'", escaped);
  g_autofree char *to_stderr = g_strdup_printf ("sh -c \"printf '%s' >&2\"", escaped);

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *metrics = run_json (parser, to_stdout, NULL);

    g_assert_cmpint (json_object_get_int_member (metrics, "stdout_bytes"), ==, 256);
    g_assert_cmpstr (json_object_get_string_member (metrics, "stdout"), ==, expected);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *metrics = run_json (parser, to_stderr, NULL);

    g_assert_cmpint (json_object_get_int_member (metrics, "stderr_bytes"), ==, 256);
    g_assert_cmpstr (json_object_get_string_member (metrics, "stderr"), ==, expected);
  }
}

static void
test_json_broken_utf8 (void)
{
  /* Valid sequences of 2, 3 and 4 bytes stay; a lone continuation byte,
   * a cut-off sequence, an overlong "/" and a UTF-16 surrogate do not. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *metrics = run_json (parser,
                                  "printf '<\\303\\251\\342\\202\\254\\360\\237\\230\\200>"
                                  "<\\200><\\342\\202><\\300\\257><\\355\\240\\200>'",
                                  NULL);
  const char *out = json_object_get_string_member (metrics, "stdout");
  g_auto(GStrv) parts = g_strsplit (out, "><", -1);

  g_assert_true (g_str_has_prefix (out, "<é€😀>"));
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_nonnull (strstr (out, "<\xef\xbf\xbd>"));
  /* Each bad part is at least one U+FFFD, and nothing of it is lost
   * silently: the markers around it are all there. */
  g_assert_cmpuint (g_strv_length (parts), ==, 5);
}

/* Every control character JSON must escape, raw in the arguments: in the
 * echoed command and input, through a child's stdin and stdout, and in an
 * error message that quotes the program name. */
static void
test_json_control_characters (void)
{
  GString *controls = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;
  g_autofree char *program = NULL;

  for (guint c = 1; c < 0x20; c++)
    g_string_append_c (controls, (char) c);
  g_string_append_c (controls, 0x7f);
  text = g_string_free (controls, FALSE);

  {
    /* The input goes through Python-style escapes; none is in @text. */
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *metrics = run_json (parser, "cat", text);

    g_assert_cmpstr (json_object_get_string_member (metrics, "stdout"), ==, text);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *metrics;

    command = g_strdup_printf ("printf '%%s' '%s'", text);
    metrics = run_json (parser, command, NULL);
    g_assert_cmpstr (json_object_get_string_member (metrics, "stdout"), ==, text);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *metrics;

    program = g_strdup_printf ("'no-such-program%s'", text);
    metrics = run_json (parser, program, NULL);
    g_assert_nonnull (strstr (json_object_get_string_member (metrics, "error"), text));
  }
}

/* ---- list metrics as text ---- */

/* Every experiment, with parameters that make it quick. */
static const struct
{
  const char *id;
  const char *args[5];
} quick_runs[] = {
  { "threads-hello", { "--set=threads=2", NULL } },
  { "race-counter", { "--set=threads=2", "--set=max_sleep_ms=0", NULL } },
  { "threads-cpu-sum", { "--set=size=10000", "--set=repeat=2", NULL } },
  { "threads-io-fetch", { "--set=delay_ms=0", "--set=threads=2", NULL } },
  { "producer-consumer", { "--set=items=3", "--set=time_scale=0.001", NULL } },
  { "subprocess-run", { "--set=command=true", NULL } },
  { "process-isolation", { "--set=processes=2", NULL } },
  { "process-pool-map", { "--set=processes=2", "--set=items=4", "--set=task_ms=0", NULL } },
  { "process-sum", { "--set=processes=2", "--set=size=1000", "--set=repeat=2", NULL } },
};

static void
run_quick (Result     *r,
           const char *id)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (quick_runs); i++)
    {
      if (g_strcmp0 (quick_runs[i].id, id) != 0)
        continue;
      g_ptr_array_add (args, g_strconcat ("--run=", id, NULL));
      for (guint j = 0; quick_runs[i].args[j] != NULL; j++)
        g_ptr_array_add (args, g_strdup (quick_runs[i].args[j]));
      g_ptr_array_add (args, NULL);
      run_cli_argv (r, (const char * const *) args->pdata);
      return;
    }
  g_error ("no quick parameters for experiment “%s”: add it to quick_runs[]", id);
}

/* No experiment prints a metric in GVariant syntax, nor a raw double with
 * all its digits (0.19677523599999999). */
static void
test_text_every_experiment (void)
{
  g_auto(Result) list = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) raw_double = g_regex_new ("[0-9]\\.[0-9]{6,}", 0, 0, NULL);

  run_cli (&list, "--list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  lines = g_strsplit (g_strchomp (list.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(Result) r = { 0 };
      g_autofree char *id = g_strndup (lines[i], strcspn (lines[i], "\t"));

      run_quick (&r, id);
      g_test_message ("%s:\n%s", id, r.out);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_null (strstr (r.out, "<'"));
      g_assert_null (strstr (r.out, "{'"));
      g_assert_null (strstr (r.out, "<int64"));
      g_assert_false (g_regex_match (raw_double, r.out, 0, NULL));
    }
}

/* The requests of threads-io-fetch: one numbered line each, under the
 * key, with named fields. */
static void
test_text_requests (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  guint first = 0, n = 0;

  run_quick (&r, "threads-io-fetch");
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  while (lines[first] != NULL && g_strcmp0 (lines[first], "requests:") != 0)
    first++;
  g_assert_nonnull (lines[first]);

  /* Six pages, one after another and then with threads. */
  for (guint i = first + 1; lines[i] != NULL && g_str_has_prefix (lines[i], "    "); i++, n++)
    {
      g_autofree char *number = g_strdup_printf ("%u  url=http://127.0.0.1:", n + 1);

      g_assert_nonnull (strstr (lines[i], number));
      g_assert_nonnull (strstr (lines[i], n < 6 ? "  mode=sequential  " : "  mode=threads  "));
      g_assert_nonnull (strstr (lines[i], "  status=200  "));
      g_assert_nonnull (strstr (lines[i], "  bytes="));
      g_assert_nonnull (strstr (lines[i], "kB  "));
      g_assert_nonnull (strstr (lines[i], "  total_s="));
      g_assert_null (strstr (lines[i], "error="));
    }
  g_assert_cmpuint (n, ==, 12);
}

/* Lists of seconds read as times; lists of lines, one per line. */
static void
test_text_lists (void)
{
  {
    g_auto(Result) r = { 0 };
    g_autoptr(GRegex) times = g_regex_new ("^sequential_runs_s +\\[[0-9.]+ (µs|ms|s), "
                                           "[0-9.]+ (µs|ms|s)\\]$", G_REGEX_MULTILINE, 0, NULL);

    run_quick (&r, "threads-cpu-sum");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_regex_match (times, r.out, 0, NULL));
  }
  {
    g_auto(Result) r = { 0 };

    run_quick (&r, "threads-hello");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_suffix (r.out, "lines:\n    Hello 0\n    Hello 1\n") ||
                   g_str_has_suffix (r.out, "lines:\n    Hello 1\n    Hello 0\n"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-usage/bad/export", test_bad_export);
  g_test_add_func ("/cli-usage/bad/list-and-numbers", test_usage_table);
  g_test_add_func ("/cli-usage/bad/values", test_bad_values);
  g_test_add_func ("/cli-usage/bad/not-utf8", test_not_utf8);
  g_test_add_func ("/cli-usage/json/all-bytes", test_json_all_bytes);
  g_test_add_func ("/cli-usage/json/broken-utf8", test_json_broken_utf8);
  g_test_add_func ("/cli-usage/json/control-characters", test_json_control_characters);

  g_test_add_func ("/cli-usage/text/every-experiment", test_text_every_experiment);
  g_test_add_func ("/cli-usage/text/requests", test_text_requests);
  g_test_add_func ("/cli-usage/text/lists", test_text_lists);

  return g_test_run ();
}
