/* lab-http-route.c — what the loopback HTTP server answers: the request
 * parser (strict enough to answer 400 to anything that is not HTTP/1.x)
 * and the router that turns a path and its query into a LabHttpPlan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-http-server-private.h"

/* Request bodies are never used; a client may still send a small one. */
#define LAB_HTTP_MAX_REQUEST_BODY (1024 * 1024)
#define LAB_HTTP_MAX_INTERVAL_MS  10000
#define LAB_HTTP_PAGE_SIZE        2000
#define LAB_HTTP_SLOW_CHUNK       1024
#define LAB_HTTP_SLOW_INTERVAL_MS 100

static const char lab_http_index[] =
  "<!DOCTYPE html>\n"
  "<html><head><title>Concurrency Lab loopback server</title></head><body>\n"
  "<h1>Concurrency Lab loopback server</h1>\n"
  "<ul>\n"
  "<li>/page[/NAME] &mdash; an HTML page</li>\n"
  "<li>/delay/MS &mdash; wait MS milliseconds, then answer</li>\n"
  "<li>/bytes/N &mdash; an N-byte body</li>\n"
  "<li>/status/CODE &mdash; answer with that status</li>\n"
  "<li>/slow/N?chunk=K&amp;interval=MS &mdash; N bytes, K at a time</li>\n"
  "<li>/reset/N &mdash; announce N bytes, send half, reset</li>\n"
  "<li>/redirect/N &mdash; N redirects before the answer</li>\n"
  "</ul>\n"
  "<p>Query parameters work on every path: delay, size, status, chunk, "
  "interval, reset.</p>\n"
  "</body></html>\n";

const char *
lab_http_reason_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default:  return "Unknown";
    }
}

gboolean
lab_http_status_has_body (guint status)
{
  return status >= 200 && status != 204 && status != 304;
}

void
lab_http_request_clear (LabHttpRequest *request)
{
  g_clear_pointer (&request->target, g_free);
  g_clear_pointer (&request->query, g_free);
  memset (request, 0, sizeof *request);
}

void
lab_http_plan_clear (LabHttpPlan *plan)
{
  g_clear_pointer (&plan->message, g_free);
  g_clear_pointer (&plan->location, g_free);
  g_clear_pointer (&plan->allow, g_free);
  memset (plan, 0, sizeof *plan);
}

static void
plan_set_message (LabHttpPlan *plan,
                  char        *message) /* takes it */
{
  g_free (plan->message);
  plan->message = message;
  plan->size = (gint64) strlen (message);
}

void
lab_http_plan_error (LabHttpPlan *plan,
                     guint        status,
                     const char  *detail)
{
  lab_http_plan_clear (plan);
  plan->status = status;
  /* After an error the rest of the stream cannot be trusted. */
  plan->close = status == 400 || status == 413 || status == 431 || status >= 500;
  plan_set_message (plan, g_strdup_printf ("%u %s%s%s\n", status,
                                           lab_http_reason_phrase (status),
                                           detail ? ": " : "", detail ? detail : ""));
}

/* RFC 9110 token characters (method and field names). */
static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_token (const char *s,
          gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!is_tchar (s[i]))
      return FALSE;
  return TRUE;
}

gboolean
lab_http_line_is_garbage (const char *line,
                          gsize       length)
{
  const char *space = memchr (line, ' ', length);

  /* A request line starts with a method token and a space. */
  return space == NULL || !is_token (line, (gsize) (space - line));
}

/* Splits the request target into path and query; accepts the origin form
 * ("/a?b") and the absolute form ("http://host/a?b"). */
static gboolean
parse_target (const char     *target,
              LabHttpRequest *request)
{
  const char *path = target;
  const char *query;

  if (g_ascii_strncasecmp (target, "http://", 7) == 0)
    {
      path = strchr (target + 7, '/');
      if (path == NULL)
        path = "/";
    }
  if (path[0] != '/')
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      return FALSE;

  query = strchr (path, '?');
  if (query != NULL)
    {
      request->target = g_strndup (path, (gsize) (query - path));
      request->query = g_strdup (query + 1);
    }
  else
    {
      request->target = g_strdup (path);
    }
  return TRUE;
}

