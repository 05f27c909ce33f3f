/* lab-pickle-loads.c — the unpickler: CPython pickles of plain data.
 *
 * A loop over opcodes with a value stack, a mark stack and a memo, as in
 * Modules/_pickle.c. What it guarantees on any input:
 *  - every read is checked against the end of the data first, so a cut-off
 *    or random input is an error, never a read past the buffer;
 *  - values below the newest MARK are out of reach (CPython's "fence");
 *  - no cycles: a list or dict that is already inside another container
 *    cannot be changed any more, and nothing is put into itself. CPython
 *    builds every child completely before storing it, so real pickles of
 *    plain data never need either;
 *  - nesting stops at LAB_PICKLE_MAX_DEPTH, so freeing and comparing the
 *    result cannot overflow the C stack;
 *  - memo indices are bounded by the input size, so a huge LONG_BINPUT
 *    cannot make it allocate gigabytes.
 * On an error every node built so far is freed.
 *
 * A stack slot is a node or a bare 64-bit int (node == NULL): the items of
 * a list of ints go from the input into the list's flat array without a
 * node each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-i18n.h"
#include "lab-pickle-private.h"

typedef struct
{
  LabPyValue *node; /* NULL: a bare int */
  gint64      i;
} Slot;

typedef struct
{
  Slot       slot;
  gboolean   set;
} MemoEntry;

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gsize         op_pos;   /* where the current opcode starts */
  guint8        op;
  Slot         *stack;
  gsize         sp;
  gsize         stack_cap;
  GArray       *marks;    /* gsize: stack heights */
  GArray       *memo;     /* MemoEntry */
  guint         memo_len; /* entries set, the index MEMOIZE uses next */
  GError      **error;
} Unpickler;

static const char *const opcode_names[256] = {
  ['('] = "MARK", ['.'] = "STOP", ['0'] = "POP", ['1'] = "POP_MARK", ['2'] = "DUP",
  ['F'] = "FLOAT", ['I'] = "INT", ['J'] = "BININT", ['K'] = "BININT1", ['L'] = "LONG",
  ['M'] = "BININT2", ['N'] = "NONE", ['P'] = "PERSID", ['Q'] = "BINPERSID",
  ['R'] = "REDUCE", ['S'] = "STRING", ['T'] = "BINSTRING", ['U'] = "SHORT_BINSTRING",
  ['V'] = "UNICODE", ['X'] = "BINUNICODE", ['a'] = "APPEND", ['b'] = "BUILD",
  ['c'] = "GLOBAL", ['d'] = "DICT", ['}'] = "EMPTY_DICT", ['e'] = "APPENDS",
  ['g'] = "GET", ['h'] = "BINGET", ['i'] = "INST", ['j'] = "LONG_BINGET", ['l'] = "LIST",
  [']'] = "EMPTY_LIST", ['o'] = "OBJ", ['p'] = "PUT", ['q'] = "BINPUT",
  ['r'] = "LONG_BINPUT", ['s'] = "SETITEM", ['t'] = "TUPLE", [')'] = "EMPTY_TUPLE",
  ['u'] = "SETITEMS", ['G'] = "BINFLOAT", ['B'] = "BINBYTES", ['C'] = "SHORT_BINBYTES",
  [0x80] = "PROTO", [0x81] = "NEWOBJ", [0x82] = "EXT1", [0x83] = "EXT2", [0x84] = "EXT4",
  [0x85] = "TUPLE1", [0x86] = "TUPLE2", [0x87] = "TUPLE3", [0x88] = "NEWTRUE",
  [0x89] = "NEWFALSE", [0x8a] = "LONG1", [0x8b] = "LONG4", [0x8c] = "SHORT_BINUNICODE",
  [0x8d] = "BINUNICODE8", [0x8e] = "BINBYTES8", [0x8f] = "EMPTY_SET",
  [0x90] = "ADDITEMS", [0x91] = "FROZENSET", [0x92] = "NEWOBJ_EX",
  [0x93] = "STACK_GLOBAL", [0x94] = "MEMOIZE", [0x95] = "FRAME", [0x96] = "BYTEARRAY8",
  [0x97] = "NEXT_BUFFER", [0x98] = "READONLY_BUFFER",
};

