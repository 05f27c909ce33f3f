/* lab-experiments.c — the ordered table of every experiment.
 *
 * Like gtk4-demo's list of demos: each exp-<id>.c file defines one const
 * descriptor, and this table puts them in the order the window lists them,
 * grouped by topic (Threads, then Subprocess, then Multiprocessing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-experiments.h"

static const LabExperiment * const lab_experiments[] = {
  /* Threads */
  &lab_exp_threads_hello,
  &lab_exp_race_counter,
  &lab_exp_threads_cpu_sum,
  &lab_exp_threads_io_fetch,
  &lab_exp_producer_consumer,
  /* Subprocess */
  &lab_exp_subprocess_run,
  /* Multiprocessing */
  &lab_exp_process_isolation,
  &lab_exp_process_pool_map,
  &lab_exp_process_sum,
};

/**
 * lab_experiments_get_all:
 * @n_experiments: (out) (optional): where to store the number of entries
 *
 * Returns: (transfer none): every registered experiment, in list order
 */
const LabExperiment * const *
lab_experiments_get_all (guint *n_experiments)
{
  if (n_experiments != NULL)
    *n_experiments = G_N_ELEMENTS (lab_experiments);

  return lab_experiments;
}

/**
 * lab_experiments_find:
 * @id: a stable experiment id such as "race-counter"
 *
 * Returns: (nullable) (transfer none): the experiment with @id, or %NULL
 */
const LabExperiment *
lab_experiments_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (lab_experiments); i++)
    {
      if (strcmp (lab_experiments[i]->id, id) == 0)
        return lab_experiments[i];
    }

  return NULL;
}
