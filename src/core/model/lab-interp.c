/* lab-interp.c — the interpreter model: where a Python thread holds and
 * releases the GIL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-interp.h"

struct _LabInterp
{
  LabRecorder *recorder;
  LabGil      *gil;          /* NULL: free-threaded */
  const atomic_bool *drop;   /* the GIL's drop request */
};

LabInterp *
lab_interp_new (LabRecorder *recorder,
                gboolean     gil,
                LabLane     *gil_lane,
                gint64       switch_interval_ns)
{
  LabInterp *interp = g_new0 (LabInterp, 1);

  interp->recorder = lab_recorder_ref (recorder);
  if (gil)
    {
      interp->gil = lab_gil_new (recorder, gil_lane, switch_interval_ns);
      interp->drop = lab_gil_get_drop_request (interp->gil);
    }
  return interp;
}

void
lab_interp_free (LabInterp *interp)
{
  if (interp == NULL)
    return;
  g_clear_pointer (&interp->gil, lab_gil_free);
  lab_recorder_unref (interp->recorder);
  g_free (interp);
}

LabLane *
lab_interp_add_gil_lane (LabRunContext  *ctx,
                         GError        **error)
{
  /* Translators: the name of the timeline lane that shows which thread
   * holds the global interpreter lock */
  return lab_recorder_try_add_lane (lab_run_context_get_recorder (ctx), LAB_LANE_RESOURCE,
                                    _("GIL"), error);
}

LabInterp *
lab_interp_new_for_run (LabRunContext  *ctx,
                        gboolean        gil,
                        GError        **error)
{
  LabLane *gil_lane = NULL;

  if (gil && (gil_lane = lab_interp_add_gil_lane (ctx, error)) == NULL)
    return NULL;
  return lab_interp_new (lab_run_context_get_recorder (ctx), gil, gil_lane,
                         LAB_INTERP_SWITCH_INTERVAL_NS);
}

LabGil *
lab_interp_get_gil (LabInterp *interp)
{
  return interp->gil;
}

void
lab_interp_enter (LabInterp *interp,
                  LabLane   *lane)
{
  if (interp->gil != NULL)
    lab_gil_acquire (interp->gil, lane);
}

void
lab_interp_leave (LabInterp *interp,
                  LabLane   *lane)
{
  if (interp->gil != NULL)
    lab_gil_release (interp->gil, lane);
}

gboolean
lab_interp_check (LabInterp *interp,
                  LabLane   *lane)
{
  if (interp->gil == NULL || !lab_gil_poll (interp->drop))
    return FALSE;
  return lab_gil_yield (interp->gil, lane);
}

gboolean
lab_interp_switch_point (LabInterp  *interp,
                         LabLane    *lane,
                         const char *where)
{
  /* Free-threaded, there is no lock to lose: nothing to mark. */
  if (interp->gil == NULL)
    return FALSE;

  /* Translators: a mark on the timeline: CPython checks here whether
   * another thread asked for the GIL; %s is the Python code at that point */
  lab_lane_mark (lane, lab_recorder_intern_printf (interp->recorder, _("may switch: %s"), where),
                 0, LAB_EVENT_FLAG_NONE, 0);
  return lab_interp_check (interp, lane);
}

void
lab_interp_block_begin (LabInterp *interp,
                        LabLane   *lane)
{
  if (interp->gil != NULL)
    lab_gil_release_to_waiter (interp->gil, lane);
}

void
lab_interp_block_begin_for (LabInterp *interp,
                            LabLane   *lane,
                            LabLane   *next)
{
  if (interp->gil != NULL)
    lab_gil_release_to (interp->gil, lane, next);
}

void
lab_interp_block_end_for (LabInterp *interp,
                          LabLane   *lane)
{
  if (interp->gil != NULL)
    lab_gil_acquire_back (interp->gil, lane);
}

void
lab_interp_block_end (LabInterp *interp,
                      LabLane   *lane)
{
  if (interp->gil != NULL)
    lab_gil_acquire (interp->gil, lane);
}

gboolean
lab_interp_sleep_ns (LabInterp     *interp,
                     LabLane       *lane,
                     LabRunContext *ctx,
                     gint64         ns)
{
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean completed = TRUE;

  /* Python syntax, so a decimal point whatever the locale says. */
  g_ascii_formatd (seconds, sizeof seconds, "%.3g", (double) ns / LAB_NS_PER_S);

  lab_interp_block_begin (interp, lane);
  lab_lane_begin (lane, LAB_STATE_SLEEPING,
                  lab_recorder_intern_printf (interp->recorder, "time.sleep(%s)", seconds));
  if (ns > 0)
    completed = lab_run_context_sleep_ns (ctx, ns);
  else
    g_thread_yield ();
  lab_lane_end (lane);
  lab_interp_block_end (interp, lane);

  return completed;
}
