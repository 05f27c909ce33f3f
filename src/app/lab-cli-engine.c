/* lab-cli-engine.c — `--trace=PROGRAM.py`: runs a Python program under the
 * tracer and prints what it printed and how its threads and processes ran;
 * `--run=ID --engine=cpython`: the experiment's own listing run that way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "lab-cli.h"
#include "lab-cli-engine.h"
#include "lab-cli-private.h"
#include "lab-chrome-trace.h"
#include "lab-py-engine.h"
#include "lab-py-program.h"
#include "lab-python.h"
#include "lab-time.h"

typedef struct
{
  const char         *python;
  const char         *program;
  const char * const *args;
  LabRecorder        *recorder;
  GCancellable       *cancellable;
  GError             *error;
  GStrv               notes;
  int                 exit_status;
  char               *out_text;       /* the last lines printed */
  guint64             output_dropped;
  GVariant           *metrics;        /* lab_py_program_run()'s; may be NULL */
  gboolean            ok;
  gboolean            done;
  GMainContext       *context;
} TraceJob;

static gpointer
trace_thread (gpointer data)
{
  TraceJob *job = data;
  LabPyTraceOptions options = {
    .out_text = &job->out_text,
    .notes = &job->notes,
    .exit_status = &job->exit_status,
    .output_dropped = &job->output_dropped,
  };

  /* With the /proc sampler: the trace shows when each thread was on a CPU,
   * as the window's program page does. */
  job->ok = lab_py_program_run_full (job->python, job->program, job->args, &options,
                                     job->recorder, job->cancellable, &job->metrics, &job->error);
  g_atomic_int_set (&job->done, TRUE);
  g_main_context_wakeup (job->context);
  return NULL;
}

static int caught_signal;

static gboolean
on_signal (gpointer data)
{
  TraceJob *job = data;

  /* A signal stops the whole tree, as Stop does. */
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer data)
{
  if (caught_signal == 0)
    caught_signal = SIGINT;
  return on_signal (data);
}

static gboolean
on_sigterm (gpointer data)
{
  if (caught_signal == 0)
    caught_signal = SIGTERM;
  return on_signal (data);
}

/* The tracer and the sampler each give a thread a lane (what it did, when
 * it was on a CPU); a thread is counted once, by its tid. */
static void
count_lanes (LabTrace *trace,
             guint    *threads,
             guint    *processes)
{
  g_autoptr(GHashTable) thread_tids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) process_tids = g_hash_table_new (NULL, NULL);

  *threads = *processes = 0;
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);
      gboolean thread = lane->kind == LAB_LANE_MAIN || lane->kind == LAB_LANE_THREAD;
      gboolean process = lane->kind == LAB_LANE_MAIN || lane->kind == LAB_LANE_PROCESS;

      if (lane->tid == 0)
        {
          *threads += thread;
          *processes += process;
          continue;
        }
      if (thread)
        g_hash_table_add (thread_tids, GINT_TO_POINTER (lane->tid));
      if (process)
        g_hash_table_add (process_tids, GINT_TO_POINTER (lane->tid));
    }
  *threads += g_hash_table_size (thread_tids);
  *processes += g_hash_table_size (process_tids);
}

/* The sampler's numbers (lab_py_program_run()), in the order they are
 * printed: "handovers" is a count (x), the others are d. */
static const char * const sampled_keys[] = { "cpu_s", "handovers", "runnable_wait_s", "sampler_hz" };

