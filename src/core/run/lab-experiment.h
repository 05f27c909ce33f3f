/* lab-experiment.h — the experiment contract: one descriptor per experiment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-chart.h"
#include "lab-moment.h"
#include "lab-params.h"
#include "lab-recorder.h"
#include "lab-time.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_TOPIC_THREADS = 0,
  LAB_TOPIC_SUBPROCESS,
  LAB_TOPIC_MULTIPROCESSING,
  LAB_TOPIC_N
} LabTopic;

typedef enum
{
  LAB_METRIC_COUNT = 0, /* whole number */
  LAB_METRIC_SECONDS,   /* double, seconds: shown as ms or s */
  LAB_METRIC_RATIO,     /* double, e.g. a speedup: "1.93×" */
  LAB_METRIC_TEXT,      /* string */
  LAB_METRIC_LIST,      /* array: shown joined, or hidden from the cards */
  LAB_METRIC_BOOL,
  LAB_METRIC_MILLISECONDS, /* double, milliseconds: shown as ms or s */
} LabMetricKind;

typedef enum
{
  LAB_METRIC_FLAG_NONE     = 0,
  LAB_METRIC_FLAG_NO_CARD  = 1 << 0, /* JSON only (long arrays ...) */
  LAB_METRIC_FLAG_BAD_IF_NONZERO = 1 << 1, /* the card turns red if > 0 */
} LabMetricFlags;

/* How one metric key of the returned a{sv} is shown on a card. */
typedef struct
{
  const char     *key;   /* stable, e.g. "lost_updates" */
  const char     *label; /* N_() */
  LabMetricKind   kind;
  LabMetricFlags  flags;
} LabMetricSpec;

/* A one-click set of parameter values ("feed 2 * 3 to bc"). */
typedef struct
{
  const char         *nick;        /* stable: --set=preset=NICK */
  const char         *label;       /* N_() */
  const char         *tooltip;     /* N_(), may be NULL */
  const char * const *assignments; /* "KEY=VALUE" strings, NULL-terminated */
} LabPreset;

/* The view a run adds below the standard ones (timeline, cards, chart). */
typedef enum
{
  LAB_PANEL_NONE = 0,      /* nothing more */
  LAB_PANEL_REQUEST_TABLE, /* one row per request, its timings and error */
  LAB_PANEL_PROCESS_BOXES, /* one card per process's own copy of a list */
} LabPanelKind;

/* Which panel an experiment wants and what feeds it; the window decides by
 * this alone, never by an experiment's id or the names of its metrics. */
typedef struct
{
  LabPanelKind          kind;
  /* The metric keys that feed the panel, NULL-terminated, in the order its
   * kind reads them; every one is among the experiment's metrics.
   *   REQUEST_TABLE: the requests (aa{sv}, see lab_fetch_request_to_variant()).
   *   PROCESS_BOXES: each child's list length (ax), the parent's (x), the
   *                  parent's list filled through a queue (x), the
   *                  children's pids (ax, may be missing from a run). */
  const char * const   *keys;
  /* Words for the values of the panel's text column (REQUEST_TABLE: each
   * request's "mode"), { NULL, NULL }-terminated; may be NULL. */
  const LabParamChoice *labels;
} LabPanel;

/* A link from a row or column of the summary page's tables to the
 * experiment that shows it. */
typedef struct
{
  const char *topic;      /* stable: the row or column, "thread", "subprocess.run" … */
  const char *name;       /* stable and unique over all experiments, for tests */
  const char *label;      /* N_() */
  const char *assignment; /* "KEY=VALUE" or "preset=NICK" applied on click; may be NULL */
} LabSummaryLink;

/* A variable assigned at the top of an experiment's listing and the
 * parameter whose value it shows: "USE_LOCK = False" follows "lock". */
typedef struct
{
  const char *name;  /* the Python name at the start of its line: "USE_LOCK" */
  const char *key;   /* the parameter: "lock" */
  double      scale; /* numbers: the value times this (0 means 1), e.g. 0.001 for ms → s */
} LabCodeBinding;

typedef struct _LabRunContext LabRunContext;

/* Runs on a worker thread (never touches GTK). Records events through the
 * context, honours cancellation within 200 ms (threads joined, children
 * reaped) and returns the metrics as an a{sv} GVariant, floating or a full
 * reference that the caller takes over, or NULL with @error set
 * (G_IO_ERROR_CANCELLED when stopped). */
