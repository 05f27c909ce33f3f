/* lab-wire.c — frames of the worker protocol: writing them (with writev,
 * large blocks referenced rather than copied) and reading them from a byte
 * stream, checking each header before its length is trusted.
 *
 * The payloads of the single frame types are in lab-wire-payload.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lab-wire-private.h"

/* Referenced blocks smaller than this are copied: a syscall segment per
 * tiny block would cost more than the copy. */
#define LAB_WIRE_REF_MIN 4096
/* Segments handed to one writev(). */
#define LAB_WIRE_IOV_BATCH 64

G_DEFINE_QUARK (lab-wire-error-quark, lab_wire_error)

const char *
lab_wire_type_to_string (guint type)
{
  switch (type)
    {
    case LAB_WIRE_FRAME_HELLO:  return "HELLO";
    case LAB_WIRE_FRAME_TASK:   return "TASK";
    case LAB_WIRE_FRAME_QUIT:   return "QUIT";
    case LAB_WIRE_FRAME_READY:  return "READY";
    case LAB_WIRE_FRAME_RESULT: return "RESULT";
    case LAB_WIRE_FRAME_EVENTS: return "EVENTS";
    case LAB_WIRE_FRAME_ERROR:  return "ERROR";
    case LAB_WIRE_FRAME_PROGRESS: return "PROGRESS";
    default:              return NULL;
    }
}

const char *
lab_wire_function_name (guint32 function)
{
  switch (function)
    {
    case LAB_WIRE_FN_DOUBLE:      return "multiplier";
    case LAB_WIRE_FN_SUM_ARRAY:   return "sum";
    case LAB_WIRE_FN_SUM_N:       return "sum_n";
    case LAB_WIRE_FN_APPEND_ITEM: return "worker";
    case LAB_WIRE_FN_QUEUE_PUT:   return "q.put";
    default:                      return NULL;
    }
}

gboolean
lab_wire_function_in_main (guint32 function)
{
  return lab_wire_function_name (function) != NULL && function != LAB_WIRE_FN_QUEUE_PUT;
}

/* ---- writing ---- */

typedef struct
{
  const guint8 *ext;    /* NULL: bytes of `owned` at offset */
  gsize         offset;
  gsize         length;
} LabWireSegment;

struct _LabWireWriter
{
  GByteArray *owned;
  GArray     *segments;     /* LabWireSegment */
  gsize       size;
  gboolean    in_frame;
  gsize       frame_header; /* offset in `owned` of the open frame's header */
  gsize       frame_start;  /* `size` right after that header */

  /* How far writing has come. */
  guint       seg_index;
  gsize       seg_offset;
  gsize       written;
};

LabWireWriter *
lab_wire_writer_new (void)
{
  LabWireWriter *writer = g_new0 (LabWireWriter, 1);

  writer->owned = g_byte_array_sized_new (256);
  writer->segments = g_array_sized_new (FALSE, FALSE, sizeof (LabWireSegment), 8);
  return writer;
}

void
lab_wire_writer_free (LabWireWriter *writer)
{
  if (writer == NULL)
    return;
  g_byte_array_unref (writer->owned);
  g_array_unref (writer->segments);
  g_free (writer);
}

void
lab_wire_writer_reset (LabWireWriter *writer)
{
  g_byte_array_set_size (writer->owned, 0);
  g_array_set_size (writer->segments, 0);
  writer->size = 0;
  writer->in_frame = FALSE;
  writer->seg_index = 0;
  writer->seg_offset = 0;
  writer->written = 0;
}

void
lab_wire_put_bytes (LabWireWriter *writer,
                    const void    *data,
                    gsize          n)
{
  LabWireSegment *last = NULL;

  if (n == 0)
    return;
  if (writer->segments->len > 0)
    last = &g_array_index (writer->segments, LabWireSegment, writer->segments->len - 1);

  if (last != NULL && last->ext == NULL && last->offset + last->length == writer->owned->len)
    last->length += n;
  else
    {
      LabWireSegment segment = { NULL, writer->owned->len, n };

      g_array_append_val (writer->segments, segment);
    }
  g_byte_array_append (writer->owned, data, (guint) n);
  writer->size += n;
}

