/* lab-memory.h — how much memory an experiment may take; shared by the
 * experiments that build big arrays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-chart.h" /* lab_format_count(), for the counts these experiments print */

G_BEGIN_DECLS

/* Bytes the system says are available (MemAvailable), capped at
 * @max_memory_mb when that is > 0 (tests pretend memory is short);
 * -1 if unknown and uncapped. */
gint64  lab_memory_available (gint64 max_memory_mb);

/* An array of @size numbers (not filled in), or NULL with @error
 * (G_IO_ERROR_NO_SPACE) when @copies times its size is more than is
 * available. @message is the error in words: a translated format whose
 * two %s are the count of numbers and the memory needed. */
gint64 *lab_memory_new_numbers (gsize        size,
                                guint        copies,
                                gint64       max_memory_mb,
                                const char  *message,
                                GError     **error);

G_END_DECLS
