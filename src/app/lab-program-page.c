/* lab-program-page.c — "Your Program": a Python file of the student's own,
 * run from the window under the tracer and the sampler.
 *
 * The run is an ordinary LabRunner of the program descriptor
 * (lab_py_program_get_experiment()): its thread, its Stop (which kills the
 * program's whole process group), its trace and its export are those of
 * every experiment, and the run view shows it. What is the page's own is
 * what a program of unknown size needs: its output is kept bounded (the
 * last LAB_PROGRAM_PAGE_OUTPUT_KEEP bytes, and a line that says how much
 * was dropped: lab-program-page-output.c), and its problems are one line
 * of words on the page. Its files (chosen, recent, exported) are in
 * lab-program-page-files.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-application.h"
#include "lab-program-page-private.h"
#include "lab-py-program.h"
#include "lab-run-history.h"

G_DEFINE_FINAL_TYPE (LabProgramPage, lab_program_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
lab_program_page_show_error (LabProgramPage *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL && text[0] != '\0');
}

/* ---- the metrics line ---- */

static void
show_metrics (LabProgramPage *self)
{
  const LabExperiment *experiment = lab_py_program_get_experiment ();
  GVariant *metrics = self->run != NULL ? lab_runner_get_metrics (self->run) : NULL;
  g_autofree char *line = lab_metrics_format_line (experiment, metrics, "   ·   ", 0);
  g_autoptr(GVariant) error = NULL;

  gtk_label_set_text (self->metrics_label, line);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_label), line[0] != '\0');

  error = metrics != NULL ? g_variant_lookup_value (metrics, "error", G_VARIANT_TYPE_STRING) : NULL;
  if (error != NULL)
    lab_program_page_show_error (self, g_variant_get_string (error, NULL));
  else if (self->run != NULL && lab_runner_get_state (self->run) == LAB_RUN_FAILED)
    lab_program_page_show_error (self, lab_runner_get_error (self->run) != NULL ? lab_runner_get_error (self->run)->message
                                                               : _("The program could not run"));
}

/* ---- running ---- */

static void
update_controls (LabProgramPage *self)
{
  gboolean running = lab_program_page_get_running (self);
  LabRunState state = self->run != NULL ? lab_runner_get_state (self->run) : LAB_RUN_READY;

  gtk_stack_set_visible_child_name (self->run_stop_stack, running ? "stop" : "run");
  gtk_widget_set_sensitive (self->export_button,
                            !running && (state == LAB_RUN_DONE || state == LAB_RUN_STOPPED));
}

static void
stop_ticking (LabProgramPage *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

/* Once per frame while it runs: what was recorded goes into the trace,
 * onto the timeline and into the output. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  LabProgramPage *self = LAB_PROGRAM_PAGE (widget);

  if (self->run == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (lab_runner_drain (self->run) > 0)
    lab_program_page_update_output (self);
  lab_run_view_update (self->run_view);
  return G_SOURCE_CONTINUE;
}

static void
on_run_finished (LabRunner      *run,
                 LabProgramPage *self)
{
  if (run != self->run)
    return;
  stop_ticking (self);
  lab_runner_drain (run);
  lab_program_page_update_output (self);
  lab_run_view_refresh (self->run_view);
  show_metrics (self);
  update_controls (self);
  /* A file that ran (to its end or to Stop) is worth coming back to; one
   * that could not start is not. */
  if (lab_runner_get_state (run) != LAB_RUN_FAILED)
    lab_program_page_remember (self, lab_params_get_string (lab_runner_get_params (run), "program"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
lab_program_page_run (LabProgramPage *self)
{
  const LabExperiment *experiment = lab_py_program_get_experiment ();
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *path = NULL;
  const char *args;
  LabRunner *run;

  g_return_if_fail (LAB_IS_PROGRAM_PAGE (self));

  if (lab_program_page_get_running (self))
    return;

  lab_program_page_show_error (self, NULL);
  if (self->file == NULL || (path = g_file_get_path (self->file)) == NULL)
    {
      lab_program_page_show_error (self, self->file == NULL ? _("Choose a Python file to run first")
                                           : _("The program is not a local file: copy it to this computer first"));
      return;
    }
  args = gtk_editable_get_text (GTK_EDITABLE (self->args_entry));
  if (args[0] != '\0' && !g_shell_parse_argv (args, NULL, &argv, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
        argv = g_new0 (char *, 1);
      else
        {
          /* Translators: %s is GLib's reason, e.g. "Text ended before matching
           * quote was found for "." */
          text = g_strdup_printf (_("The arguments cannot be split into words: %s"),
                                  error->message);
          lab_program_page_show_error (self, text);
          return;
        }
    }
  if (argv == NULL)
    argv = g_new0 (char *, 1);
  if (!lab_params_set_value (params, "program", g_variant_new_string (path), &error) ||
      !lab_params_set_value (params, "args",
                             g_variant_new_strv ((const char * const *) argv, -1), &error) ||
      !lab_params_set_value (params, "python",
                             g_variant_new_string (self->python != NULL ? self->python : ""), &error))
    {
      lab_program_page_show_error (self, error->message);
      return;
    }

  lab_program_page_clear_output (self);
  run = lab_runner_new (experiment, params);
  lab_run_set_index (run, ++self->n_runs);
  g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished), self, 0);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  g_object_unref (run);

  lab_runner_start (run);
  lab_run_view_set_run (self->run_view, run);
  show_metrics (self);
  update_controls (self);
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
lab_program_page_stop (LabProgramPage *self)
{
  g_return_if_fail (LAB_IS_PROGRAM_PAGE (self));

  if (lab_program_page_get_running (self))
    lab_runner_stop (self->run);
}

gboolean
lab_program_page_get_running (LabProgramPage *self)
{
  LabRunState state;

  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), FALSE);

  if (self->run == NULL)
    return FALSE;
  state = lab_runner_get_state (self->run);
  return state == LAB_RUN_RUNNING || state == LAB_RUN_READY;
}

/* ---- the widget ---- */

static void
on_run_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  if (g_str_equal (action_name, "program.run"))
    lab_program_page_run (LAB_PROGRAM_PAGE (widget));
  else
    lab_program_page_stop (LAB_PROGRAM_PAGE (widget));
}

