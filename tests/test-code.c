/* test-code.c — the listings: the values chosen are the values shown,
 * every listing is Python that compiles and runs with the standard
 * library, and what it prints reads back as the experiment's metrics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lab-experiments.h"
#include "lab-py-engine.h"
#include "test-small-params.h"

#define PYTHON "/usr/bin/python3"

static char *
race_code (const char *assignment, ...)
{
  const LabExperiment *race = lab_experiments_find ("race-counter");
  g_autoptr(LabParams) params = lab_params_new (race->params, race->n_params);
  va_list args;

  va_start (args, assignment);
  for (const char *a = assignment; a != NULL; a = va_arg (args, const char *))
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (lab_params_parse_assignment (params, a, &error));
      g_assert_no_error (error);
    }
  va_end (args);
  return lab_experiment_dup_code (race, params);
}

static void
test_values (void)
{
  g_autofree char *defaults = lab_experiment_dup_code (lab_experiments_find ("race-counter"), NULL);
  g_autofree char *changed = race_code ("lock=true", "threads=4", "max_sleep_ms=250", "pause=zero", NULL);

  g_assert_nonnull (strstr (defaults, "\nUSE_LOCK = False       # "));
  g_assert_nonnull (strstr (defaults, "\nTHREADS = 10           # "));
  g_assert_nonnull (strstr (defaults, "\nMAX_SLEEP = 1.0        # "));
  g_assert_nonnull (strstr (defaults, "\nPAUSE = \"random\"       # "));

  /* The comments stay in their column. */
  g_assert_nonnull (strstr (changed, "\nUSE_LOCK = True        # "));
  g_assert_nonnull (strstr (changed, "\nTHREADS = 4            # "));
  g_assert_nonnull (strstr (changed, "\nMAX_SLEEP = 0.25       # "));
  g_assert_nonnull (strstr (changed, "\nPAUSE = \"zero\"         # "));
  /* Only the bound lines change. */
  g_assert_cmpuint (strlen (changed), ==, strlen (defaults));
  g_assert_nonnull (strstr (changed, "guard = counter_lock if USE_LOCK else"));
}

static void
test_literals (void)
{
  static const LabParamSpec specs[] = {
    { .kind = LAB_PARAM_TEXT, .key = "text", .label = "Text", .def_text = "say \"hi\"\\\n\tб" },
    { .kind = LAB_PARAM_TEXT_LIST, .key = "urls", .label = "URLs", .def_text = "http://a/,b" },
    { .kind = LAB_PARAM_DOUBLE, .key = "d", .label = "D", .min = 0, .max = 10, .step = 0.5, .def_num = 2 },
    { .kind = LAB_PARAM_INT, .key = "ms", .label = "Ms", .min = 0, .max = 5000, .step = 1, .def_num = 1500 },
  };
  g_autoptr(LabParams) params = lab_params_new (specs, G_N_ELEMENTS (specs));
  g_autofree char *text = lab_python_literal (&specs[0], params, 0);
  g_autofree char *list = lab_python_literal (&specs[1], params, 0);
  g_autofree char *d = lab_python_literal (&specs[2], params, 0);
  g_autofree char *ms = lab_python_literal (&specs[3], params, 0.001);
  g_autofree char *whole = lab_python_literal (&specs[3], params, 0);

  g_assert_cmpstr (text, ==, "\"say \\\"hi\\\"\\\\\\n\\tб\"");
  g_assert_cmpstr (list, ==, "[\"http://a/\", \"b\"]");
  g_assert_cmpstr (d, ==, "2.0");
  g_assert_cmpstr (ms, ==, "1.5");
  g_assert_cmpstr (whole, ==, "1500");
}

/* Every experiment's bindings name a line of its listing and one of its
 * parameters, and the listing with its defaults is Python that compiles. */
