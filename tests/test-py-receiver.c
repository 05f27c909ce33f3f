/* test-py-receiver.c — the receiver of the CPython engine, fed from a
 * socket by the test itself: a good stream becomes lanes, spans and an
 * arrow; the process that connected first is the program's; garbage, a truncated record, another version, a damaged payload
 * and the limits give one error naming the process, and never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab-py-receiver.h"

#define FAKE_PID 4242
#define FAKE_TID 4243

/* ---- writing records like labtrace.py does ---- */

static void
put_u32 (GByteArray *b, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_i64 (GByteArray *b, gint64 v)
{
  guint64 u = GUINT64_TO_LE ((guint64) v);

  g_byte_array_append (b, (const guint8 *) &u, 8);
}

static void
put_string (GByteArray *b, const char *s)
{
  put_u32 (b, (guint32) strlen (s));
  g_byte_array_append (b, (const guint8 *) s, (guint) strlen (s));
}

/* Appends the header of a record of @kind around @payload. */
static void
put_record_version (GByteArray *out, guint16 version, guint16 kind, GByteArray *payload)
{
  guint16 v = GUINT16_TO_LE (version), k = GUINT16_TO_LE (kind);

  put_u32 (out, LAB_PY_WIRE_MAGIC);
  g_byte_array_append (out, (const guint8 *) &v, 2);
  g_byte_array_append (out, (const guint8 *) &k, 2);
  put_u32 (out, payload->len);
  g_byte_array_append (out, payload->data, payload->len);
  g_byte_array_set_size (payload, 0);
}

static void
put_record (GByteArray *out, guint16 kind, GByteArray *payload)
{
  put_record_version (out, LAB_PY_WIRE_VERSION, kind, payload);
}

static void
put_hello_of (GByteArray *out, guint32 pid)
{
  g_autoptr(GByteArray) p = g_byte_array_new ();

  put_i64 (p, 1000);
  put_u32 (p, pid);
  put_u32 (p, 1);
  put_string (p, "3.11.2");
  put_u32 (p, 2);
  put_string (p, "python3");
  put_string (p, "test.py");
  put_record (out, LAB_PY_RECORD_HELLO, p);
}

static void
put_hello (GByteArray *out)
{
  put_hello_of (out, FAKE_PID);
}

static void
put_thread_start_of (GByteArray *out, gint64 ts, guint32 tid, const char *name)
{
  g_autoptr(GByteArray) p = g_byte_array_new ();

  put_i64 (p, ts);
  put_u32 (p, tid);
  put_string (p, name);
  put_record (out, LAB_PY_RECORD_THREAD_START, p);
}

static void
put_thread_start (GByteArray *out, gint64 ts, const char *name)
{
  put_thread_start_of (out, ts, FAKE_TID, name);
}

static void
put_output (GByteArray *out, gint64 ts, const char *line)
{
  g_autoptr(GByteArray) p = g_byte_array_new ();

  put_i64 (p, ts);
  put_u32 (p, FAKE_TID);
  put_u32 (p, 1);
  put_string (p, line);
  put_record (out, LAB_PY_RECORD_OUTPUT, p);
}

/* ---- feeding a receiver ---- */

static int
connect_to (LabPyReceiver *receiver)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, lab_py_receiver_get_socket_path (receiver), sizeof addr.sun_path);
  g_assert_no_errno (connect (fd, (struct sockaddr *) &addr, sizeof addr));
  return fd;
}

static void
send_over_socket (LabPyReceiver *receiver, GByteArray *bytes)
{
  int fd = connect_to (receiver);

  g_assert_cmpint (write (fd, bytes->data, bytes->len), ==, (gssize) bytes->len);
  close (fd);
}

/* Sends @bytes on one connection, stops the receiver, drains into a trace;
 * returns the receiver's errors. */
static GStrv
receive (GByteArray *bytes, LabTrace **trace_out, guint max_processes, guint64 max_bytes,
         guint n_connections)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);
  g_autoptr(GError) error = NULL;
  LabPyReceiver *receiver = lab_py_receiver_new (recorder, &error);
  g_autofree char *dir = NULL;
  GStrv errors;

  g_assert_no_error (error);
  dir = g_path_get_dirname (lab_py_receiver_get_socket_path (receiver));
  lab_py_receiver_set_limits (receiver, max_processes, max_bytes);
  for (guint i = 0; i < n_connections; i++)
    send_over_socket (receiver, bytes);
  lab_py_receiver_stop (receiver);
  errors = lab_py_receiver_dup_errors (receiver);
  lab_py_receiver_free (receiver);
  /* The private directory goes with the receiver. */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  if (trace_out != NULL)
    {
      *trace_out = lab_trace_new (pool);
      lab_recorder_drain (recorder, *trace_out);
    }
  return errors;
}