static void
print_json (const char *program,
            const char *version,
            double      wall_s,
            int         status,
            guint       threads,
            guint       processes,
            GVariant   *sampled,
            GStrv       notes,
            const char *tail,
            LabTrace   *trace)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const LabOutputLine *lines;
  guint n;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "engine");
  json_builder_add_string_value (builder, "cpython");
  json_builder_set_member_name (builder, "python_version");
  json_builder_add_string_value (builder, version);
  json_builder_set_member_name (builder, "program");
  json_builder_add_string_value (builder, program);
  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "wall_s");
  json_builder_add_double_value (builder, wall_s);
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "threads");
  json_builder_add_int_value (builder, threads);
  json_builder_set_member_name (builder, "processes");
  json_builder_add_int_value (builder, processes);
  for (guint i = 0; sampled != NULL && i < G_N_ELEMENTS (sampled_keys); i++)
    {
      g_autoptr(GVariant) value = g_variant_lookup_value (sampled, sampled_keys[i], NULL);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, sampled_keys[i]);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        json_builder_add_int_value (builder, g_variant_get_int64 (value));
      else
        json_builder_add_double_value (builder, g_variant_get_double (value));
    }
  json_builder_end_object (builder);
  /* One lane per thread and per process, with its tid or pid, so a
   * script can tell which process each thread ran in. */
  json_builder_set_member_name (builder, "lanes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, lane->name);
      json_builder_set_member_name (builder, "tid");
      json_builder_add_int_value (builder, lane->tid);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "output");
  json_builder_begin_array (builder);
  if (tail != NULL)
    {
      g_auto(GStrv) tail_lines = g_strsplit (tail, "\n", -1);

      /* The text ends with a newline: no line after it. */
      for (guint i = 0; tail_lines[i] != NULL && tail_lines[i + 1] != NULL; i++)
        json_builder_add_string_value (builder, tail_lines[i]);
    }
  else
    {
      lines = lab_trace_get_output (trace, &n);
      for (guint i = 0; i < n; i++)
        json_builder_add_string_value (builder, lab_trace_get_string (trace, lines[i].label));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    json_builder_add_string_value (builder, notes[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = lab_cli_json_to_text (root);
  g_print ("%s\n", text);
}

int
lab_cli_engine_trace (const char          *program,
                      const char          *python,
                      const char * const  *args,
                      gboolean             json,
                      char               **exports)
{
  g_autofree char *interpreter = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabStringPool) pool = NULL;
  g_autoptr(LabRecorder) recorder = NULL;
  g_autoptr(LabTrace) trace = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TraceJob job = { 0 };
  GThread *thread;
  guint sigint_id, sigterm_id;
  gint64 start_ns;
  double wall_s;
  guint threads, processes;
  const char *tail;
  int status;

  for (guint i = 0; exports != NULL && exports[i] != NULL; i++)
    if (!lab_chrome_trace_is_path (exports[i]))
      {
        g_printerr ("concurrency-lab: --export=%s: ", exports[i]);
        g_printerr ("%s\n", _("a traced program exports its trace as .json"));
        return LAB_EXIT_USAGE;
      }
  if (!g_file_test (program, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("concurrency-lab: %s: %s\n", program, _("no such Python program"));
      return LAB_EXIT_USAGE;
    }
  interpreter = lab_python_find (python, &version, &error);
  if (interpreter == NULL)
    {
      g_printerr ("concurrency-lab: %s\n", error->message);
      return LAB_EXIT_FAILED;
    }

  pool = lab_string_pool_new ();
  recorder = lab_recorder_new (pool);
  trace = lab_trace_new (pool);
  job = (TraceJob) { interpreter, program, args, recorder, cancellable, NULL, NULL, -1, NULL, 0, NULL,
                     FALSE, FALSE, g_main_context_default () };

  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &job);
  sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, &job);
  start_ns = g_get_monotonic_time () * 1000;
  thread = g_thread_new ("lab-trace", trace_thread, &job);
  while (!g_atomic_int_get (&job.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  wall_s = (g_get_monotonic_time () * 1000 - start_ns) / 1e9;
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  lab_recorder_drain (recorder, trace);
  count_lanes (trace, &threads, &processes);
  /* When the program printed more than the lab keeps, the end of its
   * standard output is what a terminal would have left on the screen. */
  tail = job.output_dropped > 0 ? job.out_text : NULL;
  /* The program's own status (3 for sys.exit(3)); 1 when it did not run
   * to an end, or ran well but its trace is not whole. */
  status = job.exit_status > 0 ? job.exit_status : job.ok ? 0 : 1;

  if (json)
    print_json (program, version, wall_s, status, threads, processes, job.metrics, job.notes, tail, trace);
  else
    {
      if (tail != NULL)
        g_print ("%s", tail);
      else
        lab_cli_print_output (trace);
      g_print ("%-16s %.3f\n", "wall_s", wall_s);
      g_print ("%-16s %d\n", "exit_status", status);
      g_print ("%-16s %u\n", "threads", threads);
      g_print ("%-16s %u\n", "processes", processes);
      for (guint i = 0; job.metrics != NULL && i < G_N_ELEMENTS (sampled_keys); i++)
        {
          g_autoptr(GVariant) value = g_variant_lookup_value (job.metrics, sampled_keys[i], NULL);

          if (value == NULL)
            continue;
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
            g_print ("%-16s %" G_GINT64_FORMAT "\n", sampled_keys[i], g_variant_get_int64 (value));
          else
            g_print ("%-16s %.3f\n", sampled_keys[i], g_variant_get_double (value));
        }
    }
  g_clear_pointer (&job.metrics, g_variant_unref);
  /* Said even when the program succeeded: the trace is not all of it. */
  for (guint i = 0; job.notes != NULL && job.notes[i] != NULL; i++)
    g_printerr ("concurrency-lab: %s\n", job.notes[i]);
  g_clear_pointer (&job.notes, g_strfreev);
  g_clear_pointer (&job.out_text, g_free);

  /* The trace as Chrome trace JSON, for ui.perfetto.dev. */
  for (guint i = 0; exports != NULL && exports[i] != NULL && caught_signal == 0; i++)
    {
      g_autoptr(GError) export_error = NULL;

      if (!lab_chrome_trace_write_file (trace, program, NULL, exports[i], &export_error))
        {
          g_printerr ("concurrency-lab: %s\n", export_error->message);
          g_clear_error (&job.error);
          return LAB_EXIT_FAILED;
        }
    }

  if (caught_signal != 0)
    {
      g_printerr ("concurrency-lab: %s\n", _("stopped by a signal; every process of the program has ended"));
      g_clear_error (&job.error);
      return 128 + caught_signal;
    }
  if (!job.ok)
    {
      g_printerr ("concurrency-lab: %s\n", job.error->message);
      g_clear_error (&job.error);
      return LAB_EXIT_FAILED;
    }
  return LAB_EXIT_OK;
}

gboolean
lab_cli_engine_prepare (const LabExperiment  *experiment,
                        const char           *engine,
                        const char           *python,
                        LabExperiment       **on_cpython,
                        int                  *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *interpreter = NULL;
  g_autofree char *version = NULL;

  *on_cpython = NULL;
  if (engine == NULL || g_strcmp0 (engine, "model") == 0)
    {
      if (python == NULL)
        return TRUE;
      g_printerr ("concurrency-lab: %s\n", _("--python needs --engine=cpython or --trace"));
      *status = LAB_EXIT_USAGE;
      return FALSE;
    }
  if (g_strcmp0 (engine, "cpython") != 0)
    {
      g_printerr ("concurrency-lab: ");
      /* Translators: %s is what followed --engine= */
      g_printerr (_("--engine: “%s” is not an engine (use model or cpython)\n"), engine);
      *status = LAB_EXIT_USAGE;
      return FALSE;
    }
  interpreter = lab_python_find (python, &version, &error);
  if (interpreter == NULL)
    {
      g_printerr ("concurrency-lab: %s\n", error->message);
      *status = LAB_EXIT_FAILED;
      return FALSE;
    }
  *on_cpython = lab_py_engine_experiment_new (experiment, interpreter, version);
  return TRUE;
}
