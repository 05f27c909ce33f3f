/* lab-timeline-labels.h — the state of colouring spans by label (the
 * cores view): the labels seen, in colour order, kept across computes for
 * the same trace. Only lab-timeline-labels.c changes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GArray     *order;   /* guint32 labels, in colour order */
  GHashTable *index;   /* label -> colour index + 1 */
  GArray     *scanned; /* guint per lane and depth: spans looked at */
} LabTimelineLabels;

void lab_timeline_labels_init  (LabTimelineLabels *labels);
void lab_timeline_labels_clear (LabTimelineLabels *labels);
/* Another trace: forget what the last one had. */
void lab_timeline_labels_reset (LabTimelineLabels *labels);

G_END_DECLS
