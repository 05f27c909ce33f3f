/* lab-window-present.c — presentation mode and the text size.
 *
 * In front of a class the run is what matters: the sidebar and each page's
 * parameters and bottom pane hide, the window goes fullscreen, and what is
 * drawn (timeline, charts), the cards and the code get larger text. The
 * chosen text size is remembered; presentation mode multiplies it so that
 * the timeline's labels are at least 16 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-window-private.h"

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

void
lab_window_apply_presentation (LabWindow         *self,
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
      lab_window_apply_presentation (self, LAB_EXPERIMENT_PAGE (child));
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
  if (lab_window_has_setting (self, "text-scale") &&
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

  lab_window_set_action_enabled (self, "text-smaller", self->text_scale > MIN_TEXT_SCALE + 0.001);
  lab_window_set_action_enabled (self, "text-larger", self->text_scale < MAX_TEXT_SCALE - 0.001);
  lab_window_set_action_enabled (self, "text-reset", self->text_scale != 1.0);

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

void
lab_window_setup_presentation (LabWindow *self)
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
  if (lab_window_has_setting (self, "text-scale"))
    {
      self->text_scale = CLAMP (g_settings_get_double (self->settings, "text-scale"),
                                MIN_TEXT_SCALE, MAX_TEXT_SCALE);
      g_signal_connect_object (self->settings, "changed::text-scale",
                               G_CALLBACK (on_text_scale_changed), self, G_CONNECT_SWAPPED);
    }
  update_text_css (self);
  update_text_actions (self);
}

void
lab_window_dispose_presentation (LabWindow *self)
{
  if (self->text_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->text_css));
  g_clear_object (&self->text_css);
}
