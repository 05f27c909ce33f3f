/* lab-window.c — the main window: its actions, the sidebar of
 * experiments and their pages, closing once every run has stopped. What
 * it remembers is in lab-window-settings.c, presentation mode and the
 * text size in lab-window-present.c, traces and "Your Program" in
 * lab-window-traces.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-experiments.h"
#include "lab-summary-page.h"
#include "lab-window-private.h"

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- actions ---- */

static gboolean
any_page_running (LabWindow *self)
{
  if (lab_window_get_program_running (self))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (LAB_IS_EXPERIMENT_PAGE (child) &&
        lab_experiment_page_get_running (LAB_EXPERIMENT_PAGE (child)))
      return TRUE;

  return FALSE;
}

void
lab_window_set_action_enabled (LabWindow  *self,
                               const char *name,
                               gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (LabWindow *self)
{
  LabExperimentPage *page = lab_window_get_current_page (self);
  gboolean running = page != NULL && lab_experiment_page_get_running (page);
  gboolean has_run = page != NULL && lab_experiment_page_get_shown_run (page) != NULL;
  gboolean can_export = page != NULL && lab_experiment_page_can_export (page);

  lab_window_set_action_enabled (self, "run", page != NULL && !running && !self->closing);
  lab_window_set_action_enabled (self, "stop", running);
  lab_window_set_action_enabled (self, "export", can_export);
  lab_window_set_action_enabled (self, "export-2x", can_export);
  lab_window_set_action_enabled (self, "export-trace", page != NULL && lab_experiment_page_can_export_trace (page));
  lab_window_set_action_enabled (self, "copy-image", can_export);
  lab_window_set_action_enabled (self, "fit", has_run);
  lab_window_set_action_enabled (self, "zoom-in", has_run);
  lab_window_set_action_enabled (self, "zoom-out", has_run);
  lab_window_update_program_actions (self);
}

static void
copy_image (LabWindow         *self,
            LabExperimentPage *page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (lab_experiment_page_copy_image (page, &error))
    {
      lab_window_add_toast (self, _("Image copied"));
      return;
    }
  /* Translators: a toast; %s is the reason */
  text = g_strdup_printf (_("Could not copy the image: %s"), error->message);
  lab_window_add_toast (self, text);
}

static void
on_window_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabExperimentPage *page = lab_window_get_current_page (self);
  const char *name = g_action_get_name (G_ACTION (action));

  if (lab_window_program_action (self, name))
    return;
  if (page == NULL)
    return;

  if (g_str_equal (name, "run"))
    lab_experiment_page_run (page);
  else if (g_str_equal (name, "stop"))
    lab_experiment_page_stop (page);
  else if (g_str_equal (name, "export"))
    lab_experiment_page_export (page, 1.0);
  else if (g_str_equal (name, "export-2x"))
    lab_experiment_page_export (page, 2.0);
  else if (g_str_equal (name, "export-trace"))
    lab_experiment_page_export_trace (page);
  else if (g_str_equal (name, "copy-image"))
    copy_image (self, page);
  else if (g_str_equal (name, "fit"))
    lab_experiment_page_zoom_fit (page);
  else if (g_str_equal (name, "zoom-in"))
    lab_experiment_page_zoom_in (page);
  else if (g_str_equal (name, "zoom-out"))
    lab_experiment_page_zoom_out (page);
}

static const GActionEntry window_actions[] = {
  { .name = "run", .activate = on_window_action },
  { .name = "stop", .activate = on_window_action },
  { .name = "export", .activate = on_window_action },
  { .name = "export-2x", .activate = on_window_action },
  { .name = "export-trace", .activate = on_window_action },
  { .name = "copy-image", .activate = on_window_action },
  { .name = "fit", .activate = on_window_action },
  { .name = "zoom-in", .activate = on_window_action },
  { .name = "zoom-out", .activate = on_window_action },
};

/* ---- closing: stop every run and wait for its thread ---- */

static gboolean
destroy_idle (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
on_page_changed (LabWindow *self)
{
  update_actions (self);

  if (self->closing && !self->destroy_queued && !any_page_running (self))
    {
      self->destroy_queued = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, destroy_idle, g_object_ref (self), g_object_unref);
    }
}

