/* test-experiments.c — the experiment registry, threads-hello and
 * race-counter, run for real through LabRunner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "lab-experiments.h"
#include "lab-runner.h"
#include "test-exp-util.h"

/* A seed that, for 10 threads, makes some threads sleep and others not
 * (asserted below, so a change to the choice of sleepers shows up here). */
#define RACE_SEED 7

/* ---- helpers ---- */

/* Runs @id with "key=value" assignments (NULL-terminated) and asserts that it
 * finished with metrics. */
#define run_experiment(id, ...) test_exp_run (lab_experiments_find (id), __VA_ARGS__)

/* The lane named "Thread @i"; fails if absent. */
static const LabTraceLane *
thread_lane (LabTrace *trace,
             guint     i)
{
  g_autofree char *name = g_strdup_printf ("Thread %u", i);

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind == LAB_LANE_THREAD && g_strcmp0 (lane->name, name) == 0)
        return lane;
    }

  g_assert_not_reached ();
  return NULL;
}

static guint
count_thread_lanes (LabTrace *trace)
{
  guint n = 0;

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    if (lab_trace_get_lane (trace, l)->kind == LAB_LANE_THREAD)
      n++;

  return n;
}

static const LabTraceLane *
main_lane (LabTrace *trace)
{
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (lane->kind == LAB_LANE_MAIN)
        return lane;
    }

  g_assert_not_reached ();
  return NULL;
}

/* The first closed span of @state on @lane (any depth) labelled @label
 * (NULL: any label); NULL if there is none. */
static const LabSpan *
find_span (LabTrace           *trace,
           const LabTraceLane *lane,
           LabState            state,
           const char         *label)
{
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    {
      for (guint s = 0; s < lane->spans[d]->len; s++)
        {
          const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

          if (span->state != state || span->open)
            continue;
          if (label == NULL || g_strcmp0 (lab_trace_get_string (trace, span->label), label) == 0)
            return span;
        }
    }

  return NULL;
}

/* The first mark on @lane labelled @label; NULL if there is none. */
static const LabEvent *
find_mark (LabTrace           *trace,
           const LabTraceLane *lane,
           const char         *label)
{
  for (guint m = 0; m < lane->marks->len; m++)
    {
      const LabEvent *event = test_lane_event (lane, g_array_index (lane->marks, guint32, m));

      if (g_strcmp0 (lab_trace_get_string (trace, event->label), label) == 0)
        return event;
    }

  return NULL;
}

static guint
count_marks_with_flags (const LabTraceLane *lane,
                        guint16             flags)
{
  guint n = 0;

  for (guint m = 0; m < lane->marks->len; m++)
    if ((test_lane_event (lane, g_array_index (lane->marks, guint32, m))->flags & flags) == flags)
      n++;

  return n;
}

static const LabTraceCounter *
find_counter (LabTrace   *trace,
              const char *name)
{
  for (guint c = 0; c < lab_trace_get_n_counters (trace); c++)
    {
      const LabTraceCounter *counter = lab_trace_get_counter (trace, c);

      if (g_strcmp0 (lab_trace_get_string (trace, counter->label), name) == 0)
        return counter;
    }

  return NULL;
}

/* ---- the registry ---- */

static void
test_registry_ids (void)
{
  const LabExperiment * const *all;
  guint n, i, j;

  all = lab_experiments_get_all (&n);
  g_assert_cmpuint (n, >=, 2);
  g_assert_true (all[0] == &lab_exp_threads_hello);

  for (i = 0; i < n; i++)
    {
      g_assert_nonnull (all[i]->id);
      g_assert_true (lab_experiments_find (all[i]->id) == all[i]);
      /* Grouped by topic: Threads first. */
      if (i > 0)
        g_assert_cmpint (all[i - 1]->topic, <=, all[i]->topic);
      for (j = i + 1; j < n; j++)
        g_assert_cmpstr (all[i]->id, !=, all[j]->id);
    }

  g_assert_null (lab_experiments_find ("no-such-experiment"));
  g_assert_true (lab_experiments_find ("race-counter") == &lab_exp_race_counter);
}

