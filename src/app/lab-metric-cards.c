/* lab-metric-cards.c — metric cards in a homogeneous grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lab-i18n.h"

#include "lab-engine.h"
#include "lab-metric-cards.h"

#define PLACEHOLDER "—"

typedef struct
{
  const LabMetricSpec *spec;
  GtkWidget           *card;
  GtkLabel            *value_label;
  char                *label_text;
} Card;

struct _LabMetricCards
{
  GtkWidget            parent_instance;

  const LabExperiment *experiment;
  GArray              *cards; /* Card */
  GtkWidget           *menu;  /* the context menu: Copy */
  guint                menu_card;
};

G_DEFINE_FINAL_TYPE (LabMetricCards, lab_metric_cards, GTK_TYPE_WIDGET)

static void
card_clear (gpointer data)
{
  Card *card = data;

  g_clear_pointer (&card->label_text, g_free);
}

gboolean
lab_metric_value_is_positive (GVariant *value)
{
  if (value == NULL)
    return FALSE;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return lab_metric_value_is_positive (inner);
    }

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
      return g_variant_get_byte (value) > 0;
    case G_VARIANT_CLASS_INT16:
      return g_variant_get_int16 (value) > 0;
    case G_VARIANT_CLASS_UINT16:
      return g_variant_get_uint16 (value) > 0;
    case G_VARIANT_CLASS_INT32:
      return g_variant_get_int32 (value) > 0;
    case G_VARIANT_CLASS_UINT32:
      return g_variant_get_uint32 (value) > 0;
    case G_VARIANT_CLASS_INT64:
      return g_variant_get_int64 (value) > 0;
    case G_VARIANT_CLASS_UINT64:
      return g_variant_get_uint64 (value) > 0;
    case G_VARIANT_CLASS_DOUBLE:
      return g_variant_get_double (value) > 0.0;
    case G_VARIANT_CLASS_BOOLEAN:
      return g_variant_get_boolean (value);
    default:
      return FALSE;
    }
}

static void
card_set_text (Card       *card,
               const char *text,
               gboolean    bad)
{
  g_autofree char *accessible = NULL;

  gtk_label_set_text (card->value_label, text);

  if (bad)
    gtk_widget_add_css_class (card->card, "error");
  else
    gtk_widget_remove_css_class (card->card, "error");

  /* Translators: accessible description of a metric card: "Lost updates: 7" */
  accessible = g_strdup_printf (_("%s: %s"), card->label_text, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card->card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  /* A long value is cut short on the card: the tooltip has all of it. */
  gtk_widget_set_tooltip_text (card->card, accessible);
}

/* ---- Copy ---- */

char *
lab_metric_cards_get_copy_text (LabMetricCards *self,
                                const char     *key)
{
  g_return_val_if_fail (LAB_IS_METRIC_CARDS (self), NULL);

  for (guint i = 0; i < self->cards->len; i++)
    {
      Card *card = &g_array_index (self->cards, Card, i);

      if (g_strcmp0 (card->spec->key, key) == 0)
        return g_strdup_printf (_("%s: %s"), card->label_text,
                                gtk_label_get_text (card->value_label));
    }

  return NULL;
}

gboolean
lab_metric_cards_copy (LabMetricCards *self,
                       const char     *key)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (LAB_IS_METRIC_CARDS (self), FALSE);

  text = lab_metric_cards_get_copy_text (self, key);
  if (text == NULL)
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  return TRUE;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabMetricCards *self = LAB_METRIC_CARDS (widget);

  if (self->menu_card < self->cards->len)
    lab_metric_cards_copy (self, g_array_index (self->cards, Card, self->menu_card).spec->key);
}

