/* bench-timeline.c — can the timeline draw a million events in a frame,
 * and what does the idle window cost in memory?
 *
 * Opens the application's window and lets it settle, then builds a trace
 * of 1 M events (16 thread lanes of running / sleeping / lock spans two
 * deep, marks with arrows between lanes, a counter) and shows it in a
 * LabTimeline of 1920×1080. A frame is what GTK does to show it: the
 * widget's snapshot (layout and render nodes; the layer is rebuilt each
 * time, as after a zoom or pan) plus rendering the nodes to a texture
 * with a GskCairoRenderer (LAB_BENCH_RENDERER=window: the window's own,
 * GL under Xvfb's Mesa, whose texture read-back dominates).
 * Needs a display: run under xvfb-run. Prints KEY: VALUE lines, all
 * measured in this one run:
 *   timeline_frame_ms          median frame, whole run in view (target ≤ 16)
 *   timeline_frame_cpu_ms      the main thread's CPU time in that frame
 *                              (the wall time also counts other load)
 *   timeline_frame_zoomed_ms   median frame, a sixty-fourth of the run
 *   timeline_frame_zoomed_cpu_ms  its CPU time
 *   timeline_snapshot_ms       the snapshot part of the whole-run frame
 *   timeline_render_ms         the rendering part of it
 *   timeline_events            events in the trace
 *   timeline_renderer          the renderer's type
 *   empty_frame_render_ms      rendering one blank 1920×1080 node: the
 *                              floor under timeline_render_ms
 *   idle_rss_mb                VmRSS once the window is open and idle,
 *                              before any run
 *   cpus, load_avg_1min        the machine the numbers come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <stdio.h>
#include <time.h>

#include "lab-application.h"
#include "lab-timeline.h"

#define N_LANES  16
#define N_EVENTS (1000 * 1000)
#define N_FRAMES 15
#define WIDTH    1920
#define HEIGHT   1080

static double
rss_mb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, "VmRSS:");
  return line != NULL ? g_ascii_strtod (line + 6, NULL) / 1024.0 : -1;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
push (GArray       *batch,
      guint         lane,
      gint64        ts,
      LabEventKind  kind,
      LabState      state,
      guint32       label,
      guint16       flags,
      guint32       flow)
{
  LabEvent ev = { 0 };

  ev.ts_ns = ts;
  ev.lane = lane;
  ev.kind = kind;
  ev.state = state;
  ev.label = label;
  ev.flags = flags;
  ev.flow = flow;
  ev.cpu = (gint16) (lane % 4);
  ev.value = (gint64) batch->len;
  g_array_append_val (batch, ev);
}

/* Per lane, repeated: running [mark, lock wait, lock held] sleeping. Every
 * 50th step a mark sends an arrow to the same step of the next lane (one
 * in ten ends in a lost update). Steps last the same on every lane and
 * lanes are shifted by 1.37 µs, so an arrow goes a little forward in time
 * and nothing else lines up. */
