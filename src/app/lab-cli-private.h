/* lab-cli-private.h — the pieces of the command line that live outside
 * lab-cli.c: JSON output and the checks made before anything runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lab-trace.h"

G_BEGIN_DECLS

/* ---- lab-cli.c ---- */

/* What the run printed, each line to stdout or stderr as it was printed. */
void        lab_cli_print_output    (LabTrace *trace);

/* ---- lab-cli-json.c ---- */

/* A GVariant as a JSON node; takes floating references and leaves others
 * as they were. */
JsonNode   *lab_cli_variant_to_json (GVariant *variant);
/* @root as pretty-printed JSON that any strict parser accepts, whatever
 * text the metrics hold (caller frees). */
char       *lab_cli_json_to_text    (JsonNode *root);

/* ---- lab-cli-check.c ---- */

/* The first of @names given in @argv, as "--run=ID" or "--run" alone
 * (returns the name), or NULL. */
const char *lab_cli_find_option     (char              **argv,
                                     const char * const *names);
/* What can be known to be wrong before anything runs: --list with other
 * options, an export scale that is no number in range, an export file of an
 * unknown type or in a folder that is missing or cannot be written. */
gboolean    lab_cli_check_usage     (char              **argv,
                                     gboolean            list,
                                     char              **exports,
                                     double              export_scale,
                                     GError            **error);
/* The message for an option the parser refused; names the argument when it
 * was not UTF-8 text, which the parser's own message does not (caller
 * frees). */
char       *lab_cli_explain_parse_error (char         **argv,
                                         const GError  *error);

G_END_DECLS
