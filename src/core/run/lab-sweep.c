/* lab-sweep.c — one experiment run for every count FROM..TO.
 *
 * Points run one after the other on the caller's main context: a
 * LabRunner per run, the next one started from the previous one's
 * "finished". Nothing here runs on another thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-sweep.h"

#define DEFAULT_TIME_KEY "wall_s"

struct _LabSweep
{
  GObject              parent_instance;

  const LabExperiment *experiment;
  LabParams           *params;
  char                *key;
  gint64               from;
  gint64               to;
  guint                repeat;

  LabSweepState        state;
  GError              *error;
  GArray              *points;   /* LabSweepPoint, runners owned */
  GPtrArray           *pending;  /* LabRunner: the current point's finished runs */
  GArray              *pending_s; /* double: their times */
  LabRunner           *current;
  gulong               current_handler;
  gboolean             stop_requested;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_N_DONE,
  PROP_CURRENT,
  N_PROPS
};

enum {
  POINT_FINISHED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LabSweep, lab_sweep, G_TYPE_OBJECT)

static void
point_clear (gpointer data)
{
  LabSweepPoint *point = data;

  g_clear_object (&point->runner);
}

static void
lab_sweep_dispose (GObject *object)
{
  LabSweep *self = LAB_SWEEP (object);

  if (self->current != NULL)
    {
      g_signal_handler_disconnect (self->current, self->current_handler);
      lab_runner_stop (self->current);
      g_clear_object (&self->current);
    }
  G_OBJECT_CLASS (lab_sweep_parent_class)->dispose (object);
}

static void
lab_sweep_finalize (GObject *object)
{
  LabSweep *self = LAB_SWEEP (object);

  lab_params_free (self->params);
  g_free (self->key);
  g_clear_error (&self->error);
  g_array_unref (self->points);
  g_ptr_array_unref (self->pending);
  g_array_unref (self->pending_s);

  G_OBJECT_CLASS (lab_sweep_parent_class)->finalize (object);
}

static void
lab_sweep_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LabSweep *self = LAB_SWEEP (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->points->len);
      break;
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_sweep_class_init (LabSweepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_sweep_dispose;
  object_class->finalize = lab_sweep_finalize;
  object_class->get_property = lab_sweep_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, LAB_SWEEP_READY, LAB_SWEEP_FAILED, LAB_SWEEP_READY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The run in progress: notified when a run starts and when it ends. */
  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, LAB_TYPE_RUNNER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabSweep::point-finished:
   * @index: the point just measured (lab_sweep_get_point())
   */
  signals[POINT_FINISHED] =
    g_signal_new ("point-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * LabSweep::finished:
   *
   * Done, stopped or failed; the points measured are kept.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lab_sweep_init (LabSweep *self)
{
  self->repeat = 1;
  self->points = g_array_new (FALSE, TRUE, sizeof (LabSweepPoint));
  g_array_set_clear_func (self->points, point_clear);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_s = g_array_new (FALSE, FALSE, sizeof (double));
}

/* ---- setting up ---- */

gboolean
lab_sweep_parse (const char  *text,
                 char       **key,
                 gint64      *from,
                 gint64      *to,
                 GError     **error)
{
  const char *eq, *dots;
  g_autofree char *k = NULL;
  g_autofree char *a = NULL;
  gint64 lo, hi;

  g_return_val_if_fail (text != NULL, FALSE);

  eq = strchr (text, '=');
  dots = eq != NULL ? strstr (eq + 1, "..") : NULL;
  if (eq != NULL && eq > text && dots != NULL)
    {
      k = g_strndup (text, eq - text);
      a = g_strndup (eq + 1, dots - eq - 1);
      if (g_ascii_string_to_signed (g_strstrip (a), 10, G_MININT64, G_MAXINT64, &lo, NULL) &&
          g_ascii_string_to_signed (dots + 2, 10, G_MININT64, G_MAXINT64, &hi, NULL))
        {
          *key = g_strdup (g_strstrip (k));
          *from = lo;
          *to = hi;
          return TRUE;
        }
    }
  g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
               /* Translators: %s is what was given; keep KEY=FROM..TO as it is */
               _("“%s” is not KEY=FROM..TO (e.g. threads=1..8)"), text);
  return FALSE;
}

static char *
sweepable_keys (const LabExperiment *experiment)
{
  GString *keys = g_string_new (NULL);

  for (guint i = 0; i < experiment->n_params; i++)
    if (experiment->params[i].kind == LAB_PARAM_INT &&
        (experiment->params[i].flags & LAB_PARAM_FLAG_SWEEPABLE))
      {
        if (keys->len > 0)
          g_string_append (keys, ", ");
        g_string_append (keys, experiment->params[i].key);
      }
  return g_string_free (keys, FALSE);
}

LabSweep *
lab_sweep_new (const LabExperiment  *experiment,
               const LabParams      *params,
               const char           *key,
               gint64                from,
               gint64                to,
               GError              **error)
{
  const LabParamSpec *spec;
  LabSweep *self;

  g_return_val_if_fail (experiment != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  spec = lab_params_find_spec (params, key);
  if (spec == NULL || spec->kind != LAB_PARAM_INT || !(spec->flags & LAB_PARAM_FLAG_SWEEPABLE))
    {
      g_autofree char *keys = sweepable_keys (experiment);

      if (keys[0] == '\0')
        g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY,
                     /* Translators: the first %s is a parameter key, the second an experiment id */
                     _("Cannot sweep “%s”: %s has no parameter that can be swept"),
                     key, experiment->id);
      else
        g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY,
                     /* Translators: %s are a parameter key, an experiment id and a list of keys */
                     _("Cannot sweep “%s”: the parameters of %s that can be swept are %s"),
                     key, experiment->id, keys);
      return NULL;
    }
  if (from >= to)
    {
      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                   /* Translators: a sweep's range; %s is the key, then FROM and TO */
                   _("%s: a sweep needs FROM below TO (%lld..%lld)"),
                   key, (long long) from, (long long) to);
      return NULL;
    }
  if ((double) from < spec->min || (double) to > spec->max || from < 1)
    {
      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE,
                   /* Translators: %s is the key, then FROM..TO and the valid range */
                   _("%s: %lld..%lld is out of range (%.0f–%.0f)"),
                   key, (long long) from, (long long) to, MAX (spec->min, 1), spec->max);
      return NULL;
    }

  self = g_object_new (LAB_TYPE_SWEEP, NULL);
  self->experiment = experiment;
  self->params = lab_params_copy (params);
  self->key = g_strdup (key);
  self->from = from;
  self->to = to;
  return self;
}

