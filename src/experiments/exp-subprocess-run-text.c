/* exp-subprocess-run-text.c — the words of subprocess-run: the command
 * split the way a shell splits it (with errors a student understands), the
 * input with Python's escapes, and the labels the timeline shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "exp-subprocess-run-private.h"

/* "Type a command", or the words of the command; NULL with @error set. */
char **
lab_subprocess_parse_command (const char  *command,
                              GError     **error)
{
  g_autoptr(GError) shell_error = NULL;
  char **argv = NULL;
  char quote = 0;

  if (g_shell_parse_argv (command != NULL ? command : "", NULL, &argv, &shell_error))
    {
      if (argv[0][0] != '\0')
        return argv;
      g_strfreev (argv);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The program name is empty: the command starts with an empty quote"));
      return NULL;
    }

  if (g_error_matches (shell_error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type a command to run"));
      return NULL;
    }

  /* Find what is left open, the way the shell reads it. */
  for (const char *p = command; *p != '\0'; p++)
    {
      if (quote == '\'')
        quote = *p == '\'' ? 0 : quote;
      else if (*p == '\\' && p[1] == '\0')
        quote = quote != 0 ? quote : '\\';
      else if (*p == '\\')
        p++;
      else if (quote == '"')
        quote = *p == '"' ? 0 : quote;
      else if (*p == '\'' || *p == '"')
        quote = *p;
    }

  if (quote == '\'' || quote == '"')
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 /* Translators: %c is the quote character, ' or " */
                 _("The command opens a quote (%c) but never closes it"), quote);
  else if (quote == '\\')
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The command ends with a backslash (\\) that escapes nothing"));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("The command cannot be split into words: %s"), shell_error->message);
  return NULL;
}

/* Escapes that name a character by its code: the letter, how many hex
 * digits follow, and the message when they do not. */
static const struct
{
  char        letter;
  guint       n_digits;
  const char *message;
} lab_subprocess_hex_escapes[] = {
  /* Translators: %s is what was typed, e.g. \x4 */
  { 'x', 2, N_("Input: “%s” is not a valid escape: \\x takes exactly two hex digits, as in \\x41") },
  /* Translators: %s is what was typed, e.g. \u00e */
  { 'u', 4, N_("Input: “%s” is not a valid escape: \\u takes exactly four hex digits, as in \\u00e9") },
  /* Translators: %s is what was typed, e.g. \U1F600 */
  { 'U', 8, N_("Input: “%s” is not a valid escape: \\U takes exactly eight hex digits, as in \\U0001F600") },
};

/* The escape at @p (a backslash) and up to @n_chars characters after its
 * letter, as typed: what an error message quotes. */
static char *
lab_subprocess_quote_escape (const char *p,
                             guint       n_chars)
{
  const char *end = p + 2;

  for (guint i = 0; i < n_chars && *end != '\0'; i++)
    end = g_utf8_next_char (end);
  return g_strndup (p, end - p);
}

/* The character @p[1] names by its code (x, u, U); on success *@end is the
 * last byte of the escape. */
static gboolean
lab_subprocess_hex_escape (const char  *p,
                           const char **end,
                           gunichar    *c,
                           GError     **error)
{
  g_autofree char *typed = NULL;
  guint e = 0;

  while (lab_subprocess_hex_escapes[e].letter != p[1])
    e++;

  *c = 0;
  for (guint i = 0; i < lab_subprocess_hex_escapes[e].n_digits; i++)
    {
      if (!g_ascii_isxdigit (p[2 + i]))
        {
          typed = lab_subprocess_quote_escape (p, lab_subprocess_hex_escapes[e].n_digits);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _(lab_subprocess_hex_escapes[e].message), typed);
          return FALSE;
        }
      *c = *c * 16 + (gunichar) g_ascii_xdigit_value (p[2 + i]);
    }
  *end = p + 1 + lab_subprocess_hex_escapes[e].n_digits;

  typed = g_strndup (p, *end + 1 - p);
  if (*c > 0x10FFFF)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was typed, e.g. \U00110000 */
                   _("Input: “%s” is not a character: Unicode ends at \\U0010FFFF"), typed);
      return FALSE;
    }
  if (*c >= 0xD800 && *c <= 0xDFFF)
    {
      /* Python accepts it in a str, but cannot encode it to bytes. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was typed, e.g. \ud83d */
                   _("Input: “%s” is half of a surrogate pair, not a character: write the "
                     "character's own code, as in \\U0001F600"), typed);
      return FALSE;
    }
  return TRUE;
}

