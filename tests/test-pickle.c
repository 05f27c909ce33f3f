/* test-pickle.c — the pickle codec against CPython 3.11: lab_pickle_dumps()
 * writes the very bytes pickle.dumps(obj, protocol=5) writes (the small
 * cases are checked in under tests/data/, made by make-pickles.py; the big
 * ones are asked from python3 at run time), lab_pickle_loads() reads what
 * CPython writes in protocols 2–5, refuses code (GLOBAL, REDUCE, …) with an
 * error that names the opcode, and survives cut-off, damaged and random
 * input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "lab-pickle.h"

/* ---- building the values of make-pickles.py ---- */

static LabPyValue *
I (gint64 v)
{
  return lab_py_int_new (v);
}

static LabPyValue *
S (const char *s)
{
  return lab_py_str_new (s, -1);
}

static LabPyValue *
tuple_of (guint n, ...)
{
  LabPyValue *items[8];
  va_list ap;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (items));
  va_start (ap, n);
  for (guint k = 0; k < n; k++)
    items[k] = va_arg (ap, LabPyValue *);
  va_end (ap);
  return lab_py_tuple_new (items, n);
}

static LabPyValue *
list_of (guint n, ...)
{
  LabPyValue *list = lab_py_list_new ();
  va_list ap;

  va_start (ap, n);
  for (guint k = 0; k < n; k++)
    lab_py_list_append (list, va_arg (ap, LabPyValue *));
  va_end (ap);
  return list;
}

static LabPyValue *
repeated_ints (const gint64 *pattern,
               gsize         pattern_len,
               gsize         n)
{
  g_autofree gint64 *items = g_new (gint64, MAX (n, 1));

  for (gsize k = 0; k < n; k++)
    items[k] = pattern[k % pattern_len];
  return lab_py_int_list_new (items, n);
}

static LabPyValue *
ones (gsize n)
{
  static const gint64 one = 1;

  return repeated_ints (&one, 1, n);
}

/* Little-endian two's complement: @fill × @n, then @top. */
static LabPyValue *
big_int (guint8 fill,
         gsize  n,
         guint8 top)
{
  g_autofree guint8 *bytes = g_malloc (n + 1);

  memset (bytes, fill, n);
  bytes[n] = top;
  return lab_py_int_new_from_bytes (bytes, n + 1);
}

