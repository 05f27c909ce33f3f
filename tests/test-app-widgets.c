/* test-app-widgets.c — the request table and the process boxes, fed by
 * real runs, and a look at their pixels.
 *
 * Runs under Xvfb (build-aux wrapper or `xvfb-run -a`). The snapshots go
 * to /tmp/request-table.png and /tmp/process-boxes.png, or into
 * LAB_TEST_SCREENSHOT_DIR when set; the dark variants next to them
 * (request-table-dark.png, process-boxes-dark.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "lab-experiments.h"
#include "lab-process-boxes.h"
#include "lab-request-table.h"
#include "lab-runner.h"
#include "test-gui-util.h"

/* Runs @id to the end with the "KEY=VALUE" assignments given. */
static LabRunner *
run_experiment (const char *id,
                ...)
{
  const LabExperiment *experiment = lab_experiments_find (id);
  g_autoptr(GError) error = NULL;
  LabParams *params;
  LabRunner *runner;
  const char *assignment;
  va_list args;

  g_assert_nonnull (experiment);
  params = lab_params_new (experiment->params, experiment->n_params);
  va_start (args, id);
  while ((assignment = va_arg (args, const char *)) != NULL)
    {
      lab_experiment_parse_assignment (experiment, params, assignment, &error);
      g_assert_no_error (error);
    }
  va_end (args);

  runner = lab_runner_new (experiment, params);
  lab_params_free (params);
  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);
  return runner;
}

/* Puts @widget in a window, lets it map, and saves what it draws. */
static void
snapshot_to_png (GtkWidget  *widget,
                 int         width,
                 const char *name)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  const char *dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : g_get_tmp_dir (), name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int w, h, full_h;

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), width, -1);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window_ready, widget, 10000));
  wait_for (never, NULL, 300);

  paintable = gtk_widget_paintable_new (box);
  w = gdk_paintable_get_intrinsic_width (paintable);
  h = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);
  /* A window is as tall as its content needs at its narrowest (a flow box
   * then has one card per line); keep only what the width shown needs. */
  {
    int needed;

    gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget),
                        NULL, &needed, NULL, NULL);
    full_h = h;
    h = MIN (h, needed + gtk_widget_get_margin_top (box) + gtk_widget_get_margin_bottom (box));
  }
  snapshot = gtk_snapshot_new ();
  /* The window's background, so the PNG reads like the screen. */
  {
    GdkRGBA background;

    gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                    "window_bg_color", &background);
    gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, w, h));
  }
  gdk_paintable_snapshot (paintable, snapshot, w, full_h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%d×%d)", path, w, h);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Light, then dark: "NAME.png" and "NAME-dark.png". */
