/* lab-py-engine-results.c — what a listing printed, read back as the
 * experiment's metrics.
 *
 * A listing prints sentences a student reads ("expected 4000, got 3127
 * (lost updates: 873)"); the experiment's code_results patterns say where
 * in those sentences a metric stands, so no line is printed in a format
 * made for the lab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lab-py-engine.h"

typedef struct
{
  const char *name;     /* into the pattern; not terminated */
  gsize       name_len;
  const char *literal;  /* the text after the placeholder, up to the next */
  gsize       literal_len;
} Piece;

typedef struct
{
  const LabExperiment *experiment;
  const char          *head;     /* the literal before the first placeholder */
  gsize                head_len;
  Piece                pieces[16];
  guint                n_pieces;
  /* What the last match read: where each placeholder's text starts, ends. */
  const char          *start[16];
  const char          *end[16];
} Pattern;

static const LabMetricSpec *
find_metric (const LabExperiment *experiment,
             const char          *name,
             gsize                len)
{
  for (guint i = 0; i < experiment->n_metrics; i++)
    if (strlen (experiment->metrics[i].key) == len &&
        strncmp (experiment->metrics[i].key, name, len) == 0)
      return &experiment->metrics[i];
  return NULL;
}

static gboolean
pattern_init (Pattern             *pattern,
              const LabExperiment *experiment,
              const char          *text)
{
  const char *p = strchr (text, '{');

  memset (pattern, 0, sizeof *pattern);
  pattern->experiment = experiment;
  pattern->head = text;
  pattern->head_len = p != NULL ? (gsize) (p - text) : strlen (text);
  while (p != NULL)
    {
      const char *close = strchr (p, '}');
      Piece *piece;

      if (close == NULL || pattern->n_pieces == G_N_ELEMENTS (pattern->pieces))
        return FALSE;
      piece = &pattern->pieces[pattern->n_pieces++];
      piece->name = p + 1;
      piece->name_len = close - p - 1;
      piece->literal = close + 1;
      p = strchr (close + 1, '{');
      piece->literal_len = p != NULL ? (gsize) (p - piece->literal) : strlen (piece->literal);
    }
  return TRUE;
}

/* Whether a placeholder reads a number (its metric is one), else text. */
static gboolean
piece_is_number (const Pattern *pattern,
                 const Piece   *piece)
{
  const LabMetricSpec *spec = find_metric (pattern->experiment, piece->name, piece->name_len);

  return spec != NULL && (spec->kind == LAB_METRIC_COUNT || spec->kind == LAB_METRIC_SECONDS ||
                          spec->kind == LAB_METRIC_RATIO);
}

/* The end of a number at @p (-12, 3.5, 1e-3), or NULL. */
static const char *
number_end (const char *p)
{
  const char *q = p;
  gboolean digits = FALSE;

  if (*q == '-' || *q == '+')
    q++;
  /* A point only before a digit: "status 1." ends a sentence. */
  while (g_ascii_isdigit (*q) || (*q == '.' && g_ascii_isdigit (q[1])))
    digits |= g_ascii_isdigit (*q++);
  if (digits && (*q == 'e' || *q == 'E') &&
      (g_ascii_isdigit (q[1]) || ((q[1] == '-' || q[1] == '+') && g_ascii_isdigit (q[2]))))
    {
      q += 2;
      while (g_ascii_isdigit (*q))
        q++;
    }
  return digits ? q : NULL;
}

/* Where a Python repr at @p ('…', "…", b'…') ends, escapes skipped, so
 * that the text it holds (", stderr=") is never taken for the pattern's;
 * @p itself when none starts there. */
static const char *
repr_end (const char *p)
{
  const char *q = *p == 'b' ? p + 1 : p;
  char quote = *q;

  if (quote != '\'' && quote != '"')
    return p;
  for (q++; *q != '\0'; q++)
    {
      if (*q == '\\' && q[1] != '\0')
        q++;
      else if (*q == quote)
        return q + 1;
    }
  return p;
}

/* Matches the pieces from @index on against @p; a text placeholder takes
 * the shortest text after which the rest still matches. */
static gboolean
match_from (Pattern    *pattern,
            guint       index,
            const char *p)
{
  const Piece *piece;

  if (index == pattern->n_pieces)
    return *p == '\0';
  piece = &pattern->pieces[index];
  pattern->start[index] = p;
  if (piece_is_number (pattern, piece))
    {
      const char *end = number_end (p);

      pattern->end[index] = end;
      return end != NULL && strncmp (end, piece->literal, piece->literal_len) == 0 &&
             match_from (pattern, index + 1, end + piece->literal_len);
    }
  for (const char *end = repr_end (p); ; end++)
    {
      if (strncmp (end, piece->literal, piece->literal_len) == 0 &&
          (index + 1 < pattern->n_pieces || piece->literal_len > 0 || *end == '\0') &&
          match_from (pattern, index + 1, end + piece->literal_len))
        {
          pattern->end[index] = end;
          return TRUE;
        }
      if (*end == '\0')
        return FALSE;
    }
}

