/* lab-experiment.c — the context an experiment runs in, and presets.
 * How metrics read is in lab-metric-format.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdatomic.h>
#include <string.h>

#include "lab-experiment.h"
#include "lab-time.h"

struct _LabRunContext
{
  const LabParams *params;
  LabRecorder     *recorder;
  LabLane         *main_lane;
  GError          *main_lane_error; /* why there is no main lane */
  GCancellable    *cancellable;
  gulong           cancelled_id;

  GMutex           mutex;     /* guards cancelled for the waits */
  GCond            cond;
  atomic_bool      cancelled;
  _Atomic (double) progress;
  atomic_int       timed;     /* depth of nested timed sections */
  LabChart        *chart;
  const LabExperiment *experiment;
};

const char *
lab_topic_to_label (LabTopic topic)
{
  switch (topic)
    {
    case LAB_TOPIC_THREADS:         return _("Threads");
    case LAB_TOPIC_SUBPROCESS:      return _("Running programs");
    case LAB_TOPIC_MULTIPROCESSING: return _("Processes");
    case LAB_TOPIC_N:
    default:                        return _("Other");
    }
}

const char *
lab_panel_get_key (const LabPanel *panel,
                   guint           index)
{
  g_return_val_if_fail (panel != NULL, NULL);

  if (panel->keys == NULL)
    return NULL;
  for (guint i = 0; panel->keys[i] != NULL; i++)
    if (i == index)
      return panel->keys[i];
  return NULL;
}

const char *
lab_panel_get_label (const LabPanel *panel,
                     const char     *value)
{
  g_return_val_if_fail (panel != NULL, value);

  for (guint i = 0; panel->labels != NULL && panel->labels[i].nick != NULL; i++)
    if (g_strcmp0 (panel->labels[i].nick, value) == 0)
      return _(panel->labels[i].label);
  return value;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  LabRunContext *ctx = user_data;

  g_mutex_lock (&ctx->mutex);
  atomic_store (&ctx->cancelled, TRUE);
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->mutex);
}

LabRunContext *
lab_run_context_new (const LabParams *params,
                     LabRecorder     *recorder,
                     GCancellable    *cancellable)
{
  LabRunContext *ctx = g_new0 (LabRunContext, 1);

  ctx->params = params;
  ctx->recorder = lab_recorder_ref (recorder);
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  g_mutex_init (&ctx->mutex);
  g_cond_init (&ctx->cond);
  atomic_init (&ctx->cancelled, FALSE);
  atomic_init (&ctx->progress, 0.0);
  atomic_init (&ctx->timed, 0);

  /* The context cannot fail here; a full recorder is reported when the
   * run starts (lab_run_context_check_main_lane). */
  ctx->main_lane = lab_recorder_try_add_lane (recorder, LAB_LANE_MAIN, _("Main thread"),
                                              &ctx->main_lane_error);

  /* Runs at once if already cancelled. */
  ctx->cancelled_id = g_cancellable_connect (ctx->cancellable, G_CALLBACK (on_cancelled), ctx, NULL);
  return ctx;
}

void
lab_run_context_free (LabRunContext *ctx)
{
  if (ctx == NULL)
    return;

  g_cancellable_disconnect (ctx->cancellable, ctx->cancelled_id);
  g_clear_pointer (&ctx->chart, lab_chart_unref);
  g_clear_error (&ctx->main_lane_error);
  g_object_unref (ctx->cancellable);
  lab_recorder_unref (ctx->recorder);
  g_mutex_clear (&ctx->mutex);
  g_cond_clear (&ctx->cond);
  g_free (ctx);
}

const LabParams *
lab_run_context_get_params (LabRunContext *ctx)
{
  return ctx->params;
}

LabRecorder *
lab_run_context_get_recorder (LabRunContext *ctx)
{
  return ctx->recorder;
}

LabLane *
lab_run_context_get_main_lane (LabRunContext *ctx)
{
  return ctx->main_lane;
}

gboolean
lab_run_context_check_main_lane (LabRunContext  *ctx,
                                 GError        **error)
{
  if (ctx->main_lane != NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (ctx->main_lane_error));
  return FALSE;
}

GCancellable *
lab_run_context_get_cancellable (LabRunContext *ctx)
{
  return ctx->cancellable;
}

gboolean
lab_run_context_is_cancelled (LabRunContext *ctx)
{
  return atomic_load (&ctx->cancelled);
}

