/* exp-threads-io-fetch.c — IO-bound work: fetching pages one after another,
 * with a pool of threads, and with an event loop on one thread.
 *
 * Every run fetches the same URLs twice: first one after another on the
 * main thread (the baseline), then in the chosen mode, so both times and
 * their ratio come from one run. In mode "sequential" the second part is
 * skipped: the concurrent time is the sequential one and the speed-up 1.
 *
 * Without URLs the pages come from the loopback server of lab-http-server.c
 * (127.0.0.1, ephemeral port, started for the run and stopped after it),
 * which waits before each answer the way real sites do; a URL that starts
 * with "/" also goes to that server. The requests themselves are in
 * lab-fetch.c and lab-fetch-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-experiments.h"
#include "lab-fetch.h"
#include "lab-http-server.h"

/* Sizes of the built-in pages: from 10 000 to 60 000 bytes. */
#define LAB_IO_PAGE_SIZE_MIN  10000
#define LAB_IO_PAGE_SIZE_STEP 5000

/* The pages of the built-in server: with `spread`, page delays are spaced
 * evenly from half to one and a half times delay_ms (so they average
 * delay_ms: 300–900 ms for 600), in a fixed shuffled order, so that the
 * sequential run looks like real sites of different speeds. */
static GPtrArray *
builtin_page_paths (guint    n_pages,
                    gint64   delay_ms,
                    gboolean spread)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *order = g_new (guint, MAX (n_pages, 1));
  GRand *rng = g_rand_new_with_seed (n_pages);

  for (guint i = 0; i < n_pages; i++)
    order[i] = i;
  for (guint i = n_pages; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rng, 0, (gint32) i);
      guint swap = order[i - 1];

      order[i - 1] = order[j];
      order[j] = swap;
    }
  g_rand_free (rng);

  for (guint i = 0; i < n_pages; i++)
    {
      gint64 delay = delay_ms;
      gint64 size = LAB_IO_PAGE_SIZE_MIN + LAB_IO_PAGE_SIZE_STEP * ((i * 7 + 3) % 11);

      if (spread && n_pages > 1)
        delay = delay_ms / 2 + delay_ms * order[i] / (n_pages - 1);
      g_ptr_array_add (paths, g_strdup_printf ("/page/%u?delay=%" G_GINT64_FORMAT
                                               "&size=%" G_GINT64_FORMAT,
                                               i + 1, delay, size));
    }
  return paths;
}

static LabFetchMode
mode_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "sequential") == 0)
    return LAB_FETCH_SEQUENTIAL;
  if (g_strcmp0 (nick, "event-loop") == 0)
    return LAB_FETCH_EVENT_LOOP;
  return LAB_FETCH_THREADS;
}

/* The label of the part of the run on the main thread's lane: the Python
 * line that does the same. */
static char *
part_label (LabFetchMode mode,
            guint        concurrency)
{
  switch (mode)
    {
    case LAB_FETCH_SEQUENTIAL:
      return g_strdup ("for url in urls: fetch(url)");
    case LAB_FETCH_THREADS:
      return g_strdup_printf ("ThreadPoolExecutor(max_workers=%u).map(fetch, urls)", concurrency);
    case LAB_FETCH_EVENT_LOOP:
      return g_strdup ("asyncio.run(fetch_all(urls))");
    default:
      g_assert_not_reached ();
    }
}

/* Runs one part; returns its wall time in seconds. */
static double
run_part (LabFetchJob      *job,
          LabFetchRequest  *requests,
          guint             n_requests,
          LabLane          *main_lane,
          GError          **error)
{
  g_autofree char *label = part_label (job->mode, job->concurrency);
  gint64 t0, t1;

  lab_lane_begin (main_lane, LAB_STATE_RUNNING, lab_recorder_intern (job->recorder, label));
  t0 = lab_clock_now_ns ();
  lab_fetch_run (job, requests, n_requests, main_lane, error);
  t1 = lab_clock_now_ns ();
  lab_lane_end (main_lane);

  return (double) (t1 - t0) / LAB_NS_PER_S;
}

