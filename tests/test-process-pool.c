/* test-process-pool.c — LabProcessPool with the real worker helper: map
 * results in order for many sizes and chunk sizes, the task→worker
 * assignment on the timeline, a worker killed mid-task, a worker stopped
 * (SIGSTOP) or hung mid-task and the watchdog that ends the map, a long
 * task that keeps reporting progress and is left alone, helpers that are
 * missing or are not the helper, Stop, and no zombies or leaked
 * descriptors after many pools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "lab-process-pool.h"
#include "test-proc-util.h"

/* ---- helpers ---- */

/* GLib's worker thread may still hold the last reference to a reaped
 * child's GSubprocess (and so its pipes) for a moment: wait until the count
 * stays the same for 50 ms (at most two seconds). */
static guint
count_fds_settled (void)
{
  guint last = test_count_self ("fd"), same = 0;

  for (guint i = 0; i < 200 && same < 5; i++)
    {
      guint now;

      g_usleep (10 * 1000);
      now = test_count_self ("fd");
      same = now == last ? same + 1 : 0;
      last = now;
    }
  return last;
}


/* Cancels a map that hangs (which is what the watchdog is there to
 * prevent), so that such a failure ends the test instead of blocking it. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      done;
  GCancellable *cancellable;
  GThread      *thread;
} Guard;

#define GUARD_S 30

static gpointer
guard_run (gpointer data)
{
  Guard *guard = data;
  gint64 until = g_get_monotonic_time () + GUARD_S * G_TIME_SPAN_SECOND;

  g_mutex_lock (&guard->lock);
  while (!guard->done && g_cond_wait_until (&guard->cond, &guard->lock, until))
    ;
  if (!guard->done)
    g_cancellable_cancel (guard->cancellable);
  g_mutex_unlock (&guard->lock);
  return NULL;
}

static void
guard_start (Guard *guard)
{
  g_mutex_init (&guard->lock);
  g_cond_init (&guard->cond);
  guard->done = FALSE;
  guard->cancellable = g_cancellable_new ();
  guard->thread = g_thread_new ("guard", guard_run, guard);
}

static void
guard_stop (Guard *guard)
{
  g_mutex_lock (&guard->lock);
  guard->done = TRUE;
  g_cond_signal (&guard->cond);
  g_mutex_unlock (&guard->lock);
  g_thread_join (guard->thread);
  g_clear_object (&guard->cancellable);
  g_cond_clear (&guard->cond);
  g_mutex_clear (&guard->lock);
}

static LabProcessPool *
new_pool (guint        n_workers,
          LabRecorder *recorder,
          LabLane     *lane)
{
  LabProcessPoolOptions options = { .n_workers = n_workers };
  g_autoptr(GError) error = NULL;
  LabProcessPool *pool = lab_process_pool_new (&options, recorder, lane, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pool);
  return pool;
}

/* In @trace no span is left open, and exactly one mark is an error: on
 * lane @lane, saying @message. */
static void
assert_one_error_mark (LabTrace   *trace,
                       guint       lane_index,
                       const char *message)
{
  guint error_marks = 0;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        for (guint s = 0; s < lane->spans[d]->len; s++)
          g_assert_false (g_array_index (lane->spans[d], LabSpan, s).open);
      for (guint m = 0; m < lane->marks->len; m++)
        {
          const LabEvent *e = &g_array_index (lane->events, LabEvent,
                                              g_array_index (lane->marks, guint32, m));

          if (e->flags & LAB_EVENT_FLAG_ERROR)
            {
              g_assert_cmpuint (l, ==, lane_index);
              g_assert_cmpstr (lab_trace_get_string (trace, e->label), ==, message);
              error_marks++;
            }
        }
    }
  g_assert_cmpuint (error_marks, ==, 1);
}