static void
snapshot_light_and_dark (GtkWidget  *widget,
                         int         width,
                         const char *name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *light = g_strconcat (name, ".png", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark.png", NULL);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  snapshot_to_png (widget, width, light);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  snapshot_to_png (widget, width, dark);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_request_table (void)
{
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GVariant) requests = NULL;
  GtkWidget *table = lab_request_table_new ();
  guint n_failed = 0;
  gsize n;

  g_object_ref_sink (table);
  g_assert_false (lab_request_table_has_data (LAB_REQUEST_TABLE (table)));

  runner = run_experiment ("threads-io-fetch",
                           "urls=/page?delay=10,/status/500,/page/two?delay=20",
                           "mode=threads", "threads=2", NULL);
  requests = lab_metrics_lookup (lab_runner_get_metrics (runner), "requests");
  g_assert_nonnull (requests);
  n = g_variant_n_children (requests);
  /* One after another, then with threads: each URL twice. */
  g_assert_cmpuint (n, ==, 6);

  lab_request_table_set_runner (LAB_REQUEST_TABLE (table), runner);
  g_assert_true (lab_request_table_has_data (LAB_REQUEST_TABLE (table)));
  g_assert_cmpuint (lab_request_table_get_n_rows (LAB_REQUEST_TABLE (table)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const char *error = lab_request_table_get_error_text (LAB_REQUEST_TABLE (table), i);

      if (i % 3 == 1)
        {
          g_assert_nonnull (error);
          g_assert_true (strstr (error, "500") != NULL);
          n_failed++;
        }
      else
        {
          g_assert_null (error);
        }
    }
  g_assert_cmpuint (n_failed, ==, 2);

  snapshot_light_and_dark (table, 900, "request-table");

  /* Another experiment's run: nothing to show. */
  {
    g_autoptr(LabRunner) other = run_experiment ("process-isolation", "processes=1", NULL);

    lab_request_table_set_runner (LAB_REQUEST_TABLE (table), other);
    g_assert_false (lab_request_table_has_data (LAB_REQUEST_TABLE (table)));
    g_assert_cmpuint (lab_request_table_get_n_rows (LAB_REQUEST_TABLE (table)), ==, 0);
  }
  lab_request_table_set_runner (LAB_REQUEST_TABLE (table), NULL);
  g_assert_false (lab_request_table_has_data (LAB_REQUEST_TABLE (table)));
  g_object_unref (table);
}

static void
test_process_boxes (void)
{
  g_autoptr(LabRunner) runner = NULL;
  GtkWidget *boxes = lab_process_boxes_new ();
  LabProcessBoxes *self = LAB_PROCESS_BOXES (boxes);

  g_object_ref_sink (boxes);
  g_assert_false (lab_process_boxes_has_data (self));

  runner = run_experiment ("process-isolation", "processes=3", NULL);
  lab_process_boxes_set_runner (self, runner);
  g_assert_true (lab_process_boxes_has_data (self));

  /* Three children, the parent, the parent via the queue. */
  g_assert_cmpuint (lab_process_boxes_get_n_cards (self), ==, 5);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Child %u", i + 1);

      g_assert_cmpstr (lab_process_boxes_get_card_title (self, i), ==, title);
      g_assert_cmpuint (lab_process_boxes_get_card_len (self, i), ==, 1);
    }
  g_assert_cmpstr (lab_process_boxes_get_card_title (self, 3), ==, "Parent");
  g_assert_cmpuint (lab_process_boxes_get_card_len (self, 3), ==, 0);
  g_assert_cmpstr (lab_process_boxes_get_card_title (self, 4), ==, "Parent via a queue");
  g_assert_cmpuint (lab_process_boxes_get_card_len (self, 4), ==, 3);

  snapshot_light_and_dark (boxes, 900, "process-boxes");

  lab_process_boxes_set_runner (self, NULL);
  g_assert_false (lab_process_boxes_has_data (self));
  g_assert_cmpuint (lab_process_boxes_get_n_cards (self), ==, 0);
  g_object_unref (boxes);
}

/* A run still going when it is set: shown once it finished. */
static void
test_set_before_finished (void)
{
  const LabExperiment *experiment = lab_experiments_find ("process-isolation");
  GtkWidget *boxes = lab_process_boxes_new ();
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  LabParams *params;

  g_object_ref_sink (boxes);
  params = lab_params_new (experiment->params, experiment->n_params);
  lab_experiment_parse_assignment (experiment, params, "processes=2", &error);
  g_assert_no_error (error);
  runner = lab_runner_new (experiment, params);
  lab_params_free (params);

  lab_process_boxes_set_runner (LAB_PROCESS_BOXES (boxes), runner);
  g_assert_false (lab_process_boxes_has_data (LAB_PROCESS_BOXES (boxes)));
  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);
  g_assert_true (lab_process_boxes_has_data (LAB_PROCESS_BOXES (boxes)));
  g_assert_cmpuint (lab_process_boxes_get_n_cards (LAB_PROCESS_BOXES (boxes)), ==, 4);
  g_object_unref (boxes);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  tolerate_stale_allocations ();

  if (!gtk_init_check ())
    {
      g_test_add_func ("/app-widgets/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/app-widgets/request-table", test_request_table);
  g_test_add_func ("/app-widgets/process-boxes", test_process_boxes);
  g_test_add_func ("/app-widgets/set-before-finished", test_set_before_finished);

  return g_test_run ();
}
