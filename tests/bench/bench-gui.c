/* bench-gui.c — does the window measure what the command line measures?
 *
 * Runs threads-cpu-sum (2 threads, the catalogue's default size and
 * repeats; GIL off, then on) and process-sum in a shown window through its
 * page, and the same parameters headless through lab_runner_run_sync() on a
 * main context of its own (as the command line does), taking turns (which
 * goes first alternates), five times each.
 * Needs a display: run under xvfb-run. Prints KEY: VALUE lines, all
 * measured in this one run:
 *   gui_vs_cli_speedup_gil_off  median window speed-up / median headless
 *                               speed-up, GIL off (target ≥ 0.9)
 *   gui_vs_cli_speedup_gil_on   the same with the GIL on (target ≈ 1: the
 *                               window must not make threads look faster)
 *   gui_main_thread_cpu_share   CPU time of the window's main thread
 *                               during its runs / their wall time
 *                               (target ≤ 0.05)
 *   gui_other_threads_cpu_share the same for the process's other threads
 *                               that outlive a run (GL rasterisers, GDBus,
 *                               GLib's): drawing can cost CPU off the main
 *                               thread too
 *   gui_vs_cli_speedup_send_n   process-sum (2 processes, defaults): the
 *                               counts-only pool's speed-up, the same way
 *   gui_vs_cli_spawn_s          its pool's start-up time, window / headless
 *   *_gui, *_cli                the medians behind the ratios
 *   cpus, load_avg_1min         the machine the numbers come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"
#include "bench-window.h"

#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab-application.h"
#include "lab-experiment-page.h"
#include "lab-experiments.h"
#include "lab-window.h"

#define N_ROUNDS 5

typedef struct
{
  LabExperimentPage *page;
  pid_t              main_tid;
  gint64             cpu_ticks;  /* the main thread's, over the window's runs */
  gint64             other_ticks; /* the other lasting threads', the same */
  gint64             wall_us;    /* those runs' wall time */
} Bench;

/* utime + stime of one thread, in clock ticks (0 if it has ended). */
static gint64
thread_cpu_ticks (pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/stat", (int) tid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0; /* a thread that ended meanwhile */
  /* The name in parentheses may hold spaces: count from after it. */
  after = strrchr (text, ')');
  g_assert (after != NULL);
  fields = g_strsplit (after + 2, " ", -1);
  /* Fields 14 and 15 of the line; "state" (field 3) is fields[0]. */
  g_assert (g_strv_length (fields) > 12);
  return g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
}

/* The same for every thread but the main one that is there now (an
 * experiment's workers are gone once it returned). */
static gint64
other_threads_cpu_ticks (pid_t main_tid)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *entry;
  gint64 sum = 0;

  g_assert (dir != NULL);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      pid_t tid = (pid_t) g_ascii_strtoll (entry, NULL, 10);

      if (tid != main_tid)
        sum += thread_cpu_ticks (tid);
    }
  return sum;
}

static double
metric_of (LabRunner  *run,
           const char *key)
{
  const LabExperiment *experiment = lab_runner_get_experiment (run);
  g_autoptr(GVariant) value = NULL;

  if (lab_runner_get_state (run) != LAB_RUN_DONE)
    g_error ("%s did not finish: %s", experiment->id,
             lab_runner_get_error (run) ? lab_runner_get_error (run)->message : "?");
  value = lab_metrics_lookup (lab_runner_get_metrics (run), key);
  g_assert (value != NULL);
  return g_variant_get_double (value);
}

/* One run through the page, as a user would start it; its runner. */
static LabRunner *
run_in_window (Bench *bench)
{
  gint64 cpu0, other0, t0;

  cpu0 = thread_cpu_ticks (bench->main_tid);
  other0 = other_threads_cpu_ticks (bench->main_tid);
  t0 = g_get_monotonic_time ();
  lab_experiment_page_run (bench->page);
  while (lab_experiment_page_get_running (bench->page))
    g_main_context_iteration (NULL, TRUE);
  bench->wall_us += g_get_monotonic_time () - t0;
  bench->cpu_ticks += thread_cpu_ticks (bench->main_tid) - cpu0;
  /* The runner's thread is joined by now; its CPU time left with it. */
  bench->other_ticks += other_threads_cpu_ticks (bench->main_tid) - other0;

  return g_object_ref (lab_experiment_page_get_shown_run (bench->page));
}