static void
test_registry_descriptors (void)
{
  const LabExperiment * const *all;
  guint n;

  all = lab_experiments_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      const LabExperiment *e = all[i];
      g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);

      g_test_message ("checking %s", e->id);
      g_assert_cmpint (e->topic, <, LAB_TOPIC_N);
      g_assert_true (e->title != NULL && *e->title != '\0');
      g_assert_true (e->summary != NULL && *e->summary != '\0');
      g_assert_true (e->explanation != NULL && strlen (e->explanation) > 200);
      {
        /* A listing: the text with its bound lines, or one made per mode. */
        g_autofree char *code = lab_experiment_dup_code (e, NULL);

        g_assert_cmpuint (strlen (code), >, 0);
      }
      g_assert_nonnull (e->run);
      g_assert_cmpuint (e->n_params, >, 0);
      g_assert_cmpuint (e->n_metrics, >, 0);

      for (guint p = 0; p < e->n_params; p++)
        {
          const LabParamSpec *spec = &e->params[p];
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;

          g_assert_nonnull (spec->key);
          g_assert_true (spec->label != NULL && *spec->label != '\0');
          for (guint q = p + 1; q < e->n_params; q++)
            g_assert_cmpstr (spec->key, !=, e->params[q].key);

          if (spec->kind == LAB_PARAM_INT || spec->kind == LAB_PARAM_DOUBLE)
            {
              g_assert_cmpfloat (spec->min, <=, spec->def_num);
              g_assert_cmpfloat (spec->def_num, <=, spec->max);
              g_assert_cmpfloat (spec->step, >, 0);
            }
          if (spec->flags & LAB_PARAM_FLAG_SWEEPABLE)
            g_assert_cmpint (spec->kind, ==, LAB_PARAM_INT);

          /* The default round-trips through the command-line syntax. */
          text = lab_params_format_value (params, spec->key);
          g_assert_nonnull (text);
          lab_params_parse (params, spec->key, text, &error);
          g_assert_no_error (error);
        }

      for (guint m = 0; m < e->n_metrics; m++)
        {
          g_assert_nonnull (e->metrics[m].key);
          g_assert_true (e->metrics[m].label != NULL && *e->metrics[m].label != '\0');
          for (guint q = m + 1; q < e->n_metrics; q++)
            g_assert_cmpstr (e->metrics[m].key, !=, e->metrics[q].key);
        }
    }
}

static gboolean
has_metric (const LabExperiment *e,
            const char          *key)
{
  for (guint m = 0; m < e->n_metrics; m++)
    if (g_strcmp0 (e->metrics[m].key, key) == 0)
      return TRUE;
  return FALSE;
}

/* What the window shows beyond the standard views comes from the
 * descriptor alone: the panel's keys are declared metrics, and every
 * summary link names its place and applies cleanly. */
static void
test_registry_panels (void)
{
  g_autoptr(GHashTable) link_names = g_hash_table_new (g_str_hash, g_str_equal);
  const LabExperiment * const *all;
  guint n, n_panels = 0;

  all = lab_experiments_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      const LabExperiment *e = all[i];
      const LabPanel *panel = &e->panel;

      g_test_message ("checking %s", e->id);
      if (panel->kind == LAB_PANEL_NONE)
        {
          g_assert_null (panel->keys);
          g_assert_null (panel->labels);
        }
      else
        {
          g_assert_nonnull (lab_panel_get_key (panel, 0));
          n_panels++;
        }
      for (guint k = 0; lab_panel_get_key (panel, k) != NULL; k++)
        {
          g_test_message ("  panel key %s", lab_panel_get_key (panel, k));
          g_assert_true (has_metric (e, lab_panel_get_key (panel, k)));
        }
      for (guint l = 0; panel->labels != NULL && panel->labels[l].nick != NULL; l++)
        {
          g_assert_true (panel->labels[l].label != NULL && *panel->labels[l].label != '\0');
          g_assert_cmpstr (lab_panel_get_label (panel, panel->labels[l].nick), ==,
                           panel->labels[l].label);
        }
      g_assert_cmpstr (lab_panel_get_label (panel, "no-such-value"), ==, "no-such-value");

      for (guint l = 0; l < e->n_summary_links; l++)
        {
          const LabSummaryLink *link = &e->summary_links[l];
          g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
          g_autoptr(GError) error = NULL;

          g_assert_true (link->topic != NULL && *link->topic != '\0');
          g_assert_true (link->label != NULL && *link->label != '\0');
          g_assert_nonnull (link->name);
          g_assert_false (g_hash_table_contains (link_names, link->name));
          g_hash_table_add (link_names, (gpointer) link->name);
          if (link->assignment != NULL)
            g_assert_true (lab_experiment_parse_assignment (e, params, link->assignment, &error));
          g_assert_no_error (error);
        }
    }

  /* The request table and the process boxes. */
  g_assert_cmpuint (n_panels, ==, 2);
  g_assert_cmpint (lab_exp_threads_io_fetch.panel.kind, ==, LAB_PANEL_REQUEST_TABLE);
  g_assert_cmpint (lab_exp_process_isolation.panel.kind, ==, LAB_PANEL_PROCESS_BOXES);
  /* Both summary tables' rows and columns have their links. */
  g_assert_cmpuint (g_hash_table_size (link_names), ==, 10);
}

