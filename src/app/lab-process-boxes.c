/* lab-process-boxes.c — one card per process's list after a
 * process-isolation run
 *
 * What it reads are the metrics the experiment declares for its
 * LAB_PANEL_PROCESS_BOXES panel (see LabPanel): each child's list length,
 * the parent's, the parent's through the queue, and the pids when present.
 * Every child appended 'item' to its own copy, so a list of length n is n
 * times 'item'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-process-boxes.h"
#include "lab-run-watch.h"

/* More items than this are summed up as "+N". */
#define MAX_CHIPS 24
/* Lists longer than this are printed as ['item' × n]. */
#define MAX_PRINTED 3

/* The order of the panel's keys (LabPanel). */
enum
{
  KEY_CHILD_LENS,
  KEY_PARENT_LEN,
  KEY_SHARED_LEN,
  KEY_PIDS,
};

#define CSS_KEY "lab-process-boxes-css"

static const char css[] =
  "processboxes .lab-list-title { font-family: monospace; }\n"
  "processboxes .lab-item-chip {\n"
  "  font-family: monospace;\n"
  "  padding: 2px 8px;\n"
  "  border-radius: 6px;\n"
  "  color: @accent_color;\n"
  "  background-color: alpha(@accent_bg_color, 0.15);\n"
  "}\n"
  "processboxes .lab-item-chip.lab-arrived {\n"
  "  color: @success_color;\n"
  "  background-color: alpha(@success_bg_color, 0.15);\n"
  "}\n"
  "processboxes .lab-empty-list {\n"
  "  padding: 6px 8px;\n"
  "  border-radius: 6px;\n"
  "  border: 1px dashed alpha(currentColor, 0.35);\n"
  "}\n";

typedef struct
{
  char  *title;
  guint  len;
} Card;

struct _LabProcessBoxes
{
  GtkWidget  parent_instance;

  GtkWidget *flow;

  LabRunWatch watch;
  gboolean   has_data;
  GArray    *cards; /* Card */
};

G_DEFINE_FINAL_TYPE (LabProcessBoxes, lab_process_boxes, GTK_TYPE_WIDGET)

static void
card_clear (gpointer data)
{
  Card *card = data;

  g_free (card->title);
}

/* One style sheet per display, shared by every instance. */
static void
ensure_css (GdkDisplay *display)
{
  GtkCssProvider *provider;

  if (display == NULL || g_object_get_data (G_OBJECT (display), CSS_KEY) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), CSS_KEY, provider, g_object_unref);
}

/* The list as Python prints it: [], ['item'], or ['item' × 5] when long. */
static char *
format_list (guint len)
{
  GString *text;

  if (len > MAX_PRINTED)
    return g_strdup_printf ("['item' × %u]", len);

  text = g_string_new ("[");
  for (guint i = 0; i < len; i++)
    g_string_append (text, i > 0 ? ", 'item'" : "'item'");
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The items of a list as chips, or a dashed box saying it is empty. */
static GtkWidget *
new_items (guint       len,
           gboolean    arrived,
           const char *empty_text)
{
  GtkWidget *chips;

  if (len == 0)
    {
      GtkWidget *empty = new_label (empty_text, "lab-empty-list");

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_add_css_class (empty, "caption");
      return empty;
    }

  chips = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (chips), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_widget_set_can_target (chips, FALSE);
  for (guint i = 0; i < MIN (len, MAX_CHIPS); i++)
    {
      GtkWidget *chip = gtk_label_new ("'item'");

      gtk_widget_set_halign (chip, GTK_ALIGN_START);
      gtk_widget_add_css_class (chip, "lab-item-chip");
      if (arrived)
        gtk_widget_add_css_class (chip, "lab-arrived");
      gtk_flow_box_insert (GTK_FLOW_BOX (chips), chip, -1);
    }
  if (len > MAX_CHIPS)
    {
      g_autofree char *more = g_strdup_printf ("+%u", len - MAX_CHIPS);

      gtk_flow_box_insert (GTK_FLOW_BOX (chips), new_label (more, "dim-label"), -1);
    }
  return chips;
}

static void
add_card (LabProcessBoxes *self,
          const char      *title,
          const char      *caption,
          const char      *list_format,
          guint            len,
          gboolean         arrived,
          const char      *empty_text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *list = format_list (len);
  g_autofree char *list_line = g_strdup_printf (list_format, list);
  g_autofree char *accessible = g_strdup_printf ("%s — %s", title, list_line);
  Card card = { g_strdup (title), len };

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_size_request (box, 180, -1);
  gtk_widget_set_margin_start (box, 2);
  gtk_widget_set_margin_end (box, 2);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);

  {
    GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    gtk_widget_set_margin_start (inner, 12);
    gtk_widget_set_margin_end (inner, 12);
    gtk_widget_set_margin_top (inner, 10);
    gtk_widget_set_margin_bottom (inner, 12);
    gtk_box_append (GTK_BOX (inner), new_label (title, "heading"));
    if (caption != NULL)
      {
        GtkWidget *label = new_label (caption, "caption");

        gtk_widget_add_css_class (label, "dim-label");
        gtk_box_append (GTK_BOX (inner), label);
      }
    gtk_box_append (GTK_BOX (inner), new_label (list_line, "lab-list-title"));
    gtk_box_append (GTK_BOX (inner), new_items (len, arrived, empty_text));
    gtk_box_append (GTK_BOX (box), inner);
  }

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_flow_box_insert (GTK_FLOW_BOX (self->flow), box, -1);
  g_array_append_val (self->cards, card);
}