static gint64 *
new_values (guint n)
{
  gint64 *values = g_new0 (gint64, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    values[i] = (gint64) i * 3 - 5;
  return values;
}

static void
check_doubled (const LabPoolMapResult *result,
               const gint64           *values,
               guint                   n,
               guint                   n_workers)
{
  g_assert_cmpuint (result->n_items, ==, n);
  for (guint i = 0; i < n; i++)
    {
      gint64 got = 0;

      g_assert_true (lab_pool_map_result_get_i64 (result, i, &got));
      g_assert_cmpint (got, ==, 2 * values[i]);
      g_assert_cmpuint (result->worker_of_item[i], <, n_workers);
    }
}

/* ---- map ---- */

static void
test_find_worker (void)
{
  g_autofree char *path = lab_process_pool_find_worker ();

  /* The test environment points at the helper of this build. */
  g_assert_cmpstr (path, ==, g_getenv ("LAB_WORKER_PATH"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_true (g_str_has_suffix (path, "/" LAB_WORKER_NAME));
  g_assert_cmpuint (lab_process_pool_auto_chunksize (10, 2), ==, 2);  /* divmod(10, 8) */
  g_assert_cmpuint (lab_process_pool_auto_chunksize (10, 11), ==, 1);
  g_assert_cmpuint (lab_process_pool_auto_chunksize (1000, 4), ==, 63);
  g_assert_cmpuint (lab_process_pool_auto_chunksize (0, 4), ==, 1);
}

/* The bytes of the pickles Pool.map sends for @n @values in chunks of
 * @chunksize: (0, first, "mapstar", ((name, (x, …)),), {}) each. */
static guint64
pickled_task_bytes (LabWireFunction  function,
                    const gint64    *values,
                    guint            n,
                    guint            chunksize)
{
  guint64 bytes = 0;

  for (guint first = 0; first < n; first += chunksize)
    {
      guint k = MIN (chunksize, n - first);
      g_autofree LabPyValue **args = g_new (LabPyValue *, k);
      g_autoptr(LabPyValue) task = NULL;
      g_autoptr(GBytes) pickle = NULL;

      for (guint i = 0; i < k; i++)
        args[i] = lab_py_int_new (values[first + i]);
      task = lab_wire_task_tuple_new (0, first, function, lab_py_tuple_new (args, k));
      pickle = lab_pickle_dumps (task);
      bytes += g_bytes_get_size (pickle);
    }
  return bytes;
}

static void
test_map_sizes (void)
{
  static const guint worker_counts[] = { 1, 2, 3 };
  static const guint sizes[] = { 0, 1, 2, 7, 100, 1000 };
  static const guint chunksizes[] = { 0, 1, 3, 64 };

  for (guint w = 0; w < G_N_ELEMENTS (worker_counts); w++)
    {
      LabProcessPool *pool = new_pool (worker_counts[w], NULL, NULL);

      /* One pool, many maps: workers are reused. */
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        for (guint c = 0; c < G_N_ELEMENTS (chunksizes); c++)
          {
            g_autofree gint64 *values = new_values (sizes[s]);
            LabPoolMap map = {
              .function = LAB_WIRE_FN_DOUBLE,
              .n_items = sizes[s],
              .values = values,
              .chunksize = chunksizes[c],
            };
            LabPoolMapResult result;
            g_autoptr(GError) error = NULL;
            guint expected_chunk = chunksizes[c] > 0
              ? chunksizes[c] : lab_process_pool_auto_chunksize (sizes[s], worker_counts[w]);

            g_assert_true (lab_process_pool_map (pool, &map, &result, &error));
            g_assert_no_error (error);
            check_doubled (&result, values, sizes[s], worker_counts[w]);
            g_assert_cmpuint (result.stats.chunksize, ==, expected_chunk);
            g_assert_cmpuint (result.stats.n_chunks, ==,
                              (sizes[s] + expected_chunk - 1) / expected_chunk);
            /* What went through the pipes is the tasks' pickles. */
            g_assert_cmpuint (result.stats.item_bytes, ==,
                              pickled_task_bytes (map.function, values, sizes[s], expected_chunk));
            g_assert_cmpint (result.stats.end_ns, >=, result.stats.start_ns);
            lab_pool_map_result_clear (&result);
          }
      lab_process_pool_free (pool);
    }
  test_assert_no_children ();
}

/* As many items as workers: each worker gets exactly one. */
static void
test_map_assignment (void)
{
  LabProcessPool *pool = new_pool (4, NULL, NULL);
  g_autofree gint64 *values = new_values (4);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 4, .values = values,
                     .chunksize = 1, .argument = 2 * 1000 * 1000 };
  LabPoolMapResult result;
  guint seen = 0;

  for (guint round = 0; round < 3; round++)
    {
      seen = 0;
      g_assert_true (lab_process_pool_map (pool, &map, &result, NULL));
      check_doubled (&result, values, 4, 4);
      for (guint i = 0; i < 4; i++)
        seen |= 1u << result.worker_of_item[i];
      g_assert_cmpuint (seen, ==, 0xf);
      lab_pool_map_result_clear (&result);
    }
  for (guint i = 0; i < 4; i++)
    for (guint j = i + 1; j < 4; j++)
      g_assert_cmpint (lab_process_pool_get_pid (pool, i), !=, lab_process_pool_get_pid (pool, j));
  lab_process_pool_free (pool);
  test_assert_no_children ();
}

/* The timeline: a lane per worker with its pid, an arrow to the worker of
 * each chunk and one back, every span closed. */
static void
test_map_trace (void)
{
  g_autoptr(LabStringPool) strings = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (strings);
  g_autoptr(LabTrace) trace = lab_trace_new (strings);
  LabLane *main_lane = lab_recorder_add_lane (recorder, LAB_LANE_MAIN, "Main thread");
  g_autofree gint64 *values = new_values (10);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 10, .values = values,
                     .chunksize = 2, .label = "pool.map(multiplier, range(10))" };
  LabPoolMapResult result;
  LabProcessPool *pool;
  const LabFlowArrow *flows;
  guint n_flows, n_dispatch = 0, n_back = 0, n_calls = 0;
  gint pids[3];

  lab_lane_bind_thread (main_lane);
  pool = new_pool (3, recorder, main_lane);
  g_assert_cmpint (lab_process_pool_get_spawn_ns (pool), >, 0);
  g_assert_true (lab_process_pool_map (pool, &map, &result, NULL));
  check_doubled (&result, values, 10, 3);
  for (guint w = 0; w < 3; w++)
    pids[w] = lab_process_pool_get_pid (pool, w);
  lab_process_pool_free (pool);
  lab_recorder_drain (recorder, trace);

  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 4);
  for (guint w = 0; w < 3; w++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, 1 + w);
      g_autofree char *name = g_strdup_printf ("Worker %u (pid %d)", w, pids[w]);
      guint spawning = 0;

      g_assert_cmpint (lane->kind, ==, LAB_LANE_PROCESS);
      g_assert_cmpint (lane->tid, ==, pids[w]);
      g_assert_cmpstr (lane->name, ==, name);
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        for (guint s = 0; s < lane->spans[d]->len; s++)
          {
            const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

            g_assert_false (span->open);
            spawning += span->state == LAB_STATE_SPAWNING;
            if (span->state == LAB_STATE_RUNNING &&
                g_str_has_prefix (lab_trace_get_string (trace, span->label), "multiplier("))
              n_calls++;
          }
      g_assert_cmpuint (spawning, ==, 1);
    }
  g_assert_cmpuint (n_calls, ==, 10);

  /* Five chunks: five arrows out, five back, each to / from the lane of
   * the worker that ran the chunk. */
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    {
      const LabTraceLane *from = lab_trace_get_lane (trace, flows[f].from_lane);
      const LabTraceLane *to = lab_trace_get_lane (trace, flows[f].to_lane);

      if (from->kind == LAB_LANE_MAIN && to->kind == LAB_LANE_PROCESS)
        {
          const LabEvent *arrival = &g_array_index (to->events, LabEvent, flows[f].to_index);
          const char *label = lab_trace_get_string (trace, arrival->label);
          guint first;

          g_assert_true (sscanf (label, "tasks %u", &first) == 1);
          g_assert_cmpuint (flows[f].to_lane, ==, 1 + result.worker_of_item[first]);
          n_dispatch++;
        }
      else if (from->kind == LAB_LANE_PROCESS && to->kind == LAB_LANE_MAIN)
        n_back++;
    }
  g_assert_cmpuint (n_dispatch, ==, 5);
  g_assert_cmpuint (n_back, ==, 5);
  lab_pool_map_result_clear (&result);
  test_assert_no_children ();
}

