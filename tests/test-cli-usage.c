/* test-cli-usage.c — the command line prints JSON that a strict parser
 * accepts whatever bytes a child wrote.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "test-cli-util.h"

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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-usage/json/all-bytes", test_json_all_bytes);
  g_test_add_func ("/cli-usage/json/broken-utf8", test_json_broken_utf8);
  g_test_add_func ("/cli-usage/json/control-characters", test_json_control_characters);

  return g_test_run ();
}
