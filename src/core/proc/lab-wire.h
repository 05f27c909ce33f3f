/* lab-wire.h — the framed, versioned binary protocol between the app and
 * its worker helper (concurrency-lab-worker) over the child's stdin and
 * stdout pipes.
 *
 * Every message is one frame: a 16-byte header, then `length` bytes of
 * payload. All integers are little-endian.
 *
 *   offset  size  field
 *        0     4  magic    "LabW" (4C 61 62 57)
 *        4     2  version  LAB_WIRE_VERSION
 *        6     2  type     LabWireType
 *        8     4  length   payload bytes, at most LAB_WIRE_MAX_PAYLOAD
 *       12     4  reserved 0
 *
 * A reader checks every header before it trusts the length: a wrong magic,
 * another version, an unknown type, a non-zero reserved field or a length
 * above the limit is an error (LAB_WIRE_ERROR), never read as data, and so
 * is a payload whose contents do not add up (see the parsers) or a stream
 * that ends inside a frame.
 *
 * Payloads (u32/u64/i64 little-endian; "item" = u32 length, u32 0, then the
 * bytes, padded with zeros to a multiple of 8 so that arrays of int64 stay
 * aligned):
 *
 *   parent → worker
 *     HELLO   u32 version, u32 worker index, u32 flags (LabWireHelloFlags)
 *     TASK    u64 first task id, u32 function (LabWireFunction), u32 n items,
 *             u32 flow in, u32 flow out, u64 argument, u64 crash task,
 *             u32 crash signal, u32 heartbeat ms, then n items (tasks
 *             first … first + n − 1: one chunk of Pool.map). Test only:
 *             with a crash signal other than 0, the worker kills itself with
 *             it in the middle of the task numbered crash task (with
 *             LAB_WIRE_HANG, it loops there forever without a word instead).
 *             With a heartbeat other than 0, the worker sends PROGRESS at
 *             least that often while it computes.
 *     QUIT    nothing
 *   worker → parent
 *     READY   u32 version, u32 pid
 *     RESULT  u64 first task id, u32 n items, u32 0, i64 receive begin,
 *             i64 receive end, i64 compute begin, i64 compute end (ns,
 *             CLOCK_MONOTONIC), then n items
 *     EVENTS  u32 n strings, u32 n events, the strings (u32 id, u32 length,
 *             bytes, padded to 4), then n events of 32 bytes (i64 ts, i64
 *             value, u32 label = a string id of this worker, u32 flow, u16 0,
 *             u8 kind, u8 state, i16 cpu, u16 flags)
 *     ERROR   u64 task id (G_MAXUINT64: not about a task), u32 length, the
 *             message (UTF-8), padded to 4
 *     PROGRESS u64 task id (the one being computed): "still working"
 *
 * A worker answers each TASK with its EVENTS (if HELLO asked for them)
 * and then its RESULT, or ERROR, in one write: once the parent has a
 * chunk's result it has everything the worker recorded for it. Before
 * that it may send any number of PROGRESS frames: they come from inside
 * the computing loops, so a worker that is stopped or stuck in an endless
 * loop sends none, while one that is merely slow keeps sending them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/uio.h>

#include "lab-event.h"
#include "lab-pickle.h"

G_BEGIN_DECLS

#define LAB_WIRE_MAGIC        0x5762614cu /* "LabW" read as little-endian */
#define LAB_WIRE_VERSION      3
#define LAB_WIRE_HEADER_SIZE  16
/* The largest payload of one frame (256 MiB); bigger data is split. */
#define LAB_WIRE_MAX_PAYLOAD  (256u * 1024 * 1024)
/* The task id of an ERROR frame that is not about a task. */
#define LAB_WIRE_NO_TASK      G_MAXUINT64
/* Test only: the crash "signal" that makes the worker hang instead. */
#define LAB_WIRE_HANG         G_MAXUINT32

typedef enum
{
  LAB_WIRE_FRAME_HELLO  = 1,
  LAB_WIRE_FRAME_TASK   = 2,
  LAB_WIRE_FRAME_QUIT   = 3,
  LAB_WIRE_FRAME_READY  = 16,
  LAB_WIRE_FRAME_RESULT = 17,
  LAB_WIRE_FRAME_EVENTS = 18,
  LAB_WIRE_FRAME_ERROR  = 19,
  LAB_WIRE_FRAME_PROGRESS = 20,
} LabWireType;