static const char *
op_name (Unpickler *u)
{
  return opcode_names[u->op];
}

static gboolean
fail_truncated (Unpickler *u)
{
  g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_TRUNCATED,
               _("pickle: the data is cut off inside %s at byte %zu"),
               op_name (u), u->op_pos);
  return FALSE;
}

/* The stack, the marks or the memo do not hold what the opcode needs. */
static gboolean
fail_malformed (Unpickler *u)
{
  g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_MALFORMED,
               _("pickle: %s at byte %zu does not fit the data before it (the pickle is damaged)"),
               op_name (u), u->op_pos);
  return FALSE;
}

static const guint8 *
take (Unpickler *u,
      gsize      n)
{
  const guint8 *s = u->data + u->pos;

  if (n > u->len - u->pos)
    {
      fail_truncated (u);
      return NULL;
    }
  u->pos += n;
  return s;
}

static guint64
get_le (const guint8 *s,
        guint         n)
{
  guint64 v = 0;

  for (guint k = 0; k < n; k++)
    v |= (guint64) s[k] << (8 * k);
  return v;
}

static void
slot_clear (Slot *slot)
{
  g_clear_pointer (&slot->node, lab_py_value_unref);
}

/* Another reference to what @slot holds. */
static Slot
slot_copy (const Slot *slot)
{
  return (Slot) { slot->node != NULL ? lab_py_value_ref (slot->node) : NULL, slot->i };
}

/* The slot as a node, taking its reference. */
static LabPyValue *
slot_steal (Slot *slot)
{
  LabPyValue *v = slot->node != NULL ? slot->node : lab_py_int_new (slot->i);

  slot->node = NULL;
  return v;
}

static void
push_slot (Unpickler *u,
           Slot       slot)
{
  if (G_UNLIKELY (u->sp == u->stack_cap))
    {
      u->stack_cap = MAX (64, u->stack_cap * 2);
      u->stack = g_renew (Slot, u->stack, u->stack_cap);
    }
  u->stack[u->sp++] = slot;
}

static inline void
push_int (Unpickler *u,
          gint64     i)
{
  push_slot (u, (Slot) { NULL, i });
}

static void
push (Unpickler  *u,
      LabPyValue *v)
{
  gint64 i;

  /* An int always travels bare, so that lists of ints stay flat. */
  if (v->kind == LAB_PY_INT && lab_py_value_get_int (v, &i))
    {
      lab_py_value_unref (v);
      push_int (u, i);
    }
  else
    push_slot (u, (Slot) { v, 0 });
}

/* The lowest stack height the current opcode may pop to. */
static gsize
fence (Unpickler *u)
{
  return u->marks->len > 0 ? g_array_index (u->marks, gsize, u->marks->len - 1) : 0;
}

static gboolean
need (Unpickler *u,
      gsize      n)
{
  return u->sp - fence (u) >= n ? TRUE : fail_malformed (u);
}

static gboolean
pop_mark (Unpickler *u,
          gsize     *mark)
{
  if (u->marks->len == 0)
    return fail_malformed (u);
  *mark = g_array_index (u->marks, gsize, u->marks->len - 1);
  g_array_set_size (u->marks, u->marks->len - 1);
  return TRUE;
}

static void
pop_to (Unpickler *u,
        gsize      height)
{
  while (u->sp > height)
    slot_clear (&u->stack[--u->sp]);
}

/* May @item go into @container without a cycle or too deep a tree? */
static gboolean
check_child (Unpickler  *u,
             LabPyValue *container,
             Slot       *item)
{
  LabPyValue *v = item->node;

  if (container != NULL && (container->frozen || v == container))
    {
      g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_UNSUPPORTED,
                   _("pickle: %s at byte %zu would change a container that is already "
                     "stored elsewhere: only plain data without cycles can be unpickled here"),
                   op_name (u), u->op_pos);
      return FALSE;
    }
  if (v != NULL && v->depth >= LAB_PICKLE_MAX_DEPTH)
    {
      g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_UNSUPPORTED,
                   _("pickle: the data is nested more than %d levels deep at byte %zu"),
                   LAB_PICKLE_MAX_DEPTH, u->op_pos);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_children (Unpickler  *u,
                LabPyValue *container,
                gsize       from)
{
  for (gsize k = from; k < u->sp; k++)
    if (!check_child (u, container, &u->stack[k]))
      return FALSE;
  return TRUE;
}

