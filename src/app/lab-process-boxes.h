/* lab-process-boxes.h — what a process-isolation run leaves in each
 * process's list: one card per child ("Child 3 — its own acc: ['item']"),
 * the parent's card, visibly empty, and the parent's list filled through
 * the queue.
 *
 * It shows the runs of experiments that declare a LAB_PANEL_PROCESS_BOXES
 * panel, fed by the metrics the panel names; the embedding page hides the
 * widget when lab_process_boxes_has_data() is FALSE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-runner.h"

G_BEGIN_DECLS

#define LAB_TYPE_PROCESS_BOXES (lab_process_boxes_get_type ())
G_DECLARE_FINAL_TYPE (LabProcessBoxes, lab_process_boxes, LAB, PROCESS_BOXES, GtkWidget)

GtkWidget  *lab_process_boxes_new            (void);

/* Shows the lists of @runner's processes (NULL clears). A run that has not
 * finished yet is shown once its "finished" is emitted. */
void        lab_process_boxes_set_runner     (LabProcessBoxes *self,
                                              LabRunner       *runner);

/* Whether the run's experiment has this panel and the run the lengths of
 * the children's lists (visible only then). */
gboolean    lab_process_boxes_has_data       (LabProcessBoxes *self);

/* The cards in order: the children, the parent, the parent via the queue. */
guint       lab_process_boxes_get_n_cards    (LabProcessBoxes *self);
/* "Child 1", "Parent", "Parent via a queue", ... */
const char *lab_process_boxes_get_card_title (LabProcessBoxes *self,
                                              guint            index);
/* How many items card @index shows in its list. */
guint       lab_process_boxes_get_card_len   (LabProcessBoxes *self,
                                              guint            index);

G_END_DECLS
