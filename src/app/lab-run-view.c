/* lab-run-view.c — the shown run: header, metric cards, timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-application.h"
#include "lab-bar-chart.h"
#include "lab-engine.h"
#include "lab-engine-pair.h"
#include "lab-export.h"
#include "lab-process-boxes.h"
#include "lab-request-table.h"
#include "lab-run-history.h"
#include "lab-run-view.h"

struct _LabRunView
{
  GtkWidget       parent_instance;

  GtkWidget      *header_box;
  GtkWidget      *details_scroller;
  GtkWidget      *details_box;
  GtkWidget      *cards_row;
  GtkWidget      *timeline_frame;
  GtkLabel       *run_title_label;
  GtkLabel       *run_state_label;
  GtkLabel       *run_params_label;
  LabMetricCards *metric_cards;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkRevealer    *dropped_revealer;
  GtkLabel       *dropped_label;
  LabTimeline    *timeline;
  GtkWidget      *moment_button;
  GtkWidget      *collapse_button;
  GtkWidget      *compact_button;
  GtkWidget      *legend_button;
  GtkWidget      *threads_button;
  GtkWidget      *cores_button;
  GtkWidget      *chart_frame;
  LabBarChart    *chart;
  LabRequestTable *request_table;
  LabProcessBoxes *process_boxes;
  LabEnginePair  *pair;

  LabRunner      *run;
  gulong          finished_handler;
  gboolean        chart_pinned; /* a chart set by lab_run_view_show_chart() */
  char           *status;       /* said instead of the run's state, or NULL */
  guint64         dropped;
};

G_DEFINE_FINAL_TYPE (LabRunView, lab_run_view, GTK_TYPE_WIDGET)

static void
update_actions (LabRunView *self)
{
  gboolean has_run = self->run != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.zoom-in", has_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.zoom-out", has_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.fit", has_run);
  /* The moment exists once the run has recorded it; looked for after a
   * run, not while one is followed. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.moment",
                                 has_run && lab_runner_get_state (self->run) != LAB_RUN_RUNNING &&
                                 lab_timeline_has_moment (self->timeline));
}

static void
update_dropped (LabRunView *self)
{
  guint64 dropped = 0;

  if (self->run != NULL)
    dropped = lab_trace_get_dropped (lab_runner_get_trace (self->run));

  if (dropped == self->dropped)
    return;

  self->dropped = dropped;
  if (dropped > 0)
    {
      g_autofree char *count = NULL;
      g_autofree char *text = NULL;

      /* The count is formatted apart: xgettext cannot see through
       * G_GUINT64_FORMAT, and a msgid cut at the macro never matches. */
      count = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s event dropped: the recorder was full, so the timeline misses it.",
                                           "%s events dropped: the recorder was full, so the timeline misses them.",
                                           (gulong) MIN (dropped, G_MAXULONG)),
                              count);
      gtk_label_set_text (self->dropped_label, text);
    }
  gtk_revealer_set_reveal_child (self->dropped_revealer, dropped > 0);
}

static void
update_chart (LabRunView *self)
{
  LabChart *chart = self->run != NULL ? lab_runner_get_chart (self->run) : NULL;

  lab_bar_chart_set_chart (self->chart, chart);
  gtk_widget_set_visible (self->chart_frame, chart != NULL);
}

/* The panel the run's experiment declares, once the run has its data. */
static void
update_panels (LabRunView *self)
{
  const LabExperiment *experiment = self->run != NULL ? lab_runner_get_experiment (self->run) : NULL;
  LabPanelKind kind = experiment != NULL ? experiment->panel.kind : LAB_PANEL_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self->request_table),
                          kind == LAB_PANEL_REQUEST_TABLE &&
                          lab_request_table_has_data (self->request_table));
  gtk_widget_set_visible (GTK_WIDGET (self->process_boxes),
                          kind == LAB_PANEL_PROCESS_BOXES &&
                          lab_process_boxes_has_data (self->process_boxes));
}

