/* lab-chart.c — the data of a bar or line chart.
 *
 * A chart is built by one thread (an experiment's, or a sweep's on the main
 * thread) and then only read, so after the hand-over no lock is needed;
 * the reference count is atomic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "lab-chart.h"

typedef struct
{
  LabChartBar pub;
  gboolean    has_value; /* added with lab_chart_add_bar(), not only segments */
} Bar;

typedef struct
{
  guint  bar;
  guint  segment;
  double value;
} SegmentValue;

typedef struct
{
  char         *y_label;
  LabChartUnit  unit;
} Panel;

struct _LabChart
{
  gint          ref_count; /* atomic */
  LabChartKind  kind;
  char         *title;
  char         *x_label;
  Panel         panels[LAB_CHART_MAX_PANELS];
  guint         n_panels;
  GPtrArray    *groups;    /* char* */
  GPtrArray    *series;
  GPtrArray    *segments;
  GArray       *bars;      /* Bar */
  GArray       *segvals;   /* SegmentValue */
  GArray       *points;    /* LabChartPoint */
  GArray       *refs;      /* LabChartReference, labels owned */
  gboolean      ideal;
  double        ideal_base;
};

G_DEFINE_BOXED_TYPE (LabChart, lab_chart, lab_chart_ref, lab_chart_unref)

static const char * const kind_nicks[] = { "bars", "lines" };
static const char * const unit_nicks[] = { "seconds", "ratio", "count", "percent" };

static void
reference_clear (gpointer data)
{
  LabChartReference *ref = data;

  g_free ((char *) ref->label);
}

LabChart *
lab_chart_new (LabChartKind  kind,
               const char   *title,
               LabChartUnit  unit)
{
  LabChart *self = g_new0 (LabChart, 1);

  self->ref_count = 1;
  self->kind = kind;
  self->title = g_strdup (title != NULL ? title : "");
  self->x_label = g_strdup ("");
  self->panels[0].y_label = g_strdup ("");
  self->panels[0].unit = unit;
  self->n_panels = 1;
  self->groups = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func (g_free);
  self->segments = g_ptr_array_new_with_free_func (g_free);
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  self->segvals = g_array_new (FALSE, FALSE, sizeof (SegmentValue));
  self->points = g_array_new (FALSE, FALSE, sizeof (LabChartPoint));
  self->refs = g_array_new (FALSE, FALSE, sizeof (LabChartReference));
  g_array_set_clear_func (self->refs, reference_clear);
  self->ideal_base = 1;
  return self;
}

LabChart *
lab_chart_ref (LabChart *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
lab_chart_unref (LabChart *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->title);
  g_free (self->x_label);
  for (guint i = 0; i < LAB_CHART_MAX_PANELS; i++)
    g_free (self->panels[i].y_label);
  g_ptr_array_unref (self->groups);
  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->segments);
  g_array_unref (self->bars);
  g_array_unref (self->segvals);
  g_array_unref (self->points);
  g_array_unref (self->refs);
  g_free (self);
}

/* ---- building ---- */

static guint
intern_name (GPtrArray  *names,
             const char *name)
{
  if (name == NULL)
    name = "";
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return i;
  g_ptr_array_add (names, g_strdup (name));
  return names->len - 1;
}

void
lab_chart_set_axis_labels (LabChart   *self,
                           const char *x_label,
                           const char *y_label)
{
  g_return_if_fail (self != NULL);

  g_free (self->x_label);
  self->x_label = g_strdup (x_label != NULL ? x_label : "");
  g_free (self->panels[0].y_label);
  self->panels[0].y_label = g_strdup (y_label != NULL ? y_label : "");
}

static Bar *
ensure_bar (LabChart   *self,
            const char *group,
            const char *series)
{
  guint g = intern_name (self->groups, group);
  guint s = intern_name (self->series, series);
  Bar bar = { { 0 } };

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *b = &g_array_index (self->bars, Bar, i);

      if (b->pub.group == g && b->pub.series == s)
        return b;
    }
  bar.pub.group = g;
  bar.pub.series = s;
  bar.pub.min = NAN;
  bar.pub.max = NAN;
  g_array_append_val (self->bars, bar);
  return &g_array_index (self->bars, Bar, self->bars->len - 1);
}

