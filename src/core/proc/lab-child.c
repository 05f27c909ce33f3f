/* lab-child.c — one child process (GSubprocess) driven from a worker thread,
 * with its life recorded on a process lane.
 *
 * The worker thread that owns a LabChild runs a GMainContext of its own,
 * pushed as its thread-default context, and iterates it itself: the exit
 * of the child (g_subprocess_wait_async), the pipes (pollable sources, see
 * lab-child-pipes.c), the timeout and Stop (a GCancellable source, which
 * also wakes the context up) are all events of that context. So all
 * recording happens on that one thread, as the lanes require.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>
#include <unistd.h>

#include "lab-child-private.h"
#include "lab-time.h"

/* A killed child is reaped within milliseconds; this only guards against a
 * hang if it somehow is not. */
#define LAB_CHILD_REAP_LIMIT_US (5 * G_USEC_PER_SEC)
/* How often a waiting parent looks at the unread stdout pipe. */
#define LAB_CHILD_UNREAD_WATCH_MS 20

void
lab_child_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

GSource *
lab_child_attach_timeout (LabChild    *self,
                          guint        ms,
                          GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

void
lab_child_mark (LabChild   *self,
                guint16     flags,
                gint64      value,
                const char *label)
{
  lab_lane_mark (self->lane, lab_recorder_intern (self->recorder, label), value, flags, 0);
}

/* ---- life and death ---- */

/* SIGKILL to the child and to everything it started: they share its
 * process group (see child_setup()), background processes that hold the
 * pipes open included. The wait reaps the child; whatever else dies is
 * reaped by whoever inherits it. FALSE if nobody was left to kill. */
static gboolean
kill_group (LabChild *self)
{
  gboolean sent = FALSE;

  self->group_killed = TRUE;
  /* Never kill (-0, ...): that is our own group. A pid of 0 means the child
   * was reaped before it could be asked. */
  if (self->pid > 0)
    sent = kill (-self->pid, SIGKILL) == 0;
  if (!sent && self->subprocess != NULL && !self->exited)
    {
      /* The child did not get its own group: still kill the child. */
      g_subprocess_force_exit (self->subprocess);
      sent = TRUE;
    }

  return sent;
}

/* Any thread (the one that pressed Stop): wake the owner up. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  LabChild *self = user_data;

  g_main_context_wakeup (self->context);
}

/* The owner's thread. (Not a GCancellableSource: GLib 2.74 leaks one that
 * has been dispatched.) */
static void
check_cancelled (LabChild *self)
{
  if (self->stopped || !g_cancellable_is_cancelled (self->cancellable))
    return;

  self->stopped = TRUE;
  /* Also after the child ended: what it started in the background may
   * still run. */
  if (self->subprocess != NULL && kill_group (self))
    {
      lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, SIGKILL,
                      /* Translators: a mark on a child process's lane; the
                       * process group is the child and every process it
                       * started */
                      _("Stop pressed: sent SIGKILL to the process group"));
    }
}

void
lab_child_iterate (LabChild *self,
                   gboolean  may_block)
{
  /* A Stop between this check and the poll is not lost: the wakeup makes
   * the poll return at once. */
  check_cancelled (self);
  g_main_context_iteration (self->context, may_block);
  check_cancelled (self);
}

/* The pipes are still open a while after the child ended: a process it
 * started holds them. Python would wait for it for ever (it may be a
 * server that never ends); the lab ends the call. The grace counts from
 * the exit, not from the last read, so a background process that keeps
 * writing cannot hold the call either. */
static gboolean
on_eof_grace (gpointer user_data)
{
  LabChild *self = user_data;

  g_clear_pointer (&self->eof_source, g_source_unref);
  if (lab_child_pipes_done (self))
    return G_SOURCE_REMOVE;

  self->pipes_held = TRUE;
  lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, SIGKILL,
                  /* Translators: a mark on a child process's lane: the
                   * child ended, but a process it started in the background
                   * kept the pipes open; the process group is the child and
                   * every process it started */
                  _("a process started by the command still holds the pipes open: "
                    "sent SIGKILL to the process group"));
  kill_group (self);

  return G_SOURCE_REMOVE;
}

