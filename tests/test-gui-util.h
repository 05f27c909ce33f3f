/* test-gui-util.h — helpers for driving a GTK window in a test: iterate
 * the main context until something holds, count threads, snapshot widgets
 * to PNG, find toplevels. Header-only (static), for the GUI tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

typedef gboolean (*Condition) (gpointer data);

/* Registered instead of the tests when there is no display. A local run
 * skips them; under CI (CI=true) a GUI suite that did not run is a failure,
 * not a quiet pass: the suite exists to be run. */
G_GNUC_UNUSED static void
test_missing (const char *what)
{
  const char *ci = g_getenv ("CI");

  /* Under CI a test that cannot run is a failure, never a quiet skip. */
  if (ci != NULL && g_ascii_strcasecmp (ci, "true") == 0)
    g_test_fail_printf ("%s, but CI=true: the GUI tests must run", what);
  else
    g_test_skip (what);
}

G_GNUC_UNUSED static void
test_no_display (void)
{
  test_missing ("No display: run under xvfb-run");
}


/* Iterates the main context until @condition holds or @timeout_ms passed. */
G_GNUC_UNUSED static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return TRUE;
}

G_GNUC_UNUSED static gboolean
never (gpointer data)
{
  return FALSE;
}

G_GNUC_UNUSED static void
spin (guint ms)
{
  wait_for (never, NULL, ms);
}

G_GNUC_UNUSED static gboolean
window_ready (gpointer data)
{
  GtkWidget *window = data;

  return gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0;
}

/* Runner threads and experiment workers; GLib's shared pool threads
 * (icon loading ...) come and go on their own and are not counted. */
G_GNUC_UNUSED static guint
count_threads (GString *names)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", entry, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL))
        {
          g_strstrip (comm);
          if (g_str_has_prefix (comm, "pool-"))
            continue;
          if (names != NULL)
            g_string_append_printf (names, "%s ", comm);
        }
      n++;
    }

  return n;
}

G_GNUC_UNUSED static void
count_frame (GdkFrameClock *clock,
             guint         *n_frames)
{
  (*n_frames)++;
}

G_GNUC_UNUSED static gboolean
frames_done (gpointer data)
{
  return *(guint *) data >= 3;
}

/* Lets the window lay out and paint what changed (slow under sanitizers). */
G_GNUC_UNUSED static void
wait_for_frames (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_frames = 0;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &n_frames);
  for (guint i = 0; i < 3 && !frames_done (&n_frames); i++)
    {
      gtk_widget_queue_draw (widget);
      wait_for (frames_done, &n_frames, 3000);
    }
  g_signal_handler_disconnect (clock, handler);
}

G_GNUC_UNUSED static GdkTexture *
snapshot_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GskRenderer *renderer;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  return texture;
}

/* Saves a PNG of @widget and checks that it is not blank. */
G_GNUC_UNUSED static void
check_screenshot (GtkWidget  *widget,
                  const char *path)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  int width;
  int height;
  g_autofree guint32 *pixels = NULL;

  wait_for_frames (widget);
  texture = snapshot_widget (widget);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) width * height);

  g_assert_cmpint (width, >, 300);
  g_assert_cmpint (height, >, 200);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (colors) < 5000; i++)
    g_hash_table_add (colors, GUINT_TO_POINTER (pixels[i]));

  g_test_message ("%s: %dx%d, %u colours", path, width, height, g_hash_table_size (colors));
  /* Text, cards, a timeline: many colours, not one flat background. */
  g_assert_cmpuint (g_hash_table_size (colors), >, 200);
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget at or below @widget that @match accepts, depth first. */
G_GNUC_UNUSED static GtkWidget *
find_widget_where (GtkWidget     *widget,
                   WidgetMatch    match,
                   gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_where (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

G_GNUC_UNUSED static gboolean
widget_is_a (GtkWidget     *widget,
             gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (type));
}

/* The first widget of @type at or below @widget, depth first. */
G_GNUC_UNUSED static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return find_widget_where (widget, widget_is_a, GSIZE_TO_POINTER (type));
}

/* Every mapped child of @parent has a size. GTK maps a visible child even
 * when its parent's size_allocate forgot it, and then does not draw it
 * ("Trying to snapshot ... without a current allocation"): such a child is
 * still 0×0 after a frame. For parents with a layout of their own; deeper
 * down a widget may be 0×0 on purpose (an empty progress bar's fill). */
G_GNUC_UNUSED static guint
assert_children_allocated (GtkWidget *parent)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (parent);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (gtk_widget_get_width (child) == 0 && gtk_widget_get_height (child) == 0)
        g_error ("%s (%s) in %s is shown but has no allocation",
                 G_OBJECT_TYPE_NAME (child), gtk_widget_get_css_name (child),
                 G_OBJECT_TYPE_NAME (parent));
      n++;
    }
  return n;
}

/* Every visible label's text under @widget, each followed by "|". */
G_GNUC_UNUSED static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

#define GUI_TEST_PYTHON "/usr/bin/python3"

