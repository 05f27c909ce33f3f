/* test-interp.c — the interpreter model lets go of the GIL where CPython
 * does, and hands it to the thread CPython would. Orders, not timings: the
 * switch interval is made so long that no drop request can come.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lab-interp.h"

/* Longer than any test: no waiter ever times out and asks for the GIL. */
#define NEVER_NS (60 * G_GINT64_CONSTANT (1000000000))

typedef struct
{
  LabInterp *interp;
  LabLane   *lane;
  GMutex    *mutex;
  GCond     *cond;
  gboolean  *started;
  GString   *order;   /* who ran when; under mutex */
  gboolean   sleep_zero;
} Runner;

static void
append (Runner *r,
        char    who)
{
  g_mutex_lock (r->mutex);
  g_string_append_c (r->order, who);
  if (r->cond != NULL)
    g_cond_broadcast (r->cond);
  g_mutex_unlock (r->mutex);
}

/* Enters the interpreter, says it started, maybe calls time.sleep(0), and
 * appends its name to the order: all as one Python thread. */
static gpointer
runner_main (gpointer data)
{
  Runner *r = data;

  lab_lane_bind_thread (r->lane);
  lab_interp_enter (r->interp, r->lane);
  g_mutex_lock (r->mutex);
  *r->started = TRUE;
  g_cond_broadcast (r->cond);
  g_mutex_unlock (r->mutex);
  if (r->sleep_zero)
    g_assert_true (lab_interp_sleep_ns (r->interp, r->lane, NULL, 0));
  append (r, lab_lane_get_name (r->lane)[0]);
  lab_interp_leave (r->interp, r->lane);
  return NULL;
}

typedef struct
{
  LabRecorder *rec;
  LabInterp   *interp;
  LabLane     *main_lane;
  GMutex       mutex;
  GCond        cond;
  gboolean     started[2];
  GString     *order;
  Runner       runners[2];
  GThread     *threads[2];
} Fixture;

static void
fixture_init (Fixture *f)
{
  f->rec = lab_recorder_new (NULL);
  f->interp = lab_interp_new (f->rec, TRUE, NULL, NEVER_NS);
  f->main_lane = lab_recorder_add_lane (f->rec, LAB_LANE_MAIN, "M");
  g_mutex_init (&f->mutex);
  g_cond_init (&f->cond);
  f->order = g_string_new (NULL);
}

static void
fixture_start (Fixture    *f,
               guint       i,
               const char *name,
               gboolean    sleep_zero)
{
  f->runners[i] = (Runner) { f->interp, lab_recorder_add_lane (f->rec, LAB_LANE_THREAD, name),
                             &f->mutex, &f->cond, &f->started[i], f->order, sleep_zero };
  f->threads[i] = g_thread_new (name, runner_main, &f->runners[i]);
}

static void
fixture_wait_started (Fixture *f,
                      guint    i)
{
  g_mutex_lock (&f->mutex);
  while (!f->started[i])
    g_cond_wait (&f->cond, &f->mutex);
  g_mutex_unlock (&f->mutex);
}

/* Ends the main thread's part, joins the threads; returns the order. */
static char *
fixture_finish (Fixture *f)
{
  append (&(Runner) { .mutex = &f->mutex, .order = f->order }, 'M');
  lab_interp_leave (f->interp, f->main_lane);
  for (guint i = 0; i < G_N_ELEMENTS (f->threads); i++)
    if (f->threads[i] != NULL)
      g_thread_join (f->threads[i]);
  g_test_message ("order: %s", f->order->str);
  return g_string_free (f->order, FALSE);
}

static void
fixture_clear (Fixture *f)
{
  g_cond_clear (&f->cond);
  g_mutex_clear (&f->mutex);
  lab_interp_free (f->interp);
  lab_recorder_unref (f->rec);
}

