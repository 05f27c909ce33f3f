/* lab-http-connection.c — one connection of the loopback HTTP server: read
 * a request head, answer it as lab-http-route.c planned (wait, send the
 * head, send the body at once or in pieces, maybe reset), and again while
 * the client keeps the connection alive. Runs on a thread of the service's
 * pool, with blocking IO that the server's GCancellable interrupts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "lab-http-server-private.h"

#define LAB_HTTP_MAX_REQUESTS_PER_CONNECTION 100
/* Before a reset: how long to let the half body reach the client. */
#define LAB_HTTP_RESET_DRAIN_US              (200 * G_TIME_SPAN_MILLISECOND)

typedef enum
{
  LAB_HTTP_HEAD_OK,
  LAB_HTTP_HEAD_CLOSED,    /* end of stream, idle timeout or stop */
  LAB_HTTP_HEAD_TOO_LARGE,
  LAB_HTTP_HEAD_GARBAGE,
} LabHttpHeadResult;

static const char lab_http_line[] =
  "Concurrency Lab loopback server: the same line, again and again.\n";
static const char lab_http_page_head[] =
  "<!DOCTYPE html>\n"
  "<html><head><title>A page of the Concurrency Lab loopback server</title></head>\n"
  "<body><pre>\n";

void
lab_http_server_fill_body (gboolean  html,
                           gint64    offset,
                           guint8   *buffer,
                           gsize     length)
{
  const gsize head_length = sizeof lab_http_page_head - 1;
  const gsize line_length = sizeof lab_http_line - 1;

  for (gsize i = 0; i < length; i++)
    {
      guint64 at = (guint64) offset + i;

      if (html && at < head_length)
        {
          buffer[i] = (guint8) lab_http_page_head[at];
          continue;
        }
      if (html)
        at -= head_length;
      buffer[i] = (guint8) lab_http_line[at % line_length];
    }
}

static gboolean
send_all (LabHttpServer *self,
          GSocket       *socket,
          const guint8  *data,
          gsize          length)
{
  while (length > 0)
    {
      gssize n = g_socket_send (socket, (const char *) data, length, lab_http_server_get_cancellable (self), NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* Index just past the empty line that ends the head, or 0. */
static gsize
find_head_end (const GByteArray *buffer)
{
  for (gsize i = 0; i < buffer->len; i++)
    {
      if (buffer->data[i] != '\n')
        continue;
      if (i + 1 < buffer->len && buffer->data[i + 1] == '\n')
        return i + 2;
      if (i + 2 < buffer->len && buffer->data[i + 1] == '\r' && buffer->data[i + 2] == '\n')
        return i + 3;
    }
  return 0;
}

static gboolean
receive_more (LabHttpServer *self,
              GSocket       *socket,
              GByteArray    *buffer)
{
  guint8 chunk[4096];
  gssize n;

  if (!g_socket_condition_timed_wait (socket, G_IO_IN,
                                      LAB_HTTP_SERVER_IDLE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND,
                                      lab_http_server_get_cancellable (self), NULL))
    return FALSE;

  n = g_socket_receive (socket, (char *) chunk, sizeof chunk, lab_http_server_get_cancellable (self), NULL);
  if (n <= 0)
    return FALSE;
  g_byte_array_append (buffer, chunk, (guint) n);
  return TRUE;
}

static LabHttpHeadResult
read_head (LabHttpServer *self,
           GSocket       *socket,
           GByteArray    *buffer,
           gsize         *head_length)
{
  for (;;)
    {
      const guint8 *newline;
      gsize skip = 0;

      /* Empty lines before a request line are allowed (RFC 9112 §2.2). */
      while (skip < buffer->len && (buffer->data[skip] == '\r' || buffer->data[skip] == '\n'))
        skip++;
      if (skip > 0)
        g_byte_array_remove_range (buffer, 0, (guint) skip);

      *head_length = find_head_end (buffer);
      if (*head_length > 0)
        return LAB_HTTP_HEAD_OK;

      /* Answer garbage as soon as its first line shows it is garbage. */
      newline = buffer->len > 0 ? memchr (buffer->data, '\n', buffer->len) : NULL;
      if (newline != NULL &&
          lab_http_line_is_garbage ((const char *) buffer->data, (gsize) (newline - buffer->data)))
        return LAB_HTTP_HEAD_GARBAGE;
      if (buffer->len > 0 && !g_ascii_isupper (buffer->data[0]))
        return LAB_HTTP_HEAD_GARBAGE;
      if (buffer->len >= LAB_HTTP_SERVER_MAX_HEADER)
        return LAB_HTTP_HEAD_TOO_LARGE;

      if (!receive_more (self, socket, buffer))
        return LAB_HTTP_HEAD_CLOSED;
    }
}

static gboolean
discard_body (LabHttpServer *self,
              GSocket       *socket,
              GByteArray    *buffer,
              gint64         length)
{
  while (length > 0)
    {
      guint n;

      if (buffer->len == 0 && !receive_more (self, socket, buffer))
        return FALSE;
      n = (guint) MIN ((gint64) buffer->len, length);
      g_byte_array_remove_range (buffer, 0, n);
      length -= n;
    }
  return TRUE;
}

/* IMF-fixdate, always in English (RFC 9110 §5.6.7). */
static char *
format_http_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d GMT",
                          days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1],
                          g_date_time_get_year (now),
                          g_date_time_get_hour (now),
                          g_date_time_get_minute (now),
                          g_date_time_get_second (now));
}

