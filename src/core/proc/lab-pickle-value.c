/* lab-pickle-value.c — LabPyValue, the Python values a pickle can carry.
 *
 * Invariants:
 *  - An int that fits in gint64 is always LAB_PY_INT; LAB_PY_BIG_INT holds
 *    the shortest two's complement form of a bigger one, so equal numbers
 *    have equal representations.
 *  - A list is flat (c.ints) while every item is a 64-bit int and nobody
 *    asked for its nodes; it turns into c.items once, never back.
 *  - Dict pairs keep insertion order, as Python's dict does; big dicts
 *    also keep a hash index so that replacing a key is not quadratic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-pickle-private.h"

#define DICT_INDEX_FROM 8 /* pairs; below this a linear scan is cheaper */

static LabPyValue *
value_new (LabPyKind kind)
{
  LabPyValue *v = g_new0 (LabPyValue, 1);

  g_atomic_ref_count_init (&v->ref_count);
  v->kind = kind;
  v->depth = 1;
  return v;
}

LabPyValue *
lab_py_none_new (void)
{
  return value_new (LAB_PY_NONE);
}

LabPyValue *
lab_py_bool_new (gboolean value)
{
  LabPyValue *v = value_new (LAB_PY_BOOL);

  v->b = !!value;
  return v;
}

LabPyValue *
lab_py_int_new (gint64 value)
{
  LabPyValue *v = value_new (LAB_PY_INT);

  v->i = value;
  return v;
}

LabPyValue *
lab_py_int_new_from_bytes (const guint8 *data,
                           gsize         len)
{
  LabPyValue *v;

  /* Drop sign bytes that repeat the sign of the byte below them. */
  while (len > 1 &&
         ((data[len - 1] == 0x00 && !(data[len - 2] & 0x80)) ||
          (data[len - 1] == 0xff && (data[len - 2] & 0x80))))
    len--;
  if (len <= 8)
    {
      guint64 u = 0;

      for (gsize k = 0; k < len; k++)
        u |= (guint64) data[k] << (8 * k);
      if (len > 0 && len < 8 && (data[len - 1] & 0x80))
        u |= G_MAXUINT64 << (8 * len); /* sign-extend */
      return lab_py_int_new ((gint64) u);
    }
  v = value_new (LAB_PY_BIG_INT);
  v->s.data = g_memdup2 (data, len);
  v->s.len = len;
  return v;
}

LabPyValue *
lab_py_float_new (double value)
{
  LabPyValue *v = value_new (LAB_PY_FLOAT);

  v->f = value;
  return v;
}

static LabPyValue *
data_new (LabPyKind     kind,
          gconstpointer data,
          gsize         len)
{
  LabPyValue *v = value_new (kind);

  v->s.data = g_malloc (len + 1);
  if (len > 0)
    memcpy (v->s.data, data, len);
  v->s.data[len] = '\0';
  v->s.len = len;
  return v;
}

LabPyValue *
lab_py_str_new (const char *utf8,
                gssize      len)
{
  gsize n = len < 0 ? strlen (utf8) : (gsize) len;

  if (!g_utf8_validate_len (utf8, n, NULL))
    return NULL;
  return data_new (LAB_PY_STR, utf8, n);
}

LabPyValue *
lab_py_bytes_new (gconstpointer data,
                  gsize         len)
{
  return data_new (LAB_PY_BYTES, data, len);
}

static void
adopt_child (LabPyValue *parent,
             LabPyValue *child)
{
  if (child->depth + 1 > parent->depth)
    parent->depth = MIN (child->depth + 1, G_MAXUINT16);
  if (child->kind == LAB_PY_LIST || child->kind == LAB_PY_DICT)
    child->frozen = TRUE;
}

LabPyValue *
lab_py_tuple_new (LabPyValue **items,
                  gsize        n)
{
  LabPyValue *v = value_new (LAB_PY_TUPLE);

  v->c.items = g_ptr_array_new_full (n, (GDestroyNotify) lab_py_value_unref);
  for (gsize k = 0; k < n; k++)
    {
      g_ptr_array_add (v->c.items, items[k]);
      adopt_child (v, items[k]);
    }
  return v;
}

LabPyValue *
lab_py_list_new (void)
{
  LabPyValue *v = value_new (LAB_PY_LIST);

  v->c.ints = g_array_new (FALSE, FALSE, sizeof (gint64));
  return v;
}

LabPyValue *
lab_py_int_list_new (const gint64 *items,
                     gsize         n)
{
  LabPyValue *v = value_new (LAB_PY_LIST);

  v->c.ints = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (v->c.ints, items, n);
  return v;
}

void
lab_py_list_flatten_off (LabPyValue *list)
{
  GArray *ints = list->c.ints;

  if (ints == NULL)
    return;
  list->c.items = g_ptr_array_new_full (ints->len, (GDestroyNotify) lab_py_value_unref);
  for (guint k = 0; k < ints->len; k++)
    g_ptr_array_add (list->c.items, lab_py_int_new (g_array_index (ints, gint64, k)));
  if (ints->len > 0)
    list->depth = 2;
  g_array_unref (ints);
  list->c.ints = NULL;
}

