/* test-export.c — slide images of a run, without a display.
 *
 * A tiny experiment defined here records a known race-counter-like trace
 * (10 threads: a running span holding a sleep, read and write marks, three
 * lost updates with arrows from their stale reads, a counter 0..10); it is
 * run with lab_runner_run_sync and exported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "lab-export.h"
#include "lab-timeline-layout.h"

#define MS G_GINT64_CONSTANT (1000000)

static const LabParamSpec test_params[] = {
  { .kind = LAB_PARAM_INT, .key = "threads", .label = "Threads", .min = 1, .max = 64,
    .step = 1, .def_num = 10 },
};

static const LabMetricSpec test_metrics[] = {
  { "expected", "Expected count", LAB_METRIC_COUNT, LAB_METRIC_FLAG_NONE },
  { "final_count", "Final count", LAB_METRIC_COUNT, LAB_METRIC_FLAG_NONE },
  { "lost_updates", "Lost updates", LAB_METRIC_COUNT, LAB_METRIC_FLAG_BAD_IF_NONZERO },
  { "wall_s", "Wall time", LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "order", "Order", LAB_METRIC_LIST, LAB_METRIC_FLAG_NO_CARD },
};

static void
rec (LabLane      *lane,
     gint64        ts,
     LabEventKind  kind,
     LabState      state,
     guint16       flags,
     guint32       label,
     gint64        value,
     guint32       flow)
{
  lab_lane_record_at (lane, ts, (gint16) (lab_lane_get_index (lane) % 2), kind, state, flags,
                      label, value, flow);
}

static GVariant *
test_run (LabRunContext  *ctx,
          GError        **error)
{
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  guint n = (guint) lab_params_get_int (lab_run_context_get_params (ctx), "threads");
  /* Timestamps made up in the past, so that the trace is the same each run. */
  gint64 base = lab_clock_now_ns () - 5000 * MS;
  guint32 count_label = lab_recorder_intern (recorder, "count");
  gint64 main_end = base + 40 * MS + 650 * MS;
  GVariantDict dict;
  guint written = 0;

  rec (main_lane, base, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, 0,
       lab_recorder_intern (recorder, "main()"), 0, 0);
  rec (main_lane, base, LAB_EVENT_COUNTER, 0, 0, count_label, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      char *name = g_strdup_printf ("Thread %u", i + 1);
      LabLane *lane = lab_recorder_add_lane (recorder, LAB_LANE_THREAD, name);
      gint64 t = base + 2 * MS + i * 4 * MS;
      gboolean slow = i % 3 == 1;  /* sleeps between read and write */
      gboolean lost = i == 1 || i == 4 || i == 7;
      guint32 flow = lost ? lab_recorder_new_flow (recorder) : 0;
      gint64 sleep = slow ? 600 * MS : 0;
      gint seen = (gint) (lost ? i - 1 : i);

      g_free (name);
      lab_lane_set_tid (lane, 4200 + i);
      rec (main_lane, t, LAB_EVENT_MARK, 0, 0,
           lab_recorder_intern_printf (recorder, "start(%u)", i + 1), i, 0);
      rec (lane, t + 1 * MS, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, 0,
           lab_recorder_intern (recorder, "increment()"), 0, 0);
      rec (lane, t + 2 * MS, LAB_EVENT_MARK, 0, lost ? LAB_EVENT_FLAG_FLOW_SOURCE : 0,
           lab_recorder_intern_printf (recorder, "read %d", seen), seen, flow);
      rec (lane, t + 3 * MS, LAB_EVENT_BEGIN, LAB_STATE_SLEEPING, 0,
           lab_recorder_intern_printf (recorder, "time.sleep(%d)", slow ? 1 : 0), 0, 0);
      rec (lane, t + 4 * MS + sleep, LAB_EVENT_END, 0, 0, 0, 0, 0);
      rec (lane, t + 5 * MS + sleep, LAB_EVENT_MARK, 0,
           lost ? LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_FLOW_TARGET : 0,
           lab_recorder_intern_printf (recorder, "write %d", seen + 1), seen + 1, flow);
      rec (lane, t + 6 * MS + sleep, LAB_EVENT_END, 0, 0, 0, 0, 0);
      written++;
    }

  /* The counter as the writes land, in time order: 0 .. n. */
  for (guint k = 1; k <= n; k++)
    rec (main_lane, base + 50 * MS + (k - 1) * 60 * MS, LAB_EVENT_COUNTER, 0, 0, count_label,
         k, 0);

  rec (main_lane, base + 45 * MS, LAB_EVENT_BEGIN, LAB_STATE_WAITING, 0,
       lab_recorder_intern (recorder, "join()"), 0, 0);
  rec (main_lane, main_end - 5 * MS, LAB_EVENT_END, 0, 0, 0, 0, 0);
  rec (main_lane, main_end, LAB_EVENT_END, 0, 0, 0, 0, 0);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "expected", "x", (gint64) n);
  g_variant_dict_insert (&dict, "final_count", "x", (gint64) written - 3);
  g_variant_dict_insert (&dict, "lost_updates", "x", (gint64) 3);
  g_variant_dict_insert (&dict, "wall_s", "d", 0.69);
  g_variant_dict_insert_value (&dict, "order", g_variant_new_strv (NULL, 0));
  return g_variant_dict_end (&dict);
}