static void
test_registry_contract (void)
{
  const LabExperiment *hello = &lab_exp_threads_hello;
  const LabExperiment *race = &lab_exp_race_counter;
  g_autoptr(LabParams) hello_params = lab_params_new (hello->params, hello->n_params);
  g_autoptr(LabParams) race_params = lab_params_new (race->params, race->n_params);

  /* The keys and defaults of EXPERIMENTS.md. */
  g_assert_cmpint (lab_params_get_int (hello_params, "threads"), ==, 4);
  g_assert_cmpint (lab_params_get_int (race_params, "threads"), ==, 10);
  g_assert_false (lab_params_get_bool (race_params, "lock"));
  g_assert_cmpint (lab_params_get_int (race_params, "max_sleep_ms"), ==, 1000);
  g_assert_cmpint (lab_params_get_int (race_params, "seed"), ==, 0);

  test_assert_out_of_range (race_params, "threads", "65");
  test_assert_out_of_range (race_params, "max_sleep_ms", "2001");
}

/* ---- threads-hello ---- */

static void
check_hello (guint n_threads)
{
  g_autofree char *assignment = g_strdup_printf ("threads=%u", n_threads);
  g_autoptr(LabRunner) runner = run_experiment ("threads-hello", assignment, NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GVariant) lines_v = NULL;
  g_autofree const char **lines = NULL;
  g_autofree gboolean *seen = g_new0 (gboolean, n_threads);
  const LabTraceLane *main_l = main_lane (trace);
  const LabOutputLine *output;
  gsize n_lines;
  guint n_output;

  g_test_message ("threads-hello with %u threads: in order %d, %.3f ms",
                  n_threads, (int) test_metric_bool (runner, "in_order"),
                  test_metric_double (runner, "wall_s") * 1e3);
  g_assert_cmpint (test_metric_int (runner, "threads"), ==, n_threads);
  g_assert_cmpfloat (test_metric_double (runner, "wall_s"), >, 0);

  /* Every "Hello i" exactly once. */
  lines_v = lab_metrics_lookup (lab_runner_get_metrics (runner), "lines");
  g_assert_nonnull (lines_v);
  g_assert_true (g_variant_is_of_type (lines_v, G_VARIANT_TYPE_STRING_ARRAY));
  lines = g_variant_get_strv (lines_v, &n_lines);
  g_assert_cmpuint (n_lines, ==, n_threads);
  for (guint k = 0; k < n_lines; k++)
    {
      guint64 i;

      g_assert_true (g_str_has_prefix (lines[k], "Hello "));
      g_assert_true (g_ascii_string_to_unsigned (lines[k] + 6, 10, 0, n_threads - 1, &i, NULL));
      g_assert_false (seen[i]);
      seen[i] = TRUE;
    }

  /* The metric lists the lines in the order of the trace's output. */
  output = lab_trace_get_output (trace, &n_output);
  g_assert_cmpuint (n_output, ==, n_threads);
  for (guint k = 0; k < n_output; k++)
    g_assert_cmpstr (lab_trace_get_string (trace, output[k].label), ==, lines[k]);

  /* One lane per thread: its life as a span, its greeting as a mark; the
   * main thread started it before it ran and joined it after it ended. */
  g_assert_cmpuint (count_thread_lanes (trace), ==, n_threads);
  for (guint i = 0; i < n_threads; i++)
    {
      const LabTraceLane *lane = thread_lane (trace, i);
      g_autofree char *hello = g_strdup_printf ("Hello %u", i);
      g_autofree char *start = g_strdup_printf ("start(%u)", i);
      g_autofree char *join = g_strdup_printf ("join(%u)", i);
      const LabEvent *print_mark = find_mark (trace, lane, hello);
      const LabEvent *start_mark = find_mark (trace, main_l, start);
      const LabSpan *life = find_span (trace, lane, LAB_STATE_RUNNING, NULL);
      const LabSpan *join_span = find_span (trace, main_l, LAB_STATE_WAITING, join);

      g_assert_nonnull (life);
      g_assert_nonnull (print_mark);
      g_assert_true (print_mark->flags & LAB_EVENT_FLAG_OUTPUT);
      g_assert_nonnull (start_mark);
      g_assert_nonnull (join_span);
      g_assert_cmpuint (test_lane_open_spans (lane), ==, 0);

      g_assert_cmpint (start_mark->ts_ns, <=, life->start_ns);
      g_assert_cmpint (life->start_ns, <=, print_mark->ts_ns);
      g_assert_cmpint (print_mark->ts_ns, <=, life->end_ns);
      g_assert_cmpint (life->end_ns, <=, join_span->end_ns);
      g_assert_cmpint (lane->tid, !=, 0);
    }
  g_assert_cmpuint (test_lane_open_spans (main_l), ==, 0);
}

