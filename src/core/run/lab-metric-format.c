/* lab-metric-format.c — a metric value as a person reads it: on a card,
 * in a history row, in the command line's plain-text output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <string.h>

#include "lab-experiment.h"

GVariant *
lab_metrics_lookup (GVariant   *metrics,
                    const char *key)
{
  if (metrics == NULL || !g_variant_is_of_type (metrics, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return g_variant_lookup_value (metrics, key, NULL);
}

static gboolean
variant_to_double (GVariant *v,
                   double   *out)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    *out = (double) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    *out = (double) g_variant_get_uint64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    *out = g_variant_get_uint32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    *out = g_variant_get_boolean (v);
  else
    return FALSE;
  return TRUE;
}

/* The same words as the charts' labels and axes. */
static char *
format_seconds (double s)
{
  return lab_chart_format_value (LAB_CHART_UNIT_SECONDS, s);
}

/* ---- values inside lists and dictionaries ----
 *
 * A list metric holds numbers, strings or dictionaries (one per request,
 * say) whose fields have no spec of their own. Their names follow the
 * convention of every metric key: "…_s" is seconds, "bytes" and "…_bytes"
 * a size. That is all the formatting needs to print words, never GVariant
 * syntax ("<'…'>", "{'url': …}"). */

/* Items after which a list says how many more there are: a one-line list
 * stays one line; a list of lines stays a screenful or two. */
#define MAX_LIST_ITEMS  12
#define MAX_LIST_LINES  200

static gboolean
key_is_seconds (const char *key)
{
  return key != NULL && g_str_has_suffix (key, "_s");
}

static gboolean
key_is_bytes (const char *key)
{
  return key != NULL && (g_strcmp0 (key, "bytes") == 0 || g_str_has_suffix (key, "_bytes"));
}

static gboolean
is_whole_number (GVariant *v)
{
  return g_variant_is_of_type (v, G_VARIANT_TYPE_INT64) ||
         g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64) ||
         g_variant_is_of_type (v, G_VARIANT_TYPE_INT32) ||
         g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32);
}

/* A dictionary, a list of them or of strings: one line per item. */
static gboolean
is_list_of_lines (GVariant *v)
{
  const GVariantType *item;

  if (!g_variant_is_of_type (v, G_VARIANT_TYPE_ARRAY) || g_variant_is_of_type (v, G_VARIANT_TYPE_DICTIONARY))
    return FALSE;
  item = g_variant_type_element (g_variant_get_type (v));
  return g_variant_type_is_subtype_of (item, G_VARIANT_TYPE_DICTIONARY) ||
         g_variant_type_equal (item, G_VARIANT_TYPE_STRING) ||
         g_variant_type_equal (item, G_VARIANT_TYPE_VARIANT);
}

static void append_value (GString *out, const char *key, GVariant *value);

static void
append_more (GString *out,
             gsize    n_more)
{
  g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n_more);

  /* Translators: ends a list that is too long to show in full; %s is
   * how many items were left out */
  g_string_append_printf (out, _("… %s more"), count);
}

/* "[1, 2, 3]", each item named by the list's key ("gil_wait_s" items are
 * seconds). */
static void
append_inline_list (GString    *out,
                    const char *key,
                    GVariant   *v)
{
  gsize n = g_variant_n_children (v);

  g_string_append_c (out, '[');
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

      if (i > 0)
        g_string_append (out, ", ");
      if (i == MAX_LIST_ITEMS)
        {
          append_more (out, n - i);
          break;
        }
      append_value (out, key, child);
    }
  g_string_append_c (out, ']');
}

/* "url=http://…  status=200  bytes=25.0 kB  total_s=781 ms": the fields
 * by name, two spaces apart; empty text (no error) left out. */
static void
append_fields (GString  *out,
               GVariant *dict)
{
  GVariantIter iter;
  GVariant *entry;
  gboolean first = TRUE;

  g_variant_iter_init (&iter, dict);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = entry;
      g_autoptr(GVariant) name = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) value = g_variant_get_child_value (entry, 1);
      g_autoptr(GVariant) inner = g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT)
                                  ? g_variant_get_variant (value) : g_variant_ref (value);
      const char *field = g_variant_is_of_type (name, G_VARIANT_TYPE_STRING)
                          ? g_variant_get_string (name, NULL) : NULL;
      g_autoptr(GString) text = g_string_new (NULL);

      if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING) &&
          g_variant_get_string (inner, NULL)[0] == '\0')
        continue;

      append_value (text, field, inner);
      if (!first)
        g_string_append (out, "  ");
      first = FALSE;
      if (field != NULL)
        g_string_append_printf (out, "%s=", field);
      else
        {
          append_value (out, NULL, name);
          g_string_append_c (out, '=');
        }
      /* Quoted when it has spaces, so the next field is not mistaken for
       * part of it. */
      if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING) && strchr (text->str, ' ') != NULL)
        g_string_append_printf (out, "\"%s\"", text->str);
      else
        g_string_append (out, text->str);
    }
}

