/* lab-param-row.c — the control for one parameter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>
#include <math.h>

#include "lab-param-row.h"

/* Above this many steps a slider is useless: only the spin button is shown. */
#define MAX_SLIDER_STEPS 100000.0

struct _LabParamRow
{
  const LabParamSpec *spec;
  LabParams          *params;
  LabParamRowChanged  changed;
  gpointer            user_data;
  guint               syncing;

  GtkWidget          *row;
  GtkAdjustment      *adjustment;     /* numbers: the value (spin button) */
  GtkAdjustment      *log_adjustment; /* numbers on a log scale: the slider */
  GtkSpinButton      *spin;
  GtkSwitch          *toggle;
  AdwComboRow        *combo;
  GtkEditable        *entry;
};

/* ---- numbers ---- */

static double
log_range (const LabParamSpec *spec)
{
  return log1p (spec->max - spec->min);
}

static double
value_to_log (const LabParamSpec *spec,
              double              value)
{
  double range = log_range (spec);

  return range > 0 ? log1p (MAX (value - spec->min, 0)) / range : 0;
}

static double
log_to_value (const LabParamSpec *spec,
              double              t)
{
  return spec->min + expm1 (t * log_range (spec));
}

static double
snap_to_step (const LabParamSpec *spec,
              double              value)
{
  double step = spec->step > 0 ? spec->step : (spec->kind == LAB_PARAM_INT ? 1 : 0);

  if (step > 0)
    value = spec->min + round ((value - spec->min) / step) * step;
  if (spec->kind == LAB_PARAM_INT)
    value = round (value);

  return CLAMP (value, spec->min, spec->max);
}

static void
on_number_changed (GtkAdjustment *adjustment,
                   LabParamRow   *control)
{
  const LabParamSpec *spec = control->spec;
  double value = gtk_adjustment_get_value (adjustment);
  double snapped = snap_to_step (spec, value);
  g_autoptr(GError) error = NULL;
  GVariant *variant;

  if (control->syncing > 0)
    return;

  if (snapped != value)
    {
      /* Re-enters with the snapped value. */
      gtk_adjustment_set_value (adjustment, snapped);
      return;
    }

  if (spec->kind == LAB_PARAM_INT)
    variant = g_variant_new_int64 ((gint64) snapped);
  else
    variant = g_variant_new_double (snapped);

  if (!lab_params_set_value (control->params, spec->key, variant, &error))
    {
      g_warning ("Parameter %s: %s", spec->key, error->message);
      return;
    }

  if (control->log_adjustment != NULL)
    {
      control->syncing++;
      gtk_adjustment_set_value (control->log_adjustment, value_to_log (spec, snapped));
      control->syncing--;
    }

  control->changed (control->user_data);
}

static void
on_log_changed (GtkAdjustment *log_adjustment,
                LabParamRow   *control)
{
  if (control->syncing > 0)
    return;

  gtk_adjustment_set_value (control->adjustment,
                            snap_to_step (control->spec,
                                          log_to_value (control->spec,
                                                        gtk_adjustment_get_value (log_adjustment))));
}

/* ---- the wheel ----
 *
 * The parameters sit in a scrolled pane. A wheel turned to scroll the pane
 * must not change the slider or the number that happens to pass under the
 * pointer: their own scroll handlers are reached only after this one, in
 * the capture phase, which hands the wheel to the pane instead. A spin
 * button with the keyboard focus keeps the wheel: the user chose it. */

