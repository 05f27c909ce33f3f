/* lab-sweep-popover.h — asks for a sweep: which count, FROM..TO, repeats.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

#define LAB_TYPE_SWEEP_POPOVER (lab_sweep_popover_get_type ())
G_DECLARE_FINAL_TYPE (LabSweepPopover, lab_sweep_popover, LAB, SWEEP_POPOVER, GtkPopover)

/* Whether @experiment has an int parameter a sweep may vary. */
gboolean   lab_sweep_popover_can_sweep (const LabExperiment *experiment);

/* "start" (const char *key, gint64 from, gint64 to, guint repeat) is
 * emitted when Start is pressed; the popover then hides. */
GtkWidget *lab_sweep_popover_new       (const LabExperiment *experiment);

G_END_DECLS
