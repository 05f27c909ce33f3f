/* lab-capture.c — what a child process wrote on one stream, kept within
 * bounds.
 *
 * A child may write a few bytes or a hundred megabytes. Memory stays the
 * same either way: the first LAB_CAPTURE_HEAD_BYTES are kept as they come,
 * the last LAB_CAPTURE_TAIL_BYTES in a ring, and the rest is only counted.
 * The same goes for lines shown in the output panel: the first
 * LAB_CAPTURE_MAX_LINES, each cut at LAB_CAPTURE_MAX_LINE_BYTES, then one
 * line that says how much was left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-capture.h"

#define LAB_REPLACEMENT_CHAR "\xEF\xBF\xBD" /* U+FFFD, 3 bytes in UTF-8 */

struct _LabCapture
{
  LabLane    *lane;          /* NULL: no output marks */
  guint16     flags;         /* LAB_EVENT_FLAG_OUTPUT | ... */

  guint64     n_bytes;
  GByteArray *head;          /* the first HEAD bytes */
  guint8     *tail;          /* ring of the last TAIL bytes after the head */
  gsize       tail_start;
  gsize       tail_len;

  GByteArray *line;          /* the line being collected (≤ MAX_LINE_BYTES) */
  gboolean    line_too_long; /* bytes of this line were cut */
  guint       n_lines_shown;
  guint64     lines_left_out;
  guint64     bytes_left_out;
  gboolean    left_out_open; /* the last left-out line has no newline yet */
};

LabCapture *
lab_capture_new (LabLane *lane,
                 guint16  flags)
{
  LabCapture *self = g_new0 (LabCapture, 1);

  self->lane = lane;
  self->flags = LAB_EVENT_FLAG_OUTPUT | flags;
  self->head = g_byte_array_new ();
  self->line = g_byte_array_new ();

  return self;
}

void
lab_capture_free (LabCapture *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->head);
  g_byte_array_unref (self->line);
  g_free (self->tail);
  g_free (self);
}

/* One character of @p: TRUE if it is valid UTF-8 other than NUL (kept as
 * is), FALSE if it becomes U+FFFD. *raw_len: the bytes it takes. */
static gboolean
sanitize_step (const guint8 *p,
               gsize         avail,
               gsize        *raw_len)
{
  gunichar c;

  if (*p < 0x80)
    {
      *raw_len = 1;
      return *p != 0;
    }

  c = g_utf8_get_char_validated ((const char *) p, (gssize) MIN (avail, 6));
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *raw_len = 1;
      return FALSE;
    }

  *raw_len = g_utf8_skip[*p];
  return TRUE;
}

/* Appends @raw as valid UTF-8 while the text stays within @budget bytes.
 * Returns how many bytes of @raw were used. */
static gsize
append_sanitized (GString      *out,
                  const guint8 *raw,
                  gsize         len,
                  gsize         budget)
{
  gsize used = 0;

  while (used < len)
    {
      gsize raw_len;
      gboolean valid = sanitize_step (raw + used, len - used, &raw_len);
      gsize out_len = valid ? raw_len : strlen (LAB_REPLACEMENT_CHAR);

      if (out->len + out_len > budget)
        break;
      if (valid)
        g_string_append_len (out, (const char *) raw + used, (gssize) raw_len);
      else
        g_string_append (out, LAB_REPLACEMENT_CHAR);
      used += raw_len;
    }

  return used;
}

/* The last part of @raw that fits in @budget bytes of text, appended to
 * @out. Returns how many bytes of @raw it stands for. */
static gsize
append_sanitized_tail (GString      *out,
                       const guint8 *raw,
                       gsize         len,
                       gsize         budget)
{
  gsize start = 0, text_len = 0, pos, raw_len;

  /* The tail may begin inside a character that the cut split. */
  while (start < len && start < 3 && (raw[start] & 0xC0) == 0x80)
    start++;

  for (pos = start; pos < len; pos += raw_len)
    text_len += sanitize_step (raw + pos, len - pos, &raw_len) ? raw_len
                                                               : strlen (LAB_REPLACEMENT_CHAR);

  while (text_len > budget && start < len)
    {
      text_len -= sanitize_step (raw + start, len - start, &raw_len) ? raw_len
                                                                     : strlen (LAB_REPLACEMENT_CHAR);
      start += raw_len;
    }

  append_sanitized (out, raw + start, len - start, G_MAXSIZE);
  return len - start;
}

static void
emit_line (LabCapture *self)
{
  LabRecorder *recorder = lab_lane_get_recorder (self->lane);
  g_autoptr(GString) text = g_string_new (NULL);
  gsize len = self->line->len;

  if (len > 0 && self->line->data[len - 1] == '\r')
    len--;
  append_sanitized (text, self->line->data, len, G_MAXSIZE);
  if (self->line_too_long)
    g_string_append (text, "…");

  lab_lane_mark (self->lane, lab_recorder_intern (recorder, text->str), 0, self->flags, 0);

  self->n_lines_shown++;
  g_byte_array_set_size (self->line, 0);
  self->line_too_long = FALSE;
}

static guint64
count_newlines (const guint8 *data,
                gsize         len)
{
  guint64 n = 0;

  for (gsize i = 0; i < len; i++)
    n += data[i] == '\n';

  return n;
}

