/* lab-experiments.h — the registry of every experiment (like gtk4-demo's
 * list of demos): one descriptor per exp-<id>.c file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment.h"

G_BEGIN_DECLS

/* The `gil` switch of every experiment whose threads stand for Python
 * threads (see lab-interp.h): one spec, so they all read the same. */
#define LAB_EXPERIMENT_GIL_PARAM                                                  \
  {                                                                               \
    .kind = LAB_PARAM_BOOL,                                                       \
    .key = "gil",                                                                 \
    .label = N_("GIL (CPython 3.11)"),                                            \
    .tooltip = N_("On: one thread at a time runs Python, as in CPython 3.11. "    \
                  "Off: free-threaded, as in CPython 3.13t"),                     \
    .def_bool = TRUE,                                                             \
  }

/* In list order (grouped by topic). */
const LabExperiment * const *lab_experiments_get_all (guint *n_experiments);
const LabExperiment         *lab_experiments_find    (const char *id);

/* One per file in src/experiments/. */
extern const LabExperiment lab_exp_threads_hello;
extern const LabExperiment lab_exp_race_counter;
extern const LabExperiment lab_exp_threads_cpu_sum;
extern const LabExperiment lab_exp_threads_io_fetch;
extern const LabExperiment lab_exp_producer_consumer;
extern const LabExperiment lab_exp_subprocess_run;
extern const LabExperiment lab_exp_process_isolation;
extern const LabExperiment lab_exp_process_pool_map;
extern const LabExperiment lab_exp_process_sum;

G_END_DECLS
