/* lab-timeline-hit.c — hit-testing and tooltip text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>
#include <string.h>

#include "lab-timeline-layout-private.h"

/* ---- hit-testing ---- */

static gboolean
prim_contains (const LabPrim *prim,
               double         x,
               double         y)
{
  double slack;

  switch (prim->kind)
    {
    case LAB_PRIM_MARK:
      slack = MAX (0, 5 - prim->w / 2);
      return x >= prim->x - slack && x <= prim->x + prim->w + slack &&
             y >= prim->y - 2 && y <= prim->y + prim->h + 2;

    case LAB_PRIM_SPAN:
    case LAB_PRIM_FOLDED:
      slack = prim->w < 3 ? (3 - prim->w) / 2 : 0;
      return x >= prim->x - slack && x < prim->x + prim->w + slack &&
             y >= prim->y && y < prim->y + prim->h;

    default:
      return FALSE;
    }
}

static void
fill_span (LabTimelineLayout *self,
           const LabPrim     *prim,
           LabTimelineHit    *hit)
{
  const LabTraceLane *lane = lab_trace_get_lane (self->trace, prim->lane);
  const LabSpan *first = &g_array_index (lane->spans[prim->depth], LabSpan, prim->index);
  const LabSpan *last = &g_array_index (lane->spans[prim->depth], LabSpan,
                                        prim->index + prim->count - 1);
  const LabEvent *begin = &g_array_index (lane->events, LabEvent, first->begin_index);
  gint64 end_rel = last->open ? MAX (self->trace_end, last->start_ns - self->origin_ns)
                              : last->end_ns - self->origin_ns;

  hit->kind = prim->kind == LAB_PRIM_FOLDED ? LAB_TIMELINE_HIT_FOLDED : LAB_TIMELINE_HIT_SPAN;
  hit->depth = prim->depth;
  hit->state = first->state;
  hit->start_ns = first->start_ns - self->origin_ns;
  hit->duration_ns = end_rel - hit->start_ns;
  hit->open = last->open;
  hit->label = lab_trace_get_string (self->trace, first->label);
  hit->cpu = begin->cpu;
  hit->flags = begin->flags;
  hit->value = begin->value;
}

static void
fill_mark (LabTimelineLayout *self,
           const LabPrim     *prim,
           LabTimelineHit    *hit)
{
  const LabTraceLane *lane = lab_trace_get_lane (self->trace, prim->lane);
  const LabEvent *event = &g_array_index (lane->events, LabEvent, prim->index);

  hit->kind = LAB_TIMELINE_HIT_MARK;
  hit->start_ns = event->ts_ns - self->origin_ns;
  hit->value = event->value;
  hit->cpu = event->cpu;
  hit->flags = event->flags;
  hit->label = lab_trace_get_string (self->trace, event->label);
}

