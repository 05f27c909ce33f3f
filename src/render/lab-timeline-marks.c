/* lab-timeline-marks.c — marks (folded when close) and arrows between
 * marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdlib.h>

#include "lab-timeline-layout-private.h"

#define HIGHLIGHT_FLAGS (LAB_EVENT_FLAG_HIGHLIGHT | LAB_EVENT_FLAG_ERROR)

void
lab_timeline_marks_init (LabTimelineMarks *marks)
{
  marks->highlighted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  marks->scanned = g_array_new (FALSE, TRUE, sizeof (guint));
  marks->any = FALSE;
}

void
lab_timeline_marks_clear (LabTimelineMarks *marks)
{
  g_clear_pointer (&marks->highlighted, g_ptr_array_unref);
  g_clear_pointer (&marks->scanned, g_array_unref);
}

void
lab_timeline_marks_reset (LabTimelineMarks *marks)
{
  g_ptr_array_set_size (marks->highlighted, 0);
  g_array_set_size (marks->scanned, 0);
}

void
lab_layout_update_highlights (LabTimelineLayout *self)
{
  guint n_lanes = self->trace != NULL ? lab_trace_get_n_lanes (self->trace) : 0;

  self->marks.any = FALSE;
  while (self->marks.highlighted->len < n_lanes)
    {
      guint zero = 0;

      g_ptr_array_add (self->marks.highlighted, g_array_new (FALSE, FALSE, sizeof (guint32)));
      g_array_append_val (self->marks.scanned, zero);
    }

  /* Only the marks added since the last compute are looked at. */
  for (guint i = 0; i < n_lanes; i++)
    {
      const LabTraceLane *lane = lab_trace_get_lane (self->trace, i);
      GArray *hl = g_ptr_array_index (self->marks.highlighted, i);
      guint *scanned = &g_array_index (self->marks.scanned, guint, i);
      const guint32 *marks = (const guint32 *) (gpointer) lane->marks->data;
      const LabEvent *events = (const LabEvent *) (gpointer) lane->events->data;

      for (guint k = *scanned; k < lane->marks->len; k++)
        if (events[marks[k]].flags & HIGHLIGHT_FLAGS)
          g_array_append_val (hl, marks[k]);
      *scanned = lane->marks->len;
      if (lane->marks->len > 0)
        self->marks.any = TRUE;
    }
}

