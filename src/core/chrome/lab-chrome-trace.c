/* lab-chrome-trace.c — writes a LabTrace as Chrome trace-event JSON.
 *
 * The text is built in a small buffer and flushed to the stream in chunks,
 * so a trace of ten million events never exists as one document in
 * memory. Strings are escaped here: json-glib's generator leaves 0x1F raw,
 * and a program's printed lines can contain any control character.
 *
 * Layout: lanes of the program are threads of pid 1; a lane that stands
 * for a child process gets a pid of its own, so the viewers draw it as a
 * process. pids and tids are small and sequential (Perfetto folds other
 * values to 0) and the real ids go to the args of the naming records.
 *
 * Nothing the lab recorded is left out, so that a file read back shows
 * what the run showed: every event keeps its CPU, and the events viewers
 * have no record for — silent CPU samples, a thread's context switches —
 * go in metadata records of our own ("lab_cpu_samples",
 * "lab_thread_stats"), which Perfetto and Chrome skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <string.h>

#include "lab-chrome-trace.h"

#define FLUSH_BYTES (64 * 1024)
#define MAIN_PID    1
/* CPU samples per "lab_cpu_samples" record: a long run's samples stay
 * many small records, not one huge one. */
#define SAMPLES_PER_RECORD 1024

typedef struct
{
  GString       *buf;
  GOutputStream *out;
  GCancellable  *cancellable;
  GError        *error;
  gint64         start_ns;
  gboolean       first;
  guint         *pids; /* per lane */
} Writer;

gboolean
lab_chrome_trace_is_path (const char *path)
{
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);

  len = strlen (path);
  return len >= 5 && g_ascii_strcasecmp (path + len - 5, ".json") == 0;
}

static void
flush (Writer *w)
{
  if (w->error == NULL && w->buf->len > 0)
    g_output_stream_write_all (w->out, w->buf->str, w->buf->len, NULL, w->cancellable,
                               &w->error);
  g_string_truncate (w->buf, 0);
}

static void
put_string (GString    *buf,
            const char *str)
{
  g_autofree char *valid = NULL;

  if (str == NULL)
    str = "";
  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  g_string_append_c (buf, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (buf, '\\');
          g_string_append_c (buf, (char) c);
        }
      else if (c == '\n')
        g_string_append (buf, "\\n");
      else if (c == '\t')
        g_string_append (buf, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (buf, "\\u%04x", (guint) c);
      else
        g_string_append_c (buf, (char) c);
    }
  g_string_append_c (buf, '"');
}

/* Nanoseconds as microseconds with three exact decimals: no rounding
 * through a double. */
static void
put_us (GString *buf,
        gint64   ns)
{
  guint64 abs_ns = ns < 0 ? (guint64) -ns : (guint64) ns;

  g_string_append_printf (buf, "%s%" G_GUINT64_FORMAT ".%03u", ns < 0 ? "-" : "",
                          abs_ns / 1000, (guint) (abs_ns % 1000));
}

/* Opens one event: {"ph":"X","name":...,"pid":..,"tid":..,"ts":..; the
 * caller adds the rest and the closing brace. */
static void
begin_event (Writer     *w,
             const char *ph,
             const char *name,
             guint       pid,
             guint       tid,
             gint64      ts_ns)
{
  if (w->buf->len >= FLUSH_BYTES)
    flush (w);
  g_string_append (w->buf, w->first ? "\n" : ",\n");
  w->first = FALSE;
  g_string_append_printf (w->buf, "{\"ph\":\"%s\",\"name\":", ph);
  put_string (w->buf, name);
  g_string_append_printf (w->buf, ",\"pid\":%u,\"tid\":%u,\"ts\":", pid, tid);
  put_us (w->buf, ts_ns - w->start_ns);
}

static const char *
lane_kind_nick (LabLaneKind kind)
{
  switch (kind)
    {
    case LAB_LANE_MAIN:     return "main";
    case LAB_LANE_THREAD:   return "thread";
    case LAB_LANE_PROCESS:  return "process";
    case LAB_LANE_RESOURCE: return "resource";
    default:                return "thread";
    }
}

