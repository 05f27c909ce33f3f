/* lab-param-controls.c — controls generated from LabParamSpecs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-param-controls.h"
#include "lab-param-row.h"

struct _LabParamControls
{
  GtkWidget            parent_instance;

  AdwPreferencesGroup *presets_group; /* NULL without presets */
  GtkFlowBox          *presets_box;
  AdwPreferencesGroup *group;
  GtkWidget           *reset_button;

  const LabExperiment *experiment;
  LabParams           *params;
  GVariant            *defaults; /* a{sv} */
  GPtrArray           *controls; /* LabParamRow */
  guint                syncing;
};

G_DEFINE_FINAL_TYPE (LabParamControls, lab_param_controls, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (gpointer user_data)
{
  LabParamControls *self = user_data;
  g_autoptr(GVariant) now = g_variant_ref_sink (lab_params_to_variant (self->params));

  gtk_widget_set_sensitive (self->reset_button,
                            !g_variant_equal (now, self->defaults));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
sync_all (LabParamControls *self)
{
  for (guint i = 0; i < self->controls->len; i++)
    lab_param_row_sync (g_ptr_array_index (self->controls, i));
}

/* ---- the widget ---- */

static void
on_reset_clicked (LabParamControls *self)
{
  lab_param_controls_reset (self);
}

static void
lab_param_controls_dispose (GObject *object)
{
  LabParamControls *self = LAB_PARAM_CONTROLS (object);

  if (self->presets_group != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->presets_group));
      self->presets_group = NULL;
      self->presets_box = NULL;
    }
  if (self->group != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->group));
      self->group = NULL;
    }
  g_clear_pointer (&self->controls, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_param_controls_parent_class)->dispose (object);
}

static void
lab_param_controls_finalize (GObject *object)
{
  LabParamControls *self = LAB_PARAM_CONTROLS (object);

  g_clear_pointer (&self->params, lab_params_free);
  g_clear_pointer (&self->defaults, g_variant_unref);

  G_OBJECT_CLASS (lab_param_controls_parent_class)->finalize (object);
}

