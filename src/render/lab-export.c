/* lab-export.c — a run as a slide-ready image: title, parameters, metric
 * cards, legend, the timeline and dropped events. Painted with cairo from
 * the same layout the widget shows; no display needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#ifdef CAIRO_HAS_PDF_SURFACE
#include <cairo-pdf.h>
#endif
#ifdef CAIRO_HAS_SVG_SURFACE
#include <cairo-svg.h>
#endif

#include "lab-chrome-trace.h"
#include "lab-cores.h"
#include "lab-export-private.h"
#include "lab-timeline-layout.h"

#define DEFAULT_WIDTH 1280
#define MARGIN        40
#define MAX_PIXELS    32000 /* cairo's image surfaces stop at 32767 */
#define CHART_HEIGHT  330   /* the run's chart, right of the cards */

typedef struct
{
  char     *label;
  char     *value;
  gboolean  bad;
  double    width;
} Card;

typedef struct
{
  LabRunner                *run;
  LabTrace                 *trace;
  LabPainter               *painter;
  LabTimelineLayout        *layout;
  LabTimelineStyle          style;
  LabTimelineViewport       vp;
  LabTimelineBreaks        *breaks;   /* collapsed idle time, or NULL */
  const LabPalette *pal;
  double                    width;
  double                    height;
  char                     *title;
  char                     *subtitle;
  char                     *problem;  /* dropped events, a failure: in red */
  GArray                   *cards;
  double                    cards_right;
  LabChart                 *chart;    /* the run's, or NULL */
  double                    chart_x;
  double                    chart_w;
  double                    cards_y;
  double                    cards_h;
  double                    legend_y;
  double                    legend_h;
  double                    timeline_y;
  double                    problem_y;
} Sheet;

void
lab_export_options_init (LabExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->scale = 1.0;
}

gboolean
lab_export_format_for_path (const char       *path,
                            LabExportFormat  *format,
                            GError          **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);
  const char *dot = strrchr (lower, '.');

  if (g_str_has_suffix (lower, ".png"))
    *format = LAB_EXPORT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = LAB_EXPORT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = LAB_EXPORT_PDF;
  else if (lab_chrome_trace_is_path (lower))
    *format = LAB_EXPORT_TRACE;
  else
    {
      if (dot == NULL || dot[1] == '\0')
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     /* Translators: %s is a file name */
                     _("Cannot export to “%s”: the name has no extension "
                       "(use .png, .svg, .pdf or .json)"), path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     /* Translators: the first %s is a file name, the second its extension */
                     _("Cannot export to “%s”: unknown file type “%s” "
                       "(use .png, .svg, .pdf or .json)"), path, dot);
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_export_is_supported (const char  *path,
                         GError     **error)
{
  LabExportFormat format;

  g_return_val_if_fail (path != NULL, FALSE);

  return lab_export_format_for_path (path, &format, error);
}

/* ---- what goes on the sheet ---- */

static gboolean
variant_is_positive (GVariant *v)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (v) > 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (v) > 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (v) > 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (v) > 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (v) > 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (v);
  return FALSE;
}

static void
card_clear (gpointer data)
{
  Card *card = data;

  g_free (card->label);
  g_free (card->value);
}

static void
collect_cards (Sheet *sheet)
{
  const LabExperiment *exp = lab_runner_get_experiment (sheet->run);
  GVariant *metrics = lab_runner_get_metrics (sheet->run);

  if (exp == NULL || metrics == NULL)
    return;

  for (guint i = 0; i < exp->n_metrics; i++)
    {
      const LabMetricSpec *spec = &exp->metrics[i];
      GVariant *value;
      Card card;

      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;
      value = lab_metrics_lookup (metrics, spec->key);
      if (value == NULL)
        continue;
      card.label = g_strdup (_(spec->label));
      card.value = lab_metric_format (spec, value);
      card.bad = (spec->flags & LAB_METRIC_FLAG_BAD_IF_NONZERO) && variant_is_positive (value);
      card.width = 0;
      g_array_append_val (sheet->cards, card);
      g_variant_unref (value);
    }
}