/* The input as bytes: the escapes of a Python string literal (\\ \' \"
 * \a \b \f \n \r \t \v, \ooo in octal, \xhh, \uhhhh, \Uhhhhhhhh, a
 * backslash before a new line joins the lines), and the characters
 * encoded as UTF-8, as str.encode() does. An unknown escape such as \q
 * stays as typed, as Python leaves it. */
gboolean
lab_subprocess_make_input (const char  *text,
                           GBytes     **input,
                           GError     **error)
{
  g_autoptr(GString) bytes = g_string_new (NULL);
  /* Pairs: the letter after the backslash, the byte it stands for. */
  const char *simple = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";

  *input = NULL;
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      const char *known;
      gunichar c = 0;

      if (*p != '\\')
        {
          g_string_append_c (bytes, *p);
          continue;
        }
      if (p[1] == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Input: it ends with a backslash (\\) that escapes nothing; "
                                 "write \\\\ for a backslash"));
          return FALSE;
        }

      p++;
      known = strchr (simple, *p);
      if (*p == '\n')
        continue; /* a line continued */
      else if (known != NULL && (known - simple) % 2 == 0)
        g_string_append_c (bytes, known[1]);
      else if (*p >= '0' && *p <= '7')
        {
          /* Up to three octal digits: \0 is a zero byte, \101 is A. */
          for (guint i = 0; i < 3 && *p >= '0' && *p <= '7'; i++, p++)
            c = c * 8 + (gunichar) (*p - '0');
          p--;
          g_string_append_unichar (bytes, c);
        }
      else if (*p == 'x' || *p == 'u' || *p == 'U')
        {
          if (!lab_subprocess_hex_escape (p - 1, &p, &c, error))
            return FALSE;
          g_string_append_unichar (bytes, c);
        }
      else if (*p == 'N' && p[1] == '{')
        {
          g_autofree char *typed = lab_subprocess_quote_escape (p - 1, 1);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is what was typed, \N{ */
                       _("Input: “%s…}”, a character by its name, is not supported here: "
                         "write its code instead, as in \\u00e9"), typed);
          return FALSE;
        }
      else
        {
          g_string_append_c (bytes, '\\');
          p--; /* the next character as it is, even a multi-byte one */
        }
    }

  if (bytes->len > 0)
    *input = g_bytes_new (bytes->str, bytes->len);
  return TRUE;
}

/* @text shortened to LAB_SUBPROCESS_LABEL_CHARS characters. */
char *
lab_subprocess_shorten (const char *text)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (text, -1) <= LAB_SUBPROCESS_LABEL_CHARS)
    return g_strdup (text);
  head = g_utf8_substring (text, 0, LAB_SUBPROCESS_LABEL_CHARS - 1);
  return g_strconcat (head, "…", NULL);
}

/* The argument list as Python writes it: ['ls', '-l']. */
char *
lab_subprocess_python_list (char **argv)
{
  GString *str = g_string_new ("[");
  g_autofree char *full = NULL;

  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append_c (str, '\'');
      for (const char *p = argv[i]; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (str, '\\');
          g_string_append_c (str, *p);
        }
      g_string_append_c (str, '\'');
    }
  g_string_append_c (str, ']');

  full = g_string_free (str, FALSE);
  return lab_subprocess_shorten (full);
}

/* "5.0 ms", "5.03 s": how long the parent waited for a call. */
char *
lab_subprocess_format_duration (gint64 ns)
{
  if (ns < LAB_NS_PER_S)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), (double) ns / LAB_NS_PER_MS);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), (double) ns / LAB_NS_PER_S);
}

/* Python's name for what the spawn error would raise. */
const char *
lab_subprocess_exception_name (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return "FileNotFoundError";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    return "NotADirectoryError";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return "PermissionError";
  return "OSError";
}

