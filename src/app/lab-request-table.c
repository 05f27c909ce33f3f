/* lab-request-table.c — the requests of a run in a grid
 *
 * The metric the experiment declares for its LAB_PANEL_REQUEST_TABLE panel
 * (see LabPanel) is an aa{sv}, one dictionary per request (see
 * lab_fetch_request_to_variant()): url, mode, status, bytes, error, dns_s,
 * connect_s, first_byte_s, total_s, start_s, worker. Each becomes a grid
 * row; a failed request gets a second line with its error in red. The
 * panel's labels name the part of the run ("mode") in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-request-table.h"
#include "lab-run-watch.h"

#define PLACEHOLDER "—"

enum
{
  COL_PART,
  COL_URL,
  COL_STATUS,
  COL_SIZE,
  COL_LOOKUP,
  COL_CONNECT,
  COL_FIRST_BYTE,
  COL_TOTAL,
  N_COLS
};

/* Times are shown the way metric cards show seconds. */
static const LabMetricSpec seconds_spec = { "", "", LAB_METRIC_SECONDS, LAB_METRIC_FLAG_NONE };

struct _LabRequestTable
{
  GtkWidget  parent_instance;

  GtkWidget *frame;
  GtkWidget *scrolled;
  GtkWidget *grid;

  LabRunWatch watch;
  gboolean   has_data;
  GPtrArray *errors; /* char *, NULL for a request that succeeded */
};

G_DEFINE_FINAL_TYPE (LabRequestTable, lab_request_table, GTK_TYPE_WIDGET)

static char *
format_time (double seconds)
{
  g_autoptr(GVariant) value = NULL;

  if (!(seconds > 0))
    return g_strdup (PLACEHOLDER);
  value = g_variant_ref_sink (g_variant_new_double (seconds));
  return lab_metric_format (&seconds_spec, value);
}

static char *
format_size (gint64 bytes)
{
  if (bytes <= 0)
    return g_strdup (PLACEHOLDER);
  if (bytes < 1000)
    /* Translators: a size in bytes */
    return g_strdup_printf (_("%.0f B"), (double) bytes);
  if (bytes < 1000 * 1000)
    /* Translators: a size in kilobytes (1000 bytes) */
    return g_strdup_printf (_("%.1f kB"), (double) bytes / 1e3);
  /* Translators: a size in megabytes (1000 000 bytes) */
  return g_strdup_printf (_("%.2f MB"), (double) bytes / 1e6);
}

static const char *
lookup_string (GVariantDict *dict,
               const char   *key)
{
  const char *s = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &s))
    return NULL;
  return s;
}

static double
lookup_double (GVariantDict *dict,
               const char   *key)
{
  double d = 0;

  g_variant_dict_lookup (dict, key, "d", &d);
  return d;
}

static gint64
lookup_int (GVariantDict *dict,
            const char   *key)
{
  gint64 i = 0;

  g_variant_dict_lookup (dict, key, "x", &i);
  return i;
}

static GtkWidget *
add_cell (LabRequestTable *self,
          guint            column,
          guint            grid_row,
          const char      *text,
          gboolean         numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (GTK_GRID (self->grid), label, (int) column, (int) grid_row, 1, 1);
  return label;
}

static void
add_header (LabRequestTable *self)
{
  static const struct
  {
    const char *title;
    const char *tooltip;
    gboolean    numeric;
  } headers[N_COLS] = {
    /* Translators: column headers of the table of requests of an IO run */
    { N_("Part"), N_("Which part of the run made the request"), FALSE },
    { N_("URL"), NULL, FALSE },
    { N_("Status"), N_("The HTTP status of the answer"), TRUE },
    { N_("Size"), N_("The size of the answer's body"), TRUE },
    /* Translators: column header: time of the DNS lookup */
    { N_("Lookup"), N_("Time until the host name was looked up"), TRUE },
    { N_("Connect"), N_("Time until the connection was open"), TRUE },
    { N_("First byte"), N_("Time until the first byte of the answer arrived"), TRUE },
    { N_("Total"), N_("Time for the whole request"), TRUE },
  };

  for (guint i = 0; i < N_COLS; i++)
    {
      GtkWidget *label = add_cell (self, i, 0, _(headers[i].title), headers[i].numeric);

      gtk_widget_add_css_class (label, "heading");
      if (headers[i].tooltip != NULL)
        gtk_widget_set_tooltip_text (label, _(headers[i].tooltip));
    }
}

static void
clear_grid (LabRequestTable *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->errors, 0);
  self->has_data = FALSE;
}

