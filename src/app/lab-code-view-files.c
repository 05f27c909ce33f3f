/* lab-code-view-files.c — the code tab's files: Open… and Save… on .py
 * files, and the question a window with unsaved edits asks before it
 * closes (Save / Discard / Cancel).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include <adwaita.h>

#include "lab-code-view-private.h"
#include "lab-open-dialog.h"

/* ---- files ---- */

gboolean
lab_code_view_open_file (LabCodeView  *self,
                         GFile        *file,
                         GError      **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  const char *bad = NULL;
  gsize length;

  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;
  name = g_file_get_basename (file);
  /* The editor keeps what it has: a file it cannot show as text must not
   * cost the person their edits. */
  if (!g_utf8_validate_len (contents, length, &bad) || memchr (contents, '\0', length) != NULL)
    {
      guint line = 1;

      for (const char *p = contents; bad != NULL && p < bad; p++)
        line += *p == '\n';
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name, %u a line number */
                   _("“%s” is not UTF-8 text (line %u): save it as UTF-8 and open it again"),
                   name, line);
      return FALSE;
    }
  lab_code_view_replace_text (self, contents);
  lab_code_view_set_edited (self, TRUE);
  return TRUE;
}

gboolean
lab_code_view_save_to_file (LabCodeView  *self,
                            GFile        *file,
                            GError      **error)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error))
    return FALSE;
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  return TRUE;
}

static void
on_open_chosen (gpointer  owner,
                GFile    *file)
{
  LabCodeView *self = owner;
  g_autoptr(GError) error = NULL;

  if (!lab_code_view_open_file (self, file, &error))
    lab_code_view_notice (self, error->message);
}

void
lab_code_view_open_clicked (LabCodeView *self)
{
  g_autoptr(GtkFileFilter) filter = lab_open_dialog_python_filter ();

  lab_open_dialog_show (GTK_WIDGET (self), _("Open a Python Program"), filter,
                        on_open_chosen, self);
}

/* Saved, and then whatever the save was for (closing the window). */
static gboolean
save_and_say (LabCodeView *self,
              GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (!lab_code_view_save_to_file (self, file, &error))
    {
      /* Translators: a toast; %s is the reason */
      text = g_strdup_printf (_("Could not save: %s"), error->message);
      lab_code_view_notice (self, text);
      return FALSE;
    }
  /* Translators: a toast; %s is a file name */
  text = g_strdup_printf (_("Saved “%s”"), name);
  lab_code_view_notice (self, text);
  return TRUE;
}

static void
on_save_chosen (gpointer  owner,
                GFile    *file)
{
  save_and_say (owner, file);
}

static void
show_save_dialog (LabCodeView *self,
                  LabOpenFunc  func)
{
  g_autoptr(GtkFileFilter) filter = lab_open_dialog_python_filter ();

  lab_save_dialog_show (GTK_WIDGET (self), _("Save the Python Program"), filter,
                        "program.py", func, self);
}

void
lab_code_view_save_clicked (LabCodeView *self)
{
  show_save_dialog (self, on_save_chosen);
}

/* ---- unsaved edits when the window closes ---- */

gboolean
lab_code_view_get_unsaved (LabCodeView *self)
{
  g_return_val_if_fail (LAB_IS_CODE_VIEW (self), FALSE);

  return self->edited && gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
}

static void
close_root (LabCodeView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_close (GTK_WINDOW (root));
}

static void
on_save_then_close (gpointer  owner,
                    GFile    *file)
{
  if (save_and_say (owner, file))
    close_root (owner);
}

static void
on_unsaved_response (AdwMessageDialog *dialog,
                     const char       *response,
                     LabCodeView      *self)
{
  if (g_strcmp0 (response, "save") == 0)
    show_save_dialog (self, on_save_then_close);
  else if (g_strcmp0 (response, "discard") == 0)
    {
      gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
      close_root (self);
    }
}

static gboolean
on_close_request (LabCodeView *self,
                  GtkWindow   *window)
{
  GtkWidget *dialog;

  if (!lab_code_view_get_unsaved (self))
    return FALSE;

  dialog = adw_message_dialog_new (window, _("Save Your Edited Code?"),
                                   _("The code tab holds edits that are not saved in a file. "
                                     "Closing the window loses them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

void
lab_code_view_watch_close (LabCodeView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!GTK_IS_WINDOW (root))
    return;
  self->close_window = GTK_WINDOW (root);
  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &self->close_window);
  self->close_handler = g_signal_connect_swapped (root, "close-request",
                                                  G_CALLBACK (on_close_request), self);
}

void
lab_code_view_stop_watching_close (LabCodeView *self)
{
  if (self->close_window != NULL)
    {
      g_clear_signal_handler (&self->close_handler, self->close_window);
      g_object_remove_weak_pointer (G_OBJECT (self->close_window), (gpointer *) &self->close_window);
      self->close_window = NULL;
    }
}
