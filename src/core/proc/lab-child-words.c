/* lab-child-words.c — what a LabChild says in words a student
 * understands: why a child could not start, and how it ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-child-private.h"

/* ---- signals ---- */

static const struct
{
  gint        signum;
  const char *name;
} lab_signal_names[] = {
  { SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
  { SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
  { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
  { SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
  { SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
  { SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
  { SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
  { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
};

const char *
lab_signal_name (gint signum)
{
  for (guint i = 0; i < G_N_ELEMENTS (lab_signal_names); i++)
    if (lab_signal_names[i].signum == signum)
      return lab_signal_names[i].name;

  return NULL;
}

char *
lab_signal_describe (gint signum)
{
  const char *name = lab_signal_name (signum);

  if (name != NULL)
    /* Translators: how a child process ended, e.g. "killed by signal 9 (SIGKILL)" */
    return g_strdup_printf (_("killed by signal %d (%s)"), signum, name);
  return g_strdup_printf (_("killed by signal %d"), signum);
}
/* The spawn error in words a student understands. */
void
lab_child_set_spawn_error (GError     **error,
                 const char  *program,
                 GError      *spawn_error)
{
  gint code = G_IO_ERROR_FAILED;
  char *message;

  if (spawn_error->domain != G_SPAWN_ERROR)
    message = g_strdup_printf (_("Could not start “%s”: %s"), program, spawn_error->message);
  else if (spawn_error->code == G_SPAWN_ERROR_NOENT && strchr (program, '/') == NULL)
    {
      code = G_IO_ERROR_NOT_FOUND;
      message = g_strdup_printf (_("“%s”: command not found"), program);
    }
  else if (spawn_error->code == G_SPAWN_ERROR_NOENT)
    {
      code = G_IO_ERROR_NOT_FOUND;
      message = g_strdup_printf (_("“%s”: no such file"), program);
    }
  else if (spawn_error->code == G_SPAWN_ERROR_ISDIR ||
           ((spawn_error->code == G_SPAWN_ERROR_ACCES || spawn_error->code == G_SPAWN_ERROR_PERM) &&
            g_file_test (program, G_FILE_TEST_IS_DIR)))
    {
      code = G_IO_ERROR_IS_DIRECTORY;
      message = g_strdup_printf (_("“%s”: is a folder, not a program"), program);
    }
  else if (spawn_error->code == G_SPAWN_ERROR_ACCES || spawn_error->code == G_SPAWN_ERROR_PERM)
    {
      code = G_IO_ERROR_PERMISSION_DENIED;
      message = g_strdup_printf (_("“%s”: permission denied (the file is not executable)"),
                                 program);
    }
  else if (spawn_error->code == G_SPAWN_ERROR_NOEXEC || spawn_error->code == G_SPAWN_ERROR_LIBBAD)
    message = g_strdup_printf (_("“%s”: not a program this computer can run"), program);
  else if (spawn_error->code == G_SPAWN_ERROR_NOTDIR)
    {
      code = G_IO_ERROR_NOT_FOUND;
      message = g_strdup_printf (_("“%s”: a part of the path is not a folder"), program);
    }
  else
    message = g_strdup_printf (_("Could not start “%s”: %s"), program, spawn_error->message);

  g_set_error_literal (error, G_IO_ERROR, code, message);
  g_free (message);
}

/* Popen(cwd=...) checks the folder in the child, after the fork, and
 * raises what chdir() failed with; GLib says only "failed to change
 * directory". Look first, to say it in words: FALSE with @error set. */
gboolean
lab_child_check_cwd (const char  *cwd,
           GError     **error)
{
  if (cwd == NULL || g_file_test (cwd, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_file_test (cwd, G_FILE_TEST_EXISTS))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                 /* Translators: %s is the folder the child should start in */
                 _("“%s” is a file, not a folder: the child cannot start in it (cwd)"), cwd);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: %s is the folder the child should start in */
                 _("The folder “%s” does not exist: the child cannot start in it (cwd)"), cwd);
  return FALSE;
}
