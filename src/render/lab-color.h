/* lab-color.h — a colour as every layout and painter uses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} LabColor;

/* Initialisers from a 0xRRGGBB literal, for static tables. */
#define LAB_RGB(hex)     { ((hex) >> 16 & 0xff) / 255.f, ((hex) >> 8 & 0xff) / 255.f, ((hex) & 0xff) / 255.f, 1.f }
#define LAB_RGBA(hex, a) { ((hex) >> 16 & 0xff) / 255.f, ((hex) >> 8 & 0xff) / 255.f, ((hex) & 0xff) / 255.f, (a) }

/* Near-black or white, whichever reads better on @fill. */
const LabColor *lab_color_text_on (const LabColor *fill);

G_END_DECLS
