/* test-io-fetch.c — threads-io-fetch against the loopback server: bodies
 * arrive intact in every mode, concurrent requests overlap on the timeline
 * and sequential ones do not, every kind of failure gets its own words,
 * nothing leaks over many runs, and Stop ends what is pending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "lab-experiments.h"
#include "lab-fetch.h"
#include "lab-http-server.h"
#include "lab-runner.h"
#include "test-exp-util.h"
#include "test-proc-util.h"

/* ---- running the experiment ---- */

/* Runs threads-io-fetch with "key=value" assignments (NULL-terminated) and
 * asserts that it finished with metrics. */
#define run_io(...) test_exp_run (&lab_exp_threads_io_fetch, __VA_ARGS__)

/* The per-request dictionaries of one mode, in URL order. */
static GPtrArray *
requests_of (LabRunner  *runner,
             const char *mode)
{
  g_autoptr(GVariant) list = lab_metrics_lookup (lab_runner_get_metrics (runner), "requests");
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  g_assert_nonnull (list);
  g_assert_true (g_variant_is_of_type (list, G_VARIANT_TYPE ("aa{sv}")));
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      GVariant *request = g_variant_get_child_value (list, i);
      const char *request_mode = NULL;

      g_assert_true (g_variant_lookup (request, "mode", "&s", &request_mode));
      if (g_str_equal (request_mode, mode))
        g_ptr_array_add (found, request);
      else
        g_variant_unref (request);
    }
  return found;
}

/* Owned by @request (the string lives in the dictionary's own value). */
static const char *
request_string (GVariant   *request,
                const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (request, key, G_VARIANT_TYPE_STRING);

  g_assert_nonnull (value);
  return g_variant_get_string (value, NULL);
}

static gint64
request_int (GVariant   *request,
             const char *key)
{
  gint64 value = 0;

  g_assert_true (g_variant_lookup (request, key, "x", &value));
  return value;
}

static double
request_double (GVariant   *request,
                const char *key)
{
  double value = 0;

  g_assert_true (g_variant_lookup (request, key, "d", &value));
  return value;
}

/* ---- reading the trace ---- */

typedef struct
{
  const LabTraceLane *lane;
  const LabSpan      *span;
} LaneSpan;

/* Every closed span labelled "GET …" (one per request), on lanes whose kind
 * is @kind (or any kind if -1). */
static GArray *
request_spans (LabTrace *trace,
               gint      kind)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (LaneSpan));

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      if (kind >= 0 && lane->kind != (LabLaneKind) kind)
        continue;
      for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
        for (guint s = 0; s < lane->spans[d]->len; s++)
          {
            const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);
            LaneSpan found = { lane, span };

            if (g_str_has_prefix (lab_trace_get_string (trace, span->label), "GET "))
              {
                g_assert_false (span->open);
                g_assert_cmpint (span->state, ==, LAB_STATE_WAITING);
                g_array_append_val (spans, found);
              }
          }
    }
  return spans;
}

/* Spans of @state nested in @outer on its lane. */
static guint
count_children (const LabTraceLane *lane,
                const LabSpan      *outer,
                LabState            state,
                gint64             *total_ns)
{
  guint n = 0;

  for (guint d = outer->depth + 1; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      {
        const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);

        if (span->state == state && span->start_ns >= outer->start_ns &&
            span->end_ns <= outer->end_ns)
          {
            n++;
            if (total_ns != NULL)
              *total_ns += span->end_ns - span->start_ns;
          }
      }
  return n;
}

/* ---- tests ---- */

static void
test_contract (void)
{
  const LabExperiment *e = &lab_exp_threads_io_fetch;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_experiments_find ("threads-io-fetch") == e);
  g_assert_cmpint (e->topic, ==, LAB_TOPIC_THREADS);
  g_assert_cmpint (lab_params_get_int (params, "threads"), ==, 6);
  g_assert_cmpstr (lab_params_get_string (params, "mode"), ==, "threads");
  g_assert_null (lab_params_get_strv (params, "urls")[0]);
  g_assert_cmpint (lab_params_get_int (params, "delay_ms"), ==, 600);
  g_assert_true (lab_params_get_bool (params, "spread"));
  g_assert_cmpint (lab_params_get_int (params, "timeout_ms"), ==, 10000);
  g_assert_true (lab_params_find_spec (params, "threads")->flags & LAB_PARAM_FLAG_SWEEPABLE);

  test_assert_out_of_range (params, "threads", "65");
  test_assert_out_of_range (params, "delay_ms", "5001");
  test_assert_out_of_range (params, "timeout_ms", "99");
  g_assert_false (lab_params_parse (params, "mode", "processes", &error));
  g_clear_error (&error);

  /* Every preset applies cleanly. */
  for (guint i = 0; i < e->n_presets; i++)
    {
      lab_experiment_apply_preset (e, params, e->presets[i].nick, &error);
      g_assert_no_error (error);
    }
}

