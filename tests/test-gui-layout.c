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

#include <dlfcn.h>
#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-window.h"
#include "test-gui-util.h"
#include "test-page-util.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define GIVE_UP_MS 30000

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
  int             width;
  int             height;
  int             window_width;  /* as first shown */
  int             window_height;
} Gui;

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

/* Nothing shown so far has made the window grow (or shrink). */
static void
assert_window_size_kept (Gui *gui)
{
  g_test_message ("window %d×%d", gtk_widget_get_width (GTK_WIDGET (gui->window)),
                  gtk_widget_get_height (GTK_WIDGET (gui->window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (gui->window)), ==, gui->window_width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (gui->window)), ==, gui->window_height);
}

static LabExperimentPage *
show (Gui        *gui,
      const char *id)
{
  LabExperimentPage *page = lab_window_show_experiment (gui->window, id);

  g_assert_nonnull (page);
  spin (600); /* the stack's crossfade */
  assert_window_size_kept (gui);
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

/* ---- real input, through the X server (XTEST, loaded at run time) ----
 *
 * A scroll wheel or a key press made by the X server goes through GTK's
 * whole event path, capture phase and shortcuts included, as a user's
 * does. */

typedef int (*FakeMotion) (void *dpy, int screen, int x, int y, unsigned long delay);
typedef int (*FakeButton) (void *dpy, unsigned int button, int press, unsigned long delay);
typedef int (*FakeKey) (void *dpy, unsigned int keycode, int press, unsigned long delay);
typedef unsigned char (*KeysymToKeycode) (void *dpy, unsigned long keysym);
typedef int (*Flush) (void *dpy);
typedef int (*TranslateCoordinates) (void *dpy, unsigned long src, unsigned long dest, int x, int y,
                                     int *dest_x, int *dest_y, unsigned long *child);

typedef struct
{
  void                *dpy;
  unsigned long        root;
  FakeMotion           motion;
  FakeButton           button;
  FakeKey              key;
  KeysymToKeycode      keycode;
  Flush                flush;
  TranslateCoordinates translate;
} XInput;

static gboolean
x_input_init (XInput    *x,
              GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gtk_widget_get_display (widget);
  void *xtst;

  if (!GDK_IS_X11_DISPLAY (display) || (xtst = dlopen ("libXtst.so.6", RTLD_NOW)) == NULL)
    return FALSE;
  x->dpy = gdk_x11_display_get_xdisplay (display);
  x->root = gdk_x11_display_get_xrootwindow (display);
  x->motion = (FakeMotion) dlsym (xtst, "XTestFakeMotionEvent");
  x->button = (FakeButton) dlsym (xtst, "XTestFakeButtonEvent");
  x->key = (FakeKey) dlsym (xtst, "XTestFakeKeyEvent");
  x->keycode = (KeysymToKeycode) dlsym (RTLD_DEFAULT, "XKeysymToKeycode");
  x->flush = (Flush) dlsym (RTLD_DEFAULT, "XFlush");
  x->translate = (TranslateCoordinates) dlsym (RTLD_DEFAULT, "XTranslateCoordinates");
  return x->motion && x->button && x->key && x->keycode && x->flush && x->translate;
#else
  return FALSE;
#endif
}

/* Puts the pointer on the middle of @widget. */
static void
x_point_at (XInput    *x,
            GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  int scale = gdk_surface_get_scale_factor (surface);
  graphene_point_t point;
  double sx, sy;
  int rx, ry;
  unsigned long child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &sx, &sy);
  x->translate (x->dpy, gdk_x11_surface_get_xid (surface), x->root,
                (int) ((point.x + sx) * scale), (int) ((point.y + sy) * scale), &rx, &ry, &child);
  x->motion (x->dpy, -1, rx, ry, 0);
  x->flush (x->dpy);
  spin (100);
#endif
}

/* One click of the wheel towards the user (X button 5 is "down"). */
static void
x_wheel_down (XInput *x)
{
  x->button (x->dpy, 5, TRUE, 0);
  x->button (x->dpy, 5, FALSE, 0);
  x->flush (x->dpy);
}

/* Ctrl + the key of @keysym. */
static void
x_ctrl_key (XInput        *x,
            unsigned long  keysym)
{
  unsigned int ctrl = x->keycode (x->dpy, 0xffe3 /* Control_L */);
  unsigned int key = x->keycode (x->dpy, keysym);

  x->key (x->dpy, ctrl, TRUE, 0);
  x->key (x->dpy, key, TRUE, 0);
  x->key (x->dpy, key, FALSE, 0);
  x->key (x->dpy, ctrl, FALSE, 0);
  x->flush (x->dpy);
}

