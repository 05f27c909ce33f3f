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

/* What CPython 3.11 costs per number, relative to sum() over a list of
 * small ints, measured with python3 on the machine the lab is developed
 * on (a list of 5 000 000 ones, best of 3–5 rounds, ns per number):
 *
 *   sum(array)                        12.7
 *   sum(1 for _ in range(n))          68.1  (a generator step each: 5.4×)
 *   pickle.dumps(array, protocol=5)   21.6  (1.7×)
 *   pickle.loads(that)                20.7  (1.6×)
 *
 * The lab's sum gets `rounds` rounds of busywork per number; sum_n and the
 * pickling of a list of numbers get these multiples of it, so the four
 * ways of process-sum compare as they do in CPython. */
#define LAB_SUM_N_COST       5.4
/* Both pickling and unpickling: they cost about the same. */
#define LAB_PICKLE_COST      1.7

static inline guint
lab_sum_model_rounds (guint  rounds,
                      double cost)
{
  return (guint) (rounds * cost + 0.5);
}

/* One number's busywork: a step, then @rounds rounds of xorshift (a
 * chain of dependent register operations that does not touch the value). */
static G_ALWAYS_INLINE inline guint64
lab_sum_step (guint64 s,
              guint   rounds)
{
  s += 1; /* not the value: see above */
  for (guint r = 0; r < rounds; r++)
    {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
    }
  return s;
}

/* @n numbers' worth of @rounds busywork and nothing else: CPython's own
 * work per object while it pickles or unpickles a list. */
static inline void
lab_sum_busywork (gsize     n,
                  guint     rounds,
                  guint64  *state)
{
  guint64 s = *state;

  for (gsize i = 0; i < n; i++)
    s = lab_sum_step (s, rounds);
  *state = s;
}

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

      s = lab_sum_step (s, rounds);
      sum += v;
    }
  *state = s;
  return sum;
}

/* sum(1 for _ in range(n)): each number is made on the spot, in a
 * register, like a generator's next value; the empty asm makes it opaque,
 * so the compiler cannot fold the loop into "n". Each step of the
 * generator costs CPython LAB_SUM_N_COST times what sum() spends on a
 * number of a list (resuming the frame, range's next, yielding), so a
 * number gets that multiple of @rounds here. */
static inline gint64
lab_sum_n_kernel (gint64    n,
                  guint     rounds,
                  guint64  *state)
{
  guint64 s = *state;
  gint64 sum = 0;

  rounds = lab_sum_model_rounds (rounds, LAB_SUM_N_COST);

  for (gint64 i = 0; i < n; i++)
    {
      gint64 v = 1;

      __asm__ ("" : "+r" (v));
      s = lab_sum_step (s, rounds);
      sum += v;
    }
  *state = s;
  return sum;
}

G_END_DECLS