/* Adds the grid rows of one request; returns the next free grid row. */
static guint
add_request (LabRequestTable *self,
             GVariant        *request,
             guint            grid_row)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (request);
  const char *url = lookup_string (&dict, "url");
  const char *error = lookup_string (&dict, "error");
  const char *mode;
  gint64 status = lookup_int (&dict, "status");
  gboolean failed = error != NULL && error[0] != '\0';
  g_autofree char *status_text = NULL;
  g_autofree char *size = format_size (lookup_int (&dict, "bytes"));
  g_autofree char *lookup = format_time (lookup_double (&dict, "dns_s"));
  g_autofree char *connect = format_time (lookup_double (&dict, "connect_s"));
  g_autofree char *first_byte = format_time (lookup_double (&dict, "first_byte_s"));
  g_autofree char *total = format_time (lookup_double (&dict, "total_s"));
  GtkWidget *cells[N_COLS];

  status_text = status > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, status)
                           : g_strdup (PLACEHOLDER);

  mode = lookup_string (&dict, "mode");
  cells[COL_PART] = add_cell (self, COL_PART, grid_row,
                              mode != NULL ? lab_run_watch_get_label (&self->watch, mode)
                                           : PLACEHOLDER, FALSE);
  cells[COL_URL] = add_cell (self, COL_URL, grid_row, url ? url : PLACEHOLDER, FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (cells[COL_URL]), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (cells[COL_URL]), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (cells[COL_URL]), 40);
  gtk_widget_set_hexpand (cells[COL_URL], TRUE);
  gtk_widget_set_tooltip_text (cells[COL_URL], url);
  cells[COL_STATUS] = add_cell (self, COL_STATUS, grid_row, status_text, TRUE);
  cells[COL_SIZE] = add_cell (self, COL_SIZE, grid_row, size, TRUE);
  cells[COL_LOOKUP] = add_cell (self, COL_LOOKUP, grid_row, lookup, TRUE);
  cells[COL_CONNECT] = add_cell (self, COL_CONNECT, grid_row, connect, TRUE);
  cells[COL_FIRST_BYTE] = add_cell (self, COL_FIRST_BYTE, grid_row, first_byte, TRUE);
  cells[COL_TOTAL] = add_cell (self, COL_TOTAL, grid_row, total, TRUE);

  g_ptr_array_add (self->errors, failed ? g_strdup (error) : NULL);
  if (!failed)
    return grid_row + 1;

  /* The failed request: the row in red, and its error in words below. */
  for (guint i = 0; i < N_COLS; i++)
    gtk_widget_add_css_class (cells[i], "error");
  {
    GtkWidget *label = gtk_label_new (error);

    gtk_label_set_xalign (GTK_LABEL (label), 0.0);
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
    gtk_widget_add_css_class (label, "error");
    gtk_widget_add_css_class (label, "caption");
    gtk_widget_set_margin_bottom (label, 4);
    gtk_grid_attach (GTK_GRID (self->grid), label, COL_URL, (int) grid_row + 1, N_COLS - COL_URL, 1);
  }
  return grid_row + 2;
}

static void
refresh (LabRequestTable *self)
{
  g_autoptr(GVariant) requests = NULL;
  GVariantIter iter;
  GVariant *request;
  guint grid_row = 1;

  clear_grid (self);
  requests = lab_run_watch_lookup (&self->watch, 0, G_VARIANT_TYPE ("aa{sv}"));
  if (requests == NULL)
    return;

  self->has_data = TRUE;
  add_header (self);
  g_variant_iter_init (&iter, requests);
  while ((request = g_variant_iter_next_value (&iter)) != NULL)
    {
      grid_row = add_request (self, request, grid_row);
      g_variant_unref (request);
    }
}

void
lab_request_table_set_runner (LabRequestTable *self,
                              LabRunner       *runner)
{
  g_return_if_fail (LAB_IS_REQUEST_TABLE (self));
  g_return_if_fail (runner == NULL || LAB_IS_RUNNER (runner));

  lab_run_watch_set (&self->watch, LAB_PANEL_REQUEST_TABLE, runner,
                     (LabRunWatchFunc) refresh, self);
}

gboolean
lab_request_table_has_data (LabRequestTable *self)
{
  g_return_val_if_fail (LAB_IS_REQUEST_TABLE (self), FALSE);

  return self->has_data;
}

guint
lab_request_table_get_n_rows (LabRequestTable *self)
{
  g_return_val_if_fail (LAB_IS_REQUEST_TABLE (self), 0);

  return self->errors->len;
}

const char *
lab_request_table_get_error_text (LabRequestTable *self,
                                  guint            row)
{
  g_return_val_if_fail (LAB_IS_REQUEST_TABLE (self), NULL);
  g_return_val_if_fail (row < self->errors->len, NULL);

  return g_ptr_array_index (self->errors, row);
}

GtkWidget *
lab_request_table_new (void)
{
  return g_object_new (LAB_TYPE_REQUEST_TABLE, NULL);
}

static void
lab_request_table_dispose (GObject *object)
{
  LabRequestTable *self = LAB_REQUEST_TABLE (object);

  lab_run_watch_clear (&self->watch);
  g_clear_pointer (&self->frame, gtk_widget_unparent);

  G_OBJECT_CLASS (lab_request_table_parent_class)->dispose (object);
}

static void
lab_request_table_finalize (GObject *object)
{
  LabRequestTable *self = LAB_REQUEST_TABLE (object);

  g_ptr_array_unref (self->errors);

  G_OBJECT_CLASS (lab_request_table_parent_class)->finalize (object);
}

static void
lab_request_table_class_init (LabRequestTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_request_table_dispose;
  object_class->finalize = lab_request_table_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "requesttable");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_request_table_init (LabRequestTable *self)
{
  self->errors = g_ptr_array_new_with_free_func (g_free);

  self->frame = gtk_frame_new (NULL);
  gtk_widget_set_parent (self->frame, GTK_WIDGET (self));

  self->scrolled = gtk_scrolled_window_new ();
  /* Sideways only: every request keeps its row, and the run view's
   * details scroll when there are more than fit. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_frame_set_child (GTK_FRAME (self->frame), self->scrolled);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_widget_set_margin_top (self->grid, 10);
  gtk_widget_set_margin_bottom (self->grid, 10);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->grid);
}
