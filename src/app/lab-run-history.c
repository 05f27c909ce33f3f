/* lab-run-history.c — run history list and comparison table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-application.h"
#include "lab-bar-chart.h"
#include "lab-engine.h"
#include "lab-metric-cards.h"
#include "lab-run-history.h"

#define MAX_COMPARED 6
#define MAX_ROW_METRICS 4
#define DEFAULT_KEPT_TIMELINES 20
#define MAX_KEPT_TIMELINES 1000
/* The GSettings key that sets kept-timelines, when the schema is installed. */
#define KEPT_TIMELINES_KEY "history-timelines"

struct _LabRunHistory
{
  GtkWidget   parent_instance;

  GtkWidget  *paned;
  GtkListBox *list;
  GtkStack   *compare_stack;
  GtkGrid    *compare_grid;
  GtkLabel   *hint;

  GListModel *runs;
  GPtrArray  *compared; /* LabRunner */
  guint       syncing;
  guint       kept_timelines;
  GSettings  *settings;  /* NULL if the schema is not installed */
};

G_DEFINE_FINAL_TYPE (LabRunHistory, lab_run_history, GTK_TYPE_WIDGET)

enum {
  RUN_SELECTED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_KEPT_TIMELINES,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

static GQuark
run_index_quark (void)
{
  return g_quark_from_static_string ("lab-run-index");
}

void
lab_run_set_index (LabRunner *run,
                   guint      index)
{
  g_object_set_qdata (G_OBJECT (run), run_index_quark (), GUINT_TO_POINTER (index));
}

guint
lab_run_get_index (LabRunner *run)
{
  guint index = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (run), run_index_quark ()));

  return index != 0 ? index : lab_runner_get_number (run);
}

const char *
lab_run_state_to_label (LabRunState state)
{
  switch (state)
    {
    case LAB_RUN_READY:
      return C_("run state", "Ready");
    case LAB_RUN_RUNNING:
      return C_("run state", "Running…");
    case LAB_RUN_DONE:
      return C_("run state", "Done");
    case LAB_RUN_FAILED:
      return C_("run state", "Failed");
    case LAB_RUN_STOPPED:
      return C_("run state", "Stopped");
    default:
      return "";
    }
}

static void refresh_compare (LabRunHistory *self);

/* ---- rows ---- */

static char *
format_key_metrics (LabRunner *run)
{
  const LabExperiment *experiment = lab_runner_get_experiment (run);
  GVariant *metrics = lab_runner_get_metrics (run);
  GString *text = g_string_new (NULL);
  guint shown = 0;

  if (metrics == NULL)
    return g_string_free (text, FALSE);

  for (guint i = 0; i < experiment->n_metrics && shown < MAX_ROW_METRICS; i++)
    {
      const LabMetricSpec *spec = &experiment->metrics[i];
      g_autoptr(GVariant) value = NULL;
      g_autofree char *formatted = NULL;

      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;
      value = lab_metrics_lookup (metrics, spec->key);
      if (value == NULL)
        continue;

      formatted = lab_metric_format (spec, value);
      if (shown++ > 0)
        g_string_append (text, " · ");
      /* Translators: a metric in a history row: "Lost updates 7" */
      g_string_append_printf (text, C_("history metric", "%s %s"), _(spec->label), formatted);
    }

  return g_string_free (text, FALSE);
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

static void
row_update (GtkWidget *row)
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
    refresh_compare (LAB_RUN_HISTORY (parent));
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

static GtkWidget *
create_row (gpointer item,
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

  g_signal_connect_object (run, "finished", G_CALLBACK (row_update), row, G_CONNECT_SWAPPED);
  row_update (row);

  return row;
}

/* ---- the comparison table ---- */

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

static void
refresh_compare (LabRunHistory *self)
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

static void
on_selected_rows_changed (LabRunHistory *self)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->list);

  g_ptr_array_set_size (self->compared, 0);

  /* In list order (newest first), shown oldest first. */
  for (GList *l = g_list_last (rows); l != NULL && self->compared->len < MAX_COMPARED; l = l->prev)
    g_ptr_array_add (self->compared, g_object_ref (g_object_get_data (l->data, "run")));

  refresh_compare (self);

  if (self->syncing == 0 && self->compared->len == 1)
    g_signal_emit (self, signals[RUN_SELECTED], 0, g_ptr_array_index (self->compared, 0));
}

