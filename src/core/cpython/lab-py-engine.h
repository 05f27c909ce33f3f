/* lab-py-engine.h — the CPython engine: an experiment's own listing run on
 * a real interpreter under the tracer and the /proc sampler, its printed
 * lines read back as the experiment's metrics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

/* A listing line the engine fills with the address of the built-in web
 * server (started for the run): the listing runs as shown against any
 * server on port 8000, and in the lab against its own. */
#define LAB_PY_ENGINE_BASE_LINE "BASE = \"http://127.0.0.1:8000\""

/* A descriptor that runs @model's listing on the interpreter @python
 * (with @version): the same id, title, parameters and metric specs, and a
 * run() that runs lab_py_engine_run(). Free with
 * lab_py_engine_experiment_free(). */
LabExperiment *lab_py_engine_experiment_new   (const LabExperiment *model,
                                               const char          *python,
                                               const char          *version);
void           lab_py_engine_experiment_free  (LabExperiment       *experiment);
/* The same, running @code (the person's edited listing, run as written)
 * instead of the listing generated from the parameters; @code NULL is
 * lab_py_engine_experiment_new(). */
LabExperiment *lab_py_engine_experiment_new_with_code (const LabExperiment *model,
                                                       const char          *python,
                                                       const char          *version,
                                                       const char          *code);
/* The text such a descriptor runs in place of the listing, else NULL. */
const char    *lab_py_engine_experiment_get_code (const LabExperiment *experiment);
/* The interpreter version of such a descriptor, NULL for a model one. */
const char    *lab_py_engine_experiment_get_version (const LabExperiment *experiment);

/* Reads the printed @text against the experiment's code_results. In a
 * pattern "{key}" is a metric: read as a number when its spec is a count,
 * seconds or a ratio, as True/False for a bool, else as text (a Python
 * repr 'a\nb' or b'…' is unquoted); "{}" is any text, skipped. Each line
 * is read by the first pattern that matches it whole.
 *   - a key whose spec is a list gets one item per matching line, or the
 *     items of a printed list "[0, 2, 4]";
 *   - "{key.field}" makes one dictionary per matching line, appended to
 *     the array "key" (aa{sv}: the requests of a fetch);
 *   - other keys keep the last value read.
 * Lists of whole numbers are "ax", of numbers "ad", else "as". Returns a
 * floating a{sv}, empty when nothing matched. */
GVariant      *lab_py_engine_parse_output     (const LabExperiment *experiment,
                                               const char          *text);

/* Runs @experiment's listing (lab_experiment_dup_code() with @params) with
 * @python in a fresh folder, under the tracer (events into @recorder) and
 * the /proc sampler (on-CPU lanes), and returns its metrics: those read by
 * lab_py_engine_parse_output(); "wall_s", when the experiment has it and
 * the program printed none, is the program's own; and from the sampler
 * "cpu_s", "handovers", "runnable_wait_s", "sampler_hz" ("gil_switches" when the
 * experiment has it and printed none: a handover is where the GIL went
 * from one thread to another). Cancelling kills every process of it. */
GVariant      *lab_py_engine_run              (const LabExperiment *experiment,
                                               const LabParams     *params,
                                               const char          *python,
                                               LabRecorder         *recorder,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* lab_py_engine_run() for a given @text instead of the generated listing:
 * the same folder, file name, server line and metrics. */
GVariant      *lab_py_engine_run_code         (const LabExperiment *experiment,
                                               const char          *text,
                                               const char          *python,
                                               LabRecorder         *recorder,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* The line of @experiment's program that a failure @message names
 * ("race_counter.py, line 7: SyntaxError: …"), or 0 when it names none. */
guint          lab_py_engine_error_line       (const LabExperiment *experiment,
                                               const char          *message);

G_END_DECLS
