/* lab-chrome-read.c — Chrome trace-event JSON (ours, VizTracer's,
 * Chrome's) read back into a LabTrace.
 *
 * lab-chrome-scan.c hands over the records one at a time; here every
 * (pid, tid) becomes a lane, and a lane's records are gathered as spans
 * (X, and B/E paired in file order) and points (marks, printed lines,
 * counter samples, flow ends, and from our own files the silent CPU
 * samples and context switch counts). lab-chrome-build.c then replays
 * them in time order as the events a recorder would have produced. Kinds of
 * record it does not read are counted, not fatal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lab-chrome-read-private.h"

static void
lane_build_free (gpointer data)
{
  LabChromeLane *lb = data;

  g_free (lb->name);
  g_array_unref (lb->spans);
  g_array_unref (lb->points);
  g_array_unref (lb->open);
  g_free (lb);
}

void
lab_chrome_read_summary_free (LabChromeReadSummary *summary)
{
  if (summary == NULL)
    return;
  g_hash_table_unref (summary->ignored);
  g_free (summary->experiment);
  g_free (summary);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
lab_chrome_read_summary_describe (const LabChromeReadSummary *summary)
{
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (summary != NULL, NULL);

  if (summary->n_ignored == 0)
    return NULL;

  kinds = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, summary->ignored);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (kinds, key);
  g_ptr_array_sort (kinds, compare_strings);
  for (guint i = 0; i < kinds->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (kinds, i));
  /* Translators: %llu counts records of a trace file, %s lists their
   * kinds ("ph" letters of the trace format), e.g. "O, P" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%llu record of a kind the lab does not draw (%s) was skipped",
                                       "%llu records of kinds the lab does not draw (%s) were skipped",
                                       summary->n_ignored),
                          (unsigned long long) summary->n_ignored, list->str);
}

void
lab_chrome_reader_ignore (LabChromeReader *r,
                          const char      *ph)
{
  gpointer count = g_hash_table_lookup (r->summary->ignored, ph);

  g_hash_table_replace (r->summary->ignored, g_strdup (ph),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
  r->summary->n_ignored++;
}

/* pid and tid are numbers, sometimes strings of digits. */
static gint64
get_id (JsonObject *obj,
        const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_int (node);
}

static gboolean
get_number (JsonObject *obj,
            const char *member,
            double     *number)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *number = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *number = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*number);
}

static const char *
get_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *obj,
          const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