/* ---- the widget ---- */

static void
lab_run_history_dispose (GObject *object)
{
  LabRunHistory *self = LAB_RUN_HISTORY (object);

  /* The list loses its rows one by one as it goes: of two compared runs
   * one is left for a moment, which is no choice of the user's and must
   * not be announced as "run-selected" to a page that is going too. */
  self->syncing++;
  if (self->paned != NULL)
    {
      gtk_widget_unparent (self->paned);
      self->paned = NULL;
    }
  if (self->runs != NULL)
    g_signal_handlers_disconnect_by_data (self->runs, self);
  g_clear_object (&self->runs);
  g_clear_pointer (&self->compared, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lab_run_history_parent_class)->dispose (object);
}

static void
lab_run_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabRunHistory *self = LAB_RUN_HISTORY (object);

  switch (prop_id)
    {
    case PROP_KEPT_TIMELINES:
      g_value_set_uint (value, self->kept_timelines);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_run_history_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LabRunHistory *self = LAB_RUN_HISTORY (object);

  switch (prop_id)
    {
    case PROP_KEPT_TIMELINES:
      lab_run_history_set_kept_timelines (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ---- keeping the timelines of the last runs only ---- */

/* Runs are newest first: those from position kept_timelines on lose their
 * trace once finished (a run still going is always at the top). */
static void
release_old_traces (LabRunHistory *self)
{
  guint n;

  if (self->runs == NULL)
    return;

  n = g_list_model_get_n_items (self->runs);
  for (guint i = self->kept_timelines; i < n; i++)
    {
      g_autoptr(LabRunner) run = g_list_model_get_item (self->runs, i);
      LabRunState state = lab_runner_get_state (run);
      GtkListBoxRow *row;

      if (lab_runner_get_trace_released (run) || state == LAB_RUN_READY || state == LAB_RUN_RUNNING)
        continue;
      lab_runner_release_trace (run);
      row = gtk_list_box_get_row_at_index (self->list, i);
      if (row != NULL && g_object_get_data (G_OBJECT (row), "run") == (gpointer) run)
        row_update (GTK_WIDGET (row));
    }
}

static void
on_runs_changed (LabRunHistory *self)
{
  release_old_traces (self);
}

static void
bind_settings (LabRunHistory *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  self->settings = lab_application_lookup_settings ();
  if (self->settings == NULL)
    return;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, KEPT_TIMELINES_KEY))
    {
      g_clear_object (&self->settings);
      return;
    }
  g_settings_bind (self->settings, KEPT_TIMELINES_KEY, self, "kept-timelines", G_SETTINGS_BIND_GET);
}

static void
lab_run_history_class_init (LabRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_run_history_dispose;
  object_class->get_property = lab_run_history_get_property;
  object_class->set_property = lab_run_history_set_property;

  /**
   * LabRunHistory:kept-timelines:
   *
   * How many of the newest runs keep their timeline (their trace); older
   * ones keep only their parameters and metrics, so that a long session
   * does not hold every event it ever recorded.
   */
  properties[PROP_KEPT_TIMELINES] =
    g_param_spec_uint ("kept-timelines", NULL, NULL,
                       1, MAX_KEPT_TIMELINES, DEFAULT_KEPT_TIMELINES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabRunHistory::run-selected:
   * @run: the LabRunner of the row
   *
   * A single run was selected by the user: show it.
   */
  signals[RUN_SELECTED] = g_signal_new ("run-selected",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, LAB_TYPE_RUNNER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runhistory");
}

static void
lab_run_history_init (LabRunHistory *self)
{
  GtkWidget *scroller;
  GtkWidget *placeholder;
  GtkWidget *hint;
  GtkWidget *compare_scroller;

  self->compared = g_ptr_array_new_with_free_func (g_object_unref);
  self->kept_timelines = DEFAULT_KEPT_TIMELINES;

  self->paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_shrink_start_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_position (GTK_PANED (self->paned), 320);
  gtk_widget_set_parent (self->paned, GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_MULTIPLE);
  /* A click selects one run, Ctrl+click adds one for comparison. */
  gtk_list_box_set_activate_on_single_click (self->list, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "history-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Runs"),
                                  -1);
  placeholder = gtk_label_new (_("No runs yet. Press Run to start one."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  g_signal_connect_swapped (self->list, "selected-rows-changed",
                            G_CALLBACK (on_selected_rows_changed), self);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroller, 240, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_paned_set_start_child (GTK_PANED (self->paned), scroller);

  self->compare_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->compare_stack), 200, -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->compare_stack), "compare-pane");

  hint = gtk_label_new (_("Select two or more runs with Ctrl+click to compare them side by side."));
  self->hint = GTK_LABEL (hint);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_justify (GTK_LABEL (hint), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_start (hint, 24);
  gtk_widget_set_margin_end (hint, 24);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_stack_add_named (self->compare_stack, hint, "hint");

  self->compare_grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->compare_grid, 18);
  gtk_grid_set_row_spacing (self->compare_grid, 4);
  gtk_widget_add_css_class (GTK_WIDGET (self->compare_grid), "compare-table");
  compare_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (compare_scroller),
                                 GTK_WIDGET (self->compare_grid));
  gtk_stack_add_named (self->compare_stack, compare_scroller, "table");
  gtk_stack_set_visible_child_name (self->compare_stack, "hint");

  gtk_paned_set_end_child (GTK_PANED (self->paned), GTK_WIDGET (self->compare_stack));

  bind_settings (self);
}

