/* lab-cli.c — the headless command line.
 *
 *   concurrency-lab --list
 *   concurrency-lab --run=ID [--set=KEY=VALUE]... [--repeat=N] [--json]
 *                   [--sweep=KEY=FROM..TO] [--export=FILE]... [--export-scale=S]
 *                   [--engine=model|cpython [--python=PATH]]
 *
 * Needs no display. Exit status: 0 success, 1 the experiment failed,
 * 2 bad usage (with one clear line on stderr).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "lab-cli.h"
#include "lab-cli-private.h"
#include "lab-cli-engine.h"
#include "lab-cli-signals.h"
#include "lab-experiments.h"
#include "lab-chrome-trace.h"
#include "lab-export.h"
#include "lab-py-engine.h"
#include "lab-runner.h"
#include "lab-sweep.h"

#define MAX_REPEAT 1000

typedef struct
{
  gboolean  list;
  char     *run;
  char    **set;
  int       repeat;
  gboolean  json;
  char    **export;
  double    export_scale;
  char     *sweep;
  char     *trace;
  char     *python;
  char     *engine;
} CliOptions;

static void
cli_options_clear (CliOptions *opts)
{
  g_free (opts->run);
  g_strfreev (opts->set);
  g_strfreev (opts->export);
  g_free (opts->sweep);
  g_free (opts->trace);
  g_free (opts->python);
  g_free (opts->engine);
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, however the message was built. */
  g_strdelimit (message, "\n", ' ');
  g_printerr ("concurrency-lab: %s\n", message);
  return LAB_EXIT_USAGE;
}

/* Only these switch to the command line; anything else opens the window. */
static gboolean
wants_cli (int    argc,
           char **argv)
{
  static const char * const cli_options[] = {
    "--list", "--run", "--set", "--repeat", "--json", "--export", "--export-scale",
    "--sweep", "--trace", "--engine", NULL
  };

  return argc > 1 && lab_cli_find_option (argv + 1, cli_options) != NULL;
}

static int
list_experiments (void)
{
  const LabExperiment * const *all;
  guint n;

  all = lab_experiments_get_all (&n);
  for (guint i = 0; i < n; i++)
    g_print ("%s\t%s\n", all[i]->id, _(all[i]->title));
  return LAB_EXIT_OK;
}

void
lab_cli_print_output (LabTrace *trace)
{
  const LabOutputLine *lines;
  guint n;

  lines = lab_trace_get_output (trace, &n);
  for (guint i = 0; i < n; i++)
    {
      const char *text = lab_trace_get_string (trace, lines[i].label);

      if (lines[i].flags & LAB_EVENT_FLAG_STDERR)
        g_printerr ("%s\n", text);
      else
        g_print ("%s\n", text);
    }
}

static void
print_metrics (const LabExperiment *experiment,
               GVariant            *metrics)
{
  int width = 16;

  /* One column for the values, however long the keys. */
  for (guint i = 0; i < experiment->n_metrics; i++)
    width = MAX (width, (int) strlen (experiment->metrics[i].key));

  for (guint i = 0; i < experiment->n_metrics; i++)
    {
      const LabMetricSpec *spec = &experiment->metrics[i];
      g_autoptr(GVariant) value = lab_metrics_lookup (metrics, spec->key);
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      text = lab_metric_format (spec, value);
      if (strchr (text, '\n') == NULL)
        {
          g_print ("%-*s %s\n", width, spec->key, text);
        }
      else
        {
          /* Captured output, a list of requests and the like: a block
           * under its key, indented, so the table stays one key per line. */
          g_auto(GStrv) lines = g_strsplit (g_strchomp (text), "\n", -1);

          g_print ("%s:\n", spec->key);
          for (guint j = 0; lines[j] != NULL; j++)
            g_print ("    %s\n", lines[j]);
        }
    }
}

