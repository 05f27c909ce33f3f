/* test-gui-program.c — the "Your Program" page: a real Python program run
 * from the window under the tracer; its lanes, output, numbers and
 * Python's own errors on the page; Stop and closing the window leave no
 * process behind; what the student typed wrong is one line on the page;
 * recently traced files are remembered for the next window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "lab-application.h"
#include "lab-window.h"
#include "test-gui-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static const char *
python_or_skip (void)
{
  const char *python = "/usr/bin/python3";

  if (g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    return python;
  /* On CI a missing interpreter is a broken setup, not a reason to skip. */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is missing: the page cannot be tested", python);
  g_test_skip ("no Python interpreter at /usr/bin/python3");
  return NULL;
}

static char *
data_path (const char *dir,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
}

static gboolean
page_idle (gpointer data)
{
  return !lab_program_page_get_running (data);
}

static LabProgramPage *
show_page (Gui        *gui,
           const char *python)
{
  LabProgramPage *page = lab_window_show_program (gui->window);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  lab_program_page_set_python (page, python);
  return page;
}

/* Runs @path with @args and waits until the run has ended. */
static LabRunState
run_and_wait (LabProgramPage *page,
              const char     *path,
              const char     *args)
{
  g_autoptr(GFile) file = path != NULL ? g_file_new_for_path (path) : NULL;

  lab_program_page_set_file (page, file);
  lab_program_page_set_arguments (page, args);
  lab_program_page_run (page);
  g_assert_true (wait_for (page_idle, page, 60000));
  return lab_program_page_get_run (page) != NULL ? lab_runner_get_state (lab_program_page_get_run (page))
                                                  : LAB_RUN_READY;
}

static gint64
metric_int (LabProgramPage *page,
            const char     *key)
{
  g_autoptr(GVariant) value = lab_metrics_lookup (lab_runner_get_metrics (lab_program_page_get_run (page)), key);
  gint64 n = -1;

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    n = g_variant_get_int64 (value);
  return n;
}

static gboolean
has_lane (LabTrace   *trace,
          const char *prefix)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    if (g_str_has_prefix (lab_trace_get_lane (trace, i)->name, prefix))
      return TRUE;
  return FALSE;
}

static void
test_two_threads (Gui *gui)
{
  const char *python = python_or_skip ();
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  LabProgramPage *page;
  LabTrace *trace;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  path = data_path ("program", "two_threads.py");
  g_assert_cmpint (run_and_wait (page, path, "alpha \"two words\" 'x y'"), ==, LAB_RUN_DONE);

  trace = lab_runner_get_trace (lab_program_page_get_run (page));
  g_assert_true (has_lane (trace, "reader (pid "));
  g_assert_true (has_lane (trace, "writer (pid "));
  output = lab_program_page_dup_output (page);
  g_assert_nonnull (strstr (output, "args alpha|two words|x y\n"));
  g_assert_nonnull (strstr (output, "reader step 2\n"));
  g_assert_nonnull (strstr (output, "writer step 2\n"));
  g_assert_nonnull (strstr (output, "done\n")); /* standard error too */
  /* Each line once, in the order printed, whichever thread's lines were
   * drained first. */
  {
    g_auto(GStrv) shown = g_strsplit (output, "\n", -1);

    g_assert_cmpuint (g_strv_length (shown), ==, 9); /* 8 lines and "" */
    g_assert_cmpstr (shown[0], ==, "args alpha|two words|x y");
    g_assert_cmpstr (shown[7], ==, "done");
  }
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==, "");
  g_assert_cmpint (metric_int (page, "exit_status"), ==, 0);
  g_assert_cmpint (metric_int (page, "threads"), >=, 3);
  g_assert_cmpint (metric_int (page, "processes"), ==, 1);
  g_assert_nonnull (strstr (lab_program_page_get_metrics_text (page), "Exit status\u00a00"));
  g_assert_nonnull (strstr (lab_program_page_get_metrics_text (page), "Hand-overs"));
  g_assert_cmpuint (lab_program_page_get_dropped_bytes (page), ==, 0);
}

/* The page after a run, at the size of a small laptop and of a projector,
 * is drawn (not blank). With LAB_TEST_SCREENSHOT_DIR the PNGs stay there
 * for a person to look at (also with LANGUAGE=ru and LAB_TEST_LOCALEDIR). */
