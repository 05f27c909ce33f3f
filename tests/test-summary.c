/* test-summary.c — the summary page: both tables, links that open (and
 * set up) the experiment they name, and what its screenshots show.
 *
 * Runs under Xvfb. The screenshots are read back and checked: the size of
 * the window, text in every cell of the tables in view, none where the
 * tables are drawn invisible. Set LAB_TEST_SCREENSHOT_DIR to keep
 * summary.png (or summary-ru.png with LANGUAGE=ru and LAB_TEST_LOCALEDIR)
 * there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "lab-application.h"
#include "lab-experiments.h"
#include "lab-summary-page.h"
#include "lab-window.h"
#include "test-gui-util.h"

typedef struct
{
  LabApplication *app;
  LabWindow      *window;
  const char     *screenshot_dir;
} Gui;

static LabSummaryPage *
show_summary (Gui *gui)
{
  GtkWidget *page = lab_window_show_summary (gui->window);

  g_assert_true (LAB_IS_SUMMARY_PAGE (page));
  g_assert_true (gtk_widget_get_mapped (page) || wait_for (window_ready, page, 2000));
  g_assert_null (lab_window_get_current_page (gui->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));

  return LAB_SUMMARY_PAGE (page);
}

static void
test_tables (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabSummaryPage *page = show_summary (gui);
  guint rows = 0, columns = 0;

  /* Header row + process, thread, coroutine; entity + four aspects. */
  lab_summary_page_get_table_size (page, 0, &rows, &columns);
  g_assert_cmpuint (rows, ==, 4);
  g_assert_cmpuint (columns, ==, 5);
  /* Header row + ten aspects; aspect + five APIs. */
  lab_summary_page_get_table_size (page, 1, &rows, &columns);
  g_assert_cmpuint (rows, ==, 11);
  g_assert_cmpuint (columns, ==, 6);

  for (guint i = 0; i < 9; i++)
    {
      static const char * const names[] = {
        "process-isolation", "process-sum", "race-counter", "threads-cpu-sum", "event-loop",
        "thread", "process", "pool", "run",
      };

      g_assert_nonnull (lab_summary_page_get_link (page, names[i]));
    }
  g_assert_nonnull (lab_summary_page_get_link (page, "popen"));
}

static LabExperimentPage *
click_link (Gui        *gui,
            const char *name,
            const char *expected_id)
{
  LabSummaryPage *page = show_summary (gui);
  GtkWidget *link = lab_summary_page_get_link (page, name);
  LabExperimentPage *shown;

  g_assert_nonnull (link);
  g_signal_emit_by_name (link, "clicked");
  spin (50);
  shown = lab_window_get_current_page (gui->window);
  g_assert_nonnull (shown);
  g_assert_cmpstr (lab_experiment_page_get_experiment (shown)->id, ==, expected_id);

  return shown;
}

static void
test_links (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  LabExperimentPage *page;

  click_link (gui, "pool", "process-pool-map");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (gui->window), "run"));

  page = click_link (gui, "popen", "subprocess-run");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "popen");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "command"), ==, "sleep 5");

  page = click_link (gui, "run", "subprocess-run");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "run");

  page = click_link (gui, "event-loop", "threads-io-fetch");
  g_assert_cmpstr (lab_params_get_string (lab_experiment_page_get_params (page), "mode"), ==, "event-loop");

  click_link (gui, "thread", "threads-hello");
  click_link (gui, "process", "process-isolation");
}

/* ---- what the picture shows ---- */

/* A saved screenshot, read back from its PNG. */
typedef struct
{
  int      width;
  int      height;
  guint32 *pixels;   /* GDK_MEMORY_DEFAULT: premultiplied 0xAARRGGBB */
} Picture;