void
lab_sweep_set_repeat (LabSweep *self,
                      guint     repeat)
{
  g_return_if_fail (LAB_IS_SWEEP (self));
  g_return_if_fail (self->state == LAB_SWEEP_READY);

  self->repeat = MAX (repeat, 1);
}

/* ---- running ---- */

static void start_run (LabSweep *self);

static void
finish (LabSweep      *self,
        LabSweepState  state)
{
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[FINISHED], 0);
}

static gint64
next_value (LabSweep *self)
{
  return self->from + self->points->len;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Every repeat of the point ran: the median becomes the point. */
static void
finish_point (LabSweep *self)
{
  guint n = self->pending_s->len;
  g_autofree double *sorted = g_memdup2 (self->pending_s->data, n * sizeof (double));
  LabSweepPoint point = { 0 };
  double first, scale;

  qsort (sorted, n, sizeof (double), compare_doubles);
  point.value = next_value (self);
  point.time_s = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  point.time_min_s = sorted[0];
  point.time_max_s = sorted[n - 1];
  for (guint i = 0; i < n; i++)
    if (g_array_index (self->pending_s, double, i) == sorted[(n - 1) / 2])
      {
        point.runner = g_object_ref (g_ptr_array_index (self->pending, i));
        break;
      }
  g_ptr_array_set_size (self->pending, 0);
  g_array_set_size (self->pending_s, 0);

  first = self->points->len > 0 ? g_array_index (self->points, LabSweepPoint, 0).time_s : point.time_s;
  scale = (double) point.value / (double) self->from;
  if (first > 0 && point.time_s > 0)
    {
      point.speedup = first / point.time_s;
      point.speedup_min = first / point.time_max_s;
      point.speedup_max = first / point.time_min_s;
      point.efficiency = point.speedup / scale;
    }
  g_array_append_val (self->points, point);

  g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  g_signal_emit (self, signals[POINT_FINISHED], 0, self->points->len - 1);

  if (self->state == LAB_SWEEP_RUNNING)
    {
      if (self->stop_requested)
        finish (self, LAB_SWEEP_STOPPED);
      else if (point.value >= self->to)
        finish (self, LAB_SWEEP_DONE);
      else
        start_run (self);
    }
  g_object_unref (self);
}

static gboolean
read_time (LabSweep   *self,
           LabRunner  *runner,
           double     *time_s)
{
  g_autoptr(GVariant) v = lab_metrics_lookup (lab_runner_get_metrics (runner),
                                              lab_sweep_get_time_key (self));

  if (v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    *time_s = g_variant_get_double (v);
  else if (v != NULL && g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    *time_s = (double) g_variant_get_int64 (v);
  else
    return FALSE;
  return TRUE;
}

static void
fail (LabSweep     *self,
      const GError *cause)
{
  self->error = g_error_new (cause != NULL ? cause->domain : G_IO_ERROR,
                             cause != NULL ? cause->code : G_IO_ERROR_FAILED,
                             "%s=%" G_GINT64_FORMAT ": %s", self->key, next_value (self),
                             cause != NULL ? cause->message : _("the experiment failed"));
  finish (self, LAB_SWEEP_FAILED);
}

static void
on_run_finished (LabRunner *runner,
                 LabSweep  *self)
{
  double time_s = 0;

  g_signal_handler_disconnect (runner, self->current_handler);
  self->current_handler = 0;
  g_object_ref (self);
  g_object_ref (runner);
  g_clear_object (&self->current);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);

  if (lab_runner_get_state (runner) == LAB_RUN_DONE && !read_time (self, runner, &time_s))
    {
      g_autoptr(GError) error =
        g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     /* Translators: the first %s is an experiment id, the second a metric key */
                     _("%s reports no “%s” time to compare"), self->experiment->id,
                     lab_sweep_get_time_key (self));

      fail (self, error);
    }
  else if (lab_runner_get_state (runner) == LAB_RUN_DONE)
    {
      g_ptr_array_add (self->pending, g_object_ref (runner));
      g_array_append_val (self->pending_s, time_s);
      if (self->pending->len >= self->repeat)
        finish_point (self);
      else if (self->stop_requested)
        finish (self, LAB_SWEEP_STOPPED); /* a point not fully measured is dropped */
      else
        start_run (self);
    }
  else if (lab_runner_get_state (runner) == LAB_RUN_STOPPED || self->stop_requested)
    finish (self, LAB_SWEEP_STOPPED);
  else
    fail (self, lab_runner_get_error (runner));
  g_object_unref (runner);
  g_object_unref (self);
}

static void
start_run (LabSweep *self)
{
  g_autoptr(LabParams) params = lab_params_copy (self->params);
  g_autoptr(GError) error = NULL;

  if (!lab_params_set_value (params, self->key, g_variant_new_int64 (next_value (self)), &error))
    {
      fail (self, error);
      return;
    }
  self->current = lab_runner_new (self->experiment, params);
  self->current_handler = g_signal_connect (self->current, "finished",
                                            G_CALLBACK (on_run_finished), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  lab_runner_start (self->current);
}

void
lab_sweep_start (LabSweep *self)
{
  g_return_if_fail (LAB_IS_SWEEP (self));
  g_return_if_fail (self->state == LAB_SWEEP_READY);

  self->state = LAB_SWEEP_RUNNING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  start_run (self);
}

void
lab_sweep_stop (LabSweep *self)
{
  g_return_if_fail (LAB_IS_SWEEP (self));

  if (self->state == LAB_SWEEP_READY)
    {
      finish (self, LAB_SWEEP_STOPPED);
      return;
    }
  if (self->state != LAB_SWEEP_RUNNING)
    return;
  self->stop_requested = TRUE;
  if (self->current != NULL)
    lab_runner_stop (self->current);
}

static void
on_sync_finished (LabSweep *self,
                  gpointer  user_data)
{
  *(gboolean *) user_data = TRUE;
}

gboolean
lab_sweep_run_sync (LabSweep  *self,
                    GError   **error)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gboolean done = FALSE;
  gulong handler;

  g_return_val_if_fail (LAB_IS_SWEEP (self), FALSE);

  handler = g_signal_connect (self, "finished", G_CALLBACK (on_sync_finished), &done);
  lab_sweep_start (self);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_signal_handler_disconnect (self, handler);
  g_main_context_unref (context);

  if (self->state == LAB_SWEEP_DONE)
    return TRUE;
  if (self->error != NULL)
    g_propagate_error (error, g_error_copy (self->error));
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped"));
  return FALSE;
}

/* ---- reading ---- */

const LabExperiment *
lab_sweep_get_experiment (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  return self->experiment;
}

const LabParams *
lab_sweep_get_params (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  return self->params;
}

const char *
lab_sweep_get_key (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  return self->key;
}

gint64
lab_sweep_get_from (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), 0);
  return self->from;
}

