/* lab-color.c — colour helpers shared by the layouts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "lab-color.h"

static const LabColor ink_dark = LAB_RGB (0x16161C);
static const LabColor ink_light = LAB_RGB (0xFFFFFF);

static double
linear (float c)
{
  return c <= 0.04045f ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

const LabColor *
lab_color_text_on (const LabColor *fill)
{
  double l = 0.2126 * linear (fill->red) + 0.7152 * linear (fill->green) +
             0.0722 * linear (fill->blue);

  /* Whichever of near-black and white contrasts more (WCAG ratio). */
  return (l + 0.05) / 0.0576 >= 1.05 / (l + 0.05) ? &ink_dark : &ink_light;
}
