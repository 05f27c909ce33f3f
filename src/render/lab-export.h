/* lab-export.h — a run's view as an image for slides (no display needed):
 * title, parameters, legend, metric cards, the run's chart and the
 * timeline; or a chart alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-runner.h"

G_BEGIN_DECLS

typedef struct
{
  double  scale;      /* 1.0 or 2.0 (HiDPI slides) */
  int     width;      /* logical width in px; 0 = default (1280) */
  gboolean dark;      /* dark theme colours */
  gint64  view_start_ns; /* visible range relative to trace start; */
  gint64  view_end_ns;   /* both 0 = the whole run */
  const char *subtitle;  /* lab_export_chart(): a line under the title, or NULL */
  gboolean cores_view;   /* lab_export_run(): the timeline as one lane per CPU,
                          * coloured by thread (lab_trace_new_cores_view()) */
  gboolean collapse_idle; /* lab_export_run(): idle stretches shortened, as
                          * the window's "Collapse Idle Time"; the view
                          * range above stays in real time */
  gboolean compact;      /* lab_export_run(): thin lanes (lab_timeline_style_compact()) */
} LabExportOptions;

void     lab_export_options_init (LabExportOptions *options);

/* TRUE if the extension of @path names a format the exporter writes; else
 * FALSE with an @error that lists the ones it does. Lets the command line
 * refuse a bad name before a run, not after it. */
gboolean lab_export_is_supported (const char *path,
                                  GError    **error);

/* Writes the view of @run to @path; the format follows the extension
 * (".png"). Returns FALSE with a clear @error otherwise. */
gboolean lab_export_run          (LabRunner              *run,
                                  const char             *path,
                                  const LabExportOptions *options,
                                  GError                **error);

/* A chart alone (a sweep's speed-up plot) as a slide: @title, the
 * options' subtitle, then the chart. Same formats as lab_export_run(). */
gboolean lab_export_chart        (LabChart               *chart,
                                  const char             *title,
                                  const char             *path,
                                  const LabExportOptions *options,
                                  GError                **error);

G_END_DECLS
