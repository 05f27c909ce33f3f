/* test-chrome-trace.c — runs exported as Chrome trace-event JSON and read
 * back; files written by other tracers; files that are not traces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lab-chrome-trace.h"
#include "lab-cores.h"
#include "lab-experiments.h"
#include "lab-py-program.h"
#include "lab-runner.h"
#include "test-cli-util.h"
#include "test-exp-util.h"

/* ---- helpers ---- */

/* Runs @id with "key=value" assignments (NULL-terminated) and asserts that it
 * finished with metrics. */
#define run_experiment(id, ...) test_exp_run (lab_experiments_find (id), __VA_ARGS__)

static char *
export_to_text (LabRunner *runner,
                gsize     *length)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_chrome_trace_write (lab_runner_get_trace (runner),
                                         lab_runner_get_experiment (runner)->id,
                                         lab_params_to_variant (lab_runner_get_params (runner)),
                                         out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  /* NUL-terminated for the string checks. */
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), *length);
}

typedef struct
{
  guint n_spans;
  guint n_marks;
  guint n_output;
  guint n_flows;
  guint n_samples;
} Counts;

static Counts
count_trace (LabTrace *trace)
{
  Counts c = { 0 };

  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        c.n_spans += lane->spans[d]->len;
      c.n_marks += lane->marks->len;
    }
  lab_trace_get_flows (trace, &c.n_flows);
  lab_trace_get_output (trace, &c.n_output);
  for (guint i = 0; i < lab_trace_get_n_counters (trace); i++)
    c.n_samples += lab_trace_get_counter (trace, i)->samples->len;
  return c;
}

static void
assert_member_type (JsonObject *obj,
                    const char *member,
                    GType       type)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    g_error ("a “%s” event has no “%s”", json_object_get_string_member (obj, "ph"), member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (type == G_TYPE_DOUBLE)
    g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
                   json_node_get_value_type (node) == G_TYPE_INT64);
  else
    g_assert_true (json_node_get_value_type (node) == type);
}

/* Every event has what Perfetto needs, with the right types; returns the
 * number of events of each kind in @per_ph. */
static void
check_events (const char *text,
              gsize       length,
              const char *experiment,
              GHashTable *per_ph)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *other;
  JsonArray *events;

  g_assert_true (json_parser_load_from_data (parser, text, (gssize) length, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "displayTimeUnit"), ==, "ns");
  other = json_object_get_object_member (root, "otherData");
  g_assert_cmpstr (json_object_get_string_member (other, "experiment"), ==, experiment);
  g_assert_nonnull (json_object_get_object_member (other, "params"));
  events = json_object_get_array_member (root, "traceEvents");
  g_assert_cmpuint (json_array_get_length (events), >, 0);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      const char *ph;
      gpointer n;

      assert_member_type (e, "ph", G_TYPE_STRING);
      assert_member_type (e, "name", G_TYPE_STRING);
      assert_member_type (e, "pid", G_TYPE_INT64);
      assert_member_type (e, "tid", G_TYPE_INT64);
      assert_member_type (e, "ts", G_TYPE_DOUBLE);
      g_assert_cmpint (json_object_get_int_member (e, "pid"), >=, 1);
      g_assert_cmpint (json_object_get_int_member (e, "pid"), <, 1000);
      g_assert_cmpint (json_object_get_int_member (e, "tid"), <, 70000);
      ph = json_object_get_string_member (e, "ph");
      if (strcmp (ph, "X") == 0)
        {
          assert_member_type (e, "dur", G_TYPE_DOUBLE);
          g_assert_cmpfloat (json_object_get_double_member (e, "dur"), >=, 0);
        }
      else if (strcmp (ph, "s") == 0 || strcmp (ph, "f") == 0)
        assert_member_type (e, "id", G_TYPE_INT64);
      else if (strcmp (ph, "i") == 0)
        g_assert_cmpstr (json_object_get_string_member (e, "s"), ==, "t");
      else if (strcmp (ph, "C") == 0 || strcmp (ph, "M") == 0)
        g_assert_nonnull (json_object_get_object_member (e, "args"));
      else
        g_error ("unexpected ph “%s”", ph);
      if (strcmp (ph, "f") == 0)
        g_assert_cmpstr (json_object_get_string_member (e, "bp"), ==, "e");
      n = g_hash_table_lookup (per_ph, ph);
      g_hash_table_replace (per_ph, g_strdup (ph), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
}

static guint
per (GHashTable *per_ph,
     const char *ph)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (per_ph, ph));
}

/* The CPUs named by the events of @trace, as a set of cpu + 1. */
static GHashTable *
event_cpus (LabTrace *trace)
{
  GHashTable *cpus = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      for (guint j = 0; j < lane->events->len; j++)
        {
          const LabEvent *e = &g_array_index (lane->events, LabEvent, j);

          if (e->cpu >= 0)
            g_hash_table_add (cpus, GINT_TO_POINTER (e->cpu + 1));
        }
    }
  return cpus;
}

static void
assert_same_set (GHashTable *a,
                 GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (b, key));
}

/* Events of a lane in a canonical order: by time, and at one instant by
 * what they say (the file does not keep the order of events recorded at
 * the same nanosecond, which no view shows either). Label ids differ
 * between two traces, their text does not. */