static gboolean
on_wheel (GtkEventControllerScroll *controller,
          double                    dx,
          double                    dy,
          gpointer                  user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *pane = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkAdjustment *adjustment;
  double step;

  if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
    return FALSE;
  if (pane == NULL)
    return TRUE; /* nowhere to scroll: the wheel changes nothing */

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (pane));
  /* A wheel's click scrolls as far as GtkScrolledWindow's own would. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    step = pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  else
    step = 1.0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);

  return TRUE;
}

static void
wheel_scrolls_pane (GtkWidget *widget)
{
  GtkEventController *wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_event_controller_set_propagation_phase (wheel, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (wheel, "lab-wheel-scrolls-pane");
  g_signal_connect (wheel, "scroll", G_CALLBACK (on_wheel), NULL);
  gtk_widget_add_controller (widget, wheel);
}

static guint
spec_digits (const LabParamSpec *spec)
{
  if (spec->kind == LAB_PARAM_INT || spec->step <= 0 || spec->step >= 1)
    return spec->kind == LAB_PARAM_INT ? 0 : (spec->step >= 1 ? 0 : 2);

  return CLAMP ((guint) ceil (-log10 (spec->step) - 1e-9), 1, 4);
}

static GtkWidget *
build_title_label (const LabParamSpec *spec,
                   GtkWidget          *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_text_with_mnemonic (GTK_LABEL (label), _(spec->label));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);

  return label;
}

static GtkWidget *
build_number (LabParamRow *control)
{
  const LabParamSpec *spec = control->spec;
  double step = spec->step > 0 ? spec->step : (spec->kind == LAB_PARAM_INT ? 1 : 0.1);
  gboolean log_scale = (spec->flags & LAB_PARAM_FLAG_LOG_SCALE) != 0;
  gboolean slider = log_scale || (spec->max - spec->min) / step <= MAX_SLIDER_STEPS;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *top;
  GtkWidget *spin;
  guint digits = spec_digits (spec);
  char max_text[32];
  int width_chars;

  control->adjustment = g_object_ref_sink (gtk_adjustment_new (spec->def_num, spec->min, spec->max,
                                                               step, step * 10, 0));
  g_signal_connect (control->adjustment, "value-changed",
                    G_CALLBACK (on_number_changed), control);

  spin = gtk_spin_button_new (control->adjustment, step, digits);
  control->spin = GTK_SPIN_BUTTON (spin);
  wheel_scrolls_pane (spin);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  width_chars = g_snprintf (max_text, sizeof max_text, "%.0f", MAX (fabs (spec->max), fabs (spec->min)));
  width_chars = CLAMP (width_chars + (int) digits + (digits > 0), 3, 10);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), width_chars);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(spec->label),
                                  -1);

  row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->label));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "param-row");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (box, "param-number");
  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (top), build_title_label (spec, spin));
  gtk_box_append (GTK_BOX (top), spin);
  if (spec->unit != NULL && *spec->unit != '\0')
    {
      GtkWidget *unit = gtk_label_new (_(spec->unit));

      gtk_widget_add_css_class (unit, "dim-label");
      gtk_box_append (GTK_BOX (top), unit);
    }
  gtk_box_append (GTK_BOX (box), top);

  if (slider)
    {
      GtkWidget *scale;

      if (log_scale)
        {
          control->log_adjustment = g_object_ref_sink (gtk_adjustment_new (value_to_log (spec, spec->def_num),
                                                                           0, 1, 0.001, 0.05, 0));
          g_signal_connect (control->log_adjustment, "value-changed",
                            G_CALLBACK (on_log_changed), control);
          scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, control->log_adjustment);
        }
      else
        {
          scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, control->adjustment);
          gtk_range_set_round_digits (GTK_RANGE (scale), digits);
        }

      gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
      wheel_scrolls_pane (scale);
      gtk_widget_set_hexpand (scale, TRUE);
      gtk_widget_set_focusable (scale, FALSE); /* the spin button takes the keyboard */
      gtk_accessible_update_property (GTK_ACCESSIBLE (scale),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(spec->label),
                                      -1);
      gtk_box_append (GTK_BOX (box), scale);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

/* ---- switches, choices, text ---- */

static void
on_switch_active (GtkSwitch  *toggle,
                  GParamSpec *pspec,
                  LabParamRow *control)
{
  g_autoptr(GError) error = NULL;

  if (control->syncing > 0)
    return;

  if (!lab_params_set_value (control->params, control->spec->key,
                             g_variant_new_boolean (gtk_switch_get_active (toggle)), &error))
    g_warning ("Parameter %s: %s", control->spec->key, error->message);
  else
    control->changed (control->user_data);
}

static GtkWidget *
build_bool (LabParamRow *control)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(control->spec->label));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(control->spec->label),
                                  -1);

  control->toggle = GTK_SWITCH (toggle);
  gtk_switch_set_active (control->toggle, control->spec->def_bool);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (on_switch_active), control);

  return row;
}

static void
on_combo_selected (AdwComboRow *combo,
                   GParamSpec  *pspec,
                   LabParamRow *control)
{
  guint selected = adw_combo_row_get_selected (combo);
  g_autoptr(GError) error = NULL;

  if (control->syncing > 0 || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (!lab_params_set_value (control->params, control->spec->key,
                             g_variant_new_string (control->spec->choices[selected].nick),
                             &error))
    g_warning ("Parameter %s: %s", control->spec->key, error->message);
  else
    control->changed (control->user_data);
}

static GtkWidget *
build_enum (LabParamRow *control)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; control->spec->choices != NULL && control->spec->choices[i].nick != NULL; i++)
    gtk_string_list_append (labels, _(control->spec->choices[i].label));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(control->spec->label));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  control->combo = ADW_COMBO_ROW (row);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_combo_selected), control);

  return row;
}

