/* test-proc-sampler.c — the /proc sampler on real processes: a lane per
 * thread with its name, on-CPU spans of busy threads with valid CPUs, CPU
 * time of busy and sleeping threads, a followed grandchild, no thread and
 * no file left behind, and the process limit.
 *
 * Counts and presence only (the machine is shared); the rate and its cost
 * are measured by bench-sampler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-cores.h"
#include "lab-proc-sampler.h"
#include "test-proc-util.h"

#define PYTHON "/usr/bin/python3"

/* Two CPU-bound threads, one sleeping, and a child that starts a busy
 * grandchild; every thread and the grandchild print their ids. The busy
 * ones keep going until a line (or the end) on standard input: a sampler
 * slowed down by a loaded machine still sees as many turns as the test
 * waits for. Turns under the interpreter lock last 50 ms (5 ms by
 * default) so that samples far apart still see each thread wait between
 * two of its turns. */
static const char tree_program[] =
  "import os, subprocess, sys, threading, time\n"
  "sys.setswitchinterval(0.05)\n"
  "stop = threading.Event()\n"
  "def busy():\n"
  "    while not stop.is_set():\n"
  "        pass\n"
  "threads = [threading.Thread(target=busy), threading.Thread(target=busy),\n"
  "           threading.Thread(target=time.sleep, args=(0.35,))]\n"
  "for t in threads:\n"
  "    t.start()\n"
  "inner = 'import os, select\\nos.write(1, b\"grandchild %d\\\\n\" % os.getpid())\\n' \\\n"
  "        'while not select.select([0], [], [], 0)[0]:\\n    for _ in range(10000): pass\\n'\n"
  "child = subprocess.Popen([sys.executable, '-c',\n"
  "                          'import subprocess, sys; subprocess.run([sys.executable, \"-c\", sys.argv[1]])',\n"
  "                          inner], stdin=subprocess.PIPE)\n"
  "# One write(2) per line: the grandchild writes to the same pipe, and\n"
  "# print() may hand a line to the pipe in pieces.\n"
  "os.write(1, b'busy %d %d\\n' % (threads[0].native_id, threads[1].native_id))\n"
  "os.write(1, b'sleeper %d\\n' % threads[2].native_id)\n"
  "sys.stdin.readline()\n"
  "stop.set()\n"
  "child.stdin.close()\n"
  "for t in threads:\n"
  "    t.join()\n"
  "child.wait()\n";

/* Files this process holds open under /proc (what the sampler opens),
 * besides the listing itself: GLib's own files come and go with its
 * worker thread and are not counted. */
static guint
count_proc_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", entry, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "/proc/") &&
          !g_str_has_suffix (target, "/fd"))
        n++;
    }
  return n;
}

static guint
count_threads (void)
{
  return (guint) test_proc_self_status ("Threads");
}

static GSubprocess *
spawn_python (const char         *program,
              GSubprocessFlags    flags)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *child = g_subprocess_new (flags, &error, PYTHON, "-c", program, NULL);

  g_assert_no_error (error);
  return child;
}

static GPid
child_pid (GSubprocess *child)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (child), NULL, 10);
}

static const LabTraceLane *
find_lane (LabTrace *trace,
           gint      tid)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    if (lab_trace_get_lane (trace, i)->tid == tid)
      return lab_trace_get_lane (trace, i);
  return NULL;
}

static guint
count_running_spans (const LabTraceLane *lane)
{
  guint n = 0;

  for (guint i = 0; i < lane->spans[0]->len; i++)
    if (g_array_index (lane->spans[0], LabSpan, i).state == LAB_STATE_RUNNING)
      n++;
  return n;
}

static GVariant *
find_thread_metrics (GVariant *metrics,
                     gint      tid)
{
  g_autoptr(GVariant) per_thread = g_variant_lookup_value (metrics, "per_thread",
                                                            G_VARIANT_TYPE ("aa{sv}"));
  GVariantIter iter;
  GVariant *d;

  g_assert_nonnull (per_thread);
  g_variant_iter_init (&iter, per_thread);
  while ((d = g_variant_iter_next_value (&iter)) != NULL)
    {
      gint32 t;

      if (g_variant_lookup (d, "tid", "i", &t) && t == tid)
        return d;
      g_variant_unref (d);
    }
  return NULL;
}

