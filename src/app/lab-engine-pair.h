/* lab-engine-pair.h — the second timeline of a run view, shown when the
 * shown run is half of a "Both" pair: the model run above, the CPython run
 * below, on one time axis (both start at 0) with one zoom and pan, and
 * the metric cards showing both values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-metric-cards.h"
#include "lab-runner.h"
#include "lab-timeline.h"

G_BEGIN_DECLS

#define LAB_TYPE_ENGINE_PAIR (lab_engine_pair_get_type ())
G_DECLARE_FINAL_TYPE (LabEnginePair, lab_engine_pair, LAB, ENGINE_PAIR, GtkWidget)

/* Puts itself, hidden, next to @main's parent (its frame) in the run view
 * that holds it, with a caption above each timeline; @cards get both
 * values of a pair. The run view owns it as a child. */
LabEnginePair *lab_engine_pair_attach       (LabTimeline    *main,
                                             LabMetricCards *cards);

/* The run the view shows; the pair shows its partner, if it has one. */
void           lab_engine_pair_set_run      (LabEnginePair  *self,
                                             LabRunner      *run);
/* After the view refreshed: both values on the cards, and once the shown
 * run has ended both timelines fit the longer of the two. */
void           lab_engine_pair_refresh      (LabEnginePair  *self);
/* New events were drained. */
void           lab_engine_pair_update       (LabEnginePair  *self);
/* Fits both timelines to the longer run (when a pair is shown). */
void           lab_engine_pair_fit          (LabEnginePair  *self);

/* Whether a pair is shown, and the partner's timeline (tests). */
gboolean       lab_engine_pair_get_shown    (LabEnginePair  *self);
LabTimeline   *lab_engine_pair_get_timeline (LabEnginePair  *self);

G_END_DECLS