static void
lab_param_controls_class_init (LabParamControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_param_controls_dispose;
  object_class->finalize = lab_param_controls_finalize;

  /**
   * LabParamControls::changed:
   *
   * A value was changed, by the user or through the API.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paramcontrols");
}

static void
lab_param_controls_init (LabParamControls *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 18);

  self->controls = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_param_row_free);

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Parameters"));
  gtk_widget_set_parent (GTK_WIDGET (self->group), GTK_WIDGET (self));

  self->reset_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_add_css_class (self->reset_button, "flat");
  gtk_widget_set_valign (self->reset_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->reset_button, _("Reset to Defaults"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reset to Defaults"),
                                  -1);
  gtk_widget_set_sensitive (self->reset_button, FALSE);
  g_signal_connect_swapped (self->reset_button, "clicked",
                            G_CALLBACK (on_reset_clicked), self);
  adw_preferences_group_set_header_suffix (self->group, self->reset_button);
}

/* ---- presets ---- */

static void
on_preset_clicked (GtkButton        *button,
                   LabParamControls *self)
{
  const LabPreset *preset = g_object_get_data (G_OBJECT (button), "preset");
  g_autoptr(GError) error = NULL;

  if (!lab_param_controls_apply_preset (self, preset->nick, &error))
    g_warning ("Preset %s: %s", preset->nick, error->message);
}

static void
lab_param_controls_build_presets (LabParamControls *self)
{
  const LabExperiment *experiment = self->experiment;

  if (experiment->n_presets == 0)
    return;

  self->presets_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->presets_group, _("Scenarios"));
  adw_preferences_group_set_description (self->presets_group,
                                         _("Set the parameters for a case from the lecture"));
  gtk_widget_insert_after (GTK_WIDGET (self->presets_group), GTK_WIDGET (self), NULL);

  self->presets_box = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->presets_box, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->presets_box, FALSE);
  gtk_flow_box_set_max_children_per_line (self->presets_box, 8);
  gtk_flow_box_set_row_spacing (self->presets_box, 6);
  gtk_flow_box_set_column_spacing (self->presets_box, 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->presets_box), "presets");
  adw_preferences_group_add (self->presets_group, GTK_WIDGET (self->presets_box));

  for (guint i = 0; i < experiment->n_presets; i++)
    {
      const LabPreset *preset = &experiment->presets[i];
      GtkWidget *button = gtk_button_new_with_label (_(preset->label));
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "preset-button");
      gtk_widget_set_name (button, preset->nick);
      if (preset->tooltip != NULL)
        gtk_widget_set_tooltip_text (button, _(preset->tooltip));
      g_object_set_data (G_OBJECT (button), "preset", (gpointer) preset);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_preset_clicked), self, 0);
      gtk_flow_box_append (self->presets_box, button);
      /* The flow box child takes no focus; the button does. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
}

GtkWidget *
lab_param_controls_get_preset_button (LabParamControls *self,
                                      const char       *nick)
{
  GtkWidget *child;

  g_return_val_if_fail (LAB_IS_PARAM_CONTROLS (self), NULL);

  if (self->presets_box == NULL)
    return NULL;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->presets_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (gtk_widget_get_name (button), nick) == 0)
        return button;
    }

  return NULL;
}

gboolean
lab_param_controls_apply_preset (LabParamControls  *self,
                                 const char        *nick,
                                 GError           **error)
{
  g_return_val_if_fail (LAB_IS_PARAM_CONTROLS (self), FALSE);

  if (!lab_experiment_apply_preset (self->experiment, self->params, nick, error))
    return FALSE;

  lab_param_controls_refresh (self);
  emit_changed (self);

  return TRUE;
}

void
lab_param_controls_refresh (LabParamControls *self)
{
  g_return_if_fail (LAB_IS_PARAM_CONTROLS (self));

  sync_all (self);
}

static void
lab_param_controls_build (LabParamControls *self)
{
  GtkWidget *more = NULL;

  for (guint i = 0; i < lab_params_get_n_specs (self->params); i++)
    {
      const LabParamSpec *spec = lab_params_get_spec (self->params, i);
      LabParamRow *row;

      if (spec->flags & LAB_PARAM_FLAG_HIDDEN)
        continue;

      row = lab_param_row_new (spec, self->params, emit_changed, self);
      if (row == NULL)
        continue;
      g_ptr_array_add (self->controls, row);

      if (spec->flags & LAB_PARAM_FLAG_ADVANCED)
        {
          if (more == NULL)
            {
              more = adw_expander_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), _("More"));
              adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (more), _("Advanced parameters"));
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (more), lab_param_row_get_widget (row));
        }
      else
        adw_preferences_group_add (self->group, lab_param_row_get_widget (row));
    }

  if (more != NULL)
    adw_preferences_group_add (self->group, more);

  sync_all (self);
}

GtkWidget *
lab_param_controls_new (const LabExperiment *experiment)
{
  LabParamControls *self;

  g_return_val_if_fail (experiment != NULL, NULL);

  self = g_object_new (LAB_TYPE_PARAM_CONTROLS, NULL);
  self->experiment = experiment;
  self->params = lab_params_new (experiment->params, experiment->n_params);
  self->defaults = g_variant_ref_sink (lab_params_to_variant (self->params));
  lab_param_controls_build_presets (self);
  lab_param_controls_build (self);

  return GTK_WIDGET (self);
}

void
lab_param_controls_commit (LabParamControls *self)
{
  g_return_if_fail (LAB_IS_PARAM_CONTROLS (self));

  for (guint i = 0; i < self->controls->len; i++)
    lab_param_row_commit (g_ptr_array_index (self->controls, i));
}

GtkWidget *
lab_param_controls_get_row (LabParamControls *self,
                            const char       *key)
{
  g_return_val_if_fail (LAB_IS_PARAM_CONTROLS (self), NULL);

  for (guint i = 0; i < self->controls->len; i++)
    {
      LabParamRow *row = g_ptr_array_index (self->controls, i);

      if (g_strcmp0 (lab_param_row_get_key (row), key) == 0)
        return lab_param_row_get_widget (row);
    }

  return NULL;
}

const LabParams *
lab_param_controls_get_params (LabParamControls *self)
{
  g_return_val_if_fail (LAB_IS_PARAM_CONTROLS (self), NULL);

  return self->params;
}

gboolean
lab_param_controls_set_value (LabParamControls  *self,
                              const char        *key,
                              GVariant          *value,
                              GError           **error)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (value);

  g_return_val_if_fail (LAB_IS_PARAM_CONTROLS (self), FALSE);

  if (!lab_params_set_value (self->params, key, sunk, error))
    return FALSE;

  sync_all (self);
  emit_changed (self);

  return TRUE;
}

void
lab_param_controls_set_values (LabParamControls *self,
                               GVariant         *dict)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_if_fail (LAB_IS_PARAM_CONTROLS (self));

  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GError) error = NULL;

      /* Values stored by an older version may no longer validate. */
      if (!lab_params_set_value (self->params, key, value, &error))
        g_debug ("Ignoring stored parameter %s: %s", key, error->message);
      g_variant_unref (value);
    }

  sync_all (self);
  emit_changed (self);
}

void
lab_param_controls_reset (LabParamControls *self)
{
  g_return_if_fail (LAB_IS_PARAM_CONTROLS (self));

  lab_param_controls_set_values (self, self->defaults);
}
