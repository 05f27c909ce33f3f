/* lab-chrome-trace.h — a LabTrace as Chrome trace-event JSON (what
 * Perfetto's and Chrome's trace viewers open), and such a file read back
 * into a LabTrace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-trace.h"

G_BEGIN_DECLS

/* Larger files are refused: the reader holds the whole document. */
#define LAB_CHROME_TRACE_MAX_BYTES (G_GINT64_CONSTANT (512) * 1024 * 1024)

/* TRUE if @path ends in ".json" (any case). */
gboolean  lab_chrome_trace_is_path    (const char     *path);

/* Streams @trace to @out: {"traceEvents": [...], "displayTimeUnit": "ns",
 * "otherData": {"experiment": ..., "params": {...}}}. Times are µs from
 * the trace's start. @experiment may be NULL, @params an a{sv} or NULL. */
gboolean  lab_chrome_trace_write      (LabTrace       *trace,
                                       const char     *experiment,
                                       GVariant       *params,
                                       GOutputStream  *out,
                                       GCancellable   *cancellable,
                                       GError        **error);
/* The same into a file, replaced only when everything was written. */
gboolean  lab_chrome_trace_write_file (LabTrace       *trace,
                                       const char     *experiment,
                                       GVariant       *params,
                                       const char     *path,
                                       GError        **error);

/* What reading a file found besides the trace. */
typedef struct
{
  guint64     n_records; /* elements of traceEvents */
  guint64     n_ignored; /* records of a kind the reader does not take */
  GHashTable *ignored;   /* "ph" (char *) -> count (GUINT_TO_POINTER) */
  char       *experiment; /* otherData.experiment, or NULL */
} LabChromeReadSummary;

void      lab_chrome_read_summary_free (LabChromeReadSummary *summary);
/* "ignored 3 records it does not know: 2 × “P”, 1 × “O”", or NULL if
 * nothing was ignored. */
char     *lab_chrome_read_summary_describe (const LabChromeReadSummary *summary);

/* Reads the object form ({"traceEvents": [...]}) or the bare array form:
 * X, B/E, i/I, C, M (names, sort indexes) and flows s/t/f become lanes,
 * spans, marks, counters and arrows. Unknown kinds are counted in
 * @summary (may be NULL), not fatal. A file that is not a trace gives a
 * G_IO_ERROR_INVALID_DATA that says so. */
LabTrace *lab_chrome_trace_read_data  (const char            *data,
                                       gsize                  length,
                                       const char            *name,
                                       LabChromeReadSummary **summary,
                                       GError               **error);
LabTrace *lab_chrome_trace_read_file  (const char            *path,
                                       LabChromeReadSummary **summary,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabChromeReadSummary, lab_chrome_read_summary_free)

G_END_DECLS
