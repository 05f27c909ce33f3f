/* test-page-features.c — the experiment page's chart, Threads/Cores toggle,
 * sweep and presets, driven in the window like a user would.
 *
 * Runs under Xvfb (`xvfb-run -a`). Set LAB_TEST_SCREENSHOT_DIR to also save
 * page-cores.png and page-sweep.png there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-window.h"
#include "test-gui-util.h"
#include "test-page-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static gboolean
is_destroyed (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_destroy (GtkWidget *widget,
            gboolean  *destroyed)
{
  *destroyed = TRUE;
}

/* Lets the window lay out and paint what changed. */
static void
save_screenshot_of (Gui        *gui,
                    GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  int width, height;

  if (gui->screenshot_dir == NULL)
    return;

  wait_for_frames (widget);
  paintable = gtk_widget_paintable_new (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  path = g_build_filename (gui->screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%d×%d)", path, width, height);
}

static void
save_screenshot (Gui        *gui,
                 const char *name)
{
  save_screenshot_of (gui, GTK_WIDGET (gui->window), name);
}

static LabExperimentPage *
show_experiment (Gui        *gui,
                 const char *id)
{
  LabExperimentPage *page = lab_window_show_experiment (gui->window, id);

  g_assert_nonnull (page);
  g_assert_true (lab_window_get_current_page (gui->window) == page);

  return page;
}

static LabExperimentPage *
show_small_cpu_sum (Gui *gui)
{
  LabExperimentPage *page = show_experiment (gui, "threads-cpu-sum");

  set_int (page, "size", 200000);
  set_int (page, "repeat", 1);
  set_int (page, "threads", 2);

  return page;
}

static LabBarChart *
get_chart (LabExperimentPage *page)
{
  return lab_run_view_get_chart (lab_experiment_page_get_run_view (page));
}

static void
test_run_chart_and_cores (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_small_cpu_sum (gui);
  LabTimeline *timeline = lab_experiment_page_get_timeline (page);
  GtkWidget *cores = lab_run_view_get_cores_button (lab_experiment_page_get_run_view (page));
  LabBarChart *chart = get_chart (page);
  LabChart *model;
  LabRunner *run;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (lab_experiment_page_get_running (page));
  g_assert_true (wait_for (page_idle, page, 30000));
  spin (200);

  run = lab_experiment_page_get_shown_run (page);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_DONE);
  /* The chart is shown exactly when the run made one. */
  model = lab_bar_chart_get_chart (chart);
  g_assert_true (model == lab_runner_get_chart (run));
  g_assert_cmpint (gtk_widget_is_visible (GTK_WIDGET (chart)), ==, model != NULL);
  if (model != NULL)
    {
      g_assert_cmpint (lab_chart_get_kind (model), ==, LAB_CHART_BARS);
      g_assert_cmpuint (lab_chart_get_n_bars (model), ==, 2);
    }
  else
    g_test_message ("threads-cpu-sum made no chart");

  g_assert_false (lab_timeline_get_show_cores (timeline));
  g_signal_emit_by_name (cores, "clicked");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cores)));
  g_assert_true (lab_timeline_get_show_cores (timeline));
  spin (200);
  save_screenshot (gui, "page-cores.png");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (cores), FALSE);
  g_assert_false (lab_timeline_get_show_cores (timeline));
  lab_timeline_set_show_cores (timeline, TRUE);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cores)));
  lab_timeline_set_show_cores (timeline, FALSE);
}

/* An experiment that makes a bar chart, and its request table. */
static void
test_io_fetch_chart (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_experiment (gui, "threads-io-fetch");
  LabRunView *view = lab_experiment_page_get_run_view (page);
  LabBarChart *chart = lab_run_view_get_chart (view);
  LabChart *model;

  set_int (page, "delay_ms", 20);
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (wait_for (page_idle, page, 30000));
  spin (200);

  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==, LAB_RUN_DONE);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (chart)));
  model = lab_bar_chart_get_chart (chart);
  g_assert_nonnull (model);
  g_assert_cmpint (lab_chart_get_kind (model), ==, LAB_CHART_BARS);
  g_assert_cmpuint (lab_chart_get_n_bars (model), ==, 2);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (lab_run_view_get_request_table (view))));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (lab_run_view_get_process_boxes (view))));
  save_screenshot (gui, "page-io-fetch.png");
}