static void
assert_one_error (GStrv errors, const char *expected)
{
  g_assert_nonnull (errors);
  g_assert_cmpstr (errors[0], ==, expected);
  g_assert_null (errors[1]);
}

/* ---- tests ---- */

static void
test_good_stream (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) p = g_byte_array_new ();
  g_autoptr(LabTrace) trace = NULL;
  g_auto(GStrv) errors = NULL;
  const LabTraceLane *lane;
  const LabFlowArrow *flows;
  guint n_flows, n_lines;
  const LabOutputLine *lines;

  put_hello (out);
  put_thread_start (out, 1000, "worker");
  put_i64 (p, 1100); put_u32 (p, FAKE_TID); put_string (p, "work");
  put_record (out, LAB_PY_RECORD_CALL, p);
  put_i64 (p, 1200); put_i64 (p, 1300); put_u32 (p, FAKE_TID); put_u32 (p, 7); put_string (p, "Lock 7");
  put_record (out, LAB_PY_RECORD_LOCK_ACQUIRED, p);
  put_output (out, 1400, "inside");
  put_i64 (p, 1500); put_u32 (p, FAKE_TID); put_u32 (p, 7);
  put_record (out, LAB_PY_RECORD_LOCK_RELEASED, p);
  put_i64 (p, 1600); put_u32 (p, FAKE_TID); put_u32 (p, 1);
  put_record (out, LAB_PY_RECORD_QUEUE_PUT, p);
  put_i64 (p, 1700); put_i64 (p, 1800); put_u32 (p, FAKE_TID); put_u32 (p, 1);
  put_record (out, LAB_PY_RECORD_QUEUE_GET, p);
  put_i64 (p, 1900); put_u32 (p, FAKE_TID);
  put_record (out, LAB_PY_RECORD_RETURN, p);

  errors = receive (out, &trace, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  g_assert_null (errors[0]);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 1);
  lane = lab_trace_get_lane (trace, 0);
  g_assert_cmpstr (lane->name, ==, "worker (pid 4242)");
  g_assert_cmpint (lane->tid, ==, FAKE_TID);
  /* depth 0: the call; depth 1: lock wait, lock held, queue wait */
  g_assert_cmpuint (lane->spans[0]->len, ==, 1);
  g_assert_cmpuint (lane->spans[1]->len, ==, 3);
  g_assert_cmpint (g_array_index (lane->spans[1], LabSpan, 0).state, ==, LAB_STATE_LOCK_WAIT);
  g_assert_cmpint (g_array_index (lane->spans[1], LabSpan, 1).state, ==, LAB_STATE_LOCK_HELD);
  g_assert_cmpint (g_array_index (lane->spans[1], LabSpan, 1).end_ns, ==, 1500);
  g_assert_cmpint (g_array_index (lane->spans[1], LabSpan, 2).state, ==, LAB_STATE_WAITING);
  g_assert_false (g_array_index (lane->spans[0], LabSpan, 0).open);
  flows = lab_trace_get_flows (trace, &n_flows);
  g_assert_cmpuint (n_flows, ==, 1);
  g_assert_cmpuint (flows[0].from_lane, ==, 0);
  lines = lab_trace_get_output (trace, &n_lines);
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_cmpstr (lab_trace_get_string (trace, lines[0].label), ==, "inside");
}