/* First k in [lo, n) with events[idx[k]].ts_ns >= abs_ns. */
static guint
marks_lower_bound (const LabEvent *events,
                   const guint32  *idx,
                   guint           lo,
                   guint           n,
                   gint64          abs_ns)
{
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (events[idx[mid]].ts_ns < abs_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

typedef struct
{
  double cx;
  guint  first; /* position in the index array */
  guint  count;
} MarkGroup;

/* Groups the marks of @idx visible in the plot: marks closer than
 * mark_fold_px to a group's first mark join it. One binary search per
 * group, and groups are at least mark_fold_px apart. */
static void
group_marks (LabTimelineLayout *self,
             const LabEvent    *events,
             const guint32     *idx,
             guint              n,
             double             r,
             GArray            *groups)
{
  double right = self->plot_x + self->plot_w;
  double fold = MAX (self->style.mark_fold_px, 0.5);
  guint k = marks_lower_bound (events, idx, 0, n, lab_layout_abs_at (self, self->plot_x - r));

  g_array_set_size (groups, 0);
  while (k < n)
    {
      MarkGroup group;
      guint next;

      group.cx = lab_layout_x (self, events[idx[k]].ts_ns - self->origin_ns);
      if (group.cx > right + r)
        break;
      next = marks_lower_bound (events, idx, k + 1, n, lab_layout_abs_at (self, group.cx + fold));
      group.first = k;
      group.count = next - k;
      g_array_append_val (groups, group);
      k = next;
    }
}

/* A run of at least this many groups, each within two fold widths of the
 * next, is one strip: past that a row of diamonds says no more than a bar
 * does, and each is a shape cairo has to fill and stroke. */
#define STRIP_MIN_GROUPS 4

/* The groups from @g on that make one strip (1 if none). */
static guint
strip_length (LabTimelineLayout *self,
              GArray            *groups,
              guint              g)
{
  double reach = 2 * MAX (self->style.mark_fold_px, 0.5);
  guint end = g + 1;

  while (end < groups->len &&
         g_array_index (groups, MarkGroup, end).cx - g_array_index (groups, MarkGroup, end - 1).cx <= reach)
    end++;
  return end - g >= STRIP_MIN_GROUPS ? end - g : 1;
}

static void
emit_strip (LabTimelineLayout *self,
            guint              lane_index,
            const guint32     *marks,
            GArray            *groups,
            guint              g,
            guint              n_groups,
            double             cy,
            double             r)
{
  const MarkGroup *first = &g_array_index (groups, MarkGroup, g);
  const MarkGroup *last = &g_array_index (groups, MarkGroup, g + n_groups - 1);
  double h = MAX (r * 1.2, 3);
  LabColor color = self->palette->mark;
  LabPrim *prim;

  color.alpha *= 0.55f;
  prim = lab_layout_add (self, self->prims, LAB_PRIM_MARK, first->cx - r, cy - h / 2,
                         last->cx - first->cx + 2 * r, h, &color);
  prim->color2 = self->palette->mark;
  prim->flags |= LAB_PRIM_FLAG_STRIP;
  prim->lane = lane_index;
  prim->index = marks[first->first];
  prim->count = last->first + last->count - first->first;
}

static char *
mark_text (LabTimelineLayout *self,
           const LabEvent    *event,
           guint              count)
{
  const char *label;

  if (count > 1)
    /* Translators: several marks folded into one; %u is how many */
    return g_strdup_printf (_("×%u"), count);

  label = lab_trace_get_string (self->trace, event->label);
  if (label != NULL && label[0] != '\0')
    return g_strdup (label);
  return g_strdup_printf ("%" G_GINT64_FORMAT, event->value);
}

static void
emit_lane_marks (LabTimelineLayout  *self,
                 guint               lane_index,
                 const LabLaneGeom  *geom,
                 GArray             *groups)
{
  const LabPalette *pal = self->palette;
  const LabTraceLane *lane = lab_trace_get_lane (self->trace, lane_index);
  const LabEvent *events = (const LabEvent *) (gpointer) lane->events->data;
  const guint32 *marks = (const guint32 *) (gpointer) lane->marks->data;
  GArray *hl = g_ptr_array_index (self->marks.highlighted, lane_index);
  double mh = self->style.mark_height;
  double cy = geom->marks_y + mh / 2;
  double r = MAX (MIN (mh / 2 - 2, 6), 2);
  double right = self->plot_x + self->plot_w;
  double sfs = self->style.small_font_size;
  double used_x = self->plot_x; /* right end of the last mark or label */

  group_marks (self, events, marks, lane->marks->len, r, groups);

  for (guint g = 0; g < groups->len; g++)
    {
      const MarkGroup *group = &g_array_index (groups, MarkGroup, g);
      const LabEvent *event = &events[marks[group->first]];
      guint n_strip = strip_length (self, groups, g);
      LabPrim *prim;
      double tx = group->cx + r + 3;
      double avail, tw, left_room;
      gboolean bold;
      guint16 flags;
      const LabColor *color;
      char *text;

      if (n_strip > 1)
        {
          emit_strip (self, lane_index, marks, groups, g, n_strip, cy, r);
          g += n_strip - 1;
          used_x = g_array_index (groups, MarkGroup, g).cx + r;
          continue;
        }
      prim = lab_layout_add (self, self->prims, LAB_PRIM_MARK, group->cx - r, cy - r,
                             2 * r, 2 * r, &pal->mark);
      prim->color2 = pal->mark_outline;
      prim->lane = lane_index;
      prim->index = marks[group->first];
      prim->count = group->count;
      if (group->count > 1)
        prim->flags |= LAB_PRIM_FLAG_DIAMOND;
      else if (event->flags & LAB_EVENT_FLAG_OUTPUT)
        prim->flags |= LAB_PRIM_FLAG_OUTPUT;

      /* The label goes right of the mark if there is room before the next
       * one, else left of it if there is room after the previous label. */
      if (g + 1 < groups->len)
        avail = g_array_index (groups, MarkGroup, g + 1).cx - r - 4 - tx;
      else
        avail = right - 2 - tx;
      bold = (event->flags & HIGHLIGHT_FLAGS) != 0;
      text = mark_text (self, event, group->count);
      tw = lab_layout_measure (self, text, sfs, bold) + 2;
      left_room = group->cx - r - 3 - (used_x + 4);
      flags = bold ? LAB_PRIM_FLAG_BOLD : LAB_PRIM_FLAG_NONE;
      color = bold && group->count == 1 ? &pal->highlight : &pal->text;

      if (mh < sfs)
        {
          /* Compact lanes: no room for words; the tooltip has them. */
          used_x = group->cx + r;
        }
      else if (tw <= avail || (avail >= 40 && tw > left_room))
        {
          lab_layout_add_text (self, self->pending, text, tx, geom->marks_y, MIN (avail, tw),
                               mh, sfs, flags, color);
          used_x = tx + MIN (avail, tw);
        }
      else if (tw <= left_room)
        {
          lab_layout_add_text (self, self->pending, text, group->cx - r - 3 - tw, geom->marks_y,
                               tw, mh, sfs, flags | LAB_PRIM_FLAG_ALIGN_RIGHT, color);
          used_x = group->cx + r;
        }
      else
        {
          used_x = group->cx + r;
        }
      g_free (text);
    }

  /* Highlighted marks on top, never hidden by folding. */
  group_marks (self, events, (const guint32 *) (gpointer) hl->data, hl->len, r, groups);
  for (guint g = 0; g < groups->len; g++)
    {
      const MarkGroup *group = &g_array_index (groups, MarkGroup, g);
      guint32 event_index = g_array_index (hl, guint32, group->first);
      LabPrim *prim = lab_layout_add (self, self->prims, LAB_PRIM_MARK,
                                      group->cx - r - 1, cy - r - 1,
                                      2 * r + 2, 2 * r + 2, &pal->highlight);

      prim->color2 = pal->mark_outline;
      prim->flags |= LAB_PRIM_FLAG_HIGHLIGHT;
      if (group->count > 1)
        prim->flags |= LAB_PRIM_FLAG_DIAMOND;
      prim->lane = lane_index;
      prim->index = event_index;
      prim->count = group->count;
    }
}

void
lab_layout_emit_marks (LabTimelineLayout *self)
{
  GArray *groups;

  if (!self->marks.any)
    return;

  groups = g_array_new (FALSE, FALSE, sizeof (MarkGroup));
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);

      if (!geom->has_marks ||
          geom->y + geom->height <= self->lanes_y ||
          geom->y >= self->lanes_y + self->lanes_h)
        continue;
      emit_lane_marks (self, i, geom, groups);
    }
  g_array_unref (groups);
}

