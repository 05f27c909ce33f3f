/* test-gui-engine.c — Model, CPython or Both on an experiment page: the
 * engine toggles, a CPython run in the window (cards, history, Stop), a
 * "Both" pair on one time axis, the choice remembered.
 *
 * Runs under Xvfb, with /usr/bin/python3 (skipped without it, except under
 * CI=true). With LAB_TEST_SCREENSHOT_DIR set it also saves the window in
 * "Both" at 1920×1080 and 1024×700 (LAB_TEST_LANGUAGE=ru: in Russian).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <unistd.h>

#include "lab-application.h"
#include "lab-engine-selector.h"
#include "lab-experiment-page-test.h"
#include "lab-window.h"
#include "test-gui-util.h"

#define GIVE_UP_MS 60000

static LabApplication *app;

static LabWindow *
active_window (void)
{
  return LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static LabEngineSelector *
page_selector (LabExperimentPage *page)
{
  GtkWidget *found = gtk_widget_get_first_child (GTK_WIDGET (page));
  GtkWidget *widget = found;

  /* Depth-first: the page has one selector. */
  while (widget != NULL && !LAB_IS_ENGINE_SELECTOR (widget))
    {
      GtkWidget *next = gtk_widget_get_first_child (widget);

      while (next == NULL && widget != NULL && widget != GTK_WIDGET (page))
        {
          next = gtk_widget_get_next_sibling (widget);
          if (next == NULL)
            widget = gtk_widget_get_parent (widget);
        }
      if (widget == GTK_WIDGET (page))
        return NULL;
      widget = next;
    }

  return widget != NULL ? LAB_ENGINE_SELECTOR (widget) : NULL;
}

static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

/* A short race: 4 threads, at most 50 ms between read and write. */
static LabExperimentPage *
race_page (LabWindow *window,
           LabEngine  engine)
{
  g_autoptr(GVariant) values = g_variant_ref_sink (g_variant_new_parsed (
    "{'threads': <int64 4>, 'max_sleep_ms': <int64 50>}"));
  LabExperimentPage *page = lab_window_show_experiment (window, "race-counter");
  LabEngineSelector *selector;

  g_assert_nonnull (page);
  selector = page_selector (page);
  g_assert_nonnull (selector);
  lab_engine_selector_set_engine (selector, engine);
  lab_experiment_page_set_param_values (page, values);
  return page;
}

/* The text of the history's row at @position (newest first). */
static char *
history_row_text (LabExperimentPage *page,
                  guint              position)
{
  GtkWidget *history = GTK_WIDGET (lab_experiment_page_get_run_history (page));
  GString *text = g_string_new (NULL);
  GtkWidget *widget = history;

  /* Down to the list box, then its row. */
  while (widget != NULL && !GTK_IS_LIST_BOX (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      while (child != NULL && gtk_widget_get_first_child (child) == NULL && !GTK_IS_LIST_BOX (child))
        child = gtk_widget_get_next_sibling (child);
      widget = child;
    }
  g_assert_nonnull (widget);
  collect_labels (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), (int) position)),
                  text);
  return g_string_free (text, FALSE);
}

/* ---- processes ---- */

/* The python3 processes that descend from this one (zombies included:
 * a child not reaped is left over too). */
static guint
count_python_descendants (void)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GHashTableIter iter;
  gpointer pid, name;
  const char *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", entry);
      g_autofree char *stat = NULL;
      const char *open, *close;
      int ppid = 0;

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* "pid (comm) state ppid …"; comm may hold spaces and parentheses. */
      open = strchr (stat, '(');
      close = strrchr (stat, ')');
      if (open == NULL || close == NULL || sscanf (close + 2, "%*c %d", &ppid) != 1)
        continue;
      g_hash_table_insert (parents, GINT_TO_POINTER (atoi (entry)), GINT_TO_POINTER (ppid));
      g_hash_table_insert (names, GINT_TO_POINTER (atoi (entry)), g_strndup (open + 1, close - open - 1));
    }

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &pid, &name))
    {
      int up = GPOINTER_TO_INT (pid);

      if (!g_str_has_prefix (name, "python"))
        continue;
      for (guint depth = 0; up > 1 && depth < 64; depth++)
        {
          up = GPOINTER_TO_INT (g_hash_table_lookup (parents, GINT_TO_POINTER (up)));
          if (up == getpid ())
            {
              n++;
              break;
            }
        }
    }

  return n;
}

