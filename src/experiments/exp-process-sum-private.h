/* exp-process-sum-private.h — the measuring part of process-sum: the
 * array, the sequential sum, and the two pool variants with the phases of
 * their time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lab-experiment.h"
#include "lab-process-pool.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PSUM_SEQUENTIAL = 0, /* sum(array) in the parent */
  LAB_PSUM_SEND_DATA,      /* pool.map(sum, array_parts) */
  LAB_PSUM_SEND_N,         /* pool.map(sum_n, counts) */
  LAB_PSUM_SEQUENTIAL_N,   /* sum_n(size) in the parent: what SEND_N divides */
  LAB_PSUM_N_VARIANTS
} LabPsumVariant;

/* Where the time of one pool.map went; the phases add up to total_ns.
 * serialise: the parent pickling the tasks, and the slowest worker
 * pickling its result; deserialise: the slowest worker unpickling its
 * task, and the parent unpickling the results; transfer: until the last
 * byte of the last task was written, less the parent's pickling; compute:
 * from then until the last worker finished computing, less its
 * unpickling; collect: from then until the parent had every result, less
 * the result pickles. */
typedef struct
{
  gint64  total_ns;
  gint64  serialise_ns;
  gint64  deserialise_ns;
  gint64  transfer_ns;
  gint64  compute_ns;
  gint64  collect_ns;
  gint64  sum;
  guint64 bytes_sent; /* the task pickles' bytes (frame headers not counted) */
} LabPsumRun;

typedef struct
{
  LabRunContext  *ctx;
  LabRecorder    *recorder;
  LabLane        *main_lane;
  const gint64   *array;
  gsize           size;
  guint           rounds;     /* busywork per number (lab-sum-kernel.h) */
  LabProcessPool *pool;
  /* pool.map(sum, array_parts): one part per worker, cut further where a
   * part is too big for one message. */
  LabWireItem    *parts;
  guint           n_parts;
  /* pool.map(sum_n, counts): one count per worker. */
  gint64         *counts;
  guint           n_counts;
  volatile guint64 busy_state;
} LabPsum;

/* "10 000 000": digits in groups of three, as a person reads a count. */
/* Room for @size numbers (not touched yet), or NULL with @error if the
 * array and the copies sent to the workers would not fit in the memory
 * that is free (or in @max_memory_mb, if that is > 0). */
gint64   *lab_psum_new_array   (LabRunContext  *ctx,
                                gsize           size,
                                gint64          max_memory_mb,
                                GError        **error);
/* Fills it with ones. FALSE if stopped. */
gboolean  lab_psum_fill        (LabRunContext  *ctx,
                                gint64         *array,
                                gsize           size);
/* Cuts the array into parts and counts for @n_workers. */
void      lab_psum_plan        (LabPsum        *psum,
                                guint           n_workers);
void      lab_psum_clear       (LabPsum        *psum);
/* sum(array), or with @made sum_n(size), on the parent's thread. FALSE if
 * stopped. */
gboolean  lab_psum_sequential  (LabPsum        *psum,
                                gboolean        made,
                                LabPsumRun     *run);
/* One pool.map of @variant. FALSE with @error if it failed or was
 * stopped (G_IO_ERROR_CANCELLED). */
gboolean  lab_psum_pool        (LabPsum        *psum,
                                LabPsumVariant  variant,
                                LabPsumRun     *run,
                                GError        **error);

G_END_DECLS
