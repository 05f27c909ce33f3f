/* lab-run-history-compare.c — the runs selected in the history side by
 * side: their state, parameters (those that differ stand out), metrics,
 * and their times as bars; or a hint while fewer than two are selected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-bar-chart.h"
#include "lab-engine.h"
#include "lab-metric-cards.h"
#include "lab-run-history-private.h"

static GtkWidget *
grid_label (LabRunHistory *self,
            const char    *text,
            int            column,
            int            row,
            const char    *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  if (column == 0)
    {
      /* Row titles wrap rather than lose their end. */
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_widget_set_hexpand (label, TRUE);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), MIN (g_utf8_strlen (text, -1), 12));
      gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
      gtk_widget_set_tooltip_text (label, text);
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (self->compare_grid, label, column, row, 1, 1);

  return label;
}

static void
grid_section (LabRunHistory *self,
              const char    *title,
              int            row)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "compare-section");
  gtk_grid_attach (self->compare_grid, label, 0, row, self->compared->len + 1, 1);
}

/* The compared runs' times as bars side by side, one group per time. */
static void
compare_chart (LabRunHistory       *self,
               const LabExperiment *experiment,
               int                  row)
{
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_BARS, _("Times compared"),
                                             LAB_CHART_UNIT_SECONDS);
  GtkWidget *widget;
  guint n_bars = 0;

  for (guint m = 0; m < experiment->n_metrics; m++)
    {
      const LabMetricSpec *spec = &experiment->metrics[m];

      if (spec->kind != LAB_METRIC_SECONDS || (spec->flags & LAB_METRIC_FLAG_NO_CARD))
        continue;

      for (guint c = 0; c < self->compared->len; c++)
        {
          LabRunner *run = g_ptr_array_index (self->compared, c);
          GVariant *metrics = lab_runner_get_metrics (run);
          g_autoptr(GVariant) value = metrics ? lab_metrics_lookup (metrics, spec->key) : NULL;
          g_autofree char *series = lab_engine_run_title (run);

          if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
            continue;
          lab_chart_add_bar (chart, _(spec->label), series, g_variant_get_double (value), NAN, NAN);
          n_bars++;
        }
    }

  if (n_bars == 0)
    return;

  widget = lab_bar_chart_new ();
  gtk_widget_set_size_request (widget, -1, 260);
  gtk_widget_set_margin_top (widget, 12);
  lab_bar_chart_set_chart (LAB_BAR_CHART (widget), chart);
  gtk_grid_attach (self->compare_grid, widget, 0, row, self->compared->len + 1, 1);
}

void
lab_run_history_refresh_compare (LabRunHistory *self)
{
  const LabExperiment *experiment;
  const LabParams *first_params;
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid))) != NULL)
    gtk_grid_remove (self->compare_grid, child);

  if (self->compared->len < 2)
    {
      LabRunner *run = self->compared->len == 1 ? g_ptr_array_index (self->compared, 0) : NULL;

      if (run != NULL && lab_runner_get_trace_released (run))
        {
          g_autofree char *text = NULL;

          /* Translators: shown when an old run is selected; %u: its number, then
           * how many runs keep their timeline (a setting) */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The timeline of Run %u is no longer kept: only the last run keeps its timeline. Its parameters and metrics are still here.",
                                               "The timeline of Run %u is no longer kept: only the last %u runs keep theirs. Its parameters and metrics are still here.",
                                               self->kept_timelines),
                                  lab_run_get_index (run), self->kept_timelines);
          gtk_label_set_text (self->hint, text);
        }
      else
        gtk_label_set_text (self->hint, _("Select two or more runs with Ctrl+click to compare them side by side."));
      gtk_stack_set_visible_child_name (self->compare_stack, "hint");
      return;
    }

  experiment = lab_runner_get_experiment (g_ptr_array_index (self->compared, 0));
  first_params = lab_runner_get_params (g_ptr_array_index (self->compared, 0));

  for (guint c = 0; c < self->compared->len; c++)
    {
      LabRunner *run = g_ptr_array_index (self->compared, c);
      g_autofree char *title = lab_engine_run_title (run);

      grid_label (self, title, c + 1, row, "heading");
      grid_label (self, lab_run_state_to_label (lab_runner_get_state (run)), c + 1, row + 1,
                  lab_runner_get_state (run) == LAB_RUN_FAILED ? "error" : "dim-label");
    }
  grid_label (self, _("State"), 0, row + 1, "dim-label");
  row += 2;

  for (guint c = 0; c < self->compared->len; c++)
    if (lab_runner_get_trace_released (g_ptr_array_index (self->compared, c)))
      {
        /* Only when some timeline was dropped: which runs still have one. */
        grid_label (self, _("Timeline"), 0, row, "dim-label");
        for (guint k = 0; k < self->compared->len; k++)
          grid_label (self,
                      lab_runner_get_trace_released (g_ptr_array_index (self->compared, k))
                      ? C_("timeline", "Not kept") : C_("timeline", "Kept"),
                      k + 1, row, "dim-label");
        row++;
        break;
      }

  grid_section (self, _("Parameters"), row++);
  for (guint p = 0; p < lab_params_get_n_specs (first_params); p++)
    {
      const LabParamSpec *spec = lab_params_get_spec (first_params, p);
      g_autofree char *first = lab_params_format_value (first_params, spec->key);
      gboolean differs = FALSE;

      if (spec->flags & LAB_PARAM_FLAG_HIDDEN)
        continue;

      for (guint c = 1; c < self->compared->len && !differs; c++)
        {
          g_autofree char *other = lab_params_format_value (lab_runner_get_params (g_ptr_array_index (self->compared, c)),
                                                            spec->key);
          differs = g_strcmp0 (first, other) != 0;
        }

      grid_label (self, _(spec->label), 0, row, NULL);
      for (guint c = 0; c < self->compared->len; c++)
        {
          g_autofree char *value = lab_params_format_value (lab_runner_get_params (g_ptr_array_index (self->compared, c)),
                                                            spec->key);
          grid_label (self, value, c + 1, row, differs ? "compare-differs" : NULL);
        }
      row++;
    }

  grid_section (self, _("Metrics"), row++);
  for (guint m = 0; m < experiment->n_metrics; m++)
    {
      const LabMetricSpec *spec = &experiment->metrics[m];

      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;

      grid_label (self, _(spec->label), 0, row, NULL);
      for (guint c = 0; c < self->compared->len; c++)
        {
          GVariant *metrics = lab_runner_get_metrics (g_ptr_array_index (self->compared, c));
          g_autoptr(GVariant) value = metrics ? lab_metrics_lookup (metrics, spec->key) : NULL;
          g_autofree char *text = value ? lab_metric_format (spec, value) : g_strdup ("—");
          gboolean bad = (spec->flags & LAB_METRIC_FLAG_BAD_IF_NONZERO) &&
                         lab_metric_value_is_positive (value);
          GtkWidget *label = grid_label (self, text, c + 1, row, "numeric");

          if (bad)
            gtk_widget_add_css_class (label, "error");
        }
      row++;
    }

  compare_chart (self, experiment, row);
  gtk_stack_set_visible_child_name (self->compare_stack, "table");
}
