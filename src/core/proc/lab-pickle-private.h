/* lab-pickle-private.h — the LabPyValue node, shared by the files of the
 * pickle codec (lab-pickle-value.c, lab-pickle.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-pickle.h"

/* Deeper trees are refused by the unpickler: CPython's own pickler stops
 * at its recursion limit (1000) too, and freeing or comparing a tree
 * recurses once per level. */
#define LAB_PICKLE_MAX_DEPTH 1000

#define LAB_PICKLE_PROTOCOL 5 /* the newest; what dumps writes */

/* Opcodes, named as in Lib/pickletools.py. */
enum
{
  OP_MARK = '(', OP_STOP = '.', OP_POP = '0', OP_POP_MARK = '1', OP_DUP = '2',
  OP_BININT = 'J', OP_BININT1 = 'K', OP_BININT2 = 'M', OP_NONE = 'N',
  OP_BINUNICODE = 'X', OP_APPEND = 'a', OP_BINGET = 'h', OP_LONG_BINGET = 'j',
  OP_EMPTY_LIST = ']', OP_APPENDS = 'e', OP_LIST = 'l', OP_BINPUT = 'q',
  OP_LONG_BINPUT = 'r', OP_SETITEM = 's', OP_TUPLE = 't', OP_EMPTY_TUPLE = ')',
  OP_SETITEMS = 'u', OP_BINFLOAT = 'G', OP_DICT = 'd', OP_EMPTY_DICT = '}',
  OP_BINBYTES = 'B', OP_SHORT_BINBYTES = 'C',
  OP_PROTO = 0x80, OP_TUPLE1 = 0x85, OP_TUPLE2 = 0x86, OP_TUPLE3 = 0x87,
  OP_NEWTRUE = 0x88, OP_NEWFALSE = 0x89, OP_LONG1 = 0x8a, OP_LONG4 = 0x8b,
  OP_SHORT_BINUNICODE = 0x8c, OP_BINUNICODE8 = 0x8d, OP_BINBYTES8 = 0x8e,
  OP_FRAME = 0x95, OP_MEMOIZE = 0x94,
};

struct _LabPyValue
{
  gatomicrefcount ref_count;
  LabPyKind       kind;
  guint16         depth;  /* 1 for leaves, 1 + the deepest child otherwise */
  gboolean        frozen; /* a list/dict already stored in a container */
  union
  {
    gboolean b;
    gint64   i;
    double   f;
    struct
    {
      char  *data; /* NUL-terminated for str */
      gsize  len;
    } s;           /* str, bytes, big int */
    struct
    {
      GPtrArray  *items; /* LabPyValue*; NULL while a list is flat */
      GArray     *ints;  /* gint64, a flat list only */
      GHashTable *index; /* dict: key → position + 1, for big dicts */
    } c;           /* tuple, list, dict (items = key, value, key, …) */
  };
};

void     lab_py_list_flatten_off (LabPyValue *list);
gboolean lab_py_value_hashable   (const LabPyValue *value);