static void
test_hello_lines (void)
{
  check_hello (1);
  check_hello (4);
  check_hello (64);
}

/* ---- the interpreter model: hello and race as CPython runs them ---- */

/* Whether a lane of @trace has a mark labelled @label. */
static gboolean
trace_has_mark (LabTrace   *trace,
                const char *label)
{
  for (guint i = 0; i < lab_trace_get_n_lanes (trace); i++)
    if (find_mark (trace, lab_trace_get_lane (trace, i), label) != NULL)
      return TRUE;
  return FALSE;
}

/* CPython 3.11 prints the greetings in start order: start() waits until
 * the thread has started, and the greeter holds the GIL until it has
 * printed, unless the main thread waited a whole switch interval for it
 * and asked for it. On an idle machine that never happens; on a loaded
 * one a greeter may be off its CPU that long (1 run in 600 under
 * AddressSanitizer beside two busy loops), as it may in CPython. So each
 * run is in order or shows the request. Many small runs, counted, not
 * timed. */
static void
test_hello_gil_order (void)
{
  const guint sizes[] = { 4, 8, 64 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *threads = g_strdup_printf ("threads=%u", sizes[s]);
      guint in_order = 0;

      for (guint run = 0; run < 200; run++)
        {
          g_autoptr(LabRunner) runner =
            run_experiment ("threads-hello", threads, "gil=true", NULL);

          if (test_metric_bool (runner, "in_order"))
            in_order++;
          else
            g_assert_true (trace_has_mark (lab_runner_get_trace (runner), "asks for the GIL"));
        }
      g_test_message ("threads-hello, %u threads, GIL: %u of 200 in order", sizes[s], in_order);
    }
}

/* Lost-update runs out of @n_runs of race-counter with 10 threads. */
static guint
count_losing_runs (const char *pause,
                   const char *gil,
                   const char *lock,
                   guint       n_runs)
{
  g_autofree char *pause_arg = g_strdup_printf ("pause=%s", pause);
  g_autofree char *gil_arg = g_strdup_printf ("gil=%s", gil);
  g_autofree char *lock_arg = g_strdup_printf ("lock=%s", lock);
  guint losing = 0;

  for (guint run = 0; run < n_runs; run++)
    {
      g_autoptr(LabRunner) runner =
        run_experiment ("race-counter", "threads=10", pause_arg, gil_arg, lock_arg, NULL);

      losing += test_metric_int (runner, "lost_updates") > 0;
    }
  g_test_message ("race-counter pause=%s gil=%s lock=%s: %u of %u runs lost updates",
                  pause, gil, lock, losing, n_runs);
  return losing;
}

static void
test_race_gil_pause (void)
{
  /* time.sleep(0) releases the GIL between read and write. */
  g_assert_cmpuint (count_losing_runs ("zero", "true", "false", 50), >=, 48);
  /* No switch point between read and write: under the GIL nothing is lost. */
  g_assert_cmpuint (count_losing_runs ("none", "true", "false", 50), ==, 0);
  /* The lock still fixes the sleep(0) race. */
  g_assert_cmpuint (count_losing_runs ("zero", "true", "true", 20), ==, 0);
  /* Free-threaded, `none` may lose updates or not: only run it. */
  count_losing_runs ("none", "false", "false", 5);
}

/* The marks that say where a thread may be switched out: under the GIL
 * none lies between a thread's read and its write with `none`; with `zero`
 * a time.sleep(0) span does. */
