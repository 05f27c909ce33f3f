/* lab-pickle.h — CPython's pickle format (protocol 5) for plain data.
 *
 * The multiprocessing experiments send what Python's Pool sends: task
 * arguments and results pickled with protocol 5. LabPyValue is a small
 * reference-counted tree of the Python values those messages hold (None,
 * bool, int, float, str, bytes, tuple, list, dict); lab_pickle_dumps()
 * writes exactly the bytes CPython 3.11's C pickler (`pickle.dumps(obj,
 * protocol=5)`) writes for the same object, and lab_pickle_loads() reads
 * any pickle of these types made by CPython with protocols 2–5.
 *
 * Identity matters as in Python: the pickler memoizes str, bytes, tuple,
 * list and dict nodes by address, so a node put twice into a tree is
 * written once and then fetched from the memo (BINGET), like one Python
 * object referenced twice.
 *
 * A list of integers that fit in 64 bits is kept as a flat gint64 array
 * (no node per item), both when built with lab_py_int_list_new() and when
 * unpickled: the experiments' arrays have millions of items.
 *
 * lab_pickle_loads() never runs code: opcodes that would import or call
 * something (GLOBAL, REDUCE, BUILD, …) are refused with LAB_PICKLE_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LAB_PICKLE_ERROR (lab_pickle_error_quark ())

typedef enum
{
  LAB_PICKLE_ERROR_UNSUPPORTED, /* a valid opcode for data we do not read */
  LAB_PICKLE_ERROR_TRUNCATED,   /* the data ends too early */
  LAB_PICKLE_ERROR_MALFORMED,   /* anything else that does not add up */
} LabPickleError;

typedef enum
{
  LAB_PY_NONE,
  LAB_PY_BOOL,
  LAB_PY_INT,     /* fits in gint64 */
  LAB_PY_BIG_INT, /* does not: kept as little-endian two's complement */
  LAB_PY_FLOAT,
  LAB_PY_STR,
  LAB_PY_BYTES,
  LAB_PY_TUPLE,
  LAB_PY_LIST,
  LAB_PY_DICT,
} LabPyKind;

typedef struct _LabPyValue LabPyValue;

GQuark       lab_pickle_error_quark   (void);

LabPyValue  *lab_py_none_new          (void);
LabPyValue  *lab_py_bool_new          (gboolean       value);
LabPyValue  *lab_py_int_new           (gint64         value);
/* A Python int from its little-endian two's complement bytes (the LONG1
 * payload); becomes LAB_PY_INT when it fits in 64 bits. */
LabPyValue  *lab_py_int_new_from_bytes (const guint8  *data,
                                        gsize          len);
LabPyValue  *lab_py_float_new         (double         value);
/* NULL if @utf8 is not valid UTF-8. */
LabPyValue  *lab_py_str_new           (const char    *utf8,
                                       gssize         len);
LabPyValue  *lab_py_bytes_new         (gconstpointer  data,
                                       gsize          len);
/* Takes the references of @items. */
LabPyValue  *lab_py_tuple_new         (LabPyValue   **items,
                                       gsize          n);
LabPyValue  *lab_py_list_new          (void);
LabPyValue  *lab_py_int_list_new      (const gint64  *items,
                                       gsize          n);
LabPyValue  *lab_py_dict_new          (void);
/* Both take the references of their arguments. */
void         lab_py_list_append       (LabPyValue    *list,
                                       LabPyValue    *item);
/* Replaces the value of an equal key, as a Python dict does. */
void         lab_py_dict_set          (LabPyValue    *dict,
                                       LabPyValue    *key,
                                       LabPyValue    *value);

LabPyValue  *lab_py_value_ref         (LabPyValue    *value);
void         lab_py_value_unref       (LabPyValue    *value);
LabPyKind    lab_py_value_kind        (const LabPyValue *value);
gboolean     lab_py_value_equal       (const LabPyValue *a,
                                       const LabPyValue *b);

gboolean     lab_py_value_get_bool    (const LabPyValue *value);
/* FALSE unless @value is a LAB_PY_INT (or a bool, as in Python). */
gboolean     lab_py_value_get_int     (const LabPyValue *value,
                                       gint64        *out);
double       lab_py_value_get_float   (const LabPyValue *value);
/* str (UTF-8, NUL-terminated), bytes, or a big int's bytes. */
const char  *lab_py_value_get_data    (const LabPyValue *value,
                                       gsize         *len);
/* Items of a tuple or list, pairs of a dict. */
gsize        lab_py_value_get_length  (const LabPyValue *value);
/* Borrowed. A flat int list becomes a list of nodes on the first call. */
LabPyValue  *lab_py_value_get_item    (LabPyValue    *value,
                                       gsize          index);
LabPyValue  *lab_py_dict_get_key      (const LabPyValue *dict,
                                       gsize          index);
LabPyValue  *lab_py_dict_lookup       (const LabPyValue *dict,
                                       const char    *str_key);
/* The items of a list of 64-bit ints without copying, or NULL if the list
 * holds anything else. */
const gint64 *lab_py_list_peek_ints   (const LabPyValue *list,
                                       gsize         *n);

GBytes      *lab_pickle_dumps         (LabPyValue    *value);
LabPyValue  *lab_pickle_loads         (gconstpointer  data,
                                       gsize          len,
                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabPyValue, lab_py_value_unref)

G_END_DECLS