/* ---- arrows ---- */

typedef struct
{
  guint64  key;   /* quantised ends: arrows drawn on the same pixels once */
  guint    flow;  /* index in the trace's flows */
  gboolean highlight;
} ArrowCandidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const ArrowCandidate *ca = a;
  const ArrowCandidate *cb = b;

  if (ca->highlight != cb->highlight)
    return ca->highlight ? -1 : 1;
  if (ca->key != cb->key)
    return ca->key < cb->key ? -1 : 1;
  return ca->flow < cb->flow ? -1 : (ca->flow > cb->flow);
}

/* Arrows whose ends fall in the same columns of ARROW_FOLD_PX between the
 * same lanes are drawn once: denser than that they are a smear, and each
 * is a curve cairo strokes (a zoomed-out million-event run has thousands). */
#define ARROW_FOLD_PX 32

static guint64
quantise (double x)
{
  return (guint64) CLAMP (floor (x / ARROW_FOLD_PX) + 8192, 0, 65535);
}

static gboolean
flow_ends (LabTimelineLayout   *self,
           const LabFlowArrow  *flow,
           const LabEvent     **from,
           const LabEvent     **to)
{
  const LabTraceLane *a, *b;

  if (flow->from_lane >= self->lanes->len || flow->to_lane >= self->lanes->len)
    return FALSE;
  a = lab_trace_get_lane (self->trace, flow->from_lane);
  b = lab_trace_get_lane (self->trace, flow->to_lane);
  if (flow->from_index >= a->events->len || flow->to_index >= b->events->len)
    return FALSE;
  *from = &g_array_index (a->events, LabEvent, flow->from_index);
  *to = &g_array_index (b->events, LabEvent, flow->to_index);
  return TRUE;
}