typedef struct
{
  LabTrace       *trace;
  const LabEvent *event;
  gint64          ts_ns;    /* from the start of the trace */
  gboolean        arrow_end; /* an end of an arrow that is drawn */
} Seen;

static gint
compare_seen (gconstpointer a,
              gconstpointer b)
{
  const Seen *x = a, *y = b;

  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns ? -1 : 1;
  if (x->event->kind != y->event->kind)
    return (gint) x->event->kind - (gint) y->event->kind;
  if (x->event->state != y->event->state)
    return (gint) x->event->state - (gint) y->event->state;
  if (x->event->value != y->event->value)
    return x->event->value < y->event->value ? -1 : 1;
  if (x->event->cpu != y->event->cpu)
    return (gint) x->event->cpu - (gint) y->event->cpu;
  return g_strcmp0 (lab_trace_get_string (x->trace, x->event->label),
                    lab_trace_get_string (y->trace, y->event->label));
}

static GArray *
seen_events (LabTrace *trace,
             guint     lane_index)
{
  const LabTraceLane *lane = lab_trace_get_lane (trace, lane_index);
  GArray *seen = g_array_sized_new (FALSE, FALSE, sizeof (Seen), lane->events->len);
  const LabFlowArrow *flows;
  guint n_flows;

  for (guint j = 0; j < lane->events->len; j++)
    {
      Seen s = { trace, &g_array_index (lane->events, LabEvent, j), 0, FALSE };

      s.ts_ns = s.event->ts_ns - lab_trace_get_start_ns (trace);
      g_array_append_val (seen, s);
    }
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    {
      if (flows[f].from_lane == lane_index)
        g_array_index (seen, Seen, flows[f].from_index).arrow_end = TRUE;
      if (flows[f].to_lane == lane_index)
        g_array_index (seen, Seen, flows[f].to_index).arrow_end = TRUE;
    }
  g_array_sort (seen, compare_seen);
  return seen;
}

/* What one event says, as the views read it. An arrow that was never
 * drawn (its other end was not recorded) is not in the file. */
static void
assert_same_event (const Seen *a,
                   const Seen *b)
{
  const guint16 arrow_flags = LAB_EVENT_FLAG_FLOW_SOURCE | LAB_EVENT_FLAG_FLOW_TARGET;
  const LabEvent *ea = a->event, *eb = b->event;

  g_assert_cmpint (b->ts_ns, ==, a->ts_ns);
  g_assert_cmpuint (eb->kind, ==, ea->kind);
  g_assert_cmpint (eb->cpu, ==, ea->cpu);
  switch (ea->kind)
    {
    case LAB_EVENT_BEGIN:
      g_assert_cmpuint (eb->state, ==, ea->state);
      g_assert_cmpstr (lab_trace_get_string (b->trace, eb->label), ==,
                       lab_trace_get_string (a->trace, ea->label));
      break;
    case LAB_EVENT_MARK:
      g_assert_cmpstr (lab_trace_get_string (b->trace, eb->label), ==,
                       lab_trace_get_string (a->trace, ea->label));
      g_assert_cmpint (eb->value, ==, ea->value);
      g_assert_cmpuint (eb->flags & ~arrow_flags, ==, ea->flags & ~arrow_flags);
      g_assert_cmpint (b->arrow_end, ==, a->arrow_end);
      if (a->arrow_end)
        g_assert_cmpuint (eb->flags & arrow_flags, ==, ea->flags & arrow_flags);
      break;
    case LAB_EVENT_COUNTER:
      g_assert_cmpstr (lab_trace_get_string (b->trace, eb->label), ==,
                       lab_trace_get_string (a->trace, ea->label));
      g_assert_cmpint (eb->value, ==, ea->value);
      break;
    case LAB_EVENT_THREAD_STATS:
      g_assert_cmpint (eb->value, ==, ea->value);
      g_assert_cmpuint (eb->flow, ==, ea->flow);
      break;
    default:
      break;
    }
}

/* @b is @a written and read back: every lane has the same events, at the
 * same times from the start of the trace. */
static void
assert_same_lanes (LabTrace *a,
                   LabTrace *b)
{
  guint n_flows_a, n_flows_b;

  g_assert_cmpuint (lab_trace_get_n_lanes (b), ==, lab_trace_get_n_lanes (a));
  g_assert_cmpuint (lab_trace_get_n_events (b), ==, lab_trace_get_n_events (a));
  for (guint i = 0; i < lab_trace_get_n_lanes (a); i++)
    {
      const LabTraceLane *la = lab_trace_get_lane (a, i);
      const LabTraceLane *lb = lab_trace_get_lane (b, i);
      g_autoptr(GArray) seen_a = seen_events (a, i);
      g_autoptr(GArray) seen_b = seen_events (b, i);

      g_assert_cmpstr (lb->name, ==, la->name);
      g_assert_cmpint (lb->kind, ==, la->kind);
      g_assert_cmpint (lb->tid, ==, la->tid);
      g_assert_cmpuint (seen_b->len, ==, seen_a->len);
      for (guint j = 0; j < seen_a->len; j++)
        assert_same_event (&g_array_index (seen_a, Seen, j), &g_array_index (seen_b, Seen, j));
      g_assert_cmpuint (lb->marks->len, ==, la->marks->len);
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        g_assert_cmpuint (lb->spans[d]->len, ==, la->spans[d]->len);
      g_assert_cmpint (lb->has_thread_stats, ==, la->has_thread_stats);
      g_assert_cmpuint (lb->voluntary_switches, ==, la->voluntary_switches);
      g_assert_cmpuint (lb->involuntary_switches, ==, la->involuntary_switches);
    }
  lab_trace_get_flows (a, &n_flows_a);
  lab_trace_get_flows (b, &n_flows_b);
  g_assert_cmpuint (n_flows_b, ==, n_flows_a);
  g_assert_cmpint (lab_trace_get_end_ns (b) - lab_trace_get_start_ns (b), ==,
                   lab_trace_get_end_ns (a) - lab_trace_get_start_ns (a));
}

