/* test-gui-present.c — the window in front of a class: the code tab follows
 * the parameters, presentation mode hides the sidebar and the parameters,
 * the text size reaches the timeline and is remembered, Ctrl+C copies the
 * run's image.
 *
 * Runs under Xvfb (`xvfb-run -a`). Set LAB_TEST_SCREENSHOT_DIR to also save
 * present-1920.png, present-1024.png and present-code.png there (use a
 * screen of at least 1920×1080; with LANGUAGE=ru and LAB_TEST_LOCALEDIR,
 * present-1920-ru.png and so on).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <unistd.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static Gui gui;

static char *
code_text (LabExperimentPage *page)
{
  GtkTextBuffer *buffer = lab_code_view_get_buffer (lab_experiment_page_get_code_view (page));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The first widget under @widget (itself included) of @type that has
 * @css_class (NULL: any). */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
activate (const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gui.window), action, NULL));
  spin (50);
}

static void screenshot_at (int width, int height, const char *name);

/* ---- the code tab ---- */

static void
test_code_follows_lock (void)
{
  LabExperimentPage *page = lab_window_show_experiment (gui.window, "race-counter");
  GtkWidget *controls = GTK_WIDGET (lab_experiment_page_get_param_controls (page));
  GtkSwitch *lock = GTK_SWITCH (find_widget (controls, GTK_TYPE_SWITCH, NULL));
  GtkSourceBuffer *buffer;
  GtkSourceLanguage *language;
  g_autofree char *before = NULL;
  g_autofree char *locked = NULL;
  g_autofree char *unlocked = NULL;

  g_assert_nonnull (lock);
  lab_experiment_page_show_tab (page, "code");
  gtk_switch_set_active (lock, FALSE);
  spin (50);
  before = code_text (page);
  g_assert_nonnull (strstr (before, "USE_LOCK = False"));

  gtk_switch_set_active (lock, TRUE);
  spin (50);
  locked = code_text (page);
  g_assert_nonnull (strstr (locked, "USE_LOCK = True"));
  g_assert_null (strstr (locked, "USE_LOCK = False"));

  gtk_switch_set_active (lock, FALSE);
  spin (50);
  unlocked = code_text (page);
  g_assert_cmpstr (unlocked, ==, before);

  buffer = GTK_SOURCE_BUFFER (lab_code_view_get_buffer (lab_experiment_page_get_code_view (page)));
  language = gtk_source_buffer_get_language (buffer);
  g_assert_nonnull (language);
  g_assert_true (g_str_has_prefix (gtk_source_language_get_id (language), "python"));
  g_assert_nonnull (gtk_source_buffer_get_style_scheme (buffer));
  /* An editor now: what it runs once edited is test-gui-editor's. */
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (find_widget (GTK_WIDGET (lab_experiment_page_get_code_view (page)),
                                                                          GTK_SOURCE_TYPE_VIEW, NULL))));

  if (gui.screenshot_dir != NULL)
    {
      screenshot_at (1280, 800, "present-code");
    }
  lab_experiment_page_show_tab (page, "output");
}

/* A slider's value reaches the listing as well. */
static void
test_code_follows_preset (void)
{
  LabExperimentPage *page = lab_window_show_experiment (gui.window, "race-counter");
  LabParamControls *controls = lab_experiment_page_get_param_controls (page);
  g_autofree char *text = NULL;

  lab_param_controls_reset (controls);
  g_assert_true (lab_param_controls_set_value (controls, "threads", g_variant_new_int64 (7), NULL));
  text = code_text (page);
  g_assert_nonnull (strstr (text, "= 7"));
  lab_param_controls_reset (controls);
}

/* The action of the shortcut @trigger among @widget's own controllers. */
static GtkShortcutAction *
find_shortcut (GtkWidget  *widget,
               const char *trigger_text)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, trigger_text))
            return gtk_shortcut_get_action (shortcut);
        }
    }
  return NULL;
}

/* ---- presentation mode ---- */

static gboolean
sidebar_visible (void)
{
  GtkWidget *list = find_widget (GTK_WIDGET (gui.window), GTK_TYPE_LIST_BOX, "experiment-list");

  g_assert_nonnull (list);
  return gtk_widget_is_visible (list);
}