get_args (JsonObject *obj)
{
  JsonNode *node = json_object_get_member (obj, "args");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* args.cpu (or end_cpu), as our own files write it; -1 if the record
 * does not say. */
static gint16
get_cpu (LabChromeReader *r,
         JsonObject      *args,
         const char      *key)
{
  double cpu;

  if (!get_number (args, key, &cpu) || cpu < 0 || cpu > G_MAXINT16)
    return -1;
  r->summary->has_cpu = TRUE;
  return (gint16) cpu;
}

static gint64
us_to_ns (double us)
{
  return (gint64) llround (us * 1000.0);
}

LabChromeLane *
lab_chrome_reader_lane_for (LabChromeReader *r,
                            gint64           pid,
                            gint64           tid)
{
  gint64 key[2] = { pid, tid };
  LabChromeLane *lb = g_hash_table_lookup (r->lanes, key);

  if (lb != NULL)
    return lb;
  lb = g_new0 (LabChromeLane, 1);
  lb->pid = pid;
  lb->tid = tid;
  lb->kind = -1;
  lb->os_tid = tid;
  lb->first_seen = r->lane_list->len;
  lb->spans = g_array_new (FALSE, FALSE, sizeof (LabChromeSpan));
  lb->points = g_array_new (FALSE, FALSE, sizeof (LabChromePoint));
  lb->open = g_array_new (FALSE, FALSE, sizeof (LabChromeSpan));
  g_hash_table_insert (r->lanes, g_memdup2 (key, sizeof key), lb);
  g_ptr_array_add (r->lane_list, lb);
  return lb;
}

static guint8
state_from_nick (const char *nick)
{
  for (guint s = 0; nick != NULL && s < LAB_STATE_N; s++)
    if (g_strcmp0 (lab_state_to_nick (s), nick) == 0)
      return (guint8) s;
  return LAB_STATE_RUNNING;
}

static LabChromeSpan
make_span (LabChromeReader *r,
           JsonObject      *obj,
           gint64           ts_ns)
{
  JsonObject *args = get_args (obj);
  const char *nick = get_string (args, "state");
  LabChromeSpan span = { 0 };

  span.start_ns = ts_ns;
  span.state = state_from_nick (nick != NULL ? nick : get_string (obj, "cat"));
  /* Ours name a span without a label by its state: without a label again,
   * so the timeline shows the state in the reader's language. */
  if (nick == NULL || g_strcmp0 (get_string (obj, "name"), nick) != 0)
    span.label = lab_string_pool_intern (r->pool, get_string (obj, "name"));
  span.cpu = get_cpu (r, args, "cpu");
  span.end_cpu = get_cpu (r, args, "end_cpu");
  span.open = get_bool (args, "open");
  span.seq = r->seq++;
  return span;
}

void
lab_chrome_reader_add_point (LabChromeReader *r,
                             LabChromeLane   *lb,
                             LabEventKind     kind,
                             guint16          flags,
                             const char      *label,
                             gint64           value,
                             gint64           ts_ns)
{
  LabChromePoint p = { 0 };

  p.event.ts_ns = ts_ns;
  p.event.kind = kind;
  p.event.flags = flags;
  p.event.label = lab_string_pool_intern (r->pool, label);
  p.event.value = value;
  p.event.cpu = -1;
  p.seq = r->seq++;
  g_array_append_val (lb->points, p);
}

/* Our "lab_cpu_samples": args {"ts": [µs …], "cpu": [n …]}, one silent
 * CPU sample per pair. */
static void
read_cpu_samples (LabChromeReader *r,
                  JsonObject      *args,
                  LabChromeLane   *lb)
{
  JsonNode *ts_node = args != NULL ? json_object_get_member (args, "ts") : NULL;
  JsonNode *cpu_node = args != NULL ? json_object_get_member (args, "cpu") : NULL;
  JsonArray *ts, *cpus;

  if (ts_node == NULL || cpu_node == NULL || !JSON_NODE_HOLDS_ARRAY (ts_node) ||
      !JSON_NODE_HOLDS_ARRAY (cpu_node) ||
      json_array_get_length (ts = json_node_get_array (ts_node)) !=
      json_array_get_length (cpus = json_node_get_array (cpu_node)))
    {
      lab_chrome_reader_ignore (r, "M");
      return;
    }
  for (guint i = 0; i < json_array_get_length (ts); i++)
    {
      JsonNode *t = json_array_get_element (ts, i);
      JsonNode *c = json_array_get_element (cpus, i);
      LabChromePoint *p;
      double cpu;

      if (!JSON_NODE_HOLDS_VALUE (t) || !JSON_NODE_HOLDS_VALUE (c) ||
          json_node_get_value_type (t) == G_TYPE_STRING ||
          json_node_get_value_type (c) == G_TYPE_STRING)
        continue;
      lab_chrome_reader_add_point (r, lb, LAB_EVENT_CPU_SAMPLE, 0, NULL, 0,
                                   us_to_ns (json_node_get_double (t)));
      p = &g_array_index (lb->points, LabChromePoint, lb->points->len - 1);
      cpu = json_node_get_double (c);
      if (cpu >= 0 && cpu <= G_MAXINT16)
        {
          p->event.cpu = (gint16) cpu;
          r->summary->has_cpu = TRUE;
        }
      r->end_ns = MAX (r->end_ns, p->event.ts_ns);
      r->n_samples++;
    }
}

/* Our "lab_thread_stats": a thread's context switches so far, at "ts". */
static void
read_thread_stats (LabChromeReader *r,
                   JsonObject      *obj,
                   JsonObject      *args,
                   LabChromeLane   *lb)
{
  double ts, voluntary = 0, involuntary = 0, os_tid = 0;
  LabChromePoint *p;

  if (!get_number (obj, "ts", &ts))
    {
      lab_chrome_reader_ignore (r, "M");
      return;
    }
  get_number (args, "voluntary", &voluntary);
  get_number (args, "involuntary", &involuntary);
  get_number (args, "os_tid", &os_tid);
  lab_chrome_reader_add_point (r, lb, LAB_EVENT_THREAD_STATS, 0, NULL,
                               LAB_THREAD_STATS_PACK (CLAMP (voluntary, 0, G_MAXUINT32),
                                                      CLAMP (involuntary, 0, G_MAXUINT32)),
                               us_to_ns (ts));
  p = &g_array_index (lb->points, LabChromePoint, lb->points->len - 1);
  p->event.flow = (guint32) CLAMP (os_tid, 0, G_MAXUINT32);
  p->event.cpu = get_cpu (r, args, "cpu");
  r->end_ns = MAX (r->end_ns, p->event.ts_ns);
}

static void
read_metadata (LabChromeReader *r,
               JsonObject      *obj,
               gint64           pid,
               gint64           tid)
{
  const char *name = get_string (obj, "name");
  JsonObject *args = get_args (obj);
  double number;

  if (g_strcmp0 (name, "process_name") == 0 && get_string (args, "name") != NULL)
    g_hash_table_replace (r->processes, GINT_TO_POINTER ((gint) pid),
                          g_strdup (get_string (args, "name")));
  else if (g_strcmp0 (name, "thread_name") == 0 && get_string (args, "name") != NULL)
    {
      LabChromeLane *lb = lab_chrome_reader_lane_for (r, pid, tid);
      const char *kind = get_string (args, "kind");

      g_free (lb->name);
      lb->name = g_strdup (get_string (args, "name"));
      if (g_strcmp0 (kind, "main") == 0)
        lb->kind = LAB_LANE_MAIN;
      else if (g_strcmp0 (kind, "thread") == 0)
        lb->kind = LAB_LANE_THREAD;
      else if (g_strcmp0 (kind, "process") == 0)
        lb->kind = LAB_LANE_PROCESS;
      else if (g_strcmp0 (kind, "resource") == 0)
        lb->kind = LAB_LANE_RESOURCE;
      if (get_number (args, "os_tid", &number))
        lb->os_tid = (gint64) number;
    }
  else if (g_strcmp0 (name, "thread_sort_index") == 0 && get_number (args, "sort_index", &number))
    {
      LabChromeLane *lb = lab_chrome_reader_lane_for (r, pid, tid);

      lb->sort_index = (gint64) number;
      lb->has_sort = TRUE;
    }
  else if (g_strcmp0 (name, "lab_cpu_samples") == 0)
    read_cpu_samples (r, args, lab_chrome_reader_lane_for (r, pid, tid));
  else if (g_strcmp0 (name, "lab_thread_stats") == 0)
    read_thread_stats (r, obj, args, lab_chrome_reader_lane_for (r, pid, tid));
  else if (g_strcmp0 (name, "process_sort_index") != 0)
    lab_chrome_reader_ignore (r, "M");
}

static void
read_flow (LabChromeReader *r,
           JsonObject      *obj,
           LabChromeLane   *lb,
           char             ph,
           gint64           ts_ns)
{
  JsonNode *id = json_object_get_member (obj, "id");
  g_autofree char *id_text = NULL;
  g_autofree char *key = NULL;
  GArray *ends;
  LabChromeFlowEnd end = { ts_ns, lb->first_seen, ph, r->seq++ };

  if (id == NULL)
    id = json_object_get_member (obj, "bind_id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
    {
      lab_chrome_reader_ignore (r, (char[]) { ph, '\0' });
      return;
    }
  id_text = json_node_get_value_type (id) == G_TYPE_STRING ? g_strdup (json_node_get_string (id))
          : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  key = g_strdup_printf ("%s\n%s\n%s", get_string (obj, "cat") ?: "",
                         get_string (obj, "name") ?: "", id_text);
  ends = g_hash_table_lookup (r->flows, key);
  if (ends == NULL)
    {
      ends = g_array_new (FALSE, FALSE, sizeof (LabChromeFlowEnd));
      g_ptr_array_add (r->flow_keys, g_strdup (key));
      g_hash_table_insert (r->flows, g_steal_pointer (&key), ends);
    }
  g_array_append_val (ends, end);
}

static void
read_record (LabChromeReader *r,
             JsonNode        *node)
{
  JsonObject *obj;
  const char *ph;
  LabChromeLane *lb;
  gint64 pid, tid, ts_ns;
  double ts = 0, dur;

  r->summary->n_records++;
  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      (ph = get_string (obj = json_node_get_object (node), "ph")) == NULL)
    {
      lab_chrome_reader_ignore (r, "?");
      return;
    }
  pid = get_id (obj, "pid");
  tid = get_id (obj, "tid");
  if (strcmp (ph, "M") == 0)
    {
      read_metadata (r, obj, pid, tid);
      return;
    }
  if (strlen (ph) != 1 || strchr ("XBEiICstf", ph[0]) == NULL || !get_number (obj, "ts", &ts))
    {
      lab_chrome_reader_ignore (r, ph);
      return;
    }
  ts_ns = us_to_ns (ts);
  r->end_ns = MAX (r->end_ns, ts_ns);

  if (ph[0] == 'C')
    {
      JsonObject *args = get_args (obj);
      const char *name = get_string (obj, "name") ?: "";
      g_autoptr(GList) members = args != NULL ? json_object_get_members (args) : NULL;
      guint n_members = g_list_length (members);

      /* One counter per key, as the viewers draw them. */
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *label = n_members == 1 ? g_strdup (name)
                                 : g_strdup_printf ("%s %s", name, (const char *) l->data);
          LabChromePoint p = { 0 };
          double value;

          if (!get_number (args, l->data, &value))
            continue;
          p.event.ts_ns = ts_ns;
          p.event.kind = LAB_EVENT_COUNTER;
          p.event.label = lab_string_pool_intern (r->pool, label);
          p.event.value = (gint64) llround (value);
          p.event.cpu = get_cpu (r, obj, "cpu");
          p.pid = pid;
          p.tid = tid;
          p.seq = r->seq++;
          g_array_append_val (r->counters, p);
        }
      if (members == NULL)
        lab_chrome_reader_ignore (r, ph);
      return;
    }

  lb = lab_chrome_reader_lane_for (r, pid, tid);
  switch (ph[0])
    {
    case 'X':
      if (!get_number (obj, "dur", &dur) || dur < 0)
        lab_chrome_reader_ignore (r, ph);
      else
        {
          LabChromeSpan span = make_span (r, obj, ts_ns);

          span.dur_ns = us_to_ns (dur);
          r->end_ns = MAX (r->end_ns, ts_ns + span.dur_ns);
          g_array_append_val (lb->spans, span);
        }
      break;
    case 'B':
      {
        LabChromeSpan span = make_span (r, obj, ts_ns);

        g_array_append_val (lb->open, span);
      }
      break;
    case 'E':
      if (lb->open->len == 0)
        lab_chrome_reader_ignore (r, ph);
      else
        {
          LabChromeSpan span = g_array_index (lb->open, LabChromeSpan, lb->open->len - 1);

          span.dur_ns = MAX (ts_ns - span.start_ns, 0);
          g_array_append_val (lb->spans, span);
          g_array_set_size (lb->open, lb->open->len - 1);
        }
      break;
    case 'i':
    case 'I':
      {
        JsonObject *args = get_args (obj);
        const char *name = get_string (obj, "name") ?: "";
        const char *text = get_string (args, "text");
        double value = 0;
        guint16 flags = 0;

        /* A printed line is a mark whose label is the text. */
        if (text != NULL && (strcmp (name, "stdout") == 0 || strcmp (name, "stderr") == 0))
          flags = LAB_EVENT_FLAG_OUTPUT | (name[3] == 'e' ? LAB_EVENT_FLAG_STDERR : 0);
        else
          text = name;
        get_number (args, "value", &value);
        if (get_bool (args, "highlight"))
          flags |= LAB_EVENT_FLAG_HIGHLIGHT;
        if (get_bool (args, "error"))
          flags |= LAB_EVENT_FLAG_ERROR;
        lab_chrome_reader_add_point (r, lb, LAB_EVENT_MARK, flags, text, (gint64) llround (value),
                                     ts_ns);
        g_array_index (lb->points, LabChromePoint, lb->points->len - 1).event.cpu =
          get_cpu (r, args, "cpu");
      }
      break;
    default: /* s, t, f */
      read_flow (r, obj, lb, ph[0], ts_ns);
      break;
    }
}