/* The Cores views of @a and of @b (@a written and read back) have the same
 * CPU lanes, with the same stretches of the same threads. */
static void
assert_same_cores (LabTrace *a,
                   LabTrace *b)
{
  g_autoptr(LabTrace) cores_a = lab_trace_new_cores_view (a);
  g_autoptr(LabTrace) cores_b = lab_trace_new_cores_view (b);
  gint64 shift = lab_trace_get_start_ns (a);

  g_assert_cmpuint (lab_trace_get_n_lanes (cores_b), ==, lab_trace_get_n_lanes (cores_a));
  for (guint i = 0; i < lab_trace_get_n_lanes (cores_a); i++)
    {
      const LabTraceLane *la = lab_trace_get_lane (cores_a, i);
      const LabTraceLane *lb = lab_trace_get_lane (cores_b, i);

      g_assert_cmpstr (lb->name, ==, la->name);
      g_assert_cmpuint (lb->spans[0]->len, ==, la->spans[0]->len);
      for (guint s = 0; s < la->spans[0]->len; s++)
        {
          const LabSpan *sa = &g_array_index (la->spans[0], LabSpan, s);
          const LabSpan *sb = &g_array_index (lb->spans[0], LabSpan, s);

          g_assert_cmpint (sb->start_ns, ==, sa->start_ns - shift);
          g_assert_cmpint (sb->open, ==, sa->open);
          if (!sa->open)
            g_assert_cmpint (sb->end_ns, ==, sa->end_ns - shift);
          g_assert_cmpstr (lab_trace_get_string (cores_b, sb->label), ==,
                           lab_trace_get_string (cores_a, sa->label));
        }
    }
}

/* Export, check, read back, compare. */
static Counts
round_trip (LabRunner *runner)
{
  LabTrace *trace = lab_runner_get_trace (runner);
  const char *id = lab_runner_get_experiment (runner)->id;
  g_autoptr(GHashTable) per_ph = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(LabTrace) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Counts want, got;
  gsize length;

  text = export_to_text (runner, &length);
  check_events (text, length, id, per_ph);

  want = count_trace (trace);
  g_assert_cmpuint (per (per_ph, "X"), ==, want.n_spans);
  g_assert_cmpuint (per (per_ph, "i"), ==, want.n_marks);
  g_assert_cmpuint (per (per_ph, "s"), ==, want.n_flows);
  g_assert_cmpuint (per (per_ph, "f"), ==, want.n_flows);
  g_assert_cmpuint (per (per_ph, "C"), ==, want.n_samples);

  back = lab_chrome_trace_read_data (text, length, "export.json", &summary, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (summary->n_ignored, ==, 0);
  g_assert_cmpstr (summary->experiment, ==, id);
  g_assert_null (lab_chrome_read_summary_describe (summary));

  assert_same_lanes (trace, back);
  got = count_trace (back);
  g_assert_cmpuint (got.n_spans, ==, want.n_spans);
  g_assert_cmpuint (got.n_marks, ==, want.n_marks);
  g_assert_cmpuint (got.n_output, ==, want.n_output);
  g_assert_cmpuint (got.n_flows, ==, want.n_flows);
  g_assert_cmpuint (got.n_samples, ==, want.n_samples);
  g_assert_cmpuint (lab_trace_get_n_counters (back), ==, lab_trace_get_n_counters (trace));
  /* The model engine records the CPU of every event; the file keeps
   * them all, silent samples too, so the Cores view is the same. Which
   * CPUs a run used is up to the scheduler; that the file read back names
   * the same ones is not. */
  {
    g_autoptr(GHashTable) cpus = event_cpus (trace);
    g_autoptr(GHashTable) cpus_back = event_cpus (back);

    g_assert_true (summary->has_cpu == (g_hash_table_size (cpus) > 0));
    assert_same_set (cpus_back, cpus);
  }
  assert_same_cores (trace, back);
  return want;
}

/* ---- runs ---- */

static void
test_race_counter (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("race-counter", "threads=4", "max_sleep_ms=5",
                                                "seed=7", NULL);
  Counts c = round_trip (runner);

  g_assert_cmpuint (c.n_spans, >, 0);
  g_assert_cmpuint (c.n_marks, >, 0);
  g_assert_cmpuint (c.n_samples, >, 0);
}

static void
test_producer_consumer (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("producer-consumer", "items=6", "consumers=2",
                                                "produce_min_ms=1", "produce_max_ms=3",
                                                "consume_ms=2", "seed=3", NULL);
  Counts c = round_trip (runner);

  /* Each item is an arrow from its producer to its consumer. */
  g_assert_cmpuint (c.n_flows, >=, 6);
  g_assert_cmpuint (c.n_samples, >, 0);
}

static void
test_threads_cpu_sum (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("threads-cpu-sum", "threads=3", "size=30000",
                                                "repeat=1", NULL);
  Counts c = round_trip (runner);

  g_assert_cmpuint (c.n_spans, >, 0);
}

/* Events of @kind in @trace. */
static guint
count_kind (LabTrace     *trace,
            LabEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      for (guint j = 0; j < lane->events->len; j++)
        n += g_array_index (lane->events, LabEvent, j).kind == kind;
    }
  return n;
}

