/* lab-fetch.c — one request with libcurl: the URL checked before curl sees
 * it, the easy handle set up, the outcome put in words a student
 * understands, and the request's phases placed on the timeline from curl's
 * timings. The ways of running a list of requests are in lab-fetch-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "lab-fetch.h"

#define LAB_FETCH_MAX_REDIRECTS 5

#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl 7.85 or newer is needed (CURLOPT_PROTOCOLS_STR)"
#endif

void
lab_fetch_global_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (code != CURLE_OK)
        g_warning ("curl_global_init: %s", curl_easy_strerror (code));
      g_once_init_leave (&initialized, 1);
    }
}

const char *
lab_fetch_mode_to_nick (LabFetchMode mode)
{
  switch (mode)
    {
    case LAB_FETCH_SEQUENTIAL: return "sequential";
    case LAB_FETCH_THREADS:    return "threads";
    case LAB_FETCH_EVENT_LOOP: return "event-loop";
    default:                   g_assert_not_reached ();
    }
}

LabFetchRequest *
lab_fetch_requests_new (const char * const *urls,
                        guint               n_urls)
{
  LabFetchRequest *requests = g_new0 (LabFetchRequest, MAX (n_urls, 1));

  for (guint i = 0; i < n_urls; i++)
    {
      requests[i].url = g_strdup (urls[i]);
      requests[i].worker = -1;
      requests[i].announced = -1;
    }
  return requests;
}

void
lab_fetch_requests_free (LabFetchRequest *requests,
                         guint            n_requests)
{
  if (requests == NULL)
    return;

  for (guint i = 0; i < n_requests; i++)
    {
      g_free (requests[i].url);
      g_free (requests[i].error);
      g_free (requests[i].reason);
    }
  g_free (requests);
}

/* ---- checking a URL before curl sees it ---- */

/* Host and port ("example.org:443") of @url, or NULL. */
static char *
url_host_port (const char *url)
{
  CURLU *parsed = curl_url ();
  char *host = NULL, *port = NULL;
  char *result = NULL;

  if (curl_url_set (parsed, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get (parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get (parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
    result = g_strdup_printf ("%s:%s", host, port);

  curl_free (host);
  curl_free (port);
  curl_url_cleanup (parsed);
  return result;
}

char *
lab_fetch_check_url (const char *url)
{
  CURLU *parsed = curl_url ();
  CURLUcode code;
  char *scheme = NULL, *host = NULL;
  char *problem = NULL;

  code = curl_url_set (parsed, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
  if (code == CURLUE_OK)
    code = curl_url_get (parsed, CURLUPART_SCHEME, &scheme, 0);
  if (code == CURLUE_OK)
    code = curl_url_get (parsed, CURLUPART_HOST, &host, 0);

  if (code != CURLUE_OK && scheme == NULL)
    {
      /* Translators: an error of one request; the URL could not be parsed */
      problem = g_strdup (_("malformed URL"));
    }
  else if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      /* Translators: an error of one request, e.g. for file:// or ftp:// */
      problem = g_strdup (_("only http and https are allowed"));
    }
  else if (code != CURLUE_OK)
    {
      problem = g_strdup (_("malformed URL"));
    }
  else
    {
      g_autofree char *name = g_ascii_strdown (host, -1);
      gsize length = strlen (name);

      if (length > 0 && name[length - 1] == '.')
        name[length - 1] = '\0';
      /* RFC 6761 §6.4: names in .invalid never resolve, and applications
       * may say so at once. Offline, a DNS query could take seconds. */
      if (g_str_equal (name, "invalid") || g_str_has_suffix (name, ".invalid"))
        /* Translators: an error of one request; %s is a host name */
        problem = g_strdup_printf (_("name not found: %s"), host);
    }

  curl_free (scheme);
  curl_free (host);
  curl_url_cleanup (parsed);
  return problem;
}

/* ---- one request ---- */

static size_t
on_body (char   *data,
         size_t  size,
         size_t  n_items,
         void   *user_data)
{
  LabFetchRequest *request = user_data;

  request->bytes += (gint64) (size * n_items);
  return size * n_items;
}

/* Keeps the reason phrase of the last status line ("Not Found"), and how
 * far the last answer's header got: curl gives up on a header that is too
 * large with codes that do not say so. */
static size_t
on_header (char   *data,
           size_t  size,
           size_t  n_items,
           void   *user_data)
{
  LabFetchRequest *request = user_data;
  size_t length = size * n_items;

  if (length > 5 && memcmp (data, "HTTP/", 5) == 0)
    {
      g_autofree char *line = g_strndup (data, length);
      const char *code = strchr (line, ' ');
      const char *reason = code ? strchr (code + 1, ' ') : NULL;

      g_clear_pointer (&request->reason, g_free);
      if (reason != NULL)
        request->reason = g_strstrip (g_strdup (reason + 1));
      /* A new answer: after a redirect or a "100 Continue". */
      request->header_bytes = 0;
      request->header_done = FALSE;
    }
  request->header_bytes += (gint64) length;
  if (length <= 2 && (data[0] == '\r' || data[0] == '\n'))
    request->header_done = TRUE;
  return length;
}

CURL *
lab_fetch_easy_new (const LabFetchJob *job)
{
  CURL *easy = curl_easy_init ();
  const char *env_no_proxy = g_getenv ("no_proxy");
  g_autofree char *no_proxy = NULL;

  if (env_no_proxy == NULL)
    env_no_proxy = g_getenv ("NO_PROXY");
  /* A proxy from the environment is fine for real sites, never for the
   * built-in server. */
  no_proxy = g_strdup_printf ("%s%slocalhost,127.0.0.1,::1",
                              env_no_proxy ? env_no_proxy : "", env_no_proxy ? "," : "");

  g_assert (easy != NULL);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, (long) LAB_FETCH_MAX_REDIRECTS);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) job->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) job->timeout_ms);
  /* requests.get() opens a new connection for every call: so do we, so
   * that every request shows its own connect. */
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
#if LIBCURL_VERSION_NUM >= 0x075700
  /* Do not wait for a stuck name lookup when a request is stopped. */
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);
#endif
  curl_easy_setopt (easy, CURLOPT_NOPROXY, no_proxy);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_USERAGENT, "ConcurrencyLab/" PACKAGE_VERSION " libcurl");
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, on_header);
  return easy;
}

