/* lab-http-server-private.h — what the parts of the loopback HTTP server
 * share: the server's life (lab-http-server.c), one connection
 * (lab-http-connection.c), and the request parser and router
 * (lab-http-route.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-http-server.h"

G_BEGIN_DECLS

/* ---- lab-http-server.c, for the connections ---- */

/* Waits @ms or until the server stops; FALSE if it stopped. */
gboolean      lab_http_server_wait_ms         (LabHttpServer *self,
                                               gint64         ms);
/* Cancelled by stop(): pass it to every blocking read and write. */
GCancellable *lab_http_server_get_cancellable (LabHttpServer *self);
void          lab_http_server_count_request   (LabHttpServer *self);

/* ---- lab-http-connection.c ---- */

/* Answers requests on @socket until the client or the server ends it. */
void          lab_http_serve_connection       (LabHttpServer *self,
                                               GSocket       *socket);

/* ---- lab-http-route.c ---- */

/* A parsed request head. */
typedef struct
{
  char     *target;         /* origin-form path, without the query */
  char     *query;          /* after '?', NULL if none */
  gboolean  head;           /* HEAD rather than GET */
  gboolean  keep_alive;     /* what the client asked for (and its version implies) */
  gint64    content_length; /* request body to discard, 0 if none */
} LabHttpRequest;

/* What to answer: every path and query parameter only changes this. */
typedef struct
{
  guint     status;
  gint64    size;        /* body bytes announced in Content-Length */
  gint64    delay_ms;    /* wait before the status line */
  gint64    chunk;       /* send the body in pieces of this many bytes, 0 = at once */
  gint64    interval_ms; /* ... with this pause between pieces */
  gboolean  reset;       /* send half of the body, then reset the connection */
  gboolean  html;        /* text/html with a page header, else text/plain */
  gboolean  close;       /* close the connection after this answer */
  char     *message;     /* the whole body, instead of the generated text */
  char     *location;    /* a redirect's Location, or NULL */
  char     *allow;       /* 405's Allow header, or NULL */
} LabHttpPlan;

/* Parses the head (request line and header fields, up to and including the
 * empty line). Returns FALSE with @plan set to the error answer (400, 405,
 * 413, 501, 505) when the request cannot be served. */
gboolean    lab_http_parse_head    (const char     *head,
                                    gsize           length,
                                    LabHttpRequest *request,
                                    LabHttpPlan    *plan);
/* TRUE if @line (the request line, without its line end) cannot start a
 * valid request, so the server can answer 400 without waiting for the
 * rest of the head. */
gboolean    lab_http_line_is_garbage (const char *line,
                                      gsize       length);
/* Fills @plan from the path and the query of a parsed request. */
void        lab_http_route         (const LabHttpRequest *request,
                                    LabHttpPlan          *plan);
/* Sets @plan to a short text answer with @status (and @detail, if any). */
void        lab_http_plan_error    (LabHttpPlan *plan,
                                    guint        status,
                                    const char  *detail);
void        lab_http_request_clear (LabHttpRequest *request);
void        lab_http_plan_clear    (LabHttpPlan    *plan);
/* "OK", "Not Found", ... ("Unknown" for codes without a phrase). */
const char *lab_http_reason_phrase (guint status);
/* Whether a response with @status carries a body at all (not 1xx/204/304). */
gboolean    lab_http_status_has_body (guint status);

G_END_DECLS
