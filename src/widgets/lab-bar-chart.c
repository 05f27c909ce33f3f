/* lab-bar-chart.c — the chart widget. Geometry comes from
 * LabBarChartLayout; the primitives become one cached render node (rebuilt
 * when the chart, the size or the theme changes), the hover outline is a
 * small layer on top, and tooltips come from the layout's hit-testing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-bar-chart.h"
#include "lab-bar-chart-layout.h"
#include "lab-prim-snapshot.h"

struct _LabBarChart
{
  GtkWidget          parent_instance;

  LabChart          *chart;
  gboolean           show_title;
  LabBarChartLayout *layout;
  LabBarChartStyle   style;
  double             text_scale; /* the style's font sizes, times this */

  /* The main layer and what it was built for. */
  LabPrimLayer       layer;
  int                cache_width;
  int                cache_height;
  gboolean           cache_dark;

  LabBarChartItem    hover;
  gboolean           has_hover;
};

enum {
  PROP_0,
  PROP_CHART,
  PROP_SHOW_TITLE,
  PROP_TEXT_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LabBarChart, lab_bar_chart, GTK_TYPE_WIDGET)

/* ---- drawing ---- */

static void
invalidate (LabBarChart *self)
{
  lab_prim_layer_invalidate (&self->layer);
  self->has_hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_layer (LabBarChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = lab_widget_is_dark (widget);
  guint n;
  const LabPrim *prims;

  if (self->layer.node != NULL && width == self->cache_width && height == self->cache_height &&
      dark == self->cache_dark)
    return;

  self->style.measure = lab_painter_measure_text;
  self->style.measure_data = lab_prim_layer_get_painter (&self->layer, widget);
  self->style.dark = dark;
  self->style.title_font_size = self->show_title ? 14 * self->text_scale : 0;

  lab_bar_chart_layout_compute (self->layout, self->chart, width, height, &self->style);
  prims = lab_bar_chart_layout_get_prims (self->layout, &n);
  lab_prim_layer_update (&self->layer, prims, n, NULL, width, height);
  self->cache_width = width;
  self->cache_height = height;
  self->cache_dark = dark;
}

static void
render_hover (LabBarChart *self,
              GtkSnapshot *snapshot)
{
  const LabPalette *pal = lab_bar_chart_layout_get_palette (self->layout);
  const LabBarChartItem *h = &self->hover;
  GdkRGBA c = lab_color_to_rgba (&pal->hover);
  double pad = h->kind == LAB_BAR_CHART_ITEM_POINT ? 3 : 2;
  double radius = h->kind == LAB_BAR_CHART_ITEM_POINT ? h->width / 2 + pad : 3;

  lab_snapshot_outline (snapshot, h->x - pad, h->y - pad, h->width + 2 * pad,
                        h->height + 2 * pad, radius, &c);
}

static void
lab_bar_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabBarChart *self = LAB_BAR_CHART (widget);

  ensure_layer (self);
  lab_prim_layer_snapshot (&self->layer, snapshot);
  if (self->has_hover)
    render_hover (self, snapshot);
}

/* Theme (dark or light) or font changed. */
static void
lab_bar_chart_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (lab_bar_chart_parent_class)->css_changed (widget, change);
  invalidate (LAB_BAR_CHART (widget));
}

static void
lab_bar_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  LabBarChart *self = LAB_BAR_CHART (widget);
  gboolean two_panels = self->chart != NULL && lab_chart_get_kind (self->chart) == LAB_CHART_LINES &&
                        lab_chart_get_n_panels (self->chart) > 1;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 260;
      *natural = 520;
    }
  else
    {
      *minimum = two_panels ? 300 : 200;
      /* Larger text asks for more room, so the plot does not shrink. */
      *natural = (int) ((two_panels ? 420 : 300) * MAX (self->text_scale, 1.0));
    }
}

/* ---- hover and tooltips ---- */

static void
set_hover (LabBarChart           *self,
           const LabBarChartItem *hit)
{
  if (hit == NULL)
    {
      if (self->has_hover)
        {
          self->has_hover = FALSE;
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      return;
    }
  if (self->has_hover && self->hover.kind == hit->kind && self->hover.index == hit->index &&
      self->hover.segment == hit->segment)
    return;
  self->hover = *hit;
  self->has_hover = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           LabBarChart              *self)
{
  LabBarChartItem hit;

  if (self->layer.node != NULL && lab_bar_chart_layout_hit_test (self->layout, x, y, &hit))
    set_hover (self, &hit);
  else
    set_hover (self, NULL);
}

static void
on_leave (GtkEventControllerMotion *motion,
          LabBarChart              *self)
{
  set_hover (self, NULL);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  LabBarChart *self = LAB_BAR_CHART (widget);
  LabBarChartItem hit;
  g_autofree char *text = NULL;

  if (keyboard || self->layer.node == NULL || !lab_bar_chart_layout_hit_test (self->layout, x, y, &hit))
    return FALSE;

  text = lab_bar_chart_hit_describe (self->layout, &hit);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { (int) floor (hit.x), (int) floor (hit.y),
                                                       (int) ceil (MAX (hit.width, 1)),
                                                       (int) ceil (MAX (hit.height, 1)) });
  return TRUE;
}