static gboolean
send_head (LabHttpServer     *self,
           GSocket           *socket,
           const LabHttpPlan *plan)
{
  g_autoptr(GString) head = g_string_sized_new (256);
  g_autofree char *date = format_http_date ();

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", plan->status,
                          lab_http_reason_phrase (plan->status));
  g_string_append_printf (head, "Date: %s\r\n", date);
  g_string_append (head, "Server: ConcurrencyLab\r\n");
  if (lab_http_status_has_body (plan->status))
    {
      g_string_append_printf (head, "Content-Type: %s; charset=utf-8\r\n",
                              plan->html ? "text/html" : "text/plain");
      g_string_append_printf (head, "Content-Length: %" G_GINT64_FORMAT "\r\n", plan->size);
    }
  if (plan->location != NULL)
    g_string_append_printf (head, "Location: %s\r\n", plan->location);
  if (plan->allow != NULL)
    g_string_append_printf (head, "Allow: %s\r\n", plan->allow);
  g_string_append_printf (head, "Connection: %s\r\n\r\n", plan->close ? "close" : "keep-alive");

  return send_all (self, socket, (const guint8 *) head->str, head->len);
}

static gboolean
send_body_range (LabHttpServer     *self,
                 GSocket           *socket,
                 const LabHttpPlan *plan,
                 gint64             offset,
                 gint64             length)
{
  guint8 buffer[16384];

  if (plan->message != NULL)
    return send_all (self, socket, (const guint8 *) plan->message + offset, (gsize) length);

  while (length > 0)
    {
      gsize n = (gsize) MIN (length, (gint64) sizeof buffer);

      lab_http_server_fill_body (plan->html, offset, buffer, n);
      if (!send_all (self, socket, buffer, n))
        return FALSE;
      offset += (gint64) n;
      length -= (gint64) n;
    }
  return TRUE;
}

/* A TCP reset rather than an orderly close: SO_LINGER with a zero timeout
 * makes close() send RST. What was sent is first given a moment to leave
 * the send queue, so the client reliably sees the half body. */
static void
reset_connection (GSocket *socket)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };
  int fd = g_socket_get_fd (socket);
  gint64 deadline = g_get_monotonic_time () + LAB_HTTP_RESET_DRAIN_US;
  int queued = 0;

  while (ioctl (fd, TIOCOUTQ, &queued) == 0 && queued > 0 &&
         g_get_monotonic_time () < deadline)
    g_usleep (G_TIME_SPAN_MILLISECOND);

  /* GSocket's option setter only takes an int; SO_LINGER needs a struct. */
  if (setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger) != 0)
    g_debug ("SO_LINGER: %s", g_strerror (errno));
  g_socket_close (socket, NULL);
}

/* Answers one request; FALSE when the connection is gone (or must go). */
static gboolean
respond (LabHttpServer     *self,
         GSocket           *socket,
         gboolean           head_only,
         const LabHttpPlan *plan)
{
  gint64 limit, piece, offset = 0;

  if (plan->delay_ms > 0 && !lab_http_server_wait_ms (self, plan->delay_ms))
    return FALSE;
  if (!send_head (self, socket, plan))
    return FALSE;
  if (head_only || !lab_http_status_has_body (plan->status))
    return TRUE;

  limit = plan->reset ? plan->size / 2 : plan->size;
  piece = plan->chunk > 0 ? plan->chunk : MAX (limit, 1);
  while (offset < limit)
    {
      gint64 n = MIN (piece, limit - offset);

      if (!send_body_range (self, socket, plan, offset, n))
        return FALSE;
      offset += n;
      if (plan->chunk > 0 && offset < limit && plan->interval_ms > 0 &&
          !lab_http_server_wait_ms (self, plan->interval_ms))
        return FALSE;
    }

  if (plan->reset)
    {
      reset_connection (socket);
      return FALSE;
    }
  return TRUE;
}

void
lab_http_serve_connection (LabHttpServer *self,
                           GSocket       *socket)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint served = 0;
  gboolean open = TRUE;

  while (open)
    {
      LabHttpRequest request = { 0 };
      LabHttpPlan plan = { 0 };
      gsize head_length = 0;
      gboolean valid = FALSE;

      switch (read_head (self, socket, buffer, &head_length))
        {
        case LAB_HTTP_HEAD_CLOSED:
          return;
        case LAB_HTTP_HEAD_TOO_LARGE:
          lab_http_plan_error (&plan, 431, NULL);
          break;
        case LAB_HTTP_HEAD_GARBAGE:
          lab_http_plan_error (&plan, 400, "not an HTTP request");
          break;
        case LAB_HTTP_HEAD_OK:
          valid = lab_http_parse_head ((const char *) buffer->data, head_length, &request, &plan);
          g_byte_array_remove_range (buffer, 0, (guint) head_length);
          if (valid && !discard_body (self, socket, buffer, request.content_length))
            {
              lab_http_request_clear (&request);
              return;
            }
          if (valid)
            lab_http_route (&request, &plan);
          break;
        default:
          g_assert_not_reached ();
        }

      /* After a request the parser refused, the stream cannot be trusted. */
      if (!valid || !request.keep_alive ||
          ++served >= LAB_HTTP_MAX_REQUESTS_PER_CONNECTION)
        plan.close = TRUE;

      open = respond (self, socket, request.head, &plan) && !plan.close;

      lab_http_server_count_request (self);

      lab_http_request_clear (&request);
      lab_http_plan_clear (&plan);
    }
}
