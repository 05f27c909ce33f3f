/* lab-trace-page.h — a trace file opened in the window: read on a thread
 * with progress and Cancel, then shown on the same timeline as a run (and
 * its Cores view when the file says where threads ran), or the reason it
 * could not be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-timeline.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_TRACE_PAGE_READING,
  LAB_TRACE_PAGE_SHOWN,
  LAB_TRACE_PAGE_FAILED,
  LAB_TRACE_PAGE_CANCELLED,
} LabTracePageState;

#define LAB_TYPE_TRACE_PAGE (lab_trace_page_get_type ())
G_DECLARE_FINAL_TYPE (LabTracePage, lab_trace_page, LAB, TRACE_PAGE, GtkWidget)

/* Starts reading @file at once; "notify::state" tells when it is done. */
GtkWidget         *lab_trace_page_new              (GFile *file);

GFile             *lab_trace_page_get_file         (LabTracePage *self);
/* The file's name, as the window shows it. */
const char        *lab_trace_page_get_title        (LabTracePage *self);
LabTracePageState  lab_trace_page_get_state        (LabTracePage *self);
/* Stops reading (the state becomes CANCELLED); no-op once read. */
void               lab_trace_page_cancel           (LabTracePage *self);

/* 0 … 1 while reading. */
double             lab_trace_page_get_progress     (LabTracePage *self);
/* "19 events in 3 lanes. 3 records of kinds ... were skipped" once shown. */
const char        *lab_trace_page_get_summary_text (LabTracePage *self);
/* Why it could not be read, once FAILED; "" otherwise. */
const char        *lab_trace_page_get_error_text   (LabTracePage *self);
/* The trace read (NULL until SHOWN). */
LabTrace          *lab_trace_page_get_trace        (LabTracePage *self);
LabTimeline       *lab_trace_page_get_timeline     (LabTracePage *self);
/* The Threads/Cores switch: visible only if the file has CPU data. */
GtkWidget         *lab_trace_page_get_view_switch  (LabTracePage *self);

G_END_DECLS
