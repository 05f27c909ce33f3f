/* lab-start-method.h — the two choices the multiprocessing experiments
 * share: the start method (spawn, fork, forkserver) and where the function
 * the children run is defined, which decides whether it can be pickled and
 * whether a child finds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiments.h"
#include "lab-process-pool.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_FUNCTION_MODULE,   /* def in a file: every child can import it */
  LAB_FUNCTION_NOTEBOOK, /* def in a notebook cell: __main__ has no file */
  LAB_FUNCTION_LAMBDA,   /* a lambda made inside another function */
} LabFunctionPlace;

typedef struct
{
  LabStartMethod   method;
  LabFunctionPlace place;
} LabStartChoice;

/* For the "start_method" and "function" parameters. */
extern const LabParamChoice lab_start_method_choices[];
extern const LabParamChoice lab_function_place_choices[];

/* The assignments of the teaching presets: a notebook's function, and a
 * lambda, with spawn and with fork. */
extern const char * const lab_start_preset_notebook_spawn[];
extern const char * const lab_start_preset_notebook_fork[];
extern const char * const lab_start_preset_lambda_spawn[];
extern const char * const lab_start_preset_lambda_fork[];

/* Reads both parameters; FALSE with @error (one line) if this system does
 * not offer the start method. */
gboolean     lab_start_choice_from_params (const LabParams  *params,
                                           LabStartChoice   *choice,
                                           GError          **error);
/* Sets @options' start method and __main__; for fork also what the children
 * inherit: a dict of @main_functions (the names defined in __main__, a
 * lambda's maker too) and @args (taken; NULL: None). Free with
 * lab_start_choice_clear (). */
void         lab_start_choice_apply       (const LabStartChoice   *choice,
                                           const char * const     *main_functions,
                                           LabPyValue             *args,
                                           LabProcessPoolOptions  *options);
void         lab_start_choice_clear       (LabProcessPoolOptions  *options);
/* How the function (called @name when defined with def) is pickled: its
 * qualified name; for the lambda, @lambda_qualname. */
const char  *lab_start_choice_qualname    (const LabStartChoice   *choice,
                                           const char             *lambda_qualname);

/* What the pool experiments report about starting their pool, read while
 * it runs. @pids holds one entry per worker (the caller's array). */
typedef struct
{
  gint64         spawn_ns;
  gint64         start_ns;  /* per process */
  gint64        *pids;
  LabStartMethod method;
} LabPoolStart;

/* Starts the pool for @choice (see lab_start_choice_apply ()) with
 * @options' worker count and flags, and fills @start; NULL with @error if
 * the pool could not start. */
LabProcessPool *lab_start_choice_new_pool (const LabStartChoice   *choice,
                                           const char * const     *main_functions,
                                           LabPyValue             *args,
                                           LabProcessPoolOptions  *options,
                                           LabRunContext          *ctx,
                                           LabPoolStart           *start,
                                           GError                **error);
/* The metrics "spawn_s", "start_ms_per_process" and "start_method", in
 * that order. */
void            lab_pool_start_add_metrics (const LabPoolStart    *start,
                                            GVariantBuilder       *metrics);

G_END_DECLS