static const char * const intact_urls[] = {
  "/bytes/1000", "/bytes/54321", "/page/x?size=20000", "/bytes/0",
  "/slow/5000?chunk=1000&interval=10", "/redirect/2?size=777", "/bytes/1000000",
};
static const gint64 intact_sizes[] = { 1000, 54321, 20000, 0, 5000, 777, 1000000 };

static void
check_intact (const char *mode)
{
  g_autofree char *joined = g_strjoinv (",", (char **) intact_urls);
  g_autofree char *urls = g_strconcat ("urls=", joined, NULL);
  g_autofree char *mode_set = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = run_io (urls, mode_set, "threads=3", NULL);
  g_autoptr(GPtrArray) sequential = requests_of (runner, "sequential");
  g_autoptr(GPtrArray) concurrent = requests_of (runner, mode);

  g_assert_cmpuint (sequential->len, ==, G_N_ELEMENTS (intact_urls));
  g_assert_cmpuint (concurrent->len, ==, G_N_ELEMENTS (intact_urls));
  g_assert_cmpint (test_metric_int (runner, "failed"), ==, 0);
  g_assert_cmpint (test_metric_int (runner, "urls"), ==, G_N_ELEMENTS (intact_urls));

  for (guint part = 0; part < 2; part++)
    {
      GPtrArray *requests = part == 0 ? sequential : concurrent;

      for (guint i = 0; i < requests->len; i++)
        {
          GVariant *request = g_ptr_array_index (requests, i);

          /* In URL order, resolved against the built-in server. */
          g_assert_true (g_str_has_prefix (request_string (request, "url"), "http://127.0.0.1:"));
          g_assert_true (g_str_has_suffix (request_string (request, "url"), intact_urls[i]));
          g_assert_cmpstr (request_string (request, "error"), ==, "");
          g_assert_cmpint (request_int (request, "status"), ==, 200);
          g_assert_cmpint (request_int (request, "bytes"), ==, intact_sizes[i]);
          g_assert_cmpfloat (request_double (request, "total_s"), >=,
                             request_double (request, "first_byte_s"));
          g_assert_cmpfloat (request_double (request, "first_byte_s"), >=,
                             request_double (request, "connect_s"));
          g_assert_cmpfloat (request_double (request, "connect_s"), >=,
                             request_double (request, "dns_s"));
          g_assert_cmpfloat (request_double (request, "dns_s"), >, 0);
        }
    }
}

static void
test_intact (void)
{
  check_intact ("threads");
  check_intact ("event-loop");

  /* Mode "sequential": the baseline only; the concurrent time is it. */
  {
    g_autoptr(LabRunner) runner = run_io ("mode=sequential", "pages=3", "delay_ms=20", NULL);
    g_autoptr(GPtrArray) sequential = requests_of (runner, "sequential");
    g_autoptr(GVariant) list = lab_metrics_lookup (lab_runner_get_metrics (runner), "requests");

    g_assert_cmpuint (g_variant_n_children (list), ==, 3);
    g_assert_cmpuint (sequential->len, ==, 3);
    g_assert_cmpfloat (test_metric_double (runner, "concurrent_s"), ==,
                       test_metric_double (runner, "sequential_s"));
    g_assert_cmpfloat (test_metric_double (runner, "speedup"), ==, 1.0);
    g_assert_cmpint (test_metric_int (runner, "concurrency"), ==, 1);
  }
}