static void
read_other_data (LabChromeReader *r,
                 JsonNode        *node)
{
  JsonObject *other;
  double dropped;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  other = json_node_get_object (node);
  if (get_string (other, "experiment") != NULL && *get_string (other, "experiment") != '\0')
    {
      g_free (r->summary->experiment);
      r->summary->experiment = g_strdup (get_string (other, "experiment"));
    }
  if (get_number (other, "dropped_events", &dropped) && dropped > 0)
    r->dropped = (guint64) dropped;
}

static gboolean
not_a_trace (GError    **error,
             const char *name,
             const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: %s is a file name, then why it is not a trace */
               _("“%s” is not a trace: %s"), name, why);
  return FALSE;
}

static gboolean
not_json (GError    **error,
          const char *name,
          GError     *parse_error)
{
  g_autofree char *why = g_strdup_printf (
    /* Translators: %s is the parser's own message, e.g. "unexpected end of data" */
    _("the file is not valid JSON, or is cut short (%s)"), parse_error->message);

  return not_a_trace (error, name, why);
}

static void
lane_key_free (gpointer key)
{
  g_free (key);
}

static guint
lane_key_hash (gconstpointer key)
{
  const gint64 *k = key;

  return g_int64_hash (&k[0]) * 31u + g_int64_hash (&k[1]);
}