static void
test_every_listing (void)
{
  guint n = 0;
  const LabExperiment * const *all = lab_experiments_get_all (&n);
  gboolean have_python = g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE);

  if (!have_python)
    g_test_message ("%s is not installed: listings only checked for their bindings", PYTHON);
  for (guint i = 0; i < n; i++)
    {
      const LabExperiment *experiment = all[i];
      g_autofree char *code = lab_experiment_dup_code (experiment, NULL);
      g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);

      for (guint b = 0; b < experiment->n_code_bindings; b++)
        {
          g_autofree char *start = g_strdup_printf ("\n%s = ", experiment->code_bindings[b].name);

          g_assert_nonnull (lab_params_find_spec (params, experiment->code_bindings[b].key));
          if (strstr (code, start) == NULL)
            g_error ("%s: no line assigns %s", experiment->id, experiment->code_bindings[b].name);
        }
      if (have_python && *code != '\0')
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GSubprocess) python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                            | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                            &error, PYTHON, "-c",
                                                            "import sys\n"
                                                            "compile(sys.stdin.read(), sys.argv[1], 'exec')\n",
                                                            experiment->id, NULL);
          g_autofree char *err = NULL;

          g_assert_no_error (error);
          g_assert_true (g_subprocess_communicate_utf8 (python, code, NULL, NULL, &err, &error));
          g_assert_no_error (error);
          if (!g_subprocess_get_if_exited (python) || g_subprocess_get_exit_status (python) != 0)
            g_error ("%s: its listing does not compile:\n%s", experiment->id, err);
        }
    }
}