static void
test_default_pages (void)
{
  /* The built-in pages: delays spread from half to 1.5 × delay_ms, each
   * body as large as its URL says. */
  g_autoptr(LabRunner) runner = run_io ("delay_ms=100", NULL);
  g_autoptr(GPtrArray) threads = requests_of (runner, "threads");
  gint64 min_delay = G_MAXINT64, max_delay = 0;

  g_assert_cmpuint (threads->len, ==, 6);
  for (guint i = 0; i < threads->len; i++)
    {
      GVariant *request = g_ptr_array_index (threads, i);
      const char *url = request_string (request, "url");
      g_autofree char *page = g_strdup_printf ("/page/%u?delay=", i + 1);
      const char *delay = strstr (url, "delay=");
      const char *size = strstr (url, "size=");

      g_assert_nonnull (strstr (url, page));
      g_assert_nonnull (delay);
      g_assert_nonnull (size);
      min_delay = MIN (min_delay, g_ascii_strtoll (delay + 6, NULL, 10));
      max_delay = MAX (max_delay, g_ascii_strtoll (delay + 6, NULL, 10));
      g_assert_cmpint (request_int (request, "bytes"), ==, g_ascii_strtoll (size + 5, NULL, 10));
      g_assert_cmpfloat (request_double (request, "first_byte_s"), >=,
                         g_ascii_strtoll (delay + 6, NULL, 10) / 1000.0);
    }
  g_assert_cmpint (min_delay, ==, 50);
  g_assert_cmpint (max_delay, ==, 150);

  /* The sequential part takes at least the sum of the delays (600 ms);
   * the threads about the longest one (150 ms). */
  g_test_message ("default pages: %.3f s vs %.3f s", test_metric_double (runner, "sequential_s"),
                  test_metric_double (runner, "concurrent_s"));
  g_assert_cmpfloat (test_metric_double (runner, "sequential_s"), >=, 0.6);
  g_assert_cmpfloat (test_metric_double (runner, "concurrent_s"), <, 0.45);
}

