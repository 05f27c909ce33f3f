/* lab-python.h — the Python interpreter the CPython engine runs: found
 * once, its version checked, for the engine, a traced program and the
 * window alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The interpreter: @python as given (a path, or a name looked up on PATH),
 * else /usr/bin/python3 if it exists, else python3 on PATH. On failure
 * one line a student understands ("python3 is not installed …", "Python
 * 3.10.12 is too old …"); G_IO_ERROR_NOT_FOUND when there is none.
 * On success @version is "3.11.2". */
char *lab_python_find (const char  *python,
                       char       **version,
                       GError     **error);

G_END_DECLS