typedef enum
{
  LAB_WIRE_HELLO_NONE   = 0,
  LAB_WIRE_HELLO_EVENTS = 1 << 0, /* record events and send EVENTS frames */
  /* The parent's __main__ has no file (a notebook): unless the worker is a
   * copy of the parent (fork), the functions defined there cannot be found. */
  LAB_WIRE_HELLO_MAIN_NO_FILE = 1 << 1,
} LabWireHelloFlags;

/* What a worker does with each item of a TASK. */
typedef enum
{
  /* item: i64 x → i64 2x; argument: ns of busy work per item */
  LAB_WIRE_FN_DOUBLE = 1,
  /* item: i64 array → i64 sum; argument: busywork rounds per element */
  LAB_WIRE_FN_SUM_ARRAY,
  /* item: i64 n → i64 sum of n ones made by the worker; argument: rounds */
  LAB_WIRE_FN_SUM_N,
  /* item: a list of strings (the worker's copy of the parent's list) →
   * i64 length of that copy after appending 'item' to it */
  LAB_WIRE_FN_APPEND_ITEM,
  /* item: a string → the same string sent back (like Queue.put) */
  LAB_WIRE_FN_QUEUE_PUT,
  LAB_WIRE_FN_LAST = LAB_WIRE_FN_QUEUE_PUT
} LabWireFunction;

#define LAB_WIRE_ERROR (lab_wire_error_quark ())

typedef enum
{
  LAB_WIRE_ERROR_BAD_MAGIC,
  LAB_WIRE_ERROR_BAD_VERSION,
  LAB_WIRE_ERROR_BAD_TYPE,
  LAB_WIRE_ERROR_TOO_LONG,   /* length above LAB_WIRE_MAX_PAYLOAD */
  LAB_WIRE_ERROR_TRUNCATED,  /* the stream ended inside a frame */
  LAB_WIRE_ERROR_MALFORMED,  /* a payload that does not add up */
} LabWireError;

GQuark       lab_wire_error_quark   (void);
const char  *lab_wire_type_to_string (guint type);
/* The Python name of a LabWireFunction, as it travels in the task's
 * pickle ("sum", "sum_n", …); NULL for an unknown one. */
const char  *lab_wire_function_name (guint32 function);
/* Whether @function is one the parent's program defines in __main__ (not
 * a method of a multiprocessing object, such as q.put). */
gboolean     lab_wire_function_in_main (guint32 function);

/* ---- payloads ---- */

typedef struct
{
  const guint8 *data;
  gsize         length;
} LabWireItem;

typedef struct
{
  guint64      first_task;
  guint32      function;  /* LabWireFunction */
  guint32      n_items;
  guint32      flow_in;
  guint32      flow_out;
  guint64      argument;
  guint64      crash_task;   /* test only, see TASK above */
  guint32      crash_signal; /* 0: no crash; LAB_WIRE_HANG: hang */
  guint32      heartbeat_ms; /* PROGRESS at least this often (0: never) */
  guint32      pickle_rounds; /* busywork per unpickled number */
  LabWireItem *items;     /* n_items, pointing into the frame's payload */
} LabWireTask;

typedef struct
{
  guint64      first_task;
  guint32      n_items;
  gint64       receive_begin_ns;
  gint64       receive_end_ns;
  gint64       compute_begin_ns;
  gint64       compute_end_ns;
  gint64       unpickle_ns;
  gint64       pickle_ns;
  LabWireItem *items;
} LabWireResult;

/* ---- writing ---- */

/* Frames being put together, sent with writev(). Small fields are copied;
 * large blocks of data can be referenced instead (lab_wire_put_ref), and
 * must then stay alive and unchanged until the writer is cleared. */
typedef struct _LabWireWriter LabWireWriter;

LabWireWriter *lab_wire_writer_new        (void);
void           lab_wire_writer_free       (LabWireWriter *writer);
/* Forgets every frame (written or not). */
void           lab_wire_writer_reset      (LabWireWriter *writer);

void           lab_wire_begin_frame       (LabWireWriter *writer,
                                           LabWireType    type);
/* Sets the length of the frame begun last. FALSE (with @error) if the
 * payload is longer than LAB_WIRE_MAX_PAYLOAD. */
gboolean       lab_wire_end_frame         (LabWireWriter  *writer,
                                           GError        **error);