/* Whether the CPython engine's interpreter is there: skipped without it,
 * a failure under CI=true, where it must be tested. */
G_GNUC_UNUSED static gboolean
have_python (void)
{
  const char *ci = g_getenv ("CI");

  if (g_file_test (GUI_TEST_PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  if (ci != NULL && g_ascii_strcasecmp (ci, "true") == 0)
    g_test_fail_printf ("%s is missing, but CI=true: the CPython engine must be tested", GUI_TEST_PYTHON);
  else
    g_test_skip (GUI_TEST_PYTHON " is not installed");
  return FALSE;
}

G_GNUC_UNUSED static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && found == NULL; i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = window;
      g_object_unref (window); /* still listed: stays alive */
    }

  return found;
}

G_GNUC_UNUSED static void
close_toplevel (GType type)
{
  GtkWindow *window = find_toplevel (type);

  g_assert_nonnull (window);
  gtk_window_close (window);
  spin (200);
  g_assert_null (find_toplevel (type));
}

/* Only addresses are compared: a pointer read from a message is never
 * followed. */
G_GNUC_UNUSED static gboolean
widget_is_at (GtkWidget     *widget,
              gconstpointer  address)
{
  return (gconstpointer) widget == address;
}

/* Whether "Trying to snapshot <type> <address> without a current
 * allocation" names a widget that had a size: one that lost it since the
 * layout phase. GTK 4.8 paints such a frame now and then under load (seen
 * on the bottom pane of an experiment page) and the next frame is right.
 * A widget its parent never allocated is still 0×0: that is a bug of ours
 * and stays fatal. */
G_GNUC_UNUSED static gboolean
names_stale_widget (const char *message)
{
  const char *at = strstr (message, " 0x");
  GListModel *toplevels = gtk_window_get_toplevels ();
  gconstpointer address;

  if (at == NULL)
    return FALSE;
  address = GSIZE_TO_POINTER (g_ascii_strtoull (at + 1, NULL, 16));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *widget = find_widget_where (window, widget_is_at, address);

      if (widget != NULL)
        return gtk_widget_get_width (widget) > 0 || gtk_widget_get_height (widget) > 0;
    }
  return FALSE;
}

/* Counts GTK's warnings about a stale allocation (above) instead of
 * aborting; every other warning stays fatal, a never allocated widget too.
 * (GTK logs structured; GLib applies "fatal warnings" in the default
 * writer, so the filter is a writer, not g_test_log_set_fatal_handler().) */
G_GNUC_UNUSED static GLogWriterOutput
stale_allocation_writer (GLogLevelFlags   log_level,
                         const GLogField *fields,
                         gsize            n_fields,
                         gpointer         user_data)
{
  guint *n_stale = user_data;
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0 &&
      message != NULL && strstr (message, "without a current allocation") != NULL &&
      names_stale_widget (message))
    {
      (*n_stale)++;
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* For tests that do not report the count: install the writer above. */
G_GNUC_UNUSED static void
tolerate_stale_allocations (void)
{
  static guint n_stale;

  g_log_set_writer_func (stale_allocation_writer, &n_stale, NULL);
}

G_GNUC_UNUSED static void
skip_without_display (void)
{
  g_test_skip ("No display: run under xvfb-run");
}

/* The usual start of a GUI test (config.h included first): translations
 * from LOCALEDIR, g_test_init(), the stale-allocation filter, GTK. Without
 * a display it adds one skipped test at @skip_path and returns FALSE.
 * A layout check may read the translations of the build tree instead
 * (LAB_TEST_LOCALEDIR=build/po) in another language than the test
 * environment's English (LAB_TEST_LANGUAGE=ru). */
G_GNUC_UNUSED static gboolean
gui_test_init (int        *argc,
               char     ***argv,
               const char *skip_path)
{
  const char *localedir = g_getenv ("LAB_TEST_LOCALEDIR");

  if (g_getenv ("LAB_TEST_LANGUAGE") != NULL)
    g_setenv ("LANGUAGE", g_getenv ("LAB_TEST_LANGUAGE"), TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (argc, argv, NULL);
  tolerate_stale_allocations ();

  if (gtk_init_check ())
    return TRUE;
  g_test_add_func (skip_path, skip_without_display);
  return FALSE;
}

/* Where a test saves its screenshots (LAB_TEST_SCREENSHOT_DIR, made if
 * missing), or NULL to save none. */
G_GNUC_UNUSED static const char *
gui_test_screenshot_dir (void)
{
  const char *dir = g_getenv ("LAB_TEST_SCREENSHOT_DIR");

  if (dir != NULL)
    g_mkdir_with_parents (dir, 0755);
  return dir;
}

/* Registers and activates @app (not unique, so tests may run side by side)
 * and returns its window at 1280×800 once it is on screen and settled. */
G_GNUC_UNUSED static GtkWindow *
gui_test_open_window (GApplication *app)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_application_set_flags (app, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  gtk_window_set_default_size (window, 1280, 800);
  g_assert_true (wait_for (window_ready, window, 10000));
  spin (200);
  return window;
}