static void
set_state_class (GtkWidget   *label,
                 LabRunState  state)
{
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "accent");
  gtk_widget_remove_css_class (label, "success");
  if (state == LAB_RUN_FAILED)
    gtk_widget_add_css_class (label, "error");
  else if (state == LAB_RUN_STOPPED)
    gtk_widget_add_css_class (label, "warning");
  else if (state == LAB_RUN_RUNNING)
    gtk_widget_add_css_class (label, "accent");
  else if (state == LAB_RUN_DONE)
    gtk_widget_add_css_class (label, "success");
}

void
lab_run_view_refresh (LabRunView *self)
{
  LabRunner *run = self->run;
  LabRunState state;
  g_autofree char *title = NULL;
  g_autofree char *params = NULL;
  g_autofree char *state_text = NULL;

  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  update_actions (self);
  update_dropped (self);
  if (!self->chart_pinned)
    update_chart (self);
  update_panels (self);

  if (run == NULL)
    {
      lab_timeline_set_live (self->timeline, FALSE);
      gtk_label_set_text (self->run_title_label, _("No run yet"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_title_label), NULL);
      gtk_label_set_text (self->run_state_label, "");
      /* Its width would push the hint aside. */
      gtk_widget_set_visible (GTK_WIDGET (self->run_state_label), FALSE);
      gtk_label_set_text (self->run_params_label, _("Set the parameters, then press Run."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_params_label), NULL);
      lab_metric_cards_set_metrics (self->metric_cards, NULL);
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      return;
    }

  state = lab_runner_get_state (run);
  title = lab_engine_run_title (run);
  params = lab_params_describe (lab_runner_get_params (run), NULL);
  /* A done run's wall time is on its cards; a stopped or failed one says
   * how long it went. */
  if (state == LAB_RUN_STOPPED || state == LAB_RUN_FAILED)
    /* Translators: state of an ended run and how long it ran: "Stopped · 1.02 s" */
    state_text = g_strdup_printf (_("%s · %.2f s"), lab_run_state_to_label (state),
                                  lab_runner_get_elapsed_s (run));
  else if (self->status != NULL && state != LAB_RUN_FAILED)
    state_text = g_strdup (self->status);
  else
    state_text = g_strdup (lab_run_state_to_label (state));

  gtk_label_set_text (self->run_title_label, title);
  /* Whole, where a narrow column cuts it short. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_title_label), title);
  gtk_label_set_text (self->run_state_label, state_text);
  gtk_widget_set_visible (GTK_WIDGET (self->run_state_label), TRUE);
  set_state_class (GTK_WIDGET (self->run_state_label), state);
  gtk_label_set_text (self->run_params_label, params);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_params_label), params);

  if (state == LAB_RUN_STOPPED)
    lab_metric_cards_set_stopped (self->metric_cards);
  else
    lab_metric_cards_set_metrics (self->metric_cards,
                                  state == LAB_RUN_DONE ? lab_runner_get_metrics (run) : NULL);

  if (state == LAB_RUN_FAILED)
    {
      const GError *error = lab_runner_get_error (run);
      g_autofree char *text = NULL;

      /* Translators: shown when an experiment failed; %s is the reason */
      text = g_strdup_printf (_("The run failed: %s"),
                              error != NULL ? error->message : _("unknown error"));
      gtk_label_set_text (self->error_label, text);
    }
  gtk_revealer_set_reveal_child (self->error_revealer, state == LAB_RUN_FAILED);

  lab_timeline_set_live (self->timeline, state == LAB_RUN_RUNNING);
  lab_timeline_set_follow (self->timeline, state == LAB_RUN_RUNNING);
  lab_timeline_queue_update (self->timeline);
  /* A finished run opens at the moment it teaches (the whole run if it
   * has none), at once: the animated zoom is for the buttons. */
  if (state != LAB_RUN_RUNNING && state != LAB_RUN_READY)
    lab_timeline_show_moment (self->timeline, FALSE);
  lab_engine_pair_refresh (self->pair);
}