static void
collect_text (Sheet *sheet)
{
  const LabExperiment *exp = lab_runner_get_experiment (sheet->run);
  const LabParams *params = lab_runner_get_params (sheet->run);
  guint64 dropped = lab_trace_get_dropped (sheet->trace);
  GString *problem = g_string_new (NULL);
  const GError *run_error;

  sheet->title = g_strdup (exp != NULL && exp->title != NULL ? _(exp->title) : _("Experiment"));
  sheet->subtitle = params != NULL ? lab_params_describe (params, NULL) : g_strdup ("");

  if (lab_runner_get_state (sheet->run) == LAB_RUN_FAILED &&
      (run_error = lab_runner_get_error (sheet->run)) != NULL)
    /* Translators: %s is why an experiment failed */
    g_string_append_printf (problem, _("The run failed: %s"), run_error->message);
  else if (lab_runner_get_state (sheet->run) == LAB_RUN_STOPPED)
    g_string_append (problem, _("The run was stopped before the end"));

  if (dropped > 0)
    {
      char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);

      if (problem->len > 0)
        g_string_append (problem, " · ");
      g_string_append_printf (problem,
                              g_dngettext (GETTEXT_PACKAGE, "%s dropped event", "%s dropped events",
                                           (gulong) MIN (dropped, G_MAXULONG)), n);
      g_free (n);
    }
  sheet->problem = g_string_free (problem, problem->len == 0);
}

static void
setup_timeline (Sheet                  *sheet,
                const LabExportOptions *options)
{
  gint64 duration = lab_trace_get_end_ns (sheet->trace) - lab_trace_get_start_ns (sheet->trace);

  lab_timeline_style_init (&sheet->style, options->dark);
  sheet->style.label_width = 170;
  sheet->style.ruler_height = 30;
  sheet->style.row_height = 22;
  sheet->style.mark_height = 20;
  sheet->style.counter_height = 70;
  sheet->style.font_size = 14;
  sheet->style.small_font_size = 12;
  sheet->style.min_tick_spacing = 100;
  sheet->style.color_by_label = options->cores_view;
  sheet->style.measure = lab_painter_measure_text;
  sheet->style.measure_data = sheet->painter;
  /* The image shows what the window shows: its view options too. */
  if (options->compact)
    lab_timeline_style_compact (&sheet->style);

  sheet->vp.start_ns = options->view_start_ns;
  sheet->vp.end_ns = options->view_end_ns;
  if (options->collapse_idle)
    {
      sheet->breaks = lab_timeline_breaks_new ();
      lab_timeline_breaks_update (sheet->breaks, sheet->trace, 0);
      sheet->style.breaks = sheet->breaks;
      /* The layout takes times on the shortened axis. */
      duration = lab_timeline_breaks_to_axis (sheet->breaks, duration);
      sheet->vp.start_ns = lab_timeline_breaks_to_axis (sheet->breaks, sheet->vp.start_ns);
      sheet->vp.end_ns = lab_timeline_breaks_to_axis (sheet->breaks, sheet->vp.end_ns);
    }
  if (sheet->vp.start_ns == 0 && sheet->vp.end_ns == 0)
    {
      /* The whole run, with a little room around it for the marks. */
      sheet->vp.start_ns = -MAX (duration / 100, 10);
      sheet->vp.end_ns = MAX (duration + duration / 50, 1000);
    }
  if (sheet->vp.end_ns <= sheet->vp.start_ns)
    sheet->vp.end_ns = sheet->vp.start_ns + 1000;
  sheet->vp.width = sheet->width - 2 * MARGIN;
  sheet->vp.height = lab_timeline_layout_measure_height (sheet->trace, &sheet->style);
  sheet->vp.scroll_y = 0;
}

