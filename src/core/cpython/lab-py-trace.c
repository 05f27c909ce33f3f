/* lab-py-trace.c — one traced run of a Python program.
 *
 * The program is the leader of a new process group, so that Stop (and the
 * end of the program) can kill every process it started — multiprocessing
 * children, subprocess children — with one kill(). The end of its
 * standard error is kept to find Python's own message when it fails. The receiver is stopped
 * only after the whole group is gone, so every socket has been closed and
 * every record read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-py-receiver.h"
#include "lab-py-trace.h"

G_DEFINE_QUARK (lab-py-trace-error-quark, lab_py_trace_error)

/* How much of the program's standard error is kept to find Python's own
 * message in: its end, as a traceback is. A program that writes without
 * end costs this much, not all it wrote. */
#define ERR_KEEP (64 * 1024)

typedef struct
{
  pid_t     pid;
  gboolean  exited;
  gboolean  done;      /* standard error is at its end */
  GString  *err_tail;  /* the last ERR_KEEP … 2 × ERR_KEEP bytes read */
  gboolean  err_cut;   /* and what came before was let go */
  guint8    buffer[8192];
} RunState;

char *
lab_py_tracer_find_dir (void)
{
  const char *env = g_getenv ("LAB_TRACER_DIR");
  g_autofree char *exe = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  /* A program inside the build tree (the app, a test) uses the tracer of
   * its own version, not an installed one. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, BUILD_ROOT "/"))
    return g_build_filename (BUILD_ROOT, "src", "tracer", NULL);

  return g_strdup (LAB_TRACER_DIR);
}

static void
child_setup (gpointer data)
{
  setpgid (0, 0);
}

static void
kill_group (GCancellable *cancellable,
            gpointer      data)
{
  pid_t pid = GPOINTER_TO_INT (data);

  kill (-pid, SIGKILL);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  RunState *state = data;

  /* What the program left behind (a daemon child holding the pipe) ends
   * with it: nothing of the run may keep running. */
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  kill_group (NULL, GINT_TO_POINTER (state->pid));
  state->exited = TRUE;
}

static void
on_err_read (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  RunState *state = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      state->done = TRUE;
      return;
    }
  g_string_append_len (state->err_tail, (const char *) state->buffer, n);
  /* Cut in halves, not per read: the copy stays rare. */
  if (state->err_tail->len > 2 * ERR_KEEP)
    {
      g_string_erase (state->err_tail, 0, state->err_tail->len - ERR_KEEP);
      state->err_cut = TRUE;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), state->buffer, sizeof state->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_err_read, state);
}

/* The end of standard error as text: from the first whole line on, with
 * bytes that are not UTF-8 replaced. */
static char *
err_text_from_tail (GString *tail,
                    gboolean cut)
{
  const char *start = tail->str;
  const char *newline = cut ? memchr (tail->str, '\n', tail->len) : NULL;

  if (newline != NULL)
    start = newline + 1;
  return g_utf8_make_valid (start, tail->len - (start - tail->str));
}

/* Python's last words on stderr: the last line of the traceback ("NameError:
 * name 'x' is not defined") and the line number of the innermost frame. */
static char *
python_error_text (const char *err_text)
{
  g_auto(GStrv) lines = NULL;
  const char *last = NULL;
  guint64 line = 0;

  if (err_text == NULL)
    return NULL;
  lines = g_strsplit (err_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "\", line ");

      if (g_str_has_prefix (lines[i], "  File \"") && at != NULL)
        line = g_ascii_strtoull (at + strlen ("\", line "), NULL, 10);
      if (g_strstrip (lines[i])[0] != '\0')
        last = lines[i];
    }
  if (last == NULL)
    return NULL;
  if (line != 0)
    /* Translators: where a Python program failed: a line number, then
     * Python's own message such as "ZeroDivisionError: division by zero" */
    return g_strdup_printf (_("line %u: %s"), (guint) line, last);
  return g_strdup (last);
}

