/* lab-fetch.h — fetching URLs with libcurl for the IO experiments: one
 * request's set-up, its result in words a student understands, its phases
 * on the timeline, and the three ways of running a list of requests
 * (one after another, a pool of threads, an event loop on one thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <curl/curl.h>

#include "lab-experiment.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_FETCH_SEQUENTIAL = 0, /* one after another on the calling thread */
  LAB_FETCH_THREADS,        /* a pool of threads, one easy handle each */
  LAB_FETCH_EVENT_LOOP,     /* the multi interface, all on the calling thread */
} LabFetchMode;

/* One URL to fetch, and what came of it. */
typedef struct
{
  char     *url;
  /* results (valid once finished) */
  gboolean  started;
  gboolean  finished;
  glong     status;       /* HTTP status of the last answer, 0 if none */
  gint64    bytes;        /* body bytes received */
  char     *error;        /* NULL when all went well */
  double    dns_s;        /* curl's timings, from the request's start */
  double    connect_s;
  double    first_byte_s;
  double    total_s;
  gint64    start_ns;     /* lab_clock_now_ns() */
  gint64    end_ns;
  gint      worker;       /* pool thread index; -1 for the calling thread */
  /* private */
  LabLane  *lane;
  CURL     *easy;         /* while in flight */
  gint64    announced;    /* Content-Length of the answer, -1 if unknown */
  char     *reason;       /* reason phrase of the last status line */
  gint64    header_bytes; /* of the last answer's header, so far */
  gboolean  header_done;  /* the last answer's header ended (blank line) */
  char      errbuf[CURL_ERROR_SIZE];
} LabFetchRequest;

/* What every request of one run of a mode shares. */
typedef struct
{
  LabRunContext *ctx;
  LabRecorder   *recorder;
  LabFetchMode   mode;
  gint64         timeout_ms;
  guint          concurrency; /* THREADS: pool size; EVENT_LOOP: requests in flight */
  gint64         start_ns;    /* when the mode started (for start_s) */
  gint          *n_done;      /* atomic, requests finished in the whole run */
  guint          n_total;     /* requests in the whole run, for progress */
} LabFetchJob;

/* Thread-safe, once per process. */
void              lab_fetch_global_init (void);

const char       *lab_fetch_mode_to_nick (LabFetchMode mode);

LabFetchRequest  *lab_fetch_requests_new  (const char * const *urls,
                                           guint               n_urls);
void              lab_fetch_requests_free (LabFetchRequest *requests,
                                           guint            n_requests);

/* Why @url cannot be fetched at all (malformed, not http/https, a name in
 * the reserved .invalid domain), or NULL. Caller frees. */
char             *lab_fetch_check_url     (const char *url);

/* Runs every request in @mode; every started request is finished (the ones
 * in flight when the run is stopped with the error "stopped"). FALSE if
 * the run was stopped, or with @error set if the timeline had no room for
 * another request's lane (the event loop gives each request one). */
gboolean          lab_fetch_run           (LabFetchJob      *job,
                                           LabFetchRequest  *requests,
                                           guint             n_requests,
                                           LabLane          *main_lane,
                                           GError          **error);

/* a{sv}: url, mode, status, bytes, error ("" when fine), dns_s, connect_s,
 * first_byte_s, total_s, start_s, worker. */
GVariant         *lab_fetch_request_to_variant (const LabFetchRequest *request,
                                                const LabFetchJob     *job);

/* ---- for the ways of running requests (lab-fetch-run.c) ---- */

CURL             *lab_fetch_easy_new      (const LabFetchJob *job);
/* Records the request's start on @lane and points @easy at it. FALSE if
 * the URL cannot be fetched at all: the request is then already finished
 * with its error. */
gboolean          lab_fetch_begin         (LabFetchJob     *job,
                                           LabFetchRequest *request,
                                           CURL            *easy,
                                           LabLane         *lane,
                                           gint             worker);
/* Reads the outcome of @easy (NULL if it never ran) and records the
 * request's phases, its end and a printed line on its lane. */
void              lab_fetch_finish        (LabFetchJob     *job,
                                           LabFetchRequest *request,
                                           CURL            *easy,
                                           CURLcode         code);

G_END_DECLS
