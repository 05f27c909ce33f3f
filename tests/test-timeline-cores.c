/* test-timeline-cores.c — the timeline widget's cores view: it shows the
 * derived view of its trace, keeps it up to date, keeps the view's time
 * range, and draws it. Runs under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "lab-timeline.h"
#include "test-gui-util.h"

static void
add (LabTrace     *trace,
     guint         lane,
     gint64        ts,
     LabEventKind  kind,
     gint16        cpu)
{
  LabEvent e = { .ts_ns = ts, .kind = kind, .state = LAB_STATE_RUNNING, .cpu = cpu, .lane = lane };

  lab_trace_append (trace, lane, &e, 1);
}

static int
natural_height (GtkWidget *widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  return natural;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  (*(guint *) data)++;
}

/* Renders @widget's current frame: the layout must not trip over the view. */
static void
render (GtkWidget *widget)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}

static void
test_show_cores (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = lab_timeline_new ();
  LabTimeline *timeline = LAB_TIMELINE (widget);
  guint notified = 0;
  gint64 start, end, start2, end2;
  int threads_h, cores_h;

  /* Four threads, all on CPU 0. */
  for (guint l = 0; l < 4; l++)
    {
      g_autofree char *name = g_strdup_printf ("Thread %u", l);

      lab_trace_set_lane (trace, l, LAB_LANE_THREAD, name, (gint) l + 1);
      add (trace, l, 1000000 * l, LAB_EVENT_BEGIN, 0);
      add (trace, l, 1000000 * l + 900000, LAB_EVENT_END, 0);
    }

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 400);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  lab_timeline_set_trace (timeline, trace);
  spin (100);
  threads_h = natural_height (widget);
  lab_timeline_zoom_in (timeline);
  lab_timeline_get_view (timeline, &start, &end);

  g_signal_connect (widget, "notify::show-cores", G_CALLBACK (on_notify), &notified);
  lab_timeline_set_show_cores (timeline, TRUE);
  lab_timeline_set_show_cores (timeline, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (lab_timeline_get_show_cores (timeline));
  g_assert_true (lab_timeline_get_trace (timeline) == trace);
  spin (100);
  render (widget);

  /* One CPU lane instead of four thread lanes; the same time range. */
  cores_h = natural_height (widget);
  g_assert_cmpint (cores_h, <, threads_h);
  lab_timeline_get_view (timeline, &start2, &end2);
  g_assert_cmpint (start2, ==, start);
  g_assert_cmpint (end2, ==, end);

  /* The trace grows onto two more CPUs: the view follows it. */
  add (trace, 0, 5000000, LAB_EVENT_BEGIN, 1);
  add (trace, 0, 6000000, LAB_EVENT_END, 1);
  add (trace, 1, 5000000, LAB_EVENT_BEGIN, 2);
  add (trace, 1, 6000000, LAB_EVENT_END, 2);
  lab_timeline_queue_update (timeline);
  spin (100);
  render (widget);
  g_assert_cmpint (natural_height (widget), >, cores_h);

  /* Back to the threads. */
  lab_timeline_set_show_cores (timeline, FALSE);
  spin (50);
  render (widget);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (natural_height (widget), ==, threads_h);

  notified = 0;
  g_signal_connect (widget, "notify::color-by-label", G_CALLBACK (on_notify), &notified);
  g_object_set (widget, "color-by-label", TRUE, NULL);
  g_assert_true (lab_timeline_get_color_by_label (timeline));
  g_assert_cmpuint (notified, ==, 1);
  spin (50);
  render (widget);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tolerate_stale_allocations ();

  if (!gtk_init_check ())
    g_test_add_func ("/timeline-cores/no-display", test_no_display);
  else
    g_test_add_func ("/timeline-cores/show-cores", test_show_cores);

  return g_test_run ();
}
