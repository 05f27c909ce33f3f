/* lab-cli.h — the headless command line (DESIGN.md §4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses. */
enum
{
  LAB_EXIT_OK = 0,
  LAB_EXIT_FAILED = 1, /* the experiment itself failed */
  LAB_EXIT_USAGE = 2,  /* bad usage: one clear line on stderr */
};

/* Handles --list, --run and friends. Returns TRUE and sets @status when the
 * arguments asked for the command line; FALSE when the window should open
 * (argv is left untouched then). */
gboolean lab_cli_main (int    argc,
                       char **argv,
                       int   *status);

G_END_DECLS
