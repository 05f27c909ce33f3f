/* lab-window-private.h — shared by the window's own source files
 * (lab-window.c and lab-window-traces.c) only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

/* lab-window.c */
GtkStack   *lab_window_get_stack   (LabWindow  *self);
GtkListBox *lab_window_get_sidebar (LabWindow  *self);
/* A sidebar row: a title and a summary below it. */
GtkWidget  *lab_window_create_row  (const char *title,
                                    const char *summary);
/* Shows @page (a child of the stack) with its title and updates the actions. */
void        lab_window_show_page   (LabWindow  *self,
                                    GtkWidget  *page,
                                    const char *title,
                                    const char *subtitle);
/* A page's run started or ended: the actions follow, and a closing
 * window goes once nothing runs. */
void        lab_window_page_changed (LabWindow *self);

/* lab-window-traces.c */
/* The actions open-trace and close-trace, and the drop target. */
void        lab_window_setup_traces        (LabWindow     *self);
/* Sets the "Trace Files" header of a trace row; FALSE if @row is not one. */
gboolean    lab_window_update_trace_header (GtkListBoxRow *row,
                                            GtkListBoxRow *before);
void        lab_window_show_trace_page     (LabWindow     *self,
                                            LabTracePage  *page);
/* The "Your Program" row, appended after the experiments. */
void        lab_window_setup_program       (LabWindow     *self);
/* Shows the program page if @row is its row; FALSE otherwise. */
gboolean    lab_window_select_program      (LabWindow     *self,
                                            GtkListBoxRow *row);
gboolean    lab_window_get_program_running (LabWindow     *self);
/* Kills the running program, if any (closing the window). */
void        lab_window_stop_program        (LabWindow     *self);
/* While "Your Program" is shown, the window's Run and Stop (Ctrl+R,
 * Escape) act on it: their enabled state, and the action itself (TRUE
 * if it was the page's). */
void        lab_window_update_program_actions (LabWindow  *self);
gboolean    lab_window_program_action      (LabWindow     *self,
                                            const char    *name);

G_END_DECLS
