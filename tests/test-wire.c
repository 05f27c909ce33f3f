/* test-wire.c — the worker protocol: every frame type survives a round
 * trip, streams are cut anywhere, and garbage (bad magic, another version,
 * an unknown type, an oversized length, a truncated frame, payloads that do
 * not add up) is rejected with an error instead of being read as data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "lab-wire.h"

/* ---- helpers ---- */

static GBytes *
take_bytes (LabWireWriter *writer)
{
  GBytes *bytes = lab_wire_writer_to_bytes (writer);

  lab_wire_writer_reset (writer);
  return bytes;
}

/* Feeds @bytes in pieces of @step bytes; collects the frames. Returns FALSE
 * (with @error) at the first garbage. */
static gboolean
read_all (GBytes   *bytes,
          gsize     step,
          GArray   *frames,
          GError  **error)
{
  g_autoptr(LabWireReader) reader = lab_wire_reader_new ();
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize pos = 0;

  while (pos < size)
    {
      gsize n = MIN (step, size - pos);
      gsize done = 0;

      while (done < n)
        {
          gssize taken = lab_wire_reader_feed (reader, data + pos + done, n - done, error);
          LabWireFrame frame;

          if (taken < 0)
            return FALSE;
          done += (gsize) taken;
          while (lab_wire_reader_pop (reader, &frame))
            g_array_append_val (frames, frame);
        }
      pos += n;
    }
  return lab_wire_reader_finish (reader, error);
}

static GArray *
frames_new (void)
{
  GArray *frames = g_array_new (FALSE, TRUE, sizeof (LabWireFrame));

  g_array_set_clear_func (frames, (GDestroyNotify) lab_wire_frame_clear);
  return frames;
}

static GBytes *
header_bytes (guint32 magic,
              guint16 version,
              guint16 type,
              guint32 length,
              guint32 reserved)
{
  guint8 h[LAB_WIRE_HEADER_SIZE];
  guint32 u32;
  guint16 u16;

  u32 = GUINT32_TO_LE (magic);
  memcpy (h, &u32, 4);
  u16 = GUINT16_TO_LE (version);
  memcpy (h + 4, &u16, 2);
  u16 = GUINT16_TO_LE (type);
  memcpy (h + 6, &u16, 2);
  u32 = GUINT32_TO_LE (length);
  memcpy (h + 8, &u32, 4);
  u32 = GUINT32_TO_LE (reserved);
  memcpy (h + 12, &u32, 4);
  return g_bytes_new (h, sizeof h);
}

static void
assert_garbage (GBytes *bytes,
                gint    code)
{
  g_autoptr(GArray) frames = frames_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (read_all (bytes, 1, frames, &error));
  g_assert_error (error, LAB_WIRE_ERROR, code);
  g_test_message ("rejected: %s", error->message);
  /* Nothing of it came out as a frame. */
  g_assert_cmpuint (frames->len, ==, 0);
}

/* ---- round trips ---- */