static gboolean
python_running (gpointer data)
{
  return count_python_descendants () > 0;
}

/* ---- tests ---- */

static void
test_selector (void)
{
  LabExperimentPage *page = lab_window_show_experiment (active_window (), "threads-hello");
  LabEngineSelector *selector;

  g_assert_nonnull (page);
  selector = page_selector (page);
  g_assert_nonnull (selector);
  for (LabEngine engine = LAB_ENGINE_MODEL; engine <= LAB_ENGINE_BOTH; engine++)
    {
      GtkWidget *button = lab_engine_selector_get_button (selector, engine);
      const char *tooltip = gtk_widget_get_tooltip_text (button);

      g_assert_nonnull (tooltip);
      if (engine != LAB_ENGINE_MODEL && !gtk_widget_get_sensitive (button))
        g_assert_nonnull (strstr (tooltip, "python3 is not installed"));
    }
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (lab_engine_selector_get_button (selector, LAB_ENGINE_CPYTHON)),
                            _("Python Code")));
  g_assert_cmpint (lab_engine_selector_get_engine (selector), ==, LAB_ENGINE_MODEL);
}

/* Without python3 the two engines that need it cannot be chosen, and say
 * why: LAB_PYTHON names an interpreter that is not there. (In a child:
 * the interpreter is looked up once per process.) */
static void
test_no_python (void)
{
  if (g_test_subprocess ())
    {
      LabExperimentPage *page = lab_window_show_experiment (active_window (), "race-counter");
      LabEngineSelector *selector = page_selector (page);

      for (LabEngine engine = LAB_ENGINE_CPYTHON; engine <= LAB_ENGINE_BOTH; engine++)
        {
          GtkWidget *button = lab_engine_selector_get_button (selector, engine);

          g_assert_false (gtk_widget_get_sensitive (button));
          g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                           "Python was not found at /nonexistent/python3");
        }
      g_assert_true (gtk_widget_get_sensitive (lab_engine_selector_get_button (selector, LAB_ENGINE_MODEL)));
      g_assert_cmpint (lab_engine_selector_get_engine (selector), ==, LAB_ENGINE_MODEL);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_cpython_run (void)
{
  LabExperimentPage *page;
  LabRunner *run;
  const char *lost;
  g_autofree char *row = NULL;
  g_autofree char *title = NULL;
  GString *view_text = g_string_new (NULL);

  if (!have_python ())
    return;

  page = race_page (active_window (), LAB_ENGINE_CPYTHON);
  lab_experiment_page_run (page);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));

  run = lab_experiment_page_get_shown_run (page);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_DONE);
  g_assert_true (lab_engine_run_is_cpython (run));
  g_assert_nonnull (lab_metrics_lookup (lab_runner_get_metrics (run), "lost_updates"));
  /* Lanes from the tracer: the main thread and the four workers. */
  g_assert_cmpuint (lab_trace_get_n_lanes (lab_runner_get_trace (run)), >=, 5);

  lost = lab_metric_cards_get_value_text (lab_experiment_page_get_metric_cards (page), "lost_updates");
  g_assert_nonnull (lost);
  g_assert_cmpstr (lost, !=, "—");

  spin (100);
  row = history_row_text (page, 0);
  g_test_message ("history row: %s", row);
  title = g_strdup_printf (_("Run %u · CPython"), 1);
  g_assert_nonnull (strstr (row, title));
  g_assert_nonnull (strstr (row, "CPython 3."));

  collect_labels (GTK_WIDGET (lab_experiment_page_get_run_view (page)), view_text);
  g_assert_nonnull (strstr (view_text->str, title));
  g_string_free (view_text, TRUE);
}

static gboolean
views_equal (LabTimeline *a,
             LabTimeline *b)
{
  gint64 a_start, a_end, b_start, b_end;

  lab_timeline_get_view (a, &a_start, &a_end);
  lab_timeline_get_view (b, &b_start, &b_end);
  g_test_message ("views %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " and %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                  a_start, a_end, b_start, b_end);
  return a_start == b_start && a_end == b_end;
}

static void
save_both (LabWindow  *window,
           int         width,
           int         height)
{
  const char *dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  const char *language = g_getenv ("LAB_TEST_LANGUAGE");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GtkWidget *leaflet;

  if (dir == NULL)
    return;

  name = g_strdup_printf ("engine-both-%dx%d-%s.png", width, height, language != NULL ? language : "en");
  path = g_build_filename (dir, name, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  spin (500);
  /* A narrow window folds to the list: on to the page, as a click does. */
  leaflet = find_descendant (GTK_WIDGET (window), ADW_TYPE_LEAFLET);
  if (leaflet != NULL && adw_leaflet_get_folded (ADW_LEAFLET (leaflet)))
    adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_FORWARD);
  spin (500);
  check_screenshot (GTK_WIDGET (window), path);
}

