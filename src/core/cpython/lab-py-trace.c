/* lab-py-trace.c — one traced run of a Python program.
 *
 * The program is the leader of a new process group, so that Stop (and the
 * end of the program) can kill every process it started — multiprocessing
 * children, subprocess children — with one kill(). Its standard error is
 * read to find Python's own message when it fails. The receiver is stopped
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

#include "lab-proc-sampler.h"
#include "lab-py-receiver.h"
#include "lab-py-trace.h"

/* How often the traced processes are counted (each connects to the
 * receiver: cheap), and every how many of those looks the whole process
 * group is counted in /proc (a millisecond or two of CPU): a fork loop
 * starts a few dozen processes in that time, not thousands. */
#define WATCH_MS         20
#define WATCH_SCAN_EVERY 10
/* What is kept of the program's standard error: its last lines hold
 * Python's message; a program printing megabytes there is not kept whole. */
#define ERR_TAIL (64 * 1024)

G_DEFINE_QUARK (lab-py-trace-error-quark, lab_py_trace_error)

typedef struct
{
  gboolean       done;        /* standard error closed */
  gboolean       exited;      /* the program (the group's leader) reaped */
  GString       *err;         /* the tail of standard error */
  guint8         chunk[8192];
  pid_t          pid;
  LabPyReceiver *receiver;
  guint          max_processes;
  guint          ticks;
  gboolean       too_many;
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

static void read_err (GInputStream *stream,
                      RunState     *state);

static void
on_err_read (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  RunState *state = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      /* Every process of the program has closed its standard error. */
      state->done = TRUE;
      return;
    }
  g_string_append_len (state->err, (const char *) state->chunk, n);
  if (state->err->len > 2 * ERR_TAIL)
    g_string_erase (state->err, 0, state->err->len - ERR_TAIL);
  read_err (G_INPUT_STREAM (source), state);
}

static void
read_err (GInputStream *stream,
          RunState     *state)
{
  g_input_stream_read_async (stream, state->chunk, sizeof state->chunk, G_PRIORITY_DEFAULT,
                             NULL, on_err_read, state);
}

/* A program that starts processes without end would take the machine with
 * it: past the limit its whole group is killed. */
static gboolean
watch_tree (gpointer data)
{
  RunState *state = data;
  guint max = state->max_processes;

  if (lab_py_receiver_get_n_connected (state->receiver) <= max &&
      (++state->ticks % WATCH_SCAN_EVERY != 0 || lab_proc_count_group (state->pid, max + 1) <= max))
    return G_SOURCE_CONTINUE;
  state->too_many = TRUE;
  kill (-state->pid, SIGKILL);
  return G_SOURCE_REMOVE;
}

/* The limit on processes: @asked, else $LAB_MAX_PROCESSES, else the default. */
static guint
max_processes (guint asked)
{
  const char *env = g_getenv ("LAB_MAX_PROCESSES");
  guint64 n;

  if (asked > 0)
    return asked;
  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &n, NULL))
    return (guint) n;
  return LAB_PY_TRACE_MAX_PROCESSES;
}

/* Python's last words on stderr: the last line of the traceback ("NameError:
 * name 'x' is not defined"), with the file and line where it happened. That
 * is the innermost frame in the program's own folder when there is one: a
 * FileNotFoundError raised inside subprocess.py is the student's line that
 * called subprocess.run(). A SyntaxError has one "File" line, the program's. */
static char *
python_error_text (const char *err_text,
                   const char *script)
{
  g_autofree char *script_dir = g_path_get_dirname (script);
  /* Python names files by their absolute path. */
  g_autofree char *own_dir = g_canonicalize_filename (script_dir, NULL);
  g_autofree char *file = NULL;
  g_auto(GStrv) lines = NULL;
  const char *last = NULL;
  guint64 line = 0;
  gboolean own = FALSE;

  if (err_text == NULL)
    return NULL;
  lines = g_strsplit (err_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "\", line ");

      if (g_str_has_prefix (lines[i], "  File \"") && at != NULL)
        {
          g_autofree char *path = g_strndup (lines[i] + strlen ("  File \""),
                                             at - lines[i] - strlen ("  File \""));
          g_autofree char *dir = g_path_get_dirname (path);
          gboolean in_program = g_strcmp0 (dir, own_dir) == 0;

          if (in_program || !own)
            {
              own = in_program;
              g_free (file);
              file = g_path_get_basename (path);
              line = g_ascii_strtoull (at + strlen ("\", line "), NULL, 10);
            }
        }
      if (g_strstrip (lines[i])[0] != '\0')
        last = lines[i];
    }
  if (last == NULL)
    return NULL;
  if (line != 0)
    /* Translators: where a Python program failed: its file, a line number,
     * then Python's own message such as "ZeroDivisionError: division by zero" */
    return g_strdup_printf (_("%s, line %u: %s"), file, (guint) line, last);
  return g_strdup (last);
}

