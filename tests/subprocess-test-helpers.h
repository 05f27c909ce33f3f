/* subprocess-test-helpers.h — what test-subprocess.c and
 * test-subprocess-bad.c share: running subprocess-run through LabRunner and
 * looking at its metrics and trace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab-capture.h"
#include "lab-child.h"
#include "lab-experiments.h"
#include "lab-runner.h"
#include "test-exp-util.h"

/* A runner of subprocess-run with "key=value" assignments (NULL-terminated;
 * "preset=NICK" too), not started yet. */
#define new_runner(...) test_exp_runner (&lab_exp_subprocess_run, __VA_ARGS__)

/* Runs subprocess-run with the assignments of new_runner() and returns the
 * finished runner, whatever its state. */
#define run_with(...) run_sync (new_runner (__VA_ARGS__))

static inline LabRunner *
run_sync (LabRunner *runner)
{
  lab_runner_run_sync (runner, NULL);
  g_assert_cmpint (lab_runner_get_state (runner), !=, LAB_RUN_RUNNING);

  return runner;
}

static inline void
assert_done (LabRunner *runner)
{
  g_assert_no_error ((GError *) lab_runner_get_error (runner));
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_DONE);
}

static inline char *
metric_string (LabRunner  *runner,
               const char *key)
{
  g_autoptr(GVariant) value = test_metric (runner, key, "s");

  return g_variant_dup_string (value, NULL);
}

static inline const LabTraceLane *
lane_of_kind (LabTrace    *trace,
              LabLaneKind  kind)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    if (lab_trace_get_lane (trace, l)->kind == kind)
      return lab_trace_get_lane (trace, l);

  return NULL;
}

/* The first mark on @lane whose label starts with @prefix, at or after
 * @after_ns. */
static inline const LabEvent *
find_mark_after (LabTrace           *trace,
                 const LabTraceLane *lane,
                 const char         *prefix,
                 gint64              after_ns)
{
  for (guint m = 0; m < lane->marks->len; m++)
    {
      const LabEvent *event = &g_array_index (lane->events, LabEvent,
                                              g_array_index (lane->marks, guint32, m));

      if (event->ts_ns >= after_ns &&
          g_str_has_prefix (lab_trace_get_string (trace, event->label), prefix))
        return event;
    }

  return NULL;
}

/* The first mark on @lane whose label starts with @prefix. */
static inline const LabEvent *
find_mark (LabTrace           *trace,
           const LabTraceLane *lane,
           const char         *prefix)
{
  return find_mark_after (trace, lane, prefix, G_MININT64);
}

static inline guint
count_marks (LabTrace           *trace,
             const LabTraceLane *lane,
             const char         *prefix,
             gint64             *value_sum)
{
  guint n = 0;

  if (value_sum != NULL)
    *value_sum = 0;
  for (guint m = 0; m < lane->marks->len; m++)
    {
      const LabEvent *event = &g_array_index (lane->events, LabEvent,
                                              g_array_index (lane->marks, guint32, m));

      if (!g_str_has_prefix (lab_trace_get_string (trace, event->label), prefix))
        continue;
      n++;
      if (value_sum != NULL)
        *value_sum += event->value;
    }

  return n;
}

static inline const LabSpan *
find_span (LabTrace           *trace,
           const LabTraceLane *lane,
           LabState            state,
           const char         *prefix)
{
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      {
        const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

        if (span->state == state && !span->open &&
            (prefix == NULL || g_str_has_prefix (lab_trace_get_string (trace, span->label), prefix)))
          return span;
      }

  return NULL;
}

/* Printed lines of the child (flags must match exactly on the STDERR bit),
 * joined with newlines. */
static inline char *
output_of (LabTrace *trace,
           gboolean  stderr_lines,
           guint    *n_lines)
{
  const LabTraceLane *child = lane_of_kind (trace, LAB_LANE_PROCESS);
  const LabOutputLine *lines;
  GString *str = g_string_new (NULL);
  guint n, count = 0;

  lines = lab_trace_get_output (trace, &n);
  for (guint i = 0; i < n; i++)
    {
      if (lab_trace_get_lane (trace, lines[i].lane) != child)
        continue;
      if (((lines[i].flags & LAB_EVENT_FLAG_STDERR) != 0) != stderr_lines)
        continue;
      g_string_append_printf (str, "%s\n", lab_trace_get_string (trace, lines[i].label));
      count++;
    }
  if (n_lines != NULL)
    *n_lines = count;

  return g_string_free (str, FALSE);
}

/* The state ('R', 'S', 'Z' ...) and parent of the process named @name in
 * /proc; FALSE if it is not a process or is gone meanwhile. */
static inline gboolean
read_proc_stat (const char *name,
                char       *state,
                int        *ppid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  const char *after;

  if (!g_ascii_isdigit (name[0]))
    return FALSE;
  path = g_strdup_printf ("/proc/%s/stat", name);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* "pid (comm) state ppid ...": comm may contain anything, so start
   * after its last ')'. */
  after = strrchr (stat, ')');
  return after != NULL && sscanf (after + 1, " %c %d", state, ppid) == 2;
}

/* Child processes of this process (zombies included), from /proc. */
static inline guint
count_children (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char state;
      int ppid;

      if (read_proc_stat (name, &state, &ppid) && ppid == getpid ())
        n++;
    }

  return n;
}