static void
test_screenshots (Gui *gui)
{
  static const int sizes[][2] = { { 1024, 700 }, { 1920, 1080 } };
  const char *python = python_or_skip ();
  g_autofree char *path = NULL;
  g_autofree char *tmpdir = NULL;
  const char *dir = gui->screenshot_dir;
  LabProgramPage *page;

  if (python == NULL)
    return;
  if (dir == NULL)
    dir = tmpdir = g_dir_make_tmp ("lab-test-program-XXXXXX", NULL);
  page = show_page (gui, python);
  path = data_path ("program", "two_threads.py");
  g_assert_cmpint (run_and_wait (page, path, "alpha \"two words\""), ==, LAB_RUN_DONE);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("program-page-%d.png", sizes[i][0]);
      g_autofree char *shot = g_build_filename (dir, name, NULL);

      gtk_window_set_default_size (GTK_WINDOW (gui->window), sizes[i][0], sizes[i][1]);
      spin (300);
      check_screenshot (GTK_WIDGET (gui->window), shot);
      if (tmpdir != NULL)
        g_unlink (shot);
    }
  if (tmpdir != NULL)
    g_rmdir (tmpdir);
  gtk_window_set_default_size (GTK_WINDOW (gui->window), 1280, 800);
  spin (300);
}

