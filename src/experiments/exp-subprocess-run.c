/* exp-subprocess-run.c — subprocess.run() and Popen(): pipes, input,
 * timeouts, check.
 *
 * The command is split into words like a shell would (g_shell_parse_argv)
 * but started without one, as a real child process (GSubprocess, see
 * lab-child.c; the words and labels are in exp-subprocess-run-text.c).
 * With mode "run" the parent's lane is one wait until the child is gone;
 * with "popen" the call returns at once, the parent does some work of its
 * own while it polls the child, and only then waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "exp-subprocess-run-private.h"
#include "lab-experiments.h"

/* With Popen, the parent works in steps of this long, polling the child
 * before each, at most this many times; then it waits for the child. */
#define LAB_SUBPROCESS_WORK_STEP_NS (250 * LAB_NS_PER_MS)
#define LAB_SUBPROCESS_WORK_STEPS   4


/* Popen: the parent is free. It polls the child and works a little,
 * @max_steps times (0: until the child has ended), and stops at
 * @deadline_ns if it is not 0. TRUE once poll() saw the child's end. */
static gboolean
lab_subprocess_parent_works (LabRunContext *ctx,
                             LabChild      *child,
                             LabLane       *lane,
                             guint          max_steps,
                             gint64         deadline_ns)
{
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);

  for (guint step = 0; max_steps == 0 || step < max_steps; step++)
    {
      if (lab_child_poll (child))
        {
          /* Python's returncode: the status, or minus the signal. */
          gint code = lab_child_get_exit_code (child);

          lab_lane_mark (lane, lab_recorder_intern_printf (recorder, "poll() → %d", code),
                         code, LAB_EVENT_FLAG_NONE, 0);
          return TRUE;
        }
      lab_lane_mark (lane, lab_recorder_intern (recorder, "poll() → None"), 0,
                     LAB_EVENT_FLAG_NONE, 0);
      if (lab_run_context_is_cancelled (ctx) ||
          (deadline_ns > 0 && lab_clock_now_ns () >= deadline_ns))
        return FALSE;

      lab_lane_begin (lane, LAB_STATE_RUNNING,
                      /* Translators: a span on the parent's lane: it does its
                       * own work while the child it started with Popen runs */
                      lab_recorder_intern (recorder, _("parent keeps working")));
      lab_child_wait_for (child, deadline_ns > 0 ? MIN (LAB_SUBPROCESS_WORK_STEP_NS,
                                                        MAX (0, deadline_ns - lab_clock_now_ns ()))
                                                 : LAB_SUBPROCESS_WORK_STEP_NS);
      lab_lane_end (lane);
      lab_run_context_set_progress (ctx, MIN (0.9, 0.1 * (step + 1)));
    }

  return FALSE;
}

/* Popen's calls after the start: communicate(), wait(timeout) or a poll()
 * loop. With wait and poll a timeout does not kill: the parent gives up
 * (TimeoutExpired) and the child runs on until the end of the run. */