static const LabExperiment test_experiment = {
  .id = "test-race",
  .title = "A lost update on a shared counter",
  .topic = LAB_TOPIC_THREADS,
  .summary = "Test",
  .explanation = "Test",
  .code = "",
  .params = test_params,
  .n_params = G_N_ELEMENTS (test_params),
  .metrics = test_metrics,
  .n_metrics = G_N_ELEMENTS (test_metrics),
  .run = test_run,
};

static LabRunner *
run_test_experiment (void)
{
  g_autoptr(LabParams) params = lab_params_new (test_params, G_N_ELEMENTS (test_params));
  LabRunner *run = lab_runner_new (&test_experiment, params);
  GError *error = NULL;

  g_assert_true (lab_runner_run_sync (run, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_trace_get_n_events (lab_runner_get_trace (run)), >, 60);
  return run;
}

/* ---- looking at the pictures ---- */

typedef struct
{
  int    width;
  int    height;
  guint  n_colours;
  guint  n_running; /* pixels of exactly the running colour */
  guint  n_highlight;
  guint32 corner;
} Picture;

static guint32
to_argb (const LabColor *c)
{
  return 0xff000000u | (guint32) (c->red * 255 + 0.5) << 16 |
         (guint32) (c->green * 255 + 0.5) << 8 | (guint32) (c->blue * 255 + 0.5);
}

static void
look_at (const char *path,
         gboolean    dark,
         Picture    *pic)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const LabPalette *pal = lab_palette_get (dark);
  guint32 running = to_argb (lab_palette_state (pal, LAB_STATE_RUNNING));
  guint32 highlight = to_argb (&pal->highlight);
  GHashTable *colours = g_hash_table_new (NULL, NULL);
  const guint8 *data;
  int stride;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  memset (pic, 0, sizeof *pic);
  pic->width = cairo_image_surface_get_width (surface);
  pic->height = cairo_image_surface_get_height (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < pic->height; y++)
    for (int x = 0; x < pic->width; x++)
      {
        guint32 px = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);

        g_hash_table_add (colours, GUINT_TO_POINTER (px));
        if (px == running)
          pic->n_running++;
        if (px == highlight)
          pic->n_highlight++;
      }
  pic->corner = *(const guint32 *) (gconstpointer) data;
  pic->n_colours = g_hash_table_size (colours);
  g_hash_table_unref (colours);
  cairo_surface_destroy (surface);
}

static char *
tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("lab-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
      g_free (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
  g_free (dir);
}

static void
test_png (void)
{
  g_autoptr(LabRunner) run = run_test_experiment ();
  char *dir = tmp_dir ();
  char *path1 = g_build_filename (dir, "run.png", NULL);
  char *path2 = g_build_filename (dir, "run@2x.PNG", NULL);
  const char *keep = g_getenv ("LAB_TEST_KEEP_EXPORT");
  LabExportOptions options;
  GError *error = NULL;
  Picture one, two;

  lab_export_options_init (&options);
  g_assert_true (lab_export_run (run, path1, &options, &error));
  g_assert_no_error (error);
  options.scale = 2;
  g_assert_true (lab_export_run (run, path2, &options, &error));
  g_assert_no_error (error);

  look_at (path1, FALSE, &one);
  look_at (path2, FALSE, &two);
  g_test_message ("1×: %d×%d, %u colours, %u running px; 2×: %d×%d",
                  one.width, one.height, one.n_colours, one.n_running, two.width, two.height);

  g_assert_cmpint (one.width, ==, 1280);
  g_assert_cmpint (two.width, ==, 2 * one.width);
  g_assert_cmpint (ABS (two.height - 2 * one.height), <=, 1);
  /* 11 lanes, cards, legend: a tall picture. */
  g_assert_cmpint (one.height, >, 600);
  /* Not blank: text is antialiased, spans are solid. */
  g_assert_cmpuint (one.n_colours, >, 200);
  g_assert_cmpuint (one.n_running, >, 5000);
  g_assert_cmpuint (two.n_running, >, 3 * one.n_running);
  g_assert_cmpuint (one.n_highlight, >, 50);
  g_assert_cmpuint (one.corner, ==, 0xffffffffu);

  if (keep != NULL)
    {
      options.scale = 1;
      g_assert_true (lab_export_run (run, keep, &options, &error));
      g_assert_no_error (error);
    }

  /* A second export to the same name replaces the file. */
  options.scale = 1;
  g_assert_true (lab_export_run (run, path1, &options, &error));
  g_assert_no_error (error);

  g_free (path1);
  g_free (path2);
  remove_dir (dir);
}

static void
test_options (void)
{
  g_autoptr(LabRunner) run = run_test_experiment ();
  LabTrace *trace = lab_runner_get_trace (run);
  char *dir = tmp_dir ();
  char *path = g_build_filename (dir, "dark.png", NULL);
  const LabPalette *dark = lab_palette_get (TRUE);
  LabExportOptions options;
  GError *error = NULL;
  Picture plain, dropped, zoomed;

  lab_export_options_init (&options);
  options.dark = TRUE;
  options.width = 1600;
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, TRUE, &plain);
  g_assert_cmpint (plain.width, ==, 1600);
  g_assert_cmpuint (plain.corner, ==, to_argb (&dark->background));
  g_assert_cmpuint (plain.n_running, >, 5000);

  /* Dropped events are reported in red below the timeline. */
  lab_trace_set_dropped (trace, 12);
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, TRUE, &dropped);
  g_assert_cmpint (dropped.height, >, plain.height);
  g_assert_cmpuint (dropped.n_highlight, >, plain.n_highlight);
  lab_trace_set_dropped (trace, 0);

  /* A range: the first 30 ms only, where every thread starts. */
  options.view_start_ns = 0;
  options.view_end_ns = 30 * MS;
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, TRUE, &zoomed);
  g_assert_cmpuint (zoomed.n_running, >, 0);
  g_assert_cmpuint (zoomed.n_colours, >, 100);

  g_free (path);
  remove_dir (dir);
}