static gboolean
page_running (gpointer data)
{
  return lab_experiment_page_get_running (data);
}

/* A number typed into a field and not confirmed, then Ctrl+R: the run
 * takes the number the field shows. */
static void
test_typed_value_runs (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "race-counter");
  GtkWidget *row = lab_param_controls_get_row (lab_experiment_page_get_param_controls (page), "threads");
  GtkWidget *field;
  LabRunner *run;
  XInput x;

  if (!x_input_init (&x, GTK_WIDGET (gui->window)))
    {
      test_missing ("Needs X11 and libXtst.so.6 (apt install libxtst6)");
      return;
    }
  set_int (page, "threads", 10);
  set_int (page, "max_sleep_ms", 10);
  g_assert_nonnull (row);
  field = find_descendant (row, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (field);

  gtk_widget_grab_focus (field);
  gtk_editable_set_text (GTK_EDITABLE (field), "7");
  spin (100);
  x_point_at (&x, field);
  x_ctrl_key (&x, 'r');
  g_assert_true (wait_for (page_running, page, GIVE_UP_MS));
  run = lab_experiment_page_get_shown_run (page);
  g_assert_cmpint (lab_params_get_int (lab_runner_get_params (run), "threads"), ==, 7);
  g_assert_cmpint (lab_params_get_int (lab_experiment_page_get_params (page), "threads"), ==, 7);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
  gtk_root_set_focus (GTK_ROOT (gui->window), NULL);
}

static void
on_text_read (GObject      *clipboard,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* A card's tooltip has its whole value; Copy puts "label: value" on the
 * clipboard. */
static void
test_card_copy (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "race-counter");
  LabMetricCards *cards = lab_experiment_page_get_metric_cards (page);
  g_autofree char *copied = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *card;

  set_int (page, "threads", 5);
  set_int (page, "max_sleep_ms", 0);
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));

  expected = lab_metric_cards_get_copy_text (cards, "expected");
  {
    g_autofree char *wanted = g_strdup_printf (_("%s: %s"), _("Expected count"), "5");

    g_assert_cmpstr (expected, ==, wanted);
  }
  for (card = gtk_widget_get_first_child (GTK_WIDGET (cards));
       card != NULL && tooltip == NULL;
       card = gtk_widget_get_next_sibling (card))
    if (g_strcmp0 (gtk_widget_get_tooltip_text (card), expected) == 0)
      tooltip = g_strdup (gtk_widget_get_tooltip_text (card));
  g_assert_cmpstr (tooltip, ==, expected);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cards), "cards.copy", NULL));
  g_assert_true (lab_metric_cards_copy (cards, "expected"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (cards)), NULL,
                                 on_text_read, &copied);
  g_assert_true (wait_for (is_set, &copied, 5000));
  g_assert_cmpstr (copied, ==, expected);
}

static double
pane_position (gpointer data)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (data));
}

static gboolean
pane_scrolled (gpointer data)
{
  return pane_position (data) > 0;
}

/* The wheel over a slider in the parameter pane scrolls the pane, and the
 * slider's value stays. */
static void
test_wheel_scrolls_pane (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "race-counter");
  LabParamControls *controls = lab_experiment_page_get_param_controls (page);
  GtkWidget *pane = gtk_widget_get_ancestor (GTK_WIDGET (controls), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *slider = find_descendant (lab_param_controls_get_row (controls, "threads"), GTK_TYPE_SCALE);
  XInput x;

  if (!x_input_init (&x, GTK_WIDGET (gui->window)))
    {
      test_missing ("Needs X11 and libXtst.so.6 (apt install libxtst6)");
      return;
    }
  g_assert_nonnull (slider);
  set_int (page, "threads", 10);
  gtk_root_set_focus (GTK_ROOT (gui->window), NULL);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (pane)), 0);
  spin (200);
  /* The pane has more than it shows, or there is nothing to scroll. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (pane))), >,
                     gtk_adjustment_get_page_size (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (pane))));

  x_point_at (&x, slider);
  x_wheel_down (&x);
  g_assert_true (wait_for (pane_scrolled, pane, 5000));
  spin (100);
  g_test_message ("pane scrolled to %g", pane_position (pane));
  g_assert_cmpint (lab_params_get_int (lab_experiment_page_get_params (page), "threads"), ==, 10);
}

static void
run_and_wait (Gui               *gui,
              LabExperimentPage *page)
{
  g_action_group_activate_action (G_ACTION_GROUP (gui->window), "run", NULL);
  g_assert_true (lab_experiment_page_get_running (page));
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
}

/* A process-isolation run shows its process boxes in the scrolled details
 * and leaves the window as high as it was. */
