/* lab-cores.h — where threads ran: a view of a trace with one lane per CPU.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-trace.h"

G_BEGIN_DECLS

/* TRUE for the states in which a thread is on a CPU: running, holding a
 * lock, sending data, starting a process. Sleeping, waiting (for a lock,
 * the GIL, a reply ...) and failed are off the CPU. */
gboolean  lab_state_is_on_cpu      (LabState  state);

/* A new trace, sharing @trace's string pool and time range, with one lane
 * per CPU that a thread was seen on ("CPU 0", "CPU 1" ..., kind
 * LAB_LANE_RESOURCE, in CPU order). Each span (state RUNNING, label = the
 * name of the thread's or process's lane, BEGIN value = that lane's index)
 * is a stretch of time a thread spent on that CPU:
 *
 *  - a thread is on a CPU while its innermost open span is in an on-CPU
 *    state (lab_state_is_on_cpu()); outside spans nothing is known, but
 *    for gaps of at most 0.2 ms between two events on the same CPU (ending
 *    one span and beginning the next), which count as on that CPU;
 *  - between two of its events it is taken to be on the CPU the earlier one
 *    recorded (events without a CPU tell nothing); after its last event, on
 *    that CPU until the trace ends, and the span stays open;
 *  - where the estimates of two threads collide on one CPU, the one that
 *    started later (the more recent sighting) shows, and the earlier one
 *    shows again after it if it lasts longer: spans of a lane never
 *    overlap; touching stretches of one thread are merged.
 *
 * Resource lanes (the GIL) are skipped. O(n log n) in the events; build it
 * again when @trace's generation changes. Free with lab_trace_unref(). */
LabTrace *lab_trace_new_cores_view (LabTrace *trace);

G_END_DECLS
