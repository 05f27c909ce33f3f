/* lab-run-history-private.h — shared by the run history's own source
 * files (lab-run-history.c, -rows.c and -compare.c) only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-run-history.h"

G_BEGIN_DECLS

struct _LabRunHistory
{
  GtkWidget   parent_instance;

  GtkWidget  *paned;
  GtkListBox *list;
  GtkStack   *compare_stack;
  GtkGrid    *compare_grid;
  GtkLabel   *hint;

  GListModel *runs;
  GPtrArray  *compared; /* LabRunner */
  guint       syncing;
  guint       kept_timelines;
  GSettings  *settings;  /* NULL if the schema is not installed */
};

/* lab-run-history-rows.c */
/* The row of the LabRunner @item (a GtkListBoxCreateWidgetFunc): it
 * follows the run until it finishes. */
GtkWidget *lab_run_history_create_row      (gpointer       item,
                                            gpointer       user_data);
/* Shows the row's run as it is now (its state, metrics, whether its
 * timeline is kept) and refreshes the comparison it may be in. */
void       lab_run_history_update_row      (GtkWidget     *row);

/* lab-run-history-compare.c */
/* Rebuilds the comparison table from self->compared. */
void       lab_run_history_refresh_compare (LabRunHistory *self);

G_END_DECLS
