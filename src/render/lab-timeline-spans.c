/* lab-timeline-spans.c — span boxes of one lane depth; runs of spans
 * narrower than a few pixels fold into one box with a count (as Tracy does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-timeline-layout-private.h"

static inline gint64
span_end_rel (LabTimelineLayout *self,
              const LabSpan     *span)
{
  if (span->open)
    return MAX (self->trace_end, span->start_ns - self->origin_ns);
  return span->end_ns - self->origin_ns;
}

/* First index in [lo, n) whose end_ns >= abs_ns (end_ns grows with the index). */
static guint
spans_lower_bound_end (const LabSpan *spans,
                       guint          lo,
                       guint          n,
                       gint64         abs_ns)
{
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (spans[mid].end_ns < abs_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* What a span's colour follows: its state, or its label (style.color_by_label). */
static inline guint32
span_key (LabTimelineLayout *self,
          const LabSpan     *span)
{
  return self->style.color_by_label ? span->label : span->state;
}

/* The fill for a colour key; a neutral grey for a jumble of keys. */
static const LabColor *
key_fill (LabTimelineLayout *self,
          guint32            key,
          gboolean           mixed)
{
  if (mixed)
    return lab_palette_state (self->palette, LAB_STATE_N);
  if (self->style.color_by_label)
    return lab_layout_label_color (self, key);
  return lab_palette_state (self->palette, key);
}

static void
emit_span_text (LabTimelineLayout *self,
                const LabSpan     *span,
                const LabColor    *fill,
                double             x,
                double             y,
                double             w,
                double             h)
{
  const char *text;
  double pad = 4;
  double vis_x = MAX (x, self->plot_x);
  double vis_w = MIN (x + w, self->plot_x + self->plot_w) - vis_x;

  /* Compact lanes: rows lower than the text leave the words to the tooltip. */
  if (vis_w < 28 || h < self->style.small_font_size)
    return;

  text = lab_trace_get_string (self->trace, span->label);
  if (text == NULL || text[0] == '\0')
    text = lab_state_to_label (span->state);

  lab_layout_add_text (self, self->pending, text, vis_x + pad, y, vis_w - 2 * pad, h,
                       self->style.small_font_size, LAB_PRIM_FLAG_NONE, lab_color_text_on (fill));
}

static void
emit_span (LabTimelineLayout *self,
           guint              lane,
           guint              depth,
           guint              index,
           const LabSpan     *span,
           double             x0,
           double             x1,
           double             y,
           double             h)
{
  const LabColor *fill = key_fill (self, span_key (self, span), FALSE);
  LabPrim *prim;
  double cx0 = lab_layout_clamp_x (self, x0);
  double cx1 = lab_layout_clamp_x (self, x1);

  if (cx1 - cx0 < 1)
    cx1 = cx0 + 1;

  prim = lab_layout_add (self, self->prims, LAB_PRIM_SPAN, cx0, y, cx1 - cx0, h, fill);
  prim->state = span->state;
  prim->lane = lane;
  prim->depth = depth;
  prim->index = index;
  prim->count = 1;
  if (span->open)
    prim->flags |= LAB_PRIM_FLAG_OPEN;
  emit_span_text (self, span, fill, cx0, y, cx1 - cx0, h);
}

static void
emit_folded (LabTimelineLayout *self,
             guint              lane,
             guint              depth,
             guint              first,
             guint              count,
             guint              state,
             const LabColor    *fill,
             double             x0,
             double             x1,
             double             y,
             double             h)
{
  double cx0 = lab_layout_clamp_x (self, x0);
  double cx1 = lab_layout_clamp_x (self, x1);
  LabPrim *prim;

  if (cx1 - cx0 < 2)
    cx1 = cx0 + 2;

  prim = lab_layout_add (self, self->prims, LAB_PRIM_FOLDED, cx0, y, cx1 - cx0, h, fill);
  prim->color.alpha *= 0.7f;
  prim->state = state;
  prim->lane = lane;
  prim->depth = depth;
  prim->index = first;
  prim->count = count;

  {
    double vis_x = MAX (cx0, self->plot_x);
    double vis_w = MIN (cx1, self->plot_x + self->plot_w) - vis_x;
    double size = self->style.small_font_size;
    char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u span", "%u spans", count),
                                  count);

    if (lab_layout_measure (self, text, size, FALSE) + 8 > vis_w)
      {
        g_free (text);
        text = g_strdup_printf ("%u", count);
      }
    if (lab_layout_measure (self, text, size, FALSE) + 8 <= vis_w && h >= size)
      lab_layout_add_text (self, self->pending, text, vis_x + 4, y, vis_w - 8, h, size,
                           LAB_PRIM_FLAG_ALIGN_CENTER, lab_color_text_on (fill));
    g_free (text);
  }
}

/* One depth of one lane. Spans at least fold_px wide are drawn as they are;
 * a run of narrower ones (each starting less than fold_px after the
 * previous one ended) becomes one box with a count. Every step moves at
 * least fold_px to the right, so the work follows pixels, not spans. */
void
lab_layout_emit_row (LabTimelineLayout *self,
                     guint              lane_index,
                     guint              depth,
                     double             y,
                     double             h)
{
  const LabTraceLane *lane = lab_trace_get_lane (self->trace, lane_index);
  const LabSpan *spans = (const LabSpan *) (gpointer) lane->spans[depth]->data;
  guint n = lane->spans[depth]->len;
  double fold = MAX (self->style.fold_px, 0.5);
  double right = self->plot_x + self->plot_w;
  gint64 view_end_abs = self->origin_ns + lab_layout_real (self, self->vp.end_ns);
  guint i;

  i = spans_lower_bound_end (spans, 0, n,
                             self->origin_ns + lab_layout_real (self, self->vp.start_ns) + 1);

  while (i < n && spans[i].start_ns < view_end_abs)
    {
      double x0 = lab_layout_x (self, spans[i].start_ns - self->origin_ns);
      double x1 = lab_layout_x (self, span_end_rel (self, &spans[i]));
      guint first = i;
      gboolean mixed = FALSE;
      guint32 key = span_key (self, &spans[i]);
      guint flips = 0;
      guint last = i;
      double gx1 = x1;

      if (x0 > right)
        break;

      if (x1 - x0 >= fold)
        {
          emit_span (self, lane_index, depth, i, &spans[i], x0, x1, y, h);
          i++;
          continue;
        }

      while (last + 1 < n && gx1 <= right + fold)
        {
          /* Every span ending before gx1 + fold lies within reach. */
          guint j = spans_lower_bound_end (spans, last + 1, n, lab_layout_abs_at (self, gx1 + fold));
          guint next;
          double next_x1, nx0;

          if (j > last + 1)
            {
              next = j - 1;
              next_x1 = lab_layout_x (self, span_end_rel (self, &spans[next]));
            }
          else
            {
              nx0 = lab_layout_x (self, spans[j].start_ns - self->origin_ns);
              next_x1 = lab_layout_x (self, span_end_rel (self, &spans[j]));
              if (next_x1 - nx0 >= fold || nx0 - gx1 >= fold)
                break;
              next = j;
            }

          /* One state (or label) sample per step, about one per fold_px: a
           * run of one state ends where another starts (once it is wide
           * enough to show), a jumble of states becomes one neutral box. */
          if (!mixed && span_key (self, &spans[next]) != key)
            {
              if (gx1 - x0 >= 2 * fold)
                break;
              if (++flips > 1)
                mixed = TRUE;
              key = span_key (self, &spans[next]);
            }
          last = next;
          gx1 = next_x1;
        }

      if (last == first)
        emit_span (self, lane_index, depth, first, &spans[first], x0, x1, y, h);
      else
        /* LAB_STATE_N: several states. */
        emit_folded (self, lane_index, depth, first, last - first + 1,
                     mixed || self->style.color_by_label ? LAB_STATE_N : key,
                     key_fill (self, key, mixed), x0, gx1, y, h);
      i = last + 1;
    }
}