static void
test_both (void)
{
  LabWindow *window = active_window ();
  LabExperimentPage *page;
  LabRunner *model, *cpython;
  LabEnginePair *pair;
  LabTimeline *top, *bottom;
  LabMetricCards *cards;
  const char *text;
  const guint model_position = 1; /* newest first */
  gint64 model_lost = -1, cpython_lost = -1;
  g_autofree char *model_text = NULL;
  g_autofree char *cpython_text = NULL;
  g_autofree char *expected = NULL;

  if (!have_python ())
    return;

  page = race_page (window, LAB_ENGINE_BOTH);
  lab_experiment_page_run (page);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));

  /* The model run, then the CPython run, partners. */
  cpython = lab_experiment_page_get_shown_run (page);
  g_assert_true (lab_engine_run_is_cpython (cpython));
  g_assert_cmpint (lab_runner_get_state (cpython), ==, LAB_RUN_DONE);
  model = lab_engine_run_get_partner (cpython);
  g_assert_nonnull (model);
  g_assert_false (lab_engine_run_is_cpython (model));
  g_assert_true (lab_engine_run_get_partner (model) == cpython);
  g_assert_cmpuint (lab_run_get_index (cpython), ==, lab_run_get_index (model) + 1);

  /* Two timelines, one axis: a zoom on either moves both. */
  pair = lab_run_view_get_pair (lab_experiment_page_get_run_view (page));
  g_assert_true (lab_engine_pair_get_shown (pair));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pair)));
  top = lab_experiment_page_get_timeline (page);
  bottom = lab_engine_pair_get_timeline (pair);
  /* The pair and its caption sit in the run view's own layout: both get a
   * place below the first timeline, not a 0×0 that GTK does not draw. */
  wait_for_frames (GTK_WIDGET (window));
  g_assert_cmpuint (assert_children_allocated (GTK_WIDGET (lab_experiment_page_get_run_view (page))), ==, 6);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (bottom)), >=, 90);
  g_assert_true (lab_timeline_get_trace (bottom) == lab_runner_get_trace (model));
  g_assert_true (views_equal (top, bottom));
  lab_timeline_zoom_in (top);
  g_assert_true (views_equal (top, bottom));
  lab_timeline_zoom_in (bottom);
  lab_timeline_zoom_in (bottom);
  g_assert_true (views_equal (top, bottom));
  lab_experiment_page_zoom_fit (page);
  g_assert_true (views_equal (top, bottom));

  /* Each card: both values. */
  cards = lab_experiment_page_get_metric_cards (page);
  text = lab_metric_cards_get_value_text (cards, "lost_updates");
  g_test_message ("lost updates: %s", text);
  g_variant_lookup (lab_runner_get_metrics (model), "lost_updates", "x", &model_lost);
  g_variant_lookup (lab_runner_get_metrics (cpython), "lost_updates", "x", &cpython_lost);
  model_text = g_strdup_printf ("%" G_GINT64_FORMAT, model_lost);
  cpython_text = g_strdup_printf ("%" G_GINT64_FORMAT, cpython_lost);
  expected = g_strdup_printf (_("model %s · CPython %s"), model_text, cpython_text);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf (_("model %s · CPython %s"), "4", "4");
  g_assert_cmpstr (lab_metric_cards_get_value_text (cards, "expected"), ==, expected);
  g_assert_false (lab_metric_cards_get_value_differs (cards, "expected"));

  /* Selecting the model run keeps the pair, the model now on top. */
  lab_experiment_page_show_tab (page, "runs");
  lab_run_history_select_positions (lab_experiment_page_get_run_history (page), &model_position, 1);
  spin (100);
  g_assert_true (lab_experiment_page_get_shown_run (page) == model);
  g_assert_true (lab_engine_pair_get_shown (pair));
  g_assert_true (lab_timeline_get_trace (bottom) == lab_runner_get_trace (cpython));

  save_both (window, 1920, 1080);
  save_both (window, 1024, 700);
}

