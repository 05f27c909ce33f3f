/* bench-window.h — the window a GUI benchmark measures in. Header-only
 * (static), for tests/bench/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-application.h"
#include "lab-window.h"

/* Registers and activates @app (not unique, so that benchmarks may run
 * beside the tests) and returns its window, @width×@height, once it is on
 * screen. */
G_GNUC_UNUSED static LabWindow *
bench_open_window (LabApplication *app,
                   int             width,
                   int             height)
{
  g_autoptr(GError) error = NULL;
  LabWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_activate (G_APPLICATION (app));
  window = LAB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert (window != NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  return window;
}
