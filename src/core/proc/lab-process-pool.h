/* lab-process-pool.h — a pool of worker processes, like Python's
 * multiprocessing.Pool: N copies of the worker helper
 * (concurrency-lab-worker), started with one of Python's start methods
 * (LabStartMethod), fed chunks of tasks over pipes (lab-wire.h), results
 * in order.
 *
 * Everything happens on the thread that created the pool (an experiment's
 * run thread): it writes the tasks, reads the results, and records what the
 * workers report into their lanes, so it is each lane's single writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lab-recorder.h"
#include "lab-wire.h"

G_BEGIN_DECLS

/* At most this many worker processes in one pool. */
#define LAB_PROCESS_POOL_MAX_WORKERS 32
/* The helper's file name (in LIBEXECDIR, or src/worker/ of the build). */
#define LAB_WORKER_NAME "concurrency-lab-worker"
/* How long a new worker may take to answer HELLO. */
#define LAB_PROCESS_POOL_START_TIMEOUT_MS 10000
/* How long a worker that has a task may stay silent before the map fails
 * (the watchdog; see lab_process_pool_set_stall_timeout). The environment
 * variable LAB_WORKER_STALL_S, if set, is the default instead. */
#define LAB_PROCESS_POOL_STALL_S          10.0
#define LAB_PROCESS_POOL_STALL_MAX_S      86400.0
/* LabPoolMap.crash_signal, test only: the worker hangs instead of dying. */
#define LAB_PROCESS_POOL_HANG             (-1)

typedef enum
{
  LAB_PROCESS_POOL_NONE          = 0,
  /* Lanes are "Process k (pid N)" (multiprocessing.Process), not
   * "Worker k (pid N)" (a Pool's workers). */
  LAB_PROCESS_POOL_PROCESS_NAMES = 1 << 0,
} LabProcessPoolFlags;

/* How the workers are started, as multiprocessing.get_context() names it.
 *   spawn       each worker execs the helper afresh (GSubprocess): it has
 *               only what it is sent, pickled.
 *   fork        each worker is a fork() of a single-threaded fork server
 *               (lab-fork-server.h) that first got the parent's data
 *               (LabProcessPoolOptions.inherited): the copy has it in
 *               memory, nothing is pickled for it.
 *   forkserver  each worker is a fork() of a fork server started once,
 *               that knows nothing of the parent: arguments are pickled. */
typedef enum
{
  LAB_START_SPAWN,
  LAB_START_FORK,
  LAB_START_FORKSERVER,
} LabStartMethod;

/* The methods this system offers, as multiprocessing.get_all_start_methods()
 * lists them: on Linux all three. The environment variable LAB_START_METHODS
 * (comma-separated names), if set, says which instead (to try a system
 * that lacks one). */
gboolean        lab_start_method_available    (LabStartMethod method);
const char     *lab_start_method_to_string    (LabStartMethod method);
/* "spawn", "fork" or "forkserver"; FALSE with @error for another name or
 * one this system does not offer. */
gboolean        lab_start_method_from_string  (const char      *name,
                                               LabStartMethod  *method,
                                               GError         **error);

typedef struct
{
  guint                n_workers;   /* 1 .. LAB_PROCESS_POOL_MAX_WORKERS */
  LabStartMethod       start_method;
  /* fork only, may be NULL: a dict, the parent's data the children find in
   * their copy of its memory: "__main__" (a list of the names of the
   * functions defined there) and "args" (what an inherited call gets, see
   * LabPoolMap.inherited). */
  LabPyValue          *inherited;
  /* The parent's __main__ has no file (a notebook, python -c): a child that
   * is not a copy of the parent cannot import the functions defined there. */
  gboolean             main_without_file;
  LabProcessPoolFlags  flags;
  const char          *worker_path; /* NULL: lab_process_pool_find_worker () */
  const char          *spawn_label; /* the parent's SPAWNING span; NULL:
                                     * "multiprocessing.Pool(N)" */
} LabProcessPoolOptions;

typedef struct _LabProcessPool LabProcessPool;

/* Where the helper is: $LAB_WORKER_PATH if set; else, for a program that
 * runs from the build tree, the helper built next to it; else the
 * installed one in LIBEXECDIR. Caller frees. */
char           *lab_process_pool_find_worker  (void);

/* Starts the workers and waits until each has answered (READY). With a
 * @recorder, each worker gets a PROCESS lane with its pid, and the start is
 * shown on @parent_lane (may be NULL: nothing is recorded). On failure
 * (the helper missing or not starting, too many workers, Stop) every
 * worker already started is killed and reaped and NULL is returned with
 * @error set (G_IO_ERROR_CANCELLED on Stop). */
LabProcessPool *lab_process_pool_new          (const LabProcessPoolOptions  *options,
                                               LabRecorder                  *recorder,
                                               LabLane                      *parent_lane,
                                               GCancellable                 *cancellable,
                                               GError                      **error);
/* Asks the workers to quit, waits for them (SIGKILL after a grace period)
 * and reaps them. */
void            lab_process_pool_free         (LabProcessPool *pool);
/* Kills every worker (SIGKILL) and reaps them: what Stop does. */
void            lab_process_pool_terminate    (LabProcessPool *pool);

guint           lab_process_pool_get_n_workers (LabProcessPool *pool);
gint            lab_process_pool_get_pid      (LabProcessPool *pool,
                                               guint           worker);
