/* lab-start-method.c — the start method and the function's place, shared
 * by process-isolation and process-pool-map, and how they start a pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-start-method.h"

const LabParamChoice lab_start_method_choices[] = {
  /* Translators: a way of starting processes: run a fresh helper program,
   * as Python's "spawn" start method runs a fresh interpreter */
  { "spawn",      N_("spawn (start a fresh process)") },
  /* Translators: a way of starting processes: copy the running parent,
   * as Python's "fork" start method does */
  { "fork",       N_("fork (copy the parent)") },
  /* Translators: a way of starting processes: a server process, started
   * once, copies itself for each child, as Python's "forkserver" does */
  { "forkserver", N_("forkserver (copies of a clean server)") },
  { NULL, NULL }
};

const LabParamChoice lab_function_place_choices[] = {
  /* Translators: where the function that the child processes run is
   * written: in a .py file */
  { "module",   N_("def in a .py file") },
  /* Translators: where the function that the child processes run is
   * written: typed into a Jupyter notebook or an interactive session */
  { "notebook", N_("def in a notebook") },
  /* Translators: the function that the child processes run is a lambda
   * made inside another function */
  { "lambda",   N_("a lambda made inside a function") },
  { NULL, NULL }
};

const char * const lab_start_preset_notebook_spawn[] = {
  "start_method=spawn", "function=notebook", NULL
};
const char * const lab_start_preset_notebook_fork[] = {
  "start_method=fork", "function=notebook", NULL
};
const char * const lab_start_preset_lambda_spawn[] = {
  "start_method=spawn", "function=lambda", NULL
};
const char * const lab_start_preset_lambda_fork[] = {
  "start_method=fork", "function=lambda", NULL
};

gboolean
lab_start_choice_from_params (const LabParams  *params,
                              LabStartChoice   *choice,
                              GError          **error)
{
  const char *place = lab_params_get_string (params, "function");

  if (g_strcmp0 (place, "notebook") == 0)
    choice->place = LAB_FUNCTION_NOTEBOOK;
  else if (g_strcmp0 (place, "lambda") == 0)
    choice->place = LAB_FUNCTION_LAMBDA;
  else
    choice->place = LAB_FUNCTION_MODULE;
  /* The parameter only takes the three names; whether this system has
   * the method is known at run time only. */
  return lab_start_method_from_string (lab_params_get_string (params, "start_method"),
                                       &choice->method, error);
}

void
lab_start_choice_apply (const LabStartChoice   *choice,
                        const char * const     *main_functions,
                        LabPyValue             *args,
                        LabProcessPoolOptions  *options)
{
  LabPyValue *names;

  options->start_method = choice->method;
  options->main_without_file = choice->place == LAB_FUNCTION_NOTEBOOK;
  options->inherited = NULL;
  if (choice->method != LAB_START_FORK)
    {
      g_clear_pointer (&args, lab_py_value_unref);
      return;
    }

  /* What fork copies: the parent's __main__ and the objects it holds. */
  names = lab_py_list_new ();
  for (guint i = 0; main_functions[i] != NULL; i++)
    lab_py_list_append (names, lab_py_str_new (main_functions[i], -1));
  options->inherited = lab_py_dict_new ();
  lab_py_dict_set (options->inherited, lab_py_str_new ("__main__", -1), names);
  lab_py_dict_set (options->inherited, lab_py_str_new ("args", -1),
                   args != NULL ? args : lab_py_none_new ());
}

void
lab_start_choice_clear (LabProcessPoolOptions *options)
{
  g_clear_pointer (&options->inherited, lab_py_value_unref);
}

const char *
lab_start_choice_qualname (const LabStartChoice *choice,
                           const char           *lambda_qualname)
{
  return choice->place == LAB_FUNCTION_LAMBDA ? lambda_qualname : NULL;
}

LabProcessPool *
lab_start_choice_new_pool (const LabStartChoice   *choice,
                           const char * const     *main_functions,
                           LabPyValue             *args,
                           LabProcessPoolOptions  *options,
                           LabRunContext          *ctx,
                           LabPoolStart           *start,
                           GError                **error)
{
  LabProcessPool *pool;

  lab_start_choice_apply (choice, main_functions, args, options);
  pool = lab_process_pool_new (options, lab_run_context_get_recorder (ctx),
                               lab_run_context_get_main_lane (ctx),
                               lab_run_context_get_cancellable (ctx), error);
  lab_start_choice_clear (options);
  if (pool == NULL)
    return NULL;

  start->spawn_ns = lab_process_pool_get_spawn_ns (pool);
  start->start_ns = lab_process_pool_get_start_ns_per_process (pool);
  start->method = choice->method;
  for (guint i = 0; i < options->n_workers; i++)
    start->pids[i] = lab_process_pool_get_pid (pool, i);
  return pool;
}

void
lab_pool_start_add_metrics (const LabPoolStart *start,
                            GVariantBuilder    *metrics)
{
  g_variant_builder_add (metrics, "{sv}", "spawn_s", lab_metric_new_seconds (start->spawn_ns));
  g_variant_builder_add (metrics, "{sv}", "start_ms_per_process",
                         g_variant_new_double ((double) start->start_ns / 1e6));
  g_variant_builder_add (metrics, "{sv}", "start_method",
                         g_variant_new_string (lab_start_method_to_string (start->method)));
}
