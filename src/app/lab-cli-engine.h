/* lab-cli-engine.h — `--trace=PROGRAM.py`: any Python program run under the
 * tracer (the CPython engine) from the command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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

G_END_DECLS