gboolean
lab_fetch_begin (LabFetchJob     *job,
                 LabFetchRequest *request,
                 CURL            *easy,
                 LabLane         *lane,
                 gint             worker)
{
  char *problem = lab_fetch_check_url (request->url);

  request->started = TRUE;
  request->lane = lane;
  request->worker = worker;
  request->start_ns = lab_clock_now_ns ();
  lab_lane_record_at (lane, request->start_ns, (gint16) sched_getcpu (),
                      LAB_EVENT_BEGIN, LAB_STATE_WAITING, 0,
                      lab_recorder_intern_printf (job->recorder, "GET %s", request->url), 0, 0);

  if (problem != NULL)
    {
      request->error = problem;
      lab_fetch_finish (job, request, NULL, CURLE_OK);
      return FALSE;
    }

  request->errbuf[0] = '\0';
  request->easy = easy;
  curl_easy_setopt (easy, CURLOPT_URL, request->url);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, request);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, request);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, request->errbuf);
  curl_easy_setopt (easy, CURLOPT_PRIVATE, request);
  return TRUE;
}

/* Whether a receive or send error of curl was the connection itself
 * failing (reset, closed under TLS) rather than curl refusing what came.
 * Only curl's message tells: CURLINFO_OS_ERRNO is not cleared between the
 * transfers of one handle, so it may be a previous request's. These are
 * the words of curl 7.88's socket and OpenSSL layers. */
static gboolean
connection_broke (const char *errbuf)
{
  return errbuf[0] == '\0' || g_str_has_prefix (errbuf, "Recv failure") ||
         g_str_has_prefix (errbuf, "Send failure") || strstr (errbuf, "SSL_read") != NULL ||
         strstr (errbuf, "SSL_write") != NULL;
}

static char *
header_too_large (void)
{
  /* Translators: an error of one request: the server sent a header of
   * megabytes, which curl refuses to keep */
  return g_strdup (_("the response header is too large"));
}