static void
write_metadata (Writer     *w,
                LabTrace   *trace,
                const char *experiment)
{
  guint n_lanes = lab_trace_get_n_lanes (trace);
  guint next_pid = MAIN_PID + 1;

  begin_event (w, "M", "process_name", MAIN_PID, 0, w->start_ns);
  g_string_append (w->buf, ",\"args\":{\"name\":");
  put_string (w->buf, experiment != NULL ? experiment : "concurrency-lab");
  g_string_append (w->buf, "}}");

  for (guint i = 0; i < n_lanes; i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);
      guint tid = i + 1;

      w->pids[i] = lane->kind == LAB_LANE_PROCESS ? next_pid++ : MAIN_PID;
      if (w->pids[i] != MAIN_PID)
        {
          begin_event (w, "M", "process_name", w->pids[i], 0, w->start_ns);
          g_string_append (w->buf, ",\"args\":{\"name\":");
          put_string (w->buf, lane->name);
          g_string_append_printf (w->buf, ",\"os_pid\":%d}}", lane->tid);
          begin_event (w, "M", "process_sort_index", w->pids[i], 0, w->start_ns);
          g_string_append_printf (w->buf, ",\"args\":{\"sort_index\":%u}}", i);
        }
      begin_event (w, "M", "thread_name", w->pids[i], tid, w->start_ns);
      g_string_append (w->buf, ",\"args\":{\"name\":");
      put_string (w->buf, lane->name);
      g_string_append_printf (w->buf, ",\"kind\":\"%s\",\"os_tid\":%d}}",
                              lane_kind_nick (lane->kind), lane->tid);
      begin_event (w, "M", "thread_sort_index", w->pids[i], tid, w->start_ns);
      g_string_append_printf (w->buf, ",\"args\":{\"sort_index\":%u}}", i);
    }
}

/* The CPU an event was recorded on, so that a trace read back can show
 * where its threads ran (the Cores view). */
static void
put_cpu (GString    *buf,
         const char *key,
         gint        cpu)
{
  if (cpu >= 0)
    g_string_append_printf (buf, ",\"%s\":%d", key, cpu);
}

/* The CPU of the END that closes each BEGIN, by the BEGIN's index: spans
 * know where they began, not where they ended. */
static gint16 *
end_cpus (const LabTraceLane *lane)
{
  gint16 *cpus = g_new (gint16, MAX (lane->events->len, 1));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < lane->events->len; i++)
    {
      const LabEvent *e = &g_array_index (lane->events, LabEvent, i);

      cpus[i] = -1;
      if (e->kind == LAB_EVENT_BEGIN)
        g_array_append_val (open, i);
      else if (e->kind == LAB_EVENT_END && open->len > 0)
        {
          cpus[g_array_index (open, guint, open->len - 1)] = e->cpu;
          g_array_set_size (open, open->len - 1);
        }
    }
  return cpus;
}

static void
write_spans (Writer             *w,
             LabTrace           *trace,
             guint               index,
             const LabTraceLane *lane)
{
  gint64 trace_end = lab_trace_get_end_ns (trace);
  g_autofree gint16 *ends = end_cpus (lane);

  for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
    for (guint s = 0; s < lane->spans[d]->len; s++)
      {
        const LabSpan *span = &g_array_index (lane->spans[d], LabSpan, s);
        const char *nick = lab_state_to_nick (span->state);
        const char *label = span->label != 0 ? lab_trace_get_string (trace, span->label) : nick;
        gint64 end = span->open ? MAX (trace_end, span->start_ns) : span->end_ns;
        gint cpu = g_array_index (lane->events, LabEvent, span->begin_index).cpu;

        begin_event (w, "X", label, w->pids[index], index + 1, span->start_ns);
        g_string_append (w->buf, ",\"dur\":");
        put_us (w->buf, end - span->start_ns);
        g_string_append_printf (w->buf, ",\"cat\":\"%s\",\"args\":{\"state\":\"%s\"%s",
                                nick, nick, span->open ? ",\"open\":true" : "");
        put_cpu (w->buf, "cpu", cpu);
        put_cpu (w->buf, "end_cpu", ends[span->begin_index]);
        g_string_append (w->buf, "}}");
        if (w->error != NULL)
          return;
      }
}

static void
write_marks (Writer             *w,
             LabTrace           *trace,
             guint               index,
             const LabTraceLane *lane)
{
  for (guint m = 0; m < lane->marks->len; m++)
    {
      const LabEvent *e = &g_array_index (lane->events, LabEvent,
                                          g_array_index (lane->marks, guint32, m));
      const char *label = e->label != 0 ? lab_trace_get_string (trace, e->label) : "";

      if (e->flags & LAB_EVENT_FLAG_OUTPUT)
        {
          /* A printed line: the viewers show its args on click. */
          begin_event (w, "i", (e->flags & LAB_EVENT_FLAG_STDERR) ? "stderr" : "stdout",
                       w->pids[index], index + 1, e->ts_ns);
          g_string_append (w->buf, ",\"s\":\"t\",\"cat\":\"output\",\"args\":{\"text\":");
          put_string (w->buf, label);
          g_string_append_c (w->buf, ',');
        }
      else
        {
          begin_event (w, "i", label[0] != '\0' ? label : "mark", w->pids[index], index + 1,
                       e->ts_ns);
          g_string_append (w->buf, ",\"s\":\"t\",\"cat\":\"mark\",\"args\":{");
        }
      g_string_append_printf (w->buf, "\"value\":%" G_GINT64_FORMAT "%s%s", e->value,
                              (e->flags & LAB_EVENT_FLAG_HIGHLIGHT) ? ",\"highlight\":true" : "",
                              (e->flags & LAB_EVENT_FLAG_ERROR) ? ",\"error\":true" : "");
      put_cpu (w->buf, "cpu", e->cpu);
      g_string_append (w->buf, "}}");
      if (w->error != NULL)
        return;
    }
}