/* A header field: sets what the server cares about; FALSE + plan on error. */
static gboolean
parse_field (const char     *line,
             gboolean        http10,
             LabHttpRequest *request,
             LabHttpPlan    *plan,
             guint          *n_hosts)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (line[0] == ' ' || line[0] == '\t')
    {
      lab_http_plan_error (plan, 400, "folded header lines are not allowed");
      return FALSE;
    }
  if (colon == NULL || !is_token (line, (gsize) (colon - line)))
    {
      lab_http_plan_error (plan, 400, "malformed header line");
      return FALSE;
    }

  name = g_strndup (line, (gsize) (colon - line));
  value = g_strstrip (g_strdup (colon + 1));

  if (g_ascii_strcasecmp (name, "Host") == 0)
    {
      (*n_hosts)++;
    }
  else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
    {
      guint64 length;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &length, NULL))
        {
          lab_http_plan_error (plan, 400, "bad Content-Length");
          return FALSE;
        }
      if (length > LAB_HTTP_MAX_REQUEST_BODY)
        {
          lab_http_plan_error (plan, 413, NULL);
          return FALSE;
        }
      request->content_length = (gint64) length;
    }
  else if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
    {
      lab_http_plan_error (plan, 501, "request bodies with a Transfer-Encoding");
      return FALSE;
    }
  else if (g_ascii_strcasecmp (name, "Connection") == 0)
    {
      g_auto(GStrv) options = g_strsplit (value, ",", -1);

      for (guint i = 0; options[i] != NULL; i++)
        {
          const char *option = g_strstrip (options[i]);

          if (g_ascii_strcasecmp (option, "close") == 0)
            request->keep_alive = FALSE;
          else if (http10 && g_ascii_strcasecmp (option, "keep-alive") == 0)
            request->keep_alive = TRUE;
        }
    }

  return TRUE;
}

gboolean
lab_http_parse_head (const char     *head,
                     gsize           length,
                     LabHttpRequest *request,
                     LabHttpPlan    *plan)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) parts = NULL;
  const char *version;
  gboolean http10;
  guint n_hosts = 0;
  guint i;

  memset (request, 0, sizeof *request);

  if (memchr (head, '\0', length) != NULL)
    {
      lab_http_plan_error (plan, 400, "NUL byte in the request");
      return FALSE;
    }

  copy = g_strndup (head, length);
  lines = g_strsplit (copy, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      gsize n = strlen (lines[i]);

      if (n > 0 && lines[i][n - 1] == '\r')
        lines[i][n - 1] = '\0';
    }

  /* method SP request-target SP HTTP-version, nothing more */
  parts = g_strsplit (lines[0], " ", -1);
  if (g_strv_length (parts) != 3 || !is_token (parts[0], strlen (parts[0])) ||
      !g_str_has_prefix (parts[2], "HTTP/"))
    {
      lab_http_plan_error (plan, 400, "not an HTTP request line");
      return FALSE;
    }

  version = parts[2];
  if (strcmp (version, "HTTP/1.1") == 0)
    http10 = FALSE;
  else if (strcmp (version, "HTTP/1.0") == 0)
    http10 = TRUE;
  else
    {
      lab_http_plan_error (plan, 505, NULL);
      return FALSE;
    }

  if (!parse_target (parts[1], request))
    {
      lab_http_plan_error (plan, 400, "bad request target");
      return FALSE;
    }

  /* HTTP/1.1 keeps the connection open unless told otherwise; 1.0 the
   * other way round. */
  request->keep_alive = !http10;

  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (!parse_field (lines[i], http10, request, plan, &n_hosts))
      return FALSE;

  if (n_hosts > 1 || (!http10 && n_hosts == 0))
    {
      lab_http_plan_error (plan, 400, n_hosts ? "more than one Host" : "no Host header");
      return FALSE;
    }

  if (strcmp (parts[0], "GET") == 0)
    request->head = FALSE;
  else if (strcmp (parts[0], "HEAD") == 0)
    request->head = TRUE;
  else
    {
      lab_http_plan_error (plan, 405, NULL);
      plan->allow = g_strdup ("GET, HEAD");
      return FALSE;
    }

  return TRUE;
}

/* A number in a path segment or a query value: digits only. */
static gboolean
parse_number (const char  *text,
              guint64      min,
              guint64      max,
              const char  *what,
              gint64      *out,
              LabHttpPlan *plan)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_autofree char *detail = g_strdup_printf ("%s must be a whole number from %"
                                                 G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                                                 what, min, max);

      lab_http_plan_error (plan, 400, detail);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

