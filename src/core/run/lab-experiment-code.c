/* lab-experiment-code.c — an experiment's Python listing with the values
 * the person chose: one text for the code tab and the CPython engine, so
 * what is read is what runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-experiment.h"

static void
append_python_string (GString    *out,
                      const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c); /* UTF-8 passes: Python 3 source is UTF-8 */
    }
  g_string_append_c (out, '"');
}

/* A float as Python writes it: always with a point or an exponent, so that
 * 1.0 stays a float and the program computes what the model does. */
static void
append_python_float (GString *out,
                     double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL) /* "n": nan and inf are never in range */
    g_string_append (out, ".0");
}

char *
lab_python_literal (const LabParamSpec *spec,
                    const LabParams    *params,
                    double              scale)
{
  GString *out = g_string_new (NULL);
  gboolean scaled = scale != 0.0 && scale != 1.0;

  g_return_val_if_fail (spec != NULL && params != NULL, NULL);

  switch (spec->kind)
    {
    case LAB_PARAM_INT:
      if (scaled)
        append_python_float (out, (double) lab_params_get_int (params, spec->key) * scale);
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, lab_params_get_int (params, spec->key));
      break;
    case LAB_PARAM_DOUBLE:
      append_python_float (out, lab_params_get_double (params, spec->key) * (scaled ? scale : 1.0));
      break;
    case LAB_PARAM_BOOL:
      g_string_append (out, lab_params_get_bool (params, spec->key) ? "True" : "False");
      break;
    case LAB_PARAM_ENUM:
    case LAB_PARAM_TEXT:
      append_python_string (out, lab_params_get_string (params, spec->key));
      break;
    case LAB_PARAM_TEXT_LIST:
      {
        const char * const *items = lab_params_get_strv (params, spec->key);

        g_string_append_c (out, '[');
        for (guint i = 0; items != NULL && items[i] != NULL; i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            append_python_string (out, items[i]);
          }
        g_string_append_c (out, ']');
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return g_string_free (out, FALSE);
}

/* Where the value of "NAME = value  # comment" ends: before the spaces
 * that precede a comment outside a string literal, or at the line's end. */
static const char *
value_end (const char *value,
           const char *line_end)
{
  char quote = '\0';
  const char *p;

  for (p = value; p < line_end; p++)
    {
      if (quote != '\0')
        {
          if (*p == '\\' && p + 1 < line_end)
            p++;
          else if (*p == quote)
            quote = '\0';
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '#')
        break;
    }
  while (p > value && (p[-1] == ' ' || p[-1] == '\t'))
    p--;
  return p;
}

static const LabCodeBinding *
find_binding (const LabExperiment *experiment,
              const char          *line,
              const char          *line_end,
              const char         **value)
{
  for (guint i = 0; i < experiment->n_code_bindings; i++)
    {
      const LabCodeBinding *binding = &experiment->code_bindings[i];
      gsize len = strlen (binding->name);
      const char *p = line + len;

      if ((gsize) (line_end - line) <= len || strncmp (line, binding->name, len) != 0)
        continue;
      while (p < line_end && *p == ' ')
        p++;
      if (p >= line_end || *p != '=' || (p + 1 < line_end && p[1] == '='))
        continue;
      p++;
      while (p < line_end && *p == ' ')
        p++;
      *value = p;
      return binding;
    }
  return NULL;
}

char *
lab_experiment_dup_code (const LabExperiment *experiment,
                         const LabParams     *params)
{
  g_autoptr(LabParams) defaults = NULL;
  const char *code;
  GString *out;

  g_return_val_if_fail (experiment != NULL, NULL);

  if (experiment->dup_code != NULL)
    {
      if (params != NULL)
        return experiment->dup_code (params);
      defaults = lab_params_new (experiment->params, experiment->n_params);
      return experiment->dup_code (defaults);
    }
  if (experiment->code == NULL)
    return g_strdup ("");
  code = _(experiment->code);
  if (params == NULL)
    params = defaults = lab_params_new (experiment->params, experiment->n_params);

  out = g_string_sized_new (strlen (code) + 64);
  for (const char *line = code; *line != '\0';)
    {
      const char *newline = strchr (line, '\n');
      const char *line_end = newline != NULL ? newline : line + strlen (line);
      const char *value = NULL;
      const LabCodeBinding *binding = find_binding (experiment, line, line_end, &value);
      const LabParamSpec *spec = binding != NULL ? lab_params_find_spec (params, binding->key) : NULL;

      if (spec == NULL)
        {
          /* A binding to a key the experiment lacks is a mistake in its table. */
          if (binding != NULL)
            g_critical ("%s: the listing's %s shows no parameter \"%s\"",
                        experiment->id, binding->name, binding->key);
          g_string_append_len (out, line, line_end - line);
        }
      else
        {
          const char *end = value_end (value, line_end);
          g_autofree char *literal = lab_python_literal (spec, params, binding->scale);
          glong old_width = g_utf8_strlen (value, end - value);
          glong new_width = g_utf8_strlen (literal, -1);

          const char *comment = end;
          glong gap;

          while (comment < line_end && (*comment == ' ' || *comment == '\t'))
            comment++;
          /* The comments of a block of assignments stay in one column
           * while there is room, at least two spaces after the value. */
          gap = old_width + (comment - end) - new_width;
          gap = MAX (gap, MIN (comment - end, 2));
          g_string_append_len (out, line, value - line);
          g_string_append (out, literal);
          if (comment < line_end)
            g_string_append_printf (out, "%*s", (int) gap, "");
          g_string_append_len (out, comment, line_end - comment);
        }
      if (newline == NULL)
        break;
      g_string_append_c (out, '\n');
      line = newline + 1;
    }
  return g_string_free (out, FALSE);
}
