/* test-bar-chart-layout.c — the chart model and its geometry, without a
 * display: exact positions for known charts at a known size, with a text
 * measure that is exactly (characters × size / 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lab-bar-chart-layout.h"
#include "lab-experiments.h"
#include "lab-paint.h"
#include "lab-runner.h"

#define EPS 1e-6

static double
test_measure (const char *text,
              double      size,
              gboolean    bold,
              gpointer    data)
{
  return g_utf8_strlen (text, -1) * size * 0.5;
}

static void
test_style (LabBarChartStyle *st,
            gboolean          dark)
{
  lab_bar_chart_style_init (st, dark);
  st->font_size = 13;
  st->small_font_size = 11;
  st->title_font_size = 0;
  st->padding = 12;
  st->bar_max_width = 64;
  st->bar_gap = 6;
  st->group_fill = 0.7;
  st->min_tick_spacing = 36;
  st->point_radius = 4.5;
  st->line_width = 2;
  st->panel_gap = 18;
  st->lower_panel_share = 0.36;
  st->measure = test_measure;
}

static gboolean
color_equal (const LabColor *a,
             const LabColor *b)
{
  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

static const LabPrim *
find_text (LabBarChartLayout *layout,
           const char        *text)
{
  guint n;
  const LabPrim *prims = lab_bar_chart_layout_get_prims (layout, &n);

  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_TEXT && strcmp (prims[i].text, text) == 0)
      return &prims[i];
  return NULL;
}

static const LabBarChartItem *
find_item (LabBarChartLayout   *layout,
           LabBarChartItemKind  kind,
           guint                index,
           guint                segment)
{
  guint n;
  const LabBarChartItem *items = lab_bar_chart_layout_get_items (layout, &n);

  for (guint i = 0; i < n; i++)
    if (items[i].kind == kind && items[i].index == index &&
        (kind != LAB_BAR_CHART_ITEM_SEGMENT || items[i].segment == segment))
      return &items[i];
  return NULL;
}

/* The lecture's sum: one and two threads, GIL on and off. */
static LabChart *
make_bars (void)
{
  LabChart *chart = lab_chart_new (LAB_CHART_BARS, "Sum", LAB_CHART_UNIT_SECONDS);

  lab_chart_set_axis_labels (chart, NULL, "Time");
  lab_chart_add_bar (chart, "One thread", "GIL on", 0.229, 0.221, 0.240);
  lab_chart_add_bar (chart, "Two threads", "GIL on", 0.218, 0.210, 0.251);
  lab_chart_add_bar (chart, "One thread", "GIL off", 0.225, NAN, NAN);
  lab_chart_add_bar (chart, "Two threads", "GIL off", 0.117, 0.112, 0.125);
  return chart;
}

/* ---- the model ---- */