gboolean
lab_timeline_layout_hit_test (LabTimelineLayout *self,
                              double             x,
                              double             y,
                              LabTimelineHit    *hit)
{
  const LabPrim *prims = (const LabPrim *) (gpointer) self->prims->data;

  g_return_val_if_fail (hit != NULL, FALSE);

  memset (hit, 0, sizeof *hit);
  hit->cpu = -1;
  hit->label = "";

  if (self->trace == NULL || x < 0 || y < 0 || x >= self->vp.width || y >= self->vp.height)
    return FALSE;

  if (y < self->lanes_y)
    {
      hit->kind = LAB_TIMELINE_HIT_RULER;
      hit->start_ns = lab_timeline_layout_x_to_time (self, x);
      hit->x = 0;
      hit->y = 0;
      hit->width = self->vp.width;
      hit->height = self->lanes_y;
      return TRUE;
    }

  if (y >= self->counters_y && self->style.counter_height > 0)
    {
      guint c = (guint) ((y - self->counters_y) / self->style.counter_height);

      if (c >= lab_trace_get_n_counters (self->trace))
        return FALSE;
      hit->kind = LAB_TIMELINE_HIT_COUNTER;
      hit->lane = c;
      hit->label = lab_trace_get_string (self->trace, lab_trace_get_counter (self->trace, c)->label);
      hit->start_ns = lab_timeline_layout_x_to_time (self, MAX (x, self->plot_x));
      if (!lab_layout_counter_value_at (self, c, self->origin_ns + hit->start_ns, &hit->value))
        hit->count = 0;
      else
        hit->count = 1;
      hit->x = MAX (x, self->plot_x);
      hit->y = self->counters_y + c * self->style.counter_height;
      hit->width = 0;
      hit->height = self->style.counter_height;
      return TRUE;
    }

  if (x < self->plot_x)
    {
      for (guint i = 0; i < self->lanes->len; i++)
        {
          const LabLaneGeom *geom = &g_array_index (self->lanes, LabLaneGeom, i);

          if (y >= geom->y && y < geom->y + geom->height)
            {
              hit->kind = LAB_TIMELINE_HIT_LANE;
              hit->lane = i;
              hit->label = lab_trace_get_lane (self->trace, i)->name;
              hit->x = 0;
              hit->y = geom->y;
              hit->width = self->plot_x;
              hit->height = geom->height;
              return TRUE;
            }
        }
      return FALSE;
    }

  /* Topmost first: highlighted marks, marks, then spans. */
  for (guint i = self->prims->len; i > 0; i--)
    {
      const LabPrim *prim = &prims[i - 1];

      if (!prim_contains (prim, x, y))
        continue;

      hit->lane = prim->lane;
      hit->index = prim->index;
      hit->count = prim->count;
      hit->x = prim->x;
      hit->y = prim->y;
      hit->width = prim->w;
      hit->height = prim->h;
      if (prim->kind == LAB_PRIM_MARK)
        fill_mark (self, prim, hit);
      else
        fill_span (self, prim, hit);
      return TRUE;
    }

  return FALSE;
}

/* ---- tooltip text ---- */

static void
append_time (GString    *str,
             const char *format,
             gint64      ns)
{
  char *text = lab_timeline_format_duration (ns);

  g_string_append_printf (str, format, text);
  g_free (text);
}

static void
append_lane (LabTimelineLayout *self,
             GString           *str,
             guint              index)
{
  const LabTraceLane *lane = lab_trace_get_lane (self->trace, index);

  g_string_append (str, lane->name);
  if (lane->tid != 0)
    {
      g_string_append (str, " · ");
      if (lane->kind == LAB_LANE_PROCESS)
        g_string_append_printf (str, _("pid %d"), lane->tid);
      else
        g_string_append_printf (str, _("tid %d"), lane->tid);
    }
}

static void
append_cpu (GString              *str,
            const LabTimelineHit *hit)
{
  if (hit->cpu >= 0)
    {
      g_string_append_c (str, '\n');
      /* Translators: the CPU an event was recorded on */
      g_string_append_printf (str, _("CPU %d"), hit->cpu);
    }
}

/* "412 voluntary, 37 involuntary context switches" and what they mean. */
static void
append_switches (GString *str,
                 guint32  voluntary,
                 guint32  involuntary)
{
  /* Translators: the start of "412 voluntary, 37 involuntary context switches" */
  char *first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u voluntary", "%u voluntary",
                                              voluntary), voluntary);

  g_string_append_c (str, '\n');
  /* Translators: %s is the "412 voluntary" above; %u counts the involuntary ones */
  g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%s, %u involuntary context switch",
                                            "%s, %u involuntary context switches", involuntary),
                          first, involuntary);
  g_string_append_c (str, '\n');
  g_string_append (str, _("Voluntary: the thread gave up the CPU (slept, waited); "
                          "involuntary: the scheduler took it away"));
  g_free (first);
}

