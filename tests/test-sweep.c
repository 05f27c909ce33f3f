/* test-sweep.c — sweeps: points in order, speed-up and efficiency from
 * known times, repeats and their median, Stop keeps what was measured,
 * failures, bad keys and ranges; then --sweep through the real binary.
 *
 * The experiment defined here "takes" a time looked up in a table by its
 * `workers` value, so every number is known in advance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lab-sweep.h"
#include "test-cli-util.h"

#define EPS 1e-9

/* Seconds per worker count: speed-ups 1, 1.6, 2, 3.2. */
static const double table_s[] = { 0, 0.8, 0.5, 0.4, 0.25, 0.2, 0.2, 0.2, 0.2 };
/* Repeats (jitter on) take 1.1, 1.0, 0.9 of that, in turn. */
static const double jitter[] = { 1.1, 1.0, 0.9 };

static const LabParamSpec test_params[] = {
  { .kind = LAB_PARAM_INT, .key = "workers", .label = "Workers", .min = 1, .max = 8, .step = 1,
    .def_num = 2, .flags = LAB_PARAM_FLAG_SWEEPABLE },
  { .kind = LAB_PARAM_INT, .key = "size", .label = "Size", .min = 0, .max = 100, .step = 1,
    .def_num = 5 },
  { .kind = LAB_PARAM_INT, .key = "fail_at", .label = "Fail at", .min = 0, .max = 8, .step = 1 },
  { .kind = LAB_PARAM_INT, .key = "hang_at", .label = "Hang at", .min = 0, .max = 8, .step = 1 },
  { .kind = LAB_PARAM_BOOL, .key = "jitter", .label = "Jitter" },
  { .kind = LAB_PARAM_BOOL, .key = "no_time", .label = "No time" },
};

static const LabMetricSpec test_metrics[] = {
  { "work_s", "Work", LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "workers", "Workers", LAB_METRIC_COUNT, LAB_METRIC_FLAG_NONE },
};

/* Counts the runs, for the jitter of repeats (runs go one at a time). */
static gint run_counter;

static GVariant *
test_run (LabRunContext  *ctx,
          GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  gint64 workers = lab_params_get_int (params, "workers");
  double s = table_s[workers];
  GVariantBuilder metrics;
  gint run = g_atomic_int_add (&run_counter, 1);

  lab_run_context_print (ctx, lab_run_context_get_main_lane (ctx), "%d workers", (int) workers);
  if (workers == lab_params_get_int (params, "fail_at"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "broke on purpose");
      return NULL;
    }
  if (workers == lab_params_get_int (params, "hang_at"))
    {
      lab_run_context_sleep_ns (ctx, G_GINT64_CONSTANT (30000000000));
      return lab_run_context_return_cancelled (ctx, error);
    }
  if (lab_params_get_bool (params, "jitter"))
    s *= jitter[run % 3];

  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  if (!lab_params_get_bool (params, "no_time"))
    g_variant_builder_add (&metrics, "{sv}", "work_s", g_variant_new_double (s));
  g_variant_builder_add (&metrics, "{sv}", "workers", g_variant_new_int64 (workers));
  return g_variant_builder_end (&metrics);
}

static const LabExperiment test_experiment = {
  .id = "test-sweep",
  .title = "Sweep test",
  .params = test_params,
  .n_params = G_N_ELEMENTS (test_params),
  .metrics = test_metrics,
  .n_metrics = G_N_ELEMENTS (test_metrics),
  .run = test_run,
  .sweep_time_key = "work_s",
};

static LabSweep *
make_sweep (const char *assignment,
            gint64      from,
            gint64      to)
{
  g_autoptr(LabParams) params = lab_params_new (test_params, G_N_ELEMENTS (test_params));
  g_autoptr(GError) error = NULL;
  LabSweep *sweep;

  if (assignment != NULL)
    g_assert_true (lab_params_parse_assignment (params, assignment, NULL));
  sweep = lab_sweep_new (&test_experiment, params, "workers", from, to, &error);
  g_assert_no_error (error);
  return sweep;
}