void
lab_wire_put_ref (LabWireWriter *writer,
                  const void    *data,
                  gsize          n)
{
  LabWireSegment segment = { data, 0, n };

  if (n < LAB_WIRE_REF_MIN)
    {
      lab_wire_put_bytes (writer, data, n);
      return;
    }
  g_array_append_val (writer->segments, segment);
  writer->size += n;
}

void
lab_wire_put_u32 (LabWireWriter *writer,
                  guint32        value)
{
  guint32 le = GUINT32_TO_LE (value);

  lab_wire_put_bytes (writer, &le, sizeof le);
}

void
lab_wire_put_u64 (LabWireWriter *writer,
                  guint64        value)
{
  guint64 le = GUINT64_TO_LE (value);

  lab_wire_put_bytes (writer, &le, sizeof le);
}

void
lab_wire_put_i64 (LabWireWriter *writer,
                  gint64         value)
{
  lab_wire_put_u64 (writer, (guint64) value);
}

void
lab_wire_put_padding (LabWireWriter *writer,
                      gsize          n,
                      gsize          align)
{
  static const guint8 zeros[8] = { 0 };
  gsize pad = (align - n % align) % align;

  lab_wire_put_bytes (writer, zeros, pad);
}

void
lab_wire_begin_frame (LabWireWriter *writer,
                      LabWireType    type)
{
  guint16 version = GUINT16_TO_LE (LAB_WIRE_VERSION);
  guint16 type_le = GUINT16_TO_LE ((guint16) type);

  g_return_if_fail (!writer->in_frame);

  writer->in_frame = TRUE;
  /* The header is copied into `owned`, where end_frame patches the length. */
  writer->frame_header = writer->owned->len;
  lab_wire_put_u32 (writer, LAB_WIRE_MAGIC);
  lab_wire_put_bytes (writer, &version, sizeof version);
  lab_wire_put_bytes (writer, &type_le, sizeof type_le);
  lab_wire_put_u32 (writer, 0); /* length, patched by end_frame */
  lab_wire_put_u32 (writer, 0); /* reserved */
  writer->frame_start = writer->size;
}

gboolean
lab_wire_end_frame (LabWireWriter  *writer,
                    GError        **error)
{
  gsize length = writer->size - writer->frame_start;
  guint32 le;

  g_return_val_if_fail (writer->in_frame, FALSE);
  writer->in_frame = FALSE;

  if (length > LAB_WIRE_MAX_PAYLOAD)
    {
      g_autofree char *size = g_format_size_full (length, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *limit = g_format_size_full (LAB_WIRE_MAX_PAYLOAD, G_FORMAT_SIZE_LONG_FORMAT);

      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TOO_LONG,
                   /* Translators: a message to a worker process would be too
                    * big; both are sizes such as "300 MB" */
                   _("A message of %s is longer than the protocol allows (%s)"),
                   size, limit);
      return FALSE;
    }

  le = GUINT32_TO_LE ((guint32) length);
  memcpy (writer->owned->data + writer->frame_header + 8, &le, sizeof le);
  return TRUE;
}

gsize
lab_wire_writer_get_size (LabWireWriter *writer)
{
  return writer->size;
}

gsize
lab_wire_writer_get_written (LabWireWriter *writer)
{
  return writer->written;
}

gboolean
lab_wire_writer_is_done (LabWireWriter *writer)
{
  return writer->written == writer->size;
}

static const guint8 *
segment_data (LabWireWriter        *writer,
              const LabWireSegment *segment)
{
  return segment->ext != NULL ? segment->ext : writer->owned->data + segment->offset;
}

/* Moves the write position @n bytes on. */
static void
writer_consume (LabWireWriter *writer,
                gsize          n)
{
  writer->written += n;
  while (n > 0)
    {
      const LabWireSegment *segment =
        &g_array_index (writer->segments, LabWireSegment, writer->seg_index);
      gsize left = segment->length - writer->seg_offset;

      if (n < left)
        {
          writer->seg_offset += n;
          return;
        }
      n -= left;
      writer->seg_index++;
      writer->seg_offset = 0;
    }
}

