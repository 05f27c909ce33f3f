/* lab-recorder.c — lock-free per-lane recording.
 *
 * Each lane has exactly one writer thread and one reader (the main thread's
 * drain). The writer fills fixed-size chunks of events and publishes the
 * count of each chunk with a release store; when a chunk is full it links a
 * new one. The reader copies what is published into the LabTrace in batches
 * and frees chunks it has finished. Nothing on the hot path takes a lock or
 * touches memory shared with another writer. When the recorder's event
 * budget is used up, new events are counted as dropped instead of stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lab-recorder.h"

#define CHUNK_EVENTS 2048 /* 64 KiB */

typedef struct _Chunk Chunk;
struct _Chunk
{
  _Atomic (Chunk *) next;
  atomic_uint       count;
  LabEvent          events[CHUNK_EVENTS];
};

struct _LabLane
{
  LabRecorder     *recorder; /* owner */
  guint            index;
  LabLaneKind      kind;
  char            *name;
  atomic_int       tid;
  atomic_ullong    dropped;

  /* Writer side (the lane's thread only). */
  Chunk           *write_chunk;
  guint            write_pos;

  /* Reader side (the draining thread only). */
  Chunk           *read_chunk;
  guint            read_pos;
};

struct _LabRecorder
{
  gatomicrefcount  ref_count;
  LabStringPool   *pool;
  GMutex           mutex;      /* guards lanes (the array, not the events) */
  GPtrArray       *lanes;      /* LabLane* */
  atomic_uint      next_flow;
  atomic_ullong    reserved;   /* events worth of chunks handed out */
  guint64          limit;
};

static Chunk *
chunk_new (void)
{
  Chunk *chunk = g_malloc (sizeof (Chunk));

  atomic_init (&chunk->next, NULL);
  atomic_init (&chunk->count, 0);
  return chunk;
}

/* Reserves room for one more chunk within the recorder's budget. */
static gboolean
reserve_chunk (LabRecorder *self)
{
  guint64 before = atomic_fetch_add (&self->reserved, CHUNK_EVENTS);

  if (before + CHUNK_EVENTS > self->limit)
    {
      atomic_fetch_sub (&self->reserved, CHUNK_EVENTS);
      return FALSE;
    }
  return TRUE;
}

static void
lane_free (gpointer data)
{
  LabLane *lane = data;
  Chunk *chunk = lane->read_chunk;

  while (chunk != NULL)
    {
      Chunk *next = atomic_load (&chunk->next);

      g_free (chunk);
      chunk = next;
    }
  g_free (lane->name);
  g_free (lane);
}

LabRecorder *
lab_recorder_new (LabStringPool *pool)
{
  LabRecorder *self = g_new0 (LabRecorder, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->pool = pool != NULL ? lab_string_pool_ref (pool) : lab_string_pool_new ();
  g_mutex_init (&self->mutex);
  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  atomic_init (&self->next_flow, 0);
  atomic_init (&self->reserved, 0);
  self->limit = LAB_RECORDER_DEFAULT_LIMIT;
  return self;
}

LabRecorder *
lab_recorder_ref (LabRecorder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
lab_recorder_unref (LabRecorder *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->lanes);
  g_mutex_clear (&self->mutex);
  lab_string_pool_unref (self->pool);
  g_free (self);
}

LabStringPool *
lab_recorder_get_pool (LabRecorder *self)
{
  return self->pool;
}

void
lab_recorder_set_limit (LabRecorder *self,
                        guint64      max_events)
{
  g_return_if_fail (self != NULL);
  self->limit = max_events;
}

LabLane *
lab_recorder_try_add_lane (LabRecorder  *self,
                           LabLaneKind   kind,
                           const char   *name,
                           GError      **error)
{
  LabLane *lane;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lane = g_new0 (LabLane, 1);
  lane->recorder = self;
  lane->kind = kind;
  lane->name = g_strdup (name ? name : "");
  atomic_init (&lane->tid, 0);
  atomic_init (&lane->dropped, 0);

  /* The first chunk is shared by writer and reader from the start; a lane
   * over the budget simply has none and drops everything. */
  if (reserve_chunk (self))
    lane->write_chunk = chunk_new ();
  lane->read_chunk = lane->write_chunk;

  /* An event names its lane in 16 bits. */
  g_mutex_lock (&self->mutex);
  if (self->lanes->len >= LAB_RECORDER_MAX_LANES)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   /* Translators: %s is the name of a timeline lane such as
                    * "Thread 3"; %u is the most lanes there can be */
                   _("No room on the timeline for “%s”: it holds at most %u threads and processes"),
                   lane->name, (guint) LAB_RECORDER_MAX_LANES);
      /* Its chunk goes back to the budget, for the lanes that fit. */
      if (lane->write_chunk != NULL)
        atomic_fetch_sub (&self->reserved, CHUNK_EVENTS);
      lane_free (lane);
      return NULL;
    }
  lane->index = self->lanes->len;
  g_ptr_array_add (self->lanes, lane);
  g_mutex_unlock (&self->mutex);

  return lane;
}

