/* lab-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-application.h"
#include "lab-experiments.h"
#include "lab-summary-page.h"
#include "lab-window-private.h"

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

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- settings ---- */

static gboolean
settings_has_key (LabWindow  *self,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return FALSE;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key);
}

static void
load_settings (LabWindow *self)
{
  self->settings = lab_application_lookup_settings ();
  if (self->settings == NULL)
    {
      g_debug ("GSettings schema %s not installed: nothing is remembered", APP_ID);
      return;
    }

  if (settings_has_key (self, "window-width") && settings_has_key (self, "window-height"))
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");

      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    }
  if (settings_has_key (self, "window-maximized") &&
      g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (settings_has_key (self, "parameters"))
    self->stored_params = g_settings_get_value (self->settings, "parameters");
}

static void
save_settings (LabWindow *self)
{
  LabExperimentPage *page = lab_window_get_current_page (self);
  g_autoptr(GHashTable) saved = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder builder;
  GtkWidget *child;

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);

  if (settings_has_key (self, "window-width") && settings_has_key (self, "window-height"))
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  if (settings_has_key (self, "window-maximized"))
    g_settings_set_boolean (self->settings, "window-maximized",
                            gtk_window_is_maximized (GTK_WINDOW (self)));

  if (page != NULL && settings_has_key (self, "last-experiment"))
    g_settings_set_string (self->settings, "last-experiment",
                           lab_experiment_page_get_experiment (page)->id);

  if (settings_has_key (self, "parameters"))
    {
      /* The pages that exist now, then what was stored for the others. */
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa{sv}}"));
      for (child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          LabExperimentPage *p;
          const char *id;

          if (!LAB_IS_EXPERIMENT_PAGE (child))
            continue; /* the summary */
          p = LAB_EXPERIMENT_PAGE (child);
          id = lab_experiment_page_get_experiment (p)->id;

          g_variant_builder_add (&builder, "{s@a{sv}}", id,
                                 lab_params_to_variant (lab_experiment_page_get_params (p)));
          g_hash_table_add (saved, (gpointer) id);
        }

      if (self->stored_params != NULL)
        {
          GVariantIter iter;
          const char *id;
          GVariant *values;

          g_variant_iter_init (&iter, self->stored_params);
          while (g_variant_iter_next (&iter, "{&s@a{sv}}", &id, &values))
            {
              if (!g_hash_table_contains (saved, id))
                g_variant_builder_add (&builder, "{s@a{sv}}", id, values);
              g_variant_unref (values);
            }
        }

      g_settings_set_value (self->settings, "parameters", g_variant_builder_end (&builder));
    }

  g_settings_apply (self->settings);
}

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

