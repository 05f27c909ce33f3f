/* lab-trace.h — the main-thread store of a run's lanes, events, spans,
 * arrows, counters and printed lines: the one model every view reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-event.h"
#include "lab-string-pool.h"

G_BEGIN_DECLS

#define LAB_TRACE_MAX_DEPTH 4 /* spans nested deeper are drawn at this depth */

typedef enum
{
  LAB_LANE_MAIN = 0, /* the program's main thread */
  LAB_LANE_THREAD,   /* a worker thread */
  LAB_LANE_PROCESS,  /* a child process */
  LAB_LANE_RESOURCE, /* a shared resource drawn as a lane (a lock, the GIL) */
} LabLaneKind;

/* A span, paired from a BEGIN and its END. Within one depth of one lane the
 * spans never overlap and are sorted by start, so both start_ns and end_ns
 * grow with the index (binary-searchable). An open span (no END yet) has
 * end_ns = G_MAXINT64 and open = TRUE. */
typedef struct
{
  gint64  start_ns;
  gint64  end_ns;
  guint32 label;       /* label of the BEGIN event */
  guint32 begin_index; /* index of the BEGIN event in the lane's events */
  guint8  state;       /* LabState */
  guint8  depth;       /* 0 = outermost */
  guint8  open;
  guint8  reserved;
} LabSpan;

typedef struct
{
  char        *name;
  LabLaneKind  kind;
  gint         tid;     /* thread id (or pid for a process), 0 if unknown */
  GArray      *events;  /* LabEvent, in recording order (= time order) */
  GArray      *marks;   /* guint32 indexes into events of LAB_EVENT_MARK */
  GArray      *spans[LAB_TRACE_MAX_DEPTH]; /* LabSpan per depth */
  /* Context switches (LAB_EVENT_THREAD_STATS): a thread's last report
   * counts; the threads of a lane reused by several add up. */
  gboolean     has_thread_stats;
  guint32      voluntary_switches;   /* gave up the CPU: slept, blocked */
  guint32      involuntary_switches; /* the scheduler took the CPU away */
  /* private */
  guint        open_depth;
  guint32      open_index[LAB_TRACE_MAX_DEPTH + 1];
  guint        extra_depth; /* BEGINs nested deeper than MAX_DEPTH */
  guint32      stats_tid;   /* thread of the last stats report */
  guint32      stats_base[2]; /* voluntary, involuntary of earlier threads */
} LabTraceLane;

/* An arrow between two marks (matched by their shared flow id). */
typedef struct
{
  guint32 flow;
  guint16 from_lane;
  guint16 to_lane;
  guint32 from_index; /* index into lane events */
  guint32 to_index;
} LabFlowArrow;

typedef struct
{
  gint64 ts_ns;
  gint64 value;
} LabCounterSample;

typedef struct
{
  guint32  label;    /* counter name (string pool id) */
  GArray  *samples;  /* LabCounterSample, sorted by ts_ns */
  gint64   min_value;
  gint64   max_value;
} LabTraceCounter;

/* A printed line: where it was recorded. Sorted by time. */
typedef struct
{
  gint64  ts_ns;
  guint16 lane;
  guint16 flags;    /* LabEventFlags of the mark (STDERR ...) */
  guint32 label;    /* the text */
} LabOutputLine;

typedef struct _LabTrace LabTrace;

LabTrace               *lab_trace_new            (LabStringPool *pool);
LabTrace               *lab_trace_ref            (LabTrace      *trace);
void                    lab_trace_unref          (LabTrace      *trace);

LabStringPool          *lab_trace_get_pool       (LabTrace *trace);
const char             *lab_trace_get_string     (LabTrace *trace,
                                                  guint32   id);

/* Lanes are numbered from 0 in the order they were added. Adding a lane that
 * exists updates its name, kind and tid. */
void                    lab_trace_set_lane       (LabTrace    *trace,
                                                  guint        index,
                                                  LabLaneKind  kind,
                                                  const char  *name,
                                                  gint         tid);
guint                   lab_trace_get_n_lanes    (LabTrace *trace);
const LabTraceLane     *lab_trace_get_lane       (LabTrace *trace,
                                                  guint     index);

/* Appends @n events of one lane, in that lane's order; pairs spans, indexes
 * marks, matches arrows, collects counters and printed lines. */
void                    lab_trace_append         (LabTrace       *trace,
                                                  guint           lane,
                                                  const LabEvent *events,
                                                  guint           n);

guint64                 lab_trace_get_n_events   (LabTrace *trace);
/* Earliest and latest timestamp seen; both 0 while empty. */
gint64                  lab_trace_get_start_ns   (LabTrace *trace);
gint64                  lab_trace_get_end_ns     (LabTrace *trace);
/* Widens the time range to take in [@start_ns, @end_ns] (a view derived
 * from another trace keeps its time axis). */
void                    lab_trace_extend_range   (LabTrace *trace,
                                                  gint64    start_ns,
                                                  gint64    end_ns);

const LabFlowArrow     *lab_trace_get_flows      (LabTrace *trace,
                                                  guint    *n_flows);
guint                   lab_trace_get_n_counters (LabTrace *trace);
const LabTraceCounter  *lab_trace_get_counter    (LabTrace *trace,
                                                  guint     index);
const LabOutputLine    *lab_trace_get_output     (LabTrace *trace,
                                                  guint    *n_lines);
/* Bit set of LabState values that occur in the trace (for the legend). */
guint32                 lab_trace_get_states_seen (LabTrace *trace);

void                    lab_trace_set_dropped    (LabTrace *trace,
                                                  guint64   dropped);
guint64                 lab_trace_get_dropped    (LabTrace *trace);

/* Incremented on every change; views compare it to know when to redraw. */
guint64                 lab_trace_get_generation (LabTrace *trace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabTrace, lab_trace_unref)

G_END_DECLS
