/* lab-wire-pickle.c — the pickled messages of Pool.map, the same on both
 * ends of the pipe (the pool in the app, the worker helper).
 *
 * multiprocessing.Pool.map puts on its task queue, per chunk,
 *
 *   pickle.dumps((job, i, mapstar, ((func, chunk),), {}))
 *
 * and a worker answers with pickle.dumps((job, i, (True, results))). The
 * lab sends the same tuples, with one difference: a function is pickled by
 * reference (GLOBAL "multiprocessing.pool mapstar"), which the lab's
 * loader refuses to read as it never imports anything, so here a function
 * travels as its name, a str. The numbers, the bulk of every message, are
 * pickled exactly as CPython pickles them.
 *
 * Pickling by reference is also why some functions cannot travel: the
 * child must find the function by its qualified name, and a function made
 * inside another one ("make_worker.<locals>.<lambda>") has no name to be
 * found by; CPython refuses to pickle it, and so does the lab, with
 * CPython's words. The child, in turn, looks the name up in its __main__
 * (lab-worker-tasks.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <string.h>

#include "lab-wire.h"

#define LAB_WIRE_MAPSTAR "mapstar"

LabPyValue *
lab_wire_task_tuple_new_call (guint64      job,
                              guint64      chunk,
                              guint32      function,
                              const char  *qualname,
                              gboolean     inherited,
                              LabPyValue  *args,
                              GError     **error)
{
  const char *name = lab_wire_function_name (function);
  LabPyValue *call[2], *calls[1], *task[5];

  if (!inherited && qualname != NULL && strstr (qualname, "<locals>") != NULL)
    {
      /* pickle's save_global(), word for word (Python 3.11). */
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   "AttributeError: Can't pickle local object '%s'", qualname);
      lab_py_value_unref (args);
      return NULL;
    }

  /* An unknown function still travels: the worker refuses it by number. */
  if (inherited)
    call[0] = lab_py_none_new ();
  else
    call[0] = lab_py_str_new (name != NULL ? name : "?", -1);
  call[1] = args;
  calls[0] = lab_py_tuple_new (call, 2);
  task[0] = lab_py_int_new ((gint64) job);
  task[1] = lab_py_int_new ((gint64) chunk);
  task[2] = lab_py_str_new (LAB_WIRE_MAPSTAR, -1);
  task[3] = lab_py_tuple_new (calls, 1);
  task[4] = lab_py_dict_new ();
  return lab_py_tuple_new (task, 5);
}

LabPyValue *
lab_wire_task_tuple_new (guint64     job,
                         guint64     chunk,
                         guint32     function,
                         LabPyValue *args)
{
  return lab_wire_task_tuple_new_call (job, chunk, function, NULL, FALSE, args, NULL);
}

static void
lab_wire_not_a (GError     **error,
                const char  *what)
{
  g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
               /* Translators: a pickled message between the app and a worker
                * process has the wrong shape; %s is the Python form it
                * should have, e.g. "(job, i, (True, results))" */
               _("the pickle is not a %s"), what);
}

static gboolean
lab_wire_tuple_check (LabPyValue *value,
                      gsize       n)
{
  return value != NULL && lab_py_value_kind (value) == LAB_PY_TUPLE &&
         lab_py_value_get_length (value) == n;
}

LabPyValue *
lab_wire_task_tuple_parse_call (LabPyValue  *task,
                                guint32      function,
                                gboolean    *inherited,
                                GError     **error)
{
  const char *shape = "(job, i, mapstar, ((func, chunk),), {})";
  LabPyValue *calls, *call, *args;
  const char *name;
  gint64 job, chunk;

  if (!lab_wire_tuple_check (task, 5) ||
      !lab_py_value_get_int (lab_py_value_get_item (task, 0), &job) ||
      !lab_py_value_get_int (lab_py_value_get_item (task, 1), &chunk) ||
      lab_py_value_kind (lab_py_value_get_item (task, 2)) != LAB_PY_STR ||
      g_strcmp0 (lab_py_value_get_data (lab_py_value_get_item (task, 2), NULL),
                 LAB_WIRE_MAPSTAR) != 0)
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  calls = lab_py_value_get_item (task, 3);
  if (!lab_wire_tuple_check (calls, 1))
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  call = lab_py_value_get_item (calls, 0);
  if (!lab_wire_tuple_check (call, 2))
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  args = lab_py_value_get_item (call, 1);
  if (lab_py_value_kind (args) != LAB_PY_TUPLE)
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  if (inherited != NULL)
    *inherited = lab_py_value_kind (lab_py_value_get_item (call, 0)) == LAB_PY_NONE;
  if (inherited != NULL && *inherited)
    return args;
  if (lab_py_value_kind (lab_py_value_get_item (call, 0)) != LAB_PY_STR)
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }

  name = lab_py_value_get_data (lab_py_value_get_item (call, 0), NULL);
  if (g_strcmp0 (name, lab_wire_function_name (function)) != 0)
    {
      g_set_error (error, LAB_WIRE_ERROR, LAB_WIRE_ERROR_MALFORMED,
                   /* Translators: a worker process was asked to run one
                    * function, but the pickled task names another */
                   _("the task's pickle calls “%s”, not “%s”"),
                   name, lab_wire_function_name (function));
      return NULL;
    }
  return args;
}

LabPyValue *
lab_wire_task_tuple_parse (LabPyValue  *task,
                           guint32      function,
                           GError     **error)
{
  return lab_wire_task_tuple_parse_call (task, function, NULL, error);
}

LabPyValue *
lab_wire_result_tuple_new (guint64     job,
                           guint64     chunk,
                           LabPyValue *results)
{
  LabPyValue *outcome[2], *message[3];

  outcome[0] = lab_py_bool_new (TRUE);
  outcome[1] = results;
  message[0] = lab_py_int_new ((gint64) job);
  message[1] = lab_py_int_new ((gint64) chunk);
  message[2] = lab_py_tuple_new (outcome, 2);
  return lab_py_tuple_new (message, 3);
}

LabPyValue *
lab_wire_result_tuple_parse (LabPyValue  *message,
                             GError     **error)
{
  const char *shape = "(job, i, (True, results))";
  LabPyValue *outcome, *results;
  gint64 job, chunk;

  if (!lab_wire_tuple_check (message, 3) ||
      !lab_py_value_get_int (lab_py_value_get_item (message, 0), &job) ||
      !lab_py_value_get_int (lab_py_value_get_item (message, 1), &chunk))
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  outcome = lab_py_value_get_item (message, 2);
  if (!lab_wire_tuple_check (outcome, 2) ||
      lab_py_value_kind (lab_py_value_get_item (outcome, 0)) != LAB_PY_BOOL ||
      !lab_py_value_get_bool (lab_py_value_get_item (outcome, 0)))
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  results = lab_py_value_get_item (outcome, 1);
  if (lab_py_value_kind (results) != LAB_PY_LIST)
    {
      lab_wire_not_a (error, shape);
      return NULL;
    }
  return results;
}
