/* test-gui-history.c — the run history keeps the timelines of its newest
 * runs only (the "history-timelines" setting) and the metrics of all.
 *
 * Runs under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

#define GIVE_UP_MS 30000

static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

static LabRunner *
run_at (LabExperimentPage *page,
        guint              position)
{
  g_autoptr(LabRunner) run = g_list_model_get_item (lab_experiment_page_get_runs (page), position);

  return run; /* the page's list keeps it */
}

/* With 3 timelines kept, 5 runs: runs 1 and 2 keep their metrics, lose
 * their events, say so when selected, and can still be compared. */
static void
test_kept_timelines (gconstpointer data)
{
  LabWindow *window = LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION ((gpointer) data)));
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  LabExperimentPage *page;
  LabRunHistory *history;
  const guint oldest_two[] = { 4, 3 };
  const guint old_and_new[] = { 4, 0 };

  g_settings_set_uint (settings, "history-timelines", 3);
  page = lab_window_show_experiment (window, "threads-hello");
  g_assert_nonnull (page);
  history = lab_experiment_page_get_run_history (page);
  g_assert_cmpuint (lab_run_history_get_kept_timelines (history), ==, 3);

  for (guint i = 0; i < 5; i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
      g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
      g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==,
                       LAB_RUN_DONE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (lab_experiment_page_get_runs (page)), ==, 5);

  /* Newest first: positions 3 and 4 are runs 2 and 1. */
  for (guint i = 0; i < 5; i++)
    {
      LabRunner *run = run_at (page, i);
      gboolean dropped = i >= 3;

      g_assert_cmpuint (lab_run_get_index (run), ==, 5 - i);
      g_assert_cmpint (lab_runner_get_trace_released (run), ==, dropped);
      g_assert_nonnull (lab_runner_get_metrics (run));
      if (dropped)
        g_assert_cmpuint (lab_trace_get_n_events (lab_runner_get_trace (run)), ==, 0);
      else
        g_assert_cmpuint (lab_trace_get_n_events (lab_runner_get_trace (run)), >, 0);
    }

  /* Selecting an old run shows it (metrics, an empty timeline) and says why. */
  lab_experiment_page_show_tab (page, "runs");
  lab_run_history_select_positions (history, &oldest_two[0], 1);
  spin (200);
  g_assert_true (lab_experiment_page_get_shown_run (page) == run_at (page, 4));
  g_assert_nonnull (strstr (lab_run_history_get_hint (history),
                            "The timeline of Run 1 is no longer kept"));

  lab_run_history_select_positions (history, oldest_two, G_N_ELEMENTS (oldest_two));
  spin (100);
  g_assert_cmpuint (lab_run_history_get_n_compared (history), ==, 2);
  lab_run_history_select_positions (history, old_and_new, G_N_ELEMENTS (old_and_new));
  spin (100);
  g_assert_cmpuint (lab_run_history_get_n_compared (history), ==, 2);

  /* Fewer kept: only the newest run keeps its timeline. */
  g_settings_set_uint (settings, "history-timelines", 1);
  g_assert_cmpuint (lab_run_history_get_kept_timelines (history), ==, 1);
  g_assert_false (lab_runner_get_trace_released (run_at (page, 0)));
  for (guint i = 1; i < 5; i++)
    g_assert_true (lab_runner_get_trace_released (run_at (page, i)));
  g_settings_reset (settings, "history-timelines");
  g_assert_cmpuint (lab_run_history_get_kept_timelines (history), ==, 20);

  /* Where the setting is changed. */
  g_action_group_activate_action (G_ACTION_GROUP ((gpointer) data), "preferences", NULL);
  spin (200);
  g_assert_nonnull (find_toplevel (ADW_TYPE_PREFERENCES_WINDOW));
  close_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if (!gui_test_init (&argc, &argv, "/gui-history/no-display"))
    return g_test_run ();

  app = lab_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (wait_for (window_ready, window, GIVE_UP_MS));

  g_test_add_data_func ("/gui-history/kept-timelines", app, test_kept_timelines);

  return g_test_run ();
}
