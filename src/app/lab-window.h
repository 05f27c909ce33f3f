/* lab-window.h — the main window: the experiments in a sidebar, one page
 * per experiment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lab-experiment-page.h"
#include "lab-program-page.h"
#include "lab-trace-page.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())
G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, AdwApplicationWindow)

LabWindow         *lab_window_new                 (GtkApplication *application);

/* Selects the experiment @id in the sidebar and returns its page (created
 * on first use), or NULL if there is no such experiment. */
LabExperimentPage *lab_window_show_experiment     (LabWindow  *self,
                                                   const char *id);
/* Selects the summary (the comparison tables) and returns its page. */
GtkWidget         *lab_window_show_summary        (LabWindow  *self);
/* The experiment page shown now (NULL while the summary is shown). */
LabExperimentPage *lab_window_get_current_page    (LabWindow  *self);
/* Whether any page has a run going. */
gboolean           lab_window_get_running         (LabWindow  *self);
/* Opens @file as a trace: a page and a sidebar row of its own, shown at
 * once, read on a thread (errors are shown on the page and in a toast). */
LabTracePage      *lab_window_open_trace          (LabWindow  *self,
                                                   GFile      *file);
/* The trace page shown now, or NULL. */
LabTracePage      *lab_window_get_current_trace_page (LabWindow *self);
/* Selects "Your Program" and returns its page (created on first use). */
LabProgramPage    *lab_window_show_program        (LabWindow  *self);
/* Shows a toast over the content. */
void               lab_window_add_toast           (LabWindow  *self,
                                                   const char *title);

G_END_DECLS
