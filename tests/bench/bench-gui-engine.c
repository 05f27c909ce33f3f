/* bench-gui-engine.c — how soon Stop ends a CPython run, in the window and
 * headless.
 *
 * Runs race-counter's listing on /usr/bin/python3 (64 threads, each
 * sleeping 0 or 2 s between read and write), waits until python3 is
 * running, presses Stop and times until the run has ended (every process
 * of it killed and reaped, its thread joined): five times through a shown
 * window's page, five times through a LabRunner on a main context of its
 * own, taking turns. Needs a display: run under xvfb-run. Prints:
 *   gui_cpython_stop_ms        median, window (target ≤ 200)
 *   gui_cpython_stop_max_ms    the slowest of the five
 *   cli_cpython_stop_ms        median, headless
 *   cpus, load_avg_1min        the machine the numbers come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"
#include "bench-window.h"

#include <gtk/gtk.h>
#include <string.h>
#include <unistd.h>

#include "lab-application.h"
#include "lab-engine-selector.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-window.h"

#define N_ROUNDS 5
#define PARAMS "{'threads': <int64 64>, 'max_sleep_ms': <int64 2000>}"

/* Whether a python3 is a child of this process now. */
static gboolean
python_child (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", entry);
      g_autofree char *stat = NULL;
      const char *close;
      int ppid = 0;

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close = strrchr (stat, ')');
      if (close != NULL && sscanf (close + 2, "%*c %d", &ppid) == 1 && ppid == getpid () &&
          strstr (stat, "(python") != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
iterate_until_python (void)
{
  while (!python_child ())
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static double
stop_in_window (LabExperimentPage *page)
{
  gint64 start;

  lab_experiment_page_run (page);
  iterate_until_python ();
  start = g_get_monotonic_time ();
  lab_experiment_page_stop (page);
  while (lab_experiment_page_get_running (page))
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
on_finished (LabRunner *run,
             gboolean  *done)
{
  *done = TRUE;
}

static double
stop_headless (const LabExperiment *experiment,
               const LabParams     *params)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(LabRunner) run = NULL;
  gboolean done = FALSE;
  gint64 start;

  g_main_context_push_thread_default (context);
  run = lab_engine_runner_new (experiment, LAB_ENGINE_CPYTHON, params, NULL);
  g_assert (run != NULL);
  g_signal_connect (run, "finished", G_CALLBACK (on_finished), &done);
  lab_runner_start (run);
  while (!python_child ())
    if (!g_main_context_iteration (context, FALSE))
      g_usleep (1000);
  start = g_get_monotonic_time ();
  lab_runner_stop (run);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;
  double in_window[N_ROUNDS], headless[N_ROUNDS];
  LabExperimentPage *page;
  LabWindow *window;

  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-gui-engine needs a display: run it under xvfb-run\n");
      return 77;
    }
  if (lab_engine_get_python (NULL, &error) == NULL)
    {
      fprintf (stderr, "bench-gui-engine: %s\n", error->message);
      return 77;
    }

  app = lab_application_new ();
  window = bench_open_window (app, 1280, 800);

  page = lab_window_show_experiment (window, "race-counter");
  values = g_variant_parse (G_VARIANT_TYPE_VARDICT, PARAMS, NULL, NULL, NULL);
  lab_experiment_page_set_param_values (page, values);
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w != NULL; )
    {
      /* The page's engine toggles: CPython. */
      if (LAB_IS_ENGINE_SELECTOR (w))
        {
          lab_engine_selector_set_engine (LAB_ENGINE_SELECTOR (w), LAB_ENGINE_CPYTHON);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w) == GTK_WIDGET (page) ? NULL : gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }

  bench_print_machine ();
  for (guint i = 0; i < N_ROUNDS; i++)
    {
      if (i % 2 == 0)
        in_window[i] = stop_in_window (page);
      headless[i] = stop_headless (lab_experiment_page_get_experiment (page),
                                   lab_experiment_page_get_params (page));
      if (i % 2 == 1)
        in_window[i] = stop_in_window (page);
    }
  printf ("gui_cpython_stop_ms: %.1f\n", bench_median (in_window, N_ROUNDS));
  printf ("gui_cpython_stop_max_ms: %.1f\n", in_window[N_ROUNDS - 1]); /* sorted */
  printf ("cli_cpython_stop_ms: %.1f\n", bench_median (headless, N_ROUNDS));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