static void
check_overlap (const char *mode)
{
  g_autofree char *mode_set = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = run_io (mode_set, "delay_ms=200", "spread=false", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  g_autoptr(GArray) on_main = request_spans (trace, LAB_LANE_MAIN);
  g_autoptr(GArray) all = request_spans (trace, -1);
  gboolean event_loop = g_str_equal (mode, "event-loop");
  const LabTraceLane *main_lane = g_array_index (on_main, LaneSpan, 0).lane;
  gint64 latest_start = 0, earliest_end = G_MAXINT64;
  GHashTable *tids = g_hash_table_new (NULL, NULL);
  guint n_concurrent = 0;

  g_test_message ("%s: %.3f s one after another, %.3f s concurrently, speedup %.2f", mode,
                  test_metric_double (runner, "sequential_s"), test_metric_double (runner, "concurrent_s"),
                  test_metric_double (runner, "speedup"));
  g_assert_cmpfloat (test_metric_double (runner, "speedup"), >, 3.0);
  g_assert_cmpint (test_metric_int (runner, "concurrency"), ==, 6);

  /* The baseline: six requests on the main thread, none overlapping. */
  g_assert_cmpuint (on_main->len, ==, 6);
  for (guint i = 1; i < on_main->len; i++)
    g_assert_cmpint (g_array_index (on_main, LaneSpan, i - 1).span->end_ns, <=,
                     g_array_index (on_main, LaneSpan, i).span->start_ns);

  /* The concurrent six: all in flight at one moment. */
  g_assert_cmpuint (all->len, ==, 12);
  for (guint i = 0; i < all->len; i++)
    {
      const LaneSpan *found = &g_array_index (all, LaneSpan, i);
      gint64 wait_ns = 0;

      /* Every request is split into its phases. */
      g_assert_cmpuint (count_children (found->lane, found->span, LAB_STATE_IO_DNS, NULL), ==, 1);
      g_assert_cmpuint (count_children (found->lane, found->span, LAB_STATE_IO_CONNECT, NULL), ==, 1);
      g_assert_cmpuint (count_children (found->lane, found->span, LAB_STATE_IO_WAIT, &wait_ns), ==, 1);
      g_assert_cmpuint (count_children (found->lane, found->span, LAB_STATE_IO_TRANSFER, NULL), ==, 1);
      g_assert_cmpuint (count_children (found->lane, found->span, LAB_STATE_FAILED, NULL), ==, 0);
      g_assert_cmpint (wait_ns, >=, 190 * G_GINT64_CONSTANT (1000000));

      if (found->lane->kind == LAB_LANE_MAIN)
        continue;
      n_concurrent++;
      latest_start = MAX (latest_start, found->span->start_ns);
      earliest_end = MIN (earliest_end, found->span->end_ns);
      g_hash_table_add (tids, GINT_TO_POINTER (found->lane->tid));
      g_assert_cmpint (found->lane->kind, ==, event_loop ? LAB_LANE_RESOURCE : LAB_LANE_THREAD);
    }
  g_assert_cmpuint (n_concurrent, ==, 6);
  g_assert_cmpint (latest_start, <, earliest_end);

  /* Threads: six threads. Event loop: one, the main thread, which waits
   * in poll() on its own lane. */
  if (event_loop)
    {
      g_assert_cmpuint (g_hash_table_size (tids), ==, 1);
      g_assert_true (g_hash_table_contains (tids, GINT_TO_POINTER (main_lane->tid)));
      g_assert_nonnull (main_lane);
    }
  else
    {
      g_assert_cmpuint (g_hash_table_size (tids), ==, 6);
      g_assert_false (g_hash_table_contains (tids, GINT_TO_POINTER (main_lane->tid)));
    }
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
  g_hash_table_unref (tids);

  /* The bar chart: the two wall times, and the slowest request. */
  {
    LabChart *chart = lab_runner_get_chart (runner);
    const LabChartReference *references;
    guint n_references;
    LabChartBar bar;

    g_assert_nonnull (chart);
    g_assert_cmpint (lab_chart_get_kind (chart), ==, LAB_CHART_BARS);
    g_assert_cmpuint (lab_chart_get_n_bars (chart), ==, 2);
    g_assert_cmpstr (lab_chart_get_group (chart, 0), ==, "One after another");
    g_assert_cmpstr (lab_chart_get_group (chart, 1), ==, event_loop ? "Event loop" : "6 threads");
    g_assert_true (lab_chart_get_bar (chart, 0, &bar));
    g_assert_cmpfloat (bar.value, ==, test_metric_double (runner, "sequential_s"));
    g_assert_true (lab_chart_get_bar (chart, 1, &bar));
    g_assert_cmpfloat (bar.value, ==, test_metric_double (runner, "concurrent_s"));
    references = lab_chart_get_references (chart, &n_references);
    g_assert_cmpuint (n_references, ==, 1);
    g_assert_cmpfloat (references[0].y, >=, 0.2);
    g_assert_cmpfloat (references[0].y, <=, test_metric_double (runner, "concurrent_s"));
  }
}

static void
test_overlap (void)
{
  check_overlap ("threads");
  check_overlap ("event-loop");
}

static void
test_pool_smaller_than_urls (void)
{
  /* Two threads for six pages: each thread fetches three, one at a time. */
  g_autoptr(LabRunner) runner = run_io ("threads=2", "delay_ms=50", "spread=false", NULL);
  g_autoptr(GPtrArray) threads = requests_of (runner, "threads");
  guint per_worker[2] = { 0, 0 };

  g_assert_cmpint (test_metric_int (runner, "concurrency"), ==, 2);
  for (guint i = 0; i < threads->len; i++)
    {
      gint64 worker = request_int (g_ptr_array_index (threads, i), "worker");

      g_assert_cmpint (worker, >=, 0);
      g_assert_cmpint (worker, <, 2);
      per_worker[worker]++;
    }
  g_assert_cmpuint (per_worker[0] + per_worker[1], ==, 6);
  g_assert_cmpfloat (test_metric_double (runner, "concurrent_s"), >=, 0.15);
}

typedef struct
{
  const char *url;
  const char *error;    /* the exact error, or a prefix when it ends in "…" */
  gint64      status;
} FailureCase;

static const FailureCase failure_cases[] = {
  { "/page/ok?size=3000",           "",                                                   200 },
  { "not a url",                    "malformed URL",                                      0 },
  { "http://[::1",                  "malformed URL",                                      0 },
  { "http://127.0.0.1:1/",          "could not connect: nothing listens on 127.0.0.1:1",  0 },
  { "http://no-such-host.invalid/", "name not found: no-such-host.invalid",               0 },
  { "/reset/40000",                 "server closed the connection mid-body (got …",       200 },
  { "/status/500",                  "HTTP 500 Internal Server Error",                     500 },
  { "/status/404",                  "HTTP 404 Not Found",                                 404 },
  { "/delay/5000",                  "timed out after 500 ms",                             0 },
  { "file:///etc/hostname",         "only http and https are allowed",                    0 },
  { "ftp://127.0.0.1/",             "only http and https are allowed",                    0 },
  { "/redirect/9",                  "too many redirects (more than 5)",                   302 },
  { "/bytes/2000",                  "",                                                   200 },
};

/* @expected is the exact error, or a prefix when it ends in "…". */
static void
check_error_words (const char *error,
                   const char *expected)
{
  if (g_str_has_suffix (expected, "…"))
    {
      g_autofree char *prefix = g_strndup (expected, strlen (expected) - strlen ("…"));

      g_assert_true (g_str_has_prefix (error, prefix));
    }
  else
    {
      g_assert_cmpstr (error, ==, expected);
    }
}

static void
check_failures (const char *mode)
{
  g_autoptr(GString) urls = g_string_new ("urls=");
  g_autofree char *mode_set = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GArray) spans = NULL;
  LabTrace *trace;
  guint n_failed = 0, n_failed_spans = 0, n_error_marks = 0;

  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    g_string_append_printf (urls, "%s%s", i ? "," : "", failure_cases[i].url);

  runner = run_io (urls->str, mode_set, "threads=13", "timeout_ms=500", NULL);
  requests = requests_of (runner, mode);
  trace = lab_runner_get_trace (runner);
  g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (failure_cases));

  for (guint i = 0; i < requests->len; i++)
    {
      GVariant *request = g_ptr_array_index (requests, i);
      const FailureCase *c = &failure_cases[i];
      const char *error = request_string (request, "error");

      g_test_message ("%s: %s -> \"%s\"", mode, c->url, error);
      check_error_words (error, c->error);
      g_assert_cmpint (request_int (request, "status"), ==, c->status);
      n_failed += error[0] != '\0';

      /* The fast failures are fast, offline too. */
      if (g_str_has_prefix (c->error, "name not found") || g_str_has_prefix (c->error, "malformed") ||
          g_str_has_prefix (c->error, "only http"))
        g_assert_cmpfloat (request_double (request, "total_s"), <, 0.1);
    }
  g_assert_cmpint (test_metric_int (runner, "failed"), ==, n_failed);
  g_assert_cmpuint (n_failed, ==, G_N_ELEMENTS (failure_cases) - 2);

  /* The pages that work came through whole. */
  g_assert_cmpint (request_int (g_ptr_array_index (requests, 0), "bytes"), ==, 3000);
  g_assert_cmpint (request_int (g_ptr_array_index (requests, requests->len - 1), "bytes"), ==, 2000);

  /* On the timeline: each failed request ends in a FAILED span and a
   * highlighted error mark, both labelled with the reason. */
  spans = request_spans (trace, -1);
  g_assert_cmpuint (spans->len, ==, 2 * G_N_ELEMENTS (failure_cases));
  for (guint i = 0; i < spans->len; i++)
    {
      const LaneSpan *found = &g_array_index (spans, LaneSpan, i);

      n_failed_spans += count_children (found->lane, found->span, LAB_STATE_FAILED, NULL);
    }
  g_assert_cmpuint (n_failed_spans, ==, 2 * n_failed);

  for (guint l = 0; l < lab_trace_get_n_lanes (trace); l++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, l);

      for (guint m = 0; m < lane->marks->len; m++)
        {
          const LabEvent *event = &g_array_index (lane->events, LabEvent,
                                                  g_array_index (lane->marks, guint32, m));

          if (event->flags & LAB_EVENT_FLAG_ERROR)
            {
              g_assert_true (event->flags & LAB_EVENT_FLAG_HIGHLIGHT);
              n_error_marks++;
            }
        }
    }
  g_assert_cmpuint (n_error_marks, ==, 2 * n_failed);
  g_assert_cmpuint (test_trace_open_spans (trace), ==, 0);
}