void
lab_run_view_set_run (LabRunView *self,
                      LabRunner  *run)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));
  g_return_if_fail (run == NULL || LAB_IS_RUNNER (run));

  if (self->run != run && self->run != NULL)
    g_clear_signal_handler (&self->finished_handler, self->run);

  if (g_set_object (&self->run, run))
    {
      lab_timeline_set_trace (self->timeline, run ? lab_runner_get_trace (run) : NULL);
      self->chart_pinned = FALSE;
      lab_request_table_set_runner (self->request_table, run);
      lab_process_boxes_set_runner (self->process_boxes, run);
      /* After the panels' own handlers have read the metrics. */
      if (run != NULL)
        self->finished_handler = g_signal_connect_object (run, "finished",
                                                          G_CALLBACK (update_panels), self,
                                                          G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      lab_engine_pair_set_run (self->pair, run);
    }

  lab_run_view_refresh (self);
}

void
lab_run_view_set_status (LabRunView *self,
                         const char *status)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  lab_run_view_refresh (self);
}

const char *
lab_run_view_get_state_text (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return gtk_label_get_text (self->run_state_label);
}

LabRunner *
lab_run_view_get_run (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->run;
}

void
lab_run_view_update (LabRunView *self)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  lab_timeline_queue_update (self->timeline);
  lab_engine_pair_update (self->pair);
  update_dropped (self);
}

void
lab_run_view_zoom_in (LabRunView *self)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  lab_timeline_set_follow (self->timeline, FALSE);
  lab_timeline_zoom_in (self->timeline);
}

void
lab_run_view_zoom_out (LabRunView *self)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  lab_timeline_set_follow (self->timeline, FALSE);
  lab_timeline_zoom_out (self->timeline);
}

void
lab_run_view_zoom_fit (LabRunView *self)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  lab_timeline_set_follow (self->timeline, FALSE);
  lab_timeline_show_all (self->timeline);
  /* With a pair on one axis, both fit the longer run at once. */
  lab_engine_pair_fit (self->pair);
}

gboolean
lab_run_view_export (LabRunView  *self,
                     const char  *path,
                     double       scale,
                     GError     **error)
{
  LabExportOptions options;

  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->run == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no run to export"));
      return FALSE;
    }

  lab_export_options_init (&options);
  options.scale = scale;
  options.dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  /* What the timeline shows now, so that a zoomed-in view exports as seen. */
  lab_timeline_get_view (self->timeline, &options.view_start_ns, &options.view_end_ns);
  options.cores_view = lab_timeline_get_show_cores (self->timeline);
  options.collapse_idle = lab_timeline_get_collapse_idle (self->timeline);
  options.compact = lab_timeline_get_compact (self->timeline);

  return lab_export_run (self->run, path, &options, error);
}

LabTimeline *
lab_run_view_get_timeline (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->timeline;
}

LabMetricCards *
lab_run_view_get_metric_cards (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->metric_cards;
}

const char *
lab_run_view_get_error_text (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer)
         ? gtk_label_get_text (self->error_label) : "";
}

gboolean
lab_run_view_get_dropped_visible (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->dropped_revealer);
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabRunView *self = LAB_RUN_VIEW (widget);

  if (g_str_equal (action_name, "view.zoom-in"))
    lab_run_view_zoom_in (self);
  else if (g_str_equal (action_name, "view.zoom-out"))
    lab_run_view_zoom_out (self);
  else if (g_str_equal (action_name, "view.fit"))
    lab_run_view_zoom_fit (self);
  else if (g_str_equal (action_name, "view.moment"))
    lab_timeline_show_moment (self->timeline, TRUE);
}

