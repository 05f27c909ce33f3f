/* lab-params.c — validated parameter values for the declared specs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "lab-params.h"

struct _LabParams
{
  const LabParamSpec  *specs;
  guint                n_specs;
  GVariant           **values; /* one per spec, owned (sunk) */
  char              ***lists;  /* TEXT_LIST specs: the value as a GStrv */
};

static void
params_store (LabParams *params,
              guint      i,
              GVariant  *value) /* takes a sunk reference */
{
  g_clear_pointer (&params->values[i], g_variant_unref);
  g_clear_pointer (&params->lists[i], g_strfreev);
  params->values[i] = value;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    params->lists[i] = g_variant_dup_strv (value, NULL);
}

G_DEFINE_QUARK (lab-params-error-quark, lab_params_error)

static const GVariantType *
spec_type (const LabParamSpec *spec)
{
  switch (spec->kind)
    {
    case LAB_PARAM_INT:       return G_VARIANT_TYPE_INT64;
    case LAB_PARAM_DOUBLE:    return G_VARIANT_TYPE_DOUBLE;
    case LAB_PARAM_BOOL:      return G_VARIANT_TYPE_BOOLEAN;
    case LAB_PARAM_ENUM:
    case LAB_PARAM_TEXT:      return G_VARIANT_TYPE_STRING;
    case LAB_PARAM_TEXT_LIST: return G_VARIANT_TYPE_STRING_ARRAY;
    default:                  g_assert_not_reached ();
    }
}

static gboolean
spec_has_range (const LabParamSpec *spec)
{
  return !(spec->min == 0 && spec->max == 0);
}

static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  GPtrArray *items = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (item[0] != '\0')
        g_ptr_array_add (items, g_strdup (item));
    }
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

static GVariant *
spec_default (const LabParamSpec *spec)
{
  switch (spec->kind)
    {
    case LAB_PARAM_INT:
      return g_variant_new_int64 ((gint64) spec->def_num);
    case LAB_PARAM_DOUBLE:
      return g_variant_new_double (spec->def_num);
    case LAB_PARAM_BOOL:
      return g_variant_new_boolean (spec->def_bool);
    case LAB_PARAM_ENUM:
      if (spec->def_text == NULL && spec->choices != NULL && spec->choices[0].nick != NULL)
        return g_variant_new_string (spec->choices[0].nick);
      return g_variant_new_string (spec->def_text ? spec->def_text : "");
    case LAB_PARAM_TEXT:
      return g_variant_new_string (spec->def_text ? spec->def_text : "");
    case LAB_PARAM_TEXT_LIST:
      {
        g_auto(GStrv) items = split_list (spec->def_text);

        return g_variant_new_strv ((const char * const *) items, -1);
      }
    default:
      g_assert_not_reached ();
    }
}

LabParams *
lab_params_new (const LabParamSpec *specs,
                guint               n_specs)
{
  LabParams *params = g_new0 (LabParams, 1);

  params->specs = specs;
  params->n_specs = n_specs;
  params->values = g_new0 (GVariant *, MAX (n_specs, 1));
  params->lists = g_new0 (char **, MAX (n_specs, 1));
  for (guint i = 0; i < n_specs; i++)
    params_store (params, i, g_variant_ref_sink (spec_default (&specs[i])));
  return params;
}

LabParams *
lab_params_copy (const LabParams *params)
{
  LabParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_new0 (LabParams, 1);
  copy->specs = params->specs;
  copy->n_specs = params->n_specs;
  copy->values = g_new0 (GVariant *, MAX (params->n_specs, 1));
  copy->lists = g_new0 (char **, MAX (params->n_specs, 1));
  for (guint i = 0; i < params->n_specs; i++)
    params_store (copy, i, g_variant_ref (params->values[i]));
  return copy;
}

