/* lab-open-dialog.c — one file to open or to save, asked for the same way
 * everywhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-open-dialog.h"

typedef struct
{
  LabOpenFunc  func;
  GObject     *owner;
} Request;

static void
request_finish (Request *request,
                GFile   *file)
{
  if (file != NULL)
    request->func (request->owner, file);
  g_object_unref (request->owner);
  g_free (request);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_open_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  request_finish (data, file);
}

static void
on_save_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  request_finish (data, file);
}
#else
static void
on_open_response (GtkNativeDialog *native,
                  int              response,
                  Request         *request)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  request_finish (request, file);
  g_object_unref (native);
}
#endif

/* Open and Save differ in the chooser's action, its button and, for a
 * save, the name it proposes. */
static void
show_dialog (GtkWidget     *widget,
             const char    *title,
             GtkFileFilter *filter,
             const char    *save_name,
             LabOpenFunc    func,
             gpointer       owner)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  Request *request = g_new0 (Request, 1);

  request->func = func;
  request->owner = g_object_ref (owner);
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_default_filter (dialog, filter);
    if (save_name != NULL)
      {
        gtk_file_dialog_set_initial_name (dialog, save_name);
        gtk_file_dialog_save (dialog, parent, NULL, on_save_done, request);
      }
    else
      gtk_file_dialog_open (dialog, parent, NULL, on_open_done, request);
  }
#else
  {
    GtkFileChooserNative *native;

    if (save_name != NULL)
      native = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                            _("_Save"), _("_Cancel"));
    else
      native = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                            _("_Open"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    if (save_name != NULL)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), save_name);
    g_signal_connect (native, "response", G_CALLBACK (on_open_response), request);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}

GtkFileFilter *
lab_open_dialog_python_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_filter_add_mime_type (filter, "text/x-python");
  gtk_file_filter_add_mime_type (filter, "text/x-python3");
  return filter;
}

void
lab_open_dialog_show (GtkWidget     *widget,
                      const char    *title,
                      GtkFileFilter *filter,
                      LabOpenFunc    func,
                      gpointer       owner)
{
  show_dialog (widget, title, filter, NULL, func, owner);
}

void
lab_save_dialog_show (GtkWidget     *widget,
                      const char    *title,
                      GtkFileFilter *filter,
                      const char    *name,
                      LabOpenFunc    func,
                      gpointer       owner)
{
  g_return_if_fail (name != NULL);

  show_dialog (widget, title, filter, name, func, owner);
}
