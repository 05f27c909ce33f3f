/* lab-program-page.h — "Your Program": any Python file run from the window
 * under the tracer and the sampler, shown on the same timeline as an
 * experiment, with its output, its numbers and Python's own error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-run-view.h"

G_BEGIN_DECLS

/* How much of the program's output the page keeps: the last this many
 * bytes; what came before is counted and said, not shown. */
#define LAB_PROGRAM_PAGE_OUTPUT_KEEP (64 * 1024)
/* How many recently traced files are remembered. */
#define LAB_PROGRAM_PAGE_N_RECENT 10

#define LAB_TYPE_PROGRAM_PAGE (lab_program_page_get_type ())
G_DECLARE_FINAL_TYPE (LabProgramPage, lab_program_page, LAB, PROGRAM_PAGE, GtkWidget)

GtkWidget   *lab_program_page_new             (void);

/* The file to run (NULL: none chosen yet). */
void         lab_program_page_set_file        (LabProgramPage *self,
                                               GFile          *file);
GFile       *lab_program_page_get_file        (LabProgramPage *self);
/* The arguments as typed: split like a shell does when the run starts. */
void         lab_program_page_set_arguments   (LabProgramPage *self,
                                               const char     *text);
/* The interpreter ("" or NULL: python3, as the command line finds it). */
void         lab_program_page_set_python      (LabProgramPage *self,
                                               const char     *python);

/* Starts a run of the chosen file; a problem found before it starts (no
 * file, bad quoting) is shown on the page. */
void         lab_program_page_run             (LabProgramPage *self);
/* Kills every process of the running program; "notify::running" follows. */
void         lab_program_page_stop            (LabProgramPage *self);
gboolean     lab_program_page_get_running     (LabProgramPage *self);

/* What the page shows, for tests and the window. */
LabRunner   *lab_program_page_get_run         (LabProgramPage *self);
LabRunView  *lab_program_page_get_run_view    (LabProgramPage *self);
/* The error line ("" when none) and the metrics line. */
const char  *lab_program_page_get_error_text  (LabProgramPage *self);
const char  *lab_program_page_get_metrics_text (LabProgramPage *self);
/* The output shown (caller frees) and how much of it was dropped. */
char        *lab_program_page_dup_output      (LabProgramPage *self);
guint64      lab_program_page_get_dropped_bytes (LabProgramPage *self);
/* The recent files' list box: one row per file, newest first. */
GtkListBox  *lab_program_page_get_recent_list (LabProgramPage *self);
/* Writes the shown run; the format follows the extension (.png, .svg,
 * .pdf, .json). */
gboolean     lab_program_page_export_to_file  (LabProgramPage *self,
                                               const char     *path,
                                               GError        **error);

G_END_DECLS
