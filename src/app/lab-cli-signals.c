/* lab-cli-signals.c — SIGINT, SIGTERM and SIGHUP end a headless run like
 * Stop does.
 *
 * Left to their default action these signals kill the process at once: the
 * experiment's children (a `sleep 30`, a pool's workers) would be orphaned
 * and keep running. Instead the signal is turned into a main-context source
 * (g_unix_signal_source_new(): nothing but a flag happens inside the real
 * handler), whose callback stops the current run through lab_runner_stop()
 * or lab_sweep_stop(), the same path as the window's Stop button; the run
 * loop then sees the run end with its children killed and reaped and its
 * threads joined, and leaves with 128 + the signal's number.
 *
 * A second signal while stopping only asks again: the stop already under
 * way finishes, and the first signal gives the exit status (later ones are
 * ignored until the process exits).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <glib-unix.h>
#include <signal.h>

#include "lab-cli-signals.h"
#include "lab-runner.h"
#include "lab-sweep.h"

static const struct
{
  int         signum;
  const char *name;
} watched[] = {
  { SIGINT, "SIGINT" },   /* Ctrl+C */
  { SIGTERM, "SIGTERM" }, /* kill, a session ending */
  { SIGHUP, "SIGHUP" },   /* the terminal was closed */
};

struct _LabCliSignals
{
  GMainContext *context;
  GSource      *sources[G_N_ELEMENTS (watched)];
  GObject      *run;    /* LabRunner, LabSweep or NULL */
  int           caught; /* the first signal, or 0 */
};

typedef struct
{
  LabCliSignals *self;
  int            signum;
} Watch;

static void
stop_run (GObject *run)
{
  if (LAB_IS_RUNNER (run))
    lab_runner_stop (LAB_RUNNER (run));
  else if (LAB_IS_SWEEP (run))
    lab_sweep_stop (LAB_SWEEP (run));
}

static gboolean
on_signal (gpointer user_data)
{
  Watch *watch = user_data;
  LabCliSignals *self = watch->self;

  if (self->caught == 0)
    self->caught = watch->signum;
  if (self->run != NULL)
    stop_run (self->run);

  /* Stays installed: a second signal must not fall back to the default
   * action and kill the process halfway through stopping. */
  return G_SOURCE_CONTINUE;
}

static gboolean
ignore_signal (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

LabCliSignals *
lab_cli_signals_new (void)
{
  LabCliSignals *self = g_new0 (LabCliSignals, 1);

  self->context = g_main_context_ref_thread_default ();
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      Watch *watch = g_new0 (Watch, 1);

      watch->self = self;
      watch->signum = watched[i].signum;
      self->sources[i] = g_unix_signal_source_new (watched[i].signum);
      g_source_set_callback (self->sources[i], on_signal, watch, g_free);
      g_source_set_static_name (self->sources[i], "[lab] stop on signal");
      g_source_attach (self->sources[i], self->context);
    }
  return self;
}

void
lab_cli_signals_free (LabCliSignals *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      /* Destroying the last source of a signal gives it back its default
       * action. After a signal the process is on its way out with that
       * signal's status: a second Ctrl+C then must not kill it instead, so
       * the sources stay, doing nothing, until exit. */
      if (self->caught != 0)
        g_source_set_callback (self->sources[i], ignore_signal, NULL, NULL);
      else
        g_source_destroy (self->sources[i]);
      g_source_unref (self->sources[i]);
    }
  g_clear_object (&self->run);
  g_main_context_unref (self->context);
  g_free (self);
}

void
lab_cli_signals_watch (LabCliSignals *self,
                       GObject       *run)
{
  g_return_if_fail (self != NULL);

  g_set_object (&self->run, run);
  /* A signal that came between two runs stops the next one at once. */
  if (run != NULL && self->caught != 0)
    stop_run (run);
}

int
lab_cli_signals_caught (LabCliSignals *self)
{
  g_return_val_if_fail (self != NULL, 0);

  /* A signal that came while nothing iterated the context (printing,
   * exporting) is only flagged by GLib's handler: let its source run. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);
  return self->caught;
}

int
lab_cli_signals_report (LabCliSignals *self)
{
  const char *name = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (self != NULL, 1);
  g_return_val_if_fail (self->caught != 0, 1);

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    if (watched[i].signum == self->caught)
      name = watched[i].name;

  /* Translators: %s is the name of a signal: SIGINT (Ctrl+C), SIGTERM or
   * SIGHUP; the run was stopped as if Stop had been pressed */
  message = g_strdup_printf (_("stopped by %s"), name);
  g_printerr ("concurrency-lab: %s\n", message);
  return 128 + self->caught;
}
