/* test-code.c — the listings: the values chosen are the values shown, and
 * every listing is Python that compiles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lab-experiments.h"

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
  g_assert_nonnull (strstr (defaults, "\nPAUSE = \"random\"      # "));

  /* The comments stay in their column. */
  g_assert_nonnull (strstr (changed, "\nUSE_LOCK = True        # "));
  g_assert_nonnull (strstr (changed, "\nTHREADS = 4            # "));
  g_assert_nonnull (strstr (changed, "\nMAX_SLEEP = 0.25       # "));
  g_assert_nonnull (strstr (changed, "\nPAUSE = \"zero\"        # "));
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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/code/values", test_values);
  g_test_add_func ("/code/literals", test_literals);
  g_test_add_func ("/code/every-listing", test_every_listing);
  return g_test_run ();
}