static double
thread_cpu_s (GVariant *metrics,
              gint      tid)
{
  g_autoptr(GVariant) d = find_thread_metrics (metrics, tid);
  double cpu_s = -1;

  g_assert_nonnull (d);
  g_assert_true (g_variant_lookup (d, "cpu_s", "d", &cpu_s));
  return cpu_s;
}

/* ---- tests ---- */

/* The ids the tree program prints, in whatever order its processes
 * write them. */
typedef struct
{
  gint busy[2];
  gint sleeper;
  gint grandchild;
} TreeIds;

static void
read_tree_ids (GDataInputStream *out,
               TreeIds          *ids)
{
  while (ids->busy[0] == 0 || ids->sleeper == 0 || ids->grandchild == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("the program printed: %s", line);
      if (sscanf (line, "busy %d %d", &ids->busy[0], &ids->busy[1]) != 2 &&
          sscanf (line, "sleeper %d", &ids->sleeper) != 1)
        sscanf (line, "grandchild %d", &ids->grandchild);
    }
}

static guint
count_lane_running_spans (LabTrace *trace,
                          gint      tid)
{
  const LabTraceLane *lane = find_lane (trace, tid);

  return lane != NULL ? count_running_spans (lane) : 0;
}

/* Lets the tree program's busy threads run until the sampler has seen each
 * of them begin a turn on a CPU a few times, and the grandchild once: on a
 * loaded machine that takes longer, not fewer samples. The bound only
 * keeps a broken sampler from hanging the test. */
static void
wait_for_turns (LabRecorder   *recorder,
                LabTrace      *trace,
                const TreeIds *ids)
{
  const guint min_turns = 3;
  gint64 give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  do
    {
      g_usleep (20 * 1000);
      lab_recorder_drain (recorder, trace);
    }
  while ((count_lane_running_spans (trace, ids->busy[0]) < min_turns ||
          count_lane_running_spans (trace, ids->busy[1]) < min_turns ||
          count_lane_running_spans (trace, ids->grandchild) < 1) &&
         g_get_monotonic_time () < give_up);
}

