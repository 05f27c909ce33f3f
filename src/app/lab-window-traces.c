/* lab-window-traces.c — traces in the window: the "Your Program" page
 * (any Python file run under the tracer, one row after the experiments),
 * and trace files: Open Trace…, files dropped on the window or given on
 * the command line, each a page with a sidebar row of its own (under
 * "Trace Files") until it is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-open-dialog.h"
#include "lab-window-private.h"

/* "Your Program" and then the opened traces sit at the end of the
 * sidebar, each under its own header. */
gboolean
lab_window_update_trace_header (GtkListBoxRow *row,
                     GtkListBoxRow *before)
{
  GtkWidget *header;
  gboolean program = g_object_get_data (G_OBJECT (row), "program-row") != NULL;

  if (!program && g_object_get_data (G_OBJECT (row), "trace-page") == NULL)
    return FALSE;
  if (!program && before != NULL && g_object_get_data (G_OBJECT (before), "trace-page") != NULL)
    {
      gtk_list_box_row_set_header (row, NULL);
      return TRUE;
    }
  header = gtk_label_new (program ? _("Your Code") : _("Trace Files"));
  gtk_label_set_xalign (GTK_LABEL (header), 0.0f);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_add_css_class (header, "sidebar-topic");
  gtk_list_box_row_set_header (row, header);
  return TRUE;
}

static GtkListBoxRow *
find_trace_row (LabWindow    *self,
                LabTracePage *page)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (lab_window_get_sidebar (self), i)) != NULL; i++)
    if (g_object_get_data (G_OBJECT (row), "trace-page") == page)
      return row;
  return NULL;
}

void
lab_window_show_trace_page (LabWindow    *self,
                            LabTracePage *page)
{
  GtkListBox *sidebar = lab_window_get_sidebar (self);
  GtkListBoxRow *row = find_trace_row (self, page);

  if (row != NULL && gtk_list_box_get_selected_row (sidebar) != row)
    {
      gtk_list_box_select_row (sidebar, row);
      return; /* selecting the row comes back here */
    }
  lab_window_show_page (self, GTK_WIDGET (page), lab_trace_page_get_title (page), _("Trace file"));
}

LabTracePage *
lab_window_get_current_trace_page (LabWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  child = gtk_stack_get_visible_child (lab_window_get_stack (self));

  return child != NULL && LAB_IS_TRACE_PAGE (child) ? LAB_TRACE_PAGE (child) : NULL;
}

static void
close_trace_page (LabWindow    *self,
                  LabTracePage *page)
{
  GtkListBoxRow *row = find_trace_row (self, page);
  gboolean shown = lab_window_get_current_trace_page (self) == page;

  if (row != NULL)
    gtk_list_box_remove (lab_window_get_sidebar (self), GTK_WIDGET (row));
  gtk_stack_remove (lab_window_get_stack (self), GTK_WIDGET (page));
  if (shown)
    lab_window_show_summary (self);
}

static void
on_trace_state (LabTracePage *page,
                GParamSpec   *pspec,
                LabWindow    *self)
{
  g_autofree char *text = NULL;

  switch (lab_trace_page_get_state (page))
    {
    case LAB_TRACE_PAGE_FAILED:
      /* The page says why; the toast reaches a user looking elsewhere. */
      /* Translators: a toast; %s is a file name */
      text = g_strdup_printf (_("Could not open “%s”"), lab_trace_page_get_title (page));
      lab_window_add_toast (self, text);
      break;
    case LAB_TRACE_PAGE_CANCELLED:
      /* Translators: a toast; %s is a file name */
      text = g_strdup_printf (_("Stopped reading “%s”"), lab_trace_page_get_title (page));
      lab_window_add_toast (self, text);
      close_trace_page (self, page);
      break;
    case LAB_TRACE_PAGE_READING:
    case LAB_TRACE_PAGE_SHOWN:
    default:
      break;
    }
}

static gboolean
focus_row_idle (gpointer data)
{
  GtkWidget *row = data;

  if (gtk_widget_get_root (row) != NULL)
    gtk_widget_grab_focus (row);
  return G_SOURCE_REMOVE;
}

LabTracePage *
lab_window_open_trace (LabWindow *self,
                       GFile     *file)
{
  GtkWidget *page;
  GtkWidget *row;
  g_autofree char *where = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  page = lab_trace_page_new (file);
  g_signal_connect_object (page, "notify::state", G_CALLBACK (on_trace_state), self, 0);
  gtk_stack_add_child (lab_window_get_stack (self), page);

  row = lab_window_create_row (lab_trace_page_get_title (LAB_TRACE_PAGE (page)), _("Trace file"));
  where = g_file_get_parse_name (file);
  gtk_widget_set_tooltip_text (row, where);
  g_object_set_data (G_OBJECT (row), "trace-page", page);
  gtk_list_box_append (lab_window_get_sidebar (self), row);
  lab_window_show_trace_page (self, LAB_TRACE_PAGE (page));
  /* The row is last, often below the fold: focusing it scrolls there,
   * once it has its place in the list. */
  g_idle_add_full (G_PRIORITY_LOW, focus_row_idle, g_object_ref (row), g_object_unref);
  return LAB_TRACE_PAGE (page);
}

