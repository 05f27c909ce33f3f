/* lab-chrome-scan.c — the top level of a Chrome trace file, walked
 * without building it.
 *
 * json-glib would hold the whole document as nodes, about twenty times
 * the file's size (5 GB for a 213 MB trace). Instead the top level is
 * scanned here (strings, brackets, commas) and each record of traceEvents
 * is parsed alone, so memory follows the trace, not the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-chrome-read-private.h"

typedef struct
{
  const char *p;
  const char *end;
} Scan;

typedef struct
{
  JsonParser          *parser;
  LabChromeRecordFunc  on_record;
  LabChromeOtherFunc   on_other_data;
  gpointer             data;
  const char          *start;
  gboolean             stopped;
} Walk;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && g_ascii_isspace (*s->p))
    s->p++;
}

static gboolean
skip_string (Scan *s)
{
  for (s->p++; s->p < s->end; s->p++)
    {
      if (*s->p == '\\')
        s->p++;
      else if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
    }
  return FALSE;
}

/* Moves past one value without building it; FALSE if the data ends
 * inside it. What is inside is checked when it is parsed. */
static gboolean
skip_value (Scan *s)
{
  const char *start;
  guint depth = 0;

  skip_space (s);
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '"')
    return skip_string (s);
  if (*s->p != '{' && *s->p != '[')
    {
      for (start = s->p; s->p < s->end && strchr (",]}", *s->p) == NULL &&
           !g_ascii_isspace (*s->p); s->p++)
        ;
      return s->p > start;
    }
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '"')
        {
          if (!skip_string (s))
            return FALSE;
          continue;
        }
      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        {
          s->p++;
          return TRUE;
        }
      s->p++;
    }
  return FALSE;
}

/* Parses the value at s->p alone; NULL (and @error) if it is not JSON. */
static JsonNode *
parse_value (JsonParser  *parser,
             Scan        *s,
             GError     **error)
{
  const char *start;

  skip_space (s);
  start = s->p;
  if (!skip_value (s))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("unexpected end of data"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, start, s->p - start, error))
    return NULL;
  return json_parser_get_root (parser);
}

/* After a value in an array or object: TRUE with *closed set when a ","
 * (more to come) or @close follows, FALSE when something else does. */
static gboolean
after_value (Scan     *s,
             char      close,
             gboolean *closed)
{
  skip_space (s);
  if (s->p >= s->end || (*s->p != ',' && *s->p != close))
    return FALSE;
  *closed = *s->p == close;
  s->p++;
  return TRUE;
}

/* Reads the records of the array at s->p. */
static gboolean
read_events (Walk    *w,
             Scan    *s,
             GError **error)
{
  gboolean closed;

  s->p++; /* [ */
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      JsonNode *node = parse_value (w->parser, s, error);

      if (node == NULL)
        return FALSE;
      if (!w->on_record (node, (gsize) (s->p - w->start), w->data))
        {
          w->stopped = TRUE;
          return FALSE;
        }
      if (!after_value (s, ']', &closed))
        break;
      if (closed)
        return TRUE;
    }
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                       s->p < s->end ? _("a “,” or “]” was expected between records")
                                     : _("unexpected end of data"));
  return FALSE;
}

/* {"traceEvents": [...], "otherData": {...}, ...}: the members one by
 * one; *found tells whether traceEvents was there. */
static gboolean
read_object (Walk     *w,
             Scan     *s,
             gboolean *found,
             GError  **error)
{
  gboolean closed;

  s->p++; /* { */
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      const char *key;
      gsize key_len;

      skip_space (s);
      key = s->p;
      if (s->p >= s->end || *s->p != '"' || !skip_string (s))
        break;
      key_len = (gsize) (s->p - key);
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        break;
      s->p++;
      skip_space (s);
      if (key_len == 13 && memcmp (key, "\"traceEvents\"", 13) == 0 &&
          s->p < s->end && *s->p == '[')
        {
          if (!read_events (w, s, error))
            return FALSE;
          *found = TRUE;
        }
      else if (key_len == 11 && memcmp (key, "\"otherData\"", 11) == 0)
        {
          JsonNode *node = parse_value (w->parser, s, error);

          if (node == NULL)
            return FALSE;
          w->on_other_data (node, w->data);
        }
      else if (!skip_value (s))
        break;
      if (!after_value (s, '}', &closed))
        break;
      if (closed)
        return TRUE;
    }
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                       s->p < s->end ? _("the top-level object is not well formed")
                                     : _("unexpected end of data"));
  return FALSE;
}

LabChromeScanResult
lab_chrome_scan (const char           *data,
                 gsize                 length,
                 LabChromeRecordFunc   on_record,
                 LabChromeOtherFunc    on_other_data,
                 gpointer              user_data,
                 GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Walk w = { parser, on_record, on_other_data, user_data, data, FALSE };
  Scan s = { data, data + length };
  gboolean found = FALSE, ok;

  skip_space (&s);
  if (s.p >= s.end)
    return LAB_CHROME_SCAN_EMPTY;
  if (*s.p != '[' && *s.p != '{')
    {
      /* A number, a string ... or not JSON at all: the parser says which. */
      if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) length, error))
        return LAB_CHROME_SCAN_NOT_JSON;
      return LAB_CHROME_SCAN_NO_EVENTS;
    }

  if (*s.p == '[')
    ok = found = read_events (&w, &s, error);
  else
    ok = read_object (&w, &s, &found, error);
  skip_space (&s);
  if (ok && s.p < s.end)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("more data after the end"));
      ok = FALSE;
    }
  if (w.stopped)
    return LAB_CHROME_SCAN_STOPPED;
  if (!ok)
    return LAB_CHROME_SCAN_NOT_JSON;
  return found ? LAB_CHROME_SCAN_OK : LAB_CHROME_SCAN_NO_EVENTS;
}