static void
popup_menu (LabMetricCards *self,
            GtkWidget      *card,
            double          x,
            double          y)
{
  graphene_point_t point;

  self->menu_card = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (card), "card-index"));
  if (!gtk_widget_compute_point (card, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_card_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 LabMetricCards  *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
on_card_long_pressed (GtkGestureLongPress *gesture,
                      double               x,
                      double               y,
                      LabMetricCards      *self)
{
  popup_menu (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

/* Two values ("model 52.0 ms · CPython 53.3 ms") take two lines, each
 * wide enough for one value, rather than lose the second; one value keeps
 * to its line. */
#define PAIR_VALUE_CHARS 15
/* One value keeps room for a number and its unit ("52.7 ms", "0.95×"):
 * cards go to a line fewer per row rather than read "52.7 …". */
#define VALUE_CHARS 7

static void
card_set_wrap (Card     *card,
               gboolean  wrap)
{
  gtk_label_set_wrap (card->value_label, wrap);
  gtk_label_set_wrap_mode (card->value_label, PANGO_WRAP_WORD);
  gtk_label_set_lines (card->value_label, wrap ? 2 : -1);
  gtk_label_set_width_chars (card->value_label, wrap ? PAIR_VALUE_CHARS : VALUE_CHARS);
}

static GtkWidget *
card_build (LabMetricCards *self,
            Card           *card,
            guint           index)
{
  GtkWidget *box;
  GtkWidget *value;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_object_set_data (G_OBJECT (box), "card-index", GUINT_TO_POINTER (index));
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "metric-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  card->spec->key,
                                  -1);

  value = gtk_label_new (PLACEHOLDER);
  gtk_label_set_xalign (GTK_LABEL (value), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (value), VALUE_CHARS);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_widget_add_css_class (value, "metric-value");
  gtk_box_append (GTK_BOX (box), value);

  label = gtk_label_new (card->label_text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_vexpand (label, TRUE);
  gtk_widget_add_css_class (label, "metric-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  card->card = box;
  card->value_label = GTK_LABEL (value);

  /* Right-click (or a long press) offers Copy: "Lost updates: 7". */
  {
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *long_press = gtk_gesture_long_press_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_card_pressed), self);
    gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
    g_signal_connect (long_press, "pressed", G_CALLBACK (on_card_long_pressed), self);
    gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (long_press));
  }

  return box;
}

static void
lab_metric_cards_dispose (GObject *object)
{
  LabMetricCards *self = LAB_METRIC_CARDS (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->menu = NULL;

  G_OBJECT_CLASS (lab_metric_cards_parent_class)->dispose (object);
}

static void
lab_metric_cards_finalize (GObject *object)
{
  LabMetricCards *self = LAB_METRIC_CARDS (object);

  g_clear_pointer (&self->cards, g_array_unref);

  G_OBJECT_CLASS (lab_metric_cards_parent_class)->finalize (object);
}

#define CARD_SPACING 8
#define MAX_PER_LINE 8

/* Layout: all cards as wide as the widest minimum, as many per line as fit
 * (the last line may be short), lines as high as the tallest card. */
typedef struct
{
  guint n;
  guint per_line;
  guint lines;
  int   card_width;
  int   line_height;
} Grid;

static void
compute_grid (LabMetricCards *self,
              int             width,
              Grid           *grid)
{
  int min_card = 0;

  memset (grid, 0, sizeof *grid);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != self->menu;
       child = gtk_widget_get_next_sibling (child))
    {
      int min_width, nat_width;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
      min_card = MAX (min_card, min_width);
      if (width < 0)
        min_card = MAX (min_card, nat_width); /* no width given: natural layout */
      grid->n++;
    }
  if (grid->n == 0)
    return;

  if (width < 0)
    grid->per_line = grid->n;
  else
    grid->per_line = (guint) MAX ((width + CARD_SPACING) / (min_card + CARD_SPACING), 1);
  grid->per_line = MIN (grid->per_line, MIN (grid->n, MAX_PER_LINE));
  grid->lines = (grid->n + grid->per_line - 1) / grid->per_line;
  grid->card_width = width < 0 ? min_card
                     : MAX ((width - (int) (grid->per_line - 1) * CARD_SPACING) / (int) grid->per_line, min_card);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != self->menu;
       child = gtk_widget_get_next_sibling (child))
    {
      int height;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, grid->card_width, NULL, &height, NULL, NULL);
      grid->line_height = MAX (grid->line_height, height);
    }
}

/* The minimum height is one line, so that the cards never raise the
 * window's minimum height; with less room than natural the lines that do
 * not fit are clipped. */
