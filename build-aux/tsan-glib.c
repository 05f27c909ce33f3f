/* tsan-glib.c — teach ThreadSanitizer GLib's synchronisation.
 *
 * GLib from a distribution is not built with -fsanitize=thread. On Linux its
 * GMutex, GCond, GRWLock, GRecMutex, GAsyncQueue, GThreadPool and GMainContext
 * synchronise with futexes and atomics inside libglib, which ThreadSanitizer
 * cannot see, so every access that a GMutex protects is reported as a data
 * race. This library, preloaded into the tests of a `-Db_sanitize=thread`
 * build (build-aux/run-tests.sh does it), wraps the public entry points that
 * our code calls and tells ThreadSanitizer about the happens-before edge each
 * one creates (__tsan_acquire / __tsan_release). Calls made inside GLib itself
 * are not seen; they touch GLib's own, uninstrumented memory.
 *
 * It links to neither GLib nor libtsan: the real functions and the annotation
 * entry points are looked up at run time, so a process without them (a child
 * such as `ls` that inherited LD_PRELOAD) is not affected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include <glib.h>
#include <gio/gio.h>

typedef void (*AnnotateFunc) (void *addr);

static AnnotateFunc tsan_acquire_fn;
static AnnotateFunc tsan_release_fn;
static pthread_once_t annotate_once = PTHREAD_ONCE_INIT;

/* One address stands for "the main contexts": attaching a source and
 * dispatching it are ordered by the context's lock in GLib. */
static char main_context_sync;
/* Likewise for pushing to a thread pool and running the pushed item. */
static char thread_pool_sync;

static void
annotate_init (void)
{
  tsan_acquire_fn = (AnnotateFunc) dlsym (RTLD_DEFAULT, "__tsan_acquire");
  tsan_release_fn = (AnnotateFunc) dlsym (RTLD_DEFAULT, "__tsan_release");
}

static void
acquire (const volatile void *addr)
{
  pthread_once (&annotate_once, annotate_init);
  if (tsan_acquire_fn != NULL && addr != NULL)
    tsan_acquire_fn ((void *) addr);
}

static void
release (const volatile void *addr)
{
  pthread_once (&annotate_once, annotate_init);
  if (tsan_release_fn != NULL && addr != NULL)
    tsan_release_fn ((void *) addr);
}

static void *
real (const char *name)
{
  void *fn = dlsym (RTLD_NEXT, name);

  if (fn == NULL)
    abort ();
  return fn;
}

/* REAL (g_mutex_lock) declares a static pointer to the next definition of
 * the symbol, looked up on first use. */
