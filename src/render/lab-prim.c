/* lab-prim.c — building primitive lists, the same for every layout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-prim.h"

LabPrim *
lab_prim_append (GArray         *prims,
                 LabPrimKind     kind,
                 double          x,
                 double          y,
                 double          w,
                 double          h,
                 const LabColor *color)
{
  LabPrim prim = { 0 };

  prim.kind = kind;
  prim.x = x;
  prim.y = y;
  prim.w = w;
  prim.h = h;
  prim.size = 1;
  if (color != NULL)
    prim.color = *color;
  g_array_append_val (prims, prim);
  return &g_array_index (prims, LabPrim, prims->len - 1);
}

const char *
lab_prim_intern (GStringChunk *strings,
                 const char   *text)
{
  return g_string_chunk_insert_const (strings, text != NULL ? text : "");
}

LabPrim *
lab_prim_append_text (GArray         *prims,
                      GStringChunk   *strings,
                      const char     *text,
                      double          x,
                      double          y,
                      double          w,
                      double          h,
                      double          size,
                      guint16         flags,
                      const LabColor *color)
{
  LabPrim *prim;

  if (text == NULL || text[0] == '\0' || w < 1)
    return NULL;

  prim = lab_prim_append (prims, LAB_PRIM_TEXT, x, y, w, h, color);
  prim->text = lab_prim_intern (strings, text);
  prim->size = size;
  prim->flags = flags;
  return prim;
}

double
lab_text_measure (LabTextMeasureFunc  measure,
                  gpointer            measure_data,
                  const char         *text,
                  double              size_px,
                  gboolean            bold)
{
  if (text == NULL || text[0] == '\0')
    return 0;
  if (measure != NULL)
    return measure (text, size_px, bold, measure_data);
  /* An estimate good enough for tests and for deciding what fits. */
  return g_utf8_strlen (text, -1) * size_px * (bold ? 0.62 : 0.58);
}
