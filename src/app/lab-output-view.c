/* lab-output-view.c — the printed lines of a run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <adwaita.h>

#include "lab-output-view.h"

struct _LabOutputView
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  GtkLabel       *empty_label;
  GtkScrolledWindow *scroller;
  GtkTextView    *text_view;
  GtkTextBuffer  *buffer;
  GtkTextTag     *lane_tag;
  GtkTextTag     *stderr_tag;

  LabTrace       *trace;
  guint           n_shown;
  gint64          last_ts_ns;  /* of the last shown line, to notice reordering */
  guint32         last_label;
  guint           prefix_width;
  gboolean        stick_to_end;
  gboolean        finished;
  guint           scroll_tick_id;
};

G_DEFINE_FINAL_TYPE (LabOutputView, lab_output_view, GTK_TYPE_WIDGET)

static void
update_tag_colors (LabOutputView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA lane;
  GdkRGBA error;

  /* Text tags cannot use CSS named colours: these follow libadwaita's
   * @error_color and a dimmed @view_fg_color for both styles. */
  gdk_rgba_parse (&lane, dark ? "rgba(255,255,255,0.5)" : "rgba(0,0,0,0.5)");
  gdk_rgba_parse (&error, dark ? "#ff7b63" : "#c01c28");
  g_object_set (self->lane_tag, "foreground-rgba", &lane, NULL);
  g_object_set (self->stderr_tag, "foreground-rgba", &error, NULL);
}

static guint
compute_prefix_width (LabTrace *trace)
{
  guint width = 0;

  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      if (lane->name != NULL)
        width = MAX (width, (guint) g_utf8_strlen (lane->name, -1));
    }

  return MIN (width, 24);
}

static void
append_line (LabOutputView       *self,
             const LabOutputLine *line)
{
  const LabTraceLane *lane = NULL;
  const char *name = "";
  GString *prefix;
  GtkTextIter end;
  guint len;

  if (line->lane < lab_trace_get_n_lanes (self->trace))
    lane = lab_trace_get_lane (self->trace, line->lane);
  if (lane != NULL && lane->name != NULL)
    name = lane->name;

  prefix = g_string_new (name);
  len = g_utf8_strlen (name, -1);
  while (len++ < self->prefix_width)
    g_string_append_c (prefix, ' ');
  g_string_append (prefix, " │ ");

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  gtk_text_buffer_insert_with_tags (self->buffer, &end, prefix->str, -1,
                                    self->lane_tag, NULL);
  if (line->flags & LAB_EVENT_FLAG_STDERR)
    gtk_text_buffer_insert_with_tags (self->buffer, &end,
                                      lab_trace_get_string (self->trace, line->label), -1,
                                      self->stderr_tag, NULL);
  else
    gtk_text_buffer_insert (self->buffer, &end,
                            lab_trace_get_string (self->trace, line->label), -1);
  gtk_text_buffer_insert (self->buffer, &end, "\n", 1);

  g_string_free (prefix, TRUE);
}

/* New lines keep the view at the end, unless the reader scrolled up. The
 * adjustment is moved on the next frame, before layout: moving it while
 * GTK lays out (where its upper changes) would leave the scrollbar stale.
 * (gtk_text_view_scroll_mark_onscreen() is no better: GTK 4.8 trips over
 * its pending scroll when the view is unmapped.) */
static gboolean
scroll_to_end_tick (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  LabOutputView *self = LAB_OUTPUT_VIEW (widget);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_tick_id = 0;
  if (self->stick_to_end)
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));

  return G_SOURCE_REMOVE;
}

static void
on_vadjustment_changed (GtkAdjustment *adj,
                        LabOutputView *self)
{
  /* Not while unmapped (no page yet): the view would keep a stale offset. */
  if (self->stick_to_end && self->scroll_tick_id == 0 &&
      gtk_adjustment_get_page_size (adj) > 0 &&
      gtk_adjustment_get_value (adj) != gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj))
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_end_tick,
                                                         NULL, NULL);
}

static void
on_vadjustment_value_changed (GtkAdjustment *adj,
                              LabOutputView *self)
{
  if (gtk_adjustment_get_page_size (adj) <= 0)
    return;

  self->stick_to_end = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
                       >= gtk_adjustment_get_upper (adj) - 4;
}