/* ---- public API ---- */

GtkWidget *
lab_bar_chart_new (void)
{
  return g_object_new (LAB_TYPE_BAR_CHART, NULL);
}

void
lab_bar_chart_set_chart (LabBarChart *self,
                         LabChart    *chart)
{
  const char *title;

  g_return_if_fail (LAB_IS_BAR_CHART (self));

  if (chart == self->chart)
    return;

  if (chart != NULL)
    lab_chart_ref (chart);
  g_clear_pointer (&self->chart, lab_chart_unref);
  self->chart = chart;

  title = chart != NULL ? lab_chart_get_title (chart) : "";
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  title[0] != '\0' ? title : _("No data yet"),
                                  -1);
  invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}

LabChart *
lab_bar_chart_get_chart (LabBarChart *self)
{
  g_return_val_if_fail (LAB_IS_BAR_CHART (self), NULL);
  return self->chart;
}

void
lab_bar_chart_set_show_title (LabBarChart *self,
                              gboolean     show_title)
{
  g_return_if_fail (LAB_IS_BAR_CHART (self));

  show_title = !!show_title;
  if (show_title == self->show_title)
    return;
  self->show_title = show_title;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TITLE]);
}

gboolean
lab_bar_chart_get_show_title (LabBarChart *self)
{
  g_return_val_if_fail (LAB_IS_BAR_CHART (self), FALSE);
  return self->show_title;
}

/* The labels' sizes, 1.0 being the normal size (a projector wants more). */
void
lab_bar_chart_set_text_scale (LabBarChart *self,
                              double       scale)
{
  LabBarChartStyle defaults;

  g_return_if_fail (LAB_IS_BAR_CHART (self));

  scale = CLAMP (scale, LAB_BAR_CHART_MIN_TEXT_SCALE, LAB_BAR_CHART_MAX_TEXT_SCALE);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  lab_bar_chart_style_init (&defaults, FALSE);
  self->style.font_size = defaults.font_size * scale;
  self->style.small_font_size = defaults.small_font_size * scale;
  invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SCALE]);
}

double
lab_bar_chart_get_text_scale (LabBarChart *self)
{
  g_return_val_if_fail (LAB_IS_BAR_CHART (self), 1.0);
  return self->text_scale;
}

/* ---- GObject ---- */

static void
lab_bar_chart_dispose (GObject *object)
{
  LabBarChart *self = LAB_BAR_CHART (object);

  lab_prim_layer_invalidate (&self->layer);
  g_clear_pointer (&self->chart, lab_chart_unref);

  G_OBJECT_CLASS (lab_bar_chart_parent_class)->dispose (object);
}

static void
lab_bar_chart_finalize (GObject *object)
{
  LabBarChart *self = LAB_BAR_CHART (object);

  lab_bar_chart_layout_free (self->layout);
  lab_prim_layer_clear (&self->layer);

  G_OBJECT_CLASS (lab_bar_chart_parent_class)->finalize (object);
}

static void
lab_bar_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabBarChart *self = LAB_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_boxed (value, self->chart);
      break;
    case PROP_SHOW_TITLE:
      g_value_set_boolean (value, self->show_title);
      break;
    case PROP_TEXT_SCALE:
      g_value_set_double (value, self->text_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_bar_chart_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabBarChart *self = LAB_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_CHART:
      lab_bar_chart_set_chart (self, g_value_get_boxed (value));
      break;
    case PROP_SHOW_TITLE:
      lab_bar_chart_set_show_title (self, g_value_get_boolean (value));
      break;
    case PROP_TEXT_SCALE:
      lab_bar_chart_set_text_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_bar_chart_class_init (LabBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_bar_chart_dispose;
  object_class->finalize = lab_bar_chart_finalize;
  object_class->get_property = lab_bar_chart_get_property;
  object_class->set_property = lab_bar_chart_set_property;

  widget_class->snapshot = lab_bar_chart_snapshot;
  widget_class->measure = lab_bar_chart_measure;
  widget_class->css_changed = lab_bar_chart_css_changed;

  properties[PROP_CHART] =
    g_param_spec_boxed ("chart", NULL, NULL, LAB_TYPE_CHART,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_TITLE] =
    g_param_spec_boolean ("show-title", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT_SCALE] =
    g_param_spec_double ("text-scale", NULL, NULL,
                         LAB_BAR_CHART_MIN_TEXT_SCALE, LAB_BAR_CHART_MAX_TEXT_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "labbarchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_bar_chart_init (LabBarChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;

  self->layout = lab_bar_chart_layout_new ();
  self->show_title = TRUE;
  self->text_scale = 1.0;
  lab_bar_chart_style_init (&self->style, FALSE);

  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No data yet"),
                                  -1);
}
