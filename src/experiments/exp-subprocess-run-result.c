/* exp-subprocess-run-result.c — what a run of subprocess-run gives back:
 * the value the Python call returned (as Python prints it), what went
 * wrong in words, and the metrics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "exp-subprocess-run-private.h"
#include "lab-experiments.h"

/* The bytes of stdout (0) or stderr (1) as Python's repr, from what the
 * child kept; NULL when not UTF-8 text though text is on. */
char *
lab_subprocess_output_repr (LabChild                *child,
                            guint                    stream,
                            const LabSubprocessCall *call)
{
  g_autoptr(GBytes) head = lab_child_get_head (child, stream);
  LabCapture *capture = stream == 0 ? lab_child_get_stdout (child) : lab_child_get_stderr (child);
  gsize len;
  const guint8 *data;

  if (head == NULL)
    return g_strdup ("None");
  data = g_bytes_get_data (head, &len);
  return lab_subprocess_python_repr (data, len, lab_capture_get_n_bytes (capture) > len, call->text);
}

/* What the Python call returned, as Python prints it: a CompletedProcess,
 * (out, err), the output, a return code or os.system's wait status. ""
 * when it raised instead; NULL when the output is not UTF-8 text. */
char *
lab_subprocess_result (LabChild                *child,
                       const GError            *spawn_error,
                       const char              *args,
                       const LabSubprocessCall *call)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint code = lab_child_get_exit_code (child);

  if (spawn_error != NULL || lab_child_get_timed_out (child) || lab_child_get_stopped (child))
    return g_strdup ("");

  if (g_str_equal (call->mode, "system"))
    /* The wait status: the exit status times 256, or the signal. */
    return g_strdup_printf ("%d", lab_child_get_term_sig (child) != 0 ? lab_child_get_term_sig (child)
                                                                       : code << 8);
  if (g_str_equal (call->mode, "popen") && g_str_equal (call->call, "wait"))
    return call->gave_up ? g_strdup ("") : g_strdup_printf ("%d", code);
  if (g_str_equal (call->mode, "popen") && g_str_equal (call->call, "poll"))
    return call->gave_up ? g_strdup ("None") : g_strdup_printf ("%d", code);

  out = lab_subprocess_output_repr (child, 0, call);
  err = lab_subprocess_output_repr (child, 1, call);
  if (out == NULL || err == NULL)
    return NULL;
  if (g_str_equal (call->mode, "check_output"))
    return g_steal_pointer (&out);
  if (g_str_equal (call->mode, "popen"))
    return g_strdup_printf ("(%s, %s)", out, err);
  if (lab_child_get_stdout (child) == NULL)
    return g_strdup_printf ("CompletedProcess(args=%s, returncode=%d)", args, code);
  return g_strdup_printf ("CompletedProcess(args=%s, returncode=%d, stdout=%s, stderr=%s)",
                          args, code, out, err);
}

/* What went wrong, in words; "" when the child ran and exited by itself
 * (whatever its status). @args is the command as a Python list. */
