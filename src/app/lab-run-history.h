/* lab-run-history.h — the runs of one experiment: one row per run, and a
 * side-by-side table of the runs selected for comparison.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-runner.h"

G_BEGIN_DECLS

#define LAB_TYPE_RUN_HISTORY (lab_run_history_get_type ())
G_DECLARE_FINAL_TYPE (LabRunHistory, lab_run_history, LAB, RUN_HISTORY, GtkWidget)

GtkWidget *lab_run_history_new            (void);

/* @runs: a list of LabRunner, newest first. */
void       lab_run_history_set_runs       (LabRunHistory *self,
                                           GListModel    *runs);
/* Selects only @run (no "run-selected" emission). */
void       lab_run_history_select_run     (LabRunHistory *self,
                                           LabRunner     *run);
/* Selects the runs at @positions (compares them when two or more). */
void       lab_run_history_select_positions (LabRunHistory *self,
                                             const guint   *positions,
                                             guint          n_positions);
/* Number of runs side by side in the comparison table (0 = none shown). */
guint      lab_run_history_get_n_compared (LabRunHistory *self);
/* The bars of the compared runs' times, or NULL (tests). */
LabChart  *lab_run_history_get_compare_chart (LabRunHistory *self);
/* What the comparison pane says when fewer than two runs are selected (tests). */
const char *lab_run_history_get_hint      (LabRunHistory *self);

/* How many of the newest runs keep their timeline (1–1000, 20 by default;
 * follows the "history-timelines" setting when the schema is installed). */
void       lab_run_history_set_kept_timelines (LabRunHistory *self,
                                               guint          n);
guint      lab_run_history_get_kept_timelines (LabRunHistory *self);

/* The number of a run within its experiment ("Run 3"). */
void       lab_run_set_index              (LabRunner *run,
                                           guint      index);
guint      lab_run_get_index              (LabRunner *run);
/* "Done", "Failed", ... (translated). */
const char *lab_run_state_to_label        (LabRunState state);

G_END_DECLS
