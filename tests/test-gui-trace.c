/* test-gui-trace.c — trace files in the window: opened from the command
 * line's file list (GApplication "open"), dropped on the window, written
 * from a run and opened again; files that cannot be read say why on their
 * page and the window stays usable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  char           *tmpdir;
} Gui;

static gboolean
page_settled (gpointer data)
{
  return lab_trace_page_get_state (data) != LAB_TRACE_PAGE_READING;
}

static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static char *
tmp_file (Gui        *gui,
          const char *name,
          const char *contents,
          gssize      length)
{
  char *path = g_build_filename (gui->tmpdir, name, NULL);

  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

/* Opens @path in the window and waits until it is read (or not). */
static LabTracePage *
open_and_wait (Gui        *gui,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  LabTracePage *page = lab_window_open_trace (gui->window, file);

  g_assert_true (lab_window_get_current_trace_page (gui->window) == page);
  g_assert_true (wait_for (page_settled, page, 30000));
  return page;
}

static void
close_current (Gui *gui)
{
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "close-trace", NULL);
  g_assert_null (lab_window_get_current_trace_page (gui->window));
}

static void
check_sample_page (LabTracePage *page)
{
  LabTrace *trace = lab_trace_page_get_trace (page);

  g_assert_cmpint (lab_trace_page_get_state (page), ==, LAB_TRACE_PAGE_SHOWN);
  g_assert_cmpstr (lab_trace_page_get_title (page), ==, "viztracer-sample.json");
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 3);
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, 19);
  g_assert_cmpstr (lab_trace_page_get_summary_text (page), ==,
                   "19 events in 3 lanes. "
                   "3 records of kinds the lab does not draw (O, P) were skipped.");
  g_assert_true (lab_timeline_get_trace (lab_trace_page_get_timeline (page)) == trace);
  /* VizTracer does not say where threads ran: no Cores view. */
  g_assert_false (gtk_widget_get_visible (lab_trace_page_get_view_switch (page)));
}

/* With LAB_TEST_SCREENSHOT_DIR set, saves the window as @name there. */
static void
maybe_screenshot (Gui        *gui,
                  const char *name)
{
  const char *dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  g_autofree char *png = NULL;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  png = g_build_filename (dir, name, NULL);
  spin (1000); /* the stacks' crossfades */
  check_screenshot (GTK_WIDGET (gui->window), png);
}

/* `concurrency-lab viztracer-sample.json` goes through g_application_open(). */
static void
test_open_from_command_line (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "viztracer-sample.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  LabTracePage *page;

  g_application_open (G_APPLICATION (gui->app), &file, 1, "");
  page = lab_window_get_current_trace_page (gui->window);
  g_assert_nonnull (page);
  g_assert_true (wait_for (page_settled, page, 30000));
  check_sample_page (page);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lab_trace_page_get_timeline (page))));
  maybe_screenshot (gui, "trace-page.png");
  close_current (gui);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* A file dropped on the window opens as a trace. */
static void
test_drop (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "viztracer-sample.json", NULL);
  GSList files = { g_file_new_for_path (path), NULL };
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (gui->window));
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  LabTracePage *page;

  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_object_unref (files.data);
  g_assert_true (accepted);

  page = lab_window_get_current_trace_page (gui->window);
  g_assert_nonnull (page);
  g_assert_true (wait_for (page_settled, page, 30000));
  check_sample_page (page);
  close_current (gui);
}

/* Run → Export Trace → open: the same lanes, spans and marks. */
static void
test_export_round_trip (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *experiment = lab_window_show_experiment (gui->window, "race-counter");
  g_autofree char *path = tmp_file (gui, "race.json", NULL, 0);
  g_autoptr(GError) error = NULL;
  LabTrace *ran, *read;
  LabTracePage *page;

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "export-trace"));
  lab_experiment_page_run (experiment);
  g_assert_true (wait_for (page_idle, experiment, 30000));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "export-trace"));
  g_assert_true (lab_experiment_page_export_to_file (experiment, path, 1.0, &error));
  g_assert_no_error (error);

  page = open_and_wait (gui, path);
  g_assert_cmpint (lab_trace_page_get_state (page), ==, LAB_TRACE_PAGE_SHOWN);
  g_assert_null (lab_window_get_current_page (gui->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "export-trace"));
  ran = lab_runner_get_trace (lab_experiment_page_get_shown_run (experiment));
  read = lab_trace_page_get_trace (page);
  g_assert_cmpuint (lab_trace_get_n_lanes (read), ==, lab_trace_get_n_lanes (ran));
  for (guint i = 0; i < lab_trace_get_n_lanes (ran); i++)
    {
      const LabTraceLane *a = lab_trace_get_lane (ran, i);
      const LabTraceLane *b = lab_trace_get_lane (read, i);

      g_assert_cmpstr (b->name, ==, a->name);
      g_assert_cmpuint (b->marks->len, ==, a->marks->len);
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        g_assert_cmpuint (b->spans[d]->len, ==, a->spans[d]->len);
    }
  /* Our own runs say where threads ran: the Cores view is offered. */
  g_assert_true (gtk_widget_get_visible (lab_trace_page_get_view_switch (page)));
  close_current (gui);
  g_assert_true (lab_window_get_current_page (gui->window) == NULL);
}

