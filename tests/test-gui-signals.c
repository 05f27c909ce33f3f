/* test-gui-signals.c — SIGTERM and SIGINT quit the window the way Quit
 * does: the run going on is stopped, its child reaped, the window
 * destroyed, and nothing is left running.
 *
 * The application installs the handlers itself, so the test raises the
 * signals in its own process (without them, the first one kills the test).
 * Runs under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

/* Safety nets so that a hang fails instead of waiting for the suite's
 * timeout; no assertion depends on how fast anything is. */
#define GIVE_UP_MS 30000

/* The pid of our child called @name, or 0. */
static int
find_child (const char *name)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", entry, "stat", NULL);
      g_autofree char *text = NULL;
      g_autofree char *comm = NULL;
      char *close;
      char state;
      int ppid;

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &text, NULL, NULL))
        continue;
      close = strrchr (text, ')');
      if (close == NULL || sscanf (close + 2, "%c %d", &state, &ppid) != 2)
        continue;
      comm = g_strndup (strchr (text, '(') + 1, close - strchr (text, '(') - 1);
      if (ppid == getpid () && state != 'Z' && g_str_equal (comm, name))
        return atoi (entry);
    }
  return 0;
}

static gboolean
sleep_started (gpointer data)
{
  return (*(int *) data = find_child ("sleep")) != 0;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_destroy (GtkWidget *widget,
            gboolean  *destroyed)
{
  *destroyed = TRUE;
}

typedef struct
{
  LabApplication *app;
  int             signum;
} Case;

/* Each case opens a window of the one registered application (a second
 * LabApplication could not be registered on the bus in this process). */
static void
test_quit_on_signal (gconstpointer data)
{
  const Case *c = data;
  LabApplication *app = c->app;
  g_autoptr(GVariant) command = g_variant_ref_sink (g_variant_new_parsed ("{'command': <'sleep 30'>}"));
  g_autofree char *proc_dir = NULL;
  LabExperimentPage *page;
  LabRunner *run;
  GtkWindow *window;
  gboolean destroyed = FALSE;
  int sleep_pid = 0;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  g_assert_true (wait_for (window_ready, window, GIVE_UP_MS));

  page = lab_window_show_experiment (LAB_WINDOW (window), "subprocess-run");
  g_assert_nonnull (page);
  lab_experiment_page_set_param_values (page, command);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (lab_experiment_page_get_running (page));
  run = g_object_ref (lab_experiment_page_get_shown_run (page));
  g_assert_true (wait_for (sleep_started, &sleep_pid, GIVE_UP_MS));

  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy), &destroyed);
  g_assert_cmpint (raise (c->signum), ==, 0);
  g_assert_true (wait_for (is_true, &destroyed, GIVE_UP_MS));

  /* Stopped through Stop's path, the child reaped, the window gone. */
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_STOPPED);
  proc_dir = g_strdup_printf ("/proc/%d", sleep_pid);
  g_assert_false (g_file_test (proc_dir, G_FILE_TEST_EXISTS));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_object_unref (run);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  Case sigterm = { NULL, SIGTERM };
  Case sigint = { NULL, SIGINT };

  if (!gui_test_init (&argc, &argv, "/gui-signals/no-display"))
    return g_test_run ();

  app = lab_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  sigterm.app = sigint.app = app;
  g_test_add_data_func ("/gui-signals/sigterm", &sigterm, test_quit_on_signal);
  g_test_add_data_func ("/gui-signals/sigint", &sigint, test_quit_on_signal);

  return g_test_run ();
}