/* Card sizes and positions; returns the height of the cards block. */
static double
place_cards (Sheet   *sheet,
             cairo_t *cr)
{
  double x = MARGIN, y = sheet->cards_y;
  double card_h = 74;
  double gap = 12;

  if (sheet->cards->len == 0)
    return 0;

  for (guint i = 0; i < sheet->cards->len; i++)
    {
      Card *card = &g_array_index (sheet->cards, Card, i);
      double lw = lab_painter_measure_text (card->label, 13, FALSE, sheet->painter);
      double vw = lab_painter_measure_text (card->value, 26, TRUE, sheet->painter);

      card->width = MIN (MAX (MAX (lw, vw) + 32, 150), sheet->cards_right - MARGIN);
      if (x > MARGIN && x + card->width > sheet->cards_right)
        {
          x = MARGIN;
          y += card_h + gap;
        }

      if (cr != NULL)
        {
          const LabColor *accent = card->bad ? &sheet->pal->highlight : &sheet->pal->text;
          PangoLayout *layout;

          cairo_new_path (cr);
          cairo_rectangle (cr, x, y, card->width, card_h);
          lab_paint_set_color (cr, &sheet->pal->ruler_background);
          cairo_fill (cr);
          if (card->bad)
            {
              cairo_rectangle (cr, x, y, 4, card_h);
              lab_paint_set_color (cr, &sheet->pal->highlight);
              cairo_fill (cr);
            }

          layout = lab_painter_create_layout (sheet->painter, card->label, 13, FALSE,
                                              card->width - 32);
          lab_paint_set_color (cr, &sheet->pal->text_dim);
          cairo_move_to (cr, x + 16, y + 10);
          pango_cairo_show_layout (cr, layout);
          g_object_unref (layout);

          layout = lab_painter_create_layout (sheet->painter, card->value, 26, TRUE,
                                              card->width - 32);
          lab_paint_set_color (cr, accent);
          cairo_move_to (cr, x + 16, y + 30);
          pango_cairo_show_layout (cr, layout);
          g_object_unref (layout);
        }
      x += card->width + gap;
    }
  return y + card_h - sheet->cards_y;
}

static void
measure_sheet (Sheet *sheet)
{
  guint n_legend;
  const LabLegendEntry *legend = lab_timeline_layout_get_legend (sheet->layout, &n_legend);
  double y = MARGIN + 38 + 28; /* title, parameters */

  y += 16;
  sheet->cards_y = y;
  /* The run's chart, if any, takes the right half beside the cards. */
  sheet->cards_right = sheet->width - MARGIN;
  if (sheet->chart != NULL)
    {
      sheet->cards_right = MARGIN + floor ((sheet->width - 2 * MARGIN) * 0.48);
      sheet->chart_x = sheet->cards_right + 24;
      sheet->chart_w = sheet->width - MARGIN - sheet->chart_x;
    }
  sheet->cards_h = place_cards (sheet, NULL);
  if (sheet->chart != NULL)
    y += MAX (sheet->cards_h, CHART_HEIGHT) + 20;
  else if (sheet->cards_h > 0)
    y += sheet->cards_h + 20;

  sheet->legend_y = y;
  sheet->legend_h = lab_paint_legend (sheet->painter, NULL, legend, n_legend, sheet->pal,
                                      MARGIN, y, sheet->width - 2 * MARGIN, 14);
  if (sheet->legend_h > 0)
    y += sheet->legend_h + 14;

  sheet->timeline_y = y;
  y += sheet->vp.height;

  sheet->problem_y = y + 14;
  if (sheet->problem != NULL)
    y += 14 + 24;
  sheet->height = ceil (y + MARGIN);
}

void
lab_export_paint_heading (LabPainter       *painter,
                          cairo_t          *cr,
                          const LabPalette *pal,
                          const char       *title,
                          const char       *subtitle,
                          double            width)
{
  pango_cairo_update_context (cr, lab_painter_get_context (painter));
  lab_paint_set_color (cr, &pal->background);
  cairo_paint (cr);

  lab_paint_text_at (painter, cr, title, 30, TRUE, &pal->text,
                     MARGIN, MARGIN - 4, width - 2 * MARGIN);
  if (subtitle != NULL && subtitle[0] != '\0')
    lab_paint_text_at (painter, cr, subtitle, 16, FALSE, &pal->text_dim,
                       MARGIN, MARGIN + 40, width - 2 * MARGIN);
}

