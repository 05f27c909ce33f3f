/* lab-child.h — one child process (GSubprocess) driven from a worker thread,
 * with its life recorded on a process lane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-capture.h"
#include "lab-recorder.h"

G_BEGIN_DECLS

/* Without a timeout: after the child ended, how long its pipes may stay
 * open (a background process it started may hold them) before that
 * process and the rest of the child's process group are killed. */
#define LAB_CHILD_EOF_GRACE_MS  1000

/* How much of each output is kept as raw bytes (lab_child_get_head()). */
#define LAB_CHILD_HEAD_BYTES  4096

typedef struct _LabChild LabChild;

/* Everything happens on the calling thread: a private GMainContext is its
 * thread-default context from lab_child_new() to lab_child_free(), and the
 * child's events are recorded on @lane by this thread. The child leads a
 * process group of its own, which every process it starts joins unless it
 * leaves on purpose (setsid); "killing" below means SIGKILL to that whole
 * group. Cancelling @cancellable kills at once. */
LabChild     *lab_child_new            (LabLane      *lane,
                                        GCancellable *cancellable);
/* Kills the child if it still runs and waits until it is reaped. (Once the
 * child has ended by itself, what it left running in the background is
 * left alone, as Python leaves it.) */
void          lab_child_free           (LabChild *self);

/* Before lab_child_spawn(): the folder the child starts in (NULL: ours),
 * like Popen(cwd=...). */
void          lab_child_set_cwd        (LabChild           *self,
                                        const char         *cwd);
/* Before lab_child_spawn(): KEY=VALUE entries added to (or replacing in)
 * our environment for the child, like Popen(env={**os.environ, ...}). */
void          lab_child_set_env        (LabChild           *self,
                                        const char * const *env);

/* Before lab_child_spawn(): while the child runs, show each process it
 * starts itself on a lane of its own (what a shell runs, for os.system). */
void          lab_child_set_show_tree  (LabChild           *self,
                                        gboolean            show);

/* Starts @argv (no shell; a name without '/' is looked up in PATH). stdin
 * is a pipe if @pipe_stdin, else /dev/null; stdout and stderr are pipes if
 * @capture, else /dev/null. On failure, @error says why in plain words
 * (G_IO_ERROR_NOT_FOUND, G_IO_ERROR_PERMISSION_DENIED, ...) and the lane
 * shows it. */
gboolean      lab_child_spawn          (LabChild            *self,
                                        const char * const  *argv,
                                        gboolean             pipe_stdin,
                                        gboolean             capture,
                                        GError             **error);

/* Like Popen.poll(): serves pending events without blocking and returns
 * TRUE once the child has ended. */
gboolean      lab_child_poll           (LabChild *self);
/* Serves events for up to @ns nanoseconds; returns early when the child
 * ends or the run is cancelled. TRUE if the child has ended. */
gboolean      lab_child_wait_for       (LabChild *self,
                                        gint64    ns);
/* Like Popen.wait(timeout): serves the child's exit, reads nothing, and
 * returns TRUE once the child has ended, FALSE when @timeout_s (> 0) is
 * up or the run was cancelled. As in Python, a timeout does not kill the
 * child. While it waits, the child's lane shows how full its unread
 * stdout pipe gets (see lab_child_get_pipe_full()). */
gboolean      lab_child_wait           (LabChild *self,
                                        double    timeout_s);
/* SIGKILL to the child's process group, with @label as the mark that says
 * why; then the child is reaped and what its pipes still held is read. */
void          lab_child_kill           (LabChild   *self,
                                        const char *label);

/* Like Popen.communicate(input, timeout): writes @input (may be NULL) to
 * stdin and closes it, reads stdout and stderr to their end, and waits for
 * the child. With @timeout_s > 0 the whole call is bounded: when the time
 * is up the child's group is killed, whether the child itself still runs
 * or only the pipes are held open. Without one, pipes still open
 * LAB_CHILD_EOF_GRACE_MS after the child ended get its group killed (see
 * lab_child_get_pipes_held()). Returns when all is done, or soon after the
 * run was cancelled. */
void          lab_child_communicate    (LabChild *self,
                                        GBytes   *input,
                                        double    timeout_s);

/* 0 if unknown: the child ended (and was reaped) before it was asked. */
gint          lab_child_get_pid        (LabChild *self);
gboolean      lab_child_has_exited     (LabChild *self);
/* Like Popen.returncode: the exit status, or minus the signal that killed
 * the child (-9 for SIGKILL); -1 before it ended. */
gint          lab_child_get_exit_code  (LabChild *self);
/* The signal that killed the child, 0 if none. */
gint          lab_child_get_term_sig   (LabChild *self);
gboolean      lab_child_get_timed_out  (LabChild *self);
/* The run was cancelled while the child ran (it was killed). */
gboolean      lab_child_get_stopped    (LabChild *self);
/* The child ended, but some process it started kept its pipes open for
 * LAB_CHILD_EOF_GRACE_MS (no timeout was set): the group was killed. */
gboolean      lab_child_get_pipes_held (LabChild *self);
guint64       lab_child_get_stdin_bytes (LabChild *self);
/* The child closed its stdin before it had all the input. */
gboolean      lab_child_get_stdin_broken (LabChild *self);
/* The child filled its stdout pipe while the parent waited without
 * reading it: it was blocked in write(). */
gboolean      lab_child_get_pipe_full  (LabChild *self);
/* How many stdout bytes were in the pipe, unread, when it was last seen
 * during lab_child_wait(). */
gint          lab_child_get_pipe_unread (LabChild *self);
/* The first bytes of stdout (0) or stderr (1) as the child wrote them, up
 * to LAB_CHILD_HEAD_BYTES; NULL without capture. */
GBytes       *lab_child_get_head       (LabChild *self,
                                        guint     stream);
/* NULL without capture. */
LabCapture   *lab_child_get_stdout     (LabChild *self);
LabCapture   *lab_child_get_stderr     (LabChild *self);

/* "SIGKILL" for 9 and so on; NULL if unknown. */
const char   *lab_signal_name          (gint signum);
/* "killed by signal 9 (SIGKILL)", caller frees. */
char         *lab_signal_describe      (gint signum);

G_END_DECLS
