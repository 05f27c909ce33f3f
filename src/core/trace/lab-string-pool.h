/* lab-string-pool.h — interned labels shared by recorders and traces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A thread-safe, reference-counted set of strings, each known by a small id.
 * Id 0 is the empty label. Strings are never moved or freed while the pool
 * lives, so a pointer returned by lab_string_pool_get() stays valid. */
typedef struct _LabStringPool LabStringPool;

LabStringPool *lab_string_pool_new            (void);
LabStringPool *lab_string_pool_ref            (LabStringPool *pool);
void           lab_string_pool_unref          (LabStringPool *pool);

guint32        lab_string_pool_intern         (LabStringPool *pool,
                                               const char    *str);
guint32        lab_string_pool_intern_printf  (LabStringPool *pool,
                                               const char    *format,
                                               ...) G_GNUC_PRINTF (2, 3);
/* Returns "" for 0 and for an unknown id. */
const char    *lab_string_pool_get            (LabStringPool *pool,
                                               guint32        id);
guint          lab_string_pool_get_size       (LabStringPool *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabStringPool, lab_string_pool_unref)

G_END_DECLS