/* Thread.start() hands the GIL to the thread it started, even when another
 * thread asked for it first: B waits for the GIL before C exists, yet C
 * runs first. */
static void
test_start_hands_to_new_thread (void)
{
  Fixture f = { 0 };
  g_autofree char *order = NULL;

  fixture_init (&f);
  lab_interp_enter (f.interp, f.main_lane);
  fixture_start (&f, 0, "B", FALSE);
  fixture_start (&f, 1, "C", FALSE);
  lab_interp_block_begin_for (f.interp, f.main_lane, f.runners[1].lane);
  fixture_wait_started (&f, 1);
  lab_interp_block_end_for (f.interp, f.main_lane);
  order = fixture_finish (&f);
  fixture_clear (&f);

  g_assert_cmpint (strlen (order), ==, 3);
  g_assert_cmpint (order[0], ==, 'C');
}

/* time.sleep(0) lets go of the GIL, and the starter, woken by `_started`,
 * gets it before the sleeper is back: the main thread runs between the new
 * thread's read and its write, which is how updates get lost. */
static void
test_sleep_zero_lets_starter_in (void)
{
  Fixture f = { 0 };
  g_autofree char *order = NULL;
  gint64 end;

  fixture_init (&f);
  lab_interp_enter (f.interp, f.main_lane);
  fixture_start (&f, 0, "T", TRUE);
  lab_interp_block_begin_for (f.interp, f.main_lane, f.runners[0].lane);
  fixture_wait_started (&f, 0);
  /* A slow starter: the sleeper must still wait for it. (Were it not to,
   * it would have written by the end of this pause.) */
  g_mutex_lock (&f.mutex);
  end = g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND;
  while (f.order->len == 0 && g_cond_wait_until (&f.cond, &f.mutex, end))
    ;
  g_mutex_unlock (&f.mutex);
  lab_interp_block_end_for (f.interp, f.main_lane);
  order = fixture_finish (&f);
  fixture_clear (&f);

  g_assert_cmpstr (order, ==, "MT");
}

/* Free-threaded, the model does nothing: no lock, no switch points. */
static void
test_free_threaded (void)
{
  g_autoptr(LabRecorder) rec = lab_recorder_new (NULL);
  g_autoptr(LabTrace) trace = lab_trace_new (lab_recorder_get_pool (rec));
  LabInterp *interp = lab_interp_new (rec, FALSE, NULL, NEVER_NS);
  LabInterp *with_gil = lab_interp_new (rec, TRUE, NULL, NEVER_NS);
  LabLane *lane = lab_recorder_add_lane (rec, LAB_LANE_MAIN, "M");
  LabLane *other = lab_recorder_add_lane (rec, LAB_LANE_THREAD, "T");

  g_assert_null (lab_interp_get_gil (interp));
  lab_interp_enter (interp, lane);
  g_assert_false (lab_interp_switch_point (interp, lane, "f()"));
  g_assert_true (lab_interp_sleep_ns (interp, lane, NULL, 0));
  lab_interp_leave (interp, lane);

  /* With the GIL, the same switch point is a mark. */
  g_assert_nonnull (lab_interp_get_gil (with_gil));
  lab_interp_enter (with_gil, other);
  g_assert_false (lab_interp_switch_point (with_gil, other, "f()"));
  lab_interp_leave (with_gil, other);

  lab_recorder_drain (rec, trace);
  g_assert_cmpuint (lab_trace_get_lane (trace, 0)->marks->len, ==, 0);
  g_assert_cmpuint (lab_trace_get_lane (trace, 1)->marks->len, ==, 1);
  lab_interp_free (interp);
  lab_interp_free (with_gil);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/interp/start-hands-to-new-thread", test_start_hands_to_new_thread);
  g_test_add_func ("/interp/sleep-zero-lets-starter-in", test_sleep_zero_lets_starter_in);
  g_test_add_func ("/interp/free-threaded", test_free_threaded);
  return g_test_run ();
}
