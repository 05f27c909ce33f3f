/* lab-pickle.c — pickle protocol 5: the pickler and the unpickler.
 *
 * The pickler follows CPython 3.11's Modules/_pickle.c step by step, since
 * the point is the same bytes:
 *  - PROTO 5 comes first and outside any frame; then every write opens a
 *    frame if none is open. After each object is saved, a frame of at
 *    least 64 KiB is closed (its FRAME header filled in); a frame of fewer
 *    than 4 bytes loses its header again.
 *  - A str/bytes payload of 64 KiB or more closes the frame and goes
 *    unframed, header and all.
 *  - str, bytes, tuples (not the empty one), lists and dicts are memoized
 *    (MEMOIZE) by identity; ints, floats, None and bools never are.
 *  - List items go in batches of 1000 (MARK … APPENDS), a one-item list
 *    uses APPEND; dicts the same with SETITEMS/SETITEM, and a dict of
 *    exactly 1000·k pairs ends with an empty batch, as in CPython.
 *
 * The unpickler is a loop over opcodes with a value stack, a mark stack and
 * a memo, like the C one. A stack slot holds either a node or a bare int,
 * so a list of ints is read into a flat array without a node per item.
 * Every read is checked against the end of the input first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-pickle-private.h"

G_DEFINE_QUARK (lab-pickle-error-quark, lab_pickle_error)

#define FRAME_SIZE_MIN    4
#define FRAME_SIZE_TARGET (64 * 1024)
#define FRAME_HEADER_SIZE 9
#define BATCH_SIZE        1000

/* ---------------------------------------------------------------- pickler */

typedef struct
{
  guint8     *data;
  gsize       len;
  gsize       cap;
  gssize      frame_start; /* -1: no frame open */
  gboolean    framing;
  GHashTable *memo;        /* LabPyValue* → index + 1 */
} Pickler;

static void
reserve (Pickler *p,
         gsize    n)
{
  if (G_LIKELY (p->len + n <= p->cap))
    return;
  p->cap = MAX (p->cap * 3 / 2, p->len + n);
  p->data = g_realloc (p->data, p->cap);
}

/* Room for @n more bytes at the end, in a frame when framing is on (what
 * _Pickler_Write() does before it copies). */
static inline guint8 *
claim (Pickler *p,
       gsize    n)
{
  guint8 *out;

  if (p->framing && p->frame_start < 0)
    {
      reserve (p, n + FRAME_HEADER_SIZE);
      p->frame_start = p->len;
      p->len += FRAME_HEADER_SIZE;
    }
  else
    reserve (p, n);
  out = p->data + p->len;
  p->len += n;
  return out;
}

static inline void
write_raw (Pickler       *p,
           gconstpointer  s,
           gsize          n)
{
  memcpy (claim (p, n), s, n);
}

static inline void
write_op (Pickler *p,
          guint8   op)
{
  write_raw (p, &op, 1);
}

static inline void
put_le (guint8  *out,
        guint64  value,
        guint    n)
{
  for (guint k = 0; k < n; k++)
    out[k] = (guint8) (value >> (8 * k));
}

static void
commit_frame (Pickler *p)
{
  gsize frame_len;

  if (!p->framing || p->frame_start < 0)
    return;
  frame_len = p->len - p->frame_start - FRAME_HEADER_SIZE;
  if (frame_len >= FRAME_SIZE_MIN)
    {
      p->data[p->frame_start] = OP_FRAME;
      put_le (p->data + p->frame_start + 1, frame_len, 8);
    }
  else
    {
      memmove (p->data + p->frame_start, p->data + p->frame_start + FRAME_HEADER_SIZE, frame_len);
      p->len -= FRAME_HEADER_SIZE;
    }
  p->frame_start = -1;
}

/* _Pickler_OpcodeBoundary(): called after every saved object. */
static inline void
opcode_boundary (Pickler *p)
{
  if (p->frame_start >= 0 &&
      p->len - p->frame_start - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET)
    commit_frame (p);
}

