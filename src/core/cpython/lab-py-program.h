/* lab-py-program.h — any Python program traced and sampled: the tracer's
 * records (threads, locks, printed lines) and the /proc sampler's on-CPU
 * spans in one recorder, and the numbers a student reads after the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-experiment.h"
#include "lab-py-trace.h"

G_BEGIN_DECLS

/* Runs `@python @script @argv…` under the tracer (lab_py_trace_run_full())
 * with the sampler following every process of it. @metrics (may be NULL)
 * is set to a{sv} whenever the program ran, also when it failed:
 *   "wall_s" d, "exit_status" x (128 + N when signal N ended it),
 *   "threads" x, "processes" x (as the sampler saw them), "cpu_s" d,
 *   "handovers" x, "runnable_wait_s" d, "sampler_hz" d.
 * @out_text (may be NULL) gets what it printed on standard output.
 * FALSE with @error as lab_py_trace_run_full() fails. */
gboolean             lab_py_program_run            (const char          *python,
                                                    const char          *script,
                                                    const char * const  *argv,
                                                    LabRecorder         *recorder,
                                                    GCancellable        *cancellable,
                                                    char               **out_text,
                                                    GVariant           **metrics,
                                                    GError             **error);

/* lab_py_program_run() with the tracer's @trace_options (may be NULL;
 * its `started` must be NULL: the sampler is started here). */
gboolean             lab_py_program_run_full       (const char              *python,
                                                    const char              *script,
                                                    const char * const      *argv,
                                                    const LabPyTraceOptions *trace_options,
                                                    LabRecorder             *recorder,
                                                    GCancellable            *cancellable,
                                                    GVariant               **metrics,
                                                    GError                 **error);

/* A descriptor that runs the program of its parameters: "program" (the
 * path), "args" (its arguments), "python" (the interpreter, "" for
 * python3). Its metrics are those of lab_py_program_run() and, when the
 * program failed, "error" s: Python's own line ("line 3: ValueError: …").
 * Not in the experiment list: the window's "Your Program" page runs it. */
const LabExperiment *lab_py_program_get_experiment (void);

/* Checks that @path can be given to Python: it exists, is a file and is
 * UTF-8 text. FALSE with one line a student understands. */
gboolean             lab_py_program_check_file     (const char          *path,
                                                    GError             **error);

G_END_DECLS
