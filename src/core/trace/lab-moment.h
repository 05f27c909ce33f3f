/* lab-moment.h — the moment of a run that teaches the lesson ("the first
 * lost update", "one GIL hand-over"), found from the trace's events.
 *
 * An experiment declares which kind of moment it teaches (LabExperiment's
 * moment field) and the window opens the finished run there. The moment
 * is derived, not recorded: experiments record what happened as they do
 * anyway (highlighted marks, arrows, spans, counters), and the kinds below
 * say where in those events the lesson sits, so no experiment has to
 * record anything for a view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-trace.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_MOMENT_NONE = 0,
  /* The first highlighted mark (a lost update, an error), from the read
   * its arrow starts at, with the counter's sample that follows it. */
  LAB_MOMENT_FIRST_HIGHLIGHT,
  /* The first arrow from one lane to another to arrive (a GIL hand-over:
   * "released" on one thread, "taken" on the next). */
  LAB_MOMENT_FIRST_HANDOFF,
  /* Where the most lanes (other than the main one) are in one of
   * LabMomentSpec.states at once: requests or workers side by side. */
  LAB_MOMENT_MOST_OVERLAP,
  /* The first counter rising from its lowest to its highest value (a
   * queue filling up). */
  LAB_MOMENT_COUNTER_RISE,
  /* The main lane's first call that starts something or waits for it (a
   * SPAWNING or WAITING span) and where it returned. */
  LAB_MOMENT_FIRST_CALL,
} LabMomentKind;

#define LAB_MOMENT_STATE(state) (1u << (state))

/* What an experiment declares. */
typedef struct
{
  LabMomentKind  kind;
  const char    *button; /* N_(): "Show the lost update" */
  guint32        states; /* MOST_OVERLAP: LAB_MOMENT_STATE() bits; 0 = all
                          * but sleeping and waiting */
} LabMomentSpec;

/* The moment's time range (absolute CLOCK_MONOTONIC ns, @start_ns <=
 * @end_ns), or FALSE if @trace holds no such moment (a run with the lock
 * has no lost update). Scans the trace: call it once a run has finished,
 * not per frame. */
gboolean lab_moment_find (LabTrace            *trace,
                          const LabMomentSpec *spec,
                          gint64              *start_ns,
                          gint64              *end_ns);

G_END_DECLS