static gboolean
lab_window_close_request (GtkWindow *window)
{
  LabWindow *self = LAB_WINDOW (window);

  if (self->closing)
    return TRUE; /* already waiting */

  lab_window_save_settings (self);

  if (!any_page_running (self))
    {
      GtkWindowClass *parent = GTK_WINDOW_CLASS (lab_window_parent_class);

      return parent->close_request != NULL ? parent->close_request (window) : FALSE;
    }

  /* The window goes away at once; it is destroyed (and the application may
   * quit) only once every run was stopped and its threads were joined. */
  self->closing = TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (LAB_IS_EXPERIMENT_PAGE (child))
      lab_experiment_page_stop (LAB_EXPERIMENT_PAGE (child));
  lab_window_stop_program (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  update_actions (self);

  return TRUE;
}

/* ---- the sidebar ---- */

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const LabExperiment *experiment = g_object_get_data (G_OBJECT (row), "experiment");
  const LabExperiment *previous = before ? g_object_get_data (G_OBJECT (before), "experiment") : NULL;
  GtkWidget *header;

  if (lab_window_update_trace_header (row, before))
    return;

  /* The summary row (no experiment) comes first, under its own header. */
  if (experiment != NULL && previous != NULL && previous->topic == experiment->topic)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (experiment != NULL ? lab_topic_to_label (experiment->topic)
                                             : _("Overview"));
  gtk_label_set_xalign (GTK_LABEL (header), 0.0f);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_add_css_class (header, "sidebar-topic");
  gtk_list_box_row_set_header (row, header);
}

static GtkWidget *
create_row (const char *title_text,
            const char *summary_text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (title_text);
  GtkWidget *summary = gtk_label_new (summary_text);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 26);
  gtk_widget_add_css_class (title, "experiment-title");
  gtk_label_set_xalign (GTK_LABEL (summary), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (summary), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (summary), 30);
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_widget_add_css_class (box, "experiment-row");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, summary_text);

  return row;
}

static GtkWidget *
create_experiment_row (const LabExperiment *experiment)
{
  GtkWidget *row = create_row (_(experiment->title), _(experiment->summary));

  g_object_set_data (G_OBJECT (row), "experiment", (gpointer) experiment);

  return row;
}

static LabExperimentPage *
ensure_page (LabWindow           *self,
             const LabExperiment *experiment)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, experiment->id);

  if (page != NULL)
    return LAB_EXPERIMENT_PAGE (page);

  page = lab_experiment_page_new (experiment);
  if (self->stored_params != NULL)
    {
      g_autoptr(GVariant) values = g_variant_lookup_value (self->stored_params, experiment->id,
                                                           G_VARIANT_TYPE_VARDICT);

      if (values != NULL)
        lab_experiment_page_set_param_values (LAB_EXPERIMENT_PAGE (page), values);
    }

  lab_window_apply_presentation (self, LAB_EXPERIMENT_PAGE (page));
  g_signal_connect_object (page, "notify::running", G_CALLBACK (on_page_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::shown-run", G_CALLBACK (on_page_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, page, experiment->id);

  return LAB_EXPERIMENT_PAGE (page);
}

/* ---- the summary ---- */

static GtkWidget *
show_summary_page (LabWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, "summary");

  if (page == NULL)
    {
      page = lab_summary_page_new ();
      gtk_stack_add_named (self->stack, page, "summary");
    }
  gtk_stack_set_visible_child (self->stack, page);

  adw_window_title_set_title (self->content_title, _("Summary"));
  adw_window_title_set_subtitle (self->content_title, _("Overview"));
  update_actions (self);

  return page;
}

static void
on_row_selected (LabWindow     *self,
                 GtkListBoxRow *row)
{
  const LabExperiment *experiment;
  LabExperimentPage *page;

  if (row == NULL)
    return;
  if (g_object_get_data (G_OBJECT (row), "trace-page") != NULL)
    {
      lab_window_show_trace_page (self, g_object_get_data (G_OBJECT (row), "trace-page"));
      return;
    }
  if (lab_window_select_program (self, row))
    return;

  experiment = g_object_get_data (G_OBJECT (row), "experiment");
  if (experiment == NULL)
    {
      show_summary_page (self);
      return;
    }
  page = ensure_page (self, experiment);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));

  adw_window_title_set_title (self->content_title, _(experiment->title));
  adw_window_title_set_subtitle (self->content_title, lab_topic_to_label (experiment->topic));
  update_actions (self);
}

static void
on_row_activated (LabWindow     *self,
                  GtkListBoxRow *row)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
