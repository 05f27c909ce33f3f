/* lab-chart.c — the data of a bar or line chart.
 *
 * A chart is built by one thread (an experiment's, or a sweep's on the main
 * thread) and then only read, so after the hand-over no lock is needed;
 * the reference count is atomic. Formatting is in lab-chart-format.c,
 * the a{sv} form in lab-chart-variant.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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

void
lab_chart_declare_groups (LabChart           *self,
                          const char * const *names)
{
  g_return_if_fail (self != NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    intern_name (self->groups, names[i]);
}

void
lab_chart_declare_series (LabChart           *self,
                          const char * const *names)
{
  g_return_if_fail (self != NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    intern_name (self->series, names[i]);
}

void
lab_chart_declare_segments (LabChart           *self,
                            const char * const *names)
{
  g_return_if_fail (self != NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    intern_name (self->segments, names[i]);
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
