/* bench-util.h — what every benchmark prints about the machine its numbers
 * come from. Header-only (static), for tests/bench/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

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
