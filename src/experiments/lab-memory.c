/* lab-memory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lab-memory.h"

gint64
lab_memory_available (gint64 max_memory_mb)
{
  g_autofree char *meminfo = NULL;
  const char *line;
  gint64 available = -1;
  gint64 kib;

  if (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL) &&
      (line = strstr (meminfo, "MemAvailable:")) != NULL &&
      sscanf (line, "MemAvailable: %" G_GINT64_FORMAT, &kib) == 1)
    available = kib * 1024;

  if (max_memory_mb > 0 && (available < 0 || available > max_memory_mb * 1024 * 1024))
    available = max_memory_mb * 1024 * 1024;
  return available;
}
