/* lab-py-engine.c — an experiment's listing run on CPython.
 *
 * The listing is written to a folder of its own (multiprocessing's spawn
 * imports the main module from its file), run under the tracer with its
 * standard output kept, and sampled from /proc while it runs. What it
 * printed is read back through the experiment's code_results patterns
 * (lab-py-engine-results.c), so a listing stays a program a student reads:
 * it prints sentences, not a format made for the lab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab-http-server.h"
#include "lab-py-engine.h"
#include "lab-py-program.h"
#include "lab-py-trace.h"

/* ---- running it ---- */

static gboolean
has_metric (const LabExperiment *experiment,
            const char          *key)
{
  for (guint i = 0; i < experiment->n_metrics; i++)
    if (g_str_equal (experiment->metrics[i].key, key))
      return TRUE;
  return FALSE;
}

/* The sampler's sums (see lab_py_program_run()): CPU time, handovers,
 * time runnable but not running, and the rate it achieved. */
static void
add_sampler_metrics (GVariantBuilder     *metrics,
                     GVariant            *parsed,
                     const LabExperiment *experiment,
                     GVariant            *sampled)
{
  static const char * const keys[] = { "cpu_s", "handovers", "runnable_wait_s", "sampler_hz" };
  g_autoptr(GVariant) gil = g_variant_lookup_value (parsed, "gil_switches", NULL);
  gint64 handovers = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GVariant *value = g_variant_lookup_value (sampled, keys[i], NULL);

      if (value != NULL)
        g_variant_builder_add (metrics, "{sv}", keys[i], value);
      g_clear_pointer (&value, g_variant_unref);
    }
  g_variant_lookup (sampled, "handovers", "x", &handovers);
  if (gil == NULL && has_metric (experiment, "gil_switches"))
    g_variant_builder_add (metrics, "{sv}", "gil_switches", g_variant_new_int64 (handovers));
}

/* The listing with LAB_PY_ENGINE_BASE_LINE pointing at @server, started
 * here when the listing has that line. */
static char *
fill_server (char            *code,
             LabHttpServer  **server,
             GError         **error)
{
  const char *at = strstr (code, "\n" LAB_PY_ENGINE_BASE_LINE);
  g_autofree char *line = NULL;
  GString *out;

  if (at == NULL)
    return code;
  *server = lab_http_server_new ();
  if (lab_http_server_start (*server, error) == 0)
    {
      g_free (code);
      return NULL;
    }
  line = g_strdup_printf ("\nBASE = \"%s\"", lab_http_server_get_base_url (*server));
  out = g_string_new_len (code, at - code);
  g_string_append (out, line);
  g_string_append (out, at + strlen ("\n" LAB_PY_ENGINE_BASE_LINE));
  g_free (code);
  return g_string_free (out, FALSE);
}

/* "race-counter" → "race_counter.py": a name Python can import. */
static char *
program_name (const LabExperiment *experiment)
{
  g_autofree char *name = g_strdelimit (g_strdup (experiment->id), "-", '_');

  return g_strconcat (name, ".py", NULL);
}

/* The line number after "@name, line " in @message, where ", line " is
 * the part of @format (lab-py-trace.c's "%s, line %u: %s") between the
 * file and the number; 0 when it is not there. */
static guint
line_after_name (const char *message,
                 const char *name,
                 const char *format)
{
  const char *file = strstr (format, "%s");
  const char *number = strstr (format, "%u");
  g_autofree char *needle = NULL;
  const char *at;
  guint64 line;
  char *end;

  if (file == NULL || number == NULL || number < file)
    return 0;
  needle = g_strdup_printf ("%s%.*s", name, (int) (number - file - 2), file + 2);
  at = strstr (message, needle);
  if (at == NULL)
    return 0;
  line = g_ascii_strtoull (at + strlen (needle), &end, 10);
  if (end == at + strlen (needle) || line == 0 || line > G_MAXUINT)
    return 0;
  return (guint) line;
}

/* Python names the file it ran in a failure, and the run wrote the
 * listing as program_name(); the message is in the person's language. */
guint
lab_py_engine_error_line (const LabExperiment *experiment,
                          const char          *message)
{
  g_autofree char *name = NULL;
  guint line;

  g_return_val_if_fail (experiment != NULL, 0);

  if (message == NULL)
    return 0;
  name = program_name (experiment);
  /* The same format as lab-py-trace.c, so the translation is shared. */
  line = line_after_name (message, name, _("%s, line %u: %s"));
  if (line == 0)
    line = line_after_name (message, name, "%s, line %u: %s");
  return line;
}

