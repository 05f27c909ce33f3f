/* lab-request-table.h — the requests of a threads-io-fetch run, one row
 * each: which part fetched it, the URL, status, size and timings, and the
 * error in words when it failed.
 *
 * It shows the runs of experiments that declare a LAB_PANEL_REQUEST_TABLE
 * panel, fed by the metric the panel names; the embedding page hides it
 * when lab_request_table_has_data() is FALSE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-runner.h"

G_BEGIN_DECLS

#define LAB_TYPE_REQUEST_TABLE (lab_request_table_get_type ())
G_DECLARE_FINAL_TYPE (LabRequestTable, lab_request_table, LAB, REQUEST_TABLE, GtkWidget)

GtkWidget  *lab_request_table_new            (void);

/* Shows the requests of @runner (NULL clears the table). A run that has
 * not finished yet is shown once its "finished" is emitted. */
void        lab_request_table_set_runner     (LabRequestTable *self,
                                              LabRunner       *runner);

/* Whether the run's experiment has this panel and the run its requests
 * (visible only then). */
gboolean    lab_request_table_has_data       (LabRequestTable *self);

/* One row per request, in the order of the metric. */
guint       lab_request_table_get_n_rows     (LabRequestTable *self);
/* The error text row @row shows, NULL when the request succeeded. */
const char *lab_request_table_get_error_text (LabRequestTable *self,
                                              guint            row);

G_END_DECLS
