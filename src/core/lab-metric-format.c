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

static char *
format_seconds (double s)
{
  double a = fabs (s);

  if (a == 0)
    return g_strdup (_("0 s"));
  if (a < 1e-3)
    /* Translators: microseconds */
    return g_strdup_printf (_("%.0f µs"), s * 1e6);
  if (a < 0.1)
    /* Translators: milliseconds */
    return g_strdup_printf (_("%.1f ms"), s * 1e3);
  if (a < 1)
    return g_strdup_printf (_("%.0f ms"), s * 1e3);
  /* Translators: seconds */
  return g_strdup_printf (_("%.2f s"), s);
}

static char *
format_list (GVariant *v)
{
  GString *str = g_string_new ("[");
  gsize n = g_variant_n_children (v);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (v, i);
      g_autofree char *item = NULL;

      if (i >= 12)
        {
          g_string_append (str, ", …");
          break;
        }
      if (g_variant_is_of_type (child, G_VARIANT_TYPE_STRING))
        item = g_variant_dup_string (child, NULL);
      else if (g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT))
        {
          g_autoptr(GVariant) inner = g_variant_get_variant (child);

          item = g_variant_print (inner, FALSE);
        }
      else
        item = g_variant_print (child, FALSE);
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, item);
    }
  g_string_append (str, "]");
  return g_string_free (str, FALSE);
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
      return g_strdup_printf ("%.0f", num);

    case LAB_METRIC_SECONDS:
      if (!variant_to_double (value, &num))
        break;
      return format_seconds (num);

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
      if (g_variant_is_container (value))
        return format_list (value);
      break;

    default:
      break;
    }

  return g_variant_print (value, FALSE);
}
