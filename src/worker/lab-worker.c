/* lab-worker.c — concurrency-lab-worker, the helper process that the
 * "spawn" start method starts: Concurrency Lab execs it (GSubprocess), the
 * way Python's multiprocessing execs a fresh interpreter, instead of
 * forking the threaded GTK process.
 *
 * It talks to the app over its stdin and stdout with the frames of
 * lab-wire.h: it reads HELLO, answers READY with its pid, then runs TASK
 * frames (sending RESULT and, if asked, EVENTS with what it recorded) until
 * QUIT or the end of its stdin. Anything that is not a valid frame ends it
 * with an ERROR frame and exit status 2: garbage is never taken for data.
 *
 * Started with LAB_FORK_SERVER_ARG it is instead the fork server of the
 * "fork" and "forkserver" start methods (lab-worker-fork.c), and each
 * child it forks goes on from there as a worker like the above.
 *
 * Only GLib and the core's protocol code are linked: no GTK, no GIO.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab-fork-server.h"
#include "lab-worker.h"

#define LAB_WORKER_STAGING 65536

/* ---- recording ---- */

static guint32
lab_worker_intern (LabWorker  *worker,
                   const char *label)
{
  gpointer id;
  char *key;
  guint32 new_id;

  if (label == NULL || label[0] == '\0')
    return 0;
  if (g_hash_table_lookup_extended (worker->label_ids, label, NULL, &id))
    return GPOINTER_TO_UINT (id);

  key = g_strdup (label);
  new_id = g_hash_table_size (worker->label_ids) + 1;
  g_hash_table_insert (worker->label_ids, key, GUINT_TO_POINTER (new_id));
  g_array_append_val (worker->new_ids, new_id);
  g_ptr_array_add (worker->new_labels, key);
  return new_id;
}

void
lab_worker_record_at (LabWorker    *worker,
                      gint64        ts_ns,
                      LabEventKind  kind,
                      LabState      state,
                      guint16       flags,
                      const char   *label,
                      gint64        value,
                      guint32       flow)
{
  LabEvent event = { 0 };

  if (!worker->record)
    return;
  event.ts_ns = ts_ns;
  event.value = value;
  event.label = lab_worker_intern (worker, label);
  event.flow = flow;
  event.kind = (guint8) kind;
  event.state = (guint8) state;
  event.cpu = (gint16) sched_getcpu ();
  event.flags = flags;
  g_array_append_val (worker->events, event);
}

void
lab_worker_record (LabWorker    *worker,
                   LabEventKind  kind,
                   LabState      state,
                   guint16       flags,
                   const char   *label,
                   gint64        value,
                   guint32       flow)
{
  lab_worker_record_at (worker, lab_clock_now_ns (), kind, state, flags, label, value, flow);
}

void
lab_worker_put_events (LabWorker *worker)
{
  if (worker->events->len == 0)
    return;
  lab_wire_put_events (worker->writer,
                       (const guint32 *) (gpointer) worker->new_ids->data,
                       (const char **) worker->new_labels->pdata,
                       worker->new_ids->len,
                       (const LabEvent *) (gpointer) worker->events->data,
                       worker->events->len);
  g_array_set_size (worker->events, 0);
  g_array_set_size (worker->new_ids, 0);
  g_ptr_array_set_size (worker->new_labels, 0);
}

/* ---- the pipes ---- */

void
lab_worker_flush (LabWorker *worker)
{
  while (!lab_wire_writer_is_done (worker->writer))
    if (lab_wire_writer_write_fd (worker->writer, worker->out_fd) < 0)
      {
        /* The parent is gone (a SIGPIPE would normally have ended us
         * already): nobody is left to tell. */
        _exit (errno == EPIPE ? 0 : LAB_WORKER_EXIT_PROTOCOL);
      }
  lab_wire_writer_reset (worker->writer);
}

/* Tells the parent and ends: the stream cannot be trusted any more. */
static G_NORETURN void
lab_worker_die (LabWorker   *worker,
                guint64      task_id,
                const char  *message)
{
  g_printerr ("concurrency-lab-worker %u (pid %d): %s\n", worker->index, (int) getpid (),
              message);
  lab_wire_writer_reset (worker->writer);
  lab_wire_put_error (worker->writer, task_id, message);
  lab_worker_flush (worker);
  exit (LAB_WORKER_EXIT_PROTOCOL);
}

/* Reads the next frame (blocking). FALSE at a clean end of the stream;
 * garbage or a stream cut inside a frame ends the process. Times are when
 * the frame's first and last bytes came. */
