/* lab-engine-selector.c — the engine toggles of an experiment page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-application.h"
#include "lab-engine-selector.h"

#define SETTINGS_KEY "engines"

struct _LabEngineSelector
{
  GtkWidget  parent_instance;

  GtkWidget *buttons[LAB_ENGINE_BOTH + 1];
  char      *experiment_id;
  LabEngine  engine;
  gboolean   loading;
};

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LabEngineSelector, lab_engine_selector, GTK_TYPE_WIDGET)

static const struct
{
  const char *label;
  const char *tooltip;
} engine_texts[] = {
  [LAB_ENGINE_MODEL] = {
    NC_("engine", "Model"),
    N_("The lab’s C model of the program: a timeline of every step it takes"),
  },
  [LAB_ENGINE_CPYTHON] = {
    NC_("engine", "CPython"),
    N_("Your python3 runs the listing you see in the Python Code tab, traced: "
       "its threads and processes, when they were on a CPU, what it printed"),
  },
  [LAB_ENGINE_BOTH] = {
    NC_("engine", "Both"),
    N_("The model, then CPython, one after the other: both timelines on one time "
       "axis and every metric side by side"),
  },
};

/* The stored engine of @id, read from the a{ss}; FALSE when none. */
static gboolean
load_engine (const char *id,
             LabEngine  *engine)
{
  g_autoptr(GSettings) settings = lab_application_lookup_settings ();
  g_autoptr(GVariant) stored = NULL;
  g_autofree char *name = NULL;

  if (settings == NULL)
    return FALSE;
  stored = g_settings_get_value (settings, SETTINGS_KEY);
  if (!g_variant_lookup (stored, id, "s", &name))
    return FALSE;
  return lab_engine_from_string (name, engine);
}

static void
store_engine (const char *id,
              LabEngine   engine)
{
  g_autoptr(GSettings) settings = lab_application_lookup_settings ();
  g_autoptr(GVariant) stored = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  const char *name;

  if (settings == NULL)
    return;

  stored = g_settings_get_value (settings, SETTINGS_KEY);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, stored);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &name))
    if (g_strcmp0 (key, id) != 0)
      g_variant_builder_add (&builder, "{ss}", key, name);
  g_variant_builder_add (&builder, "{ss}", id, lab_engine_to_string (engine));
  g_settings_set_value (settings, SETTINGS_KEY, g_variant_builder_end (&builder));
}

static void
on_toggled (GtkToggleButton   *button,
            LabEngineSelector *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  for (guint i = 0; i <= LAB_ENGINE_BOTH; i++)
    if (self->buttons[i] == GTK_WIDGET (button) && self->engine != (LabEngine) i)
      {
        self->engine = (LabEngine) i;
        if (!self->loading)
          store_engine (self->experiment_id, self->engine);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
      }
}

static void
lab_engine_selector_dispose (GObject *object)
{
  LabEngineSelector *self = LAB_ENGINE_SELECTOR (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lab_engine_selector_parent_class)->dispose (object);
}

static void
lab_engine_selector_finalize (GObject *object)
{
  LabEngineSelector *self = LAB_ENGINE_SELECTOR (object);

  g_free (self->experiment_id);

  G_OBJECT_CLASS (lab_engine_selector_parent_class)->finalize (object);
}

static void
lab_engine_selector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabEngineSelector *self = LAB_ENGINE_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_int (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_engine_selector_class_init (LabEngineSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_engine_selector_dispose;
  object_class->finalize = lab_engine_selector_finalize;
  object_class->get_property = lab_engine_selector_get_property;

  properties[PROP_ENGINE] =
    g_param_spec_int ("engine", NULL, NULL, LAB_ENGINE_MODEL, LAB_ENGINE_BOTH, LAB_ENGINE_MODEL,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "engineselector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_engine_selector_init (LabEngineSelector *self)
{
  g_autoptr(GError) error = NULL;
  gboolean have_python = lab_engine_get_python (NULL, &error) != NULL;

  gtk_widget_add_css_class (GTK_WIDGET (self), "linked");
  gtk_widget_add_css_class (GTK_WIDGET (self), "engine-selector");
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Engine"), -1);

  for (guint i = 0; i <= LAB_ENGINE_BOTH; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (g_dpgettext2 (GETTEXT_PACKAGE, "engine",
                                                                          engine_texts[i].label));

      gtk_widget_set_hexpand (button, TRUE);
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button),
                                     GTK_TOGGLE_BUTTON (self->buttons[0]));
      if (i == LAB_ENGINE_MODEL || have_python)
        gtk_widget_set_tooltip_text (button, _(engine_texts[i].tooltip));
      else
        {
          /* The reason, in the place the student looks for it. */
          gtk_widget_set_tooltip_text (button, error->message);
          gtk_widget_set_sensitive (button, FALSE);
        }
      g_signal_connect (button, "toggled", G_CALLBACK (on_toggled), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      self->buttons[i] = button;
    }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[LAB_ENGINE_MODEL]), TRUE);
}

GtkWidget *
lab_engine_selector_new (const char *experiment_id)
{
  LabEngineSelector *self;
  LabEngine engine;

  g_return_val_if_fail (experiment_id != NULL, NULL);

  self = g_object_new (LAB_TYPE_ENGINE_SELECTOR, NULL);
  self->experiment_id = g_strdup (experiment_id);
  if (load_engine (experiment_id, &engine) &&
      gtk_widget_get_sensitive (self->buttons[engine]))
    {
      self->loading = TRUE;
      lab_engine_selector_set_engine (self, engine);
      self->loading = FALSE;
    }

  return GTK_WIDGET (self);
}

LabEngine
lab_engine_selector_get_engine (LabEngineSelector *self)
{
  g_return_val_if_fail (LAB_IS_ENGINE_SELECTOR (self), LAB_ENGINE_MODEL);

  return self->engine;
}

void
lab_engine_selector_set_engine (LabEngineSelector *self,
                                LabEngine          engine)
{
  g_return_if_fail (LAB_IS_ENGINE_SELECTOR (self));
  g_return_if_fail (engine <= LAB_ENGINE_BOTH);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[engine]), TRUE);
}

GtkWidget *
lab_engine_selector_get_button (LabEngineSelector *self,
                                LabEngine          engine)
{
  g_return_val_if_fail (LAB_IS_ENGINE_SELECTOR (self), NULL);
  g_return_val_if_fail (engine <= LAB_ENGINE_BOTH, NULL);

  return self->buttons[engine];
}
