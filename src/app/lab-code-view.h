/* lab-code-view.h — an experiment's Python listing: highlighted, with line
 * numbers, in the light or dark scheme the window uses, editable (auto-indent,
 * four spaces a level), with Open…/Save… and a button that copies it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_CODE_VIEW (lab_code_view_get_type ())
G_DECLARE_FINAL_TYPE (LabCodeView, lab_code_view, LAB, CODE_VIEW, GtkWidget)

GtkWidget     *lab_code_view_new            (void);

/* The generated listing. It replaces the text unless the person has
 * edited it (then only Reset brings it); the scroll position stays where
 * it can, so a changed value does not throw the reader back to the top. */
void           lab_code_view_set_text       (LabCodeView *self,
                                             const char  *text);
/* The buffer (a GtkSourceBuffer with the Python language). */
GtkTextBuffer *lab_code_view_get_buffer     (LabCodeView *self);
/* Puts the whole listing on the clipboard (what "Copy Code" does). */
void           lab_code_view_copy           (LabCodeView *self);

/* Back to the generated listing; no longer edited. */
void           lab_code_view_reset          (LabCodeView *self);
/* Whether the person edited the listing (typed, or opened a file). */
gboolean       lab_code_view_get_edited     (LabCodeView *self);
/* The text a CPython run uses in place of the listing: NULL unless edited. */
char          *lab_code_view_dup_edited_text (LabCodeView *self);
/* Whether edits are not saved in a file (closing the window asks). */
gboolean       lab_code_view_get_unsaved    (LabCodeView *self);
/* The page's engine is the model: the bar says edits do not change it. */
void           lab_code_view_set_model_engine (LabCodeView *self,
                                             gboolean     model_engine);

/* Marks @line (1-based) as where Python failed, with @message as its
 * tooltip, and moves the cursor there; the next edit clears it. */
void           lab_code_view_mark_error     (LabCodeView *self,
                                             guint        line,
                                             const char  *message);
void           lab_code_view_clear_error    (LabCodeView *self);
/* The marked line, 0 for none; the tag that marks it. */
guint          lab_code_view_get_error_line (LabCodeView *self);
GtkTextTag    *lab_code_view_get_error_tag  (LabCodeView *self);
/* The label of the "Edited" bar, NULL while it is hidden. */
GtkWidget     *lab_code_view_get_bar_label  (LabCodeView *self);

/* Puts @file's text in the editor (edited). A file that is not UTF-8
 * text is an error naming the line, and the editor keeps its text. */
gboolean       lab_code_view_open_file      (LabCodeView  *self,
                                             GFile        *file,
                                             GError      **error);
/* Writes the editor's text to @file; it is then saved, not unsaved. */
gboolean       lab_code_view_save_to_file   (LabCodeView  *self,
                                             GFile        *file,
                                             GError      **error);

G_END_DECLS
