/* lab-chrome-read-private.h — shared by the files of the Chrome trace
 * reader: lab-chrome-record.c turns records into per-lane spans and
 * points, lab-chrome-build.c replays those into a LabTrace, and
 * lab-chrome-read.c drives them over a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lab-chrome-trace.h"

G_BEGIN_DECLS

/* An arrow names its lanes in 16 bits. */
#define LAB_CHROME_MAX_LANES (G_MAXUINT16 + 1)

typedef struct
{
  gint64  start_ns;
  gint64  dur_ns;
  guint32 label;
  guint8  state;
  gint16  cpu;     /* where it began, -1 if not said */
  gint16  end_cpu; /* where it ended */
  gboolean open;   /* ours: still going when the run was exported */
  guint   seq;
} LabChromeSpan;

typedef struct
{
  LabEvent event;
  guint    seq;
  gint64   pid; /* pid, tid: a counter sample's thread, until it is put */
  gint64   tid; /* on a lane */
} LabChromePoint;

typedef struct
{
  gint64   pid;
  gint64   tid;
  char    *name;
  int      kind;       /* LabLaneKind, -1 = not said */
  gint64   os_tid;
  gint64   sort_index;
  gboolean has_sort;
  guint    first_seen;
  GArray  *spans;      /* LabChromeSpan */
  GArray  *points;     /* LabChromePoint */
  guint    n_sorted;   /* points sorted by time before the flows */
  GArray  *open;       /* LabChromeSpan: B without its E yet */
} LabChromeLane;

typedef struct
{
  gint64  ts_ns;
  guint   lane;
  char    ph;
  guint   seq;
} LabChromeFlowEnd;

typedef struct
{
  LabStringPool        *pool;
  LabChromeReadSummary *summary;
  GHashTable           *lanes;      /* gint64[2] { pid, tid } -> LabChromeLane */
  GPtrArray            *lane_list;  /* LabChromeLane, in first-seen order */
  GHashTable           *processes;  /* pid -> name */
  GHashTable           *flows;      /* "cat\nname\nid" -> GArray of LabChromeFlowEnd */
  GPtrArray            *flow_keys;  /* in first-seen order, for stable ids */
  GArray               *counters;   /* LabChromePoint, with .event.lane = a lane */
  guint                 seq;
  gint64                end_ns;
  guint64               dropped;    /* otherData.dropped_events */
  guint64               n_samples;  /* CPU samples, which many share a record */
  const LabChromeReadOptions *options; /* never NULL */
  const char           *name;       /* the file, as shown */
  gsize                 length;     /* of the data */
  guint64               max_events;
  GError               *error;      /* why reading stopped early */
} LabChromeReader;

/* lab-chrome-read.c: counts a record of kind @ph the lab does not draw. */
void           lab_chrome_reader_ignore    (LabChromeReader *r,
                                            const char      *ph);

/* lab-chrome-record.c: a record (an element of traceEvents) or otherData
 * taken in; a lane for each (pid, tid) as it is first seen. */
void           lab_chrome_reader_read_record     (LabChromeReader *r,
                                                  JsonNode        *node);
void           lab_chrome_reader_read_other_data (LabChromeReader *r,
                                                  JsonNode        *node);
LabChromeLane *lab_chrome_reader_lane_for  (LabChromeReader *r,
                                            gint64           pid,
                                            gint64           tid);
void           lab_chrome_reader_add_point (LabChromeReader *r,
                                            LabChromeLane   *lb,
                                            LabEventKind     kind,
                                            guint16          flags,
                                            const char      *label,
                                            gint64           value,
                                            gint64           ts_ns);

/* lab-chrome-build.c: flows s → t → f as arrows between marks, then the
 * lanes in order as a LabTrace. */
void           lab_chrome_reader_resolve_flows (LabChromeReader *r);
LabTrace      *lab_chrome_reader_build_trace   (LabChromeReader *r);

/* lab-chrome-scan.c: walks the object form ({"traceEvents": [...],
 * "otherData": {...}}) or the bare array, calling @on_record for each
 * record and @on_other_data for otherData, each parsed alone. */
typedef void (*LabChromeOtherFunc) (JsonNode *node,
                                    gpointer  data);
/* @offset is where the record ends in the data; FALSE stops the walk. */
typedef gboolean (*LabChromeRecordFunc) (JsonNode *node,
                                         gsize     offset,
                                         gpointer  data);

typedef enum
{
  LAB_CHROME_SCAN_OK,
  LAB_CHROME_SCAN_EMPTY,     /* nothing but white space */
  LAB_CHROME_SCAN_NO_EVENTS, /* JSON, but no traceEvents array */
  LAB_CHROME_SCAN_NOT_JSON,  /* @error says where */
  LAB_CHROME_SCAN_STOPPED,   /* @on_record said stop */
} LabChromeScanResult;

LabChromeScanResult lab_chrome_scan (const char           *data,
                                     gsize                 length,
                                     LabChromeRecordFunc   on_record,
                                     LabChromeOtherFunc    on_other_data,
                                     gpointer              user_data,
                                     GError              **error);

G_END_DECLS
