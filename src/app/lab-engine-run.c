/* lab-engine-run.c — runs made by an engine: the CPython descriptor each
 * CPython run carries, the pairs of "Both", their titles, and the rule
 * that says where a pair's values disagree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-engine.h"
#include "lab-py-engine.h"
#include "lab-python.h"
#include "lab-run-history.h"

/* A "Both" ratio above this is a different shape, not noise. */
#define DISAGREE_RATIO 2.0

static const char * const engine_names[] = { "model", "cpython", "both" };

const char *
lab_engine_to_string (LabEngine engine)
{
  g_return_val_if_fail (engine <= LAB_ENGINE_BOTH, "model");

  return engine_names[engine];
}

gboolean
lab_engine_from_string (const char *name,
                        LabEngine  *engine)
{
  for (guint i = 0; i < G_N_ELEMENTS (engine_names); i++)
    if (g_strcmp0 (name, engine_names[i]) == 0)
      {
        *engine = (LabEngine) i;
        return TRUE;
      }

  return FALSE;
}

/* Looked up once per process: asking python3 its version starts a process,
 * and every page asks. Main thread only. LAB_PYTHON names another
 * interpreter (as --python does on the command line). */
static gboolean python_looked_up;
static char *python_path;
static char *python_version;
static GError *python_error;

const char *
lab_engine_get_python (const char **version,
                       GError     **error)
{
  if (!python_looked_up)
    {
      python_looked_up = TRUE;
      python_path = lab_python_find (g_getenv ("LAB_PYTHON"), &python_version, &python_error);
    }

  if (python_path == NULL)
    {
      if (error != NULL)
        *error = g_error_copy (python_error);
      return NULL;
    }
  if (version != NULL)
    *version = python_version;
  return python_path;
}

/* ---- what a run remembers ---- */

static GQuark
descriptor_quark (void)
{
  return g_quark_from_static_string ("lab-engine-descriptor");
}

static GQuark
partner_quark (void)
{
  return g_quark_from_static_string ("lab-engine-partner");
}

static GQuark
wants_partner_quark (void)
{
  return g_quark_from_static_string ("lab-engine-wants-partner");
}

/* The edited text a "Both" hands to its CPython half. */
static GQuark
code_quark (void)
{
  return g_quark_from_static_string ("lab-engine-code");
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Weak both ways: the history holds the runs, and either may go first. */
static void
set_partner (LabRunner *run,
             LabRunner *partner)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, partner);
  g_object_set_qdata_full (G_OBJECT (run), partner_quark (), ref, weak_ref_free);
}

static LabRunner *
cpython_runner_new (const LabExperiment  *experiment,
                    const LabParams      *params,
                    const char           *code,
                    GError              **error)
{
  const char *version = NULL;
  const char *python = lab_engine_get_python (&version, error);
  LabExperiment *descriptor;
  LabRunner *run;

  if (python == NULL)
    return NULL;

  descriptor = lab_py_engine_experiment_new_with_code (experiment, python, version, code);
  run = lab_runner_new (descriptor, params);
  /* The runner only borrows its descriptor: it goes with the run, after
   * the run's thread has been joined. */
  g_object_set_qdata_full (G_OBJECT (run), descriptor_quark (), descriptor,
                           (GDestroyNotify) lab_py_engine_experiment_free);
  return run;
}

LabRunner *
lab_engine_runner_new (const LabExperiment  *experiment,
                       LabEngine             engine,
                       const LabParams      *params,
                       GError              **error)
{
  return lab_engine_runner_new_with_code (experiment, engine, params, NULL, error);
}

LabRunner *
lab_engine_runner_new_with_code (const LabExperiment  *experiment,
                                 LabEngine             engine,
                                 const LabParams      *params,
                                 const char           *code,
                                 GError              **error)
{
  LabRunner *run;

  g_return_val_if_fail (experiment != NULL, NULL);

  if (engine == LAB_ENGINE_CPYTHON)
    return cpython_runner_new (experiment, params, code, error);

  /* "Both" needs python3 for its second half: better to say so now. */
  if (engine == LAB_ENGINE_BOTH && lab_engine_get_python (NULL, error) == NULL)
    return NULL;

  run = lab_runner_new (experiment, params);
  if (engine == LAB_ENGINE_BOTH)
    {
      g_object_set_qdata (G_OBJECT (run), wants_partner_quark (), GINT_TO_POINTER (TRUE));
      /* The model cannot run edited Python; its CPython half does. */
      g_object_set_qdata_full (G_OBJECT (run), code_quark (), g_strdup (code), g_free);
    }
  return run;
}

