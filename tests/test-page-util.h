/* test-page-util.h — what the GUI tests do to an experiment page: set a
 * number, wait until it is idle. Header-only (static).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment-page-test.h"

G_GNUC_UNUSED static gboolean
page_idle (gpointer data)
{
  return !lab_experiment_page_get_running (data);
}

/* Sets the int parameter @key as its control would, and checks it took. */
G_GNUC_UNUSED static void
set_int (LabExperimentPage *page,
         const char        *key,
         gint64             value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_param_controls_set_value (lab_experiment_page_get_param_controls (page),
                                               key, g_variant_new_int64 (value), &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_params_get_int (lab_experiment_page_get_params (page), key), ==, value);
}
