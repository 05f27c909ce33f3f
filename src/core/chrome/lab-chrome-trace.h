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

/* Larger files are refused before they are read: the file is mapped
 * whole, and the trace built from it takes a few times its records. */
#define LAB_CHROME_TRACE_MAX_BYTES  (G_GINT64_CONSTANT (1024) * 1024 * 1024)
/* More records than this are refused while reading: the timeline would
 * need more memory than a classroom laptop has. */
#define LAB_CHROME_TRACE_MAX_EVENTS (G_GUINT64_CONSTANT (10000000))

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
  gboolean    has_cpu;   /* some events say which CPU they ran on */
} LabChromeReadSummary;

void      lab_chrome_read_summary_free (LabChromeReadSummary *summary);
/* "3 records of kinds the lab does not draw (O, P) were skipped", or
 * NULL if nothing was skipped. */
char     *lab_chrome_read_summary_describe (const LabChromeReadSummary *summary);

/* Reads the object form ({"traceEvents": [...]}) or the bare array form:
 * X, B/E, i/I, C, M (names, sort indexes) and flows s/t/f become lanes,
 * spans, marks, counters and arrows; our own files give back every event
 * they were written from, with its CPU. Unknown kinds are counted in
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

/* Called from the reading thread with how far it got (0 … 1), at most a
 * few hundred times per file. */
typedef void (*LabChromeProgressFunc) (double   fraction,
                                       gpointer user_data);

typedef struct
{
  GCancellable          *cancellable;   /* G_IO_ERROR_CANCELLED when cancelled */
  LabChromeProgressFunc  progress;
  gpointer               progress_data;
  guint64                max_events;    /* 0: LAB_CHROME_TRACE_MAX_EVENTS */
} LabChromeReadOptions;

/* As above, for a thread: cancellable, with progress and a limit on the
 * records (G_IO_ERROR_NO_SPACE past it). A file that is not UTF-8 text or
 * is missing gives an error that says so. @options may be NULL. */
LabTrace *lab_chrome_trace_read_data_full (const char                 *data,
                                           gsize                       length,
                                           const char                 *name,
                                           const LabChromeReadOptions *options,
                                           LabChromeReadSummary      **summary,
                                           GError                    **error);
LabTrace *lab_chrome_trace_read_file_full (const char                 *path,
                                           const LabChromeReadOptions *options,
                                           LabChromeReadSummary      **summary,
                                           GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabChromeReadSummary, lab_chrome_read_summary_free)

G_END_DECLS
