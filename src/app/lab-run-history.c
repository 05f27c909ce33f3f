/* lab-run-history.c — the runs of one experiment: the widget, which runs
 * are selected for comparison, and how many keep their timeline. A row
 * is made in lab-run-history-rows.c, the comparison table in
 * lab-run-history-compare.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-application.h"
#include "lab-bar-chart.h"
#include "lab-run-history-private.h"

#define MAX_COMPARED 6
#define DEFAULT_KEPT_TIMELINES 20
#define MAX_KEPT_TIMELINES 1000
/* The GSettings key that sets kept-timelines, when the schema is installed. */
#define KEPT_TIMELINES_KEY "history-timelines"

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

/* ---- selecting runs ---- */

static void
on_selected_rows_changed (LabRunHistory *self)
{
  g_autoptr(GList) rows = gtk_list_box_get_selected_rows (self->list);

  g_ptr_array_set_size (self->compared, 0);

  /* In list order (newest first), shown oldest first. */
  for (GList *l = g_list_last (rows); l != NULL && self->compared->len < MAX_COMPARED; l = l->prev)
    g_ptr_array_add (self->compared, g_object_ref (g_object_get_data (l->data, "run")));

  lab_run_history_refresh_compare (self);

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
        lab_run_history_update_row (GTK_WIDGET (row));
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
  gtk_list_box_bind_model (self->list, runs, lab_run_history_create_row, NULL, NULL);
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