void
lab_child_start_eof_grace (LabChild *self)
{
  if (self->eof_source == NULL)
    self->eof_source = lab_child_attach_timeout (self, LAB_CHILD_EOF_GRACE_MS, on_eof_grace);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LabChild *self = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autofree char *label = NULL;

  self->wait_pending = FALSE;
  if (!g_subprocess_wait_finish (subprocess, result, NULL))
    return; /* our own cancellable: the LabChild is being freed */

  self->exited = TRUE;
  lab_lane_end (self->lane); /* the RUNNING span */

  if (g_subprocess_get_if_signaled (subprocess))
    {
      self->term_sig = g_subprocess_get_term_sig (subprocess);
      self->exit_code = -self->term_sig; /* as Python's returncode */
      label = lab_signal_describe (self->term_sig);
      lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, self->term_sig, label);
    }
  else
    {
      self->exit_code = g_subprocess_get_exit_status (subprocess);
      /* Translators: a mark on a child process's lane: it ended with this
       * exit status (0 means success) */
      label = g_strdup_printf (_("exit status %d"), self->exit_code);
      lab_child_mark (self, self->exit_code != 0 ? LAB_EVENT_FLAG_HIGHLIGHT : LAB_EVENT_FLAG_NONE,
                      self->exit_code, label);
    }

  /* A timeout keeps running: it bounds the reading of the pipes too. */
  if (self->communicating && self->timeout_source == NULL && !self->group_killed &&
      !lab_child_pipes_done (self))
    lab_child_start_eof_grace (self);
}

gboolean
lab_child_on_timeout (gpointer user_data)
{
  LabChild *self = user_data;
  g_autofree char *label = NULL;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->timed_out = TRUE;
  g_ascii_formatd (seconds, sizeof seconds, "%g", self->timeout_s);

  /* Like run(timeout=...): SIGKILL at once, no SIGTERM first. */
  if (!self->exited)
    /* Translators: a mark on a child process's lane; %s is a number of
     * seconds such as "1" or "0.5"; the process group is the child and
     * every process it started */
    label = g_strdup_printf (_("timed out after %s s: sent SIGKILL to the process group"), seconds);
  else
    /* Translators: a mark on a child process's lane: the child had ended,
     * but a process it started still held the pipes open; %s is a number
     * of seconds */
    label = g_strdup_printf (_("timed out after %s s with the pipes still open: "
                               "sent SIGKILL to the process group"), seconds);
  lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, SIGKILL, label);
  kill_group (self);

  return G_SOURCE_REMOVE;
}

/* ---- spawning ---- */

/* @argv as one would type it: words with spaces or quotes are quoted. */
static char *
join_command (const char * const *argv)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      gboolean plain = argv[i][0] != '\0';

      for (const char *p = argv[i]; *p != '\0' && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("-_./=:,+@%^", *p) != NULL || (guchar) *p >= 0x80;
      if (i > 0)
        g_string_append_c (str, ' ');
      if (plain)
        g_string_append (str, argv[i]);
      else
        {
          g_autofree char *quoted = g_shell_quote (argv[i]);

          g_string_append (str, quoted);
        }
    }

  return g_string_free (str, FALSE);
}

/* In the child, between fork and exec: lead a process group of its own,
 * which everything it starts joins, so that one kill (-pid, ...) reaches
 * them all. GLib returns from the spawn only after the exec, so the group
 * exists before anyone may signal it. */
static void
child_setup (gpointer user_data)
{
  setpgid (0, 0);
}

LabChild *
lab_child_new (LabLane      *lane,
               GCancellable *cancellable)
{
  LabChild *self = g_new0 (LabChild, 1);

  self->lane = lane;
  self->recorder = lab_lane_get_recorder (lane);
  self->cancellable = g_object_ref (cancellable);
  self->wait_cancellable = g_cancellable_new ();
  self->context = g_main_context_new ();
  g_main_context_push_thread_default (self->context);

  self->out[0].name = "stdout";
  self->out[1].name = "stderr";
  self->out[0].done = self->out[1].done = TRUE;
  self->stdin_done = TRUE;

  /* Stop works from the start, also while the parent does other things. */
  self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  return self;
}

