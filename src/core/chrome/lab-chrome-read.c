/* lab-chrome-read.c — Chrome trace-event JSON (ours, VizTracer's,
 * Chrome's) read back into a LabTrace.
 *
 * lab-chrome-scan.c hands over the records one at a time,
 * lab-chrome-record.c gathers each into per-lane spans and points, and
 * lab-chrome-build.c then replays them in time order as the events a
 * recorder would have produced. Here: the reader's state, its limits,
 * progress and cancelling, and the file. Kinds of record it does not read
 * are counted, not fatal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
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

  lab_chrome_reader_read_record (r, record);
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
  lab_chrome_reader_read_other_data (data, other);
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