gssize
lab_wire_writer_write_fd (LabWireWriter *writer,
                          int            fd)
{
  gsize total = 0;

  g_return_val_if_fail (!writer->in_frame, -1);

  while (writer->written < writer->size)
    {
      struct iovec iov[LAB_WIRE_IOV_BATCH];
      int n_iov = 0;
      ssize_t n;

      for (guint s = writer->seg_index;
           s < writer->segments->len && n_iov < LAB_WIRE_IOV_BATCH; s++)
        {
          const LabWireSegment *segment = &g_array_index (writer->segments, LabWireSegment, s);
          gsize skip = s == writer->seg_index ? writer->seg_offset : 0;

          if (segment->length == skip)
            continue;
          iov[n_iov].iov_base = (void *) (segment_data (writer, segment) + skip);
          iov[n_iov].iov_len = segment->length - skip;
          n_iov++;
        }

      n = writev (fd, iov, n_iov);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (n < 0)
        return -1;
      writer_consume (writer, (gsize) n);
      total += (gsize) n;
    }
  return (gssize) total;
}

GBytes *
lab_wire_writer_to_bytes (LabWireWriter *writer)
{
  guint8 *data = g_malloc (MAX (writer->size, 1));
  gsize pos = 0;

  for (guint s = 0; s < writer->segments->len; s++)
    {
      const LabWireSegment *segment = &g_array_index (writer->segments, LabWireSegment, s);

      if (segment->length > 0)
        memcpy (data + pos, segment_data (writer, segment), segment->length);
      pos += segment->length;
    }
  return g_bytes_new_take (data, writer->size);
}

/* ---- reading ---- */

struct _LabWireReader
{
  guint8        header[LAB_WIRE_HEADER_SIZE];
  gsize         header_have;
  gboolean      header_done;
  LabWireFrame  frame;         /* the frame being read */
  gsize         payload_have;
  gboolean      ready;         /* `frame` is complete, waiting for pop() */
  gboolean      broken;
};

void
lab_wire_frame_clear (LabWireFrame *frame)
{
  g_clear_pointer (&frame->payload, g_free);
  frame->length = 0;
  frame->type = 0;
}

LabWireReader *
lab_wire_reader_new (void)
{
  return g_new0 (LabWireReader, 1);
}

void
lab_wire_reader_free (LabWireReader *reader)
{
  if (reader == NULL)
    return;
  lab_wire_frame_clear (&reader->frame);
  g_free (reader);
}

guint8 *
lab_wire_reader_want (LabWireReader *reader,
                      gsize         *n)
{
  if (reader->ready || reader->broken)
    {
      *n = 0;
      return NULL;
    }
  if (!reader->header_done)
    {
      *n = LAB_WIRE_HEADER_SIZE - reader->header_have;
      return reader->header + reader->header_have;
    }
  *n = reader->frame.length - reader->payload_have;
  return reader->frame.payload + reader->payload_have;
}

static guint32
read_u32 (const guint8 *p)
{
  guint32 value;

  memcpy (&value, p, sizeof value);
  return GUINT32_FROM_LE (value);
}

static guint16
read_u16 (const guint8 *p)
{
  guint16 value;

  memcpy (&value, p, sizeof value);
  return GUINT16_FROM_LE (value);
}

/* Checks what there is of the header so far: garbage is caught as early
 * as its first four bytes. */