static char *
build_json (LabRunner  *last,
            GPtrArray  *repeats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  LabTrace *trace = lab_runner_get_trace (last);
  const char *version = lab_py_engine_experiment_get_version (lab_runner_get_experiment (last));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "experiment");
  json_builder_add_string_value (builder, lab_runner_get_experiment (last)->id);
  json_builder_set_member_name (builder, "engine");
  json_builder_add_string_value (builder, version != NULL ? "cpython" : "model");
  if (version != NULL)
    {
      json_builder_set_member_name (builder, "python_version");
      json_builder_add_string_value (builder, version);
    }
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, lab_cli_variant_to_json (lab_params_to_variant (lab_runner_get_params (last))));
  json_builder_set_member_name (builder, "metrics");
  json_builder_add_value (builder, lab_cli_variant_to_json (lab_runner_get_metrics (last)));
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, (gint64) lab_trace_get_n_events (trace));
  json_builder_set_member_name (builder, "dropped_events");
  json_builder_add_int_value (builder, (gint64) lab_trace_get_dropped (trace));
  if (lab_runner_get_chart (last) != NULL)
    {
      json_builder_set_member_name (builder, "chart");
      json_builder_add_value (builder, lab_cli_variant_to_json (lab_chart_to_variant (lab_runner_get_chart (last))));
    }

  if (repeats->len > 1)
    {
      /* --repeat: every run's metrics, in order; "metrics" is the last. */
      json_builder_set_member_name (builder, "repeats");
      json_builder_begin_array (builder);
      for (guint i = 0; i < repeats->len; i++)
        json_builder_add_value (builder, lab_cli_variant_to_json (g_ptr_array_index (repeats, i)));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return lab_cli_json_to_text (root);
}

static int
export_views (LabRunner   *run,
              char       **files,
              double       scale)
{
  LabExportOptions options;

  lab_export_options_init (&options);
  options.scale = scale;

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!lab_export_run (run, files[i], &options, &error))
        {
          g_printerr ("concurrency-lab: %s\n", error->message);
          return LAB_EXIT_FAILED;
        }
    }
  return LAB_EXIT_OK;
}

/* --sweep: one line per point as it is measured. */
static void
on_sweep_point (LabSweep *sweep,
                guint     index,
                gpointer  user_data)
{
  const LabSweepPoint *p = lab_sweep_get_point (sweep, index);
  g_autofree char *time = lab_chart_format_value (LAB_CHART_UNIT_SECONDS, p->time_s);
  g_autofree char *speedup = lab_chart_format_value (LAB_CHART_UNIT_RATIO, p->speedup);
  g_autofree char *efficiency = lab_chart_format_value (LAB_CHART_UNIT_PERCENT, p->efficiency);

  /* Translators: one point of a sweep: "threads=2: threaded_s 105 ms,
   * speed-up 1.93×, efficiency 96%" (keys stay as they are) */
  g_print (_("%s=%lld: %s %s, speed-up %s, efficiency %s\n"),
           lab_sweep_get_key (sweep), (long long) p->value, lab_sweep_get_time_key (sweep), time,
           speedup, efficiency);
}

static int
run_sweep (const LabExperiment *experiment,
           const LabParams     *params,
           const CliOptions    *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSweep) sweep = NULL;
  g_autoptr(LabCliSignals) signals = NULL;
  g_autofree char *key = NULL;
  gboolean done;
  gint64 from, to;

  if (!lab_sweep_parse (opts->sweep, &key, &from, &to, &error) ||
      !(sweep = lab_sweep_new (experiment, params, key, from, to, &error)))
    return usage_error ("--sweep: %s", error->message);
  /* Said before the sweep's minutes, not after them. */
  for (guint i = 0; opts->export != NULL && opts->export[i] != NULL; i++)
    if (lab_chrome_trace_is_path (opts->export[i]))
      return usage_error (_("--export=%s: a sweep exports its plot as an image "
                            "(use .png, .svg or .pdf; .json holds one run’s trace)"),
                          opts->export[i]);
  lab_sweep_set_repeat (sweep, (guint) opts->repeat);

  if (!opts->json)
    g_signal_connect (sweep, "point-finished", G_CALLBACK (on_sweep_point), NULL);
  signals = lab_cli_signals_new ();
  lab_cli_signals_watch (signals, G_OBJECT (sweep));
  done = lab_sweep_run_sync (sweep, &error);
  lab_cli_signals_watch (signals, NULL);
  if (lab_cli_signals_caught (signals) != 0)
    return lab_cli_signals_report (signals);
  if (!done)
    {
      g_printerr ("concurrency-lab: %s: %s\n", experiment->id, error->message);
      return LAB_EXIT_FAILED;
    }

  if (opts->json)
    {
      g_autoptr(JsonNode) root = lab_cli_variant_to_json (lab_sweep_to_variant (sweep));
      g_autofree char *json = lab_cli_json_to_text (root);

      g_print ("%s\n", json);
    }

  /* --export: the speed-up and efficiency plot. */
  for (guint i = 0; opts->export != NULL && opts->export[i] != NULL; i++)
    {
      g_autoptr(LabChart) chart = lab_sweep_build_chart (sweep, NULL);
      g_autofree char *subtitle = lab_sweep_describe (sweep);
      LabExportOptions options;

      lab_export_options_init (&options);
      options.scale = opts->export_scale;
      options.subtitle = subtitle;
      if (!lab_export_chart (chart, _(experiment->title), opts->export[i], &options, &error))
        {
          g_printerr ("concurrency-lab: %s\n", error->message);
          return LAB_EXIT_FAILED;
        }
    }
  return LAB_EXIT_OK;
}