void
lab_chart_add_bar (LabChart   *self,
                   const char *group,
                   const char *series,
                   double      value,
                   double      min,
                   double      max)
{
  Bar *bar;

  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (value));

  bar = ensure_bar (self, group, series);
  bar->pub.value = value;
  bar->pub.min = isfinite (min) ? min : NAN;
  bar->pub.max = isfinite (max) ? max : NAN;
  bar->has_value = TRUE;
}

void
lab_chart_add_bar_segment (LabChart   *self,
                           const char *group,
                           const char *series,
                           const char *segment,
                           double      value)
{
  Bar *bar;
  guint index, seg;
  SegmentValue sv;

  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (value));

  bar = ensure_bar (self, group, series);
  index = (guint) (bar - (Bar *) (gpointer) self->bars->data);
  seg = intern_name (self->segments, segment);
  if (!bar->has_value)
    bar->pub.value += value;

  for (guint i = 0; i < self->segvals->len; i++)
    {
      SegmentValue *old = &g_array_index (self->segvals, SegmentValue, i);

      if (old->bar == index && old->segment == seg)
        {
          if (!bar->has_value)
            bar->pub.value -= old->value;
          old->value = value;
          return;
        }
    }
  sv.bar = index;
  sv.segment = seg;
  sv.value = value;
  g_array_append_val (self->segvals, sv);
}

void
lab_chart_add_panel_point (LabChart   *self,
                           guint       panel,
                           const char *series,
                           double      x,
                           double      y,
                           double      y_min,
                           double      y_max)
{
  LabChartPoint point;

  g_return_if_fail (self != NULL);
  g_return_if_fail (panel < LAB_CHART_MAX_PANELS);
  g_return_if_fail (isfinite (x) && isfinite (y));

  point.series = intern_name (self->series, series);
  point.panel = panel;
  point.x = x;
  point.y = y;
  point.y_min = isfinite (y_min) ? y_min : NAN;
  point.y_max = isfinite (y_max) ? y_max : NAN;
  g_array_append_val (self->points, point);
  self->n_panels = MAX (self->n_panels, panel + 1);
}

void
lab_chart_add_point (LabChart   *self,
                     const char *series,
                     double      x,
                     double      y,
                     double      y_min,
                     double      y_max)
{
  lab_chart_add_panel_point (self, 0, series, x, y, y_min, y_max);
}

void
lab_chart_add_panel_reference (LabChart   *self,
                               guint       panel,
                               const char *label,
                               double      y)
{
  LabChartReference ref;

  g_return_if_fail (self != NULL);
  g_return_if_fail (panel < LAB_CHART_MAX_PANELS);
  g_return_if_fail (isfinite (y));

  ref.panel = panel;
  ref.label = g_strdup (label != NULL ? label : "");
  ref.y = y;
  g_array_append_val (self->refs, ref);
  self->n_panels = MAX (self->n_panels, panel + 1);
}

void
lab_chart_add_reference (LabChart   *self,
                         const char *label,
                         double      y)
{
  lab_chart_add_panel_reference (self, 0, label, y);
}

void
lab_chart_set_ideal_line (LabChart *self,
                          gboolean  ideal)
{
  g_return_if_fail (self != NULL);
  self->ideal = !!ideal;
}

void
lab_chart_set_ideal_base (LabChart *self,
                          double    base)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (isfinite (base) && base > 0);
  self->ideal_base = base;
}

void
lab_chart_set_panel (LabChart     *self,
                     guint         panel,
                     const char   *y_label,
                     LabChartUnit  unit)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (panel < LAB_CHART_MAX_PANELS);

  g_free (self->panels[panel].y_label);
  self->panels[panel].y_label = g_strdup (y_label != NULL ? y_label : "");
  self->panels[panel].unit = unit;
  self->n_panels = MAX (self->n_panels, panel + 1);
}

/* ---- reading ---- */

LabChartKind
lab_chart_get_kind (LabChart *self)
{
  g_return_val_if_fail (self != NULL, LAB_CHART_BARS);
  return self->kind;
}

const char *
lab_chart_get_title (LabChart *self)
{
  g_return_val_if_fail (self != NULL, "");
  return self->title;
}

const char *
lab_chart_get_x_label (LabChart *self)
{
  g_return_val_if_fail (self != NULL, "");
  return self->x_label;
}

guint
lab_chart_get_n_panels (LabChart *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->n_panels;
}

const char *
lab_chart_get_y_label (LabChart *self,
                       guint     panel)
{
  g_return_val_if_fail (self != NULL, "");
  g_return_val_if_fail (panel < LAB_CHART_MAX_PANELS, "");
  return self->panels[panel].y_label != NULL ? self->panels[panel].y_label : "";
}