static void
set_action_enabled (LabWindow  *self,
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

  set_action_enabled (self, "run", page != NULL && !running && !self->closing);
  set_action_enabled (self, "stop", running);
  set_action_enabled (self, "export", can_export);
  set_action_enabled (self, "export-2x", can_export);
  set_action_enabled (self, "export-trace", page != NULL && lab_experiment_page_can_export_trace (page));
  set_action_enabled (self, "copy-image", can_export);
  set_action_enabled (self, "fit", has_run);
  set_action_enabled (self, "zoom-in", has_run);
  set_action_enabled (self, "zoom-out", has_run);
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

/* ---- presentation mode and text size ----
 *
 * In front of a class the run is what matters: the sidebar and each page's
 * parameters and bottom pane hide, the window goes fullscreen, and what is
 * drawn (timeline, charts), the cards and the code get larger text. The
 * chosen text size is remembered; presentation mode multiplies it so that
 * the timeline's labels are at least 16 px. */

#define PRESENTATION_TEXT_FACTOR 1.25
#define MIN_TEXT_SCALE           0.75
#define MAX_TEXT_SCALE           2.5

static const double text_scale_steps[] = { 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5 };

static double
effective_text_scale (LabWindow *self)
{
  return self->text_scale * (self->presentation ? PRESENTATION_TEXT_FACTOR : 1.0);
}

/* The cards and the code are GTK widgets styled by CSS: one rule set for
 * this window only (its widget name), replaced when the scale changes. */
static void
update_text_css (LabWindow *self)
{
  double s = effective_text_scale (self);
  g_autofree char *css = NULL;
  char card[G_ASCII_DTOSTR_BUF_SIZE];
  char code[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (card, sizeof card, "%.3f", s);
  g_ascii_formatd (code, sizeof code, "%.3f", 0.95 * s);
  css = g_strdup_printf ("#%s .metric-card { font-size: %sem; }\n"
                         "#%s .code-view { font-size: %sem; }\n",
                         self->css_name, card, self->css_name, code);
  gtk_css_provider_load_from_data (self->text_css, css, -1);
}

static void
apply_to_page (LabWindow         *self,
               LabExperimentPage *page)
{
  lab_experiment_page_set_presentation (page, self->presentation);
  lab_experiment_page_set_text_scale (page, effective_text_scale (self));
}

static void
apply_to_pages (LabWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (LAB_IS_EXPERIMENT_PAGE (child))
      apply_to_page (self, LAB_EXPERIMENT_PAGE (child));
  update_text_css (self);
}

static void update_text_actions (LabWindow *self);

static void
set_text_scale (LabWindow *self,
                double     scale)
{
  scale = CLAMP (scale, MIN_TEXT_SCALE, MAX_TEXT_SCALE);
  if (scale != self->text_scale)
    {
      self->text_scale = scale;
      apply_to_pages (self);
    }
  if (settings_has_key (self, "text-scale") &&
      g_settings_get_double (self->settings, "text-scale") != scale)
    g_settings_set_double (self->settings, "text-scale", scale);
  update_text_actions (self);
}

static void
on_text_scale_changed (LabWindow *self)
{
  set_text_scale (self, g_settings_get_double (self->settings, "text-scale"));
}

static void
on_text_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  const char *name = g_action_get_name (G_ACTION (action));
  double scale = self->text_scale;

  if (g_str_equal (name, "text-reset"))
    scale = 1.0;
  else if (g_str_equal (name, "text-larger"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (text_scale_steps); i++)
        if (text_scale_steps[i] > self->text_scale + 0.001)
          {
            scale = text_scale_steps[i];
            break;
          }
    }
  else
    {
      for (guint i = G_N_ELEMENTS (text_scale_steps); i > 0; i--)
        if (text_scale_steps[i - 1] < self->text_scale - 0.001)
          {
            scale = text_scale_steps[i - 1];
            break;
          }
    }
  set_text_scale (self, scale);
}

/* "− 100 % +" in the main menu, as GNOME's editors have it. */
static GtkWidget *
create_text_size_row (LabWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Text Size"));
  GtkWidget *smaller = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *reset = gtk_button_new ();
  GtkWidget *larger = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *percent = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_set_margin_start (title, 34); /* in line with the items' labels */

  gtk_actionable_set_action_name (GTK_ACTIONABLE (smaller), "win.text-smaller");
  gtk_widget_set_tooltip_text (smaller, _("Smaller Text"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (reset), "win.text-reset");
  gtk_widget_set_tooltip_text (reset, _("Normal Text Size"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (larger), "win.text-larger");
  gtk_widget_set_tooltip_text (larger, _("Larger Text"));
  gtk_label_set_width_chars (GTK_LABEL (percent), 5);
  gtk_widget_add_css_class (percent, "numeric");
  gtk_button_set_child (GTK_BUTTON (reset), percent);
  g_object_set_data (G_OBJECT (box), "percent", percent);

  gtk_widget_add_css_class (smaller, "flat");
  gtk_widget_add_css_class (smaller, "circular");
  gtk_widget_add_css_class (reset, "flat");
  gtk_widget_add_css_class (larger, "flat");
  gtk_widget_add_css_class (larger, "circular");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), smaller);
  gtk_box_append (GTK_BOX (box), reset);
  gtk_box_append (GTK_BOX (box), larger);
  gtk_widget_add_css_class (box, "text-size-row");

  return box;
}

static void
update_text_actions (LabWindow *self)
{
  g_autofree char *text = NULL;

  set_action_enabled (self, "text-smaller", self->text_scale > MIN_TEXT_SCALE + 0.001);
  set_action_enabled (self, "text-larger", self->text_scale < MAX_TEXT_SCALE - 0.001);
  set_action_enabled (self, "text-reset", self->text_scale != 1.0);

  /* Translators: the text size in the main menu, e.g. "125 %" */
  text = g_strdup_printf (_("%d %%"), (int) round (self->text_scale * 100));
  for (guint i = 0; i < G_N_ELEMENTS (self->text_size_rows); i++)
    if (self->text_size_rows[i] != NULL)
      gtk_label_set_text (g_object_get_data (G_OBJECT (self->text_size_rows[i]), "percent"), text);
}

static GtkWidget *
add_text_size_row (LabWindow     *self,
                   GtkMenuButton *button)
{
  GtkWidget *row = create_text_size_row (self);

  gtk_popover_menu_add_child (GTK_POPOVER_MENU (gtk_menu_button_get_popover (button)),
                              row, "text-size");
  return row;
}

static void
set_presentation (LabWindow *self,
                  gboolean   presentation)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "presentation");

  presentation = !!presentation;
  if (presentation == self->presentation)
    return;
  self->presentation = presentation;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (presentation));

  if (presentation)
    {
      self->was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
      self->saw_fullscreen = self->was_fullscreen;
      adw_leaflet_set_visible_child (self->leaflet, self->content_box);
    }
  gtk_widget_set_visible (self->sidebar_box, !presentation);
  gtk_widget_set_visible (self->sidebar_separator, !presentation);
  /* The main menu lives in the sidebar's header: while that is hidden, the
   * content's header has it (for the text size and to leave). */
  gtk_widget_set_visible (self->present_menu_button, presentation);
  if (presentation)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  apply_to_pages (self);

  if (presentation && !self->was_fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else if (!presentation && !self->was_fullscreen)
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
on_presentation_change_state (GSimpleAction *action,
                              GVariant      *state,
                              gpointer       user_data)
{
  set_presentation (LAB_WINDOW (user_data), g_variant_get_boolean (state));
}

/* Leaving fullscreen some other way (the window manager) ends it too. */
static void
on_fullscreened (LabWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  if (!self->presentation)
    return;
  if (fullscreen)
    self->saw_fullscreen = TRUE;
  else if (self->saw_fullscreen)
    {
      self->was_fullscreen = TRUE; /* already left: nothing to undo */
      set_presentation (self, FALSE);
    }
}

/* Esc leaves presentation mode; otherwise it stops the run, as before. It
 * is handled here, not as an accelerator, so that it can do either. */
static gboolean
on_escape (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->presentation)
    set_presentation (self, FALSE);
  else
    g_action_group_activate_action (G_ACTION_GROUP (self), "stop", NULL);
  return TRUE;
}