static void
lab_subprocess_popen_call (LabRunContext     *ctx,
                           LabChild          *child,
                           GBytes            *input,
                           double             timeout_s,
                           LabSubprocessCall *call)
{
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *lane = lab_run_context_get_main_lane (ctx);
  gint64 deadline = timeout_s > 0 ? lab_clock_now_ns () + (gint64) (timeout_s * LAB_NS_PER_S) : 0;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  if (g_str_equal (call->call, "communicate"))
    {
      lab_subprocess_parent_works (ctx, child, lane, LAB_SUBPROCESS_WORK_STEPS, 0);
      if (lab_run_context_is_cancelled (ctx))
        return;
      lab_lane_begin (lane, LAB_STATE_WAITING, lab_recorder_intern (recorder, "communicate()"));
      lab_child_communicate (child, input, timeout_s);
      lab_lane_end (lane);
      return;
    }

  if (g_str_equal (call->call, "wait"))
    {
      g_ascii_formatd (seconds, sizeof seconds, "%g", timeout_s);
      lab_lane_begin (lane, LAB_STATE_WAITING,
                      timeout_s > 0 ? lab_recorder_intern_printf (recorder, "wait(timeout=%s)", seconds)
                                    : lab_recorder_intern (recorder, "wait()"));
      call->gave_up = !lab_child_wait (child, timeout_s);
      lab_lane_end (lane);
      if (!call->gave_up)
        lab_lane_mark (lane, lab_recorder_intern_printf (recorder, "wait() → %d",
                                                         lab_child_get_exit_code (child)),
                       lab_child_get_exit_code (child), LAB_EVENT_FLAG_NONE, 0);
    }
  else
    call->gave_up = !lab_subprocess_parent_works (ctx, child, lane, 0, deadline);

  if (lab_run_context_is_cancelled (ctx))
    return;
  if (call->gave_up)
    {
      /* Python raises and leaves the child alone: it still runs, as the
       * poll() right after shows. */
      lab_lane_mark (lane, lab_recorder_intern (recorder, "TimeoutExpired"), 0,
                     LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, 0);
      if (g_str_equal (call->call, "wait") && !lab_child_poll (child))
        lab_lane_mark (lane, lab_recorder_intern (recorder, "poll() → None"), 0,
                       LAB_EVENT_FLAG_NONE, 0);
      call->killed_at_end = !lab_child_has_exited (child);
      lab_child_kill (child,
                      /* Translators: a mark on a child process's lane; the
                       * process group is the child and every process it
                       * started */
                      _("end of the run: the child still ran after TimeoutExpired, "
                        "the lab sent SIGKILL to the process group"));
      return;
    }

  /* Reads what is left and reaps, as communicate() after wait() does. */
  lab_lane_begin (lane, LAB_STATE_WAITING, lab_recorder_intern (recorder, "communicate()"));
  lab_child_communicate (child, NULL, 0);
  lab_lane_end (lane);
}


/* The call as the parent's lane names it: subprocess.run(['ls', '-l']). */
static guint32
lab_subprocess_call_label (LabRecorder *recorder,
                           const char  *mode,
                           char       **argv,
                           const char  *args)
{
  g_autofree char *line = NULL;

  if (!g_str_equal (mode, "system"))
    return lab_recorder_intern_printf (recorder, "subprocess.%s(%s)",
                                       g_str_equal (mode, "popen") ? "Popen" : mode, args);
  line = lab_subprocess_python_str (argv[2]);
  return lab_recorder_intern_printf (recorder, "os.system(%s)", line);
}

