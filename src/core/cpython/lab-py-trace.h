/* lab-py-trace.h — runs a Python program under the tracer (the CPython
 * engine): its processes' records are received and recorded as events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-recorder.h"

G_BEGIN_DECLS

#define LAB_PY_TRACE_ERROR (lab_py_trace_error_quark ())

typedef enum
{
  LAB_PY_TRACE_ERROR_FAILED,      /* the program ended with an error (exit status ≠ 0) */
  LAB_PY_TRACE_ERROR_KILLED,      /* a signal ended the program */
  LAB_PY_TRACE_ERROR_NO_TRACE,    /* the program ran, but the tracer did not start */
  LAB_PY_TRACE_ERROR_BAD_TRACE,   /* a process sent records that are garbage */
} LabPyTraceError;

GQuark   lab_py_trace_error_quark (void);

/* Where the tracer module is: $LAB_TRACER_DIR if set; for a program inside
 * the build tree, the build tree's copy; else the installed one. */
char    *lab_py_tracer_find_dir   (void);

/* Runs `@python_path @script @argv…` in a process group of its own with the
 * tracer on PYTHONPATH, on the calling thread, until every process of the
 * group has ended and every record is in @recorder. Cancelling
 * @cancellable kills the whole group at once (G_IO_ERROR_CANCELLED).
 * The program's standard output is not shown: its lines arrive as
 * records. On failure @error is one line: the exit status or Python's
 * own error ("line 3: SyntaxError: invalid syntax"). */
gboolean lab_py_trace_run         (const char          *python_path,
                                   const char          *script,
                                   const char * const  *argv,
                                   LabRecorder         *recorder,
                                   GCancellable        *cancellable,
                                   GError             **error);

/* What a caller of lab_py_trace_run_full() wants besides the records. */
typedef struct
{
  /* Called on the running thread as soon as the program has started, e.g.
   * to sample its threads from /proc; may be NULL. */
  void        (*started) (GPid     pid,
                          gpointer data);
  gpointer      data;
  /* Where to put the lines the program and its children printed to
   * standard output, whole lines as the tracer saw them, once it has
   * ended; NULL: not kept. */
  char        **out_text;
  /* Where to put the program's exit status once it has ended (128 + N
   * when signal N ended it); NULL: not wanted. Left alone when it never
   * started or was stopped. */
  int          *exit_status;
} LabPyTraceOptions;

/* lab_py_trace_run() with @options (NULL: none). */
gboolean lab_py_trace_run_full    (const char               *python_path,
                                   const char               *script,
                                   const char * const       *argv,
                                   const LabPyTraceOptions  *options,
                                   LabRecorder              *recorder,
                                   GCancellable             *cancellable,
                                   GError                  **error);

G_END_DECLS
