/* lab-cli-json.c — what --json prints: one JSON object that any strict
 * parser accepts, whatever a child process printed.
 *
 * Text reaches the metrics already as valid UTF-8: a GVariant string cannot
 * hold anything else, and LabCapture turns a child's broken bytes into
 * U+FFFD where they are read. Control characters, though, are real text (a
 * tab, an escape sequence, 0x1F) that the output panel shows as it is; only
 * JSON forbids them raw. So they are escaped here, at serialisation, not
 * stripped from the metrics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include <math.h>

#include "lab-cli-private.h"

/* JSON has no inf or NaN (json-glib would write "inf.0"): they become null,
 * which is what "no number" means to every reader. */
static void
replace_non_finite (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          replace_non_finite (member);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          replace_non_finite (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
          !isfinite (json_node_get_double (node)))
        json_node_init_null (node);
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

JsonNode *
lab_cli_variant_to_json (GVariant *variant)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (variant);
  JsonNode *node = json_gvariant_serialize (sunk);

  replace_non_finite (node);
  return node;
}

/* json-glib 1.6 escapes control characters below 0x1F only (its test is off
 * by one), so a child that prints 0x1F puts it raw inside a string, which
 * RFC 8259 forbids. The generator itself writes no control character but
 * the newlines of pretty printing; every other one is inside a string and is
 * escaped here. */
static char *
escape_controls (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));

  for (const char *p = json; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 && *p != '\n')
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
lab_cli_json_to_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);

  /* Strings in a GVariant are valid UTF-8 by construction; this only
   * guards against a future source of text that forgets it. */
  if (!g_utf8_validate (json, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (json, -1);

      return escape_controls (valid);
    }
  return escape_controls (json);
}
