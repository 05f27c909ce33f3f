/* lab-memory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "lab-chart.h"
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

gint64 *
lab_memory_new_numbers (gsize        size,
                        guint        copies,
                        gint64       max_memory_mb,
                        const char  *message,
                        GError     **error)
{
  guint64 bytes = (guint64) size * sizeof (gint64);
  gint64 available = lab_memory_available (max_memory_mb);
  gint64 *array = NULL;

  if (available < 0 || copies * bytes <= (guint64) available)
    array = g_try_malloc (MAX (bytes, 1));

  if (array == NULL)
    {
      g_autofree char *count = lab_format_count (size);
      g_autofree char *need = g_format_size (copies * bytes);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, message, count, need);
    }
  return array;
}
