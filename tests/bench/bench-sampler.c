/* bench-sampler.c — what the /proc sampler achieves and costs, and the GIL
 * hand-overs it sees in CPython.
 *
 * Prints KEY: VALUE lines, all measured in this one run:
 *   sampler_hz                  samples a second achieved (asked: 1000) on a
 *                               python3 with 4 busy and 4 sleeping threads
 *   sampler_cpu_share           the sampling thread's own CPU time / wall
 *                               time there (target: at most 0.05 of a core)
 *   sampler_us_per_thread       that CPU time per thread and sample
 *   cpython_gil_switches_per_s  hand-overs a second between two CPU-bound
 *                               threads of python3 (default switch interval
 *                               5 ms: about 200)
 *   cpython_runnable_wait_s     how long those two threads were runnable but
 *                               waited for a core (how busy the machine was)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#include "lab-proc-sampler.h"

#define PYTHON  "/usr/bin/python3"
#define SECONDS "2.0"

static const char mixed_program[] =
  "import threading, time\n"
  "def busy():\n"
  "    end = time.monotonic() + " SECONDS "\n"
  "    while time.monotonic() < end:\n"
  "        pass\n"
  "ts = [threading.Thread(target=busy) for _ in range(4)]\n"
  "ts += [threading.Thread(target=time.sleep, args=(" SECONDS ",)) for _ in range(4)]\n"
  "for t in ts: t.start()\n"
  "for t in ts: t.join()\n";

static const char gil_program[] =
  "import threading, time\n"
  "def busy():\n"
  "    end = time.monotonic() + " SECONDS "\n"
  "    while time.monotonic() < end:\n"
  "        pass\n"
  "ts = [threading.Thread(target=busy) for _ in range(2)]\n"
  "for t in ts: t.start()\n"
  "for t in ts: t.join()\n";

/* Samples one run of @program at the default rate; its metrics. */
static GVariant *
sample_python (const char *program)
{
  g_autoptr(LabRecorder) recorder = lab_recorder_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                   PYTHON, "-c", program, NULL);
  LabProcSampler *sampler;
  GVariant *metrics;

  if (child == NULL)
    g_error ("%s", error->message);
  sampler = lab_proc_sampler_new ((GPid) atoi (g_subprocess_get_identifier (child)),
                                  LAB_PROC_SAMPLER_FOLLOW_DESCENDANTS, recorder, 0);
  if (!lab_proc_sampler_start (sampler, &error) ||
      !g_subprocess_wait_check (child, NULL, &error) ||
      !lab_proc_sampler_stop (sampler, &error))
    g_error ("%s", error->message);
  metrics = lab_proc_sampler_get_metrics (sampler);
  lab_proc_sampler_free (sampler);
  return metrics;
}

int
main (void)
{
  g_autoptr(GVariant) mixed = NULL;
  g_autoptr(GVariant) gil = NULL;
  guint64 samples = 0;
  guint32 threads = 0;
  double hz = 0, cpu_s = 0, wall_s = 1, switches_per_s = 0, wait_s = 0;

  printf ("cpus: %u\n", g_get_num_processors ());

  mixed = sample_python (mixed_program);
  g_variant_lookup (mixed, "samples", "t", &samples);
  g_variant_lookup (mixed, "threads", "u", &threads);
  g_variant_lookup (mixed, "sample_hz", "d", &hz);
  g_variant_lookup (mixed, "sampler_cpu_s", "d", &cpu_s);
  g_variant_lookup (mixed, "wall_s", "d", &wall_s);
  printf ("sampler_threads: %u\n", threads);
  printf ("sampler_hz: %.0f\n", hz);
  printf ("sampler_cpu_share: %.4f\n", cpu_s / wall_s);
  printf ("sampler_us_per_thread: %.2f\n",
          samples > 0 && threads > 0 ? cpu_s * 1e6 / samples / threads : 0);

  gil = sample_python (gil_program);
  g_variant_lookup (gil, "handovers_per_s", "d", &switches_per_s);
  g_variant_lookup (gil, "runnable_wait_s", "d", &wait_s);
  printf ("cpython_gil_switches_per_s: %.0f\n", switches_per_s);
  printf ("cpython_runnable_wait_s: %.3f\n", wait_s);
  return 0;
}
