/* lab-py-receiver.c — the socket side of the CPython engine.
 *
 * One thread accepts connections on the socket; each connection gets a
 * reader thread that polls its socket, checks every frame header before it
 * trusts the length, and hands whole records to its LabPyProcess. Threads
 * poll with a short timeout so that stop() is seen promptly. After stop(),
 * the accept thread takes what is still queued, and readers read until the
 * peer closes or stays silent for LAB_PY_RECEIVER_IDLE_MS (a process that
 * outlived the run may keep its socket open forever). A bad frame closes
 * only its own connection; what came before it stays recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lab-proc-sampler.h"
#include "lab-py-process-private.h"

#define LAB_PY_RECEIVER_POLL_MS 50
#define LAB_PY_RECEIVER_IDLE_MS 200
#define READ_CHUNK (64 * 1024)

struct _LabPyReceiver
{
  LabRecorder *recorder;
  char        *dir;
  char        *path;
  int          listen_fd;
  GThread     *accept_thread;
  atomic_bool  stopping;
  guint        max_processes;
  guint64      max_bytes;
  gboolean     stopped;

  GMutex       mutex;        /* guards what follows */
  GPtrArray   *readers;      /* GThread* */
  GPtrArray   *errors;       /* char* */
  GString     *output;       /* printed lines, or NULL when not kept */
  guint64      max_output;
  guint64      printed;      /* bytes of every line printed */
  guint64      shown;        /* cost of those recorded on the timeline */
  guint64      dropped;      /* bytes of the lines not recorded there */
  gboolean     output_full;  /* the line that says so was recorded */
  GArray      *cut_short;    /* gint pids */
  GArray      *cut_alive;    /* gboolean, one per pid above */
  guint        n_connections;
  guint        n_connected;  /* ... and those refused */
  guint        n_processes;
};

typedef struct
{
  LabPyReceiver *receiver;
  int            fd;
  gint           peer_pid;
  gboolean       first;    /* accepted before any other: the program itself */
} Connection;

static void
add_error (LabPyReceiver *self,
           char          *message)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->errors, message);
  g_mutex_unlock (&self->mutex);
}

/* Checks the header at @data; FALSE with a message when it is garbage. */
static gboolean
check_header (const guint8  *data,
              guint          number,
              guint16       *kind,
              guint32       *length,
              GError       **error)
{
  guint32 magic, len;
  guint16 version, k;

  memcpy (&magic, data, 4);
  memcpy (&version, data + 4, 2);
  memcpy (&k, data + 6, 2);
  memcpy (&len, data + 8, 4);
  magic = GUINT32_FROM_LE (magic);
  version = GUINT16_FROM_LE (version);
  k = GUINT16_FROM_LE (k);
  len = GUINT32_FROM_LE (len);

  if (magic != LAB_PY_WIRE_MAGIC)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Translators: %u is a record number */
                 _("record %u is not a trace record (garbage on the socket)"), number);
  else if (version != LAB_PY_WIRE_VERSION)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 /* Translators: the tracer module and the app do not match */
                 _("record %u has version %u, this lab reads version %u"),
                 number, version, LAB_PY_WIRE_VERSION);
  else if (k == 0 || k >= LAB_PY_RECORD_N)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("record %u has an unknown kind %u"), number, k);
  else if (len > LAB_PY_WIRE_MAX_RECORD)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("record %u is too long (%u bytes)"), number, len);
  else
    {
      *kind = k;
      *length = len;
      return TRUE;
    }
  return FALSE;
}

/* Feeds the whole records in @buf to @process and removes them. */
static gboolean
feed_records (LabPyProcess  *process,
              GByteArray    *buf,
              guint         *number,
              GError       **error)
{
  gsize pos = 0;
  gboolean ok = TRUE;

  while (ok && buf->len - pos >= LAB_PY_WIRE_HEADER_SIZE)
    {
      guint16 kind = 0;
      guint32 length = 0;

      if (!check_header (buf->data + pos, *number, &kind, &length, error))
        ok = FALSE;
      else if (buf->len - pos - LAB_PY_WIRE_HEADER_SIZE < length)
        break;
      else
        {
          ok = lab_py_process_feed (process, *number, kind,
                                    buf->data + pos + LAB_PY_WIRE_HEADER_SIZE,
                                    length, error);
          pos += LAB_PY_WIRE_HEADER_SIZE + length;
          *number += 1;
        }
    }
  g_byte_array_remove_range (buf, 0, pos);
  return ok;
}