static void
test_panels_do_not_grow_window (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "process-isolation");
  LabRunView *view = lab_experiment_page_get_run_view (page);
  GtkWidget *boxes = GTK_WIDGET (lab_run_view_get_process_boxes (view));
  int width = gtk_widget_get_width (GTK_WIDGET (gui->window));
  int height = gtk_widget_get_height (GTK_WIDGET (gui->window));

  run_and_wait (gui, page);
  spin (500);
  save_shot (gui, "process-isolation-run");
  g_assert_true (gtk_widget_get_visible (boxes));
  g_assert_nonnull (gtk_widget_get_ancestor (boxes, GTK_TYPE_SCROLLED_WINDOW));
  g_test_message ("window %d×%d before, %d×%d after", width, height,
                  gtk_widget_get_width (GTK_WIDGET (gui->window)),
                  gtk_widget_get_height (GTK_WIDGET (gui->window)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (gui->window)), ==, height);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (gui->window)), ==, width);
  assert_cards_not_clipped (gui, page);
}

/* Every request of an IO run has its row on screen, none hidden in a
 * panel cut to one line. */
static void
test_request_table_rows (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "threads-io-fetch");
  GtkWidget *table = GTK_WIDGET (lab_run_view_get_request_table (lab_experiment_page_get_run_view (page)));
  GtkWidget *grid;
  g_autoptr(GVariant) requests = NULL;
  int natural;

  set_int (page, "delay_ms", 10);
  run_and_wait (gui, page);
  spin (500);
  save_shot (gui, "threads-io-fetch-run");
  requests = lab_metrics_lookup (lab_runner_get_metrics (lab_experiment_page_get_shown_run (page)), "requests");
  g_assert_nonnull (requests);
  g_assert_true (gtk_widget_get_visible (table));
  g_assert_cmpuint (lab_request_table_get_n_rows (LAB_REQUEST_TABLE (table)), ==, g_variant_n_children (requests));
  g_assert_cmpuint (g_variant_n_children (requests), >, 1);

  gtk_widget_measure (table, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (table), NULL, &natural, NULL, NULL);
  natural -= gtk_widget_get_margin_top (table) + gtk_widget_get_margin_bottom (table);
  g_test_message ("request table %d high, natural %d", gtk_widget_get_height (table), natural);
  g_assert_cmpint (gtk_widget_get_height (table), >=, natural);
  grid = find_descendant (table, GTK_TYPE_GRID);
  g_assert_cmpint (gtk_widget_get_height (grid), <=, gtk_widget_get_height (table));
}

static gboolean
sweep_done (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

/* While a sweep's points run, the header says which point it is at. */
static void
test_sweep_status (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "threads-cpu-sum");
  LabRunView *view = lab_experiment_page_get_run_view (page);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *first = g_strdup_printf (_("Sweep point %u of %u"), 1, 3);
  g_autofree char *last = g_strdup_printf (_("Sweep point %u of %u"), 3, 3);
  GHashTableIter iter;
  const char *text;

  set_int (page, "size", 200000);
  set_int (page, "repeat", 1);
  lab_experiment_page_start_sweep (page, "threads", 1, 3, 1);
  while (!sweep_done (page))
    {
      g_hash_table_add (seen, g_strdup (lab_run_view_get_state_text (view)));
      g_main_context_iteration (NULL, TRUE);
    }
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, (gpointer *) &text, NULL))
    {
      g_test_message ("the header said: %s", text);
      g_assert_cmpstr (text, !=, lab_run_state_to_label (LAB_RUN_READY));
    }
  g_assert_true (g_hash_table_contains (seen, first));
  g_assert_true (g_hash_table_contains (seen, last));
  g_assert_cmpstr (lab_run_view_get_state_text (view), ==, lab_run_state_to_label (LAB_RUN_DONE));
}

/* A run that printed nothing says so once it has ended. */
static void
test_printed_nothing (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "subprocess-run");
  LabOutputView *output = lab_experiment_page_get_output_view (page);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (lab_output_view_get_empty_text (output), ==, _("Nothing printed yet"));
  g_assert_true (lab_param_controls_set_value (lab_experiment_page_get_param_controls (page), "command",
                                               g_variant_new_string ("true"), &error));
  g_assert_no_error (error);
  run_and_wait (gui, page);
  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==, LAB_RUN_DONE);
  g_assert_cmpuint (lab_output_view_get_n_lines (output), ==, 0);
  g_assert_cmpstr (lab_output_view_get_empty_text (output), ==, _("The run printed nothing"));
}