/* What went wrong, in words a student understands; NULL if nothing did. */
static char *
describe_outcome (LabFetchJob     *job,
                  LabFetchRequest *request,
                  CURL            *easy,
                  CURLcode         code)
{
  const char *effective = NULL;
  g_autofree char *where = NULL;
  g_autofree char *got = NULL;
  long os_errno = 0;

  curl_easy_getinfo (easy, CURLINFO_EFFECTIVE_URL, &effective);
  where = url_host_port (effective ? effective : request->url);
  if (where == NULL)
    where = g_strdup (request->url);

  switch (code)
    {
    case CURLE_OK:
      if (request->status < 400)
        return NULL;
      if (request->reason == NULL || request->reason[0] == '\0')
        /* Translators: an error of one request: the HTTP status code, when
         * the server sent no reason phrase (as HTTP/2 never does) */
        return g_strdup_printf (_("HTTP %ld"), request->status);
      /* Translators: an error of one request: the HTTP status code and its
       * reason phrase as the server sent it, e.g. "HTTP 500 Internal Server
       * Error" */
      return g_strdup_printf (_("HTTP %ld %s"), request->status, request->reason);

    case CURLE_COULDNT_RESOLVE_HOST:
      {
        g_autofree char *host = g_strdup (where);
        char *colon = strrchr (host, ':');

        if (colon != NULL)
          *colon = '\0';
        return g_strdup_printf (_("name not found: %s"), host);
      }

    case CURLE_COULDNT_RESOLVE_PROXY:
      /* Translators: an error of one request */
      return g_strdup (_("the proxy's name was not found"));

    case CURLE_COULDNT_CONNECT:
      curl_easy_getinfo (easy, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED || os_errno == 0)
        /* Translators: an error of one request; %s is "host:port" */
        return g_strdup_printf (_("could not connect: nothing listens on %s"), where);
      if (os_errno == ENETUNREACH || os_errno == EHOSTUNREACH)
        /* Translators: an error of one request; %s is "host:port" */
        return g_strdup_printf (_("could not connect to %s: no route to it (offline?)"), where);
      /* Translators: an error of one request; "host:port", then why */
      return g_strdup_printf (_("could not connect to %s: %s"), where, g_strerror ((int) os_errno));

    case CURLE_OPERATION_TIMEDOUT:
      /* Translators: an error of one request; the time limit in ms */
      return g_strdup_printf (_("timed out after %ld ms"), (long) job->timeout_ms);

    case CURLE_UNSUPPORTED_PROTOCOL:
      /* The scheme of the URL itself was checked before the request, so
       * this is either a redirect to another scheme (curl has then made
       * that URL the effective one) or an answer without a status line,
       * which curl takes for HTTP/0.9 and refuses. */
      if (effective != NULL && g_strcmp0 (effective, request->url) != 0)
        {
          g_autofree char *problem = lab_fetch_check_url (effective);

          if (problem != NULL)
            /* Translators: an error of one request: the URL the server
             * redirected to, then what is wrong with it */
            return g_strdup_printf (_("redirected to %s: %s"), effective, problem);
        }
      return g_strdup (_("the server's answer is not HTTP"));

    case CURLE_URL_MALFORMAT:
      if (request->status / 100 == 3)
        /* Translators: an error of one request: the Location of a redirect
         * could not be parsed */
        return g_strdup (_("the server redirected to a malformed URL"));
      return g_strdup (_("malformed URL"));

    case CURLE_OUT_OF_MEMORY:
      /* curl keeps at most CURL_MAX_HTTP_HEADER bytes of one header line
       * and says "out of memory" past that. */
      if (!request->header_done)
        return header_too_large ();
      return g_strdup (request->errbuf[0] ? request->errbuf : curl_easy_strerror (code));

    case CURLE_TOO_MANY_REDIRECTS:
      /* Translators: an error of one request */
      return g_strdup_printf (_("too many redirects (more than %d)"), LAB_FETCH_MAX_REDIRECTS);

    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      /* Many short lines: curl stops at 300 kB of header in all (three
       * times CURL_MAX_HTTP_HEADER), with the code of a broken connection. */
      if (!request->header_done && request->header_bytes > CURL_MAX_HTTP_HEADER)
        return header_too_large ();
      /* Not the network but what came over it, e.g. a chunked body with a
       * broken chunk size: only curl's own words can say which. */
      if (!connection_broke (request->errbuf))
        /* Translators: an error of one request; %s is curl's own
         * description, in English */
        return g_strdup_printf (_("the server's answer is broken: %s"), request->errbuf);
      G_GNUC_FALLTHROUGH;
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
      if (request->status <= 0)
        /* Translators: an error of one request */
        return g_strdup (_("server closed the connection without answering"));
      got = g_format_size ((guint64) request->bytes);
      if (request->announced >= 0)
        {
          g_autofree char *announced = g_format_size ((guint64) request->announced);

          /* Translators: an error of one request: bytes received, of the
           * bytes the server had announced, e.g. "(got 20.0 kB of 40.0 kB)" */
          return g_strdup_printf (_("server closed the connection mid-body (got %s of %s)"),
                                  got, announced);
        }
      /* Translators: an error of one request; bytes received */
      return g_strdup_printf (_("server closed the connection mid-body (after %s)"), got);

    case CURLE_WEIRD_SERVER_REPLY:
      /* Translators: an error of one request */
      return g_strdup (_("the server's answer is not HTTP"));

    case CURLE_PEER_FAILED_VERIFICATION:
      /* Translators: an error of one request (HTTPS) */
      return g_strdup (_("the site's certificate could not be verified"));

    case CURLE_SSL_CONNECT_ERROR:
      /* Translators: an error of one request (HTTPS) */
      return g_strdup (_("the secure connection (TLS) failed"));

    case CURLE_SSL_CACERT_BADFILE:
      /* Translators: an error of one request (HTTPS) */
      return g_strdup (_("the system's list of trusted certificates could not be read"));

    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      /* Translators: an error of one request */
      return g_strdup (_("the HTTP/2 connection failed"));

    case CURLE_BAD_CONTENT_ENCODING:
      /* Translators: an error of one request: the body was sent
       * compressed (gzip, …) but could not be uncompressed */
      return g_strdup (_("the server's compressed body is damaged"));

    case CURLE_ABORTED_BY_CALLBACK:
      /* Translators: an error of one request: the user pressed Stop */
      return g_strdup (_("stopped"));

    default:
      return g_strdup (request->errbuf[0] ? request->errbuf : curl_easy_strerror (code));
    }
}