static void
on_entry_changed (GtkEditable *entry,
                  LabParamRow *control)
{
  g_autoptr(GError) error = NULL;

  if (control->syncing > 0)
    return;

  if (!lab_params_parse (control->params, control->spec->key,
                         gtk_editable_get_text (entry), &error))
    {
      gtk_widget_add_css_class (control->row, "error");
      gtk_widget_set_tooltip_text (control->row, error->message);
      return;
    }

  gtk_widget_remove_css_class (control->row, "error");
  gtk_widget_set_tooltip_text (control->row,
                               control->spec->tooltip ? _(control->spec->tooltip) : NULL);
  control->changed (control->user_data);
}

static GtkWidget *
build_text (LabParamRow *control)
{
  GtkWidget *row = adw_entry_row_new ();
  const char *title = _(control->spec->label);
  g_autofree char *list_title = NULL;

  if (control->spec->kind == LAB_PARAM_TEXT_LIST)
    {
      /* Translators: title of a text field that takes a list; %s is its label */
      list_title = g_strdup_printf (_("%s (comma-separated)"), title);
      title = list_title;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  control->entry = GTK_EDITABLE (row);
  g_signal_connect (row, "changed", G_CALLBACK (on_entry_changed), control);

  return row;
}

/* ---- values into widgets ---- */

void
lab_param_row_sync (LabParamRow *control)
{
  const LabParamSpec *spec = control->spec;

  control->syncing++;

  switch (spec->kind)
    {
    case LAB_PARAM_INT:
    case LAB_PARAM_DOUBLE:
      {
        double value = spec->kind == LAB_PARAM_INT
                       ? (double) lab_params_get_int (control->params, spec->key)
                       : lab_params_get_double (control->params, spec->key);

        gtk_adjustment_set_value (control->adjustment, value);
        if (control->log_adjustment != NULL)
          gtk_adjustment_set_value (control->log_adjustment, value_to_log (spec, value));
      }
      break;

    case LAB_PARAM_BOOL:
      gtk_switch_set_active (control->toggle, lab_params_get_bool (control->params, spec->key));
      break;

    case LAB_PARAM_ENUM:
      {
        const char *nick = lab_params_get_string (control->params, spec->key);

        for (guint i = 0; spec->choices != NULL && spec->choices[i].nick != NULL; i++)
          if (g_strcmp0 (spec->choices[i].nick, nick) == 0)
            adw_combo_row_set_selected (control->combo, i);
      }
      break;

    case LAB_PARAM_TEXT:
    case LAB_PARAM_TEXT_LIST:
      {
        g_autofree char *text = lab_params_format_value (control->params, spec->key);

        gtk_editable_set_text (control->entry, text ? text : "");
        gtk_widget_remove_css_class (control->row, "error");
      }
      break;

    default:
      break;
    }

  control->syncing--;
}

void
lab_param_row_commit (LabParamRow *control)
{
  /* A number typed but not yet confirmed with Enter or by leaving the
   * field is still only text: the value is what the user sees. */
  if (control->spin != NULL)
    gtk_spin_button_update (control->spin);
}

void
lab_param_row_free (LabParamRow *control)
{

  if (control->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (control->adjustment, control);
  if (control->log_adjustment != NULL)
    g_signal_handlers_disconnect_by_data (control->log_adjustment, control);
  g_clear_object (&control->adjustment);
  g_clear_object (&control->log_adjustment);
  g_free (control);
}

LabParamRow *
lab_param_row_new (const LabParamSpec *spec,
                   LabParams          *params,
                   LabParamRowChanged  changed,
                   gpointer            user_data)
{
  LabParamRow *control;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  control = g_new0 (LabParamRow, 1);
  control->spec = spec;
  control->params = params;
  control->changed = changed;
  control->user_data = user_data;

  switch (spec->kind)
    {
    case LAB_PARAM_INT:
    case LAB_PARAM_DOUBLE:
      control->row = build_number (control);
      break;
    case LAB_PARAM_BOOL:
      control->row = build_bool (control);
      break;
    case LAB_PARAM_ENUM:
      control->row = build_enum (control);
      break;
    case LAB_PARAM_TEXT:
    case LAB_PARAM_TEXT_LIST:
      control->row = build_text (control);
      break;
    default:
      g_free (control);
      return NULL;
    }

  if (spec->tooltip != NULL)
    gtk_widget_set_tooltip_text (control->row, _(spec->tooltip));

  lab_param_row_sync (control);

  return control;
}

const char *
lab_param_row_get_key (LabParamRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->spec->key;
}

GtkWidget *
lab_param_row_get_widget (LabParamRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->row;
}
