/* exp-threads-cpu-sum-private.h — the measuring part of threads-cpu-sum:
 * the compute loop, the sequential and the threaded sum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdatomic.h>

#include "lab-experiment.h"
#include "lab-interp.h"
#include "lab-threads.h"

G_BEGIN_DECLS

/* What every sum of one run shares. */
typedef struct
{
  LabRunContext     *ctx;
  LabRecorder       *recorder;
  const gint64      *array;
  gsize              size;
  guint              work;        /* busywork rounds per element */
  LabLane           *gil_lane;    /* NULL: free-threaded, no GIL at all */
  gint64             interval_ns; /* the GIL's switch interval */

  /* Set up by each sum for its own duration. */
  LabInterp         *interp;
  LabGil            *gil;         /* interp's, NULL: free-threaded */
  const atomic_bool *drop;        /* the GIL's drop request, or never_drop */
  atomic_bool        never_drop;
  GAsyncQueue       *results;     /* partial sums on their way to main */
} LabSumShared;

/* One part of the sum and the thread (or main thread) computing it. */
typedef struct
{
  LabThread     thread;       /* first: see lab-threads.h */
  LabSumShared *shared;
  gsize         first;
  gsize         stride;
  guint32       slice_label;  /* of its RUNNING spans: "partial_sum(i)" */
  gint64        sum;
  gint64        gil_wait_ns;
  /* The busywork's result: written through volatile, so the compiler must
   * compute it even where it could see that nobody reads it. */
  volatile guint64 state;
  int           last_cpu;
} LabSumPart;

/* What one threaded sum measured. */
typedef struct
{
  gint64   elapsed_ns;
  gint64   sum;
  guint64  switches;
  gint64   handoff_ns;
  gint64  *wait_ns;   /* per thread, n_threads of them (caller's memory) */
} LabSumThreadedRun;

/* An array of @size ones, or NULL with @error set if it does not fit in
 * the memory that is free (or in @max_memory_mb, if that is > 0). */
gint64   *lab_sum_new_array  (LabRunContext      *ctx,
                              gsize               size,
                              gint64              max_memory_mb,
                              GError            **error);
void      lab_sum_shared_init  (LabSumShared     *shared);
void      lab_sum_shared_clear (LabSumShared     *shared);
/* sum(array) on the main thread. FALSE if stopped. */
gboolean  lab_sum_sequential (LabSumShared       *shared,
                              LabLane            *main_lane,
                              gint64             *elapsed_ns,
                              gint64             *sum);
/* @n_threads threads, each with its part of @parts (lanes and labels set
 * by the caller), then N results taken and N joins. FALSE if stopped or
 * (with @error set) if a thread could not be started. */
gboolean  lab_sum_threaded   (LabSumShared       *shared,
                              LabLane            *main_lane,
                              LabSumPart         *parts,
                              guint               n_threads,
                              LabSumThreadedRun  *run,
                              GError            **error);

G_END_DECLS