void           lab_wire_put_u32           (LabWireWriter *writer,
                                           guint32        value);
void           lab_wire_put_u64           (LabWireWriter *writer,
                                           guint64        value);
void           lab_wire_put_i64           (LabWireWriter *writer,
                                           gint64         value);
void           lab_wire_put_bytes         (LabWireWriter *writer,
                                           const void    *data,
                                           gsize          n);
/* Like put_bytes, without copying (blocks ≥ 4 KiB; smaller are copied). */
void           lab_wire_put_ref           (LabWireWriter *writer,
                                           const void    *data,
                                           gsize          n);
/* An item: its length, the data (copied or referenced), the padding. */
void           lab_wire_put_item          (LabWireWriter *writer,
                                           const void    *data,
                                           gsize          n);

/* The whole frames, ready-made. */
void           lab_wire_put_hello         (LabWireWriter *writer,
                                           guint32        worker_index,
                                           guint32        flags);
void           lab_wire_put_ready         (LabWireWriter *writer,
                                           guint32        pid);
void           lab_wire_put_quit          (LabWireWriter *writer);
void           lab_wire_put_error         (LabWireWriter *writer,
                                           guint64        task_id,
                                           const char    *message);
void           lab_wire_put_progress      (LabWireWriter *writer,
                                           guint64        task_id);
/* EVENTS: @n_strings (id, text) pairs, the strings that first appear in
 * this batch, then the events. The lane field of @events is not sent. */
void           lab_wire_put_events        (LabWireWriter  *writer,
                                           const guint32  *string_ids,
                                           const char    **strings,
                                           guint           n_strings,
                                           const LabEvent *events,
                                           guint           n_events);

/* The fixed part of a TASK or RESULT payload (after begin_frame; the
 * items follow with lab_wire_put_item, then end_frame). */
void           lab_wire_put_task_head     (LabWireWriter       *writer,
                                           const LabWireTask   *task);
void           lab_wire_put_result_head   (LabWireWriter       *writer,
                                           const LabWireResult *result);

/* Total bytes of the frames, and how many have been written so far. */
gsize          lab_wire_writer_get_size   (LabWireWriter *writer);
gsize          lab_wire_writer_get_written (LabWireWriter *writer);
gboolean       lab_wire_writer_is_done    (LabWireWriter *writer);
/* Writes what it can to @fd: everything if @fd blocks, else until the pipe
 * is full (then returns with fewer bytes written). Returns the bytes written
 * in this call, or -1 with errno set (EPIPE: the reader is gone). */
gssize         lab_wire_writer_write_fd   (LabWireWriter *writer,
                                           int            fd);
/* The frames as one byte array (tests). */
GBytes        *lab_wire_writer_to_bytes   (LabWireWriter *writer);

/* ---- reading ---- */

typedef struct
{
  LabWireType  type;
  guint8      *payload; /* g_malloc'd, 8-aligned; NULL if empty */
  gsize        length;
} LabWireFrame;

void           lab_wire_frame_clear       (LabWireFrame *frame);

/* Collects frames from a byte stream fed in pieces of any size. */
typedef struct _LabWireReader LabWireReader;

LabWireReader *lab_wire_reader_new        (void);
void           lab_wire_reader_free       (LabWireReader *reader);
/* Where the next bytes go, and how many the current frame still needs.
 * A caller may read() straight into it (no copy for large payloads). */
guint8        *lab_wire_reader_want       (LabWireReader *reader,
                                           gsize         *n);
/* @n bytes were put where want() said. FALSE with @error on garbage; the
 * reader is then broken and stays so. */
gboolean       lab_wire_reader_advance    (LabWireReader  *reader,
                                           gsize           n,
                                           GError        **error);
/* Copies up to @n bytes of @data in; returns how many it took (it stops at
 * the end of a frame, so call again until all is taken), or -1 on error. */
gssize         lab_wire_reader_feed       (LabWireReader  *reader,
                                           const guint8   *data,
                                           gsize           n,
                                           GError        **error);
/* TRUE and the frame (moved to @frame) once one is complete. */
gboolean       lab_wire_reader_pop        (LabWireReader *reader,
                                           LabWireFrame  *frame);
/* The stream ended: an error if it ended inside a frame. */
gboolean       lab_wire_reader_finish     (LabWireReader  *reader,
                                           GError        **error);
/* TRUE while some bytes of an unfinished frame are held. */
gboolean       lab_wire_reader_is_mid_frame (LabWireReader *reader);

