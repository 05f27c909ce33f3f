/* lab-runner.c — one run of one experiment.
 *
 * The experiment runs on a thread of its own (its "Main thread" lane). When
 * it returns, the thread hands back to the main context that started it;
 * there the thread is joined, the last events are drained into the trace
 * and "finished" is emitted. Results of a cancelled run are kept only as
 * "stopped".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-runner.h"

struct _LabRunner
{
  GObject              parent_instance;

  const LabExperiment *experiment;
  LabParams           *params;
  LabRecorder         *recorder;
  LabTrace            *trace;
  GCancellable        *cancellable;
  GMainContext        *context;   /* where "finished" is emitted */
  GThread             *thread;
  LabRunContext       *run_ctx;   /* made before the thread, freed after join */

  LabRunState          state;
  gboolean             trace_released;
  guint                number;
  gint64               started_us;  /* monotonic */
  gint64               finished_us;
  gint64               started_at;  /* real time */

  /* Written by the thread before it hands back, read after the join. */
  GVariant            *metrics;
  GError              *error;
  LabChart            *chart;
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LabRunner, lab_runner, G_TYPE_OBJECT)

static void
lab_runner_finalize (GObject *object)
{
  LabRunner *self = LAB_RUNNER (object);

  g_assert (self->thread == NULL);

  lab_params_free (self->params);
  g_clear_pointer (&self->recorder, lab_recorder_unref);
  g_clear_pointer (&self->trace, lab_trace_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->metrics, g_variant_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->chart, lab_chart_unref);

  G_OBJECT_CLASS (lab_runner_parent_class)->finalize (object);
}

static void
lab_runner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LabRunner *self = LAB_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_runner_class_init (LabRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_runner_finalize;
  object_class->get_property = lab_runner_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      LAB_RUN_READY, LAB_RUN_STOPPED, LAB_RUN_READY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabRunner::finished:
   *
   * The run ended (done, failed or stopped); its thread was joined and the
   * trace holds every event.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lab_runner_init (LabRunner *self)
{
  self->cancellable = g_cancellable_new ();
}

LabRunner *
lab_runner_new (const LabExperiment *experiment,
                const LabParams     *params)
{
  static guint last_number; /* process-wide run numbers, atomic */
  LabRunner *self;
  LabStringPool *pool;

  g_return_val_if_fail (experiment != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  self = g_object_new (LAB_TYPE_RUNNER, NULL);
  self->experiment = experiment;
  self->params = lab_params_copy (params);
  pool = lab_string_pool_new ();
  self->recorder = lab_recorder_new (pool);
  self->trace = lab_trace_new (pool);
  lab_string_pool_unref (pool);
  self->number = (guint) g_atomic_int_add (&last_number, 1) + 1;
  return self;
}

const LabExperiment *
lab_runner_get_experiment (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->experiment;
}

const LabParams *
lab_runner_get_params (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->params;
}

LabRecorder *
lab_runner_get_recorder (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->recorder;
}

LabTrace *
lab_runner_get_trace (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->trace;
}

LabRunState
lab_runner_get_state (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), LAB_RUN_READY);
  return self->state;
}

guint
lab_runner_get_number (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), 0);
  return self->number;
}

static void
set_state (LabRunner   *self,
           LabRunState  state)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* Main context: the thread has returned. */
static gboolean
on_thread_done (gpointer user_data)
{
  LabRunner *self = user_data;

  g_thread_join (g_steal_pointer (&self->thread));
  self->finished_us = g_get_monotonic_time ();
  if (self->metrics != NULL && lab_run_context_get_chart (self->run_ctx) != NULL)
    self->chart = lab_chart_ref (lab_run_context_get_chart (self->run_ctx));
  g_clear_pointer (&self->run_ctx, lab_run_context_free);

  lab_recorder_drain (self->recorder, self->trace);
  /* Every writer is gone and the trace holds every event: the recorder's
   * buffers (a 64 KiB chunk per lane at least, a few pages of it touched)
   * are dead weight in a run that is kept for its history. */
  g_clear_pointer (&self->recorder, lab_recorder_unref);

  if (self->metrics != NULL)
    set_state (self, LAB_RUN_DONE);
  else if (g_cancellable_is_cancelled (self->cancellable) ||
           g_error_matches (self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, LAB_RUN_STOPPED);
  else
    set_state (self, LAB_RUN_FAILED);

  g_signal_emit (self, signals[FINISHED], 0);
  g_object_unref (self); /* the thread's reference */
  return G_SOURCE_REMOVE;
}

static gpointer
run_thread (gpointer data)
{
  LabRunner *self = data;
  LabRunContext *ctx = self->run_ctx;
  GVariant *metrics;
  GError *error = NULL;
  GSource *source;

  if (lab_run_context_check_main_lane (ctx, &error))
    {
      lab_lane_bind_thread (lab_run_context_get_main_lane (ctx));
      metrics = self->experiment->run (ctx, &error);
      lab_lane_record_thread_stats (lab_run_context_get_main_lane (ctx));
    }
  else
    metrics = NULL;

  if (metrics != NULL)
    {
      /* Floating, or a reference of its own that the run hands over (a
       * ref_sink would add a second one that nobody drops). */
      g_variant_take_ref (metrics);
      if (!g_variant_is_of_type (metrics, G_VARIANT_TYPE_VARDICT))
        {
          g_critical ("Experiment %s returned metrics of type %s, not a{sv}",
                      self->experiment->id, g_variant_get_type_string (metrics));
          g_clear_pointer (&metrics, g_variant_unref);
        }
      else if (g_cancellable_is_cancelled (self->cancellable))
        {
          /* Stopped, even if the experiment managed to finish. */
          g_clear_pointer (&metrics, g_variant_unref);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped"));
        }
    }
  if (metrics == NULL && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("The experiment “%s” ended without a result"), self->experiment->id);

  self->metrics = metrics;
  self->error = error;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, on_thread_done, self, NULL);
  g_source_set_static_name (source, "[lab] runner finished");
  g_source_attach (source, self->context);
  g_source_unref (source);

  return NULL;
}