static void
test_tree (void)
{
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (recorder));
  g_autoptr(GSubprocess) child = spawn_python (tree_program, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GPid pid = child_pid (child);
  LabProcSampler *sampler = lab_proc_sampler_new (pid, LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS,
                                                  recorder, 0);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) metrics = NULL;
  TreeIds ids = { { 0, 0 }, 0, 0 };
  gint *busy = ids.busy, sleeper, grandchild;
  long n_cpus = sysconf (_SC_NPROCESSORS_CONF);
  guint64 handovers = 0;

  g_assert_true (lab_proc_sampler_start (sampler, &error));
  g_assert_no_error (error);
  read_tree_ids (out, &ids);
  sleeper = ids.sleeper;
  grandchild = ids.grandchild;
  g_assert_cmpint (busy[0], >, 0);
  g_assert_cmpint (busy[1], >, 0);
  g_assert_cmpint (sleeper, >, 0);
  g_assert_cmpint (grandchild, >, 0);
  wait_for_turns (recorder, trace, &ids);

  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (child), "stop\n", 5,
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  g_assert_true (lab_proc_sampler_stop (sampler, &error));
  g_assert_no_error (error);
  metrics = lab_proc_sampler_get_metrics (sampler);
  lab_recorder_drain (recorder, trace);

  /* A lane per thread, named for its command, process and thread. */
  {
    gint tids[] = { pid, busy[0], busy[1], sleeper };

    for (guint i = 0; i < G_N_ELEMENTS (tids); i++)
      {
        const LabTraceLane *lane = find_lane (trace, tids[i]);
        g_autofree char *name = g_strdup_printf ("python3 (pid %d, tid %d)", pid, tids[i]);

        g_assert_nonnull (lane);
        g_assert_cmpstr (lane->name, ==, name);
        g_assert_cmpint (lane->kind, ==, i == 0 ? LAB_LANE_MAIN : LAB_LANE_THREAD);
      }
  }

  /* The busy threads and the grandchild were seen on a CPU. */
  g_assert_cmpuint (count_running_spans (find_lane (trace, busy[0])), >, 0);
  g_assert_cmpuint (count_running_spans (find_lane (trace, busy[1])), >, 0);
  g_assert_nonnull (find_lane (trace, grandchild));
  g_assert_cmpint (find_lane (trace, grandchild)->kind, ==, LAB_LANE_PROCESS);
  g_assert_cmpuint (count_running_spans (find_lane (trace, grandchild)), >, 0);

  /* Every event names a real CPU; spans are closed at the end. */
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      for (guint j = 0; j < lane->events->len; j++)
        {
          gint16 cpu = g_array_index (lane->events, LabEvent, j).cpu;

          g_assert_cmpint (cpu, >=, 0);
          g_assert_cmpint (cpu, <, n_cpus);
        }
      for (guint j = 0; j < lane->spans[0]->len; j++)
        g_assert_false (g_array_index (lane->spans[0], LabSpan, j).open);
    }

  /* The cores view places the busy threads on CPUs. */
  {
    g_autoptr(LabTrace) cores = lab_trace_new_cores_view (trace);
    g_autofree char *busy_name = g_strdup_printf ("python3 (pid %d, tid %d)", pid, busy[0]);
    guint n_busy_spans = 0;

    g_assert_cmpuint (lab_trace_get_n_lanes (cores), >, 0);
    for (guint i = 0; i < lab_trace_get_n_lanes (cores); i++)
      {
        const LabTraceLane *lane = lab_trace_get_lane (cores, i);

        g_assert_true (g_str_has_prefix (lane->name, "CPU "));
        for (guint j = 0; j < lane->spans[0]->len; j++)
          if (g_strcmp0 (lab_trace_get_string (cores, g_array_index (lane->spans[0], LabSpan, j).label),
                         busy_name) == 0)
            n_busy_spans++;
      }
    g_assert_cmpuint (n_busy_spans, >, 0);
  }

  /* CPU time: the busy threads had some, the sleeper (next to) none. */
  g_assert_cmpfloat (thread_cpu_s (metrics, busy[0]), >, 0);
  g_assert_cmpfloat (thread_cpu_s (metrics, busy[1]), >, 0);
  g_assert_cmpfloat (thread_cpu_s (metrics, sleeper), <=, 0.02);
  g_assert_cmpfloat (thread_cpu_s (metrics, sleeper), <, thread_cpu_s (metrics, busy[0]));

  /* Two CPU-bound threads under the GIL take turns. */
  g_assert_true (g_variant_lookup (metrics, "handovers", "t", &handovers));
  g_test_message ("hand-overs seen: %" G_GUINT64_FORMAT, handovers);
  g_assert_cmpuint (handovers, >, 0);

  lab_proc_sampler_free (sampler);
}

/* Threads that come and go: their files are closed; stop ends the
 * sampling thread and closes the rest. */