gboolean
lab_run_context_sleep_ns (LabRunContext *ctx,
                          gint64         ns)
{
  gint64 deadline;

  if (ns <= 0)
    return !lab_run_context_is_cancelled (ctx);

  deadline = g_get_monotonic_time () + (ns + 999) / 1000;

  g_mutex_lock (&ctx->mutex);
  while (!atomic_load (&ctx->cancelled))
    {
      if (!g_cond_wait_until (&ctx->cond, &ctx->mutex, deadline))
        break; /* the time is up */
    }
  g_mutex_unlock (&ctx->mutex);

  return !lab_run_context_is_cancelled (ctx);
}

void
lab_run_context_print (LabRunContext *ctx,
                       LabLane       *lane,
                       const char    *format,
                       ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  lab_lane_mark (lane, lab_recorder_intern (ctx->recorder, line), 0,
                 LAB_EVENT_FLAG_OUTPUT, 0);
}

GVariant *
lab_run_context_return_cancelled (LabRunContext  *ctx,
                                  GError        **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped"));
  return NULL;
}

GVariant *
lab_run_context_return_error (LabRunContext  *ctx,
                              GError         *local_error,
                              GError        **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (local_error);
      return lab_run_context_return_cancelled (ctx, error);
    }
  g_propagate_error (error, local_error);
  return NULL;
}

void
lab_run_context_set_chart (LabRunContext *ctx,
                           LabChart      *chart)
{
  if (chart != NULL)
    lab_chart_ref (chart);
  g_clear_pointer (&ctx->chart, lab_chart_unref);
  ctx->chart = chart;
}

LabChart *
lab_run_context_get_chart (LabRunContext *ctx)
{
  return ctx->chart;
}

const LabExperiment *
lab_run_context_get_experiment (LabRunContext *ctx)
{
  return ctx->experiment;
}

void
lab_run_context_set_experiment (LabRunContext       *ctx,
                                const LabExperiment *experiment)
{
  ctx->experiment = experiment;
}

void
lab_run_context_set_progress (LabRunContext *ctx,
                              double         fraction)
{
  atomic_store (&ctx->progress, CLAMP (fraction, 0.0, 1.0));
}

double
lab_run_context_get_progress (LabRunContext *ctx)
{
  return atomic_load (&ctx->progress);
}

void
lab_run_context_begin_timed (LabRunContext *ctx)
{
  atomic_fetch_add (&ctx->timed, 1);
}

void
lab_run_context_end_timed (LabRunContext *ctx)
{
  g_return_if_fail (atomic_load (&ctx->timed) > 0);
  atomic_fetch_sub (&ctx->timed, 1);
}

gboolean
lab_run_context_get_timed (LabRunContext *ctx)
{
  return atomic_load (&ctx->timed) > 0;
}

/* ---- presets ---- */

gboolean
lab_experiment_apply_preset (const LabExperiment  *experiment,
                             LabParams            *params,
                             const char           *nick,
                             GError              **error)
{
  g_autoptr(GString) known = g_string_new (NULL);

  for (guint i = 0; i < experiment->n_presets; i++)
    {
      const LabPreset *preset = &experiment->presets[i];

      if (g_strcmp0 (preset->nick, nick) != 0)
        {
          g_string_append_printf (known, "%s%s", known->len ? ", " : "", preset->nick);
          continue;
        }
      for (guint j = 0; preset->assignments[j] != NULL; j++)
        if (!lab_params_parse_assignment (params, preset->assignments[j], error))
          return FALSE;
      return TRUE;
    }

  if (experiment->n_presets == 0)
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                 _("preset: this experiment has no presets"));
  else
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                 _("preset: “%s” is not one of: %s"), nick, known->str);
  return FALSE;
}

gboolean
lab_experiment_parse_assignment (const LabExperiment  *experiment,
                                 LabParams            *params,
                                 const char           *assignment,
                                 GError              **error)
{
  if (g_str_has_prefix (assignment, "preset="))
    return lab_experiment_apply_preset (experiment, params, assignment + strlen ("preset="), error);
  return lab_params_parse_assignment (params, assignment, error);
}

gboolean
lab_experiment_check_params (const LabExperiment  *experiment,
                             const LabParams      *params,
                             GError              **error)
{
  g_return_val_if_fail (experiment != NULL, FALSE);

  return experiment->check == NULL || experiment->check (params, error);
}

/* ---- metric values (their formatting is in lab-metric-format.c) ---- */

GVariant *
lab_metric_new_seconds (gint64 ns)
{
  return g_variant_new_double ((double) ns / LAB_NS_PER_S);
}

GVariant *
lab_metric_new_ints (const gint64 *values,
                     gsize         n)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, values, n, sizeof (gint64));
}