static void
assert_fails (Gui        *gui,
              const char *path,
              const char *needle)
{
  LabTracePage *page = open_and_wait (gui, path);
  const char *text = lab_trace_page_get_error_text (page);
  g_autofree char *name = g_strdup_printf ("trace-failed-%s.png", lab_trace_page_get_title (page));

  g_assert_cmpint (lab_trace_page_get_state (page), ==, LAB_TRACE_PAGE_FAILED);
  if (strstr (text, needle) == NULL)
    g_error ("“%s” does not say “%s”", text, needle);
  maybe_screenshot (gui, name);
  close_current (gui);
}

/* Each says why on its page; afterwards the window still runs experiments. */
static void
test_bad_files (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "data", "viztracer-sample.json", NULL);
  g_autofree char *text = NULL;
  gsize length;
  g_autofree char *cut = NULL;
  g_autofree char *other = tmp_file (gui, "metrics.json", "{\"experiment\": \"race-counter\"}", -1);
  g_autofree char *latin1 = tmp_file (gui, "latin1.json", "{\"traceEvents\": [{\"name\": \"caf\xe9\"}]}", -1);
  g_autofree char *missing = tmp_file (gui, "missing.json", NULL, 0);
  LabExperimentPage *experiment;

  g_assert_true (g_file_get_contents (sample, &text, &length, NULL));
  cut = tmp_file (gui, "cut.json", text, (gssize) length / 2);

  assert_fails (gui, cut, "“cut.json” is not a trace: the file is not valid JSON, or is cut short");
  assert_fails (gui, other, "“metrics.json” is not a trace: the file has no traceEvents");
  assert_fails (gui, latin1, "“latin1.json” is not a trace: it is not UTF-8 text");
  assert_fails (gui, missing, "Could not open “missing.json”: No such file or directory");

  experiment = lab_window_show_experiment (gui->window, "race-counter");
  lab_experiment_page_run (experiment);
  g_assert_true (wait_for (page_idle, experiment, 30000));
  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (experiment)), ==,
                   LAB_RUN_DONE);
}

/* A long file, cancelled while it is read: the page goes, nothing stays. */
static void
test_cancel (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  g_autofree char *path = tmp_file (gui, "long.json", NULL, 0);
  g_autoptr(GString) text = g_string_new ("{\"traceEvents\":[");
  LabTracePage *page;
  g_autoptr(GFile) file = NULL;
  GtkWidget *watched;

  for (guint i = 0; i < 400000; i++)
    g_string_append_printf (text, "%s{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%u,\"dur\":1,\"name\":\"f\"}",
                            i > 0 ? "," : "", i % 8, i);
  g_string_append (text, "]}");
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));

  file = g_file_new_for_path (path);
  page = lab_window_open_trace (gui->window, file);
  watched = GTK_WIDGET (page);
  g_object_add_weak_pointer (G_OBJECT (watched), (gpointer *) &watched);
  g_assert_cmpint (lab_trace_page_get_state (page), ==, LAB_TRACE_PAGE_READING);
  lab_trace_page_cancel (page);
  /* Cancelled: the page is closed and freed, the summary is shown. */
  g_assert_true (wait_for (is_gone, &watched, 30000));
  g_assert_null (lab_window_get_current_trace_page (gui->window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Gui gui = { 0 };
  int status;

  if (!gui_test_init (&argc, &argv, "/gui-trace/no-display"))
    return g_test_run ();

  gui.tmpdir = g_dir_make_tmp ("lab-test-trace-XXXXXX", &error);
  g_assert_no_error (error);
  gui.app = lab_application_new ();
  /* Not unique (tests run side by side), but still opening files. */
  g_application_set_flags (G_APPLICATION (gui.app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (gui.app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (gui.app));
  gui.window = LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (gui.app)));
  gtk_window_set_default_size (GTK_WINDOW (gui.window), 1280, 800);
  g_assert_true (wait_for (window_ready, gui.window, 10000));

  g_test_add_data_func ("/gui-trace/open-from-command-line", &gui, test_open_from_command_line);
  g_test_add_data_func ("/gui-trace/drop", &gui, test_drop);
  g_test_add_data_func ("/gui-trace/export-round-trip", &gui, test_export_round_trip);
  g_test_add_data_func ("/gui-trace/bad-files", &gui, test_bad_files);
  g_test_add_data_func ("/gui-trace/cancel", &gui, test_cancel);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (gui.window));
  spin (100);
  g_object_unref (gui.app);
  {
    g_autoptr(GDir) dir = g_dir_open (gui.tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (gui.tmpdir, name, NULL);

        g_unlink (p);
      }
  }
  g_rmdir (gui.tmpdir);
  g_free (gui.tmpdir);
  return status;
}