static void
test_model (void)
{
  g_autoptr(LabChart) chart = make_bars ();
  g_autoptr(LabChart) copy = NULL;
  g_autoptr(LabChart) stacked = lab_chart_new (LAB_CHART_BARS, NULL, LAB_CHART_UNIT_SECONDS);
  g_autoptr(LabChart) ordered = lab_chart_new (LAB_CHART_BARS, NULL, LAB_CHART_UNIT_SECONDS);
  g_autoptr(GVariant) v1 = NULL;
  g_autoptr(GVariant) v2 = NULL;
  g_autoptr(GVariant) bars = NULL;
  g_autoptr(GVariant) third = NULL;
  g_autoptr(GVariant) not_a_dict = g_variant_ref_sink (g_variant_new_string ("x"));
  g_autoptr(GError) error = NULL;
  LabChartBar bar;

  g_assert_cmpuint (lab_chart_get_n_groups (chart), ==, 2);
  g_assert_cmpstr (lab_chart_get_group (chart, 1), ==, "Two threads");
  g_assert_cmpuint (lab_chart_get_n_series (chart), ==, 2);
  g_assert_cmpstr (lab_chart_get_series (chart, 1), ==, "GIL off");
  g_assert_cmpuint (lab_chart_get_n_bars (chart), ==, 4);
  g_assert_cmpint (lab_chart_find_bar (chart, 0, 1), ==, 2);
  g_assert_cmpint (lab_chart_find_bar (chart, 5, 1), ==, -1);
  g_assert_true (lab_chart_get_bar (chart, 1, &bar));
  g_assert_cmpuint (bar.group, ==, 1);
  g_assert_cmpfloat (bar.max, ==, 0.251);
  g_assert_true (lab_chart_get_bar (chart, 2, &bar));
  g_assert_true (isnan (bar.min) && isnan (bar.max));
  g_assert_false (lab_chart_get_bar (chart, 4, &bar));
  g_assert_true (lab_chart_ref (chart) == chart);
  lab_chart_unref (chart);

  /* Segments alone make the bar their sum; set again, one is replaced. */
  lab_chart_add_bar_segment (stacked, "pool", NULL, "spawn", 0.1);
  lab_chart_add_bar_segment (stacked, "pool", NULL, "compute", 0.3);
  lab_chart_add_bar_segment (stacked, "pool", NULL, "spawn", 0.2);
  g_assert_true (lab_chart_get_bar (stacked, 0, &bar));
  g_assert_cmpfloat_with_epsilon (bar.value, 0.5, EPS);
  g_assert_cmpfloat (lab_chart_get_bar_segment (stacked, 0, 0), ==, 0.2);
  g_assert_true (isnan (lab_chart_get_bar_segment (stacked, 0, 7)));
  g_assert_cmpstr (lab_chart_get_series (stacked, 0), ==, "");

  /* Declared names keep their order whatever comes first. */
  lab_chart_declare_segments (ordered, (const char *[]) { "spawn", "transfer", "compute", NULL });
  lab_chart_add_bar_segment (ordered, "sequential", NULL, "compute", 0.9);
  g_assert_cmpuint (lab_chart_get_n_segments (ordered), ==, 3);
  g_assert_cmpstr (lab_chart_get_segment (ordered, 2), ==, "compute");
  g_assert_cmpfloat (lab_chart_get_bar_segment (ordered, 0, 2), ==, 0.9);

  /* The a{sv} form survives a round trip; missing whiskers are left out. */
  v1 = g_variant_ref_sink (lab_chart_to_variant (chart));
  bars = g_variant_lookup_value (v1, "bars", G_VARIANT_TYPE ("aa{sv}"));
  third = g_variant_get_child_value (bars, 2);
  g_assert_false (g_variant_lookup (third, "min", "d", NULL));
  copy = lab_chart_new_from_variant (v1, &error);
  g_assert_no_error (error);
  v2 = g_variant_ref_sink (lab_chart_to_variant (copy));
  g_assert_true (g_variant_equal (v1, v2));

  g_assert_null (lab_chart_new_from_variant (not_a_dict, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_format (void)
{
  static const struct { LabChartUnit unit; double value; const char *text; } values[] = {
    { LAB_CHART_UNIT_SECONDS, 0.105, "105 ms" },
    { LAB_CHART_UNIT_SECONDS, 0.0125, "12.5 ms" },
    { LAB_CHART_UNIT_SECONDS, 1.5, "1.50 s" },
    { LAB_CHART_UNIT_SECONDS, 0.00004, "40 µs" },
    { LAB_CHART_UNIT_RATIO, 1.93, "1.93×" },
    { LAB_CHART_UNIT_RATIO, 12.4, "12.4×" },
    { LAB_CHART_UNIT_PERCENT, 0.96, "96%" },
    { LAB_CHART_UNIT_COUNT, 7, "7" },
  };
  static const struct { LabChartUnit unit; double value, step; const char *text; } ticks[] = {
    { LAB_CHART_UNIT_SECONDS, 0, 0.05, "0 ms" },
    { LAB_CHART_UNIT_SECONDS, 0.15, 0.05, "150 ms" },
    { LAB_CHART_UNIT_SECONDS, 1.5, 0.5, "1.5 s" },
    { LAB_CHART_UNIT_SECONDS, 2, 0.5, "2 s" },
    { LAB_CHART_UNIT_SECONDS, 0.0001, 0.00005, "100 µs" },
    { LAB_CHART_UNIT_RATIO, 2, 1, "2×" },
    { LAB_CHART_UNIT_RATIO, 0.5, 0.5, "0.5×" },
    { LAB_CHART_UNIT_PERCENT, 0.5, 0.5, "50%" },
    { LAB_CHART_UNIT_COUNT, 2000, 1000, "2000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = lab_chart_format_value (values[i].unit, values[i].value);
      g_assert_cmpstr (text, ==, values[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      g_autofree char *text = lab_chart_format_tick (ticks[i].unit, ticks[i].value, ticks[i].step);
      g_assert_cmpstr (text, ==, ticks[i].text);
    }
}

static void
test_nice_step (void)
{
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (0.251, 8), 0.05, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (4, 5), 1, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (1, 2), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (8, 6), 2, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (100, 10), 10, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (3.7, 6), 1, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (0.9, 3), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (lab_chart_nice_step (1234, 5), 500, EPS);
  g_assert_cmpfloat (lab_chart_nice_step (0, 5), ==, 1);
}

/* The y ticks of a one-bar chart of @value (seconds) at @height. */
static char *
ticks_for (double value,
           double height)
{
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_BARS, NULL, LAB_CHART_UNIT_SECONDS);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  GString *out = g_string_new (NULL);
  const LabBarChartTick *ticks;
  guint n;

  test_style (&st, FALSE);
  lab_chart_add_bar (chart, "a", NULL, value, NAN, NAN);
  lab_bar_chart_layout_compute (layout, chart, 400, height, &st);
  ticks = lab_bar_chart_layout_get_y_ticks (layout, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", ticks[i].label);
  lab_bar_chart_layout_free (layout);
  return g_string_free (out, FALSE);
}

static void
test_ticks (void)
{
  g_autofree char *a = ticks_for (0.9, 300);
  g_autofree char *b = ticks_for (0.9, 120);
  g_autofree char *c = ticks_for (0.0123, 300);
  g_autofree char *d = ticks_for (7.5, 300);

  /* 0-based, rounded up to a 1-2-5 step, as many as fit 36 px apart. */
  g_assert_cmpstr (a, ==, "0 s|0.2 s|0.4 s|0.6 s|0.8 s|1 s");
  g_assert_cmpstr (b, ==, "0 s|0.5 s|1 s");
  g_assert_cmpstr (c, ==, "0 ms|5 ms|10 ms|15 ms");
  g_assert_cmpstr (d, ==, "0 s|2 s|4 s|6 s|8 s");
}

/* ---- bars ---- */

static void
test_bars (void)
{
  g_autoptr(LabChart) chart = make_bars ();
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabBarChartTick *ticks;
  const LabLegendEntry *legend;
  const LabBarChartItem *item;
  LabBarChartItem hit;
  double x, y, w, h, min, max, step;
  g_autofree char *tip = NULL;
  guint n;
  /* Bars: index, left edge, value, whisker (NAN: none). */
  static const struct { guint index; double x, value, lo, hi; } expect[] = {
    { 0, 119.75, 0.229, 0.221, 0.240 },
    { 2, 189.75, 0.225, NAN, NAN },
    { 1, 387.25, 0.218, 0.210, 0.251 },
    { 3, 457.25, 0.117, 0.112, 0.125 },
  };

  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, chart, 600, 400, &st);

  /* Legend row 12..33 (+4), the "Time" line (17), head room (17) above
   * the plot; below it group names (20 + 4) and the padding; left of it
   * the widest tick ("100 ms": 33 px) and 8 px. */
  g_assert_true (lab_bar_chart_layout_get_plot_area (layout, 0, &x, &y, &w, &h));
  g_assert_cmpfloat (x, ==, 53);
  g_assert_cmpfloat (y, ==, 71);
  g_assert_cmpfloat (w, ==, 535);
  g_assert_cmpfloat (h, ==, 293);
  g_assert_false (lab_bar_chart_layout_get_plot_area (layout, 1, NULL, NULL, NULL, NULL));

  g_assert_true (lab_bar_chart_layout_get_y_range (layout, 0, &min, &max, &step));
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat_with_epsilon (max, 0.3, EPS);
  g_assert_cmpfloat_with_epsilon (step, 0.05, EPS);
  ticks = lab_bar_chart_layout_get_y_ticks (layout, &n);
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpstr (ticks[0].label, ==, "0 ms");
  g_assert_cmpfloat_with_epsilon (ticks[0].pos, 364, EPS);
  g_assert_cmpstr (ticks[6].label, ==, "300 ms");
  g_assert_cmpfloat_with_epsilon (ticks[6].pos, 71, EPS);

  /* Group width 267.5; slots of 70 (64 + 6 apart), centred in the group. */
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      double bar_h = 293 * expect[i].value / 0.3;
      g_autofree char *label = lab_chart_format_value (LAB_CHART_UNIT_SECONDS, expect[i].value);
      const LabPrim *text;

      item = find_item (layout, LAB_BAR_CHART_ITEM_BAR, expect[i].index, 0);
      g_assert_nonnull (item);
      g_assert_cmpfloat_with_epsilon (item->x, expect[i].x, EPS);
      g_assert_cmpfloat_with_epsilon (item->width, 64, EPS);
      g_assert_cmpfloat_with_epsilon (item->height, bar_h, EPS);
      g_assert_cmpfloat_with_epsilon (item->y, 364 - bar_h, EPS);
      if (isnan (expect[i].lo))
        g_assert_true (isnan (item->whisker_top));
      else
        {
          g_assert_cmpfloat_with_epsilon (item->whisker_top, 71 + 293 * (0.3 - expect[i].hi) / 0.3, EPS);
          g_assert_cmpfloat_with_epsilon (item->whisker_bottom, 71 + 293 * (0.3 - expect[i].lo) / 0.3, EPS);
        }
      /* The value label sits centred above the bar or its whisker. */
      text = find_text (layout, label);
      g_assert_nonnull (text);
      g_assert_cmpfloat_with_epsilon (text->x + text->w / 2, expect[i].x + 32, EPS);
      g_assert_cmpfloat (text->y + text->h, <=,
                         isnan (expect[i].lo) ? item->y : item->whisker_top);
    }
  g_assert_nonnull (find_text (layout, "One thread"));
  g_assert_nonnull (find_text (layout, "Time"));

  legend = lab_bar_chart_layout_get_legend (layout, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (legend[0].kind, ==, LAB_LEGEND_SWATCH);
  g_assert_cmpstr (legend[0].label, ==, "GIL on");
  g_assert_cmpstr (legend[1].label, ==, "GIL off");
  g_assert_true (color_equal (&legend[1].color, lab_palette_series (lab_palette_get (FALSE), 1)));

  /* Anywhere in the bar's column is the bar; between groups, nothing. */
  g_assert_true (lab_bar_chart_layout_hit_test (layout, 120 + 32, 300, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_BAR_CHART_ITEM_BAR);
  g_assert_cmpuint (hit.index, ==, 0);
  g_assert_true (lab_bar_chart_layout_hit_test (layout, 420, 80, &hit));
  g_assert_cmpuint (hit.index, ==, 1);
  g_assert_false (lab_bar_chart_layout_hit_test (layout, 320, 300, &hit));
  g_assert_false (lab_bar_chart_layout_hit_test (layout, 420, 390, &hit));
  g_assert_true (lab_bar_chart_layout_hit_test (layout, 390, 300, &hit));
  tip = lab_bar_chart_hit_describe (layout, &hit);
  g_assert_cmpstr (tip, ==, "Two threads · GIL on\n218 ms\nRange: 210 ms – 251 ms");

  lab_bar_chart_layout_free (layout);
}

static void
test_stacked (void)
{
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_BARS, "Parts", LAB_CHART_UNIT_SECONDS);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabLegendEntry *legend;
  const LabBarChartItem *bar;
  LabBarChartItem hit;
  g_autofree char *tip = NULL;
  double sum = 0, top;
  guint n;

  lab_chart_add_bar_segment (chart, "data sent", NULL, "spawn", 0.1);
  lab_chart_add_bar_segment (chart, "data sent", NULL, "transfer", 0.5);
  lab_chart_add_bar_segment (chart, "data sent", NULL, "compute", 0.3);
  lab_chart_add_bar_segment (chart, "count sent", NULL, "spawn", 0.1);
  lab_chart_add_bar_segment (chart, "count sent", NULL, "compute", 0.25);

  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, chart, 500, 360, &st);

  /* Stacked bottom up, in segment order, touching, summing to the bar. */
  bar = find_item (layout, LAB_BAR_CHART_ITEM_BAR, 0, 0);
  g_assert_nonnull (bar);
  top = bar->y + bar->height;
  for (guint s = 0; s < 3; s++)
    {
      const LabBarChartItem *seg = find_item (layout, LAB_BAR_CHART_ITEM_SEGMENT, 0, s);

      g_assert_nonnull (seg);
      g_assert_cmpfloat_with_epsilon (seg->y + seg->height, top, EPS);
      g_assert_cmpfloat_with_epsilon (seg->x, bar->x, EPS);
      top = seg->y;
      sum += seg->height;
    }
  g_assert_cmpfloat_with_epsilon (sum, bar->height, EPS);
  g_assert_cmpfloat_with_epsilon (top, bar->y, EPS);
  /* The second bar has no transfer. */
  g_assert_null (find_item (layout, LAB_BAR_CHART_ITEM_SEGMENT, 1, 1));
  g_assert_nonnull (find_text (layout, "900 ms"));

  legend = lab_bar_chart_layout_get_legend (layout, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (legend[1].label, ==, "transfer");
  g_assert_true (color_equal (&legend[2].color, lab_palette_series (lab_palette_get (FALSE), 2)));

  bar = find_item (layout, LAB_BAR_CHART_ITEM_SEGMENT, 0, 1);
  g_assert_true (lab_bar_chart_layout_hit_test (layout, bar->x + 5, bar->y + 5, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_BAR_CHART_ITEM_SEGMENT);
  g_assert_cmpuint (hit.segment, ==, 1);
  tip = lab_bar_chart_hit_describe (layout, &hit);
  g_assert_cmpstr (tip, ==, "data sent\ntransfer: 500 ms (56% of the bar)");

  lab_bar_chart_layout_free (layout);
}

static void
test_reference (void)
{
  g_autoptr(LabChart) chart = make_bars ();
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabPrim *prims, *label;
  gboolean found = FALSE;
  double y;
  guint n;

  lab_chart_add_reference (chart, "sequential", 0.229);
  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, chart, 600, 400, &st);

  y = lab_bar_chart_layout_value_to_y (layout, 0, 0.229);
  g_assert_cmpfloat_with_epsilon (y, 71 + 293 * (0.3 - 0.229) / 0.3, EPS);
  prims = lab_bar_chart_layout_get_prims (layout, &n);
  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_LINE && (prims[i].flags & LAB_PRIM_FLAG_DASHED))
      {
        g_assert_cmpfloat_with_epsilon (prims[i].y, y, EPS);
        g_assert_cmpfloat (prims[i].h, ==, 0);
        g_assert_cmpfloat (prims[i].x, ==, 53);
        g_assert_cmpfloat (prims[i].w, ==, 535);
        found = TRUE;
      }
  g_assert_true (found);
  label = find_text (layout, "sequential (229 ms)");
  g_assert_nonnull (label);
  g_assert_cmpfloat_with_epsilon (label->y + label->h, y - 1, EPS);
  g_assert_true (label->flags & LAB_PRIM_FLAG_ALIGN_RIGHT);

  lab_bar_chart_layout_free (layout);
}

static LabChart *make_lines (double base);

/* ---- no label on another ---- */

typedef struct
{
  double x, y, w, h;
  const char *text;
} Box;

/* The box a text prim's words take: measured, aligned in the prim's box. */
static Box
text_box (const LabBarChartStyle *st,
          const LabPrim          *p)
{
  double tw = MIN (st->measure (p->text, p->size, FALSE, st->measure_data), p->w);
  Box b = { p->x, p->y, tw, p->h, p->text };

  if (p->flags & LAB_PRIM_FLAG_ALIGN_CENTER)
    b.x = p->x + (p->w - tw) / 2;
  else if (p->flags & LAB_PRIM_FLAG_ALIGN_RIGHT)
    b.x = p->x + p->w - tw;
  return b;
}

static gboolean
boxes_overlap (const Box *a,
               const Box *b)
{
  /* A pixel of touching is not a collision. */
  return a->x + a->w > b->x + 1 && b->x + b->w > a->x + 1 &&
         a->y + a->h > b->y + 1 && b->y + b->h > a->y + 1;
}

/* No two texts of the layout on each other, none over a bar, and none
 * cut short (a group name "pool, sent th…"). */
static void
assert_labels_apart (LabBarChartLayout      *layout,
                     const LabBarChartStyle *st,
                     const char             *what)
{
  guint n, n_items;
  const LabPrim *prims = lab_bar_chart_layout_get_prims (layout, &n);
  const LabBarChartItem *items = lab_bar_chart_layout_get_items (layout, &n_items);

  for (guint i = 0; i < n; i++)
    {
      Box a;

      if (prims[i].kind != LAB_PRIM_TEXT)
        continue;
      a = text_box (st, &prims[i]);
      if (st->measure (a.text, prims[i].size, FALSE, st->measure_data) > prims[i].w + 0.5)
        g_error ("%s: \"%s\" is cut (%.0f px in %.0f)", what, a.text,
                 st->measure (a.text, prims[i].size, FALSE, st->measure_data), prims[i].w);
      for (guint j = i + 1; j < n; j++)
        {
          Box b;

          if (prims[j].kind != LAB_PRIM_TEXT)
            continue;
          b = text_box (st, &prims[j]);
          if (boxes_overlap (&a, &b))
            g_error ("%s: \"%s\" and \"%s\" overlap", what, a.text, b.text);
        }
      for (guint j = 0; j < n_items; j++)
        {
          Box b = { items[j].x, items[j].y, items[j].width, items[j].height, "a bar" };

          if (boxes_overlap (&a, &b))
            g_error ("%s: \"%s\" is on a bar", what, a.text);
        }
    }
}

/* The charts of threads-io-fetch and process-sum with values that put
 * their labels on each other; each at a narrow and a wide size. */
static void
test_labels_apart (void)
{
  g_autoptr(LabChart) fetch = lab_chart_new (LAB_CHART_BARS, "Time to fetch every URL",
                                             LAB_CHART_UNIT_SECONDS);
  g_autoptr(LabChart) psum = lab_chart_new (LAB_CHART_BARS, "Summing 2000000 numbers",
                                            LAB_CHART_UNIT_SECONDS);
  g_autoptr(LabChart) sweep = make_lines (1);
  g_autoptr(LabChart) dense = lab_chart_new (LAB_CHART_LINES, "Speed-up and efficiency",
                                             LAB_CHART_UNIT_RATIO);
  g_autoptr(LabChart) compared = lab_chart_new (LAB_CHART_LINES, "Speed-up and efficiency",
                                                LAB_CHART_UNIT_RATIO);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  static const double widths[] = { 360, 600, 900 };
  LabBarChartStyle st;

  lab_chart_set_axis_labels (fetch, NULL, "Wall time");
  lab_chart_add_bar (fetch, "One after another", NULL, 5.4, NAN, NAN);
  lab_chart_add_bar (fetch, "6 threads", NULL, 0.902, NAN, NAN);
  lab_chart_add_reference (fetch, "Slowest request", 0.901);

  lab_chart_set_axis_labels (psum, NULL, "time (median)");
  lab_chart_add_bar (psum, "pool, sent the numbers", NULL, 0.30, 0.28, 0.33);
  lab_chart_add_bar (psum, "pool, sent ranges", NULL, 0.12, 0.11, 0.13);
  lab_chart_add_bar (psum, "start-up", NULL, 0.05, 0.05, 0.05);
  lab_chart_add_reference (psum, "sum_n in one process", 0.10);

  /* A sweep of 1..12 threads with the GIL off (rising), then one with
   * the GIL on (flat) compared to it. */
  lab_chart_set_axis_labels (dense, "Threads", "Speed-up");
  lab_chart_set_panel (dense, 1, "Efficiency", LAB_CHART_UNIT_PERCENT);
  lab_chart_set_ideal_line (dense, TRUE);
  lab_chart_add_panel_reference (dense, 1, "ideal", 1.0);
  for (guint i = 1; i <= 12; i++)
    {
      lab_chart_add_point (dense, NULL, i, 0.93 * i, NAN, NAN);
      lab_chart_add_panel_point (dense, 1, NULL, i, 0.93, NAN, NAN);
    }
  lab_chart_set_axis_labels (compared, "Threads", "Speed-up");
  lab_chart_set_panel (compared, 1, "Efficiency", LAB_CHART_UNIT_PERCENT);
  lab_chart_set_ideal_line (compared, TRUE);
  lab_chart_add_panel_reference (compared, 1, "ideal", 1.0);
  for (guint i = 1; i <= 8; i++)
    {
      double on = 1 + 0.02 * (i % 3), off = 0.95 * i;

      lab_chart_add_point (compared, "GIL on", i, on, NAN, NAN);
      lab_chart_add_point (compared, "GIL off", i, off, NAN, NAN);
      lab_chart_add_panel_point (compared, 1, "GIL on", i, on / i, NAN, NAN);
      lab_chart_add_panel_point (compared, 1, "GIL off", i, off / i, NAN, NAN);
    }

  test_style (&st, FALSE);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      lab_bar_chart_layout_compute (layout, dense, widths[w], 420, &st);
      assert_labels_apart (layout, &st, "a sweep of 12 points");
      lab_bar_chart_layout_compute (layout, compared, widths[w], 420, &st);
      assert_labels_apart (layout, &st, "a sweep with and without the GIL");
      lab_bar_chart_layout_compute (layout, fetch, widths[w], 300, &st);
      assert_labels_apart (layout, &st, "threads-io-fetch");
      lab_bar_chart_layout_compute (layout, psum, widths[w], 300, &st);
      assert_labels_apart (layout, &st, "process-sum");
      lab_bar_chart_layout_compute (layout, sweep, widths[w], 420, &st);
      assert_labels_apart (layout, &st, "a sweep");
    }
  lab_bar_chart_layout_free (layout);
}

/* Every experiment's own chart, from a small real run, laid out with real
 * fonts at the widths the window gives it (1024 and 1920 px windows) and
 * an exported slide's. */
static void
test_every_chart_labels_apart (void)
{
  static const struct
  {
    const char *id;
    const char *assignments[4];
  } cases[] = {
    { "threads-cpu-sum", { "threads=2", "size=1000", "repeat=1", NULL } },
    { "threads-io-fetch", { "pages=2", "delay_ms=10", "mode=threads", NULL } },
    { "process-pool-map", { "processes=2", "items=4", "task_ms=0", NULL } },
    { "process-sum", { "processes=2", "size=20000", "repeat=1", NULL } },
    { "producer-consumer", { "items=2", "consumers=2", "time_scale=0.01", NULL } },
  };
  static const double widths[] = { 420, 600, 900, 1200 };
  LabPainter *painter = lab_painter_new (NULL);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;

  lab_bar_chart_style_init (&st, FALSE);
  st.measure = lab_painter_measure_text;
  st.measure_data = painter;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const LabExperiment *experiment = lab_experiments_find (cases[c].id);
      g_autoptr(LabParams) params = lab_params_new (experiment->params, experiment->n_params);
      g_autoptr(LabRunner) run = NULL;
      g_autoptr(GError) error = NULL;
      LabChart *chart;

      for (guint a = 0; cases[c].assignments[a] != NULL; a++)
        g_assert_true (lab_params_parse_assignment (params, cases[c].assignments[a], &error));
      g_assert_no_error (error);
      run = lab_runner_new (experiment, params);
      g_assert_true (lab_runner_run_sync (run, &error));
      g_assert_no_error (error);
      chart = lab_runner_get_chart (run);
      if (chart == NULL)
        continue;
      g_test_message ("%s: %u groups", cases[c].id, lab_chart_get_n_groups (chart));
      for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
        {
          lab_bar_chart_layout_compute (layout, chart, widths[w], 300, &st);
          g_test_message ("%s at %.0f px", cases[c].id, widths[w]);
          assert_labels_apart (layout, &st, cases[c].id);
        }
    }
  lab_bar_chart_layout_free (layout);
  lab_painter_free (painter);
}

/* ---- lines ---- */

static LabChart *
make_lines (double base)
{
  static const double speedup[] = { 1, 1.8, 2.4, 3.0 };
  LabChart *chart = lab_chart_new (LAB_CHART_LINES, "Speed-up", LAB_CHART_UNIT_RATIO);

  lab_chart_set_axis_labels (chart, "Threads", "Speed-up");
  lab_chart_set_panel (chart, 1, "Efficiency", LAB_CHART_UNIT_PERCENT);
  lab_chart_set_ideal_line (chart, TRUE);
  lab_chart_set_ideal_base (chart, base);
  lab_chart_add_panel_reference (chart, 1, "ideal", 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (speedup); i++)
    {
      lab_chart_add_point (chart, NULL, i + 1, speedup[i], speedup[i] * 0.9, speedup[i] * 1.05);
      lab_chart_add_panel_point (chart, 1, NULL, i + 1, speedup[i] / (i + 1), NAN, NAN);
    }
  return chart;
}

static void
test_lines (void)
{
  g_autoptr(LabChart) chart = make_lines (1);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabBarChartTick *ticks;
  const LabPrim *prims, *ideal = NULL, *label;
  const LabChartPoint *points;
  LabBarChartItem hit;
  double x, y, w, h, max, step;
  g_autofree char *tip = NULL;
  guint n, n_points;

  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, chart, 600, 420, &st);

  /* Speed-up above (64% of 337 px), efficiency below; the labels of the
   * ideal lines ("ideal": 27.5 px) get a column right of the plots. */
  g_assert_true (lab_bar_chart_layout_get_plot_area (layout, 0, &x, &y, &w, &h));
  g_assert_cmpfloat (x, ==, 42);
  g_assert_cmpfloat (y, ==, 46);
  g_assert_cmpfloat (w, ==, 510);
  g_assert_cmpfloat (h, ==, 182);
  g_assert_true (lab_bar_chart_layout_get_plot_area (layout, 1, &x, &y, &w, &h));
  g_assert_cmpfloat (x, ==, 42);
  g_assert_cmpfloat (y, ==, 280);
  g_assert_cmpfloat (h, ==, 87);

  /* The ideal line reaches 4×, so the axis does; efficiency is 0–100%. */
  g_assert_true (lab_bar_chart_layout_get_y_range (layout, 0, NULL, &max, &step));
  g_assert_cmpfloat (max, ==, 4);
  g_assert_cmpfloat (step, ==, 1);
  g_assert_true (lab_bar_chart_layout_get_y_range (layout, 1, NULL, &max, &step));
  g_assert_cmpfloat (max, ==, 1);
  g_assert_cmpfloat (step, ==, 0.5);

  /* Counts 1..4, 14 px in from the plot's edges, each with a tick. */
  g_assert_cmpfloat_with_epsilon (lab_bar_chart_layout_value_to_x (layout, 1), 56, EPS);
  g_assert_cmpfloat_with_epsilon (lab_bar_chart_layout_value_to_x (layout, 4), 538, EPS);
  ticks = lab_bar_chart_layout_get_x_ticks (layout, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpstr (ticks[2].label, ==, "3");
  g_assert_cmpfloat_with_epsilon (ticks[2].pos, 56 + 482 * 2.0 / 3, EPS);

  /* Every point where its values say, in both panels. */
  points = lab_chart_get_points (chart, &n_points);
  for (guint i = 0; i < n_points; i++)
    {
      const LabBarChartItem *item = find_item (layout, LAB_BAR_CHART_ITEM_POINT, i, 0);

      g_assert_nonnull (item);
      g_assert_cmpuint (item->panel, ==, points[i].panel);
      g_assert_cmpfloat_with_epsilon (item->x + item->width / 2,
                                      lab_bar_chart_layout_value_to_x (layout, points[i].x), EPS);
      g_assert_cmpfloat_with_epsilon (item->y + item->height / 2,
                                      lab_bar_chart_layout_value_to_y (layout, points[i].panel, points[i].y),
                                      EPS);
    }
  /* Point 2 (index 2): 1.8× is 2.2/4 of 182 px below the top. */
  g_assert_cmpfloat_with_epsilon (lab_bar_chart_layout_value_to_y (layout, 0, 1.8), 46 + 182 * 2.2 / 4, EPS);

  /* The dashed ideal line y = x from (1, 1) to (4, 4), labelled. */
  prims = lab_bar_chart_layout_get_prims (layout, &n);
  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_LINE && (prims[i].flags & LAB_PRIM_FLAG_DASHED) && prims[i].h != 0)
      ideal = &prims[i];
  g_assert_nonnull (ideal);
  g_assert_cmpfloat_with_epsilon (ideal->x, 56, EPS);
  g_assert_cmpfloat_with_epsilon (ideal->y, 46 + 182 * 3.0 / 4, EPS);
  g_assert_cmpfloat_with_epsilon (ideal->x + ideal->w, 538, EPS);
  g_assert_cmpfloat_with_epsilon (ideal->y + ideal->h, 46, EPS);
  label = find_text (layout, "ideal");
  g_assert_nonnull (label);
  g_assert_cmpfloat (label->x, ==, 42 + 510 + 4);
  g_assert_nonnull (find_text (layout, "1.80×"));
  g_assert_nonnull (find_text (layout, "80%"));
  g_assert_nonnull (find_text (layout, "Threads"));

  g_assert_true (lab_bar_chart_layout_hit_test (layout, 56 + 482 / 3.0 + 3, 46 + 182 * 2.2 / 4 - 2, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_BAR_CHART_ITEM_POINT);
  g_assert_cmpuint (hit.index, ==, 2);
  tip = lab_bar_chart_hit_describe (layout, &hit);
  g_assert_cmpstr (tip, ==, "Threads: 2\nSpeed-up: 1.80×\nRange: 1.62× – 1.89×");
  g_assert_false (lab_bar_chart_layout_hit_test (layout, 300, 30, &hit));

  lab_bar_chart_layout_free (layout);
}

/* A sweep from 2: the ideal line passes through (2, 1). */
static void
test_ideal_base (void)
{
  g_autoptr(LabChart) chart = make_lines (2);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabPrim *prims;
  guint n;

  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, chart, 600, 420, &st);
  prims = lab_bar_chart_layout_get_prims (layout, &n);
  for (guint i = 0; i < n; i++)
    if (prims[i].kind == LAB_PRIM_LINE && (prims[i].flags & LAB_PRIM_FLAG_DASHED) && prims[i].h != 0)
      {
        g_assert_cmpfloat_with_epsilon (prims[i].y, lab_bar_chart_layout_value_to_y (layout, 0, 0.5), EPS);
        g_assert_cmpfloat_with_epsilon (prims[i].y + prims[i].h,
                                        lab_bar_chart_layout_value_to_y (layout, 0, 2), EPS);
      }
  lab_bar_chart_layout_free (layout);
}

static void
test_series_legend (void)
{
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_LINES, NULL, LAB_CHART_UNIT_RATIO);
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle st;
  const LabLegendEntry *legend;
  guint n;

  for (guint i = 1; i <= 3; i++)
    {
      lab_chart_add_point (chart, "GIL on", i, 1, NAN, NAN);
      lab_chart_add_point (chart, "GIL off", i, i * 0.9, NAN, NAN);
    }
  test_style (&st, TRUE);
  lab_bar_chart_layout_compute (layout, chart, 500, 300, &st);
  legend = lab_bar_chart_layout_get_legend (layout, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (legend[0].kind, ==, LAB_LEGEND_LINE);
  g_assert_cmpstr (legend[1].label, ==, "GIL off");
  g_assert_true (color_equal (&legend[1].color, lab_palette_series (lab_palette_get (TRUE), 1)));
  /* Two series: no value labels, they would collide. */
  g_assert_null (find_text (layout, "2.70×"));
  lab_bar_chart_layout_free (layout);
}

/* ---- colours, empty ---- */

static void
test_dark (void)
{
  g_autoptr(LabChart) chart = make_bars ();
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  const LabPalette *dark = lab_palette_get (TRUE);
  LabBarChartStyle st;
  const LabPrim *prims;
  guint n;

  test_style (&st, TRUE);
  lab_bar_chart_layout_compute (layout, chart, 600, 400, &st);
  g_assert_true (lab_bar_chart_layout_get_palette (layout) == dark);
  prims = lab_bar_chart_layout_get_prims (layout, &n);
  g_assert_cmpint (prims[0].kind, ==, LAB_PRIM_RECT);
  g_assert_true (color_equal (&prims[0].color, &dark->background));
  g_assert_true (color_equal (&find_text (layout, "One thread")->color, &dark->text));

  /* Series colours: distinct, differ between themes, cycle. */
  for (guint i = 0; i < 7; i++)
    {
      g_assert_false (color_equal (lab_palette_series (lab_palette_get (TRUE), i),
                                   lab_palette_series (lab_palette_get (FALSE), i)));
      for (guint j = 0; j < i; j++)
        g_assert_false (color_equal (lab_palette_series (lab_palette_get (TRUE), i),
                                     lab_palette_series (lab_palette_get (TRUE), j)));
    }
  g_assert_true (lab_palette_series (lab_palette_get (TRUE), 7) == lab_palette_series (lab_palette_get (TRUE), 0));
  lab_bar_chart_layout_free (layout);
}

static void
test_empty (void)
{
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  g_autoptr(LabChart) chart = lab_chart_new (LAB_CHART_BARS, "Nothing", LAB_CHART_UNIT_SECONDS);
  LabBarChartStyle st;
  LabBarChartItem hit;
  guint n;

  test_style (&st, FALSE);
  lab_bar_chart_layout_compute (layout, NULL, 300, 200, &st);
  g_assert_nonnull (find_text (layout, "No data yet"));
  g_assert_false (lab_bar_chart_layout_hit_test (layout, 150, 100, &hit));
  g_assert_cmpint (hit.kind, ==, LAB_BAR_CHART_ITEM_NONE);

  lab_bar_chart_layout_compute (layout, chart, 300, 200, &st);
  g_assert_nonnull (find_text (layout, "No data yet"));
  lab_bar_chart_layout_get_items (layout, &n);
  g_assert_cmpuint (n, ==, 0);

  /* Tiny sizes still give a sane layout. */
  lab_chart_add_bar (chart, "a", NULL, 1, NAN, NAN);
  lab_bar_chart_layout_compute (layout, chart, 1, 1, &st);
  lab_bar_chart_layout_get_items (layout, &n);
  g_assert_cmpuint (n, ==, 1);
  lab_bar_chart_layout_free (layout);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/model", test_model);
  g_test_add_func ("/chart/format", test_format);
  g_test_add_func ("/chart/layout/nice-step", test_nice_step);
  g_test_add_func ("/chart/layout/ticks", test_ticks);
  g_test_add_func ("/chart/layout/bars", test_bars);
  g_test_add_func ("/chart/layout/stacked", test_stacked);
  g_test_add_func ("/chart/layout/reference", test_reference);
  g_test_add_func ("/chart/layout/labels-apart", test_labels_apart);
  g_test_add_func ("/chart/layout/every-chart-labels-apart", test_every_chart_labels_apart);
  g_test_add_func ("/chart/layout/lines", test_lines);
  g_test_add_func ("/chart/layout/ideal-base", test_ideal_base);
  g_test_add_func ("/chart/layout/series-legend", test_series_legend);
  g_test_add_func ("/chart/layout/dark", test_dark);
  g_test_add_func ("/chart/layout/empty", test_empty);

  return g_test_run ();
}