typedef GVariant *(*LabExperimentRunFunc) (LabRunContext  *ctx,
                                           GError        **error);

/* Checks values that a parameter's range cannot express (the escapes of a
 * text, the quoting of a command) before anything runs: FALSE with @error
 * set to a message that names the parameter. */
typedef gboolean (*LabExperimentCheckFunc) (const LabParams  *params,
                                            GError          **error);

typedef struct
{
  const char           *id;          /* stable: "race-counter" */
  const char           *title;       /* N_() */
  LabTopic              topic;
  const char           *summary;     /* N_(), one line for the list */
  const char           *explanation; /* N_(), a few paragraphs (plain text) */
  const char           *code;        /* the Python the experiment models */
  const LabParamSpec   *params;
  guint                 n_params;
  const LabMetricSpec  *metrics;
  guint                 n_metrics;
  LabExperimentRunFunc  run;
  const LabPreset      *presets;     /* may be NULL */
  guint                 n_presets;
  /* The metric (seconds) a sweep divides for speed-up and efficiency;
   * NULL means "wall_s". */
  const char           *sweep_time_key;
  LabPanel              panel;       /* zero: LAB_PANEL_NONE */
  const LabSummaryLink *summary_links; /* may be NULL */
  guint                 n_summary_links;
  LabExperimentCheckFunc check;      /* may be NULL */
  const LabCodeBinding *code_bindings; /* the listing's parameter lines; may be NULL */
  guint                 n_code_bindings;
  /* A listing written for @params (caller frees) when values change more
   * than its top lines, e.g. which call a mode makes; then .code is NULL. */
  char               *(*dup_code) (const LabParams *params);
  /* The lines the listing prints that the CPython engine reads back as
   * metrics, NULL-terminated: "expected {expected}, got {final_count}"
   * (see lab_py_engine_parse_line()); may be NULL. */
  const char * const   *code_results;
  /* Where a finished run opens, and the button that goes back there;
   * zero: the whole run, no button. */
  LabMomentSpec         moment;
} LabExperiment;

const char *lab_topic_to_label (LabTopic topic);

/* The experiment's Python listing (translated) with the current values of
 * @params on its bound lines ("USE_LOCK = True  # ..."); @params NULL gives
 * the defaults. What the code tab shows and what the CPython engine runs.
 * Caller frees; "" when the experiment has no listing. */
char       *lab_experiment_dup_code (const LabExperiment *experiment,
                                     const LabParams     *params);
/* The experiment that runs in @ctx (the runner's descriptor). */
const LabExperiment *lab_run_context_get_experiment (LabRunContext *ctx);
void                 lab_run_context_set_experiment (LabRunContext       *ctx,
                                                     const LabExperiment *experiment);
/* @value as a Python literal: True, 42, 0.5, "text", ["a", "b"]. */
char       *lab_python_literal      (const LabParamSpec  *spec,
                                     const LabParams     *params,
                                     double               scale);

/* Key @index of the panel's keys (see LabPanel), NULL past the end. */
const char *lab_panel_get_key   (const LabPanel *panel,
                                 guint           index);
/* The words for @value in the panel's labels (translated), or @value. */
const char *lab_panel_get_label (const LabPanel *panel,
                                 const char     *value);

/* Sets every value of the preset named @nick; on an unknown name the error
 * lists the known ones. Values not in the preset keep their value. */
gboolean    lab_experiment_apply_preset (const LabExperiment  *experiment,
                                         LabParams            *params,
                                         const char           *nick,
                                         GError              **error);
/* "KEY=VALUE" as --set takes it, where KEY may also be "preset". */
gboolean    lab_experiment_parse_assignment (const LabExperiment  *experiment,
                                             LabParams            *params,
                                             const char           *assignment,
                                             GError              **error);

/* A metric value as a person reads it: "7", "1.02 s", "35 ms", "1.93×",
 * "yes". A list of numbers is one line, "[101 ms, 104 ms]" (items of a key
 * ending in "_s" are seconds); a list of strings or of dictionaries is one
 * line per item, a dictionary's fields by name ("1  url=…  status=200
 * bytes=25.0 kB"). Never GVariant syntax. Caller frees. (lab-metric-format.c) */
char       *lab_metric_format  (const LabMetricSpec *spec,
                                GVariant            *value);
/* The card metrics of @metrics (may be NULL) on one line, in the spec's
 * order, at most @max_items (0: all): "Lost updates 7 · Wall time 1.02 s",
 * each name and value joined by a no-break space, the items by @separator.
 * Caller frees; "" when none. (lab-metric-format.c) */