static LabPyValue *
build (const char *name)
{
  static const gint64 zero_one[] = { 0, 1 };

  if (g_str_equal (name, "none")) return lab_py_none_new ();
  if (g_str_equal (name, "true")) return lab_py_bool_new (TRUE);
  if (g_str_equal (name, "false")) return lab_py_bool_new (FALSE);
  if (g_str_equal (name, "int-0")) return I (0);
  if (g_str_equal (name, "int-255")) return I (255);
  if (g_str_equal (name, "int-256")) return I (256);
  if (g_str_equal (name, "int-65535")) return I (65535);
  if (g_str_equal (name, "int-65536")) return I (65536);
  if (g_str_equal (name, "int-minus-1")) return I (-1);
  if (g_str_equal (name, "int-max-int32")) return I (G_MAXINT32);
  if (g_str_equal (name, "int-min-int32")) return I (G_MININT32);
  if (g_str_equal (name, "int-2-pow-40")) return I (G_GINT64_CONSTANT (1) << 40);
  if (g_str_equal (name, "int-max-int64")) return I (G_MAXINT64);
  if (g_str_equal (name, "int-min-int64")) return I (G_MININT64);
  if (g_str_equal (name, "int-2-pow-64")) return big_int (0x00, 8, 0x01);
  if (g_str_equal (name, "int-minus-2-pow-64")) return big_int (0x00, 8, 0xff);
  if (g_str_equal (name, "int-2-pow-2048")) return big_int (0x00, 256, 0x01);
  if (g_str_equal (name, "float-1p5")) return lab_py_float_new (1.5);
  if (g_str_equal (name, "float-minus-0")) return lab_py_float_new (-0.0);
  if (g_str_equal (name, "float-1e300")) return lab_py_float_new (1e300);
  if (g_str_equal (name, "str-empty")) return S ("");
  if (g_str_equal (name, "str-privet")) return S ("привет");
  if (g_str_has_prefix (name, "str-"))
    {
      gsize n = g_ascii_strtoull (name + 4, NULL, 10);
      g_autofree char *s = g_strnfill (n, n == 300 ? 'x' : 'y');

      return S (s);
    }
  if (g_str_equal (name, "bytes-empty")) return lab_py_bytes_new ("", 0);
  if (g_str_equal (name, "bytes-300"))
    {
      g_autofree guint8 *zeros = g_malloc0 (300);

      return lab_py_bytes_new (zeros, 300);
    }
  if (g_str_equal (name, "bytes-70000"))
    {
      g_autofree guint8 *b = g_malloc0 (70000);

      for (gsize k = 0; k < 256 * 273; k++)
        b[k] = k % 256;
      return lab_py_bytes_new (b, 70000);
    }
  if (g_str_equal (name, "tuple-0")) return tuple_of (0);
  if (g_str_equal (name, "tuple-1")) return tuple_of (1, I (1));
  if (g_str_equal (name, "tuple-2")) return tuple_of (2, I (1), I (2));
  if (g_str_equal (name, "tuple-3")) return tuple_of (3, I (1), I (2), I (3));
  if (g_str_equal (name, "tuple-4")) return tuple_of (4, I (1), I (2), I (3), I (4));
  if (g_str_equal (name, "list-0")) return lab_py_list_new ();
  if (g_str_equal (name, "list-1")) return ones (1);
  if (g_str_equal (name, "list-1000")) return ones (1000);
  if (g_str_equal (name, "list-1001")) return ones (1001);
  if (g_str_equal (name, "list-0-1-x-5000")) return repeated_ints (zero_one, 2, 10000);
  if (g_str_equal (name, "list-mixed-ints"))
    {
      const gint64 v[] = { 0, -1, 255, 256, 65535, 65536, G_MININT32,
                           G_GINT64_CONSTANT (1) << 31, G_MAXINT64, G_MININT64 };

      return lab_py_int_list_new (v, G_N_ELEMENTS (v));
    }
  if (g_str_equal (name, "nested"))
    return tuple_of (3, list_of (3, I (1), I (2), I (3)), I (42), S ("name"));
  if (g_str_equal (name, "dict"))
    {
      LabPyValue *d = lab_py_dict_new (), *inner = lab_py_dict_new ();

      lab_py_dict_set (inner, S ("d"), lab_py_none_new ());
      lab_py_dict_set (d, S ("a"), I (1));
      lab_py_dict_set (d, S ("b"), list_of (2, I (1), I (2)));
      lab_py_dict_set (d, S ("c"), inner);
      lab_py_dict_set (d, S ("e"), tuple_of (2, lab_py_bool_new (TRUE), lab_py_float_new (2.5)));
      return d;
    }
  if (g_str_equal (name, "dict-1"))
    {
      LabPyValue *d = lab_py_dict_new ();

      lab_py_dict_set (d, S ("only"), I (1));
      return d;
    }
  if (g_str_equal (name, "dict-1000"))
    {
      LabPyValue *d = lab_py_dict_new ();

      for (guint k = 0; k < 1000; k++)
        {
          g_autofree char *key = g_strdup_printf ("k%u", k);

          lab_py_dict_set (d, S (key), I (k));
        }
      return d;
    }
  if (g_str_equal (name, "shared-str"))
    {
      /* One str object three times: written once, then fetched (BINGET). */
      LabPyValue *s = S ("shared");

      return tuple_of (3, lab_py_value_ref (s), list_of (1, lab_py_value_ref (s)), s);
    }
  if (g_str_equal (name, "memo-300"))
    {
      LabPyValue *list = lab_py_list_new (), *last = NULL;

      for (guint k = 0; k < 300; k++)
        {
          g_autofree char *s = g_strdup_printf ("s%u", k);

          last = S (s);
          lab_py_list_append (list, last);
        }
      lab_py_list_append (list, lab_py_value_ref (last)); /* LONG_BINGET 300 */
      return list;
    }
  if (g_str_equal (name, "task")) return tuple_of (2, I (0), ones (1000));
  g_error ("no value for %s", name);
}

/* ---- helpers ---- */

