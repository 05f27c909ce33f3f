/* test-cli-util.h — run the built concurrency-lab binary (LAB_BINARY)
 * headless and collect its exit status, stdout and stderr.
 * Header-only (static), for the command-line tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

G_GNUC_UNUSED static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* @args: the arguments after the binary's name, NULL-terminated. */
G_GNUC_UNUSED static void
run_cli_argv (Result             *r,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("LAB_BINARY");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Headless: the command line must not need a display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
}

G_GNUC_UNUSED static void
run_cli (Result *r, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_cli_argv (r, (const char * const *) args->pdata);
}

/* Bad usage: exit 2 and exactly one line on stderr that says what is wrong. */
G_GNUC_UNUSED static void
assert_usage_error (Result     *r,
                    const char *needle)
{
  guint newlines = 0;

  for (const char *p = r->err; *p != '\0'; p++)
    newlines += *p == '\n';

  g_assert_cmpint (r->status, ==, 2);
  g_assert_nonnull (strstr (r->err, needle));
  g_assert_true (g_str_has_prefix (r->err, "concurrency-lab: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_cmpuint (newlines, ==, 1);
  g_assert_cmpstr (r->out, ==, "");
}