static void
picture_free (Picture *picture)
{
  g_free (picture->pixels);
  g_free (picture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

static guint
luminance (guint32 pixel)
{
  guint r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

  return (r * 299 + g * 587 + b * 114) / 1000;
}

/* Saves @widget as a PNG at @path and reads the file back: what is checked
 * is what was written. */
static Picture *
save_picture (GtkWidget  *widget,
              const char *path)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) loaded = NULL;
  g_autoptr(GError) error = NULL;
  Picture *picture = g_new0 (Picture, 1);
  guint darkest = 255, lightest = 0;

  wait_for_frames (widget);
  texture = snapshot_widget (widget);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  loaded = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  picture->width = gdk_texture_get_width (loaded);
  picture->height = gdk_texture_get_height (loaded);
  g_assert_cmpint (picture->width, ==, gtk_widget_get_width (widget));
  g_assert_cmpint (picture->height, ==, gtk_widget_get_height (widget));
  picture->pixels = g_new (guint32, (gsize) picture->width * picture->height);
  gdk_texture_download (loaded, (guchar *) picture->pixels, (gsize) picture->width * 4);

  for (gsize i = 0; i < (gsize) picture->width * picture->height; i++)
    {
      darkest = MIN (darkest, luminance (picture->pixels[i]));
      lightest = MAX (lightest, luminance (picture->pixels[i]));
    }
  g_test_message ("%s: %d×%d, luminance %u–%u", path, picture->width, picture->height,
                  darkest, lightest);
  /* Text on a background, not one flat colour. */
  g_assert_cmpuint (lightest - darkest, >=, 128);

  return picture;
}

/* Pixels of @rect that stand out from its most common shade (the
 * background): glyphs, underlines, icons. */
static guint
count_ink (const Picture         *picture,
           const graphene_rect_t *rect)
{
  int x0 = MAX ((int) ceilf (rect->origin.x), 0);
  int y0 = MAX ((int) ceilf (rect->origin.y), 0);
  int x1 = MIN ((int) floorf (rect->origin.x + rect->size.width), picture->width);
  int y1 = MIN ((int) floorf (rect->origin.y + rect->size.height), picture->height);
  guint histogram[256] = { 0 };
  guint background = 0, ink = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      histogram[luminance (picture->pixels[(gsize) y * picture->width + x])]++;
  for (guint i = 1; i < 256; i++)
    if (histogram[i] > histogram[background])
      background = i;
  for (guint i = 0; i < 256; i++)
    if (ABS ((int) i - (int) background) > 64)
      ink += histogram[i];
  return ink;
}