#define REAL(name) \
  static __typeof__ (name) *real_##name; \
  if (real_##name == NULL) \
    real_##name = (__typeof__ (name) *) real (#name)

/* Locks: acquire after taking, release before giving back. */
#define WRAP_LOCK(name, type) \
  void name (type *lock) { REAL (name); real_##name (lock); acquire (lock); }
#define WRAP_TRYLOCK(name, type) \
  gboolean name (type *lock) { REAL (name); gboolean ok = real_##name (lock); if (ok) acquire (lock); return ok; }
#define WRAP_UNLOCK(name, type) \
  void name (type *lock) { REAL (name); release (lock); real_##name (lock); }

WRAP_LOCK (g_mutex_lock, GMutex)
WRAP_TRYLOCK (g_mutex_trylock, GMutex)
WRAP_UNLOCK (g_mutex_unlock, GMutex)
WRAP_LOCK (g_rec_mutex_lock, GRecMutex)
WRAP_TRYLOCK (g_rec_mutex_trylock, GRecMutex)
WRAP_UNLOCK (g_rec_mutex_unlock, GRecMutex)
WRAP_LOCK (g_rw_lock_writer_lock, GRWLock)
WRAP_TRYLOCK (g_rw_lock_writer_trylock, GRWLock)
WRAP_UNLOCK (g_rw_lock_writer_unlock, GRWLock)
WRAP_LOCK (g_rw_lock_reader_lock, GRWLock)
WRAP_TRYLOCK (g_rw_lock_reader_trylock, GRWLock)
WRAP_UNLOCK (g_rw_lock_reader_unlock, GRWLock)
WRAP_LOCK (g_async_queue_lock, GAsyncQueue)
WRAP_UNLOCK (g_async_queue_unlock, GAsyncQueue)

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  REAL (g_cond_wait);
  release (mutex);
  real_g_cond_wait (cond, mutex);
  acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  gboolean signalled;

  REAL (g_cond_wait_until);
  release (mutex);
  signalled = real_g_cond_wait_until (cond, mutex, end_time);
  acquire (mutex);
  return signalled;
}

/* Reference counts: the thread that drops the last reference frees what the
 * others used, so every decrement is a release and an acquire. */
gboolean
g_atomic_ref_count_dec (gatomicrefcount *arc)
{
  REAL (g_atomic_ref_count_dec);
  release (arc);
  acquire (arc);
  return real_g_atomic_ref_count_dec (arc);
}

void
g_object_unref (gpointer object)
{
  REAL (g_object_unref);
  release (object);
  acquire (object);
  real_g_object_unref (object);
}

void
(g_once_init_leave) (volatile void *location, gsize result)
{
  REAL (g_once_init_leave);
  release (location);
  real_g_once_init_leave (location, result);
}

/* GAsyncQueue: a push happens before the pop that returns it. */
#define WRAP_PUSH(name) \
  void name (GAsyncQueue *queue, gpointer data) { REAL (name); release (queue); real_##name (queue, data); }
#define WRAP_POP(name) \
  gpointer name (GAsyncQueue *queue) { REAL (name); gpointer data = real_##name (queue); if (data != NULL) acquire (queue); return data; }

WRAP_PUSH (g_async_queue_push)
WRAP_PUSH (g_async_queue_push_unlocked)
WRAP_PUSH (g_async_queue_push_front)
WRAP_PUSH (g_async_queue_push_front_unlocked)
WRAP_POP (g_async_queue_pop)
WRAP_POP (g_async_queue_pop_unlocked)
WRAP_POP (g_async_queue_try_pop)
WRAP_POP (g_async_queue_try_pop_unlocked)

void
g_async_queue_push_sorted (GAsyncQueue *queue, gpointer data, GCompareDataFunc func, gpointer user_data)
{
  REAL (g_async_queue_push_sorted);
  release (queue);
  real_g_async_queue_push_sorted (queue, data, func, user_data);
}

void
g_async_queue_push_sorted_unlocked (GAsyncQueue *queue, gpointer data, GCompareDataFunc func, gpointer user_data)
{
  REAL (g_async_queue_push_sorted_unlocked);
  release (queue);
  real_g_async_queue_push_sorted_unlocked (queue, data, func, user_data);
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue, guint64 timeout)
{
  gpointer data;

  REAL (g_async_queue_timeout_pop);
  data = real_g_async_queue_timeout_pop (queue, timeout);
  if (data != NULL)
    acquire (queue);
  return data;
}

gpointer
g_async_queue_timeout_pop_unlocked (GAsyncQueue *queue, guint64 timeout)
{
  gpointer data;

  REAL (g_async_queue_timeout_pop_unlocked);
  data = real_g_async_queue_timeout_pop_unlocked (queue, timeout);
  if (data != NULL)
    acquire (queue);
  return data;
}

/* GThreadPool: a push happens before the pool's function runs on the item. */
typedef struct
{
  GFunc    func;
  gpointer user_data;
} PoolCall;

static void
pool_trampoline (gpointer data, gpointer user_data)
{
  PoolCall *call = user_data;

  acquire (&thread_pool_sync);
  call->func (data, call->user_data);
}

GThreadPool *
g_thread_pool_new_full (GFunc func, gpointer user_data, GDestroyNotify item_free_func,
                        gint max_threads, gboolean exclusive, GError **error)
{
  PoolCall *call = malloc (sizeof *call);

  REAL (g_thread_pool_new_full);
  if (call == NULL)
    abort ();
  /* Lives as long as the process: a pool does not say when it is freed. */
  call->func = func;
  call->user_data = user_data;
  release (&thread_pool_sync);
  return real_g_thread_pool_new_full (pool_trampoline, call, item_free_func,
                                      max_threads, exclusive, error);
}

GThreadPool *
g_thread_pool_new (GFunc func, gpointer user_data, gint max_threads, gboolean exclusive, GError **error)
{
  return g_thread_pool_new_full (func, user_data, NULL, max_threads, exclusive, error);
}

gboolean
g_thread_pool_push (GThreadPool *pool, gpointer data, GError **error)
{
  REAL (g_thread_pool_push);
  release (&thread_pool_sync);
  return real_g_thread_pool_push (pool, data, error);
}

/* GTask: run_in_thread happens before the thread function; a return happens
 * before the propagate that reads it. The thread function is found again
 * through a small list guarded by a pthread mutex. */
typedef struct TaskCall TaskCall;
struct TaskCall
{
  TaskCall        *next;
  GTask           *task;
  GTaskThreadFunc  func;
};

static pthread_mutex_t task_calls_lock = PTHREAD_MUTEX_INITIALIZER;
static TaskCall *task_calls;

static void
task_calls_add (GTask *task, GTaskThreadFunc func)
{
  TaskCall *call = malloc (sizeof *call);

  if (call == NULL)
    abort ();
  call->task = task;
  call->func = func;
  pthread_mutex_lock (&task_calls_lock);
  call->next = task_calls;
  task_calls = call;
  pthread_mutex_unlock (&task_calls_lock);
}

static GTaskThreadFunc
task_calls_take (GTask *task)
{
  GTaskThreadFunc func = NULL;

  pthread_mutex_lock (&task_calls_lock);
  for (TaskCall **link = &task_calls; *link != NULL; link = &(*link)->next)
    {
      if ((*link)->task == task)
        {
          TaskCall *call = *link;

          func = call->func;
          *link = call->next;
          free (call);
          break;
        }
    }
  pthread_mutex_unlock (&task_calls_lock);
  if (func == NULL)
    abort ();
  return func;
}

static void
task_trampoline (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GTaskThreadFunc func = task_calls_take (task);

  acquire (task);
  func (task, source_object, task_data, cancellable);
}

void
g_task_run_in_thread (GTask *task, GTaskThreadFunc task_func)
{
  REAL (g_task_run_in_thread);
  task_calls_add (task, task_func);
  release (task);
  real_g_task_run_in_thread (task, task_trampoline);
}

void
g_task_run_in_thread_sync (GTask *task, GTaskThreadFunc task_func)
{
  REAL (g_task_run_in_thread_sync);
  task_calls_add (task, task_func);
  release (task);
  real_g_task_run_in_thread_sync (task, task_trampoline);
  acquire (task);
}

void
g_task_return_pointer (GTask *task, gpointer result, GDestroyNotify result_destroy)
{
  REAL (g_task_return_pointer);
  release (task);
  real_g_task_return_pointer (task, result, result_destroy);
}

void
g_task_return_boolean (GTask *task, gboolean result)
{
  REAL (g_task_return_boolean);
  release (task);
  real_g_task_return_boolean (task, result);
}

void
g_task_return_int (GTask *task, gssize result)
{
  REAL (g_task_return_int);
  release (task);
  real_g_task_return_int (task, result);
}

void
g_task_return_value (GTask *task, GValue *result)
{
  REAL (g_task_return_value);
  release (task);
  real_g_task_return_value (task, result);
}

void
g_task_return_error (GTask *task, GError *error)
{
  REAL (g_task_return_error);
  release (task);
  real_g_task_return_error (task, error);
}

void
g_task_return_new_error (GTask *task, GQuark domain, gint code, const char *format, ...)
{
  va_list args;

  REAL (g_error_new_valist);
  va_start (args, format);
  g_task_return_error (task, real_g_error_new_valist (domain, code, format, args));
  va_end (args);
}

gboolean
g_task_return_error_if_cancelled (GTask *task)
{
  REAL (g_task_return_error_if_cancelled);
  release (task);
  return real_g_task_return_error_if_cancelled (task);
}

gpointer
g_task_propagate_pointer (GTask *task, GError **error)
{
  REAL (g_task_propagate_pointer);
  acquire (task);
  return real_g_task_propagate_pointer (task, error);
}

gboolean
g_task_propagate_boolean (GTask *task, GError **error)
{
  REAL (g_task_propagate_boolean);
  acquire (task);
  return real_g_task_propagate_boolean (task, error);
}

gssize
g_task_propagate_int (GTask *task, GError **error)
{
  REAL (g_task_propagate_int);
  acquire (task);
  return real_g_task_propagate_int (task, error);
}

gboolean
g_task_propagate_value (GTask *task, GValue *value, GError **error)
{
  REAL (g_task_propagate_value);
  acquire (task);
  return real_g_task_propagate_value (task, value, error);
}

gboolean
g_task_had_error (GTask *task)
{
  REAL (g_task_had_error);
  acquire (task);
  return real_g_task_had_error (task);
}

/* Main contexts: adding a source happens before its callback runs. Only the
 * GSourceFunc-shaped callbacks are wrapped: g_source_set_callback() also
 * takes child-watch, fd and other callbacks cast to GSourceFunc. */
typedef struct
{
  GSourceFunc     func;
  GSourceOnceFunc once;
  gpointer        data;
  GDestroyNotify  notify;
} SourceCall;

static SourceCall *
source_call_new (GSourceFunc func, GSourceOnceFunc once, gpointer data, GDestroyNotify notify)
{
  SourceCall *call = malloc (sizeof *call);

  if (call == NULL)
    abort ();
  call->func = func;
  call->once = once;
  call->data = data;
  call->notify = notify;
  return call;
}

static gboolean
source_trampoline (gpointer user_data)
{
  SourceCall *call = user_data;

  acquire (&main_context_sync);
  if (call->once != NULL)
    {
      call->once (call->data);
      return G_SOURCE_REMOVE;
    }
  return call->func (call->data);
}

static void
source_call_free (gpointer user_data)
{
  SourceCall *call = user_data;

  if (call->notify != NULL)
    call->notify (call->data);
  free (call);
}

guint
g_source_attach (GSource *source, GMainContext *context)
{
  REAL (g_source_attach);
  release (&main_context_sync);
  return real_g_source_attach (source, context);
}

guint
g_idle_add_full (gint priority, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  REAL (g_idle_add_full);
  release (&main_context_sync);
  return real_g_idle_add_full (priority, source_trampoline,
                               source_call_new (func, NULL, data, notify), source_call_free);
}

guint
g_idle_add (GSourceFunc func, gpointer data)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, func, data, NULL);
}

guint
g_idle_add_once (GSourceOnceFunc func, gpointer data)
{
  REAL (g_idle_add_full);
  release (&main_context_sync);
  return real_g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, source_trampoline,
                               source_call_new (NULL, func, data, NULL), source_call_free);
}

guint
g_timeout_add_full (gint priority, guint interval, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  REAL (g_timeout_add_full);
  release (&main_context_sync);
  return real_g_timeout_add_full (priority, interval, source_trampoline,
                                  source_call_new (func, NULL, data, notify), source_call_free);
}

guint
g_timeout_add (guint interval, GSourceFunc func, gpointer data)
{
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, func, data, NULL);
}

guint
g_timeout_add_once (guint interval, GSourceOnceFunc func, gpointer data)
{
  REAL (g_timeout_add_full);
  release (&main_context_sync);
  return real_g_timeout_add_full (G_PRIORITY_DEFAULT, interval, source_trampoline,
                                  source_call_new (NULL, func, data, NULL), source_call_free);
}

guint
g_timeout_add_seconds_full (gint priority, guint interval, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  REAL (g_timeout_add_seconds_full);
  release (&main_context_sync);
  return real_g_timeout_add_seconds_full (priority, interval, source_trampoline,
                                          source_call_new (func, NULL, data, notify), source_call_free);
}

guint
g_timeout_add_seconds (guint interval, GSourceFunc func, gpointer data)
{
  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, interval, func, data, NULL);
}

void
g_main_context_invoke_full (GMainContext *context, gint priority, GSourceFunc func,
                            gpointer data, GDestroyNotify notify)
{
  REAL (g_main_context_invoke_full);
  release (&main_context_sync);
  real_g_main_context_invoke_full (context, priority, source_trampoline,
                                   source_call_new (func, NULL, data, notify), source_call_free);
}

void
g_main_context_invoke (GMainContext *context, GSourceFunc func, gpointer data)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, func, data, NULL);
}
