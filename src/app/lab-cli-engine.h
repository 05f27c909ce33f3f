/* lab-cli-engine.h — `--trace=PROGRAM.py`: any Python program run under the
 * tracer (the CPython engine) from the command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

/* Runs @program with @python (NULL: /usr/bin/python3 if it exists, else
 * python3 on PATH) and @args, prints what it printed and its metrics (as
 * JSON with @json) and writes its trace to each of @exports (.json).
 * Returns the exit status of the command line. */
int lab_cli_engine_trace (const char          *program,
                          const char          *python,
                          const char * const  *args,
                          gboolean             json,
                          char               **exports);

/* --engine=@engine for --run: TRUE with @on_cpython NULL for the model
 * (@engine NULL or "model"), or a descriptor that runs the listing on
 * CPython (free with lab_py_engine_experiment_free()). FALSE with the
 * command line's exit @status after one line on stderr: an unknown engine
 * (2), no usable Python (1). */
gboolean lab_cli_engine_prepare (const LabExperiment  *experiment,
                                 const char           *engine,
                                 const char           *python,
                                 LabExperiment       **on_cpython,
                                 int                  *status);

G_END_DECLS