LabRunner *
lab_engine_runner_new_partner (LabRunner *first)
{
  LabRunner *second;

  g_return_val_if_fail (LAB_IS_RUNNER (first), NULL);

  if (!g_object_steal_qdata (G_OBJECT (first), wants_partner_quark ()) ||
      lab_runner_get_state (first) != LAB_RUN_DONE)
    return NULL;

  second = cpython_runner_new (lab_runner_get_experiment (first),
                               lab_runner_get_params (first),
                               g_object_get_qdata (G_OBJECT (first), code_quark ()), NULL);
  if (second == NULL)
    return NULL;

  set_partner (first, second);
  set_partner (second, first);
  return second;
}

gboolean
lab_engine_run_is_cpython (LabRunner *run)
{
  g_return_val_if_fail (LAB_IS_RUNNER (run), FALSE);

  return lab_py_engine_experiment_get_version (lab_runner_get_experiment (run)) != NULL;
}

gboolean
lab_engine_run_is_edited (LabRunner *run)
{
  g_return_val_if_fail (LAB_IS_RUNNER (run), FALSE);

  return lab_py_engine_experiment_get_code (lab_runner_get_experiment (run)) != NULL;
}

LabRunner *
lab_engine_run_get_partner (LabRunner *run)
{
  GWeakRef *ref;
  LabRunner *partner;

  g_return_val_if_fail (LAB_IS_RUNNER (run), NULL);

  ref = g_object_get_qdata (G_OBJECT (run), partner_quark ());
  if (ref == NULL)
    return NULL;

  /* The history keeps it alive as long as it is worth showing. */
  partner = g_weak_ref_get (ref);
  if (partner != NULL)
    g_object_unref (partner);
  return partner;
}

char *
lab_engine_run_title (LabRunner *run)
{
  guint index = lab_run_get_index (run);

  if (lab_engine_run_is_edited (run))
    /* Translators: a CPython run of the person's edited code: "Run 4 · CPython · edited" */
    return g_strdup_printf (_("Run %u · CPython · edited"), index);
  if (lab_engine_run_is_cpython (run))
    /* Translators: the title of a run made by CPython: "Run 4 · CPython" */
    return g_strdup_printf (_("Run %u · CPython"), index);
  if (lab_engine_run_get_partner (run) != NULL ||
      g_object_get_qdata (G_OBJECT (run), wants_partner_quark ()) != NULL)
    /* Translators: the model half of a "Both" pair: "Run 3 · Model" */
    return g_strdup_printf (_("Run %u · Model"), index);
  return g_strdup_printf (_("Run %u"), index);
}

char *
lab_engine_run_badge (LabRunner *run)
{
  const char *version = lab_py_engine_experiment_get_version (lab_runner_get_experiment (run));

  if (version != NULL)
    /* Translators: the engine of a run: "CPython 3.11.2" */
    return g_strdup_printf (_("CPython %s"), version);
  return g_strdup (C_("engine", "Model"));
}

/* ---- comparing a pair ---- */

static gboolean
value_as_number (GVariant *value,
                 double   *number)
{
  g_autoptr(GVariant) inner = NULL;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    value = inner = g_variant_get_variant (value);

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
      *number = g_variant_get_byte (value);
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      *number = g_variant_get_int32 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      *number = g_variant_get_uint32 (value);
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      *number = (double) g_variant_get_int64 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      *number = (double) g_variant_get_uint64 (value);
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      *number = g_variant_get_double (value);
      return isfinite (*number);
    case G_VARIANT_CLASS_BOOLEAN:
      *number = g_variant_get_boolean (value) ? 1.0 : 0.0;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
lab_engine_values_disagree (GVariant *model,
                            GVariant *cpython)
{
  double a, b;

  if (model == NULL || cpython == NULL ||
      !value_as_number (model, &a) || !value_as_number (cpython, &b))
    return FALSE;

  if (a == 0.0 || b == 0.0)
    return (a == 0.0) != (b == 0.0);
  if ((a < 0.0) != (b < 0.0))
    return TRUE;
  a = fabs (a);
  b = fabs (b);
  return MAX (a, b) > DISAGREE_RATIO * MIN (a, b);
}

char *
lab_engine_format_pair (const LabMetricSpec *spec,
                        GVariant            *model,
                        GVariant            *cpython,
                        gboolean            *differ)
{
  g_autofree char *a = model != NULL ? lab_metric_format (spec, model) : NULL;
  g_autofree char *b = cpython != NULL ? lab_metric_format (spec, cpython) : NULL;

  if (differ != NULL)
    *differ = lab_engine_values_disagree (model, cpython);

  /* Translators: a metric card of a "Both" pair: "model 6 · CPython 7" */
  return g_strdup_printf (_("model %s · CPython %s"),
                          a != NULL && *a != '\0' ? a : "—",
                          b != NULL && *b != '\0' ? b : "—");
}