/* Two threads computing long enough to record silent CPU samples (one
 * about every millisecond): the file keeps them, so the Cores view of the
 * file read back has the same CPUs and stretches as the run's. */
static void
test_threads_cpu_sum_cores (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("threads-cpu-sum", "threads=2", "size=1000000",
                                                "repeat=1", NULL);

  g_assert_cmpuint (count_kind (lab_runner_get_trace (runner), LAB_EVENT_CPU_SAMPLE), >, 0);
  round_trip (runner);
}

/* A Python program under the CPython engine, as `--trace=PROG.py` runs it:
 * the /proc sampler's lanes ("python3 (pid N, tid M)") hold when each
 * thread was on a CPU, as spans and silent samples; the file keeps them. */
static void
test_python_program (void)
{
  static const char program[] =
    "import threading\n"
    "def work():\n"
    "    s = 0\n"
    "    for i in range(300000):\n"
    "        s += i\n"
    "    print(s)\n"
    "threads = [threading.Thread(target=work) for _ in range(2)]\n"
    "for t in threads:\n"
    "    t.start()\n"
    "for t in threads:\n"
    "    t.join()\n";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *assignment = NULL;
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  LabTrace *trace;
  guint n_sampled = 0;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) &&
      g_strcmp0 (g_getenv ("CI"), "true") != 0)
    {
      g_test_skip ("no python3");
      return;
    }
  dir = g_dir_make_tmp ("chrome-py-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "two_threads.py", NULL);
  g_assert_true (g_file_set_contents (path, program, -1, &error));
  assignment = g_strconcat ("program=", path, NULL);
  runner = test_exp_run (lab_py_program_get_experiment (), assignment, NULL);
  trace = lab_runner_get_trace (runner);
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    n_sampled += g_str_has_prefix (lab_trace_get_lane (trace, i)->name, "python3 (pid ");
  g_assert_cmpuint (n_sampled, >=, 3);
  g_assert_cmpuint (count_kind (trace, LAB_EVENT_CPU_SAMPLE), >, 0);
  round_trip (runner);
  g_unlink (path);
  g_rmdir (dir);
}

/* Child processes: each one a process of its own in the file, read back
 * as a process lane. */
