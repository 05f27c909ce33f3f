/* lab-timeline-labels.c — colouring spans by their label (the cores view
 * colours each CPU's spans by the thread that ran there).
 *
 * The layout collects the distinct span labels of its trace, looking only at
 * spans added since the last compute, and numbers them in natural order of
 * their text ("Main thread", "Thread 0", "Thread 1" ... "Thread 10"), so a
 * thread keeps its colour from run to run whatever the order it ran in.
 * Colours are the palette's series colours (lab_palette_series(), the
 * charts' too) and cycle when there are more labels than colours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdlib.h>
#include <string.h>

#include "lab-timeline-layout-private.h"

typedef struct
{
  guint32  label;
  char    *key;
} SortItem;

void
lab_timeline_labels_init (LabTimelineLabels *labels)
{
  labels->order = g_array_new (FALSE, FALSE, sizeof (guint32));
  labels->index = g_hash_table_new (g_direct_hash, g_direct_equal);
  labels->scanned = g_array_new (FALSE, TRUE, sizeof (guint));
}

void
lab_timeline_labels_clear (LabTimelineLabels *labels)
{
  g_clear_pointer (&labels->order, g_array_unref);
  g_clear_pointer (&labels->index, g_hash_table_unref);
  g_clear_pointer (&labels->scanned, g_array_unref);
}

void
lab_timeline_labels_reset (LabTimelineLabels *labels)
{
  g_array_set_size (labels->order, 0);
  g_hash_table_remove_all (labels->index);
  g_array_set_size (labels->scanned, 0);
}

static int
compare_items (const void *a,
               const void *b)
{
  const SortItem *x = a, *y = b;
  int cmp = strcmp (x->key, y->key);

  if (cmp != 0)
    return cmp;
  return x->label < y->label ? -1 : x->label > y->label;
}

/* Numbers the labels in natural order of their text. */
static void
sort_labels (LabTimelineLayout *self)
{
  guint n = self->labels.order->len;
  SortItem *items = g_new (SortItem, n);

  for (guint i = 0; i < n; i++)
    {
      guint32 label = g_array_index (self->labels.order, guint32, i);

      items[i].label = label;
      items[i].key = g_utf8_collate_key_for_filename (lab_trace_get_string (self->trace, label),
                                                      -1);
    }
  qsort (items, n, sizeof (SortItem), compare_items);

  g_hash_table_remove_all (self->labels.index);
  for (guint i = 0; i < n; i++)
    {
      g_array_index (self->labels.order, guint32, i) = items[i].label;
      g_hash_table_insert (self->labels.index, GUINT_TO_POINTER (items[i].label),
                           GUINT_TO_POINTER (i + 1));
      g_free (items[i].key);
    }
  g_free (items);
}

void
lab_layout_update_labels (LabTimelineLayout *self)
{
  guint n_lanes = self->trace != NULL ? lab_trace_get_n_lanes (self->trace) : 0;
  gboolean added = FALSE;

  if (self->labels.scanned->len < n_lanes * LAB_TRACE_MAX_DEPTH)
    g_array_set_size (self->labels.scanned, n_lanes * LAB_TRACE_MAX_DEPTH);

  for (guint l = 0; l < n_lanes; l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (self->trace, l);

      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        {
          guint *scanned = &g_array_index (self->labels.scanned, guint,
                                           l * LAB_TRACE_MAX_DEPTH + d);
          const LabSpan *spans = (const LabSpan *) (gpointer) lane->spans[d]->data;

          for (; *scanned < lane->spans[d]->len; (*scanned)++)
            {
              guint32 label = spans[*scanned].label;

              if (label == 0 || g_hash_table_contains (self->labels.index, GUINT_TO_POINTER (label)))
                continue;
              g_array_append_val (self->labels.order, label);
              g_hash_table_insert (self->labels.index, GUINT_TO_POINTER (label),
                                   GUINT_TO_POINTER (self->labels.order->len));
              added = TRUE;
            }
        }
    }

  if (added)
    sort_labels (self);
}

/* The fill of spans labelled @label; a neutral grey for none. */
const LabColor *
lab_layout_label_color (LabTimelineLayout *self,
                        guint32            label)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->labels.index,
                                                       GUINT_TO_POINTER (label)));

  if (index == 0)
    return &self->palette->unknown;
  return lab_palette_series (self->palette, index - 1);
}

/* One swatch per label, in colour order. */
void
lab_layout_legend_labels (LabTimelineLayout *self)
{
  for (guint i = 0; i < self->labels.order->len; i++)
    {
      guint32 label = g_array_index (self->labels.order, guint32, i);

      lab_layout_add_legend (self, LAB_LEGEND_SWATCH, lab_layout_label_color (self, label),
                             lab_trace_get_string (self->trace, label));
    }
}