/* Counts read the same on the cards and in the chart's title. */
static void
test_count_grouping (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "process-sum");
  g_autofree char *size = lab_format_count (20000);
  g_autofree char *bytes = NULL;
  g_autoptr(GVariant) value = NULL;
  LabChart *chart;

  g_assert_cmpstr (size, ==, "20\u00a0000");
  set_int (page, "size", 20000);
  set_int (page, "repeat", 1);
  set_int (page, "processes", 2);
  run_and_wait (gui, page);
  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==, LAB_RUN_DONE);

  chart = lab_runner_get_chart (lab_experiment_page_get_shown_run (page));
  g_assert_nonnull (chart);
  g_test_message ("chart: %s", lab_chart_get_title (chart));
  g_assert_nonnull (strstr (lab_chart_get_title (chart), size));

  value = lab_metrics_lookup (lab_runner_get_metrics (lab_experiment_page_get_shown_run (page)), "bytes_sent");
  g_assert_nonnull (value);
  bytes = lab_format_count (g_variant_get_int64 (value));
  g_test_message ("bytes sent: %s", bytes);
  g_assert_cmpint (g_variant_get_int64 (value), >=, 10000);
  g_assert_cmpstr (lab_metric_cards_get_value_text (lab_experiment_page_get_metric_cards (page), "bytes_sent"),
                   ==, bytes);
}

/* The About window's icon comes with the program (a prefix install has no
 * hicolor theme of its own). */
static void
test_icon_in_resources (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (gui->window)));

  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (g_resources_get_info ("/org/concurrencylab/ConcurrencyLab/icons/scalable/apps/" APP_ID ".svg",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
}

/* 200 runs in the history: the window keeps its size and its minimum, the
 * tab counts them, and the next run still starts and ends. */
static void
test_long_history (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page = show (gui, "threads-hello");
  guint before = g_list_model_get_n_items (lab_experiment_page_get_runs (page));
  int min_width, min_height;

  set_int (page, "threads", 1);
  lab_experiment_page_show_tab (page, "runs");
  for (guint i = before; i < 200; i++)
    run_and_wait (gui, page);
  spin (300);
  save_shot (gui, "history-200");

  g_assert_cmpuint (g_list_model_get_n_items (lab_experiment_page_get_runs (page)), ==, 200);
  assert_window_size_kept (gui);
  gtk_widget_measure (GTK_WIDGET (gui->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (gui->window), GTK_ORIENTATION_VERTICAL, min_width, &min_height, NULL, NULL, NULL);
  g_test_message ("window minimum after 200 runs: %d×%d", min_width, min_height);
  g_assert_cmpint (min_width, <=, 1024);
  g_assert_cmpint (min_height, <=, 600);
  g_assert_true (gtk_widget_is_sensitive (lab_experiment_page_get_run_button (page)));
  run_and_wait (gui, page);
  g_assert_cmpuint (lab_run_get_index (lab_experiment_page_get_shown_run (page)), ==, 201);
  lab_experiment_page_show_tab (page, "output");
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (data)) == NULL;
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
  gui.window_width = gtk_widget_get_width (GTK_WIDGET (gui.window));
  gui.window_height = gtk_widget_get_height (GTK_WIDGET (gui.window));

  g_test_add_data_func ("/layout/pages", &gui, test_pages);
  g_test_add_data_func ("/layout/typed-value-runs", &gui, test_typed_value_runs);
  g_test_add_data_func ("/layout/wheel-scrolls-pane", &gui, test_wheel_scrolls_pane);
  g_test_add_data_func ("/layout/card-copy", &gui, test_card_copy);
  g_test_add_data_func ("/layout/panels-do-not-grow-window", &gui, test_panels_do_not_grow_window);
  g_test_add_data_func ("/layout/request-table-rows", &gui, test_request_table_rows);
  g_test_add_data_func ("/layout/sweep-status", &gui, test_sweep_status);
  g_test_add_data_func ("/layout/printed-nothing", &gui, test_printed_nothing);
  g_test_add_data_func ("/layout/count-grouping", &gui, test_count_grouping);
  g_test_add_data_func ("/layout/icon-in-resources", &gui, test_icon_in_resources);
  g_test_add_data_func ("/layout/long-history", &gui, test_long_history);
  g_test_add_data_func ("/layout/quit-after-many-runs", &gui, test_quit_after_many_runs);

  status = g_test_run ();
  g_clear_object (&gui.app);
  return status;
}
