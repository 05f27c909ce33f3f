/* lab-palette.c — the one palette of every view: state colours of the
 * timeline, the series of the charts (also the per-thread colours of the
 * cores view), and the colours of the frame around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-palette.h"

/* State colours follow the Okabe–Ito set where they can, which stays
 * distinct for the common forms of colour blindness; lightness differs too,
 * so running, sleeping and waiting stay apart even in greyscale. Related
 * states share a family: request phases go from pale to deep blue-green,
 * waits are warm (amber, yellow, vermilion). */
static const LabPalette light_palette = {
  .state_fill = {
    [LAB_STATE_RUNNING]     = LAB_RGB (0x0072B2), /* blue */
    [LAB_STATE_SLEEPING]    = LAB_RGB (0xC4C1DB), /* lavender grey */
    [LAB_STATE_WAITING]     = LAB_RGB (0xE69F00), /* amber */
    [LAB_STATE_LOCK_WAIT]   = LAB_RGB (0xD55E00), /* vermilion */
    [LAB_STATE_LOCK_HELD]   = LAB_RGB (0xCC79A7), /* reddish purple */
    [LAB_STATE_GIL_WAIT]    = LAB_RGB (0xF0E442), /* yellow */
    [LAB_STATE_IO_DNS]      = LAB_RGB (0xB9DDF1), /* pale sky */
    [LAB_STATE_IO_CONNECT]  = LAB_RGB (0x56B4E9), /* sky blue */
    [LAB_STATE_IO_WAIT]     = LAB_RGB (0xF2D68F), /* sand */
    [LAB_STATE_IO_TRANSFER] = LAB_RGB (0x009E73), /* bluish green */
    [LAB_STATE_SPAWNING]    = LAB_RGB (0x6A4C93), /* violet */
    [LAB_STATE_SENDING]     = LAB_RGB (0x44AA99), /* teal */
    [LAB_STATE_FAILED]      = LAB_RGB (0x9E0F14), /* dark red */
  },
  .background       = LAB_RGB (0xFFFFFF),
  .lane_alt         = LAB_RGB (0xF5F5F8),
  .text             = LAB_RGB (0x1E1E24),
  .text_dim         = LAB_RGB (0x65657A),
  .grid             = LAB_RGBA (0x000000, 0.07f),
  .ruler_background = LAB_RGB (0xEEEEF2),
  .label_background = LAB_RGB (0xF7F7FA),
  .separator        = LAB_RGBA (0x000000, 0.13f),
  .mark             = LAB_RGB (0x33333F),
  .mark_outline     = LAB_RGB (0xFFFFFF),
  .highlight        = LAB_RGB (0xD7191C),
  .arrow            = LAB_RGBA (0x33333F, 0.7f),
  .counter_line     = LAB_RGB (0x009E73),
  .counter_fill     = LAB_RGBA (0x009E73, 0.22f),
  .hover            = LAB_RGB (0x1E1E24),
  .unknown          = LAB_RGB (0x9A9AA6),
  /* Okabe–Ito order with the two most different hues first (two series
   * are the common case: GIL on / off, sequential / threaded). */
  .series = {
    LAB_RGB (0x0072B2), /* blue */
    LAB_RGB (0xE69F00), /* orange */
    LAB_RGB (0x009E73), /* bluish green */
    LAB_RGB (0xCC79A7), /* reddish purple */
    LAB_RGB (0xD55E00), /* vermilion */
    LAB_RGB (0x56B4E9), /* sky blue */
    LAB_RGB (0x7F7F8C), /* grey */
  },
};

static const LabPalette dark_palette = {
  .state_fill = {
    [LAB_STATE_RUNNING]     = LAB_RGB (0x56B4E9), /* sky blue */
    [LAB_STATE_SLEEPING]    = LAB_RGB (0x5D5A7C), /* dusk lavender */
    [LAB_STATE_WAITING]     = LAB_RGB (0xE6B040), /* amber */
    [LAB_STATE_LOCK_WAIT]   = LAB_RGB (0xF0803C), /* vermilion */
    [LAB_STATE_LOCK_HELD]   = LAB_RGB (0xDB8FC0), /* reddish purple */
    [LAB_STATE_GIL_WAIT]    = LAB_RGB (0xE8DC5A), /* yellow */
    [LAB_STATE_IO_DNS]      = LAB_RGB (0x3B5E75), /* deep sky */
    [LAB_STATE_IO_CONNECT]  = LAB_RGB (0x2F8FC4), /* blue */
    [LAB_STATE_IO_WAIT]     = LAB_RGB (0xC9A85A), /* sand */
    [LAB_STATE_IO_TRANSFER] = LAB_RGB (0x2BC496), /* bluish green */
    [LAB_STATE_SPAWNING]    = LAB_RGB (0xA98BD6), /* violet */
    [LAB_STATE_SENDING]     = LAB_RGB (0x5CC2B0), /* teal */
    [LAB_STATE_FAILED]      = LAB_RGB (0xE5484D), /* red */
  },
  .background       = LAB_RGB (0x1E1E23),
  .lane_alt         = LAB_RGB (0x25252B),
  .text             = LAB_RGB (0xEDEDF2),
  .text_dim         = LAB_RGB (0xA0A0AE),
  .grid             = LAB_RGBA (0xFFFFFF, 0.07f),
  .ruler_background = LAB_RGB (0x2B2B32),
  .label_background = LAB_RGB (0x232329),
  .separator        = LAB_RGBA (0xFFFFFF, 0.13f),
  .mark             = LAB_RGB (0xDCDCE4),
  .mark_outline     = LAB_RGB (0x1E1E23),
  .highlight        = LAB_RGB (0xFF5C5C),
  .arrow            = LAB_RGBA (0xDCDCE4, 0.7f),
  .counter_line     = LAB_RGB (0x3CCB9A),
  .counter_fill     = LAB_RGBA (0x3CCB9A, 0.22f),
  .hover            = LAB_RGB (0xFFFFFF),
  .unknown          = LAB_RGB (0x77778A),
  .series = {
    LAB_RGB (0x56B4E9), /* sky blue */
    LAB_RGB (0xE6B040), /* orange */
    LAB_RGB (0x2BC496), /* bluish green */
    LAB_RGB (0xDB8FC0), /* reddish purple */
    LAB_RGB (0xF0803C), /* vermilion */
    LAB_RGB (0x6FA0E8), /* blue */
    LAB_RGB (0xA0A0AE), /* grey */
  },
};

const LabPalette *
lab_palette_get (gboolean dark)
{
  return dark ? &dark_palette : &light_palette;
}

const LabColor *
lab_palette_state (const LabPalette *palette,
                   guint             state)
{
  if (state < LAB_STATE_N && palette->state_fill[state].alpha > 0)
    return &palette->state_fill[state];
  return &palette->unknown;
}

const LabColor *
lab_palette_series (const LabPalette *palette,
                    guint             index)
{
  return &palette->series[index % LAB_PALETTE_N_SERIES];
}