static gboolean
check_result (GSubprocess    *proc,
              RunState       *state,
              const char     *script,
              LabPyReceiver  *receiver,
              const char     *tracer_dir,
              GError        **error)
{
  const char *err_text = state->err->str;
  g_autofree char *python_error = NULL;
  g_auto(GStrv) errors = NULL;

  if (state->too_many)
    {
      g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_TOO_MANY_PROCESSES,
                   _("The program started more than %u processes; it was stopped"),
                   state->max_processes);
      return FALSE;
    }
  if (g_subprocess_get_if_signaled (proc))
    {
      int sig = g_subprocess_get_term_sig (proc);

      g_set_error (error, LAB_PY_TRACE_ERROR, LAB_PY_TRACE_ERROR_KILLED,
                   _("The program was killed by signal %d (%s)"), sig, g_strsignal (sig));
      return FALSE;
    }
  if (g_subprocess_get_exit_status (proc) != 0)
    {
      python_error = python_error_text (err_text, script);
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

/* What the user should know about a run besides its result. */
static GStrv
collect_notes (LabPyReceiver *receiver,
               guint64        max_output,
               GSubprocess   *proc,
               gboolean       killed_by_lab)
{
  GPtrArray *notes = g_ptr_array_new ();
  g_autoptr(GArray) alive = NULL;
  g_autoptr(GArray) pids = lab_py_receiver_dup_cut_short (receiver, &alive);
  gint leader = atoi (g_subprocess_get_identifier (proc) != NULL
                      ? g_subprocess_get_identifier (proc) : "0");
  gboolean leader_exited = g_subprocess_get_if_exited (proc);
  guint64 printed = 0, dropped;

  dropped = lab_py_receiver_get_output_dropped (receiver, &printed);
  if (dropped > 0)
    {
      g_autofree char *all = g_format_size (printed);
      g_autofree char *kept = g_format_size (max_output);
      g_autofree char *gone = g_format_size (dropped);

      /* Translators: all three are sizes such as "104.9 MB" */
      g_ptr_array_add (notes, g_strdup_printf (_("The program printed %s; the lab keeps %s of it "
                                                 "(the first lines on the timeline, the last ones "
                                                 "as its output) and dropped %s"),
                                               all, kept, gone));
    }
  for (guint i = 0; i < pids->len; i++)
    {
      gint pid = g_array_index (pids, gint, i);

      /* Processes the lab killed stop early for a reason already told;
       * one still running, or the leader that exited on its own, had its
       * tracer cut off by the program. */
      if (killed_by_lab ||
          (!g_array_index (alive, gboolean, i) && (pid != leader || !leader_exited)))
        continue;
      g_ptr_array_add (notes, g_strdup_printf (_("Tracing of pid %d stopped early: the program "
                                                 "closed the lab's socket, so its timeline ends "
                                                 "before the process did"),
                                               pid));
    }
  g_ptr_array_add (notes, NULL);
  return (GStrv) g_ptr_array_free (notes, FALSE);
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
  g_autoptr(GSource) watch = NULL;
  const char *old_path = g_getenv ("PYTHONPATH");
  RunState state = { 0 };
  GError *spawn_error = NULL;
  gulong cancel_id = 0;
  guint64 max_output;
  gboolean ok, cancelled;

  g_return_val_if_fail (python_path != NULL && script != NULL, FALSE);
  if (options == NULL)
    options = &no_options;
  if (options->notes != NULL)
    *options->notes = NULL;
  if (options->exit_status != NULL)
    *options->exit_status = -1;

  receiver = lab_py_receiver_new (recorder, error);
  if (receiver == NULL)
    return FALSE;
  state.receiver = receiver;
  state.max_processes = max_processes (options->max_processes);
  /* Every process of the tree may be a traced Python process. */
  lab_py_receiver_set_limits (receiver, state.max_processes, LAB_PY_RECEIVER_MAX_BYTES);
  max_output = options->max_output > 0 ? options->max_output : LAB_PY_RECEIVER_MAX_OUTPUT;
  lab_py_receiver_set_output_limit (receiver, max_output);
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
  /* As from a terminal: the tracer makes the streams line-buffered, and
   * -u from our own environment would not be the program's. */
  g_subprocess_launcher_unsetenv (launcher, "PYTHONUNBUFFERED");
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
  state.pid = (pid_t) atoi (g_subprocess_get_identifier (proc));
  state.err = g_string_new (NULL);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (kill_group),
                                       GINT_TO_POINTER (state.pid), NULL);
  if (options->started != NULL)
    options->started (state.pid, options->data);
  watch = g_timeout_source_new (WATCH_MS);
  g_source_set_callback (watch, watch_tree, &state, NULL);
  g_source_attach (watch, context);
  g_subprocess_wait_async (proc, NULL, on_exited, &state);
  read_err (g_subprocess_get_stderr_pipe (proc), &state);
  /* Standard error may close before the program is reaped, or after (a
   * child holding it): its exit status is known only after both. */
  while (!state.done || !state.exited)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (watch);
  g_cancellable_disconnect (cancellable, cancel_id);
  g_main_context_pop_thread_default (context);

  lab_py_receiver_stop (receiver);

  cancelled = g_cancellable_is_cancelled (cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  else
    ok = check_result (proc, &state, script, receiver, tracer_dir, error);
  if (options->out_text != NULL)
    *options->out_text = lab_py_receiver_dup_output (receiver);
  if (options->exit_status != NULL)
    *options->exit_status = g_subprocess_get_if_signaled (proc) ? 128 + g_subprocess_get_term_sig (proc)
                                                                : g_subprocess_get_exit_status (proc);
  if (options->output_dropped != NULL)
    *options->output_dropped = lab_py_receiver_get_output_dropped (receiver, NULL);
  if (options->notes != NULL)
    *options->notes = collect_notes (receiver, max_output, proc, cancelled || state.too_many);
  g_string_free (state.err, TRUE);
  return ok;
}
