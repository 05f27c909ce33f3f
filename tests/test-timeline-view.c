/* test-timeline-view.c — the timeline goes straight to the lesson: a
 * finished race run opens at its first lost update, the experiment's
 * button and "Fit" move the view, a wheel step halves the range, the
 * legend names what the trace holds, collapsed idle time shortens a
 * sleeping run and compact lanes fit 64 threads.
 *
 * Runs under Xvfb (`xvfb-run -a`). Counts and ranges only, no timings.
 * With LAB_TEST_SCREENSHOT_DIR set it saves timeline-moment.png,
 * timeline-collapsed.png and timeline-compact.png there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-timeline-test.h"
#include "lab-window.h"
#include "test-gui-util.h"
#include "test-page-util.h"

typedef struct
{
  LabApplication    *app;
  LabWindow         *window;
  const char        *screenshot_dir;
  LabExperimentPage *race;   /* the page of the finished race run */
} Gui;


static gboolean
not_animating (gpointer data)
{
  return !lab_timeline_is_animating (data);
}

static void
save_timeline (Gui         *gui,
               LabTimeline *timeline,
               const char  *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (gui->screenshot_dir == NULL)
    return;
  wait_for_frames (GTK_WIDGET (timeline));
  texture = snapshot_widget (GTK_WIDGET (timeline));
  path = g_build_filename (gui->screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static LabExperimentPage *
run_page (Gui        *gui,
          const char *id,
          const char *params)
{
  LabExperimentPage *page = show_with_values (gui->window, id, params);

  spin (50);
  lab_experiment_page_run (page);
  g_assert_true (wait_for (page_idle, page, 60000));
  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==,
                   LAB_RUN_DONE);
  spin (100);
  return page;
}

static gint64
trace_duration (LabTrace *trace)
{
  return lab_trace_get_end_ns (trace) - lab_trace_get_start_ns (trace);
}

/* The first highlighted mark of the trace (the first lost update), ns
 * since the trace start. */
static gint64
first_lost_update (LabTrace *trace)
{
  gint64 first = G_MAXINT64;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      for (guint k = 0; k < lane->marks->len; k++)
        {
          const LabEvent *ev = &g_array_index (lane->events, LabEvent,
                                               g_array_index (lane->marks, guint32, k));

          if (ev->flags & LAB_EVENT_FLAG_HIGHLIGHT)
            first = MIN (first, ev->ts_ns);
        }
    }
  g_assert_cmpint (first, !=, G_MAXINT64);
  return first - lab_trace_get_start_ns (trace);
}

/* The button that goes to the moment: the one bound to view.moment. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static LabTimeline *
race_timeline (Gui *gui)
{
  g_assert_nonnull (gui->race);
  return lab_experiment_page_get_timeline (gui->race);
}

static void
test_race_opens_at_lost_update (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabTimeline *timeline;
  LabTrace *trace;
  GtkWidget *button;
  gint64 start, end, lost;

  gui->race = run_page (gui, "race-counter",
                        "{'threads': <int64 6>, 'max_sleep_ms': <int64 300>, "
                        "'seed': <int64 3>, 'lock': <false>}");
  timeline = race_timeline (gui);
  trace = lab_timeline_get_trace (timeline);
  lost = first_lost_update (trace);

  lab_timeline_get_view (timeline, &start, &end);
  g_test_message ("view %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " ns, lost update at %"
                  G_GINT64_FORMAT ", run %" G_GINT64_FORMAT, start, end, lost,
                  trace_duration (trace));
  g_assert_cmpint (start, <=, lost);
  g_assert_cmpint (end, >=, lost);
  g_assert_cmpint (end - start, <, trace_duration (trace));
  g_assert_false (lab_timeline_get_follow (timeline));

  button = find_action_button (GTK_WIDGET (gui->race), "view.moment");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Show the lost update");
  g_assert_true (gtk_widget_is_sensitive (button));
  save_timeline (gui, timeline, "timeline-moment.png");
}

static void
test_fit_and_back (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabTimeline *timeline = race_timeline (gui);
  LabTrace *trace = lab_timeline_get_trace (timeline);
  GtkWidget *fit = find_action_button (GTK_WIDGET (gui->race), "view.fit");
  GtkWidget *moment = find_action_button (GTK_WIDGET (gui->race), "view.moment");
  gint64 start, end, lost = first_lost_update (trace);

  g_assert_nonnull (fit);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (fit)), ==, "Fit");
  g_signal_emit_by_name (fit, "clicked");
  /* Shown and after the run: the zoom is animated. */
  g_assert_true (lab_timeline_is_animating (timeline));
  g_assert_true (wait_for (not_animating, timeline, 5000));
  lab_timeline_get_view (timeline, &start, &end);
  g_assert_cmpint (start, <=, 0);
  g_assert_cmpint (end, >=, trace_duration (trace));

  g_signal_emit_by_name (moment, "clicked");
  g_assert_true (wait_for (not_animating, timeline, 5000));
  lab_timeline_get_view (timeline, &start, &end);
  g_assert_cmpint (start, <=, lost);
  g_assert_cmpint (end, >=, lost);
  g_assert_cmpint (end - start, <, trace_duration (trace));
}