void
lab_child_set_cwd (LabChild   *self,
                   const char *cwd)
{
  g_free (self->cwd);
  self->cwd = g_strdup (cwd);
}

void
lab_child_set_env (LabChild           *self,
                   const char * const *env)
{
  g_strfreev (self->env);
  self->env = g_strdupv ((char **) env);
}

gboolean
lab_child_spawn (LabChild            *self,
                 const char * const  *argv,
                 gboolean             pipe_stdin,
                 gboolean             capture,
                 GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) spawn_error = NULL;
  g_autofree char *command = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE;
  const char *identifier;

  g_return_val_if_fail (self->subprocess == NULL, FALSE);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL && argv[0][0] != '\0', FALSE);

  if (pipe_stdin)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  if (capture)
    flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  else
    flags |= G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE;

  command = join_command (argv);
  lab_lane_begin (self->lane, LAB_STATE_SPAWNING,
                  /* Translators: a span on a child process's lane while it
                   * is started; %s is the program */
                  lab_recorder_intern_printf (self->recorder, _("starting %s"), argv[0]));
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (self->cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, self->cwd);
  for (guint i = 0; self->env != NULL && self->env[i] != NULL; i++)
    {
      g_autofree char *key = g_strndup (self->env[i], strcspn (self->env[i], "="));

      g_subprocess_launcher_setenv (launcher, key, self->env[i] + strlen (key) + 1, TRUE);
    }
  if (lab_child_check_cwd (self->cwd, error))
    self->subprocess = g_subprocess_launcher_spawnv (launcher, argv, &spawn_error);
  /* GLib's worker thread reaps the child as soon as it ends; after that
   * GSubprocess no longer tells its pid. Ask at once: only a child that
   * ended within microseconds stays without one. */
  identifier = self->subprocess != NULL ? g_subprocess_get_identifier (self->subprocess) : NULL;
  lab_lane_end (self->lane);

  if (self->subprocess == NULL)
    {
      if (spawn_error != NULL)
        lab_child_set_spawn_error (error, argv[0], spawn_error);
      lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, 0, (*error)->message);
      return FALSE;
    }

  if (identifier != NULL)
    {
      self->pid = (gint) g_ascii_strtoll (identifier, NULL, 10);
      lab_lane_set_tid (self->lane, self->pid);
    }
  lab_lane_begin (self->lane, LAB_STATE_RUNNING, lab_recorder_intern (self->recorder, command));

  lab_child_setup_pipes (self);
  lab_child_tree_start (self);

  self->wait_pending = TRUE;
  g_subprocess_wait_async (self->subprocess, self->wait_cancellable, on_exited, self);

  return TRUE;
}

gboolean
lab_child_poll (LabChild *self)
{
  lab_child_iterate (self, FALSE);
  return self->exited;
}