void
lab_params_free (LabParams *params)
{
  if (params == NULL)
    return;
  for (guint i = 0; i < params->n_specs; i++)
    {
      g_variant_unref (params->values[i]);
      g_strfreev (params->lists[i]);
    }
  g_free (params->values);
  g_free (params->lists);
  g_free (params);
}

guint
lab_params_get_n_specs (const LabParams *params)
{
  return params->n_specs;
}

const LabParamSpec *
lab_params_get_spec (const LabParams *params,
                     guint            index)
{
  g_return_val_if_fail (index < params->n_specs, NULL);
  return &params->specs[index];
}

static int
find_index (const LabParams *params,
            const char      *key)
{
  for (guint i = 0; i < params->n_specs; i++)
    if (g_strcmp0 (params->specs[i].key, key) == 0)
      return (int) i;
  return -1;
}

const LabParamSpec *
lab_params_find_spec (const LabParams *params,
                      const char      *key)
{
  int i = find_index (params, key);

  return i < 0 ? NULL : &params->specs[i];
}

static char *
known_keys (const LabParams *params)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < params->n_specs; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, params->specs[i].key);
    }
  return g_string_free (str, FALSE);
}

static gboolean
unknown_key (const LabParams  *params,
             const char       *key,
             GError          **error)
{
  g_autofree char *known = known_keys (params);

  if (params->n_specs == 0)
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY,
                 _("Unknown parameter “%s”: this experiment has no parameters"), key);
  else
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_UNKNOWN_KEY,
                 _("Unknown parameter “%s” (known: %s)"), key, known);
  return FALSE;
}

static char *
format_number (const LabParamSpec *spec,
               double              value)
{
  if (spec->kind == LAB_PARAM_INT)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", value));
    }
}

/* @given is the value as the user wrote it (or as it was stored): never a
 * clamped or converted one, which would hide what was wrong. */
static gboolean
out_of_range (const LabParamSpec  *spec,
              const char          *given,
              GError             **error)
{
  g_autofree char *lo = format_number (spec, spec->min);
  g_autofree char *hi = format_number (spec, spec->max);

  g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE,
               _("%s: %s is out of range (%s–%s)"), spec->key, given, lo, hi);
  return FALSE;
}

static gboolean
check_range (const LabParamSpec  *spec,
             double               value,
             GError             **error)
{
  if (!isfinite (value))
    {
      g_autofree char *v = format_number (spec, value);

      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                   _("%s: “%s” is not a finite number"), spec->key, v);
      return FALSE;
    }
  if (spec_has_range (spec) && (value < spec->min || value > spec->max))
    {
      g_autofree char *v = format_number (spec, value);

      return out_of_range (spec, v, error);
    }
  return TRUE;
}

/* Compared as gint64 and shown as one: a huge value turned into a double
 * and back would come out as another number. */
static gboolean
check_int_range (const LabParamSpec  *spec,
                 gint64               value,
                 GError             **error)
{
  if (spec_has_range (spec) && ((double) value < spec->min || (double) value > spec->max))
    {
      g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      return out_of_range (spec, v, error);
    }
  return TRUE;
}

static char *
choice_list (const LabParamSpec *spec)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; spec->choices != NULL && spec->choices[i].nick != NULL; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, spec->choices[i].nick);
    }
  return g_string_free (str, FALSE);
}

static gboolean
check_choice (const LabParamSpec  *spec,
              const char          *nick,
              GError             **error)
{
  g_autofree char *choices = NULL;

  for (guint i = 0; spec->choices != NULL && spec->choices[i].nick != NULL; i++)
    if (g_strcmp0 (spec->choices[i].nick, nick) == 0)
      return TRUE;

  choices = choice_list (spec);
  g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
               _("%s: “%s” is not one of: %s"), spec->key, nick, choices);
  return FALSE;
}