static void
test_process_isolation (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("process-isolation", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  guint n_processes = 0;

  round_trip (runner);
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    n_processes += lab_trace_get_lane (trace, i)->kind == LAB_LANE_PROCESS;
  g_assert_cmpuint (n_processes, >, 0);
}

/* ---- text that JSON forbids raw ---- */

static void
test_escapes (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(LabTrace) back = NULL;
  g_autoptr(GError) error = NULL;
  const char *printed = "unit\x1fsep \"quoted\" back\\slash\ttab\x01 and \xc3\xa9";
  LabEvent events[3] = { 0 };
  const char *data;
  const LabOutputLine *lines;
  guint n_lines;
  gsize size;

  lab_trace_set_lane (trace, 0, LAB_LANE_MAIN, "main \"thread\"\x1f", 42);
  events[0] = (LabEvent) { .ts_ns = 1000, .kind = LAB_EVENT_BEGIN,
                           .label = lab_string_pool_intern (pool, "work\n") };
  events[1] = (LabEvent) { .ts_ns = 1500, .kind = LAB_EVENT_MARK, .flags = LAB_EVENT_FLAG_OUTPUT,
                           .label = lab_string_pool_intern (pool, printed) };
  events[2] = (LabEvent) { .ts_ns = 2001, .kind = LAB_EVENT_END };
  lab_trace_append (trace, 0, events, 3);

  g_assert_true (lab_chrome_trace_write (trace, "escapes", NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  for (gsize i = 0; i < size; i++)
    if ((guchar) data[i] < 0x20)
      g_assert_cmpint (data[i], ==, '\n');
  /* 1.001 µs exactly, not a rounded double. */
  g_assert_nonnull (g_strstr_len (data, size, "\"dur\":1.001"));

  back = lab_chrome_trace_read_data (data, size, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lab_trace_get_lane (back, 0)->name, ==, "main \"thread\"\x1f");
  lines = lab_trace_get_output (back, &n_lines);
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_cmpstr (lab_trace_get_string (back, lines[0].label), ==, printed);
  g_assert_cmpint (lab_trace_get_lane (back, 0)->spans[0]->len, ==, 1);
  g_assert_cmpint (g_array_index (lab_trace_get_lane (back, 0)->spans[0], LabSpan, 0).end_ns -
                   g_array_index (lab_trace_get_lane (back, 0)->spans[0], LabSpan, 0).start_ns,
                   ==, 1001);
}

/* @trace written to memory and read back. */
static LabTrace *
write_and_read (LabTrace              *trace,
                LabChromeReadSummary **summary)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  LabTrace *back;

  g_assert_true (lab_chrome_trace_write (trace, "cpus", NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  back = lab_chrome_trace_read_data (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                     NULL, summary, &error);
  g_assert_no_error (error);
  return back;
}

/* Every kind of event the views read, on known CPUs: a thread seen on
 * another CPU only by silent samples inside its span, a printed line
 * (highlighted, with a value), a counter sample on a worker's lane,
 * context switches of two threads that used one lane, a span still open
 * at the end, and a sample at the instant one span ends and the next
 * begins. Read back, the lanes hold the same events and the
 * Cores view is the same. */
static void
test_cpus (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(LabTrace) back = NULL;
  g_autoptr(LabTrace) cores = NULL;
  /* Begins on CPU 0, is sampled on CPU 1 and 4 (no mark) and ends on 1. */
  LabEvent mover[] = {
    { .ts_ns = 1000, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 0 },
    { .ts_ns = 1500, .kind = LAB_EVENT_CPU_SAMPLE, .cpu = 1 },
    { .ts_ns = 2000, .kind = LAB_EVENT_MARK, .cpu = 1, .value = -3,
      .flags = LAB_EVENT_FLAG_HIGHLIGHT, .label = lab_string_pool_intern (pool, "half") },
    { .ts_ns = 2200, .kind = LAB_EVENT_MARK, .cpu = 1, .value = 2,
      .flags = LAB_EVENT_FLAG_OUTPUT | LAB_EVENT_FLAG_STDERR | LAB_EVENT_FLAG_HIGHLIGHT,
      .label = lab_string_pool_intern (pool, "printed") },
    { .ts_ns = 2500, .kind = LAB_EVENT_CPU_SAMPLE, .cpu = 4 },
    { .ts_ns = 2600, .kind = LAB_EVENT_COUNTER, .cpu = 4, .value = 7,
      .label = lab_string_pool_intern (pool, "count") },
    { .ts_ns = 3000, .kind = LAB_EVENT_END, .cpu = 1 },
    { .ts_ns = 3100, .kind = LAB_EVENT_THREAD_STATS, .cpu = 1,
      .value = LAB_THREAD_STATS_PACK (5, 2), .flow = 11 },
    { .ts_ns = 4000, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 2 },
    { .ts_ns = 4500, .kind = LAB_EVENT_END, .cpu = 2 },
    { .ts_ns = 4600, .kind = LAB_EVENT_THREAD_STATS, .cpu = 2,
      .value = LAB_THREAD_STATS_PACK (1, 1), .flow = 13 },
  };
  /* Runs on CPU 2, sleeps, and is still running on CPU 3 at the end. */
  LabEvent other[] = {
    { .ts_ns = 1000, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 2 },
    { .ts_ns = 1200, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_SLEEPING, .cpu = 2,
      .label = lab_string_pool_intern (pool, "sleep") },
    { .ts_ns = 2000, .kind = LAB_EVENT_END, .cpu = 3 },
    { .ts_ns = 5000, .kind = LAB_EVENT_CPU_SAMPLE, .cpu = 3 },
  };

  /* As the /proc sampler records: a sample, then the span it ends and the
   * next one, all at one instant. */
  LabEvent sampled[] = {
    { .ts_ns = 1000, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_RUNNING, .cpu = 0 },
    { .ts_ns = 1500, .kind = LAB_EVENT_CPU_SAMPLE, .cpu = 0 },
    { .ts_ns = 1500, .kind = LAB_EVENT_END, .cpu = 0 },
    { .ts_ns = 1500, .kind = LAB_EVENT_BEGIN, .state = LAB_STATE_WAITING, .cpu = 0 },
    { .ts_ns = 1800, .kind = LAB_EVENT_END, .cpu = 0 },
  };

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "mover", 11);
  lab_trace_set_lane (trace, 1, LAB_LANE_THREAD, "other", 12);
  lab_trace_set_lane (trace, 2, LAB_LANE_THREAD, "sampled", 14);
  lab_trace_append (trace, 0, mover, G_N_ELEMENTS (mover));
  lab_trace_append (trace, 1, other, G_N_ELEMENTS (other));
  lab_trace_append (trace, 2, sampled, G_N_ELEMENTS (sampled));
  back = write_and_read (trace, &summary);
  g_assert_true (summary->has_cpu);
  g_assert_cmpuint (summary->n_ignored, ==, 0);

  assert_same_lanes (trace, back);
  g_assert_cmpuint (lab_trace_get_lane (back, 0)->voluntary_switches, ==, 6);
  g_assert_cmpuint (lab_trace_get_lane (back, 1)->spans[0]->len, ==, 1);
  g_assert_true (g_array_index (lab_trace_get_lane (back, 1)->spans[0], LabSpan, 0).open);

  /* CPU 4 is known from a silent sample only. */
  cores = lab_trace_new_cores_view (trace);
  g_assert_cmpuint (lab_trace_get_n_lanes (cores), ==, 5);
  assert_same_cores (trace, back);
}

static void
test_write_error (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autoptr(LabTrace) trace = lab_trace_new (pool);
  g_autoptr(GError) error = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "threads", "x", (gint64) 4);
  g_assert_false (lab_chrome_trace_write_file (trace, "x", g_variant_dict_end (&dict),
                                               "/nonexistent-folder/x.json", &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Could not write “/nonexistent-folder/x.json”: "));
}

/* ---- files of other tracers ---- */

/* As VizTracer writes them: B/E pairs, real pids and tids, kinds this
 * reader does not take (P samples, O objects, async b/e). */
static const char viztracer_like[] =
  "{\"traceEvents\":["
  "{\"ph\":\"M\",\"pid\":4100,\"tid\":4100,\"name\":\"process_name\",\"args\":{\"name\":\"python3\"}},"
  "{\"ph\":\"M\",\"pid\":4100,\"tid\":4101,\"name\":\"thread_name\",\"args\":{\"name\":\"worker\"}},"
  "{\"ph\":\"B\",\"pid\":4100,\"tid\":4100,\"ts\":10.5,\"name\":\"main\"},"
  "{\"ph\":\"B\",\"pid\":4100,\"tid\":4100,\"ts\":11,\"name\":\"work\"},"
  "{\"ph\":\"E\",\"pid\":4100,\"tid\":4100,\"ts\":20},"
  "{\"ph\":\"X\",\"pid\":4100,\"tid\":4101,\"ts\":12,\"dur\":5.25,\"name\":\"f\",\"cat\":\"FEE\"},"
  "{\"ph\":\"X\",\"pid\":4100,\"tid\":4101,\"ts\":12,\"dur\":2,\"name\":\"g\"},"
  "{\"ph\":\"i\",\"pid\":4100,\"tid\":4101,\"ts\":13,\"name\":\"hit\",\"s\":\"t\"},"
  "{\"ph\":\"C\",\"pid\":4100,\"tid\":4100,\"ts\":14,\"name\":\"mem\",\"args\":{\"rss\":10,\"vms\":20}},"
  "{\"ph\":\"s\",\"pid\":4100,\"tid\":4100,\"ts\":15,\"name\":\"q\",\"cat\":\"c\",\"id\":\"0x1\"},"
  "{\"ph\":\"t\",\"pid\":4100,\"tid\":4101,\"ts\":16,\"name\":\"q\",\"cat\":\"c\",\"id\":\"0x1\"},"
  "{\"ph\":\"f\",\"pid\":4100,\"tid\":4100,\"ts\":17,\"name\":\"q\",\"cat\":\"c\",\"id\":\"0x1\",\"bp\":\"e\"},"
  "{\"ph\":\"P\",\"pid\":4100,\"tid\":4100,\"ts\":18,\"name\":\"sample\"},"
  "{\"ph\":\"P\",\"pid\":4100,\"tid\":4100,\"ts\":19,\"name\":\"sample\"},"
  "{\"ph\":\"O\",\"pid\":4100,\"tid\":4100,\"ts\":19,\"name\":\"obj\",\"id\":\"0x2\"},"
  "{\"ph\":\"b\",\"pid\":4100,\"tid\":4100,\"ts\":19,\"name\":\"async\",\"id\":3},"
  "{\"ph\":\"E\",\"pid\":4100,\"tid\":4101,\"ts\":30}"
  "],\"viztracer_metadata\":{\"version\":\"0.16\"}}";

static void
check_viztracer (LabTrace             *trace,
                 LabChromeReadSummary *summary)
{
  const LabTraceLane *main_lane, *worker;
  g_autofree char *described = NULL;
  guint n_flows;

  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 2);
  main_lane = lab_trace_get_lane (trace, 0);
  worker = lab_trace_get_lane (trace, 1);
  g_assert_cmpstr (main_lane->name, ==, "python3");
  g_assert_cmpint (main_lane->kind, ==, LAB_LANE_MAIN);
  g_assert_cmpint (main_lane->tid, ==, 4100);
  g_assert_cmpstr (worker->name, ==, "worker");
  g_assert_cmpint (worker->kind, ==, LAB_LANE_THREAD);

  /* main ⊃ work from B/E; f ⊃ g from X, nested. */
  g_assert_cmpuint (main_lane->spans[0]->len, ==, 1);
  g_assert_cmpuint (main_lane->spans[1]->len, ==, 1);
  g_assert_cmpuint (worker->spans[0]->len, ==, 1);
  g_assert_cmpuint (worker->spans[1]->len, ==, 1);
  g_assert_cmpint (g_array_index (worker->spans[0], LabSpan, 0).end_ns, ==, 17250);
  /* The B of "main" never ends: it runs to the file's last time. */
  g_assert_cmpint (g_array_index (main_lane->spans[0], LabSpan, 0).start_ns, ==, 10500);
  g_assert_cmpint (g_array_index (main_lane->spans[0], LabSpan, 0).end_ns, ==, 30000);
  /* s → t → f: two arrows. */
  lab_trace_get_flows (trace, &n_flows);
  g_assert_cmpuint (n_flows, ==, 2);
  /* One counter per key. */
  g_assert_cmpuint (lab_trace_get_n_counters (trace), ==, 2);

  /* 2 × P, O, b, the stray E of tid 4101. */
  g_assert_cmpuint (summary->n_records, ==, 17);
  g_assert_cmpuint (summary->n_ignored, ==, 5);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (summary->ignored, "P")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (summary->ignored, "O")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (summary->ignored, "b")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (summary->ignored, "E")), ==, 1);
  described = lab_chrome_read_summary_describe (summary);
  g_assert_cmpstr (described, ==,
                   "5 records of kinds the lab does not draw (E, O, P, b) were skipped");
}

static void
test_viztracer_object (void)
{
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = lab_chrome_trace_read_data (viztracer_like, strlen (viztracer_like),
                                                          "viz.json", &summary, &error);

  g_assert_no_error (error);
  check_viztracer (trace, summary);
}

/* Chrome's own bare-array form, written to a file and read from it. */
static void
test_bare_array_file (void)
{
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = NULL;
  g_autofree char *dir = g_dir_make_tmp ("chrome-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bare.json", NULL);
  const char *start = strchr (viztracer_like, '[');
  const char *end = strrchr (viztracer_like, ']');
  g_autofree char *bare = g_strndup (start, (gsize) (end - start + 1));

  g_assert_true (g_file_set_contents (path, bare, -1, NULL));
  trace = lab_chrome_trace_read_file (path, &summary, &error);
  g_assert_no_error (error);
  check_viztracer (trace, summary);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- not traces ---- */

static void
assert_not_a_trace (const char *data,
                    gssize      length,
                    const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = NULL;

  trace = lab_chrome_trace_read_data (data, length < 0 ? strlen (data) : (gsize) length,
                                      "bad.json", NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "“bad.json” is not a trace: "));
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static void
test_not_traces (void)
{
  g_autoptr(LabRunner) runner = run_experiment ("race-counter", "threads=2", "max_sleep_ms=1",
                                                NULL);
  gsize length;
  g_autofree char *text = export_to_text (runner, &length);

  /* Cut anywhere: never a crash, always the error. */
  assert_not_a_trace ("", 0, "the file is empty");
  assert_not_a_trace (" \n", -1, "the file is empty");
  for (gsize cut = 1; cut < length - 2; cut += MAX (length / 97, 1))
    assert_not_a_trace (text, (gssize) cut, "not valid JSON, or is cut short");
  assert_not_a_trace ("\x89PNG\r\n\x1a\n garbage", -1, "it is not UTF-8 text (byte 0 is not)");
  /* Latin-1 text: JSON in form, but not in encoding. */
  assert_not_a_trace ("{\"traceEvents\": [{\"ph\": \"i\", \"name\": \"caf\xe9\"}]}", -1,
                      "it is not UTF-8 text (byte 41 is not)");
  assert_not_a_trace ("{\"experiment\": \"race-counter\", \"metrics\": {}}", -1,
                      "the file has no traceEvents");
  assert_not_a_trace ("{\"traceEvents\": 5}", -1, "the file has no traceEvents");
  assert_not_a_trace ("{\"traceEvents\": [{\"ph\": \"i\",}]}", -1, "not valid JSON");
  assert_not_a_trace ("{\"traceEvents\": [{\"ph\": \"i\"} {}]}", -1, "not valid JSON");
  assert_not_a_trace ("{\"traceEvents\": []} trailing", -1, "not valid JSON");
  assert_not_a_trace ("{\"traceEvents\" []}", -1, "not valid JSON");
  assert_not_a_trace ("42", -1, "the file has no traceEvents");
}

/* Refused before anything is read. */
static void
test_too_big (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = NULL;
  g_autofree char *dir = g_dir_make_tmp ("chrome-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT, 0644);

  /* A sparse file: its size, but no disk. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, LAB_CHROME_TRACE_MAX_BYTES + 1), ==, 0);
  close (fd);
  trace = lab_chrome_trace_read_file (path, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "too big to read as a trace"));
  g_unlink (path);
  g_clear_error (&error);

  /* Missing, and a folder: refused in words, before reading too. */
  trace = lab_chrome_trace_read_file (path, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Could not open “huge.json”: No such file or directory");
  g_clear_error (&error);
  trace = lab_chrome_trace_read_file (dir, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_rmdir (dir);
}


/* ---- files from disk: the sample, missing files, limits, cancel ---- */

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "viztracer-sample.json", NULL);
}

/* tests/data/viztracer-sample.json: three named threads, X and B/E spans,
 * an instant, a counter, a flow, and P/O records the lab does not draw. */
static void
test_sample_file (void)
{
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sample_path ();
  g_autoptr(LabTrace) trace = lab_chrome_trace_read_file (path, &summary, &error);
  g_autofree char *described = NULL;
  guint n_flows = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 3);
  g_assert_cmpstr (lab_trace_get_lane (trace, 0)->name, ==, "MainThread");
  g_assert_cmpint (lab_trace_get_lane (trace, 0)->kind, ==, LAB_LANE_MAIN);
  g_assert_cmpstr (lab_trace_get_lane (trace, 1)->name, ==, "Thread-1 (download)");
  g_assert_cmpstr (lab_trace_get_lane (trace, 2)->name, ==, "Thread-2 (download)");
  /* main ⊃ start, start, join; download ⊃ urlopen (B/E around an X). */
  g_assert_cmpuint (lab_trace_get_lane (trace, 0)->spans[0]->len, ==, 1);
  g_assert_cmpuint (lab_trace_get_lane (trace, 0)->spans[1]->len, ==, 3);
  g_assert_cmpuint (lab_trace_get_lane (trace, 1)->spans[1]->len, ==, 1);
  g_assert_cmpuint (lab_trace_get_lane (trace, 2)->marks->len, ==, 1);
  lab_trace_get_flows (trace, &n_flows);
  g_assert_cmpuint (n_flows, ==, 1);
  g_assert_cmpuint (lab_trace_get_n_counters (trace), ==, 1);
  /* 7 spans (14 events), the instant, 2 flow marks, 2 samples. */
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, 19);
  g_assert_false (summary->has_cpu);
  g_assert_cmpuint (summary->n_records, ==, 20);
  described = lab_chrome_read_summary_describe (summary);
  g_assert_cmpstr (described, ==, "3 records of kinds the lab does not draw (O, P) were skipped");
}

/* A long trace as text: @n instants on one thread. */
static char *
many_instants (guint  n,
               gsize *length)
{
  GString *text = g_string_new ("{\"traceEvents\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":%u,\"name\":\"m\"}",
                            i > 0 ? "," : "", i);
  g_string_append (text, "]}");
  *length = text->len;
  return g_string_free (text, FALSE);
}

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  GArray *seen = user_data;

  g_array_append_val (seen, fraction);
}