static gboolean
lab_worker_read_frame (LabWorker    *worker,
                       LabWireFrame *frame,
                       gint64       *first_ns,
                       gint64       *last_ns)
{
  g_autoptr(GError) error = NULL;
  gboolean started = FALSE;

  while (!lab_wire_reader_pop (worker->reader, frame))
    {
      if (worker->staged_pos < worker->staged)
        {
          gssize n = lab_wire_reader_feed (worker->reader, worker->staging + worker->staged_pos,
                                           worker->staged - worker->staged_pos, &error);

          if (n < 0)
            lab_worker_die (worker, LAB_WIRE_NO_TASK, error->message);
          worker->staged_pos += (gsize) n;
        }
      else
        {
          gsize want;
          guint8 *dest = lab_wire_reader_want (worker->reader, &want);
          gboolean direct = want >= LAB_WORKER_STAGING;
          ssize_t n;

          /* A large payload is read straight where it belongs. */
          if (direct)
            n = read (worker->in_fd, dest, want);
          else
            n = read (worker->in_fd, worker->staging, LAB_WORKER_STAGING);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            lab_worker_die (worker, LAB_WIRE_NO_TASK, g_strerror (errno));
          if (n == 0)
            {
              if (!lab_wire_reader_finish (worker->reader, &error))
                lab_worker_die (worker, LAB_WIRE_NO_TASK, error->message);
              return FALSE;
            }
          if (!started)
            {
              *first_ns = lab_clock_now_ns ();
              started = TRUE;
            }
          if (direct)
            {
              if (!lab_wire_reader_advance (worker->reader, (gsize) n, &error))
                lab_worker_die (worker, LAB_WIRE_NO_TASK, error->message);
            }
          else
            {
              worker->staged = (gsize) n;
              worker->staged_pos = 0;
            }
        }
    }
  if (!started)
    *first_ns = lab_clock_now_ns ();
  *last_ns = lab_clock_now_ns ();
  return TRUE;
}

/* ---- start and loop ---- */

/* Translations: installed under LOCALEDIR, or next to the build tree when
 * started from there (as the app itself does). */
static void
lab_worker_init_i18n (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *localedir = LOCALEDIR;

  if (exe != NULL && g_str_has_prefix (exe, BUILD_ROOT "/"))
    localedir = BUILD_ROOT "/po";
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

static void
lab_worker_hello (LabWorker *worker)
{
  LabWireFrame frame = { 0 };
  g_autoptr(GError) error = NULL;
  guint32 version, index, flags;
  gint64 t0, t1;

  if (!lab_worker_read_frame (worker, &frame, &t0, &t1))
    exit (0);
  if (!lab_wire_parse_hello (&frame, &version, &index, &flags, &error))
    lab_worker_die (worker, LAB_WIRE_NO_TASK, error->message);
  lab_wire_frame_clear (&frame);
  if (version != LAB_WIRE_VERSION)
    {
      g_autofree char *message =
        /* Translators: the app and its worker helper are of different
         * versions */
        g_strdup_printf (_("The app speaks protocol version %u, this worker version %u"),
                         version, LAB_WIRE_VERSION);

      lab_worker_die (worker, LAB_WIRE_NO_TASK, message);
    }

  worker->index = index;
  worker->record = (flags & LAB_WIRE_HELLO_EVENTS) != 0;
  worker->main_no_file = (flags & LAB_WIRE_HELLO_MAIN_NO_FILE) != 0;

  lab_wire_put_ready (worker->writer, (guint32) getpid ());
  lab_worker_flush (worker);
}

int
main (int   argc,
      char *argv[])
{
  LabWorker worker = { 0 };
  LabWireFrame frame = { 0 };
  gint64 first_ns = 0, last_ns = 0;
  gboolean fork_server = argc == 2 && strcmp (argv[1], LAB_FORK_SERVER_ARG) == 0;

  lab_worker_init_i18n ();

  if (isatty (STDIN_FILENO) || (argc > 1 && !fork_server))
    {
      /* Translators: shown when someone starts the worker helper by hand */
      g_printerr (_("%s is started by Concurrency Lab for its multiprocessing "
                    "experiments; it speaks a binary protocol on its standard "
                    "input and output and is not meant to be run by hand.\n"),
                  "concurrency-lab-worker");
      return LAB_WORKER_EXIT_USAGE;
    }

  /* As a fork server, only the forked children get past this line. */
  if (fork_server)
    worker.inherited = lab_worker_fork_server ();

  /* The protocol gets a descriptor of its own, and fd 1 becomes stderr: a
   * stray printf() can then never corrupt the stream. */
  worker.in_fd = STDIN_FILENO;
  worker.out_fd = dup (STDOUT_FILENO);
  if (worker.out_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return LAB_WORKER_EXIT_PROTOCOL;

  worker.reader = lab_wire_reader_new ();
  worker.writer = lab_wire_writer_new ();
  worker.staging = g_malloc (LAB_WORKER_STAGING);
  worker.events = g_array_new (FALSE, FALSE, sizeof (LabEvent));
  worker.label_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  worker.new_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  worker.new_labels = g_ptr_array_new ();

  lab_worker_hello (&worker);

  while (lab_worker_read_frame (&worker, &frame, &first_ns, &last_ns))
    {
      g_autoptr(GError) error = NULL;
      LabWireTask task;

      if (frame.type == LAB_WIRE_FRAME_QUIT)
        {
          lab_wire_frame_clear (&frame);
          break;
        }
      if (!lab_wire_parse_task (&frame, &task, &error))
        lab_worker_die (&worker, LAB_WIRE_NO_TASK, error->message);

      lab_worker_run_task (&worker, &task, first_ns, last_ns,
                           LAB_WIRE_HEADER_SIZE + frame.length);
      lab_wire_task_clear (&task);
      lab_wire_frame_clear (&frame);
    }

  lab_wire_reader_free (worker.reader);
  lab_wire_writer_free (worker.writer);
  g_free (worker.staging);
  g_array_unref (worker.events);
  g_hash_table_unref (worker.label_ids);
  g_array_unref (worker.new_ids);
  g_ptr_array_unref (worker.new_labels);
  g_clear_pointer (&worker.inherited, lab_py_value_unref);
  close (worker.out_fd);
  return 0;
}
