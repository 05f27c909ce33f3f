/* lab-window-settings.c — what the window remembers between sessions:
 * its size, the last experiment shown, each experiment's parameters (also
 * of the pages not opened this time). Without the GSettings schema
 * installed nothing is remembered and nothing fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-application.h"
#include "lab-window-private.h"

gboolean
lab_window_has_setting (LabWindow  *self,
                        const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return FALSE;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key);
}

void
lab_window_load_settings (LabWindow *self)
{
  self->settings = lab_application_lookup_settings ();
  if (self->settings == NULL)
    {
      g_debug ("GSettings schema %s not installed: nothing is remembered", APP_ID);
      return;
    }

  if (lab_window_has_setting (self, "window-width") && lab_window_has_setting (self, "window-height"))
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");

      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    }
  if (lab_window_has_setting (self, "window-maximized") &&
      g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (lab_window_has_setting (self, "parameters"))
    self->stored_params = g_settings_get_value (self->settings, "parameters");
}

void
lab_window_save_settings (LabWindow *self)
{
  LabExperimentPage *page = lab_window_get_current_page (self);
  g_autoptr(GHashTable) saved = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder builder;
  GtkWidget *child;

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);

  if (lab_window_has_setting (self, "window-width") && lab_window_has_setting (self, "window-height"))
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  if (lab_window_has_setting (self, "window-maximized"))
    g_settings_set_boolean (self->settings, "window-maximized",
                            gtk_window_is_maximized (GTK_WINDOW (self)));

  if (page != NULL && lab_window_has_setting (self, "last-experiment"))
    g_settings_set_string (self->settings, "last-experiment",
                           lab_experiment_page_get_experiment (page)->id);

  if (lab_window_has_setting (self, "parameters"))
    {
      /* The pages that exist now, then what was stored for the others. */
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa{sv}}"));
      for (child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          LabExperimentPage *p;
          const char *id;

          if (!LAB_IS_EXPERIMENT_PAGE (child))
            continue; /* the summary */
          p = LAB_EXPERIMENT_PAGE (child);
          id = lab_experiment_page_get_experiment (p)->id;

          g_variant_builder_add (&builder, "{s@a{sv}}", id,
                                 lab_params_to_variant (lab_experiment_page_get_params (p)));
          g_hash_table_add (saved, (gpointer) id);
        }

      if (self->stored_params != NULL)
        {
          GVariantIter iter;
          const char *id;
          GVariant *values;

          g_variant_iter_init (&iter, self->stored_params);
          while (g_variant_iter_next (&iter, "{&s@a{sv}}", &id, &values))
            {
              if (!g_hash_table_contains (saved, id))
                g_variant_builder_add (&builder, "{s@a{sv}}", id, values);
              g_variant_unref (values);
            }
        }

      g_settings_set_value (self->settings, "parameters", g_variant_builder_end (&builder));
    }

  g_settings_apply (self->settings);
}
