/* lab-chart-variant.c — a chart as an a{sv} (for the JSON output and for
 * handing charts around) and back. Plain JSON types only: strings,
 * doubles, booleans, arrays, dictionaries; absent values are left out,
 * never written as NaN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <gio/gio.h>
#include <math.h>

#include "lab-chart.h"

#define LIST G_VARIANT_TYPE ("aa{sv}")

static const char * const kind_nicks[] = { "bars", "lines" };
static const char * const unit_nicks[] = { "seconds", "ratio", "count", "percent" };

static void
add (GVariantBuilder *builder,
     const char      *key,
     GVariant        *value)
{
  g_variant_builder_add (builder, "{sv}", key, value);
}

static void
add_string (GVariantBuilder *builder,
            const char      *key,
            const char      *value)
{
  add (builder, key, g_variant_new_string (value));
}

static void
add_double_if_finite (GVariantBuilder *builder,
                      const char      *key,
                      double           value)
{
  if (isfinite (value))
    add (builder, key, g_variant_new_double (value));
}

/* The first panel is the chart's own and goes unnamed. */
static void
add_panel (GVariantBuilder *builder,
           guint            panel)
{
  if (panel > 0)
    add (builder, "panel", g_variant_new_uint32 (panel));
}

typedef guint        (*CountFunc) (LabChart *chart);
typedef const char  *(*NameFunc)  (LabChart *chart,
                                   guint     index);

static GVariant *
names_variant (LabChart  *chart,
               CountFunc  count,
               NameFunc   name)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < count (chart); i++)
    g_variant_builder_add (&builder, "s", name (chart, i));
  return g_variant_builder_end (&builder);
}

static void
add_bar (LabChart        *chart,
         guint            index,
         GVariantBuilder *b)
{
  GVariantBuilder segs;
  LabChartBar bar;
  gboolean any = FALSE;

  lab_chart_get_bar (chart, index, &bar);
  add_string (b, "group", lab_chart_get_group (chart, bar.group));
  add_string (b, "series", lab_chart_get_series (chart, bar.series));
  add (b, "value", g_variant_new_double (bar.value));
  add_double_if_finite (b, "min", bar.min);
  add_double_if_finite (b, "max", bar.max);

  g_variant_builder_init (&segs, G_VARIANT_TYPE ("a{sd}"));
  for (guint s = 0; s < lab_chart_get_n_segments (chart); s++)
    {
      double v = lab_chart_get_bar_segment (chart, index, s);

      if (isfinite (v))
        {
          g_variant_builder_add (&segs, "{sd}", lab_chart_get_segment (chart, s), v);
          any = TRUE;
        }
    }
  if (any)
    add (b, "segments", g_variant_builder_end (&segs));
  else
    g_variant_builder_clear (&segs);
}

static void
add_point (LabChart        *chart,
           guint            index,
           GVariantBuilder *d)
{
  const LabChartPoint *point = &lab_chart_get_points (chart, NULL)[index];

  add_string (d, "series", lab_chart_get_series (chart, point->series));
  add_panel (d, point->panel);
  add (d, "x", g_variant_new_double (point->x));
  add (d, "y", g_variant_new_double (point->y));
  add_double_if_finite (d, "y_min", point->y_min);
  add_double_if_finite (d, "y_max", point->y_max);
}

static void
add_reference (LabChart        *chart,
               guint            index,
               GVariantBuilder *d)
{
  const LabChartReference *ref = &lab_chart_get_references (chart, NULL)[index];

  add_string (d, "label", ref->label);
  add (d, "y", g_variant_new_double (ref->y));
  add_panel (d, ref->panel);
}

static void
add_panel_axis (LabChart        *chart,
                guint            index,
                GVariantBuilder *d)
{
  add_string (d, "y_label", lab_chart_get_y_label (chart, index));
  add_string (d, "unit", unit_nicks[lab_chart_get_unit (chart, index)]);
}

/* Fills one item's dictionary. */
typedef void (*ItemFunc) (LabChart        *chart,
                          guint            index,
                          GVariantBuilder *dict);

/* @key: the items @first to @n - 1, each made by @item; an empty list is
 * left out, as absent values are. */
static void
add_list (GVariantBuilder *dict,
          const char      *key,
          LabChart        *chart,
          guint            first,
          guint            n,
          ItemFunc         item)
{
  GVariantBuilder list;

  if (first >= n)
    return;
  g_variant_builder_init (&list, LIST);
  for (guint i = first; i < n; i++)
    {
      GVariantBuilder d;

      g_variant_builder_init (&d, G_VARIANT_TYPE_VARDICT);
      item (chart, i, &d);
      g_variant_builder_add_value (&list, g_variant_builder_end (&d));
    }
  add (dict, key, g_variant_builder_end (&list));
}

