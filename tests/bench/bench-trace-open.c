/* bench-trace-open.c — does a 100 MB trace file open without freezing the
 * window?
 *
 * Writes a VizTracer-like file of about 100 MB (nested X spans on 8
 * threads, instants, a counter), opens it in a shown window as
 * "Open Trace…" does, and iterates the main loop until the page shows it,
 * timing every iteration. Needs a display: run under xvfb-run. Prints:
 *   trace_file_mb               the file's size
 *   trace_records               its records
 *   trace_open_s                open → shown (wall time)
 *   trace_main_loop_max_stall_ms the longest main-loop iteration meanwhile
 *                               (the main thread busy in one go), the
 *                               first frames of the shown trace included
 *                               (target ≤ 100: the window keeps painting
 *                               the progress bar and answering)
 *   trace_main_loop_max_stall_reading_ms the same while the file is read
 *   trace_progress_updates      how often the progress bar moved
 *   cpus, load_avg_1min         the machine the numbers come from
 * With BENCH_VERBOSE=1 it also prints every iteration over 30 ms. Under
 * Xvfb most of a stall is GTK's software GL painting a frame; compare
 * with GSK_RENDERER=cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "lab-application.h"
#include "lab-window.h"

#define TARGET_BYTES (100 * 1000 * 1000)

static guint64
write_trace (const char *path)
{
  FILE *f = fopen (path, "w");
  guint64 n = 0;
  guint64 ts = 0;

  g_assert_nonnull (f);
  fputs ("{\"traceEvents\": [\n", f);
  for (guint t = 0; t < 8; t++)
    fprintf (f, "{\"ph\": \"M\", \"pid\": 100, \"tid\": %u, \"name\": \"thread_name\", "
             "\"args\": {\"name\": \"Thread-%u\"}},\n", 100 + t, t);
  while (ftell (f) < TARGET_BYTES)
    {
      guint tid = 100 + (guint) (n % 8);

      /* A call with two calls inside, an instant, now and then a sample. */
      fprintf (f, "{\"pid\": 100, \"tid\": %u, \"ts\": %" G_GUINT64_FORMAT ".0, \"dur\": 9.0, "
               "\"name\": \"work (job.py:12)\", \"ph\": \"X\", \"cat\": \"FEE\"},\n", tid, ts);
      fprintf (f, "{\"pid\": 100, \"tid\": %u, \"ts\": %" G_GUINT64_FORMAT ".5, \"dur\": 3.0, "
               "\"name\": \"step (job.py:20)\", \"ph\": \"X\", \"cat\": \"FEE\"},\n", tid, ts);
      fprintf (f, "{\"pid\": 100, \"tid\": %u, \"ts\": %" G_GUINT64_FORMAT ".0, \"dur\": 4.0, "
               "\"name\": \"step (job.py:20)\", \"ph\": \"X\", \"cat\": \"FEE\"},\n", tid, ts + 4);
      fprintf (f, "{\"pid\": 100, \"tid\": %u, \"ts\": %" G_GUINT64_FORMAT ".0, "
               "\"name\": \"tick\", \"ph\": \"i\", \"s\": \"t\"},\n", tid, ts + 5);
      n += 4;
      if (n % 4000 == 0)
        {
          fprintf (f, "{\"pid\": 100, \"tid\": 100, \"ts\": %" G_GUINT64_FORMAT ".0, "
                   "\"name\": \"memory\", \"ph\": \"C\", \"args\": {\"rss\": %" G_GUINT64_FORMAT "}},\n",
                   ts, 1000000 + n);
          n++;
        }
      ts += 10;
    }
  fprintf (f, "{\"pid\": 100, \"tid\": 100, \"ts\": %" G_GUINT64_FORMAT ".0, \"name\": \"end\", "
           "\"ph\": \"i\", \"s\": \"t\"}\n]}\n", ts);
  n++;
  fclose (f);
  return n;
}

/* µs the main thread spent in one iteration of the main loop. */
static gint64
timed_iteration (void)
{
  gint64 before = g_get_monotonic_time ();

  g_main_context_iteration (NULL, FALSE);
  return g_get_monotonic_time () - before;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.json", NULL);
  g_autoptr(GFile) file = NULL;
  GtkWindow *window;
  LabTracePage *page;
  GStatBuf st;
  guint64 records;
  gint64 start, shown, max_stall = 0, max_reading_stall;
  guint n_progress = 0;
  double last_fraction = -1;

  if (!gtk_init_check ())
    {
      printf ("skipped: no display (run under xvfb-run)\n");
      return 77;
    }
  records = write_trace (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);

  app = lab_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_window_set_default_size (window, 1280, 800);
  for (int i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);

  file = g_file_new_for_path (path);
  start = g_get_monotonic_time ();
  page = lab_window_open_trace (LAB_WINDOW (window), file);
  /* A stall is one main-loop iteration that keeps the main thread busy
   * (dispatching the progress, the page's frames, the shown trace): each
   * iteration is timed alone, without blocking, with 1 ms to breathe. */
  while (lab_trace_page_get_state (page) == LAB_TRACE_PAGE_READING)
    {
      gint64 took = timed_iteration ();

      if (took > 30000 && g_getenv ("BENCH_VERBOSE") != NULL)
        printf ("stall %.1f ms at %.2f s, %.0f %%\n", took / 1000.0,
                (g_get_monotonic_time () - start) / 1e6, lab_trace_page_get_progress (page) * 100);
      max_stall = MAX (max_stall, took);
      if (lab_trace_page_get_progress (page) != last_fraction)
        {
          last_fraction = lab_trace_page_get_progress (page);
          n_progress++;
        }
      g_usleep (1000);
    }
  shown = g_get_monotonic_time ();
  max_reading_stall = max_stall;
  /* The first frames of the shown trace are part of opening it. */
  for (int i = 0; i < 200; i++)
    {
      gint64 took = timed_iteration ();

      max_stall = MAX (max_stall, took);
      g_usleep (1000);
    }

  bench_print_machine ();
  printf ("trace_file_mb: %.1f\n", st.st_size / 1e6);
  printf ("trace_records: %" G_GUINT64_FORMAT "\n", records);
  printf ("trace_state: %d\n", lab_trace_page_get_state (page));
  printf ("trace_summary: %s\n", lab_trace_page_get_summary_text (page));
  printf ("trace_open_s: %.2f\n", (shown - start) / 1e6);
  printf ("trace_main_loop_max_stall_ms: %.1f\n", max_stall / 1000.0);
  printf ("trace_main_loop_max_stall_reading_ms: %.1f\n", max_reading_stall / 1000.0);
  printf ("trace_progress_updates: %u\n", n_progress);

  gtk_window_destroy (window);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