static void
test_garbage (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_auto(GStrv) errors = NULL;
  g_autofree char *expected = g_strdup_printf ("pid %d: record 1 is not a trace record "
                                               "(garbage on the socket)", (int) getpid ());

  g_byte_array_append (out, (const guint8 *) "GET / HTTP/1.0\r\n\r\n", 18);
  errors = receive (out, NULL, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  assert_one_error (errors, expected);
}

static void
test_truncated (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(LabTrace) trace = NULL;
  g_auto(GStrv) errors = NULL;

  put_hello (out);
  put_thread_start (out, 1000, "worker");
  put_output (out, 1100, "a line that is cut");
  g_byte_array_set_size (out, out->len - 5);
  errors = receive (out, &trace, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  assert_one_error (errors, "pid 4242: record 3 is truncated");
  /* What came before the cut stays. */
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 1);
  g_assert_cmpstr (lab_trace_get_lane (trace, 0)->name, ==, "worker (pid 4242)");
}

static void
test_unknown_version (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) p = g_byte_array_new ();
  g_auto(GStrv) errors = NULL;

  put_hello (out);
  put_i64 (p, 1000); put_u32 (p, FAKE_TID);
  put_record_version (out, 9, LAB_PY_RECORD_THREAD_END, p);
  errors = receive (out, NULL, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  assert_one_error (errors, "pid 4242: record 2 has version 9, this lab reads version 1");
}

static void
test_damaged (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) p = g_byte_array_new ();
  g_auto(GStrv) errors = NULL;

  put_hello (out);
  /* A string that claims more bytes than its record holds. */
  put_i64 (p, 1000); put_u32 (p, FAKE_TID); put_u32 (p, 1000); put_u32 (p, 0);
  put_record (out, LAB_PY_RECORD_CALL, p);
  errors = receive (out, NULL, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  assert_one_error (errors, "pid 4242: record 2 is damaged");
}

static void
test_no_hello (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_auto(GStrv) errors = NULL;
  g_autofree char *expected = g_strdup_printf ("pid %d: record 1 comes before the process "
                                               "said hello", (int) getpid ());

  put_output (out, 1000, "no hello");
  errors = receive (out, NULL, 8, LAB_PY_RECEIVER_MAX_BYTES, 1);
  assert_one_error (errors, expected);
}

static void
test_byte_limit (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_auto(GStrv) errors = NULL;
  g_autofree char *size = g_format_size (1000);
  g_autofree char *expected = g_strdup_printf ("pid 4242: sent more than %s of trace records; "
                                               "the rest is not shown", size);

  put_hello (out);
  put_thread_start (out, 1000, "chatty");
  for (guint i = 0; i < 100; i++)
    put_output (out, 1000 + i, "a printed line");

  errors = receive (out, NULL, 8, 1000, 1);
  assert_one_error (errors, expected);
}

static void
test_process_limit (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(LabTrace) trace = NULL;
  g_auto(GStrv) errors = NULL;
  g_autofree char *expected = g_strdup_printf ("pid %d: more than 2 Python processes; "
                                               "this one is not traced", (int) getpid ());

  put_hello (out);
  put_thread_start (out, 1000, "one of many");
  errors = receive (out, &trace, 2, LAB_PY_RECEIVER_MAX_BYTES, 3);
  assert_one_error (errors, expected);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 2);
}

/* A program that forks: the child's HELLO may be read before its
 * parent's (each connection has a reader of its own), yet the parent,
 * which connected first, is the program. */
static void
test_first_connected (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (pool);
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  g_autoptr(GByteArray) parent_bytes = g_byte_array_new ();
  g_autoptr(GByteArray) child_bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  LabPyReceiver *receiver = lab_py_receiver_new (recorder, &error);
  const guint32 child_pid = FAKE_PID + 10;
  int parent, child;

  g_assert_no_error (error);
  put_hello_of (parent_bytes, FAKE_PID);
  put_thread_start_of (parent_bytes, 3000, FAKE_PID, "MainThread");
  put_hello_of (child_bytes, child_pid);
  put_thread_start_of (child_bytes, 2000, child_pid, "MainThread");

  parent = connect_to (receiver);
  child = connect_to (receiver);
  g_assert_cmpint (write (child, child_bytes->data, child_bytes->len), ==, (gssize) child_bytes->len);
  close (child);
  /* The child's lane exists before the parent says anything. */
  for (guint tries = 0; lab_trace_get_n_lanes (trace) == 0; tries++)
    {
      g_assert_cmpuint (tries, <, 3000);
      g_usleep (10 * 1000);
      lab_recorder_drain (recorder, trace);
    }
  g_assert_cmpint (write (parent, parent_bytes->data, parent_bytes->len), ==, (gssize) parent_bytes->len);
  close (parent);
  lab_py_receiver_stop (receiver);
  lab_py_receiver_free (receiver);
  lab_recorder_drain (recorder, trace);

  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);
      LabLaneKind expected = lane->tid == FAKE_PID ? LAB_LANE_MAIN : LAB_LANE_PROCESS;

      g_assert_cmpint (lane->kind, ==, expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/py-receiver/good-stream", test_good_stream);
  g_test_add_func ("/py-receiver/garbage", test_garbage);
  g_test_add_func ("/py-receiver/truncated", test_truncated);
  g_test_add_func ("/py-receiver/unknown-version", test_unknown_version);
  g_test_add_func ("/py-receiver/damaged", test_damaged);
  g_test_add_func ("/py-receiver/no-hello", test_no_hello);
  g_test_add_func ("/py-receiver/byte-limit", test_byte_limit);
  g_test_add_func ("/py-receiver/process-limit", test_process_limit);
  g_test_add_func ("/py-receiver/first-connected", test_first_connected);

  return g_test_run ();
}
