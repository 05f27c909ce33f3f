/* lab-cli-private.h — the pieces of the command line that live outside
 * lab-cli.c: JSON output and the checks made before anything runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- lab-cli-json.c ---- */

/* A GVariant as a JSON node; takes floating references and leaves others
 * as they were. */
JsonNode   *lab_cli_variant_to_json (GVariant *variant);
/* @root as pretty-printed JSON that any strict parser accepts, whatever
 * text the metrics hold (caller frees). */
char       *lab_cli_json_to_text    (JsonNode *root);

G_END_DECLS
