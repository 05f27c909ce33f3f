/* lab-run-watch.h — how a run's panel holds on to the run it shows.
 *
 * The request table and the process boxes both show data a run has only
 * once it finished. A LabRunWatch, embedded in the panel, keeps the runner,
 * calls the panel's refresh at once and again on "finished" when the run
 * was still going, and hands out the metrics that feed the panel: those
 * the run's experiment declares for a panel of the panel's kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-runner.h"

G_BEGIN_DECLS

typedef struct
{
  LabRunner    *runner;
  gulong        finished_handler;
  LabPanelKind  kind;
} LabRunWatch;

/* The panel's refresh: reads the watch and rebuilds what it shows. */
typedef void (*LabRunWatchFunc) (gpointer panel);

/* Watches @runner (NULL: none) for a panel of @kind; calls @refresh
 * (@panel) now, and once more when a run that has not ended finishes. */
void      lab_run_watch_set    (LabRunWatch     *watch,
                                LabPanelKind     kind,
                                LabRunner       *runner,
                                LabRunWatchFunc  refresh,
                                gpointer         panel);
/* Drops the runner (for dispose). */
void      lab_run_watch_clear  (LabRunWatch     *watch);

/* The value of panel key @index (see LabPanel) in the run's metrics if it
 * has type @type; NULL if there is no such value, no finished run, or the
 * run's experiment wants another panel. Caller unrefs. */
GVariant *lab_run_watch_lookup (LabRunWatch        *watch,
                                guint               index,
                                const GVariantType *type);
/* The words for a value of the panel's text column (see LabPanel). */
const char *lab_run_watch_get_label (LabRunWatch *watch,
                                     const char  *value);

G_END_DECLS
