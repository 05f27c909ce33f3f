/* lab-palette.h — the one palette of every view, light and dark: the
 * timeline's state colours and frame, and the series colours that the
 * charts use per series and the cores view per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lab-color.h"
#include "lab-event.h"

G_BEGIN_DECLS

/* Series colours before they cycle. */
#define LAB_PALETTE_N_SERIES 7

typedef struct
{
  LabColor state_fill[LAB_STATE_N]; /* span boxes; use lab_palette_state() */
  LabColor unknown;         /* a state without a colour, a span without a label */
  LabColor background;
  LabColor lane_alt;        /* every other lane */
  LabColor text;
  LabColor text_dim;
  LabColor grid;
  LabColor ruler_background;
  LabColor label_background; /* the lane name column */
  LabColor separator;
  LabColor mark;
  LabColor mark_outline;
  LabColor highlight;       /* lost updates, errors: marks and arrows */
  LabColor arrow;
  LabColor counter_line;
  LabColor counter_fill;
  LabColor hover;           /* outline of the hovered shape */
  LabColor series[LAB_PALETTE_N_SERIES]; /* use lab_palette_series() */
} LabPalette;

/* Static, colour-blind-aware palettes (Okabe–Ito based). */
const LabPalette *lab_palette_get    (gboolean          dark);
/* The fill of @state (a neutral grey for a state without a colour). */
const LabColor   *lab_palette_state  (const LabPalette *palette,
                                      guint             state);
/* The colour of series (or segment, or thread) @index, cycling; neighbours
 * stay apart for the common colour blindnesses. */
const LabColor   *lab_palette_series (const LabPalette *palette,
                                      guint             index);

G_END_DECLS
