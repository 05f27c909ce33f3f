/* lab-engine-pair.c — a "Both" pair in the run view: two timelines, one
 * time axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-engine.h"
#include "lab-engine-pair.h"
#include "lab-run-history.h"

/* Two timelines share the height the one had. */
#define MAIN_HEIGHT   180
#define PAIRED_HEIGHT 90

struct _LabEnginePair
{
  GtkWidget       parent_instance;

  GtkLabel       *caption;
  LabTimeline    *timeline;      /* the partner's */
  LabTimeline    *main;          /* the run view's, not ours */
  GtkWidget      *main_frame;
  GtkLabel       *main_caption;  /* a child of the run view */
  LabMetricCards *cards;

  LabRunner      *run;
  LabRunner      *partner;
  gulong          partner_finished;
  gboolean        syncing;
};

G_DEFINE_FINAL_TYPE (LabEnginePair, lab_engine_pair, GTK_TYPE_WIDGET)

/* One view for both: whichever was zoomed or panned, the other follows.
 * (A view past the end of the shorter run is clamped there.) */
static void
copy_view (LabEnginePair *self,
           LabTimeline   *from,
           LabTimeline   *to)
{
  gint64 start, end;

  if (self->syncing || self->partner == NULL)
    return;

  self->syncing = TRUE;
  lab_timeline_get_view (from, &start, &end);
  lab_timeline_set_view (to, start, end);
  self->syncing = FALSE;
}

static void
on_main_view (LabEnginePair *self)
{
  copy_view (self, self->main, self->timeline);
}

static void
on_pair_view (LabEnginePair *self)
{
  copy_view (self, self->timeline, self->main);
}

static void
clear_partner (LabEnginePair *self)
{
  if (self->partner != NULL)
    g_clear_signal_handler (&self->partner_finished, self->partner);
  g_clear_object (&self->partner);
}

static void
lab_engine_pair_dispose (GObject *object)
{
  LabEnginePair *self = LAB_ENGINE_PAIR (object);
  GtkWidget *child;

  clear_partner (self);
  g_clear_object (&self->run);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lab_engine_pair_parent_class)->dispose (object);
}

static void
lab_engine_pair_class_init (LabEnginePairClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_engine_pair_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "enginepair");
}

static GtkLabel *
caption_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "engine-caption");
  return GTK_LABEL (label);
}

static void
lab_engine_pair_init (LabEnginePair *self)
{
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->caption = caption_new ();
  gtk_widget_set_parent (GTK_WIDGET (self->caption), GTK_WIDGET (self));

  self->timeline = LAB_TIMELINE (lab_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->timeline), -1, PAIRED_HEIGHT);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->timeline));
  gtk_widget_add_css_class (frame, "timeline-frame");
  gtk_widget_set_margin_start (frame, 12);
  gtk_widget_set_margin_end (frame, 12);
  gtk_widget_set_margin_top (frame, 4);
  gtk_widget_set_margin_bottom (frame, 12);
  gtk_widget_set_parent (frame, GTK_WIDGET (self));
}