/* The same parameters as the page's, run as the command line runs them. */
static LabRunner *
run_headless (Bench *bench)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  LabRunner *run;

  /* A context of its own: nothing of the window runs meanwhile, as
   * nothing does in `concurrency-lab --run`. */
  g_main_context_push_thread_default (context);
  run = lab_runner_new (lab_experiment_page_get_experiment (bench->page),
                        lab_experiment_page_get_params (bench->page));
  lab_runner_run_sync (run, NULL);
  g_main_context_pop_thread_default (context);

  return run;
}

/* Runs @id with @params in the window and headless, taking turns, and
 * prints for each metric key (NULL-terminated pairs KEY, NAME) the medians
 * NAME_gui, NAME_cli and gui_vs_cli_NAME, their ratio. */
static void
measure (Bench              *bench,
         LabWindow          *window,
         const char         *id,
         const char         *params,
         const char * const *keys)
{
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GPtrArray) gui = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cli = g_ptr_array_new_with_free_func (g_object_unref);

  bench->page = lab_window_show_experiment (window, id);
  g_assert (bench->page != NULL);
  values = g_variant_parse (G_VARIANT_TYPE_VARDICT, params, NULL, NULL, NULL);
  g_assert (values != NULL);
  lab_experiment_page_set_param_values (bench->page, values);

  /* Taking turns, which goes first too, so that whatever else the machine
   * does disturbs both alike. */
  for (guint i = 0; i < N_ROUNDS; i++)
    {
      if (i % 2 == 0)
        g_ptr_array_add (gui, run_in_window (bench));
      g_ptr_array_add (cli, run_headless (bench));
      if (i % 2 == 1)
        g_ptr_array_add (gui, run_in_window (bench));
    }

  for (guint k = 0; keys[k] != NULL; k += 2)
    {
      double in_window[N_ROUNDS], headless[N_ROUNDS], a, b;

      for (guint i = 0; i < N_ROUNDS; i++)
        {
          in_window[i] = metric_of (g_ptr_array_index (gui, i), keys[k]);
          headless[i] = metric_of (g_ptr_array_index (cli, i), keys[k]);
        }
      a = bench_median_upper (in_window, N_ROUNDS);
      b = bench_median_upper (headless, N_ROUNDS);
      printf ("%s_gui: %.4f\n", keys[k + 1], a);
      printf ("%s_cli: %.4f\n", keys[k + 1], b);
      printf ("gui_vs_cli_%s: %.3f\n", keys[k + 1], a / b);
    }
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  Bench bench = { 0 };
  LabWindow *window;

  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-gui needs a display: run it under xvfb-run\n");
      return 77;
    }

  app = lab_application_new ();
  window = bench_open_window (app, 1280, 800);
  bench.main_tid = (pid_t) syscall (SYS_gettid);

  bench_print_machine ();
  measure (&bench, window, "threads-cpu-sum", "{'threads': <int64 2>, 'gil': <false>}",
           (const char * const[]) { "speedup", "speedup_gil_off", NULL });
  measure (&bench, window, "threads-cpu-sum", "{'threads': <int64 2>, 'gil': <true>}",
           (const char * const[]) { "speedup", "speedup_gil_on", NULL });
  measure (&bench, window, "process-sum", "{'processes': <int64 2>}",
           (const char * const[]) { "speedup_send_n", "speedup_send_n", "spawn_s", "spawn_s", NULL });
  printf ("gui_main_thread_cpu_share: %.3f\n",
          (double) bench.cpu_ticks / sysconf (_SC_CLK_TCK) / (bench.wall_us / 1e6));
  printf ("gui_other_threads_cpu_share: %.3f\n",
          (double) bench.other_ticks / sysconf (_SC_CLK_TCK) / (bench.wall_us / 1e6));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
