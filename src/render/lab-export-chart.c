/* lab-export-chart.c — charts on slides: the run's chart on its sheet, and
 * a chart alone (a sweep's speed-up plot) with a title.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-bar-chart-layout.h"
#include "lab-export-private.h"

#define CHART_WIDTH 1000 /* a chart alone, by default */
#define MARGIN      40

/* Larger type and marks than in the window: slides are read from afar. */
static void
slide_style (LabBarChartStyle *style,
             LabPainter       *painter,
             gboolean          dark)
{
  lab_bar_chart_style_init (style, dark);
  style->font_size = 15;
  style->small_font_size = 13;
  style->title_font_size = 17;
  style->padding = 8;
  style->bar_max_width = 96;
  style->bar_gap = 8;
  style->min_tick_spacing = 44;
  style->point_radius = 5.5;
  style->line_width = 3;
  style->panel_gap = 24;
  style->measure = lab_painter_measure_text;
  style->measure_data = painter;
}

void
lab_export_paint_chart (LabPainter *painter,
                        cairo_t    *cr,
                        LabChart   *chart,
                        double      x,
                        double      y,
                        double      width,
                        double      height,
                        gboolean    dark)
{
  LabBarChartLayout *layout = lab_bar_chart_layout_new ();
  LabBarChartStyle style;
  const LabPrim *prims;
  guint n;

  slide_style (&style, painter, dark);
  lab_bar_chart_layout_compute (layout, chart, width, height, &style);
  prims = lab_bar_chart_layout_get_prims (layout, &n);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  lab_paint_prims (painter, cr, prims, n, NULL);
  cairo_restore (cr);

  lab_bar_chart_layout_free (layout);
}

typedef struct
{
  LabPainter               *painter;
  LabChart                 *chart;
  const LabPalette *pal;
  gboolean                  dark;
  const char               *title;
  const char               *subtitle;
  double                    width;
  double                    height;
  double                    chart_y;
} ChartSheet;

static void
paint_chart_sheet (cairo_t  *cr,
                   gpointer  data)
{
  ChartSheet *sheet = data;

  lab_export_paint_heading (sheet->painter, cr, sheet->pal, sheet->title, sheet->subtitle,
                            sheet->width);

  lab_export_paint_chart (sheet->painter, cr, sheet->chart, MARGIN, sheet->chart_y,
                          sheet->width - 2 * MARGIN, sheet->height - 24 - sheet->chart_y,
                          sheet->dark);
}

gboolean
lab_export_chart (LabChart               *chart,
                  const char             *title,
                  const char             *path,
                  const LabExportOptions *options,
                  GError                **error)
{
  LabExportOptions defaults;
  LabExportFormat format;
  ChartSheet sheet = { 0 };
  gboolean ok;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      lab_export_options_init (&defaults);
      options = &defaults;
    }
  if (!lab_export_format_for_path (path, &format, error))
    return FALSE;
  if (format == LAB_EXPORT_TRACE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: %s is a file name */
                   _("Cannot export to “%s”: a chart is saved as an image "
                     "(use .png, .svg or .pdf; .json holds a run’s trace)"), path);
      return FALSE;
    }

  sheet.painter = lab_painter_new (NULL);
  sheet.chart = chart;
  sheet.dark = options->dark;
  sheet.pal = lab_palette_get (options->dark);
  sheet.title = title != NULL && title[0] != '\0' ? title : lab_chart_get_title (chart);
  sheet.subtitle = options->subtitle;
  sheet.width = options->width > 0 ? MAX (options->width, 480) : CHART_WIDTH;
  sheet.height = round (sheet.width * 0.62);
  sheet.chart_y = MARGIN + 38 + (sheet.subtitle != NULL && sheet.subtitle[0] != '\0' ? 44 : 10);

  ok = lab_export_write (path, format, sheet.width, sheet.height,
                         options->scale > 0 ? CLAMP (options->scale, 0.25, 8) : 1,
                         paint_chart_sheet, &sheet, error);
  lab_painter_free (sheet.painter);
  return ok;
}
