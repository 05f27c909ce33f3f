/* lab-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-event.h"

typedef struct
{
  const char *nick;
  const char *label;
} StateName;

static const StateName state_names[LAB_STATE_N] = {
  [LAB_STATE_RUNNING]   = { "running",   N_("Running") },
  [LAB_STATE_SLEEPING]  = { "sleeping",  N_("Sleeping") },
  [LAB_STATE_WAITING]   = { "waiting",   N_("Waiting") },
  [LAB_STATE_LOCK_WAIT] = { "lock-wait", N_("Waiting for a lock") },
  [LAB_STATE_LOCK_HELD] = { "lock-held", N_("Holding a lock") },
  [LAB_STATE_GIL_WAIT]  = { "gil-wait",  N_("Waiting for the GIL") },
  [LAB_STATE_IO_DNS]    = { "dns",       N_("Looking up the name") },
  [LAB_STATE_IO_CONNECT] = { "connect",  N_("Connecting") },
  [LAB_STATE_IO_WAIT]   = { "first-byte", N_("Waiting for the reply") },
  [LAB_STATE_IO_TRANSFER] = { "transfer", N_("Receiving data") },
  [LAB_STATE_SPAWNING]  = { "spawning",  N_("Starting a process") },
  [LAB_STATE_SENDING]   = { "sending",   N_("Sending data") },
  [LAB_STATE_FAILED]    = { "failed",    N_("Failed") },
};

const char *
lab_state_to_nick (LabState state)
{
  if ((guint) state >= LAB_STATE_N)
    return "unknown";
  return state_names[state].nick;
}

const char *
lab_state_to_label (LabState state)
{
  if ((guint) state >= LAB_STATE_N)
    return _("Unknown");
  return _(state_names[state].label);
}