static gboolean
build_tuple (Unpickler *u,
             gsize      from)
{
  gsize n = u->sp - from;
  g_autofree LabPyValue **items = g_new (LabPyValue *, MAX (n, 1));

  if (!check_children (u, NULL, from))
    return FALSE;
  for (gsize k = 0; k < n; k++)
    items[k] = slot_steal (&u->stack[from + k]);
  u->sp = from;
  push (u, lab_py_tuple_new (items, n));
  return TRUE;
}

/* Appends the slots from @from up to the top to the list below @from. */
static gboolean
append_items (Unpickler *u,
              gsize      from)
{
  Slot *target = &u->stack[from - 1];
  LabPyValue *list = target->node;

  if (list == NULL || list->kind != LAB_PY_LIST)
    return fail_malformed (u);
  if (!check_children (u, list, from))
    return FALSE;
  if (list->c.ints != NULL)
    {
      /* The bare ints at the front go into the flat array in one step. */
      gsize end = from, old = list->c.ints->len;
      gint64 *out;

      while (end < u->sp && u->stack[end].node == NULL)
        end++;
      g_array_set_size (list->c.ints, old + (end - from));
      out = &g_array_index (list->c.ints, gint64, old);
      for (gsize k = from; k < end; k++)
        *out++ = u->stack[k].i;
      for (gsize k = end; k < u->sp; k++)
        lab_py_list_append (list, slot_steal (&u->stack[k]));
    }
  else
    for (gsize k = from; k < u->sp; k++)
      lab_py_list_append (list, slot_steal (&u->stack[k]));
  u->sp = from;
  return TRUE;
}

/* Sets the pairs from @from up to the top in the dict below @from. */
static gboolean
set_items (Unpickler *u,
           gsize      from)
{
  LabPyValue *dict = u->stack[from - 1].node;

  if (dict == NULL || dict->kind != LAB_PY_DICT || (u->sp - from) % 2 != 0)
    return fail_malformed (u);
  if (!check_children (u, dict, from))
    return FALSE;
  for (gsize k = from; k < u->sp; k += 2)
    if (u->stack[k].node != NULL && !lab_py_value_hashable (u->stack[k].node))
      {
        g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_MALFORMED,
                     _("pickle: %s at byte %zu uses a list or a dict as a dict key, "
                       "which Python does not allow"),
                     op_name (u), u->op_pos);
        return FALSE;
      }
  for (gsize k = from; k < u->sp; k += 2)
    {
      LabPyValue *key = slot_steal (&u->stack[k]);

      lab_py_dict_set (dict, key, slot_steal (&u->stack[k + 1]));
    }
  u->sp = from;
  return TRUE;
}

static gboolean
memo_store (Unpickler *u,
            guint64    index)
{
  MemoEntry *e;

  if (!need (u, 1))
    return FALSE;
  /* A real pickle has fewer memo entries than bytes. */
  if (index >= u->len)
    return fail_malformed (u);
  if (index >= u->memo->len)
    g_array_set_size (u->memo, index + 1);
  e = &g_array_index (u->memo, MemoEntry, index);
  if (e->set)
    slot_clear (&e->slot);
  else
    u->memo_len++;
  e->slot = slot_copy (&u->stack[u->sp - 1]);
  e->set = TRUE;
  return TRUE;
}

static gboolean
memo_fetch (Unpickler *u,
            guint64    index)
{
  MemoEntry *e;

  if (index >= u->memo->len || !(e = &g_array_index (u->memo, MemoEntry, index))->set)
    return fail_malformed (u);
  push_slot (u, slot_copy (&e->slot));
  return TRUE;
}

/* str and bytes: @size_len bytes of length, then the payload. */
static gboolean
load_data (Unpickler *u,
           guint      size_len,
           LabPyKind  kind)
{
  const guint8 *s = take (u, size_len);
  guint64 n;
  LabPyValue *v;

  if (s == NULL)
    return FALSE;
  n = get_le (s, size_len);
  if (n > u->len - u->pos)
    return fail_truncated (u);
  s = take (u, n);
  if (kind == LAB_PY_BYTES)
    v = lab_py_bytes_new (s, n);
  else if ((v = lab_py_str_new ((const char *) s, n)) == NULL)
    {
      g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_MALFORMED,
                   _("pickle: the text of %s at byte %zu is not valid UTF-8"),
                   op_name (u), u->op_pos);
      return FALSE;
    }
  push (u, v);
  return TRUE;
}