/* Trims the kept output to its last max_output bytes, from a line's start. */
static void
trim_output (LabPyReceiver *self)
{
  const char *cut;

  if (self->output->len <= self->max_output)
    return;
  cut = strchr (self->output->str + self->output->len - self->max_output, '\n');
  g_string_erase (self->output, 0, cut != NULL ? cut + 1 - self->output->str : (gssize) self->output->len);
}

/* Every printed line passes here: it costs its bytes and its event. */
static gboolean
admit_line (const char  *text,
            guint        stream,
            char       **note,
            gpointer     data)
{
  LabPyReceiver *self = data;
  guint64 bytes = strlen (text) + 1;
  guint64 cost = bytes + sizeof (LabEvent);
  gboolean show;

  g_mutex_lock (&self->mutex);
  self->printed += bytes;
  show = !self->output_full && self->shown + cost <= self->max_output;
  if (show)
    self->shown += cost;
  else
    self->dropped += bytes;
  if (!show && !self->output_full)
    {
      g_autofree char *size = g_format_size (self->max_output);

      self->output_full = TRUE;
      /* Translators: put on the timeline in place of a printed line; %s is
       * a size such as "8.4 MB" */
      *note = g_strdup_printf (_("[The program printed more than %s: the lines after this one are not shown]"),
                               size);
    }
  if (stream == 1 && self->output != NULL)
    {
      g_string_append (self->output, text);
      g_string_append_c (self->output, '\n');
      /* Trimmed in steps of max_output, not per line: amortised. */
      if (self->output->len > 2 * self->max_output)
        trim_output (self);
    }
  g_mutex_unlock (&self->mutex);
  return show;
}

/* Whether process @pid still runs: not a zombie, and not on its way out.
 * A process's sockets close while it exits, before it is a zombie; the
 * kernel marks it PF_EXITING first. */
static gboolean
process_alive (gint pid)
{
  GPid pgrp;
  guint flags = 0;
  char state = 0;

  return lab_proc_peek (pid, &state, &pgrp, &flags) &&
         state != 'Z' && state != 'X' && (flags & 0x4) == 0;
}

static gpointer
reader_thread (gpointer data)
{
  Connection *conn = data;
  LabPyReceiver *self = conn->receiver;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  LabPyProcess *process = lab_py_process_new (self->recorder, conn->peer_pid, conn->first);
  g_autofree guint8 *chunk = g_malloc (READ_CHUNK);
  guint64 total = 0;
  guint number = 1;
  gint idle_ms = 0;
  guint64 max_bytes;

  g_mutex_lock (&self->mutex);
  max_bytes = self->max_bytes;
  g_mutex_unlock (&self->mutex);
  lab_py_process_set_output (process, admit_line, self);

  while (error == NULL)
    {
      struct pollfd pfd = { conn->fd, POLLIN, 0 };
      int r = poll (&pfd, 1, LAB_PY_RECEIVER_POLL_MS);
      ssize_t n;

      if (r < 0 && errno == EINTR)
        continue;
      if (r == 0)
        {
          idle_ms += LAB_PY_RECEIVER_POLL_MS;
          if (atomic_load (&self->stopping) && idle_ms >= LAB_PY_RECEIVER_IDLE_MS)
            break;
          continue;
        }
      idle_ms = 0;
      n = read (conn->fd, chunk, READ_CHUNK);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          /* The process ended (or was killed) in the middle of a record. */
          if (buf->len > 0)
            g_set_error (&error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         /* Translators: %u is a record number */
                         _("record %u is truncated"), number);
          /* The tracer sends the main thread's end at exit: without it the
           * trace of this process stops early. Alive now means the program
           * itself cut the tracer off (closed its socket). */
          else if (lab_py_process_said_hello (process) && !lab_py_process_main_ended (process))
            {
              gint pid = lab_py_process_get_pid (process);
              gboolean alive = process_alive (pid);

              /* On the timeline too, for every caller: this is where the
               * trace of a process that went on running stops. */
              if (alive)
                lab_py_process_mark_end (process, _("Tracing stopped here: the program "
                                                    "closed the lab's socket"));
              g_mutex_lock (&self->mutex);
              g_array_append_val (self->cut_short, pid);
              g_array_append_val (self->cut_alive, alive);
              g_mutex_unlock (&self->mutex);
            }
          break;
        }
      total += (guint64) n;
      g_byte_array_append (buf, chunk, (guint) n);
      /* Records within the limit are kept (the hello names the process). */
      if (total > max_bytes)
        g_byte_array_set_size (buf, buf->len - (guint) MIN ((guint64) n, total - max_bytes));
      if (feed_records (process, buf, &number, &error) && total > max_bytes)
        {
          g_autofree char *size = g_format_size (max_bytes);

          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       /* Translators: a traced process sent too much; %s is
                        * a size such as "256 MB" */
                       _("sent more than %s of trace records; the rest is not shown"),
                       size);
        }
    }

  if (error != NULL)
    add_error (self, g_strdup_printf (_("pid %d: %s"),
                                      lab_py_process_get_pid (process), error->message));
  lab_py_process_finish (process);
  if (lab_py_process_said_hello (process))
    {
      g_mutex_lock (&self->mutex);
      self->n_processes++;
      g_mutex_unlock (&self->mutex);
    }
  lab_py_process_free (process);
  close (conn->fd);
  g_free (conn);
  return NULL;
}

