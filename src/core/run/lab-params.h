/* lab-params.h — declared experiment parameters, validated values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_PARAM_INT,       /* whole number in [min, max], step */
  LAB_PARAM_DOUBLE,    /* number in [min, max], step */
  LAB_PARAM_BOOL,
  LAB_PARAM_ENUM,      /* one of choices[] (by nick) */
  LAB_PARAM_TEXT,
  LAB_PARAM_TEXT_LIST, /* comma-separated on the command line */
} LabParamKind;

typedef enum
{
  LAB_PARAM_FLAG_NONE      = 0,
  LAB_PARAM_FLAG_SWEEPABLE = 1 << 0, /* an int count a sweep may vary */
  LAB_PARAM_FLAG_ADVANCED  = 1 << 1, /* shown under "More" in the window */
  LAB_PARAM_FLAG_HIDDEN    = 1 << 2, /* test-only: command line, not the window */
  LAB_PARAM_FLAG_LOG_SCALE = 1 << 3, /* slider moves on a log scale */
} LabParamFlags;

typedef struct
{
  const char *nick;  /* what the command line takes */
  const char *label; /* N_() */
} LabParamChoice;

/* One declared parameter. Numbers (int and double) use min/max/step/def_num;
 * ints must be whole and fit in gint64. */
typedef struct
{
  LabParamKind          kind;
  const char           *key;      /* stable, e.g. "threads" */
  const char           *label;    /* N_() */
  const char           *tooltip;  /* N_(), may be NULL */
  double                min;
  double                max;
  double                step;
  double                def_num;
  gboolean              def_bool;
  const char           *def_text; /* TEXT, TEXT_LIST (comma-separated), ENUM nick */
  const LabParamChoice *choices;  /* ENUM: terminated by { NULL, NULL } */
  const char           *unit;     /* N_(), e.g. "ms"; may be NULL */
  LabParamFlags         flags;
} LabParamSpec;

#define LAB_PARAMS_ERROR (lab_params_error_quark ())

typedef enum
{
  LAB_PARAMS_ERROR_UNKNOWN_KEY,
  LAB_PARAMS_ERROR_INVALID,      /* wrong type / cannot parse */
  LAB_PARAMS_ERROR_OUT_OF_RANGE,
} LabParamsError;

GQuark lab_params_error_quark (void);

/* Values for one experiment's specs; starts at the defaults. */
typedef struct _LabParams LabParams;

LabParams          *lab_params_new          (const LabParamSpec *specs,
                                             guint               n_specs);
LabParams          *lab_params_copy         (const LabParams *params);
void                lab_params_free         (LabParams *params);

guint               lab_params_get_n_specs  (const LabParams *params);
const LabParamSpec *lab_params_get_spec     (const LabParams *params,
                                             guint            index);
const LabParamSpec *lab_params_find_spec    (const LabParams *params,
                                             const char      *key);

/* "KEY=VALUE" as on the command line (--set). */
gboolean            lab_params_parse_assignment (LabParams   *params,
                                                 const char  *assignment,
                                                 GError     **error);
/* VALUE parsed by the kind of KEY. */
gboolean            lab_params_parse        (LabParams   *params,
                                             const char  *key,
                                             const char  *text,
                                             GError     **error);
/* A GVariant of the kind's type: int64 (x), double (d), boolean (b),
 * string (s, also ENUM), string array (as). Ints given as doubles and
 * doubles given as ints are accepted when exact. */
gboolean            lab_params_set_value    (LabParams   *params,
                                             const char  *key,
                                             GVariant    *value,
                                             GError     **error);
/* Sets every key of an a{sv} dictionary; stops at the first error. */
gboolean            lab_params_set_all      (LabParams   *params,
                                             GVariant    *dict,
                                             GError     **error);

gint64              lab_params_get_int      (const LabParams *params,
                                             const char      *key);
double              lab_params_get_double   (const LabParams *params,
                                             const char      *key);
gboolean            lab_params_get_bool     (const LabParams *params,
                                             const char      *key);
/* TEXT and ENUM (the nick). */
const char         *lab_params_get_string   (const LabParams *params,
                                             const char      *key);
const char * const *lab_params_get_strv     (const LabParams *params,
                                             const char      *key);
GVariant           *lab_params_get_value    (const LabParams *params,
                                             const char      *key);

/* a{sv} of every value, in spec order (floating reference). */
GVariant           *lab_params_to_variant   (const LabParams *params);
/* "threads=4, lock=true", the command line's spelling (caller frees). */
char               *lab_params_to_string    (const LabParams *params);
/* "Threads: 4, Use a lock: no", translated, for titles, history rows and
 * exports; @except_key (may be NULL) is left out (caller frees). */
char               *lab_params_describe     (const LabParams *params,
                                             const char      *except_key);
/* The value of one key as text ("4", "true", "a,b"), caller frees. */
char               *lab_params_format_value (const LabParams *params,
                                             const char      *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabParams, lab_params_free)

G_END_DECLS