LabChartUnit
lab_chart_get_unit (LabChart *self,
                    guint     panel)
{
  g_return_val_if_fail (self != NULL, LAB_CHART_UNIT_COUNT);
  g_return_val_if_fail (panel < LAB_CHART_MAX_PANELS, LAB_CHART_UNIT_COUNT);
  return self->panels[panel].unit;
}

#define NAME_GETTERS(what, array)                                  \
  guint                                                            \
  lab_chart_get_n_##what (LabChart *self)                          \
  {                                                                \
    g_return_val_if_fail (self != NULL, 0);                        \
    return self->array->len;                                       \
  }

NAME_GETTERS (groups, groups)
NAME_GETTERS (series, series)
NAME_GETTERS (segments, segments)

static const char *
name_at (GPtrArray *names,
         guint      index)
{
  g_return_val_if_fail (index < names->len, "");
  return g_ptr_array_index (names, index);
}

const char *
lab_chart_get_group (LabChart *self,
                     guint     index)
{
  g_return_val_if_fail (self != NULL, "");
  return name_at (self->groups, index);
}

const char *
lab_chart_get_series (LabChart *self,
                      guint     index)
{
  g_return_val_if_fail (self != NULL, "");
  return name_at (self->series, index);
}

const char *
lab_chart_get_segment (LabChart *self,
                       guint     index)
{
  g_return_val_if_fail (self != NULL, "");
  return name_at (self->segments, index);
}

guint
lab_chart_get_n_bars (LabChart *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bars->len;
}

gboolean
lab_chart_get_bar (LabChart    *self,
                   guint        index,
                   LabChartBar *bar)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bar != NULL, FALSE);

  if (index >= self->bars->len)
    return FALSE;
  *bar = g_array_index (self->bars, Bar, index).pub;
  return TRUE;
}

int
lab_chart_find_bar (LabChart *self,
                    guint     group,
                    guint     series)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *b = &g_array_index (self->bars, Bar, i);

      if (b->pub.group == group && b->pub.series == series)
        return (int) i;
    }
  return -1;
}

double
lab_chart_get_bar_segment (LabChart *self,
                           guint     index,
                           guint     segment)
{
  g_return_val_if_fail (self != NULL, NAN);

  for (guint i = 0; i < self->segvals->len; i++)
    {
      const SegmentValue *sv = &g_array_index (self->segvals, SegmentValue, i);

      if (sv->bar == index && sv->segment == segment)
        return sv->value;
    }
  return NAN;
}

const LabChartPoint *
lab_chart_get_points (LabChart *self,
                      guint    *n_points)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_points != NULL)
    *n_points = self->points->len;
  return (const LabChartPoint *) (gpointer) self->points->data;
}

const LabChartReference *
lab_chart_get_references (LabChart *self,
                          guint    *n_references)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_references != NULL)
    *n_references = self->refs->len;
  return (const LabChartReference *) (gpointer) self->refs->data;
}

gboolean
lab_chart_get_ideal_line (LabChart *self,
                          double   *base)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (base != NULL)
    *base = self->ideal_base;
  return self->ideal;
}

/* ---- formatting ---- */

char *
lab_chart_format_value (LabChartUnit unit,
                        double       value)
{
  double a = fabs (value);

  if (!isfinite (value))
    return g_strdup ("—");

  switch (unit)
    {
    case LAB_CHART_UNIT_SECONDS:
      if (a == 0)
        return g_strdup (_("0 s"));
      if (a < 1e-3)
        /* Translators: microseconds */
        return g_strdup_printf (_("%.0f µs"), value * 1e6);
      if (a < 0.1)
        /* Translators: milliseconds */
        return g_strdup_printf (_("%.1f ms"), value * 1e3);
      if (a < 1)
        return g_strdup_printf (_("%.0f ms"), value * 1e3);
      /* Translators: seconds */
      return g_strdup_printf (_("%.2f s"), value);

    case LAB_CHART_UNIT_RATIO:
      /* Translators: a speed-up, "1.93×" */
      return g_strdup_printf (_("%.*f×"), a < 10 ? 2 : a < 100 ? 1 : 0, value);

    case LAB_CHART_UNIT_PERCENT:
      /* Translators: a percentage, "96%" */
      return g_strdup_printf (_("%.0f%%"), value * 100);

    case LAB_CHART_UNIT_COUNT:
    default:
      if (value == floor (value) && a < 1e15)
        return g_strdup_printf ("%.0f", value);
      return g_strdup_printf ("%.3g", value);
    }
}

