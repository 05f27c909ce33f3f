/* test-gui-editor.c — the code tab as an editor: an edited listing runs
 * on CPython as written, keeps its text when a parameter changes, Reset
 * brings the experiment's code back, a failure marks Python's line, Open
 * refuses a file that is not UTF-8 without losing the edits, Save writes
 * the file, and closing the window with unsaved edits asks first.
 *
 * Runs under Xvfb, with /usr/bin/python3 (skipped without it, except under
 * CI=true). With LAB_TEST_SCREENSHOT_DIR set it also saves the window with
 * an edited listing and a marked line (LAB_TEST_LANGUAGE=ru: in Russian).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "lab-application.h"
#include "lab-engine-selector.h"
#include "lab-experiment-page-test.h"
#include "lab-experiments.h"
#include "lab-py-engine.h"
#include "lab-window.h"
#include "test-gui-util.h"

#define GIVE_UP_MS 60000

static LabApplication *app;

static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

/* A fresh race page (4 threads, short pauses) on @engine, its listing the
 * generated one. */
static LabExperimentPage *
race_page (LabEngine engine)
{
  g_autoptr(GVariant) values = g_variant_ref_sink (g_variant_new_parsed (
    "{'threads': <int64 4>, 'max_sleep_ms': <int64 20>}"));
  LabWindow *window = LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  LabExperimentPage *page = lab_window_show_experiment (window, "race-counter");
  GtkWidget *selector;

  g_assert_nonnull (page);
  selector = find_descendant (GTK_WIDGET (page), LAB_TYPE_ENGINE_SELECTOR);
  g_assert_nonnull (selector);
  lab_engine_selector_set_engine (LAB_ENGINE_SELECTOR (selector), engine);
  lab_code_view_reset (lab_experiment_page_get_code_view (page));
  lab_experiment_page_set_param_values (page, values);
  lab_experiment_page_show_tab (page, "code");
  return page;
}

static char *
buffer_text (LabCodeView *view)
{
  GtkTextBuffer *buffer = lab_code_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Replaces the first @from with @to as typing does: a delete and an
 * insert at the cursor, each a user action. */
static void
type_over (LabCodeView *view,
           const char  *from,
           const char  *to)
{
  GtkTextBuffer *buffer = lab_code_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, from, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_delete_interactive (buffer, &match_start, &match_end, TRUE);
  gtk_text_buffer_insert_interactive (buffer, &match_start, to, -1, TRUE);
}

/* The 1-based line that holds @text. */
static guint
line_of (LabCodeView *view,
         const char  *text)
{
  GtkTextBuffer *buffer = lab_code_view_get_buffer (view);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, text, 0, &match_start, &match_end, NULL));
  return gtk_text_iter_get_line (&match_start) + 1;
}

static LabRunner *
run_to_end (LabExperimentPage *page)
{
  lab_experiment_page_run (page);
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
  return lab_experiment_page_get_shown_run (page);
}

/* ---- tests ---- */

/* Edited text is the person's: new values do not overwrite it, Reset
 * brings the listing for the current values back. */