static GBytes *
read_data_file (const char *file_name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file_name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GPtrArray *
data_file_names (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pickle"))
      g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >, 40);
  return names;
}

/* What CPython's `pickle.dumps(<expr>, protocol=5)` gives. */
static GBytes *
cpython_dumps (const char *expr)
{
  g_autofree char *script = g_strdup_printf (
      "import pickle, sys\nsys.stdout.buffer.write(pickle.dumps(%s, protocol=5))", expr);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                  "python3", "-c", script, NULL);
  GBytes *out = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return out;
}

static void
assert_same_bytes (GBytes     *ours,
                   GBytes     *theirs,
                   const char *what)
{
  gsize n1, n2;
  const guint8 *a = g_bytes_get_data (ours, &n1), *b = g_bytes_get_data (theirs, &n2);

  for (gsize k = 0; k < MIN (n1, n2); k++)
    if (a[k] != b[k])
      g_error ("%s: byte %zu is 0x%02x, CPython wrote 0x%02x", what, k, a[k], b[k]);
  if (n1 != n2)
    g_error ("%s: %zu bytes, CPython wrote %zu", what, n1, n2);
}

static LabPyValue *
loads_bytes (GBytes  *bytes,
             GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return lab_pickle_loads (data, len, error);
}

/* ---- tests ---- */

static void
test_dumps_checked_in (void)
{
  g_autoptr(GPtrArray) names = data_file_names ();
  guint compared = 0;

  for (guint k = 0; k < names->len; k++)
    {
      const char *file_name = names->pdata[k];
      g_autofree char *name = NULL;
      g_autoptr(LabPyValue) value = NULL;
      g_autoptr(GBytes) expected = NULL, ours = NULL;

      /* NAME.pickle only; NAME.p2.pickle and the like are for loads. */
      if (strchr (file_name, '.') != strrchr (file_name, '.'))
        continue;
      name = g_strndup (file_name, strlen (file_name) - strlen (".pickle"));
      value = build (name);
      expected = read_data_file (file_name);
      ours = lab_pickle_dumps (value);
      assert_same_bytes (ours, expected, file_name);
      compared++;
    }
  g_assert_cmpuint (compared, ==, 45);
}

static void
test_loads_checked_in (void)
{
  g_autoptr(GPtrArray) names = data_file_names ();

  for (guint k = 0; k < names->len; k++)
    {
      const char *file_name = names->pdata[k];
      g_autofree char *name = g_strndup (file_name, strchr (file_name, '.') - file_name);
      g_autoptr(GBytes) bytes = read_data_file (file_name);
      g_autoptr(GError) error = NULL;
      g_autoptr(LabPyValue) expected = build (name);
      g_autoptr(LabPyValue) value = loads_bytes (bytes, &error);

      /* Protocol 2 has no bytes opcodes: CPython calls _codecs.encode. */
      if (g_str_has_prefix (name, "bytes-") && g_str_has_suffix (file_name, ".p2.pickle"))
        {
          g_assert_error (error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_UNSUPPORTED);
          g_assert_cmpstr (error->message, ==,
                           "pickle: unsupported opcode GLOBAL at byte 2: "
                           "only plain data can be unpickled here");
          continue;
        }
      g_assert_no_error (error);
      if (!lab_py_value_equal (value, expected))
        g_error ("%s does not read back as the value it was made from", file_name);
    }
}

static void
test_loads_keeps_int_lists_flat (void)
{
  g_autoptr(GBytes) bytes = read_data_file ("list-0-1-x-5000.pickle");
  g_autoptr(GBytes) mixed = read_data_file ("list-mixed-ints.pickle");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabPyValue) value = loads_bytes (bytes, &error);
  g_autoptr(LabPyValue) mixed_value = NULL;
  const gint64 *ints;
  gsize n = 0;

  g_assert_no_error (error);
  ints = lab_py_list_peek_ints (value, &n);
  g_assert_nonnull (ints);
  g_assert_cmpuint (n, ==, 10000);
  g_assert_cmpint (ints[0], ==, 0);
  g_assert_cmpint (ints[9999], ==, 1);

  mixed_value = loads_bytes (mixed, &error);
  g_assert_no_error (error);
  ints = lab_py_list_peek_ints (mixed_value, &n);
  g_assert_nonnull (ints);
  g_assert_cmpint (ints[8], ==, G_MAXINT64);
  g_assert_cmpint (ints[9], ==, G_MININT64);
}