GtkWidget *
lab_run_history_new (void)
{
  return g_object_new (LAB_TYPE_RUN_HISTORY, NULL);
}

void
lab_run_history_set_runs (LabRunHistory *self,
                          GListModel    *runs)
{
  g_return_if_fail (LAB_IS_RUN_HISTORY (self));

  if (self->runs != NULL)
    g_signal_handlers_disconnect_by_data (self->runs, self);
  g_set_object (&self->runs, runs);
  gtk_list_box_bind_model (self->list, runs, create_row, NULL, NULL);
  /* After the list box made its rows (connected after it). */
  if (runs != NULL)
    g_signal_connect_object (runs, "items-changed", G_CALLBACK (on_runs_changed), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  release_old_traces (self);
}

void
lab_run_history_set_kept_timelines (LabRunHistory *self,
                                    guint          n)
{
  g_return_if_fail (LAB_IS_RUN_HISTORY (self));
  g_return_if_fail (n >= 1 && n <= MAX_KEPT_TIMELINES);

  if (self->kept_timelines == n)
    return;
  self->kept_timelines = n;
  release_old_traces (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEPT_TIMELINES]);
}

guint
lab_run_history_get_kept_timelines (LabRunHistory *self)
{
  g_return_val_if_fail (LAB_IS_RUN_HISTORY (self), 0);

  return self->kept_timelines;
}

void
lab_run_history_select_run (LabRunHistory *self,
                            LabRunner     *run)
{
  GtkListBoxRow *row;

  g_return_if_fail (LAB_IS_RUN_HISTORY (self));

  self->syncing++;
  gtk_list_box_unselect_all (self->list);
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
    if (g_object_get_data (G_OBJECT (row), "run") == (gpointer) run)
      {
        gtk_list_box_select_row (self->list, row);
        break;
      }
  self->syncing--;
}

void
lab_run_history_select_positions (LabRunHistory *self,
                                  const guint   *positions,
                                  guint          n_positions)
{
  g_return_if_fail (LAB_IS_RUN_HISTORY (self));

  gtk_list_box_unselect_all (self->list);
  for (guint i = 0; i < n_positions; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, positions[i]);

      if (row != NULL)
        gtk_list_box_select_row (self->list, row);
    }
}

guint
lab_run_history_get_n_compared (LabRunHistory *self)
{
  g_return_val_if_fail (LAB_IS_RUN_HISTORY (self), 0);

  return self->compared->len >= 2 ? self->compared->len : 0;
}

LabChart *
lab_run_history_get_compare_chart (LabRunHistory *self)
{
  g_return_val_if_fail (LAB_IS_RUN_HISTORY (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (LAB_IS_BAR_CHART (child))
      return lab_bar_chart_get_chart (LAB_BAR_CHART (child));
  return NULL;
}

const char *
lab_run_history_get_hint (LabRunHistory *self)
{
  g_return_val_if_fail (LAB_IS_RUN_HISTORY (self), NULL);

  return gtk_label_get_text (self->hint);
}
