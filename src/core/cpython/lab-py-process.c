/* lab-py-process.c — one traced Python process: its records become events.
 *
 * Invariants: one thread (the connection's reader) owns this state and all
 * of its lanes, so it records into them without locks. Each Python thread
 * gets one lane, named "<thread name> (pid N)", created at its first
 * record. Spans nest on a lane: a stack remembers what each open span is (a
 * call, or the hold of a lock) so that a RETURN also ends a lock hold left
 * open inside the function, and a release of a lock whose span is no longer
 * innermost records nothing (the span already ended).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-py-process-private.h"

#define OPEN_CALL 0u /* a stack entry; any other value is a lock id */

typedef struct
{
  LabLane *lane;
  GArray  *open;    /* guint32: OPEN_CALL or the lock id of each open span */
  gint64   last_ns; /* the last event's time, where spans left open end */
} PyThread;

struct _LabPyProcess
{
  LabRecorder *recorder;
  gint         pid;
  gboolean     said_hello;
  gboolean     first;
  LabPyOutputFunc output_line;
  gpointer     output_data;
  gboolean     main_ended;
  GHashTable  *threads; /* tid → PyThread */
  GHashTable  *flows;   /* flow of the process → flow of the recorder */
  guint32      label_sleep;
  guint32      label_get;
  guint32      label_put;
};

/* A cursor over one payload; every read checks what is left. */
typedef struct
{
  const guint8 *data;
  gsize         left;
  gboolean      ok;
} Cursor;

static gconstpointer
take (Cursor *c, gsize n)
{
  const guint8 *p = c->data;

  if (!c->ok || c->left < n)
    {
      c->ok = FALSE;
      return NULL;
    }
  c->data += n;
  c->left -= n;
  return p;
}