static gboolean
lane_key_equal (gconstpointer a,
                gconstpointer b)
{
  return memcmp (a, b, 2 * sizeof (gint64)) == 0;
}

static void
reader_init (LabChromeReader *r)
{
  r->pool = lab_string_pool_new ();
  r->summary = g_new0 (LabChromeReadSummary, 1);
  r->summary->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->lanes = g_hash_table_new_full (lane_key_hash, lane_key_equal, lane_key_free, lane_build_free);
  r->lane_list = g_ptr_array_new ();
  r->processes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  r->flows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  r->flow_keys = g_ptr_array_new_with_free_func (g_free);
  r->counters = g_array_new (FALSE, FALSE, sizeof (LabChromePoint));
}

static void
reader_clear (LabChromeReader *r)
{
  g_array_unref (r->counters);
  g_ptr_array_unref (r->flow_keys);
  g_hash_table_unref (r->flows);
  g_hash_table_unref (r->processes);
  g_ptr_array_unref (r->lane_list);
  g_hash_table_unref (r->lanes);
  lab_string_pool_unref (r->pool);
  lab_chrome_read_summary_free (r->summary);
}

/* Progress: the UTF-8 check, the records, then building the lanes. */
#define PROGRESS_CHECKED 0.05
#define PROGRESS_READ    0.95
/* Records between two looks at the cancellable and the progress. */
#define CHECK_EVERY      4096