void
lab_py_list_append (LabPyValue *list,
                    LabPyValue *item)
{
  g_return_if_fail (list->kind == LAB_PY_LIST);

  if (list->c.ints != NULL && item->kind == LAB_PY_INT)
    {
      g_array_append_val (list->c.ints, item->i);
      lab_py_value_unref (item);
      return;
    }
  lab_py_list_flatten_off (list);
  g_ptr_array_add (list->c.items, item);
  adopt_child (list, item);
}

LabPyValue *
lab_py_dict_new (void)
{
  LabPyValue *v = value_new (LAB_PY_DICT);

  v->c.items = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_py_value_unref);
  return v;
}

static guint
value_hash (gconstpointer p)
{
  const LabPyValue *v = p;
  guint h = v->kind;

  switch (v->kind)
    {
    case LAB_PY_BOOL:
      return v->b;
    case LAB_PY_INT:
      return g_int64_hash (&v->i);
    case LAB_PY_FLOAT:
      return g_double_hash (&v->f);
    case LAB_PY_STR:
    case LAB_PY_BYTES:
    case LAB_PY_BIG_INT:
      for (gsize k = 0; k < v->s.len; k++)
        h = h * 31 + (guchar) v->s.data[k];
      return h;
    case LAB_PY_TUPLE:
      for (guint k = 0; k < v->c.items->len; k++)
        h = h * 1000003 ^ value_hash (v->c.items->pdata[k]);
      return h;
    default:
      return h;
    }
}

static gboolean
value_equal_func (gconstpointer a,
                  gconstpointer b)
{
  return lab_py_value_equal (a, b);
}

static gssize
dict_find (const LabPyValue *dict,
           const LabPyValue *key)
{
  if (dict->c.index != NULL)
    {
      gpointer pos = g_hash_table_lookup (dict->c.index, key);

      return pos != NULL ? (gssize) GPOINTER_TO_SIZE (pos) - 1 : -1;
    }
  for (guint k = 0; k < dict->c.items->len; k += 2)
    if (lab_py_value_equal (dict->c.items->pdata[k], key))
      return k;
  return -1;
}

void
lab_py_dict_set (LabPyValue *dict,
                 LabPyValue *key,
                 LabPyValue *value)
{
  gssize pos;

  g_return_if_fail (dict->kind == LAB_PY_DICT);

  adopt_child (dict, key);
  adopt_child (dict, value);
  pos = dict_find (dict, key);
  if (pos >= 0)
    {
      /* Python keeps the first key object and its place, with the new value. */
      lab_py_value_unref (key);
      lab_py_value_unref (dict->c.items->pdata[pos + 1]);
      dict->c.items->pdata[pos + 1] = value;
      return;
    }
  g_ptr_array_add (dict->c.items, key);
  g_ptr_array_add (dict->c.items, value);
  if (dict->c.index == NULL && dict->c.items->len / 2 >= DICT_INDEX_FROM)
    {
      dict->c.index = g_hash_table_new (value_hash, value_equal_func);
      for (guint k = 0; k < dict->c.items->len; k += 2)
        g_hash_table_insert (dict->c.index, dict->c.items->pdata[k], GSIZE_TO_POINTER (k + 1));
    }
  else if (dict->c.index != NULL)
    g_hash_table_insert (dict->c.index, key, GSIZE_TO_POINTER (dict->c.items->len - 1));
}

gboolean
lab_py_value_hashable (const LabPyValue *value)
{
  if (value->kind == LAB_PY_LIST || value->kind == LAB_PY_DICT)
    return FALSE;
  if (value->kind == LAB_PY_TUPLE)
    for (guint k = 0; k < value->c.items->len; k++)
      if (!lab_py_value_hashable (value->c.items->pdata[k]))
        return FALSE;
  return TRUE;
}

LabPyValue *
lab_py_value_ref (LabPyValue *value)
{
  g_atomic_ref_count_inc (&value->ref_count);
  return value;
}

void
lab_py_value_unref (LabPyValue *value)
{
  if (value == NULL || !g_atomic_ref_count_dec (&value->ref_count))
    return;
  switch (value->kind)
    {
    case LAB_PY_STR:
    case LAB_PY_BYTES:
    case LAB_PY_BIG_INT:
      g_free (value->s.data);
      break;
    case LAB_PY_TUPLE:
    case LAB_PY_LIST:
    case LAB_PY_DICT:
      g_clear_pointer (&value->c.index, g_hash_table_unref);
      g_clear_pointer (&value->c.items, g_ptr_array_unref);
      g_clear_pointer (&value->c.ints, g_array_unref);
      break;
    default:
      break;
    }
  g_free (value);
}

LabPyKind
lab_py_value_kind (const LabPyValue *value)
{
  return value->kind;
}