static void
paint_sheet (Sheet   *sheet,
             cairo_t *cr)
{
  guint n_legend, n_prims;
  const LabLegendEntry *legend = lab_timeline_layout_get_legend (sheet->layout, &n_legend);
  const LabPrim *prims;

  lab_export_paint_heading (sheet->painter, cr, sheet->pal, sheet->title, sheet->subtitle,
                            sheet->width);

  place_cards (sheet, cr);
  if (sheet->chart != NULL)
    lab_export_paint_chart (sheet->painter, cr, sheet->chart, sheet->chart_x, sheet->cards_y,
                            sheet->chart_w, CHART_HEIGHT, sheet->pal == lab_palette_get (TRUE));
  lab_paint_legend (sheet->painter, cr, legend, n_legend, sheet->pal,
                    MARGIN, sheet->legend_y, sheet->width - 2 * MARGIN, 14);

  cairo_save (cr);
  cairo_translate (cr, MARGIN, sheet->timeline_y);
  cairo_rectangle (cr, 0, 0, sheet->vp.width, sheet->vp.height);
  cairo_clip (cr);
  prims = lab_timeline_layout_get_prims (sheet->layout, &n_prims);
  lab_paint_prims (sheet->painter, cr, prims, n_prims,
                   lab_timeline_layout_get_points (sheet->layout, NULL));
  cairo_restore (cr);

  cairo_rectangle (cr, MARGIN - 0.5, sheet->timeline_y - 0.5, sheet->vp.width + 1,
                   sheet->vp.height + 1);
  lab_paint_set_color (cr, &sheet->pal->separator);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  if (sheet->problem != NULL)
    lab_paint_text_at (sheet->painter, cr, sheet->problem, 16, TRUE, &sheet->pal->highlight,
                     MARGIN, sheet->problem_y, sheet->width - 2 * MARGIN);
}

/* ---- writing ---- */

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_func (void                *data,
            const unsigned char *bytes,
            unsigned int         length)
{
  WriteClosure *closure = data;

  if (closure->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (closure->stream, bytes, length, NULL, NULL, &closure->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
set_write_error (GError     **error,
                 const char  *path,
                 GError      *cause)
{
  if (cause != NULL && strstr (cause->message, path) != NULL)
    {
      g_propagate_error (error, cause);
      return;
    }
  g_set_error (error,
               cause != NULL ? cause->domain : G_IO_ERROR,
               cause != NULL ? cause->code : G_IO_ERROR_FAILED,
               /* Translators: %s is a file name, then the reason */
               _("Could not write “%s”: %s"), path,
               cause != NULL ? cause->message : _("the image could not be encoded"));
  g_clear_error (&cause);
}

static gboolean
render (LabExportFormat     format,
        double              width,
        double              height,
        double              scale,
        LabExportPaintFunc  paint,
        gpointer            data,
        WriteClosure       *closure)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (format == LAB_EXPORT_SVG)
#ifdef CAIRO_HAS_SVG_SURFACE
    surface = cairo_svg_surface_create_for_stream (write_func, closure, width, height);
#else
    return FALSE;
#endif
  else if (format == LAB_EXPORT_PDF)
#ifdef CAIRO_HAS_PDF_SURFACE
    surface = cairo_pdf_surface_create_for_stream (write_func, closure, width, height);
#else
    return FALSE;
#endif
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                          (int) ceil (width * scale),
                                          (int) ceil (height * scale));

  cr = cairo_create (surface);
  if (format == LAB_EXPORT_PNG)
    cairo_scale (cr, scale, scale);
  paint (cr, data);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == LAB_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_func, closure);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status == CAIRO_STATUS_SUCCESS && closure->error == NULL;
}

