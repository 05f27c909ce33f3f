/* lab-export-private.h — shared by the exporter's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "lab-export.h"
#include "lab-paint.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_EXPORT_PNG,
  LAB_EXPORT_SVG,
  LAB_EXPORT_PDF,
  LAB_EXPORT_TRACE, /* .json: Chrome trace events, for runs only */
} LabExportFormat;

typedef void (*LabExportPaintFunc) (cairo_t  *cr,
                                    gpointer  data);

/* lab-export.c */
gboolean lab_export_format_for_path (const char          *path,
                                     LabExportFormat     *format,
                                     GError             **error);
/* Paints a @width × @height (logical px) image with @paint and writes it
 * to @path, replacing it only when everything went well. */
gboolean lab_export_write           (const char          *path,
                                     LabExportFormat      format,
                                     double               width,
                                     double               height,
                                     double               scale,
                                     LabExportPaintFunc   paint,
                                     gpointer             data,
                                     GError             **error);

/* The sheet's background, then @title and @subtitle (NULL or "": none)
 * at the top, inside the margins of a sheet @width px wide. */
void     lab_export_paint_heading   (LabPainter          *painter,
                                     cairo_t             *cr,
                                     const LabPalette    *pal,
                                     const char          *title,
                                     const char          *subtitle,
                                     double               width);

/* lab-export-chart.c: @chart in the box, with slide-sized fonts. */
void     lab_export_paint_chart     (LabPainter          *painter,
                                     cairo_t             *cr,
                                     LabChart            *chart,
                                     double               x,
                                     double               y,
                                     double               width,
                                     double               height,
                                     gboolean             dark);

G_END_DECLS