/* Converts @value to the spec's type when that loses nothing. */
static GVariant *
coerce (const LabParamSpec  *spec,
        GVariant            *value,
        GError             **error)
{
  const GVariantType *want = spec_type (spec);
  double num = NAN;

  if (g_variant_is_of_type (value, want))
    return g_variant_ref (value);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    num = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    num = (double) g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    num = g_variant_get_uint32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    num = g_variant_get_double (value);

  if (spec->kind == LAB_PARAM_INT && !isnan (num) && num == floor (num) && fabs (num) < 9.0e15)
    return g_variant_ref_sink (g_variant_new_int64 ((gint64) num));
  if (spec->kind == LAB_PARAM_DOUBLE && !isnan (num))
    return g_variant_ref_sink (g_variant_new_double (num));
  if (spec->kind == LAB_PARAM_TEXT_LIST && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_auto(GStrv) items = split_list (g_variant_get_string (value, NULL));

      return g_variant_ref_sink (g_variant_new_strv ((const char * const *) items, -1));
    }

  g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
               _("%s: a value of type “%s” was given, “%s” is needed"),
               spec->key, g_variant_get_type_string (value), g_variant_type_peek_string (want));
  return NULL;
}

static gboolean
validate (const LabParamSpec  *spec,
          GVariant            *value,
          GError             **error)
{
  switch (spec->kind)
    {
    case LAB_PARAM_INT:
      return check_int_range (spec, g_variant_get_int64 (value), error);
    case LAB_PARAM_DOUBLE:
      return check_range (spec, g_variant_get_double (value), error);
    case LAB_PARAM_ENUM:
      return check_choice (spec, g_variant_get_string (value, NULL), error);
    case LAB_PARAM_BOOL:
    case LAB_PARAM_TEXT:
    case LAB_PARAM_TEXT_LIST:
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

gboolean
lab_params_set_value (LabParams   *params,
                      const char  *key,
                      GVariant    *value,
                      GError     **error)
{
  g_autoptr(GVariant) sunk = NULL;
  g_autoptr(GVariant) coerced = NULL;
  int i;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  sunk = g_variant_ref_sink (value);
  i = find_index (params, key);
  if (i < 0)
    return unknown_key (params, key, error);

  coerced = coerce (&params->specs[i], sunk, error);
  if (coerced == NULL || !validate (&params->specs[i], coerced, error))
    return FALSE;

  params_store (params, i, g_steal_pointer (&coerced));
  return TRUE;
}

gboolean
lab_params_set_all (LabParams  *params,
                    GVariant   *dict,
                    GError    **error)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (dict);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (g_variant_is_of_type (sunk, G_VARIANT_TYPE_VARDICT), FALSE);

  g_variant_iter_init (&iter, sunk);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gboolean ok = lab_params_set_value (params, key, value, error);

      g_variant_unref (value);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_int (const LabParamSpec  *spec,
           const char          *text,
           gint64              *out,
           GError             **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  char *end = NULL;
  gint64 value;

  /* Accept Python-style digit groups: 10_000_000. */
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (digits, *p);
  g_strstrip (digits->str);

  errno = 0;
  value = g_ascii_strtoll (digits->str, &end, 10);
  if (digits->str[0] == '\0' || end == NULL || *end != '\0' || (errno != 0 && errno != ERANGE))
    {
      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                   _("%s: “%s” is not a whole number"), spec->key, text);
      return FALSE;
    }
  if (errno == ERANGE && spec_has_range (spec))
    return out_of_range (spec, digits->str, error);
  if (errno == ERANGE)
    {
      /* A whole number, only too long for 64 bits. */
      g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, G_MININT64);
      g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, G_MAXINT64);

      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE,
                   /* Translators: the last two %s are the limits of a 64-bit integer */
                   _("%s: %s does not fit in a whole number (%s to %s)"),
                   spec->key, digits->str, lo, hi);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_double (const LabParamSpec  *spec,
              const char          *text,
              double              *out,
              GError             **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (copy, &end);
  if (copy[0] == '\0' || end == NULL || *end != '\0')
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                 _("%s: “%s” is not a number"), spec->key, text);
  else if (errno == ERANGE && !isinf (value))
    /* 1e-400 reads as 0, which may mean "none" (no timeout): refuse it
     * rather than silently give the opposite of what was asked. */
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE,
                 _("%s: %s is too close to 0 to be stored; it would become 0"), spec->key, copy);
  else if (errno == ERANGE)
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE,
                 _("%s: %s is too large to be stored as a number"), spec->key, copy);
  else if (!isfinite (value))
    g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                 _("%s: “%s” is not a finite number"), spec->key, copy);
  else
    {
      *out = value;
      return TRUE;
    }
  return FALSE;
}