static void
test_params_and_reset (void)
{
  g_autoptr(GVariant) six = g_variant_ref_sink (g_variant_new_parsed ("{'threads': <int64 6>}"));
  LabExperimentPage *page = race_page (LAB_ENGINE_MODEL);
  LabCodeView *view = lab_experiment_page_get_code_view (page);
  g_autofree char *text = NULL;
  GtkWidget *bar;

  text = buffer_text (view);
  g_assert_nonnull (strstr (text, "THREADS = 4 "));
  g_assert_false (lab_code_view_get_edited (view));
  g_assert_null (lab_code_view_get_bar_label (view));

  type_over (view, "THREADS = 4 ", "THREADS = 3 ");
  g_assert_true (lab_code_view_get_edited (view));
  g_assert_true (lab_code_view_get_unsaved (view));
  bar = lab_code_view_get_bar_label (view);
  g_assert_nonnull (bar);
  /* The model engine is chosen: the bar says the edits do not reach it. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (bar)), ==,
                   _("Edited — the model runs the experiment’s own code; choose CPython to run yours"));

  lab_experiment_page_set_param_values (page, six);
  g_clear_pointer (&text, g_free);
  text = buffer_text (view);
  g_assert_nonnull (strstr (text, "THREADS = 3 "));
  g_assert_null (strstr (text, "THREADS = 6 "));

  lab_code_view_reset (view);
  g_clear_pointer (&text, g_free);
  text = buffer_text (view);
  g_assert_nonnull (strstr (text, "THREADS = 6 "));
  g_assert_false (lab_code_view_get_edited (view));
  g_assert_false (lab_code_view_get_unsaved (view));
  g_assert_null (lab_code_view_get_bar_label (view));
}

/* CPython runs the edited text: THREADS = 3 typed in gives a run that
 * expected 3, titled as edited in the run view and the history. */
static void
test_run_edited (void)
{
  LabExperimentPage *page;
  LabCodeView *view;
  LabRunner *run;
  gint64 expected = 0;
  g_autofree char *title = NULL;
  GString *labels = g_string_new (NULL);

  if (!have_python ())
    return;

  page = race_page (LAB_ENGINE_CPYTHON);
  view = lab_experiment_page_get_code_view (page);
  type_over (view, "THREADS = 4 ", "THREADS = 3 ");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (lab_code_view_get_bar_label (view))), ==,
                   _("Edited — runs use your version"));

  run = run_to_end (page);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_DONE);
  g_assert_true (lab_engine_run_is_cpython (run));
  g_assert_true (lab_engine_run_is_edited (run));
  g_assert_true (g_variant_lookup (lab_runner_get_metrics (run), "expected", "x", &expected));
  g_assert_cmpint (expected, ==, 3);

  title = g_strdup_printf (_("Run %u · CPython · edited"), lab_run_get_index (run));
  spin (100);
  collect_labels (GTK_WIDGET (lab_experiment_page_get_run_view (page)), labels);
  collect_labels (GTK_WIDGET (lab_experiment_page_get_run_history (page)), labels);
  g_test_message ("labels: %s", labels->str);
  /* Once in the run view's title, once in the history's row. */
  g_assert_nonnull (strstr (labels->str, title));
  g_assert_nonnull (strstr (strstr (labels->str, title) + 1, title));
  g_string_free (labels, TRUE);

  /* Reset: the next run is the experiment's own listing again. */
  lab_code_view_reset (view);
  run = run_to_end (page);
  g_assert_false (lab_engine_run_is_edited (run));
  g_assert_true (g_variant_lookup (lab_runner_get_metrics (run), "expected", "x", &expected));
  g_assert_cmpint (expected, ==, 4);
}

static void
assert_marked (LabCodeView *view,
               guint        line)
{
  GtkTextBuffer *buffer = lab_code_view_get_buffer (view);
  GtkTextIter iter;

  g_assert_cmpuint (lab_code_view_get_error_line (view), ==, line);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  g_assert_true (gtk_text_iter_has_tag (&iter, lab_code_view_get_error_tag (view)));
  /* Only that line. */
  gtk_text_iter_forward_line (&iter);
  g_assert_false (gtk_text_iter_has_tag (&iter, lab_code_view_get_error_tag (view)));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&iter) + 1, ==, line);
}

static void
save_screenshot (const char *what)
{
  const char *dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  const char *language = g_getenv ("LAB_TEST_LANGUAGE");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  name = g_strdup_printf ("editor-%s-%s.png", what, language != NULL ? language : "en");
  path = g_build_filename (dir, name, NULL);
  spin (300);
  check_screenshot (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app))), path);
}

/* A syntax error and an exception: Python's message on the page, its
 * line marked in the editor with the cursor on it; an edit clears it. */
static void
test_error_marks (void)
{
  LabExperimentPage *page;
  LabCodeView *view;
  LabRunner *run;
  guint line;

  if (!have_python ())
    return;

  page = race_page (LAB_ENGINE_CPYTHON);
  view = lab_experiment_page_get_code_view (page);
  type_over (view, "THREADS = 4 ", "THREADS = (4 ");
  line = line_of (view, "THREADS = (4 ");
  run = run_to_end (page);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_FAILED);
  g_test_message ("error: %s", lab_runner_get_error (run)->message);
  g_assert_nonnull (strstr (lab_experiment_page_get_error_text (page), "SyntaxError"));
  assert_marked (view, line);
  save_screenshot ("syntax-error");

  /* Typing clears the mark: it belonged to the text that failed. */
  type_over (view, "THREADS = (4 ", "THREADS = 4 ");
  g_assert_cmpuint (lab_code_view_get_error_line (view), ==, 0);

  type_over (view, "counter = 0", "counter = int('zero')");
  line = line_of (view, "counter = int('zero')");
  run = run_to_end (page);
  g_assert_cmpint (lab_runner_get_state (run), ==, LAB_RUN_FAILED);
  g_test_message ("error: %s", lab_runner_get_error (run)->message);
  g_assert_nonnull (strstr (lab_experiment_page_get_error_text (page), "ValueError"));
  assert_marked (view, line);
  /* Edited while it ran: the failure's line no longer points at the
   * same code, so nothing is marked. */
  lab_experiment_page_run (page);
  type_over (view, "counter = int('zero')", "counter = int('nil')");
  g_assert_true (wait_for (page_idle, page, GIVE_UP_MS));
  g_assert_cmpint (lab_runner_get_state (lab_experiment_page_get_shown_run (page)), ==, LAB_RUN_FAILED);
  g_assert_cmpuint (lab_code_view_get_error_line (view), ==, 0);

  lab_code_view_reset (view);
  g_assert_cmpuint (lab_code_view_get_error_line (view), ==, 0);
}