static void
collect_lines (LabCapture   *self,
               const guint8 *data,
               gsize         len)
{
  const guint8 *p = data, *end = data + len;

  while (p < end)
    {
      const guint8 *newline;
      gsize segment, room;

      if (self->n_lines_shown >= LAB_CAPTURE_MAX_LINES)
        {
          /* Shown enough: count the rest for the "left out" line. */
          self->bytes_left_out += (guint64) (end - p);
          self->lines_left_out += count_newlines (p, (gsize) (end - p));
          self->left_out_open = end[-1] != '\n';
          return;
        }

      newline = memchr (p, '\n', (gsize) (end - p));
      segment = (gsize) ((newline != NULL ? newline : end) - p);
      room = LAB_CAPTURE_MAX_LINE_BYTES - MIN (self->line->len, LAB_CAPTURE_MAX_LINE_BYTES);
      if (segment > room)
        self->line_too_long = TRUE;
      g_byte_array_append (self->line, p, (guint) MIN (segment, room));

      if (newline == NULL)
        return;

      emit_line (self);
      p = newline + 1;
    }
}

void
lab_capture_append (LabCapture   *self,
                    const guint8 *data,
                    gsize         len)
{
  gsize to_head;

  if (len == 0)
    return;

  self->n_bytes += len;

  if (self->lane != NULL)
    collect_lines (self, data, len);

  to_head = MIN (len, LAB_CAPTURE_HEAD_BYTES - self->head->len);
  g_byte_array_append (self->head, data, (guint) to_head);
  data += to_head;
  len -= to_head;
  if (len == 0)
    return;

  /* Only the last TAIL bytes of this chunk can matter. */
  if (self->tail == NULL)
    self->tail = g_malloc (LAB_CAPTURE_TAIL_BYTES);
  if (len >= LAB_CAPTURE_TAIL_BYTES)
    {
      memcpy (self->tail, data + len - LAB_CAPTURE_TAIL_BYTES, LAB_CAPTURE_TAIL_BYTES);
      self->tail_start = 0;
      self->tail_len = LAB_CAPTURE_TAIL_BYTES;
      return;
    }

  for (gsize done = 0; done < len;)
    {
      gsize write_at = (self->tail_start + self->tail_len) % LAB_CAPTURE_TAIL_BYTES;
      gsize n = MIN (len - done, LAB_CAPTURE_TAIL_BYTES - write_at);

      memcpy (self->tail + write_at, data + done, n);
      done += n;
      self->tail_len += n;
      if (self->tail_len > LAB_CAPTURE_TAIL_BYTES)
        {
          /* The oldest bytes were overwritten. */
          self->tail_start = (self->tail_start + self->tail_len - LAB_CAPTURE_TAIL_BYTES)
                             % LAB_CAPTURE_TAIL_BYTES;
          self->tail_len = LAB_CAPTURE_TAIL_BYTES;
        }
    }
}

void
lab_capture_finish (LabCapture *self)
{
  LabRecorder *recorder;
  g_autofree char *size = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  const char *format;
  guint64 n;

  if (self->lane == NULL)
    return;

  if (self->line->len > 0 || self->line_too_long)
    emit_line (self);

  if (self->bytes_left_out == 0)
    return;

  n = self->lines_left_out + (self->left_out_open ? 1 : 0);
  recorder = lab_lane_get_recorder (self->lane);
  size = g_format_size (self->bytes_left_out);
  count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  /* Translators: the last line of a child's output in the output panel;
   * the first %s is a number of lines, the second a size such as "99.9 MB" */
  format = g_dngettext (GETTEXT_PACKAGE, "[… %s more line (%s) not shown …]",
                        "[… %s more lines (%s) not shown …]", (gulong) MIN (n, G_MAXULONG));
  text = g_strdup_printf (format, count, size);
  lab_lane_mark (self->lane, lab_recorder_intern (recorder, text), 0,
                 self->flags | LAB_EVENT_FLAG_HIGHLIGHT, 0);
  self->bytes_left_out = 0;
}

guint64
lab_capture_get_n_bytes (LabCapture *self)
{
  return self->n_bytes;
}

guint
lab_capture_get_n_lines_shown (LabCapture *self)
{
  return self->n_lines_shown;
}

char *
lab_capture_to_text (LabCapture *self,
                     gboolean   *was_cut)
{
  GString *out = g_string_new (NULL);
  g_autofree guint8 *raw = NULL;
  g_autofree char *size = NULL;
  gsize raw_len, head_used, tail_used;
  guint64 cut;

  /* Head and tail side by side, in order. */
  raw_len = self->head->len + self->tail_len;
  raw = g_malloc (MAX (raw_len, 1));
  if (self->head->len > 0)
    memcpy (raw, self->head->data, self->head->len);
  for (gsize i = 0; i < self->tail_len; i++)
    raw[self->head->len + i] = self->tail[(self->tail_start + i) % LAB_CAPTURE_TAIL_BYTES];

  /* Nothing was dropped between them, and the text fits: all of it. */
  if (self->n_bytes == raw_len &&
      append_sanitized (out, raw, raw_len,
                        LAB_CAPTURE_HEAD_BYTES + LAB_CAPTURE_TAIL_BYTES) == raw_len)
    {
      if (was_cut != NULL)
        *was_cut = FALSE;
      return g_string_free (out, FALSE);
    }

  g_string_truncate (out, 0);
  head_used = append_sanitized (out, raw, self->head->len, LAB_CAPTURE_HEAD_BYTES);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  /* Where the cut goes is known only once the tail is measured. */
  {
    g_autoptr(GString) tail = g_string_new (NULL);

    tail_used = append_sanitized_tail (tail, raw + self->head->len, self->tail_len,
                                       LAB_CAPTURE_TAIL_BYTES);
    cut = self->n_bytes - head_used - tail_used;
    size = g_format_size (cut);
    /* Translators: put in the middle of a child's long output where bytes
     * were left out; %s is a size such as "99.9 MB" */
    g_string_append_printf (out, _("[… %s cut …]"), size);
    g_string_append_c (out, '\n');
    g_string_append_len (out, tail->str, (gssize) tail->len);
  }

  if (was_cut != NULL)
    *was_cut = TRUE;
  return g_string_free (out, FALSE);
}
