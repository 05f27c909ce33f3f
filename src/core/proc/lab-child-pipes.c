/* lab-child-pipes.c — a LabChild's pipes: input written to stdin, stdout
 * and stderr read to their end, a mark per read and the captured bytes
 * kept within bounds.
 *
 * The descriptors are made non-blocking and watched by pollable sources on
 * the owner's context, so reading and writing happen on the thread that
 * records the child's lane.
 *
 * Writing to a child that does not read its stdin ends in EPIPE, and would
 * raise SIGPIPE, which kills a process by default. SIGPIPE caused by a
 * write() goes to the thread that wrote, so the owning thread blocks it
 * while it feeds the child (after the spawn, so the child does not inherit
 * the blocked signal), the write fails with G_IO_ERROR_BROKEN_PIPE, and the
 * pending signal is taken away before the thread unblocks it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <fcntl.h>

#include "lab-child-private.h"

#define LAB_CHILD_BUFFER_BYTES (64 * 1024)
/* Reads per wakeup, so that Stop and the timeout are seen even when a
 * child writes without pause. */
#define LAB_CHILD_READS_PER_WAKEUP 16
/* One mark per read up to this many per stream; then one per MiB. */
#define LAB_CHILD_MAX_CHUNK_MARKS 2000
#define LAB_CHILD_COALESCE_BYTES  (1024 * 1024)
/* A child that trickles into an unread pipe for minutes: the first marks
 * show the pipe filling, the one that says it is full comes anyway. */
#define LAB_CHILD_MAX_UNREAD_MARKS 100

static void
block_sigpipe (LabChild *self)
{
  sigset_t set;

  if (self->sigpipe_blocked)
    return;

  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  if (pthread_sigmask (SIG_BLOCK, &set, &self->old_mask) == 0)
    self->sigpipe_blocked = TRUE;
}

static void
unblock_sigpipe (LabChild *self)
{
  const struct timespec no_wait = { 0, 0 };
  sigset_t set;

  if (!self->sigpipe_blocked)
    return;

  /* A broken pipe left SIGPIPE pending on this thread: take it away, or it
   * would be delivered (and kill the process) when unblocked. */
  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  if (!sigismember (&self->old_mask, SIGPIPE))
    while (sigtimedwait (&set, NULL, &no_wait) == SIGPIPE)
      ;

  pthread_sigmask (SIG_SETMASK, &self->old_mask, NULL);
  self->sigpipe_blocked = FALSE;
}

static void
set_nonblocking (GObject *stream)
{
  gint fd = -1;

  if (G_IS_UNIX_INPUT_STREAM (stream))
    fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (stream));
  else if (G_IS_UNIX_OUTPUT_STREAM (stream))
    fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (stream));
  if (fd >= 0)
    g_unix_set_fd_nonblocking (fd, TRUE, NULL);
}

/* ---- the pipes ---- */

/* Right after the spawn. */
void
lab_child_setup_pipes (LabChild *self)
{
  self->stdin_stream = g_subprocess_get_stdin_pipe (self->subprocess);
  self->stdin_done = self->stdin_stream == NULL;
  if (self->stdin_stream != NULL)
    set_nonblocking (G_OBJECT (self->stdin_stream));

  for (guint i = 0; i < G_N_ELEMENTS (self->out); i++)
    {
      LabChildStream *s = &self->out[i];

      s->stream = i == 0 ? g_subprocess_get_stdout_pipe (self->subprocess)
                         : g_subprocess_get_stderr_pipe (self->subprocess);
      s->done = s->stream == NULL;
      if (s->stream == NULL)
        continue;
      set_nonblocking (G_OBJECT (s->stream));
      s->capture = lab_capture_new (self->lane, i == 0 ? 0 : LAB_EVENT_FLAG_STDERR);
      s->head = g_byte_array_new ();
    }
}

gboolean
lab_child_streams_done (LabChild *self)
{
  return self->out[0].done && self->out[1].done;
}

gboolean
lab_child_pipes_done (LabChild *self)
{
  return self->stdin_done && lab_child_streams_done (self);
}

static void
stream_flush_marks (LabChild       *self,
                    LabChildStream *s)
{
  g_autofree char *size = NULL;
  g_autofree char *label = NULL;

  if (s->pending == 0)
    return;

  size = g_format_size (s->pending);
  /* Translators: a mark on a child process's lane: the parent read this
   * much (e.g. "1.0 MB") from the child's stdout or stderr at once */
  label = g_strdup_printf (_("read %s from %s"), size, s->name);
  lab_child_mark (self, s == &self->out[1] ? LAB_EVENT_FLAG_STDERR : LAB_EVENT_FLAG_NONE,
                  (gint64) s->pending, label);
  s->pending = 0;
}

