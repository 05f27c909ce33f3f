/* test-page-quiet.c — while an experiment times itself the window keeps
 * still: no tick callback, no drain of the trace, no relayout; afterwards
 * the timeline has every event. Outside timed sections one tick (the
 * page's) drives the live views.
 *
 * Runs under Xvfb (`xvfb-run -a`). Counts and orders only, no timings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h" /* defines _GNU_SOURCE, for RTLD_NEXT */

#include <dlfcn.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"
#include "test-page-util.h"

/* ---- counting tick callbacks ----
 *
 * GTK cannot list a widget's tick callbacks, so this test wraps
 * gtk_widget_add_tick_callback(): the app's calls resolve to the one here,
 * which counts the callbacks alive on the run's views and hands on to
 * GTK's. The output view's one-shot "scroll to the end" tick removes
 * itself on the next frame and is not one of them. */

typedef struct
{
  GtkTickCallback callback;
  gpointer        user_data;
  GDestroyNotify  notify;
  gboolean        counted;
} Tick;

static int n_view_ticks;

static gboolean
is_run_view_widget (GtkWidget *widget)
{
  const char *name = G_OBJECT_TYPE_NAME (widget);

  return g_str_equal (name, "LabExperimentPage") || g_str_equal (name, "LabRunView") ||
         g_str_equal (name, "LabTimeline") || g_str_equal (name, "LabBarChart");
}

static gboolean
tick_trampoline (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  Tick *tick = data;

  return tick->callback (widget, clock, tick->user_data);
}

static void
tick_destroyed (gpointer data)
{
  Tick *tick = data;

  if (tick->counted)
    n_view_ticks--;
  if (tick->notify != NULL)
    tick->notify (tick->user_data);
  g_free (tick);
}

guint
gtk_widget_add_tick_callback (GtkWidget       *widget,
                              GtkTickCallback  callback,
                              gpointer         user_data,
                              GDestroyNotify   notify)
{
  static guint (*real) (GtkWidget *, GtkTickCallback, gpointer, GDestroyNotify);
  Tick *tick = g_new0 (Tick, 1);

  if (real == NULL)
    real = (guint (*) (GtkWidget *, GtkTickCallback, gpointer, GDestroyNotify))
           dlsym (RTLD_NEXT, "gtk_widget_add_tick_callback");
  g_assert_nonnull (real);

  tick->callback = callback;
  tick->user_data = user_data;
  tick->notify = notify;
  tick->counted = is_run_view_widget (widget);
  if (tick->counted)
    n_view_ticks++;
  return real (widget, tick_trampoline, tick, tick_destroyed);
}

/* ---- the window ---- */

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
} Gui;

/* What one run in the window looked like, frame by frame. */
typedef struct
{
  guint    n_quiet;          /* times the page went quiet */
  guint    n_busy_in_quiet;  /* iterations that saw a drain or relayout while quiet */
  int      max_ticks;        /* the most view ticks alive at once while running */
  int      max_ticks_quiet;  /* ... while quiet */
  gboolean saw_timed;        /* the runner said "timed" at least once */
} Watch;

static void
watch_run (LabExperimentPage *page,
           Watch             *watch)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  LabRunner *run = lab_experiment_page_get_shown_run (page);
  LabTrace *trace = lab_runner_get_trace (run);
  gboolean in_quiet = FALSE;
  guint drains = 0, updates = 0;
  guint64 generation = 0;

  while (lab_experiment_page_get_running (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      if (!lab_experiment_page_get_running (page))
        break;

      watch->saw_timed |= lab_runner_get_timed (run);
      watch->max_ticks = MAX (watch->max_ticks, n_view_ticks);
      if (!lab_experiment_page_get_quiet (page))
        {
          in_quiet = FALSE;
          continue;
        }

      watch->max_ticks_quiet = MAX (watch->max_ticks_quiet, n_view_ticks);
      if (!in_quiet)
        {
          in_quiet = TRUE;
          watch->n_quiet++;
          drains = lab_experiment_page_get_n_drains (page);
          updates = lab_experiment_page_get_n_view_updates (page);
          generation = lab_trace_get_generation (trace);
          continue;
        }
      if (drains != lab_experiment_page_get_n_drains (page) ||
          updates != lab_experiment_page_get_n_view_updates (page) ||
          generation != lab_trace_get_generation (trace))
        watch->n_busy_in_quiet++;
    }
}