static void
test_presentation (void)
{
  LabExperimentPage *page = lab_window_show_experiment (gui.window, "race-counter");
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (gui.app),
                                                                "win.presentation");
  GtkShortcutAction *escape;
  GVariant *state;

  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "F11");

  g_assert_true (sidebar_visible ());
  g_assert_true (gtk_widget_is_visible (lab_experiment_page_get_controls_pane (page)));

  activate ("win.presentation");
  state = g_action_group_get_action_state (G_ACTION_GROUP (gui.window), "presentation");
  g_assert_true (g_variant_get_boolean (state));
  g_variant_unref (state);
  g_assert_false (sidebar_visible ());
  g_assert_false (gtk_widget_is_visible (lab_experiment_page_get_controls_pane (page)));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (lab_experiment_page_get_timeline (page))));
  g_assert_true (lab_experiment_page_get_presentation (page));
  /* The timeline's text is at least 16 px in presentation mode. */
  g_assert_cmpfloat (lab_timeline_get_font_size (lab_experiment_page_get_timeline (page)), >=, 16.0);

  /* A page opened during the presentation is presented too. */
  g_assert_true (lab_experiment_page_get_presentation (lab_window_show_experiment (gui.window, "threads-hello")));
  lab_window_show_experiment (gui.window, "race-counter");

  /* Esc leaves it (the window's own shortcut, not win.stop's). */
  escape = find_shortcut (GTK_WIDGET (gui.window), "Escape");
  g_assert_nonnull (escape);
  g_assert_true (gtk_shortcut_action_activate (escape, 0, GTK_WIDGET (gui.window), NULL));
  spin (50);
  state = g_action_group_get_action_state (G_ACTION_GROUP (gui.window), "presentation");
  g_assert_false (g_variant_get_boolean (state));
  g_variant_unref (state);
  g_assert_true (sidebar_visible ());
  g_assert_true (gtk_widget_is_visible (lab_experiment_page_get_controls_pane (page)));
  g_assert_cmpfloat (lab_timeline_get_font_size (lab_experiment_page_get_timeline (page)), <, 16.0);
}

/* ---- text size ---- */

static void
test_text_size (void)
{
  LabExperimentPage *page = lab_window_show_experiment (gui.window, "race-counter");
  LabTimeline *timeline = lab_experiment_page_get_timeline (page);
  double normal = lab_timeline_get_font_size (timeline);
  g_autoptr(GSettings) settings = lab_application_lookup_settings ();
  LabWindow *second;
  double larger;

  g_assert_nonnull (settings);
  g_assert_cmpfloat (g_settings_get_double (settings, "text-scale"), ==, 1.0);

  activate ("win.text-larger");
  activate ("win.text-larger");
  larger = lab_timeline_get_font_size (timeline);
  g_assert_cmpfloat (larger, >, normal);
  g_assert_cmpfloat (g_settings_get_double (settings, "text-scale"), >, 1.0);

  /* Remembered: a new window starts with it. */
  second = lab_window_new (GTK_APPLICATION (gui.app));
  gtk_window_present (GTK_WINDOW (second));
  g_assert_true (wait_for (window_ready, second, 10000));
  page = lab_window_get_current_page (second);
  g_assert_nonnull (page);
  g_assert_cmpfloat (lab_timeline_get_font_size (lab_experiment_page_get_timeline (page)), ==, larger);
  gtk_window_destroy (GTK_WINDOW (second));
  spin (50);

  /* Clamped at both ends. */
  for (guint i = 0; i < 20; i++)
    gtk_widget_activate_action (GTK_WIDGET (gui.window), "win.text-smaller", NULL);
  g_assert_cmpfloat (g_settings_get_double (settings, "text-scale"), ==, 0.75);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui.window), "text-smaller"));
  activate ("win.text-reset");
  g_assert_cmpfloat (g_settings_get_double (settings, "text-scale"), ==, 1.0);
  g_assert_cmpfloat (lab_timeline_get_font_size (timeline), ==, normal);
}

/* ---- Ctrl+C ---- */

static gboolean
page_done (gpointer data)
{
  return !lab_experiment_page_get_running (data) && lab_experiment_page_can_export (data);
}