static guint
count_failed (const LabFetchRequest *requests,
              guint                  n_requests)
{
  guint n = 0;

  for (guint i = 0; i < n_requests; i++)
    n += requests[i].error != NULL;
  return n;
}

/* The bar chart beside the timeline: the two wall times, and the slowest
 * single request, which is about what the concurrent part can reach. */
static void
set_chart (LabRunContext         *ctx,
           LabFetchJob           *job,
           const LabFetchRequest *concurrent,
           guint                  n_requests,
           double                 sequential_s,
           double                 concurrent_s)
{
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_BARS,
                                             /* Translators: the title of a bar chart */
                                             _("Time to fetch every URL"),
                                             LAB_CHART_UNIT_SECONDS);
  g_autofree char *mode = NULL;
  double slowest = 0;

  /* Translators: the y axis of a bar chart */
  lab_chart_set_axis_labels (chart, NULL, _("Wall time"));
  /* Translators: a bar of the chart: every request one after another */
  lab_chart_add_bar (chart, _("One after another"), NULL, sequential_s, NAN, NAN);

  if (concurrent != NULL)
    {
      if (job->mode == LAB_FETCH_EVENT_LOOP)
        /* Translators: a bar of the chart: every request on one thread */
        mode = g_strdup (_("Event loop"));
      else
        /* Translators: a bar of the chart: a pool of this many threads */
        mode = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads",
                                             job->concurrency), job->concurrency);
      lab_chart_add_bar (chart, mode, NULL, concurrent_s, NAN, NAN);

      for (guint i = 0; i < n_requests; i++)
        if (concurrent[i].finished)
          slowest = MAX (slowest, (double) (concurrent[i].end_ns - concurrent[i].start_ns) / LAB_NS_PER_S);
      /* Translators: a reference line on the bar chart: the time of the
       * slowest single request, about the best that overlapping can do */
      lab_chart_add_reference (chart, _("Slowest request"), slowest);
    }

  lab_run_context_set_chart (ctx, chart);
}

