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
}

/* Two values ("model 52.0 ms · CPython 53.3 ms") take two lines, each
 * wide enough for one value, rather than lose the second; one value keeps
 * to its line. */
#define PAIR_VALUE_CHARS 15

static void
card_set_wrap (Card     *card,
               gboolean  wrap)
{
  gtk_label_set_wrap (card->value_label, wrap);
  gtk_label_set_wrap_mode (card->value_label, PANGO_WRAP_WORD);
  gtk_label_set_lines (card->value_label, wrap ? 2 : -1);
  gtk_label_set_width_chars (card->value_label, wrap ? PAIR_VALUE_CHARS : -1);
}

static GtkWidget *
card_build (Card *card)
{
  GtkWidget *box;
  GtkWidget *value;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "metric-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  card->spec->key,
                                  -1);

  value = gtk_label_new (PLACEHOLDER);
  gtk_label_set_xalign (GTK_LABEL (value), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
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

  return box;
}

static void
lab_metric_cards_dispose (GObject *object)
{
  LabMetricCards *self = LAB_METRIC_CARDS (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

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
       child != NULL;
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
       child != NULL;
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

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
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

static void
lab_metric_cards_class_init (LabMetricCardsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_metric_cards_dispose;
  object_class->finalize = lab_metric_cards_finalize;

  widget_class->measure = lab_metric_cards_measure;
  widget_class->size_allocate = lab_metric_cards_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "metriccards");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_metric_cards_init (LabMetricCards *self)
{
  self->cards = g_array_new (FALSE, TRUE, sizeof (Card));
  g_array_set_clear_func (self->cards, card_clear);

  gtk_widget_set_vexpand (GTK_WIDGET (self), FALSE);
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

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
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

      gtk_widget_set_parent (card_build (&g_array_index (self->cards, Card, self->cards->len - 1)),
                             GTK_WIDGET (self));
    }

  lab_metric_cards_set_metrics (self, NULL);
}

void
lab_metric_cards_set_metrics (LabMetricCards *self,
                              GVariant       *metrics)
{
  g_return_if_fail (LAB_IS_METRIC_CARDS (self));

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

      card_set_text (card, text != NULL && *text != '\0' ? text : PLACEHOLDER, bad);
      card_set_wrap (card, FALSE);
      gtk_widget_remove_css_class (card->card, "engine-pair");
      gtk_widget_remove_css_class (card->card, "engine-differs");
    }
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