GVariant *
lab_chart_to_variant (LabChart *chart)
{
  LabChartKind kind;
  GVariantBuilder dict;
  guint n_points, n_refs;
  double base;

  g_return_val_if_fail (chart != NULL, NULL);

  kind = lab_chart_get_kind (chart);
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  add_string (&dict, "kind", kind_nicks[kind]);
  add_string (&dict, "title", lab_chart_get_title (chart));
  add_string (&dict, "unit", unit_nicks[lab_chart_get_unit (chart, 0)]);
  add_string (&dict, "x_label", lab_chart_get_x_label (chart));
  add_string (&dict, "y_label", lab_chart_get_y_label (chart, 0));

  if (kind == LAB_CHART_BARS || lab_chart_get_n_bars (chart) > 0)
    {
      add (&dict, "groups", names_variant (chart, lab_chart_get_n_groups, lab_chart_get_group));
      add (&dict, "segments", names_variant (chart, lab_chart_get_n_segments, lab_chart_get_segment));
    }
  add (&dict, "series", names_variant (chart, lab_chart_get_n_series, lab_chart_get_series));

  lab_chart_get_points (chart, &n_points);
  lab_chart_get_references (chart, &n_refs);
  add_list (&dict, "bars", chart, 0, lab_chart_get_n_bars (chart), add_bar);
  add_list (&dict, "points", chart, 0, n_points, add_point);
  add_list (&dict, "references", chart, 0, n_refs, add_reference);
  /* Panels after the first (the first is described by the top level). */
  add_list (&dict, "panels", chart, 1, lab_chart_get_n_panels (chart), add_panel_axis);

  if (lab_chart_get_ideal_line (chart, &base))
    {
      add (&dict, "ideal", g_variant_new_boolean (TRUE));
      add (&dict, "ideal_base", g_variant_new_double (base));
    }

  return g_variant_builder_end (&dict);
}

static gboolean
lookup_nick (const char * const *nicks,
             guint               n_nicks,
             const char         *nick,
             guint              *out)
{
  for (guint i = 0; i < n_nicks; i++)
    if (g_strcmp0 (nicks[i], nick) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static double
dict_double (GVariantDict *dict,
             const char   *key,
             double        fallback)
{
  double value;

  return g_variant_dict_lookup (dict, key, "d", &value) ? value : fallback;
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: %s names the part of a chart that is wrong */
               _("Not a chart: %s"), what);
  return FALSE;
}

static gboolean
read_items (LabChart      *self,
            GVariantDict  *dict,
            GError       **error)
{
  g_autoptr(GVariant) bars = g_variant_dict_lookup_value (dict, "bars", LIST);
  g_autoptr(GVariant) points = g_variant_dict_lookup_value (dict, "points", LIST);
  g_autoptr(GVariant) refs = g_variant_dict_lookup_value (dict, "references", LIST);
  static const char * const names[] = { "groups", "series", "segments" };
  void (*declare[]) (LabChart *, const char * const *) = {
    lab_chart_declare_groups, lab_chart_declare_series, lab_chart_declare_segments,
  };
  gsize n;

  /* The names first, so that their order survives. */
  for (guint a = 0; a < G_N_ELEMENTS (names); a++)
    {
      g_autofree const char **strv = NULL;

      if (g_variant_dict_lookup (dict, names[a], "^a&s", &strv))
        declare[a] (self, strv);
    }

  n = bars != NULL ? g_variant_n_children (bars) : 0;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (bars, i);
      g_autoptr(GVariant) segs = NULL;
      g_auto(GVariantDict) b = G_VARIANT_DICT_INIT (item);
      g_autofree char *group = NULL, *series = NULL;
      double value;

      if (!g_variant_dict_lookup (&b, "group", "s", &group) ||
          !g_variant_dict_lookup (&b, "value", "d", &value) || !isfinite (value))
        return invalid (error, _("a bar without a group or a value"));
      g_variant_dict_lookup (&b, "series", "s", &series);
      segs = g_variant_dict_lookup_value (&b, "segments", G_VARIANT_TYPE ("a{sd}"));
      if (segs != NULL)
        {
          GVariantIter iter;
          const char *name;
          double v;

          g_variant_iter_init (&iter, segs);
          while (g_variant_iter_next (&iter, "{&sd}", &name, &v))
            if (isfinite (v))
              lab_chart_add_bar_segment (self, group, series, name, v);
        }
      lab_chart_add_bar (self, group, series, value,
                         dict_double (&b, "min", NAN), dict_double (&b, "max", NAN));
    }

  n = points != NULL ? g_variant_n_children (points) : 0;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (points, i);
      g_auto(GVariantDict) p = G_VARIANT_DICT_INIT (item);
      g_autofree char *series = NULL;
      double x, y;
      guint panel = 0;

      if (!g_variant_dict_lookup (&p, "x", "d", &x) || !isfinite (x) ||
          !g_variant_dict_lookup (&p, "y", "d", &y) || !isfinite (y))
        return invalid (error, _("a point without x or y"));
      g_variant_dict_lookup (&p, "series", "s", &series);
      g_variant_dict_lookup (&p, "panel", "u", &panel);
      if (panel >= LAB_CHART_MAX_PANELS)
        return invalid (error, _("a point in a panel that does not exist"));
      lab_chart_add_panel_point (self, panel, series, x, y,
                                 dict_double (&p, "y_min", NAN), dict_double (&p, "y_max", NAN));
    }

  n = refs != NULL ? g_variant_n_children (refs) : 0;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (refs, i);
      g_auto(GVariantDict) r = G_VARIANT_DICT_INIT (item);
      g_autofree char *label = NULL;
      double y;
      guint panel = 0;

      if (!g_variant_dict_lookup (&r, "y", "d", &y) || !isfinite (y))
        return invalid (error, _("a reference line without y"));
      g_variant_dict_lookup (&r, "label", "s", &label);
      g_variant_dict_lookup (&r, "panel", "u", &panel);
      if (panel >= LAB_CHART_MAX_PANELS)
        return invalid (error, _("a reference line in a panel that does not exist"));
      lab_chart_add_panel_reference (self, panel, label, y);
    }
  return TRUE;
}

