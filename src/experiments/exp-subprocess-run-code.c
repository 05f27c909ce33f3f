/* exp-subprocess-run-code.c — the Python program a run of subprocess-run
 * stands for, written out with the run's own values, so that it can be
 * copied and run as it is with the standard library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "exp-subprocess-run-private.h"

/* "['ls', '-l']", whole (labels shorten, a program must not). */
static void
append_list (GString *code,
             char   **words)
{
  g_string_append_c (code, '[');
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = lab_subprocess_python_str (words[i]);

      g_string_append_printf (code, "%s%s", i > 0 ? ", " : "", word);
    }
  g_string_append_c (code, ']');
}

/* The keyword arguments every call of the subprocess module shares. */
static void
append_common (GString          *code,
               const LabParams  *params,
               gboolean          with_input)
{
  double timeout_s = lab_params_get_double (params, "timeout_s");
  gboolean text = lab_params_get_bool (params, "text");

  if (with_input)
    g_string_append (code, ", input=data");
  if (timeout_s > 0)
    {
      char seconds[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (code, ", timeout=%s",
                              g_ascii_formatd (seconds, sizeof seconds, "%g", timeout_s));
    }
  if (text)
    g_string_append (code, ", text=True");
  g_string_append (code, ",\n    cwd=folder, env=environment");
}

char *
lab_subprocess_python_code (const LabParams *params,
                            char           **argv,
                            GBytes          *input)
{
  GString *code = g_string_new ("import os\nimport subprocess\nimport time\n\n");
  const char *mode = lab_params_get_string (params, "mode");
  const char *call = lab_params_get_string (params, "popen_call");
  const char *cwd = lab_params_get_string (params, "cwd");
  const char * const *env = lab_params_get_strv (params, "env");
  gboolean text = lab_params_get_bool (params, "text");
  gboolean capture = lab_params_get_bool (params, "capture");
  double timeout_s = lab_params_get_double (params, "timeout_s");
  const char *pipes = capture ? "stdout=subprocess.PIPE, stderr=subprocess.PIPE"
                              : "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL";

  /* The folder and the additions to the environment. */
  if (cwd != NULL && cwd[0] != '\0')
    {
      g_autofree char *folder = lab_subprocess_python_str (cwd);

      g_string_append_printf (code, "folder = %s\n", folder);
    }
  else
    g_string_append (code, "folder = None  # the parent's folder\n");
  g_string_append (code, "environment = {**os.environ");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_autofree char *key = g_strndup (env[i], strcspn (env[i], "="));
      g_autofree char *key_repr = lab_subprocess_python_str (key);
      g_autofree char *value_repr = lab_subprocess_python_str (env[i] + strlen (key) + 1);

      g_string_append_printf (code, ", %s: %s", key_repr, value_repr);
    }
  g_string_append (code, "}\n");

  if (g_strcmp0 (mode, "system") == 0)
    {
      g_autofree char *line = lab_subprocess_python_str (argv[2]);

      g_string_append (code, "\n# os.system() has no cwd= or env=: change the parent's own\n"
                             "if folder is not None:\n    os.chdir(folder)\n"
                             "os.environ.update(environment)\n");
      g_string_append_printf (code, "status = os.system(%s)  # runs /bin/sh -c ...\n", line);
      g_string_append (code, "print(status, \"exit code:\", os.waitstatus_to_exitcode(status))\n");
      return g_string_free (code, FALSE);
    }

  g_string_append (code, "command = ");
  append_list (code, argv);
  g_string_append_c (code, '\n');
  if (input != NULL)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (input, &size);
      g_autofree char *data = lab_subprocess_python_repr (bytes, size, FALSE, text);

      g_string_append_printf (code, "data = %s\n", data);
    }
  g_string_append_c (code, '\n');

  if (g_strcmp0 (mode, "run") == 0 || g_strcmp0 (mode, "check_output") == 0)
    {
      gboolean check_output = g_strcmp0 (mode, "check_output") == 0;

      g_string_append (code, "try:\n");
      if (check_output)
        g_string_append (code, "    out = subprocess.check_output(command");
      else
        g_string_append_printf (code, "    done = subprocess.run(command, %s", pipes);
      append_common (code, params, input != NULL);
      if (!check_output && lab_params_get_bool (params, "check"))
        g_string_append (code, ", check=True");
      g_string_append_printf (code, ")\n    print(%s)\n", check_output ? "repr(out)" : "done");
      g_string_append (code, "except subprocess.CalledProcessError as error:\n"
                             "    print(error, repr(error.output))\n"
                             "except (subprocess.TimeoutExpired, OSError) as error:\n"
                             "    print(type(error).__name__, error)\n");
      return g_string_free (code, FALSE);
    }

  g_string_append (code, "try:\n    child = subprocess.Popen(command");
  if (input != NULL)
    g_string_append (code, ", stdin=subprocess.PIPE");
  g_string_append_printf (code, ", %s", pipes);
  if (text)
    g_string_append (code, ", text=True");
  g_string_append (code, ",\n        cwd=folder, env=environment)\n"
                         "except OSError as error:\n"
                         "    raise SystemExit(f\"{type(error).__name__}: {error}\")\n\n");

  if (g_strcmp0 (call, "wait") == 0)
    {
      g_string_append (code, "try:\n    print(\"wait() →\", child.wait(");
      if (timeout_s > 0)
        g_string_append_printf (code, "timeout=%g", timeout_s);
      g_string_append (code, "))\n"
                             "except subprocess.TimeoutExpired as error:\n"
                             "    print(\"TimeoutExpired:\", error)\n"
                             "    print(\"poll() →\", child.poll())  # None: the child still runs\n"
                             "    child.kill()  # the lab does this at the end of the run\n");
    }
  else if (g_strcmp0 (call, "poll") == 0)
    {
      if (timeout_s > 0)
        g_string_append_printf (code, "deadline = time.monotonic() + %g\n", timeout_s);
      g_string_append (code, "while child.poll() is None:\n"
                             "    print(\"poll() → None\")  # the parent is free meanwhile\n");
      if (timeout_s > 0)
        g_string_append (code, "    if time.monotonic() > deadline:\n"
                               "        child.kill()  # the lab does this at the end of the run\n"
                               "        break\n");
      g_string_append (code, "    time.sleep(0.25)\n"
                             "print(\"poll() →\", child.poll())\n");
    }
  else
    {
      g_string_append (code, "for _ in range(4):\n"
                             "    if child.poll() is not None:\n        break\n"
                             "    print(\"poll() → None: parent keeps working\")\n"
                             "    time.sleep(0.25)\n"
                             "try:\n    print(child.communicate(");
      if (input != NULL)
        g_string_append (code, "data");
      if (timeout_s > 0)
        g_string_append_printf (code, "%stimeout=%g", input != NULL ? ", " : "", timeout_s);
      g_string_append (code, "))  # (None, None) when nothing is captured\n"
                             "except subprocess.TimeoutExpired as error:\n"
                             "    print(\"TimeoutExpired:\", error)\n"
                             "    child.kill()\n");
    }
  g_string_append (code, "out, err = child.communicate()  # reads what is left, reaps the child\n"
                         "print(\"return code:\", child.returncode)\n");

  return g_string_free (code, FALSE);
}

char *
lab_subprocess_dup_code (const LabParams *params)
{
  g_auto(GStrv) argv = lab_subprocess_argv (params, NULL);
  g_autoptr(GBytes) input = NULL;

  /* A command that cannot be read has no program yet: the run says why. */
  if (argv == NULL ||
      !lab_subprocess_make_input (lab_params_get_string (params, "input"), &input, NULL))
    return g_strdup ("");
  return lab_subprocess_python_code (params, argv, input);
}