static void
test_failures (void)
{
  check_failures ("threads");
  check_failures ("event-loop");
}

/* ---- a server that answers what no web server should ---- */

/* One connection at a time on 127.0.0.1, on a thread of its own: reads the
 * request head, answers by the path, closes. The answers are the ones the
 * built-in server never gives. */
typedef struct
{
  GSocket      *listener;
  GCancellable *cancellable;
  GThread      *thread;
  guint16       port;
  guint         n_served;   /* read after the thread is joined */
} BadServer;

#define BAD_HEADER_BYTES (2 * 1024 * 1024)

static GBytes *
bad_answer (const char *path)
{
  GString *answer = g_string_new (NULL);

  if (g_str_equal (path, "/hello"))
    {
      g_string_append (answer, "hello\r\n\r\n");
    }
  else if (g_str_equal (path, "/random"))
    {
      g_autoptr(GRand) rng = g_rand_new_with_seed (7);

      for (guint i = 0; i < 4096; i++)
        g_string_append_c (answer, (char) g_rand_int_range (rng, 0, 256));
      /* Not even by chance a status line. */
      answer->str[0] = '\x01';
    }
  else if (g_str_equal (path, "/big-header"))
    {
      /* One header line of 2 MB. */
      g_string_append (answer, "HTTP/1.1 200 OK\r\nX-Big: ");
      for (guint i = 0; i < BAD_HEADER_BYTES; i++)
        g_string_append_c (answer, 'a');
      g_string_append (answer, "\r\nContent-Length: 2\r\n\r\nok");
    }
  else if (g_str_equal (path, "/many-headers"))
    {
      /* 2 MB of header in lines of 1 kB each. */
      g_string_append (answer, "HTTP/1.1 200 OK\r\n");
      for (guint i = 0; answer->len < BAD_HEADER_BYTES; i++)
        {
          g_string_append_printf (answer, "X-Line-%u: ", i);
          for (guint j = 0; j < 1000; j++)
            g_string_append_c (answer, 'b');
          g_string_append (answer, "\r\n");
        }
      g_string_append (answer, "Content-Length: 2\r\n\r\nok");
    }
  else if (g_str_equal (path, "/to-ftp"))
    {
      g_string_append (answer, "HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/file\r\n"
                               "Content-Length: 0\r\n\r\n");
    }
  else if (g_str_equal (path, "/bad-chunk"))
    {
      g_string_append (answer, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "zz\r\nhello\r\n0\r\n\r\n");
    }
  /* Anything else ("/empty"): closed without a byte. */
  return g_string_free_to_bytes (answer);
}