static void
test_race_switch_points (void)
{
  g_autoptr(LabRunner) none = run_experiment ("race-counter", "threads=4", "pause=none", NULL);
  g_autoptr(LabRunner) zero = run_experiment ("race-counter", "threads=4", "pause=zero", NULL);
  LabTrace *trace = lab_runner_get_trace (none);
  gboolean has_gil_lane = FALSE;

  for (guint i = 0; i < 4; i++)
    {
      const LabTraceLane *lane = thread_lane (trace, i);
      int read_at = -1, write_at = -1;
      guint n_points = 0;
      int between = 0;

      for (guint m = 0; m < lane->marks->len; m++)
        {
          guint32 index = g_array_index (lane->marks, guint32, m);
          const char *label = lab_trace_get_string (trace, test_lane_event (lane, index)->label);

          if (g_str_has_prefix (label, "read "))
            read_at = index;
          else if (g_str_has_prefix (label, "write "))
            write_at = index;
          else if (g_str_has_prefix (label, "may switch: "))
            {
              n_points++;
              between += read_at >= 0 && write_at < 0;
            }
        }
      g_assert_cmpint (read_at, >=, 0);
      g_assert_cmpint (write_at, >, read_at);
      /* increment() and print(): two switch points, neither in between. */
      g_assert_cmpuint (n_points, ==, 2);
      g_assert_cmpint (between, ==, 0);
      g_assert_null (find_span (trace, lane, LAB_STATE_SLEEPING, NULL));
      g_assert_nonnull (find_span (lab_runner_get_trace (zero),
                                   thread_lane (lab_runner_get_trace (zero), i),
                                   LAB_STATE_SLEEPING, "time.sleep(0)"));
    }

  /* The GIL lane shows who holds the lock. */
  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    has_gil_lane |= lab_trace_get_lane (trace, l)->kind == LAB_LANE_RESOURCE;
  g_assert_true (has_gil_lane);
}

/* ---- race-counter ---- */

/* A GIL hand-over forced by a waiter is an arrow too; a slow machine can
 * make one in any run with the GIL. */
static gboolean
is_gil_handover (LabTrace           *trace,
                 const LabFlowArrow *flow)
{
  const LabTraceLane *lane = lab_trace_get_lane (trace, flow->from_lane);

  return g_strcmp0 (lab_trace_get_string (trace, test_lane_event (lane, flow->from_index)->label),
                    "hands the GIL over") == 0;
}

static guint
count_highlighted_writes (LabTrace *trace,
                          guint     n_threads)
{
  guint n = 0;

  for (guint i = 0; i < n_threads; i++)
    n += count_marks_with_flags (thread_lane (trace, i), LAB_EVENT_FLAG_HIGHLIGHT);

  return n;
}

static void
test_race_lost_updates (void)
{
  g_autoptr(LabRunner) runner =
    run_experiment ("race-counter", "threads=10", "lock=false", "max_sleep_ms=100",
                    "seed=" G_STRINGIFY (RACE_SEED), NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  gint64 expected = test_metric_int (runner, "expected");
  gint64 final_count = test_metric_int (runner, "final_count");
  gint64 lost = test_metric_int (runner, "lost_updates");
  gint64 sleepers = test_metric_int (runner, "sleepers");
  gint64 overwrites = test_metric_int (runner, "overwrites");
  double wall_s = test_metric_double (runner, "wall_s");
  const LabTraceCounter *counter;
  const LabFlowArrow *flows;
  guint n_flows, n_output, n_read_flows = 0;

  g_test_message ("no lock: final %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                  ", %" G_GINT64_FORMAT " sleepers, %" G_GINT64_FORMAT
                  " overwrites, %.3f s", final_count, expected, sleepers,
                  overwrites, wall_s);

  /* The seed gives both kinds of thread. */
  g_assert_cmpint (sleepers, >=, 2);
  g_assert_cmpint (sleepers, <=, 8);
  g_assert_cmpint (test_metric_int (runner, "seed_used"), ==, RACE_SEED);

  g_assert_cmpint (expected, ==, 10);
  g_assert_cmpint (final_count, <, expected);
  g_assert_cmpint (lost, >, 0);
  g_assert_cmpint (lost, ==, expected - final_count);
  g_assert_cmpint (overwrites, >, 0);

  /* Sleepers sleep side by side: nowhere near the sum of their sleeps. */
  g_assert_cmpfloat (wall_s, >=, 0.1);
  g_assert_cmpfloat (wall_s, <, 0.1 * sleepers);

  /* Each overwrite is a highlighted write with an arrow from its stale read
   * on the same lane. */
  g_assert_cmpuint (count_highlighted_writes (trace, 10), ==, overwrites);
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, flows[f].from_lane);
      const LabEvent *from = test_lane_event (lane, flows[f].from_index);
      const LabEvent *to;

      /* The others go from a stale read to its write. */
      if (is_gil_handover (trace, &flows[f]))
        continue;
      n_read_flows++;
      to = test_lane_event (lane, flows[f].to_index);

      g_assert_cmpuint (flows[f].from_lane, ==, flows[f].to_lane);
      g_assert_cmpint (lane->kind, ==, LAB_LANE_THREAD);
      g_assert_true (from->flags & LAB_EVENT_FLAG_FLOW_SOURCE);
      g_assert_true (to->flags & LAB_EVENT_FLAG_FLOW_TARGET);
      g_assert_true (to->flags & LAB_EVENT_FLAG_HIGHLIGHT);
      g_assert_true (g_str_has_prefix (lab_trace_get_string (trace, from->label), "read "));
      g_assert_true (g_str_has_prefix (lab_trace_get_string (trace, to->label), "write "));
      g_assert_cmpint (to->value, ==, from->value + 1);
      g_assert_cmpint (from->ts_ns, <, to->ts_ns);
    }
  g_assert_cmpuint (n_read_flows, ==, overwrites);

  /* The counter track: the initial 0 and one sample per write. */
  counter = find_counter (trace, "count");
  g_assert_nonnull (counter);
  g_assert_cmpuint (counter->samples->len, ==, 11);
  g_assert_cmpint (counter->min_value, ==, 0);
  g_assert_cmpint (counter->max_value, <=, expected);

  /* One printed value per thread; every lane ran, slept or not, and ended. */
  lab_trace_get_output (trace, &n_output);
  g_assert_cmpuint (n_output, ==, 10);
  g_assert_cmpuint (count_thread_lanes (trace), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      const LabTraceLane *lane = thread_lane (trace, i);
      g_autofree char *join = g_strdup_printf ("join(%u)", i);

      g_assert_nonnull (find_span (trace, lane, LAB_STATE_RUNNING, NULL));
      g_assert_nonnull (find_span (trace, main_lane (trace), LAB_STATE_WAITING, join));
      g_assert_cmpuint (test_lane_open_spans (lane), ==, 0);
      g_assert_null (find_span (trace, lane, LAB_STATE_LOCK_HELD, NULL));
    }
}