static GVariant *
lab_io_run (LabRunContext  *ctx,
            GError        **error)
{
  const LabParams *params = lab_run_context_get_params (ctx);
  LabRecorder *recorder = lab_run_context_get_recorder (ctx);
  LabLane *main_lane = lab_run_context_get_main_lane (ctx);
  const char * const *given = lab_params_get_strv (params, "urls");
  LabFetchMode mode = mode_from_nick (lab_params_get_string (params, "mode"));
  guint threads = (guint) lab_params_get_int (params, "threads");
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LabHttpServer) server = NULL;
  LabFetchRequest *sequential = NULL, *concurrent = NULL;
  LabFetchJob sequential_job = { 0 }, concurrent_job = { 0 };
  GVariantBuilder metrics, list;
  double sequential_s, concurrent_s;
  gboolean needs_server = FALSE;
  guint n, failed;
  gint n_done = 0;
  g_autoptr(GError) local_error = NULL;

  if (given != NULL && given[0] != NULL)
    {
      for (guint i = 0; given[i] != NULL; i++)
        {
          g_ptr_array_add (urls, g_strdup (given[i]));
          needs_server |= given[i][0] == '/';
        }
    }
  else
    {
      g_ptr_array_unref (urls);
      urls = builtin_page_paths ((guint) lab_params_get_int (params, "pages"),
                                 lab_params_get_int (params, "delay_ms"),
                                 lab_params_get_bool (params, "spread"));
      needs_server = urls->len > 0;
    }

  n = urls->len;
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No URLs given: put some in the URL list, or fetch at least "
                             "one page from the built-in server"));
      return NULL;
    }

  /* Relative URLs go to the built-in server, started for this run. */
  if (needs_server)
    {
      GError *local_error = NULL;

      server = lab_http_server_new ();
      if (lab_http_server_start (server, &local_error) == 0)
        {
          g_propagate_prefixed_error (error, local_error,
                                      _("Could not start the built-in web server: "));
          return NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          char *url = g_ptr_array_index (urls, i);

          if (url[0] == '/')
            {
              g_ptr_array_index (urls, i) = g_strconcat (lab_http_server_get_base_url (server),
                                                         url, NULL);
              g_free (url);
            }
        }
    }

  /* Both parts count towards the progress. */
  sequential_job = (LabFetchJob) {
    .ctx = ctx,
    .recorder = recorder,
    .mode = LAB_FETCH_SEQUENTIAL,
    .timeout_ms = lab_params_get_int (params, "timeout_ms"),
    .concurrency = 1,
    .n_done = &n_done,
    .n_total = mode == LAB_FETCH_SEQUENTIAL ? n : 2 * n,
  };
  concurrent_job = sequential_job;
  concurrent_job.mode = mode;
  concurrent_job.concurrency = MIN (threads, n);

  sequential = lab_fetch_requests_new ((const char * const *) urls->pdata, n);
  sequential_s = run_part (&sequential_job, sequential, n, main_lane, &local_error);
  concurrent_s = sequential_s;

  if (mode != LAB_FETCH_SEQUENTIAL && !lab_run_context_is_cancelled (ctx))
    {
      concurrent = lab_fetch_requests_new ((const char * const *) urls->pdata, n);
      concurrent_s = run_part (&concurrent_job, concurrent, n, main_lane, &local_error);
    }

  if (server != NULL)
    lab_http_server_stop (server);

  if (local_error != NULL)
    {
      lab_fetch_requests_free (sequential, n);
      lab_fetch_requests_free (concurrent, n);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (lab_run_context_is_cancelled (ctx))
    {
      lab_fetch_requests_free (sequential, n);
      lab_fetch_requests_free (concurrent, n);
      return lab_run_context_return_cancelled (ctx, error);
    }

  failed = concurrent ? count_failed (concurrent, n) : count_failed (sequential, n);
  if (concurrent != NULL)
    /* Translators: the last printed line: the number of URLs, the time one
     * after another, the mode ("threads", "event-loop"), its time, and how
     * many times faster it was */
    lab_run_context_print (ctx, main_lane, _("%u URLs: one after another %.2f s, %s %.2f s (%.1f× faster)"),
                           n, sequential_s, lab_fetch_mode_to_nick (mode), concurrent_s,
                           sequential_s / MAX (concurrent_s, 1e-9));

  set_chart (ctx, &concurrent_job, concurrent, n, sequential_s, concurrent_s);

  g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add_value (&list, lab_fetch_request_to_variant (&sequential[i], &sequential_job));
  for (guint i = 0; concurrent != NULL && i < n; i++)
    g_variant_builder_add_value (&list, lab_fetch_request_to_variant (&concurrent[i], &concurrent_job));

  /* In the order of the metric specs, so the JSON output reads the same. */
  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&metrics, "{sv}", "sequential_s", g_variant_new_double (sequential_s));
  g_variant_builder_add (&metrics, "{sv}", "concurrent_s", g_variant_new_double (concurrent_s));
  g_variant_builder_add (&metrics, "{sv}", "speedup",
                         g_variant_new_double (sequential_s / MAX (concurrent_s, 1e-9)));
  g_variant_builder_add (&metrics, "{sv}", "failed", g_variant_new_int64 (failed));
  g_variant_builder_add (&metrics, "{sv}", "concurrency",
                         g_variant_new_int64 (concurrent ? concurrent_job.concurrency : 1));
  g_variant_builder_add (&metrics, "{sv}", "urls", g_variant_new_int64 (n));
  g_variant_builder_add (&metrics, "{sv}", "requests", g_variant_builder_end (&list));

  lab_fetch_requests_free (sequential, n);
  lab_fetch_requests_free (concurrent, n);

  return g_variant_builder_end (&metrics);
}

static const LabParamChoice lab_io_modes[] = {
  { "sequential", N_("One after another") },
  { "threads",    N_("Threads") },
  { "event-loop", N_("Event loop (one thread)") },
  { NULL, NULL },
};

