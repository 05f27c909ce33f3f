/* test-page-util.h — what the GUI tests do to an experiment page: set a
 * number, wait until it is idle. Header-only (static).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment-page-test.h"
#include "lab-window.h"

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

/* Shows experiment @id in @window with the values of @params (an a{sv} in
 * GVariant text, "@a{sv} {}" for the defaults), as the controls would set
 * them. */
G_GNUC_UNUSED static LabExperimentPage *
show_with_values (LabWindow  *window,
                  const char *id,
                  const char *params)
{
  LabExperimentPage *page = lab_window_show_experiment (window, id);
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (page);
  /* g_variant_parse() gives a reference of our own, not a floating one. */
  values = g_variant_parse (G_VARIANT_TYPE_VARDICT, params, NULL, NULL, &error);
  g_assert_no_error (error);
  lab_experiment_page_set_param_values (page, values);
  return page;
}