static void
clear_cards (LabProcessBoxes *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->flow)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->flow), child);
  g_array_set_size (self->cards, 0);
  self->has_data = FALSE;
}

static guint
int_metric (LabProcessBoxes *self,
            guint            key)
{
  g_autoptr(GVariant) value = lab_run_watch_lookup (&self->watch, key, G_VARIANT_TYPE_INT64);

  if (value == NULL)
    return 0;
  return (guint) CLAMP (g_variant_get_int64 (value), 0, G_MAXUINT);
}

static void
refresh (LabProcessBoxes *self)
{
  g_autoptr(GVariant) child_lens = NULL;
  g_autoptr(GVariant) pids_value = NULL;
  const gint64 *lens, *pids = NULL;
  gsize n_children, n_pids = 0;

  clear_cards (self);
  child_lens = lab_run_watch_lookup (&self->watch, KEY_CHILD_LENS, G_VARIANT_TYPE ("ax"));
  if (child_lens == NULL)
    return;

  self->has_data = TRUE;
  lens = g_variant_get_fixed_array (child_lens, &n_children, sizeof (gint64));
  pids_value = lab_run_watch_lookup (&self->watch, KEY_PIDS, G_VARIANT_TYPE ("ax"));
  if (pids_value != NULL)
    pids = g_variant_get_fixed_array (pids_value, &n_pids, sizeof (gint64));

  for (gsize i = 0; i < n_children; i++)
    {
      /* Translators: the title of a card: child process number %u */
      g_autofree char *title = g_strdup_printf (_("Child %u"), (guint) i + 1);
      g_autofree char *pid = NULL;
      g_autofree char *caption = NULL;

      if (i < n_pids)
        {
          pid = g_strdup_printf ("%" G_GINT64_FORMAT, pids[i]);
          /* Translators: under "Child 3": its process id */
          caption = g_strdup_printf (_("pid %s"), pid);
        }
      add_card (self, title, caption,
                /* Translators: %s is a Python list, e.g. ['item'] */
                _("its own acc: %s"),
                (guint) CLAMP (lens[i], 0, G_MAXUINT), FALSE,
                _("empty"));
    }

  /* Translators: the title of the card of the parent process */
  add_card (self, _("Parent"),
            _("after the children appended to their copies"),
            /* Translators: %s is a Python list, e.g. [] */
            _("acc: %s"),
            int_metric (self, KEY_PARENT_LEN), FALSE,
            _("empty: each child changed only its own copy"));

  /* Translators: the title of the card of the parent process's list after
   * the children sent their items back through a multiprocessing.Queue */
  add_card (self, _("Parent via a queue"),
            _("each child sent its item back; the parent appended it"),
            _("acc: %s"),
            int_metric (self, KEY_SHARED_LEN), TRUE,
            _("empty: nothing arrived"));
}

void
lab_process_boxes_set_runner (LabProcessBoxes *self,
                              LabRunner       *runner)
{
  g_return_if_fail (LAB_IS_PROCESS_BOXES (self));
  g_return_if_fail (runner == NULL || LAB_IS_RUNNER (runner));

  lab_run_watch_set (&self->watch, LAB_PANEL_PROCESS_BOXES, runner,
                     (LabRunWatchFunc) refresh, self);
}

gboolean
lab_process_boxes_has_data (LabProcessBoxes *self)
{
  g_return_val_if_fail (LAB_IS_PROCESS_BOXES (self), FALSE);

  return self->has_data;
}

guint
lab_process_boxes_get_n_cards (LabProcessBoxes *self)
{
  g_return_val_if_fail (LAB_IS_PROCESS_BOXES (self), 0);

  return self->cards->len;
}

const char *
lab_process_boxes_get_card_title (LabProcessBoxes *self,
                                  guint            index)
{
  g_return_val_if_fail (LAB_IS_PROCESS_BOXES (self), NULL);
  g_return_val_if_fail (index < self->cards->len, NULL);

  return g_array_index (self->cards, Card, index).title;
}

guint
lab_process_boxes_get_card_len (LabProcessBoxes *self,
                                guint            index)
{
  g_return_val_if_fail (LAB_IS_PROCESS_BOXES (self), 0);
  g_return_val_if_fail (index < self->cards->len, 0);

  return g_array_index (self->cards, Card, index).len;
}

GtkWidget *
lab_process_boxes_new (void)
{
  return g_object_new (LAB_TYPE_PROCESS_BOXES, NULL);
}

static void
lab_process_boxes_dispose (GObject *object)
{
  LabProcessBoxes *self = LAB_PROCESS_BOXES (object);

  lab_run_watch_clear (&self->watch);
  g_clear_pointer (&self->flow, gtk_widget_unparent);

  G_OBJECT_CLASS (lab_process_boxes_parent_class)->dispose (object);
}

static void
lab_process_boxes_finalize (GObject *object)
{
  LabProcessBoxes *self = LAB_PROCESS_BOXES (object);

  g_array_unref (self->cards);

  G_OBJECT_CLASS (lab_process_boxes_parent_class)->finalize (object);
}

static void
lab_process_boxes_class_init (LabProcessBoxesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_process_boxes_dispose;
  object_class->finalize = lab_process_boxes_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "processboxes");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_process_boxes_init (LabProcessBoxes *self)
{
  self->cards = g_array_new (FALSE, TRUE, sizeof (Card));
  g_array_set_clear_func (self->cards, card_clear);

  ensure_css (gtk_widget_get_display (GTK_WIDGET (self)));

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_widget_set_valign (self->flow, GTK_ALIGN_START);
  gtk_widget_set_parent (self->flow, GTK_WIDGET (self));
}