/* ---- parsing payloads ---- */

/* The parsers check every length against the payload; items point into
 * the frame, so keep it until done. Clear results with the _clear calls. */
gboolean       lab_wire_parse_hello       (const LabWireFrame  *frame,
                                           guint32             *version,
                                           guint32             *worker_index,
                                           guint32             *flags,
                                           GError             **error);
gboolean       lab_wire_parse_ready       (const LabWireFrame  *frame,
                                           guint32             *version,
                                           guint32             *pid,
                                           GError             **error);
gboolean       lab_wire_parse_task        (const LabWireFrame  *frame,
                                           LabWireTask         *task,
                                           GError             **error);
void           lab_wire_task_clear        (LabWireTask *task);
gboolean       lab_wire_parse_result      (const LabWireFrame  *frame,
                                           LabWireResult       *result,
                                           GError             **error);
void           lab_wire_result_clear      (LabWireResult *result);
/* EVENTS: calls @on_string for each string, then hands the events over
 * (decoded into @events, an array of LabEvent the caller owns). Each
 * event's kind and state are checked; labels are the worker's ids. */
gboolean       lab_wire_parse_events      (const LabWireFrame  *frame,
                                           void               (*on_string) (guint32     id,
                                                                            const char *text,
                                                                            gpointer    data),
                                           gpointer             data,
                                           GArray              *events,
                                           GError             **error);
gboolean       lab_wire_parse_error       (const LabWireFrame  *frame,
                                           guint64             *task_id,
                                           char               **message,
                                           GError             **error);
gboolean       lab_wire_parse_progress    (const LabWireFrame  *frame,
                                           guint64             *task_id,
                                           GError             **error);

/* An i64 item (most results are one). */
gboolean       lab_wire_item_get_i64      (const LabWireItem  *item,
                                           gint64             *value,
                                           GError            **error);

/* A list of strings as one item: u32 count, then per string u32 length and
 * the bytes. Encoded into @writer as an item; decoded into a GPtrArray of
 * newly allocated strings. */
void           lab_wire_put_string_list   (LabWireWriter      *writer,
                                           const char * const *strings,
                                           guint               n);
/* The same list as the bytes of an item (for LabPoolMap.items). */
GBytes        *lab_wire_string_list_to_bytes (const char * const *strings,
                                              guint               n);
GPtrArray     *lab_wire_item_get_strings  (const LabWireItem  *item,
                                           GError            **error);

/* ---- the pickles of Pool.map (lab-wire-pickle.c) ---- */

/* (job, chunk, "mapstar", ((name of @function, @args),), {}): what a TASK
 * carries. Takes the reference of @args, a tuple of the chunk's items. */
LabPyValue    *lab_wire_task_tuple_new    (guint64      job,
                                           guint64      chunk,
                                           guint32      function,
                                           LabPyValue  *args);
/* The same for a call: the function pickled by reference as @qualname
 * (NULL: its name). With @inherited the call is not sent (Process under
 * fork: the child has it in memory), and the function is None. NULL with
 * @error, as CPython's pickler fails, for a local object. */
LabPyValue    *lab_wire_task_tuple_new_call (guint64      job,
                                             guint64      chunk,
                                             guint32      function,
                                             const char  *qualname,
                                             gboolean     inherited,
                                             LabPyValue  *args,
                                             GError     **error);
/* The args tuple of an unpickled task (borrowed), or NULL with @error if
 * it has another shape or names another function than @function. */
LabPyValue    *lab_wire_task_tuple_parse  (LabPyValue  *task,
                                           guint32      function,
                                           GError     **error);
/* The same, also taking a task whose function is None: @inherited then
 * says so. */
LabPyValue    *lab_wire_task_tuple_parse_call (LabPyValue  *task,
                                               guint32      function,
                                               gboolean    *inherited,
                                               GError     **error);
/* (job, chunk, (True, @results)): what a RESULT carries. Takes the
 * reference of @results, a list. */
LabPyValue    *lab_wire_result_tuple_new  (guint64      job,
                                           guint64      chunk,
                                           LabPyValue  *results);
/* The results list of an unpickled result (borrowed), or NULL with
 * @error. */
LabPyValue    *lab_wire_result_tuple_parse (LabPyValue  *message,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabWireWriter, lab_wire_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabWireReader, lab_wire_reader_free)

G_END_DECLS
