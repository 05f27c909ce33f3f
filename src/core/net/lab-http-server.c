/* lab-http-server.c — the loopback HTTP/1.1 server's life: a thread with
 * its own main context on which a GThreadedSocketService accepts, the
 * limit on open connections, and a prompt stop. Each connection is served
 * by lab-http-connection.c on a thread of the service's pool.
 *
 * Stopping is prompt because every blocking step watches one thing: reads
 * and writes take the server's GCancellable, and waits (a delay, a pause
 * between trickled pieces) wait on a GCond that stop() broadcasts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lab-http-server-private.h"

#define LAB_HTTP_LISTEN_BACKLOG 128
/* How long stop() waits for connection threads that are already ending. */
#define LAB_HTTP_STOP_GRACE_US  (5 * G_USEC_PER_SEC)

struct _LabHttpServer
{
  gatomicrefcount  ref_count;

  GMutex           mutex;
  GCond            cond;
  /* under mutex */
  gboolean         ready;          /* the thread has bound (or failed to) */
  gboolean         running;        /* started and not yet stopped */
  gboolean         stopping;       /* ends every wait */
  gboolean         service_alive;  /* the GThreadedSocketService exists */
  guint            n_connections;  /* accepted, handler not yet done */
  guint            max_connections;
  guint64          n_requests;
  GError          *start_error;

  /* written by start() before the thread exists or under mutex */
  gboolean         started;
  guint16          port;
  char            *base_url;
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GCancellable    *cancellable;    /* cancelled by stop(): ends every read and write */
};

/* ---- for the connections (lab-http-connection.c) ---- */

/* Waits @ms or until the server stops; FALSE if it stopped. */
gboolean
lab_http_server_wait_ms (LabHttpServer *self,
                         gint64         ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  gboolean stopping;

  g_mutex_lock (&self->mutex);
  while (!self->stopping)
    if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
      break;
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  return !stopping;
}

GCancellable *
lab_http_server_get_cancellable (LabHttpServer *self)
{
  return self->cancellable;
}

void
lab_http_server_count_request (LabHttpServer *self)
{
  g_mutex_lock (&self->mutex);
  self->n_requests++;
  g_mutex_unlock (&self->mutex);
}

/* ---- accepting (on the server's thread) ---- */

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  LabHttpServer *self = user_data;
  gboolean refuse;

  g_mutex_lock (&self->mutex);
  refuse = self->stopping || self->n_connections >= self->max_connections;
  if (!refuse)
    self->n_connections++;
  g_mutex_unlock (&self->mutex);

  /* TRUE keeps the connection from the thread pool: closed unanswered. */
  if (refuse)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return refuse;
}

/* On a thread of the service's pool; the connection is ours until we
 * return. */
static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  LabHttpServer *self = user_data;
  gboolean stopping;

  g_mutex_lock (&self->mutex);
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  if (!stopping)
    lab_http_serve_connection (self, g_socket_connection_get_socket (connection));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&self->mutex);
  self->n_connections--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/* The service is finalized by whichever thread drops its last reference
 * (the pool's jobs hold some): only then are no handlers left to run. */
static void
on_service_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  LabHttpServer *self = data;

  g_mutex_lock (&self->mutex);
  self->service_alive = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
drain_context (GMainContext *context)
{
  while (g_main_context_iteration (context, FALSE))
    ;
}

static gpointer
lab_http_server_thread (gpointer data)
{
  LabHttpServer *self = data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  GSocketService *service;
  GError *error = NULL;
  gboolean bound;

  g_main_context_push_thread_default (self->context);

  /* No thread limit of the service's own: at the limit it would pause
   * accepting and restart from a pool thread. on_incoming() limits. */
  service = g_threaded_socket_service_new (-1);
  g_object_weak_ref (G_OBJECT (service), on_service_finalized, self);
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), self);
  g_signal_connect (service, "run", G_CALLBACK (on_run), self);
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), LAB_HTTP_LISTEN_BACKLOG);

  /* 127.0.0.1 and nothing else, on a port the kernel picks. */
  bound = g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                         NULL, &effective, &error);

  g_mutex_lock (&self->mutex);
  if (bound)
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  else
    self->start_error = error;
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (bound)
    g_main_loop_run (self->loop);

  /* Stop accepting first, let the cancelled accept finish, then close. */
  g_socket_service_stop (service);
  drain_context (self->context);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
  drain_context (self->context);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* ---- life ---- */

LabHttpServer *
lab_http_server_new (void)
{
  LabHttpServer *self = g_new0 (LabHttpServer, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->max_connections = LAB_HTTP_SERVER_MAX_CONNECTIONS;
  self->cancellable = g_cancellable_new ();
  return self;
}

LabHttpServer *
lab_http_server_ref (LabHttpServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
lab_http_server_unref (LabHttpServer *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  lab_http_server_stop (self);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

void
lab_http_server_set_max_connections (LabHttpServer *self,
                                     guint          max_connections)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_connections > 0);

  g_mutex_lock (&self->mutex);
  self->max_connections = max_connections;
  g_mutex_unlock (&self->mutex);
}

guint16
lab_http_server_start (LabHttpServer  *self,
                       GError        **error)
{
  GThread *thread;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (!self->started, 0);

  self->started = TRUE;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->service_alive = TRUE;

  thread = g_thread_try_new ("lab-http-server", lab_http_server_thread, self, error);
  if (thread == NULL)
    {
      self->service_alive = FALSE;
      return 0;
    }

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_thread_join (thread);
      g_propagate_prefixed_error (error, g_steal_pointer (&self->start_error),
                                  "Could not listen on 127.0.0.1: ");
      return 0;
    }

  g_mutex_lock (&self->mutex);
  self->thread = thread;
  self->running = TRUE;
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_mutex_unlock (&self->mutex);

  return self->port;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
lab_http_server_stop (LabHttpServer *self)
{
  GThread *thread;
  gint64 deadline;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  thread = g_steal_pointer (&self->thread);
  self->running = FALSE;
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (thread == NULL)
    return;

  /* Ends every read, write and wait of every connection. */
  g_cancellable_cancel (self->cancellable);
  /* An idle in the server's context rather than g_main_loop_quit(), which
   * would be lost if the loop had not started running yet. */
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (thread);

  deadline = g_get_monotonic_time () + LAB_HTTP_STOP_GRACE_US;
  g_mutex_lock (&self->mutex);
  while (self->service_alive || self->n_connections > 0)
    if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
      break;
  if (self->service_alive || self->n_connections > 0)
    g_warning ("HTTP server: %u connections still open after stop", self->n_connections);
  g_mutex_unlock (&self->mutex);
}

gboolean
lab_http_server_is_running (LabHttpServer *self)
{
  gboolean running;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  running = self->running;
  g_mutex_unlock (&self->mutex);
  return running;
}

guint16
lab_http_server_get_port (LabHttpServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

const char *
lab_http_server_get_base_url (LabHttpServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->base_url;
}

char *
lab_http_server_url (LabHttpServer *self,
                     const char    *path_format,
                     ...)
{
  g_autofree char *path = NULL;
  va_list args;

  g_return_val_if_fail (self != NULL && self->base_url != NULL, NULL);

  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);

  return g_strconcat (self->base_url, path, NULL);
}

guint64
lab_http_server_get_n_requests (LabHttpServer *self)
{
  guint64 n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  n = self->n_requests;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
lab_http_server_get_n_connections (LabHttpServer *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  n = self->n_connections;
  g_mutex_unlock (&self->mutex);
  return n;
}
