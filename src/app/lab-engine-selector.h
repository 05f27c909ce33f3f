/* lab-engine-selector.h — Model | CPython | Both, a linked toggle group on
 * an experiment page; the choice is remembered per experiment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-engine.h"

G_BEGIN_DECLS

#define LAB_TYPE_ENGINE_SELECTOR (lab_engine_selector_get_type ())
G_DECLARE_FINAL_TYPE (LabEngineSelector, lab_engine_selector, LAB, ENGINE_SELECTOR, GtkWidget)

/* Starts with the engine stored for @experiment_id in the "engines"
 * setting (the model when there is none, or when it needs a python3 that
 * is not there) and stores every choice made afterwards. */
GtkWidget *lab_engine_selector_new        (const char        *experiment_id);

LabEngine  lab_engine_selector_get_engine (LabEngineSelector *self);
void       lab_engine_selector_set_engine (LabEngineSelector *self,
                                           LabEngine          engine);
/* The toggle of @engine (tests: its tooltip and sensitivity). */
GtkWidget *lab_engine_selector_get_button (LabEngineSelector *self,
                                           LabEngine          engine);

G_END_DECLS