static void
test_no_leaks (void)
{
  static const char program[] =
    "import threading, time\n"
    "def busy():\n"
    "    end = time.monotonic() + 0.02\n"
    "    while time.monotonic() < end:\n"
    "        pass\n"
    "for round in range(10):\n"
    "    ts = [threading.Thread(target=busy) for _ in range(4)]\n"
    "    for t in ts: t.start()\n"
    "    for t in ts: t.join()\n"
    "time.sleep(0.2)\n";
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) metrics = NULL;
  LabProcSampler *sampler;
  guint32 n_threads = 0;
  guint threads_before;

  g_assert_cmpuint (count_proc_fds (), ==, 0);
  child = spawn_python (program, G_SUBPROCESS_FLAGS_NONE);
  /* After the spawn, which may have started GLib's worker thread. */
  threads_before = count_threads ();
  sampler = lab_proc_sampler_new (child_pid (child), LAB_PROC_SAMPLER_FLAGS_NONE, recorder, 0);

  g_assert_true (lab_proc_sampler_start (sampler, &error));
  g_assert_no_error (error);
  /* It keeps the main thread's files open while it samples. */
  g_assert_cmpuint (count_proc_fds (), >=, 2);
  g_assert_cmpuint (count_threads (), ==, threads_before + 1);

  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lab_proc_sampler_stop (sampler, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_threads (), ==, threads_before);
  g_assert_cmpuint (count_proc_fds (), ==, 0);

  metrics = lab_proc_sampler_get_metrics (sampler);
  g_assert_true (g_variant_lookup (metrics, "threads", "u", &n_threads));
  g_test_message ("threads seen: %u", n_threads);
  g_assert_cmpuint (n_threads, >, 1);
  lab_proc_sampler_free (sampler);
  g_assert_cmpuint (count_proc_fds (), ==, 0);
}

/* A tree over the limit stops sampling with words a student reads. */
static void
test_limit (void)
{
  static const char program[] =
    "import subprocess, sys\n"
    "sys.stdin.readline()\n"
    "children = [subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(1)'])\n"
    "            for _ in range(4)]\n"
    "for c in children:\n"
    "    c.wait()\n";
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  LabProcSampler *sampler;

  /* The program waits for a line before it starts its children, so that
   * sampling starts under the limit and has to notice the tree grow. */
  child = spawn_python (program, G_SUBPROCESS_FLAGS_STDIN_PIPE);
  sampler = lab_proc_sampler_new (child_pid (child), LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS,
                                  recorder, 0);

  lab_proc_sampler_set_limits (sampler, 3, LAB_PROC_SAMPLER_MAX_THREADS);
  lab_proc_sampler_start (sampler, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (child), "go\n", 3,
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (lab_proc_sampler_stop (sampler, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==,
                   "The traced program started more than 3 processes; sampling stopped there");
  lab_proc_sampler_free (sampler);
  g_assert_cmpuint (count_proc_fds (), ==, 0);
}

/* A process that has already ended is reported, not sampled. */
static void
test_gone (void)
{
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GSubprocess) child = spawn_python ("pass", G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GPid pid = child_pid (child);
  LabProcSampler *sampler;

  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
  sampler = lab_proc_sampler_new (pid, LAB_PROC_SAMPLER_FLAGS_NONE, recorder, 0);
  g_assert_false (lab_proc_sampler_start (sampler, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (lab_proc_sampler_stop (sampler, NULL));
  g_assert_cmpuint (lab_recorder_get_n_lanes (recorder), ==, 0);
  lab_proc_sampler_free (sampler);
}

/* An ended child not yet reaped (a zombie) has ended too. */
static void
test_zombie (void)
{
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/true", NULL };
  g_autofree char *stat_path = NULL;
  LabProcSampler *sampler;
  GPid pid;
  int status;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  /* Waits for the state to become Z (without reaping). */
  for (;;)
    {
      g_autofree char *stat = NULL;

      g_assert_true (g_file_get_contents (stat_path, &stat, NULL, NULL));
      if (strstr (stat, ") Z ") != NULL)
        break;
      g_usleep (1000);
    }

  sampler = lab_proc_sampler_new (pid, LAB_PROC_SAMPLER_FLAGS_NONE, recorder, 0);
  g_assert_false (lab_proc_sampler_start (sampler, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (lab_recorder_get_n_lanes (recorder), ==, 0);
  lab_proc_sampler_free (sampler);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_cmpuint (count_proc_fds (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs " PYTHON);
      return g_test_run ();
    }
  g_test_add_func ("/proc-sampler/tree", test_tree);
  g_test_add_func ("/proc-sampler/no-leaks", test_no_leaks);
  g_test_add_func ("/proc-sampler/limit", test_limit);
  g_test_add_func ("/proc-sampler/gone", test_gone);
  g_test_add_func ("/proc-sampler/zombie", test_zombie);
  return g_test_run ();
}