static void
test_wheel_step_halves (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabTimeline *timeline = race_timeline (gui);
  gint64 start, end, start2, end2;

  lab_timeline_zoom_fit (timeline);
  lab_timeline_get_view (timeline, &start, &end);

  /* One click of the wheel, up, with Ctrl: half the range. */
  g_assert_true (lab_timeline_handle_scroll (timeline, 0, -1, GDK_SCROLL_UNIT_WHEEL,
                                             GDK_CONTROL_MASK));
  lab_timeline_get_view (timeline, &start2, &end2);
  g_assert_cmpint (end2 - start2, ==, (end - start) / 2);

  /* Down again: back to the range it had. */
  g_assert_true (lab_timeline_handle_scroll (timeline, 0, 1, GDK_SCROLL_UNIT_WHEEL,
                                             GDK_CONTROL_MASK));
  lab_timeline_get_view (timeline, &start2, &end2);
  g_assert_cmpint (ABS ((end2 - start2) - (end - start)), <=, 1);

  /* The + key: half as well. */
  lab_timeline_zoom_in (timeline);
  lab_timeline_get_view (timeline, &start2, &end2);
  g_assert_cmpint (ABS ((end2 - start2) - (end - start) / 2), <=, 1);
}

static void
test_legend_lists_kinds (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabTimeline *timeline = race_timeline (gui);
  LabTrace *trace = lab_timeline_get_trace (timeline);
  guint32 seen = lab_trace_get_states_seen (trace);
  guint n, n_flows = 0, counts[LAB_LEGEND_DASHED_LINE + 1] = { 0 };
  const LabLegendEntry *entries = lab_timeline_get_legend (timeline, &n);

  g_assert_true (lab_timeline_get_show_legend (timeline));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (entries[i].kind, <=, LAB_LEGEND_DASHED_LINE);
      g_assert_nonnull (entries[i].label);
      counts[entries[i].kind]++;
    }

  /* One colour per state the run was in; its marks, the lost updates,
   * the arrows from stale reads and the count. */
  g_assert_cmpuint (counts[LAB_LEGEND_SWATCH], ==, (guint) __builtin_popcount (seen));
  g_assert_cmpuint (counts[LAB_LEGEND_MARK], ==, 1);
  g_assert_cmpuint (counts[LAB_LEGEND_HIGHLIGHT], ==, 1);
  lab_trace_get_flows (trace, &n_flows);
  g_assert_cmpuint (n_flows, >, 0);
  g_assert_cmpuint (counts[LAB_LEGEND_ARROW], ==, 1);
  g_assert_cmpuint (counts[LAB_LEGEND_COUNTER], ==, lab_trace_get_n_counters (trace));
  g_assert_cmpuint (counts[LAB_LEGEND_LINE] + counts[LAB_LEGEND_DASHED_LINE], ==, 0);
}

static void
test_collapse_shortens_sleeps (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabTimeline *timeline = race_timeline (gui);
  LabTrace *trace = lab_timeline_get_trace (timeline);
  gint64 duration = trace_duration (trace);
  gint64 drawn, start, end;

  g_assert_false (lab_timeline_get_collapse_idle (timeline));
  g_assert_cmpint (lab_timeline_get_drawn_duration (timeline), ==, duration);

  /* The race run sleeps up to 300 ms between a read and its write and
   * does microseconds of work: most of it is idle. */
  lab_timeline_set_collapse_idle (timeline, TRUE);
  drawn = lab_timeline_get_drawn_duration (timeline);
  g_test_message ("run %" G_GINT64_FORMAT " ns, drawn %" G_GINT64_FORMAT " ns", duration, drawn);
  g_assert_cmpint (drawn, <, duration / 2);
  g_assert_cmpint (drawn, >, 0);

  /* Fit still shows the whole run, and the view speaks real time. */
  lab_timeline_zoom_fit (timeline);
  lab_timeline_get_view (timeline, &start, &end);
  g_assert_cmpint (start, <=, 0);
  g_assert_cmpint (end, >=, duration);
  save_timeline (gui, timeline, "timeline-collapsed.png");

  lab_timeline_set_collapse_idle (timeline, FALSE);
  g_assert_cmpint (lab_timeline_get_drawn_duration (timeline), ==, duration);
}