void
lab_runner_start (LabRunner *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (LAB_IS_RUNNER (self));
  g_return_if_fail (self->state == LAB_RUN_READY);

  self->context = g_main_context_ref_thread_default ();
  self->started_us = g_get_monotonic_time ();
  self->started_at = g_get_real_time ();
  set_state (self, LAB_RUN_RUNNING);
  /* Made here, before the thread exists, so that the thread sees it whole. */
  self->run_ctx = lab_run_context_new (self->params, self->recorder, self->cancellable);
  lab_run_context_set_experiment (self->run_ctx, self->experiment);

  name = g_strdup_printf ("lab-run-%u", self->number);
  g_object_ref (self); /* dropped in on_thread_done */
  self->thread = g_thread_try_new (name, run_thread, self, &error);
  if (self->thread == NULL)
    {
      self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("Could not start a thread: %s"), error->message);
      self->finished_us = g_get_monotonic_time ();
      g_clear_pointer (&self->run_ctx, lab_run_context_free);
      set_state (self, LAB_RUN_FAILED);
      g_signal_emit (self, signals[FINISHED], 0);
      g_object_unref (self);
    }
}

void
lab_runner_stop (LabRunner *self)
{
  g_return_if_fail (LAB_IS_RUNNER (self));
  g_cancellable_cancel (self->cancellable);
}

void
lab_runner_release_trace (LabRunner *self)
{
  LabStringPool *pool;

  g_return_if_fail (LAB_IS_RUNNER (self));
  g_return_if_fail (self->thread == NULL);
  g_return_if_fail (self->state != LAB_RUN_READY && self->state != LAB_RUN_RUNNING);

  if (self->trace_released)
    return;

  /* Views that still hold the old trace keep it alive until they let go. */
  pool = lab_string_pool_new ();
  g_clear_pointer (&self->trace, lab_trace_unref);
  self->trace = lab_trace_new (pool);
  lab_string_pool_unref (pool);
  self->trace_released = TRUE;
}

gboolean
lab_runner_get_trace_released (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), FALSE);
  return self->trace_released;
}

guint64
lab_runner_drain (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), 0);

  /* Once finished, the trace has everything already. */
  if (self->recorder == NULL)
    return 0;
  return lab_recorder_drain (self->recorder, self->trace);
}

static void
on_sync_finished (LabRunner *self,
                  gpointer   user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

gboolean
lab_runner_run_sync (LabRunner  *self,
                     GError    **error)
{
  gboolean done = FALSE;
  gulong handler;

  g_return_val_if_fail (LAB_IS_RUNNER (self), FALSE);

  handler = g_signal_connect (self, "finished", G_CALLBACK (on_sync_finished), &done);
  lab_runner_start (self);
  while (!done)
    g_main_context_iteration (self->context, TRUE);
  g_signal_handler_disconnect (self, handler);

  if (self->state != LAB_RUN_DONE)
    {
      if (error != NULL && self->error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  return TRUE;
}

GVariant *
lab_runner_get_metrics (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->thread == NULL ? self->metrics : NULL;
}

LabChart *
lab_runner_get_chart (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->thread == NULL ? self->chart : NULL;
}

const GError *
lab_runner_get_error (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), NULL);
  return self->thread == NULL ? self->error : NULL;
}

double
lab_runner_get_progress (LabRunner *self)
{
  LabRunContext *ctx;

  g_return_val_if_fail (LAB_IS_RUNNER (self), 0);

  if (self->state == LAB_RUN_DONE)
    return 1.0;
  ctx = self->run_ctx;
  return ctx != NULL ? lab_run_context_get_progress (ctx) : 0.0;
}

gboolean
lab_runner_get_timed (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), FALSE);

  /* run_ctx lives from start until the join, both on this thread. */
  return self->run_ctx != NULL && lab_run_context_get_timed (self->run_ctx);
}

double
lab_runner_get_elapsed_s (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), 0);

  if (self->state == LAB_RUN_READY)
    return 0;
  if (self->state == LAB_RUN_RUNNING)
    return (g_get_monotonic_time () - self->started_us) / 1e6;
  return (self->finished_us - self->started_us) / 1e6;
}

gint64
lab_runner_get_started_at (LabRunner *self)
{
  g_return_val_if_fail (LAB_IS_RUNNER (self), 0);
  return self->started_at;
}
