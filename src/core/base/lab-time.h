/* lab-time.h — the units of the one clock every event is stamped with
 * (CLOCK_MONOTONIC, in nanoseconds; see lab_clock_now_ns()).
 *
 * Whole numbers, so that "ms * LAB_NS_PER_MS" stays exact in gint64; divide
 * a (double) count of nanoseconds by them for seconds or milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#define LAB_NS_PER_S  G_GINT64_CONSTANT (1000000000)
#define LAB_NS_PER_MS G_GINT64_CONSTANT (1000000)
#define LAB_NS_PER_US G_GINT64_CONSTANT (1000)
