/* lab-chart-format.c — chart values and axis ticks as people read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "lab-chart.h"

/* Below this, a number is not split: "2000", but "10 000". */
#define GROUPED_FROM 10000

char *
lab_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  const char *sep = localeconv ()->thousands_sep;
  const char *start = digits[0] == '-' ? digits + 1 : digits;
  gsize len = strlen (start);
  GString *out;

  if (n > -GROUPED_FROM && n < GROUPED_FROM)
    return g_steal_pointer (&digits);

  /* The locale's separator ("," in English); a locale without one (C,
   * POSIX) gets a no-break space, which reads right in any language and
   * keeps the number on one line. */
  if (sep == NULL || sep[0] == '\0' || !g_utf8_validate (sep, -1, NULL))
    sep = "\u00a0";

  out = g_string_new (start == digits ? NULL : "-");
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, start[i]);
    }
  return g_string_free (out, FALSE);
}

char *
lab_chart_format_value (LabChartUnit unit,
                        double       value)
{
  double a = fabs (value);

  if (!isfinite (value))
    return g_strdup ("—");

  switch (unit)
    {
    case LAB_CHART_UNIT_SECONDS:
      if (a == 0)
        return g_strdup (_("0 s"));
      if (a < 1e-3)
        /* Translators: microseconds */
        return g_strdup_printf (_("%.0f µs"), value * 1e6);
      if (a < 0.1)
        /* Translators: milliseconds */
        return g_strdup_printf (_("%.1f ms"), value * 1e3);
      if (a < 1)
        return g_strdup_printf (_("%.0f ms"), value * 1e3);
      /* Translators: seconds */
      return g_strdup_printf (_("%.2f s"), value);

    case LAB_CHART_UNIT_RATIO:
      /* Translators: a speed-up, "1.93×" */
      return g_strdup_printf (_("%.*f×"), a < 10 ? 2 : a < 100 ? 1 : 0, value);

    case LAB_CHART_UNIT_PERCENT:
      /* Translators: a percentage, "96%" */
      return g_strdup_printf (_("%.0f%%"), value * 100);

    case LAB_CHART_UNIT_COUNT:
    default:
      if (value == floor (value) && a < 1e15)
        return lab_format_count ((gint64) value);
      return g_strdup_printf ("%.3g", value);
    }
}

/* "%.*f" with the trailing zeros (and point) of the fraction removed. */
static char *
format_trimmed (double value,
                int    decimals)
{
  char *text = g_strdup_printf ("%.*f", decimals, value);
  char *end;

  if (decimals > 0)
    {
      end = text + strlen (text) - 1;
      while (end > text && *end == '0')
        *end-- = '\0';
      if (end > text && !g_ascii_isdigit (*end))
        *end = '\0';
    }
  if (strcmp (text, "-0") == 0)
    {
      g_free (text);
      text = g_strdup ("0");
    }
  return text;
}

static int
decimals_for (double step)
{
  if (!(step > 0) || step >= 1)
    return 0;
  return (int) MIN (ceil (-log10 (step) - 1e-9), 9);
}

char *
lab_chart_format_tick (LabChartUnit unit,
                       double       value,
                       double       step)
{
  g_autofree char *num = NULL;

  if (fabs (value) < step * 1e-6)
    value = 0;

  switch (unit)
    {
    case LAB_CHART_UNIT_SECONDS:
      if (step >= 0.2 - 1e-12)
        {
          num = format_trimmed (value, decimals_for (step));
          /* Translators: an axis tick in seconds; %s is the number */
          return g_strdup_printf (_("%s s"), num);
        }
      if (step >= 2e-4 - 1e-15)
        {
          num = format_trimmed (value * 1e3, decimals_for (step * 1e3));
          /* Translators: an axis tick in milliseconds; %s is the number */
          return g_strdup_printf (_("%s ms"), num);
        }
      num = format_trimmed (value * 1e6, decimals_for (step * 1e6));
      /* Translators: an axis tick in microseconds; %s is the number */
      return g_strdup_printf (_("%s µs"), num);

    case LAB_CHART_UNIT_RATIO:
      num = format_trimmed (value, decimals_for (step));
      /* Translators: an axis tick of a speed-up, "2×"; %s is the number */
      return g_strdup_printf (_("%s×"), num);

    case LAB_CHART_UNIT_PERCENT:
      num = format_trimmed (value * 100, decimals_for (step * 100));
      /* Translators: an axis tick in percent; %s is the number */
      return g_strdup_printf (_("%s%%"), num);

    case LAB_CHART_UNIT_COUNT:
    default:
      return format_trimmed (value, decimals_for (step));
    }
}
