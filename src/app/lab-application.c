/* lab-application.c — the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <glib-unix.h>
#include <signal.h>

#include "lab-application.h"
#include "lab-window.h"

struct _LabApplication
{
  AdwApplication parent_instance;

  guint          sigint_id;
  guint          sigterm_id;
};

G_DEFINE_FINAL_TYPE (LabApplication, lab_application, ADW_TYPE_APPLICATION)

static void
lab_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (lab_window_new (GTK_APPLICATION (application)));

  gtk_window_present (window);
}

/* `concurrency-lab FILE.json …`, or files sent to the running instance:
 * each opens as a trace page in the window. */
static void
lab_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (lab_window_new (GTK_APPLICATION (application)));
  for (int i = 0; i < n_files; i++)
    lab_window_open_trace (LAB_WINDOW (window), files[i]);
  gtk_window_present (window);
}

/* Closing a window stops its runs and destroys it once their threads were
 * joined; the application quits when the last window is gone. */
static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));
  g_autoptr(GList) copy = g_list_copy (windows);

  for (GList *l = copy; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  if (copy == NULL)
    g_application_quit (G_APPLICATION (user_data));
}

/* Ctrl+C in the terminal that started the window, or a session ending
 * (SIGTERM): quit as Quit does — each window stops its runs the way Stop
 * does (children killed and reaped, threads joined) and goes away; the
 * application ends with the last one. Left to their default action, these
 * signals would kill the process and orphan the runs' children. The source
 * stays installed, so a second signal while stopping is only ignored. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);

  return G_SOURCE_CONTINUE;
}

static void
unwatch_signals (LabApplication *self)
{
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "The Concurrency Lab authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Concurrency Lab"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Concurrency Lab authors"),
                        "developers", developers,
                        "comments", _("Run the experiments of a Python concurrency lecture — "
                                      "threads, races and locks, the GIL, queues, subprocesses "
                                      "and process pools — with real threads and processes, "
                                      "and watch them live on a timeline."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_shortcuts (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/org/concurrencylab/ConcurrencyLab/lab-shortcuts.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, parent);
  gtk_window_set_application (shortcuts, GTK_APPLICATION (user_data));
  gtk_window_present (shortcuts);
}

GSettings *
lab_application_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL ? g_settings_new (APP_ID) : NULL;
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GSettings) settings = lab_application_lookup_settings ();
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 1000, 1);

  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Run History"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Runs that keep their timeline"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("For each experiment. Older runs keep their parameters and "
                                 "metrics; their events are let go so memory stays bounded."));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Runs that keep their timeline"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  if (settings != NULL)
    g_settings_bind (settings, "history-timelines",
                     gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)), "value",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (row, FALSE);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = on_quit },
  { .name = "preferences", .activate = on_preferences },
  { .name = "about", .activate = on_about },
  { .name = "shortcuts", .activate = on_shortcuts },
};

typedef struct
{
  const char *action;
  const char *accels[4];
} LabAccels;

static const LabAccels accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.run", { "<Control>r", NULL } },
  /* Esc stops a run too, unless it leaves presentation mode (the window
   * handles it: an accelerator could not do either). */
  { "win.stop", { "<Control>period", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.export-2x", { "<Control><Shift>e", NULL } },
  { "win.open-trace", { "<Control>o", NULL } },
  { "win.presentation", { "F11", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.fit", { "<Control>0", "<Control>KP_0", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static void
lab_application_startup (GApplication *application)
{
  LabApplication *self = LAB_APPLICATION (application);

  G_APPLICATION_CLASS (lab_application_parent_class)->startup (application);

  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);

  /* style.css in the resource base path is loaded by AdwApplication. */
  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           accels[i].action, accels[i].accels);
}

static void
lab_application_shutdown (GApplication *application)
{
  unwatch_signals (LAB_APPLICATION (application));

  G_APPLICATION_CLASS (lab_application_parent_class)->shutdown (application);
}

/* An application that was registered but never run (tests) has no
 * shutdown: the sources must not outlive it. */
static void
lab_application_dispose (GObject *object)
{
  unwatch_signals (LAB_APPLICATION (object));

  G_OBJECT_CLASS (lab_application_parent_class)->dispose (object);
}

static void
lab_application_class_init (LabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lab_application_dispose;
  app_class->activate = lab_application_activate;
  app_class->open = lab_application_open;
  app_class->startup = lab_application_startup;
  app_class->shutdown = lab_application_shutdown;
}

static void
lab_application_init (LabApplication *self)
{
  /* The resource base path follows from the id: /org/concurrencylab/ConcurrencyLab */
}

LabApplication *
lab_application_new (void)
{
  return g_object_new (LAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
