/* lab-engine.h — which engine makes a run: the lab's C model, CPython
 * running the listing, or both one after the other (a pair of runs shown
 * on one time axis and compared card by card).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-runner.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_ENGINE_MODEL = 0,
  LAB_ENGINE_CPYTHON,
  LAB_ENGINE_BOTH,
} LabEngine;

/* "model", "cpython", "both" (the names the settings store). */
const char *lab_engine_to_string        (LabEngine    engine);
gboolean    lab_engine_from_string      (const char  *name,
                                         LabEngine   *engine);

/* The interpreter CPython runs use (looked up once; $LAB_PYTHON, else
 * /usr/bin/python3, else python3 on PATH): its path, and its
 * version in @version; NULL with one line for the student in @error when
 * there is none ("python3 is not installed …"). */
const char *lab_engine_get_python       (const char **version,
                                         GError     **error);

/* A run of @experiment (the model's descriptor) with @params on @engine.
 * For LAB_ENGINE_BOTH it is the model run, marked so that
 * lab_engine_runner_new_partner() makes the CPython run once it is done.
 * NULL and @error when CPython is asked for and there is none. */
LabRunner  *lab_engine_runner_new       (const LabExperiment *experiment,
                                         LabEngine            engine,
                                         const LabParams     *params,
                                         GError             **error);
/* The same, where CPython runs @code (the person's edited listing) in
 * place of the experiment's own; the model, which cannot run Python,
 * runs its own code. @code NULL is lab_engine_runner_new(). */
LabRunner  *lab_engine_runner_new_with_code (const LabExperiment *experiment,
                                             LabEngine            engine,
                                             const LabParams     *params,
                                             const char          *code,
                                             GError             **error);
/* The CPython run that follows @first, the model run of a "Both", with the
 * same parameters, the two linked as partners; NULL when @first is not
 * such a run or did not finish well (stopped, failed). */
LabRunner  *lab_engine_runner_new_partner (LabRunner *first);

/* Whether @run ran the listing on CPython. */
gboolean    lab_engine_run_is_cpython   (LabRunner *run);
/* Whether @run ran edited code rather than the experiment's listing. */
gboolean    lab_engine_run_is_edited    (LabRunner *run);
/* The other run of a "Both" pair, or NULL. Not a new reference. */
LabRunner  *lab_engine_run_get_partner  (LabRunner *run);
/* "Run 3", or with its engine when that is not the only one: "Run 4 ·
 * CPython", "Run 3 · Model" (the model half of a pair), "Run 5 · CPython
 * · edited" (edited code). */
char       *lab_engine_run_title        (LabRunner *run);
/* The engine badge of a history row: "Model", "CPython 3.11.2". */
char       *lab_engine_run_badge        (LabRunner *run);

/* A pair's card text "model 6 · CPython 7" ("—" for a missing side), and
 * in @differ whether the two disagree in shape: see
 * lab_engine_values_disagree(). */
char       *lab_engine_format_pair      (const LabMetricSpec *spec,
                                         GVariant            *model,
                                         GVariant            *cpython,
                                         gboolean            *differ);
/* The rule for highlighting a pair's card. Numbers disagree when one is
 * zero and the other is not, when their signs differ, or when the larger
 * is more than twice the smaller; booleans when they differ. Anything
 * else (text, lists, a missing side) is never highlighted: it cannot be
 * compared by size. */
gboolean    lab_engine_values_disagree  (GVariant *model,
                                         GVariant *cpython);

G_END_DECLS
