/* lab-application.h — the application: actions, accelerators, windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LAB_TYPE_APPLICATION (lab_application_get_type ())
G_DECLARE_FINAL_TYPE (LabApplication, lab_application, LAB, APPLICATION, AdwApplication)

LabApplication *lab_application_new (void);

/* The application's settings (new reference), or NULL when the schema is
 * not installed (a binary run from its build tree): nothing is remembered
 * then. */
GSettings      *lab_application_lookup_settings (void);

G_END_DECLS
