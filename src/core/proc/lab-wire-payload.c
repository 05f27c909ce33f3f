/* lab-wire-payload.c — the payloads of the worker protocol's frames (the
 * layouts are described in lab-wire.h): writing them, and parsing them with
 * every length checked against what the frame holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-wire-private.h"

#define LAB_WIRE_EVENT_SIZE 32

/* ---- writing ---- */

void
lab_wire_put_item (LabWireWriter *writer,
                   const void    *data,
                   gsize          n)
{
  g_return_if_fail (n <= G_MAXUINT32);

  lab_wire_put_u32 (writer, (guint32) n);
  lab_wire_put_u32 (writer, 0);
  lab_wire_put_ref (writer, data, n);
  lab_wire_put_padding (writer, n, 8);
}

void
lab_wire_put_hello (LabWireWriter *writer,
                    guint32        worker_index,
                    guint32        flags)
{
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_HELLO);
  lab_wire_put_u32 (writer, LAB_WIRE_VERSION);
  lab_wire_put_u32 (writer, worker_index);
  lab_wire_put_u32 (writer, flags);
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_ready (LabWireWriter *writer,
                    guint32        pid)
{
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_READY);
  lab_wire_put_u32 (writer, LAB_WIRE_VERSION);
  lab_wire_put_u32 (writer, pid);
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_quit (LabWireWriter *writer)
{
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_QUIT);
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_error (LabWireWriter *writer,
                    guint64        task_id,
                    const char    *message)
{
  gsize n = strlen (message);

  /* Messages are short; a runaway one is cut (at a character boundary). */
  if (n > 4096)
    n = (gsize) (g_utf8_find_prev_char (message, message + 4096) - message);

  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_ERROR);
  lab_wire_put_u64 (writer, task_id);
  lab_wire_put_u32 (writer, (guint32) n);
  lab_wire_put_bytes (writer, message, n);
  lab_wire_put_padding (writer, n, 4);
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_progress (LabWireWriter *writer,
                       guint64        task_id)
{
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_PROGRESS);
  lab_wire_put_u64 (writer, task_id);
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_events (LabWireWriter  *writer,
                     const guint32  *string_ids,
                     const char    **strings,
                     guint           n_strings,
                     const LabEvent *events,
                     guint           n_events)
{
  lab_wire_begin_frame (writer, LAB_WIRE_FRAME_EVENTS);
  lab_wire_put_u32 (writer, n_strings);
  lab_wire_put_u32 (writer, n_events);
  for (guint i = 0; i < n_strings; i++)
    {
      gsize n = strlen (strings[i]);

      lab_wire_put_u32 (writer, string_ids[i]);
      lab_wire_put_u32 (writer, (guint32) n);
      lab_wire_put_bytes (writer, strings[i], n);
      lab_wire_put_padding (writer, n, 4);
    }
  for (guint i = 0; i < n_events; i++)
    {
      const LabEvent *e = &events[i];
      guint16 zero = 0;
      guint16 cpu = GUINT16_TO_LE ((guint16) e->cpu);
      guint16 flags = GUINT16_TO_LE (e->flags);

      lab_wire_put_i64 (writer, e->ts_ns);
      lab_wire_put_i64 (writer, e->value);
      lab_wire_put_u32 (writer, e->label);
      lab_wire_put_u32 (writer, e->flow);
      lab_wire_put_bytes (writer, &zero, 2);
      lab_wire_put_bytes (writer, &e->kind, 1);
      lab_wire_put_bytes (writer, &e->state, 1);
      lab_wire_put_bytes (writer, &cpu, 2);
      lab_wire_put_bytes (writer, &flags, 2);
    }
  /* Batches are small (the worker sends one per chunk). */
  lab_wire_end_frame (writer, NULL);
}

void
lab_wire_put_task_head (LabWireWriter     *writer,
                        const LabWireTask *task)
{
  lab_wire_put_u64 (writer, task->first_task);
  lab_wire_put_u32 (writer, task->function);
  lab_wire_put_u32 (writer, task->n_items);
  lab_wire_put_u32 (writer, task->flow_in);
  lab_wire_put_u32 (writer, task->flow_out);
  lab_wire_put_u64 (writer, task->argument);
  lab_wire_put_u64 (writer, task->crash_task);
  lab_wire_put_u32 (writer, task->crash_signal);
  lab_wire_put_u32 (writer, task->heartbeat_ms);
  lab_wire_put_u32 (writer, task->pickle_rounds);
  lab_wire_put_u32 (writer, 0);
}