static int
run_on (const LabExperiment *experiment,
        const CliOptions    *opts)
{
  g_autoptr(LabParams) params = NULL;
  /* With --json, each repeat's metrics. Of the runs only the last is kept
   * (for --json and --export): a run's trace is hundreds of kilobytes, and
   * keeping them all made --repeat=1000 grow by hundreds of megabytes. */
  g_autoptr(GPtrArray) repeats = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(LabRunner) last = NULL;
  g_autoptr(LabCliSignals) signals = NULL;
  int status;

  if (opts->repeat < 1 || opts->repeat > MAX_REPEAT)
    return usage_error (_("--repeat: %d is out of range (1–%d)"), opts->repeat, MAX_REPEAT);

  params = lab_params_new (experiment->params, experiment->n_params);
  for (guint i = 0; opts->set != NULL && opts->set[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!lab_experiment_parse_assignment (experiment, params, opts->set[i], &error))
        return usage_error ("%s", error->message);
    }
  {
    g_autoptr(GError) error = NULL;

    if (!lab_experiment_check_params (experiment, params, &error))
      return usage_error ("%s", error->message);
  }

  if (opts->sweep != NULL)
    return run_sweep (experiment, params, opts);
  if (!opts->json && lab_py_engine_experiment_get_version (experiment) != NULL)
    g_print ("%-16s cpython %s\n", "engine", lab_py_engine_experiment_get_version (experiment));

  signals = lab_cli_signals_new ();
  for (int r = 0; r < opts->repeat && lab_cli_signals_caught (signals) == 0; r++)
    {
      g_autoptr(GError) error = NULL;
      LabRunner *runner;
      gboolean done;

      g_clear_object (&last);
      last = runner = lab_runner_new (experiment, params);
      lab_cli_signals_watch (signals, G_OBJECT (runner));
      done = lab_runner_run_sync (runner, &error);
      lab_cli_signals_watch (signals, NULL);
      if (lab_cli_signals_caught (signals) != 0)
        break;

      if (!done)
        {
          if (!opts->json)
            lab_cli_print_output (lab_runner_get_trace (runner));
          g_printerr ("concurrency-lab: %s: %s\n", experiment->id,
                      error ? error->message : _("the experiment failed"));
          return LAB_EXIT_FAILED;
        }
      /* Printed at once without --json; only its "repeats" needs them all. */
      if (opts->json)
        g_ptr_array_add (repeats, g_variant_ref (lab_runner_get_metrics (runner)));

      if (!opts->json)
        {
          if (opts->repeat > 1)
            g_print (_("— Run %d of %d —\n"), r + 1, opts->repeat);
          lab_cli_print_output (lab_runner_get_trace (runner));
          print_metrics (experiment, lab_runner_get_metrics (runner));
          if (lab_trace_get_dropped (lab_runner_get_trace (runner)) > 0)
            {
              guint64 dropped = lab_trace_get_dropped (lab_runner_get_trace (runner));

              g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                       "concurrency-lab: %lu event was dropped\n",
                                       "concurrency-lab: %lu events were dropped\n",
                                       dropped),
                          (gulong) dropped);
            }
        }
    }

  if (lab_cli_signals_caught (signals) != 0)
    return lab_cli_signals_report (signals);

  if (opts->json)
    {
      g_autofree char *json = build_json (last, repeats);

      g_print ("%s\n", json);
    }

  status = export_views (last, opts->export, opts->export_scale);
  /* A signal during the export: there is nothing left to stop. */
  return lab_cli_signals_caught (signals) != 0 ? lab_cli_signals_report (signals) : status;
}

