/* test-texts-ru.c — with LANGUAGE=ru, what a run puts on the timeline and
 * in its parameter line is Russian: lane names, the counter track, and
 * the line of parameters shown over a run and on its exports.
 *
 * The translations come from the build tree's po/ folder (compiled from
 * po/ru.po by the build), so the test reads what a user would read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "lab-experiments.h"
#include "lab-runner.h"
#include "test-exp-util.h"

/* The names of @trace's lanes of @kind, in lane order (free with
 * g_ptr_array_unref; the strings are the trace's). */
static GPtrArray *
lane_names (LabTrace    *trace,
            LabLaneKind  kind)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind == kind)
        g_ptr_array_add (names, (gpointer) lane->name);
    }
  return names;
}

static void
test_hello_lanes (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (lab_experiments_find ("threads-hello"),
                                              "threads=2", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GPtrArray) main_lanes = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GPtrArray) resources = NULL;

  main_lanes = lane_names (trace, LAB_LANE_MAIN);
  threads = lane_names (trace, LAB_LANE_THREAD);
  resources = lane_names (trace, LAB_LANE_RESOURCE);

  g_assert_cmpuint (main_lanes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (main_lanes, 0), ==, "Главный поток");
  g_assert_cmpuint (threads->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (threads, 0), ==, "Поток 0");
  g_assert_cmpstr (g_ptr_array_index (threads, 1), ==, "Поток 1");
  /* The lock's name is the same word in Russian lectures. */
  g_assert_cmpuint (resources->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (resources, 0), ==, "GIL");
}

static void
test_hello_param_line (void)
{
  const LabExperiment *experiment = lab_experiments_find ("threads-hello");
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autofree char *line = NULL;
  g_autofree char *cli = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_params_parse_assignment (params, "threads=2", &error));
  g_assert_no_error (error);
  g_assert_true (lab_params_parse_assignment (params, "gil=false", &error));
  g_assert_no_error (error);

  line = lab_params_describe (params, NULL);
  g_assert_cmpstr (line, ==, "Потоки: 2, GIL (CPython 3.11): нет");
  /* The command line's spelling stays the keys', whatever the language. */
  cli = lab_params_to_string (params);
  g_assert_cmpstr (cli, ==, "threads=2, gil=false");
}

/* A choice shows its label and a number its unit. */
static void
test_race_param_line (void)
{
  const LabExperiment *experiment = lab_experiments_find ("race-counter");
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autofree char *line = lab_params_describe (params, NULL);

  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, "Потоки: 10, "));
  g_assert_nonnull (strstr (line, "1000 мс"));
  g_assert_null (strstr (line, "false"));
}

static void
test_race_counter_track (void)
{
  g_autoptr(LabRunner) runner = test_exp_run (lab_experiments_find ("race-counter"),
                                              "threads=2", "max_sleep_ms=0", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  gboolean found = FALSE;

  g_assert_cmpuint (lab_trace_get_n_counters (trace), ==, 1);
  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    found |= g_strcmp0 (lab_trace_get_string (trace, lab_trace_get_counter (trace, c)->label),
                        "счётчик") == 0;
  g_assert_true (found);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = NULL;

  /* LANGUAGE is read by gettext at lookup time; set it before anything
   * is translated. C.UTF-8 (not plain C) lets gettext honour it. */
  g_setenv ("LANGUAGE", "ru", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("LAB_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (_("Main thread"), "Main thread") == 0)
    g_error ("no Russian catalogue under %s: build the project first", localedir);

  g_test_add_func ("/texts-ru/threads-hello/lanes", test_hello_lanes);
  g_test_add_func ("/texts-ru/threads-hello/param-line", test_hello_param_line);
  g_test_add_func ("/texts-ru/race-counter/param-line", test_race_param_line);
  g_test_add_func ("/texts-ru/race-counter/counter-track", test_race_counter_track);

  return g_test_run ();
}
