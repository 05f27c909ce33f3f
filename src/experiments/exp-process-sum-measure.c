/* exp-process-sum-measure.c — the three sums of process-sum and where
 * their time goes.
 *
 * All add the same numbers with the same loop (lab-sum-kernel.h): the
 * parent alone over its array; the pool's workers over the parts of the
 * array the parent sends them (pickled as Pool.map pickles them, through
 * their stdin pipes, and unpickled there); the workers over numbers they
 * make themselves, given
 * only how many; and, to compare that with, the parent making and adding
 * all the numbers itself (the lecture's sum_n(size)).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <stdio.h>
#include <string.h>

#include "exp-process-sum-private.h"
#include "lab-memory.h"
#include "lab-sum-kernel.h"

/* Numbers summed between two checks for Stop (a few ms of work). */
#define LAB_PSUM_BLOCK ((gsize) 1 << 20)
/* The most numbers sent in one message: pickled, a number takes 2 bytes
 * (a small one) to 10, so a message stays below the protocol's limit of
 * 256 MiB. A bigger part is sent as several. */
#define LAB_PSUM_MAX_PART ((gsize) 16 * 1024 * 1024)

gint64 *
lab_psum_new_array (LabRunContext  *ctx,
                    gsize           size,
                    gint64          max_memory_mb,
                    GError        **error)
{
  /* The array, and the parts of it the workers receive. */
  return lab_memory_new_numbers (size, 2, max_memory_mb,
                                 /* Translators: "size" is the parameter's key; the
                                  * first %s is a count of numbers, the second an
                                  * amount of memory such as "3.2 GB" */
                                 _("size: %s numbers need %s of memory (the array, and the parts "
                                   "of it copied into the worker processes); not enough is free"),
                                 error);
}

gboolean
lab_psum_fill (LabRunContext *ctx,
               gint64        *array,
               gsize          size)
{
  for (gsize i = 0; i < size; i++)
    {
      array[i] = 1;
      if (G_UNLIKELY ((i & (LAB_PSUM_BLOCK - 1)) == 0) && lab_run_context_is_cancelled (ctx))
        return FALSE;
    }
  return TRUE;
}

void
lab_psum_plan (LabPsum *psum,
               guint    n_workers)
{
  gsize part = psum->size / n_workers;
  GArray *parts = g_array_new (FALSE, FALSE, sizeof (LabWireItem));
  const gint64 *wire = psum->array;

  psum->n_counts = n_workers;
  psum->counts = g_new0 (gint64, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      /* As in the lecture, size // processes each; the last part also
       * takes what is left over, so the sum is exact. */
      gsize first = w * part;
      gsize n = w + 1 < n_workers ? part : psum->size - first;

      psum->counts[w] = (gint64) n;
      do
        {
          gsize piece = MIN (n, LAB_PSUM_MAX_PART);
          LabWireItem item = { (const guint8 *) (wire + first), piece * sizeof (gint64) };

          g_array_append_val (parts, item);
          first += piece;
          n -= piece;
        }
      while (n > 0);
    }
  psum->n_parts = parts->len;
  psum->parts = (LabWireItem *) (gpointer) g_array_free (parts, FALSE);
}

void
lab_psum_clear (LabPsum *psum)
{
  g_clear_pointer (&psum->parts, g_free);
  g_clear_pointer (&psum->counts, g_free);
}

gboolean
lab_psum_sequential (LabPsum    *psum,
                     gboolean    made,
                     LabPsumRun *run)
{
  g_autofree char *label = NULL;
  guint64 state = 0;
  gint64 sum = 0, t0;
  gboolean completed = TRUE;

  memset (run, 0, sizeof *run);
  if (made)
    label = g_strdup_printf ("sum_n(%" G_GSIZE_FORMAT ")", psum->size);
  lab_lane_begin (psum->main_lane, LAB_STATE_RUNNING,
                  lab_recorder_intern (psum->recorder, made ? label : "sum(array)"));
  t0 = lab_clock_now_ns ();
  for (gsize first = 0; first < psum->size; first += LAB_PSUM_BLOCK)
    {
      gsize n = MIN (LAB_PSUM_BLOCK, psum->size - first);

      if (lab_run_context_is_cancelled (psum->ctx))
        {
          completed = FALSE;
          break;
        }
      if (made)
        sum += lab_sum_n_kernel ((gint64) n, psum->rounds, &state);
      else
        sum += lab_sum_kernel (psum->array + first, n, psum->rounds, &state);
    }
  run->total_ns = lab_clock_now_ns () - t0;
  lab_lane_end (psum->main_lane);

  /* Stored where the compiler cannot see nobody reads it. */
  psum->busy_state = state;
  run->compute_ns = run->total_ns;
  run->sum = sum;
  return completed;
}

/* Takes @ns (at most what is there) out of *@phase; returns what it took. */
static gint64
lab_psum_take (gint64 *phase,
               gint64  ns)
{
  gint64 taken = CLAMP (ns, 0, MAX (*phase, 0));

  *phase -= taken;
  return taken;
}

gboolean
lab_psum_pool (LabPsum         *psum,
               LabPsumVariant   variant,
               LabPsumRun      *run,
               GError         **error)
{
  LabPoolMap map = { 0 };
  LabPoolMapResult result;
  const LabPoolMapStats *stats = &result.stats;
  gint64 compute_end;

  g_return_val_if_fail (variant == LAB_PSUM_SEND_DATA || variant == LAB_PSUM_SEND_N, FALSE);

  memset (run, 0, sizeof *run);
  map.argument = psum->rounds;
  map.pickle_rounds = lab_sum_model_rounds (psum->rounds, LAB_PICKLE_COST);
  map.chunksize = 1;
  if (variant == LAB_PSUM_SEND_DATA)
    {
      map.function = LAB_WIRE_FN_SUM_ARRAY;
      map.n_items = psum->n_parts;
      map.items = psum->parts;
      map.label = "pool.map(sum, array_parts)";
    }
  else
    {
      map.function = LAB_WIRE_FN_SUM_N;
      map.n_items = psum->n_counts;
      map.values = psum->counts;
      map.label = "pool.map(sum_n, counts)";
    }

  if (!lab_process_pool_map (psum->pool, &map, &result, error))
    {
      lab_pool_map_result_clear (&result);
      return FALSE;
    }

  for (guint i = 0; i < map.n_items; i++)
    {
      gint64 part = 0;

      lab_pool_map_result_get_i64 (&result, i, &part);
      run->sum += part;
    }

  run->total_ns = stats->end_ns - stats->start_ns;
  compute_end = MIN (MAX (stats->compute_end_ns, stats->send_end_ns), stats->end_ns);
  run->transfer_ns = stats->send_end_ns - stats->start_ns;
  run->compute_ns = compute_end - stats->send_end_ns;
  run->collect_ns = stats->end_ns - compute_end;
  /* Each pickling is taken out of the phase it happened in (never more
   * than that phase had), so the phases still add up to the total. */
  run->serialise_ns = lab_psum_take (&run->transfer_ns, stats->pickle_ns) +
                      lab_psum_take (&run->collect_ns, stats->worker_pickle_ns);
  run->deserialise_ns = lab_psum_take (&run->compute_ns, stats->worker_unpickle_ns) +
                        lab_psum_take (&run->collect_ns, stats->unpickle_ns);
  run->bytes_sent = variant == LAB_PSUM_SEND_DATA ? stats->item_bytes : 0;
  lab_pool_map_result_clear (&result);
  return TRUE;
}