static LabTrace *
build_trace (void)
{
  LabTrace *trace = lab_trace_new (NULL);
  LabStringPool *pool = lab_trace_get_pool (trace);
  guint32 work = lab_string_pool_intern (pool, "work()");
  guint32 read = lab_string_pool_intern (pool, "read 41");
  guint32 count = lab_string_pool_intern (pool, "count");
  guint per_lane = N_EVENTS / N_LANES;
  GArray *batch = g_array_new (FALSE, FALSE, sizeof (LabEvent));

  for (guint l = 0; l < N_LANES; l++)
    {
      g_autofree char *name = g_strdup_printf ("Thread %u", l);
      gint64 t = 1000000000 + l * 1370;
      guint step = 0;

      lab_trace_set_lane (trace, l, LAB_LANE_THREAD, name, 1000 + (gint) l);
      g_array_set_size (batch, 0);
      while (batch->len + 12 <= per_lane)
        {
          gboolean arrow_step = step % 50 == 0;
          guint32 flow_out = l * 100000 + step / 50 + 1;
          guint32 flow_in = (l - 1) * 100000 + step / 50 + 1;

          push (batch, l, t, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, work, 0, 0);
          if (arrow_step && l + 1 < N_LANES)
            push (batch, l, t + 200, LAB_EVENT_MARK, 0, read, LAB_EVENT_FLAG_FLOW_SOURCE, flow_out);
          else
            push (batch, l, t + 200, LAB_EVENT_MARK, 0, read, 0, 0);
          if (arrow_step && l > 0)
            push (batch, l, t + 250, LAB_EVENT_MARK, 0, read,
                  LAB_EVENT_FLAG_FLOW_TARGET | (step % 500 == 0 ? LAB_EVENT_FLAG_HIGHLIGHT : 0),
                  flow_in);
          push (batch, l, t + 400, LAB_EVENT_BEGIN, LAB_STATE_LOCK_WAIT, 0, 0, 0);
          push (batch, l, t + 900, LAB_EVENT_END, 0, 0, 0, 0);
          push (batch, l, t + 900, LAB_EVENT_BEGIN, LAB_STATE_LOCK_HELD, 0, 0, 0);
          push (batch, l, t + 1500, LAB_EVENT_END, 0, 0, 0, 0);
          push (batch, l, t + 1600, LAB_EVENT_END, 0, 0, 0, 0);
          push (batch, l, t + 1600, LAB_EVENT_BEGIN, LAB_STATE_SLEEPING, 0, 0, 0);
          push (batch, l, t + 2600 + (step % 7) * 300, LAB_EVENT_END, 0, 0, 0, 0);
          push (batch, l, t + 2700, LAB_EVENT_COUNTER, 0, count, 0, 0);
          t += 2800 + (step % 7) * 300;
          step++;
        }
      lab_trace_append (trace, l, (const LabEvent *) (gpointer) batch->data, batch->len);
    }
  g_array_unref (batch);
  return trace;
}

/* CPU time of this thread, ms: on a machine shared with other work the
 * wall time of a frame also counts the time other processes had the core. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One frame of @widget: snapshot (the layer rebuilt: the view moved) and
 * render. Returns the whole, in ms; the parts in @snapshot_ms, @render_ms,
 * the main thread's CPU time in @cpu_ms. */
static double
frame_ms (GtkWidget   *widget,
          GskRenderer *renderer,
          double      *snapshot_ms,
          double      *render_ms,
          double      *cpu_ms)
{
  double cpu0 = thread_cpu_ms ();
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  /* What GTK calls for a frame (a widget paintable would hand back the
   * node of the last frame drawn). */
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert (node != NULL);
  t1 = g_get_monotonic_time ();
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  t2 = g_get_monotonic_time ();
  g_object_unref (texture);
  gsk_render_node_unref (node);

  *snapshot_ms = (t1 - t0) / 1000.0;
  *render_ms = (t2 - t1) / 1000.0;
  *cpu_ms = thread_cpu_ms () - cpu0;
  return (t2 - t0) / 1000.0;
}

/* Median frame over N_FRAMES, each with the main layer rebuilt, as after
 * any pan or zoom (switching a style on and off drops the cached layer
 * and keeps the view where it is). */