static void
test_map_sums (void)
{
  LabProcessPool *pool = new_pool (2, NULL, NULL);
  gsize n = 1000003;
  g_autofree gint64 *array = g_new (gint64, n);
  LabWireItem parts[3];
  gint64 counts[3] = { 0, 1, 5000000 };
  LabPoolMap map = { .function = LAB_WIRE_FN_SUM_ARRAY, .n_items = 3, .items = parts,
                     .chunksize = 1, .argument = 1 };
  LabPoolMapResult result;
  gint64 expected[3] = { 0 }, got;
  guint64 pickled = 0;

  for (gsize i = 0; i < n; i++)
    array[i] = (gint64) i - 1000;
  parts[0] = (LabWireItem) { (const guint8 *) array, 400000 * sizeof (gint64) };
  parts[1] = (LabWireItem) { (const guint8 *) (array + 400000), (n - 400000) * sizeof (gint64) };
  parts[2] = (LabWireItem) { NULL, 0 };
  for (gsize i = 0; i < n; i++)
    expected[i < 400000 ? 0 : 1] += (gint64) i - 1000;

  g_assert_true (lab_process_pool_map (pool, &map, &result, NULL));
  for (guint k = 0; k < 3; k++)
    {
      g_assert_true (lab_pool_map_result_get_i64 (&result, k, &got));
      g_assert_cmpint (got, ==, expected[k]);
    }
  /* The parts went as pickled lists of ints, one task tuple each. */
  for (guint k = 0; k < 3; k++)
    {
      LabPyValue *list = lab_py_int_list_new ((const gint64 *) (gconstpointer) parts[k].data,
                                              parts[k].length / sizeof (gint64));
      g_autoptr(LabPyValue) task = lab_wire_task_tuple_new (0, k, LAB_WIRE_FN_SUM_ARRAY,
                                                            lab_py_tuple_new (&list, 1));
      g_autoptr(GBytes) pickle = lab_pickle_dumps (task);

      pickled += g_bytes_get_size (pickle);
    }
  g_assert_cmpuint (result.stats.item_bytes, ==, pickled);
  g_assert_cmpuint (result.stats.frame_bytes, >, pickled);
  g_assert_cmpint (result.stats.pickle_ns, >, 0);
  g_assert_cmpint (result.stats.unpickle_ns, >, 0);
  g_assert_cmpint (result.stats.worker_unpickle_ns, >, 0);
  g_assert_cmpint (result.stats.worker_pickle_ns, >, 0);
  g_assert_cmpint (result.stats.send_end_ns, >, result.stats.start_ns);
  lab_pool_map_result_clear (&result);

  map = (LabPoolMap) { .function = LAB_WIRE_FN_SUM_N, .n_items = 3, .values = counts,
                       .chunksize = 1, .argument = 0 };
  g_assert_true (lab_process_pool_map (pool, &map, &result, NULL));
  for (guint k = 0; k < 3; k++)
    {
      g_assert_true (lab_pool_map_result_get_i64 (&result, k, &got));
      g_assert_cmpint (got, ==, counts[k]);
    }
  /* Counts are a few bytes of pickle each, whatever their value. */
  g_assert_cmpuint (result.stats.item_bytes, ==,
                    pickled_task_bytes (LAB_WIRE_FN_SUM_N, counts, 3, 1));
  g_assert_cmpuint (result.stats.item_bytes, <, 3 * 64);
  lab_pool_map_result_clear (&result);

  lab_process_pool_free (pool);
  test_assert_no_children ();
}