/* The tables, in the order they are shown. */
static void
find_tables (GtkWidget *widget,
             GPtrArray *tables)
{
  if (gtk_widget_has_css_class (widget, "summary-table"))
    {
      g_ptr_array_add (tables, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_tables (child, tables);
}

static GtkWidget *
get_table (LabSummaryPage *page,
           guint           index)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();

  find_tables (GTK_WIDGET (page), tables);
  g_assert_cmpuint (tables->len, ==, 2);
  return g_ptr_array_index (tables, index);
}

/* Checks every cell of @table that is in view in @picture: text cells show
 * ink (their words were laid out and drawn), the empty corner cell none.
 * With @hidden, the table was drawn invisible: no cell shows ink. Returns
 * the number of cells in view. */
static guint
check_cells (const Picture *picture,
             Gui           *gui,
             GtkWidget     *table,
             gboolean       hidden)
{
  GtkWidget *window = GTK_WIDGET (gui->window);
  GtkWidget *viewport = gtk_widget_get_first_child (lab_window_show_summary (gui->window));
  graphene_rect_t view;
  guint n_in_view = 0, least_ink = G_MAXUINT;

  g_assert_true (gtk_widget_get_mapped (table));
  g_assert_true (gtk_widget_compute_bounds (viewport, window, &view));
  for (GtkWidget *cell = gtk_widget_get_first_child (table); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      graphene_rect_t bounds;
      int row = 0, column = 0;
      guint ink;

      g_assert_true (gtk_widget_compute_bounds (cell, window, &bounds));
      if (!graphene_rect_contains_rect (&view, &bounds))
        continue;
      /* Inside the padding, away from the row's border line. */
      graphene_rect_inset (&bounds, 3, 3);
      gtk_grid_query_child (GTK_GRID (table), cell, &column, &row, NULL, NULL);
      ink = count_ink (picture, &bounds);
      n_in_view++;
      if (row > 0 || column > 0)
        least_ink = MIN (least_ink, ink);

      if (hidden || (row == 0 && column == 0))
        g_assert_cmpuint (ink, ==, 0);
      else if (ink < 20)
        g_error ("cell %d,%d (%s) of %.0f×%.0f px at %.0f,%.0f shows %u pixels of ink",
                 row, column, G_OBJECT_TYPE_NAME (cell), bounds.size.width, bounds.size.height,
                 bounds.origin.x, bounds.origin.y, ink);
    }
  g_test_message ("%u cells in view%s, the least ink in a text cell: %u px", n_in_view,
                  hidden ? " (table drawn invisible)" : "", least_ink);
  return n_in_view;
}

/* Saves the window at @path and checks @table's cells in view, then draws
 * it again with the table invisible (same layout) and checks that the ink
 * was the table's. Returns the number of cells in view. */
static guint
check_screenshot_cells (Gui        *gui,
                        GtkWidget  *table,
                        const char *path)
{
  g_autoptr(Picture) shown = save_picture (GTK_WIDGET (gui->window), path);
  g_autofree char *hidden_path = g_strconcat (path, ".hidden.png", NULL);
  g_autoptr(Picture) hidden = NULL;
  guint n_in_view = check_cells (shown, gui, table, FALSE);

  gtk_widget_set_opacity (table, 0);
  hidden = save_picture (GTK_WIDGET (gui->window), hidden_path);
  gtk_widget_set_opacity (table, 1);
  g_assert_cmpuint (check_cells (hidden, gui, table, TRUE), ==, n_in_view);
  g_unlink (hidden_path);

  return n_in_view;
}

static void
test_screenshot (gconstpointer data)
{
  Gui *gui = (Gui *) data;
  const char *language = g_getenv ("LANGUAGE");
  const char *suffix = language != NULL && !g_str_equal (language, "en") ? language : NULL;
  g_autofree char *name = g_strdup_printf ("summary%s%s.png", suffix ? "-" : "", suffix ? suffix : "");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dark_name = g_strdup_printf ("dark-%s", name);
  g_autofree char *dark_path = NULL;
  g_autofree char *bottom_name = g_strdup_printf ("bottom-%s", name);
  g_autofree char *bottom_path = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  LabSummaryPage *page = show_summary (gui);
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (page));
  GtkAdjustment *adjustment;
  guint rows = 0, columns = 0;
  g_autoptr(GError) error = NULL;

  /* Kept where asked (the README's pictures), else checked and removed. */
  dir = gui->screenshot_dir ? g_strdup (gui->screenshot_dir)
                            : g_dir_make_tmp ("lab-summary-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  dark_path = g_build_filename (dir, dark_name, NULL);
  bottom_path = g_build_filename (dir, bottom_name, NULL);

  /* The first table is in view whole at the top. */
  spin (300);
  lab_summary_page_get_table_size (page, 0, &rows, &columns);
  g_assert_cmpuint (check_screenshot_cells (gui, get_table (page, 0), path), ==, rows * columns);

  /* The second table, scrolled into view: at least half of it at once. */
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  spin (300);
  lab_summary_page_get_table_size (page, 1, &rows, &columns);
  g_assert_cmpuint (check_screenshot_cells (gui, get_table (page, 1), bottom_path), >=,
                    rows * columns / 2);
  gtk_adjustment_set_value (adjustment, 0);

  /* Light text on a dark background shows as ink too. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  spin (300);
  lab_summary_page_get_table_size (page, 0, &rows, &columns);
  g_assert_cmpuint (check_screenshot_cells (gui, get_table (page, 0), dark_path), ==, rows * columns);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  if (gui->screenshot_dir == NULL)
    {
      g_unlink (path);
      g_unlink (bottom_path);
      g_unlink (dark_path);
      g_rmdir (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  Gui gui = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LAB_TEST_LOCALEDIR") ? g_getenv ("LAB_TEST_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  tolerate_stale_allocations ();

  gui.screenshot_dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");
  if (gui.screenshot_dir != NULL)
    g_mkdir_with_parents (gui.screenshot_dir, 0755);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/summary/no-display", test_no_display);
      return g_test_run ();
    }

  gui.app = lab_application_new ();
  gui.window = LAB_WINDOW (gui_test_open_window (G_APPLICATION (gui.app)));

  g_test_add_data_func ("/summary/tables", &gui, test_tables);
  g_test_add_data_func ("/summary/links", &gui, test_links);
  g_test_add_data_func ("/summary/screenshot", &gui, test_screenshot);

  status = g_test_run ();

  if (gui.window != NULL)
    gtk_window_destroy (GTK_WINDOW (gui.window));
  g_clear_object (&gui.app);

  return status;
}