static void
stream_record_chunk (LabChild       *self,
                     LabChildStream *s,
                     gsize           n)
{
  g_autofree char *count = NULL;
  g_autofree char *label = NULL;
  const char *format;

  lab_capture_append (s->capture, s->buffer, n);
  if (s->head->len < LAB_CHILD_HEAD_BYTES)
    g_byte_array_append (s->head, s->buffer, MIN (n, LAB_CHILD_HEAD_BYTES - s->head->len));

  if (s->n_marks >= LAB_CHILD_MAX_CHUNK_MARKS)
    {
      /* So many reads: one mark per MiB keeps the trace small. */
      s->pending += n;
      if (s->pending >= LAB_CHILD_COALESCE_BYTES)
        stream_flush_marks (self, s);
      return;
    }

  s->n_marks++;
  count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  /* Translators: a mark on a child process's lane; the first %s is a
   * number of bytes, the second "stdout" or "stderr" */
  format = g_dngettext (GETTEXT_PACKAGE, "read %s byte from %s", "read %s bytes from %s", n);
  label = g_strdup_printf (format, count, s->name);
  lab_child_mark (self, s == &self->out[1] ? LAB_EVENT_FLAG_STDERR : LAB_EVENT_FLAG_NONE,
                  (gint64) n, label);
}

void
lab_child_stream_finish (LabChild       *self,
                         LabChildStream *s)
{
  s->done = TRUE;
  stream_flush_marks (self, s);
  lab_child_clear_source (&s->source);
  g_input_stream_close (s->stream, NULL, NULL);
}

/* Reads what is there, up to LAB_CHILD_READS_PER_WAKEUP times; TRUE once
 * the stream has ended. */
static gboolean
stream_read (LabChild       *self,
             LabChildStream *s)
{
  for (guint i = 0; i < LAB_CHILD_READS_PER_WAKEUP; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (s->stream),
                                                           s->buffer, LAB_CHILD_BUFFER_BYTES,
                                                           NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (n <= 0)
        {
          /* The end (or a read error, which ends the stream just the same). */
          lab_child_stream_finish (self, s);
          return TRUE;
        }
      stream_record_chunk (self, s, (gsize) n);
    }

  return FALSE;
}

static gboolean
on_readable (GObject  *pollable,
             gpointer  user_data)
{
  LabChild *self = user_data;
  LabChildStream *s = G_INPUT_STREAM (pollable) == self->out[0].stream ? &self->out[0]
                                                                        : &self->out[1];

  return stream_read (self, s) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
stdin_finish (LabChild *self)
{
  g_autofree char *label = NULL;

  self->stdin_done = TRUE;
  lab_child_clear_source (&self->stdin_source);
  g_output_stream_close (self->stdin_stream, NULL, NULL);

  if (!self->stdin_broken)
    {
      /* Translators: a mark on a child process's lane: the parent closed
       * the pipe to the child's stdin, so the child reads "end of file" */
      lab_child_mark (self, LAB_EVENT_FLAG_NONE, (gint64) self->stdin_bytes, _("closed stdin (end of input)"));
    }
}

static gboolean
on_writable (GObject  *pollable,
             gpointer  user_data)
{
  LabChild *self = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (self->input, &size);

  while (self->input_pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *count = NULL;
      g_autofree char *label = NULL;
      const char *format;
      gssize n;

      n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->stdin_stream),
                                                      data + self->input_pos,
                                                      MIN (size - self->input_pos, LAB_CHILD_BUFFER_BYTES),
                                                      NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (self->stdin_source == NULL)
            {
              self->stdin_source =
                g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->stdin_stream), NULL);
              g_source_set_callback (self->stdin_source, G_SOURCE_FUNC (on_writable), self, NULL);
              g_source_attach (self->stdin_source, self->context);
            }
          return G_SOURCE_CONTINUE;
        }
      if (n < 0)
        {
          /* Typically EPIPE: the child ended or closed stdin unread. */
          self->stdin_broken = TRUE;
          label = g_strdup_printf (
            /* Translators: a mark on a child process's lane */
            _("stdin: broken pipe, the child did not read its input (%s)"), error->message);
          lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, (gint64) self->stdin_bytes, label);
          stdin_finish (self);
          return G_SOURCE_REMOVE;
        }

      self->input_pos += (gsize) n;
      self->stdin_bytes += (guint64) n;
          if (self->stdin_marks++ < LAB_CHILD_MAX_CHUNK_MARKS)
        {
          count = g_strdup_printf ("%" G_GSSIZE_FORMAT, n);
          /* Translators: a mark on a child process's lane; %s is a number */
          format = g_dngettext (GETTEXT_PACKAGE, "wrote %s byte to stdin", "wrote %s bytes to stdin", n);
          label = g_strdup_printf (format, count);
          lab_child_mark (self, LAB_EVENT_FLAG_NONE, n, label);
        }
    }

  stdin_finish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
