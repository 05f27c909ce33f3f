/* lab-chrome-record.c — one record of a Chrome trace file (and its
 * otherData) taken into the reader: every (pid, tid) becomes a lane, and
 * a lane's records are gathered as spans (X, and B/E paired in file
 * order) and points (marks, printed lines, counter samples, flow ends,
 * and from our own files the silent CPU samples and context switch
 * counts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "lab-chrome-read-private.h"

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

void
lab_chrome_reader_read_record (LabChromeReader *r,
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

void
lab_chrome_reader_read_other_data (LabChromeReader *r,
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