static void
test_race_lock (void)
{
  g_autoptr(LabRunner) runner =
    run_experiment ("race-counter", "threads=10", "lock=true", "max_sleep_ms=50",
                    "seed=" G_STRINGIFY (RACE_SEED), NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (LabSpan));
  gint64 sleepers = test_metric_int (runner, "sleepers");
  double wall_s = test_metric_double (runner, "wall_s");
  const LabOutputLine *output;
  const LabFlowArrow *flows;
  guint n_flows, n_output;

  g_test_message ("lock: final %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                  " sleepers, %.3f s", test_metric_int (runner, "final_count"),
                  sleepers, wall_s);

  g_assert_cmpint (test_metric_int (runner, "expected"), ==, 10);
  g_assert_cmpint (test_metric_int (runner, "final_count"), ==, 10);
  g_assert_cmpint (test_metric_int (runner, "lost_updates"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "overwrites"), ==, 0);
  g_assert_cmpint (sleepers, >=, 2);

  /* The price of the fix: the sleeps add up. */
  g_assert_cmpfloat (wall_s, >=, 0.05 * sleepers);

  g_assert_cmpuint (count_highlighted_writes (trace, 10), ==, 0);
  flows = lab_trace_get_flows (trace, &n_flows);
  for (guint f = 0; f < n_flows; f++)
    g_assert_true (is_gil_handover (trace, &flows[f]));

  /* Each thread waited for the lock, then held it; no two held it at once. */
  for (guint i = 0; i < 10; i++)
    {
      const LabTraceLane *lane = thread_lane (trace, i);
      const LabSpan *wait = find_span (trace, lane, LAB_STATE_LOCK_WAIT, NULL);
      const LabSpan *hold = find_span (trace, lane, LAB_STATE_LOCK_HELD, NULL);

      g_assert_nonnull (wait);
      g_assert_nonnull (hold);
      g_assert_cmpint (wait->end_ns, <=, hold->start_ns);
      g_assert_cmpuint (test_lane_open_spans (lane), ==, 0);
      g_array_append_val (held, *hold);
    }
  for (guint i = 0; i < held->len; i++)
    for (guint j = i + 1; j < held->len; j++)
      {
        const LabSpan *a = &g_array_index (held, LabSpan, i);
        const LabSpan *b = &g_array_index (held, LabSpan, j);

        g_assert_true (a->end_ns <= b->start_ns || b->end_ns <= a->start_ns);
      }

  /* Printed under the lock: 1 2 3 ... 10. */
  output = lab_trace_get_output (trace, &n_output);
  g_assert_cmpuint (n_output, ==, 10);
  for (guint k = 0; k < n_output; k++)
    {
      g_autofree char *expected = g_strdup_printf ("%u", k + 1);

      g_assert_cmpstr (lab_trace_get_string (trace, output[k].label), ==, expected);
    }
}

