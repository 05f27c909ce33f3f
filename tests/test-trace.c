/* test-trace.c — spans, counters and states derived from events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lab-trace.h"

static LabEvent
ev (gint64 ts, LabEventKind kind, LabState state, guint32 label, gint64 value)
{
  LabEvent e = { .ts_ns = ts, .kind = kind, .state = state, .label = label, .value = value, .cpu = -1 };
  return e;
}

static void
test_nested_spans (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  const LabTraceLane *lane;
  const LabSpan *outer, *inner;
  LabEvent events[] = {
    ev (100, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, 0, 0),
    ev (150, LAB_EVENT_BEGIN, LAB_STATE_LOCK_WAIT, 0, 0),
    ev (200, LAB_EVENT_END, 0, 0, 0),
    ev (200, LAB_EVENT_BEGIN, LAB_STATE_LOCK_HELD, 0, 0),
    ev (210, LAB_EVENT_BEGIN, LAB_STATE_SLEEPING, 0, 0),
    ev (300, LAB_EVENT_END, 0, 0, 0),
    ev (310, LAB_EVENT_END, 0, 0, 0),
  };

  lab_trace_set_lane (trace, 0, LAB_LANE_THREAD, "Thread 0", 42);
  lab_trace_append (trace, 0, events, G_N_ELEMENTS (events));
  lane = lab_trace_get_lane (trace, 0);

  g_assert_cmpstr (lane->name, ==, "Thread 0");
  g_assert_cmpint (lane->tid, ==, 42);
  g_assert_cmpuint (lane->spans[0]->len, ==, 1);
  g_assert_cmpuint (lane->spans[1]->len, ==, 2);
  g_assert_cmpuint (lane->spans[2]->len, ==, 1);

  /* Still running: the outer span is open. */
  outer = &g_array_index (lane->spans[0], LabSpan, 0);
  g_assert_true (outer->open);
  g_assert_cmpint (outer->end_ns, ==, G_MAXINT64);

  inner = &g_array_index (lane->spans[1], LabSpan, 0);
  g_assert_cmpint (inner->state, ==, LAB_STATE_LOCK_WAIT);
  g_assert_cmpint (inner->start_ns, ==, 150);
  g_assert_cmpint (inner->end_ns, ==, 200);
  inner = &g_array_index (lane->spans[1], LabSpan, 1);
  g_assert_cmpint (inner->state, ==, LAB_STATE_LOCK_HELD);
  g_assert_cmpint (inner->end_ns, ==, 310);
  inner = &g_array_index (lane->spans[2], LabSpan, 0);
  g_assert_cmpint (inner->state, ==, LAB_STATE_SLEEPING);
  g_assert_cmpint (inner->depth, ==, 2);

  /* The END arrives in a later batch. */
  events[0] = ev (400, LAB_EVENT_END, 0, 0, 0);
  lab_trace_append (trace, 0, events, 1);
  outer = &g_array_index (lane->spans[0], LabSpan, 0);
  g_assert_false (outer->open);
  g_assert_cmpint (outer->end_ns, ==, 400);

  g_assert_cmpuint (lab_trace_get_states_seen (trace), ==,
                    (1u << LAB_STATE_RUNNING) | (1u << LAB_STATE_LOCK_WAIT) |
                    (1u << LAB_STATE_LOCK_HELD) | (1u << LAB_STATE_SLEEPING));
  g_assert_cmpint (lab_trace_get_start_ns (trace), ==, 100);
  g_assert_cmpint (lab_trace_get_end_ns (trace), ==, 400);
}

static void
test_unbalanced_and_deep (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  const LabTraceLane *lane;
  LabEvent events[16];
  guint n = 0;

  /* An END with nothing open is ignored. */
  events[n++] = ev (1, LAB_EVENT_END, 0, 0, 0);
  /* Deeper than the trace keeps: still paired correctly above. */
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH + 2; d++)
    events[n++] = ev (10 + d, LAB_EVENT_BEGIN, LAB_STATE_RUNNING, 0, 0);
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH + 2; d++)
    events[n++] = ev (100 + d, LAB_EVENT_END, 0, 0, 0);

  lab_trace_append (trace, 3, events, n);
  g_assert_cmpuint (lab_trace_get_n_lanes (trace), ==, 4);
  lane = lab_trace_get_lane (trace, 3);
  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    {
      const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, 0);

      g_assert_cmpuint (lane->spans[d]->len, ==, 1);
      g_assert_false (span->open);
      /* The outermost span ends last. */
      g_assert_cmpint (span->end_ns, ==, 100 + LAB_TRACE_MAX_DEPTH + 1 - d);
    }
}

static void
test_counters (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  guint32 name = lab_string_pool_intern (lab_trace_get_pool (trace), "count");
  LabEvent a[] = { ev (10, LAB_EVENT_COUNTER, 0, name, 1), ev (30, LAB_EVENT_COUNTER, 0, name, 3) };
  LabEvent b[] = { ev (20, LAB_EVENT_COUNTER, 0, name, 2), ev (40, LAB_EVENT_COUNTER, 0, name, 1) };
  const LabTraceCounter *counter;

  lab_trace_append (trace, 0, a, 2);
  lab_trace_append (trace, 1, b, 2);

  g_assert_cmpuint (lab_trace_get_n_counters (trace), ==, 1);
  counter = lab_trace_get_counter (trace, 0);
  g_assert_cmpstr (lab_trace_get_string (trace, counter->label), ==, "count");
  g_assert_cmpuint (counter->samples->len, ==, 4);
  /* Merged across lanes in time order. */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (counter->samples, LabCounterSample, i).ts_ns, ==, 10 * (i + 1));
  g_assert_cmpint (counter->min_value, ==, 1);
  g_assert_cmpint (counter->max_value, ==, 3);
}

static void
test_string_pool (void)
{
  g_autoptr(LabStringPool) pool = lab_string_pool_new ();
  g_autofree char *big = g_strnfill (100000, 'x');
  guint32 ids[3000];

  g_assert_cmpuint (lab_string_pool_intern (pool, ""), ==, 0);
  g_assert_cmpuint (lab_string_pool_intern (pool, NULL), ==, 0);
  g_assert_cmpstr (lab_string_pool_get (pool, 0), ==, "");
  g_assert_cmpstr (lab_string_pool_get (pool, 99999), ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = lab_string_pool_intern_printf (pool, "label number %u", i);
  g_assert_cmpuint (lab_string_pool_intern (pool, big), !=, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *want = g_strdup_printf ("label number %u", i);

      g_assert_cmpstr (lab_string_pool_get (pool, ids[i]), ==, want);
    }
  g_assert_cmpuint (lab_string_pool_get_size (pool), ==, G_N_ELEMENTS (ids) + 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace/spans/nested", test_nested_spans);
  g_test_add_func ("/trace/spans/unbalanced-and-deep", test_unbalanced_and_deep);
  g_test_add_func ("/trace/counters", test_counters);
  g_test_add_func ("/trace/string-pool", test_string_pool);

  return g_test_run ();
}
