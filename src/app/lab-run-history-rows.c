/* lab-run-history-rows.c — one row of the run history: the run's number,
 * its engine, when it started and how it ended, its parameters and its
 * key metrics (or the error that ended it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-engine.h"
#include "lab-run-history-private.h"

/* More would not fit on the row's one line of metrics. */
#define MAX_ROW_METRICS 4

static char *
format_key_metrics (LabRunner *run)
{
  return lab_metrics_format_line (lab_runner_get_experiment (run), lab_runner_get_metrics (run),
                                  " · ", MAX_ROW_METRICS);
}

static GtkWidget *row_label (GtkWidget  *box,
                             const char *css_class,
                             gboolean    ellipsize);

/* Which engine made the run: a badge before its state. */
static void
add_engine_badge (GtkWidget *row,
                  GtkWidget *box)
{
  GtkWidget *badge = row_label (box, "caption", FALSE);

  gtk_widget_add_css_class (badge, "engine-badge");
  g_object_set_data (G_OBJECT (row), "engine", badge);
}

static void
update_engine_badge (GtkWidget *row,
                     LabRunner *run)
{
  GtkWidget *badge = g_object_get_data (G_OBJECT (row), "engine");
  g_autofree char *text = lab_engine_run_badge (run);

  gtk_label_set_text (GTK_LABEL (badge), text);
  if (lab_engine_run_is_cpython (run))
    gtk_widget_add_css_class (badge, "cpython");
}

void
lab_run_history_update_row (GtkWidget *row)
{
  LabRunner *run = g_object_get_data (G_OBJECT (row), "run");
  GtkLabel *title = g_object_get_data (G_OBJECT (row), "title");
  GtkLabel *state = g_object_get_data (G_OBJECT (row), "state");
  GtkLabel *params = g_object_get_data (G_OBJECT (row), "params");
  GtkLabel *metrics = g_object_get_data (G_OBJECT (row), "metrics");
  LabRunState run_state = lab_runner_get_state (run);
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *title_text = NULL;
  g_autofree char *params_text = lab_params_describe (lab_runner_get_params (run), NULL);
  g_autofree char *metrics_text = NULL;
  GtkWidget *parent;

  if (lab_runner_get_started_at (run) > 0)
    started = g_date_time_new_from_unix_local (lab_runner_get_started_at (run) / G_USEC_PER_SEC);
  if (started != NULL)
    time_text = g_date_time_format (started, "%X");

  title_text = lab_engine_run_title (run);
  gtk_label_set_text (title, title_text);
  update_engine_badge (row, run);
  g_object_set_data_full (G_OBJECT (row), "time", g_steal_pointer (&time_text), g_free);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "time-label"),
                      g_object_get_data (G_OBJECT (row), "time"));

  gtk_label_set_text (state, lab_run_state_to_label (run_state));
  gtk_widget_remove_css_class (GTK_WIDGET (state), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (state), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (state), "accent");
  if (run_state == LAB_RUN_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (state), "error");
  else if (run_state == LAB_RUN_STOPPED)
    gtk_widget_add_css_class (GTK_WIDGET (state), "warning");
  else if (run_state == LAB_RUN_RUNNING)
    gtk_widget_add_css_class (GTK_WIDGET (state), "accent");

  gtk_label_set_text (params, params_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (params), params_text);

  if (run_state == LAB_RUN_FAILED && lab_runner_get_error (run) != NULL)
    metrics_text = g_strdup (lab_runner_get_error (run)->message);
  else
    metrics_text = format_key_metrics (run);
  gtk_label_set_text (metrics, metrics_text);
  gtk_widget_set_visible (GTK_WIDGET (metrics), metrics_text[0] != '\0');
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "released"),
                          lab_runner_get_trace_released (run));

  parent = gtk_widget_get_ancestor (row, LAB_TYPE_RUN_HISTORY);
  if (parent != NULL)
    lab_run_history_refresh_compare (LAB_RUN_HISTORY (parent));
}

static GtkWidget *
row_label (GtkWidget  *box,
           const char *css_class,
           gboolean    ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);

  return label;
}

GtkWidget *
lab_run_history_create_row (gpointer item,
                            gpointer user_data)
{
  LabRunner *run = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title;
  GtkWidget *time_label;
  GtkWidget *state;

  gtk_widget_add_css_class (row, "history-row");
  gtk_widget_add_css_class (box, "history-row-box");

  title = row_label (top, "heading", FALSE);
  time_label = row_label (top, "dim-label", FALSE);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_set_hexpand (time_label, TRUE);
  add_engine_badge (row, top);
  state = row_label (top, "caption-heading", FALSE);
  gtk_widget_add_css_class (state, "run-state");
  gtk_box_append (GTK_BOX (box), top);

  g_object_set_data (G_OBJECT (row), "params", row_label (box, "caption", TRUE));
  gtk_widget_add_css_class (g_object_get_data (G_OBJECT (row), "params"), "dim-label");
  g_object_set_data (G_OBJECT (row), "metrics", row_label (box, "caption", FALSE));
  g_object_set_data (G_OBJECT (row), "released", row_label (box, "caption", FALSE));
  gtk_widget_add_css_class (g_object_get_data (G_OBJECT (row), "released"), "dim-label");
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "released"),
                      _("Timeline no longer kept"));

  g_object_set_data_full (G_OBJECT (row), "run", g_object_ref (run), g_object_unref);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "time-label", time_label);
  g_object_set_data (G_OBJECT (row), "state", state);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_signal_connect_object (run, "finished", G_CALLBACK (lab_run_history_update_row),
                           row, G_CONNECT_SWAPPED);
  lab_run_history_update_row (row);

  return row;
}
