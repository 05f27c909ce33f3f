/* lab-py-program.c — a Python program under the tracer and the sampler.
 *
 * The tracer knows what the program does (threads, locks, printed lines);
 * only /proc knows when each thread was on a CPU. Both write into the one
 * recorder, on the same CLOCK_MONOTONIC axis. The sampler is started as
 * soon as the program has a pid, before its first thread, and is stopped
 * after the whole process group is gone, so nothing it opened outlives the
 * run. The experiment engine, the window's "Your Program" page and the
 * command line all run a program through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-proc-sampler.h"
#include "lab-py-program.h"
#include "lab-py-trace.h"
#include "lab-python.h"

typedef struct
{
  LabRecorder    *recorder;
  LabProcSampler *sampler;
} Sampling;

static void
start_sampler (GPid     pid,
               gpointer data)
{
  Sampling *sampling = data;

  /* It follows the children that multiprocessing starts. A program that
   * ended at once has nothing to sample: not an error. */
  sampling->sampler = lab_proc_sampler_new (pid, LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS,
                                            sampling->recorder, 0);
  lab_proc_sampler_start (sampling->sampler, NULL);
}

/* The sampler's sums: CPU time, handovers, time runnable but not running,
 * the rate it achieved and what it saw. */
static void
add_sampled (GVariantBuilder *metrics,
             GVariant        *sampled)
{
  g_autoptr(GVariant) per_thread = g_variant_lookup_value (sampled, "per_thread", G_VARIANT_TYPE ("aa{sv}"));
  guint64 handovers = 0;
  guint32 threads = 0, processes = 0;
  double cpu_s = 0, wait_s = 0, hz = 0;

  for (gsize i = 0; per_thread != NULL && i < g_variant_n_children (per_thread); i++)
    {
      g_autoptr(GVariant) thread = g_variant_get_child_value (per_thread, i);
      double thread_cpu_s = 0;

      g_variant_lookup (thread, "cpu_s", "d", &thread_cpu_s);
      cpu_s += thread_cpu_s;
    }
  g_variant_lookup (sampled, "handovers", "t", &handovers);
  g_variant_lookup (sampled, "runnable_wait_s", "d", &wait_s);
  g_variant_lookup (sampled, "sample_hz", "d", &hz);
  g_variant_lookup (sampled, "threads", "u", &threads);
  g_variant_lookup (sampled, "processes", "u", &processes);
  g_variant_builder_add (metrics, "{sv}", "threads", g_variant_new_int64 (threads));
  g_variant_builder_add (metrics, "{sv}", "processes", g_variant_new_int64 (processes));
  g_variant_builder_add (metrics, "{sv}", "cpu_s", g_variant_new_double (cpu_s));
  g_variant_builder_add (metrics, "{sv}", "handovers", g_variant_new_int64 ((gint64) handovers));
  g_variant_builder_add (metrics, "{sv}", "runnable_wait_s", g_variant_new_double (wait_s));
  /* How finely the spans were seen: 1000 asked. */
  g_variant_builder_add (metrics, "{sv}", "sampler_hz", g_variant_new_double (hz));
}

gboolean
lab_py_program_run_full (const char              *python,
                         const char              *script,
                         const char * const      *argv,
                         const LabPyTraceOptions *trace_options,
                         LabRecorder             *recorder,
                         GCancellable            *cancellable,
                         GVariant               **metrics,
                         GError                 **error)
{
  Sampling sampling = { recorder, NULL };
  LabPyTraceOptions options = { 0 };
  g_autoptr(GVariant) sampled = NULL;
  int exit_status = -1;
  gint64 start_ns;
  gint64 wall_ns;
  gboolean ok;

  g_return_val_if_fail (python != NULL && script != NULL, FALSE);
  g_return_val_if_fail (trace_options == NULL || trace_options->started == NULL, FALSE);

  if (metrics != NULL)
    *metrics = NULL;
  if (trace_options != NULL)
    options = *trace_options;
  options.started = start_sampler;
  options.data = &sampling;
  if (options.exit_status == NULL)
    options.exit_status = &exit_status;
  start_ns = g_get_monotonic_time () * 1000;
  ok = lab_py_trace_run_full (python, script, argv, &options, recorder, cancellable, error);
  wall_ns = g_get_monotonic_time () * 1000 - start_ns;
  if (sampling.sampler != NULL)
    {
      lab_proc_sampler_stop (sampling.sampler, NULL);
      sampled = lab_proc_sampler_get_metrics (sampling.sampler); /* owned already */
      lab_proc_sampler_free (sampling.sampler);
    }

  /* A program that ran has numbers, whether it succeeded or not. */
  if (metrics != NULL && *options.exit_status >= 0)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&builder, "{sv}", "wall_s", lab_metric_new_seconds (wall_ns));
      g_variant_builder_add (&builder, "{sv}", "exit_status", g_variant_new_int64 (*options.exit_status));
      if (sampled != NULL)
        add_sampled (&builder, sampled);
      *metrics = g_variant_ref_sink (g_variant_builder_end (&builder));
    }
  return ok;
}