static void
lab_run_view_dispose (GObject *object)
{
  LabRunView *self = LAB_RUN_VIEW (object);
  GtkWidget *child;

  if (self->run != NULL)
    g_clear_signal_handler (&self->finished_handler, self->run);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_RUN_VIEW);
  /* In case the template gains a top-level child not bound to a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->run);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (lab_run_view_parent_class)->dispose (object);
}

/* ---- layout ----
 *
 * Three parts, top to bottom: the header, the details (cards, chart,
 * panels, messages) and the timeline. A box would share the spare height
 * out by natural sizes, and the timeline's natural height is that of all
 * its lanes: the cards would get a part of a line and be clipped. Here the
 * details get all they need as long as the timeline keeps its minimum, and
 * scroll beyond that; the timeline gets the rest. Nothing here can raise
 * the window's minimum height: the details' minimum is the scroller's.
 *
 * The timeline part is every child after the details, not one widget: the
 * bar of view buttons, and for "Both" a caption and a second timeline that
 * LabEnginePair puts beside the frame. Each child gets a place here, since
 * GTK does not draw a visible child its parent left unallocated (it warns
 * "Trying to snapshot ... without a current allocation" instead). */

static void
lab_run_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          *minimum += child_min;
          *natural += child_nat;
        }
    }
}

/* Beside the cards the chart leaves them one narrow column, their values
 * cut short, below this width: then it goes under them. */
#define CHART_BESIDE_MIN_WIDTH 640

static void
place_chart (LabRunView *self,
             int         width)
{
  GtkOrientation wanted = width >= CHART_BESIDE_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL
                                                          : GTK_ORIENTATION_VERTICAL;

  /* Measured again below, at once: the row's size follows from it. */
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->cards_row)) != wanted)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->cards_row), wanted);
}

/* The children after the details, top to bottom from @y: each gets its
 * minimum height at @width, and the ones that expand (the timelines) share
 * @spare in equal parts. With @y < 0 nothing is allocated, only measured.
 * Returns their minimum height in all. */
static int
place_timeline_part (LabRunView *self,
                     int         width,
                     int         y,
                     int         spare)
{
  guint n_expand = 0;
  int total = 0;

  for (GtkWidget *child = gtk_widget_get_next_sibling (self->details_scroller);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_expand += gtk_widget_should_layout (child) &&
                gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL);

  for (GtkWidget *child = gtk_widget_get_next_sibling (self->details_scroller);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_h;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &child_min, NULL, NULL, NULL);
      total += child_min;
      if (y < 0)
        continue;
      child_h = child_min;
      if (n_expand > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_VERTICAL))
        {
          int share = spare / (int) n_expand--;

          child_h += share;
          spare -= share;
        }
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_h }, -1);
      y += child_h;
    }

  return total;
}

static void
lab_run_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LabRunView *self = LAB_RUN_VIEW (widget);
  int header_min, header_nat, details_min, details_nat, timeline_min;
  int header_h, details_h;

  gtk_widget_measure (self->header_box, GTK_ORIENTATION_VERTICAL, width,
                      &header_min, &header_nat, NULL, NULL);
  /* A scrolled window measures its child's height for no width in
   * particular; the details wrap, so ask their box for this width. */
  gtk_widget_measure (self->details_scroller, GTK_ORIENTATION_VERTICAL, width,
                      &details_min, NULL, NULL, NULL);
  gtk_widget_measure (self->details_box, GTK_ORIENTATION_VERTICAL, width,
                      NULL, &details_nat, NULL, NULL);
  details_nat = MAX (details_nat, details_min);
  timeline_min = place_timeline_part (self, width, -1, 0);

  header_h = CLAMP (height - details_min - timeline_min, header_min, header_nat);
  place_chart (self, width);
  details_h = CLAMP (height - header_h - timeline_min, details_min, details_nat);

  gtk_widget_size_allocate (self->header_box,
                            &(GtkAllocation) { 0, 0, width, header_h }, -1);
  gtk_widget_size_allocate (self->details_scroller,
                            &(GtkAllocation) { 0, header_h, width, details_h }, -1);
  place_timeline_part (self, width, header_h + details_h,
                       MAX (height - header_h - details_h - timeline_min, 0));
}