static int
run_experiment (const CliOptions *opts)
{
  const LabExperiment *experiment = lab_experiments_find (opts->run);
  LabExperiment *on_cpython = NULL;
  int status;

  if (experiment == NULL)
    return usage_error (_("Unknown experiment “%s” (see --list)"), opts->run);
  if (!lab_cli_engine_prepare (experiment, opts->engine, opts->python, &on_cpython, &status))
    return status;
  status = run_on (on_cpython != NULL ? on_cpython : experiment, opts);
  lab_py_engine_experiment_free (on_cpython);
  return status;
}

gboolean
lab_cli_main (int    argc,
              char **argv,
              int   *status)
{
  CliOptions opts = { .repeat = 1, .export_scale = 1.0 };
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &opts.list,
      N_("List the experiments, one per line: id and title"), NULL },
    { "run", 0, 0, G_OPTION_ARG_STRING, &opts.run,
      N_("Run an experiment without opening the window"), N_("ID") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.set,
      N_("Set a parameter (repeat for several; lists are comma-separated)"), N_("KEY=VALUE") },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &opts.repeat,
      N_("Run N times"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opts.json,
      N_("Print the parameters and metrics as one JSON object"), NULL },
    { "export", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.export,
      N_("Write the run's view to FILE (.png)"), N_("FILE") },
    { "export-scale", 0, 0, G_OPTION_ARG_DOUBLE, &opts.export_scale,
      N_("Scale of exported images (2 for HiDPI slides)"), N_("S") },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &opts.sweep,
      N_("Run once for every count KEY = FROM…TO and print speed-up and efficiency "
         "(--repeat runs each point N times; --export writes the plot)"), N_("KEY=FROM..TO") },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &opts.trace,
      N_("Run a Python program under the tracer and print how its threads and processes ran "
         "(arguments for it after --)"), N_("PROGRAM.py") },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &opts.python,
      N_("The Python interpreter for --trace and --engine=cpython (default /usr/bin/python3)"), N_("PATH") },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &opts.engine,
      N_("Run the experiment on the model (default) or run its Python listing on CPython "
         "(--python names the interpreter)"), N_("model|cpython") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;

  if (!wants_cli (argc, argv))
    return FALSE;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Without options the window opens. With --list or --run the "
                                  "experiments run headless and print their results."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_autofree char *message = lab_cli_explain_parse_error (argv, error);

      *status = usage_error ("%s", message);
      cli_options_clear (&opts);
      return TRUE;
    }

  if (opts.trace != NULL)
    {
      /* Everything after the program (and a "--") is its own argv. */
      guint first = args[1] != NULL && g_strcmp0 (args[1], "--") == 0 ? 2 : 1;

      *status = lab_cli_engine_trace (opts.trace, opts.python,
                                      (const char * const *) args + (args[1] ? first : 1),
                                      opts.json, opts.export);
    }
  else if (args[1] != NULL)
    *status = usage_error (_("Unexpected argument “%s”"), args[1]);
  else if ((opts.list || opts.run != NULL) &&
           !lab_cli_check_usage (argv + 1, opts.list, opts.export, opts.export_scale, &error))
    *status = usage_error ("%s", error->message);
  else if (opts.list)
    *status = list_experiments ();
  else if (opts.run != NULL)
    *status = run_experiment (&opts);
  else
    *status = usage_error (_("--set, --repeat, --sweep, --json and --export need --run=ID"));

  cli_options_clear (&opts);
  return TRUE;
}