static void
record_span (LabLane  *lane,
             LabState  state,
             gint64    from_ns,
             gint64    to_ns,
             guint32   label)
{
  lab_lane_record_at (lane, from_ns, -1, LAB_EVENT_BEGIN, state, 0, label, 0, 0);
  lab_lane_record_at (lane, to_ns, -1, LAB_EVENT_END, LAB_STATE_RUNNING, 0, 0, 0, 0);
}

/* The request's phases, placed after the fact from curl's timings (each
 * counts from the request's start). After redirects curl adds the phases
 * of every hop together; those of the last hop are then only approximate. */
static void
record_phases (LabFetchJob     *job,
               LabFetchRequest *request,
               const gint64     at_us[4],
               gint64           redirect_us,
               long             n_redirects)
{
  static const LabState states[4] = {
    LAB_STATE_IO_DNS, LAB_STATE_IO_CONNECT, LAB_STATE_IO_WAIT, LAB_STATE_IO_TRANSFER
  };
  const char *formats[4] = {
    /* Translators: a phase of one request on the timeline; %s is its URL */
    N_("DNS lookup · %s"),
    /* Translators: a phase of one request on the timeline; %s is its URL */
    N_("Connecting · %s"),
    /* Translators: a phase of one request on the timeline; %s is its URL */
    N_("Waiting for the first byte · %s"),
    /* Translators: a phase of one request on the timeline; %s is its URL */
    N_("Receiving the body · %s"),
  };
  LabLane *lane = request->lane;
  gint64 start = request->start_ns;
  gint64 end = request->end_ns;
  gint64 cursor = start;

  if (redirect_us > 0 && n_redirects > 0)
    {
      cursor = CLAMP (start + redirect_us * 1000, start, end);
      /* Translators: a span on the timeline: the redirects a request
       * followed before its last hop; %ld is their number, %s the URL */
      record_span (lane, LAB_STATE_IO_WAIT, start, cursor,
                   lab_recorder_intern_printf (job->recorder,
                                               g_dngettext (GETTEXT_PACKAGE,
                                                            "%ld redirect · %s",
                                                            "%ld redirects · %s",
                                                            (gulong) n_redirects),
                                               n_redirects, request->url));
    }

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      gint64 to;

      if (at_us[i] <= 0)
        break; /* not reached */
      to = CLAMP (start + at_us[i] * 1000, cursor, end);
      if (to > cursor)
        record_span (lane, states[i], cursor, to,
                     lab_recorder_intern_printf (job->recorder, _(formats[i]), request->url));
      cursor = to;
    }

  if (request->error != NULL)
    {
      guint32 reason = lab_recorder_intern (job->recorder, request->error);

      record_span (lane, LAB_STATE_FAILED, cursor, end, reason);
      lab_lane_record_at (lane, end, -1, LAB_EVENT_MARK, LAB_STATE_RUNNING,
                          LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR, reason, 0, 0);
    }
}

