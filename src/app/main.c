/* main.c — Concurrency Lab: the window, or the command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lab-application.h"
#include "lab-cli.h"

/* Translations are installed under LOCALEDIR; a binary started from its
 * build tree finds them next to it instead. */
static const char *
find_localedir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *build_app = g_build_filename (BUILD_ROOT, "src", "app", NULL);

  if (dir != NULL && g_strcmp0 (dir, build_app) == 0)
    return BUILD_ROOT "/po";
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, find_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (lab_cli_main (argc, argv, &status))
    return status;

  app = lab_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
