/* test-gui-layout.c — the window at small and large sizes: nothing folds
 * away or is clipped, nothing grows the window, and the small things a
 * user trips over (a typed value, the wheel, Stop, a sweep's status).
 *
 * Runs under Xvfb. LAB_TEST_WINDOW_SIZE=WxH picks the window's size
 * (1024x700 by default); LAB_TEST_SCREENSHOT_DIR saves layout-*.png there;
 * LAB_TEST_LOCALEDIR with LAB_TEST_LANGUAGE=ru checks the Russian strings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-window.h"
#include "test-gui-util.h"

#define GIVE_UP_MS 30000

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
  int             width;
  int             height;
} Gui;

static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

static void
save_shot (Gui        *gui,
           const char *name)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (gui->screenshot_dir == NULL)
    return;
  file = g_strdup_printf ("layout-%dx%d-%s.png", gui->width, gui->height, name);
  path = g_build_filename (gui->screenshot_dir, file, NULL);
  check_screenshot (GTK_WIDGET (gui->window), path);
}

static LabExperimentPage *
show (Gui        *gui,
      const char *id)
{
  LabExperimentPage *page = lab_window_show_experiment (gui->window, id);

  g_assert_nonnull (page);
  spin (600); /* the stack's crossfade */
  return page;
}

/* The cards get the height they need at the width they got (none of them
 * cut off at the bottom), and every card lies inside them. */
static void
assert_cards_not_clipped (Gui               *gui,
                          LabExperimentPage *page)
{
  GtkWidget *cards = GTK_WIDGET (lab_experiment_page_get_metric_cards (page));
  GtkWidget *scroller = gtk_widget_get_ancestor (cards, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  int width = gtk_widget_get_width (cards);
  int height = gtk_widget_get_height (cards);
  int natural;

  g_assert_cmpint (width, >, 0);
  gtk_widget_measure (cards, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  g_test_message ("%s: cards %d×%d, natural height %d; details %g of %g",
                  lab_experiment_page_get_experiment (page)->id, width, height, natural,
                  gtk_adjustment_get_page_size (adj), gtk_adjustment_get_upper (adj));
  g_assert_cmpint (height, >=, natural);
  for (GtkWidget *card = gtk_widget_get_first_child (cards);
       card != NULL;
       card = gtk_widget_get_next_sibling (card))
    {
      graphene_rect_t bounds;
      int card_natural;

      g_assert_true (gtk_widget_compute_bounds (card, cards, &bounds));
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height + 0.5);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width + 0.5);
      gtk_widget_measure (card, GTK_ORIENTATION_VERTICAL, (int) bounds.size.width,
                          NULL, &card_natural, NULL, NULL);
      g_assert_cmpfloat (bounds.size.height, >=, card_natural);
    }
  /* The details scroll only when the timeline is down to its minimum. */
  if (gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 0.5)
    {
      GtkWidget *frame = gtk_widget_get_ancestor (GTK_WIDGET (lab_experiment_page_get_timeline (page)),
                                                  GTK_TYPE_FRAME);
      int frame_min;

      gtk_widget_measure (frame, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (frame),
                          &frame_min, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (frame), <=, frame_min);
    }
}

static void
test_pages (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  const LabExperiment * const *all;
  guint n = 0;

  all = lab_experiments_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      show (gui, all[i]->id);
      save_shot (gui, all[i]->id);
      assert_cards_not_clipped (gui, lab_window_get_current_page (gui->window));
    }
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (data)) == NULL;
}

static void
run_and_wait (Gui               *gui,
              LabExperimentPage *page)
{
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (lab_experiment_page_get_running (page));
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
}

/* Many runs, the history shown, then Quit (Ctrl+Q): the window goes
 * without a critical (criticals are fatal in a test). */
static void
test_quit_after_many_runs (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "threads-hello");
  const guint some[] = { 0, 3 };

  for (guint i = 0; i < 30; i++)
    run_and_wait (gui, page);
  lab_experiment_page_show_tab (page, "runs");
  lab_run_history_select_positions (lab_experiment_page_get_run_history (page), some, 2);
  spin (200);
  lab_run_history_select_positions (lab_experiment_page_get_run_history (page), some, 1);
  spin (200);
  /* Two compared when the window goes: its list loses them one by one. */
  lab_run_history_select_positions (lab_experiment_page_get_run_history (page), some, 2);
  spin (200);

  g_action_group_activate_action (G_ACTION_GROUP (gui->app), "quit", NULL);
  g_assert_true (wait_for (no_windows, gui->app, GIVE_UP_MS));
  gui->window = NULL;
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  const char *size = g_getenv ("LAB_TEST_WINDOW_SIZE");
  int status;

  if (!gui_test_init (&argc, &argv, "/layout/no-display"))
    return g_test_run ();

  gui.width = 1024;
  gui.height = 700;
  if (size != NULL)
    g_assert_cmpint (sscanf (size, "%dx%d", &gui.width, &gui.height), ==, 2);
  gui.screenshot_dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  if (gui.screenshot_dir != NULL)
    g_mkdir_with_parents (gui.screenshot_dir, 0755);

  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));
  gtk_window_set_default_size (GTK_WINDOW (gui.window), gui.width, gui.height);
  spin (300);

  g_test_add_data_func ("/layout/pages", &gui, test_pages);
  g_test_add_data_func ("/layout/quit-after-many-runs", &gui, test_quit_after_many_runs);

  status = g_test_run ();
  g_clear_object (&gui.app);
  return status;
}
