/* lab-sweep-popover.c — asks for a sweep: which count, FROM..TO, repeats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-sweep-popover.h"

#define DEFAULT_SWEEP_TO 8
#define MAX_REPEAT       10

struct _LabSweepPopover
{
  GtkPopover           parent_instance;

  const LabExperiment *experiment;
  GPtrArray           *keys;      /* const LabParamSpec *, sweepable ints */
  GtkDropDown         *key_dropdown;
  GtkSpinButton       *from_spin;
  GtkSpinButton       *to_spin;
  GtkSpinButton       *repeat_spin;
};

G_DEFINE_FINAL_TYPE (LabSweepPopover, lab_sweep_popover, GTK_TYPE_POPOVER)

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_sweepable (const LabParamSpec *spec)
{
  return spec->kind == LAB_PARAM_INT && (spec->flags & LAB_PARAM_FLAG_SWEEPABLE) != 0;
}

gboolean
lab_sweep_popover_can_sweep (const LabExperiment *experiment)
{
  g_return_val_if_fail (experiment != NULL, FALSE);

  for (guint i = 0; i < experiment->n_params; i++)
    if (is_sweepable (&experiment->params[i]))
      return TRUE;

  return FALSE;
}

static const LabParamSpec *
selected_spec (LabSweepPopover *self)
{
  guint index = self->key_dropdown != NULL ? gtk_drop_down_get_selected (self->key_dropdown) : 0;

  if (index >= self->keys->len)
    index = 0;

  return g_ptr_array_index (self->keys, index);
}

static void
update_ranges (LabSweepPopover *self)
{
  const LabParamSpec *spec = selected_spec (self);
  double from = MAX (spec->min, 1);
  double to = MAX (from, MIN (spec->max, DEFAULT_SWEEP_TO));

  gtk_spin_button_set_range (self->from_spin, spec->min, spec->max);
  gtk_spin_button_set_range (self->to_spin, spec->min, spec->max);
  gtk_spin_button_set_value (self->from_spin, from);
  gtk_spin_button_set_value (self->to_spin, to);
}

static void
on_from_changed (LabSweepPopover *self)
{
  /* FROM <= TO: move TO up when FROM passes it. */
  if (gtk_spin_button_get_value (self->to_spin) < gtk_spin_button_get_value (self->from_spin))
    gtk_spin_button_set_value (self->to_spin, gtk_spin_button_get_value (self->from_spin));
}

static void
on_to_changed (LabSweepPopover *self)
{
  if (gtk_spin_button_get_value (self->from_spin) > gtk_spin_button_get_value (self->to_spin))
    gtk_spin_button_set_value (self->from_spin, gtk_spin_button_get_value (self->to_spin));
}

static void
on_start_clicked (LabSweepPopover *self)
{
  const LabParamSpec *spec = selected_spec (self);

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[START], 0, spec->key,
                 (gint64) gtk_spin_button_get_value_as_int (self->from_spin),
                 (gint64) gtk_spin_button_get_value_as_int (self->to_spin),
                 (guint) gtk_spin_button_get_value_as_int (self->repeat_spin));
}

static GtkWidget *
add_row (GtkGrid    *grid,
         int         row,
         const char *title,
         GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);

  return widget;
}

static void
lab_sweep_popover_build (LabSweepPopover *self)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *title = gtk_label_new (_("Sweep a Count"));
  GtkWidget *hint = gtk_label_new (_("Runs the experiment once per value and plots the speed-up against it."));
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Start Sweep"));
  int row = 0;

  gtk_grid_set_row_spacing (grid, 8);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_widget_set_margin_start (GTK_WIDGET (grid), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (grid), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (grid), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (grid), 6);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_grid_attach (grid, title, 0, row++, 2, 1);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 32);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_grid_attach (grid, hint, 0, row++, 2, 1);

  if (self->keys->len > 1)
    {
      GtkStringList *labels = gtk_string_list_new (NULL);

      for (guint i = 0; i < self->keys->len; i++)
        gtk_string_list_append (labels, _(((const LabParamSpec *) g_ptr_array_index (self->keys, i))->label));
      self->key_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (labels), NULL));
      add_row (grid, row++, _("_Parameter"), GTK_WIDGET (self->key_dropdown));
      g_signal_connect_object (self->key_dropdown, "notify::selected",
                               G_CALLBACK (update_ranges), self, G_CONNECT_SWAPPED);
    }
  else
    {
      const LabParamSpec *spec = g_ptr_array_index (self->keys, 0);
      GtkWidget *key = gtk_label_new (_(spec->label));

      gtk_label_set_xalign (GTK_LABEL (key), 0);
      add_row (grid, row++, _("Parameter"), key);
    }

  self->from_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 1));
  self->to_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 1));
  self->repeat_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX_REPEAT, 1));
  /* Translators: the first value of a sweep */
  add_row (grid, row++, _("_From"), GTK_WIDGET (self->from_spin));
  /* Translators: the last value of a sweep */
  add_row (grid, row++, _("_To"), GTK_WIDGET (self->to_spin));
  add_row (grid, row++, _("_Repeats"), GTK_WIDGET (self->repeat_spin));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->repeat_spin),
                               _("Runs per value; the median time is used"));
  update_ranges (self);
  g_signal_connect_object (self->from_spin, "value-changed",
                           G_CALLBACK (on_from_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->to_spin, "value-changed",
                           G_CALLBACK (on_to_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_add_css_class (start, "suggested-action");
  gtk_widget_set_margin_top (start, 4);
  g_signal_connect_object (start, "clicked", G_CALLBACK (on_start_clicked), self, G_CONNECT_SWAPPED);
  gtk_grid_attach (grid, start, 0, row, 2, 1);

  gtk_popover_set_child (GTK_POPOVER (self), GTK_WIDGET (grid));
  gtk_popover_set_default_widget (GTK_POPOVER (self), start);
}

static void
lab_sweep_popover_finalize (GObject *object)
{
  LabSweepPopover *self = LAB_SWEEP_POPOVER (object);

  g_clear_pointer (&self->keys, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_sweep_popover_parent_class)->finalize (object);
}

static void
lab_sweep_popover_class_init (LabSweepPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_sweep_popover_finalize;

  signals[START] = g_signal_new ("start",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 4,
                                 G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_UINT);
}

static void
lab_sweep_popover_init (LabSweepPopover *self)
{
  self->keys = g_ptr_array_new ();
}

GtkWidget *
lab_sweep_popover_new (const LabExperiment *experiment)
{
  LabSweepPopover *self;

  g_return_val_if_fail (lab_sweep_popover_can_sweep (experiment), NULL);

  self = g_object_new (LAB_TYPE_SWEEP_POPOVER, NULL);
  self->experiment = experiment;
  for (guint i = 0; i < experiment->n_params; i++)
    if (is_sweepable (&experiment->params[i]))
      g_ptr_array_add (self->keys, (gpointer) &experiment->params[i]);
  lab_sweep_popover_build (self);

  return GTK_WIDGET (self);
}
