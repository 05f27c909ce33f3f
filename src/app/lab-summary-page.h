/* lab-summary-page.h — the lecture's two comparison tables (processes,
 * threads and coroutines; the five Python APIs), each entity linking to
 * the experiment that shows it. A link selects that experiment in the
 * window and applies its preset or value ("preset=sleep-popen",
 * "mode=event-loop").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_SUMMARY_PAGE (lab_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (LabSummaryPage, lab_summary_page, LAB, SUMMARY_PAGE, GtkWidget)

GtkWidget *lab_summary_page_new            (void);

/* For tests: the number of rows and columns (header included) of table
 * @index (0: processes / threads / coroutines, 1: the Python APIs). */
void       lab_summary_page_get_table_size (LabSummaryPage *self,
                                            guint           index,
                                            guint          *n_rows,
                                            guint          *n_columns);
/* For tests: the link button named @name ("pool", "popen", ...), or NULL. */
GtkWidget *lab_summary_page_get_link       (LabSummaryPage *self,
                                            const char     *name);

G_END_DECLS
