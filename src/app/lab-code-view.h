/* lab-code-view.h — an experiment's Python listing: highlighted, with line
 * numbers, in the light or dark scheme the window uses, read-only, and a
 * button that copies it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_CODE_VIEW (lab_code_view_get_type ())
G_DECLARE_FINAL_TYPE (LabCodeView, lab_code_view, LAB, CODE_VIEW, GtkWidget)

GtkWidget     *lab_code_view_new            (void);

/* Replaces the listing; the scroll position and selection stay where they
 * can, so a changed value does not throw the reader back to the top. */
void           lab_code_view_set_text       (LabCodeView *self,
                                             const char  *text);
/* The buffer (a GtkSourceBuffer with the Python language). */
GtkTextBuffer *lab_code_view_get_buffer     (LabCodeView *self);
/* Puts the whole listing on the clipboard (what "Copy Code" does). */
void           lab_code_view_copy           (LabCodeView *self);

G_END_DECLS