/* One "lab_cpu_samples" record, {"ts": [...], "cpu": [...]}, of the @n
 * CPU samples of @lane at the event indexes @samples. */
static void
write_cpu_samples (Writer             *w,
                   guint               index,
                   const LabTraceLane *lane,
                   const guint32      *samples,
                   guint               n)
{
  begin_event (w, "M", "lab_cpu_samples", w->pids[index], index + 1, w->start_ns);
  g_string_append (w->buf, ",\"args\":{\"ts\":[");
  for (guint k = 0; k < n; k++)
    {
      if (k > 0)
        g_string_append_c (w->buf, ',');
      put_us (w->buf, g_array_index (lane->events, LabEvent, samples[k]).ts_ns - w->start_ns);
    }
  g_string_append (w->buf, "],\"cpu\":[");
  for (guint k = 0; k < n; k++)
    g_string_append_printf (w->buf, "%s%d", k > 0 ? "," : "",
                            g_array_index (lane->events, LabEvent, samples[k]).cpu);
  g_string_append (w->buf, "]}}");
}

/* The events of a lane that no record of the viewers carries: silent CPU
 * samples (the Cores view's evidence of when a thread ran where) and
 * context switch counts (the timeline's tooltip). */
static void
write_silent (Writer             *w,
              guint               index,
              const LabTraceLane *lane)
{
  guint32 samples[SAMPLES_PER_RECORD];
  guint n = 0;

  for (guint i = 0; i < lane->events->len && w->error == NULL; i++)
    {
      const LabEvent *e = &g_array_index (lane->events, LabEvent, i);

      if (e->kind == LAB_EVENT_CPU_SAMPLE)
        {
          samples[n++] = i;
          if (n == SAMPLES_PER_RECORD)
            {
              write_cpu_samples (w, index, lane, samples, n);
              n = 0;
            }
        }
      else if (e->kind == LAB_EVENT_THREAD_STATS)
        {
          begin_event (w, "M", "lab_thread_stats", w->pids[index], index + 1, e->ts_ns);
          g_string_append_printf (w->buf, ",\"args\":{\"voluntary\":%u,\"involuntary\":%u,"
                                  "\"os_tid\":%u", LAB_THREAD_STATS_VOLUNTARY (e->value),
                                  LAB_THREAD_STATS_INVOLUNTARY (e->value), e->flow);
          put_cpu (w->buf, "cpu", e->cpu);
          g_string_append (w->buf, "}}");
        }
    }
  if (n > 0)
    write_cpu_samples (w, index, lane, samples, n);
}

/* An arrow is a flow "s" at its source mark and an "f" at its target; "bp":
 * "e" binds the "f" to the slice around it, not to the next one. */
static void
write_flows (Writer   *w,
             LabTrace *trace)
{
  guint n_flows = 0;
  const LabFlowArrow *flows = lab_trace_get_flows (trace, &n_flows);

  for (guint i = 0; i < n_flows && w->error == NULL; i++)
    {
      const LabFlowArrow *a = &flows[i];
      const LabTraceLane *from = lab_trace_get_lane (trace, a->from_lane);
      const LabTraceLane *to = lab_trace_get_lane (trace, a->to_lane);
      const LabEvent *src = &g_array_index (from->events, LabEvent, a->from_index);
      const LabEvent *dst = &g_array_index (to->events, LabEvent, a->to_index);

      begin_event (w, "s", "arrow", w->pids[a->from_lane], a->from_lane + 1u, src->ts_ns);
      g_string_append_printf (w->buf, ",\"cat\":\"flow\",\"id\":%u}", a->flow);
      begin_event (w, "f", "arrow", w->pids[a->to_lane], a->to_lane + 1u, dst->ts_ns);
      g_string_append_printf (w->buf, ",\"cat\":\"flow\",\"id\":%u,\"bp\":\"e\"}", a->flow);
    }
}

/* A counter sample is written on the lane that recorded it (the viewers
 * draw a counter per process, by name). Every key of a "C" record's args
 * is drawn as a series, so its CPU goes beside them. */