LabLane        *lab_process_pool_get_lane     (LabProcessPool *pool,
                                               guint           worker);
/* From the first spawn (or the fork server's start) to the last READY. */
gint64          lab_process_pool_get_spawn_ns (LabProcessPool *pool);
/* The mean of each worker's start, from the request to its READY. */
gint64          lab_process_pool_get_start_ns_per_process (LabProcessPool *pool);
LabStartMethod  lab_process_pool_get_start_method (LabProcessPool *pool);

/* The watchdog: a worker that has a task and sends nothing for @seconds
 * (no result, no PROGRESS, no byte; the worker sends PROGRESS from inside
 * its computing loops, a few times per this period), nor reads what it is
 * sent, is taken for stopped or hung: the map fails naming it and its
 * task, and every worker is killed (SIGKILL, which also ends a stopped
 * process) and reaped. 0 turns the watchdog off (a debugger attached to a
 * worker stops it, too). At most LAB_PROCESS_POOL_STALL_MAX_S. */
void            lab_process_pool_set_stall_timeout (LabProcessPool *pool,
                                                    double          seconds);
double          lab_process_pool_get_stall_timeout (LabProcessPool *pool);

/* Pool(processes): @processes itself, or for 0 (None) one per CPU; at
 * most LAB_PROCESS_POOL_MAX_WORKERS. */
guint           lab_process_pool_count_for    (gint64 processes);
/* Python's default for Pool.map: about four chunks per worker. */
guint           lab_process_pool_auto_chunksize (guint n_items,
                                                 guint n_workers);

/* One Pool.map call. Items are either @values (one i64 each) or @items
 * (blocks of bytes: for LAB_WIRE_FN_SUM_ARRAY an array of native gint64,
 * for LAB_WIRE_FN_APPEND_ITEM a string list of lab-wire.h, else a str).
 * Each chunk travels as a pickle (lab-wire-pickle.c), its results too. */
typedef struct
{
  LabWireFunction    function;
  guint64            argument;   /* per function, see LabWireFunction */
  /* How the function is pickled (by reference: its qualified name); NULL:
   * its own name. A local object ("make_worker.<locals>.<lambda>") cannot
   * be pickled, as in CPython: the map then fails before sending. */
  const char        *qualname;
  /* Process(target, args) under fork: the call is not sent, the child runs
   * what it inherited (the pool's "args") and the items are not used. */
  gboolean           inherited;
  guint              n_items;
  const gint64      *values;
  const LabWireItem *items;
  guint              chunksize;  /* items per TASK frame; 0: auto */
  /* Busywork per number of a list, added to pickling it in the parent
   * and to unpickling it in the worker (lab-sum-kernel.h); 0: none. */
  guint              pickle_rounds;
  /* Test only: the worker running item @crash_item kills itself with
   * @crash_signal in the middle of it (0: no crash), or with
   * LAB_PROCESS_POOL_HANG loops there forever without a word. */
  guint              crash_item;
  gint               crash_signal;
  /* Test only: each task's pickle is cut in half on its way. */
  gboolean           cut_pickles;
  const char        *label;      /* the parent's WAITING span; NULL: "pool.map()" */
  /* Called after each chunk's result (on the pool's thread), may be NULL. */
  void             (*progress) (guint    done,
                                guint    total,
                                gpointer data);
  gpointer           progress_data;
} LabPoolMap;

/* What one map measured, CLOCK_MONOTONIC ns. */
typedef struct
{
  gint64   start_ns;
  gint64   end_ns;
  gint64   send_end_ns;     /* the last byte of the last task was written */
  gint64   compute_end_ns;  /* the last worker finished computing */
  gint64   send_busy_ns;    /* time spent writing tasks, summed */
  guint64  frame_bytes;     /* every byte written (headers included) */
  guint64  item_bytes;      /* the task pickles' bytes alone */
  gint64   pickle_ns;       /* the parent pickling tasks, summed */
  gint64   unpickle_ns;     /* the parent unpickling results, summed */
  gint64   worker_unpickle_ns; /* the longest a worker took to unpickle a task */
  gint64   worker_pickle_ns;   /* the longest a worker took to pickle a result */
  guint    n_chunks;
  guint    chunksize;
} LabPoolMapStats;

typedef struct
{
  /* GBytes per item, in item order: an int as 8 bytes little-endian, a
   * str as its UTF-8 bytes. */
  GPtrArray       *results;
  guint           *worker_of_item; /* n_items: index of the worker that ran it */
  guint            n_items;
  LabPoolMapStats  stats;
} LabPoolMapResult;

/* Runs @map to the end. FALSE with @error if a worker died (naming it, its
 * pid, the task and the signal), reported an error, sent garbage, stopped
 * answering (G_IO_ERROR_TIMED_OUT, see the watchdog above), or the run was
 * stopped (G_IO_ERROR_CANCELLED); the workers are then all killed and
 * reaped, and the pool refuses further maps. */
gboolean        lab_process_pool_map          (LabProcessPool    *pool,
                                               const LabPoolMap  *map,
                                               LabPoolMapResult  *result,
                                               GError           **error);
void            lab_pool_map_result_clear     (LabPoolMapResult *result);
/* The result of @item as an i64 (FALSE if it is not one). */
gboolean        lab_pool_map_result_get_i64   (const LabPoolMapResult *result,
                                               guint                   item,
                                               gint64                 *value);

G_END_DECLS