static void
report (LabChromeReader *r,
        double           fraction)
{
  if (r->options->progress != NULL)
    r->options->progress (CLAMP (fraction, 0.0, 1.0), r->options->progress_data);
}

static void
on_record_limit (LabChromeReader  *r,
                 GError          **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               /* Translators: a file name, then the largest number of records
                * (events) the lab reads, twice, e.g. 10,000,000 */
               _("“%s” has more than %'llu events: the lab opens traces of up to %'llu "
                 "events. Record a shorter run, or open it in Perfetto."),
               r->name, (unsigned long long) r->max_events,
               (unsigned long long) r->max_events);
}

/* A "lab_cpu_samples" record holds many events. */
static gboolean
too_many (LabChromeReader *r)
{
  return r->summary->n_records + r->n_samples > r->max_events;
}

static gboolean
on_record (JsonNode *record,
           gsize     offset,
           gpointer  data)
{
  LabChromeReader *r = data;

  read_record (r, record);
  if (r->summary->n_records % CHECK_EVERY != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (r->options->cancellable, &r->error))
    return FALSE;
  if (too_many (r))
    {
      on_record_limit (r, &r->error);
      return FALSE;
    }
  if (r->length > 0)
    report (r, PROGRESS_CHECKED + (PROGRESS_READ - PROGRESS_CHECKED) * offset / r->length);
  return TRUE;
}

static void
on_other_data (JsonNode *other,
               gpointer  data)
{
  read_other_data (data, other);
}

/* In slices, so that a big file can be cancelled while it is checked.
 * A slice may end inside a character: the next one starts there. */
static gboolean
check_utf8 (LabChromeReader *r,
            const char      *data,
            gsize            length,
            GError         **error)
{
  const gsize slice = 16 * 1024 * 1024;
  gsize done = 0;

  while (done < length)
    {
      gsize n = MIN (slice, length - done);
      const char *end;

      if (g_cancellable_set_error_if_cancelled (r->options->cancellable, error))
        return FALSE;
      if (!g_utf8_validate_len (data + done, n, &end) &&
          (done + n == length || (gsize) (end - (data + done)) + 4 <= n))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: a file name, then a byte offset in it */
                       _("“%s” is not a trace: it is not UTF-8 text (byte %'llu is not), "
                         "so it is not JSON either — perhaps a binary file, or text saved "
                         "in another encoding"),
                       r->name, (unsigned long long) (end - data));
          return FALSE;
        }
      done = (gsize) (end - data) > done ? (gsize) (end - data) : done + n;
      report (r, PROGRESS_CHECKED * done / length);
    }
  return TRUE;
}