/* The entries of "env": each KEY=VALUE with a name before the '='. */
gboolean
lab_subprocess_check_env (const char * const  *env,
                          GError             **error)
{
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is an entry of the env parameter */
                       _("env: “%s” has no “=”: write each entry as NAME=VALUE, e.g. GREETING=hello"),
                       env[i]);
          return FALSE;
        }
      if (equals == env[i])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is an entry of the env parameter */
                       _("env: “%s” has no name before “=”: write NAME=VALUE, e.g. GREETING=hello"),
                       env[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Python's quote for a repr: ' unless the text has ' and no ". */
static char
lab_subprocess_repr_quote (const char *data,
                           gsize       len)
{
  return memchr (data, '\'', len) != NULL && memchr (data, '"', len) == NULL ? '"' : '\'';
}

/* repr() of @len bytes at @data as Python writes a bytes object (b'…'),
 * or, with @text, of the str they decode to as UTF-8 ('…'); with @more,
 * more bytes followed that are not shown ("…" after the quote). NULL when
 * @text and the bytes are not UTF-8 (UnicodeDecodeError). */
char *
lab_subprocess_python_repr (const guint8 *data,
                            gsize         len,
                            gboolean      more,
                            gboolean      text)
{
  /* GBytes gives NULL for no bytes. */
  const char *chars = data != NULL ? (const char *) data : "";
  const char *end = chars + len;
  const char *valid_end;
  GString *str = g_string_new (text ? "" : "b");
  char quote = lab_subprocess_repr_quote (chars, len);

  /* Cut in the middle of a character, the shown part is still text. */
  if (text && !g_utf8_validate_len (chars, len, &valid_end) &&
      (!more || end - valid_end >= 4 || g_utf8_get_char_validated (valid_end, end - valid_end) != (gunichar) -2))
    {
      g_string_free (str, TRUE);
      return NULL;
    }
  if (text)
    end = valid_end;

  g_string_append_c (str, quote);
  for (const char *p = chars; p < end; p = text ? g_utf8_next_char (p) : p + 1)
    {
      gunichar c = text ? g_utf8_get_char (p) : (guchar) *p;

      if (c == (gunichar) quote || c == '\\')
        g_string_append_printf (str, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (str, "\\n");
      else if (c == '\r')
        g_string_append (str, "\\r");
      else if (c == '\t')
        g_string_append (str, "\\t");
      else if (c < 0x20 || c == 0x7f || (!text && c >= 0x80) || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (str, "\\x%02x", c);
      else if (text && c >= 0xa0 && !g_unichar_isprint (c))
        g_string_append_printf (str, c > 0xffff ? "\\U%08x" : "\\u%04x", c);
      else if (text)
        g_string_append_unichar (str, c);
      else
        g_string_append_c (str, (char) c);
    }
  g_string_append_c (str, quote);
  if (more)
    g_string_append (str, "…");

  return g_string_free (str, FALSE);
}

/* repr() of a str: the words of a command in a listing. */
char *
lab_subprocess_python_str (const char *text)
{
  return lab_subprocess_python_repr ((const guint8 *) text, strlen (text), FALSE, TRUE);
}

/* The words of the command: os.system hands the line to /bin/sh -c. */
char **
lab_subprocess_argv (const LabParams  *params,
                     GError          **error)
{
  const char *command = lab_params_get_string (params, "command");
  const char *sh[] = { "/bin/sh", "-c", command, NULL };

  if (!g_str_equal (lab_params_get_string (params, "mode"), "system"))
    return lab_subprocess_parse_command (command, error);
  if (command == NULL || command[strspn (command, " \t\n")] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Type a command to run"));
      return NULL;
    }
  return g_strdupv ((char **) sh);
}

/* The command's quoting, the input's escapes, the env entries and the
 * choices that go together are known before anything runs: a mistake
 * there is bad usage, found by the command line at once. */
gboolean
lab_subprocess_check (const LabParams  *params,
                      GError          **error)
{
  const char *mode = lab_params_get_string (params, "mode");
  const char *call = lab_params_get_string (params, "popen_call");
  const char *input_text = lab_params_get_string (params, "input");
  gboolean has_input = input_text != NULL && input_text[0] != '\0';
  g_auto(GStrv) argv = NULL;
  g_autoptr(GBytes) input = NULL;

  argv = lab_subprocess_argv (params, error);
  if (argv == NULL || !lab_subprocess_make_input (input_text, &input, error) ||
      !lab_subprocess_check_env (lab_params_get_strv (params, "env"), error))
    return FALSE;

  if (g_str_equal (mode, "system") && (has_input || lab_params_get_bool (params, "check") ||
                                       lab_params_get_double (params, "timeout_s") > 0))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("os.system() takes only the command line: it has no input, timeout "
                           "or check. Clear “Input” and “Timeout” and turn “Check the exit "
                           "status” off, or choose run"));
  else if (g_str_equal (mode, "check_output") && !lab_params_get_bool (params, "capture"))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("check_output() returns what the child printed, so it always reads "
                           "stdout: turn “Capture output” on"));
  else if (g_str_equal (mode, "popen") && !g_str_equal (call, "communicate") && has_input)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Only communicate() writes the input to the child: with wait() or "
                           "poll() it would never get it. Clear “Input” or choose communicate()"));
  else
    return TRUE;
  return FALSE;
}