/* The query's parameters, on top of what the path chose. */
static gboolean
apply_query (const char  *query,
             LabHttpPlan *plan)
{
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return TRUE;

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      const char *key = pairs[i];
      const char *value = eq ? eq + 1 : "";
      gint64 number;

      if (eq != NULL)
        *eq = '\0';

      if (strcmp (key, "delay") == 0)
        {
          if (!parse_number (value, 0, LAB_HTTP_SERVER_MAX_DELAY_MS, "delay", &plan->delay_ms, plan))
            return FALSE;
        }
      else if (strcmp (key, "size") == 0)
        {
          if (!parse_number (value, 0, LAB_HTTP_SERVER_MAX_BODY, "size", &number, plan))
            return FALSE;
          g_clear_pointer (&plan->message, g_free);
          plan->size = number;
        }
      else if (strcmp (key, "status") == 0)
        {
          if (!parse_number (value, 200, 599, "status", &number, plan))
            return FALSE;
          plan->status = (guint) number;
        }
      else if (strcmp (key, "chunk") == 0)
        {
          if (!parse_number (value, 1, LAB_HTTP_SERVER_MAX_BODY, "chunk", &plan->chunk, plan))
            return FALSE;
        }
      else if (strcmp (key, "interval") == 0)
        {
          if (!parse_number (value, 0, LAB_HTTP_MAX_INTERVAL_MS, "interval", &plan->interval_ms, plan))
            return FALSE;
        }
      else if (strcmp (key, "reset") == 0)
        {
          if (!parse_number (value, 0, 1, "reset", &number, plan))
            return FALSE;
          plan->reset = number != 0;
        }
      /* Anything else is ignored, as real servers do. */
    }

  return TRUE;
}

void
lab_http_route (const LabHttpRequest *request,
                LabHttpPlan          *plan)
{
  g_auto(GStrv) segments = g_strsplit (request->target + 1, "/", -1);
  guint n = g_strv_length (segments);
  const char *name = n > 0 ? segments[0] : "";
  gint64 number = 0;

  lab_http_plan_clear (plan);
  plan->status = 200;

  if (strcmp (request->target, "/") == 0)
    {
      plan->html = TRUE;
      plan_set_message (plan, g_strdup (lab_http_index));
    }
  else if (strcmp (name, "page") == 0 && n <= 2)
    {
      plan->html = TRUE;
      plan->size = LAB_HTTP_PAGE_SIZE;
    }
  else if (n != 2)
    {
      lab_http_plan_error (plan, 404, request->target);
      return;
    }
  else if (strcmp (name, "delay") == 0)
    {
      if (!parse_number (segments[1], 0, LAB_HTTP_SERVER_MAX_DELAY_MS, "delay", &number, plan))
        return;
      plan->delay_ms = number;
      plan_set_message (plan, g_strdup_printf ("Waited %" G_GINT64_FORMAT " ms.\n", number));
    }
  else if (strcmp (name, "bytes") == 0 || strcmp (name, "slow") == 0 ||
           strcmp (name, "reset") == 0)
    {
      if (!parse_number (segments[1], 0, LAB_HTTP_SERVER_MAX_BODY, "size", &number, plan))
        return;
      plan->size = number;
      if (name[0] == 's')
        {
          plan->chunk = LAB_HTTP_SLOW_CHUNK;
          plan->interval_ms = LAB_HTTP_SLOW_INTERVAL_MS;
        }
      plan->reset = name[0] == 'r';
    }
  else if (strcmp (name, "status") == 0)
    {
      if (!parse_number (segments[1], 200, 599, "status", &number, plan))
        return;
      plan->status = (guint) number;
      plan_set_message (plan, g_strdup_printf ("%u %s\n", plan->status,
                                               lab_http_reason_phrase (plan->status)));
    }
  else if (strcmp (name, "redirect") == 0)
    {
      if (!parse_number (segments[1], 0, 100, "redirects", &number, plan))
        return;
      if (number > 0)
        {
          plan->status = 302;
          plan->location = g_strdup_printf ("/redirect/%" G_GINT64_FORMAT "%s%s", number - 1,
                                            request->query ? "?" : "",
                                            request->query ? request->query : "");
          plan_set_message (plan, g_strdup_printf ("Redirecting to %s\n", plan->location));
        }
      else
        {
          plan_set_message (plan, g_strdup ("No more redirects.\n"));
        }
    }
  else
    {
      lab_http_plan_error (plan, 404, request->target);
      return;
    }

  if (!apply_query (request->query, plan))
    return;

  if (!lab_http_status_has_body (plan->status))
    {
      g_clear_pointer (&plan->message, g_free);
      plan->size = 0;
    }
}