/* The small run's values of @experiment. */
static LabParams *
small_params (const LabExperiment *experiment)
{
  const SmallRun *run = small_run_find (experiment->id);
  LabParams *params = lab_params_new (experiment->params, experiment->n_params);

  g_assert_nonnull (run);
  for (guint i = 0; run->sets[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (lab_experiment_parse_assignment (experiment, params, run->sets[i], &error));
      g_assert_no_error (error);
    }
  return params;
}

/* Each listing runs as shown, with python3 alone (no tracer, no lab), and
 * prints lines its own patterns read: those that need no network server. */
static void
test_listings_run (void)
{
  guint n = 0;
  const LabExperiment * const *all = lab_experiments_get_all (&n);

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("%s is missing: the listings cannot be run", PYTHON);
      g_test_skip ("no Python interpreter at " PYTHON);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      const LabExperiment *experiment = all[i];
      g_autoptr(LabParams) params = small_params (experiment);
      g_autofree char *code = lab_experiment_dup_code (experiment, params);
      g_autofree char *dir = g_dir_make_tmp ("lab-listing-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "listing.py", NULL);
      g_autoptr(GSubprocess) python = NULL;
      g_autoptr(GVariant) metrics = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (small_run_find (experiment->id)->network)
        {
          g_test_message ("%s fetches from a server: compiled only", experiment->id);
          g_rmdir (dir);
          continue;
        }
      g_test_message ("%s", experiment->id);
      /* A file, not -c: multiprocessing's spawn imports the main module. */
      g_assert_true (g_file_set_contents (path, code, -1, NULL));
      python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error, PYTHON, path, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (python, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (python) || g_subprocess_get_exit_status (python) != 0)
        g_error ("%s: its listing failed:\n%s", experiment->id, err);
      metrics = g_variant_ref_sink (lab_py_engine_parse_output (experiment, out));
      if (g_variant_n_children (metrics) == 0)
        g_error ("%s: none of its printed lines is read as a metric:\n%s", experiment->id, out);
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
assert_metric (GVariant   *metrics,
               const char *key,
               const char *printed)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (metrics, key, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (value);
  text = g_variant_print (value, TRUE);
  g_assert_cmpstr (text, ==, printed);
}

/* What @id's patterns read from @printed (a full reference). */
static GVariant *
parse (const char *id,
       const char *printed)
{
  return g_variant_ref_sink (lab_py_engine_parse_output (lab_experiments_find (id), printed));
}

/* The patterns: numbers by their metric's kind, the shortest text that
 * lets the rest match, lists, one dictionary per line, repr unquoted. */
static void
test_results (void)
{
  g_autoptr(GVariant) race = NULL;
  g_autoptr(GVariant) io = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) isolation = NULL;
  g_autoptr(GVariant) map = NULL;

  race = parse ("race-counter",
                "1 2 2 \n"
                "expected 10, got 7 (lost updates: 3)\n"
                "took 1.002 s\n");
  assert_metric (race, "expected", "int64 10");
  assert_metric (race, "final_count", "int64 7");
  assert_metric (race, "lost_updates", "int64 3");
  assert_metric (race, "wall_s", "1.002");
  g_assert_cmpuint (g_variant_n_children (race), ==, 4);

  io = parse ("threads-io-fetch",
              "sequential: 200, 25 bytes in 0.5 s from http://a/\n"
              "threads: failed (HTTP Error (x)) after 1e-3 s from http://b/\n"
              "one after another: 0.5 s\n"
              "threads: 0.25 s, 2.00x as fast\n");
  assert_metric (io, "requests",
                 "[{'mode': <'sequential'>, 'status': <int64 200>, 'bytes': <int64 25>, "
                 "'total_s': <0.5>, 'url': <'http://a/'>}, {'mode': <'threads'>, "
                 "'error': <'HTTP Error (x)'>, 'total_s': <0.001>, 'url': <'http://b/'>}]");
  assert_metric (io, "sequential_s", "0.5");
  assert_metric (io, "concurrent_s", "0.25");
  assert_metric (io, "speedup", "2.0");

  run = parse ("subprocess-run",
               "CompletedProcess(args=['sh'], returncode=-9, "
               "stdout=b'a, stderr=\\'b\\'\\n', stderr=b'')\n");
  assert_metric (run, "exit_code", "int64 -9");
  assert_metric (run, "stdout", "\"a, stderr='b'\\n\"");
  assert_metric (run, "stderr", "''");

  isolation = parse ("process-isolation",
                     "child: acc = ['item'], length 1\n"
                     "child: acc = ['item'], length 1\n"
                     "parent: acc = [], length 0\n");
  assert_metric (isolation, "child_lens", "[int64 1, 1]");
  assert_metric (isolation, "parent_len", "int64 0");

  map = parse ("process-pool-map",
               "result: [0, 2, 4]\n");
  assert_metric (map, "result", "[int64 0, 2, 4]");
}

/* A listing made per mode (subprocess-run) is the one the run would
 * write out for those values. */
static void
test_per_mode (void)
{
  const LabExperiment *subprocess = lab_experiments_find ("subprocess-run");
  g_autoptr(LabParams) params = lab_params_new (subprocess->params, subprocess->n_params);
  g_autofree char *run = NULL;
  g_autofree char *popen = NULL;

  g_assert_true (lab_params_parse_assignment (params, "command=echo it", NULL));
  run = lab_experiment_dup_code (subprocess, params);
  g_assert_true (lab_params_parse_assignment (params, "mode=popen", NULL));
  popen = lab_experiment_dup_code (subprocess, params);
  g_assert_nonnull (strstr (run, "command = ['echo', 'it']\n"));
  g_assert_nonnull (strstr (run, "subprocess.run(command"));
  g_assert_null (strstr (run, "Popen("));
  g_assert_nonnull (strstr (popen, "subprocess.Popen(command"));
  g_assert_nonnull (strstr (popen, "print(\"return code:\", child.returncode)\n"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/code/values", test_values);
  g_test_add_func ("/code/literals", test_literals);
  g_test_add_func ("/code/every-listing", test_every_listing);
  g_test_add_func ("/code/listings-run", test_listings_run);
  g_test_add_func ("/code/results", test_results);
  g_test_add_func ("/code/per-mode", test_per_mode);
  return g_test_run ();
}