GVariant *
lab_py_engine_run (const LabExperiment *experiment,
                   const LabParams     *params,
                   const char          *python,
                   LabRecorder         *recorder,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autofree char *code = NULL;

  g_return_val_if_fail (experiment != NULL && python != NULL, NULL);

  code = lab_experiment_dup_code (experiment, params);
  if (code[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” has no Python listing to run"), experiment->id);
      return NULL;
    }
  return lab_py_engine_run_code (experiment, code, python, recorder, cancellable, error);
}

GVariant *
lab_py_engine_run_code (const LabExperiment *experiment,
                        const char          *text,
                        const char          *python,
                        LabRecorder         *recorder,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autofree char *code = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out_text = NULL;
  g_autoptr(GVariant) parsed = NULL;
  g_autoptr(GVariant) sampled = NULL;
  LabHttpServer *server = NULL;
  GVariantBuilder metrics;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean ok;

  g_return_val_if_fail (experiment != NULL && text != NULL && python != NULL, NULL);

  name = program_name (experiment);
  code = g_strdup (text);
  code = fill_server (g_steal_pointer (&code), &server, error);
  if (code == NULL)
    {
      g_prefix_error (error, "%s", _("Could not start the built-in web server: "));
      g_clear_pointer (&server, lab_http_server_unref);
      return NULL;
    }

  dir = g_dir_make_tmp ("lab-cpython-XXXXXX", error);
  path = dir != NULL ? g_build_filename (dir, name, NULL) : NULL;
  if (dir == NULL || !g_file_set_contents (path, code, -1, error))
    {
      g_clear_pointer (&server, lab_http_server_unref);
      if (dir != NULL)
        g_rmdir (dir);
      return NULL;
    }

  /* In the caller's folder, as the model runs: "ls -l" lists the same. */
  ok = lab_py_program_run (python, path, NULL, recorder, cancellable, &out_text, &sampled, error);
  if (server != NULL)
    {
      lab_http_server_stop (server);
      lab_http_server_unref (server);
    }
  g_unlink (path);
  g_rmdir (dir);
  if (!ok)
    return NULL;

  parsed = g_variant_ref_sink (lab_py_engine_parse_output (experiment, out_text));
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, parsed);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&metrics, "{sv}", key, value);
      g_variant_unref (value);
    }
  if (has_metric (experiment, "wall_s") && !g_variant_lookup (parsed, "wall_s", "d", NULL))
    {
      /* A full reference: the builder takes one of its own. */
      g_autoptr(GVariant) wall_s = g_variant_lookup_value (sampled, "wall_s", G_VARIANT_TYPE_DOUBLE);

      if (wall_s != NULL)
        g_variant_builder_add (&metrics, "{sv}", "wall_s", wall_s);
    }
  add_sampler_metrics (&metrics, parsed, experiment, sampled);
  return g_variant_builder_end (&metrics);
}

/* ---- the descriptor ---- */

typedef struct
{
  LabExperiment        experiment; /* first: the runner hands this back */
  const LabExperiment *model;
  char                *python;
  char                *version;
  char                *code;    /* the person's own text, or NULL */
} EngineExperiment;

static GVariant *
engine_run (LabRunContext  *ctx,
            GError        **error)
{
  const EngineExperiment *self = (const EngineExperiment *) lab_run_context_get_experiment (ctx);
  GError *local_error = NULL;
  GVariant *metrics;

  g_return_val_if_fail (self != NULL && self->experiment.run == engine_run, NULL);

  if (self->code != NULL)
    metrics = lab_py_engine_run_code (self->model, self->code, self->python,
                                      lab_run_context_get_recorder (ctx),
                                      lab_run_context_get_cancellable (ctx), &local_error);
  else
    metrics = lab_py_engine_run (self->model, lab_run_context_get_params (ctx), self->python,
                                 lab_run_context_get_recorder (ctx),
                                 lab_run_context_get_cancellable (ctx), &local_error);
  if (metrics == NULL)
    return lab_run_context_return_error (ctx, local_error, error);
  return metrics;
}

LabExperiment *
lab_py_engine_experiment_new (const LabExperiment *model,
                              const char          *python,
                              const char          *version)
{
  return lab_py_engine_experiment_new_with_code (model, python, version, NULL);
}

LabExperiment *
lab_py_engine_experiment_new_with_code (const LabExperiment *model,
                                        const char          *python,
                                        const char          *version,
                                        const char          *code)
{
  EngineExperiment *self;

  g_return_val_if_fail (model != NULL && python != NULL, NULL);

  self = g_new0 (EngineExperiment, 1);
  self->experiment = *model;
  self->experiment.run = engine_run;
  self->model = model;
  self->python = g_strdup (python);
  self->version = g_strdup (version);
  self->code = g_strdup (code);
  return &self->experiment;
}

const char *
lab_py_engine_experiment_get_code (const LabExperiment *experiment)
{
  if (experiment == NULL || experiment->run != engine_run)
    return NULL;
  return ((const EngineExperiment *) experiment)->code;
}

void
lab_py_engine_experiment_free (LabExperiment *experiment)
{
  EngineExperiment *self = (EngineExperiment *) experiment;

  if (self == NULL)
    return;
  g_return_if_fail (experiment->run == engine_run);
  g_free (self->python);
  g_free (self->version);
  g_free (self->code);
  g_free (self);
}

const char *
lab_py_engine_experiment_get_version (const LabExperiment *experiment)
{
  if (experiment == NULL || experiment->run != engine_run)
    return NULL;
  return ((const EngineExperiment *) experiment)->version;
}