gboolean
lab_params_parse (LabParams   *params,
                  const char  *key,
                  const char  *text,
                  GError     **error)
{
  const LabParamSpec *spec;
  GVariant *value = NULL;
  int i;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (text == NULL)
    text = "";

  i = find_index (params, key);
  if (i < 0)
    return unknown_key (params, key, error);
  spec = &params->specs[i];

  switch (spec->kind)
    {
    case LAB_PARAM_INT:
      {
        gint64 v = 0;

        if (!parse_int (spec, text, &v, error))
          return FALSE;
        value = g_variant_new_int64 (v);
      }
      break;

    case LAB_PARAM_DOUBLE:
      {
        double v = 0;

        if (!parse_double (spec, text, &v, error))
          return FALSE;
        value = g_variant_new_double (v);
      }
      break;

    case LAB_PARAM_BOOL:
      if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0 ||
          g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "on") == 0)
        value = g_variant_new_boolean (TRUE);
      else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0 ||
               g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "off") == 0)
        value = g_variant_new_boolean (FALSE);
      else
        {
          g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                       _("%s: “%s” is not true or false"), spec->key, text);
          return FALSE;
        }
      break;

    case LAB_PARAM_ENUM:
    case LAB_PARAM_TEXT:
      value = g_variant_new_string (text);
      break;

    case LAB_PARAM_TEXT_LIST:
      {
        g_auto(GStrv) items = split_list (text);

        value = g_variant_new_strv ((const char * const *) items, -1);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return lab_params_set_value (params, key, value, error);
}

gboolean
lab_params_parse_assignment (LabParams   *params,
                             const char  *assignment,
                             GError     **error)
{
  const char *eq;
  g_autofree char *key = NULL;

  g_return_val_if_fail (assignment != NULL, FALSE);

  eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID,
                   _("“%s” is not of the form KEY=VALUE"), assignment);
      return FALSE;
    }

  key = g_strstrip (g_strndup (assignment, eq - assignment));
  return lab_params_parse (params, key, eq + 1, error);
}

static GVariant *
value_of (const LabParams    *params,
          const char         *key,
          const GVariantType *type)
{
  int i = find_index (params, key);

  if (i < 0)
    {
      g_critical ("Experiment has no parameter “%s”", key);
      return NULL;
    }
  if (!g_variant_is_of_type (params->values[i], type))
    {
      g_critical ("Parameter “%s” is not of type %s", key, g_variant_type_peek_string (type));
      return NULL;
    }
  return params->values[i];
}

gint64
lab_params_get_int (const LabParams *params,
                    const char      *key)
{
  GVariant *v = value_of (params, key, G_VARIANT_TYPE_INT64);

  return v ? g_variant_get_int64 (v) : 0;
}

double
lab_params_get_double (const LabParams *params,
                       const char      *key)
{
  GVariant *v = value_of (params, key, G_VARIANT_TYPE_DOUBLE);

  return v ? g_variant_get_double (v) : 0.0;
}

gboolean
lab_params_get_bool (const LabParams *params,
                     const char      *key)
{
  GVariant *v = value_of (params, key, G_VARIANT_TYPE_BOOLEAN);

  return v ? g_variant_get_boolean (v) : FALSE;
}