static void
test_race_single_thread (void)
{
  /* One thread, sleeping or not, has nobody to race with. */
  for (guint seed = 1; seed <= 4; seed++)
    {
      g_autofree char *seed_text = g_strdup_printf ("seed=%u", seed);
      g_autoptr(LabRunner) runner =
        run_experiment ("race-counter", "threads=1", "max_sleep_ms=20", seed_text, NULL);

      g_assert_cmpint (test_metric_int (runner, "final_count"), ==, 1);
      g_assert_cmpint (test_metric_int (runner, "lost_updates"), ==, 0);
      g_assert_cmpint (test_metric_int (runner, "overwrites"), ==, 0);
    }
}

/* Which threads slept, as a string of 0 and 1, read from the trace. */
static char *
sleep_pattern (LabRunner *runner,
               guint      n_threads)
{
  LabTrace *trace = lab_runner_get_trace (runner);
  GString *pattern = g_string_new (NULL);
  guint n_sleepers = 0;

  for (guint i = 0; i < n_threads; i++)
    {
      const LabTraceLane *lane = thread_lane (trace, i);
      /* The others call time.sleep(0), as the lecture's randint(0, 1) does. */
      gboolean slept = find_span (trace, lane, LAB_STATE_SLEEPING, NULL) != NULL &&
                       find_span (trace, lane, LAB_STATE_SLEEPING, "time.sleep(0)") == NULL;

      g_string_append_c (pattern, slept ? '1' : '0');
      n_sleepers += slept;
    }
  g_assert_cmpint (test_metric_int (runner, "sleepers"), ==, n_sleepers);

  return g_string_free (pattern, FALSE);
}

static void
test_race_seed (void)
{
  g_autoptr(LabRunner) a = run_experiment ("race-counter", "threads=16", "max_sleep_ms=10",
                                           "seed=12345", NULL);
  g_autoptr(LabRunner) b = run_experiment ("race-counter", "threads=16", "max_sleep_ms=10",
                                           "seed=12345", NULL);
  g_autoptr(LabRunner) c = run_experiment ("race-counter", "threads=16", "max_sleep_ms=10",
                                           "seed=54321", NULL);
  g_autoptr(LabRunner) r = run_experiment ("race-counter", "threads=4", "max_sleep_ms=0",
                                           "seed=0", NULL);
  g_autofree char *pattern_a = sleep_pattern (a, 16);
  g_autofree char *pattern_b = sleep_pattern (b, 16);
  g_autofree char *pattern_c = sleep_pattern (c, 16);

  g_test_message ("sleepers: seed 12345 -> %s, seed 54321 -> %s", pattern_a, pattern_c);
  g_assert_cmpstr (pattern_a, ==, pattern_b);
  g_assert_cmpstr (pattern_a, !=, pattern_c);
  g_assert_cmpint (test_metric_int (a, "seed_used"), ==, 12345);

  /* seed=0 picks a seed, and says which. */
  g_assert_cmpint (test_metric_int (r, "seed_used"), >, 0);
  /* No sleep at all: nobody counts as a sleeper. */
  g_assert_cmpint (test_metric_int (r, "sleepers"), ==, 0);
}

static void
check_stop (gboolean lock)
{
  const LabExperiment *experiment = &lab_exp_race_counter;
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  double latency_ms;

  /* The sleepers sleep 2 s each (side by side, or one after the other with
   * the lock): only Stop ends the run early. */
  g_assert_true (lab_params_parse (params, "threads", "10", &error));
  g_assert_true (lab_params_parse (params, "lock", lock ? "true" : "false", &error));
  g_assert_true (lab_params_parse (params, "max_sleep_ms", "2000", &error));
  g_assert_true (lab_params_parse (params, "seed", G_STRINGIFY (RACE_SEED), &error));
  g_assert_no_error (error);

  /* Every thread is joined by the end: each lane's spans are closed. */
  runner = lab_runner_new (experiment, params);
  latency_ms = test_exp_stop (runner, 150, test_stop_timeout);
  g_test_message ("stopped (lock %d): finished %.1f ms after Stop", lock, latency_ms);
}

static void
test_race_stop (void)
{
  check_stop (FALSE);
  check_stop (TRUE);
}

