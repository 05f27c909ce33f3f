/* lab-py-process-private.h — the state of one traced Python process (one
 * connection): turns its decoded records into recorder events. Shared by
 * the files of LabPyReceiver.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-py-receiver.h"

G_BEGIN_DECLS

typedef struct _LabPyProcess LabPyProcess;

/* @pid is what the kernel says about the peer until HELLO says it; the
 * main thread of a @first process gets a LAB_LANE_MAIN lane, that of a
 * child a LAB_LANE_PROCESS lane. Used by one thread only. */
LabPyProcess *lab_py_process_new      (LabRecorder *recorder,
                                       gint         pid,
                                       gboolean     first);
void          lab_py_process_free     (LabPyProcess *self);
gint          lab_py_process_get_pid  (LabPyProcess *self);
gboolean      lab_py_process_said_hello (LabPyProcess *self);

/* Asks @line about every line the process prints, in the order it printed
 * them (@stream 1 standard output, 2 standard error): TRUE records it as a
 * mark on the timeline, FALSE drops it. @note, when set, is recorded in
 * its place instead (once: "the rest is not shown"); @line frees it. */
typedef gboolean (*LabPyOutputFunc) (const char  *text,
                                     guint        stream,
                                     char       **note,
                                     gpointer     data);
void          lab_py_process_set_output (LabPyProcess    *self,
                                         LabPyOutputFunc  line,
                                         gpointer         data);
/* Whether the main thread's end arrived: the tracer sends it when the
 * process exits, unless the program cut the tracer off before. */
gboolean      lab_py_process_main_ended (LabPyProcess *self);

/* Records one record's payload. FALSE (with a message that does not yet
 * name the process: "record 17 is damaged") when it does not add up. */
gboolean      lab_py_process_feed     (LabPyProcess  *self,
                                       guint          record_number,
                                       guint16        kind,
                                       const guint8  *payload,
                                       gsize          length,
                                       GError       **error);
/* Puts @text as an error mark at the end of the main thread's lane: where
 * the records of a process that is still running stopped. */
void          lab_py_process_mark_end (LabPyProcess *self,
                                       const char   *text);
/* The connection ended: spans still open end at the thread's last event. */
void          lab_py_process_finish   (LabPyProcess *self);

G_END_DECLS