void
lab_wire_put_result_head (LabWireWriter       *writer,
                          const LabWireResult *result)
{
  lab_wire_put_u64 (writer, result->first_task);
  lab_wire_put_u32 (writer, result->n_items);
  lab_wire_put_u32 (writer, 0);
  lab_wire_put_i64 (writer, result->receive_begin_ns);
  lab_wire_put_i64 (writer, result->receive_end_ns);
  lab_wire_put_i64 (writer, result->compute_begin_ns);
  lab_wire_put_i64 (writer, result->compute_end_ns);
  lab_wire_put_i64 (writer, result->unpickle_ns);
  lab_wire_put_i64 (writer, result->pickle_ns);
}

GBytes *
lab_wire_string_list_to_bytes (const char * const *strings,
                               guint               n)
{
  GByteArray *bytes = g_byte_array_new ();
  guint32 le = GUINT32_TO_LE (n);

  g_byte_array_append (bytes, (const guint8 *) &le, sizeof le);
  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (strings[i]);

      le = GUINT32_TO_LE ((guint32) len);
      g_byte_array_append (bytes, (const guint8 *) &le, sizeof le);
      g_byte_array_append (bytes, (const guint8 *) strings[i], (guint) len);
    }
  return g_byte_array_free_to_bytes (bytes);
}

void
lab_wire_put_string_list (LabWireWriter      *writer,
                          const char * const *strings,
                          guint               n)
{
  g_autoptr(GBytes) bytes = lab_wire_string_list_to_bytes (strings, n);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  /* Copied, not referenced: the bytes go away here. */
  lab_wire_put_u32 (writer, (guint32) size);
  lab_wire_put_u32 (writer, 0);
  lab_wire_put_bytes (writer, data, size);
  lab_wire_put_padding (writer, size, 8);
}

/* ---- parsing ---- */

typedef struct
{
  const guint8 *p;
  gsize         left;
} LabWireCursor;

static void
cursor_init (LabWireCursor      *cursor,
             const LabWireFrame *frame)
{
  cursor->p = frame->payload;
  cursor->left = frame->length;
}

static gboolean
take (LabWireCursor  *cursor,
      gsize           n,
      const guint8  **out)
{
  if (n > cursor->left)
    return FALSE;
  if (out != NULL)
    *out = cursor->p;
  cursor->p += n;
  cursor->left -= n;
  return TRUE;
}

static gboolean
take_u32 (LabWireCursor *cursor,
          guint32       *value)
{
  const guint8 *p;

  if (!take (cursor, 4, &p))
    return FALSE;
  memcpy (value, p, 4);
  *value = GUINT32_FROM_LE (*value);
  return TRUE;
}

static gboolean
take_u64 (LabWireCursor *cursor,
          guint64       *value)
{
  const guint8 *p;

  if (!take (cursor, 8, &p))
    return FALSE;
  memcpy (value, p, 8);
  *value = GUINT64_FROM_LE (*value);
  return TRUE;
}

static gboolean
take_i64 (LabWireCursor *cursor,
          gint64        *value)
{
  return take_u64 (cursor, (guint64 *) value);
}

static gboolean
take_padding (LabWireCursor *cursor,
              gsize          n,
              gsize          align)
{
  return take (cursor, (align - n % align) % align, NULL);
}

static gboolean
take_item (LabWireCursor *cursor,
           LabWireItem   *item)
{
  guint32 length, reserved;

  if (!take_u32 (cursor, &length) || !take_u32 (cursor, &reserved) || reserved != 0 ||
      !take (cursor, length, &item->data) || !take_padding (cursor, length, 8))
    return FALSE;
  item->length = length;
  return TRUE;
}

static gboolean
malformed (const LabWireFrame  *frame,
           GError             **error)
{
  const char *type = lab_wire_type_to_string (frame->type);

  g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
               /* Translators: %s is the type of a message between the app
                * and a worker process, e.g. RESULT */
               _("Malformed worker protocol %s frame (its contents do not add up)"),
               type != NULL ? type : "?");
  return FALSE;
}

static gboolean
check_type (const LabWireFrame  *frame,
            LabWireType          type,
            GError             **error)
{
  if (frame->type == type)
    return TRUE;
  g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_TYPE,
               /* Translators: a worker protocol frame of one type (first
                * %s) came where one of another type (second %s) was due */
               _("Got a %s frame where a %s frame was expected"),
               lab_wire_type_to_string (frame->type), lab_wire_type_to_string (type));
  return FALSE;
}