static void
test_export (Gui *gui)
{
  const char *python = python_or_skip ();
  static const char * const formats[] = { "png", "svg", "pdf", "json" };
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  LabProgramPage *page;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  path = data_path ("program", "two_threads.py");
  g_assert_cmpint (run_and_wait (page, path, ""), ==, LAB_RUN_DONE);
  dir = g_dir_make_tmp ("lab-test-program-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("run.%s", formats[i]);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      GStatBuf st;

      g_assert_true (lab_program_page_export_to_file (page, out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (out, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 100);
      g_unlink (out);
    }
  g_rmdir (dir);
}

/* Runs tests/data/py/@name, which fails: the run has ended (not a
 * failure of the lab), its timeline and numbers stay, with Python's last
 * line and where it happened. */
static void
check_python_error (Gui        *gui,
                    const char *name,
                    const char *expected)
{
  const char *python = python_or_skip ();
  g_autofree char *path = NULL;
  LabProgramPage *page;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  path = data_path ("py", name);
  g_assert_cmpint (run_and_wait (page, path, ""), ==, LAB_RUN_DONE);
  g_test_message ("%s: %s", name, lab_program_page_get_error_text (page));
  g_assert_nonnull (strstr (lab_program_page_get_error_text (page), expected));
  g_assert_cmpint (metric_int (page, "exit_status"), ==, 1);
  g_assert_nonnull (strstr (lab_program_page_get_metrics_text (page), "Exit status\u00a01"));
  g_assert_true (has_lane (lab_runner_get_trace (lab_program_page_get_run (page)), "python3 (pid "));
}

static void
test_raises (Gui *gui)
{
  check_python_error (gui, "raises.py", "line 3: ValueError: bad value 42");
}

static void
test_syntax_error (Gui *gui)
{
  check_python_error (gui, "syntax_error.py", "line 2: SyntaxError: ");
}

typedef struct
{
  int  pid;
  char state;
  int  ppid;
  int  pgrp;
} ProcStat;

/* Every process in /proc now. */
static GArray *
list_processes (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GArray *all = g_array_new (FALSE, FALSE, sizeof (ProcStat));
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", entry, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *after;
      ProcStat p = { atoi (entry), 0, 0, 0 };

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      after = strrchr (stat, ')');
      if (after != NULL && sscanf (after + 1, " %c %d %d", &p.state, &p.ppid, &p.pgrp) == 3)
        g_array_append_val (all, p);
    }
  return all;
}

/* Processes of the group led by @pgid that have not ended (zombies that
 * nobody reaps yet have ended). */
static guint
count_group (int pgid)
{
  g_autoptr(GArray) all = list_processes ();
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += g_array_index (all, ProcStat, i).pgrp == pgid && g_array_index (all, ProcStat, i).state != 'Z';
  return n;
}

/* The pid of the python3 that this process started (the program, leader
 * of its own process group). */
static int
find_program_pid (void)
{
  g_autoptr(GArray) all = list_processes ();

  for (guint i = 0; i < all->len; i++)
    {
      const ProcStat *p = &g_array_index (all, ProcStat, i);

      if (p->ppid == getpid () && p->pgrp == p->pid)
        return p->pid;
    }
  return 0;
}

static gboolean
output_has_child (gpointer data)
{
  g_autofree char *output = lab_program_page_dup_output (data);

  return strstr (output, "child ") != NULL;
}

/* Starts endless.py on @page; returns its pid once its child runs. */
static int
start_endless (LabProgramPage *page)
{
  g_autofree char *path = data_path ("program", "endless.py");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  int pid;

  lab_program_page_set_file (page, file);
  lab_program_page_set_arguments (page, "");
  lab_program_page_run (page);
  g_assert_true (lab_program_page_get_running (page));
  g_assert_true (wait_for (output_has_child, page, 30000));
  pid = find_program_pid ();
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpuint (count_group (pid), ==, 2); /* python3 and its child */
  return pid;
}

static void
test_stop (Gui *gui)
{
  const char *python = python_or_skip ();
  LabProgramPage *page;
  gint64 start_us;
  int pid;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  pid = start_endless (page);

  /* The window's Stop (Escape), as a user stops it; Run waits. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "stop"));
  start_us = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "stop", NULL);
  g_assert_true (wait_for (page_idle, page, 10000));
  g_test_message ("stopped in %.1f ms", (g_get_monotonic_time () - start_us) / 1000.0);
  g_assert_cmpint (lab_runner_get_state (lab_program_page_get_run (page)), ==, LAB_RUN_STOPPED);
  g_assert_cmpuint (count_group (pid), ==, 0);
  g_assert_cmpint (kill (pid, 0), ==, -1); /* reaped, not a zombie */

  /* The window's Run (Ctrl+R) runs it again. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "stop"));
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (lab_program_page_get_running (page));
  lab_program_page_stop (page);
  g_assert_true (wait_for (page_idle, page, 10000));
}

static gboolean
dropped_some (gpointer data)
{
  return lab_program_page_get_dropped_bytes (data) > 0;
}

static void
test_endless_output (Gui *gui)
{
  const char *python = python_or_skip ();
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GFile) file = NULL;
  LabProgramPage *page;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  path = data_path ("program", "chatty.py");
  file = g_file_new_for_path (path);
  lab_program_page_set_file (page, file);
  lab_program_page_run (page);
  g_assert_true (wait_for (dropped_some, page, 30000));
  output = lab_program_page_dup_output (page);
  g_assert_cmpuint (strlen (output), <=, LAB_PROGRAM_PAGE_OUTPUT_KEEP);
  g_assert_true (g_str_has_suffix (output, "x\n"));

  lab_program_page_stop (page);
  g_assert_true (wait_for (page_idle, page, 10000));
  g_assert_cmpint (lab_runner_get_state (lab_program_page_get_run (page)), ==, LAB_RUN_STOPPED);
  g_free (output);
  output = lab_program_page_dup_output (page);
  g_assert_cmpuint (strlen (output), <=, LAB_PROGRAM_PAGE_OUTPUT_KEEP);
  g_assert_cmpuint (lab_program_page_get_dropped_bytes (page), >, 0);
  g_test_message ("kept %zu bytes, dropped %" G_GUINT64_FORMAT " bytes; the trace holds %" G_GUINT64_FORMAT " events",
                  strlen (output), lab_program_page_get_dropped_bytes (page),
                  lab_trace_get_n_events (lab_runner_get_trace (lab_program_page_get_run (page))));
}

static void
test_bad_input (Gui *gui)
{
  const char *python = python_or_skip ();
  g_autofree char *latin1 = data_path ("program", "latin1.py");
  g_autofree char *good = data_path ("program", "two_threads.py");
  LabProgramPage *page;

  if (python == NULL)
    return;
  page = show_page (gui, python);

  /* No file chosen yet. */
  lab_program_page_set_file (page, NULL);
  lab_program_page_run (page);
  g_assert_false (lab_program_page_get_running (page));
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==, "Choose a Python file to run first");

  g_assert_cmpint (run_and_wait (page, "/nonexistent/gone.py", ""), ==, LAB_RUN_FAILED);
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==,
                   "“gone.py” does not exist (was it moved or deleted?)");
  /* Only files that ran are remembered. */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (lab_program_page_get_recent_list (page), 0);

    g_assert_true (row == NULL ||
                   g_strcmp0 (g_object_get_data (G_OBJECT (row), "path"), "/nonexistent/gone.py") != 0);
  }

  g_assert_cmpint (run_and_wait (page, latin1, ""), ==, LAB_RUN_FAILED);
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==,
                   "“latin1.py” is not UTF-8 text (line 1): save it as UTF-8 and run it again");

  /* Bad quoting is found before anything runs. */
  lab_program_page_set_arguments (page, "one \"two");
  lab_program_page_run (page);
  g_assert_false (lab_program_page_get_running (page));
  g_assert_true (g_str_has_prefix (lab_program_page_get_error_text (page),
                                   "The arguments cannot be split into words: "));

  lab_program_page_set_python (page, "/nonexistent/python3");
  g_assert_cmpint (run_and_wait (page, good, ""), ==, LAB_RUN_FAILED);
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==,
                   "Python was not found at /nonexistent/python3");

  /* The page still runs a good program afterwards. */
  lab_program_page_set_python (page, python);
  g_assert_cmpint (run_and_wait (page, good, ""), ==, LAB_RUN_DONE);
  g_assert_cmpstr (lab_program_page_get_error_text (page), ==, "");
}