const char *
lab_params_get_string (const LabParams *params,
                       const char      *key)
{
  GVariant *v = value_of (params, key, G_VARIANT_TYPE_STRING);

  return v ? g_variant_get_string (v, NULL) : "";
}

const char * const *
lab_params_get_strv (const LabParams *params,
                     const char      *key)
{
  static const char * const empty[] = { NULL };
  int i;

  if (value_of (params, key, G_VARIANT_TYPE_STRING_ARRAY) == NULL)
    return empty;
  i = find_index (params, key);
  return (const char * const *) params->lists[i];
}

GVariant *
lab_params_get_value (const LabParams *params,
                      const char      *key)
{
  int i = find_index (params, key);

  return i < 0 ? NULL : params->values[i];
}

GVariant *
lab_params_to_variant (const LabParams *params)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < params->n_specs; i++)
    g_variant_builder_add (&builder, "{sv}", params->specs[i].key, params->values[i]);
  return g_variant_builder_end (&builder);
}

static char *
format_variant (GVariant *v)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (v));
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", g_variant_get_double (v)));
    }
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (v) ? "true" : "false");
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (v, NULL);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **items = g_variant_get_strv (v, NULL);

      return g_strjoinv (",", (char **) items);
    }
  return g_variant_print (v, FALSE);
}

char *
lab_params_format_value (const LabParams *params,
                         const char      *key)
{
  int i = find_index (params, key);

  return i < 0 ? NULL : format_variant (params->values[i]);
}

char *
lab_params_to_string (const LabParams *params)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < params->n_specs; i++)
    {
      g_autofree char *value = NULL;

      if (params->specs[i].flags & LAB_PARAM_FLAG_HIDDEN)
        continue;
      value = format_variant (params->values[i]);
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append_printf (str, "%s=%s", params->specs[i].key, value);
    }
  return g_string_free (str, FALSE);
}

/* @v as a person reads it in the window: a choice's label, yes or no, a
 * number with its unit. The command line keeps format_variant()'s nicks. */
static char *
describe_value (const LabParamSpec *spec,
                GVariant           *v)
{
  g_autofree char *text = NULL;

  switch (spec->kind)
    {
    case LAB_PARAM_BOOL:
      return g_strdup (g_variant_get_boolean (v) ? _("yes") : _("no"));

    case LAB_PARAM_ENUM:
      for (guint c = 0; spec->choices != NULL && spec->choices[c].nick != NULL; c++)
        if (g_strcmp0 (spec->choices[c].nick, g_variant_get_string (v, NULL)) == 0)
          return g_strdup (_(spec->choices[c].label));
      break;

    case LAB_PARAM_INT:
    case LAB_PARAM_DOUBLE:
      if (spec->unit == NULL)
        break;
      text = format_variant (v);
      /* Translators: a parameter's value and its unit, e.g. "1000 ms" */
      return g_strdup_printf (C_("param value", "%s %s"), text, _(spec->unit));

    case LAB_PARAM_TEXT:
    case LAB_PARAM_TEXT_LIST:
    default:
      break;
    }
  return format_variant (v);
}

char *
lab_params_describe (const LabParams *params,
                     const char      *except_key)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < params->n_specs; i++)
    {
      const LabParamSpec *spec = &params->specs[i];
      g_autofree char *value = NULL;

      if ((spec->flags & LAB_PARAM_FLAG_HIDDEN) || g_strcmp0 (spec->key, except_key) == 0)
        continue;
      value = describe_value (spec, params->values[i]);
      /* An empty text is a parameter left unused, not worth a word. */
      if (value[0] == '\0')
        continue;
      if (str->len > 0)
        g_string_append (str, ", ");
      /* Translators: one parameter in a run's parameter line, its label
       * and its value, e.g. "Threads: 4" */
      g_string_append_printf (str, C_("param line", "%s: %s"), _(spec->label), value);
    }
  return g_string_free (str, FALSE);
}
