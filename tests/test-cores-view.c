/* test-cores-view.c — colouring spans by label (the cores view's threads)
 * in the timeline layout, and exporting the cores view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "lab-bar-chart-layout.h"
#include "lab-export.h"
#include "lab-experiments.h"
#include "lab-timeline-layout.h"

static gboolean
color_equal (const LabColor *a,
             const LabColor *b)
{
  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

static void
span (LabTrace   *trace,
      guint       lane,
      gint64      start,
      gint64      end,
      const char *label)
{
  LabEvent ev[2] = { { 0 }, { 0 } };

  ev[0].ts_ns = start;
  ev[0].kind = LAB_EVENT_BEGIN;
  ev[0].state = LAB_STATE_RUNNING;
  ev[0].label = lab_string_pool_intern (lab_trace_get_pool (trace), label);
  ev[1].ts_ns = end;
  ev[1].kind = LAB_EVENT_END;
  lab_trace_append (trace, lane, ev, 2);
}

/* Two CPU lanes: wide spans of four threads, then on CPU 1 a run of narrow
 * spans of one thread, then a run of narrow spans of several. */
static LabTrace *
make_trace (void)
{
  LabTrace *trace = lab_trace_new (NULL);
  static const char * const jumble[] = { "Thread 0", "Thread 2", "Main thread" };

  lab_trace_set_lane (trace, 0, LAB_LANE_RESOURCE, "CPU 0", 0);
  lab_trace_set_lane (trace, 1, LAB_LANE_RESOURCE, "CPU 1", 0);
  span (trace, 0, 0, 200000, "Thread 10");
  span (trace, 0, 200000, 400000, "Main thread");
  span (trace, 1, 0, 200000, "Thread 2");
  span (trace, 1, 200000, 400000, "Thread 0");
  for (guint i = 0; i < 40; i++)
    span (trace, 1, 400000 + i * 1000, 400000 + i * 1000 + 500, "Thread 10");
  for (guint i = 0; i < 40; i++)
    span (trace, 1, 500000 + i * 1000, 500000 + i * 1000 + 500, jumble[i % 3]);
  return trace;
}

static void
compute (LabTimelineLayout *layout,
         LabTrace          *trace,
         gboolean           by_label)
{
  LabTimelineStyle style;
  LabTimelineViewport vp = { 0, 600000, 700, 200, 0 };

  lab_timeline_style_init (&style, FALSE);
  style.label_width = 100;
  style.color_by_label = by_label;
  lab_timeline_layout_compute (layout, trace, &vp, &style);
}

static const char *
span_label (LabTrace      *trace,
            const LabPrim *prim)
{
  const LabTraceLane *lane = lab_trace_get_lane (trace, prim->lane);

  return lab_trace_get_string (trace, g_array_index (lane->spans[prim->depth], LabSpan,
                                                     prim->index).label);
}

static void
test_layout_colors (void)
{
  g_autoptr(LabTrace) trace = make_trace ();
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  static const char * const order[] = { "Main thread", "Thread 0", "Thread 2", "Thread 10" };
  const LabPalette *pal = lab_palette_get (FALSE);
  const LabLegendEntry *legend;
  const LabPrim *prims;
  guint n_legend, n_prims, n_spans = 0, n_folded = 0;

  compute (layout, trace, TRUE);

  /* The legend names the threads, in natural order, not the states. */
  legend = lab_timeline_layout_get_legend (layout, &n_legend);
  g_assert_cmpuint (n_legend, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < n_legend; i++)
    {
      g_assert_cmpint (legend[i].kind, ==, LAB_LEGEND_SWATCH);
      g_assert_cmpstr (legend[i].label, ==, order[i]);
      g_assert_true (color_equal (&legend[i].color, lab_palette_series (lab_palette_get (FALSE), i)));
    }

  /* Every span has its thread's colour, its text reads on it; a run of one
   * thread's narrow spans keeps that colour, a jumble turns neutral. */
  prims = lab_timeline_layout_get_prims (layout, &n_prims);
  for (guint i = 0; i < n_prims; i++)
    {
      if (prims[i].kind == LAB_PRIM_SPAN)
        {
          const char *label = span_label (trace, &prims[i]);
          guint k = 0;

          while (strcmp (order[k], label) != 0)
            k++;
          g_assert_true (color_equal (&prims[i].color, lab_palette_series (lab_palette_get (FALSE), k)));
          n_spans++;
        }
      else if (prims[i].kind == LAB_PRIM_FOLDED)
        {
          LabColor fill = prims[i].color;

          fill.alpha = 1;
          if (prims[i].index < 42)
            g_assert_true (color_equal (&fill, lab_palette_series (lab_palette_get (FALSE), 3)));
          else
            g_assert_true (color_equal (&fill, lab_palette_state (pal, LAB_STATE_N)));
          n_folded++;
        }
      else if (prims[i].kind == LAB_PRIM_TEXT && strcmp (prims[i].text, "Thread 10") == 0)
        {
          g_assert_true (color_equal (&prims[i].color,
                                      lab_color_text_on (lab_palette_series (lab_palette_get (FALSE), 3))));
        }
    }
  g_assert_cmpuint (n_spans, ==, 4);
  g_assert_cmpuint (n_folded, >=, 2);

  /* By state again: one colour, and the legend names the state. */
  compute (layout, trace, FALSE);
  legend = lab_timeline_layout_get_legend (layout, &n_legend);
  g_assert_cmpuint (n_legend, ==, 1);
  g_assert_cmpstr (legend[0].label, ==, lab_state_to_label (LAB_STATE_RUNNING));
  prims = lab_timeline_layout_get_prims (layout, &n_prims);
  for (guint i = 0; i < n_prims; i++)
    if (prims[i].kind == LAB_PRIM_SPAN)
      g_assert_true (color_equal (&prims[i].color,
                                  lab_palette_state (pal, LAB_STATE_RUNNING)));

  lab_timeline_layout_free (layout);
}