/* ---- failures ---- */

static void
check_crash (guint        chunksize,
             const char  *tasks)
{
  g_autoptr(LabStringPool) strings = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (strings);
  g_autoptr(LabTrace) trace = lab_trace_new (strings);
  LabLane *main_lane = lab_recorder_add_lane (recorder, LAB_LANE_MAIN, "Main thread");
  g_autofree gint64 *values = new_values (10);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 10, .values = values,
                     .chunksize = chunksize, .argument = 1000 * 1000,
                     .crash_item = 7, .crash_signal = SIGSEGV };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  LabPoolMapResult result;
  LabProcessPool *pool;
  guint crashed;

  lab_lane_bind_thread (main_lane);
  pool = new_pool (2, recorder, main_lane);
  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  crashed = result.worker_of_item[7];
  expected = g_strdup_printf ("Worker %u (pid %d) was killed by signal 11 (SIGSEGV) while "
                              "running %s", crashed, lab_process_pool_get_pid (pool, crashed),
                              tasks);
  g_assert_cmpstr (error->message, ==, expected);
  lab_pool_map_result_clear (&result);
  /* Nothing is left running, even before the pool is freed. */
  test_assert_no_children ();

  /* The pool refuses more work instead of hanging. */
  g_clear_error (&error);
  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);

  /* On the timeline: the crash is marked on its worker's lane, and no
   * span is left open anywhere. */
  lab_recorder_drain (recorder, trace);
  assert_one_error_mark (trace, 1 + crashed, expected);
}