LabTrace *
lab_chrome_trace_read_data_full (const char                 *data,
                                 gsize                       length,
                                 const char                 *name,
                                 const LabChromeReadOptions *options,
                                 LabChromeReadSummary      **summary,
                                 GError                    **error)
{
  static const LabChromeReadOptions defaults = { 0 };
  g_autoptr(GError) parse_error = NULL;
  LabChromeReader r = { 0 };
  LabTrace *trace;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    name = _("the data");
  reader_init (&r);
  r.options = options != NULL ? options : &defaults;
  r.name = name;
  r.length = length;
  r.max_events = r.options->max_events > 0 ? r.options->max_events : LAB_CHROME_TRACE_MAX_EVENTS;
  if (!check_utf8 (&r, data, length, error))
    {
      reader_clear (&r);
      return NULL;
    }
  switch (lab_chrome_scan (data, length, on_record, on_other_data, &r, &parse_error))
    {
    case LAB_CHROME_SCAN_OK:
      break;
    case LAB_CHROME_SCAN_STOPPED:
      g_propagate_error (error, g_steal_pointer (&r.error));
      reader_clear (&r);
      return NULL;
    case LAB_CHROME_SCAN_EMPTY:
      not_a_trace (error, name, _("the file is empty"));
      reader_clear (&r);
      return NULL;
    case LAB_CHROME_SCAN_NO_EVENTS:
      not_a_trace (error, name, _("the file has no traceEvents"));
      reader_clear (&r);
      return NULL;
    case LAB_CHROME_SCAN_NOT_JSON:
    default:
      not_json (error, name, parse_error);
      reader_clear (&r);
      return NULL;
    }
  /* The last records past the final check count too. */
  if (too_many (&r))
    {
      on_record_limit (&r, error);
      reader_clear (&r);
      return NULL;
    }
  report (&r, PROGRESS_READ);

  lab_chrome_reader_resolve_flows (&r);
  trace = lab_chrome_reader_build_trace (&r);
  if (r.dropped > 0)
    lab_trace_set_dropped (trace, r.dropped);
  if (summary != NULL)
    *summary = g_steal_pointer (&r.summary);
  reader_clear (&r);
  report (&r, 1.0);
  return trace;
}

LabTrace *
lab_chrome_trace_read_data (const char            *data,
                            gsize                  length,
                            const char            *name,
                            LabChromeReadSummary **summary,
                            GError               **error)
{
  return lab_chrome_trace_read_data_full (data, length, name, NULL, summary, error);
}

LabTrace *
lab_chrome_trace_read_file_full (const char                 *path,
                                 const LabChromeReadOptions *options,
                                 LabChromeReadSummary      **summary,
                                 GError                    **error)
{
  g_autofree char *shown = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  shown = g_filename_display_basename (path);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a file name, then the system's reason */
                   _("Could not open “%s”: %s"), shown, g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a trace file"), shown);
      return NULL;
    }
  /* Checked before anything is read, so a huge file is refused at once. */
  if (st.st_size > LAB_CHROME_TRACE_MAX_BYTES)
    {
      g_autofree char *size = g_format_size ((guint64) st.st_size);
      g_autofree char *limit = g_format_size (LAB_CHROME_TRACE_MAX_BYTES);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   /* Translators: a file name, its size, the largest size read */
                   _("“%s” is too big to read as a trace: %s, more than %s"), shown, size, limit);
      return NULL;
    }
  /* Mapped, not copied: the pages are read as the scan reaches them. */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not open “%s”: %s"), shown, local_error->message);
      return NULL;
    }
  return lab_chrome_trace_read_data_full (g_mapped_file_get_contents (mapped),
                                          g_mapped_file_get_length (mapped),
                                          shown, options, summary, error);
}

LabTrace *
lab_chrome_trace_read_file (const char            *path,
                            LabChromeReadSummary **summary,
                            GError               **error)
{
  return lab_chrome_trace_read_file_full (path, NULL, summary, error);
}
