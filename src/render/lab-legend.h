/* lab-legend.h — what a legend lists: a symbol, its colour and a label.
 * The timeline and the charts fill it; lab_paint_legend() draws it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-color.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_LEGEND_SWATCH = 0, /* a state's box colour */
  LAB_LEGEND_MARK,
  LAB_LEGEND_OUTPUT,     /* a printed line (round mark) */
  LAB_LEGEND_HIGHLIGHT,
  LAB_LEGEND_ARROW,
  LAB_LEGEND_COUNTER,
  LAB_LEGEND_LINE,        /* a chart's line series: a line with a point */
  LAB_LEGEND_DASHED_LINE, /* a chart's ideal or reference line */
  LAB_LEGEND_MORE,        /* no symbol: "and 12 more" at the end of a
                           * legend cut to its rows */
} LabLegendKind;

typedef struct
{
  LabLegendKind  kind;
  LabColor       color;
  const char    *label; /* translated, owned by the layout */
} LabLegendEntry;

G_END_DECLS