static void
write_counters (Writer             *w,
                LabTrace           *trace,
                guint               index,
                const LabTraceLane *lane)
{
  for (guint i = 0; i < lane->events->len && w->error == NULL; i++)
    {
      const LabEvent *e = &g_array_index (lane->events, LabEvent, i);
      const char *name;

      if (e->kind != LAB_EVENT_COUNTER)
        continue;
      name = lab_trace_get_string (trace, e->label);
      begin_event (w, "C", name, w->pids[index], index + 1, e->ts_ns);
      put_cpu (w->buf, "cpu", e->cpu);
      g_string_append (w->buf, ",\"args\":{");
      put_string (w->buf, name);
      g_string_append_printf (w->buf, ":%" G_GINT64_FORMAT "}}", e->value);
    }
}

/* Parameters are flat (numbers, booleans, text, text lists). */
static void
write_variant (GString  *buf,
               GVariant *v)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (v);

      write_variant (buf, inner);
    }
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (buf, g_variant_get_boolean (v) ? "true" : "false");
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    g_string_append_printf (buf, "%" G_GINT64_FORMAT, g_variant_get_int64 (v));
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    g_string_append_printf (buf, "%d", g_variant_get_int32 (v));
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    g_string_append_printf (buf, "%u", g_variant_get_uint32 (v));
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    {
      char num[G_ASCII_DTOSTR_BUF_SIZE];
      double d = g_variant_get_double (v);

      if (isfinite (d))
        g_string_append (buf, g_ascii_dtostr (num, sizeof num, d));
      else
        g_string_append (buf, "null");
    }
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    put_string (buf, g_variant_get_string (v, NULL));
  else if (g_variant_is_container (v))
    {
      gboolean dict = g_variant_is_of_type (v, G_VARIANT_TYPE ("a{s*}"));
      gsize n = g_variant_n_children (v);

      g_string_append_c (buf, dict ? '{' : '[');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (v, i);

          if (i > 0)
            g_string_append_c (buf, ',');
          if (dict)
            {
              g_autoptr(GVariant) key = g_variant_get_child_value (child, 0);
              g_autoptr(GVariant) value = g_variant_get_child_value (child, 1);

              put_string (buf, g_variant_get_string (key, NULL));
              g_string_append_c (buf, ':');
              write_variant (buf, value);
            }
          else
            write_variant (buf, child);
        }
      g_string_append_c (buf, dict ? '}' : ']');
    }
  else
    {
      g_autofree char *text = g_variant_print (v, FALSE);

      put_string (buf, text);
    }
}

gboolean
lab_chrome_trace_write (LabTrace       *trace,
                        const char     *experiment,
                        GVariant       *params,
                        GOutputStream  *out,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GVariant) sunk = params != NULL ? g_variant_ref_sink (params) : NULL;
  guint n_lanes;
  Writer w = { 0 };

  g_return_val_if_fail (trace != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_lanes = lab_trace_get_n_lanes (trace);
  w.buf = g_string_sized_new (FLUSH_BYTES + 4096);
  w.out = out;
  w.cancellable = cancellable;
  w.start_ns = lab_trace_get_start_ns (trace);
  w.first = TRUE;
  w.pids = g_new0 (guint, MAX (n_lanes, 1));

  g_string_append (w.buf, "{\"traceEvents\":[");
  write_metadata (&w, trace, experiment);
  for (guint i = 0; i < n_lanes && w.error == NULL; i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (trace, i);

      write_spans (&w, trace, i, lane);
      write_marks (&w, trace, i, lane);
      write_counters (&w, trace, i, lane);
      write_silent (&w, i, lane);
    }
  write_flows (&w, trace);

  g_string_append (w.buf, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"experiment\":");
  put_string (w.buf, experiment != NULL ? experiment : "");
  g_string_append_printf (w.buf, ",\"start_ns\":%" G_GINT64_FORMAT
                          ",\"dropped_events\":%" G_GUINT64_FORMAT ",\"params\":",
                          w.start_ns, lab_trace_get_dropped (trace));
  if (sunk != NULL)
    write_variant (w.buf, sunk);
  else
    g_string_append (w.buf, "{}");
  g_string_append (w.buf, "}}\n");
  flush (&w);

  g_string_free (w.buf, TRUE);
  g_free (w.pids);
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_chrome_trace_write_file (LabTrace    *trace,
                             const char  *experiment,
                             GVariant    *params,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = g_filename_display_name (path);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                           &local_error);
  if (stream != NULL &&
      lab_chrome_trace_write (trace, experiment, params, G_OUTPUT_STREAM (stream), NULL,
                              &local_error) &&
      g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    return TRUE;

  if (stream != NULL)
    {
      /* Cancelling the close drops the temporary file; the old one stays. */
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancel, NULL);
    }
  else if (params != NULL)
    g_variant_unref (g_variant_ref_sink (params));
  g_set_error (error, local_error->domain, local_error->code,
               /* Translators: %s is a file name, then the reason */
               _("Could not write “%s”: %s"), shown, local_error->message);
  return FALSE;
}