static double
measure_frames (LabTimeline *timeline,
                GskRenderer *renderer,
                double      *snapshot_ms,
                double      *render_ms,
                double      *cpu_ms)
{
  double whole[N_FRAMES], snap[N_FRAMES], rend[N_FRAMES], cpu[N_FRAMES];

  for (guint i = 0; i < N_FRAMES; i++)
    {
      lab_timeline_set_color_by_label (timeline, TRUE);
      lab_timeline_set_color_by_label (timeline, FALSE);
      whole[i] = frame_ms (GTK_WIDGET (timeline), renderer, &snap[i], &rend[i], &cpu[i]);
    }
  *cpu_ms = bench_median (cpu, N_FRAMES);
  *snapshot_ms = bench_median (snap, N_FRAMES);
  *render_ms = bench_median (rend, N_FRAMES);
  return bench_median (whole, N_FRAMES);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = NULL;
  GtkWindow *app_window;
  GtkWidget *window, *timeline;
  GskRenderer *renderer;
  double snap, rend, whole, zoomed, cpu;
  gint64 start, end;

  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-timeline needs a display: run it under xvfb-run\n");
      return 77;
    }

  bench_print_machine ();

  /* The application's window, open and idle. */
  app = lab_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_activate (G_APPLICATION (app));
  app_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert (app_window != NULL);
  gtk_window_set_default_size (app_window, 1280, 800);
  gtk_window_present (app_window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (app_window)))
    g_main_context_iteration (NULL, TRUE);
  spin (1500);
  printf ("idle_rss_mb: %.1f\n", rss_mb ());

  trace = build_trace ();
  printf ("timeline_events: %" G_GUINT64_FORMAT "\n", lab_trace_get_n_events (trace));

  window = gtk_window_new ();
  timeline = lab_timeline_new ();
  gtk_widget_set_size_request (timeline, WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  lab_timeline_set_trace (LAB_TIMELINE (timeline), trace);
  while (!gtk_widget_get_mapped (timeline))
    g_main_context_iteration (NULL, TRUE);
  spin (300);
  g_assert (gtk_widget_get_width (timeline) == WIDTH);
  /* Cairo by default: what a frame costs the timeline, not what Mesa's
   * software GL costs to read a texture back under Xvfb
   * (LAB_BENCH_RENDERER=window: the window's own renderer). */
  if (g_strcmp0 (g_getenv ("LAB_BENCH_RENDERER"), "window") == 0)
    renderer = g_object_ref (gtk_native_get_renderer (GTK_NATIVE (window)));
  else
    {
      renderer = gsk_cairo_renderer_new ();
      if (!gsk_renderer_realize (renderer, NULL, &error))
        g_error ("%s", error->message);
    }
  printf ("timeline_renderer: %s\n", G_OBJECT_TYPE_NAME (renderer));
  {
    /* The floor: one full-size colour node, rendered the same way. */
    GskRenderNode *node = gsk_color_node_new (&(GdkRGBA) { 1, 1, 1, 1 },
                                              &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
    double floor_ms[N_FRAMES];

    for (guint i = 0; i < N_FRAMES; i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        GdkTexture *texture = gsk_renderer_render_texture (renderer, node,
                                                           &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));

        floor_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
        g_object_unref (texture);
      }
    gsk_render_node_unref (node);
    printf ("empty_frame_render_ms: %.2f\n", bench_median (floor_ms, N_FRAMES));
  }

  lab_timeline_zoom_fit (LAB_TIMELINE (timeline));
  whole = measure_frames (LAB_TIMELINE (timeline), renderer, &snap, &rend, &cpu);
  printf ("timeline_frame_ms: %.2f\n", whole);
  printf ("timeline_frame_cpu_ms: %.2f\n", cpu);
  printf ("timeline_snapshot_ms: %.2f\n", snap);
  printf ("timeline_render_ms: %.2f\n", rend);

  for (guint i = 0; i < 6; i++)
    lab_timeline_zoom_in (LAB_TIMELINE (timeline));
  lab_timeline_get_view (LAB_TIMELINE (timeline), &start, &end);
  zoomed = measure_frames (LAB_TIMELINE (timeline), renderer, &snap, &rend, &cpu);
  printf ("timeline_frame_zoomed_ms: %.2f\n", zoomed);
  printf ("timeline_frame_zoomed_cpu_ms: %.2f\n", cpu);

  if (GSK_IS_CAIRO_RENDERER (renderer))
    gsk_renderer_unrealize (renderer);
  g_object_unref (renderer);
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (app_window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