gboolean
lab_wire_parse_hello (const LabWireFrame  *frame,
                      guint32             *version,
                      guint32             *worker_index,
                      guint32             *flags,
                      GError             **error)
{
  LabWireCursor c;

  if (!check_type (frame, LAB_WIRE_FRAME_HELLO, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u32 (&c, version) || !take_u32 (&c, worker_index) || !take_u32 (&c, flags) ||
      c.left != 0)
    return malformed (frame, error);
  return TRUE;
}

gboolean
lab_wire_parse_ready (const LabWireFrame  *frame,
                      guint32             *version,
                      guint32             *pid,
                      GError             **error)
{
  LabWireCursor c;

  if (!check_type (frame, LAB_WIRE_FRAME_READY, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u32 (&c, version) || !take_u32 (&c, pid) || c.left != 0)
    return malformed (frame, error);
  return TRUE;
}

/* n items; at least 8 bytes each, so a count the payload cannot hold is
 * refused before anything is allocated. */
static LabWireItem *
take_items (LabWireCursor *cursor,
            guint32        n)
{
  LabWireItem *items;

  if (n > cursor->left / 8)
    return NULL;
  items = g_new0 (LabWireItem, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (!take_item (cursor, &items[i]))
      {
        g_free (items);
        return NULL;
      }
  return items;
}

gboolean
lab_wire_parse_task (const LabWireFrame  *frame,
                     LabWireTask         *task,
                     GError             **error)
{
  LabWireCursor c;
  guint32 reserved;

  memset (task, 0, sizeof *task);
  if (!check_type (frame, LAB_WIRE_FRAME_TASK, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u64 (&c, &task->first_task) || !take_u32 (&c, &task->function) ||
      !take_u32 (&c, &task->n_items) || !take_u32 (&c, &task->flow_in) ||
      !take_u32 (&c, &task->flow_out) || !take_u64 (&c, &task->argument) ||
      !take_u64 (&c, &task->crash_task) || !take_u32 (&c, &task->crash_signal) ||
      !take_u32 (&c, &task->heartbeat_ms) || !take_u32 (&c, &task->pickle_rounds) ||
      !take_u32 (&c, &reserved) || reserved != 0)
    return malformed (frame, error);
  task->items = take_items (&c, task->n_items);
  if (task->items == NULL || c.left != 0)
    {
      lab_wire_task_clear (task);
      return malformed (frame, error);
    }
  return TRUE;
}

void
lab_wire_task_clear (LabWireTask *task)
{
  g_clear_pointer (&task->items, g_free);
}

gboolean
lab_wire_parse_result (const LabWireFrame  *frame,
                       LabWireResult       *result,
                       GError             **error)
{
  LabWireCursor c;
  guint32 reserved;

  memset (result, 0, sizeof *result);
  if (!check_type (frame, LAB_WIRE_FRAME_RESULT, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u64 (&c, &result->first_task) || !take_u32 (&c, &result->n_items) ||
      !take_u32 (&c, &reserved) || reserved != 0 ||
      !take_i64 (&c, &result->receive_begin_ns) || !take_i64 (&c, &result->receive_end_ns) ||
      !take_i64 (&c, &result->compute_begin_ns) || !take_i64 (&c, &result->compute_end_ns) ||
      !take_i64 (&c, &result->unpickle_ns) || !take_i64 (&c, &result->pickle_ns))
    return malformed (frame, error);
  result->items = take_items (&c, result->n_items);
  if (result->items == NULL || c.left != 0)
    {
      lab_wire_result_clear (result);
      return malformed (frame, error);
    }
  return TRUE;
}

void
lab_wire_result_clear (LabWireResult *result)
{
  g_clear_pointer (&result->items, g_free);
}

gboolean
lab_wire_parse_events (const LabWireFrame  *frame,
                       void               (*on_string) (guint32     id,
                                                        const char *text,
                                                        gpointer    data),
                       gpointer             data,
                       GArray              *events,
                       GError             **error)
{
  LabWireCursor c;
  guint32 n_strings, n_events;

  if (!check_type (frame, LAB_WIRE_FRAME_EVENTS, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u32 (&c, &n_strings) || !take_u32 (&c, &n_events))
    return malformed (frame, error);

  for (guint i = 0; i < n_strings; i++)
    {
      guint32 id, length;
      const guint8 *bytes;
      g_autofree char *text = NULL;

      if (!take_u32 (&c, &id) || !take_u32 (&c, &length) || !take (&c, length, &bytes) ||
          !take_padding (&c, length, 4) || id == 0 ||
          !g_utf8_validate ((const char *) bytes, length, NULL))
        return malformed (frame, error);
      text = g_strndup ((const char *) bytes, length);
      if (strlen (text) != length) /* a NUL inside */
        return malformed (frame, error);
      on_string (id, text, data);
    }

  if (n_events > c.left / LAB_WIRE_EVENT_SIZE || c.left != (gsize) n_events * LAB_WIRE_EVENT_SIZE)
    return malformed (frame, error);

  for (guint i = 0; i < n_events; i++)
    {
      const guint8 *p;
      LabEvent e = { 0 };
      guint64 u64;
      guint32 u32;
      guint16 u16;

      if (!take (&c, LAB_WIRE_EVENT_SIZE, &p))
        return malformed (frame, error);
      memcpy (&u64, p, 8);
      e.ts_ns = (gint64) GUINT64_FROM_LE (u64);
      memcpy (&u64, p + 8, 8);
      e.value = (gint64) GUINT64_FROM_LE (u64);
      memcpy (&u32, p + 16, 4);
      e.label = GUINT32_FROM_LE (u32);
      memcpy (&u32, p + 20, 4);
      e.flow = GUINT32_FROM_LE (u32);
      e.kind = p[26];
      e.state = p[27];
      memcpy (&u16, p + 28, 2);
      e.cpu = (gint16) GUINT16_FROM_LE (u16);
      memcpy (&u16, p + 30, 2);
      e.flags = GUINT16_FROM_LE (u16);

      if (e.kind < LAB_EVENT_BEGIN || e.kind > LAB_EVENT_COUNTER || e.state >= LAB_STATE_N)
        return malformed (frame, error);
      g_array_append_val (events, e);
    }
  return TRUE;
}

gboolean
lab_wire_parse_error (const LabWireFrame  *frame,
                      guint64             *task_id,
                      char               **message,
                      GError             **error)
{
  LabWireCursor c;
  guint32 length;
  const guint8 *bytes;

  if (!check_type (frame, LAB_WIRE_FRAME_ERROR, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u64 (&c, task_id) || !take_u32 (&c, &length) || !take (&c, length, &bytes) ||
      !take_padding (&c, length, 4) || c.left != 0)
    return malformed (frame, error);
  /* Shown to a person: invalid UTF-8 is replaced, not trusted. */
  *message = g_utf8_make_valid ((const char *) bytes, length);
  return TRUE;
}

gboolean
lab_wire_parse_progress (const LabWireFrame  *frame,
                         guint64             *task_id,
                         GError             **error)
{
  LabWireCursor c;

  if (!check_type (frame, LAB_WIRE_FRAME_PROGRESS, error))
    return FALSE;
  cursor_init (&c, frame);
  if (!take_u64 (&c, task_id) || c.left != 0)
    return malformed (frame, error);
  return TRUE;
}

gboolean
lab_wire_item_get_i64 (const LabWireItem  *item,
                       gint64             *value,
                       GError            **error)
{
  guint64 le;

  if (item->length != sizeof le)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a result from a worker process had the
                    * wrong size; %u is a number of bytes */
                   _("A worker sent a result of %u bytes where a number (8 bytes) was expected"),
                   (guint) item->length);
      return FALSE;
    }
  memcpy (&le, item->data, sizeof le);
  *value = (gint64) GUINT64_FROM_LE (le);
  return TRUE;
}

GPtrArray *
lab_wire_item_get_strings (const LabWireItem  *item,
                           GError            **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  LabWireCursor c = { item->data, item->length };
  guint32 n;

  if (!take_u32 (&c, &n) || n > c.left / 4)
    goto bad;
  for (guint i = 0; i < n; i++)
    {
      guint32 length;
      const guint8 *bytes;

      if (!take_u32 (&c, &length) || !take (&c, length, &bytes) ||
          !g_utf8_validate ((const char *) bytes, length, NULL) ||
          memchr (bytes, '\0', length) != NULL)
        goto bad;
      g_ptr_array_add (strings, g_strndup ((const char *) bytes, length));
    }
  if (c.left != 0)
    goto bad;
  return g_steal_pointer (&strings);

bad:
  g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
               /* Translators: a list of strings sent to or from a worker
                * process could not be read */
               _("Malformed list of strings in a worker protocol frame"));
  return NULL;
}