static gboolean
load_long (Unpickler *u,
           guint      size_len)
{
  const guint8 *s = take (u, size_len);
  guint64 n;

  if (s == NULL)
    return FALSE;
  n = get_le (s, size_len);
  if (size_len == 4 && n > G_MAXINT32) /* a negative byte count */
    return fail_malformed (u);
  if (n > u->len - u->pos)
    return fail_truncated (u);
  s = take (u, n);
  push (u, lab_py_int_new_from_bytes (s, n));
  return TRUE;
}

/* The operand of BININT*, *GET, *PUT, PROTO. */
static gboolean
take_le (Unpickler *u,
         guint      n,
         guint64   *out)
{
  const guint8 *s = take (u, n);

  if (s == NULL)
    return FALSE;
  *out = get_le (s, n);
  return TRUE;
}

static gboolean
step (Unpickler   *u,
      LabPyValue **result)
{
  guint64 n;
  gsize mark;

  switch (u->op)
    {
    case OP_STOP:
      if (!need (u, 1))
        return FALSE;
      *result = slot_steal (&u->stack[--u->sp]);
      return TRUE;
    case OP_PROTO:
      if (!take_le (u, 1, &n))
        return FALSE;
      if (n > LAB_PICKLE_PROTOCOL)
        {
          g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_UNSUPPORTED,
                       _("pickle: protocol %u at byte %zu is newer than 5, the newest "
                         "this program reads"), (guint) n, u->op_pos);
          return FALSE;
        }
      return TRUE;
    case OP_FRAME:
      /* Frames only group opcodes; check that this one is all there. */
      if (!take_le (u, 8, &n))
        return FALSE;
      return n <= u->len - u->pos ? TRUE : fail_truncated (u);
    case OP_NONE:
      push (u, lab_py_none_new ());
      return TRUE;
    case OP_NEWTRUE:
    case OP_NEWFALSE:
      push (u, lab_py_bool_new (u->op == OP_NEWTRUE));
      return TRUE;
    case OP_BININT1:
      if (!take_le (u, 1, &n))
        return FALSE;
      push_int (u, n);
      return TRUE;
    case OP_BININT2:
      if (!take_le (u, 2, &n))
        return FALSE;
      push_int (u, n);
      return TRUE;
    case OP_BININT:
      if (!take_le (u, 4, &n))
        return FALSE;
      push_int (u, (gint32) (guint32) n);
      return TRUE;
    case OP_LONG1:
      return load_long (u, 1);
    case OP_LONG4:
      return load_long (u, 4);
    case OP_BINFLOAT:
      {
        const guint8 *s = take (u, 8);
        guint64 bits = 0;
        double f;

        if (s == NULL)
          return FALSE;
        for (guint k = 0; k < 8; k++)
          bits = bits << 8 | s[k]; /* big-endian */
        memcpy (&f, &bits, 8);
        push (u, lab_py_float_new (f));
        return TRUE;
      }
    case OP_SHORT_BINUNICODE:
      return load_data (u, 1, LAB_PY_STR);
    case OP_BINUNICODE:
      return load_data (u, 4, LAB_PY_STR);
    case OP_BINUNICODE8:
      return load_data (u, 8, LAB_PY_STR);
    case OP_SHORT_BINBYTES:
      return load_data (u, 1, LAB_PY_BYTES);
    case OP_BINBYTES:
      return load_data (u, 4, LAB_PY_BYTES);
    case OP_BINBYTES8:
      return load_data (u, 8, LAB_PY_BYTES);
    case OP_EMPTY_TUPLE:
      return build_tuple (u, u->sp);
    case OP_TUPLE1:
    case OP_TUPLE2:
    case OP_TUPLE3:
      n = u->op - OP_TUPLE1 + 1;
      return need (u, n) && build_tuple (u, u->sp - n);
    case OP_TUPLE:
      return pop_mark (u, &mark) && build_tuple (u, mark);
    case OP_EMPTY_LIST:
      push (u, lab_py_list_new ());
      return TRUE;
    case OP_EMPTY_DICT:
      push (u, lab_py_dict_new ());
      return TRUE;
    case OP_LIST:
    case OP_DICT:
      if (!pop_mark (u, &mark))
        return FALSE;
      /* Make the container and move it under its items. */
      push (u, u->op == OP_LIST ? lab_py_list_new () : lab_py_dict_new ());
      {
        Slot container = u->stack[u->sp - 1];

        memmove (&u->stack[mark + 1], &u->stack[mark], (u->sp - 1 - mark) * sizeof (Slot));
        u->stack[mark] = container;
      }
      return u->op == OP_LIST ? append_items (u, mark + 1) : set_items (u, mark + 1);
    case OP_APPEND:
      return need (u, 2) && append_items (u, u->sp - 1);
    case OP_SETITEM:
      return need (u, 3) && set_items (u, u->sp - 2);
    case OP_APPENDS:
    case OP_SETITEMS:
      if (!pop_mark (u, &mark))
        return FALSE;
      if (mark <= fence (u))
        return fail_malformed (u);
      return u->op == OP_APPENDS ? append_items (u, mark) : set_items (u, mark);
    case OP_MARK:
      g_array_append_val (u->marks, u->sp);
      return TRUE;
    case OP_POP:
      if (u->sp > fence (u))
        pop_to (u, u->sp - 1);
      else if (!pop_mark (u, &mark))
        return FALSE;
      return TRUE;
    case OP_POP_MARK:
      if (!pop_mark (u, &mark))
        return FALSE;
      pop_to (u, mark);
      return TRUE;
    case OP_DUP:
      if (!need (u, 1))
        return FALSE;
      push_slot (u, slot_copy (&u->stack[u->sp - 1]));
      return TRUE;
    case OP_MEMOIZE:
      return memo_store (u, u->memo_len);
    case OP_BINPUT:
    case OP_LONG_BINPUT:
      return take_le (u, u->op == OP_BINPUT ? 1 : 4, &n) && memo_store (u, n);
    case OP_BINGET:
    case OP_LONG_BINGET:
      return take_le (u, u->op == OP_BINGET ? 1 : 4, &n) && memo_fetch (u, n);
    default:
      if (opcode_names[u->op] != NULL)
        g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_UNSUPPORTED,
                     _("pickle: unsupported opcode %s at byte %zu: only plain data "
                       "can be unpickled here"), op_name (u), u->op_pos);
      else
        g_set_error (u->error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_MALFORMED,
                     _("pickle: unknown opcode 0x%02x at byte %zu: this is not pickle data"),
                     u->op, u->op_pos);
      return FALSE;
    }
}