char       *lab_metrics_format_line (const LabExperiment *experiment,
                                     GVariant            *metrics,
                                     const char          *separator,
                                     guint                max_items);
/* Looks up a metric's value in an a{sv} (NULL if absent; caller unrefs). */
GVariant   *lab_metrics_lookup (GVariant   *metrics,
                                const char *key);

/* Metric values as runs build them: nanoseconds as seconds ("d"), and a
 * list of whole numbers ("ax"). Both floating. */
GVariant   *lab_metric_new_seconds (gint64        ns);
GVariant   *lab_metric_new_ints    (const gint64 *values,
                                    gsize         n);

/* ---- the context an experiment runs in ---- */

const LabParams *lab_run_context_get_params      (LabRunContext *ctx);
LabRecorder     *lab_run_context_get_recorder    (LabRunContext *ctx);
/* The lane of the thread that runs the experiment ("Main thread"); the
 * runner binds it to that thread before calling run(). */
LabLane         *lab_run_context_get_main_lane   (LabRunContext *ctx);
GCancellable    *lab_run_context_get_cancellable (LabRunContext *ctx);
gboolean         lab_run_context_is_cancelled    (LabRunContext *ctx);
/* Sleeps @ns nanoseconds, waking at once when cancelled.
 * Returns FALSE if the run was cancelled. */
gboolean         lab_run_context_sleep_ns        (LabRunContext *ctx,
                                                  gint64         ns);
/* Records a printed line (a mark flagged OUTPUT on @lane) — what the
 * output panel shows. Thread-safe as long as each lane has one writer. */
void             lab_run_context_print           (LabRunContext *ctx,
                                                  LabLane       *lane,
                                                  const char    *format,
                                                  ...) G_GNUC_PRINTF (3, 4);
/* Sets @error to "Stopped" (G_IO_ERROR_CANCELLED) and returns NULL. */
GVariant        *lab_run_context_return_cancelled (LabRunContext  *ctx,
                                                   GError        **error);
/* Hands on the error a run failed with (takes @local_error), a
 * cancellation as the "Stopped" above. Returns NULL. */
GVariant        *lab_run_context_return_error    (LabRunContext  *ctx,
                                                  GError         *local_error,
                                                  GError        **error);
/* Hands the chart the window shows beside the timeline (takes a reference;
 * call from the run's thread before returning). */
void             lab_run_context_set_chart       (LabRunContext *ctx,
                                                  LabChart      *chart);
LabChart        *lab_run_context_get_chart       (LabRunContext *ctx);
/* Reports how far the run is (0..1); the window shows it. Thread-safe. */
void             lab_run_context_set_progress    (LabRunContext *ctx,
                                                  double         fraction);

/* Marks the part of a run whose times are its result (the sums a speed-up
 * divides, a pool's start-up). While one runs the window leaves the cores
 * to the run: it neither drains the trace nor redraws the timeline, and
 * catches up when the section ends, so that the window measures what the
 * command line measures. Sections may nest; call both from the run's
 * thread, as many ends as begins. Thread-safe to read. */
void             lab_run_context_begin_timed     (LabRunContext *ctx);
void             lab_run_context_end_timed       (LabRunContext *ctx);
gboolean         lab_run_context_get_timed       (LabRunContext *ctx);

/* Used by LabRunner and tests. Creates the "Main thread" lane (lane 0 of a
 * fresh recorder); call lab_lane_bind_thread() on it from the thread that
 * will run the experiment, after lab_run_context_check_main_lane(). */
LabRunContext   *lab_run_context_new             (const LabParams *params,
                                                  LabRecorder     *recorder,
                                                  GCancellable    *cancellable);
void             lab_run_context_free            (LabRunContext *ctx);
/* FALSE with @error (G_IO_ERROR_NO_SPACE) when the recorder was already
 * full, so that the context has no main lane and nothing can run. */
gboolean         lab_run_context_check_main_lane (LabRunContext  *ctx,
                                                  GError        **error);
double           lab_run_context_get_progress    (LabRunContext *ctx);

/* The experiment's own check of @params (TRUE when it has none): the command
 * line calls it before running, so a mistake is bad usage (exit 2). */
gboolean lab_experiment_check_params (const LabExperiment  *experiment,
                                      const LabParams      *params,
                                      GError              **error);

G_END_DECLS