static void
write_sized (Pickler      *p,
             const guint8 *header,
             gsize         header_len,
             const char   *data,
             gsize         len)
{
  gboolean framing = p->framing;

  if (len >= FRAME_SIZE_TARGET)
    {
      commit_frame (p);
      p->framing = FALSE;
    }
  write_raw (p, header, header_len);
  write_raw (p, data, len);
  p->framing = framing;
}

static inline void
save_int (Pickler *p,
          gint64   v)
{
  guint8 *out;

  if (v >= 0 && v <= 0xff)
    {
      out = claim (p, 2);
      out[0] = OP_BININT1;
      out[1] = (guint8) v;
    }
  else if (v >= 0 && v <= 0xffff)
    {
      out = claim (p, 3);
      out[0] = OP_BININT2;
      put_le (out + 1, v, 2);
    }
  else if (v >= G_MININT32 && v <= G_MAXINT32)
    {
      out = claim (p, 5);
      out[0] = OP_BININT;
      put_le (out + 1, (guint64) v, 4);
    }
  else
    {
      guint8 b[10];
      guint n = 8;

      /* The shortest two's complement, as CPython's save_long() finds it. */
      put_le (b + 2, (guint64) v, 8);
      while (n > 1 &&
             ((b[n + 1] == 0x00 && !(b[n] & 0x80)) || (b[n + 1] == 0xff && (b[n] & 0x80))))
        n--;
      b[0] = OP_LONG1;
      b[1] = n;
      write_raw (p, b, n + 2);
    }
}

static void
memo_put (Pickler    *p,
          LabPyValue *v)
{
  g_hash_table_insert (p->memo, v, GUINT_TO_POINTER (g_hash_table_size (p->memo) + 1));
  write_op (p, OP_MEMOIZE);
}

static void save (Pickler *p, LabPyValue *v);

static void
save_data (Pickler    *p,
           LabPyValue *v)
{
  gboolean is_str = v->kind == LAB_PY_STR;
  guint8 h[9];
  gsize n = v->s.len;

  if (n <= 0xff)
    {
      h[0] = is_str ? OP_SHORT_BINUNICODE : OP_SHORT_BINBYTES;
      h[1] = n;
      write_sized (p, h, 2, v->s.data, n);
    }
  else if (n <= G_MAXUINT32)
    {
      h[0] = is_str ? OP_BINUNICODE : OP_BINBYTES;
      put_le (h + 1, n, 4);
      write_sized (p, h, 5, v->s.data, n);
    }
  else
    {
      h[0] = is_str ? OP_BINUNICODE8 : OP_BINBYTES8;
      put_le (h + 1, n, 8);
      write_sized (p, h, 9, v->s.data, n);
    }
  memo_put (p, v);
}

static void
save_tuple (Pickler    *p,
            LabPyValue *v)
{
  static const guint8 small[] = { OP_EMPTY_TUPLE, OP_TUPLE1, OP_TUPLE2, OP_TUPLE3 };
  guint n = v->c.items->len;

  if (n == 0)
    {
      write_op (p, OP_EMPTY_TUPLE);
      return;
    }
  if (n > 3)
    write_op (p, OP_MARK);
  for (guint k = 0; k < n; k++)
    save (p, v->c.items->pdata[k]);
  write_op (p, n > 3 ? OP_TUPLE : small[n]);
  memo_put (p, v);
}

static void
save_list (Pickler    *p,
           LabPyValue *v)
{
  gsize n = lab_py_value_get_length (v);
  const gint64 *ints = v->c.ints != NULL ? (const gint64 *) v->c.ints->data : NULL;

  write_op (p, OP_EMPTY_LIST);
  memo_put (p, v);
  if (n == 0)
    return;
  if (ints != NULL)
    reserve (p, n * 5 + (n / BATCH_SIZE + 1) * (2 + FRAME_HEADER_SIZE));
  for (gsize k = 0; k < n;)
    {
      gsize end = n == 1 ? 1 : MIN (k + BATCH_SIZE, n);

      if (n > 1)
        write_op (p, OP_MARK);
      for (; k < end; k++)
        {
          if (ints != NULL)
            {
              /* save() for an int, without a node */
              save_int (p, ints[k]);
              opcode_boundary (p);
            }
          else
            save (p, v->c.items->pdata[k]);
        }
      write_op (p, n > 1 ? OP_APPENDS : OP_APPEND);
    }
}