static void
cancel_at_half (double   fraction,
                gpointer user_data)
{
  if (fraction > 0.5)
    g_cancellable_cancel (user_data);
}

static void
test_progress_and_limit (void)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  LabChromeReadOptions options = { .progress = record_progress, .progress_data = seen };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrace) trace = NULL;
  gsize length;
  g_autofree char *text = many_instants (50000, &length);

  trace = lab_chrome_trace_read_data_full (text, length, "long.json", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lab_trace_get_n_events (trace), ==, 50000);
  /* Rising, in steps, ending at 1. */
  g_assert_cmpuint (seen->len, >, 10);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  g_clear_pointer (&trace, lab_trace_unref);

  /* One record over the limit is refused, wherever it falls. */
  options.max_events = 49999;
  trace = lab_chrome_trace_read_data_full (text, length, "long.json", &options, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (g_str_has_prefix (error->message, "“long.json” has more than 49999 events"));
  g_clear_error (&error);
  options.max_events = 4096 * 3;
  trace = lab_chrome_trace_read_data_full (text, length, "long.json", &options, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  /* Cancelled halfway: stops with the error, no trace. */
  options = (LabChromeReadOptions) { g_cancellable_new (), cancel_at_half, NULL, 0 };
  options.progress_data = options.cancellable;
  trace = lab_chrome_trace_read_data_full (text, length, "long.json", &options, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (options.cancellable);
}

/* ---- the command line ---- */

static void
test_cli_export (void)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) bad = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("chrome-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.JSON", NULL);
  g_autofree char *arg = g_strdup_printf ("--export=%s", path);
  g_autofree char *other = g_build_filename (dir, "run.txt", NULL);
  g_autofree char *other_arg = g_strdup_printf ("--export=%s", other);
  g_autoptr(LabChromeReadSummary) summary = NULL;
  g_autoptr(LabTrace) trace = NULL;
  g_autoptr(GError) error = NULL;

  /* Free-threaded: the main lane and three thread lanes, no GIL lane. */
  run_cli (&r, "--run=race-counter", "--set=threads=3", "--set=max_sleep_ms=2", "--set=gil=false", arg, NULL);
  g_assert_cmpint (r.status, ==, 0);
  trace = lab_chrome_trace_read_file (path, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 4);
  g_assert_cmpstr (summary->experiment, ==, "race-counter");
  g_unlink (path);

  run_cli (&bad, "--run=race-counter", other_arg, NULL);
  assert_usage_error (&bad, "(use .png, .svg, .pdf or .json)");
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

/* A sweep has no one trace: refused before it runs, not after. */
static void
test_cli_sweep (void)
{
  g_auto(Result) r = { 0 };

  run_cli (&r, "--run=threads-cpu-sum", "--sweep=threads=1..2", "--export=plot.json", NULL);
  assert_usage_error (&r, "a sweep exports its plot as an image");
  g_assert_false (g_file_test ("plot.json", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chrome/run/race-counter", test_race_counter);
  g_test_add_func ("/chrome/run/producer-consumer", test_producer_consumer);
  g_test_add_func ("/chrome/run/threads-cpu-sum", test_threads_cpu_sum);
  g_test_add_func ("/chrome/run/threads-cpu-sum-cores", test_threads_cpu_sum_cores);
  g_test_add_func ("/chrome/run/process-isolation", test_process_isolation);
  g_test_add_func ("/chrome/run/python-program", test_python_program);
  g_test_add_func ("/chrome/write/escapes", test_escapes);
  g_test_add_func ("/chrome/write/cpus", test_cpus);
  g_test_add_func ("/chrome/write/error", test_write_error);
  g_test_add_func ("/chrome/read/viztracer", test_viztracer_object);
  g_test_add_func ("/chrome/read/bare-array-file", test_bare_array_file);
  g_test_add_func ("/chrome/read/not-traces", test_not_traces);
  g_test_add_func ("/chrome/read/too-big", test_too_big);
  g_test_add_func ("/chrome/read/sample-file", test_sample_file);
  g_test_add_func ("/chrome/read/progress-limit-cancel", test_progress_and_limit);
  g_test_add_func ("/chrome/cli/export", test_cli_export);
  g_test_add_func ("/chrome/cli/sweep", test_cli_sweep);

  return g_test_run ();
}
