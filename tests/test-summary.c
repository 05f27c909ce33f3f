/* test-summary.c — the summary page: both tables, and links that open
 * (and set up) the experiment they name.
 *
 * Runs under Xvfb. Set LAB_TEST_SCREENSHOT_DIR to save summary.png (or
 * summary-ru.png with LANGUAGE=ru and LAB_TEST_LOCALEDIR) there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lab-application.h"
#include "lab-experiments.h"
#include "lab-summary-page.h"
#include "lab-window.h"
#include "test-gui-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static void
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderNode *node;
  GskRenderer *renderer;

  wait_for_frames (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%d×%d)", path, width, height);
}

static LabSummaryPage *
show_summary (Gui *gui)
{
  GtkWidget *page = lab_window_show_summary (gui->window);

  g_assert_true (LAB_IS_SUMMARY_PAGE (page));
  g_assert_true (gtk_widget_get_mapped (page) || wait_for (window_ready, page, 2000));
  g_assert_null (lab_window_get_current_page (gui->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));

  return LAB_SUMMARY_PAGE (page);
}

static void
test_tables (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabSummaryPage *page = show_summary (gui);
  guint rows = 0, columns = 0;

  /* Header row + process, thread, coroutine; entity + four aspects. */
  lab_summary_page_get_table_size (page, 0, &rows, &columns);
  g_assert_cmpuint (rows, ==, 4);
  g_assert_cmpuint (columns, ==, 5);
  /* Header row + ten aspects; aspect + five APIs. */
  lab_summary_page_get_table_size (page, 1, &rows, &columns);
  g_assert_cmpuint (rows, ==, 11);
  g_assert_cmpuint (columns, ==, 6);

  for (guint i = 0; i < 9; i++)
    {
      static const char * const names[] = {
        "process-isolation", "process-sum", "race-counter", "threads-cpu-sum", "event-loop",
        "thread", "process", "pool", "run",
      };

      g_assert_nonnull (lab_summary_page_get_link (page, names[i]));
    }
  g_assert_nonnull (lab_summary_page_get_link (page, "popen"));
}

static LabExperimentPage *
click_link (Gui        *gui,
            const char *name,
            const char *expected_id)
{
  LabSummaryPage *page = show_summary (gui);
  GtkWidget *link = lab_summary_page_get_link (page, name);
  LabExperimentPage *shown;

  g_assert_nonnull (link);
  g_signal_emit_by_name (link, "clicked");
  spin (50);
  shown = lab_window_get_current_page (gui->window);
  g_assert_nonnull (shown);
  g_assert_cmpstr (lab_experiment_page_get_experiment (shown)->id, ==, expected_id);

  return shown;
}

static void
test_links (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page;

  click_link (gui, "pool", "process-pool-map");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));

  page = click_link (gui, "popen", "subprocess-run");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "popen");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "command"), ==, "sleep 5");

  page = click_link (gui, "run", "subprocess-run");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "run");

  page = click_link (gui, "event-loop", "threads-io-fetch");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "event-loop");

  click_link (gui, "thread", "threads-hello");
  click_link (gui, "process", "process-isolation");
}

static void
test_screenshot (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *name = g_strdup_printf ("summary%s%s.png",
                                           language != NULL && !g_str_equal (language, "en") ? "-" : "",
                                           language != NULL && !g_str_equal (language, "en") ? language : "");
  g_autofree char *path = g_build_filename (gui->screenshot_dir, name, NULL);
  g_autofree char *dark_name = g_strdup_printf ("dark-%s", name);
  g_autofree char *dark_path = g_build_filename (gui->screenshot_dir, dark_name, NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();
  LabSummaryPage *page = show_summary (gui);
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (page));
  GtkAdjustment *adjustment;
  g_autofree char *bottom_name = g_strdup_printf ("bottom-%s", name);
  g_autofree char *bottom_path = g_build_filename (gui->screenshot_dir, bottom_name, NULL);

  spin (300);
  save_screenshot (GTK_WIDGET (gui->window), path);

  /* The second table, scrolled into view. */
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  spin (300);
  save_screenshot (GTK_WIDGET (gui->window), bottom_path);
  gtk_adjustment_set_value (adjustment, 0);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  spin (300);
  save_screenshot (GTK_WIDGET (gui->window), dark_path);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Gui gui = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LAB_TEST_LOCALEDIR") ? g_getenv ("LAB_TEST_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  tolerate_stale_allocations ();

  gui.screenshot_dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  if (gui.screenshot_dir != NULL)
    g_mkdir_with_parents (gui.screenshot_dir, 0755);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/summary/no-display", test_no_display);
      return g_test_run ();
    }

  gui.app = lab_application_new ();
  g_application_set_flags (G_APPLICATION (gui.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (gui.app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (gui.app));
  gui.window = LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (gui.app)));
  g_assert_nonnull (gui.window);
  gtk_window_set_default_size (GTK_WINDOW (gui.window), 1280, 800);
  g_assert_true (wait_for (window_ready, gui.window, 10000));
  spin (200);

  g_test_add_data_func ("/summary/tables", &gui, test_tables);
  g_test_add_data_func ("/summary/links", &gui, test_links);
  if (gui.screenshot_dir != NULL)
    g_test_add_data_func ("/summary/screenshot", &gui, test_screenshot);

  status = g_test_run ();

  if (gui.window != NULL)
    gtk_window_destroy (GTK_WINDOW (gui.window));
  g_clear_object (&gui.app);

  return status;
}
