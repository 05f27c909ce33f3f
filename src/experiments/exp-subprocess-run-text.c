/* exp-subprocess-run-text.c — the words of subprocess-run: the command
 * split the way a shell splits it (with errors a student understands), the
 * input with Python's escapes, and the labels the timeline shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

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

/* The input as bytes, with the escapes of a Python string literal (\n, \t,
 * \r, \\, \', \"); others stay as typed, as Python leaves them. NULL when
 * empty: the child's stdin is then /dev/null. */
GBytes *
lab_subprocess_make_input (const char *text)
{
  GString *bytes = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (bytes, *p);
          continue;
        }
      switch (*++p)
        {
        case 'n':  g_string_append_c (bytes, '\n'); break;
        case 't':  g_string_append_c (bytes, '\t'); break;
        case 'r':  g_string_append_c (bytes, '\r'); break;
        case '\\': g_string_append_c (bytes, '\\'); break;
        case '\'': g_string_append_c (bytes, '\''); break;
        case '"':  g_string_append_c (bytes, '"'); break;
        default:
          g_string_append_c (bytes, '\\');
          g_string_append_c (bytes, *p);
          break;
        }
    }

  if (bytes->len == 0)
    {
      g_string_free (bytes, TRUE);
      return NULL;
    }
  return g_string_free_to_bytes (bytes);
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return "PermissionError";
  return "OSError";
}