/* "%.*f" with the trailing zeros (and point) of the fraction removed. */
static char *
format_trimmed (double value,
                int    decimals)
{
  char *text = g_strdup_printf ("%.*f", decimals, value);
  char *end;

  if (decimals > 0)
    {
      end = text + strlen (text) - 1;
      while (end > text && *end == '0')
        *end-- = '\0';
      if (end > text && !g_ascii_isdigit (*end))
        *end = '\0';
    }
  if (strcmp (text, "-0") == 0)
    {
      g_free (text);
      text = g_strdup ("0");
    }
  return text;
}

static int
decimals_for (double step)
{
  if (!(step > 0) || step >= 1)
    return 0;
  return (int) MIN (ceil (-log10 (step) - 1e-9), 9);
}

char *
lab_chart_format_tick (LabChartUnit unit,
                       double       value,
                       double       step)
{
  g_autofree char *num = NULL;

  if (fabs (value) < step * 1e-6)
    value = 0;

  switch (unit)
    {
    case LAB_CHART_UNIT_SECONDS:
      if (step >= 0.2 - 1e-12)
        {
          num = format_trimmed (value, decimals_for (step));
          /* Translators: an axis tick in seconds; %s is the number */
          return g_strdup_printf (_("%s s"), num);
        }
      if (step >= 2e-4 - 1e-15)
        {
          num = format_trimmed (value * 1e3, decimals_for (step * 1e3));
          /* Translators: an axis tick in milliseconds; %s is the number */
          return g_strdup_printf (_("%s ms"), num);
        }
      num = format_trimmed (value * 1e6, decimals_for (step * 1e6));
      /* Translators: an axis tick in microseconds; %s is the number */
      return g_strdup_printf (_("%s µs"), num);

    case LAB_CHART_UNIT_RATIO:
      num = format_trimmed (value, decimals_for (step));
      /* Translators: an axis tick of a speed-up, "2×"; %s is the number */
      return g_strdup_printf (_("%s×"), num);

    case LAB_CHART_UNIT_PERCENT:
      num = format_trimmed (value * 100, decimals_for (step * 100));
      /* Translators: an axis tick in percent; %s is the number */
      return g_strdup_printf (_("%s%%"), num);

    case LAB_CHART_UNIT_COUNT:
    default:
      return format_trimmed (value, decimals_for (step));
    }
}

/* ---- serialising ---- */

static GVariant *
names_variant (GPtrArray *names)
{
  return g_variant_new_strv ((const char * const *) names->pdata, names->len);
}

static void
add_double_if_finite (GVariantDict *dict,
                      const char   *key,
                      double        value)
{
  if (isfinite (value))
    g_variant_dict_insert (dict, key, "d", value);
}