communicate_done (LabChild *self)
{
  if (!self->exited)
    return FALSE;
  /* After Stop nobody waits for the rest of the output; after a kill of
   * the group, only what is already in the pipes is left to read (a
   * process that left the group may hold them open for ever). */
  return self->stopped || self->group_killed || lab_child_pipes_done (self);
}

void
lab_child_communicate (LabChild *self,
                       GBytes   *input,
                       double    timeout_s)
{
  if (self->subprocess == NULL)
    return;

  self->communicating = TRUE;
  if (self->stdin_stream != NULL && !self->stdin_done)
    {
      self->input = input != NULL ? g_bytes_ref (input) : g_bytes_new (NULL, 0);
      block_sigpipe (self);
      on_writable (NULL, self);
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->out); i++)
    {
      LabChildStream *s = &self->out[i];

      if (s->done || s->source != NULL)
        continue;
      s->buffer = g_malloc (LAB_CHILD_BUFFER_BYTES);
      s->source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (s->stream), NULL);
      g_source_set_callback (s->source, G_SOURCE_FUNC (on_readable), self, NULL);
      g_source_attach (s->source, self->context);
    }

  /* The timeout bounds the whole call, also when the child has already
   * ended (Popen) and only its pipes are left. */
  if (timeout_s > 0 && !communicate_done (self))
    {
      self->timeout_s = timeout_s;
      self->timeout_source = lab_child_attach_timeout (self, (guint) MAX (1, timeout_s * 1000 + 0.5),
                                                       lab_child_on_timeout);
    }
  else if (self->exited && !lab_child_pipes_done (self))
    lab_child_start_eof_grace (self);

  while (!communicate_done (self))
    lab_child_iterate (self, TRUE);

  lab_child_clear_source (&self->timeout_source);
  lab_child_clear_source (&self->eof_source);
  for (guint i = 0; i < G_N_ELEMENTS (self->out); i++)
    {
      /* What the killed processes wrote before they died is still in the
       * pipe: keep it, as Python does after a timeout. */
      if (!self->out[i].done && !self->stopped)
        stream_read (self, &self->out[i]);
      if (!self->out[i].done)
        lab_child_stream_finish (self, &self->out[i]);
      if (self->out[i].capture != NULL)
        lab_capture_finish (self->out[i].capture);
    }
  if (!self->stdin_done)
    stdin_finish (self);
}

void
lab_child_watch_unread (LabChild *self)
{
  LabChildStream *s = &self->out[0];
  g_autofree char *label = NULL;
  gint fd, unread = 0, size;

  if (s->stream == NULL || s->done || self->exited || self->pipe_full)
    return;
  fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (s->stream));
  if (ioctl (fd, FIONREAD, &unread) != 0 || unread == self->pipe_unread)
    return;

  self->pipe_unread = unread;
  size = fcntl (fd, F_GETPIPE_SZ);
  if (size > 0 && unread >= size)
    {
      self->pipe_full = TRUE;
      /* Translators: a mark on a child process's lane; %d is a number of
       * bytes (65536 on Linux) */
      label = g_strdup_printf (_("stdout pipe full: %d bytes unread, the child is blocked in write()"),
                               unread);
      lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, unread, label);
    }
  else if (self->unread_marks++ < LAB_CHILD_MAX_UNREAD_MARKS)
    {
      /* Translators: a mark on a child process's lane; %d is a number of
       * bytes the child wrote that the parent has not read yet */
      label = g_strdup_printf (_("%d bytes unread in the stdout pipe"), unread);
      lab_child_mark (self, LAB_EVENT_FLAG_NONE, unread, label);
    }
}

/* From lab_child_free(): every pipe closed, nothing left attached. */
void
lab_child_release_pipes (LabChild *self)
{
  lab_child_clear_source (&self->stdin_source);
  for (guint i = 0; i < G_N_ELEMENTS (self->out); i++)
    {
      LabChildStream *s = &self->out[i];

      lab_child_clear_source (&s->source);
      if (s->stream != NULL)
        g_input_stream_close (s->stream, NULL, NULL);
      g_clear_pointer (&s->capture, lab_capture_free);
      g_clear_pointer (&s->head, g_byte_array_unref);
      g_clear_pointer (&s->buffer, g_free);
    }
  if (self->stdin_stream != NULL)
    g_output_stream_close (self->stdin_stream, NULL, NULL);
  unblock_sigpipe (self);
  g_clear_pointer (&self->input, g_bytes_unref);
}