static void
bad_serve (BadServer *server,
           GSocket   *connection)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GBytes) answer = NULL;
  g_auto(GStrv) words = NULL;
  const char *data;
  gsize length, sent = 0;

  /* The whole head first: closing with unread bytes would send a reset
   * instead of the answer. */
  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 65536)
    {
      char buffer[4096];
      gssize n = g_socket_receive (connection, buffer, sizeof buffer, server->cancellable, NULL);

      if (n <= 0)
        return;
      g_string_append_len (head, buffer, n);
    }

  words = g_strsplit (head->str, " ", 3);
  answer = bad_answer (g_strv_length (words) >= 2 ? words[1] : "");
  data = g_bytes_get_data (answer, &length);
  while (sent < length)
    {
      /* Fails once curl has given up and closed: that is expected. */
      gssize n = g_socket_send (connection, data + sent, length - sent, server->cancellable, NULL);

      if (n <= 0)
        break;
      sent += (gsize) n;
    }
  server->n_served++;
}

static gpointer
bad_server_thread (gpointer data)
{
  BadServer *server = data;

  for (;;)
    {
      g_autoptr(GSocket) connection = g_socket_accept (server->listener, server->cancellable, NULL);

      if (connection == NULL)
        break; /* stopped */
      g_socket_set_blocking (connection, TRUE);
      g_socket_set_timeout (connection, 10);
      bad_serve (server, connection);
      g_socket_close (connection, NULL);
    }
  return NULL;
}

/* A socket bound to 127.0.0.1 on an ephemeral port, which is put in @port_out. */
static GSocket *
bind_loopback (guint16 *port_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port_out = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static BadServer *
bad_server_start (void)
{
  BadServer *server = g_new0 (BadServer, 1);
  g_autoptr(GError) error = NULL;

  server->listener = bind_loopback (&server->port);
  g_assert_true (g_socket_listen (server->listener, &error));
  g_assert_no_error (error);
  server->cancellable = g_cancellable_new ();
  server->thread = g_thread_new ("bad-server", bad_server_thread, server);
  return server;
}

/* Returns how many requests it answered. */
static guint
bad_server_stop (BadServer *server)
{
  guint n_served;

  g_cancellable_cancel (server->cancellable);
  g_thread_join (server->thread);
  g_socket_close (server->listener, NULL);
  g_object_unref (server->listener);
  g_object_unref (server->cancellable);
  n_served = server->n_served;
  g_free (server);
  return n_served;
}

/* A port on 127.0.0.1 that nothing listens on (bound, then let go). */
static guint16
closed_port (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) socket = bind_loopback (&port);

  g_socket_close (socket, NULL);
  return port;
}

