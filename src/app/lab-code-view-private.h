/* lab-code-view-private.h — what the files of LabCodeView share: the
 * editor (lab-code-view.c) and its files and unsaved-edits prompt
 * (lab-code-view-files.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "lab-code-view.h"

G_BEGIN_DECLS

struct _LabCodeView
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkWidget       *bar;
  GtkWidget       *bar_label;
  GtkWidget       *reset_button;
  GtkWidget       *overlay;
  GtkWidget       *scrolled;
  GtkSourceView   *view;
  GtkSourceBuffer *buffer;
  GtkTextTag      *error_tag;
  GtkWidget       *copy_button;

  char            *generated;     /* the listing for the current values */
  guint            error_line;    /* 1-based; 0 when nothing is marked */
  guint            setting : 1;   /* a change made here, not by typing */
  guint            edited : 1;
  guint            model_engine : 1;
  gulong           close_handler;
  GtkWindow       *close_window;  /* weak: whose close-request we watch */
};

/* Replaces the whole text without counting as an edit by the person. */
void lab_code_view_replace_text        (LabCodeView *self,
                                        const char  *text);
void lab_code_view_set_edited          (LabCodeView *self,
                                        gboolean     edited);
/* Emits "notice" (a toast on the page). */
void lab_code_view_notice              (LabCodeView *self,
                                        const char  *text);

/* lab-code-view-files.c */
void lab_code_view_open_clicked        (LabCodeView *self);
void lab_code_view_save_clicked        (LabCodeView *self);
/* Asks before the window closes with unsaved edits (on root), and stops
 * (on unroot, dispose). */
void lab_code_view_watch_close         (LabCodeView *self);
void lab_code_view_stop_watching_close (LabCodeView *self);

G_END_DECLS