/* A label seen later takes its place in the order (a live run). */
static void
test_layout_grows (void)
{
  g_autoptr(LabTrace) trace = lab_trace_new (NULL);
  LabTimelineLayout *layout = lab_timeline_layout_new ();
  const LabLegendEntry *legend;
  guint n_legend;

  lab_trace_set_lane (trace, 0, LAB_LANE_RESOURCE, "CPU 0", 0);
  span (trace, 0, 0, 1000, "Thread 1");
  compute (layout, trace, TRUE);
  legend = lab_timeline_layout_get_legend (layout, &n_legend);
  g_assert_cmpuint (n_legend, ==, 1);
  g_assert_cmpstr (legend[0].label, ==, "Thread 1");

  span (trace, 0, 2000, 3000, "Thread 0");
  compute (layout, trace, TRUE);
  legend = lab_timeline_layout_get_legend (layout, &n_legend);
  g_assert_cmpuint (n_legend, ==, 2);
  g_assert_cmpstr (legend[0].label, ==, "Thread 0");
  g_assert_cmpstr (legend[1].label, ==, "Thread 1");

  lab_timeline_layout_free (layout);
}

static guint
count_pixels (cairo_surface_t *surface,
              const LabColor  *color)
{
  guint32 want = 0xff000000u | (guint32) (color->red * 255 + 0.5) << 16 |
                 (guint32) (color->green * 255 + 0.5) << 8 | (guint32) (color->blue * 255 + 0.5);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if (*(const guint32 *) (gconstpointer) (data + y * stride + x * 4) == want)
        n++;
  return n;
}

/* The exporter draws the cores view of a run: both workers' colours. */
static void
test_export (void)
{
  const LabExperiment *e = &lab_exp_threads_cpu_sum;
  g_autoptr(LabParams) params = lab_params_new (e->params, e->n_params);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunner) runner = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lab-cores-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cores.png", NULL);
  LabExportOptions options;
  cairo_surface_t *surface;

  g_assert_no_error (error);
  g_assert_true (lab_params_parse (params, "threads", "2", &error));
  g_assert_true (lab_params_parse (params, "size", "1000000", &error));
  g_assert_true (lab_params_parse (params, "repeat", "1", &error));
  runner = lab_runner_new (e, params);
  g_assert_true (lab_runner_run_sync (runner, &error));
  g_assert_no_error (error);

  lab_export_options_init (&options);
  options.cores_view = TRUE;
  g_assert_true (lab_export_run (runner, path, &options, &error));
  g_assert_no_error (error);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  /* "Main thread", "Thread 0", "Thread 1": legend swatches and spans. */
  g_assert_cmpuint (count_pixels (surface, lab_palette_series (lab_palette_get (FALSE), 1)), >, 100);
  g_assert_cmpuint (count_pixels (surface, lab_palette_series (lab_palette_get (FALSE), 2)), >, 100);
  /* No state colours but the first series', which is also the running one:
   * waiting for the GIL (yellow) is off the CPU. */
  g_assert_cmpuint (count_pixels (surface, lab_palette_state (lab_palette_get (FALSE),
                                                                       LAB_STATE_GIL_WAIT)), ==, 0);
  cairo_surface_destroy (surface);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cores-view/layout/colors", test_layout_colors);
  g_test_add_func ("/cores-view/layout/grows", test_layout_grows);
  g_test_add_func ("/cores-view/export", test_export);

  return g_test_run ();
}
