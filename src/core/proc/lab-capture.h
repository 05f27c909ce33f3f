/* lab-capture.h — what a child process wrote on one stream, kept within
 * bounds: the byte count, the first and the last part of the bytes, and
 * (optionally) the first lines as output marks on a lane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-recorder.h"

G_BEGIN_DECLS

/* Kept of the bytes: the first HEAD and the last TAIL; what lies between is
 * counted and cut. The text made of them is at most about HEAD + TAIL bytes
 * long, whatever the bytes are. */
#define LAB_CAPTURE_HEAD_BYTES (64 * 1024)
#define LAB_CAPTURE_TAIL_BYTES (16 * 1024)
/* Output marks: at most this many lines, each at most this long; then one
 * line saying how much was left out. */
#define LAB_CAPTURE_MAX_LINES      2000
#define LAB_CAPTURE_MAX_LINE_BYTES 1000

typedef struct _LabCapture LabCapture;

/* Lines go to @lane as marks flagged LAB_EVENT_FLAG_OUTPUT | @flags (e.g.
 * LAB_EVENT_FLAG_STDERR), recorded by the calling thread; @lane may be NULL
 * (bytes only). */
LabCapture *lab_capture_new          (LabLane    *lane,
                                      guint16     flags);
void        lab_capture_free         (LabCapture *self);

void        lab_capture_append       (LabCapture   *self,
                                      const guint8 *data,
                                      gsize         len);
/* Records the last line if it had no newline, and the "left out" line. */
void        lab_capture_finish       (LabCapture *self);

guint64     lab_capture_get_n_bytes  (LabCapture *self);
guint       lab_capture_get_n_lines_shown (LabCapture *self);
/* The bytes as valid UTF-8 (invalid bytes and NULs become U+FFFD); when
 * they do not all fit, the first and last part with "[… 99.9 MB cut …]"
 * between them. Caller frees. */
char       *lab_capture_to_text      (LabCapture *self,
                                      gboolean   *was_cut);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCapture, lab_capture_free)

G_END_DECLS
