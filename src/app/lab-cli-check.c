/* lab-cli-check.c — bad usage found before anything runs.
 *
 * A run can take minutes; learning only at its end that the export folder
 * does not exist wastes them, and a mistake seen after the run is reported
 * as a failed run (exit 1) when it was bad usage (exit 2). So everything
 * that can be known from the arguments alone is checked here, first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lab-cli-private.h"
#include "lab-export.h"

#define MIN_EXPORT_SCALE 0.5
#define MAX_EXPORT_SCALE 4.0

const char *
lab_cli_find_option (char               **argv,
                     const char * const  *names)
{
  for (guint i = 0; argv[i] != NULL; i++)
    {
      /* Whatever follows "--" is not an option. */
      if (strcmp (argv[i], "--") == 0)
        break;
      for (guint j = 0; names[j] != NULL; j++)
        {
          gsize len = strlen (names[j]);

          if (strncmp (argv[i], names[j], len) == 0 &&
              (argv[i][len] == '\0' || argv[i][len] == '='))
            return names[j];
        }
    }
  return NULL;
}

static gboolean
check_list_alone (char    **argv,
                  GError  **error)
{
  static const char * const others[] = {
    "--run", "--set", "--repeat", "--json", "--export", "--export-scale", "--sweep", NULL
  };
  const char *other = lab_cli_find_option (argv, others);

  if (other == NULL)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               /* Translators: %s is another option, e.g. --run */
               _("--list only lists the experiments; it cannot be combined with %s"), other);
  return FALSE;
}

static gboolean
check_export_scale (double    scale,
                    GError  **error)
{
  if (isnan (scale))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--export-scale: “nan” is not a number (use 0.5–4)"));
      return FALSE;
    }
  if (scale < MIN_EXPORT_SCALE || scale > MAX_EXPORT_SCALE)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--export-scale: %g is out of range (0.5–4)"), scale);
      return FALSE;
    }
  return TRUE;
}

/* Creating a file is the only honest test of a folder: permission bits do
 * not bind root, and /proc or a read-only mount refuse what access()
 * allows. The probe is removed at once. */
static gboolean
folder_takes_files (const char  *folder,
                    int         *saved_errno)
{
  g_autofree char *probe = g_build_filename (folder, ".concurrency-lab-XXXXXX", NULL);
  int fd = g_mkstemp_full (probe, O_RDWR, 0600);

  if (fd < 0)
    {
      *saved_errno = errno;
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

static gboolean
check_export_file (const char  *path,
                   GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *shown = g_filename_display_name (path);
  g_autofree char *shown_folder = g_filename_display_name (folder);
  int saved_errno = 0;

  if (!lab_export_is_supported (path, error))
    return FALSE;

  if (!g_file_test (folder, G_FILE_TEST_EXISTS))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: the first %s is a file name, the second its folder */
                 _("Cannot export to “%s”: the folder “%s” does not exist"), shown, shown_folder);
  else if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                 /* Translators: the first %s is a file name, the second what
                  * should have been its folder */
                 _("Cannot export to “%s”: “%s” is a file, not a folder"), shown, shown_folder);
  else if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                 _("Cannot export to “%s”: that is a folder; give a file name"), shown);
  else if (!folder_takes_files (folder, &saved_errno))
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 /* Translators: the first %s is a file name, the second its
                  * folder, the third the reason, e.g. "Permission denied" */
                 _("Cannot export to “%s”: no file can be created in the folder “%s” (%s)"),
                 shown, shown_folder, g_strerror (saved_errno));
  else if (g_file_test (path, G_FILE_TEST_EXISTS) && access (path, W_OK) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: the first %s is a file name, the second
                    * the reason, e.g. "Permission denied" */
                   _("Cannot export to “%s”: the file cannot be replaced (%s)"),
                   shown, g_strerror (saved_errno));
    }
  else
    return TRUE;
  return FALSE;
}

gboolean
lab_cli_check_usage (char      **argv,
                     gboolean    list,
                     char      **exports,
                     double      export_scale,
                     GError    **error)
{
  if (list)
    return check_list_alone (argv, error);

  if (!check_export_scale (export_scale, error))
    return FALSE;
  for (guint i = 0; exports != NULL && exports[i] != NULL; i++)
    if (!check_export_file (exports[i], error))
      return FALSE;
  return TRUE;
}

char *
lab_cli_explain_parse_error (char         **argv,
                             const GError  *error)
{
  /* GOption converts string options to UTF-8 and only says "Invalid byte
   * sequence in conversion input", without saying where. */
  if (error->domain == G_CONVERT_ERROR)
    for (guint i = 1; argv[i] != NULL; i++)
      if (!g_utf8_validate (argv[i], -1, NULL))
        {
          g_autofree char *shown = g_utf8_make_valid (argv[i], -1);

          /* Translators: %s is a command-line argument, with � where its
           * bytes were not text */
          return g_strdup_printf (_("“%s” is not valid UTF-8 text (shown with � for the bytes "
                                    "that are not)"), shown);
        }
  return g_strdup (error->message);
}
