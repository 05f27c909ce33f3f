/* lab-cli-signals.h — SIGINT, SIGTERM and SIGHUP stop a headless run the
 * way the Stop button does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LabCliSignals LabCliSignals;

/* Watches the signals on the thread-default main context (the one
 * lab_runner_run_sync() and lab_sweep_run_sync() iterate) until freed. */
LabCliSignals *lab_cli_signals_new     (void);
void           lab_cli_signals_free    (LabCliSignals *self);

/* What a signal stops: a LabRunner or a LabSweep (or NULL between runs). */
void           lab_cli_signals_watch   (LabCliSignals *self,
                                        GObject       *run);
/* The first signal caught, or 0 (dispatches one that is pending). */
int            lab_cli_signals_caught  (LabCliSignals *self);
/* Says on stderr which signal stopped the run (one line) and returns the
 * exit status for it, 128 + its number as shells report it. */
int            lab_cli_signals_report  (LabCliSignals *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCliSignals, lab_cli_signals_free)

G_END_DECLS