static gboolean
check_result (GSubprocess    *proc,
              const char     *err_text,
              LabPyReceiver  *receiver,
              const char     *tracer_dir,
              GError        **error)
{
  g_autofree char *python_error = NULL;
  g_auto(GStrv) errors = NULL;

  if (g_subprocess_get_if_signaled (proc))
    {
      int sig = g_subprocess_get_term_sig (proc);

      g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_KILLED,
                   _("The program was killed by signal %d (%s)"), sig, g_strsignal (sig));
      return FALSE;
    }
  if (g_subprocess_get_exit_status (proc) != 0)
    {
      python_error = python_error_text (err_text);
      if (python_error != NULL)
        g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED,
                     /* Translators: %s is where and why, from Python */
                     _("The program failed: %s"), python_error);
      else
        g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_FAILED,
                     _("The program ended with exit status %d"),
                     g_subprocess_get_exit_status (proc));
      return FALSE;
    }
  errors = lab_py_receiver_dup_errors (receiver);
  if (errors[0] != NULL)
    {
      g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_BAD_TRACE,
                   _("The trace is incomplete: %s"), errors[0]);
      return FALSE;
    }
  if (lab_py_receiver_get_n_processes (receiver) == 0)
    {
      g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_NO_TRACE,
                   _("The program ran, but the tracer did not start in it "
                     "(is the tracer in %s?)"), tracer_dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_py_trace_run (const char          *python_path,
                  const char          *script,
                  const char * const  *argv,
                  LabRecorder         *recorder,
                  GCancellable        *cancellable,
                  GError             **error)
{
  return lab_py_trace_run_full (python_path, script, argv, NULL, recorder, cancellable, error);
}

gboolean
lab_py_trace_run_full (const char               *python_path,
                       const char               *script,
                       const char * const       *argv,
                       const LabPyTraceOptions  *options,
                       LabRecorder              *recorder,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  static const LabPyTraceOptions no_options = { 0 };
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(LabPyReceiver) receiver = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *tracer_dir = lab_py_tracer_find_dir ();
  g_autofree char *python_path_env = NULL;
  const char *old_path = g_getenv ("PYTHONPATH");
  RunState state = { 0 };
  g_autofree char *err_text = NULL;
  GError *spawn_error = NULL;
  gulong cancel_id = 0;
  gboolean ok;
  pid_t pid;

  g_return_val_if_fail (python_path != NULL && script != NULL, FALSE);
  if (options == NULL)
    options = &no_options;

  receiver = lab_py_receiver_new (recorder, error);
  if (receiver == NULL)
    return FALSE;
  if (options->out_text != NULL)
    lab_py_receiver_keep_output (receiver);

  g_ptr_array_add (args, (gpointer) python_path);
  g_ptr_array_add (args, (gpointer) script);
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "LAB_TRACE_SOCKET",
                                lab_py_receiver_get_socket_path (receiver), TRUE);
  if (old_path != NULL && old_path[0] != '\0')
    python_path_env = g_strconcat (tracer_dir, ":", old_path, NULL);
  else
    python_path_env = g_strdup (tracer_dir);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", python_path_env, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &spawn_error);
  if (proc == NULL)
    {
      if (g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("Python was not found at %s"), python_path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not start Python (%s): %s"), python_path, spawn_error->message);
      g_error_free (spawn_error);
      return FALSE;
    }
  pid = (pid_t) atoi (g_subprocess_get_identifier (proc));

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (kill_group),
                                       GINT_TO_POINTER (pid), NULL);
  if (options->started != NULL)
    options->started (pid, options->data);
  state.pid = pid;
  state.err_tail = g_string_new (NULL);
  g_subprocess_wait_async (proc, NULL, on_exited, &state);
  g_input_stream_read_async (g_subprocess_get_stderr_pipe (proc), state.buffer, sizeof state.buffer,
                             G_PRIORITY_DEFAULT, NULL, on_err_read, &state);
  while (!state.done || !state.exited)
    g_main_context_iteration (context, TRUE);
  /* The wait callback may still be queued: let it run before the context
   * goes. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_cancellable_disconnect (cancellable, cancel_id);
  g_main_context_pop_thread_default (context);

  lab_py_receiver_stop (receiver);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  else
    {
      if (options->exit_status != NULL)
        *options->exit_status = g_subprocess_get_if_signaled (proc)
                                ? 128 + g_subprocess_get_term_sig (proc)
                                : g_subprocess_get_exit_status (proc);
      err_text = err_text_from_tail (state.err_tail, state.err_cut);
      ok = check_result (proc, err_text, receiver, tracer_dir, error);
    }
  if (options->out_text != NULL)
    *options->out_text = lab_py_receiver_dup_output (receiver);
  g_string_free (state.err_tail, TRUE);
  return ok;
}
