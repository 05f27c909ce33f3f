/* lab-worker-fork.c — the worker helper as a fork server (started with
 * LAB_FORK_SERVER_ARG), for the "fork" and "forkserver" start methods.
 *
 * This process has one thread and does nothing but wait, so fork() here
 * is safe, unlike in the app. It waits on its socket to the app (its
 * stdin) and on SIGCHLD (a signalfd): on STATE it keeps the parent's data
 * (unpickled once, into its own memory); on FORK it forks, and the child
 * leaves this loop to become an ordinary worker on the two pipes that came
 * with the request, finding that data in the memory it copied; when a
 * child ends it reaps it and tells the app. When the app closes the socket
 * it kills the children left, reaps them and exits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-fork-server.h"
#include "lab-worker.h"

typedef struct
{
  int         sock;
  int         sigfd;
  sigset_t    old_mask;
  GArray     *children;  /* pid_t */
  LabPyValue *state;     /* what the children inherit; NULL: nothing */
} LabForkServerLoop;

static void
answer (LabForkServerLoop *loop,
        LabForkMsgType     type,
        gint32             a,
        gint32             b,
        const char        *text)
{
  LabForkMsg msg = { type, a, b, text != NULL ? (guint32) strlen (text) : 0 };

  /* The app is gone if this fails: the end of the socket says so next. */
  lab_fork_msg_send (loop->sock, &msg, text, NULL, 0);
}

static void
reap_children (LabForkServerLoop *loop,
               gboolean           tell)
{
  int status;
  pid_t pid;

  while ((pid = waitpid (-1, &status, WNOHANG)) > 0)
    {
      for (guint i = 0; i < loop->children->len; i++)
        if (g_array_index (loop->children, pid_t, i) == pid)
          {
            g_array_remove_index_fast (loop->children, i);
            break;
          }
      if (tell)
        answer (loop, LAB_FORK_MSG_EXITED, pid, status, NULL);
    }
}

static void
take_state (LabForkServerLoop *loop,
            const guint8      *payload,
            gsize              length)
{
  g_autoptr(GError) error = NULL;
  LabPyValue *state = lab_pickle_loads (payload, length, &error);

  if (state == NULL || lab_py_value_kind (state) != LAB_PY_DICT)
    {
      answer (loop, LAB_FORK_MSG_FAILED, 0, 0,
              error != NULL ? error->message : "the state is not a dict");
      g_clear_pointer (&state, lab_py_value_unref);
      return;
    }
  g_clear_pointer (&loop->state, lab_py_value_unref);
  loop->state = state;
  answer (loop, LAB_FORK_MSG_OK, 0, 0, NULL);
}

/* In the child: the pipes become its stdin and stdout, the server's own
 * descriptors go, and it dies with the server. */
static void
become_worker (LabForkServerLoop *loop,
               pid_t              server,
               int                fds[2])
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The server may have died between fork() and prctl(). */
  if (getppid () != server)
    _exit (0);
  close (loop->sigfd);
  if (dup2 (fds[0], STDIN_FILENO) < 0 || dup2 (fds[1], STDOUT_FILENO) < 0)
    _exit (LAB_WORKER_EXIT_PROTOCOL);
  close (fds[0]);
  close (fds[1]);
  sigprocmask (SIG_SETMASK, &loop->old_mask, NULL);
  g_array_unref (loop->children);
}

LabPyValue *
lab_worker_fork_server (void)
{
  LabForkServerLoop loop = { 0 };
  pid_t server = getpid ();
  sigset_t chld;

  loop.sock = STDIN_FILENO;
  loop.children = g_array_new (FALSE, FALSE, sizeof (pid_t));
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  sigprocmask (SIG_BLOCK, &chld, &loop.old_mask);
  loop.sigfd = signalfd (-1, &chld, SFD_CLOEXEC);
  if (loop.sigfd < 0)
    exit (LAB_WORKER_EXIT_PROTOCOL);

  for (;;)
    {
      struct pollfd pfd[2] = { { loop.sock, POLLIN, 0 }, { loop.sigfd, POLLIN, 0 } };
      g_autofree guint8 *payload = NULL;
      LabForkMsg msg;
      int fds[2];

      if (poll (pfd, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (pfd[1].revents != 0)
        {
          struct signalfd_siginfo info;

          while (read (loop.sigfd, &info, sizeof info) < 0 && errno == EINTR)
            ;
          reap_children (&loop, TRUE);
        }
      if (pfd[0].revents == 0)
        continue;
      if (!lab_fork_msg_recv (loop.sock, &msg, &payload, fds))
        break;

      if (msg.type == LAB_FORK_MSG_STATE)
        take_state (&loop, payload, msg.length);
      else if (msg.type == LAB_FORK_MSG_FORK && fds[0] >= 0 && fds[1] >= 0)
        {
          pid_t pid = fork ();

          if (pid == 0)
            {
              become_worker (&loop, server, fds);
              /* What the parent sent before this fork, in our memory. */
              return loop.state;
            }
          close (fds[0]);
          close (fds[1]);
          if (pid < 0)
            answer (&loop, LAB_FORK_MSG_FAILED, 0, 0, g_strerror (errno));
          else
            {
              g_array_append_val (loop.children, pid);
              answer (&loop, LAB_FORK_MSG_FORKED, pid, 0, NULL);
            }
        }
      else
        {
          for (guint i = 0; i < 2; i++)
            if (fds[i] >= 0)
              close (fds[i]);
          answer (&loop, LAB_FORK_MSG_FAILED, 0, 0, "unknown request");
        }
    }

  /* The app closed the socket: nothing may outlive this server. */
  for (guint i = 0; i < loop.children->len; i++)
    kill (g_array_index (loop.children, pid_t, i), SIGKILL);
  while (loop.children->len > 0)
    {
      int status;
      pid_t pid = waitpid (-1, &status, 0);

      if (pid < 0 && errno == EINTR)
        continue;
      if (pid < 0)
        break;
      reap_children (&loop, FALSE);
      for (guint i = 0; i < loop.children->len; i++)
        if (g_array_index (loop.children, pid_t, i) == pid)
          g_array_remove_index_fast (loop.children, i);
    }
  g_array_unref (loop.children);
  g_clear_pointer (&loop.state, lab_py_value_unref);
  close (loop.sigfd);
  exit (0);
}
