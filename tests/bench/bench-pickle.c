/* bench-pickle.c — what pickling the experiments' arrays costs, next to
 * what CPython's own C pickler takes for the same list on this machine.
 *
 * Prints KEY: VALUE lines, all measured in this one run, for a list of
 * 5 000 000 ints (ones, as the sum experiments send). The best of a few
 * rounds is what the code costs; the other rounds measure the neighbours
 * on a shared machine.
 *   pickle_bytes                     the size of the pickle (CPython: the same)
 *   pickle_dumps_ns_per_item         lab_pickle_dumps, best of ROUNDS
 *   pickle_loads_ns_per_item         lab_pickle_loads, best of ROUNDS
 *   cpython_pickle_dumps_ns_per_item pickle.dumps(protocol=5) in python3
 *   cpython_pickle_loads_ns_per_item pickle.loads in python3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "lab-pickle.h"
#include "lab-event.h"

#define ITEMS  5000000
#define ROUNDS 5

/* python3 measures itself the same way and prints two numbers. */
static gboolean
measure_cpython (double *dumps_ns,
                 double *loads_ns)
{
  g_autofree char *script = g_strdup_printf (
      "import pickle, time\n"
      "obj = [1] * %d\n"
      "d, l = [], []\n"
      "for _ in range(%d):\n"
      "    t = time.perf_counter_ns(); data = pickle.dumps(obj, protocol=5)\n"
      "    d.append(time.perf_counter_ns() - t)\n"
      "    t = time.perf_counter_ns(); pickle.loads(data)\n"
      "    l.append(time.perf_counter_ns() - t)\n"
      "print(min(d) / %d, min(l) / %d)\n",
      ITEMS, ROUNDS, ITEMS, ITEMS);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                  "python3", "-c", script, NULL);
  g_autofree char *out = NULL;

  if (proc == NULL ||
      !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (proc))
    {
      g_printerr ("python3 could not be measured: %s\n", error ? error->message : "it failed");
      return FALSE;
    }
  return sscanf (out, "%lf %lf", dumps_ns, loads_ns) == 2;
}

int
main (void)
{
  g_autofree gint64 *items = g_new (gint64, ITEMS);
  g_autoptr(LabPyValue) list = NULL;
  double dumps_ns = G_MAXDOUBLE, loads_ns = G_MAXDOUBLE, cpython_dumps, cpython_loads;
  gsize size = 0;

  for (gsize k = 0; k < ITEMS; k++)
    items[k] = 1;
  list = lab_py_int_list_new (items, ITEMS);

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = lab_clock_now_ns ();
      g_autoptr(GBytes) bytes = lab_pickle_dumps (list);
      gint64 middle = lab_clock_now_ns ();
      g_autoptr(GError) error = NULL;
      g_autoptr(LabPyValue) back = lab_pickle_loads (g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes), &error);
      gint64 end = lab_clock_now_ns ();

      if (back == NULL || !lab_py_value_equal (back, list))
        {
          g_printerr ("the pickle did not read back: %s\n", error ? error->message : "other value");
          return 1;
        }
      size = g_bytes_get_size (bytes);
      dumps_ns = MIN (dumps_ns, (double) (middle - start) / ITEMS);
      loads_ns = MIN (loads_ns, (double) (end - middle) / ITEMS);
    }

  g_print ("pickle_bytes: %zu\n", size);
  g_print ("pickle_dumps_ns_per_item: %.2f\n", dumps_ns);
  g_print ("pickle_loads_ns_per_item: %.2f\n", loads_ns);
  if (!measure_cpython (&cpython_dumps, &cpython_loads))
    return 1;
  g_print ("cpython_pickle_dumps_ns_per_item: %.2f\n", cpython_dumps);
  g_print ("cpython_pickle_loads_ns_per_item: %.2f\n", cpython_loads);
  return 0;
}
