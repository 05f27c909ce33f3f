/* lab-program-page.c — "Your Program": a Python file of the student's own,
 * run from the window under the tracer and the sampler.
 *
 * The run is an ordinary LabRunner of the program descriptor
 * (lab_py_program_get_experiment()): its thread, its Stop (which kills the
 * program's whole process group), its trace and its export are those of
 * every experiment, and the run view shows it. What is the page's own is
 * what a program of unknown size needs: its output is kept bounded (the
 * last LAB_PROGRAM_PAGE_OUTPUT_KEEP bytes, and a line that says how much
 * was dropped), and its problems are one line of words on the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-application.h"
#include "lab-open-dialog.h"
#include "lab-program-page.h"
#include "lab-py-program.h"
#include "lab-run-history.h"

#define RECENT_KEY "recent-programs"

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

G_DEFINE_FINAL_TYPE (LabProgramPage, lab_program_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_error (LabProgramPage *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL && text[0] != '\0');
}

/* ---- the output, bounded ---- */

static void
output_clear (LabProgramPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);

  gtk_text_buffer_set_text (buffer, "", 0);
  g_queue_clear (&self->kept_lines);
  self->kept_bytes = 0;
  self->n_output_seen = 0;
  self->last_ts_ns = 0;
  self->last_label = 0;
  self->dropped_bytes = 0;
  self->dropped_lines = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), FALSE);
}

static void
show_dropped (LabProgramPage *self)
{
  g_autofree char *size = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *text = NULL;

  if (self->dropped_bytes == 0)
    return;
  size = g_format_size (self->dropped_bytes);
  kept = g_format_size (LAB_PROGRAM_PAGE_OUTPUT_KEEP);
  /* Translators: above a program's output; %s is a size ("3.2 MB"), %llu
   * counts lines, then the size kept ("64.0 kB") */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s of earlier output (%llu line) not shown: the last %s are kept",
                                       "%s of earlier output (%llu lines) not shown: the last %s are kept",
                                       self->dropped_lines),
                          size, (unsigned long long) self->dropped_lines, kept);
  gtk_label_set_text (self->dropped_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), TRUE);
}

/* Appends the lines the trace got since the last call; drops the oldest
 * beyond the limit. A burst larger than the limit is cut before it reaches
 * the text buffer, so the cost per frame follows the limit, not the
 * program's speed. */
static void
output_update (LabProgramPage *self)
{
  LabTrace *trace = self->run != NULL ? lab_runner_get_trace (self->run) : NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  const LabOutputLine *lines;
  guint n = 0, first;
  gsize burst = 0;
  guint n_drop = 0;
  GtkTextIter start, end;

  if (trace == NULL)
    return;
  lines = lab_trace_get_output (trace, &n);
  /* Lines are sorted by time: one drained late from another thread may
   * land before lines already shown. Then the text is built again (rare:
   * threads that print at the same moment). */
  if (self->n_output_seen > 0 &&
      (n < self->n_output_seen ||
       lines[self->n_output_seen - 1].ts_ns != self->last_ts_ns ||
       lines[self->n_output_seen - 1].label != self->last_label))
    output_clear (self);
  if (n <= self->n_output_seen)
    return;

  first = n;
  while (first > self->n_output_seen)
    {
      gsize len = strlen (lab_trace_get_string (trace, lines[first - 1].label)) + 1;

      if (burst + len > LAB_PROGRAM_PAGE_OUTPUT_KEEP)
        break;
      burst += len;
      first--;
    }
  for (guint i = self->n_output_seen; i < first; i++)
    {
      self->dropped_bytes += strlen (lab_trace_get_string (trace, lines[i].label)) + 1;
      self->dropped_lines++;
    }

  for (guint i = first; i < n; i++)
    {
      const char *text = lab_trace_get_string (trace, lines[i].label);
      gsize len = strlen (text);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (lines[i].flags & LAB_EVENT_FLAG_STDERR)
        gtk_text_buffer_insert_with_tags (buffer, &end, text, (int) len, self->stderr_tag, NULL);
      else
        gtk_text_buffer_insert (buffer, &end, text, (int) len);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
      g_queue_push_tail (&self->kept_lines, GSIZE_TO_POINTER (len + 1));
      self->kept_bytes += len + 1;
    }
  self->n_output_seen = n;
  self->last_ts_ns = lines[n - 1].ts_ns;
  self->last_label = lines[n - 1].label;

  while (self->kept_bytes > LAB_PROGRAM_PAGE_OUTPUT_KEEP)
    {
      gsize len = GPOINTER_TO_SIZE (g_queue_pop_head (&self->kept_lines));

      self->kept_bytes -= len;
      self->dropped_bytes += len;
      self->dropped_lines++;
      n_drop++;
    }
  if (n_drop > 0)
    {
      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_line (buffer, &end, (int) n_drop);
      gtk_text_buffer_delete (buffer, &start, &end);
    }
  show_dropped (self);

  /* Follow the newest line, as a terminal does. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_iter (self->output_view, &end, 0, FALSE, 0, 0);
}

/* ---- the metrics line ---- */

static void
show_metrics (LabProgramPage *self)
{
  const LabExperiment *experiment = lab_py_program_get_experiment ();
  GVariant *metrics = self->run != NULL ? lab_runner_get_metrics (self->run) : NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GVariant) error = NULL;

  for (guint i = 0; metrics != NULL && i < experiment->n_metrics; i++)
    {
      const LabMetricSpec *spec = &experiment->metrics[i];
      g_autoptr(GVariant) value = NULL;
      g_autofree char *text = NULL;

      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;
      value = lab_metrics_lookup (metrics, spec->key);
      if (value == NULL)
        continue;
      text = lab_metric_format (spec, value);
      if (line->len > 0)
        g_string_append (line, "   ·   ");
      /* A no-break space: a name and its value stay on one line. */
      g_string_append_printf (line, "%s\u00a0%s", _(spec->label), text);
    }
  gtk_label_set_text (self->metrics_label, line->str);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_label), line->len > 0);

  error = metrics != NULL ? g_variant_lookup_value (metrics, "error", G_VARIANT_TYPE_STRING) : NULL;
  if (error != NULL)
    show_error (self, g_variant_get_string (error, NULL));
  else if (self->run != NULL && lab_runner_get_state (self->run) == LAB_RUN_FAILED)
    show_error (self, lab_runner_get_error (self->run) != NULL ? lab_runner_get_error (self->run)->message
                                                               : _("The program could not run"));
}