void
lab_fetch_finish (LabFetchJob     *job,
                  LabFetchRequest *request,
                  CURL            *easy,
                  CURLcode         code)
{
  curl_off_t dns = 0, connect = 0, tls = 0, first = 0, total = 0, redirect = 0;
  curl_off_t announced = -1;
  gint64 at_us[4] = { 0 };
  long n_redirects = 0;
  g_autofree char *line = NULL;
  gint done;

  request->end_ns = lab_clock_now_ns ();
  request->easy = NULL;
  request->finished = TRUE;

  if (easy != NULL)
    {
      curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &request->status);
      curl_easy_getinfo (easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
      curl_easy_getinfo (easy, CURLINFO_CONNECT_TIME_T, &connect);
      curl_easy_getinfo (easy, CURLINFO_APPCONNECT_TIME_T, &tls);
      curl_easy_getinfo (easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
      curl_easy_getinfo (easy, CURLINFO_TOTAL_TIME_T, &total);
      curl_easy_getinfo (easy, CURLINFO_REDIRECT_TIME_T, &redirect);
      curl_easy_getinfo (easy, CURLINFO_REDIRECT_COUNT, &n_redirects);
      curl_easy_getinfo (easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
      request->announced = announced;

      request->dns_s = (double) dns / G_USEC_PER_SEC;
      request->connect_s = (double) connect / G_USEC_PER_SEC;
      request->first_byte_s = (double) first / G_USEC_PER_SEC;
      request->total_s = (double) total / G_USEC_PER_SEC;

      request->error = describe_outcome (job, request, easy, code);
    }

  /* Connecting ends when TLS is up, if there is TLS. */
  at_us[0] = dns;
  at_us[1] = MAX (connect, tls);
  at_us[2] = first;
  at_us[3] = total;
  record_phases (job, request, at_us, redirect, n_redirects);

  lab_lane_record_at (request->lane, request->end_ns, -1, LAB_EVENT_END, LAB_STATE_RUNNING,
                      0, 0, 0, 0);

  if (request->error == NULL)
    {
      g_autofree char *size = g_format_size ((guint64) request->bytes);

      /* Translators: a printed line for a request that went well: the
       * URL, the HTTP status, the size of the body and the time it took */
      line = g_strdup_printf (_("GET %s → %ld, %s in %.2f s"), request->url,
                              request->status, size, request->total_s);
      lab_run_context_print (job->ctx, request->lane, "%s", line);
    }
  else
    {
      /* Translators: a printed line for a request that failed: the URL and
       * what went wrong */
      line = g_strdup_printf (_("GET %s → %s"), request->url, request->error);
      lab_lane_mark (request->lane, lab_recorder_intern (job->recorder, line), 0,
                     LAB_EVENT_FLAG_OUTPUT | LAB_EVENT_FLAG_STDERR, 0);
    }

  done = g_atomic_int_add (job->n_done, 1) + 1;
  lab_run_context_set_progress (job->ctx, (double) done / MAX (job->n_total, 1));
}

GVariant *
lab_fetch_request_to_variant (const LabFetchRequest *request,
                              const LabFetchJob     *job)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "url", g_variant_new_string (request->url));
  g_variant_builder_add (&builder, "{sv}", "mode",
                         g_variant_new_string (lab_fetch_mode_to_nick (job->mode)));
  g_variant_builder_add (&builder, "{sv}", "status", g_variant_new_int64 (request->status));
  g_variant_builder_add (&builder, "{sv}", "bytes", g_variant_new_int64 (request->bytes));
  g_variant_builder_add (&builder, "{sv}", "error",
                         g_variant_new_string (request->error ? request->error : ""));
  g_variant_builder_add (&builder, "{sv}", "dns_s", g_variant_new_double (request->dns_s));
  g_variant_builder_add (&builder, "{sv}", "connect_s", g_variant_new_double (request->connect_s));
  g_variant_builder_add (&builder, "{sv}", "first_byte_s",
                         g_variant_new_double (request->first_byte_s));
  g_variant_builder_add (&builder, "{sv}", "total_s", g_variant_new_double (request->total_s));
  g_variant_builder_add (&builder, "{sv}", "start_s",
                         g_variant_new_double (request->started
                                               ? (double) (request->start_ns - job->start_ns) / 1e9
                                               : 0.0));
  g_variant_builder_add (&builder, "{sv}", "worker", g_variant_new_int64 (request->worker));
  return g_variant_builder_end (&builder);
}