static const GActionEntry present_actions[] = {
  { .name = "presentation", .state = "false", .change_state = on_presentation_change_state },
  { .name = "text-larger", .activate = on_text_action },
  { .name = "text-smaller", .activate = on_text_action },
  { .name = "text-reset", .activate = on_text_action },
};

static void
setup_presentation (LabWindow *self)
{
  static guint n_windows;
  GtkEventController *controller;
  GtkMenuButton *button;

  g_action_map_add_action_entries (G_ACTION_MAP (self), present_actions,
                                   G_N_ELEMENTS (present_actions), self);

  self->css_name = g_strdup_printf ("lab-window-%u", ++n_windows);
  gtk_widget_set_name (GTK_WIDGET (self), self->css_name);
  self->text_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->text_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);

  button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (button, "open-menu-symbolic");
  gtk_menu_button_set_menu_model (button, gtk_menu_button_get_menu_model (self->primary_menu_button));
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Main Menu"));
  gtk_widget_set_visible (GTK_WIDGET (button), FALSE);
  adw_header_bar_pack_end (self->content_header, GTK_WIDGET (button));
  self->present_menu_button = GTK_WIDGET (button);
  self->text_size_rows[0] = add_text_size_row (self, self->primary_menu_button);
  self->text_size_rows[1] = add_text_size_row (self, button);

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (on_escape, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);

  self->text_scale = 1.0;
  if (settings_has_key (self, "text-scale"))
    {
      self->text_scale = CLAMP (g_settings_get_double (self->settings, "text-scale"),
                                MIN_TEXT_SCALE, MAX_TEXT_SCALE);
      g_signal_connect_object (self->settings, "changed::text-scale",
                               G_CALLBACK (on_text_scale_changed), self, G_CONNECT_SWAPPED);
    }
  update_text_css (self);
  update_text_actions (self);
}

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

  save_settings (self);

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

  apply_to_page (self, LAB_EXPERIMENT_PAGE (page));
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

  if (self->text_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->text_css));
  g_clear_object (&self->text_css);
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

  load_settings (self);
  setup_presentation (self);
  populate_sidebar (self);
  lab_window_setup_program (self);
  g_signal_connect_swapped (self->experiment_list, "row-selected",
                            G_CALLBACK (on_row_selected), self);
  g_signal_connect_swapped (self->experiment_list, "row-activated",
                            G_CALLBACK (on_row_activated), self);

  all = lab_experiments_get_all (&n);
  if (n > 0)
    first = all[0];
  if (self->settings != NULL && settings_has_key (self, "last-experiment"))
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