LabChart *
lab_chart_new_from_variant (GVariant  *variant,
                            GError   **error)
{
  g_autoptr(LabChart) self = NULL;
  g_autoptr(GVariant) panels = NULL;
  g_autofree char *kind = NULL, *unit = NULL, *title = NULL;
  g_autofree char *x_label = NULL, *y_label = NULL;
  g_auto(GVariantDict) dict = { 0 };
  guint kind_i, unit_i;
  gboolean ideal = FALSE;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      invalid (error, _("not a dictionary"));
      return NULL;
    }
  g_variant_dict_init (&dict, variant);
  if (!g_variant_dict_lookup (&dict, "kind", "s", &kind) ||
      !lookup_nick (kind_nicks, G_N_ELEMENTS (kind_nicks), kind, &kind_i))
    {
      invalid (error, _("unknown kind"));
      return NULL;
    }
  if (!g_variant_dict_lookup (&dict, "unit", "s", &unit) ||
      !lookup_nick (unit_nicks, G_N_ELEMENTS (unit_nicks), unit, &unit_i))
    {
      invalid (error, _("unknown unit"));
      return NULL;
    }
  g_variant_dict_lookup (&dict, "title", "s", &title);
  g_variant_dict_lookup (&dict, "x_label", "s", &x_label);
  g_variant_dict_lookup (&dict, "y_label", "s", &y_label);

  self = lab_chart_new ((LabChartKind) kind_i, title, (LabChartUnit) unit_i);
  lab_chart_set_axis_labels (self, x_label, y_label);

  panels = g_variant_dict_lookup_value (&dict, "panels", LIST);
  for (gsize i = 0; panels != NULL && i < g_variant_n_children (panels); i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (panels, i);
      g_auto(GVariantDict) p = G_VARIANT_DICT_INIT (item);
      g_autofree char *label = NULL, *punit = NULL;
      guint punit_i = LAB_CHART_UNIT_COUNT;

      if (i + 1 >= LAB_CHART_MAX_PANELS)
        {
          invalid (error, _("too many panels"));
          return NULL;
        }
      g_variant_dict_lookup (&p, "y_label", "s", &label);
      if (g_variant_dict_lookup (&p, "unit", "s", &punit) &&
          !lookup_nick (unit_nicks, G_N_ELEMENTS (unit_nicks), punit, &punit_i))
        {
          invalid (error, _("unknown unit"));
          return NULL;
        }
      lab_chart_set_panel (self, (guint) i + 1, label, (LabChartUnit) punit_i);
    }

  if (!read_items (self, &dict, error))
    return NULL;

  if (g_variant_dict_lookup (&dict, "ideal", "b", &ideal) && ideal)
    {
      double base = dict_double (&dict, "ideal_base", 1);

      lab_chart_set_ideal_line (self, TRUE);
      if (isfinite (base) && base > 0)
        lab_chart_set_ideal_base (self, base);
    }
  return g_steal_pointer (&self);
}