/* The window's view options reach the image: compact lanes make the
 * timeline shorter, collapsed idle time redraws it on a shorter axis. */
static void
test_view_options (void)
{
  g_autoptr(LabRunner) run = run_test_experiment ();
  char *dir = tmp_dir ();
  char *path = g_build_filename (dir, "view.png", NULL);
  LabExportOptions options;
  GError *error = NULL;
  Picture plain, compact, collapsed;

  lab_export_options_init (&options);
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, FALSE, &plain);

  options.compact = TRUE;
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, FALSE, &compact);
  options.compact = FALSE;

  options.collapse_idle = TRUE;
  g_assert_true (lab_export_run (run, path, &options, &error));
  g_assert_no_error (error);
  look_at (path, FALSE, &collapsed);
  g_test_message ("plain %d px high, %u running px; compact %d px high; collapsed %u running px",
                  plain.height, plain.n_running, compact.height, collapsed.n_running);

  /* 11 lanes, each at least 20 px thinner. */
  g_assert_cmpint (compact.height, <, plain.height - 11 * 20);
  /* The 600 ms sleeps shrink: the short running spans take more width. */
  g_assert_cmpint (collapsed.height, ==, plain.height);
  g_assert_cmpuint (collapsed.n_running, !=, plain.n_running);

  g_free (path);
  remove_dir (dir);
}

static void
test_vector (void)
{
  g_autoptr(LabRunner) run = run_test_experiment ();
  char *dir = tmp_dir ();
  const char *names[] = { "run.svg", "run.pdf" };
  const char *magic[] = { "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char *path = g_build_filename (dir, names[i], NULL);
      char *contents = NULL;
      gsize length = 0;
      GError *error = NULL;

      g_assert_true (lab_export_run (run, path, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 1000);
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      g_free (contents);
      g_free (path);
    }
  remove_dir (dir);
}

static void
test_errors (void)
{
  g_autoptr(LabRunner) run = run_test_experiment ();
  char *dir = tmp_dir ();
  char *bmp = g_build_filename (dir, "run.bmp", NULL);
  char *bare = g_build_filename (dir, "run", NULL);
  char *folder = g_build_filename (dir, "folder.png", NULL);
  const char *missing = "/nonexistent-lab-dir/sub/run.png";
  GError *error = NULL;

  g_assert_false (lab_export_run (run, bmp, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, ".bmp"));
  g_assert_nonnull (strstr (error->message, ".png"));
  g_assert_false (g_file_test (bmp, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (lab_export_run (run, bare, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_assert_false (lab_export_run (run, missing, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
  g_test_message ("bad path: %s", error->message);
  g_clear_error (&error);

  /* A directory where the file should be. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (lab_export_run (run, folder, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, folder));
  g_test_message ("directory: %s", error->message);
  g_clear_error (&error);
  g_rmdir (folder);
  g_free (folder);

  g_free (bmp);
  g_free (bare);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/png", test_png);
  g_test_add_func ("/export/options", test_options);
  g_test_add_func ("/export/view-options", test_view_options);
  g_test_add_func ("/export/vector", test_vector);
  g_test_add_func ("/export/errors", test_errors);

  return g_test_run ();
}