on_back_clicked (LabWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
populate_sidebar (LabWindow *self)
{
  const LabExperiment * const *all;
  guint n = 0;

  gtk_list_box_append (self->experiment_list,
                       create_row (_("Summary"),
                                   _("Processes, threads, coroutines and Python's tools "
                                     "compared")));
  all = lab_experiments_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->experiment_list, create_experiment_row (all[i]));
  gtk_list_box_set_header_func (self->experiment_list, update_header, NULL, NULL);
}

/* ---- for the other files of the window (lab-window-private.h) ---- */

GtkStack *
lab_window_get_stack (LabWindow *self)
{
  return self->stack;
}

GtkListBox *
lab_window_get_sidebar (LabWindow *self)
{
  return self->experiment_list;
}

GtkWidget *
lab_window_create_row (const char *title,
                       const char *summary)
{
  return create_row (title, summary);
}

/* Shows @page (a child of the stack) with its title, as a row does. */
void
lab_window_show_page (LabWindow  *self,
                      GtkWidget  *page,
                      const char *title,
                      const char *subtitle)
{
  gtk_stack_set_visible_child (self->stack, page);
  adw_window_title_set_title (self->content_title, title);
  adw_window_title_set_subtitle (self->content_title, subtitle);
  update_actions (self);
}

void
lab_window_page_changed (LabWindow *self)
{
  on_page_changed (self);
}

/* ---- the widget ---- */

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  lab_window_dispose_presentation (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->stored_params, g_variant_unref);
  g_free (self->css_name);

  G_OBJECT_CLASS (lab_window_parent_class)->finalize (object);
}

static void
lab_window_class_init (LabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lab_window_dispose;
  object_class->finalize = lab_window_finalize;
  window_class->close_request = lab_window_close_request;

  g_type_ensure (LAB_TYPE_EXPERIMENT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/concurrencylab/ConcurrencyLab/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, experiment_list);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, content_header);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
}

static void
lab_window_init (LabWindow *self)
{
  const LabExperiment * const *all;
  const LabExperiment *first = NULL;
  g_autofree char *last = NULL;
  guint n = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
  lab_window_setup_traces (self);

  lab_window_load_settings (self);
  lab_window_setup_presentation (self);
  populate_sidebar (self);
  lab_window_setup_program (self);
  g_signal_connect_swapped (self->experiment_list, "row-selected",
                            G_CALLBACK (on_row_selected), self);
  g_signal_connect_swapped (self->experiment_list, "row-activated",
                            G_CALLBACK (on_row_activated), self);

  all = lab_experiments_get_all (&n);
  if (n > 0)
    first = all[0];
  if (self->settings != NULL && lab_window_has_setting (self, "last-experiment"))
    last = g_settings_get_string (self->settings, "last-experiment");
  if (last == NULL || lab_window_show_experiment (self, last) == NULL)
    {
      if (first != NULL)
        lab_window_show_experiment (self, first->id);
    }

  update_actions (self);
}

LabWindow *
lab_window_new (GtkApplication *application)
{
  return g_object_new (LAB_TYPE_WINDOW, "application", application, NULL);
}

LabExperimentPage *
lab_window_show_experiment (LabWindow  *self,
                            const char *id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->experiment_list, i)) != NULL; i++)
    {
      const LabExperiment *experiment = g_object_get_data (G_OBJECT (row), "experiment");

      if (experiment == NULL || g_strcmp0 (experiment->id, id) != 0)
        continue;

      if (gtk_list_box_get_selected_row (self->experiment_list) == row)
        on_row_selected (self, row);
      else
        gtk_list_box_select_row (self->experiment_list, row);

      return ensure_page (self, experiment);
    }

  return NULL;
}

LabExperimentPage *
lab_window_get_current_page (LabWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  child = gtk_stack_get_visible_child (self->stack);

  return child != NULL && LAB_IS_EXPERIMENT_PAGE (child) ? LAB_EXPERIMENT_PAGE (child) : NULL;
}

gboolean
lab_window_get_running (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  return any_page_running (self);
}

void
lab_window_add_toast (LabWindow  *self,
                      const char *title)
{
  g_return_if_fail (LAB_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

GtkWidget *
lab_window_show_summary (LabWindow *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  row = gtk_list_box_get_row_at_index (self->experiment_list, 0);
  if (gtk_list_box_get_selected_row (self->experiment_list) != row)
    gtk_list_box_select_row (self->experiment_list, row);

  return show_summary_page (self);
}
