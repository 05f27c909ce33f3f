/* lab-http-server.h — a small HTTP/1.1 server on 127.0.0.1 whose answers
 * are shaped by the request path: a delay, a body size, a status code, a
 * slow (trickled) body, a reset in the middle of the body.
 *
 * Experiments and tests start one on demand, fetch from it, and stop it.
 * It binds 127.0.0.1 only (never another address) on an ephemeral port.
 * Every connection is served on a thread of its own (GThreadedSocketService)
 * with blocking IO; stop() wakes every wait and closes every connection.
 *
 * Paths (every numeric query parameter also works on every path, so
 * `/page/3?delay=300&size=20000` combines them):
 *
 *   /                       a short index page listing these paths
 *   /page[/NAME]            an HTML page (2 000 bytes unless size= says)
 *   /delay/MS               waits MS ms, then answers
 *   /bytes/N                an N-byte body
 *   /status/CODE            answers with that status (200..599)
 *   /slow/N                 N bytes, trickled: chunk= bytes (1024) every
 *                           interval= ms (100)
 *   /reset/N                announces N bytes, sends half, then resets the
 *                           connection (TCP RST)
 *   /redirect/N             N redirects (302) before the final answer
 *
 *   ?delay=MS  ?size=N  ?status=CODE  ?chunk=K  ?interval=MS  ?reset=1
 *
 * GET and HEAD; keep-alive as HTTP/1.1 says (Connection: close honoured);
 * 400 for a request that is not HTTP, 404 for an unknown path, 405 for
 * other methods, 431 for a header over LAB_HTTP_SERVER_MAX_HEADER bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Limits that keep a misbehaving client (or a typo in a URL) small. */
#define LAB_HTTP_SERVER_MAX_HEADER       8192                /* request head, bytes */
#define LAB_HTTP_SERVER_MAX_BODY         (64 * 1024 * 1024)  /* response body, bytes */
#define LAB_HTTP_SERVER_MAX_DELAY_MS     60000
#define LAB_HTTP_SERVER_MAX_CONNECTIONS  128                 /* open at once (default) */
#define LAB_HTTP_SERVER_IDLE_TIMEOUT_MS  5000                /* keep-alive idle */

typedef struct _LabHttpServer LabHttpServer;

LabHttpServer *lab_http_server_new          (void);
LabHttpServer *lab_http_server_ref          (LabHttpServer *self);
/* The last unref stops the server if it still runs. */
void           lab_http_server_unref        (LabHttpServer *self);

/* Before start(): connections beyond this are closed at once. */
void           lab_http_server_set_max_connections (LabHttpServer *self,
                                                    guint          max_connections);

/* Binds 127.0.0.1 on an ephemeral port and starts serving (on a thread of
 * its own, so the caller needs no main loop). Returns the port, 0 with
 * @error set if it could not. A server is started once. */
guint16        lab_http_server_start        (LabHttpServer  *self,
                                             GError        **error);
/* Stops accepting, ends every wait (delays, trickles), closes every open
 * connection and returns once all connection threads are done. Safe to
 * call from any thread except a connection's own, and more than once. */
void           lab_http_server_stop         (LabHttpServer *self);

gboolean       lab_http_server_is_running   (LabHttpServer *self);
guint16        lab_http_server_get_port     (LabHttpServer *self);
/* "http://127.0.0.1:PORT" (no trailing slash); NULL before start(). */
const char    *lab_http_server_get_base_url (LabHttpServer *self);
/* The base URL followed by @path_format ("/delay/%d"); caller frees. */
char          *lab_http_server_url          (LabHttpServer *self,
                                             const char    *path_format,
                                             ...) G_GNUC_PRINTF (2, 3);

/* Requests answered so far (any status), and connections open now. */
guint64        lab_http_server_get_n_requests    (LabHttpServer *self);
guint          lab_http_server_get_n_connections (LabHttpServer *self);

/* The byte at @offset of every generated body (a repeating text line), for
 * tests that check a body arrived intact. HTML pages start with a short
 * header instead; lab_http_server_fill_body() writes either. */
void           lab_http_server_fill_body    (gboolean  html,
                                             gint64    offset,
                                             guint8   *buffer,
                                             gsize     length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabHttpServer, lab_http_server_unref)

G_END_DECLS
