/* lab-event.h — the fixed-size event record every view reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <time.h>

G_BEGIN_DECLS

/* What an event says happened. */
typedef enum
{
  LAB_EVENT_BEGIN = 1, /* a span of @state begins on the lane (spans nest) */
  LAB_EVENT_END,       /* the innermost open span of the lane ends */
  LAB_EVENT_MARK,      /* an instant: @label, @value, optional flow end */
  LAB_EVENT_COUNTER,   /* a sample of the counter named @label: @value */
  LAB_EVENT_THREAD_STATS, /* the recording thread's context switches so far:
                           * @value = voluntary << 32 | involuntary, @flow =
                           * its thread id (see lab_lane_record_thread_stats) */
  LAB_EVENT_CPU_SAMPLE,   /* no span, no mark: the thread is running on @cpu
                           * (compute loops record one about every ms, so
                           * the cores view knows when it ran there) */
} LabEventKind;

/* Packing of a LAB_EVENT_THREAD_STATS value. Voluntary: the thread gave up
 * the CPU (slept, blocked); involuntary: the scheduler took it away. */
#define LAB_THREAD_STATS_PACK(voluntary, involuntary) \
  ((gint64) (((guint64) (guint32) (voluntary) << 32) | (guint32) (involuntary)))
#define LAB_THREAD_STATS_VOLUNTARY(value)   ((guint32) ((guint64) (value) >> 32))
#define LAB_THREAD_STATS_INVOLUNTARY(value) ((guint32) ((guint64) (value) & 0xffffffffu))

/* The state of a span; the timeline colours spans by it and the legend names
 * the states a trace contains. New states are appended before LAB_STATE_N. */
typedef enum
{
  LAB_STATE_RUNNING = 0, /* on a CPU (or runnable): doing its work */
  LAB_STATE_SLEEPING,    /* time.sleep() */
  LAB_STATE_WAITING,     /* blocked on something else: join(), queue.get() */
  LAB_STATE_LOCK_WAIT,   /* waiting to acquire a lock */
  LAB_STATE_LOCK_HELD,   /* holding a lock */
  LAB_STATE_GIL_WAIT,    /* runnable, but waiting for the interpreter lock */
  LAB_STATE_IO_DNS,      /* a request: resolving the host name */
  LAB_STATE_IO_CONNECT,  /* a request: connecting (TCP, TLS) */
  LAB_STATE_IO_WAIT,     /* a request: sent, waiting for the first byte */
  LAB_STATE_IO_TRANSFER, /* a request: receiving the body */
  LAB_STATE_SPAWNING,    /* starting a process */
  LAB_STATE_SENDING,     /* sending data to another process (pipe, pickle) */
  LAB_STATE_FAILED,      /* something that failed (a request, a child) */
  LAB_STATE_N
} LabState;

typedef enum
{
  LAB_EVENT_FLAG_NONE        = 0,
  LAB_EVENT_FLAG_HIGHLIGHT   = 1 << 0, /* draw attention: a lost update, an error */
  LAB_EVENT_FLAG_FLOW_SOURCE = 1 << 1, /* an arrow starts here (matched by @flow) */
  LAB_EVENT_FLAG_FLOW_TARGET = 1 << 2, /* an arrow ends here (matched by @flow) */
  LAB_EVENT_FLAG_OUTPUT      = 1 << 3, /* @label is a line the program printed */
  LAB_EVENT_FLAG_STDERR      = 1 << 4, /* ... printed on standard error */
  LAB_EVENT_FLAG_ERROR       = 1 << 5, /* something failed here */
} LabEventFlags;

/* One recorded event: 32 bytes, written without locks by the thread that
 * owns the lane. Timestamps are CLOCK_MONOTONIC nanoseconds, which is
 * system-wide, so events of child processes line up with the parent's. */
typedef struct
{
  gint64  ts_ns;  /* CLOCK_MONOTONIC, ns */
  gint64  value;  /* counter value, value read/written, byte count ... */
  guint32 label;  /* LabStringPool id, 0 = none */
  guint32 flow;   /* arrow id shared by its source and target, 0 = none */
  guint16 lane;   /* index of the lane in the recorder / trace */
  guint8  kind;   /* LabEventKind */
  guint8  state;  /* LabState, for LAB_EVENT_BEGIN */
  gint16  cpu;    /* sched_getcpu() at record time, -1 if unknown */
  guint16 flags;  /* LabEventFlags */
} LabEvent;

G_STATIC_ASSERT (sizeof (LabEvent) == 32);

static inline gint64
lab_clock_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Untranslated stable name ("running", "lock-wait" ...) and translated label. */
const char *lab_state_to_nick  (LabState state);
const char *lab_state_to_label (LabState state);

G_END_DECLS