static LabExperimentPage *
show_experiment (Gui        *gui,
                 const char *id,
                 const char *params)
{
  LabExperimentPage *page = show_with_values (gui->window, id, params);

  spin (100);
  return page;
}

/* Every event the run recorded is in the trace the timeline shows, and
 * each lane that the workers used has its spans. */
static void
assert_timeline_complete (LabExperimentPage *page,
                          guint              min_lanes)
{
  LabRunner *run = lab_experiment_page_get_shown_run (page);
  LabTimeline *timeline = lab_experiment_page_get_timeline (page);
  LabTrace *trace = lab_runner_get_trace (run);

  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_DONE);
  g_assert_true (lab_timeline_get_trace (timeline) == trace);
  g_assert_cmpuint (lab_runner_drain (run), ==, 0);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), >=, min_lanes);
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    g_assert_cmpuint (lab_trace_get_lane (trace, i)->events->len, >, 0);
}

static void
check_quiet_run (Gui        *gui,
                 const char *id,
                 const char *params,
                 guint       min_lanes)
{
  LabExperimentPage *page = show_experiment (gui, id, params);
  Watch watch = { 0 };

  lab_experiment_page_run (page);
  g_assert_true (lab_experiment_page_get_running (page));
  watch_run (page, &watch);
  spin (100);

  g_test_message ("%s: quiet %u time(s), %u busy iteration(s) in quiet, "
                  "at most %d tick(s), %d while quiet",
                  id, watch.n_quiet, watch.n_busy_in_quiet, watch.max_ticks, watch.max_ticks_quiet);
  g_assert_true (watch.saw_timed);
  g_assert_cmpuint (watch.n_quiet, >=, 1);
  g_assert_cmpuint (watch.n_busy_in_quiet, ==, 0);
  g_assert_cmpint (watch.max_ticks_quiet, ==, 0);
  g_assert_cmpint (watch.max_ticks, ==, 1);
  g_assert_false (lab_experiment_page_get_quiet (page));
  g_assert_cmpint (n_view_ticks, ==, 0);
  assert_timeline_complete (page, min_lanes);
}

static void
test_cpu_sum_quiet (gconstpointer data)
{
  /* The main thread and both workers. */
  check_quiet_run ((Gui *) data, "threads-cpu-sum",
                   "{'threads': <int64 2>, 'gil': <false>, 'size': <int64 3000000>,"
                   " 'repeat': <int64 2>}", 3);
}

static void
test_process_sum_quiet (gconstpointer data)
{
  check_quiet_run ((Gui *) data, "process-sum",
                   "{'processes': <int64 2>, 'size': <int64 4000000>, 'repeat': <int64 2>}", 1);
}

/* A run without timed sections keeps its live views, from one tick. */
static void
test_live_run_one_tick (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show_experiment (gui, "race-counter", "@a{sv} {}");
  Watch watch = { 0 };

  lab_experiment_page_run (page);
  watch_run (page, &watch);
  spin (100);

  g_assert_false (watch.saw_timed);
  g_assert_cmpuint (watch.n_quiet, ==, 0);
  g_assert_cmpint (watch.max_ticks, ==, 1);
  g_assert_cmpuint (lab_experiment_page_get_n_drains (page), >, 0);
  g_assert_cmpint (n_view_ticks, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  tolerate_stale_allocations ();

  if (!gtk_init_check ())
    {
      g_test_add_func ("/page-quiet/no-display", test_no_display);
      return g_test_run ();
    }

  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_data_func ("/page-quiet/threads-cpu-sum", &gui, test_cpu_sum_quiet);
  g_test_add_data_func ("/page-quiet/process-sum", &gui, test_process_sum_quiet);
  g_test_add_data_func ("/page-quiet/live-run-one-tick", &gui, test_live_run_one_tick);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (gui.window));
  g_clear_object (&gui.app);

  return status;
}