static void
accept_pending (LabPyReceiver *self)
{
  for (;;)
    {
      int fd = accept4 (self->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      struct ucred cred = { 0 };
      socklen_t len = sizeof cred;
      Connection *conn;

      if (fd < 0)
        return; /* EAGAIN: nothing queued */

      getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
      g_mutex_lock (&self->mutex);
      self->n_connected++;
      if (self->n_connections >= self->max_processes)
        {
          g_mutex_unlock (&self->mutex);
          add_error (self, g_strdup_printf (_("pid %d: more than %u Python processes; "
                                              "this one is not traced"),
                                            (int) cred.pid, self->max_processes));
          close (fd);
          continue;
        }
      conn = g_new0 (Connection, 1);
      conn->receiver = self;
      conn->fd = fd;
      conn->peer_pid = (gint) cred.pid;
      /* The program connects as it starts, before it can start another
       * process, and connections are accepted in the order they were
       * made. Which reader gets to its HELLO first is up to the
       * scheduler: a forked child's could come before its parent's. */
      conn->first = self->n_connections == 0;
      self->n_connections++;
      g_ptr_array_add (self->readers, g_thread_new ("lab-py-reader", reader_thread, conn));
      g_mutex_unlock (&self->mutex);
    }
}

static gpointer
accept_thread (gpointer data)
{
  LabPyReceiver *self = data;

  while (!atomic_load (&self->stopping))
    {
      struct pollfd pfd = { self->listen_fd, POLLIN, 0 };

      if (poll (&pfd, 1, LAB_PY_RECEIVER_POLL_MS) > 0)
        accept_pending (self);
    }
  /* What connected just before the end is read too. */
  accept_pending (self);
  return NULL;
}

LabPyReceiver *
lab_py_receiver_new (LabRecorder  *recorder,
                     GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  LabPyReceiver *self;
  int fd;

  /* g_dir_make_tmp() creates the directory 0700: only this user can
   * connect, whatever the socket's own mode. */
  dir = g_dir_make_tmp ("concurrency-lab-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "trace.sock", NULL);
  if (strlen (path) >= sizeof addr.sun_path)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   _("The temporary directory's path is too long for a socket: %s"), dir);
      g_rmdir (dir);
      return NULL;
    }
  strcpy (addr.sun_path, path);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (fd, 128) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not open the socket for the trace: %s"), g_strerror (saved));
      if (fd >= 0)
        close (fd);
      g_unlink (path);
      g_rmdir (dir);
      return NULL;
    }

  self = g_new0 (LabPyReceiver, 1);
  self->recorder = lab_recorder_ref (recorder);
  self->dir = g_steal_pointer (&dir);
  self->path = g_steal_pointer (&path);
  self->listen_fd = fd;
  self->max_processes = LAB_PY_RECEIVER_MAX_PROCESSES;
  self->max_bytes = LAB_PY_RECEIVER_MAX_BYTES;
  self->max_output = LAB_PY_RECEIVER_MAX_OUTPUT;
  self->cut_short = g_array_new (FALSE, FALSE, sizeof (gint));
  self->cut_alive = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_mutex_init (&self->mutex);
  self->readers = g_ptr_array_new ();
  self->errors = g_ptr_array_new_with_free_func (g_free);
  self->accept_thread = g_thread_new ("lab-py-accept", accept_thread, self);
  return self;
}