static void
save_dict (Pickler    *p,
           LabPyValue *v)
{
  gsize n = v->c.items->len / 2, k = 0, batch;

  write_op (p, OP_EMPTY_DICT);
  memo_put (p, v);
  if (n == 0)
    return;
  if (n == 1)
    {
      save (p, v->c.items->pdata[0]);
      save (p, v->c.items->pdata[1]);
      write_op (p, OP_SETITEM);
      return;
    }
  do
    {
      write_op (p, OP_MARK);
      for (batch = 0; k < n && batch < BATCH_SIZE; k++, batch++)
        {
          save (p, v->c.items->pdata[2 * k]);
          save (p, v->c.items->pdata[2 * k + 1]);
        }
      write_op (p, OP_SETITEMS);
    }
  while (batch == BATCH_SIZE);
}

static void
save (Pickler    *p,
      LabPyValue *v)
{
  gpointer idx;
  guint8 b[9];

  switch (v->kind)
    {
    case LAB_PY_NONE:
      write_op (p, OP_NONE);
      break;
    case LAB_PY_BOOL:
      write_op (p, v->b ? OP_NEWTRUE : OP_NEWFALSE);
      break;
    case LAB_PY_INT:
      save_int (p, v->i);
      break;
    case LAB_PY_BIG_INT:
      if (v->s.len < 256)
        {
          b[0] = OP_LONG1;
          b[1] = v->s.len;
          write_raw (p, b, 2);
        }
      else
        {
          b[0] = OP_LONG4;
          put_le (b + 1, v->s.len, 4);
          write_raw (p, b, 5);
        }
      write_raw (p, v->s.data, v->s.len);
      break;
    case LAB_PY_FLOAT:
      {
        guint64 bits;

        memcpy (&bits, &v->f, 8);
        b[0] = OP_BINFLOAT;
        for (guint k = 0; k < 8; k++)
          b[1 + k] = (guint8) (bits >> (56 - 8 * k)); /* big-endian */
        write_raw (p, b, 9);
      }
      break;
    default:
      if ((idx = g_hash_table_lookup (p->memo, v)) != NULL)
        {
          guint index = GPOINTER_TO_UINT (idx) - 1;

          if (index < 256)
            {
              b[0] = OP_BINGET;
              b[1] = index;
              write_raw (p, b, 2);
            }
          else
            {
              b[0] = OP_LONG_BINGET;
              put_le (b + 1, index, 4);
              write_raw (p, b, 5);
            }
          break;
        }
      if (v->kind == LAB_PY_STR || v->kind == LAB_PY_BYTES)
        save_data (p, v);
      else if (v->kind == LAB_PY_TUPLE)
        save_tuple (p, v);
      else if (v->kind == LAB_PY_LIST)
        save_list (p, v);
      else
        save_dict (p, v);
      break;
    }
  opcode_boundary (p);
}

/**
 * lab_pickle_dumps:
 * Returns: the bytes of `pickle.dumps(value, protocol=5)` in CPython 3.11.
 */
GBytes *
lab_pickle_dumps (LabPyValue *value)
{
  Pickler p = { .frame_start = -1 };
  const guint8 header[] = { OP_PROTO, LAB_PICKLE_PROTOCOL }, stop = OP_STOP;

  p.memo = g_hash_table_new (NULL, NULL);
  reserve (&p, 256);
  write_raw (&p, header, sizeof header);
  p.framing = TRUE;
  save (&p, value);
  write_raw (&p, &stop, 1);
  commit_frame (&p);
  g_hash_table_unref (p.memo);
  return g_bytes_new_take (g_realloc (p.data, p.len), p.len);
}
