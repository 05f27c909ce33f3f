/* lab-open-dialog.h — asks for one file to open (Open Trace…, the program
 * of "Your Program"): GtkFileDialog where GTK has it, else the portal's
 * native chooser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the chosen file; not called when the user cancels. */
typedef void (*LabOpenFunc) (gpointer  owner,
                             GFile    *file);

/* Shows the dialog modal to @widget's window and calls @func (@owner,
 * file) once a file was chosen; @owner (a GObject) is kept alive until
 * then. Only files that pass @filter are offered. */
void lab_open_dialog_show (GtkWidget     *widget,
                           const char    *title,
                           GtkFileFilter *filter,
                           LabOpenFunc    func,
                           gpointer       owner);

/* "Python programs": *.py and Python's MIME types. A new reference. */
GtkFileFilter *lab_open_dialog_python_filter (void);

/* The same for a file to save to, proposing @name; the chooser asks
 * before it lets the person pick a file that exists. */
void lab_save_dialog_show (GtkWidget     *widget,
                           const char    *title,
                           GtkFileFilter *filter,
                           const char    *name,
                           LabOpenFunc    func,
                           gpointer       owner);

G_END_DECLS