static void
test_compact_fits_64_threads (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = run_page (gui, "race-counter",
                                      "{'threads': <int64 64>, 'max_sleep_ms': <int64 20>, "
                                      "'lock': <true>}");
  LabTimeline *timeline = lab_experiment_page_get_timeline (page);
  int natural, compact_natural;

  g_assert_cmpuint (lab_trace_get_n_lanes (lab_timeline_get_trace (timeline)), >=, 64);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, NULL, &natural,
                      NULL, NULL);
  lab_timeline_set_compact (timeline, TRUE);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, NULL,
                      &compact_natural, NULL, NULL);
  g_test_message ("64 threads: %d px high, compact %d px", natural, compact_natural);
  /* Compact: every lane in a screen's height (with the ruler, the count
   * and the legend); otherwise they would need scrolling. */
  g_assert_cmpint (compact_natural, <=, 800);
  g_assert_cmpint (natural, >, 2 * compact_natural);
  save_timeline (gui, timeline, "timeline-compact.png");
  lab_timeline_set_compact (timeline, FALSE);
}

/* Every experiment that declares a moment finds it in a real run and
 * opens there, its button named as the experiment says. */
static void
test_every_moment (gconstpointer data)
{
  static const struct
  {
    const char *id;
    const char *params;
  } runs[] = {
    { "threads-cpu-sum", "{'threads': <int64 2>, 'size': <int64 300000>, 'repeat': <int64 1>}" },
    { "threads-io-fetch", "{'delay_ms': <int64 100>, 'pages': <int64 4>, 'threads': <int64 4>}" },
    { "producer-consumer", "{'items': <int64 6>, 'time_scale': <0.05>, 'queue_max': <int64 3>}" },
    { "subprocess-run", "{'mode': <'popen'>, 'command': <'sleep 0.2'>}" },
    { "process-sum", "{'processes': <int64 2>}" },
    { "process-pool-map", "{}" },
    { "process-isolation", "{'processes': <int64 3>}" },
    { "threads-hello", "{'threads': <int64 3>}" },
  };
  Gui *gui = (Gui *) data;

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      const LabExperiment *experiment = lab_experiments_find (runs[i].id);
      LabExperimentPage *page = run_page (gui, runs[i].id, runs[i].params);
      LabTimeline *timeline = lab_experiment_page_get_timeline (page);
      GtkWidget *button = find_action_button (GTK_WIDGET (page), "view.moment");
      g_autofree char *name = g_strdup_printf ("moment-%s.png", runs[i].id);
      gint64 start, end;

      g_assert_cmpint (experiment->moment.kind, !=, LAB_MOMENT_NONE);
      g_assert_true (lab_timeline_has_moment (timeline));
      g_assert_true (gtk_widget_is_sensitive (button));
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, experiment->moment.button);
      lab_timeline_get_view (timeline, &start, &end);
      g_test_message ("%s: view %.3f..%.3f ms of %.3f ms", runs[i].id, start / 1e6, end / 1e6,
                      trace_duration (lab_timeline_get_trace (timeline)) / 1e6);
      g_assert_cmpint (end, >, start);
      save_timeline (gui, timeline, name);
    }
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  int status;

  if (!gui_test_init (&argc, &argv, "/timeline-view/no-display"))
    return g_test_run ();

  gui.screenshot_dir = gui_test_screenshot_dir ();
  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  /* In this order: the first runs the race the next four look at. */
  g_test_add_data_func ("/timeline-view/race-opens-at-lost-update", &gui,
                        test_race_opens_at_lost_update);
  g_test_add_data_func ("/timeline-view/fit-and-back", &gui, test_fit_and_back);
  g_test_add_data_func ("/timeline-view/wheel-step-halves", &gui, test_wheel_step_halves);
  g_test_add_data_func ("/timeline-view/legend-lists-kinds", &gui, test_legend_lists_kinds);
  g_test_add_data_func ("/timeline-view/collapse-shortens-sleeps", &gui,
                        test_collapse_shortens_sleeps);
  g_test_add_data_func ("/timeline-view/compact-fits-64-threads", &gui,
                        test_compact_fits_64_threads);
  g_test_add_data_func ("/timeline-view/every-moment", &gui, test_every_moment);

  status = g_test_run ();
  g_clear_object (&gui.app);
  return status;
}