static GtkSizeRequestMode
lab_run_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lab_run_view_class_init (LabRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_run_view_dispose;
  widget_class->measure = lab_run_view_measure;
  widget_class->size_allocate = lab_run_view_size_allocate;
  widget_class->get_request_mode = lab_run_view_get_request_mode;

  g_type_ensure (LAB_TYPE_TIMELINE);
  g_type_ensure (LAB_TYPE_METRIC_CARDS);
  g_type_ensure (LAB_TYPE_BAR_CHART);
  g_type_ensure (LAB_TYPE_REQUEST_TABLE);
  g_type_ensure (LAB_TYPE_PROCESS_BOXES);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/concurrencylab/ConcurrencyLab/lab-run-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LabRunView, header_box);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, details_scroller);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, details_box);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, cards_row);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, timeline_frame);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, run_title_label);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, run_state_label);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, run_params_label);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, metric_cards);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, error_label);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, dropped_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, timeline);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, moment_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, collapse_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, compact_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, legend_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, threads_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, cores_button);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, chart_frame);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, chart);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, request_table);
  gtk_widget_class_bind_template_child (widget_class, LabRunView, process_boxes);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "view.fit", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "view.moment", NULL, view_action);

  gtk_widget_class_set_css_name (widget_class, "runview");
}

/* Hiding the legend is a choice for every page, kept for the next start. */
static void
bind_show_legend (LabRunView *self)
{
  g_autoptr(GSettings) settings = lab_application_lookup_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "show-legend"))
    g_settings_bind (settings, "show-legend", self->timeline, "show-legend",
                     G_SETTINGS_BIND_DEFAULT);
}

static void
lab_run_view_init (LabRunView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->timeline, "show-cores", self->cores_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->timeline, "show-cores", self->threads_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->timeline, "collapse-idle", self->collapse_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->timeline, "compact", self->compact_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->timeline, "show-legend", self->legend_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  bind_show_legend (self);
  self->pair = lab_engine_pair_attach (self->timeline, self->metric_cards);
  lab_run_view_refresh (self);
}

GtkWidget *
lab_run_view_new (void)
{
  return g_object_new (LAB_TYPE_RUN_VIEW, NULL);
}

void
lab_run_view_set_experiment (LabRunView          *self,
                             const LabExperiment *experiment)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  lab_metric_cards_set_experiment (self->metric_cards, experiment);
  /* The experiment names the button that goes to its lesson. */
  lab_timeline_set_moment (self->timeline, experiment != NULL ? &experiment->moment : NULL);
  gtk_widget_set_visible (self->moment_button, experiment != NULL &&
                                               experiment->moment.kind != LAB_MOMENT_NONE &&
                                               experiment->moment.button != NULL);
  if (experiment != NULL && experiment->moment.button != NULL)
    {
      GtkWidget *label;

      gtk_button_set_label (GTK_BUTTON (self->moment_button), _(experiment->moment.button));
      /* A translation's longer words shorten with "…" rather than set the
       * width below which the window folds to its sidebar. */
      label = gtk_button_get_child (GTK_BUTTON (self->moment_button));
      if (GTK_IS_LABEL (label))
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  update_actions (self);
}

void
lab_run_view_show_chart (LabRunView *self,
                         LabChart   *chart)
{
  g_return_if_fail (LAB_IS_RUN_VIEW (self));

  self->chart_pinned = chart != NULL;
  if (chart == NULL)
    {
      update_chart (self);
      return;
    }

  lab_bar_chart_set_chart (self->chart, chart);
  gtk_widget_set_visible (self->chart_frame, TRUE);
}

LabBarChart *
lab_run_view_get_chart (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->chart;
}

GtkWidget *
lab_run_view_get_cores_button (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->cores_button;
}

LabRequestTable *
lab_run_view_get_request_table (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->request_table;
}

LabEnginePair *
lab_run_view_get_pair (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->pair;
}

LabProcessBoxes *
lab_run_view_get_process_boxes (LabRunView *self)
{
  g_return_val_if_fail (LAB_IS_RUN_VIEW (self), NULL);

  return self->process_boxes;
}