static void
test_sweep (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_small_cpu_sum (gui);
  GListModel *runs = lab_experiment_page_get_runs (page);
  guint n_before = g_list_model_get_n_items (runs);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  LabChart *model;

  g_assert_true (gtk_widget_get_visible (lab_experiment_page_get_sweep_button (page)));
  if (gui->screenshot_dir != NULL)
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (lab_experiment_page_get_sweep_button (page));

      gtk_menu_button_popup (button);
      spin (300);
      save_screenshot_of (gui, GTK_WIDGET (gtk_menu_button_get_popover (button)), "page-sweep-popover.png");
      gtk_menu_button_popdown (button);
      spin (100);
    }

  lab_experiment_page_start_sweep (page, "threads", 1, 2, 1);
  g_assert_true (lab_experiment_page_get_running (page));
  g_assert_false (gtk_widget_is_sensitive (lab_experiment_page_get_run_button (page)));
  g_assert_true (gtk_widget_is_sensitive (lab_experiment_page_get_stop_button (page)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));
  g_assert_true (wait_for (page_idle, page, 60000));
  spin (200);

  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, n_before + 2);
  g_assert_nonnull (lab_experiment_page_get_shown_sweep (page));
  g_assert_cmpuint (lab_sweep_get_n_done (lab_experiment_page_get_shown_sweep (page)), ==, 2);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (get_chart (page))));
  model = lab_bar_chart_get_chart (get_chart (page));
  g_assert_nonnull (model);
  g_assert_cmpint (lab_chart_get_kind (model), ==, LAB_CHART_LINES);
  g_assert_true (gtk_widget_is_sensitive (lab_experiment_page_get_run_button (page)));
  save_screenshot (gui, "page-sweep.png");

  /* Export writes the sweep's chart. */
  g_assert_true (lab_experiment_page_can_export (page));
  name = lab_experiment_page_suggest_file_name (page, 1.0);
  g_assert_cmpstr (name, ==, "threads-cpu-sum-sweep-threads.png");
  path = g_build_filename (g_get_tmp_dir (), "lab-test-page-sweep-export.png", NULL);
  g_assert_true (lab_experiment_page_export_to_file (page, path, 1.0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (path);

  /* An invalid range is refused (a toast), nothing runs. */
  lab_experiment_page_start_sweep (page, "threads", 0, 2, 1);
  g_assert_false (lab_experiment_page_get_running (page));
}

static void
test_preset (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_experiment (gui, "subprocess-run");
  LabParamControls *controls = lab_experiment_page_get_param_controls (page);
  GtkWidget *button = lab_param_controls_get_preset_button (controls, "bc");

  g_assert_false (gtk_widget_get_visible (lab_experiment_page_get_sweep_button (page)));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "command"), ==, "bc");
  lab_param_controls_reset (controls);
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "command"), !=, "bc");
}

static void
test_close_mid_sweep (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_experiment (gui, "threads-cpu-sum");
  gboolean destroyed = FALSE;

  set_int (page, "size", 50000000);
  set_int (page, "repeat", 3);
  lab_experiment_page_start_sweep (page, "threads", 1, 4, 2);
  spin (200);
  g_assert_true (lab_experiment_page_get_running (page));

  g_signal_connect (gui->window, "destroy", G_CALLBACK (on_destroy), &destroyed);
  gtk_window_close (GTK_WINDOW (gui->window));
  g_assert_true (wait_for (is_destroyed, &destroyed, 5000));
  gui->window = NULL;
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (gui->app)));
}

int
main (int   argc,
      char *argv[])
{
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
      g_test_add_func ("/page/no-display", test_no_display);
      return g_test_run ();
    }

  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_data_func ("/page/run-chart-and-cores", &gui, test_run_chart_and_cores);
  g_test_add_data_func ("/page/io-fetch-chart", &gui, test_io_fetch_chart);
  g_test_add_data_func ("/page/sweep", &gui, test_sweep);
  g_test_add_data_func ("/page/preset", &gui, test_preset);
  g_test_add_data_func ("/page/close-mid-sweep", &gui, test_close_mid_sweep);

  status = g_test_run ();

  g_clear_object (&gui.app);

  return status;
}
