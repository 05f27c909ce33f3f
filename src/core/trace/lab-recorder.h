/* lab-recorder.h — lock-free per-lane event recording on worker threads,
 * drained in batches into a LabTrace on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-event.h"
#include "lab-string-pool.h"
#include "lab-trace.h"

G_BEGIN_DECLS

typedef struct _LabRecorder LabRecorder;
/* A lane's writer. Exactly one thread records into a lane at a time; the
 * recorder owns it (never free it). */
typedef struct _LabLane LabLane;

/* Default cap on the events one recorder keeps before it starts dropping
 * (and counting what it dropped): 32 M events = 1 GiB. */
#define LAB_RECORDER_DEFAULT_LIMIT (G_GUINT64_CONSTANT (32) * 1024 * 1024)

LabRecorder   *lab_recorder_new          (LabStringPool *pool);
LabRecorder   *lab_recorder_ref          (LabRecorder   *self);
void           lab_recorder_unref        (LabRecorder   *self);

LabStringPool *lab_recorder_get_pool     (LabRecorder *self);
void           lab_recorder_set_limit    (LabRecorder *self,
                                          guint64      max_events);

/* The most lanes one recorder holds: an event names its lane in 16 bits. */
#define LAB_RECORDER_MAX_LANES (G_MAXUINT16 + 1)

/* Thread-safe. Adds a lane (its index is the order of creation), or
 * returns NULL with @error set (G_IO_ERROR_NO_SPACE, in words a student
 * reads) when the recorder already holds LAB_RECORDER_MAX_LANES. */
LabLane       *lab_recorder_try_add_lane (LabRecorder  *self,
                                          LabLaneKind   kind,
                                          const char   *name,
                                          GError      **error);
/* The same for callers that cannot fail: a full recorder is a
 * programming error (g_critical) and gives NULL. */
LabLane       *lab_recorder_add_lane     (LabRecorder *self,
                                          LabLaneKind  kind,
                                          const char  *name);
guint          lab_recorder_get_n_lanes  (LabRecorder *self);

guint32        lab_recorder_intern       (LabRecorder *self,
                                          const char  *str);
guint32        lab_recorder_intern_printf (LabRecorder *self,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (2, 3);
/* A fresh arrow id (never 0). */
guint32        lab_recorder_new_flow     (LabRecorder *self);
guint64        lab_recorder_get_dropped  (LabRecorder *self);
guint64        lab_recorder_get_recorded (LabRecorder *self);

/* Main thread: moves everything recorded so far into @trace (lane names and
 * tids too). Returns the number of events moved. */
guint64        lab_recorder_drain        (LabRecorder *self,
                                          LabTrace    *trace);

/* ---- the hot path (called by the lane's own thread) ---- */

guint          lab_lane_get_index        (LabLane *lane);
const char    *lab_lane_get_name         (LabLane *lane);
LabRecorder   *lab_lane_get_recorder     (LabLane *lane);
/* Remembers the calling thread's id as the lane's tid. */
void           lab_lane_bind_thread      (LabLane *lane);
/* Like bind_thread, for a lane standing for another process. */
void           lab_lane_set_tid          (LabLane *lane,
                                          gint     tid);

void           lab_lane_record           (LabLane      *lane,
                                          LabEventKind  kind,
                                          LabState      state,
                                          guint16       flags,
                                          guint32       label,
                                          gint64        value,
                                          guint32       flow);
/* Same, with a timestamp taken elsewhere (e.g. by a child process). */
void           lab_lane_record_at        (LabLane      *lane,
                                          gint64        ts_ns,
                                          gint16        cpu,
                                          LabEventKind  kind,
                                          LabState      state,
                                          guint16       flags,
                                          guint32       label,
                                          gint64        value,
                                          guint32       flow);

/* Records the calling thread's context switches so far (getrusage with
 * RUSAGE_THREAD) as a LAB_EVENT_THREAD_STATS event: call it from the lane's
 * own thread, last thing before the thread ends. It adds no span or mark;
 * the trace keeps the counts for the lane's tooltip. */
void           lab_lane_record_thread_stats (LabLane *lane);

static inline void
lab_lane_begin (LabLane *lane, LabState state, guint32 label)
{
  lab_lane_record (lane, LAB_EVENT_BEGIN, state, 0, label, 0, 0);
}

static inline void
lab_lane_end (LabLane *lane)
{
  lab_lane_record (lane, LAB_EVENT_END, LAB_STATE_RUNNING, 0, 0, 0, 0);
}

static inline void
lab_lane_mark (LabLane *lane, guint32 label, gint64 value, guint16 flags, guint32 flow)
{
  lab_lane_record (lane, LAB_EVENT_MARK, LAB_STATE_RUNNING, flags, label, value, flow);
}

static inline void
lab_lane_counter (LabLane *lane, guint32 counter_label, gint64 value)
{
  lab_lane_record (lane, LAB_EVENT_COUNTER, LAB_STATE_RUNNING, 0, counter_label, value, 0);
}

/* A silent sample of the CPU the thread runs on (LAB_EVENT_CPU_SAMPLE). */
static inline void
lab_lane_cpu_sample (LabLane *lane)
{
  lab_lane_record (lane, LAB_EVENT_CPU_SAMPLE, LAB_STATE_RUNNING, 0, 0, 0, 0);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRecorder, lab_recorder_unref)

G_END_DECLS