GVariant *
lab_chart_to_variant (LabChart *self)
{
  GVariantDict dict;
  GVariantBuilder bars, points, refs, panels;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "kind", "s", kind_nicks[self->kind]);
  g_variant_dict_insert (&dict, "title", "s", self->title);
  g_variant_dict_insert (&dict, "unit", "s", unit_nicks[self->panels[0].unit]);
  g_variant_dict_insert (&dict, "x_label", "s", self->x_label);
  g_variant_dict_insert (&dict, "y_label", "s", self->panels[0].y_label);

  if (self->kind == LAB_CHART_BARS || self->bars->len > 0)
    {
      g_variant_dict_insert_value (&dict, "groups", names_variant (self->groups));
      g_variant_dict_insert_value (&dict, "segments", names_variant (self->segments));
    }
  g_variant_dict_insert_value (&dict, "series", names_variant (self->series));

  g_variant_builder_init (&bars, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      GVariantDict b;
      GVariantBuilder segs;
      gboolean any = FALSE;

      g_variant_dict_init (&b, NULL);
      g_variant_dict_insert (&b, "group", "s", name_at (self->groups, bar->pub.group));
      g_variant_dict_insert (&b, "series", "s", name_at (self->series, bar->pub.series));
      g_variant_dict_insert (&b, "value", "d", bar->pub.value);
      add_double_if_finite (&b, "min", bar->pub.min);
      add_double_if_finite (&b, "max", bar->pub.max);
      g_variant_builder_init (&segs, G_VARIANT_TYPE ("a{sd}"));
      for (guint s = 0; s < self->segments->len; s++)
        {
          double v = lab_chart_get_bar_segment (self, i, s);

          if (isfinite (v))
            {
              g_variant_builder_add (&segs, "{sd}", name_at (self->segments, s), v);
              any = TRUE;
            }
        }
      if (any)
        g_variant_dict_insert_value (&b, "segments", g_variant_builder_end (&segs));
      else
        g_variant_builder_clear (&segs);
      g_variant_builder_add_value (&bars, g_variant_dict_end (&b));
    }
  if (self->bars->len > 0)
    g_variant_dict_insert_value (&dict, "bars", g_variant_builder_end (&bars));
  else
    g_variant_builder_clear (&bars);

  g_variant_builder_init (&points, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->points->len; i++)
    {
      const LabChartPoint *p = &g_array_index (self->points, LabChartPoint, i);
      GVariantDict d;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert (&d, "series", "s", name_at (self->series, p->series));
      if (p->panel > 0)
        g_variant_dict_insert (&d, "panel", "u", p->panel);
      g_variant_dict_insert (&d, "x", "d", p->x);
      g_variant_dict_insert (&d, "y", "d", p->y);
      add_double_if_finite (&d, "y_min", p->y_min);
      add_double_if_finite (&d, "y_max", p->y_max);
      g_variant_builder_add_value (&points, g_variant_dict_end (&d));
    }
  if (self->points->len > 0)
    g_variant_dict_insert_value (&dict, "points", g_variant_builder_end (&points));
  else
    g_variant_builder_clear (&points);

  g_variant_builder_init (&refs, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->refs->len; i++)
    {
      const LabChartReference *r = &g_array_index (self->refs, LabChartReference, i);
      GVariantDict d;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert (&d, "label", "s", r->label);
      g_variant_dict_insert (&d, "y", "d", r->y);
      if (r->panel > 0)
        g_variant_dict_insert (&d, "panel", "u", r->panel);
      g_variant_builder_add_value (&refs, g_variant_dict_end (&d));
    }
  if (self->refs->len > 0)
    g_variant_dict_insert_value (&dict, "references", g_variant_builder_end (&refs));
  else
    g_variant_builder_clear (&refs);

  if (self->n_panels > 1)
    {
      g_variant_builder_init (&panels, G_VARIANT_TYPE ("aa{sv}"));
      for (guint i = 1; i < self->n_panels; i++)
        {
          GVariantDict d;

          g_variant_dict_init (&d, NULL);
          g_variant_dict_insert (&d, "y_label", "s", lab_chart_get_y_label (self, i));
          g_variant_dict_insert (&d, "unit", "s", unit_nicks[self->panels[i].unit]);
          g_variant_builder_add_value (&panels, g_variant_dict_end (&d));
        }
      /* Panels after the first (the first is described by the top level). */
      g_variant_dict_insert_value (&dict, "panels", g_variant_builder_end (&panels));
    }

  if (self->ideal)
    {
      g_variant_dict_insert (&dict, "ideal", "b", TRUE);
      g_variant_dict_insert (&dict, "ideal_base", "d", self->ideal_base);
    }

  return g_variant_dict_end (&dict);
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
  g_autoptr(GVariant) bars = g_variant_dict_lookup_value (dict, "bars", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GVariant) points = g_variant_dict_lookup_value (dict, "points", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GVariant) refs = g_variant_dict_lookup_value (dict, "references", G_VARIANT_TYPE ("aa{sv}"));
  const char *names[] = { "groups", "series", "segments" };
  GPtrArray *arrays[] = { self->groups, self->series, self->segments };
  gsize n;

  /* The names first, so that their order survives. */
  for (guint a = 0; a < G_N_ELEMENTS (names); a++)
    {
      g_autofree const char **strv = NULL;

      if (g_variant_dict_lookup (dict, names[a], "^a&s", &strv))
        for (guint i = 0; strv[i] != NULL; i++)
          intern_name (arrays[a], strv[i]);
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

      if (!g_variant_dict_lookup (&p, "x", "d", &x) || !g_variant_dict_lookup (&p, "y", "d", &y) ||
          !isfinite (x) || !isfinite (y))
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

  panels = g_variant_dict_lookup_value (&dict, "panels", G_VARIANT_TYPE ("aa{sv}"));
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
