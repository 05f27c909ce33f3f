/* lab-sum-kernel.h — the loop that sums numbers for process-sum, the same
 * in the parent (the sequential sum) and in the worker helper (the pool's
 * parts), so that their times compare.
 *
 * Python's built-in sum() over a list costs a few nanoseconds per number
 * (the lecture: 25 ms for ten million); a bare C loop over int64 costs
 * about one, and is limited by memory bandwidth rather than by work. Each
 * number therefore also gets @rounds rounds of xorshift busywork (1.5 to
 * 2.5 ns each), standing in for the interpreter's own work. The busywork
 * is a chain of dependent register operations that does not depend on the
 * values: the loads overlap with it, so from two rounds on a number costs
 * about the same whether it comes from memory (sum) or is made on the spot
 * (sum_n), and two processes on two cores (even two hyperthreads of one)
 * each run it at full speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Adds up @n values; @state carries the busywork's result (store it where
 * the compiler cannot prove nobody reads it). */
static inline gint64
lab_sum_kernel (const gint64 *values,
                gsize         n,
                guint         rounds,
                guint64      *state)
{
  guint64 s = *state;
  gint64 sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      gint64 v = values[i];

      s += 1; /* not the value: see above */
      for (guint r = 0; r < rounds; r++)
        {
          s ^= s << 13;
          s ^= s >> 7;
          s ^= s << 17;
        }
      sum += v;
    }
  *state = s;
  return sum;
}

/* sum(1 for _ in range(n)): each number is made on the spot, in a
 * register, like a generator's next value; the empty asm makes it opaque,
 * so the compiler cannot fold the loop into "n". The busywork is the same
 * as in lab_sum_kernel(). */
static inline gint64
lab_sum_n_kernel (gint64    n,
                  guint     rounds,
                  guint64  *state)
{
  guint64 s = *state;
  gint64 sum = 0;

  for (gint64 i = 0; i < n; i++)
    {
      gint64 v = 1;

      __asm__ ("" : "+r" (v));
      s += 1;
      for (guint r = 0; r < rounds; r++)
        {
          s ^= s << 13;
          s ^= s >> 7;
          s ^= s << 17;
        }
      sum += v;
    }
  *state = s;
  return sum;
}

G_END_DECLS
