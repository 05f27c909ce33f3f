/* lab-program-page-output.c — what the program printed, bounded
 *
 * A program may print without end. The page keeps the last
 * LAB_PROGRAM_PAGE_OUTPUT_KEEP bytes in its text buffer and counts what it
 * let go; a burst larger than that is cut before it reaches the buffer,
 * so the cost per frame follows the limit, not the program's speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-program-page-private.h"

void
lab_program_page_clear_output (LabProgramPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);

  gtk_text_buffer_set_text (buffer, "", 0);
  g_queue_clear (&self->kept_lines);
  self->kept_bytes = 0;
  self->n_output_seen = 0;
  self->last_ts_ns = 0;
  self->last_label = 0;
  self->dropped_bytes = 0;
  self->dropped_lines = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), FALSE);
}

static void
show_dropped (LabProgramPage *self)
{
  g_autofree char *size = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *text = NULL;

  if (self->dropped_bytes == 0)
    return;
  size = g_format_size (self->dropped_bytes);
  kept = g_format_size (LAB_PROGRAM_PAGE_OUTPUT_KEEP);
  /* Translators: above a program's output; %s is a size ("3.2 MB"), %llu
   * counts lines, then the size kept ("64.0 kB") */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s of earlier output (%llu line) not shown: the last %s are kept",
                                       "%s of earlier output (%llu lines) not shown: the last %s are kept",
                                       self->dropped_lines),
                          size, (unsigned long long) self->dropped_lines, kept);
  gtk_label_set_text (self->dropped_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), TRUE);
}

/* Appends the lines the trace got since the last call; drops the oldest
 * beyond the limit. A burst larger than the limit is cut before it reaches
 * the text buffer, so the cost per frame follows the limit, not the
 * program's speed. */
void
lab_program_page_update_output (LabProgramPage *self)
{
  LabTrace *trace = self->run != NULL ? lab_runner_get_trace (self->run) : NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  const LabOutputLine *lines;
  guint n = 0, first;
  gsize burst = 0;
  guint n_drop = 0;
  GtkTextIter start, end;

  if (trace == NULL)
    return;
  lines = lab_trace_get_output (trace, &n);
  /* Lines are sorted by time: one drained late from another thread may
   * land before lines already shown. Then the text is built again (rare:
   * threads that print at the same moment). */
  if (self->n_output_seen > 0 &&
      (n < self->n_output_seen ||
       lines[self->n_output_seen - 1].ts_ns != self->last_ts_ns ||
       lines[self->n_output_seen - 1].label != self->last_label))
    lab_program_page_clear_output (self);
  if (n <= self->n_output_seen)
    return;

  first = n;
  while (first > self->n_output_seen)
    {
      gsize len = strlen (lab_trace_get_string (trace, lines[first - 1].label)) + 1;

      if (burst + len > LAB_PROGRAM_PAGE_OUTPUT_KEEP)
        break;
      burst += len;
      first--;
    }
  for (guint i = self->n_output_seen; i < first; i++)
    {
      self->dropped_bytes += strlen (lab_trace_get_string (trace, lines[i].label)) + 1;
      self->dropped_lines++;
    }

  for (guint i = first; i < n; i++)
    {
      const char *text = lab_trace_get_string (trace, lines[i].label);
      gsize len = strlen (text);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (lines[i].flags & LAB_EVENT_FLAG_STDERR)
        gtk_text_buffer_insert_with_tags (buffer, &end, text, (int) len, self->stderr_tag, NULL);
      else
        gtk_text_buffer_insert (buffer, &end, text, (int) len);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
      g_queue_push_tail (&self->kept_lines, GSIZE_TO_POINTER (len + 1));
      self->kept_bytes += len + 1;
    }
  self->n_output_seen = n;
  self->last_ts_ns = lines[n - 1].ts_ns;
  self->last_label = lines[n - 1].label;

  while (self->kept_bytes > LAB_PROGRAM_PAGE_OUTPUT_KEEP)
    {
      gsize len = GPOINTER_TO_SIZE (g_queue_pop_head (&self->kept_lines));

      self->kept_bytes -= len;
      self->dropped_bytes += len;
      self->dropped_lines++;
      n_drop++;
    }
  if (n_drop > 0)
    {
      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_line (buffer, &end, (int) n_drop);
      gtk_text_buffer_delete (buffer, &start, &end);
    }
  show_dropped (self);

  /* Follow the newest line, as a terminal does. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_iter (self->output_view, &end, 0, FALSE, 0, 0);
}

char *
lab_program_page_dup_output (LabProgramPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

guint64
lab_program_page_get_dropped_bytes (LabProgramPage *self)
{
  g_return_val_if_fail (LAB_IS_PROGRAM_PAGE (self), 0);

  return self->dropped_bytes;
}