gboolean
lab_export_write (const char          *path,
                  LabExportFormat      format,
                  double               width,
                  double               height,
                  double               scale,
                  LabExportPaintFunc   paint,
                  gpointer             data,
                  GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  WriteClosure closure = { 0 };
  GError *local_error = NULL;
  gboolean ok;

  closure.stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
                                                    G_FILE_CREATE_REPLACE_DESTINATION,
                                                    NULL, &local_error));
  if (closure.stream == NULL)
    {
      set_write_error (error, path, local_error);
      return FALSE;
    }

  ok = render (format, width, height, scale, paint, data, &closure);
  if (!ok)
    {
      /* Cancelling the close drops the temporary file, the old one stays. */
      GCancellable *cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (closure.stream, cancel, NULL);
      g_object_unref (cancel);
      set_write_error (error, path, g_steal_pointer (&closure.error));
    }
  else if (!g_output_stream_close (closure.stream, NULL, &local_error))
    {
      set_write_error (error, path, local_error);
      ok = FALSE;
    }
  g_object_unref (closure.stream);
  return ok;
}

static void
paint_sheet_cb (cairo_t  *cr,
                gpointer  data)
{
  paint_sheet (data, cr);
}

gboolean
lab_export_run (LabRunner              *run,
                const char             *path,
                const LabExportOptions *options,
                GError                **error)
{
  LabExportOptions defaults;
  LabExportFormat format;
  Sheet sheet = { 0 };
  gboolean ok;
  double scale;

  g_return_val_if_fail (LAB_IS_RUNNER (run), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      lab_export_options_init (&defaults);
      options = &defaults;
    }
  if (!lab_export_format_for_path (path, &format, error))
    return FALSE;
  /* The whole trace, for Perfetto: no view, no sheet. */
  if (format == LAB_EXPORT_TRACE)
    return lab_chrome_trace_write_file (lab_runner_get_trace (run),
                                        lab_runner_get_experiment (run)->id,
                                        lab_params_to_variant (lab_runner_get_params (run)),
                                        path, error);

  scale = options->scale > 0 ? CLAMP (options->scale, 0.25, 8) : 1;
  sheet.run = run;
  sheet.trace = options->cores_view ? lab_trace_new_cores_view (lab_runner_get_trace (run))
                                    : lab_trace_ref (lab_runner_get_trace (run));
  sheet.chart = lab_runner_get_chart (run);
  sheet.painter = lab_painter_new (NULL);
  sheet.layout = lab_timeline_layout_new ();
  sheet.pal = lab_palette_get (options->dark);
  sheet.width = options->width > 0 ? MAX (options->width, 480) : DEFAULT_WIDTH;
  sheet.cards = g_array_new (FALSE, FALSE, sizeof (Card));
  g_array_set_clear_func (sheet.cards, card_clear);

  collect_text (&sheet);
  collect_cards (&sheet);
  setup_timeline (&sheet, options);
  /* A first compute gives the legend; the sheet's height then follows. */
  lab_timeline_layout_compute (sheet.layout, sheet.trace, &sheet.vp, &sheet.style);
  measure_sheet (&sheet);
  if (format == LAB_EXPORT_PNG && sheet.height * scale > MAX_PIXELS)
    {
      /* Too many lanes for one image: keep the top ones. */
      double excess = sheet.height - floor (MAX_PIXELS / scale);

      sheet.vp.height = MAX (sheet.vp.height - excess, 200);
      lab_timeline_layout_compute (sheet.layout, sheet.trace, &sheet.vp, &sheet.style);
      measure_sheet (&sheet);
    }

  ok = lab_export_write (path, format, sheet.width, sheet.height, scale, paint_sheet_cb, &sheet,
                         error);

  g_array_unref (sheet.cards);
  g_free (sheet.title);
  g_free (sheet.subtitle);
  g_free (sheet.problem);
  lab_timeline_layout_free (sheet.layout);
  g_clear_pointer (&sheet.breaks, lab_timeline_breaks_free);
  lab_painter_free (sheet.painter);
  lab_trace_unref (sheet.trace);
  return ok;
}
