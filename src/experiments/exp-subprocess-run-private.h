/* exp-subprocess-run-private.h — what exp-subprocess-run.c takes from
 * exp-subprocess-run-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-child.h"
#include "lab-params.h"
#include "lab-time.h"

G_BEGIN_DECLS

/* How the call ended: what the run's metrics and messages need besides
 * what LabChild knows. */
typedef struct
{
  const char *mode;       /* run, popen, check_output, system */
  const char *call;       /* with Popen: communicate, wait, poll */
  gboolean    text;
  gboolean    gave_up;    /* wait(timeout) or the poll loop ran out of time */
  gboolean    killed_at_end;
} LabSubprocessCall;

/* Lane names and call labels longer than this are shortened. */
#define LAB_SUBPROCESS_LABEL_CHARS 48

/* The words of @command (no shell runs it); NULL with @error set to a
 * message a student understands ("Type a command to run", an unclosed
 * quote ...), G_IO_ERROR_INVALID_ARGUMENT. */
char       **lab_subprocess_parse_command   (const char  *command,
                                             GError     **error);
/* @text with the escapes of a Python string literal, as UTF-8 bytes in
 * @input (NULL when empty). FALSE with @error naming the escape
 * (G_IO_ERROR_INVALID_ARGUMENT) when one is malformed. */
gboolean     lab_subprocess_make_input      (const char  *text,
                                             GBytes     **input,
                                             GError     **error);
/* @text cut to LAB_SUBPROCESS_LABEL_CHARS characters with "…". */
char        *lab_subprocess_shorten         (const char *text);
/* ['ls', '-l'], shortened. */
char        *lab_subprocess_python_list     (char **argv);
/* "5.0 ms", "5.03 s". */
char        *lab_subprocess_format_duration (gint64 ns);
/* "FileNotFoundError" ... for an error of lab_child_spawn(). */
const char  *lab_subprocess_exception_name  (const GError *error);

/* The "env" entries are NAME=VALUE; FALSE with @error naming the bad one
 * (G_IO_ERROR_INVALID_ARGUMENT). */
gboolean     lab_subprocess_check_env       (const char * const  *env,
                                             GError             **error);
/* repr() of bytes (b'…') or, with @text, of the str they decode to; "…"
 * after it when @more bytes were not shown. NULL when @text and the bytes
 * are not UTF-8. */
char        *lab_subprocess_python_repr     (const guint8 *data,
                                             gsize         len,
                                             gboolean      more,
                                             gboolean      text);
/* repr() of a str: 'ls'. */
char        *lab_subprocess_python_str      (const char *text);

/* The words of the command: the shell's line for os.system. */
char       **lab_subprocess_argv            (const LabParams  *params,
                                             GError          **error);
/* Bad usage found before anything runs: the command, the input, the env
 * entries, choices that do not go together. */
gboolean     lab_subprocess_check           (const LabParams  *params,
                                             GError          **error);

/* exp-subprocess-run-result.c */
/* repr() of stdout (0) or stderr (1) as the call would return it; "None"
 * without capture, NULL when text is on and the bytes are not UTF-8. */
char        *lab_subprocess_output_repr     (LabChild                *child,
                                             guint                    stream,
                                             const LabSubprocessCall *call);
/* What the call returned as Python prints it; "" when it raised, NULL
 * when the output cannot be decoded as text. */
char        *lab_subprocess_result          (LabChild                *child,
                                             const GError            *spawn_error,
                                             const char              *args,
                                             const LabSubprocessCall *call);
/* What went wrong, in words; "" when the child ran and ended by itself. */
char        *lab_subprocess_describe_failure (LabChild                *child,
                                              const GError            *spawn_error,
                                              const char              *args,
                                              double                   timeout_s,
                                              const LabSubprocessCall *call);
GVariant    *lab_subprocess_collect         (LabChild                *child,
                                             const char              *failure,
                                             const char              *result,
                                             const char              *code,
                                             const LabSubprocessCall *call,
                                             gint64                   returned_ns,
                                             gint64                   wall_ns);

/* exp-subprocess-run-code.c: the Python program of this run (its mode,
 * its values), runnable as it is. */
char        *lab_subprocess_python_code     (const LabParams *params,
                                             char           **argv,
                                             GBytes          *input);
/* The program for @params as the code tab shows it and the CPython engine
 * runs it ("" while the command or input cannot be read). */
char        *lab_subprocess_dup_code        (const LabParams *params);

G_END_DECLS
