/* lab-fork-server.h — the fork server of the "fork" and "forkserver" start
 * methods, and the messages between it and the app.
 *
 * fork() from the app itself is unsafe once it runs threads (a window
 * always does): the copy would hold locks that no thread of it will ever
 * release (DESIGN.md §5). So the app execs the worker helper once in its
 * fork-server mode; that process has one thread, and it is the one that
 * fork()s each worker on request, as CPython's forkserver does. For the
 * "fork" method the app first sends it the parent's data (STATE, one
 * pickle): every child forked afterwards has that data in the memory it
 * copied, without anything being pickled for it.
 *
 * The app and the server talk over a Unix stream socket (the server's
 * stdin). Every message is a 16-byte header (u32 type, i32 a, i32 b,
 * u32 length; host order, both ends are one machine) and `length` bytes:
 *
 *   app → server
 *     STATE   the pickle of a dict: what the children inherit
 *     FORK    no payload; carries two descriptors (SCM_RIGHTS), the
 *             child's stdin and stdout
 *   server → app
 *     OK      STATE was taken
 *     FORKED  a = the child's pid
 *     EXITED  a = pid, b = its wait status: the server reaped a child
 *     FAILED  payload = a message (UTF-8)
 *
 * When the socket closes (the app freed the server, or died), the server
 * kills the children it still has, reaps them and exits; a child also gets
 * SIGKILL if the server dies first (PR_SET_PDEATHSIG), so nothing is left
 * running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-pickle.h"

G_BEGIN_DECLS

/* The worker helper's argument that starts it as a fork server. */
#define LAB_FORK_SERVER_ARG "--fork-server"

typedef enum
{
  LAB_FORK_MSG_STATE  = 1,
  LAB_FORK_MSG_FORK   = 2,
  LAB_FORK_MSG_OK     = 16,
  LAB_FORK_MSG_FORKED = 17,
  LAB_FORK_MSG_EXITED = 18,
  LAB_FORK_MSG_FAILED = 19,
} LabForkMsgType;

typedef struct
{
  guint32  type;
  gint32   a;
  gint32   b;
  guint32  length;
} LabForkMsg;

/* Sends one message with @n_fds descriptors (0 to 2). FALSE with errno
 * set if the socket is gone. */
gboolean lab_fork_msg_send (int               sock,
                            const LabForkMsg *msg,
                            gconstpointer     payload,
                            const int        *fds,
                            guint             n_fds);
/* Reads one message (blocking); its payload (NUL-terminated, may be NULL
 * when empty) and up to two descriptors received with it (-1 for none)
 * go to the caller. FALSE at the end of the stream or on an error. */
gboolean lab_fork_msg_recv (int          sock,
                            LabForkMsg  *msg,
                            guint8     **payload,
                            int          fds[2]);

/* ---- the app's side ---- */

typedef struct _LabForkServer LabForkServer;

/* Execs @worker_path as a fork server. With @state (a dict), sends it and
 * waits until the server holds it. */
LabForkServer *lab_fork_server_new    (const char   *worker_path,
                                       LabPyValue   *state,
                                       GError      **error);
gint           lab_fork_server_get_pid (LabForkServer *server);
/* Has the server fork a child whose stdin and stdout are @child_in and
 * @child_out (ours stay open: the caller closes them). */
gboolean       lab_fork_server_fork   (LabForkServer  *server,
                                       int             child_in,
                                       int             child_out,
                                       gint           *pid,
                                       GError        **error);
/* The next child the server reaped, waiting up to @timeout_ms (-1: no
 * limit). FALSE if none within the time or the server is gone (then
 * lab_fork_server_is_gone () says so: its children died with it). */
gboolean       lab_fork_server_next_exit (LabForkServer *server,
                                          gint           timeout_ms,
                                          gint          *pid,
                                          gint          *wait_status);
gboolean       lab_fork_server_is_gone (LabForkServer *server);
/* Closes the socket: the server kills what it still runs, reaps it and
 * exits; it is reaped here (SIGKILL if it takes longer than a second). */
void           lab_fork_server_free   (LabForkServer *server);

G_END_DECLS