static void
lab_metric_cards_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  LabMetricCards *self = LAB_METRIC_CARDS (widget);
  Grid grid;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      Grid natural_grid;

      compute_grid (self, 0, &grid);           /* one per line: the narrowest */
      compute_grid (self, -1, &natural_grid);  /* all on one line */
      *minimum = grid.card_width;
      *natural = (int) natural_grid.n * natural_grid.card_width +
                 (int) MAX (natural_grid.n, 1) * CARD_SPACING - CARD_SPACING;
      *natural = MAX (*natural, *minimum);
      return;
    }

  compute_grid (self, for_size, &grid);
  *natural = (int) grid.lines * grid.line_height + (int) MAX (grid.lines, 1) * CARD_SPACING - CARD_SPACING;
  *minimum = MIN (grid.line_height, *natural);
  *natural = MAX (*natural, 0);
  *minimum = MAX (*minimum, 0);
}

static void
lab_metric_cards_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  LabMetricCards *self = LAB_METRIC_CARDS (widget);
  Grid grid;
  guint i = 0;

  compute_grid (self, width, &grid);
  gtk_widget_set_overflow (widget, (int) grid.lines * (grid.line_height + CARD_SPACING) - CARD_SPACING > height
                                   ? GTK_OVERFLOW_HIDDEN : GTK_OVERFLOW_VISIBLE);

  gtk_popover_present (GTK_POPOVER (self->menu));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != self->menu;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      guint column = i % MAX (grid.per_line, 1);
      guint line = i / MAX (grid.per_line, 1);
      GtkAllocation allocation = {
        .x = (int) column * (grid.card_width + CARD_SPACING),
        .y = (int) line * (grid.line_height + CARD_SPACING),
        .width = grid.card_width,
        .height = grid.line_height,
      };

      gtk_widget_size_allocate (child, &allocation, -1);
    }
}

/* How many lines the cards take depends on the width they get. */
static GtkSizeRequestMode
lab_metric_cards_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lab_metric_cards_class_init (LabMetricCardsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_metric_cards_dispose;
  object_class->finalize = lab_metric_cards_finalize;

  widget_class->measure = lab_metric_cards_measure;
  widget_class->size_allocate = lab_metric_cards_size_allocate;
  widget_class->get_request_mode = lab_metric_cards_get_request_mode;

  gtk_widget_class_install_action (widget_class, "cards.copy", NULL, copy_action);
  gtk_widget_class_set_css_name (widget_class, "metriccards");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_metric_cards_init (LabMetricCards *self)
{
  self->cards = g_array_new (FALSE, TRUE, sizeof (Card));
  g_array_set_clear_func (self->cards, card_clear);

  gtk_widget_set_vexpand (GTK_WIDGET (self), FALSE);

  {
    g_autoptr(GMenu) menu = g_menu_new ();

    /* Translators: the item of a metric card's context menu */
    g_menu_append (menu, _("_Copy"), "cards.copy");
    /* The last child: the cards are the ones before it. */
    self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
    gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
    gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  }
}

GtkWidget *
lab_metric_cards_new (void)
{
  return g_object_new (LAB_TYPE_METRIC_CARDS, NULL);
}

void
lab_metric_cards_set_experiment (LabMetricCards      *self,
                                 const LabExperiment *experiment)
{
  GtkWidget *child;

  g_return_if_fail (LAB_IS_METRIC_CARDS (self));

  if (self->experiment == experiment)
    return;

  self->experiment = experiment;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != self->menu)
    gtk_widget_unparent (child);
  g_array_set_size (self->cards, 0);

  if (experiment == NULL)
    return;

  for (guint i = 0; i < experiment->n_metrics; i++)
    {
      const LabMetricSpec *spec = &experiment->metrics[i];
      Card card = { 0 };

      if (spec->flags & LAB_METRIC_FLAG_NO_CARD)
        continue;

      card.spec = spec;
      card.label_text = g_strdup (_(spec->label));
      g_array_append_val (self->cards, card);

      gtk_widget_insert_before (card_build (self, &g_array_index (self->cards, Card, self->cards->len - 1),
                                            self->cards->len - 1),
                                GTK_WIDGET (self), self->menu);
    }

  lab_metric_cards_set_metrics (self, NULL);
}

