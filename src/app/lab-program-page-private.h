/* lab-program-page-private.h — shared by the files of LabProgramPage
 * only: the run (lab-program-page.c), its bounded output
 * (lab-program-page-output.c), and its files: choosing, recent, export
 * (lab-program-page-files.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lab-program-page.h"

G_BEGIN_DECLS

#define LAB_PROGRAM_PAGE_RECENT_KEY "recent-programs"

struct _LabProgramPage
{
  GtkWidget          parent_instance;

  /* template children */
  GtkLabel          *file_label;
  GtkEntry          *args_entry;
  GtkStack          *run_stop_stack;
  GtkListBox        *recent_list;
  GtkWidget         *recent_button;
  GtkLabel          *error_label;
  GtkLabel          *metrics_label;
  LabRunView        *run_view;
  GtkTextView       *output_view;
  GtkLabel          *dropped_label;
  GtkWidget         *export_button;

  GSettings         *settings;  /* NULL if the schema is not installed */
  GFile             *file;
  char              *python;
  LabRunner         *run;       /* the shown run, running or not */
  guint              n_runs;
  guint              tick_id;

  /* The output shown: the byte length of each line kept, oldest first. */
  GQueue             kept_lines;
  gsize              kept_bytes;
  guint              n_output_seen; /* output lines of the trace consumed */
  gint64             last_ts_ns;    /* and the last of them, to notice */
  guint32            last_label;    /* a late line sorted in before it */
  guint64            dropped_bytes;
  guint64            dropped_lines;
  GtkTextTag        *stderr_tag;
};

/* lab-program-page.c */
/* Shows @text (NULL or "": nothing) as the page's error line. */
void lab_program_page_show_error             (LabProgramPage *self,
                                              const char     *text);

/* lab-program-page-output.c */
void lab_program_page_clear_output           (LabProgramPage *self);
/* Takes in the lines the run's trace got since the last call. */
void lab_program_page_update_output          (LabProgramPage *self);

/* lab-program-page-files.c */
/* The recent list from the settings; @path first in it. */
void lab_program_page_fill_recent            (LabProgramPage *self);
void lab_program_page_remember               (LabProgramPage *self,
                                              const char     *path);
/* Template callbacks and the "program.export" action. */
void lab_program_page_on_recent_activated    (LabProgramPage *self,
                                              GtkListBoxRow  *row);
void lab_program_page_on_choose_clicked      (LabProgramPage *self);
void lab_program_page_on_export              (GtkWidget      *widget,
                                              const char     *action_name,
                                              GVariant       *parameter);

G_END_DECLS
