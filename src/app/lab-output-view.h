/* lab-output-view.h — the lines a run printed, streamed as they come.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-trace.h"

G_BEGIN_DECLS

#define LAB_TYPE_OUTPUT_VIEW (lab_output_view_get_type ())
G_DECLARE_FINAL_TYPE (LabOutputView, lab_output_view, LAB, OUTPUT_VIEW, GtkWidget)

GtkWidget *lab_output_view_new         (void);

/* Shows the printed lines of @trace (may be NULL). */
void       lab_output_view_set_trace   (LabOutputView *self,
                                        LabTrace      *trace);
/* Appends the lines that arrived since the last call (cheap when none). */
void       lab_output_view_update      (LabOutputView *self);

/* The shown run has ended: if it printed nothing, say that it did not
 * rather than "Nothing printed yet". */
void        lab_output_view_set_finished   (LabOutputView *self,
                                            gboolean       finished);
/* The text shown instead of the output, NULL when there is output. */
const char *lab_output_view_get_empty_text (LabOutputView *self);
guint      lab_output_view_get_n_lines (LabOutputView *self);
/* The text shown, lane prefixes included (caller frees). */
char      *lab_output_view_get_text    (LabOutputView *self);

G_END_DECLS