char *
lab_timeline_hit_describe (LabTimelineLayout    *self,
                           const LabTimelineHit *hit)
{
  GString *str = g_string_new (NULL);

  switch (hit->kind)
    {
    case LAB_TIMELINE_HIT_SPAN:
      g_string_append_printf (str, "%s", lab_state_to_label (hit->state));
      if (hit->label[0] != '\0')
        g_string_append_printf (str, " — %s", hit->label);
      g_string_append_c (str, '\n');
      append_lane (self, str, hit->lane);
      g_string_append_c (str, '\n');
      append_time (str, _("Starts at %s"), hit->start_ns);
      g_string_append_c (str, '\n');
      if (hit->open)
        append_time (str, _("Still going after %s"), hit->duration_ns);
      else
        append_time (str, _("Lasts %s"), hit->duration_ns);
      append_cpu (str, hit);
      break;

    case LAB_TIMELINE_HIT_FOLDED:
      g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE,
                                                "%u span, too short to draw one by one",
                                                "%u spans, too short to draw one by one",
                                                hit->count), hit->count);
      g_string_append_c (str, '\n');
      append_lane (self, str, hit->lane);
      g_string_append_c (str, '\n');
      {
        char *from = lab_timeline_format_duration (hit->start_ns);
        char *length = lab_timeline_format_duration (hit->duration_ns);

        /* Translators: a time since the start, then a duration */
        g_string_append_printf (str, _("From %s, for %s"), from, length);
        g_free (from);
        g_free (length);
      }
      g_string_append_c (str, '\n');
      g_string_append (str, _("Zoom in (Ctrl+scroll) to see them"));
      break;

    case LAB_TIMELINE_HIT_MARK:
      if (hit->count > 1)
        g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%u event here", "%u events here",
                                                  hit->count), hit->count);
      else if (hit->label[0] != '\0')
        g_string_append (str, hit->label);
      else
        g_string_append (str, _("Event"));
      g_string_append_c (str, '\n');
      append_lane (self, str, hit->lane);
      g_string_append_c (str, '\n');
      append_time (str, _("At %s"), hit->start_ns);
      if (hit->count <= 1)
        {
          char *value = g_strdup_printf ("%" G_GINT64_FORMAT, hit->value);

          g_string_append_c (str, '\n');
          g_string_append_printf (str, _("Value: %s"), value);
          g_free (value);
          append_cpu (str, hit);
          if (hit->flags & LAB_EVENT_FLAG_ERROR)
            g_string_append_printf (str, "\n%s", _("Something failed here"));
          else if (hit->flags & LAB_EVENT_FLAG_HIGHLIGHT)
            g_string_append_printf (str, "\n%s", _("Highlighted: a lost update or another problem"));
        }
      break;

    case LAB_TIMELINE_HIT_COUNTER:
      if (hit->count > 0)
        g_string_append_printf (str, "%s: %" G_GINT64_FORMAT, hit->label, hit->value);
      else
        g_string_append_printf (str, _("%s: no value yet"), hit->label);
      g_string_append_c (str, '\n');
      append_time (str, _("At %s"), hit->start_ns);
      break;

    case LAB_TIMELINE_HIT_LANE:
      {
        const LabTraceLane *lane = lab_trace_get_lane (self->trace, hit->lane);
        guint n_spans = 0;

        for (guint d = 0; d < LAB_TRACE_MAX_DEPTH; d++)
          n_spans += lane->spans[d]->len;
        append_lane (self, str, hit->lane);
        g_string_append_c (str, '\n');
        g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events",
                                                  lane->events->len), lane->events->len);
        g_string_append (str, ", ");
        g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%u span", "%u spans",
                                                  n_spans), n_spans);
        if (lane->has_thread_stats)
          append_switches (str, lane->voluntary_switches, lane->involuntary_switches);
      }
      break;

    case LAB_TIMELINE_HIT_RULER:
      append_time (str, _("%s since the start"), hit->start_ns);
      g_string_append_c (str, '\n');
      g_string_append (str, _("Ctrl+scroll or +/− to zoom, drag to pan, 0 to fit"));
      break;

    case LAB_TIMELINE_HIT_NONE:
    default:
      break;
    }

  return g_string_free (str, FALSE);
}