static GVariant *
lab_subprocess_run (LabRunContext  *ctx,
                    GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  const char *command = lab_params_get_string (params, "command");
  const char *cwd = lab_params_get_string (params, "cwd");
  LabSubprocessCall call = {
    .mode = lab_params_get_string (params, "mode"),
    .call = lab_params_get_string (params, "popen_call"),
    .text = lab_params_get_bool (params, "text"),
  };
  gboolean popen = g_str_equal (call.mode, "popen");
  gboolean check_output = g_str_equal (call.mode, "check_output");
  double timeout_s = lab_params_get_double (params, "timeout_s");
  /* check_output() is run(..., check=True) returning stdout. */
  gboolean check = lab_params_get_bool (params, "check") || check_output;
  gboolean capture = lab_params_get_bool (params, "capture");
  g_auto(GStrv) argv = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) spawn_error = NULL;
  g_autofree char *args = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *lane_name = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *result = NULL;
  g_autofree char *code = NULL;
  GVariant *metrics;
  LabChild *child;
  LabLane *child_lane;
  gboolean spawned;
  gint64 t0, t_returned, t1;

  if (!lab_subprocess_check (params, error))
    return NULL;
  argv = lab_subprocess_argv (params, error);
  lab_subprocess_make_input (lab_params_get_string (params, "input"), &input, NULL);
  args = lab_subprocess_python_list (argv);
  code = lab_subprocess_python_code (params, argv, input);

  if (lab_run_context_is_cancelled (ctx))
    return lab_run_context_return_cancelled (ctx, error);

  {
    g_autofree char *stripped = g_strstrip (g_strdup (command));

    shown = lab_subprocess_shorten (stripped);
  }
  /* Translators: the name of the child process's lane on the timeline;
   * %s is the command, e.g. "ls -l" */
  lane_name = g_strdup_printf (g_str_equal (call.mode, "system") ? _("child: /bin/sh -c %s")
                                                                   : _("child: %s"), shown);
  child_lane = lab_recorder_try_add_lane (recorder, LAB_LANE_PROCESS, lane_name, error);
  if (child_lane == NULL)
    return NULL;
  child = lab_child_new (child_lane, lab_run_context_get_cancellable (ctx));
  lab_child_set_cwd (child, cwd != NULL && cwd[0] != '\0' ? cwd : NULL);
  lab_child_set_env (child, lab_params_get_strv (params, "env"));
  /* The point of os.system: a shell runs the line and starts the programs. */
  lab_child_set_show_tree (child, g_str_equal (call.mode, "system"));

  t0 = lab_clock_now_ns ();
  lab_lane_begin (main_lane, popen ? LAB_STATE_SPAWNING : LAB_STATE_WAITING,
                  lab_subprocess_call_label (recorder, call.mode, argv, args));
  spawned = lab_child_spawn (child, (const char * const *) argv, input != NULL,
                             capture || check_output, &spawn_error);
  t_returned = lab_clock_now_ns ();

  if (!spawned)
    {
      lab_lane_end (main_lane);
      lab_lane_mark (main_lane,
                     lab_recorder_intern (recorder, lab_subprocess_exception_name (spawn_error)),
                     0, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, 0);
    }
  else if (popen)
    {
      g_autofree char *after = lab_subprocess_format_duration (t_returned - t0);

      lab_lane_end (main_lane);
      lab_lane_mark (main_lane,
                     /* Translators: a mark on the parent's lane; %s is a
                      * duration such as "1.2 ms" */
                     lab_recorder_intern_printf (recorder, _("Popen() returned after %s"), after),
                     0, LAB_EVENT_FLAG_NONE, 0);
      lab_subprocess_popen_call (ctx, child, input, timeout_s, &call);
    }
  else
    {
      g_autofree char *after = NULL;

      lab_child_communicate (child, input, timeout_s);
      lab_lane_end (main_lane);
      t_returned = lab_clock_now_ns ();
      after = lab_subprocess_format_duration (t_returned - t0);
      lab_lane_mark (main_lane,
                     /* Translators: a mark on the parent's lane; the first
                      * %s is the call (run, check_output, system), the
                      * second a duration such as "5.03 s" */
                     lab_recorder_intern_printf (recorder, _("%s() returned after %s"),
                                                 call.mode, after),
                     0, LAB_EVENT_FLAG_NONE, 0);
    }
  t1 = lab_clock_now_ns ();

  if (lab_run_context_is_cancelled (ctx))
    {
      lab_child_free (child); /* kills and reaps, if not done yet */
      return lab_run_context_return_cancelled (ctx, error);
    }

  lab_run_context_set_progress (ctx, 1.0);
  failure = lab_subprocess_describe_failure (child, spawn_error, args, timeout_s, &call);
  if (spawned && lab_child_get_timed_out (child))
    lab_lane_mark (main_lane, lab_recorder_intern (recorder, "TimeoutExpired"), 0,
                   LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, 0);
  result = lab_subprocess_result (child, spawn_error, args, &call);
  if (result == NULL)
    {
      /* Like text=True in Python: bytes that are not UTF-8 raise. */
      g_free (failure);
      failure = g_strdup (_("The output is not UTF-8 text, so text=True cannot decode it "
                            "(UnicodeDecodeError): turn “Text” off to see the bytes"));
      result = g_strdup ("");
    }

  /* The return code (-9 when killed) or a timeout, not what a background
   * process did after the child had ended. */
  if (check && (spawn_error != NULL || lab_child_get_timed_out (child) ||
                lab_child_get_exit_code (child) != 0))
    {
      /* Like check=True in Python: the run fails, after the timeline and
       * the output have shown everything. */
      if (spawn_error != NULL)
        g_propagate_error (error, g_steal_pointer (&spawn_error));
      else if (lab_child_get_timed_out (child) || lab_child_get_term_sig (child) != 0)
        g_set_error_literal (error, G_IO_ERROR,
                             lab_child_get_timed_out (child) ? G_IO_ERROR_TIMED_OUT : G_IO_ERROR_FAILED,
                             failure);
      else
        {
          g_autofree char *output = lab_subprocess_output_repr (child, 0, &call);

          lab_lane_mark (main_lane, lab_recorder_intern (recorder, "CalledProcessError"), 0,
                         LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, 0);
          if (check_output)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         /* Translators: the words of Python's CalledProcessError
                          * (first %s: the command as a Python list, %d: its exit
                          * status), then what it printed as a Python value */
                         _("Command '%s' returned non-zero exit status %d. Its output: %s"),
                         args, lab_child_get_exit_code (child), output != NULL ? output : "b''");
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         /* Translators: %s is the command, %d its exit status */
                         _("“%s” exited with status %d, and with check on that is an error (like CalledProcessError)"),
                         shown, lab_child_get_exit_code (child));
        }
      lab_child_free (child);
      return NULL;
    }

  metrics = lab_subprocess_collect (child, failure, result, code, &call,
                                    t_returned - t0, t1 - t0);
  lab_child_free (child);
  return metrics;
}