static void
on_close_trace (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabTracePage *page = lab_window_get_current_trace_page (self);

  if (page != NULL)
    close_trace_page (self, page);
}

static void
open_chosen_trace (gpointer  owner,
                   GFile    *file)
{
  lab_window_open_trace (LAB_WINDOW (owner), file);
}

static void
on_open_trace (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Trace files (Chrome trace-event JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  lab_open_dialog_show (GTK_WIDGET (self), _("Open Trace"), filter, open_chosen_trace, self);
}

/* Files dropped on the window open as traces; what is not one says so. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LabWindow     *self)
{
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      lab_window_open_trace (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = files; l != NULL; l = l->next)
        lab_window_open_trace (self, l->data);
      g_slist_free (files);
      return files != NULL;
    }
  return FALSE;
}

/* ---- "Your Program" ---- */

static GtkListBoxRow *
find_program_row (LabWindow *self)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (lab_window_get_sidebar (self), i)) != NULL; i++)
    if (g_object_get_data (G_OBJECT (row), "program-row") != NULL)
      return row;
  return NULL;
}

static LabProgramPage *
get_program_page (LabWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (lab_window_get_stack (self), "program");

  return page != NULL ? LAB_PROGRAM_PAGE (page) : NULL;
}

static LabProgramPage *
ensure_program_page (LabWindow *self)
{
  GtkWidget *page = GTK_WIDGET (get_program_page (self));

  if (page == NULL)
    {
      page = lab_program_page_new ();
      g_signal_connect_object (page, "notify::running", G_CALLBACK (lab_window_page_changed),
                               self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (lab_window_get_stack (self), page, "program");
    }
  return LAB_PROGRAM_PAGE (page);
}

void
lab_window_setup_program (LabWindow *self)
{
  GtkWidget *row = lab_window_create_row (_("Your Program"),
                                          _("Any Python file, traced: its threads, processes and output"));

  g_object_set_data (G_OBJECT (row), "program-row", GINT_TO_POINTER (TRUE));
  gtk_list_box_append (lab_window_get_sidebar (self), row);
}

gboolean
lab_window_select_program (LabWindow     *self,
                           GtkListBoxRow *row)
{
  LabProgramPage *page;
  GFile *file;
  g_autofree char *name = NULL;

  if (g_object_get_data (G_OBJECT (row), "program-row") == NULL)
    return FALSE;
  page = ensure_program_page (self);
  file = lab_program_page_get_file (page);
  name = file != NULL ? g_file_get_basename (file) : NULL;
  lab_window_show_page (self, GTK_WIDGET (page), _("Your Program"),
                        name != NULL ? name : _("Any Python file"));
  return TRUE;
}

LabProgramPage *
lab_window_show_program (LabWindow *self)
{
  GtkListBox *sidebar;
  GtkListBoxRow *row;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  sidebar = lab_window_get_sidebar (self);
  row = find_program_row (self);
  if (row != NULL && gtk_list_box_get_selected_row (sidebar) != row)
    gtk_list_box_select_row (sidebar, row);
  else if (row != NULL)
    lab_window_select_program (self, row);
  return ensure_program_page (self);
}

gboolean
lab_window_get_program_running (LabWindow *self)
{
  LabProgramPage *page = get_program_page (self);

  return page != NULL && lab_program_page_get_running (page);
}

void
lab_window_stop_program (LabWindow *self)
{
  LabProgramPage *page = get_program_page (self);

  if (page != NULL)
    lab_program_page_stop (page);
}

static LabProgramPage *
get_shown_program_page (LabWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (lab_window_get_stack (self));

  return child != NULL && LAB_IS_PROGRAM_PAGE (child) ? LAB_PROGRAM_PAGE (child) : NULL;
}

void
lab_window_update_program_actions (LabWindow *self)
{
  LabProgramPage *page = get_shown_program_page (self);
  GAction *run = g_action_map_lookup_action (G_ACTION_MAP (self), "run");
  GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self), "stop");
  gboolean running;

  if (page == NULL || run == NULL || stop == NULL)
    return;
  running = lab_program_page_get_running (page);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (run), !running && gtk_widget_get_visible (GTK_WIDGET (self)));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), running);
}

gboolean
lab_window_program_action (LabWindow  *self,
                           const char *name)
{
  LabProgramPage *page = get_shown_program_page (self);

  if (page == NULL)
    return FALSE;
  if (g_str_equal (name, "run"))
    lab_program_page_run (page);
  else if (g_str_equal (name, "stop"))
    lab_program_page_stop (page);
  return TRUE;
}

static const GActionEntry trace_actions[] = {
  { .name = "open-trace", .activate = on_open_trace },
  { .name = "close-trace", .activate = on_close_trace },
};

void
lab_window_setup_traces (LabWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  g_action_map_add_action_entries (G_ACTION_MAP (self), trace_actions,
                                   G_N_ELEMENTS (trace_actions), self);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
