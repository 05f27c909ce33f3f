/* lab-timeline-marks.h — the state of the timeline's marks: which marks
 * of each lane are highlighted (lost updates, errors), kept across
 * computes for the same trace and extended as the trace grows. Only
 * lab-timeline-marks.c changes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *highlighted; /* per lane: GArray of guint32 event indexes */
  GArray    *scanned;     /* guint per lane: marks already looked at */
  gboolean   any;         /* some lane has marks */
} LabTimelineMarks;

void lab_timeline_marks_init  (LabTimelineMarks *marks);
void lab_timeline_marks_clear (LabTimelineMarks *marks);
/* Another trace: forget what the last one had. */
void lab_timeline_marks_reset (LabTimelineMarks *marks);

G_END_DECLS