/* ---- recent files ---- */

static char **
recent_paths (LabProgramPage *self)
{
  if (self->settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (self->settings, RECENT_KEY);
}

static void
fill_recent_list (LabProgramPage *self)
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
static void
remember (LabProgramPage *self,
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
  g_settings_set_strv (self->settings, RECENT_KEY, (const char * const *) paths);
  fill_recent_list (self);
}

static void
on_recent_activated (LabProgramPage *self,
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
    output_update (self);
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
  output_update (self);
  lab_run_view_refresh (self->run_view);
  show_metrics (self);
  update_controls (self);
  /* A file that ran (to its end or to Stop) is worth coming back to; one
   * that could not start is not. */
  if (lab_runner_get_state (run) != LAB_RUN_FAILED)
    remember (self, lab_params_get_string (lab_runner_get_params (run), "program"));
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

  show_error (self, NULL);
  if (self->file == NULL || (path = g_file_get_path (self->file)) == NULL)
    {
      show_error (self, self->file == NULL ? _("Choose a Python file to run first")
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
          show_error (self, text);
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
      show_error (self, error->message);
      return;
    }

  output_clear (self);
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

/* ---- choosing the file ---- */

static void
open_chosen_program (gpointer  owner,
                     GFile    *file)
{
  lab_program_page_set_file (LAB_PROGRAM_PAGE (owner), file);
}

static void
on_choose_clicked (LabProgramPage *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_filter_add_mime_type (filter, "text/x-python");
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

      show_error (self, text);
    }
  g_object_unref (native);
  g_object_unref (self);
}

static void
on_export (GtkWidget  *widget,
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
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, lab_program_page_run);

  gtk_widget_class_install_action (widget_class, "program.run", NULL, on_run_action);
  gtk_widget_class_install_action (widget_class, "program.stop", NULL, on_run_action);
  gtk_widget_class_install_action (widget_class, "program.export", "s", on_export);

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
      if (!g_settings_schema_has_key (schema, RECENT_KEY))
        g_clear_object (&self->settings);
    }
  fill_recent_list (self);
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
  show_error (self, NULL);
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

char *
lab_program_page_dup_output (LabProgramPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

guint64
lab_program_page_get_dropped_bytes (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), 0);

  return self->dropped_bytes;
}

GtkListBox *
lab_program_page_get_recent_list (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  return self->recent_list;
}