static void
check_bad_answers (const char *mode)
{
  BadServer *server = bad_server_start ();
  guint16 refused = closed_port ();
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_autofree char *nothing_listens = g_strdup_printf ("could not connect: nothing listens on "
                                                      "127.0.0.1:%u", refused);
  g_autofree char *refused_url = g_strdup_printf ("http://127.0.0.1:%u/", refused);
  g_autofree char *ftp_url = g_strdup_printf ("ftp://127.0.0.1:%u/", server->port);
  g_autofree char *hello = g_strconcat (base, "/hello", NULL);
  g_autofree char *random = g_strconcat (base, "/random", NULL);
  g_autofree char *big_header = g_strconcat (base, "/big-header", NULL);
  g_autofree char *many_headers = g_strconcat (base, "/many-headers", NULL);
  g_autofree char *empty = g_strconcat (base, "/empty", NULL);
  g_autofree char *to_ftp = g_strconcat (base, "/to-ftp", NULL);
  g_autofree char *bad_chunk = g_strconcat (base, "/bad-chunk", NULL);
  const FailureCase cases[] = {
    { hello,          "the server's answer is not HTTP",                 0 },
    { "/bytes/2000",  "",                                                200 },
    { random,         "the server's answer is not HTTP",                 0 },
    { big_header,     "the response header is too large",                200 },
    { many_headers,   "the response header is too large",                200 },
    { empty,          "server closed the connection without answering",  0 },
    { refused_url,    nothing_listens,                                   0 },
    { ftp_url,        "only http and https are allowed",                 0 },
    { to_ftp,         "redirected to ftp://127.0.0.1/file: only http and https are allowed", 302 },
    { bad_chunk,      "the server's answer is broken: …",                200 },
    { "/page/last?size=3000", "",                                        200 },
  };
  const char *parts[] = { "sequential", mode };
  g_autoptr(GString) urls = g_string_new ("urls=");
  g_autofree char *mode_set = g_strconcat ("mode=", mode, NULL);
  g_autoptr(LabRunner) runner = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (urls, "%s%s", i ? "," : "", cases[i].url);
  runner = run_io (urls->str, mode_set, "threads=4", NULL);

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autoptr(GPtrArray) requests = requests_of (runner, parts[p]);

      g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (cases));
      for (guint i = 0; i < requests->len; i++)
        {
          GVariant *request = g_ptr_array_index (requests, i);
          const char *error = request_string (request, "error");

          g_test_message ("%s: %s -> \"%s\"", parts[p], cases[i].url, error);
          check_error_words (error, cases[i].error);
          g_assert_cmpint (request_int (request, "status"), ==, cases[i].status);
        }
      /* The pages around the bad answers came through whole. */
      g_assert_cmpint (request_int (g_ptr_array_index (requests, 1), "bytes"), ==, 2000);
      g_assert_cmpint (request_int (g_ptr_array_index (requests, requests->len - 1), "bytes"),
                       ==, 3000);
    }
  g_assert_cmpint (test_metric_int (runner, "failed"), ==, G_N_ELEMENTS (cases) - 2);
  g_assert_cmpuint (test_trace_open_spans (lab_runner_get_trace (runner)), ==, 0);

  /* Seven paths asked of the bad server in each part; the ftp:// URLs
   * never reached it. */
  g_assert_cmpuint (bad_server_stop (server), ==, 2 * 7);
}

static void
test_bad_answers (void)
{
  check_bad_answers ("threads");
  check_bad_answers ("event-loop");
}

static void
test_printed_lines (void)
{
  g_autoptr(LabRunner) runner = run_io ("urls=/bytes/20000,/status/500", "mode=threads", NULL);
  LabTrace *trace = lab_runner_get_trace (runner);
  const LabOutputLine *output;
  guint n_output, n_ok = 0, n_failed = 0;

  output = lab_trace_get_output (trace, &n_output);
  for (guint i = 0; i < n_output; i++)
    {
      const char *line = lab_trace_get_string (trace, output[i].label);

      g_test_message ("printed: %s", line);
      /* g_format_size() puts a no-break space before the unit. */
      if (strstr (line, "/bytes/20000 → 200, 20.0\u00a0kB in ") != NULL)
        n_ok++;
      if (strstr (line, "/status/500 → HTTP 500 Internal Server Error") != NULL)
        {
          g_assert_true (output[i].flags & LAB_EVENT_FLAG_STDERR);
          n_failed++;
        }
    }
  g_assert_cmpuint (n_ok, ==, 2);
  g_assert_cmpuint (n_failed, ==, 2);
}

static void
test_no_urls (void)
{
  const LabExperiment *e = &lab_exp_threads_io_fetch;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(LabRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("LAB_BINARY");

  g_assert_true (lab_params_parse (params, "pages", "0", &error));
  runner = lab_runner_new (e, params);
  g_assert_false (lab_runner_run_sync (runner, &error));
  g_assert_cmpint (lab_runner_get_state (runner), ==, LAB_RUN_FAILED);
  g_assert_nonnull (lab_runner_get_error (runner));
  g_assert_true (g_str_has_prefix (lab_runner_get_error (runner)->message, "No URLs given"));
  g_clear_error (&error);

  /* The command line says so and exits with 1. */
  if (binary != NULL && g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *argv[] = { binary, "--run=threads-io-fetch", "--set=pages=0", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error));
      g_assert_no_error (error);
      g_test_message ("CLI: %s", err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 1);
      g_assert_nonnull (strstr (err, "No URLs given"));
    }
}