LabEnginePair *
lab_engine_pair_attach (LabTimeline    *main,
                        LabMetricCards *cards)
{
  LabEnginePair *self;
  GtkWidget *view;

  g_return_val_if_fail (LAB_IS_TIMELINE (main), NULL);

  self = g_object_new (LAB_TYPE_ENGINE_PAIR, NULL);
  self->main = main;
  self->cards = cards;
  self->main_frame = gtk_widget_get_parent (GTK_WIDGET (main));
  view = gtk_widget_get_parent (self->main_frame);

  self->main_caption = caption_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->main_caption), FALSE);
  gtk_widget_insert_before (GTK_WIDGET (self->main_caption), view, self->main_frame);
  gtk_widget_insert_after (GTK_WIDGET (self), view, self->main_frame);

  g_object_bind_property (main, "show-cores", self->timeline, "show-cores",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (main, "notify::view-start", G_CALLBACK (on_main_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (main, "notify::view-end", G_CALLBACK (on_main_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::view-start", G_CALLBACK (on_pair_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::view-end", G_CALLBACK (on_pair_view), self, G_CONNECT_SWAPPED);

  return self;
}

static gint64
run_duration (LabRunner *run)
{
  LabTrace *trace = lab_runner_get_trace (run);

  if (lab_trace_get_n_events (trace) == 0)
    return 0;
  return lab_trace_get_end_ns (trace) - lab_trace_get_start_ns (trace);
}

/* Each timeline's axis as long as the other's run: one axis for both. */
static void
share_axis (LabEnginePair *self)
{
  lab_timeline_set_axis_end (self->main, self->partner != NULL ? run_duration (self->partner) : 0);
  if (self->partner != NULL)
    lab_timeline_set_axis_end (self->timeline, run_duration (self->run));
}

static void
set_caption (GtkLabel  *label,
             LabRunner *run)
{
  g_autofree char *badge = lab_engine_run_badge (run);
  /* Translators: above a timeline of a "Both" pair: "Run 4 · CPython 3.11.2 — Done" */
  g_autofree char *text = g_strdup_printf (_("Run %u · %s — %s"), lab_run_get_index (run), badge,
                                           lab_run_state_to_label (lab_runner_get_state (run)));

  gtk_label_set_text (label, text);
}

/* The model above, CPython below, whichever of them is the shown run. */
static void
place (LabEnginePair *self)
{
  GtkWidget *view = gtk_widget_get_parent (self->main_frame);

  if (lab_engine_run_is_cpython (self->run))
    gtk_widget_insert_before (GTK_WIDGET (self), view, GTK_WIDGET (self->main_caption));
  else
    gtk_widget_insert_after (GTK_WIDGET (self), view, self->main_frame);
}

void
lab_engine_pair_set_run (LabEnginePair *self,
                         LabRunner     *run)
{
  LabRunner *partner = run != NULL ? lab_engine_run_get_partner (run) : NULL;
  gboolean shown = partner != NULL;

  g_return_if_fail (LAB_IS_ENGINE_PAIR (self));

  g_set_object (&self->run, run);
  if (partner != self->partner)
    {
      clear_partner (self);
      self->partner = partner != NULL ? g_object_ref (partner) : NULL;
      lab_timeline_set_trace (self->timeline, partner != NULL ? lab_runner_get_trace (partner) : NULL);
      if (partner != NULL)
        self->partner_finished = g_signal_connect_object (partner, "finished",
                                                          G_CALLBACK (lab_engine_pair_refresh), self,
                                                          G_CONNECT_SWAPPED);
    }

  share_axis (self);
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->main_caption), shown);
  gtk_widget_set_size_request (GTK_WIDGET (self->main), -1, shown ? PAIRED_HEIGHT : MAIN_HEIGHT);
  if (shown)
    place (self);
  lab_engine_pair_refresh (self);
}

static GVariant *
done_metrics (LabRunner *run)
{
  return lab_runner_get_state (run) == LAB_RUN_DONE ? lab_runner_get_metrics (run) : NULL;
}

void
lab_engine_pair_refresh (LabEnginePair *self)
{
  LabRunner *model, *cpython;
  LabRunState state;

  g_return_if_fail (LAB_IS_ENGINE_PAIR (self));

  if (self->partner == NULL)
    return;

  cpython = lab_engine_run_is_cpython (self->run) ? self->run : self->partner;
  model = cpython == self->run ? self->partner : self->run;
  set_caption (self->main_caption, self->run);
  set_caption (self->caption, self->partner);
  lab_metric_cards_set_pair (self->cards, done_metrics (model), done_metrics (cpython));

  share_axis (self);
  lab_timeline_queue_update (self->timeline);
  state = lab_runner_get_state (self->run);
  if (state != LAB_RUN_RUNNING && state != LAB_RUN_READY)
    lab_engine_pair_fit (self);
}

void
lab_engine_pair_update (LabEnginePair *self)
{
  g_return_if_fail (LAB_IS_ENGINE_PAIR (self));

  if (self->partner == NULL)
    return;
  share_axis (self);
  lab_timeline_queue_update (self->timeline);
}

void
lab_engine_pair_fit (LabEnginePair *self)
{
  g_return_if_fail (LAB_IS_ENGINE_PAIR (self));

  if (self->partner == NULL)
    return;

  /* Both axes are as long as the longer run: the partner follows. */
  share_axis (self);
  lab_timeline_zoom_fit (self->main);
}

gboolean
lab_engine_pair_get_shown (LabEnginePair *self)
{
  g_return_val_if_fail (LAB_IS_ENGINE_PAIR (self), FALSE);

  return self->partner != NULL;
}

LabTimeline *
lab_engine_pair_get_timeline (LabEnginePair *self)
{
  g_return_val_if_fail (LAB_IS_ENGINE_PAIR (self), NULL);

  return self->timeline;
}