static gboolean
flat_item_equal (const LabPyValue *flat,
                 const LabPyValue *nodes,
                 gsize             k)
{
  const LabPyValue *item = nodes->c.items->pdata[k];

  return item->kind == LAB_PY_INT && item->i == g_array_index (flat->c.ints, gint64, k);
}

static gboolean
list_equal (const LabPyValue *a,
            const LabPyValue *b)
{
  gsize n = lab_py_value_get_length (a);

  if (n != lab_py_value_get_length (b))
    return FALSE;
  if (a->c.ints != NULL && b->c.ints != NULL)
    return n == 0 || memcmp (a->c.ints->data, b->c.ints->data, n * sizeof (gint64)) == 0;
  for (gsize k = 0; k < n; k++)
    {
      gboolean same;

      if (a->c.ints != NULL)
        same = flat_item_equal (a, b, k);
      else if (b->c.ints != NULL)
        same = flat_item_equal (b, a, k);
      else
        same = lab_py_value_equal (a->c.items->pdata[k], b->c.items->pdata[k]);
      if (!same)
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_py_value_equal (const LabPyValue *a,
                    const LabPyValue *b)
{
  if (a == b)
    return TRUE;
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case LAB_PY_NONE:
      return TRUE;
    case LAB_PY_BOOL:
      return a->b == b->b;
    case LAB_PY_INT:
      return a->i == b->i;
    case LAB_PY_FLOAT:
      /* Bitwise, so that -0.0 and 0.0 differ and a NaN equals itself. */
      return memcmp (&a->f, &b->f, sizeof (double)) == 0;
    case LAB_PY_STR:
    case LAB_PY_BYTES:
    case LAB_PY_BIG_INT:
      return a->s.len == b->s.len && memcmp (a->s.data, b->s.data, a->s.len) == 0;
    case LAB_PY_LIST:
      return list_equal (a, b);
    case LAB_PY_TUPLE:
    case LAB_PY_DICT:
      if (a->c.items->len != b->c.items->len)
        return FALSE;
      for (guint k = 0; k < a->c.items->len; k++)
        if (!lab_py_value_equal (a->c.items->pdata[k], b->c.items->pdata[k]))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

gboolean
lab_py_value_get_bool (const LabPyValue *value)
{
  return value->kind == LAB_PY_BOOL && value->b;
}

gboolean
lab_py_value_get_int (const LabPyValue *value,
                      gint64           *out)
{
  if (value->kind == LAB_PY_BOOL)
    *out = value->b;
  else if (value->kind == LAB_PY_INT)
    *out = value->i;
  else
    return FALSE;
  return TRUE;
}

double
lab_py_value_get_float (const LabPyValue *value)
{
  return value->kind == LAB_PY_FLOAT ? value->f : 0.0;
}

const char *
lab_py_value_get_data (const LabPyValue *value,
                       gsize            *len)
{
  g_return_val_if_fail (value->kind == LAB_PY_STR || value->kind == LAB_PY_BYTES ||
                        value->kind == LAB_PY_BIG_INT, NULL);
  if (len != NULL)
    *len = value->s.len;
  return value->s.data;
}

gsize
lab_py_value_get_length (const LabPyValue *value)
{
  switch (value->kind)
    {
    case LAB_PY_LIST:
      return value->c.ints != NULL ? value->c.ints->len : value->c.items->len;
    case LAB_PY_TUPLE:
      return value->c.items->len;
    case LAB_PY_DICT:
      return value->c.items->len / 2;
    default:
      return 0;
    }
}

LabPyValue *
lab_py_value_get_item (LabPyValue *value,
                       gsize       index)
{
  g_return_val_if_fail (index < lab_py_value_get_length (value), NULL);

  if (value->kind == LAB_PY_LIST)
    lab_py_list_flatten_off (value);
  if (value->kind == LAB_PY_DICT)
    return value->c.items->pdata[2 * index + 1];
  return value->c.items->pdata[index];
}

LabPyValue *
lab_py_dict_get_key (const LabPyValue *dict,
                     gsize             index)
{
  g_return_val_if_fail (dict->kind == LAB_PY_DICT && index < dict->c.items->len / 2, NULL);
  return dict->c.items->pdata[2 * index];
}

LabPyValue *
lab_py_dict_lookup (const LabPyValue *dict,
                    const char       *str_key)
{
  LabPyValue key = { .kind = LAB_PY_STR, .s = { (char *) str_key, strlen (str_key) } };
  gssize pos;

  g_return_val_if_fail (dict->kind == LAB_PY_DICT, NULL);
  pos = dict_find (dict, &key);
  return pos >= 0 ? dict->c.items->pdata[pos + 1] : NULL;
}

const gint64 *
lab_py_list_peek_ints (const LabPyValue *list,
                       gsize            *n)
{
  if (list->kind != LAB_PY_LIST || list->c.ints == NULL)
    return NULL;
  *n = list->c.ints->len;
  return (const gint64 *) list->c.ints->data;
}
