/* lab-window-private.h — shared by the window's own source files
 * (lab-window.c, -settings.c, -present.c and -traces.c) only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

struct _LabWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwLeaflet           *leaflet;
  GtkWidget            *content_box;
  GtkListBox           *experiment_list;
  AdwWindowTitle       *content_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkWidget            *sidebar_box;
  GtkWidget            *sidebar_separator;
  GtkMenuButton        *primary_menu_button;
  AdwHeaderBar         *content_header;

  /* presentation mode and text size */
  GtkWidget            *present_menu_button; /* the menu, while the sidebar is hidden */
  GtkWidget            *text_size_rows[2];   /* in the two menus */
  GtkCssProvider       *text_css;
  char                 *css_name;
  double                text_scale;    /* as chosen (and stored) */
  gboolean              presentation;
  gboolean              was_fullscreen; /* before presentation mode */
  gboolean              saw_fullscreen; /* the window manager made it so */

  GSettings            *settings;      /* NULL if the schema is not installed */
  GVariant             *stored_params; /* a{sa{sv}} as loaded */
  gboolean              closing;       /* waiting for runs to stop */
  gboolean              destroy_queued;
};

/* lab-window.c */
/* Enables or disables the window action @name. */
void        lab_window_set_action_enabled (LabWindow  *self,
                                           const char *name,
                                           gboolean    enabled);
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

/* lab-window-settings.c */
/* Whether the settings have @key (FALSE without the schema). */
gboolean    lab_window_has_setting   (LabWindow  *self,
                                      const char *key);
/* Size, maximized, the stored parameters: before the pages exist. */
void        lab_window_load_settings (LabWindow  *self);
/* Size, the page shown, every page's parameters: on closing. */
void        lab_window_save_settings (LabWindow  *self);

/* lab-window-present.c */
/* The actions presentation, text-larger, -smaller and -reset, the text
 * size rows of the menus, Escape; the stored text size. */
void        lab_window_setup_presentation   (LabWindow         *self);
/* Gives a new @page the window's presentation mode and text size. */
void        lab_window_apply_presentation   (LabWindow         *self,
                                             LabExperimentPage *page);
void        lab_window_dispose_presentation (LabWindow         *self);

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