static void
on_texture_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_copy_image (void)
{
  LabExperimentPage *page = lab_window_show_experiment (gui.window, "race-counter");
  LabParamControls *controls = lab_experiment_page_get_param_controls (page);
  GtkWidget *run_view = GTK_WIDGET (lab_experiment_page_get_run_view (page));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (gui.window));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) exported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkShortcutAction *action;
  int fd;

  g_assert_true (lab_param_controls_set_value (controls, "threads", g_variant_new_int64 (2), NULL));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui.window), "copy-image") &&
                  !lab_experiment_page_can_export (page));
  lab_experiment_page_run (page);
  g_assert_true (wait_for (page_done, page, 60000));
  spin (100);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui.window), "copy-image"));

  /* Ctrl+C on the run's view is win.copy-image. */
  gdk_clipboard_set_text (clipboard, "nothing yet");
  action = find_shortcut (run_view, "<Control>c");
  g_assert_nonnull (action);
  g_assert_true (gtk_shortcut_action_activate (action, 0, GTK_WIDGET (lab_experiment_page_get_timeline (page)), NULL));
  spin (50);

  g_assert_true (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard), GDK_TYPE_TEXTURE));
  gdk_clipboard_read_texture_async (clipboard, NULL, on_texture_read, &texture);
  g_assert_true (wait_for (is_set, &texture, 10000));

  /* The same image as Export PNG. */
  fd = g_file_open_tmp ("test-present-XXXXXX.png", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (lab_experiment_page_export_to_file (page, path, 1.0, &error));
  g_assert_no_error (error);
  exported = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_test_message ("copied %dx%d", gdk_texture_get_width (texture), gdk_texture_get_height (texture));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gdk_texture_get_width (exported));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gdk_texture_get_height (exported));
  g_assert_cmpint (gdk_texture_get_width (texture), >, 300);
  lab_param_controls_reset (controls);
}

/* ---- how it looks ---- */

static void
screenshot_at (int         width,
               int         height,
               const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s%s%s.png", name,
                                           language != NULL && !g_str_equal (language, "en") ? "-" : "",
                                           language != NULL && !g_str_equal (language, "en") ? language : "");
  g_autofree char *path = g_build_filename (gui.screenshot_dir, file, NULL);

  gtk_window_set_default_size (GTK_WINDOW (gui.window), width, height);
  spin (300);
  check_screenshot (GTK_WIDGET (gui.window), path);
}

static void
test_screenshots (void)
{
  LabExperimentPage *page;
  GtkMenuButton *menu;
  GtkWidget *popover;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  page = lab_window_show_experiment (gui.window, "race-counter");
  if (lab_experiment_page_get_shown_run (page) == NULL)
    {
      lab_experiment_page_run (page);
      g_assert_true (wait_for (page_done, page, 60000));
    }
  activate ("win.presentation");
  screenshot_at (1920, 1080, "present-1920");
  screenshot_at (1024, 700, "present-1024");
  activate ("win.presentation");
  gtk_window_set_default_size (GTK_WINDOW (gui.window), 1280, 800);
  spin (200);

  /* The main menu with its text size row. */
  menu = GTK_MENU_BUTTON (find_widget (GTK_WIDGET (gui.window), GTK_TYPE_MENU_BUTTON, NULL));
  gtk_menu_button_popup (menu);
  spin (300);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (menu));
  wait_for_frames (popover);
  texture = snapshot_widget (popover);
  path = g_build_filename (gui.screenshot_dir, "present-menu.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  gtk_menu_button_popdown (menu);
  spin (100);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!gui_test_init (&argc, &argv, "/present/no-display"))
    return g_test_run ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  gui.screenshot_dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_func ("/present/code/lock", test_code_follows_lock);
  g_test_add_func ("/present/code/values", test_code_follows_preset);
  g_test_add_func ("/present/mode", test_presentation);
  g_test_add_func ("/present/text-size", test_text_size);
  g_test_add_func ("/present/copy-image", test_copy_image);
  if (gui.screenshot_dir != NULL)
    g_test_add_func ("/present/screenshots", test_screenshots);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (gui.window));
  spin (100);
  g_clear_object (&gui.app);

  return status;
}
