/* lab-child-tree.c — the processes a LabChild starts itself, each on a
 * lane of its own: what a shell does with a command line (os.system) is
 * seen, not guessed.
 *
 * Linux lists a process's children in /proc/PID/task/PID/children; a
 * timer on the owner's context reads that list while the child runs. A
 * process that lives shorter than one tick may be missed: the lanes show
 * what was seen, never invent. A new child first runs a copy of its parent
 * (fork) and then the program it executes, so its span is renamed, ended
 * and begun again, when its command line changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-child-private.h"

/* Often enough to see a command that runs for a few milliseconds. */
#define LAB_CHILD_TREE_TICK_MS 5
/* Lanes are a shared resource of the run: a shell loop must not eat them. */
#define LAB_CHILD_TREE_MAX_LANES 16

struct _LabChildTreeNode
{
  gint      pid;
  LabLane  *lane;
  char     *command;
  gboolean  seen;
  gboolean  gone;     /* left the list: its pid is not looked at again */
};

static void
node_free (LabChildTreeNode *node)
{
  g_free (node->command);
  g_free (node);
}

/* "sleep 1" from the NUL-separated /proc/PID/cmdline; NULL once gone. */
static char *
read_command (gint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL) || len == 0)
    {
      g_free (contents);
      return NULL;
    }
  for (gsize i = 0; i + 1 < len; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  return contents;
}

static void
node_gone (LabChild         *self,
           LabChildTreeNode *node)
{
  lab_lane_end (node->lane);
  lab_lane_mark (node->lane, lab_recorder_intern (self->recorder,
                                                  /* Translators: a mark on the lane of
                                                   * a process the child started */
                                                  _("ended")), 0, LAB_EVENT_FLAG_NONE, 0);
}

static void
node_update (LabChild         *self,
             LabChildTreeNode *node)
{
  g_autofree char *command = read_command (node->pid);

  if (command == NULL || g_strcmp0 (command, node->command) == 0)
    return;
  if (node->command != NULL)
    lab_lane_end (node->lane);
  g_free (node->command);
  node->command = g_steal_pointer (&command);
  lab_lane_begin (node->lane, LAB_STATE_RUNNING, lab_recorder_intern (self->recorder, node->command));
}

static void
node_add (LabChild *self,
          gint      pid)
{
  LabChildTreeNode *node;
  LabLane *lane;

  if (self->tree->len >= LAB_CHILD_TREE_MAX_LANES)
    return;
  /* Translators: the name of a lane on the timeline: a process started by
   * the child (e.g. by the shell that runs a command line) */
  lane = lab_recorder_try_add_lane (self->recorder, LAB_LANE_PROCESS, _("started by the child"), NULL);
  if (lane == NULL)
    return;
  lab_lane_set_tid (lane, pid);

  node = g_new0 (LabChildTreeNode, 1);
  node->pid = pid;
  node->lane = lane;
  node->seen = TRUE;
  g_ptr_array_add (self->tree, node);
  node_update (self, node);
}

static LabChildTreeNode *
node_find (LabChild *self,
           gint      pid)
{
  for (guint i = 0; i < self->tree->len; i++)
    {
      LabChildTreeNode *node = g_ptr_array_index (self->tree, i);

      if (node->pid == pid)
        return node;
    }
  return NULL;
}

/* One look at the child's children. */
static void
tree_scan (LabChild *self)
{
  g_autofree char *path = NULL;
  g_autofree char *list = NULL;
  g_auto(GStrv) pids = NULL;

  for (guint i = 0; i < self->tree->len; i++)
    ((LabChildTreeNode *) g_ptr_array_index (self->tree, i))->seen = FALSE;

  path = g_strdup_printf ("/proc/%d/task/%d/children", self->pid, self->pid);
  if (!self->exited && self->pid > 0 && g_file_get_contents (path, &list, NULL, NULL))
    pids = g_strsplit (g_strstrip (list), " ", -1);

  for (guint i = 0; pids != NULL && pids[i] != NULL; i++)
    {
      gint pid = (gint) g_ascii_strtoll (pids[i], NULL, 10);
      LabChildTreeNode *node = pid > 0 ? node_find (self, pid) : NULL;

      if (pid <= 0)
        continue;
      if (node == NULL)
        node_add (self, pid);
      /* A process caught in the middle of exec has no command line yet;
       * it gets its span at a later tick. */
      else if (!node->gone)
        {
          node->seen = TRUE;
          node_update (self, node);
        }
    }

  /* Gone (or never seen running): their spans end now. */
  for (guint i = 0; i < self->tree->len; i++)
    {
      LabChildTreeNode *node = g_ptr_array_index (self->tree, i);

      if (node->seen || node->gone)
        continue;
      node->gone = TRUE;
      if (node->command != NULL)
        {
          node_gone (self, node);
          g_clear_pointer (&node->command, g_free);
        }
    }
}

static gboolean
on_tree_tick (gpointer user_data)
{
  LabChild *self = user_data;

  tree_scan (self);
  if (!self->exited)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->tree_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

void
lab_child_set_show_tree (LabChild *self,
                         gboolean  show)
{
  g_return_if_fail (self->subprocess == NULL);
  self->show_tree = show;
}

void
lab_child_tree_start (LabChild *self)
{
  if (!self->show_tree || self->tree_source != NULL)
    return;
  self->tree = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  tree_scan (self);
  self->tree_source = lab_child_attach_timeout (self, LAB_CHILD_TREE_TICK_MS, on_tree_tick);
}

void
lab_child_tree_finish (LabChild *self)
{
  if (self->tree == NULL)
    return;
  lab_child_clear_source (&self->tree_source);
  for (guint i = 0; i < self->tree->len; i++)
    {
      LabChildTreeNode *node = g_ptr_array_index (self->tree, i);

      if (node->command != NULL)
        node_gone (self, node);
    }
  g_clear_pointer (&self->tree, g_ptr_array_unref);
}
