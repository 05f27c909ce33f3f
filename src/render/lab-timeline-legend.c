/* lab-timeline-legend.c — what the timeline's legend lists: the states
 * (or, coloured by label, the threads) that the trace shows, then marks,
 * printed lines, highlights, arrows and counters if there are any.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-timeline-layout-private.h"

void
lab_layout_add_legend (LabTimelineLayout *self,
                       LabLegendKind      kind,
                       const LabColor    *color,
                       const char        *label)
{
  LabLegendEntry entry = { kind, *color, lab_layout_intern (self, label) };

  g_array_append_val (self->legend, entry);
}

void
lab_layout_build_legend (LabTimelineLayout *self)
{
  const LabPalette *pal = self->palette;
  guint32 seen;
  gboolean any_highlight = FALSE;
  guint n_flows = 0;

  if (self->trace == NULL)
    return;

  seen = lab_trace_get_states_seen (self->trace);
  if (self->style.color_by_label)
    lab_layout_legend_labels (self);
  else
    for (guint s = 0; s < LAB_STATE_N; s++)
      if (seen & (1u << s))
        lab_layout_add_legend (self, LAB_LEGEND_SWATCH, lab_palette_state (pal, s),
                               lab_state_to_label (s));

  for (guint i = 0; i < self->marks.highlighted->len; i++)
    if (((GArray *) g_ptr_array_index (self->marks.highlighted, i))->len > 0)
      any_highlight = TRUE;

  if (self->marks.any)
    {
      guint n_output = 0;
      guint64 n_marks = 0;

      lab_trace_get_output (self->trace, &n_output);
      for (guint i = 0; i < lab_trace_get_n_lanes (self->trace); i++)
        n_marks += lab_trace_get_lane (self->trace, i)->marks->len;
      if (n_marks > n_output)
        lab_layout_add_legend (self, LAB_LEGEND_MARK, &pal->mark, _("Event"));
      if (n_output > 0)
        lab_layout_add_legend (self, LAB_LEGEND_OUTPUT, &pal->mark, _("Printed line"));
    }
  if (any_highlight)
    lab_layout_add_legend (self, LAB_LEGEND_HIGHLIGHT, &pal->highlight,
                           _("Lost update / highlighted"));
  lab_trace_get_flows (self->trace, &n_flows);
  if (n_flows > 0)
    lab_layout_add_legend (self, LAB_LEGEND_ARROW, &pal->arrow,
                           _("Arrow: where a value came from"));
  for (guint c = 0; c < lab_trace_get_n_counters (self->trace); c++)
    {
      const LabTraceCounter *counter = lab_trace_get_counter (self->trace, c);

      lab_layout_add_legend (self, LAB_LEGEND_COUNTER, &pal->counter_line,
                             lab_trace_get_string (self->trace, counter->label));
    }
}