const char *
lab_py_receiver_get_socket_path (LabPyReceiver *self)
{
  return self->path;
}

void
lab_py_receiver_set_limits (LabPyReceiver *self,
                            guint          max_processes,
                            guint64        max_bytes)
{
  g_mutex_lock (&self->mutex);
  self->max_processes = max_processes;
  self->max_bytes = max_bytes;
  g_mutex_unlock (&self->mutex);
}

void
lab_py_receiver_stop (LabPyReceiver *self)
{
  if (self->stopped)
    return;
  self->stopped = TRUE;
  atomic_store (&self->stopping, true);
  g_thread_join (self->accept_thread);
  /* No new readers from here on: the accept thread is gone. */
  for (guint i = 0; i < self->readers->len; i++)
    g_thread_join (g_ptr_array_index (self->readers, i));
  g_ptr_array_set_size (self->readers, 0);
  close (self->listen_fd);
  self->listen_fd = -1;
}

void
lab_py_receiver_free (LabPyReceiver *self)
{
  if (self == NULL)
    return;
  lab_py_receiver_stop (self);
  g_unlink (self->path);
  g_rmdir (self->dir);
  g_ptr_array_unref (self->readers);
  g_ptr_array_unref (self->errors);
  g_array_unref (self->cut_short);
  g_array_unref (self->cut_alive);
  if (self->output != NULL)
    g_string_free (self->output, TRUE);
  g_mutex_clear (&self->mutex);
  lab_recorder_unref (self->recorder);
  g_free (self->path);
  g_free (self->dir);
  g_free (self);
}

guint
lab_py_receiver_get_n_processes (LabPyReceiver *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_processes;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
lab_py_receiver_get_n_connected (LabPyReceiver *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_connected;
  g_mutex_unlock (&self->mutex);
  return n;
}

void
lab_py_receiver_keep_output (LabPyReceiver *self)
{
  g_mutex_lock (&self->mutex);
  if (self->output == NULL)
    self->output = g_string_new (NULL);
  g_mutex_unlock (&self->mutex);
}

char *
lab_py_receiver_dup_output (LabPyReceiver *self)
{
  char *text;

  g_mutex_lock (&self->mutex);
  if (self->output != NULL)
    trim_output (self);
  text = g_strdup (self->output != NULL ? self->output->str : "");
  g_mutex_unlock (&self->mutex);
  return text;
}

void
lab_py_receiver_set_output_limit (LabPyReceiver *self,
                                  guint64        max_bytes)
{
  g_mutex_lock (&self->mutex);
  self->max_output = MAX (max_bytes, 1);
  g_mutex_unlock (&self->mutex);
}

guint64
lab_py_receiver_get_output_dropped (LabPyReceiver *self,
                                    guint64       *printed)
{
  guint64 dropped;

  g_mutex_lock (&self->mutex);
  if (printed != NULL)
    *printed = self->printed;
  /* What is shown is counted with its events' cost: the dropped bytes are
   * the printed ones of the lines not shown. */
  dropped = self->dropped;
  g_mutex_unlock (&self->mutex);
  return dropped;
}

GArray *
lab_py_receiver_dup_cut_short (LabPyReceiver  *self,
                               GArray        **alive)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (gint));

  g_mutex_lock (&self->mutex);
  g_array_append_vals (pids, self->cut_short->data, self->cut_short->len);
  if (alive != NULL)
    {
      *alive = g_array_new (FALSE, FALSE, sizeof (gboolean));
      g_array_append_vals (*alive, self->cut_alive->data, self->cut_alive->len);
    }
  g_mutex_unlock (&self->mutex);
  return pids;
}

GStrv
lab_py_receiver_dup_errors (LabPyReceiver *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->errors->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->errors, i));
  g_mutex_unlock (&self->mutex);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}