LabLane *
lab_recorder_add_lane (LabRecorder *self,
                       LabLaneKind  kind,
                       const char  *name)
{
  g_autoptr(GError) error = NULL;
  LabLane *lane = lab_recorder_try_add_lane (self, kind, name, &error);

  if (lane == NULL)
    g_critical ("%s", error->message);
  return lane;
}

guint
lab_recorder_get_n_lanes (LabRecorder *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->lanes->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint32
lab_recorder_intern (LabRecorder *self,
                     const char  *str)
{
  return lab_string_pool_intern (self->pool, str);
}

guint32
lab_recorder_intern_printf (LabRecorder *self,
                            const char  *format,
                            ...)
{
  g_autofree char *str = NULL;
  va_list args;

  va_start (args, format);
  str = g_strdup_vprintf (format, args);
  va_end (args);

  return lab_string_pool_intern (self->pool, str);
}

guint32
lab_recorder_new_flow (LabRecorder *self)
{
  guint32 flow;

  do
    flow = atomic_fetch_add (&self->next_flow, 1) + 1;
  while (flow == 0);
  return flow;
}

static guint64
lane_dropped (LabLane *lane)
{
  return atomic_load_explicit (&lane->dropped, memory_order_relaxed);
}

/* Recorded and not drained yet. */
static guint64
lane_pending (LabLane *lane)
{
  Chunk *chunk = lane->read_chunk;
  guint64 n = 0;

  /* Only the reader frees chunks, and this is the reader's side. */
  while (chunk != NULL)
    {
      n += atomic_load_explicit (&chunk->count, memory_order_acquire);
      chunk = atomic_load_explicit (&chunk->next, memory_order_acquire);
    }
  return n - lane->read_pos;
}

/* @count summed over every lane, with no lane added meanwhile. */
static guint64
sum_lanes (LabRecorder *self,
           guint64    (*count) (LabLane *lane))
{
  guint64 total = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->lanes->len; i++)
    total += count (g_ptr_array_index (self->lanes, i));
  g_mutex_unlock (&self->mutex);
  return total;
}

guint64
lab_recorder_get_dropped (LabRecorder *self)
{
  return sum_lanes (self, lane_dropped);
}

guint64
lab_recorder_get_recorded (LabRecorder *self)
{
  return sum_lanes (self, lane_pending);
}

static guint64
lane_drain (LabLane  *lane,
            LabTrace *trace)
{
  guint64 moved = 0;

  while (lane->read_chunk != NULL)
    {
      Chunk *chunk = lane->read_chunk;
      guint count = atomic_load_explicit (&chunk->count, memory_order_acquire);
      Chunk *next;

      if (count > lane->read_pos)
        {
          lab_trace_append (trace, lane->index, &chunk->events[lane->read_pos],
                            count - lane->read_pos);
          moved += count - lane->read_pos;
          lane->read_pos = count;
        }

      if (lane->read_pos < CHUNK_EVENTS)
        break;

      /* The writer links the next chunk only after it filled this one and
       * never touches this one again. */
      next = atomic_load_explicit (&chunk->next, memory_order_acquire);
      if (next == NULL)
        break;
      g_free (chunk);
      lane->read_chunk = next;
      lane->read_pos = 0;
    }

  return moved;
}