static void
test_crash (void)
{
  check_crash (1, "task 7");
  check_crash (3, "tasks 6–8");
}

static void
expect_start_failure (const char *path,
                      gint        code,
                      const char *needle)
{
  LabProcessPoolOptions options = { .n_workers = 2, .worker_path = path };
  g_autoptr(GError) error = NULL;
  LabProcessPool *pool = lab_process_pool_new (&options, NULL, NULL, NULL, &error);

  g_assert_null (pool);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  if (code >= 0)
    g_assert_error (error, G_IO_ERROR, code);
  g_assert_nonnull (strstr (error->message, needle));
  test_assert_no_children ();
}

static void
test_bad_helper (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-pool-XXXXXX", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.sh", NULL);
  g_autofree char *plain = g_build_filename (dir, "not-executable", NULL);
  LabProcessPoolOptions options = { .n_workers = 33 };
  g_autoptr(GError) error = NULL;

  /* Missing: the message names the path. */
  expect_start_failure ("/nonexistent/concurrency-lab-worker", G_IO_ERROR_NOT_FOUND,
                        "“/nonexistent/concurrency-lab-worker” was not found");
  /* There, but not a program. */
  g_assert_true (g_file_set_contents (plain, "hello\n", -1, NULL));
  expect_start_failure (plain, -1, plain);
  /* Programs that do not speak the protocol: one that ends at once, one
   * that echoes its input (a HELLO is not a READY), one that writes text
   * and then waits forever. */
  expect_start_failure ("/bin/true", G_IO_ERROR_BROKEN_PIPE, "exited with status 0");
  expect_start_failure ("/bin/cat", -1, "unexpected HELLO frame");
  g_assert_true (g_file_set_contents (garbage,
                                      "#!/bin/sh\necho 'this is not a frame'\nexec sleep 30\n",
                                      -1, NULL));
  g_assert_no_errno (g_chmod (garbage, 0755));
  expect_start_failure (garbage, -1, "sent data that is not a protocol frame: Not a worker "
                                     "protocol frame (bad magic bytes 74 68 69 73)");

  /* Too many. */
  g_assert_null (lab_process_pool_new (&options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_unlink (garbage);
  g_unlink (plain);
  g_rmdir (dir);
}

/* A task the worker cannot run comes back as an ERROR frame. */
static void
test_worker_error (void)
{
  LabProcessPool *pool = new_pool (1, NULL, NULL);
  gint64 value = 1;
  LabPoolMap map = { .function = 99, .n_items = 1, .values = &value };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  LabPoolMapResult result;

  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  expected = g_strdup_printf ("Worker 0 (pid %d) could not run task 0: Unknown task function 99",
                              lab_process_pool_get_pid (pool, 0));
  g_assert_cmpstr (error->message, ==, expected);
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  test_assert_no_children ();
}

/* A task whose pickle is cut short: the worker says so, naming itself and
 * the task, and neither side crashes. */
static void
test_bad_pickle (void)
{
  LabProcessPool *pool = new_pool (2, NULL, NULL);
  gint64 values[4] = { 1, 2, 3, 4 };
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 4, .values = values,
                     .chunksize = 2, .cut_pickles = TRUE };
  g_autoptr(GError) error = NULL;
  LabPoolMapResult result;

  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  /* The worker that got it, its pid, the first task of the chunk, why. */
  g_assert_true (g_regex_match_simple ("^Worker [01] \\(pid [0-9]+\\) could not run task [02]: "
                                       "its pickle cannot be read: pickle: .+$",
                                       error->message, 0, 0));
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  test_assert_no_children ();
}