static gboolean
pattern_match (Pattern    *pattern,
               const char *line)
{
  return strncmp (line, pattern->head, pattern->head_len) == 0 &&
         match_from (pattern, 0, line + pattern->head_len);
}

/* A Python repr ('a\nb', "it's", b'…') as the text it stands for; other
 * text as it is. */
static char *
unquote (const char *text,
         gsize       len)
{
  g_autofree char *inner = NULL;

  if (len >= 3 && text[0] == 'b' && (text[1] == '\'' || text[1] == '"'))
    {
      text++;
      len--;
    }
  if (len < 2 || (text[0] != '\'' && text[0] != '"') || text[len - 1] != text[0])
    return g_strndup (text, len);
  inner = g_strndup (text + 1, len - 2);
  return g_strcompress (inner);
}

/* A value read without a metric spec: a whole number, a number or text. */
static GVariant *
infer_value (const char *text,
             gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  const char *end = number_end (copy);

  if (end != NULL && *end == '\0')
    {
      if (strpbrk (copy, ".eE") == NULL)
        return g_variant_new_int64 (g_ascii_strtoll (copy, NULL, 10));
      return g_variant_new_double (g_ascii_strtod (copy, NULL));
    }
  return g_variant_new_take_string (unquote (text, len));
}

static GVariant *
typed_value (const LabMetricSpec *spec,
             const char          *text,
             gsize                len)
{
  g_autofree char *copy = g_strndup (text, len);

  switch (spec != NULL ? spec->kind : LAB_METRIC_LIST)
    {
    case LAB_METRIC_COUNT:
      return g_variant_new_int64 (g_ascii_strtoll (copy, NULL, 10));
    case LAB_METRIC_SECONDS:
    case LAB_METRIC_RATIO:
      return g_variant_new_double (g_ascii_strtod (copy, NULL));
    case LAB_METRIC_BOOL:
      return g_variant_new_boolean (g_ascii_strcasecmp (copy, "true") == 0);
    case LAB_METRIC_TEXT:
      return g_variant_new_take_string (unquote (text, len));
    case LAB_METRIC_LIST:
    default:
      return infer_value (text, len);
    }
}

/* Values of one kind as "ax", "ad" or "as" (whole numbers in a list with
 * fractions become numbers; anything with text becomes text). */
static GVariant *
list_value (GPtrArray *items)
{
  gboolean all_ints = TRUE, all_numbers = TRUE;
  GVariantBuilder builder;

  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);

      all_ints &= g_variant_is_of_type (item, G_VARIANT_TYPE_INT64);
      all_numbers &= all_ints || g_variant_is_of_type (item, G_VARIANT_TYPE_DOUBLE);
    }
  g_variant_builder_init (&builder, all_ints ? G_VARIANT_TYPE ("ax")
                                    : all_numbers ? G_VARIANT_TYPE ("ad") : G_VARIANT_TYPE ("as"));
  for (guint i = 0; i < items->len; i++)
    {
      GVariant *item = g_ptr_array_index (items, i);

      /* The items are not floating: the builder takes a reference of its own. */
      if (all_ints || !all_numbers)
        g_variant_builder_add_value (&builder, all_ints || g_variant_is_of_type (item, G_VARIANT_TYPE_STRING)
                                               ? item
                                               : g_variant_new_take_string (g_variant_print (item, FALSE)));
      else
        g_variant_builder_add (&builder, "d", g_variant_is_of_type (item, G_VARIANT_TYPE_INT64)
                                              ? (double) g_variant_get_int64 (item)
                                              : g_variant_get_double (item));
    }
  return g_variant_builder_end (&builder);
}

/* "[0, 2, 4]" as its items; FALSE when @text is no printed list. */
static gboolean
add_list_items (GPtrArray  *items,
                const char *text,
                gsize       len)
{
  g_autofree char *inner = NULL;
  g_auto(GStrv) parts = NULL;

  if (len < 2 || text[0] != '[' || text[len - 1] != ']')
    return FALSE;
  inner = g_strndup (text + 1, len - 2);
  if (g_strstrip (inner)[0] == '\0')
    return TRUE;
  parts = g_strsplit (inner, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      g_ptr_array_add (items, g_variant_ref_sink (infer_value (part, strlen (part))));
    }
  return TRUE;
}

typedef struct
{
  GHashTable *singles;  /* key → GVariant, the last value read */
  GHashTable *lists;    /* key → GPtrArray of GVariant (items or a{sv}) */
  GPtrArray  *order;    /* keys in the order first read */
} Reading;

