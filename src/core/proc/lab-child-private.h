/* lab-child-private.h — the insides of LabChild, shared by lab-child.c
 * (life and death) and lab-child-pipes.c (stdin, stdout, stderr).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>

#include "lab-child.h"

G_BEGIN_DECLS

typedef struct
{
  const char    *name;     /* "stdout", "stderr" */
  GInputStream  *stream;
  GSource       *source;
  LabCapture    *capture;
  guint8        *buffer;
  gboolean       done;
  guint          n_marks;
  guint64        pending;  /* bytes read, not yet in a mark (coalescing) */
  GByteArray    *head;     /* the first bytes as they came, for Python's repr */
} LabChildStream;

typedef struct _LabChildTreeNode LabChildTreeNode;

struct _LabChild
{
  LabLane         *lane;
  LabRecorder     *recorder;
  GCancellable    *cancellable;
  GMainContext    *context;
  gulong           cancelled_id;
  GCancellable    *wait_cancellable; /* ours, for the wait at the end */
  gboolean         wait_pending;

  GSubprocess     *subprocess;
  gint             pid;
  gboolean         exited;
  gint             exit_code;
  gint             term_sig;
  gboolean         timed_out;
  gboolean         stopped;
  gboolean         group_killed;     /* SIGKILL sent to the process group */
  gboolean         pipes_held;
  gboolean         communicating;    /* the parent reads and writes now */

  GOutputStream   *stdin_stream;
  GBytes          *input;
  gsize            input_pos;
  GSource         *stdin_source;
  gboolean         stdin_done;
  gboolean         stdin_broken;
  guint64          stdin_bytes;
  guint            stdin_marks;
  gboolean         sigpipe_blocked;
  sigset_t         old_mask;

  LabChildStream   out[2];           /* stdout, stderr */

  char            *cwd;
  char           **env;              /* KEY=VALUE added to our environment */
  gint             pipe_unread;      /* stdout bytes nobody read, while waiting */
  gboolean         pipe_full;        /* the child filled stdout while unread */
  guint            unread_marks;

  gboolean         show_tree;        /* a lane per process the child starts */
  GPtrArray       *tree;             /* of LabChildTreeNode */
  GSource         *tree_source;

  GSource         *timeout_source;
  GSource         *eof_source;
  double           timeout_s;
};

void      lab_child_clear_source   (GSource **source);
GSource  *lab_child_attach_timeout (LabChild    *self,
                                    guint        ms,
                                    GSourceFunc  func);
/* A mark on the child's lane. */
void      lab_child_mark           (LabChild   *self,
                                    guint16     flags,
                                    gint64      value,
                                    const char *label);
/* One iteration of the context, acting on Stop before and after. */
void      lab_child_iterate        (LabChild *self,
                                    gboolean  may_block);
/* After the child ended: kills the group if the pipes are still open
 * LAB_CHILD_EOF_GRACE_MS from now. */
void      lab_child_start_eof_grace (LabChild *self);
/* The timeout is up: kills the group. */
gboolean  lab_child_on_timeout     (gpointer user_data);

/* lab-child-pipes.c */
void      lab_child_setup_pipes    (LabChild *self);
gboolean  lab_child_streams_done   (LabChild *self);
/* stdin written and closed, stdout and stderr read to their end. */
gboolean  lab_child_pipes_done     (LabChild *self);
void      lab_child_stream_finish  (LabChild       *self,
                                    LabChildStream *s);
void      lab_child_release_pipes  (LabChild *self);
/* While the parent waits without reading: marks how full the stdout pipe
 * gets, and that it is full. */
void      lab_child_watch_unread   (LabChild *self);

/* lab-child-words.c */
/* @spawn_error (G_SPAWN_ERROR) for @program as a G_IO_ERROR in words. */
void      lab_child_set_spawn_error (GError     **error,
                                     const char  *program,
                                     GError      *spawn_error);
/* FALSE with @error set when @cwd (may be NULL) is not a folder. */
gboolean  lab_child_check_cwd      (const char  *cwd,
                                    GError     **error);

/* lab-child-tree.c: right after the spawn, and in lab_child_free(). */
void      lab_child_tree_start     (LabChild *self);
void      lab_child_tree_finish    (LabChild *self);

G_END_DECLS