/* ---- the watchdog ---- */

typedef struct
{
  LabProcessPool *pool;
  gint            stopped_pid;
} StopWorker;

/* After the first result: SIGSTOP worker 0, with items still to go (it
 * gets one, if it has none now). */
static void
stop_worker_0 (guint    done,
               guint    total,
               gpointer data)
{
  StopWorker *stop = data;

  if (stop->stopped_pid != 0)
    return;
  stop->stopped_pid = lab_process_pool_get_pid (stop->pool, 0);
  g_assert_no_errno (kill (stop->stopped_pid, SIGSTOP));
}

/* Runs @map on a pool of @n_workers with a watchdog of 0.3 s; it must
 * fail with a message that starts with @prefix and ends with @suffix (a
 * %u and a %d in @prefix stand for the worker and its pid, of @culprit or,
 * if -1, of the item @map->crash_item). Then no worker is left, the
 * message is marked on that worker's lane and no span is left open. */
static void
check_stall (LabPoolMap  *map,
             guint        n_workers,
             gint         culprit,
             const char  *suffix)
{
  g_autoptr(LabStringPool) strings = lab_string_pool_new ();
  g_autoptr(LabRecorder) recorder = lab_recorder_new (strings);
  g_autoptr(LabTrace) trace = lab_trace_new (strings);
  LabLane *main_lane = lab_recorder_add_lane (recorder, LAB_LANE_MAIN, "Main thread");
  LabProcessPoolOptions options = { .n_workers = n_workers };
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  StopWorker stop = { 0 };
  LabPoolMapResult result;
  LabProcessPool *pool;
  gint pids[LAB_PROCESS_POOL_MAX_WORKERS];
  Guard guard;

  guard_start (&guard);
  lab_lane_bind_thread (main_lane);
  pool = lab_process_pool_new (&options, recorder, main_lane, guard.cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (lab_process_pool_get_stall_timeout (pool), ==, LAB_PROCESS_POOL_STALL_S);
  lab_process_pool_set_stall_timeout (pool, 0.3);
  g_assert_cmpfloat (lab_process_pool_get_stall_timeout (pool), ==, 0.3);
  for (guint w = 0; w < n_workers; w++)
    pids[w] = lab_process_pool_get_pid (pool, w);
  if (map->progress == stop_worker_0)
    {
      stop.pool = pool;
      map->progress_data = &stop;
    }

  g_assert_false (lab_process_pool_map (pool, map, &result, &error));
  guard_stop (&guard);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  /* Not the guard's Stop: the watchdog's own verdict. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  if (culprit < 0)
    culprit = (gint) result.worker_of_item[map->crash_item];
  else
    g_assert_cmpint (stop.stopped_pid, ==, pids[culprit]);
  prefix = g_strdup_printf ("Worker %d (pid %d) stopped answering while working on ",
                            culprit, pids[culprit]);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_true (g_str_has_suffix (error->message, suffix));
  lab_pool_map_result_clear (&result);

  /* Every worker, the stopped one too, is killed and reaped before map
   * returns. */
  test_assert_no_children ();
  for (guint w = 0; w < n_workers; w++)
    test_assert_gone (pids[w]);
  lab_process_pool_free (pool);

  lab_recorder_drain (recorder, trace);
  assert_one_error_mark (trace, 1 + (guint) culprit, error->message);
}

/* A worker stopped with SIGSTOP in the middle of a map: alive, silent, and
 * deaf to SIGTERM. */
static void
test_stall_stopped (void)
{
  g_autofree gint64 *values = new_values (8);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 8, .values = values,
                     .chunksize = 1, .argument = 20 * 1000 * 1000,
                     .progress = stop_worker_0 };

  check_stall (&map, 2, 0, ": no progress for 0.3 s");
}

