/* test-params.c — parameter validation and its messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lab-params.h"

static const LabParamChoice modes[] = {
  { "sequential", "Sequential" },
  { "threads", "Threads" },
  { NULL, NULL },
};

static const LabParamSpec specs[] = {
  { .kind = LAB_PARAM_INT, .key = "threads", .label = "Threads", .min = 1, .max = 64, .step = 1, .def_num = 4 },
  { .kind = LAB_PARAM_DOUBLE, .key = "interval", .label = "Interval", .min = 0.1, .max = 100, .step = 0.1, .def_num = 5 },
  { .kind = LAB_PARAM_BOOL, .key = "lock", .label = "Lock", .def_bool = FALSE },
  { .kind = LAB_PARAM_ENUM, .key = "mode", .label = "Mode", .choices = modes, .def_text = "threads" },
  { .kind = LAB_PARAM_TEXT, .key = "command", .label = "Command", .def_text = "ls -l" },
  { .kind = LAB_PARAM_TEXT_LIST, .key = "urls", .label = "URLs", .def_text = "http://a/, http://b/" },
  { .kind = LAB_PARAM_INT, .key = "size", .label = "Size", .min = 1, .max = 100000000, .def_num = 10000000 },
  { .kind = LAB_PARAM_INT, .key = "seed", .label = "Seed", .def_num = 0 },
  { .kind = LAB_PARAM_DOUBLE, .key = "timeout", .label = "Timeout", .min = 0, .max = 3600, .step = 0.1, .def_num = 0 },
};

static LabParams *
new_params (void)
{
  return lab_params_new (specs, G_N_ELEMENTS (specs));
}

static void
test_defaults (void)
{
  g_autoptr(LabParams) p = new_params ();
  const char * const *urls;
  g_autofree char *text = NULL;

  g_assert_cmpint (lab_params_get_int (p, "threads"), ==, 4);
  g_assert_cmpfloat (lab_params_get_double (p, "interval"), ==, 5.0);
  g_assert_false (lab_params_get_bool (p, "lock"));
  g_assert_cmpstr (lab_params_get_string (p, "mode"), ==, "threads");
  g_assert_cmpstr (lab_params_get_string (p, "command"), ==, "ls -l");
  urls = lab_params_get_strv (p, "urls");
  g_assert_cmpstr (urls[0], ==, "http://a/");
  g_assert_cmpstr (urls[1], ==, "http://b/");
  g_assert_null (urls[2]);

  text = lab_params_to_string (p);
  g_assert_cmpstr (text, ==, "threads=4, interval=5, lock=false, mode=threads, command=ls -l, "
                             "urls=http://a/,http://b/, size=10000000, seed=0, timeout=0");
}

static void
test_parse_ok (void)
{
  g_autoptr(LabParams) p = new_params ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_params_parse_assignment (p, "threads=8", &error));
  g_assert_no_error (error);
  g_assert_true (lab_params_parse_assignment (p, "lock=true", &error));
  g_assert_true (lab_params_parse_assignment (p, "interval=0.5", &error));
  g_assert_true (lab_params_parse_assignment (p, "mode=sequential", &error));
  g_assert_true (lab_params_parse_assignment (p, "size=10_000", &error));
  g_assert_true (lab_params_parse_assignment (p, "urls=http://x/", &error));
  g_assert_true (lab_params_parse_assignment (p, "command=echo a=b", &error));
  g_assert_no_error (error);

  g_assert_cmpint (lab_params_get_int (p, "threads"), ==, 8);
  g_assert_true (lab_params_get_bool (p, "lock"));
  g_assert_cmpfloat (lab_params_get_double (p, "interval"), ==, 0.5);
  g_assert_cmpstr (lab_params_get_string (p, "mode"), ==, "sequential");
  g_assert_cmpint (lab_params_get_int (p, "size"), ==, 10000);
  g_assert_cmpstr (lab_params_get_strv (p, "urls")[0], ==, "http://x/");
  g_assert_null (lab_params_get_strv (p, "urls")[1]);
  g_assert_cmpstr (lab_params_get_string (p, "command"), ==, "echo a=b");
}

typedef struct
{
  const char *assignment;
  int         code;
  const char *message;
} BadCase;

static void
test_parse_errors (void)
{
  static const BadCase cases[] = {
    { "thread=4", LAB_PARAMS_ERROR_UNKNOWN_KEY,
      "Unknown parameter “thread” (known: threads, interval, lock, mode, command, urls, size, seed, timeout)" },
    { "threads=four", LAB_PARAMS_ERROR_INVALID, "threads: “four” is not a whole number" },
    { "threads=2.5", LAB_PARAMS_ERROR_INVALID, "threads: “2.5” is not a whole number" },
    { "threads=", LAB_PARAMS_ERROR_INVALID, "threads: “” is not a whole number" },
    { "threads=100", LAB_PARAMS_ERROR_OUT_OF_RANGE, "threads: 100 is out of range (1–64)" },
    { "threads=0", LAB_PARAMS_ERROR_OUT_OF_RANGE, "threads: 0 is out of range (1–64)" },
    /* The number given, not one wrapped or clamped to 64 bits. */
    { "threads=99999999999999999999", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "threads: 99999999999999999999 is out of range (1–64)" },
    { "threads=9223372036854775807", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "threads: 9223372036854775807 is out of range (1–64)" },
    { "threads=-9223372036854775808", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "threads: -9223372036854775808 is out of range (1–64)" },
    { "seed=-99999999999999999999", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "seed: -99999999999999999999 does not fit in a whole number "
      "(-9223372036854775808 to 9223372036854775807)" },
    /* 1e-400 would read as 0, "no timeout": the opposite of a short one. */
    { "timeout=1e-400", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "timeout: 1e-400 is too close to 0 to be stored; it would become 0" },
    { "interval=1e-400", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "interval: 1e-400 is too close to 0 to be stored; it would become 0" },
    { "timeout=1e400", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "timeout: 1e400 is too large to be stored as a number" },
    { "timeout=-1e400", LAB_PARAMS_ERROR_OUT_OF_RANGE,
      "timeout: -1e400 is too large to be stored as a number" },
    { "timeout=inf", LAB_PARAMS_ERROR_INVALID, "timeout: “inf” is not a finite number" },
    { "timeout=nan", LAB_PARAMS_ERROR_INVALID, "timeout: “nan” is not a finite number" },
    { "interval=0.01", LAB_PARAMS_ERROR_OUT_OF_RANGE, "interval: 0.01 is out of range (0.1–100)" },
    { "interval=fast", LAB_PARAMS_ERROR_INVALID, "interval: “fast” is not a number" },
    { "lock=maybe", LAB_PARAMS_ERROR_INVALID, "lock: “maybe” is not true or false" },
    { "mode=async", LAB_PARAMS_ERROR_INVALID, "mode: “async” is not one of: sequential, threads" },
    { "threads", LAB_PARAMS_ERROR_INVALID, "“threads” is not of the form KEY=VALUE" },
    { "=4", LAB_PARAMS_ERROR_INVALID, "“=4” is not of the form KEY=VALUE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabParams) p = new_params ();
      g_autoptr(GError) error = NULL;

      g_assert_false (lab_params_parse_assignment (p, cases[i].assignment, &error));
      g_assert_error (error, LAB_PARAMS_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      /* A rejected value changes nothing. */
      g_assert_cmpint (lab_params_get_int (p, "threads"), ==, 4);
    }
}