static guint32
take_u32 (Cursor *c)
{
  guint32 v = 0;
  gconstpointer p = take (c, 4);

  if (p != NULL)
    memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static gint64
take_i64 (Cursor *c)
{
  guint64 v = 0;
  gconstpointer p = take (c, 8);

  if (p != NULL)
    memcpy (&v, p, 8);
  return (gint64) GUINT64_FROM_LE (v);
}

/* A string as valid UTF-8 (bad bytes become U+FFFD), or NULL. */
static char *
take_string (Cursor *c)
{
  guint32 n = take_u32 (c);
  const char *p = take (c, n);

  if (p == NULL)
    return NULL;
  return g_utf8_make_valid (p, n);
}

static void
thread_free (gpointer data)
{
  PyThread *t = data;

  g_array_unref (t->open);
  g_free (t);
}

LabPyProcess *
lab_py_process_new (LabRecorder *recorder,
                    gint         pid,
                    gboolean     first)
{
  LabPyProcess *self = g_new0 (LabPyProcess, 1);

  self->recorder = recorder;
  self->pid = pid;
  self->first = first;
  self->threads = g_hash_table_new_full (NULL, NULL, NULL, thread_free);
  self->flows = g_hash_table_new (NULL, NULL);
  self->label_sleep = lab_recorder_intern (recorder, "time.sleep");
  self->label_get = lab_recorder_intern (recorder, "queue.get");
  self->label_put = lab_recorder_intern (recorder, "queue.put");
  return self;
}

void
lab_py_process_free (LabPyProcess *self)
{
  g_hash_table_unref (self->threads);
  g_hash_table_unref (self->flows);
  g_free (self);
}

void
lab_py_process_set_output (LabPyProcess    *self,
                           LabPyOutputFunc  line,
                           gpointer         data)
{
  self->output_line = line;
  self->output_data = data;
}

gint
lab_py_process_get_pid (LabPyProcess *self)
{
  return self->pid;
}

gboolean
lab_py_process_said_hello (LabPyProcess *self)
{
  return self->said_hello;
}

gboolean
lab_py_process_main_ended (LabPyProcess *self)
{
  return self->main_ended;
}

static PyThread *
get_thread (LabPyProcess *self,
            guint32       tid,
            const char   *name)
{
  PyThread *t = g_hash_table_lookup (self->threads, GUINT_TO_POINTER (tid));
  g_autofree char *lane_name = NULL;
  LabLaneKind kind = LAB_LANE_THREAD;

  if (t != NULL)
    return t;

  if ((gint) tid == self->pid)
    kind = self->first ? LAB_LANE_MAIN : LAB_LANE_PROCESS;
  if (name != NULL)
    lane_name = g_strdup_printf ("%s (pid %d)", name, self->pid);
  else
    lane_name = g_strdup_printf ("%u (pid %d)", tid, self->pid);

  t = g_new0 (PyThread, 1);
  t->lane = lab_recorder_add_lane (self->recorder, kind, lane_name);
  t->open = g_array_new (FALSE, FALSE, sizeof (guint32));
  lab_lane_set_tid (t->lane, (gint) tid);
  g_hash_table_insert (self->threads, GUINT_TO_POINTER (tid), t);
  return t;
}

static void
record (PyThread     *t,
        gint64        ts,
        LabEventKind  kind,
        LabState      state,
        guint16       flags,
        guint32       label,
        guint32       flow)
{
  /* A lane's events stay in time order even if a clock read raced. */
  ts = MAX (ts, t->last_ns);
  t->last_ns = ts;
  lab_lane_record_at (t->lane, ts, -1, kind, state, flags, label, 0, flow);
}

static void
begin (PyThread *t, gint64 ts, LabState state, guint32 label, guint32 what)
{
  record (t, ts, LAB_EVENT_BEGIN, state, 0, label, 0);
  g_array_append_val (t->open, what);
}

static void
end_innermost (PyThread *t, gint64 ts)
{
  record (t, ts, LAB_EVENT_END, LAB_STATE_RUNNING, 0, 0, 0);
  g_array_set_size (t->open, t->open->len - 1);
}

static void
end_all (PyThread *t, gint64 ts)
{
  while (t->open->len > 0)
    end_innermost (t, ts);
}

static guint32
top (PyThread *t)
{
  return g_array_index (t->open, guint32, t->open->len - 1);
}

static void
feed_hello (LabPyProcess *self, Cursor *c)
{
  g_autofree char *version = NULL;
  guint32 pid;

  take_i64 (c);
  pid = take_u32 (c);
  take_u32 (c); /* ppid: the lane names say which process is which */
  version = take_string (c);
  if (!c->ok || pid == 0 || pid > G_MAXINT)
    {
      c->ok = FALSE;
      return;
    }
  /* argv follows; nothing below records it yet, but it must add up. */
  for (guint32 i = 0, argc = take_u32 (c); c->ok && i < argc; i++)
    g_free (take_string (c));
  self->pid = (gint) pid;
  self->said_hello = TRUE;
}

static void
feed_thread_record (LabPyProcess *self, guint16 kind, Cursor *c)
{
  gint64 ts = take_i64 (c), ts2 = 0;
  guint32 tid, lock = 0, flow = 0, stream = 0;
  g_autofree char *text = NULL;
  gboolean is_lock;
  PyThread *t;

  if (kind == LAB_PY_RECORD_SLEEP || kind == LAB_PY_RECORD_LOCK_ACQUIRED ||
      kind == LAB_PY_RECORD_QUEUE_GET)
    ts2 = take_i64 (c);
  tid = take_u32 (c);
  switch (kind)
    {
    case LAB_PY_RECORD_THREAD_START:
    case LAB_PY_RECORD_CALL:
      text = take_string (c);
      break;
    case LAB_PY_RECORD_LOCK_ACQUIRED:
      lock = take_u32 (c);
      text = take_string (c);
      break;
    case LAB_PY_RECORD_LOCK_RELEASED:
      lock = take_u32 (c);
      break;
    case LAB_PY_RECORD_QUEUE_PUT:
    case LAB_PY_RECORD_QUEUE_GET:
      flow = take_u32 (c);
      break;
    case LAB_PY_RECORD_OUTPUT:
      stream = take_u32 (c);
      text = take_string (c);
      break;
    case LAB_PY_RECORD_EXCEPTION:
      text = take_string (c);
      g_free (take_string (c)); /* the traceback also arrives on stderr */
      break;
    default:
      break;
    }
  is_lock = kind == LAB_PY_RECORD_LOCK_ACQUIRED || kind == LAB_PY_RECORD_LOCK_RELEASED;
  /* A span that ends before it begins, or lock 0 (the stack's mark for a
   * call), cannot come from the tracer. */
  if (!c->ok || tid == 0 || ts2 < 0 || (ts2 != 0 && ts2 < ts) || (is_lock && lock == OPEN_CALL))
    {
      c->ok = FALSE;
      return;
    }

  t = get_thread (self, tid, kind == LAB_PY_RECORD_THREAD_START ? text : NULL);
  switch (kind)
    {
    case LAB_PY_RECORD_THREAD_START:
      break;
    case LAB_PY_RECORD_THREAD_END:
      end_all (t, ts);
      self->main_ended |= (gint) tid == self->pid;
      break;
    case LAB_PY_RECORD_CALL:
      begin (t, ts, LAB_STATE_RUNNING, lab_recorder_intern (self->recorder, text), OPEN_CALL);
      break;
    case LAB_PY_RECORD_RETURN:
      /* Lock holds opened inside the function end with it. */
      while (t->open->len > 0 && top (t) != OPEN_CALL)
        end_innermost (t, ts);
      if (t->open->len > 0)
        end_innermost (t, ts);
      break;
    case LAB_PY_RECORD_SLEEP:
      begin (t, ts, LAB_STATE_SLEEPING, self->label_sleep, OPEN_CALL);
      end_innermost (t, ts2);
      break;
    case LAB_PY_RECORD_LOCK_ACQUIRED:
      {
        guint32 label = lab_recorder_intern (self->recorder, text);

        begin (t, ts, LAB_STATE_LOCK_WAIT, label, OPEN_CALL);
        end_innermost (t, ts2);
        begin (t, ts2, LAB_STATE_LOCK_HELD, label, lock);
      }
      break;
    case LAB_PY_RECORD_LOCK_RELEASED:
      if (t->open->len > 0 && top (t) == lock)
        end_innermost (t, ts);
      break;
    case LAB_PY_RECORD_QUEUE_PUT:
      {
        guint32 arrow = lab_recorder_new_flow (self->recorder);

        g_hash_table_insert (self->flows, GUINT_TO_POINTER (flow), GUINT_TO_POINTER (arrow));
        record (t, ts, LAB_EVENT_MARK, LAB_STATE_RUNNING, LAB_EVENT_FLAG_FLOW_SOURCE,
                self->label_put, arrow);
      }
      break;
    case LAB_PY_RECORD_QUEUE_GET:
      {
        guint32 arrow = GPOINTER_TO_UINT (g_hash_table_lookup (self->flows, GUINT_TO_POINTER (flow)));

        g_hash_table_remove (self->flows, GUINT_TO_POINTER (flow));
        begin (t, ts, LAB_STATE_WAITING, self->label_get, OPEN_CALL);
        end_innermost (t, ts2);
        record (t, ts2, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                arrow != 0 ? LAB_EVENT_FLAG_FLOW_TARGET : 0, self->label_get, arrow);
      }
      break;
    case LAB_PY_RECORD_OUTPUT:
      {
        g_autofree char *note = NULL;

        if (self->output_line == NULL || self->output_line (text, stream, &note, self->output_data))
          record (t, ts, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                  LAB_EVENT_FLAG_OUTPUT | (stream == 2 ? LAB_EVENT_FLAG_STDERR : 0),
                  lab_recorder_intern (self->recorder, text), 0);
        else if (note != NULL)
          record (t, ts, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                  LAB_EVENT_FLAG_OUTPUT | LAB_EVENT_FLAG_STDERR | LAB_EVENT_FLAG_HIGHLIGHT,
                  lab_recorder_intern (self->recorder, note), 0);
      }
      break;
    case LAB_PY_RECORD_EXCEPTION:
      record (t, ts, LAB_EVENT_MARK, LAB_STATE_RUNNING,
              LAB_EVENT_FLAG_ERROR | LAB_EVENT_FLAG_HIGHLIGHT,
              lab_recorder_intern (self->recorder, text), 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
lab_py_process_feed (LabPyProcess  *self,
                     guint          record_number,
                     guint16        kind,
                     const guint8  *payload,
                     gsize          length,
                     GError       **error)
{
  Cursor c = { payload, length, TRUE };

  if ((kind == LAB_PY_RECORD_HELLO) == self->said_hello)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   self->said_hello
                   /* Translators: the tracer of a Python process sent its
                    * greeting twice; %u is a record number */
                   ? _("record %u says hello a second time")
                   /* Translators: a Python process's first record must be its
                    * greeting; %u is a record number */
                   : _("record %u comes before the process said hello"),
                   record_number);
      return FALSE;
    }

  if (kind == LAB_PY_RECORD_HELLO)
    feed_hello (self, &c);
  else
    feed_thread_record (self, kind, &c);

  if (!c.ok || c.left != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: a record of a traced Python process does
                    * not add up; %u is its number */
                   _("record %u is damaged"), record_number);
      return FALSE;
    }
  return TRUE;
}

void
lab_py_process_mark_end (LabPyProcess *self,
                         const char   *text)
{
  PyThread *t = get_thread (self, (guint32) self->pid, NULL);

  record (t, t->last_ns, LAB_EVENT_MARK, LAB_STATE_RUNNING,
          LAB_EVENT_FLAG_ERROR | LAB_EVENT_FLAG_HIGHLIGHT,
          lab_recorder_intern (self->recorder, text), 0);
}

void
lab_py_process_finish (LabPyProcess *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->threads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PyThread *t = value;

      end_all (t, t->last_ns);
    }
}
