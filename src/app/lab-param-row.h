/* lab-param-row.h — the row that edits one declared parameter (internal to
 * LabParamControls): a slider with a spin button, a switch, a drop-down or
 * an entry, writing validated values into a LabParams.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-params.h"

G_BEGIN_DECLS

typedef struct _LabParamRow LabParamRow;

/* Called after the user changed the value in @params. */
typedef void (*LabParamRowChanged) (gpointer user_data);

/* NULL for a kind that has no control. @params must outlive the row. */
LabParamRow *lab_param_row_new        (const LabParamSpec *spec,
                                       LabParams          *params,
                                       LabParamRowChanged  changed,
                                       gpointer            user_data);
void         lab_param_row_free       (LabParamRow *row);

/* The list row to put into a preferences group (owned by its parent). */
GtkWidget   *lab_param_row_get_widget (LabParamRow *row);
const char  *lab_param_row_get_key    (LabParamRow *row);
/* Shows the value @params holds now (does not call "changed"). */
void         lab_param_row_sync       (LabParamRow *row);
/* Takes a number typed into the field but not confirmed yet. */
void         lab_param_row_commit     (LabParamRow *row);

G_END_DECLS