guint64
lab_recorder_drain (LabRecorder *self,
                    LabTrace    *trace)
{
  guint64 moved = 0;
  guint64 dropped = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (trace != NULL, 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      LabLane *lane = g_ptr_array_index (self->lanes, i);

      lab_trace_set_lane (trace, lane->index, lane->kind, lane->name,
                          atomic_load_explicit (&lane->tid, memory_order_relaxed));
      moved += lane_drain (lane, trace);
      dropped += atomic_load_explicit (&lane->dropped, memory_order_relaxed);
    }
  g_mutex_unlock (&self->mutex);

  lab_trace_set_dropped (trace, dropped);
  return moved;
}

guint
lab_lane_get_index (LabLane *lane)
{
  return lane->index;
}

const char *
lab_lane_get_name (LabLane *lane)
{
  return lane->name;
}

LabRecorder *
lab_lane_get_recorder (LabLane *lane)
{
  return lane->recorder;
}

void
lab_lane_bind_thread (LabLane *lane)
{
  atomic_store_explicit (&lane->tid, (int) gettid (), memory_order_relaxed);
}

void
lab_lane_set_tid (LabLane *lane,
                  gint     tid)
{
  atomic_store_explicit (&lane->tid, tid, memory_order_relaxed);
}

static G_NO_INLINE gboolean
lane_next_chunk (LabLane *lane)
{
  Chunk *chunk;

  if (!reserve_chunk (lane->recorder))
    return FALSE;

  chunk = chunk_new ();
  if (lane->write_chunk != NULL)
    atomic_store_explicit (&lane->write_chunk->next, chunk, memory_order_release);
  lane->write_chunk = chunk;
  lane->write_pos = 0;
  return TRUE;
}

void
lab_lane_record_at (LabLane      *lane,
                    gint64        ts_ns,
                    gint16        cpu,
                    LabEventKind  kind,
                    LabState      state,
                    guint16       flags,
                    guint32       label,
                    gint64        value,
                    guint32       flow)
{
  LabEvent *event;

  if (G_UNLIKELY (lane->write_chunk == NULL || lane->write_pos == CHUNK_EVENTS))
    {
      /* A lane that never had a chunk has nothing for the reader to follow:
       * its events can only be dropped. */
      if (lane->write_chunk == NULL || !lane_next_chunk (lane))
        {
          atomic_fetch_add_explicit (&lane->dropped, 1, memory_order_relaxed);
          return;
        }
    }

  event = &lane->write_chunk->events[lane->write_pos];
  event->ts_ns = ts_ns;
  event->value = value;
  event->label = label;
  event->flow = flow;
  event->lane = (guint16) lane->index;
  event->kind = (guint8) kind;
  event->state = (guint8) state;
  event->cpu = cpu;
  event->flags = flags;

  lane->write_pos++;
  atomic_store_explicit (&lane->write_chunk->count, lane->write_pos, memory_order_release);
}

void
lab_lane_record (LabLane      *lane,
                 LabEventKind  kind,
                 LabState      state,
                 guint16       flags,
                 guint32       label,
                 gint64        value,
                 guint32       flow)
{
  lab_lane_record_at (lane, lab_clock_now_ns (), (gint16) sched_getcpu (),
                      kind, state, flags, label, value, flow);
}

void
lab_lane_record_thread_stats (LabLane *lane)
{
  struct rusage usage;

  g_return_if_fail (lane != NULL);

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    return;
  /* The thread id tells a later thread on the same lane (a lane reused by
   * every repeat) from a second report of the same thread. */
  lab_lane_record (lane, LAB_EVENT_THREAD_STATS, LAB_STATE_RUNNING, 0, 0,
                   LAB_THREAD_STATS_PACK (MIN ((guint64) usage.ru_nvcsw, G_MAXUINT32),
                                          MIN ((guint64) usage.ru_nivcsw, G_MAXUINT32)),
                   (guint32) gettid ());
}
