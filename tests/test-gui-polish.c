/* test-gui-polish.c — what the window says is true and readable: a live
 * run's ruler reaches to now, the legend under the timeline takes two rows
 * at most and can be hidden from the timeline's options menu.
 *
 * Runs under Xvfb (`xvfb-run -a`). Counts and ranges only, no timings.
 * With LAB_TEST_SCREENSHOT_DIR set it saves the empty page and the legend
 * of 64 threads at 1024×700 and 1920×1080 there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-timeline-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

#define MS G_GINT64_CONSTANT (1000000)

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static void
add (LabTrace     *trace,
     guint         lane,
     gint64        ts,
     LabEventKind  kind)
{
  g_autofree char *name = g_strdup_printf ("Thread %u", lane + 1);
  LabEvent e = { .ts_ns = ts, .kind = kind, .state = LAB_STATE_RUNNING, .cpu = -1, .lane = lane,
                 .label = lab_string_pool_intern (lab_trace_get_pool (trace), name) };

  lab_trace_append (trace, lane, &e, 1);
}

/* A timeline alone in a window of @width × @height, on screen. */
static LabTimeline *
present_timeline (int         width,
                  int         height,
                  GtkWidget **window)
{
  GtkWidget *widget = lab_timeline_new ();

  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), width, height);
  gtk_window_set_child (GTK_WINDOW (*window), widget);
  gtk_window_present (GTK_WINDOW (*window));
  return LAB_TIMELINE (widget);
}

static void
save (Gui        *gui,
      GtkWidget  *widget,
      const char *name,
      int         width,
      int         height)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (gui->screenshot_dir == NULL)
    return;
  file = g_strdup_printf ("%s-%dx%d.png", name, width, height);
  path = g_build_filename (gui->screenshot_dir, file, NULL);
  check_screenshot (widget, path);
}

/* A run that has gone on for 0.9 s but whose events all came in its first
 * 0.3 ms (threads that then sleep): the followed view spans the 0.9 s. */
static void
test_live_ruler_reaches_now (gconstpointer data)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  GtkWidget *window;
  LabTimeline *timeline = present_timeline (1024, 300, &window);
  gint64 base = lab_clock_now_ns () - 900 * MS;
  gint64 start, end;

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Thread 1", 1);
  add (trace, 0, base, LAB_EVENT_BEGIN);
  add (trace, 0, base + 300000, LAB_EVENT_END);

  lab_timeline_set_trace (timeline, trace);
  lab_timeline_set_live (timeline, TRUE);
  lab_timeline_set_follow (timeline, TRUE);
  lab_timeline_queue_update (timeline);
  spin (50);
  lab_timeline_get_view (timeline, &start, &end);
  g_test_message ("live view: %" G_GINT64_FORMAT " … %" G_GINT64_FORMAT " ns", start, end);
  g_assert_cmpint (end, >=, 900 * MS);

  /* Ended: the view is the run's events again. */
  lab_timeline_set_live (timeline, FALSE);
  lab_timeline_zoom_fit (timeline);
  lab_timeline_get_view (timeline, &start, &end);
  g_assert_cmpint (end, <, 1 * MS);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* 64 threads coloured by thread: 64 legend entries that would fill six
 * rows at 1024 px. Two rows, the last entry saying how many are left out;
 * hidden, none. */
static void
test_legend_two_rows (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  static const int sizes[][2] = { { 1024, 700 }, { 1920, 1080 } };

  for (guint l = 0; l < 64; l++)
    {
      g_autofree char *name = g_strdup_printf ("Thread %u", l + 1);

      lab_trace_set_lane (trace, l, LAB_LANE_THREAD, name, (gint) l + 1);
      add (trace, l, 1000 + 1000 * l, LAB_EVENT_BEGIN);
      add (trace, l, 500000 + 1000 * l, LAB_EVENT_END);
    }

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      GtkWidget *window;
      LabTimeline *timeline = present_timeline (sizes[s][0], sizes[s][1], &window);
      GtkWidget *widget = GTK_WIDGET (timeline);
      guint n;

      lab_timeline_set_trace (timeline, trace);
      lab_timeline_set_color_by_label (timeline, TRUE);
      lab_timeline_set_compact (timeline, TRUE);
      wait_for_frames (widget);
      lab_timeline_get_legend (timeline, &n);
      g_assert_cmpuint (n, ==, 64);
      g_test_message ("%d px: legend in %u rows", gtk_widget_get_width (widget),
                      lab_timeline_legend_rows (timeline));
      g_assert_cmpuint (lab_timeline_legend_rows (timeline), >=, 1);
      g_assert_cmpuint (lab_timeline_legend_rows (timeline), <=, 2);
      save (gui, widget, "legend-64-threads", sizes[s][0], sizes[s][1]);

      lab_timeline_set_show_legend (timeline, FALSE);
      wait_for_frames (widget);
      g_assert_cmpuint (lab_timeline_legend_rows (timeline), ==, 0);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static GtkWidget *
find_check (GtkWidget  *root,
            const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_CHECK_BUTTON (child) &&
          g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)), label) == 0)
        return child;
      found = find_check (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The timeline's options menu has "Show Legend", tied to the timeline. The
 * page has no run yet: its timeline shows only its placeholder. */
static void
test_show_legend_item (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = lab_window_show_experiment (gui->window, "threads-hello");
  LabTimeline *timeline;
  GtkWidget *check;

  g_assert_nonnull (page);
  timeline = lab_experiment_page_get_timeline (page);
  check = find_check (GTK_WIDGET (page), _("Show Legend"));
  g_assert_nonnull (check);
  g_assert_true (lab_timeline_get_show_legend (timeline));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_false (lab_timeline_get_show_legend (timeline));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (lab_timeline_get_show_legend (timeline));

  if (gui->screenshot_dir != NULL)
    {
      static const int sizes[][2] = { { 1024, 700 }, { 1920, 1080 } };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          gtk_window_set_default_size (GTK_WINDOW (gui->window), sizes[s][0], sizes[s][1]);
          spin (300);
          save (gui, GTK_WIDGET (gui->window), "page-empty", sizes[s][0], sizes[s][1]);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  int status;

  if (!gui_test_init (&argc, &argv, "/polish/no-display"))
    return g_test_run ();

  gui.screenshot_dir = gui_test_screenshot_dir ();
  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_data_func ("/polish/live-ruler-reaches-now", &gui, test_live_ruler_reaches_now);
  g_test_add_data_func ("/polish/legend-two-rows", &gui, test_legend_two_rows);
  g_test_add_data_func ("/polish/show-legend-item", &gui, test_show_legend_item);

  status = g_test_run ();
  g_clear_object (&gui.app);
  return status;
}