static const LabParamChoice lab_subprocess_modes[] = {
  { "run", N_("run: wait until it ends") },
  { "popen", N_("Popen: start it and go on") },
  { "check_output", N_("check_output: return its output") },
  { "system", N_("os.system: through /bin/sh -c") },
  { NULL, NULL },
};

static const LabParamChoice lab_subprocess_popen_calls[] = {
  { "communicate", N_("communicate(): read and wait") },
  { "wait", N_("wait(): wait without reading") },
  { "poll", N_("poll(): ask until it ends") },
  { NULL, NULL },
};

static const LabParamSpec lab_subprocess_params[] = {
  {
    .kind = LAB_PARAM_TEXT,
    .key = "command",
    .label = N_("Command"),
    .tooltip = N_("The program and its arguments, split into words like a shell does (quotes work), but run without a shell: no pipes, redirections or wildcards"),
    .def_text = "ls -l",
  },
  {
    .kind = LAB_PARAM_TEXT,
    .key = "input",
    .label = N_("Input"),
    .tooltip = N_("Text written to the child's standard input, which is then closed. Escapes work as in a Python string: \\n is a new line, \\x41 and \\u00e9 are characters by their code, \\0 is a zero byte. Empty: the child reads nothing"),
    .def_text = "",
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "mode",
    .label = N_("Call"),
    .tooltip = N_("run waits until the child has ended; Popen returns at once and the parent goes on; check_output waits and returns what the child printed; os.system hands the command line to a shell, so pipes and redirections work"),
    .def_text = "run",
    .choices = lab_subprocess_modes,
  },
  {
    .kind = LAB_PARAM_DOUBLE,
    .key = "timeout_s",
    .label = N_("Timeout"),
    .tooltip = N_("Kill a child that takes longer than this, with every process it started (SIGKILL), like timeout= in Python. Reading its output counts too. 0 waits as long as it takes"),
    .min = 0,
    .max = 3600,
    .step = 0.1,
    .def_num = 0,
    .unit = N_("s"),
  },
  {
    .kind = LAB_PARAM_BOOL,
    .key = "check",
    .label = N_("Check the exit status"),
    .tooltip = N_("Make a status other than 0 an error, like check=True"),
    .def_bool = FALSE,
  },
  {
    .kind = LAB_PARAM_BOOL,
    .key = "capture",
    .label = N_("Capture output"),
    .tooltip = N_("Read the child's stdout and stderr through pipes, like capture_output=True. Off, they go to /dev/null"),
    .def_bool = TRUE,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "popen_call",
    .label = N_("After Popen"),
    .tooltip = N_("What the parent calls after Popen: communicate() reads the output while it waits; wait() only waits, and a timeout raises TimeoutExpired without killing the child; poll() asks again and again while the parent works"),
    .def_text = "communicate",
    .choices = lab_subprocess_popen_calls,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    .kind = LAB_PARAM_TEXT,
    .key = "cwd",
    .label = N_("Folder"),
    .tooltip = N_("The folder the child starts in, like cwd=; empty: the lab's own"),
    .def_text = "",
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    .kind = LAB_PARAM_TEXT_LIST,
    .key = "env",
    .label = N_("Environment"),
    .tooltip = N_("NAME=VALUE entries added to the child's environment, like env={**os.environ, ...}; comma-separated"),
    .def_text = "",
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    .kind = LAB_PARAM_BOOL,
    .key = "text",
    .label = N_("Text"),
    .tooltip = N_("Decode the output as UTF-8 text (str), like text=True; off, the result shows bytes (b'…')"),
    .def_bool = FALSE,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
};

static const LabMetricSpec lab_subprocess_metrics[] = {
  { "exit_code",        N_("Exit status"),         LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "signal",           N_("Killed by signal"),    LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "timed_out",        N_("Timed out"),           LAB_METRIC_BOOL,    LAB_METRIC_FLAG_BAD_IF_NONZERO },
  /* How long the parent was blocked in run() or Popen() before it could
   * go on. */
  { "returned_after_s", N_("Call returned after"), LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "wall_s",           N_("Wall time"),           LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* Empty when the child ran and ended by itself. */
  { "error",            N_("Error"),               LAB_METRIC_TEXT,    LAB_METRIC_FLAG_BAD_IF_NONZERO },
  /* What the Python call returned, as Python prints it; "" if it raised. */
  { "result",           N_("Returned"),            LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NONE },
  /* wait() or poll() gave up: the lab killed the child at the end. */
  { "killed_at_end",    N_("Killed at the end"),   LAB_METRIC_BOOL,    LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "stdout",           N_("Standard output"),     LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
  { "stderr",           N_("Standard error"),      LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
  { "stdout_bytes",     N_("Bytes on stdout"),     LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "stderr_bytes",     N_("Bytes on stderr"),     LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "stdin_bytes",      N_("Bytes sent to stdin"), LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  /* The output was too long to keep whole: its middle was cut. */
  { "output_cut",       N_("Output cut"),          LAB_METRIC_BOOL,    LAB_METRIC_FLAG_NO_CARD },
  { "pid",              N_("Process id"),          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  /* The Python program of this very run. */
  { "code",             N_("Python code"),         LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
};

#define LAB_PRESET_CALL(command, input, mode, call, timeout, check) \
  { "command=" command, "input=" input, "mode=" mode, "popen_call=" call, \
    "timeout_s=" timeout, "check=" check, "capture=true", "cwd=", "env=", "text=false", NULL }
#define LAB_PRESET(command, input, mode, timeout, check) \
  LAB_PRESET_CALL (command, input, mode, "communicate", timeout, check)

static const char * const lab_preset_list_folder[] = LAB_PRESET ("ls -l", "", "run", "0", "false");
/* The input is typed the way a Python string literal writes it. */
static const char * const lab_preset_bc[] = LAB_PRESET ("bc", "2 * 3\\n", "run", "0", "false");
static const char * const lab_preset_sleep_run[] = LAB_PRESET ("sleep 5", "", "run", "0", "false");
static const char * const lab_preset_sleep_popen[] = LAB_PRESET ("sleep 5", "", "popen", "0", "false");
static const char * const lab_preset_timeout[] = LAB_PRESET ("sleep 10", "", "run", "1", "false");
static const char * const lab_preset_check_fails[] =
  LAB_PRESET ("ls /no/such/folder", "", "run", "0", "true");
/* 1 MB into a 64 KiB pipe that nobody reads. */
static const char * const lab_preset_pipe_deadlock[] =
  LAB_PRESET_CALL ("seq 150000", "", "popen", "wait", "2", "false");
static const char * const lab_preset_shell[] =
  LAB_PRESET ("ls / | wc -l; exit 1", "", "system", "0", "false");

static const LabPreset lab_subprocess_presets[] = {
  { "list-folder", N_("List a folder"),
    N_("ls -l, with its output read through a pipe"), lab_preset_list_folder },
  { "bc", N_("Ask bc for 2 * 3"),
    N_("Write “2 * 3” to the calculator's stdin and read its answer"), lab_preset_bc },
  { "sleep-run", N_("Sleep 5 s with run"),
    N_("The parent is blocked until the child has slept"), lab_preset_sleep_run },
  { "sleep-popen", N_("Sleep 5 s with Popen"),
    N_("Popen returns at once; the parent works while the child sleeps"), lab_preset_sleep_popen },
  { "timeout", N_("A timeout that kills"),
    N_("sleep 10 with a 1 s timeout: the child is stopped"), lab_preset_timeout },
  { "check-fails", N_("A failing command with check"),
    N_("ls of a folder that does not exist, with check on: its exit status becomes an error"),
    lab_preset_check_fails },
  { "pipe-deadlock", N_("A full pipe: deadlock"),
    N_("Popen and wait() with stdout=PIPE while the child writes about 1 MB: the child blocks once the pipe is full, the parent never reads, and only the timeout ends it"),
    lab_preset_pipe_deadlock },
  { "shell", N_("os.system with a pipe"),
    N_("A shell runs the line, so | works; os.system returns the wait status, 256 for exit 1"),
    lab_preset_shell },
};

static const LabSummaryLink lab_subprocess_links[] = {
  { "subprocess.run", "run", N_("Sleep with run: the parent waits"), "preset=sleep-run" },
  { "subprocess.Popen", "popen", N_("Sleep with Popen: the parent goes on"), "preset=sleep-popen" },
};

/* What the program prints that the CPython engine reads back: run()'s
 * CompletedProcess, Popen's communicate() and return code, os.system(),
 * and the exception that ended a call ("FileNotFoundError [Errno 2] …"). */
static const char * const lab_subprocess_code_results[] = {
  "CompletedProcess(args={}, returncode={exit_code}, stdout={stdout}, stderr={stderr})",
  "CompletedProcess(args={}, returncode={exit_code})",
  "({stdout}, {stderr})",
  "return code: {exit_code}",
  "{} exit code: {exit_code}",
  "Command {} returned non-zero exit status {exit_code}.{}",
  "Command {} died with {}.{}",
  "TimeoutExpired {error}",
  "{}Error {error}",
  NULL
};

const LabExperiment lab_exp_subprocess_run = {
  .id = "subprocess-run",
  .title = N_("Running a program"),
  .topic = LAB_TOPIC_SUBPROCESS,
  .summary = N_("Start a real child process with run or Popen: pipes, input, timeout, exit status"),
  .explanation = N_(
    "A Python program can start other programs. The subprocess module offers two "
    "ways. subprocess.run() starts the child and returns only when the child has "
    "ended: all that time the parent is blocked. subprocess.Popen() starts the child "
    "and returns at once; the parent goes on with its own work, may ask poll() whether "
    "the child is done (None means not yet), and collects it later with communicate() "
    "or wait().\n"
    "\n"
    "Try “Sleep 5 s with run”, then “Sleep 5 s with Popen”, and compare the main "
    "thread's lane. With run it is one long wait of five seconds. With Popen the call "
    "returns within milliseconds, the parent works and polls while the child sleeps on "
    "its own lane, and only then waits. “Call returned after” puts the difference in "
    "numbers.\n"
    "\n"
    "Parent and child talk through three pipes: standard input, output and error. "
    "With “Capture output” on, the parent reads stdout and stderr; every read is a mark "
    "on the child's lane with its size in bytes, and the lines appear in the output "
    "panel, stderr apart from stdout. With it off, the output goes to /dev/null: in a "
    "terminal it would land on the screen, but a window has no terminal to show it. "
    "Whatever you type as “Input” is written to the child's stdin, which is then "
    "closed so that the child sees the end of its input; that is how bc gets “2 * 3” "
    "and answers 6. Note that a Popen parent reads nothing until it calls "
    "communicate(): a child that writes more than a pipe holds (64 KiB on Linux) has "
    "to wait until then.\n"
    "\n"
    "A timeout stops a child that takes too long: like Python's run(), the lab kills "
    "it at once with SIGKILL (the return code is -9) and reports TimeoutExpired. The "
    "time counts until all the output is read, so a process the child left running "
    "in the background cannot hold the call. The child runs in a process group of "
    "its own, and a timeout or Stop kills the whole group: the child and every "
    "process it started. With “Check the exit status” on, a status other "
    "than 0 turns into an error, as CalledProcessError does in Python; the timeline and "
    "the output still show all that happened before.\n"
    "\n"
    "After Popen the parent chooses how to meet the child again (“After Popen”). "
    "communicate() writes the input, reads stdout and stderr while it waits and "
    "returns them as (out, err), which is (None, None) when nothing was captured. "
    "wait(timeout) only waits: when the time is up it raises TimeoutExpired, but the "
    "child runs on, as in Python; the lab kills it at the end of the run and says so. "
    "poll() asks without waiting, again and again. Try “A full pipe: deadlock”: the "
    "child writes about 1 MB into a pipe that holds 64 KiB, the parent waits in "
    "wait() without reading, and neither moves until the timeout.\n"
    "\n"
    "check_output returns what the child printed and raises CalledProcessError, "
    "with that output, on a status other than 0. os.system hands the line to "
    "/bin/sh -c: here a shell is the point, so pipes and redirections work, the "
    "shell and the programs it starts get lanes of their own, and the value returned "
    "is the wait status (256 for exit 1). “Folder” (cwd), “Environment” (env) and "
    "“Text” (text=True) work as in Python. “Returned” shows what the call returned, "
    "as Python prints it, and the run keeps its own Python program (code).\n"
    "\n"
    "The command is split into words the way a shell would split it, quotes "
    "included, but no shell runs it (except with os.system): pipes (|), "
    "redirections (>), wildcards (*) and variables ($HOME) mean nothing here, just "
    "like subprocess.run([...]) without shell=True. Very long output is cut in the "
    "middle; the byte counts stay exact."),
  /* The program of the chosen mode, as the run itself writes it out. */
  .dup_code = lab_subprocess_dup_code,
  .params = lab_subprocess_params,
  .n_params = G_N_ELEMENTS (lab_subprocess_params),
  .metrics = lab_subprocess_metrics,
  .n_metrics = G_N_ELEMENTS (lab_subprocess_metrics),
  .run = lab_subprocess_run,
  .presets = lab_subprocess_presets,
  .n_presets = G_N_ELEMENTS (lab_subprocess_presets),
  .summary_links = lab_subprocess_links,
  .n_summary_links = G_N_ELEMENTS (lab_subprocess_links),
  .check = lab_subprocess_check,
  .code_results = lab_subprocess_code_results,
  .moment = { LAB_MOMENT_FIRST_CALL, N_("Show where the call returns"), 0 },
};