char *
lab_subprocess_describe_failure (LabChild                *child,
                                 const GError            *spawn_error,
                                 const char              *args,
                                 double                   timeout_s,
                                 const LabSubprocessCall *call)
{
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *expired = NULL;

  if (spawn_error != NULL)
    return g_strdup (spawn_error->message);

  g_ascii_formatd (seconds, sizeof seconds, "%g", timeout_s);
  /* Translators: the words of Python's TimeoutExpired; the first %s is
   * the command as a Python list, e.g. ['sleep', '10'], the second a
   * number of seconds */
  expired = g_strdup_printf (_("Command '%s' timed out after %s seconds"), args, seconds);
  if (lab_child_get_timed_out (child))
    return g_steal_pointer (&expired);

  if (call->gave_up && lab_child_get_pipe_full (child))
    /* Translators: after Python's TimeoutExpired words (%s) */
    return g_strdup_printf (_("%s. Deadlock: the child filled the stdout pipe (64 KiB) and "
                              "waited in write() for the parent to read, while the parent "
                              "waited in wait() for the child to end, so neither could go on. "
                              "communicate() reads the pipes while it waits: use it instead "
                              "of wait() with stdout=PIPE"), expired);
  if (call->gave_up)
    /* Translators: after Python's TimeoutExpired words (%s) */
    return g_strdup_printf (_("%s. The parent stopped waiting, but the child still ran (a "
                              "timeout does not kill it here): the lab killed it at the end "
                              "of the run"), expired);

  if (lab_child_get_term_sig (child) != 0)
    return lab_signal_describe (lab_child_get_term_sig (child));

  if (lab_child_get_pipes_held (child))
    {
      g_ascii_formatd (seconds, sizeof seconds, "%g", LAB_CHILD_EOF_GRACE_MS / 1000.0);
      /* Translators: %s is a number of seconds; the process group is the
       * command and every process it started */
      return g_strdup_printf (_("A process started by the command still held its output open "
                                "%s s after the command ended, so its process group was killed"),
                              seconds);
    }

  return g_strdup ("");
}

/* The metrics of a run that went to its end. */
GVariant *
lab_subprocess_collect (LabChild                *child,
                        const char              *failure,
                        const char              *result,
                        const char              *code,
                        const LabSubprocessCall *call,
                        gint64                   returned_ns,
                        gint64                   wall_ns)
{
  LabCapture *out = lab_child_get_stdout (child);
  LabCapture *err = lab_child_get_stderr (child);
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  gboolean out_cut = FALSE, err_cut = FALSE;
  GVariantBuilder metrics;

  /* Without capture there are no pipes, and nothing was read. */
  out_text = out != NULL ? lab_capture_to_text (out, &out_cut) : g_strdup ("");
  err_text = err != NULL ? lab_capture_to_text (err, &err_cut) : g_strdup ("");

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "exit_code",
                         g_variant_new_int64 (lab_child_get_exit_code (child)));
  g_variant_builder_add (&metrics, "{sv}", "signal",
                         g_variant_new_int64 (lab_child_get_term_sig (child)));
  g_variant_builder_add (&metrics, "{sv}", "timed_out",
                         g_variant_new_boolean (lab_child_get_timed_out (child) || call->gave_up));
  g_variant_builder_add (&metrics, "{sv}", "returned_after_s",
                         lab_metric_new_seconds (returned_ns));
  g_variant_builder_add (&metrics, "{sv}", "wall_s",
                         lab_metric_new_seconds (wall_ns));
  g_variant_builder_add (&metrics, "{sv}", "error", g_variant_new_string (failure));
  g_variant_builder_add (&metrics, "{sv}", "result", g_variant_new_string (result));
  g_variant_builder_add (&metrics, "{sv}", "killed_at_end",
                         g_variant_new_boolean (call->killed_at_end));
  g_variant_builder_add (&metrics, "{sv}", "stdout", g_variant_new_string (out_text));
  g_variant_builder_add (&metrics, "{sv}", "stderr", g_variant_new_string (err_text));
  g_variant_builder_add (&metrics, "{sv}", "stdout_bytes",
                         g_variant_new_int64 (out != NULL ? (gint64) lab_capture_get_n_bytes (out) : 0));
  g_variant_builder_add (&metrics, "{sv}", "stderr_bytes",
                         g_variant_new_int64 (err != NULL ? (gint64) lab_capture_get_n_bytes (err) : 0));
  g_variant_builder_add (&metrics, "{sv}", "stdin_bytes",
                         g_variant_new_int64 ((gint64) lab_child_get_stdin_bytes (child)));
  g_variant_builder_add (&metrics, "{sv}", "output_cut",
                         g_variant_new_boolean (out_cut || err_cut));
  g_variant_builder_add (&metrics, "{sv}", "pid",
                         g_variant_new_int64 (lab_child_get_pid (child)));
  g_variant_builder_add (&metrics, "{sv}", "code", g_variant_new_string (code));

  return g_variant_builder_end (&metrics);
}