static const LabParamSpec lab_io_params[] = {
  {
    .kind = LAB_PARAM_INT,
    .key = "threads",
    .label = N_("Threads"),
    .tooltip = N_("Threads in the pool, each fetching one URL at a time; in event-loop mode, how many requests are in flight at once"),
    .min = 1,
    .max = 64,
    .step = 1,
    .def_num = 6,
    .flags = LAB_PARAM_FLAG_SWEEPABLE,
  },
  {
    .kind = LAB_PARAM_ENUM,
    .key = "mode",
    .label = N_("Mode"),
    .tooltip = N_("How to fetch after the one-after-another baseline: with a pool of threads, or with an event loop on a single thread (like asyncio). “One after another” runs the baseline only"),
    .def_text = "threads",
    .choices = lab_io_modes,
  },
  {
    .kind = LAB_PARAM_TEXT_LIST,
    .key = "urls",
    .label = N_("URLs"),
    .tooltip = N_("http or https URLs, separated by commas. Empty: pages of the web server built into the app. A URL starting with / goes to that server too, e.g. /status/500, /delay/3000, /reset/40000 or /slow/20000?chunk=2000&interval=100"),
    .def_text = "",
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "delay_ms",
    .label = N_("Server delay"),
    .tooltip = N_("How long the built-in server waits before it answers a page. With “Vary the delay” on, each page waits between half and one and a half times this (300–900 ms for 600 ms)"),
    .min = 0,
    .max = 5000,
    .step = 10,
    .def_num = 600,
    .unit = N_("ms"),
  },
  {
    .kind = LAB_PARAM_BOOL,
    .key = "spread",
    .label = N_("Vary the delay like real sites"),
    .tooltip = N_("Give the built-in pages different delays around the server delay; off, every page waits exactly the server delay"),
    .def_bool = TRUE,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "pages",
    .label = N_("Built-in pages"),
    .tooltip = N_("How many pages to fetch from the built-in server when the URL list is empty"),
    .min = 0,
    .max = 64,
    .step = 1,
    .def_num = 6,
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
  {
    .kind = LAB_PARAM_INT,
    .key = "timeout_ms",
    .label = N_("Timeout"),
    .tooltip = N_("A request that takes longer than this is given up (requests.get(url, timeout=…))"),
    .min = 100,
    .max = 60000,
    .step = 100,
    .def_num = 10000,
    .unit = N_("ms"),
    .flags = LAB_PARAM_FLAG_ADVANCED,
  },
};

static const LabMetricSpec lab_io_metrics[] = {
  { "sequential_s", N_("One after another"),  LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  /* The time of the chosen mode (threads or the event loop). */
  { "concurrent_s", N_("Concurrently"),       LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE },
  { "speedup",      N_("Speed-up"),            LAB_METRIC_RATIO,   LAB_METRIC_FLAG_NONE },
  /* Requests of the chosen mode that ended with an error. */
  { "failed",       N_("Failed requests"),    LAB_METRIC_COUNT,   LAB_METRIC_FLAG_BAD_IF_NONZERO },
  /* Threads used, or requests in flight at once in the event loop. */
  { "concurrency",  N_("Requests at once"),   LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NONE },
  { "urls",         N_("URLs"),               LAB_METRIC_COUNT,   LAB_METRIC_FLAG_NO_CARD },
  /* Every request of both parts, in URL order, sequential ones first. */
  { "requests",     N_("Requests"),           LAB_METRIC_LIST,    LAB_METRIC_FLAG_NO_CARD },
};

static const char * const lab_io_preset_lecture[] = {
  "urls=", "pages=6", "threads=6", "mode=threads", "delay_ms=600", "spread=true", NULL
};
static const char * const lab_io_preset_event_loop[] = {
  "urls=", "pages=6", "threads=6", "mode=event-loop", "delay_ms=600", "spread=true", NULL
};
static const char * const lab_io_preset_two_threads[] = {
  "urls=", "pages=6", "threads=2", "mode=threads", "delay_ms=600", "spread=true", NULL
};
static const char * const lab_io_preset_failures[] = {
  "urls=/page/1?delay=300,/status/500,/reset/40000,/delay/5000,http://127.0.0.1:1/,"
  "http://no-such-host.invalid/,ftp://127.0.0.1/,file:///etc/hostname,not a url",
  "threads=9", "mode=threads", "timeout_ms=1000", NULL
};
static const char * const lab_io_preset_slow_bodies[] = {
  "urls=/slow/30000?chunk=3000&interval=100,/slow/20000?chunk=1000&interval=50,"
  "/slow/40000?chunk=8000&interval=200,/slow/10000?chunk=500&interval=40",
  "threads=4", "mode=threads", NULL
};

static const LabPreset lab_io_presets[] = {
  { "lecture", N_("Six sites, six threads"),
    N_("As in the lecture: six pages that take 0.3–0.9 s each, one after another and then with six threads"),
    lab_io_preset_lecture },
  { "event-loop", N_("Six sites, one event loop"),
    N_("The same six pages, all fetched by one thread that waits for every socket at once"),
    lab_io_preset_event_loop },
  { "two-threads", N_("Six sites, two threads"),
    N_("Each thread fetches three pages one after another: the waits overlap only two at a time"),
    lab_io_preset_two_threads },
  { "failures", N_("Things that go wrong"),
    N_("A server error, a cut-off body, a timeout, nothing listening, an unknown name, forbidden schemes and a malformed URL, next to one page that works"),
    lab_io_preset_failures },
  { "slow-bodies", N_("Slow bodies"),
    N_("Pages that arrive a little at a time: the transfer, not the wait, takes the time"),
    lab_io_preset_slow_bodies },
};

/* The table of requests, one row each. */
static const char * const lab_io_panel_keys[] = { "requests", NULL };

/* The "Part" column: which part of the run made a request (its "mode"). */
static const LabParamChoice lab_io_panel_labels[] = {
  /* Translators: the part of an IO run that fetched the URLs sequentially */
  { "sequential", N_("One after another") },
  /* Translators: the part of an IO run that used a pool of threads */
  { "threads",    N_("Threads") },
  /* Translators: the part of an IO run that used an event loop */
  { "event-loop", N_("Event loop") },
  { NULL, NULL },
};

/* The event loop is how the next lecture's coroutines run. */
static const LabSummaryLink lab_io_links[] = {
  { "coroutine", "event-loop", N_("An event loop fetching pages"), "mode=event-loop" },
};

/* The listing's top lines and the parameters they show. */
static const LabCodeBinding lab_io_code_bindings[] = {
  { "THREADS", "threads",    0 },
  { "MODE",    "mode",       0 },
  { "URLS",    "urls",       0 },
  { "DELAY",   "delay_ms",   0.001 },
  { "SPREAD",  "spread",     0 },
  { "PAGES",   "pages",      0 },
  { "TIMEOUT", "timeout_ms", 0.001 },
};

/* What the listing prints that the CPython engine reads back. */
static const char * const lab_io_code_results[] = {
  "{requests.mode}: {requests.status}, {requests.bytes} bytes in {requests.total_s} s from {requests.url}",
  "{requests.mode}: failed ({requests.error}) after {requests.total_s} s from {requests.url}",
  "one after another: {sequential_s} s",
  "{}: {concurrent_s} s, {speedup}x as fast",
  NULL
};

const LabExperiment lab_exp_threads_io_fetch = {
  .id = "threads-io-fetch",
  .title = N_("IO-bound threads: fetching pages"),
  .topic = LAB_TOPIC_THREADS,
  .summary = N_("Six pages fetched one after another, then with threads or an event loop: waiting overlaps"),
  .explanation = N_(
    "Fetching a web page is mostly waiting: for the name of the host to be looked "
    "up, for the connection, and above all for the server to prepare its answer. A "
    "thread that waits for the network needs no CPU, and Python lets go of the GIL "
    "while it waits, so other threads run meanwhile. That is why threads help with "
    "IO-bound work even though they do not help with computing, and why, unlike "
    "for computing, more threads than cores still help: a waiting thread does not "
    "occupy a core.\n"
    "\n"
    "Each run fetches the same pages twice. First one after another on the main "
    "thread, like a for loop over requests.get(): the waits add up. Then in the "
    "chosen mode. With threads, every thread of the pool takes the next URL, the "
    "waits overlap, and the whole takes about as long as the slowest page. The cards "
    "compare the two times. The lecture measured six real sites: 3.53 s in a loop, "
    "0.89 s with six threads.\n"
    "\n"
    "On the timeline each request is a bar on the lane of the thread that made it, "
    "split into its phases: looking up the name (DNS), connecting, waiting for the "
    "first byte (the server at work) and receiving the body. Watch the staggered "
    "bars on the main thread turn into overlapping bars on the thread lanes. A "
    "request that fails ends in a red bar and a highlighted mark with the reason, "
    "which the output panel and the results repeat.\n"
    "\n"
    "The event-loop mode gets the same overlap from a single thread: it starts every "
    "transfer, then waits in one poll() for whichever socket has news, the way "
    "asyncio runs coroutines (the last row of the lecture's table of processes, "
    "threads and coroutines). Each request has a lane of its own there, but all of "
    "them are written by the one thread whose lane shows it waiting in poll().\n"
    "\n"
    "Without URLs the pages come from a small web server built into the app, on "
    "127.0.0.1, so all of this works offline. It waits before each answer: with "
    "“Vary the delay” on, between half and one and a half times the server delay "
    "(300–900 ms for 600 ms), as real sites differ. Paste real URLs to fetch from the "
    "internet; a URL that starts with / asks the built-in server for something "
    "special, such as /status/500 or /reset/40000 (a body cut off half way).\n"
    "\n"
    "Try one thread: it is the loop again. Sweep the thread count past the number "
    "of cores: on a machine with two cores the six built-in pages took 3.61 s with "
    "one thread, 1.98 s with two and 0.90 s with five, the time of the slowest "
    "page. Try more threads than pages: no faster, as there is nothing left to "
    "overlap. And try the preset “Things that go wrong”: "
    "each failure gets its own words, and the other requests still complete."),
  .code = N_(
    "import asyncio\n"
    "import time\n"
    "import urllib.parse\n"
    "import urllib.request\n"
    "from concurrent.futures import ThreadPoolExecutor\n"
    "\n"
    "BASE = \"http://127.0.0.1:8000\"   # the web server built into the lab\n"
    "THREADS = 6            # threads in the pool; requests at once in the event loop\n"
    "MODE = \"threads\"       # \"sequential\", \"threads\" or \"event-loop\"\n"
    "URLS = []              # empty: the built-in server's pages\n"
    "DELAY = 0.6            # seconds the built-in server waits before a page\n"
    "SPREAD = True          # pages wait between half and 1.5 times DELAY\n"
    "PAGES = 6              # built-in pages fetched when URLS is empty\n"
    "TIMEOUT = 10.0         # seconds before a request is given up\n"
    "\n"
    "if not URLS:\n"
    "    for n in range(1, PAGES + 1):\n"
    "        wait = DELAY\n"
    "        if SPREAD and PAGES > 1:\n"
    "            wait = DELAY / 2 + DELAY * ((n * 5) % PAGES) / (PAGES - 1)\n"
    "        URLS.append(f\"/page/{n}?delay={round(wait * 1000)}&size={10000 + 5000 * ((n * 7 - 4) % 11)}\")\n"
    "urls = [BASE + url if url.startswith(\"/\") else url for url in URLS]\n"
    "\n"
    "\n"
    "def report(mode: str, url: str, start: float, status: int, size: int) -> None:\n"
    "    print(f\"{mode}: {status}, {size} bytes in {time.perf_counter() - start:.4g} s from {url}\")\n"
    "\n"
    "\n"
    "def fetch(url: str, mode: str = \"sequential\") -> None:\n"
    "    # Blocks this thread until the page has arrived. While it waits for\n"
    "    # the network, the GIL is free and other threads run.\n"
    "    start = time.perf_counter()\n"
    "    try:\n"
    "        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:\n"
    "            report(mode, url, start, response.status, len(response.read()))\n"
    "    except urllib.error.HTTPError as error:\n"
    "        report(mode, url, start, error.code, len(error.read()))\n"
    "    except (OSError, ValueError) as error:\n"
    "        print(f\"{mode}: failed ({error}) after {time.perf_counter() - start:.4g} s from {url}\")\n"
    "\n"
    "\n"
    "async def fetch_async(url: str, at_once: asyncio.Semaphore) -> None:\n"
    "    # The same request as raw HTTP/1.1 over a socket: while it waits,\n"
    "    # the event loop runs the other requests on this one thread.\n"
    "    start = time.perf_counter()\n"
    "    parts = urllib.parse.urlsplit(url)\n"
    "    try:\n"
    "        async with at_once:\n"
    "            https = parts.scheme == \"https\"\n"
    "            reader, writer = await asyncio.wait_for(asyncio.open_connection(\n"
    "                parts.hostname, parts.port or (443 if https else 80), ssl=https), TIMEOUT)\n"
    "            path = parts.path + (\"?\" + parts.query if parts.query else \"\")\n"
    "            writer.write(f\"GET {path or '/'} HTTP/1.1\\r\\nHost: {parts.netloc}\\r\\n\"\n"
    "                         \"Connection: close\\r\\n\\r\\n\".encode())\n"
    "            answer = await asyncio.wait_for(reader.read(), TIMEOUT)\n"
    "            writer.close()\n"
    "        head, _, body = answer.partition(b\"\\r\\n\\r\\n\")\n"
    "        report(\"event-loop\", url, start, int(head.split()[1]), len(body))\n"
    "    except (OSError, ValueError, IndexError, asyncio.TimeoutError) as error:\n"
    "        print(f\"event-loop: failed ({error!r}) after {time.perf_counter() - start:.4g} s from {url}\")\n"
    "\n"
    "\n"
    "async def fetch_all(urls: list[str]) -> None:\n"
    "    at_once = asyncio.Semaphore(THREADS)\n"
    "    await asyncio.gather(*(fetch_async(url, at_once) for url in urls))\n"
    "\n"
    "\n"
    "start = time.perf_counter()\n"
    "for url in urls:                                    # one after another\n"
    "    fetch(url)\n"
    "one_by_one = time.perf_counter() - start\n"
    "print(f\"one after another: {one_by_one:.4g} s\")\n"
    "\n"
    "if MODE != \"sequential\":\n"
    "    start = time.perf_counter()\n"
    "    if MODE == \"threads\":\n"
    "        with ThreadPoolExecutor(max_workers=THREADS) as pool:\n"
    "            list(pool.map(fetch, urls, [\"threads\"] * len(urls)))\n"
    "    else:\n"
    "        asyncio.run(fetch_all(urls))   # one thread, every request in flight\n"
    "    at_once = time.perf_counter() - start\n"
    "    print(f\"{MODE}: {at_once:.4g} s, {one_by_one / at_once:.2f}x as fast\")\n"),
  .params = lab_io_params,
  .n_params = G_N_ELEMENTS (lab_io_params),
  .metrics = lab_io_metrics,
  .n_metrics = G_N_ELEMENTS (lab_io_metrics),
  .run = lab_io_run,
  .sweep_time_key = "concurrent_s",
  .presets = lab_io_presets,
  .n_presets = G_N_ELEMENTS (lab_io_presets),
  .panel = { LAB_PANEL_REQUEST_TABLE, lab_io_panel_keys, lab_io_panel_labels },
  .summary_links = lab_io_links,
  .n_summary_links = G_N_ELEMENTS (lab_io_links),
  .code_bindings = lab_io_code_bindings,
  .n_code_bindings = G_N_ELEMENTS (lab_io_code_bindings),
  .code_results = lab_io_code_results,
  .moment = { LAB_MOMENT_MOST_OVERLAP, N_("Show the requests overlapping"),
              LAB_MOMENT_STATE (LAB_STATE_IO_DNS) | LAB_MOMENT_STATE (LAB_STATE_IO_CONNECT) |
              LAB_MOMENT_STATE (LAB_STATE_IO_WAIT) | LAB_MOMENT_STATE (LAB_STATE_IO_TRANSFER) },
};