/* One line per item: a dictionary's fields numbered from 1, a string as
 * it is. */
static void
append_lines (GString    *out,
              const char *key,
              GVariant   *v)
{
  gsize n = g_variant_n_children (v);
  int width = 1;

  /* The numbers right-aligned: as wide as the last one. */
  for (gsize last = n; last >= 10; last /= 10)
    width++;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (v, i);
      g_autoptr(GVariant) inner = g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT)
                                  ? g_variant_get_variant (child) : g_variant_ref (child);

      if (i == MAX_LIST_LINES)
        {
          append_more (out, n - i);
          g_string_append_c (out, '\n');
          break;
        }
      if (g_variant_is_of_type (inner, G_VARIANT_TYPE_DICTIONARY))
        {
          g_string_append_printf (out, "%*" G_GSIZE_FORMAT "  ", width, i + 1);
          append_fields (out, inner);
        }
      else
        append_value (out, key, inner);
      g_string_append_c (out, '\n');
    }
}

/* Any value as words. @key is what it is called (a metric key or a field
 * name; may be NULL), which says whether a number is seconds or bytes. */
static void
append_value (GString    *out,
              const char *key,
              GVariant   *value)
{
  double num;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      append_value (out, key, inner);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
           g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH) ||
           g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE))
    g_string_append (out, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? _("yes") : _("no"));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    {
      gint64 n = g_variant_get_int64 (value);

      if (key_is_bytes (key) && n >= 0)
        {
          g_autofree char *size = g_format_size ((guint64) n);

          g_string_append (out, size);
        }
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, n);
    }
  else if (variant_to_double (value, &num))
    {
      g_autofree char *text = NULL;

      if (key_is_seconds (key))
        text = format_seconds (num);
      else if (key_is_bytes (key) && num >= 0)
        text = g_format_size ((guint64) num);
      else if (is_whole_number (value))
        text = g_strdup_printf ("%.0f", num);
      else
        text = g_strdup_printf ("%g", num);
      g_string_append (out, text);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY))
    append_fields (out, value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (value);

      if (inner != NULL)
        append_value (out, key, inner);
      else
        g_string_append (out, "—");
    }
  else if (g_variant_is_container (value))
    append_inline_list (out, key, value);
  else
    {
      /* A basic type no experiment uses yet (a byte, an int16): its plain
       * text has none of the container syntax. */
      g_autofree char *text = g_variant_print (value, FALSE);

      g_string_append (out, text);
    }
}

static char *
format_any (const char *key,
            GVariant   *value)
{
  GString *out = g_string_new (NULL);

  if (is_list_of_lines (value))
    append_lines (out, key, value);
  else
    append_value (out, key, value);
  return g_string_free (out, FALSE);
}

char *
lab_metric_format (const LabMetricSpec *spec,
                   GVariant            *value)
{
  double num;

  if (value == NULL)
    return g_strdup ("—");

  switch (spec->kind)
    {
    case LAB_METRIC_COUNT:
      if (!variant_to_double (value, &num))
        break;
      /* Grouped as the charts' titles and bars group them. */
      if (num == floor (num) && fabs (num) < 1e15)
        return lab_format_count ((gint64) num);
      return g_strdup_printf ("%.0f", num);

    case LAB_METRIC_SECONDS:
      if (!variant_to_double (value, &num))
        break;
      return format_seconds (num);

    case LAB_METRIC_MILLISECONDS:
      if (!variant_to_double (value, &num))
        break;
      return format_seconds (num / 1000);

    case LAB_METRIC_RATIO:
      if (!variant_to_double (value, &num))
        break;
      return g_strdup_printf ("%.2f×", num);

    case LAB_METRIC_BOOL:
      if (!variant_to_double (value, &num))
        break;
      return g_strdup (num != 0 ? _("yes") : _("no"));

    case LAB_METRIC_TEXT:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          const char *s = g_variant_get_string (value, NULL);

          return g_strdup (s[0] ? s : "—");
        }
      break;

    case LAB_METRIC_LIST:
    default:
      break;
    }

  /* A list, or a value of another type than its kind says. */
  return format_any (spec->key, value);
}

char *
lab_metrics_format_line (const LabExperiment *experiment,
                         GVariant            *metrics,
                         const char          *separator,
                         guint                max_items)
{
  GString *line = g_string_new (NULL);
  guint shown = 0;

  for (guint i = 0; metrics != NULL && i < experiment->n_metrics; i++)
    {
      const LabMetricSpec *spec = &experiment->metrics[i];
      g_autoptr(GVariant) value = NULL;
      g_autofree char *text = NULL;

      if (max_items > 0 && shown == max_items)
        break;
      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;
      value = lab_metrics_lookup (metrics, spec->key);
      if (value == NULL)
        continue;
      text = lab_metric_format (spec, value);
      if (shown++ > 0)
        g_string_append (line, separator);
      /* A no-break space: a name and its value stay on one line. */
      g_string_append_printf (line, "%s\u00a0%s", _(spec->label), text);
    }
  return g_string_free (line, FALSE);
}