static void
test_variants (void)
{
  g_autoptr(LabParams) p = new_params ();
  g_autoptr(LabParams) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) dict = NULL;

  /* Ints given as doubles are fine when whole; the wrong type is not. */
  g_assert_true (lab_params_set_value (p, "threads", g_variant_new_double (16), &error));
  g_assert_no_error (error);
  g_assert_false (lab_params_set_value (p, "threads", g_variant_new_double (1.5), &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lab_params_set_value (p, "lock", g_variant_new_string ("yes"), &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lab_params_set_value (p, "threads", g_variant_new_int64 (65), &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (lab_params_set_value (p, "threads", g_variant_new_int64 (G_MAXINT64), &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==, "threads: 9223372036854775807 is out of range (1–64)");
  g_clear_error (&error);
  g_assert_false (lab_params_set_value (p, "timeout", g_variant_new_double (INFINITY), &error));
  g_assert_error (error, LAB_PARAMS_ERROR, LAB_PARAMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpfloat (lab_params_get_double (p, "timeout"), ==, 0);

  /* Round trip through a{sv}, as the settings store it. */
  dict = g_variant_ref_sink (lab_params_to_variant (p));
  copy = new_params ();
  g_assert_true (lab_params_set_all (copy, dict, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_params_get_int (copy, "threads"), ==, 16);
  g_assert_cmpstr (lab_params_get_strv (copy, "urls")[1], ==, "http://b/");

  /* Copies are independent. */
  g_clear_pointer (&copy, lab_params_free);
  copy = lab_params_copy (p);
  g_assert_true (lab_params_parse (p, "threads", "2", &error));
  g_assert_cmpint (lab_params_get_int (copy, "threads"), ==, 16);
  g_assert_cmpint (lab_params_get_int (p, "threads"), ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/params/defaults", test_defaults);
  g_test_add_func ("/params/parse/ok", test_parse_ok);
  g_test_add_func ("/params/parse/errors", test_parse_errors);
  g_test_add_func ("/params/variants", test_variants);

  return g_test_run ();
}