static void
on_point (LabSweep *sweep,
          guint     index,
          gpointer  data)
{
  GArray *order = data;
  gint64 value = lab_sweep_get_point (sweep, index)->value;

  g_assert_cmpuint (index, ==, order->len);
  g_array_append_val (order, value);
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* ---- the sweep ---- */

static void
test_points (void)
{
  g_autoptr(LabSweep) sweep = make_sweep ("size=7", 1, 4);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  static const double speedup[] = { 1, 1.6, 2, 3.2 };
  static const double efficiency[] = { 1, 0.8, 2.0 / 3, 0.8 };
  guint finished = 0, current = 0;

  g_signal_connect (sweep, "point-finished", G_CALLBACK (on_point), order);
  g_signal_connect (sweep, "finished", G_CALLBACK (count_signal), &finished);
  g_signal_connect (sweep, "notify::current", G_CALLBACK (count_notify), &current);
  g_assert_cmpuint (lab_sweep_get_n_points (sweep), ==, 4);
  g_assert_cmpstr (lab_sweep_get_time_key (sweep), ==, "work_s");

  g_assert_true (lab_sweep_run_sync (sweep, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_sweep_get_state (sweep), ==, LAB_SWEEP_DONE);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpuint (current, ==, 8); /* each run: started, ended */
  g_assert_cmpuint (lab_sweep_get_n_done (sweep), ==, 4);
  g_assert_cmpfloat (lab_sweep_get_fraction (sweep), ==, 1);
  g_assert_null (lab_sweep_get_current (sweep));

  g_assert_cmpuint (order->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const LabSweepPoint *p = lab_sweep_get_point (sweep, i);
      const LabParams *params = lab_runner_get_params (p->runner);

      g_assert_cmpint (g_array_index (order, gint64, i), ==, i + 1);
      g_assert_cmpint (p->value, ==, i + 1);
      g_assert_cmpint (lab_params_get_int (params, "workers"), ==, i + 1);
      g_assert_cmpint (lab_params_get_int (params, "size"), ==, 7);
      g_assert_cmpfloat_with_epsilon (p->time_s, table_s[i + 1], EPS);
      g_assert_cmpfloat_with_epsilon (p->speedup, speedup[i], EPS);
      g_assert_cmpfloat_with_epsilon (p->efficiency, efficiency[i], EPS);
      g_assert_cmpint (lab_runner_get_state (p->runner), ==, LAB_RUN_DONE);
    }
}

/* From 2: speed-up relative to the first point, efficiency per doubling. */
static void
test_from_two (void)
{
  g_autoptr(LabSweep) sweep = make_sweep (NULL, 2, 4);
  g_autoptr(LabChart) chart = NULL;
  const LabChartPoint *points;
  double base;
  guint n;

  g_assert_true (lab_sweep_run_sync (sweep, NULL));
  /* 0.5 / 0.25 = 2 at four workers, twice the first point's: 100%. */
  g_assert_cmpfloat_with_epsilon (lab_sweep_get_point (sweep, 2)->speedup, 2, EPS);
  g_assert_cmpfloat_with_epsilon (lab_sweep_get_point (sweep, 2)->efficiency, 1, EPS);
  g_assert_cmpfloat_with_epsilon (lab_sweep_get_point (sweep, 1)->efficiency, 0.5 / 0.4 / 1.5, EPS);

  chart = lab_sweep_build_chart (sweep, "test");
  g_assert_cmpint (lab_chart_get_kind (chart), ==, LAB_CHART_LINES);
  g_assert_true (lab_chart_get_ideal_line (chart, &base));
  g_assert_cmpfloat (base, ==, 2);
  g_assert_cmpuint (lab_chart_get_n_panels (chart), ==, 2);
  g_assert_cmpint (lab_chart_get_unit (chart, 1), ==, LAB_CHART_UNIT_PERCENT);
  g_assert_cmpstr (lab_chart_get_x_label (chart), ==, "Workers");
  points = lab_chart_get_points (chart, &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (points[4].x, ==, 4);
  g_assert_cmpuint (points[4].panel, ==, 0);
  g_assert_cmpfloat_with_epsilon (points[4].y, 2, EPS);
  g_assert_cmpuint (points[5].panel, ==, 1);
  g_assert_cmpfloat_with_epsilon (points[5].y, 1, EPS);
  g_assert_true (isnan (points[4].y_min)); /* no repeats: no range */
}

static void
test_repeat (void)
{
  g_autoptr(LabSweep) sweep = make_sweep ("jitter=true", 1, 2);
  g_autoptr(LabChart) chart = NULL;
  const LabSweepPoint *p;
  const LabChartPoint *points;
  g_autoptr(GVariant) metrics = NULL;
  double s;

  g_atomic_int_set (&run_counter, 0);
  lab_sweep_set_repeat (sweep, 3);
  g_assert_true (lab_sweep_run_sync (sweep, NULL));

  /* The median of 1.1, 1.0 and 0.9 times the table; the kept run is it. */
  p = lab_sweep_get_point (sweep, 1);
  g_assert_cmpfloat_with_epsilon (p->time_s, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (p->time_min_s, 0.45, EPS);
  g_assert_cmpfloat_with_epsilon (p->time_max_s, 0.55, EPS);
  g_assert_cmpfloat_with_epsilon (p->speedup, 1.6, EPS);
  g_assert_cmpfloat_with_epsilon (p->speedup_min, 0.8 / 0.55, EPS);
  g_assert_cmpfloat_with_epsilon (p->speedup_max, 0.8 / 0.45, EPS);
  metrics = lab_metrics_lookup (lab_runner_get_metrics (p->runner), "work_s");
  s = g_variant_get_double (metrics);
  g_assert_cmpfloat_with_epsilon (s, 0.5, EPS);

  chart = lab_sweep_build_chart (sweep, NULL);
  points = lab_chart_get_points (chart, NULL);
  g_assert_cmpfloat_with_epsilon (points[2].y_max, 0.8 / 0.45, EPS);
}

static void
stop_at_second (LabSweep *sweep,
                guint     index,
                gpointer  data)
{
  if (index == 1)
    lab_sweep_stop (sweep);
}

static gboolean
stop_later (gpointer data)
{
  lab_sweep_stop (data);
  return G_SOURCE_REMOVE;
}

static void
stop_soon (LabSweep *sweep,
           guint     index,
           gpointer  data)
{
  g_timeout_add (50, stop_later, sweep);
}

static void
test_stop (void)
{
  g_autoptr(LabSweep) between = make_sweep (NULL, 1, 4);
  g_autoptr(LabSweep) during = make_sweep ("hang_at=2", 1, 4);
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Stopped between points: the two measured stay. */
  g_signal_connect (between, "point-finished", G_CALLBACK (stop_at_second), NULL);
  g_assert_false (lab_sweep_run_sync (between, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (lab_sweep_get_state (between), ==, LAB_SWEEP_STOPPED);
  g_assert_cmpuint (lab_sweep_get_n_done (between), ==, 2);
  g_assert_cmpfloat_with_epsilon (lab_sweep_get_point (between, 1)->speedup, 1.6, EPS);
  g_clear_error (&error);

  /* Stopped while the second point runs (it would hang for 30 s). */
  g_signal_connect (during, "point-finished", G_CALLBACK (stop_soon), NULL);
  start = g_get_monotonic_time ();
  g_assert_false (lab_sweep_run_sync (during, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (lab_sweep_get_state (during), ==, LAB_SWEEP_STOPPED);
  g_assert_cmpuint (lab_sweep_get_n_done (during), ==, 1);
  g_assert_null (lab_sweep_get_current (during));
}

static void
test_failure (void)
{
  g_autoptr(LabSweep) broken = make_sweep ("fail_at=3", 1, 4);
  g_autoptr(LabSweep) no_time = make_sweep ("no_time=true", 1, 2);
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_sweep_run_sync (broken, &error));
  g_assert_cmpint (lab_sweep_get_state (broken), ==, LAB_SWEEP_FAILED);
  g_assert_cmpstr (error->message, ==, "workers=3: broke on purpose");
  g_assert_cmpuint (lab_sweep_get_n_done (broken), ==, 2);
  g_clear_error (&error);

  g_assert_false (lab_sweep_run_sync (no_time, &error));
  g_assert_cmpstr (error->message, ==, "workers=1: test-sweep reports no “work_s” time to compare");
}

static void
test_bad_input (void)
{
  g_autoptr(LabParams) params = lab_params_new (test_params, G_N_ELEMENTS (test_params));
  LabExperiment plain = test_experiment;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 from = 0, to = 0;
  static const char * const bad[] = { "workers", "workers=1", "workers=a..3", "=1..3",
                                      "workers=1..", "workers=1...3" };

  g_assert_true (lab_sweep_parse ("workers=2..6", &key, &from, &to, NULL));
  g_assert_cmpstr (key, ==, "workers");
  g_assert_cmpint (from, ==, 2);
  g_assert_cmpint (to, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *k = NULL;

      g_assert_false (lab_sweep_parse (bad[i], &k, &from, &to, &error));
      g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_null (lab_sweep_new (&test_experiment, params, "size", 1, 3, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY);
  g_assert_cmpstr (error->message, ==,
                   "Cannot sweep “size”: the parameters of test-sweep that can be swept are workers");
  g_clear_error (&error);
  g_assert_null (lab_sweep_new (&test_experiment, params, "nope", 1, 3, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);

  g_assert_null (lab_sweep_new (&test_experiment, params, "workers", 1, 9, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==, "workers: 1..9 is out of range (1–8)");
  g_clear_error (&error);
  g_assert_null (lab_sweep_new (&test_experiment, params, "workers", 0, 3, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_null (lab_sweep_new (&test_experiment, params, "workers", 3, 3, &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID);
  g_clear_error (&error);

  /* Without a time key, the wall time. */
  plain.sweep_time_key = NULL;
  {
    g_autoptr(LabSweep) sweep = lab_sweep_new (&plain, params, "workers", 1, 2, NULL);

    g_assert_cmpstr (lab_sweep_get_time_key (sweep), ==, "wall_s");
  }
}

static void
test_variant (void)
{
  g_autoptr(LabSweep) sweep = make_sweep (NULL, 1, 3);
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GVariant) points = NULL;
  g_autoptr(GVariant) point = NULL;
  g_autofree char *experiment = NULL;
  g_autofree char *subtitle = NULL;
  double speedup;
  gint64 events;

  g_assert_true (lab_sweep_run_sync (sweep, NULL));
  v = g_variant_ref_sink (lab_sweep_to_variant (sweep));
  g_assert_true (g_variant_lookup (v, "experiment", "s", &experiment));
  g_assert_cmpstr (experiment, ==, "test-sweep");
  points = g_variant_lookup_value (v, "points", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_cmpuint (g_variant_n_children (points), ==, 3);
  point = g_variant_get_child_value (points, 2);
  g_assert_true (g_variant_lookup (point, "speedup", "d", &speedup));
  g_assert_cmpfloat_with_epsilon (speedup, 2, EPS);
  g_assert_true (g_variant_lookup (point, "events", "x", &events));
  g_assert_cmpint (events, >, 0);
  g_assert_true (g_variant_lookup (point, "dropped_events", "x", &events));
  g_assert_cmpint (events, ==, 0);

  subtitle = lab_sweep_describe (sweep);
  g_assert_true (g_str_has_prefix (subtitle, "Workers 1…3 · time: Work · Size: 5"));
}

/* ---- the command line ---- */

static void
test_cli_json (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *sweep;
  JsonArray *points;

  run_cli (&r, "--run=threads-hello", "--sweep=threads=1..3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "experiment"), ==, "threads-hello");
  sweep = json_object_get_object_member (root, "sweep");
  g_assert_cmpstr (json_object_get_string_member (sweep, "key"), ==, "threads");
  g_assert_cmpint (json_object_get_int_member (sweep, "from"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (sweep, "to"), ==, 3);
  points = json_object_get_array_member (root, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *p = json_array_get_object_element (points, i);
      JsonObject *params = json_object_get_object_member (p, "params");
      static const char * const numbers[] = { "speedup", "efficiency", "events", "dropped_events" };

      g_assert_cmpint (json_object_get_int_member (params, "threads"), ==, i + 1);
      g_assert_true (json_object_has_member (json_object_get_object_member (p, "metrics"), "wall_s"));
      for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
        {
          JsonNode *node = json_object_get_member (p, numbers[k]);

          g_assert_nonnull (node);
          g_assert_true (JSON_NODE_HOLDS_VALUE (node));
          g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
                         json_node_get_value_type (node) == G_TYPE_INT64);
        }
      g_assert_cmpfloat (json_object_get_double_member (p, "speedup"), >, 0);
    }
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (points, 0),
                                                    "speedup"), ==, 1);
}

static void
test_cli_text (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&r, "--run=threads-hello", "--sweep=threads=2..4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strchomp (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "threads=2: wall_s "));
  g_assert_nonnull (strstr (lines[0], ", speed-up 1.00×, efficiency 100%"));
  g_assert_true (g_str_has_prefix (lines[2], "threads=4: wall_s "));
}

static void
test_cli_usage (void)
{
  static const struct { const char *run; const char *sweep; const char *needle; } cases[] = {
    { "--run=threads-hello", "--sweep=lock=1..3", "can be swept are threads" },
    { "--run=race-counter", "--sweep=seed=1..3", "can be swept are threads" },
    { "--run=threads-hello", "--sweep=threads=0..3", "threads: 0..3 is out of range (1–64)" },
    { "--run=threads-hello", "--sweep=threads=1..65", "out of range" },
    { "--run=threads-hello", "--sweep=threads=3..1", "FROM below TO" },
    { "--run=threads-hello", "--sweep=threads", "is not KEY=FROM..TO" },
    { "--json", "--sweep=threads=1..3", "need --run=ID" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };

      run_cli (&r, cases[i].run, cases[i].sweep, NULL);
      assert_usage_error (&r, cases[i].needle);
    }
}

static void
test_cli_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lab-sweep-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sweep.png", NULL);
  g_autofree char *arg = g_strconcat ("--export=", path, NULL);
  g_auto(Result) r = { 0 };
  cairo_surface_t *png;

  g_assert_no_error (error);
  run_cli (&r, "--run=threads-hello", "--sweep=threads=1..3", arg, NULL);
  g_assert_cmpint (r.status, ==, 0);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 620);
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sweep/points", test_points);
  g_test_add_func ("/sweep/from-two", test_from_two);
  g_test_add_func ("/sweep/repeat", test_repeat);
  g_test_add_func ("/sweep/stop", test_stop);
  g_test_add_func ("/sweep/failure", test_failure);
  g_test_add_func ("/sweep/bad-input", test_bad_input);
  g_test_add_func ("/sweep/variant", test_variant);
  g_test_add_func ("/sweep/cli/json", test_cli_json);
  g_test_add_func ("/sweep/cli/text", test_cli_text);
  g_test_add_func ("/sweep/cli/usage", test_cli_usage);
  g_test_add_func ("/sweep/cli/export", test_cli_export);

  return g_test_run ();
}