/* The line is read after the program's own name only. */
static void
test_error_line (void)
{
  const LabExperiment *race = lab_experiments_find ("race-counter");

  g_assert_nonnull (race);
  g_assert_cmpuint (lab_py_engine_error_line (race, "The program failed: race_counter.py, line 14: "
                                                    "ValueError: bad"), ==, 14);
  g_assert_cmpuint (lab_py_engine_error_line (race, "The program failed: threading.py, line 9: "
                                                    "RuntimeError: x"), ==, 0);
  g_assert_cmpuint (lab_py_engine_error_line (race, "race_counter.py, line : no number"), ==, 0);
  g_assert_cmpuint (lab_py_engine_error_line (race, NULL), ==, 0);
}

/* Open: a file that is not UTF-8 is refused with its line and the edits
 * stay; a Python file replaces the text. Save writes the text. */
static void
test_open_save (void)
{
  LabExperimentPage *page = race_page (LAB_ENGINE_MODEL);
  LabCodeView *view = lab_experiment_page_get_code_view (page);
  g_autofree char *dir = g_dir_make_tmp ("lab-editor-XXXXXX", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "latin1.py", NULL);
  g_autofree char *good_path = g_build_filename (dir, "mine.py", NULL);
  g_autofree char *saved_path = g_build_filename (dir, "saved.py", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) good = g_file_new_for_path (good_path);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *written = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (bad_path, "print('ok')\nprint('caf\xe9')\n", -1, NULL));
  g_assert_true (g_file_set_contents (good_path, "print('mine')\n", -1, NULL));

  type_over (view, "THREADS = 4 ", "THREADS = 3 ");
  before = buffer_text (view);
  g_assert_false (lab_code_view_open_file (view, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "latin1.py"));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_assert_nonnull (strstr (error->message, "2"));
  after = buffer_text (view);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (lab_code_view_get_edited (view));
  g_clear_error (&error);

  g_assert_true (lab_code_view_open_file (view, good, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = buffer_text (view);
  g_assert_cmpstr (after, ==, "print('mine')\n");
  g_assert_true (lab_code_view_get_edited (view));
  /* As it is on disk: nothing to save yet. */
  g_assert_false (lab_code_view_get_unsaved (view));

  type_over (view, "mine", "yours");
  g_assert_true (lab_code_view_get_unsaved (view));
  g_assert_true (lab_code_view_save_to_file (view, saved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (saved_path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, "print('yours')\n");
  g_assert_false (lab_code_view_get_unsaved (view));

  g_unlink (bad_path);
  g_unlink (good_path);
  g_unlink (saved_path);
  g_rmdir (dir);
  lab_code_view_reset (view);
}

/* Closing the window with unsaved edits asks Save / Discard / Cancel;
 * Cancel keeps the window and the edits. */
static void
test_unsaved_prompt (void)
{
  LabExperimentPage *page = race_page (LAB_ENGINE_MODEL);
  LabCodeView *view = lab_experiment_page_get_code_view (page);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWindow *dialog;

  type_over (view, "THREADS = 4 ", "THREADS = 3 ");
  gtk_window_close (window);
  spin (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "discard"));
  /* Escape, or the dialog's close button: the close response is Cancel. */
  gtk_window_close (dialog);
  spin (200);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (lab_code_view_get_unsaved (view));
  lab_code_view_reset (view);
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("LAB_TEST_LANGUAGE");
  GtkWindow *window;

  if (language != NULL)
    {
      /* The catalogue of the build, bound before anything is translated. */
      g_autofree char *localedir = g_build_filename (g_getenv ("LAB_BUILD_ROOT"), "po", NULL);

      g_setenv ("LAB_TEST_LOCALEDIR", localedir, TRUE);
    }
  if (!gui_test_init (&argc, &argv, "/gui-editor/no-display"))
    return g_test_run ();

  app = lab_application_new ();
  window = gui_test_open_window (G_APPLICATION (app));
  g_assert_nonnull (window);

  g_test_add_func ("/gui-editor/params-and-reset", test_params_and_reset);
  g_test_add_func ("/gui-editor/run-edited", test_run_edited);
  g_test_add_func ("/gui-editor/error-marks", test_error_marks);
  g_test_add_func ("/gui-editor/error-line", test_error_line);
  g_test_add_func ("/gui-editor/open-save", test_open_save);
  g_test_add_func ("/gui-editor/unsaved-prompt", test_unsaved_prompt);

  return g_test_run ();
}