gboolean
lab_py_program_run (const char          *python,
                    const char          *script,
                    const char * const  *argv,
                    LabRecorder         *recorder,
                    GCancellable        *cancellable,
                    char               **out_text,
                    GVariant           **metrics,
                    GError             **error)
{
  LabPyTraceOptions options = { .out_text = out_text };

  return lab_py_program_run_full (python, script, argv, &options, recorder, cancellable,
                                  metrics, error);
}

/* ---- the descriptor of "Your Program" ---- */

gboolean
lab_py_program_check_file (const char  *path,
                           GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autoptr(GError) read_error = NULL;
  gsize length = 0;
  const char *bad = NULL;

  if (path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose a Python file to run first"));
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Translators: %s is a file name */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” does not exist (was it moved or deleted?)"), name);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a file name */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is not a file: choose a .py file"), name);
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &length, &read_error))
    {
      /* Translators: %s is a file name, then the reason */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read “%s”: %s"), name, read_error->message);
      return FALSE;
    }
  if (!g_utf8_validate_len (text, length, &bad))
    {
      guint line = 1;

      for (const char *p = text; p < bad; p++)
        line += *p == '\n';
      /* Translators: %s is a file name, %u a line number */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not UTF-8 text (line %u): save it as UTF-8 and run it again"),
                   name, line);
      return FALSE;
    }
  return TRUE;
}

static GVariant *
program_run (LabRunContext  *ctx,
             GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  const char *script = lab_params_get_string (params, "program");
  const char *python = lab_params_get_string (params, "python");
  g_autofree char *interpreter = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autoptr(GVariant) metrics = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!lab_py_program_check_file (script, error))
    return NULL;
  interpreter = lab_python_find (python[0] != '\0' ? python : NULL, &version, error);
  if (interpreter == NULL)
    return NULL;

  if (lab_py_program_run (interpreter, script, lab_params_get_strv (params, "args"),
                          lab_run_context_get_recorder (ctx), lab_run_context_get_cancellable (ctx),
                          NULL, &metrics, &run_error))
    return g_steal_pointer (&metrics);

  /* The program ran and failed: its numbers and timeline are the lesson
   * as much as Python's message, so the run keeps them. */
  if (metrics == NULL || g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      return NULL;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, metrics);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{sv}", "error", g_variant_new_string (run_error->message));
  return g_variant_builder_end (&builder);
}

static const LabParamSpec program_params[] = {
  {
    .kind = LAB_PARAM_TEXT,
    .key = "program",
    .label = N_("Program"),
    .tooltip = N_("The Python file to run"),
    .def_text = "",
  },
  {
    .kind = LAB_PARAM_TEXT_LIST,
    .key = "args",
    .label = N_("Arguments"),
    .tooltip = N_("What the program finds in sys.argv[1:]"),
    .def_text = "",
  },
  {
    .kind = LAB_PARAM_TEXT,
    .key = "python",
    .label = N_("Python"),
    .def_text = "",
    .flags = LAB_PARAM_FLAG_HIDDEN,
  },
};

static const LabMetricSpec program_metrics[] = {
  { "wall_s",          N_("Wall time"),          LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "exit_status",     N_("Exit status"),        LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "threads",         N_("Threads"),            LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "processes",       N_("Processes"),          LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "cpu_s",           N_("CPU time"),           LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* One thread of a process on a CPU, then another: where the GIL moved. */
  { "handovers",       N_("Hand-overs"),         LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "runnable_wait_s", N_("Waiting for a CPU"),  LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NO_CARD },
  /* The page shows it in words, above the numbers. */
  { "error",           N_("Error"),              LAB_METRIC_TEXT,    LAB_METRIC_FLAG_NO_CARD },
};

static const LabExperiment program_experiment = {
  .id = "program",
  .title = N_("Your Program"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("Any Python file, traced: its threads, processes and output"),
  .explanation = "",
  .code = "",
  .params = program_params,
  .n_params = G_N_ELEMENTS (program_params),
  .metrics = program_metrics,
  .n_metrics = G_N_ELEMENTS (program_metrics),
  .run = program_run,
};

const LabExperiment *
lab_py_program_get_experiment (void)
{
  return &program_experiment;
}