/* A key set twice keeps its first place and takes the last value, as
 * in a Python dict; lookups work below and above the size of the index. */
static void
test_loads_dict_keys (void)
{
  static const char twice[] = "\x80\x05}(\x8c\x01" "aK\x01\x8c\x01" "bK\x02\x8c\x01" "aK\x03u.";
  g_autoptr(GBytes) big = read_data_file ("dict-1000.pickle");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabPyValue) small = lab_pickle_loads (twice, sizeof twice - 1, &error);
  g_autoptr(LabPyValue) large = NULL;
  gint64 v = 0;
  gsize len;

  g_assert_no_error (error);
  g_assert_cmpuint (lab_py_value_get_length (small), ==, 2);
  g_assert_cmpstr (lab_py_value_get_data (lab_py_dict_get_key (small, 0), &len), ==, "a");
  g_assert_true (lab_py_value_get_int (lab_py_dict_lookup (small, "a"), &v));
  g_assert_cmpint (v, ==, 3);
  g_assert_null (lab_py_dict_lookup (small, "c"));

  large = loads_bytes (big, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lab_py_value_get_length (large), ==, 1000);
  g_assert_true (lab_py_value_get_int (lab_py_dict_lookup (large, "k999"), &v));
  g_assert_cmpint (v, ==, 999);
  g_assert_null (lab_py_dict_lookup (large, "k1000"));
}

static void
test_dumps_big_lists (void)
{
  g_autofree gint64 *range = g_new (gint64, 100000);
  g_autoptr(LabPyValue) value = NULL;
  g_autoptr(GBytes) ours = NULL, theirs = NULL;
  g_autoptr(LabPyValue) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize n;
  const guint8 *data;
  guint frames = 0;

  for (guint k = 0; k < 100000; k++)
    range[k] = k;
  value = lab_py_int_list_new (range, 100000);
  ours = lab_pickle_dumps (value);
  theirs = cpython_dumps ("list(range(100000))");
  assert_same_bytes (ours, theirs, "list(range(100000))");

  /* Several frames, each a FRAME opcode with its length. */
  data = g_bytes_get_data (ours, &n);
  for (gsize pos = 2; pos < n && data[pos] == 0x95; frames++)
    {
      guint64 len = 0;

      for (guint b = 0; b < 8; b++)
        len |= (guint64) data[pos + 1 + b] << (8 * b);
      pos += 9 + len;
    }
  g_assert_cmpuint (frames, ==, 6);

  back = loads_bytes (ours, &error);
  g_assert_no_error (error);
  g_assert_true (lab_py_value_equal (back, value));
}

/* Pool.map of sum over [1] * 4_000_000 in two parts: each task's arguments
 * are (index, part); what goes down the pipes is ~8.0 MB, as in CPython. */
static void
test_dumps_task_parts (void)
{
  gsize sent = 0;

  for (guint part = 0; part < 2; part++)
    {
      g_autoptr(LabPyValue) task = tuple_of (2, I (part), ones (2000000));
      g_autoptr(GBytes) ours = lab_pickle_dumps (task);
      g_autofree char *expr = g_strdup_printf ("(%u, [1] * 2_000_000)", part);
      g_autoptr(GBytes) theirs = cpython_dumps (expr);
      g_autoptr(GError) error = NULL;
      g_autoptr(LabPyValue) back = loads_bytes (ours, &error);

      assert_same_bytes (ours, theirs, expr);
      g_assert_no_error (error);
      g_assert_true (lab_py_value_equal (back, task));
      sent += g_bytes_get_size (ours);
    }
  g_test_message ("bytes_sent for [1] * 4_000_000 in 2 parts: %zu", sent);
  g_assert_cmpuint (sent, >, 8000000);
  g_assert_cmpuint (sent, <, 8100000);

  /* A str function name instead of an index, as Pool sends a function. */
  {
    g_autoptr(LabPyValue) task = tuple_of (2, S ("sum_part"), ones (1000));
    g_autoptr(GBytes) ours = lab_pickle_dumps (task);
    g_autoptr(GBytes) theirs = cpython_dumps ("('sum_part', [1] * 1000)");

    assert_same_bytes (ours, theirs, "('sum_part', [1] * 1000)");
  }
}