/* Where a pair's card is highlighted: a different shape, not noise. */
static void
test_disagree_rule (void)
{
  static const struct { const char *a, *b; gboolean differ; } cases[] = {
    { "int64 6", "int64 7", FALSE },
    { "int64 0", "int64 0", FALSE },
    { "int64 0", "int64 3", TRUE },   /* one lost updates, the other none */
    { "int64 3", "int64 0", TRUE },
    { "1.0", "2.0", FALSE },          /* twice: still the same shape */
    { "1.0", "2.5", TRUE },
    { "-1.0", "1.0", TRUE },
    { "true", "false", TRUE },
    { "'a'", "'b'", FALSE },          /* text is not compared by size */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) a = g_variant_ref_sink (g_variant_new_parsed (cases[i].a));
      g_autoptr(GVariant) b = g_variant_ref_sink (g_variant_new_parsed (cases[i].b));

      g_assert_cmpint (lab_engine_values_disagree (a, b), ==, cases[i].differ);
    }
  g_assert_false (lab_engine_values_disagree (NULL, NULL));
}

/* The Both chosen above is what a new window starts with. */
static void
test_remembered (void)
{
  LabWindow *window;
  LabExperimentPage *page;

  if (!have_python ())
    return;

  window = lab_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (window_ready, window, GIVE_UP_MS));
  page = lab_window_show_experiment (window, "race-counter");
  g_assert_cmpint (lab_engine_selector_get_engine (page_selector (page)), ==, LAB_ENGINE_BOTH);
  page = lab_window_show_experiment (window, "threads-hello");
  g_assert_cmpint (lab_engine_selector_get_engine (page_selector (page)), ==, LAB_ENGINE_MODEL);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
}

/* Stop during a CPython run: the run says Stopped, no python3 is left. */
static void
test_stop (void)
{
  g_autoptr(GVariant) values = NULL;
  LabExperimentPage *page;
  LabRunner *run;
  gint64 stop_us;

  if (!have_python ())
    return;

  g_assert_cmpuint (count_python_descendants (), ==, 0);
  page = race_page (active_window (), LAB_ENGINE_CPYTHON);
  /* 64 threads that each sleep 0 or 2 s: long enough to be stopped. */
  values = g_variant_ref_sink (g_variant_new_parsed ("{'threads': <int64 64>, 'max_sleep_ms': <int64 2000>}"));
  lab_experiment_page_set_param_values (page, values);
  lab_experiment_page_run (page);
  run = g_object_ref (lab_experiment_page_get_shown_run (page));
  g_assert_true (wait_for (python_running, NULL, GIVE_UP_MS));

  stop_us = g_get_monotonic_time ();
  lab_experiment_page_stop (page);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
  /* Reported, not asserted: a loaded machine may take longer. */
  g_test_message ("stopped in %.0f ms", (g_get_monotonic_time () - stop_us) / 1000.0);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_STOPPED);
  g_assert_cmpuint (count_python_descendants (), ==, 0);
  g_object_unref (run);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *language = g_getenv ("LAB_TEST_LANGUAGE");
  GtkWindow *window;

  if (language != NULL)
    {
      /* The catalogue of the build, bound before anything is translated:
       * GLib decides once, at the first lookup, whether to translate. */
      g_autofree char *localedir = g_build_filename (g_getenv ("LAB_BUILD_ROOT"), "po", NULL);

      g_setenv ("LANGUAGE", language, TRUE);
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      g_test_init (&argc, &argv, NULL);
      tolerate_stale_allocations ();
      if (!gtk_init_check ())
        g_error ("LAB_TEST_LANGUAGE needs a display");
    }
  else if (!gui_test_init (&argc, &argv, "/gui-engine/no-display"))
    return g_test_run ();

  /* The child of /gui-engine/no-python finds no interpreter. */
  if (g_test_subprocess ())
    g_setenv ("LAB_PYTHON", "/nonexistent/python3", TRUE);
  app = lab_application_new ();
  window = gui_test_open_window (G_APPLICATION (app));
  g_assert_nonnull (window);

  g_test_add_func ("/gui-engine/disagree-rule", test_disagree_rule);
  g_test_add_func ("/gui-engine/selector", test_selector);
  g_test_add_func ("/gui-engine/no-python", test_no_python);
  g_test_add_func ("/gui-engine/cpython-run", test_cpython_run);
  g_test_add_func ("/gui-engine/both", test_both);
  g_test_add_func ("/gui-engine/remembered", test_remembered);
  g_test_add_func ("/gui-engine/stop", test_stop);

  return g_test_run ();
}