static void
lab_output_view_dispose (GObject *object)
{
  LabOutputView *self = LAB_OUTPUT_VIEW (object);

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  if (self->stack != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->stack));
      self->stack = NULL;
    }
  g_clear_pointer (&self->trace, lab_trace_unref);

  G_OBJECT_CLASS (lab_output_view_parent_class)->dispose (object);
}

static void
lab_output_view_class_init (LabOutputViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_output_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "outputview");
}

static void
lab_output_view_init (LabOutputView *self)
{
  GtkWidget *empty;

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  empty = gtk_label_new (_("Nothing printed yet"));
  self->empty_label = GTK_LABEL (empty);
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_stack_add_named (self->stack, empty, "empty");

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_cursor_visible (self->text_view, FALSE);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 8);
  gtk_text_view_set_bottom_margin (self->text_view, 8);
  gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "output-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Program output"),
                                  -1);
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->lane_tag = gtk_text_buffer_create_tag (self->buffer, "lane", NULL);
  self->stderr_tag = gtk_text_buffer_create_tag (self->buffer, "stderr", NULL);
  update_tag_colors (self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (update_tag_colors), self);

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->text_view));
  self->stick_to_end = TRUE;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (on_vadjustment_changed), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (on_vadjustment_value_changed), self, 0);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->scroller), "text");
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* "yet" only while something may still come. */
static void
update_empty_text (LabOutputView *self)
{
  gtk_label_set_text (self->empty_label,
                      self->finished ? _("The run printed nothing") : _("Nothing printed yet"));
}

void
lab_output_view_set_finished (LabOutputView *self,
                              gboolean       finished)
{
  g_return_if_fail (LAB_IS_OUTPUT_VIEW (self));

  self->finished = !!finished;
  update_empty_text (self);
}

const char *
lab_output_view_get_empty_text (LabOutputView *self)
{
  g_return_val_if_fail (LAB_IS_OUTPUT_VIEW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") != 0)
    return NULL;
  return gtk_label_get_text (self->empty_label);
}

GtkWidget *
lab_output_view_new (void)
{
  return g_object_new (LAB_TYPE_OUTPUT_VIEW, NULL);
}

void
lab_output_view_set_trace (LabOutputView *self,
                           LabTrace      *trace)
{
  g_return_if_fail (LAB_IS_OUTPUT_VIEW (self));

  if (trace != NULL)
    lab_trace_ref (trace);
  g_clear_pointer (&self->trace, lab_trace_unref);
  self->trace = trace;

  gtk_text_buffer_set_text (self->buffer, "", 0);
  self->n_shown = 0;
  self->last_ts_ns = 0;
  self->last_label = 0;
  self->prefix_width = 0;
  self->stick_to_end = TRUE;
  self->finished = FALSE;
  update_empty_text (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");

  lab_output_view_update (self);
}

void
lab_output_view_update (LabOutputView *self)
{
  const LabOutputLine *lines;
  guint n_lines = 0;
  guint width;

  g_return_if_fail (LAB_IS_OUTPUT_VIEW (self));

  if (self->trace == NULL)
    return;

  lines = lab_trace_get_output (self->trace, &n_lines);
  if (n_lines == self->n_shown)
    return;

  width = compute_prefix_width (self->trace);

  /* Lines are kept sorted by time: a line drained late from another lane
   * may land before lines already shown, and lane names may grow. Then the
   * text is rebuilt (rare); otherwise only the new lines are appended. */
  if (n_lines < self->n_shown ||
      width != self->prefix_width ||
      (self->n_shown > 0 &&
       (lines[self->n_shown - 1].ts_ns != self->last_ts_ns ||
        lines[self->n_shown - 1].label != self->last_label)))
    {
      gtk_text_buffer_set_text (self->buffer, "", 0);
      self->n_shown = 0;
      self->prefix_width = width;
    }

  for (guint i = self->n_shown; i < n_lines; i++)
    append_line (self, &lines[i]);

  self->n_shown = n_lines;
  if (n_lines > 0)
    {
      self->last_ts_ns = lines[n_lines - 1].ts_ns;
      self->last_label = lines[n_lines - 1].label;
    }

  gtk_stack_set_visible_child_name (self->stack, n_lines > 0 ? "text" : "empty");
}

guint
lab_output_view_get_n_lines (LabOutputView *self)
{
  g_return_val_if_fail (LAB_IS_OUTPUT_VIEW (self), 0);

  return self->n_shown;
}

char *
lab_output_view_get_text (LabOutputView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_OUTPUT_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);

  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}