static void
assert_refused (const char *data,
                gsize       len,
                gint        code,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabPyValue) value = lab_pickle_loads (data, len, &error);

  g_assert_null (value);
  g_assert_error (error, LAB_PICKLE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

#define REFUSED(lit, code, message) assert_refused (lit, sizeof (lit) - 1, code, message)

static void
test_loads_refuses_code (void)
{
  /* builtins.set(()) as protocol 5 writes it */
  REFUSED ("\x80\x05\x8c\x08" "builtins\x8c\x03set\x93)R.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: unsupported opcode STACK_GLOBAL at byte 17: only plain data can be unpickled here");
  REFUSED ("\x80\x02" "cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85R.",
           LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: unsupported opcode GLOBAL at byte 2: only plain data can be unpickled here");
  REFUSED ("\x80\x05)R.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: unsupported opcode REDUCE at byte 3: only plain data can be unpickled here");
  REFUSED ("\x80\x05}}b.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: unsupported opcode BUILD at byte 4: only plain data can be unpickled here");
  REFUSED ("\x80\x05\x8f\x94.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: unsupported opcode EMPTY_SET at byte 2: only plain data can be unpickled here");
  REFUSED ("\x80\x06N.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: protocol 6 at byte 0 is newer than 5, the newest this program reads");
  REFUSED ("\x80\x05\xff", LAB_PICKLE_ERROR_MALFORMED,
           "pickle: unknown opcode 0xff at byte 2: this is not pickle data");
  REFUSED ("", LAB_PICKLE_ERROR_TRUNCATED,
           "pickle: the data ends at byte 0 without a STOP opcode (it is cut off)");
  REFUSED ("\x80\x05\x8c\x05" "abc", LAB_PICKLE_ERROR_TRUNCATED,
           "pickle: the data is cut off inside SHORT_BINUNICODE at byte 2");
  REFUSED ("\x80\x05" "a.", LAB_PICKLE_ERROR_MALFORMED,
           "pickle: APPEND at byte 2 does not fit the data before it (the pickle is damaged)");
  REFUSED ("\x80\x05" "h\x07.", LAB_PICKLE_ERROR_MALFORMED,
           "pickle: BINGET at byte 2 does not fit the data before it (the pickle is damaged)");
  REFUSED ("\x80\x05\x8c\x02\xff\xfe.", LAB_PICKLE_ERROR_MALFORMED,
           "pickle: the text of SHORT_BINUNICODE at byte 2 is not valid UTF-8");
  REFUSED ("\x80\x05}]]s.", LAB_PICKLE_ERROR_MALFORMED,
           "pickle: SETITEM at byte 5 uses a list or a dict as a dict key, which Python does not allow");
}

static void
test_loads_refuses_cycles_and_depth (void)
{
  GString *deep = g_string_new (")");

  /* l = []; l.append(l) */
  REFUSED ("\x80\x05]\x94h\x00" "a.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: APPEND at byte 6 would change a container that is already stored "
           "elsewhere: only plain data without cycles can be unpickled here");
  /* a = []; b = [a]; a.append(b) */
  REFUSED ("\x80\x05]\x94]\x94h\x00" "ah\x00h\x01" "a.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: APPEND at byte 13 would change a container that is already stored "
           "elsewhere: only plain data without cycles can be unpickled here");
  /* d = {}; d["d"] = d */
  REFUSED ("\x80\x05}\x94\x8c\x01" "dh\x00s.", LAB_PICKLE_ERROR_UNSUPPORTED,
           "pickle: SETITEM at byte 9 would change a container that is already stored "
           "elsewhere: only plain data without cycles can be unpickled here");

  for (guint k = 0; k < 2000; k++)
    g_string_append_c (deep, '\x85');
  g_string_append_c (deep, '.');
  assert_refused (deep->str, deep->len, LAB_PICKLE_ERROR_UNSUPPORTED,
                  "pickle: the data is nested more than 1000 levels deep at byte 1000");
  g_string_free (deep, TRUE);
}

/* Every valid pickle cut at every length is an error about the cut, and
 * nothing is read past the end (the copy is exactly as long as the cut). */
static void
test_loads_truncated (void)
{
  g_autoptr(GPtrArray) names = data_file_names ();

  for (guint k = 0; k < names->len; k++)
    {
      g_autoptr(GBytes) bytes = read_data_file (names->pdata[k]);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      if (g_str_has_prefix (names->pdata[k], "bytes-") && g_str_has_suffix (names->pdata[k], ".p2.pickle"))
        continue; /* refused at byte 2 */
      for (gsize cut = 0; cut < len; cut++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, cut);
          g_autoptr(GError) error = NULL;
          g_autoptr(LabPyValue) value = lab_pickle_loads (copy, cut, &error);

          g_assert_null (value);
          g_assert_error (error, LAB_PICKLE_ERROR, LAB_PICKLE_ERROR_TRUNCATED);
        }
    }
}

/* Damaged pickles: a result or an error, never a crash or a leak. */
static void
test_loads_flipped_bytes (void)
{
  g_autoptr(GPtrArray) names = data_file_names ();
  guint errors = 0, values = 0;

  for (guint k = 0; k < names->len; k++)
    {
      g_autoptr(GBytes) bytes = read_data_file (names->pdata[k]);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      for (guint round = 0; round < 100; round++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, len);
          g_autoptr(GError) error = NULL;
          g_autoptr(LabPyValue) value = NULL;
          guint flips = g_test_rand_int_range (1, 4);

          for (guint f = 0; f < flips; f++)
            copy[g_test_rand_int_range (0, len)] ^= 1u << g_test_rand_int_range (0, 8);
          value = lab_pickle_loads (copy, len, &error);
          g_assert_true ((value == NULL) != (error == NULL));
          if (value != NULL)
            g_bytes_unref (lab_pickle_dumps (value));
          errors += error != NULL;
          values += value != NULL;
        }
    }
  g_test_message ("flipped bytes: %u errors, %u values", errors, values);
  g_assert_cmpuint (errors, >, 0);
  g_assert_cmpuint (values, >, 0);
}