/* The parent waits and reads nothing: how full the child's stdout gets. */
static gboolean
on_watch_unread (gpointer user_data)
{
  lab_child_watch_unread (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
lab_child_wait_for (LabChild *self,
                    gint64    ns)
{
  GSource *deadline = g_timeout_source_new ((guint) MAX (0, ns / 1000000));
  gboolean reached = FALSE;

  g_source_set_callback (deadline, on_deadline, &reached, NULL);
  g_source_attach (deadline, self->context);

  while (!reached && !self->exited && !self->stopped)
    lab_child_iterate (self, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  return self->exited;
}

gboolean
lab_child_wait (LabChild *self,
                double    timeout_s)
{
  gint64 deadline = timeout_s > 0 ? lab_clock_now_ns () + (gint64) (timeout_s * LAB_NS_PER_S) : 0;
  GSource *watch;

  if (self->subprocess == NULL)
    return FALSE;

  watch = lab_child_attach_timeout (self, LAB_CHILD_UNREAD_WATCH_MS, on_watch_unread);
  while (!self->exited && !self->stopped)
    {
      gint64 left = deadline > 0 ? deadline - lab_clock_now_ns () : LAB_NS_PER_S;

      if (left <= 0)
        break;
      lab_child_wait_for (self, MIN (left, LAB_NS_PER_S));
    }
  lab_child_clear_source (&watch);

  return self->exited;
}

void
lab_child_kill (LabChild   *self,
                const char *label)
{
  if (self->subprocess == NULL)
    return;

  if (!self->exited || !lab_child_pipes_done (self))
    {
      lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, SIGKILL, label);
      kill_group (self);
    }
  lab_child_communicate (self, NULL, 0);
}

/* ---- the end ---- */

void
lab_child_free (LabChild *self)
{
  gint64 limit;

  if (self == NULL)
    return;

  check_cancelled (self);
  if (self->subprocess != NULL && !self->exited)
    {
      /* Leaving early (Stop, or an error in the parent): nothing is left
       * running and the child is reaped before we return. */
      if (!self->stopped)
        {
          lab_child_mark (self, LAB_EVENT_FLAG_HIGHLIGHT, SIGKILL,
                          /* Translators: a mark on a child process's lane;
                           * the process group is the child and every
                           * process it started */
                          _("the parent is done: sent SIGKILL to the process group"));
          kill_group (self);
        }
      limit = g_get_monotonic_time () + LAB_CHILD_REAP_LIMIT_US;
      while (!self->exited && g_get_monotonic_time () < limit)
        g_main_context_iteration (self->context, TRUE);
      if (!self->exited)
        g_warning ("Child process %d did not end after SIGKILL", self->pid);
    }

  /* A wait still pending (only in the case above) completes on our context
   * with an error once cancelled; let it, while we still exist. */
  if (self->wait_pending)
    {
      g_cancellable_cancel (self->wait_cancellable);
      while (self->wait_pending)
        g_main_context_iteration (self->context, TRUE);
    }

  /* Waits for an on_cancelled() running in another thread. */
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  lab_child_clear_source (&self->timeout_source);
  lab_child_clear_source (&self->eof_source);
  lab_child_tree_finish (self);
  lab_child_release_pipes (self);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->wait_cancellable);
  g_clear_object (&self->cancellable);
  g_free (self->cwd);
  g_strfreev (self->env);

  g_main_context_pop_thread_default (self->context);
  g_main_context_unref (self->context);
  g_free (self);
}

/* ---- what happened ---- */

gint
lab_child_get_pid (LabChild *self)
{
  return self->pid;
}

gboolean
lab_child_has_exited (LabChild *self)
{
  return self->exited;
}

gint
lab_child_get_exit_code (LabChild *self)
{
  return self->exited ? self->exit_code : -1;
}

gint
lab_child_get_term_sig (LabChild *self)
{
  return self->exited ? self->term_sig : 0;
}

gboolean
lab_child_get_timed_out (LabChild *self)
{
  return self->timed_out;
}

gboolean
lab_child_get_stopped (LabChild *self)
{
  return self->stopped;
}

gboolean
lab_child_get_pipes_held (LabChild *self)
{
  return self->pipes_held;
}

guint64
lab_child_get_stdin_bytes (LabChild *self)
{
  return self->stdin_bytes;
}

gboolean
lab_child_get_stdin_broken (LabChild *self)
{
  return self->stdin_broken;
}

gboolean
lab_child_get_pipe_full (LabChild *self)
{
  return self->pipe_full;
}

gint
lab_child_get_pipe_unread (LabChild *self)
{
  return self->pipe_unread;
}

GBytes *
lab_child_get_head (LabChild *self,
                    guint     stream)
{
  GByteArray *head;

  g_return_val_if_fail (stream < G_N_ELEMENTS (self->out), NULL);
  head = self->out[stream].head;
  return head != NULL ? g_bytes_new (head->data, head->len) : NULL;
}

LabCapture *
lab_child_get_stdout (LabChild *self)
{
  return self->out[0].capture;
}

LabCapture *
lab_child_get_stderr (LabChild *self)
{
  return self->out[1].capture;
}
