/* lab-program-page-files.c — the program page's files: the one chosen,
 * the recently traced ones (GSettings), and the run exported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-open-dialog.h"
#include "lab-program-page-private.h"
#include "lab-run-history.h"

/* ---- recent files ---- */

static char **
recent_paths (LabProgramPage *self)
{
  if (self->settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (self->settings, LAB_PROGRAM_PAGE_RECENT_KEY);
}

void
lab_program_page_fill_recent (LabProgramPage *self)
{
  g_auto(GStrv) paths = recent_paths (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autofree char *where = g_filename_display_name (paths[i]);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (paths[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_sensitive (self->recent_button, paths[0] != NULL);
}

/* The file of a run goes first in the list; the list keeps the last ten. */
void
lab_program_page_remember (LabProgramPage *self,
          const char     *path)
{
  g_auto(GStrv) old = recent_paths (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < LAB_PROGRAM_PAGE_N_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, LAB_PROGRAM_PAGE_RECENT_KEY, (const char * const *) paths);
  lab_program_page_fill_recent (self);
}

void
lab_program_page_on_recent_activated (LabProgramPage *self,
                     GtkListBoxRow  *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  lab_program_page_set_file (self, file);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->recent_button));
}

/* ---- choosing the file ---- */

static void
open_chosen_program (gpointer  owner,
                     GFile    *file)
{
  lab_program_page_set_file (LAB_PROGRAM_PAGE (owner), file);
}

void
lab_program_page_on_choose_clicked (LabProgramPage *self)
{
  g_autoptr(GtkFileFilter) filter = lab_open_dialog_python_filter ();

  lab_open_dialog_show (GTK_WIDGET (self), _("Choose a Python Program"), filter,
                        open_chosen_program, self);
}

/* ---- export ---- */

gboolean
lab_program_page_export_to_file (LabProgramPage  *self,
                                 const char      *path,
                                 GError         **error)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), FALSE);

  if (self->run == NULL || lab_program_page_get_running (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no finished run to export"));
      return FALSE;
    }
  return lab_run_view_export (self->run_view, path, 1.0, error);
}

static void
on_export_response (GtkNativeDialog *native,
                    int              response,
                    LabProgramPage  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL && !lab_program_page_export_to_file (self, path, &error))
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      lab_program_page_show_error (self, text);
    }
  g_object_unref (native);
  g_object_unref (self);
}

void
lab_program_page_on_export (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  LabProgramPage *self = LAB_PROGRAM_PAGE (widget);
  const char *suffix = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  char *dot;

  if (self->run == NULL || lab_program_page_get_running (self))
    return;
  base = g_path_get_basename (lab_params_get_string (lab_runner_get_params (self->run), "program"));
  if ((dot = strrchr (base, '.')) != NULL)
    *dot = '\0';
  name = g_strdup_printf ("%s-run%u.%s", base, lab_run_get_index (self->run), suffix);
  native = gtk_file_chooser_native_new (_("Export Run"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_filter_set_name (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

GtkListBox *
lab_program_page_get_recent_list (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return self->recent_list;
}