static void
test_no_leaks (void)
{
  static const char * const modes[] = { "mode=threads", "mode=event-loop", "mode=sequential" };
  guint before, after;

  /* Once first, so that what is set up once per process is there. */
  g_object_unref (run_io ("delay_ms=1", "spread=false", NULL));
  before = test_count_self ("fd");

  for (guint i = 0; i < 100; i++)
    {
      const char *failing = i % 10 == 0 ? "urls=/bytes/10,/reset/2000,http://127.0.0.1:1/" : "urls=";
      g_autoptr(LabRunner) runner = run_io (modes[i % 3], "delay_ms=1", "spread=false", failing, NULL);

      g_assert_cmpuint (lab_trace_get_n_events (lab_runner_get_trace (runner)), >, 0);
    }

  after = test_count_self ("fd");
  g_test_message ("open file descriptors: %u before 100 runs, %u after", before, after);
  g_assert_cmpuint (after, ==, before);
}

static void
test_stop (void)
{
  /* Waiting for the first byte of the baseline. */
  test_exp_check_stop (&lab_exp_threads_io_fetch, 300, "delay_ms=5000", "spread=false", NULL);
  /* Receiving a slow body. */
  test_exp_check_stop (&lab_exp_threads_io_fetch, 300,
                       "urls=/slow/100000?chunk=100&interval=100", NULL);
}

/* The three ways of running requests, stopped while requests are in flight
 * (the experiment always starts with the sequential part, so the concurrent
 * modes are stopped here directly). */
typedef struct
{
  LabFetchJob     *job;
  LabFetchRequest *requests;
  guint            n;
  LabLane         *lane;
  gboolean         completed;
} DriverRun;

static gpointer
driver_thread (gpointer data)
{
  DriverRun *run = data;

  lab_lane_bind_thread (run->lane);
  run->completed = lab_fetch_run (run->job, run->requests, run->n, run->lane, NULL);
  return NULL;
}

static void
test_stop_drivers (void)
{
  g_autoptr(LabHttpServer) server = lab_http_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *slow = NULL;
  g_autofree char *fast = NULL;

  g_assert_cmpuint (lab_http_server_start (server, &error), >, 0);
  slow = lab_http_server_url (server, "/delay/10000");
  fast = lab_http_server_url (server, "/bytes/10");

  for (LabFetchMode mode = LAB_FETCH_SEQUENTIAL; mode <= LAB_FETCH_EVENT_LOOP; mode++)
    {
      const char *urls[] = { fast, slow, slow, slow };
      const LabExperiment *e = &lab_exp_threads_io_fetch;
      g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
      g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      LabRunContext *ctx = lab_run_context_new (params, recorder, cancellable);
      gint n_done = 0;
      LabFetchJob job = {
        .ctx = ctx, .recorder = recorder, .mode = mode, .timeout_ms = 60000,
        .concurrency = 4, .n_done = &n_done, .n_total = 4,
      };
      DriverRun run = { &job, lab_fetch_requests_new (urls, 4), 4,
                        lab_run_context_get_main_lane (ctx), FALSE };
      GThread *thread = g_thread_new ("driver", driver_thread, &run);
      gint64 start;
      double stop_s;

      g_usleep (200 * G_TIME_SPAN_MILLISECOND);
      start = g_get_monotonic_time ();
      g_cancellable_cancel (cancellable);
      g_thread_join (thread);
      stop_s = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

      g_test_message ("%s stopped in %.1f ms", lab_fetch_mode_to_nick (mode), stop_s * 1e3);
      g_assert_false (run.completed);
      g_assert_null (run.requests[0].error);
      g_assert_cmpint (run.requests[0].bytes, ==, 10);
      g_assert_cmpstr (run.requests[1].error, ==, "stopped");
      for (guint i = 0; i < 4; i++)
        g_assert_true (run.requests[i].finished || !run.requests[i].started);

      lab_fetch_requests_free (run.requests, 4);
      lab_run_context_free (ctx);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io-fetch/contract", test_contract);
  g_test_add_func ("/io-fetch/intact", test_intact);
  g_test_add_func ("/io-fetch/default-pages", test_default_pages);
  g_test_add_func ("/io-fetch/overlap", test_overlap);
  g_test_add_func ("/io-fetch/pool-smaller-than-urls", test_pool_smaller_than_urls);
  g_test_add_func ("/io-fetch/failures", test_failures);
  g_test_add_func ("/io-fetch/bad-answers", test_bad_answers);
  g_test_add_func ("/io-fetch/printed-lines", test_printed_lines);
  g_test_add_func ("/io-fetch/no-urls", test_no_urls);
  g_test_add_func ("/io-fetch/no-leaks", test_no_leaks);
  g_test_add_func ("/io-fetch/stop", test_stop);
  g_test_add_func ("/io-fetch/stop-drivers", test_stop_drivers);

  return g_test_run ();
}
