/* lab-timeline-ruler.h — the state of the timeline's ruler: the major
 * ticks of the last compute and how they are labelled. Only
 * lab-timeline-ruler.c changes it; the layout owns one and hands its ticks
 * out (lab_timeline_layout_get_ticks()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GArray *ticks; /* LabTimelineTick */
  gint64  step;  /* major tick step, ns */
  gint64  base;  /* ticks are labelled relative to it; G_MININT64: not */
} LabTimelineRuler;

void lab_timeline_ruler_init  (LabTimelineRuler *ruler);
void lab_timeline_ruler_clear (LabTimelineRuler *ruler);
/* Forgets the ticks of the last compute. */
void lab_timeline_ruler_reset (LabTimelineRuler *ruler);

G_END_DECLS