/* A task that never returns: the worker runs (on the CPU) but says
 * nothing. Alone, and with the other worker waiting for more work. */
static void
test_stall_hang (void)
{
  g_autofree gint64 *values = new_values (6);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 6, .values = values,
                     .chunksize = 2, .crash_item = 3, .crash_signal = LAB_PROCESS_POOL_HANG };

  check_stall (&map, 2, -1, "tasks 2–3: no progress for 0.3 s");
  map.n_items = 1;
  map.chunksize = 1;
  map.crash_item = 0;
  check_stall (&map, 1, -1, "task 0: no progress for 0.3 s");
}

/* Long tasks that keep reporting progress are not taken for hung: each
 * item here computes for 2.5 times the limit. */
static void
test_stall_busy (void)
{
  LabProcessPool *pool = new_pool (2, NULL, NULL);
  g_autofree gint64 *values = new_values (2);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 2, .values = values,
                     .chunksize = 1, .argument = 2500 * 1000 * 1000ull };
  g_autoptr(GError) error = NULL;
  LabPoolMapResult result;

  lab_process_pool_set_stall_timeout (pool, 1.0);
  g_assert_true (lab_process_pool_map (pool, &map, &result, &error));
  g_assert_no_error (error);
  check_doubled (&result, values, 2, 2);
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  test_assert_no_children ();
}

/* LAB_WORKER_STALL_S sets the default; a value that is not a number of
 * seconds is refused in words, before any worker starts. */