static void
test_roundtrip_small (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GArray) frames = frames_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  guint32 version, index, flags, pid;
  guint64 task_id;

  lab_wire_put_hello (writer, 7, LAB_WIRE_HELLO_EVENTS);
  lab_wire_put_ready (writer, 4711);
  lab_wire_put_quit (writer);
  lab_wire_put_error (writer, 3, "ничего не вышло");
  lab_wire_put_progress (writer, 12);
  bytes = take_bytes (writer);

  /* Whole, and cut into every possible piece size up to a frame. */
  for (gsize step = 1; step <= 64; step += (step < 20 ? 1 : 13))
    {
      g_array_set_size (frames, 0);
      g_assert_true (read_all (bytes, step, frames, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (frames->len, ==, 5);
    }

  g_assert_true (lab_wire_parse_hello (&g_array_index (frames, LabWireFrame, 0), &version,
                                       &index, &flags, &error));
  g_assert_cmpuint (version, ==, LAB_WIRE_VERSION);
  g_assert_cmpuint (index, ==, 7);
  g_assert_cmpuint (flags, ==, LAB_WIRE_HELLO_EVENTS);

  g_assert_true (lab_wire_parse_ready (&g_array_index (frames, LabWireFrame, 1), &version,
                                       &pid, &error));
  g_assert_cmpuint (pid, ==, 4711);

  g_assert_cmpint (g_array_index (frames, LabWireFrame, 2).type, ==, LAB_WIRE_FRAME_QUIT);
  g_assert_cmpuint (g_array_index (frames, LabWireFrame, 2).length, ==, 0);

  g_assert_true (lab_wire_parse_error (&g_array_index (frames, LabWireFrame, 3), &task_id,
                                       &message, &error));
  g_assert_cmpuint (task_id, ==, 3);
  g_assert_cmpstr (message, ==, "ничего не вышло");

  g_assert_true (lab_wire_parse_progress (&g_array_index (frames, LabWireFrame, 4), &task_id,
                                          &error));
  g_assert_cmpuint (task_id, ==, 12);

  /* A frame of one type is not parsed as another. */
  g_assert_false (lab_wire_parse_ready (&g_array_index (frames, LabWireFrame, 0), &version,
                                        &pid, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_TYPE);
}

static void
test_roundtrip_task (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GArray) frames = frames_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree gint64 *array = g_new (gint64, 100003);
  const char *acc[] = { "item", "другой" };
  g_autoptr(GPtrArray) strings = NULL;
  LabWireTask task = { 0 }, got;
  guint64 le = GUINT64_TO_LE (21);
  gint64 value;

  for (guint i = 0; i < 100003; i++)
    array[i] = GINT64_TO_LE ((gint64) i - 50000);

  task.first_task = 40;
  task.function = LAB_WIRE_FN_SUM_ARRAY;
  task.n_items = 4;
  task.flow_in = 11;
  task.flow_out = 12;
  task.argument = 3;
  task.crash_task = 41;
  task.crash_signal = 11;
  task.heartbeat_ms = 250;
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_TASK);
  lab_wire_put_task_head (writer, &task);
  lab_wire_put_item (writer, &le, sizeof le);                  /* copied */
  lab_wire_put_item (writer, array, 100003 * sizeof (gint64)); /* referenced */
  lab_wire_put_item (writer, "abc", 3);                        /* padded */
  lab_wire_put_string_list (writer, acc, G_N_ELEMENTS (acc));
  g_assert_true (lab_wire_end_frame (writer, &error));
  g_assert_no_error (error);
  bytes = take_bytes (writer);

  g_assert_true (read_all (bytes, 4096, frames, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 1);
  g_assert_true (lab_wire_parse_task (&g_array_index (frames, LabWireFrame, 0), &got, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (got.first_task, ==, 40);
  g_assert_cmpuint (got.function, ==, LAB_WIRE_FN_SUM_ARRAY);
  g_assert_cmpuint (got.n_items, ==, 4);
  g_assert_cmpuint (got.flow_in, ==, 11);
  g_assert_cmpuint (got.flow_out, ==, 12);
  g_assert_cmpuint (got.argument, ==, 3);
  g_assert_cmpuint (got.crash_task, ==, 41);
  g_assert_cmpuint (got.crash_signal, ==, 11);
  g_assert_cmpuint (got.heartbeat_ms, ==, 250);
  g_assert_true (lab_wire_item_get_i64 (&got.items[0], &value, &error));
  g_assert_cmpint (value, ==, 21);
  g_assert_cmpmem (got.items[1].data, got.items[1].length, array, 100003 * sizeof (gint64));
  /* Arrays stay 8-aligned inside the payload. */
  g_assert_cmpuint (GPOINTER_TO_SIZE (got.items[1].data) % 8, ==, 0);
  g_assert_cmpmem (got.items[2].data, got.items[2].length, "abc", 3);
  g_assert_false (lab_wire_item_get_i64 (&got.items[2], &value, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  strings = lab_wire_item_get_strings (&got.items[3], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strings->len, ==, 2);
  g_assert_cmpstr (strings->pdata[0], ==, "item");
  g_assert_cmpstr (strings->pdata[1], ==, "другой");
  lab_wire_task_clear (&got);
}

static void
test_roundtrip_result (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GArray) frames = frames_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  LabWireResult result = { 0 }, got;
  guint64 le = GUINT64_TO_LE (6);
  gint64 value;

  result.first_task = 3;
  result.n_items = 2;
  result.receive_begin_ns = 100;
  result.receive_end_ns = 200;
  result.compute_begin_ns = 300;
  result.compute_end_ns = 400;
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_RESULT);
  lab_wire_put_result_head (writer, &result);
  lab_wire_put_item (writer, &le, sizeof le);
  lab_wire_put_item (writer, NULL, 0);
  g_assert_true (lab_wire_end_frame (writer, NULL));
  bytes = take_bytes (writer);

  g_assert_true (read_all (bytes, 7, frames, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 1);

  g_assert_true (lab_wire_parse_result (&g_array_index (frames, LabWireFrame, 0), &got, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got.first_task, ==, 3);
  g_assert_cmpuint (got.n_items, ==, 2);
  g_assert_cmpint (got.receive_begin_ns, ==, 100);
  g_assert_cmpint (got.receive_end_ns, ==, 200);
  g_assert_cmpint (got.compute_begin_ns, ==, 300);
  g_assert_cmpint (got.compute_end_ns, ==, 400);
  g_assert_true (lab_wire_item_get_i64 (&got.items[0], &value, NULL));
  g_assert_cmpint (value, ==, 6);
  g_assert_cmpuint (got.items[1].length, ==, 0);
  lab_wire_result_clear (&got);
}

static void
collect_string (guint32     id,
                const char *text,
                gpointer    data)
{
  g_ptr_array_add (data, g_strdup_printf ("%u=%s", id, text));
}

static void
test_events (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GArray) frames = frames_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint32 ids[] = { 1, 2 };
  const char *labels[] = { "multiplier(3)", "задача 3" };
  LabEvent sent[3] = { 0 };

  sent[0] = (LabEvent) { .ts_ns = 1000, .value = 3, .label = 2, .flow = 9,
                         .kind = LAB_EVENT_MARK, .cpu = 1,
                         .flags = LAB_EVENT_FLAG_FLOW_TARGET };
  sent[1] = (LabEvent) { .ts_ns = 1001, .label = 1, .kind = LAB_EVENT_BEGIN,
                         .state = LAB_STATE_SENDING, .cpu = -1 };
  sent[2] = (LabEvent) { .ts_ns = G_MAXINT64 - 1, .value = G_MININT64, .kind = LAB_EVENT_END };
  lab_wire_put_events (writer, ids, labels, 2, sent, 3);
  bytes = take_bytes (writer);

  g_assert_true (read_all (bytes, 5, frames, &error));
  g_assert_true (lab_wire_parse_events (&g_array_index (frames, LabWireFrame, 0), collect_string,
                                        strings, events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strings->len, ==, 2);
  g_assert_cmpstr (strings->pdata[0], ==, "1=multiplier(3)");
  g_assert_cmpstr (strings->pdata[1], ==, "2=задача 3");
  g_assert_cmpuint (events->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const LabEvent *e = &g_array_index (events, LabEvent, i);

      g_assert_cmpint (e->ts_ns, ==, sent[i].ts_ns);
      g_assert_cmpint (e->value, ==, sent[i].value);
      g_assert_cmpuint (e->label, ==, sent[i].label);
      g_assert_cmpuint (e->flow, ==, sent[i].flow);
      g_assert_cmpuint (e->kind, ==, sent[i].kind);
      g_assert_cmpuint (e->state, ==, sent[i].state);
      g_assert_cmpint (e->cpu, ==, sent[i].cpu);
      g_assert_cmpuint (e->flags, ==, sent[i].flags);
    }
}

/* Through a real non-blocking pipe: partial writes, direct reads. */
static void
test_pipe (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(LabWireReader) reader = lab_wire_reader_new ();
  g_autoptr(GError) error = NULL;
  gsize n_values = 3 * 1024 * 1024 / sizeof (gint64);
  g_autofree gint64 *array = g_new (gint64, n_values);
  LabWireTask task = { .first_task = 1, .function = LAB_WIRE_FN_SUM_ARRAY, .n_items = 1 };
  LabWireFrame frame = { 0 };
  LabWireTask got;
  gboolean have_frame = FALSE;
  guint partial_writes = 0;
  int fds[2];

  for (gsize i = 0; i < n_values; i++)
    array[i] = (gint64) i * 7;
  g_assert_no_errno (pipe (fds));
  g_assert_no_errno (fcntl (fds[1], F_SETFL, O_NONBLOCK));
  g_assert_no_errno (fcntl (fds[0], F_SETFL, O_NONBLOCK));

  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_TASK);
  lab_wire_put_task_head (writer, &task);
  lab_wire_put_item (writer, array, n_values * sizeof (gint64));
  g_assert_true (lab_wire_end_frame (writer, NULL));

  while (!have_frame)
    {
      gssize written = lab_wire_writer_write_fd (writer, fds[1]);
      gsize want;
      guint8 *dest;
      gssize n;

      g_assert_cmpint (written, >=, 0);
      if (!lab_wire_writer_is_done (writer))
        partial_writes++;
      while ((dest = lab_wire_reader_want (reader, &want)) != NULL &&
             (n = read (fds[0], dest, want)) > 0)
        g_assert_true (lab_wire_reader_advance (reader, (gsize) n, &error));
      have_frame = lab_wire_reader_pop (reader, &frame);
    }
  g_assert_true (lab_wire_writer_is_done (writer));
  g_assert_cmpuint (lab_wire_writer_get_written (writer), ==, lab_wire_writer_get_size (writer));
  /* A 64 KiB pipe cannot take 3 MiB at once. */
  g_assert_cmpuint (partial_writes, >, 1);

  g_assert_true (lab_wire_parse_task (&frame, &got, &error));
  g_assert_cmpmem (got.items[0].data, got.items[0].length, array, n_values * sizeof (gint64));
  lab_wire_task_clear (&got);
  lab_wire_frame_clear (&frame);
  close (fds[0]);

  /* The reader is gone: EPIPE (with SIGPIPE ignored), not a hang. */
  signal (SIGPIPE, SIG_IGN);
  lab_wire_writer_reset (writer);
  lab_wire_put_quit (writer);
  g_assert_cmpint (lab_wire_writer_write_fd (writer, fds[1]), ==, -1);
  g_assert_cmpint (errno, ==, EPIPE);
  close (fds[1]);
}

/* ---- garbage ---- */

static void
test_garbage_header (void)
{
  g_autoptr(GBytes) bad_magic = header_bytes (0x64726167, LAB_WIRE_VERSION, LAB_WIRE_FRAME_QUIT, 0, 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("HTTP/1.1 200 OK\r\n", 17);
  g_autoptr(GBytes) bad_version = header_bytes (LAB_WIRE_MAGIC, LAB_WIRE_VERSION + 1,
                                                LAB_WIRE_FRAME_QUIT, 0, 0);
  g_autoptr(GBytes) bad_type = header_bytes (LAB_WIRE_MAGIC, LAB_WIRE_VERSION, 77, 0, 0);
  g_autoptr(GBytes) too_long = header_bytes (LAB_WIRE_MAGIC, LAB_WIRE_VERSION, LAB_WIRE_FRAME_TASK,
                                             LAB_WIRE_MAX_PAYLOAD + 1, 0);
  g_autoptr(GBytes) huge = header_bytes (LAB_WIRE_MAGIC, LAB_WIRE_VERSION, LAB_WIRE_FRAME_RESULT,
                                         G_MAXUINT32, 0);
  g_autoptr(GBytes) reserved = header_bytes (LAB_WIRE_MAGIC, LAB_WIRE_VERSION,
                                             LAB_WIRE_FRAME_QUIT, 0, 1);

  assert_garbage (bad_magic, LAB_WIRE_ERROR_BAD_MAGIC);
  assert_garbage (text, LAB_WIRE_ERROR_BAD_MAGIC);
  assert_garbage (bad_version, LAB_WIRE_ERROR_BAD_VERSION);
  assert_garbage (bad_type, LAB_WIRE_ERROR_BAD_TYPE);
  assert_garbage (too_long, LAB_WIRE_ERROR_TOO_LONG);
  assert_garbage (huge, LAB_WIRE_ERROR_TOO_LONG);
  assert_garbage (reserved, LAB_WIRE_ERROR_MALFORMED);
}

static void
test_garbage_truncated (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GBytes) whole = NULL;
  gsize size;
  const guint8 *data;

  lab_wire_put_ready (writer, 1234);
  whole = take_bytes (writer);
  data = g_bytes_get_data (whole, &size);

  /* Cut anywhere inside: inside the header, inside the payload. */
  for (gsize cut = 1; cut < size; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);

      assert_garbage (part, LAB_WIRE_ERROR_TRUNCATED);
    }

  /* A frame, then garbage: the frame is good, the rest is refused. */
  {
    g_autoptr(LabWireReader) reader = lab_wire_reader_new ();
    g_autoptr(GError) error = NULL;
    LabWireFrame frame;

    g_assert_cmpint (lab_wire_reader_feed (reader, data, size, &error), ==, (gssize) size);
    g_assert_true (lab_wire_reader_pop (reader, &frame));
    lab_wire_frame_clear (&frame);
    g_assert_cmpint (lab_wire_reader_feed (reader, (const guint8 *) "xxxx", 4, &error), ==, -1);
    g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_MAGIC);
    g_clear_error (&error);
    /* And it stays broken. */
    g_assert_cmpint (lab_wire_reader_feed (reader, data, size, &error), ==, -1);
    g_assert_nonnull (error);
  }
}

/* Valid headers around payloads that do not add up. */
static void
test_garbage_payload (void)
{
  g_autoptr(LabWireWriter) writer = lab_wire_writer_new ();
  g_autoptr(GError) error = NULL;
  LabWireFrame frame = { 0 };
  LabWireTask task;
  LabWireResult result;
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  guint8 payload[96] = { 0 };
  guint32 u32;

  /* A task (its head is 56 bytes) claiming a million items in none. */
  frame.type = LAB_WIRE_FRAME_TASK;
  frame.payload = payload;
  frame.length = 56;
  u32 = GUINT32_TO_LE (1000000);
  memcpy (payload + 12, &u32, 4);
  g_assert_false (lab_wire_parse_task (&frame, &task, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* An item longer than the payload. */
  u32 = GUINT32_TO_LE (1);
  memcpy (payload + 12, &u32, 4);
  u32 = GUINT32_TO_LE (4096);
  memcpy (payload + 56, &u32, 4);
  frame.length = 72;
  g_assert_false (lab_wire_parse_task (&frame, &task, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Extra bytes after the last item. */
  u32 = GUINT32_TO_LE (8);
  memcpy (payload + 56, &u32, 4);
  frame.length = 80;
  g_assert_false (lab_wire_parse_task (&frame, &task, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  frame.length = 72;
  g_assert_true (lab_wire_parse_task (&frame, &task, &error));
  lab_wire_task_clear (&task);

  /* A non-zero reserved field in an item, then in the task's head. */
  payload[60] = 1;
  g_assert_false (lab_wire_parse_task (&frame, &task, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  payload[60] = 0;
  payload[52] = 1;
  g_assert_false (lab_wire_parse_task (&frame, &task, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A result that is too short. */
  frame.type = LAB_WIRE_FRAME_RESULT;
  frame.length = 20;
  g_assert_false (lab_wire_parse_result (&frame, &result, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Events: a count the payload does not hold; a bad kind; bad UTF-8. */
  frame.type = LAB_WIRE_FRAME_EVENTS;
  memset (payload, 0, sizeof payload);
  u32 = GUINT32_TO_LE (2);
  memcpy (payload + 4, &u32, 4);
  frame.length = 8 + 32;
  g_assert_false (lab_wire_parse_events (&frame, collect_string, NULL, events, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  u32 = GUINT32_TO_LE (1);
  memcpy (payload + 4, &u32, 4);
  payload[8 + 26] = 99; /* kind */
  g_assert_false (lab_wire_parse_events (&frame, collect_string, NULL, events, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  payload[8 + 26] = LAB_EVENT_BEGIN;
  payload[8 + 27] = LAB_STATE_N; /* state */
  g_assert_false (lab_wire_parse_events (&frame, collect_string, NULL, events, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  memset (payload, 0, sizeof payload);
  u32 = GUINT32_TO_LE (1);
  memcpy (payload, &u32, 4);      /* one string */
  memcpy (payload + 8, &u32, 4);  /* id 1 */
  u32 = GUINT32_TO_LE (2);
  memcpy (payload + 12, &u32, 4); /* 2 bytes */
  payload[16] = 0xc3;             /* a cut UTF-8 sequence */
  payload[17] = 0x28;
  frame.length = 20;
  g_assert_false (lab_wire_parse_events (&frame, collect_string, NULL, events, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A writer refuses to make an oversized frame. */
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_TASK);
  lab_wire_put_ref (writer, payload, (gsize) LAB_WIRE_MAX_PAYLOAD + 1); /* never read */
  g_assert_false (lab_wire_end_frame (writer, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TOO_LONG);
  g_test_message ("%s", error->message);
}

/* Pool.map's messages: the bytes python3 makes for the same tuples
 * (pickle.dumps(..., protocol=5), functions as their names), read back. */
static void
test_pickled_messages (void)
{
  static const char task_bytes[] =
    "\x80\x05\x95\x2a\x00\x00\x00\x00\x00\x00\x00\x28\x4b\x00\x4b\x03\x8c\x07"
    "mapstar\x94\x8c\x03sum\x94\x5d\x94\x28\x4b\x01\x4b\x01\x4b\x01\x65\x85\x94"
    "\x86\x94\x85\x94\x7d\x94\x74\x94\x2e";
  static const char result_bytes[] =
    "\x80\x05\x95\x12\x00\x00\x00\x00\x00\x00\x00\x4b\x00\x4b\x03\x88\x5d\x94"
    "\x28\x4b\x07\x4b\x02\x65\x86\x94\x87\x94\x2e";
  const gint64 ones[3] = { 1, 1, 1 }, results[2] = { 7, 2 };
  LabPyValue *part = lab_py_int_list_new (ones, 3);
  g_autoptr(LabPyValue) task = lab_wire_task_tuple_new (0, 3, LAB_WIRE_FN_SUM_ARRAY,
                                                        lab_py_tuple_new (&part, 1));
  g_autoptr(LabPyValue) answer = lab_wire_result_tuple_new (0, 3, lab_py_int_list_new (results, 2));
  g_autoptr(GBytes) task_pickle = lab_pickle_dumps (task);
  g_autoptr(GBytes) answer_pickle = lab_pickle_dumps (answer);
  g_autoptr(LabPyValue) task_back = NULL;
  g_autoptr(LabPyValue) answer_back = NULL;
  g_autoptr(GError) error = NULL;
  LabPyValue *args, *list;
  gsize n = 0;

  g_assert_cmpmem (g_bytes_get_data (task_pickle, NULL), g_bytes_get_size (task_pickle),
                   task_bytes, sizeof task_bytes - 1);
  g_assert_cmpmem (g_bytes_get_data (answer_pickle, NULL), g_bytes_get_size (answer_pickle),
                   result_bytes, sizeof result_bytes - 1);

  task_back = lab_pickle_loads (task_bytes, sizeof task_bytes - 1, &error);
  g_assert_no_error (error);
  args = lab_wire_task_tuple_parse (task_back, LAB_WIRE_FN_SUM_ARRAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lab_py_value_get_length (args), ==, 1);
  g_assert_nonnull (lab_py_list_peek_ints (lab_py_value_get_item (args, 0), &n));
  g_assert_cmpuint (n, ==, 3);
  /* The task names sum, not sum_n: refused, saying both. */
  g_assert_null (lab_wire_task_tuple_parse (task_back, LAB_WIRE_FN_SUM_N, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "“sum”"));
  g_assert_nonnull (strstr (error->message, "“sum_n”"));
  g_clear_error (&error);
  /* A result is no task, and the other way round. */
  answer_back = lab_pickle_loads (result_bytes, sizeof result_bytes - 1, &error);
  g_assert_no_error (error);
  g_assert_null (lab_wire_task_tuple_parse (answer_back, LAB_WIRE_FN_SUM_ARRAY, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (lab_wire_result_tuple_parse (task_back, &error));
  g_assert_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED);
  g_clear_error (&error);
  list = lab_wire_result_tuple_parse (answer_back, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lab_py_value_get_length (list), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/roundtrip/small", test_roundtrip_small);
  g_test_add_func ("/wire/roundtrip/task", test_roundtrip_task);
  g_test_add_func ("/wire/roundtrip/result", test_roundtrip_result);
  g_test_add_func ("/wire/roundtrip/events", test_events);
  g_test_add_func ("/wire/pipe", test_pipe);
  g_test_add_func ("/wire/garbage/header", test_garbage_header);
  g_test_add_func ("/wire/garbage/truncated", test_garbage_truncated);
  g_test_add_func ("/wire/garbage/payload", test_garbage_payload);
  g_test_add_func ("/wire/pickled-messages", test_pickled_messages);

  return g_test_run ();
}