static void
lab_program_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LabProgramPage *self = LAB_PROGRAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, lab_program_page_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_program_page_dispose (GObject *object)
{
  LabProgramPage *self = LAB_PROGRAM_PAGE (object);
  GtkWidget *child;

  stop_ticking (self);
  if (self->run != NULL)
    {
      /* Closing the window kills the program's whole tree at once; the
       * runner joins its thread on its own. */
      g_signal_handlers_disconnect_by_data (self->run, self);
      lab_runner_stop (self->run);
      g_clear_object (&self->run);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_PROGRAM_PAGE);
  /* The template's top box has no name to be disposed by. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lab_program_page_parent_class)->dispose (object);
}

static void
lab_program_page_finalize (GObject *object)
{
  LabProgramPage *self = LAB_PROGRAM_PAGE (object);

  g_queue_clear (&self->kept_lines);
  g_clear_object (&self->file);
  g_free (self->python);

  G_OBJECT_CLASS (lab_program_page_parent_class)->finalize (object);
}

static void
lab_program_page_class_init (LabProgramPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = lab_program_page_get_property;
  object_class->dispose = lab_program_page_dispose;
  object_class->finalize = lab_program_page_finalize;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_RUN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/concurrencylab/ConcurrencyLab/lab-program-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, args_entry);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, run_stop_stack);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, recent_button);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, metrics_label);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, run_view);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, output_view);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, LabProgramPage, export_button);
  gtk_widget_class_bind_template_callback (widget_class, lab_program_page_on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, lab_program_page_on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, lab_program_page_run);

  gtk_widget_class_install_action (widget_class, "program.run", NULL, on_run_action);
  gtk_widget_class_install_action (widget_class, "program.stop", NULL, on_run_action);
  gtk_widget_class_install_action (widget_class, "program.export", "s", lab_program_page_on_export);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "programpage");
}

static void
lab_program_page_init (LabProgramPage *self)
{
  GdkRGBA red;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_queue_init (&self->kept_lines);
  lab_run_view_set_experiment (self->run_view, lab_py_program_get_experiment ());
  /* The numbers are one line above the timeline here; no cards. */
  gtk_widget_set_visible (GTK_WIDGET (lab_run_view_get_metric_cards (self->run_view)), FALSE);
  gdk_rgba_parse (&red, "#c01c28");
  self->stderr_tag = gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->output_view),
                                                 "stderr", "foreground-rgba", &red, NULL);

  self->settings = lab_application_lookup_settings ();
  if (self->settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      if (!g_settings_schema_has_key (schema, LAB_PROGRAM_PAGE_RECENT_KEY))
        g_clear_object (&self->settings);
    }
  lab_program_page_fill_recent (self);
  update_controls (self);
}

GtkWidget *
lab_program_page_new (void)
{
  return g_object_new (LAB_TYPE_PROGRAM_PAGE, NULL);
}

void
lab_program_page_set_file (LabProgramPage *self,
                           GFile          *file)
{
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;

  g_return_if_fail (LAB_IS_PROGRAM_PAGE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_set_object (&self->file, file);
  if (file != NULL)
    {
      where = g_file_get_parse_name (file);
      name = g_file_get_basename (file);
      if (name == NULL || !g_utf8_validate (name, -1, NULL))
        {
          g_autofree char *raw = g_steal_pointer (&name);

          name = g_filename_display_name (raw != NULL ? raw : "");
        }
    }
  gtk_label_set_text (self->file_label, name != NULL ? name : _("Choose a File…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), where);
  lab_program_page_show_error (self, NULL);
}

GFile *
lab_program_page_get_file (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return self->file;
}

void
lab_program_page_set_arguments (LabProgramPage *self,
                                const char     *text)
{
  g_return_if_fail (LAB_IS_PROGRAM_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->args_entry), text != NULL ? text : "");
}

void
lab_program_page_set_python (LabProgramPage *self,
                             const char     *python)
{
  g_return_if_fail (LAB_IS_PROGRAM_PAGE (self));

  g_free (self->python);
  self->python = g_strdup (python);
}

LabRunner *
lab_program_page_get_run (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return self->run;
}

LabRunView *
lab_program_page_get_run_view (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return self->run_view;
}

const char *
lab_program_page_get_error_text (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : "";
}

const char *
lab_program_page_get_metrics_text (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return gtk_label_get_text (self->metrics_label);
}