static void
set_all (LabMetricCards *self,
         GVariant       *metrics,
         const char     *placeholder)
{

  for (guint i = 0; i < self->cards->len; i++)
    {
      Card *card = &g_array_index (self->cards, Card, i);
      g_autoptr(GVariant) value = NULL;
      g_autofree char *text = NULL;
      gboolean bad = FALSE;

      if (metrics != NULL)
        value = lab_metrics_lookup (metrics, card->spec->key);

      if (value != NULL)
        {
          text = lab_metric_format (card->spec, value);
          bad = (card->spec->flags & LAB_METRIC_FLAG_BAD_IF_NONZERO) &&
                lab_metric_value_is_positive (value);
        }

      card_set_text (card, text != NULL && *text != '\0' ? text : placeholder, bad);
      card_set_wrap (card, FALSE);
      gtk_widget_remove_css_class (card->card, "engine-pair");
      gtk_widget_remove_css_class (card->card, "engine-differs");
    }
}

void
lab_metric_cards_set_metrics (LabMetricCards *self,
                              GVariant       *metrics)
{
  g_return_if_fail (LAB_IS_METRIC_CARDS (self));

  set_all (self, metrics, PLACEHOLDER);
}

void
lab_metric_cards_set_stopped (LabMetricCards *self)
{
  g_return_if_fail (LAB_IS_METRIC_CARDS (self));

  /* Translators: a metric card's value when the run was stopped before
   * it measured anything */
  set_all (self, NULL, C_("metric", "stopped"));
}

static Card *
find_card (LabMetricCards *self,
           const char     *key)
{
  for (guint i = 0; i < self->cards->len; i++)
    {
      Card *card = &g_array_index (self->cards, Card, i);

      if (g_strcmp0 (card->spec->key, key) == 0)
        return card;
    }

  return NULL;
}

void
lab_metric_cards_set_pair (LabMetricCards *self,
                           GVariant       *model,
                           GVariant       *cpython)
{
  g_return_if_fail (LAB_IS_METRIC_CARDS (self));

  for (guint i = 0; i < self->cards->len; i++)
    {
      Card *card = &g_array_index (self->cards, Card, i);
      g_autoptr(GVariant) a = model != NULL ? lab_metrics_lookup (model, card->spec->key) : NULL;
      g_autoptr(GVariant) b = cpython != NULL ? lab_metrics_lookup (cpython, card->spec->key) : NULL;
      gboolean differ;
      g_autofree char *text = lab_engine_format_pair (card->spec, a, b, &differ);
      gboolean bad = (card->spec->flags & LAB_METRIC_FLAG_BAD_IF_NONZERO) &&
                     (lab_metric_value_is_positive (a) || lab_metric_value_is_positive (b));

      card_set_text (card, text, bad);
      card_set_wrap (card, TRUE);
      gtk_widget_add_css_class (card->card, "engine-pair");
      if (differ)
        gtk_widget_add_css_class (card->card, "engine-differs");
      else
        gtk_widget_remove_css_class (card->card, "engine-differs");
    }
}

gboolean
lab_metric_cards_get_value_differs (LabMetricCards *self,
                                    const char     *key)
{
  Card *card;

  g_return_val_if_fail (LAB_IS_METRIC_CARDS (self), FALSE);

  card = find_card (self, key);
  return card != NULL && gtk_widget_has_css_class (card->card, "engine-differs");
}

const char *
lab_metric_cards_get_value_text (LabMetricCards *self,
                                 const char     *key)
{
  Card *card;

  g_return_val_if_fail (LAB_IS_METRIC_CARDS (self), NULL);

  card = find_card (self, key);
  return card != NULL ? gtk_label_get_text (card->value_label) : NULL;
}

gboolean
lab_metric_cards_get_value_bad (LabMetricCards *self,
                                const char     *key)
{
  Card *card;

  g_return_val_if_fail (LAB_IS_METRIC_CARDS (self), FALSE);

  card = find_card (self, key);
  return card != NULL && gtk_widget_has_css_class (card->card, "error");
}
