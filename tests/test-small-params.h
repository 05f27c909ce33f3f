/* test-small-params.h — for each experiment, values that make its run (on
 * the model or on CPython) short, for the tests that run every one.
 * Header-only (static).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

typedef struct
{
  const char *id;
  const char *sets[6];  /* "KEY=VALUE", NULL-terminated */
  gboolean    network;  /* fetches from the built-in server */
} SmallRun;

G_GNUC_UNUSED static const SmallRun small_runs[] = {
  { "threads-hello",     { "threads=3", NULL }, FALSE },
  { "race-counter",      { "threads=4", "max_sleep_ms=20", NULL }, FALSE },
  { "threads-cpu-sum",   { "size=20000", "repeat=1", NULL }, FALSE },
  { "threads-io-fetch",  { "pages=2", "delay_ms=10", NULL }, TRUE },
  { "producer-consumer", { "items=4", "consumers=2", "time_scale=0.01", NULL }, FALSE },
  { "subprocess-run",    { "command=echo small", NULL }, FALSE },
  { "process-isolation", { "processes=2", NULL }, FALSE },
  { "process-pool-map",  { "processes=2", "items=4", "task_ms=0", NULL }, FALSE },
  { "process-sum",       { "processes=2", "size=20000", "repeat=1", NULL }, FALSE },
};

/* The small run of @id, or NULL. */
G_GNUC_UNUSED static const SmallRun *
small_run_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (small_runs); i++)
    if (g_strcmp0 (small_runs[i].id, id) == 0)
      return &small_runs[i];
  return NULL;
}