/* Random opcode soup, mostly the opcodes this reader knows, so that it gets
 * past the first byte and builds, memoizes and nests things. */
static void
test_loads_random (void)
{
  static const guint8 alphabet[] = "()]}01245GJKMNXaehjlqrstud.BC"
    "\x80\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x94\x95";

  for (guint round = 0; round < 10000; round++)
    {
      guint8 buf[96];
      gsize len = g_test_rand_int_range (0, sizeof buf);
      g_autoptr(GError) error = NULL;
      g_autoptr(LabPyValue) value = NULL;

      for (gsize k = 0; k < len; k++)
        buf[k] = g_test_rand_int_range (0, 4) == 0 ? g_test_rand_int_range (0, 256)
                                                    : alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      value = lab_pickle_loads (buf, len, &error);
      g_assert_true ((value == NULL) != (error == NULL));
      if (value != NULL)
        g_bytes_unref (lab_pickle_dumps (value));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pickle/dumps/checked-in", test_dumps_checked_in);
  g_test_add_func ("/pickle/dumps/big-lists", test_dumps_big_lists);
  g_test_add_func ("/pickle/dumps/task-parts", test_dumps_task_parts);
  g_test_add_func ("/pickle/loads/checked-in", test_loads_checked_in);
  g_test_add_func ("/pickle/loads/int-lists-flat", test_loads_keeps_int_lists_flat);
  g_test_add_func ("/pickle/loads/dict-keys", test_loads_dict_keys);
  g_test_add_func ("/pickle/loads/refuses-code", test_loads_refuses_code);
  g_test_add_func ("/pickle/loads/refuses-cycles", test_loads_refuses_cycles_and_depth);
  g_test_add_func ("/pickle/loads/truncated", test_loads_truncated);
  g_test_add_func ("/pickle/loads/flipped", test_loads_flipped_bytes);
  g_test_add_func ("/pickle/loads/random", test_loads_random);

  return g_test_run ();
}
