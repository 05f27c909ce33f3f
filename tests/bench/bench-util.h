/* bench-util.h — what every benchmark prints about the machine its numbers
 * come from, and the medians and metric reads they all take. Header-only (static), for tests/bench/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "lab-runner.h"

/* "cpus: N" and "load_avg_1min: L": the targets assume otherwise idle
 * cores, so a number read on a busy machine says so beside it. */
G_GNUC_UNUSED static void
bench_print_machine (void)
{
  g_autofree char *text = NULL;
  double load = -1;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    load = g_ascii_strtod (text, NULL);
  printf ("cpus: %u\n", g_get_num_processors ());
  printf ("load_avg_1min: %.2f\n", load);
}

G_GNUC_UNUSED static int
bench_compare_double (const void *a,
                      const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values; the upper of the two middles when @n is even, so the
 * value is one that was measured. */
G_GNUC_UNUSED static double
bench_median_upper (double *values,
                    guint   n)
{
  qsort (values, n, sizeof (double), bench_compare_double);
  return values[n / 2];
}

/* Sorts @values; the mean of the two middles when @n is even. */
G_GNUC_UNUSED static double
bench_median (double *values,
              guint   n)
{
  qsort (values, n, sizeof (double), bench_compare_double);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* A metric of an a{sv} as a number, whatever its type; a missing key is a
 * broken benchmark, not a result. */
G_GNUC_UNUSED static double
bench_metric_of (GVariant   *metrics,
                 const char *key)
{
  g_autoptr(GVariant) value = lab_metrics_lookup (metrics, key);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  return g_variant_get_double (value);
}

/* A metric of a finished run (see bench_metric_of()). */
G_GNUC_UNUSED static double
bench_metric (LabRunner  *runner,
              const char *key)
{
  return bench_metric_of (lab_runner_get_metrics (runner), key);
}