static void
emit_arrow (LabTimelineLayout  *self,
            const LabFlowArrow *flow,
            gboolean            highlight)
{
  const LabEvent *from, *to;
  const LabLaneGeom *g0 = &g_array_index (self->lanes, LabLaneGeom, flow->from_lane);
  const LabLaneGeom *g1 = &g_array_index (self->lanes, LabLaneGeom, flow->to_lane);
  double mh = self->style.mark_height;
  double r = MAX (MIN (mh / 2 - 2, 6), 2);
  double x0, y0, x1, y1, dx;
  LabPoint p[4];
  LabPrim *prim;
  double min_x, max_x, min_y, max_y;

  if (!flow_ends (self, flow, &from, &to))
    return;

  /* Ends off the plot stay where they are (the clip cuts them), within
   * reason: cairo's coordinates are limited. */
  x0 = lab_layout_x (self, from->ts_ns - self->origin_ns);
  x1 = lab_layout_x (self, to->ts_ns - self->origin_ns);
  x0 = CLAMP (x0, self->plot_x - 4 * self->plot_w, self->plot_x + 5 * self->plot_w);
  x1 = CLAMP (x1, self->plot_x - 4 * self->plot_w, self->plot_x + 5 * self->plot_w);
  y0 = g0->marks_y + mh / 2;
  y1 = g1->marks_y + mh / 2;
  dx = x1 - x0;

  if (flow->from_lane == flow->to_lane)
    {
      /* An arc over the lane's marks. */
      /* Low enough to stay within the lane's padding above the marks. */
      double bulge = CLAMP (ABS (dx) * 0.25, 6, mh * 0.5);

      p[0] = (LabPoint) { x0, y0 - r };
      p[1] = (LabPoint) { x0 + dx / 4, y0 - r - bulge };
      p[2] = (LabPoint) { x1 - dx / 4, y1 - r - bulge };
      p[3] = (LabPoint) { x1, y1 - r };
    }
  else
    {
      double dir = dx >= 0 ? 1 : -1;
      double k = MAX (ABS (dx) / 2, 16);

      p[0] = (LabPoint) { x0 + dir * r, y0 };
      p[1] = (LabPoint) { x0 + dir * k, y0 };
      p[2] = (LabPoint) { x1 - dir * k, y1 };
      p[3] = (LabPoint) { x1 - dir * r, y1 };
    }

  min_x = max_x = p[0].x;
  min_y = max_y = p[0].y;
  for (guint i = 1; i < 4; i++)
    {
      min_x = MIN (min_x, p[i].x);
      max_x = MAX (max_x, p[i].x);
      min_y = MIN (min_y, p[i].y);
      max_y = MAX (max_y, p[i].y);
    }

  prim = lab_layout_add (self, self->prims, LAB_PRIM_ARROW, min_x, min_y,
                         max_x - min_x, max_y - min_y,
                         highlight ? &self->palette->highlight : &self->palette->arrow);
  prim->index = self->points->len;
  prim->count = 4;
  prim->lane = flow->from_lane;
  prim->size = highlight ? 2 : 1.25;
  if (highlight)
    prim->flags |= LAB_PRIM_FLAG_HIGHLIGHT;
  g_array_append_vals (self->points, p, 4);
}

void
lab_layout_emit_arrows (LabTimelineLayout *self)
{
  guint n_flows = 0;
  const LabFlowArrow *flows = lab_trace_get_flows (self->trace, &n_flows);
  double left = self->plot_x - 20;
  double right = self->plot_x + self->plot_w + 20;
  double top = self->lanes_y;
  double bottom = self->lanes_y + self->lanes_h;
  GArray *candidates;
  guint64 last_key = G_MAXUINT64;
  gboolean last_highlight = FALSE;
  guint emitted = 0;

  if (n_flows == 0)
    return;

  candidates = g_array_new (FALSE, FALSE, sizeof (ArrowCandidate));
  for (guint i = 0; i < n_flows; i++)
    {
      const LabEvent *from, *to;
      const LabLaneGeom *g0, *g1;
      double x0, x1, y0, y1;
      ArrowCandidate c;

      if (!flow_ends (self, &flows[i], &from, &to))
        continue;
      x0 = lab_layout_x (self, from->ts_ns - self->origin_ns);
      x1 = lab_layout_x (self, to->ts_ns - self->origin_ns);
      if (MAX (x0, x1) < left || MIN (x0, x1) > right)
        continue;
      g0 = &g_array_index (self->lanes, LabLaneGeom, flows[i].from_lane);
      g1 = &g_array_index (self->lanes, LabLaneGeom, flows[i].to_lane);
      y0 = g0->marks_y;
      y1 = g1->marks_y;
      if (MAX (y0, y1) + self->style.mark_height < top || MIN (y0, y1) - self->style.mark_height > bottom)
        continue;

      c.key = quantise (x0) | (guint64) flows[i].from_lane << 16 |
              quantise (x1) << 32 | (guint64) flows[i].to_lane << 48;
      c.flow = i;
      c.highlight = ((from->flags | to->flags) & HIGHLIGHT_FLAGS) != 0;
      g_array_append_val (candidates, c);
    }

  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len && emitted < LAB_TIMELINE_MAX_ARROWS; i++)
    {
      const ArrowCandidate *c = &g_array_index (candidates, ArrowCandidate, i);

      if (c->key == last_key && c->highlight == last_highlight)
        continue;
      last_key = c->key;
      last_highlight = c->highlight;
      emit_arrow (self, &flows[c->flow], c->highlight);
      emitted++;
    }
  g_array_unref (candidates);
}