/**
 * lab_pickle_loads:
 * Reads one pickle from @data; bytes after its STOP are ignored, as
 * `pickle.loads()` ignores them.
 * Returns: (transfer full): the value, or NULL with @error set.
 */
LabPyValue *
lab_pickle_loads (gconstpointer   data,
                  gsize           len,
                  GError        **error)
{
  Unpickler u = { .data = data, .len = len, .error = error };
  LabPyValue *result = NULL;

  u.marks = g_array_new (FALSE, FALSE, sizeof (gsize));
  u.memo = g_array_new (FALSE, TRUE, sizeof (MemoEntry));
  for (;;)
    {
      u.op_pos = u.pos;
      if (u.pos == u.len)
        {
          g_set_error (error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_TRUNCATED,
                       _("pickle: the data ends at byte %zu without a STOP opcode "
                         "(it is cut off)"), u.pos);
          break;
        }
      u.op = u.data[u.pos++];
      /* Most of an array of small ints, without the dispatch. */
      if (u.op == OP_BININT1 && u.pos < u.len)
        {
          push_int (&u, u.data[u.pos++]);
          continue;
        }
      if (!step (&u, &result) || result != NULL)
        break;
    }
  pop_to (&u, 0);
  g_free (u.stack);
  g_array_unref (u.marks);
  for (guint k = 0; k < u.memo->len; k++)
    slot_clear (&g_array_index (u.memo, MemoEntry, k).slot);
  g_array_unref (u.memo);
  return result;
}
