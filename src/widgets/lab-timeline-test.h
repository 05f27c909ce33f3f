/* lab-timeline-test.h — what tests reach of the timeline besides its API:
 * a wheel step as the scroll controller hands it over (GTK 4 cannot
 * synthesise a scroll event with a modifier held).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-timeline.h"

G_BEGIN_DECLS

/* What the widget does with a scroll of (@dx, @dy) in @unit while @state
 * is held; TRUE if it used it. */
gboolean lab_timeline_handle_scroll (LabTimeline     *self,
                                     double           dx,
                                     double           dy,
                                     GdkScrollUnit    unit,
                                     GdkModifierType  state);

/* Rows of the legend strip under the lanes as last drawn; 0 if hidden. */
guint    lab_timeline_legend_rows   (LabTimeline     *self);

G_END_DECLS
