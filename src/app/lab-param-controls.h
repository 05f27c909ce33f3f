/* lab-param-controls.h — controls generated from an experiment's
 * LabParamSpecs: sliders with spin buttons, switches, drop-downs, entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

#define LAB_TYPE_PARAM_CONTROLS (lab_param_controls_get_type ())
G_DECLARE_FINAL_TYPE (LabParamControls, lab_param_controls, LAB, PARAM_CONTROLS, GtkWidget)

GtkWidget       *lab_param_controls_new        (const LabExperiment *experiment);

/* The values the controls hold (always valid). */
const LabParams *lab_param_controls_get_params (LabParamControls *self);

/* Sets one value and updates its control; emits "changed". */
gboolean         lab_param_controls_set_value  (LabParamControls  *self,
                                                const char        *key,
                                                GVariant          *value,
                                                GError           **error);
/* Sets every key of an a{sv} that still validates (others are ignored, e.g.
 * stored values from an older version); emits "changed" once. */
void             lab_param_controls_set_values (LabParamControls *self,
                                                GVariant         *dict);
/* Back to the declared defaults; emits "changed". */
void             lab_param_controls_reset      (LabParamControls *self);
/* Sets the values of the experiment's preset @nick (as its one-click
 * button does) and updates the controls; emits "changed". */
gboolean         lab_param_controls_apply_preset (LabParamControls  *self,
                                                  const char        *nick,
                                                  GError           **error);
/* Updates every control from the values (after they changed elsewhere). */
void             lab_param_controls_refresh    (LabParamControls *self);
/* Takes the numbers typed into fields but not confirmed yet (before a run
 * reads the parameters). */
void             lab_param_controls_commit     (LabParamControls *self);
/* The row that sets @key, or NULL (for tests). */
GtkWidget       *lab_param_controls_get_row    (LabParamControls *self,
                                                const char       *key);
/* The one-click button of preset @nick, or NULL. */
GtkWidget       *lab_param_controls_get_preset_button (LabParamControls *self,
                                                       const char       *nick);

G_END_DECLS