static void
test_recent (Gui *gui)
{
  const char *python = python_or_skip ();
  g_autofree char *first = data_path ("program", "two_threads.py");
  g_autofree char *second = data_path ("py", "raises.py");
  LabWindow *window;
  LabProgramPage *page;
  GtkListBoxRow *row;
  g_autoptr(GFile) expected = NULL;

  if (python == NULL)
    return;
  page = show_page (gui, python);
  run_and_wait (page, first, "");
  run_and_wait (page, second, "");
  run_and_wait (page, first, "");

  /* A new window reads them back: newest first, each once. */
  window = lab_window_new (GTK_APPLICATION (gui->app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window_ready, window, 10000));
  page = lab_window_show_program (window);
  row = gtk_list_box_get_row_at_index (lab_program_page_get_recent_list (page), 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "path"), ==, first);
  row = gtk_list_box_get_row_at_index (lab_program_page_get_recent_list (page), 1);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "path"), ==, second);

  /* A click on one chooses it. */
  g_signal_emit_by_name (row, "activate");
  expected = g_file_new_for_path (second);
  g_assert_nonnull (lab_program_page_get_file (page));
  g_assert_true (g_file_equal (lab_program_page_get_file (page), expected));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_close_while_running (Gui *gui)
{
  const char *python = python_or_skip ();
  LabWindow *window;
  LabProgramPage *page;
  gpointer watched;
  int pid;

  if (python == NULL)
    return;
  window = lab_window_new (GTK_APPLICATION (gui->app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window_ready, window, 10000));
  page = lab_window_show_program (window);
  lab_program_page_set_python (page, python);
  pid = start_endless (page);

  watched = window;
  g_object_add_weak_pointer (G_OBJECT (window), &watched);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (is_gone, &watched, 30000));
  g_assert_cmpuint (count_group (pid), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  int status;

  if (!gui_test_init (&argc, &argv, "/gui-program/no-display"))
    return g_test_run ();
  gui.screenshot_dir = gui_test_screenshot_dir ();

  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_data_func ("/gui-program/two-threads", &gui, (GTestDataFunc) test_two_threads);
  g_test_add_data_func ("/gui-program/screenshots", &gui, (GTestDataFunc) test_screenshots);
  g_test_add_data_func ("/gui-program/export", &gui, (GTestDataFunc) test_export);
  g_test_add_data_func ("/gui-program/raises", &gui, (GTestDataFunc) test_raises);
  g_test_add_data_func ("/gui-program/syntax-error", &gui, (GTestDataFunc) test_syntax_error);
  g_test_add_data_func ("/gui-program/stop", &gui, (GTestDataFunc) test_stop);
  g_test_add_data_func ("/gui-program/endless-output", &gui, (GTestDataFunc) test_endless_output);
  g_test_add_data_func ("/gui-program/bad-input", &gui, (GTestDataFunc) test_bad_input);
  g_test_add_data_func ("/gui-program/recent", &gui, (GTestDataFunc) test_recent);
  g_test_add_data_func ("/gui-program/close-while-running", &gui, (GTestDataFunc) test_close_while_running);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (gui.window));
  spin (100);
  g_object_unref (gui.app);
  return status;
}
