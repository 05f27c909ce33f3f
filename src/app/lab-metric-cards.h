/* lab-metric-cards.h — one card per metric of a run: a big value and a
 * small label, red when a BAD_IF_NONZERO metric is above zero.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

#define LAB_TYPE_METRIC_CARDS (lab_metric_cards_get_type ())
G_DECLARE_FINAL_TYPE (LabMetricCards, lab_metric_cards, LAB, METRIC_CARDS, GtkWidget)

GtkWidget  *lab_metric_cards_new             (void);

/* Builds one card per metric spec without LAB_METRIC_FLAG_NO_CARD. */
void        lab_metric_cards_set_experiment  (LabMetricCards      *self,
                                              const LabExperiment *experiment);
/* @metrics: the a{sv} of a finished run, or NULL for the empty state ("—"). */
void        lab_metric_cards_set_metrics     (LabMetricCards *self,
                                              GVariant       *metrics);

/* A stopped run has no metrics: every card says "stopped" rather than
 * the empty state's "—". */
void        lab_metric_cards_set_stopped     (LabMetricCards *self);
/* A "Both" pair: each card shows the model's and CPython's value ("model
 * 6 · CPython 7"), with the class "engine-differs" where they disagree
 * (lab_engine_values_disagree()). Either may be NULL (not done yet). */
void        lab_metric_cards_set_pair        (LabMetricCards *self,
                                              GVariant       *model,
                                              GVariant       *cpython);

/* The text a card shows, NULL if there is no card for @key. */
const char *lab_metric_cards_get_value_text  (LabMetricCards *self,
                                              const char     *key);
/* Whether the card of @key is shown as bad (red). */
gboolean    lab_metric_cards_get_value_bad   (LabMetricCards *self,
                                              const char     *key);

/* "Label: value" of the card of @key, as Copy puts it on the clipboard;
 * NULL if there is no such card. */
char       *lab_metric_cards_get_copy_text   (LabMetricCards *self,
                                              const char     *key);
/* Copies it to the clipboard (what the card's context menu does). */
gboolean    lab_metric_cards_copy            (LabMetricCards *self,
                                              const char     *key);
/* Whether the card of @key is highlighted as a disagreement of a pair. */
gboolean    lab_metric_cards_get_value_differs (LabMetricCards *self,
                                                const char     *key);

/* TRUE if @value is a number above zero (for BAD_IF_NONZERO). */
gboolean    lab_metric_value_is_positive     (GVariant *value);

G_END_DECLS