static gboolean
check_header (LabWireReader  *reader,
              GError        **error)
{
  const guint8 *h = reader->header;
  gsize have = reader->header_have;

  if (have >= 4 && read_u32 (h) != LAB_WIRE_MAGIC)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_MAGIC,
                   /* Translators: data from or to a worker process was not a
                    * message of its protocol; %02x are byte values */
                   _("Not a worker protocol frame (bad magic bytes %02x %02x %02x %02x)"),
                   h[0], h[1], h[2], h[3]);
      return FALSE;
    }
  if (have >= 6 && read_u16 (h + 4) != LAB_WIRE_VERSION)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_VERSION,
                   /* Translators: the app and its worker helper speak
                    * different versions of their protocol */
                   _("Worker protocol version %u, but this program speaks version %u"),
                   read_u16 (h + 4), LAB_WIRE_VERSION);
      return FALSE;
    }
  if (have >= 8 && lab_wire_type_to_string (read_u16 (h + 6)) == NULL)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_BAD_TYPE,
                   /* Translators: a worker protocol frame of a kind nobody knows */
                   _("Unknown worker protocol frame type %u"), read_u16 (h + 6));
      return FALSE;
    }
  if (have >= 12 && read_u32 (h + 8) > LAB_WIRE_MAX_PAYLOAD)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TOO_LONG,
                   /* Translators: a worker protocol frame claims to be
                    * longer than allowed; both are numbers of bytes */
                   _("Worker protocol frame of %u bytes is longer than the limit of %u bytes"),
                   read_u32 (h + 8), LAB_WIRE_MAX_PAYLOAD);
      return FALSE;
    }
  if (have >= 16 && read_u32 (h + 12) != 0)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a field of a worker protocol frame that
                    * must be zero was not */
                   _("Worker protocol frame with a non-zero reserved field"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
reader_fail (LabWireReader  *reader,
             GError        **error)
{
  reader->broken = TRUE;
  lab_wire_frame_clear (&reader->frame);
  return FALSE;
}

gboolean
lab_wire_reader_advance (LabWireReader  *reader,
                         gsize           n,
                         GError        **error)
{
  g_return_val_if_fail (!reader->broken && !reader->ready, FALSE);

  if (!reader->header_done)
    {
      g_return_val_if_fail (n <= LAB_WIRE_HEADER_SIZE - reader->header_have, FALSE);
      reader->header_have += n;
      if (!check_header (reader, error))
        return reader_fail (reader, error);
      if (reader->header_have < LAB_WIRE_HEADER_SIZE)
        return TRUE;

      reader->header_done = TRUE;
      reader->frame.type = read_u16 (reader->header + 6);
      reader->frame.length = read_u32 (reader->header + 8);
      reader->payload_have = 0;
      if (reader->frame.length > 0)
        {
          reader->frame.payload = g_try_malloc (reader->frame.length);
          if (reader->frame.payload == NULL)
            {
              g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TOO_LONG,
                           /* Translators: no memory for a message from a worker */
                           _("No memory for a worker protocol frame of %u bytes"),
                           (guint) reader->frame.length);
              return reader_fail (reader, error);
            }
        }
    }
  else
    {
      g_return_val_if_fail (n <= reader->frame.length - reader->payload_have, FALSE);
      reader->payload_have += n;
    }

  if (reader->header_done && reader->payload_have == reader->frame.length)
    reader->ready = TRUE;
  return TRUE;
}

gssize
lab_wire_reader_feed (LabWireReader  *reader,
                      const guint8   *data,
                      gsize           n,
                      GError        **error)
{
  gsize taken = 0;

  if (reader->broken)
    {
      g_set_error_literal (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                           /* Translators: more data came after garbage */
                           _("The worker protocol stream is broken"));
      return -1;
    }

  while (taken < n && !reader->ready)
    {
      gsize want;
      guint8 *dest = lab_wire_reader_want (reader, &want);
      gsize step = MIN (want, n - taken);

      if (step > 0)
        memcpy (dest, data + taken, step);
      if (!lab_wire_reader_advance (reader, step, error))
        return -1;
      taken += step;
    }
  return (gssize) taken;
}

gboolean
lab_wire_reader_pop (LabWireReader *reader,
                     LabWireFrame  *frame)
{
  if (!reader->ready)
    return FALSE;

  *frame = reader->frame;
  memset (&reader->frame, 0, sizeof reader->frame);
  reader->ready = FALSE;
  reader->header_done = FALSE;
  reader->header_have = 0;
  reader->payload_have = 0;
  return TRUE;
}

gboolean
lab_wire_reader_is_mid_frame (LabWireReader *reader)
{
  return !reader->ready && (reader->header_have > 0 || reader->header_done);
}

gboolean
lab_wire_reader_finish (LabWireReader  *reader,
                        GError        **error)
{
  if (!lab_wire_reader_is_mid_frame (reader))
    return TRUE;

  if (!reader->header_done)
    g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TRUNCATED,
                 /* Translators: the stream from or to a worker process
                  * ended in the middle of a message header */
                 _("The worker protocol stream ended inside a frame header (%u of %u bytes)"),
                 (guint) reader->header_have, LAB_WIRE_HEADER_SIZE);
  else
    g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_TRUNCATED,
                 /* Translators: the stream from or to a worker process
                  * ended in the middle of a message; %s is its type,
                  * e.g. RESULT */
                 _("The worker protocol stream ended inside a %s frame (%lu of %lu bytes)"),
                 lab_wire_type_to_string (reader->frame.type),
                 (gulong) reader->payload_have, (gulong) reader->frame.length);
  return reader_fail (reader, error);
}
