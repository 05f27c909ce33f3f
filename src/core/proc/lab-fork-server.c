/* lab-fork-server.c — the messages of the fork server (both ends) and the
 * app's side of it: starting it, asking it to fork, hearing which child
 * it reaped, stopping it. See lab-fork-server.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "lab-fork-server.h"

/* Far above any message of ours: a pickled STATE is a few KiB. */
#define LAB_FORK_MSG_MAX (64u * 1024 * 1024)
/* After the socket closes, how long the server may take to exit. */
#define LAB_FORK_SERVER_GRACE_MS 1000

/* ---- messages ---- */

gboolean
lab_fork_msg_send (int               sock,
                   const LabForkMsg *msg,
                   gconstpointer     payload,
                   const int        *fds,
                   guint             n_fds)
{
  union
  {
    struct cmsghdr header;
    char           space[CMSG_SPACE (2 * sizeof (int))];
  } control;
  struct iovec iov[2] = {
    { (void *) msg, sizeof *msg },
    { (void *) payload, msg->length },
  };
  struct msghdr mh = { 0 };
  gsize total = sizeof *msg + msg->length, sent = 0;

  g_return_val_if_fail (n_fds <= 2, FALSE);

  mh.msg_iov = iov;
  mh.msg_iovlen = msg->length > 0 ? 2 : 1;
  if (n_fds > 0)
    {
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      mh.msg_control = control.space;
      mh.msg_controllen = CMSG_SPACE (n_fds * sizeof (int));
      cmsg = CMSG_FIRSTHDR (&mh);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (n_fds * sizeof (int));
      memcpy (CMSG_DATA (cmsg), fds, n_fds * sizeof (int));
    }

  while (sent < total)
    {
      ssize_t n = sendmsg (sock, &mh, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      sent += (gsize) n;
      /* The descriptors went with the first byte; the rest is plain. */
      mh.msg_control = NULL;
      mh.msg_controllen = 0;
      while (n > 0 && mh.msg_iovlen > 0)
        {
          gsize step = MIN ((gsize) n, mh.msg_iov->iov_len);

          mh.msg_iov->iov_base = (char *) mh.msg_iov->iov_base + step;
          mh.msg_iov->iov_len -= step;
          n -= (ssize_t) step;
          if (mh.msg_iov->iov_len == 0)
            {
              mh.msg_iov++;
              mh.msg_iovlen--;
            }
        }
    }
  return TRUE;
}

static gboolean
recv_all (int     sock,
          void   *buf,
          gsize   len,
          int     fds[2])
{
  gsize got = 0;

  while (got < len)
    {
      union
      {
        struct cmsghdr header;
        char           space[CMSG_SPACE (2 * sizeof (int))];
      } control;
      struct iovec iov = { (char *) buf + got, len - got };
      struct msghdr mh = { 0 };
      ssize_t n;

      mh.msg_iov = &iov;
      mh.msg_iovlen = 1;
      mh.msg_control = control.space;
      mh.msg_controllen = sizeof control.space;
      n = recvmsg (sock, &mh, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&mh); cmsg != NULL;
           cmsg = CMSG_NXTHDR (&mh, cmsg))
        {
          guint n_fds;

          if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
            continue;
          n_fds = (guint) ((cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int));
          for (guint i = 0; i < n_fds; i++)
            {
              int fd;

              memcpy (&fd, CMSG_DATA (cmsg) + i * sizeof (int), sizeof fd);
              /* More than two is not ours to keep. */
              if (fds != NULL && i < 2 && fds[i] < 0)
                fds[i] = fd;
              else
                close (fd);
            }
        }
      got += (gsize) n;
    }
  return TRUE;
}

gboolean
lab_fork_msg_recv (int          sock,
                   LabForkMsg  *msg,
                   guint8     **payload,
                   int          fds[2])
{
  fds[0] = fds[1] = -1;
  *payload = NULL;
  if (!recv_all (sock, msg, sizeof *msg, fds) || msg->length > LAB_FORK_MSG_MAX)
    goto failed;
  if (msg->length > 0)
    {
      *payload = g_malloc (msg->length + 1);
      (*payload)[msg->length] = '\0';
      if (!recv_all (sock, *payload, msg->length, NULL))
        goto failed;
    }
  return TRUE;

failed:
  g_clear_pointer (payload, g_free);
  for (guint i = 0; i < 2; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  fds[0] = fds[1] = -1;
  return FALSE;
}

/* ---- the app's side ---- */

struct _LabForkServer
{
  GPid         pid;          /* ours to reap (G_SPAWN_DO_NOT_REAP_CHILD) */
  gboolean     gone;         /* its socket ended */
  int          sock;
  GArray      *exits;  /* gint pairs (pid, status) heard while waiting for
                        * another answer */
};

gboolean
lab_fork_server_is_gone (LabForkServer *server)
{
  return server->gone;
}

static gboolean
server_gone (LabForkServer  *server,
             GError        **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
               /* Translators: the helper process that forks the worker
                * processes ended unexpectedly; %d is its pid */
               _("The fork server (pid %d) stopped answering"), server->pid);
  return FALSE;
}