gint64
lab_sweep_get_to (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), 0);
  return self->to;
}

guint
lab_sweep_get_repeat (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), 1);
  return self->repeat;
}

const char *
lab_sweep_get_time_key (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), DEFAULT_TIME_KEY);
  return self->experiment->sweep_time_key != NULL ? self->experiment->sweep_time_key
                                                  : DEFAULT_TIME_KEY;
}

LabSweepState
lab_sweep_get_state (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), LAB_SWEEP_READY);
  return self->state;
}

const GError *
lab_sweep_get_error (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  return self->error;
}

guint
lab_sweep_get_n_points (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), 0);
  return (guint) (self->to - self->from + 1);
}

guint
lab_sweep_get_n_done (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), 0);
  return self->points->len;
}

double
lab_sweep_get_fraction (LabSweep *self)
{
  double runs;

  g_return_val_if_fail (LAB_IS_SWEEP (self), 0);

  if (self->state == LAB_SWEEP_DONE)
    return 1;
  runs = (double) self->points->len * self->repeat + self->pending->len;
  if (self->current != NULL)
    runs += lab_runner_get_progress (self->current);
  return CLAMP (runs / ((double) lab_sweep_get_n_points (self) * self->repeat), 0, 1);
}

LabRunner *
lab_sweep_get_current (LabSweep *self)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  return self->current;
}

const LabSweepPoint *
lab_sweep_get_point (LabSweep *self,
                     guint     index)
{
  g_return_val_if_fail (LAB_IS_SWEEP (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);
  return &g_array_index (self->points, LabSweepPoint, index);
}
