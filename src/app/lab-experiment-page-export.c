/* lab-experiment-page-export.c — saving the shown run as PNG, or its
 * events as a trace file (Chrome trace-event JSON) that opens again in the
 * window and in Perfetto
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lab-chrome-trace.h"
#include "lab-experiment-page-private.h"
#include "lab-export.h"

char *
lab_experiment_page_suggest_file_name (LabExperimentPage *self,
                                       double             scale)
{
  const LabExperiment *experiment;
  LabRunner *run;

  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), NULL);

  experiment = lab_experiment_page_get_experiment (self);
  run = lab_experiment_page_get_shown_run (self);
  if (lab_experiment_page_get_shown_sweep (self) != NULL)
    {
      LabSweep *sweep = lab_experiment_page_get_shown_sweep (self);

      return g_strdup_printf ("%s-sweep-%s%s.png", experiment->id, lab_sweep_get_key (sweep),
                              scale > 1.0 ? "@2x" : "");
    }
  if (run == NULL)
    return g_strdup_printf ("%s.png", experiment->id);

  return g_strdup_printf ("%s-run%u%s.png", experiment->id, lab_run_get_index (run),
                          scale > 1.0 ? "@2x" : "");
}

gboolean
lab_experiment_page_can_export (LabExperimentPage *self)
{
  LabRunner *run;
  LabRunState state;

  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  if (lab_experiment_page_get_running (self))
    return FALSE;
  if (lab_experiment_page_get_shown_sweep (self) != NULL)
    return TRUE;

  run = lab_experiment_page_get_shown_run (self);
  if (run == NULL)
    return FALSE;

  state = lab_runner_get_state (run);
  return state != LAB_RUN_RUNNING && state != LAB_RUN_READY;
}

gboolean
lab_experiment_page_can_export_trace (LabExperimentPage *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  /* A sweep's chart is not one run's events. */
  return lab_experiment_page_can_export (self) &&
         lab_experiment_page_get_shown_sweep (self) == NULL;
}

/* The sweep's speed-up chart as a slide, its range and parameters below the title. */
static gboolean
export_sweep_chart (LabExperimentPage  *self,
                    const char         *path,
                    double              scale,
                    GError            **error)
{
  const LabExperiment *experiment = lab_experiment_page_get_experiment (self);
  LabRunView *run_view = lab_experiment_page_get_run_view (self);
  LabChart *chart = lab_bar_chart_get_chart (lab_run_view_get_chart (run_view));
  g_autofree char *subtitle = lab_sweep_describe (lab_experiment_page_get_shown_sweep (self));
  LabExportOptions options;

  if (chart == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no finished run to export"));
      return FALSE;
    }

  lab_export_options_init (&options);
  options.scale = scale;
  options.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  options.subtitle = subtitle;

  return lab_export_chart (chart, _(experiment->title), path, &options, error);
}

gboolean
lab_experiment_page_export_to_file (LabExperimentPage  *self,
                                    const char         *path,
                                    double              scale,
                                    GError            **error)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  if (lab_chrome_trace_is_path (path) ? !lab_experiment_page_can_export_trace (self)
                                       : !lab_experiment_page_can_export (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no finished run to export"));
      return FALSE;
    }

  if (lab_experiment_page_get_shown_sweep (self) != NULL)
    return export_sweep_chart (self, path, scale, error);

  /* A .json path writes the run's trace (lab_export_run() follows the
   * extension). */
  return lab_run_view_export (lab_experiment_page_get_run_view (self), path, scale, error);
}

/* The image that Export PNG would save, put on the clipboard as a texture:
 * the exporter writes files, so it goes through a private temporary one. */
gboolean
lab_experiment_page_copy_image (LabExperimentPage  *self,
                                GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (LAB_IS_EXPERIMENT_PAGE (self), FALSE);

  if (!lab_experiment_page_can_export (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no finished run to copy"));
      return FALSE;
    }

  fd = g_file_open_tmp ("concurrency-lab-copy-XXXXXX.png", &path, error);
  if (fd < 0)
    return FALSE;
  close (fd);

  ok = lab_experiment_page_export_to_file (self, path, 1.0, error);
  if (ok)
    texture = gdk_texture_new_from_filename (path, error);
  g_unlink (path);
  if (texture == NULL)
    return FALSE;

  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  return TRUE;
}

/* Ctrl+C where the run is shown (the timeline or a chart has the focus)
 * copies its image; text fields keep Ctrl+C for their text, since they
 * take the key before it bubbles up to here. */
void
lab_experiment_page_setup_copy (LabExperimentPage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>c"),
                                                          gtk_named_action_new ("win.copy-image")));
  gtk_widget_add_controller (GTK_WIDGET (self->run_view), controller);
}

static void
on_export_response (GtkNativeDialog   *native,
                    int                response,
                    LabExperimentPage *self)
{
  double scale = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (native), "scale"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  if (file != NULL)
    path = g_file_get_path (file);

  if (path == NULL)
    ;
  else if (lab_experiment_page_export_to_file (self, path, scale, &error))
    {
      g_autofree char *basename = g_file_get_basename (file);

      /* Translators: a toast after exporting; %s is the file name */
      text = g_strdup_printf (_("Saved “%s”"), basename);
      lab_experiment_page_toast (self, text);
    }
  else
    {
      /* Translators: a toast; %s is the reason */
      text = g_strdup_printf (_("Could not export: %s"), error->message);
      lab_experiment_page_toast (self, text);
    }

  g_object_unref (native);
  g_object_unref (self);
}

static void
ask_file_name (LabExperimentPage *self,
               const char        *title,
               const char        *filter_name,
               const char        *mime_type,
               const char        *suffix,
               const char        *name,
               guint              scale)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_object_set_data (G_OBJECT (native), "scale", GUINT_TO_POINTER (scale));
  g_signal_connect (native, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
lab_experiment_page_export (LabExperimentPage *self,
                            double             scale)
{
  g_autofree char *name = NULL;

  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  if (!lab_experiment_page_can_export (self))
    return;

  name = lab_experiment_page_suggest_file_name (self, scale);
  ask_file_name (self, scale > 1.0 ? _("Export Run as PNG (2× Size)") : _("Export Run as PNG"),
                 _("PNG images"), "image/png", "png", name, scale > 1.0 ? 2 : 1);
}

void
lab_experiment_page_export_trace (LabExperimentPage *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (LAB_IS_EXPERIMENT_PAGE (self));

  if (!lab_experiment_page_can_export_trace (self))
    return;

  name = g_strdup_printf ("%s-run%u.json", lab_experiment_page_get_experiment (self)->id,
                          lab_run_get_index (lab_experiment_page_get_shown_run (self)));
  ask_file_name (self, _("Export Run as Trace"),
                 _("Trace files (Chrome trace-event JSON)"), "application/json", "json", name, 1);
}