static void
test_stall_env (void)
{
  LabProcessPoolOptions options = { .n_workers = 1 };
  g_autoptr(GError) error = NULL;
  LabProcessPool *pool;

  g_setenv ("LAB_WORKER_STALL_S", "2.5", TRUE);
  pool = new_pool (1, NULL, NULL);
  g_assert_cmpfloat (lab_process_pool_get_stall_timeout (pool), ==, 2.5);
  lab_process_pool_free (pool);

  g_setenv ("LAB_WORKER_STALL_S", "0", TRUE);
  pool = new_pool (1, NULL, NULL);
  g_assert_cmpfloat (lab_process_pool_get_stall_timeout (pool), ==, 0);
  lab_process_pool_free (pool);

  g_setenv ("LAB_WORKER_STALL_S", "ten", TRUE);
  g_assert_null (lab_process_pool_new (&options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==, "The environment variable LAB_WORKER_STALL_S is “ten”, "
                                       "not a number of seconds from 0 (no limit) to 86400");
  g_clear_error (&error);
  g_setenv ("LAB_WORKER_STALL_S", "-1", TRUE);
  g_assert_null (lab_process_pool_new (&options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_unsetenv ("LAB_WORKER_STALL_S");
  test_assert_no_children ();
}

/* ---- Stop ---- */

/* Milliseconds from Stop until every worker was killed and reaped. */
static double
stop_once (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LabProcessPoolOptions options = { .n_workers = 2 };
  g_autofree gint64 *values = new_values (100);
  LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 100, .values = values,
                     .chunksize = 1, .argument = 50 * 1000 * 1000 };
  g_autoptr(GError) error = NULL;
  LabPoolMapResult result;
  TestStopLater stop = { cancellable, 0 };
  LabProcessPool *pool;
  GThread *thread;
  double ms;

  pool = lab_process_pool_new (&options, NULL, NULL, cancellable, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("stop-later", test_stop_later, &stop);
  g_assert_false (lab_process_pool_map (pool, &map, &result, &error));
  ms = (double) (lab_clock_now_ns () - stop.cancelled_ns) / 1e6;
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Killed and reaped by the time map returned. */
  test_assert_no_children ();
  lab_pool_map_result_clear (&result);
  lab_process_pool_free (pool);
  return ms;
}

static void
test_stop (void)
{
  double best = G_MAXDOUBLE;

  /* The bound is the app's promise; on a busy machine one try may be
   * slowed down by others, so the best of three counts. */
  for (guint i = 0; i < 3 && best > 200; i++)
    {
      double ms = stop_once ();

      g_test_message ("Stop → all workers reaped: %.1f ms", ms);
      best = MIN (best, ms);
    }
  g_assert_cmpfloat (best, <=, 200);

  /* Stop while the workers are still starting. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    LabProcessPoolOptions options = { .n_workers = 4 };
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_null (lab_process_pool_new (&options, NULL, NULL, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    test_assert_no_children ();
  }
}

/* ---- many pools ---- */

static void
test_no_leaks (void)
{
  guint fds_before, fds_after;

  /* Whatever GLib opens once (its worker thread's wakeup ...) is open. */
  lab_process_pool_free (new_pool (1, NULL, NULL));
  fds_before = count_fds_settled ();

  for (guint run = 0; run < 100; run++)
    {
      LabProcessPool *pool = new_pool (2, NULL, NULL);
      g_autofree gint64 *values = new_values (10);
      LabPoolMap map = { .function = LAB_WIRE_FN_DOUBLE, .n_items = 10, .values = values,
                         .chunksize = 1 };
      LabPoolMapResult result;
      gboolean ok;

      /* Every tenth run a worker crashes. */
      if (run % 10 == 9)
        {
          map.crash_item = 3;
          map.crash_signal = SIGKILL;
        }
      ok = lab_process_pool_map (pool, &map, &result, NULL);
      g_assert_true (ok == (run % 10 != 9));
      if (ok)
        check_doubled (&result, values, 10, 2);
      lab_pool_map_result_clear (&result);
      lab_process_pool_free (pool);
    }

  fds_after = count_fds_settled ();
  g_test_message ("descriptors: %u before, %u after 100 pools", fds_before, fds_after);
  g_assert_cmpuint (fds_after, ==, fds_before);
  test_assert_no_children ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/process-pool/find-worker", test_find_worker);
  g_test_add_func ("/process-pool/map/sizes", test_map_sizes);
  g_test_add_func ("/process-pool/map/assignment", test_map_assignment);
  g_test_add_func ("/process-pool/map/trace", test_map_trace);
  g_test_add_func ("/process-pool/map/sums", test_map_sums);
  g_test_add_func ("/process-pool/crash", test_crash);
  g_test_add_func ("/process-pool/bad-helper", test_bad_helper);
  g_test_add_func ("/process-pool/worker-error", test_worker_error);
  g_test_add_func ("/process-pool/bad-pickle", test_bad_pickle);
  g_test_add_func ("/process-pool/stall/stopped", test_stall_stopped);
  g_test_add_func ("/process-pool/stall/hang", test_stall_hang);
  g_test_add_func ("/process-pool/stall/busy", test_stall_busy);
  g_test_add_func ("/process-pool/stall/env", test_stall_env);
  g_test_add_func ("/process-pool/stop", test_stop);
  g_test_add_func ("/process-pool/no-leaks", test_no_leaks);

  return g_test_run ();
}
