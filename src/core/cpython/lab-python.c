/* lab-python.c — finding the interpreter the CPython engine runs.
 *
 * Both the experiment engine and a traced program of the student's start
 * from here, so the same interpreter is chosen and the same one line is
 * shown when there is none or it is too old.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdio.h>

#include "lab-python.h"

/* "3.11.2", or NULL when @python does not run as Python. */
static char *
python_version (const char *python)
{
  const char *argv[] = { python, "-c",
                         "import sys; print('%d.%d.%d' % sys.version_info[:3])", NULL };
  g_autofree char *out = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &wait_status, NULL) ||
      !g_spawn_check_wait_status (wait_status, NULL))
    return NULL;
  return g_strdup (g_strstrip (out));
}

char *
lab_python_find (const char  *python,
                 char       **version,
                 GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *found = NULL;
  guint major = 0, minor = 0;

  if (python != NULL)
    path = g_file_test (python, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (python)
                                                          : g_find_program_in_path (python);
  else if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    path = g_strdup ("/usr/bin/python3");
  else
    path = g_find_program_in_path ("python3");
  if (path == NULL && python != NULL)
    {
      /* The interpreter the user named, not "install python3": it may be
       * installed elsewhere and only the path be wrong. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Python was not found at %s"), python);
      return NULL;
    }
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("python3 is not installed (apt install python3)"));
      return NULL;
    }

  /* The engine is written and tested for Python 3.11 and later; an older
   * one would fail inside the tracer with a message about the lab. */
  found = python_version (path);
  if (found == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   _("this program does not run as Python"));
      return NULL;
    }
  if (sscanf (found, "%u.%u", &major, &minor) != 2 ||
      major < 3 || (major == 3 && minor < 11))
    {
      g_autofree char *why = g_strdup_printf (_("Python %s is too old: the CPython engine needs 3.11 or later\n"),
                                              found);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: %s", path, g_strchomp (why));
      return NULL;
    }
  if (version != NULL)
    *version = g_steal_pointer (&found);
  return g_steal_pointer (&path);
}
