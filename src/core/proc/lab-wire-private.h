/* lab-wire-private.h — what lab-wire.c and lab-wire-payload.c share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-wire.h"

G_BEGIN_DECLS

/* Zeros up to the next multiple of @align after @n bytes. */
void lab_wire_put_padding (LabWireWriter *writer,
                           gsize          n,
                           gsize          align);

G_END_DECLS