/* Reads until a message other than EXITED comes (those are kept). */
static gboolean
read_answer (LabForkServer  *server,
             LabForkMsg     *msg,
             GError        **error)
{
  for (;;)
    {
      g_autofree guint8 *payload = NULL;
      int fds[2];

      if (!lab_fork_msg_recv (server->sock, msg, &payload, fds))
        {
          server->gone = TRUE;
          return server_gone (server, error);
        }
      for (guint i = 0; i < 2; i++)
        if (fds[i] >= 0)
          close (fds[i]);
      if (msg->type == LAB_FORK_MSG_EXITED)
        {
          gint pair[2] = { msg->a, msg->b };

          g_array_append_vals (server->exits, pair, 2);
          continue;
        }
      if (msg->type == LAB_FORK_MSG_FAILED)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       /* Translators: the helper process that forks the
                        * worker processes could not do what it was asked;
                        * %s says why */
                       _("The fork server could not fork: %s"),
                       payload != NULL ? (const char *) payload : "?");
          return FALSE;
        }
      return TRUE;
    }
}

LabForkServer *
lab_fork_server_new (const char   *worker_path,
                     LabPyValue   *state,
                     GError      **error)
{
  const char *argv[] = { worker_path, LAB_FORK_SERVER_ARG, NULL };
  LabForkServer *server;
  gboolean spawned;
  int pair[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s is the reason, from the system */
                   _("Could not make a socket for the fork server: %s"), g_strerror (saved));
      return NULL;
    }

  server = g_new0 (LabForkServer, 1);
  server->sock = pair[0];
  server->exits = g_array_new (FALSE, FALSE, sizeof (gint));
  /* Its stdin is the socket; stdout and stderr are the app's. */
  spawned = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                              NULL, NULL, pair[1], -1, -1, NULL, NULL, 0,
                                              &server->pid, NULL, NULL, NULL, error);
  close (pair[1]);
  if (!spawned)
    {
      lab_fork_server_free (server);
      return NULL;
    }

  if (state != NULL)
    {
      g_autoptr(GBytes) pickled = lab_pickle_dumps (state);
      LabForkMsg msg = { LAB_FORK_MSG_STATE, 0, 0, (guint32) g_bytes_get_size (pickled) };

      if (!lab_fork_msg_send (server->sock, &msg, g_bytes_get_data (pickled, NULL), NULL, 0))
        {
          server_gone (server, error);
          lab_fork_server_free (server);
          return NULL;
        }
      if (!read_answer (server, &msg, error))
        {
          lab_fork_server_free (server);
          return NULL;
        }
    }
  return server;
}

gint
lab_fork_server_get_pid (LabForkServer *server)
{
  return server->pid;
}

gboolean
lab_fork_server_fork (LabForkServer  *server,
                      int             child_in,
                      int             child_out,
                      gint           *pid,
                      GError        **error)
{
  LabForkMsg msg = { LAB_FORK_MSG_FORK, 0, 0, 0 };
  int fds[2] = { child_in, child_out };

  if (!lab_fork_msg_send (server->sock, &msg, NULL, fds, 2))
    return server_gone (server, error);
  if (!read_answer (server, &msg, error))
    return FALSE;
  if (msg.type != LAB_FORK_MSG_FORKED || msg.a <= 0)
    return server_gone (server, error);
  *pid = msg.a;
  return TRUE;
}

gboolean
lab_fork_server_next_exit (LabForkServer *server,
                           gint           timeout_ms,
                           gint          *pid,
                           gint          *wait_status)
{
  struct pollfd pfd = { server->sock, POLLIN, 0 };
  g_autofree guint8 *payload = NULL;
  LabForkMsg msg;
  int fds[2];

  if (server->exits->len > 0)
    {
      *pid = g_array_index (server->exits, gint, 0);
      *wait_status = g_array_index (server->exits, gint, 1);
      g_array_remove_range (server->exits, 0, 2);
      return TRUE;
    }
  while (poll (&pfd, 1, timeout_ms) < 0)
    if (errno != EINTR)
      return FALSE;
  if (pfd.revents == 0)
    return FALSE;
  if (!lab_fork_msg_recv (server->sock, &msg, &payload, fds))
    {
      server->gone = TRUE;
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  if (msg.type != LAB_FORK_MSG_EXITED)
    return FALSE;
  *pid = msg.a;
  *wait_status = msg.b;
  return TRUE;
}

void
lab_fork_server_free (LabForkServer *server)
{
  gint64 deadline = g_get_monotonic_time () + LAB_FORK_SERVER_GRACE_MS * 1000;
  int status;

  if (server == NULL)
    return;

  /* The end of its socket is the server's signal to finish. */
  if (server->sock >= 0)
    close (server->sock);
  if (server->pid > 0)
    {
      /* It kills and reaps its children first: usually a millisecond. */
      while (waitpid (server->pid, &status, WNOHANG) == 0)
        {
          if (g_get_monotonic_time () >= deadline)
            {
              kill (server->pid, SIGKILL);
              while (waitpid (server->pid, &status, 0) < 0 && errno == EINTR)
                ;
              break;
            }
          g_usleep (1000);
        }
    }
  g_array_unref (server->exits);
  g_free (server);
}