/* A timeline with no room for another lane: every experiment that adds
 * lanes fails with one clear line instead of crashing, and starts nothing.
 * (An event names its lane in 16 bits: 65536 lanes at most.) */
static void
test_lanes_full (void)
{
  static const struct
  {
    const char *id;
    const char *assignments[4];
  } cases[] = {
    { "threads-hello", { "threads=3", NULL } },
    { "race-counter", { "threads=3", "max_sleep_ms=0", NULL } },
    { "threads-cpu-sum", { "threads=2", "size=1000", "repeat=1", NULL } },
    { "producer-consumer", { "items=2", "consumers=2", "time_scale=0.01", NULL } },
    { "subprocess-run", { "command=true", NULL } },
    /* One lane per request, made while the loop runs. */
    { "threads-io-fetch", { "pages=2", "delay_ms=10", "mode=event-loop", NULL } },
    /* One lane per worker process, made while the pool starts. */
    { "process-pool-map", { "processes=2", "items=4", "task_ms=0", NULL } },
    { "process-sum", { "processes=2", "size=20000", "repeat=1", NULL } },
    { "process-isolation", { "processes=2", NULL } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const LabExperiment *experiment = lab_experiments_find (cases[c].id);
      g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
      g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
      g_autoptr(GError) error = NULL;
      LabRunContext *ctx;
      GVariant *metrics;

      g_test_message ("full timeline: %s", cases[c].id);
      for (guint a = 0; cases[c].assignments[a] != NULL; a++)
        g_assert_true (lab_params_parse_assignment (params, cases[c].assignments[a], &error));
      g_assert_no_error (error);

      /* Lanes without room for events, so filling them costs little; the
       * context's main lane is the last one there is room for. */
      lab_recorder_set_limit (recorder, 0);
      for (guint l = 0; l < 65535; l++)
        lab_recorder_add_lane (recorder, LAB_LANE_THREAD, "filler");
      ctx = lab_run_context_new (params, recorder, NULL);
      lab_lane_bind_thread (lab_run_context_get_main_lane (ctx));
      g_assert_cmpuint (lab_recorder_get_n_lanes (recorder), ==, 65536);

      metrics = experiment->run (ctx, &error);
      g_assert_null (metrics);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_nonnull (strstr (error->message, "No room on the timeline"));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpuint (lab_recorder_get_n_lanes (recorder), ==, 65536);

      lab_run_context_free (ctx);
    }
}

/* A recorder that is full before the run has no room for its main lane:
 * the run is refused with the same clear line, not started without one. */
static void
test_lanes_no_main (void)
{
  const LabExperiment *experiment = lab_experiments_find ("threads-hello");
  g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GError) error = NULL;
  LabRunContext *ctx;

  lab_recorder_set_limit (recorder, 0);
  for (guint l = 0; l < LAB_RECORDER_MAX_LANES; l++)
    lab_recorder_add_lane (recorder, LAB_LANE_THREAD, "filler");
  ctx = lab_run_context_new (params, recorder, NULL);

  g_assert_null (lab_run_context_get_main_lane (ctx));
  g_assert_false (lab_run_context_check_main_lane (ctx, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "Main thread"));
  g_assert_cmpuint (lab_recorder_get_n_lanes (recorder), ==, LAB_RECORDER_MAX_LANES);

  lab_run_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/experiments/registry/ids", test_registry_ids);
  g_test_add_func ("/experiments/registry/descriptors", test_registry_descriptors);
  g_test_add_func ("/experiments/registry/contract", test_registry_contract);
  g_test_add_func ("/experiments/registry/panels", test_registry_panels);
  g_test_add_func ("/experiments/threads-hello/lines", test_hello_lines);
  g_test_add_func ("/experiments/race-counter/lost-updates", test_race_lost_updates);
  g_test_add_func ("/experiments/race-counter/lock", test_race_lock);
  g_test_add_func ("/experiments/race-counter/single-thread", test_race_single_thread);
  g_test_add_func ("/experiments/race-counter/seed", test_race_seed);
  g_test_add_func ("/experiments/race-counter/stop", test_race_stop);
  g_test_add_func ("/experiments/lanes/full", test_lanes_full);
  g_test_add_func ("/experiments/lanes/no-main", test_lanes_no_main);
  g_test_add_func ("/experiments/threads-hello/gil-order", test_hello_gil_order);
  g_test_add_func ("/experiments/race-counter/gil-pause", test_race_gil_pause);
  g_test_add_func ("/experiments/race-counter/switch-points", test_race_switch_points);

  return g_test_run ();
}
