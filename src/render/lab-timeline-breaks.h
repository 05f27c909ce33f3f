/* lab-timeline-breaks.h — collapsed idle time: stretches of a run in which
 * no lane does anything but sleep or wait, drawn shortened with a break.
 *
 * The timeline's x axis then runs on "axis time": real time (ns since the
 * trace start) minus what the breaks before it hide. Inside a break the
 * kept length stands for the whole gap, so both ways of the mapping are
 * continuous and grow with time. What the views read from the trace
 * (tooltips, durations) stays real time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-trace.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 real_start; /* the idle gap, ns since the trace start */
  gint64 real_end;
  gint64 axis_start; /* where it starts on the axis */
  gint64 axis_end;   /* axis_start + the kept length */
} LabTimelineBreak;

typedef struct _LabTimelineBreaks LabTimelineBreaks;

LabTimelineBreaks      *lab_timeline_breaks_new     (void);
void                    lab_timeline_breaks_free    (LabTimelineBreaks *breaks);

/* Finds the gaps of @trace longer than @min_gap_ns (0: a fiftieth of the
 * run, at least 2 ms) and keeps a quarter of that of each. Does nothing if
 * neither the trace, its generation nor @min_gap_ns changed. @trace NULL
 * forgets every break. */
void                    lab_timeline_breaks_update  (LabTimelineBreaks *breaks,
                                                     LabTrace          *trace,
                                                     gint64             min_gap_ns);
const LabTimelineBreak *lab_timeline_breaks_get     (const LabTimelineBreaks *breaks,
                                                     guint                   *n_breaks);
gint64                  lab_timeline_breaks_to_axis (const LabTimelineBreaks *breaks,
                                                     gint64                   real_ns);
gint64                  lab_timeline_breaks_to_real (const LabTimelineBreaks *breaks,
                                                     gint64                   axis_ns);

G_END_DECLS
