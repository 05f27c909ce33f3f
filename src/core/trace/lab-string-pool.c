/* lab-string-pool.c — interned labels.
 *
 * Strings are copied into large blocks that never move, so lookups return
 * stable pointers. Interning happens off the hot path (once per label), so a
 * plain mutex is enough.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-string-pool.h"

#define BLOCK_SIZE (64 * 1024)

struct _LabStringPool
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GHashTable      *ids;      /* const char * (in a block) -> id */
  GPtrArray       *strings;  /* id -> const char * */
  GPtrArray       *blocks;   /* owned storage */
  char            *block;    /* current block for short strings */
  gsize            block_used;
};

LabStringPool *
lab_string_pool_new (void)
{
  LabStringPool *pool = g_new0 (LabStringPool, 1);

  g_atomic_ref_count_init (&pool->ref_count);
  g_mutex_init (&pool->mutex);
  pool->ids = g_hash_table_new (g_str_hash, g_str_equal);
  pool->strings = g_ptr_array_new ();
  pool->blocks = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pool->strings, (gpointer) ""); /* id 0 */
  return pool;
}

LabStringPool *
lab_string_pool_ref (LabStringPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  g_atomic_ref_count_inc (&pool->ref_count);
  return pool;
}

void
lab_string_pool_unref (LabStringPool *pool)
{
  g_return_if_fail (pool != NULL);

  if (!g_atomic_ref_count_dec (&pool->ref_count))
    return;

  g_hash_table_unref (pool->ids);
  g_ptr_array_unref (pool->strings);
  g_ptr_array_unref (pool->blocks);
  g_mutex_clear (&pool->mutex);
  g_free (pool);
}

/* Called with the mutex held. */
static const char *
pool_store (LabStringPool *pool,
            const char    *str,
            gsize          len)
{
  char *dest;

  if (len + 1 > BLOCK_SIZE / 4)
    {
      /* A long string gets a block of its own. */
      dest = g_malloc (len + 1);
      g_ptr_array_add (pool->blocks, dest);
    }
  else
    {
      if (pool->block == NULL || pool->block_used + len + 1 > BLOCK_SIZE)
        {
          pool->block = g_malloc (BLOCK_SIZE);
          pool->block_used = 0;
          g_ptr_array_add (pool->blocks, pool->block);
        }
      dest = pool->block + pool->block_used;
      pool->block_used += len + 1;
    }

  memcpy (dest, str, len);
  dest[len] = '\0';
  return dest;
}

guint32
lab_string_pool_intern (LabStringPool *pool,
                        const char    *str)
{
  gpointer found;
  guint32 id;

  g_return_val_if_fail (pool != NULL, 0);

  if (str == NULL || str[0] == '\0')
    return 0;

  g_mutex_lock (&pool->mutex);
  found = g_hash_table_lookup (pool->ids, str);
  if (found != NULL)
    {
      id = GPOINTER_TO_UINT (found);
    }
  else
    {
      const char *stored = pool_store (pool, str, strlen (str));

      id = pool->strings->len;
      g_ptr_array_add (pool->strings, (gpointer) stored);
      g_hash_table_insert (pool->ids, (gpointer) stored, GUINT_TO_POINTER (id));
    }
  g_mutex_unlock (&pool->mutex);

  return id;
}

guint32
lab_string_pool_intern_printf (LabStringPool *pool,
                               const char    *format,
                               ...)
{
  g_autofree char *str = NULL;
  va_list args;

  va_start (args, format);
  str = g_strdup_vprintf (format, args);
  va_end (args);

  return lab_string_pool_intern (pool, str);
}

const char *
lab_string_pool_get (LabStringPool *pool,
                     guint32        id)
{
  const char *str = "";

  g_return_val_if_fail (pool != NULL, "");

  if (id == 0)
    return "";

  g_mutex_lock (&pool->mutex);
  if (id < pool->strings->len)
    str = g_ptr_array_index (pool->strings, id);
  g_mutex_unlock (&pool->mutex);

  return str;
}

guint
lab_string_pool_get_size (LabStringPool *pool)
{
  guint size;

  g_return_val_if_fail (pool != NULL, 0);

  g_mutex_lock (&pool->mutex);
  size = pool->strings->len - 1;
  g_mutex_unlock (&pool->mutex);

  return size;
}
