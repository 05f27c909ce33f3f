/* lab-timeline-layout-private.h — shared between the layout's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "lab-timeline-layout.h"
#include "lab-timeline-labels.h"
#include "lab-timeline-marks.h"
#include "lab-timeline-ruler.h"

G_BEGIN_DECLS

/* Upper bound on arrows drawn at once (highlighted ones go first): each is
 * a curve cairo strokes, and more than this is a smear anyway. */
#define LAB_TIMELINE_MAX_ARROWS 120

typedef struct
{
  double   y;        /* top, viewport px (after scrolling) */
  double   height;
  double   marks_y;  /* top of the marks strip */
  double   rows_y;   /* top of the depth-0 row */
  guint    rows;     /* depth rows with spans */
  double   row_h;    /* height of one of them */
  gboolean has_marks;
} LabLaneGeom;

struct _LabTimelineLayout
{
  LabTrace                 *trace;
  LabTimelineViewport       vp;
  LabTimelineStyle          style;
  const LabPalette         *palette;
  LabTimelineRuler          ruler;   /* lab-timeline-ruler.c */

  GArray       *prims;   /* LabPrim */
  GArray       *points;  /* LabPoint */
  GArray       *legend;  /* LabLegendEntry */
  GArray       *lanes;   /* LabLaneGeom */
  GArray       *pending; /* LabPrim: texts drawn above the shapes */
  GStringChunk *strings;

  /* Parts that keep state of their own, each changed by its file only. */
  LabTimelineMarks          marks;   /* lab-timeline-marks.c */
  LabTimelineLabels         labels;  /* lab-timeline-labels.c */

  gint64  origin_ns;    /* absolute time of the trace start */
  gint64  trace_end;    /* trace end, relative */
  double  px_per_ns;
  double  plot_x;
  double  plot_w;
  double  lanes_y;
  double  lanes_h;
  double  counters_y;
  double  content_h;
  const LabTimelineBreaks *breaks; /* NULL unless there is a break */
};

/* x of a time on the axis (what the viewport and the ruler count in). */
static inline double
lab_layout_axis_x (LabTimelineLayout *self,
                   gint64             axis_ns)
{
  return self->plot_x + (double) (axis_ns - self->vp.start_ns) * self->px_per_ns;
}

/* Real time (ns since the trace start) of a time on the axis. */
static inline gint64
lab_layout_real (LabTimelineLayout *self,
                 gint64             axis_ns)
{
  return self->breaks != NULL ? lab_timeline_breaks_to_real (self->breaks, axis_ns) : axis_ns;
}

/* x of a real time, ns since the trace start. */
static inline double
lab_layout_x (LabTimelineLayout *self,
              gint64             rel_ns)
{
  if (self->breaks != NULL)
    rel_ns = lab_timeline_breaks_to_axis (self->breaks, rel_ns);
  return lab_layout_axis_x (self, rel_ns);
}

/* Absolute ns at viewport x (rounded up), for binary searches. */
static inline gint64
lab_layout_abs_at (LabTimelineLayout *self,
                   double             x)
{
  double rel = (x - self->plot_x) / self->px_per_ns + (double) self->vp.start_ns;

  if (rel > (double) G_MAXINT64 / 4)
    return G_MAXINT64 / 2;
  if (rel < (double) G_MININT64 / 4)
    return G_MININT64 / 2;
  return self->origin_ns + lab_layout_real (self, (gint64) ceil (rel));
}

static inline double
lab_layout_clamp_x (LabTimelineLayout *self,
                    double             x)
{
  return CLAMP (x, self->plot_x - 4, self->plot_x + self->plot_w + 4);
}

LabPrim    *lab_layout_add        (LabTimelineLayout *self,
                                   GArray            *array,
                                   LabPrimKind        kind,
                                   double             x,
                                   double             y,
                                   double             w,
                                   double             h,
                                   const LabColor    *color);
LabPrim    *lab_layout_add_text   (LabTimelineLayout *self,
                                   GArray            *array,
                                   const char        *text,
                                   double             x,
                                   double             y,
                                   double             w,
                                   double             h,
                                   double             size,
                                   guint16            flags,
                                   const LabColor    *color);
void        lab_layout_add_clip   (LabTimelineLayout *self,
                                   double             x,
                                   double             y,
                                   double             w,
                                   double             h);
void        lab_layout_pop_clip   (LabTimelineLayout *self);
const char *lab_layout_intern     (LabTimelineLayout *self,
                                   const char        *text);
double      lab_layout_measure    (LabTimelineLayout *self,
                                   const char        *text,
                                   double             size,
                                   gboolean           bold);
void        lab_layout_flush_pending (LabTimelineLayout *self);

/* lab-timeline-spans.c */
void        lab_layout_emit_row      (LabTimelineLayout *self,
                                      guint              lane,
                                      guint              depth,
                                      double             y,
                                      double             h);

/* lab-timeline-ruler.c (its state: LabTimelineRuler) */
void        lab_layout_compute_ticks (LabTimelineLayout *self);
void        lab_layout_emit_grid     (LabTimelineLayout *self,
                                      double             y,
                                      double             h);
void        lab_layout_emit_ruler    (LabTimelineLayout *self);
void        lab_layout_emit_breaks   (LabTimelineLayout *self,
                                      double             y,
                                      double             h,
                                      gboolean           ruler);

/* lab-timeline-marks.c (its state: LabTimelineMarks) */
void        lab_layout_update_highlights (LabTimelineLayout *self);
void        lab_layout_emit_marks        (LabTimelineLayout *self);
void        lab_layout_emit_arrows       (LabTimelineLayout *self);

/* lab-timeline-counters.c */
void        lab_layout_emit_counters     (LabTimelineLayout *self);
gboolean    lab_layout_counter_value_at  (LabTimelineLayout *self,
                                          guint              counter,
                                          gint64             abs_ns,
                                          gint64            *value);

/* lab-timeline-legend.c */
void        lab_layout_build_legend      (LabTimelineLayout *self);
void        lab_layout_add_legend        (LabTimelineLayout *self,
                                          LabLegendKind      kind,
                                          const LabColor    *color,
                                          const char        *label);

/* lab-timeline-labels.c (its state: LabTimelineLabels) */
void        lab_layout_update_labels     (LabTimelineLayout *self);
const LabColor *lab_layout_label_color   (LabTimelineLayout *self,
                                          guint32            label);
void        lab_layout_legend_labels     (LabTimelineLayout *self);

G_END_DECLS