static GPtrArray *
reading_list (Reading    *reading,
              const char *key)
{
  GPtrArray *list = g_hash_table_lookup (reading->lists, key);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_hash_table_insert (reading->lists, g_strdup (key), list);
      g_ptr_array_add (reading->order, g_strdup (key));
    }
  return list;
}

static void
read_match (Reading       *reading,
            const Pattern *pattern)
{
  GHashTable *dicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_variant_builder_unref);

  for (guint i = 0; i < pattern->n_pieces; i++)
    {
      const Piece *piece = &pattern->pieces[i];
      const char *text = pattern->start[i];
      gsize len = pattern->end[i] - text;
      const char *dot = memchr (piece->name, '.', piece->name_len);
      g_autofree char *key = g_strndup (piece->name, dot != NULL ? (gsize) (dot - piece->name)
                                                                 : piece->name_len);
      const LabMetricSpec *spec = find_metric (pattern->experiment, key, strlen (key));

      if (piece->name_len == 0)
        continue;
      if (dot != NULL)
        {
          GVariantBuilder *dict = g_hash_table_lookup (dicts, key);
          g_autofree char *field = g_strndup (dot + 1, piece->name + piece->name_len - dot - 1);

          if (dict == NULL)
            {
              dict = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
              g_hash_table_insert (dicts, g_strdup (key), dict);
            }
          g_variant_builder_add (dict, "{sv}", field, infer_value (text, len));
        }
      else if (spec != NULL && spec->kind == LAB_METRIC_LIST)
        {
          GPtrArray *list = reading_list (reading, key);

          if (!add_list_items (list, text, len))
            g_ptr_array_add (list, g_variant_ref_sink (infer_value (text, len)));
        }
      else
        {
          if (!g_hash_table_contains (reading->singles, key))
            g_ptr_array_add (reading->order, g_strdup (key));
          g_hash_table_insert (reading->singles, g_strdup (key),
                               g_variant_ref_sink (typed_value (spec, text, len)));
        }
    }

  {
    GHashTableIter iter;
    gpointer key, dict;

    g_hash_table_iter_init (&iter, dicts);
    while (g_hash_table_iter_next (&iter, &key, &dict))
      g_ptr_array_add (reading_list (reading, key),
                       g_variant_ref_sink (g_variant_builder_end (dict)));
  }
  g_hash_table_unref (dicts);
}

GVariant *
lab_py_engine_parse_output (const LabExperiment *experiment,
                            const char          *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  Reading reading = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref),
    g_ptr_array_new_with_free_func (g_free),
  };
  g_autoptr(GArray) patterns = g_array_new (FALSE, FALSE, sizeof (Pattern));
  GVariantBuilder metrics;

  for (guint i = 0; experiment->code_results != NULL && experiment->code_results[i] != NULL; i++)
    {
      Pattern pattern;

      if (pattern_init (&pattern, experiment, experiment->code_results[i]))
        g_array_append_val (patterns, pattern);
      else
        g_critical ("%s: the result pattern “%s” does not parse",
                    experiment->id, experiment->code_results[i]);
    }

  for (guint l = 0; lines[l] != NULL; l++)
    {
      /* Python's print ends lines with \n; a \r is from a program's own. */
      g_strchomp (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      for (guint i = 0; i < patterns->len; i++)
        if (pattern_match (&g_array_index (patterns, Pattern, i), lines[l]))
          {
            read_match (&reading, &g_array_index (patterns, Pattern, i));
            break;
          }
    }

  g_variant_builder_init (&metrics, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < reading.order->len; i++)
    {
      const char *key = g_ptr_array_index (reading.order, i);
      GVariant *single = g_hash_table_lookup (reading.singles, key);
      GPtrArray *list = g_hash_table_lookup (reading.lists, key);

      if (single != NULL)
        g_variant_builder_add (&metrics, "{sv}", key, single);
      else if (list->len > 0 && g_variant_is_of_type (g_ptr_array_index (list, 0), G_VARIANT_TYPE_VARDICT))
        {
          GVariantBuilder dicts;

          g_variant_builder_init (&dicts, G_VARIANT_TYPE ("aa{sv}"));
          for (guint j = 0; j < list->len; j++)
            g_variant_builder_add_value (&dicts, g_ptr_array_index (list, j));
          g_variant_builder_add (&metrics, "{sv}", key, g_variant_builder_end (&dicts));
        }
      else
        g_variant_builder_add (&metrics, "{sv}", key, list_value (list));
    }
  g_hash_table_unref (reading.singles);
  g_hash_table_unref (reading.lists);
  g_ptr_array_unref (reading.order);
  return g_variant_builder_end (&metrics);
}
