/* lab-py-receiver.h — receives the records of traced Python processes
 * (src/tracer/labtrace.py) on a Unix socket and records them as events.
 *
 * The wire format. Each traced process connects once (a forked child opens
 * its own connection) and sends a stream of frames. All integers are
 * little-endian; a string is a u32 byte count and that many bytes of UTF-8.
 *
 *   offset  size  field
 *        0     4  magic    "LabP" (4C 61 62 50)
 *        4     2  version  LAB_PY_WIRE_VERSION
 *        6     2  kind     LabPyRecordKind
 *        8     4  length   payload bytes, at most LAB_PY_WIRE_MAX_RECORD
 *       12        payload
 *
 * Payloads (ts = i64 time.monotonic_ns(), i.e. CLOCK_MONOTONIC; tid = u32
 * native thread id, threading.get_native_id()):
 *
 *   HELLO          ts, u32 pid, u32 ppid, string python version,
 *                  u32 argc, argc strings (sys.orig_argv); the first record
 *   THREAD_START   ts, tid, string thread name
 *   THREAD_END     ts, tid
 *   CALL           ts, tid, string function (co_qualname) — the program's
 *                  own code only, never the standard library
 *   RETURN         ts, tid — ends the innermost CALL of the thread
 *   SLEEP          ts begin, ts end, tid
 *   LOCK_ACQUIRED  ts wait begin, ts acquired, tid, u32 lock id, string name
 *   LOCK_RELEASED  ts, tid, u32 lock id
 *   QUEUE_PUT      ts, tid, u32 flow (the process's own numbering)
 *   QUEUE_GET      ts begin, ts end, tid, u32 flow of the put (0: unknown)
 *   OUTPUT         ts, tid, u32 stream (1 stdout, 2 stderr), string line
 *   EXCEPTION      ts, tid, string summary, string traceback
 *
 * Records of one thread arrive in the order they happened. A frame with a
 * wrong magic or version, an unknown kind, a length above the limit, a
 * payload that does not add up, or a stream that ends inside a frame is an
 * error that names the process ("pid 1234: record 17 is truncated"): the
 * connection is closed and what came before it stays recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-recorder.h"

G_BEGIN_DECLS

#define LAB_PY_WIRE_MAGIC       0x5062614cu /* "LabP" read as little-endian */
#define LAB_PY_WIRE_VERSION     1
#define LAB_PY_WIRE_HEADER_SIZE 12
/* One record is small (a traceback is the largest): 1 MiB is garbage. */
#define LAB_PY_WIRE_MAX_RECORD  (1024u * 1024)

/* Default limits: processes traced in one run, bytes one process may send. */
#define LAB_PY_RECEIVER_MAX_PROCESSES 64
#define LAB_PY_RECEIVER_MAX_BYTES     (G_GUINT64_CONSTANT (256) * 1024 * 1024)
/* Default bound on what the printed lines of one run may hold in the lab. */
#define LAB_PY_RECEIVER_MAX_OUTPUT    (G_GUINT64_CONSTANT (8) * 1024 * 1024)

typedef enum
{
  LAB_PY_RECORD_HELLO = 1,
  LAB_PY_RECORD_THREAD_START,
  LAB_PY_RECORD_THREAD_END,
  LAB_PY_RECORD_CALL,
  LAB_PY_RECORD_RETURN,
  LAB_PY_RECORD_SLEEP,
  LAB_PY_RECORD_LOCK_ACQUIRED,
  LAB_PY_RECORD_LOCK_RELEASED,
  LAB_PY_RECORD_QUEUE_PUT,
  LAB_PY_RECORD_QUEUE_GET,
  LAB_PY_RECORD_OUTPUT,
  LAB_PY_RECORD_EXCEPTION,
  LAB_PY_RECORD_N
} LabPyRecordKind;

typedef struct _LabPyReceiver LabPyReceiver;

/* Creates a private directory (0700) with the socket in it and starts
 * listening on a thread of its own; each connection is read on its own
 * thread, which owns the lanes of that process in @recorder. */
LabPyReceiver *lab_py_receiver_new             (LabRecorder  *recorder,
                                                GError      **error);
const char    *lab_py_receiver_get_socket_path (LabPyReceiver *self);
void           lab_py_receiver_set_limits      (LabPyReceiver *self,
                                                guint          max_processes,
                                                guint64        max_bytes);
/* Stops accepting, reads what the connections still hold until they end
 * (or stay silent for a moment: a process outside the run keeps its socket
 * open) and joins every thread. Idempotent. */
void           lab_py_receiver_stop            (LabPyReceiver *self);
/* Stops, removes the socket and its directory, frees. */
void           lab_py_receiver_free            (LabPyReceiver *self);

/* The connections so far, those refused at the limit too: one per traced
 * process that started. Cheap; at any time. */
guint          lab_py_receiver_get_n_connected (LabPyReceiver *self);
/* After stop: the processes that said hello, and the errors met so far
 * (one line each, in words a student understands). */
guint          lab_py_receiver_get_n_processes (LabPyReceiver *self);
GStrv          lab_py_receiver_dup_errors      (LabPyReceiver *self);
/* Keeps the lines every process prints to standard output (before the
 * first connection), each whole, one after another as they arrive: unlike
 * the bytes of a shared pipe, two processes' lines never mix. */
void           lab_py_receiver_keep_output     (LabPyReceiver *self);
/* The kept lines, each ending in "\n" (caller frees). */
char          *lab_py_receiver_dup_output      (LabPyReceiver *self);

/* Bounds the printed lines of the whole run (all processes, both streams)
 * to about @max_bytes twice over: the first @max_bytes become marks on the
 * timeline, then one line says the rest is not shown; the lines kept by
 * keep_output() are the last @max_bytes of standard output. Before the
 * first connection. */
void           lab_py_receiver_set_output_limit (LabPyReceiver *self,
                                                 guint64        max_bytes);
/* After stop: the bytes the processes printed (each line with its end) and
 * how many of them are not on the timeline. */
guint64        lab_py_receiver_get_output_dropped (LabPyReceiver *self,
                                                   guint64       *printed);

/* After stop: the pids of processes whose records stopped before their
 * main thread ended (the program closed the lab's socket, exec()ed another
 * program, or was killed); @alive says which were still running when
 * their connection ended, i.e. certainly cut off by the program itself. */
GArray        *lab_py_receiver_dup_cut_short   (LabPyReceiver *self,
                                                GArray       **alive);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabPyReceiver, lab_py_receiver_free)

G_END_DECLS
